/*
 * libphyp: the POWER hypervisor side of firmware-assisted dump.
 *
 * Models RTAS ibm,configure-kernel-dump (REGISTER / UNREGISTER /
 * INVALIDATE), the dump taken at ibm,os-term, the /rtas properties the next
 * boot sees, and the incremental release of preserved memory from the 2007
 * phyp-assisted dump design (linux:Documentation/powerpc/
 * phyp-assisted-dump.txt, /sys/kernel/release_region).
 * Spec: /work/shared/specs/phyp.md (sections 2, 3, 6).
 *
 * All guest memory and CPU access goes through struct db_host.  The model
 * keeps all of its state in struct phyp; there are no globals.
 *
 * Return conventions:
 *  - RTAS calls return the architected RTAS status (PHYP_RTAS_*), the value
 *    the guest sees in rets[0].
 *  - Everything else returns enum phyp_status (0 ok, negative error).
 */
#ifndef PHYP_PHYP_H
#define PHYP_PHYP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dumpbench/cpu.h>
#include <dumpbench/host.h>

#include <phyp/fdm.h>
#include <phyp/regsave.h>
#include <phyp/rtas_props.h>

/* ibm,configure-kernel-dump commands (linux:asm/fadump-internal.h). */
#define PHYP_CMD_REGISTER    1u
#define PHYP_CMD_UNREGISTER  2u
#define PHYP_CMD_INVALIDATE  3u

/* RTAS status values (linux:…/rtas-fadump.c, qemu:include/hw/ppc/spapr.h). */
#define PHYP_RTAS_SUCCESS            0
#define PHYP_RTAS_HW_ERROR           (-1)
#define PHYP_RTAS_BUSY               (-2)
#define PHYP_RTAS_PARAM_ERROR        (-3)
#define PHYP_RTAS_ALREADY_REGISTERED (-9)
#define PHYP_RTAS_DUMP_ACTIVE        (-10)
/* Extended busy: 9900 + n asks the caller to wait 10^n ms (rtas_busy_delay_time). */
#define PHYP_RTAS_EXT_BUSY_MIN       9900
#define PHYP_RTAS_EXT_BUSY_MAX       9905

/* Library status codes (non-RTAS functions). */
enum phyp_status {
    PHYP_OK = 0,
    PHYP_ERR_INVALID = -1,      /* bad argument (NULL, zero length, overflow) */
    PHYP_ERR_STATE = -2,        /* wrong model state (e.g. no dump active) */
    PHYP_ERR_RANGE = -3,        /* range not inside the preserved areas */
    PHYP_ERR_RELEASED = -4,     /* range (partly) released already */
    PHYP_ERR_NOSPC = -5,        /* output buffer too small; *len tells size */
    PHYP_ERR_NOMEM = -6,
    PHYP_ERR_HOST = -7,         /* a host op failed */
    PHYP_ERR_FORMAT = -8,       /* malformed input (register save area) */
};

/* phyp_release() returns this (positive) when the last byte was released. */
#define PHYP_RELEASED_ALL 1

enum phyp_state {
    PHYP_STATE_UNSUPPORTED,     /* token not advertised (QEMU 7.2) */
    PHYP_STATE_IDLE,
    PHYP_STATE_REGISTERED,
    PHYP_STATE_DUMP_ACTIVE,
};

/* What to put into the HPTE section at dump time. */
enum phyp_hpte_mode {
    PHYP_HPTE_NONE,             /* not implemented (QEMU): bytes_dumped 0, no flag */
    PHYP_HPTE_ZERO,             /* empty HPT: hpte_size zero bytes, bytes_dumped = len */
};

/*
 * A forced RTAS result, for fault injection: the next `count` calls of
 * command `cmd` (0 = any command) return `rc` without doing anything.
 * count 0 = never.
 */
struct phyp_fault {
    uint32_t cmd;
    int32_t rc;
    unsigned count;
};

/*
 * Firmware profile: which firmware the model pretends to be.
 *
 *  busy_rc/busy_count: every call sequence first gets busy_count replies
 *    of busy_rc (-2 or 9900..9905), then proceeds; the counter re-arms after
 *    each non-busy reply, so each command the kernel issues sees the same
 *    number of busy replies (linux:…/rtas-fadump.c rtas_busy_delay loop).
 *  strict_sections: validate every section at REGISTER (types, request flag,
 *    sizes, bounds, alignment, overlaps, duplicates; spec 6.2 steps 5-7).
 *    false = QEMU 10.2 behaviour: accept, and report problems through
 *    per-section error_flags at dump time.
 *  strict_size: REGISTER needs fdm_size == 40 + 40n exactly (what ≈6.11+
 *    kernels say the platform requires); otherwise any size in
 *    [40 + 40n, 40 + 40*max_sections] is accepted (6.1 passes 160).
 *  invalidate_idle_ok: INVALIDATE without an active dump returns 0 and drops
 *    a live registration (QEMU 10.2 quirk Q1) instead of -3.
 *  version_prop_host_le: emit -version cells little-endian (QEMU Q8 on x86).
 *  rma_size: fdm must satisfy 0 < fdm, fdm + size <= rma_size (also capped
 *    to guest memory and 4 GiB).  0 = guest memory size capped to 4 GiB.
 *  max_cpus: CPU count used for the advertised CPU-state size
 *    (0x20 + max_cpus * 0x4F0); 0 = host cpu_count().
 *  rmr_align: required alignment of 0x11 source, length and destination
 *    (strict only; 0 = none).  4096: the kernel page-aligns them
 *    (lx61:…/rtas-fadump.c:95-125).
 */
struct phyp_profile {
    const char *name;
    bool supported;
    uint32_t token;
    uint32_t version_min, version_max;
    uint16_t max_sections;
    uint64_t rma_size;
    unsigned max_cpus;
    uint64_t hpte_size;
    enum phyp_hpte_mode hpte_mode;
    uint64_t rmr_align;
    bool strict_sections;
    bool strict_size;
    bool invalidate_idle_ok;
    bool version_prop_host_le;
    bool reset_drops_registration;
    int32_t busy_rc;
    unsigned busy_count;
    struct phyp_fault fault;
};

/* Largest max_sections a profile may ask for. */
#define PHYP_MAX_SECTIONS_LIMIT 64u

/*
 * Built-in profiles: "phyp-default" (strict PowerVM-like), "qemu-10.2"
 * (upstream QEMU incl. Q1/Q8), "strict-size" (exact 40+40n REGISTER size),
 * "busy-3" (phyp-default, three -2 replies before each call proceeds),
 * "busy-ext" (two 9901 replies), "qemu-7.2" (unsupported),
 * "phyp-2008" (phyp-assisted dump: RMR 256 MiB, HPTE zero-filled).
 */
const struct phyp_profile *phyp_profile_find(const char *name);
/* i-th built-in profile (NULL past the end), for listing. */
const struct phyp_profile *phyp_profile_at(size_t i);
/* Advertised CPU-state size for this profile on this host. */
uint64_t phyp_profile_cpu_state_size(const struct phyp_profile *prof,
                                     const struct db_host *host);
/*
 * The checks phyp_new() applies to a profile (e.g. one built field by field
 * from a data file): 1 <= max_sections <= PHYP_MAX_SECTIONS_LIMIT,
 * version_min <= version_max, busy_rc -2 or 9900..9905 when busy_count > 0,
 * rmr_align 0 or a power of two, a known hpte_mode.  PHYP_OK, or
 * PHYP_ERR_INVALID with the reason in err (when err/errlen are given).
 */
int phyp_profile_validate(const struct phyp_profile *prof, char *err, size_t errlen);

struct phyp;

/* The profile is copied.  NULL on allocation failure or an invalid profile. */
struct phyp *phyp_new(const struct db_host *host, const struct phyp_profile *prof);
void phyp_free(struct phyp *p);
const struct phyp_profile *phyp_profile(const struct phyp *p);

/* Replace the pending injected fault (see struct phyp_fault). */
void phyp_inject_fault(struct phyp *p, uint32_t cmd, int32_t rc, unsigned count);

/*
 * RTAS ibm,configure-kernel-dump.  fdm_addr is the real address the guest
 * passed (a 32-bit RTAS cell; wider values are rejected).  Returns the RTAS
 * status.  Validation order and codes: see rtas.c.  A call that does not
 * return 0 changes no state.
 */
int32_t phyp_configure_kernel_dump(struct phyp *p, uint32_t nargs, uint32_t nret,
                                   uint32_t cmd, uint64_t fdm_addr, uint64_t fdm_size);
/*
 * Same call in RTAS argument-array form: args[0..nargs) = {cmd, fdm, size},
 * status stored in rets[0] (when nret >= 1) and returned.
 */
int32_t phyp_rtas_call(struct phyp *p, uint32_t nargs, const uint32_t *args,
                       uint32_t nret, uint32_t *rets);

enum phyp_osterm_result {
    PHYP_OSTERM_PANIC = 0,      /* nothing registered: plain guest panic */
    PHYP_OSTERM_DUMP = 1,       /* dump taken, memory-preserving reset follows */
    PHYP_OSTERM_FAILED = -1,    /* host failure (CPU state unreadable) */
};

/*
 * ibm,os-term: with a registered dump, stop all CPUs, process each section
 * (spec 6.3), set the status and enter DUMP_ACTIVE.
 */
enum phyp_osterm_result phyp_os_term(struct phyp *p);

/* Non-dump machine reset: keeps or drops a registration per profile. */
void phyp_machine_reset(struct phyp *p);

/* State queries. */
enum phyp_state phyp_get_state(const struct phyp *p);
bool phyp_is_registered(const struct phyp *p);
bool phyp_dump_active(const struct phyp *p);
/* Guest address the registered structure was read from (0 if none). */
uint64_t phyp_fdm_addr(const struct phyp *p);
/*
 * Copy of the registered structure (header + n sections, 40 + 40n bytes;
 * with results once a dump was taken).  PHYP_ERR_STATE when idle,
 * PHYP_ERR_NOSPC (with *len set) when cap is too small.
 */
int phyp_registered_fdm(const struct phyp *p, uint8_t *buf, size_t cap, size_t *len);

/*
 * /rtas property bytes.  Each returns PHYP_OK and sets *len, PHYP_ERR_NOSPC
 * (with *len) when cap is too small, PHYP_ERR_STATE when the property is
 * absent (unsupported firmware; ibm,kernel-dump: no dump active).
 */
int phyp_token_property(const struct phyp *p, uint8_t *buf, size_t cap, size_t *len);
int phyp_sizes_property(const struct phyp *p, uint8_t *buf, size_t cap, size_t *len);
int phyp_version_property(const struct phyp *p, uint8_t *buf, size_t cap, size_t *len);
int phyp_kernel_dump_property(const struct phyp *p, uint8_t *buf, size_t cap, size_t *len);

/* Register save area (regsave.c). */
/*
 * Build the area for the given CPUs (only those with .online set), layout
 * in <phyp/regsave.h>.  *len = PHYP_REGSAVE_SIZE(online count).
 */
int phyp_regsave_build(const struct db_ppc64_cpu *cpus, unsigned ncpus,
                       uint8_t *buf, size_t cap, size_t *len);
/*
 * Parse an area: magic, num_cpu_offset and num_cpus bounds, every CPU
 * block CPUSTRT ... CPUEND with matching ids, all inside len.  Registers the
 * kernel maps (GPRs, NIA, MSR, CTR, LR, XER, CR, DAR, DSISR) plus SRR0/1,
 * PIR, PVR, FPSCR are filled; other ids are ignored.  cpus[i].online = true,
 * cpu_id from CPUSTRT.  PHYP_ERR_FORMAT when malformed, PHYP_ERR_NOSPC when
 * more than max CPUs (*ncpus set to the count).
 */
int phyp_regsave_parse(const uint8_t *buf, size_t len, struct db_ppc64_cpu *cpus,
                       unsigned max, unsigned *ncpus);

/* Incremental release of preserved memory (phyp-assisted dump design). */
struct phyp_range {
    uint64_t start;
    uint64_t len;
};

/*
 * Release [start, start+len) of preserved memory while a dump is active.
 * The range must lie inside the preserved destination areas (requested
 * sections with source_len > 0) and must not touch an already released
 * byte.  Returns PHYP_OK, PHYP_RELEASED_ALL when nothing is left, or
 * PHYP_ERR_INVALID (len 0 / wrap), PHYP_ERR_STATE (no dump active),
 * PHYP_ERR_RANGE (outside), PHYP_ERR_RELEASED (double release).
 */
int phyp_release(struct phyp *p, uint64_t start, uint64_t len);
/* Bytes still preserved (0 when no dump is active). */
uint64_t phyp_preserved_remaining(const struct phyp *p);
/*
 * Still-preserved ranges, sorted and merged.  *n = number of ranges;
 * PHYP_ERR_NOSPC if more than cap (first cap filled).
 */
int phyp_preserved_ranges(const struct phyp *p, struct phyp_range *out,
                          size_t cap, size_t *n);

#endif /* PHYP_PHYP_H */
