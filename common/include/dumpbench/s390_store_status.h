/*
 * IBM Z store status: the architected 512-byte save area and the vector
 * part of the additional status area, big-endian byte images.  Layout
 * only (no code): libsclp (the firmware side, which stores them), libdumpfmt
 * (the s390 stand-alone dump's lowcore save areas, and the consumer-side
 * decoder the sim zfcpdump agent uses) and dbcapture take their offsets
 * from here.
 *
 * Sources: lx61:arch/s390/include/asm/lowcore.h (absolute offsets
 * 0x1200..0x13ff "defined by architecture", __LC_AR_MODE_ID 0xa3),
 * q72:target/s390x/helper.c (SigpSaveArea, s390_store_status; note its
 * "0x0384" comment for crs is a typo, the field is at 0x180 - pitfall 13),
 * q72:target/s390x/helper.c (SigpAdtlSaveArea, s390_store_adtl_status),
 * lx61:arch/s390/kernel/crash_dump.c (save_area_add_regs,
 * save_area_add_vxrs), s390t:zdump/dfo_s390.c (cpu2lc_64).
 */
#ifndef DUMPBENCH_S390_STORE_STATUS_H
#define DUMPBENCH_S390_STORE_STATUS_H

#include <stddef.h>
#include <stdint.h>

#define DB_S390_SA_SIZE         512
#define DB_S390_SA_LC_OFF       0x1200u /* __LC_FPREGS_SAVE_AREA: prefix + 0x1200
                                         * (absolute 0x1200 for the IPL CPU) */
#define DB_S390_ADTL_VX_SIZE    512     /* V0..V31, 16 bytes each */

/* STORE STATUS save area; offsets relative to its start (lowcore + 0x1200). */
struct db_s390_save_area {
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
_Static_assert(sizeof(struct db_s390_save_area) == DB_S390_SA_SIZE, "save area is 512 bytes");
_Static_assert(offsetof(struct db_s390_save_area, gprs) == 0x080, "gprs @0x80");
_Static_assert(offsetof(struct db_s390_save_area, psw) == 0x100, "psw @0x100");
_Static_assert(offsetof(struct db_s390_save_area, prefix) == 0x118, "prefix @0x118");
_Static_assert(offsetof(struct db_s390_save_area, fpc) == 0x11c, "fpc @0x11c");
_Static_assert(offsetof(struct db_s390_save_area, todpreg) == 0x124, "todpreg @0x124");
_Static_assert(offsetof(struct db_s390_save_area, cputm) == 0x128, "cputm @0x128");
_Static_assert(offsetof(struct db_s390_save_area, ckc) == 0x130, "ckc @0x130");
_Static_assert(offsetof(struct db_s390_save_area, acrs) == 0x140, "acrs @0x140");
_Static_assert(offsetof(struct db_s390_save_area, crs) == 0x180, "crs @0x180");

/* Vector part of STORE ADDITIONAL STATUS (q72 SigpAdtlSaveArea.vregs). */
struct db_s390_adtl_vx_area {
    uint8_t vregs[32][16];      /* 0x000  V0..V31; bytes 0-7 of V0-15 = FPRs,
                                 *        bytes 8-15 = vxrs_low; 0x100 V16-31 */
};
_Static_assert(sizeof(struct db_s390_adtl_vx_area) == DB_S390_ADTL_VX_SIZE, "vx area is 512 bytes");

#endif /* DUMPBENCH_S390_STORE_STATUS_H */
