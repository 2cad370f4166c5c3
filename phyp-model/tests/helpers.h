/*
 * Shared fixtures for the libphyp CUnit tests.
 *
 * Machine used by most tests (sizes matter for the expected values):
 *   testhost TH_PPC64, 64 MiB RAM, 2 CPUs
 *   advertised CPU-state size 0x20 + 2 * 0x4F0 = 0xA00
 *   fdm at 0x10000 (inside the RMA, below 4 GiB)
 *   reserved area A = 0x2000000: CPU dst A, HPTE dst A + 0xA00 (len 0),
 *   boot memory copy at PAGE_ALIGN(A + 0xA00) = 0x2001000,
 *   boot memory source [0, 0x400000) (4 MiB)
 */
#ifndef PHYP_TEST_HELPERS_H
#define PHYP_TEST_HELPERS_H

#include <CUnit/CUnit.h>
#include <stdint.h>

#include <phyp/phyp.h>

#include "testhost.h"

#define T_MEM        (64ull << 20)
#define T_NCPUS      2u
#define T_FDM        0x10000ull
#define T_AREA       0x2000000ull
#define T_CPU_SIZE   0xA00ull
#define T_RMR_DST    0x2001000ull
#define T_RMR_LEN    0x400000ull

struct tsec {
    uint32_t rf;
    uint16_t type;
    uint64_t src, len, dst;
};

/* A host wrapper that can fail reads and CPU access on demand. */
struct flaky {
    struct db_host host;
    struct testhost *th;
    int reads_ok;       /* reads that succeed before every read fails; -1 never */
    int cpu_get_fail;   /* nonzero: cpu_get fails */
    int poke_after;     /* >0: after this many reads flip the byte at poke_addr */
    uint64_t poke_addr;
};

struct fx {
    struct testhost *th;
    struct flaky fl;
    struct phyp *p;
};

/* Fixture on the flaky wrapper (which passes through by default). */
void fx_init(struct fx *f, const char *profile);
void fx_init_prof(struct fx *f, const struct phyp_profile *prof, uint64_t mem, unsigned ncpus);
void fx_fini(struct fx *f);

/* Write a dump structure (header + sections) into guest memory. */
void put_fdm(struct testhost *th, uint64_t addr, uint32_t version, uint16_t nsec,
             uint32_t first_off, const struct tsec *s, unsigned count);
/* The 6.1 kernel layout (CPU, HPTE, RMR) for cpu_size/hpte_size. */
void std_sections(struct tsec s[3], uint64_t cpu_size, uint64_t hpte_size);
/* Write std layout at T_FDM and REGISTER with size 160; returns the rc. */
int32_t register_std(struct fx *f);
int32_t do_reg(struct fx *f, uint64_t size);

/* Assert the model is idle and nothing was registered. */
void assert_idle(struct fx *f);
/* Parse a hex string ("00 01 ab..." whitespace ignored) into out; returns bytes. */
size_t hex2bin(const char *hex, uint8_t *out, size_t cap);

void add_register_suite(void);
void add_command_suite(void);
void add_dump_suite(void);
void add_regsave_suite(void);
void add_release_suite(void);

#endif
