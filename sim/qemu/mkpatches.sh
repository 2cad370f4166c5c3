#!/usr/bin/env bash
# sim/qemu/mkpatches.sh DEVTREE [PRISTINE] — regenerate sim/qemu/patches/
# from a QEMU tree edited in place (diff -u per file, a/ b/ paths, so
# ci/build-qemu can apply them with patch -p1).  New files are not
# patched: they live under sim/qemu/files/ and are copied verbatim.
# Only the s390x series below (0001-0006) is rewritten; other series in
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
    "0006-dumpbench-fcp.patch:target/s390x/ioinst.c target/s390x/tcg/translate.c target/s390x/helper.h target/s390x/tcg/misc_helper.c"
)
# Patches of other series (e.g. ppc64 02xx) apply after these; a file they
# also touch (qapi/qom.json) is diffed with their hunks reverse-applied, so
# each series keeps only its own changes.
generated=" ${series[*]%%:*} "
others=()
for p in "$here"/patches/*.patch; do
    case "$generated" in *" $(basename "$p") "*) ;; *) others=("$p" "${others[@]}") ;; esac
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
own_version() { # file -> path of $dev/$file without the other series' hunks
    local f=$1 cur="$dev/$1" n=0
    for p in "${others[@]}"; do
        grep -qx -- "+++ b/$f" "$p" || continue
        n=$((n + 1))
        awk -v f="$f" '/^--- a\//{keep = ($0 == "--- a/" f)} keep' "$p" > "$tmp/hunk"
        patch -s -R -o "$tmp/own.$n" "$cur" < "$tmp/hunk" ||
            { echo "mkpatches: cannot take $(basename "$p") out of $f" >&2; exit 1; }
        cur="$tmp/own.$n"
    done
    echo "$cur"
}
for entry in "${series[@]}"; do
    name=${entry%%:*}
    out="$here/patches/$name"
    : > "$out"
    for f in ${entry#*:}; do
        src=$(own_version "$f")
        (cd / && diff -u --label "a/$f" --label "b/$f" "$pristine/$f" "$src") >> "$out" || true
    done
    [ -s "$out" ] || { echo "mkpatches: $name is empty" >&2; exit 1; }
    echo "$name: $(grep -c '^@@' "$out") hunks"
done
