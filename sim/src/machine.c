/*
 * The deterministic sim machine (see <sim/machine.h>).
 *
 * Memory is a two-level radix table of 4 KiB pages: the top level has one
 * slot per 16 MiB (SIM_L2_PAGES pages), each leaf table holds page
 * pointers.  A page is allocated on its first write; reading a page that
 * was never written yields zeros.  A 4 GiB machine therefore costs a
 * 256-entry top table until somebody writes into it.
 *
 * Randomness: xoshiro256** seeded through splitmix64 from the config seed.
 * Time: a virtual nanosecond counter that only sim_advance() moves.
 */
#include <sim/machine.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dumpbench/be.h>

#define SIM_L2_SHIFT 12u                       /* pages per leaf: 4096 */
#define SIM_L2_PAGES (1u << SIM_L2_SHIFT)      /* 16 MiB per leaf table */
#define SIM_PAGE_SHIFT 12u
#define SIM_MAX_MEMORY (1ull << 46)            /* 64 TiB: sanity bound */
#define SIM_MAX_CPUS 1024u

struct sim_cpu {
    struct db_s390_cpu s390;
    struct db_ppc64_cpu ppc64;
};

struct sim_machine {
    enum sim_arch arch;
    uint64_t mem_size;
    uint64_t seed;
    uint8_t ***top;          /* top[i][j] = page or NULL */
    size_t ntop;             /* entries in top[] */
    uint64_t pages_allocated;
    unsigned slots;
    struct sim_cpu *cpus;
    uint64_t rng[4];
    uint64_t clock_ns;
    struct db_host host;
};

/* ---- PRNG ------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t xoshiro_next(uint64_t s[4])
{
    uint64_t result = rotl64(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return result;
}

static void xoshiro_seed(uint64_t s[4], uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) {
        s[i] = splitmix64(&x);
    }
}

/* ---- pattern ---------------------------------------------------------- */

/* One 64-bit word of the pattern for the aligned doubleword at addr & ~7. */
static uint64_t pattern_word(uint64_t addr, uint64_t seed)
{
    uint64_t x = (addr >> 3) * 0xd6e8feb86659fd93ull ^ seed;
    return splitmix64(&x);
}

uint8_t sim_pattern_byte(uint64_t addr, uint64_t seed)
{
    return (uint8_t)(pattern_word(addr, seed) >> ((addr & 7u) * 8u));
}

/* ---- memory ----------------------------------------------------------- */

static int grow_top(struct sim_machine *m, uint64_t mem_size)
{
    uint64_t pages = (mem_size + SIM_PAGE_SIZE - 1) / SIM_PAGE_SIZE;
    size_t need = (size_t)((pages + SIM_L2_PAGES - 1) / SIM_L2_PAGES);
    if (need <= m->ntop) {
        return 0;
    }
    uint8_t ***t = realloc(m->top, need * sizeof(*t));
    if (!t) {
        return -1;
    }
    memset(t + m->ntop, 0, (need - m->ntop) * sizeof(*t));
    m->top = t;
    m->ntop = need;
    return 0;
}

static const uint8_t *page_lookup(const struct sim_machine *m, uint64_t pfn)
{
    uint64_t i = pfn >> SIM_L2_SHIFT;
    if (i >= m->ntop || !m->top[i]) {
        return NULL;
    }
    return m->top[i][pfn & (SIM_L2_PAGES - 1)];
}

static uint8_t *page_get_alloc(struct sim_machine *m, uint64_t pfn)
{
    uint64_t i = pfn >> SIM_L2_SHIFT;
    if (i >= m->ntop) {
        return NULL;
    }
    if (!m->top[i]) {
        m->top[i] = calloc(SIM_L2_PAGES, sizeof(uint8_t *));
        if (!m->top[i]) {
            return NULL;
        }
    }
    uint8_t **slot = &m->top[i][pfn & (SIM_L2_PAGES - 1)];
    if (!*slot) {
        *slot = calloc(1, SIM_PAGE_SIZE);
        if (!*slot) {
            return NULL;
        }
        m->pages_allocated++;
    }
    return *slot;
}

static int range_ok(const struct sim_machine *m, uint64_t addr, uint64_t len)
{
    return addr <= m->mem_size && len <= m->mem_size - addr;
}

int sim_mem_read(struct sim_machine *m, uint64_t addr, void *buf, uint64_t len)
{
    if (!m || (!buf && len) || !range_ok(m, addr, len)) {
        return -1;
    }
    uint8_t *out = buf;
    while (len) {
        uint64_t off = addr & (SIM_PAGE_SIZE - 1);
        uint64_t n = SIM_PAGE_SIZE - off;
        if (n > len) {
            n = len;
        }
        const uint8_t *p = page_lookup(m, addr >> SIM_PAGE_SHIFT);
        if (p) {
            memcpy(out, p + off, n);
        } else {
            memset(out, 0, n);
        }
        out += n;
        addr += n;
        len -= n;
    }
    return 0;
}

static int all_zero(const uint8_t *b, uint64_t n)
{
    /* b[0] == 0 and each byte equals the next: one vectorised memcmp. */
    return n == 0 || (b[0] == 0 && memcmp(b, b + 1, (size_t)n - 1) == 0);
}

int sim_mem_write(struct sim_machine *m, uint64_t addr, const void *buf, uint64_t len)
{
    if (!m || (!buf && len) || !range_ok(m, addr, len)) {
        return -1;
    }
    const uint8_t *in = buf;
    while (len) {
        uint64_t off = addr & (SIM_PAGE_SIZE - 1);
        uint64_t n = SIM_PAGE_SIZE - off;
        if (n > len) {
            n = len;
        }
        uint64_t pfn = addr >> SIM_PAGE_SHIFT;
        /* Writing zeros into a never-written page keeps it sparse. */
        if (page_lookup(m, pfn) || !all_zero(in, n)) {
            uint8_t *p = page_get_alloc(m, pfn);
            if (!p) {
                return -1;
            }
            memcpy(p + off, in, n);
        }
        in += n;
        addr += n;
        len -= n;
    }
    return 0;
}

const uint8_t *sim_mem_page(const struct sim_machine *m, uint64_t paddr)
{
    if (!m || (paddr & (SIM_PAGE_SIZE - 1)) || paddr >= m->mem_size) {
        return NULL;
    }
    return page_lookup(m, paddr >> SIM_PAGE_SHIFT);
}

uint64_t sim_mem_size(const struct sim_machine *m)
{
    return m ? m->mem_size : 0;
}

uint64_t sim_mem_pages_allocated(const struct sim_machine *m)
{
    return m ? m->pages_allocated : 0;
}

int sim_plant(struct sim_machine *m, uint64_t addr, uint64_t len, uint64_t seed)
{
    if (!m || !range_ok(m, addr, len)) {
        return -1;
    }
    while (len) {
        uint64_t off = addr & (SIM_PAGE_SIZE - 1);
        uint64_t n = SIM_PAGE_SIZE - off;
        if (n > len) {
            n = len;
        }
        /* Pattern pages are never all-zero in practice; allocate directly. */
        uint8_t *p = page_get_alloc(m, addr >> SIM_PAGE_SHIFT);
        if (!p) {
            return -1;
        }
        p += off;
        for (uint64_t i = 0; i < n;) {
            uint64_t a = addr + i;
            uint64_t w = pattern_word(a, seed);
            unsigned b = (unsigned)(a & 7u);
            if (b == 0 && n - i >= 8) {
                db_st_le64(p + i, w);       /* byte k = w >> 8k */
                i += 8;
                continue;
            }
            for (; b < 8 && i < n; b++, i++) {
                p[i] = (uint8_t)(w >> (b * 8u));
            }
        }
        addr += n;
        len -= n;
    }
    return 0;
}

/* ---- CPUs ------------------------------------------------------------- */

static void cpu_init_slot(struct sim_machine *m, unsigned i, bool online)
{
    struct sim_cpu *c = &m->cpus[i];
    memset(c, 0, sizeof(*c));
    c->s390.address = (uint16_t)i;
    c->s390.online = online;
    c->ppc64.cpu_id = i;
    c->ppc64.pir = i;
    c->ppc64.online = online;
}

unsigned sim_cpu_slots(const struct sim_machine *m)
{
    return m ? m->slots : 0;
}

unsigned sim_cpus_online(const struct sim_machine *m)
{
    unsigned n = 0;
    if (!m) {
        return 0;
    }
    for (unsigned i = 0; i < m->slots; i++) {
        bool on = m->arch == SIM_S390X ? m->cpus[i].s390.online
                                       : m->cpus[i].ppc64.online;
        n += on ? 1u : 0u;
    }
    return n;
}

struct db_s390_cpu *sim_s390_cpu(struct sim_machine *m, unsigned cpu)
{
    if (!m || m->arch != SIM_S390X || cpu >= m->slots) {
        return NULL;
    }
    return &m->cpus[cpu].s390;
}

struct db_ppc64_cpu *sim_ppc64_cpu(struct sim_machine *m, unsigned cpu)
{
    if (!m || m->arch != SIM_PPC64 || cpu >= m->slots) {
        return NULL;
    }
    return &m->cpus[cpu].ppc64;
}

/*
 * Plausible register values: kernel-looking PSW / NIA in the low 64 MiB,
 * 8 KiB aligned non-zero prefixes (CPUs with prefix 0 are dropped from s390
 * dumps, lx61:arch/s390/kernel/crash_dump.c get_cpu_cnt), everything else
 * random.  Only the given seed and the CPU index feed the values, so the
 * result does not depend on how much of the machine PRNG was used before.
 */
void sim_cpu_randomize(struct sim_machine *m, unsigned cpu, uint64_t seed)
{
    if (!m || cpu >= m->slots) {
        return;
    }
    uint64_t s[4];
    xoshiro_seed(s, seed ^ ((uint64_t)(cpu + 1) * 0x9e3779b97f4a7c15ull));
    if (m->arch == SIM_S390X) {
        struct db_s390_cpu *c = &m->cpus[cpu].s390;
        bool online = c->online, stopped = c->stopped;
        uint16_t address = c->address;
        memset(c, 0, sizeof(*c));
        c->online = online;
        c->stopped = stopped;
        c->address = address;
        c->psw_mask = 0x0704c00180000000ull;  /* DAT, I/O, ext, 64-bit */
        c->psw_addr = 0x100000 + ((xoshiro_next(s) % 0x3f00000) & ~1ull);
        for (int i = 0; i < 16; i++) {
            c->gprs[i] = xoshiro_next(s);
            c->acrs[i] = (uint32_t)xoshiro_next(s);
            c->fprs[i] = xoshiro_next(s);
            c->crs[i] = xoshiro_next(s);
            c->vxrs_low[i] = xoshiro_next(s);
            c->vxrs_high[i][0] = xoshiro_next(s);
            c->vxrs_high[i][1] = xoshiro_next(s);
        }
        c->fpc = (uint32_t)xoshiro_next(s) & 0xf8f8ff03u;
        /* Lowcores: two pages each, 1 MiB up, one per CPU slot. */
        c->prefix = 0x100000u + (uint32_t)cpu * 0x2000u;
        c->todpreg = (uint32_t)xoshiro_next(s) & 0xffffu;
        c->cputm = xoshiro_next(s);
        /* The store-status save area holds clock-comparator bits 0-55
         * only (lx61 lowcore.h clock_comp_save_area; q72 stores ckc >> 8). */
        c->ckc = xoshiro_next(s) & ~0xffull;
    } else {
        struct db_ppc64_cpu *c = &m->cpus[cpu].ppc64;
        bool online = c->online, stopped = c->stopped;
        uint32_t id = c->cpu_id;
        memset(c, 0, sizeof(*c));
        c->online = online;
        c->stopped = stopped;
        c->cpu_id = id;
        for (int i = 0; i < 32; i++) {
            c->gpr[i] = xoshiro_next(s);
        }
        c->nia = 0xc000000000000000ull + ((xoshiro_next(s) % 0x4000000) & ~3ull);
        c->msr = 0x8000000000001033ull;
        c->ctr = xoshiro_next(s);
        c->lr = 0xc000000000000000ull + ((xoshiro_next(s) % 0x4000000) & ~3ull);
        c->xer = xoshiro_next(s) & 0xe000007full;
        c->cr = xoshiro_next(s) & 0xffffffffull;
        c->dar = xoshiro_next(s);
        c->dsisr = xoshiro_next(s) & 0xffffffffull;
        c->srr0 = c->nia;
        c->srr1 = c->msr;
        c->pir = id;
        c->pvr = 0x004e1202;                  /* POWER9 DD2.2 */
        c->fpscr = xoshiro_next(s) & 0xffffffffull;
    }
}

int sim_hotplug_cpu(struct sim_machine *m, unsigned count)
{
    if (!m) {
        return -1;
    }
    unsigned online = sim_cpus_online(m);
    if (count > m->slots - online) {
        return -1;
    }
    for (unsigned i = 0; i < m->slots && count; i++) {
        struct sim_cpu *c = &m->cpus[i];
        bool *on = m->arch == SIM_S390X ? &c->s390.online : &c->ppc64.online;
        if (!*on) {
            *on = true;
            sim_cpu_randomize(m, i, m->seed ^ 0x686f74706c7567ull);
            count--;
        }
    }
    return 0;
}

int sim_hotplug_mem(struct sim_machine *m, uint64_t size)
{
    if (!m || size == 0 || (size % SIM_PAGE_SIZE) ||
        size > SIM_MAX_MEMORY - m->mem_size) {
        return -1;
    }
    if (grow_top(m, m->mem_size + size) != 0) {
        return -1;
    }
    m->mem_size += size;
    return 0;
}

/* ---- clock and random ------------------------------------------------- */

uint64_t sim_clock_ns(const struct sim_machine *m)
{
    return m ? m->clock_ns : 0;
}

void sim_advance(struct sim_machine *m, uint64_t ns)
{
    if (m) {
        m->clock_ns += ns;
    }
}

uint64_t sim_random(struct sim_machine *m)
{
    return m ? xoshiro_next(m->rng) : 0;
}

enum sim_arch sim_arch(const struct sim_machine *m)
{
    return m ? m->arch : 0;
}

/* ---- host ops --------------------------------------------------------- */

static int h_read(void *o, uint64_t addr, void *buf, uint64_t len)
{
    return sim_mem_read(o, addr, buf, len);
}

static int h_write(void *o, uint64_t addr, const void *buf, uint64_t len)
{
    return sim_mem_write(o, addr, buf, len);
}

static uint64_t h_size(void *o)
{
    return sim_mem_size(o);
}

static unsigned h_count(void *o)
{
    return sim_cpu_slots(o);
}

static int h_cpu_get(void *o, unsigned cpu, void *regs, size_t size)
{
    struct sim_machine *m = o;
    if (!regs || cpu >= m->slots) {
        return -1;
    }
    if (m->arch == SIM_S390X && size == sizeof(struct db_s390_cpu)) {
        memcpy(regs, &m->cpus[cpu].s390, size);
        return 0;
    }
    if (m->arch == SIM_PPC64 && size == sizeof(struct db_ppc64_cpu)) {
        memcpy(regs, &m->cpus[cpu].ppc64, size);
        return 0;
    }
    return -1;
}

static int h_cpu_set(void *o, unsigned cpu, const void *regs, size_t size)
{
    struct sim_machine *m = o;
    if (!regs || cpu >= m->slots) {
        return -1;
    }
    if (m->arch == SIM_S390X && size == sizeof(struct db_s390_cpu)) {
        memcpy(&m->cpus[cpu].s390, regs, size);
        return 0;
    }
    if (m->arch == SIM_PPC64 && size == sizeof(struct db_ppc64_cpu)) {
        memcpy(&m->cpus[cpu].ppc64, regs, size);
        return 0;
    }
    return -1;
}

static uint64_t h_clock(void *o)
{
    return sim_clock_ns(o);
}

static const struct db_host_ops sim_host_ops = {
    .mem_read = h_read,
    .mem_write = h_write,
    .mem_size = h_size,
    .cpu_count = h_count,
    .cpu_get = h_cpu_get,
    .cpu_set = h_cpu_set,
    .clock_ns = h_clock,
};

const struct db_host *sim_host(struct sim_machine *m)
{
    return m ? &m->host : NULL;
}

/* ---- lifetime --------------------------------------------------------- */

struct sim_machine *sim_new(const struct sim_config *cfg, char *errbuf, size_t errlen)
{
    const char *why = NULL;
    if (!cfg) {
        why = "no config";
    } else if (cfg->arch != SIM_S390X && cfg->arch != SIM_PPC64) {
        why = "unknown architecture";
    } else if (cfg->memory == 0 || cfg->memory % SIM_PAGE_SIZE) {
        why = "memory size must be a non-zero multiple of 4096";
    } else if (cfg->memory > SIM_MAX_MEMORY) {
        why = "memory size too large";
    } else if (cfg->cpus == 0) {
        why = "at least one CPU required";
    } else if ((cfg->max_cpus ? cfg->max_cpus : cfg->cpus) < cfg->cpus) {
        why = "max_cpus below cpus";
    } else if ((cfg->max_cpus ? cfg->max_cpus : cfg->cpus) > SIM_MAX_CPUS) {
        why = "too many CPU slots";
    }
    if (why) {
        if (errbuf && errlen) {
            snprintf(errbuf, errlen, "sim_new: %s", why);
        }
        return NULL;
    }
    struct sim_machine *m = calloc(1, sizeof(*m));
    if (!m) {
        goto oom;
    }
    m->arch = cfg->arch;
    m->seed = cfg->seed;
    m->slots = cfg->max_cpus ? cfg->max_cpus : cfg->cpus;
    m->cpus = calloc(m->slots, sizeof(*m->cpus));
    if (!m->cpus || grow_top(m, cfg->memory) != 0) {
        sim_free(m);
        goto oom;
    }
    m->mem_size = cfg->memory;
    xoshiro_seed(m->rng, cfg->seed);
    for (unsigned i = 0; i < m->slots; i++) {
        cpu_init_slot(m, i, i < cfg->cpus);
        if (i < cfg->cpus) {
            sim_cpu_randomize(m, i, cfg->seed);
        }
    }
    m->host.ops = &sim_host_ops;
    m->host.opaque = m;
    return m;
oom:
    if (errbuf && errlen) {
        snprintf(errbuf, errlen, "sim_new: out of memory");
    }
    return NULL;
}

void sim_free(struct sim_machine *m)
{
    if (!m) {
        return;
    }
    for (size_t i = 0; i < m->ntop; i++) {
        if (m->top[i]) {
            for (unsigned j = 0; j < SIM_L2_PAGES; j++) {
                free(m->top[i][j]);
            }
            free(m->top[i]);
        }
    }
    free(m->top);
    free(m->cpus);
    free(m);
}

/* ---- additions -------------------------------------------------------- */

uint64_t sim_seed(const struct sim_machine *m)
{
    return m ? m->seed : 0;
}

struct sim_machine *sim_clone(const struct sim_machine *m, char *errbuf, size_t errlen)
{
    if (!m) {
        if (errbuf && errlen) {
            snprintf(errbuf, errlen, "sim_clone: no machine");
        }
        return NULL;
    }
    struct sim_machine *c = calloc(1, sizeof(*c));
    if (!c) {
        goto oom;
    }
    c->arch = m->arch;
    c->seed = m->seed;
    c->slots = m->slots;
    c->clock_ns = m->clock_ns;
    memcpy(c->rng, m->rng, sizeof(c->rng));
    c->host.ops = &sim_host_ops;
    c->host.opaque = c;
    c->cpus = malloc(m->slots * sizeof(*c->cpus));
    if (!c->cpus || grow_top(c, m->mem_size) != 0) {
        sim_free(c);
        goto oom;
    }
    memcpy(c->cpus, m->cpus, m->slots * sizeof(*c->cpus));
    c->mem_size = m->mem_size;
    for (size_t i = 0; i < m->ntop; i++) {
        if (!m->top[i]) {
            continue;
        }
        for (unsigned j = 0; j < SIM_L2_PAGES; j++) {
            const uint8_t *src = m->top[i][j];
            if (!src) {
                continue;
            }
            uint8_t *dst = page_get_alloc(c, ((uint64_t)i << SIM_L2_SHIFT) | j);
            if (!dst) {
                sim_free(c);
                goto oom;
            }
            memcpy(dst, src, SIM_PAGE_SIZE);
        }
    }
    return c;
oom:
    if (errbuf && errlen) {
        snprintf(errbuf, errlen, "sim_clone: out of memory");
    }
    return NULL;
}

uint64_t sim_mem_next_page(const struct sim_machine *m, uint64_t from)
{
    if (!m) {
        return UINT64_MAX;
    }
    uint64_t pfn = (from + SIM_PAGE_SIZE - 1) >> SIM_PAGE_SHIFT;
    if (from > UINT64_MAX - SIM_PAGE_SIZE) {
        return UINT64_MAX;
    }
    uint64_t end = m->mem_size >> SIM_PAGE_SHIFT;
    while (pfn < end) {
        uint64_t i = pfn >> SIM_L2_SHIFT;
        if (!m->top[i]) {
            pfn = (i + 1) << SIM_L2_SHIFT;
            continue;
        }
        if (m->top[i][pfn & (SIM_L2_PAGES - 1)]) {
            return pfn << SIM_PAGE_SHIFT;
        }
        pfn++;
    }
    return UINT64_MAX;
}
