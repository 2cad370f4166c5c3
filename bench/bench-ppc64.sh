#!/usr/bin/env bash
# bench-ppc64 — one real ppc64 fadump scenario on the patched QEMU
# (scenarios/ppc64/fadump-sysrq-crash.scn through `dumpbench run`) with its
# phases (boot, register, crash-to-second-boot, capture, verify), each next
# to a baseline measured in the same run: a plain boot of the same kernel
# and initramfs on the same QEMU without the dumpbench-spapr object (no
# ibm,configure-kernel-dump, so no fadump reservation), QEMU start to init.
# Skips (exit 0, says why) when QEMU, the kernel or the initramfs is missing.
#   PPC64_QEMU=path      qemu-system-ppc64 to use (default: ci/build-qemu's cached build)
#   PPC64_SCENARIO=file  another scenario
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. ci/lib/cache.sh
B=${B:-build}
scn=${PPC64_SCENARIO:-scenarios/ppc64/fadump-sysrq-crash.scn}
say() { echo "bench-ppc64: $*"; }
if [ -n "${PPC64_QEMU:-}" ]; then
    qemu=$PPC64_QEMU
else
    qemu="$(ci/build-qemu 2>/dev/null | tail -1)/bin/qemu-system-ppc64"
fi
[ -x "$qemu" ] || { say "SKIPPED: no patched qemu-system-ppc64 (ci/build-qemu)"; exit 0; }
data=${PPC64_QEMU_DATA:-$(cd "$(dirname "$qemu")/.." && pwd)/share/qemu}
[ -f "$data/vof.bin" ] || data=$(ls -d "$DB_CACHE"/qemu/*/share/qemu 2>/dev/null | head -1)
[ -f "$data/vof.bin" ] || { say "SKIPPED: no vof.bin next to $qemu"; exit 0; }
kernel=$(ls "$DB_CACHE"/kernel/fadump-ppc64le-*/vmlinux 2>/dev/null | tail -1)
[ -n "$kernel" ] && [ -f "$kernel" ] || { say "SKIPPED: no FA_DUMP kernel (ci/build-kernel fadump-ppc64le)"; exit 0; }
initrd=$(sim/guest/ppc64/mkinitrd.sh 2>/dev/null | tail -1)
[ -f "$initrd" ] || { say "SKIPPED: initramfs build failed (sim/guest/ppc64/mkinitrd.sh)"; exit 0; }
[ -x "$B/bin/dumpbench" ] || { say "SKIPPED: $B/bin/dumpbench not built"; exit 0; }

# ---- baseline: plain boot, same kernel/initramfs/machine, no fadump -------
run=$(mktemp -d)
trap 'rm -rf "$run"' EXIT
t0=$(date +%s.%N)
"$qemu" -L "$data" -nodefaults -no-user-config -M pseries,x-vof=on -accel tcg -cpu power9 \
    -m 3G -smp 2 -display none -chardev file,id=con,path="$run/plain.log" \
    -device spapr-vty,chardev=con -kernel "$kernel" -initrd "$initrd" \
    -append "console=hvc0 dbmode=harness" >/dev/null 2>&1 &
qpid=$!
plain=
for _ in $(seq 1 1200); do
    if grep -q '@@READY' "$run/plain.log" 2>/dev/null; then
        plain=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
        break
    fi
    kill -0 $qpid 2>/dev/null || break
    sleep 0.1
done
kill $qpid 2>/dev/null; wait $qpid 2>/dev/null
[ -n "$plain" ] || { tail -5 "$run/plain.log"; say "plain boot did not reach init"; exit 1; }

# ---- the scenario ---------------------------------------------------------
export DUMPBENCH_QEMU_PPC64="$qemu" DUMPBENCH_QEMU_PPC64_DATA="$data"
export DUMPBENCH_FADUMP_KERNEL="$kernel" DUMPBENCH_PPC64_INITRD="$initrd"
start=$(date +%s.%N)
out=$(nice -n 5 "$B/bin/dumpbench" run --no-reports --run-dir "$run/r" "$scn" 2>&1)
rc=$?
end=$(date +%s.%N)
[ $rc = 0 ] || { printf '%s\n' "$out" | tail -8; say "scenario failed (exit $rc)"; exit 1; }
phase() { printf '%s\n' "$out" | awk -v p="$1" '$1=="#" && $2=="phase" && $3==p":" {print $4; exit}'; }
total=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}')
printf '%-40s %10s %14s\n' "ppc64 fadump ($(basename "$scn" .scn))" "seconds" "/ plain boot"
printf '%-40s %10.1f %14s\n' "baseline: plain boot, no fadump" "$plain" "1.00"
for p in register boot crash-to-second-boot capture verify; do
    v=$(phase "$p")
    [ -n "$v" ] && printf '%-40s %10.1f %14.2f\n' "  $p" "$v" "$(awk -v v="$v" -v b="$plain" 'BEGIN{print v/b}')"
done
printf '%-40s %10.1f %14.2f\n' "whole scenario (wall)" "$total" "$(awk -v v="$total" -v b="$plain" 'BEGIN{print v/b}')"
echo "  (register: QEMU start to the kernel's registration message; boot: QEMU start to init;"
echo "   crash-to-second-boot: sysrq to the dump kernel's init, incl. the truth snapshot and the"
echo "   768 MiB boot-memory copy; capture: whole /proc/vmcore to the virtio disk; verify: C oracles)"
