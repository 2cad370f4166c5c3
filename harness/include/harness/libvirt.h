/*
 * libvirt backend (harness/src/libvirt_backend.c): the QEMU scenarios —
 * x86_64 kdump, s390x zfcpdump and ppc64 fadump on the patched QEMU as the
 * domain's <emulator> — with the machine run as a libvirt domain through
 * the libvirt C API (launcher harness/tools/libvirt_qemu.c, built when
 * libvirt-dev is installed).  Same checks as the qemu backend; same return
 * contract as qemu_backend_run (QEMU_BACKEND_SKIPPED with "SKIPPED: why"
 * when libvirt cannot be used here).
 *
 * Environment: DUMPBENCH_LIBVIRT_URI (default qemu:///system; the daemon
 * is started and stopped by the backend only for that local URI; a remote
 * URI is refused with QEMU_BACKEND_ERROR), DUMPBENCH_LIBVIRT_LAUNCHER
 * (default: dumpbench-libvirt-qemu next to the running binary), and the
 * qemu backend's variables: DUMPBENCH_GUEST_X86_64 / DUMPBENCH_QEMU_X86_64,
 * DUMPBENCH_QEMU_S390X (+ _DATA, DUMPBENCH_ZFCPDUMP_KERNEL,
 * DUMPBENCH_S390X_GUEST), DUMPBENCH_QEMU_PPC64 (+ _DATA,
 * DUMPBENCH_FADUMP_KERNEL, DUMPBENCH_PPC64_INITRD) — <harness/qemu.h>.
 */
#ifndef HARNESS_LIBVIRT_H
#define HARNESS_LIBVIRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <harness/backend.h>
#include <harness/scenario.h>

int libvirt_backend_run(const struct scenario *s, const char *run_dir, FILE *log,
                        struct run_result *res, char *errbuf, size_t errlen);

/* Path of dumpbench-libvirt-qemu; -1 when not built. */
int libvirt_launcher_path(char *out, size_t len);
/* A unix socket accepts connections. */
bool libvirt_sock_alive(const char *path);
/* The URI reaches another host (a transport other than unix, or a host
 * part: qemu+ssh://h/system, qemu://h/system); such a URI is refused. */
bool libvirt_uri_remote(const char *uri);

#endif /* HARNESS_LIBVIRT_H */
