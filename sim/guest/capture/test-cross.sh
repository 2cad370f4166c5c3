#!/usr/bin/env bash
# sim/guest/capture/test-cross.sh [B] -- cross-check the s390x and ppc64le
# dbcapture binaries under qemu-user (qemu-s390x-static, qemu-ppc64le-static)
# against the sim: the s390-format-s390 scenario is re-run with format=elf,
# each binary converts that ELF vmcore with --format s390 and must produce
# the stored golden scenarios/golden/s390-format-s390 byte for byte; the
# verbatim ELF copy must equal the ELF.  Needs build B (default build) with
# dumpbench, zstd, the cross compilers and qemu-user-static
# (ci/packages/s390x.list, ppc64.list).  Exit 0 all equal, 1 a difference,
# 77 a prerequisite is missing (printed as SKIPPED with the reason).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
B=${1:-build}
cd "$root"
for t in zstd qemu-s390x-static qemu-ppc64le-static s390x-linux-gnu-gcc powerpc64le-linux-gnu-gcc; do
    command -v "$t" >/dev/null 2>&1 || { echo "SKIPPED: $t not installed"; exit 77; }
done
[ -x "$B/bin/dumpbench" ] || { echo "SKIPPED: $B/bin/dumpbench not built"; exit 77; }
work=$(mktemp -d /tmp/dbcapture-cross.XXXXXX)
trap 'rm -rf "$work"' EXIT
sed -e 's/^scenario s390-format-s390/scenario capture-cross-elf/' -e 's/format=s390/format=elf/' \
    -e '/^expect golden/d' scenarios/sim/s390-format-s390.scn > "$work/elf.scn"
"$B/bin/dumpbench" run --backend sim --no-reports --run-dir "$work/run" "$work/elf.scn" >"$work/sim.log" 2>&1 ||
    { cat "$work/sim.log"; echo "FAIL: sim run of the ELF variant"; exit 1; }
elf="$work/run/dump.img"
zstd -qdc scenarios/golden/s390-format-s390.img.zst > "$work/golden.img"
glen=$(stat -c %s "$work/golden.img")
elen=$(stat -c %s "$elf")
rc=0
for arch in s390x ppc64le; do
    "$here/build.sh" "$arch" "$work/dbcapture.$arch" >/dev/null
    for fmt in s390 elf; do
        if [ $fmt = s390 ]; then want="$work/golden.img" len=$glen; else want="$elf" len=$elen; fi
        disk="$work/disk.$arch.$fmt"
        truncate -s $((len + 4096)) "$disk"
        start=$(date +%s.%N)
        out=$("qemu-$arch-static" "$work/dbcapture.$arch" --format $fmt "$elf" "$disk") || true
        t=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
        last=$(printf '%s\n' "$out" | tail -1)
        if cmp -s -n "$len" "$disk" "$want" && [[ "$last" == "DBCAPTURE: RESULT complete bytes=$len "* ]]; then
            echo "ok: $arch --format $fmt: $len bytes identical (${t}s under qemu-user)"
        else
            echo "FAIL: $arch --format $fmt: $last"; rc=1
        fi
    done
done
exit $rc
