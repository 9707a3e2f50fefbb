# Host-side tests of lib/: cmocka unit tests, TAP scripts and a libFuzzer
# target, plus the DTB cache they read.  Included by the top-level Makefile;
# every path is relative to the repository root.
#
#   make dtbs        fill cache/dtb/ (scripts/fetch-dtbs.sh; no-op when full)
#   make host-build  build everything under build/host/
#   make host-test   run it all with prove
#
# The tests are built with ASan and UBSan by default; `make HOST_SAN=`
# builds them plain.

HOST_OUT := build/host
HOST_CC ?= gcc
HOST_CLANG ?= clang
HOST_SAN ?= -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_CFLAGS ?= -std=gnu11 -O1 -g -fno-omit-frame-pointer -Wall -Wextra -Werror
# -iquote, not -I: libc's and cmocka's <string.h> must stay libc's.
HOST_CPPFLAGS := -iquote include -iquote tests/host \
	-DRONDO_DTB_DIR='"$(abspath cache/dtb)"' -MMD -MP

# The lib files define names libc (and libfdt) also define.  Compiled for
# the host they get a rondo_ prefix, so a test binary never replaces the
# C library's memcpy or libfdt's fdt_getprop behind cmocka's back.
HOST_STRING_RENAME := $(foreach s,memset memcpy memmove memcmp strlen strnlen \
	strcmp strncmp strchr strlcpy kstrtoul kstrtol,-D$(s)=rondo_$(s))
HOST_PRINTF_RENAME := $(foreach s,vsnprintf snprintf vscnprintf scnprintf,-D$(s)=rondo_$(s))
HOST_FDT_RENAME := -include $(HOST_OUT)/fdt_rename.h
HOST_FDT_SRCS := lib/fdt.c lib/fdt_prop.c lib/fdt_addr.c

HOST_TEST_BINS := \
	$(HOST_OUT)/test_string \
	$(HOST_OUT)/test_printf \
	$(HOST_OUT)/test_bitmap \
	$(HOST_OUT)/test_bitmap128 \
	$(HOST_OUT)/test_fdt_real \
	$(HOST_OUT)/test_fdt_bad \
	$(HOST_OUT)/test_fair \
	$(HOST_OUT)/test_pelt \
	$(HOST_OUT)/test_balance \
	$(HOST_OUT)/test_topology
HOST_TEST_SCRIPTS := tests/host/fdtget.t tests/host/fuzz_fdt.t tests/host/trace-tools.t
HOST_TOOLS := $(HOST_OUT)/fdtquery $(HOST_OUT)/fuzz_fdt

.PHONY: dtbs host-build host-test

dtbs:
	bash scripts/fetch-dtbs.sh

host-build: dtbs $(HOST_TEST_BINS) $(HOST_TOOLS)

host-test: host-build
	prove --exec env $(HOST_TEST_BINS) $(HOST_TEST_SCRIPTS)

HOST_CCLD = $(HOST_CC) $(HOST_CFLAGS) $(HOST_SAN) $(HOST_CPPFLAGS)

$(HOST_OUT)/lib $(HOST_OUT)/obj:
	mkdir -p $@

# Every function named in the fdt headers, renamed.  A name missed here
# would be caught by the symbol check below.
$(HOST_OUT)/fdt_rename.h: include/fdt.h lib/fdt_private.h | $(HOST_OUT)/lib
	grep -ho '\bfdt_[a-z0-9_]*(' $^ | tr -d '(' | sort -u | \
		sed 's/.*/#define & rondo_&/' >$@.tmp
	mv $@.tmp $@

$(HOST_OUT)/lib/string.o: lib/string.c | $(HOST_OUT)/lib
	$(HOST_CCLD) $(HOST_STRING_RENAME) -c $< -o $@

$(HOST_OUT)/lib/printf.o: lib/printf.c | $(HOST_OUT)/lib
	$(HOST_CCLD) $(HOST_PRINTF_RENAME) -c $< -o $@

$(HOST_OUT)/lib/bitmap.o: lib/bitmap.c | $(HOST_OUT)/lib
	$(HOST_CCLD) -c $< -o $@

HOST_FDT_OBJS := $(patsubst lib/%.c,$(HOST_OUT)/lib/%.o,$(HOST_FDT_SRCS))

$(HOST_FDT_OBJS): $(HOST_OUT)/lib/%.o: lib/%.c $(HOST_OUT)/fdt_rename.h | $(HOST_OUT)/lib
	$(HOST_CCLD) $(HOST_FDT_RENAME) -c $< -o $@
	@if nm -g --defined-only $@ | grep -E ' [A-Z] fdt_'; then \
		echo "$@: unrenamed fdt_ symbol (clashes with libfdt)"; rm -f $@; exit 1; fi

# Test objects that use Rondo's fdt API see the same renames as the lib.
$(HOST_OUT)/obj/%.o: tests/host/%.c $(HOST_OUT)/fdt_rename.h | $(HOST_OUT)/obj
	$(HOST_CCLD) $(HOST_FDT_RENAME) -c $< -o $@

# libfdt's side must see libfdt's names, not the renamed ones.
$(HOST_OUT)/obj/libfdt_ref.o: tests/host/libfdt_ref.c | $(HOST_OUT)/obj
	$(HOST_CCLD) -c $< -o $@

$(HOST_OUT)/test_string: $(HOST_OUT)/obj/test_string.o $(HOST_OUT)/lib/string.o
	$(HOST_CCLD) $^ -lcmocka -o $@

$(HOST_OUT)/test_printf: $(HOST_OUT)/obj/test_printf.o $(HOST_OUT)/lib/printf.o
	$(HOST_CCLD) $^ -lcmocka -o $@

$(HOST_OUT)/test_bitmap: $(HOST_OUT)/obj/test_bitmap.o $(HOST_OUT)/lib/bitmap.o
	$(HOST_CCLD) $^ -lcmocka -o $@

# The same tests with two words per cpumask.
$(HOST_OUT)/obj/test_bitmap128.o: tests/host/test_bitmap.c | $(HOST_OUT)/obj
	$(HOST_CCLD) -DNR_CPUS=128 -c $< -o $@

$(HOST_OUT)/test_bitmap128: $(HOST_OUT)/obj/test_bitmap128.o $(HOST_OUT)/lib/bitmap.o
	$(HOST_CCLD) $^ -lcmocka -o $@

# The fair scheduling policy, built from kernel/sched/fair.c with the asm
# headers swapped for host stand-ins (tests/host/sched_stubs/).
HOST_SCHED_CPPFLAGS := -iquote tests/host/sched_stubs -iquote include \
	-iquote arch/arm64/include -DNR_CPUS=64 -MMD -MP

$(HOST_OUT)/lib/fair.o: kernel/sched/fair.c | $(HOST_OUT)/lib
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_SAN) $(HOST_SCHED_CPPFLAGS) -c $< -o $@

$(HOST_OUT)/lib/pelt.o: kernel/sched/pelt.c | $(HOST_OUT)/lib
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_SAN) $(HOST_SCHED_CPPFLAGS) -c $< -o $@

$(HOST_OUT)/obj/test_fair.o: tests/host/test_fair.c | $(HOST_OUT)/obj
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_SAN) $(HOST_SCHED_CPPFLAGS) -c $< -o $@

$(HOST_OUT)/test_fair: $(HOST_OUT)/obj/test_fair.o $(HOST_OUT)/lib/fair.o $(HOST_OUT)/lib/pelt.o
	$(HOST_CCLD) $^ -lcmocka -o $@

# PELT (kernel/sched/pelt.c) against a double-precision reference.
$(HOST_OUT)/obj/test_pelt.o: tests/host/test_pelt.c | $(HOST_OUT)/obj
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_SAN) $(HOST_SCHED_CPPFLAGS) -c $< -o $@

$(HOST_OUT)/test_pelt: $(HOST_OUT)/obj/test_pelt.o $(HOST_OUT)/lib/fair.o $(HOST_OUT)/lib/pelt.o
	$(HOST_CCLD) $^ -lcmocka -lm -o $@

# The load balancer's imbalance arithmetic (kernel/sched/lb_calc.c, pure)
# against brute-force and double-precision references.
$(HOST_OUT)/lib/lb_calc.o: kernel/sched/lb_calc.c | $(HOST_OUT)/lib
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_SAN) $(HOST_SCHED_CPPFLAGS) -c $< -o $@

$(HOST_OUT)/obj/test_balance.o: tests/host/test_balance.c | $(HOST_OUT)/obj
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_SAN) $(HOST_SCHED_CPPFLAGS) -c $< -o $@

$(HOST_OUT)/test_balance: $(HOST_OUT)/obj/test_balance.o $(HOST_OUT)/lib/lb_calc.o
	$(HOST_CCLD) $^ -lcmocka -o $@

# Topology and domain building (arch/arm64/kernel/topology.c,
# kernel/sched/topology.c) over made-up topologies and the cached DTBs.
# Both see the fdt renames, as the fdt lib does; kzalloc is the test's.
$(HOST_OUT)/lib/topology_cpu.o: arch/arm64/kernel/topology.c $(HOST_OUT)/fdt_rename.h | $(HOST_OUT)/lib
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_SAN) $(HOST_SCHED_CPPFLAGS) $(HOST_FDT_RENAME) -c $< -o $@

$(HOST_OUT)/lib/topology_sd.o: kernel/sched/topology.c | $(HOST_OUT)/lib
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_SAN) $(HOST_SCHED_CPPFLAGS) -c $< -o $@

$(HOST_OUT)/obj/test_topology.o: tests/host/test_topology.c $(HOST_OUT)/fdt_rename.h | $(HOST_OUT)/obj
	$(HOST_CC) $(HOST_CFLAGS) $(HOST_SAN) $(HOST_SCHED_CPPFLAGS) $(HOST_FDT_RENAME) \
		-DRONDO_DTB_DIR='"$(abspath cache/dtb)"' -c $< -o $@

$(HOST_OUT)/test_topology: $(HOST_OUT)/obj/test_topology.o $(HOST_OUT)/lib/topology_cpu.o \
		$(HOST_OUT)/lib/topology_sd.o $(HOST_OUT)/obj/fdt_support.o $(HOST_FDT_OBJS) \
		$(HOST_OUT)/lib/bitmap.o
	$(HOST_CCLD) $^ -lcmocka -o $@

HOST_FDT_SUPPORT := $(HOST_OUT)/obj/fdt_support.o $(HOST_OUT)/obj/fdt_dump.o \
	$(HOST_OUT)/obj/libfdt_ref.o

$(HOST_OUT)/test_fdt_real: $(HOST_OUT)/obj/test_fdt_real.o $(HOST_FDT_SUPPORT) $(HOST_FDT_OBJS)
	$(HOST_CCLD) $^ -lcmocka -lfdt -o $@

$(HOST_OUT)/test_fdt_bad: $(HOST_OUT)/obj/test_fdt_bad.o $(HOST_OUT)/obj/test_fdt_corrupt.o \
		$(HOST_FDT_SUPPORT) $(HOST_FDT_OBJS)
	$(HOST_CCLD) $^ -lcmocka -lfdt -o $@

$(HOST_OUT)/fdtquery: $(HOST_OUT)/obj/fdtquery.o $(HOST_OUT)/obj/fdt_support.o $(HOST_FDT_OBJS)
	$(HOST_CCLD) $^ -o $@

# libFuzzer wants clang; it links libc's string functions, so no renames.
$(HOST_OUT)/fuzz_fdt: tests/host/fuzz_fdt.c $(HOST_FDT_SRCS) lib/fdt_private.h include/fdt.h | $(HOST_OUT)/lib
	$(HOST_CLANG) -std=gnu11 -O1 -g -Wall -Wextra -Werror \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-iquote include tests/host/fuzz_fdt.c $(HOST_FDT_SRCS) -o $@

-include $(wildcard $(HOST_OUT)/lib/*.d $(HOST_OUT)/obj/*.d)
