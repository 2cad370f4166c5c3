/*
 * Child-process capture runner (sim/src/child.c), process-level faults
 * (sim/src/proc_faults.c, `step fault disk|capture|machine`) end to end on
 * the sim backend, and the harness's last-resort backend deadline
 * (harness/src/run.c watchdog).  Every test also checks that no child
 * process is left behind.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <harness/report.h>
#include <harness/run.h>
#include <sim/backend.h>
#include <sim/child.h>

#include "suites.h"

struct rec {
    int magic;
    int err;
    long written;
};

static void assert_no_children(void)
{
    errno = 0;
    CU_ASSERT_EQUAL(waitpid(-1, NULL, WNOHANG), -1);
    CU_ASSERT_EQUAL(errno, ECHILD);
}

static void fn_ok(struct sim_child *c, void *arg, void *out, size_t outlen)
{
    struct rec *r = out;
    sim_child_progress(c, 10);
    sim_child_progress(c, 20);
    r->magic = *(int *)arg;
}

static void test_child_finishes(void)
{
    int magic = 0x5a5a;
    struct rec r;
    struct sim_child_exit ex;
    struct sim_child_opts o = { 10.0, 0 };
    char err[100];
    CU_ASSERT_EQUAL_FATAL(sim_child_run(fn_ok, &magic, &r, sizeof(r), &o, &ex, err, sizeof(err)), 0);
    CU_ASSERT_TRUE(ex.finished);
    CU_ASSERT_FALSE(ex.timed_out);
    CU_ASSERT_FALSE(ex.signaled);
    CU_ASSERT_EQUAL(r.magic, 0x5a5a);
    CU_ASSERT_TRUE(ex.has_progress);
    CU_ASSERT_EQUAL(ex.progress, 20);
    assert_no_children();
}

static void fn_kill(struct sim_child *c, void *arg, void *out, size_t outlen)
{
    sim_child_progress(c, 4096);
    sim_child_kill(c, 8192);
}

static void test_child_killed(void)
{
    struct rec r;
    struct sim_child_exit ex;
    struct sim_child_opts o = { 10.0, 0 };
    char err[100];
    CU_ASSERT_EQUAL_FATAL(sim_child_run(fn_kill, NULL, &r, sizeof(r), &o, &ex, err, sizeof(err)), 0);
    CU_ASSERT_FALSE(ex.finished);
    CU_ASSERT_FALSE(ex.timed_out);
    CU_ASSERT_TRUE(ex.signaled);
    CU_ASSERT_EQUAL(ex.signo, SIGKILL);
    CU_ASSERT_EQUAL(ex.progress, 8192);
    assert_no_children();
}

static void fn_hang(struct sim_child *c, void *arg, void *out, size_t outlen)
{
    sim_child_hang(c, 777);
}

static void test_child_hang_times_out(void)
{
    struct rec r;
    struct sim_child_exit ex;
    struct sim_child_opts o = { 0.3, 0 };
    char err[100];
    CU_ASSERT_EQUAL_FATAL(sim_child_run(fn_hang, NULL, &r, sizeof(r), &o, &ex, err, sizeof(err)), 0);
    CU_ASSERT_TRUE(ex.timed_out);
    CU_ASSERT_FALSE(ex.finished);
    CU_ASSERT_EQUAL(ex.progress, 777);
    CU_ASSERT_TRUE(ex.seconds >= 0.3);
    CU_ASSERT_TRUE(ex.seconds < 10.0);
    assert_no_children();
}

static void fn_slow(struct sim_child *c, void *arg, void *out, size_t outlen)
{
    struct rec *r = out;
    for (int i = 0; i < 8; i++) {          /* 1.2 s of work, a heartbeat every 0.15 s */
        struct timespec ts = { 0, 150000000 };
        nanosleep(&ts, NULL);
        sim_child_heartbeat(c);
    }
    r->magic = 7;
}

/* The deadline counts from the last message: a slow child that keeps
 * sending heartbeats outlives a deadline shorter than its total run time. */
static void test_child_heartbeat_keeps_alive(void)
{
    struct rec r;
    struct sim_child_exit ex;
    struct sim_child_opts o = { 0.6, 0 };
    char err[100];
    CU_ASSERT_EQUAL_FATAL(sim_child_run(fn_slow, NULL, &r, sizeof(r), &o, &ex, err, sizeof(err)), 0);
    CU_ASSERT_TRUE(ex.finished);
    CU_ASSERT_FALSE(ex.timed_out);
    CU_ASSERT_EQUAL(r.magic, 7);
    CU_ASSERT_TRUE(ex.seconds > 0.6);
    CU_ASSERT_FALSE(ex.has_progress);
    assert_no_children();
}

static void fn_write(struct sim_child *c, void *arg, void *out, size_t outlen)
{
    struct rec *r = out;
    static char buf[8192];
    int fd = open(arg, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    r->magic = 1;
    for (int i = 0; i < 4 && fd >= 0; i++) {
        ssize_t n = pwrite(fd, buf, sizeof(buf), (off_t)i * (off_t)sizeof(buf));
        if (n < 0) {
            r->err = errno;
            break;
        }
        r->written += n;
    }
    if (fd >= 0) {
        close(fd);
    }
}

static void test_child_file_limit(void)
{
    char path[] = "/tmp/simchild.XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    struct rec r;
    struct sim_child_exit ex;
    struct sim_child_opts o = { 10.0, 10000 };     /* 1 full block + 1808 bytes */
    char err[100];
    CU_ASSERT_EQUAL_FATAL(sim_child_run(fn_write, path, &r, sizeof(r), &o, &ex, err, sizeof(err)), 0);
    CU_ASSERT_TRUE(ex.finished);
    CU_ASSERT_EQUAL(r.err, EFBIG);
    CU_ASSERT_EQUAL(r.written, 10000);
    struct stat st;
    CU_ASSERT_EQUAL(stat(path, &st), 0);
    CU_ASSERT_EQUAL(st.st_size, 10000);
    unlink(path);
    /* the parent itself is not limited */
    CU_ASSERT_EQUAL(sim_child_run(fn_write, path, &r, sizeof(r), NULL, &ex, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(r.err, 0);
    CU_ASSERT_EQUAL(r.written, 4 * 8192);
    unlink(path);
    assert_no_children();
}

/* ---- process faults through the sim backend ------------------------------ */

static int run_scn(const char *text, struct run_result *res, char *dir, size_t dirlen)
{
    struct scenario *s = NULL;
    struct scn_error perr;
    if (scn_parse_buffer("fault.scn", text, strlen(text), &s, &perr) != 0) {
        fprintf(stderr, "parse: %s\n", perr.msg);
        return -100;
    }
    snprintf(dir, dirlen, "/tmp/simfault.XXXXXX");
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
    if (rc != 0) {
        fprintf(stderr, "backend: %s\n", err);
    }
    scn_free(s);
    return rc;
}

static void rm_run(const char *dir)
{
    char p[600];
    snprintf(p, sizeof(p), "%s/dump.img", dir);
    unlink(p);
    rmdir(dir);
}

static off_t img_size(const char *dir)
{
    char p[600];
    struct stat st;
    snprintf(p, sizeof(p), "%s/dump.img", dir);
    return stat(p, &st) == 0 ? st.st_size : -1;
}

#define S390_HDR                                                    \
    "scenario t\n"                                                  \
    "machine arch=s390x memory=48M cpus=2 seed=3\n"                 \
    "dump method=zfcpdump\n"                                        \
    "step boot\n"                                                   \
    "step plant addr=0x100000 len=64K seed=1\n"

#define PPC_HDR                                                     \
    "scenario t\n"                                                  \
    "machine arch=ppc64 memory=768M cpus=2 seed=3\n"                \
    "dump method=fadump\n"                                          \
    "step boot\n"                                                   \
    "step register\n"

static void test_s390_capture_kill(void)
{
    struct run_result res;
    char dir[64];
    CU_ASSERT_EQUAL_FATAL(run_scn(S390_HDR "step fault capture kill-at=4M\nstep crash\n"
                                  "step capture\n", &res, dir, sizeof(dir)), 0);
    CU_ASSERT_EQUAL(res.outcome, RUN_INCOMPLETE);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.reason, "killed by signal 9 after 4194304 bytes"));
    CU_ASSERT_EQUAL(img_size(dir), 4194304);        /* the partial image is kept */
    for (size_t i = 0; i < res.nrcs; i++) {
        CU_ASSERT_NOT_EQUAL(strcmp(res.rcs[i].op, "release"), 0);   /* HSA not released */
    }
    run_result_clear(&res);
    rm_run(dir);
    assert_no_children();
}

static void test_s390_disk_full(void)
{
    struct run_result res;
    char dir[64];
    CU_ASSERT_EQUAL_FATAL(run_scn(S390_HDR "step fault disk full-at=3M\nstep crash\n"
                                  "step capture\n", &res, dir, sizeof(dir)), 0);
    CU_ASSERT_EQUAL(res.outcome, RUN_INCOMPLETE);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.reason, "3145728 of "));
    CU_ASSERT_PTR_NOT_NULL(strstr(res.reason, "dump disk full"));
    CU_ASSERT_EQUAL(img_size(dir), 3145728);
    run_result_clear(&res);
    rm_run(dir);
    assert_no_children();
}

static void test_s390_capture_hang_timeout(void)
{
    struct run_result res;
    char dir[64];
    CU_ASSERT_EQUAL_FATAL(run_scn(S390_HDR "step fault capture hang-at=2M\nstep crash\n"
                                  "step capture timeout=1\n", &res, dir, sizeof(dir)), 0);
    CU_ASSERT_EQUAL(res.outcome, RUN_INCOMPLETE);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.reason, "timed out: no progress for 1 s"));
    CU_ASSERT_EQUAL(img_size(dir), 2097152);
    run_result_clear(&res);
    rm_run(dir);
    assert_no_children();
}

/* A capture in a child without any fault gives the same image as in-process. */
static void test_s390_child_same_image(void)
{
    struct run_result a, b;
    char da[64], db[64];
    CU_ASSERT_EQUAL_FATAL(run_scn(S390_HDR "step crash\nstep capture\n", &a, da, sizeof(da)), 0);
    CU_ASSERT_EQUAL_FATAL(run_scn(S390_HDR "step crash\nstep capture timeout=60\n", &b, db,
                                  sizeof(db)), 0);
    CU_ASSERT_EQUAL(a.outcome, RUN_COMPLETE);
    CU_ASSERT_EQUAL(b.outcome, RUN_COMPLETE);
    CU_ASSERT_TRUE(img_size(da) > 0);
    CU_ASSERT_EQUAL(img_size(da), img_size(db));
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "cmp -s %s/dump.img %s/dump.img", da, db);
    CU_ASSERT_EQUAL(system(cmd), 0);
    run_result_clear(&a);
    run_result_clear(&b);
    rm_run(da);
    rm_run(db);
    assert_no_children();
}

static void test_ppc64_machine_kill(void)
{
    struct run_result res;
    char dir[64];
    CU_ASSERT_EQUAL_FATAL(run_scn(PPC_HDR "step fault machine kill-at=3M\nstep crash\n"
                                  "step capture\nstep release\n", &res, dir, sizeof(dir)), 0);
    CU_ASSERT_EQUAL(res.outcome, RUN_INCOMPLETE);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.reason, "machine killed (signal 9)"));
    CU_ASSERT_EQUAL(img_size(dir), 3145728);
    for (size_t i = 0; i < res.nrcs; i++) {   /* the dead machine did not invalidate */
        CU_ASSERT_NOT_EQUAL(strcmp(res.rcs[i].op, "invalidate"), 0);
    }
    run_result_clear(&res);
    rm_run(dir);
    assert_no_children();
}

static void test_fault_arm_errors(void)
{
    struct run_result res;
    char dir[64];
    /* neither kill-at nor hang: a backend error naming the fault */
    CU_ASSERT_EQUAL(run_scn(S390_HDR "step fault capture\nstep crash\nstep capture\n", &res,
                            dir, sizeof(dir)), -1);
    CU_ASSERT_EQUAL(res.outcome, RUN_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.reason, "fault capture: needs exactly one of"));
    run_result_clear(&res);
    rm_run(dir);
    CU_ASSERT_EQUAL(run_scn(PPC_HDR "step fault capture kill-at=1M hang=yes\nstep crash\n",
                            &res, dir, sizeof(dir)), -1);
    CU_ASSERT_EQUAL(res.outcome, RUN_ERROR);
    run_result_clear(&res);
    rm_run(dir);
}

/* ---- harness watchdog ---------------------------------------------------------- */

static int hang_backend(const struct scenario *s, const char *run_dir, FILE *log,
                        struct run_result *res, char *errbuf, size_t errlen)
{
    for (;;) {
        pause();
    }
    return 0;
}

static backend_run_fn hang_lookup(const char *name, char *why, size_t whylen)
{
    return hang_backend;
}

static void test_watchdog_reports_hung_backend(void)
{
    char dir[] = "/tmp/simwd.XXXXXX";
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    char tap[600], rdir[600];
    snprintf(tap, sizeof(tap), "%s/tap.txt", dir);
    snprintf(rdir, sizeof(rdir), "%s/run", dir);
    fflush(NULL);
    pid_t pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        const char *text = "scenario hung\nmachine arch=s390x memory=16M cpus=1\n"
                           "dump method=zfcpdump\nstep boot\nexpect outcome complete\n";
        struct scenario *s = NULL;
        struct scn_error perr;
        FILE *t = fopen(tap, "w");
        if (!t || scn_parse_buffer("hung.scn", text, strlen(text), &s, &perr) != 0) {
            _exit(3);
        }
        setenv("DUMPBENCH_SCENARIO_TIMEOUT", "1", 1);
        struct run_opts o;
        memset(&o, 0, sizeof(o));
        o.lookup = hang_lookup;
        o.tap = t;
        struct report rep;
        report_init(&rep, t);
        run_scenario(&o, s, rdir, &rep);
        _exit(4);   /* not reached: the watchdog exits 99 */
    }
    int st = 0;
    time_t t0 = time(NULL);
    CU_ASSERT_EQUAL(waitpid(pid, &st, 0), pid);
    CU_ASSERT_TRUE(time(NULL) - t0 < 30);
    CU_ASSERT_TRUE(WIFEXITED(st));
    CU_ASSERT_EQUAL(WEXITSTATUS(st), 99);
    char buf[1024] = "";
    FILE *f = fopen(tap, "r");
    if (f) {
        size_t n = fread(buf, 1, sizeof(buf) - 1, f);
        buf[n] = 0;
        fclose(f);
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Bail out! scenario hung: backend step timed out after 1 s"));
    struct stat sb;
    CU_ASSERT_EQUAL(stat(rdir, &sb), 0);            /* run dir kept */
    char cmd[700];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
    assert_no_children();
}

int register_child_tests(void)
{
    CU_pSuite s = CU_add_suite("sim_child_and_process_faults", NULL, NULL);
    if (!s) {
        return -1;
    }
    if (!CU_add_test(s, "child finishes: result and progress", test_child_finishes) ||
        !CU_add_test(s, "child SIGKILLed: progress kept", test_child_killed) ||
        !CU_add_test(s, "hung child: deadline kills and reaps it", test_child_hang_times_out) ||
        !CU_add_test(s, "heartbeats restart the deadline", test_child_heartbeat_keeps_alive) ||
        !CU_add_test(s, "file limit: EFBIG at the limit, parent unlimited", test_child_file_limit) ||
        !CU_add_test(s, "s390 capture kill-at: partial image, incomplete", test_s390_capture_kill) ||
        !CU_add_test(s, "s390 disk full-at: incomplete with bytes", test_s390_disk_full) ||
        !CU_add_test(s, "s390 capture hang: step timeout", test_s390_capture_hang_timeout) ||
        !CU_add_test(s, "capture in a child: same image", test_s390_child_same_image) ||
        !CU_add_test(s, "ppc64 machine kill-at: incomplete, nothing after", test_ppc64_machine_kill) ||
        !CU_add_test(s, "fault arming errors", test_fault_arm_errors) ||
        !CU_add_test(s, "harness watchdog: hung backend reported, exit 99",
                     test_watchdog_reports_hung_backend)) {
        return -1;
    }
    return 0;
}
