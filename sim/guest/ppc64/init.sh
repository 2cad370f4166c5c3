#!/bin/busybox sh
# dumpbench ppc64 smoke initramfs /init (busybox-static, ppc64el).
#
# Boot without a waiting dump: report fadump state, print "DUMPBENCH: ready"
# and obey one console command:
#   crash     echo c > /proc/sysrq-trigger (panic -> ibm,os-term -> dump)
#   hang      busy-loop in user space; the host then sends the monitor
#             command "nmi" (system reset interrupt -> crash_fadump -> dump)
#   quit      poweroff
# Boot with a waiting dump (/proc/vmcore present): print the firmware
# result, hash the first DB_HASH_MB MiB of the crashed kernel's memory
# through /proc/vmcore (PT_LOAD with p_paddr 0), release the dump
# (INVALIDATE), register again (REGISTER must succeed after INVALIDATE) and
# reboot (machine_shutdown UNREGISTERs).
/bin/busybox mkdir -p /proc /sys /dev /tmp /bin /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null

say() { echo "DUMPBENCH: $*"; }
fa=/sys/kernel/fadump
hash_mb=$(sed -n 's/.*dbhash=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -n "$hash_mb" ] || hash_mb=64

# 8-byte little-endian field of /proc/vmcore at byte offset $1, as decimal.
le64() {
    od -A n -t x8 -j "$1" -N 8 /proc/vmcore | tr -d ' \n' | { read -r h; echo $((0x$h)); }
}
le16() {
    od -A n -t x2 -j "$1" -N 2 /proc/vmcore | tr -d ' \n' | { read -r h; echo $((0x$h)); }
}

say "boot enabled=$(cat $fa/enabled) registered=$(cat $fa/registered) mem_reserved=$(cat $fa/mem_reserved)"

# ---- script mode (DUMPBENCH_RECORD=script, harness/src/qemu_ppc64.c) -------
# The harness hands the scenario's steps up to the crash to this init on the
# kernel command line, dbscript=TOKEN[,TOKEN...], and types nothing into the
# console before the crash (no host-timed input: the runs replay
# bit-exactly under -icount).  Tokens, run in order:
#   reg        `step register`: the first one is the boot-time registration
#              (nothing to do); later ones echo 1 > registered
#   unreg      `step unregister`: echo 0 > registered
#   sleep.MS   `step run ms=MS`: usleep in guest (virtual) time
#   crash      `step crash`: echo c > /proc/sysrq-trigger
#   crash.N    `step crash cpu=N`: the same, pinned to CPU N (taskset)
# Before the first token: panic_on_oops=1 and "@@MEMRESV=<mem_reserved>".
# Each token prints "@@STEP-<n> <token>" before and "@@SDONE-<n>:<rc>" after
# (n from 1); reg/unreg also print "@@REGISTERED=<registered>".
run_script() {
    echo 1 > /proc/sys/kernel/panic_on_oops
    echo "@@MEMRESV=$(cat $fa/mem_reserved)"
    n=0 boot_reg=
    for tok in $(echo "$1" | tr ',' ' '); do
        n=$((n + 1))
        echo "@@STEP-$n $tok"
        case "$tok" in
        reg)    if [ -z "$boot_reg" ]; then boot_reg=1; true; else echo 1 > $fa/registered; fi ;;
        unreg)  echo 0 > $fa/registered ;;
        sleep.*) usleep $(( ${tok#sleep.} * 1000 )) ;;
        crash)  echo c > /proc/sysrq-trigger ;;
        crash.*) taskset -c "${tok#crash.}" sh -c 'echo c > /proc/sysrq-trigger' ;;
        *)      echo "@@SCRIPT-ERROR unknown token $tok"; false ;;
        esac
        rc=$?
        case "$tok" in reg|unreg) echo "@@REGISTERED=$(cat $fa/registered)" ;; esac
        echo "@@SDONE-$n:$rc"
    done
}

# ---- harness mode (dbmode=harness, harness/src/qemu_ppc64.c) --------------
# Dump boot: copy the whole /proc/vmcore to the virtio disk /dev/vda from
# offset 0 (sim/guest/capture's dbcapture when the initramfs has it, else
# dd), release the preserved memory, print @@CAPTURE-DONE.  Every boot then
# runs console command lines with eval (the harness appends its own
# completion marker to each line).
if grep -q 'dbmode=harness' /proc/cmdline; then
    if [ -e /proc/vmcore ]; then
        echo "@@DUMP-BOOT vmcore=$(stat -c %s /proc/vmcore)"
        cat /sys/kernel/debug/powerpc/fadump_region 2>/dev/null | sed 's/^/@@REGION /'
        if [ -x /bin/dbcapture ]; then
            /bin/dbcapture --progress-mb 256 --release /sys/kernel/fadump/release_mem=1 /proc/vmcore /dev/vda
            echo "@@CAPTURE-TOOL dbcapture rc=$?"
        else
            t0=$(date +%s)
            dd if=/proc/vmcore of=/dev/vda bs=1M conv=fsync 2>/tmp/dd.err
            rc=$?
            echo "@@VMCORE-COPIED bytes=$(stat -c %s /proc/vmcore) rc=$rc secs=$(( $(date +%s) - t0 )) $(tail -1 /tmp/dd.err)"
            if echo 1 > $fa/release_mem; then echo "@@RELEASED rc=0"; else echo "@@RELEASED rc=1"; fi
        fi
        [ -e /proc/vmcore ] && echo "@@VMCORE still present" || echo "@@VMCORE gone"
        # gcov kernels only (ci/coverage-kernel); a shell builtin test, so
        # other kernels fork nothing between the capture and @@CAPTURE-DONE
        [ -d /sys/kernel/debug/gcov ] && [ -x /bin/dbgcov ] && /bin/dbgcov dump
        echo "@@CAPTURE-DONE"
    else
        # gcov kernels: the first kernel's registration paths
        [ -d /sys/kernel/debug/gcov ] && [ -x /bin/dbgcov ] && /bin/dbgcov boot
        echo "@@READY cpus=$(grep -c ^processor /proc/cpuinfo)"
        script=$(sed -n 's/.*dbscript=\([^ ]*\).*/\1/p' /proc/cmdline)
        [ -z "$script" ] || run_script "$script"
    fi
    while read -r line; do eval "$line"; done
    sleep 1000000
fi
if [ -e /proc/vmcore ]; then
    say "vmcore present size=$(stat -c %s /proc/vmcore)"
    kd=/proc/device-tree/rtas/ibm,kernel-dump
    [ -e $kd ] && say "ibm,kernel-dump $(od -A n -t x1 -N 8 $kd | tr -s ' ')"
    cat /sys/kernel/debug/powerpc/fadump_region 2>/dev/null | sed 's/^/DUMPBENCH: region /'
    phoff=$(le64 32); phnum=$(le16 56); i=0
    while [ $i -lt "$phnum" ]; do
        ph=$((phoff + i * 56))
        type=$(od -A n -t x4 -j $ph -N 4 /proc/vmcore | tr -d ' ')
        paddr=$(le64 $((ph + 24)))
        if [ "$type" = 00000004 ]; then
            off=$(le64 $((ph + 8))); fsz=$(le64 $((ph + 32)))
            say "pt_note offset=$off filesz=$fsz"
            od -A n -t x1 -v -j "$off" -N "$fsz" /proc/vmcore | sed 's/^/DUMPBENCH: note/'
        fi
        if [ "$type" = 00000001 ] && [ "$paddr" = 0 ]; then
            off=$(le64 $((ph + 8))); fsz=$(le64 $((ph + 32)))
            say "pt_load paddr=0 offset=$off filesz=$fsz"
            t0=$(date +%s)
            # offset is page aligned (lx61:…/rtas-fadump.c PAGE_ALIGN)
            sum=$(dd if=/proc/vmcore bs=4096 skip=$((off / 4096)) count=$((hash_mb * 256)) 2>/dev/null | md5sum | cut -d' ' -f1)
            say "md5 first ${hash_mb}MiB $sum ($(( $(date +%s) - t0 )) s)"
        fi
        i=$((i + 1))
    done
    if echo 1 > $fa/release_mem; then say "release_mem ok"; else say "release_mem failed"; fi
    [ -e /proc/vmcore ] && say "vmcore still present" || say "vmcore gone"
    say "after release registered=$(cat $fa/registered)"
    if echo 1 > $fa/registered; then say "reregister ok"; else say "reregister failed"; fi
    say "registered=$(cat $fa/registered)"
    say "rebooting"
    sync
    reboot -f
fi

say "ready"
while read -r cmd; do
    case "$cmd" in
    crash) say "crashing"; echo c > /proc/sysrq-trigger ;;
    hang) say "hanging"; while :; do :; done ;;
    quit) say "poweroff"; poweroff -f ;;
    *) ;;
    esac
done
sleep 1000000
