/*
 * s390 stand-alone dump ("s390dump") format, big-endian, as byte offsets.
 * Source: s390-tools zdump/df_s390.h (struct df_s390_hdr, struct
 * df_s390_em), zdump/dfo_s390.c (writer), zdump/dfi_s390.c (reader);
 * libkdumpfile src/kdumpfile/s390dump.c (probe: end marker tod >= hdr tod).
 */
#ifndef DUMPFMT_ABI_S390DUMP_H
#define DUMPFMT_ABI_S390DUMP_H

#define S390D_MAGIC           0xa8190173618f23fdull
#define S390D_MAGIC_EXT       0xa8190173618f23feull
#define S390D_HDR_SIZE        0x1000
#define S390D_CPU_MAX         512

#define S390D_OFF_MAGIC       0x000  /* u64 */
#define S390D_OFF_VERSION     0x008  /* u32 */
#define S390D_OFF_HDR_SIZE    0x00c  /* u32 */
#define S390D_OFF_DUMP_LEVEL  0x010  /* u32 */
#define S390D_OFF_PAGE_SIZE   0x014  /* u32 */
#define S390D_OFF_MEM_SIZE    0x018  /* u64 */
#define S390D_OFF_MEM_START   0x020  /* u64 */
#define S390D_OFF_MEM_END     0x028  /* u64 */
#define S390D_OFF_NUM_PAGES   0x030  /* u32 */
#define S390D_OFF_TOD         0x038  /* u64 */
#define S390D_OFF_CPU_ID      0x040  /* u64 */
#define S390D_OFF_ARCH        0x048  /* u32 */
#define S390D_OFF_VOLNR       0x04c  /* u32 */
#define S390D_OFF_BUILD_ARCH  0x050  /* u32 */
#define S390D_OFF_MEM_SIZE_REAL 0x054 /* u64, unaligned (packed) */
#define S390D_OFF_MVDUMP      0x05c  /* u8 */
#define S390D_OFF_CPU_CNT     0x05d  /* u16, unaligned */
#define S390D_OFF_REAL_CPU_CNT 0x05f /* u16, unaligned */
#define S390D_OFF_LC_VEC      0x800  /* u32[512] */
_Static_assert(S390D_OFF_LC_VEC + S390D_CPU_MAX * 4 == S390D_HDR_SIZE,
               "df_s390_hdr is 4 KiB");

/* struct df_s390_em: char str[8] = "DUMP_END"; u64 tod */
#define S390D_EM_STR          "DUMP_END"
#define S390D_EM_SIZE         16

#define S390D_ARCH_32         1
#define S390D_ARCH_64         2

/*
 * Architected store-status save area in the lowcore (absolute prefix +
 * 0x1200..0x13ff), lx61:arch/s390/include/asm/lowcore.h; written by SIGP
 * STORE STATUS and by zgetdump's cpu2lc_64 (dfo_s390.c).
 */
#define LC_FPREGS             0x1200  /* 16 x u64 */
#define LC_GPREGS             0x1280  /* 16 x u64 */
#define LC_PSW                0x1300  /* mask, addr */
#define LC_PREFIX             0x1318  /* u32 */
#define LC_FPC                0x131c  /* u32 */
#define LC_TODPREG            0x1324  /* u32 */
#define LC_CPUTM              0x1328  /* u64 */
#define LC_CKC                0x1330  /* u64 */
#define LC_ACRS               0x1340  /* 16 x u32 */
#define LC_CRS                0x1380  /* 16 x u64 */
#define LC_SA_END             0x1400
_Static_assert(LC_CRS + 16 * 8 == LC_SA_END, "save area ends at 0x1400");

#endif /* DUMPFMT_ABI_S390DUMP_H */
