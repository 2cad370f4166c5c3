/*
 * Runner: a fake backend (behaviour selected by `machine profile=`) feeds
 * run_files; the TAP output, exit code and golden files are checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include <dumpfmt/dump.h>
#include <harness/qemu.h>
#include <harness/libvirt.h>
#include <harness/run.h>

#include "tests.h"

static char *dir;

static int setup(void)
{
    dir = th_mkdtemp();
    return dir ? 0 : -1;
}

static int teardown(void)
{
    th_rmtree(dir);
    free(dir);
    return 0;
}

static struct df_dump *fake_dump(void)
{
    struct df_err err;
    struct df_dump *d = df_dump_new(DF_ARCH_S390X);
    uint8_t *b = calloc(1, 0x10000);
    for (size_t i = 0; i < 0x10000; i++)
        b[i] = (uint8_t)(i * 7 + (i >> 12));
    df_dump_add_chunk(d, 0, b, 0x10000, &err);
    free(b);
    for (unsigned i = 0; i < 2; i++) {
        struct df_cpu c;
        memset(&c, 0, sizeof(c));
        c.present = 1;
        c.regs.s390.online = true;
        c.regs.s390.psw_addr = 0x10000 + i;
        c.regs.s390.prefix = 0x2000 * (i + 1);
        c.regs.s390.gprs[15] = 0xf000 + i;
        df_dump_add_cpu(d, &c, &err);
    }
    return d;
}

/*
 * profiles: "ok" identical image/truth; "pagediff" image page 0x3000 differs;
 * "regdiff" image CPU 1 gpr 15 differs; "error" backend error; "nodump".
 */
static int fake_backend(const struct scenario *s, const char *run_dir, FILE *log,
                        struct run_result *res, char *errbuf, size_t errlen)
{
    const char *p = s->machine.profile ? s->machine.profile : "ok";
    fprintf(log, "fake backend %s\n", p);
    if (strcmp(p, "error") == 0) {
        snprintf(errbuf, errlen, "model exploded");
        return -1;
    }
    run_result_add_phase(res, "boot", 0.125);
    run_result_add_rc(res, "register", 0, 7);
    run_result_add_rc(res, "register", -9, 8);
    if (strcmp(p, "nodump") == 0) {
        res->outcome = RUN_NO_DUMP;
        snprintf(res->reason, sizeof(res->reason), "dump not registered");
        return 0;
    }
    res->truth = fake_dump();
    struct df_dump *img = fake_dump();
    if (strcmp(p, "pagediff") == 0)
        ((uint8_t *)img->chunks[0].data)[0x3005] ^= 0xff;
    if (strcmp(p, "regdiff") == 0)
        img->cpus[1].regs.s390.gprs[15] = 0xbad;
    snprintf(res->image_path, sizeof(res->image_path), "%s/dump.elf", run_dir);
    struct df_err err;
    if (df_write_elf(img, res->image_path, &err) != 0) {
        snprintf(errbuf, errlen, "%s", err.msg);
        df_dump_free(img);
        return -1;
    }
    df_dump_free(img);
    if (df_read_file(res->image_path, &res->image, &err) != 0) {
        snprintf(errbuf, errlen, "%s", err.msg);
        return -1;
    }
    run_result_add_exempt(res, 0xe000, 0x1000, "capture agent stack");
    res->outcome = RUN_COMPLETE;
    snprintf(res->reason, sizeof(res->reason), "capture verified");
    run_result_add_phase(res, "capture", 0.25);
    return 0;
}

static backend_run_fn fake_lookup(const char *name, char *why, size_t whylen)
{
    if (strcmp(name, "sim") == 0)
        return fake_backend;
    snprintf(why, whylen, "backend %s not built", name);
    return NULL;
}

static char *write_scn(const char *fname, const char *text)
{
    char *p = malloc(strlen(dir) + strlen(fname) + 2);
    sprintf(p, "%s/%s", dir, fname);
    CU_ASSERT_EQUAL(th_write_file(p, text, strlen(text)), 0);
    return p;
}

struct out {
    char *tap, *err;
    int rc;
};

static struct out run(const char *const *files, size_t n, bool update, const char *junit)
{
    struct out o = { NULL, NULL, 0 };
    size_t tl, el;
    FILE *tap = open_memstream(&o.tap, &tl), *err = open_memstream(&o.err, &el);
    char golden[4096], runs[4096];
    snprintf(golden, sizeof(golden), "%s/golden", dir);
    snprintf(runs, sizeof(runs), "%s/runs", dir);
    struct run_opts opts = {
        .golden_dir = golden, .update_golden = update, .junit = junit, .runs_root = runs,
        .tap = tap, .err = err, .lookup = fake_lookup,
    };
    o.rc = run_files(&opts, files, n);
    fclose(tap);
    fclose(err);
    return o;
}

static void out_free(struct out *o)
{
    free(o->tap);
    free(o->err);
}

#define SCN(name, profile, body)                                                   \
    "scenario " name "\nmachine arch=s390x memory=64K cpus=2 profile=" profile     \
    "\ndump method=zfcpdump\nstep boot\nstep crash\nstep capture\n" body

static void test_all_oracles_pass(void)
{
    char *f = write_scn("pass.scn", SCN("pass", "ok",
                        "expect pages-equal\nexpect regs-equal\n"
                        "expect outcome complete reason=\"verified\"\n"
                        "expect rc op=register value=-9\nexpect cpus count=2\n"));
    const char *files[] = { f };
    struct out o = run(files, 1, false, NULL);
    CU_ASSERT_EQUAL(o.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "TAP version 13\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "\nok 1 - pass\n1..1\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "#   ok   expect pages-equal (line 7): 15 pages compared, 0 differ, 1 exempt\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "#   ok   expect rc (line 10): register returned -9\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "# exemption [pass] 0xe000+0x1000 (capture agent stack): 1 pages, 0 differ\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "# phase boot: 0.125 s\n# phase capture: 0.250 s\n"));
    CU_ASSERT_STRING_EQUAL(o.err, "");
    /* the run dir holds the backend log */
    char log[4096];
    snprintf(log, sizeof(log), "%s/runs/pass/backend.log", dir);
    size_t l;
    char *t = (char *)th_read_file(log, &l);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_STRING_EQUAL(t, "fake backend ok\n");
    free(t);
    out_free(&o);
    free(f);
}

static void test_page_difference_fails_with_exemptions(void)
{
    char *f1 = write_scn("pd.scn", SCN("pd", "pagediff", "expect pages-equal\n"));
    char *f2 = write_scn("pdx.scn", SCN("pdx", "pagediff",
                         "expect pages-equal\nexpect exempt addr=0x3000 len=4K reason=\"churn\"\n"));
    const char *files[] = { f1, f2 };
    struct out o = run(files, 2, false, NULL);
    CU_ASSERT_EQUAL(o.rc, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "not ok 1 - pd # pages-equal (line 7): page 0x3000 byte 0x5: "));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "(1 of 15 pages differ, 0 missing, 0 extra)\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "\nok 2 - pdx\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "#        exempt 0x3000+0x1000 (churn): 1 pages, 1 differ\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "# pages compared: 29, differing: 1, missing: 0, extra: 0\n"));
    out_free(&o);
    free(f1);
    free(f2);
}

static void test_register_outcome_rc_cpus_failures(void)
{
    char *f = write_scn("rd.scn", SCN("rd", "regdiff",
                        "expect regs-equal\nexpect outcome incomplete\n"
                        "expect rc op=register value=-3\nexpect rc op=sdias value=0\n"
                        "expect cpus count=3\n"));
    const char *files[] = { f };
    struct out o = run(files, 1, false, NULL);
    CU_ASSERT_EQUAL(o.rc, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "not ok 1 - rd # regs-equal (line 7): NT_PRSTATUS cpu 1 "
                                         "gpr 15: expected 0xf001 got 0xbad\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "FAIL expect outcome incomplete (line 8): expected "
                                         "incomplete got complete: capture verified\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "FAIL expect rc (line 9): register never returned -3 "
                                         "(returned: 0 (line 7), -9 (line 8))\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "FAIL expect rc (line 10): sdias never returned 0 "
                                         "(no such call)\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "FAIL expect cpus (line 11): expected 3 CPUs in the dump got 2\n"));
    out_free(&o);
    free(f);
}

static void test_golden_flow(void)
{
    char *f = write_scn("gold.scn", SCN("gold", "ok", "expect golden\n"));
    const char *files[] = { f };
    char gz[4096];
    snprintf(gz, sizeof(gz), "%s/golden/gold.img.zst", dir);

    struct out o = run(files, 1, false, NULL);
    CU_ASSERT_EQUAL(o.rc, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "not ok 1 - gold # golden (line 7): no golden gold in "));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "; run with --update-golden\n"));
    CU_ASSERT_EQUAL(access(gz, F_OK), -1);   /* never written without the flag */
    out_free(&o);

    o = run(files, 1, true, NULL);
    CU_ASSERT_EQUAL(o.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "ok   expect golden (line 7): golden gold: new ("));
    CU_ASSERT_EQUAL(access(gz, F_OK), 0);
    out_free(&o);

    o = run(files, 1, false, NULL);
    CU_ASSERT_EQUAL(o.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "ok   expect golden (line 7): identical to golden gold"));
    out_free(&o);

    /* a different image fails semantically first, the byte difference is a diagnostic */
    char *f2 = write_scn("gold.scn", SCN("gold", "pagediff", "expect golden\n"));
    o = run(files, 1, false, NULL);
    CU_ASSERT_EQUAL(o.rc, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "not ok 1 - gold # golden (line 7): golden gold: page "
                                         "0x3000 byte 0x5: "));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "first byte difference: file offset 0x"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "in PT_LOAD 0 (program header 1) at paddr 0x0 +0x3005"));
    out_free(&o);

    /* update reports the changed page */
    o = run(files, 1, true, NULL);
    CU_ASSERT_EQUAL(o.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "golden gold: 1 of "));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, " pages changed (first at 0x"));
    out_free(&o);
    free(f);
    free(f2);
}

static void test_skip_and_error(void)
{
    char *f1 = write_scn("sk.scn", "scenario sk\nbackend qemu\nmachine arch=s390x memory=64K "
                         "cpus=1\ndump method=zfcpdump\nexpect pages-equal\n");
    const char *files[] = { f1 };
    char junit[4096];
    snprintf(junit, sizeof(junit), "%s/junit.xml", dir);
    struct out o = run(files, 1, false, junit);
    CU_ASSERT_EQUAL(o.rc, 77);
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "ok 1 - sk # SKIP backend qemu not built\n"));
    size_t l;
    char *x = (char *)th_read_file(junit, &l);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<skipped message=\"backend qemu not built\"/>"));
    free(x);
    out_free(&o);

    char *f2 = write_scn("er.scn", SCN("er", "error", "expect pages-equal\n"));
    const char *files2[] = { f2, f1 };
    o = run(files2, 2, false, NULL);
    CU_ASSERT_EQUAL(o.rc, 99);
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "not ok 1 - er # harness error: backend sim: model exploded\n"));
    out_free(&o);
    free(f1);
    free(f2);
}

static void test_malformed_scenario_runs_nothing(void)
{
    char *good = write_scn("g.scn", SCN("g", "ok", "expect pages-equal\n"));
    char *bad = write_scn("b.scn", "scenario b\nmachine arch=s390x memory=64K cpus=1\n"
                          "dump method=zfcpdump\nstep plant addr=1 len=4X\n");
    const char *files[] = { good, bad };
    struct out o = run(files, 2, false, NULL);
    CU_ASSERT_EQUAL(o.rc, 99);
    CU_ASSERT_STRING_EQUAL(o.tap, "");
    char want[4200];
    snprintf(want, sizeof(want), "%s:4: step plant: key 'len': bad size suffix 'X' in '4X' "
             "(use K, M or G)\n", bad);
    CU_ASSERT_STRING_EQUAL(o.err, want);
    out_free(&o);
    /* duplicate scenario names */
    const char *dup[] = { good, good };
    o = run(dup, 2, false, NULL);
    CU_ASSERT_EQUAL(o.rc, 99);
    CU_ASSERT_PTR_NOT_NULL(strstr(o.err, "scenario name 'g' already used by "));
    out_free(&o);
    o = run(NULL, 0, false, NULL);
    CU_ASSERT_EQUAL(o.rc, 99);
    out_free(&o);
    free(good);
    free(bad);
}

static void test_no_dump_outcome(void)
{
    char *f = write_scn("nd.scn", SCN("nd", "nodump",
                        "expect outcome no-dump reason=\"not registered\"\nexpect pages-equal\n"));
    const char *files[] = { f };
    struct out o = run(files, 1, false, NULL);
    CU_ASSERT_EQUAL(o.rc, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "ok   expect outcome no-dump (line 7): no-dump: dump not registered\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.tap, "not ok 1 - nd # pages-equal (line 8): no truth snapshot (outcome no-dump)\n"));
    out_free(&o);
    free(f);
}

static void test_builtin_lookup(void)
{
    char why[128] = "";
    CU_ASSERT_PTR_NULL(backend_lookup("vmware", why, sizeof(why)));
    CU_ASSERT_STRING_EQUAL(why, "unknown backend 'vmware'");
    /* the QEMU backend is part of libharness itself */
    CU_ASSERT_PTR_EQUAL(backend_lookup("qemu", why, sizeof(why)), qemu_backend_run);
    /* libvirt: always found; it reports SKIPPED itself when libvirt is unusable */
    CU_ASSERT_PTR_EQUAL(backend_lookup("libvirt", why, sizeof(why)), libvirt_backend_run);
    /* the test binary is not linked with libsim */
    CU_ASSERT_PTR_NULL(backend_lookup("sim", why, sizeof(why)));
    CU_ASSERT_STRING_EQUAL(why, "backend sim not built");
}

static void test_result_helpers(void)
{
    struct run_result *r = malloc(sizeof(*r));
    run_result_init(r);
    CU_ASSERT_EQUAL(r->outcome, RUN_ERROR);
    for (int i = 0; i < 70; i++)
        run_result_add_rc(r, "sdias", i, i);
    CU_ASSERT_EQUAL(r->nrcs, 64);
    CU_ASSERT_EQUAL(r->rcs[63].rc, 63);
    run_result_add_phase(r, "boot", 1.0);
    run_result_add_phase(r, "boot", 0.5);
    CU_ASSERT_EQUAL(r->nphases, 1);
    CU_ASSERT_DOUBLE_EQUAL(r->phases[0].seconds, 1.5, 1e-9);
    run_result_add_exempt(r, 0x1000, 0x2000, "why");
    CU_ASSERT_EQUAL(r->nexempt, 1);
    CU_ASSERT_STRING_EQUAL(r->exempt[0].reason, "why");
    r->image = df_dump_new(DF_ARCH_S390X);
    run_result_clear(r);
    CU_ASSERT_PTR_NULL(r->image);
    CU_ASSERT_EQUAL(r->nrcs, 0);
    CU_ASSERT_STRING_EQUAL(run_outcome_name(RUN_NO_DUMP), "no-dump");
    CU_ASSERT_STRING_EQUAL(run_outcome_name(RUN_INCOMPLETE), "incomplete");
    free(r);
}

int register_run_tests(void)
{
    CU_pSuite s = CU_add_suite("run", setup, teardown);
    if (!s)
        return -1;
    struct { const char *n; CU_TestFunc f; } t[] = {
        { "all oracles pass", test_all_oracles_pass },
        { "page difference, exemptions", test_page_difference_fails_with_exemptions },
        { "register/outcome/rc/cpus failures", test_register_outcome_rc_cpus_failures },
        { "golden: missing, update, equal, differ", test_golden_flow },
        { "skip and backend error", test_skip_and_error },
        { "malformed scenario runs nothing", test_malformed_scenario_runs_nothing },
        { "no-dump outcome", test_no_dump_outcome },
        { "built-in backend lookup", test_builtin_lookup },
        { "run_result helpers", test_result_helpers },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (!CU_add_test(s, t[i].n, t[i].f))
            return -1;
    return 0;
}
