/* Shared fixtures for the libsclp CUnit tests. */
#ifndef SCLP_TEST_HELPERS_H
#define SCLP_TEST_HELPERS_H

#include <stdint.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include <sclp/sclp.h>
#include <sclp/s390dump.h>
#include <dumpbench/be.h>

#include "testhost.h"

#define MiB (1024ull * 1024ull)
#define SCCB_ADDR   0x10000ull      /* page-aligned, above 8 KiB */
#define DEST_ADDR   0x40000ull      /* SDIAS destination */
#define IPLB_ADDR   0x50000ull
#define SMALL_HSA   (1 * MiB)       /* 256 pages */

struct fx {
    struct testhost *th;
    struct sclp *s;
    struct sclp_profile prof;
};

/* Build a testhost of `mem` bytes / `ncpus` CPUs and an SCLP on profile p
 * (NULL: a custom profile with a 1 MiB HSA). */
void fx_init(struct fx *f, const struct sclp_profile *p, uint64_t mem,
             unsigned ncpus);
void fx_fini(struct fx *f);

/* Copy `len` bytes of `sccb` to SCCB_ADDR and run the command. */
int fx_call(struct fx *f, uint32_t cmd, const uint8_t *sccb, uint32_t len);
/* Pointer to guest memory. */
uint8_t *fx_mem(struct fx *f, uint64_t addr);

/* Fill a 68-byte SDIAS SCCB. */
void sdias_build(uint8_t sccb[68], uint8_t qual, uint32_t fbn,
                 uint32_t blk_cnt, uint64_t asa);
/* Run one SDIAS request at SCCB_ADDR; returns the SCCB rc. */
int fx_sdias(struct fx *f, uint8_t qual, uint32_t fbn, uint32_t blk_cnt,
             uint64_t asa);
uint8_t fx_sdias_status(struct fx *f);
uint32_t fx_sdias_blkcnt(struct fx *f);
uint8_t fx_sdias_flags(struct fx *f);

/* Encode an IPLB and SET it via DIAG 308/5; returns the rc. */
uint64_t fx_set_iplb(struct fx *f, const struct sclp_iplb_info *info);
/* Set an FCP dump IPLB and issue DIAG 308/4 on cpu 0; returns the action. */
int fx_trigger_dump(struct fx *f);
/* Distinct register pattern for a CPU. */
void fill_cpu(struct db_s390_cpu *c, unsigned seed);

void register_profile_tests(void);
void register_service_tests(void);
void register_sdias_tests(void);
void register_diag308_tests(void);
void register_store_tests(void);
void register_iplb_tests(void);
void register_s390dump_tests(void);

#define ADD_SUITE(suite_name, table)                                     \
    do {                                                                 \
        CU_pSuite su_ = CU_add_suite((suite_name), NULL, NULL);          \
        for (unsigned i_ = 0; su_ && (table)[i_].name; i_++) {           \
            CU_add_test(su_, (table)[i_].name, (table)[i_].fn);          \
        }                                                                \
    } while (0)

struct tcase {
    const char *name;
    void (*fn)(void);
};

#endif
