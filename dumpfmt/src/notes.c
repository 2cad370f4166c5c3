/*
 * ELF note generation (Linux 6.1 capture-kernel order) and decoding into
 * the neutral CPU model.  Layouts: abi_prstatus.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_elf.h"
#include "abi_prstatus.h"
#include "internal.h"

struct nbuf {
    uint8_t *p;
    size_t len;
    size_t cap;
};

/* Append one note as nt_init_name / append_elf_note lay it out: Elf64_Nhdr,
 * name incl. NUL padded to 4, desc padded to 4, zero padding. */
static int nb_note(struct nbuf *b, bool be, const char *name, uint32_t type,
                   const void *desc, uint32_t descsz, struct df_err *err)
{
    uint32_t namesz = (uint32_t)strlen(name) + 1;
    uint64_t need = NHDR_SIZE + df_roundup(namesz, 4) + df_roundup(descsz, 4);
    if (b->len + need > b->cap) {
        size_t ncap = b->cap ? b->cap : 4096;
        while (ncap < b->len + need) {
            ncap *= 2;
        }
        uint8_t *n = realloc(b->p, ncap);
        if (!n) {
            return df__err(err, DF_ERR_SYSTEM, "out of memory");
        }
        b->p = n;
        b->cap = ncap;
    }
    uint8_t *o = b->p + b->len;
    memset(o, 0, need);
    df_st32(be, o + NH_NAMESZ, namesz);
    df_st32(be, o + NH_DESCSZ, descsz);
    df_st32(be, o + NH_TYPE, type);
    memcpy(o + NHDR_SIZE, name, namesz);
    if (descsz) {
        memcpy(o + NHDR_SIZE + df_roundup(namesz, 4), desc, descsz);
    }
    b->len += need;
    return DF_OK;
}

/* lx61:arch/s390/kernel/crash_dump.c nt_prpsinfo */
static int gen_s390_prpsinfo(struct nbuf *b, struct df_err *err)
{
    uint8_t ps[PRPSINFO_SIZE] = {0};
    ps[PRPS_SNAME] = 'R';
    memcpy(ps + PRPS_FNAME, "vmlinux", 7);
    return nb_note(b, true, "CORE", DF_NT_PRPSINFO, ps, sizeof(ps), err);
}

/* lx61:arch/s390/kernel/crash_dump.c fill_cpu_elf_notes */
static int gen_s390_cpu(struct nbuf *b, const struct db_s390_cpu *c, int pid,
                        bool vx, struct df_err *err)
{
    uint8_t prs[S390_PRSTATUS_SIZE] = {0};
    db_st_be32(prs + PRS_PID, (uint32_t)pid);
    db_st_be64(prs + S390_PRS_PSW_MASK, c->psw_mask);
    db_st_be64(prs + S390_PRS_PSW_ADDR, c->psw_addr);
    for (int i = 0; i < 16; i++) {
        db_st_be64(prs + S390_PRS_GPRS + 8 * i, c->gprs[i]);
        db_st_be32(prs + S390_PRS_ACRS + 4 * i, c->acrs[i]);
    }
    uint8_t fp[S390_FPREGSET_SIZE] = {0};
    db_st_be32(fp + S390_FP_FPC, c->fpc);
    for (int i = 0; i < 16; i++) {
        db_st_be64(fp + S390_FP_FPRS + 8 * i, c->fprs[i]);
    }
    uint8_t timer[S390_TIMER_SIZE], todcmp[S390_TODCMP_SIZE];
    uint8_t todpreg[S390_TODPREG_SIZE], prefix[S390_PREFIX_SIZE];
    uint8_t ctrs[S390_CTRS_SIZE], vlow[S390_VXRS_LOW_SIZE];
    uint8_t vhigh[S390_VXRS_HIGH_SIZE];
    db_st_be64(timer, c->cputm);
    db_st_be64(todcmp, c->ckc >> 8);   /* the save area's bits 0-55, as Linux copies them */
    db_st_be32(todpreg, c->todpreg);
    db_st_be32(prefix, c->prefix);
    for (int i = 0; i < 16; i++) {
        db_st_be64(ctrs + 8 * i, c->crs[i]);
        db_st_be64(vlow + 8 * i, c->vxrs_low[i]);
        db_st_be64(vhigh + 16 * i, c->vxrs_high[i][0]);
        db_st_be64(vhigh + 16 * i + 8, c->vxrs_high[i][1]);
    }
    int rc;
    if ((rc = nb_note(b, true, "CORE", DF_NT_PRSTATUS, prs, sizeof(prs), err)) ||
        (rc = nb_note(b, true, "CORE", DF_NT_PRFPREG, fp, sizeof(fp), err)) ||
        (rc = nb_note(b, true, "LINUX", DF_NT_S390_TIMER, timer, sizeof(timer), err)) ||
        (rc = nb_note(b, true, "LINUX", DF_NT_S390_TODCMP, todcmp, sizeof(todcmp), err)) ||
        (rc = nb_note(b, true, "LINUX", DF_NT_S390_TODPREG, todpreg, sizeof(todpreg), err)) ||
        (rc = nb_note(b, true, "LINUX", DF_NT_S390_CTRS, ctrs, sizeof(ctrs), err)) ||
        (rc = nb_note(b, true, "LINUX", DF_NT_S390_PREFIX, prefix, sizeof(prefix), err))) {
        return rc;
    }
    if (vx) {
        if ((rc = nb_note(b, true, "LINUX", DF_NT_S390_VXRS_HIGH, vhigh, sizeof(vhigh), err)) ||
            (rc = nb_note(b, true, "LINUX", DF_NT_S390_VXRS_LOW, vlow, sizeof(vlow), err))) {
            return rc;
        }
    }
    return DF_OK;
}

/* lx61:arch/powerpc/kernel/fadump.c fadump_regs_to_elf_notes, with
 * pt_regs filled as rtas_fadump_read_regs / rtas_fadump_set_regval do. */
static int gen_ppc64_cpu(struct nbuf *b, bool be, const struct db_ppc64_cpu *c,
                         struct df_err *err)
{
    uint8_t prs[PPC64_PRSTATUS_SIZE] = {0};
    uint8_t *g = prs + PRS_REG;
    for (int i = 0; i < 32; i++) {
        df_st64(be, g + 8 * i, c->gpr[i]);
    }
    df_st64(be, g + 8 * PPC_GREG_NIP, c->nia);
    df_st64(be, g + 8 * PPC_GREG_MSR, c->msr);
    df_st64(be, g + 8 * PPC_GREG_CTR, c->ctr);
    df_st64(be, g + 8 * PPC_GREG_LINK, c->lr);
    df_st64(be, g + 8 * PPC_GREG_XER, c->xer);
    df_st64(be, g + 8 * PPC_GREG_CCR, c->cr);
    df_st64(be, g + 8 * PPC_GREG_DAR, c->dar);
    df_st64(be, g + 8 * PPC_GREG_DSISR, c->dsisr);
    return nb_note(b, be, "CORE", DF_NT_PRSTATUS, prs, sizeof(prs), err);
}

int df_dump_build_notes(const struct df_dump *d, uint8_t **blob, size_t *len,
                        struct df_err *err)
{
    if (!d || !blob || !len) {
        return df__err(err, DF_ERR_INVALID, "NULL argument");
    }
    *blob = NULL;
    *len = 0;
    bool be = df__arch_be(d->arch);
    struct nbuf b = {0};
    int rc = DF_OK;

    if (d->nnotes > 0) {
        for (size_t i = 0; i < d->nnotes && rc == DF_OK; i++) {
            const struct df_note *n = &d->notes[i];
            if (memchr(n->name, '\0', sizeof(n->name)) == NULL || !n->name[0]) {
                rc = df__err(err, DF_ERR_INVALID, "note[%zu]: bad name", i);
                break;
            }
            rc = nb_note(&b, be, n->name, n->type, n->desc, n->descsz, err);
        }
    } else {
        switch (d->arch) {
        case DF_ARCH_S390X: {
            rc = gen_s390_prpsinfo(&b, err);
            int pid = 1;
            for (size_t i = 0; i < d->ncpus && rc == DF_OK; i++) {
                const struct df_cpu *c = &d->cpus[i];
                /* get_cpu_cnt/notes_init: only save areas with prefix != 0 */
                if (!c->present || c->regs.s390.prefix == 0) {
                    continue;
                }
                rc = gen_s390_cpu(&b, &c->regs.s390, pid++,
                                  (d->flags & DF_FLAG_S390_VX) != 0, err);
            }
            break;
        }
        case DF_ARCH_PPC64:
        case DF_ARCH_PPC64LE:
            for (size_t i = 0; i < d->ncpus && rc == DF_OK; i++) {
                if (d->cpus[i].present) {
                    rc = gen_ppc64_cpu(&b, be, &d->cpus[i].regs.ppc64, err);
                }
            }
            break;
        case DF_ARCH_X86_64:
            break;
        case DF_ARCH_NONE:
            rc = df__err(err, DF_ERR_INVALID, "dump has no architecture");
            break;
        }
        if (rc == DF_OK && d->vmcoreinfo) {
            if (d->vmcoreinfo_len > UINT32_MAX) {
                rc = df__err(err, DF_ERR_INVALID, "vmcoreinfo too large");
            } else {
                rc = nb_note(&b, be, "VMCOREINFO", DF_NT_VMCOREINFO,
                             d->vmcoreinfo, (uint32_t)d->vmcoreinfo_len, err);
            }
        }
    }
    if (rc != DF_OK) {
        free(b.p);
        return rc;
    }
    if (!b.p) {
        b.p = malloc(1);
        if (!b.p) {
            return df__err(err, DF_ERR_SYSTEM, "out of memory");
        }
    }
    *blob = b.p;
    *len = b.len;
    return DF_OK;
}

/* ---- decoding ---- */

static int note_size_err(struct df_err *err, const char *what, size_t idx,
                         uint64_t off, const char *name, uint32_t type,
                         uint32_t descsz, uint32_t want)
{
    return df__err(err, DF_ERR_CORRUPT,
                   "%s: note[%zu] %s type 0x%x at offset 0x%llx: n_descsz %u, expected %u",
                   what, idx, name, type, (unsigned long long)off, descsz, want);
}

static int decode_note(struct df_dump *d, struct df_note *n, bool be,
                       const char *what, size_t idx, uint64_t off,
                       struct df_err *err)
{
    const uint8_t *p = n->desc;
    int cur = -1;
    if (d->nnotes > 0) {
        cur = d->notes[d->nnotes - 1].cpu;
    }
    n->cpu = -1;
    if (strcmp(n->name, "VMCOREINFO") == 0) {
        if (!d->vmcoreinfo) {
            return df_dump_set_vmcoreinfo(d, (const char *)p, n->descsz, err);
        }
        return DF_OK;
    }
    if (strcmp(n->name, "CORE") == 0 && n->type == DF_NT_PRSTATUS) {
        struct df_cpu c;
        memset(&c, 0, sizeof(c));
        c.present = 1;
        if (d->arch == DF_ARCH_S390X) {
            if (n->descsz != S390_PRSTATUS_SIZE) {
                return note_size_err(err, what, idx, off, "CORE/NT_PRSTATUS",
                                     n->type, n->descsz, S390_PRSTATUS_SIZE);
            }
            struct db_s390_cpu *s = &c.regs.s390;
            s->psw_mask = db_ld_be64(p + S390_PRS_PSW_MASK);
            s->psw_addr = db_ld_be64(p + S390_PRS_PSW_ADDR);
            for (int i = 0; i < 16; i++) {
                s->gprs[i] = db_ld_be64(p + S390_PRS_GPRS + 8 * i);
                s->acrs[i] = db_ld_be32(p + S390_PRS_ACRS + 4 * i);
            }
            s->online = true;
        } else if (d->arch == DF_ARCH_PPC64 || d->arch == DF_ARCH_PPC64LE) {
            if (n->descsz != PPC64_PRSTATUS_SIZE) {
                return note_size_err(err, what, idx, off, "CORE/NT_PRSTATUS",
                                     n->type, n->descsz, PPC64_PRSTATUS_SIZE);
            }
            struct db_ppc64_cpu *r = &c.regs.ppc64;
            const uint8_t *g = p + PRS_REG;
            for (int i = 0; i < 32; i++) {
                r->gpr[i] = df_ld64(be, g + 8 * i);
            }
            r->nia = df_ld64(be, g + 8 * PPC_GREG_NIP);
            r->msr = df_ld64(be, g + 8 * PPC_GREG_MSR);
            r->ctr = df_ld64(be, g + 8 * PPC_GREG_CTR);
            r->lr = df_ld64(be, g + 8 * PPC_GREG_LINK);
            r->xer = df_ld64(be, g + 8 * PPC_GREG_XER);
            r->cr = df_ld64(be, g + 8 * PPC_GREG_CCR);
            r->dar = df_ld64(be, g + 8 * PPC_GREG_DAR);
            r->dsisr = df_ld64(be, g + 8 * PPC_GREG_DSISR);
            r->online = true;
            r->cpu_id = (uint32_t)d->ncpus;
        }
        int ci = df_dump_add_cpu(d, &c, err);
        if (ci < 0) {
            return ci;
        }
        n->cpu = ci;
        return DF_OK;
    }
    if (d->arch != DF_ARCH_S390X || cur < 0) {
        return DF_OK;
    }
    /* s390 per-CPU notes following NT_PRSTATUS belong to that CPU. */
    struct db_s390_cpu *s = &d->cpus[cur].regs.s390;
    uint32_t want = 0;
    bool is_core = strcmp(n->name, "CORE") == 0;
    bool is_linux = strcmp(n->name, "LINUX") == 0;
    if (is_core && n->type == DF_NT_PRFPREG) {
        want = S390_FPREGSET_SIZE;
    } else if (is_linux) {
        switch (n->type) {
        case DF_NT_S390_TIMER:     want = S390_TIMER_SIZE; break;
        case DF_NT_S390_TODCMP:    want = S390_TODCMP_SIZE; break;
        case DF_NT_S390_TODPREG:   want = S390_TODPREG_SIZE; break;
        case DF_NT_S390_CTRS:      want = S390_CTRS_SIZE; break;
        case DF_NT_S390_PREFIX:    want = S390_PREFIX_SIZE; break;
        case DF_NT_S390_VXRS_LOW:  want = S390_VXRS_LOW_SIZE; break;
        case DF_NT_S390_VXRS_HIGH: want = S390_VXRS_HIGH_SIZE; break;
        default:                   n->cpu = cur; return DF_OK; /* unknown: kept raw */
        }
    } else {
        return DF_OK;
    }
    if (n->descsz != want) {
        char nm[48];
        snprintf(nm, sizeof(nm), "%s", n->name);
        return note_size_err(err, what, idx, off, nm, n->type, n->descsz, want);
    }
    n->cpu = cur;
    if (is_core) {
        s->fpc = db_ld_be32(p + S390_FP_FPC);
        for (int i = 0; i < 16; i++) {
            s->fprs[i] = db_ld_be64(p + S390_FP_FPRS + 8 * i);
        }
        return DF_OK;
    }
    switch (n->type) {
    case DF_NT_S390_TIMER:   s->cputm = db_ld_be64(p); break;
    case DF_NT_S390_TODCMP:  s->ckc = db_ld_be64(p) << 8; break;
    case DF_NT_S390_TODPREG: s->todpreg = db_ld_be32(p); break;
    case DF_NT_S390_PREFIX:  s->prefix = db_ld_be32(p); break;
    case DF_NT_S390_CTRS:
        for (int i = 0; i < 16; i++) {
            s->crs[i] = db_ld_be64(p + 8 * i);
        }
        break;
    case DF_NT_S390_VXRS_LOW:
        for (int i = 0; i < 16; i++) {
            s->vxrs_low[i] = db_ld_be64(p + 8 * i);
        }
        d->flags |= DF_FLAG_S390_VX;
        break;
    case DF_NT_S390_VXRS_HIGH:
        for (int i = 0; i < 16; i++) {
            s->vxrs_high[i][0] = db_ld_be64(p + 16 * i);
            s->vxrs_high[i][1] = db_ld_be64(p + 16 * i + 8);
        }
        d->flags |= DF_FLAG_S390_VX;
        break;
    default:
        break;
    }
    return DF_OK;
}

int df__parse_notes(struct df_dump *d, const uint8_t *buf, uint64_t len,
                    bool be, const char *what, uint64_t base_off,
                    struct df_err *err)
{
    uint64_t off = 0;
    while (off < len) {
        uint64_t at = base_off + off;
        size_t idx = d->nnotes;
        if (len - off < NHDR_SIZE) {
            return df__err(err, DF_ERR_CORRUPT,
                           "%s: note[%zu] header at offset 0x%llx truncated "
                           "(%llu bytes left, need %d)", what, idx,
                           (unsigned long long)at,
                           (unsigned long long)(len - off), NHDR_SIZE);
        }
        const uint8_t *h = buf + off;
        uint32_t namesz = df_ld32(be, h + NH_NAMESZ);
        uint32_t descsz = df_ld32(be, h + NH_DESCSZ);
        uint32_t type = df_ld32(be, h + NH_TYPE);
        if (namesz == 0 && descsz == 0) {
            break; /* terminating empty note (final_note / nt_final) */
        }
        if (namesz == 0) {
            return df__err(err, DF_ERR_CORRUPT,
                           "%s: note[%zu] at offset 0x%llx: n_namesz 0 with n_descsz %u",
                           what, idx, (unsigned long long)at, descsz);
        }
        uint64_t name_room = len - off - NHDR_SIZE;
        if ((uint64_t)namesz > name_room) {
            return df__err(err, DF_ERR_CORRUPT,
                           "%s: note[%zu] at offset 0x%llx: n_namesz %u exceeds "
                           "the %llu bytes left in the note segment",
                           what, idx, (unsigned long long)at, namesz,
                           (unsigned long long)name_room);
        }
        uint64_t desc_off = off + NHDR_SIZE + df_roundup(namesz, 4);
        if (desc_off > len || (uint64_t)descsz > len - desc_off) {
            return df__err(err, DF_ERR_CORRUPT,
                           "%s: note[%zu] at offset 0x%llx: n_descsz %u exceeds "
                           "the note segment (ends at offset 0x%llx)",
                           what, idx, (unsigned long long)at, descsz,
                           (unsigned long long)(base_off + len));
        }
        if (namesz > 32) {
            return df__err(err, DF_ERR_NOTIMPL,
                           "%s: note[%zu] at offset 0x%llx: n_namesz %u longer "
                           "than 32", what, idx, (unsigned long long)at, namesz);
        }
        char name[32] = {0};
        memcpy(name, h + NHDR_SIZE, namesz);
        name[31] = '\0';
        if (name[0] == '\0') {
            return df__err(err, DF_ERR_CORRUPT,
                           "%s: note[%zu] at offset 0x%llx: empty name",
                           what, idx, (unsigned long long)at);
        }
        struct df_note n;
        memset(&n, 0, sizeof(n));
        memcpy(n.name, name, sizeof(n.name));
        n.type = type;
        n.descsz = descsz;
        n.desc = malloc(descsz ? descsz : 1);
        if (!n.desc) {
            return df__err(err, DF_ERR_SYSTEM, "out of memory");
        }
        if (descsz) {
            memcpy(n.desc, buf + desc_off, descsz);
        }
        int rc = decode_note(d, &n, be, what, idx, at, err);
        if (rc) {
            free(n.desc);
            return rc;
        }
        struct df_note *nn = realloc(d->notes, (d->nnotes + 1) * sizeof(*nn));
        if (!nn) {
            free(n.desc);
            return df__err(err, DF_ERR_SYSTEM, "out of memory");
        }
        d->notes = nn;
        nn[d->nnotes++] = n;
        off = desc_off + df_roundup(descsz, 4);
    }
    return DF_OK;
}
