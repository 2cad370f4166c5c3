/* CHSC SSQD request parsing / response building (see fcp/ssqd.h). */
#include <string.h>

#include <dumpbench/be.h>

#include "fcp/qdio.h"
#include "fcp/ssqd.h"

/* chsc_ssqd_area (drivers/s390/cio/chsc.h): u16:10, ssid:2, fmt:4 @4 */
#define SSQD_REQ_OFF_SSIDFMT    4
#define SSQD_REQ_OFF_FIRST      6
#define SSQD_REQ_OFF_RES1       8
#define SSQD_REQ_OFF_LAST       10
#define SSQD_REQ_OFF_RES2       12
#define SSQD_SSIDFMT_RES        0xffc0u
#define SSQD_SSIDFMT_SSID(x)    (((x) >> 4) & 0x3u)
#define SSQD_SSIDFMT_FMT(x)     ((x) & 0xfu)

static unsigned finish(uint8_t *resp, unsigned code, size_t len, size_t *resp_len)
{
    db_st_be16(resp, (uint16_t)len);
    db_st_be16(resp + 2, (uint16_t)code);
    db_st_be32(resp + 4, 0);
    if (resp_len) {
        *resp_len = len;
    }
    return code;
}

unsigned fcp_ssqd_answer(const uint8_t *req, size_t req_len, uint8_t *resp, size_t cap,
                         ssqd_lookup_fn lookup, void *opaque, size_t *resp_len)
{
    if (resp_len) {
        *resp_len = 0;
    }
    if (!req || !resp || !lookup || cap < CHSC_SSQD_RESP_HDR_LEN) {
        return 0;
    }
    memset(resp, 0, CHSC_SSQD_RESP_HDR_LEN);
    if (req_len != CHSC_SSQD_REQ_LEN || db_ld_be16(req) != CHSC_SSQD_REQ_LEN) {
        return finish(resp, CHSC_RC_REQ_ERROR, CHSC_SSQD_RESP_HDR_LEN, resp_len);
    }
    uint16_t sf = db_ld_be16(req + SSQD_REQ_OFF_SSIDFMT);
    if ((sf & SSQD_SSIDFMT_RES) || db_ld_be16(req + SSQD_REQ_OFF_RES1) ||
        db_ld_be32(req + SSQD_REQ_OFF_RES2)) {
        return finish(resp, CHSC_RC_REQ_ERROR, CHSC_SSQD_RESP_HDR_LEN, resp_len);
    }
    if (SSQD_SSIDFMT_FMT(sf) != 0) {
        return finish(resp, CHSC_RC_FORMAT, CHSC_SSQD_RESP_HDR_LEN, resp_len);
    }
    unsigned ssid = SSQD_SSIDFMT_SSID(sf);
    unsigned first = db_ld_be16(req + SSQD_REQ_OFF_FIRST);
    unsigned last = db_ld_be16(req + SSQD_REQ_OFF_LAST);
    if (first > last) {
        return finish(resp, CHSC_RC_REQ_ERROR, CHSC_SSQD_RESP_HDR_LEN, resp_len);
    }
    size_t len = CHSC_SSQD_RESP_HDR_LEN;
    for (unsigned sch = first; sch <= last; sch++) {
        if (cap - len < CHSC_SSQD_DESC_LEN || len + CHSC_SSQD_DESC_LEN > 0xffffu) {
            break;
        }
        uint8_t *d = resp + len;
        memset(d, 0, CHSC_SSQD_DESC_LEN);
        switch (lookup(opaque, ssid, sch)) {
        case SSQD_SCH_FCP:
            d[SSQD_OFF_FLAGS] = CHSC_FLAG_QDIO_CAPABILITY | CHSC_FLAG_VALIDITY;
            db_st_be16(d + SSQD_OFF_SCH, (uint16_t)sch);
            d[SSQD_OFF_QFMT] = QDIO_ZFCP_QFMT;
            d[SSQD_OFF_QDIOAC1] = AC1_SIGA_OUTPUT_NEEDED | AC1_SIGA_INPUT_NEEDED;
            d[SSQD_OFF_ICNT] = 1;
            d[SSQD_OFF_OCNT] = 1;
            break;
        case SSQD_SCH_OTHER:
            d[SSQD_OFF_FLAGS] = CHSC_FLAG_VALIDITY;
            db_st_be16(d + SSQD_OFF_SCH, (uint16_t)sch);
            break;
        default:
            break;
        }
        len += CHSC_SSQD_DESC_LEN;
    }
    return finish(resp, CHSC_RC_OK, len, resp_len);
}
