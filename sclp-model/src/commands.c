/*
 * SCLP commands: Read SCP Info, Read CPU Info and the event facility
 * (Write Event Mask, Write Event Data with SDIAS, Read Event Data).
 *
 * Each handler works on s->work (the private SCCB copy of `len` bytes),
 * returns the response code and sets s->wb_len to the number of bytes to
 * write back (header only unless it filled the body).
 */
#include <string.h>

#include <dumpbench/be.h>

#include "sclp_internal.h"

#define RI_OFF(f) offsetof(struct sclp_read_info, f)
#define CI_OFF(f) offsetof(struct sclp_read_cpu_info, f)
#define SD_OFF(f) offsetof(struct sdias_evbuf, f)

static unsigned online_cpus(struct sclp *s, uint16_t *max_addr)
{
    unsigned n = 0;
    *max_addr = 0;
    for (unsigned i = 0; i < s->ncpus; i++) {
        struct db_s390_cpu c;
        if (db_host_cpu_get(&s->host, i, &c, sizeof(c)) == 0 && c.online) {
            n++;
            if (c.address > *max_addr) {
                *max_addr = c.address;
            }
        }
    }
    return n;
}

static void fill_cpu_entries(struct sclp *s, uint8_t *p)
{
    for (unsigned i = 0; i < s->ncpus; i++) {
        struct db_s390_cpu c;
        if (db_host_cpu_get(&s->host, i, &c, sizeof(c)) == 0 && c.online) {
            memset(p, 0, sizeof(struct sclp_cpu_entry));
            p[offsetof(struct sclp_cpu_entry, core_id)] = (uint8_t)c.address;
            p[offsetof(struct sclp_cpu_entry, type)] = 0; /* CP */
            p += sizeof(struct sclp_cpu_entry);
        }
    }
}

/* lx61 sclp_early.c: hsa_size field = blocks + 1; 0 = no HSA. */
static uint32_t hsa_size_field(const struct sclp *s)
{
    if (!s->hsa) {
        return 0;
    }
    return (uint32_t)(s->hsa_bytes / SCLP_PAGE_SIZE + 1);
}

/*
 * Read SCP Info (q72 read_SCP_info; lx61 read_info_sccb).  SCCB must hold
 * the fixed part plus one 16-byte entry per online CPU, else 0x0300.
 */
static int cmd_read_scp_info(struct sclp *s, uint32_t len)
{
    uint8_t *b = s->work;
    uint16_t max_addr;
    unsigned n = online_cpus(s, &max_addr);
    uint32_t need = SCLP_READ_INFO_CPUOFF + n * sizeof(struct sclp_cpu_entry);

    if (s->prof.read_info_rc) {
        return s->prof.read_info_rc;
    }
    if (len < need) {
        return SCLP_RC_INSUFFICIENT_SCCB_LENGTH;
    }
    memset(b + sizeof(struct sclp_sccb_header), 0,
           len - sizeof(struct sclp_sccb_header));

    /* Memory: rnsize (MiB, <= 128) or rnsize2; rnmax (< 64 Ki) or rnmax2. */
    uint64_t incr = (uint64_t)s->prof.increment_mb << 20;
    uint64_t rnmax = db_host_mem_size(&s->host) / incr;
    if (s->prof.increment_mb <= 128) {
        b[RI_OFF(rnsize)] = (uint8_t)s->prof.increment_mb;
    } else {
        db_st_be32(b + RI_OFF(rnsize2), s->prof.increment_mb);
    }
    if (rnmax < 0x10000) {
        db_st_be16(b + RI_OFF(rnmax), (uint16_t)rnmax);
    } else {
        db_st_be64(b + RI_OFF(rnmax2), rnmax);
    }
    db_st_be16(b + RI_OFF(ncpurl), (uint16_t)n);
    db_st_be16(b + RI_OFF(cpuoff), SCLP_READ_INFO_CPUOFF);
    memcpy(b + RI_OFF(loadparm), s->prof.loadparm, 8);
    b[RI_OFF(fac42)] = s->prof.fac42;
    b[RI_OFF(fac43)] = s->prof.fac43;
    db_st_be64(b + RI_OFF(facilities), s->prof.facilities);
    b[RI_OFF(fac66)] = s->prof.fac66;
    db_st_be32(b + RI_OFF(ibc), s->prof.ibc);
    b[RI_OFF(fac84)] = s->prof.fac84;
    b[RI_OFF(fac85)] = s->prof.fac85;
    b[RI_OFF(fac91)] = (uint8_t)((s->prof.fac91 & ~SCLP_FAC91_DUMP_INSTALLED) |
                                 (s->prof.dump_installed ? SCLP_FAC91_DUMP_INSTALLED : 0));
    b[RI_OFF(fac98)] = s->prof.fac98;
    db_st_be32(b + RI_OFF(hsa_size), hsa_size_field(s));
    b[RI_OFF(fac116)] = s->prof.fac116;
    b[RI_OFF(fac117)] = s->prof.fac117;
    b[RI_OFF(fac118)] = s->prof.fac118;
    b[RI_OFF(fac119)] = s->prof.fac119;
    db_st_be16(b + RI_OFF(hcpua), max_addr);
    db_st_be32(b + RI_OFF(hmfai), s->prof.hmfai);
    fill_cpu_entries(s, b + SCLP_READ_INFO_CPUOFF);
    s->wb_len = len;
    return SCLP_RC_NORMAL_READ_COMPLETION;
}

/* Read CPU Info (q72 sclp_read_cpu_info; lx61 read_cpu_info_sccb). */
static int cmd_read_cpu_info(struct sclp *s, uint32_t len)
{
    uint8_t *b = s->work;
    uint16_t max_addr;
    unsigned n = online_cpus(s, &max_addr);
    uint32_t first = sizeof(struct sclp_read_cpu_info);
    uint32_t need = first + n * sizeof(struct sclp_cpu_entry);

    if (len < need) {
        return SCLP_RC_INSUFFICIENT_SCCB_LENGTH;
    }
    memset(b + sizeof(struct sclp_sccb_header), 0,
           len - sizeof(struct sclp_sccb_header));
    db_st_be16(b + CI_OFF(nr_configured), (uint16_t)n);
    db_st_be16(b + CI_OFF(offset_configured), (uint16_t)first);
    db_st_be16(b + CI_OFF(nr_standby), 0);
    db_st_be16(b + CI_OFF(offset_standby), (uint16_t)need);
    fill_cpu_entries(s, b + first);
    s->wb_len = len;
    return SCLP_RC_NORMAL_READ_COMPLETION;
}

/* Read up to 8 bytes of a mask of `ml` bytes (left-aligned, zero-filled). */
static uint64_t get_mask(const uint8_t *p, unsigned ml)
{
    uint8_t tmp[8] = { 0 };
    memcpy(tmp, p, ml < 8 ? ml : 8);
    return db_ld_be64(tmp);
}

static void put_mask(uint8_t *p, unsigned ml, uint64_t v)
{
    uint8_t tmp[8];
    db_st_be64(tmp, v);
    memset(p, 0, ml);
    memcpy(p, tmp, ml < 8 ? ml : 8);
}

/*
 * Write Event Mask (q72 write_event_mask; lx61 struct init_sccb).
 * mask_length 0, > 1021 (or != 4 with mask_len4_only) -> 0x74f0;
 * SCCB too short for the four masks -> 0x0300.  State changes only on
 * success.
 */
static int cmd_write_event_mask(struct sclp *s, uint32_t len)
{
    uint8_t *b = s->work;
    const uint32_t fixed = sizeof(struct sclp_init_sccb);

    if (len < fixed) {
        return SCLP_RC_INSUFFICIENT_SCCB_LENGTH;
    }
    unsigned ml = db_ld_be16(b + offsetof(struct sclp_init_sccb, mask_length));
    if (ml == 0 || ml > SCLP_EVENT_MASK_LEN_MAX ||
        (s->prof.mask_len4_only && ml != 4)) {
        return SCLP_RC_INVALID_MASK_LENGTH;
    }
    if (len < fixed + 4u * ml) {
        return SCLP_RC_INSUFFICIENT_SCCB_LENGTH;
    }
    uint8_t *m = b + fixed;
    s->guest_receive_mask = get_mask(m, ml);
    s->guest_send_mask = get_mask(m + ml, ml);
    s->mask_length = (uint16_t)ml;
    put_mask(m + 2 * ml, ml, s->prof.sclp_receive_mask);
    put_mask(m + 3 * ml, ml, s->prof.sclp_send_mask);
    s->wb_len = len;
    return SCLP_RC_NORMAL_COMPLETION;
}

/*
 * SDIAS event (lx61 sclp_sdias.c, zcore.c; spec 2.3-2.5, 7.3), sync mode:
 * the answer goes into the same event buffer.  `ev` is >= 60 bytes.
 */
static int sdias_event(struct sclp *s, uint8_t *ev)
{
    const struct sclp_profile *p = &s->prof;

    if (p->sdias_rc) {
        return p->sdias_rc;
    }
    uint8_t qual = ev[SD_OFF(event_qual)];
    if (qual != SDIAS_EQ_SIZE && qual != SDIAS_EQ_STORE_DATA) {
        return SCLP_RC_INVALID_FUNCTION;
    }
    uint8_t status = SDIAS_EVSTATE_ALL_STORED;
    uint64_t pages = s->hsa ? s->hsa_bytes / SCLP_PAGE_SIZE : 0;

    if (qual == SDIAS_EQ_SIZE) {
        s->stats.sdias_size_queries++;
        if (!s->hsa || ev[SD_OFF(data_id)] != SDIAS_DI_FCP_DUMP) {
            db_st_be32(ev + SD_OFF(blk_cnt), 0);
            status = SDIAS_EVSTATE_NO_DATA;
        } else {
            db_st_be32(ev + SD_OFF(blk_cnt), (uint32_t)(pages + 1));
        }
        goto done;
    }

    /* Store data: validate everything before touching guest memory. */
    uint32_t blk_cnt = db_ld_be32(ev + SD_OFF(blk_cnt));
    uint32_t fbn = db_ld_be32(ev + SD_OFF(fbn));
    uint16_t dbs = db_ld_be16(ev + SD_OFF(dbs));
    uint8_t asa_size = ev[SD_OFF(asa_size)];
    uint64_t asa = db_ld_be64(ev + SD_OFF(asa));

    if (!s->hsa || ev[SD_OFF(data_id)] != SDIAS_DI_FCP_DUMP ||
        (dbs != 0 && dbs != 1) || asa_size > SDIAS_ASA_SIZE_64 ||
        (asa_size == SDIAS_ASA_SIZE_32 && asa > 0x7fffffffull) ||
        blk_cnt == 0 || fbn < SDIAS_FIRST_DATA_BLOCK ||
        (uint64_t)fbn + blk_cnt - 1 > pages + 1) {
        status = SDIAS_EVSTATE_NO_DATA;
        goto done;
    }
    if (p->sdias_copy_status) {
        status = p->sdias_copy_status;
        if (status == SDIAS_EVSTATE_PART_STORED) {
            db_st_be32(ev + SD_OFF(blk_cnt), 0);
        }
        goto done;
    }
    uint32_t n = blk_cnt;
    if (p->sdias_partial_max && n > p->sdias_partial_max) {
        n = p->sdias_partial_max;
        status = SDIAS_EVSTATE_PART_STORED;
    }
    uint64_t bytes = (uint64_t)n * SCLP_PAGE_SIZE;
    uint64_t msize = db_host_mem_size(&s->host);
    if (asa > msize || bytes > msize - asa) {
        status = SDIAS_EVSTATE_NO_DATA;
        goto done;
    }
    uint64_t src = (uint64_t)(fbn - SDIAS_FIRST_DATA_BLOCK) * SCLP_PAGE_SIZE;
    if (db_host_write(&s->host, asa, s->hsa + src, bytes) != 0) {
        sclp_set_error(s, "SDIAS store to 0x%llx failed",
                       (unsigned long long)asa);
        return SCLP_RC_CONTAINED_EQUIPMENT_CHECK;
    }
    s->stats.sdias_copies++;
    s->stats.sdias_blocks += n;
    if (status == SDIAS_EVSTATE_PART_STORED) {
        db_st_be32(ev + SD_OFF(blk_cnt), n);
    }
done:
    ev[SD_OFF(event_status)] = status;
    ev[offsetof(struct sclp_evbuf_header, flags)] |= SCLP_EVBUF_ACCEPTED;
    return SCLP_RC_NORMAL_COMPLETION;
}

/*
 * Write Event Data (q72 write_event_data, write_event_length_check,
 * handle_sccb_write_events).  All event-buffer lengths are checked first:
 * a buffer length < 6 or beyond the SCCB -> 0x73f0; 1-5 trailing bytes or
 * an SDIAS buffer shorter than 60 bytes -> 0x72f0.  Then buffers are
 * processed in order; an event type the SCLP does not accept -> 0x40f0.
 */
static int cmd_write_event_data(struct sclp *s, uint32_t len)
{
    uint8_t *b = s->work;
    const uint32_t eh = sizeof(struct sclp_evbuf_header);

    if (b[offsetof(struct sclp_sccb_header, function_code)] != SCLP_FC_NORMAL_WRITE) {
        return SCLP_RC_INVALID_FUNCTION;
    }
    for (uint32_t pos = sizeof(struct sclp_sccb_header); pos < len;) {
        if (len - pos < eh) {
            return SCLP_RC_INCONSISTENT_LENGTHS;
        }
        uint32_t el = db_ld_be16(b + pos);
        if (el < eh || el > len - pos) {
            return SCLP_RC_EVENT_BUFFER_SYNTAX_ERROR;
        }
        if (b[pos + 2] == SCLP_EVTYP_SDIAS && el < sizeof(struct sdias_evbuf)) {
            return SCLP_RC_INCONSISTENT_LENGTHS;
        }
        pos += el;
    }
    int rc = SCLP_RC_NORMAL_COMPLETION;
    for (uint32_t pos = sizeof(struct sclp_sccb_header); pos < len;) {
        uint32_t el = db_ld_be16(b + pos);
        uint8_t type = b[pos + 2];
        s->wb_len = len;
        if (type == SCLP_EVTYP_SDIAS && s->prof.sdias &&
            (s->prof.sclp_receive_mask & SCLP_EVTYP_MASK(SCLP_EVTYP_SDIAS))) {
            rc = sdias_event(s, b + pos);
        } else {
            rc = SCLP_RC_INVALID_FUNCTION;
        }
        if (rc != SCLP_RC_NORMAL_COMPLETION) {
            break;
        }
        pos += el;
    }
    return rc;
}

/*
 * Read Event Data (q72 read_event_data).  The model answers SDIAS
 * synchronously (pitfall 2), so no event buffer is ever pending.
 */
static int cmd_read_event_data(struct sclp *s, uint32_t len)
{
    uint8_t *b = s->work;

    switch (b[offsetof(struct sclp_sccb_header, function_code)]) {
    case SCLP_FC_UNCONDITIONAL_READ:
        break;
    case SCLP_FC_SELECTIVE_READ: {
        unsigned ml = s->mask_length;
        if (len < sizeof(struct sclp_sccb_header) + ml) {
            return SCLP_RC_INSUFFICIENT_SCCB_LENGTH;
        }
        uint64_t m = get_mask(b + sizeof(struct sclp_sccb_header), ml);
        if (m == 0 || (m & ~s->guest_receive_mask)) {
            return SCLP_RC_INVALID_SELECTION_MASK;
        }
        break;
    }
    default:
        return SCLP_RC_INVALID_FUNCTION;
    }
    return SCLP_RC_NO_EVENT_BUFFERS_STORED;
}

int sclp_service_dispatch(struct sclp *s, uint32_t cmd, uint32_t len)
{
    switch (cmd & SCLP_CMD_CODE_MASK) {
    case SCLP_CMDW_READ_SCP_INFO:
    case SCLP_CMDW_READ_SCP_INFO_FORCED:
        return cmd_read_scp_info(s, len);
    case SCLP_CMDW_READ_CPU_INFO:
        return cmd_read_cpu_info(s, len);
    case SCLP_CMDW_WRITE_EVENT_MASK:
        return cmd_write_event_mask(s, len);
    case SCLP_CMDW_WRITE_EVENT_DATA:
        return cmd_write_event_data(s, len);
    case SCLP_CMDW_READ_EVENT_DATA:
        return cmd_read_event_data(s, len);
    default:
        return SCLP_RC_INVALID_SCLP_COMMAND;
    }
}
