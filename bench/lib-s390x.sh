# bench/lib-s390x.sh — prerequisites shared by the IBM Z benchmarks
# (bench-s390x.sh, bench-s390x-fcp.sh); sourced after ci/lib/cache.sh with
# B and a say() function defined.  The same inputs as ci/real-s390x: the
# DUMPBENCH_* variables when set, otherwise the cached builds.
#
# bench_s390x_prereqs [fcp]   exports DUMPBENCH_QEMU_S390X(_DATA),
#     DUMPBENCH_ZFCPDUMP_KERNEL, DUMPBENCH_S390X_GUEST and, with "fcp",
#     DUMPBENCH_ZFCPDUMP_FCP_KERNEL after checking that the QEMU has
#     -device dumpbench-fcp.  Returns 1 after saying "SKIPPED: why" when
#     one is unavailable (a benchmark skips, it does not fail).
bench_s390x_prereqs() {
    local fcp=${1:-} p k g
    [ -x "$B/bin/dumpbench" ] || { say "SKIPPED: $B/bin/dumpbench not built"; return 1; }
    if [ -z "${DUMPBENCH_QEMU_S390X:-}" ]; then
        p=$(ci/build-qemu 2>/dev/null | tail -1)
        [ -x "$p/bin/qemu-system-s390x" ] || { say "SKIPPED: patched QEMU unavailable (ci/build-qemu)"; return 1; }
        export DUMPBENCH_QEMU_S390X=$p/bin/qemu-system-s390x DUMPBENCH_QEMU_S390X_DATA=$p/share/qemu
    fi
    if [ -n "$fcp" ]; then
        local qdata=()
        [ -n "${DUMPBENCH_QEMU_S390X_DATA:-}" ] && qdata=(-L "$DUMPBENCH_QEMU_S390X_DATA")
        "$DUMPBENCH_QEMU_S390X" "${qdata[@]}" -device help 2>&1 | grep -q '"dumpbench-fcp"' ||
            { say "SKIPPED: $DUMPBENCH_QEMU_S390X has no -device dumpbench-fcp"; return 1; }
    fi
    if [ -z "${DUMPBENCH_ZFCPDUMP_KERNEL:-}" ]; then
        k=$(ci/build-kernel zfcpdump-s390x 2>/dev/null | tail -1)
        [ -f "$k/bzImage" ] || { say "SKIPPED: zfcpdump kernel unavailable (ci/build-kernel zfcpdump-s390x)"; return 1; }
        export DUMPBENCH_ZFCPDUMP_KERNEL=$k/bzImage
    fi
    if [ -n "$fcp" ] && [ -z "${DUMPBENCH_ZFCPDUMP_FCP_KERNEL:-}" ]; then
        k=$(ci/build-kernel zfcpdump-fcp-s390x 2>/dev/null | tail -1)
        [ -f "$k/bzImage" ] || { say "SKIPPED: FCP zfcpdump kernel unavailable (ci/build-kernel zfcpdump-fcp-s390x)"; return 1; }
        export DUMPBENCH_ZFCPDUMP_FCP_KERNEL=$k/bzImage
    fi
    if [ -z "${DUMPBENCH_S390X_GUEST:-}" ]; then
        g=$(sim/guest/s390x/build-guest.sh "$DB_CACHE/guest-s390x/harness" 2>/dev/null | tail -1)
        [ -f "$g/done" ] || { say "SKIPPED: s390x guest build failed (sim/guest/s390x/build-guest.sh)"; return 1; }
        export DUMPBENCH_S390X_GUEST=$g
    fi
    return 0
}
