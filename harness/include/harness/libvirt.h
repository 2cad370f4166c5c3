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
 * qemu+ssh:// URI runs x86_64 scenarios with the files in the storage pool
 * DUMPBENCH_LIBVIRT_POOL there, other remote URIs and arches are refused
 * with QEMU_BACKEND_ERROR), DUMPBENCH_LIBVIRT_LAUNCHER
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
#include <stdint.h>
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
 * part: qemu+ssh://h/system, qemu://h/system). */
bool libvirt_uri_remote(const char *uri);

/* ---- remote URIs (harness/src/libvirt_remote.c; pure, shared with the
 * launcher) ------------------------------------------------------------- */

/* driver[+transport]://[user@][host][:port]/[path][?params] (libvirt
 * docs/uri.rst), percent-decoded; the extra parameters the ssh tunnel
 * needs (keyfile, no_verify, no_tty, command); the others are ignored. */
struct libvirt_uri {
    char driver[16], transport[16];
    char user[64], host[256];
    int port;                    /* 0: the transport's default */
    char path[64];               /* "/system" */
    char keyfile[1024], command[1024];
    bool no_verify, no_tty;
    bool remote;                 /* libvirt_uri_remote */
};
/* 0, or -1 with err naming the part that is wrong. */
int libvirt_uri_parse(const char *uri, struct libvirt_uri *u, char *err, size_t errlen);

#define LIBVIRT_ARGV_MAX 48
struct libvirt_argv {
    size_t argc;
    char *argv[LIBVIRT_ARGV_MAX];      /* NULL-terminated, into buf */
    char buf[4096];
};
/* The ssh command of the gdbstub tunnel: a unix socket `local` on this host
 * forwarded to the unix socket `remote` on the URI's host (ssh -N -L
 * LOCAL:REMOTE), with the URI's port, user, keyfile, command, no_tty
 * (BatchMode) and no_verify (StrictHostKeyChecking=no, no known_hosts
 * entry).  qemu+ssh only; -1 with err otherwise. */
int libvirt_ssh_tunnel_argv(const struct libvirt_uri *u, const char *local, const char *remote,
                            struct libvirt_argv *out, char *err, size_t errlen);
/* The domain of a run: local (host NULL) "dumpbench-BASE-PID" as always;
 * remote "dumpbench-BASE-HOST-PID" (BASE = last part of run_dir, HOST =
 * this host's name; [A-Za-z0-9._-] only, bounded).  0 or -1 (too small). */
int libvirt_domain_name(char *out, size_t len, const char *run_dir, const char *host, long pid);
/* Pool volume of a run: "DOMAIN.ROLE" (role [a-z0-9.-]: vmlinuz, initrd,
 * capture.raw, truth.elf, post.elf); -1 for a name not made by
 * libvirt_domain_name or a bad role. */
int libvirt_vol_name(char *out, size_t len, const char *domain, const char *role);
/* The gdbstub's unix socket on the remote host: POOL_DIR/DOMAIN.gdb, or
 * POOL_DIR/dbgdb-HASH.gdb when that exceeds sun_path (107 characters);
 * -1 when even that does not fit or pool_dir is not absolute. */
int libvirt_gdb_sock_path(char *out, size_t len, const char *pool_dir, const char *domain);

/* Guest memory [addr, addr+size) of a QEMU dump-guest-memory ELF (the
 * remote truth snapshot, virDomainCoreDumpWithFormat) into `out` as a flat
 * file at offset paddr-addr, what no PT_LOAD holds as zeros (pmemsave's
 * layout); *covered = bytes from PT_LOADs.  -1 with err when the ELF is bad
 * or no PT_LOAD meets the range.  (libvirt_backend.c) */
int libvirt_core_extract(const char *elf, uint64_t addr, uint64_t size, const char *out,
                         uint64_t *covered, char *err, size_t errlen);

#endif /* HARNESS_LIBVIRT_H */
