/*
 * QDIO queue model, device side (layouts and contract in fcp/qdio.h).
 *
 * Driver side it answers: Linux 6.1 drivers/s390/cio/qdio_setup.c
 * (setup_qdr, setup_storage_lists), qdio_main.c (qdio_establish -> the
 * ESTABLISH QUEUES CCW; do_QDIO -> SIGA-w after priming output buffers;
 * qdio_inbound_q_moved / get_inbound_buffer_frontier reading input SLSB
 * states; process_buffer_error for SLSB error states) and
 * drivers/s390/scsi/zfcp_qdio.c (request layout: element 0 = request id
 * with SBAL_SFLAGS0_COMMAND | sbtype, element 1 = QTCB or status-read
 * buffer, then data; MORE_SBALS in element 0 of every SBAL but the last;
 * SBAL_EFLAGS_LAST_ENTRY on the last element).
 *
 * Order of checks for every guest block: copy it (host mem_read into a
 * private buffer), validate lengths and addresses against guest memory
 * size, then act.  A failed host access is treated like an address error.
 */
#include <stdio.h>
#include <string.h>

#include <dumpbench/be.h>

#include "fcp/qdio.h"

#define QDESC_WORDS     (sizeof(struct qdio_qdesfmt0) / 4)

const char *qdio_status_name(enum qdio_status st)
{
    static const char *const names[] = {
        [QDIO_OK] = "QDIO_OK",
        [QDIO_ERR_INVALID] = "QDIO_ERR_INVALID",
        [QDIO_ERR_STATE] = "QDIO_ERR_STATE",
        [QDIO_ERR_FORMAT] = "QDIO_ERR_FORMAT",
        [QDIO_ERR_ADDR] = "QDIO_ERR_ADDR",
        [QDIO_ERR_MISMATCH] = "QDIO_ERR_MISMATCH",
        [QDIO_ERR_NO_BUFFER] = "QDIO_ERR_NO_BUFFER",
        [QDIO_ERR_SLSB] = "QDIO_ERR_SLSB",
        [QDIO_ERR_HOST] = "QDIO_ERR_HOST",
    };
    if ((unsigned)st >= sizeof(names) / sizeof(names[0]) || !names[st]) {
        return "QDIO_ERR_?";
    }
    return names[st];
}

static enum qdio_status qfail(struct qdio_queues *q, enum qdio_status st, const char *fmt,
                              const char *what, uint64_t val)
{
    snprintf(q->errmsg, sizeof(q->errmsg), fmt, what, (unsigned long long)val);
    return st;
}

/* [addr, addr+len) inside guest memory, no wrap. */
static bool range_ok(const struct db_host *h, uint64_t addr, uint64_t len)
{
    uint64_t size = db_host_mem_size(h);
    return len <= size && addr <= size - len;
}

void qdio_reset(struct qdio_queues *q)
{
    if (q) {
        memset(q, 0, sizeof(*q));
    }
}

/* Validate one queue descriptor and copy its SL; *out written only on success. */
static enum qdio_status load_queue(struct qdio_queues *q, const struct db_host *h,
                                   const struct qdio_qdesfmt0 *d, const char *name,
                                   struct qdio_queue *out)
{
    struct qdio_queue t;
    memset(&t, 0, sizeof(t));
    t.slib = db_ld_be64(d->sliba);
    t.sl = db_ld_be64(d->sla);
    t.slsb = db_ld_be64(d->slsba);
    char what[24];
    snprintf(what, sizeof(what), "%s SLIB", name);
    if (t.slib % QDIO_SLIB_ALIGN || !range_ok(h, t.slib, sizeof(struct qdio_slib))) {
        return qfail(q, QDIO_ERR_ADDR, "%s address %#llx outside memory or not 2K aligned",
                     what, t.slib);
    }
    snprintf(what, sizeof(what), "%s SL", name);
    if (t.sl % QDIO_SL_ALIGN || !range_ok(h, t.sl, sizeof(struct qdio_sl))) {
        return qfail(q, QDIO_ERR_ADDR, "%s address %#llx outside memory or not 1K aligned",
                     what, t.sl);
    }
    snprintf(what, sizeof(what), "%s SLSB", name);
    if (t.slsb % QDIO_SLSB_ALIGN || !range_ok(h, t.slsb, sizeof(struct qdio_slsb))) {
        return qfail(q, QDIO_ERR_ADDR, "%s address %#llx outside memory or not 256 aligned",
                     what, t.slsb);
    }
    uint8_t slib[QDIO_SLIB_HDR_LEN];
    if (db_host_read(h, t.slib, slib, sizeof(slib)) != 0) {
        return qfail(q, QDIO_ERR_HOST, "%s read at %#llx failed", name, t.slib);
    }
    /* setup_storage_lists: slib->sla = sl, slib->slsba = slsb. */
    if (db_ld_be64(slib + 8) != t.sl || db_ld_be64(slib + 16) != t.slsb) {
        return qfail(q, QDIO_ERR_MISMATCH, "%s SLIB names another SL/SLSB (SLIB %#llx)",
                     name, t.slib);
    }
    struct qdio_sl sl;
    if (db_host_read(h, t.sl, &sl, sizeof(sl)) != 0) {
        return qfail(q, QDIO_ERR_HOST, "%s SL read at %#llx failed", name, t.sl);
    }
    for (unsigned i = 0; i < QDIO_MAX_BUFFERS_PER_Q; i++) {
        uint64_t a = db_ld_be64(sl.sbal[i]);
        if (a % QDIO_SBAL_ALIGN || !range_ok(h, a, QDIO_SBAL_SIZE)) {
            snprintf(q->errmsg, sizeof(q->errmsg),
                     "%s SL entry %u: SBAL %#llx outside memory or not 256 aligned", name, i,
                     (unsigned long long)a);
            return QDIO_ERR_ADDR;
        }
        t.sbal[i] = a;
    }
    *out = t;
    return QDIO_OK;
}

enum qdio_status qdio_establish(struct qdio_queues *q, const struct db_host *h,
                                uint64_t qdr_addr, uint32_t count)
{
    if (!q || !h) {
        return QDIO_ERR_INVALID;
    }
    q->errmsg[0] = '\0';
    if (q->established) {
        return qfail(q, QDIO_ERR_STATE, "%s: queues already established (QDR %#llx)",
                     "ESTABLISH", qdr_addr);
    }
    /* Header plus one input and one output descriptor must be in the CCW. */
    const uint32_t need = QDIO_QDR_HDR_LEN + 2 * sizeof(struct qdio_qdesfmt0);
    if (count < need) {
        return qfail(q, QDIO_ERR_FORMAT, "%s: CCW count %llu shorter than the QDR",
                     "ESTABLISH", count);
    }
    if (!range_ok(h, qdr_addr, need)) {
        return qfail(q, QDIO_ERR_ADDR, "%s address %#llx outside memory", "QDR", qdr_addr);
    }
    struct qdio_qdr qdr;
    memset(&qdr, 0, sizeof(qdr));
    if (db_host_read(h, qdr_addr, &qdr, need) != 0) {
        return qfail(q, QDIO_ERR_HOST, "%s read at %#llx failed", "QDR", qdr_addr);
    }
    if (qdr.qfmt != QDIO_ZFCP_QFMT) {
        return qfail(q, QDIO_ERR_FORMAT, "%s %llu not supported (only QDIO_ZFCP_QFMT 1)",
                     "QDR qfmt", qdr.qfmt);
    }
    if (qdr.iqdcnt != 1 || qdr.oqdcnt != 1) {
        snprintf(q->errmsg, sizeof(q->errmsg),
                 "QDR has %u input / %u output queues, the FCP model takes 1 / 1", qdr.iqdcnt,
                 qdr.oqdcnt);
        return QDIO_ERR_FORMAT;
    }
    if (qdr.iqdsz != QDESC_WORDS || qdr.oqdsz != QDESC_WORDS) {
        snprintf(q->errmsg, sizeof(q->errmsg),
                 "QDR descriptor sizes %u/%u words, expected %u (qdesfmt0)", qdr.iqdsz,
                 qdr.oqdsz, (unsigned)QDESC_WORDS);
        return QDIO_ERR_FORMAT;
    }
    struct qdio_queue in, out;
    enum qdio_status st = load_queue(q, h, &qdr.qdf0[0], "input", &in);
    if (st != QDIO_OK) {
        return st;
    }
    st = load_queue(q, h, &qdr.qdf0[1], "output", &out);
    if (st != QDIO_OK) {
        return st;
    }
    memset(&q->stats, 0, sizeof(q->stats));
    q->qfmt = qdr.qfmt;
    q->ac = qdr.ac;
    q->qdr = qdr_addr;
    q->qib = db_ld_be64(qdr.qiba);
    q->in = in;
    q->out = out;
    q->established = true;
    return QDIO_OK;
}

static int slsb_get(const struct db_host *h, const struct qdio_queue *qu, unsigned i, uint8_t *v)
{
    return db_host_read(h, qu->slsb + i, v, 1);
}

static int slsb_set(const struct db_host *h, const struct qdio_queue *qu, unsigned i, uint8_t v)
{
    return db_host_write(h, qu->slsb + i, &v, 1);
}

static const char *sbalf15_name(int reason)
{
    switch (reason) {
    case QDIO_SBALF15_ADDR: return "address outside guest memory";
    case QDIO_SBALF15_LENGTH: return "length above 4096";
    case QDIO_SBALF15_NO_LAST: return "no SBALE with LAST_ENTRY";
    case QDIO_SBALF15_CHAIN: return "bad MORE_SBALS chain";
    case QDIO_SBALF15_NO_COMMAND: return "first SBAL without COMMAND flag";
    case QDIO_SBALF15_SLSB_STATE: return "unexpected SLSB state";
    case QDIO_SBALF15_REQUEST: return "request rejected";
    default: return "?";
    }
}

/* Store SBALF 14 (error index) / SBALF 15 (reason) into an SBAL. */
static void sbal_set_error(const struct db_host *h, uint64_t sbal, unsigned erridx,
                           uint8_t reason)
{
    uint8_t f14 = (uint8_t)(erridx & 0x0f);
    (void)db_host_write(h, sbal + 14 * sizeof(struct qdio_sbale) + 3, &f14, 1);
    (void)db_host_write(h, sbal + 15 * sizeof(struct qdio_sbale) + 3, &reason, 1);
}

/*
 * Parse the request starting at output buffer `first` into *r.  Returns 0
 * or a QDIO_SBALF15_* reason with *erridx = failing SBALE; r->nsbals is
 * always the number of SBALs that belong to the request as far as parsed
 * (>= 1), so the caller can retire them.
 */
static int parse_request(struct qdio_queues *q, const struct db_host *h, unsigned first,
                         struct qdio_req *r, unsigned *erridx)
{
    memset(r, 0, offsetof(struct qdio_req, seg));
    r->first = first;
    *erridx = 0;
    unsigned idx = first;
    for (unsigned n = 0;; n++) {
        struct qdio_sbal sbal;
        r->nsbals = n + 1;
        if (db_host_read(h, q->out.sbal[idx], &sbal, sizeof(sbal)) != 0) {
            return QDIO_SBALF15_ADDR;
        }
        unsigned e0 = 0;
        if (n == 0) {
            if (!(sbal.element[0].sflags & SBAL_SFLAGS0_COMMAND)) {
                return QDIO_SBALF15_NO_COMMAND;
            }
            r->req_id = db_ld_be64(sbal.element[0].addr);
            r->sflags0 = sbal.element[0].sflags;
            if (sbal.element[0].eflags & SBAL_EFLAGS_LAST_ENTRY) {
                if (sbal.element[0].sflags & SBAL_SFLAGS0_MORE_SBALS) {
                    return QDIO_SBALF15_CHAIN;
                }
                return 0;                       /* request id only, no data */
            }
            e0 = 1;
        }
        bool last = false;
        for (unsigned e = e0; e < QDIO_MAX_ELEMENTS_PER_BUFFER; e++) {
            const struct qdio_sbale *el = &sbal.element[e];
            uint32_t len = db_ld_be32(el->length);
            uint64_t addr = db_ld_be64(el->addr);
            *erridx = e;
            if (len == 0) {
                /* An element without data: zfcp leaves element 1 (the
                 * QTCB slot, zfcp_qdio_req_init: sbale_curr = 1) empty
                 * for requests without a QTCB, e.g. the status-read
                 * buffer goes into element 2 (zfcp_fsf_status_read ->
                 * zfcp_qdio_fill_next).  It carries nothing: skip it. */
                if (el->eflags & SBAL_EFLAGS_LAST_ENTRY) {
                    last = true;
                    break;
                }
                continue;
            }
            if (len > QDIO_SBALE_MAX_LEN) {
                return QDIO_SBALF15_LENGTH;
            }
            if (!range_ok(h, addr, len)) {
                return QDIO_SBALF15_ADDR;
            }
            if (r->nseg >= QDIO_MAX_SEGS) {
                return QDIO_SBALF15_CHAIN;
            }
            r->seg[r->nseg].addr = addr;
            r->seg[r->nseg].len = len;
            r->seg[r->nseg].eflags = el->eflags;
            r->nseg++;
            if (el->eflags & SBAL_EFLAGS_LAST_ENTRY) {
                last = true;
                break;
            }
        }
        if (!last) {
            *erridx = QDIO_MAX_ELEMENTS_PER_BUFFER - 1;
            return QDIO_SBALF15_NO_LAST;
        }
        if (!(sbal.element[0].sflags & SBAL_SFLAGS0_MORE_SBALS)) {
            return 0;
        }
        /* Chained: the next buffer must be primed too, within the limit. */
        *erridx = 0;
        if (n + 1 >= QDIO_MAX_SBALS_PER_REQ) {
            return QDIO_SBALF15_CHAIN;
        }
        idx = (idx + 1) % QDIO_MAX_BUFFERS_PER_Q;
        uint8_t st;
        if (idx == first || slsb_get(h, &q->out, idx, &st) != 0 ||
            st != SLSB_CU_OUTPUT_PRIMED) {
            return QDIO_SBALF15_CHAIN;
        }
    }
}

enum qdio_status qdio_output_kick(struct qdio_queues *q, const struct db_host *h,
                                  qdio_req_fn fn, void *opaque, unsigned *errors)
{
    if (errors) {
        *errors = 0;
    }
    if (!q || !h || !fn) {
        return QDIO_ERR_INVALID;
    }
    if (!q->established) {
        return QDIO_ERR_STATE;
    }
    struct qdio_req req;
    unsigned done = 0, nerr = 0;
    while (done < QDIO_MAX_BUFFERS_PER_Q) {
        unsigned idx = q->out.cursor;
        uint8_t st;
        if (slsb_get(h, &q->out, idx, &st) != 0) {
            return QDIO_ERR_HOST;
        }
        uint8_t owner = st & SLSB_OWNER_MASK;
        if (owner == SLSB_OWNER_PROG) {
            break;                              /* nothing (more) for the device */
        }
        if (owner != SLSB_OWNER_CU || st != SLSB_CU_OUTPUT_PRIMED) {
            /* A state zfcp/qdio never sets on an output queue. */
            snprintf(q->errmsg, sizeof(q->errmsg), "output buffer %u: SLSB state 0x%02x",
                     idx, st);
            sbal_set_error(h, q->out.sbal[idx], 0, QDIO_SBALF15_SLSB_STATE);
            (void)slsb_set(h, &q->out, idx, SLSB_P_OUTPUT_ERROR);
            q->stats.sbals_out++;
            q->stats.sbal_errors++;
            nerr++;
            q->out.cursor = (idx + 1) % QDIO_MAX_BUFFERS_PER_Q;
            done++;
            continue;
        }
        unsigned erridx = 0;
        int reason = parse_request(q, h, idx, &req, &erridx);
        if (reason != 0) {
            snprintf(q->errmsg, sizeof(q->errmsg),
                     "output buffer %u (SBAL %u of the request), SBALE %u: %s",
                     idx, req.nsbals - 1, erridx, sbalf15_name(reason));
        }
        if (reason == 0) {
            q->stats.requests++;
            reason = fn(opaque, h, &req);
            erridx = 0;
        }
        uint8_t nst = reason ? SLSB_P_OUTPUT_ERROR : SLSB_P_OUTPUT_EMPTY;
        if (reason) {
            sbal_set_error(h, q->out.sbal[idx], erridx, (uint8_t)reason);
        }
        for (unsigned k = 0; k < req.nsbals; k++) {
            unsigned b = (idx + k) % QDIO_MAX_BUFFERS_PER_Q;
            (void)slsb_set(h, &q->out, b, nst);
            q->stats.sbals_out++;
            if (reason) {
                q->stats.sbal_errors++;
                nerr++;
            }
        }
        q->out.cursor = (idx + req.nsbals) % QDIO_MAX_BUFFERS_PER_Q;
        done += req.nsbals;
    }
    if (errors) {
        *errors = nerr;
    }
    return QDIO_OK;
}

enum qdio_status qdio_input_fill(struct qdio_queues *q, const struct db_host *h,
                                 const uint64_t *ids, unsigned n, unsigned *used)
{
    if (used) {
        *used = 0;
    }
    if (!q || !h || !ids || n == 0) {
        return QDIO_ERR_INVALID;
    }
    if (!q->established) {
        return QDIO_ERR_STATE;
    }
    unsigned idx = q->in.cursor;
    uint8_t st;
    if (slsb_get(h, &q->in, idx, &st) != 0) {
        return QDIO_ERR_HOST;
    }
    if ((st & SLSB_OWNER_MASK) == SLSB_OWNER_PROG) {
        return QDIO_ERR_NO_BUFFER;
    }
    if (st != SLSB_CU_INPUT_EMPTY) {
        sbal_set_error(h, q->in.sbal[idx], 0, QDIO_SBALF15_SLSB_STATE);
        (void)slsb_set(h, &q->in, idx, SLSB_P_INPUT_ERROR);
        q->stats.input_errors++;
        q->in.cursor = (idx + 1) % QDIO_MAX_BUFFERS_PER_Q;
        return QDIO_ERR_SLSB;
    }
    unsigned cnt = n < QDIO_MAX_ELEMENTS_PER_BUFFER ? n : QDIO_MAX_ELEMENTS_PER_BUFFER;
    struct qdio_sbale el[QDIO_MAX_ELEMENTS_PER_BUFFER];
    memset(el, 0, sizeof(el));
    for (unsigned i = 0; i < cnt; i++) {
        db_st_be64(el[i].addr, ids[i]);
    }
    el[cnt - 1].eflags = SBAL_EFLAGS_LAST_ENTRY;
    if (db_host_write(h, q->in.sbal[idx], el, cnt * sizeof(el[0])) != 0 ||
        slsb_set(h, &q->in, idx, SLSB_P_INPUT_PRIMED) != 0) {
        return QDIO_ERR_HOST;
    }
    q->in.cursor = (idx + 1) % QDIO_MAX_BUFFERS_PER_Q;
    q->stats.sbals_in++;
    q->stats.responses += cnt;
    if (used) {
        *used = cnt;
    }
    return QDIO_OK;
}
