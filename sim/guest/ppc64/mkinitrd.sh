#!/usr/bin/env bash
# sim/guest/ppc64/mkinitrd.sh — build (cached by content) the ppc64le
# initramfs the harness backend boots (DUMPBENCH_PPC64_INITRD): busybox-static
# (ppc64el, fetched once like smoke.sh does), init.sh as /init, and
# sim/guest/capture's static dbcapture when sim/guest/capture/build.sh exists,
# and sim/guest/dbgcov as /bin/dbgcov (streams the gcov counters of a
# ci/build-kernel fadump-ppc64le-gcov kernel to the console; a no-op on
# kernels without gcov).
# Prints the initrd path on the last line.
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
here="$top/sim/guest/ppc64"
. "$top/ci/lib/cache.sh"
log() { echo "mkinitrd-ppc64: $*" >&2; }
bbdir="$DB_CACHE/ppc64-busybox"
if [ ! -x "$bbdir/root/bin/busybox" ]; then
    log "fetching busybox-static:ppc64el"
    if ! dpkg --print-foreign-architectures | grep -qx ppc64el; then
        dpkg --add-architecture ppc64el
        apt-get update -q >/dev/null
    fi
    rm -rf "$bbdir.tmp"; mkdir -p "$bbdir.tmp"
    (cd "$bbdir.tmp" && apt-get download -q -o APT::Sandbox::User=root busybox-static:ppc64el >/dev/null 2>&1) || {
        apt-get update -q >/dev/null
        (cd "$bbdir.tmp" && apt-get download -q -o APT::Sandbox::User=root busybox-static:ppc64el >/dev/null)
    }
    dpkg -x "$bbdir.tmp"/busybox-static_*.deb "$bbdir.tmp/root"
    rm -rf "$bbdir"; mv "$bbdir.tmp" "$bbdir"
fi
cap=
if [ -x "$top/sim/guest/capture/build.sh" ] && [ "${NO_DBCAPTURE:-0}" != 1 ]; then
    capdir="$DB_CACHE/ppc64-harness/dbcapture"
    mkdir -p "$capdir"
    if cap=$("$top/sim/guest/capture/build.sh" ppc64le "$capdir/dbcapture" 2>"$capdir/build.log" | tail -1) &&
        [ -x "$cap" ]; then
        log "dbcapture: $cap"
    else
        log "sim/guest/capture/build.sh failed (see $capdir/build.log): dd fallback"
        cap=
    fi
fi
dbgcov="$top/sim/guest/dbgcov"
ikey=$( { cat "$here/init.sh" "$bbdir/root/bin/busybox"; [ ! -f "$dbgcov" ] || cat "$dbgcov"; [ -z "$cap" ] || cat "$cap"; } | sha256sum | cut -c1-12)
mkdir -p "$DB_CACHE/ppc64-harness"
initrd="$DB_CACHE/ppc64-harness/initrd-$ikey.cpio.gz"
if [ ! -f "$initrd" ]; then
    stage=$(mktemp -d)
    mkdir -p "$stage/bin" "$stage/dev" "$stage/proc" "$stage/sys" "$stage/tmp"
    cp "$bbdir/root/bin/busybox" "$stage/bin/busybox"
    ln -s busybox "$stage/bin/sh"
    [ -z "$cap" ] || install -m 0755 "$cap" "$stage/bin/dbcapture"
    [ ! -f "$dbgcov" ] || install -m 0755 "$dbgcov" "$stage/bin/dbgcov"
    install -m 0755 "$here/init.sh" "$stage/init"
    mknod "$stage/dev/console" c 5 1
    (cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9) > "$initrd.tmp"
    mv "$initrd.tmp" "$initrd"; rm -rf "$stage"
fi
echo "$initrd"
