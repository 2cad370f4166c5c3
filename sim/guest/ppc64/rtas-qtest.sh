#!/usr/bin/env bash
# sim/guest/ppc64/rtas-qtest.sh — host-side test of the patched QEMU's
# ibm,configure-kernel-dump glue without a guest kernel: QEMU runs the
# pseries machine under the qtest accelerator, this script writes dump
# structures into guest RAM, makes RTAS calls through the qtest "rtas"
# command, triggers ibm,os-term and inspects memory, the truth snapshot and
# the device tree (HMP dumpdtb + fdtget).
#
#   QEMU=path/qemu-system-ppc64 QEMU_DATA=dir-with-vof.bin  (defaults as smoke.sh)
# Exit 0 when every check passes.
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
. "$top/ci/lib/cache.sh"
log() { echo "rtas-qtest: $*" >&2; }
if [ -z "${QEMU:-}" ]; then
    QEMU="$("$top/ci/build-qemu" | tail -1)/bin/qemu-system-ppc64"
fi
if [ -z "${QEMU_DATA:-}" ]; then
    QEMU_DATA=$(cd "$(dirname "$QEMU")/.." && pwd)/share/qemu
    [ -f "$QEMU_DATA/vof.bin" ] || QEMU_DATA=$(ls -d "$DB_CACHE"/qemu-data-*/usr/share/qemu 2>/dev/null | head -1)
fi
command -v fdtget >/dev/null || { log "needs fdtget (device-tree-compiler)"; exit 1; }
out=${OUT:-"$DB_CACHE/ppc64-rtas-qtest"}
rm -rf "$out"; mkdir -p "$out"
base=(-L "$QEMU_DATA" -M pseries,x-vof=on -m 1G -smp 1 -nodefaults -display none)
fails=0
check() { # check NAME WANT GOT
    if [ "$2" = "$3" ]; then log "PASS $1"; else log "FAIL $1: want '$2' got '$3'"; fails=$((fails + 1)); fi
}

# ---- device tree at boot, with and without the object ---------------------
dtb_at_boot() { # dtb_at_boot FILE [object args...]
    local f=$1; shift
    "$QEMU" "${base[@]}" -accel qtest -qtest null "$@" -M dumpdtb="$f" >/dev/null 2>&1 || true
}
dtb_at_boot "$out/stock.dtb"
check "stock: no ibm,configure-kernel-dump" "absent" \
    "$(fdtget -t x "$out/stock.dtb" /rtas ibm,configure-kernel-dump 2>/dev/null || echo absent)"
dtb_at_boot "$out/q72.dtb" -object dumpbench-spapr,id=db1,profile=qemu-7.2
check "profile qemu-7.2: no token" "absent" \
    "$(fdtget -t x "$out/q72.dtb" /rtas ibm,configure-kernel-dump 2>/dev/null || echo absent)"
dtb_at_boot "$out/boot.dtb" -object dumpbench-spapr,id=db1
check "token 0x202D" "202d" "$(fdtget -t x "$out/boot.dtb" /rtas ibm,configure-kernel-dump 2>&1)"
check "-sizes {1,0,0x510,2,0,0}" "1 0 510 2 0 0" \
    "$(fdtget -t x "$out/boot.dtb" /rtas ibm,configure-kernel-dump-sizes 2>&1)"
check "-version bytes 00 01 00 01" "0 1 0 1" \
    "$(fdtget -t bx "$out/boot.dtb" /rtas ibm,configure-kernel-dump-version 2>&1)"
check "no ibm,kernel-dump at first boot" "absent" \
    "$(fdtget -t bx "$out/boot.dtb" /rtas ibm,kernel-dump 2>/dev/null || echo absent)"
timeout 20 "$QEMU" "${base[@]}" -accel qtest -qtest null \
    -object dumpbench-spapr,id=db1,profile=nosuch >"$out/badprofile.log" 2>&1 </dev/null || true
check "unknown profile rejected" "1" "$(grep -c "unknown profile 'nosuch'" "$out/badprofile.log" || true)"

# ---- live machine ---------------------------------------------------------
mkfifo "$out/mon.in" "$out/mon.out"
coproc QT { exec "$QEMU" "${base[@]}" -accel qtest -qtest stdio \
    -monitor pipe:"$out/mon" \
    -object dumpbench-spapr,id=db1,truth="$out/truth.bin" 2>"$out/qemu.log"; }
qpid=$QT_PID
exec 8>"$out/mon.in"
( cat "$out/mon.out" >"$out/monitor.log" ) &
mpid=$!
trap 'kill $qpid $mpid 2>/dev/null || true' EXIT

q() { # q QTEST-COMMAND -> reply in $R
    echo "$*" >&"${QT[1]}"
    IFS= read -r -t 60 R <&"${QT[0]}" || { log "qtest: no reply to '$*'"; exit 1; }
}
hmp() { echo "$*" >&8; }
be32() { printf '%08x' $(($1 & 0xffffffff)); }
be16() { printf '%04x' $(($1 & 0xffff)); }
be64() { printf '%016x' "$1"; }
hdr() { # version nsec [first-section-offset]
    echo "$(be32 "$1")$(be16 "$2")0000$(be32 "${3:-0x28}")$(printf '%056d' 0)"
}
sec() { # request type src len dst
    echo "$(be32 "$1")$(be16 "$2")0000$(be64 "$3")$(be64 "$4")0000000000000000$(be64 "$5")"
}
put() { # put ADDR HEX
    q "write $1 $(( ${#2} / 2 )) 0x$2"
}
FDM=0x100000
CPUSZ=0x510
CPU_DST=0x20000000 HPTE_DST=0x20000510 RMR_DST=0x20010000 RMR_LEN=0x10000000
good_fdm() { # 6.1 layout: CPU, HPTE (0), RMR 256 MiB
    echo "$(hdr 1 3)$(sec 1 1 0 $CPUSZ $CPU_DST)$(sec 1 2 0 0 $HPTE_DST)$(sec 1 0x11 0 $RMR_LEN $RMR_DST)"
}
call() { # call CMD ADDR SIZE [NARGS NRET] -> signed rc in $RC
    q "writel 0x2000 $1"; q "writel 0x2004 $2"; q "writel 0x2008 $3"
    q "writel 0x2100 0xdeadbeef"
    q "rtas ibm,configure-kernel-dump ${4:-3} 0x2000 ${5:-1} 0x2100"
    q "readl 0x2100"
    local v=$((${R#OK }))
    RC=$(( v >= 0x80000000 ? v - 0x100000000 : v ))
}
dtb_now() { # dtb_now FILE: HMP dumpdtb of the current tree
    rm -f "$1"; hmp "dumpdtb $1"
    for _ in $(seq 1 50); do [ -s "$1" ] && break; sleep 0.1; done
    sleep 0.2
}

q "endianness"; check "qtest up" "OK big" "$R"

call 1 $FDM 160 2 1;      check "nargs 2 -> -3" -3 "$RC"
call 1 $FDM 160 3 2;      check "nret 2 -> -3" -3 "$RC"
call 7 $FDM 160;          check "unknown command 7 -> -3" -3 "$RC"
put $FDM "$(hdr 2 3)$(good_fdm | cut -c81-)"
call 1 $FDM 160;          check "version 2 -> -3" -3 "$RC"
put $FDM "$(hdr 1 11)"
call 1 $FDM 440;          check "11 sections -> -3" -3 "$RC"
put $FDM "$(hdr 1 0)"
call 1 $FDM 160;          check "0 sections -> -3" -3 "$RC"
put $FDM "$(good_fdm)"
call 1 $FDM 39;           check "size 39 -> -3" -3 "$RC"
call 1 $FDM 100;          check "size < 40+40n -> -3" -3 "$RC"
call 1 0 160;             check "fdm at 0 -> -3" -3 "$RC"
call 1 0x3ffffff0 160;    check "fdm past end of RAM -> -3" -3 "$RC"
call 1 0xfffff000 160;    check "fdm near 4 GiB -> -3" -3 "$RC"
put $FDM "$(hdr 1 3 0x30)$(good_fdm | cut -c81-)"
call 1 $FDM 160;          check "first-section offset 0x30 -> -3" -3 "$RC"
put $FDM "$(hdr 1 3)$(sec 1 1 0 $CPUSZ $CPU_DST)$(sec 1 2 0 0 $HPTE_DST)$(sec 1 0x11 0 $RMR_LEN $CPU_DST)"
call 1 $FDM 160;          check "RMR destination overlaps CPU area -> -3" -3 "$RC"
put $FDM "$(hdr 1 3)$(sec 1 1 0 $CPUSZ $CPU_DST)$(sec 1 2 0 0 $HPTE_DST)$(sec 1 0x11 0 $RMR_LEN 0x08000000)"
call 1 $FDM 160;          check "RMR destination overlaps its source -> -3" -3 "$RC"
put $FDM "$(hdr 1 3)$(sec 1 1 0 $CPUSZ $CPU_DST)$(sec 1 2 0 0 $HPTE_DST)$(sec 1 0x11 0 $RMR_LEN 0x3ff00000)"
call 1 $FDM 160;          check "RMR destination past RAM -> -3" -3 "$RC"
put $FDM "$(hdr 1 3)$(sec 1 1 0 0x100 $CPU_DST)$(sec 1 2 0 0 $HPTE_DST)$(sec 1 0x11 0 $RMR_LEN $RMR_DST)"
call 1 $FDM 160;          check "CPU area smaller than -sizes -> -3" -3 "$RC"
put $FDM "$(hdr 1 3)$(sec 1 1 0 $CPUSZ $CPU_DST)$(sec 1 2 0 0 $HPTE_DST)$(sec 1 0x11 0 $RMR_LEN 0x1000000000)"
call 1 $FDM 160;          check "RMR destination above 4 GiB -> -3" -3 "$RC"
call 3 $FDM 160;          check "INVALIDATE without dump -> -3" -3 "$RC"

hmp "qom-set /objects/db1 fault-cmd 1"; hmp "qom-set /objects/db1 fault-rc -2"
hmp "qom-set /objects/db1 fault-count 1"; sleep 0.5
put $FDM "$(good_fdm)"
call 1 $FDM 160;          check "injected busy -> -2" -2 "$RC"
call 1 $FDM 160;          check "REGISTER 6.1 layout -> 0" 0 "$RC"
call 1 $FDM 160;          check "REGISTER again -> -9" -9 "$RC"
call 2 $FDM 160;          check "UNREGISTER -> 0" 0 "$RC"
call 1 $FDM 160;          check "REGISTER after UNREGISTER -> 0" 0 "$RC"

# Pattern in boot memory, then ibm,os-term.
q "memset 0x8000000 0x1000 0xa5"
q "write 0x8001000 8 0x0123456789abcdef"
q "write 0x3100 11 0x71746573742d6f6f707300"
q "writel 0x3000 0x3100"
q "writel 0x2100 0xdeadbeef"
q "rtas ibm,os-term 1 0x3000 1 0x2100"; check "os-term handled" "OK 0" "$R"
q "readl 0x2100";         check "os-term rc 0" "OK 0x0000000000000000" "$R"
sleep 1
q "readq $CPU_DST";       check "REGSAVE magic at CPU destination" "OK 0x5245475341564500" "$R"
q "readl $((CPU_DST + 0x10))"; check "regsave num_cpus 1" "OK 0x0000000000000001" "$R"
q "readq $((CPU_DST + 0x14))";  check "first entry CPUSTRT" "OK 0x4350555354525400" "$R"
q "readq $((RMR_DST + 0x8001000))"; check "boot memory copied" "OK 0x0123456789abcdef" "$R"
q "readl $((RMR_DST + 0x8000ffc))"; check "boot memory copied (memset)" "OK 0x00000000a5a5a5a5" "$R"
check "qemu logged dump" 1 "$(grep -c "firmware-assisted dump taken" "$out/qemu.log" || true)"
check "os-term message" 1 "$(grep -c "OS terminated: qtest-oops" "$out/qemu.log" || true)"
check "truth magic" "DBPPC64T" "$(head -c 8 "$out/truth.bin" 2>/dev/null)"
check "truth header: v1, 64, 1 CPU, 376, cpu 0, flags 0, RAM at 4096, 1 GiB" \
    "00000001 00000040 00000001 00000178 00000000 00000000 0000000000001000 0000000040000000" \
    "$(od -A n -t x1 -j 8 -N 40 "$out/truth.bin" | tr -d ' \n' | sed -E 's/^(.{8})(.{8})(.{8})(.{8})(.{8})(.{8})(.{16})(.{16})$/\1 \2 \3 \4 \5 \6 \7 \8/')"
check "truth size" $((4096 + (1 << 30))) "$(stat -c %s "$out/truth.bin" 2>/dev/null)"
check "truth RAM pattern" "0123456789abcdef" \
    "$(od -A n -t x1 -j $((4096 + 0x8001000)) -N 8 "$out/truth.bin" | tr -d ' ')"

dtb_now "$out/active.dtb"
check "ibm,kernel-dump header after dump" "0 0 0 1 0 3 c0 0 0 0 0 28" \
    "$(fdtget -t bx "$out/active.dtb" /rtas ibm,kernel-dump 2>&1 | cut -d' ' -f1-12)"
check "ibm,kernel-dump length 160" 160 \
    "$(fdtget -t bx "$out/active.dtb" /rtas ibm,kernel-dump 2>/dev/null | wc -w)"
call 1 $FDM 160;          check "REGISTER while dump active -> -10" -10 "$RC"
call 2 $FDM 160;          check "UNREGISTER while dump active -> -10" -10 "$RC"
hmp "system_reset"; sleep 1
dtb_now "$out/reset.dtb"
check "ibm,kernel-dump kept across plain reset" 160 \
    "$(fdtget -t bx "$out/reset.dtb" /rtas ibm,kernel-dump 2>/dev/null | wc -w)"
call 3 $FDM 160;          check "INVALIDATE -> 0" 0 "$RC"
call 3 $FDM 160;          check "INVALIDATE again -> -3" -3 "$RC"
hmp "system_reset"; sleep 1
dtb_now "$out/after.dtb"
check "no ibm,kernel-dump after INVALIDATE" "absent" \
    "$(fdtget -t bx "$out/after.dtb" /rtas ibm,kernel-dump 2>/dev/null || echo absent)"
q "endianness"; check "QEMU still running" "OK big" "$R"

[ $fails = 0 ] || { log "$fails check(s) failed; logs in $out"; exit 1; }
log "all checks passed"
