/*
 * A scripted "zfcp driver" for the QDIO/FSF unit tests: it lays out the
 * control blocks in test-host guest memory the way Linux 6.1 does
 * (qdio_setup.c setup_qdr / setup_storage_lists, zfcp_qdio.c
 * zfcp_qdio_req_init / zfcp_qdio_sbal_chain / zfcp_qdio_open, zfcp_fsf.c
 * zfcp_fsf_req_create) and reads the responses the way zfcp_fsf_reqid_check
 * does.
 *
 * Guest memory map (ZD_MEM bytes):
 *   0x10000 QDR, 0x11000 QIB
 *   0x12000 input SLIB, 0x12800 input SL, 0x12c00 input SLSB
 *   0x13000 output SLIB, 0x13800 output SL, 0x13c00 output SLSB
 *   0x20000 input SBALs (128 x 256), 0x28000 output SBALs
 *   0x40000 QTCBs (128 slots x 2 KiB), 0x80000 status-read buffers (32 x 4 KiB)
 *   0x100000.. data
 */
#ifndef ZDRV_H
#define ZDRV_H

#include <stdbool.h>
#include <stdint.h>

#include "fcp/fsf.h"
#include "testhost.h"

#define ZD_MEM          (4u << 20)
#define ZD_QDR          0x10000u
#define ZD_QIB          0x11000u
#define ZD_IN_SLIB      0x12000u
#define ZD_IN_SL        0x12800u
#define ZD_IN_SLSB      0x12c00u
#define ZD_OUT_SLIB     0x13000u
#define ZD_OUT_SL       0x13800u
#define ZD_OUT_SLSB     0x13c00u
#define ZD_IN_SBAL      0x20000u
#define ZD_OUT_SBAL     0x28000u
#define ZD_QTCB         0x40000u
#define ZD_SRBUF        0x80000u
#define ZD_DATA         0x100000u

struct zd_seg {
    uint64_t addr;
    uint32_t len;
};

struct zdrv {
    struct testhost *th;
    struct db_host *h;
    unsigned out_next;          /* driver's next free output SBAL */
    unsigned in_next;           /* driver's next input SBAL to look at */
    uint64_t next_id;
    unsigned qtcb_slot;
    unsigned sbale_per_sbal;    /* zfcp: 15 without data division (element 15
                                   free), 16 with it (max_sbale_per_sbal) */
    uint64_t extra[32];         /* zd_run: other ids that completed with it */
    unsigned nextra;
};

/* Guest memory with queue structures (SLSBs NOT_INIT), no establish. */
int zd_init(struct zdrv *z);
void zd_fini(struct zdrv *z);
/* Write the QDR as setup_qdr does. */
void zd_write_qdr(struct zdrv *z);
/* zfcp_qdio_open: all 128 input buffers SLSB_CU_INPUT_EMPTY. */
void zd_give_input(struct zdrv *z);

uint8_t zd_slsb(struct zdrv *z, bool out, unsigned i);
void zd_set_slsb(struct zdrv *z, bool out, unsigned i, uint8_t v);
uint64_t zd_out_sbal(unsigned i);
uint64_t zd_in_sbal(unsigned i);

/*
 * Build one request at out_next: element 0 = id with COMMAND | sbtype,
 * then segs[0..n-1] (QTCB or status buffer first), chained over SBALs with
 * MORE_SBALS, LAST_ENTRY on the final element; prime all its SBALs.
 * Returns the request id; *first / *nsbals (may be NULL) the SBAL range.
 */
uint64_t zd_submit(struct zdrv *z, uint8_t sbtype, const struct zd_seg *segs, unsigned n,
                   unsigned *first, unsigned *nsbals);

/* Collect completed ids from primed input SBALs (giving the buffers back). */
unsigned zd_collect(struct zdrv *z, uint64_t *ids, unsigned max);

/* A fresh zeroed QTCB slot with prefix/header filled as zfcp_fsf_req_create
 * does; returns its address. */
uint64_t zd_qtcb(struct zdrv *z, uint64_t req_id, uint32_t cmd, uint32_t type);
uint64_t zd_peek_id(const struct zdrv *z);

/* QTCB field accessors (prefix offset 0, header 64, bottom 160). */
uint32_t zd_rd32(struct zdrv *z, uint64_t addr);
uint64_t zd_rd64(struct zdrv *z, uint64_t addr);
void zd_wr32(struct zdrv *z, uint64_t addr, uint32_t v);
void zd_wr64(struct zdrv *z, uint64_t addr, uint64_t v);
#define ZQ_PROT_STATUS(q)   ((q) + 24)
#define ZQ_PSQ(q)           ((q) + 28)
#define ZQ_HDR(q)           ((q) + 64)
#define ZQ_PORT_HANDLE(q)   ((q) + 64 + 16)
#define ZQ_LUN_HANDLE(q)    ((q) + 64 + 20)
#define ZQ_FSF_STATUS(q)    ((q) + 64 + 28)
#define ZQ_FSF_SQ(q)        ((q) + 64 + 32)
#define ZQ_BOTTOM(q)        ((q) + 160)

/*
 * Run one QTCB command end to end: build the QTCB (cmd/type, handles),
 * let `fill` adjust the bottom, submit with the data segments, SIGA-w,
 * and require exactly that request id back.  Returns the QTCB address.
 */
typedef void (*zd_fill_fn)(struct zdrv *z, uint64_t qtcb, void *arg);
uint64_t zd_run(struct zdrv *z, struct fsf_dev *f, uint32_t cmd, uint32_t ph, uint32_t lh,
                zd_fill_fn fill, void *arg, const struct zd_seg *data, unsigned ndata,
                uint8_t sbtype);

/* FCP command: CDB (16 bytes), direction, FCP_DL, data segments. */
uint64_t zd_fcp(struct zdrv *z, struct fsf_dev *f, uint32_t ph, uint32_t lh, uint64_t lun,
                const uint8_t cdb[16], uint32_t dir, uint32_t dl, const struct zd_seg *data,
                unsigned ndata);

#endif
