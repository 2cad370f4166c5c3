#!/usr/bin/env bash
# bench-s390x-fcp — throughput of one 512 MiB IBM Z zfcpdump over the
# emulated FCP adapter (-device dumpbench-fcp, zfcp + SCSI disk in the dump
# kernel) next to the same dump over virtio-blk-ccw at the same device
# number, measured in the same run on the patched QEMU (TCG, 2 CPUs).
# Both are the same scenario (sysrq crash on CPU 1, every page and register
# checked by the harness) differing only in `dump transport=`.  The rate is
# the dump kernel's own measurement (@@CAPTURE-TIME from
# sim/guest/s390x/init: /proc/vmcore copied to the disk, plus dbcapture's
# read-back when the guest has dbcapture), i.e. MiB of vmcore per second of
# guest uptime; FCP adds the adapter/port/LUN bring-up, printed apart.
# Prerequisites as ci/real-s390x (DUMPBENCH_QEMU_S390X, ..._ZFCPDUMP_KERNEL,
# ..._ZFCPDUMP_FCP_KERNEL, ..._S390X_GUEST, or the cached builds); skips
# (exit 0, says why) when one is unavailable.  BENCH_S390X_FCP_MEM=SIZE
# (default 512M) changes the guest memory.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. ci/lib/cache.sh
B=${B:-build}
mem=${BENCH_S390X_FCP_MEM:-512M}
say() { echo "bench-s390x-fcp: $*"; }
. bench/lib-s390x.sh
bench_s390x_prereqs fcp || exit 0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
declare -A rate secs bytes fcpup
for t in virtio fcp; do
    cat > "$work/$t.scn" <<SCN
scenario bench-s390x-$t
description "bench: $mem zfcpdump over $t"
backend qemu
machine arch=s390x memory=$mem cpus=2 profile=z15-32m seed=0x53900b0
dump method=zfcpdump format=elf transport=$t
step boot
step crash cpu=1
step capture
expect outcome complete
SCN
    out=$("$B/bin/dumpbench" run --no-reports --run-dir "$work/r-$t" "$work/$t.scn" 2>&1)
    rc=$?
    [ $rc = 77 ] && { printf '%s\n' "$out" | grep -m1 SKIP; say "SKIPPED ($t)"; exit 0; }
    [ $rc = 0 ] || { printf '%s\n' "$out" | tail -8; say "$t scenario failed (exit $rc, run dir kept in $work/r-$t)"; trap - EXIT; exit 1; }
    l=$(grep -m1 'capture throughput:' "$work/r-$t/backend.log")
    [ -n "$l" ] || { say "$t: no capture throughput line in the backend log"; exit 1; }
    rate[$t]=$(printf '%s\n' "$l" | sed -n 's/.*capture throughput: \([0-9.]*\) MiB\/s.*/\1/p')
    bytes[$t]=$(printf '%s\n' "$l" | sed -n 's/.*(\([0-9]*\) bytes in.*/\1/p')
    secs[$t]=$(printf '%s\n' "$l" | sed -n 's/.* bytes in \([0-9.]*\) s guest time.*/\1/p')
    fcpup[$t]=$(grep -m1 '@@FCP lun .*total_seconds=' "$work/r-$t/backend.log" | sed -n 's/.*total_seconds=\([0-9.]*\).*/\1/p')
done
printf '%-48s %12s %10s %10s\n' "s390x zfcpdump $mem, 2 CPUs, TCG" "vmcore MiB" "seconds" "MiB/s"
for t in virtio fcp; do
    printf '%-48s %12.1f %10.2f %10.1f\n' "  dump disk over $t" "$(awk -v b="${bytes[$t]}" 'BEGIN{print b/1048576}')" "${secs[$t]}" "${rate[$t]}"
done
[ -n "${fcpup[fcp]}" ] && printf '%-48s %12s %10.2f\n' "  FCP bring-up (online, port, LUN; not in MiB/s)" "" "${fcpup[fcp]}"
awk -v f="${rate[fcp]}" -v v="${rate[virtio]}" 'BEGIN{ if (v > 0) printf "%-48s %12s %10s %10.2f\n", "ratio FCP / virtio throughput", "", "", f/v }'
