#!/bin/busybox sh
# dumpbench s390x smoke guest: one initramfs for both the production
# kernel and the zfcpdump kernel (sim/qemu/smoke-s390x.sh builds it).
#   production kernel: dbmode=crash (default) arms the FCP dump
#     (dump_type fcp, device = dbdev=, on_panic dump) and panics;
#     dbmode=hang arms it and spins (for the operator dump);
#     dbmode=shell drops to a shell.
#   dump kernel (ipl_type fcp_dump): reports the HSA, copies /proc/vmcore
#     to the virtio disk (the IPL device of the dump IPLB) and powers off.
/bin/busybox mkdir -p /bin /sbin /proc /sys /dev /tmp
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null

arg() { for w in $(cat /proc/cmdline); do case "$w" in "$1"=*) echo "${w#*=}"; return;; esac; done; echo "$2"; }
ipl_type=$(cat /sys/firmware/ipl/ipl_type 2>/dev/null)
echo "DUMPBENCH: kernel $(uname -r) ipl_type=$ipl_type"

if [ "$ipl_type" = fcp_dump ]; then
    echo "DUMPBENCH: zcore hsa=$(cat /sys/kernel/debug/zcore/hsa 2>&1)"
    if [ ! -e /proc/vmcore ]; then
        echo "DUMPBENCH: RESULT no /proc/vmcore"; poweroff -f
    fi
    size=$(stat -c %s /proc/vmcore)
    echo "DUMPBENCH: vmcore size=$size"
    echo "DUMPBENCH: vmcore head=$(head -c 64 /proc/vmcore | od -An -tx1 | tr -d ' \n' | head -c 40)"
    dev=$(ls /dev/vd? 2>/dev/null | head -1)
    if [ -n "$dev" ]; then
        start=$(cut -d' ' -f1 /proc/uptime)
        if dd if=/proc/vmcore of="$dev" bs=1M 2>/tmp/dd.err; then
            sync
            echo "DUMPBENCH: copied vmcore to $dev in $start..$(cut -d' ' -f1 /proc/uptime) s"
        else
            echo "DUMPBENCH: dd failed: $(cat /tmp/dd.err)"
        fi
    else
        echo "DUMPBENCH: no virtio disk; md5 $(md5sum /proc/vmcore | cut -c1-32)"
    fi
    if [ "$(arg dbrelease 1)" = 1 ]; then
        echo 0 > /sys/kernel/debug/zcore/hsa
        echo "DUMPBENCH: hsa after release=$(cat /sys/kernel/debug/zcore/hsa)"
    fi
    echo "DUMPBENCH: RESULT dump done"
    poweroff -f
fi

mode=$(arg dbmode crash)
if [ "$mode" = shell ]; then exec sh; fi
if [ -d /sys/firmware/dump ]; then
    echo fcp > /sys/firmware/dump/dump_type || echo "DUMPBENCH: dump_type fcp rejected"
    echo "$(arg dbdev 0.0.0002)" > /sys/firmware/dump/fcp/device
    echo 0x5005076300c7a9b1 > /sys/firmware/dump/fcp/wwpn
    echo 0x4010400000000000 > /sys/firmware/dump/fcp/lun
    echo dump > /sys/firmware/shutdown_actions/on_panic
    echo "DUMPBENCH: armed dump_type=$(cat /sys/firmware/dump/dump_type) on_panic=$(cat /sys/firmware/shutdown_actions/on_panic)"
else
    echo "DUMPBENCH: no /sys/firmware/dump"
fi
# Recognisable memory content for the checker.
echo "DUMPBENCH-MARKER-$(cut -d' ' -f1 /proc/uptime)" > /tmp/marker
if [ "$mode" = hang ]; then
    echo "DUMPBENCH: hanging"
    while :; do :; done
fi
echo "DUMPBENCH: crashing"
echo c > /proc/sysrq-trigger
sleep 10
echo "DUMPBENCH: still alive?"
poweroff -f
