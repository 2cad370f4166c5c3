/*
 * /rtas device-tree properties for firmware-assisted dump, big-endian cells.
 *
 * Sources: linux:arch/powerpc/platforms/pseries/rtas-fadump.c
 * (rtas_fadump_dt_scan: token, -sizes triplets, ibm,kernel-dump);
 * qemu:hw/ppc/spapr.c spapr_dt_rtas_fadump (qdev PULL 29/32, 30/32);
 * qemu:include/hw/ppc/spapr.h (token RTAS_TOKEN_BASE + 0x2D).
 * Spec: /work/shared/specs/phyp.md section 2.1.
 *
 * ibm,configure-kernel-dump         4 bytes: be32 RTAS token
 * ibm,configure-kernel-dump-sizes  24 bytes: N triplets {type, size_hi, size_lo}
 *   0x00 be32 1 (CPU state data)   0x04 be32 size>>32   0x08 be32 size
 *   0x0C be32 2 (HPTE)             0x10 be32 size>>32   0x14 be32 size
 * ibm,configure-kernel-dump-version 4 bytes: {u16 min, u16 max}; QEMU 10.2
 *   writes host order (Q8), this model writes big-endian unless the profile
 *   asks for the quirk.
 * ibm,kernel-dump   40 + 40n bytes: registered structure with results
 *   (layout in <phyp/fdm.h>), present only while a dump is active.
 */
#ifndef PHYP_RTAS_PROPS_H
#define PHYP_RTAS_PROPS_H

#include <stdint.h>

/* One -sizes triplet. */
struct phyp_dt_size_cell {
    uint32_t type;      /* 0x00 PHYP_DT_SIZE_TYPE_* */
    uint32_t size_hi;   /* 0x04 */
    uint32_t size_lo;   /* 0x08 */
};
_Static_assert(sizeof(struct phyp_dt_size_cell) == 12, "-sizes triplet is 12 bytes");

#define PHYP_DT_SIZE_TYPE_CPU       1u
#define PHYP_DT_SIZE_TYPE_HPTE      2u
#define PHYP_DT_SIZES_LEN           24u
#define PHYP_DT_VERSION_LEN         4u
#define PHYP_DT_TOKEN_LEN           4u
/* QEMU 10.2 token: RTAS_TOKEN_BASE 0x2000 + 0x2D. */
#define PHYP_RTAS_TOKEN_QEMU        0x202Du

/* RTAS call shape (linux:…/rtas-fadump.c rtas_call(token, 3, 1, ...)). */
#define PHYP_RTAS_NARGS             3u
#define PHYP_RTAS_NRET              1u

#endif /* PHYP_RTAS_PROPS_H */
