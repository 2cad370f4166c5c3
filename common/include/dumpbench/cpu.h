/*
 * Neutral CPU register sets, host byte order.
 *
 * These are what host-ops cpu_get/cpu_set transfer and what the dump-format
 * library turns into ELF notes.  They are *not* ABI layouts: the big-endian
 * architected layouts (s390 store-status save area, PAPR register save area,
 * ELF prstatus) live in their own headers next to the code that writes them.
 */
#ifndef DUMPBENCH_CPU_H
#define DUMPBENCH_CPU_H

#include <stdbool.h>
#include <stdint.h>

/*
 * IBM Z CPU state: everything the architected store-status save area
 * (absolute 0x1200..0x13ff, lx61:arch/s390/include/asm/lowcore.h) and
 * STORE ADDITIONAL STATUS (vector registers) can carry.
 */
struct db_s390_cpu {
    uint64_t psw_mask;
    uint64_t psw_addr;
    uint64_t gprs[16];
    uint32_t acrs[16];
    uint64_t fprs[16];      /* == high halves of V0..V15 with facility 129 */
    uint32_t fpc;
    uint64_t crs[16];
    uint32_t prefix;
    uint32_t todpreg;
    uint64_t cputm;         /* CPU timer */
    uint64_t ckc;           /* clock comparator, the whole register; store status,
                             * the standalone dump's save area and Linux's
                             * NT_S390_TODCMP note carry bits 0-55 only (ckc >> 8;
                             * q72 s390_store_status, lx61 crash_dump.c
                             * save_area_add_regs copies the save area verbatim) */
    uint64_t vxrs_low[16];  /* low halves of V0..V15 */
    uint64_t vxrs_high[16][2]; /* V16..V31, [0] = high, [1] = low doubleword */
    bool online;            /* configured and present */
    bool stopped;
    uint16_t address;       /* CPU address used by SIGP */
};

/*
 * POWER CPU state: the registers the PAPR register save area names that
 * Linux maps into pt_regs (lx61:arch/powerpc/platforms/pseries/rtas-fadump.c
 * rtas_fadump_set_regval) plus the extra SPRs firmware saves.
 */
struct db_ppc64_cpu {
    uint64_t gpr[32];
    uint64_t nia;
    uint64_t msr;
    uint64_t ctr;
    uint64_t lr;
    uint64_t xer;
    uint64_t cr;
    uint64_t dar;
    uint64_t dsisr;
    uint64_t srr0;
    uint64_t srr1;
    uint64_t pir;
    uint64_t pvr;
    uint64_t fpscr;
    bool online;
    bool stopped;
    uint32_t cpu_id;        /* logical id used in CPUSTRT/CPUEND */
};

#endif /* DUMPBENCH_CPU_H */
