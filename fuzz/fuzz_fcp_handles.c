/*
 * libFuzzer target: the libfcp FSF request sequence with the handles, WWPNs
 * and LUNs a host (zfcp) chooses -- OPEN PORT, OPEN LUN, CLOSE LUN, CLOSE
 * PORT, SEND FCP (a READ(10)/WRITE(10)/TEST UNIT READY on the handles),
 * link up, plus target-side changes (port/LUN removed, faults armed) -- in
 * any order, on an adapter with two ports and three LUNs.
 *
 * Input: up to 32 operations, each:
 *   u8 op % 10, then per op:
 *     0 open port    u8 wwpn selector (% 3: two known, one unknown)
 *     1 open LUN     u8 port-handle selector, u8 LUN selector (% 4)
 *     2 close LUN    u8 port-handle selector, u8 LUN-handle selector
 *     3 close port   u8 port-handle selector
 *     4 SCSI         u8 port-handle sel, u8 LUN-handle sel, u8 cdb kind, u32 lba, u8 nblocks
 *     5 link up      u8 wwpn selector
 *     6 remove LUN   u8 wwpn selector, u8 LUN selector
 *     7 remove port  u8 wwpn selector
 *     8 fault        u8 kind, u8 wwpn sel, u8 LUN sel, u32 lba
 *     9 clear fault  u8 kind, u8 wwpn sel, u8 LUN sel
 *   A handle selector < 0xf0 picks one of the handles handed out so far,
 *   else it is a raw (probably stale or invented) handle.
 * Invariants: every call returns a known status (fcp_status_name not "?");
 * a SCSI command's data_len never exceeds its buffer; handles handed out
 * are never reused while open (checked by libfcp itself: ASan + the status).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <fcp/fcp.h>

#include "fuzz_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint64_t wwpns[3] = { 0x500507630300c562ull, 0x500507630300c563ull,
                                   0x5005076303ffffffull };
static const uint64_t luns[4] = { 0x4010400000000000ull, 0x4011400000000000ull,
                                  0x0000000000000000ull, 0x4012400000000000ull };

#define MAXH 16
#define BUF  (8u * 4096u)

static uint32_t pick(uint8_t sel, const uint32_t *h, unsigned n, struct fz *f)
{
    if (sel < 0xf0 && n) {
        return h[sel % n];
    }
    return sel < 0xf0 ? sel : fz_u32(f);
}

static void check(enum fcp_status st)
{
    const char *n = fcp_status_name(st);
    if (!n || !strcmp(n, "FCP_ST_?")) {
        fz_fail("unknown fcp status %d", (int)st);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz f = { data, size };
    struct fcp_adapter_config cfg;
    struct fcp_adapter *a = NULL;
    fcp_adapter_default_config(&cfg, 0x1900);
    if (fcp_adapter_new(&cfg, &a) != FCP_ST_OK) {
        return 0;
    }
    (void)fcp_port_add(a, wwpns[0], 0x010200u);
    (void)fcp_port_add(a, wwpns[1], 0x010300u);
    (void)fcp_lun_add_mem(a, wwpns[0], luns[0], 512, 64);
    (void)fcp_lun_add_mem(a, wwpns[0], luns[1], 4096, 8);
    (void)fcp_lun_add_mem(a, wwpns[1], luns[3], 512, 16);
    uint32_t ph[MAXH], lh[MAXH];
    unsigned nph = 0, nlh = 0;
    uint8_t *buf = calloc(1, BUF);
    if (!buf) {
        abort();
    }
    for (unsigned i = 0; i < 32 && f.n > 0; i++) {
        uint8_t op = fz_u8(&f) % 10u;
        enum fcp_status st = FCP_ST_OK;
        switch (op) {
        case 0: {
            uint32_t h = 0;
            st = fcp_port_open(a, wwpns[fz_u8(&f) % 3u], &h);
            if (st == FCP_ST_OK && nph < MAXH) {
                ph[nph++] = h;
            }
            break;
        }
        case 1: {
            uint32_t p = pick(fz_u8(&f), ph, nph, &f), h = 0;
            st = fcp_lun_open(a, p, luns[fz_u8(&f) % 4u], &h);
            if (st == FCP_ST_OK && nlh < MAXH) {
                lh[nlh++] = h;
            }
            break;
        }
        case 2: {
            uint32_t p = pick(fz_u8(&f), ph, nph, &f);
            st = fcp_lun_close(a, p, pick(fz_u8(&f), lh, nlh, &f));
            break;
        }
        case 3:
            st = fcp_port_close(a, pick(fz_u8(&f), ph, nph, &f));
            break;
        case 4: {
            uint32_t p = pick(fz_u8(&f), ph, nph, &f);
            uint32_t l = pick(fz_u8(&f), lh, nlh, &f);
            uint8_t kind = fz_u8(&f) % 3u;
            uint32_t lba = fz_u32(&f);
            uint8_t nb = fz_u8(&f) % 9u;
            uint8_t cdb[10] = { 0 };
            size_t in_len = 0, out_len = 0;
            if (kind == 0) {
                cdb[0] = 0x28;                      /* READ(10) */
                in_len = (size_t)nb * 4096u;
            } else if (kind == 1) {
                cdb[0] = 0x2a;                      /* WRITE(10) */
                out_len = (size_t)nb * 4096u;
            }
            cdb[2] = (uint8_t)(lba >> 24);
            cdb[3] = (uint8_t)(lba >> 16);
            cdb[4] = (uint8_t)(lba >> 8);
            cdb[5] = (uint8_t)lba;
            cdb[8] = nb;
            struct fcp_scsi_result r;
            memset(&r, 0, sizeof(r));
            st = fcp_scsi_exec(a, p, l, cdb, sizeof(cdb), in_len ? buf : NULL, in_len,
                               out_len ? buf : NULL, out_len, &r);
            if (r.data_len > (in_len > out_len ? in_len : out_len)) {
                fz_fail("data_len %zu > buffer %zu", (size_t)r.data_len,
                        in_len > out_len ? in_len : out_len);
            }
            break;
        }
        case 5:
            st = fcp_port_link_up(a, wwpns[fz_u8(&f) % 3u]);
            break;
        case 6: {
            uint64_t w = wwpns[fz_u8(&f) % 3u];
            st = fcp_lun_remove(a, w, luns[fz_u8(&f) % 4u]);
            break;
        }
        case 7:
            st = fcp_port_remove(a, wwpns[fz_u8(&f) % 3u]);
            break;
        case 8: {
            struct fcp_fault ft;
            memset(&ft, 0, sizeof(ft));
            ft.kind = (enum fcp_fault_kind)(fz_u8(&f) % (FCP_FAULT_KINDS + 1u));
            uint64_t w = wwpns[fz_u8(&f) % 3u], l = luns[fz_u8(&f) % 4u];
            ft.lba = fz_u32(&f) % 128u;
            ft.count = 1 + ft.lba % 4u;
            ft.skip = (uint32_t)(ft.lba % 3u);
            ft.times = (uint32_t)(ft.lba % 2u);
            st = ft.kind == FCP_FAULT_PORT_REJECT ? fcp_port_fault_set(a, w, &ft)
                                                   : fcp_lun_fault_set(a, w, l, &ft);
            break;
        }
        default: {
            enum fcp_fault_kind k = (enum fcp_fault_kind)(fz_u8(&f) % (FCP_FAULT_KINDS + 1u));
            uint64_t w = wwpns[fz_u8(&f) % 3u], l = luns[fz_u8(&f) % 4u];
            st = k == FCP_FAULT_PORT_REJECT ? fcp_port_fault_clear(a, w, k)
                                            : fcp_lun_fault_clear(a, w, l, k);
            break;
        }
        }
        check(st);
    }
    free(buf);
    fcp_adapter_free(a);
    return 0;
}
