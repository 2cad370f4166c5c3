/*
 * ELF core note descriptor layouts for 64-bit s390x and ppc64, as byte
 * offsets (byte order = the ELF file's).
 *
 * struct elf_prstatus: lx61:include/linux/elfcore.h (elf_prstatus_common:
 *   struct elf_siginfo pr_info (3 x int), short pr_cursig, unsigned long
 *   pr_sigpend, pr_sighold, pid_t pr_pid, pr_ppid, pr_pgrp, pr_sid,
 *   4 x struct __kernel_old_timeval) then elf_gregset_t pr_reg, int
 *   pr_fpvalid, padded to 8.
 * s390x elf_gregset_t = s390_regs (lx61:arch/s390/include/asm/elf.h,
 *   uapi/asm/ptrace.h): psw_t psw {mask, addr}, gprs[16], acrs[16] (u32),
 *   orig_gpr2 -> 216 bytes; sizeof(elf_prstatus) = 336 (cross-check
 *   q72:target/s390x/arch_dump.c S390xElfPrstatus).
 * s390x elf_fpregset_t = s390_fp_regs: u32 fpc, u32 pad, freg_t fprs[16].
 * ppc64 elf_gregset_t = elf_greg_t64[ELF_NGREG = 48]
 *   (lx61:arch/powerpc/include/uapi/asm/elf.h:93), filled by
 *   ppc_elf_core_copy_regs from struct pt_regs in its order
 *   (lx61:arch/powerpc/include/uapi/asm/ptrace.h): gpr[32], nip, msr,
 *   orig_gpr3, ctr, link, xer, ccr, softe, trap, dar, dsisr, result, then
 *   4 zero slots; sizeof(elf_prstatus) = 504.
 * struct elf_prpsinfo (64-bit): pr_state, pr_sname, pr_zomb, pr_nice,
 *   pad, unsigned long pr_flag, __kernel_uid_t pr_uid, pr_gid (u32),
 *   pr_pid, pr_ppid, pr_pgrp, pr_sid, char pr_fname[16], pr_psargs[80]
 *   -> 136 bytes.
 */
#ifndef DUMPFMT_ABI_PRSTATUS_H
#define DUMPFMT_ABI_PRSTATUS_H

/* elf_prstatus common head (64-bit longs) */
#define PRS_INFO_SIGNO      0x00  /* int */
#define PRS_CURSIG          0x0c  /* short */
#define PRS_SIGPEND         0x10  /* unsigned long */
#define PRS_SIGHOLD         0x18
#define PRS_PID             0x20  /* pid_t */
#define PRS_PPID            0x24
#define PRS_PGRP            0x28
#define PRS_SID             0x2c
#define PRS_UTIME           0x30  /* 4 x 16-byte timeval */
#define PRS_REG             0x70  /* pr_reg */

/* s390x pr_reg (s390_regs) */
#define S390_PRS_PSW_MASK   (PRS_REG + 0x00)
#define S390_PRS_PSW_ADDR   (PRS_REG + 0x08)
#define S390_PRS_GPRS       (PRS_REG + 0x10)   /* 16 x u64 */
#define S390_PRS_ACRS       (PRS_REG + 0x90)   /* 16 x u32 */
#define S390_PRS_ORIG_GPR2  (PRS_REG + 0xd0)
#define S390_REGS_SIZE      0xd8
#define S390_PRS_FPVALID    (PRS_REG + S390_REGS_SIZE)
#define S390_PRSTATUS_SIZE  336

_Static_assert(S390_PRS_GPRS + 16 * 8 == S390_PRS_ACRS, "s390 gprs");
_Static_assert(S390_PRS_ACRS + 16 * 4 == S390_PRS_ORIG_GPR2, "s390 acrs");
_Static_assert(((S390_PRS_FPVALID + 4 + 7) & ~7) == S390_PRSTATUS_SIZE,
               "s390x elf_prstatus is 336 bytes");

/* s390x s390_fp_regs */
#define S390_FP_FPC         0x00  /* u32 */
#define S390_FP_FPRS        0x08  /* 16 x u64 */
#define S390_FPREGSET_SIZE  136
_Static_assert(S390_FP_FPRS + 16 * 8 == S390_FPREGSET_SIZE, "s390 fpregset");

/* s390 LINUX note desc sizes (lx61:arch/s390/kernel/crash_dump.c struct save_area) */
#define S390_TIMER_SIZE     8   /* u64 timer */
#define S390_TODCMP_SIZE    8   /* u64 todcmp */
#define S390_TODPREG_SIZE   4   /* u32 todpreg */
#define S390_CTRS_SIZE      128 /* u64 ctrs[16] */
#define S390_PREFIX_SIZE    4   /* u32 prefix */
#define S390_VXRS_LOW_SIZE  128 /* u64 vxrs_low[16] */
#define S390_VXRS_HIGH_SIZE 256 /* __vector128 vxrs_high[16] */

/* ppc64 pr_reg slot indices (pt_regs order) */
#define PPC_GREG_NIP        32
#define PPC_GREG_MSR        33
#define PPC_GREG_ORIG_GPR3  34
#define PPC_GREG_CTR        35
#define PPC_GREG_LINK       36
#define PPC_GREG_XER        37
#define PPC_GREG_CCR        38
#define PPC_GREG_SOFTE      39
#define PPC_GREG_TRAP       40
#define PPC_GREG_DAR        41
#define PPC_GREG_DSISR      42
#define PPC_GREG_RESULT     43
#define PPC_ELF_NGREG       48
#define PPC_PRS_FPVALID     (PRS_REG + PPC_ELF_NGREG * 8)
#define PPC64_PRSTATUS_SIZE 504
_Static_assert(((PPC_PRS_FPVALID + 4 + 7) & ~7) == PPC64_PRSTATUS_SIZE,
               "ppc64 elf_prstatus is 504 bytes");

/* elf_prpsinfo (64-bit) */
#define PRPS_STATE          0x00
#define PRPS_SNAME          0x01
#define PRPS_ZOMB           0x02
#define PRPS_NICE           0x03
#define PRPS_FLAG           0x08
#define PRPS_UID            0x10
#define PRPS_GID            0x14
#define PRPS_PID            0x18
#define PRPS_PPID           0x1c
#define PRPS_PGRP           0x20
#define PRPS_SID            0x24
#define PRPS_FNAME          0x28  /* 16 bytes */
#define PRPS_PSARGS         0x38  /* 80 bytes */
#define PRPSINFO_SIZE       136
_Static_assert(PRPS_PSARGS + 80 == PRPSINFO_SIZE, "elf_prpsinfo is 136 bytes");

#endif /* DUMPFMT_ABI_PRSTATUS_H */
