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

/*
 * The test running is the table row of the same name (every row is its own
 * CUnit test, registered under the row's name).  Rows start with the name.
 */
static const void *current_row(const void *table, size_t n, size_t size)
{
    const char *name = CU_get_current_test()->pName;
    for (size_t i = 0; i < n; i++) {
        const void *row = (const char *)table + i * size;
        if (strcmp(*(const char *const *)row, name) == 0) {
            return row;
        }
    }
    return NULL;
}
#define CURRENT_ROW(table) \
    current_row(table, sizeof(table) / sizeof(table[0]), sizeof(table[0]))

static void fn_ok(struct sim_child *c, void *arg, void *out, size_t outlen)
{
    struct rec *r = out;
    sim_child_progress(c, 10);
    sim_child_progress(c, 20);
    r->magic = *(const int *)arg;
}

static void fn_kill(struct sim_child *c, void *arg, void *out, size_t outlen)
{
    sim_child_progress(c, 4096);
    sim_child_kill(c, 8192);
}

static void fn_hang(struct sim_child *c, void *arg, void *out, size_t outlen)
{
    sim_child_hang(c, 777);
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

/* Expected flag of struct sim_child_exit: NC (the default) is not checked. */
enum tri { NC = 0, NO, YES };

/*
 * One sim_child_run of fn (arg: &magic_in) with opts; every expectation
 * left 0 / NC is not checked.
 */
struct child_case {
    const char *name;
    sim_child_fn fn;
    int magic_in;
    struct sim_child_opts opts;
    enum tri finished, timed_out, signaled, has_progress;
    int signo;
    uint64_t progress;
    int magic;                  /* the result record's magic */
    double seconds_ge, seconds_gt, seconds_lt;
};

static const struct child_case child_cases[] = {
    { "child finishes: result and progress", fn_ok, 0x5a5a, { 10.0, 0 },
      .finished = YES, .timed_out = NO, .signaled = NO, .has_progress = YES,
      .progress = 20, .magic = 0x5a5a },
    { "child SIGKILLed: progress kept", fn_kill, 0, { 10.0, 0 },
      .finished = NO, .timed_out = NO, .signaled = YES, .signo = SIGKILL,
      .progress = 8192 },
    { "hung child: deadline kills and reaps it", fn_hang, 0, { 0.3, 0 },
      .timed_out = YES, .finished = NO, .progress = 777,
      .seconds_ge = 0.3, .seconds_lt = 10.0 },
    /* The deadline counts from the last message: a slow child that keeps
     * sending heartbeats outlives a deadline shorter than its total run time. */
    { "heartbeats restart the deadline", fn_slow, 0, { 0.6, 0 },
      .finished = YES, .timed_out = NO, .magic = 7, .seconds_gt = 0.6,
      .has_progress = NO },
};

static void assert_tri(enum tri want, bool got)
{
    if (want != NC) {
        CU_ASSERT_EQUAL(got, want == YES);
    }
}

static void test_child_case(void)
{
    const struct child_case *k = CURRENT_ROW(child_cases);
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    struct rec r;
    struct sim_child_exit ex;
    char err[100];
    CU_ASSERT_EQUAL_FATAL(sim_child_run(k->fn, (void *)&k->magic_in, &r, sizeof(r), &k->opts,
                                        &ex, err, sizeof(err)), 0);
    assert_tri(k->finished, ex.finished);
    assert_tri(k->timed_out, ex.timed_out);
    assert_tri(k->signaled, ex.signaled);
    assert_tri(k->has_progress, ex.has_progress);
    if (k->signo) {
        CU_ASSERT_EQUAL(ex.signo, k->signo);
    }
    if (k->progress) {
        CU_ASSERT_EQUAL(ex.progress, k->progress);
    }
    if (k->magic) {
        CU_ASSERT_EQUAL(r.magic, k->magic);
    }
    if (k->seconds_ge > 0) {
        CU_ASSERT_TRUE(ex.seconds >= k->seconds_ge);
    }
    if (k->seconds_gt > 0) {
        CU_ASSERT_TRUE(ex.seconds > k->seconds_gt);
    }
    if (k->seconds_lt > 0) {
        CU_ASSERT_TRUE(ex.seconds < k->seconds_lt);
    }
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

/*
 * One process fault through the sim backend: the scenario's run returns rc
 * with the outcome, the reason holds each of reason[] (NULL: none), the
 * kept dump.img has img bytes (0: not checked) and no firmware rc is named
 * absent_op (NULL: not checked).
 */
struct fault_case {
    const char *name;
    const char *scn;
    int rc;
    enum run_outcome outcome;
    const char *reason[2];
    off_t img;
    const char *absent_op;
};

static const struct fault_case fault_cases[] = {
    { "s390 capture kill-at: partial image, incomplete",
      S390_HDR "step fault capture kill-at=4M\nstep crash\nstep capture\n",
      0, RUN_INCOMPLETE, { "killed by signal 9 after 4194304 bytes" },
      4194304 /* the partial image is kept */, "release" /* HSA not released */ },
    { "s390 disk full-at: incomplete with bytes",
      S390_HDR "step fault disk full-at=3M\nstep crash\nstep capture\n",
      0, RUN_INCOMPLETE, { "3145728 of ", "dump disk full" }, 3145728, NULL },
    { "s390 capture hang: step timeout",
      S390_HDR "step fault capture hang-at=2M\nstep crash\nstep capture timeout=1\n",
      0, RUN_INCOMPLETE, { "timed out: no progress for 1 s" }, 2097152, NULL },
    { "ppc64 machine kill-at: incomplete, nothing after",
      PPC_HDR "step fault machine kill-at=3M\nstep crash\nstep capture\nstep release\n",
      0, RUN_INCOMPLETE, { "machine killed (signal 9)" }, 3145728,
      "invalidate" /* the dead machine did not invalidate */ },
    /* neither kill-at nor hang: a backend error naming the fault */
    { "fault arming errors: neither kill-at nor hang",
      S390_HDR "step fault capture\nstep crash\nstep capture\n",
      -1, RUN_ERROR, { "fault capture: needs exactly one of" }, 0, NULL },
    { "fault arming errors: kill-at and hang",
      PPC_HDR "step fault capture kill-at=1M hang=yes\nstep crash\n",
      -1, RUN_ERROR, { NULL }, 0, NULL },
};

static void test_fault_case(void)
{
    const struct fault_case *k = CURRENT_ROW(fault_cases);
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    struct run_result res;
    char dir[64];
    CU_ASSERT_EQUAL_FATAL(run_scn(k->scn, &res, dir, sizeof(dir)), k->rc);
    CU_ASSERT_EQUAL(res.outcome, k->outcome);
    for (size_t i = 0; i < 2 && k->reason[i]; i++) {
        CU_ASSERT_PTR_NOT_NULL(strstr(res.reason, k->reason[i]));
    }
    if (k->img) {
        CU_ASSERT_EQUAL(img_size(dir), k->img);
    }
    for (size_t i = 0; k->absent_op && i < res.nrcs; i++) {
        CU_ASSERT_NOT_EQUAL(strcmp(res.rcs[i].op, k->absent_op), 0);
    }
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
    for (size_t i = 0; i < sizeof(child_cases) / sizeof(child_cases[0]); i++) {
        if (!CU_add_test(s, child_cases[i].name, test_child_case)) {
            return -1;
        }
    }
    if (!CU_add_test(s, "file limit: EFBIG at the limit, parent unlimited", test_child_file_limit) ||
        !CU_add_test(s, "capture in a child: same image", test_s390_child_same_image)) {
        return -1;
    }
    for (size_t i = 0; i < sizeof(fault_cases) / sizeof(fault_cases[0]); i++) {
        if (!CU_add_test(s, fault_cases[i].name, test_fault_case)) {
            return -1;
        }
    }
    if (!CU_add_test(s, "harness watchdog: hung backend reported, exit 99",
                     test_watchdog_reports_hung_backend)) {
        return -1;
    }
    return 0;
}
