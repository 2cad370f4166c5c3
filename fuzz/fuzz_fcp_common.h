/*
 * Shared set-up of the libfcp fuzz targets: an adapter with one remote port
 * and one memory-backed LUN, port and LUN opened, optional faults.
 */
#ifndef FUZZ_FCP_COMMON_H
#define FUZZ_FCP_COMMON_H

#include <stdint.h>
#include <stdlib.h>

#include <fcp/fcp.h>

#define FZ_FCP_WWPN   0x500507630300c562ull
#define FZ_FCP_LUN    0x4010400000000000ull
#define FZ_FCP_DID    0x010200u
#define FZ_MAX_XFER   (256u << 10)   /* the largest LUN: 64 x 4 KiB */

/* flags: 0x01 4096-byte blocks (else 512), 0x02 open the LUN 0 stand-in
 * instead, 0x04 medium error at LBA 3 (2 blocks), 0x08 link down at LBA 5,
 * 0x10 timeout after 1 command, 0x20 LUN removed after open.
 * nblocks: 1 + sel % 64. */
struct fz_fcp {
    struct fcp_adapter *a;
    uint32_t port_handle, lun_handle;
    uint64_t lun;
};

static inline int fz_fcp_setup(struct fz_fcp *x, uint8_t flags, uint8_t nsel)
{
    struct fcp_adapter_config cfg;
    fcp_adapter_default_config(&cfg, 0x1900);
    if (fcp_adapter_new(&cfg, &x->a) != FCP_ST_OK) {
        return -1;
    }
    uint32_t bs = (flags & 0x01) ? 4096u : 512u;
    if (fcp_port_add(x->a, FZ_FCP_WWPN, FZ_FCP_DID) != FCP_ST_OK ||
        fcp_lun_add_mem(x->a, FZ_FCP_WWPN, FZ_FCP_LUN, bs, 1u + nsel % 64u) != FCP_ST_OK ||
        fcp_port_open(x->a, FZ_FCP_WWPN, &x->port_handle) != FCP_ST_OK) {
        fcp_adapter_free(x->a);
        return -1;
    }
    x->lun = (flags & 0x02) ? 0 : FZ_FCP_LUN;
    if (fcp_lun_open(x->a, x->port_handle, x->lun, &x->lun_handle) != FCP_ST_OK) {
        fcp_adapter_free(x->a);
        return -1;
    }
    struct fcp_fault ft = {0};
    if (flags & 0x04) {
        ft.kind = FCP_FAULT_MEDIUM_ERROR;
        ft.lba = 3;
        ft.count = 2;
        (void)fcp_lun_fault_set(x->a, FZ_FCP_WWPN, FZ_FCP_LUN, &ft);
    }
    if (flags & 0x08) {
        ft.kind = FCP_FAULT_LINK_DOWN;
        ft.lba = 5;
        (void)fcp_lun_fault_set(x->a, FZ_FCP_WWPN, FZ_FCP_LUN, &ft);
    }
    if (flags & 0x10) {
        ft.kind = FCP_FAULT_TIMEOUT;
        ft.skip = 1;
        ft.times = 1;
        (void)fcp_lun_fault_set(x->a, FZ_FCP_WWPN, FZ_FCP_LUN, &ft);
    }
    if (flags & 0x20) {
        ft.kind = FCP_FAULT_LUN_REMOVED;
        (void)fcp_lun_fault_set(x->a, FZ_FCP_WWPN, FZ_FCP_LUN, &ft);
    }
    return 0;
}

/* Execute a CDB with exact-size data buffers and check the result. */
void fz_fcp_exec(struct fz_fcp *x, const uint8_t *cdb, size_t cdb_len, size_t in_len,
                 const uint8_t *out, size_t out_len);

#endif /* FUZZ_FCP_COMMON_H */
