/*
 * libdumpfmt: the neutral dump model, output sinks and format probing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

int df__err(struct df_err *err, int status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
    }
    return status;
}

const char *df_strerror(int status)
{
    switch (status) {
    case DF_OK:          return "success";
    case DF_ERR_SYSTEM:  return "system error";
    case DF_ERR_CORRUPT: return "corrupt dump";
    case DF_ERR_NOTIMPL: return "not implemented";
    case DF_ERR_NOPROBE: return "unknown format";
    case DF_ERR_INVALID: return "invalid argument";
    default:             return "unknown status";
    }
}

const char *df_arch_name(enum df_arch a)
{
    switch (a) {
    case DF_ARCH_S390X:   return "s390x";
    case DF_ARCH_PPC64:   return "ppc64";
    case DF_ARCH_PPC64LE: return "ppc64le";
    case DF_ARCH_X86_64:  return "x86_64";
    case DF_ARCH_NONE:    break;
    }
    return "none";
}

const char *df_format_name(enum df_format f)
{
    switch (f) {
    case DF_FMT_ELF:   return "elf";
    case DF_FMT_S390:  return "s390";
    case DF_FMT_KDUMP: return "kdump";
    case DF_FMT_NONE:  break;
    }
    return "none";
}

bool df__arch_be(enum df_arch a)
{
    return a == DF_ARCH_S390X || a == DF_ARCH_PPC64;
}

uint32_t df_dump_page_size(const struct df_dump *d)
{
    if (!d) {
        return 4096;
    }
    if (d->page_size) {
        return d->page_size;
    }
    if (d->arch == DF_ARCH_PPC64 || d->arch == DF_ARCH_PPC64LE) {
        return 65536;
    }
    return 4096;
}

struct df_dump *df_dump_new(enum df_arch arch)
{
    struct df_dump *d = calloc(1, sizeof(*d));
    if (d) {
        d->arch = arch;
    }
    return d;
}

void df_dump_free(struct df_dump *d)
{
    if (!d) {
        return;
    }
    struct df_priv *p = d->priv;
    if (p) {
        for (size_t i = 0; i < p->nowned; i++) {
            free(p->owned[i]);
        }
        free(p->owned);
        if (p->map) {
            munmap(p->map, p->map_len);
        }
        free(p);
    }
    for (size_t i = 0; i < d->nnotes; i++) {
        free(d->notes[i].desc);
    }
    free(d->notes);
    free(d->chunks);
    free(d->cpus);
    free(d->vmcoreinfo);
    free(d->s390);
    free(d->zero);
    free(d);
}

struct df_priv *df__priv(struct df_dump *d, struct df_err *err)
{
    if (!d->priv) {
        d->priv = calloc(1, sizeof(struct df_priv));
        if (!d->priv) {
            df__err(err, DF_ERR_SYSTEM, "out of memory");
        }
    }
    return d->priv;
}

int df__own(struct df_dump *d, void *buf, struct df_err *err)
{
    struct df_priv *p = df__priv(d, err);
    if (!p) {
        free(buf);
        return DF_ERR_SYSTEM;
    }
    if (p->nowned == p->owned_cap) {
        size_t ncap = p->owned_cap ? p->owned_cap * 2 : 16;
        void **n = realloc(p->owned, ncap * sizeof(*n));
        if (!n) {
            free(buf);
            return df__err(err, DF_ERR_SYSTEM, "out of memory");
        }
        p->owned = n;
        p->owned_cap = ncap;
    }
    p->owned[p->nowned++] = buf;
    return DF_OK;
}

/* Index of the first chunk with paddr > addr. */
static size_t chunk_upper(const struct df_dump *d, uint64_t addr)
{
    size_t lo = 0, hi = d->nchunks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->chunks[mid].paddr <= addr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

int df__add_chunk_ref(struct df_dump *d, uint64_t paddr, const uint8_t *data,
                      uint64_t len, struct df_err *err)
{
    if (len == 0) {
        return df__err(err, DF_ERR_INVALID, "chunk at 0x%llx has zero length",
                       (unsigned long long)paddr);
    }
    if (paddr + len < paddr) {
        return df__err(err, DF_ERR_INVALID,
                       "chunk at 0x%llx length 0x%llx wraps the address space",
                       (unsigned long long)paddr, (unsigned long long)len);
    }
    size_t pos = chunk_upper(d, paddr);
    if (pos > 0) {
        const struct df_chunk *prev = &d->chunks[pos - 1];
        if (prev->paddr + prev->size > paddr) {
            return df__err(err, DF_ERR_INVALID,
                           "chunk [0x%llx,0x%llx) overlaps chunk [0x%llx,0x%llx)",
                           (unsigned long long)paddr,
                           (unsigned long long)(paddr + len),
                           (unsigned long long)prev->paddr,
                           (unsigned long long)(prev->paddr + prev->size));
        }
    }
    if (pos < d->nchunks && d->chunks[pos].paddr < paddr + len) {
        const struct df_chunk *next = &d->chunks[pos];
        return df__err(err, DF_ERR_INVALID,
                       "chunk [0x%llx,0x%llx) overlaps chunk [0x%llx,0x%llx)",
                       (unsigned long long)paddr,
                       (unsigned long long)(paddr + len),
                       (unsigned long long)next->paddr,
                       (unsigned long long)(next->paddr + next->size));
    }
    struct df_chunk *n = realloc(d->chunks, (d->nchunks + 1) * sizeof(*n));
    if (!n) {
        return df__err(err, DF_ERR_SYSTEM, "out of memory");
    }
    d->chunks = n;
    memmove(&n[pos + 1], &n[pos], (d->nchunks - pos) * sizeof(*n));
    n[pos].paddr = paddr;
    n[pos].size = len;
    n[pos].data = data;
    d->nchunks++;
    return DF_OK;
}

int df_dump_add_chunk(struct df_dump *d, uint64_t paddr, const void *data,
                      uint64_t len, struct df_err *err)
{
    if (!d) {
        return df__err(err, DF_ERR_INVALID, "NULL dump");
    }
    if (len == 0 || len > SIZE_MAX) {
        return df__err(err, DF_ERR_INVALID,
                       "chunk at 0x%llx: bad length 0x%llx",
                       (unsigned long long)paddr, (unsigned long long)len);
    }
    /* Validate placement before allocating. */
    if (paddr + len < paddr) {
        return df__err(err, DF_ERR_INVALID,
                       "chunk at 0x%llx length 0x%llx wraps the address space",
                       (unsigned long long)paddr, (unsigned long long)len);
    }
    size_t pos = chunk_upper(d, paddr);
    if ((pos > 0 && d->chunks[pos - 1].paddr + d->chunks[pos - 1].size > paddr) ||
        (pos < d->nchunks && d->chunks[pos].paddr < paddr + len)) {
        return df__add_chunk_ref(d, paddr, NULL, len, err); /* formats msg */
    }
    uint8_t *copy = data ? malloc(len) : calloc(1, len);
    if (!copy) {
        return df__err(err, DF_ERR_SYSTEM, "out of memory for 0x%llx bytes",
                       (unsigned long long)len);
    }
    if (data) {
        memcpy(copy, data, len);
    }
    int rc = df__own(d, copy, err);
    if (rc) {
        return rc;
    }
    return df__add_chunk_ref(d, paddr, copy, len, err);
}

int df_dump_add_cpu(struct df_dump *d, const struct df_cpu *cpu,
                    struct df_err *err)
{
    if (!d || !cpu) {
        return df__err(err, DF_ERR_INVALID, "NULL argument");
    }
    if (d->ncpus >= 65536) {
        return df__err(err, DF_ERR_INVALID, "too many CPUs");
    }
    struct df_cpu *n = realloc(d->cpus, (d->ncpus + 1) * sizeof(*n));
    if (!n) {
        return df__err(err, DF_ERR_SYSTEM, "out of memory");
    }
    d->cpus = n;
    n[d->ncpus] = *cpu;
    return (int)d->ncpus++;
}

int df_dump_set_vmcoreinfo(struct df_dump *d, const char *text, size_t len,
                           struct df_err *err)
{
    if (!d || (!text && len)) {
        return df__err(err, DF_ERR_INVALID, "NULL argument");
    }
    if (len > UINT32_MAX) {
        return df__err(err, DF_ERR_INVALID, "vmcoreinfo too large");
    }
    char *c = malloc(len + 1);
    if (!c) {
        return df__err(err, DF_ERR_SYSTEM, "out of memory");
    }
    if (len) {
        memcpy(c, text, len);
    }
    c[len] = '\0';
    free(d->vmcoreinfo);
    d->vmcoreinfo = c;
    d->vmcoreinfo_len = len;
    return DF_OK;
}

int df_dump_add_note(struct df_dump *d, const char *name, uint32_t type,
                     int cpu, const void *desc, uint32_t descsz,
                     struct df_err *err)
{
    if (!d || !name || (!desc && descsz)) {
        return df__err(err, DF_ERR_INVALID, "NULL argument");
    }
    size_t nl = strlen(name);
    if (nl == 0 || nl >= sizeof(d->notes[0].name)) {
        return df__err(err, DF_ERR_INVALID, "note name length %zu not in 1..%zu",
                       nl, sizeof(d->notes[0].name) - 1);
    }
    if (cpu < -1 || (cpu >= 0 && (size_t)cpu >= d->ncpus)) {
        return df__err(err, DF_ERR_INVALID, "note cpu %d out of range", cpu);
    }
    uint8_t *copy = malloc(descsz ? descsz : 1);
    if (!copy) {
        return df__err(err, DF_ERR_SYSTEM, "out of memory");
    }
    if (descsz) {
        memcpy(copy, desc, descsz);
    }
    struct df_note *n = realloc(d->notes, (d->nnotes + 1) * sizeof(*n));
    if (!n) {
        free(copy);
        return df__err(err, DF_ERR_SYSTEM, "out of memory");
    }
    d->notes = n;
    struct df_note *nt = &n[d->nnotes++];
    memset(nt, 0, sizeof(*nt));
    memcpy(nt->name, name, nl);
    nt->type = type;
    nt->cpu = cpu;
    nt->descsz = descsz;
    nt->desc = copy;
    return DF_OK;
}

const uint8_t *df_dump_page(const struct df_dump *d, uint64_t paddr)
{
    if (!d || (paddr & 4095) || d->nchunks == 0) {
        return NULL;
    }
    size_t pos = chunk_upper(d, paddr);
    if (pos == 0) {
        return NULL;
    }
    const struct df_chunk *c = &d->chunks[pos - 1];
    uint64_t off = paddr - c->paddr;
    if (off >= c->size || c->size - off < 4096) {
        return NULL;
    }
    return c->data + off;
}

uint64_t df_dump_mem_bytes(const struct df_dump *d)
{
    uint64_t sum = 0;
    for (size_t i = 0; d && i < d->nchunks; i++) {
        sum += d->chunks[i].size;
    }
    return sum;
}

/* ---- known-zero memory ---- */

bool df_is_zero(const void *p, size_t len)
{
    const uint8_t *b = p;
    if (len == 0) {
        return true;
    }
    /* b[0] == 0 and every byte equals its successor: one vectorised memcmp. */
    return b[0] == 0 && memcmp(b, b + 1, len - 1) == 0;
}

/* Index of the first zero range with paddr > addr. */
static size_t zero_upper(const struct df_dump *d, uint64_t addr)
{
    size_t lo = 0, hi = d->nzero;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->zero[mid].paddr <= addr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

uint64_t df_dump_zero_run(const struct df_dump *d, uint64_t paddr)
{
    if (!d || d->nzero == 0) {
        return 0;
    }
    size_t pos = zero_upper(d, paddr);
    if (pos == 0) {
        return 0;
    }
    const struct df_range *r = &d->zero[pos - 1];
    uint64_t end = r->paddr + r->size;
    return paddr < end ? end - paddr : 0;
}

int df_dump_mark_zero(struct df_dump *d, uint64_t paddr, uint64_t len,
                      struct df_err *err)
{
    if (!d) {
        return df__err(err, DF_ERR_INVALID, "NULL dump");
    }
    if (len == 0) {
        return DF_OK;
    }
    uint64_t s = paddr, e = paddr + len;
    if (e < s) {
        e = UINT64_MAX;
    }
    /* First range that ends at or after s (touching ranges merge). */
    size_t i = zero_upper(d, s);
    if (i > 0 && d->zero[i - 1].paddr + d->zero[i - 1].size >= s) {
        i--;
    }
    size_t j = i;
    while (j < d->nzero && d->zero[j].paddr <= e) {
        uint64_t re = d->zero[j].paddr + d->zero[j].size;
        if (d->zero[j].paddr < s) {
            s = d->zero[j].paddr;
        }
        if (re > e) {
            e = re;
        }
        j++;
    }
    if (j == i) {
        /* Insert a new range at i. */
        struct df_priv *p = df__priv(d, err);
        if (!p) {
            return DF_ERR_SYSTEM;
        }
        if (d->nzero == p->zero_cap) {
            size_t ncap = p->zero_cap ? p->zero_cap * 2 : 16;
            struct df_range *n = realloc(d->zero, ncap * sizeof(*n));
            if (!n) {
                return df__err(err, DF_ERR_SYSTEM, "out of memory");
            }
            d->zero = n;
            p->zero_cap = ncap;
        }
        memmove(&d->zero[i + 1], &d->zero[i], (d->nzero - i) * sizeof(*d->zero));
        d->nzero++;
        j = i + 1;
    } else if (j > i + 1) {
        memmove(&d->zero[i + 1], &d->zero[j], (d->nzero - j) * sizeof(*d->zero));
        d->nzero -= j - i - 1;
    }
    d->zero[i].paddr = s;
    d->zero[i].size = e - s;
    return DF_OK;
}

void df__mem_fill(const struct df_dump *d, uint64_t paddr, uint8_t *out,
                  uint64_t len)
{
    memset(out, 0, len);
    uint64_t end = paddr + len;
    size_t pos = chunk_upper(d, paddr);
    if (pos > 0) {
        pos--;
    }
    for (; pos < d->nchunks && d->chunks[pos].paddr < end; pos++) {
        const struct df_chunk *c = &d->chunks[pos];
        uint64_t cs = c->paddr, ce = c->paddr + c->size;
        uint64_t s = cs > paddr ? cs : paddr;
        uint64_t e = ce < end ? ce : end;
        if (s < e) {
            memcpy(out + (s - paddr), c->data + (s - cs), e - s);
        }
    }
}

/* ---- sinks ---- */

#define SINK_BLOCK 4096u

int df__sink_open(struct df_sink *s, const char *path, struct df_err *err)
{
    memset(s, 0, sizeof(*s));
    s->what = path;
    /* Replace an existing regular file by a new inode: truncating one that
     * holds data makes ext4 flush it first (auto_da_alloc), which costs
     * seconds for a large image. */
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        unlink(path);
    }
    s->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (s->fd < 0) {
        return df__err(err, DF_ERR_SYSTEM, "%s: open: %s", path, strerror(errno));
    }
    return DF_OK;
}

int df__sink_open_mem(struct df_sink *s, uint64_t cap, struct df_err *err)
{
    memset(s, 0, sizeof(*s));
    s->fd = -1;
    s->what = "memory";
    if (cap > SIZE_MAX) {
        return df__err(err, DF_ERR_SYSTEM, "image of 0x%llx bytes does not fit in "
                       "memory", (unsigned long long)cap);
    }
    s->cap = cap;
    /* calloc: fresh memory is zero, so zero ranges are skipped, not written. */
    s->buf = calloc(1, cap ? (size_t)cap : 1);
    if (!s->buf) {
        return df__err(err, DF_ERR_SYSTEM, "out of memory for 0x%llx bytes",
                       (unsigned long long)cap);
    }
    return DF_OK;
}

int df__sink_open_cb(struct df_sink *s, size_t block, df_out_fn fn, void *opaque,
                     struct df_err *err)
{
    memset(s, 0, sizeof(*s));
    s->fd = -1;
    s->what = "output callback";
    if (!fn || block == 0) {
        return df__err(err, DF_ERR_INVALID, "stream writer: no callback or block size 0");
    }
    s->fn = fn;
    s->opaque = opaque;
    s->blk_size = block;
    s->blk = malloc(block);
    if (!s->blk) {
        return df__err(err, DF_ERR_SYSTEM, "out of memory for a %zu byte block", block);
    }
    return DF_OK;
}

static int cb_flush(struct df_sink *s, struct df_err *err)
{
    if (s->blk_fill == 0) {
        return DF_OK;
    }
    uint64_t at = s->off - s->blk_fill;
    if (s->fn(s->opaque, at, s->blk, s->blk_fill) != 0) {
        return df__err(err, DF_ERR_SYSTEM, "output callback stopped at offset 0x%llx",
                       (unsigned long long)at);
    }
    s->blk_fill = 0;
    return DF_OK;
}

/* Callback mode: append len bytes (data NULL = zeros) to the block buffer. */
static int cb_put(struct df_sink *s, const uint8_t *data, uint64_t len, struct df_err *err)
{
    while (len) {
        size_t n = s->blk_size - s->blk_fill;
        if (n > len) {
            n = (size_t)len;
        }
        if (data) {
            memcpy(s->blk + s->blk_fill, data, n);
            data += n;
        } else {
            memset(s->blk + s->blk_fill, 0, n);
        }
        s->blk_fill += n;
        s->off += n;
        len -= n;
        if (s->blk_fill == s->blk_size) {
            int rc = cb_flush(s, err);
            if (rc) {
                return rc;
            }
        }
    }
    return DF_OK;
}

int df__sink_close(struct df_sink *s, int status, struct df_err *err)
{
    if (s->fn) {
        if (status == DF_OK) {
            status = cb_flush(s, err);
        }
        free(s->blk);
        s->blk = NULL;
        s->fn = NULL;
        return status;
    }
    if (s->fd >= 0) {
        /* Skipped zero blocks at the end: the size comes from ftruncate. */
        if (status == DF_OK && ftruncate(s->fd, (off_t)s->off) != 0) {
            status = df__err(err, DF_ERR_SYSTEM, "%s: truncate to 0x%llx: %s", s->what,
                             (unsigned long long)s->off, strerror(errno));
        }
        if (close(s->fd) != 0 && status == DF_OK) {
            status = df__err(err, DF_ERR_SYSTEM, "%s: close: %s", s->what,
                             strerror(errno));
        }
        s->fd = -1;
        if (status != DF_OK) {
            unlink(s->what);
        }
    }
    return status;
}

static int pwrite_all(int fd, const uint8_t *p, uint64_t len, uint64_t off)
{
    while (len) {
        size_t n = len > (1u << 30) ? (1u << 30) : (size_t)len;
        ssize_t w = pwrite(fd, p, n, (off_t)off);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        if (w == 0) {
            errno = EIO;
            return -1;
        }
        p += w;
        len -= (uint64_t)w;
        off += (uint64_t)w;
    }
    return 0;
}

int df_pwrite_sparse(int fd, const void *data, size_t len, uint64_t off)
{
    /* Cut at 4 KiB file offsets, skip all-zero pieces, write each run of
     * non-zero pieces with one pwrite. */
    const uint8_t *p = data;
    uint64_t run = 0;          /* bytes of the pending non-zero run before p */
    while (len) {
        size_t n = SINK_BLOCK - (size_t)(off % SINK_BLOCK);
        if (n > len) {
            n = len;
        }
        if (df_is_zero(p, n)) {
            if (run && pwrite_all(fd, p - run, run, off - run) != 0) {
                return -1;
            }
            run = 0;
        } else {
            run += n;
        }
        p += n;
        off += n;
        len -= n;
    }
    if (run && pwrite_all(fd, p - run, run, off - run) != 0) {
        return -1;
    }
    return 0;
}

int df__sink_write(struct df_sink *s, const void *data, uint64_t len,
                   struct df_err *err)
{
    if (s->fn) {
        return cb_put(s, data, len, err);
    }
    if (s->fd < 0) {
        if (s->off > s->cap || s->cap - s->off < len) {
            return df__err(err, DF_ERR_SYSTEM, "internal: memory sink overflow");
        }
        memcpy(s->buf + s->off, data, len);
        s->off += len;
        return DF_OK;
    }
    /* Sparse file: new (O_TRUNC) and written strictly in order. */
    if (df_pwrite_sparse(s->fd, data, (size_t)len, s->off) != 0) {
        return df__err(err, DF_ERR_SYSTEM, "%s: write at 0x%llx: %s", s->what,
                       (unsigned long long)s->off, strerror(errno));
    }
    s->off += len;
    return DF_OK;
}

int df__sink_zero(struct df_sink *s, uint64_t len, struct df_err *err)
{
    if (s->fn) {
        return cb_put(s, NULL, len, err);
    }
    if (s->fd < 0 && (s->off > s->cap || s->cap - s->off < len)) {
        return df__err(err, DF_ERR_SYSTEM, "internal: memory sink overflow");
    }
    /* File: a hole; memory: the calloc'd buffer is zero already. */
    s->off += len;
    return DF_OK;
}

/* Write chunk bytes [p, p + len) at paddr, skipping known-zero ranges. */
static int sink_chunk(struct df_sink *s, const struct df_dump *d, uint64_t paddr,
                      const uint8_t *p, uint64_t len, struct df_err *err)
{
    while (len) {
        uint64_t z = df_dump_zero_run(d, paddr);
        uint64_t n;
        int rc;
        if (z) {
            n = z < len ? z : len;
            rc = df__sink_zero(s, n, err);
        } else {
            /* Up to the next zero range. */
            size_t pos = zero_upper(d, paddr);
            n = len;
            if (pos < d->nzero && d->zero[pos].paddr - paddr < n) {
                n = d->zero[pos].paddr - paddr;
            }
            rc = df__sink_write(s, p, n, err);
        }
        if (rc) {
            return rc;
        }
        p += n;
        paddr += n;
        len -= n;
    }
    return DF_OK;
}

int df__sink_mem(struct df_sink *s, const struct df_dump *d, uint64_t paddr,
                 uint64_t len, struct df_err *err)
{
    uint64_t end = paddr + len;
    uint64_t cur = paddr;
    size_t pos = chunk_upper(d, paddr);
    if (pos > 0) {
        pos--;
    }
    for (; pos < d->nchunks && cur < end; pos++) {
        const struct df_chunk *c = &d->chunks[pos];
        uint64_t cs = c->paddr, ce = c->paddr + c->size;
        if (ce <= cur) {
            continue;
        }
        if (cs >= end) {
            break;
        }
        if (cs > cur) {
            int rc = df__sink_zero(s, cs - cur, err);
            if (rc) {
                return rc;
            }
            cur = cs;
        }
        uint64_t e = ce < end ? ce : end;
        int rc = sink_chunk(s, d, cur, c->data + (cur - cs), e - cur, err);
        if (rc) {
            return rc;
        }
        cur = e;
    }
    if (cur < end) {
        return df__sink_zero(s, end - cur, err);
    }
    return DF_OK;
}

int df_write_stream(const struct df_dump *d, enum df_format fmt, size_t block,
                    df_out_fn fn, void *opaque, struct df_err *err)
{
    if (fmt != DF_FMT_ELF && fmt != DF_FMT_S390) {
        return df__err(err, DF_ERR_INVALID, "stream writer: format %s is not writable",
                       df_format_name(fmt));
    }
    struct df_sink s;
    int rc = df__sink_open_cb(&s, block, fn, opaque, err);
    if (rc) {
        return rc;
    }
    rc = fmt == DF_FMT_ELF ? df__elf_emit(d, &s, NULL, err) : df__s390_emit(d, &s, NULL, err);
    return df__sink_close(&s, rc, err);
}

int df_image_size(const struct df_dump *d, enum df_format fmt, uint64_t *size,
                  struct df_err *err)
{
    if (!size) {
        return df__err(err, DF_ERR_INVALID, "NULL argument");
    }
    *size = 0;
    if (fmt == DF_FMT_ELF) {
        return df__elf_emit(d, NULL, size, err);
    }
    if (fmt == DF_FMT_S390) {
        return df__s390_emit(d, NULL, size, err);
    }
    return df__err(err, DF_ERR_INVALID, "image size: format %s is not writable",
                   df_format_name(fmt));
}

/*
 * Holes of the mapped file under chunk data become known-zero ranges, so
 * no consumer faults them in.  Chunks not pointing into the mapping
 * (decompressed kdump pages) are left alone.
 */
static int mark_holes(int fd, const uint8_t *map, size_t len, struct df_dump *d,
                      struct df_err *err)
{
    /* File holes, in file order. */
    struct df_range *h = NULL;
    size_t nh = 0, cap = 0;
    off_t pos = 0;
    while ((uint64_t)pos < len) {
        off_t hs = lseek(fd, pos, SEEK_HOLE);
        if (hs < 0 || (uint64_t)hs >= len) {
            break;              /* no more holes, or SEEK_HOLE unsupported */
        }
        off_t he = lseek(fd, hs, SEEK_DATA);
        if (he < 0 || (uint64_t)he > len) {
            he = (off_t)len;    /* ENXIO: hole up to EOF */
        }
        if (he <= hs) {
            break;
        }
        if (nh == cap) {
            cap = cap ? cap * 2 : 16;
            struct df_range *n = realloc(h, cap * sizeof(*n));
            if (!n) {
                free(h);
                return df__err(err, DF_ERR_SYSTEM, "out of memory");
            }
            h = n;
        }
        h[nh].paddr = (uint64_t)hs;     /* file offset here */
        h[nh].size = (uint64_t)(he - hs);
        nh++;
        pos = he;
    }
    int rc = DF_OK;
    for (size_t i = 0; i < d->nchunks && nh && rc == DF_OK; i++) {
        const struct df_chunk *c = &d->chunks[i];
        if (c->data < map || c->data >= map + len) {
            continue;
        }
        uint64_t fs = (uint64_t)(c->data - map), fe = fs + c->size;
        /* First hole ending after fs. */
        size_t lo = 0, hi = nh;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (h[mid].paddr + h[mid].size <= fs) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (size_t k = lo; k < nh && h[k].paddr < fe && rc == DF_OK; k++) {
            uint64_t s = h[k].paddr > fs ? h[k].paddr : fs;
            uint64_t e = h[k].paddr + h[k].size < fe ? h[k].paddr + h[k].size : fe;
            rc = df_dump_mark_zero(d, c->paddr + (s - fs), e - s, err);
        }
    }
    free(h);
    return rc;
}

/* ---- probing ---- */

int df_read_file_opts(const char *path, const struct df_read_opts *opts,
                      struct df_dump **out, struct df_err *err)
{
    static const struct df_read_opts strict;
    if (!path || !out) {
        return df__err(err, DF_ERR_INVALID, "NULL argument");
    }
    *out = NULL;
    if (!opts) {
        opts = &strict;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return df__err(err, DF_ERR_SYSTEM, "%s: open: %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return df__err(err, DF_ERR_SYSTEM, "%s: stat: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return df__err(err, DF_ERR_INVALID, "%s: not a regular file", path);
    }
    size_t len = (size_t)st.st_size;
    if (len == 0) {
        close(fd);
        return df__err(err, DF_ERR_CORRUPT, "%s: empty file (0 bytes)", path);
    }
    void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    int e = errno;
    if (map == MAP_FAILED) {
        close(fd);
        return df__err(err, DF_ERR_SYSTEM, "%s: mmap: %s", path, strerror(e));
    }
    struct df_dump *d = df_dump_new(DF_ARCH_NONE);
    struct df_priv *p = d ? df__priv(d, err) : NULL;
    if (!p) {
        close(fd);
        munmap(map, len);
        df_dump_free(d);
        return df__err(err, DF_ERR_SYSTEM, "out of memory");
    }
    p->map = map;
    p->map_len = len;

    int rc = df__read_elf(path, map, len, opts, d, err);
    if (rc == DF_ERR_NOPROBE) {
        rc = df__read_kdump(path, map, len, opts, d, err);
    }
    if (rc == DF_ERR_NOPROBE) {
        rc = df__read_s390(path, map, len, opts, d, err);
    }
    if (rc == DF_ERR_NOPROBE) {
        df__err(err, DF_ERR_NOPROBE,
                "%s: not an ELF64 core, kdump-compressed or s390 dump "
                "(magic at offset 0 not recognised)", path);
    }
    if (rc == DF_OK) {
        /* A lenient read returns DF_OK with a message in err: keep it. */
        struct df_err herr;
        if (mark_holes(fd, map, len, d, &herr) != DF_OK) {
            rc = df__err(err, DF_ERR_SYSTEM, "%s: %s", path, herr.msg);
        }
    }
    close(fd);
    if (rc != DF_OK) {
        df_dump_free(d);
        return rc;
    }
    *out = d;
    return DF_OK;
}

int df_read_file(const char *path, struct df_dump **out, struct df_err *err)
{
    return df_read_file_opts(path, NULL, out, err);
}
