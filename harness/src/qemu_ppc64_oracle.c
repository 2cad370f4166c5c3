/*
 * ppc64 fadump oracles over files (no QEMU needed, unit-tested in
 * harness/tests/test_ppc64_oracle.c):
 *
 *  - the DBPPC64T truth snapshot the patched QEMU writes at ibm,os-term
 *    (layout: sim/qemu/README-ppc64.md "Truth snapshot"; writer
 *    sim/qemu/files/hw/ppc/dumpbench-host.c dumpbench_truth_write_ppc64);
 *  - every page of the ELF /proc/vmcore copy against the truth RAM, with the
 *    truth pages the vmcore lacks attributed to named ranges (the reserved
 *    destination area) or reported;
 *  - every NT_PRSTATUS note against the truth registers (port of
 *    sim/guest/ppc64/check-notes.py);
 *  - the kernel's printk ring found through VMCOREINFO contains a text;
 *  - makedumpfile --dump-dmesg (a command, run with a timeout) writes a
 *    log that contains the same text.
 *
 * Truth header (big-endian): 0x00 magic "DBPPC64T", 0x08 version 1, 0x0C
 * header size 64, 0x10 CPU records, 0x14 record size (>= 376), 0x18 os-term
 * caller cpu_index, 0x1C flags, 0x20 RAM file offset (4 KiB aligned), 0x28
 * RAM size, 0x30 clock, 0x38 reserved.  Record: 47 big-endian u64 (see
 * PPC64_TW_* in qemu_internal.h).
 *
 * vmcore notes: Elf64_Nhdr (12 bytes) + "CORE\0" padded to 8 + the ppc64
 * struct elf_prstatus (504 bytes), pr_reg at +112: 48 little-endian u64 in
 * struct pt_regs order (lx61:arch/powerpc/include/uapi/asm/ptrace.h:
 * gpr[32], nip 32, msr 33, orig_gpr3 34, ctr 35, link 36, xer 37, ccr 38,
 * softe 39, trap 40, dar 41, dsisr 42, result 43); ELF_NGREG 48
 * (lx61:arch/powerpc/include/uapi/asm/elf.h:93).
 */
#include "qemu_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TRUTH_HDR 64u
#define PR_REG_OFF 112u
#define PRSTATUS_MIN (PR_REG_OFF + 48u * 8u)
#define PPC64_PAGE_OFFSET 0xc000000000000000ull  /* lx61:arch/powerpc/include/asm/page.h */

static uint64_t be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- truth snapshot ------------------------------------------------------ */

int ppc64_truth_open(struct ppc64_truth *t, const char *path, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    t->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (t->fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(t->fd, &st) != 0 || st.st_size < (off_t)TRUTH_HDR) {
        snprintf(err, errlen, "%s: %lld bytes, shorter than the 64-byte DBPPC64T header",
                 path, (long long)st.st_size);
        goto fail;
    }
    t->size = (size_t)st.st_size;
    void *m = mmap(NULL, t->size, PROT_READ, MAP_PRIVATE, t->fd, 0);
    if (m == MAP_FAILED) {
        snprintf(err, errlen, "%s: mmap: %s", path, strerror(errno));
        goto fail;
    }
    t->map = m;
    const uint8_t *h = t->map;
    if (memcmp(h, "DBPPC64T", 8) != 0) {
        snprintf(err, errlen, "%s: magic is not DBPPC64T", path);
        goto fail;
    }
    uint32_t ver = be32(h + 8), hsz = be32(h + 12);
    t->ncpu = be32(h + 16);
    t->recsize = be32(h + 20);
    t->caller = be32(h + 24);
    t->ram_off = be64(h + 32);
    t->ram_size = be64(h + 40);
    t->clock_ns = be64(h + 48);
    if (ver != 1 || hsz != TRUTH_HDR) {
        snprintf(err, errlen, "%s: version %u header size %u (want 1, 64)", path, ver, hsz);
        goto fail;
    }
    if (t->recsize < PPC64_TW_COUNT * 8u || t->recsize % 8 || t->recsize > 4096) {
        snprintf(err, errlen, "%s: field cpu record size = %u (want a multiple of 8, >= %u)",
                 path, t->recsize, PPC64_TW_COUNT * 8u);
        goto fail;
    }
    if (t->ncpu == 0 || t->ncpu > PPC64_TRUTH_MAX_CPUS) {
        snprintf(err, errlen, "%s: field cpu count = %u (want 1..%u)", path, t->ncpu,
                 PPC64_TRUTH_MAX_CPUS);
        goto fail;
    }
    if ((uint64_t)TRUTH_HDR + (uint64_t)t->ncpu * t->recsize > t->size) {
        snprintf(err, errlen, "%s: %u cpu records of %u bytes run past the end (%zu bytes): truncated",
                 path, t->ncpu, t->recsize, t->size);
        goto fail;
    }
    if (t->ram_off % QPAGE || t->ram_off < TRUTH_HDR + (uint64_t)t->ncpu * t->recsize ||
        t->ram_size % QPAGE || t->ram_off > t->size || t->ram_size > t->size - t->ram_off) {
        snprintf(err, errlen, "%s: RAM image [0x%" PRIx64 ", +0x%" PRIx64 ") is misaligned, overlaps "
                 "the records or runs past the end (%zu bytes): truncated or corrupt",
                 path, t->ram_off, t->ram_size, t->size);
        goto fail;
    }
    t->cpus = calloc(t->ncpu, sizeof *t->cpus);
    if (!t->cpus) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    for (uint32_t i = 0; i < t->ncpu; i++)
        for (unsigned w = 0; w < PPC64_TW_COUNT; w++)
            t->cpus[i].w[w] = be64(h + TRUTH_HDR + (uint64_t)i * t->recsize + w * 8u);
    return 0;
fail:
    ppc64_truth_close(t);
    return -1;
}

void ppc64_truth_close(struct ppc64_truth *t)
{
    if (t->map)
        munmap((void *)t->map, t->size);
    if (t->fd >= 0)
        close(t->fd);
    free(t->cpus);
    memset(t, 0, sizeof *t);
    t->fd = -1;
}

const uint8_t *ppc64_truth_page(const struct ppc64_truth *t, uint64_t paddr)
{
    if (paddr % QPAGE || paddr >= t->ram_size)
        return NULL;
    return t->map + t->ram_off + paddr;
}

/* ---- vmcore notes -------------------------------------------------------- */

struct note_cb {
    struct ppc64_oracle_out *o;
    uint64_t (*regs)[48];
    size_t nregs, cap;
};

static void walk_notes(const uint8_t *base, uint64_t len, struct note_cb *cb)
{
    uint64_t pos = 0;
    while (len - pos >= 12) {
        const uint8_t *n = base + pos;
        uint32_t namesz = le32(n), descsz = le32(n + 4), type = le32(n + 8);
        if (namesz == 0 && descsz == 0)
            break;
        uint64_t nalign = ((uint64_t)namesz + 3) & ~3ull;
        uint64_t dalign = ((uint64_t)descsz + 3) & ~3ull;
        if (nalign > len - pos - 12 || dalign > len - pos - 12 - nalign)
            break;
        if (namesz == 5 && memcmp(n + 12, "CORE", 5) == 0 && type == 1) {
            cb->o->prstatus++;
            if (descsz >= PRSTATUS_MIN && cb->nregs < cb->cap) {
                const uint8_t *d = n + 12 + nalign + PR_REG_OFF;
                for (int k = 0; k < 48; k++)
                    cb->regs[cb->nregs][k] = le64(d + 8 * k);
                cb->nregs++;
            }
        }
        pos += 12 + nalign + dalign;
    }
}

/* pt_regs slot for each truth word compared (check-notes.py SLOTS). */
static const struct { unsigned tw, slot; const char *name; } reg_map[] = {
    { PPC64_TW_NIA, 32, "nip" }, { PPC64_TW_MSR, 33, "msr" }, { PPC64_TW_CTR, 35, "ctr" },
    { PPC64_TW_LR, 36, "link" }, { PPC64_TW_XER, 37, "xer" }, { PPC64_TW_CR, 38, "ccr" },
    { PPC64_TW_DAR, 41, "dar" }, { PPC64_TW_DSISR, 42, "dsisr" },
};
#define NREG_MAP (sizeof reg_map / sizeof reg_map[0])

/* Number of compared registers that differ between note r and truth c;
 * first differing one named in why. */
static unsigned reg_diff(const uint64_t r[48], const struct ppc64_truth_cpu *c,
                         char *why, size_t len)
{
    unsigned d = 0;
    for (unsigned i = 0; i < 32; i++)
        if (r[i] != c->w[PPC64_TW_GPR0 + i] && d++ == 0 && why)
            snprintf(why, len, "gpr%u 0x%" PRIx64 " != truth 0x%" PRIx64, i, r[i],
                     c->w[PPC64_TW_GPR0 + i]);
    for (unsigned i = 0; i < NREG_MAP; i++)
        if (r[reg_map[i].slot] != c->w[reg_map[i].tw] && d++ == 0 && why)
            snprintf(why, len, "%s 0x%" PRIx64 " != truth 0x%" PRIx64, reg_map[i].name,
                     r[reg_map[i].slot], c->w[reg_map[i].tw]);
    return d;
}

/* ---- dmesg ring via VMCOREINFO ------------------------------------------ */

static int vi_num(const char *vi, const char *key, int hex, uint64_t *out)
{
    const char *p = vi;
    size_t kl = strlen(key);
    while ((p = strstr(p, key)) != NULL) {
        if ((p == vi || p[-1] == '\n') && p[kl] == '=') {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(p + kl + 1, &end, hex ? 16 : 10);
            if (errno || end == p + kl + 1)
                return -1;
            *out = v;
            return 0;
        }
        p += kl;
    }
    return -1;
}

static int read_pa(const struct qelf *e, uint64_t pa, uint8_t *out, uint64_t len)
{
    while (len) {
        uint64_t pg = pa & ~(uint64_t)(QPAGE - 1), in = pa - pg;
        uint64_t n = QPAGE - in < len ? QPAGE - in : len;
        const uint8_t *p = qelf_page(e, pg);
        if (!p)
            return -1;
        memcpy(out, p + in, n);
        out += n;
        pa += n;
        len -= n;
    }
    return 0;
}

static int va2pa(uint64_t va, uint64_t *pa)
{
    if (va < PPC64_PAGE_OFFSET)
        return -1;
    *pa = va - PPC64_PAGE_OFFSET;
    return 0;
}

int ppc64_dmesg_ring(const struct qelf *e, uint8_t **ring, size_t *len,
                     char *err, size_t errlen)
{
    const char *vi = e->vmcoreinfo_text;
    uint64_t prb, o_tdr, o_bits, o_data;
    if (!vi) {
        snprintf(err, errlen, "no VMCOREINFO note");
        return -1;
    }
    if (vi_num(vi, "SYMBOL(prb)", 1, &prb) || vi_num(vi, "OFFSET(printk_ringbuffer.text_data_ring)", 0, &o_tdr) ||
        vi_num(vi, "OFFSET(prb_data_ring.size_bits)", 0, &o_bits) ||
        vi_num(vi, "OFFSET(prb_data_ring.data)", 0, &o_data)) {
        snprintf(err, errlen, "VMCOREINFO lacks SYMBOL(prb) or the prb_data_ring offsets");
        return -1;
    }
    uint8_t b[8];
    uint64_t pa, rb, data;
    if (va2pa(prb, &pa) || read_pa(e, pa, b, 8) || va2pa(le64(b), &rb)) {
        snprintf(err, errlen, "prb (0x%" PRIx64 ") not readable in the vmcore", prb);
        return -1;
    }
    uint8_t b4[4];
    if (read_pa(e, rb + o_tdr + o_bits, b4, 4) || read_pa(e, rb + o_tdr + o_data, b, 8)) {
        snprintf(err, errlen, "printk ring header at pa 0x%" PRIx64 " not in the vmcore", rb);
        return -1;
    }
    uint32_t bits = le32(b4);
    if (bits < 8 || bits > 28 || va2pa(le64(b), &data)) {
        snprintf(err, errlen, "printk text ring: size_bits %u data 0x%" PRIx64 " implausible",
                 bits, le64(b));
        return -1;
    }
    *len = (size_t)1 << bits;
    *ring = malloc(*len);
    if (!*ring || read_pa(e, data, *ring, *len)) {
        free(*ring);
        *ring = NULL;
        snprintf(err, errlen, "printk text ring [pa 0x%" PRIx64 ", +%zu) not in the vmcore", data, *len);
        return -1;
    }
    return 0;
}

static bool mem_has(const uint8_t *h, size_t hl, const char *needle)
{
    size_t nl = strlen(needle);
    if (!nl || nl > hl)
        return nl == 0;
    for (size_t i = 0; i + nl <= hl; i++)
        if (h[i] == (uint8_t)needle[0] && memcmp(h + i, needle, nl) == 0)
            return true;
    return false;
}

/* ---- the oracle ---------------------------------------------------------- */

/*
 * The hypervisor's own write after the snapshot: QEMU increments the VPA
 * dispatch counter (big-endian u32 at lppaca + 0x100, VPA_DISPATCH_COUNTER,
 * q72:include/hw/ppc/spapr.h:712) of a vCPU each time it enters or leaves
 * the execution loop (q72:hw/ppc/spapr.c:4540-4575 spapr_cpu_exec_enter/
 * exit), i.e. also when the vCPUs are paused after the truth snapshot.  The
 * lppaca is 0x400-aligned (lx61:arch/powerpc/include/asm/lppaca.h).  True
 * when the pages differ only in such a word and the vmcore's value is the
 * truth's plus 1..16.
 */
bool ppc64_vpa_counter_only(const uint8_t *vp, const uint8_t *tp)
{
    size_t first = QPAGE, last = 0;
    for (size_t k = 0; k < QPAGE; k++)
        if (vp[k] != tp[k]) {
            if (first == QPAGE)
                first = k;
            last = k;
        }
    size_t w = first & ~(size_t)3;
    if (first == QPAGE || last > w + 3 || w % 0x400 != 0x100)
        return false;
    uint32_t d = be32(vp + w) - be32(tp + w);
    return d >= 1 && d <= 16;
}

static bool in_ranges(const struct ppc64_oracle_in *in, uint64_t a, const char **why)
{
    for (size_t i = 0; i < in->nexempt; i++)
        if (a >= in->exempt[i].start && a < in->exempt[i].end) {
            *why = in->exempt[i].why;
            return true;
        }
    return false;
}

static void add_absent(struct ppc64_oracle_out *o, uint64_t s, uint64_t e, const char *why)
{
    if (o->nabsent && o->absent[o->nabsent - 1].end == s &&
        strcmp(o->absent[o->nabsent - 1].why, why) == 0) {
        o->absent[o->nabsent - 1].end = e;
        return;
    }
    if (o->nabsent < sizeof o->absent / sizeof o->absent[0]) {
        o->absent[o->nabsent].start = s;
        o->absent[o->nabsent].end = e;
        snprintf(o->absent[o->nabsent].why, sizeof o->absent[0].why, "%s", why);
        o->nabsent++;
    }
}

int ppc64_oracle_compare(const struct ppc64_oracle_in *in, struct ppc64_oracle_out *o,
                         char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    struct qelf e;
    struct ppc64_truth t;
    if (qelf_open(&e, in->vmcore, err, errlen) != 0)
        return -1;
    if (ppc64_truth_open(&t, in->truth, err, errlen) != 0) {
        qelf_close(&e);
        return -1;
    }
    /* extra sources (hot-plugged DIMMs, outside the truth's RAM) */
    struct { int fd; const uint8_t *map; uint64_t size; } x[PPC64_MAX_EXTRA];
    for (size_t i = 0; i < PPC64_MAX_EXTRA; i++) {
        x[i].fd = -1;
        x[i].map = NULL;
        x[i].size = 0;
    }
    int rc = 0;
    for (size_t i = 0; i < in->nextra && i < PPC64_MAX_EXTRA; i++) {
        x[i].fd = open(in->extra[i].path, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (x[i].fd < 0 || fstat(x[i].fd, &st) != 0 || (uint64_t)st.st_size < in->extra[i].size) {
            snprintf(err, errlen, "%s: missing or shorter than 0x%" PRIx64, in->extra[i].path,
                     in->extra[i].size);
            rc = -1;
            continue;
        }
        void *m = mmap(NULL, in->extra[i].size, PROT_READ, MAP_PRIVATE, x[i].fd, 0);
        if (m == MAP_FAILED) {
            snprintf(err, errlen, "%s: mmap: %s", in->extra[i].path, strerror(errno));
            rc = -1;
            continue;
        }
        x[i].map = m;
        x[i].size = in->extra[i].size;
    }
    uint8_t *seen = rc == 0 ? calloc(t.ram_size / QPAGE / 8 + 1, 1) : NULL;
    if (rc == 0 && !seen) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
    /* 1. every vmcore page */
    for (size_t li = 0; rc == 0 && li < e.nload; li++) {
        const struct qelf_load *l = &e.loads[li];
        for (uint64_t pa = (l->paddr + QPAGE - 1) & ~(uint64_t)(QPAGE - 1);
             pa + QPAGE <= l->paddr + l->filesz; pa += QPAGE) {
            const uint8_t *vp = e.map + l->off + (pa - l->paddr), *tp = ppc64_truth_page(&t, pa);
            const char *src = "truth snapshot";
            if (!tp) {
                for (size_t i = 0; i < in->nextra && !tp; i++)
                    if (x[i].map && pa >= in->extra[i].paddr && pa - in->extra[i].paddr < x[i].size) {
                        tp = x[i].map + (pa - in->extra[i].paddr);
                        src = in->extra[i].what;
                    }
                if (!tp) {
                    o->pages_extra++;
                    continue;
                }
                o->extra_compared++;
            } else {
                seen[pa / QPAGE / 8] |= (uint8_t)(1u << (pa / QPAGE % 8));
            }
            o->pages_compared++;
            if (memcmp(vp, tp, QPAGE) == 0)
                continue;
            const char *why;
            if (in_ranges(in, pa, &why)) {
                o->pages_exempt_differ++;
                continue;
            }
            if (in->allow_vpa_counter && o->vpa_pages < t.ncpu && ppc64_vpa_counter_only(vp, tp)) {
                o->pages_exempt_differ++;
                o->vpa_pages++;
                if (o->nvpa < sizeof o->vpa / sizeof o->vpa[0])
                    o->vpa[o->nvpa++] = pa;
                continue;
            }
            if (o->pages_differ++ == 0) {
                size_t k = 0;
                while (vp[k] == tp[k])
                    k++;
                snprintf(o->fail, sizeof o->fail, "page 0x%" PRIx64 " differs from the %s "
                         "(first at byte 0x%zx: vmcore 0x%02x, truth 0x%02x)", pa, src, k, vp[k], tp[k]);
            }
            if (o->ndiff < sizeof o->diff / sizeof o->diff[0])
                o->diff[o->ndiff++] = pa;
        }
    }
    /* 2. every truth page the vmcore lacks: attributed or missing */
    for (uint64_t pa = 0; rc == 0 && pa < t.ram_size; pa += QPAGE) {
        if (seen[pa / QPAGE / 8] & (1u << (pa / QPAGE % 8)))
            continue;
        const char *why;
        if (in_ranges(in, pa, &why)) {
            o->pages_absent++;
            add_absent(o, pa, pa + QPAGE, why);
            continue;
        }
        if (o->pages_missing++ == 0 && !o->fail[0])
            snprintf(o->fail, sizeof o->fail, "RAM page 0x%" PRIx64 " (truth snapshot) is not in the "
                     "vmcore and not in a named exemption", pa);
        add_absent(o, pa, pa + QPAGE, "MISSING (no exemption)");
    }
    /* 3. registers */
    if (rc == 0) {
        uint64_t (*regs)[48] = calloc(PPC64_TRUTH_MAX_CPUS, sizeof *regs);
        struct note_cb cb = { o, regs, 0, regs ? PPC64_TRUTH_MAX_CPUS : 0 };
        const uint8_t *h = e.map;
        uint64_t phoff = le64(h + 32);
        unsigned phnum = (unsigned)(h[56] | h[57] << 8);
        for (unsigned i = 0; i < phnum; i++) {
            const uint8_t *ph = h + phoff + (uint64_t)i * 56;
            if (le32(ph) == 4)  /* PT_NOTE, bounds checked by qelf_open */
                walk_notes(e.map + le64(ph + 8), le64(ph + 32), &cb);
        }
        o->truth_cpus = t.ncpu;
        o->caller = t.caller;
        if (o->prstatus != t.ncpu && !o->fail[0])
            snprintf(o->fail, sizeof o->fail, "%u NT_PRSTATUS notes, the truth snapshot has %u online CPUs",
                     o->prstatus, t.ncpu);
        for (uint32_t c = 0; c < t.ncpu; c++) {
            const struct ppc64_truth_cpu *tc = &t.cpus[c];
            if (tc->w[PPC64_TW_CPU] == t.caller)
                continue;   /* its note is the kernel's fdh->regs (panic site) */
            size_t best = SIZE_MAX;
            unsigned bestd = ~0u;
            for (size_t n = 0; n < cb.nregs; n++) {
                unsigned d = reg_diff(cb.regs[n], tc, NULL, 0);
                if (d < bestd) {
                    bestd = d;
                    best = n;
                }
            }
            if (bestd == 0) {
                o->regs_compared += 32 + NREG_MAP;
                o->cpus_matched++;
                continue;
            }
            o->regs_differ++;
            if (!o->fail[0]) {
                char why[160] = "no NT_PRSTATUS note";
                if (best != SIZE_MAX)
                    reg_diff(cb.regs[best], tc, why, sizeof why);
                snprintf(o->fail, sizeof o->fail, "cpu %" PRIu64 ": no note equals the truth registers "
                         "(closest note: %s)", tc->w[PPC64_TW_CPU], why);
            }
        }
        free(regs);
        /* 4. dmesg ring */
        if (in->dmesg_text) {
            uint8_t *ring = NULL;
            size_t rl = 0;
            if (ppc64_dmesg_ring(&e, &ring, &rl, o->dmesg_why, sizeof o->dmesg_why) == 0) {
                o->dmesg_checked = 1;
                o->dmesg_found = mem_has(ring, rl, in->dmesg_text);
                snprintf(o->dmesg_why, sizeof o->dmesg_why, "printk text ring (%zu bytes) %s '%s'",
                         rl, o->dmesg_found ? "contains" : "lacks", in->dmesg_text);
                if (!o->dmesg_found && !o->fail[0])
                    snprintf(o->fail, sizeof o->fail, "dmesg in the vmcore lacks '%s'", in->dmesg_text);
            }
            free(ring);
        }
    }
    for (size_t i = 0; i < PPC64_MAX_EXTRA; i++) {
        if (x[i].map)
            munmap((void *)x[i].map, x[i].size);
        if (x[i].fd >= 0)
            close(x[i].fd);
    }
    free(seen);
    ppc64_truth_close(&t);
    qelf_close(&e);
    return rc;
}

/* ---- makedumpfile --dump-dmesg -------------------------------------------- */

/*
 * Debian's makedumpfile reads a vmcore of its own architecture only (the
 * arch code is chosen at compile time: makedumpfile.h #ifdef __powerpc64__),
 * so ci/real-ppc64 runs the ppc64el build under qemu-ppc64le-static from a
 * sysroot; `tool` is that command (sh words, DUMPBENCH_PPC64_MAKEDUMPFILE).
 * Run as `TOOL --dump-dmesg VMCORE OUT` (makedumpfile(8): the log buffer
 * found through VMCOREINFO; no vmlinux needed), stdout/stderr in OUT.log,
 * killed after timeout_s.  Returns PPC64_MDF_OK when it exited 0 and OUT
 * holds `want` (NULL: OUT is not empty), PPC64_MDF_SKIPPED when tool is
 * unset or sh could not execute it (exit 126/127), else PPC64_MDF_FAILED;
 * why says which (N lines, the exit code, the first line of OUT.log).
 */

static double mdf_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int ppc64_makedumpfile_dmesg(const char *tool, const char *vmcore, const char *out,
                             const char *want, int timeout_s, unsigned *nlines,
                             char *why, size_t wl)
{
    *nlines = 0;
    if (!tool || !*tool) {
        snprintf(why, wl, "DUMPBENCH_PPC64_MAKEDUMPFILE not set (Debian's makedumpfile:ppc64el under "
                 "qemu-ppc64le-static; ci/real-ppc64 prepares it)");
        return PPC64_MDF_SKIPPED;
    }
    char logp[1100], cmd[1200];
    snprintf(logp, sizeof logp, "%s.log", out);
    snprintf(cmd, sizeof cmd, "exec %s --dump-dmesg \"$0\" \"$1\"", tool);
    if (strlen(cmd) >= sizeof cmd - 1) {
        snprintf(why, wl, "DUMPBENCH_PPC64_MAKEDUMPFILE is too long (%zu bytes)", strlen(tool));
        return PPC64_MDF_FAILED;
    }
    unlink(out);    /* a stale OUT must not pass; makedumpfile writes it anew */
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(why, wl, "fork: %s", strerror(errno));
        return PPC64_MDF_FAILED;
    }
    if (pid == 0) {
        setpgid(0, 0);
        int fd = open(logp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0)
            dup2(nul, 0);
        execl("/bin/sh", "sh", "-c", cmd, vmcore, out, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    int st = 0;
    bool timed_out = false;
    double end = mdf_now() + timeout_s;
    while (waitpid(pid, &st, WNOHANG) == 0) {
        if (mdf_now() > end) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            timed_out = true;
            break;
        }
        usleep(50000);
    }
    char first[160] = "";
    FILE *lf = fopen(logp, "r");
    /* first non-empty line of the tool's messages, for the reason */
    while (lf && fgets(first, sizeof first, lf)) {
        first[strcspn(first, "\n")] = '\0';
        if (first[0])
            break;
    }
    if (lf)
        fclose(lf);
    if (timed_out) {
        snprintf(why, wl, "timed out after %d s (log %.300s)", timeout_s, logp);
        return PPC64_MDF_FAILED;
    }
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    if (code == 126 || code == 127) {
        snprintf(why, wl, "'%.200s' could not be executed (exit %d: %.120s)", tool, code, first);
        return PPC64_MDF_SKIPPED;
    }
    if (code != 0) {
        snprintf(why, wl, "exit %d: %.150s (log %.300s)", code, first, logp);
        return PPC64_MDF_FAILED;
    }
    FILE *f = fopen(out, "r");
    if (!f) {
        snprintf(why, wl, "exit 0 but no output file %.300s: %s", out, strerror(errno));
        return PPC64_MDF_FAILED;
    }
    /* lines of any length: count '\n', search `want` across fgets chunks by
     * keeping the tail of the previous chunk */
    size_t wn = want ? strlen(want) : 0;
    char buf[4096 + 512];
    size_t carry = 0, bytes = 0;
    bool found = false;
    unsigned n = 0;
    size_t got;
    while ((got = fread(buf + carry, 1, 4096, f)) > 0) {
        bytes += got;
        for (size_t i = carry; i < carry + got; i++)
            n += buf[i] == '\n';
        size_t have = carry + got;
        if (wn && !found && memmem(buf, have, want, wn))
            found = true;
        carry = wn > 1 && wn - 1 < 512 ? (have < wn - 1 ? have : wn - 1) : 0;
        memmove(buf, buf + have - carry, carry);
    }
    bool rerr = ferror(f);
    fclose(f);
    if (bytes && n == 0)
        n = 1;      /* one unterminated line */
    *nlines = n;
    if (rerr) {
        snprintf(why, wl, "cannot read %.300s", out);
        return PPC64_MDF_FAILED;
    }
    if (bytes == 0) {
        snprintf(why, wl, "exit 0 but %.300s is empty (%.150s)", out, first);
        return PPC64_MDF_FAILED;
    }
    if (wn && !found) {
        snprintf(why, wl, "%u lines, lacks '%.100s' (%.300s)", n, want, out);
        return PPC64_MDF_FAILED;
    }
    snprintf(why, wl, "%u lines%s%.100s%s", n, wn ? ", contain '" : "", wn ? want : "", wn ? "'" : "");
    return PPC64_MDF_OK;
}
