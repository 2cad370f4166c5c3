/*
 * IPL parameter block codec and field-by-field validation
 * (lx61:arch/s390/include/uapi/asm/ipl.h; q72:hw/s390x/ipl.h iplb_valid,
 * which is laxer - see spec 1.1).  Order of checks:
 *   1. hdr.len >= 13 (header + blk0 len + pbt) and <= avail   -> E_SHORT
 *   2. hdr.len <= 4096                                        -> E_TOO_LONG
 *   3. hdr.version == 0                                       -> E_VERSION
 *   4. blk0.len == hdr.len - 8                                -> E_BLK0_LEN
 *   5. pbt in {FCP, CCW, NVMe (if allowed)}                   -> E_PBT
 *   6. per type: CCW blk0.len == 192, vm_parm_len <= 64;
 *      FCP/NVMe blk0.len >= 636, scp_data_len <= 3452 and
 *      blk0.len == 636 + scp_data_len, opt 0x10 or 0x20.
 */
#include <string.h>

#include <dumpbench/be.h>

#include <sclp/ipl_block.h>

#define FCP(f) SCLP_IPLB_OFF(struct sclp_ipl_pb0_fcp, f)
#define NVME(f) SCLP_IPLB_OFF(struct sclp_ipl_pb0_nvme, f)
#define CCW(f) SCLP_IPLB_OFF(struct sclp_ipl_pb0_ccw, f)

enum sclp_iplb_status sclp_iplb_validate(const uint8_t *buf, size_t avail,
                                         bool allow_nvme)
{
    if (!buf) {
        return SCLP_IPLB_E_ARG;
    }
    if (avail < SCLP_IPLB_OFF_BLK0 + 5) {
        return SCLP_IPLB_E_SHORT;
    }
    uint32_t len = db_ld_be32(buf + SCLP_IPLB_OFF_LEN);
    if (len < SCLP_IPLB_OFF_BLK0 + 5) {
        return SCLP_IPLB_E_SHORT;
    }
    if (len > SCLP_IPLB_SIZE) {
        return SCLP_IPLB_E_TOO_LONG;
    }
    if (len > avail) {
        return SCLP_IPLB_E_SHORT;
    }
    if (buf[SCLP_IPLB_OFF_VERSION] > SCLP_IPLB_MAX_VERSION) {
        return SCLP_IPLB_E_VERSION;
    }
    uint32_t blen = db_ld_be32(buf + SCLP_IPLB_OFF_BLK0);
    if (blen != len - SCLP_IPLB_OFF_BLK0) {
        return SCLP_IPLB_E_BLK0_LEN;
    }
    uint8_t pbt = buf[FCP(pbt)];
    switch (pbt) {
    case SCLP_IPL_PBT_CCW:
        if (blen != SCLP_IPL_BP0_CCW_LEN) {
            return SCLP_IPLB_E_BLK0_LEN;
        }
        if (db_ld_be32(buf + CCW(vm_parm_len)) > SCLP_IPL_VM_PARM_SIZE) {
            return SCLP_IPLB_E_VM_PARM_LEN;
        }
        return SCLP_IPLB_OK;
    case SCLP_IPL_PBT_FCP:
    case SCLP_IPL_PBT_NVME: {
        /* NVMe has the same length rules and opt offset as FCP. */
        if (pbt == SCLP_IPL_PBT_NVME && !allow_nvme) {
            return SCLP_IPLB_E_PBT;
        }
        if (blen < SCLP_IPL_BP0_FCP_LEN) {
            return SCLP_IPLB_E_BLK0_LEN;
        }
        uint32_t scp = db_ld_be32(buf + FCP(scp_data_len));
        if (scp > SCLP_IPL_SCPDATA_SIZE ||
            blen != SCLP_IPL_BP0_FCP_LEN + scp) {
            return SCLP_IPLB_E_SCP_LEN;
        }
        uint8_t opt = buf[FCP(opt)];
        if (opt != SCLP_IPL_OPT_IPL && opt != SCLP_IPL_OPT_DUMP) {
            return SCLP_IPLB_E_OPT;
        }
        return SCLP_IPLB_OK;
    }
    default:
        return SCLP_IPLB_E_PBT;
    }
}

enum sclp_iplb_status sclp_iplb_decode(const uint8_t *buf, size_t avail,
                                       struct sclp_iplb_info *out)
{
    if (!out) {
        return SCLP_IPLB_E_ARG;
    }
    enum sclp_iplb_status st = sclp_iplb_validate(buf, avail, true);
    if (st != SCLP_IPLB_OK) {
        return st;
    }
    memset(out, 0, sizeof(*out));
    out->hdr_flags = buf[SCLP_IPLB_OFF_FLAGS];
    out->pbt = buf[FCP(pbt)];
    out->pb0_flags = buf[FCP(flags)];
    memcpy(out->loadparm, buf + FCP(loadparm), 8);
    if (out->pbt == SCLP_IPL_PBT_CCW) {
        out->ssid = buf[CCW(ssid)] & 7;
        out->devno = db_ld_be16(buf + CCW(devno));
        out->vm_flags = buf[CCW(vm_flags)];
        out->vm_parm_len = db_ld_be32(buf + CCW(vm_parm_len));
        memcpy(out->nss_name, buf + CCW(nss_name), 8);
        memcpy(out->vm_parm, buf + CCW(vm_parm), SCLP_IPL_VM_PARM_SIZE);
        return SCLP_IPLB_OK;
    }
    out->opt = buf[FCP(opt)];
    if (out->pbt == SCLP_IPL_PBT_FCP) {
        out->cssid = buf[FCP(cssid)];
        out->devno = db_ld_be16(buf + FCP(devno));
        out->wwpn = db_ld_be64(buf + FCP(wwpn));
        out->lun = db_ld_be64(buf + FCP(lun));
    } else {
        out->fid = db_ld_be32(buf + NVME(fid));
        out->nsid = db_ld_be32(buf + NVME(nsid));
    }
    out->bootprog = db_ld_be32(buf + FCP(bootprog));
    out->br_lba = db_ld_be64(buf + FCP(br_lba));
    out->scp_data_len = db_ld_be32(buf + FCP(scp_data_len));
    memcpy(out->scp_data, buf + SCLP_IPL_SCPDATA_OFFSET, out->scp_data_len);
    return SCLP_IPLB_OK;
}

enum sclp_iplb_status sclp_iplb_encode(const struct sclp_iplb_info *in,
                                       uint8_t out[SCLP_IPLB_SIZE],
                                       uint32_t *len_out)
{
    if (!in || !out) {
        return SCLP_IPLB_E_ARG;
    }
    uint32_t len;
    memset(out, 0, SCLP_IPLB_SIZE);
    switch (in->pbt) {
    case SCLP_IPL_PBT_CCW:
        if (in->vm_parm_len > SCLP_IPL_VM_PARM_SIZE) {
            return SCLP_IPLB_E_VM_PARM_LEN;
        }
        len = SCLP_IPL_BP_CCW_LEN;
        out[CCW(ssid)] = in->ssid & 7;
        db_st_be16(out + CCW(devno), in->devno);
        out[CCW(vm_flags)] = in->vm_flags;
        db_st_be32(out + CCW(vm_parm_len), in->vm_parm_len);
        memcpy(out + CCW(nss_name), in->nss_name, 8);
        memcpy(out + CCW(vm_parm), in->vm_parm, SCLP_IPL_VM_PARM_SIZE);
        break;
    case SCLP_IPL_PBT_FCP:
    case SCLP_IPL_PBT_NVME:
        if (in->scp_data_len > SCLP_IPL_SCPDATA_SIZE) {
            return SCLP_IPLB_E_SCP_LEN;
        }
        if (in->opt != SCLP_IPL_OPT_IPL && in->opt != SCLP_IPL_OPT_DUMP) {
            return SCLP_IPLB_E_OPT;
        }
        len = SCLP_IPL_BP_FCP_LEN + in->scp_data_len;
        out[FCP(opt)] = in->opt;
        if (in->pbt == SCLP_IPL_PBT_FCP) {
            out[FCP(cssid)] = in->cssid;
            db_st_be16(out + FCP(devno), in->devno);
            db_st_be64(out + FCP(wwpn), in->wwpn);
            db_st_be64(out + FCP(lun), in->lun);
        } else {
            db_st_be32(out + NVME(fid), in->fid);
            db_st_be32(out + NVME(nsid), in->nsid);
        }
        db_st_be32(out + FCP(bootprog), in->bootprog);
        db_st_be64(out + FCP(br_lba), in->br_lba);
        db_st_be32(out + FCP(scp_data_len), in->scp_data_len);
        memcpy(out + SCLP_IPL_SCPDATA_OFFSET, in->scp_data, in->scp_data_len);
        break;
    default:
        return SCLP_IPLB_E_PBT;
    }
    db_st_be32(out + SCLP_IPLB_OFF_LEN, len);
    out[SCLP_IPLB_OFF_FLAGS] = in->hdr_flags;
    out[SCLP_IPLB_OFF_VERSION] = 0;
    db_st_be32(out + SCLP_IPLB_OFF_BLK0, len - SCLP_IPLB_OFF_BLK0);
    out[FCP(pbt)] = in->pbt;
    out[FCP(flags)] = in->pb0_flags;
    memcpy(out + FCP(loadparm), in->loadparm, 8);
    if (len_out) {
        *len_out = len;
    }
    return SCLP_IPLB_OK;
}

bool sclp_iplb_is_dump(const uint8_t *buf, size_t avail)
{
    if (sclp_iplb_validate(buf, avail, true) != SCLP_IPLB_OK) {
        return false;
    }
    uint8_t pbt = buf[FCP(pbt)];
    return (pbt == SCLP_IPL_PBT_FCP || pbt == SCLP_IPL_PBT_NVME) &&
           buf[FCP(opt)] == SCLP_IPL_OPT_DUMP;
}

const char *sclp_iplb_strerror(enum sclp_iplb_status st)
{
    switch (st) {
    case SCLP_IPLB_OK:
        return "ok";
    case SCLP_IPLB_E_SHORT:
        return "IPL block too short";
    case SCLP_IPLB_E_TOO_LONG:
        return "IPL block length above 4096 (crosses the page)";
    case SCLP_IPLB_E_VERSION:
        return "IPL block version not 0";
    case SCLP_IPLB_E_BLK0_LEN:
        return "block 0 length inconsistent";
    case SCLP_IPLB_E_PBT:
        return "unsupported parameter block type";
    case SCLP_IPLB_E_SCP_LEN:
        return "scp_data_len out of bounds";
    case SCLP_IPLB_E_OPT:
        return "opt is neither IPL (0x10) nor DUMP (0x20)";
    case SCLP_IPLB_E_VM_PARM_LEN:
        return "vm_parm_len above 64";
    case SCLP_IPLB_E_ARG:
        return "bad argument";
    }
    return "unknown";
}

void sclp_iplb_info_fcp(struct sclp_iplb_info *info, uint8_t opt,
                        uint16_t devno, uint64_t wwpn, uint64_t lun)
{
    memset(info, 0, sizeof(*info));
    info->pbt = SCLP_IPL_PBT_FCP;
    info->opt = opt;
    info->devno = devno;
    info->wwpn = wwpn;
    info->lun = lun;
}

void sclp_iplb_info_nvme(struct sclp_iplb_info *info, uint8_t opt,
                         uint32_t fid, uint32_t nsid)
{
    memset(info, 0, sizeof(*info));
    info->pbt = SCLP_IPL_PBT_NVME;
    info->opt = opt;
    info->fid = fid;
    info->nsid = nsid;
}

void sclp_iplb_info_ccw(struct sclp_iplb_info *info, uint8_t ssid,
                        uint16_t devno)
{
    memset(info, 0, sizeof(*info));
    info->pbt = SCLP_IPL_PBT_CCW;
    info->ssid = ssid;
    info->devno = devno;
}
