/*
 * FCP_CMND IU decoding and FCP_RSP IU encoding (layouts in fcp/fcp_cmnd.h,
 * Linux include/scsi/fc/fc_fcp.h; FCP-3 9.2 FCP_CMND, 9.5 FCP_RSP).
 */
#include <string.h>

#include <dumpbench/be.h>

#include "fcp_internal.h"

/*
 * Checks, in order: length >= FCP_CMND_IU_LEN and <= FSF_FCP_CMND_SIZE,
 * ADDITIONAL FCP_CDB LENGTH == 0 (only 16-byte CDBs are supported), then
 * RDDATA and WRDATA not both set.  *out is written only on success.
 */
enum fcp_status fcp_cmnd_iu_decode(const uint8_t *iu, size_t len, struct fcp_cmnd_info *out)
{
    if (!iu || !out) {
        return FCP_ST_ERR_INVALID;
    }
    if (len < FCP_CMND_IU_LEN || len > FSF_FCP_CMND_SIZE) {
        return FCP_ST_CMND_LENGTH_NOT_VALID;
    }
    struct fcp_cmnd_iu c;
    memcpy(&c, iu, sizeof(c));         /* private copy, then parse */
    if ((c.fc_flags & FCP_CFL_LEN_MASK) != 0) {
        return FCP_ST_CMND_LENGTH_NOT_VALID;
    }
    if ((c.fc_flags & FCP_CFL_RDDATA) && (c.fc_flags & FCP_CFL_WRDATA)) {
        return FCP_ST_DIRECTION_NOT_VALID;
    }
    memset(out, 0, sizeof(*out));
    out->lun = db_ld_be64(c.fc_lun);
    out->task_attr = c.fc_pri_ta & FCP_PTA_MASK;
    out->tm_flags = c.fc_tm_flags;
    out->rddata = (c.fc_flags & FCP_CFL_RDDATA) ? 1 : 0;
    out->wrdata = (c.fc_flags & FCP_CFL_WRDATA) ? 1 : 0;
    memcpy(out->cdb, c.fc_cdb, sizeof(out->cdb));
    out->cdb_len = sizeof(c.fc_cdb);
    out->dl = db_ld_be32(c.fc_dl);
    return FCP_ST_OK;
}

enum fcp_status fcp_rsp_iu_encode(const struct fcp_scsi_result *res, uint8_t *buf,
                                  size_t cap, size_t *len)
{
    if (!res || !buf || !len || res->sense_len > sizeof(res->sense)) {
        return FCP_ST_ERR_INVALID;
    }
    size_t need = FCP_RSP_IU_LEN + res->sense_len;
    if (cap < need) {
        return FCP_ST_ERR_INVALID;
    }
    struct fcp_rsp_iu r;
    memset(&r, 0, sizeof(r));
    r.fr_flags = res->fcp_flags & (FCP_RESID_UNDER | FCP_RESID_OVER);
    r.fr_status = res->scsi_status;
    if (r.fr_flags) {
        db_st_be32(r.fr_resid, res->resid);
    }
    if (res->sense_len) {
        r.fr_flags |= FCP_SNS_LEN_VAL;
        db_st_be32(r.fr_sns_len, res->sense_len);
    }
    memcpy(buf, &r, sizeof(r));
    memcpy(buf + sizeof(r), res->sense, res->sense_len);
    *len = need;
    return FCP_ST_OK;
}
