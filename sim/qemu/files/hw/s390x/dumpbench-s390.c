/*
 * dumpbench: libsclp (the dumpbench IBM Z firmware model) inside the
 * s390-ccw-virtio machine.
 *
 *   -object dumpbench-s390,id=db0,profile=z15-32m,hsa-size=SIZE,
 *           dump-kernel=PATH,dump-initrd=PATH,dump-cmdline=STR,truth=PATH
 *
 * With the object, the firmware pieces QEMU 7.2 lacks come from libsclp
 * (spec /work/shared/specs/s390.md 6.2, 7.2):
 *   - Read SCP Info hsa_size (bytes 112-115) and "LDIPL dump installed"
 *     (byte 91 bit 0x02)                       [hw/s390x/sclp.c hooks]
 *   - SDIAS (event 0x1C) over Write Event Data, sync mode; SDIAS in the
 *     SCLP receive mask                         [sclp.c, event-facility.c]
 *   - DIAG 308 subcodes 0-7 through libsclp's state machine, incl. 2
 *     (release HSA) and 4 (dump IPL)           [target/s390x/diag.c]
 *   - SIGP SENSE / STORE STATUS AT ADDRESS / STORE ADDITIONAL STATUS from
 *     the state kept at the dump IPL           [target/s390x/sigp.c]
 *   - the dump IPL itself, done inside the machine reset while every
 *     vCPU is paused: truth snapshot, libsclp dump IPL (store status at
 *     0x1200, HSA copy), device reset without rom_reset (the crashed
 *     system's memory above the HSA stays intact, pitfall 8), dump
 *     kernel loaded below the HSA and started on the IPL CPU with its
 *     vector registers kept (pitfall 6)        [hw/s390x/s390-virtio-ccw.c]
 *   - HMP "dumpbench-s390 dump|info|fault" (QMP: human-monitor-command):
 *     an operator-initiated dump IPL of a hung guest; SDIAS fault
 *     injection ("fault sdias status=N at-block=N count=N").
 * Without the object every hook declines and QEMU behaves like stock 7.2.
 *
 * This work is licensed under the terms of the GNU GPL, version 2 or (at
 * your option) any later version.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "qapi/qmp/qdict.h"
#include "qemu/error-report.h"
#include "qemu/cutils.h"
#include "qom/object.h"
#include "qom/object_interfaces.h"
#include "hw/boards.h"
#include "hw/loader.h"
#include "hw/core/cpu.h"
#include "exec/address-spaces.h"
#include "exec/exec-all.h"
#include "exec/memory.h"
#include "monitor/monitor.h"
#include "sysemu/hw_accel.h"
#include "sysemu/runstate.h"
#include "sysemu/tcg.h"
#include "hw/s390x/dumpbench.h"
#include "hw/s390x/pv.h"
#include "cpu.h"
#include "ipl.h"

#include "../dumpbench/common-include/dumpbench/cpu.h"
#include "../dumpbench/common-include/dumpbench/host.h"
#include "dumpbench-sclp.h"

OBJECT_DECLARE_SIMPLE_TYPE(DumpbenchS390, DUMPBENCH_S390)

/* Direct-kernel IPL layout (q72:hw/s390x/ipl.c). */
#define DB_KERN_IMAGE_START         0x010000UL
#define DB_LINUX_MAGIC_ADDR         0x010008UL
#define DB_INITRD_PARM_START        0x010408UL
#define DB_INITRD_PARM_SIZE         0x010410UL
#define DB_KERN_PARM_AREA_SIZE_ADDR 0x010430UL
#define DB_KERN_PARM_AREA           0x010480UL
#define DB_LEGACY_KERN_PARM_SIZE    0x000380UL
#define DB_INITRD_START             0x800000UL
#define DB_IPL_PSW_MASK             (PSW_MASK_32 | PSW_MASK_64)
#define DB_DIAG_ILEN                4

/* Truth snapshot (layout documented in sim/qemu/README.md). */
#define DB_TRUTH_MAGIC              "DBS390T1"
#define DB_TRUTH_VERSION            1
#define DB_TRUTH_HDR_SIZE           64
#define DB_TRUTH_CPU_WORDS          122
#define DB_TRUTH_RAM_ALIGN          4096
#define DB_TRUTH_FLAG_OPERATOR      0x1

struct DumpbenchS390 {
    Object parent_obj;

    /* properties */
    char *profile;
    uint64_t hsa_size;              /* DBS_NO_HSA_OVERRIDE = profile's */
    char *dump_kernel;
    char *dump_initrd;
    char *dump_cmdline;
    char *truth;
    uint16_t dump_devno;            /* operator dump without a stored IPLB */
    uint64_t dump_wwpn;
    uint64_t dump_lun;

    /* runtime */
    struct db_host host;
    struct sclp *sclp;              /* created on first use */
    bool dump_pending;              /* a dump IPL waits for the reset */
    bool dump_operator;             /* ... requested from the monitor */
    bool dump_in_reset;             /* reset_begin accepted it */
    int dump_cpu;                   /* cpu_index of the IPL CPU */
    unsigned dump_r1;               /* DIAG R1 (rc goes to R1 + 1) */
    uint64_t dump_subcode;          /* DIAG R3 value */
    uint64_t ipl_vregs[32][2];      /* IPL CPU vector registers */
    /* While the dump IPL stops the machine (truth snapshot, store status,
     * state kept for SIGP) the CPU timers read as of the stop instant: a
     * stopped CPU's timer does not decrement (PoP, "CPU Timer"), but TCG
     * derives it from QEMU_CLOCK_VIRTUAL, which runs on while the truth
     * file is written (measured ~0.7 s for 256 MiB). */
    bool clock_frozen;
    int64_t frozen_ns;

    /* HMP "fault sdias": injected into accepted SDIAS store-data replies
     * (libsclp's own injection is per profile, without a block window or
     * count).  Kept on the object, so it survives the dump IPL. */
    struct {
        bool armed;
        uint8_t status;             /* event_status to report */
        int64_t at_block;           /* first fbn affected, -1 = any */
        int64_t count;              /* replies to alter, -1 = all */
        uint64_t fired;
    } sdias_fault;
};

/* The machine has one firmware; -object creates at most one of these. */
static DumpbenchS390 *db_singleton;

/* ------------------------------------------------------------------ */
/* Host ops over QEMU                                                  */

static uint64_t db_ram_size(void)
{
    return current_machine ? current_machine->ram_size : 0;
}

static int db_mem_read(void *opaque, uint64_t addr, void *buf, uint64_t len)
{
    uint64_t ram = db_ram_size();

    if (len == 0) {
        return 0;
    }
    if (addr >= ram || len > ram - addr) {
        return -1;
    }
    return address_space_read(&address_space_memory, addr,
                              MEMTXATTRS_UNSPECIFIED, buf, len) == MEMTX_OK ?
           0 : -1;
}

static int db_mem_write(void *opaque, uint64_t addr, const void *buf,
                        uint64_t len)
{
    uint64_t ram = db_ram_size();

    if (len == 0) {
        return 0;
    }
    if (addr >= ram || len > ram - addr) {
        return -1;
    }
    return address_space_write(&address_space_memory, addr,
                               MEMTXATTRS_UNSPECIFIED, buf, len) == MEMTX_OK ?
           0 : -1;
}

static uint64_t db_mem_size(void *opaque)
{
    return db_ram_size();
}

static unsigned db_cpu_count(void *opaque)
{
    return current_machine ? current_machine->smp.max_cpus : 0;
}

/* ns <-> TOD-clock units (bit 51 = 1 us), as target/s390x/tcg/s390-tod.h */
static uint64_t db_time2tod(uint64_t ns)
{
    return (ns << 9) / 125 + (((ns & 0xff80000000000000ull) / 125) << 9);
}

static uint64_t db_tod2time(uint64_t t)
{
    return ((t >> 9) * 125) + (((t & 0x1ff) * 125) >> 9);
}

static int64_t db_cputm_now(void)
{
    if (db_singleton && db_singleton->clock_frozen) {
        return db_singleton->frozen_ns;
    }
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

/* Architected CPU-timer value (TCG keeps the expiry time in env->cputm). */
static uint64_t db_get_cputm(CPUS390XState *env)
{
    if (tcg_enabled()) {
        return db_time2tod(env->cputm - db_cputm_now());
    }
    return env->cputm;
}

static void db_set_cputm(CPUS390XState *env, uint64_t v)
{
    if (tcg_enabled()) {
        env->cputm = db_cputm_now() + db_tod2time(v);
    } else {
        env->cputm = v;
    }
}

static void db_cpu_to_neutral(S390CPU *cpu, struct db_s390_cpu *c)
{
    CPUS390XState *env = &cpu->env;

    cpu_synchronize_state(CPU(cpu));
    c->psw_mask = s390_cpu_get_psw_mask(env);
    c->psw_addr = env->psw.addr;
    for (int i = 0; i < 16; i++) {
        c->gprs[i] = env->regs[i];
        c->acrs[i] = env->aregs[i];
        c->fprs[i] = env->vregs[i][0];
        c->vxrs_low[i] = env->vregs[i][1];
        c->vxrs_high[i][0] = env->vregs[16 + i][0];
        c->vxrs_high[i][1] = env->vregs[16 + i][1];
        c->crs[i] = env->cregs[i];
    }
    c->fpc = env->fpc;
    c->prefix = env->psa;
    c->todpreg = env->todpr;
    c->cputm = db_get_cputm(env);
    c->ckc = env->ckc;
    c->online = true;
    c->stopped = s390_cpu_get_state(cpu) == S390_CPU_STATE_STOPPED;
    c->address = env->core_id;
}

/* CPU index == core address in the s390-ccw-virtio machine. */
static int db_cpu_get(void *opaque, unsigned idx, void *regs, size_t size)
{
    struct db_s390_cpu *c = regs;
    S390CPU *cpu;

    if (size != sizeof(*c) || idx >= db_cpu_count(opaque)) {
        return -1;
    }
    memset(c, 0, sizeof(*c));
    c->address = idx;
    cpu = s390_cpu_addr2state(idx);
    if (cpu) {
        db_cpu_to_neutral(cpu, c);
    }
    return 0;
}

/*
 * Writes only what changed: writing back an unchanged PSW through
 * s390_cpu_set_psw() would re-run its wait-state handling.
 */
static int db_cpu_set(void *opaque, unsigned idx, const void *regs,
                      size_t size)
{
    const struct db_s390_cpu *c = regs;
    struct db_s390_cpu cur;
    S390CPU *cpu;
    CPUS390XState *env;

    if (size != sizeof(*c) || idx >= db_cpu_count(opaque)) {
        return -1;
    }
    cpu = s390_cpu_addr2state(idx);
    if (!cpu) {
        return c->online ? -1 : 0;
    }
    env = &cpu->env;
    memset(&cur, 0, sizeof(cur));
    db_cpu_to_neutral(cpu, &cur);
    if (c->psw_mask != cur.psw_mask || c->psw_addr != cur.psw_addr) {
        env->psw.mask = c->psw_mask;
        env->psw.addr = c->psw_addr;
        if (tcg_enabled()) {
            env->cc_op = (c->psw_mask >> 44) & 3;
        }
    }
    for (int i = 0; i < 16; i++) {
        env->regs[i] = c->gprs[i];
        env->aregs[i] = c->acrs[i];
        env->vregs[i][0] = c->fprs[i];
        env->vregs[i][1] = c->vxrs_low[i];
        env->vregs[16 + i][0] = c->vxrs_high[i][0];
        env->vregs[16 + i][1] = c->vxrs_high[i][1];
        env->cregs[i] = c->crs[i];
    }
    env->fpc = c->fpc;
    if (c->prefix != cur.prefix) {
        env->psa = c->prefix & 0x7fffe000u;
        tlb_flush(CPU(cpu));
    }
    env->todpr = c->todpreg;
    if (c->cputm != cur.cputm) {
        db_set_cputm(env, c->cputm);
    }
    env->ckc = c->ckc;
    if (c->stopped && !cur.stopped) {
        s390_cpu_set_state(S390_CPU_STATE_STOPPED, cpu);
    } else if (!c->stopped && cur.stopped) {
        s390_cpu_set_state(S390_CPU_STATE_OPERATING, cpu);
    }
    return 0;
}

static uint64_t db_clock_ns(void *opaque)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

static const struct db_host_ops db_host_ops = {
    .mem_read = db_mem_read,
    .mem_write = db_mem_write,
    .mem_size = db_mem_size,
    .cpu_count = db_cpu_count,
    .cpu_get = db_cpu_get,
    .cpu_set = db_cpu_set,
    .clock_ns = db_clock_ns,
};

/* The firmware instance, created on first use (the machine exists then). */
static struct sclp *db_sclp(DumpbenchS390 *db)
{
    char err[256];

    if (!db) {
        return NULL;
    }
    if (!db->sclp) {
        db->sclp = dbs_new(&db->host, db->profile, db->hsa_size,
                           err, sizeof(err));
        if (!db->sclp) {
            error_report("dumpbench-s390: %s", err);
        }
    }
    return db->sclp;
}

static void db_drop_sclp(DumpbenchS390 *db)
{
    dbs_free(db->sclp);
    db->sclp = NULL;
}

/* ------------------------------------------------------------------ */
/* SCLP hooks                                                          */

/*
 * SDIAS fault injection.  Offsets in the SDIAS Write Event Data SCCB
 * (lx61:drivers/s390/char/sclp_sdias.h struct sdias_sccb: 8-byte SCCB
 * header, then struct sdias_evbuf: evbuf header length@8 type@10
 * flags@11, event_qual@14, event_status@31, fbn@52; SDIAS_EQ_STORE_DATA
 * 0x0 in lx61:drivers/s390/char/sclp_sdias.h).
 */
#define DB_SCLP_CMDW_WRITE_EVENT_DATA   0x00760005u
#define DB_SCLP_RC_NORMAL_COMPLETION    0x0020
#define DB_SCLP_EVTYP_SDIAS             0x1c
#define DB_SCLP_EVBUF_ACCEPTED          0x80
#define DB_SDIAS_EQ_STORE_DATA          0x00
#define DB_SDIAS_SCCB_LEN               68
#define DB_SDIAS_OFF_TYPE               10
#define DB_SDIAS_OFF_FLAGS              11
#define DB_SDIAS_OFF_QUAL               14
#define DB_SDIAS_OFF_STATUS             31
#define DB_SDIAS_OFF_FBN                52

static void db_sdias_fault_apply(DumpbenchS390 *db, uint32_t code,
                                 uint64_t sccb)
{
    uint8_t b[DB_SDIAS_SCCB_LEN];
    uint32_t fbn;

    if (!db->sdias_fault.armed || code != DB_SCLP_CMDW_WRITE_EVENT_DATA ||
        db_mem_read(NULL, sccb, b, sizeof(b)) != 0 ||
        b[DB_SDIAS_OFF_TYPE] != DB_SCLP_EVTYP_SDIAS ||
        b[DB_SDIAS_OFF_QUAL] != DB_SDIAS_EQ_STORE_DATA ||
        !(b[DB_SDIAS_OFF_FLAGS] & DB_SCLP_EVBUF_ACCEPTED)) {
        return;
    }
    fbn = ldl_be_p(b + DB_SDIAS_OFF_FBN);
    if ((db->sdias_fault.at_block >= 0 &&
         fbn < (uint64_t)db->sdias_fault.at_block) ||
        (db->sdias_fault.count >= 0 &&
         db->sdias_fault.fired >= (uint64_t)db->sdias_fault.count)) {
        return;
    }
    db->sdias_fault.fired++;
    (void)db_mem_write(NULL, sccb + DB_SDIAS_OFF_STATUS,
                       &db->sdias_fault.status, 1);
}

bool dumpbench_s390_service_call(uint64_t sccb, uint32_t code, int *r)
{
    uint8_t head[16];
    struct sclp *s;
    int rc;

    if (!db_singleton) {
        return false;
    }
    if (db_mem_read(NULL, sccb, head, sizeof(head)) != 0 ||
        !dbs_is_sdias_call(code, head, sizeof(head))) {
        return false;
    }
    s = db_sclp(db_singleton);
    if (!s) {
        return false;
    }
    rc = dbs_service_call(s, code, sccb);
    if (rc == DB_SCLP_RC_NORMAL_COMPLETION) {
        db_sdias_fault_apply(db_singleton, code, sccb);
    }
    *r = rc < 0 ? rc : 0;
    return true;
}

void dumpbench_s390_read_info(void *sccb, uint16_t len)
{
    struct sclp *s = db_sclp(db_singleton);
    uint8_t *b = sccb;

    if (!s) {
        return;
    }
    /* lx61 struct read_info_sccb: fac91 @91, hsa_size @112 */
    if (len >= 116) {
        stl_be_p(b + 112, dbs_read_info_hsa_field(s));
    }
    if (len >= 92 && dbs_dump_installed(s)) {
        b[91] |= 0x02;
    }
}

uint64_t dumpbench_s390_sclp_receive_mask(void)
{
    struct sclp *s = db_sclp(db_singleton);

    return s ? dbs_sclp_receive_mask(s) : 0;
}

/* ------------------------------------------------------------------ */
/* DIAG 308                                                            */

static S390IPLState *db_ipl_device(void)
{
    return S390_IPL(object_resolve_path_type("", TYPE_S390_IPL, NULL));
}

/*
 * Keep QEMU's own IPLB (used by the BIOS for re-IPL) in step with the
 * block the guest stored in libsclp: CCW blocks QEMU can boot are copied,
 * anything else (FCP, NVMe) invalidates QEMU's copy so a re-IPL starts
 * -kernel (or the BIOS default) instead of a stale device.
 */
static void db_mirror_iplb(struct sclp *s)
{
    S390IPLState *ipl = db_ipl_device();
    g_autofree IplParameterBlock *iplb = g_new0(IplParameterBlock, 1);
    uint32_t len;

    QEMU_BUILD_BUG_ON(sizeof(IplParameterBlock) != DBS_IPLB_SIZE);
    if (!ipl || !dbs_get_iplb(s, (uint8_t *)iplb, &len)) {
        return;
    }
    if (iplb->pbt == S390_IPL_TYPE_CCW && iplb_valid(iplb)) {
        s390_ipl_update_diag308(iplb);
    } else {
        ipl->iplb_valid = false;
        ipl->netboot = false;
    }
}

/* Ask for the dump IPL reset on `cs` (done by s390_machine_reset). */
static void db_request_dump_reset(CPUState *cs)
{
    S390IPLState *ipl = db_ipl_device();

    ipl->reset_cpu_index = cs->cpu_index;
    ipl->reset_type = S390_RESET_REIPL;
    /* Not GUEST_RESET: -no-reboot must not turn a dump into a shutdown. */
    qemu_system_reset_request(SHUTDOWN_CAUSE_SUBSYSTEM_RESET);
}

bool dumpbench_s390_diag308(CPUS390XState *env, uint64_t r1, uint64_t r3,
                            uintptr_t ra)
{
    DumpbenchS390 *db = db_singleton;
    CPUState *cs = env_cpu(env);
    uint64_t subcode = env->regs[r3];
    unsigned sc = subcode & 0xffff;
    uint64_t rc = 0;
    bool rc_set = false, is_dump;
    struct sclp *s;
    int act;

    if (!db || s390_is_pv() || (subcode & ~0x1ffffULL) ||
        sc > 7) {
        return false;   /* PV subcodes, bad bits: QEMU's own handling */
    }
    s = db_sclp(db);
    if (!s) {
        return false;
    }
    switch (sc) {
    case DIAG308_LOAD_NORMAL_DUMP: {
        int pre = dbs_diag308_dump_precheck(s, subcode, &rc);

        if (pre < 0) {
            s390_program_interrupt(env, -pre, ra);
            return true;
        }
        if (r1 & 1) {
            s390_program_interrupt(env, PGM_SPECIFICATION, ra);
            return true;
        }
        if (pre > 0) {
            env->regs[r1 + 1] = rc;
            return true;
        }
        /*
         * The dump IPL itself runs in s390_machine_reset with every vCPU
         * paused.  If libsclp refuses it there (injected busy), this CPU
         * resumes after the DIAG with the rc in R1 + 1.
         */
        db->dump_pending = true;
        db->dump_operator = false;
        db->dump_cpu = cs->cpu_index;
        db->dump_r1 = r1;
        db->dump_subcode = subcode;
        if (tcg_enabled()) {
            cpu_restore_state(cs, ra);
            env->psw.addr += DB_DIAG_ILEN;
        }
        db_request_dump_reset(cs);
        if (tcg_enabled()) {
            cpu_loop_exit(cs);
        }
        return true;
    }
    case DIAG308_RESET_MOD_CLR:
    case DIAG308_RESET_LOAD_NORM:
    case DIAG308_LOAD_CLEAR:
    case 7: /* load normal */
        act = dbs_diag308(s, env->core_id, subcode, 0, &rc, &rc_set);
        if (act < 0) {
            s390_program_interrupt(env, -act, ra);
            return true;
        }
        s390_ipl_reset_request(cs, act == DBS_ACT_RESET_CLEAR ?
                                   S390_RESET_MODIFIED_CLEAR :
                               act == DBS_ACT_RESET_NORMAL ?
                                   S390_RESET_LOAD_NORMAL : S390_RESET_REIPL);
        return true;
    case DIAG308_STORE:
        if (!dbs_has_iplb(s, &is_dump)) {
            return false;   /* QEMU's block (e.g. the BIOS-generated one) */
        }
        /* fall through */
    default: /* 2 (release HSA), 5 (SET), 6 (STORE) */
        if (r1 & 1) {
            s390_program_interrupt(env, PGM_SPECIFICATION, ra);
            return true;
        }
        act = dbs_diag308(s, env->core_id, subcode, env->regs[r1], &rc,
                          &rc_set);
        if (act < 0) {
            s390_program_interrupt(env, -act, ra);
            return true;
        }
        if (rc_set) {
            env->regs[r1 + 1] = rc;
        }
        if (sc == DIAG308_SET && rc_set && rc == DIAG_308_RC_OK) {
            db_mirror_iplb(s);
        }
        return true;
    }
}

/* ------------------------------------------------------------------ */
/* SIGP                                                                */

bool dumpbench_s390_sigp(S390CPU *dst_cpu, uint8_t order, uint64_t param,
                         uint64_t *status_reg, int *cc)
{
    DumpbenchS390 *db = db_singleton;
    enum dbs_sigp_order o;
    uint32_t status = 0;

    if (!db || !db->sclp || !dst_cpu ||
        dbs_state(db->sclp) == DBS_STATE_RUNNING) {
        return false;
    }
    switch (order) {
    case SIGP_SENSE:
        o = DBS_SIGP_SENSE;
        break;
    case SIGP_STORE_STATUS_ADDR:
        o = DBS_SIGP_STORE_STATUS;
        break;
    case SIGP_STORE_ADTL_STATUS:
        o = DBS_SIGP_STORE_ADTL_STATUS;
        break;
    default:
        return false;
    }
    *cc = dbs_sigp(db->sclp, o, dst_cpu->env.core_id, param, &status);
    if (*cc == SIGP_CC_STATUS_STORED) {
        *status_reg &= 0xffffffff00000000ULL;
        *status_reg |= status;
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* Truth snapshot                                                      */

static void db_put64(uint8_t *p, uint64_t v)
{
    stq_be_p(p, v);
}

static void db_truth_cpu_record(unsigned idx, const struct db_s390_cpu *c,
                                uint8_t *p)
{
    unsigned w = 0;

#define PUT(v) db_put64(p + 8 * w++, (uint64_t)(v))
    PUT(idx);
    PUT(c->address);
    PUT((c->online ? 1 : 0) | (c->stopped ? 2 : 0));
    PUT(c->psw_mask);
    PUT(c->psw_addr);
    for (int i = 0; i < 16; i++) {
        PUT(c->gprs[i]);
    }
    for (int i = 0; i < 16; i++) {
        PUT(c->acrs[i]);
    }
    for (int i = 0; i < 16; i++) {
        PUT(c->fprs[i]);
    }
    PUT(c->fpc);
    for (int i = 0; i < 16; i++) {
        PUT(c->crs[i]);
    }
    PUT(c->prefix);
    PUT(c->todpreg);
    PUT(c->cputm);
    PUT(c->ckc);
    for (int i = 0; i < 16; i++) {
        PUT(c->vxrs_low[i]);
    }
    for (int i = 0; i < 16; i++) {
        PUT(c->vxrs_high[i][0]);
        PUT(c->vxrs_high[i][1]);
    }
#undef PUT
    assert(w == DB_TRUTH_CPU_WORDS);
}

static bool db_write_all(int fd, const void *buf, size_t len)
{
    return qemu_write_full(fd, buf, len) == (ssize_t)len;
}

/*
 * Header + every CPU slot + all of RAM, taken with the vCPUs paused and
 * before libsclp's dump IPL stores status at 0x1200 / 0xa3.
 */
static bool db_write_truth(DumpbenchS390 *db, const char *path,
                           Error **errp)
{
    const unsigned ncpu = db_cpu_count(NULL);
    const uint64_t ram = db_ram_size();
    const size_t rec = DB_TRUTH_CPU_WORDS * 8;
    const uint64_t hdr_total = DB_TRUTH_HDR_SIZE + (uint64_t)ncpu * rec;
    const uint64_t ram_off = ROUND_UP(hdr_total, DB_TRUTH_RAM_ALIGN);
    const size_t chunk = 1 << 20;
    g_autofree uint8_t *head = g_malloc0(ram_off);
    g_autofree uint8_t *buf = g_malloc(chunk);
    uint64_t hsa = dbs_profile_hsa_size(db->sclp);
    bool ok = true;
    int fd;

    memcpy(head, DB_TRUTH_MAGIC, 8);
    stl_be_p(head + 8, DB_TRUTH_VERSION);
    stl_be_p(head + 12, DB_TRUTH_HDR_SIZE);
    stl_be_p(head + 16, ncpu);
    stl_be_p(head + 20, rec);
    stl_be_p(head + 24, db->dump_cpu);
    stl_be_p(head + 28, db->dump_operator ? DB_TRUTH_FLAG_OPERATOR : 0);
    stq_be_p(head + 32, ram_off);
    stq_be_p(head + 40, ram);
    stq_be_p(head + 48, MIN(hsa, ram & ~0xfffULL));
    stq_be_p(head + 56, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    for (unsigned i = 0; i < ncpu; i++) {
        struct db_s390_cpu c;

        db_cpu_get(NULL, i, &c, sizeof(c));
        db_truth_cpu_record(i, &c, head + DB_TRUTH_HDR_SIZE + i * rec);
    }

    fd = qemu_open_old(path, O_WRONLY | O_CREAT | O_TRUNC | O_BINARY, 0644);
    if (fd < 0) {
        error_setg_errno(errp, errno, "cannot create truth file '%s'", path);
        return false;
    }
    ok = db_write_all(fd, head, ram_off);
    for (uint64_t a = 0; ok && a < ram; a += chunk) {
        size_t n = MIN(chunk, ram - a);

        if (address_space_read(&address_space_memory, a,
                               MEMTXATTRS_UNSPECIFIED, buf, n) != MEMTX_OK) {
            memset(buf, 0, n);
        }
        ok = db_write_all(fd, buf, n);
    }
    if (!ok) {
        error_setg_errno(errp, errno, "writing truth file '%s' failed", path);
    }
    if (qemu_close(fd) != 0 && ok) {
        error_setg_errno(errp, errno, "closing truth file '%s' failed", path);
        ok = false;
    }
    if (!ok) {
        unlink(path);
    }
    return ok;
}

/* ------------------------------------------------------------------ */
/* Dump IPL inside s390_machine_reset                                  */

/*
 * All vCPUs are paused: take the truth snapshot, let libsclp do the dump
 * IPL (stop CPUs keeping their state, store status of the IPL CPU at
 * 0x1200 + ar_mode_id, HSA copy), remember the IPL CPU's vector registers
 * and make the coming device reset leave guest memory alone.
 */
static int db_dump_begin(DumpbenchS390 *db)
{
    struct sclp *s = db_sclp(db);
    CPUState *cs = qemu_get_cpu(db->dump_cpu);
    g_autofree char *tmp = NULL;
    Error *err = NULL;
    uint64_t rc = 0;
    bool rc_set = false;
    S390CPU *cpu;
    int r;

    if (!s || !cs) {
        return -1;
    }
    cpu = S390_CPU(cs);
    db->frozen_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    db->clock_frozen = true;
    if (db->truth) {
        tmp = g_strdup_printf("%s.tmp", db->truth);
        if (!db_write_truth(db, tmp, &err)) {
            error_report_err(err);
            g_clear_pointer(&tmp, g_free);
        }
    }
    if (db->dump_operator) {
        r = dbs_dump_ipl(s, cpu->env.core_id);
        if (r != 0) {
            error_report("dumpbench-s390: operator dump refused: %s",
                         dbs_last_error(s));
        }
        r = r == 0 ? DBS_ACT_DUMP_IPL : DBS_ACT_NONE;
    } else {
        r = dbs_diag308(s, cpu->env.core_id, db->dump_subcode, 0, &rc,
                        &rc_set);
        if (r != DBS_ACT_DUMP_IPL) {
            /* Refused (e.g. busy): the CPU resumes after its DIAG. */
            cpu->env.regs[db->dump_r1 + 1] = rc_set ? rc : DIAG_308_RC_NO_CONF;
        }
    }
    db->clock_frozen = false;
    if (r != DBS_ACT_DUMP_IPL) {
        if (tmp) {
            unlink(tmp);
        }
        return -1;
    }
    if (tmp && rename(tmp, db->truth) != 0) {
        error_report("dumpbench-s390: cannot rename '%s' to '%s': %s",
                     tmp, db->truth, strerror(errno));
    }
    memcpy(db->ipl_vregs, cpu->env.vregs, sizeof(db->ipl_vregs));
    rom_reset_inhibit(true);
    db->dump_in_reset = true;
    return 1;
}

int dumpbench_s390_reset_begin(int reset_type)
{
    DumpbenchS390 *db = db_singleton;
    bool pending;

    if (!db) {
        return 0;
    }
    pending = db->dump_pending;
    db->dump_pending = false;
    if (reset_type == S390_RESET_EXTERNAL) {
        /* system_reset / power-on: fresh firmware state, like QEMU's IPLB */
        if (db->sclp) {
            dbs_reset(db->sclp);
        }
        return 0;
    }
    if (!pending || reset_type != S390_RESET_REIPL) {
        return 0;
    }
    return db_dump_begin(db);
}

static bool db_load_file(const char *path, const char *what, gchar **data,
                         gsize *len)
{
    g_autoptr(GError) gerr = NULL;

    if (!g_file_get_contents(path, data, len, &gerr)) {
        error_report("dumpbench-s390: cannot read %s '%s': %s", what, path,
                     gerr->message);
        return false;
    }
    return true;
}

/*
 * Load the dump kernel the way hw/s390x/ipl.c loads a raw -kernel image:
 * image at absolute 0, "S390EP" at 0x10008 -> entry 0x10000 with the
 * command line at 0x10480, else the short IPL PSW at 4; initrd at 8 MiB
 * (or the next MiB above the kernel) with start/size at 0x10408/0x10410.
 */
static bool db_load_dump_kernel(DumpbenchS390 *db, uint64_t *entry)
{
    const char *kpath = db->dump_kernel ? db->dump_kernel :
                        current_machine->kernel_filename;
    const char *ipath = db->dump_kernel ? db->dump_initrd :
                        current_machine->initrd_filename;
    const char *cmdline = db->dump_cmdline ? db->dump_cmdline :
                          db->dump_kernel ? "" :
                          (current_machine->kernel_cmdline ?
                           current_machine->kernel_cmdline : "");
    uint64_t ram = db_ram_size();
    uint64_t hsa = dbs_hsa_bytes(db->sclp);
    g_autofree gchar *kdata = NULL;
    g_autofree gchar *idata = NULL;
    gsize klen = 0, ilen = 0;

    if (!kpath) {
        error_report("dumpbench-s390: no dump kernel (dump-kernel= or -kernel)");
        return false;
    }
    if (!db_load_file(kpath, "dump kernel", &kdata, &klen)) {
        return false;
    }
    if (klen >= 4 && !memcmp(kdata, "\x7f" "ELF", 4)) {
        error_report("dumpbench-s390: '%s' is an ELF file; use the raw image "
                     "(arch/s390/boot/bzImage)", kpath);
        return false;
    }
    if (klen < 8 || klen > ram) {
        error_report("dumpbench-s390: dump kernel '%s' has a bad size", kpath);
        return false;
    }
    if (klen > DB_LINUX_MAGIC_ADDR + 6 &&
        !memcmp(kdata + DB_LINUX_MAGIC_ADDR, "S390EP", 6)) {
        uint64_t max = DB_LEGACY_KERN_PARM_SIZE;
        size_t cl = strlen(cmdline) + 1;

        if (klen >= DB_KERN_PARM_AREA_SIZE_ADDR + 8 &&
            ldq_be_p(kdata + DB_KERN_PARM_AREA_SIZE_ADDR)) {
            max = ldq_be_p(kdata + DB_KERN_PARM_AREA_SIZE_ADDR);
        }
        if (cl > max) {
            error_report("dumpbench-s390: dump command line too long "
                         "(%zu > %" PRIu64 ")", cl, max);
            return false;
        }
        if (klen < DB_KERN_PARM_AREA + cl) {
            error_report("dumpbench-s390: dump kernel too small for its "
                         "parameter area");
            return false;
        }
        memcpy(kdata + DB_KERN_PARM_AREA, cmdline, cl);
        *entry = DB_KERN_IMAGE_START;
    } else {
        *entry = ldl_be_p(kdata + 4) & PSW_MASK_SHORT_ADDR;
    }
    if (ipath) {
        uint64_t off = DB_INITRD_START;

        if (!db_load_file(ipath, "dump initrd", &idata, &ilen)) {
            return false;
        }
        while (klen + 0x100000 > off) {
            off += 0x100000;
        }
        if (off > ram || ilen > ram - off) {
            error_report("dumpbench-s390: dump initrd does not fit in memory");
            return false;
        }
        if (klen >= DB_INITRD_PARM_SIZE + 8) {
            stq_be_p(kdata + DB_INITRD_PARM_START, off);
            stq_be_p(kdata + DB_INITRD_PARM_SIZE, ilen);
        }
        if (db_mem_write(NULL, off, idata, ilen) != 0) {
            return false;
        }
        if (off + ilen > hsa) {
            warn_report("dumpbench-s390: dump initrd ends at 0x%" PRIx64
                        ", above the HSA (0x%" PRIx64 "): the dump kernel "
                        "only uses memory below the HSA size",
                        off + ilen, hsa);
        }
    }
    if (klen > hsa) {
        warn_report("dumpbench-s390: dump kernel (%zu bytes) is larger than "
                    "the HSA (0x%" PRIx64 ")", (size_t)klen, hsa);
    }
    return db_mem_write(NULL, 0, kdata, klen) == 0;
}

/* An operator dump needs a dump IPLB for DIAG 308/6 in the dump kernel. */
static void db_stage_operator_iplb(DumpbenchS390 *db)
{
    uint8_t blk[DBS_IPLB_SIZE];
    uint32_t len;
    bool is_dump;

    if (dbs_has_iplb(db->sclp, &is_dump) && is_dump) {
        return;
    }
    /* firmware stores its own block: no guest memory is touched */
    if (dbs_build_fcp_dump_iplb(blk, &len, db->dump_devno, db->dump_wwpn,
                                db->dump_lun) != 0 ||
        dbs_set_iplb(db->sclp, blk, len) != 0) {
        error_report("dumpbench-s390: could not store the operator dump "
                     "IPLB: %s", dbs_last_error(db->sclp));
    }
}

struct db_start_arg {
    DumpbenchS390 *db;
    uint64_t entry;
};

static void db_start_ipl_cpu(CPUState *cs, run_on_cpu_data data)
{
    struct db_start_arg *a = data.host_ptr;
    S390CPU *cpu = S390_CPU(cs);

    /* LOAD NORMAL keeps the vector registers (lx61 early.c saves them). */
    memcpy(cpu->env.vregs, a->db->ipl_vregs, sizeof(cpu->env.vregs));
    cpu->env.psw.mask = DB_IPL_PSW_MASK;
    cpu->env.psw.addr = a->entry;
    s390_cpu_set_state(S390_CPU_STATE_OPERATING, cpu);
}

void dumpbench_s390_dump_reset_done(void)
{
    DumpbenchS390 *db = db_singleton;
    struct db_start_arg a;
    CPUState *cs;

    rom_reset_inhibit(false);
    if (!db || !db->dump_in_reset) {
        return;
    }
    db->dump_in_reset = false;
    cs = qemu_get_cpu(db->dump_cpu);
    if (db->dump_operator) {
        db_stage_operator_iplb(db);
    }
    a.db = db;
    a.entry = 0;
    if (!cs || !db_load_dump_kernel(db, &a.entry)) {
        error_report("dumpbench-s390: dump kernel not started; all CPUs "
                     "stay stopped");
        return;
    }
    if (tcg_enabled()) {
        /*
         * The dump kernel decompresses itself over the crashed kernel's
         * code: pages still holding translated blocks take TCG's slow
         * self-modifying-code path on every store (minutes instead of
         * seconds).  Real firmware has no translation cache to keep.
         */
        tb_flush(cs);
    }
    run_on_cpu(cs, db_start_ipl_cpu, RUN_ON_CPU_HOST_PTR(&a));
}

/* ------------------------------------------------------------------ */
/* Monitor                                                             */

/*
 * "fault sdias status=N [at-block=N] [count=N]" arms the SDIAS fault;
 * "fault clear" disarms it.  Every value is checked; nothing changes on
 * an error.
 */
static void db_hmp_fault(Monitor *mon, DumpbenchS390 *db, const char *args)
{
    g_auto(GStrv) w = g_strsplit(args ? args : "", " ", -1);
    int64_t status = -1, at_block = -1, count = -1;
    int i;

    if (!w[0] || !strcmp(w[0], "clear")) {
        memset(&db->sdias_fault, 0, sizeof(db->sdias_fault));
        monitor_printf(mon, "faults cleared\n");
        return;
    }
    if (strcmp(w[0], "sdias")) {
        monitor_printf(mon, "unknown fault target '%s' (sdias|clear)\n",
                       w[0]);
        return;
    }
    for (i = 1; w[i]; i++) {
        const char *eq = strchr(w[i], '=');
        int64_t *dst;
        uint64_t v;

        if (!*w[i]) {
            continue;
        }
        if (!eq) {
            monitor_printf(mon, "fault sdias: '%s' is not key=value\n", w[i]);
            return;
        }
        if (!strncmp(w[i], "status=", 7)) {
            dst = &status;
        } else if (!strncmp(w[i], "at-block=", 9)) {
            dst = &at_block;
        } else if (!strncmp(w[i], "count=", 6)) {
            dst = &count;
        } else {
            monitor_printf(mon, "fault sdias: unknown key in '%s' "
                           "(status|at-block|count)\n", w[i]);
            return;
        }
        if (qemu_strtou64(eq + 1, NULL, 0, &v) != 0 || v > UINT32_MAX ||
            (dst == &status && (v == 0 || v > 0xff))) {
            monitor_printf(mon, "fault sdias: bad value in '%s'\n", w[i]);
            return;
        }
        *dst = (int64_t)v;
    }
    if (status < 0) {
        monitor_printf(mon, "fault sdias: status=N (1..255) is required\n");
        return;
    }
    db->sdias_fault.armed = true;
    db->sdias_fault.status = (uint8_t)status;
    db->sdias_fault.at_block = at_block;
    db->sdias_fault.count = count;
    db->sdias_fault.fired = 0;
    monitor_printf(mon, "fault sdias armed: status 0x%02x at-block %" PRId64
                   " count %" PRId64 "\n", (unsigned)status, at_block, count);
}

void hmp_dumpbench_s390(Monitor *mon, const QDict *qdict)
{
    const char *action = qdict_get_str(qdict, "action");
    DumpbenchS390 *db = db_singleton;
    struct sclp *s;

    if (!db) {
        monitor_printf(mon, "no -object " TYPE_DUMPBENCH_S390 "\n");
        return;
    }
    s = db_sclp(db);
    if (!s) {
        monitor_printf(mon, "firmware model not available\n");
        return;
    }
    if (!strcmp(action, "info")) {
        monitor_printf(mon, "profile %s state %s hsa %" PRIu64
                       " hsa-size-field %u dump-pending %d"
                       " sdias-fault %s status 0x%02x at-block %" PRId64
                       " count %" PRId64 " fired %" PRIu64 "\n",
                       dbs_profile_name(s), dbs_state_name(s),
                       dbs_hsa_bytes(s), dbs_read_info_hsa_field(s),
                       db->dump_pending,
                       db->sdias_fault.armed ? "armed" : "off",
                       db->sdias_fault.status, db->sdias_fault.at_block,
                       db->sdias_fault.count, db->sdias_fault.fired);
        return;
    }
    if (!strcmp(action, "fault")) {
        db_hmp_fault(mon, db, qdict_get_try_str(qdict, "args"));
        return;
    }
    if (strcmp(action, "dump")) {
        monitor_printf(mon, "unknown action '%s' (dump|info|fault)\n",
                       action);
        return;
    }
    if (!dbs_dump_supported(s)) {
        monitor_printf(mon, "profile %s has no dump support\n",
                       dbs_profile_name(s));
        return;
    }
    if (dbs_state(s) == DBS_STATE_DUMP_KERNEL || db->dump_pending) {
        monitor_printf(mon, "a dump is already in progress\n");
        return;
    }
    if (!first_cpu) {
        monitor_printf(mon, "no CPU\n");
        return;
    }
    db->dump_pending = true;
    db->dump_operator = true;
    db->dump_cpu = first_cpu->cpu_index;
    db_request_dump_reset(first_cpu);
    monitor_printf(mon, "dump IPL requested on CPU %d\n", db->dump_cpu);
}

/* ------------------------------------------------------------------ */
/* QOM                                                                 */

#define DB_STR_PROP(field)                                              \
static char *db_get_##field(Object *obj, Error **errp)                  \
{                                                                       \
    return g_strdup(DUMPBENCH_S390(obj)->field);                        \
}                                                                       \
static void db_set_##field(Object *obj, const char *v, Error **errp)    \
{                                                                       \
    DumpbenchS390 *db = DUMPBENCH_S390(obj);                            \
    g_free(db->field);                                                  \
    db->field = g_strdup(v);                                            \
}

DB_STR_PROP(profile)
DB_STR_PROP(dump_kernel)
DB_STR_PROP(dump_initrd)
DB_STR_PROP(dump_cmdline)
DB_STR_PROP(truth)

static void db_get_hsa_size(Object *obj, Visitor *v, const char *name,
                            void *opaque, Error **errp)
{
    DumpbenchS390 *db = DUMPBENCH_S390(obj);
    uint64_t val = db->hsa_size == DBS_NO_HSA_OVERRIDE ?
                   (db->sclp ? dbs_profile_hsa_size(db->sclp) : 0) :
                   db->hsa_size;

    visit_type_size(v, name, &val, errp);
}

static void db_set_hsa_size(Object *obj, Visitor *v, const char *name,
                            void *opaque, Error **errp)
{
    uint64_t val;

    if (visit_type_size(v, name, &val, errp)) {
        DUMPBENCH_S390(obj)->hsa_size = val;
    }
}

static void db_get_u64(Object *obj, Visitor *v, const char *name,
                       void *opaque, Error **errp)
{
    DumpbenchS390 *db = DUMPBENCH_S390(obj);
    uint64_t val = !strcmp(name, "dump-devno") ? db->dump_devno :
                   !strcmp(name, "dump-wwpn") ? db->dump_wwpn : db->dump_lun;

    visit_type_uint64(v, name, &val, errp);
}

static void db_set_u64(Object *obj, Visitor *v, const char *name,
                       void *opaque, Error **errp)
{
    DumpbenchS390 *db = DUMPBENCH_S390(obj);
    uint64_t val;

    if (!visit_type_uint64(v, name, &val, errp)) {
        return;
    }
    if (!strcmp(name, "dump-devno")) {
        if (val > 0xffff) {
            error_setg(errp, "dump-devno must be below 0x10000");
            return;
        }
        db->dump_devno = val;
    } else if (!strcmp(name, "dump-wwpn")) {
        db->dump_wwpn = val;
    } else {
        db->dump_lun = val;
    }
}

static void db_complete(UserCreatable *uc, Error **errp)
{
    DumpbenchS390 *db = DUMPBENCH_S390(uc);
    char err[256];

    if (db_singleton) {
        error_setg(errp, "only one " TYPE_DUMPBENCH_S390 " object is allowed");
        return;
    }
    if (dbs_profile_check(db->profile, db->hsa_size, err, sizeof(err)) != 0) {
        error_setg(errp, TYPE_DUMPBENCH_S390 ": %s", err);
        return;
    }
    if (db->dump_initrd && !db->dump_kernel) {
        error_setg(errp, TYPE_DUMPBENCH_S390 ": dump-initrd needs dump-kernel");
        return;
    }
    if (db->dump_kernel && access(db->dump_kernel, R_OK) != 0) {
        error_setg_errno(errp, errno, "dump-kernel '%s'", db->dump_kernel);
        return;
    }
    if (db->dump_initrd && access(db->dump_initrd, R_OK) != 0) {
        error_setg_errno(errp, errno, "dump-initrd '%s'", db->dump_initrd);
        return;
    }
    db->host.ops = &db_host_ops;
    db->host.opaque = db;
    db_singleton = db;
}

static bool db_can_be_deleted(UserCreatable *uc)
{
    return false;
}

static void db_instance_init(Object *obj)
{
    DumpbenchS390 *db = DUMPBENCH_S390(obj);

    db->profile = g_strdup("z15-32m");
    db->hsa_size = DBS_NO_HSA_OVERRIDE;
}

static void db_instance_finalize(Object *obj)
{
    DumpbenchS390 *db = DUMPBENCH_S390(obj);

    if (db_singleton == db) {
        db_singleton = NULL;
    }
    db_drop_sclp(db);
    g_free(db->profile);
    g_free(db->dump_kernel);
    g_free(db->dump_initrd);
    g_free(db->dump_cmdline);
    g_free(db->truth);
}

static void db_class_init(ObjectClass *oc, void *data)
{
    UserCreatableClass *ucc = USER_CREATABLE_CLASS(oc);

    ucc->complete = db_complete;
    ucc->can_be_deleted = db_can_be_deleted;
    object_class_property_add_str(oc, "profile", db_get_profile,
                                  db_set_profile);
    object_class_property_set_description(oc, "profile",
        "libsclp firmware profile (z15-32m, hsa-64m, hsa-512m, no-dump, "
        "qemu-7.2)");
    object_class_property_add(oc, "hsa-size", "size", db_get_hsa_size,
                              db_set_hsa_size, NULL, NULL);
    object_class_property_set_description(oc, "hsa-size",
        "HSA size in bytes (multiple of 4 KiB; default: the profile's)");
    object_class_property_add_str(oc, "dump-kernel", db_get_dump_kernel,
                                  db_set_dump_kernel);
    object_class_property_set_description(oc, "dump-kernel",
        "raw s390 kernel image started by a dump IPL (default: -kernel)");
    object_class_property_add_str(oc, "dump-initrd", db_get_dump_initrd,
                                  db_set_dump_initrd);
    object_class_property_add_str(oc, "dump-cmdline", db_get_dump_cmdline,
                                  db_set_dump_cmdline);
    object_class_property_add_str(oc, "truth", db_get_truth, db_set_truth);
    object_class_property_set_description(oc, "truth",
        "file receiving the CPU state and RAM at each dump IPL");
    object_class_property_add(oc, "dump-devno", "uint64", db_get_u64,
                              db_set_u64, NULL, NULL);
    object_class_property_add(oc, "dump-wwpn", "uint64", db_get_u64,
                              db_set_u64, NULL, NULL);
    object_class_property_add(oc, "dump-lun", "uint64", db_get_u64,
                              db_set_u64, NULL, NULL);
}

static const TypeInfo db_type_info = {
    .name = TYPE_DUMPBENCH_S390,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(DumpbenchS390),
    .instance_init = db_instance_init,
    .instance_finalize = db_instance_finalize,
    .class_init = db_class_init,
    .interfaces = (InterfaceInfo[]) {
        { TYPE_USER_CREATABLE },
        { }
    },
};

static void db_register_types(void)
{
    type_register_static(&db_type_info);
}

type_init(db_register_types)
