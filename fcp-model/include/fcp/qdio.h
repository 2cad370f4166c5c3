/*
 * QDIO queues of an FCP channel, device side: the control blocks the Linux
 * qdio layer builds for an ESTABLISH QUEUES CCW and the buffers zfcp puts on
 * them, plus the model that consumes output buffers and fills input buffers.
 *
 * Layouts: Linux 6.1 arch/s390/include/asm/qdio.h (struct qdr, qdesfmt0,
 * slib, sl, slsb, qdio_buffer, qdio_buffer_element, SBAL_EFLAGS_*,
 * SBAL_SFLAGS0_*) and drivers/s390/cio/qdio.h (SLSB_* states).  Filled in by
 * drivers/s390/cio/qdio_setup.c (setup_qdr, qdio_fill_qdr_desc,
 * setup_storage_lists) and used by drivers/s390/scsi/zfcp_qdio.c
 * (zfcp_qdio_req_init, zfcp_qdio_sbal_chain, zfcp_qdio_fill_next,
 * zfcp_qdio_set_sbale_last, zfcp_qdio_open) and zfcp_fsf.c
 * (zfcp_fsf_reqid_check, which reads the response SBALEs).
 *
 * All structs are byte arrays (big-endian fields, read with db_ld_be*), so
 * they have no padding; sizes are checked with _Static_assert.
 *
 * What the model supports (zfcp's use, zfcp_qdio.c zfcp_qdio_setup /
 * zfcp_qdio_allocate): queue format QDIO_ZFCP_QFMT, exactly one input and
 * one output queue, 128 SBALs per queue, 16 SBALEs per SBAL, no QEBSM, no
 * data division (scount ignored), no asynchronous output (QAOB).  zfcp
 * without data division fills 15 SBALEs per SBAL (max_sbale_per_sbal =
 * QDIO_MAX_ELEMENTS_PER_BUFFER - 1, zfcp_qdio.c); the model accepts 16.
 *
 * Guest-facing code: every guest block is copied into private memory
 * first, every address and length is checked against guest memory before it
 * is used, and a malformed block gets an architected error (ESTABLISH
 * fails -> the device presents unit check; a bad SBAL -> SLSB error state
 * with the reason in SBALF 14/15), never an out-of-bounds access.
 */
#ifndef FCP_QDIO_H
#define FCP_QDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dumpbench/host.h>

/* ---- Constants (arch/s390/include/asm/qdio.h) ---------------------------- */
#define QDIO_MAX_BUFFERS_PER_Q          128
#define QDIO_MAX_ELEMENTS_PER_BUFFER    16
#define QDIO_SBAL_SIZE                  256
#define QDIO_QETH_QFMT                  0
#define QDIO_ZFCP_QFMT                  1
#define QDIO_IQDIO_QFMT                 2

/* SBALE eflags (element flags, byte 0 of an SBALE). */
#define SBAL_EFLAGS_LAST_ENTRY          0x40
#define SBAL_EFLAGS_CONTIGUOUS          0x20
#define SBAL_EFLAGS_FIRST_FRAG          0x04
#define SBAL_EFLAGS_MIDDLE_FRAG         0x08
#define SBAL_EFLAGS_LAST_FRAG           0x0c
#define SBAL_EFLAGS_MASK                0x6f

/* SBALE sflags (whole-SBAL flags, byte 3; meaningful in element 0). */
#define SBAL_SFLAGS0_PCI_REQ            0x40
#define SBAL_SFLAGS0_DATA_CONTINUATION  0x20
#define SBAL_SFLAGS0_TYPE_STATUS        0x00  /* zfcp: unsolicited status buffer */
#define SBAL_SFLAGS0_TYPE_WRITE         0x08
#define SBAL_SFLAGS0_TYPE_READ          0x10
#define SBAL_SFLAGS0_TYPE_WRITE_READ    0x18
#define SBAL_SFLAGS0_TYPE_MASK          0x18
#define SBAL_SFLAGS0_MORE_SBALS         0x04  /* another SBAL of this request follows */
#define SBAL_SFLAGS0_COMMAND            0x02  /* first SBAL of a request */

/* SLSB states (drivers/s390/cio/qdio.h). */
#define SLSB_OWNER_PROG                 0x80
#define SLSB_OWNER_CU                   0x40
#define SLSB_OWNER_MASK                 0xc0
#define SLSB_TYPE_OUTPUT                0x20
#define SLSB_P_INPUT_NOT_INIT           0x80
#define SLSB_P_INPUT_ACK                0x81
#define SLSB_CU_INPUT_EMPTY             0x41  /* driver: buffer free for the device */
#define SLSB_P_INPUT_PRIMED             0x82  /* device: buffer holds a response */
#define SLSB_P_INPUT_HALTED             0x8e
#define SLSB_P_INPUT_ERROR              0x8f
#define SLSB_P_OUTPUT_NOT_INIT          0xa0
#define SLSB_P_OUTPUT_EMPTY             0xa1  /* device: buffer consumed */
#define SLSB_P_OUTPUT_PENDING           0xa3
#define SLSB_CU_OUTPUT_PRIMED           0x62  /* driver: buffer holds a request */
#define SLSB_P_OUTPUT_HALTED            0xae
#define SLSB_P_OUTPUT_ERROR             0xaf

/*
 * Reason byte the model stores in SBALF 15 (element[15].sflags) of the
 * first SBAL of a rejected request, with the failing SBALE index in the
 * low nibble of SBALF 14 (struct sbal_sbalf_14 erridx in older qdio.h).
 * The architected reason values are not public; these are the model's
 * own.  Linux only logs them (qdio_main.c process_buffer_error prints
 * "F14:%2x F15:%2x") and reports QDIO_ERROR_SLSB_STATE, on which zfcp
 * shuts the adapter down (zfcp_qdio.c zfcp_qdio_handler_error).
 */
#define QDIO_SBALF15_ADDR               0x81  /* SBALE address outside guest memory */
#define QDIO_SBALF15_LENGTH             0x82  /* SBALE length > QDIO_SBALE_MAX_LEN */
#define QDIO_SBALF15_NO_LAST            0x83  /* 16 SBALEs without SBAL_EFLAGS_LAST_ENTRY */
#define QDIO_SBALF15_CHAIN              0x84  /* MORE_SBALS to a non-primed SBAL / too many SBALs */
#define QDIO_SBALF15_NO_COMMAND         0x85  /* first SBAL without SBAL_SFLAGS0_COMMAND */
#define QDIO_SBALF15_SLSB_STATE         0x86  /* SLSB state the driver never sets */
#define QDIO_SBALF15_REQUEST            0x87  /* request layout rejected by the FSF layer */

/*
 * Largest SBALE the model accepts.  zfcp never builds a bigger one: the
 * SCSI host has max_segment_size = dma_boundary + 1 = ZFCP_QDIO_SBALE_LEN =
 * PAGE_SIZE (zfcp_scsi.c), a QTCB is sizeof(struct fsf_qtcb) = 1696 bytes
 * and a status-read buffer 4096 bytes (zfcp_fsf.c zfcp_fsf_status_read).
 */
#define QDIO_SBALE_MAX_LEN              4096u
/* Upper bound of SBALs in one request (zfcp_fsf.h FSF_MAX_SBALS_PER_REQ). */
#define QDIO_MAX_SBALS_PER_REQ          36u
/* Count the device puts in its EQUEUE CIW: the whole QDR. */
#define QDIO_EQUEUE_CIW_COUNT           4096u
/*
 * Sense-ID CIWs of the device (arch/s390/include/asm/ccwdev.h struct ciw:
 * et = 01b "extended", ct = CIW_TYPE_EQUEUE 0x3 / CIW_TYPE_AQUEUE 0x4,
 * command code, count).  qdio_establish / qdio_activate
 * (drivers/s390/cio/qdio_main.c) start one CCW with exactly the command
 * code and count found here, so the values are the device's choice; these
 * are the ones OSA/FCP channels report (also used by Hercules).
 */
#define QDIO_CIW_TYPE_EQUEUE            0x43
#define QDIO_CIW_TYPE_AQUEUE            0x44
#define QDIO_EQUEUE_CIW_CMD             0x1b
#define QDIO_AQUEUE_CIW_CMD             0x1f
#define QDIO_AQUEUE_CIW_COUNT           0u

/* ---- Layouts ------------------------------------------------------------- */

/* struct qdesfmt0: queue descriptor, format 0 (32 bytes). */
struct qdio_qdesfmt0 {
    uint8_t sliba[8];           /*  0-7:  SLIB absolute address */
    uint8_t sla[8];             /*  8-15: SL address */
    uint8_t slsba[8];           /* 16-23: SLSB address */
    uint8_t res1[4];            /* 24-27 */
    uint8_t keys[2];            /* 28-29: akey(7-4) bkey(3-0) | ckey(7-4) dkey(3-0) */
    uint8_t res2[2];            /* 30-31 */
};
_Static_assert(sizeof(struct qdio_qdesfmt0) == 32, "qdesfmt0 is 32 bytes");

/* struct qdr: queue description record, one page, data of ESTABLISH QUEUES.
 * qdio_setup.c setup_qdr: qfmt = QDIO_ZFCP_QFMT, iqdcnt/oqdcnt = queue
 * counts, iqdsz/oqdsz = sizeof(qdesfmt0) / 4 = 8 words, input descriptors
 * first, then output descriptors. */
struct qdio_qdr {
    uint8_t qfmt;               /*  0: queue format */
    uint8_t pfmt;               /*  1: parameter format */
    uint8_t res1;               /*  2 */
    uint8_t ac;                 /*  3: adapter characteristics */
    uint8_t res2;               /*  4 */
    uint8_t iqdcnt;             /*  5: input queue descriptor count */
    uint8_t res3;               /*  6 */
    uint8_t oqdcnt;             /*  7: output queue descriptor count */
    uint8_t res4;               /*  8 */
    uint8_t iqdsz;              /*  9: input descriptor size in words */
    uint8_t res5;               /* 10 */
    uint8_t oqdsz;              /* 11: output descriptor size in words */
    uint8_t res6[36];           /* 12-47: u32 res[9] */
    uint8_t qiba[8];            /* 48-55: QIB address */
    uint8_t res7[4];            /* 56-59 */
    uint8_t qkey;               /* 60: qkey(7-4) */
    uint8_t res8[3];            /* 61-63 */
    struct qdio_qdesfmt0 qdf0[126]; /* 64-4095 */
};
_Static_assert(sizeof(struct qdio_qdr) == 4096, "QDR is one page");
#define QDIO_QDR_HDR_LEN                64u

/* struct slib: storage list information block (2048 bytes, 2 KiB aligned);
 * setup_storage_lists sets sla/slsba to the queue's SL and SLSB. */
struct qdio_slib {
    uint8_t nsliba[8];          /*    0-7:  next SLIB address */
    uint8_t sla[8];             /*    8-15: SL address */
    uint8_t slsba[8];           /*   16-23: SLSB address */
    uint8_t res[1000];          /*   24-1023 */
    uint8_t slibe[128][8];      /* 1024-2047: SLIB elements (parms) */
};
_Static_assert(sizeof(struct qdio_slib) == 2048, "SLIB is 2048 bytes");
#define QDIO_SLIB_HDR_LEN               24u
#define QDIO_SLIB_ALIGN                 2048u

/* struct sl: storage list, one absolute SBAL address per buffer (1 KiB
 * aligned). */
struct qdio_sl {
    uint8_t sbal[QDIO_MAX_BUFFERS_PER_Q][8]; /* 0-1023 */
};
_Static_assert(sizeof(struct qdio_sl) == 1024, "SL is 1024 bytes");
#define QDIO_SL_ALIGN                   1024u

/* struct slsb: one state byte per buffer (256-byte aligned). */
struct qdio_slsb {
    uint8_t val[QDIO_MAX_BUFFERS_PER_Q]; /* 0-127 */
};
_Static_assert(sizeof(struct qdio_slsb) == 128, "SLSB is 128 bytes");
#define QDIO_SLSB_ALIGN                 256u

/* struct qdio_buffer_element: SBALE (16 bytes). */
struct qdio_sbale {
    uint8_t eflags;             /*  0: SBAL_EFLAGS_* */
    uint8_t res1;               /*  1 */
    uint8_t scount;             /*  2: SBAL count (data division only) */
    uint8_t sflags;             /*  3: SBAL_SFLAGS0_* in element 0; SBALF 14/15 */
    uint8_t length[4];          /*  4-7: data length */
    uint8_t addr[8];            /*  8-15: absolute data address (element 0 of a
                                           zfcp request: the request id) */
};
_Static_assert(sizeof(struct qdio_sbale) == 16, "SBALE is 16 bytes");

/* struct qdio_buffer: SBAL (256 bytes, 256-byte aligned). */
struct qdio_sbal {
    struct qdio_sbale element[QDIO_MAX_ELEMENTS_PER_BUFFER]; /* 0-255 */
};
_Static_assert(sizeof(struct qdio_sbal) == QDIO_SBAL_SIZE, "SBAL is 256 bytes");
#define QDIO_SBAL_ALIGN                 256u

/* ---- Model --------------------------------------------------------------- */

enum qdio_status {
    QDIO_OK = 0,
    QDIO_ERR_INVALID,       /* bad argument from the caller (not the guest) */
    QDIO_ERR_STATE,         /* queues not established / already established */
    QDIO_ERR_FORMAT,        /* QDR: format, queue count or descriptor size unsupported */
    QDIO_ERR_ADDR,          /* QDR/SLIB/SL/SLSB/SBAL address outside memory or misaligned */
    QDIO_ERR_MISMATCH,      /* SLIB's SL/SLSB address differs from the QDR descriptor */
    QDIO_ERR_NO_BUFFER,     /* input: no input-empty buffer at the device's cursor */
    QDIO_ERR_SLSB,          /* input: the cursor's SLSB holds a state the driver never sets */
    QDIO_ERR_HOST,          /* a host memory access failed */
};
const char *qdio_status_name(enum qdio_status st);

struct qdio_queue {
    uint64_t slib, sl, slsb;                /* absolute addresses */
    uint64_t sbal[QDIO_MAX_BUFFERS_PER_Q];  /* copied from the SL at establish */
    unsigned cursor;                        /* next buffer the device looks at */
};

struct qdio_stats {
    uint64_t requests;          /* output requests handed to the handler */
    uint64_t sbals_out;         /* output SBALs consumed (empty or error) */
    uint64_t sbal_errors;       /* output SBALs set to SLSB_P_OUTPUT_ERROR */
    uint64_t sbals_in;          /* input SBALs filled (primed) */
    uint64_t responses;         /* response entries placed in input SBALs */
    uint64_t input_errors;      /* input SBALs set to SLSB_P_INPUT_ERROR */
};

/* Device-side state of one subchannel's queues.  Plain data: zero it (or
 * qdio_reset) for "no queues". */
struct qdio_queues {
    bool established;
    uint8_t qfmt, ac;
    uint64_t qdr, qib;
    struct qdio_queue in, out;
    struct qdio_stats stats;
    char errmsg[128];           /* reason of the last error ("" if none) */
};

/* One output request as the driver laid it out: the first SBAL's element 0
 * (request id, SBAL flags), then every further SBALE up to the one with
 * SBAL_EFLAGS_LAST_ENTRY, across MORE_SBALS chaining.  Each segment is
 * checked: len <= QDIO_SBALE_MAX_LEN and [addr, addr+len) inside guest
 * memory.  Elements of length 0 carry no data and are skipped (zfcp leaves
 * element 1 empty for a status-read request, zfcp_qdio.h
 * zfcp_qdio_req_init / zfcp_qdio_fill_next); they are not in seg[]. */
struct qdio_seg {
    uint64_t addr;
    uint32_t len;
    uint8_t eflags;
};
#define QDIO_MAX_SEGS   (QDIO_MAX_SBALS_PER_REQ * QDIO_MAX_ELEMENTS_PER_BUFFER)
struct qdio_req {
    uint64_t req_id;            /* element 0 addr of the first SBAL */
    uint8_t sflags0;            /* element 0 sflags of the first SBAL */
    unsigned first;             /* index of the first SBAL */
    unsigned nsbals;
    unsigned nseg;
    struct qdio_seg seg[QDIO_MAX_SEGS];
};

/*
 * Handler for one output request.  Returns 0 when the request was taken
 * (its SBALs become SLSB_P_OUTPUT_EMPTY) or a QDIO_SBALF15_* reason (its
 * SBALs become SLSB_P_OUTPUT_ERROR).  The handler itself queues any
 * response for qdio_input_fill.
 */
typedef int (*qdio_req_fn)(void *opaque, const struct db_host *h, const struct qdio_req *req);

/* Forget all queues (CLEAR/HALT SUBCHANNEL, qdio_shutdown). */
void qdio_reset(struct qdio_queues *q);

/*
 * ESTABLISH QUEUES: read `count` bytes of QDR at `qdr_addr` (the CCW's data
 * address and count) and validate, in this order: count covers the header
 * and both descriptors; qfmt == QDIO_ZFCP_QFMT; iqdcnt == oqdcnt == 1;
 * iqdsz == oqdsz == 8 words; per queue SLIB (2 KiB aligned), SL (1 KiB) and
 * SLSB (256 B) inside memory and aligned; the SLIB names the same SL and
 * SLSB; every SL entry is a 256-byte aligned SBAL inside memory.  Nothing
 * is recorded unless all checks pass.  Errors: QDIO_ERR_STATE (already
 * established), QDIO_ERR_FORMAT, QDIO_ERR_ADDR, QDIO_ERR_MISMATCH,
 * QDIO_ERR_HOST; q->errmsg names the field.  The caller answers any error
 * with unit check (qdio_establish then gets -EIO).
 */
enum qdio_status qdio_establish(struct qdio_queues *q, const struct db_host *h,
                                uint64_t qdr_addr, uint32_t count);

/*
 * SIGA-w: walk the output SLSB from the device's cursor while buffers are
 * SLSB_CU_OUTPUT_PRIMED, parse each request (struct qdio_req), call fn, and
 * set its SBALs output-empty or output-error.  A CU-owned state other than
 * OUTPUT_PRIMED, or a state with no/both owner bits, is set to
 * SLSB_P_OUTPUT_ERROR (QDIO_SBALF15_SLSB_STATE); a program-owned state ends
 * the walk.  At most one full ring per call.  *errors (may be NULL) gets
 * the number of buffers set to error state (non-zero: an interrupt is due).
 */
enum qdio_status qdio_output_kick(struct qdio_queues *q, const struct db_host *h,
                                  qdio_req_fn fn, void *opaque, unsigned *errors);

/*
 * Place up to 16 response ids into the input buffer at the device's cursor
 * (it must be SLSB_CU_INPUT_EMPTY): element i gets addr = ids[i], length 0,
 * the last one SBAL_EFLAGS_LAST_ENTRY (zfcp_fsf_reqid_check reads them);
 * then the SLSB becomes SLSB_P_INPUT_PRIMED and the cursor advances.
 * *used = entries placed.  QDIO_ERR_NO_BUFFER: the buffer is program-owned
 * (nothing written, try again after the driver returns buffers).
 * QDIO_ERR_SLSB: the buffer held a state the driver never sets; it is set
 * to SLSB_P_INPUT_ERROR and skipped.  Either success or QDIO_ERR_SLSB means
 * a PCI interrupt is due.
 */
enum qdio_status qdio_input_fill(struct qdio_queues *q, const struct db_host *h,
                                 const uint64_t *ids, unsigned n, unsigned *used);

#endif /* FCP_QDIO_H */
