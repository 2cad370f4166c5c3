/*
 * FCP information units carried in the FSF QTCB bottom of an
 * FSF_QTCB_FCP_CMND request (fsf_qtcb_bottom_io.fcp_cmnd[FSF_FCP_CMND_SIZE
 * 288] and .fcp_rsp[FSF_FCP_RSP_SIZE 128], Linux
 * drivers/s390/scsi/zfcp_fsf.h).
 *
 * Layouts as in Linux include/scsi/fc/fc_fcp.h (struct fcp_cmnd,
 * struct fcp_resp, struct fcp_resp_ext), T10 FCP-3 9.2 / 9.5.  All fields
 * are big-endian byte arrays; parse with db_ld_be*, never by casting.
 */
#ifndef FCP_FCP_CMND_H
#define FCP_FCP_CMND_H

#include <stdint.h>

/* FCP_CMND IU payload (fc_fcp.h struct fcp_cmnd, FCP_CMND_LEN 32). */
struct fcp_cmnd_iu {
    uint8_t fc_lun[8];          /*  0-7: FCP_LUN, SAM LUN format */
    uint8_t fc_cmdref;          /*  8: command reference number */
    uint8_t fc_pri_ta;          /*  9: priority(6-3) | task attribute(2-0) */
    uint8_t fc_tm_flags;        /* 10: task management flags */
    uint8_t fc_flags;           /* 11: ADDITIONAL FCP_CDB LENGTH(7-2) | RDDATA(1) | WRDATA(0) */
    uint8_t fc_cdb[16];         /* 12-27: FCP_CDB */
    uint8_t fc_dl[4];           /* 28-31: FCP_DL, expected data length, BE */
};
_Static_assert(sizeof(struct fcp_cmnd_iu) == 32, "FCP_CMND IU is 32 bytes");
#define FCP_CMND_IU_LEN         32

/* fc_pri_ta */
#define FCP_PTA_SIMPLE          0
#define FCP_PTA_HEADQ           1
#define FCP_PTA_ORDERED         2
#define FCP_PTA_ACA             4
#define FCP_PTA_MASK            0x07

/* fc_tm_flags */
#define FCP_TMF_CLR_ACA         0x40
#define FCP_TMF_TGT_RESET       0x20
#define FCP_TMF_LUN_RESET       0x10
#define FCP_TMF_CLR_TASK_SET    0x04
#define FCP_TMF_ABT_TASK_SET    0x02

/* fc_flags */
#define FCP_CFL_LEN_MASK        0xfc  /* additional CDB length in 4-byte words << 2 */
#define FCP_CFL_LEN_SHIFT       2
#define FCP_CFL_RDDATA          0x02
#define FCP_CFL_WRDATA          0x01

/*
 * FCP_RSP IU (fc_fcp.h struct fcp_resp + struct fcp_resp_ext, FCP_RESP_LEN
 * 12 + FCP_RESP_EXT_LEN 12), followed by FCP_RSP_LEN bytes of response
 * info and then FCP_SNS_LEN bytes of sense data.
 */
struct fcp_rsp_iu {
    uint8_t reserved[8];        /*  0-7 */
    uint8_t retry_delay[2];     /*  8-9: fr_retry_delay, BE */
    uint8_t fr_flags;           /* 10: FCP_RESID_UNDER/OVER, SNS_LEN_VAL, RSP_LEN_VAL */
    uint8_t fr_status;          /* 11: SCSI status */
    uint8_t fr_resid[4];        /* 12-15: FCP_RESID, BE */
    uint8_t fr_sns_len[4];      /* 16-19: FCP_SNS_LEN, BE */
    uint8_t fr_rsp_len[4];      /* 20-23: FCP_RSP_LEN, BE */
};
_Static_assert(sizeof(struct fcp_rsp_iu) == 24, "FCP_RSP IU with ext is 24 bytes");
#define FCP_RSP_IU_LEN          24

/* fr_flags */
#define FCP_BIDI_RSP            0x80
#define FCP_BIDI_READ_UNDER     0x40
#define FCP_BIDI_READ_OVER      0x20
#define FCP_CONF_REQ            0x10
#define FCP_RESID_UNDER         0x08  /* transfer shorter than FCP_DL */
#define FCP_RESID_OVER          0x04  /* FCP_DL insufficient for full transfer */
#define FCP_SNS_LEN_VAL         0x02
#define FCP_RSP_LEN_VAL         0x01

/* Size of the FCP_RSP area in the QTCB (zfcp_fsf.h FSF_FCP_RSP_SIZE). */
#define FSF_FCP_RSP_SIZE        128
#define FSF_FCP_CMND_SIZE       288

#endif /* FCP_FCP_CMND_H */
