/*
 * Firmware profiles: built-in machines and custom ones.
 */
#include <stdio.h>
#include <string.h>

#include "sclp_internal.h"

#define SDIAS_MASK SCLP_EVTYP_MASK(SCLP_EVTYP_SDIAS)

/* EBCDIC "        " (blank loadparm). */
#define LOADPARM_BLANK { 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40 }

#define Z15_COMMON(dump_bit)                        \
    .dump_installed = (dump_bit),                   \
    .dump_supported = true,                         \
    .sdias = true,                                  \
    .nvme_ipl = true,                               \
    .ext_sccb = false,                              \
    .vector = true,                                 \
    .increment_mb = 256,                            \
    .facilities = 0x0c00000000000000ull,            \
    .loadparm = LOADPARM_BLANK,                     \
    .sclp_receive_mask = SDIAS_MASK,                \
    .sclp_send_mask = 0

static const struct sclp_profile builtin_profiles[] = {
    { .name = "z15-32m", .hsa_size = SCLP_DEFAULT_HSA_SIZE, Z15_COMMON(true) },
    { .name = "hsa-64m", .hsa_size = 64u << 20, Z15_COMMON(true) },
    { .name = "hsa-512m", .hsa_size = 512u << 20, Z15_COMMON(true) },
    {
        .name = "no-dump",
        .hsa_size = SCLP_DEFAULT_HSA_SIZE,
        Z15_COMMON(false),
    },
    {
        /* What QEMU 7.2 offers (spec 6.1/6.2): no HSA, no SDIAS child, no
         * dump bit, DIAG 308/2 and /4 program-check, no NVMe IPLB. */
        .name = "qemu-7.2",
        .hsa_size = 0,
        .dump_installed = false,
        .dump_supported = false,
        .sdias = false,
        .nvme_ipl = false,
        .ext_sccb = false,
        .vector = true,
        .increment_mb = 1,
        .facilities = 0x0c00000000000000ull,
        .loadparm = LOADPARM_BLANK,
        .sclp_receive_mask = 0,
        .sclp_send_mask = 0,
    },
};

#define N_BUILTIN (sizeof(builtin_profiles) / sizeof(builtin_profiles[0]))

const struct sclp_profile *sclp_profile_default(void)
{
    return &builtin_profiles[0];
}

const struct sclp_profile *sclp_profile_lookup(const char *name)
{
    if (!name) {
        return NULL;
    }
    for (unsigned i = 0; i < N_BUILTIN; i++) {
        if (strcmp(builtin_profiles[i].name, name) == 0) {
            return &builtin_profiles[i];
        }
    }
    return NULL;
}

unsigned sclp_profile_count(void)
{
    return (unsigned)N_BUILTIN;
}

const struct sclp_profile *sclp_profile_at(unsigned idx)
{
    return idx < N_BUILTIN ? &builtin_profiles[idx] : NULL;
}

int sclp_profile_init_custom(struct sclp_profile *p, const char *name,
                             uint64_t hsa_size)
{
    if (!p || !name || strlen(name) >= SCLP_PROFILE_NAME_MAX) {
        return SCLP_E_INVAL;
    }
    *p = builtin_profiles[0];
    memset(p->name, 0, sizeof(p->name));
    memcpy(p->name, name, strlen(name));
    p->hsa_size = hsa_size;
    return sclp_profile_validate(p, NULL, 0);
}

static int prof_err(char *err, size_t errlen, const char *msg)
{
    if (err && errlen) {
        snprintf(err, errlen, "%s", msg);
    }
    return SCLP_E_INVAL;
}

int sclp_profile_validate(const struct sclp_profile *p, char *err,
                          size_t errlen)
{
    if (!p) {
        return prof_err(err, errlen, "profile is NULL");
    }
    if (memchr(p->name, '\0', sizeof(p->name)) == NULL || p->name[0] == '\0') {
        return prof_err(err, errlen, "profile name empty or not terminated");
    }
    if (p->hsa_size % SCLP_PAGE_SIZE) {
        return prof_err(err, errlen, "hsa_size is not a multiple of 4 KiB");
    }
    if (p->hsa_size > SCLP_MAX_HSA_SIZE) {
        return prof_err(err, errlen, "hsa_size above 4 GiB");
    }
    if (p->increment_mb == 0 || (p->increment_mb & (p->increment_mb - 1))) {
        return prof_err(err, errlen, "increment_mb must be a power of two");
    }
    if (p->sdias_rc && (p->sdias_rc == SCLP_RC_NORMAL_COMPLETION ||
                        p->sdias_rc == SCLP_RC_NORMAL_READ_COMPLETION)) {
        return prof_err(err, errlen, "sdias_rc must be an error response code");
    }
    if (p->read_info_rc == SCLP_RC_NORMAL_READ_COMPLETION) {
        return prof_err(err, errlen, "read_info_rc must be an error response code");
    }
    return SCLP_OK;
}
