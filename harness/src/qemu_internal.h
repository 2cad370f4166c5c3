/*
 * Internal interfaces of the QEMU backend (harness/src/qemu_*.c).
 */
#ifndef HARNESS_QEMU_INTERNAL_H
#define HARNESS_QEMU_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <json-c/json.h>

#define QPAGE 4096u

/* ---- qemu_elf.c: minimal ELF64 core reader (vmcore and QEMU ELF dumps) --- */

struct qelf_load {
    uint64_t paddr, vaddr, off, filesz;
};

struct qelf {
    int fd;
    const uint8_t *map;
    size_t size;
    size_t nload;
    struct qelf_load *loads;
    unsigned prstatus;      /* "CORE" NT_PRSTATUS notes */
    bool vmcoreinfo;        /* "VMCOREINFO" note present */
    char *vmcoreinfo_text;  /* NUL-terminated copy or NULL */
};

/* ELF64 little-endian ET_CORE; every offset checked against the file size. */
int qelf_open(struct qelf *e, const char *path, char *err, size_t errlen);
void qelf_close(struct qelf *e);
/* Page at paddr (page aligned) or NULL when no PT_LOAD holds all of it. */
const uint8_t *qelf_page(const struct qelf *e, uint64_t paddr);

/* ---- qemu_proc.c: QEMU process, serial console -------------------------- */

struct qproc {
    pid_t pid;
    int con_in;             /* write end: guest serial input */
    int con_out;            /* read end: guest serial output */
    char *con;              /* everything the console printed (NUL-terminated) */
    size_t con_len, con_cap;
    size_t con_pos;         /* start of the not yet consumed text */
    int con_log;            /* fd of console.log in the run dir, or -1 */
    bool exited;
    int status;
};

/* Start argv[0] in its own process group with PR_SET_PDEATHSIG(SIGKILL),
 * serial console on the FIFOs fifo_base.in / fifo_base.out. */
int qproc_start(struct qproc *p, char *const argv[], const char *fifo_base,
                const char *console_log, char *err, size_t errlen);
/* SIGTERM, wait up to grace_ms, then SIGKILL the group; reaps the child. */
void qproc_stop(struct qproc *p, int grace_ms);
/* Reap without blocking; true when QEMU has exited. */
bool qproc_poll_exit(struct qproc *p);
/* Read console output for up to ms milliseconds (or until something arrives
 * when ms == 0 means a non-blocking drain). */
void qproc_pump(struct qproc *p, int ms);
/*
 * Wait until one of ok[] appears in the console after con_pos (returns its
 * index, >= 0, and moves con_pos past the matching line), one of fail[]
 * appears (returns -2 - index), QEMU exits (-1) or timeout_ms passes (-100).
 */
int qproc_expect(struct qproc *p, const char *const *ok, size_t nok,
                 const char *const *fail, size_t nfail, int timeout_ms);
int qproc_send(struct qproc *p, const char *line);
/* Last n bytes of the console, for error messages. */
const char *qproc_tail(const struct qproc *p, size_t n);
double qnow(void);

/* ---- qemu_qmp.c: QMP over a unix socket (json-c) ------------------------ */

struct qmp {
    int fd;
    char buf[65536];
    size_t len;
};

int qmp_connect(struct qmp *q, const char *path, int timeout_ms,
                char *err, size_t errlen);
void qmp_close(struct qmp *q);
/* Execute; on success *ret gets the "return" value (caller json_object_put),
 * events are skipped.  -1 with err = QMP error description or I/O error. */
int qmp_exec(struct qmp *q, const char *cmd, struct json_object *args,
             struct json_object **ret, int timeout_ms, char *err, size_t errlen);

/* ---- qemu_gdb.c: GDB remote serial protocol (subset) -------------------- */

struct qgdb {
    int fd;
    char buf[8192];
    size_t len;
};

int qgdb_connect(struct qgdb *g, const char *path, int timeout_ms,
                 char *err, size_t errlen);
void qgdb_close(struct qgdb *g);
/* Send a packet, wait for '+', then (if reply != NULL) the reply packet. */
int qgdb_cmd(struct qgdb *g, const char *pkt, char *reply, size_t rlen,
             int timeout_ms);
/* Wait for a stop reply (after `c`), e.g. "T05thread:p01.02;" */
int qgdb_wait_stop(struct qgdb *g, char *reply, size_t rlen, int timeout_ms);

/* ---- qemu_kallsyms.c ---------------------------------------------------- */

struct qsym {
    uint64_t addr;
    char type;
    char *name;
};

struct qkallsyms {
    size_t n;
    struct qsym *syms;      /* sorted by address */
};

int qkallsyms_load(struct qkallsyms *k, const char *path);
void qkallsyms_free(struct qkallsyms *k);
const struct qsym *qkallsyms_find(const struct qkallsyms *k, const char *name);
/* Nearest symbol at or below addr, or NULL. */
const struct qsym *qkallsyms_lookup(const struct qkallsyms *k, uint64_t addr);

/* ---- qemu_s390x_truth.c: s390x truth snapshot (DBS390T1) and oracles ----- */

#include <dumpbench/cpu.h>
#include <dumpfmt/dump.h>

#define S390_TRUTH_CPU_ONLINE   0x1u
#define S390_TRUTH_CPU_STOPPED  0x2u
#define S390_TRUTH_FLAG_OPERATOR 0x1u

struct s390_truth_cpu {
    uint64_t index, address, flags;
    struct db_s390_cpu regs;       /* online/stopped/address filled from the record */
};

struct s390_truth {
    int fd;
    uint32_t ncpu, ipl_cpu, flags;
    uint64_t ram_offset, ram_size, hsa_size, clock_ns;
    struct s390_truth_cpu *cpus;   /* ncpu slots */
    const uint8_t *ram;            /* mmap of [ram_offset, +ram_size) */
};

/* Every header field and record checked against the file; err names the
 * field and offset.  0 or -1. */
int s390_truth_open(struct s390_truth *t, const char *path, char *err, size_t errlen);
/* Only the header's QEMU_CLOCK_VIRTUAL ns (offset 56) of a version-1
 * snapshot: the virtual clock at the dump IPL.  0, or -1 with err. */
int s390_truth_clock(const char *path, uint64_t *clock_ns, char *err, size_t errlen);
void s390_truth_close(struct s390_truth *t);
void s390_truth_decode_cpu(const uint8_t rec[976], struct s390_truth_cpu *c);
unsigned s390_truth_online(const struct s390_truth *t);
/* Dump model of the snapshot: RAM copied, online CPUs IPL CPU first. */
struct df_dump *s390_truth_dump(const struct s390_truth *t, char *err, size_t errlen);

struct s390_exempt {
    uint64_t addr, len;
    const char *reason;
};
#define S390_DUMP_IPL_NEXEMPT 2
/* absolute 0xa3 and 0x1200..0x13ff: written by the dump IPL's store status */
extern const struct s390_exempt s390_dump_ipl_exempt[S390_DUMP_IPL_NEXEMPT];

#define S390_REF_FIELDS 8
struct s390_oracle_out {
    uint64_t pages_compared, pages_differ, pages_missing, pages_extra;
    uint64_t pages_exempt;         /* pages differing only inside exemptions */
    uint64_t bytes_exempt_differ;
    uint64_t regs_compared;
    bool regs_differ;
    unsigned cpus_dump;
    char fail[512];                /* first failing oracle, "" if all held */
    bool ref_ran;
    bool ref_differ;
    uint64_t ref_pages;
    char ref[512];                 /* reference agent summary */
    size_t nref_field;
    char ref_field[S390_REF_FIELDS][320];  /* named differing field groups */
};

void s390_oracle_pages(const struct df_dump *truth, const struct df_dump *image,
                       const struct s390_exempt *ex, size_t nex, struct s390_oracle_out *o);
void s390_oracle_regs(const struct df_dump *truth, const struct df_dump *image,
                      struct s390_oracle_out *o);
/* Field groups in which img differs from ref (o->ref_field). */
void s390_ref_fields(const struct df_dump *ref, const struct df_dump *img,
                     struct s390_oracle_out *o);
/* Reference agent over the snapshot vs image (same format as the image; the
 * exempt ranges are taken from the image): 0 ran, 1 skipped (o->ref says
 * why), -1 error. */
int s390_oracle_reference(const struct s390_truth *t, const struct df_dump *image,
                          const struct s390_exempt *ex, size_t nex, struct s390_oracle_out *o);

/* ---- qemu_ppc64_oracle.c: ppc64 fadump oracles over files ---------------- */

/* Words of a DBPPC64T truth CPU record (sim/qemu/README-ppc64.md). */
enum {
    PPC64_TW_CPU = 0, PPC64_TW_FLAGS = 1, PPC64_TW_GPR0 = 2, PPC64_TW_NIA = 34,
    PPC64_TW_MSR, PPC64_TW_CTR, PPC64_TW_LR, PPC64_TW_XER, PPC64_TW_CR, PPC64_TW_DAR,
    PPC64_TW_DSISR, PPC64_TW_SRR0, PPC64_TW_SRR1, PPC64_TW_PIR, PPC64_TW_PVR,
    PPC64_TW_FPSCR, PPC64_TW_COUNT /* 47 */
};
#define PPC64_TRUTH_MAX_CPUS 256u
#define PPC64_MAX_EXTRA 4

struct ppc64_truth_cpu {
    uint64_t w[PPC64_TW_COUNT];
};

struct ppc64_truth {
    int fd;
    const uint8_t *map;
    size_t size;
    uint32_t ncpu, recsize, caller;   /* caller: cpu_index that called ibm,os-term */
    uint64_t ram_off, ram_size, clock_ns;
    struct ppc64_truth_cpu *cpus;
};

/* Validates every header field against the file size ("truncated",
 * "field X = V" errors); 0 or -1 with err. */
int ppc64_truth_open(struct ppc64_truth *t, const char *path, char *err, size_t errlen);
void ppc64_truth_close(struct ppc64_truth *t);
const uint8_t *ppc64_truth_page(const struct ppc64_truth *t, uint64_t paddr);

struct ppc64_range {
    uint64_t start, end;     /* [start, end) physical */
    char why[96];
};

struct ppc64_oracle_in {
    const char *vmcore, *truth;
    size_t nexempt;
    const struct ppc64_range *exempt;   /* named: may be absent from / differ in the vmcore */
    size_t nextra;
    struct { uint64_t paddr, size; const char *path, *what; } extra[PPC64_MAX_EXTRA];
    const char *dmesg_text;             /* printk ring must contain it (NULL: skip) */
    bool allow_vpa_counter;             /* attribute a page differing only in a VPA
                                           dispatch counter (+1..16) to QEMU, at most
                                           one page per truth CPU */
};

struct ppc64_oracle_out {
    uint64_t pages_compared, pages_differ, pages_exempt_differ;
    uint64_t pages_absent;     /* truth pages not in the vmcore, inside an exemption */
    uint64_t pages_missing;    /* ... outside every exemption (failure) */
    uint64_t pages_extra;      /* vmcore pages with no source to compare against */
    uint64_t extra_compared;   /* pages compared with extra[] sources */
    unsigned prstatus, truth_cpus, caller, cpus_matched, regs_differ;
    uint64_t regs_compared;
    int dmesg_checked, dmesg_found;
    char dmesg_why[200];
    size_t nabsent;
    struct ppc64_range absent[16];
    size_t ndiff;
    uint64_t diff[32];
    uint64_t vpa_pages;        /* pages attributed to the VPA dispatch counter */
    size_t nvpa;
    uint64_t vpa[8];
    char fail[300];            /* "" when every oracle held */
};

int ppc64_oracle_compare(const struct ppc64_oracle_in *in, struct ppc64_oracle_out *out,
                         char *err, size_t errlen);
/* The kernel's printk text data ring, located through VMCOREINFO
 * (SYMBOL(prb), prb_data_ring offsets); malloc'd into *ring. */
int ppc64_dmesg_ring(const struct qelf *e, uint8_t **ring, size_t *len,
                     char *err, size_t errlen);

/* ---- qemu_backend.c: the x86_64 kdump run with another "QEMU" ----------- */

/*
 * The x86_64 part of qemu_backend_run with `emulator` started in place of
 * qemu-system-x86_64 (same argv; NULL = $DUMPBENCH_QEMU_X86_64 or PATH).
 * The libvirt backend passes its launcher, which runs the same machine as a
 * libvirt domain (harness/tools/libvirt_qemu.c).
 */
#include <stdio.h>
struct scenario;
struct run_result;
struct qemu_x86_hooks {
    /* The post-capture memory dump (ELF, the oracles' second source) into
     * path instead of QMP dump-guest-memory; 0 or -1 with err. */
    int (*post_dump)(void *ctx, const char *run_dir, const char *path, char *err, size_t errlen);
    const char *post_dump_name;   /* for the log, e.g. "virDomainCoreDumpWithFormat" */
    /* Instead of the QMP commands (each NULL = QMP): */
    int (*inject_nmi)(void *ctx, const char *run_dir, char *err, size_t errlen);
    int (*add_vcpus)(void *ctx, const char *run_dir, unsigned count, char *err, size_t errlen);
    /* attach a pc-dimm of `size` bytes; id (in: the backend's name, out: the
     * QEMU device id, for query-memory-devices) */
    int (*attach_dimm)(void *ctx, const char *run_dir, uint64_t size, char *id, size_t idlen,
                       char *err, size_t errlen);
    /* The truth snapshot at the breakpoint: guest RAM [addr, addr+size) into
     * path instead of QMP pmemsave (NULL = pmemsave); remote libvirt: QEMU's
     * files are on another host. */
    int (*save_ram)(void *ctx, const char *run_dir, uint64_t addr, uint64_t size,
                    const char *path, char *err, size_t errlen);
    /* After QEMU is gone, before the capture disk at path is read (NULL =
     * nothing): remote libvirt downloads it from its storage volume. */
    int (*fetch_disk)(void *ctx, const char *run_dir, const char *path, char *err, size_t errlen);
    const char *name;             /* "libvirt", for the log */
    void *ctx;
};
int qemu_x86_run_with(const char *emulator, const struct qemu_x86_hooks *hooks,
                      const struct scenario *s, const char *run_dir,
                      FILE *log, struct run_result *res, char *errbuf, size_t errlen);

/* x86_64 DUMPBENCH_RECORD=script (qemu_backend.c; token syntax: the header
 * of sim/guest/x86_64/init).  The dbscript= token list for the scenario's
 * steps before the capture ("load", "plant:SEED:N", "crash:panic[:CPU]",
 * "crash:oops"); 0, or -1 with err naming the step's line (host-driven step,
 * no crash, bad value). */
int qemu_x86_script_tokens(const struct scenario *s, char *out, size_t len,
                           char *err, size_t errlen);
/* Address of the text symbol `sym` in a kallsyms-format file ("ADDR T NAME"
 * lines: the guest's `symbols`, ci/guest-x86_64); 0, or -1 with err. */
int qemu_x86_symbol(const char *path, const char *sym, uint64_t *addr,
                    char *err, size_t errlen);

/*
 * qemu_s390x_run / qemu_ppc64_run with `launcher` started in place of the
 * patched QEMU (same argv after argv[0]; NULL = the QEMU itself).  The
 * libvirt backend passes dumpbench-libvirt-qemu, which runs the machine as
 * a libvirt domain with that QEMU (DUMPBENCH_QEMU_S390X/_PPC64) as its
 * <emulator>.  run_dir must be absolute then (QEMU runs in libvirtd's cwd).
 */
int qemu_s390x_run_with(const char *launcher, const struct scenario *s, const char *run_dir,
                        FILE *log, struct run_result *res, char *errbuf, size_t errlen);
int qemu_ppc64_run_with(const char *launcher, const struct scenario *s, const char *run_dir,
                        FILE *log, struct run_result *res, char *errbuf, size_t errlen);

/* A page pair differing only in one VPA dispatch counter (BE u32 at a
 * 0x400-aligned lppaca + 0x100, vmcore = truth + 1..16). */
bool ppc64_vpa_counter_only(const uint8_t *vmcore_page, const uint8_t *truth_page);

/* ---- qemu_ppc64_ref.c: the sim's reference fadump agent on the truth ---- */

struct ppc64_ref_out {
    int ran;                   /* the agent produced a dump */
    char skipped[160];         /* why the oracle did not run ("" if it ran) */
    char agent_error[300];     /* the agent rejected the snapshot */
    size_t ref_chunks;
    unsigned ref_cpus, cpus_equal, crashing_cpu;
    int crashing_cpu_equal;    /* the crashing CPU's note = the crash header's pt_regs */
    uint64_t pages_compared, pages_differ, pages_missing, vpa_pages, regs_compared;
    unsigned fields_differ;
    size_t nfield;
    char field[8][200];        /* named differing fields */
};

/* fdm_va: the kernel's `fdm` symbol (System.map).  0 when the comparison
 * ran or was skipped (out->skipped / agent_error), -1 on I/O error. */
int ppc64_reference_compare(const char *vmcore, const char *truth, uint64_t fdm_va,
                            struct ppc64_ref_out *out, char *err, size_t errlen);

/* `TOOL --dump-dmesg VMCORE OUT` (Debian's ppc64el makedumpfile under
 * qemu-ppc64le-static, DUMPBENCH_PPC64_MAKEDUMPFILE); OUT must hold `want`.
 * PPC64_MDF_* verdict, why says which (qemu_ppc64_oracle.c). */
enum { PPC64_MDF_OK = 0, PPC64_MDF_FAILED = 1, PPC64_MDF_SKIPPED = 2 };
int ppc64_makedumpfile_dmesg(const char *tool, const char *vmcore, const char *out,
                             const char *want, int timeout_s, unsigned *nlines,
                             char *why, size_t wl);

/* ppc64 DUMPBENCH_RECORD=script (qemu_ppc64.c; token syntax: the header of
 * sim/guest/ppc64/init.sh).  The dbscript= token list ("reg", "unreg",
 * "sleep.MS", "crash", "crash.CPU") of the steps before the capture into out;
 * stok (NULL, or s->nsteps ints) gets each step's token number, 0 = none.
 * Returns the number of tokens, or -1 with err naming the step's line (a
 * host-driven step, a fault after register, a step after the crash). */
struct scenario;
int qemu_ppc64_script_tokens(const struct scenario *s, char *out, size_t len, int *stok,
                             char *err, size_t errlen);

/* ---- qemu_record.c: DUMPBENCH_RECORD (icount, rr record/replay) argv ---- */

#define QREC_MAX_ARGS 128
struct replay_exec_cfg;
struct qemu_record {
    int mode;                  /* enum replay_exec (<harness/replay.h>) */
    int shift;                 /* -icount shift, -1 in mode none */
    char rr_file[1100];        /* rr modes: the log QEMU writes or reads */
    char what[1200];           /* one line for the backend log */
    size_t argc;
    char *argv[QREC_MAX_ARGS];
    char buf[8192];            /* strings the argv points to */
    size_t used;
};
/* The argv to start: `argv` (NULL-terminated, as the backend built it for
 * arch "x86_64", "s390x" or "ppc64") changed for DUMPBENCH_RECORD /
 * DUMPBENCH_RR_REPLAY (a copy in mode none); rr-record writes
 * run_dir/replay.bin.  NULL with err on a bad setting. */
char **qemu_record_argv(struct qemu_record *rec, char *const argv[], const char *arch,
                        const char *run_dir, char *err, size_t errlen);
char **qemu_record_argv_cfg(struct qemu_record *rec, const struct replay_exec_cfg *cfg,
                            char *const argv[], const char *arch, const char *run_dir,
                            char *err, size_t errlen);
/* True when rec was built in mode script (REPLAY_EXEC_SCRIPT). */
bool qemu_record_script(const struct qemu_record *rec);
/* The mode DUMPBENCH_RECORD / DUMPBENCH_RR_REPLAY select (enum replay_exec),
 * for a backend that must know it before it builds its argv (mode script
 * changes the kernel command line); -1 with err on a bad setting. */
int qemu_record_mode_env(char *err, size_t errlen);
/* Script mode runs only the steps a guest can do by itself: every step before
 * the first `capture` must be of a kind in allowed[] (n kinds, enum
 * scn_step_kind).  0, or -1 with "line N: step KIND is host-driven; ..." in
 * err for the first one that is not. */
struct scenario;
int qemu_record_script_steps(const struct scenario *s, const int *allowed, size_t n,
                             char *err, size_t errlen);

/* s390x (qemu_s390x.c): the dbscript= token list of sim/guest/s390x/init for
 * the steps before the capture; -1 with "line N: ..." in err for a step the
 * guest cannot do by itself. */
int qemu_s390x_script_plan(const struct scenario *s, char *out, size_t len, char *err,
                           size_t errlen);

#endif /* HARNESS_QEMU_INTERNAL_H */
