/*
 * libFuzzer target: libphyp ibm,configure-kernel-dump REGISTER with a
 * fuzzed dump memory structure (fdm) in guest memory of a 512 KiB ppc64 fuzz
 * host, followed - when the registration is accepted - by the dump
 * (ibm,os-term), the /rtas properties, the register save area parser on
 * what firmware wrote, incremental releases and UNREGISTER/INVALIDATE.
 *
 * Input:  u8  profile   phyp_profile_at(n % count)
 *         u8  flags     0x01 nargs/nret from the next byte (else 3/1),
 *                       0x02 REGISTER twice (second must answer -9)
 *         [u8 argsel    nargs = low nibble, nret = high nibble]
 *         u32 addrsel   bit 31 clear: 0x10000 + (bits 0-7) * 8, else raw
 *         u32 size      fdm_size argument (bit 31 set: low 12 bits only)
 *         u16 len       fdm bytes that follow (copied to addr if they fit)
 *         len bytes
 *         then release requests: u32 start, u32 len pairs (at most 8)
 * Invariants: a REGISTER that does not return 0 changes neither the state
 * nor the registered structure and writes no guest memory; an accepted one
 * stores PHYP_FDM_SIZE(n) bytes, inside fdm_size for the strict profiles.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <phyp/phyp.h>

#include "fuzz_host.h"

#define MEM_SIZE (512u << 10)
#define FDM_CAP  PHYP_FDM_SIZE(PHYP_MAX_SECTIONS_LIMIT)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_host *host(void)
{
    static struct fuzz_host *fh;
    if (!fh) {
        fh = fh_new(FH_PPC64, MEM_SIZE, 2);
        if (!fh) {
            abort();
        }
    }
    fh_reset(fh);
    return fh;
}

static void after_dump(struct phyp *p, struct fuzz_host *fh, struct fz *f)
{
    uint8_t prop[FDM_CAP];
    size_t len = 0;
    (void)phyp_token_property(p, prop, sizeof(prop), &len);
    (void)phyp_sizes_property(p, prop, sizeof(prop), &len);
    (void)phyp_version_property(p, prop, sizeof(prop), &len);
    if (phyp_kernel_dump_property(p, prop, sizeof(prop), &len) == PHYP_OK) {
        if (len < PHYP_FDM_HDR_SIZE || len > sizeof(prop)) {
            fz_fail("ibm,kernel-dump of %zu bytes", len);
        }
        /* The CPU-state destination of each type-1 section: parse what
         * firmware wrote there, as the second kernel does. */
        unsigned n = (unsigned)((len - PHYP_FDM_HDR_SIZE) / PHYP_FDM_SEC_SIZE);
        for (unsigned i = 0; i < n; i++) {
            const uint8_t *s = prop + PHYP_FDM_FIRST_SEC_OFF + i * PHYP_FDM_SEC_SIZE;
            uint16_t type = (uint16_t)(s[PHYP_SEC_TYPE] << 8 | s[PHYP_SEC_TYPE + 1]);
            uint64_t dst = 0, dumped = 0;
            for (int b = 0; b < 8; b++) {
                dst = dst << 8 | s[PHYP_SEC_DEST_ADDR + b];
                dumped = dumped << 8 | s[PHYP_SEC_BYTES_DUMPED + b];
            }
            if (type == PHYP_SRC_CPU_STATE && dst < MEM_SIZE && dumped <= MEM_SIZE - dst) {
                struct db_ppc64_cpu cpus[4];
                unsigned nc = 0;
                (void)phyp_regsave_parse(fh->mem + dst, (size_t)dumped, cpus, 4, &nc);
            }
        }
    }
    for (int i = 0; i < 8 && f->n >= 8; i++) {
        uint64_t start = fz_u32(f), rlen = fz_u32(f);
        (void)phyp_release(p, start, rlen);
        struct phyp_range r[16];
        size_t nr = 0;
        (void)phyp_preserved_ranges(p, r, 16, &nr);
        (void)phyp_preserved_remaining(p);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz f = { data, size };
    struct fuzz_host *fh = host();
    size_t np = 0;
    while (phyp_profile_at(np)) {
        np++;
    }
    const struct phyp_profile *prof = phyp_profile_at(fz_u8(&f) % (np ? np : 1));
    uint8_t flags = fz_u8(&f);
    uint32_t nargs = PHYP_RTAS_NARGS, nret = PHYP_RTAS_NRET;
    if (flags & 0x01) {
        uint8_t a = fz_u8(&f);
        nargs = a & 0xfu;
        nret = a >> 4;
    }
    uint32_t addrsel = fz_u32(&f);
    uint64_t addr = (addrsel & 0x80000000u) ? (addrsel & 0x7fffffffu)
                                            : 0x10000u + (uint64_t)(addrsel & 0xffu) * 8u;
    uint32_t sz = fz_u32(&f);
    uint64_t fdm_size = (sz & 0x80000000u) ? (sz & 0xfffu) : sz;
    uint16_t len = fz_u16(&f);
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf) {
        abort();
    }
    size_t got = fz_bytes(&f, buf, len);
    if (addr < MEM_SIZE && got <= MEM_SIZE - addr) {
        memcpy(fh->mem + addr, buf, got);
    }
    free(buf);

    struct phyp *p = phyp_new(&fh->host, prof);
    if (!p) {
        return 0;
    }
    uint8_t *before = malloc(FDM_CAP), *after = malloc(FDM_CAP);
    if (!before || !after) {
        abort();
    }
    int rounds = (flags & 0x02) ? 2 : 1;
    for (int r = 0; r < rounds; r++) {
        enum phyp_state st0 = phyp_get_state(p);
        size_t l0 = 0, l1 = 0;
        int g0 = phyp_registered_fdm(p, before, FDM_CAP, &l0);
        uint64_t writes = fh->writes;
        int32_t rc = phyp_configure_kernel_dump(p, nargs, nret, PHYP_CMD_REGISTER, addr,
                                                fdm_size);
        int g1 = phyp_registered_fdm(p, after, FDM_CAP, &l1);
        if (fh->writes != writes) {
            fz_fail("REGISTER wrote guest memory (rc %d)", rc);
        }
        if (rc != PHYP_RTAS_SUCCESS) {
            if (phyp_get_state(p) != st0 || g0 != g1 || l0 != l1 ||
                (g0 == PHYP_OK && memcmp(before, after, l0) != 0)) {
                fz_fail("REGISTER rc %d changed the model state", rc);
            }
        } else {
            /* QEMU 10.2 (strict_sections off) reads n sections whatever
             * fdm_size says (spec phyp.md 4.2 item 1); strict profiles must
             * keep them inside fdm_size. */
            bool strict = prof->strict_sections || prof->strict_size;
            if (g1 != PHYP_OK || l1 < PHYP_FDM_SIZE(1) ||
                (l1 - PHYP_FDM_HDR_SIZE) % PHYP_FDM_SEC_SIZE != 0 ||
                (strict && l1 > fdm_size)) {
                fz_fail("accepted REGISTER stored %zu bytes (size arg %llu)", l1,
                        (unsigned long long)fdm_size);
            }
            if (r == 1) {
                fz_fail("second REGISTER accepted (state %d)", st0);
            }
        }
    }
    free(before);
    free(after);
    if (phyp_is_registered(p)) {
        enum phyp_osterm_result o = phyp_os_term(p);
        if (o == PHYP_OSTERM_DUMP) {
            if (!phyp_dump_active(p)) {
                fz_fail("os-term took a dump but no dump is active");
            }
            after_dump(p, fh, &f);
            (void)phyp_configure_kernel_dump(p, 3, 1, PHYP_CMD_UNREGISTER, addr, fdm_size);
            (void)phyp_configure_kernel_dump(p, 3, 1, PHYP_CMD_INVALIDATE, addr, fdm_size);
        }
    } else {
        (void)phyp_configure_kernel_dump(p, 3, 1, PHYP_CMD_INVALIDATE, addr, fdm_size);
    }
    phyp_machine_reset(p);
    phyp_free(p);
    return 0;
}
