/*
 * ELF64 file layout (ehdr, phdr, shdr, nhdr) as byte offsets.
 * Source: lx61:include/uapi/linux/elf.h (Elf64_Ehdr, Elf64_Phdr, Elf64_Shdr,
 * Elf64_Nhdr).  Fields are in the byte order named by e_ident[EI_DATA];
 * access them only with df_ld / df_st (internal.h), never by casting.
 */
#ifndef DUMPFMT_ABI_ELF_H
#define DUMPFMT_ABI_ELF_H

/* Elf64_Ehdr, 64 bytes */
#define EH_IDENT        0x00  /* 16 bytes */
#define EH_TYPE         0x10  /* u16 */
#define EH_MACHINE      0x12  /* u16 */
#define EH_VERSION      0x14  /* u32 */
#define EH_ENTRY        0x18  /* u64 */
#define EH_PHOFF        0x20  /* u64 */
#define EH_SHOFF        0x28  /* u64 */
#define EH_FLAGS        0x30  /* u32 */
#define EH_EHSIZE       0x34  /* u16 */
#define EH_PHENTSIZE    0x36  /* u16 */
#define EH_PHNUM        0x38  /* u16 */
#define EH_SHENTSIZE    0x3a  /* u16 */
#define EH_SHNUM        0x3c  /* u16 */
#define EH_SHSTRNDX     0x3e  /* u16 */
#define EHDR_SIZE       0x40

/* e_ident */
#define EI_CLASS_OFF    4
#define EI_DATA_OFF     5
#define EI_VERSION_OFF  6
#define EI_OSABI_OFF    7
#define ELFCLASS64_V    2
#define ELFDATA2LSB_V   1
#define ELFDATA2MSB_V   2
#define EV_CURRENT_V    1
#define ET_CORE_V       4
#define EM_PPC64_V      21
#define EM_S390_V       22
#define EM_X86_64_V     62
#define PN_XNUM_V       0xffff

/* Elf64_Phdr, 56 bytes */
#define PH_TYPE         0x00  /* u32 */
#define PH_FLAGS        0x04  /* u32 */
#define PH_OFFSET       0x08  /* u64 */
#define PH_VADDR        0x10  /* u64 */
#define PH_PADDR        0x18  /* u64 */
#define PH_FILESZ       0x20  /* u64 */
#define PH_MEMSZ        0x28  /* u64 */
#define PH_ALIGN        0x30  /* u64 */
#define PHDR_SIZE       0x38

#define PT_LOAD_V       1
#define PT_NOTE_V       4
#define PF_X_V          1
#define PF_W_V          2
#define PF_R_V          4

/* Elf64_Shdr, 64 bytes (only what PN_XNUM handling needs) */
#define SH_INFO         0x2c  /* u32: real e_phnum when e_phnum == PN_XNUM */
#define SHDR_SIZE       0x40

/* Elf64_Nhdr, 12 bytes; name and desc each padded to 4 bytes */
#define NH_NAMESZ       0x0   /* u32 */
#define NH_DESCSZ       0x4   /* u32 */
#define NH_TYPE         0x8   /* u32 */
#define NHDR_SIZE       12

_Static_assert(EH_SHSTRNDX + 2 == EHDR_SIZE, "Elf64_Ehdr is 64 bytes");
_Static_assert(PH_ALIGN + 8 == PHDR_SIZE, "Elf64_Phdr is 56 bytes");
_Static_assert(NH_TYPE + 4 == NHDR_SIZE, "Elf64_Nhdr is 12 bytes");

/* ppc64 kernels: e_flags = _CALL_ELF (lx61:arch/powerpc/kernel/fadump.c
 * fadump_init_elfcore_header): ELFv1 (BE) = 1, ELFv2 (LE) = 2. */
#define PPC64_EFLAGS_BE 1
#define PPC64_EFLAGS_LE 2

/* Kernel direct-map bases used for PT_LOAD p_vaddr = __va(paddr). */
#define PPC64_PAGE_OFFSET   0xc000000000000000ull  /* lx61:arch/powerpc/include/asm/page.h */
#define X86_64_PAGE_OFFSET  0xffff888000000000ull  /* lx61:arch/x86/include/asm/page_64_types.h, 4-level, nokaslr */

#endif /* DUMPFMT_ABI_ELF_H */
