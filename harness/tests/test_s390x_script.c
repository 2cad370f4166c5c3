/*
 * s390x DUMPBENCH_RECORD=script (harness/src/qemu_s390x.c
 * qemu_s390x_script_plan): the dbscript= token list sim/guest/s390x/init
 * runs (crash, crash:N, sleep:MS), and the refusals that name the line of a
 * step the guest cannot do by itself.  Registered from
 * register_s390x_truth_tests (test_s390x_truth.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include <harness/scenario.h>

#include "../src/qemu_internal.h"
#include "tests.h"

int register_s390x_script_tests(void);

#define HEAD "scenario t\nbackend qemu\nmachine arch=s390x memory=256M cpus=2 max-cpus=3 seed=0x5390001\n" \
             "dump method=zfcpdump format=elf\n"
/* HEAD is 4 lines: the first step is on line 5 */

/* plan for HEAD + steps: the function's rc (-2: parse error), out/err filled */
static int plan(const char *steps, char *out, size_t len, char *err, size_t errlen)
{
    char text[4096];
    snprintf(text, sizeof(text), "%s%s", HEAD, steps);
    struct scenario *s = NULL;
    struct scn_error e;
    out[0] = '\0';
    err[0] = '\0';
    if (scn_parse_buffer("t.scn", text, strlen(text), &s, &e) != 0) {
        snprintf(err, errlen, "parse: %.400s", e.msg);
        return -2;
    }
    int rc = qemu_s390x_script_plan(s, out, len, err, errlen);
    scn_free(s);
    return rc;
}

static void test_plan_scenarios(void)
{
    char out[256], err[512];
    /* scenarios/s390x/zfcpdump-crash.scn */
    CU_ASSERT_EQUAL(plan("step boot\nstep crash cpu=1\nstep capture\nexpect outcome complete\n", out,
                         sizeof(out), err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(out, "crash:1");
    /* unpinned crash, a guest-time sleep before it; `run` after the crash is
     * the harness's wait and gives no token */
    CU_ASSERT_EQUAL(plan("step boot\nstep run ms=1500\nstep crash\nstep run ms=200\nstep capture\n", out,
                         sizeof(out), err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(out, "sleep:1500,crash");
    /* fault vmcore (negative control on the captured image) is no guest step */
    CU_ASSERT_EQUAL(plan("step boot\nstep fault vmcore paddr=0x20000\nstep crash cpu=0\nstep capture\n", out,
                         sizeof(out), err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(out, "crash:0");
    /* no crash: an empty list (the run ends without a dump) */
    CU_ASSERT_EQUAL(plan("step boot\n", out, sizeof(out), err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(out, "");
    /* steps after the capture are not the guest's */
    CU_ASSERT_EQUAL(plan("step boot\nstep crash\nstep capture\nstep hotplug-cpu\n", out, sizeof(out), err,
                         sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(out, "crash");
}

static void test_plan_refusals(void)
{
    char out[256], err[512];
    /* zfcpdump-hotplug-cpu.scn: QMP device_add at a wall-clock instant */
    CU_ASSERT_EQUAL(plan("step boot\nstep hotplug-cpu count=1\nstep crash\nstep capture\n", out, sizeof(out),
                         err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "line 6: step hotplug-cpu is host-driven"));
    /* zfcpdump-sdias-fault.scn: an HMP command */
    CU_ASSERT_EQUAL(plan("step boot\nstep fault sdias status=3\nstep crash\nstep capture\n", out, sizeof(out),
                         err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "line 6: step fault sdias is host-driven"));
    /* zfcpdump-operator-hang.scn: hang is refused first (its line) */
    CU_ASSERT_EQUAL(plan("step boot\nstep hang\nstep operator-dump\nstep capture\n", out, sizeof(out), err,
                         sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "line 6: step hang is host-driven"));
    /* a CPU slot that only hotplug would fill (max-cpus=3; script mode has no hotplug) */
    CU_ASSERT_EQUAL(plan("step boot\nstep crash cpu=2\nstep capture\n", out, sizeof(out), err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "line 6: crash cpu=2 but the machine has 2 CPU(s)"));
    /* two crashes */
    CU_ASSERT_EQUAL(plan("step boot\nstep crash\nstep crash cpu=1\nstep capture\n", out, sizeof(out), err,
                         sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "line 7: a second crash step"));
    /* a token list that does not fit: 40 sleeps into 64 bytes */
    char steps[2048] = "step boot\n";
    for (int i = 0; i < 40; i++)
        strcat(steps, "step run ms=1000\n");
    strcat(steps, "step crash\nstep capture\n");
    CU_ASSERT_EQUAL(plan(steps, out, 64, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "too long for dbscript="));
}

int register_s390x_script_tests(void)
{
    CU_pSuite s = CU_add_suite("s390x_script", NULL, NULL);
    if (!s)
        return -1;
    if (!CU_add_test(s, "dbscript plan: crash, crash:N, sleep:MS", test_plan_scenarios) ||
        !CU_add_test(s, "dbscript plan: host-driven steps refused with their line", test_plan_refusals))
        return -1;
    return 0;
}
