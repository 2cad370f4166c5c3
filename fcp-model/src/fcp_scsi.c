/*
 * SCSI target side of FSF_QTCB_FCP_CMND: a direct-access block device per
 * LUN (SBC-3) plus the SPC-4 commands every logical unit answers.
 *
 * fcp_scsi_exec check order (each failure changes nothing):
 *   1. arguments (NULL pointers, FCP_DL > 32 bits)       -> FCP_ST_ERR_INVALID
 *   2. CDB length 1..16                                  -> CMND_LENGTH_NOT_VALID
 *   3. at most one data direction                        -> DIRECTION_NOT_VALID
 *   4. port handle, LUN handle                           -> FSF handle errors
 *   5. TIMEOUT fault                                     -> FCP_ST_TIMEOUT
 *   6. opcode known (else CHECK CONDITION 0x20/00), CDB long enough for it
 *      (else CMND_LENGTH_NOT_VALID), data direction matches the opcode
 *      (else DIRECTION_NOT_VALID)
 *   7. LUN 0 stand-in: only INQUIRY / REPORT LUNS / REQUEST SENSE
 *   8. CDB fields (CHECK CONDITION ILLEGAL REQUEST, field pointer set),
 *      LBA range (0x21/00), FCP_DL vs transfer length (0x0e/03)
 *   9. faults in the transfer range, then the transfer.
 * The CDB is copied into a private buffer before any of it is looked at.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dumpbench/be.h>

#include "fcp_internal.h"

enum dir { DIR_NONE, DIR_IN, DIR_OUT };

struct cmd {
    struct fcp_adapter *a;
    struct fcp_port *p;
    struct fcp_lun *l;
    uint8_t cdb[SCSI_CDB_MAX];
    uint8_t *in;
    size_t in_len;
    const uint8_t *out;
    size_t out_len;
    uint64_t dl;                      /* FCP_DL: in_len or out_len */
    struct fcp_scsi_result *res;
};

static const char inq_vendor[8] = {'D', 'U', 'M', 'P', 'B', 'N', 'C', 'H'};
static const char inq_product[16] = {'F', 'C', 'P', ' ', 'M', 'O', 'D', 'E',
                                     'L', ' ', 'D', 'I', 'S', 'K', ' ', ' '};
static const char inq_revision[4] = {'0', '0', '0', '1'};

static uint32_t sat32(uint64_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* ---- results ------------------------------------------------------------ */

/*
 * CHECK CONDITION with fixed-format sense (SPC-4 4.5.3).  info_valid puts
 * `info` into INFORMATION with VALID set (only if it fits 32 bits);
 * field >= 0 sets SKSV, C/D=1 and FIELD POINTER = that CDB byte.
 */
static void check_condition(struct cmd *c, uint8_t key, uint8_t asc, uint8_t ascq,
                            bool info_valid, uint64_t info, int field)
{
    struct scsi_sense_fixed s;
    memset(&s, 0, sizeof(s));
    s.response_code = SCSI_SENSE_FIXED_CURRENT;
    if (info_valid && info <= UINT32_MAX) {
        s.response_code |= SCSI_SENSE_VALID;
        db_st_be32(s.information, (uint32_t)info);
    }
    s.key = key;
    s.add_len = SCSI_SENSE_FIXED_LEN - 8;
    s.asc = asc;
    s.ascq = ascq;
    if (field >= 0) {
        s.sks[0] = SCSI_SKS_SKSV | SCSI_SKS_CD;
        db_st_be16(&s.sks[1], (uint16_t)field);
    }
    memcpy(c->res->sense, &s, sizeof(s));
    c->res->sense_len = SCSI_SENSE_FIXED_LEN;
    c->res->scsi_status = SCSI_STATUS_CHECK_CONDITION;
    c->res->fcp_flags |= FCP_SNS_LEN_VAL;
}

static void invalid_field(struct cmd *c, int field)
{
    check_condition(c, SCSI_SK_ILLEGAL_REQUEST, SCSI_ASC_INVALID_FIELD_IN_CDB, 0,
                    false, 0, field);
}

/* FCP_RESID_UNDER if fewer than FCP_DL bytes were transferred. */
static void resid_under(struct cmd *c)
{
    if (c->res->data_len < c->dl) {
        c->res->fcp_flags |= FCP_RESID_UNDER;
        c->res->resid = sat32(c->dl - c->res->data_len);
    }
}

/* FCP_RESID_OVER: the command wanted `due` bytes, FCP_DL is smaller. */
static void resid_over(struct cmd *c, uint64_t due)
{
    c->res->fcp_flags |= FCP_RESID_OVER;
    c->res->resid = sat32(due - c->dl);
}

/* Parameter data (data-in): min(avail, alloc) bytes are due. */
static void send_param(struct cmd *c, const uint8_t *data, size_t avail, uint64_t alloc)
{
    uint64_t due = avail < alloc ? avail : alloc;
    size_t n = due < c->in_len ? (size_t)due : c->in_len;
    if (n) {
        memcpy(c->in, data, n);
    }
    c->res->data_len = n;
    if (due > c->in_len) {
        resid_over(c, due);
    } else {
        resid_under(c);
    }
}

/* ---- SPC-4 commands ------------------------------------------------------ */

/* NAA 3 (locally assigned) LU name: 3 | low 40 bits of WWPN | LUN bytes 0-1. */
static uint64_t lu_naa(const struct cmd *c)
{
    return (3ULL << 60) | ((c->p->wwpn & 0xffffffffffULL) << 16) | (c->l->lun >> 48);
}

static enum fcp_status op_inquiry(struct cmd *c)
{
    uint8_t buf[64];
    size_t n = 0;
    uint16_t alloc = db_ld_be16(&c->cdb[3]);
    uint8_t page = c->cdb[2];

    if (c->cdb[1] & SCSI_INQ_CMDDT) {
        invalid_field(c, 1);
        return FCP_ST_OK;
    }
    memset(buf, 0, sizeof(buf));
    if (!(c->cdb[1] & SCSI_INQ_EVPD)) {
        if (page != 0) {
            invalid_field(c, 2);
            return FCP_ST_OK;
        }
        /* SPC-4 6.6.2 standard INQUIRY data */
        struct scsi_inquiry_std s;
        memset(&s, 0, sizeof(s));
        s.pdt = c->l->placeholder ? (SCSI_PQ_NOT_CAPABLE | SCSI_PDT_UNKNOWN)
                                  : (SCSI_PQ_CONNECTED | SCSI_PDT_DISK);
        s.version = SCSI_VERSION_SPC4;
        s.flags3 = SCSI_INQ_HISUP | SCSI_INQ_RDF_2;
        s.add_len = SCSI_INQ_STD_LEN - 5;
        s.flags7 = SCSI_INQ_CMDQUE;
        memcpy(s.vendor, inq_vendor, sizeof(s.vendor));
        memcpy(s.product, inq_product, sizeof(s.product));
        memcpy(s.revision, inq_revision, sizeof(s.revision));
        memcpy(buf, &s, sizeof(s));
        send_param(c, buf, sizeof(s), alloc);
        return FCP_ST_OK;
    }
    if (c->l->placeholder) {
        check_condition(c, SCSI_SK_ILLEGAL_REQUEST, SCSI_ASC_LUN_NOT_SUPPORTED, 0,
                        false, 0, -1);
        return FCP_ST_OK;
    }
    buf[0] = SCSI_PQ_CONNECTED | SCSI_PDT_DISK;
    buf[1] = page;
    switch (page) {
    case SCSI_VPD_SUPPORTED_PAGES:     /* SPC-4 7.8.16 */
        buf[4] = SCSI_VPD_SUPPORTED_PAGES;
        buf[5] = SCSI_VPD_UNIT_SERIAL;
        buf[6] = SCSI_VPD_DEVICE_ID;
        n = 7;
        break;
    case SCSI_VPD_UNIT_SERIAL: {       /* SPC-4 7.8.18: ASCII serial number */
        char serial[17];
        snprintf(serial, sizeof(serial), "%016llX", (unsigned long long)lu_naa(c));
        memcpy(&buf[4], serial, 16);
        n = 20;
        break;
    }
    case SCSI_VPD_DEVICE_ID: {         /* SPC-4 7.8.6: LU NAA + target port WWPN */
        struct scsi_designation_desc d;
        d.proto_codeset = SCSI_CODESET_BINARY;
        d.piv_assoc_type = SCSI_ASSOC_LU | SCSI_DESIG_NAA;
        d.reserved = 0;
        d.len = 8;
        memcpy(&buf[4], &d, sizeof(d));
        db_st_be64(&buf[8], lu_naa(c));
        d.proto_codeset = (SCSI_PROTO_FCP << 4) | SCSI_CODESET_BINARY;
        d.piv_assoc_type = SCSI_DESIG_PIV | SCSI_ASSOC_TARGET_PORT | SCSI_DESIG_NAA;
        memcpy(&buf[16], &d, sizeof(d));
        db_st_be64(&buf[20], c->p->wwpn);
        n = 28;
        break;
    }
    default:
        invalid_field(c, 2);
        return FCP_ST_OK;
    }
    db_st_be16(&buf[2], (uint16_t)(n - 4));
    send_param(c, buf, n, alloc);
    return FCP_ST_OK;
}

static enum fcp_status op_test_unit_ready(struct cmd *c)
{
    resid_under(c);
    return FCP_ST_OK;
}

/* SPC-4 6.39: no sense is pending (autosense returns it with the status);
 * DESC=1 asks for descriptor format, which this device does not have. */
static enum fcp_status op_request_sense(struct cmd *c)
{
    if (c->cdb[1] & 0x01) {
        invalid_field(c, 1);
        return FCP_ST_OK;
    }
    struct scsi_sense_fixed s;
    memset(&s, 0, sizeof(s));
    s.response_code = SCSI_SENSE_FIXED_CURRENT;
    s.add_len = SCSI_SENSE_FIXED_LEN - 8;
    if (c->l->placeholder) {
        s.key = SCSI_SK_ILLEGAL_REQUEST;
        s.asc = SCSI_ASC_LUN_NOT_SUPPORTED;
    }
    send_param(c, (const uint8_t *)&s, sizeof(s), c->cdb[4]);
    return FCP_ST_OK;
}

/* SPC-4 6.33: LUN list of the target port, ascending, REMOVED LUNs left out. */
static enum fcp_status op_report_luns(struct cmd *c)
{
    uint8_t select = c->cdb[2];
    uint32_t alloc = db_ld_be32(&c->cdb[6]);

    if (select != SCSI_SELECT_REPORT_ALL && select != SCSI_SELECT_REPORT_WLUN &&
        select != SCSI_SELECT_REPORT_ALL_WLUN) {
        invalid_field(c, 2);
        return FCP_ST_OK;
    }
    if (alloc < SCSI_REPORT_LUNS_MIN_ALLOC) {
        invalid_field(c, 6);
        return FCP_ST_OK;
    }
    size_t count = 0;
    if (select != SCSI_SELECT_REPORT_WLUN) {
        for (size_t i = 0; i < c->p->nluns; i++) {
            count += c->p->luns[i]->state != FCP_LUN_REMOVED;
        }
    }
    size_t len = sizeof(struct scsi_report_luns_hdr) + count * SCSI_LUN_LEN;
    uint8_t *buf = calloc(1, len);
    if (!buf) {
        return FCP_ST_ERR_NOMEM;
    }
    db_st_be32(buf, (uint32_t)(count * SCSI_LUN_LEN));
    size_t off = sizeof(struct scsi_report_luns_hdr);
    for (size_t i = 0; i < c->p->nluns && count; i++) {
        if (c->p->luns[i]->state != FCP_LUN_REMOVED) {
            db_st_be64(&buf[off], c->p->luns[i]->lun);
            off += SCSI_LUN_LEN;
        }
    }
    send_param(c, buf, len, alloc);
    free(buf);
    return FCP_ST_OK;
}

/* ---- SBC-3 commands -------------------------------------------------------- */

/* LBA range check without overflow: [lba, lba+n) inside the medium. */
static bool lba_ok(const struct fcp_lun *l, uint64_t lba, uint64_t n)
{
    return lba <= l->bk.nblocks && n <= l->bk.nblocks - lba;
}

static void lba_out_of_range(struct cmd *c)
{
    check_condition(c, SCSI_SK_ILLEGAL_REQUEST, SCSI_ASC_LBA_OUT_OF_RANGE, 0, false, 0, -1);
    resid_under(c);
}

static enum fcp_status op_read_capacity10(struct cmd *c)
{
    uint32_t lba = db_ld_be32(&c->cdb[2]);
    if (!(c->cdb[8] & SCSI_RC10_PMI) && lba != 0) {
        invalid_field(c, 2);
        return FCP_ST_OK;
    }
    struct scsi_read_cap10 r;
    uint64_t last = c->l->bk.nblocks - 1;
    db_st_be32(r.last_lba, last > 0xfffffffeULL ? 0xffffffffU : (uint32_t)last);
    db_st_be32(r.block_len, c->l->bk.block_size);
    send_param(c, (const uint8_t *)&r, sizeof(r), sizeof(r));
    return FCP_ST_OK;
}

static enum fcp_status op_service_action_in(struct cmd *c)
{
    if ((c->cdb[1] & 0x1f) != SCSI_SAI_READ_CAPACITY_16) {
        invalid_field(c, 1);
        return FCP_ST_OK;
    }
    uint64_t lba = db_ld_be64(&c->cdb[2]);
    uint32_t alloc = db_ld_be32(&c->cdb[10]);
    if (!(c->cdb[14] & SCSI_RC10_PMI) && lba != 0) {
        invalid_field(c, 2);
        return FCP_ST_OK;
    }
    struct scsi_read_cap16 r;
    memset(&r, 0, sizeof(r));
    db_st_be64(r.last_lba, c->l->bk.nblocks - 1);
    db_st_be32(r.block_len, c->l->bk.block_size);
    send_param(c, (const uint8_t *)&r, sizeof(r), alloc);
    return FCP_ST_OK;
}

/*
 * First block of [lba, lba+n) hit by an armed fault, or lba+n if none.
 * Link down applies to writes only; on a tie it wins (the frame never
 * reaches the medium).
 */
static uint64_t first_fault(struct cmd *c, uint64_t lba, uint64_t n, bool write,
                            enum fcp_fault_kind *kind)
{
    uint64_t end = lba + n, first = end;
    const struct fcp_fault_slot *ld = &c->l->faults[FCP_FAULT_LINK_DOWN];
    const struct fcp_fault_slot *me = &c->l->faults[FCP_FAULT_MEDIUM_ERROR];

    if (me->armed && me->lba < end && lba < me->lba + me->count) {
        first = me->lba > lba ? me->lba : lba;
        *kind = FCP_FAULT_MEDIUM_ERROR;
    }
    if (write && ld->armed && ld->lba < end) {
        uint64_t f = ld->lba > lba ? ld->lba : lba;
        if (f <= first) {
            first = f;
            *kind = FCP_FAULT_LINK_DOWN;
        }
    }
    return first;
}

static void count_bytes(struct cmd *c, uint64_t bytes, bool write)
{
    if (write) {
        c->l->stats.bytes_written += bytes;
        c->a->stats.bytes_written += bytes;
    } else {
        c->l->stats.bytes_read += bytes;
        c->a->stats.bytes_read += bytes;
    }
}

/* READ/WRITE(10/16) body, SBC-3 5.8/5.10 (READ), 5.26/5.28 (WRITE). */
static enum fcp_status do_rw(struct cmd *c, uint64_t lba, uint32_t nblk, bool write)
{
    struct fcp_lun *l = c->l;
    uint64_t bs = l->bk.block_size;

    if (!lba_ok(l, lba, nblk)) {
        lba_out_of_range(c);
        return FCP_ST_OK;
    }
    uint64_t due = (uint64_t)nblk * bs;
    if (due > c->dl) {
        /* FCP_DL cannot hold the transfer: refuse it whole (no short I/O) */
        check_condition(c, SCSI_SK_ILLEGAL_REQUEST, SCSI_ASC_INVALID_FIELD_IN_CMD_IU,
                        SCSI_ASCQ_INVALID_FIELD_IN_CMD_IU, false, 0, -1);
        resid_over(c, due);
        return FCP_ST_OK;
    }
    enum fcp_fault_kind kind = FCP_FAULT_KINDS;
    uint64_t first = first_fault(c, lba, nblk, write, &kind);
    size_t bytes = (size_t)((first - lba) * bs);
    int rc = 0;

    if (bytes) {
        rc = write ? l->bk.ops->write(l->bk.ctx, lba * bs, c->out, bytes)
                   : l->bk.ops->read(l->bk.ctx, lba * bs, c->in, bytes);
    }
    if (rc != 0) {
        return FCP_ST_ERR_IO;
    }
    c->res->data_len = bytes;
    count_bytes(c, bytes, write);

    if (kind == FCP_FAULT_LINK_DOWN) {
        l->faults[kind].fired++;
        fcp_port_set_lost(c->p);
        return FCP_ST_LINK_DOWN;
    }
    if (kind == FCP_FAULT_MEDIUM_ERROR) {
        l->faults[kind].fired++;
        check_condition(c, SCSI_SK_MEDIUM_ERROR,
                        write ? SCSI_ASC_WRITE_ERROR : SCSI_ASC_UNRECOVERED_READ_ERROR, 0,
                        true, first, -1);
        resid_under(c);
        return FCP_ST_OK;
    }
    if (write) {
        l->stats.writes++;
        c->a->stats.writes++;
    } else {
        l->stats.reads++;
        c->a->stats.reads++;
    }
    resid_under(c);
    return FCP_ST_OK;
}

static enum fcp_status op_read10(struct cmd *c)
{
    return do_rw(c, db_ld_be32(&c->cdb[2]), db_ld_be16(&c->cdb[7]), false);
}

static enum fcp_status op_read16(struct cmd *c)
{
    return do_rw(c, db_ld_be64(&c->cdb[2]), db_ld_be32(&c->cdb[10]), false);
}

static enum fcp_status op_write10(struct cmd *c)
{
    return do_rw(c, db_ld_be32(&c->cdb[2]), db_ld_be16(&c->cdb[7]), true);
}

static enum fcp_status op_write16(struct cmd *c)
{
    return do_rw(c, db_ld_be64(&c->cdb[2]), db_ld_be32(&c->cdb[10]), true);
}

/* SBC-3 5.22/5.23: NUMBER OF LOGICAL BLOCKS 0 = from lba to the end. */
static enum fcp_status do_sync(struct cmd *c, uint64_t lba, uint64_t n)
{
    if (lba > c->l->bk.nblocks || (n != 0 && !lba_ok(c->l, lba, n))) {
        lba_out_of_range(c);
        return FCP_ST_OK;
    }
    if (c->l->bk.ops->flush(c->l->bk.ctx) != 0) {
        return FCP_ST_ERR_IO;
    }
    c->l->stats.syncs++;
    c->a->stats.syncs++;
    resid_under(c);
    return FCP_ST_OK;
}

static enum fcp_status op_sync10(struct cmd *c)
{
    return do_sync(c, db_ld_be32(&c->cdb[2]), db_ld_be16(&c->cdb[7]));
}

static enum fcp_status op_sync16(struct cmd *c)
{
    return do_sync(c, db_ld_be64(&c->cdb[2]), db_ld_be32(&c->cdb[10]));
}

/* ---- dispatch ---------------------------------------------------------------- */

struct op_desc {
    uint8_t opcode;
    uint8_t cdb_len;
    uint8_t dir;
    bool lun0_ok;                      /* answered by the LUN 0 stand-in */
    enum fcp_status (*fn)(struct cmd *c);
};

static const struct op_desc ops[] = {
    {SCSI_OP_TEST_UNIT_READY, SCSI_CDB6_LEN, DIR_NONE, false, op_test_unit_ready},
    {SCSI_OP_REQUEST_SENSE, SCSI_CDB6_LEN, DIR_IN, true, op_request_sense},
    {SCSI_OP_INQUIRY, SCSI_CDB6_LEN, DIR_IN, true, op_inquiry},
    {SCSI_OP_READ_CAPACITY_10, SCSI_CDB10_LEN, DIR_IN, false, op_read_capacity10},
    {SCSI_OP_READ_10, SCSI_CDB10_LEN, DIR_IN, false, op_read10},
    {SCSI_OP_WRITE_10, SCSI_CDB10_LEN, DIR_OUT, false, op_write10},
    {SCSI_OP_SYNCHRONIZE_CACHE_10, SCSI_CDB10_LEN, DIR_NONE, false, op_sync10},
    {SCSI_OP_READ_16, SCSI_CDB16_LEN, DIR_IN, false, op_read16},
    {SCSI_OP_WRITE_16, SCSI_CDB16_LEN, DIR_OUT, false, op_write16},
    {SCSI_OP_SYNCHRONIZE_CACHE_16, SCSI_CDB16_LEN, DIR_NONE, false, op_sync16},
    {SCSI_OP_SERVICE_ACTION_IN_16, SCSI_CDB16_LEN, DIR_IN, false, op_service_action_in},
    {SCSI_OP_REPORT_LUNS, SCSI_CDB12_LEN, DIR_IN, true, op_report_luns},
};

static const struct op_desc *find_op(uint8_t opcode)
{
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        if (ops[i].opcode == opcode) {
            return &ops[i];
        }
    }
    return NULL;
}

static enum fcp_status exec(struct cmd *c, size_t cdb_len)
{
    const struct op_desc *op = find_op(c->cdb[0]);
    if (!op) {
        check_condition(c, SCSI_SK_ILLEGAL_REQUEST, SCSI_ASC_INVALID_OPCODE, 0, false, 0, -1);
        resid_under(c);
        return FCP_ST_OK;
    }
    if (cdb_len < op->cdb_len) {
        return FCP_ST_CMND_LENGTH_NOT_VALID;
    }
    if ((op->dir == DIR_IN && c->out_len) || (op->dir == DIR_OUT && c->in_len)) {
        return FCP_ST_DIRECTION_NOT_VALID;
    }
    if (c->l->placeholder && !op->lun0_ok) {
        check_condition(c, SCSI_SK_ILLEGAL_REQUEST, SCSI_ASC_LUN_NOT_SUPPORTED, 0,
                        false, 0, -1);
        resid_under(c);
        return FCP_ST_OK;
    }
    return op->fn(c);
}

enum fcp_status fcp_scsi_exec(struct fcp_adapter *a, uint32_t port_handle,
                              uint32_t lun_handle, const uint8_t *cdb, size_t cdb_len,
                              uint8_t *data_in, size_t in_len,
                              const uint8_t *data_out, size_t out_len,
                              struct fcp_scsi_result *res)
{
    if (!res) {
        return FCP_ST_ERR_INVALID;
    }
    memset(res, 0, sizeof(*res));
    if (!a || !cdb || (!data_in && in_len) || (!data_out && out_len) ||
        in_len > UINT32_MAX || out_len > UINT32_MAX) {
        return FCP_ST_ERR_INVALID;
    }
    a->stats.commands++;

    struct cmd c;
    memset(&c, 0, sizeof(c));
    enum fcp_status st;
    if (cdb_len == 0 || cdb_len > SCSI_CDB_MAX) {
        st = FCP_ST_CMND_LENGTH_NOT_VALID;
    } else if (in_len && out_len) {
        st = FCP_ST_DIRECTION_NOT_VALID;
    } else {
        st = fcp_resolve(a, port_handle, lun_handle, &c.p, &c.l);
    }
    if (st == FCP_ST_OK) {
        c.l->stats.commands++;
        memcpy(c.cdb, cdb, cdb_len);
        c.a = a;
        c.in = data_in;
        c.in_len = in_len;
        c.out = data_out;
        c.out_len = out_len;
        c.dl = in_len + out_len;
        c.res = res;
        if (fcp_fault_counted_fires(&c.l->faults[FCP_FAULT_TIMEOUT])) {
            st = FCP_ST_TIMEOUT;
        } else {
            st = exec(&c, cdb_len);
        }
    }

    if (st == FCP_ST_OK && res->scsi_status != SCSI_STATUS_GOOD) {
        st = FCP_ST_FCP_RSP_AVAILABLE;
        a->stats.check_conditions++;
        c.l->stats.check_conditions++;
    } else if (st != FCP_ST_OK) {
        size_t moved = st == FCP_ST_LINK_DOWN ? res->data_len : 0;
        memset(res, 0, sizeof(*res));
        res->data_len = moved;
        a->stats.fsf_errors++;
        if (c.l) {
            c.l->stats.fsf_errors++;
        }
    }
    return st;
}
