/*
 * Run records and replays (harness/src/replay.c) with a profile-driven fake
 * backend (test_replay_fake.h): the runner writes the record, a replay of an
 * untouched run dir is identical, a replay after changing the recorded
 * profile reports the rc and byte differences, bad records are refused with
 * FILE:LINE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <CUnit/CUnit.h>

#include <harness/replay.h>
#include <harness/run.h>

#include "test_replay_fake.h"
#include "tests.h"

static char *tmp;

static int setup(void)
{
    tmp = th_mkdtemp();
    return tmp ? 0 : -1;
}

static int teardown(void)
{
    th_rmtree(tmp);
    free(tmp);
    return 0;
}

/* Run the three fake scenarios into DIR/runs; returns the runner's rc. */
static int run_fake(const char *sub, const char *profile)
{
    char files[3][4200], root[4200];
    if (fw_fake_scenarios(tmp, files) != 0)
        return -1;
    snprintf(root, sizeof(root), "%s/%s", tmp, sub);
    FILE *devnull = fopen("/dev/null", "w");
    struct run_opts o;
    memset(&o, 0, sizeof(o));
    o.runs_root = root;
    o.tap = devnull;
    o.err = devnull;
    o.lookup = fw_fake_lookup;
    o.no_default_reports = true;
    o.profile = profile;
    const char *f[3] = { files[0], files[1], files[2] };
    int rc = run_files(&o, f, 3);
    fclose(devnull);
    return rc;
}

static void test_record_written(void)
{
    CU_ASSERT_EQUAL_FATAL(run_fake("runs", NULL), 0);
    char dir[4300], err[512];
    snprintf(dir, sizeof(dir), "%s/runs/a", tmp);
    struct run_record *r = malloc(sizeof(*r));
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL_FATAL(run_record_read(dir, r, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(r->scenario, "a");
    CU_ASSERT_STRING_EQUAL(r->backend, "sim");
    CU_ASSERT_STRING_EQUAL(r->arch, "s390x");
    CU_ASSERT_EQUAL(r->seed, 7);
    CU_ASSERT_STRING_EQUAL(r->profile, "z15-32m");
    CU_ASSERT_PTR_NOT_NULL(strstr(r->profile_source, "scenarios/profiles/s390x/z15-32m.profile"));
    CU_ASSERT_FALSE(r->profile_override);
    CU_ASSERT_STRING_EQUAL(r->verdict, "PASS");
    CU_ASSERT_STRING_EQUAL(r->outcome, "complete");
    CU_ASSERT_STRING_EQUAL(r->reason, "fake dump complete");
    CU_ASSERT_EQUAL(r->cpus_online, 2);
    CU_ASSERT_EQUAL(r->dump_cpus, -1);
    CU_ASSERT_EQUAL_FATAL(r->nrcs, 1);
    CU_ASSERT_STRING_EQUAL(r->rcs[0].op, "hsa");
    CU_ASSERT_EQUAL(r->rcs[0].rc, 32);
    CU_ASSERT_EQUAL(r->rcs[0].line, 4);
    CU_ASSERT_EQUAL(r->nphases, 2);
    CU_ASSERT_TRUE(r->has_image);
    CU_ASSERT_STRING_EQUAL(r->image, "dump.img");
    CU_ASSERT_EQUAL(r->image_size, 4 * 4096);
    CU_ASSERT_PTR_NOT_NULL(strstr(r->tool, "dumpbench git="));
    /* the scenario copy and the resolved profile */
    char p[4400];
    size_t la, lb;
    snprintf(p, sizeof(p), "%s/scenario.scn", dir);
    uint8_t *copy = th_read_file(p, &la);
    snprintf(p, sizeof(p), "%s/a.scn", tmp);
    uint8_t *orig = th_read_file(p, &lb);
    CU_ASSERT_PTR_NOT_NULL_FATAL(copy);
    CU_ASSERT_PTR_NOT_NULL_FATAL(orig);
    CU_ASSERT_TRUE(la == lb && memcmp(copy, orig, la) == 0);
    free(copy);
    free(orig);
    struct fw_profile fp, b;
    snprintf(p, sizeof(p), "%s/%s", dir, REPLAY_PROFILE);
    CU_ASSERT_EQUAL(fwp_parse_file(p, &fp, err, sizeof(err)), 0);
    fwp_builtin(FWP_SCLP, "z15-32m", &b);
    CU_ASSERT_EQUAL(memcmp(&fp.sclp, &b.sclp, sizeof(b.sclp)), 0);
    /* the no-dump run has no manifest and says so */
    snprintf(dir, sizeof(dir), "%s/runs/c", tmp);
    CU_ASSERT_EQUAL_FATAL(run_record_read(dir, r, err, sizeof(err)), 0);
    CU_ASSERT_FALSE(r->has_image);
    CU_ASSERT_STRING_EQUAL(r->outcome, "no-dump");
    CU_ASSERT_STRING_EQUAL(r->profile, "qemu-7.2");
    snprintf(p, sizeof(p), "%s/dump.manifest", dir);
    struct stat st;
    CU_ASSERT_NOT_EQUAL(stat(p, &st), 0);
    free(r);
}

static int replay_into(const char *run, char **text)
{
    char dir[4300], err[512] = "";
    snprintf(dir, sizeof(dir), "%s/%s", tmp, run);
    size_t len;
    FILE *out = open_memstream(text, &len);
    FILE *devnull = fopen("/dev/null", "w");
    int rc = replay_run(dir, NULL, out, devnull, fw_fake_lookup, err, sizeof(err));
    fclose(devnull);
    fclose(out);
    if (rc == 99)
        fprintf(stderr, "\n  replay: %s\n", err);
    return rc;
}

static void test_replay_identical(void)
{
    char *text = NULL;
    CU_ASSERT_EQUAL(replay_into("runs/a", &text), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "replay: identical (dump dump.img, 16384 bytes"));
    free(text);
    text = NULL;
    CU_ASSERT_EQUAL(replay_into("runs/c", &text), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "replay: identical (no dump; outcome no-dump"));
    free(text);
}

static void test_replay_detects_change(void)
{
    /* the recorded firmware changes: HSA 32M -> 48M */
    char p[4300];
    snprintf(p, sizeof(p), "%s/runs/a/%s", tmp, REPLAY_PROFILE);
    size_t len;
    char *prof = (char *)th_read_file(p, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(prof);
    char *at = strstr(prof, "hsa-size = 32M");
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    at[11] = '4';
    at[12] = '8';
    CU_ASSERT_EQUAL_FATAL(th_write_file(p, prof, len), 0);
    free(prof);
    char *text = NULL;
    CU_ASSERT_EQUAL(replay_into("runs/a", &text), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "replay: differs (2 differences"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "firmware rc hsa: 32 (line 4) -> 48 (line 4)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "first differing page at file offset 0x0; 1 of 4 "
                                        "common pages differ"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "first byte difference: file offset 0x0"));
    free(text);
}

static void expect_bad_record(const char *body, const char *want)
{
    char dir[4300], p[4400], err[512] = "";
    snprintf(dir, sizeof(dir), "%s/bad", tmp);
    mkdir(dir, 0755);
    snprintf(p, sizeof(p), "%s/run.record", dir);
    CU_ASSERT_EQUAL_FATAL(th_write_file(p, body, strlen(body)), 0);
    struct run_record *r = malloc(sizeof(*r));
    CU_ASSERT_EQUAL(run_record_read(dir, r, err, sizeof(err)), -1);
    if (!strstr(err, want)) {
        CU_FAIL("record error message");
        fprintf(stderr, "\n  got:  %s\n  want: %s\n", err, want);
    }
    free(r);
}

static void test_bad_records(void)
{
    expect_bad_record("dumpbench-run 9\n", "run.record:1: not a dumpbench-run 1 record");
    expect_bad_record("dumpbench-run 1\nscenario x\nfrobnicate 1\n",
                      "run.record:3: unknown key 'frobnicate'");
    expect_bad_record("dumpbench-run 1\nrc register\n", "run.record:2: rc: expected OP VALUE LINE");
    expect_bad_record("dumpbench-run 1\nimage a.img 12\n",
                      "run.record:2: image: expected FILE SIZE XXH64");
    expect_bad_record("dumpbench-run 1\nenv PATH=/bin\n",
                      "run.record:2: env: expected DUMPBENCH_NAME=VALUE");
    expect_bad_record("dumpbench-run 1\nscenario x\nverdict PASS\n", "incomplete record");
    char err[512];
    struct run_record *r = malloc(sizeof(*r));
    CU_ASSERT_EQUAL(run_record_read("/nonexistent", r, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/run.record: No such file"));
    free(r);
    /* replay of a directory without a record */
    char *text = NULL;
    size_t len;
    FILE *out = open_memstream(&text, &len);
    CU_ASSERT_EQUAL(replay_run(tmp, NULL, out, NULL, fw_fake_lookup, err, sizeof(err)), 99);
    fclose(out);
    free(text);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "run.record"));
}

/* QEMU backends: binary, version, command line (from the backend log) and
 * the DUMPBENCH_* settings go into the record; replay restores them (CLI). */
static void test_record_qemu_fields(void)
{
    char files[3][4200], root[4300], dir[4400], err[512];
    CU_ASSERT_EQUAL_FATAL(fw_fake_scenarios(tmp, files), 0);
    snprintf(root, sizeof(root), "%s/qruns", tmp);
    setenv("DUMPBENCH_QEMU_S390X", "/nonexistent/qemu-system-s390x", 1);
    setenv("DUMPBENCH_TEST_SETTING", "a b=c", 1);
    FILE *devnull = fopen("/dev/null", "w");
    struct run_opts o;
    memset(&o, 0, sizeof(o));
    o.runs_root = root;
    o.tap = devnull;
    o.err = devnull;
    o.lookup = fw_fake_lookup;
    o.no_default_reports = true;
    o.backend = "qemu";
    const char *f[1] = { files[0] };
    CU_ASSERT_EQUAL(run_files(&o, f, 1), 0);
    fclose(devnull);
    unsetenv("DUMPBENCH_QEMU_S390X");
    unsetenv("DUMPBENCH_TEST_SETTING");
    snprintf(dir, sizeof(dir), "%s/a", root);
    struct run_record *r = malloc(sizeof(*r));
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL_FATAL(run_record_read(dir, r, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(r->backend, "qemu");
    CU_ASSERT_STRING_EQUAL(r->qemu_binary, "/nonexistent/qemu-system-s390x");
    CU_ASSERT_STRING_EQUAL(r->qemu_version, "unknown");
    CU_ASSERT_STRING_EQUAL(r->qemu_cmdline,
                           "/opt/q/qemu-system-s390x -nodefaults -M s390-ccw-virtio -m 64M");
    bool seen = false;
    for (size_t i = 0; i < r->nenv; i++)
        seen |= !strcmp(r->env[i], "DUMPBENCH_TEST_SETTING=a b=c");
    CU_ASSERT_TRUE(seen);
    free(r);
}

static void test_qemu_env_names(void)
{
    CU_ASSERT_STRING_EQUAL(replay_qemu_env("s390x"), "DUMPBENCH_QEMU_S390X");
    CU_ASSERT_STRING_EQUAL(replay_qemu_env("ppc64"), "DUMPBENCH_QEMU_PPC64");
    CU_ASSERT_STRING_EQUAL(replay_qemu_env("x86_64"), "DUMPBENCH_QEMU_X86_64");
    CU_ASSERT_PTR_NULL(replay_qemu_env("arm"));
    CU_ASSERT_PTR_NULL(replay_qemu_env(NULL));
}

int register_replay_tests(void)
{
    CU_pSuite s = CU_add_suite("replay", setup, teardown);
    if (!s)
        return -1;
    struct { const char *n; CU_TestFunc f; } t[] = {
        { "runner writes record, scenario copy, profile", test_record_written },
        { "replay of an untouched run is identical", test_replay_identical },
        { "replay after a profile change names rc and bytes", test_replay_detects_change },
        { "bad records name FILE:LINE", test_bad_records },
        { "QEMU binary, version, command line, env recorded", test_record_qemu_fields },
        { "QEMU env var per arch", test_qemu_env_names },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (!CU_add_test(s, t[i].n, t[i].f))
            return -1;
    return 0;
}
