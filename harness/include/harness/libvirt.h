/*
 * libvirt backend (harness/src/libvirt_backend.c): x86_64 kdump scenarios
 * with the machine run as a libvirt domain through the libvirt C API
 * (launcher harness/tools/libvirt_qemu.c, built when libvirt-dev is
 * installed).  Same checks as the qemu backend; same return contract as
 * qemu_backend_run (QEMU_BACKEND_SKIPPED with "SKIPPED: why" when libvirt
 * cannot be used here).
 *
 * Environment: DUMPBENCH_LIBVIRT_URI (default qemu:///system; the daemon
 * is started and stopped by the backend only for that local URI),
 * DUMPBENCH_LIBVIRT_LAUNCHER (default: dumpbench-libvirt-qemu next to the
 * running binary), DUMPBENCH_GUEST_X86_64 / DUMPBENCH_QEMU_X86_64 as for qemu.
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

#endif /* HARNESS_LIBVIRT_H */
