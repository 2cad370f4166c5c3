/*
 * FSF layer of the FCP channel model: answers the QTCB requests and
 * unsolicited-status buffers the Linux 6.1 zfcp driver puts on the QDIO
 * output queue (layouts in fcp/fsf.h), backed by libfcp's port/LUN state
 * and SCSI target (fcp_adapter.c, fcp_scsi.c).
 *
 * Per request, in this order (zfcp_fsf.c is the consumer of every field):
 *   1. sbtype SBAL_SFLAGS0_TYPE_STATUS: exactly one 4096-byte buffer ->
 *      kept as a posted status-read buffer until an event arrives.
 *   2. otherwise SBALE 1 must hold at least the 672 bytes of QTCB prefix,
 *      header and bottom; they are copied into a private buffer.
 *   3. qtcb_version must be FSF_QTCB_CURRENT_VERSION, else
 *      FSF_PROT_QTCB_VERSION_ERROR with prot_status_qual word 0/1 = lowest /
 *      highest supported version (zfcp_fsf_protstatus_eval, "fspse_1").
 *   4. fsf_command known, else FSF_UNKNOWN_COMMAND (zfcp_fsf_fsfstatus_eval,
 *      "fsfse_1"); qtcb_type matching the command (zfcp_fsf.c
 *      fsf_qtcb_type[]), else FSF_PROT_UNSUPP_QTCB_TYPE ("fspse_3").
 *   5. the command; results are written into the private copy, which is
 *      written back (672 bytes) before the request id is queued for an
 *      input SBAL.
 * A request that cannot be answered at all (no QTCB element, a QTCB element
 * too short) is rejected with an SBAL error (QDIO_SBALF15_REQUEST).
 *
 * libfcp outcome -> what the adapter reports -> where zfcp 6.1 consumes it
 * (function and its debug-trace tag; see also fcp-model/README.md):
 *   FCP_ST_OK                  FSF_PROT_GOOD / FSF_GOOD            every handler's FSF_GOOD case
 *   FCP_ST_FCP_RSP_AVAILABLE   FSF_PROT_FSF_STATUS_PRESENTED /     zfcp_fsf_fcp_cmnd_handler ->
 *     (CHECK CONDITION: medium   FSF_FCP_RSP_AVAILABLE, FCP_RSP     zfcp_fc_eval_fcp_rsp (status,
 *      error, bad CDB, ...)      with status + sense in bottom.io    sense, resid; no case in
 *                                                                   zfcp_fsf_fcp_handler_common)
 *   FCP_ST_LINK_DOWN           FSF_PROT_LINK_DOWN, psq link_down_  zfcp_fsf_protstatus_eval
 *     (link-down fault)          info NO_LIGHT; + unsolicited        "fspse_6" (adapter reopen);
 *                                FSF_STATUS_READ_LINK_DOWN          zfcp_fsf_status_read_handler
 *   FCP_ST_TIMEOUT             no completion (SBAL consumed, QTCB  zfcp_fsf_request_timeout_handler /
 *                                untouched); ABORT FCP CMND then    SCSI eh -> zfcp_scsi_eh_abort_
 *                                completes it with ADAPTER_STATUS_  handler; aborted request:
 *                                AVAILABLE / FSF_SQ_COMMAND_ABORTED zfcp_fsf_fsfstatus_qual_eval
 *   FCP_ST_LUN_HANDLE_NOT_VALID FSF_LUN_HANDLE_NOT_VALID           zfcp_fsf_fcp_handler_common
 *     (LUN removed)                                                 "fssfch2" (port reopen); then
 *   FCP_ST_FCPLUN_NOT_VALID    FSF_FCPLUN_NOT_VALID (OPEN LUN)     zfcp_fsf_open_lun_handler default
 *   FCP_ST_PLOGI_REJECTED /    FSF_ADAPTER_STATUS_AVAILABLE /      zfcp_fsf_open_port_handler
 *   FCP_ST_PORT_UNKNOWN          FSF_SQ_NO_RETRY_POSSIBLE           (FSFREQ_ERROR, port ERP fails)
 *   FCP_ST_PORT_HANDLE_NOT_VALID FSF_PORT_HANDLE_NOT_VALID         "fssfch1" adapter reopen (FCP),
 *                                                                   open_lun/close_* handlers
 *   FCP_ST_HANDLE_MISMATCH     FSF_HANDLE_MISMATCH                 "fssfch1"
 *   FCP_ST_DIRECTION_NOT_VALID FSF_DIRECTION_INDICATOR_NOT_VALID   "fssfch3" (adapter shutdown)
 *   FCP_ST_CMND_LENGTH_NOT_VALID FSF_CMND_LENGTH_NOT_VALID         "fssfch4" (adapter shutdown)
 *   FCP_ST_PORT/LUN_ALREADY_OPEN FSF_PORT/LUN_ALREADY_OPEN         open_port / open_lun handlers
 */
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <dumpbench/be.h>

#include "fcp/fsf.h"
#include "fcp_internal.h"

#define FSF_DEFAULT_MAX_STATUS_READS    64u
#define FSF_MAX_PENDING                 4096u   /* completions waiting for input buffers */
#define FSF_MAX_STALLED                 1024u   /* timed-out FCP commands kept for ABORT */
#define FSF_MAX_EVENTS                  256u

/* Model identity values reported by EXCHANGE CONFIG DATA (no meaning to zfcp
 * beyond being logged/exported in sysfs). */
#define FSF_MODEL_LIC_VERSION           0x00000100u
#define FSF_MODEL_ADAPTER_TYPE          0x00000000u
#define FSF_MODEL_HW_VERSION            0x00000000u

struct sr_buf {
    uint64_t req_id;
    uint64_t addr;
};

struct stalled {
    uint64_t req_id;
    uint64_t qtcb;
};

struct fsf_dev {
    struct fcp_adapter *a;
    struct fsf_config cfg;
    struct qdio_queues q;
    uint64_t *pend;                   /* request ids waiting for an input SBAL */
    size_t npend, cap_pend;
    struct sr_buf *sr;                /* posted status-read buffers, oldest first */
    size_t nsr, cap_sr;
    struct fsf_event *ev;             /* queued unsolicited events, oldest first */
    size_t nev, cap_ev;
    struct stalled *stall;            /* FCP commands swallowed by a TIMEOUT fault */
    size_t nstall, cap_stall;
    bool link_down_reported;
    struct fsf_stats stats;
    char errmsg[160];
};

/* ---- small helpers --------------------------------------------------------- */

static bool grow(void **arr, size_t *cap, size_t n, size_t elem, size_t max)
{
    if (n < *cap) {
        return true;
    }
    if (n >= max) {
        return false;
    }
    size_t nc = *cap ? *cap * 2 : 16;
    if (nc > max) {
        nc = max;
    }
    void *p = realloc(*arr, nc * elem);
    if (!p) {
        return false;
    }
    *arr = p;
    *cap = nc;
    return true;
}

static bool pend_push(struct fsf_dev *f, uint64_t id)
{
    if (!grow((void **)&f->pend, &f->cap_pend, f->npend, sizeof(*f->pend), FSF_MAX_PENDING)) {
        return false;
    }
    f->pend[f->npend++] = id;
    return true;
}

static void trace(const struct fsf_dev *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void trace(const struct fsf_dev *f, const char *fmt, ...)
{
    if (!f->cfg.trace) {
        return;
    }
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    f->cfg.trace(f->cfg.trace_opaque, line);
}

static int reject(struct fsf_dev *f, const char *msg, uint64_t req_id)
{
    snprintf(f->errmsg, sizeof(f->errmsg), "request %#llx: %s", (unsigned long long)req_id,
             msg);
    trace(f, "reject %s", f->errmsg);
    f->stats.rejected++;
    return QDIO_SBALF15_REQUEST;
}

static struct fcp_port *port_by_did(const struct fcp_adapter *a, uint32_t d_id)
{
    for (size_t i = 0; i < a->nports; i++) {
        if (a->ports[i]->d_id == d_id) {
            return a->ports[i];
        }
    }
    return NULL;
}

static const struct fcp_port *peer_port(const struct fsf_dev *f)
{
    if (f->cfg.peer_wwpn) {
        return fcp_find_port(f->a, f->cfg.peer_wwpn);
    }
    return f->a->nports ? f->a->ports[0] : NULL;
}

static uint32_t portspeed(uint32_t gbit)
{
    switch (gbit) {
    case 1: return ZFCP_FSF_PORTSPEED_1GBIT;
    case 2: return ZFCP_FSF_PORTSPEED_2GBIT;
    case 4: return ZFCP_FSF_PORTSPEED_4GBIT;
    case 8: return ZFCP_FSF_PORTSPEED_8GBIT;
    case 10: return ZFCP_FSF_PORTSPEED_10GBIT;
    case 16: return ZFCP_FSF_PORTSPEED_16GBIT;
    default: return ZFCP_FSF_PORTSPEED_NOT_NEGOTIATED;
    }
}

static void st_be24(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 16);
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)v;
}

static uint32_t ld_be24(const uint8_t *p)
{
    return ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2];
}

/* ---- QTCB result fields ------------------------------------------------------ */

struct qtcb {
    uint8_t raw[FSF_QTCB_USED_LEN];
};

static struct fsf_qtcb_prefix *pfx(struct qtcb *q)
{
    return (struct fsf_qtcb_prefix *)q->raw;
}

static struct fsf_qtcb_header *hdr(struct qtcb *q)
{
    return (struct fsf_qtcb_header *)(q->raw + sizeof(struct fsf_qtcb_prefix));
}

static uint8_t *bottom(struct qtcb *q)
{
    return q->raw + sizeof(struct fsf_qtcb_prefix) + sizeof(struct fsf_qtcb_header);
}

static void set_raw(struct qtcb *q, uint32_t prot, uint32_t fsf, uint32_t sq)
{
    db_st_be32(pfx(q)->prot_status, prot);
    db_st_be32(hdr(q)->fsf_status, fsf);
    db_st_be32(hdr(q)->fsf_status_qual, sq);
}

/* Outcome of libfcp -> FSF triple (fcp_status_to_fsf), plus link-down
 * information for FSF_PROT_LINK_DOWN.  Model-only statuses (FCP_ST_ERR_*,
 * e.g. a failing backing file) become FSF_ADAPTER_STATUS_AVAILABLE /
 * FSF_SQ_RETRY_IF_POSSIBLE: zfcp fails the request (FSFREQ_ERROR) and the
 * SCSI layer retries, nothing claims success. */
static void set_result(struct fsf_dev *f, struct qtcb *q, enum fcp_status st)
{
    struct fcp_fsf_code c;
    if (fcp_status_to_fsf(st, &c) != FCP_ST_OK) {
        c.prot_status = FSF_PROT_FSF_STATUS_PRESENTED;
        c.fsf_status = FSF_ADAPTER_STATUS_AVAILABLE;
        c.fsf_sq = FSF_SQ_RETRY_IF_POSSIBLE;
    }
    set_raw(q, c.prot_status, c.fsf_status, c.fsf_sq);
    if (st == FCP_ST_LINK_DOWN) {
        /* union fsf_prot_status_qual.link_down_info.error_code */
        db_st_be32(pfx(q)->prot_status_qual, FSF_PSQ_LINK_NO_LIGHT);
        if (!f->link_down_reported) {
            struct fsf_event ev = { FSF_EVT_LINK_DOWN, 0 };
            (void)fsf_post_event(f, &ev);
        }
    }
}

/* ---- commands ----------------------------------------------------------------- */

static void cmd_exchange_config(struct fsf_dev *f, struct qtcb *q)
{
    struct fsf_qtcb_bottom_config *b = (struct fsf_qtcb_bottom_config *)bottom(q);
    const struct fcp_adapter_config *cfg = &f->a->cfg;
    const struct fcp_port *peer = peer_port(f);
    memset(b, 0, sizeof(*b));
    db_st_be32(b->lic_version, FSF_MODEL_LIC_VERSION);
    db_st_be32(b->high_qtcb_version, FSF_QTCB_CURRENT_VERSION);
    db_st_be32(b->low_qtcb_version, FSF_QTCB_CURRENT_VERSION);
    db_st_be32(b->max_qtcb_size, FSF_QTCB_SIZE);
    db_st_be32(b->max_data_transfer_size, cfg->max_data_transfer);
    db_st_be32(b->adapter_features, FSF_FEATURE_HBAAPI_MANAGEMENT);
    db_st_be32(b->fc_topology, cfg->topology);
    db_st_be32(b->fc_link_speed, portspeed(cfg->link_speed));
    db_st_be32(b->adapter_type, FSF_MODEL_ADAPTER_TYPE);
    db_st_be16(b->status_read_buf_num, f->cfg.status_read_buf_num);
    st_be24(b->s_id, cfg->s_id);
    db_st_be64(b->nport_serv_param + FSF_SERV_PARAM_WWPN_OFF, cfg->wwpn);
    db_st_be64(b->nport_serv_param + FSF_SERV_PARAM_WWNN_OFF, cfg->wwnn);
    db_st_be32(b->adapter_ports, 1);
    db_st_be32(b->hardware_version, FSF_MODEL_HW_VERSION);
    /* EBCDIC serial: the device number in hex ('0'-'9' = F0-F9, 'A'-'F' = C1-C6). */
    for (int i = 0; i < 4; i++) {
        unsigned nib = (cfg->devno >> (12 - 4 * i)) & 0xf;
        b->serial_number[i] = (uint8_t)(nib < 10 ? 0xf0 + nib : 0xc1 + nib - 10);
    }
    if (cfg->topology == FSF_TOPO_P2P && peer) {
        uint64_t wwnn = f->cfg.peer_wwnn ? f->cfg.peer_wwnn : peer->wwpn;
        st_be24(b->peer_d_id, peer->d_id);
        db_st_be64(b->plogi_payload + FSF_SERV_PARAM_WWPN_OFF, peer->wwpn);
        db_st_be64(b->plogi_payload + FSF_SERV_PARAM_WWNN_OFF, wwnn);
    }
    if (cfg->topology == FSF_TOPO_P2P && peer && peer->state == FCP_PORT_LOST) {
        /* Link is down: zfcp_fsf_exchange_config_data_handler takes
         * XCONFIG_OK and evaluates the link-down info, waiting for LINK UP. */
        set_raw(q, FSF_PROT_FSF_STATUS_PRESENTED, FSF_EXCHANGE_CONFIG_DATA_INCOMPLETE, 0);
        db_st_be32(hdr(q)->fsf_status_qual, FSF_PSQ_LINK_NO_LIGHT);
        return;
    }
    set_raw(q, FSF_PROT_GOOD, FSF_GOOD, 0);
}

static void cmd_exchange_port(struct fsf_dev *f, struct qtcb *q)
{
    struct fsf_qtcb_bottom_port *b = (struct fsf_qtcb_bottom_port *)bottom(q);
    const struct fcp_adapter_config *cfg = &f->a->cfg;
    memset(b, 0, sizeof(*b));
    db_st_be64(b->wwpn, cfg->wwpn);
    db_st_be32(b->fc_port_id, cfg->s_id);
    db_st_be32(b->port_type, cfg->topology == FSF_TOPO_P2P ? FSF_HBA_PORTTYPE_PTP
                                                           : FSF_HBA_PORTTYPE_NPORT);
    db_st_be32(b->port_state, FSF_HBA_PORTSTATE_ONLINE);
    db_st_be32(b->class_of_service, 0x00000008);      /* class 3 (FC-HBA COS bit 3) */
    b->supported_fc4_types[2] = 0x01;                 /* FC-4 type 0x08 (SCSI FCP) */
    b->active_fc4_types[2] = 0x01;
    db_st_be32(b->supported_speed, portspeed(cfg->link_speed));
    db_st_be32(b->maximum_frame_size, FC_MAX_FRAME_PAYLOAD);
    const struct fcp_port *peer = peer_port(f);
    if (cfg->topology == FSF_TOPO_P2P && peer && peer->state == FCP_PORT_LOST) {
        /* zfcp_fsf_exchange_port_data_handler: INCOMPLETE case evaluates
         * the link-down info and the (valid) bottom. */
        db_st_be32(b->port_state, FSF_HBA_PORTSTATE_LINKDOWN);
        set_raw(q, FSF_PROT_FSF_STATUS_PRESENTED, FSF_EXCHANGE_CONFIG_DATA_INCOMPLETE,
                FSF_PSQ_LINK_NO_LIGHT);
        return;
    }
    set_raw(q, FSF_PROT_GOOD, FSF_GOOD, 0);
}

static void cmd_open_port(struct fsf_dev *f, struct qtcb *q)
{
    struct fsf_qtcb_bottom_support *b = (struct fsf_qtcb_bottom_support *)bottom(q);
    uint32_t d_id = ld_be24(b->d_id);
    struct fcp_port *p = port_by_did(f->a, d_id);
    if (!p) {
        set_result(f, q, FCP_ST_PORT_UNKNOWN);
        return;
    }
    uint32_t ph = 0;
    enum fcp_status st = fcp_port_open(f->a, p->wwpn, &ph);
    set_result(f, q, st);
    if (st != FCP_ST_OK) {
        return;
    }
    db_st_be32(hdr(q)->port_handle, ph);
    /* PLOGI LS_ACC payload, read by zfcp_fc_plogi_evaluate when
     * els1_length >= FSF_PLOGI_MIN_LEN: WWPN must be the port's. */
    struct fc_els_flogi_payload pl;
    memset(&pl, 0, sizeof(pl));
    pl.fl_cmd = ELS_LS_ACC;
    pl.fl_csp[0] = 0x20;                               /* sp_hi_ver: FC-PH 4.3 */
    pl.fl_csp[1] = 0x20;
    db_st_be16(&pl.fl_csp[6], FC_MAX_FRAME_PAYLOAD);   /* sp_bb_data */
    db_st_be64(pl.fl_wwpn, p->wwpn);
    db_st_be64(pl.fl_wwnn, (f->cfg.peer_wwnn && p == peer_port(f)) ? f->cfg.peer_wwnn : p->wwpn);
    db_st_be16(pl.fl_cssp[2], FC_CPC_VALID);           /* class 3 */
    memset(b->els, 0, sizeof(b->els));
    memcpy(b->els, &pl, sizeof(pl));
    db_st_be32(b->els1_length, sizeof(pl));
}

static void cmd_open_lun(struct fsf_dev *f, struct qtcb *q)
{
    struct fsf_qtcb_bottom_support *b = (struct fsf_qtcb_bottom_support *)bottom(q);
    uint32_t ph = db_ld_be32(hdr(q)->port_handle);
    uint64_t lun = db_ld_be64(b->fcp_lun);
    if (db_ld_be32(b->option) & ~(uint32_t)FSF_OPEN_LUN_SUPPRESS_BOXING) {
        set_raw(q, FSF_PROT_FSF_STATUS_PRESENTED, FSF_INVALID_COMMAND_OPTION, 0);
        return;
    }
    uint32_t lh = 0;
    enum fcp_status st = fcp_lun_open(f->a, ph, lun, &lh);
    set_result(f, q, st);
    if (st == FCP_ST_OK) {
        db_st_be32(hdr(q)->lun_handle, lh);
    }
}

/* ABORT FCP CMND: complete a stalled command (its QTCB gets
 * FSF_ADAPTER_STATUS_AVAILABLE / FSF_SQ_COMMAND_ABORTED and its id is queued
 * before the abort's own), or FSF_FCP_COMMAND_DOES_NOT_EXIST. */
static void cmd_abort(struct fsf_dev *f, const struct db_host *h, struct qtcb *q)
{
    struct fsf_qtcb_bottom_support *b = (struct fsf_qtcb_bottom_support *)bottom(q);
    uint64_t victim = db_ld_be64(b->req_handle);
    for (size_t i = 0; i < f->nstall; i++) {
        if (f->stall[i].req_id != victim) {
            continue;
        }
        uint8_t v[4];
        uint64_t qa = f->stall[i].qtcb;
        db_st_be32(v, FSF_PROT_FSF_STATUS_PRESENTED);
        int rc = db_host_write(h, qa + offsetof(struct fsf_qtcb_prefix, prot_status), v, 4);
        db_st_be32(v, FSF_ADAPTER_STATUS_AVAILABLE);
        uint64_t ho = qa + sizeof(struct fsf_qtcb_prefix);
        rc |= db_host_write(h, ho + offsetof(struct fsf_qtcb_header, fsf_status), v, 4);
        db_st_be32(v, FSF_SQ_COMMAND_ABORTED);
        rc |= db_host_write(h, ho + offsetof(struct fsf_qtcb_header, fsf_status_qual), v, 4);
        memmove(&f->stall[i], &f->stall[i + 1], (f->nstall - i - 1) * sizeof(f->stall[0]));
        f->nstall--;
        if (rc == 0 && pend_push(f, victim)) {
            f->stats.aborted++;
            set_raw(q, FSF_PROT_GOOD, FSF_GOOD, 0);
            return;
        }
        break;
    }
    set_raw(q, FSF_PROT_FSF_STATUS_PRESENTED, FSF_FCP_COMMAND_DOES_NOT_EXIST, 0);
}

/* Move `len` bytes between buf and the data segments (to guest if `in`). */
static int seg_copy(const struct db_host *h, const struct qdio_req *r, unsigned first,
                    uint8_t *buf, size_t len, bool to_guest)
{
    size_t off = 0;
    for (unsigned i = first; i < r->nseg && off < len; i++) {
        size_t n = r->seg[i].len;
        if (n > len - off) {
            n = len - off;
        }
        int rc = to_guest ? db_host_write(h, r->seg[i].addr, buf + off, n)
                          : db_host_read(h, r->seg[i].addr, buf + off, n);
        if (rc != 0) {
            return -1;
        }
        off += n;
    }
    return off == len ? 0 : -1;
}

enum fcp_outcome { OUT_DONE, OUT_STALL, OUT_REJECT };

static enum fcp_outcome cmd_fcp(struct fsf_dev *f, const struct db_host *h,
                                const struct qdio_req *r, struct qtcb *q)
{
    struct fsf_qtcb_bottom_io *b = (struct fsf_qtcb_bottom_io *)bottom(q);
    uint32_t ph = db_ld_be32(hdr(q)->port_handle);
    uint32_t lh = db_ld_be32(hdr(q)->lun_handle);
    uint32_t dir = db_ld_be32(b->data_direction);
    uint32_t clen = db_ld_be32(b->fcp_cmnd_length);
    memset(b->fcp_rsp, 0, sizeof(b->fcp_rsp));

    struct fcp_cmnd_info info;
    enum fcp_status st = clen > FSF_FCP_CMND_SIZE ? FCP_ST_CMND_LENGTH_NOT_VALID
                                                   : fcp_cmnd_iu_decode(b->fcp_cmnd, clen, &info);
    if (st != FCP_ST_OK) {
        set_result(f, q, st);
        return OUT_DONE;
    }
    bool rd = dir == FSF_DATADIR_READ, wr = dir == FSF_DATADIR_WRITE;
    if ((dir != FSF_DATADIR_READ && dir != FSF_DATADIR_WRITE && dir != FSF_DATADIR_CMND) ||
        rd != (bool)info.rddata || wr != (bool)info.wrdata) {
        set_result(f, q, FCP_ST_DIRECTION_NOT_VALID);
        return OUT_DONE;
    }
    if (info.tm_flags) {
        /* Task management (zfcp_fsf_fcp_task_mgmt): nothing is queued in
         * the model, so the function completes at once: FCP_RSP with
         * FCP_RSP_LEN_VAL and rsp_code FCP_TMF_CMPL (0), read by
         * zfcp_fc_eval_fcp_rsp. */
        struct fcp_port *p;
        struct fcp_lun *l;
        st = fcp_resolve(f->a, ph, lh, &p, &l);
        set_result(f, q, st);
        if (st == FCP_ST_OK) {
            struct fcp_rsp_iu *rsp = (struct fcp_rsp_iu *)b->fcp_rsp;
            rsp->fr_flags = FCP_RSP_LEN_VAL;
            db_st_be32(rsp->fr_rsp_len, 8);
        }
        return OUT_DONE;
    }
    size_t avail = 0;
    for (unsigned i = 1; i < r->nseg; i++) {
        avail += r->seg[i].len;
    }
    size_t dl = (rd || wr) ? info.dl : 0;
    if (dl > f->a->cfg.max_data_transfer || dl > avail) {
        /* FCP_DL beyond the SBAL data elements or the adapter's
         * max_data_transfer_size: fail the request (FSFREQ_ERROR via
         * zfcp_fsf_fcp_handler_common's ADAPTER_STATUS_AVAILABLE case). */
        snprintf(f->errmsg, sizeof(f->errmsg),
                 "request %#llx: FCP_DL %zu with %zu bytes of SBAL data (max %u)",
                 (unsigned long long)r->req_id, dl, avail, f->a->cfg.max_data_transfer);
        set_raw(q, FSF_PROT_FSF_STATUS_PRESENTED, FSF_ADAPTER_STATUS_AVAILABLE,
                FSF_SQ_NO_RETRY_POSSIBLE);
        return OUT_DONE;
    }
    uint8_t *buf = NULL;
    if (dl) {
        buf = calloc(1, dl);
        if (!buf) {
            set_result(f, q, FCP_ST_ERR_NOMEM);
            return OUT_DONE;
        }
        if (wr && seg_copy(h, r, 1, buf, dl, false) != 0) {
            free(buf);
            return OUT_REJECT;
        }
    }
    struct fcp_scsi_result res;
    st = fcp_scsi_exec(f->a, ph, lh, info.cdb, info.cdb_len, rd ? buf : NULL, rd ? dl : 0,
                       wr ? buf : NULL, wr ? dl : 0, &res);
    if (st == FCP_ST_TIMEOUT) {
        free(buf);
        if (!grow((void **)&f->stall, &f->cap_stall, f->nstall, sizeof(*f->stall),
                  FSF_MAX_STALLED)) {
            set_result(f, q, FCP_ST_ERR_NOMEM);
            return OUT_DONE;
        }
        f->stall[f->nstall].req_id = r->req_id;
        f->stall[f->nstall].qtcb = r->seg[0].addr;
        f->nstall++;
        f->stats.timeouts++;
        return OUT_STALL;
    }
    if (rd && (st == FCP_ST_OK || st == FCP_ST_FCP_RSP_AVAILABLE) && res.data_len) {
        size_t n = res.data_len < dl ? res.data_len : dl;
        if (seg_copy(h, r, 1, buf, n, true) != 0) {
            free(buf);
            return OUT_REJECT;
        }
        f->stats.bytes_in += n;
    }
    if (wr && (st == FCP_ST_OK || st == FCP_ST_FCP_RSP_AVAILABLE || st == FCP_ST_LINK_DOWN)) {
        f->stats.bytes_out += res.data_len;
    }
    free(buf);
    set_result(f, q, st);
    if (st == FCP_ST_OK || st == FCP_ST_FCP_RSP_AVAILABLE) {
        size_t len = 0;
        if (fcp_rsp_iu_encode(&res, b->fcp_rsp, sizeof(b->fcp_rsp), &len) != FCP_ST_OK) {
            set_result(f, q, FCP_ST_ERR_INVALID);
        }
    }
    return OUT_DONE;
}

/* fsf_qtcb_type[] of zfcp_fsf.c; 0 = command not implemented. */
static uint32_t qtcb_type_of(uint32_t cmd)
{
    switch (cmd) {
    case FSF_QTCB_FCP_CMND:
        return FSF_IO_COMMAND;
    case FSF_QTCB_ABORT_FCP_CMND:
    case FSF_QTCB_OPEN_PORT_WITH_DID:
    case FSF_QTCB_OPEN_LUN:
    case FSF_QTCB_CLOSE_LUN:
    case FSF_QTCB_CLOSE_PORT:
    case FSF_QTCB_CLOSE_PHYSICAL_PORT:
        return FSF_SUPPORT_COMMAND;
    case FSF_QTCB_EXCHANGE_CONFIG_DATA:
        return FSF_CONFIG_COMMAND;
    case FSF_QTCB_EXCHANGE_PORT_DATA:
        return FSF_PORT_COMMAND;
    default:
        return 0;   /* SEND_ELS / SEND_GENERIC (fabric only) and the rest */
    }
}

static enum fcp_outcome process_qtcb(struct fsf_dev *f, const struct db_host *h,
                                     const struct qdio_req *r, struct qtcb *q)
{
    memset(pfx(q)->prot_status_qual, 0, sizeof(pfx(q)->prot_status_qual));
    memset(hdr(q)->fsf_status_qual, 0, sizeof(hdr(q)->fsf_status_qual));
    if (db_ld_be32(pfx(q)->qtcb_version) != FSF_QTCB_CURRENT_VERSION) {
        set_raw(q, FSF_PROT_QTCB_VERSION_ERROR, FSF_GOOD, 0);
        db_st_be32(pfx(q)->prot_status_qual, FSF_QTCB_CURRENT_VERSION);     /* lowest */
        db_st_be32(pfx(q)->prot_status_qual + 4, FSF_QTCB_CURRENT_VERSION); /* highest */
        return OUT_DONE;
    }
    uint32_t cmd = db_ld_be32(hdr(q)->fsf_command);
    uint32_t type = qtcb_type_of(cmd);
    f->stats.by_command[cmd < 16 ? cmd : 0]++;
    if (type == 0) {
        set_raw(q, FSF_PROT_FSF_STATUS_PRESENTED, FSF_UNKNOWN_COMMAND, 0);
        return OUT_DONE;
    }
    if (db_ld_be32(pfx(q)->qtcb_type) != type) {
        set_raw(q, FSF_PROT_UNSUPP_QTCB_TYPE, FSF_GOOD, 0);
        return OUT_DONE;
    }
    switch (cmd) {
    case FSF_QTCB_EXCHANGE_CONFIG_DATA:
        cmd_exchange_config(f, q);
        break;
    case FSF_QTCB_EXCHANGE_PORT_DATA:
        cmd_exchange_port(f, q);
        break;
    case FSF_QTCB_OPEN_PORT_WITH_DID:
        cmd_open_port(f, q);
        break;
    case FSF_QTCB_CLOSE_PORT:
    case FSF_QTCB_CLOSE_PHYSICAL_PORT:
        set_result(f, q, fcp_port_close(f->a, db_ld_be32(hdr(q)->port_handle)));
        break;
    case FSF_QTCB_OPEN_LUN:
        cmd_open_lun(f, q);
        break;
    case FSF_QTCB_CLOSE_LUN:
        set_result(f, q, fcp_lun_close(f->a, db_ld_be32(hdr(q)->port_handle),
                                       db_ld_be32(hdr(q)->lun_handle)));
        break;
    case FSF_QTCB_ABORT_FCP_CMND:
        cmd_abort(f, h, q);
        break;
    case FSF_QTCB_FCP_CMND:
        return cmd_fcp(f, h, r, q);
    }
    return OUT_DONE;
}

/* ---- unsolicited status --------------------------------------------------------- */

static void deliver_events(struct fsf_dev *f, const struct db_host *h)
{
    while (f->nev && f->nsr) {
        struct fsf_status_read_buffer sb;
        memset(&sb, 0, sizeof(sb));
        const struct fsf_event *ev = &f->ev[0];
        switch (ev->kind) {
        case FSF_EVT_LINK_DOWN:
            /* zfcp_fsf_status_read_link_down: subtype NO_PHYSICAL_LINK,
             * payload.link_down_info */
            db_st_be32(sb.status_type, FSF_STATUS_READ_LINK_DOWN);
            db_st_be32(sb.status_subtype, FSF_STATUS_READ_SUB_NO_PHYSICAL_LINK);
            db_st_be32(sb.payload, FSF_PSQ_LINK_NO_LIGHT);
            break;
        case FSF_EVT_LINK_UP:
            db_st_be32(sb.status_type, FSF_STATUS_READ_LINK_UP);
            break;
        case FSF_EVT_PORT_CLOSED:
            /* zfcp_fsf_status_read_port_closed: port with d_id reopened */
            db_st_be32(sb.status_type, FSF_STATUS_READ_PORT_CLOSED);
            st_be24(sb.d_id, ev->d_id);
            break;
        }
        db_st_be32(sb.length, sizeof(sb));
        struct sr_buf s = f->sr[0];
        if (!pend_push(f, s.req_id)) {
            return;                         /* retried on the next delivery */
        }
        (void)db_host_write(h, s.addr, &sb, sizeof(sb));
        memmove(&f->sr[0], &f->sr[1], (f->nsr - 1) * sizeof(f->sr[0]));
        f->nsr--;
        memmove(&f->ev[0], &f->ev[1], (f->nev - 1) * sizeof(f->ev[0]));
        f->nev--;
        f->stats.status_reads_answered++;
        trace(f, "req %#llx status-read answered type %u", (unsigned long long)s.req_id,
              (unsigned)db_ld_be32(sb.status_type));
    }
}

enum fcp_status fsf_post_event(struct fsf_dev *f, const struct fsf_event *ev)
{
    if (!f || !ev || (unsigned)ev->kind > FSF_EVT_PORT_CLOSED || ev->d_id > 0xffffff) {
        return FCP_ST_ERR_INVALID;
    }
    if (!grow((void **)&f->ev, &f->cap_ev, f->nev, sizeof(*f->ev), FSF_MAX_EVENTS)) {
        return FCP_ST_ERR_NOMEM;
    }
    f->ev[f->nev++] = *ev;
    f->stats.events_queued++;
    if (ev->kind == FSF_EVT_LINK_DOWN) {
        f->link_down_reported = true;
    } else if (ev->kind == FSF_EVT_LINK_UP) {
        f->link_down_reported = false;
    }
    return FCP_ST_OK;
}

/* ---- request entry point ------------------------------------------------------------ */

int fsf_handle_request(void *opaque, const struct db_host *h, const struct qdio_req *r)
{
    struct fsf_dev *f = opaque;
    if (!f || !h || !r) {
        return QDIO_SBALF15_REQUEST;
    }
    if ((r->sflags0 & SBAL_SFLAGS0_TYPE_MASK) == SBAL_SFLAGS0_TYPE_STATUS) {
        /* zfcp_fsf_status_read: one SBALE with the 4 KiB buffer. */
        if (r->nseg != 1 || r->seg[0].len < sizeof(struct fsf_status_read_buffer)) {
            return reject(f, "status-read request without one 4096-byte buffer", r->req_id);
        }
        if (f->nsr >= f->cfg.max_status_reads ||
            !grow((void **)&f->sr, &f->cap_sr, f->nsr, sizeof(*f->sr),
                  f->cfg.max_status_reads)) {
            return reject(f, "too many posted status-read buffers", r->req_id);
        }
        f->sr[f->nsr].req_id = r->req_id;
        f->sr[f->nsr].addr = r->seg[0].addr;
        f->nsr++;
        f->stats.status_reads_posted++;
        trace(f, "req %#llx status-read posted (%zu posted)",
              (unsigned long long)r->req_id, f->nsr);
        deliver_events(f, h);
        return 0;
    }
    if (r->nseg < 1 || r->seg[0].len < FSF_QTCB_USED_LEN) {
        return reject(f, "no QTCB element of at least 672 bytes", r->req_id);
    }
    /* Room for this completion (and an aborted one) before anything is
     * executed: a command is either carried out and answered, or refused. */
    if (f->npend + 2 > FSF_MAX_PENDING) {
        return reject(f, "too many completions waiting for input buffers", r->req_id);
    }
    struct qtcb q;
    if (db_host_read(h, r->seg[0].addr, q.raw, sizeof(q.raw)) != 0) {
        return reject(f, "QTCB not readable", r->req_id);
    }
    enum fcp_outcome o = process_qtcb(f, h, r, &q);
    if (o == OUT_REJECT) {
        return reject(f, "data element not accessible", r->req_id);
    }
    if (o == OUT_STALL) {
        trace(f, "req %#llx FCP_CMND swallowed (timeout fault)", (unsigned long long)r->req_id);
        return 0;               /* consumed, never answered (TIMEOUT fault) */
    }
    if (f->cfg.trace) {
        const struct fsf_qtcb_bottom_io *bio = (const struct fsf_qtcb_bottom_io *)bottom(&q);
        uint32_t cmd = db_ld_be32(hdr(&q)->fsf_command);
        if (cmd == FSF_QTCB_FCP_CMND) {
            /* struct fcp_cmnd: 8-byte LUN, 4 control bytes, CDB @12 */
            const uint8_t *cdb = bio->fcp_cmnd + 12;
            const struct fcp_rsp_iu *rsp = (const struct fcp_rsp_iu *)bio->fcp_rsp;
            trace(f, "req %#llx cmd 0x%x port %#x lun %#x cdb %02x %02x%02x%02x%02x%02x%02x%02x%02x%02x"
                  " -> prot %#x fsf %#x sq %#x scsi 0x%02x",
                  (unsigned long long)r->req_id, (unsigned)cmd,
                  (unsigned)db_ld_be32(hdr(&q)->port_handle),
                  (unsigned)db_ld_be32(hdr(&q)->lun_handle), cdb[0], cdb[1], cdb[2], cdb[3],
                  cdb[4], cdb[5], cdb[6], cdb[7], cdb[8], cdb[9],
                  (unsigned)db_ld_be32(pfx(&q)->prot_status),
                  (unsigned)db_ld_be32(hdr(&q)->fsf_status),
                  (unsigned)db_ld_be32(hdr(&q)->fsf_status_qual),
                  (unsigned)rsp->fr_status);
        } else {
            trace(f, "req %#llx cmd 0x%x port %#x lun %#x -> prot %#x fsf %#x sq %#x",
                  (unsigned long long)r->req_id, (unsigned)cmd,
                  (unsigned)db_ld_be32(hdr(&q)->port_handle),
                  (unsigned)db_ld_be32(hdr(&q)->lun_handle),
                  (unsigned)db_ld_be32(pfx(&q)->prot_status),
                  (unsigned)db_ld_be32(hdr(&q)->fsf_status),
                  (unsigned)db_ld_be32(hdr(&q)->fsf_status_qual));
        }
    }
    if (db_host_write(h, r->seg[0].addr, q.raw, sizeof(q.raw)) != 0) {
        return reject(f, "QTCB not writable", r->req_id);
    }
    if (!pend_push(f, r->req_id)) {
        return reject(f, "too many completions waiting for input buffers", r->req_id);
    }
    f->stats.requests++;
    return 0;
}

/* ---- device ------------------------------------------------------------------------------ */

enum fcp_status fsf_dev_new(struct fcp_adapter *a, const struct fsf_config *cfg,
                            struct fsf_dev **out)
{
    if (!a || !out) {
        return FCP_ST_ERR_INVALID;
    }
    struct fsf_dev *f = calloc(1, sizeof(*f));
    if (!f) {
        return FCP_ST_ERR_NOMEM;
    }
    f->a = a;
    if (cfg) {
        f->cfg = *cfg;
    }
    if (f->cfg.status_read_buf_num == 0) {
        f->cfg.status_read_buf_num = FSF_STATUS_READS_RECOM;
    }
    if (f->cfg.max_status_reads == 0) {
        f->cfg.max_status_reads = FSF_DEFAULT_MAX_STATUS_READS;
    }
    if (f->cfg.max_status_reads > QDIO_MAX_BUFFERS_PER_Q * 4) {
        free(f);
        return FCP_ST_ERR_INVALID;
    }
    *out = f;
    return FCP_ST_OK;
}

void fsf_dev_free(struct fsf_dev *f)
{
    if (!f) {
        return;
    }
    free(f->pend);
    free(f->sr);
    free(f->ev);
    free(f->stall);
    free(f);
}

const struct qdio_queues *fsf_dev_qdio(const struct fsf_dev *f)
{
    return f ? &f->q : NULL;
}

enum qdio_status fsf_establish(struct fsf_dev *f, const struct db_host *h, uint64_t qdr_addr,
                               uint32_t count)
{
    if (!f) {
        return QDIO_ERR_INVALID;
    }
    enum qdio_status st = qdio_establish(&f->q, h, qdr_addr, count);
    if (st != QDIO_OK) {
        snprintf(f->errmsg, sizeof(f->errmsg), "ESTABLISH QUEUES: %s", f->q.errmsg);
    }
    return st;
}

void fsf_reset(struct fsf_dev *f)
{
    if (!f) {
        return;
    }
    qdio_reset(&f->q);
    f->npend = 0;
    f->nsr = 0;
    f->nstall = 0;
}

static enum qdio_status flush(struct fsf_dev *f, const struct db_host *h, bool *pci)
{
    unsigned guard = 0;
    while (f->npend && guard++ < 2 * QDIO_MAX_BUFFERS_PER_Q) {
        unsigned n = f->npend < QDIO_MAX_ELEMENTS_PER_BUFFER ? (unsigned)f->npend
                                                             : QDIO_MAX_ELEMENTS_PER_BUFFER;
        unsigned used = 0;
        enum qdio_status st = qdio_input_fill(&f->q, h, f->pend, n, &used);
        if (st == QDIO_ERR_NO_BUFFER) {
            break;
        }
        if (st == QDIO_ERR_SLSB) {
            *pci = true;
            continue;
        }
        if (st != QDIO_OK) {
            return st;
        }
        *pci = true;
        memmove(f->pend, f->pend + used, (f->npend - used) * sizeof(f->pend[0]));
        f->npend -= used;
    }
    return QDIO_OK;
}

enum qdio_status fsf_siga_write(struct fsf_dev *f, const struct db_host *h, bool *pci)
{
    if (!f || !h || !pci) {
        return QDIO_ERR_INVALID;
    }
    *pci = false;
    unsigned errs = 0;
    enum qdio_status st = qdio_output_kick(&f->q, h, fsf_handle_request, f, &errs);
    if (st != QDIO_OK) {
        return st;
    }
    if (errs) {
        *pci = true;
    }
    deliver_events(f, h);
    return flush(f, h, pci);
}

enum qdio_status fsf_siga_read(struct fsf_dev *f, const struct db_host *h, bool *pci)
{
    if (!f || !h || !pci) {
        return QDIO_ERR_INVALID;
    }
    *pci = false;
    if (!f->q.established) {
        return QDIO_ERR_STATE;
    }
    deliver_events(f, h);
    return flush(f, h, pci);
}

enum fcp_status fsf_dev_stats(const struct fsf_dev *f, struct fsf_stats *out)
{
    if (!f || !out) {
        return FCP_ST_ERR_INVALID;
    }
    *out = f->stats;
    out->pending = f->npend;
    return FCP_ST_OK;
}

const char *fsf_dev_errmsg(const struct fsf_dev *f)
{
    return f ? f->errmsg : "";
}
