#!/usr/bin/env bash
# bench-s390x — one real IBM Z zfcpdump scenario on the patched QEMU
# (scenarios/s390x/zfcpdump-crash.scn, 256 MiB, 2 CPUs, TCG) with its
# phases: boot (QEMU start to the guest's shell: the plain-boot baseline of
# the same guest, measured in this run), crash-to-dump-kernel (panic, DIAG
# 308 dump IPL, truth snapshot, zfcpdump kernel up), capture (/proc/vmcore
# through SDIAS/HSA onto the dump disk) and verify (C oracles), then the
# dump path as a ratio to the plain boot and the capture throughput.
# Prerequisites as ci/real-s390x (DUMPBENCH_QEMU_S390X etc., or the cached
# builds); skips (exit 0, says why) when one is unavailable.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. ci/lib/cache.sh
B=${B:-build}
scn=scenarios/s390x/zfcpdump-crash.scn
say() { echo "bench-s390x: $*"; }
. bench/lib-s390x.sh
bench_s390x_prereqs || exit 0
run=$(mktemp -d)
start=$(date +%s.%N)
out=$("$B/bin/dumpbench" run --run-dir "$run/r" "$scn" 2>&1)
rc=$?
end=$(date +%s.%N)
rm -rf "$run"
[ $rc = 77 ] && { printf '%s\n' "$out" | grep -m1 SKIP; say "SKIPPED"; exit 0; }
[ $rc = 0 ] || { printf '%s\n' "$out" | tail -8; say "scenario failed (exit $rc)"; exit 1; }
phase() { printf '%s\n' "$out" | awk -v p="$1" '$1=="#" && $2=="phase" && $3==p":" {print $4; exit}'; }
boot=$(phase boot); c2d=$(phase crash-to-dump-kernel); cap=$(phase capture)
total=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}')
printf '%-40s %10s\n' "s390x zfcpdump (256 MiB, 2 CPUs, TCG)" "seconds"
printf '%-40s %10.1f\n' "plain boot of the same guest (baseline)" "$boot"
for p in crash-to-dump-kernel capture verify; do
    v=$(phase $p); [ -n "$v" ] && printf '%-40s %10.1f\n' "  $p" "$v"
done
printf '%-40s %10s\n' "whole scenario (wall)" "$total"
awk -v c="$c2d" -v k="$cap" -v b="$boot" 'BEGIN{ if (b > 0) printf "%-40s %10.2f\n", "ratio dump path (crash..captured) / boot", (c+k)/b;
    if (k > 0) printf "%-40s %10.1f\n", "capture throughput MiB/s (256 MiB)", 256/k }'
