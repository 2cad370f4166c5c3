/*
 * Dump comparison (see <harness/compare.h>): semantic comparison of two
 * struct df_dump, the pages-equal and regs-equal oracles against a truth
 * snapshot, and a byte-for-byte file comparison that names the ELF
 * structure holding the first differing byte.
 */
#include <harness/compare.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dumpbench/be.h>
#include <dumpbench/s390_dump_hdr.h>

/* ---- result helpers ------------------------------------------------------ */

void cmp_result_init(struct cmp_result *r)
{
    memset(r, 0, sizeof(*r));
}

int cmp_add_exempt(struct cmp_result *r, uint64_t addr, uint64_t len, const char *reason)
{
    if (r->nexempt >= CMP_MAX_EXEMPT || len == 0)
        return -1;
    struct cmp_exempt *e = &r->exempt[r->nexempt++];
    memset(e, 0, sizeof(*e));
    e->addr = addr;
    e->len = len;
    snprintf(e->reason, sizeof(e->reason), "%s", reason ? reason : "");
    return 0;
}

static void diff(struct cmp_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void diff(struct cmp_result *r, const char *fmt, ...)
{
    if (r->differ)
        return;
    r->differ = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->first, sizeof(r->first), fmt, ap);
    va_end(ap);
}

/*
 * Structured first difference: call only while !r->differ (the record
 * belongs to the message diff() is about to set).  e/a hold the bytes of
 * [start, end) of each side; the window is the 16-byte-aligned line around
 * `at`, clipped to [start, end).
 */
static void diff_record(struct cmp_result *r, const char *kind, uint64_t at, const char *field,
                        const uint8_t *e, const uint8_t *a, uint64_t start, uint64_t end)
{
    struct cmp_diff *d = &r->first_diff;
    memset(d, 0, sizeof(*d));
    d->valid = true;
    snprintf(d->kind, sizeof(d->kind), "%s", kind);
    snprintf(d->field, sizeof(d->field), "%s", field ? field : "");
    d->addr = at;
    uint64_t base = at & ~(uint64_t)(CMP_DIFF_BYTES - 1);
    if (base < start)
        base = start;
    uint64_t n = end - base < CMP_DIFF_BYTES ? end - base : CMP_DIFF_BYTES;
    d->base = base;
    d->len = (uint32_t)n;
    d->mark = (uint32_t)(at - base);
    if (e)
        memcpy(d->exp, e + (base - start), (size_t)n);
    if (a)
        memcpy(d->act, a + (base - start), (size_t)n);
}

/* ---- note names ---------------------------------------------------------- */

struct note_name {
    uint32_t type;
    const char *name;
};

static const struct note_name note_names[] = {
    { 1, "NT_PRSTATUS" }, { 2, "NT_PRFPREG" }, { 3, "NT_PRPSINFO" },
    { 4, "NT_TASKSTRUCT" }, { 6, "NT_AUXV" },
    { 0x100, "NT_PPC_VMX" }, { 0x101, "NT_PPC_SPE" }, { 0x102, "NT_PPC_VSX" },
    { 0x301, "NT_S390_TIMER" }, { 0x302, "NT_S390_TODCMP" },
    { 0x303, "NT_S390_TODPREG" }, { 0x304, "NT_S390_CTRS" },
    { 0x305, "NT_S390_PREFIX" }, { 0x306, "NT_S390_LAST_BREAK" },
    { 0x307, "NT_S390_SYSTEM_CALL" }, { 0x308, "NT_S390_TDB" },
    { 0x309, "NT_S390_VXRS_LOW" }, { 0x30a, "NT_S390_VXRS_HIGH" },
    { 0x30b, "NT_S390_GS_CB" }, { 0x30c, "NT_S390_GS_BC" },
    { 0x30d, "NT_S390_RI_CB" }, { 0x30e, "NT_S390_PV_CPU_DATA" },
};

const char *cmp_note_type_name(const char *name, uint32_t type, char *buf, size_t len)
{
    if (name && strcmp(name, "VMCOREINFO") == 0 && type == 0)
        return "VMCOREINFO";
    for (size_t i = 0; i < sizeof(note_names) / sizeof(note_names[0]); i++)
        if (note_names[i].type == type)
            return note_names[i].name;
    snprintf(buf, len, "type 0x%" PRIx32, type);
    return buf;
}

static void note_label(const struct df_note *n, char *buf, size_t len)
{
    char tb[32];
    const char *tn = cmp_note_type_name(n->name, n->type, tb, sizeof(tb));
    if (n->cpu >= 0)
        snprintf(buf, len, "%s %s cpu %d", n->name, tn, n->cpu);
    else
        snprintf(buf, len, "%s %s", n->name, tn);
}

/* ---- registers ----------------------------------------------------------- */

enum reg_fmt { RF_SCALAR, RF_INDEXED, RF_VHIGH };

struct reg_desc {
    uint32_t note;        /* note type that carries the register in a dump */
    const char *label;
    size_t off;           /* offset in the neutral CPU struct */
    unsigned width;       /* 4 or 8 bytes */
    unsigned count;
    enum reg_fmt fmt;
};

#define S390(f) offsetof(struct db_s390_cpu, f)
#define PPC(f) offsetof(struct db_ppc64_cpu, f)

static const struct reg_desc s390_regs[] = {
    { 1, "psw_mask", S390(psw_mask), 8, 1, RF_SCALAR },
    { 1, "psw_addr", S390(psw_addr), 8, 1, RF_SCALAR },
    { 1, "gpr", S390(gprs), 8, 16, RF_INDEXED },
    { 1, "acr", S390(acrs), 4, 16, RF_INDEXED },
    { 2, "fpc", S390(fpc), 4, 1, RF_SCALAR },
    { 2, "fpr", S390(fprs), 8, 16, RF_INDEXED },
    { 0x301, "cputm", S390(cputm), 8, 1, RF_SCALAR },
    { 0x302, "ckc", S390(ckc), 8, 1, RF_SCALAR },
    { 0x303, "todpreg", S390(todpreg), 4, 1, RF_SCALAR },
    { 0x304, "cr", S390(crs), 8, 16, RF_INDEXED },
    { 0x305, "prefix", S390(prefix), 4, 1, RF_SCALAR },
    { 0x309, "vxrs_low", S390(vxrs_low), 8, 16, RF_INDEXED },
    { 0x30a, "v", S390(vxrs_high), 8, 32, RF_VHIGH },
};

/* The ppc64 registers an ELF dump carries (pt_regs in NT_PRSTATUS). */
static const struct reg_desc ppc_regs[] = {
    { 1, "gpr", PPC(gpr), 8, 32, RF_INDEXED },
    { 1, "nia", PPC(nia), 8, 1, RF_SCALAR },
    { 1, "msr", PPC(msr), 8, 1, RF_SCALAR },
    { 1, "ctr", PPC(ctr), 8, 1, RF_SCALAR },
    { 1, "lr", PPC(lr), 8, 1, RF_SCALAR },
    { 1, "xer", PPC(xer), 8, 1, RF_SCALAR },
    { 1, "cr", PPC(cr), 8, 1, RF_SCALAR },
    { 1, "dar", PPC(dar), 8, 1, RF_SCALAR },
    { 1, "dsisr", PPC(dsisr), 8, 1, RF_SCALAR },
    { 2, "fpscr", PPC(fpscr), 8, 1, RF_SCALAR },
};

/* True when d carries note `type` for CPU position `cpu`, or has no notes at all. */
static bool has_note(const struct df_dump *d, uint32_t type, int cpu)
{
    if (d->nnotes == 0)
        return true;
    for (size_t i = 0; i < d->nnotes; i++)
        if (d->notes[i].type == type && d->notes[i].cpu == cpu &&
            strcmp(d->notes[i].name, "VMCOREINFO") != 0)
            return true;
    return false;
}

/*
 * Vector registers are in a dump only with the vector facility: an ELF dump
 * says so with its VXRS notes (has_note), a dump without notes (truth
 * snapshot, s390 stand-alone format, which has no place for them) with
 * DF_FLAG_S390_VX.
 */
static bool has_vx(const struct df_dump *d)
{
    return d->nnotes > 0 || (d->flags & DF_FLAG_S390_VX) != 0;
}

static uint64_t reg_load(const uint8_t *base, const struct reg_desc *rd, unsigned i)
{
    const uint8_t *p = base + rd->off + (size_t)i * rd->width;
    if (rd->width == 4) {
        uint32_t v;
        memcpy(&v, p, 4);
        return v;
    }
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static void reg_name(const struct reg_desc *rd, unsigned i, char *buf, size_t len)
{
    switch (rd->fmt) {
    case RF_SCALAR:
        snprintf(buf, len, "%s", rd->label);
        break;
    case RF_INDEXED:
        snprintf(buf, len, "%s %u", rd->label, i);
        break;
    case RF_VHIGH:
        snprintf(buf, len, "v%u %s", 16 + i / 2, i % 2 ? "low" : "high");
        break;
    }
}

/* Compare CPU ea (index ia in e) with CPU aa (index pos in a). */
static void cmp_cpu(const struct df_dump *e, const struct df_cpu *ec, int epos,
                    const struct df_dump *a, const struct df_cpu *ac, int apos,
                    enum df_arch arch, struct cmp_result *r)
{
    const struct reg_desc *tab;
    size_t n;
    const uint8_t *eb, *ab;
    if (arch == DF_ARCH_S390X) {
        tab = s390_regs;
        n = sizeof(s390_regs) / sizeof(s390_regs[0]);
        eb = (const uint8_t *)&ec->regs.s390;
        ab = (const uint8_t *)&ac->regs.s390;
    } else if (arch == DF_ARCH_PPC64 || arch == DF_ARCH_PPC64LE) {
        tab = ppc_regs;
        n = sizeof(ppc_regs) / sizeof(ppc_regs[0]);
        eb = (const uint8_t *)&ec->regs.ppc64;
        ab = (const uint8_t *)&ac->regs.ppc64;
    } else {
        return;
    }
    for (size_t g = 0; g < n; g++) {
        const struct reg_desc *rd = &tab[g];
        if (!has_note(e, rd->note, epos) || !has_note(a, rd->note, apos))
            continue;
        if (arch == DF_ARCH_S390X && (rd->note == DF_NT_S390_VXRS_LOW ||
                                      rd->note == DF_NT_S390_VXRS_HIGH) &&
            (!has_vx(e) || !has_vx(a)))
            continue;
        for (unsigned i = 0; i < rd->count; i++) {
            uint64_t ev = reg_load(eb, rd, i), av = reg_load(ab, rd, i);
            r->regs_compared++;
            if (ev != av) {
                char rn[32], tb[32];
                reg_name(rd, i, rn, sizeof(rn));
                if (!r->differ) {
                    /* the value, most significant byte first */
                    uint8_t eb_[8], ab_[8];
                    for (unsigned k = 0; k < rd->width; k++) {
                        eb_[k] = (uint8_t)(ev >> (8 * (rd->width - 1 - k)));
                        ab_[k] = (uint8_t)(av >> (8 * (rd->width - 1 - k)));
                    }
                    unsigned m = 0;
                    while (eb_[m] == ab_[m])
                        m++;
                    char field[160];
                    snprintf(field, sizeof(field), "%s cpu %d %s",
                             cmp_note_type_name("CORE", rd->note, tb, sizeof(tb)), apos, rn);
                    diff_record(r, "register", m, field, eb_, ab_, 0, rd->width);
                    r->first_diff.mark = m;
                    r->first_diff.base = 0;
                }
                diff(r, "%s cpu %d %s: expected 0x%" PRIx64 " got 0x%" PRIx64,
                     cmp_note_type_name("CORE", rd->note, tb, sizeof(tb)), apos, rn, ev, av);
            }
        }
    }
}

static bool cpu_online(const struct df_dump *d, const struct df_cpu *c)
{
    if (d->arch == DF_ARCH_S390X)
        return c->regs.s390.online;
    return c->regs.ppc64.online;
}

/*
 * Positions of the CPUs that count: present ones; for a truth snapshot also
 * online (unless no CPU is marked online at all).  Returns count, fills idx.
 */
static size_t cpu_list(const struct df_dump *d, bool truth, size_t *idx)
{
    size_t n = 0;
    bool any_online = false;
    if (truth)
        for (size_t i = 0; i < d->ncpus; i++)
            if (d->cpus[i].present && cpu_online(d, &d->cpus[i]))
                any_online = true;
    for (size_t i = 0; i < d->ncpus; i++) {
        if (!d->cpus[i].present)
            continue;
        if (truth && any_online && !cpu_online(d, &d->cpus[i]))
            continue;
        idx[n++] = i;
    }
    return n;
}

static void cmp_cpu_sets(const struct df_dump *e, bool etruth, const struct df_dump *a,
                         struct cmp_result *r)
{
    size_t *ei = calloc(e->ncpus + 1, sizeof(size_t));
    size_t *ai = calloc(a->ncpus + 1, sizeof(size_t));
    if (!ei || !ai) {
        diff(r, "out of memory comparing CPUs");
        free(ei);
        free(ai);
        return;
    }
    size_t ne = cpu_list(e, etruth, ei), na = cpu_list(a, false, ai);
    if (ne != na)
        diff(r, "number of CPUs: expected %zu got %zu", ne, na);
    size_t n = ne < na ? ne : na;
    enum df_arch arch = e->arch == a->arch ? e->arch : DF_ARCH_NONE;
    for (size_t i = 0; i < n; i++)
        cmp_cpu(e, &e->cpus[ei[i]], (int)ei[i], a, &a->cpus[ai[i]], (int)ai[i], arch, r);
    free(ei);
    free(ai);
}

/* ---- notes and VMCOREINFO ------------------------------------------------ */

static void cmp_note_list(const struct df_dump *e, const struct df_dump *a, struct cmp_result *r)
{
    size_t n = e->nnotes < a->nnotes ? e->nnotes : a->nnotes;
    char el[96], al[96];
    for (size_t i = 0; i < n; i++) {
        const struct df_note *en = &e->notes[i], *an = &a->notes[i];
        if (strcmp(en->name, an->name) != 0 || en->type != an->type ||
            en->cpu != an->cpu || en->descsz != an->descsz) {
            note_label(en, el, sizeof(el));
            note_label(an, al, sizeof(al));
            diff(r, "note %zu: expected %s (descsz %" PRIu32 ") got %s (descsz %" PRIu32 ")",
                 i, el, en->descsz, al, an->descsz);
            return;
        }
    }
    if (e->nnotes > n) {
        note_label(&e->notes[n], el, sizeof(el));
        diff(r, "note %zu (%s): missing (expected %zu notes, got %zu)", n, el,
             e->nnotes, a->nnotes);
    } else if (a->nnotes > n) {
        note_label(&a->notes[n], al, sizeof(al));
        diff(r, "note %zu (%s): unexpected extra note (expected %zu notes, got %zu)", n, al,
             e->nnotes, a->nnotes);
    }
}

static void cmp_note_bytes(const struct df_dump *e, const struct df_dump *a, struct cmp_result *r)
{
    size_t n = e->nnotes < a->nnotes ? e->nnotes : a->nnotes;
    for (size_t i = 0; i < n && !r->differ; i++) {
        const struct df_note *en = &e->notes[i], *an = &a->notes[i];
        uint32_t len = en->descsz < an->descsz ? en->descsz : an->descsz;
        if (!en->desc || !an->desc || memcmp(en->desc, an->desc, len) == 0)
            continue;
        uint32_t k = 0;
        while (en->desc[k] == an->desc[k])
            k++;
        char el[96];
        note_label(en, el, sizeof(el));
        char field[160];
        snprintf(field, sizeof(field), "note %zu (%s) desc +0x%" PRIx32, i, el, k);
        diff_record(r, "note", k, field, en->desc, an->desc, 0, len);
        diff(r, "note %zu (%s) desc byte 0x%" PRIx32 ": expected 0x%02x got 0x%02x",
             i, el, k, en->desc[k], an->desc[k]);
    }
}

static void cmp_vmcoreinfo(const struct df_dump *e, const struct df_dump *a, struct cmp_result *r)
{
    if (!e->vmcoreinfo && !a->vmcoreinfo)
        return;
    if (!e->vmcoreinfo || !a->vmcoreinfo) {
        diff(r, "VMCOREINFO: expected %s got %s", e->vmcoreinfo ? "present" : "absent",
             a->vmcoreinfo ? "present" : "absent");
        return;
    }
    const char *ep = e->vmcoreinfo, *ap = a->vmcoreinfo;
    const char *eend = ep + strnlen(ep, e->vmcoreinfo_len ? e->vmcoreinfo_len : SIZE_MAX);
    const char *aend = ap + strnlen(ap, a->vmcoreinfo_len ? a->vmcoreinfo_len : SIZE_MAX);
    for (int line = 1; ep < eend || ap < aend; line++) {
        const char *enl = memchr(ep, '\n', (size_t)(eend - ep));
        const char *anl = memchr(ap, '\n', (size_t)(aend - ap));
        size_t el = (size_t)((enl ? enl : eend) - ep), al = (size_t)((anl ? anl : aend) - ap);
        if (ep >= eend) {
            diff(r, "VMCOREINFO line %d: expected end of text got '%.*s'", line,
                 (int)(al > 120 ? 120 : al), ap);
            return;
        }
        if (ap >= aend) {
            diff(r, "VMCOREINFO line %d: expected '%.*s' got end of text", line,
                 (int)(el > 120 ? 120 : el), ep);
            return;
        }
        if (el != al || memcmp(ep, ap, el) != 0) {
            diff(r, "VMCOREINFO line %d: expected '%.*s' got '%.*s'", line,
                 (int)(el > 120 ? 120 : el), ep, (int)(al > 120 ? 120 : al), ap);
            return;
        }
        ep += el + (enl ? 1 : 0);
        ap += al + (anl ? 1 : 0);
    }
}

static void cmp_layout(const struct df_dump *e, const struct df_dump *a, struct cmp_result *r)
{
    size_t n = e->nchunks < a->nchunks ? e->nchunks : a->nchunks;
    for (size_t i = 0; i < n; i++) {
        const struct df_chunk *ec = &e->chunks[i], *ac = &a->chunks[i];
        if (ec->paddr != ac->paddr || ec->size != ac->size) {
            diff(r, "memory layout: chunk %zu: expected 0x%" PRIx64 "+0x%" PRIx64
                 " got 0x%" PRIx64 "+0x%" PRIx64, i, ec->paddr, ec->size, ac->paddr, ac->size);
            return;
        }
    }
    if (e->nchunks > n)
        diff(r, "memory layout: missing chunk %zu (0x%" PRIx64 "+0x%" PRIx64 "), expected %zu chunks got %zu",
             n, e->chunks[n].paddr, e->chunks[n].size, e->nchunks, a->nchunks);
    else if (a->nchunks > n)
        diff(r, "memory layout: extra chunk %zu (0x%" PRIx64 "+0x%" PRIx64 "), expected %zu chunks got %zu",
             n, a->chunks[n].paddr, a->chunks[n].size, e->nchunks, a->nchunks);
}

/* ---- page walk ------------------------------------------------------------ */

struct page_acc {
    bool active;
    uint64_t page;
    bool in_e, in_a;        /* some byte of the page present in e / a */
    bool e_only, a_only;    /* some byte present only in one of them */
    bool differ;
    uint64_t off;           /* first differing byte offset within page */
    uint8_t eb, ab;
    uint64_t ctx_start, ctx_end;                  /* bytes kept around the difference */
    uint8_t ce[CMP_DIFF_BYTES], ca[CMP_DIFF_BYTES];
};

struct walk_ctx {
    struct cmp_result *r;
    const char *e_name;     /* "actual" side names for messages */
    const char *missing_fmt;
    const char *extra_fmt;
};

static struct cmp_exempt *find_exempt(struct cmp_result *r, uint64_t page)
{
    for (size_t i = 0; i < r->nexempt; i++) {
        struct cmp_exempt *x = &r->exempt[i];
        uint64_t end = x->addr + x->len;
        if (end < x->addr)
            end = UINT64_MAX;
        if (page < end && page + CMP_PAGE > x->addr)
            return x;
    }
    return NULL;
}

static void page_flush(struct walk_ctx *w, struct page_acc *p)
{
    if (!p->active)
        return;
    struct cmp_result *r = w->r;
    struct cmp_exempt *x = find_exempt(r, p->page);
    bool bad = p->differ || p->e_only || p->a_only;
    if (x) {
        x->pages++;
        if (bad)
            x->pages_differ++;
    } else if (p->e_only && !p->in_a) {
        r->pages_missing++;
        diff(r, w->missing_fmt, p->page);
    } else if (p->a_only && !p->in_e) {
        r->pages_extra++;
        diff(r, w->extra_fmt, p->page);
    } else {
        r->pages_compared++;
        if (bad) {
            r->pages_differ++;
            if (p->differ && !r->differ) {
                char field[64];
                snprintf(field, sizeof(field), "page 0x%" PRIx64 " +0x%" PRIx64, p->page, p->off);
                diff_record(r, "page", p->page + p->off, field, p->ce, p->ca, p->ctx_start,
                            p->ctx_end);
            }
            if (p->differ)
                diff(r, "page 0x%" PRIx64 " byte 0x%" PRIx64 ": expected 0x%02x got 0x%02x",
                     p->page, p->off, p->eb, p->ab);
            else
                diff(r, "page 0x%" PRIx64 ": partially present (expected %s, actual %s)",
                     p->page, p->e_only ? "has more bytes" : "ok",
                     p->a_only ? "has more bytes" : "ok");
        }
    }
    memset(p, 0, sizeof(*p));
}

static void segment(struct walk_ctx *w, struct page_acc *p, uint64_t start, uint64_t end,
                    const uint8_t *ed, const uint8_t *ad)
{
    uint64_t page = start & ~(uint64_t)(CMP_PAGE - 1);
    if (p->active && p->page != page)
        page_flush(w, p);
    p->active = true;
    p->page = page;
    if (ed)
        p->in_e = true;
    if (ad)
        p->in_a = true;
    if (ed && !ad)
        p->e_only = true;
    if (ad && !ed)
        p->a_only = true;
    if (ed && ad && !p->differ && memcmp(ed, ad, end - start) != 0) {
        uint64_t k = 0;
        while (ed[k] == ad[k])
            k++;
        p->differ = true;
        p->off = start + k - page;
        p->eb = ed[k];
        p->ab = ad[k];
        /* keep the aligned 16-byte line around it (inside this segment) */
        uint64_t at = start + k, cs = at & ~(uint64_t)(CMP_DIFF_BYTES - 1);
        if (cs < start)
            cs = start;
        uint64_t ce = end - cs < CMP_DIFF_BYTES ? end : cs + CMP_DIFF_BYTES;
        p->ctx_start = cs;
        p->ctx_end = ce;
        memcpy(p->ce, ed + (cs - start), (size_t)(ce - cs));
        memcpy(p->ca, ad + (cs - start), (size_t)(ce - cs));
    }
}

/* Chunk end, saturating. */
static uint64_t cend(const struct df_chunk *c)
{
    uint64_t e = c->paddr + c->size;
    return e < c->paddr ? UINT64_MAX : e;
}

static const uint8_t zero_page[CMP_PAGE];

/* Bytes from pos on (inside chunk c of d) that d marks known zero. */
static uint64_t zrun(const struct df_dump *d, const struct df_chunk *c, uint64_t pos)
{
    uint64_t z = df_dump_zero_run(d, pos), lim = cend(c) - pos;
    return z < lim ? z : lim;
}

/* n whole pages from pos, known zero on both sides: equal, never read. */
static void zero_pages(struct walk_ctx *w, uint64_t pos, uint64_t n)
{
    struct cmp_result *r = w->r;
    for (uint64_t i = 0; i < n; i++) {
        struct cmp_exempt *x = find_exempt(r, pos + i * CMP_PAGE);
        if (x)
            x->pages++;
        else
            r->pages_compared++;
    }
}

static void walk_pages(const struct df_dump *e, const struct df_dump *a, struct walk_ctx *w)
{
    size_t ie = 0, ia = 0;
    struct page_acc acc;
    memset(&acc, 0, sizeof(acc));
    uint64_t pos = 0;
    bool started = false;
    for (;;) {
        while (ie < e->nchunks && (e->chunks[ie].size == 0 || cend(&e->chunks[ie]) <= pos))
            ie++;
        while (ia < a->nchunks && (a->chunks[ia].size == 0 || cend(&a->chunks[ia]) <= pos))
            ia++;
        if (ie >= e->nchunks && ia >= a->nchunks)
            break;
        const struct df_chunk *ec = ie < e->nchunks ? &e->chunks[ie] : NULL;
        const struct df_chunk *ac = ia < a->nchunks ? &a->chunks[ia] : NULL;
        bool in_e = ec && ec->paddr <= pos, in_a = ac && ac->paddr <= pos;
        if (!started || (!in_e && !in_a)) {
            uint64_t next = UINT64_MAX;
            if (ec && ec->paddr < next)
                next = ec->paddr;
            if (ac && ac->paddr < next)
                next = ac->paddr;
            if (started && next <= pos)
                next = pos;
            pos = next;
            started = true;
            continue;
        }
        if (in_e && in_a && pos % CMP_PAGE == 0) {
            uint64_t n = zrun(e, ec, pos), na = zrun(a, ac, pos);
            n = (na < n ? na : n) / CMP_PAGE * CMP_PAGE;
            if (n) {
                page_flush(w, &acc);
                zero_pages(w, pos, n / CMP_PAGE);
                pos += n;
                continue;
            }
        }
        uint64_t end = (pos | (CMP_PAGE - 1));
        end = end == UINT64_MAX ? UINT64_MAX : end + 1;
        if (ec)
            end = in_e ? (cend(ec) < end ? cend(ec) : end) : (ec->paddr < end ? ec->paddr : end);
        if (ac)
            end = in_a ? (cend(ac) < end ? cend(ac) : end) : (ac->paddr < end ? ac->paddr : end);
        /* A side known zero here is compared as zeros, not read (reading a
         * hole of a mapped sparse file would fault in a page). */
        const uint8_t *ed = in_e && ec->data ? ec->data + (pos - ec->paddr) : NULL;
        const uint8_t *ad = in_a && ac->data ? ac->data + (pos - ac->paddr) : NULL;
        if (ed && zrun(e, ec, pos) >= end - pos)
            ed = zero_page + pos % CMP_PAGE;
        if (ad && zrun(a, ac, pos) >= end - pos)
            ad = zero_page + pos % CMP_PAGE;
        segment(w, &acc, pos, end, ed, ad);
        if (end == UINT64_MAX)
            break;
        pos = end;
    }
    page_flush(w, &acc);
}

/* ---- public comparisons ---------------------------------------------------- */

static const char *arch_name(enum df_arch a)
{
    const char *n = df_arch_name(a);
    return n ? n : "?";
}

void cmp_dumps(const struct df_dump *exp, const struct df_dump *act, struct cmp_result *r)
{
    if (!exp || !act) {
        diff(r, "%s dump missing", exp ? "actual" : "expected");
        return;
    }
    if (exp->arch != act->arch)
        diff(r, "arch: expected %s got %s", arch_name(exp->arch), arch_name(act->arch));
    cmp_note_list(exp, act, r);
    cmp_cpu_sets(exp, false, act, r);
    cmp_vmcoreinfo(exp, act, r);
    cmp_note_bytes(exp, act, r);
    if ((exp->flags ^ act->flags) & DF_FLAG_INCOMPLETE)
        diff(r, "dump flags: expected %s got %s",
             exp->flags & DF_FLAG_INCOMPLETE ? "incomplete" : "complete",
             act->flags & DF_FLAG_INCOMPLETE ? "incomplete" : "complete");
    cmp_layout(exp, act, r);
    struct walk_ctx w = { r, "actual", "page 0x%" PRIx64 " missing from actual",
                          "page 0x%" PRIx64 " not in expected" };
    walk_pages(exp, act, &w);
}

void cmp_pages(const struct df_dump *truth, const struct df_dump *dump, struct cmp_result *r)
{
    if (!truth || !dump) {
        diff(r, "%s missing", truth ? "dump" : "truth snapshot");
        return;
    }
    struct walk_ctx w = { r, "dump", "page 0x%" PRIx64 " in truth snapshot but missing from dump",
                          "page 0x%" PRIx64 " in dump but not in truth snapshot" };
    walk_pages(truth, dump, &w);
}

void cmp_regs(const struct df_dump *truth, const struct df_dump *dump, struct cmp_result *r)
{
    if (!truth || !dump) {
        diff(r, "%s missing", truth ? "dump" : "truth snapshot");
        return;
    }
    if (truth->arch != dump->arch) {
        diff(r, "arch: expected %s got %s", arch_name(truth->arch), arch_name(dump->arch));
        return;
    }
    cmp_cpu_sets(truth, true, dump, r);
}

/* ---- byte-for-byte ------------------------------------------------------- */

static const struct {
    unsigned off, len;
    const char *name;
} ehdr_fields[] = {
    { 0, 16, "e_ident" }, { 16, 2, "e_type" }, { 18, 2, "e_machine" },
    { 20, 4, "e_version" }, { 24, 8, "e_entry" }, { 32, 8, "e_phoff" },
    { 40, 8, "e_shoff" }, { 48, 4, "e_flags" }, { 52, 2, "e_ehsize" },
    { 54, 2, "e_phentsize" }, { 56, 2, "e_phnum" }, { 58, 2, "e_shentsize" },
    { 60, 2, "e_shnum" }, { 62, 2, "e_shstrndx" },
}, phdr_fields[] = {
    { 0, 4, "p_type" }, { 4, 4, "p_flags" }, { 8, 8, "p_offset" },
    { 16, 8, "p_vaddr" }, { 24, 8, "p_paddr" }, { 32, 8, "p_filesz" },
    { 40, 8, "p_memsz" }, { 48, 8, "p_align" },
};

static uint64_t ld(const uint8_t *p, unsigned n, bool be)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[be ? i : n - 1 - i] << (8 * (n - 1 - i));
    return v;
}

static bool pread_full(int fd, void *buf, size_t len, uint64_t off)
{
    uint8_t *b = buf;
    while (len) {
        ssize_t n = pread(fd, b, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        b += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return true;
}

/* Locate the note containing `off` inside a PT_NOTE segment. */
static void describe_note(int fd, bool be, uint64_t seg, uint64_t segsz, uint64_t off,
                          char *out, size_t len)
{
    uint64_t p = seg, end = seg + segsz;
    for (unsigned idx = 0; p + 12 <= end && idx < 100000; idx++) {
        uint8_t h[12];
        if (!pread_full(fd, h, 12, p))
            break;
        uint64_t nsz = ld(h, 4, be), dsz = ld(h + 4, 4, be);
        uint32_t type = (uint32_t)ld(h + 8, 4, be);
        uint64_t name_off = p + 12, desc_off = name_off + ((nsz + 3) & ~3ull);
        uint64_t next = desc_off + ((dsz + 3) & ~3ull);
        if (off < next) {
            char name[32] = "";
            size_t nl = nsz < sizeof(name) - 1 ? (size_t)nsz : sizeof(name) - 1;
            if (nl && pread_full(fd, name, nl, name_off))
                name[nl] = '\0';
            else
                name[0] = '\0';
            char tb[32];
            const char *tn = cmp_note_type_name(name, type, tb, sizeof(tb));
            const char *part = off < name_off ? "header" : off < desc_off ? "name" : "desc";
            uint64_t rel = off < name_off ? off - p : off < desc_off ? off - name_off : off - desc_off;
            snprintf(out, len, "note %u (%s %s) %s +0x%" PRIx64, idx, name, tn, part, rel);
            return;
        }
        if (nsz == 0 && dsz == 0)
            break;
        p = next;
    }
    snprintf(out, len, "PT_NOTE segment +0x%" PRIx64, off - seg);
}

/*
 * s390 stand-alone dump header fields, named from the one layout
 * (<dumpbench/s390_dump_hdr.h>, s390-tools struct df_s390_hdr).
 */
#define S390D(f) { offsetof(struct db_s390dump_hdr, f), \
                   sizeof(((struct db_s390dump_hdr *)0)->f), #f }
static const struct {
    unsigned off, len;
    const char *name;
} s390d_fields[] = {
    S390D(magic), S390D(version), S390D(hdr_size), S390D(dump_level), S390D(page_size),
    S390D(mem_size), S390D(mem_start), S390D(mem_end), S390D(num_pages), S390D(tod),
    S390D(cpu_id), S390D(arch), S390D(volnr), S390D(build_arch), S390D(mem_size_real),
    S390D(mvdump), S390D(cpu_cnt), S390D(real_cpu_cnt),
};
#undef S390D

static bool describe_s390dump(const uint8_t *h, uint64_t off, char *out, size_t len)
{
    uint64_t magic = db_ld_be64(h);
    if (magic != DB_S390DUMP_MAGIC && magic != DB_S390DUMP_MAGIC_EXT)
        return false;
    if (off >= DB_S390DUMP_HDR_SIZE) {
        snprintf(out, len, "s390 dump memory at 0x%" PRIx64, off - DB_S390DUMP_HDR_SIZE);
        return true;
    }
    if (off >= offsetof(struct db_s390dump_hdr, lc_vec)) {
        snprintf(out, len, "s390 dump header lc_vec[%" PRIu64 "]",
                 (off - offsetof(struct db_s390dump_hdr, lc_vec)) / 4);
        return true;
    }
    for (size_t i = 0; i < sizeof(s390d_fields) / sizeof(s390d_fields[0]); i++)
        if (off >= s390d_fields[i].off && off < s390d_fields[i].off + s390d_fields[i].len) {
            snprintf(out, len, "s390 dump header %s", s390d_fields[i].name);
            return true;
        }
    snprintf(out, len, "s390 dump header +0x%" PRIx64, off);
    return true;
}

/* Name the ELF structure that holds file offset `off` of the file open on fd. */
static void describe_offset(int fd, uint64_t off, char *out, size_t len)
{
    uint8_t eh[64];
    out[0] = '\0';
    if (pread_full(fd, eh, sizeof(eh), 0) && describe_s390dump(eh, off, out, len))
        return;
    if (!pread_full(fd, eh, sizeof(eh), 0) || memcmp(eh, "\177ELF", 4) != 0 || eh[4] != 2)
        return;
    bool be = eh[5] == 2;
    if (off < 64) {
        for (size_t i = 0; i < sizeof(ehdr_fields) / sizeof(ehdr_fields[0]); i++)
            if (off >= ehdr_fields[i].off && off < ehdr_fields[i].off + ehdr_fields[i].len) {
                snprintf(out, len, "ELF header %s", ehdr_fields[i].name);
                return;
            }
        snprintf(out, len, "ELF header");
        return;
    }
    uint64_t phoff = ld(eh + 32, 8, be), shoff = ld(eh + 40, 8, be);
    uint64_t phent = ld(eh + 54, 2, be), phnum = ld(eh + 56, 2, be);
    uint64_t shent = ld(eh + 58, 2, be), shnum = ld(eh + 60, 2, be);
    if (phnum == 0xffff && shoff && shent >= 64) {
        uint8_t sh[64];
        if (pread_full(fd, sh, 64, shoff))
            phnum = ld(sh + 44, 4, be);
    }
    if (phent >= 56 && off >= phoff && off < phoff + phnum * phent) {
        uint64_t n = (off - phoff) / phent, rel = (off - phoff) % phent;
        for (size_t i = 0; i < sizeof(phdr_fields) / sizeof(phdr_fields[0]); i++)
            if (rel >= phdr_fields[i].off && rel < phdr_fields[i].off + phdr_fields[i].len) {
                snprintf(out, len, "program header %" PRIu64 " %s", n, phdr_fields[i].name);
                return;
            }
        snprintf(out, len, "program header %" PRIu64, n);
        return;
    }
    if (shent && shoff && off >= shoff && off < shoff + shnum * shent) {
        snprintf(out, len, "section header %" PRIu64, (off - shoff) / shent);
        return;
    }
    unsigned nload = 0;
    for (uint64_t i = 0; phent >= 56 && i < phnum && i < 65536; i++) {
        uint8_t ph[56];
        if (!pread_full(fd, ph, sizeof(ph), phoff + i * phent))
            break;
        uint32_t type = (uint32_t)ld(ph, 4, be);
        uint64_t po = ld(ph + 8, 8, be), pa = ld(ph + 24, 8, be), fs = ld(ph + 32, 8, be);
        if (type == 4 && off >= po && off - po < fs) {
            describe_note(fd, be, po, fs, off, out, len);
            return;
        }
        if (type == 1) {
            if (off >= po && off - po < fs) {
                snprintf(out, len, "PT_LOAD %u (program header %" PRIu64 ") at paddr 0x%" PRIx64
                         " +0x%" PRIx64, nload, i, pa, off - po);
                return;
            }
            nload++;
        }
    }
    snprintf(out, len, "padding between structures");
}

/* Offset of the next data at or after pos (size when only a hole follows;
 * pos when the file system cannot tell). */
static uint64_t next_data(int fd, uint64_t pos, uint64_t size)
{
    if (pos >= size)
        return size;
    off_t d = lseek(fd, (off_t)pos, SEEK_DATA);
    if (d < 0)
        return errno == ENXIO ? size : pos;
    return (uint64_t)d < size ? (uint64_t)d : size;
}

/* End of the data run at pos (the next hole, or size). */
static uint64_t next_hole(int fd, uint64_t pos, uint64_t size)
{
    off_t h = lseek(fd, (off_t)pos, SEEK_HOLE);
    if (h < 0 || (uint64_t)h > size || (uint64_t)h <= pos)
        return size;
    return (uint64_t)h;
}

int cmp_files(const char *expected, const char *actual, char *msg, size_t msglen)
{
    return cmp_files_diff(expected, actual, msg, msglen, NULL);
}

int cmp_files_diff(const char *expected, const char *actual, char *msg, size_t msglen,
                   struct cmp_diff *d)
{
    if (d)
        memset(d, 0, sizeof(*d));
    int fe = open(expected, O_RDONLY | O_CLOEXEC);
    if (fe < 0) {
        snprintf(msg, msglen, "%s: %s", expected, strerror(errno));
        return -1;
    }
    int fa = open(actual, O_RDONLY | O_CLOEXEC);
    if (fa < 0) {
        snprintf(msg, msglen, "%s: %s", actual, strerror(errno));
        close(fe);
        return -1;
    }
    const size_t bs = 1u << 20;
    uint8_t *be_ = malloc(bs), *ba = malloc(bs);
    int rc = 0;
    uint64_t off = 0;
    struct stat ste, sta;
    if (!be_ || !ba) {
        snprintf(msg, msglen, "out of memory");
        rc = -1;
        goto out;
    }
    if (fstat(fe, &ste) != 0 || fstat(fa, &sta) != 0) {
        snprintf(msg, msglen, "stat: %s", strerror(errno));
        rc = -1;
        goto out;
    }
    uint64_t se = (uint64_t)ste.st_size, sa = (uint64_t)sta.st_size;
    uint64_t common = se < sa ? se : sa;
    /*
     * Holes (sparse images) are never read: a range that is a hole in both
     * files is equal; a hole on one side is compared as zeros.
     */
    while (off < common) {
        uint64_t de = next_data(fe, off, common), da = next_data(fa, off, common);
        if (de > off && da > off) {
            off = de < da ? de : da;
            continue;
        }
        uint64_t end = off + bs < common ? off + bs : common;
        if (de > off && de < end)
            end = de;                   /* expected: hole up to de */
        if (da > off && da < end)
            end = da;
        if (de == off) {
            uint64_t h = next_hole(fe, off, common);
            end = h < end ? h : end;
        }
        if (da == off) {
            uint64_t h = next_hole(fa, off, common);
            end = h < end ? h : end;
        }
        size_t n = (size_t)(end - off);
        bool ze = de > off, za = da > off;
        if ((!ze && !pread_full(fe, be_, n, off)) || (!za && !pread_full(fa, ba, n, off))) {
            snprintf(msg, msglen, "read %s at 0x%" PRIx64 ": %s",
                     !ze ? expected : actual, off, errno ? strerror(errno) : "short read");
            rc = -1;
            break;
        }
        if (ze)
            memset(be_, 0, n);
        if (za)
            memset(ba, 0, n);
        if (memcmp(be_, ba, n) != 0) {
            size_t k = 0;
            while (be_[k] == ba[k])
                k++;
            char where[160];
            describe_offset(fe, off + k, where, sizeof(where));
            if (d) {
                struct cmp_result *tmp = calloc(1, sizeof(*tmp));
                if (tmp) {
                    diff_record(tmp, "file", off + k, where, be_, ba, off, off + n);
                    *d = tmp->first_diff;
                    free(tmp);
                }
            }
            snprintf(msg, msglen, "file offset 0x%" PRIx64 " differs (expected 0x%02x got 0x%02x)%s%s",
                     off + k, be_[k], ba[k], where[0] ? " in " : "", where);
            rc = 1;
            break;
        }
        off = end;
    }
    if (rc == 0 && se != sa) {
        snprintf(msg, msglen, "file size: expected %lld got %lld (first %lld bytes equal)",
                 (long long)se, (long long)sa, (long long)common);
        rc = 1;
    }
out:
    free(be_);
    free(ba);
    close(fe);
    close(fa);
    if (rc == 0 && msglen)
        msg[0] = '\0';
    return rc;
}
