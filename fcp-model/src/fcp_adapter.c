/*
 * FCP adapter: configuration data, remote-port/LUN topology, the FSF
 * OPEN/CLOSE PORT and OPEN/CLOSE LUN state machine, fault settings and
 * statistics.  SCSI execution is in fcp_scsi.c.
 *
 * Port states (zfcp_fsf.c zfcp_fsf_open_port_handler / close_port_handler):
 *
 *     CLOSED --open (PLOGI ok)--> OPEN --close--> CLOSED
 *     CLOSED --open, PLOGI_REJECT fault--> CLOSED (FCP_ST_PLOGI_REJECTED)
 *     OPEN   --write hits LINK_DOWN fault--> LOST --link_up--> CLOSED
 *
 * LUN states: CLOSED --open (port OPEN)--> OPEN --close--> CLOSED; the
 * LUN_REMOVED fault moves any state to REMOVED, clearing it to CLOSED.
 * Handles come from one per-adapter counter (never 0, never a handle still
 * held), so a stale handle does not alias a newer object until the 32-bit
 * counter wraps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcp_internal.h"

/* ---- status mapping ----------------------------------------------------- */

static const struct {
    const char *name;
    bool fsf;                          /* has an FSF meaning */
    struct fcp_fsf_code code;
} status_table[] = {
    [FCP_ST_OK] = {"FCP_ST_OK", true, {FSF_PROT_GOOD, FSF_GOOD, 0}},
    [FCP_ST_PORT_ALREADY_OPEN] = {"FCP_ST_PORT_ALREADY_OPEN", true,
        {FSF_PROT_FSF_STATUS_PRESENTED, FSF_PORT_ALREADY_OPEN, 0}},
    [FCP_ST_LUN_ALREADY_OPEN] = {"FCP_ST_LUN_ALREADY_OPEN", true,
        {FSF_PROT_FSF_STATUS_PRESENTED, FSF_LUN_ALREADY_OPEN, 0}},
    [FCP_ST_PORT_HANDLE_NOT_VALID] = {"FCP_ST_PORT_HANDLE_NOT_VALID", true,
        {FSF_PROT_FSF_STATUS_PRESENTED, FSF_PORT_HANDLE_NOT_VALID, 0}},
    [FCP_ST_LUN_HANDLE_NOT_VALID] = {"FCP_ST_LUN_HANDLE_NOT_VALID", true,
        {FSF_PROT_FSF_STATUS_PRESENTED, FSF_LUN_HANDLE_NOT_VALID, 0}},
    [FCP_ST_HANDLE_MISMATCH] = {"FCP_ST_HANDLE_MISMATCH", true,
        {FSF_PROT_FSF_STATUS_PRESENTED, FSF_HANDLE_MISMATCH, 0}},
    [FCP_ST_FCPLUN_NOT_VALID] = {"FCP_ST_FCPLUN_NOT_VALID", true,
        {FSF_PROT_FSF_STATUS_PRESENTED, FSF_FCPLUN_NOT_VALID, 0}},
    [FCP_ST_DIRECTION_NOT_VALID] = {"FCP_ST_DIRECTION_NOT_VALID", true,
        {FSF_PROT_FSF_STATUS_PRESENTED, FSF_DIRECTION_INDICATOR_NOT_VALID, 0}},
    [FCP_ST_CMND_LENGTH_NOT_VALID] = {"FCP_ST_CMND_LENGTH_NOT_VALID", true,
        {FSF_PROT_FSF_STATUS_PRESENTED, FSF_CMND_LENGTH_NOT_VALID, 0}},
    [FCP_ST_PORT_UNKNOWN] = {"FCP_ST_PORT_UNKNOWN", true,
        {FSF_PROT_FSF_STATUS_PRESENTED, FSF_ADAPTER_STATUS_AVAILABLE,
         FSF_SQ_NO_RETRY_POSSIBLE}},
    [FCP_ST_PLOGI_REJECTED] = {"FCP_ST_PLOGI_REJECTED", true,
        {FSF_PROT_FSF_STATUS_PRESENTED, FSF_ADAPTER_STATUS_AVAILABLE,
         FSF_SQ_NO_RETRY_POSSIBLE}},
    [FCP_ST_FCP_RSP_AVAILABLE] = {"FCP_ST_FCP_RSP_AVAILABLE", true,
        {FSF_PROT_FSF_STATUS_PRESENTED, FSF_FCP_RSP_AVAILABLE, 0}},
    [FCP_ST_LINK_DOWN] = {"FCP_ST_LINK_DOWN", true, {FSF_PROT_LINK_DOWN, 0, 0}},
    [FCP_ST_TIMEOUT] = {"FCP_ST_TIMEOUT", false, {0, 0, 0}},
    [FCP_ST_ERR_INVALID] = {"FCP_ST_ERR_INVALID", false, {0, 0, 0}},
    [FCP_ST_ERR_EXISTS] = {"FCP_ST_ERR_EXISTS", false, {0, 0, 0}},
    [FCP_ST_ERR_NOT_FOUND] = {"FCP_ST_ERR_NOT_FOUND", false, {0, 0, 0}},
    [FCP_ST_ERR_NOMEM] = {"FCP_ST_ERR_NOMEM", false, {0, 0, 0}},
    [FCP_ST_ERR_IO] = {"FCP_ST_ERR_IO", false, {0, 0, 0}},
};

#define STATUS_COUNT (sizeof(status_table) / sizeof(status_table[0]))

enum fcp_status fcp_status_to_fsf(enum fcp_status st, struct fcp_fsf_code *out)
{
    if (!out || (unsigned)st >= STATUS_COUNT || !status_table[st].fsf) {
        return FCP_ST_ERR_INVALID;
    }
    *out = status_table[st].code;
    return FCP_ST_OK;
}

const char *fcp_status_name(enum fcp_status st)
{
    if ((unsigned)st >= STATUS_COUNT || !status_table[st].name) {
        return "FCP_ST_?";
    }
    return status_table[st].name;
}

/* ---- adapter ------------------------------------------------------------ */

static enum fcp_status fail(struct fcp_adapter *a, enum fcp_status st, const char *msg)
{
    snprintf(a->errmsg, sizeof(a->errmsg), "%s", msg);
    return st;
}

void fcp_adapter_default_config(struct fcp_adapter_config *cfg, uint16_t devno)
{
    if (!cfg) {
        return;
    }
    memset(cfg, 0, sizeof(*cfg));
    cfg->devno = devno;
    cfg->wwnn = 0x5005076400c00001ULL;
    cfg->wwpn = 0x5005076400c10001ULL;
    cfg->s_id = 0x010100;
    cfg->topology = FSF_TOPO_FABRIC;
    cfg->max_sbals = FSF_MAX_SBALS_PER_REQ;
    /* The most one zfcp request can carry: FSF_MAX_SBALS_PER_REQ SBALs of 16
     * page-sized elements (lx61 zfcp_qdio.h ZFCP_QDIO_SBALE_LEN = PAGE_SIZE;
     * zfcp_scsi.c sets max_sectors = max_sbale_per_req * 8, and zfcp does not
     * read max_data_transfer_size back), so the block layer's merged writes
     * (seen: 1.25 MiB) always fit; the SBAL data check still bounds it. */
    cfg->max_data_transfer = FCP_DEFAULT_MAX_DATA_TRANSFER;
    cfg->link_speed = 8;
}

enum fcp_status fcp_adapter_new(const struct fcp_adapter_config *cfg,
                                struct fcp_adapter **out)
{
    if (!cfg || !out) {
        return FCP_ST_ERR_INVALID;
    }
    if (cfg->ssid > 3 || cfg->s_id > 0xffffff || cfg->wwpn == 0 ||
        cfg->topology < FSF_TOPO_P2P || cfg->topology > FSF_TOPO_AL ||
        cfg->max_sbals == 0 || cfg->max_sbals > FSF_MAX_SBALS_PER_REQ ||
        cfg->max_data_transfer == 0) {
        return FCP_ST_ERR_INVALID;
    }
    struct fcp_adapter *a = calloc(1, sizeof(*a));
    if (!a) {
        return FCP_ST_ERR_NOMEM;
    }
    a->cfg = *cfg;
    a->next_handle = 1;
    *out = a;
    return FCP_ST_OK;
}

static void lun_free(struct fcp_lun *l)
{
    fcp_backing_release(&l->bk);
    free(l);
}

static void port_free(struct fcp_port *p)
{
    for (size_t i = 0; i < p->nluns; i++) {
        lun_free(p->luns[i]);
    }
    free(p->luns);
    free(p);
}

void fcp_adapter_free(struct fcp_adapter *a)
{
    if (!a) {
        return;
    }
    for (size_t i = 0; i < a->nports; i++) {
        port_free(a->ports[i]);
    }
    free(a->ports);
    free(a);
}

enum fcp_status fcp_adapter_config_data(const struct fcp_adapter *a,
                                        struct fcp_config_data *out)
{
    if (!a || !out) {
        return FCP_ST_ERR_INVALID;
    }
    memset(out, 0, sizeof(*out));
    out->wwnn = a->cfg.wwnn;
    out->wwpn = a->cfg.wwpn;
    out->s_id = a->cfg.s_id;
    out->topology = a->cfg.topology;
    out->max_sbals = a->cfg.max_sbals;
    out->max_data_transfer = a->cfg.max_data_transfer;
    out->link_speed = a->cfg.link_speed;
    out->low_qtcb_version = FSF_QTCB_CURRENT_VERSION;
    out->high_qtcb_version = FSF_QTCB_CURRENT_VERSION;
    out->nports = (uint32_t)a->nports;
    return FCP_ST_OK;
}

enum fcp_status fcp_adapter_busid(const struct fcp_adapter *a, char *buf, size_t len)
{
    if (!a || !buf) {
        return FCP_ST_ERR_INVALID;
    }
    char tmp[16];
    int n = snprintf(tmp, sizeof(tmp), "%x.%x.%04x", a->cfg.cssid, a->cfg.ssid,
                     a->cfg.devno);
    if (n < 0 || (size_t)n >= len) {
        return FCP_ST_ERR_INVALID;
    }
    memcpy(buf, tmp, (size_t)n + 1);
    return FCP_ST_OK;
}

const char *fcp_adapter_errmsg(const struct fcp_adapter *a)
{
    return a ? a->errmsg : "";
}

/* ---- lookups -------------------------------------------------------------- */

struct fcp_port *fcp_find_port(const struct fcp_adapter *a, uint64_t wwpn)
{
    for (size_t i = 0; i < a->nports; i++) {
        if (a->ports[i]->wwpn == wwpn) {
            return a->ports[i];
        }
    }
    return NULL;
}

struct fcp_lun *fcp_find_lun(const struct fcp_port *p, uint64_t lun)
{
    for (size_t i = 0; i < p->nluns; i++) {
        if (p->luns[i]->lun == lun) {
            return p->luns[i];
        }
    }
    return NULL;
}

static struct fcp_port *port_by_handle(const struct fcp_adapter *a, uint32_t h)
{
    if (h == 0) {
        return NULL;
    }
    for (size_t i = 0; i < a->nports; i++) {
        if (a->ports[i]->handle == h) {
            return a->ports[i];
        }
    }
    return NULL;
}

static struct fcp_lun *lun_by_handle(struct fcp_port *p, uint32_t h)
{
    if (h == 0) {
        return NULL;
    }
    if (p->lun0.handle == h) {
        return &p->lun0;
    }
    for (size_t i = 0; i < p->nluns; i++) {
        if (p->luns[i]->handle == h) {
            return p->luns[i];
        }
    }
    return NULL;
}

static bool handle_in_use(const struct fcp_adapter *a, uint32_t h)
{
    for (size_t i = 0; i < a->nports; i++) {
        const struct fcp_port *p = a->ports[i];
        if (p->handle == h || p->lun0.handle == h) {
            return true;
        }
        for (size_t j = 0; j < p->nluns; j++) {
            if (p->luns[j]->handle == h) {
                return true;
            }
        }
    }
    return false;
}

/* Next handle: never 0, never one that is still held (after a wrap). */
static uint32_t new_handle(struct fcp_adapter *a)
{
    uint32_t h;
    do {
        h = a->next_handle++;
        if (a->next_handle == 0) {
            a->next_handle = 1;
        }
    } while (handle_in_use(a, h));
    return h;
}

/*
 * Resolve (port_handle, lun_handle) for CLOSE LUN and FCP_CMND.  Check
 * order: port handle (LOST -> LINK_DOWN), then the LUN handle in this
 * port, then in other ports (HANDLE_MISMATCH).  A handle of a LUN in the
 * REMOVED state counts as a firing of its LUN_REMOVED fault.
 */
enum fcp_status fcp_resolve(struct fcp_adapter *a, uint32_t port_handle,
                            uint32_t lun_handle, struct fcp_port **pp, struct fcp_lun **lp)
{
    struct fcp_port *p = port_by_handle(a, port_handle);
    if (!p) {
        return FCP_ST_PORT_HANDLE_NOT_VALID;
    }
    if (p->state == FCP_PORT_LOST) {
        return FCP_ST_LINK_DOWN;
    }
    struct fcp_lun *l = lun_by_handle(p, lun_handle);
    if (!l) {
        for (size_t i = 0; i < a->nports; i++) {
            if (a->ports[i] != p && lun_by_handle(a->ports[i], lun_handle)) {
                return FCP_ST_HANDLE_MISMATCH;
            }
        }
        return FCP_ST_LUN_HANDLE_NOT_VALID;
    }
    if (l->state == FCP_LUN_REMOVED) {
        l->faults[FCP_FAULT_LUN_REMOVED].fired++;
        return FCP_ST_LUN_HANDLE_NOT_VALID;
    }
    if (l->state != FCP_LUN_OPEN) {
        return FCP_ST_LUN_HANDLE_NOT_VALID;
    }
    *pp = p;
    *lp = l;
    return FCP_ST_OK;
}

/* ---- topology ------------------------------------------------------------- */

enum fcp_status fcp_port_add(struct fcp_adapter *a, uint64_t wwpn, uint32_t d_id)
{
    if (!a) {
        return FCP_ST_ERR_INVALID;
    }
    if (wwpn == 0 || d_id == 0 || d_id > 0xffffff) {
        return fail(a, FCP_ST_ERR_INVALID, "port needs a non-zero WWPN and a 24-bit D_ID");
    }
    if (wwpn == a->cfg.wwpn) {
        return fail(a, FCP_ST_ERR_INVALID, "remote WWPN equals the adapter's own WWPN");
    }
    for (size_t i = 0; i < a->nports; i++) {
        if (a->ports[i]->wwpn == wwpn) {
            return fail(a, FCP_ST_ERR_EXISTS, "WWPN already configured");
        }
        if (a->ports[i]->d_id == d_id) {
            return fail(a, FCP_ST_ERR_EXISTS, "D_ID already in use");
        }
    }
    if (a->nports >= FCP_MAX_PORTS) {
        return fail(a, FCP_ST_ERR_INVALID, "too many ports");
    }
    if (a->nports == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 4;
        struct fcp_port **n = realloc(a->ports, cap * sizeof(*n));
        if (!n) {
            return fail(a, FCP_ST_ERR_NOMEM, "out of memory");
        }
        a->ports = n;
        a->cap = cap;
    }
    struct fcp_port *p = calloc(1, sizeof(*p));
    if (!p) {
        return fail(a, FCP_ST_ERR_NOMEM, "out of memory");
    }
    p->wwpn = wwpn;
    p->d_id = d_id;
    p->lun0.lun = 0;
    p->lun0.placeholder = true;
    a->ports[a->nports++] = p;
    return FCP_ST_OK;
}

enum fcp_status fcp_port_remove(struct fcp_adapter *a, uint64_t wwpn)
{
    if (!a) {
        return FCP_ST_ERR_INVALID;
    }
    for (size_t i = 0; i < a->nports; i++) {
        if (a->ports[i]->wwpn == wwpn) {
            port_free(a->ports[i]);
            memmove(&a->ports[i], &a->ports[i + 1],
                    (a->nports - i - 1) * sizeof(a->ports[0]));
            a->nports--;
            return FCP_ST_OK;
        }
    }
    return fail(a, FCP_ST_ERR_NOT_FOUND, "no such WWPN");
}

/* Insert a LUN with a ready backing store; takes ownership of bk. */
static enum fcp_status lun_insert(struct fcp_adapter *a, struct fcp_port *p, uint64_t lun,
                                  struct fcp_backing *bk)
{
    if (p->nluns == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 4;
        struct fcp_lun **n = realloc(p->luns, cap * sizeof(*n));
        if (!n) {
            fcp_backing_release(bk);
            return fail(a, FCP_ST_ERR_NOMEM, "out of memory");
        }
        p->luns = n;
        p->cap = cap;
    }
    struct fcp_lun *l = calloc(1, sizeof(*l));
    if (!l) {
        fcp_backing_release(bk);
        return fail(a, FCP_ST_ERR_NOMEM, "out of memory");
    }
    l->lun = lun;
    l->bk = *bk;
    /* keep the list sorted so REPORT LUNS needs no sort */
    size_t pos = 0;
    while (pos < p->nluns && p->luns[pos]->lun < lun) {
        pos++;
    }
    memmove(&p->luns[pos + 1], &p->luns[pos], (p->nluns - pos) * sizeof(p->luns[0]));
    p->luns[pos] = l;
    p->nluns++;
    if (lun == 0 && p->lun0.handle != 0) {
        /* a real LUN 0 replaces the stand-in: its handle goes away */
        p->lun0.handle = 0;
        p->lun0.state = FCP_LUN_CLOSED;
    }
    return FCP_ST_OK;
}

/* Common checks before creating a backing store for (wwpn, lun). */
static enum fcp_status lun_add_check(struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                                     struct fcp_port **pp)
{
    struct fcp_port *p = fcp_find_port(a, wwpn);
    if (!p) {
        return fail(a, FCP_ST_ERR_NOT_FOUND, "no such WWPN");
    }
    if (fcp_find_lun(p, lun)) {
        return fail(a, FCP_ST_ERR_EXISTS, "LUN already configured");
    }
    if (p->nluns >= FCP_MAX_LUNS_PER_PORT) {
        return fail(a, FCP_ST_ERR_INVALID, "too many LUNs on this port");
    }
    *pp = p;
    return FCP_ST_OK;
}

enum fcp_status fcp_lun_add_mem(struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                                uint32_t block_size, uint64_t nblocks)
{
    if (!a) {
        return FCP_ST_ERR_INVALID;
    }
    struct fcp_port *p;
    enum fcp_status st = lun_add_check(a, wwpn, lun, &p);
    if (st != FCP_ST_OK) {
        return st;
    }
    struct fcp_backing bk;
    st = fcp_backing_mem(&bk, block_size, nblocks, a->errmsg, sizeof(a->errmsg));
    if (st != FCP_ST_OK) {
        return st;
    }
    return lun_insert(a, p, lun, &bk);
}

static enum fcp_status lun_add_file(struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                                    const char *path, uint32_t block_size, bool create,
                                    uint64_t nblocks)
{
    if (!a) {
        return FCP_ST_ERR_INVALID;
    }
    struct fcp_port *p;
    enum fcp_status st = lun_add_check(a, wwpn, lun, &p);
    if (st != FCP_ST_OK) {
        return st;
    }
    struct fcp_backing bk;
    st = fcp_backing_file(&bk, path, block_size, create, nblocks, a->errmsg,
                          sizeof(a->errmsg));
    if (st != FCP_ST_OK) {
        return st;
    }
    return lun_insert(a, p, lun, &bk);
}

enum fcp_status fcp_lun_add_file(struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                                 const char *path, uint32_t block_size)
{
    return lun_add_file(a, wwpn, lun, path, block_size, false, 0);
}

enum fcp_status fcp_lun_create_file(struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                                    const char *path, uint32_t block_size,
                                    uint64_t nblocks)
{
    return lun_add_file(a, wwpn, lun, path, block_size, true, nblocks);
}

enum fcp_status fcp_lun_remove(struct fcp_adapter *a, uint64_t wwpn, uint64_t lun)
{
    if (!a) {
        return FCP_ST_ERR_INVALID;
    }
    struct fcp_port *p = fcp_find_port(a, wwpn);
    if (!p) {
        return fail(a, FCP_ST_ERR_NOT_FOUND, "no such WWPN");
    }
    for (size_t i = 0; i < p->nluns; i++) {
        if (p->luns[i]->lun == lun) {
            lun_free(p->luns[i]);
            memmove(&p->luns[i], &p->luns[i + 1], (p->nluns - i - 1) * sizeof(p->luns[0]));
            p->nluns--;
            return FCP_ST_OK;
        }
    }
    return fail(a, FCP_ST_ERR_NOT_FOUND, "no such LUN");
}

static enum fcp_status find_port_lun(const struct fcp_adapter *a, uint64_t wwpn,
                                     uint64_t lun, struct fcp_port **pp, struct fcp_lun **lp)
{
    if (!a) {
        return FCP_ST_ERR_INVALID;
    }
    struct fcp_port *p = fcp_find_port(a, wwpn);
    if (!p) {
        return FCP_ST_ERR_NOT_FOUND;
    }
    struct fcp_lun *l = fcp_find_lun(p, lun);
    if (!l) {
        return FCP_ST_ERR_NOT_FOUND;
    }
    if (pp) {
        *pp = p;
    }
    *lp = l;
    return FCP_ST_OK;
}

/* offset/len inside the medium, without overflow */
static bool raw_range_ok(const struct fcp_lun *l, uint64_t offset, size_t len)
{
    uint64_t size = l->bk.nblocks * l->bk.block_size;
    return offset <= size && (uint64_t)len <= size - offset;
}

enum fcp_status fcp_lun_read_raw(struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                                 uint64_t offset, void *buf, size_t len)
{
    struct fcp_lun *l;
    enum fcp_status st = find_port_lun(a, wwpn, lun, NULL, &l);
    if (st != FCP_ST_OK) {
        return st;
    }
    if ((!buf && len) || !raw_range_ok(l, offset, len)) {
        return FCP_ST_ERR_INVALID;
    }
    if (len && l->bk.ops->read(l->bk.ctx, offset, buf, len) != 0) {
        return FCP_ST_ERR_IO;
    }
    return FCP_ST_OK;
}

enum fcp_status fcp_lun_write_raw(struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                                  uint64_t offset, const void *buf, size_t len)
{
    struct fcp_lun *l;
    enum fcp_status st = find_port_lun(a, wwpn, lun, NULL, &l);
    if (st != FCP_ST_OK) {
        return st;
    }
    if ((!buf && len) || !raw_range_ok(l, offset, len)) {
        return FCP_ST_ERR_INVALID;
    }
    if (len && l->bk.ops->write(l->bk.ctx, offset, buf, len) != 0) {
        return FCP_ST_ERR_IO;
    }
    return FCP_ST_OK;
}

enum fcp_status fcp_sam_lun(uint32_t lun, uint64_t *fcp_lun)
{
    if (!fcp_lun || lun > 16383) {
        return FCP_ST_ERR_INVALID;
    }
    if (lun < 256) {
        *fcp_lun = (uint64_t)lun << 48;
    } else {
        *fcp_lun = ((uint64_t)(SCSI_LUN_ADDR_FLAT | (lun >> 8)) << 56) |
                   ((uint64_t)(lun & 0xff) << 48);
    }
    return FCP_ST_OK;
}

/* ---- port / LUN state machine ---------------------------------------------- */

/* skip/times accounting shared by TIMEOUT and PORT_REJECT; true = fire */
bool fcp_fault_counted_fires(struct fcp_fault_slot *s)
{
    if (!s->armed) {
        return false;
    }
    if (s->skip > 0) {
        s->skip--;
        return false;
    }
    s->fired++;
    if (!s->unlimited && --s->remaining == 0) {
        s->armed = false;
    }
    return true;
}

enum fcp_status fcp_port_open(struct fcp_adapter *a, uint64_t wwpn, uint32_t *port_handle)
{
    if (!a || !port_handle) {
        return FCP_ST_ERR_INVALID;
    }
    struct fcp_port *p = fcp_find_port(a, wwpn);
    if (!p) {
        return FCP_ST_PORT_UNKNOWN;
    }
    if (p->state == FCP_PORT_LOST) {
        return FCP_ST_LINK_DOWN;
    }
    if (p->state == FCP_PORT_OPEN) {
        return FCP_ST_PORT_ALREADY_OPEN;
    }
    if (fcp_fault_counted_fires(&p->faults[FCP_FAULT_PORT_REJECT])) {
        return FCP_ST_PLOGI_REJECTED;
    }
    p->state = FCP_PORT_OPEN;
    p->handle = new_handle(a);
    *port_handle = p->handle;
    return FCP_ST_OK;
}

/* Close every LUN of a port (handles invalid); REMOVED LUNs stay removed. */
static void close_port_luns(struct fcp_port *p)
{
    p->lun0.handle = 0;
    p->lun0.state = FCP_LUN_CLOSED;
    for (size_t i = 0; i < p->nluns; i++) {
        struct fcp_lun *l = p->luns[i];
        l->handle = 0;
        if (l->state == FCP_LUN_OPEN) {
            l->state = FCP_LUN_CLOSED;
        }
    }
}

enum fcp_status fcp_port_close(struct fcp_adapter *a, uint32_t port_handle)
{
    if (!a) {
        return FCP_ST_ERR_INVALID;
    }
    struct fcp_port *p = port_by_handle(a, port_handle);
    if (!p) {
        return FCP_ST_PORT_HANDLE_NOT_VALID;
    }
    if (p->state == FCP_PORT_LOST) {
        return FCP_ST_LINK_DOWN;
    }
    close_port_luns(p);
    p->state = FCP_PORT_CLOSED;
    p->handle = 0;
    return FCP_ST_OK;
}

void fcp_port_set_lost(struct fcp_port *p)
{
    p->state = FCP_PORT_LOST;
}

enum fcp_status fcp_port_link_up(struct fcp_adapter *a, uint64_t wwpn)
{
    if (!a) {
        return FCP_ST_ERR_INVALID;
    }
    struct fcp_port *p = fcp_find_port(a, wwpn);
    if (!p) {
        return FCP_ST_ERR_NOT_FOUND;
    }
    if (p->state != FCP_PORT_LOST) {
        return FCP_ST_ERR_INVALID;
    }
    close_port_luns(p);
    p->state = FCP_PORT_CLOSED;
    p->handle = 0;
    return FCP_ST_OK;
}

enum fcp_status fcp_port_get_state(const struct fcp_adapter *a, uint64_t wwpn,
                                   enum fcp_port_state *st)
{
    if (!a || !st) {
        return FCP_ST_ERR_INVALID;
    }
    struct fcp_port *p = fcp_find_port(a, wwpn);
    if (!p) {
        return FCP_ST_ERR_NOT_FOUND;
    }
    *st = p->state;
    return FCP_ST_OK;
}

enum fcp_status fcp_lun_open(struct fcp_adapter *a, uint32_t port_handle, uint64_t lun,
                             uint32_t *lun_handle)
{
    if (!a || !lun_handle) {
        return FCP_ST_ERR_INVALID;
    }
    struct fcp_port *p = port_by_handle(a, port_handle);
    if (!p) {
        return FCP_ST_PORT_HANDLE_NOT_VALID;
    }
    if (p->state == FCP_PORT_LOST) {
        return FCP_ST_LINK_DOWN;
    }
    struct fcp_lun *l = fcp_find_lun(p, lun);
    if (!l && lun == 0) {
        l = &p->lun0;
    }
    if (!l) {
        return FCP_ST_FCPLUN_NOT_VALID;
    }
    if (l->state == FCP_LUN_REMOVED) {
        l->faults[FCP_FAULT_LUN_REMOVED].fired++;
        return FCP_ST_FCPLUN_NOT_VALID;
    }
    if (l->state == FCP_LUN_OPEN) {
        return FCP_ST_LUN_ALREADY_OPEN;
    }
    l->state = FCP_LUN_OPEN;
    l->handle = new_handle(a);
    *lun_handle = l->handle;
    return FCP_ST_OK;
}

enum fcp_status fcp_lun_close(struct fcp_adapter *a, uint32_t port_handle,
                              uint32_t lun_handle)
{
    if (!a) {
        return FCP_ST_ERR_INVALID;
    }
    struct fcp_port *p;
    struct fcp_lun *l;
    enum fcp_status st = fcp_resolve(a, port_handle, lun_handle, &p, &l);
    if (st != FCP_ST_OK) {
        return st;
    }
    l->state = FCP_LUN_CLOSED;
    l->handle = 0;
    return FCP_ST_OK;
}

enum fcp_status fcp_lun_get_state(const struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                                  enum fcp_lun_state *st)
{
    if (!a || !st) {
        return FCP_ST_ERR_INVALID;
    }
    struct fcp_port *p = fcp_find_port(a, wwpn);
    if (!p) {
        return FCP_ST_ERR_NOT_FOUND;
    }
    struct fcp_lun *l = fcp_find_lun(p, lun);
    if (!l && lun == 0) {
        l = &p->lun0;
    }
    if (!l) {
        return FCP_ST_ERR_NOT_FOUND;
    }
    *st = l->state;
    return FCP_ST_OK;
}

/* ---- faults --------------------------------------------------------------- */

static void slot_arm(struct fcp_fault_slot *s, const struct fcp_fault *f)
{
    uint64_t fired = s->fired;
    memset(s, 0, sizeof(*s));
    s->fired = fired;
    s->armed = true;
    s->lba = f->lba;
    s->count = f->count;
    s->skip = f->skip;
    s->remaining = f->times;
    s->unlimited = f->times == 0;
}

enum fcp_status fcp_lun_fault_set(struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                                  const struct fcp_fault *f)
{
    struct fcp_lun *l;
    if (!f) {
        return FCP_ST_ERR_INVALID;
    }
    enum fcp_status st = find_port_lun(a, wwpn, lun, NULL, &l);
    if (st != FCP_ST_OK) {
        return st;
    }
    switch (f->kind) {
    case FCP_FAULT_LINK_DOWN:
        if (f->lba >= l->bk.nblocks) {
            return FCP_ST_ERR_INVALID;
        }
        break;
    case FCP_FAULT_MEDIUM_ERROR:
        if (f->count == 0 || f->lba >= l->bk.nblocks ||
            f->count > l->bk.nblocks - f->lba) {
            return FCP_ST_ERR_INVALID;
        }
        break;
    case FCP_FAULT_TIMEOUT:
        break;
    case FCP_FAULT_LUN_REMOVED:
        l->state = FCP_LUN_REMOVED;
        /* the handle is kept so later uses of it can be counted */
        break;
    default:
        return FCP_ST_ERR_INVALID;
    }
    slot_arm(&l->faults[f->kind], f);
    return FCP_ST_OK;
}

enum fcp_status fcp_lun_fault_clear(struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                                    enum fcp_fault_kind kind)
{
    struct fcp_lun *l;
    enum fcp_status st = find_port_lun(a, wwpn, lun, NULL, &l);
    if (st != FCP_ST_OK) {
        return st;
    }
    if ((unsigned)kind >= FCP_FAULT_KINDS || kind == FCP_FAULT_PORT_REJECT) {
        return FCP_ST_ERR_INVALID;
    }
    if (kind == FCP_FAULT_LUN_REMOVED && l->state == FCP_LUN_REMOVED) {
        l->state = FCP_LUN_CLOSED;
        l->handle = 0;
    }
    l->faults[kind].armed = false;
    return FCP_ST_OK;
}

enum fcp_status fcp_lun_fault_fired(const struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                                    enum fcp_fault_kind kind, uint64_t *count)
{
    struct fcp_lun *l;
    enum fcp_status st = find_port_lun(a, wwpn, lun, NULL, &l);
    if (st != FCP_ST_OK) {
        return st;
    }
    if (!count || (unsigned)kind >= FCP_FAULT_KINDS || kind == FCP_FAULT_PORT_REJECT) {
        return FCP_ST_ERR_INVALID;
    }
    *count = l->faults[kind].fired;
    return FCP_ST_OK;
}

enum fcp_status fcp_port_fault_set(struct fcp_adapter *a, uint64_t wwpn,
                                   const struct fcp_fault *f)
{
    if (!a || !f || f->kind != FCP_FAULT_PORT_REJECT) {
        return FCP_ST_ERR_INVALID;
    }
    struct fcp_port *p = fcp_find_port(a, wwpn);
    if (!p) {
        return FCP_ST_ERR_NOT_FOUND;
    }
    slot_arm(&p->faults[f->kind], f);
    return FCP_ST_OK;
}

enum fcp_status fcp_port_fault_clear(struct fcp_adapter *a, uint64_t wwpn,
                                     enum fcp_fault_kind kind)
{
    if (!a || kind != FCP_FAULT_PORT_REJECT) {
        return FCP_ST_ERR_INVALID;
    }
    struct fcp_port *p = fcp_find_port(a, wwpn);
    if (!p) {
        return FCP_ST_ERR_NOT_FOUND;
    }
    p->faults[kind].armed = false;
    return FCP_ST_OK;
}

enum fcp_status fcp_port_fault_fired(const struct fcp_adapter *a, uint64_t wwpn,
                                     enum fcp_fault_kind kind, uint64_t *count)
{
    if (!a || !count || kind != FCP_FAULT_PORT_REJECT) {
        return FCP_ST_ERR_INVALID;
    }
    struct fcp_port *p = fcp_find_port(a, wwpn);
    if (!p) {
        return FCP_ST_ERR_NOT_FOUND;
    }
    *count = p->faults[kind].fired;
    return FCP_ST_OK;
}

/* ---- statistics ------------------------------------------------------------- */

enum fcp_status fcp_adapter_stats(const struct fcp_adapter *a, struct fcp_stats *out)
{
    if (!a || !out) {
        return FCP_ST_ERR_INVALID;
    }
    *out = a->stats;
    return FCP_ST_OK;
}

enum fcp_status fcp_lun_stats(const struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                              struct fcp_stats *out)
{
    struct fcp_lun *l;
    if (!out) {
        return FCP_ST_ERR_INVALID;
    }
    enum fcp_status st = find_port_lun(a, wwpn, lun, NULL, &l);
    if (st != FCP_ST_OK) {
        return st;
    }
    *out = l->stats;
    return FCP_ST_OK;
}
