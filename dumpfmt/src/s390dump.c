/*
 * s390 stand-alone dump ("s390dump") reader and writer.  Layout:
 * abi_s390dump.h (s390-tools zdump/df_s390.h).  Memory is a flat image at
 * file offset hdr_size + paddr (zdump/dfi_s390.c mem_chunks_add), followed
 * by the "DUMP_END" end marker.  CPU registers live in each CPU's lowcore
 * store-status save area (prefix + 0x1200), the prefixes in lc_vec[].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dumpfmt/s390.h>

#include "abi_s390dump.h"
#include "internal.h"

/* Offset of a field inside the save area at prefix + 0x1200. */
#define SA(field) offsetof(struct db_s390_save_area, field)
#define SA_LEN    DB_S390_SA_SIZE

void df_s390_sa_decode(const uint8_t sa[DB_S390_SA_SIZE],
                       struct db_s390_cpu *c)
{
    for (int i = 0; i < 16; i++) {
        c->fprs[i] = db_ld_be64(sa + SA(fprs) + 8 * i);
        c->gprs[i] = db_ld_be64(sa + SA(gprs) + 8 * i);
        c->acrs[i] = db_ld_be32(sa + SA(acrs) + 4 * i);
        c->crs[i] = db_ld_be64(sa + SA(crs) + 8 * i);
    }
    c->psw_mask = db_ld_be64(sa + SA(psw));
    c->psw_addr = db_ld_be64(sa + SA(psw) + 8);
    c->prefix = db_ld_be32(sa + SA(prefix));
    c->fpc = db_ld_be32(sa + SA(fpc));
    c->todpreg = db_ld_be32(sa + SA(todpreg));
    c->cputm = db_ld_be64(sa + SA(cputm));
    c->ckc = db_ld_be64(sa + SA(ckc)) << 8;   /* bits 0-55 stored */
}

void df_s390_sa_encode(const struct db_s390_cpu *c,
                       uint8_t sa[DB_S390_SA_SIZE])
{
    for (int i = 0; i < 16; i++) {
        db_st_be64(sa + SA(fprs) + 8 * i, c->fprs[i]);
        db_st_be64(sa + SA(gprs) + 8 * i, c->gprs[i]);
        db_st_be32(sa + SA(acrs) + 4 * i, c->acrs[i]);
        db_st_be64(sa + SA(crs) + 8 * i, c->crs[i]);
    }
    db_st_be64(sa + SA(psw), c->psw_mask);
    db_st_be64(sa + SA(psw) + 8, c->psw_addr);
    db_st_be32(sa + SA(prefix), c->prefix);
    db_st_be32(sa + SA(fpc), c->fpc);
    db_st_be32(sa + SA(todpreg), c->todpreg);
    db_st_be64(sa + SA(cputm), c->cputm);
    db_st_be64(sa + SA(ckc), c->ckc >> 8);
}

/* V0-V15: bytes 0-7 the FPRs (ignored), 8-15 vxrs_low; V16-V31 in full. */
void df_s390_adtl_vx_decode(const uint8_t vx[DB_S390_ADTL_VX_SIZE],
                            struct db_s390_cpu *c)
{
    const uint8_t *v = vx + offsetof(struct db_s390_adtl_vx_area, vregs);
    for (int i = 0; i < 16; i++) {
        c->vxrs_low[i] = db_ld_be64(v + 16 * i + 8);
        c->vxrs_high[i][0] = db_ld_be64(v + 16 * (16 + i));
        c->vxrs_high[i][1] = db_ld_be64(v + 16 * (16 + i) + 8);
    }
}

int df__read_s390(const char *path, const uint8_t *buf, size_t len,
                  const struct df_read_opts *opts, struct df_dump *d,
                  struct df_err *err)
{
    if (len < 8) {
        return DF_ERR_NOPROBE;
    }
    uint64_t magic = db_ld_be64(buf + S390D_OFF_MAGIC);
    if (magic == S390D_MAGIC_EXT) {
        return df__err(err, DF_ERR_NOTIMPL,
                       "%s: extended s390 dump format (magic 0x%016llx) with "
                       "dump segments is not supported", path,
                       (unsigned long long)magic);
    }
    if (magic != S390D_MAGIC) {
        return DF_ERR_NOPROBE;
    }
    if (len < S390D_HDR_SIZE) {
        return df__err(err, DF_ERR_CORRUPT,
                       "%s: truncated: s390 dump header needs 0x%x bytes, file "
                       "has 0x%zx", path, S390D_HDR_SIZE, len);
    }
    struct df_s390_info *h = calloc(1, sizeof(*h));
    if (!h) {
        return df__err(err, DF_ERR_SYSTEM, "out of memory");
    }
    d->s390 = h;
    h->version = db_ld_be32(buf + S390D_OFF_VERSION);
    h->hdr_size = db_ld_be32(buf + S390D_OFF_HDR_SIZE);
    h->dump_level = db_ld_be32(buf + S390D_OFF_DUMP_LEVEL);
    h->page_size = db_ld_be32(buf + S390D_OFF_PAGE_SIZE);
    h->mem_size = db_ld_be64(buf + S390D_OFF_MEM_SIZE);
    h->mem_start = db_ld_be64(buf + S390D_OFF_MEM_START);
    h->mem_end = db_ld_be64(buf + S390D_OFF_MEM_END);
    h->num_pages = db_ld_be32(buf + S390D_OFF_NUM_PAGES);
    h->tod = db_ld_be64(buf + S390D_OFF_TOD);
    h->cpu_id = db_ld_be64(buf + S390D_OFF_CPU_ID);
    h->arch = db_ld_be32(buf + S390D_OFF_ARCH);
    h->volnr = db_ld_be32(buf + S390D_OFF_VOLNR);
    h->build_arch = db_ld_be32(buf + S390D_OFF_BUILD_ARCH);
    h->mem_size_real = db_ld_be64(buf + S390D_OFF_MEM_SIZE_REAL);
    h->mvdump = buf[S390D_OFF_MVDUMP];
    h->cpu_cnt = db_ld_be16(buf + S390D_OFF_CPU_CNT);
    h->real_cpu_cnt = db_ld_be16(buf + S390D_OFF_REAL_CPU_CNT);
    for (int i = 0; i < S390D_CPU_MAX; i++) {
        h->lc_vec[i] = db_ld_be32(buf + S390D_OFF_LC_VEC + 4 * i);
    }
    d->format = DF_FMT_S390;
    d->arch = DF_ARCH_S390X;
    if (h->arch != S390D_ARCH_64) {
        return df__err(err, DF_ERR_NOTIMPL,
                       "%s: arch %u at offset 0x%x: only 64-bit (2) dumps are "
                       "supported", path, h->arch, S390D_OFF_ARCH);
    }
    if (h->hdr_size < S390D_HDR_SIZE || h->hdr_size > len) {
        return df__err(err, DF_ERR_CORRUPT,
                       "%s: hdr_size 0x%x at offset 0x%x must be >= 0x%x and "
                       "inside the file (0x%zx bytes)", path, h->hdr_size,
                       S390D_OFF_HDR_SIZE, S390D_HDR_SIZE, len);
    }
    if (h->page_size != 4096) {
        return df__err(err, DF_ERR_CORRUPT,
                       "%s: page_size %u at offset 0x%x, expected 4096", path,
                       h->page_size, S390D_OFF_PAGE_SIZE);
    }
    if (h->cpu_cnt > S390D_CPU_MAX) {
        return df__err(err, DF_ERR_CORRUPT,
                       "%s: cpu_cnt %u at offset 0x%x exceeds %d", path,
                       h->cpu_cnt, S390D_OFF_CPU_CNT, S390D_CPU_MAX);
    }
    if (h->mem_start + h->mem_size < h->mem_start) {
        return df__err(err, DF_ERR_CORRUPT,
                       "%s: mem_start 0x%llx + mem_size 0x%llx wraps", path,
                       (unsigned long long)h->mem_start,
                       (unsigned long long)h->mem_size);
    }
    d->page_size = h->page_size;

    uint64_t avail = len - h->hdr_size;
    uint64_t msize = h->mem_size;
    bool truncated = false;
    if (msize > avail) {
        truncated = true;
        d->flags |= DF_FLAG_INCOMPLETE;
        df__err(err, DF_ERR_CORRUPT,
                "%s: mem_size 0x%llx at offset 0x%x: memory ends at 0x%llx, "
                "beyond EOF 0x%zx (dump incomplete)", path,
                (unsigned long long)msize, S390D_OFF_MEM_SIZE,
                (unsigned long long)(h->hdr_size + msize), len);
        if (!opts->lenient) {
            return DF_ERR_CORRUPT;
        }
        msize = avail;
    } else {
        uint64_t emo = h->hdr_size + msize;
        if (len - emo < S390D_EM_SIZE ||
            memcmp(buf + emo, S390D_EM_STR, 8) != 0) {
            truncated = true;
            d->flags |= DF_FLAG_INCOMPLETE;
            df__err(err, DF_ERR_CORRUPT,
                    "%s: end marker \"DUMP_END\" missing at offset 0x%llx "
                    "(dump incomplete)", path, (unsigned long long)emo);
            if (!opts->lenient) {
                return DF_ERR_CORRUPT;
            }
        } else {
            h->end_marker = true;
            h->em_tod = db_ld_be64(buf + emo + 8);
            if (h->em_tod < h->tod) {
                return df__err(err, DF_ERR_CORRUPT,
                               "%s: end marker tod 0x%llx at offset 0x%llx is "
                               "older than header tod 0x%llx", path,
                               (unsigned long long)h->em_tod,
                               (unsigned long long)(emo + 8),
                               (unsigned long long)h->tod);
            }
        }
    }
    if (msize) {
        int rc = df__add_chunk_ref(d, h->mem_start, buf + h->hdr_size, msize, err);
        if (rc) {
            return rc;
        }
    }
    for (unsigned i = 0; i < h->cpu_cnt; i++) {
        struct df_cpu c;
        memset(&c, 0, sizeof(c));
        c.present = 1;
        c.regs.s390.online = true;
        c.regs.s390.stopped = true;
        c.regs.s390.prefix = h->lc_vec[i];
        uint64_t sa = (uint64_t)h->lc_vec[i] + LC_FPREGS;
        if (sa >= h->mem_start && sa - h->mem_start <= msize &&
            msize - (sa - h->mem_start) >= SA_LEN) {
            df_s390_sa_decode(buf + h->hdr_size + (sa - h->mem_start), &c.regs.s390);
        }
        int ci = df_dump_add_cpu(d, &c, err);
        if (ci < 0) {
            return ci;
        }
    }
    (void)truncated;
    return DF_OK;
}

/* ---- writer ---- */

struct sa_slot {
    uint64_t addr;     /* absolute address of prefix + 0x1200 */
    size_t cpu;
};

static int cmp_slot(const void *a, const void *b)
{
    const struct sa_slot *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

struct s390_plan {
    uint8_t hdr[S390D_HDR_SIZE];
    uint8_t em[S390D_EM_SIZE];
    uint64_t mem_size;
    struct sa_slot *slots;
    size_t nslots;
};

static int s390_plan(const struct df_dump *d, struct s390_plan *pl,
                     struct df_err *err)
{
    memset(pl, 0, sizeof(*pl));
    if (!d) {
        return df__err(err, DF_ERR_INVALID, "NULL dump");
    }
    if (d->arch != DF_ARCH_S390X) {
        return df__err(err, DF_ERR_INVALID, "s390 dump writer: arch %s is not "
                       "s390x", df_arch_name(d->arch));
    }
    const struct df_s390_info *in = d->s390;
    uint64_t mem = 0;
    if (d->nchunks) {
        const struct df_chunk *last = &d->chunks[d->nchunks - 1];
        mem = last->paddr + last->size;
    }
    pl->mem_size = mem;
    size_t ncpu = 0;
    for (size_t i = 0; i < d->ncpus; i++) {
        if (d->cpus[i].present) {
            ncpu++;
        }
    }
    if (ncpu > S390D_CPU_MAX) {
        return df__err(err, DF_ERR_INVALID, "s390 dump writer: %zu CPUs, at "
                       "most %d", ncpu, S390D_CPU_MAX);
    }
    pl->slots = calloc(ncpu ? ncpu : 1, sizeof(*pl->slots));
    if (!pl->slots) {
        return df__err(err, DF_ERR_SYSTEM, "out of memory");
    }
    uint8_t *h = pl->hdr;
    db_st_be64(h + S390D_OFF_MAGIC, S390D_MAGIC);
    db_st_be32(h + S390D_OFF_VERSION, in ? in->version : (ncpu ? 5 : 4));
    db_st_be32(h + S390D_OFF_HDR_SIZE, S390D_HDR_SIZE);
    db_st_be32(h + S390D_OFF_DUMP_LEVEL, in ? in->dump_level : 4);
    db_st_be32(h + S390D_OFF_PAGE_SIZE, 4096);
    db_st_be64(h + S390D_OFF_MEM_SIZE, mem);
    db_st_be64(h + S390D_OFF_MEM_START, 0);
    db_st_be64(h + S390D_OFF_MEM_END, mem);
    db_st_be32(h + S390D_OFF_NUM_PAGES, (uint32_t)(mem / 4096));
    uint64_t tod = in ? in->tod : 0;
    db_st_be64(h + S390D_OFF_TOD, tod);
    db_st_be64(h + S390D_OFF_CPU_ID, in ? in->cpu_id : 0);
    db_st_be32(h + S390D_OFF_ARCH, S390D_ARCH_64);
    db_st_be32(h + S390D_OFF_VOLNR, in ? in->volnr : 0);
    db_st_be32(h + S390D_OFF_BUILD_ARCH, in ? in->build_arch : S390D_ARCH_64);
    db_st_be64(h + S390D_OFF_MEM_SIZE_REAL, in ? in->mem_size_real : mem);
    h[S390D_OFF_MVDUMP] = in ? in->mvdump : 0;
    db_st_be16(h + S390D_OFF_CPU_CNT, (uint16_t)ncpu);
    db_st_be16(h + S390D_OFF_REAL_CPU_CNT,
               in ? in->real_cpu_cnt : (uint16_t)ncpu);
    size_t k = 0;
    for (size_t i = 0; i < d->ncpus; i++) {
        if (!d->cpus[i].present) {
            continue;
        }
        uint32_t prefix = d->cpus[i].regs.s390.prefix;
        db_st_be32(h + S390D_OFF_LC_VEC + 4 * k, prefix);
        k++;
        uint64_t sa = (uint64_t)prefix + LC_FPREGS;
        if (sa + SA_LEN <= mem) {
            pl->slots[pl->nslots].addr = sa;
            pl->slots[pl->nslots].cpu = i;
            pl->nslots++;
        }
    }
    qsort(pl->slots, pl->nslots, sizeof(*pl->slots), cmp_slot);
    memcpy(pl->em, S390D_EM_STR, 8);
    uint64_t em_tod = in ? (in->em_tod >= tod ? in->em_tod : tod) : tod;
    db_st_be64(pl->em + 8, em_tod);
    return DF_OK;
}

static int s390_emit(const struct df_dump *d, const struct s390_plan *pl,
                     struct df_sink *s, struct df_err *err)
{
    int rc = df__sink_write(s, pl->hdr, sizeof(pl->hdr), err);
    uint64_t cur = 0;
    const uint64_t sa_len = SA_LEN;
    for (size_t i = 0; i < pl->nslots && !rc; i++) {
        const struct sa_slot *sl = &pl->slots[i];
        if (sl->addr < cur) {
            continue; /* two CPUs with the same prefix: first one wins */
        }
        rc = df__sink_mem(s, d, cur, sl->addr - cur, err);
        if (rc) {
            break;
        }
        uint8_t sa[SA_LEN];
        df__mem_fill(d, sl->addr, sa, sa_len);
        df_s390_sa_encode(&d->cpus[sl->cpu].regs.s390, sa);
        rc = df__sink_write(s, sa, sa_len, err);
        cur = sl->addr + sa_len;
    }
    if (!rc) {
        rc = df__sink_mem(s, d, cur, pl->mem_size - cur, err);
    }
    if (!rc) {
        rc = df__sink_write(s, pl->em, sizeof(pl->em), err);
    }
    return rc;
}

int df__s390_emit(const struct df_dump *d, struct df_sink *s, uint64_t *size,
                  struct df_err *err)
{
    struct s390_plan pl;
    int rc = s390_plan(d, &pl, err);
    if (!rc && size) {
        *size = S390D_HDR_SIZE + pl.mem_size + S390D_EM_SIZE;
    }
    if (!rc && s) {
        rc = s390_emit(d, &pl, s, err);
    }
    free(pl.slots);
    return rc;
}

int df_write_s390(const struct df_dump *d, const char *path, struct df_err *err)
{
    if (!path) {
        return df__err(err, DF_ERR_INVALID, "NULL path");
    }
    struct s390_plan pl;
    int rc = s390_plan(d, &pl, err);
    if (!rc) {
        struct df_sink s;
        rc = df__sink_open(&s, path, err);
        if (!rc) {
            rc = s390_emit(d, &pl, &s, err);
            rc = df__sink_close(&s, rc, err);
        }
    }
    free(pl.slots);
    return rc;
}

int df_write_s390_mem(const struct df_dump *d, uint8_t **buf, size_t *len,
                      struct df_err *err)
{
    if (!buf || !len) {
        return df__err(err, DF_ERR_INVALID, "NULL argument");
    }
    *buf = NULL;
    *len = 0;
    struct s390_plan pl;
    int rc = s390_plan(d, &pl, err);
    if (rc) {
        free(pl.slots);
        return rc;
    }
    uint64_t total = S390D_HDR_SIZE + pl.mem_size + S390D_EM_SIZE;
    if (total < pl.mem_size) {
        free(pl.slots);
        return df__err(err, DF_ERR_SYSTEM, "s390 image too large for memory");
    }
    struct df_sink s;
    rc = df__sink_open_mem(&s, total, err);
    if (rc) {
        free(pl.slots);
        return rc;
    }
    rc = s390_emit(d, &pl, &s, err);
    free(pl.slots);
    if (rc) {
        free(s.buf);
        return rc;
    }
    *buf = s.buf;
    *len = (size_t)s.off;
    return DF_OK;
}
