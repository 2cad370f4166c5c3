#!/usr/bin/env bash
# sim/qemu/smoke-s390x.sh — end-to-end zfcpdump on the patched QEMU.
#
#   sim/qemu/smoke-s390x.sh [crash|operator|noobject] [WORKDIR]
#
#   crash     production kernel arms the FCP dump and panics; its DIAG 308
#             subcode 4 triggers the dump IPL (default)
#   operator  production kernel arms the dump and hangs; the host triggers
#             the dump IPL with HMP "dumpbench-s390 dump" over QMP
#   noobject  no -object: stock QEMU 7.2 behaviour (no dump_type fcp)
#   garbage   bare-metal guest (guest/garbage.c, needs s390x-linux-gnu-gcc)
#             feeding malformed SCCBs / IPL blocks; checks every
#             architected answer and that QEMU keeps running
#
# The dump kernel copies /proc/vmcore to a virtio disk at device 0.0.0002
# (the dump IPLB's device, so cio_ignore lets it through) and powers off;
# check-s390x-dump.py then compares it with the truth snapshot.
#
# Environment: QEMU (qemu-system-s390x; default from ci/build-qemu),
# DUMP_KERNEL (default: ci/build-kernel zfcpdump-s390x -> bzImage),
# PROD_KERNEL (default: Debian's stock linux-image-*-s390x, fetched into
# the cache), BUSYBOX (default: Debian busybox-static:s390x), MEM (MiB, 256),
# SMP (2), PROFILE (z15-32m), TIMEOUT (s, 900), QEMU_ARGS (extra options,
# e.g. -L DIR for s390-ccw.img with an uninstalled build).
# Exit 0 when the dump kernel ran and the check passed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
mode=${1:-crash}
work=${2:-$(mktemp -d /tmp/smoke-s390x.XXXXXX)}
mkdir -p "$work"
MEM=${MEM:-256}; SMP=${SMP:-2}; PROFILE=${PROFILE:-z15-32m}; TIMEOUT=${TIMEOUT:-900}
log() { echo "smoke-s390x: $*" >&2; }

if [ -z "${QEMU:-}" ]; then QEMU="$("$top/ci/build-qemu" | tail -1)/bin/qemu-system-s390x"; fi
if [ "$mode" = garbage ]; then
    s390x-linux-gnu-gcc -O2 -m64 -march=z10 -ffreestanding -fno-pic -no-pie -nostdlib \
        -static --param=min-pagesize=0 -Wall -Wextra -Wl,-Ttext=0x20000 -Wl,-e,_start \
        -Wl,--build-id=none -o "$work/garbage.elf" "$here/guest/garbage.c"
    mon="$work/hmp.sock"; rm -f "$mon"
    "$QEMU" -M s390-ccw-virtio -m 128 -nodefaults -display none -serial none \
        -monitor "unix:$mon,server=on,wait=off" -action shutdown=pause \
        -kernel "$work/garbage.elf" -object dumpbench-s390,id=db0 ${QEMU_ARGS:-} \
        >"$work/qemu.log" 2>&1 &
    qpid=$!
    trap 'kill $qpid 2>/dev/null || true' EXIT
    out=$(python3 - "$mon" <<'PYEOF'
import socket, sys, time, re
def hmp(cmd):
    s = socket.socket(socket.AF_UNIX)
    for _ in range(50):
        try:
            s.connect(sys.argv[1]); break
        except OSError:
            time.sleep(0.2)
    s.settimeout(1); buf = b""
    def rd():
        nonlocal buf
        try:
            while True:
                d = s.recv(65536)
                if not d: break
                buf += d
        except socket.timeout:
            pass
    rd(); buf = b""
    s.sendall((cmd + "\n").encode()); time.sleep(0.5); rd(); s.close()
    return buf.decode(errors="replace")
for _ in range(120):
    if "paused" in hmp("info status"):
        break
    time.sleep(0.5)
words = []
for line in hmp("xp /64wx 0x3ffc").splitlines():
    m = re.match(r"\s*0*([0-9a-f]+):((?:\s+0x[0-9a-f]+)+)", line)
    if m:
        words += [int(w, 16) for w in m.group(2).split()]
print(" ".join("%x" % w for w in words))
hmp("quit")
PYEOF
)
    wait $qpid 2>/dev/null || true
    trap - EXIT
    python3 - "$out" <<'PYEOF'
import sys
w = [int(x, 16) for x in sys.argv[1].split()]
names = ["evbuf len 5", "evbuf beyond SCCB", "SDIAS evbuf 40 bytes", "size query rc|status",
         "size query flags", "store fbn/blk_cnt ~0", "event qualifier 7", "SCCB in first 8K",
         "SCCB unaligned", "SCCB beyond memory", "SCCB len 0xffff crosses page",
         "IPLB len 0", "IPLB len 5000", "IPLB version 1", "IPLB pbt 7", "SET unaligned",
         "STORE nothing stored", "dump without dump IPLB", "release HSA running",
         "bits above EI", "odd R1", "SET FCP IPL block", "STORE it", "stored len",
         "Read SCP Info rc", "Read SCP Info byte 91", "Read SCP Info hsa_size",
         "IPLB len 0xffffffff", "IPLB 4096, scp_data_len ~0", "IPLB 644, scp_data_len ~0",
         "SET 4096-byte IPLB, last page", "STORE it, last page", "stored len 4096",
         "stored last byte", "SET beyond memory", "STORE beyond memory",
         "SDIAS SCCB in last page", "SCCB crosses memory end", "SDIAS SCCB len 0",
         "SDIAS SCCB len 8", "Read SCP Info len 16", "store asa ~0, blk_cnt ~0", "alive"]
want = [0x73f0, 0x73f0, 0x72f0, 0x320, 0x80, 0x320, 0x40f0, 0x60000, 0x60000, 0x50000,
        0x100, 0x402, 0x402, 0x402, 0x402, 0x60000, 0x102, 0x102, 0x1, 0x60000, 0x60000,
        0x1, 0x1, 644, 0x10, None, 0,
        0x402, 0x402, 0x402, 0x1, 0x1, 4096, (4095 * 7) & 0xff, 0x50000, 0x50000,
        0x320, 0x100, 0x60000, 0x20, 0x300, 0x320, 0x600d]
w = w[:1 + (w[0] if w else 0)]
if not w or w[0] != len(want):
    print("garbage: guest did not finish (%s)" % sys.argv[1]); sys.exit(1)
bad = 0
for i, (name, exp) in enumerate(zip(names, want)):
    got = w[1 + i]
    ok = (got & 0x02) != 0 if exp is None else got == exp
    bad += not ok
    print("  %-2d %-30s got 0x%-6x %s" % (i, name, got, "ok" if ok else "EXPECTED 0x%x" % (exp or 2)))
print("garbage: %s" % ("CHECK OK" if not bad else "CHECK FAILED (%d)" % bad))
sys.exit(1 if bad else 0)
PYEOF
    exit $?
fi
if [ -z "${DUMP_KERNEL:-}" ]; then DUMP_KERNEL="$("$top/ci/build-kernel" zfcpdump-s390x | tail -1)/bzImage"; fi
# Debian's s390x packages (stock production kernel, static busybox),
# fetched once into the cache.  Needs `dpkg --add-architecture s390x`.
guest_cache=${DUMPBENCH_CACHE:-/var/cache/dumpbench}/guest-s390x
fetch_deb() { # package -> extracted into $guest_cache/$1
    [ -d "$guest_cache/$1" ] && return 0
    mkdir -p "$guest_cache/tmp"
    (cd "$guest_cache/tmp" && apt-get download -q -o APT::Sandbox::User=root "$1:s390x" >/dev/null &&
     dpkg -x "$1"_*_s390x.deb "$guest_cache/$1.tmp" && mv "$guest_cache/$1.tmp" "$guest_cache/$1")
}
if [ -z "${PROD_KERNEL:-}" ]; then
    # zfcpdump_defconfig has no MAGIC_SYSRQ: crash Debian's stock kernel.
    pkg=$(apt-cache depends linux-image-s390x:s390x 2>/dev/null | sed -n 's/.*Depends: \(linux-image-[^:]*\).*/\1/p' | head -1)
    [ -n "$pkg" ] || { log "cannot resolve linux-image-s390x:s390x (dpkg --add-architecture s390x; apt-get update)"; exit 2; }
    fetch_deb "$pkg"
    PROD_KERNEL=$(ls "$guest_cache/$pkg"/boot/vmlinuz-* | head -1)
fi
if [ -z "${BUSYBOX:-}" ]; then
    fetch_deb busybox-static
    BUSYBOX="$guest_cache/busybox-static/bin/busybox"
fi
for f in "$QEMU" "$DUMP_KERNEL" "$PROD_KERNEL" "$BUSYBOX"; do
    [ -e "$f" ] || { log "missing $f"; exit 2; }
done

# initramfs (newc): busybox + init.sh, shared by both kernels
rm -rf "$work/rootfs"; mkdir -p "$work/rootfs/bin"
cp "$BUSYBOX" "$work/rootfs/bin/busybox"
cp "$here/guest/init.sh" "$work/rootfs/init"
(cd "$work/rootfs" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -9) > "$work/initrd.gz"

rm -f "$work/dump.img" "$work/truth.bin" "$work/console.log"
truncate -s $((MEM + 64))M "$work/dump.img"
obj=()
if [ "$mode" != noobject ]; then
    obj=(-object "dumpbench-s390,id=db0,profile=$PROFILE,dump-kernel=$DUMP_KERNEL,dump-initrd=$work/initrd.gz,dump-cmdline=console=ttysclp0 dbrelease=1,truth=$work/truth.bin,dump-devno=2")
fi
pmode=crash; [ "$mode" = operator ] && pmode=hang
qmp="$work/qmp.sock"; rm -f "$qmp"

start=$(date +%s.%N)
"$QEMU" -M s390-ccw-virtio -m "$MEM" -smp "$SMP" -nodefaults -display none \
    -serial "file:$work/console.log" -qmp "unix:$qmp,server=on,wait=off" \
    -kernel "$PROD_KERNEL" -initrd "$work/initrd.gz" \
    -append "console=ttysclp0 dbmode=$pmode dbdev=0.0.0002" \
    -drive "file=$work/dump.img,format=raw,if=none,id=dump0" \
    -device virtio-blk-ccw,drive=dump0,devno=fe.0.0002 \
    "${obj[@]}" -no-reboot ${QEMU_ARGS:-} >"$work/qemu.log" 2>&1 &
qpid=$!
trap 'kill $qpid 2>/dev/null || true' EXIT

wait_for() { # pattern timeout
    local end=$(( $(date +%s) + $2 ))
    while [ "$(date +%s)" -lt "$end" ]; do
        grep -q "$1" "$work/console.log" 2>/dev/null && return 0
        kill -0 $qpid 2>/dev/null || { grep -q "$1" "$work/console.log" 2>/dev/null; return; }
        sleep 1
    done
    return 1
}
elapsed() { awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { printf "%.1f", a - b }'; }

if ! wait_for "DUMPBENCH: armed\|DUMPBENCH: no /sys/firmware/dump\|dump_type fcp rejected" "$TIMEOUT"; then
    log "production kernel did not come up (see $work/console.log)"; exit 1
fi
log "production kernel up after $(elapsed) s: $(grep -a 'DUMPBENCH: armed\|no /sys/firmware/dump\|rejected' "$work/console.log" | head -1)"
if [ "$mode" = noobject ]; then
    if grep -q "dump_type fcp rejected\|no /sys/firmware/dump" "$work/console.log"; then
        log "RESULT stock behaviour: no fcp dump without the object"; exit 0
    fi
    log "RESULT unexpected: fcp dump accepted without the object"; exit 1
fi
if [ "$mode" = operator ]; then
    wait_for "DUMPBENCH: hanging" 60 || { log "guest did not reach the hang"; exit 1; }
    sleep 2
    python3 - "$qmp" <<'EOF'
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rw")
f.readline()
for cmd in ({"execute": "qmp_capabilities"},
            {"execute": "human-monitor-command", "arguments": {"command-line": "dumpbench-s390 dump"}}):
    f.write(json.dumps(cmd) + "\n"); f.flush()
    while True:
        r = json.loads(f.readline())
        if "event" not in r:
            break
    print("qmp:", r, file=sys.stderr)
EOF
fi
if ! wait_for "DUMPBENCH: RESULT" "$TIMEOUT"; then
    log "dump kernel did not finish (see $work/console.log, $work/qemu.log)"; exit 1
fi
log "dump kernel finished after $(elapsed) s"
wait $qpid || true
trap - EXIT
grep -a "DUMPBENCH" "$work/console.log" | sed 's/^/  /' >&2
grep -q "RESULT dump done" "$work/console.log" || exit 1
python3 "$here/check-s390x-dump.py" "$work/truth.bin" "$work/dump.img"
