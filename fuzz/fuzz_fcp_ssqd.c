/*
 * libFuzzer target: libfcp's CHSC "store subchannel QDIO data" answer
 * (fcp_ssqd_answer, fcp/ssqd.h), which the patched QEMU feeds with the
 * guest's CHSC request block (target/s390x/ioinst.c, patch 0006).
 *
 * Input:  u16 req_len % 0x40, u16 cap % 0x1040, u8 kind map seed,
 *         req_len bytes request block (exact-size copy: ASan catches any
 *         read past it), nothing else.
 * Invariants: the answer never writes past cap (exact-size buffer, and a
 * canary-filled tail checked); *resp_len <= cap, >= 8 when cap >= 8; the
 * response code is one of 0x0001/0x0003/0x0007 (or 0 for cap < 8); the
 * header's length field equals *resp_len; a 0x0001 answer carries whole
 * 32-byte descriptors, each FCP one with CAPABILITY|VALIDITY and its own
 * subchannel number, each absent one all zero.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dumpbench/be.h>

#include "fcp/ssqd.h"
#include "fuzz_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Subchannel kinds from a seed: deterministic per (ssid, sch). */
static enum ssqd_sch_kind lookup(void *opaque, unsigned ssid, unsigned sch)
{
    unsigned seed = *(const uint8_t *)opaque;
    if (ssid > 3 || sch > 0xffff)
        fz_fail("lookup called with ssid %u sch %u", ssid, sch);
    unsigned v = (sch * 7u + ssid * 13u + seed) % 3u;
    return (enum ssqd_sch_kind)v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz f = { data, size };
    size_t req_len = fz_u16(&f) % 0x40u;
    size_t cap = fz_u16(&f) % 0x1040u;
    uint8_t seed = fz_u8(&f);
    uint8_t *req = malloc(req_len ? req_len : 1);
    uint8_t *resp = malloc(cap + 16);
    if (!req || !resp)
        abort();
    fz_bytes(&f, req, req_len);
    memset(resp, 0xa5, cap + 16);
    size_t resp_len = 0xdeadbeef;
    unsigned rc = fcp_ssqd_answer(req_len ? req : NULL, req_len, resp, cap, lookup, &seed,
                                  &resp_len);
    for (size_t i = cap; i < cap + 16; i++)
        if (resp[i] != 0xa5)
            fz_fail("byte %zu written past cap %zu", i, cap);
    if (cap < 8 || req_len == 0) {
        if (rc != 0 && cap < 8)
            fz_fail("rc 0x%x with cap %zu", rc, cap);
        goto out;
    }
    if (rc != 0 && rc != CHSC_RC_OK && rc != CHSC_RC_REQ_ERROR && rc != CHSC_RC_FORMAT)
        fz_fail("response code 0x%x", rc);
    if (rc == 0)
        goto out;
    if (resp_len < CHSC_SSQD_RESP_HDR_LEN || resp_len > cap)
        fz_fail("resp_len %zu (cap %zu)", resp_len, cap);
    if (db_ld_be16(resp) != resp_len)
        fz_fail("header length %u, resp_len %zu", db_ld_be16(resp), resp_len);
    if (db_ld_be16(resp + 2) != rc)
        fz_fail("header code 0x%x, rc 0x%x", db_ld_be16(resp + 2), rc);
    if (rc != CHSC_RC_OK)
        goto out;
    if ((resp_len - CHSC_SSQD_RESP_HDR_LEN) % CHSC_SSQD_DESC_LEN != 0)
        fz_fail("partial descriptor: resp_len %zu", resp_len);
    if (req_len < 8)
        fz_fail("accepted a %zu-byte request", req_len);
    unsigned ssid = (db_ld_be16(req + 4) >> 4) & 3u, first = db_ld_be16(req + 6);
    size_t n = (resp_len - CHSC_SSQD_RESP_HDR_LEN) / CHSC_SSQD_DESC_LEN;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *d = resp + CHSC_SSQD_RESP_HDR_LEN + i * CHSC_SSQD_DESC_LEN;
        unsigned sch = first + (unsigned)i;
        enum ssqd_sch_kind k = lookup(&seed, ssid, sch);
        if (k == SSQD_SCH_FCP) {
            if ((d[SSQD_OFF_FLAGS] & (CHSC_FLAG_QDIO_CAPABILITY | CHSC_FLAG_VALIDITY)) !=
                    (CHSC_FLAG_QDIO_CAPABILITY | CHSC_FLAG_VALIDITY) ||
                db_ld_be16(d + SSQD_OFF_SCH) != sch)
                fz_fail("FCP descriptor %zu for sch 0x%x wrong", i, sch);
            if (d[SSQD_OFF_QDIOAC1] & (AC1_SC_QEBSM_AVAILABLE | AC1_SC_QEBSM_ENABLED))
                fz_fail("QEBSM offered for sch 0x%x", sch);
        } else if (k == SSQD_SCH_NONE) {
            for (size_t j = 0; j < CHSC_SSQD_DESC_LEN; j++)
                if (d[j])
                    fz_fail("absent sch 0x%x: descriptor byte %zu nonzero", sch, j);
        }
    }
out:
    free(req);
    free(resp);
    return 0;
}
