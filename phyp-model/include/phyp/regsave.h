/*
 * PAPR register save area: what firmware writes to the destination of the
 * CPU-state section (type 0x0001) when a dump is taken.  Big-endian.
 *
 * Sources: linux:arch/powerpc/platforms/pseries/rtas-fadump.h
 * (struct rtas_fadump_reg_save_area_header, struct rtas_fadump_reg_entry),
 * linux:…/rtas-fadump.c (rtas_fadump_build_cpu_notes, rtas_fadump_gpr_index),
 * qemu:hw/ppc/spapr_fadump.c (populate_cpu_reg_entries, PAPR H.1),
 * qemu:include/hw/ppc/spapr_fadump.h (FADUMP_PER_CPU_REG_ENTRIES).
 * Spec: /work/shared/specs/phyp.md section 2.6.
 *
 * Layout written by this model (QEMU-compatible, deterministic tail):
 *   0x00  8  magic_number   "REGSAVE\0"
 *   0x08  4  version        0
 *   0x0C  4  num_cpu_offset 0x10
 *   0x10  4  num_cpus       N
 *   0x14  N * 0x4F0         per CPU: 79 entries CPUSTRT .. CPUEND
 *   end   0xC               zero pad ("padding as in PAPR")
 *   total 0x20 + N * 0x4F0
 */
#ifndef PHYP_REGSAVE_H
#define PHYP_REGSAVE_H

#include <stddef.h>
#include <stdint.h>

/* Header (struct rtas_fadump_reg_save_area_header), 16 bytes. */
struct phyp_regsave_header {
    uint64_t magic_number;      /* 0x00 PHYP_REGSAVE_MAGIC */
    uint32_t version;           /* 0x08 0 */
    uint32_t num_cpu_offset;    /* 0x0C offset of the be32 CPU count */
};

/* One register entry (struct rtas_fadump_reg_entry), 16 bytes. */
struct phyp_regsave_entry {
    uint64_t reg_id;            /* 0x00 ASCII name, left-justified, NUL padded */
    uint64_t reg_value;         /* 0x08 value; CPUSTRT/CPUEND: be32 0 + be32 id */
};

_Static_assert(sizeof(struct phyp_regsave_header) == 16, "regsave header is 16 bytes");
_Static_assert(sizeof(struct phyp_regsave_entry) == 16, "regsave entry is 16 bytes");
_Static_assert(offsetof(struct phyp_regsave_header, num_cpu_offset) == 0x0C,
               "num_cpu_offset at 0x0C");

#define PHYP_REGSAVE_MAGIC          0x5245475341564500ull /* "REGSAVE\0" */
#define PHYP_REGSAVE_OFF_MAGIC      0x00
#define PHYP_REGSAVE_OFF_VERSION    0x08
#define PHYP_REGSAVE_OFF_NCO        0x0C
#define PHYP_REGSAVE_NUM_CPU_OFFSET 0x10u  /* value QEMU writes */
#define PHYP_REGSAVE_OFF_ENTRIES    0x14u  /* NCO + 4: not 8-byte aligned */
#define PHYP_REGSAVE_PAD            0x0Cu
#define PHYP_REGSAVE_ENTRY_SIZE     16u
/* 32 GPRs + 45 other registers + CPUSTRT + CPUEND. */
#define PHYP_REGSAVE_ENTRIES_PER_CPU 79u
#define PHYP_REGSAVE_CPU_SIZE       (PHYP_REGSAVE_ENTRIES_PER_CPU * PHYP_REGSAVE_ENTRY_SIZE)
#define PHYP_REGSAVE_FIXED_SIZE     0x20u  /* 16 + 0xC + 4 */
#define PHYP_REGSAVE_SIZE(n)        (PHYP_REGSAVE_FIXED_SIZE + PHYP_REGSAVE_CPU_SIZE * (uint64_t)(n))
_Static_assert(PHYP_REGSAVE_CPU_SIZE == 0x4F0, "per-CPU block is 0x4F0 bytes");

/* reg_value of the markers: low 32 bits = logical CPU id. */
#define PHYP_REGSAVE_CPU_ID_MASK    0xffffffffull

/* reg_id values (fadump_str_to_u64 of the name). */
#define PHYP_REGID_CPUSTRT  0x4350555354525400ull
#define PHYP_REGID_CPUEND   0x435055454E440000ull
#define PHYP_REGID_GPR00    0x4750523030000000ull
#define PHYP_REGID_GPR_MASK 0xffffff0000000000ull /* top 3 bytes "GPR" */
#define PHYP_REGID_GPR_PFX  0x4750520000000000ull
#define PHYP_REGID_NIA      0x4E49410000000000ull
#define PHYP_REGID_MSR      0x4D53520000000000ull
#define PHYP_REGID_CR       0x4352000000000000ull
#define PHYP_REGID_LR       0x4C52000000000000ull
#define PHYP_REGID_CTR      0x4354520000000000ull
#define PHYP_REGID_XER      0x5845520000000000ull
#define PHYP_REGID_DAR      0x4441520000000000ull
#define PHYP_REGID_DSISR    0x4453495352000000ull
#define PHYP_REGID_SRR0     0x5352523000000000ull
#define PHYP_REGID_SRR1     0x5352523100000000ull
#define PHYP_REGID_PIR      0x5049520000000000ull
#define PHYP_REGID_PVR      0x5056520000000000ull
#define PHYP_REGID_FPSCR    0x4650534352000000ull

#endif /* PHYP_REGSAVE_H */
