/*
 * s390 stand-alone dump format ("s390dump", zgetdump input "s390"): the
 * 4 KiB header and the 16-byte end marker, big-endian byte images.  Layout
 * only (no code): libsclp's writer/reader (<sclp/s390dump.h>) and
 * libdumpfmt's (dumpfmt/src/abi_s390dump.h, also used by dbcapture) take
 * their offsets from here.  The memory image [mem_start, mem_start +
 * mem_size) follows the header at offset hdr_size, then the end marker.
 *
 * Sources: s390t:include/dump/s390_dump.h (struct df_s390_hdr, struct
 * df_s390_em, DF_S390_*), s390t:zdump/dfo_s390.c (writer), s390t:zdump/
 * dfi_s390.c (reader), s390t:zdump/df_s390.c (df_s390_em_verify);
 * libkdumpfile src/kdumpfile/s390dump.c (probe: end marker tod >= hdr tod).
 */
#ifndef DUMPBENCH_S390_DUMP_HDR_H
#define DUMPBENCH_S390_DUMP_HDR_H

#include <stddef.h>
#include <stdint.h>

#define DB_S390DUMP_MAGIC       0xa8190173618f23fdull
#define DB_S390DUMP_MAGIC_EXT   0xa8190173618f23feull  /* extended (segmented) */
#define DB_S390DUMP_HDR_SIZE    0x1000
#define DB_S390DUMP_CPU_MAX     512
#define DB_S390DUMP_EM_SIZE     16
#define DB_S390DUMP_EM_STR      "DUMP_END"
#define DB_S390DUMP_ARCH_32     1
#define DB_S390DUMP_ARCH_64     2

/* struct df_s390_hdr (packed: mem_size_real and the CPU counts are unaligned). */
struct db_s390dump_hdr {
    uint8_t magic[8];           /* 0x000 */
    uint8_t version[4];         /* 0x008 */
    uint8_t hdr_size[4];        /* 0x00c */
    uint8_t dump_level[4];      /* 0x010 */
    uint8_t page_size[4];       /* 0x014 */
    uint8_t mem_size[8];        /* 0x018 */
    uint8_t mem_start[8];       /* 0x020 */
    uint8_t mem_end[8];         /* 0x028 */
    uint8_t num_pages[4];       /* 0x030 */
    uint8_t pad[4];             /* 0x034 */
    uint8_t tod[8];             /* 0x038 */
    uint8_t cpu_id[8];          /* 0x040 */
    uint8_t arch[4];            /* 0x048 */
    uint8_t volnr[4];           /* 0x04c */
    uint8_t build_arch[4];      /* 0x050 */
    uint8_t mem_size_real[8];   /* 0x054 */
    uint8_t mvdump;             /* 0x05c */
    uint8_t cpu_cnt[2];         /* 0x05d */
    uint8_t real_cpu_cnt[2];    /* 0x05f */
    uint8_t zlib_version_s390;  /* 0x061 */
    uint8_t zlib_entry_size[4]; /* 0x062 */
    uint8_t end_pad1[0x200 - 0x066]; /* 0x066 */
    uint8_t mvdump_sign[8];     /* 0x200 */
    uint8_t mvdump_zipl_time[8]; /* 0x208 */
    uint8_t end_pad2[0x800 - 0x210]; /* 0x210 */
    uint8_t lc_vec[DB_S390DUMP_CPU_MAX][4]; /* 0x800 prefix of each CPU */
};
_Static_assert(sizeof(struct db_s390dump_hdr) == DB_S390DUMP_HDR_SIZE, "s390 dump header is 4 KiB");
_Static_assert(offsetof(struct db_s390dump_hdr, tod) == 0x038, "tod @0x38");
_Static_assert(offsetof(struct db_s390dump_hdr, arch) == 0x048, "arch @0x48");
_Static_assert(offsetof(struct db_s390dump_hdr, mem_size_real) == 0x054, "mem_size_real @0x54");
_Static_assert(offsetof(struct db_s390dump_hdr, mvdump) == 0x05c, "mvdump @0x5c");
_Static_assert(offsetof(struct db_s390dump_hdr, cpu_cnt) == 0x05d, "cpu_cnt @0x5d");
_Static_assert(offsetof(struct db_s390dump_hdr, real_cpu_cnt) == 0x05f, "real_cpu_cnt @0x5f");
_Static_assert(offsetof(struct db_s390dump_hdr, zlib_entry_size) == 0x062, "zlib_entry_size @0x62");
_Static_assert(offsetof(struct db_s390dump_hdr, mvdump_sign) == 0x200, "mvdump_sign @0x200");
_Static_assert(offsetof(struct db_s390dump_hdr, lc_vec) == 0x800, "lc_vec @0x800");

/* struct df_s390_em, after the memory image. */
struct db_s390dump_em {
    uint8_t str[8];             /* 0x0 "DUMP_END" */
    uint8_t tod[8];             /* 0x8 >= the header's tod */
};
_Static_assert(sizeof(struct db_s390dump_em) == DB_S390DUMP_EM_SIZE, "end marker is 16 bytes");

#endif /* DUMPBENCH_S390_DUMP_HDR_H */
