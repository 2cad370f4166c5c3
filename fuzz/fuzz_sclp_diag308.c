/*
 * libFuzzer target: libsclp DIAG 308 SET (5) / STORE (6) and the other
 * subcodes with a fuzzed IPL parameter block in guest memory, plus the
 * IPLB codec directly.
 *
 * Input:  u8 profile   built-in profile index
 *         u8 flags     0x01 dump IPL first, 0x02 CPU 1 issues the DIAG
 *         u8 ncalls    1 + n % 4 calls, each:
 *           u8  subsel  bit 7 clear: subcode = bits 0-2 (SET/STORE twice as
 *                       likely: 0-2 -> 5, 3-4 -> 6 for even bits 3-6); set:
 *                       the next u32 is the raw R3 value
 *           u32 addrsel bit 31 clear: page-aligned 0x10000 + (bits 0-3) * 4 KiB,
 *                       else raw (bits 0-30)
 *           u16 len     IPLB bytes that follow (copied to addr if they fit)
 *           len bytes
 * Invariants: a program check writes no guest memory; after an accepted
 * SET the stored block validates; STORE returns what SET stored; codec
 * round trip decode(encode(decode(x))) == decode(x).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sclp/sclp.h>

#include "fuzz_host.h"

#define MEM_SIZE (256u << 10)

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

static void check_codec(const uint8_t *blk, size_t len)
{
    struct sclp_iplb_info *a = calloc(1, sizeof(*a));
    struct sclp_iplb_info *b = calloc(1, sizeof(*b));
    uint8_t *enc = malloc(SCLP_IPLB_SIZE);
    if (!a || !b || !enc) {
        abort();
    }
    (void)sclp_iplb_validate(blk, len, true);
    (void)sclp_iplb_validate(blk, len, false);
    (void)sclp_iplb_is_dump(blk, len);
    if (sclp_iplb_decode(blk, len, a) == SCLP_IPLB_OK) {
        uint32_t elen = 0;
        enum sclp_iplb_status st = sclp_iplb_encode(a, enc, &elen);
        if (st != SCLP_IPLB_OK) {
            fz_fail("decoded IPLB (pbt %u) does not encode: %s", a->pbt,
                    sclp_iplb_strerror(st));
        }
        if (elen > SCLP_IPLB_SIZE) {
            fz_fail("encoded IPLB length %u > 4096", elen);
        }
        st = sclp_iplb_decode(enc, elen, b);
        if (st != SCLP_IPLB_OK) {
            fz_fail("re-encoded IPLB (pbt %u) does not decode: %s", a->pbt,
                    sclp_iplb_strerror(st));
        }
        if (memcmp(a, b, sizeof(*a)) != 0) {
            fz_fail("IPLB codec round trip changed the decoded block (pbt %u)", a->pbt);
        }
    }
    free(a);
    free(b);
    free(enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz f = { data, size };
    struct fuzz_host *fh = host();
    unsigned np = sclp_profile_count();
    const struct sclp_profile *prof = sclp_profile_at(fz_u8(&f) % (np ? np : 1));
    uint8_t flags = fz_u8(&f);
    unsigned ncalls = 1u + fz_u8(&f) % 4u;
    unsigned cpu = (flags & 0x02) ? 1u : 0u;

    struct sclp *s = sclp_new(&fh->host, prof);
    if (!s) {
        return 0;
    }
    if (flags & 0x01) {
        (void)sclp_dump_ipl(s, 0);
    }
    uint8_t *stored = malloc(SCLP_IPLB_SIZE);
    uint8_t *set_copy = malloc(SCLP_IPLB_SIZE);
    if (!stored || !set_copy) {
        abort();
    }
    bool have_set = false;
    uint32_t set_len = 0;
    for (unsigned c = 0; c < ncalls; c++) {
        uint8_t subsel = fz_u8(&f);
        uint64_t r3;
        if (subsel & 0x80) {
            r3 = fz_u32(&f);
        } else {
            static const uint8_t map[8] = { 5, 5, 5, 6, 6, 2, 4, 0 };
            r3 = (subsel & 0x40) ? (subsel & 7u) : map[subsel & 7u];
        }
        uint32_t addrsel = fz_u32(&f);
        uint64_t addr = (addrsel & 0x80000000u) ? (addrsel & 0x7fffffffu)
                                                : 0x10000u + (uint64_t)(addrsel & 0xfu) * 4096u;
        uint16_t len = fz_u16(&f);
        uint8_t *buf = malloc(len ? len : 1);
        if (!buf) {
            abort();
        }
        size_t got = fz_bytes(&f, buf, len);
        check_codec(buf, got);
        if (addr < MEM_SIZE && got <= MEM_SIZE - addr) {
            memcpy(fh->mem + addr, buf, got);
        }
        free(buf);

        uint64_t writes = fh->writes, rc = 0xdeadbeef;
        int a = sclp_diag308(s, cpu, r3, addr, &rc);
        if (a < 0 && fh->writes != writes) {
            fz_fail("DIAG 308 r3 0x%llx addr 0x%llx: program check %d but guest writes",
                    (unsigned long long)r3, (unsigned long long)addr, a);
        }
        if (a >= 0 && (r3 & 0xffff) == DIAG308_SET && !(r3 >> 17) && rc == DIAG308_RC_OK) {
            uint32_t slen = 0;
            if (!sclp_get_iplb(s, stored, &slen)) {
                fz_fail("DIAG 308/5 rc 1 but no IPLB stored");
            }
            if (sclp_iplb_validate(stored, slen, true) != SCLP_IPLB_OK) {
                fz_fail("stored IPLB (len %u) does not validate", slen);
            }
            memcpy(set_copy, stored, slen);
            set_len = slen;
            have_set = true;
        }
        if (a >= 0 && (r3 & 0xffff) == DIAG308_STORE && rc == DIAG308_RC_OK && have_set &&
            addr < MEM_SIZE && set_len <= MEM_SIZE - addr &&
            memcmp(fh->mem + addr, set_copy, set_len) != 0) {
            fz_fail("DIAG 308/6 stored a block different from the one SET accepted");
        }
    }
    free(stored);
    free(set_copy);
    sclp_free(s);
    return 0;
}
