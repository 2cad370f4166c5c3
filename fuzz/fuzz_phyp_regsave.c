/*
 * libFuzzer target: libphyp register save area parser (phyp_regsave_parse)
 * on an exact-size copy of the input, with a CPU array of exactly `max`
 * entries (heap, so any write past it is caught).
 *
 * Input:  u8 max (0..8), then the area bytes.
 * Invariants: *ncpus <= max on success; a parsed area rebuilds
 * (phyp_regsave_build) and parses back to the same registers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <phyp/phyp.h>

#include "fuzz_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz f = { data, size };
    unsigned max = fz_u8(&f) % 9u;
    size_t len;
    const uint8_t *rest = fz_rest(&f, &len);
    uint8_t *buf = malloc(len ? len : 1);
    struct db_ppc64_cpu *cpus = malloc((max ? max : 1) * sizeof(*cpus));
    if (!buf || !cpus) {
        abort();
    }
    memcpy(buf, rest, len);
    unsigned n = 0xffffffffu;
    int st = phyp_regsave_parse(buf, len, cpus, max, &n);
    if (st == PHYP_OK) {
        if (n > max) {
            fz_fail("regsave parse OK with %u CPUs > max %u", n, max);
        }
        size_t cap = (size_t)PHYP_REGSAVE_SIZE(n), blen = 0;
        uint8_t *area = malloc(cap);
        struct db_ppc64_cpu *back = malloc((n ? n : 1) * sizeof(*back));
        if (!area || !back) {
            abort();
        }
        for (unsigned i = 0; i < n; i++) {
            cpus[i].online = true;
        }
        if (phyp_regsave_build(cpus, n, area, cap, &blen) == PHYP_OK) {
            unsigned n2 = 0;
            if (phyp_regsave_parse(area, blen, back, n, &n2) != PHYP_OK || n2 != n) {
                fz_fail("rebuilt register save area of %u CPUs does not parse", n);
            }
            for (unsigned i = 0; i < n; i++) {
                if (memcmp(back[i].gpr, cpus[i].gpr, sizeof(back[i].gpr)) != 0 ||
                    back[i].nia != cpus[i].nia || back[i].msr != cpus[i].msr) {
                    fz_fail("register save area round trip changed CPU %u", i);
                }
            }
        }
        free(area);
        free(back);
    }
    free(buf);
    free(cpus);
    return 0;
}
