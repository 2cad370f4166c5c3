/*
 * Dump comparison: semantic (struct df_dump against struct df_dump) and
 * byte-for-byte (file against file).  Every function records the FIRST
 * difference as a message naming the field, and keeps counting pages so
 * the report can say how much differs.
 *
 * Semantic order: arch, number of CPUs, note list (name/type/size per
 * position), registers by name per CPU, VMCOREINFO (by line), note
 * descriptor bytes, memory layout (chunk list), pages.
 *
 * Messages look like:
 *   "arch: expected s390x got ppc64"
 *   "note 3 (CORE NT_PRFPREG cpu 1) desc byte 0x24: expected 0x00 got 0x01"
 *   "NT_PRSTATUS cpu 2 gpr 14: expected 0x1 got 0x2"
 *   "VMCOREINFO line 4: expected 'PAGESIZE=4096' got 'PAGESIZE=65536'"
 *   "memory layout: chunk 1: expected 0x100000+0x100000 got 0x100000+0x80000"
 *   "page 0x1f3000 byte 0x12: expected 0xab got 0xcd"
 *   "file offset 0x1234 differs (expected 0x00 got 0x01) in PT_LOAD 2 at paddr 0x100000 +0x234"
 */
#ifndef HARNESS_COMPARE_H
#define HARNESS_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dumpfmt/dump.h>

#define CMP_MAX_EXEMPT 64
#define CMP_PAGE 4096u

struct cmp_exempt {
    uint64_t addr, len;
    char reason[96];
    uint64_t pages;          /* pages of the compared dumps inside the range */
    uint64_t pages_differ;   /* ... of which differed (not counted as failures) */
};

/*
 * The first difference as data (the HTML report shows it side by side):
 * where it is, what it is called in the dump format, and up to
 * CMP_DIFF_BYTES bytes of each side around it.
 */
#define CMP_DIFF_BYTES 16

struct cmp_diff {
    bool valid;
    char kind[16];           /* "page", "file", "note", "register" */
    uint64_t addr;           /* page: physical address of the differing byte;
                                file: file offset; note: desc offset; register: 0 */
    char field[160];         /* "ELF header e_phnum", "note 3 (CORE NT_PRSTATUS cpu 1) desc +0x70",
                                "s390 dump header mem_size", "NT_PRSTATUS cpu 0 gpr 2", ... */
    uint64_t base;           /* address/offset of exp[0] and act[0] (same unit as addr) */
    uint32_t len;            /* valid bytes in exp[] and act[] */
    uint32_t mark;           /* index of the first differing byte */
    uint8_t exp[CMP_DIFF_BYTES], act[CMP_DIFF_BYTES];
};

struct cmp_result {
    bool differ;
    char first[512];         /* first difference, "" when equal */
    uint64_t pages_compared; /* pages present in both and not exempt */
    uint64_t pages_differ;   /* of those, differing */
    uint64_t pages_missing;  /* in expected, absent from actual (not exempt) */
    uint64_t pages_extra;    /* in actual, absent from expected (not exempt) */
    uint64_t regs_compared;
    size_t nexempt;
    struct cmp_exempt exempt[CMP_MAX_EXEMPT];
    struct cmp_diff first_diff;  /* structured form of `first` when it is a byte/register difference */
};

void cmp_result_init(struct cmp_result *r);
/* Add an exemption before comparing; -1 when full or len == 0. */
int cmp_add_exempt(struct cmp_result *r, uint64_t addr, uint64_t len, const char *reason);

/* Full semantic comparison: expected (e.g. golden) vs actual. */
void cmp_dumps(const struct df_dump *exp, const struct df_dump *act, struct cmp_result *r);

/*
 * pages-equal oracle: every page of truth must be in the dump with equal
 * content and the dump must hold no page outside truth, except exemptions.
 */
void cmp_pages(const struct df_dump *truth, const struct df_dump *dump, struct cmp_result *r);

/*
 * regs-equal oracle: the dump's CPUs (in order) equal truth's online CPUs;
 * register groups whose note the dump lacks (e.g. no vector facility) are
 * skipped.
 */
void cmp_regs(const struct df_dump *truth, const struct df_dump *dump, struct cmp_result *r);

/*
 * Byte-for-byte comparison of two files.  Returns 0 equal, 1 differ (msg
 * set, naming the structure of the expected file at that offset when it is
 * an ELF core), -1 error (msg set).
 */
int cmp_files(const char *expected, const char *actual, char *msg, size_t msglen);
/* Same, also filling *d (may be NULL) with the first differing bytes. */
int cmp_files_diff(const char *expected, const char *actual, char *msg, size_t msglen,
                   struct cmp_diff *d);

/* "NT_PRSTATUS", "NT_S390_PREFIX", ..., or "type 0x%x" in buf. */
const char *cmp_note_type_name(const char *name, uint32_t type, char *buf, size_t len);

#endif /* HARNESS_COMPARE_H */
