/*
 * ppc64 reference-agent oracle: the sim's fadump capture agent
 * (sim/src/ppc64_fadump_agent.c sim_fadump_capture, libsim, linked into
 * build/bin/dumpbench) runs on the SAME truth snapshot the patched QEMU wrote
 * at ibm,os-term: a sim machine gets the truth RAM (non-zero pages) and the
 * truth CPUs, the registered dump structure is the kernel's `fdm` (System.map
 * symbol, read from the truth RAM), and the agent follows the real kernel's
 * crash info header and ELF core header found in the reserved area of that
 * RAM (SIM_FADUMP_TRUTH: PT_LOAD data from the source addresses).  Its
 * df_dump is then compared with the real /proc/vmcore copy:
 *   - the PT_LOAD list (paddr, size) field by field;
 *   - every page of every reference chunk with the vmcore's page (the VPA
 *     dispatch counter page is named, see qemu_ppc64_oracle.c);
 *   - every reference CPU (the crashing one from the crash info header's
 *     pt_regs, i.e. the kernel's fdh->regs) with an NT_PRSTATUS note: GPRs,
 *     NIP, MSR, CTR, LR, XER, CCR, DAR, DSISR.
 * libsim is referenced weakly like sim_backend_run in backends.c, so
 * libharness (and its unit tests) link without it; then the oracle reports
 * itself SKIPPED.
 */
#include "qemu_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dumpfmt/dump.h>
#include <sim/fadump.h>
#include <sim/machine.h>

struct sim_machine *sim_new(const struct sim_config *cfg, char *errbuf, size_t errlen)
    __attribute__((weak));
void sim_free(struct sim_machine *m) __attribute__((weak));
int sim_mem_write(struct sim_machine *m, uint64_t addr, const void *buf, uint64_t len)
    __attribute__((weak));
struct db_ppc64_cpu *sim_ppc64_cpu(struct sim_machine *m, unsigned cpu) __attribute__((weak));
int sim_fadump_capture(struct sim_machine *m, const uint8_t *fdm, size_t fdm_len,
                       enum sim_fadump_source src, struct df_dump **out,
                       struct sim_fadump_capture_info *info) __attribute__((weak));

#define FDM_BYTES 160u      /* lx61:arch/powerpc/platforms/pseries/rtas-fadump.h: 40 + 3 x 40 */

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

static void field(struct ppc64_ref_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void field(struct ppc64_ref_out *o, const char *fmt, ...)
{
    o->fields_differ++;
    if (o->nfield >= sizeof o->field / sizeof o->field[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->field[o->nfield++], sizeof o->field[0], fmt, ap);
    va_end(ap);
}

/* The 42 compared registers of a reference CPU vs a note's pt_regs. */
static unsigned cpu_diff(const struct db_ppc64_cpu *c, const uint8_t *pr, char *why, size_t len)
{
    static const struct { unsigned slot; size_t off; const char *name; } m[] = {
        { 32, offsetof(struct db_ppc64_cpu, nia), "nip" },
        { 33, offsetof(struct db_ppc64_cpu, msr), "msr" },
        { 35, offsetof(struct db_ppc64_cpu, ctr), "ctr" },
        { 36, offsetof(struct db_ppc64_cpu, lr), "link" },
        { 37, offsetof(struct db_ppc64_cpu, xer), "xer" },
        { 38, offsetof(struct db_ppc64_cpu, cr), "ccr" },
        { 41, offsetof(struct db_ppc64_cpu, dar), "dar" },
        { 42, offsetof(struct db_ppc64_cpu, dsisr), "dsisr" },
    };
    unsigned d = 0;
    for (unsigned i = 0; i < 32; i++)
        if (le64(pr + 8 * i) != c->gpr[i] && d++ == 0 && why)
            snprintf(why, len, "gpr%u 0x%" PRIx64 " != reference 0x%" PRIx64, i, le64(pr + 8 * i), c->gpr[i]);
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
        uint64_t want;
        memcpy(&want, (const uint8_t *)c + m[i].off, 8);
        if (le64(pr + 8 * m[i].slot) != want && d++ == 0 && why)
            snprintf(why, len, "%s 0x%" PRIx64 " != reference 0x%" PRIx64, m[i].name,
                     le64(pr + 8 * m[i].slot), want);
    }
    return d;
}

int ppc64_reference_compare(const char *vmcore, const char *truth, uint64_t fdm_va,
                            struct ppc64_ref_out *o, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    if (!sim_new || !sim_free || !sim_mem_write || !sim_ppc64_cpu || !sim_fadump_capture) {
        snprintf(o->skipped, sizeof o->skipped, "libsim (reference fadump agent) not linked in");
        return 0;
    }
    struct ppc64_truth t;
    struct qelf e;
    if (ppc64_truth_open(&t, truth, err, errlen) != 0)
        return -1;
    if (qelf_open(&e, vmcore, err, errlen) != 0) {
        ppc64_truth_close(&t);
        return -1;
    }
    int rc = -1;
    struct sim_machine *m = NULL;
    struct df_dump *d = NULL;
    uint64_t fdm_pa = fdm_va - 0xc000000000000000ull;
    if (fdm_va < 0xc000000000000000ull || fdm_pa + FDM_BYTES > t.ram_size) {
        snprintf(o->skipped, sizeof o->skipped, "the kernel's fdm symbol (0x%" PRIx64 ") is not in the "
                 "truth RAM", fdm_va);
        rc = 0;
        goto out;
    }
    uint32_t maxid = 0;
    for (uint32_t i = 0; i < t.ncpu; i++)
        if (t.cpus[i].w[PPC64_TW_CPU] > maxid)
            maxid = (uint32_t)t.cpus[i].w[PPC64_TW_CPU];
    struct sim_config cfg = { .arch = SIM_PPC64, .memory = t.ram_size, .cpus = maxid + 1,
                              .max_cpus = maxid + 1, .seed = 0 };
    m = sim_new(&cfg, err, errlen);
    if (!m)
        goto out;
    static const uint8_t zero[QPAGE];
    for (uint64_t pa = 0; pa < t.ram_size; pa += QPAGE) {
        const uint8_t *p = ppc64_truth_page(&t, pa);
        if (memcmp(p, zero, QPAGE) != 0 && sim_mem_write(m, pa, p, QPAGE) != 0) {
            snprintf(err, errlen, "sim machine: cannot write page 0x%" PRIx64, pa);
            goto out;
        }
    }
    for (uint32_t i = 0; i <= maxid; i++) {
        struct db_ppc64_cpu *c = sim_ppc64_cpu(m, i);
        if (c)
            c->online = false;
    }
    for (uint32_t i = 0; i < t.ncpu; i++) {
        const uint64_t *w = t.cpus[i].w;
        struct db_ppc64_cpu *c = sim_ppc64_cpu(m, (unsigned)w[PPC64_TW_CPU]);
        if (!c)
            continue;
        for (unsigned g = 0; g < 32; g++)
            c->gpr[g] = w[PPC64_TW_GPR0 + g];
        c->nia = w[PPC64_TW_NIA];
        c->msr = w[PPC64_TW_MSR];
        c->ctr = w[PPC64_TW_CTR];
        c->lr = w[PPC64_TW_LR];
        c->xer = w[PPC64_TW_XER];
        c->cr = w[PPC64_TW_CR];
        c->dar = w[PPC64_TW_DAR];
        c->dsisr = w[PPC64_TW_DSISR];
        c->srr0 = w[PPC64_TW_SRR0];
        c->srr1 = w[PPC64_TW_SRR1];
        c->pir = w[PPC64_TW_PIR];
        c->pvr = w[PPC64_TW_PVR];
        c->fpscr = w[PPC64_TW_FPSCR];
        c->online = true;
        c->cpu_id = (uint32_t)w[PPC64_TW_CPU];
    }
    uint8_t fdm[FDM_BYTES];
    memcpy(fdm, t.map + t.ram_off + fdm_pa, FDM_BYTES);
    struct sim_fadump_capture_info info;
    int st = sim_fadump_capture(m, fdm, sizeof fdm, SIM_FADUMP_TRUTH, &d, &info);
    if (st != 0) {
        snprintf(o->agent_error, sizeof o->agent_error, "reference agent: %s (status %d)", info.msg, st);
        rc = 0;
        goto out;
    }
    o->ran = 1;
    o->ref_cpus = (unsigned)d->ncpus;
    o->ref_chunks = d->nchunks;
    /* 1. PT_LOAD list */
    if (d->nchunks != e.nload)
        field(o, "PT_LOAD count: vmcore %zu, reference %zu", e.nload, d->nchunks);
    for (size_t i = 0; i < d->nchunks && i < e.nload; i++)
        if (d->chunks[i].paddr != e.loads[i].paddr || d->chunks[i].size != e.loads[i].filesz)
            field(o, "PT_LOAD[%zu]: vmcore paddr 0x%" PRIx64 " size 0x%" PRIx64 ", reference 0x%" PRIx64
                  " size 0x%" PRIx64, i, e.loads[i].paddr, e.loads[i].filesz, d->chunks[i].paddr,
                  d->chunks[i].size);
    /* 2. pages */
    for (size_t i = 0; i < d->nchunks; i++) {
        const struct df_chunk *c = &d->chunks[i];
        for (uint64_t off = 0; off + QPAGE <= c->size; off += QPAGE) {
            const uint8_t *vp = qelf_page(&e, c->paddr + off);
            o->pages_compared++;
            if (!vp) {
                if (o->pages_missing++ == 0)
                    field(o, "page 0x%" PRIx64 " of the reference is not in the vmcore", c->paddr + off);
                continue;
            }
            if (memcmp(vp, c->data + off, QPAGE) == 0)
                continue;
            if (ppc64_vpa_counter_only(vp, c->data + off) && o->vpa_pages < t.ncpu) {
                o->vpa_pages++;
                continue;
            }
            if (o->pages_differ++ == 0)
                field(o, "page 0x%" PRIx64 " differs from the reference", c->paddr + off);
        }
    }
    /* 3. CPUs vs notes */
    const uint8_t *h = e.map;
    uint64_t phoff = le64(h + 32);
    unsigned phnum = (unsigned)(h[56] | h[57] << 8);
    const uint8_t *pr[PPC64_TRUTH_MAX_CPUS];
    size_t npr = 0;
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = h + phoff + (uint64_t)i * 56;
        if (le32(ph) != 4)
            continue;
        const uint8_t *n = e.map + le64(ph + 8);
        uint64_t len = le64(ph + 32), pos = 0;
        while (len - pos >= 12) {
            uint32_t nsz = le32(n + pos), dsz = le32(n + pos + 4), ty = le32(n + pos + 8);
            uint64_t na = ((uint64_t)nsz + 3) & ~3ull, da = ((uint64_t)dsz + 3) & ~3ull;
            if ((nsz == 0 && dsz == 0) || na > len - pos - 12 || da > len - pos - 12 - na)
                break;
            if (nsz == 5 && memcmp(n + pos + 12, "CORE", 5) == 0 && ty == 1 && dsz >= 112 + 48 * 8 &&
                npr < PPC64_TRUTH_MAX_CPUS)
                pr[npr++] = n + pos + 12 + na + 112;
            pos += 12 + na + da;
        }
    }
    if (npr != d->ncpus)
        field(o, "NT_PRSTATUS notes: vmcore %zu, reference %zu CPUs", npr, d->ncpus);
    for (size_t i = 0; i < d->ncpus; i++) {
        const struct db_ppc64_cpu *c = &d->cpus[i].regs.ppc64;
        unsigned best = ~0u;
        size_t bi = 0;
        for (size_t k = 0; k < npr; k++) {
            unsigned x = cpu_diff(c, pr[k], NULL, 0);
            if (x < best) {
                best = x;
                bi = k;
            }
        }
        if (best == 0) {
            o->cpus_equal++;
            o->regs_compared += 40;
            if (c->cpu_id == info.crashing_cpu)
                o->crashing_cpu_equal = 1;
        } else {
            char why[160] = "no note";
            if (npr)
                cpu_diff(c, pr[bi], why, sizeof why);
            field(o, "cpu %u%s: %s", c->cpu_id, c->cpu_id == info.crashing_cpu ? " (crashing, fdh->regs)" : "",
                  why);
        }
    }
    o->crashing_cpu = info.crashing_cpu;
    rc = 0;
out:
    if (d)
        df_dump_free(d);
    if (m)
        sim_free(m);
    qelf_close(&e);
    ppc64_truth_close(&t);
    return rc;
}
