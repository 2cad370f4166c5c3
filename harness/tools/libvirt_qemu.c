/*
 * dumpbench-libvirt-qemu — runs "the QEMU of an x86_64 scenario" as a
 * libvirt domain.
 *
 *   dumpbench-libvirt-qemu --probe
 *   dumpbench-libvirt-qemu --coredump RUN_DIR FILE   (memory-only ELF of the run's domain)
 *   dumpbench-libvirt-qemu --destroy RUN_DIR         (destroy the run's domain if it runs)
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
 * URI: $DUMPBENCH_LIBVIRT_URI, default qemu:///system.
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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

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
    char em[PATH_MAX];
    if (find_emulator(arch, em, sizeof(em)) != 0) {
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
    if (virConnectGetVersion(c, &hv) < 0) {
        printf("%s: no hypervisor version: %s\n", uri(), lv_err());
        virConnectClose(c);
        return 77;
    }
    printf("libvirt %lu.%lu.%lu at %s, QEMU %lu.%lu.%lu, emulator %s\n", lv / 1000000,
           lv / 1000 % 1000, lv % 1000, uri(), hv / 1000000, hv / 1000 % 1000, hv % 1000, em);
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

/* --coredump RUN_DIR FILE / --destroy RUN_DIR */
static int domain_op(bool dump, const char *run_dir, const char *file)
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
    if (!d) {
        rc = dump ? 3 : 0;          /* nothing to destroy */
    } else if (dump) {
        /* memory only, ELF (QEMU dump-guest-memory underneath), the guest keeps running */
        if (virDomainCoreDumpWithFormat(d, file, VIR_DOMAIN_CORE_DUMP_FORMAT_RAW,
                                        VIR_DUMP_MEMORY_ONLY) < 0) {
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

int main(int argc, char **argv)
{
    if ((argc == 2 || argc == 3) && strcmp(argv[1], "--probe") == 0)
        return probe(argc == 3 ? argv[2] : NULL);
    if (argc == 4 && strcmp(argv[1], "--coredump") == 0)
        return domain_op(true, argv[2], argv[3]);
    if (argc == 3 && strcmp(argv[1], "--destroy") == 0)
        return domain_op(false, argv[2], NULL);
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
    if (emulator)
        abs_path(emulator, em, sizeof(em));
    /* --xml --emulator PATH prints what would be created, whether PATH exists or not */
    if (emulator ? !xml_only && access(em, X_OK) != 0 : find_emulator(m.arch, em, sizeof(em)) != 0) {
        fprintf(stderr, "dumpbench-libvirt-qemu: qemu-system-%s not found (%s)\n",
                arch_name[m.arch], emulator ? emulator : arch_env[m.arch]);
        machine_free(&m);
        return 2;
    }
    snprintf(rundir, sizeof(rundir), "%s", m.disk);
    char *sl = strrchr(rundir, '/');
    if (sl)
        *sl = '\0';
    else
        snprintf(rundir, sizeof(rundir), ".");
    const char *base = strrchr(rundir, '/');
    snprintf(name, sizeof(name), "dumpbench-%.80s-%ld", base ? base + 1 : rundir, (long)getpid());
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
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    virSetErrorFunc(NULL, quiet);
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
        if (virDomainDestroy(d) < 0)
            say("virDomainDestroy: %s", lv_err());
    }
    if (br.st) {
        if (!br.eof)
            virStreamEventRemoveCallback(br.st);
        virStreamAbort(br.st);
        virStreamFree(br.st);
    }
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
