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

#include "../src/qemu_internal.h"
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

/* ---- DUMPBENCH_RECORD / DUMPBENCH_RR_REPLAY ------------------------------------- */

static void expect_exec_bad(const char *record, const char *rr, const char *want)
{
    struct replay_exec_cfg c;
    char err[512] = "";
    CU_ASSERT_EQUAL(replay_exec_parse(record, rr, &c, err, sizeof(err)), -1);
    if (!strstr(err, want)) {
        CU_FAIL("exec setting error message");
        fprintf(stderr, "\n  got:  %s\n  want: %s\n", err, want);
    }
}

static void test_exec_parse(void)
{
    struct replay_exec_cfg c;
    char err[512];
    CU_ASSERT_EQUAL(replay_exec_parse(NULL, NULL, &c, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(c.mode, REPLAY_EXEC_NONE);
    CU_ASSERT_EQUAL(c.shift, -1);
    CU_ASSERT_EQUAL(replay_exec_parse("icount", "", &c, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(c.mode, REPLAY_EXEC_ICOUNT);
    CU_ASSERT_EQUAL(c.shift, -1);
    CU_ASSERT_EQUAL(replay_exec_parse("script,shift=2", NULL, &c, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(c.mode, REPLAY_EXEC_SCRIPT);
    CU_ASSERT_EQUAL(c.shift, 2);
    CU_ASSERT_STRING_EQUAL(replay_exec_name(REPLAY_EXEC_SCRIPT), "script");
    CU_ASSERT_EQUAL(replay_exec_from_name("script"), REPLAY_EXEC_SCRIPT);
    CU_ASSERT_EQUAL(replay_exec_parse("rr,shift=10", NULL, &c, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(c.mode, REPLAY_EXEC_RR_RECORD);
    CU_ASSERT_EQUAL(c.shift, 10);
    CU_ASSERT_EQUAL(replay_exec_parse("rr,shift=3", "/x/replay.bin", &c, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(c.mode, REPLAY_EXEC_RR_REPLAY);
    CU_ASSERT_EQUAL(c.shift, 3);
    CU_ASSERT_STRING_EQUAL(c.rr_file, "/x/replay.bin");
    CU_ASSERT_EQUAL(replay_exec_parse(NULL, "r.bin", &c, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(c.mode, REPLAY_EXEC_RR_REPLAY);
    expect_exec_bad("record", NULL, "DUMPBENCH_RECORD: mode 'record' is not one of none, icount, script, rr");
    expect_exec_bad("icount,shift=11", NULL, "DUMPBENCH_RECORD: shift '11' is not a number 0..10");
    expect_exec_bad("icount,shift=", NULL, "unknown option 'shift='");
    expect_exec_bad("icount,shift=-1", NULL, "shift '-1' is not a number");
    expect_exec_bad("rr,shift=5x", NULL, "shift '5x' is not a number");
    expect_exec_bad("rr,sleep=off", NULL, "unknown option 'sleep=off' (expected shift=N)");
    expect_exec_bad("none,shift=4", NULL, "shift= needs mode icount or rr");
    expect_exec_bad("icount", "/x/replay.bin", "DUMPBENCH_RR_REPLAY needs DUMPBENCH_RECORD=rr");
    expect_exec_bad("rr", "/x/a,b.bin", "contains ','");
    CU_ASSERT_EQUAL(replay_exec_from_name("rr-replay"), REPLAY_EXEC_RR_REPLAY);
    CU_ASSERT_EQUAL(replay_exec_from_name("none"), REPLAY_EXEC_NONE);
    CU_ASSERT_EQUAL(replay_exec_from_name("rr"), -1);
    CU_ASSERT_EQUAL(replay_exec_default_shift("x86_64"), 5);
    CU_ASSERT_EQUAL(replay_exec_default_shift("s390x"), 3);
    CU_ASSERT_EQUAL(replay_exec_default_shift("ppc64"), 7);
}

/* The argv as one line, for comparisons. */
static const char *joined(char **av)
{
    static char line[4096];
    line[0] = '\0';
    for (size_t i = 0; av && av[i]; i++) {
        strncat(line, av[i], sizeof(line) - strlen(line) - 2);
        if (av[i + 1])
            strcat(line, " ");
    }
    return line;
}

static void test_record_script_steps(void)
{
    char err[512] = "";
    struct scn_item st[3] = {
        { .kind = SCN_STEP_BOOT, .line = 5 },
        { .kind = SCN_STEP_HOTPLUG_CPU, .line = 6 },
        { .kind = SCN_STEP_CAPTURE, .line = 7 },
    };
    struct scenario s = { .nsteps = 3, .steps = st };
    const int ok2[] = { SCN_STEP_BOOT, SCN_STEP_HOTPLUG_CPU };
    const int ok1[] = { SCN_STEP_BOOT, SCN_STEP_CRASH };
    CU_ASSERT_EQUAL(qemu_record_script_steps(&s, ok2, 2, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(qemu_record_script_steps(&s, ok1, 2, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "line 6: step hotplug-cpu is host-driven"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "(boot, crash)"));
    /* steps after the capture are not the guest's business */
    st[1].kind = SCN_STEP_CAPTURE;
    st[2].kind = SCN_STEP_HOTPLUG_MEM;
    CU_ASSERT_EQUAL(qemu_record_script_steps(&s, ok1, 2, err, sizeof(err)), 0);
}

static void test_record_argv(void)
{
    struct qemu_record *rec = malloc(sizeof(*rec));
    CU_ASSERT_PTR_NOT_NULL_FATAL(rec);
    struct replay_exec_cfg c;
    char err[512], dir[4300];
    snprintf(dir, sizeof(dir), "%s/rrdir", tmp);
    mkdir(dir, 0755);
    char *x86[] = { "q", "-append", "console=ttyS0 nokaslr", "-rtc", "base=2024-01-01,clock=vm",
                    "-drive", "file=/d.raw,format=raw,if=none,id=capture,cache=unsafe",
                    "-device", "virtio-blk-pci,drive=capture", NULL };
    /* none: a copy */
    CU_ASSERT_EQUAL_FATAL(replay_exec_parse(NULL, NULL, &c, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(joined(qemu_record_argv_cfg(rec, &c, x86, "x86_64", dir, err,
                                                       sizeof(err))),
                           "q -append console=ttyS0 nokaslr -rtc base=2024-01-01,clock=vm -drive "
                           "file=/d.raw,format=raw,if=none,id=capture,cache=unsafe -device "
                           "virtio-blk-pci,drive=capture");
    /* icount: the backend's -rtc and nokaslr kept, -seed and -icount added */
    CU_ASSERT_EQUAL_FATAL(replay_exec_parse("icount", NULL, &c, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(joined(qemu_record_argv_cfg(rec, &c, x86, "x86_64", dir, err,
                                                       sizeof(err))),
                           "q -append console=ttyS0 nokaslr -rtc base=2024-01-01,clock=vm -drive "
                           "file=/d.raw,format=raw,if=none,id=capture,cache=unsafe -device "
                           "virtio-blk-pci,drive=capture -seed 1 -icount "
                           "shift=5,align=off,sleep=off");
    CU_ASSERT_STRING_EQUAL(rec->what, "record-mode icount shift=5");
    CU_ASSERT_FALSE(qemu_record_script(rec));
    /* script: the same QEMU settings as icount (the backend changes the rest) */
    CU_ASSERT_EQUAL_FATAL(replay_exec_parse("script,shift=3", NULL, &c, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(joined(qemu_record_argv_cfg(rec, &c, x86, "x86_64", dir, err,
                                                       sizeof(err))),
                           "q -append console=ttyS0 nokaslr -rtc base=2024-01-01,clock=vm -drive "
                           "file=/d.raw,format=raw,if=none,id=capture,cache=unsafe -device "
                           "virtio-blk-pci,drive=capture -seed 1 -icount "
                           "shift=3,align=off,sleep=off");
    CU_ASSERT_STRING_EQUAL(rec->what, "record-mode script shift=3");
    CU_ASSERT_TRUE(qemu_record_script(rec));
    /* s390x rr record: blkreplay node under the device's drive id, nokaslr, -rtc */
    char *s390[] = { "q", "-serial", "chardev:con", "-append", "console=ttysclp0 dbdev=0.0.0002",
                     "-drive", "file=/d.raw,format=raw,if=none,id=dump0,cache=unsafe", NULL };
    char log[4400];
    snprintf(log, sizeof(log), "%s/replay.bin", dir);
    CU_ASSERT_EQUAL(th_write_file(log, "stale", 5), 0);
    CU_ASSERT_EQUAL_FATAL(replay_exec_parse("rr", NULL, &c, err, sizeof(err)), 0);
    char want[8192];
    snprintf(want, sizeof(want), "q -serial chardev:con -append console=ttysclp0 dbdev=0.0.0002 "
             "nokaslr -drive file=/d.raw,format=raw,if=none,id=dump0-rr,cache=unsafe -drive "
             "driver=blkreplay,if=none,image=dump0-rr,id=dump0 -rtc "
             "base=2024-01-01T00:00:00,clock=vm -seed 1 -icount shift=3,rr=record,rrfile=%s", log);
    CU_ASSERT_STRING_EQUAL(joined(qemu_record_argv_cfg(rec, &c, s390, "s390x", dir, err,
                                                       sizeof(err))), want);
    struct stat st;
    CU_ASSERT_NOT_EQUAL(stat(log, &st), 0);   /* the stale log is gone */
    /* ppc64 rr replay: the spapr-vty console goes through -serial, no nokaslr */
    char *ppc[] = { "q", "-chardev", "pipe,id=con,path=/s/con", "-device", "spapr-vty,chardev=con",
                    "-append", "console=hvc0", "-drive", "file=/c.raw,if=none,id=capture", NULL };
    CU_ASSERT_EQUAL_FATAL(replay_exec_parse("rr,shift=6", log, &c, err, sizeof(err)), 0);
    err[0] = '\0';
    CU_ASSERT_PTR_NULL(qemu_record_argv_cfg(rec, &c, ppc, "ppc64", dir, err, sizeof(err)));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "DUMPBENCH_RR_REPLAY="));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "No such file"));
    CU_ASSERT_EQUAL(th_write_file(log, "log", 3), 0);
    snprintf(want, sizeof(want), "q -chardev pipe,id=con,path=/s/con -serial chardev:con -append "
             "console=hvc0 -drive file=/c.raw,if=none,id=capture-rr -drive "
             "driver=blkreplay,if=none,image=capture-rr,id=capture -rtc "
             "base=2024-01-01T00:00:00,clock=vm -seed 1 -icount shift=6,rr=replay,rrfile=%s", log);
    CU_ASSERT_STRING_EQUAL(joined(qemu_record_argv_cfg(rec, &c, ppc, "ppc64", dir, err,
                                                       sizeof(err))), want);
    CU_ASSERT_EQUAL(stat(log, &st), 0);       /* replay never removes the log */
    /* QEMU 7.2 rr has a blocker for more than one vCPU: refused up front */
    char *smp[] = { "q", "-smp", "2,maxcpus=2", NULL };
    CU_ASSERT_EQUAL_FATAL(replay_exec_parse("rr", NULL, &c, err, sizeof(err)), 0);
    CU_ASSERT_PTR_NULL(qemu_record_argv_cfg(rec, &c, smp, "x86_64", dir, err, sizeof(err)));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "refuses -smp 2,maxcpus=2"));
    char *smp1[] = { "q", "-smp", "1,maxcpus=2", NULL };
    CU_ASSERT_PTR_NOT_NULL(qemu_record_argv_cfg(rec, &c, smp1, "x86_64", dir, err, sizeof(err)));
    CU_ASSERT_EQUAL_FATAL(replay_exec_parse("icount", NULL, &c, err, sizeof(err)), 0);
    CU_ASSERT_PTR_NOT_NULL(qemu_record_argv_cfg(rec, &c, smp, "x86_64", dir, err, sizeof(err)));
    /* a backend that already passes -icount is refused */
    char *dup[] = { "q", "-icount", "shift=1", NULL };
    CU_ASSERT_EQUAL_FATAL(replay_exec_parse("icount", NULL, &c, err, sizeof(err)), 0);
    CU_ASSERT_PTR_NULL(qemu_record_argv_cfg(rec, &c, dup, "x86_64", dir, err, sizeof(err)));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "already passes -icount shift=1"));
    free(rec);
}

/* Fake QEMU-backend runs record the mode; replay re-runs with the recorded
 * mode whatever the caller's environment says, and an rr run replays its log. */
static void test_record_mode_replayed(void)
{
    char files[3][4200], root[4300], dir[4400], err[512], p[4500];
    CU_ASSERT_EQUAL_FATAL(fw_fake_scenarios(tmp, files), 0);
    snprintf(root, sizeof(root), "%s/xruns", tmp);
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
    setenv("DUMPBENCH_RECORD", "icount,shift=6", 1);
    CU_ASSERT_EQUAL(run_files(&o, f, 1), 0);
    unsetenv("DUMPBENCH_RECORD");
    snprintf(dir, sizeof(dir), "%s/a", root);
    struct run_record *r = malloc(sizeof(*r));
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL_FATAL(run_record_read(dir, r, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(r->record_mode, "icount");
    CU_ASSERT_EQUAL(r->record_shift, 6);
    CU_ASSERT_STRING_EQUAL(r->rr_file, "");
    /* replay with the caller's env saying otherwise: the record wins */
    setenv("DUMPBENCH_RECORD", "none", 1);
    char *text = NULL;
    size_t len;
    FILE *out = open_memstream(&text, &len);
    CU_ASSERT_EQUAL(replay_run(dir, NULL, out, devnull, fw_fake_lookup, err, sizeof(err)), 0);
    fclose(out);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "DUMPBENCH_RECORD=icount,shift=6"));
    free(text);
    CU_ASSERT_STRING_EQUAL(getenv("DUMPBENCH_RECORD"), "none");   /* restored */
    unsetenv("DUMPBENCH_RECORD");
    snprintf(p, sizeof(p), "%s/replay", dir);
    CU_ASSERT_EQUAL_FATAL(run_record_read(p, r, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(r->record_mode, "icount");
    CU_ASSERT_EQUAL(r->record_shift, 6);

    /* rr: the recording's log (here a stand-in file) is replayed */
    setenv("DUMPBENCH_RECORD", "rr", 1);
    CU_ASSERT_EQUAL(run_files(&o, f, 1), 0);
    unsetenv("DUMPBENCH_RECORD");
    CU_ASSERT_EQUAL_FATAL(run_record_read(dir, r, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(r->record_mode, "rr-record");
    CU_ASSERT_EQUAL(r->record_shift, 3);        /* s390x default */
    /* the fake backend wrote no log: replay refuses, naming it */
    out = open_memstream(&text, &len);
    CU_ASSERT_EQUAL(replay_run(dir, NULL, out, devnull, fw_fake_lookup, err, sizeof(err)), 99);
    fclose(out);
    free(text);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "record-mode rr-record but no rr-file"));
    snprintf(p, sizeof(p), "%s/replay.bin", dir);
    CU_ASSERT_EQUAL(th_write_file(p, "12345", 5), 0);
    snprintf(p, sizeof(p), "%s/run.record", dir);
    FILE *rf = fopen(p, "a");
    CU_ASSERT_PTR_NOT_NULL_FATAL(rf);
    fputs("rr-file replay.bin 6\n", rf);
    fclose(rf);
    out = open_memstream(&text, &len);
    CU_ASSERT_EQUAL(replay_run(dir, NULL, out, devnull, fw_fake_lookup, err, sizeof(err)), 99);
    fclose(out);
    free(text);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "size 5, the record says 6"));
    /* the correct size: the replay runs with DUMPBENCH_RR_REPLAY = the log */
    snprintf(p, sizeof(p), "%s/replay.bin", dir);
    CU_ASSERT_EQUAL(th_write_file(p, "123456", 6), 0);
    out = open_memstream(&text, &len);
    CU_ASSERT_EQUAL(replay_run(dir, NULL, out, devnull, fw_fake_lookup, err, sizeof(err)), 0);
    fclose(out);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "rr replay of /"));
    free(text);
    CU_ASSERT_PTR_NULL(getenv("DUMPBENCH_RR_REPLAY"));
    snprintf(p, sizeof(p), "%s/replay", dir);
    CU_ASSERT_EQUAL_FATAL(run_record_read(p, r, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(r->record_mode, "rr-replay");
    CU_ASSERT_EQUAL(r->rr_size, 6);
    size_t rl = strlen(r->rr_file);
    CU_ASSERT_TRUE(r->rr_file[0] == '/' && rl > 13 && !strcmp(r->rr_file + rl - 13, "/a/replay.bin"));
    fclose(devnull);
    free(r);
    /* bad record lines */
    expect_bad_record("dumpbench-run 1\nrecord-mode rr\n", "run.record:2: record-mode: expected none");
    expect_bad_record("dumpbench-run 1\nrecord-mode icount shift=12\n",
                      "run.record:2: record-mode: expected shift=0..10");
    expect_bad_record("dumpbench-run 1\nrr-file replay.bin\n", "run.record:2: rr-file: expected PATH SIZE");
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
        { "DUMPBENCH_RECORD / DUMPBENCH_RR_REPLAY parsing", test_exec_parse },
        { "record script steps", test_record_script_steps },
        { "record modes change the QEMU argv", test_record_argv },
        { "record mode recorded and replayed", test_record_mode_replayed },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (!CU_add_test(s, t[i].n, t[i].f))
            return -1;
    return 0;
}
