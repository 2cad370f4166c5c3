/*
 * ppc64 DUMPBENCH_RECORD=script (harness/src/qemu_ppc64.c): the dbscript=
 * token list the guest init runs (syntax: the "script mode" header of
 * sim/guest/ppc64/init.sh) built from a scenario, each step's token number,
 * and the refusals naming the step's line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include <harness/scenario.h>

#include "../src/qemu_internal.h"
#include "tests.h"

#define HEAD "scenario t\nbackend qemu\nmachine arch=ppc64 memory=3G cpus=2 seed=0x5eed0101\n" \
             "dump method=fadump format=elf\n"
/* HEAD is 4 lines: the first step is on line 5 */

#define NSTOK 32

/* Tokens for head (NULL = HEAD) + steps; returns the function's rc,
 * out/stok/err filled (stok: NSTOK steps at most). */
static int tokens_h(const char *head, const char *steps, char *out, size_t len, int *stok, char *err,
                    size_t errlen)
{
    char text[4096];
    snprintf(text, sizeof(text), "%s%s", head ? head : HEAD, steps);
    struct scenario *s = NULL;
    struct scn_error e;
    if (scn_parse_buffer("t.scn", text, strlen(text), &s, &e) != 0) {
        snprintf(err, errlen, "parse: %.400s", e.msg);
        return -2;
    }
    int rc = s->nsteps <= NSTOK ? qemu_ppc64_script_tokens(s, out, len, stok, err, errlen) : -3;
    scn_free(s);
    return rc;
}

static int tokens(const char *steps, char *out, size_t len, int *stok, char *err, size_t errlen)
{
    return tokens_h(NULL, steps, out, len, stok, err, errlen);
}

static void test_tokens_scenarios(void)
{
    char out[256], err[512] = "";
    int stok[NSTOK];
    /* scenarios/ppc64/fadump-sysrq-crash.scn */
    CU_ASSERT_EQUAL(tokens("step boot\nstep register\nstep crash\nstep capture\nexpect outcome complete\n",
                           out, sizeof(out), stok, err, sizeof(err)), 2);
    CU_ASSERT_STRING_EQUAL(out, "reg,crash");
    CU_ASSERT_EQUAL(stok[0], 0);        /* boot: no token */
    CU_ASSERT_EQUAL(stok[1], 1);
    CU_ASSERT_EQUAL(stok[2], 2);
    CU_ASSERT_EQUAL(stok[3], 0);        /* capture: the harness's */
    /* fadump-unregister-crash.scn (no capture step) */
    CU_ASSERT_EQUAL(tokens("step boot\nstep register\nstep unregister\nstep crash\n", out, sizeof(out), stok,
                           err, sizeof(err)), 3);
    CU_ASSERT_STRING_EQUAL(out, "reg,unreg,crash");
    CU_ASSERT_EQUAL(stok[2], 2);
    /* rtas-busy.scn: the fault before the first register is a QEMU
     * command-line property, no token */
    CU_ASSERT_EQUAL(tokens("step boot\nstep fault rtas op=register rc=-2 count=3\nstep register\n"
                           "step crash\nstep capture\n", out, sizeof(out), stok, err, sizeof(err)), 2);
    CU_ASSERT_STRING_EQUAL(out, "reg,crash");
    CU_ASSERT_EQUAL(stok[1], 0);
    CU_ASSERT_EQUAL(stok[2], 1);
    /* crash pinned to a CPU, oops, a guest-time sleep, re-registration */
    CU_ASSERT_EQUAL(tokens("step boot\nstep register\nstep run ms=250\nstep register\nstep crash cpu=1\n"
                           "step capture\n", out, sizeof(out), stok, err, sizeof(err)), 4);
    CU_ASSERT_STRING_EQUAL(out, "reg,sleep.250,reg,crash.1");
    CU_ASSERT_EQUAL(stok[4], 4);
    CU_ASSERT_EQUAL(tokens("step boot\nstep register\nstep crash kind=oops\nstep capture\n", out,
                           sizeof(out), NULL, err, sizeof(err)), 2);
    CU_ASSERT_STRING_EQUAL(out, "reg,crash");
    /* a wait after the crash stays with the harness */
    CU_ASSERT_EQUAL(tokens("step boot\nstep register\nstep crash\nstep run ms=100\nstep capture\n", out,
                           sizeof(out), stok, err, sizeof(err)), 2);
    CU_ASSERT_STRING_EQUAL(out, "reg,crash");
    CU_ASSERT_EQUAL(stok[3], 0);
}

static void expect_refused_h(const char *head, const char *steps, const char *want)
{
    char out[256], err[512] = "";
    int stok[NSTOK];
    int rc = tokens_h(head, steps, out, sizeof(out), stok, err, sizeof(err));
    CU_ASSERT_EQUAL(rc, -1);
    if (!strstr(err, want)) {
        fprintf(stderr, "\n  rc %d, err '%s', wanted '%s'\n", rc, err, want);
        CU_FAIL("error text");
    }
}

static void expect_refused(const char *steps, const char *want)
{
    expect_refused_h(NULL, steps, want);
}

static void test_tokens_refused(void)
{
    /* host-driven steps (qemu_record_script_steps names the line) */
    expect_refused("step boot\nstep register\nstep hotplug-cpu count=1\nstep crash\nstep capture\n",
                   "line 7: step hotplug-cpu is host-driven");
    expect_refused("step boot\nstep register\nstep hang\nstep operator-dump\nstep capture\n",
                   "line 7: step hang is host-driven");
    expect_refused("step boot\nstep register\nstep hotplug-mem size=512M reload=yes\nstep crash\n",
                   "line 7: step hotplug-mem is host-driven");
    /* a fault after the first register would be a qom-set while the guest runs */
    expect_refused("step boot\nstep register\nstep fault rtas op=register rc=-1\nstep register\nstep crash\n",
                   "line 7: step fault rtas after register is host-driven");
    /* the guest runs the steps up to the crash only */
    expect_refused("step boot\nstep register\nstep crash\nstep register\nstep capture\n",
                   "line 8: step register after the crash");
    /* a CPU slot (max-cpus) is no CPU without the hotplug */
    expect_refused_h("scenario t\nbackend qemu\nmachine arch=ppc64 memory=3G cpus=2 max-cpus=3 seed=1\n"
                     "dump method=fadump format=elf\n", "step boot\nstep register\nstep crash cpu=2\n",
                     "line 7: crash cpu=2, but the machine boots 2 CPUs");
    expect_refused("step boot\nstep register\nstep run ms=4000000\nstep crash\n",
                   "line 7: run ms=4000000: 0..3600000");
    /* the kernel command line holds a bounded list */
    char many[2048] = "step boot\n";
    for (int i = 0; i < 20; i++)
        strcat(many, "step run ms=1000000\n");
    strcat(many, "step crash\n");
    expect_refused(many, "too long for the kernel command line");
}

int register_ppc64_script_tests(void)
{
    CU_pSuite s = CU_add_suite("ppc64 script mode", NULL, NULL);
    if (!s)
        return -1;
    if (!CU_add_test(s, "tokens for the ppc64 scenarios", test_tokens_scenarios) ||
        !CU_add_test(s, "host-driven and invalid steps refused with their line", test_tokens_refused))
        return -1;
    return 0;
}
