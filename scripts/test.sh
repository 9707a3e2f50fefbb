#!/usr/bin/env bash
# The body of `make test`, once everything is built: every host and
# on-target test through prove, each test's TAP kept in build/tap/, then a
# count of all TAP results.  The last line is exactly "N passed, M failed".
#
#   TESTS="tests/target/shell-*.t build/host/test_string"   run only these
#                          (paths from the repository top; globs expand)
#   JOBS=2                                                 prove -j (default 1)
#
# One test at a time by default: the on-target tests bound what they wait
# for in time, and two emulators sharing two host cores (one of them with
# 16 or 64 vCPU threads) starve each other's vCPUs for seconds.
#
# Counting: every top-level ok / not ok line of every TAP file.  "ok" and
# "ok ... # SKIP why" count as passed; every "not ok" counts as failed, with
# a TODO or SKIP directive too, and so does a SKIP that gives no reason
# (a result line or a "1..0 # SKIP" plan).  A test file that exited
# non-zero, bailed out or whose plan does not match its results adds one
# more failure.
set -uo pipefail
cd "$(dirname "$0")/.."

TAP_DIR=build/tap

# Stable per-test file name: tests/target/x.t -> tests_target_x.t
tap_name() {
    local t=${1#./}
    echo "${t//\//_}"
}

# prove's --exec hook: run one test, keep a copy of its TAP and its status.
if [ "${1:-}" = "--run-one" ]; then
    test=$2
    base="$TAP_DIR/$(tap_name "$test")"
    mkdir -p "$TAP_DIR"
    path=$test
    [[ $path == /* ]] || path="./${path#./}"
    if [ -x "$path" ]; then
        run=("$path")
    else
        run=(perl "$path")   # prove's own default; perl follows a #! line
    fi
    "${run[@]}" | tee "$base.tap"
    rc=${PIPESTATUS[0]}
    echo "$rc" >"$base.rc"
    exit "$rc"
fi

export PYTHONDONTWRITEBYTECODE=1
export CMOCKA_MESSAGE_OUTPUT=TAP   # cmocka tests print TAP even unasked

if [ -n "${TESTS:-}" ]; then
    read -r -a patterns <<<"$TESTS"
    tests=()
    for p in "${patterns[@]}"; do
        # shellcheck disable=SC2206  # globs in TESTS are meant to expand
        matched=($p)
        tests+=("${matched[@]}")
    done
    for t in "${tests[@]}"; do
        rm -f "$TAP_DIR/$(tap_name "$t")".{tap,rc}
    done
else
    # On-target tests first: they are the slow ones, so with -j they start
    # early and the quick host tests fill the gaps.
    tests=()
    for t in tests/target/*.t build/host/test_* tests/host/*.t; do
        [ -f "$t" ] || continue
        case $t in
            build/host/*) [ -x "$t" ] || continue ;;
        esac
        tests+=("$t")
    done
    rm -rf "$TAP_DIR"
fi
mkdir -p "$TAP_DIR"

if [ ${#tests[@]} -eq 0 ]; then
    echo "test.sh: no tests found${TESTS:+ for TESTS=$TESTS}" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

prove --timer -j"${JOBS:-1}" --exec "bash scripts/test.sh --run-one" "${tests[@]}"
prove_rc=$?

# Count each file's results.  awk prints "passed failed problem".
count_tap() {
    awk '
        /^ok([ \t]|$)/ {
            n++
            if ($0 ~ /[^\\]#[ \t]*[Ss][Kk][Ii][Pp][ \t]*$/) fail++; else pass++
            next
        }
        /^not ok([ \t]|$)/ { n++; fail++; next }
        /^1\.\.[0-9]+/ {
            plans++; plan = substr($0, 4) + 0
            if ($0 ~ /#[ \t]*[Ss][Kk][Ii][Pp][ \t]*$/) planskip = 1
            next
        }
        /^Bail out!/ { bail = 1 }
        END {
            why = ""
            if (bail) why = "bailed out"
            else if (planskip) why = "skipped without a reason"
            else if (plans != 1) why = (plans ? "more than one plan" : "no plan")
            else if (plan != n) why = "planned " plan " but ran " n
            printf "%d %d %s\n", pass, fail, why
        }' "$1"
}

total_pass=0
total_fail=0
echo
echo "Per test file (TAP copies in $TAP_DIR/):"
for t in "${tests[@]}"; do
    base="$TAP_DIR/$(tap_name "$t")"
    if [ ! -f "$base.tap" ] || [ ! -f "$base.rc" ]; then
        pass=0 fail=0 why="did not run"
    else
        read -r pass fail why < <(count_tap "$base.tap")
        rc=$(cat "$base.rc")
        if [ "$rc" != 0 ]; then
            why="${why:+$why; }exit status $rc"
        fi
    fi
    if [ -n "$why" ]; then
        fail=$((fail + 1))
    fi
    total_pass=$((total_pass + pass))
    total_fail=$((total_fail + fail))
    mark=PASS
    [ "$fail" -gt 0 ] && mark=FAIL
    printf '  %s  %-40s %4d passed, %d failed%s\n' "$mark" "$t" "$pass" "$fail" "${why:+ ($why)}"
done
echo "On-target serial logs: build/logs/"

status=0
if [ "$prove_rc" -ne 0 ] || [ "$total_fail" -gt 0 ]; then
    status=1
fi
echo "$total_pass passed, $total_fail failed"
exit "$status"
