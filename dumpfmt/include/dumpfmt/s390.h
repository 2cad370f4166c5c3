/*
 * libdumpfmt — IBM Z store-status images, the consumer side: the one
 * decoder (and the s390 stand-alone dump writer's encoder) of the
 * architected 512-byte save area and of the vector part of the additional
 * status area.  Layouts: <dumpbench/s390_store_status.h>.  Used by the s390
 * stand-alone dump reader/writer (lowcore save areas at prefix + 0x1200)
 * and by the sim zfcpdump agent (the IPL CPU's save area from the HSA, the
 * other CPUs' SIGP STORE STATUS AT ADDRESS / STORE ADDITIONAL STATUS).
 *
 * Clock comparator: the save area holds bits 0-55 (q72 s390_store_status
 * stores ckc >> 8); the decoder returns value << 8, the encoder stores
 * ckc >> 8 (lx61 crash_dump.c save_area_add_regs copies the area verbatim).
 */
#ifndef DUMPFMT_S390_H
#define DUMPFMT_S390_H

#include <stdint.h>

#include <dumpbench/cpu.h>
#include <dumpbench/s390_store_status.h>

/*
 * Fill the register fields of `cpu` from a save area (lx61 crash_dump.c
 * save_area_add_regs); online/stopped/address and the vector registers are
 * left as they are.
 */
void df_s390_sa_decode(const uint8_t sa[DB_S390_SA_SIZE],
                       struct db_s390_cpu *cpu);

/*
 * Store the register fields of `cpu` into a save area (s390t zdump
 * dfo_s390.c cpu2lc_64).  Only the architected fields are written: the
 * bytes between them (0x110, 0x120, last_break at 0x138) keep what `sa`
 * held, as zgetdump keeps the memory contents there.
 */
void df_s390_sa_encode(const struct db_s390_cpu *cpu,
                       uint8_t sa[DB_S390_SA_SIZE]);

/*
 * Fill vxrs_low (bytes 8-15 of V0-V15) and vxrs_high (V16-V31) from the
 * vector part of the additional status area (lx61 crash_dump.c
 * save_area_add_vxrs); bytes 0-7 of V0-V15 (the FPRs) are ignored.
 */
void df_s390_adtl_vx_decode(const uint8_t vx[DB_S390_ADTL_VX_SIZE],
                            struct db_s390_cpu *cpu);

#endif /* DUMPFMT_S390_H */
