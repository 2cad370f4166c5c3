/*
 * dumpbench-fcp: an emulated FCP channel (IBM Z FCP adapter, "zfcp"
 * device) for the s390-ccw-virtio machine, driven by the unmodified Linux
 * cio/qdio/zfcp drivers.  The QDIO queues and the FSF protocol are
 * libfcp's (hw/dumpbench/fcp-model, reached through the plain-C wrapper
 * dumpbench-fcp-model.c); this file is the channel-subsystem glue:
 *
 *  - subchannel identity: Sense ID control unit 1731/03, device 1732/03
 *    with the EQUEUE and AQUEUE CIWs (Linux zfcp_ccw.c zfcp_ccw_device_id,
 *    cio device_id.c snsid_check -> flags.esid, qdio_main.c
 *    qdio_establish / qdio_activate -> ccw_device_get_ciw);
 *  - ESTABLISH QUEUES CCW -> libfcp fsf_establish (unit check, command
 *    reject on failure; qdio_establish_handle_irq wants CE+DE, nothing
 *    else);
 *  - ACTIVATE QUEUES CCW: the channel program stays active (subchannel and
 *    device active, no status) until HALT/CLEAR SUBCHANNEL (qdio_activate
 *    only checks after 5 ms that the state is not STOPPED/ERR;
 *    qdio_shutdown halts or clears);
 *  - PCI: an intermediate status with SCHN_STAT_PCI in the channel status
 *    while the activate CCW runs (qdio_int_handler -> qdio_int_handler_pci);
 *  - SIGA (target/s390x/tcg hook) and CHSC SSQD (target/s390x/ioinst.c
 *    hook) for the device's subchannel.
 *
 * This work is licensed under the terms of the GNU GPL, version 2 or (at
 * your option) any later version.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qapi/qmp/qdict.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qemu/module.h"
#include "qemu/queue.h"
#include "exec/address-spaces.h"
#include "exec/memory.h"
#include "hw/boards.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "hw/s390x/css.h"
#include "hw/s390x/css-bridge.h"
#include "hw/s390x/ioinst.h"
#include "hw/s390x/dumpbench-fcp.h"
#include "monitor/monitor.h"
#include "ccw-device.h"

#include "../dumpbench/common-include/dumpbench/host.h"
#include "dumpbench-fcp-model.h"

/* CHPID type of an FCP channel path (z/Architecture "FCP" 0x25).  Linux
 * 6.1 never checks the CHPID type of a zfcp/qdio subchannel (it is only
 * shown in /sys/devices/css0/chp0.xx/type); QEMU reports it through CHSC
 * SCPD. */
#define DUMPBENCH_FCP_CHPID_TYPE 0x25

#define DEFAULT_WWPN    0x5005076300c7a9b1ULL
#define DEFAULT_LUN0    0x4010400000000000ULL
#define DEFAULT_LUN1    0x4011400000000000ULL
#define LUN_UNSET       UINT64_MAX

OBJECT_DECLARE_SIMPLE_TYPE(DumpbenchFcp, DUMPBENCH_FCP)

struct DumpbenchFcp {
    CcwDevice parent_obj;
    /* properties */
    uint64_t wwpn;
    uint64_t lun[DBF_MAX_LUNS];
    char *file[DBF_MAX_LUNS];
    char *log;
    /* state */
    struct db_host host;
    struct dbf *model;
    bool active;                /* the ACTIVATE QUEUES CCW is running */
    bool pci_deferred;          /* a PCI became due while not active */
    uint64_t pcis;              /* PCI interrupts presented */
    QTAILQ_ENTRY(DumpbenchFcp) next;
};

static int fcp_debug = -1;
#define FDBG(...) do { \
    if (fcp_debug < 0) { fcp_debug = getenv("DUMPBENCH_FCP_DEBUG") != NULL; } \
    if (fcp_debug) { fprintf(stderr, "dumpbench-fcp: " __VA_ARGS__); } \
} while (0)

static QTAILQ_HEAD(, DumpbenchFcp) fcp_devices =
    QTAILQ_HEAD_INITIALIZER(fcp_devices);

/* ------------------------------------------------------------------ */
/* Host ops over QEMU guest memory (as hw/s390x/dumpbench-s390.c)      */

static uint64_t fcp_ram_size(void)
{
    return current_machine ? current_machine->ram_size : 0;
}

static int fcp_mem_read(void *opaque, uint64_t addr, void *buf, uint64_t len)
{
    uint64_t ram = fcp_ram_size();

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

static int fcp_mem_write(void *opaque, uint64_t addr, const void *buf,
                         uint64_t len)
{
    uint64_t ram = fcp_ram_size();

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

static uint64_t fcp_mem_size(void *opaque)
{
    return fcp_ram_size();
}

static const struct db_host_ops fcp_host_ops = {
    .mem_read = fcp_mem_read,
    .mem_write = fcp_mem_write,
    .mem_size = fcp_mem_size,
};

/* ------------------------------------------------------------------ */
/* Interrupts                                                          */

/*
 * Present a PCI: intermediate status, channel status PCI, subchannel and
 * device stay active.  TSCH of an intermediate-only status clears just
 * the status-control bits (css_do_tsch_update_subch), so the activate
 * CCW keeps running.  If status is already pending the PCI rides on it.
 */
static void fcp_present_pci(DumpbenchFcp *d)
{
    SubchDev *sch = CCW_DEVICE(d)->sch;
    SCHIB *schib;

    if (!sch) {
        return;
    }
    schib = &sch->curr_status;
    FDBG("pci: active %d ctrl %#x cstat %#x dstat %#x\n", d->active,
         schib->scsw.ctrl, schib->scsw.cstat, schib->scsw.dstat);
    if (!d->active) {
        d->pci_deferred = true;
        return;
    }
    if (!(schib->pmcw.flags & PMCW_FLAGS_MASK_ENA)) {
        return;
    }
    if (schib->scsw.ctrl & SCSW_STCTL_STATUS_PEND) {
        schib->scsw.cstat |= SCSW_CSTAT_PCI;
        return;
    }
    schib->scsw.cstat = SCSW_CSTAT_PCI;
    schib->scsw.dstat = 0;
    schib->scsw.ctrl &= ~SCSW_CTRL_MASK_STCTL;
    schib->scsw.ctrl |= SCSW_STCTL_INTERMEDIATE | SCSW_STCTL_STATUS_PEND;
    d->pcis++;
    css_inject_io_interrupt(sch);
}

/* ------------------------------------------------------------------ */
/* Channel programs                                                    */

static int fcp_ccw_cb(SubchDev *sch, CCW1 ccw)
{
    DumpbenchFcp *d = sch->driver_data;

    switch (ccw.cmd_code) {
    case DBF_EQUEUE_CMD:
        /* qdio_establish: one CCW, SLI, count = the CIW's, cda = the QDR
         * (a GFP_DMA page).  Indirect data addressing is not supported:
         * command reject. */
        if (!ccw.cda || (ccw.flags & (CCW_FLAG_IDA | CCW_FLAG_MIDA))) {
            return -ENOSYS;
        }
        if (dbf_establish(d->model, ccw.cda, ccw.count) != 0) {
            return -ENOSYS;     /* unit check, sense byte 0 = command reject */
        }
        sch->curr_status.scsw.count = 0;
        return 0;
    default:
        /* ACTIVATE QUEUES that was not taken by fcp_do_subchannel_work
         * (queues not established, chained, format 0), and every other
         * command (SENSE PGID, SET PGID, ...): command reject, as
         * virtio-ccw does. */
        return -ENOSYS;
    }
}

/* Is the channel program just started a lone format-1 ACTIVATE QUEUES CCW
 * on established queues? */
static bool fcp_is_activate(DumpbenchFcp *d, SubchDev *sch)
{
    ORB *orb = &sch->orb;
    uint8_t raw[8];
    hwaddr cpa = orb->cpa;

    if (!(orb->ctrl0 & ORB_CTRL0_MASK_FMT) || !(orb->lpm & 0x80)) {
        return false;
    }
    if (!cpa || (cpa & 0x80000007)) {
        return false;
    }
    if (fcp_mem_read(NULL, cpa, raw, sizeof(raw)) != 0) {
        return false;
    }
    /* CCW1: cmd, flags, count (BE16), cda (BE32) */
    if (raw[0] != DBF_AQUEUE_CMD ||
        (raw[1] & (CCW_FLAG_CC | CCW_FLAG_DC | CCW_FLAG_SUSPEND |
                   CCW_FLAG_MIDA))) {
        return false;
    }
    return dbf_established(d->model);
}

static IOInstEnding fcp_do_subchannel_work(SubchDev *sch)
{
    DumpbenchFcp *d = sch->driver_data;
    SCHIB *schib = &sch->curr_status;
    IOInstEnding ret;

    FDBG("work: ctrl %#x cstat %#x dstat %#x active %d\n", schib->scsw.ctrl,
         schib->scsw.cstat, schib->scsw.dstat, d->active);
    if (schib->scsw.ctrl & (SCSW_FCTL_CLEAR_FUNC | SCSW_FCTL_HALT_FUNC)) {
        /* qdio_shutdown: halt or clear ends the activate CCW. */
        dbf_reset(d->model);
        d->pci_deferred = false;
        /*
         * A PCI not yet fetched by TSCH is intermediate status only: the
         * halt/clear function withdraws it, else the final status would be
         * presented as intermediate (css_do_tsch_update_subch would keep
         * the function active) and Linux would never see the halt end.
         */
        if ((schib->scsw.ctrl & SCSW_CTRL_MASK_STCTL) ==
            (SCSW_STCTL_INTERMEDIATE | SCSW_STCTL_STATUS_PEND)) {
            schib->scsw.ctrl &= ~SCSW_CTRL_MASK_STCTL;
            schib->scsw.cstat &= ~SCSW_CSTAT_PCI;
        }
        ret = do_subchannel_work_virtual(sch);
        if (d->active) {
            /* The halt ended the running program: device end was set by
             * sch_handle_halt_func from the active bits, which no longer
             * hold once the final status is presented. */
            schib->scsw.ctrl &= ~(SCSW_ACTL_SUBCH_ACTIVE |
                                  SCSW_ACTL_DEVICE_ACTIVE);
            d->active = false;
        }
        return ret;
    }
    if ((schib->scsw.ctrl & SCSW_FCTL_START_FUNC) &&
        !(schib->scsw.ctrl & SCSW_ACTL_SUSP) && fcp_is_activate(d, sch)) {
        ORB *orb = &sch->orb;

        schib->scsw.cstat = 0;
        schib->scsw.dstat = 0;
        schib->pmcw.intparm = orb->intparm;
        sch->ccw_fmt_1 = true;
        schib->scsw.flags |= SCSW_FLAGS_MASK_FMT;
        sch->last_cmd_valid = false;
        schib->scsw.ctrl &= ~SCSW_ACTL_START_PEND;
        schib->scsw.ctrl |= SCSW_ACTL_SUBCH_ACTIVE | SCSW_ACTL_DEVICE_ACTIVE;
        schib->scsw.cpa = sch->channel_prog;
        d->active = true;
        if (d->pci_deferred) {
            d->pci_deferred = false;
            fcp_present_pci(d);
        }
        return IOINST_CC_EXPECTED;
    }
    return do_subchannel_work_virtual(sch);
}

/* ------------------------------------------------------------------ */
/* SIGA and CHSC SSQD hooks                                            */

static DumpbenchFcp *fcp_of_sch(SubchDev *sch)
{
    if (!sch || sch->ccw_cb != fcp_ccw_cb) {
        return NULL;
    }
    return sch->driver_data;
}

/* lx61 drivers/s390/cio/qdio.h QDIO_SIGA_* */
#define SIGA_WRITE      0x00
#define SIGA_READ       0x01
#define SIGA_SYNC       0x02
#define SIGA_QEBSM_FLAG 0x80

int dumpbench_fcp_siga(uint64_t r0, uint64_t r1, uint64_t r2, uint64_t r3)
{
    int m, cssid, ssid, schid;
    SubchDev *sch;
    DumpbenchFcp *d;
    uint32_t fc = (uint32_t)r0;
    bool pci = false;
    int rc;

    if (ioinst_disassemble_sch_ident((uint32_t)r1, &m, &cssid, &ssid, &schid)) {
        return -PGM_OPERAND;
    }
    /* QEBSM (GR1 = subchannel token) is never offered by SSQD; function
     * codes other than write/read/sync are HiperSockets-only. */
    if (fc & SIGA_QEBSM_FLAG) {
        return 3;
    }
    sch = css_find_subch(m, cssid, ssid, schid);
    if (!sch || !css_subch_visible(sch)) {
        return 3;
    }
    d = fcp_of_sch(sch);
    if (!d || !d->model ||
        (~sch->curr_status.pmcw.flags &
         (PMCW_FLAGS_MASK_DNV | PMCW_FLAGS_MASK_ENA))) {
        return 3;
    }
    switch (fc) {
    case SIGA_WRITE:
        /* GR2 = output queue mask, queue 0 = bit 0 (qdio q->mask) */
        if (!((uint32_t)r2 & 0x80000000u)) {
            return dbf_established(d->model) ? 0 : 3;
        }
        rc = dbf_siga_write(d->model, &pci);
        break;
    case SIGA_READ:
    case SIGA_SYNC:
        /* GR2 (read) / GR3 (sync) = input mask: one input queue; the
         * device has nothing to synchronise, both deliver completions
         * that wait for input buffers. */
        rc = dbf_siga_read(d->model, &pci);
        break;
    default:
        return 3;
    }
    FDBG("siga fc %u r2 %#" PRIx64 " rc %d pci %d\n", fc, r2, rc, pci);
    if (rc != 0) {
        return 3;
    }
    if (pci) {
        fcp_present_pci(d);
    }
    return 0;
}

static int fcp_ssqd_kind(void *opaque, unsigned ssid, unsigned schno)
{
    SubchDev *sch;

    if (ssid > MAX_SSID || schno > MAX_SCHID) {
        return 0;
    }
    sch = css_find_subch(0, 0, ssid, schno);
    if (!sch || !css_subch_visible(sch)) {
        return 0;
    }
    return fcp_of_sch(sch) ? 2 : 1;
}

bool dumpbench_fcp_chsc_ssqd(const void *req, uint16_t len, void *res,
                             size_t cap)
{
    if (QTAILQ_EMPTY(&fcp_devices)) {
        return false;
    }
    return dbf_chsc_ssqd(req, len, res, cap, fcp_ssqd_kind, NULL) != 0;
}

/* ------------------------------------------------------------------ */
/* HMP                                                                 */

static DumpbenchFcp *fcp_by_id(const char *id)
{
    DumpbenchFcp *d;

    QTAILQ_FOREACH(d, &fcp_devices, next) {
        const char *did = DEVICE(d)->id;
        if (did && !strcmp(did, id)) {
            return d;
        }
    }
    return NULL;
}

static const char *fcp_state(DumpbenchFcp *d)
{
    return d->active ? "active" :
           dbf_established(d->model) ? "established" : "inactive";
}

static void fcp_hmp_fault(Monitor *mon, DumpbenchFcp *d, const char *args)
{
    g_autofree char *copy = g_strdup(args ? args : "");
    char *save = NULL;
    char *kind = strtok_r(copy, " \t", &save);
    char *tok;
    bool have_at = false, have_count = false, have_lun = false;
    uint64_t at = 0, count = 0, lun = 0;
    char msg[256];

    if (!kind) {
        monitor_printf(mon, "fault: KIND [lun=0|1] [at-block=N] [count=N] "
                       "or 'clear'\n");
        return;
    }
    if (!strcmp(kind, "clear")) {
        if (strtok_r(NULL, " \t", &save)) {
            monitor_printf(mon, "fault clear takes no arguments\n");
            return;
        }
        dbf_fault_clear(d->model, msg, sizeof(msg));
        monitor_printf(mon, "%s\n", msg);
        return;
    }
    while ((tok = strtok_r(NULL, " \t", &save))) {
        char *eq = strchr(tok, '=');
        uint64_t v;
        bool *have;
        uint64_t *dst;

        if (!eq) {
            monitor_printf(mon, "fault: '%s' is not KEY=VALUE\n", tok);
            return;
        }
        *eq = '\0';
        if (!strcmp(tok, "lun")) {
            have = &have_lun;
            dst = &lun;
        } else if (!strcmp(tok, "at-block")) {
            have = &have_at;
            dst = &at;
        } else if (!strcmp(tok, "count")) {
            have = &have_count;
            dst = &count;
        } else {
            monitor_printf(mon, "fault: unknown key '%s' "
                           "(lun, at-block, count)\n", tok);
            return;
        }
        if (*have) {
            monitor_printf(mon, "fault: %s given twice\n", tok);
            return;
        }
        if (qemu_strtou64(eq + 1, NULL, 0, &v) != 0 || eq[1] == '-') {
            monitor_printf(mon, "fault: %s='%s' is not a number\n", tok, eq + 1);
            return;
        }
        *have = true;
        *dst = v;
    }
    if (lun > 1) {
        monitor_printf(mon, "fault: lun must be 0 or 1\n");
        return;
    }
    if (dbf_fault(d->model, kind, (unsigned)lun, have_at, at, have_count,
                  count, msg, sizeof(msg)) != 0) {
        monitor_printf(mon, "fault: %s\n", msg);
        return;
    }
    monitor_printf(mon, "%s\n", msg);
}

void hmp_dumpbench_fcp(Monitor *mon, const QDict *qdict)
{
    const char *id = qdict_get_str(qdict, "id");
    const char *action = qdict_get_str(qdict, "action");
    const char *args = qdict_get_try_str(qdict, "args");
    DumpbenchFcp *d = fcp_by_id(id);
    char msg[1024];

    if (!d || !d->model) {
        monitor_printf(mon, "no " TYPE_DUMPBENCH_FCP " device with id '%s'\n",
                       id);
        return;
    }
    if (!strcmp(action, "fault")) {
        fcp_hmp_fault(mon, d, args);
        return;
    }
    if (args && *args) {
        monitor_printf(mon, "%s takes no arguments\n", action);
        return;
    }
    if (!strcmp(action, "info")) {
        dbf_info(d->model, fcp_state(d), msg, sizeof(msg));
        monitor_printf(mon, "%s pci=%" PRIu64 "\n", msg, d->pcis);
        return;
    }
    if (!strcmp(action, "link-up")) {
        bool pci = false;

        if (dbf_link_up(d->model, &pci, msg, sizeof(msg)) != 0) {
            monitor_printf(mon, "%s\n", msg);
            return;
        }
        if (pci) {
            fcp_present_pci(d);
        }
        monitor_printf(mon, "%s\n", msg);
        return;
    }
    monitor_printf(mon, "unknown action '%s' (fault|link-up|info)\n", action);
}

/* ------------------------------------------------------------------ */
/* QOM                                                                 */

static void fcp_realize(DeviceState *ds, Error **errp)
{
    DumpbenchFcp *d = DUMPBENCH_FCP(ds);
    CcwDevice *cdev = CCW_DEVICE(ds);
    CCWDeviceClass *cdk = CCW_DEVICE_GET_CLASS(cdev);
    struct dbf_config cfg = { 0 };
    SubchDev *sch;
    Error *err = NULL;
    unsigned chpid;
    char msg[512];

    if (!d->file[0]) {
        error_setg(errp, TYPE_DUMPBENCH_FCP ": file0 (backing file of lun0) "
                   "is required");
        return;
    }
    if (d->lun[1] != LUN_UNSET && !d->file[1]) {
        error_setg(errp, TYPE_DUMPBENCH_FCP ": lun1 needs file1");
        return;
    }
    if (d->file[1] && d->lun[1] == LUN_UNSET) {
        d->lun[1] = DEFAULT_LUN1;
    }
    if (d->file[1] && d->lun[1] == d->lun[0]) {
        error_setg(errp, TYPE_DUMPBENCH_FCP ": lun1 equals lun0");
        return;
    }

    sch = css_create_sch(cdev->devno, errp);
    if (!sch) {
        return;
    }
    chpid = css_find_free_chpid(sch->cssid);
    if (chpid > MAX_CHPID) {
        error_setg(&err, "No available chpid to use.");
        goto out_err;
    }

    cfg.cssid = 0;              /* what the guest sees without MCSS-E */
    cfg.ssid = sch->ssid;
    cfg.devno = sch->devno;
    cfg.wwpn = d->wwpn;
    cfg.nluns = d->file[1] ? 2 : 1;
    for (unsigned i = 0; i < cfg.nluns; i++) {
        cfg.lun[i] = d->lun[i];
        cfg.file[i] = d->file[i];
    }
    cfg.log = d->log;
    d->host.ops = &fcp_host_ops;
    d->host.opaque = d;
    d->model = dbf_new(&cfg, &d->host, msg, sizeof(msg));
    if (!d->model) {
        error_setg(&err, TYPE_DUMPBENCH_FCP ": %s", msg);
        goto out_err;
    }

    sch->driver_data = d;
    cdev->sch = sch;
    sch->id.reserved = 0xff;
    sch->id.cu_type = DBF_CU_TYPE;
    sch->id.cu_model = DBF_CU_MODEL;
    sch->id.dev_type = DBF_DEV_TYPE;
    sch->id.dev_model = DBF_DEV_MODEL;
    sch->id.ciw[0].type = DBF_CIW_TYPE_EQUEUE;
    sch->id.ciw[0].command = DBF_EQUEUE_CMD;
    sch->id.ciw[0].count = DBF_EQUEUE_COUNT;
    sch->id.ciw[1].type = DBF_CIW_TYPE_AQUEUE;
    sch->id.ciw[1].command = DBF_AQUEUE_CMD;
    sch->id.ciw[1].count = DBF_AQUEUE_COUNT;
    css_sch_build_virtual_schib(sch, (uint8_t)chpid, DUMPBENCH_FCP_CHPID_TYPE);
    sch->do_subchannel_work = fcp_do_subchannel_work;
    sch->ccw_cb = fcp_ccw_cb;
    sch->irb_cb = build_irb_virtual;

    cdk->realize(cdev, &err);
    if (err) {
        goto out_err;
    }
    QTAILQ_INSERT_TAIL(&fcp_devices, d, next);
    return;

out_err:
    error_propagate(errp, err);
    dbf_free(d->model);
    d->model = NULL;
    css_subch_assign(sch->cssid, sch->ssid, sch->schid, sch->devno, NULL);
    cdev->sch = NULL;
    g_free(sch);
}

static void fcp_reset(DeviceState *ds)
{
    DumpbenchFcp *d = DUMPBENCH_FCP(ds);

    if (d->model) {
        dbf_reset(d->model);
    }
    d->active = false;
    d->pci_deferred = false;
}

static Property fcp_properties[] = {
    DEFINE_PROP_UINT64("wwpn", DumpbenchFcp, wwpn, DEFAULT_WWPN),
    DEFINE_PROP_UINT64("lun0", DumpbenchFcp, lun[0], DEFAULT_LUN0),
    DEFINE_PROP_STRING("file0", DumpbenchFcp, file[0]),
    DEFINE_PROP_UINT64("lun1", DumpbenchFcp, lun[1], LUN_UNSET),
    DEFINE_PROP_STRING("file1", DumpbenchFcp, file[1]),
    DEFINE_PROP_STRING("log", DumpbenchFcp, log),
    DEFINE_PROP_END_OF_LIST(),
};

/* The queues live in guest memory but libfcp's cursors, pending
 * completions and the backing files do not migrate. */
static const VMStateDescription fcp_vmstate = {
    .name = TYPE_DUMPBENCH_FCP,
    .unmigratable = 1,
};

static void fcp_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    device_class_set_props(dc, fcp_properties);
    dc->realize = fcp_realize;
    dc->reset = fcp_reset;
    dc->vmsd = &fcp_vmstate;
    dc->hotpluggable = false;
    dc->desc = "dumpbench emulated FCP channel (QDIO/FSF, libfcp)";
    set_bit(DEVICE_CATEGORY_STORAGE, dc->categories);
}

static const TypeInfo fcp_info = {
    .name = TYPE_DUMPBENCH_FCP,
    .parent = TYPE_CCW_DEVICE,
    .instance_size = sizeof(DumpbenchFcp),
    .class_init = fcp_class_init,
};

static void fcp_register(void)
{
    type_register_static(&fcp_info);
}

type_init(fcp_register)
