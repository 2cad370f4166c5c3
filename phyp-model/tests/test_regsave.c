/*
 * Register save area builder/parser (spec 2.6): sizes, round trip and
 * every malformed-input rejection.
 */
#include <stdlib.h>
#include <string.h>

#include <dumpbench/be.h>

#include "helpers.h"

static void fill_cpu(struct db_ppc64_cpu *c, unsigned id)
{
    memset(c, 0, sizeof(*c));
    for (unsigned i = 0; i < 32; i++) {
        c->gpr[i] = ((uint64_t)id << 32) | (0xA0 + i);
    }
    c->nia = 0x1000 + id;
    c->msr = 0x8000000000000001ull;
    c->ctr = 3; c->lr = 4; c->xer = 5; c->cr = 6; c->dar = 7; c->dsisr = 8;
    c->srr0 = 9; c->srr1 = 10; c->pir = id; c->pvr = 0x4e1202; c->fpscr = 12;
    c->online = true;
    c->cpu_id = id;
}

static uint8_t *build(unsigned n, size_t *len)
{
    struct db_ppc64_cpu cpus[8];
    for (unsigned i = 0; i < n; i++) {
        fill_cpu(&cpus[i], i);
    }
    CU_ASSERT_EQUAL(phyp_regsave_build(cpus, n, NULL, 0, len), PHYP_ERR_NOSPC);
    uint8_t *b = malloc(*len);
    CU_ASSERT_EQUAL(phyp_regsave_build(cpus, n, b, *len, len), PHYP_OK);
    return b;
}

static void test_sizes(void)
{
    size_t len;
    uint8_t *b = build(1, &len);
    CU_ASSERT_EQUAL(len, 0x510);
    free(b);
    b = build(4, &len);
    CU_ASSERT_EQUAL(len, 0x13E0);
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x10), 4);
    /* CPU 3 block starts at 0x14 + 3 * 0x4F0 with CPUSTRT id 3. */
    CU_ASSERT_EQUAL(db_ld_be64(b + 0x14 + 3 * 0x4F0), PHYP_REGID_CPUSTRT);
    CU_ASSERT_EQUAL(db_ld_be64(b + 0x14 + 3 * 0x4F0 + 8), 3);
    uint8_t small[0x510];
    struct db_ppc64_cpu c;
    fill_cpu(&c, 0);
    CU_ASSERT_EQUAL(phyp_regsave_build(&c, 1, small, 0x50F, &len), PHYP_ERR_NOSPC);
    CU_ASSERT_EQUAL(len, 0x510);
    CU_ASSERT_EQUAL(phyp_regsave_build(&c, 1, small, 0x510, NULL), PHYP_ERR_INVALID);
    /* No CPUs: header, count 0, pad. */
    CU_ASSERT_EQUAL(phyp_regsave_build(NULL, 0, small, sizeof(small), &len), PHYP_OK);
    CU_ASSERT_EQUAL(len, 0x20);
    free(b);
}

static void test_roundtrip(void)
{
    size_t len;
    uint8_t *b = build(3, &len);
    struct db_ppc64_cpu out[3], exp;
    unsigned n = 0;
    CU_ASSERT_EQUAL(phyp_regsave_parse(b, len, out, 3, &n), PHYP_OK);
    CU_ASSERT_EQUAL_FATAL(n, 3);
    for (unsigned i = 0; i < 3; i++) {
        fill_cpu(&exp, i);
        CU_ASSERT_EQUAL(memcmp(out[i].gpr, exp.gpr, sizeof(exp.gpr)), 0);
        CU_ASSERT_EQUAL(out[i].nia, exp.nia);
        CU_ASSERT_EQUAL(out[i].msr, exp.msr);
        CU_ASSERT_EQUAL(out[i].ctr, 3);
        CU_ASSERT_EQUAL(out[i].lr, 4);
        CU_ASSERT_EQUAL(out[i].xer, 5);
        CU_ASSERT_EQUAL(out[i].cr, 6);
        CU_ASSERT_EQUAL(out[i].dar, 7);
        CU_ASSERT_EQUAL(out[i].dsisr, 8);
        CU_ASSERT_EQUAL(out[i].srr0, 9);
        CU_ASSERT_EQUAL(out[i].srr1, 10);
        CU_ASSERT_EQUAL(out[i].pir, i);
        CU_ASSERT_EQUAL(out[i].pvr, 0x4e1202);
        CU_ASSERT_EQUAL(out[i].fpscr, 12);
        CU_ASSERT_EQUAL(out[i].cpu_id, i);
        CU_ASSERT_TRUE(out[i].online);
    }
    free(b);
}

static void test_parse_bad_magic(void)
{
    size_t len;
    uint8_t *b = build(1, &len);
    struct db_ppc64_cpu out[1];
    unsigned n = 5;
    b[7] = 'X';
    CU_ASSERT_EQUAL(phyp_regsave_parse(b, len, out, 1, &n), PHYP_ERR_FORMAT);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_EQUAL(phyp_regsave_parse(b, 15, out, 1, &n), PHYP_ERR_FORMAT);
    free(b);
}

static void test_parse_bad_offset(void)
{
    size_t len;
    uint8_t *b = build(1, &len);
    struct db_ppc64_cpu out[1];
    unsigned n;
    db_st_be32(b + 0x0C, 0x08);                 /* inside the header */
    CU_ASSERT_EQUAL(phyp_regsave_parse(b, len, out, 1, &n), PHYP_ERR_FORMAT);
    db_st_be32(b + 0x0C, (uint32_t)len - 2);    /* count not inside */
    CU_ASSERT_EQUAL(phyp_regsave_parse(b, len, out, 1, &n), PHYP_ERR_FORMAT);
    db_st_be32(b + 0x0C, 0xFFFFFFF0u);
    CU_ASSERT_EQUAL(phyp_regsave_parse(b, len, out, 1, &n), PHYP_ERR_FORMAT);
    free(b);
}

static void test_parse_bad_count(void)
{
    size_t len;
    uint8_t *b = build(2, &len);
    struct db_ppc64_cpu out[4];
    unsigned n;
    db_st_be32(b + 0x10, 0xFFFFFFFFu);          /* impossible for the length */
    CU_ASSERT_EQUAL(phyp_regsave_parse(b, len, out, 4, &n), PHYP_ERR_FORMAT);
    db_st_be32(b + 0x10, 3);                    /* third block missing */
    CU_ASSERT_EQUAL(phyp_regsave_parse(b, len, out, 4, &n), PHYP_ERR_FORMAT);
    db_st_be32(b + 0x10, 2);
    CU_ASSERT_EQUAL(phyp_regsave_parse(b, len, out, 1, &n), PHYP_ERR_NOSPC);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_EQUAL(phyp_regsave_parse(b, len, out, 2, &n), PHYP_OK);
    free(b);
}

static void test_parse_truncated(void)
{
    size_t len;
    uint8_t *b = build(1, &len);
    struct db_ppc64_cpu out[1];
    unsigned n;
    /* Cut inside the block: CPUEND not inside the area. */
    CU_ASSERT_EQUAL(phyp_regsave_parse(b, 0x14 + 0x4E0, out, 1, &n), PHYP_ERR_FORMAT);
    /* Exactly up to CPUEND (without the 0xC pad) is complete. */
    CU_ASSERT_EQUAL(phyp_regsave_parse(b, 0x14 + 0x4F0, out, 1, &n), PHYP_OK);
    free(b);
}

static void test_parse_markers(void)
{
    size_t len;
    uint8_t *b = build(1, &len);
    struct db_ppc64_cpu out[1];
    unsigned n;
    db_st_be64(b + 0x4F4 + 8, 5);               /* CPUEND id != CPUSTRT id */
    CU_ASSERT_EQUAL(phyp_regsave_parse(b, len, out, 1, &n), PHYP_ERR_FORMAT);
    db_st_be64(b + 0x4F4 + 8, 0);
    db_st_be64(b + 0x14, PHYP_REGID_NIA);        /* block without CPUSTRT */
    CU_ASSERT_EQUAL(phyp_regsave_parse(b, len, out, 1, &n), PHYP_ERR_FORMAT);
    db_st_be64(b + 0x14, PHYP_REGID_CPUSTRT);
    db_st_be64(b + 0x24, PHYP_REGID_CPUSTRT);    /* nested CPUSTRT */
    CU_ASSERT_EQUAL(phyp_regsave_parse(b, len, out, 1, &n), PHYP_ERR_FORMAT);
    free(b);
}

static void test_parse_ignores_unknown(void)
{
    /* Hand-made area: kernel-style offset 0x18, unknown ids, GPR32. */
    uint8_t a[0x18 + 4 + 6 * 16];
    memset(a, 0, sizeof(a));
    db_st_be64(a, PHYP_REGSAVE_MAGIC);
    db_st_be32(a + 0x0C, 0x18);
    db_st_be32(a + 0x18, 1);
    uint8_t *e = a + 0x1C;
    db_st_be64(e, PHYP_REGID_CPUSTRT); db_st_be64(e + 8, 42); e += 16;
    db_st_be64(e, 0x5A5A000000000000ull); db_st_be64(e + 8, 1); e += 16;   /* unknown */
    db_st_be64(e, 0x4750523332000000ull); db_st_be64(e + 8, 2); e += 16;   /* GPR32 */
    db_st_be64(e, 0x4750523035000000ull); db_st_be64(e + 8, 3); e += 16;   /* GPR05 */
    db_st_be64(e, PHYP_REGID_MSR); db_st_be64(e + 8, 4); e += 16;
    db_st_be64(e, PHYP_REGID_CPUEND); db_st_be64(e + 8, 42);
    struct db_ppc64_cpu out[1];
    unsigned n;
    CU_ASSERT_EQUAL(phyp_regsave_parse(a, sizeof(a), out, 1, &n), PHYP_OK);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_EQUAL(out[0].cpu_id, 42);
    CU_ASSERT_EQUAL(out[0].gpr[5], 3);
    CU_ASSERT_EQUAL(out[0].msr, 4);
    CU_ASSERT_EQUAL(out[0].nia, 0);     /* GPR32 is not gpr[32] */
    uint64_t sum = 0;
    for (unsigned i = 0; i < 32; i++) {
        sum += out[0].gpr[i];
    }
    CU_ASSERT_EQUAL(sum, 3);
}

static CU_TestInfo regsave_tests[] = {
    {"sizes 0x20 + n*0x4F0", test_sizes},
    {"build/parse round trip", test_roundtrip},
    {"bad magic / short", test_parse_bad_magic},
    {"num_cpu_offset out of bounds", test_parse_bad_offset},
    {"num_cpus inconsistent / too many", test_parse_bad_count},
    {"truncated block", test_parse_truncated},
    {"CPUSTRT/CPUEND marker errors", test_parse_markers},
    {"unknown ids ignored", test_parse_ignores_unknown},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"regsave", NULL, NULL, NULL, NULL, regsave_tests},
    CU_SUITE_INFO_NULL,
};

void add_regsave_suite(void)
{
    CU_register_suites(suites);
}
