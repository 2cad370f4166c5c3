/*
 * ELF64 core reader (any ELF64 ET_CORE, both byte orders): PT_LOADs become
 * chunks pointing into the read-only file mapping, PT_NOTEs are parsed into
 * notes / CPUs / VMCOREINFO.  Layout: abi_elf.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_elf.h"
#include "internal.h"

/* Largest p_memsz - p_filesz zero tail the reader materialises. */
#define DF_MAX_ZERO_TAIL (1ull << 34)

struct load {
    size_t idx;
    uint64_t paddr;
    uint64_t size;      /* bytes of memory (memsz, or less when truncated) */
    uint64_t filesz;    /* bytes present in the file */
    uint64_t offset;
};

static int cmp_load(const void *a, const void *b)
{
    const struct load *x = a, *y = b;
    return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

static enum df_arch elf_arch(uint16_t machine, bool be)
{
    switch (machine) {
    case EM_S390_V:   return be ? DF_ARCH_S390X : DF_ARCH_NONE;
    case EM_PPC64_V:  return be ? DF_ARCH_PPC64 : DF_ARCH_PPC64LE;
    case EM_X86_64_V: return be ? DF_ARCH_NONE : DF_ARCH_X86_64;
    default:          return DF_ARCH_NONE;
    }
}

int df__read_elf(const char *path, const uint8_t *buf, size_t len,
                 const struct df_read_opts *opts, struct df_dump *d,
                 struct df_err *err)
{
    if (len < 4 || memcmp(buf, "\177ELF", 4) != 0) {
        return DF_ERR_NOPROBE;
    }
    if (len < EHDR_SIZE) {
        return df__err(err, DF_ERR_CORRUPT,
                       "%s: truncated: ELF header needs %d bytes, file has %zu",
                       path, EHDR_SIZE, len);
    }
    if (buf[EI_CLASS_OFF] != ELFCLASS64_V) {
        return df__err(err, DF_ERR_NOTIMPL,
                       "%s: e_ident[EI_CLASS] %u at offset 0x4: only ELFCLASS64 "
                       "is supported", path, buf[EI_CLASS_OFF]);
    }
    uint8_t data = buf[EI_DATA_OFF];
    if (data != ELFDATA2LSB_V && data != ELFDATA2MSB_V) {
        return df__err(err, DF_ERR_CORRUPT,
                       "%s: e_ident[EI_DATA] %u at offset 0x5 is not "
                       "ELFDATA2LSB/MSB", path, data);
    }
    bool be = data == ELFDATA2MSB_V;
    uint16_t type = df_ld16(be, buf + EH_TYPE);
    if (type != ET_CORE_V) {
        return df__err(err, DF_ERR_NOTIMPL,
                       "%s: e_type %u at offset 0x10 is not ET_CORE", path, type);
    }
    uint16_t machine = df_ld16(be, buf + EH_MACHINE);
    uint64_t phoff = df_ld64(be, buf + EH_PHOFF);
    uint16_t phentsize = df_ld16(be, buf + EH_PHENTSIZE);
    uint64_t phnum = df_ld16(be, buf + EH_PHNUM);
    if (phnum == 0) {
        return df__err(err, DF_ERR_CORRUPT,
                       "%s: e_phnum 0 at offset 0x38: no program headers", path);
    }
    if (phentsize != PHDR_SIZE) {
        return df__err(err, DF_ERR_CORRUPT,
                       "%s: e_phentsize %u at offset 0x36, expected %d",
                       path, phentsize, PHDR_SIZE);
    }
    if (phnum == PN_XNUM_V) {
        /* Real count in section header 0 sh_info (QEMU >= 7.2 dumps). */
        uint64_t shoff = df_ld64(be, buf + EH_SHOFF);
        if (shoff == 0 || shoff > len || len - shoff < SHDR_SIZE) {
            return df__err(err, DF_ERR_CORRUPT,
                           "%s: e_phnum is PN_XNUM but e_shoff 0x%llx at offset "
                           "0x28 does not point to a section header inside the "
                           "file (size 0x%zx)", path, (unsigned long long)shoff,
                           len);
        }
        phnum = df_ld32(be, buf + shoff + SH_INFO);
    }
    if (phoff > len || (len - phoff) / PHDR_SIZE < phnum) {
        return df__err(err, DF_ERR_CORRUPT,
                       "%s: program header table (e_phoff 0x%llx, e_phnum %llu) "
                       "extends beyond EOF 0x%zx", path,
                       (unsigned long long)phoff, (unsigned long long)phnum, len);
    }
    d->arch = elf_arch(machine, be);
    d->format = DF_FMT_ELF;
    d->page_size = 4096;

    struct load *loads = calloc(phnum, sizeof(*loads));
    if (!loads) {
        return df__err(err, DF_ERR_SYSTEM, "out of memory");
    }
    size_t nloads = 0;
    int rc = DF_OK;
    bool truncated = false;
    for (uint64_t i = 0; i < phnum && rc == DF_OK; i++) {
        const uint8_t *ph = buf + phoff + i * PHDR_SIZE;
        uint64_t at = phoff + i * PHDR_SIZE;
        uint32_t ptype = df_ld32(be, ph + PH_TYPE);
        uint64_t off = df_ld64(be, ph + PH_OFFSET);
        uint64_t filesz = df_ld64(be, ph + PH_FILESZ);
        uint64_t memsz = df_ld64(be, ph + PH_MEMSZ);
        uint64_t paddr = df_ld64(be, ph + PH_PADDR);
        if (ptype == PT_NOTE_V) {
            if (off > len || filesz > len - off) {
                rc = df__err(err, DF_ERR_CORRUPT,
                             "%s: PT_NOTE (phdr[%llu] at 0x%llx) p_offset 0x%llx "
                             "+ p_filesz 0x%llx beyond EOF 0x%zx", path,
                             (unsigned long long)i, (unsigned long long)at,
                             (unsigned long long)off, (unsigned long long)filesz,
                             len);
                break;
            }
            char what[600];
            snprintf(what, sizeof(what), "%s: PT_NOTE (phdr[%llu])", path,
                     (unsigned long long)i);
            rc = df__parse_notes(d, buf + off, filesz, be, what, off, err);
        } else if (ptype == PT_LOAD_V) {
            if (filesz > memsz) {
                rc = df__err(err, DF_ERR_CORRUPT,
                             "%s: PT_LOAD (phdr[%llu] at 0x%llx) p_filesz 0x%llx "
                             "> p_memsz 0x%llx", path, (unsigned long long)i,
                             (unsigned long long)at, (unsigned long long)filesz,
                             (unsigned long long)memsz);
                break;
            }
            if (memsz == 0) {
                continue;
            }
            if (paddr + memsz < paddr) {
                rc = df__err(err, DF_ERR_CORRUPT,
                             "%s: PT_LOAD (phdr[%llu] at 0x%llx) p_paddr 0x%llx "
                             "+ p_memsz 0x%llx wraps", path, (unsigned long long)i,
                             (unsigned long long)at, (unsigned long long)paddr,
                             (unsigned long long)memsz);
                break;
            }
            struct load *l = &loads[nloads++];
            l->idx = (size_t)i;
            l->paddr = paddr;
            l->size = memsz;
            l->filesz = filesz;
            l->offset = off;
            if (off > len || filesz > len - off) {
                uint64_t avail = off > len ? 0 : len - off;
                d->flags |= DF_FLAG_INCOMPLETE;
                if (!truncated) { /* keep the first truncation message */
                    df__err(err, DF_ERR_CORRUPT,
                            "%s: PT_LOAD (phdr[%llu] at 0x%llx) p_offset 0x%llx "
                            "+ p_filesz 0x%llx beyond EOF 0x%zx (dump "
                            "incomplete)", path, (unsigned long long)i,
                            (unsigned long long)at, (unsigned long long)off,
                            (unsigned long long)filesz, len);
                }
                truncated = true;
                if (!opts->lenient) {
                    rc = DF_ERR_CORRUPT;
                    break;
                }
                l->filesz = avail;
                l->size = avail;
                if (avail == 0) {
                    nloads--;
                }
            }
        }
    }
    if (rc == DF_OK) {
        qsort(loads, nloads, sizeof(*loads), cmp_load);
        for (size_t i = 1; i < nloads; i++) {
            if (loads[i - 1].paddr + loads[i - 1].size > loads[i].paddr) {
                rc = df__err(err, DF_ERR_CORRUPT,
                             "%s: PT_LOAD phdr[%zu] [0x%llx,0x%llx) overlaps "
                             "phdr[%zu] [0x%llx,0x%llx)", path, loads[i - 1].idx,
                             (unsigned long long)loads[i - 1].paddr,
                             (unsigned long long)(loads[i - 1].paddr + loads[i - 1].size),
                             loads[i].idx, (unsigned long long)loads[i].paddr,
                             (unsigned long long)(loads[i].paddr + loads[i].size));
                break;
            }
        }
    }
    for (size_t i = 0; i < nloads && rc == DF_OK; i++) {
        struct load *l = &loads[i];
        if (l->filesz == l->size) {
            rc = df__add_chunk_ref(d, l->paddr, buf + l->offset, l->size, err);
            continue;
        }
        /* p_filesz < p_memsz: the tail reads as zero (materialised, so
         * bounded: Linux and QEMU never write such loads). */
        if (l->size > SIZE_MAX || l->size - l->filesz > DF_MAX_ZERO_TAIL) {
            rc = df__err(err, DF_ERR_NOTIMPL, "%s: PT_LOAD phdr[%zu] p_memsz "
                         "0x%llx too large", path, l->idx,
                         (unsigned long long)l->size);
            break;
        }
        uint8_t *m = calloc(1, (size_t)l->size);
        if (!m) {
            rc = df__err(err, DF_ERR_SYSTEM, "%s: PT_LOAD phdr[%zu]: cannot "
                         "allocate p_memsz 0x%llx bytes", path, l->idx,
                         (unsigned long long)l->size);
            break;
        }
        if (l->filesz) {
            memcpy(m, buf + l->offset, l->filesz);
        }
        rc = df__own(d, m, err);
        if (!rc) {
            rc = df__add_chunk_ref(d, l->paddr, m, l->size, err);
        }
    }
    free(loads);
    if (rc == DF_OK && d->vmcoreinfo) {
        /* The kernel's PAGE_SIZE, which /proc/vmcore rounded with. */
        const char *ps = strstr(d->vmcoreinfo, "PAGESIZE=");
        if (ps && (ps == d->vmcoreinfo || ps[-1] == '\n')) {
            unsigned long v = strtoul(ps + 9, NULL, 10);
            if (v >= 4096 && v <= (1ul << 20) && (v & (v - 1)) == 0) {
                d->page_size = (uint32_t)v;
            }
        }
    }
    if (rc == DF_OK && truncated) {
        /* lenient: keep the message in err, return success */
        return DF_OK;
    }
    return rc;
}
