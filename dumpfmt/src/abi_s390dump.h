/*
 * s390 stand-alone dump ("s390dump") format, big-endian, as byte offsets.
 * The layout (struct db_s390dump_hdr, struct db_s390dump_em and their
 * sources) is <dumpbench/s390_dump_hdr.h>; these are its offsets under the
 * names the reader, the writer and dbcapture use.
 */
#ifndef DUMPFMT_ABI_S390DUMP_H
#define DUMPFMT_ABI_S390DUMP_H

#include <stddef.h>

#include <dumpbench/s390_dump_hdr.h>
#include <dumpbench/s390_store_status.h>

#define S390D_MAGIC           DB_S390DUMP_MAGIC
#define S390D_MAGIC_EXT       DB_S390DUMP_MAGIC_EXT
#define S390D_HDR_SIZE        DB_S390DUMP_HDR_SIZE
#define S390D_CPU_MAX         DB_S390DUMP_CPU_MAX

#define S390D_OFF(f)          ((unsigned)offsetof(struct db_s390dump_hdr, f))
#define S390D_OFF_MAGIC       S390D_OFF(magic)          /* 0x000  u64 */
#define S390D_OFF_VERSION     S390D_OFF(version)        /* 0x008  u32 */
#define S390D_OFF_HDR_SIZE    S390D_OFF(hdr_size)       /* 0x00c  u32 */
#define S390D_OFF_DUMP_LEVEL  S390D_OFF(dump_level)     /* 0x010  u32 */
#define S390D_OFF_PAGE_SIZE   S390D_OFF(page_size)      /* 0x014  u32 */
#define S390D_OFF_MEM_SIZE    S390D_OFF(mem_size)       /* 0x018  u64 */
#define S390D_OFF_MEM_START   S390D_OFF(mem_start)      /* 0x020  u64 */
#define S390D_OFF_MEM_END     S390D_OFF(mem_end)        /* 0x028  u64 */
#define S390D_OFF_NUM_PAGES   S390D_OFF(num_pages)      /* 0x030  u32 */
#define S390D_OFF_TOD         S390D_OFF(tod)            /* 0x038  u64 */
#define S390D_OFF_CPU_ID      S390D_OFF(cpu_id)         /* 0x040  u64 */
#define S390D_OFF_ARCH        S390D_OFF(arch)           /* 0x048  u32 */
#define S390D_OFF_VOLNR       S390D_OFF(volnr)          /* 0x04c  u32 */
#define S390D_OFF_BUILD_ARCH  S390D_OFF(build_arch)     /* 0x050  u32 */
#define S390D_OFF_MEM_SIZE_REAL S390D_OFF(mem_size_real) /* 0x054 u64, unaligned */
#define S390D_OFF_MVDUMP      S390D_OFF(mvdump)         /* 0x05c  u8 */
#define S390D_OFF_CPU_CNT     S390D_OFF(cpu_cnt)        /* 0x05d  u16, unaligned */
#define S390D_OFF_REAL_CPU_CNT S390D_OFF(real_cpu_cnt)  /* 0x05f  u16, unaligned */
#define S390D_OFF_LC_VEC      S390D_OFF(lc_vec)         /* 0x800  u32[512] */
_Static_assert(S390D_OFF_LC_VEC + S390D_CPU_MAX * 4 == S390D_HDR_SIZE,
               "df_s390_hdr is 4 KiB");

/* struct df_s390_em: char str[8] = "DUMP_END"; u64 tod */
#define S390D_EM_STR          DB_S390DUMP_EM_STR
#define S390D_EM_SIZE         DB_S390DUMP_EM_SIZE

#define S390D_ARCH_32         DB_S390DUMP_ARCH_32
#define S390D_ARCH_64         DB_S390DUMP_ARCH_64

/*
 * Architected store-status save area in the lowcore (absolute prefix +
 * 0x1200..0x13ff), lx61:arch/s390/include/asm/lowcore.h; written by SIGP
 * STORE STATUS and by zgetdump's cpu2lc_64 (dfo_s390.c).  The layout is
 * struct db_s390_save_area (<dumpbench/s390_store_status.h>); these are its
 * fields' lowcore offsets.
 */
#define LC_SA_FIELD(f)        (DB_S390_SA_LC_OFF + (unsigned)offsetof(struct db_s390_save_area, f))
#define LC_FPREGS             LC_SA_FIELD(fprs)     /* 0x1200  16 x u64 */
#define LC_GPREGS             LC_SA_FIELD(gprs)     /* 0x1280  16 x u64 */
#define LC_PSW                LC_SA_FIELD(psw)      /* 0x1300  mask, addr */
#define LC_PREFIX             LC_SA_FIELD(prefix)   /* 0x1318  u32 */
#define LC_FPC                LC_SA_FIELD(fpc)      /* 0x131c  u32 */
#define LC_TODPREG            LC_SA_FIELD(todpreg)  /* 0x1324  u32 */
#define LC_CPUTM              LC_SA_FIELD(cputm)    /* 0x1328  u64 */
#define LC_CKC                LC_SA_FIELD(ckc)      /* 0x1330  u64, bits 0-55 */
#define LC_ACRS               LC_SA_FIELD(acrs)     /* 0x1340  16 x u32 */
#define LC_CRS                LC_SA_FIELD(crs)      /* 0x1380  16 x u64 */
#define LC_SA_END             (DB_S390_SA_LC_OFF + DB_S390_SA_SIZE) /* 0x1400 */
_Static_assert(LC_FPREGS == 0x1200 && LC_CKC == 0x1330 && LC_SA_END == 0x1400,
               "lowcore save area at 0x1200..0x13ff");

#endif /* DUMPFMT_ABI_S390DUMP_H */
