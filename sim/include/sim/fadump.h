/*
 * ppc64 firmware-assisted dump (fadump) in the sim machine.
 *
 * Two parts:
 *
 *  1. The reference fadump agent (sim/src/ppc64_fadump_agent.c): plays what
 *     Linux 6.1 does on pseries around libphyp's ibm,configure-kernel-dump:
 *       - first kernel: size boot memory and the reserved destination area
 *         (lx61:arch/powerpc/kernel/fadump.c fadump_calculate_reserve_size,
 *         get_fadump_area_size, fadump_locate_reserve_mem), build the
 *         three-section dump memory structure (lx61:arch/powerpc/platforms/
 *         pseries/rtas-fadump.c rtas_fadump_init_mem_struct), the crash info
 *         header and the ELF core header in the reserved area
 *         (register_fadump, fadump_create_elfcore_headers), REGISTER with
 *         the kernel's busy loop and its reaction to each return code;
 *       - panic: crash_fadump (crash info header: crashing CPU, pt_regs,
 *         online mask) before ibm,os-term;
 *       - second kernel: read ibm,kernel-dump, validate it as
 *         rtas_fadump_process does, parse the register save area, take boot
 *         memory from its preserved copy and the rest from real memory, as
 *         described by the ELF core header written at registration.
 *     The capture also runs on a truth snapshot (a sim_clone taken at the
 *     crash instant, before firmware copied anything): boot memory is then
 *     read in place and CPUs come from the machine, which yields the
 *     expected dump for a real-kernel run.
 *
 *  2. sim_fadump_run (sim/src/ppc64_backend.c): executes a parsed ppc64
 *     scenario (method fadump, format elf) on a sim machine + libphyp.  The
 *     sim backend dispatches to it for `machine arch=ppc64`.
 *
 * Spec: /work/shared/specs/phyp.md sections 1.2, 2.4, 3.1-3.5.
 */
#ifndef SIM_FADUMP_H
#define SIM_FADUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <dumpbench/cpu.h>
#include <dumpfmt/dump.h>
#include <harness/backend.h>
#include <harness/scenario.h>
#include <phyp/phyp.h>
#include <sim/machine.h>

/* Kernel constants of the modelled guest (Debian ppc64le 6.1 build). */
#define SIM_FADUMP_PAGE_SIZE      0x10000ull     /* CONFIG_PPC_64K_PAGES */
/* RTAS_FADUMP_MIN_BOOT_MEM = (1 << 28) + (1 << 26) (rtas-fadump.h). */
#define SIM_FADUMP_MIN_BOOT_MEM   0x14000000ull
/* CMA_MIN_ALIGNMENT_BYTES with 64K pages and 16 MiB huge pages (hash MMU). */
#define SIM_FADUMP_CMA_ALIGN      0x1000000ull
#define SIM_FADUMP_MAX_BOOT_MEM_RATIO 4u        /* MAX_BOOT_MEM_RATIO */
/* Where the first kernel keeps its static `fdm` (kernel .bss, below 4 GiB). */
#define SIM_FADUMP_FDM_ADDR       0x01000000ull
/* Where the capture kernel's flattened DT holds the ibm,kernel-dump copy. */
#define SIM_FADUMP_FDM_ACTIVE_ADDR 0x01100000ull
/* Second kernel's footprint in boot memory: kernel image + initrd + data
 * (planted sparsely, see sim_plant_footprint in <sim/backend.h>). */
#define SIM_FADUMP_FOOTPRINT      0x02000000ull
/* sizeof(struct rtas_fadump_mem_struct) in 6.1: header + 3 sections. */
#define SIM_FADUMP_FDM_BYTES      160u
/* fadump_crash_info_header (6.1, "FADMPINF"), native endian (LE):
 *   0x000 u64 magic_number   0x008 u64 elfcorehdr_addr
 *   0x010 u32 crashing_cpu   0x014 pad
 *   0x018 struct pt_regs (0x180)   0x198 cpu_mask (NR_CPUS 2048 / 8)
 * lx61:arch/powerpc/include/asm/fadump-internal.h:48-54. */
#define SIM_FADUMP_FDH_SIZE       0x298u
#define SIM_FADUMP_FDH_MAGIC      0x4641444D50494E46ull /* "FADMPINF" */
#define SIM_FADUMP_FDH_ELFCOREHDR 0x008u
#define SIM_FADUMP_FDH_CRASHCPU   0x010u
#define SIM_FADUMP_FDH_REGS       0x018u
#define SIM_FADUMP_FDH_CPUMASK    0x198u
#define SIM_FADUMP_NR_CPUS        2048u
#define SIM_FADUMP_CPU_UNKNOWN    0xffffffffu
/* struct pt_regs slots (ulongs): lx61:arch/powerpc/include/asm/ptrace.h. */
#define SIM_PTREGS_NIP   32u
#define SIM_PTREGS_MSR   33u
#define SIM_PTREGS_CTR   35u
#define SIM_PTREGS_LINK  36u
#define SIM_PTREGS_XER   37u
#define SIM_PTREGS_CCR   38u
#define SIM_PTREGS_TRAP  40u
#define SIM_PTREGS_DAR   41u
#define SIM_PTREGS_DSISR 42u
#define SIM_PTREGS_SIZE  0x180u

/* Status of the agent functions (0 = ok). */
enum sim_fadump_status {
    SIM_FADUMP_OK = 0,
    SIM_FADUMP_ERR_INVALID = -1,    /* bad argument */
    SIM_FADUMP_ERR_UNSUPPORTED = -2,/* firmware has no ibm,configure-kernel-dump */
    SIM_FADUMP_ERR_NOMEM_LAYOUT = -3,/* boot memory / reservation does not fit */
    SIM_FADUMP_ERR_RTAS = -4,       /* RTAS call failed (rc in the call log) */
    SIM_FADUMP_ERR_STATE = -5,      /* wrong kernel state for this action */
    SIM_FADUMP_ERR_NOT_VALID = -6,  /* "Dump taken by platform is not valid" */
    SIM_FADUMP_ERR_INCOMPLETE = -7, /* "Dump taken by platform is incomplete" */
    SIM_FADUMP_ERR_CORRUPT = -8,    /* crash info / regsave / ELF header bad */
    SIM_FADUMP_ERR_HOST = -9,       /* memory access or allocation failed */
};

/* First-kernel parameters (command line) and structure knobs for tests. */
struct sim_fadump_params {
    uint64_t crashkernel;     /* crashkernel= boot memory size; 0 = 5% rule */
    bool nocma;               /* fadump=nocma */
    uint32_t version;         /* dump_format_version written (1) */
    uint16_t num_sections;    /* dump_num_sections written (3) */
    uint64_t fdm_size;        /* size argument of REGISTER (160) */
    uint64_t fdm_addr;        /* real address of the structure (< 4 GiB) */
    unsigned max_busy;        /* give up after this many busy replies (64) */
    /* Malformed-structure knobs (scenario `register cpu-state= hpte= flags=`):
     * declared section lengths and request flag written into the structure;
     * the layout itself always follows -sizes, as the kernel's does. */
    bool cpu_state_len_set, hpte_len_set;
    uint64_t cpu_state_len, hpte_len;
    uint32_t request_flag;    /* PHYP_FDM_REQUEST_FLAG */
};
void sim_fadump_params_default(struct sim_fadump_params *prm);

/* What the first kernel computed at early boot (fw_dump fields). */
struct sim_fadump_layout {
    uint64_t mem_size;        /* memblock_phys_mem_size() at boot */
    uint64_t cpu_state_size;  /* ibm,configure-kernel-dump-sizes type 1 */
    uint64_t hpte_size;       /* type 2 */
    uint64_t boot_mem_size;
    uint64_t boot_mem_top;    /* PAGE_ALIGN(boot memory + holes) */
    uint64_t reserve_start;   /* A: CPU state destination */
    uint64_t reserve_size;    /* get_fadump_area_size() */
    uint64_t hpte_dest;       /* A + cpu_state_size */
    uint64_t boot_mem_dest;   /* PAGE_ALIGN(A + cpu + hpte) */
    uint64_t fadumphdr_addr;  /* boot_mem_dest + boot_mem_size */
    uint64_t elfcorehdr_addr; /* fadumphdr_addr + SIM_FADUMP_FDH_SIZE */
};

/*
 * fadump_reserve_mem() for a contiguous memory of mem_size bytes.
 * Returns 0, or SIM_FADUMP_ERR_NOMEM_LAYOUT with msg set to the kernel's
 * message ("Can't enable fadump with boot memory size ...", "Failed to find
 * memory chunk for reservation!").
 */
int sim_fadump_compute_layout(uint64_t mem_size, uint64_t cpu_state_size,
                              uint64_t hpte_size, const struct sim_fadump_params *prm,
                              struct sim_fadump_layout *lay, char *msg, size_t msglen);
/* get_fadump_area_size() for nregions memblock memory regions. */
uint64_t sim_fadump_area_size(uint64_t cpu_state_size, uint64_t hpte_size,
                              uint64_t boot_mem_size, unsigned nregions);
/*
 * rtas_fadump_init_mem_struct(): the 160-byte big-endian structure
 * (version / num_sections from prm, normally 1 / 3).
 */
void sim_fadump_build_fdm(const struct sim_fadump_layout *lay,
                          const struct sim_fadump_params *prm,
                          uint8_t out[SIM_FADUMP_FDM_BYTES]);

/* Every RTAS return code the kernel saw, in order (busy replies included). */
#define SIM_FADUMP_MAX_CALLS 80u
struct sim_fadump_calls {
    size_t n;
    struct {
        uint32_t cmd;
        int32_t rc;
    } c[SIM_FADUMP_MAX_CALLS];
    uint64_t delay_ms;        /* total rtas_busy_delay_time() waited */
};

/* The guest kernel's fadump state (struct fw_dump, the parts we model). */
struct sim_fadump_kernel {
    struct sim_fadump_params prm;
    struct sim_fadump_layout lay;
    bool supported;           /* token present */
    bool reserved;            /* layout computed and reserved */
    bool registered;          /* fw_dump.dump_registered */
    bool dump_active;         /* booted with ibm,kernel-dump present */
    bool crashed;             /* crash_fadump wrote the crash info header */
    uint8_t fdm_active[PHYP_FDM_SIZE(PHYP_MAX_SECTIONS_LIMIT)];
    size_t fdm_active_len;
    char msg[256];            /* last kernel log message of the fadump code */
};

/*
 * Early boot: scan /rtas (token, -sizes, ibm,kernel-dump).  With a dump
 * active the layout is taken from the property (rtas_fadump_get_config).
 * Without one the reservation is made with prm (fadump_reserve_mem); a
 * failed reservation leaves supported = true, reserved = false and msg set.
 * The kernel struct is reinitialised.  Returns 0 or a sim_fadump_status.
 */
int sim_fadump_boot(struct sim_fadump_kernel *k, struct sim_machine *m,
                    struct phyp *p, const struct sim_fadump_params *prm);
/*
 * register_fadump(): crash memory ranges, crash info header and ELF core
 * header into the reserved area, the structure to prm.fdm_addr, REGISTER
 * with the busy loop.  Returns 0 on rc 0, SIM_FADUMP_ERR_RTAS otherwise
 * (k->registered follows the kernel: also set on -9), with every rc in calls.
 */
int sim_fadump_register(struct sim_fadump_kernel *k, struct sim_machine *m,
                        struct phyp *p, struct sim_fadump_calls *calls);
/* rtas_fadump_unregister / rtas_fadump_invalidate (busy loop, reactions). */
int sim_fadump_unregister(struct sim_fadump_kernel *k, struct sim_machine *m,
                          struct phyp *p, struct sim_fadump_calls *calls);
int sim_fadump_invalidate(struct sim_fadump_kernel *k, struct sim_machine *m,
                          struct phyp *p, struct sim_fadump_calls *calls);
/*
 * crash_fadump() up to the trigger: fill the crash info header (crashing
 * CPU id, its pt_regs with trap, online mask).  Returns 0, or
 * SIM_FADUMP_ERR_STATE when fadump is not registered (plain panic path).
 * The caller then snapshots the truth and calls phyp_os_term().
 */
int sim_fadump_crash(struct sim_fadump_kernel *k, struct sim_machine *m,
                     unsigned cpu, uint64_t trap);

/* Where the capture reads its input from. */
enum sim_fadump_source {
    SIM_FADUMP_PRESERVED = 1, /* second kernel after the dump (ibm,kernel-dump) */
    SIM_FADUMP_TRUTH,         /* snapshot at the crash instant, before the copy */
};

#define SIM_FADUMP_MAX_MISSING 4u
struct sim_fadump_capture_info {
    uint64_t boot_mem_size, boot_mem_dest, reserve_start, reserve_size;
    uint32_t status_flag;     /* dump_status_flag of the property */
    unsigned ncpus;           /* CPUs in the dump */
    uint32_t crashing_cpu;
    size_t nmissing;          /* RAM neither dumped nor reserved (e.g. hot-added) */
    struct phyp_range missing[SIM_FADUMP_MAX_MISSING];
    char msg[256];            /* kernel message on failure */
};

/*
 * The capture: fdm = ibm,kernel-dump bytes (PRESERVED) or the registered
 * structure (TRUTH).  Builds a DF_ARCH_PPC64LE dump (page_size 64 KiB):
 * PT_LOADs from the ELF core header, CPUs from the register save area (or
 * the machine for TRUTH) with the crashing CPU's pt_regs from the crash info
 * header.  Returns 0 and *out, or a sim_fadump_status with info->msg.
 */
int sim_fadump_capture(struct sim_machine *m, const uint8_t *fdm, size_t fdm_len,
                       enum sim_fadump_source src, struct df_dump **out,
                       struct sim_fadump_capture_info *info);

/*
 * The hypervisor's truth at the crash instant: one chunk per 0..mem_size
 * (never-written pages zero) and every online CPU.
 */
int sim_fadump_truth(struct sim_machine *m, struct df_dump **out, char *err, size_t errlen);

/*
 * Execute a parsed ppc64 scenario (dump method fadump, format elf).  The
 * image is written to run_dir/dump.img.  Returns 0 when the scenario ran
 * (the verdict is in res), -1 on a backend error (errbuf, res->outcome =
 * RUN_ERROR).
 */
int sim_fadump_run(const struct scenario *s, const char *run_dir, FILE *log,
                   struct run_result *res, char *errbuf, size_t errlen);

#endif /* SIM_FADUMP_H */
