/*
 * Incremental release of preserved memory (phyp-assisted dump design,
 * spec 1.1).  With the standard layout the preserved destination areas are
 *   CPU   [0x2000000, 0x2000a00)
 *   RMR   [0x2001000, 0x2401000)
 * (HPTE has length 0), 0x400a00 bytes in total.
 */
#include <string.h>

#include "helpers.h"

#define CPU_END  (T_AREA + T_CPU_SIZE)
#define RMR_END  (T_RMR_DST + T_RMR_LEN)
#define TOTAL    (T_CPU_SIZE + T_RMR_LEN)

static void dump_std(struct fx *f)
{
    fx_init(f, "phyp-default");
    CU_ASSERT_EQUAL(register_std(f), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(phyp_os_term(f->p), PHYP_OSTERM_DUMP);
}

static void expect_ranges(struct fx *f, const struct phyp_range *exp, size_t n)
{
    struct phyp_range got[8];
    size_t cnt = 99;
    CU_ASSERT_EQUAL(phyp_preserved_ranges(f->p, got, 8, &cnt), PHYP_OK);
    CU_ASSERT_EQUAL_FATAL(cnt, n);
    for (size_t i = 0; i < n; i++) {
        CU_ASSERT_EQUAL(got[i].start, exp[i].start);
        CU_ASSERT_EQUAL(got[i].len, exp[i].len);
    }
}

static void test_release_no_dump(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST, 0x1000), PHYP_ERR_STATE);
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST, 0x1000), PHYP_ERR_STATE);
    CU_ASSERT_EQUAL(phyp_preserved_remaining(f.p), 0);
    size_t n = 7;
    CU_ASSERT_EQUAL(phyp_preserved_ranges(f.p, NULL, 0, &n), PHYP_OK);
    CU_ASSERT_EQUAL(n, 0);
    fx_fini(&f);
}

static void test_release_invalid_args(void)
{
    struct fx f;
    dump_std(&f);
    CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST, 0), PHYP_ERR_INVALID);
    CU_ASSERT_EQUAL(phyp_release(f.p, 0xfffffffffffff000ull, 0x2000), PHYP_ERR_INVALID);
    CU_ASSERT_EQUAL(phyp_release(NULL, T_RMR_DST, 1), PHYP_ERR_INVALID);
    CU_ASSERT_EQUAL(phyp_preserved_remaining(f.p), TOTAL);
    fx_fini(&f);
}

static void test_initial_ranges(void)
{
    struct fx f;
    dump_std(&f);
    const struct phyp_range exp[] = {{T_AREA, T_CPU_SIZE}, {T_RMR_DST, T_RMR_LEN}};
    expect_ranges(&f, exp, 2);
    CU_ASSERT_EQUAL(phyp_preserved_remaining(f.p), TOTAL);
    struct phyp_range one[1];
    size_t n;
    CU_ASSERT_EQUAL(phyp_preserved_ranges(f.p, one, 1, &n), PHYP_ERR_NOSPC);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_EQUAL(one[0].start, T_AREA);
    fx_fini(&f);
}

static void test_release_partial(void)
{
    struct fx f;
    dump_std(&f);
    /* Middle of the boot-memory copy: splits it. */
    CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST + 0x100000, 0x100000), PHYP_OK);
    const struct phyp_range exp[] = {
        {T_AREA, T_CPU_SIZE}, {T_RMR_DST, 0x100000}, {T_RMR_DST + 0x200000, 0x200000}};
    expect_ranges(&f, exp, 3);
    CU_ASSERT_EQUAL(phyp_preserved_remaining(f.p), TOTAL - 0x100000);
    CU_ASSERT_TRUE(phyp_dump_active(f.p));
    fx_fini(&f);
}

static void test_release_adjacent_and_all(void)
{
    struct fx f;
    dump_std(&f);
    CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST + 0x200000, 0x200000), PHYP_OK);
    CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST, 0x100000), PHYP_OK);
    CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST + 0x100000, 0x100000), PHYP_OK); /* joins */
    const struct phyp_range exp[] = {{T_AREA, T_CPU_SIZE}};
    expect_ranges(&f, exp, 1);
    /* Adjacent release of the whole released block again is a double release. */
    CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST, T_RMR_LEN), PHYP_ERR_RELEASED);
    CU_ASSERT_EQUAL(phyp_release(f.p, T_AREA, 0x500), PHYP_OK);
    CU_ASSERT_EQUAL(phyp_release(f.p, T_AREA + 0x500, T_CPU_SIZE - 0x500), PHYP_RELEASED_ALL);
    CU_ASSERT_EQUAL(phyp_preserved_remaining(f.p), 0);
    size_t n = 9;
    CU_ASSERT_EQUAL(phyp_preserved_ranges(f.p, NULL, 0, &n), PHYP_OK);
    CU_ASSERT_EQUAL(n, 0);
    /* Everything released: the dump is still presented until INVALIDATE. */
    CU_ASSERT_TRUE(phyp_dump_active(f.p));
    CU_ASSERT_EQUAL(phyp_configure_kernel_dump(f.p, 3, 1, PHYP_CMD_INVALIDATE, T_FDM, 160), 0);
    assert_idle(&f);
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    fx_fini(&f);
}

static void test_release_double(void)
{
    struct fx f;
    dump_std(&f);
    CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST, 0x2000), PHYP_OK);
    CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST, 0x2000), PHYP_ERR_RELEASED);
    CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST + 0x1000, 0x2000), PHYP_ERR_RELEASED);
    /* Overlapping only the last byte. */
    CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST + 0x1fff, 1), PHYP_ERR_RELEASED);
    CU_ASSERT_EQUAL(phyp_preserved_remaining(f.p), TOTAL - 0x2000);
    /* The byte right after is still releasable. */
    CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST + 0x2000, 1), PHYP_OK);
    CU_ASSERT_EQUAL(phyp_preserved_remaining(f.p), TOTAL - 0x2001);
    fx_fini(&f);
}

static void test_release_out_of_range(void)
{
    struct fx f;
    dump_std(&f);
    CU_ASSERT_EQUAL(phyp_release(f.p, 0, 0x1000), PHYP_ERR_RANGE);             /* source */
    CU_ASSERT_EQUAL(phyp_release(f.p, T_AREA - 1, 2), PHYP_ERR_RANGE);         /* starts before */
    CU_ASSERT_EQUAL(phyp_release(f.p, RMR_END - 0x10, 0x20), PHYP_ERR_RANGE);  /* runs past */
    CU_ASSERT_EQUAL(phyp_release(f.p, RMR_END, 1), PHYP_ERR_RANGE);
    /* Spans the unpreserved gap [CPU_END, T_RMR_DST). */
    CU_ASSERT_EQUAL(phyp_release(f.p, CPU_END - 0x10, 0x20), PHYP_ERR_RANGE);
    CU_ASSERT_EQUAL(phyp_release(f.p, T_AREA, RMR_END - T_AREA), PHYP_ERR_RANGE);
    CU_ASSERT_EQUAL(phyp_preserved_remaining(f.p), TOTAL);
    /* Out of range takes precedence over double release. */
    CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST, 0x1000), PHYP_OK);
    CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST - 0x10, 0x1010), PHYP_ERR_RANGE);
    fx_fini(&f);
}

static void test_invalidate_releases_all(void)
{
    struct fx f;
    dump_std(&f);
    CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST, 0x1000), PHYP_OK);
    CU_ASSERT_EQUAL(phyp_configure_kernel_dump(f.p, 3, 1, PHYP_CMD_INVALIDATE, T_FDM, 160), 0);
    CU_ASSERT_EQUAL(phyp_preserved_remaining(f.p), 0);
    CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST + 0x1000, 0x1000), PHYP_ERR_STATE);
    /* A new dump starts with nothing released. */
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_DUMP);
    CU_ASSERT_EQUAL(phyp_preserved_remaining(f.p), TOTAL);
    CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST, 0x1000), PHYP_OK);
    fx_fini(&f);
}

static void test_release_many_pieces(void)
{
    struct fx f;
    dump_std(&f);
    /* Release every other 4 KiB page, then fill the holes in reverse. */
    unsigned pages = (unsigned)(T_RMR_LEN / 0x1000);
    for (unsigned i = 0; i < pages; i += 2) {
        CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST + i * 0x1000ull, 0x1000), PHYP_OK);
    }
    size_t n;
    CU_ASSERT_EQUAL(phyp_preserved_ranges(f.p, NULL, 0, &n), PHYP_ERR_NOSPC);
    CU_ASSERT_EQUAL(n, 1 + pages / 2);
    CU_ASSERT_EQUAL(phyp_release(f.p, T_AREA, T_CPU_SIZE), PHYP_OK);
    for (unsigned i = pages - 1; i > 1; i -= 2) {
        CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST + i * 0x1000ull, 0x1000), PHYP_OK);
    }
    CU_ASSERT_EQUAL(phyp_release(f.p, T_RMR_DST + 0x1000, 0x1000), PHYP_RELEASED_ALL);
    CU_ASSERT_EQUAL(phyp_preserved_remaining(f.p), 0);
    fx_fini(&f);
}

static void test_adjacent_areas_merge(void)
{
    /* phyp-2008: CPU [A, A+0xA00) and HPTE [A+0xA00, A+0x1A00) touch, so a
     * release may span both; boot memory copy at A+0x2000. */
    struct fx f;
    fx_init(&f, "phyp-2008");
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_DUMP);
    const struct phyp_range exp[] = {{T_AREA, 0x1A00}, {T_AREA + 0x2000, T_RMR_LEN}};
    expect_ranges(&f, exp, 2);
    CU_ASSERT_EQUAL(phyp_release(f.p, T_AREA + 0x9F0, 0x20), PHYP_OK);
    CU_ASSERT_EQUAL(phyp_preserved_remaining(f.p), 0x1A00 + T_RMR_LEN - 0x20);
    fx_fini(&f);
    /* Boot memory copy directly below the CPU area (added after it). */
    fx_init(&f, "phyp-default");
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    s[0].dst = T_RMR_DST + T_RMR_LEN;
    s[1].dst = s[0].dst + T_CPU_SIZE;
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_DUMP);
    const struct phyp_range exp2[] = {{T_RMR_DST, T_RMR_LEN + T_CPU_SIZE}};
    expect_ranges(&f, exp2, 1);
    CU_ASSERT_EQUAL(phyp_release(f.p, RMR_END - 0x10, 0x20), PHYP_OK);
    fx_fini(&f);
}

static CU_TestInfo release_tests[] = {
    {"touching preserved areas merge", test_adjacent_areas_merge},
    {"release without dump -> state error", test_release_no_dump},
    {"release len 0 / wrap -> invalid", test_release_invalid_args},
    {"initial preserved ranges", test_initial_ranges},
    {"partial release splits a range", test_release_partial},
    {"adjacent releases merge, all released", test_release_adjacent_and_all},
    {"double release detected", test_release_double},
    {"out-of-range release", test_release_out_of_range},
    {"INVALIDATE releases all", test_invalidate_releases_all},
    {"many small releases", test_release_many_pieces},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"release", NULL, NULL, NULL, NULL, release_tests},
    CU_SUITE_INFO_NULL,
};

void add_release_suite(void)
{
    CU_register_suites(suites);
}
