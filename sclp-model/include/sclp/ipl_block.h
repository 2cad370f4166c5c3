/*
 * IPL parameter block (IPLB) as exchanged by DIAG 308 subcodes 5 (SET) and
 * 6 (STORE), with block-0 layouts for CCW, FCP and NVMe.
 *
 * Sources: lx61:arch/s390/include/uapi/asm/ipl.h (struct ipl_pl_hdr,
 * ipl_pb0_common, ipl_pb0_fcp, ipl_pb0_nvme, ipl_pb0_ccw),
 * lx61:arch/s390/include/asm/ipl.h (IPL_BP_*_LEN, DIAG308_* codes),
 * q72:hw/s390x/ipl.h (IplParameterBlock, iplb_valid, DIAG_308_RC_*).
 * Offsets are from the start of the whole IPLB (block-0 offset + 8).
 */
#ifndef SCLP_IPL_BLOCK_H
#define SCLP_IPL_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCLP_IPLB_SIZE          4096    /* BUILD_BUG_ON in lx61 setup_ipl */
#define SCLP_IPLB_MAX_VERSION   0       /* IPL_MAX_SUPPORTED_VERSION */

/* Parameter block types (enum ipl_pbt). */
#define SCLP_IPL_PBT_FCP        0
#define SCLP_IPL_PBT_SCP_DATA   1
#define SCLP_IPL_PBT_CCW        2
#define SCLP_IPL_PBT_NVME       4

/* opt values (exact compare: lx61 is_ipl_block_dump, get_ipl_type). */
#define SCLP_IPL_OPT_IPL        0x10
#define SCLP_IPL_OPT_DUMP       0x20

/* Header flags (struct ipl_pl_hdr.flags) and block-0 flags. */
#define SCLP_IPL_PL_FLAG_IPLPS  0x80
#define SCLP_IPL_PL_FLAG_SIPL   0x40
#define SCLP_IPL_PL_FLAG_IPLSR  0x20
#define SCLP_IPL_PB0_FLAG_LOADPARM 0x80
#define SCLP_IPL_CCW_VM_FLAG_NSS 0x80
#define SCLP_IPL_CCW_VM_FLAG_VP  0x40

/* Lengths (lx61 asm/ipl.h IPL_BP_FCP_LEN etc.). */
#define SCLP_IPL_BP0_FCP_LEN    636
#define SCLP_IPL_BP_FCP_LEN     (8 + SCLP_IPL_BP0_FCP_LEN)   /* 644 */
#define SCLP_IPL_BP0_NVME_LEN   636
#define SCLP_IPL_BP_NVME_LEN    (8 + SCLP_IPL_BP0_NVME_LEN)  /* 644 */
#define SCLP_IPL_BP0_CCW_LEN    192
#define SCLP_IPL_BP_CCW_LEN     (8 + SCLP_IPL_BP0_CCW_LEN)   /* 200 */
#define SCLP_IPL_SCPDATA_OFFSET 644     /* DIAG308_SCPDATA_OFFSET */
#define SCLP_IPL_SCPDATA_SIZE   (SCLP_IPLB_SIZE - SCLP_IPL_SCPDATA_OFFSET) /* 3452 */
#define SCLP_IPL_VM_PARM_SIZE   64

/* DIAG 308 subcodes (enum diag308_subcode) and return codes. */
#define DIAG308_CLEAR_RESET         0
#define DIAG308_LOAD_NORMAL_RESET   1
#define DIAG308_REL_HSA             2
#define DIAG308_LOAD_CLEAR          3
#define DIAG308_LOAD_NORMAL_DUMP    4
#define DIAG308_SET                 5
#define DIAG308_STORE               6
#define DIAG308_LOAD_NORMAL         7
#define DIAG308_FLAG_EI             (1u << 16)
#define DIAG308_RC_OK               0x0001
#define DIAG308_RC_NOCONFIG         0x0102
#define DIAG308_RC_BUSY             0x0302  /* lx61 ipl.c diag308_dump retries */
#define DIAG308_RC_INVALID          0x0402  /* q72 DIAG_308_RC_INVALID */

/* struct ipl_pl_hdr, 8 bytes. */
struct sclp_ipl_pl_hdr {
    uint8_t len[4];             /* 0-3   total IPLB length */
    uint8_t flags;              /* 4 */
    uint8_t reserved1[2];       /* 5-6 */
    uint8_t version;            /* 7     must be 0 */
};
_Static_assert(sizeof(struct sclp_ipl_pl_hdr) == 8, "ipl_pl_hdr is 8 bytes");

/* struct ipl_pb0_fcp, 636 bytes (IPLB offsets in comments). */
struct sclp_ipl_pb0_fcp {
    uint8_t len[4];             /* 8     636 + scp_data_len */
    uint8_t pbt;                /* 12    0 */
    uint8_t flags;              /* 13    (common: 0x80 loadparm valid) */
    uint8_t reserved1[2];       /* 14 */
    uint8_t loadparm[8];        /* 16 */
    uint8_t reserved2[304];     /* 24 */
    uint8_t opt;                /* 328   0x10 IPL, 0x20 DUMP */
    uint8_t reserved3[3];       /* 329 */
    uint8_t cssid;              /* 332 */
    uint8_t reserved4;          /* 333 */
    uint8_t devno[2];           /* 334 */
    uint8_t reserved5[4];       /* 336 */
    uint8_t wwpn[8];            /* 340 */
    uint8_t lun[8];             /* 348 */
    uint8_t bootprog[4];        /* 356 */
    uint8_t reserved6[12];      /* 360 */
    uint8_t br_lba[8];          /* 372 */
    uint8_t scp_data_len[4];    /* 380 */
    uint8_t reserved7[260];     /* 384 */
                                /* 644   scp_data[] */
};
_Static_assert(sizeof(struct sclp_ipl_pb0_fcp) == SCLP_IPL_BP0_FCP_LEN, "pb0_fcp is 636 bytes");
_Static_assert(offsetof(struct sclp_ipl_pb0_fcp, opt) + 8 == 328, "fcp opt @328");
_Static_assert(offsetof(struct sclp_ipl_pb0_fcp, scp_data_len) + 8 == 380, "fcp scp_data_len @380");

/* struct ipl_pb0_nvme, 636 bytes. */
struct sclp_ipl_pb0_nvme {
    uint8_t len[4];             /* 8 */
    uint8_t pbt;                /* 12    4 */
    uint8_t flags;              /* 13 */
    uint8_t reserved1[2];       /* 14 */
    uint8_t loadparm[8];        /* 16 */
    uint8_t reserved2[304];     /* 24 */
    uint8_t opt;                /* 328 */
    uint8_t reserved3[3];       /* 329 */
    uint8_t fid[4];             /* 332   PCI function id */
    uint8_t reserved4[12];      /* 336 */
    uint8_t nsid[4];            /* 348 */
    uint8_t reserved5[4];       /* 352 */
    uint8_t bootprog[4];        /* 356 */
    uint8_t reserved6[12];      /* 360 */
    uint8_t br_lba[8];          /* 372 */
    uint8_t scp_data_len[4];    /* 380 */
    uint8_t reserved7[260];     /* 384 */
};
_Static_assert(sizeof(struct sclp_ipl_pb0_nvme) == SCLP_IPL_BP0_NVME_LEN, "pb0_nvme is 636 bytes");
_Static_assert(offsetof(struct sclp_ipl_pb0_nvme, nsid) + 8 == 348, "nvme nsid @348");

/* struct ipl_pb0_ccw, 192 bytes. */
struct sclp_ipl_pb0_ccw {
    uint8_t len[4];             /* 8     192 */
    uint8_t pbt;                /* 12    2 */
    uint8_t flags;              /* 13 */
    uint8_t reserved1[2];       /* 14 */
    uint8_t loadparm[8];        /* 16 */
    uint8_t reserved2[84];      /* 24 */
    uint8_t reserved3;          /* 108 */
    uint8_t ssid;               /* 109   low 3 bits */
    uint8_t devno[2];           /* 110 */
    uint8_t vm_flags;           /* 112 */
    uint8_t reserved4[3];       /* 113 */
    uint8_t vm_parm_len[4];     /* 116 */
    uint8_t nss_name[8];        /* 120 */
    uint8_t vm_parm[64];        /* 128 */
    uint8_t reserved5[8];       /* 192 */
};
_Static_assert(sizeof(struct sclp_ipl_pb0_ccw) == SCLP_IPL_BP0_CCW_LEN, "pb0_ccw is 192 bytes");
_Static_assert(offsetof(struct sclp_ipl_pb0_ccw, devno) + 8 == 110, "ccw devno @110");
_Static_assert(offsetof(struct sclp_ipl_pb0_ccw, vm_parm) + 8 == 128, "ccw vm_parm @128");

/* IPLB byte offsets used by the codec (header + block 0). */
#define SCLP_IPLB_OFF_LEN       0
#define SCLP_IPLB_OFF_FLAGS     4
#define SCLP_IPLB_OFF_VERSION   7
#define SCLP_IPLB_OFF_BLK0      8
#define SCLP_IPLB_OFF(type, field) (SCLP_IPLB_OFF_BLK0 + offsetof(type, field))

/* Decoded (host-order) view of an IPLB. */
struct sclp_iplb_info {
    uint8_t pbt;                /* SCLP_IPL_PBT_* */
    uint8_t hdr_flags;
    uint8_t pb0_flags;
    uint8_t loadparm[8];
    uint8_t opt;                /* FCP/NVMe: 0x10 or 0x20 */
    /* FCP */
    uint8_t cssid;
    uint16_t devno;             /* FCP and CCW */
    uint64_t wwpn;
    uint64_t lun;
    /* NVMe */
    uint32_t fid;
    uint32_t nsid;
    /* FCP and NVMe */
    uint32_t bootprog;
    uint64_t br_lba;
    uint32_t scp_data_len;
    uint8_t scp_data[SCLP_IPL_SCPDATA_SIZE];
    /* CCW */
    uint8_t ssid;
    uint8_t vm_flags;
    uint32_t vm_parm_len;
    uint8_t nss_name[8];
    uint8_t vm_parm[SCLP_IPL_VM_PARM_SIZE];
};

/* Validation results: which field made the block invalid. */
enum sclp_iplb_status {
    SCLP_IPLB_OK = 0,
    SCLP_IPLB_E_SHORT = -1,       /* hdr.len / buffer too short for the type */
    SCLP_IPLB_E_TOO_LONG = -2,    /* hdr.len > 4096 (block would cross the page) */
    SCLP_IPLB_E_VERSION = -3,     /* hdr.version != 0 */
    SCLP_IPLB_E_BLK0_LEN = -4,    /* blk0 len inconsistent with hdr.len / type */
    SCLP_IPLB_E_PBT = -5,         /* unsupported parameter block type */
    SCLP_IPLB_E_SCP_LEN = -6,     /* scp_data_len out of bounds / inconsistent */
    SCLP_IPLB_E_OPT = -7,         /* opt not 0x10 / 0x20 */
    SCLP_IPLB_E_VM_PARM_LEN = -8, /* CCW vm_parm_len > 64 */
    SCLP_IPLB_E_ARG = -9,         /* NULL pointer / bad info */
};

/*
 * Validate an IPLB image of `avail` bytes (the block's own hdr.len must be
 * <= avail).  `allow_nvme` selects whether pbt 4 is accepted.
 */
enum sclp_iplb_status sclp_iplb_validate(const uint8_t *buf, size_t avail,
                                         bool allow_nvme);
/* Validate then decode into `out`. */
enum sclp_iplb_status sclp_iplb_decode(const uint8_t *buf, size_t avail,
                                       struct sclp_iplb_info *out);
/*
 * Encode `in` into `out` (zero-filled, SCLP_IPLB_SIZE bytes); *len_out gets
 * hdr.len.  Fails with E_PBT / E_SCP_LEN / E_OPT / E_VM_PARM_LEN / E_ARG.
 */
enum sclp_iplb_status sclp_iplb_encode(const struct sclp_iplb_info *in,
                                       uint8_t out[SCLP_IPLB_SIZE],
                                       uint32_t *len_out);
/* pbt FCP/NVMe with opt == 0x20 exactly (lx61 is_ipl_block_dump). */
bool sclp_iplb_is_dump(const uint8_t *buf, size_t avail);
const char *sclp_iplb_strerror(enum sclp_iplb_status st);

/* Convenience initialisers for the three types (zeroes the rest). */
void sclp_iplb_info_fcp(struct sclp_iplb_info *info, uint8_t opt,
                        uint16_t devno, uint64_t wwpn, uint64_t lun);
void sclp_iplb_info_nvme(struct sclp_iplb_info *info, uint8_t opt,
                         uint32_t fid, uint32_t nsid);
void sclp_iplb_info_ccw(struct sclp_iplb_info *info, uint8_t ssid,
                        uint16_t devno);

#endif /* SCLP_IPL_BLOCK_H */
