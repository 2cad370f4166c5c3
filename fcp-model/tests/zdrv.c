/* Scripted zfcp driver for the QDIO/FSF tests (see zdrv.h). */
#include <string.h>

#include <CUnit/CUnit.h>

#include <dumpbench/be.h>

#include "zdrv.h"

uint64_t zd_out_sbal(unsigned i)
{
    return ZD_OUT_SBAL + (uint64_t)(i % QDIO_MAX_BUFFERS_PER_Q) * QDIO_SBAL_SIZE;
}

uint64_t zd_in_sbal(unsigned i)
{
    return ZD_IN_SBAL + (uint64_t)(i % QDIO_MAX_BUFFERS_PER_Q) * QDIO_SBAL_SIZE;
}

uint32_t zd_rd32(struct zdrv *z, uint64_t addr)
{
    return db_ld_be32(z->th->mem + addr);
}

uint64_t zd_rd64(struct zdrv *z, uint64_t addr)
{
    return db_ld_be64(z->th->mem + addr);
}

void zd_wr32(struct zdrv *z, uint64_t addr, uint32_t v)
{
    db_st_be32(z->th->mem + addr, v);
}

void zd_wr64(struct zdrv *z, uint64_t addr, uint64_t v)
{
    db_st_be64(z->th->mem + addr, v);
}

uint8_t zd_slsb(struct zdrv *z, bool out, unsigned i)
{
    return z->th->mem[(out ? ZD_OUT_SLSB : ZD_IN_SLSB) + i % QDIO_MAX_BUFFERS_PER_Q];
}

void zd_set_slsb(struct zdrv *z, bool out, unsigned i, uint8_t v)
{
    z->th->mem[(out ? ZD_OUT_SLSB : ZD_IN_SLSB) + i % QDIO_MAX_BUFFERS_PER_Q] = v;
}

void zd_write_qdr(struct zdrv *z)
{
    uint8_t *m = z->th->mem;
    memset(m + ZD_QDR, 0, 4096);
    struct qdio_qdr *qdr = (struct qdio_qdr *)(m + ZD_QDR);
    qdr->qfmt = QDIO_ZFCP_QFMT;
    qdr->ac = 0;
    qdr->iqdcnt = 1;
    qdr->oqdcnt = 1;
    qdr->iqdsz = sizeof(struct qdio_qdesfmt0) / 4;
    qdr->oqdsz = sizeof(struct qdio_qdesfmt0) / 4;
    db_st_be64(qdr->qiba, ZD_QIB);
    qdr->qkey = 0x00;
    db_st_be64(qdr->qdf0[0].sliba, ZD_IN_SLIB);
    db_st_be64(qdr->qdf0[0].sla, ZD_IN_SL);
    db_st_be64(qdr->qdf0[0].slsba, ZD_IN_SLSB);
    db_st_be64(qdr->qdf0[1].sliba, ZD_OUT_SLIB);
    db_st_be64(qdr->qdf0[1].sla, ZD_OUT_SL);
    db_st_be64(qdr->qdf0[1].slsba, ZD_OUT_SLSB);
}

int zd_init(struct zdrv *z)
{
    memset(z, 0, sizeof(*z));
    z->th = testhost_new(TH_S390X, ZD_MEM, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(z->th);
    z->h = &z->th->host;
    z->next_id = 0x0000000012340000ull;
    z->sbale_per_sbal = QDIO_MAX_ELEMENTS_PER_BUFFER - 1;
    uint8_t *m = z->th->mem;
    /* setup_storage_lists: SLIB -> SL/SLSB, SL -> SBALs */
    db_st_be64(m + ZD_IN_SLIB + 8, ZD_IN_SL);
    db_st_be64(m + ZD_IN_SLIB + 16, ZD_IN_SLSB);
    db_st_be64(m + ZD_OUT_SLIB + 8, ZD_OUT_SL);
    db_st_be64(m + ZD_OUT_SLIB + 16, ZD_OUT_SLSB);
    for (unsigned i = 0; i < QDIO_MAX_BUFFERS_PER_Q; i++) {
        db_st_be64(m + ZD_IN_SL + 8 * i, zd_in_sbal(i));
        db_st_be64(m + ZD_OUT_SL + 8 * i, zd_out_sbal(i));
        m[ZD_IN_SLSB + i] = SLSB_P_INPUT_NOT_INIT;
        m[ZD_OUT_SLSB + i] = SLSB_P_OUTPUT_NOT_INIT;
    }
    zd_write_qdr(z);
    return 0;
}

void zd_fini(struct zdrv *z)
{
    testhost_free(z->th);
    z->th = NULL;
}

void zd_give_input(struct zdrv *z)
{
    for (unsigned i = 0; i < QDIO_MAX_BUFFERS_PER_Q; i++) {
        /* zfcp_qdio_open: element 0 length 0, LAST_ENTRY, addr 0 */
        memset(z->th->mem + zd_in_sbal(i), 0, QDIO_SBAL_SIZE);
        z->th->mem[zd_in_sbal(i)] = SBAL_EFLAGS_LAST_ENTRY;
        zd_set_slsb(z, false, i, SLSB_CU_INPUT_EMPTY);
    }
}

uint64_t zd_peek_id(const struct zdrv *z)
{
    return z->next_id;
}

uint64_t zd_submit(struct zdrv *z, uint8_t sbtype, const struct zd_seg *segs, unsigned n,
                   unsigned *first, unsigned *nsbals)
{
    uint64_t id = z->next_id++;
    /* zfcp_qdio_req_init: sbale_curr = 1; a request without a QTCB (the
     * status read) then fills element 2 (zfcp_qdio_fill_next), leaving
     * element 1 empty. */
    unsigned idx = z->out_next, cnt = 1,
             el = ((sbtype & SBAL_SFLAGS0_TYPE_MASK) == SBAL_SFLAGS0_TYPE_STATUS && n) ? 2 : 1;
    uint8_t *sb = z->th->mem + zd_out_sbal(idx);
    memset(sb, 0, QDIO_SBAL_SIZE);
    struct qdio_sbale *e = (struct qdio_sbale *)sb;
    e[0].sflags = SBAL_SFLAGS0_COMMAND | sbtype;
    db_st_be64(e[0].addr, id);
    if (n == 0) {
        e[0].eflags = SBAL_EFLAGS_LAST_ENTRY;
    }
    for (unsigned i = 0; i < n; i++) {
        if (el == z->sbale_per_sbal) {
            /* zfcp_qdio_sbale_next -> zfcp_qdio_sbal_chain */
            e[el - 1].eflags |= SBAL_EFLAGS_LAST_ENTRY;
            e[0].sflags |= SBAL_SFLAGS0_MORE_SBALS;
            idx = (idx + 1) % QDIO_MAX_BUFFERS_PER_Q;
            cnt++;
            sb = z->th->mem + zd_out_sbal(idx);
            memset(sb, 0, QDIO_SBAL_SIZE);
            e = (struct qdio_sbale *)sb;
            e[0].sflags = sbtype;
            el = 0;
        }
        db_st_be64(e[el].addr, segs[i].addr);
        db_st_be32(e[el].length, segs[i].len);
        if (i == n - 1) {
            e[el].eflags |= SBAL_EFLAGS_LAST_ENTRY;
        }
        el++;
    }
    for (unsigned k = 0; k < cnt; k++) {
        zd_set_slsb(z, true, z->out_next + k, SLSB_CU_OUTPUT_PRIMED);
    }
    if (first) {
        *first = z->out_next;
    }
    if (nsbals) {
        *nsbals = cnt;
    }
    z->out_next = (z->out_next + cnt) % QDIO_MAX_BUFFERS_PER_Q;
    return id;
}

unsigned zd_collect(struct zdrv *z, uint64_t *ids, unsigned max)
{
    unsigned n = 0;
    for (unsigned guard = 0; guard < QDIO_MAX_BUFFERS_PER_Q; guard++) {
        if (zd_slsb(z, false, z->in_next) != SLSB_P_INPUT_PRIMED) {
            break;
        }
        const struct qdio_sbale *e =
            (const struct qdio_sbale *)(z->th->mem + zd_in_sbal(z->in_next));
        for (unsigned i = 0; i < QDIO_MAX_ELEMENTS_PER_BUFFER; i++) {
            if (n < max) {
                ids[n] = db_ld_be64(e[i].addr);
            }
            n++;
            if (e[i].eflags & SBAL_EFLAGS_LAST_ENTRY) {
                break;
            }
        }
        zd_set_slsb(z, false, z->in_next, SLSB_CU_INPUT_EMPTY);
        z->in_next = (z->in_next + 1) % QDIO_MAX_BUFFERS_PER_Q;
    }
    return n;
}

uint64_t zd_qtcb(struct zdrv *z, uint64_t req_id, uint32_t cmd, uint32_t type)
{
    uint64_t q = ZD_QTCB + (uint64_t)(z->qtcb_slot++ % 128) * 0x800;
    memset(z->th->mem + q, 0, FSF_QTCB_SIZE);
    zd_wr64(z, q, req_id);                      /* prefix.req_id */
    zd_wr32(z, q + 8, FSF_QTCB_CURRENT_VERSION);
    zd_wr32(z, q + 12, 26);                     /* ulp_info */
    zd_wr32(z, q + 16, type);
    zd_wr64(z, ZQ_HDR(q), req_id);              /* header.req_handle */
    zd_wr32(z, ZQ_HDR(q) + 8, cmd);
    return q;
}

static uint32_t type_of(uint32_t cmd)
{
    switch (cmd) {
    case FSF_QTCB_FCP_CMND: return FSF_IO_COMMAND;
    case FSF_QTCB_EXCHANGE_CONFIG_DATA: return FSF_CONFIG_COMMAND;
    case FSF_QTCB_EXCHANGE_PORT_DATA: return FSF_PORT_COMMAND;
    default: return FSF_SUPPORT_COMMAND;
    }
}

uint64_t zd_run(struct zdrv *z, struct fsf_dev *f, uint32_t cmd, uint32_t ph, uint32_t lh,
                zd_fill_fn fill, void *arg, const struct zd_seg *data, unsigned ndata,
                uint8_t sbtype)
{
    uint64_t id = zd_peek_id(z);
    uint64_t q = zd_qtcb(z, id, cmd, type_of(cmd));
    zd_wr32(z, ZQ_PORT_HANDLE(q), ph);
    zd_wr32(z, ZQ_LUN_HANDLE(q), lh);
    if (fill) {
        fill(z, q, arg);
    }
    struct zd_seg segs[64];
    CU_ASSERT_FATAL(ndata < 63);
    segs[0].addr = q;
    segs[0].len = FSF_QTCB_SIZE;
    for (unsigned i = 0; i < ndata; i++) {
        segs[i + 1] = data[i];
    }
    unsigned first = 0, nsb = 0;
    uint64_t got = zd_submit(z, sbtype, segs, ndata + 1, &first, &nsb);
    CU_ASSERT_EQUAL(got, id);
    bool pci = false;
    CU_ASSERT_EQUAL(fsf_siga_write(f, z->h, &pci), QDIO_OK);
    CU_ASSERT_TRUE(pci);
    for (unsigned k = 0; k < nsb; k++) {
        CU_ASSERT_EQUAL(zd_slsb(z, true, first + k), SLSB_P_OUTPUT_EMPTY);
    }
    uint64_t ids[33];
    unsigned n = zd_collect(z, ids, 33);
    unsigned found = 0;
    z->nextra = 0;
    for (unsigned i = 0; i < n && i < 33; i++) {
        if (ids[i] == id) {
            found++;
        } else if (z->nextra < 32) {
            z->extra[z->nextra++] = ids[i];
        }
    }
    CU_ASSERT_EQUAL(found, 1);
    return q;
}

struct fcp_fill {
    uint64_t lun;
    const uint8_t *cdb;
    uint32_t dir, dl;
};

static void fill_fcp(struct zdrv *z, uint64_t q, void *arg)
{
    const struct fcp_fill *a = arg;
    uint64_t b = ZQ_BOTTOM(q);
    zd_wr32(z, b + 0, a->dir);
    zd_wr32(z, b + 4, FSF_CLASS_3);
    zd_wr32(z, b + 16, FCP_CMND_IU_LEN);
    uint8_t *iu = z->th->mem + b + 32;          /* fcp_cmnd */
    db_st_be64(iu, a->lun);
    iu[11] = a->dir == FSF_DATADIR_READ ? FCP_CFL_RDDATA
           : a->dir == FSF_DATADIR_WRITE ? FCP_CFL_WRDATA : 0;
    memcpy(iu + 12, a->cdb, 16);
    db_st_be32(iu + 28, a->dl);
}

uint64_t zd_fcp(struct zdrv *z, struct fsf_dev *f, uint32_t ph, uint32_t lh, uint64_t lun,
                const uint8_t cdb[16], uint32_t dir, uint32_t dl, const struct zd_seg *data,
                unsigned ndata)
{
    struct fcp_fill a = { lun, cdb, dir, dl };
    uint8_t sbtype = dir == FSF_DATADIR_WRITE ? SBAL_SFLAGS0_TYPE_WRITE : SBAL_SFLAGS0_TYPE_READ;
    return zd_run(z, f, FSF_QTCB_FCP_CMND, ph, lh, fill_fcp, &a, data, ndata, sbtype);
}
