#!/usr/bin/env bash
# sim/guest/ppc64/mkpatches.sh DEVTREE [PRISTINE] — regenerate the ppc64
# part (02xx) of sim/qemu/patches/ from a QEMU 7.2 tree edited in place
# (diff -u per file, a/ b/ paths for patch -p1).  Touches only 02*-ppc-*.patch;
# new files live in sim/qemu/files/ and are copied by ci/build-qemu.
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
dev=${1:?usage: mkpatches.sh DEVTREE [PRISTINE]}
pristine=${2:-/var/cache/dumpbench/src/qemu-1_7.2_dfsg-7_deb12u18/pristine}
series=(
    "0200-ppc-dumpbench-build.patch:hw/ppc/meson.build"
    "0201-ppc-configure-kernel-dump-hooks.patch:include/hw/ppc/spapr.h hw/ppc/spapr_rtas.c hw/ppc/spapr.c"
    "0202-ppc-dumpbench-object-qapi.patch:qapi/qom.json"
)
rm -f "$top"/sim/qemu/patches/02*-ppc-*.patch
for entry in "${series[@]}"; do
    name=${entry%%:*}
    out="$top/sim/qemu/patches/$name"
    : > "$out"
    for f in ${entry#*:}; do
        diff -u --label "a/$f" --label "b/$f" "$pristine/$f" "$dev/$f" >> "$out" || true
    done
    [ -s "$out" ] || { echo "mkpatches: $name is empty" >&2; exit 1; }
    echo "$name: $(grep -c '^@@' "$out") hunks"
done
