/*
 * libFuzzer target: libphyp ibm,configure-kernel-dump in RTAS argument-array
 * form (phyp_rtas_call), as the QEMU glue hands it the guest's rtas_args:
 * any nargs/nret (arrays allocated exactly that long, so ASan catches any
 * access past them), any command word and argument values, in sequence,
 * with ibm,os-term and a machine reset in between.
 *
 * Input:  u8 profile
 *         then up to 12 calls, each:
 *           u8  sel      low nibble nargs (0..15), high nibble nret (0..15)
 *           nargs x u32  arguments (args[0] = command: low 2 bits pick
 *                        REGISTER/UNREGISTER/INVALIDATE/raw when bit 31 clear)
 *           u8  after    0x01 ibm,os-term, 0x02 machine reset
 * Invariants: the status is returned and, when nret >= 1, stored in rets[0];
 * rets[1..nret) untouched; a registration exists only after a call that
 * returned 0.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <phyp/phyp.h>

#include "fuzz_host.h"

#define MEM_SIZE (512u << 10)

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz f = { data, size };
    struct fuzz_host *fh = host();
    size_t np = 0;
    while (phyp_profile_at(np)) {
        np++;
    }
    const struct phyp_profile *prof = phyp_profile_at(np ? fz_u8(&f) % np : 0);
    struct phyp *p = phyp_new(&fh->host, prof);
    if (!p) {
        return 0;
    }
    static const uint32_t cmds[3] = { PHYP_CMD_REGISTER, PHYP_CMD_UNREGISTER,
                                      PHYP_CMD_INVALIDATE };
    for (unsigned call = 0; call < 12 && f.n > 0; call++) {
        uint8_t sel = fz_u8(&f);
        uint32_t nargs = sel & 0x0f, nret = sel >> 4;
        uint32_t *args = malloc((nargs ? nargs : 1) * sizeof(uint32_t));
        uint32_t *rets = malloc((nret ? nret : 1) * sizeof(uint32_t));
        if (!args || !rets) {
            abort();
        }
        for (uint32_t i = 0; i < nargs; i++) {
            args[i] = fz_u32(&f);
        }
        if (nargs && !(args[0] & 0x80000000u) && (args[0] & 3u) < 3u) {
            args[0] = cmds[args[0] & 3u];
        }
        for (uint32_t i = 0; i < nret; i++) {
            rets[i] = 0xa5a5a5a5u;
        }
        bool was = phyp_is_registered(p);
        int32_t rc = phyp_rtas_call(p, nargs, nargs ? args : NULL, nret, nret ? rets : NULL);
        if (nret >= 1 && (int32_t)rets[0] != rc) {
            fz_fail("rets[0] %d != returned status %d", (int32_t)rets[0], rc);
        }
        for (uint32_t i = 1; i < nret; i++) {
            if (rets[i] != 0xa5a5a5a5u) {
                fz_fail("rets[%u] written (nret %u)", i, nret);
            }
        }
        if (!was && phyp_is_registered(p) && rc != 0) {
            fz_fail("registered although the call returned %d", rc);
        }
        free(args);
        free(rets);
        uint8_t after = fz_u8(&f);
        if (after & 0x01) {
            (void)phyp_os_term(p);
        }
        if (after & 0x02) {
            phyp_machine_reset(p);
        }
    }
    phyp_free(p);
    return 0;
}
