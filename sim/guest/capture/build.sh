#!/usr/bin/env bash
# sim/guest/capture/build.sh ARCH OUT -- build the static capture program
# dbcapture for ARCH (s390x | ppc64le | x86_64) into OUT and print OUT.
# Sources: this folder plus the dependency-free part of dumpfmt/src (dump
# model, ELF notes, ELF/s390 code; not the zlib/zstd kdump reader).
# Cross compilers: gcc-s390x-linux-gnu + libc6-dev-s390x-cross,
# gcc-powerpc64le-linux-gnu + libc6-dev-ppc64el-cross (ci/packages/*.list).
set -euo pipefail
if [ $# -ne 2 ]; then
    echo "usage: $0 s390x|ppc64le|x86_64 OUT" >&2
    exit 2
fi
arch=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
case "$arch" in
    s390x)   cc=${CC_S390X:-s390x-linux-gnu-gcc} ;;
    ppc64le) cc=${CC_PPC64LE:-powerpc64le-linux-gnu-gcc} ;;
    x86_64)  cc=${CC_X86_64:-gcc} ;;
    *) echo "$0: unknown ARCH '$arch' (s390x, ppc64le or x86_64)" >&2; exit 2 ;;
esac
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "$0: compiler $cc for $arch not found (install its Debian package, see ci/packages/)" >&2
    exit 1
fi
mkdir -p "$(dirname "$out")"
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
"$cc" -std=c11 -D_GNU_SOURCE -O2 -static -Wall -Wextra -Wno-unused-parameter \
    -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror=implicit-function-declaration \
    -ffunction-sections -fdata-sections -Wl,--gc-sections \
    -I"$here" -I"$root/dumpfmt/src" -I"$root/dumpfmt/include" -I"$root/common/include" \
    -o "$tmp" \
    "$here/dbcapture.c" "$here/xxh64.c" "$here/dfstub.c" \
    "$root/dumpfmt/src/dump.c" "$root/dumpfmt/src/notes.c" \
    "$root/dumpfmt/src/elf_read.c" "$root/dumpfmt/src/elf_write.c" \
    "$root/dumpfmt/src/s390dump.c"
mv "$tmp" "$out"
trap - EXIT
echo "$out"
