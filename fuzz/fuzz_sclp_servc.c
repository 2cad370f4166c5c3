/*
 * libFuzzer target: libsclp SERVICE CALL with a fuzzed SCCB in guest memory
 * and a fuzzed command word, on a 256 KiB s390x fuzz host (small: every exec
 * resets it and the dump IPL snapshots all of it into the HSA).
 *
 * Input:  u8 profile   index into the built-in profiles (+1: custom, 64 KiB HSA)
 *         u8 flags     0x01 dump IPL first (DUMP_KERNEL: SDIAS answers),
 *                      0x02 Write Event Mask enabling SDIAS first,
 *                      0x04 DIAG 308/2 (HSA release) after the dump IPL
 *         u8 ncalls    1 + n % 4 calls, each:
 *           u32 cmdsel  top byte < 0xc0: known command word [low byte % N];
 *                       < 0xe0: known command word | qualifier (bits 8-15);
 *                       else: the raw 32-bit value
 *           u32 addrsel bit 31 clear: 0x2000 + 8 * (bits 0-30 % slots), else raw
 *                       (bits 0-30): unaligned / outside memory / low core
 *           u16 len     SCCB bytes that follow (copied to addr if it fits)
 *           len bytes
 * Invariants: a program check (negative return) writes no guest memory;
 * the state only moves along RUNNING -> DUMP_KERNEL -> HSA_RELEASED.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sclp/sclp.h>

#include "fuzz_host.h"

#define MEM_SIZE (256u << 10)
#define SCCB_SLOTS ((MEM_SIZE - 0x2000u) / 8u)

static const uint32_t cmdws[] = {
    SCLP_CMDW_READ_CPU_INFO, SCLP_CMDW_READ_SCP_INFO, SCLP_CMDW_READ_SCP_INFO_FORCED,
    SCLP_CMDW_READ_STORAGE_INFO, SCLP_CMDW_READ_EVENT_DATA, SCLP_CMDW_WRITE_EVENT_DATA,
    SCLP_CMDW_WRITE_EVENT_MASK,
};
#define NCMDWS (sizeof(cmdws) / sizeof(cmdws[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_host *host(void)
{
    static struct fuzz_host *fh;
    if (!fh) {
        fh = fh_new(FH_S390X, MEM_SIZE, 2);
        if (!fh) {
            abort();
        }
    }
    fh_reset(fh);
    return fh;
}

static const struct sclp_profile *pick_profile(uint8_t sel, struct sclp_profile *custom)
{
    unsigned n = sclp_profile_count();
    unsigned i = sel % (n + 1);
    if (i < n) {
        return sclp_profile_at(i);
    }
    if (sclp_profile_init_custom(custom, "fuzz-64k", 64u << 10) != SCLP_OK) {
        abort();
    }
    return custom;
}

/* A valid Write Event Mask SCCB enabling SDIAS both ways, at 0x11000. */
static void enable_sdias(struct fuzz_host *fh, struct sclp *s)
{
    uint8_t sccb[8 + 2 + 2 + 4 * 4];
    memset(sccb, 0, sizeof(sccb));
    fz_put_u16(sccb, 0, sizeof(sccb));
    fz_put_u16(sccb, 10, 4);                                /* mask_length */
    fz_put_u32(sccb, 12, (uint32_t)(SCLP_EVTYP_MASK(SCLP_EVTYP_SDIAS) >> 32)); /* cp_receive */
    fz_put_u32(sccb, 16, (uint32_t)(SCLP_EVTYP_MASK(SCLP_EVTYP_SDIAS) >> 32)); /* cp_send */
    memcpy(fh->mem + 0x11000, sccb, sizeof(sccb));
    (void)sclp_service_call(s, SCLP_CMDW_WRITE_EVENT_MASK, 0x11000);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz f = { data, size };
    struct fuzz_host *fh = host();
    struct sclp_profile custom;
    const struct sclp_profile *prof = pick_profile(fz_u8(&f), &custom);
    uint8_t flags = fz_u8(&f);
    unsigned ncalls = 1u + fz_u8(&f) % 4u;

    struct sclp *s = sclp_new(&fh->host, prof);
    if (!s) {
        return 0;
    }
    if (flags & 0x02) {
        enable_sdias(fh, s);
    }
    if (flags & 0x01) {
        (void)sclp_dump_ipl(s, 0);
        if (flags & 0x04) {
            uint64_t rc = 0;
            (void)sclp_diag308(s, 0, DIAG308_REL_HSA, 0, &rc);
        }
    }
    for (unsigned c = 0; c < ncalls; c++) {
        uint32_t cmdsel = fz_u32(&f);
        uint32_t addrsel = fz_u32(&f);
        uint16_t len = fz_u16(&f);
        uint32_t cmdw;
        if ((cmdsel >> 24) < 0xc0) {
            cmdw = cmdws[(cmdsel & 0xffu) % NCMDWS];
        } else if ((cmdsel >> 24) < 0xe0) {
            cmdw = cmdws[(cmdsel & 0xffu) % NCMDWS] | (cmdsel & 0xff00u);
        } else {
            cmdw = cmdsel;
        }
        uint64_t addr = (addrsel & 0x80000000u) ? (addrsel & 0x7fffffffu)
                                                : 0x2000u + (uint64_t)(addrsel % SCCB_SLOTS) * 8u;
        uint8_t *buf = malloc(len ? len : 1);
        if (!buf) {
            break;
        }
        size_t got = fz_bytes(&f, buf, len);
        if (addr < MEM_SIZE && got <= MEM_SIZE - addr) {
            memcpy(fh->mem + addr, buf, got);
        }
        free(buf);

        enum sclp_state before = sclp_get_state(s);
        uint64_t writes = fh->writes;
        int rc = sclp_service_call(s, cmdw, addr);
        if (rc < 0 && fh->writes != writes) {
            fz_fail("servc cmdw 0x%08x sccb 0x%llx: program check %d but %llu guest writes",
                    cmdw, (unsigned long long)addr, rc,
                    (unsigned long long)(fh->writes - writes));
        }
        if (sclp_get_state(s) != before) {
            fz_fail("servc cmdw 0x%08x changed the SCLP state %d -> %d", cmdw, before,
                    sclp_get_state(s));
        }
        if (rc >= 0 && rc > 0xffff) {
            fz_fail("servc response code 0x%x does not fit the SCCB", rc);
        }
    }
    sclp_free(s);
    return 0;
}
