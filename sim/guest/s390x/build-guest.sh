#!/usr/bin/env bash
# sim/guest/s390x/build-guest.sh OUT — the s390x guest of the harness's
# s390x QEMU backend (DUMPBENCH_S390X_GUEST=OUT):
#   OUT/vmlinuz    Debian's stock linux-image-*-s390x (production kernel;
#                  zfcpdump_defconfig has no MAGIC_SYSRQ)
#   OUT/initrd.gz  newc: Debian's static busybox, sim/guest/s390x/init,
#                  and /bin/dbcapture when sim/guest/capture/build.sh exists
#                  (the dump kernel then uses it instead of dd)
#   OUT/done       written last
# Packages are fetched once into $DUMPBENCH_CACHE/guest-s390x (needs
# `dpkg --add-architecture s390x`; same place as sim/qemu/smoke-s390x.sh).
# Prints OUT.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
out=${1:?usage: build-guest.sh OUT}
cache=${DUMPBENCH_CACHE:-/var/cache/dumpbench}/guest-s390x
log() { echo "build-guest-s390x: $*" >&2; }
fetch_deb() { # package -> extracted into $cache/$1
    [ -d "$cache/$1" ] && return 0
    mkdir -p "$cache/tmp"
    (cd "$cache/tmp" && apt-get download -q -o APT::Sandbox::User=root "$1:s390x" >/dev/null &&
     dpkg -x "$1"_*_s390x.deb "$cache/$1.tmp" && mv "$cache/$1.tmp" "$cache/$1")
}
kpkg=$(ls -d "$cache"/linux-image-*-s390x 2>/dev/null | head -1 || true)
if [ -z "$kpkg" ]; then
    pkg=$(apt-cache depends linux-image-s390x:s390x 2>/dev/null | sed -n 's/.*Depends: \(linux-image-[^:]*\).*/\1/p' | head -1)
    [ -n "$pkg" ] || { log "cannot resolve linux-image-s390x:s390x (dpkg --add-architecture s390x; apt-get update)"; exit 2; }
    fetch_deb "$pkg"
    kpkg="$cache/$pkg"
fi
fetch_deb busybox-static
mkdir -p "$out"
rm -f "$out/done"
cp "$(ls "$kpkg"/boot/vmlinuz-* | head -1)" "$out/vmlinuz"
root=$(mktemp -d /tmp/db-s390x-root.XXXXXX)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin"
cp "$cache/busybox-static/bin/busybox" "$root/bin/busybox"
cp "$here/init" "$root/init"
capture=none
if [ -x "$top/sim/guest/capture/build.sh" ] && [ "${DUMPBENCH_S390X_NO_DBCAPTURE:-0}" != 1 ]; then
    if "$top/sim/guest/capture/build.sh" s390x "$root/bin/dbcapture" >/dev/null 2>"$out/dbcapture-build.log" &&
       [ -x "$root/bin/dbcapture" ]; then
        capture=dbcapture
    else
        rm -f "$root/bin/dbcapture"
        log "dbcapture build failed (see $out/dbcapture-build.log); the dump kernel uses dd"
    fi
fi
# /bin/dbgcov: streams a gcov dump kernel's counters to the console
# (ci/coverage-kernel); a no-op on kernels without CONFIG_GCOV_KERNEL
[ ! -f "$top/sim/guest/dbgcov" ] || install -m 0755 "$top/sim/guest/dbgcov" "$root/bin/dbgcov"
# reproducible: fixed mtimes, device-independent cpio (no inode numbers), no
# gzip timestamp.  The initramfs is part of the crashed kernel's memory, so a
# rebuilt guest keeps the dump image (and DUMPBENCH_RECORD=script replays of
# older run dirs) unchanged; two builds give the same initrd.gz (measured).
find "$root" -exec touch -h -d @0 {} +
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 --reproducible | gzip -9n) > "$out/initrd.gz.tmp"
mv "$out/initrd.gz.tmp" "$out/initrd.gz"
echo "capture=$capture kernel=$(basename "$(ls "$kpkg"/boot/vmlinuz-* | head -1)")" > "$out/done"
echo "$out"
