/*
 * SCSI layouts the FCP model's logical units produce and parse.
 *
 * Every structure here is a byte array with the offsets of the T10 tables;
 * multi-byte fields are big-endian and are read and written with
 * db_ld_be* / db_st_be* (<dumpbench/be.h>), never by casting.  All members
 * are uint8_t arrays, so the structs have no padding and their sizes are
 * checked with _Static_assert.
 *
 * References (T10 working drafts; clause numbers as in those revisions):
 *   SPC-4 r37  SCSI Primary Commands - 4 (INQUIRY, REPORT LUNS,
 *              REQUEST SENSE, TEST UNIT READY, sense data, VPD pages)
 *   SBC-3 r35  SCSI Block Commands - 3 (READ/WRITE, READ CAPACITY,
 *              SYNCHRONIZE CACHE)
 *   SAM-5      SCSI Architecture Model (status codes, LUN format)
 * Cross-checked against Linux include/scsi/scsi_proto.h (opcodes, status)
 * and include/scsi/scsi_common.h / drivers/scsi/scsi_debug.c (layouts).
 */
#ifndef FCP_SCSI_H
#define FCP_SCSI_H

#include <stdint.h>

/* ---- Operation codes (SPC-4 Annex D; Linux include/scsi/scsi_proto.h) -- */
#define SCSI_OP_TEST_UNIT_READY     0x00
#define SCSI_OP_REQUEST_SENSE       0x03
#define SCSI_OP_INQUIRY             0x12
#define SCSI_OP_READ_CAPACITY_10    0x25
#define SCSI_OP_READ_10             0x28
#define SCSI_OP_WRITE_10            0x2a
#define SCSI_OP_SYNCHRONIZE_CACHE_10 0x35
#define SCSI_OP_READ_16             0x88
#define SCSI_OP_WRITE_16            0x8a
#define SCSI_OP_SYNCHRONIZE_CACHE_16 0x91
#define SCSI_OP_SERVICE_ACTION_IN_16 0x9e
#define SCSI_OP_REPORT_LUNS         0xa0

/* SERVICE ACTION IN(16) service actions (SBC-3 5.16: READ CAPACITY(16)). */
#define SCSI_SAI_READ_CAPACITY_16   0x10

/* CDB lengths by opcode group (SPC-4 4.3.4 "Operation code"). */
#define SCSI_CDB6_LEN   6
#define SCSI_CDB10_LEN  10
#define SCSI_CDB12_LEN  12
#define SCSI_CDB16_LEN  16
#define SCSI_CDB_MAX    16

/* ---- Status codes (SAM-5 5.3.1; Linux enum sam_status) ---------------- */
#define SCSI_STATUS_GOOD            0x00
#define SCSI_STATUS_CHECK_CONDITION 0x02

/* ---- Sense keys (SPC-4 4.5.6, table "Sense key descriptions") --------- */
#define SCSI_SK_NO_SENSE            0x0
#define SCSI_SK_NOT_READY           0x2
#define SCSI_SK_MEDIUM_ERROR        0x3
#define SCSI_SK_HARDWARE_ERROR      0x4
#define SCSI_SK_ILLEGAL_REQUEST     0x5
#define SCSI_SK_UNIT_ATTENTION      0x6

/* ---- Additional sense codes used by the model (SPC-4 Annex D, ASC/ASCQ) */
#define SCSI_ASC_NO_ADDITIONAL_SENSE      0x00 /* /00 */
#define SCSI_ASC_WRITE_ERROR              0x0c /* /00 */
#define SCSI_ASC_INVALID_FIELD_IN_CMD_IU  0x0e /* /03 INVALID FIELD IN COMMAND INFORMATION UNIT */
#define SCSI_ASCQ_INVALID_FIELD_IN_CMD_IU 0x03
#define SCSI_ASC_UNRECOVERED_READ_ERROR   0x11 /* /00 */
#define SCSI_ASC_INVALID_OPCODE           0x20 /* /00 INVALID COMMAND OPERATION CODE */
#define SCSI_ASC_LBA_OUT_OF_RANGE         0x21 /* /00 LOGICAL BLOCK ADDRESS OUT OF RANGE */
#define SCSI_ASC_INVALID_FIELD_IN_CDB     0x24 /* /00 */
#define SCSI_ASC_LUN_NOT_SUPPORTED        0x25 /* /00 LOGICAL UNIT NOT SUPPORTED */

/*
 * Fixed format sense data, SPC-4 4.5.3 (table "Fixed format sense data").
 * 18 bytes: ADDITIONAL SENSE LENGTH = 10.
 */
#define SCSI_SENSE_FIXED_CURRENT    0x70  /* RESPONSE CODE: current error */
#define SCSI_SENSE_VALID            0x80  /* byte 0: INFORMATION is valid */
#define SCSI_SKS_SKSV               0x80  /* byte 15: sense-key specific valid */
#define SCSI_SKS_CD                 0x40  /* byte 15: error is in the CDB */

struct scsi_sense_fixed {
    uint8_t response_code;      /*  0: VALID(7) | RESPONSE CODE(6-0) = 0x70 */
    uint8_t obsolete;           /*  1 */
    uint8_t key;                /*  2: FILEMARK EOM ILI | SENSE KEY(3-0) */
    uint8_t information[4];     /*  3-6: INFORMATION (failing LBA), BE */
    uint8_t add_len;            /*  7: ADDITIONAL SENSE LENGTH = 10 */
    uint8_t cmd_info[4];        /*  8-11: COMMAND-SPECIFIC INFORMATION */
    uint8_t asc;                /* 12: ADDITIONAL SENSE CODE */
    uint8_t ascq;               /* 13: ADDITIONAL SENSE CODE QUALIFIER */
    uint8_t fruc;               /* 14: FIELD REPLACEABLE UNIT CODE */
    uint8_t sks[3];             /* 15-17: SKSV | sense-key specific (field pointer) */
};
_Static_assert(sizeof(struct scsi_sense_fixed) == 18, "fixed sense is 18 bytes");
#define SCSI_SENSE_FIXED_LEN        18

/*
 * INQUIRY CDB, SPC-4 6.6.1: byte 1 bit 0 EVPD, bit 1 obsolete CMDDT,
 * byte 2 PAGE CODE, bytes 3-4 ALLOCATION LENGTH (BE), byte 5 CONTROL.
 */
#define SCSI_INQ_EVPD               0x01
#define SCSI_INQ_CMDDT              0x02

/* Standard INQUIRY data, SPC-4 6.6.2; the model returns the 36-byte form. */
struct scsi_inquiry_std {
    uint8_t pdt;                /*  0: PERIPHERAL QUALIFIER(7-5) | DEVICE TYPE(4-0) */
    uint8_t rmb;                /*  1: RMB(7) */
    uint8_t version;            /*  2: VERSION (0x06 = SPC-4) */
    uint8_t flags3;             /*  3: NORMACA(5) HISUP(4) | RESPONSE DATA FORMAT(3-0) = 2 */
    uint8_t add_len;            /*  4: ADDITIONAL LENGTH = n - 4 */
    uint8_t flags5;             /*  5: SCCS ACC TPGS 3PC PROTECT */
    uint8_t flags6;             /*  6: ENCSERV VS MULTIP ADDR16 */
    uint8_t flags7;             /*  7: WBUS16 SYNC CMDQUE(1) VS */
    uint8_t vendor[8];          /*  8-15: T10 VENDOR IDENTIFICATION (ASCII) */
    uint8_t product[16];        /* 16-31: PRODUCT IDENTIFICATION */
    uint8_t revision[4];        /* 32-35: PRODUCT REVISION LEVEL */
};
_Static_assert(sizeof(struct scsi_inquiry_std) == 36, "standard INQUIRY is 36 bytes");
#define SCSI_INQ_STD_LEN            36

#define SCSI_PQ_CONNECTED           0x00  /* PERIPHERAL QUALIFIER 000b */
#define SCSI_PQ_NOT_CAPABLE         0x60  /* 011b: no LU at this LUN */
#define SCSI_PDT_DISK               0x00  /* direct access block device */
#define SCSI_PDT_UNKNOWN            0x1f  /* unknown or no device type */
#define SCSI_VERSION_SPC4           0x06
#define SCSI_INQ_HISUP              0x10
#define SCSI_INQ_RDF_2              0x02
#define SCSI_INQ_CMDQUE             0x02

/* VPD page header, SPC-4 7.8.1 (table "VPD page format"). */
struct scsi_vpd_hdr {
    uint8_t pdt;                /* 0: PERIPHERAL QUALIFIER | DEVICE TYPE */
    uint8_t page_code;          /* 1: PAGE CODE */
    uint8_t page_len[2];        /* 2-3: PAGE LENGTH (n - 3), BE */
};
_Static_assert(sizeof(struct scsi_vpd_hdr) == 4, "VPD header is 4 bytes");

#define SCSI_VPD_SUPPORTED_PAGES    0x00  /* SPC-4 7.8.16 Supported VPD pages */
#define SCSI_VPD_UNIT_SERIAL        0x80  /* SPC-4 7.8.18 Unit Serial Number */
#define SCSI_VPD_DEVICE_ID          0x83  /* SPC-4 7.8.6 Device Identification */

/*
 * Designation descriptor, SPC-4 7.8.6.1 (table "Designation descriptor"),
 * followed by DESIGNATOR LENGTH bytes of designator.
 */
struct scsi_designation_desc {
    uint8_t proto_codeset;      /* 0: PROTOCOL IDENTIFIER(7-4) | CODE SET(3-0) */
    uint8_t piv_assoc_type;     /* 1: PIV(7) | ASSOCIATION(5-4) | DESIGNATOR TYPE(3-0) */
    uint8_t reserved;           /* 2 */
    uint8_t len;                /* 3: DESIGNATOR LENGTH */
};
_Static_assert(sizeof(struct scsi_designation_desc) == 4, "designation descriptor header");

#define SCSI_CODESET_BINARY         0x1
#define SCSI_CODESET_ASCII          0x2
#define SCSI_PROTO_FCP              0x0   /* PROTOCOL IDENTIFIER: Fibre Channel */
#define SCSI_DESIG_PIV              0x80
#define SCSI_ASSOC_LU               0x00
#define SCSI_ASSOC_TARGET_PORT      0x10
#define SCSI_DESIG_T10_VENDOR       0x1
#define SCSI_DESIG_NAA              0x3
#define SCSI_DESIG_REL_TPORT        0x4

/*
 * READ CAPACITY(10) parameter data, SBC-3 5.15.2: 8 bytes.
 * CDB: bytes 2-5 LOGICAL BLOCK ADDRESS (obsolete, must be 0), byte 8 bit 0
 * PMI (obsolete, must be 0).
 */
struct scsi_read_cap10 {
    uint8_t last_lba[4];        /* 0-3: RETURNED LOGICAL BLOCK ADDRESS (0xffffffff if too big) */
    uint8_t block_len[4];       /* 4-7: LOGICAL BLOCK LENGTH IN BYTES */
};
_Static_assert(sizeof(struct scsi_read_cap10) == 8, "READ CAPACITY(10) data is 8 bytes");
#define SCSI_RC10_LEN               8
#define SCSI_RC10_PMI               0x01

/*
 * READ CAPACITY(16) parameter data, SBC-3 5.16.2: 32 bytes.
 * CDB: byte 1 SERVICE ACTION 0x10, bytes 2-9 LBA (obsolete), bytes 10-13
 * ALLOCATION LENGTH, byte 14 bit 0 PMI.
 */
struct scsi_read_cap16 {
    uint8_t last_lba[8];        /*  0-7: RETURNED LOGICAL BLOCK ADDRESS */
    uint8_t block_len[4];       /*  8-11: LOGICAL BLOCK LENGTH IN BYTES */
    uint8_t prot;               /* 12: P_TYPE(3-1) | PROT_EN(0) */
    uint8_t exponents;          /* 13: P_I_EXPONENT | LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT */
    uint8_t lowest_aligned[2];  /* 14-15: LBPME LBPRZ | LOWEST ALIGNED LBA */
    uint8_t reserved[16];       /* 16-31 */
};
_Static_assert(sizeof(struct scsi_read_cap16) == 32, "READ CAPACITY(16) data is 32 bytes");
#define SCSI_RC16_LEN               32

/*
 * REPORT LUNS, SPC-4 6.33.  CDB: byte 2 SELECT REPORT, bytes 6-9
 * ALLOCATION LENGTH (must be >= 16).  Parameter data: an 8-byte header
 * followed by one 8-byte LUN (SAM-5 4.7 LUN format) per logical unit.
 */
struct scsi_report_luns_hdr {
    uint8_t list_len[4];        /* 0-3: LUN LIST LENGTH (n - 7) = 8 * count, BE */
    uint8_t reserved[4];        /* 4-7 */
};
_Static_assert(sizeof(struct scsi_report_luns_hdr) == 8, "REPORT LUNS header is 8 bytes");
#define SCSI_REPORT_LUNS_MIN_ALLOC  16
#define SCSI_LUN_LEN                8
#define SCSI_SELECT_REPORT_ALL      0x00  /* all LUs except well-known */
#define SCSI_SELECT_REPORT_WLUN     0x01  /* well-known LUs only */
#define SCSI_SELECT_REPORT_ALL_WLUN 0x02  /* all LUs including well-known */

/* SAM-5 4.7.7 single level LUN structures (first level, bytes 0-1). */
#define SCSI_LUN_ADDR_PERIPHERAL    0x00  /* 00b: peripheral device addressing, LUN 0..255 */
#define SCSI_LUN_ADDR_FLAT          0x40  /* 01b: flat space addressing, LUN 0..16383 */

#endif /* FCP_SCSI_H */
