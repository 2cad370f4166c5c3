/*
 * SDIAS ("Store Data In Absolute Storage") event buffer, event type 0x1C.
 *
 * Source: lx61:drivers/s390/char/sclp_sdias.h (struct sdias_evbuf,
 * struct sdias_sccb) and sclp_sdias.c (sclp_sdias_blk_count,
 * sclp_sdias_copy); HSA numbering from lx61:drivers/s390/char/zcore.c
 * (memcpy_hsa_iter: block = src / PAGE_SIZE + 2).  Big-endian byte image.
 */
#ifndef SCLP_SDIAS_H
#define SCLP_SDIAS_H

#include <stddef.h>
#include <stdint.h>

#include <sclp/sccb.h>

#define SDIAS_EQ_STORE_DATA     0x0     /* event_qual: copy HSA blocks */
#define SDIAS_EQ_SIZE           0x1     /* event_qual: HSA size query */
#define SDIAS_DI_FCP_DUMP       0x0     /* data_id */
#define SDIAS_ASA_SIZE_32       0x0
#define SDIAS_ASA_SIZE_64       0x1
#define SDIAS_EVSTATE_ALL_STORED    0x00
#define SDIAS_EVSTATE_NO_DATA       0x03
#define SDIAS_EVSTATE_PART_STORED   0x10
#define SDIAS_EVENT_ID          4712    /* what Linux puts in event_id */

/* HSA block numbering: block n (1-based) holds absolute page n - 2. */
#define SDIAS_FIRST_DATA_BLOCK  2

/* struct sdias_evbuf (lx61:drivers/s390/char/sclp_sdias.h), 60 bytes. */
struct sdias_evbuf {
    struct sclp_evbuf_header hdr; /* 0-5    length 60, type 0x1C, flags */
    uint8_t event_qual;         /* 6       1 size query, 0 store data */
    uint8_t data_id;            /* 7       0 = FCP dump */
    uint8_t reserved2[8];       /* 8-15 */
    uint8_t event_id[4];        /* 16-19 */
    uint8_t reserved3[2];       /* 20-21 */
    uint8_t asa_size;           /* 22      1 = 64-bit asa */
    uint8_t event_status;       /* 23      out: 0x00 ok, 0x10 partial, 0x03 no data */
    uint8_t reserved4[4];       /* 24-27 */
    uint8_t blk_cnt[4];         /* 28-31   size: out; copy: in (out when partial) */
    uint8_t asa[8];             /* 32-39   absolute destination address */
    uint8_t reserved5[4];       /* 40-43 */
    uint8_t fbn[4];             /* 44-47   first block number (1-based) */
    uint8_t reserved6[4];       /* 48-51 */
    uint8_t lbn[4];             /* 52-55   0 */
    uint8_t reserved7[2];       /* 56-57 */
    uint8_t dbs[2];             /* 58-59   data block size, 1 = 4 KiB */
};
_Static_assert(sizeof(struct sdias_evbuf) == 60, "sdias_evbuf is 60 bytes");
_Static_assert(offsetof(struct sdias_evbuf, event_status) == 23, "event_status @23");
_Static_assert(offsetof(struct sdias_evbuf, blk_cnt) == 28, "blk_cnt @28");
_Static_assert(offsetof(struct sdias_evbuf, fbn) == 44, "fbn @44");
_Static_assert(offsetof(struct sdias_evbuf, dbs) == 58, "dbs @58");

/* struct sdias_sccb (lx61 sclp_sdias.h): header + one event buffer, 68 bytes. */
struct sdias_sccb {
    struct sclp_sccb_header hdr; /* 0-7 */
    struct sdias_evbuf evbuf;    /* 8-67 */
};
_Static_assert(sizeof(struct sdias_sccb) == 68, "sdias_sccb is 68 bytes");

#endif /* SCLP_SDIAS_H */
