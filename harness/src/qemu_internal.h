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

#endif /* HARNESS_QEMU_INTERNAL_H */
