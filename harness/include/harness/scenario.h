/*
 * Scenario files: the parsed form.  The language is described in
 * scenarios/README.md; this header is the contract between the parser
 * (harness/src/scenario.c) and every backend that executes scenarios
 * (sim: sim/, QEMU: harness/).
 *
 * A scenario file is a sequence of lines "DIRECTIVE [word] key=value ...".
 * The parser checks every directive, key and value type against a schema
 * and reports "FILE:LINE: message" on the first error.  Values are kept as
 * text plus a parsed integer where the schema says the key is numeric, so
 * backends read them with scn_get_*().
 */
#ifndef HARNESS_SCENARIO_H
#define HARNESS_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum scn_arch { SCN_ARCH_S390X = 1, SCN_ARCH_PPC64, SCN_ARCH_X86_64 };

enum scn_step_kind {
    SCN_STEP_BOOT = 1,      /* step boot */
    SCN_STEP_PLANT,         /* step plant addr=.. len=.. seed=.. */
    SCN_STEP_SET_REGS,      /* step set-regs cpu=N reg=value ... (seeded if seed=) */
    SCN_STEP_HOTPLUG_CPU,   /* step hotplug-cpu count=N */
    SCN_STEP_HOTPLUG_MEM,   /* step hotplug-mem size=.. [reload=yes|no] */
    SCN_STEP_REGISTER,      /* step register   (ppc64 fadump REGISTER; s390: set dump IPLB) */
    SCN_STEP_UNREGISTER,    /* step unregister */
    SCN_STEP_INVALIDATE,    /* step invalidate */
    SCN_STEP_FAULT,         /* step fault TARGET key=value...  (sdias|fcp|rtas|hsa) */
    SCN_STEP_CRASH,         /* step crash [cpu=N]   kernel panics, firmware dump path */
    SCN_STEP_HANG,          /* step hang            guest stops responding */
    SCN_STEP_OPERATOR_DUMP, /* step operator-dump   s390 operator dump / ppc64 NMI */
    SCN_STEP_CAPTURE,       /* step capture         the dump agent runs (method from `dump`) */
    SCN_STEP_RELEASE,       /* step release [addr=.. len=..]  HSA or preserved ranges */
    SCN_STEP_RUN,           /* step run ms=N        let the machine run (clock, memory churn) */
};

enum scn_expect_kind {
    SCN_EXPECT_PAGES_EQUAL = 1, /* expect pages-equal   every page vs truth snapshot */
    SCN_EXPECT_REGS_EQUAL,      /* expect regs-equal    every CPU vs truth snapshot */
    SCN_EXPECT_GOLDEN,          /* expect golden [name=..] output == stored golden */
    SCN_EXPECT_EXEMPT,          /* expect exempt addr=.. len=.. reason="..." */
    SCN_EXPECT_OUTCOME,         /* expect outcome complete|incomplete|failed|no-dump [reason="..."] */
    SCN_EXPECT_RC,              /* expect rc op=register value=-3 */
    SCN_EXPECT_CPUS,            /* expect cpus count=N */
};

struct scn_kv {
    char *key;
    char *val;        /* text as written (quotes removed) */
    bool has_num;     /* val parsed as a number (sizes with K/M/G, hex, negative) */
    int64_t num;
    int line;
};

struct scn_item {
    int kind;         /* enum scn_step_kind or enum scn_expect_kind */
    char *word;       /* optional bare word after the directive (e.g. fault target, outcome), or NULL */
    int line;
    size_t nargs;
    struct scn_kv *args;
};

struct scn_machine {
    enum scn_arch arch;
    uint64_t memory;      /* bytes */
    unsigned cpus;
    unsigned max_cpus;    /* for hotplug; >= cpus */
    char *profile;        /* firmware profile name, or NULL for the default */
    uint64_t seed;        /* deterministic seed for everything random */
    int line;
};

struct scn_dump {
    char *method;         /* zfcpdump | fadump | kdump */
    char *format;         /* elf | s390 | kdump-compressed */
    char *target;         /* e.g. "fcp:0.0.1900/0x5005076303000104/0x4010400000000000", or NULL */
    /* QEMU s390x backend: how the dump disk reaches the dump kernel.
     * transport=virtio (default: virtio-blk-ccw at the dump IPLB's device)
     * or fcp (-device dumpbench-fcp with fcp-luns LUNs, the dump going to
     * LUN index `lun`); fcp-luns/lun only with transport=fcp. */
    char *transport;      /* "virtio" | "fcp" (default "virtio") */
    unsigned fcp_luns;    /* 1..2 (default 1) */
    unsigned lun;         /* 0..fcp_luns-1 (default 0) */
    int line;
};

struct scenario {
    char *path;           /* file it came from */
    char *name;           /* `scenario NAME` */
    char *description;    /* `description "..."`, or NULL */
    char *backend;        /* `backend sim|qemu|libvirt` (default sim) */
    struct scn_machine machine;
    struct scn_dump dump;
    size_t nsteps;
    struct scn_item *steps;
    size_t nexpects;
    struct scn_item *expects;
};

struct scn_error {
    char msg[512];        /* "FILE:LINE: message" */
};

/* Parse a file / a buffer (path used in messages).  0 on success, -1 on
 * error with err filled.  Free with scn_free. */
int scn_parse_file(const char *path, struct scenario **out, struct scn_error *err);
int scn_parse_buffer(const char *path, const char *text, size_t len,
                     struct scenario **out, struct scn_error *err);
void scn_free(struct scenario *s);

/* Accessors: return the kv or NULL. */
const struct scn_kv *scn_arg(const struct scn_item *it, const char *key);
/* Numeric arg with default when absent. */
int64_t scn_get_num(const struct scn_item *it, const char *key, int64_t dflt);
const char *scn_get_str(const struct scn_item *it, const char *key, const char *dflt);

const char *scn_step_name(int kind);
const char *scn_expect_name(int kind);
const char *scn_arch_name(enum scn_arch a);

#endif /* HARNESS_SCENARIO_H */
