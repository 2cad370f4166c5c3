/*
 * sim backend, ppc64 part: executes a parsed fadump scenario on the sim
 * machine with libphyp as the hypervisor and the reference fadump agent as
 * the guest kernel (see <sim/fadump.h>).
 *
 * Life of a run: boot (first kernel: fadump reservation from the
 * `register` parameters) -> steps -> crash (crash info header, truth
 * snapshot, ibm,os-term) -> memory-preserving reset into the capture kernel
 * (its footprint is written into boot memory, which is why firmware must
 * have preserved boot memory) -> capture (ELF into run_dir/dump.img) ->
 * release (incremental ranges or INVALIDATE).  Every RTAS return code is
 * recorded in the run result with the scenario line that caused it.
 */
#include <sim/fadump.h>
#include <sim/backend.h>
#include <sim/child.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* NMI (system reset) trap number in pt_regs (INTERRUPT_SYSTEM_RESET). */
#define TRAP_SYSTEM_RESET 0x100u
/* pt_regs->trap for a panic via ppc_save_regs (0: no interrupt). */
#define TRAP_PANIC 0u
/* Seed salt of the capture kernel's footprint pattern. */
#define FOOTPRINT_SALT 0x63617074757265ull   /* "capture" */
#define CHURN_SALT 0x636875726eull           /* "churn" */

enum kphase {
    K_OFF,          /* not booted yet */
    K_FIRST,        /* first kernel running */
    K_HUNG,         /* first kernel hung (NMI still works) */
    K_DEAD,         /* panicked without a dump: machine stopped */
    K_CAPTURE,      /* capture kernel running (dump active) */
};

struct run {
    const struct scenario *s;
    const char *run_dir;
    FILE *log;
    struct run_result *res;
    char *err;
    size_t errlen;

    struct sim_machine *m;
    const struct phyp_profile *prof;
    struct phyp *p;
    struct sim_fadump_kernel k;
    struct sim_fadump_params prm;   /* from the first `register` */
    bool prm_set;
    enum kphase phase;
    bool dumped;            /* firmware took a dump that is not captured yet */
    bool captured;
    bool crashed;
    enum run_outcome outcome;
    char reason[256];
    double t_phase;
    struct sim_proc_faults pf;      /* disk / capture / machine faults */
    bool machine_dead;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void phase_done(struct run *r, const char *name)
{
    double t = now_s();
    run_result_add_phase(r->res, name, t - r->t_phase);
    r->t_phase = t;
}

static void klog(struct run *r, int line, const char *msg)
{
    if (r->log && msg && msg[0]) {
        fprintf(r->log, "[ppc64 line %d] %s\n", line, msg);
    }
}

static const char *cmd_name(uint32_t cmd)
{
    switch (cmd) {
    case PHYP_CMD_REGISTER:
        return "register";
    case PHYP_CMD_UNREGISTER:
        return "unregister";
    case PHYP_CMD_INVALIDATE:
        return "invalidate";
    default:
        return "rtas";
    }
}

static void record_calls(struct run *r, const struct sim_fadump_calls *c, int line)
{
    for (size_t i = 0; i < c->n; i++) {
        run_result_add_rc(r->res, cmd_name(c->c[i].cmd), c->c[i].rc, line);
        if (r->log) {
            fprintf(r->log, "[ppc64 line %d] RTAS ibm,configure-kernel-dump %s rc=%d\n",
                    line, cmd_name(c->c[i].cmd), (int)c->c[i].rc);
        }
    }
    if (c->delay_ms) {
        sim_advance(r->m, c->delay_ms * 1000000ull);
    }
}

static int backend_error(struct run *r, const char *fmt, const char *arg, int line)
{
    if (r->err && r->errlen) {
        snprintf(r->err, r->errlen, "%s:%d: ", r->s->path ? r->s->path : "scenario", line);
        size_t used = strlen(r->err);
        snprintf(r->err + used, r->errlen - used, fmt, arg ? arg : "");
    }
    return -1;
}

static void set_outcome(struct run *r, enum run_outcome o, const char *reason)
{
    r->outcome = o;
    snprintf(r->reason, sizeof(r->reason), "%s", reason ? reason : "");
}

/* ---- boot --------------------------------------------------------------- */

static int first_boot(struct run *r, int line)
{
    if (r->phase != K_OFF) {
        return 0;
    }
    unsigned slots = sim_cpu_slots(r->m);
    for (unsigned i = 0; i < slots; i++) {
        const struct db_ppc64_cpu *c = sim_ppc64_cpu(r->m, i);
        if (c && c->online) {
            sim_cpu_randomize(r->m, i, r->s->machine.seed);
        }
    }
    int rc = sim_fadump_boot(&r->k, r->m, r->p, &r->prm);
    klog(r, line, r->k.msg);
    if (rc != SIM_FADUMP_OK && rc != SIM_FADUMP_ERR_UNSUPPORTED) {
        return backend_error(r, "ppc64 boot failed%s", "", line);
    }
    r->phase = K_FIRST;
    return 0;
}

/* Memory-preserving reset after the dump: the capture kernel boots in boot
 * memory, overwriting the start of it (kernel, initrd, DT). */
static int capture_boot(struct run *r, int line)
{
    uint64_t fp = SIM_FADUMP_FOOTPRINT;
    if (fp > r->k.lay.boot_mem_size) {
        fp = r->k.lay.boot_mem_size;
    }
    if (sim_plant_footprint(r->m, 0, fp, r->s->machine.seed ^ FOOTPRINT_SALT) != 0) {
        return backend_error(r, "cannot write the capture kernel footprint%s", "", line);
    }
    struct sim_fadump_params prm = r->k.prm;
    int rc = sim_fadump_boot(&r->k, r->m, r->p, &prm);
    klog(r, line, r->k.msg);
    if (rc != SIM_FADUMP_OK) {
        return backend_error(r, "capture kernel boot failed%s", "", line);
    }
    r->phase = K_CAPTURE;
    return 0;
}

/* ---- steps -------------------------------------------------------------- */

static void params_from_step(struct run *r, const struct scn_item *it)
{
    struct sim_fadump_params *p = &r->prm;
    const struct scn_kv *kv;
    p->crashkernel = (uint64_t)scn_get_num(it, "boot-mem", (int64_t)p->crashkernel);
    p->version = (uint32_t)scn_get_num(it, "version", PHYP_FDM_VERSION_1);
    p->num_sections = (uint16_t)scn_get_num(it, "sections", 3);
    p->fdm_size = (uint64_t)scn_get_num(it, "size", SIM_FADUMP_FDM_BYTES);
    p->fdm_addr = (uint64_t)scn_get_num(it, "fdm", SIM_FADUMP_FDM_ADDR);
    p->request_flag = (uint32_t)scn_get_num(it, "flags", PHYP_FDM_REQUEST_FLAG);
    kv = scn_arg(it, "cpu-state");
    p->cpu_state_len_set = kv && kv->has_num;
    p->cpu_state_len = p->cpu_state_len_set ? (uint64_t)kv->num : 0;
    kv = scn_arg(it, "hpte");
    p->hpte_len_set = kv && kv->has_num;
    p->hpte_len = p->hpte_len_set ? (uint64_t)kv->num : 0;
}

static int step_register(struct run *r, const struct scn_item *it)
{
    struct sim_fadump_calls calls;
    memset(&calls, 0, sizeof(calls));
    params_from_step(r, it);
    if (r->phase != K_FIRST && r->phase != K_CAPTURE) {
        klog(r, it->line, "register: no running kernel");
        return 0;
    }
    if (r->phase == K_FIRST && !r->k.registered && r->k.supported) {
        /* The register parameters stand for the first kernel's command
         * line (crashkernel=, fadump=nocma): its early-boot reservation is
         * made with them. */
        struct sim_fadump_params prm = r->prm;
        sim_fadump_boot(&r->k, r->m, r->p, &prm);
        klog(r, it->line, r->k.msg);
        if (!r->k.reserved) {
            return 0;   /* fadump disabled: nothing is registered */
        }
    } else {
        /* Reservation fixed since boot: only the structure knobs change. */
        r->k.prm.version = r->prm.version;
        r->k.prm.num_sections = r->prm.num_sections;
        r->k.prm.fdm_size = r->prm.fdm_size;
        r->k.prm.fdm_addr = r->prm.fdm_addr;
        r->k.prm.request_flag = r->prm.request_flag;
        r->k.prm.cpu_state_len_set = r->prm.cpu_state_len_set;
        r->k.prm.cpu_state_len = r->prm.cpu_state_len;
        r->k.prm.hpte_len_set = r->prm.hpte_len_set;
        r->k.prm.hpte_len = r->prm.hpte_len;
    }
    sim_fadump_register(&r->k, r->m, r->p, &calls);
    record_calls(r, &calls, it->line);
    klog(r, it->line, r->k.msg);
    return 0;
}

static uint32_t rtas_cmd(const char *op)
{
    if (!op) {
        return 0;
    }
    if (strcmp(op, "register") == 0) {
        return PHYP_CMD_REGISTER;
    }
    if (strcmp(op, "unregister") == 0) {
        return PHYP_CMD_UNREGISTER;
    }
    if (strcmp(op, "invalidate") == 0) {
        return PHYP_CMD_INVALIDATE;
    }
    return 0;
}

static int step_fault(struct run *r, const struct scn_item *it)
{
    if (!it->word || strcmp(it->word, "rtas") != 0) {
        char msg[200];
        int pa = sim_proc_fault_arm(&r->pf, it, msg, sizeof(msg));
        if (pa < 0) {
            return backend_error(r, "%s", msg, it->line);
        }
        if (pa > 0) {
            if (r->log) {
                fprintf(r->log, "[ppc64 line %d] fault %s armed (capture runs in a child "
                        "process)\n", it->line, it->word);
            }
            return 0;
        }
        return backend_error(r, "fault target '%s' is not supported on ppc64 "
                             "(rtas, disk, capture, machine)", it->word, it->line);
    }
    const char *op = scn_get_str(it, "op", NULL);
    uint32_t cmd = rtas_cmd(op);
    if (!cmd) {
        return backend_error(r, "fault rtas: unknown op '%s'", op, it->line);
    }
    const struct scn_kv *rc = scn_arg(it, "rc");
    if (!rc || !rc->has_num) {
        return backend_error(r, "fault rtas: rc= required%s", "", it->line);
    }
    phyp_inject_fault(r->p, cmd, (int32_t)rc->num, (unsigned)scn_get_num(it, "count", 1));
    return 0;
}

/* Named registers of `step set-regs`. */
static uint64_t *ppc_reg(struct db_ppc64_cpu *c, const char *name)
{
    static const struct {
        const char *name;
        size_t off;
    } regs[] = {
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
    if (strncmp(name, "gpr", 3) == 0 && name[3]) {
        char *end;
        errno = 0;
        unsigned long i = strtoul(name + 3, &end, 10);
        if (*end == '\0' && errno == 0 && i < 32) {
            return &c->gpr[i];
        }
        return NULL;
    }
    for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
        if (strcmp(name, regs[i].name) == 0) {
            return (uint64_t *)(void *)((uint8_t *)c + regs[i].off);
        }
    }
    return NULL;
}

static int step_set_regs(struct run *r, const struct scn_item *it)
{
    unsigned cpu = (unsigned)scn_get_num(it, "cpu", 0);
    struct db_ppc64_cpu *c = sim_ppc64_cpu(r->m, cpu);
    if (!c) {
        return backend_error(r, "set-regs: no CPU slot %s", scn_get_str(it, "cpu", "?"),
                             it->line);
    }
    const struct scn_kv *seed = scn_arg(it, "seed");
    if (seed && seed->has_num) {
        sim_cpu_randomize(r->m, cpu, (uint64_t)seed->num);
    }
    for (size_t i = 0; i < it->nargs; i++) {
        const struct scn_kv *kv = &it->args[i];
        if (strcmp(kv->key, "cpu") == 0 || strcmp(kv->key, "seed") == 0) {
            continue;
        }
        uint64_t *reg = ppc_reg(c, kv->key);
        if (!reg || !kv->has_num) {
            return backend_error(r, "set-regs: unknown ppc64 register or value '%s'",
                                 kv->key, it->line);
        }
        *reg = (uint64_t)kv->num;
    }
    return 0;
}

static int step_hotplug_mem(struct run *r, const struct scn_item *it)
{
    uint64_t old = sim_mem_size(r->m);
    uint64_t size = (uint64_t)scn_get_num(it, "size", 0);
    if (sim_hotplug_mem(r->m, size) != 0) {
        return backend_error(r, "hotplug-mem: cannot add %s", scn_get_str(it, "size", "?"),
                             it->line);
    }
    const char *reload = scn_get_str(it, "reload", "yes");
    if (strcmp(reload, "no") == 0) {
        /* ≤6.8: the ELF core header still describes the old memory; the
         * capture agent reports the range it lacks. */
        if (r->log) {
            fprintf(r->log, "[ppc64 line %d] memory [%#llx-%#llx) added, fadump not "
                    "re-registered (reload=no)\n", it->line, (unsigned long long)old,
                    (unsigned long long)sim_mem_size(r->m));
        }
        return 0;
    }
    if (r->phase == K_FIRST && r->k.registered) {
        /* udev rule: echo 1 > /sys/kernel/fadump/registered =
         * UNREGISTER + REGISTER (registered_store). */
        struct sim_fadump_calls calls;
        memset(&calls, 0, sizeof(calls));
        if (sim_fadump_unregister(&r->k, r->m, r->p, &calls) == SIM_FADUMP_OK) {
            sim_fadump_register(&r->k, r->m, r->p, &calls);
        }
        record_calls(r, &calls, it->line);
        klog(r, it->line, r->k.msg);
    }
    return 0;
}

static int take_truth(struct run *r)
{
    if (r->res->truth) {
        df_dump_free(r->res->truth);
        r->res->truth = NULL;
    }
    char e[160];
    if (sim_fadump_truth(r->m, &r->res->truth, e, sizeof(e)) != SIM_FADUMP_OK) {
        return backend_error(r, "truth snapshot: %s", e, 0);
    }
    r->res->cpus_online = sim_cpus_online(r->m);
    /* A new crash cycle: exemptions describe the dump that follows it. */
    r->res->nexempt = 0;
    return 0;
}

/* panic / system reset: crash_fadump, truth, ibm,os-term, reset. */
static int do_crash(struct run *r, const struct scn_item *it, unsigned cpu, uint64_t trap)
{
    if (r->phase == K_OFF || r->phase == K_DEAD) {
        klog(r, it->line, "crash: machine is not running");
        return 0;
    }
    const struct db_ppc64_cpu *c = sim_ppc64_cpu(r->m, cpu);
    if (!c || !c->online) {
        return backend_error(r, "crash: CPU %s is not online", scn_get_str(it, "cpu", "0"),
                             it->line);
    }
    bool fadump = sim_fadump_crash(&r->k, r->m, cpu, trap) == SIM_FADUMP_OK;
    if (take_truth(r) != 0) {
        return -1;
    }
    r->crashed = true;
    r->captured = false;
    /* Both paths end in ibm,os-term: crash_fadump's trigger, or the pseries
     * panic handler (rtas_os_term) when fadump is not registered. */
    enum phyp_osterm_result o = phyp_os_term(r->p);
    phase_done(r, "crash");
    if (o == PHYP_OSTERM_DUMP) {
        klog(r, it->line, "ibm,os-term: firmware-assisted dump taken, memory-preserving reset");
        r->dumped = true;
        set_outcome(r, RUN_INCOMPLETE, "dump taken but not captured");
        return capture_boot(r, it->line);
    }
    if (o == PHYP_OSTERM_FAILED) {
        set_outcome(r, RUN_FAILED, "ibm,os-term: firmware failed to take the dump "
                                   "(CPU state unreadable)");
    } else if (!fadump) {
        char why[256];
        snprintf(why, sizeof(why), "no dump: fadump not registered at the crash (%.200s)",
                 r->k.msg[0] ? r->k.msg : "never registered");
        set_outcome(r, RUN_NO_DUMP, why);
    } else {
        set_outcome(r, RUN_NO_DUMP, "no dump: firmware has no registration at ibm,os-term "
                                    "(kernel believed it was registered)");
    }
    klog(r, it->line, r->reason);
    r->phase = K_DEAD;
    return 0;
}

static int write_image(struct run *r, struct df_dump *d, int line)
{
    char path[512];
    struct df_err e;
    int n = snprintf(path, sizeof(path), "%s/dump.img", r->run_dir ? r->run_dir : ".");
    if (n < 0 || (size_t)n >= sizeof(path)) {
        return backend_error(r, "run dir path too long%s", "", line);
    }
    if (df_write_elf(d, path, &e) != DF_OK) {
        return backend_error(r, "writing dump.img: %s", e.msg, line);
    }
    if (r->res->image) {
        df_dump_free(r->res->image);
        r->res->image = NULL;
    }
    if (df_read_file(path, &r->res->image, &e) != DF_OK) {
        return backend_error(r, "reading back dump.img: %s", e.msg, line);
    }
    snprintf(r->res->image_path, sizeof(r->res->image_path), "%s", path);
    return 0;
}

/* ---- capture in a child process (process-level faults) ------------------ */

struct ppc_cap_rec {
    int32_t rc;                         /* sim_fadump_capture status */
    struct sim_fadump_capture_info info;
    int32_t write_failed;
    char werr[200];
    uint64_t written, image_size;
};

struct ppc_cap_job {
    struct run *r;
    char path[512];
    struct sim_child *child;
    int fd;
    uint64_t written;
    char werr[200];
};

/* The capture kernel's copy of /proc/vmcore to the dump disk (makedumpfile
 * -E / cp), piece by piece with the kill/hang points before each write. */
static int ppc_cap_out(void *o, uint64_t off, const uint8_t *data, size_t len)
{
    struct ppc_cap_job *j = o;
    sim_proc_fault_point(j->child, &j->r->pf, j->written);
    if (df_is_zero(data, len)) {
        /* A hole instead of written zeros (same bytes, sparse file); the
         * size still grows, so a full disk stops it at the same place. */
        struct stat st;
        if (fstat(j->fd, &st) == 0 && (uint64_t)st.st_size < off + len &&
            ftruncate(j->fd, (off_t)(off + len)) != 0) {
            snprintf(j->werr, sizeof(j->werr), "extending to byte %" PRIu64 ": %s", off + len,
                     strerror(errno));
            return 1;
        }
        j->written = off + len;
        sim_child_progress(j->child, j->written);
        return 0;
    }
    while (len) {
        ssize_t n = pwrite(j->fd, data, len, (off_t)off);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            snprintf(j->werr, sizeof(j->werr), "write at byte %" PRIu64 ": %s", off,
                     n < 0 ? strerror(errno) : "no progress");
            return 1;
        }
        data += n;
        off += (uint64_t)n;
        len -= (size_t)n;
        j->written = off;
    }
    sim_child_progress(j->child, j->written);
    return 0;
}

static void ppc_cap_child(struct sim_child *c, void *arg, void *out, size_t outlen)
{
    struct ppc_cap_job *j = arg;
    struct ppc_cap_rec *rec = out;
    struct run *r = j->r;
    struct df_dump *d = NULL;
    if (outlen != sizeof(*rec)) {
        return;
    }
    j->child = c;
    rec->rc = sim_fadump_capture(r->m, r->k.fdm_active, r->k.fdm_active_len,
                                 SIM_FADUMP_PRESERVED, &d, &rec->info);
    if (rec->rc != SIM_FADUMP_OK) {
        return;
    }
    struct df_err e;
    if (df_image_size(d, DF_FMT_ELF, &rec->image_size, &e) != DF_OK) {
        rec->write_failed = 1;
        snprintf(rec->werr, sizeof(rec->werr), "encoding: %.150s", e.msg);
        df_dump_free(d);
        return;
    }
    j->fd = open(j->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (j->fd < 0) {
        rec->write_failed = 1;
        snprintf(rec->werr, sizeof(rec->werr), "open dump.img: %s", strerror(errno));
        df_dump_free(d);
        return;
    }
    int st = df_write_stream(d, DF_FMT_ELF, 1u << 20, ppc_cap_out, j, &e);
    if (st == DF_OK) {
        sim_proc_fault_point(c, &r->pf, j->written);    /* before the final close */
    } else if (!j->werr[0]) {
        snprintf(j->werr, sizeof(j->werr), "%.190s", e.msg);
    }
    close(j->fd);
    df_dump_free(d);
    rec->written = j->written;
    rec->write_failed = st != DF_OK;
    snprintf(rec->werr, sizeof(rec->werr), "%s", j->werr);
}

static int read_partial(struct run *r, const char *path, uint64_t keep, int line)
{
    if (keep == 0) {
        unlink(path);
        return 0;
    }
    if (truncate(path, (off_t)keep) != 0) {
        return backend_error(r, "truncate dump.img: %s", strerror(errno), line);
    }
    struct df_read_opts ro = { .lenient = true };
    struct df_err e;
    snprintf(r->res->image_path, sizeof(r->res->image_path), "%s", path);
    if (df_read_file_opts(path, &ro, &r->res->image, &e) != DF_OK) {
        r->res->image = NULL;
        klog(r, line, "verify: partial image unreadable");
    }
    return 0;
}

static int capture_in_child(struct run *r, const struct scn_item *it, int line)
{
    struct ppc_cap_job *j = calloc(1, sizeof(*j));
    struct ppc_cap_rec *rec = calloc(1, sizeof(*rec));
    if (!j || !rec) {
        free(j);
        free(rec);
        return backend_error(r, "capture: out of memory%s", "", line);
    }
    j->r = r;
    j->fd = -1;
    snprintf(j->path, sizeof(j->path), "%s/dump.img", r->run_dir ? r->run_dir : ".");
    struct sim_child_opts co = { sim_capture_timeout(it), r->pf.disk_full_at };
    struct sim_child_exit ex;
    char cerr[160];
    if (r->log) {
        fflush(r->log);
    }
    if (sim_child_run(ppc_cap_child, j, rec, sizeof(*rec), &co, &ex, cerr, sizeof(cerr)) != 0) {
        free(j);
        free(rec);
        return backend_error(r, "capture: %s", cerr, line);
    }
    if (r->log) {
        fprintf(r->log, "[ppc64 line %d] capture ran in a child process (%.3f s, %s, last "
                "progress %" PRIu64 " bytes, file limit %" PRIu64 ")\n", line, ex.seconds,
                ex.finished ? "finished" : ex.timed_out ? "timed out, killed" : "died",
                ex.progress, r->pf.disk_full_at);
    }
    char why[256];
    int ret = 0;
    uint64_t got = ex.has_progress ? ex.progress : 0;
    if (!ex.finished) {
        if (ex.timed_out) {
            snprintf(why, sizeof(why), "capture step timed out: no progress for %.0f s (capture "
                     "kernel hung), copy killed after %" PRIu64 " bytes written; dump not finished",
                     co.timeout_s, got);
        } else if (ex.signaled && r->pf.machine_kill) {
            r->machine_dead = true;
            snprintf(why, sizeof(why), "machine killed (signal %d) during the capture after %"
                     PRIu64 " bytes written; dump not finished", ex.signo, got);
        } else if (ex.signaled) {
            snprintf(why, sizeof(why), "capture agent killed by signal %d after %" PRIu64
                     " bytes written; dump not finished, preserved memory not released",
                     ex.signo, got);
        } else {
            snprintf(why, sizeof(why), "capture child exited with status %d without a "
                     "result", ex.exit_code);
            set_outcome(r, RUN_ERROR, why);
            got = 0;
        }
        if (r->outcome != RUN_ERROR) {
            set_outcome(r, got ? RUN_INCOMPLETE : RUN_FAILED, why);
        }
        ret = read_partial(r, j->path, got, line);
    } else if (rec->rc != SIM_FADUMP_OK) {
        set_outcome(r, RUN_FAILED, rec->info.msg);
    } else if (rec->write_failed) {
        snprintf(why, sizeof(why), "vmcore copy failed: %.120s; %" PRIu64 " of %" PRIu64
                 " bytes written%s", rec->werr, rec->written, rec->image_size,
                 r->pf.disk_full_at ? " [dump disk full]" : "");
        set_outcome(r, rec->written ? RUN_INCOMPLETE : RUN_FAILED, why);
        ret = read_partial(r, j->path, rec->written, line);
    } else {
        struct df_err e;
        if (df_read_file(j->path, &r->res->image, &e) != DF_OK) {
            ret = backend_error(r, "reading back dump.img: %s", e.msg, line);
        } else {
            snprintf(r->res->image_path, sizeof(r->res->image_path), "%s", j->path);
            run_result_add_exempt(r->res, rec->info.reserve_start, rec->info.reserve_size,
                                  "fadump reserved area (CPU state, HPTE, boot memory copy, "
                                  "crash info): not dumped");
            set_outcome(r, RUN_COMPLETE, "");
        }
    }
    klog(r, line, r->outcome == RUN_COMPLETE ? "capture: vmcore saved to dump.img" : r->reason);
    free(j);
    free(rec);
    phase_done(r, "capture");
    return ret;
}

static int step_capture(struct run *r, const struct scn_item *it, int line)
{
    if (r->phase != K_CAPTURE || !r->dumped) {
        klog(r, line, "capture: no dump waiting (ibm,kernel-dump absent)");
        return 0;
    }
    r->dumped = false;
    r->captured = true;
    if (sim_proc_faults_any(&r->pf) || (it && scn_arg(it, "timeout"))) {
        return capture_in_child(r, it, line);
    }
    struct sim_fadump_capture_info info;
    struct df_dump *d = NULL;
    int rc = sim_fadump_capture(r->m, r->k.fdm_active, r->k.fdm_active_len,
                                SIM_FADUMP_PRESERVED, &d, &info);
    if (rc != SIM_FADUMP_OK) {
        set_outcome(r, RUN_FAILED, info.msg);
        klog(r, line, info.msg);
        /* setup_fadump(): on process failure fadump_invalidate_release_mem(). */
        struct sim_fadump_calls calls;
        memset(&calls, 0, sizeof(calls));
        sim_fadump_invalidate(&r->k, r->m, r->p, &calls);
        record_calls(r, &calls, line);
        phase_done(r, "capture");
        return 0;
    }
    int w = write_image(r, d, line);
    df_dump_free(d);
    if (w != 0) {
        return -1;
    }
    run_result_add_exempt(r->res, info.reserve_start, info.reserve_size,
                          "fadump reserved area (CPU state, HPTE, boot memory copy, "
                          "crash info): not dumped");
    if (info.nmissing) {
        char why[256];
        size_t used = (size_t)snprintf(why, sizeof(why), "dump lacks RAM not described at "
                                                         "registration:");
        for (size_t i = 0; i < info.nmissing; i++) {
            run_result_add_exempt(r->res, info.missing[i].start, info.missing[i].len,
                                  "hot-added after registration (reload=no): not in dump");
            if (used < sizeof(why)) {
                used += (size_t)snprintf(why + used, sizeof(why) - used, " [%#llx-%#llx)",
                                         (unsigned long long)info.missing[i].start,
                                         (unsigned long long)(info.missing[i].start +
                                                              info.missing[i].len));
            }
        }
        set_outcome(r, RUN_INCOMPLETE, why);
    } else {
        set_outcome(r, RUN_COMPLETE, "");
    }
    klog(r, line, r->outcome == RUN_COMPLETE ? "capture: vmcore saved to dump.img" : r->reason);
    phase_done(r, "capture");
    return 0;
}

static int step_release(struct run *r, const struct scn_item *it)
{
    struct sim_fadump_calls calls;
    memset(&calls, 0, sizeof(calls));
    if (r->phase != K_CAPTURE || !r->k.dump_active) {
        klog(r, it->line, "release: no dump active");
        return 0;
    }
    const struct scn_kv *addr = scn_arg(it, "addr");
    if (addr && addr->has_num) {
        uint64_t len = (uint64_t)scn_get_num(it, "len", 0);
        int rc = phyp_release(r->p, (uint64_t)addr->num, len);
        run_result_add_rc(r->res, "release", rc, it->line);
        if (r->log) {
            fprintf(r->log, "[ppc64 line %d] release [%#llx, +%#llx) rc=%d remaining=%#llx\n",
                    it->line, (unsigned long long)addr->num, (unsigned long long)len, rc,
                    (unsigned long long)phyp_preserved_remaining(r->p));
        }
        if (rc != PHYP_RELEASED_ALL) {
            return 0;
        }
        /* Everything released: invalidate (phyp-assisted dump design). */
    }
    /* echo 1 > /sys/kernel/fadump/release_mem */
    sim_fadump_invalidate(&r->k, r->m, r->p, &calls);
    record_calls(r, &calls, it->line);
    klog(r, it->line, r->k.msg);
    if (!r->k.dump_active) {
        /* fadump_invalidate_release_mem(): the kernel is a normal first
         * kernel again with its permanent reservation. */
        r->k.registered = false;
        r->phase = K_FIRST;
    }
    return 0;
}

static int step_run(struct run *r, const struct scn_item *it)
{
    uint64_t ms = (uint64_t)scn_get_num(it, "ms", 0);
    sim_advance(r->m, ms * 1000000ull);
    if (r->phase != K_FIRST) {
        return 0;
    }
    /* Memory churn: one page per ms, outside the fadump reserved area. */
    uint64_t pages = sim_mem_size(r->m) / SIM_PAGE_SIZE;
    uint8_t buf[SIM_PAGE_SIZE];
    for (uint64_t i = 0; i < ms && pages; i++) {
        uint64_t a = (sim_random(r->m) % pages) * SIM_PAGE_SIZE;
        if (r->k.reserved && a >= r->k.lay.reserve_start &&
            a < r->k.lay.reserve_start + r->k.lay.reserve_size) {
            continue;
        }
        for (size_t j = 0; j < sizeof(buf); j += 8) {
            uint64_t v = sim_random(r->m) ^ CHURN_SALT;
            memcpy(buf + j, &v, 8);
        }
        sim_mem_write(r->m, a, buf, sizeof(buf));
    }
    return 0;
}

static int exec_step(struct run *r, const struct scn_item *it)
{
    struct sim_fadump_calls calls;
    memset(&calls, 0, sizeof(calls));
    if (it->kind != SCN_STEP_BOOT && r->phase == K_OFF && first_boot(r, it->line) != 0) {
        return -1;
    }
    if (r->machine_dead) {
        klog(r, it->line, "the machine was killed: step ignored");
        return 0;
    }
    switch (it->kind) {
    case SCN_STEP_BOOT:
        if (first_boot(r, it->line) != 0) {
            return -1;
        }
        phase_done(r, "boot");
        return 0;
    case SCN_STEP_PLANT: {
        uint64_t addr = (uint64_t)scn_get_num(it, "addr", 0);
        uint64_t len = (uint64_t)scn_get_num(it, "len", 0);
        uint64_t seed = (uint64_t)scn_get_num(it, "seed", (int64_t)r->s->machine.seed);
        if (sim_plant(r->m, addr, len, seed) != 0) {
            return backend_error(r, "plant outside memory%s", "", it->line);
        }
        return 0;
    }
    case SCN_STEP_SET_REGS:
        return step_set_regs(r, it);
    case SCN_STEP_HOTPLUG_CPU:
        if (sim_hotplug_cpu(r->m, (unsigned)scn_get_num(it, "count", 1)) != 0) {
            return backend_error(r, "hotplug-cpu beyond max-cpus%s", "", it->line);
        }
        return 0;
    case SCN_STEP_HOTPLUG_MEM:
        return step_hotplug_mem(r, it);
    case SCN_STEP_REGISTER:
        return step_register(r, it);
    case SCN_STEP_UNREGISTER:
        if (r->phase == K_FIRST || r->phase == K_CAPTURE) {
            sim_fadump_unregister(&r->k, r->m, r->p, &calls);
            record_calls(r, &calls, it->line);
            klog(r, it->line, r->k.msg);
        }
        return 0;
    case SCN_STEP_INVALIDATE:
        if (r->phase == K_FIRST || r->phase == K_CAPTURE) {
            sim_fadump_invalidate(&r->k, r->m, r->p, &calls);
            record_calls(r, &calls, it->line);
            klog(r, it->line, r->k.msg);
        }
        return 0;
    case SCN_STEP_FAULT:
        return step_fault(r, it);
    case SCN_STEP_CRASH:
        if (r->phase == K_HUNG) {
            klog(r, it->line, "crash: kernel is hung, it cannot panic by itself");
            return 0;
        }
        return do_crash(r, it, (unsigned)scn_get_num(it, "cpu", 0), TRAP_PANIC);
    case SCN_STEP_HANG:
        if (r->phase == K_FIRST) {
            r->phase = K_HUNG;
            klog(r, it->line, "kernel hung");
        }
        return 0;
    case SCN_STEP_OPERATOR_DUMP:
        /* System reset (NMI): system_reset_exception -> crash_fadump(regs)
         * on the first CPU to take it, then ibm,os-term (PAPR R1-7.3.30-3). */
        if (r->phase == K_HUNG) {
            r->phase = K_FIRST;
        }
        return do_crash(r, it, (unsigned)scn_get_num(it, "cpu", 0), TRAP_SYSTEM_RESET);
    case SCN_STEP_CAPTURE:
        return step_capture(r, it, it->line);
    case SCN_STEP_RELEASE:
        return step_release(r, it);
    case SCN_STEP_RUN:
        return step_run(r, it);
    default:
        return backend_error(r, "step '%s' not supported by the ppc64 backend",
                             scn_step_name(it->kind), it->line);
    }
}

int sim_fadump_run(const struct scenario *s, const char *run_dir, FILE *log,
                   struct run_result *res, char *errbuf, size_t errlen)
{
    struct run *r;
    int ret = -1;

    if (errbuf && errlen) {
        errbuf[0] = '\0';
    }
    if (!s || !res) {
        if (errbuf && errlen) {
            snprintf(errbuf, errlen, "sim_fadump_run: invalid argument");
        }
        return -1;
    }
    r = calloc(1, sizeof(*r));
    if (!r) {
        res->outcome = RUN_ERROR;
        if (errbuf && errlen) {
            snprintf(errbuf, errlen, "sim_fadump_run: out of memory");
        }
        return -1;
    }
    r->s = s;
    r->run_dir = run_dir;
    r->log = log;
    r->res = res;
    r->err = errbuf;
    r->errlen = errlen;
    r->t_phase = now_s();
    sim_fadump_params_default(&r->prm);
    set_outcome(r, RUN_NO_DUMP, "no crash happened");

    if (s->machine.arch != SCN_ARCH_PPC64) {
        backend_error(r, "sim_fadump_run: machine arch is not ppc64%s", "", s->machine.line);
        goto out;
    }
    if (!s->dump.method || strcmp(s->dump.method, "fadump") != 0) {
        backend_error(r, "ppc64 sim supports dump method fadump only, not '%s'",
                      s->dump.method, s->dump.line);
        goto out;
    }
    if (s->dump.format && strcmp(s->dump.format, "elf") != 0) {
        backend_error(r, "fadump writes ELF (/proc/vmcore), not '%s'", s->dump.format,
                      s->dump.line);
        goto out;
    }
    const char *pname = s->machine.profile ? s->machine.profile : "phyp-default";
    /* The runner's resolved profile (data file or built-in), else the
     * scenario's name in the built-in table. */
    r->prof = res->phyp_profile ? res->phyp_profile : phyp_profile_find(pname);
    if (!r->prof) {
        backend_error(r, "unknown phyp profile '%s'", pname, s->machine.line);
        goto out;
    }
    struct sim_config cfg = {
        .arch = SIM_PPC64,
        .memory = s->machine.memory,
        .cpus = s->machine.cpus,
        .max_cpus = s->machine.max_cpus ? s->machine.max_cpus : s->machine.cpus,
        .seed = s->machine.seed,
    };
    char e[160];
    r->m = sim_new(&cfg, e, sizeof(e));
    if (!r->m) {
        backend_error(r, "sim machine: %s", e, s->machine.line);
        goto out;
    }
    r->p = phyp_new(sim_host(r->m), r->prof);
    if (!r->p) {
        backend_error(r, "libphyp: cannot instantiate profile '%s'", pname, s->machine.line);
        goto out;
    }
    for (size_t i = 0; i < s->nsteps; i++) {
        if (exec_step(r, &s->steps[i]) != 0) {
            goto out;
        }
    }
    /* A dump that is waiting when the scenario ends is captured (the
     * capture kernel's kdump service always runs). */
    if (r->dumped && !r->machine_dead && step_capture(r, NULL, 0) != 0) {
        goto out;
    }
    res->outcome = r->outcome;
    snprintf(res->reason, sizeof(res->reason), "%s", r->reason);
    ret = 0;
out:
    if (ret != 0) {
        res->outcome = RUN_ERROR;
        snprintf(res->reason, sizeof(res->reason), "%s", errbuf ? errbuf : "backend error");
    }
    phyp_free(r->p);
    sim_free(r->m);
    free(r);
    return ret;
}
