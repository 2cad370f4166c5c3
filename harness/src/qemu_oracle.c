/*
 * x86_64 kdump oracles over files:
 *  - every page the vmcore holds outside the crashkernel region equals the
 *    truth snapshot (pmemsave at the machine_kexec breakpoint), except a
 *    bounded number of pages, each listed with an attribution;
 *  - planted pattern pages equal the regenerated pattern in both the truth
 *    and the vmcore (no exemption);
 *  - required ranges (hotplugged memory after a reload) are in the vmcore,
 *    absent ranges are counted;
 *  - one NT_PRSTATUS per online CPU and a VMCOREINFO note.
 */
#include <harness/qemu.h>

#include "qemu_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* __START_KERNEL_map (lx61:arch/x86/include/asm/page_64_types.h) */
#define START_KERNEL_MAP 0xffffffff80000000ull

uint64_t qemu_pattern_word(uint64_t seed, uint64_t page, unsigned j)
{
    /* splitmix64 finaliser, as in sim/guest/x86_64/plant.c */
    uint64_t z = seed + ((page << 9) | j) * 0xd1342543de82ef95ull;
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void qemu_pattern_page(uint64_t seed, uint64_t page, uint8_t out[4096])
{
    for (unsigned j = 0; j < QPAGE / 8; j++) {
        uint64_t w = qemu_pattern_word(seed, page, j);
        for (unsigned b = 0; b < 8; b++)
            out[j * 8 + b] = (uint8_t)(w >> (8 * b));
    }
}

struct memmap {
    uint64_t paddr, size;
    const uint8_t *map;
    size_t maplen;
};

static const uint8_t *truth_page(const struct memmap *m, size_t n, uint64_t pa)
{
    for (size_t i = 0; i < n; i++)
        if (pa >= m[i].paddr && pa - m[i].paddr < m[i].size &&
            m[i].size - (pa - m[i].paddr) >= QPAGE)
            return m[i].map + (pa - m[i].paddr);
    return NULL;
}

static const struct qemu_range *range_at(const struct qemu_oracle_in *in,
                                         enum qemu_range_kind kind, uint64_t pa)
{
    for (size_t i = 0; i < in->nranges; i++)
        if (in->ranges[i].kind == kind && pa >= in->ranges[i].start &&
            pa < in->ranges[i].end)
            return &in->ranges[i];
    return NULL;
}

static int is_planted(const struct qemu_oracle_in *in, uint64_t pa)
{
    for (size_t i = 0; i < in->nplant; i++)
        if (in->plant_pfn[i] * QPAGE == pa)
            return 1;
    return 0;
}

static uint64_t vmcoreinfo_num(const char *text, const char *key, uint64_t dflt)
{
    if (!text)
        return dflt;
    const char *p = strstr(text, key);
    if (!p)
        return dflt;
    return strtoull(p + strlen(key), NULL, 0);
}

static void attribute(const struct qemu_oracle_in *in, const struct qkallsyms *ks,
                      uint64_t phys_base, uint64_t pa, size_t off, char *why, size_t len)
{
    const struct qemu_range *r = range_at(in, QEMU_RANGE_KNOWN, pa);
    if (r) {
        snprintf(why, len, "%s", r->why);
        return;
    }
    if (pa >= 0xb8000 && pa < 0xc0000) {
        snprintf(why, len, "VGA text buffer (written by the firmware console)");
        return;
    }
    if (pa < 0x100000) {
        snprintf(why, len, "low 1 MiB: real-mode/trampoline area used while the capture kernel boots");
        return;
    }
    if (ks && ks->n) {
        const struct qsym *t = qkallsyms_find(ks, "_text");
        const struct qsym *e = qkallsyms_find(ks, "_end");
        uint64_t va = pa + START_KERNEL_MAP - phys_base;
        if (t && e && va >= (t->addr & ~(uint64_t)(QPAGE - 1)) && va < e->addr) {
            /* the symbol holding the first differing byte */
            const struct qsym *s = qkallsyms_lookup(ks, va + off);
            if (s) {
                snprintf(why, len, "kernel image: %s+0x%llx",
                         s->name, (unsigned long long)(va + off - s->addr));
                return;
            }
        }
    }
    snprintf(why, len, "direct-mapped page (no symbol)");
}

static size_t first_diff(const uint8_t *a, const uint8_t *b)
{
    size_t off = 0;
    while (off < QPAGE && a[off] == b[off])
        off++;
    return off;
}

static void unmap_all(struct memmap *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (m[i].map)
            munmap((void *)m[i].map, m[i].maplen);
}

int qemu_oracle_compare(const struct qemu_oracle_in *in,
                        struct qemu_oracle_out *out,
                        char *errbuf, size_t errlen)
{
    memset(out, 0, sizeof *out);
    struct qelf e;
    if (qelf_open(&e, in->vmcore, errbuf, errlen) != 0)
        return -1;
    struct memmap *mm = calloc(in->nmem ? in->nmem : 1, sizeof *mm);
    if (!mm) {
        qelf_close(&e);
        snprintf(errbuf, errlen, "out of memory");
        return -1;
    }
    int rc = -1;
    for (size_t i = 0; i < in->nmem; i++) {
        int fd = open(in->mem[i].path, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0 || (uint64_t)st.st_size < in->mem[i].size ||
            in->mem[i].size == 0) {
            snprintf(errbuf, errlen, "%s: %s", in->mem[i].path,
                     fd < 0 ? strerror(errno) : "shorter than the snapshot size");
            if (fd >= 0)
                close(fd);
            goto out;
        }
        void *m = mmap(NULL, (size_t)in->mem[i].size, PROT_READ, MAP_PRIVATE, fd, 0);
        close(fd);
        if (m == MAP_FAILED) {
            snprintf(errbuf, errlen, "%s: mmap: %s", in->mem[i].path, strerror(errno));
            goto out;
        }
        mm[i].paddr = in->mem[i].paddr;
        mm[i].size = in->mem[i].size;
        mm[i].map = m;
        mm[i].maplen = (size_t)in->mem[i].size;
    }

    struct qelf post;
    int post_ok = 0;
    if (in->post_elf) {
        if (qelf_open(&post, in->post_elf, errbuf, errlen) != 0)
            goto out;
        post_ok = 1;
    }
    struct qkallsyms ks = { 0, NULL };
    if (in->kallsyms)
        qkallsyms_load(&ks, in->kallsyms);
    uint64_t phys_base = vmcoreinfo_num(e.vmcoreinfo_text, "NUMBER(phys_base)=", 0);

    out->prstatus = e.prstatus;
    out->vmcoreinfo = e.vmcoreinfo;

    /* Visit each physical page the vmcore holds once (PT_LOADs may overlap:
     * kexec-tools adds a kernel-text segment inside System RAM). */
    for (size_t li = 0; li < e.nload; li++) {
        const struct qelf_load *l = &e.loads[li];
        uint64_t first = (l->paddr + QPAGE - 1) & ~(uint64_t)(QPAGE - 1);
        for (uint64_t pa = first; pa + QPAGE <= l->paddr + l->filesz; pa += QPAGE) {
            if (qelf_page(&e, pa) != e.map + l->off + (pa - l->paddr))
                continue;       /* an earlier PT_LOAD already holds it */
            if (pa >= in->crash_start && pa < in->crash_end)
                continue;
            const uint8_t *v = e.map + l->off + (pa - l->paddr);
            const uint8_t *t = truth_page(mm, in->nmem, pa);
            if (!t) {
                out->pages_missing++;
                continue;
            }
            out->pages_compared++;
            const uint8_t *p = post_ok ? qelf_page(&post, pa) : NULL;
            int post_same = 1;
            if (p) {
                out->post_compared++;
                if (memcmp(v, p, QPAGE) != 0) {
                    post_same = 0;
                    out->post_differ++;
                    if (pa >= 0x100000 && !out->fail[0])
                        snprintf(out->fail, sizeof out->fail,
                                 "page 0x%llx: vmcore differs from the post-capture dump-guest-memory at byte 0x%zx",
                                 (unsigned long long)pa, first_diff(v, p));
                }
            }
            if (memcmp(v, t, QPAGE) == 0)
                continue;
            out->pages_differ++;
            size_t off = first_diff(v, t);
            struct qemu_oracle_diff *d = NULL;
            if (out->ndiff < sizeof out->diff / sizeof out->diff[0]) {
                d = &out->diff[out->ndiff++];
                d->paddr = pa;
                attribute(in, &ks, phys_base, pa, off, d->why, sizeof d->why);
            }
            if (d) {
                size_t wl = strlen(d->why);
                snprintf(d->why + wl, sizeof d->why - wl, "%s",
                         pa < 0x100000 ? "; low memory" :
                         p && post_same ? "; changed after the breakpoint, equals the post-capture dump" :
                         "; UNEXPLAINED");
            }
            if (out->fail[0])
                continue;
            if (is_planted(in, pa))
                snprintf(out->fail, sizeof out->fail,
                         "planted page 0x%llx differs from the truth snapshot at byte 0x%zx (no exemption for planted pages)",
                         (unsigned long long)pa, off);
            else if (pa >= 0x100000 && !(p && post_same))
                snprintf(out->fail, sizeof out->fail,
                         "page 0x%llx differs from the truth snapshot at byte 0x%zx and %s",
                         (unsigned long long)pa, off,
                         p ? "from the post-capture dump" : "no post-capture dump explains it");
            else if (out->pages_differ > in->max_differ)
                snprintf(out->fail, sizeof out->fail,
                         "page 0x%llx differs from the truth snapshot: %llu differing pages exceed the bound %llu",
                         (unsigned long long)pa, (unsigned long long)out->pages_differ,
                         (unsigned long long)in->max_differ);
        }
    }

    /* planted pages against the regenerated pattern */
    uint8_t pat[QPAGE];
    for (size_t i = 0; i < in->nplant; i++) {
        uint64_t pa = in->plant_pfn[i] * QPAGE;
        const uint8_t *v = qelf_page(&e, pa);
        const uint8_t *t = truth_page(mm, in->nmem, pa);
        qemu_pattern_page(in->plant_seed, i, pat);
        out->plant_checked++;
        if (out->fail[0])
            continue;
        if (!v)
            snprintf(out->fail, sizeof out->fail, "planted page %zu (0x%llx) is not in the vmcore",
                     i, (unsigned long long)pa);
        else if (memcmp(v, pat, QPAGE) != 0)
            snprintf(out->fail, sizeof out->fail,
                     "planted page %zu (0x%llx) in the vmcore does not hold the seeded pattern",
                     i, (unsigned long long)pa);
        else if (t && memcmp(t, pat, QPAGE) != 0)
            snprintf(out->fail, sizeof out->fail,
                     "planted page %zu (0x%llx) in the truth snapshot does not hold the seeded pattern",
                     i, (unsigned long long)pa);
    }

    for (size_t i = 0; i < in->nranges; i++) {
        const struct qemu_range *r = &in->ranges[i];
        if (r->kind != QEMU_RANGE_REQUIRED && r->kind != QEMU_RANGE_ABSENT)
            continue;
        for (uint64_t pa = r->start; pa + QPAGE <= r->end; pa += QPAGE) {
            if (qelf_page(&e, pa))
                continue;
            if (r->kind == QEMU_RANGE_ABSENT) {
                out->pages_absent++;
            } else if (!out->fail[0]) {
                snprintf(out->fail, sizeof out->fail,
                         "page 0x%llx of %s is not in the vmcore", (unsigned long long)pa, r->why);
            }
        }
    }

    if (!out->fail[0] && in->expect_cpus && out->prstatus != in->expect_cpus)
        snprintf(out->fail, sizeof out->fail,
                 "%u NT_PRSTATUS notes in the vmcore, %u CPUs were online at the crash",
                 out->prstatus, in->expect_cpus);
    if (!out->fail[0] && !out->vmcoreinfo)
        snprintf(out->fail, sizeof out->fail, "no VMCOREINFO note in the vmcore");
    if (!out->fail[0] && out->pages_compared == 0)
        snprintf(out->fail, sizeof out->fail, "no vmcore page overlaps the truth snapshot");
    qkallsyms_free(&ks);
    if (post_ok)
        qelf_close(&post);
    rc = 0;
out:
    unmap_all(mm, in->nmem);
    free(mm);
    qelf_close(&e);
    return rc;
}
