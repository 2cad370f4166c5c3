/*
 * makedumpfile kdump-compressed format, 64-bit targets, as byte offsets.
 * Sources: mdf:diskdump_mod.h @afd0a6db, mdf:IMPLEMENTATION; cross-checked
 * with lkdf:src/kdumpfile/diskdump.c (disk_dump_header_64,
 * kdump_sub_header_64, page_desc).  All integers are in the dumped
 * machine's byte order.
 */
#ifndef DUMPFMT_ABI_KDUMP_H
#define DUMPFMT_ABI_KDUMP_H

/* struct disk_dump_header (block 0) */
#define KDH_SIGNATURE       0x000  /* char[8] "KDUMP   " */
#define KDH_VERSION         0x008  /* int header_version */
#define KDH_UTSNAME         0x00c  /* struct new_utsname: 6 x char[65] */
#define KDH_UTS_FIELD_LEN   65
#define KDH_UTS_MACHINE     (KDH_UTSNAME + 4 * KDH_UTS_FIELD_LEN)  /* 0x110 */
#define KDH_TIMESTAMP       0x198  /* struct timeval (after 6 pad bytes) */
#define KDH_STATUS          0x1a8  /* unsigned int */
#define KDH_BLOCK_SIZE      0x1ac  /* int */
#define KDH_SUB_HDR_SIZE    0x1b0  /* int, blocks */
#define KDH_BITMAP_BLOCKS   0x1b4  /* unsigned int, both bitmaps */
#define KDH_MAX_MAPNR       0x1b8  /* unsigned int (obsolete) */
#define KDH_TOTAL_RAM_BLOCKS 0x1bc
#define KDH_DEVICE_BLOCKS   0x1c0
#define KDH_WRITTEN_BLOCKS  0x1c4
#define KDH_CURRENT_CPU     0x1c8
#define KDH_NR_CPUS         0x1cc  /* int */
#define KDH_SIZE            0x1d0
_Static_assert(KDH_UTSNAME + 6 * KDH_UTS_FIELD_LEN + 6 == KDH_TIMESTAMP,
               "timestamp follows utsname + 6 pad bytes");
_Static_assert(KDH_NR_CPUS + 4 == KDH_SIZE, "disk_dump_header_64 is 464 bytes");

/* struct kdump_sub_header (block 1), 64-bit */
#define KSH_PHYS_BASE       0x00  /* unsigned long, v1+ */
#define KSH_DUMP_LEVEL      0x08  /* int, v1+ */
#define KSH_SPLIT           0x0c  /* int, v2+ */
#define KSH_START_PFN       0x10  /* v2+ */
#define KSH_END_PFN         0x18
#define KSH_OFFSET_VMCOREINFO 0x20  /* off_t, v3+ */
#define KSH_SIZE_VMCOREINFO 0x28
#define KSH_OFFSET_NOTE     0x30  /* v4+ */
#define KSH_SIZE_NOTE       0x38
#define KSH_OFFSET_ERASEINFO 0x40 /* v5+ */
#define KSH_SIZE_ERASEINFO  0x48
#define KSH_START_PFN_64    0x50  /* v6+ */
#define KSH_END_PFN_64      0x58
#define KSH_MAX_MAPNR_64    0x60
#define KSH_SIZE            0x68
_Static_assert(KSH_MAX_MAPNR_64 + 8 == KSH_SIZE, "kdump_sub_header_64 is 104 bytes");

/* page_desc_t */
#define PD_OFFSET           0x00  /* off_t */
#define PD_SIZE             0x08  /* unsigned int */
#define PD_FLAGS            0x0c  /* unsigned int */
#define PD_PAGE_FLAGS       0x10  /* unsigned long long */
#define PAGE_DESC_SIZE      0x18
_Static_assert(PD_PAGE_FLAGS + 8 == PAGE_DESC_SIZE, "page_desc_t is 24 bytes");

/* header status / page_desc flags */
#define DUMP_DH_COMPRESSED_ZLIB        0x01
#define DUMP_DH_COMPRESSED_LZO         0x02
#define DUMP_DH_COMPRESSED_SNAPPY      0x04
#define DUMP_DH_COMPRESSED_INCOMPLETE  0x08
#define DUMP_DH_EXCLUDED_VMEMMAP       0x10
#define DUMP_DH_COMPRESSED_ZSTD        0x20

#define KDUMP_SIGNATURE     "KDUMP   "
#define DISKDUMP_SIGNATURE  "DISKDUMP"
/* mdf:makedumpfile.h flattened format */
#define MDF_FLAT_SIGNATURE  "makedumpfile"

#endif /* DUMPFMT_ABI_KDUMP_H */
