/*
 * The sim backend (contract: <sim/backend.h>, <harness/backend.h>).
 *
 * s390x flow for `dump method=zfcpdump`:
 *   boot      machine + libsclp (profile) + libfcp adapter with the dump
 *             LUN (file-backed: run_dir/dump.img), the kernel's dump IPLB
 *             (FCP, opt 0x20, target devno/WWPN/LUN) and VMCOREINFO note
 *             in guest memory;
 *   crash     CPUs stopped, IPL CPU store status at 0x1200 (+ ar_mode_id),
 *             truth snapshot, DIAG 308 SET + LOAD NORMAL DUMP (libsclp:
 *             HSA copy), the dump kernel's footprint over [0, HSA size)
 *             and its registers on the IPL CPU (vector registers kept);
 *   capture   the reference zfcpdump agent writes the dump onto the LUN;
 *             dump.img is cut to the bytes written, its zero runs punched
 *             out (sparse file, same bytes) and parsed back.
 * Faults: sdias (at the SCLP interface, see sdias_servc), hsa
 * release-early (DIAG 308/2 right after the dump IPL), fcp (libfcp hooks;
 * lun-removed at-block=N is armed by the capture's target wrapper when the
 * write reaches block N), and the process faults disk/capture/machine
 * (sim/src/proc_faults.c): the capture then runs in a child process
 * (sim/src/child.c) with a file size limit, a kill or hang point on the
 * target wrapper, and the `step capture timeout=` deadline.
 */
#include <sim/backend.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <dumpbench/be.h>
#include <fcp/fcp.h>
#include <sclp/sclp.h>
#include <sim/child.h>
#include <sim/fadump.h>
#include <sim/zfcpdump.h>

#define MIB (UINT64_C(1) << 20)

/* Guest locations the simulated kernel uses (all in its first 128 KiB). */
#define KERNEL_IPLB_ADDR      0x1e000u  /* dump_block_fcp (page aligned, DIAG 308/5) */
#define KERNEL_VMCOREINFO     0x1d000u  /* VMCOREINFO note (lx61 vmcoreinfo_note) */
#define LC_VMCORE_INFO        0x0e0cu   /* lowcore pointer to it */
#define DEFAULT_TARGET        "fcp:0.0.1900/0x500507630300c562/0x4010400000000000"
#define REMOTE_PORT_DID       0x010200u
#define LUN_BLOCK_SIZE        512u
#define DIAG308_SET           5
#define DIAG308_LOAD_DUMP     4
#define DIAG308_BUSY_TRIES    100
#define FOOTPRINT_SALT        0x666f6f747072696eull   /* "footprin" */
#define DUMPKERNEL_SALT       0x64756d706b726e6cull   /* "dumpkrnl" */
#define CHURN_SALT            0x636875726e000000ull

struct sdias_fault {
    bool armed;
    uint8_t status;
    int64_t at_block;       /* first HSA block (fbn) affected; -1 = any */
    int64_t count;          /* requests to fail; -1 = unlimited */
    uint64_t fired;
};

struct run {
    const struct scenario *s;
    const char *run_dir;
    FILE *log;
    struct run_result *res;
    char *err;
    size_t errlen;
    struct sim_machine *m;
    struct sclp *sclp;
    struct sclp_profile prof;
    struct fcp_adapter *fcp;
    char img_path[512];
    uint8_t cssid, ssid;
    uint16_t devno;
    uint64_t wwpn, lun;
    unsigned ipl_cpu;
    bool booted, hung, dumped, captured;
    struct sdias_fault sdias;
    bool hsa_release_early;
    struct sim_proc_faults pf;
    bool machine_dead;
    uint64_t lun_remove_at;         /* fault fcp lun-removed at-block (deferred) */
    struct sim_child *child;        /* in the capture child: its pipe */
    uint64_t servc_calls;
    struct zfd_sclp_binding sclp_bind;
    struct zfd_fw sclp_fw;
    int line;
};

static void logf_(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void logf_(struct run *r, const char *fmt, ...)
{
    if (!r->log) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    fprintf(r->log, "sim: line %d: ", r->line);
    vfprintf(r->log, fmt, ap);
    fputc('\n', r->log);
    va_end(ap);
}

static int fail(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A backend/scenario error: RUN_ERROR with the message in errbuf. */
static int fail(struct run *r, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (r->err && r->errlen) {
        snprintf(r->err, r->errlen, "%s:%d: %s", r->s->path ? r->s->path : "scenario",
                 r->line, msg);
    }
    r->res->outcome = RUN_ERROR;
    snprintf(r->res->reason, sizeof(r->res->reason), "%.250s", msg);
    logf_(r, "error: %s", msg);
    return -1;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- shared helpers ------------------------------------------------------------ */

struct sim_machine *sim_machine_from_scenario(const struct scenario *s,
                                              char *errbuf, size_t errlen)
{
    struct sim_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    switch (s->machine.arch) {
    case SCN_ARCH_S390X: cfg.arch = SIM_S390X; break;
    case SCN_ARCH_PPC64: cfg.arch = SIM_PPC64; break;
    default:
        snprintf(errbuf, errlen, "arch %s not supported by the sim machine",
                 scn_arch_name(s->machine.arch));
        return NULL;
    }
    cfg.memory = s->machine.memory;
    cfg.cpus = s->machine.cpus;
    cfg.max_cpus = s->machine.max_cpus > s->machine.cpus ? s->machine.max_cpus
                                                          : s->machine.cpus;
    cfg.seed = s->machine.seed;
    return sim_new(&cfg, errbuf, errlen);
}

int sim_step_plant(struct sim_machine *m, const struct scn_item *it,
                   char *errbuf, size_t errlen)
{
    uint64_t addr = (uint64_t)scn_get_num(it, "addr", 0);
    uint64_t len = (uint64_t)scn_get_num(it, "len", 0);
    uint64_t seed = (uint64_t)scn_get_num(it, "seed", (int64_t)sim_seed(m));
    if (sim_plant(m, addr, len, seed) != 0) {
        snprintf(errbuf, errlen, "plant 0x%" PRIx64 "+0x%" PRIx64
                 " outside memory (0x%" PRIx64 " bytes)", addr, len, sim_mem_size(m));
        return -1;
    }
    return 0;
}

/* Indexed register name "<prefix>N" with N < max; returns N or -1. */
static int reg_index(const char *key, const char *prefix, int max)
{
    size_t pl = strlen(prefix);
    if (strncmp(key, prefix, pl) != 0 || key[pl] < '0' || key[pl] > '9') {
        return -1;
    }
    char *end;
    long n = strtol(key + pl, &end, 10);
    if (*end || n < 0 || n >= max || (key[pl] == '0' && key[pl + 1])) {
        return -1;
    }
    return (int)n;
}

static int set_s390_reg(struct db_s390_cpu *c, const char *k, uint64_t v)
{
    int i;
    if ((i = reg_index(k, "gpr", 16)) >= 0) {
        c->gprs[i] = v;
    } else if ((i = reg_index(k, "cr", 16)) >= 0) {
        c->crs[i] = v;
    } else if ((i = reg_index(k, "acr", 16)) >= 0) {
        c->acrs[i] = (uint32_t)v;
    } else if ((i = reg_index(k, "fpr", 16)) >= 0) {
        c->fprs[i] = v;
    } else if (!strcmp(k, "psw_addr")) {
        c->psw_addr = v;
    } else if (!strcmp(k, "psw_mask")) {
        c->psw_mask = v;
    } else if (!strcmp(k, "prefix")) {
        c->prefix = (uint32_t)v;
    } else if (!strcmp(k, "fpc")) {
        c->fpc = (uint32_t)v;
    } else if (!strcmp(k, "cputm")) {
        c->cputm = v;
    } else if (!strcmp(k, "ckc")) {
        c->ckc = v;
    } else if (!strcmp(k, "todpreg")) {
        c->todpreg = (uint32_t)v;
    } else {
        return -1;
    }
    return 0;
}

static int set_ppc_reg(struct db_ppc64_cpu *c, const char *k, uint64_t v)
{
    static const struct { const char *n; size_t off; } tab[] = {
        { "nia", offsetof(struct db_ppc64_cpu, nia) },
        { "msr", offsetof(struct db_ppc64_cpu, msr) },
        { "ctr", offsetof(struct db_ppc64_cpu, ctr) },
        { "lr", offsetof(struct db_ppc64_cpu, lr) },
        { "xer", offsetof(struct db_ppc64_cpu, xer) },
        { "cr", offsetof(struct db_ppc64_cpu, cr) },
        { "dar", offsetof(struct db_ppc64_cpu, dar) },
        { "dsisr", offsetof(struct db_ppc64_cpu, dsisr) },
        { "srr0", offsetof(struct db_ppc64_cpu, srr0) },
        { "srr1", offsetof(struct db_ppc64_cpu, srr1) },
        { "pir", offsetof(struct db_ppc64_cpu, pir) },
        { "pvr", offsetof(struct db_ppc64_cpu, pvr) },
        { "fpscr", offsetof(struct db_ppc64_cpu, fpscr) },
    };
    int i = reg_index(k, "gpr", 32);
    if (i >= 0) {
        c->gpr[i] = v;
        return 0;
    }
    for (size_t j = 0; j < sizeof(tab) / sizeof(tab[0]); j++) {
        if (!strcmp(k, tab[j].n)) {
            memcpy((uint8_t *)c + tab[j].off, &v, sizeof(v));
            return 0;
        }
    }
    return -1;
}

int sim_step_set_regs(struct sim_machine *m, const struct scn_item *it,
                      char *errbuf, size_t errlen)
{
    int64_t cpu = scn_get_num(it, "cpu", -1);
    if (cpu < 0 || (uint64_t)cpu >= sim_cpu_slots(m)) {
        snprintf(errbuf, errlen, "set-regs: no CPU %" PRId64 " (%u slots)", cpu,
                 sim_cpu_slots(m));
        return -1;
    }
    if (scn_arg(it, "seed")) {
        sim_cpu_randomize(m, (unsigned)cpu, (uint64_t)scn_get_num(it, "seed", 0));
    }
    for (size_t i = 0; i < it->nargs; i++) {
        const struct scn_kv *kv = &it->args[i];
        if (!strcmp(kv->key, "cpu") || !strcmp(kv->key, "seed")) {
            continue;
        }
        if (!kv->has_num) {
            snprintf(errbuf, errlen, "set-regs: %s needs a number", kv->key);
            return -1;
        }
        int rc = sim_arch(m) == SIM_S390X
                     ? set_s390_reg(sim_s390_cpu(m, (unsigned)cpu), kv->key, (uint64_t)kv->num)
                     : set_ppc_reg(sim_ppc64_cpu(m, (unsigned)cpu), kv->key, (uint64_t)kv->num);
        if (rc != 0) {
            snprintf(errbuf, errlen, "set-regs: unknown register '%s'", kv->key);
            return -1;
        }
    }
    return 0;
}

void sim_step_run(struct sim_machine *m, const struct scn_item *it, bool churn)
{
    uint64_t ms = (uint64_t)scn_get_num(it, "ms", 0);
    sim_advance(m, ms * 1000000ull);
    if (!churn) {
        return;
    }
    uint64_t n = ms < 256 ? ms : 256, size = sim_mem_size(m);
    for (uint64_t i = 0; i < n && size >= 8; i++) {
        uint64_t addr = (sim_random(m) % size) & ~7ull;
        uint64_t v = sim_random(m) ^ CHURN_SALT;
        (void)sim_mem_write(m, addr, &v, sizeof(v));
    }
}

int sim_plant_footprint(struct sim_machine *m, uint64_t base, uint64_t len, uint64_t seed)
{
    uint64_t msize = sim_mem_size(m);
    if (base > msize || len > msize - base) {
        return -1;
    }
    for (uint64_t off = 0; off < len; off += SIM_FOOTPRINT_STRIDE) {
        uint64_t n = len - off < SIM_PAGE_SIZE ? len - off : SIM_PAGE_SIZE;
        if (sim_plant(m, base + off, n, seed) != 0) {
            return -1;
        }
    }
    return 0;
}

int sim_copy_sparse(struct sim_machine *m, uint64_t src, uint64_t len, struct df_dump *d,
                    uint64_t paddr, uint8_t *dst)
{
    uint64_t msize = sim_mem_size(m);
    if (src > msize || len > msize - src || (src | len) % SIM_PAGE_SIZE) {
        return -1;
    }
    struct df_err err;
    uint64_t end = src + len, next = src;   /* [src, next) handled */
    for (uint64_t a = sim_mem_next_page(m, src); a != UINT64_MAX && a < end;
         a = sim_mem_next_page(m, a + SIM_PAGE_SIZE)) {
        const uint8_t *pg = sim_mem_page(m, a);
        if (a > next && df_dump_mark_zero(d, paddr + (next - src), a - next, &err) != 0) {
            return -1;
        }
        if (df_is_zero(pg, SIM_PAGE_SIZE)) {
            if (df_dump_mark_zero(d, paddr + (a - src), SIM_PAGE_SIZE, &err) != 0) {
                return -1;
            }
        } else {
            memcpy(dst + (a - src), pg, SIM_PAGE_SIZE);
        }
        next = a + SIM_PAGE_SIZE;
    }
    if (next < end && df_dump_mark_zero(d, paddr + (next - src), end - next, &err) != 0) {
        return -1;
    }
    return 0;
}

struct df_dump *sim_snapshot_dump(struct sim_machine *m, unsigned first,
                                  char *errbuf, size_t errlen)
{
    enum sim_arch arch = sim_arch(m);
    struct df_dump *d = df_dump_new(arch == SIM_S390X ? DF_ARCH_S390X : DF_ARCH_PPC64);
    uint64_t size = sim_mem_size(m);
    struct df_err err;
    if (!d) {
        snprintf(errbuf, errlen, "snapshot: out of memory");
        return NULL;
    }
    err.msg[0] = 0;
    /* Zero-filled (lazily allocated) chunk: the allocated pages are copied
     * in, the rest is marked known zero and never touched. */
    if (df_dump_add_chunk(d, 0, NULL, size, &err) != 0 ||
        sim_copy_sparse(m, 0, size, d, 0, (uint8_t *)d->chunks[0].data) != 0) {
        snprintf(errbuf, errlen, "snapshot: %s", err.msg[0] ? err.msg : "out of memory");
        df_dump_free(d);
        return NULL;
    }
    unsigned n = sim_cpu_slots(m);
    for (unsigned k = 0; k < n; k++) {
        unsigned i = k == 0 ? first : (k <= first ? k - 1 : k);
        struct df_cpu c;
        memset(&c, 0, sizeof(c));
        c.present = 1;
        if (arch == SIM_S390X) {
            c.regs.s390 = *sim_s390_cpu(m, i);
            if (!c.regs.s390.online) {
                continue;
            }
        } else {
            c.regs.ppc64 = *sim_ppc64_cpu(m, i);
            if (!c.regs.ppc64.online) {
                continue;
            }
        }
        if (df_dump_add_cpu(d, &c, &err) < 0) {
            snprintf(errbuf, errlen, "snapshot: %s", err.msg);
            df_dump_free(d);
            return NULL;
        }
    }
    return d;
}

/* ---- s390x: boot ----------------------------------------------------------------- */

/* "fcp:C.S.DEVNO/WWPN/LUN" (bus id in hex as Linux prints it). */
static int parse_target(struct run *r, const char *t)
{
    unsigned c, s, d;
    char rest[256];
    if (strncmp(t, "fcp:", 4) != 0 ||
        sscanf(t + 4, "%x.%x.%x/%255s", &c, &s, &d, rest) != 4 ||
        c > 0xff || s > 3 || d > 0xffff) {
        return fail(r, "dump target '%s': expected fcp:C.S.DEVNO/WWPN/LUN", t);
    }
    char *slash = strchr(rest, '/'), *end;
    if (!slash) {
        return fail(r, "dump target '%s': missing LUN", t);
    }
    *slash = 0;
    errno = 0;
    r->wwpn = strtoull(rest, &end, 0);
    if (errno || *end || r->wwpn == 0) {
        return fail(r, "dump target '%s': bad WWPN", t);
    }
    r->lun = strtoull(slash + 1, &end, 0);
    if (errno || *end) {
        return fail(r, "dump target '%s': bad LUN", t);
    }
    r->cssid = (uint8_t)c;
    r->ssid = (uint8_t)s;
    r->devno = (uint16_t)d;
    return 0;
}

/* The kernel's dump IPL block (lx61 ipl.c dump_fcp_init + sysfs values;
 * IPLB offsets from /work/shared/specs/s390.md §1.1). */
static int write_dump_iplb(struct run *r)
{
    uint8_t b[SCLP_IPL_BP_FCP_LEN];
    memset(b, 0, sizeof(b));
    db_st_be32(b + 0, SCLP_IPL_BP_FCP_LEN);        /* hdr.len 644 */
    b[7] = 0;                                       /* hdr.version */
    db_st_be32(b + 8, SCLP_IPL_BP0_FCP_LEN);       /* fcp.len 636 */
    b[12] = SCLP_IPL_PBT_FCP;                       /* pbt 0 */
    b[328] = SCLP_IPL_OPT_DUMP;                     /* opt 0x20 */
    b[332] = r->cssid;
    db_st_be16(b + 334, r->devno);
    db_st_be64(b + 340, r->wwpn);
    db_st_be64(b + 348, r->lun);
    return sim_mem_write(r->m, KERNEL_IPLB_ADDR, b, sizeof(b));
}

/* lx61 kernel/crash_core.c: VMCOREINFO note; s390 points lowcore 0xe0c at it. */
static int write_vmcoreinfo(struct run *r)
{
    char text[512];
    int len = snprintf(text, sizeof(text),
                       "OSRELEASE=6.1.0-dumpbench-sim\n"
                       "PAGESIZE=4096\n"
                       "SYMBOL(lowcore_ptr)=%" PRIx64 "\n"
                       "SYMBOL(high_memory)=%" PRIx64 "\n"
                       "NUMBER(seed)=%" PRIu64 "\n",
                       (uint64_t)0x100000, sim_mem_size(r->m), sim_seed(r->m));
    uint8_t note[24 + 512];
    memset(note, 0, sizeof(note));
    db_st_be32(note, 11);                           /* n_namesz */
    db_st_be32(note + 4, (uint32_t)len);            /* n_descsz */
    db_st_be32(note + 8, 0);                        /* n_type */
    memcpy(note + 12, "VMCOREINFO", 11);
    memcpy(note + 24, text, (size_t)len);
    uint8_t ptr[8];
    db_st_be64(ptr, KERNEL_VMCOREINFO);
    if (sim_mem_write(r->m, KERNEL_VMCOREINFO, note, 24 + (size_t)((len + 3) & ~3)) != 0 ||
        sim_mem_write(r->m, LC_VMCORE_INFO, ptr, sizeof(ptr)) != 0) {
        return -1;
    }
    return 0;
}

static int s390_boot(struct run *r)
{
    char msg[256];
    if (r->booted) {
        return fail(r, "machine already booted");
    }
    r->m = sim_machine_from_scenario(r->s, msg, sizeof(msg));
    if (!r->m) {
        return fail(r, "%s", msg);
    }
    /* The runner's resolved profile (data file or built-in), else the
     * scenario's name in the built-in table. */
    const struct sclp_profile *p = r->res->sclp_profile ? r->res->sclp_profile
                                   : r->s->machine.profile
                                       ? sclp_profile_lookup(r->s->machine.profile)
                                       : sclp_profile_default();
    if (!p) {
        return fail(r, "unknown firmware profile '%s'", r->s->machine.profile);
    }
    r->prof = *p;
    r->sclp = sclp_new(sim_host(r->m), &r->prof);
    if (!r->sclp) {
        return fail(r, "libsclp: cannot create the SCLP for profile %s", r->prof.name);
    }
    r->sclp_bind.sclp = r->sclp;
    r->sclp_bind.ipl_cpu = r->ipl_cpu;
    zfd_fw_from_sclp(&r->sclp_fw, &r->sclp_bind);
    if (parse_target(r, r->s->dump.target ? r->s->dump.target : DEFAULT_TARGET) != 0) {
        return -1;
    }
    struct fcp_adapter_config fc;
    fcp_adapter_default_config(&fc, r->devno);
    fc.cssid = r->cssid;
    fc.ssid = r->ssid;
    enum fcp_status st = fcp_adapter_new(&fc, &r->fcp);
    if (st == FCP_ST_OK) {
        st = fcp_port_add(r->fcp, r->wwpn, REMOTE_PORT_DID);
    }
    /* Room for the largest image: memory after any hotplug is bounded by
     * the 4x margin below only loosely; sparse, so it costs nothing. */
    uint64_t cap = (4 * sim_mem_size(r->m) + 64 * MIB) / LUN_BLOCK_SIZE;
    if (st == FCP_ST_OK) {
        st = fcp_lun_create_file(r->fcp, r->wwpn, r->lun, r->img_path, LUN_BLOCK_SIZE, cap);
    }
    if (st != FCP_ST_OK) {
        return fail(r, "libfcp: dump LUN setup failed: %s (%s)", fcp_status_name(st),
                    r->fcp ? fcp_adapter_errmsg(r->fcp) : "");
    }
    if (write_dump_iplb(r) != 0 || write_vmcoreinfo(r) != 0) {
        return fail(r, "memory too small for the kernel's dump IPLB / VMCOREINFO");
    }
    r->booted = true;
    logf_(r, "boot: s390x %" PRIu64 " MiB, %u/%u CPUs, profile %s (HSA %" PRIu64
          " MiB), target %s", sim_mem_size(r->m) / MIB, sim_cpus_online(r->m),
          sim_cpu_slots(r->m), r->prof.name, r->prof.hsa_size / MIB,
          r->s->dump.target ? r->s->dump.target : DEFAULT_TARGET);
    return 0;
}

/* ---- s390x: faults ------------------------------------------------------------- */

/*
 * SDIAS faults are applied at the SCLP interface: the request goes to
 * libsclp, then, for a store-data request inside the armed window, the
 * event status in the guest's SCCB is replaced (libsclp's own injection
 * is per profile, without a block window or count).
 */
static int sdias_servc(void *o, uint32_t cmdw, uint64_t sccb)
{
    struct run *r = o;
    if (r->child && (++r->servc_calls & 63) == 0) {
        sim_child_heartbeat(r->child);      /* the dump kernel is working */
    }
    int rc = sclp_service_call(r->sclp, cmdw, sccb);
    if (!r->sdias.armed || rc != SCLP_RC_NORMAL_COMPLETION ||
        cmdw != SCLP_CMDW_WRITE_EVENT_DATA) {
        return rc;
    }
    uint8_t b[68];
    if (sim_mem_read(r->m, sccb, b, sizeof(b)) != 0 || b[10] != SCLP_EVTYP_SDIAS ||
        b[14] != SDIAS_EQ_STORE_DATA || !(b[11] & SCLP_EVBUF_ACCEPTED)) {
        return rc;
    }
    uint32_t fbn = db_ld_be32(b + 52);
    if ((r->sdias.at_block >= 0 && fbn < (uint64_t)r->sdias.at_block) ||
        (r->sdias.count >= 0 && r->sdias.fired >= (uint64_t)r->sdias.count)) {
        return rc;
    }
    b[31] = r->sdias.status;
    r->sdias.fired++;
    (void)sim_mem_write(r->m, sccb + 31, &b[31], 1);
    return rc;
}

static int sdias_sigp(void *o, uint8_t order, uint16_t addr, uint64_t param, uint32_t *st)
{
    struct run *r = o;
    return r->sclp_fw.sigp(r->sclp_fw.opaque, order, addr, param, st);
}

static int64_t sdias_diag(void *o, uint32_t sub, uint64_t addr)
{
    struct run *r = o;
    return r->sclp_fw.diag308(r->sclp_fw.opaque, sub, addr);
}

static int s390_fault(struct run *r, const struct scn_item *it)
{
    const char *t = it->word ? it->word : "";
    if (!strcmp(t, "sdias")) {
        r->sdias.armed = true;
        r->sdias.status = (uint8_t)scn_get_num(it, "status", SDIAS_EVSTATE_NO_DATA);
        r->sdias.at_block = scn_get_num(it, "at-block", -1);
        r->sdias.count = scn_get_num(it, "count", -1);
        logf_(r, "fault sdias: status 0x%02x from block %" PRId64 " count %" PRId64,
              r->sdias.status, r->sdias.at_block, r->sdias.count);
        return 0;
    }
    if (!strcmp(t, "hsa")) {
        r->hsa_release_early = true;
        logf_(r, "fault hsa: release early");
        return 0;
    }
    if (!strcmp(t, "fcp")) {
        if (!r->booted) {
            return fail(r, "fault fcp before boot");
        }
        const char *kind = scn_get_str(it, "kind", "");
        struct fcp_fault f;
        memset(&f, 0, sizeof(f));
        f.lba = (uint64_t)scn_get_num(it, "at-block", 0);
        f.count = (uint64_t)scn_get_num(it, "count", 1);
        enum fcp_status st;
        if (!strcmp(kind, "port-reject")) {
            f.kind = FCP_FAULT_PORT_REJECT;
            f.skip = (uint32_t)scn_get_num(it, "at-block", 0);
            f.times = (uint32_t)scn_get_num(it, "count", 0);
            st = fcp_port_fault_set(r->fcp, r->wwpn, &f);
        } else {
            if (!strcmp(kind, "link-down")) {
                f.kind = FCP_FAULT_LINK_DOWN;
            } else if (!strcmp(kind, "medium-error")) {
                f.kind = FCP_FAULT_MEDIUM_ERROR;
            } else if (!strcmp(kind, "timeout")) {
                /* at-block counts SCSI commands here (skip), count = times. */
                f.kind = FCP_FAULT_TIMEOUT;
                f.skip = (uint32_t)scn_get_num(it, "at-block", 0);
                f.times = (uint32_t)scn_get_num(it, "count", 0);
            } else if (!strcmp(kind, "lun-removed")) {
                f.kind = FCP_FAULT_LUN_REMOVED;
                if (f.lba > 0) {
                    /* The LUN disappears when the dump write reaches the
                     * block: armed by the capture's target wrapper. */
                    r->lun_remove_at = f.lba;
                    logf_(r, "fault fcp: lun-removed when the write reaches LBA %" PRIu64,
                          f.lba);
                    return 0;
                }
            } else {
                return fail(r, "fault fcp: unknown kind '%s'", kind);
            }
            st = fcp_lun_fault_set(r->fcp, r->wwpn, r->lun, &f);
        }
        if (st != FCP_ST_OK) {
            return fail(r, "fault fcp %s: libfcp %s", kind, fcp_status_name(st));
        }
        logf_(r, "fault fcp: %s at %" PRIu64, kind, f.lba);
        return 0;
    }
    char msg[200];
    int pa = sim_proc_fault_arm(&r->pf, it, msg, sizeof(msg));
    if (pa < 0) {
        return fail(r, "%s", msg);
    }
    if (pa > 0) {
        logf_(r, "fault %s armed (capture runs in a child process)", t);
        return 0;
    }
    return fail(r, "fault %s: not an s390x fault target", t);
}

/* ---- s390x: crash / operator dump ----------------------------------------------- */

static int s390_set_iplb(struct run *r, const char *why)
{
    uint64_t rc = 0;
    int a = sclp_diag308(r->sclp, r->ipl_cpu, DIAG308_SET, KERNEL_IPLB_ADDR, &rc);
    int64_t v = a < 0 ? a : (int64_t)rc;
    run_result_add_rc(r->res, "diag308-set", v, r->line);
    logf_(r, "%s: DIAG 308/5 SET -> %s0x%" PRIx64, why, a < 0 ? "program check " : "rc ",
          a < 0 ? (uint64_t)-a : rc);
    return a < 0 ? -1 : 0;
}

/*
 * The crash instant as the machine (not the firmware) makes it: the
 * panicking kernel saves VMCOREINFO (lx61 crash_save_vmcoreinfo) and
 * hands its dump IPL block to DIAG 308 (both rebuilt here, so a `plant`
 * over them does not break the dump path), the CPUs are stopped
 * (smp_send_stop) and the IPL CPU's status is at 0x1200.
 */
static int stop_and_store(struct run *r)
{
    if (write_dump_iplb(r) != 0 || write_vmcoreinfo(r) != 0) {
        return fail(r, "memory too small for the kernel's dump IPLB / VMCOREINFO");
    }
    for (unsigned i = 0; i < sim_cpu_slots(r->m); i++) {
        struct db_s390_cpu *c = sim_s390_cpu(r->m, i);
        if (c->online) {
            c->stopped = true;
        }
    }
    uint8_t sa[SCLP_SA_SIZE];
    const uint8_t arch = 1;
    sclp_save_area_encode(sim_s390_cpu(r->m, r->ipl_cpu), sa);
    if (sim_mem_write(r->m, SCLP_SA_ABS_ADDR, sa, sizeof(sa)) != 0 ||
        sim_mem_write(r->m, SCLP_LC_AR_MODE_ID, &arch, 1) != 0) {
        return fail(r, "store status at 0x1200 outside memory");
    }
    return 0;
}

static int take_truth(struct run *r)
{
    char msg[256];
    df_dump_free(r->res->truth);
    r->res->truth = sim_snapshot_dump(r->m, r->ipl_cpu, msg, sizeof(msg));
    if (!r->res->truth) {
        return fail(r, "%s", msg);
    }
    if (r->prof.vector) {
        r->res->truth->flags |= DF_FLAG_S390_VX;
    } else {
        for (size_t i = 0; i < r->res->truth->ncpus; i++) {
            struct db_s390_cpu *c = &r->res->truth->cpus[i].regs.s390;
            memset(c->vxrs_low, 0, sizeof(c->vxrs_low));
            memset(c->vxrs_high, 0, sizeof(c->vxrs_high));
        }
    }
    r->res->cpus_online = sim_cpus_online(r->m);
    return 0;
}

/* After the dump IPL: the dump kernel is loaded below the HSA size and
 * starts on the IPL CPU (its vector registers are left alone, pitfall 6). */
static void dump_kernel_starts(struct run *r)
{
    uint64_t fp = r->prof.hsa_size ? r->prof.hsa_size : 16 * MIB;
    if (fp > sim_mem_size(r->m)) {
        fp = sim_mem_size(r->m);
    }
    (void)sim_plant_footprint(r->m, 0, fp, sim_seed(r->m) ^ FOOTPRINT_SALT);
    struct db_s390_cpu *c = sim_s390_cpu(r->m, r->ipl_cpu);
    struct db_s390_cpu keep = *c;
    sim_cpu_randomize(r->m, r->ipl_cpu, sim_seed(r->m) ^ DUMPKERNEL_SALT);
    memcpy(c->vxrs_low, keep.vxrs_low, sizeof(c->vxrs_low));
    memcpy(c->vxrs_high, keep.vxrs_high, sizeof(c->vxrs_high));
    c->stopped = false;
    r->dumped = true;
    logf_(r, "dump IPL: HSA %" PRIu64 " pages, dump kernel footprint 0x0-0x%" PRIx64,
          sclp_hsa_pages(r->sclp), fp);
    if (r->hsa_release_early) {
        uint64_t rc = 0;
        int a = sclp_diag308(r->sclp, r->ipl_cpu, 2, 0, &rc);
        logf_(r, "fault hsa: released before capture (%s0x%" PRIx64 ")",
              a < 0 ? "program check " : "rc ", a < 0 ? (uint64_t)-a : rc);
    }
}

static int s390_crash(struct run *r, const struct scn_item *it)
{
    if (!r->booted || r->dumped) {
        return fail(r, "crash needs a booted machine that has not dumped yet");
    }
    int64_t cpu = scn_get_num(it, "cpu", r->ipl_cpu);
    if (cpu < 0 || (uint64_t)cpu >= sim_cpu_slots(r->m) || !sim_s390_cpu(r->m, (unsigned)cpu)->online) {
        return fail(r, "crash: CPU %" PRId64 " is not online", cpu);
    }
    logf_(r, "crash: kernel panic on CPU %" PRId64 ", dump_run on IPL CPU %u", cpu, r->ipl_cpu);
    if (stop_and_store(r) != 0 || take_truth(r) != 0) {
        return -1;
    }
    /* lx61 ipl.c diag308_dump: SET, then LOAD NORMAL DUMP while rc 0x302. */
    if (s390_set_iplb(r, "crash") != 0) {
        r->res->outcome = RUN_NO_DUMP;
        snprintf(r->res->reason, sizeof(r->res->reason), "DIAG 308/5 program check");
        return 0;
    }
    int a = 0;
    uint64_t rc = 0;
    for (int i = 0; i < DIAG308_BUSY_TRIES; i++) {
        rc = 0;
        a = sclp_diag308(r->sclp, r->ipl_cpu, DIAG308_LOAD_DUMP, 0, &rc);
        if (a != SCLP_ACT_NONE || rc != DIAG308_RC_BUSY) {
            break;
        }
        sim_advance(r->m, 1000000000ull);              /* udelay(1000000) */
    }
    run_result_add_rc(r->res, "diag308", a < 0 ? a : (int64_t)rc, r->line);
    if (a != SCLP_ACT_DUMP_IPL) {
        r->res->outcome = RUN_NO_DUMP;
        if (a < 0) {
            snprintf(r->res->reason, sizeof(r->res->reason),
                     "DIAG 308/4 LOAD NORMAL DUMP: program check 0x%02x", -a);
        } else {
            snprintf(r->res->reason, sizeof(r->res->reason),
                     "DIAG 308/4 LOAD NORMAL DUMP returned rc 0x%" PRIx64 " (%s)", rc,
                     sclp_last_error(r->sclp));
        }
        logf_(r, "crash: no dump IPL: %s", r->res->reason);
        return 0;
    }
    dump_kernel_starts(r);
    return 0;
}

static int s390_operator_dump(struct run *r)
{
    if (!r->booted || r->dumped) {
        return fail(r, "operator-dump needs a booted machine that has not dumped yet");
    }
    logf_(r, "operator-dump%s", r->hung ? " of a hung machine" : "");
    if (stop_and_store(r) != 0 || take_truth(r) != 0) {
        return -1;
    }
    int st = sclp_dump_ipl(r->sclp, r->ipl_cpu);
    run_result_add_rc(r->res, "dump-ipl", st, r->line);
    if (st != SCLP_OK) {
        r->res->outcome = RUN_NO_DUMP;
        snprintf(r->res->reason, sizeof(r->res->reason), "operator dump IPL failed: %s",
                 sclp_last_error(r->sclp));
        return 0;
    }
    dump_kernel_starts(r);
    return 0;
}

/* ---- s390x: capture --------------------------------------------------------------- */

/*
 * The LUN backing file holds every block the agent wrote, zeros included.
 * Punch the all-zero 4 KiB blocks out (same bytes, a hole reads as zeros)
 * so that readers and comparisons skip them (SEEK_HOLE) instead of paging
 * in tens of MiB of zeros.  Best effort: without hole punching the file
 * simply stays dense.  Only runs of PUNCH_MIN bytes or more are punched:
 * each punch costs milliseconds, and short zero runs between scattered data
 * pages are cheap to read.
 */
#define PUNCH_MIN (256u << 10)

static void sparsify(const char *path, uint64_t size)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);
    uint8_t *buf = malloc(MIB);
    if (fd < 0 || !buf) {
        if (fd >= 0) {
            close(fd);
        }
        free(buf);
        return;
    }
    uint64_t run = 0, run_start = 0;
    bool ok = true;
    for (uint64_t off = 0; off < size && ok; off += MIB) {
        size_t n = size - off < MIB ? (size_t)(size - off) : MIB;
        if (pread(fd, buf, n, (off_t)off) != (ssize_t)n) {
            break;
        }
        for (size_t b = 0; b + 4096 <= n; b += 4096) {
            if (df_is_zero(buf + b, 4096)) {
                if (!run) {
                    run_start = off + b;
                }
                run += 4096;
                continue;
            }
            if (run >= PUNCH_MIN && fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                                              (off_t)run_start, (off_t)run) != 0) {
                ok = false;
                break;
            }
            run = 0;
        }
    }
    if (ok && run >= PUNCH_MIN) {
        (void)fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)run_start,
                        (off_t)run);
    }
    free(buf);
    close(fd);
}


static enum run_outcome map_outcome(enum zfd_outcome o)
{
    switch (o) {
    case ZFD_COMPLETE: return RUN_COMPLETE;
    case ZFD_INCOMPLETE: return RUN_INCOMPLETE;
    case ZFD_FAILED: return RUN_FAILED;
    case ZFD_ERROR: return RUN_ERROR;
    }
    return RUN_ERROR;
}

/* What a capture leaves for the backend, whether the agent ran in this
 * process or in a child (then this record is what the child sends). */
#define CAP_MAX_PREFIX 64
struct s390_cap_rec {
    int32_t outcome;                /* enum zfd_outcome */
    char reason[256];
    int32_t sdias_status;
    int64_t release_rc;
    uint64_t hsa_size, sdias_requests, bytes_written, image_size, commands;
    uint32_t ncpus, nprefix;
    uint32_t prefix[CAP_MAX_PREFIX];
};

struct s390_cap_job {
    struct run *r;
    struct zfd_config cfg;
    struct zfd_fcp_binding fb;
    struct zfd_target tgt;
    struct sim_child *child;        /* set in the child */
    uint64_t written;               /* bytes acknowledged by the target */
    uint32_t bs;
};

/* The dump target seen by the agent when process faults are armed: the
 * FCP binding, with the kill/hang points before every write and the sync. */
static int ft_open(void *o, uint32_t *bs, uint64_t *nb, char *why, size_t wl)
{
    struct s390_cap_job *j = o;
    int rc = j->tgt.open(j->tgt.opaque, bs, nb, why, wl);
    j->bs = rc == 0 ? *bs : 0;
    return rc;
}

static int ft_write(void *o, uint64_t lba, const void *buf, uint32_t nblocks, uint64_t *done,
                    char *why, size_t wl)
{
    struct s390_cap_job *j = o;
    struct run *r = j->r;
    sim_proc_fault_point(j->child, &r->pf, j->written);
    if (r->lun_remove_at && lba + nblocks > r->lun_remove_at) {
        struct fcp_fault f = { .kind = FCP_FAULT_LUN_REMOVED };
        (void)fcp_lun_fault_set(j->fb.adapter, r->wwpn, r->lun, &f);
        r->lun_remove_at = 0;
    }
    int rc = j->tgt.write(j->tgt.opaque, lba, buf, nblocks, done, why, wl);
    if (rc == 0) {
        j->written = (lba + nblocks) * j->bs;
        sim_child_progress(j->child, j->written);
    }
    return rc;
}

static int ft_sync(void *o, char *why, size_t wl)
{
    struct s390_cap_job *j = o;
    sim_proc_fault_point(j->child, &j->r->pf, j->written);
    return j->tgt.sync(j->tgt.opaque, why, wl);
}

static void cap_run(struct s390_cap_job *j, struct s390_cap_rec *rec)
{
    struct zfd_target ft = { j, ft_open, ft_write, ft_sync };
    struct zfd_config cfg = j->cfg;
    if (j->child || j->r->lun_remove_at) {
        cfg.target = &ft;
    }
    struct zfd_result zr;
    zfd_capture(&cfg, &zr);
    memset(rec, 0, sizeof(*rec));
    rec->outcome = (int32_t)zr.outcome;
    snprintf(rec->reason, sizeof(rec->reason), "%s", zr.reason);
    rec->sdias_status = zr.sdias_status;
    rec->release_rc = zr.release_rc;
    rec->hsa_size = zr.hsa_size;
    rec->sdias_requests = zr.sdias_requests;
    rec->bytes_written = zr.bytes_written;
    rec->image_size = zr.image_size;
    rec->commands = j->fb.commands;
    rec->ncpus = zr.ncpus;
    /* Format s390: zgetdump-style writers put each CPU's registers into its
     * lowcore save area, which the truth snapshot does not have. */
    if (cfg.format == DF_FMT_S390 && zr.dump) {
        for (size_t i = 0; i < zr.dump->ncpus && rec->nprefix < CAP_MAX_PREFIX; i++) {
            uint32_t pfx = zr.dump->cpus[i].regs.s390.prefix;
            if (pfx) {
                rec->prefix[rec->nprefix++] = pfx;
            }
        }
    }
    zfd_result_free(&zr);
}

static void cap_child(struct sim_child *c, void *arg, void *out, size_t outlen)
{
    struct s390_cap_job *j = arg;
    j->child = c;
    j->r->child = c;
    if (outlen == sizeof(struct s390_cap_rec)) {
        cap_run(j, out);
    }
}

/* A capture child that did not finish: what the run reports. */
static void cap_lost(struct run *r, const struct sim_child_exit *ex, double timeout,
                     struct s390_cap_rec *rec)
{
    uint64_t got = ex->has_progress ? ex->progress : 0;
    memset(rec, 0, sizeof(*rec));
    rec->outcome = got ? ZFD_INCOMPLETE : ZFD_FAILED;
    rec->bytes_written = got;
    rec->release_rc = -1;
    if (ex->timed_out) {
        snprintf(rec->reason, sizeof(rec->reason),
                 "capture step timed out: no progress for %.0f s (dump kernel hung), agent killed "
                 "after %" PRIu64 " bytes written; dump not finished", timeout, got);
    } else if (ex->signaled && r->pf.machine_kill) {
        r->machine_dead = true;
        snprintf(rec->reason, sizeof(rec->reason),
                 "machine killed (signal %d) during the capture after %" PRIu64
                 " bytes written; dump not finished", ex->signo, got);
    } else if (ex->signaled) {
        snprintf(rec->reason, sizeof(rec->reason),
                 "capture agent killed by signal %d after %" PRIu64 " bytes written; dump "
                 "not finished, HSA not released", ex->signo, got);
    } else {
        rec->outcome = ZFD_ERROR;
        snprintf(rec->reason, sizeof(rec->reason),
                 "capture child exited with status %d without a result", ex->exit_code);
    }
}

static int s390_capture(struct run *r, const struct scn_item *it)
{
    if (r->captured) {
        return fail(r, "capture ran already");
    }
    r->captured = true;
    if (!r->dumped) {
        r->res->outcome = RUN_NO_DUMP;
        if (!r->res->reason[0]) {
            snprintf(r->res->reason, sizeof(r->res->reason), "no dump IPL happened");
        }
        logf_(r, "capture: nothing to capture (%s)", r->res->reason);
        return 0;
    }
    double t0 = now_s();
    struct zfd_fw fw = { r, sdias_servc, sdias_sigp, sdias_diag };
    struct s390_cap_job *j = calloc(1, sizeof(*j));
    struct s390_cap_rec *rec = calloc(1, sizeof(*rec));
    if (!j || !rec) {
        free(j);
        free(rec);
        return fail(r, "capture: out of memory");
    }
    j->r = r;
    j->fb.adapter = r->fcp;
    j->fb.wwpn = r->wwpn;
    j->fb.lun = r->lun;
    zfd_target_from_fcp(&j->tgt, &j->fb);
    j->cfg.mem = sim_host(r->m);
    j->cfg.fw = &fw;
    j->cfg.ipl_cpu = r->ipl_cpu;
    j->cfg.format = r->s->dump.format && !strcmp(r->s->dump.format, "s390") ? DF_FMT_S390
                                                                             : DF_FMT_ELF;
    j->cfg.target = &j->tgt;
    j->cfg.release_hsa = true;
    j->cfg.vector = r->prof.vector;
    bool in_child = sim_proc_faults_any(&r->pf) || scn_arg(it, "timeout");
    if (!in_child) {
        cap_run(j, rec);
    } else {
        struct sim_child_opts co = { sim_capture_timeout(it), r->pf.disk_full_at };
        struct sim_child_exit ex;
        char cerr[160];
        if (r->log) {
            fflush(r->log);
        }
        if (sim_child_run(cap_child, j, rec, sizeof(*rec), &co, &ex, cerr, sizeof(cerr)) != 0) {
            free(j);
            free(rec);
            return fail(r, "capture: %s", cerr);
        }
        logf_(r, "capture: agent ran in child process (%.3f s, %s%s, last progress %" PRIu64
              " bytes, file limit %" PRIu64 ")", ex.seconds,
              ex.finished ? "finished" : ex.timed_out ? "timed out, killed" : "died",
              ex.signaled ? " by a signal" : "", ex.progress, r->pf.disk_full_at);
        if (!ex.finished) {
            cap_lost(r, &ex, co.timeout_s, rec);
        } else if (rec->release_rc >= 0) {
            /* The child's libsclp released the HSA: mirror it here. */
            uint64_t rrc = 0;
            (void)sclp_diag308(r->sclp, r->ipl_cpu, 2, 0, &rrc);
        }
        if (ex.finished && r->pf.disk_full_at && rec->outcome == ZFD_INCOMPLETE) {
            size_t l = strlen(rec->reason);
            snprintf(rec->reason + l, sizeof(rec->reason) - l,
                     " [dump disk full: backing store limited to %" PRIu64 " bytes]",
                     r->pf.disk_full_at);
        }
    }
    enum zfd_outcome zo = (enum zfd_outcome)rec->outcome;
    r->res->outcome = map_outcome(zo);
    snprintf(r->res->reason, sizeof(r->res->reason), "%s", rec->reason);
    run_result_add_rc(r->res, "sdias", rec->sdias_status, r->line);
    if (rec->release_rc >= 0 || rec->release_rc < -1) {
        run_result_add_rc(r->res, "release", rec->release_rc, r->line);
    }
    logf_(r, "capture: %s: %s (HSA %" PRIu64 " bytes, %" PRIu64 " SDIAS copies, %u CPUs, "
          "%" PRIu64 " of %" PRIu64 " bytes written, %" PRIu64 " SCSI commands)",
          zfd_outcome_name(zo), rec->reason, rec->hsa_size, rec->sdias_requests,
          rec->ncpus, rec->bytes_written, rec->image_size, rec->commands);
    for (uint32_t i = 0; i < rec->nprefix; i++) {
        run_result_add_exempt(r->res, (uint64_t)rec->prefix[i] + SCLP_SA_ABS_ADDR, SCLP_SA_SIZE,
                              "s390 format: registers in the lowcore save area");
    }
    uint64_t keep = zo == ZFD_COMPLETE ? rec->image_size : rec->bytes_written;
    if (zo == ZFD_ERROR) {
        keep = 0;
    }
    free(j);
    free(rec);
    run_result_add_phase(r->res, "capture", now_s() - t0);
    /* Close the LUN (flushes the backing file), keep exactly the bytes the
     * agent got onto the disk. */
    fcp_adapter_free(r->fcp);
    r->fcp = NULL;
    if (keep == 0) {
        unlink(r->img_path);
        return r->res->outcome == RUN_ERROR ? fail(r, "%s", r->res->reason) : 0;
    }
    if (truncate(r->img_path, (off_t)keep) != 0) {
        return fail(r, "truncate %s: %s", r->img_path, strerror(errno));
    }
    sparsify(r->img_path, keep);
    snprintf(r->res->image_path, sizeof(r->res->image_path), "%s", r->img_path);
    t0 = now_s();
    struct df_read_opts ro = { .lenient = true };
    struct df_err derr;
    int st = df_read_file_opts(r->img_path, &ro, &r->res->image, &derr);
    if (st != DF_OK) {
        r->res->image = NULL;
        if (r->res->outcome == RUN_COMPLETE) {
            r->res->outcome = RUN_FAILED;
            snprintf(r->res->reason, sizeof(r->res->reason),
                     "dump written but unreadable: %.220s", derr.msg);
        }
        logf_(r, "verify: image unreadable: %s", derr.msg);
    }
    run_result_add_phase(r->res, "verify", now_s() - t0);
    return 0;
}

static int s390_release(struct run *r, const struct scn_item *it)
{
    if (!r->booted) {
        return fail(r, "release before boot");
    }
    if (scn_arg(it, "addr") || scn_arg(it, "len")) {
        logf_(r, "release: addr/len ignored on s390x (the whole HSA is released)");
    }
    uint64_t rc = 0;
    int a = sclp_diag308(r->sclp, r->ipl_cpu, 2, 0, &rc);
    run_result_add_rc(r->res, "release", a < 0 ? a : (int64_t)rc, r->line);
    logf_(r, "release: DIAG 308/2 -> %s0x%" PRIx64, a < 0 ? "program check " : "rc ",
          a < 0 ? (uint64_t)-a : rc);
    return 0;
}

/* ---- s390x: step loop ------------------------------------------------------------ */

static int s390_step(struct run *r, const struct scn_item *it)
{
    char msg[256];
    if (it->kind != SCN_STEP_BOOT && !r->booted) {
        return fail(r, "step %s before boot", scn_step_name(it->kind));
    }
    if (r->machine_dead) {
        logf_(r, "step %s: the machine was killed, nothing happens", scn_step_name(it->kind));
        return 0;
    }
    switch (it->kind) {
    case SCN_STEP_BOOT:
        return s390_boot(r);
    case SCN_STEP_PLANT:
        if (sim_step_plant(r->m, it, msg, sizeof(msg)) != 0) {
            return fail(r, "%s", msg);
        }
        logf_(r, "plant 0x%" PRIx64 " len 0x%" PRIx64, (uint64_t)scn_get_num(it, "addr", 0),
              (uint64_t)scn_get_num(it, "len", 0));
        return 0;
    case SCN_STEP_SET_REGS:
        if (sim_step_set_regs(r->m, it, msg, sizeof(msg)) != 0) {
            return fail(r, "%s", msg);
        }
        return 0;
    case SCN_STEP_HOTPLUG_CPU: {
        unsigned n = (unsigned)scn_get_num(it, "count", 1);
        if (r->dumped || sim_hotplug_cpu(r->m, n) != 0) {
            return fail(r, "hotplug-cpu %u: %s", n, r->dumped ? "machine has dumped"
                                                               : "beyond max-cpus");
        }
        logf_(r, "hotplug-cpu: %u online", sim_cpus_online(r->m));
        return 0;
    }
    case SCN_STEP_HOTPLUG_MEM: {
        uint64_t size = (uint64_t)scn_get_num(it, "size", 0);
        if (r->dumped || sim_hotplug_mem(r->m, size) != 0) {
            return fail(r, "hotplug-mem 0x%" PRIx64 " failed", size);
        }
        logf_(r, "hotplug-mem: %" PRIu64 " MiB now (reload has no meaning for zfcpdump)",
              sim_mem_size(r->m) / MIB);
        return 0;
    }
    case SCN_STEP_REGISTER:
        (void)s390_set_iplb(r, "register");
        return 0;
    case SCN_STEP_FAULT:
        return s390_fault(r, it);
    case SCN_STEP_CRASH:
        return s390_crash(r, it);
    case SCN_STEP_HANG:
        r->hung = true;
        logf_(r, "hang: kernel stops responding");
        return 0;
    case SCN_STEP_OPERATOR_DUMP:
        return s390_operator_dump(r);
    case SCN_STEP_CAPTURE:
        return s390_capture(r, it);
    case SCN_STEP_RELEASE:
        return s390_release(r, it);
    case SCN_STEP_RUN:
        sim_step_run(r->m, it, !r->dumped && !r->hung);
        return 0;
    default:
        return fail(r, "step %s has no meaning on s390x", scn_step_name(it->kind));
    }
}

static int s390_run(struct run *r)
{
    const struct scenario *s = r->s;
    if (!s->dump.method || strcmp(s->dump.method, "zfcpdump") != 0) {
        return fail(r, "dump method %s not supported on the s390x sim",
                    s->dump.method ? s->dump.method : "(none)");
    }
    if (s->dump.format && strcmp(s->dump.format, "elf") && strcmp(s->dump.format, "s390")) {
        return fail(r, "zfcpdump cannot write format %s", s->dump.format);
    }
    if (!r->run_dir) {
        return fail(r, "no run directory");
    }
    snprintf(r->img_path, sizeof(r->img_path), "%s/dump.img", r->run_dir);
    r->res->outcome = RUN_NO_DUMP;
    snprintf(r->res->reason, sizeof(r->res->reason), "no crash");
    int rc = 0;
    for (size_t i = 0; i < s->nsteps && rc == 0; i++) {
        const struct scn_item *it = &s->steps[i];
        r->line = it->line;
        double t0 = now_s();
        rc = s390_step(r, it);
        const char *phase = it->kind == SCN_STEP_BOOT ? "boot"
                            : (it->kind == SCN_STEP_CRASH || it->kind == SCN_STEP_OPERATOR_DUMP)
                                ? "crash" : NULL;
        if (phase) {
            run_result_add_phase(r->res, phase, now_s() - t0);
        }
    }
    if (r->res->outcome == RUN_NO_DUMP && r->dumped && !r->captured) {
        snprintf(r->res->reason, sizeof(r->res->reason),
                 "dump IPL happened but no capture step ran");
    }
    if (r->fcp) {
        fcp_adapter_free(r->fcp);
        r->fcp = NULL;
        if (!r->captured || !r->res->image_path[0]) {
            unlink(r->img_path);
        }
    }
    return rc;
}

/* ---- entry ------------------------------------------------------------------------- */

int sim_backend_run(const struct scenario *s, const char *run_dir, FILE *log,
                    struct run_result *res, char *errbuf, size_t errlen)
{
    if (!s || !res) {
        if (errbuf && errlen) {
            snprintf(errbuf, errlen, "sim backend: no scenario");
        }
        return -1;
    }
    if (s->machine.arch == SCN_ARCH_PPC64) {
        return sim_fadump_run(s, run_dir, log, res, errbuf, errlen);
    }
    struct run r;
    memset(&r, 0, sizeof(r));
    r.s = s;
    r.run_dir = run_dir;
    r.log = log;
    r.res = res;
    r.err = errbuf;
    r.errlen = errlen;
    r.ipl_cpu = 0;
    int rc;
    if (s->machine.arch != SCN_ARCH_S390X) {
        rc = fail(&r, "arch %s not supported by the sim backend", scn_arch_name(s->machine.arch));
    } else {
        rc = s390_run(&r);
    }
    if (r.fcp) {
        fcp_adapter_free(r.fcp);
    }
    sclp_free(r.sclp);
    sim_free(r.m);
    if (log) {
        fflush(log);
    }
    return rc;
}
