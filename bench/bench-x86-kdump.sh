#!/usr/bin/env bash
# bench-x86-kdump — one real x86_64 kdump scenario's wall time next to a
# plain boot of the same guest (the backend's "boot" phase: QEMU start to
# the guest's shell prompt, nothing else), with the other phases.
# Skips (exit 0, says why) when QEMU or the guest build is unavailable.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
B=${B:-build}
scn=scenarios/x86_64/kdump-sysrq-crash.scn
say() { echo "bench-x86-kdump: $*"; }
command -v qemu-system-x86_64 >/dev/null 2>&1 || ci/setup x86_64 >/dev/null 2>&1 || true
command -v qemu-system-x86_64 >/dev/null 2>&1 || { say "SKIPPED: qemu-system-x86_64 not installed"; exit 0; }
guest=$(ci/guest-x86_64 2>/dev/null | tail -1)
[ -n "$guest" ] && [ -f "$guest/done" ] || { say "SKIPPED: x86_64 guest build failed (ci/guest-x86_64)"; exit 0; }
export DUMPBENCH_GUEST_X86_64=$guest
run=$(mktemp -d)
start=$(date +%s.%N)
out=$("$B/bin/dumpbench" run --run-dir "$run/r" "$scn" 2>&1)
rc=$?
end=$(date +%s.%N)
rm -rf "$run"
[ $rc = 0 ] || { printf '%s\n' "$out" | tail -5; say "scenario failed (exit $rc)"; exit 1; }
phase() { printf '%s\n' "$out" | awk -v p="$1" '$1=="#" && $2=="phase" && $3==p":" {print $4; exit}'; }
boot=$(phase boot); total=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}')
printf '%-34s %10s\n' "x86_64 kdump (sysrq crash)" "seconds"
printf '%-34s %10.1f\n' "plain boot of the same guest" "$boot"
for p in crash truth capture verify; do
    v=$(phase $p); [ -n "$v" ] && printf '%-34s %10.1f\n' "  $p" "$v"
done
printf '%-34s %10s\n' "whole scenario (wall)" "$total"
awk -v t="$total" -v b="$boot" 'BEGIN{ if (b > 0) printf "%-34s %10.2f\n", "ratio scenario / plain boot", t/b }'
