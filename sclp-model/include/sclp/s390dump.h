/*
 * s390 stand-alone dump format ("s390dump", zgetdump input "s390"):
 * 4 KiB header, memory image [mem_start, mem_start + mem_size) at offset
 * hdr_size, then a 16-byte end marker "DUMP_END" + TOD.
 *
 * Sources: s390t:include/dump/s390_dump.h (struct df_s390_hdr,
 * struct df_s390_em, DF_S390_*), s390t:zdump/dfo_s390.c
 * (df_s390_dump_init: version 5 with CPUs / 4 without, dump_level 4,
 * mem_end = mem_size), s390t:zdump/dfi_s390.c (read_s390_hdr,
 * mem_chunks_add), s390t:zdump/df_s390.c (df_s390_em_verify: string must
 * match and hdr.tod <= em.tod).  Big-endian byte image.
 *
 * Only the non-extended format is produced; the extended (segmented)
 * format (magic ...23fe) is recognised and reported as unsupported.
 */
#ifndef SCLP_S390DUMP_H
#define SCLP_S390DUMP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <dumpbench/host.h>
#include <dumpbench/s390_dump_hdr.h>

#define S390DUMP_MAGIC          DB_S390DUMP_MAGIC
#define S390DUMP_MAGIC_EXT      DB_S390DUMP_MAGIC_EXT
#define S390DUMP_HDR_SIZE       DB_S390DUMP_HDR_SIZE
#define S390DUMP_EM_SIZE        DB_S390DUMP_EM_SIZE
#define S390DUMP_EM_MAGIC       0x44554d505f454e44ull  /* "DUMP_END" */
#define S390DUMP_CPU_MAX        DB_S390DUMP_CPU_MAX
#define S390DUMP_ARCH_32        DB_S390DUMP_ARCH_32
#define S390DUMP_ARCH_64        DB_S390DUMP_ARCH_64
#define S390DUMP_PAGE_SIZE      4096
#define S390DUMP_DUMP_LEVEL     4       /* dfo_s390: full dump */
#define S390DUMP_VERSION_NOCPU  4
#define S390DUMP_VERSION_CPU    5

/*
 * The header (struct df_s390_hdr, 4096 bytes) and the end marker
 * (struct df_s390_em, 16 bytes) are struct db_s390dump_hdr and struct
 * db_s390dump_em in <dumpbench/s390_dump_hdr.h>, shared with libdumpfmt.
 */

/* Host-order view of a header. */
struct s390dump_info {
    uint32_t version;           /* 0: writer picks 5 (cpu_cnt > 0) or 4 */
    uint32_t dump_level;        /* 0: writer uses 4 */
    uint32_t page_size;         /* 0: writer uses 4096 */
    uint64_t mem_start;         /* writer: must be 0 (only format zgetdump reads) */
    uint64_t mem_size;          /* bytes, multiple of page_size */
    uint64_t mem_end;           /* writer: set to mem_size (dfo_s390) */
    uint32_t num_pages;         /* writer: mem_size / page_size */
    uint64_t tod;               /* dump start TOD */
    uint64_t tod_end;           /* end-marker TOD; writer: max(tod, tod_end) */
    uint64_t cpu_id;
    uint32_t arch;              /* 0: writer uses 2 (64-bit) */
    uint32_t volnr;
    uint32_t build_arch;        /* 0: writer uses 2 */
    uint64_t mem_size_real;
    uint8_t mvdump;
    uint16_t cpu_cnt;
    uint16_t real_cpu_cnt;
    uint8_t zlib_version_s390;
    uint32_t zlib_entry_size;
    uint64_t mvdump_sign;
    uint64_t mvdump_zipl_time;
    uint32_t lc_vec[S390DUMP_CPU_MAX];
};

enum s390dump_status {
    S390DUMP_OK = 0,
    S390DUMP_E_BADMAGIC = -1,   /* not an s390 dump */
    S390DUMP_E_TRUNCATED = -2,  /* header or memory image cut short */
    S390DUMP_E_INCOMPLETE = -3, /* end marker missing or wrong (dumper did not finish) */
    S390DUMP_E_CORRUPT = -4,    /* header field invalid / inconsistent */
    S390DUMP_E_NOTIMPL = -5,    /* extended (segmented) format */
    S390DUMP_E_IO = -6,         /* read/write callback failed */
    S390DUMP_E_NOMEM = -7,
    S390DUMP_E_INVALID = -8,    /* bad argument */
};

/* Source of memory: read `len` bytes at absolute `addr`; 0 or -1. */
typedef int (*s390dump_read_fn)(void *opaque, uint64_t addr, void *buf,
                                uint64_t len);
/* Sink: write `len` bytes; 0 or -1. */
typedef int (*s390dump_write_fn)(void *opaque, const void *buf, size_t len);

/* Convert a monotonic nanosecond clock to TOD format (bit 51 = 1 us). */
uint64_t s390dump_ns_to_tod(uint64_t ns);

/*
 * Fill `info` for a whole-memory dump of `host`: mem_size from the host
 * (rounded down to pages), tod from clock_ns, arch/build_arch 64-bit and
 * one lc_vec entry (the prefix) per online CPU.
 */
int s390dump_info_from_host(struct s390dump_info *info,
                            const struct db_host *host);

/* Encode a header (4096 bytes) from info after applying writer defaults. */
int s390dump_encode_header(const struct s390dump_info *info,
                           uint8_t out[S390DUMP_HDR_SIZE], char *err,
                           size_t errlen);

/* Generic streaming writer: header, memory in chunks, end marker. */
int s390dump_write(const struct s390dump_info *info, s390dump_read_fn rd,
                   void *rd_opaque, s390dump_write_fn wr, void *wr_opaque,
                   char *err, size_t errlen);
/* Memory from a host; sink a stdio stream, a file descriptor, or malloc'd memory. */
int s390dump_write_host_file(const struct s390dump_info *info,
                             const struct db_host *host, FILE *fp,
                             char *err, size_t errlen);
int s390dump_write_host_fd(const struct s390dump_info *info,
                           const struct db_host *host, int fd,
                           char *err, size_t errlen);
/* *out is malloc'd (caller frees), *out_len its size. */
int s390dump_write_host_mem(const struct s390dump_info *info,
                            const struct db_host *host, uint8_t **out,
                            size_t *out_len, char *err, size_t errlen);

/* Size of a complete dump file for info->mem_size. */
uint64_t s390dump_file_size(uint64_t mem_size);

/*
 * Parse and validate a complete dump image.  On success fills `info`
 * (may be NULL) and points *mem at the memory image (mem_size bytes inside
 * `buf`; mem may be NULL).  Errors: BADMAGIC, TRUNCATED, INCOMPLETE,
 * CORRUPT, NOTIMPL, with a message naming the field in err.
 */
int s390dump_parse(const uint8_t *buf, size_t len, struct s390dump_info *info,
                   const uint8_t **mem, char *err, size_t errlen);

/* Decode only the header (no size / end-marker checks beyond the header). */
int s390dump_decode_header(const uint8_t *buf, size_t len,
                           struct s390dump_info *info, char *err,
                           size_t errlen);

const char *s390dump_strerror(int status);

#endif /* SCLP_S390DUMP_H */
