/* Array-backed host and input reader for the fuzz targets (fuzz_host.h). */
#include "fuzz_host.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dumpbench/be.h>

static int fh_read(void *o, uint64_t addr, void *buf, uint64_t len)
{
    struct fuzz_host *fh = o;
    if (addr > fh->mem_size || len > fh->mem_size - addr) {
        return -1;
    }
    memcpy(buf, fh->mem + addr, (size_t)len);
    return 0;
}

static int fh_write(void *o, uint64_t addr, const void *buf, uint64_t len)
{
    struct fuzz_host *fh = o;
    if (addr > fh->mem_size || len > fh->mem_size - addr) {
        return -1;
    }
    memcpy(fh->mem + addr, buf, (size_t)len);
    fh->writes++;
    return 0;
}

static uint64_t fh_size(void *o)
{
    return ((struct fuzz_host *)o)->mem_size;
}

static unsigned fh_ncpus(void *o)
{
    return ((struct fuzz_host *)o)->ncpus;
}

static int fh_cpu_get(void *o, unsigned cpu, void *regs, size_t size)
{
    struct fuzz_host *fh = o;
    if (cpu >= fh->ncpus) {
        return -1;
    }
    if (fh->arch == FH_S390X && size == sizeof(struct db_s390_cpu)) {
        memcpy(regs, &fh->s390[cpu], size);
        return 0;
    }
    if (fh->arch == FH_PPC64 && size == sizeof(struct db_ppc64_cpu)) {
        memcpy(regs, &fh->ppc[cpu], size);
        return 0;
    }
    return -1;
}

static int fh_cpu_set(void *o, unsigned cpu, const void *regs, size_t size)
{
    struct fuzz_host *fh = o;
    if (cpu >= fh->ncpus) {
        return -1;
    }
    if (fh->arch == FH_S390X && size == sizeof(struct db_s390_cpu)) {
        memcpy(&fh->s390[cpu], regs, size);
    } else if (fh->arch == FH_PPC64 && size == sizeof(struct db_ppc64_cpu)) {
        memcpy(&fh->ppc[cpu], regs, size);
    } else {
        return -1;
    }
    fh->cpu_sets++;
    return 0;
}

static uint64_t fh_clock(void *o)
{
    struct fuzz_host *fh = o;
    return fh->now_ns += 1000;
}

static const struct db_host_ops fh_ops = {
    .mem_read = fh_read,
    .mem_write = fh_write,
    .mem_size = fh_size,
    .cpu_count = fh_ncpus,
    .cpu_get = fh_cpu_get,
    .cpu_set = fh_cpu_set,
    .clock_ns = fh_clock,
};

void fh_reset(struct fuzz_host *fh)
{
    memset(fh->mem, 0, (size_t)fh->mem_size);
    memset(fh->s390, 0, sizeof(fh->s390));
    memset(fh->ppc, 0, sizeof(fh->ppc));
    for (unsigned i = 0; i < fh->ncpus; i++) {
        fh->s390[i].online = true;
        fh->s390[i].address = (uint16_t)i;
        fh->s390[i].prefix = 0x20000u + 0x2000u * i;
        fh->s390[i].psw_mask = 0x0704c00180000000ull;
        fh->s390[i].gprs[15] = 0x1000u * (i + 1);
        fh->ppc[i].online = true;
        fh->ppc[i].cpu_id = i;
        fh->ppc[i].msr = 0x8000000000001033ull;
        fh->ppc[i].gpr[1] = 0xc000000001000000ull + i;
    }
    fh->now_ns = 1000000;
    fh->writes = 0;
    fh->cpu_sets = 0;
}

struct fuzz_host *fh_new(enum fh_arch arch, uint64_t mem_size, unsigned ncpus)
{
    if (ncpus > FH_MAX_CPUS) {
        return NULL;
    }
    struct fuzz_host *fh = calloc(1, sizeof(*fh));
    if (!fh) {
        return NULL;
    }
    fh->mem = malloc(mem_size ? (size_t)mem_size : 1);
    if (!fh->mem) {
        free(fh);
        return NULL;
    }
    fh->arch = arch;
    fh->mem_size = mem_size;
    fh->ncpus = ncpus;
    fh->host.ops = &fh_ops;
    fh->host.opaque = fh;
    fh_reset(fh);
    return fh;
}

void fh_free(struct fuzz_host *fh)
{
    if (fh) {
        free(fh->mem);
        free(fh);
    }
}

uint8_t fz_u8(struct fz *f)
{
    uint8_t b[1];
    fz_bytes(f, b, 1);
    return b[0];
}

uint16_t fz_u16(struct fz *f)
{
    uint8_t b[2];
    fz_bytes(f, b, 2);
    return db_ld_be16(b);
}

uint32_t fz_u32(struct fz *f)
{
    uint8_t b[4];
    fz_bytes(f, b, 4);
    return db_ld_be32(b);
}

uint64_t fz_u64(struct fz *f)
{
    uint8_t b[8];
    fz_bytes(f, b, 8);
    return db_ld_be64(b);
}

size_t fz_bytes(struct fz *f, void *out, size_t len)
{
    size_t n = len < f->n ? len : f->n;
    if (n) {
        memcpy(out, f->p, n);
    }
    if (len > n) {
        memset((uint8_t *)out + n, 0, len - n);
    }
    f->p += n;
    f->n -= n;
    return n;
}

const uint8_t *fz_rest(struct fz *f, size_t *len)
{
    const uint8_t *p = f->p;
    *len = f->n;
    f->p += f->n;
    f->n = 0;
    return p;
}

size_t fz_put_u8(uint8_t *buf, size_t off, uint8_t v)
{
    buf[off] = v;
    return off + 1;
}

size_t fz_put_u16(uint8_t *buf, size_t off, uint16_t v)
{
    db_st_be16(buf + off, v);
    return off + 2;
}

size_t fz_put_u32(uint8_t *buf, size_t off, uint32_t v)
{
    db_st_be32(buf + off, v);
    return off + 4;
}

size_t fz_put_u64(uint8_t *buf, size_t off, uint64_t v)
{
    db_st_be64(buf + off, v);
    return off + 8;
}

void fz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz invariant broken: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}
