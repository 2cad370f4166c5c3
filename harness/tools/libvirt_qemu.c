/*
 * dumpbench-libvirt-qemu — runs "the QEMU of an x86_64 scenario" as a
 * libvirt domain.
 *
 *   dumpbench-libvirt-qemu --probe
 *   dumpbench-libvirt-qemu --coredump RUN_DIR FILE   (memory-only ELF of the run's domain)
 *   dumpbench-libvirt-qemu --coredump-live RUN_DIR FILE  (same, VIR_DUMP_LIVE: the run state
 *                                                    is left alone, a held guest stays held)
 *   dumpbench-libvirt-qemu --destroy RUN_DIR         (destroy the run's domain if it runs)
 *   dumpbench-libvirt-qemu --fetch-disk RUN_DIR FILE (remote: the capture disk volume -> FILE)
 *   dumpbench-libvirt-qemu --cleanup RUN_DIR         (remote: delete the run's pool volumes)
 *   dumpbench-libvirt-qemu --nmi RUN_DIR             (virDomainInjectNMI)
 *   dumpbench-libvirt-qemu --add-vcpus RUN_DIR N     (virDomainSetVcpusFlags, live)
 *   dumpbench-libvirt-qemu --attach-dimm RUN_DIR BYTES ALIAS   (virDomainAttachDeviceFlags,
 *                                                    <memory model='dimm'>, prints the QEMU id)
 *   dumpbench-libvirt-qemu --xml QEMU-ARGS...     (print the domain XML, start nothing)
 *   dumpbench-libvirt-qemu QEMU-ARGS...
 *
 * The x86_64 kdump backend (harness/src/qemu_backend.c) starts its emulator
 * with a fixed argv; the libvirt backend (harness/src/libvirt_backend.c)
 * passes this program instead.  It translates that argv into domain XML —
 * kernel, initrd, cmdline, memory (+ DIMM slots and a NUMA cell when
 * maxmem is given), vCPUs current/max, the capture disk (virtio, raw,
 * cache=unsafe), the serial console on the backend's FIFO pair (<serial
 * type='pipe'>), on_crash/on_reboot destroy (-no-reboot) — and starts it
 * with virDomainCreateXML(VIR_DOMAIN_START_AUTODESTROY), so the domain dies
 * with this process's connection.  The backend's own QMP monitor and
 * gdbstub (the truth snapshot at machine_kexec, the oracles' inputs) are
 * kept as QEMU arguments through <qemu:commandline>, so the checks are
 * exactly those of the direct backend.  QEMU runs as root (DAC seclabel) to
 * reach the backend's private socket directory.
 *
 * Runs in the foreground until the domain stops or SIGTERM/SIGINT/SIGHUP
 * (then virDomainDestroy).  Messages go to RUN_DIR/libvirt.log (RUN_DIR:
 * the directory of the -drive file), the XML to RUN_DIR/domain.xml.
 * URI: $DUMPBENCH_LIBVIRT_URI, default qemu:///system.  A remote qemu+ssh://
 * URI (x86_64 only) is run by run_remote: see "remote URIs" below; the
 * storage pool is $DUMPBENCH_LIBVIRT_POOL (default "dumpbench"), --xml
 * takes its directory from $DUMPBENCH_LIBVIRT_POOL_DIR.
 * Exit: 0 domain ran and stopped, 2 bad arguments, 3 libvirt error,
 * --probe: 0 usable (prints the versions), 77 not usable (prints why).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt-qemu.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <harness/libvirt.h>

static volatile sig_atomic_t stop_requested;
static FILE *logf_;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
    va_list ap;
    FILE *f = logf_ ? logf_ : stderr;
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    fprintf(f, "%02d:%02d:%02d libvirt: ", tm.tm_hour, tm.tm_min, tm.tm_sec);
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
    fflush(f);
}

static const char *lv_err(void)
{
    virErrorPtr e = virGetLastError();
    return e && e->message ? e->message : "unknown libvirt error";
}

static void quiet(void *ud, virErrorPtr e)
{
    (void)ud;
    (void)e;
}

/* TERM/INT/HUP end the domain through on_signal; libvirt's own error
 * printing off (errors are reported with lv_err). */
static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    virSetErrorFunc(NULL, quiet);
}

/* ---- QEMU argv -> machine description ------------------------------------ */

enum arch { ARCH_X86_64, ARCH_S390X, ARCH_PPC64 };

static const char *const arch_name[] = { "x86_64", "s390x", "ppc64" };
/* the machine type as given to libvirt (it picks the versioned alias) */
static const char *const arch_machine[] = { "pc", "s390-ccw-virtio", "pseries" };
static const char *const arch_env[] = { "DUMPBENCH_QEMU_X86_64", "DUMPBENCH_QEMU_S390X",
                                        "DUMPBENCH_QEMU_PPC64" };

#define MAX_PASS 48
#define MAX_DRIVES 4

struct machine {
    enum arch arch;
    uint64_t mem_mib, maxmem_mib;
    unsigned slots, cpus, maxcpus;
    const char *kernel, *initrd, *append;
    char disk[PATH_MAX];
    char cache[32];
    char con_path[PATH_MAX];       /* -chardev pipe,path= */
    const char *qmp, *gdb;         /* passed through */
    bool no_reboot;
    const char *rtc;               /* -rtc base=...: start time */
    /* s390x / ppc64 */
    bool panic_none;               /* -action panic=none: <on_crash>preserve */
    bool no_shutdown;              /* -no-shutdown: <on_poweroff>preserve */
    bool console_stream;           /* DUMPBENCH_LIBVIRT_CONSOLE=stream: <serial type='pty'>
                                      bridged to the FIFOs by virDomainOpenConsole */
    char truth[PATH_MAX];          /* the firmware object's truth= (names the run dir
                                      when there is no -drive: FCP LUNs are device files) */
    bool disk_xml;                 /* the capture disk is a <disk> (else passed through) */
    unsigned ccw_cssid, ccw_ssid, ccw_devno;  /* virtio-blk-ccw devno= */
    bool ccw;
    size_t npass;                  /* QEMU args kept as they are in <qemu:commandline> */
    char *pass[MAX_PASS];
};

static void machine_free(struct machine *m)
{
    for (size_t i = 0; i < m->npass; i++)
        free(m->pass[i]);
    m->npass = 0;
}

/* Value of key= in a comma-separated option string ("" if absent). */
static void opt_get(const char *opts, const char *key, char *out, size_t len)
{
    size_t kl = strlen(key);
    out[0] = '\0';
    for (const char *p = opts; p && *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n > kl && strncmp(p, key, kl) == 0 && p[kl] == '=') {
            size_t vl = n - kl - 1 < len - 1 ? n - kl - 1 : len - 1;
            memcpy(out, p + kl + 1, vl);
            out[vl] = '\0';
            return;
        }
        p = end ? end + 1 : NULL;
    }
}

static int pass_arg(struct machine *m, const char *a, char *err, size_t errlen)
{
    if (m->npass >= MAX_PASS) {
        snprintf(err, errlen, "more than %d QEMU arguments to pass through", MAX_PASS);
        return -1;
    }
    m->pass[m->npass] = strdup(a);
    if (!m->pass[m->npass]) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    m->npass++;
    return 0;
}

/* libvirtd (and QEMU under it) resolve relative paths in their own working
 * directory: PATH made absolute (a file not there yet, e.g. truth.bin: under
 * the cwd; unchanged when even that does not fit). */
static void abs_path(const char *path, char *out, size_t len)
{
    char buf[PATH_MAX];
    int n = -1;
    if (path[0] != '/' && path[0]) {
        if (realpath(path, buf))
            n = snprintf(out, len, "%s", buf);
        else if (getcwd(buf, sizeof(buf)))
            n = snprintf(out, len, "%s/%s", buf, path);
    }
    if (n < 0 || (size_t)n >= len)
        snprintf(out, len, "%s", path);
}

/* OPT TYPE,k=v,... passed through with the values of its file properties
 * (keys) made absolute: the dumpbench firmware objects' truth, dump-kernel,
 * dump-initrd; a passed-through -drive's file. */
static int pass_with_paths(struct machine *m, const char *opt, const char *v,
                           const char *const *keys, size_t nkeys, char *err, size_t errlen)
{
    char out[4096], val[PATH_MAX], absv[PATH_MAX];
    size_t used = 0;
    out[0] = '\0';
    for (const char *p = v; p && *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        bool file = false;
        for (size_t k = 0; eq && k < nkeys; k++)
            file |= (size_t)(eq - p) == strlen(keys[k]) && strncmp(p, keys[k], (size_t)(eq - p)) == 0;
        int w;
        if (file && n - (size_t)(eq - p) - 1 < sizeof(val)) {
            size_t vl = n - (size_t)(eq - p) - 1;
            memcpy(val, eq + 1, vl);
            val[vl] = '\0';
            abs_path(val, absv, sizeof(absv));
            if ((size_t)(eq - p) == 5 && strncmp(p, "truth", 5) == 0)
                snprintf(m->truth, sizeof(m->truth), "%s", absv);
            w = snprintf(out + used, sizeof(out) - used, "%s%.*s=%s", used ? "," : "",
                         (int)(eq - p), p, absv);
        } else {
            w = snprintf(out + used, sizeof(out) - used, "%s%.*s", used ? "," : "", (int)n, p);
        }
        if (w < 0 || (size_t)w >= sizeof(out) - used) {
            snprintf(err, errlen, "%s %.100s...: too long", opt, v);
            return -1;
        }
        used += (size_t)w;
        p = end ? end + 1 : NULL;
    }
    if (pass_arg(m, opt, err, errlen) != 0)
        return -1;
    return pass_arg(m, out, err, errlen);
}

/* The machine's architecture from -machine/-M TYPE[,...] (none: x86_64). */
static int find_arch(int argc, char **argv, enum arch *arch, char *err, size_t errlen)
{
    *arch = ARCH_X86_64;
    for (int i = 0; i + 1 < argc; i++) {
        if (strcmp(argv[i], "-machine") != 0 && strcmp(argv[i], "-M") != 0)
            continue;
        const char *v = argv[i + 1];
        size_t tl = strcspn(v, ",");
        if (strncmp(v, "pc", 2) == 0)
            *arch = ARCH_X86_64;
        else if (tl == strlen("s390-ccw-virtio") && strncmp(v, "s390-ccw-virtio", tl) == 0)
            *arch = ARCH_S390X;
        else if (tl == strlen("pseries") && strncmp(v, "pseries", tl) == 0)
            *arch = ARCH_PPC64;
        else {
            snprintf(err, errlen, "machine '%s': only pc, s390-ccw-virtio and pseries are "
                     "translated", v);
            return -1;
        }
    }
    return 0;
}

struct drive {
    char id[64], file[PATH_MAX], cache[32];
    const char *opts;
};

static int parse_argv(int argc, char **argv, struct machine *m, char *err, size_t errlen)
{
    memset(m, 0, sizeof(*m));
    m->cpus = m->maxcpus = 1;
    if (find_arch(argc, argv, &m->arch, err, errlen) != 0)
        return -1;
    const bool x86 = m->arch == ARCH_X86_64;
    struct drive drives[MAX_DRIVES];
    size_t ndrives = 0;
    const char *disk_drive = NULL;  /* s390x/ppc64: drive= of the translated disk device */
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        char buf[PATH_MAX];
#define NEED_ARG()                                                              \
        do {                                                                    \
            if (!v) {                                                           \
                snprintf(err, errlen, "option %s needs an argument", a);        \
                return -1;                                                      \
            }                                                                   \
            i++;                                                                \
        } while (0)
        if (!strcmp(a, "-nodefaults") || !strcmp(a, "-no-user-config"))
            continue;                    /* libvirt always passes both */
        if (!strcmp(a, "-no-reboot")) {
            m->no_reboot = true;
            continue;
        }
        if (!x86 && !strcmp(a, "-no-shutdown")) {
            m->no_shutdown = true;       /* libvirt passes it anyway; the domain stays */
            continue;
        }
        if (!strcmp(a, "-icount") || !strcmp(a, "-seed")) {
            NEED_ARG();                  /* DUMPBENCH_RECORD (qemu_record.c): as they are */
            if (pass_arg(m, a, err, errlen) != 0 || pass_arg(m, v, err, errlen) != 0)
                return -1;
            continue;
        }
        if (!strcmp(a, "-machine") || (!x86 && !strcmp(a, "-M"))) {
            NEED_ARG();
            if (x86)
                continue;                /* pc[,accel=tcg]: checked by find_arch */
            /* TYPE,accel=tcg[,prop=on...]: libvirt gives the type (and
             * accel through type='qemu'); other properties are merged by
             * QEMU from a second -machine */
            char props[512] = "";
            size_t pl = 0;
            const char *p = strchr(v, ',');
            while (p && *p) {
                p++;
                size_t n = strcspn(p, ",");
                if (n && strncmp(p, "accel=", 6) != 0) {
                    if (n + 2 > sizeof(props) - pl) {
                        snprintf(err, errlen, "-machine %.100s: too long", v);
                        return -1;
                    }
                    pl += (size_t)snprintf(props + pl, sizeof(props) - pl, "%s%.*s",
                                           pl ? "," : "", (int)n, p);
                } else if (n && strcmp(p, "accel=tcg") != 0 && strncmp(p, "accel=tcg,", 10) != 0) {
                    snprintf(err, errlen, "-machine %s: only accel=tcg is translated", v);
                    return -1;
                }
                p = strchr(p, ',');
            }
            if (props[0] && (pass_arg(m, "-machine", err, errlen) != 0 ||
                             pass_arg(m, props, err, errlen) != 0))
                return -1;
            continue;
        }
        if (!x86 && !strcmp(a, "-accel")) {
            NEED_ARG();
            if (strcmp(v, "tcg") != 0) {
                snprintf(err, errlen, "-accel %s: only tcg is translated (<domain type='qemu'>)", v);
                return -1;
            }
            continue;
        }
        if (!x86 && (!strcmp(a, "-cpu") || !strcmp(a, "-action"))) {
            NEED_ARG();
            if (!strcmp(a, "-action")) {
                opt_get(v, "panic", buf, sizeof(buf));
                m->panic_none = strcmp(buf, "none") == 0;
            }
            if (pass_arg(m, a, err, errlen) != 0 || pass_arg(m, v, err, errlen) != 0)
                return -1;
            continue;
        }
        if (!x86 && !strcmp(a, "-L")) {
            NEED_ARG();
            abs_path(v, buf, sizeof(buf));
            if (pass_arg(m, a, err, errlen) != 0 || pass_arg(m, buf, err, errlen) != 0)
                return -1;
            continue;
        }
        if (!x86 && !strcmp(a, "-object")) {
            NEED_ARG();
            static const char *const obj_files[] = { "truth", "dump-kernel", "dump-initrd" };
            if (pass_with_paths(m, a, v, obj_files, 3, err, errlen) != 0)
                return -1;
            continue;
        }
        if (!x86 && !strcmp(a, "-serial")) {
            NEED_ARG();
            if (strcmp(v, "chardev:con") != 0) {
                snprintf(err, errlen, "-serial %s: only chardev:con is translated", v);
                return -1;
            }
            continue;                    /* s390x: the SCLP console, ppc64: a spapr-vty */
        }
        if (!strcmp(a, "-display") || !strcmp(a, "-vga") || !strcmp(a, "-serial")) {
            NEED_ARG();                  /* none / none / chardev:con: the domain has the same */
            continue;
        }
        if (!strcmp(a, "-m")) {
            NEED_ARG();
            char *end;
            m->mem_mib = strtoull(v, &end, 10);
            if (*end == 'M')
                end++;
            opt_get(end, "slots", buf, sizeof(buf));
            m->slots = (unsigned)strtoul(buf, NULL, 10);
            opt_get(end, "maxmem", buf, sizeof(buf));
            m->maxmem_mib = strtoull(buf, NULL, 10);
            if (!m->mem_mib || (*end && *end != ',')) {
                snprintf(err, errlen, "cannot translate -m %s", v);
                return -1;
            }
            continue;
        }
        if (!strcmp(a, "-smp")) {
            NEED_ARG();
            m->cpus = (unsigned)strtoul(v, NULL, 10);
            opt_get(v, "maxcpus", buf, sizeof(buf));
            m->maxcpus = buf[0] ? (unsigned)strtoul(buf, NULL, 10) : m->cpus;
            if (!m->cpus || m->maxcpus < m->cpus) {
                snprintf(err, errlen, "cannot translate -smp %s", v);
                return -1;
            }
            continue;
        }
        if (!strcmp(a, "-rtc")) {
            NEED_ARG();
            m->rtc = v;
            continue;
        }
        if (!strcmp(a, "-kernel")) { NEED_ARG(); m->kernel = v; continue; }
        if (!strcmp(a, "-initrd")) { NEED_ARG(); m->initrd = v; continue; }
        if (!strcmp(a, "-append")) { NEED_ARG(); m->append = v; continue; }
        if (!strcmp(a, "-qmp")) { NEED_ARG(); m->qmp = v; continue; }
        if (!strcmp(a, "-gdb")) { NEED_ARG(); m->gdb = v; continue; }
        if (!strcmp(a, "-chardev")) {
            NEED_ARG();
            if (strncmp(v, "pipe,", 5) != 0) {
                snprintf(err, errlen, "chardev '%s': only pipe is translated", v);
                return -1;
            }
            opt_get(v + 5, "path", m->con_path, sizeof(m->con_path));
            continue;
        }
        if (!strcmp(a, "-drive")) {
            NEED_ARG();
            opt_get(v, "file", m->disk, sizeof(m->disk));
            opt_get(v, "cache", m->cache, sizeof(m->cache));
            opt_get(v, "format", buf, sizeof(buf));
            if (!m->disk[0] || strcmp(buf, "raw") != 0) {
                snprintf(err, errlen, "drive '%s': a raw file is translated", v);
                return -1;
            }
            if (!x86) {
                if (ndrives >= MAX_DRIVES) {
                    snprintf(err, errlen, "more than %d -drive options", MAX_DRIVES);
                    return -1;
                }
                struct drive *d = &drives[ndrives++];
                opt_get(v, "id", d->id, sizeof(d->id));
                snprintf(d->file, sizeof(d->file), "%s", m->disk);
                snprintf(d->cache, sizeof(d->cache), "%s", m->cache);
                d->opts = v;
            }
            continue;
        }
        if (!strcmp(a, "-device")) {
            NEED_ARG();
            if (x86) {
                if (strncmp(v, "virtio-blk-pci", 14) != 0) {
                    snprintf(err, errlen, "device '%s' is not translated", v);
                    return -1;
                }
                continue;
            }
            char drv[64];
            opt_get(v, "drive", drv, sizeof(drv));
            bool blk_ccw = m->arch == ARCH_S390X && strncmp(v, "virtio-blk-ccw,", 15) == 0;
            bool blk_pci = m->arch == ARCH_PPC64 && strncmp(v, "virtio-blk-pci,", 15) == 0;
            if ((blk_ccw || blk_pci) && drv[0] && !disk_drive) {
                disk_drive = v;          /* resolved against the drives below */
                if (blk_ccw) {
                    opt_get(v, "devno", buf, sizeof(buf));
                    char *e1 = NULL, *e2 = NULL, *e3 = NULL;
                    unsigned long cs = strtoul(buf, &e1, 16);
                    unsigned long ss = *e1 == '.' ? strtoul(e1 + 1, &e2, 16) : 0;
                    unsigned long dn = e2 && *e2 == '.' ? strtoul(e2 + 1, &e3, 16) : 0;
                    if (buf[0]) {
                        if (!e3 || *e3 || cs > 0xff || ss > 3 || dn > 0xffff) {
                            snprintf(err, errlen, "device '%s': devno must be CSSID.SSID.DEVNO", v);
                            return -1;
                        }
                        m->ccw = true;
                        m->ccw_cssid = (unsigned)cs;
                        m->ccw_ssid = (unsigned)ss;
                        m->ccw_devno = (unsigned)dn;
                    }
                }
                continue;
            }
            if (m->arch == ARCH_PPC64 && strncmp(v, "spapr-vty,", 10) == 0) {
                opt_get(v, "chardev", buf, sizeof(buf));
                if (strcmp(buf, "con") != 0) {
                    snprintf(err, errlen, "device '%s': the console must be chardev con", v);
                    return -1;
                }
                continue;                /* <serial> on the pipe chardev */
            }
            /* a device libvirt has no element for: as it is */
            if (pass_arg(m, a, err, errlen) != 0 || pass_arg(m, v, err, errlen) != 0)
                return -1;
            continue;
        }
        snprintf(err, errlen, "QEMU option '%s' is not translated to domain XML", a);
        return -1;
#undef NEED_ARG
    }
    if (x86 && (!m->kernel || !m->mem_mib || !m->con_path[0] || !m->disk[0])) {
        snprintf(err, errlen, "need -kernel, -m, -chardev pipe and -drive");
        return -1;
    }
    if (x86)
        return 0;
    if (!m->kernel || !m->mem_mib || !m->con_path[0] || (!ndrives && !m->truth[0])) {
        snprintf(err, errlen, "need -kernel, -m, -chardev pipe and -drive (or an -object with truth=)");
        return -1;
    }
    /* s390x/ppc64: the drive of the translated disk device becomes the
     * <disk>; any other drive (named by a passed-through device) stays a
     * QEMU -drive.  m->disk: the first drive's file (names the run dir). */
    char want[64] = "";
    if (disk_drive)
        opt_get(disk_drive, "drive", want, sizeof(want));
    if (ndrives)
        snprintf(m->disk, sizeof(m->disk), "%s", drives[0].file);
    else                                 /* RUN_DIR/truth.bin */
        snprintf(m->disk, sizeof(m->disk), "%s", m->truth);
    for (size_t d = 0; d < ndrives; d++) {
        if (want[0] && !m->disk_xml && strcmp(drives[d].id, want) == 0) {
            m->disk_xml = true;
            snprintf(m->disk, sizeof(m->disk), "%s", drives[d].file);
            snprintf(m->cache, sizeof(m->cache), "%s", drives[d].cache);
            continue;
        }
        static const char *const drive_files[] = { "file" };
        if (pass_with_paths(m, "-drive", drives[d].opts, drive_files, 1, err, errlen) != 0)
            return -1;
    }
    if (want[0] && !m->disk_xml) {
        snprintf(err, errlen, "device '%s': no -drive with id=%s", disk_drive, want);
        return -1;
    }
    return 0;
}

/* libvirtd resolves paths in its own working directory: make them absolute. */
static void absolute(char *path, size_t len)
{
    char buf[PATH_MAX];
    if (path[0] == '/' || !realpath(path, buf))
        return;
    snprintf(path, len, "%s", buf);
}

/* ---- domain XML -------------------------------------------------------- */

static void xml_text(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default: fputc(*s, f);
        }
    }
}

static void xml_elem(FILE *f, const char *indent, const char *tag, const char *text)
{
    fprintf(f, "%s<%s>", indent, tag);
    xml_text(f, text);
    fprintf(f, "</%s>\n", tag);
}

static void xml_arg(FILE *f, const char *v)
{
    fputs("    <qemu:arg value=\"", f);
    xml_text(f, v);
    fputs("\"/>\n", f);
}

static char *domain_xml(const struct machine *m, const char *name, const char *emulator)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    const bool x86 = m->arch == ARCH_X86_64;
    fputs("<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n", f);
    xml_elem(f, "  ", "name", name);
    fprintf(f, "  <memory unit='MiB'>%" PRIu64 "</memory>\n", m->mem_mib);
    if (m->maxmem_mib && m->slots)
        fprintf(f, "  <maxMemory slots='%u' unit='MiB'>%" PRIu64 "</maxMemory>\n", m->slots,
                m->maxmem_mib);
    fprintf(f, "  <vcpu placement='static' current='%u'>%u</vcpu>\n", m->cpus, m->maxcpus);
    fprintf(f, "  <os>\n    <type arch='%s' machine='%s'>hvm</type>\n", arch_name[m->arch],
            arch_machine[m->arch]);
    xml_elem(f, "    ", "kernel", m->kernel);
    if (m->initrd)
        xml_elem(f, "    ", "initrd", m->initrd);
    if (m->append)
        xml_elem(f, "    ", "cmdline", m->append);
    fputs(x86 ? "  </os>\n  <features><acpi/><apic/></features>\n" : "  </os>\n", f);
    if (x86) {
        /* memory hotplug needs a NUMA cell in libvirt */
        if (m->maxmem_mib && m->slots)
            fprintf(f, "  <cpu><numa><cell id='0' cpus='0-%u' memory='%" PRIu64 "' unit='MiB'/>"
                    "</numa></cpu>\n", m->maxcpus - 1, m->mem_mib);
    } else {
        /* QEMU 7.2's own split of -smp N,maxcpus=M on s390-ccw-virtio-7.2 and
         * pseries-7.2 (hw/core/machine-smp.c: cores preferred since 6.2);
         * without it libvirt passes sockets=M,cores=1 */
        fprintf(f, "  <cpu><topology sockets='1' dies='1' cores='%u' threads='1'/></cpu>\n",
                m->maxcpus);
    }
    long long start = 0;
    if (m->rtc) {
        char b[64] = "";
        opt_get(m->rtc, "base", b, sizeof(b));
        struct tm tm;
        memset(&tm, 0, sizeof(tm));
        if (strptime(b, "%Y-%m-%dT%H:%M:%S", &tm))
            start = (long long)timegm(&tm);
    }
    if (start > 0)
        fprintf(f, "  <clock offset='absolute' start='%lld'/>\n", start);
    else
        fputs("  <clock offset='utc'/>\n", f);
    fprintf(f, "  <on_poweroff>%s</on_poweroff>\n", m->no_shutdown ? "preserve" : "destroy");
    fprintf(f, "  <on_reboot>%s</on_reboot>\n", m->no_reboot ? "destroy" : "restart");
    /* -action panic=none: the guest runs on after a panic (ppc64: the
     * kernel's panic=1 reboots it); libvirt must not destroy it then */
    fprintf(f, "  <on_crash>%s</on_crash>\n  <devices>\n", m->panic_none ? "preserve" : "destroy");
    if (emulator && *emulator)
        xml_elem(f, "    ", "emulator", emulator);
    if (x86 || m->disk_xml) {
        fprintf(f, "    <disk type='file' device='disk'>\n"
                   "      <driver name='qemu' type='raw' cache='%s'/>\n      <source file='",
                m->cache[0] ? m->cache : "none");
        xml_text(f, m->disk);
        fputs("'/>\n      <target dev='vda' bus='virtio'/>\n", f);
        /* s390x: the device number of the dump IPL block the guest stores */
        if (m->ccw)
            fprintf(f, "      <address type='ccw' cssid='0x%02x' ssid='0x%x' devno='0x%04x'/>\n",
                    m->ccw_cssid, m->ccw_ssid, m->ccw_devno);
        fputs("    </disk>\n", f);
    }
    if (m->console_stream) {
        /* a pty the launcher bridges to the FIFOs through virDomainOpenConsole */
        fputs("    <serial type='pty'>\n", f);
    } else {
        /* the backend's FIFO pair PATH.in / PATH.out */
        fputs("    <serial type='pipe'>\n      <source path='", f);
        xml_text(f, m->con_path);
        fputs("'/>\n", f);
    }
    if (m->arch == ARCH_S390X)          /* -serial on s390-ccw-virtio: the SCLP console */
        fputs("      <target type='sclp-serial' port='0'><model name='sclpconsole'/></target>\n"
              "    </serial>\n", f);
    else if (m->arch == ARCH_PPC64)     /* -device spapr-vty: hvc0 */
        fputs("      <target type='spapr-vio-serial' port='0'><model name='spapr-vty'/>"
              "</target>\n    </serial>\n", f);
    else
        fputs("      <target port='0'/>\n    </serial>\n", f);
    /* what -nodefaults leaves out and libvirt 9.0 adds by default: a USB
     * controller (pc, pseries), video (pc, pseries), the balloon (all) */
    if (m->arch == ARCH_S390X)
        fputs("    <memballoon model='none'/>\n  </devices>\n", f);
    else
        fputs("    <controller type='usb' model='none'/>\n"
              "    <video><model type='none'/></video>\n"
              "    <memballoon model='none'/>\n  </devices>\n", f);
    /* QEMU as root: the backend's sockets and FIFOs are in a 0700 directory */
    fputs("  <seclabel type='static' model='dac' relabel='no'><label>+0:+0</label></seclabel>\n", f);
    fputs("  <qemu:commandline>\n", f);
    if (m->qmp) {
        xml_arg(f, "-qmp");
        xml_arg(f, m->qmp);
    }
    if (m->gdb) {
        xml_arg(f, "-gdb");
        xml_arg(f, m->gdb);
    }
    for (size_t i = 0; i < m->npass; i++)
        xml_arg(f, m->pass[i]);
    fputs("  </qemu:commandline>\n</domain>\n", f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* The emulator for arch: $DUMPBENCH_QEMU_<ARCH>, else qemu-system-<arch> on PATH. */
static int find_emulator(enum arch arch, char *out, size_t len)
{
    const char *e = getenv(arch_env[arch]);
    if (e && *e) {
        snprintf(out, len, "%s", e);
        return access(out, X_OK);
    }
    const char *path = getenv("PATH");
    char dirs[4096];
    snprintf(dirs, sizeof(dirs), "%s:/usr/bin:/usr/local/bin", path ? path : "");
    for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        snprintf(out, len, "%s/qemu-system-%s", d, arch_name[arch]);
        if (access(out, X_OK) == 0)
            return 0;
    }
    return -1;
}

static const char *uri(void)
{
    const char *u = getenv("DUMPBENCH_LIBVIRT_URI");
    return u && *u ? u : "qemu:///system";
}

static bool remote_uri(void);
static const char *pool_name(void);
static virStoragePoolPtr open_pool(virConnectPtr c, char *dir, size_t len, char *err, size_t errlen);

/* --probe [ARCH]: libvirt answers and (s390x, ppc64) accepts the patched
 * emulator for the machine (virConnectGetDomainCapabilities probes it). */
static int probe(const char *arch_arg)
{
    enum arch arch = ARCH_X86_64;
    if (arch_arg) {
        size_t i = 0;
        while (i < 3 && strcmp(arch_arg, arch_name[i]) != 0)
            i++;
        if (i == 3) {
            printf("--probe %s: architecture must be x86_64, s390x or ppc64\n", arch_arg);
            return 2;
        }
        arch = (enum arch)i;
    }
    virSetErrorFunc(NULL, quiet);
    virConnectPtr c = virConnectOpen(uri());
    if (!c) {
        printf("cannot connect to %s: %s\n", uri(), lv_err());
        return 77;
    }
    unsigned long lv = 0, hv = 0;
    char em[PATH_MAX] = "";
    /* remote x86_64: the remote's own QEMU (no <emulator>), nothing to find here */
    if (!(remote_uri() && arch == ARCH_X86_64) && find_emulator(arch, em, sizeof(em)) != 0) {
        if (arch == ARCH_X86_64)
            printf("qemu-system-x86_64 not installed\n");
        else
            printf("no qemu-system-%s (%s not set or not executable)\n", arch_name[arch],
                   arch_env[arch]);
        virConnectClose(c);
        return 77;
    }
    virConnectGetLibVersion(c, &lv);
    if (arch != ARCH_X86_64) {
        char *caps = virConnectGetDomainCapabilities(c, em, arch_name[arch], arch_machine[arch],
                                                     "qemu", 0);
        if (!caps) {
            printf("libvirt %lu.%lu.%lu at %s does not accept %s for %s/%s: %s\n", lv / 1000000,
                   lv / 1000 % 1000, lv % 1000, uri(), em, arch_name[arch], arch_machine[arch],
                   lv_err());
            virConnectClose(c);
            return 77;
        }
        char mach[128] = "?";
        const char *mt = strstr(caps, "<machine>");
        if (mt)
            sscanf(mt + 9, "%127[^<]", mach);
        printf("libvirt %lu.%lu.%lu at %s, emulator %s (%s, machine %s)\n", lv / 1000000,
               lv / 1000 % 1000, lv % 1000, uri(), em, arch_name[arch], mach);
        free(caps);
        virConnectClose(c);
        return 0;
    }
    char pool[600] = "";
    if (remote_uri()) {
        /* a remote run: qemu+ssh (the gdbstub tunnel) and the storage pool
         * its files go through */
        struct libvirt_uri u;
        char e[1024], dir[PATH_MAX];
        if (libvirt_uri_parse(uri(), &u, e, sizeof(e)) != 0 || strcmp(u.transport, "ssh") != 0) {
            printf("%s: a remote run needs qemu+ssh:// (the gdbstub is reached through an ssh "
                   "tunnel)\n", uri());
            virConnectClose(c);
            return 77;
        }
        virStoragePoolPtr p = open_pool(c, dir, sizeof(dir), e, sizeof(e));
        if (!p) {
            printf("%s\n", e);
            virConnectClose(c);
            return 77;
        }
        virStoragePoolFree(p);
        snprintf(pool, sizeof(pool), ", pool %s (%.500s)", pool_name(), dir);
    }
    if (virConnectGetVersion(c, &hv) < 0) {
        printf("%s: no hypervisor version: %s\n", uri(), lv_err());
        virConnectClose(c);
        return 77;
    }
    printf("libvirt %lu.%lu.%lu at %s, QEMU %lu.%lu.%lu, emulator %s%s\n", lv / 1000000,
           lv / 1000 % 1000, lv % 1000, uri(), hv / 1000000, hv / 1000 % 1000, hv % 1000,
           remote_uri() ? "(the remote's default)" : em, pool);
    virConnectClose(c);
    return 0;
}

/* ---- console through virDomainOpenConsole (DUMPBENCH_LIBVIRT_CONSOLE=stream) ----
 * The first step of a remote design: the console travels over the libvirt
 * connection (a virStream on the domain's pty) instead of a FIFO path QEMU
 * opens on this host; the launcher bridges it to the backend's FIFO pair. */
struct bridge {
    virStreamPtr st;
    int in_fd, out_fd;             /* PATH.in (backend -> guest), PATH.out (guest -> backend) */
    bool eof;
};

static void bridge_readable(virStreamPtr st, int events, void *opaque)
{
    struct bridge *b = opaque;
    char buf[4096];
    if (events & (VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP))
        b->eof = true;
    for (;;) {
        int n = virStreamRecv(st, buf, sizeof(buf));
        if (n == -2)
            break;                   /* nothing more now */
        if (n <= 0) {
            b->eof = true;
            break;
        }
        for (int w = 0; w < n;) {
            ssize_t k = write(b->out_fd, buf + w, (size_t)(n - w));
            if (k <= 0)
                return;
            w += (int)k;
        }
    }
    if (b->eof)
        virStreamEventRemoveCallback(st);
}

/* What the backend wrote to PATH.in goes to the guest. */
static void bridge_input(struct bridge *b)
{
    char buf[4096];
    ssize_t n;
    while (!b->eof && (n = read(b->in_fd, buf, sizeof(buf))) > 0) {
        for (ssize_t w = 0; w < n;) {
            int k = virStreamSend(b->st, buf + w, (size_t)(n - w));
            if (k == -2) {           /* would block: let the event loop drain */
                virEventRunDefaultImpl();
                continue;
            }
            if (k < 0) {
                say("virStreamSend: %s", lv_err());
                b->eof = true;
                return;
            }
            w += k;
        }
    }
}

static void tick_cb(int timer, void *opaque)
{
    (void)timer;
    (void)opaque;
}

static int bridge_open(virDomainPtr d, virConnectPtr c, const char *con_path, struct bridge *b)
{
    char p[PATH_MAX + 8];
    memset(b, 0, sizeof(*b));
    b->in_fd = b->out_fd = -1;
    snprintf(p, sizeof(p), "%s.in", con_path);
    b->in_fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    snprintf(p, sizeof(p), "%s.out", con_path);
    b->out_fd = open(p, O_WRONLY | O_CLOEXEC);      /* the backend holds it open: no wait */
    if (b->in_fd < 0 || b->out_fd < 0) {
        say("console FIFOs %s.in/.out: %s", con_path, strerror(errno));
        return -1;
    }
    b->st = virStreamNew(c, VIR_STREAM_NONBLOCK);
    if (!b->st || virDomainOpenConsole(d, NULL, b->st, VIR_DOMAIN_CONSOLE_FORCE) < 0 ||
        virStreamEventAddCallback(b->st, VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_ERROR |
                                  VIR_STREAM_EVENT_HANGUP, bridge_readable, b, NULL) < 0) {
        say("virDomainOpenConsole: %s", lv_err());
        return -1;
    }
    if (virEventAddTimeout(10, tick_cb, NULL, NULL) < 0) {
        say("virEventAddTimeout: %s", lv_err());
        return -1;
    }
    say("console through a virDomainOpenConsole stream, bridged to %s.in/.out", con_path);
    return 0;
}

/*
 * Close the console stream.  libvirtd 9.0 deadlocks when a console stream is
 * aborted (or its client disconnects) while the domain object is being freed:
 * virChrdevFree holds the chardev table's lock and waits for the stream's
 * (virFDStreamSetInternalCloseCb), virStreamAbort holds the stream's and waits
 * for the table's (seen here with gdb after launchers were killed mid-run:
 * the "qemu-event" thread in virChrdevFree, the main thread in
 * daemonRemoveAllClientStreams -> virStreamAbort; every later API call hung).
 * So a running domain's console is closed before the domain is destroyed,
 * and after a domain stopped by itself libvirtd gets time to free it (the
 * stream's EOF, then 0.5 s) before the stream is closed.
 */
static void bridge_close(struct bridge *b, bool domain_stopped)
{
    if (!b->st)
        return;
    if (domain_stopped) {
        for (int i = 0; i < 100 && !b->eof; i++)
            virEventRunDefaultImpl();    /* the 10 ms timer: at most ~1 s */
        struct timespec ts = { 0, 500L * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    if (!b->eof)
        virStreamEventRemoveCallback(b->st);
    virStreamAbort(b->st);
    virStreamFree(b->st);
    b->st = NULL;
    b->eof = true;
}

/* Copy what was appended to fd from pos on to stdout; the new position. */
static off_t relay_log(int fd, off_t pos)
{
    char b[8192];
    ssize_t n;
    while ((n = pread(fd, b, sizeof(b), pos)) > 0) {
        for (ssize_t w = 0; w < n;) {
            ssize_t k = write(1, b + w, (size_t)(n - w));
            if (k <= 0)
                return pos + n;          /* stdout gone: drop, keep following */
            w += k;
        }
        pos += n;
    }
    return pos;
}

/* The domain of a run: its name is in RUN_DIR/libvirt-domain. */
static virDomainPtr run_domain(virConnectPtr c, const char *run_dir, char *name, size_t len)
{
    char p[PATH_MAX];
    snprintf(p, sizeof(p), "%s/libvirt-domain", run_dir);
    FILE *f = fopen(p, "r");
    if (!f) {
        fprintf(stderr, "%s: %s\n", p, strerror(errno));
        return NULL;
    }
    name[0] = '\0';
    if (!fgets(name, (int)len, f))
        name[0] = '\0';
    fclose(f);
    name[strcspn(name, "\n")] = '\0';
    if (!name[0]) {
        fprintf(stderr, "%s: empty\n", p);
        return NULL;
    }
    virDomainPtr d = virDomainLookupByName(c, name);
    if (!d && virGetLastErrorCode() != VIR_ERR_NO_DOMAIN)
        fprintf(stderr, "domain %s: %s\n", name, lv_err());
    else if (!d)
        fprintf(stderr, "domain %s: not running\n", name);
    return d;
}

/* --nmi / --add-vcpus / --attach-dimm on the run's domain */
static int live_op(const char *op, const char *run_dir, const char *a1, const char *a2)
{
    virSetErrorFunc(NULL, quiet);
    virConnectPtr c = virConnectOpen(uri());
    if (!c) {
        fprintf(stderr, "cannot connect to %s: %s\n", uri(), lv_err());
        return 3;
    }
    char name[256];
    virDomainPtr d = run_domain(c, run_dir, name, sizeof(name));
    int rc = d ? 0 : 3;
    if (d && strcmp(op, "--nmi") == 0) {
        if (virDomainInjectNMI(d, 0) < 0) {
            fprintf(stderr, "virDomainInjectNMI %s: %s\n", name, lv_err());
            rc = 3;
        }
    } else if (d && strcmp(op, "--add-vcpus") == 0) {
        char *end;
        unsigned long n = strtoul(a1, &end, 10);
        int cur = virDomainGetVcpusFlags(d, VIR_DOMAIN_AFFECT_LIVE);
        if (*end || n == 0 || n > 256 || cur < 0) {
            fprintf(stderr, "--add-vcpus %s: %s\n", a1, cur < 0 ? lv_err() : "bad count");
            rc = 3;
        } else if (virDomainSetVcpusFlags(d, (unsigned)cur + (unsigned)n, VIR_DOMAIN_AFFECT_LIVE) < 0) {
            fprintf(stderr, "virDomainSetVcpusFlags %s %d -> %lu: %s\n", name, cur,
                    (unsigned long)cur + n, lv_err());
            rc = 3;
        } else {
            printf("vcpus %d -> %lu\n", cur, (unsigned long)cur + n);
        }
    } else if (d && strcmp(op, "--attach-dimm") == 0) {
        char *end;
        unsigned long long bytes = strtoull(a1, &end, 0);
        bool alias_ok = strlen(a2) < 64;
        for (const char *p = a2; *p && alias_ok; p++)
            alias_ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';
        if (*end || bytes == 0 || bytes % (1 << 20) || !alias_ok) {
            fprintf(stderr, "--attach-dimm %s %s: bad size or alias\n", a1, a2);
            rc = 3;
        } else {
            char xml[512];
            /* user aliases start with "ua-"; QEMU's device id is the alias */
            snprintf(xml, sizeof(xml), "<memory model='dimm'><target><size unit='KiB'>%llu</size>"
                     "<node>0</node></target><alias name='ua-%s'/></memory>", bytes >> 10, a2);
            if (virDomainAttachDeviceFlags(d, xml, VIR_DOMAIN_AFFECT_LIVE) < 0) {
                fprintf(stderr, "virDomainAttachDeviceFlags %s: %s\n", name, lv_err());
                rc = 3;
            } else {
                printf("ua-%s\n", a2);
            }
        }
    }
    if (d)
        virDomainFree(d);
    virConnectClose(c);
    return rc;
}

static int coredump_remote(virConnectPtr c, virDomainPtr d, const char *name, const char *run_dir,
                           const char *file, unsigned flags);

/* --coredump RUN_DIR FILE / --coredump-live RUN_DIR FILE / --destroy RUN_DIR */
static int domain_op(bool dump, bool live, const char *run_dir, const char *file)
{
    virSetErrorFunc(NULL, quiet);
    virConnectPtr c = virConnectOpen(uri());
    if (!c) {
        fprintf(stderr, "cannot connect to %s: %s\n", uri(), lv_err());
        return 3;
    }
    char name[256];
    virDomainPtr d = run_domain(c, run_dir, name, sizeof(name));
    int rc = 0;
    /* memory only, ELF (QEMU dump-guest-memory underneath).  Without LIVE
     * libvirt pauses a running guest for the dump and resumes it; with LIVE
     * (the truth snapshot while the gdbstub holds the guest at its
     * breakpoint) libvirt leaves the run state alone and QEMU's dump keeps
     * a stopped guest stopped (q72:dump/dump.c dump_init: resume only when
     * it was running) */
    unsigned flags = VIR_DUMP_MEMORY_ONLY | (live ? VIR_DUMP_LIVE : 0);
    if (!d) {
        rc = dump ? 3 : 0;          /* nothing to destroy */
    } else if (dump && remote_uri()) {
        rc = coredump_remote(c, d, name, run_dir, file, flags);
    } else if (dump) {
        if (virDomainCoreDumpWithFormat(d, file, VIR_DOMAIN_CORE_DUMP_FORMAT_RAW, flags) < 0) {
            fprintf(stderr, "virDomainCoreDumpWithFormat %s: %s\n", name, lv_err());
            rc = 3;
        }
    } else if (virDomainIsActive(d) == 1) {
        if (virDomainDestroy(d) < 0) {
            fprintf(stderr, "virDomainDestroy %s: %s\n", name, lv_err());
            rc = 3;
        } else {
            printf("destroyed %s\n", name);
        }
    }
    if (d)
        virDomainFree(d);
    virConnectClose(c);
    return rc;
}

/* ---- remote URIs (qemu+ssh://) ------------------------------------------
 * The backend keeps talking to local paths; this program puts each of them
 * on the libvirt connection (or, for the gdbstub, an ssh tunnel) and never
 * opens a file of the remote host itself:
 *   kernel, initrd       pool volumes (virStorageVolCreateXML + Upload), the
 *                        domain's <kernel>/<initrd> are their remote paths
 *   capture disk         a sparse pool volume the size of the backend's file;
 *                        --fetch-disk downloads it (sparse stream) afterwards
 *   console              <serial type='pty'> + virDomainOpenConsole (stream)
 *   QMP                  a unix socket at the backend's -qmp path served by
 *                        a thread: each command through
 *                        virDomainQemuMonitorCommand; commands naming a host
 *                        file (pmemsave, dump-guest-memory, ...) are refused
 *   gdbstub              -gdb unix:POOL_DIR/NAME.gdb on the remote, reached
 *                        by `ssh -N -L LOCAL:REMOTE` (the URI's ssh options)
 *   memory dumps         --coredump[-live]: virDomainCoreDumpWithFormat into
 *                        a pool volume's path, virStorageVolDownload, delete
 * Volume names: libvirt_vol_name (harness/src/libvirt_remote.c), listed in
 * RUN_DIR/libvirt-volumes so --cleanup deletes what a failed run left. */

static bool remote_uri(void)
{
    return libvirt_uri_remote(uri());
}

static const char *pool_name(void)
{
    const char *p = getenv("DUMPBENCH_LIBVIRT_POOL");
    return p && *p ? p : "dumpbench";
}

/* The pool (active, type dir) and its target directory on the remote. */
static virStoragePoolPtr open_pool(virConnectPtr c, char *dir, size_t len, char *err, size_t errlen)
{
    virStoragePoolPtr p = virStoragePoolLookupByName(c, pool_name());
    if (!p) {
        snprintf(err, errlen, "no storage pool '%s' on %s (DUMPBENCH_LIBVIRT_POOL; create a "
                 "directory pool there: virsh -c URI pool-create-as %s dir --target DIR --build): %s",
                 pool_name(), uri(), pool_name(), lv_err());
        return NULL;
    }
    char *x = virStoragePoolIsActive(p) == 1 ? virStoragePoolGetXMLDesc(p, 0) : NULL;
    const char *t = x ? strstr(x, "<target>") : NULL;
    const char *ps = t ? strstr(t, "<path>") : NULL;
    const char *pe = ps ? strstr(ps, "</path>") : NULL;
    if (!x || !strstr(x, "<pool type='dir'") || !pe || (size_t)(pe - ps - 6) >= len ||
        ps[6] != '/') {
        snprintf(err, errlen, "storage pool '%s' on %s is not an active directory pool%s",
                 pool_name(), uri(), x ? "" : " (inactive)");
        free(x);
        virStoragePoolFree(p);
        return NULL;
    }
    memcpy(dir, ps + 6, (size_t)(pe - ps - 6));
    dir[pe - ps - 6] = '\0';
    free(x);
    return p;
}

/* RUN_DIR/libvirt-volumes: one volume name a line, written before the
 * volume is created (so --cleanup finds what a killed run left). */
static void note_volume(const char *run_dir, const char *vol)
{
    char p[PATH_MAX];
    snprintf(p, sizeof(p), "%s/libvirt-volumes", run_dir);
    FILE *f = fopen(p, "a");
    if (f) {
        fprintf(f, "%s\n", vol);
        fclose(f);
    }
}

/* A raw volume NAME of cap bytes (sparse: allocation 0); an old one of that
 * name (a run killed before --cleanup) is deleted first. */
static virStorageVolPtr vol_create(virStoragePoolPtr p, const char *name, unsigned long long cap,
                                   char *err, size_t errlen)
{
    virStorageVolPtr old = virStorageVolLookupByName(p, name);
    if (old) {
        virStorageVolDelete(old, 0);
        virStorageVolFree(old);
    }
    char xml[512];
    snprintf(xml, sizeof(xml), "<volume><name>%s</name><capacity unit='bytes'>%llu</capacity>"
             "<allocation unit='bytes'>0</allocation><target><format type='raw'/></target>"
             "</volume>", name, cap);
    virStorageVolPtr v = virStorageVolCreateXML(p, xml, 0);
    if (!v)
        snprintf(err, errlen, "virStorageVolCreateXML %s: %s", name, lv_err());
    return v;
}

/* End a volume transfer's stream (NULL: nothing): aborted unless the
 * transfer finished, then freed. */
static void stream_release(virStreamPtr s, bool finished)
{
    if (!s)
        return;
    if (!finished)
        virStreamAbort(s);
    virStreamFree(s);
}

static int upload_src(virStreamPtr st, char *data, size_t n, void *opaque)
{
    (void)st;
    return (int)read(*(int *)opaque, data, n);
}

static int vol_upload(virConnectPtr c, virStorageVolPtr v, const char *file, char *err, size_t errlen)
{
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(err, errlen, "%s: %s", file, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    virStreamPtr s = virStreamNew(c, 0);
    int rc = -1;
    if (!s || virStorageVolUpload(v, s, 0, (unsigned long long)st.st_size, 0) < 0 ||
        virStreamSendAll(s, upload_src, &fd) < 0 || virStreamFinish(s) < 0)
        snprintf(err, errlen, "virStorageVolUpload %s: %s", file, lv_err());
    else
        rc = 0;
    stream_release(s, rc == 0);
    close(fd);
    return rc;
}

struct sink {
    int fd;
    long long off;
    bool bad;
};

static int sink_data(virStreamPtr st, const char *data, size_t n, void *opaque)
{
    (void)st;
    struct sink *k = opaque;
    for (size_t w = 0; w < n;) {
        ssize_t r = write(k->fd, data + w, n - w);
        if (r <= 0) {
            k->bad = true;
            return -1;
        }
        w += (size_t)r;
    }
    k->off += (long long)n;
    return (int)n;
}

static int sink_hole(virStreamPtr st, long long len, void *opaque)
{
    (void)st;
    struct sink *k = opaque;
    if (lseek(k->fd, len, SEEK_CUR) < 0) {
        k->bad = true;
        return -1;
    }
    k->off += len;
    return 0;
}

/* Volume -> local file (sparse: holes stay holes, the size is the volume's). */
static int vol_download(virConnectPtr c, virStorageVolPtr v, const char *file, bool sparse,
                        long long *bytes, char *err, size_t errlen)
{
    struct sink k = { open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), 0, false };
    if (k.fd < 0) {
        snprintf(err, errlen, "%s: %s", file, strerror(errno));
        return -1;
    }
    virStreamPtr s = virStreamNew(c, 0);
    int rc = -1;
    if (!s || virStorageVolDownload(v, s, 0, 0, sparse ? VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM : 0) < 0 ||
        (sparse ? virStreamSparseRecvAll(s, sink_data, sink_hole, &k)
                : virStreamRecvAll(s, sink_data, &k)) < 0 ||
        virStreamFinish(s) < 0)
        snprintf(err, errlen, "virStorageVolDownload to %s: %s", file,
                 k.bad ? strerror(errno) : lv_err());
    else if (ftruncate(k.fd, k.off) != 0)
        snprintf(err, errlen, "%s: %s", file, strerror(errno));
    else
        rc = 0;
    stream_release(s, rc == 0);
    if (close(k.fd) != 0 && rc == 0) {
        snprintf(err, errlen, "%s: %s", file, strerror(errno));
        rc = -1;
    }
    *bytes = k.off;
    return rc;
}

static void vol_delete_name(virStoragePoolPtr p, const char *name)
{
    virStorageVolPtr v = virStorageVolLookupByName(p, name);
    if (v) {
        if (virStorageVolDelete(v, 0) < 0)
            say("virStorageVolDelete %s: %s", name, lv_err());
        virStorageVolFree(v);
    }
}

/* The volume role (e.g. "capture.raw") listed in RUN_DIR/libvirt-volumes. */
static int run_volume(const char *run_dir, const char *role, char *out, size_t len)
{
    char p[PATH_MAX], line[512], suffix[64];
    snprintf(p, sizeof(p), "%s/libvirt-volumes", run_dir);
    snprintf(suffix, sizeof(suffix), ".%s", role);
    FILE *f = fopen(p, "r");
    if (!f)
        return -1;
    int rc = -1;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        size_t l = strlen(line), sl = strlen(suffix);
        if (l > sl && strcmp(line + l - sl, suffix) == 0) {
            rc = snprintf(out, len, "%s", line) < (int)len ? 0 : -1;
        }
    }
    fclose(f);
    return rc;
}

/* ---- QMP through virDomainQemuMonitorCommand ---- */
struct qmp_proxy {
    int lfd;
    char path[PATH_MAX];
    pthread_t th;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    virDomainPtr dom;            /* set once the domain runs */
    bool dom_failed;             /* the domain will never run */
    volatile bool stop;
};

/* The "execute" name of one QMP command line ("" if none). */
static void qmp_cmd_name(const char *line, char *out, size_t len)
{
    out[0] = '\0';
    const char *e = strstr(line, "\"execute\"");
    if (!e)
        return;
    e += 9;
    while (*e == ' ' || *e == ':')
        e++;
    if (*e != '"')
        return;
    e++;
    size_t n = strcspn(e, "\"");
    if (n >= len)
        return;
    memcpy(out, e, n);
    out[n] = '\0';
}

static void qmp_reply(int fd, const char *txt)
{
    size_t n = strlen(txt);
    for (size_t w = 0; w < n;) {
        ssize_t k = write(fd, txt + w, n - w);
        if (k <= 0)
            return;
        w += (size_t)k;
    }
    if (write(fd, "\n", 1) != 1)
        return;
}

static void qmp_error(int fd, const char *desc)
{
    char b[1200], esc[1000];
    size_t o = 0;
    for (const char *p = desc; *p && o + 3 < sizeof(esc); p++) {
        if (*p == '"' || *p == '\\')
            esc[o++] = '\\';
        esc[o++] = (unsigned char)*p < ' ' ? ' ' : *p;
    }
    esc[o] = '\0';
    snprintf(b, sizeof(b), "{\"error\": {\"class\": \"GenericError\", \"desc\": \"%s\"}}", esc);
    qmp_reply(fd, b);
}

static void qmp_handle(struct qmp_proxy *q, int fd, const char *line)
{
    char cmd[64], msg[700];
    qmp_cmd_name(line, cmd, sizeof(cmd));
    /* QEMU writes these files on its own host: through the API instead
     * (--coredump, --coredump-live, --fetch-disk) */
    static const char *const host_files[] = { "pmemsave", "memsave", "dump-guest-memory",
                                              "screendump", "migrate", "human-monitor-command" };
    if (!cmd[0]) {
        qmp_error(fd, "not a QMP command (no \"execute\")");
        return;
    }
    if (strcmp(cmd, "qmp_capabilities") == 0) {
        qmp_reply(fd, "{\"return\": {}}");       /* libvirt negotiated them */
        return;
    }
    for (size_t i = 0; i < sizeof(host_files) / sizeof(host_files[0]); i++)
        if (strcmp(cmd, host_files[i]) == 0) {
            snprintf(msg, sizeof(msg), "%s: QEMU runs on the remote libvirt host (%s); files "
                     "are fetched through storage volumes, not by QMP", cmd, uri());
            qmp_error(fd, msg);
            return;
        }
    pthread_mutex_lock(&q->mu);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 300;
    while (!q->dom && !q->dom_failed && !q->stop &&
           pthread_cond_timedwait(&q->cv, &q->mu, &until) == 0)
        ;
    virDomainPtr d = q->dom;
    pthread_mutex_unlock(&q->mu);
    if (!d) {
        qmp_error(fd, "the domain is not running");
        return;
    }
    char *res = NULL;
    if (virDomainQemuMonitorCommand(d, line, &res, 0) < 0) {
        snprintf(msg, sizeof(msg), "virDomainQemuMonitorCommand %s: %s", cmd, lv_err());
        qmp_error(fd, msg);
        return;
    }
    qmp_reply(fd, res);
    free(res);
}

static void *qmp_thread(void *opaque)
{
    struct qmp_proxy *q = opaque;
    virSetErrorFunc(NULL, quiet);
    int cfd = -1;
    char buf[65536];
    size_t len = 0;
    while (!q->stop) {
        struct pollfd pfd = { cfd >= 0 ? cfd : q->lfd, POLLIN, 0 };
        if (poll(&pfd, 1, 200) <= 0)
            continue;
        if (cfd < 0) {
            cfd = accept4(q->lfd, NULL, NULL, SOCK_CLOEXEC);
            if (cfd >= 0) {
                len = 0;
                qmp_reply(cfd, "{\"QMP\": {\"version\": {\"qemu\": {\"major\": 0, \"minor\": 0, "
                          "\"micro\": 0}, \"package\": \"dumpbench-libvirt-qemu: "
                          "virDomainQemuMonitorCommand\"}, \"capabilities\": []}}");
            }
            continue;
        }
        ssize_t n = read(cfd, buf + len, sizeof(buf) - 1 - len);
        if (n <= 0) {
            close(cfd);
            cfd = -1;
            continue;
        }
        len += (size_t)n;
        buf[len] = '\0';
        char *nl;
        while ((nl = memchr(buf, '\n', len))) {
            *nl = '\0';
            if (nl > buf)
                qmp_handle(q, cfd, buf);
            size_t used = (size_t)(nl + 1 - buf);
            memmove(buf, nl + 1, len - used);
            len -= used;
            buf[len] = '\0';
        }
        if (len == sizeof(buf) - 1) {
            qmp_error(cfd, "command longer than 64 KiB");
            len = 0;
        }
    }
    if (cfd >= 0)
        close(cfd);
    return NULL;
}

/* -qmp unix:PATH,server=on,wait=off: PATH */
static int unix_opt_path(const char *v, char *out, size_t len)
{
    if (!v || strncmp(v, "unix:", 5) != 0)
        return -1;
    size_t n = strcspn(v + 5, ",");
    if (n == 0 || n >= len)
        return -1;
    memcpy(out, v + 5, n);
    out[n] = '\0';
    return 0;
}

static int qmp_proxy_start(struct qmp_proxy *q, const char *path)
{
    memset(q, 0, sizeof(*q));
    q->lfd = -1;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    struct sockaddr_un a;
    memset(&a, 0, sizeof(a));
    a.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(a.sun_path))
        return -1;
    snprintf(q->path, sizeof(q->path), "%s", path);
    memcpy(a.sun_path, path, strlen(path) + 1);
    q->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    unlink(path);
    if (q->lfd < 0 || bind(q->lfd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(q->lfd, 1) != 0 ||
        pthread_create(&q->th, NULL, qmp_thread, q) != 0) {
        say("QMP proxy at %s: %s", path, strerror(errno));
        return -1;
    }
    q->started = true;
    return 0;
}

static void qmp_proxy_set(struct qmp_proxy *q, virDomainPtr d)
{
    pthread_mutex_lock(&q->mu);
    q->dom = d;
    q->dom_failed = d == NULL;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

static void qmp_proxy_stop(struct qmp_proxy *q)
{
    if (q->started) {
        pthread_mutex_lock(&q->mu);
        q->stop = true;
        pthread_cond_broadcast(&q->cv);
        pthread_mutex_unlock(&q->mu);
        pthread_join(q->th, NULL);
    }
    if (q->lfd >= 0) {
        close(q->lfd);
        unlink(q->path);
    }
    q->started = false;
    q->lfd = -1;
}

/* ---- the gdbstub through an ssh tunnel ---- */
static pid_t tunnel_start(const struct libvirt_uri *u, const char *local, const char *remote)
{
    struct libvirt_argv av;
    char err[300];
    if (libvirt_ssh_tunnel_argv(u, local, remote, &av, err, sizeof(err)) != 0) {
        say("gdbstub tunnel: %s", err);
        return -1;
    }
    char line[2048] = "";
    for (size_t i = 0; i < av.argc; i++)
        snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s", i ? " " : "", av.argv[i]);
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        int nul = open("/dev/null", O_RDWR);
        if (nul >= 0) {
            dup2(nul, 0);
            dup2(nul, 1);
        }
        if (logf_)
            dup2(fileno(logf_), 2);
        execvp(av.argv[0], av.argv);
        fprintf(stderr, "exec %s: %s\n", av.argv[0], strerror(errno));
        _exit(127);
    }
    if (pid < 0)
        say("gdbstub tunnel: fork: %s", strerror(errno));
    else
        say("gdbstub tunnel (pid %d): %s", (int)pid, line);
    return pid;
}

static void tunnel_stop(pid_t pid)
{
    if (pid <= 0)
        return;
    kill(pid, SIGTERM);
    int st;
    for (int i = 0; i < 50; i++) {
        if (waitpid(pid, &st, WNOHANG) == pid)
            return;
        struct timespec ts = { 0, 20 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
}

struct remote {
    struct libvirt_uri u;
    virStoragePoolPtr pool;
    char pool_dir[PATH_MAX];
    char kernel[PATH_MAX], initrd[PATH_MAX], disk[PATH_MAX];   /* remote paths */
    char vol_kernel[256], vol_initrd[256], vol_disk[256];
    char gdb_remote[PATH_MAX], gdb_local[PATH_MAX], gdb_arg[PATH_MAX + 32];
};

/* The remote paths a machine uses when pool_dir holds its volumes (a dir
 * pool's volume path is DIR/NAME): the domain XML of a remote run. */
static int remote_paths(struct machine *m, struct remote *r, const char *name, char *err,
                        size_t errlen)
{
    if (libvirt_vol_name(r->vol_kernel, sizeof(r->vol_kernel), name, "vmlinuz") != 0 ||
        libvirt_vol_name(r->vol_initrd, sizeof(r->vol_initrd), name, "initrd") != 0 ||
        libvirt_vol_name(r->vol_disk, sizeof(r->vol_disk), name, "capture.raw") != 0) {
        snprintf(err, errlen, "domain name %s: no volume names", name);
        return -1;
    }
    if (libvirt_gdb_sock_path(r->gdb_remote, sizeof(r->gdb_remote), r->pool_dir, name) != 0) {
        snprintf(err, errlen, "pool directory %.300s: too long for the gdbstub socket", r->pool_dir);
        return -1;
    }
    if (!r->kernel[0]) {
        snprintf(r->kernel, sizeof(r->kernel), "%.3800s/%s", r->pool_dir, r->vol_kernel);
        snprintf(r->initrd, sizeof(r->initrd), "%.3800s/%s", r->pool_dir, r->vol_initrd);
        snprintf(r->disk, sizeof(r->disk), "%.3800s/%s", r->pool_dir, r->vol_disk);
    }
    if (unix_opt_path(m->gdb, r->gdb_local, sizeof(r->gdb_local)) != 0) {
        snprintf(err, errlen, "-gdb %s: a remote run needs unix:PATH", m->gdb ? m->gdb : "(none)");
        return -1;
    }
    snprintf(r->gdb_arg, sizeof(r->gdb_arg), "unix:%s,server=on,wait=off", r->gdb_remote);
    m->kernel = r->kernel;
    m->initrd = m->initrd ? r->initrd : NULL;
    snprintf(m->disk, sizeof(m->disk), "%s", r->disk);
    m->gdb = r->gdb_arg;
    m->qmp = NULL;                  /* served here (struct qmp_proxy) */
    m->console_stream = true;       /* the FIFOs are on this host */
    return 0;
}

/* Kernel, initrd and the capture disk as volumes; the paths into r. */
static int remote_volumes(virConnectPtr c, struct remote *r, const char *run_dir,
                          const char *kernel, const char *initrd, const char *disk,
                          char *err, size_t errlen)
{
    struct { const char *vol, *file; char *path; bool upload; } v[3] = {
        { r->vol_kernel, kernel, r->kernel, true },
        { r->vol_initrd, initrd, r->initrd, true },
        { r->vol_disk, disk, r->disk, false },
    };
    for (int i = 0; i < 3; i++) {
        if (!v[i].file)
            continue;
        struct stat st;
        if (stat(v[i].file, &st) != 0) {
            snprintf(err, errlen, "%s: %s", v[i].file, strerror(errno));
            return -1;
        }
        note_volume(run_dir, v[i].vol);
        virStorageVolPtr vol = vol_create(r->pool, v[i].vol, (unsigned long long)st.st_size, err, errlen);
        if (!vol)
            return -1;
        int rc = v[i].upload ? vol_upload(c, vol, v[i].file, err, errlen) : 0;
        char *path = rc == 0 ? virStorageVolGetPath(vol) : NULL;
        virStorageVolFree(vol);
        if (rc != 0)
            return -1;
        if (!path || strlen(path) >= PATH_MAX) {
            snprintf(err, errlen, "virStorageVolGetPath %s: %s", v[i].vol, path ? "too long" : lv_err());
            free(path);
            return -1;
        }
        snprintf(v[i].path, PATH_MAX, "%s", path);
        free(path);
        say("volume %s (%lld bytes%s) in pool %s: %s", v[i].vol, (long long)st.st_size,
            v[i].upload ? ", uploaded" : ", sparse", pool_name(), v[i].path);
    }
    return 0;
}

/* --coredump / --coredump-live on a remote domain: into a pool volume's
 * path there, downloaded to FILE, the volume deleted. */
static int coredump_remote(virConnectPtr c, virDomainPtr d, const char *name, const char *run_dir,
                           const char *file, unsigned flags)
{
    char dir[PATH_MAX], err[1024], vol[256];
    virStoragePoolPtr p = open_pool(c, dir, sizeof(dir), err, sizeof(err));
    if (!p) {
        fprintf(stderr, "%s\n", err);
        return 3;
    }
    const char *role = flags & VIR_DUMP_LIVE ? "truth.elf" : "post.elf";
    int rc = 3;
    if (libvirt_vol_name(vol, sizeof(vol), name, role) != 0) {
        fprintf(stderr, "domain %s: no volume name\n", name);
        virStoragePoolFree(p);
        return 3;
    }
    note_volume(run_dir, vol);
    virStorageVolPtr v = vol_create(p, vol, 0, err, sizeof(err));
    char *path = v ? virStorageVolGetPath(v) : NULL;
    long long bytes = 0;
    if (!v || !path) {
        fprintf(stderr, "%s\n", v ? lv_err() : err);
    } else if (virDomainCoreDumpWithFormat(d, path, VIR_DOMAIN_CORE_DUMP_FORMAT_RAW, flags) < 0) {
        fprintf(stderr, "virDomainCoreDumpWithFormat %s into volume %s: %s\n", name, vol, lv_err());
    } else if (vol_download(c, v, file, false, &bytes, err, sizeof(err)) != 0) {
        fprintf(stderr, "%s\n", err);
    } else {
        printf("%s: %lld bytes through volume %s/%s\n", file, bytes, pool_name(), vol);
        rc = 0;
    }
    free(path);
    if (v) {
        virStorageVolDelete(v, 0);
        virStorageVolFree(v);
    }
    virStoragePoolFree(p);
    return rc;
}

/* --fetch-disk RUN_DIR FILE / --cleanup RUN_DIR */
static int volume_op(bool fetch, const char *run_dir, const char *file)
{
    virSetErrorFunc(NULL, quiet);
    char vol[256], dir[PATH_MAX], err[1024];
    if (fetch && run_volume(run_dir, "capture.raw", vol, sizeof(vol)) != 0) {
        fprintf(stderr, "%s/libvirt-volumes names no capture disk volume\n", run_dir);
        return 3;
    }
    char p[PATH_MAX];
    snprintf(p, sizeof(p), "%s/libvirt-volumes", run_dir);
    if (!fetch && access(p, F_OK) != 0)
        return 0;                   /* nothing was created */
    virConnectPtr c = virConnectOpen(uri());
    if (!c) {
        fprintf(stderr, "cannot connect to %s: %s\n", uri(), lv_err());
        return 3;
    }
    virStoragePoolPtr pool = open_pool(c, dir, sizeof(dir), err, sizeof(err));
    int rc = pool ? 0 : 3;
    if (!pool)
        fprintf(stderr, "%s\n", err);
    if (pool && fetch) {
        virStorageVolPtr v = virStorageVolLookupByName(pool, vol);
        long long bytes = 0;
        if (!v) {
            fprintf(stderr, "volume %s: %s\n", vol, lv_err());
            rc = 3;
        } else if (vol_download(c, v, file, true, &bytes, err, sizeof(err)) != 0) {
            fprintf(stderr, "%s\n", err);
            rc = 3;
        } else {
            printf("%s: %lld bytes (sparse) from volume %s/%s\n", file, bytes, pool_name(), vol);
            virStorageVolDelete(v, 0);
        }
        if (v)
            virStorageVolFree(v);
    } else if (pool) {
        FILE *f = fopen(p, "r");
        char line[512];
        unsigned n = 0;
        while (f && fgets(line, sizeof(line), f)) {
            line[strcspn(line, "\n")] = '\0';
            virStorageVolPtr v = line[0] ? virStorageVolLookupByName(pool, line) : NULL;
            if (v) {
                if (virStorageVolDelete(v, 0) == 0)
                    n++;
                else
                    fprintf(stderr, "virStorageVolDelete %s: %s\n", line, lv_err());
                virStorageVolFree(v);
            }
        }
        if (f)
            fclose(f);
        if (n)
            printf("deleted %u volume(s) of the run from pool %s\n", n, pool_name());
    }
    if (pool)
        virStoragePoolFree(pool);
    virConnectClose(c);
    return rc;
}

static bool domain_running(virDomainPtr d, const char *name, int *rc)
{
    int act = virDomainIsActive(d);
    if (act == 0) {
        say("domain %s stopped", name);
        return false;
    }
    if (act < 0 && virGetLastErrorCode() == VIR_ERR_NO_DOMAIN) {
        say("domain %s is gone (transient domain stopped)", name);
        return false;
    }
    if (act < 0) {
        say("virDomainIsActive: %s", lv_err());
        *rc = 3;
        return false;
    }
    return true;
}

/* The whole remote run (x86_64): volumes, domain, QMP proxy, console
 * stream, gdbstub tunnel; until the domain stops or a signal. */
static int run_remote(struct machine *m, const char *rundir, const char *em)
{
    struct remote r;
    memset(&r, 0, sizeof(r));
    char err[1024], host[128] = "host", name[160], qmp_local[PATH_MAX] = "";
    if (m->arch != ARCH_X86_64) {
        fprintf(stderr, "dumpbench-libvirt-qemu: remote URI %s: only x86_64 machines run remotely "
                "(the s390x/ppc64 firmware objects read and write files on QEMU's host and report "
                "in QEMU's stderr, which the libvirt API does not carry)\n", uri());
        return 2;
    }
    if (libvirt_uri_parse(uri(), &r.u, err, sizeof(err)) != 0 || strcmp(r.u.transport, "ssh") != 0) {
        fprintf(stderr, "dumpbench-libvirt-qemu: %s\n", r.u.transport[0] ? err :
                "a remote run needs qemu+ssh:// (the gdbstub is reached through an ssh tunnel)");
        return 2;
    }
    gethostname(host, sizeof(host) - 1);
    if (libvirt_domain_name(name, sizeof(name), rundir, host, (long)getpid()) != 0 ||
        unix_opt_path(m->qmp, qmp_local, sizeof(qmp_local)) != 0) {
        fprintf(stderr, "dumpbench-libvirt-qemu: a remote run needs -qmp unix:PATH\n");
        return 2;
    }
    char p[PATH_MAX + 32];
    snprintf(p, sizeof(p), "%s/libvirt.log", rundir);
    logf_ = fopen(p, "a");
    /* QMP first: the backend connects within 20 s, uploads may take longer */
    struct qmp_proxy qp;
    if (qmp_proxy_start(&qp, qmp_local) != 0)
        return 3;
    say("QMP at %s served through virDomainQemuMonitorCommand", qmp_local);
    catch_signals();
    int rc = 3;
    virConnectPtr c = NULL;
    virDomainPtr d = NULL;
    pid_t tunnel = -1;
    char *xml = NULL;
    const char *kernel = m->kernel, *initrd = m->initrd;
    char disk[PATH_MAX];
    snprintf(disk, sizeof(disk), "%s", m->disk);
    struct bridge br;
    memset(&br, 0, sizeof(br));
    br.in_fd = br.out_fd = -1;
    if (virEventRegisterDefaultImpl() < 0) {
        say("virEventRegisterDefaultImpl: %s", lv_err());
        goto out;
    }
    say("connecting to %s", uri());
    c = virConnectOpen(uri());
    if (!c) {
        say("cannot connect to %s: %s", uri(), lv_err());
        goto out;
    }
    r.pool = open_pool(c, r.pool_dir, sizeof(r.pool_dir), err, sizeof(err));
    if (!r.pool) {
        say("%s", err);
        goto out;
    }
    if (remote_paths(m, &r, name, err, sizeof(err)) != 0 ||
        remote_volumes(c, &r, rundir, kernel, initrd, disk, err, sizeof(err)) != 0) {
        say("%s", err);
        goto out;
    }
    snprintf(m->disk, sizeof(m->disk), "%s", r.disk);   /* the volume's path there */
    xml = domain_xml(m, name, em);
    if (!xml)
        goto out;
    snprintf(p, sizeof(p), "%s/domain.xml", rundir);
    FILE *xf = fopen(p, "w");
    if (xf) {
        fputs(xml, xf);
        fclose(xf);
    }
    say("creating domain %s on %s (the remote's default emulator, files in pool %s at %s)",
        name, uri(), pool_name(), r.pool_dir);
    d = virDomainCreateXML(c, xml, VIR_DOMAIN_START_AUTODESTROY);
    if (!d) {
        say("virDomainCreateXML: %s", lv_err());
        goto out;
    }
    say("domain %s running", name);
    snprintf(p, sizeof(p), "%s/libvirt-domain", rundir);
    FILE *nf = fopen(p, "w");
    if (nf) {
        fprintf(nf, "%s\n", name);
        fclose(nf);
    }
    qmp_proxy_set(&qp, d);
    tunnel = tunnel_start(&r.u, r.gdb_local, r.gdb_remote);
    if (tunnel < 0 || bridge_open(d, c, m->con_path, &br) != 0)
        goto out;
    rc = 0;
    for (unsigned tick = 0; !stop_requested; tick++) {
        bridge_input(&br);
        virEventRunDefaultImpl();        /* returns after the 10 ms timer at the latest */
        if (tick % 10 == 0 && !domain_running(d, name, &rc))
            break;
        int st;
        if (tick % 10 == 5 && waitpid(tunnel, &st, WNOHANG) == tunnel) {
            say("gdbstub tunnel exited (%s %d)", WIFEXITED(st) ? "status" : "signal",
                WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
            tunnel = -1;
            rc = 3;
            break;
        }
    }
out:
    if (!d)
        qmp_proxy_set(&qp, NULL);
    if (d && (stop_requested || rc != 0) && virDomainIsActive(d) == 1) {
        say("%s: destroying %s", stop_requested ? "stop requested" : "error", name);
        bridge_close(&br, false);        /* before the domain goes (bridge_close) */
        if (virDomainDestroy(d) < 0)
            say("virDomainDestroy: %s", lv_err());
    }
    qmp_proxy_stop(&qp);
    tunnel_stop(tunnel);
    bridge_close(&br, true);
    if (br.in_fd >= 0)
        close(br.in_fd);
    if (br.out_fd >= 0)
        close(br.out_fd);
    if (r.pool) {
        /* the boot files are not needed any more; the disk is, by --fetch-disk */
        vol_delete_name(r.pool, r.vol_kernel);
        vol_delete_name(r.pool, r.vol_initrd);
        virStoragePoolFree(r.pool);
    }
    free(xml);
    if (d)
        virDomainFree(d);
    if (c)
        virConnectClose(c);
    if (logf_)
        fclose(logf_);
    logf_ = NULL;
    return rc;
}

int main(int argc, char **argv)
{
    if ((argc == 2 || argc == 3) && strcmp(argv[1], "--probe") == 0)
        return probe(argc == 3 ? argv[2] : NULL);
    if (argc == 4 && strcmp(argv[1], "--coredump") == 0)
        return domain_op(true, false, argv[2], argv[3]);
    if (argc == 4 && strcmp(argv[1], "--coredump-live") == 0)
        return domain_op(true, true, argv[2], argv[3]);
    if (argc == 3 && strcmp(argv[1], "--destroy") == 0)
        return domain_op(false, false, argv[2], NULL);
    if (argc == 4 && strcmp(argv[1], "--fetch-disk") == 0)
        return volume_op(true, argv[2], argv[3]);
    if (argc == 3 && strcmp(argv[1], "--cleanup") == 0)
        return volume_op(false, argv[2], NULL);
    if (argc == 3 && strcmp(argv[1], "--nmi") == 0)
        return live_op(argv[1], argv[2], NULL, NULL);
    if (argc == 4 && strcmp(argv[1], "--add-vcpus") == 0)
        return live_op(argv[1], argv[2], argv[3], NULL);
    if (argc == 5 && strcmp(argv[1], "--attach-dimm") == 0)
        return live_op(argv[1], argv[2], argv[3], argv[4]);
    bool xml_only = argc > 1 && strcmp(argv[1], "--xml") == 0;
    int first = xml_only ? 2 : 1;
    const char *emulator = NULL;
    if (first + 1 < argc && strcmp(argv[first], "--emulator") == 0) {
        emulator = argv[first + 1];
        first += 2;
    }
    struct machine m;
    char err[512];
    if (parse_argv(argc - first, argv + first, &m, err, sizeof(err)) != 0) {
        fprintf(stderr, "dumpbench-libvirt-qemu: %s\n", err);
        machine_free(&m);
        return 2;
    }
    char em[PATH_MAX], name[128], rundir[PATH_MAX], kernel[PATH_MAX], initrd[PATH_MAX];
    absolute(m.disk, sizeof(m.disk));
    absolute(m.con_path, sizeof(m.con_path));
    snprintf(kernel, sizeof(kernel), "%s", m.kernel);
    absolute(kernel, sizeof(kernel));
    m.kernel = kernel;
    if (m.initrd) {
        snprintf(initrd, sizeof(initrd), "%s", m.initrd);
        absolute(initrd, sizeof(initrd));
        m.initrd = initrd;
    }
    snprintf(rundir, sizeof(rundir), "%s", m.disk);
    char *sl = strrchr(rundir, '/');
    if (sl)
        *sl = '\0';
    else
        snprintf(rundir, sizeof(rundir), ".");
    if (remote_uri()) {
        /* no <emulator>: the remote libvirt's default for x86_64/pc (a path
         * on this host means nothing there) */
        em[0] = '\0';
        char host[128] = "host";
        gethostname(host, sizeof(host) - 1);
        if (!xml_only) {
            int rrc = run_remote(&m, rundir, em);
            machine_free(&m);
            return rrc;
        }
        /* --xml: what run_remote creates, with the pool's directory from
         * DUMPBENCH_LIBVIRT_POOL_DIR (nothing is asked) */
        struct remote r;
        memset(&r, 0, sizeof(r));
        const char *pd = getenv("DUMPBENCH_LIBVIRT_POOL_DIR");
        snprintf(r.pool_dir, sizeof(r.pool_dir), "%s", pd && *pd ? pd : "/POOL-DIR");
        char e[512] = "only x86_64 machines run on a remote URI";
        if (m.arch != ARCH_X86_64 ||
            libvirt_domain_name(name, sizeof(name), rundir, host, (long)getpid()) != 0 ||
            remote_paths(&m, &r, name, e, sizeof(e)) != 0) {
            fprintf(stderr, "dumpbench-libvirt-qemu: %s\n", e);
            machine_free(&m);
            return 2;
        }
        char *x = domain_xml(&m, name, em);
        machine_free(&m);
        if (!x)
            return 3;
        fputs(x, stdout);
        free(x);
        return 0;
    }
    if (emulator)
        abs_path(emulator, em, sizeof(em));
    /* --xml --emulator PATH prints what would be created, whether PATH exists or not */
    if (emulator ? !xml_only && access(em, X_OK) != 0 : find_emulator(m.arch, em, sizeof(em)) != 0) {
        fprintf(stderr, "dumpbench-libvirt-qemu: qemu-system-%s not found (%s)\n",
                arch_name[m.arch], emulator ? emulator : arch_env[m.arch]);
        machine_free(&m);
        return 2;
    }
    if (libvirt_domain_name(name, sizeof(name), rundir, NULL, (long)getpid()) != 0) {
        fprintf(stderr, "dumpbench-libvirt-qemu: run directory %s: no domain name\n", rundir);
        machine_free(&m);
        return 2;
    }
    const char *cm = getenv("DUMPBENCH_LIBVIRT_CONSOLE");
    if (cm && strcmp(cm, "stream") == 0)
        m.console_stream = true;
    else if (cm && *cm && strcmp(cm, "pipe") != 0) {
        fprintf(stderr, "dumpbench-libvirt-qemu: DUMPBENCH_LIBVIRT_CONSOLE=%s: pipe or stream\n", cm);
        machine_free(&m);
        return 2;
    }
    char *xml = domain_xml(&m, name, em);
    const bool stream_console = m.console_stream;
    char con_path[PATH_MAX];
    snprintf(con_path, sizeof(con_path), "%s", m.con_path);
    machine_free(&m);
    if (!xml) {
        fprintf(stderr, "dumpbench-libvirt-qemu: out of memory\n");
        return 3;
    }
    if (xml_only) {
        fputs(xml, stdout);
        free(xml);
        return 0;
    }
    char p[PATH_MAX + 32];
    snprintf(p, sizeof(p), "%s/libvirt.log", rundir);
    logf_ = fopen(p, "a");
    snprintf(p, sizeof(p), "%s/domain.xml", rundir);
    FILE *xf = fopen(p, "w");
    if (xf) {
        fputs(xml, xf);
        fclose(xf);
    }
    catch_signals();
    if (stream_console && virEventRegisterDefaultImpl() < 0) {
        say("virEventRegisterDefaultImpl: %s", lv_err());
        free(xml);
        return 3;
    }
    virConnectPtr c = virConnectOpen(uri());
    if (!c) {
        say("cannot connect to %s: %s", uri(), lv_err());
        free(xml);
        return 3;
    }
    /* s390x/ppc64: QEMU's stderr (the firmware's "dumpbench: ..." lines the
     * backend reads from console.log) goes to libvirt's domain log through
     * virtlogd; it is copied to this program's stdout (console.log) */
    int relay = -1;
    off_t relay_pos = 0;
    char qlog[PATH_MAX];
    snprintf(qlog, sizeof(qlog), "/var/log/libvirt/qemu/%s.log", name);
    if (m.arch != ARCH_X86_64) {
        struct stat st;
        relay_pos = stat(qlog, &st) == 0 ? st.st_size : 0;
    }
    say("creating domain %s on %s (emulator %s)", name, uri(), em);
    virDomainPtr d = virDomainCreateXML(c, xml, VIR_DOMAIN_START_AUTODESTROY);
    free(xml);
    if (!d) {
        say("virDomainCreateXML: %s", lv_err());
        virConnectClose(c);
        return 3;
    }
    say("domain %s running", name);
    snprintf(p, sizeof(p), "%s/libvirt-domain", rundir);
    FILE *nf = fopen(p, "w");
    if (nf) {
        fprintf(nf, "%s\n", name);
        fclose(nf);
    }
    if (m.arch != ARCH_X86_64) {
        relay = open(qlog, O_RDONLY | O_CLOEXEC);
        if (relay < 0)
            say("%s: %s (QEMU's messages are not copied to the console log)", qlog, strerror(errno));
        else
            say("copying QEMU's log %s to the console log", qlog);
    }
    int rc = 0;
    struct bridge br;
    memset(&br, 0, sizeof(br));
    br.in_fd = br.out_fd = -1;
    if (stream_console && bridge_open(d, c, con_path, &br) != 0) {
        stop_requested = 1;          /* no console: the backend would wait for nothing */
        rc = 3;
    }
    /* x86_64: the domain state every 100 ms; s390x/ppc64: QEMU's log every
     * 10 ms (the backend reads a firmware line right after the guest's
     * reaction to it) and the state every 100 ms; console stream: the event
     * loop (10 ms timer) between */
    const long step_ms = relay >= 0 || stream_console ? 10 : 100;
    for (unsigned tick = 0; !stop_requested; tick++) {
        struct timespec ts = { 0, step_ms * 1000 * 1000 };
        if (relay >= 0)
            relay_pos = relay_log(relay, relay_pos);
        if (stream_console) {
            bridge_input(&br);
            virEventRunDefaultImpl();    /* returns after the 10 ms timer at the latest */
            ts.tv_nsec = 0;
        }
        if (tick % (unsigned)(100 / step_ms) != 0) {
            if (ts.tv_nsec)
                nanosleep(&ts, NULL);
            continue;
        }
        int act = virDomainIsActive(d);
        if (act == 0) {
            say("domain %s stopped", name);
            break;
        }
        if (act < 0 && virGetLastErrorCode() == VIR_ERR_NO_DOMAIN) {
            say("domain %s is gone (transient domain stopped)", name);
            break;
        }
        if (act < 0) {
            say("virDomainIsActive: %s", lv_err());
            rc = 3;
            break;
        }
        if (ts.tv_nsec)
            nanosleep(&ts, NULL);
    }
    if (stop_requested && virDomainIsActive(d) == 1) {
        say("stop requested: destroying %s", name);
        bridge_close(&br, false);        /* before the domain goes (bridge_close) */
        if (virDomainDestroy(d) < 0)
            say("virDomainDestroy: %s", lv_err());
    }
    bridge_close(&br, true);
    if (br.in_fd >= 0)
        close(br.in_fd);
    if (br.out_fd >= 0)
        close(br.out_fd);
    virDomainFree(d);
    virConnectClose(c);
    if (relay >= 0) {
        relay_log(relay, relay_pos);     /* QEMU's last words */
        close(relay);
    }
    if (logf_)
        fclose(logf_);
    return rc;
}
