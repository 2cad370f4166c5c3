/*
 * REGISTER validation: every check individually, each malformed structure
 * gives the exact RTAS code and leaves the model idle (spec 2.3, 6.2).
 */
#include <string.h>

#include <dumpbench/be.h>

#include "helpers.h"

/* Rejected call: exact rc, model idle, no guest write, and a valid
 * registration afterwards still succeeds (no stale state). */
static void expect_reject(struct fx *f, uint64_t size, int32_t rc)
{
    unsigned w = f->th->writes;
    CU_ASSERT_EQUAL(do_reg(f, size), rc);
    assert_idle(f);
    CU_ASSERT_EQUAL(f->th->writes, w);
    CU_ASSERT_EQUAL(register_std(f), PHYP_RTAS_SUCCESS);
    CU_ASSERT_TRUE(phyp_is_registered(f->p));
}

/* std layout on phyp-default with one section modified. */
static void reject_modified(unsigned idx, struct tsec mod, uint64_t size)
{
    struct fx f;
    struct tsec s[3];
    fx_init(&f, "phyp-default");
    std_sections(s, T_CPU_SIZE, 0);
    s[idx] = mod;
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    expect_reject(&f, size, PHYP_RTAS_PARAM_ERROR);
    fx_fini(&f);
}

static void test_register_ok_snapshot(void)
{
    struct fx f;
    uint8_t got[440];
    size_t len = 0;
    fx_init(&f, "phyp-default");
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    db_st_be16(f.th->mem + T_FDM + 6, 0xffff);    /* guest garbage in status */
    unsigned w = f.th->writes;
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(phyp_get_state(f.p), PHYP_STATE_REGISTERED);
    CU_ASSERT_TRUE(phyp_is_registered(f.p));
    CU_ASSERT_FALSE(phyp_dump_active(f.p));
    CU_ASSERT_EQUAL(phyp_fdm_addr(f.p), T_FDM);
    CU_ASSERT_EQUAL(f.th->writes, w);   /* REGISTER never writes the guest */
    CU_ASSERT_EQUAL(phyp_registered_fdm(f.p, got, sizeof(got), &len), PHYP_OK);
    CU_ASSERT_EQUAL(len, 160);
    uint8_t exp[160];
    size_t n = hex2bin(
        "00000001 0003 0000 00000028 00000000 0000000000000000 0000000000000000"
        " 00000000 00000000"
        "00000001 0001 0000 0000000000000000 0000000000000a00 0000000000000000 0000000002000000"
        "00000001 0002 0000 0000000000000000 0000000000000000 0000000000000000 0000000002000a00"
        "00000001 0011 0000 0000000000000000 0000000000400000 0000000000000000 0000000002001000",
        exp, sizeof(exp));
    CU_ASSERT_EQUAL_FATAL(n, 160);
    CU_ASSERT_EQUAL(memcmp(got, exp, 160), 0);
    /* No dump yet: no ibm,kernel-dump property. */
    CU_ASSERT_EQUAL(phyp_kernel_dump_property(f.p, got, sizeof(got), &len), PHYP_ERR_STATE);
    fx_fini(&f);
}

static void test_register_twice(void)
{
    struct fx f;
    uint8_t a[160], b[160];
    size_t la, lb;
    fx_init(&f, "phyp-default");
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    phyp_registered_fdm(f.p, a, sizeof(a), &la);
    /* A different structure at the same place must not replace the copy. */
    db_st_be64(f.th->mem + T_FDM + 0x28 + 2 * 0x28 + 0x10, 0x200000);
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_ALREADY_REGISTERED);
    CU_ASSERT_TRUE(phyp_is_registered(f.p));
    CU_ASSERT_EQUAL(phyp_registered_fdm(f.p, b, sizeof(b), &lb), PHYP_OK);
    CU_ASSERT_EQUAL(la, lb);
    CU_ASSERT_EQUAL(memcmp(a, b, 160), 0);
    fx_fini(&f);
}

static void test_register_dump_active(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_DUMP);
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_DUMP_ACTIVE);
    CU_ASSERT_TRUE(phyp_dump_active(f.p));
    fx_fini(&f);
}

static void test_bad_nargs(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    CU_ASSERT_EQUAL(phyp_configure_kernel_dump(f.p, 2, 1, 1, T_FDM, 160), PHYP_RTAS_PARAM_ERROR);
    CU_ASSERT_EQUAL(phyp_configure_kernel_dump(f.p, 4, 1, 1, T_FDM, 160), PHYP_RTAS_PARAM_ERROR);
    assert_idle(&f);
    fx_fini(&f);
}

static void test_bad_nret(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    CU_ASSERT_EQUAL(phyp_configure_kernel_dump(f.p, 3, 0, 1, T_FDM, 160), PHYP_RTAS_PARAM_ERROR);
    CU_ASSERT_EQUAL(phyp_configure_kernel_dump(f.p, 3, 2, 1, T_FDM, 160), PHYP_RTAS_PARAM_ERROR);
    assert_idle(&f);
    fx_fini(&f);
}

static void test_size_too_small(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    expect_reject(&f, 39, PHYP_RTAS_PARAM_ERROR);
    fx_fini(&f);
}

static void test_size_too_big(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    expect_reject(&f, 441, PHYP_RTAS_PARAM_ERROR);
    /* 440 (the max for 10 sections) is fine with 3 sections. */
    fx_fini(&f);
    fx_init(&f, "phyp-default");
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    CU_ASSERT_EQUAL(do_reg(&f, 440), PHYP_RTAS_SUCCESS);
    fx_fini(&f);
}

static void test_size_below_sections(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    expect_reject(&f, 120, PHYP_RTAS_PARAM_ERROR);    /* needs 160 for n = 3 */
    fx_fini(&f);
}

static void test_fdm_addr_zero(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, 0, 1, 3, 0x28, s, 3);
    CU_ASSERT_EQUAL(phyp_configure_kernel_dump(f.p, 3, 1, 1, 0, 160), PHYP_RTAS_PARAM_ERROR);
    assert_idle(&f);
    fx_fini(&f);
}

static void test_fdm_outside_rma(void)
{
    struct fx f;
    struct phyp_profile prof = *phyp_profile_find("phyp-default");
    prof.rma_size = 0x100000;       /* 1 MiB RMA in 64 MiB RAM */
    fx_init_prof(&f, &prof, T_MEM, T_NCPUS);
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, 0x100000 - 80, 1, 3, 0x28, s, 3);   /* crosses the RMA end */
    CU_ASSERT_EQUAL(phyp_configure_kernel_dump(f.p, 3, 1, 1, 0x100000 - 80, 160),
                    PHYP_RTAS_PARAM_ERROR);
    put_fdm(f.th, 0x200000, 1, 3, 0x28, s, 3);        /* entirely above */
    CU_ASSERT_EQUAL(phyp_configure_kernel_dump(f.p, 3, 1, 1, 0x200000, 160),
                    PHYP_RTAS_PARAM_ERROR);
    assert_idle(&f);
    /* Exactly touching the end is fine. */
    put_fdm(f.th, 0x100000 - 160, 1, 3, 0x28, s, 3);
    CU_ASSERT_EQUAL(phyp_configure_kernel_dump(f.p, 3, 1, 1, 0x100000 - 160, 160),
                    PHYP_RTAS_SUCCESS);
    fx_fini(&f);
}

static void test_fdm_above_4g(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    CU_ASSERT_EQUAL(phyp_configure_kernel_dump(f.p, 3, 1, 1, 0x100010000ull, 160),
                    PHYP_RTAS_PARAM_ERROR);
    CU_ASSERT_EQUAL(phyp_configure_kernel_dump(f.p, 3, 1, 1, T_FDM, 0x100000000ull + 160),
                    PHYP_RTAS_PARAM_ERROR);
    assert_idle(&f);
    fx_fini(&f);
}

static void test_fdm_crosses_ram_end(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, T_MEM - 40, 1, 3, 0x28, s, 0);    /* header only fits */
    CU_ASSERT_EQUAL(phyp_configure_kernel_dump(f.p, 3, 1, 1, T_MEM - 40, 160),
                    PHYP_RTAS_PARAM_ERROR);
    assert_idle(&f);
    fx_fini(&f);
}

static void test_version_mismatch(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, T_FDM, 2, 3, 0x28, s, 3);
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_PARAM_ERROR);
    put_fdm(f.th, T_FDM, 0, 3, 0x28, s, 3);
    expect_reject(&f, 160, PHYP_RTAS_PARAM_ERROR);
    fx_fini(&f);
}

static void test_version_range_profile(void)
{
    struct fx f;
    struct phyp_profile prof = *phyp_profile_find("phyp-default");
    prof.version_max = 2;
    fx_init_prof(&f, &prof, T_MEM, T_NCPUS);
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, T_FDM, 2, 3, 0x28, s, 3);
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_SUCCESS);
    fx_fini(&f);
}

static void test_num_sections_zero(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    put_fdm(f.th, T_FDM, 1, 0, 0x28, NULL, 0);
    expect_reject(&f, 40, PHYP_RTAS_PARAM_ERROR);
    fx_fini(&f);
}

static void test_num_sections_too_many(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, T_FDM, 1, 11, 0x28, s, 3);
    expect_reject(&f, 440, PHYP_RTAS_PARAM_ERROR);
    fx_fini(&f);
}

static void test_first_offset(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, T_FDM, 1, 3, 0x30, s, 3);
    CU_ASSERT_EQUAL(do_reg(&f, 200), PHYP_RTAS_PARAM_ERROR);
    put_fdm(f.th, T_FDM, 1, 3, 0x20, s, 3);
    expect_reject(&f, 160, PHYP_RTAS_PARAM_ERROR);
    fx_fini(&f);
}

static void test_strict_size(void)
{
    struct fx f;
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    fx_init(&f, "strict-size");
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    /* 440 is what UNREGISTER/INVALIDATE pass; REGISTER must be exact. */
    expect_reject(&f, 440, PHYP_RTAS_PARAM_ERROR);
    fx_fini(&f);
    fx_init(&f, "strict-size");
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    CU_ASSERT_EQUAL(do_reg(&f, 200), PHYP_RTAS_PARAM_ERROR);
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_SUCCESS);
    fx_fini(&f);
}

static void test_request_flag(void)
{
    struct tsec m = {0, PHYP_SRC_REAL_MODE, 0, T_RMR_LEN, T_RMR_DST};
    reject_modified(2, m, 160);
    m.rf = 2;
    reject_modified(2, m, 160);
}

static void test_unknown_type(void)
{
    reject_modified(2, (struct tsec){1, 0x0042, 0, T_RMR_LEN, T_RMR_DST}, 160);
}

static void test_cpu_len_mismatch(void)
{
    reject_modified(0, (struct tsec){1, PHYP_SRC_CPU_STATE, 0, T_CPU_SIZE - 0x4F0, T_AREA}, 160);
    reject_modified(0, (struct tsec){1, PHYP_SRC_CPU_STATE, 0, T_CPU_SIZE + 0x10, T_AREA}, 160);
}

static void test_hpte_len_mismatch(void)
{
    /* phyp-default advertises HPTE size 0. */
    reject_modified(1, (struct tsec){1, PHYP_SRC_HPTE, 0, 0x1000, 0x3000000}, 160);
    /* phyp-2008 advertises 0x1000; 0 is wrong there. */
    struct fx f;
    struct tsec s[3];
    fx_init(&f, "phyp-2008");
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    expect_reject(&f, 160, PHYP_RTAS_PARAM_ERROR);
    fx_fini(&f);
}

static void test_rmr_overflow(void)
{
    reject_modified(2, (struct tsec){1, PHYP_SRC_REAL_MODE, 0xfffffffffffff000ull, 0x2000,
                                     T_RMR_DST}, 160);
}

static void test_rmr_beyond_ram(void)
{
    reject_modified(2, (struct tsec){1, PHYP_SRC_REAL_MODE, T_MEM - 0x1000, 0x2000,
                                     T_RMR_DST}, 160);
}

static void test_rmr_len_zero(void)
{
    reject_modified(2, (struct tsec){1, PHYP_SRC_REAL_MODE, 0, 0, T_RMR_DST}, 160);
}

static void test_rmr_unaligned(void)
{
    reject_modified(2, (struct tsec){1, PHYP_SRC_REAL_MODE, 0, T_RMR_LEN, T_RMR_DST + 0x10}, 160);
    reject_modified(2, (struct tsec){1, PHYP_SRC_REAL_MODE, 0x800, T_RMR_LEN, T_RMR_DST}, 160);
    reject_modified(2, (struct tsec){1, PHYP_SRC_REAL_MODE, 0, T_RMR_LEN - 8, T_RMR_DST}, 160);
}

static void test_dest_beyond_ram(void)
{
    reject_modified(2, (struct tsec){1, PHYP_SRC_REAL_MODE, 0, T_RMR_LEN,
                                     T_MEM - T_RMR_LEN + 0x1000}, 160);
    reject_modified(0, (struct tsec){1, PHYP_SRC_CPU_STATE, 0, T_CPU_SIZE, T_MEM - 0x100}, 160);
    reject_modified(2, (struct tsec){1, PHYP_SRC_REAL_MODE, 0, T_RMR_LEN,
                                     0xffffffffffff0000ull}, 160);
}

static void test_dest_overlap_dest(void)
{
    /* CPU destination inside the boot-memory copy. */
    reject_modified(0, (struct tsec){1, PHYP_SRC_CPU_STATE, 0, T_CPU_SIZE, T_RMR_DST + 0x100}, 160);
}

static void test_dest_overlap_source(void)
{
    /* Boot-memory copy overlapping its own source, then the CPU area in it. */
    reject_modified(2, (struct tsec){1, PHYP_SRC_REAL_MODE, 0, T_RMR_LEN, 0x200000}, 160);
    reject_modified(0, (struct tsec){1, PHYP_SRC_CPU_STATE, 0, T_CPU_SIZE, 0x300000}, 160);
    /* src == dst is only allowed for the param area. */
    reject_modified(2, (struct tsec){1, PHYP_SRC_REAL_MODE, T_RMR_DST, T_RMR_LEN, T_RMR_DST}, 160);
}

static void test_dest_overlap_fdm(void)
{
    /* Structure above the boot-memory source, CPU area on top of it. */
    struct fx f;
    struct tsec s[3];
    fx_init(&f, "phyp-default");
    std_sections(s, T_CPU_SIZE, 0);
    s[0].dst = 0x800000 - 0x100;
    put_fdm(f.th, 0x800000, 1, 3, 0x28, s, 3);
    CU_ASSERT_EQUAL(phyp_configure_kernel_dump(f.p, 3, 1, 1, 0x800000, 160),
                    PHYP_RTAS_PARAM_ERROR);
    assert_idle(&f);
    s[0].dst = 0x800000 - T_CPU_SIZE;    /* just below: fine */
    put_fdm(f.th, 0x800000, 1, 3, 0x28, s, 3);
    CU_ASSERT_EQUAL(phyp_configure_kernel_dump(f.p, 3, 1, 1, 0x800000, 160),
                    PHYP_RTAS_SUCCESS);
    fx_fini(&f);
}

static void test_header_race(void)
{
    /* The guest rewrites dump_num_sections between the header read and the
     * full read: the model notices instead of mixing two structures. */
    struct fx f;
    fx_init(&f, "phyp-default");
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    f.fl.poke_after = 1;
    f.fl.poke_addr = T_FDM + 5;
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_HW_ERROR);
    assert_idle(&f);
    fx_fini(&f);
}

static void test_duplicate_sections(void)
{
    /* Second CPU section. */
    reject_modified(1, (struct tsec){1, PHYP_SRC_CPU_STATE, 0, T_CPU_SIZE, 0x3000000}, 160);
    /* Two boot-memory regions with overlapping sources. */
    struct fx f;
    struct tsec s[4];
    fx_init(&f, "phyp-default");
    std_sections(s, T_CPU_SIZE, 0);
    s[3] = (struct tsec){1, PHYP_SRC_REAL_MODE, 0x100000, 0x100000, 0x3000000};
    put_fdm(f.th, T_FDM, 1, 4, 0x28, s, 4);
    expect_reject(&f, 200, PHYP_RTAS_PARAM_ERROR);
    fx_fini(&f);
}

/* ≈6.11+ layout: CPU, HPTE, two boot regions, param area (src == dst). */
static void test_new_kernel_layout(void)
{
    struct fx f;
    struct tsec s[5];
    fx_init(&f, "strict-size");
    std_sections(s, T_CPU_SIZE, 0);
    s[3] = (struct tsec){1, PHYP_SRC_REAL_MODE, 0x800000, 0x200000, T_RMR_DST + T_RMR_LEN};
    s[4] = (struct tsec){1, PHYP_SRC_PARAM_AREA, 0x1800000, 2048, 0x1800000};
    put_fdm(f.th, T_FDM, 1, 5, 0x28, s, 5);
    CU_ASSERT_EQUAL(do_reg(&f, 440), PHYP_RTAS_PARAM_ERROR);
    CU_ASSERT_EQUAL(do_reg(&f, PHYP_FDM_SIZE(5)), PHYP_RTAS_SUCCESS);
    fx_fini(&f);
    /* A second param area is a duplicate. */
    fx_init(&f, "phyp-default");
    s[3] = (struct tsec){1, PHYP_SRC_PARAM_AREA, 0x1900000, 2048, 0x1900000};
    put_fdm(f.th, T_FDM, 1, 5, 0x28, s, 5);
    expect_reject(&f, 440, PHYP_RTAS_PARAM_ERROR);
    fx_fini(&f);
}

static void test_unreadable_header(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    f.fl.reads_ok = 0;
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_HW_ERROR);
    f.fl.reads_ok = 1;  /* header ok, sections unreadable */
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_HW_ERROR);
    f.fl.reads_ok = -1;
    assert_idle(&f);
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_SUCCESS);
    fx_fini(&f);
}

static void test_qemu_compat_accepts(void)
{
    /* qemu-10.2 does only header checks: unknown type, request flag 0 and
     * a bad CPU length are accepted (reported at dump time instead). */
    struct fx f;
    struct tsec s[3];
    fx_init(&f, "qemu-10.2");
    std_sections(s, 0x10, 0);
    s[1] = (struct tsec){0, PHYP_SRC_HPTE, 0, 0, 0};
    s[2].type = 0x0042;
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_SUCCESS);
    CU_ASSERT_TRUE(phyp_is_registered(f.p));
    fx_fini(&f);
    /* ... but the header checks still apply. */
    fx_init(&f, "qemu-10.2");
    put_fdm(f.th, T_FDM, 2, 3, 0x28, s, 3);
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_PARAM_ERROR);
    assert_idle(&f);
    fx_fini(&f);
}

static void test_snapshot_isolated(void)
{
    /* Guest changes after REGISTER are invisible (QEMU note, spec 4.2). */
    struct fx f;
    uint8_t a[160], b[160];
    size_t la, lb;
    fx_init(&f, "phyp-default");
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    phyp_registered_fdm(f.p, a, sizeof(a), &la);
    memset(f.th->mem + T_FDM, 0xEE, 160);
    CU_ASSERT_EQUAL(phyp_registered_fdm(f.p, b, sizeof(b), &lb), PHYP_OK);
    CU_ASSERT_EQUAL(memcmp(a, b, 160), 0);
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_DUMP);
    /* The boot memory copy still went to the registered destination
     * (and carries the overwritten structure, it is part of the source). */
    CU_ASSERT_EQUAL(memcmp(f.th->mem + T_RMR_DST, f.th->mem, T_RMR_LEN), 0);
    CU_ASSERT_EQUAL(f.th->mem[T_RMR_DST + T_FDM], 0xEE);
    fx_fini(&f);
}

static CU_TestInfo register_tests[] = {
    {"register ok, byte-exact snapshot, status zeroed", test_register_ok_snapshot},
    {"register twice -> -9, copy kept", test_register_twice},
    {"register with dump active -> -10", test_register_dump_active},
    {"nargs != 3 -> -3", test_bad_nargs},
    {"nret != 1 -> -3", test_bad_nret},
    {"size < 40 -> -3", test_size_too_small},
    {"size > 40+40*max -> -3", test_size_too_big},
    {"size < 40+40n -> -3", test_size_below_sections},
    {"fdm address 0 -> -3", test_fdm_addr_zero},
    {"fdm outside RMA -> -3", test_fdm_outside_rma},
    {"fdm above 4 GiB -> -3", test_fdm_above_4g},
    {"fdm crossing end of RAM -> -3", test_fdm_crosses_ram_end},
    {"version mismatch -> -3", test_version_mismatch},
    {"profile version range", test_version_range_profile},
    {"num_sections 0 -> -3", test_num_sections_zero},
    {"num_sections 11 -> -3", test_num_sections_too_many},
    {"offset_first_dump_section != 0x28 -> -3", test_first_offset},
    {"strict-size demands 40+40n", test_strict_size},
    {"request_flag != 1 -> -3", test_request_flag},
    {"unknown section type -> -3", test_unknown_type},
    {"CPU source_len != advertised -> -3", test_cpu_len_mismatch},
    {"HPTE source_len != advertised -> -3", test_hpte_len_mismatch},
    {"boot memory source wraps -> -3", test_rmr_overflow},
    {"boot memory beyond RAM -> -3", test_rmr_beyond_ram},
    {"boot memory length 0 -> -3", test_rmr_len_zero},
    {"boot memory unaligned -> -3", test_rmr_unaligned},
    {"destination beyond RAM -> -3", test_dest_beyond_ram},
    {"destinations overlap -> -3", test_dest_overlap_dest},
    {"destination overlaps a source -> -3", test_dest_overlap_source},
    {"destination overlaps the fdm -> -3", test_dest_overlap_fdm},
    {"duplicate sections -> -3", test_duplicate_sections},
    {"new-kernel layout with param area", test_new_kernel_layout},
    {"unreadable structure -> -1", test_unreadable_header},
    {"structure changed during read -> -1", test_header_race},
    {"qemu-10.2 accepts bad sections", test_qemu_compat_accepts},
    {"snapshot isolated from guest changes", test_snapshot_isolated},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"register", NULL, NULL, NULL, NULL, register_tests},
    CU_SUITE_INFO_NULL,
};

void add_register_suite(void)
{
    CU_register_suites(suites);
}
