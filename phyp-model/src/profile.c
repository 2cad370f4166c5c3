/*
 * Built-in firmware profiles (spec /work/shared/specs/phyp.md 2.3, 4.3, 6.1).
 */
#include <string.h>

#include "internal.h"

#define FDM_DEFAULTS                                \
    .supported = true,                              \
    .token = PHYP_RTAS_TOKEN_QEMU,                  \
    .version_min = PHYP_FDM_VERSION_1,              \
    .version_max = PHYP_FDM_VERSION_1,              \
    .max_sections = PHYP_FDM_MAX_SECTIONS_V1

static const struct phyp_profile builtin_profiles[] = {
    {
        /* PowerVM-like: full validation, -3 on stray INVALIDATE. */
        .name = "phyp-default", FDM_DEFAULTS,
        .rma_size = 0, .max_cpus = 0,
        .hpte_size = 0, .hpte_mode = PHYP_HPTE_NONE,
        .rmr_align = 0x1000, .strict_sections = true,
    },
    {
        /* Upstream QEMU 10.2 (qemu:hw/ppc/spapr_fadump.c): only header
         * checks at REGISTER, errors reported per section at dump time,
         * INVALIDATE quirk Q1, -version in host order (Q8, x86 host). */
        .name = "qemu-10.2", FDM_DEFAULTS,
        .hpte_size = 0, .hpte_mode = PHYP_HPTE_NONE,
        .invalidate_idle_ok = true, .version_prop_host_le = true,
    },
    {
        /* Platforms that demand the exact 40 + 40n size (≈6.11+ kernels:
         * "Platform requires the exact size"). */
        .name = "strict-size", FDM_DEFAULTS,
        .rmr_align = 0x1000, .strict_sections = true, .strict_size = true,
    },
    {
        .name = "busy-3", FDM_DEFAULTS,
        .rmr_align = 0x1000, .strict_sections = true,
        .busy_rc = PHYP_RTAS_BUSY, .busy_count = 3,
    },
    {
        .name = "busy-ext", FDM_DEFAULTS,
        .rmr_align = 0x1000, .strict_sections = true,
        .busy_rc = 9901, .busy_count = 2,
    },
    {
        /* Debian 12 QEMU: no ibm,configure-kernel-dump token (spec 4.5). */
        .name = "qemu-7.2", .supported = false,
        .version_min = 1, .version_max = 1, .max_sections = PHYP_FDM_MAX_SECTIONS_V1,
    },
    {
        /* 2008 phyp-assisted dump: RMR = low 256 MiB, HPTE saved
         * (PHYP_DUMP_RMR_END, linux:asm/phyp_dump.h); modelled as an empty
         * 4 KiB HPT (doc example size). */
        .name = "phyp-2008", FDM_DEFAULTS,
        .rma_size = 1ull << 28,
        .hpte_size = 0x1000, .hpte_mode = PHYP_HPTE_ZERO,
        .rmr_align = 0x1000, .strict_sections = true,
    },
};

const struct phyp_profile *phyp_profile_at(size_t i)
{
    if (i >= sizeof(builtin_profiles) / sizeof(builtin_profiles[0])) {
        return NULL;
    }
    return &builtin_profiles[i];
}

const struct phyp_profile *phyp_profile_find(const char *name)
{
    if (!name) {
        return NULL;
    }
    for (size_t i = 0; phyp_profile_at(i); i++) {
        if (strcmp(builtin_profiles[i].name, name) == 0) {
            return &builtin_profiles[i];
        }
    }
    return NULL;
}

uint64_t phyp_profile_cpu_state_size(const struct phyp_profile *prof,
                                     const struct db_host *host)
{
    if (!prof) {
        return 0;
    }
    unsigned n = prof->max_cpus ? prof->max_cpus : db_host_cpu_count(host);
    return PHYP_REGSAVE_SIZE(n);
}
