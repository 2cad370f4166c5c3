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
#define DF_FLAG_S390_VX     0x2u  /* s390x: vector facility installed; the ELF
                                     writer emits NT_S390_VXRS_HIGH/LOW
                                     (MACHINE_HAS_VX); readers set it when
                                     they find those notes */

/* ELF note types used by the note generator/decoder (lx61:include/uapi/linux/elf.h). */
#define DF_NT_PRSTATUS        1u
#define DF_NT_PRFPREG         2u
#define DF_NT_PRPSINFO        3u
#define DF_NT_S390_TIMER      0x301u
#define DF_NT_S390_TODCMP     0x302u
#define DF_NT_S390_TODPREG    0x303u
#define DF_NT_S390_CTRS       0x304u
#define DF_NT_S390_PREFIX     0x305u
#define DF_NT_S390_VXRS_LOW   0x309u
#define DF_NT_S390_VXRS_HIGH  0x30au
#define DF_NT_VMCOREINFO      0u      /* name "VMCOREINFO" */

/* A byte range of physical memory. */
struct df_range {
    uint64_t paddr;
    uint64_t size;
};

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

struct df_s390_info;

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
    /*
     * Added fields (all zero/NULL after df_dump_new):
     * page_size: PAGE_SIZE of the capture kernel that would have exported
     * this dump; the ELF writer rounds the note segment and PT_LOADs to it
     * (lx61:fs/proc/vmcore.c).  0 = df_dump_page_size() default.  Readers
     * set it to the kdump block_size / s390 page_size; the ELF reader to
     * VMCOREINFO "PAGESIZE=" when present, else 4096.
     */
    uint32_t page_size;
    /* s390 stand-alone dump header fields (set by the s390 reader; the
     * s390 writer uses it when non-NULL, else defaults). Owned by the dump. */
    struct df_s390_info *s390;
    /*
     * Known-zero memory (advisory; empty unless a producer marks it):
     * sorted, non-overlapping ranges whose bytes inside chunks are all
     * zero -- holes of a sparse image file (df_read_file finds them with
     * SEEK_HOLE) or never-written pages of a sim snapshot.  Writers and
     * comparisons skip these ranges instead of reading chunk data, which
     * for a mapped sparse file or a lazily allocated buffer would fault in
     * (and, on some kernels, allocate) zero pages.  Parts outside chunks
     * mean nothing.  A producer must not store non-zero bytes into a marked
     * range.  Owned by the dump; maintained by df_dump_mark_zero.
     */
    size_t nzero;
    struct df_range *zero;
};

/*
 * s390 stand-alone dump header as decoded (s390-tools zdump/df_s390.h
 * struct df_s390_hdr; layout with offsets in src/abi_s390dump.h).
 */
struct df_s390_info {
    uint32_t version;
    uint32_t hdr_size;
    uint32_t dump_level;
    uint32_t page_size;
    uint64_t mem_size;
    uint64_t mem_start;
    uint64_t mem_end;
    uint32_t num_pages;
    uint64_t tod;            /* header creation TOD */
    uint64_t cpu_id;
    uint32_t arch;           /* 1 = 31-bit, 2 = 64-bit */
    uint32_t volnr;
    uint32_t build_arch;
    uint64_t mem_size_real;
    uint8_t mvdump;
    uint16_t cpu_cnt;
    uint16_t real_cpu_cnt;
    uint32_t lc_vec[512];    /* per-CPU prefix (lowcore) addresses */
    uint64_t em_tod;         /* end-marker TOD (reader: valid if end_marker) */
    bool end_marker;         /* reader: "DUMP_END" found after memory */
};

/* Reader options for df_read_file_opts. */
struct df_read_opts {
    /*
     * lenient: a truncated dump (PT_LOAD / kdump page data / s390 memory
     * beyond EOF, missing s390 end marker) is returned with the readable
     * part and DF_FLAG_INCOMPLETE, and the call returns DF_OK (err still
     * holds the message).  Strict (default): such a dump fails with
     * DF_ERR_CORRUPT.  Malformed headers/notes always fail.
     */
    bool lenient;
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
 * Mark [paddr, paddr + len) as known zero (see df_dump.zero).  Ranges may
 * come in any order; overlapping or adjacent ones are merged.  len 0 is a
 * no-op.  The caller guarantees the bytes are zero.
 */
int df_dump_mark_zero(struct df_dump *d, uint64_t paddr, uint64_t len,
                      struct df_err *err);
/* Bytes from paddr on that are marked known zero (0 when paddr is not in a
 * marked range).  Not clipped to chunks. */
uint64_t df_dump_zero_run(const struct df_dump *d, uint64_t paddr);
/* True when all len bytes at p are zero (vectorised; len 0 is true). */
bool df_is_zero(const void *p, size_t len);
/*
 * pwrite len bytes at file offset off, leaving all-zero 4 KiB blocks (by
 * file offset) unwritten: for a file written in order from empty, the
 * skipped blocks are holes and read as zeros.  The caller sets the final
 * size (ftruncate) when the file ends in zeros.  0, or -1 with errno.
 */
int df_pwrite_sparse(int fd, const void *data, size_t len, uint64_t off);

/*
 * Pointer to the page-sized (4096) data at paddr (must be page aligned),
 * or NULL when the page is not in the dump.
 */
const uint8_t *df_dump_page(const struct df_dump *d, uint64_t paddr);
/* Total bytes of memory in all chunks. */
uint64_t df_dump_mem_bytes(const struct df_dump *d);

/*
 * Probe and read any supported format: ELF64 core, makedumpfile
 * kdump-compressed ("KDUMP   ", header v1..v6; zlib/zstd/raw pages; lzo,
 * snappy, split and flattened files -> DF_ERR_NOTIMPL), s390 stand-alone
 * dump.  The file is mapped read-only; ELF and s390 chunk data point into
 * the mapping (kdump pages are decompressed); holes of a sparse file
 * (SEEK_HOLE) under chunk data are marked known zero (df_dump.zero), so
 * consumers never fault them in.  CPUs are decoded from the
 * notes (ELF/kdump) or the lowcore save areas (s390).  On failure *out is
 * NULL and err names the file, field and offset.
 */
int df_read_file(const char *path, struct df_dump **out, struct df_err *err);
/* Same with options (opts may be NULL = strict). */
int df_read_file_opts(const char *path, const struct df_read_opts *opts,
                      struct df_dump **out, struct df_err *err);

/*
 * ELF /proc/vmcore writer: one PT_NOTE (all notes, merged as vmcore.c
 * merge_note_headers_elf64 does), PT_LOADs page aligned back to back,
 * notes generated from cpus[] as Linux 6.1 builds them for the arch
 * (s390x: lx61:arch/s390/kernel/crash_dump.c; ppc64: fadump), plus VMCOREINFO.
 * Details: one PT_LOAD per chunk (adjacent chunks are not merged: fadump
 * splits boot memory from the rest), p_paddr = chunk paddr, p_vaddr =
 * paddr (s390x), 0xc000000000000000|paddr (ppc64, __va), or
 * 0xffff888000000000+paddr (x86_64); p_align PAGE_SIZE on s390x, 0 else;
 * e_flags 1/2 for ppc64 BE/LE (_CALL_ELF).  Rounding uses
 * df_dump_page_size(d); bytes of a rounded page outside the chunk come from
 * other chunks or are zero.  Output depends only on d (deterministic).
 * The file writer streams chunk data with pwrite (no whole-image buffer)
 * and writes sparse files: all-zero 4 KiB blocks (and known-zero memory,
 * which is not read) are left as holes, the size set with ftruncate; a
 * hole reads as zeros, so the bytes are identical to a dense write.
 */
int df_write_elf(const struct df_dump *d, const char *path, struct df_err *err);
/* Same into memory (malloc'd buffer). */
int df_write_elf_mem(const struct df_dump *d, uint8_t **buf, size_t *len,
                     struct df_err *err);

/*
 * Streaming writer: the image of d in format fmt (DF_FMT_ELF or DF_FMT_S390,
 * the same bytes df_write_elf / df_write_s390 produce) is delivered in file
 * order through fn, in pieces of exactly `block` bytes (the last may be
 * shorter), each at file offset `off`.  Only one block-sized buffer is
 * used; known-zero memory is not read.  fn returns 0 to go on, non-zero to
 * stop: the writer then returns DF_ERR_SYSTEM ("output callback stopped at
 * offset ...").
 */
typedef int (*df_out_fn)(void *opaque, uint64_t off, const uint8_t *data, size_t len);
int df_write_stream(const struct df_dump *d, enum df_format fmt, size_t block,
                    df_out_fn fn, void *opaque, struct df_err *err);
/* Size in bytes of the image df_write_stream would produce. */
int df_image_size(const struct df_dump *d, enum df_format fmt, uint64_t *size,
                  struct df_err *err);

/*
 * s390 stand-alone dump writer (zgetdump dfo_s390.c layout): 4 KiB header,
 * memory image 0..end of the last chunk (holes zero-filled) at file offset
 * 0x1000 + paddr, 16-byte end marker "DUMP_END" + TOD.  Like zgetdump it
 * stores each CPU's registers into its lowcore save area (prefix + 0x1200,
 * architected store-status layout) when that range is in the image, and
 * lists the prefixes in lc_vec[].  Header fields come from d->s390 when set
 * (tod, cpu_id, ...), else: version 5 (4 without CPUs), dump_level 4,
 * tods 0.  s390x dumps only.
 */
int df_write_s390(const struct df_dump *d, const char *path, struct df_err *err);
int df_write_s390_mem(const struct df_dump *d, uint8_t **buf, size_t *len,
                      struct df_err *err);

/*
 * The ELF note segment the ELF writer emits for d (no terminating empty
 * note): d->notes verbatim when d->nnotes > 0, else generated from cpus[]
 * and vmcoreinfo in the Linux order for the arch.  Generation rules:
 * s390x (lx61:arch/s390/kernel/crash_dump.c notes_init): NT_PRPSINFO, then
 * per present CPU with prefix != 0 PRSTATUS (pr_pid = 1,2,..), PRFPREG,
 * TIMER, TODCMP, TODPREG, CTRS, PREFIX [, VXRS_HIGH, VXRS_LOW if
 * DF_FLAG_S390_VX], then VMCOREINFO.  ppc64/ppc64le (fadump
 * rtas_fadump_build_cpu_notes): per present CPU one NT_PRSTATUS (pr_pid 0,
 * pr_reg = pt_regs with gpr/nip/msr/ctr/link/xer/ccr/dar/dsisr), then
 * VMCOREINFO.  x86_64: VMCOREINFO only (no neutral x86 registers).
 * *blob is malloc'd.
 */
int df_dump_build_notes(const struct df_dump *d, uint8_t **blob, size_t *len,
                        struct df_err *err);

/* Append a raw note (copied). cpu = index into cpus[] or -1. */
int df_dump_add_note(struct df_dump *d, const char *name, uint32_t type,
                     int cpu, const void *desc, uint32_t descsz,
                     struct df_err *err);

/* Effective PAGE_SIZE: d->page_size, else 65536 for ppc64/ppc64le
 * (Debian kernels use CONFIG_PPC_64K_PAGES), else 4096. */
uint32_t df_dump_page_size(const struct df_dump *d);

const char *df_strerror(int status);
const char *df_arch_name(enum df_arch a);
const char *df_format_name(enum df_format f);

#endif /* DUMPFMT_DUMP_H */
