/* Shared execution helper of the libfcp fuzz targets. */
#include "fuzz_fcp_common.h"

#include <string.h>

#include "fuzz_host.h"

void fz_fcp_exec(struct fz_fcp *x, const uint8_t *cdb, size_t cdb_len, size_t in_len,
                 const uint8_t *out, size_t out_len)
{
    uint8_t *c = malloc(cdb_len ? cdb_len : 1);
    uint8_t *in = in_len ? malloc(in_len) : NULL;
    uint8_t *o = out_len ? malloc(out_len) : NULL;
    if (!c || (in_len && !in) || (out_len && !o)) {
        abort();
    }
    memcpy(c, cdb, cdb_len);
    if (o) {
        memcpy(o, out, out_len);
    }
    struct fcp_scsi_result res;
    memset(&res, 0xa5, sizeof(res));
    enum fcp_status st = fcp_scsi_exec(x->a, x->port_handle, x->lun_handle, cdb_len ? c : NULL,
                                       cdb_len, in, in_len, o, out_len, &res);
    (void)fcp_status_name(st);
    if (res.sense_len != 0 && res.sense_len != SCSI_SENSE_FIXED_LEN) {
        fz_fail("sense_len %u", res.sense_len);
    }
    if (st == FCP_ST_OK || st == FCP_ST_FCP_RSP_AVAILABLE) {
        size_t lim = in_len > out_len ? in_len : out_len;
        if (res.data_len > lim) {
            fz_fail("data_len %zu > buffer %zu (opcode 0x%02x)", res.data_len, lim,
                    cdb_len ? cdb[0] : 0);
        }
        if ((st == FCP_ST_OK) != (res.scsi_status == SCSI_STATUS_GOOD)) {
            fz_fail("status %s with SCSI status 0x%02x", fcp_status_name(st), res.scsi_status);
        }
        uint8_t rsp[FSF_FCP_RSP_SIZE];
        size_t rlen = 0;
        if (fcp_rsp_iu_encode(&res, rsp, sizeof(rsp), &rlen) != FCP_ST_OK ||
            rlen > sizeof(rsp)) {
            fz_fail("FCP_RSP encode failed / too long (%zu)", rlen);
        }
    }
    struct fcp_fsf_code code;
    (void)fcp_status_to_fsf(st, &code);
    free(c);
    free(in);
    free(o);
}
