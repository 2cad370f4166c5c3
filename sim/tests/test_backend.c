/* Sim backend: scenarios end to end on the s390x zfcpdump path. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <harness/compare.h>
#include <sim/backend.h>

#include "suites.h"

/* Parse `text` and run it in a fresh temp dir; returns the backend rc. */
static int run_text(const char *text, struct run_result *res, char *dir, size_t dirlen)
{
    struct scenario *s = NULL;
    struct scn_error perr;
    if (scn_parse_buffer("test.scn", text, strlen(text), &s, &perr) != 0) {
        fprintf(stderr, "parse: %s\n", perr.msg);
        return -100;
    }
    snprintf(dir, dirlen, "/tmp/simtest.XXXXXX");
    if (!mkdtemp(dir)) {
        scn_free(s);
        return -101;
    }
    char err[512] = "";
    run_result_init(res);
    FILE *log = fopen("/dev/null", "w");
    int rc = sim_backend_run(s, dir, log, res, err, sizeof(err));
    if (log) {
        fclose(log);
    }
    if (getenv("SIMTEST_VERBOSE")) {
        fprintf(stderr, "[rc %d: %s] ", rc, err);
        fprintf(stderr, "[%s] %s\n", run_outcome_name(res->outcome), res->reason);
    }
    scn_free(s);
    return rc;
}

static void cleanup_dir(const char *dir)
{
    char p[600];
    snprintf(p, sizeof(p), "%s/dump.img", dir);
    unlink(p);
    rmdir(dir);
}

static const struct run_rc *find_rc(const struct run_result *r, const char *op)
{
    const struct run_rc *last = NULL;
    for (size_t i = 0; i < r->nrcs; i++) {
        if (!strcmp(r->rcs[i].op, op)) {
            last = &r->rcs[i];
        }
    }
    return last;
}

#define BASE(mem, extra_machine)                                                   \
    "scenario t\n"                                                                 \
    "machine arch=s390x memory=" mem " cpus=2 max-cpus=4 seed=7" extra_machine "\n" \
    "dump method=zfcpdump target=fcp:0.0.1900/0x500507630300c562/0x4010400000000000\n" \
    "step boot\n"                                                                  \
    "step plant addr=0 len=256K seed=11\n"          /* lowcore, first HSA blocks */ \
    "step plant addr=0x1fc0000 len=512K seed=13\n"  /* across the 32 MiB HSA end */ \
    "step plant addr=38M len=256K seed=12\n"        /* above the HSA: direct */

static void assert_pages_equal_regs(const struct run_result *res, bool regs)
{
    struct cmp_result c;
    cmp_result_init(&c);
    for (size_t i = 0; i < res->nexempt; i++) {
        cmp_add_exempt(&c, res->exempt[i].addr, res->exempt[i].len, res->exempt[i].reason);
    }
    cmp_pages(res->truth, res->image, &c);
    if (c.differ) {
        fprintf(stderr, "pages: %s\n", c.first);
    }
    CU_ASSERT_FALSE(c.differ);
    CU_ASSERT(c.pages_compared > 0);
    if (!regs) {
        return;
    }
    cmp_result_init(&c);
    cmp_regs(res->truth, res->image, &c);
    if (c.differ) {
        fprintf(stderr, "regs: %s\n", c.first);
    }
    CU_ASSERT_FALSE(c.differ);
    CU_ASSERT(c.regs_compared > 0);
}

static void test_crash_complete_equal(void)
{
    struct run_result res;
    char dir[64];
    const char *t = BASE("40M", "")
        "step set-regs cpu=1 gpr3=0x1234 psw_addr=0x4711000\n"
        "step crash cpu=1\n"
        "step capture\n";
    CU_ASSERT_EQUAL_FATAL(run_text(t, &res, dir, sizeof(dir)), 0);
    CU_ASSERT_EQUAL(res.outcome, RUN_COMPLETE);
    CU_ASSERT_PTR_NOT_NULL_FATAL(res.truth);
    CU_ASSERT_PTR_NOT_NULL_FATAL(res.image);
    CU_ASSERT_EQUAL(res.cpus_online, 2);
    CU_ASSERT_EQUAL(res.image->ncpus, 2);
    CU_ASSERT_EQUAL(res.image->cpus[1].regs.s390.gprs[3], 0x1234);
    CU_ASSERT_EQUAL(res.image->cpus[1].regs.s390.psw_addr, 0x4711000);
    CU_ASSERT_EQUAL(df_dump_mem_bytes(res.image), 40ull << 20);
    CU_ASSERT_EQUAL(res.nexempt, 0);
    assert_pages_equal_regs(&res, true);
    CU_ASSERT_PTR_NOT_NULL(res.image->vmcoreinfo);
    if (res.image->vmcoreinfo) {
        CU_ASSERT_PTR_NOT_NULL(strstr(res.image->vmcoreinfo, "OSRELEASE=6.1.0-dumpbench-sim"));
    }
    const struct run_rc *rc = find_rc(&res, "diag308");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rc);
    CU_ASSERT_EQUAL(rc->rc, 1);
    rc = find_rc(&res, "diag308-set");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rc);
    CU_ASSERT_EQUAL(rc->rc, 1);
    rc = find_rc(&res, "release");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rc);
    CU_ASSERT_EQUAL(rc->rc, 1);
    struct stat st;
    CU_ASSERT_EQUAL(stat(res.image_path, &st), 0);
    CU_ASSERT(st.st_size > (40 << 20));
    run_result_clear(&res);
    cleanup_dir(dir);
}

static void test_two_runs_identical(void)
{
    const char *t = BASE("40M", "")
        "step run ms=50\n"
        "step crash\n"
        "step capture\n";
    struct run_result a, b;
    char da[64], db[64];
    CU_ASSERT_EQUAL_FATAL(run_text(t, &a, da, sizeof(da)), 0);
    CU_ASSERT_EQUAL_FATAL(run_text(t, &b, db, sizeof(db)), 0);
    CU_ASSERT_EQUAL(a.outcome, RUN_COMPLETE);
    char msg[256];
    CU_ASSERT_EQUAL(cmp_files(a.image_path, b.image_path, msg, sizeof(msg)), 0);
    run_result_clear(&a);
    run_result_clear(&b);
    cleanup_dir(da);
    cleanup_dir(db);
}

static void test_sdias_error_fails_cleanly(void)
{
    struct run_result res;
    char dir[64];
    const char *t = BASE("40M", "")
        "step fault sdias status=3 at-block=100 count=1\n"
        "step crash\n"
        "step capture\n";
    CU_ASSERT_EQUAL_FATAL(run_text(t, &res, dir, sizeof(dir)), 0);
    CU_ASSERT_EQUAL(res.outcome, RUN_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.reason, "event status 0x03"));
    CU_ASSERT_PTR_NOT_NULL(strstr(res.reason, "HSA block 100"));
    CU_ASSERT_PTR_NULL(res.image);
    CU_ASSERT_STRING_EQUAL(res.image_path, "");
    const struct run_rc *rc = find_rc(&res, "sdias");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rc);
    CU_ASSERT_EQUAL(rc->rc, 3);
    rc = find_rc(&res, "release");                 /* HSA released on failure */
    CU_ASSERT_PTR_NOT_NULL_FATAL(rc);
    CU_ASSERT_EQUAL(rc->rc, 1);
    CU_ASSERT_PTR_NOT_NULL(res.truth);
    char p[600];
    snprintf(p, sizeof(p), "%s/dump.img", dir);
    CU_ASSERT_NOT_EQUAL(access(p, F_OK), 0);       /* nothing claimed as an image */
    run_result_clear(&res);
    cleanup_dir(dir);
}

static void test_hsa_released_early_fails(void)
{
    struct run_result res;
    char dir[64];
    const char *t = BASE("40M", "")
        "step fault hsa release-early=yes\n"
        "step crash\n"
        "step capture\n";
    CU_ASSERT_EQUAL_FATAL(run_text(t, &res, dir, sizeof(dir)), 0);
    CU_ASSERT_EQUAL(res.outcome, RUN_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.reason, "event status 0x03"));
    CU_ASSERT_PTR_NULL(res.image);
    run_result_clear(&res);
    cleanup_dir(dir);
}

static void test_fcp_link_down_incomplete(void)
{
    struct run_result res;
    char dir[64];
    /* 1 MiB writes of 2048 blocks: block 20000 is inside the 10th write. */
    const char *t = BASE("40M", "")
        "step fault fcp kind=link-down at-block=20000\n"
        "step crash\n"
        "step capture\n";
    CU_ASSERT_EQUAL_FATAL(run_text(t, &res, dir, sizeof(dir)), 0);
    CU_ASSERT_EQUAL(res.outcome, RUN_INCOMPLETE);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.reason, "FCP_ST_LINK_DOWN"));
    CU_ASSERT_PTR_NOT_NULL(strstr(res.reason, "10240000 of"));
    struct stat st;
    CU_ASSERT_EQUAL(stat(res.image_path, &st), 0);
    CU_ASSERT_EQUAL(st.st_size, 20000 * 512);
    /* A truncated ELF is readable leniently and says so. */
    CU_ASSERT_PTR_NOT_NULL_FATAL(res.image);
    CU_ASSERT(res.image->flags & DF_FLAG_INCOMPLETE);
    run_result_clear(&res);
    cleanup_dir(dir);
}

static void test_fcp_lun_removed(void)
{
    struct run_result res;
    char dir[64];
    const char *t = BASE("40M", "")
        "step fault fcp kind=lun-removed\n"
        "step crash\n"
        "step capture\n";
    CU_ASSERT_EQUAL_FATAL(run_text(t, &res, dir, sizeof(dir)), 0);
    CU_ASSERT_EQUAL(res.outcome, RUN_INCOMPLETE);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.reason, "OPEN LUN"));
    CU_ASSERT_PTR_NOT_NULL(strstr(res.reason, "0 of"));
    CU_ASSERT_STRING_EQUAL(res.image_path, "");
    run_result_clear(&res);
    cleanup_dir(dir);
}

static void test_operator_dump_hung(void)
{
    struct run_result res;
    char dir[64];
    const char *t = BASE("40M", "")
        "step hang\n"
        "step run ms=1000\n"
        "step operator-dump\n"
        "step capture\n";
    CU_ASSERT_EQUAL_FATAL(run_text(t, &res, dir, sizeof(dir)), 0);
    CU_ASSERT_EQUAL(res.outcome, RUN_COMPLETE);
    const struct run_rc *rc = find_rc(&res, "dump-ipl");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rc);
    CU_ASSERT_EQUAL(rc->rc, 0);
    CU_ASSERT_PTR_NULL(find_rc(&res, "diag308"));
    assert_pages_equal_regs(&res, true);
    run_result_clear(&res);
    cleanup_dir(dir);
}

static void test_hotplug_cpu_in_dump(void)
{
    struct run_result res;
    char dir[64];
    const char *t = BASE("40M", "")
        "step hotplug-cpu count=2\n"
        "step set-regs cpu=3 seed=99 gpr15=0xfeed\n"
        "step crash\n"
        "step capture\n";
    CU_ASSERT_EQUAL_FATAL(run_text(t, &res, dir, sizeof(dir)), 0);
    CU_ASSERT_EQUAL(res.outcome, RUN_COMPLETE);
    CU_ASSERT_EQUAL(res.cpus_online, 4);
    CU_ASSERT_PTR_NOT_NULL_FATAL(res.image);
    CU_ASSERT_EQUAL(res.image->ncpus, 4);
    CU_ASSERT_EQUAL(res.image->cpus[3].regs.s390.gprs[15], 0xfeed);
    assert_pages_equal_regs(&res, true);
    run_result_clear(&res);
    cleanup_dir(dir);
}

static void test_s390_format_exempt_save_areas(void)
{
    struct run_result res;
    char dir[64];
    const char *t =
        "scenario t\n"
        "machine arch=s390x memory=40M cpus=2 seed=3\n"
        "dump method=zfcpdump format=s390\n"
        "step boot\n"
        "step plant addr=0 len=256K seed=1\n"
        "step plant addr=0x1fc0000 len=512K seed=2\n"
        "step plant addr=0x2200000 len=256K seed=4\n"
        "step crash\n"
        "step capture\n";
    CU_ASSERT_EQUAL_FATAL(run_text(t, &res, dir, sizeof(dir)), 0);
    CU_ASSERT_EQUAL(res.outcome, RUN_COMPLETE);
    CU_ASSERT_PTR_NOT_NULL_FATAL(res.image);
    CU_ASSERT_EQUAL(res.image->format, DF_FMT_S390);
    CU_ASSERT_EQUAL(res.nexempt, 2);
    /* The s390 format carries no vector registers (no notes at all):
     * regs-equal skips them and compares every other register. */
    assert_pages_equal_regs(&res, true);
    CU_ASSERT_EQUAL_FATAL(res.image->ncpus, res.truth->ncpus);
    for (size_t i = 0; i < res.truth->ncpus; i++) {
        const struct db_s390_cpu *e = &res.truth->cpus[i].regs.s390;
        const struct db_s390_cpu *g = &res.image->cpus[i].regs.s390;
        CU_ASSERT_EQUAL(memcmp(e->gprs, g->gprs, sizeof(e->gprs)), 0);
        CU_ASSERT_EQUAL(e->psw_addr, g->psw_addr);
        CU_ASSERT_EQUAL(e->prefix, g->prefix);
    }
    run_result_clear(&res);
    cleanup_dir(dir);
}

static void test_no_dump_support(void)
{
    struct run_result res;
    char dir[64];
    const char *t =
        "scenario t\n"
        "machine arch=s390x memory=64M cpus=1 profile=qemu-7.2\n"
        "dump method=zfcpdump\n"
        "step boot\n"
        "step crash\n"
        "step capture\n";
    CU_ASSERT_EQUAL_FATAL(run_text(t, &res, dir, sizeof(dir)), 0);
    CU_ASSERT_EQUAL(res.outcome, RUN_NO_DUMP);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.reason, "DIAG 308/4"));
    const struct run_rc *rc = find_rc(&res, "diag308");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rc);
    CU_ASSERT_EQUAL(rc->rc, -6);                   /* specification exception */
    CU_ASSERT_STRING_EQUAL(res.image_path, "");
    run_result_clear(&res);
    cleanup_dir(dir);
}

static void test_scenario_errors(void)
{
    struct run_result res;
    char dir[64];
    const char *t =
        "scenario t\n"
        "machine arch=s390x memory=64M cpus=1 profile=nonesuch\n"
        "dump method=zfcpdump\n"
        "step boot\n";
    CU_ASSERT_EQUAL(run_text(t, &res, dir, sizeof(dir)), -1);
    CU_ASSERT_EQUAL(res.outcome, RUN_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.reason, "nonesuch"));
    run_result_clear(&res);
    cleanup_dir(dir);
    t = "scenario t\n"
        "machine arch=s390x memory=64M cpus=1 max-cpus=2\n"
        "dump method=zfcpdump\n"
        "step boot\n"
        "step hotplug-cpu count=2\n";
    CU_ASSERT_EQUAL(run_text(t, &res, dir, sizeof(dir)), -1);
    CU_ASSERT_EQUAL(res.outcome, RUN_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.reason, "max-cpus"));
    run_result_clear(&res);
    cleanup_dir(dir);
    t = "scenario t\n"
        "machine arch=s390x memory=64M cpus=1\n"
        "dump method=zfcpdump target=scsi:0\n"
        "step boot\n";
    CU_ASSERT_EQUAL(run_text(t, &res, dir, sizeof(dir)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.reason, "expected fcp:"));
    run_result_clear(&res);
    cleanup_dir(dir);
}

static void test_ppc64_dispatch(void)
{
    struct run_result res;
    char dir[64];
    const char *t =
        "scenario t\n"
        "machine arch=ppc64 memory=64M cpus=1\n"
        "dump method=fadump\n"
        "step boot\n";
    /* sim_backend_run hands ppc64 to sim_fadump_run (linked directly). */
    int rc = run_text(t, &res, dir, sizeof(dir));
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_EQUAL(res.outcome, RUN_NO_DUMP);
    CU_ASSERT_STRING_EQUAL(res.reason, "no crash happened");
    run_result_clear(&res);
    cleanup_dir(dir);
}

static void test_hsa64_profile(void)
{
    struct run_result res;
    char dir[64];
    const char *t =
        "scenario t\n"
        "machine arch=s390x memory=72M cpus=2 profile=hsa-64m seed=5\n"
        "dump method=zfcpdump\n"
        "step boot\n"
        "step plant addr=0x10000 len=256K seed=2\n"
        "step plant addr=0x1fc0000 len=512K seed=3\n"   /* where a 32 MiB HSA would end */
        "step plant addr=0x3fc0000 len=512K seed=4\n"   /* across the end of this HSA */
        "step plant addr=0x47c0000 len=256K seed=6\n"   /* top of memory */
        "step crash\n"
        "step capture\n";
    CU_ASSERT_EQUAL_FATAL(run_text(t, &res, dir, sizeof(dir)), 0);
    CU_ASSERT_EQUAL(res.outcome, RUN_COMPLETE);
    assert_pages_equal_regs(&res, true);
    run_result_clear(&res);
    cleanup_dir(dir);
}

static CU_TestInfo backend_tests[] = {
    { "crash_capture_pages_regs_equal", test_crash_complete_equal },
    { "two_runs_identical_image_bytes", test_two_runs_identical },
    { "sdias_error_status_clean_failure", test_sdias_error_fails_cleanly },
    { "hsa_released_early_fails", test_hsa_released_early_fails },
    { "fcp_link_down_incomplete_with_bytes", test_fcp_link_down_incomplete },
    { "fcp_lun_removed_incomplete", test_fcp_lun_removed },
    { "operator_dump_of_hung_machine", test_operator_dump_hung },
    { "hotplug_cpu_before_crash", test_hotplug_cpu_in_dump },
    { "s390_format_with_save_area_exemptions", test_s390_format_exempt_save_areas },
    { "no_dump_support_profile", test_no_dump_support },
    { "scenario_errors_are_run_errors", test_scenario_errors },
    { "ppc64_dispatches_to_fadump", test_ppc64_dispatch },
    { "hsa_64m_profile", test_hsa64_profile },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo backend_suites[] = {
    { "sim_backend_s390x", NULL, NULL, NULL, NULL, backend_tests },
    CU_SUITE_INFO_NULL,
};

int register_backend_tests(void)
{
    return CU_register_suites(backend_suites) == CUE_SUCCESS ? 0 : -1;
}
