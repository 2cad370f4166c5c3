#!/usr/bin/env bash
# sim/qemu/mkpatches.sh DEVTREE [PRISTINE] — regenerate sim/qemu/patches/
# from a QEMU tree edited in place (diff -u per file, a/ b/ paths, so
# ci/build-qemu can apply them with patch -p1).  New files are not
# patched: they live under sim/qemu/files/ and are copied verbatim.
# Only the s390x series below (0001-0005) is rewritten; other series in
# patches/ (e.g. the ppc64 02xx) are left alone.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dev=${1:?usage: mkpatches.sh DEVTREE [PRISTINE]}
pristine=${2:-/var/cache/dumpbench/src/qemu-1_7.2_dfsg-7_deb12u18/pristine}
series=(
    "0001-dumpbench-build.patch:hw/s390x/meson.build"
    "0002-dumpbench-sclp-hooks.patch:hw/s390x/sclp.c hw/s390x/event-facility.c"
    "0003-dumpbench-diag308-sigp-hooks.patch:target/s390x/diag.c target/s390x/sigp.c"
    "0004-dumpbench-dump-ipl-reset.patch:hw/s390x/s390-virtio-ccw.c hw/core/loader.c include/hw/loader.h"
    "0005-dumpbench-object-and-hmp.patch:qapi/qom.json hmp-commands.hx monitor/misc.c"
)
for entry in "${series[@]}"; do
    name=${entry%%:*}
    out="$here/patches/$name"
    : > "$out"
    for f in ${entry#*:}; do
        (cd / && diff -u --label "a/$f" --label "b/$f" "$pristine/$f" "$dev/$f") >> "$out" || true
    done
    [ -s "$out" ] || { echo "mkpatches: $name is empty" >&2; exit 1; }
    echo "$name: $(grep -c '^@@' "$out") hunks"
done
