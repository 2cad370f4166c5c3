/*
 * dumpbench: the libfcp side of the dumpbench-fcp device glue (see
 * dumpbench-fcp-model.h).  Includes only libfcp and the neutral dumpbench
 * headers.
 *
 * This work is licensed under the terms of the GNU GPL, version 2 or (at
 * your option) any later version.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dumpbench/host.h>
#include <fcp/fcp.h>
#include <fcp/fsf.h>
#include <fcp/qdio.h>
#include <fcp/ssqd.h>

#include "dumpbench-fcp-model.h"

_Static_assert(DBF_CIW_TYPE_EQUEUE == QDIO_CIW_TYPE_EQUEUE, "CIW mirror");
_Static_assert(DBF_CIW_TYPE_AQUEUE == QDIO_CIW_TYPE_AQUEUE, "CIW mirror");
_Static_assert(DBF_EQUEUE_CMD == QDIO_EQUEUE_CIW_CMD, "CIW mirror");
_Static_assert(DBF_AQUEUE_CMD == QDIO_AQUEUE_CIW_CMD, "CIW mirror");
_Static_assert(DBF_EQUEUE_COUNT == QDIO_EQUEUE_CIW_COUNT, "CIW mirror");
_Static_assert(DBF_AQUEUE_COUNT == QDIO_AQUEUE_CIW_COUNT, "CIW mirror");
_Static_assert(DBF_CHSC_SSQD == CHSC_SSQD_CODE, "SSQD mirror");

/* N_Port ID of the point-to-point peer (any non-zero 24-bit value; the
 * adapter's own S_ID is libfcp's default 0x010100). */
#define DBF_PEER_DID            0x010200u
#define DBF_BLOCK_SIZE          512u

static const char *const fault_names[FCP_FAULT_KINDS] = {
    [FCP_FAULT_LINK_DOWN] = "link-down",
    [FCP_FAULT_MEDIUM_ERROR] = "medium-error",
    [FCP_FAULT_TIMEOUT] = "timeout",
    [FCP_FAULT_LUN_REMOVED] = "lun-removed",
    [FCP_FAULT_PORT_REJECT] = "port-reject",
};

struct dbf {
    struct dbf_config cfg;
    char *file[DBF_MAX_LUNS];
    struct db_host host;
    struct fcp_adapter *a;
    struct fsf_dev *f;
    FILE *log;
    /* armed[lun][kind]; PORT_REJECT lives in armed[0] */
    bool armed[DBF_MAX_LUNS][FCP_FAULT_KINDS];
    uint64_t fired_seen[DBF_MAX_LUNS][FCP_FAULT_KINDS];
    char lasterr[200];
};

static void dbf_log(struct dbf *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void dbf_log(struct dbf *d, const char *fmt, ...)
{
    if (!d->log) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vfprintf(d->log, fmt, ap);
    va_end(ap);
    fputc('\n', d->log);
    fflush(d->log);
}

static void trace_cb(void *opaque, const char *line)
{
    dbf_log(opaque, "fsf %s", line);
}

static uint64_t fired(const struct dbf *d, unsigned lun, enum fcp_fault_kind k)
{
    uint64_t n = 0;
    if (k == FCP_FAULT_PORT_REJECT) {
        if (lun == 0) {
            (void)fcp_port_fault_fired(d->a, d->cfg.wwpn, k, &n);
        }
    } else {
        (void)fcp_lun_fault_fired(d->a, d->cfg.wwpn, d->cfg.lun[lun], k, &n);
    }
    return n;
}

/* Log every fault that fired since the last look. */
static void check_fired(struct dbf *d)
{
    for (unsigned l = 0; l < d->cfg.nluns; l++) {
        for (unsigned k = 0; k < FCP_FAULT_KINDS; k++) {
            uint64_t n = fired(d, l, k);
            if (n != d->fired_seen[l][k]) {
                if (k == FCP_FAULT_PORT_REJECT) {
                    dbf_log(d, "fault %s (port) fired (%" PRIu64 " times in all)",
                            fault_names[k], n);
                } else {
                    dbf_log(d, "fault %s lun %u fired (%" PRIu64 " times in all)",
                            fault_names[k], l, n);
                }
                d->fired_seen[l][k] = n;
            }
        }
    }
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

struct dbf *dbf_new(const struct dbf_config *cfg, const struct db_host *host,
                    char *err, size_t errlen)
{
    if (!cfg || !host || cfg->nluns < 1 || cfg->nluns > DBF_MAX_LUNS) {
        set_err(err, errlen, "bad configuration");
        return NULL;
    }
    struct dbf *d = calloc(1, sizeof(*d));
    if (!d) {
        set_err(err, errlen, "out of memory");
        return NULL;
    }
    d->cfg = *cfg;
    d->host = *host;
    d->cfg.log = NULL;
    for (unsigned i = 0; i < cfg->nluns; i++) {
        d->file[i] = cfg->file[i] ? strdup(cfg->file[i]) : NULL;
        d->cfg.file[i] = d->file[i];
    }
    if (cfg->log) {
        d->log = fopen(cfg->log, "w");
        if (!d->log) {
            set_err(err, errlen, "log: cannot open '%s'", cfg->log);
            goto fail;
        }
    }
    struct fcp_adapter_config ac;
    fcp_adapter_default_config(&ac, cfg->devno);
    ac.cssid = cfg->cssid;
    ac.ssid = cfg->ssid;
    ac.topology = FSF_TOPO_P2P;
    enum fcp_status st = fcp_adapter_new(&ac, &d->a);
    if (st != FCP_ST_OK) {
        set_err(err, errlen, "fcp_adapter_new: %s", fcp_status_name(st));
        goto fail;
    }
    st = fcp_port_add(d->a, cfg->wwpn, DBF_PEER_DID);
    if (st != FCP_ST_OK) {
        set_err(err, errlen, "wwpn %#" PRIx64 ": %s %s", cfg->wwpn, fcp_status_name(st),
                fcp_adapter_errmsg(d->a));
        goto fail;
    }
    for (unsigned i = 0; i < cfg->nluns; i++) {
        if (!d->file[i]) {
            set_err(err, errlen, "file%u is required", i);
            goto fail;
        }
        st = fcp_lun_add_file(d->a, cfg->wwpn, cfg->lun[i], d->file[i], DBF_BLOCK_SIZE);
        if (st != FCP_ST_OK) {
            set_err(err, errlen, "lun%u %#" PRIx64 " file%u '%s': %s %s", i, cfg->lun[i], i,
                    d->file[i], fcp_status_name(st), fcp_adapter_errmsg(d->a));
            goto fail;
        }
    }
    struct fsf_config fc = {
        .peer_wwpn = cfg->wwpn,
        .trace = d->log ? trace_cb : NULL,
        .trace_opaque = d,
    };
    st = fsf_dev_new(d->a, &fc, &d->f);
    if (st != FCP_ST_OK) {
        set_err(err, errlen, "fsf_dev_new: %s", fcp_status_name(st));
        goto fail;
    }
    dbf_log(d, "dumpbench-fcp devno %x.%x.%04x wwpn %#" PRIx64 " (p2p, d_id %#x), %u LUN(s)",
            cfg->cssid, cfg->ssid, cfg->devno, cfg->wwpn, DBF_PEER_DID, cfg->nluns);
    return d;
fail:
    dbf_free(d);
    return NULL;
}

void dbf_free(struct dbf *d)
{
    if (!d) {
        return;
    }
    fsf_dev_free(d->f);
    fcp_adapter_free(d->a);
    for (unsigned i = 0; i < DBF_MAX_LUNS; i++) {
        free(d->file[i]);
    }
    if (d->log) {
        fclose(d->log);
    }
    free(d);
}

int dbf_establish(struct dbf *d, uint64_t qdr, uint32_t count)
{
    enum qdio_status st = fsf_establish(d->f, &d->host, qdr, count);
    if (st != QDIO_OK) {
        snprintf(d->lasterr, sizeof(d->lasterr), "%s", fsf_dev_errmsg(d->f));
        dbf_log(d, "establish qdr %#" PRIx64 " count %u: %s (%s)", qdr, count,
                qdio_status_name(st), d->lasterr);
        return -1;
    }
    dbf_log(d, "establish qdr %#" PRIx64 " count %u: ok", qdr, count);
    return 0;
}

bool dbf_established(const struct dbf *d)
{
    const struct qdio_queues *q = fsf_dev_qdio(d->f);
    return q && q->established;
}

void dbf_reset(struct dbf *d)
{
    if (dbf_established(d)) {
        dbf_log(d, "queues shut down (halt/clear subchannel)");
    }
    fsf_reset(d->f);
}

static int siga(struct dbf *d, bool write, bool *pci)
{
    *pci = false;
    if (!dbf_established(d)) {
        return -1;
    }
    const struct qdio_queues *q = fsf_dev_qdio(d->f);
    uint64_t errs = q->stats.sbal_errors + q->stats.input_errors;
    enum qdio_status st = write ? fsf_siga_write(d->f, &d->host, pci)
                                : fsf_siga_read(d->f, &d->host, pci);
    if (q->stats.sbal_errors + q->stats.input_errors != errs) {
        snprintf(d->lasterr, sizeof(d->lasterr), "SBAL error: %s", q->errmsg);
        dbf_log(d, "qdio %s (output errors %" PRIu64 ", input errors %" PRIu64 ")",
                d->lasterr, q->stats.sbal_errors, q->stats.input_errors);
    }
    check_fired(d);
    if (st != QDIO_OK && st != QDIO_ERR_NO_BUFFER) {
        snprintf(d->lasterr, sizeof(d->lasterr), "SIGA-%c: %s %s", write ? 'w' : 'r',
                 qdio_status_name(st), fsf_dev_errmsg(d->f));
        dbf_log(d, "%s", d->lasterr);
        return st == QDIO_ERR_HOST ? -1 : 0;
    }
    return 0;
}

int dbf_siga_write(struct dbf *d, bool *pci)
{
    return siga(d, true, pci);
}

int dbf_siga_read(struct dbf *d, bool *pci)
{
    return siga(d, false, pci);
}

int dbf_fault(struct dbf *d, const char *kind, unsigned lun, bool have_at, uint64_t at,
              bool have_count, uint64_t count, char *msg, size_t msglen)
{
    int k = -1;
    for (unsigned i = 0; i < FCP_FAULT_KINDS; i++) {
        if (kind && !strcmp(kind, fault_names[i])) {
            k = (int)i;
        }
    }
    if (k < 0) {
        set_err(msg, msglen, "unknown fault kind '%s' (link-down, medium-error, timeout, "
                "lun-removed, port-reject)", kind ? kind : "");
        return -1;
    }
    if (lun >= d->cfg.nluns) {
        set_err(msg, msglen, "lun=%u: the device has %u LUN(s)", lun, d->cfg.nluns);
        return -1;
    }
    struct fcp_fault f = { .kind = (enum fcp_fault_kind)k };
    switch (f.kind) {
    case FCP_FAULT_LINK_DOWN:
        if (have_count) {
            set_err(msg, msglen, "link-down takes no count");
            return -1;
        }
        f.lba = have_at ? at : 0;
        break;
    case FCP_FAULT_MEDIUM_ERROR:
        f.lba = have_at ? at : 0;
        f.count = have_count ? count : 1;
        if (f.count == 0) {
            set_err(msg, msglen, "count must be >= 1");
            return -1;
        }
        break;
    case FCP_FAULT_TIMEOUT:
    case FCP_FAULT_PORT_REJECT:
        if ((have_at && at > UINT32_MAX) || (have_count && count > UINT32_MAX)) {
            set_err(msg, msglen, "at-block and count must be <= 4294967295");
            return -1;
        }
        f.skip = have_at ? (uint32_t)at : 0;
        f.times = have_count ? (uint32_t)count : 0;
        break;
    case FCP_FAULT_LUN_REMOVED:
        if (have_at || have_count) {
            set_err(msg, msglen, "lun-removed takes no at-block or count");
            return -1;
        }
        break;
    default:
        break;
    }
    enum fcp_status st = f.kind == FCP_FAULT_PORT_REJECT
                             ? fcp_port_fault_set(d->a, d->cfg.wwpn, &f)
                             : fcp_lun_fault_set(d->a, d->cfg.wwpn, d->cfg.lun[lun], &f);
    if (st != FCP_ST_OK) {
        set_err(msg, msglen, "%s: %s %s", fault_names[k], fcp_status_name(st),
                fcp_adapter_errmsg(d->a));
        return -1;
    }
    unsigned slot = f.kind == FCP_FAULT_PORT_REJECT ? 0 : lun;
    d->armed[slot][k] = true;
    if (f.kind == FCP_FAULT_PORT_REJECT) {
        set_err(msg, msglen, "fault %s armed on the port: skip %u times %u", fault_names[k],
                f.skip, f.times);
    } else if (f.kind == FCP_FAULT_TIMEOUT) {
        set_err(msg, msglen, "fault %s armed on lun %u: skip %u times %u", fault_names[k], lun,
                f.skip, f.times);
    } else if (f.kind == FCP_FAULT_MEDIUM_ERROR) {
        set_err(msg, msglen, "fault %s armed on lun %u: lba %" PRIu64 " count %" PRIu64,
                fault_names[k], lun, f.lba, f.count);
    } else if (f.kind == FCP_FAULT_LINK_DOWN) {
        set_err(msg, msglen, "fault %s armed on lun %u: lba %" PRIu64, fault_names[k], lun,
                f.lba);
    } else {
        set_err(msg, msglen, "fault %s armed on lun %u", fault_names[k], lun);
    }
    dbf_log(d, "%s", msg);
    return 0;
}

int dbf_fault_clear(struct dbf *d, char *msg, size_t msglen)
{
    unsigned n = 0;
    for (unsigned l = 0; l < d->cfg.nluns; l++) {
        for (unsigned k = 0; k < FCP_FAULT_KINDS; k++) {
            enum fcp_status st = k == FCP_FAULT_PORT_REJECT
                                     ? (l == 0 ? fcp_port_fault_clear(d->a, d->cfg.wwpn, k)
                                               : FCP_ST_ERR_NOT_FOUND)
                                     : fcp_lun_fault_clear(d->a, d->cfg.wwpn, d->cfg.lun[l], k);
            if (st == FCP_ST_OK && d->armed[l][k]) {
                n++;
            }
            d->armed[l][k] = false;
        }
    }
    set_err(msg, msglen, "faults cleared (%u were armed)", n);
    dbf_log(d, "%s", msg);
    return 0;
}

int dbf_link_up(struct dbf *d, bool *pci, char *msg, size_t msglen)
{
    *pci = false;
    enum fcp_status st = fcp_port_link_up(d->a, d->cfg.wwpn);
    if (st != FCP_ST_OK) {
        set_err(msg, msglen, "link-up: port %#" PRIx64 " is not down (%s)", d->cfg.wwpn,
                fcp_status_name(st));
        return -1;
    }
    st = fsf_post_event(d->f, &(struct fsf_event){ FSF_EVT_LINK_UP, 0 });
    if (st != FCP_ST_OK) {
        set_err(msg, msglen, "link-up: event not queued (%s)", fcp_status_name(st));
        return -1;
    }
    if (dbf_established(d)) {
        (void)siga(d, false, pci);
    }
    set_err(msg, msglen, "link up, LINK_UP status %s", *pci ? "delivered" : "queued");
    dbf_log(d, "%s", msg);
    return 0;
}

void dbf_info(struct dbf *d, const char *state, char *buf, size_t len)
{
    struct fsf_stats fs;
    memset(&fs, 0, sizeof(fs));
    (void)fsf_dev_stats(d->f, &fs);
    check_fired(d);
    size_t n = 0;
#define APP(...) do { if (n < len) { n += (size_t)snprintf(buf + n, len - n, __VA_ARGS__); } } while (0)
    APP("state=%s fsf_requests=%" PRIu64 " status_reads=%" PRIu64 "/%" PRIu64
        " rejected=%" PRIu64 " pending=%" PRIu64 " timeouts=%" PRIu64, state, fs.requests,
        fs.status_reads_answered, fs.status_reads_posted, fs.rejected, fs.pending, fs.timeouts);
    for (unsigned l = 0; l < d->cfg.nluns; l++) {
        struct fcp_stats ls;
        memset(&ls, 0, sizeof(ls));
        (void)fcp_lun_stats(d->a, d->cfg.wwpn, d->cfg.lun[l], &ls);
        APP(" lun%u_written=%" PRIu64 " lun%u_read=%" PRIu64, l, ls.bytes_written, l,
            ls.bytes_read);
    }
    unsigned armed = 0;
    uint64_t nfired = 0;
    APP(" faults_armed=");
    for (unsigned l = 0; l < d->cfg.nluns; l++) {
        for (unsigned k = 0; k < FCP_FAULT_KINDS; k++) {
            nfired += d->fired_seen[l][k];
            if (d->armed[l][k]) {
                APP("%s%s:%u", armed ? "," : "", fault_names[k], l);
                armed++;
            }
        }
    }
    if (!armed) {
        APP("none");
    }
    APP(" faults_fired=%" PRIu64, nfired);
    const char *e = d->lasterr[0] ? d->lasterr : fsf_dev_errmsg(d->f);
    APP(" last_error=\"");
    for (const char *p = e; *p && n + 2 < len; p++) {
        buf[n++] = (*p == '"' || *p == '\n') ? '\'' : *p;
        buf[n] = '\0';
    }
    APP("\"");
#undef APP
}

struct kind_ctx {
    int (*kind)(void *opaque, unsigned ssid, unsigned sch);
    void *opaque;
};

static enum ssqd_sch_kind lookup(void *opaque, unsigned ssid, unsigned sch)
{
    struct kind_ctx *c = opaque;
    switch (c->kind(c->opaque, ssid, sch)) {
    case 2:
        return SSQD_SCH_FCP;
    case 1:
        return SSQD_SCH_OTHER;
    default:
        return SSQD_SCH_NONE;
    }
}

size_t dbf_chsc_ssqd(const uint8_t *req, size_t req_len, uint8_t *resp, size_t cap,
                     int (*kind)(void *opaque, unsigned ssid, unsigned sch), void *opaque)
{
    struct kind_ctx c = { kind, opaque };
    size_t len = 0;
    if (!kind) {
        return 0;
    }
    (void)fcp_ssqd_answer(req, req_len, resp, cap, lookup, &c, &len);
    return len;
}
