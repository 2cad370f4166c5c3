/*
 * FSF (FCP channel protocol) layouts and the device-side FSF layer that
 * answers the zfcp driver over the QDIO queues of fcp/qdio.h.
 *
 * Layouts: Linux 6.1 drivers/s390/scsi/zfcp_fsf.h (struct fsf_qtcb_prefix,
 * fsf_qtcb_header, fsf_qtcb_bottom_io / _support / _config / _port,
 * fsf_status_read_buffer, fsf_link_down_info) and include/scsi/fc/fc_els.h
 * (struct fc_els_flogi, the PLOGI payload).  The FCP_CMND / FCP_RSP IUs in
 * the I/O bottom are in fcp/fcp_cmnd.h.  (Read from a zfcp_fsf.h of the
 * 5.10+ series with the same layouts as 6.1: "Copyright IBM Corp. 2002,
 * 2020", FSF_SECURITY_ERROR, fsf_qual_latency_info.)
 *
 * A zfcp request (zfcp_fsf.c zfcp_fsf_req_create + zfcp_qdio.c
 * zfcp_qdio_req_init): SBALE 0 carries the request id, SBALE 1 the QTCB
 * (sizeof(struct fsf_qtcb) = 1696 bytes: prefix 64 + header 96 + bottom
 * 512 + log 1024), further SBALEs the data.  An unsolicited-status request
 * (FSF_QTCB_UNSOLICITED_STATUS, sbtype SBAL_SFLAGS0_TYPE_STATUS) has no
 * QTCB: SBALE 1 is a 4096-byte fsf_status_read_buffer the adapter fills
 * when it has an event.  The adapter answers by updating the QTCB (or
 * status buffer) in place and putting the request id into an input SBAL
 * (zfcp_fsf.c zfcp_fsf_reqid_check).
 *
 * All structs are byte arrays with big-endian fields (db_ld_be* / db_st_be*).
 */
#ifndef FCP_FSF_H
#define FCP_FSF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dumpbench/host.h>

#include "fcp/fcp.h"
#include "fcp/qdio.h"

/* ---- Codes not already in fcp/fcp.h (zfcp_fsf.h) -------------------------- */
#define FSF_QTCB_FCP_CMND               0x00000001
#define FSF_QTCB_ABORT_FCP_CMND         0x00000002
#define FSF_QTCB_OPEN_PORT_WITH_DID     0x00000005
#define FSF_QTCB_OPEN_LUN               0x00000006
#define FSF_QTCB_CLOSE_LUN              0x00000007
#define FSF_QTCB_CLOSE_PORT             0x00000008
#define FSF_QTCB_CLOSE_PHYSICAL_PORT    0x00000009
#define FSF_QTCB_SEND_ELS               0x0000000B
#define FSF_QTCB_SEND_GENERIC           0x0000000C
#define FSF_QTCB_EXCHANGE_CONFIG_DATA   0x0000000D
#define FSF_QTCB_EXCHANGE_PORT_DATA     0x0000000E

#define FSF_IO_COMMAND                  0x00000001
#define FSF_SUPPORT_COMMAND             0x00000002
#define FSF_CONFIG_COMMAND              0x00000003
#define FSF_PORT_COMMAND                0x00000004

#define FSF_PROT_QTCB_VERSION_ERROR     0x00000010
#define FSF_PROT_UNSUPP_QTCB_TYPE       0x00000040

#define FSF_FCP_COMMAND_DOES_NOT_EXIST  0x00000022
#define FSF_EXCHANGE_CONFIG_DATA_INCOMPLETE 0x0000005B
#define FSF_UNKNOWN_COMMAND             0x000000E2
#define FSF_INVALID_COMMAND_OPTION      0x000000E5
#define FSF_SQ_COMMAND_ABORTED          0x06

#define FSF_PSQ_LINK_NO_LIGHT           0x00000004

#define FSF_STATUS_READ_PAYLOAD_SIZE    4032
#define FSF_STATUS_READS_RECOM          16
#define FSF_STATUS_READ_PORT_CLOSED     0x00000001
#define FSF_STATUS_READ_LINK_DOWN       0x00000005
#define FSF_STATUS_READ_LINK_UP         0x00000006
#define FSF_STATUS_READ_SUB_NO_PHYSICAL_LINK 0x00000000

#define FSF_DATADIR_WRITE               0x00000001
#define FSF_DATADIR_READ                0x00000002
#define FSF_DATADIR_CMND                0x00000004
#define FSF_CLASS_3                     0x00000003

#define FSF_FEATURE_HBAAPI_MANAGEMENT   0x00000010
#define FSF_OPEN_LUN_SUPPRESS_BOXING    0x00000001

#define FSF_HBA_PORTTYPE_NPORT          0x00000005
#define FSF_HBA_PORTTYPE_PTP            0x00000021
#define FSF_HBA_PORTSTATE_ONLINE        0x00000002
#define FSF_HBA_PORTSTATE_LINKDOWN      0x00000006

/* zfcp_fsf.c ZFCP_FSF_PORTSPEED_* (fc_link_speed / supported_speed bits). */
#define ZFCP_FSF_PORTSPEED_1GBIT        (1u << 0)
#define ZFCP_FSF_PORTSPEED_2GBIT        (1u << 1)
#define ZFCP_FSF_PORTSPEED_4GBIT        (1u << 2)
#define ZFCP_FSF_PORTSPEED_10GBIT       (1u << 3)
#define ZFCP_FSF_PORTSPEED_8GBIT        (1u << 4)
#define ZFCP_FSF_PORTSPEED_16GBIT       (1u << 5)
#define ZFCP_FSF_PORTSPEED_NOT_NEGOTIATED (1u << 15)

/* zfcp_def.h: request id-less status read, "must not be used by hardware". */
#define FSF_QTCB_UNSOLICITED_STATUS     0x6305

/* ---- Layouts ------------------------------------------------------------- */

/* struct fsf_qtcb_prefix (64 bytes). */
struct fsf_qtcb_prefix {
    uint8_t req_id[8];          /*  0-7 */
    uint8_t qtcb_version[4];    /*  8-11: FSF_QTCB_CURRENT_VERSION */
    uint8_t ulp_info[4];        /* 12-15: zfcp: 26 */
    uint8_t qtcb_type[4];       /* 16-19: FSF_*_COMMAND */
    uint8_t req_seq_no[4];      /* 20-23 */
    uint8_t prot_status[4];     /* 24-27: FSF_PROT_* (adapter) */
    uint8_t prot_status_qual[16]; /* 28-43: version_error {low, high} / link_down_info */
    uint8_t res1[20];           /* 44-63 */
};
_Static_assert(sizeof(struct fsf_qtcb_prefix) == 64, "QTCB prefix is 64 bytes");

/* struct fsf_qtcb_header (96 bytes). */
struct fsf_qtcb_header {
    uint8_t req_handle[8];      /*  0-7 */
    uint8_t fsf_command[4];     /*  8-11: FSF_QTCB_* */
    uint8_t res1[4];            /* 12-15 */
    uint8_t port_handle[4];     /* 16-19 */
    uint8_t lun_handle[4];      /* 20-23 */
    uint8_t res2[4];            /* 24-27 */
    uint8_t fsf_status[4];      /* 28-31: FSF_* (adapter) */
    uint8_t fsf_status_qual[16]; /* 32-47: word[0] = FSF_SQ_* */
    uint8_t res3[28];           /* 48-75 */
    uint8_t log_start[2];       /* 76-77 */
    uint8_t log_length[2];      /* 78-79 */
    uint8_t res4[16];           /* 80-95 */
};
_Static_assert(sizeof(struct fsf_qtcb_header) == 96, "QTCB header is 96 bytes");

/* struct fsf_qtcb_bottom_io (512 bytes): FSF_QTCB_FCP_CMND. */
struct fsf_qtcb_bottom_io {
    uint8_t data_direction[4];  /*   0-3: FSF_DATADIR_* */
    uint8_t service_class[4];   /*   4-7: FSF_CLASS_3 */
    uint8_t res1;               /*   8 */
    uint8_t data_prot_flags;    /*   9 */
    uint8_t app_tag_value[2];   /*  10-11 */
    uint8_t ref_tag_value[4];   /*  12-15 */
    uint8_t fcp_cmnd_length[4]; /*  16-19: FCP_CMND_LEN 32 */
    uint8_t data_block_length[4]; /* 20-23 */
    uint8_t prot_data_length[4];  /* 24-27 */
    uint8_t res2[4];            /*  28-31 */
    uint8_t fcp_cmnd[FSF_FCP_CMND_SIZE]; /* 32-319: struct fcp_cmnd */
    uint8_t fcp_rsp[FSF_FCP_RSP_SIZE];   /* 320-447: struct fcp_resp_with_ext + sense */
    uint8_t res3[64];           /* 448-511 */
};
_Static_assert(sizeof(struct fsf_qtcb_bottom_io) == 512, "I/O bottom is 512 bytes");

/* struct fsf_qtcb_bottom_support (512 bytes): OPEN/CLOSE PORT/LUN, ABORT. */
struct fsf_qtcb_bottom_support {
    uint8_t operation_subtype[4]; /*   0-3 */
    uint8_t res1[13];           /*   4-16 */
    uint8_t d_id[3];            /*  17-19: OPEN PORT WITH DID */
    uint8_t option[4];          /*  20-23: OPEN LUN: FSF_OPEN_LUN_SUPPRESS_BOXING */
    uint8_t fcp_lun[8];         /*  24-31: OPEN LUN */
    uint8_t res2[8];            /*  32-39 */
    uint8_t req_handle[8];      /*  40-47: ABORT: request id to abort */
    uint8_t service_class[4];   /*  48-51 */
    uint8_t res3[3];            /*  52-54 */
    uint8_t timeout;            /*  55 */
    uint8_t lun_access_info[4]; /*  56-59 */
    uint8_t connection_info[4]; /*  60-63 */
    uint8_t res4[176];          /*  64-239 */
    uint8_t els1_length[4];     /* 240-243: OPEN PORT: PLOGI payload length */
    uint8_t els2_length[4];     /* 244-247 */
    uint8_t req_buf_length[4];  /* 248-251 */
    uint8_t resp_buf_length[4]; /* 252-255 */
    uint8_t els[256];           /* 256-511: OPEN PORT: PLOGI payload (fc_els_flogi) */
};
_Static_assert(sizeof(struct fsf_qtcb_bottom_support) == 512, "support bottom is 512 bytes");

/* struct fsf_qtcb_bottom_config (512 bytes): EXCHANGE CONFIG DATA.  The two
 * service-parameter blocks are fc_els_flogi without its 4-byte command word
 * (zfcp_fsf_exchange_config_evaluate subtracts sizeof(u32)): WWPN at +16,
 * WWNN at +24. */
struct fsf_qtcb_bottom_config {
    uint8_t lic_version[4];     /*   0-3 */
    uint8_t feature_selection[4]; /* 4-7 */
    uint8_t high_qtcb_version[4]; /* 8-11 */
    uint8_t low_qtcb_version[4];  /* 12-15 */
    uint8_t max_qtcb_size[4];   /*  16-19: >= sizeof(struct fsf_qtcb) */
    uint8_t max_data_transfer_size[4]; /* 20-23 */
    uint8_t adapter_features[4]; /* 24-27 */
    uint8_t connection_features[4]; /* 28-31 */
    uint8_t fc_topology[4];     /*  32-35: FSF_TOPO_* */
    uint8_t fc_link_speed[4];   /*  36-39: ZFCP_FSF_PORTSPEED_* */
    uint8_t adapter_type[4];    /*  40-43 */
    uint8_t res0;               /*  44 */
    uint8_t peer_d_id[3];       /*  45-47: point-to-point peer */
    uint8_t status_read_buf_num[2]; /* 48-49 */
    uint8_t timer_interval[2];  /*  50-51 */
    uint8_t res2[9];            /*  52-60 */
    uint8_t s_id[3];            /*  61-63 */
    uint8_t nport_serv_param[128]; /* 64-191: own WWPN @+16, WWNN @+24 */
    uint8_t res3[8];            /* 192-199 */
    uint8_t adapter_ports[4];   /* 200-203 */
    uint8_t hardware_version[4]; /* 204-207 */
    uint8_t serial_number[32];  /* 208-239: EBCDIC */
    uint8_t plogi_payload[112]; /* 240-351: peer WWPN @+16, WWNN @+24 */
    uint8_t stat_info[48];      /* 352-399: struct fsf_statistics_info */
    uint8_t res4[112];          /* 400-511 */
};
_Static_assert(sizeof(struct fsf_qtcb_bottom_config) == 512, "config bottom is 512 bytes");
#define FSF_SERV_PARAM_WWPN_OFF         16
#define FSF_SERV_PARAM_WWNN_OFF         24

/* struct fsf_qtcb_bottom_port (512 bytes): EXCHANGE PORT DATA. */
struct fsf_qtcb_bottom_port {
    uint8_t wwpn[8];            /*   0-7 */
    uint8_t fc_port_id[4];      /*   8-11 */
    uint8_t port_type[4];       /*  12-15: FSF_HBA_PORTTYPE_* */
    uint8_t port_state[4];      /*  16-19: FSF_HBA_PORTSTATE_* */
    uint8_t class_of_service[4]; /* 20-23 */
    uint8_t supported_fc4_types[32]; /* 24-55 */
    uint8_t active_fc4_types[32];    /* 56-87 */
    uint8_t supported_speed[4]; /*  88-91 */
    uint8_t maximum_frame_size[4]; /* 92-95: 2112 */
    uint8_t counters[20][8];    /*  96-255: seconds_since_last_reset .. output_mb */
    uint8_t sfp[20];            /* 256-275: cp_util .. fc_security_algorithms */
    uint8_t res3[236];          /* 276-511 */
};
_Static_assert(sizeof(struct fsf_qtcb_bottom_port) == 512, "port bottom is 512 bytes");

/* struct fsf_qtcb: prefix + header + bottom (+ 1 KiB log, not touched). */
#define FSF_QTCB_BOTTOM_SIZE            512u
#define FSF_QTCB_LOG_SIZE               1024u
#define FSF_QTCB_USED_LEN  (sizeof(struct fsf_qtcb_prefix) + sizeof(struct fsf_qtcb_header) + \
                            FSF_QTCB_BOTTOM_SIZE)     /* 672: the part the model reads/writes */
#define FSF_QTCB_SIZE      (FSF_QTCB_USED_LEN + FSF_QTCB_LOG_SIZE)  /* 1696 */
_Static_assert(FSF_QTCB_SIZE == 1696, "sizeof(struct fsf_qtcb) is 1696");

/* struct fsf_status_read_buffer (4096 bytes). */
struct fsf_status_read_buffer {
    uint8_t status_type[4];     /*  0-3: FSF_STATUS_READ_* */
    uint8_t status_subtype[4];  /*  4-7 */
    uint8_t length[4];          /*  8-11 */
    uint8_t res1[4];            /* 12-15 */
    uint8_t queue_designator[8]; /* 16-23: cssid chpid hla ua res1[4] */
    uint8_t res2;               /* 24 */
    uint8_t d_id[3];            /* 25-27 */
    uint8_t class_[4];          /* 28-31 */
    uint8_t fcp_lun[8];         /* 32-39 */
    uint8_t res3[24];           /* 40-63 */
    uint8_t payload[FSF_STATUS_READ_PAYLOAD_SIZE]; /* 64-4095: link_down_info, ... */
};
_Static_assert(sizeof(struct fsf_status_read_buffer) == 4096, "status read buffer is 4 KiB");

/* struct fc_els_flogi (include/scsi/fc/fc_els.h, FC-LS PLOGI/FLOGI
 * payload, 116 bytes) as returned in bottom_support.els by OPEN PORT. */
struct fc_els_flogi_payload {
    uint8_t fl_cmd;             /*   0: ELS_LS_ACC 0x02 */
    uint8_t fl_resv[3];         /*   1-3 */
    uint8_t fl_csp[16];         /*   4-19: common service parameters; sp_bb_data @ 6-7 */
    uint8_t fl_wwpn[8];         /*  20-27 */
    uint8_t fl_wwnn[8];         /*  28-35 */
    uint8_t fl_cssp[4][16];     /*  36-99: class 1..4; cp_class @ 0-1 */
    uint8_t fl_vend[16];        /* 100-115 */
};
_Static_assert(sizeof(struct fc_els_flogi_payload) == 116, "PLOGI payload is 116 bytes");
#define ELS_LS_ACC                      0x02
#define FC_CPC_VALID                    0x8000
#define FSF_PLOGI_MIN_LEN               112
#define FC_MAX_FRAME_PAYLOAD            2112

/* ---- FSF layer ----------------------------------------------------------- */

struct fsf_dev;

struct fsf_config {
    uint64_t peer_wwpn;         /* point-to-point peer (0: the first configured port) */
    uint64_t peer_wwnn;         /* 0: same as the peer WWPN */
    uint16_t status_read_buf_num; /* reported in EXCHANGE CONFIG DATA (0: 16) */
    uint32_t max_status_reads;  /* posted status buffers kept (0: 64) */
    /* Optional debug trace: called with one line (no newline) per QTCB
     * request answered, status-read buffer posted/answered, request
     * rejected with an SBAL error, and FCP command swallowed by a TIMEOUT
     * fault.  NULL: no trace. */
    void (*trace)(void *opaque, const char *line);
    void *trace_opaque;
};

/* Unsolicited events reported through posted status-read buffers. */
enum fsf_event_kind {
    FSF_EVT_LINK_DOWN = 0,      /* FSF_STATUS_READ_LINK_DOWN */
    FSF_EVT_LINK_UP,            /* FSF_STATUS_READ_LINK_UP */
    FSF_EVT_PORT_CLOSED,        /* FSF_STATUS_READ_PORT_CLOSED, d_id */
};
struct fsf_event {
    enum fsf_event_kind kind;
    uint32_t d_id;              /* PORT_CLOSED */
};

struct fsf_stats {
    uint64_t requests;          /* QTCB requests answered */
    uint64_t by_command[16];    /* indexed by FSF_QTCB_* (0 for unknown) */
    uint64_t status_reads_posted, status_reads_answered;
    uint64_t events_queued;
    uint64_t timeouts;          /* FCP commands swallowed by a TIMEOUT fault */
    uint64_t aborted;           /* swallowed commands completed by ABORT FCP CMND */
    uint64_t rejected;          /* requests answered with an SBAL error */
    uint64_t bytes_in, bytes_out; /* FCP data moved to / from guest memory */
    uint64_t pending;           /* completions waiting for an input buffer (now) */
};

/* `a` stays owned by the caller and must outlive the device.  cfg may be
 * NULL (defaults).  FCP_ST_ERR_INVALID / FCP_ST_ERR_NOMEM. */
enum fcp_status fsf_dev_new(struct fcp_adapter *a, const struct fsf_config *cfg,
                            struct fsf_dev **out);
void fsf_dev_free(struct fsf_dev *f);

/* The device's QDIO queues (read-only use: state, stats, errmsg). */
const struct qdio_queues *fsf_dev_qdio(const struct fsf_dev *f);

/* ESTABLISH QUEUES CCW (qdio_establish); QDIO_OK or the error the device
 * must report as unit check. */
enum qdio_status fsf_establish(struct fsf_dev *f, const struct db_host *h,
                               uint64_t qdr_addr, uint32_t count);
/* CLEAR / HALT SUBCHANNEL or a new ESTABLISH after shutdown: drop the
 * queues, posted status buffers, pending and stalled requests (queued
 * events are kept). */
void fsf_reset(struct fsf_dev *f);

/*
 * SIGA-w: process every primed output buffer (qdio_output_kick with the
 * FSF handler), then deliver completions into input-empty buffers.
 * *pci = true when an input buffer became primed or an SLSB error state
 * was set: the device then presents an I/O interrupt with PCI.
 */
enum qdio_status fsf_siga_write(struct fsf_dev *f, const struct db_host *h, bool *pci);
/* SIGA-r / SIGA-s, or after the driver returned input buffers: deliver
 * pending completions only. */
enum qdio_status fsf_siga_read(struct fsf_dev *f, const struct db_host *h, bool *pci);

/* Queue an unsolicited event; it is delivered into the oldest posted
 * status-read buffer now or when the driver posts one.  Deliver with
 * fsf_siga_read afterwards. */
enum fcp_status fsf_post_event(struct fsf_dev *f, const struct fsf_event *ev);

enum fcp_status fsf_dev_stats(const struct fsf_dev *f, struct fsf_stats *out);
/* Message of the last rejected request / establish ("" if none). */
const char *fsf_dev_errmsg(const struct fsf_dev *f);

/*
 * Handle one output request (the qdio_req_fn the device uses; exposed for
 * unit tests and the fuzz target).  opaque is the struct fsf_dev.
 */
int fsf_handle_request(void *opaque, const struct db_host *h, const struct qdio_req *req);

#endif /* FCP_FSF_H */
