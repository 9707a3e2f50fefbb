# Sourced by fetch-dtbs.sh and fetch-firmware.sh: a private apt setup that
# reads Debian's arm64 package lists without teaching the machine's dpkg a
# second architecture.  The mirror is the one the machine's own apt sources
# already use, so no mirror is ever named here.

# The first mirror URI that the machine's apt sources use for release $1's
# main component (deb822 .sources files first, then one-line .list files).
debian_mirror() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk -v rel="$1" 'BEGIN { RS = ""; FS = "\n" }
             $0 ~ ("Suites:[^\n]*[ ]" rel "([ \n]|$)") && /Components:[^\n]*main/ {
                 for (i = 1; i <= NF; i++)
                     if ($i ~ /^URIs:/) { sub(/^URIs: */, "", $i); split($i, u, " "); print u[1]; exit }
             }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk -v rel="$1" '$1 == "deb" && $3 == rel && / main/ { print $2; exit }' "$f"
    done
}

# arm64_apt_config APTDIR TAG: write the private configuration under
# APTDIR (main and non-free-firmware of this machine's release), export
# APT_CONFIG and read the package lists.  TAG prefixes the messages.
arm64_apt_config() {
    local aptdir=$1 tag=$2 codename mirror
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    mirror=$(debian_mirror "$codename" | head -1)
    if [ -z "$codename" ] || [ -z "$mirror" ]; then
        echo "$tag: cannot find a Debian release and mirror in the apt setup" >&2
        return 1
    fi
    mkdir -p "$aptdir/lists/partial" "$aptdir/archives/partial" "$aptdir/parts" "$aptdir/prefs"
    : >"$aptdir/status"
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main non-free-firmware\nArchitectures: arm64\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$mirror" "$codename" >"$aptdir/parts/debian-arm64.sources"
    cat >"$aptdir/apt.conf" <<EOC
APT::Architecture "arm64";
APT::Architectures { "arm64"; };
APT::Sandbox::User "root";
Dir::State "$aptdir";
Dir::State::Lists "$aptdir/lists";
Dir::State::status "$aptdir/status";
Dir::Cache "$aptdir";
Dir::Cache::archives "$aptdir/archives";
Dir::Etc::sourcelist "/dev/null";
Dir::Etc::sourceparts "$aptdir/parts";
Dir::Etc::preferences "/dev/null";
Dir::Etc::preferencesparts "$aptdir/prefs";
EOC
    export APT_CONFIG=$aptdir/apt.conf
    echo "$tag: reading the arm64 package lists of $codename"
    apt-get update -qq
}
