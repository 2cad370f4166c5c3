/*
 * Store-status save area (512 bytes) and the vector part of the additional
 * status area.
 *
 * Sources: lx61:arch/s390/include/asm/lowcore.h (absolute offsets
 * 0x1200..0x13ff "defined by architecture", __LC_AR_MODE_ID 0xa3),
 * q72:target/s390x/helper.c (SigpSaveArea, s390_store_status; note its
 * "0x0384" comment for crs is a typo, the field is at 0x180 - pitfall 13),
 * q72:target/s390x/helper.c (SigpAdtlSaveArea, s390_store_adtl_status),
 * lx61:arch/s390/kernel/smp.c / crash_dump.c (save_area_add_regs,
 * save_area_add_vxrs).  Big-endian byte image.
 */
#ifndef SCLP_SAVE_AREA_H
#define SCLP_SAVE_AREA_H

#include <stddef.h>
#include <stdint.h>

#include <dumpbench/cpu.h>

#define SCLP_SA_SIZE            512
#define SCLP_SA_ABS_ADDR        0x1200u /* __LC_FPREGS_SAVE_AREA */
#define SCLP_LC_AR_MODE_ID      0x00a3u /* 1 = z/Architecture (64-bit) */
#define SCLP_SA_ADDR_MASK       0x7ffffe00u /* SIGP STORE STATUS AT ADDRESS */
#define SCLP_ADTL_VX_SIZE       512     /* V0..V31, 16 bytes each */
#define SCLP_ADTL_MIN_LEN       1024    /* lc == 0: 1 KiB area, 1 KiB aligned */

struct sclp_save_area {
    uint8_t fprs[16][8];        /* 0x000  FPR 0-15 */
    uint8_t gprs[16][8];        /* 0x080  GPR 0-15 */
    uint8_t psw[16];            /* 0x100  mask, address */
    uint8_t pad_110[8];         /* 0x110 */
    uint8_t prefix[4];          /* 0x118 */
    uint8_t fpc[4];             /* 0x11c */
    uint8_t pad_120[4];         /* 0x120 */
    uint8_t todpreg[4];         /* 0x124 */
    uint8_t cputm[8];           /* 0x128 */
    uint8_t ckc[8];             /* 0x130  clock comparator >> 8 (bits 0-55) */
    uint8_t last_break[8];      /* 0x138 */
    uint8_t acrs[16][4];        /* 0x140 */
    uint8_t crs[16][8];         /* 0x180 */
};
_Static_assert(sizeof(struct sclp_save_area) == SCLP_SA_SIZE, "save area is 512 bytes");
_Static_assert(offsetof(struct sclp_save_area, psw) == 0x100, "psw @0x100");
_Static_assert(offsetof(struct sclp_save_area, prefix) == 0x118, "prefix @0x118");
_Static_assert(offsetof(struct sclp_save_area, ckc) == 0x130, "ckc @0x130");
_Static_assert(offsetof(struct sclp_save_area, acrs) == 0x140, "acrs @0x140");
_Static_assert(offsetof(struct sclp_save_area, crs) == 0x180, "crs @0x180");

/* Vector part of STORE ADDITIONAL STATUS (q72 SigpAdtlSaveArea.vregs). */
struct sclp_adtl_vx_area {
    uint8_t vregs[32][16];      /* 0x000  V0..V31; bytes 0-7 of V0-15 = FPRs */
};
_Static_assert(sizeof(struct sclp_adtl_vx_area) == SCLP_ADTL_VX_SIZE, "vx area is 512 bytes");

/* Encode/decode between the neutral CPU struct and the architected image. */
void sclp_save_area_encode(const struct db_s390_cpu *cpu,
                           uint8_t out[SCLP_SA_SIZE]);
/* Fills the register fields of `cpu`; leaves online/stopped/address/vxrs. */
void sclp_save_area_decode(const uint8_t in[SCLP_SA_SIZE],
                           struct db_s390_cpu *cpu);
void sclp_adtl_vx_encode(const struct db_s390_cpu *cpu,
                         uint8_t out[SCLP_ADTL_VX_SIZE]);
/* Fills vxrs_low/vxrs_high (and checks nothing: the FPR halves are ignored). */
void sclp_adtl_vx_decode(const uint8_t in[SCLP_ADTL_VX_SIZE],
                         struct db_s390_cpu *cpu);

#endif /* SCLP_SAVE_AREA_H */
