/*
 * Store-status save area (512 bytes) and the vector part of the additional
 * status area.  The layouts (struct db_s390_save_area,
 * struct db_s390_adtl_vx_area, offsets and sources) are in
 * <dumpbench/s390_store_status.h>, shared with libdumpfmt; this header
 * keeps libsclp's names for their sizes and addresses.  Big-endian byte
 * image.
 */
#ifndef SCLP_SAVE_AREA_H
#define SCLP_SAVE_AREA_H

#include <stddef.h>
#include <stdint.h>

#include <dumpbench/cpu.h>
#include <dumpbench/s390_store_status.h>

#define SCLP_SA_SIZE            DB_S390_SA_SIZE
#define SCLP_SA_ABS_ADDR        DB_S390_SA_LC_OFF /* __LC_FPREGS_SAVE_AREA */
#define SCLP_LC_AR_MODE_ID      0x00a3u /* 1 = z/Architecture (64-bit) */
#define SCLP_SA_ADDR_MASK       0x7ffffe00u /* SIGP STORE STATUS AT ADDRESS */
#define SCLP_ADTL_VX_SIZE       DB_S390_ADTL_VX_SIZE /* V0..V31, 16 bytes each */
#define SCLP_ADTL_MIN_LEN       1024    /* lc == 0: 1 KiB area, 1 KiB aligned */

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
