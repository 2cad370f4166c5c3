/*
 * Minimal ELF64 core reader for the QEMU backend's oracles: /proc/vmcore
 * copies (lx61:fs/proc/vmcore.c layout: one merged PT_NOTE, PT_LOADs) and
 * QEMU 7.2 dump-guest-memory ELF files (q72:dump/dump.c: per-CPU notes,
 * PT_LOAD per RAM block, p_paddr physical).
 *
 * ELF64 header offsets used (System V gABI, little-endian only):
 *   e_ident[0..3] magic, [4] class (2 = 64), [5] data (1 = LSB)
 *   e_type @16 (4 = ET_CORE), e_phoff @32, e_phentsize @54, e_phnum @56
 * Elf64_Phdr (56 bytes): p_type @0, p_offset @8, p_vaddr @16, p_paddr @24,
 *   p_filesz @32, p_memsz @40.
 * Elf64_Nhdr: n_namesz @0, n_descsz @4, n_type @8; name and desc 4-aligned.
 */
#include "qemu_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define EHDR_SIZE 64u
#define PHDR_SIZE 56u
#define PT_LOAD 1u
#define PT_NOTE 4u
#define NT_PRSTATUS 1u

static uint64_t ld64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static uint32_t ld32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint16_t ld16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static int in_file(const struct qelf *e, uint64_t off, uint64_t len)
{
    return off <= e->size && len <= e->size - off;
}

static void scan_notes(struct qelf *e, uint64_t off, uint64_t len)
{
    uint64_t pos = 0;
    while (len - pos >= 12) {
        const uint8_t *n = e->map + off + pos;
        uint32_t namesz = ld32(n), descsz = ld32(n + 4), type = ld32(n + 8);
        if (namesz == 0 && descsz == 0)
            break;
        uint64_t nalign = ((uint64_t)namesz + 3) & ~3ull;
        uint64_t dalign = ((uint64_t)descsz + 3) & ~3ull;
        if (nalign > len - pos - 12 || dalign > len - pos - 12 - nalign)
            break;
        const char *name = (const char *)n + 12;
        if (namesz == 5 && memcmp(name, "CORE", 5) == 0 && type == NT_PRSTATUS)
            e->prstatus++;
        if (namesz == 11 && memcmp(name, "VMCOREINFO", 11) == 0 && !e->vmcoreinfo) {
            e->vmcoreinfo = true;
            e->vmcoreinfo_text = malloc((size_t)descsz + 1);
            if (e->vmcoreinfo_text) {
                memcpy(e->vmcoreinfo_text, n + 12 + nalign, descsz);
                e->vmcoreinfo_text[descsz] = '\0';
            }
        }
        pos += 12 + nalign + dalign;
    }
}

int qelf_open(struct qelf *e, const char *path, char *err, size_t errlen)
{
    memset(e, 0, sizeof *e);
    e->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (e->fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(e->fd, &st) != 0 || st.st_size < (off_t)EHDR_SIZE) {
        snprintf(err, errlen, "%s: too short for an ELF header", path);
        goto fail;
    }
    e->size = (size_t)st.st_size;
    void *m = mmap(NULL, e->size, PROT_READ, MAP_PRIVATE, e->fd, 0);
    if (m == MAP_FAILED) {
        snprintf(err, errlen, "%s: mmap: %s", path, strerror(errno));
        goto fail;
    }
    e->map = m;
    const uint8_t *h = e->map;
    if (memcmp(h, "\177ELF", 4) != 0 || h[4] != 2 || h[5] != 1) {
        snprintf(err, errlen, "%s: not an ELF64 little-endian file", path);
        goto fail;
    }
    if (ld16(h + 16) != 4) {
        snprintf(err, errlen, "%s: e_type %u is not ET_CORE", path, ld16(h + 16));
        goto fail;
    }
    uint64_t phoff = ld64(h + 32);
    unsigned phentsize = ld16(h + 54), phnum = ld16(h + 56);
    if (phentsize != PHDR_SIZE || !in_file(e, phoff, (uint64_t)phnum * PHDR_SIZE)) {
        snprintf(err, errlen, "%s: program headers (off 0x%llx, %u x %u) outside the file",
                 path, (unsigned long long)phoff, phnum, phentsize);
        goto fail;
    }
    e->loads = calloc(phnum ? phnum : 1, sizeof *e->loads);
    if (!e->loads) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto fail;
    }
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = h + phoff + (uint64_t)i * PHDR_SIZE;
        uint32_t type = ld32(ph);
        uint64_t off = ld64(ph + 8), filesz = ld64(ph + 32);
        if (!in_file(e, off, filesz)) {
            snprintf(err, errlen, "%s: phdr[%u] data (off 0x%llx size 0x%llx) beyond EOF 0x%zx",
                     path, i, (unsigned long long)off, (unsigned long long)filesz, e->size);
            goto fail;
        }
        if (type == PT_LOAD) {
            struct qelf_load *l = &e->loads[e->nload++];
            l->off = off;
            l->vaddr = ld64(ph + 16);
            l->paddr = ld64(ph + 24);
            l->filesz = filesz;
        } else if (type == PT_NOTE) {
            scan_notes(e, off, filesz);
        }
    }
    return 0;
fail:
    qelf_close(e);
    return -1;
}

void qelf_close(struct qelf *e)
{
    if (e->map)
        munmap((void *)e->map, e->size);
    if (e->fd >= 0)
        close(e->fd);
    free(e->loads);
    free(e->vmcoreinfo_text);
    memset(e, 0, sizeof *e);
    e->fd = -1;
}

const uint8_t *qelf_page(const struct qelf *e, uint64_t paddr)
{
    for (size_t i = 0; i < e->nload; i++) {
        const struct qelf_load *l = &e->loads[i];
        if (paddr >= l->paddr && paddr - l->paddr <= l->filesz &&
            l->filesz - (paddr - l->paddr) >= QPAGE)
            return e->map + l->off + (paddr - l->paddr);
    }
    return NULL;
}
