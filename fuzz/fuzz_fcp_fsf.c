/*
 * libFuzzer target: libfcp QDIO queues + FSF layer (fcp/qdio.h, fcp/fsf.h)
 * driven through guest memory, as the zfcp driver would.
 *
 * Every exec starts from a valid zfcp bring-up in a 1 MiB s390x fuzz host:
 * QDR/SLIB/SL/SLSB of one input and one output queue, established, all
 * input buffers empty; unless flags bit 0 is set, output SBALs 0-5 are
 * primed with a status-read buffer, EXCHANGE CONFIG DATA, OPEN PORT WITH
 * DID, OPEN LUN, FCP WRITE(16) and FCP READ(16) (the handles libfcp hands
 * out are deterministic: port 1, LUN 2).  The fuzzer then patches memory
 * and issues operations.
 *
 * Input:  u8 flags    0x01 no primed requests, 0x02 medium error at LBA 0,
 *                     0x04 link down at LBA 0, 0x08 timeout (all commands),
 *                     0x10 LUN removed, 0x20 port reject
 *         up to 48 ops, each u8 op % 6:
 *           0 write   u32 off (% memory), u16 len, len bytes (clamped to memory)
 *           1 SIGA-w  2 SIGA-r
 *           3 event   u8 kind, u32 d_id
 *           4 re-establish: u8 sel, u32 addr, u16 count (sel bit 0: raw addr,
 *                     else the valid QDR); a failed ESTABLISH must write nothing
 *           5 prime   u8 first, u8 n: output SLSB[first..first+n) = CU_OUTPUT_PRIMED
 * Invariants: cursors stay < 128; completions waiting <= 4096; a failed
 * ESTABLISH writes no guest memory and leaves the queues down; an output
 * buffer the device handled is OUTPUT_EMPTY or OUTPUT_ERROR.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dumpbench/be.h>
#include <fcp/fsf.h>

#include "fuzz_host.h"

#define MEM_SIZE    (1u << 20)
#define QDR         0x1000u
#define IN_SLIB     0x2000u
#define IN_SL       0x2800u
#define IN_SLSB     0x2c00u
#define OUT_SLIB    0x3000u
#define OUT_SL      0x3800u
#define OUT_SLSB    0x3c00u
#define IN_SBAL     0x4000u
#define OUT_SBAL    0xc000u
#define QTCBS       0x20000u
#define SRBUF       0x30000u
#define DATA        0x40000u
#define WWPN        0x500507630300c562ull
#define DID         0x010200u
#define LUN         0x4010400000000000ull

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_host *host(void)
{
    static struct fuzz_host *fh;
    if (!fh) {
        fh = fh_new(FH_S390X, MEM_SIZE, 1);
        if (!fh) {
            abort();
        }
    }
    fh_reset(fh);
    return fh;
}

static void layout(uint8_t *m)
{
    struct qdio_qdr *qdr = (struct qdio_qdr *)(m + QDR);
    qdr->qfmt = QDIO_ZFCP_QFMT;
    qdr->iqdcnt = 1;
    qdr->oqdcnt = 1;
    qdr->iqdsz = 8;
    qdr->oqdsz = 8;
    db_st_be64(qdr->qdf0[0].sliba, IN_SLIB);
    db_st_be64(qdr->qdf0[0].sla, IN_SL);
    db_st_be64(qdr->qdf0[0].slsba, IN_SLSB);
    db_st_be64(qdr->qdf0[1].sliba, OUT_SLIB);
    db_st_be64(qdr->qdf0[1].sla, OUT_SL);
    db_st_be64(qdr->qdf0[1].slsba, OUT_SLSB);
    db_st_be64(m + IN_SLIB + 8, IN_SL);
    db_st_be64(m + IN_SLIB + 16, IN_SLSB);
    db_st_be64(m + OUT_SLIB + 8, OUT_SL);
    db_st_be64(m + OUT_SLIB + 16, OUT_SLSB);
    for (unsigned i = 0; i < QDIO_MAX_BUFFERS_PER_Q; i++) {
        db_st_be64(m + IN_SL + 8 * i, IN_SBAL + 256u * i);
        db_st_be64(m + OUT_SL + 8 * i, OUT_SBAL + 256u * i);
        m[IN_SLSB + i] = SLSB_CU_INPUT_EMPTY;
        m[OUT_SLSB + i] = SLSB_P_OUTPUT_NOT_INIT;
        m[IN_SBAL + 256u * i] = SBAL_EFLAGS_LAST_ENTRY;
    }
}

/* One request in output SBAL `i`: element 0 id, element 1 buffer, optional data. */
static void request(uint8_t *m, unsigned i, uint8_t sbtype, uint64_t buf, uint32_t len,
                    uint64_t dat, uint32_t dlen)
{
    struct qdio_sbale *e = (struct qdio_sbale *)(m + OUT_SBAL + 256u * i);
    e[0].sflags = SBAL_SFLAGS0_COMMAND | sbtype;
    db_st_be64(e[0].addr, 0x1000 + i);
    db_st_be64(e[1].addr, buf);
    db_st_be32(e[1].length, len);
    if (dlen) {
        db_st_be64(e[2].addr, dat);
        db_st_be32(e[2].length, dlen);
        e[2].eflags = SBAL_EFLAGS_LAST_ENTRY;
    } else {
        e[1].eflags = SBAL_EFLAGS_LAST_ENTRY;
    }
    m[OUT_SLSB + i] = SLSB_CU_OUTPUT_PRIMED;
}

static uint8_t *qtcb(uint8_t *m, unsigned slot, uint32_t cmd, uint32_t type, uint32_t ph,
                     uint32_t lh)
{
    uint8_t *q = m + QTCBS + 0x800u * slot;
    db_st_be64(q, 0x1000 + slot);
    db_st_be32(q + 8, FSF_QTCB_CURRENT_VERSION);
    db_st_be32(q + 16, type);
    db_st_be32(q + 64 + 8, cmd);
    db_st_be32(q + 64 + 16, ph);
    db_st_be32(q + 64 + 20, lh);
    return q + 160;                             /* bottom */
}

static void fcp(uint8_t *m, unsigned slot, bool write)
{
    uint8_t *b = qtcb(m, slot, FSF_QTCB_FCP_CMND, FSF_IO_COMMAND, 1, 2);
    db_st_be32(b, write ? FSF_DATADIR_WRITE : FSF_DATADIR_READ);
    db_st_be32(b + 16, FCP_CMND_IU_LEN);
    uint8_t *iu = b + 32;
    db_st_be64(iu, LUN);
    iu[11] = write ? FCP_CFL_WRDATA : FCP_CFL_RDDATA;
    iu[12] = write ? SCSI_OP_WRITE_16 : SCSI_OP_READ_16;
    db_st_be32(iu + 12 + 10, 1);                /* 1 block at LBA 0 */
    db_st_be32(iu + 28, 512);
    request(m, slot, write ? SBAL_SFLAGS0_TYPE_WRITE : SBAL_SFLAGS0_TYPE_READ,
            QTCBS + 0x800u * slot, FSF_QTCB_SIZE, DATA, 512);
}

static void baseline(uint8_t *m)
{
    request(m, 0, SBAL_SFLAGS0_TYPE_STATUS, SRBUF, 4096, 0, 0);
    qtcb(m, 1, FSF_QTCB_EXCHANGE_CONFIG_DATA, FSF_CONFIG_COMMAND, 0, 0);
    request(m, 1, SBAL_SFLAGS0_TYPE_READ, QTCBS + 0x800u, FSF_QTCB_SIZE, 0, 0);
    uint8_t *b = qtcb(m, 2, FSF_QTCB_OPEN_PORT_WITH_DID, FSF_SUPPORT_COMMAND, 0, 0);
    b[17] = (uint8_t)(DID >> 16);
    b[18] = (uint8_t)(DID >> 8);
    b[19] = (uint8_t)DID;
    request(m, 2, SBAL_SFLAGS0_TYPE_READ, QTCBS + 0x1000u, FSF_QTCB_SIZE, 0, 0);
    b = qtcb(m, 3, FSF_QTCB_OPEN_LUN, FSF_SUPPORT_COMMAND, 1, 0);
    db_st_be64(b + 24, LUN);
    request(m, 3, SBAL_SFLAGS0_TYPE_READ, QTCBS + 0x1800u, FSF_QTCB_SIZE, 0, 0);
    fcp(m, 4, true);
    fcp(m, 5, false);
}

static void check(struct fsf_dev *f, const struct fuzz_host *fh, const uint8_t before[128],
                  bool slsb_check)
{
    const struct qdio_queues *q = fsf_dev_qdio(f);
    if (q->established) {
        if (q->in.cursor >= QDIO_MAX_BUFFERS_PER_Q || q->out.cursor >= QDIO_MAX_BUFFERS_PER_Q) {
            fz_fail("cursor out of range: in %u out %u", q->in.cursor, q->out.cursor);
        }
        /* Buffers that were primed and are no longer CU-owned were handled. */
        if (slsb_check && q->out.slsb == OUT_SLSB) {
            for (unsigned i = 0; i < QDIO_MAX_BUFFERS_PER_Q; i++) {
                uint8_t now = fh->mem[OUT_SLSB + i];
                if (before[i] == SLSB_CU_OUTPUT_PRIMED && now != before[i] &&
                    now != SLSB_P_OUTPUT_EMPTY && now != SLSB_P_OUTPUT_ERROR) {
                    fz_fail("output buffer %u: primed -> %#x", i, now);
                }
            }
        }
    }
    struct fsf_stats st;
    if (fsf_dev_stats(f, &st) != FCP_ST_OK || st.pending > 4096) {
        fz_fail("pending completions %llu", (unsigned long long)st.pending);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz in = { data, size };
    struct fuzz_host *fh = host();
    uint8_t flags = fz_u8(&in);
    layout(fh->mem);
    if (!(flags & 0x01)) {
        baseline(fh->mem);
    }
    struct fcp_adapter_config cfg;
    fcp_adapter_default_config(&cfg, 0x1900);
    cfg.topology = FSF_TOPO_P2P;
    struct fcp_adapter *a = NULL;
    struct fsf_dev *f = NULL;
    if (fcp_adapter_new(&cfg, &a) != FCP_ST_OK || fcp_port_add(a, WWPN, DID) != FCP_ST_OK ||
        fcp_lun_add_mem(a, WWPN, LUN, 512, 16) != FCP_ST_OK ||
        fsf_dev_new(a, NULL, &f) != FCP_ST_OK) {
        abort();
    }
    struct fcp_fault ft = {0};
    if (flags & 0x02) {
        ft = (struct fcp_fault){ .kind = FCP_FAULT_MEDIUM_ERROR, .lba = 0, .count = 1 };
        (void)fcp_lun_fault_set(a, WWPN, LUN, &ft);
    }
    if (flags & 0x04) {
        ft = (struct fcp_fault){ .kind = FCP_FAULT_LINK_DOWN, .lba = 0 };
        (void)fcp_lun_fault_set(a, WWPN, LUN, &ft);
    }
    if (flags & 0x08) {
        ft = (struct fcp_fault){ .kind = FCP_FAULT_TIMEOUT };
        (void)fcp_lun_fault_set(a, WWPN, LUN, &ft);
    }
    if (flags & 0x10) {
        ft = (struct fcp_fault){ .kind = FCP_FAULT_LUN_REMOVED };
        (void)fcp_lun_fault_set(a, WWPN, LUN, &ft);
    }
    if (flags & 0x20) {
        ft = (struct fcp_fault){ .kind = FCP_FAULT_PORT_REJECT };
        (void)fcp_port_fault_set(a, WWPN, &ft);
    }
    if (fsf_establish(f, &fh->host, QDR, QDIO_EQUEUE_CIW_COUNT) != QDIO_OK) {
        fz_fail("baseline ESTABLISH failed: %s", fsf_dev_errmsg(f));
    }
    uint8_t before[128];
    bool pci;
    /* The SLSB invariant only holds while the guest has not aliased its
     * structures (a QTCB or input SBAL placed over the SLSB is legal guest
     * behaviour): check it until the first raw memory write. */
    bool clean = true;
    for (unsigned n = 0; n < 48 && in.n; n++) {
        memcpy(before, fh->mem + OUT_SLSB, sizeof(before));
        uint8_t op = fz_u8(&in) % 6;
        switch (op) {
        case 0: {
            clean = false;
            uint32_t off = fz_u32(&in) % MEM_SIZE;
            size_t len = fz_u16(&in);
            if (len > MEM_SIZE - off) {
                len = MEM_SIZE - off;
            }
            fz_bytes(&in, fh->mem + off, len);
            break;
        }
        case 1:
            (void)fsf_siga_write(f, &fh->host, &pci);
            break;
        case 2:
            (void)fsf_siga_read(f, &fh->host, &pci);
            break;
        case 3: {
            struct fsf_event ev;
            ev.kind = (enum fsf_event_kind)(fz_u8(&in) % 4);
            ev.d_id = fz_u32(&in);
            (void)fsf_post_event(f, &ev);
            break;
        }
        case 4: {
            clean = false;
            uint8_t sel = fz_u8(&in);
            uint32_t addr = fz_u32(&in);
            uint16_t count = fz_u16(&in);
            fsf_reset(f);
            uint64_t w = fh->writes;
            if (fsf_establish(f, &fh->host, (sel & 1) ? addr : QDR, count) != QDIO_OK) {
                if (fh->writes != w || fsf_dev_qdio(f)->established) {
                    fz_fail("failed ESTABLISH changed state");
                }
            }
            break;
        }
        case 5: {
            unsigned first = fz_u8(&in), cnt = fz_u8(&in) % 8;
            for (unsigned k = 0; k < cnt; k++) {
                fh->mem[OUT_SLSB + (first + k) % 128] = SLSB_CU_OUTPUT_PRIMED;
            }
            break;
        }
        }
        check(f, fh, before, clean && op == 1);
    }
    memcpy(before, fh->mem + OUT_SLSB, sizeof(before));
    (void)fsf_siga_write(f, &fh->host, &pci);
    check(f, fh, before, clean);
    fsf_dev_free(f);
    fcp_adapter_free(a);
    return 0;
}
