/*
 * libdumpfmt — the neutral dump model shared by every reader and writer.
 *
 * A dump is: an architecture, a set of memory chunks (physical address +
 * bytes), a list of CPUs with their neutral register sets, the raw ELF notes
 * in file order (so byte-exact round trips are possible), VMCOREINFO text,
 * and status flags.  Readers produce a struct df_dump; writers consume one.
 *
 * Errors: every fallible call returns 0 or a negative enum df_status and
 * fills a caller-provided struct df_err with a message naming the file,
 * field and offset ("vmcore.elf: PT_LOAD[3] p_offset 0x1234 beyond EOF").
 * No globals, no exit().
 */
#ifndef DUMPFMT_DUMP_H
#define DUMPFMT_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dumpbench/cpu.h>

enum df_status {
    DF_OK = 0,
    DF_ERR_SYSTEM = -1,   /* I/O or allocation failure (errno text in msg) */
    DF_ERR_CORRUPT = -2,  /* malformed input: msg names the field */
    DF_ERR_NOTIMPL = -3,  /* valid but unsupported variant */
    DF_ERR_NOPROBE = -4,  /* not this format */
    DF_ERR_INVALID = -5,  /* bad argument */
};

struct df_err {
    char msg[512];
};

enum df_arch {
    DF_ARCH_NONE = 0,
    DF_ARCH_S390X,
    DF_ARCH_PPC64,     /* big-endian ELF as written for pseries (fadump) */
    DF_ARCH_PPC64LE,
    DF_ARCH_X86_64,
};

enum df_format {
    DF_FMT_NONE = 0,
    DF_FMT_ELF,        /* ELF64 ET_CORE, /proc/vmcore layout */
    DF_FMT_S390,       /* s390 standalone dump (4 KiB header + memory + end marker) */
    DF_FMT_KDUMP,      /* makedumpfile kdump-compressed (read only) */
};

/* Dump status flags. */
#define DF_FLAG_INCOMPLETE  0x1u  /* writer/reader saw a truncated dump */

/* One contiguous range of physical memory. */
struct df_chunk {
    uint64_t paddr;
    uint64_t size;
    const uint8_t *data;  /* size bytes; owned by the dump (may point into an mmap) */
};

/* One ELF note exactly as stored (name without NUL padding). */
struct df_note {
    char name[32];
    uint32_t type;
    int cpu;              /* index into cpus[] for per-CPU notes, -1 otherwise */
    uint32_t descsz;
    uint8_t *desc;        /* owned by the dump */
};

struct df_cpu {
    int present;
    union {
        struct db_s390_cpu s390;
        struct db_ppc64_cpu ppc64;
    } regs;
};

struct df_dump {
    enum df_arch arch;
    enum df_format format;   /* format it was read from */
    uint32_t flags;
    size_t nchunks;
    struct df_chunk *chunks; /* sorted by paddr, non-overlapping */
    size_t ncpus;
    struct df_cpu *cpus;
    size_t nnotes;
    struct df_note *notes;
    char *vmcoreinfo;        /* NUL-terminated copy, or NULL */
    size_t vmcoreinfo_len;
    void *priv;              /* reader-private (mmap etc.) */
};

/* Allocate an empty dump of an architecture. */
struct df_dump *df_dump_new(enum df_arch arch);
void df_dump_free(struct df_dump *d);

/* Add a chunk by copying len bytes (data may be NULL for zero-filled). */
int df_dump_add_chunk(struct df_dump *d, uint64_t paddr, const void *data,
                      uint64_t len, struct df_err *err);
/* Append a CPU; returns its index or a negative df_status. */
int df_dump_add_cpu(struct df_dump *d, const struct df_cpu *cpu,
                    struct df_err *err);
int df_dump_set_vmcoreinfo(struct df_dump *d, const char *text, size_t len,
                           struct df_err *err);

/*
 * Pointer to the page-sized (4096) data at paddr (must be page aligned),
 * or NULL when the page is not in the dump.
 */
const uint8_t *df_dump_page(const struct df_dump *d, uint64_t paddr);
/* Total bytes of memory in all chunks. */
uint64_t df_dump_mem_bytes(const struct df_dump *d);

/* Probe and read any supported format. */
int df_read_file(const char *path, struct df_dump **out, struct df_err *err);

/*
 * ELF /proc/vmcore writer: one PT_NOTE (all notes, merged as vmcore.c
 * merge_note_headers_elf64 does), PT_LOADs page aligned back to back,
 * notes generated from cpus[] as Linux 6.1 builds them for the arch
 * (s390x: lx61:arch/s390/kernel/crash_dump.c; ppc64: fadump), plus VMCOREINFO.
 */
int df_write_elf(const struct df_dump *d, const char *path, struct df_err *err);
/* Same into memory (malloc'd buffer). */
int df_write_elf_mem(const struct df_dump *d, uint8_t **buf, size_t *len,
                     struct df_err *err);

const char *df_strerror(int status);
const char *df_arch_name(enum df_arch a);

#endif /* DUMPFMT_DUMP_H */
