/*
 * dumpbench: narrow interface between QEMU's dumpbench-fcp device
 * (hw/s390x/dumpbench-fcp.c) and libfcp (hw/s390x/dumpbench-fcp-model.c).
 *
 * Like dumpbench-sclp.h: the QEMU side never includes libfcp's headers
 * (they define SCSI_*, FSF_*, QDIO and AC1_* names that would collide
 * with QEMU's own) and the libfcp side never includes a QEMU header.
 *
 * This work is licensed under the terms of the GNU GPL, version 2 or (at
 * your option) any later version.
 */
#ifndef HW_S390X_DUMPBENCH_FCP_MODEL_H
#define HW_S390X_DUMPBENCH_FCP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db_host;
struct dbf;

/* Sense-ID identity and CIWs (mirrors of libfcp's, checked there). */
#define DBF_CU_TYPE             0x1731
#define DBF_CU_MODEL            0x03
#define DBF_DEV_TYPE            0x1732
#define DBF_DEV_MODEL           0x03
#define DBF_CIW_TYPE_EQUEUE     0x43
#define DBF_CIW_TYPE_AQUEUE     0x44
#define DBF_EQUEUE_CMD          0x1b
#define DBF_AQUEUE_CMD          0x1f
#define DBF_EQUEUE_COUNT        4096
#define DBF_AQUEUE_COUNT        0
#define DBF_CHSC_SSQD           0x0024
#define DBF_MAX_LUNS            2

struct dbf_config {
    uint8_t cssid, ssid;
    uint16_t devno;
    uint64_t wwpn;                      /* remote port (point-to-point peer) */
    unsigned nluns;                     /* 1..DBF_MAX_LUNS */
    uint64_t lun[DBF_MAX_LUNS];
    const char *file[DBF_MAX_LUNS];
    const char *log;                    /* NULL: no log */
};

/* NULL on error, reason in err. */
struct dbf *dbf_new(const struct dbf_config *cfg, const struct db_host *host,
                    char *err, size_t errlen);
void dbf_free(struct dbf *d);

/* ESTABLISH QUEUES: 0, or -1 (unit check / command reject; the reason is
 * logged and kept for dbf_info). */
int dbf_establish(struct dbf *d, uint64_t qdr, uint32_t count);
bool dbf_established(const struct dbf *d);
/* HALT / CLEAR SUBCHANNEL. */
void dbf_reset(struct dbf *d);
/* SIGA-w / SIGA-r(-s): 0 (cc 0), -1 = queues not established or a host
 * memory error (cc 3 is not right for the latter, but nothing better is
 * architected for the model).  *pci: present a PCI interrupt. */
int dbf_siga_write(struct dbf *d, bool *pci);
int dbf_siga_read(struct dbf *d, bool *pci);

/* HMP.  Each returns 0 or -1, with a one-line message in msg. */
int dbf_fault(struct dbf *d, const char *kind, unsigned lun, bool have_at, uint64_t at,
              bool have_count, uint64_t count, char *msg, size_t msglen);
int dbf_fault_clear(struct dbf *d, char *msg, size_t msglen);
int dbf_link_up(struct dbf *d, bool *pci, char *msg, size_t msglen);
void dbf_info(struct dbf *d, const char *state, char *buf, size_t len);

/*
 * CHSC SSQD: build the response for the request block req[0..req_len)
 * into resp (cap bytes).  kind(opaque, ssid, sch) returns 0 = no such
 * subchannel, 1 = another device, 2 = dumpbench-fcp.  Returns the
 * response length (0: nothing written).
 */
size_t dbf_chsc_ssqd(const uint8_t *req, size_t req_len, uint8_t *resp, size_t cap,
                     int (*kind)(void *opaque, unsigned ssid, unsigned sch), void *opaque);

#endif /* HW_S390X_DUMPBENCH_FCP_MODEL_H */
