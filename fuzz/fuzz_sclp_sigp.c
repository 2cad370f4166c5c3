/*
 * libFuzzer target: libsclp SIGP orders a guest (or the dump kernel) sends
 * with its own parameters -- STORE STATUS AT ADDRESS, STORE ADDITIONAL
 * STATUS, SENSE -- and DIAG 308 through its register operands
 * (sclp_diag308_regs, R1/R3 numbers and register contents from the input),
 * on a 64 KiB s390x fuzz host with 4 CPUs, before and after a dump IPL.
 *
 * Input:  u8 profile   index into the built-in profiles
 *         u8 flags     0x01 dump IPL first, 0x02 stop CPUs 1..3,
 *                      0x04 CPU 2 offline
 *         then up to 16 calls, each:
 *           u8  op      % 4: 0 store status, 1 store additional status,
 *                       2 sense, 3 DIAG 308 from registers
 *           u8  cpu     target CPU index (also past the last one)
 *           u64 param   address operand (raw: unaligned, outside memory)
 *           [op 3: u8 r1, u8 r3, u64 gpr[r1], u64 gpr[r3]]
 * Invariants (SIGP, q72:target/s390x/sigp.c, PoP "Signal Processor"):
 *   cc 0..3; a cc other than 0 writes no guest memory; cc 0 writes only
 *   [param & 0x7ffffe00, +512) (store status) or [param & ~0x3ff, +512)
 *   (additional status), never past the end of memory.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sclp/sclp.h>

#include "fuzz_host.h"

#define MEM_SIZE (64u << 10)
#define NCPUS 4u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fuzz_host *host(void)
{
    static struct fuzz_host *fh;
    if (!fh) {
        fh = fh_new(FH_S390X, MEM_SIZE, NCPUS);
        if (!fh) {
            abort();
        }
    }
    fh_reset(fh);
    return fh;
}

/* Bytes of guest memory that differ from `before` must lie in [lo, hi). */
static void check_writes(const uint8_t *before, const uint8_t *after, uint64_t lo,
                         uint64_t hi, const char *what)
{
    uint64_t a = lo < MEM_SIZE ? lo : MEM_SIZE, b = hi < MEM_SIZE ? hi : MEM_SIZE;
    if (memcmp(before, after, a) != 0 || memcmp(before + b, after + b, MEM_SIZE - b) != 0) {
        fz_fail("%s wrote guest memory outside [0x%llx, 0x%llx)", what,
                (unsigned long long)lo, (unsigned long long)hi);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz f = { data, size };
    struct fuzz_host *fh = host();
    unsigned np = sclp_profile_count();
    const struct sclp_profile *prof = sclp_profile_at(fz_u8(&f) % (np ? np : 1));
    uint8_t flags = fz_u8(&f);
    if (flags & 0x02) {
        for (unsigned i = 1; i < NCPUS; i++) {
            fh->s390[i].stopped = true;
        }
    }
    if (flags & 0x04) {
        fh->s390[2].online = false;
    }
    struct sclp *s = sclp_new(&fh->host, prof);
    if (!s) {
        return 0;
    }
    if (flags & 0x01) {
        (void)sclp_dump_ipl(s, 0);
    }
    uint8_t *before = malloc(MEM_SIZE);
    if (!before) {
        abort();
    }
    for (unsigned call = 0; call < 16 && f.n > 0; call++) {
        uint8_t op = fz_u8(&f) % 4u;
        unsigned cpu = fz_u8(&f);
        uint64_t param = fz_u64(&f);
        uint32_t status = 0;
        memcpy(before, fh->mem, MEM_SIZE);
        uint64_t w0 = fh->writes;
        int cc;
        switch (op) {
        case 0:
            cc = sclp_store_status(s, cpu, param, &status);
            break;
        case 1:
            cc = sclp_store_adtl_status(s, cpu, param, &status);
            break;
        case 2:
            cc = sclp_sigp_sense(s, cpu, &status);
            break;
        default: {
            unsigned r1 = fz_u8(&f) % 16u, r3 = fz_u8(&f) % 16u;
            uint64_t v1 = fz_u64(&f), v3 = fz_u64(&f);
            unsigned c = cpu % NCPUS;
            fh->s390[c].gprs[r1] = v1;
            fh->s390[c].gprs[r3] = v3;
            (void)sclp_diag308_regs(s, cpu, r1, r3);
            continue;   /* DIAG 308 may legitimately write (IPLB store, HSA) */
        }
        }
        if (cc < 0 || cc > 3) {
            fz_fail("SIGP order %u returned cc %d", op, cc);
        }
        if (cc != 0) {
            if (fh->writes != w0 || memcmp(before, fh->mem, MEM_SIZE) != 0) {
                fz_fail("SIGP order %u with cc %d wrote guest memory", op, cc);
            }
            continue;
        }
        if (op == 0) {
            uint64_t a = param & 0x7ffffe00u;
            check_writes(before, fh->mem, a, a + 512, "STORE STATUS AT ADDRESS");
        } else if (op == 1) {
            uint64_t a = param & ~(uint64_t)0x3ff;
            check_writes(before, fh->mem, a, a + 512, "STORE ADDITIONAL STATUS");
        } else if (fh->writes != w0) {
            fz_fail("SIGP SENSE wrote guest memory");
        }
    }
    free(before);
    sclp_free(s);
    return 0;
}
