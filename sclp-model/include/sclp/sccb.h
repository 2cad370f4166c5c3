/*
 * SCLP service-call control block (SCCB) layouts, command words and
 * response codes.
 *
 * Sources: lx61:drivers/s390/char/sclp.h (struct sccb_header, evbuf_header,
 * init_sccb, read_info_sccb, read_cpu_info_sccb, sclp_core_entry),
 * q72:include/hw/s390x/sclp.h (SCCBHeader, ReadInfo, CPUEntry, SCLP_RC_*),
 * q72:hw/s390x/event-facility.c (WriteEventMask, ReadEventData).
 *
 * Every structure here is a big-endian byte image made only of uint8_t
 * members, so it has no padding and no alignment requirement; the model
 * parses a private copy with db_ld_be* at offsetof() of these fields.
 */
#ifndef SCLP_SCCB_H
#define SCLP_SCCB_H

#include <stddef.h>
#include <stdint.h>

/* Command words (lx61:drivers/s390/char/sclp.h, sclp_early_core.c). */
#define SCLP_CMDW_READ_CPU_INFO         0x00010001u
#define SCLP_CMDW_READ_SCP_INFO         0x00020001u
#define SCLP_CMDW_READ_SCP_INFO_FORCED  0x00120001u
#define SCLP_CMDW_READ_STORAGE_INFO     0x00040001u  /* | id << 8; not modelled */
#define SCLP_CMDW_READ_EVENT_DATA       0x00770005u
#define SCLP_CMDW_WRITE_EVENT_DATA      0x00760005u
#define SCLP_CMDW_WRITE_EVENT_MASK      0x00780005u
/* Bits 8-15 carry a command qualifier (q72 SCLP_CMD_CODE_MASK). */
#define SCLP_CMD_CODE_MASK              0xffff00ffu

/* Response codes (q72:include/hw/s390x/sclp.h SCLP_RC_*). */
#define SCLP_RC_NORMAL_READ_COMPLETION      0x0010
#define SCLP_RC_NORMAL_COMPLETION           0x0020
#define SCLP_RC_SCCB_BOUNDARY_VIOLATION     0x0100
#define SCLP_RC_INVALID_SCLP_COMMAND        0x01f0
#define SCLP_RC_INSUFFICIENT_SCCB_LENGTH    0x0300
#define SCLP_RC_CONTAINED_EQUIPMENT_CHECK   0x0340
#define SCLP_RC_INVALID_FUNCTION            0x40f0
#define SCLP_RC_NO_EVENT_BUFFERS_STORED     0x60f0
#define SCLP_RC_INVALID_SELECTION_MASK      0x70f0
#define SCLP_RC_INCONSISTENT_LENGTHS        0x72f0
#define SCLP_RC_EVENT_BUFFER_SYNTAX_ERROR   0x73f0
#define SCLP_RC_INVALID_MASK_LENGTH         0x74f0

/* Function codes (q72 SCLP_FC_NORMAL_WRITE, SCLP_UNCONDITIONAL_READ, ...). */
#define SCLP_FC_NORMAL_WRITE        0x00
#define SCLP_FC_UNCONDITIONAL_READ  0x00
#define SCLP_FC_SELECTIVE_READ      0x01

/* control_mask[2] bit: variable-length response (lx61 __sclp_make_read_req). */
#define SCLP_CM2_VARIABLE_LENGTH    0x80

/* Event buffer flag: buffer processed / accepted (lx61 sclp.h). */
#define SCLP_EVBUF_ACCEPTED         0x80

/* Event types (lx61:drivers/s390/char/sclp.h EVTYP_*). */
#define SCLP_EVTYP_SDIAS            0x1C

/* SCLP_EVTYP_MASK(T) = 1 << (64 - T): type T is bit T-1 from the MSB. */
#define SCLP_EVTYP_MASK(T)          (1ull << (64 - (T)))

/* Architecture limit on the mask length in Write Event Mask (q72 SCLP_EVENT_MASK_LEN_MAX). */
#define SCLP_EVENT_MASK_LEN_MAX     1021

/*
 * struct sccb_header (lx61:drivers/s390/char/sclp.h; q72 SCCBHeader), 8 bytes.
 */
struct sclp_sccb_header {
    uint8_t length[2];          /* 0-1   total SCCB length */
    uint8_t function_code;      /* 2 */
    uint8_t control_mask[3];    /* 3-5 */
    uint8_t response_code[2];   /* 6-7 */
};
_Static_assert(sizeof(struct sclp_sccb_header) == 8, "sccb_header is 8 bytes");
_Static_assert(offsetof(struct sclp_sccb_header, response_code) == 6, "rc @6");

/*
 * struct evbuf_header (lx61:drivers/s390/char/sclp.h; q72 EventBufferHeader), 6 bytes.
 */
struct sclp_evbuf_header {
    uint8_t length[2];          /* 0-1   length including this header */
    uint8_t type;               /* 2 */
    uint8_t flags;              /* 3     0x80 = accepted */
    uint8_t reserved[2];        /* 4-5 */
};
_Static_assert(sizeof(struct sclp_evbuf_header) == 6, "evbuf_header is 6 bytes");

/*
 * Write Event Mask SCCB (lx61 struct init_sccb; q72 WriteEventMask):
 * header, reserved u16 @8, mask_length u16 @10, then four masks of
 * mask_length bytes each: cp receive @12, cp send @12+L, sclp receive
 * @12+2L, sclp send @12+3L (the SCLP fills the last two).
 */
struct sclp_init_sccb {
    struct sclp_sccb_header h;  /* 0-7 */
    uint8_t reserved[2];        /* 8-9 */
    uint8_t mask_length[2];     /* 10-11 */
    uint8_t masks[];            /* 12-   4 x mask_length */
};
_Static_assert(sizeof(struct sclp_init_sccb) == 12, "init_sccb fixed part is 12 bytes");

/*
 * Read SCP Info SCCB (lx61:drivers/s390/char/sclp.h struct read_info_sccb,
 * 6.1 layout; q72 ReadInfo).  Fields the model fills; CPU entries follow
 * at `cpuoff` (the model uses SCLP_READ_INFO_CPUOFF).
 */
struct sclp_read_info {
    struct sclp_sccb_header h;  /* 0-7 */
    uint8_t rnmax[2];           /* 8-9     memory increments (0: see rnmax2) */
    uint8_t rnsize;             /* 10      increment size in MiB (0: see rnsize2) */
    uint8_t pad_11[5];          /* 11-15 */
    uint8_t ncpurl[2];          /* 16-17   number of CPU entries */
    uint8_t cpuoff[2];          /* 18-19   offset of the first CPU entry */
    uint8_t pad_20[4];          /* 20-23 */
    uint8_t loadparm[8];        /* 24-31 */
    uint8_t pad_32[10];         /* 32-41 */
    uint8_t fac42;              /* 42      0x80 MT installed, mtid = fac42 & 31 */
    uint8_t fac43;              /* 43      mtid_cp */
    uint8_t pad_44[4];          /* 44-47 */
    uint8_t facilities[8];      /* 48-55 */
    uint8_t pad_56[10];         /* 56-65 */
    uint8_t fac66;              /* 66      mtid_prev = fac66 & 31 */
    uint8_t pad_67[9];          /* 67-75 */
    uint8_t ibc[4];             /* 76-79 */
    uint8_t pad_80[4];          /* 80-83 */
    uint8_t fac84;              /* 84 */
    uint8_t fac85;              /* 85 */
    uint8_t pad_86[5];          /* 86-90 */
    uint8_t fac91;              /* 91      0x02 LDIPL dump installed, 0x40 TLB guest */
    uint8_t pad_92[6];          /* 92-97 */
    uint8_t fac98;              /* 98 */
    uint8_t hamaxpow;           /* 99 */
    uint8_t rnsize2[4];         /* 100-103 */
    uint8_t rnmax2[8];          /* 104-111 */
    uint8_t hsa_size[4];        /* 112-115 HSA size in 4 KiB blocks + 1; 0 = no HSA */
    uint8_t fac116;             /* 116 */
    uint8_t fac117;             /* 117 */
    uint8_t fac118;             /* 118 */
    uint8_t fac119;             /* 119 */
    uint8_t hcpua[2];           /* 120-121 highest CPU address */
    uint8_t pad_122[2];         /* 122-123 */
    uint8_t hmfai[4];           /* 124-127 */
};
_Static_assert(sizeof(struct sclp_read_info) == 128, "read_info fixed part is 128 bytes");
_Static_assert(offsetof(struct sclp_read_info, fac91) == 91, "fac91 @91");
_Static_assert(offsetof(struct sclp_read_info, rnsize2) == 100, "rnsize2 @100");
_Static_assert(offsetof(struct sclp_read_info, hsa_size) == 112, "hsa_size @112");
_Static_assert(offsetof(struct sclp_read_info, hcpua) == 120, "hcpua @120");

/* Read SCP Info flag in byte 91 (lx61 sclp_early.c: sclp_ipl_info.has_dump). */
#define SCLP_FAC91_DUMP_INSTALLED   0x02

/* The model places CPU entries right after the fixed part. */
#define SCLP_READ_INFO_CPUOFF       128

/*
 * CPU entry (lx61 struct sclp_core_entry; q72 CPUEntry), 16 bytes.
 */
struct sclp_cpu_entry {
    uint8_t core_id;            /* 0       CPU address */
    uint8_t reserved0;          /* 1 */
    uint8_t features[6];        /* 2-7 */
    uint8_t reserved1[6];       /* 8-13 */
    uint8_t type;               /* 14      0 = CP */
    uint8_t reserved2;          /* 15 */
};
_Static_assert(sizeof(struct sclp_cpu_entry) == 16, "cpu entry is 16 bytes");

/*
 * Read CPU Info SCCB (lx61 struct read_cpu_info_sccb; q72 ReadCpuInfo).
 */
struct sclp_read_cpu_info {
    struct sclp_sccb_header h;  /* 0-7 */
    uint8_t nr_configured[2];   /* 8-9 */
    uint8_t offset_configured[2]; /* 10-11 */
    uint8_t nr_standby[2];      /* 12-13 */
    uint8_t offset_standby[2];  /* 14-15 */
};
_Static_assert(sizeof(struct sclp_read_cpu_info) == 16, "read_cpu_info fixed part is 16 bytes");

/*
 * Read Event Data SCCB (q72 ReadEventData): for a selective read the
 * selection mask (mask_length bytes, as set by Write Event Mask) follows
 * the header at offset 8.
 */
struct sclp_read_event_sccb {
    struct sclp_sccb_header h;  /* 0-7 */
    uint8_t mask[4];            /* 8-11 (selective read, 4-byte masks) */
};
_Static_assert(sizeof(struct sclp_read_event_sccb) == 12, "read event fixed part is 12 bytes");

#endif /* SCLP_SCCB_H */
