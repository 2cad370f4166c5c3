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
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

struct machine {
    uint64_t mem_mib, maxmem_mib;
    unsigned slots, cpus, maxcpus;
    const char *kernel, *initrd, *append;
    char disk[PATH_MAX];
    char cache[32];
    char con_path[PATH_MAX];       /* -chardev pipe,path= */
    const char *qmp, *gdb;         /* passed through */
    bool no_reboot;
    const char *rtc;               /* -rtc base=...: start time */
};

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

static int parse_argv(int argc, char **argv, struct machine *m, char *err, size_t errlen)
{
    memset(m, 0, sizeof(*m));
    m->cpus = m->maxcpus = 1;
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
        if (!strcmp(a, "-machine")) {
            NEED_ARG();
            if (strncmp(v, "pc", 2) != 0) {
                snprintf(err, errlen, "machine '%s': only pc is translated", v);
                return -1;
            }
            continue;
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
            continue;
        }
        if (!strcmp(a, "-device")) {
            NEED_ARG();
            if (strncmp(v, "virtio-blk-pci", 14) != 0) {
                snprintf(err, errlen, "device '%s' is not translated", v);
                return -1;
            }
            continue;
        }
        snprintf(err, errlen, "QEMU option '%s' is not translated to domain XML", a);
        return -1;
#undef NEED_ARG
    }
    if (!m->kernel || !m->mem_mib || !m->con_path[0] || !m->disk[0]) {
        snprintf(err, errlen, "need -kernel, -m, -chardev pipe and -drive");
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
    fputs("<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n", f);
    xml_elem(f, "  ", "name", name);
    fprintf(f, "  <memory unit='MiB'>%" PRIu64 "</memory>\n", m->mem_mib);
    if (m->maxmem_mib && m->slots)
        fprintf(f, "  <maxMemory slots='%u' unit='MiB'>%" PRIu64 "</maxMemory>\n", m->slots,
                m->maxmem_mib);
    fprintf(f, "  <vcpu placement='static' current='%u'>%u</vcpu>\n", m->cpus, m->maxcpus);
    fputs("  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n", f);
    xml_elem(f, "    ", "kernel", m->kernel);
    if (m->initrd)
        xml_elem(f, "    ", "initrd", m->initrd);
    if (m->append)
        xml_elem(f, "    ", "cmdline", m->append);
    fputs("  </os>\n  <features><acpi/><apic/></features>\n", f);
    /* memory hotplug needs a NUMA cell in libvirt */
    if (m->maxmem_mib && m->slots)
        fprintf(f, "  <cpu><numa><cell id='0' cpus='0-%u' memory='%" PRIu64 "' unit='MiB'/>"
                "</numa></cpu>\n", m->maxcpus - 1, m->mem_mib);
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
    fputs("  <on_poweroff>destroy</on_poweroff>\n", f);
    fprintf(f, "  <on_reboot>%s</on_reboot>\n", m->no_reboot ? "destroy" : "restart");
    fputs("  <on_crash>destroy</on_crash>\n  <devices>\n", f);
    xml_elem(f, "    ", "emulator", emulator);
    fprintf(f, "    <disk type='file' device='disk'>\n"
               "      <driver name='qemu' type='raw' cache='%s'/>\n      <source file='",
            m->cache[0] ? m->cache : "none");
    xml_text(f, m->disk);
    fputs("'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n", f);
    /* the backend's FIFO pair PATH.in / PATH.out */
    fputs("    <serial type='pipe'>\n      <source path='", f);
    xml_text(f, m->con_path);
    fputs("'/>\n      <target port='0'/>\n    </serial>\n", f);
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
    fputs("  </qemu:commandline>\n</domain>\n", f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static int find_emulator(char *out, size_t len)
{
    const char *e = getenv("DUMPBENCH_QEMU_X86_64");
    if (e && *e) {
        snprintf(out, len, "%s", e);
        return access(out, X_OK);
    }
    const char *path = getenv("PATH");
    char dirs[4096];
    snprintf(dirs, sizeof(dirs), "%s:/usr/bin:/usr/local/bin", path ? path : "");
    for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        snprintf(out, len, "%s/qemu-system-x86_64", d);
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

static int probe(void)
{
    virSetErrorFunc(NULL, quiet);
    virConnectPtr c = virConnectOpen(uri());
    if (!c) {
        printf("cannot connect to %s: %s\n", uri(), lv_err());
        return 77;
    }
    unsigned long lv = 0, hv = 0;
    char em[PATH_MAX];
    if (find_emulator(em, sizeof(em)) != 0) {
        printf("qemu-system-x86_64 not installed\n");
        virConnectClose(c);
        return 77;
    }
    virConnectGetLibVersion(c, &lv);
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
    if (argc == 2 && strcmp(argv[1], "--probe") == 0)
        return probe();
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
    struct machine m;
    char err[512];
    if (parse_argv(argc - first, argv + first, &m, err, sizeof(err)) != 0) {
        fprintf(stderr, "dumpbench-libvirt-qemu: %s\n", err);
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
    if (find_emulator(em, sizeof(em)) != 0) {
        fprintf(stderr, "dumpbench-libvirt-qemu: qemu-system-x86_64 not found\n");
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
    char *xml = domain_xml(&m, name, em);
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
    virConnectPtr c = virConnectOpen(uri());
    if (!c) {
        say("cannot connect to %s: %s", uri(), lv_err());
        free(xml);
        return 3;
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
    int rc = 0;
    while (!stop_requested) {
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
        struct timespec ts = { 0, 100 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    if (stop_requested && virDomainIsActive(d) == 1) {
        say("stop requested: destroying %s", name);
        if (virDomainDestroy(d) < 0)
            say("virDomainDestroy: %s", lv_err());
    }
    virDomainFree(d);
    virConnectClose(c);
    if (logf_)
        fclose(logf_);
    return rc;
}
