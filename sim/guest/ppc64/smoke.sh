#!/usr/bin/env bash
# sim/guest/ppc64/smoke.sh [crash|nmi] — end-to-end fadump smoke test of the
# patched QEMU 7.2 pseries (dumpbench-spapr object, libphyp) with the
# FA_DUMP guest kernel from ci/build-kernel fadump-ppc64le.
#
#   boot 1   kernel registers (rtas fadump: Registration is successful!)
#   crash    "crash": echo c > /proc/sysrq-trigger     (panic -> ibm,os-term)
#            "nmi":   user-space busy loop + monitor "nmi" (system reset)
#   QEMU     truth snapshot, libphyp dump, memory-preserving reset
#   boot 2   "Firmware-assisted dump is active", /proc/vmcore; the guest
#            hashes the first DB_HASH_MB MiB of the crashed kernel's memory
#            through /proc/vmcore, compared here with the truth snapshot;
#            release_mem (INVALIDATE), re-register, reboot
#   boot 3   registers again, no dump active; quit
#
# Environment (all optional):
#   QEMU=path/qemu-system-ppc64   default: $(ci/build-qemu)/bin/qemu-system-ppc64
#   QEMU_DATA=dir with vof.bin    default: next to QEMU's prefix, else the
#                                 qemu-system-data blobs ci/build-qemu unpacks
#   KERNEL=path/vmlinux           default: $(ci/build-kernel fadump-ppc64le)/vmlinux
#   MEM=3G SMP=2 BOOTMEM=768M PROFILE=phyp-default DB_HASH_MB=64
#   T_STEP=600 (seconds allowed per milestone)   OUT=run directory
#   KEEP=1 keeps the RAM-sized truth file after a passing run
# Exit 0 when every check passes.  Milestone timings are printed at the end.
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
here="$top/sim/guest/ppc64"
. "$top/ci/lib/cache.sh"

mode=${1:-crash}
case "$mode" in crash|nmi) ;; *) echo "usage: $0 [crash|nmi]" >&2; exit 2 ;; esac
MEM=${MEM:-3G}; SMP=${SMP:-2}; BOOTMEM=${BOOTMEM:-768M}
PROFILE=${PROFILE:-phyp-default}; DB_HASH_MB=${DB_HASH_MB:-64}; T_STEP=${T_STEP:-600}
log() { echo "smoke-ppc64: $*" >&2; }

if [ -z "${QEMU:-}" ]; then
    prefix=$("$top/ci/build-qemu" | tail -1)
    QEMU="$prefix/bin/qemu-system-ppc64"
fi
if [ -z "${QEMU_DATA:-}" ]; then
    QEMU_DATA=$(cd "$(dirname "$QEMU")/.." && pwd)/share/qemu
    [ -f "$QEMU_DATA/vof.bin" ] || QEMU_DATA=$(ls -d "$DB_CACHE"/qemu-data-*/usr/share/qemu 2>/dev/null | head -1)
fi
[ -f "$QEMU_DATA/vof.bin" ] || { log "no vof.bin (set QEMU_DATA)"; exit 1; }
if [ -z "${KERNEL:-}" ]; then
    KERNEL="$("$top/ci/build-kernel" fadump-ppc64le | tail -1)/vmlinux"
fi
[ -x "$QEMU" ] && [ -f "$KERNEL" ] || { log "missing QEMU ($QEMU) or KERNEL ($KERNEL)"; exit 1; }

# ---- initramfs: busybox-static (ppc64el) + init.sh ------------------------
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
ikey=$(cat "$here/init.sh" "$bbdir/root/bin/busybox" | sha256sum | cut -c1-12)
initrd="$DB_CACHE/ppc64-initrd-$ikey.cpio.gz"
if [ ! -f "$initrd" ]; then
    stage=$(mktemp -d)
    mkdir -p "$stage/bin" "$stage/dev" "$stage/proc" "$stage/sys" "$stage/tmp"
    cp "$bbdir/root/bin/busybox" "$stage/bin/busybox"
    ln -s busybox "$stage/bin/sh"
    install -m 0755 "$here/init.sh" "$stage/init"
    mknod "$stage/dev/console" c 5 1
    (cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9) > "$initrd.tmp"
    mv "$initrd.tmp" "$initrd"; rm -rf "$stage"
fi

# ---- run ------------------------------------------------------------------
out=${OUT:-"$DB_CACHE/ppc64-smoke/$mode"}
rm -rf "$out"; mkdir -p "$out"
con="$out/con"; mon="$out/mon"
mkfifo "$con.in" "$con.out" "$mon.in" "$mon.out"
truth="$out/truth.bin"
t0=${EPOCHREALTIME/./}
now() { local t=${EPOCHREALTIME/./}; t=$(( (t - t0) / 10000 )); printf '%d.%02d' $((t / 100)) $((t % 100)); }

setsid "$QEMU" -L "$QEMU_DATA" -M pseries,x-vof=on -accel tcg -cpu power9 \
    -m "$MEM" -smp "$SMP" -nodefaults -nographic -display none \
    -chardev pipe,id=con,path="$con" -device spapr-vty,chardev=con \
    -chardev pipe,id=mon,path="$mon" -mon chardev=mon,mode=readline \
    -object dumpbench-spapr,id=db1,profile="$PROFILE",truth="$truth" \
    -kernel "$KERNEL" -initrd "$initrd" \
    -append "console=hvc0 fadump=on crashkernel=$BOOTMEM dbhash=$DB_HASH_MB" \
    >"$out/qemu.log" 2>&1 &
qpid=$!
exec 7>"$con.in" 8>"$mon.in"
( while IFS= read -r l; do printf '%s %s\n' "$(now)" "${l%$'\r'}"; done <"$con.out" >"$out/console.log" ) &
rpid=$!
( cat "$mon.out" >"$out/monitor.log" ) &
mpid=$!
cleanup() {
    kill "$qpid" 2>/dev/null || true
    sleep 0.5
    kill "$rpid" "$mpid" 2>/dev/null || true
}
trap cleanup EXIT

fails=0
declare -a marks=()
mark() { marks+=("$(printf '%-34s %8s s' "$1" "$(now)")"); }
t() { if "$@"; then echo 0; else echo 1; fi; }   # exit status as text (set -e safe)
check() { # check NAME CONDITION-RESULT
    if [ "$2" = 0 ]; then log "PASS $1"; else log "FAIL $1"; fails=$((fails + 1)); fi
}
# wait_for PATTERN [NTH]: until the console log has NTH (default 1) lines
# matching PATTERN; 1 on timeout or QEMU exit.
wait_for() {
    local pat=$1 nth=${2:-1} end=$((SECONDS + T_STEP))
    while [ $SECONDS -lt $end ]; do
        [ "$(grep -c -- "$pat" "$out/console.log" 2>/dev/null || true)" -ge "$nth" ] && return 0
        kill -0 "$qpid" 2>/dev/null || { log "QEMU exited"; return 1; }
        sleep 0.5
    done
    log "timeout waiting for '$pat' (#$nth)"
    return 1
}
step() { # step NAME PATTERN [NTH]: wait, check, mark; abort on failure
    if wait_for "$2" "${3:-1}"; then check "$1" 0; mark "$1"; else
        check "$1" 1; tail -30 "$out/console.log" >&2; tail -5 "$out/qemu.log" >&2; exit 1; fi
}

step "boot1: registered" "rtas fadump: Registration is successful"
step "boot1: init ready" "DUMPBENCH: ready"
if [ "$mode" = crash ]; then
    echo crash >&7
else
    echo hang >&7
    wait_for "DUMPBENCH: hanging" || true
    sleep 2
    echo nmi >&8
fi
mark "crash requested"
step "boot2: dump active" "rtas fadump: Firmware-assisted dump is active"
dtb() { # dtb FILE: current device tree via the monitor
    rm -f "$1"; echo "dumpdtb $1" >&8
    for _ in $(seq 1 40); do [ -s "$1" ] && break; sleep 0.25; done; sleep 0.5
}
if command -v fdtget >/dev/null; then
    dtb "$out/dump.dtb"
    kd=$(fdtget -t bx "$out/dump.dtb" /rtas ibm,kernel-dump 2>/dev/null | cut -d' ' -f1-8)
    check "DT ibm,kernel-dump: version 1, 3 sections, status 0xC000 ($kd)" "$(t [ "$kd" = "0 0 0 1 0 3 c0 0" ])"
fi
step "boot2: vmcore present" "DUMPBENCH: vmcore present"
step "boot2: vmcore hashed" "DUMPBENCH: md5 first"
check "qemu: dump taken at os-term" "$(t grep -q "firmware-assisted dump taken" "$out/qemu.log")"

# Truth snapshot: header and the first DB_HASH_MB MiB of RAM vs /proc/vmcore.
if [ -f "$truth" ]; then
    be_at() { echo $((0x$(od -A n -t x1 -j "$1" -N "$2" "$truth" | tr -d ' \n'))); }
    magic=$(head -c 8 "$truth")
    check "truth: magic DBPPC64T" "$(t [ "$magic" = DBPPC64T ])"
    ncpu=$(be_at 16 4)
    check "truth: $ncpu CPU records (want $SMP)" "$(t [ "$ncpu" = "$SMP" ])"
    ramoff=$(be_at 32 8)
    want=$(dd if="$truth" bs=4096 skip=$((ramoff / 4096)) count=$((DB_HASH_MB * 256)) 2>/dev/null | md5sum | cut -d' ' -f1)
    got=$(sed -n 's/.*DUMPBENCH: md5 first [0-9]*MiB \([0-9a-f]*\).*/\1/p' "$out/console.log" | head -1)
    check "vmcore first ${DB_HASH_MB} MiB == truth RAM ($got)" "$(t [ -n "$got" -a "$got" = "$want" ])"
    if command -v python3 >/dev/null; then
        if python3 "$here/check-notes.py" "$out/console.log" "$truth" >"$out/notes.txt" 2>&1; then r=0; else r=1; fi
        check "vmcore CPU notes == truth registers ($(head -1 "$out/notes.txt"))" "$r"
    else
        log "python3 missing: CPU note check skipped"
    fi
else
    check "truth snapshot written" 1
fi
step "boot2: release_mem" "DUMPBENCH: release_mem ok"
check "boot2: /proc/vmcore gone after release" "$(t grep -q "DUMPBENCH: vmcore gone" "$out/console.log")"
step "boot2: re-register after INVALIDATE" "DUMPBENCH: reregister ok"
step "boot3: registered" "rtas fadump: Registration is successful" 3
step "boot3: init ready" "DUMPBENCH: ready" 2
active=$(grep -c "rtas fadump: Firmware-assisted dump is active" "$out/console.log" || true)
check "boot3: no dump active after INVALIDATE (seen $active x)" "$(t [ "$active" = 1 ])"
if command -v fdtget >/dev/null; then
    dtb "$out/boot3.dtb"
    kd=$(fdtget -t bx "$out/boot3.dtb" /rtas ibm,kernel-dump 2>/dev/null || echo absent)
    check "boot3: DT has no ibm,kernel-dump" "$(t [ "$kd" = absent ])"
fi
echo quit >&7
wait_for "DUMPBENCH: poweroff" || true
for _ in $(seq 1 60); do kill -0 "$qpid" 2>/dev/null || break; sleep 0.5; done
mark "poweroff"

log "timings ($mode, -m $MEM -smp $SMP, crashkernel=$BOOTMEM, TCG):"
for m in "${marks[@]}"; do log "  $m"; done
log "logs in $out"
[ $fails = 0 ] || { log "$fails check(s) failed (truth kept: $truth)"; exit 1; }
[ "${KEEP:-0}" = 1 ] || rm -f "$truth"     # RAM-sized; KEEP=1 keeps it
log "all checks passed"
