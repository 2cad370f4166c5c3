#include "testhost.h"

#include <stdlib.h>
#include <string.h>

static int th_read(void *o, uint64_t addr, void *buf, uint64_t len)
{
    struct testhost *th = o;
    if (addr > th->mem_size || len > th->mem_size - addr) {
        return -1;
    }
    memcpy(buf, th->mem + addr, len);
    th->reads++;
    return 0;
}

static int th_write(void *o, uint64_t addr, const void *buf, uint64_t len)
{
    struct testhost *th = o;
    if (th->fail_next_write > 0) {
        th->fail_next_write--;
        return -1;
    }
    if (addr > th->mem_size || len > th->mem_size - addr) {
        return -1;
    }
    memcpy(th->mem + addr, buf, len);
    th->writes++;
    return 0;
}

static uint64_t th_size(void *o)
{
    return ((struct testhost *)o)->mem_size;
}

static unsigned th_ncpus(void *o)
{
    return ((struct testhost *)o)->ncpus;
}

static int th_cpu_get(void *o, unsigned cpu, void *regs, size_t size)
{
    struct testhost *th = o;
    if (cpu >= th->ncpus) {
        return -1;
    }
    if (th->arch == TH_S390X && size == sizeof(struct db_s390_cpu)) {
        memcpy(regs, &th->s390[cpu], size);
        return 0;
    }
    if (th->arch == TH_PPC64 && size == sizeof(struct db_ppc64_cpu)) {
        memcpy(regs, &th->ppc[cpu], size);
        return 0;
    }
    return -1;
}

static int th_cpu_set(void *o, unsigned cpu, const void *regs, size_t size)
{
    struct testhost *th = o;
    if (cpu >= th->ncpus) {
        return -1;
    }
    if (th->arch == TH_S390X && size == sizeof(struct db_s390_cpu)) {
        memcpy(&th->s390[cpu], regs, size);
        return 0;
    }
    if (th->arch == TH_PPC64 && size == sizeof(struct db_ppc64_cpu)) {
        memcpy(&th->ppc[cpu], regs, size);
        return 0;
    }
    return -1;
}

static uint64_t th_clock(void *o)
{
    return ((struct testhost *)o)->now_ns;
}

static const struct db_host_ops th_ops = {
    .mem_read = th_read,
    .mem_write = th_write,
    .mem_size = th_size,
    .cpu_count = th_ncpus,
    .cpu_get = th_cpu_get,
    .cpu_set = th_cpu_set,
    .clock_ns = th_clock,
};

struct testhost *testhost_new(enum th_arch arch, uint64_t mem_size,
                              unsigned ncpus)
{
    struct testhost *th = calloc(1, sizeof(*th));
    if (!th) {
        return NULL;
    }
    th->arch = arch;
    th->mem = calloc(1, mem_size ? mem_size : 1);
    th->mem_size = mem_size;
    th->ncpus = ncpus;
    if (arch == TH_S390X) {
        th->s390 = calloc(ncpus ? ncpus : 1, sizeof(*th->s390));
    } else {
        th->ppc = calloc(ncpus ? ncpus : 1, sizeof(*th->ppc));
    }
    if (!th->mem || (!th->s390 && !th->ppc)) {
        testhost_free(th);
        return NULL;
    }
    for (unsigned i = 0; i < ncpus; i++) {
        if (th->s390) {
            th->s390[i].online = true;
            th->s390[i].address = (uint16_t)i;
        } else {
            th->ppc[i].online = true;
            th->ppc[i].cpu_id = i;
        }
    }
    th->host.ops = &th_ops;
    th->host.opaque = th;
    return th;
}

void testhost_free(struct testhost *th)
{
    if (!th) {
        return;
    }
    free(th->mem);
    free(th->s390);
    free(th->ppc);
    free(th);
}

uint8_t testhost_pattern_byte(uint64_t addr, uint32_t seed)
{
    uint64_t x = addr * 0x9E3779B97F4A7C15ull ^ ((uint64_t)seed << 17);
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 32;
    return (uint8_t)x;
}

void testhost_pattern(struct testhost *th, uint64_t addr, uint64_t len,
                      uint32_t seed)
{
    for (uint64_t i = 0; i < len && addr + i < th->mem_size; i++) {
        th->mem[addr + i] = testhost_pattern_byte(addr + i, seed);
    }
}
