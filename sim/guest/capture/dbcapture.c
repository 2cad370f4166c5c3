/*
 * dbcapture -- the dump kernel's capture program (static, no dependencies).
 *
 *   dbcapture [--format elf|s390] [--release PATH[=VALUE]] [--progress-mb N]
 *             [--dest-size BYTES] SRC DEST
 *
 * Copies SRC (normally /proc/vmcore) to DEST from offset 0 (verbatim, or as
 * an s390 stand-alone dump), hashing what it writes; fsyncs, drops DEST's
 * page cache, reads the data back and compares hashes; then (only after a
 * verified copy) releases the firmware-held memory, writes the result record
 * into the last 4 KiB of DEST (record.h) and prints one final line:
 *
 *   DBCAPTURE: RESULT complete bytes=N hash=H           exit 0
 *   DBCAPTURE: RESULT incomplete reason="..."            exit 3
 *   DBCAPTURE: RESULT failed reason="..."                exit 4
 *
 * Interface: /tmp/db/capture-iface.md; details in README.md beside this file.
 * The ELF notes are decoded by dumpfmt's note parser (dumpfmt/src/notes.c);
 * the s390 layout is dumpfmt/src/abi_s390dump.h (s390-tools zdump/df_s390.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>

#include "abi_elf.h"
#include "abi_s390dump.h"
#include "internal.h"
#include "record.h"
#include "xxh64.h"

#define BUF_SIZE      (1u << 20)     /* copy / read-back block */
#define MAX_NOTES     (64u << 20)    /* largest PT_NOTE segment accepted */
#define MAX_PHNUM     (1u << 20)     /* largest program header count accepted */

enum fmt { FMT_ELF, FMT_S390 };

struct load {
    uint64_t paddr, offset, filesz, memsz;
};

struct cap {
    /* options */
    enum fmt fmt;
    const char *release_path;
    const char *release_value;
    uint64_t progress_step;      /* bytes between progress lines */
    uint64_t dest_size_opt;      /* --dest-size, 0 = ask DEST */
    const char *src_path, *dest_path;
    /* state */
    int src, dest;
    uint64_t dest_size;
    uint64_t src_expected;       /* SRC bytes the ELF headers (or stat) promise */
    uint64_t src_copied;         /* SRC bytes read successfully */
    size_t partial;              /* bytes the last failed src_read got */
    uint64_t data_size;          /* bytes to write at DEST 0 */
    uint64_t written;            /* bytes written at DEST 0.. so far */
    uint64_t next_progress;
    struct xxh64 hash;
    uint8_t *buf;
    /* ELF view of SRC */
    bool elf, be;
    uint16_t machine;
    struct load *loads;
    size_t nloads;
    uint8_t *phdrs;
    uint64_t phnum;
    /* result */
    uint32_t status;
    uint32_t flags;
    int err_errno;
    uint64_t err_offset;
    char reason[DBC_REASON_MAX];
};

/* ---- result helpers ---- */

static int set_result(struct cap *c, uint32_t status, int errnum, uint64_t off,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Record the first failure only; later ones are consequences. */
static int set_result(struct cap *c, uint32_t status, int errnum, uint64_t off,
                      const char *fmt, ...)
{
    if (c->status != DBC_STATUS_COMPLETE) {
        return -1;
    }
    c->status = status;
    c->err_errno = errnum;
    c->err_offset = off;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
    va_end(ap);
    return -1;
}

static void progress(struct cap *c, bool final)
{
    if (!final && c->written < c->next_progress) {
        return;
    }
    uint64_t mib = 1ull << 20;
    printf("DBCAPTURE: progress %" PRIu64 "/%" PRIu64 " MiB\n",
           final ? (c->data_size + mib - 1) / mib : c->written / mib,
           (c->data_size + mib - 1) / mib);
    while (c->next_progress <= c->written) {
        c->next_progress += c->progress_step;
    }
}

/* ---- SRC reads: every short read or error makes the result incomplete ---- */

static int src_read(struct cap *c, uint64_t off, void *buf, size_t len)
{
    uint8_t *p = buf;
    size_t done = 0;
    c->partial = 0;
    while (done < len) {
        c->partial = done;
        ssize_t r = pread(c->src, p + done, len - done, (off_t)(off + done));
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            int e = errno;
            return set_result(c, DBC_STATUS_INCOMPLETE, e, off + done,
                              "read error on SRC %s at byte %" PRIu64 ": %s "
                              "(%" PRIu64 " of %" PRIu64 " bytes read)",
                              c->src_path, off + done, strerror(e),
                              c->src_copied, c->src_expected);
        }
        if (r == 0) {
            return set_result(c, DBC_STATUS_INCOMPLETE, 0, off + done,
                              "short read on SRC %s at byte %" PRIu64 ": end of "
                              "data, but its headers promise %" PRIu64 " bytes "
                              "(%" PRIu64 " bytes read)", c->src_path,
                              off + done, c->src_expected, c->src_copied);
        }
        done += (size_t)r;
        c->src_copied += (uint64_t)r;
    }
    return 0;
}

/* ---- DEST writes ---- */

static int pwrite_all(int fd, const uint8_t *p, size_t len, uint64_t off,
                      uint64_t *failed_at)
{
    size_t done = 0;
    while (done < len) {
        ssize_t w = pwrite(fd, p + done, len - done, (off_t)(off + done));
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            if (w == 0) {
                errno = ENOSPC; /* a device that accepts nothing more is full */
            }
            *failed_at = off + done;
            return -1;
        }
        done += (size_t)w;
    }
    return 0;
}

/* Append len bytes of dump data at DEST offset c->written, hashing them. */
static int dest_put(struct cap *c, const uint8_t *p, size_t len)
{
    uint64_t at;
    if (pwrite_all(c->dest, p, len, c->written, &at) < 0) {
        int e = errno;
        if (e == ENOSPC || e == EDQUOT) {
            return set_result(c, DBC_STATUS_FAILED, e, at,
                              "dump disk full at byte %" PRIu64 " (%s on DEST %s, "
                              "%" PRIu64 " of %" PRIu64 " bytes written)", at,
                              strerror(e), c->dest_path, at, c->data_size);
        }
        return set_result(c, DBC_STATUS_FAILED, e, at,
                          "write error on DEST %s at byte %" PRIu64 ": %s",
                          c->dest_path, at, strerror(e));
    }
    xxh64_update(&c->hash, p, len);
    c->written += len;
    progress(c, false);
    return 0;
}

/* ---- SRC as ELF ---- */

static uint64_t ld(const struct cap *c, const uint8_t *p, int n)
{
    return n == 2 ? df_ld16(c->be, p) : n == 4 ? df_ld32(c->be, p) : df_ld64(c->be, p);
}

static int cmp_load(const void *a, const void *b)
{
    const struct load *x = a, *y = b;
    return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

/* Grow *end to off + len, failing on wrap. */
static bool extend(uint64_t *end, uint64_t off, uint64_t len)
{
    if (off + len < off) {
        return false;
    }
    if (off + len > *end) {
        *end = off + len;
    }
    return true;
}

/*
 * Read the ELF header and program headers of SRC (if it is ELF) and compute
 * the size its headers promise.  Returns 0, or -1 with the result set.
 */
static int parse_src(struct cap *c, uint64_t st_size)
{
    uint8_t eh[EHDR_SIZE];
    c->src_expected = st_size;
    ssize_t r;
    do {
        r = pread(c->src, eh, sizeof(eh), 0);
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
        int e = errno;
        return set_result(c, DBC_STATUS_INCOMPLETE, e, 0,
                          "read error on SRC %s at byte 0: %s", c->src_path,
                          strerror(e));
    }
    c->elf = r == (ssize_t)sizeof(eh) && memcmp(eh, "\177ELF", 4) == 0;
    if (!c->elf) {
        if (c->fmt == FMT_S390) {
            return set_result(c, DBC_STATUS_FAILED, 0, 0,
                              "--format s390 needs an ELF vmcore, SRC %s does not "
                              "start with an ELF header", c->src_path);
        }
        if (st_size == 0) {
            return set_result(c, DBC_STATUS_FAILED, 0, 0,
                              "SRC %s is not ELF and has no size: nothing tells "
                              "how many bytes to copy", c->src_path);
        }
        return 0;
    }
    c->src_copied = EHDR_SIZE;
    if (eh[EI_CLASS_OFF] != ELFCLASS64_V ||
        (eh[EI_DATA_OFF] != ELFDATA2LSB_V && eh[EI_DATA_OFF] != ELFDATA2MSB_V)) {
        return set_result(c, DBC_STATUS_FAILED, 0, 0,
                          "SRC %s: e_ident class %u / data %u at offset 4: only "
                          "ELF64 cores of either byte order are supported",
                          c->src_path, eh[EI_CLASS_OFF], eh[EI_DATA_OFF]);
    }
    c->be = eh[EI_DATA_OFF] == ELFDATA2MSB_V;
    c->machine = (uint16_t)ld(c, eh + EH_MACHINE, 2);
    uint64_t phoff = ld(c, eh + EH_PHOFF, 8);
    uint64_t phentsize = ld(c, eh + EH_PHENTSIZE, 2);
    uint64_t phnum = ld(c, eh + EH_PHNUM, 2);
    if (phnum == PN_XNUM_V) {
        uint64_t shoff = ld(c, eh + EH_SHOFF, 8);
        uint8_t sh[SHDR_SIZE];
        if (src_read(c, shoff, sh, sizeof(sh))) {
            return -1;
        }
        phnum = ld(c, sh + SH_INFO, 4);
    }
    if (phentsize != PHDR_SIZE || phnum == 0 || phnum > MAX_PHNUM) {
        return set_result(c, DBC_STATUS_FAILED, 0, EH_PHENTSIZE,
                          "SRC %s: e_phentsize %" PRIu64 " / e_phnum %" PRIu64
                          " at offset 0x%x: expected %d-byte headers, 1..%u of "
                          "them", c->src_path, phentsize, phnum, EH_PHENTSIZE,
                          PHDR_SIZE, MAX_PHNUM);
    }
    uint64_t end = EHDR_SIZE;
    if (!extend(&end, phoff, phnum * PHDR_SIZE)) {
        return set_result(c, DBC_STATUS_FAILED, 0, EH_PHOFF,
                          "SRC %s: e_phoff 0x%" PRIx64 " wraps", c->src_path, phoff);
    }
    c->phdrs = malloc(phnum * PHDR_SIZE);
    c->loads = calloc(phnum, sizeof(*c->loads));
    if (!c->phdrs || !c->loads) {
        return set_result(c, DBC_STATUS_FAILED, ENOMEM, 0, "out of memory for "
                          "%" PRIu64 " program headers", phnum);
    }
    c->src_expected = end; /* for messages while reading the headers */
    if (src_read(c, phoff, c->phdrs, phnum * PHDR_SIZE)) {
        return -1;
    }
    c->phnum = phnum;
    for (uint64_t i = 0; i < phnum; i++) {
        const uint8_t *ph = c->phdrs + i * PHDR_SIZE;
        uint32_t type = (uint32_t)ld(c, ph + PH_TYPE, 4);
        uint64_t off = ld(c, ph + PH_OFFSET, 8);
        uint64_t filesz = ld(c, ph + PH_FILESZ, 8);
        uint64_t memsz = ld(c, ph + PH_MEMSZ, 8);
        uint64_t paddr = ld(c, ph + PH_PADDR, 8);
        if (type != PT_LOAD_V && type != PT_NOTE_V) {
            continue;
        }
        if (!extend(&end, off, filesz)) {
            return set_result(c, DBC_STATUS_FAILED, 0, phoff + i * PHDR_SIZE,
                              "SRC %s: phdr[%" PRIu64 "] p_offset 0x%" PRIx64
                              " + p_filesz 0x%" PRIx64 " wraps", c->src_path, i,
                              off, filesz);
        }
        if (type == PT_LOAD_V) {
            if (filesz > memsz || paddr + memsz < paddr) {
                return set_result(c, DBC_STATUS_FAILED, 0, phoff + i * PHDR_SIZE,
                                  "SRC %s: PT_LOAD phdr[%" PRIu64 "]: p_filesz 0x%"
                                  PRIx64 " > p_memsz 0x%" PRIx64 " or p_paddr 0x%"
                                  PRIx64 " + p_memsz wraps", c->src_path, i,
                                  filesz, memsz, paddr);
            }
            c->loads[c->nloads++] = (struct load){ paddr, off, filesz, memsz };
        }
    }
    c->src_expected = end;
    return 0;
}

/* ---- s390 stand-alone dump ---- */

/*
 * One CPU's store-status save area (prefix + 0x1200 .. + 0x1400) as
 * zgetdump's dfo_s390.c cpu2lc_64 fills it: the architected fields are set,
 * the bytes between them keep the memory contents (mask 0).
 */
struct sa_img {
    uint64_t addr;               /* absolute address of prefix + LC_FPREGS */
    uint8_t val[LC_SA_END - LC_FPREGS];
    uint8_t set[LC_SA_END - LC_FPREGS];
};

static void sa_put(struct sa_img *s, unsigned lc_off, uint64_t v, int n)
{
    unsigned o = lc_off - LC_FPREGS;
    for (int i = 0; i < n; i++) {
        s->val[o + i] = (uint8_t)(v >> (8 * (n - 1 - i)));
        s->set[o + i] = 1;
    }
}

static void sa_build(struct sa_img *s, const struct db_s390_cpu *r)
{
    memset(s, 0, sizeof(*s));
    s->addr = (uint64_t)r->prefix + LC_FPREGS;
    for (unsigned i = 0; i < 16; i++) {
        sa_put(s, LC_FPREGS + 8 * i, r->fprs[i], 8);
        sa_put(s, LC_GPREGS + 8 * i, r->gprs[i], 8);
        sa_put(s, LC_ACRS + 4 * i, r->acrs[i], 4);
        sa_put(s, LC_CRS + 8 * i, r->crs[i], 8);
    }
    sa_put(s, LC_PSW, r->psw_mask, 8);
    sa_put(s, LC_PSW + 8, r->psw_addr, 8);
    sa_put(s, LC_PREFIX, r->prefix, 4);
    sa_put(s, LC_FPC, r->fpc, 4);
    sa_put(s, LC_TODPREG, r->todpreg, 4);
    sa_put(s, LC_CPUTM, r->cputm, 8);
    sa_put(s, LC_CKC, r->ckc >> 8, 8);   /* bits 0-55, as store status keeps them (dumpbench/cpu.h) */
}

/* Overlay the save areas onto the memory window [base, base + len). */
static void sa_overlay(const struct sa_img *sas, size_t nsa, uint64_t base,
                       uint8_t *win, size_t len)
{
    for (size_t k = 0; k < nsa; k++) {
        const struct sa_img *s = &sas[k];
        for (size_t i = 0; i < sizeof(s->val); i++) {
            uint64_t a = s->addr + i;
            if (s->set[i] && a >= base && a - base < len) {
                win[a - base] = s->val[i];
            }
        }
    }
}

static int read_notes(struct cap *c, struct df_dump *d)
{
    for (uint64_t i = 0; i < c->phnum; i++) {
        const uint8_t *ph = c->phdrs + i * PHDR_SIZE;
        if (ld(c, ph + PH_TYPE, 4) != PT_NOTE_V) {
            continue;
        }
        uint64_t off = ld(c, ph + PH_OFFSET, 8);
        uint64_t sz = ld(c, ph + PH_FILESZ, 8);
        if (sz > MAX_NOTES) {
            return set_result(c, DBC_STATUS_FAILED, 0, off,
                              "SRC %s: PT_NOTE phdr[%" PRIu64 "] p_filesz 0x%"
                              PRIx64 " exceeds the 0x%x-byte limit", c->src_path,
                              i, sz, MAX_NOTES);
        }
        uint8_t *nb = malloc(sz ? sz : 1);
        if (!nb) {
            return set_result(c, DBC_STATUS_FAILED, ENOMEM, off, "out of memory "
                              "for a 0x%" PRIx64 "-byte note segment", sz);
        }
        if (src_read(c, off, nb, sz)) {
            free(nb);
            return -1;
        }
        struct df_err err;
        err.msg[0] = '\0';
        int rc = df__parse_notes(d, nb, sz, c->be, c->src_path, off, &err);
        free(nb);
        if (rc) {
            return set_result(c, DBC_STATUS_FAILED, 0, off, "SRC notes: %s",
                              err.msg);
        }
    }
    return 0;
}

/*
 * Write the s390 stand-alone dump (zgetdump dfo_s390.c layout, offsets in
 * abi_s390dump.h): 4 KiB header, memory 0 .. end of the last PT_LOAD at file
 * offset 0x1000 + paddr (holes zero), each CPU's registers stored into its
 * lowcore save area, then the 16-byte "DUMP_END" marker.  Header values for
 * fields an ELF vmcore does not carry are dumpfmt's writer defaults
 * (version 5 / 4 without CPUs, dump_level 4, TODs 0), so the output equals
 * df_write_s390() of the same dump byte for byte.
 */
static int copy_s390(struct cap *c, struct df_dump *d)
{
    size_t nsa = 0, ncpu = 0;
    uint64_t mem = 0;
    for (size_t i = 0; i < c->nloads; i++) {
        const struct load *l = &c->loads[i];
        if (i > 0 && l->paddr < c->loads[i - 1].paddr + c->loads[i - 1].memsz) {
            return set_result(c, DBC_STATUS_FAILED, 0, l->offset,
                              "SRC %s: PT_LOAD at paddr 0x%" PRIx64 " overlaps the "
                              "one before it", c->src_path, l->paddr);
        }
        mem = l->paddr + l->memsz;
    }
    for (size_t i = 0; i < d->ncpus; i++) {
        ncpu += d->cpus[i].present ? 1 : 0;
    }
    if (ncpu > S390D_CPU_MAX) {
        return set_result(c, DBC_STATUS_FAILED, 0, 0, "SRC %s has %zu CPUs, the "
                          "s390 dump header holds at most %d", c->src_path, ncpu,
                          S390D_CPU_MAX);
    }
    struct sa_img *sas = calloc(ncpu ? ncpu : 1, sizeof(*sas));
    if (!sas) {
        return set_result(c, DBC_STATUS_FAILED, ENOMEM, 0, "out of memory");
    }
    uint8_t *h = c->buf;
    memset(h, 0, S390D_HDR_SIZE);
    db_st_be64(h + S390D_OFF_MAGIC, S390D_MAGIC);
    db_st_be32(h + S390D_OFF_VERSION, ncpu ? 5 : 4);
    db_st_be32(h + S390D_OFF_HDR_SIZE, S390D_HDR_SIZE);
    db_st_be32(h + S390D_OFF_DUMP_LEVEL, 4);
    db_st_be32(h + S390D_OFF_PAGE_SIZE, 4096);
    db_st_be64(h + S390D_OFF_MEM_SIZE, mem);
    db_st_be64(h + S390D_OFF_MEM_START, 0);
    db_st_be64(h + S390D_OFF_MEM_END, mem);
    db_st_be32(h + S390D_OFF_NUM_PAGES, (uint32_t)(mem / 4096));
    db_st_be64(h + S390D_OFF_TOD, 0);
    db_st_be64(h + S390D_OFF_CPU_ID, 0);
    db_st_be32(h + S390D_OFF_ARCH, S390D_ARCH_64);
    db_st_be32(h + S390D_OFF_VOLNR, 0);
    db_st_be32(h + S390D_OFF_BUILD_ARCH, S390D_ARCH_64);
    db_st_be64(h + S390D_OFF_MEM_SIZE_REAL, mem);
    db_st_be16(h + S390D_OFF_CPU_CNT, (uint16_t)ncpu);
    db_st_be16(h + S390D_OFF_REAL_CPU_CNT, (uint16_t)ncpu);
    size_t k = 0;
    for (size_t i = 0; i < d->ncpus; i++) {
        if (!d->cpus[i].present) {
            continue;
        }
        const struct db_s390_cpu *r = &d->cpus[i].regs.s390;
        db_st_be32(h + S390D_OFF_LC_VEC + 4 * k++, r->prefix);
        uint64_t sa = (uint64_t)r->prefix + LC_FPREGS;
        bool dup = false;
        for (size_t j = 0; j < nsa; j++) {
            dup = dup || sas[j].addr == sa; /* same prefix: first CPU wins */
        }
        if (!dup && sa + (LC_SA_END - LC_FPREGS) <= mem) {
            sa_build(&sas[nsa++], r);
        }
    }
    int rc = dest_put(c, h, S390D_HDR_SIZE);
    size_t li = 0;
    for (uint64_t a = 0; !rc && a < mem;) {
        size_t n = mem - a < BUF_SIZE ? (size_t)(mem - a) : BUF_SIZE;
        memset(c->buf, 0, n);
        while (li < c->nloads && c->loads[li].paddr + c->loads[li].memsz <= a) {
            li++;
        }
        for (size_t j = li; !rc && j < c->nloads && c->loads[j].paddr < a + n; j++) {
            const struct load *l = &c->loads[j];
            uint64_t s = l->paddr > a ? l->paddr : a;
            uint64_t e = l->paddr + l->filesz; /* bytes past p_filesz stay zero */
            if (e > a + n) {
                e = a + n;
            }
            if (s < e) {
                rc = src_read(c, l->offset + (s - l->paddr), c->buf + (s - a), e - s);
                if (rc) {
                    /* keep the memory image up to the failure */
                    size_t got = (size_t)(s - a) + c->partial;
                    sa_overlay(sas, nsa, a, c->buf, got);
                    (void)dest_put(c, c->buf, got);
                }
            }
        }
        if (!rc) {
            sa_overlay(sas, nsa, a, c->buf, n);
            rc = dest_put(c, c->buf, n);
        }
        a += n;
    }
    free(sas);
    if (!rc) {
        uint8_t em[S390D_EM_SIZE] = { 0 };
        memcpy(em, S390D_EM_STR, 8);
        db_st_be64(em + 8, 0); /* TOD: >= header TOD (0), as dfo_s390.c requires */
        rc = dest_put(c, em, sizeof(em));
    }
    return rc;
}

static int copy_elf(struct cap *c)
{
    while (c->written < c->data_size) {
        uint64_t left = c->data_size - c->written;
        size_t n = left < BUF_SIZE ? (size_t)left : BUF_SIZE;
        if (src_read(c, c->written, c->buf, n)) {
            /* keep what was read before the failure: the dump up to there */
            (void)dest_put(c, c->buf, c->partial);
            return -1;
        }
        if (dest_put(c, c->buf, n)) {
            return -1;
        }
    }
    return 0;
}

/* ---- DEST size, verify, record, release ---- */

static int dest_open(struct cap *c)
{
    c->dest = open(c->dest_path, O_RDWR);
    if (c->dest < 0) {
        int e = errno;
        return set_result(c, DBC_STATUS_FAILED, e, DBC_NO_OFFSET,
                          "cannot open DEST %s: %s", c->dest_path, strerror(e));
    }
    struct stat st;
    if (fstat(c->dest, &st) < 0) {
        int e = errno;
        return set_result(c, DBC_STATUS_FAILED, e, DBC_NO_OFFSET,
                          "cannot stat DEST %s: %s", c->dest_path, strerror(e));
    }
    if (c->dest_size_opt) {
        c->dest_size = c->dest_size_opt;
    } else if (S_ISBLK(st.st_mode)) {
        uint64_t sz = 0;
        if (ioctl(c->dest, BLKGETSIZE64, &sz) < 0) {
            int e = errno;
            return set_result(c, DBC_STATUS_FAILED, e, DBC_NO_OFFSET,
                              "BLKGETSIZE64 on DEST %s: %s", c->dest_path,
                              strerror(e));
        }
        c->dest_size = sz;
    } else if (S_ISREG(st.st_mode)) {
        c->dest_size = (uint64_t)st.st_size;
    } else {
        return set_result(c, DBC_STATUS_FAILED, 0, DBC_NO_OFFSET,
                          "DEST %s is neither a block device nor a regular file: "
                          "give its size with --dest-size", c->dest_path);
    }
    return 0;
}

static void drop_cache(int fd)
{
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISBLK(st.st_mode)) {
        (void)ioctl(fd, BLKFLSBUF, 0); /* best effort: the fadvise below suffices */
    }
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
}

static int verify(struct cap *c, uint64_t want)
{
    if (fsync(c->dest) < 0 && errno != EINVAL && errno != EROFS) {
        int e = errno;
        return set_result(c, DBC_STATUS_FAILED, e, DBC_NO_OFFSET,
                          "fsync DEST %s: %s", c->dest_path, strerror(e));
    }
    drop_cache(c->dest);
    struct xxh64 h;
    xxh64_init(&h, 0);
    for (uint64_t off = 0; off < c->written;) {
        size_t n = c->written - off < BUF_SIZE ? (size_t)(c->written - off) : BUF_SIZE;
        ssize_t r = pread(c->dest, c->buf, n, (off_t)off);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            int e = r < 0 ? errno : 0;
            return set_result(c, DBC_STATUS_FAILED, e, off,
                              "read-back of DEST %s failed at byte %" PRIu64 ": %s",
                              c->dest_path, off, r < 0 ? strerror(e) : "end of device");
        }
        xxh64_update(&h, c->buf, (size_t)r);
        off += (uint64_t)r;
    }
    uint64_t got = xxh64_digest(&h);
    if (got != want) {
        return set_result(c, DBC_STATUS_FAILED, 0, DBC_NO_OFFSET,
                          "read-back hash mismatch on DEST %s: wrote %016" PRIx64
                          ", read back %016" PRIx64 " over %" PRIu64 " bytes",
                          c->dest_path, want, got, c->written);
    }
    c->flags |= DBC_FLAG_VERIFIED;
    return 0;
}

static void build_record(const struct cap *c, uint8_t *r, uint32_t status,
                         const char *reason, uint64_t hash)
{
    memset(r, 0, DBC_REC_SIZE);
    memcpy(r + DBC_REC_OFF_MAGIC, DBC_REC_MAGIC, 8);
    db_st_be32(r + DBC_REC_OFF_VERSION, DBC_REC_VERSION);
    db_st_be32(r + DBC_REC_OFF_STATUS, status);
    db_st_be64(r + DBC_REC_OFF_DATA_SIZE, c->written);
    db_st_be64(r + DBC_REC_OFF_DATA_HASH, hash);
    db_st_be64(r + DBC_REC_OFF_SRC_EXPECTED, c->src_expected);
    db_st_be64(r + DBC_REC_OFF_SRC_COPIED, c->src_copied);
    db_st_be64(r + DBC_REC_OFF_ERR_OFFSET, c->err_offset);
    db_st_be32(r + DBC_REC_OFF_ERR_ERRNO, (uint32_t)c->err_errno);
    db_st_be32(r + DBC_REC_OFF_FORMAT, c->fmt == FMT_S390 ? DBC_FORMAT_S390 : DBC_FORMAT_ELF);
    db_st_be32(r + DBC_REC_OFF_FLAGS, c->flags);
    size_t rl = strnlen(reason, DBC_REASON_MAX - 1);
    db_st_be32(r + DBC_REC_OFF_REASON_LEN, (uint32_t)rl);
    db_st_be64(r + DBC_REC_OFF_DEST_SIZE, c->dest_size);
    memcpy(r + DBC_REC_OFF_REASON, reason, rl);
    db_st_be64(r + DBC_REC_OFF_REC_HASH, xxh64(r, DBC_REC_SIZE, 0));
}

/*
 * Write the record into DEST's last 4 KiB and sync.  Returns 0, or the errno
 * of the failure (printed); EINVAL when DEST has no room for a record.
 */
static int write_record(struct cap *c, uint32_t status, const char *reason,
                        uint64_t hash)
{
    if (c->dest < 0 || c->dest_size < DBC_REC_SIZE) {
        return EINVAL;
    }
    uint8_t r[DBC_REC_SIZE];
    build_record(c, r, status, reason, hash);
    uint64_t at;
    if (pwrite_all(c->dest, r, sizeof(r), c->dest_size - DBC_REC_SIZE, &at) < 0 ||
        (fsync(c->dest) < 0 && errno != EINVAL && errno != EROFS)) {
        int e = errno;
        printf("DBCAPTURE: warning: result record not written at DEST byte %"
               PRIu64 ": %s\n", c->dest_size - DBC_REC_SIZE, strerror(e));
        return e;
    }
    return 0;
}

static void do_release(struct cap *c)
{
    c->flags |= DBC_FLAG_RELEASE_REQ;
    const char *v = c->release_value;
    int fd = open(c->release_path, O_WRONLY);
    ssize_t w = -1;
    if (fd >= 0) {
        do {
            w = write(fd, v, strlen(v));
        } while (w < 0 && errno == EINTR);
    }
    int e = errno;
    if (fd >= 0 && close(fd) < 0 && w >= 0) {
        e = errno;
        w = -1;
    }
    if (w == (ssize_t)strlen(v)) {
        c->flags |= DBC_FLAG_RELEASED;
        printf("DBCAPTURE: released %s=%s\n", c->release_path, v);
    } else {
        printf("DBCAPTURE: warning: release %s=%s failed: %s\n", c->release_path,
               v, w < 0 ? strerror(e) : "short write");
    }
}

/* ---- main ---- */

static void print_result(const struct cap *c, uint64_t hash)
{
    if (c->status == DBC_STATUS_COMPLETE) {
        printf("DBCAPTURE: RESULT complete bytes=%" PRIu64 " hash=%016" PRIx64 "\n",
               c->written, hash);
        return;
    }
    char q[DBC_REASON_MAX];
    size_t i = 0;
    for (; c->reason[i] && i < sizeof(q) - 1; i++) {
        char ch = c->reason[i];
        q[i] = (ch == '"' || ch == '\\' || (unsigned char)ch < 0x20 ||
                (unsigned char)ch > 0x7e) ? '\'' : ch;
    }
    q[i] = '\0';
    printf("DBCAPTURE: RESULT %s reason=\"%s\"\n",
           c->status == DBC_STATUS_INCOMPLETE ? "incomplete" : "failed", q);
}

static bool parse_u64(const char *s, uint64_t *v)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno || end == s || *end || s[0] == '-') {
        return false;
    }
    *v = x;
    return true;
}

static int parse_args(struct cap *c, int argc, char **argv)
{
    int pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t n;
        if (strcmp(a, "--format") == 0 && val) {
            if (strcmp(val, "elf") == 0) {
                c->fmt = FMT_ELF;
            } else if (strcmp(val, "s390") == 0) {
                c->fmt = FMT_S390;
            } else {
                return set_result(c, DBC_STATUS_FAILED, 0, DBC_NO_OFFSET,
                                  "usage: --format %s: expected elf or s390", val);
            }
            i++;
        } else if (strcmp(a, "--release") == 0 && val) {
            char *eq = strchr(argv[i + 1], '=');
            c->release_path = argv[i + 1];
            c->release_value = "1";
            if (eq) {
                *eq = '\0';
                c->release_value = eq + 1;
            }
            if (!c->release_path[0]) {
                return set_result(c, DBC_STATUS_FAILED, 0, DBC_NO_OFFSET,
                                  "usage: --release needs PATH[=VALUE]");
            }
            i++;
        } else if (strcmp(a, "--progress-mb") == 0 && val) {
            if (!parse_u64(val, &n) || n == 0 || n > (1ull << 40)) {
                return set_result(c, DBC_STATUS_FAILED, 0, DBC_NO_OFFSET,
                                  "usage: --progress-mb %s: expected a positive "
                                  "number of MiB", val);
            }
            c->progress_step = n << 20;
            i++;
        } else if (strcmp(a, "--dest-size") == 0 && val) {
            if (!parse_u64(val, &n) || n == 0) {
                return set_result(c, DBC_STATUS_FAILED, 0, DBC_NO_OFFSET,
                                  "usage: --dest-size %s: expected a positive byte "
                                  "count", val);
            }
            c->dest_size_opt = n;
            i++;
        } else if (a[0] == '-' && a[1]) {
            return set_result(c, DBC_STATUS_FAILED, 0, DBC_NO_OFFSET,
                              "usage: unknown or incomplete option %s; dbcapture "
                              "[--format elf|s390] [--release PATH[=VALUE]] "
                              "[--progress-mb N] [--dest-size BYTES] SRC DEST", a);
        } else if (pos == 0) {
            c->src_path = a;
            pos++;
        } else if (pos == 1) {
            c->dest_path = a;
            pos++;
        } else {
            return set_result(c, DBC_STATUS_FAILED, 0, DBC_NO_OFFSET,
                              "usage: extra argument %s", a);
        }
    }
    if (pos != 2) {
        return set_result(c, DBC_STATUS_FAILED, 0, DBC_NO_OFFSET,
                          "usage: dbcapture [--format elf|s390] [--release "
                          "PATH[=VALUE]] [--progress-mb N] [--dest-size BYTES] "
                          "SRC DEST");
    }
    return 0;
}

static int run(struct cap *c)
{
    struct stat st;
    c->src = open(c->src_path, O_RDONLY);
    if (c->src < 0 || fstat(c->src, &st) < 0) {
        int e = errno;
        return set_result(c, DBC_STATUS_FAILED, e, DBC_NO_OFFSET,
                          "cannot open SRC %s: %s", c->src_path, strerror(e));
    }
    uint64_t st_size = (uint64_t)st.st_size;
    if (S_ISBLK(st.st_mode)) {
        (void)ioctl(c->src, BLKGETSIZE64, &st_size);
    }
    if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
        st_size = 0; /* a pipe or character device: only its ELF headers tell */
    }
    if (dest_open(c) || parse_src(c, st_size)) {
        return -1;
    }
    struct df_dump *d = NULL;
    if (c->fmt == FMT_S390) {
        if (c->machine != EM_S390_V || !c->be) {
            return set_result(c, DBC_STATUS_FAILED, 0, EH_MACHINE,
                              "--format s390: SRC %s is ELF e_machine %u (%s), not "
                              "a big-endian s390x vmcore (e_machine 22)",
                              c->src_path, c->machine, c->be ? "big-endian" :
                              "little-endian");
        }
        qsort(c->loads, c->nloads, sizeof(*c->loads), cmp_load);
        d = df_dump_new(DF_ARCH_S390X);
        if (!d) {
            return set_result(c, DBC_STATUS_FAILED, ENOMEM, 0, "out of memory");
        }
        if (read_notes(c, d)) {
            df_dump_free(d);
            return -1;
        }
        uint64_t mem = 0;
        for (size_t i = 0; i < c->nloads; i++) {
            uint64_t e = c->loads[i].paddr + c->loads[i].memsz;
            mem = e > mem ? e : mem;
        }
        c->data_size = S390D_HDR_SIZE + mem + S390D_EM_SIZE;
    } else {
        /* everything the headers promise, and any bytes the file has beyond */
        c->data_size = c->src_expected > st_size ? c->src_expected : st_size;
        c->src_expected = c->data_size;
    }
    uint64_t need = c->data_size + DBC_REC_SIZE;
    if (need < c->data_size || c->dest_size < need) {
        df_dump_free(d);
        return set_result(c, DBC_STATUS_FAILED, 0, DBC_NO_OFFSET,
                          "DEST %s too small: needs %" PRIu64 " bytes (%" PRIu64
                          " bytes of dump data + the %d-byte result record), has %"
                          PRIu64 " bytes; nothing copied", c->dest_path, need,
                          c->data_size, DBC_REC_SIZE, c->dest_size);
    }
    /* A killed run must not leave an older run's COMPLETE record behind. */
    int e = write_record(c, DBC_STATUS_INCOMPLETE, "capture started, never "
                         "finished (tool killed, machine reset, or the final "
                         "record write failed)", 0);
    if (e) {
        df_dump_free(d);
        return set_result(c, DBC_STATUS_FAILED, e, c->dest_size - DBC_REC_SIZE,
                          (e == ENOSPC || e == EDQUOT) ? "dump disk full at byte %"
                          PRIu64 " (writing the result record)" :
                          "cannot write the result record at DEST byte %" PRIu64,
                          c->dest_size - DBC_REC_SIZE);
    }
    if (c->fmt == FMT_ELF) {
        c->src_copied = 0; /* the verbatim copy reads the headers again */
    }
    printf("DBCAPTURE: copying %s to %s: %" PRIu64 " bytes (%s)\n", c->src_path,
           c->dest_path, c->data_size, c->fmt == FMT_S390 ? "s390 stand-alone dump" :
           "verbatim copy");
    int rc = c->fmt == FMT_S390 ? copy_s390(c, d) : copy_elf(c);
    df_dump_free(d);
    if (rc) {
        return -1;
    }
    progress(c, true);
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct cap c;
    memset(&c, 0, sizeof(c));
    c.src = c.dest = -1;
    c.progress_step = 64ull << 20;
    c.err_offset = DBC_NO_OFFSET;
    c.status = DBC_STATUS_COMPLETE;
    xxh64_init(&c.hash, 0);
    c.buf = malloc(BUF_SIZE);
    if (!c.buf) {
        set_result(&c, DBC_STATUS_FAILED, ENOMEM, DBC_NO_OFFSET, "out of memory");
    } else if (!parse_args(&c, argc, argv)) {
        c.next_progress = c.progress_step;
        run(&c);
    }
    uint64_t hash = xxh64_digest(&c.hash);
    if (c.dest >= 0 && c.written > 0) {
        /* Verify whatever was written: also a partial dump must be readable. */
        /* set_result keeps the first failure, not its consequences */
        (void)verify(&c, hash);
    }
    if (c.status == DBC_STATUS_COMPLETE && !(c.flags & DBC_FLAG_VERIFIED)) {
        set_result(&c, DBC_STATUS_FAILED, 0, DBC_NO_OFFSET, "nothing was written "
                   "to DEST %s, so nothing could be verified", c.dest_path);
    }
    if (c.status == DBC_STATUS_COMPLETE && c.release_path) {
        do_release(&c);
    }
    write_record(&c, c.status, c.status == DBC_STATUS_COMPLETE ? "" : c.reason, hash);
    print_result(&c, hash);
    if (c.dest >= 0) {
        close(c.dest);
    }
    if (c.src >= 0) {
        close(c.src);
    }
    free(c.buf);
    free(c.loads);
    free(c.phdrs);
    return c.status == DBC_STATUS_COMPLETE ? DBC_EXIT_COMPLETE :
           c.status == DBC_STATUS_INCOMPLETE ? DBC_EXIT_INCOMPLETE : DBC_EXIT_FAILED;
}
