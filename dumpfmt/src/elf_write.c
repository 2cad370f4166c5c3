/*
 * ELF /proc/vmcore writer: the file exactly as a Linux 6.1 capture kernel's
 * /proc/vmcore presents it (lx61:fs/proc/vmcore.c):
 *  - Elf64_Ehdr as the arch builds the elfcorehdr (s390x:
 *    lx61:arch/s390/kernel/crash_dump.c ehdr_init; ppc64:
 *    lx61:arch/powerpc/kernel/fadump.c fadump_init_elfcore_header;
 *    x86_64: lx61:kernel/kexec_file.c crash_prepare_elf64_headers),
 *    e_phnum = 1 + number of PT_LOADs after merge_note_headers_elf64;
 *  - one merged PT_NOTE: p_offset = roundup(ehdr + phnum * phdr, PAGE_SIZE),
 *    p_flags 0, p_vaddr = p_paddr = 0, p_filesz = p_memsz = note bytes,
 *    p_align 4; headers zero-padded to that offset;
 *  - note data zero-padded to roundup(note bytes, PAGE_SIZE);
 *  - PT_LOADs back to back (process_ptload_program_headers_elf64): each
 *    covers [rounddown(paddr), roundup(paddr + size)) of memory, p_offset =
 *    vmcore_off + (paddr - start).  One PT_LOAD per chunk.
 */
#include <stdlib.h>
#include <string.h>

#include "abi_elf.h"
#include "internal.h"

struct elf_plan {
    bool be;
    uint32_t ps;
    uint16_t machine;
    uint32_t eflags;
    uint64_t hdr_sz;     /* rounded ehdr + phdrs */
    uint64_t notes_sz;   /* rounded notes */
    uint8_t *notes;
    size_t notes_len;
    uint8_t *hdr;        /* hdr_sz bytes */
    uint64_t total;
};

static uint64_t load_vaddr(enum df_arch a, uint64_t paddr)
{
    switch (a) {
    case DF_ARCH_PPC64:
    case DF_ARCH_PPC64LE:
        return PPC64_PAGE_OFFSET | paddr;      /* fadump: __va(mbase) */
    case DF_ARCH_X86_64:
        return X86_64_PAGE_OFFSET + paddr;     /* kexec_file: __va(mstart) */
    default:
        return paddr;                          /* s390 loads_init: identity */
    }
}

static uint64_t load_align(enum df_arch a, uint32_t ps)
{
    /* s390 loads_init: PAGE_SIZE; fadump and kexec_file: 0 */
    return a == DF_ARCH_S390X ? ps : 0;
}

static void plan_free(struct elf_plan *pl)
{
    free(pl->notes);
    free(pl->hdr);
}

static int plan_build(const struct df_dump *d, struct elf_plan *pl,
                      struct df_err *err)
{
    memset(pl, 0, sizeof(*pl));
    if (!d) {
        return df__err(err, DF_ERR_INVALID, "NULL dump");
    }
    switch (d->arch) {
    case DF_ARCH_S390X:   pl->machine = EM_S390_V; break;
    case DF_ARCH_PPC64:   pl->machine = EM_PPC64_V; pl->eflags = PPC64_EFLAGS_BE; break;
    case DF_ARCH_PPC64LE: pl->machine = EM_PPC64_V; pl->eflags = PPC64_EFLAGS_LE; break;
    case DF_ARCH_X86_64:  pl->machine = EM_X86_64_V; break;
    case DF_ARCH_NONE:
        return df__err(err, DF_ERR_INVALID, "ELF writer: dump has no architecture");
    }
    pl->be = df__arch_be(d->arch);
    pl->ps = df_dump_page_size(d);
    if (pl->ps < 4096 || (pl->ps & (pl->ps - 1))) {
        return df__err(err, DF_ERR_INVALID, "ELF writer: page_size %u is not a "
                       "power of two >= 4096", pl->ps);
    }
    if (d->nchunks + 1 >= PN_XNUM_V) {
        return df__err(err, DF_ERR_NOTIMPL, "ELF writer: %zu chunks need more "
                       "than PN_XNUM program headers", d->nchunks);
    }
    int rc = df_dump_build_notes(d, &pl->notes, &pl->notes_len, err);
    if (rc) {
        return rc;
    }
    uint16_t phnum = (uint16_t)(d->nchunks + 1);
    uint64_t note_off = EHDR_SIZE + (uint64_t)phnum * PHDR_SIZE;
    pl->hdr_sz = df_roundup(note_off, pl->ps);
    pl->notes_sz = df_roundup(pl->notes_len, pl->ps);
    pl->hdr = calloc(1, pl->hdr_sz);
    if (!pl->hdr) {
        plan_free(pl);
        return df__err(err, DF_ERR_SYSTEM, "out of memory");
    }
    uint8_t *e = pl->hdr;
    bool be = pl->be;
    memcpy(e, "\177ELF", 4);
    e[EI_CLASS_OFF] = ELFCLASS64_V;
    e[EI_DATA_OFF] = be ? ELFDATA2MSB_V : ELFDATA2LSB_V;
    e[EI_VERSION_OFF] = EV_CURRENT_V;
    df_st16(be, e + EH_TYPE, ET_CORE_V);
    df_st16(be, e + EH_MACHINE, pl->machine);
    df_st32(be, e + EH_VERSION, EV_CURRENT_V);
    df_st64(be, e + EH_PHOFF, EHDR_SIZE);
    df_st32(be, e + EH_FLAGS, pl->eflags);
    df_st16(be, e + EH_EHSIZE, EHDR_SIZE);
    df_st16(be, e + EH_PHENTSIZE, PHDR_SIZE);
    df_st16(be, e + EH_PHNUM, phnum);

    uint8_t *ph = e + EHDR_SIZE;
    df_st32(be, ph + PH_TYPE, PT_NOTE_V);
    df_st64(be, ph + PH_OFFSET, pl->hdr_sz);
    df_st64(be, ph + PH_FILESZ, pl->notes_len);
    df_st64(be, ph + PH_MEMSZ, pl->notes_len);
    df_st64(be, ph + PH_ALIGN, 4);

    uint64_t vmcore_off = pl->hdr_sz + pl->notes_sz;
    for (size_t i = 0; i < d->nchunks; i++) {
        const struct df_chunk *c = &d->chunks[i];
        uint64_t start = df_rounddown(c->paddr, pl->ps);
        uint64_t end = df_roundup(c->paddr + c->size, pl->ps);
        if (end < c->paddr) {
            plan_free(pl);
            return df__err(err, DF_ERR_INVALID, "chunk[%zu] at 0x%llx: end "
                           "overflows when rounded to PAGE_SIZE", i,
                           (unsigned long long)c->paddr);
        }
        ph = e + EHDR_SIZE + (i + 1) * PHDR_SIZE;
        df_st32(be, ph + PH_TYPE, PT_LOAD_V);
        df_st32(be, ph + PH_FLAGS, PF_R_V | PF_W_V | PF_X_V);
        df_st64(be, ph + PH_OFFSET, vmcore_off + (c->paddr - start));
        df_st64(be, ph + PH_VADDR, load_vaddr(d->arch, c->paddr));
        df_st64(be, ph + PH_PADDR, c->paddr);
        df_st64(be, ph + PH_FILESZ, c->size);
        df_st64(be, ph + PH_MEMSZ, c->size);
        df_st64(be, ph + PH_ALIGN, load_align(d->arch, pl->ps));
        if (vmcore_off + (end - start) < vmcore_off) {
            plan_free(pl);
            return df__err(err, DF_ERR_INVALID, "ELF writer: file size overflows");
        }
        vmcore_off += end - start;
    }
    pl->total = vmcore_off;
    return DF_OK;
}

static int plan_emit(const struct df_dump *d, const struct elf_plan *pl,
                     struct df_sink *s, struct df_err *err)
{
    int rc = df__sink_write(s, pl->hdr, pl->hdr_sz, err);
    if (!rc) {
        rc = df__sink_write(s, pl->notes, pl->notes_len, err);
    }
    if (!rc) {
        rc = df__sink_zero(s, pl->notes_sz - pl->notes_len, err);
    }
    for (size_t i = 0; i < d->nchunks && !rc; i++) {
        const struct df_chunk *c = &d->chunks[i];
        uint64_t start = df_rounddown(c->paddr, pl->ps);
        uint64_t end = df_roundup(c->paddr + c->size, pl->ps);
        /* Bytes around the chunk inside its first/last page are "old
         * memory" in /proc/vmcore: take them from neighbouring chunks,
         * else zero. */
        rc = df__sink_mem(s, d, start, c->paddr - start, err);
        if (!rc) {
            rc = df__sink_mem(s, d, c->paddr, c->size, err);  /* skips known zeros */
        }
        if (!rc) {
            uint64_t ce = c->paddr + c->size;
            rc = df__sink_mem(s, d, ce, end - ce, err);
        }
    }
    return rc;
}

int df__elf_emit(const struct df_dump *d, struct df_sink *s, uint64_t *size,
                 struct df_err *err)
{
    struct elf_plan pl;
    int rc = plan_build(d, &pl, err);
    if (rc) {
        return rc;
    }
    if (size) {
        *size = pl.total;
    }
    if (s) {
        rc = plan_emit(d, &pl, s, err);
    }
    plan_free(&pl);
    return rc;
}

int df_write_elf(const struct df_dump *d, const char *path, struct df_err *err)
{
    if (!path) {
        return df__err(err, DF_ERR_INVALID, "NULL path");
    }
    struct elf_plan pl;
    int rc = plan_build(d, &pl, err);
    if (rc) {
        return rc;
    }
    struct df_sink s;
    rc = df__sink_open(&s, path, err);
    if (!rc) {
        rc = plan_emit(d, &pl, &s, err);
        rc = df__sink_close(&s, rc, err);
    }
    plan_free(&pl);
    return rc;
}

int df_write_elf_mem(const struct df_dump *d, uint8_t **buf, size_t *len,
                     struct df_err *err)
{
    if (!buf || !len) {
        return df__err(err, DF_ERR_INVALID, "NULL argument");
    }
    *buf = NULL;
    *len = 0;
    struct elf_plan pl;
    int rc = plan_build(d, &pl, err);
    if (rc) {
        return rc;
    }
    struct df_sink s;
    rc = df__sink_open_mem(&s, pl.total, err);
    if (rc) {
        plan_free(&pl);
        return rc;
    }
    rc = plan_emit(d, &pl, &s, err);
    plan_free(&pl);
    if (rc) {
        free(s.buf);
        return rc;
    }
    *buf = s.buf;
    *len = (size_t)s.off;
    return DF_OK;
}
