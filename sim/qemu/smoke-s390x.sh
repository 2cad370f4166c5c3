#!/usr/bin/env bash
# sim/qemu/smoke-s390x.sh — end-to-end zfcpdump on the patched QEMU.
#
#   sim/qemu/smoke-s390x.sh [crash|operator|noobject|garbage|fcp-garbage] [WORKDIR]
#
#   crash     production kernel arms the FCP dump and panics; its DIAG 308
#             subcode 4 triggers the dump IPL (default)
#   operator  production kernel arms the dump and hangs; the host triggers
#             the dump IPL with HMP "dumpbench-s390 dump" over QMP
#   noobject  no -object: stock QEMU 7.2 behaviour (no dump_type fcp)
#   garbage   bare-metal guest (guest/garbage.c, needs s390x-linux-gnu-gcc)
#             feeding malformed SCCBs / IPL blocks; checks every
#             architected answer and that QEMU keeps running
#   fcp-garbage the same for the FCP adapter (guest/fcp-garbage.c with
#             -device dumpbench-fcp): malformed SIGA / CHSC SSQD / ESTABLISH
#             and ACTIVATE QUEUES, hostile SBALs + SIGA-w; exit 77 (SKIPPED)
#             when the QEMU has no dumpbench-fcp device
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
# Exit 0 when the dump kernel ran (garbage modes: every answer matched) and
# the check passed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
mode=${1:-crash}
work=${2:-$(mktemp -d /tmp/smoke-s390x.XXXXXX)}
mkdir -p "$work"
MEM=${MEM:-256}; SMP=${SMP:-2}; PROFILE=${PROFILE:-z15-32m}; TIMEOUT=${TIMEOUT:-900}
log() { echo "smoke-s390x: $*" >&2; }

if [ -z "${QEMU:-}" ]; then QEMU="$("$top/ci/build-qemu" | tail -1)/bin/qemu-system-s390x"; fi
if [ "$mode" = garbage ] || [ "$mode" = fcp-garbage ]; then
    src=garbage.c dev=(-object "dumpbench-s390,id=db0")
    if [ "$mode" = fcp-garbage ]; then
        # the QEMU must have the FCP adapter; without it the case is skipped
        if ! "$QEMU" ${QEMU_ARGS:-} -device help 2>&1 | grep -q '"dumpbench-fcp"'; then
            echo "fcp-garbage: SKIPPED: $QEMU has no -device dumpbench-fcp"; exit 77
        fi
        src=fcp-garbage.c
        truncate -s 1M "$work/lun0.img"
        dev=(-device "dumpbench-fcp,id=fcp0,devno=fe.0.0002,file0=$work/lun0.img,log=$work/fcp.log")
    fi
    s390x-linux-gnu-gcc -O2 -m64 -march=z10 -ffreestanding -fno-pic -no-pie -nostdlib \
        -static --param=min-pagesize=0 -Wall -Wextra -Wl,-Ttext=0x20000 -Wl,-e,_start \
        -Wl,--build-id=none -o "$work/$mode.elf" "$here/guest/$src"
    mon="$work/hmp.sock"; rm -f "$mon"
    "$QEMU" -M s390-ccw-virtio -m 128 -nodefaults -display none -serial none \
        -monitor "unix:$mon,server=on,wait=off" -action shutdown=pause \
        -kernel "$work/$mode.elf" "${dev[@]}" ${QEMU_ARGS:-} \
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
    python3 - "$mode" "$out" <<'PYEOF'
import sys
mode = sys.argv[1]
w = [int(x, 16) for x in sys.argv[2].split()]
if mode == "garbage":
    # guest/garbage.c: (name, expected); None = bit 0x02 set
    table = [
        ("evbuf len 5", 0x73f0), ("evbuf beyond SCCB", 0x73f0), ("SDIAS evbuf 40 bytes", 0x72f0),
        ("size query rc|status", 0x320), ("size query flags", 0x80),
        ("store fbn/blk_cnt ~0", 0x320), ("event qualifier 7", 0x40f0),
        ("SCCB in first 8K", 0x60000), ("SCCB unaligned", 0x60000),
        ("SCCB beyond memory", 0x50000), ("SCCB len 0xffff crosses page", 0x100),
        ("IPLB len 0", 0x402), ("IPLB len 5000", 0x402), ("IPLB version 1", 0x402),
        ("IPLB pbt 7", 0x402), ("SET unaligned", 0x60000), ("STORE nothing stored", 0x102),
        ("dump without dump IPLB", 0x102), ("release HSA running", 0x1), ("bits above EI", 0x60000),
        ("odd R1", 0x60000), ("SET FCP IPL block", 0x1), ("STORE it", 0x1), ("stored len", 644),
        ("Read SCP Info rc", 0x10), ("Read SCP Info byte 91", None), ("Read SCP Info hsa_size", 0),
        ("IPLB len 0xffffffff", 0x402), ("IPLB 4096, scp_data_len ~0", 0x402),
        ("IPLB 644, scp_data_len ~0", 0x402), ("SET 4096-byte IPLB, last page", 0x1),
        ("STORE it, last page", 0x1), ("stored len 4096", 4096),
        ("stored last byte", (4095 * 7) & 0xff), ("SET beyond memory", 0x50000),
        ("STORE beyond memory", 0x50000), ("SDIAS SCCB in last page", 0x320),
        ("SCCB crosses memory end", 0x100), ("SDIAS SCCB len 0", 0x60000),
        ("SDIAS SCCB len 8", 0x20), ("Read SCP Info len 16", 0x300),
        ("store asa ~0, blk_cnt ~0", 0x320), ("alive", 0x600d)]
else:
    # guest/fcp-garbage.c; CCW answers: dstat<<16|cstat<<8|sense0 (0x020080 =
    # unit check, concurrent sense byte 0 command reject; 0x0c0000 = CE|DE),
    # 0xdc000001 = TSCH cc 1 (no status pending);
    # kick: cc<<24 | SLSB<<16 | SBALF14<<8 | SBALF15 (0xaf = P_OUTPUT_ERROR,
    # SBALF 15 = fcp-model QDIO_SBALF15_*: 0x81 address, 0x82 length, 0x83 no
    # LAST_ENTRY, 0x84 chain, 0x85 no COMMAND, 0x86 SLSB state, 0x87 request)
    UC = 0x020080
    table = [
        ("FCP subchannel number", 0), ("SIGA GR1 0: operand exc", 0x150000),
        ("SIGA no such subchannel", 3), ("SIGA not enabled", 3),
        ("SSQD ok: code|len", 0x10028), ("SSQD flags|qdioac1", 0xc060),
        ("SSQD overlong request", 0x30008), ("SSQD fmt 1", 0x70008),
        ("SSQD first > last", 0x30008), ("SSQD no such sch", 0x10028), ("  its flags", 0),
        ("SSQD whole range", 0x10fe8), ("SSQD reserved bits", 0x30008), ("MSCH enable", 0),
        ("SIGA-w no queues", 3), ("SIGA QEBSM flag", 3), ("SIGA fc 7", 3),
        ("EQUEUE zero QDR", UC), ("EQUEUE QDR beyond memory", UC), ("EQUEUE count 8", UC),
        ("EQUEUE with IDA", UC), ("EQUEUE SLIB beyond memory", UC),
        ("AQUEUE without queues", UC), ("SENSE ID", 0x0c0000), ("  CU/dev type", 0x17311732),
        ("  CIWs EQUEUE/AQUEUE", 0x431b441f),
        ("EQUEUE out SLSB beyond memory", UC), ("EQUEUE SLSB unaligned at end", UC),
        ("EQUEUE SBAL 127 crosses end", UC), ("EQUEUE SLIB names other SLSB", UC),
        ("EQUEUE two output queues", UC), ("EQUEUE valid QDR", 0x0c0000),
        ("EQUEUE again (established)", UC), ("AQUEUE: no status", 0xdc000001),
        ("SIGA-w SBALE crosses mem end", 0xaf0181), ("SIGA-w SBALE addr wraps", 0xaf0181),
        ("SIGA-w SBALE len 2^32-1", 0xaf0182), ("SIGA-w SLSB junk 0x4f", 0xaf0086),
        ("SIGA-w no LAST_ENTRY", 0xaf0f83), ("SIGA-w MORE_SBALS unprimed", 0xaf0084),
        ("SIGA-w no COMMAND flag", 0xaf0085), ("SIGA-w req id only", 0xaf0087),
        ("SIGA-w 16-byte QTCB", 0xaf0087), ("SIGA-w nothing primed", 0),
        ("SIGA-r, nothing to deliver", 0), ("  junk input SLSB untouched", 0x4f),
        ("SIGA-w empty mask", 0), ("alive", 0x600d)]
w = w[:1 + (w[0] if w else 0)]
if not w or w[0] != len(table):
    print("%s: guest did not finish (%s)" % (mode, sys.argv[2])); sys.exit(1)
bad = 0
for i, (name, exp) in enumerate(table):
    got = w[1 + i]
    ok = (got & 0x02) != 0 if exp is None else got == exp
    bad += not ok
    print("  %-2d %-30s got 0x%-8x %s" % (i, name, got, "ok" if ok else "EXPECTED 0x%x" % (2 if exp is None else exp)))
print("%s: %s" % (mode, "CHECK OK (%d answers)" % len(table) if not bad else "CHECK FAILED (%d of %d)" % (bad, len(table))))
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
