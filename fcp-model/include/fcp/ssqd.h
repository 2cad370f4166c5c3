/*
 * CHSC "store subchannel QDIO data" (SSQD, command code 0x0024): the
 * channel-subsystem call the Linux qdio layer issues to learn how to drive
 * a QDIO subchannel.  Plain C: parses the guest's request block (already
 * copied out of guest memory by the caller) and builds the response block;
 * the device emulation only copies bytes.
 *
 * Request / response layout: Linux 6.1 drivers/s390/cio/chsc.h
 * struct chsc_ssqd_area (request header @0, ssid/fmt halfword @4,
 * first_sch @6, last_sch @10, response header @16, qdio_ssqd_desc @24),
 * filled by drivers/s390/cio/chsc.c chsc_ssqd (request length 0x0010,
 * first_sch == last_sch) and checked by drivers/s390/cio/qdio_setup.c
 * qdio_setup_get_ssqd (flags CHSC_FLAG_QDIO_CAPABILITY and
 * CHSC_FLAG_VALIDITY, sch == the subchannel number); qdio_setup_ssqd_info
 * takes qdioac1, zfcp_qdio.c zfcp_qdio_open reads qdioac2.  The descriptor
 * is struct qdio_ssqd_desc of arch/s390/include/asm/qdio.h (32 bytes).
 *
 * Response codes (drivers/s390/cio/chsc.c chsc_error_from_response):
 * 0x0001 success; 0x0003 request-block error (length, reserved bits,
 * subchannel range); 0x0007 unsupported format.  QEMU's own CHSC handlers
 * (target/s390x/ioinst.c, SCPD/SDA) use the same codes for the same
 * conditions.  The caller handles the CHSC instruction's own checks
 * (request length 16..4088 and a multiple of 8, page alignment).
 */
#ifndef FCP_SSQD_H
#define FCP_SSQD_H

#include <stddef.h>
#include <stdint.h>

#define CHSC_SSQD_CODE                  0x0024
#define CHSC_SSQD_REQ_LEN               0x0010  /* chsc_ssqd: request.length */
#define CHSC_SSQD_RESP_HDR_LEN          8u      /* chsc_header + u32 */
#define CHSC_SSQD_DESC_LEN              32u     /* struct qdio_ssqd_desc */

/* Response codes. */
#define CHSC_RC_OK                      0x0001
#define CHSC_RC_REQ_ERROR               0x0003
#define CHSC_RC_FORMAT                  0x0007

/* qdio_ssqd_desc.flags (arch/s390/include/asm/qdio.h) */
#define CHSC_FLAG_QDIO_CAPABILITY       0x80
#define CHSC_FLAG_VALIDITY              0x40

/* qdio_ssqd_desc.qdioac1 (arch/s390/include/asm/qdio.h) */
#define AC1_SIGA_INPUT_NEEDED           0x40
#define AC1_SIGA_OUTPUT_NEEDED          0x20
#define AC1_SIGA_SYNC_NEEDED            0x10
#define AC1_AUTOMATIC_SYNC_ON_THININT   0x08
#define AC1_AUTOMATIC_SYNC_ON_OUT_PCI   0x04
#define AC1_SC_QEBSM_AVAILABLE          0x02
#define AC1_SC_QEBSM_ENABLED            0x01

/* Offsets inside the 32-byte struct qdio_ssqd_desc. */
#define SSQD_OFF_FLAGS                  0
#define SSQD_OFF_SCH                    2
#define SSQD_OFF_QFMT                   4
#define SSQD_OFF_PARM                   5
#define SSQD_OFF_QDIOAC1                6
#define SSQD_OFF_SCH_CLASS              7
#define SSQD_OFF_PCNT                   8
#define SSQD_OFF_ICNT                   9
#define SSQD_OFF_OCNT                   11
#define SSQD_OFF_MBCCNT                 13
#define SSQD_OFF_QDIOAC2                14
#define SSQD_OFF_SCH_TOKEN              16

/* What the emulation knows about one subchannel. */
enum ssqd_sch_kind {
    SSQD_SCH_NONE = 0,          /* no such subchannel: descriptor all zero */
    SSQD_SCH_OTHER,             /* exists, not QDIO: only CHSC_FLAG_VALIDITY */
    SSQD_SCH_FCP,               /* FCP QDIO subchannel (libfcp) */
};

/* Lookup the caller provides: ssid 0..3, sch 0..0xffff. */
typedef enum ssqd_sch_kind (*ssqd_lookup_fn)(void *opaque, unsigned ssid, unsigned sch);

/*
 * Answer an SSQD request.  req/req_len: the request block (req_len = the
 * request header's length as the caller validated it, >= 4).  resp/cap:
 * where the response block goes (the caller writes *resp_len bytes back
 * behind the request).  Always produces a response (at least the 8-byte
 * header) when cap >= 8; returns the response code, or 0 when cap < 8 or
 * an argument is NULL (nothing written).
 *
 * Checks, in order: request length == 0x0010 (else 0x0003); the reserved
 * bits of the ssid/fmt halfword and the reserved words @8 and @12 zero
 * (else 0x0003); fmt == 0 (else 0x0007); first_sch <= last_sch (else
 * 0x0003).  Then one descriptor per subchannel first..last, as many as fit
 * into cap (a range that does not fit is truncated at a descriptor
 * boundary, as Linux only ever asks for one).  For an FCP subchannel:
 * flags QDIO_CAPABILITY|VALIDITY, sch, qfmt QDIO_ZFCP_QFMT (1), qdioac1
 * AC1_SIGA_OUTPUT_NEEDED|AC1_SIGA_INPUT_NEEDED, icnt = ocnt = 1, the rest
 * zero (no QEBSM token, no data division / multi-buffer in qdioac2).
 */
unsigned fcp_ssqd_answer(const uint8_t *req, size_t req_len, uint8_t *resp, size_t cap,
                         ssqd_lookup_fn lookup, void *opaque, size_t *resp_len);

#endif /* FCP_SSQD_H */
