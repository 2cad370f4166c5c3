/*
 * libfcp internals: object layout shared by the source files.
 * Not installed; tests use only <fcp/fcp.h>.
 */
#ifndef FCP_INTERNAL_H
#define FCP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fcp/fcp.h"

/*
 * Backing store of a LUN: a function-pointer table so the medium can be a
 * file (pread/pwrite) or memory.  Offsets and lengths are in bytes and are
 * already range-checked by the caller; ops return 0 or -1 (nothing else).
 */
struct fcp_backing_ops {
    int (*read)(void *ctx, uint64_t off, void *buf, size_t len);
    int (*write)(void *ctx, uint64_t off, const void *buf, size_t len);
    int (*flush)(void *ctx);
    void (*destroy)(void *ctx);
};

struct fcp_backing {
    const struct fcp_backing_ops *ops;
    void *ctx;
    uint32_t block_size;
    uint64_t nblocks;
};

/* Backing constructors (fcp_backing.c); errmsg gets a reason on failure. */
enum fcp_status fcp_backing_mem(struct fcp_backing *b, uint32_t block_size,
                                uint64_t nblocks, char *errmsg, size_t errlen);
enum fcp_status fcp_backing_file(struct fcp_backing *b, const char *path,
                                 uint32_t block_size, bool create, uint64_t nblocks,
                                 char *errmsg, size_t errlen);
void fcp_backing_release(struct fcp_backing *b);

struct fcp_fault_slot {
    bool armed;
    bool unlimited;                   /* times == 0 */
    uint64_t lba, count;
    uint32_t skip, remaining;
    uint64_t fired;
};

struct fcp_lun {
    uint64_t lun;
    bool placeholder;                 /* LUN 0 stand-in without a logical unit */
    enum fcp_lun_state state;
    uint32_t handle;                  /* 0 = none */
    struct fcp_backing bk;
    struct fcp_fault_slot faults[FCP_FAULT_KINDS];
    struct fcp_stats stats;
};

struct fcp_port {
    uint64_t wwpn;
    uint32_t d_id;
    enum fcp_port_state state;
    uint32_t handle;                  /* 0 = none; kept while LOST */
    struct fcp_lun **luns;            /* sorted by LUN value */
    size_t nluns, cap;
    struct fcp_lun lun0;              /* placeholder used when LUN 0 is not configured */
    struct fcp_fault_slot faults[FCP_FAULT_KINDS];
};

struct fcp_adapter {
    struct fcp_adapter_config cfg;
    struct fcp_port **ports;
    size_t nports, cap;
    uint32_t next_handle;
    struct fcp_stats stats;
    char errmsg[160];
};

/* fcp_adapter.c helpers used by fcp_scsi.c */
struct fcp_port *fcp_find_port(const struct fcp_adapter *a, uint64_t wwpn);
struct fcp_lun *fcp_find_lun(const struct fcp_port *p, uint64_t lun);
/* Resolve (port_handle, lun_handle) to an OPEN port and OPEN LUN, or the
 * FSF error (PORT/LUN_HANDLE_NOT_VALID, HANDLE_MISMATCH, LINK_DOWN). */
enum fcp_status fcp_resolve(struct fcp_adapter *a, uint32_t port_handle,
                            uint32_t lun_handle, struct fcp_port **pp, struct fcp_lun **lp);
/* TIMEOUT / PORT_REJECT skip-and-times accounting: true when it fires. */
bool fcp_fault_counted_fires(struct fcp_fault_slot *s);
/* Mark a port lost after a link-down fault. */
void fcp_port_set_lost(struct fcp_port *p);

#endif /* FCP_INTERNAL_H */
