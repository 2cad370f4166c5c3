/*
 * libfcp — a model of an IBM Z FCP channel (zfcp's view of an FSF adapter)
 * with SCSI disks behind remote ports.
 *
 * What is modelled (Linux drivers/s390/scsi/zfcp_fsf.{c,h}, see also
 * /work/shared/specs/s390.md §5 and fcp-qdio.md):
 *   - the channel: device number cssid.ssid.devno and the data an FSF
 *     EXCHANGE CONFIG DATA / EXCHANGE PORT DATA would report (WWNN/WWPN,
 *     S_ID, topology, SBAL limits);
 *   - a topology of remote ports (WWPN, D_ID), each with logical units
 *     addressed by a 64-bit FCP LUN (SAM LUN format);
 *   - FSF OPEN PORT (PLOGI) / CLOSE PORT, OPEN LUN / CLOSE LUN with FSF-style
 *     port_handle / lun_handle values and the FSF status of every error;
 *   - FSF_QTCB_FCP_CMND: SCSI commands on an open LUN (fcp_scsi_exec), with
 *     FCP_RSP semantics (SCSI status, fixed-format sense, residuals);
 *   - fault hooks (link down at an LBA, medium error ranges, timeouts, LUN
 *     removal, PLOGI reject) and statistics for the benches.
 * The QDIO transport (QDR/SLSB/SBALs) and the FSF request/response layer a
 * device emulation drives from the guest's queues are in fcp/qdio.h and
 * fcp/fsf.h (qdio.c, fsf.c); they call the API below.  A caller without
 * queues decodes an FCP_CMND IU (fcp_cmnd_iu_decode), calls fcp_scsi_exec
 * and encodes the FCP_RSP IU (fcp_rsp_iu_encode) itself.
 *
 * Conventions: every fallible call returns enum fcp_status; nothing is
 * printed; a rejected call changes no state (the one exception is
 * documented at the fault hooks: a write that hits a fault writes the
 * blocks before the failing one, as a real disk would).  No global state.
 */
#ifndef FCP_FCP_H
#define FCP_FCP_H

#include <stddef.h>
#include <stdint.h>

#include "fcp/scsi.h"
#include "fcp/fcp_cmnd.h"

/* ---- FSF codes (Linux drivers/s390/scsi/zfcp_fsf.h) -------------------- */
#define FSF_PROT_GOOD                   0x00000001
#define FSF_PROT_FSF_STATUS_PRESENTED   0x00000100
#define FSF_PROT_LINK_DOWN              0x00000400

#define FSF_GOOD                        0x00000000
#define FSF_PORT_ALREADY_OPEN           0x00000001
#define FSF_LUN_ALREADY_OPEN            0x00000002
#define FSF_PORT_HANDLE_NOT_VALID       0x00000003
#define FSF_LUN_HANDLE_NOT_VALID        0x00000004
#define FSF_HANDLE_MISMATCH             0x00000005
#define FSF_FCPLUN_NOT_VALID            0x00000009
#define FSF_DIRECTION_INDICATOR_NOT_VALID 0x00000030
#define FSF_CMND_LENGTH_NOT_VALID       0x00000033
#define FSF_ADAPTER_STATUS_AVAILABLE    0x000000AD
/* Defined in zfcp_fsf.h up to Linux 2.6.2x, dropped later: newer zfcp
 * takes the FCP_RSP from the QTCB bottom of an FSF_GOOD completion. */
#define FSF_FCP_RSP_AVAILABLE           0x000000AF

/* FSF status qualifier word 0 for FSF_ADAPTER_STATUS_AVAILABLE. */
#define FSF_SQ_NO_RECOM                 0x00
#define FSF_SQ_FCP_RSP_AVAILABLE        0x01
#define FSF_SQ_RETRY_IF_POSSIBLE        0x02
#define FSF_SQ_INVOKE_LINK_TEST_PROCEDURE 0x04
#define FSF_SQ_NO_RETRY_POSSIBLE        0x07

/* Topologies (FSF_TOPO_*) and limits. */
#define FSF_TOPO_P2P                    0x00000001
#define FSF_TOPO_FABRIC                 0x00000002
#define FSF_TOPO_AL                     0x00000003
#define FSF_QTCB_CURRENT_VERSION        0x00000001
#define FSF_MAX_SBALS_PER_REQ           36
/* fcp_adapter_default_config(): 36 SBALs x 16 elements x 4 KiB = 2304 KiB. */
#define FCP_DEFAULT_MAX_DATA_TRANSFER   (FSF_MAX_SBALS_PER_REQ * 16u * 4096u)

/*
 * Result of every libfcp call.  The first group are outcomes a real
 * adapter reports; the comment names the FSF protocol status / FSF status
 * / status qualifier (zfcp_fsf.h) they map to — fcp_status_to_fsf() returns
 * exactly these triples.  The FCP_ST_ERR_* group are model/host errors
 * (bad arguments, configuration mistakes, host I/O) with no FSF meaning.
 */
enum fcp_status {
    FCP_ST_OK = 0,                    /* FSF_PROT_GOOD / FSF_GOOD 0x00 */
    FCP_ST_PORT_ALREADY_OPEN,         /* FSF_PORT_ALREADY_OPEN 0x01 */
    FCP_ST_LUN_ALREADY_OPEN,          /* FSF_LUN_ALREADY_OPEN 0x02 */
    FCP_ST_PORT_HANDLE_NOT_VALID,     /* FSF_PORT_HANDLE_NOT_VALID 0x03: closed/unknown port handle */
    FCP_ST_LUN_HANDLE_NOT_VALID,      /* FSF_LUN_HANDLE_NOT_VALID 0x04: closed/unknown/removed LUN */
    FCP_ST_HANDLE_MISMATCH,           /* FSF_HANDLE_MISMATCH 0x05: LUN handle of another port */
    FCP_ST_FCPLUN_NOT_VALID,          /* FSF_FCPLUN_NOT_VALID 0x09: OPEN LUN of an unknown LUN */
    FCP_ST_DIRECTION_NOT_VALID,       /* FSF_DIRECTION_INDICATOR_NOT_VALID 0x30 */
    FCP_ST_CMND_LENGTH_NOT_VALID,     /* FSF_CMND_LENGTH_NOT_VALID 0x33 */
    FCP_ST_PORT_UNKNOWN,              /* FSF_ADAPTER_STATUS_AVAILABLE 0xAD, SQ FSF_SQ_NO_RETRY_POSSIBLE:
                                         no remote port with that WWPN answers */
    FCP_ST_PLOGI_REJECTED,            /* FSF_ADAPTER_STATUS_AVAILABLE 0xAD, SQ FSF_SQ_NO_RETRY_POSSIBLE:
                                         the remote port rejected PLOGI (LS_RJT) */
    FCP_ST_FCP_RSP_AVAILABLE,         /* FSF_FCP_RSP_AVAILABLE 0xAF: SCSI status is not GOOD, the
                                         FCP_RSP (status, sense, residual) is in the result */
    FCP_ST_LINK_DOWN,                 /* FSF_PROT_LINK_DOWN 0x400 (protocol status): port lost */
    FCP_ST_TIMEOUT,                   /* no completion at all; zfcp's request timer fires */

    FCP_ST_ERR_INVALID,               /* bad argument / configuration value */
    FCP_ST_ERR_EXISTS,                /* topology: WWPN or LUN already configured */
    FCP_ST_ERR_NOT_FOUND,             /* topology: no such WWPN or LUN */
    FCP_ST_ERR_NOMEM,                 /* allocation failed */
    FCP_ST_ERR_IO,                    /* host I/O on the backing store failed */
};

struct fcp_fsf_code {
    uint32_t prot_status;             /* QTCB prefix prot_status */
    uint32_t fsf_status;              /* QTCB header fsf_status */
    uint32_t fsf_sq;                  /* QTCB header fsf_status_qual.word[0] */
};

/* Map an adapter outcome to its FSF triple; FCP_ST_ERR_INVALID for the
 * model-only statuses (FCP_ST_ERR_*) and for FCP_ST_TIMEOUT (no QTCB ever
 * comes back), *out untouched in that case. */
enum fcp_status fcp_status_to_fsf(enum fcp_status st, struct fcp_fsf_code *out);
/* Stable name ("FCP_ST_OK", ...), "FCP_ST_?" for out-of-range values. */
const char *fcp_status_name(enum fcp_status st);

/* ---- Adapter ------------------------------------------------------------ */
struct fcp_adapter;

struct fcp_adapter_config {
    uint8_t cssid;                    /* channel subsystem id (0..255) */
    uint8_t ssid;                     /* subchannel set id (0..3) */
    uint16_t devno;                   /* device number */
    uint64_t wwnn;                    /* adapter node name */
    uint64_t wwpn;                    /* adapter port name (non-zero) */
    uint32_t s_id;                    /* our N_Port ID, 24 bits */
    uint32_t topology;                /* FSF_TOPO_P2P / FABRIC / AL */
    uint32_t max_sbals;               /* SBALs per request, 1..FSF_MAX_SBALS_PER_REQ */
    uint32_t max_data_transfer;       /* bytes per request (non-zero) */
    uint32_t link_speed;              /* FSF fc_link_speed, Gbit/s */
};

/* What EXCHANGE CONFIG DATA / EXCHANGE PORT DATA would return. */
struct fcp_config_data {
    uint64_t wwnn;
    uint64_t wwpn;
    uint32_t s_id;
    uint32_t topology;
    uint32_t max_sbals;
    uint32_t max_data_transfer;
    uint32_t link_speed;
    uint32_t low_qtcb_version;        /* both FSF_QTCB_CURRENT_VERSION */
    uint32_t high_qtcb_version;
    uint32_t nports;                  /* configured remote ports */
};

/* Defaults: devno given, cssid/ssid 0, WWNN 0x5005076400c00001,
 * WWPN 0x5005076400c10001, S_ID 0x010100, fabric, 36 SBALs, 1 MiB max
 * transfer, 8 Gbit/s. */
void fcp_adapter_default_config(struct fcp_adapter_config *cfg, uint16_t devno);
/* Validates cfg (ssid <= 3, s_id <= 0xffffff, topology 1..3, max_sbals in
 * 1..36, wwpn and max_data_transfer non-zero). */
enum fcp_status fcp_adapter_new(const struct fcp_adapter_config *cfg,
                                struct fcp_adapter **out);
void fcp_adapter_free(struct fcp_adapter *a);
enum fcp_status fcp_adapter_config_data(const struct fcp_adapter *a,
                                        struct fcp_config_data *out);
/* Linux bus id "cssid.ssid.devno" ("0.0.1700"); len must hold the string
 * and its NUL (10 bytes for the longest, "ff.3.ffff"). */
enum fcp_status fcp_adapter_busid(const struct fcp_adapter *a, char *buf, size_t len);
/* Message for the last FCP_ST_ERR_* of a configuration call ("" if none). */
const char *fcp_adapter_errmsg(const struct fcp_adapter *a);

/* ---- Topology (bench side; not FSF commands) ---------------------------- */
#define FCP_MAX_PORTS           256
#define FCP_MAX_LUNS_PER_PORT   1024

/* Add a remote port.  d_id is its 24-bit N_Port ID. */
enum fcp_status fcp_port_add(struct fcp_adapter *a, uint64_t wwpn, uint32_t d_id);
/* Remove a port and its LUNs; any handles to them become invalid. */
enum fcp_status fcp_port_remove(struct fcp_adapter *a, uint64_t wwpn);

/* LUN backing stores: block_size is 512 or 4096, nblocks >= 1. */
/* Zero-filled memory. */
enum fcp_status fcp_lun_add_mem(struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                                uint32_t block_size, uint64_t nblocks);
/* An existing file; its size must be a non-zero multiple of block_size. */
enum fcp_status fcp_lun_add_file(struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                                 const char *path, uint32_t block_size);
/* Create (or truncate) a sparse file of nblocks blocks and use it. */
enum fcp_status fcp_lun_create_file(struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                                    const char *path, uint32_t block_size,
                                    uint64_t nblocks);
/* Remove a LUN (frees its backing; the file stays on disk). */
enum fcp_status fcp_lun_remove(struct fcp_adapter *a, uint64_t wwpn, uint64_t lun);

/* Direct access to a LUN's medium, bypassing SCSI and faults (for benches
 * and tests): byte offset and length must lie inside the medium. */
enum fcp_status fcp_lun_read_raw(struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                                 uint64_t offset, void *buf, size_t len);
enum fcp_status fcp_lun_write_raw(struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                                  uint64_t offset, const void *buf, size_t len);

/* SAM-5 single level LUN for a Linux LUN number: peripheral device
 * addressing for 0..255 (00 nn 00..), flat space for 256..16383
 * (40|hi lo 00..).  FCP_ST_ERR_INVALID above 16383. */
enum fcp_status fcp_sam_lun(uint32_t lun, uint64_t *fcp_lun);

/* ---- Port / LUN state machine (FSF OPEN/CLOSE PORT, OPEN/CLOSE LUN) ----- */
enum fcp_port_state {
    FCP_PORT_CLOSED = 0,
    FCP_PORT_OPEN,                    /* PLOGI done, port_handle valid */
    FCP_PORT_LOST,                    /* link down: every request -> FCP_ST_LINK_DOWN */
};

enum fcp_lun_state {
    FCP_LUN_CLOSED = 0,
    FCP_LUN_OPEN,
    FCP_LUN_REMOVED,                  /* FCP_FAULT_LUN_REMOVED armed */
};

/*
 * OPEN PORT (PLOGI).  Errors: FCP_ST_PORT_UNKNOWN (no such WWPN),
 * FCP_ST_PORT_ALREADY_OPEN, FCP_ST_LINK_DOWN (port lost),
 * FCP_ST_PLOGI_REJECTED (fault).  *port_handle written only on success.
 */
enum fcp_status fcp_port_open(struct fcp_adapter *a, uint64_t wwpn, uint32_t *port_handle);
/* CLOSE PORT: closes the port's open LUNs too.  Errors:
 * FCP_ST_PORT_HANDLE_NOT_VALID, FCP_ST_LINK_DOWN (port lost). */
enum fcp_status fcp_port_close(struct fcp_adapter *a, uint32_t port_handle);
/* Link back up for a lost port: port and its LUNs become CLOSED, all their
 * handles invalid (the host must PLOGI and OPEN LUN again).
 * FCP_ST_ERR_INVALID if the port is not lost. */
enum fcp_status fcp_port_link_up(struct fcp_adapter *a, uint64_t wwpn);
enum fcp_status fcp_port_get_state(const struct fcp_adapter *a, uint64_t wwpn,
                                   enum fcp_port_state *st);

/*
 * OPEN LUN on an open port.  LUN 0 can always be opened (SAM well-known
 * behaviour): if no LUN 0 is configured, it is a stand-in that answers
 * INQUIRY with peripheral qualifier 011b, REPORT LUNS and REQUEST SENSE,
 * and everything else with ILLEGAL REQUEST / LOGICAL UNIT NOT SUPPORTED.
 * Errors: FCP_ST_PORT_HANDLE_NOT_VALID, FCP_ST_LINK_DOWN,
 * FCP_ST_FCPLUN_NOT_VALID (unknown or removed LUN), FCP_ST_LUN_ALREADY_OPEN.
 */
enum fcp_status fcp_lun_open(struct fcp_adapter *a, uint32_t port_handle, uint64_t lun,
                             uint32_t *lun_handle);
/* CLOSE LUN.  Errors: FCP_ST_PORT_HANDLE_NOT_VALID, FCP_ST_LINK_DOWN,
 * FCP_ST_HANDLE_MISMATCH, FCP_ST_LUN_HANDLE_NOT_VALID. */
enum fcp_status fcp_lun_close(struct fcp_adapter *a, uint32_t port_handle,
                              uint32_t lun_handle);
enum fcp_status fcp_lun_get_state(const struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                                  enum fcp_lun_state *st);

/* ---- SCSI command execution (FSF_QTCB_FCP_CMND) -------------------------- */
struct fcp_scsi_result {
    uint8_t scsi_status;              /* SCSI_STATUS_GOOD / CHECK_CONDITION */
    uint8_t fcp_flags;                /* FCP_RESID_UNDER / FCP_RESID_OVER / FCP_SNS_LEN_VAL */
    uint32_t resid;                   /* FCP_RESID (saturates at 0xffffffff) */
    size_t data_len;                  /* bytes put into data_in / taken from data_out
                                         (for FCP_ST_LINK_DOWN: bytes that reached the medium) */
    uint32_t sense_len;               /* 0 or SCSI_SENSE_FIXED_LEN */
    uint8_t sense[SCSI_SENSE_FIXED_LEN]; /* fixed format, SPC-4 4.5.3 */
};

/*
 * Execute one SCSI command on an open LUN.  in_len / out_len are the
 * initiator's FCP_DL for a data-in / data-out command (at most one may be
 * non-zero, each at most 0xffffffff).  *res is always written.
 *
 * Returns FCP_ST_OK (SCSI GOOD), FCP_ST_FCP_RSP_AVAILABLE (CHECK
 * CONDITION, sense in res), or an FSF-level error (handles, CDB length,
 * direction, link down, timeout) with nothing executed.
 *
 * Data length rules (FCP-3 9.4.2 / SPC-4 allocation length):
 *  - parameter data (INQUIRY, READ CAPACITY, REPORT LUNS, REQUEST SENSE):
 *    min(allocation length, data size) bytes are due; if in_len is smaller
 *    the data is truncated and FCP_RESID_OVER set, if larger FCP_RESID_UNDER;
 *  - READ/WRITE: if in_len/out_len is smaller than transfer length * block
 *    size nothing is transferred and the command ends with CHECK CONDITION
 *    ILLEGAL REQUEST 0x0e/0x03 (INVALID FIELD IN COMMAND INFORMATION UNIT)
 *    plus FCP_RESID_OVER; a larger buffer gives FCP_RESID_UNDER.
 */
enum fcp_status fcp_scsi_exec(struct fcp_adapter *a, uint32_t port_handle,
                              uint32_t lun_handle, const uint8_t *cdb, size_t cdb_len,
                              uint8_t *data_in, size_t in_len,
                              const uint8_t *data_out, size_t out_len,
                              struct fcp_scsi_result *res);

/* Decoded FCP_CMND IU (fcp_cmnd.h). */
struct fcp_cmnd_info {
    uint64_t lun;                     /* FCP_LUN as a big-endian 64-bit value */
    uint8_t task_attr;                /* FCP_PTA_* */
    uint8_t tm_flags;                 /* FCP_TMF_* */
    uint8_t rddata, wrdata;           /* 0/1 */
    uint8_t cdb[SCSI_CDB_MAX];
    size_t cdb_len;                   /* always 16: no additional CDB supported */
    uint32_t dl;                      /* FCP_DL */
};
/* Errors: FCP_ST_CMND_LENGTH_NOT_VALID (len < 32, additional CDB length
 * non-zero, or len beyond FSF_FCP_CMND_SIZE), FCP_ST_DIRECTION_NOT_VALID
 * (RDDATA and WRDATA both set). */
enum fcp_status fcp_cmnd_iu_decode(const uint8_t *iu, size_t len, struct fcp_cmnd_info *out);
/* FCP_RSP IU for a result: 24 bytes, plus the sense data when present.
 * FCP_ST_ERR_INVALID if cap is too small. */
enum fcp_status fcp_rsp_iu_encode(const struct fcp_scsi_result *res, uint8_t *buf,
                                  size_t cap, size_t *len);

/* ---- Fault injection ----------------------------------------------------- */
enum fcp_fault_kind {
    FCP_FAULT_LINK_DOWN = 0,          /* LUN: a write touching LBA >= lba writes the blocks
                                         below lba, fails FCP_ST_LINK_DOWN, port -> LOST */
    FCP_FAULT_MEDIUM_ERROR,           /* LUN: blocks [lba, lba+count) unreadable/unwritable:
                                         blocks before the first bad one are transferred,
                                         then CHECK CONDITION MEDIUM ERROR 0x11/00 (read)
                                         or 0x0c/00 (write), INFORMATION = first bad LBA */
    FCP_FAULT_TIMEOUT,                /* LUN: after `skip` commands, `times` commands (0 =
                                         all) return FCP_ST_TIMEOUT and do nothing */
    FCP_FAULT_LUN_REMOVED,            /* LUN: gone until cleared — handle invalid, not in
                                         REPORT LUNS, OPEN LUN -> FCP_ST_FCPLUN_NOT_VALID */
    FCP_FAULT_PORT_REJECT,            /* port: after `skip` opens, `times` opens (0 = all)
                                         -> FCP_ST_PLOGI_REJECTED */
    FCP_FAULT_KINDS
};

struct fcp_fault {
    enum fcp_fault_kind kind;
    uint64_t lba;                     /* LINK_DOWN, MEDIUM_ERROR */
    uint64_t count;                   /* MEDIUM_ERROR: number of blocks (>= 1) */
    uint32_t skip;                    /* TIMEOUT, PORT_REJECT */
    uint32_t times;                   /* TIMEOUT, PORT_REJECT: 0 = unlimited */
};

/* Arm a LUN fault (every kind but PORT_REJECT); re-arming replaces the
 * previous setting of that kind and keeps its fired count.  Faults stay
 * armed until cleared (TIMEOUT/PORT_REJECT: until `times` is used up). */
enum fcp_status fcp_lun_fault_set(struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                                  const struct fcp_fault *f);
enum fcp_status fcp_lun_fault_clear(struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                                    enum fcp_fault_kind kind);
/* How often the fault fired (commands/opens it changed). */
enum fcp_status fcp_lun_fault_fired(const struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                                    enum fcp_fault_kind kind, uint64_t *count);
/* Port faults: PORT_REJECT only. */
enum fcp_status fcp_port_fault_set(struct fcp_adapter *a, uint64_t wwpn,
                                   const struct fcp_fault *f);
enum fcp_status fcp_port_fault_clear(struct fcp_adapter *a, uint64_t wwpn,
                                     enum fcp_fault_kind kind);
enum fcp_status fcp_port_fault_fired(const struct fcp_adapter *a, uint64_t wwpn,
                                     enum fcp_fault_kind kind, uint64_t *count);

/* ---- Statistics ----------------------------------------------------------- */
struct fcp_stats {
    uint64_t commands;                /* fcp_scsi_exec calls (adapter) / reaching the LUN */
    uint64_t reads, writes;           /* READ / WRITE commands completed with GOOD */
    uint64_t bytes_read, bytes_written; /* bytes moved from / to the medium (also the
                                           good prefix of a faulted transfer) */
    uint64_t syncs;                   /* SYNCHRONIZE CACHE completed */
    uint64_t check_conditions;        /* commands ended with CHECK CONDITION */
    uint64_t fsf_errors;              /* commands ended with another non-OK status */
};
enum fcp_status fcp_adapter_stats(const struct fcp_adapter *a, struct fcp_stats *out);
enum fcp_status fcp_lun_stats(const struct fcp_adapter *a, uint64_t wwpn, uint64_t lun,
                              struct fcp_stats *out);

#endif /* FCP_FCP_H */
