/*
 * x86_64 DUMPBENCH_RECORD=script (harness/src/qemu_backend.c): the dbscript=
 * token list the guest init runs (syntax: sim/guest/x86_64/init) built from
 * a scenario, the refusals with the step's line, and the machine_kexec
 * lookup in the guest's symbols file (ci/guest-x86_64).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include <harness/scenario.h>

#include "../src/qemu_internal.h"
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

#define HEAD "scenario t\nbackend qemu\nmachine arch=x86_64 memory=384M cpus=2 seed=0x5eed0001\n" \
             "dump method=kdump format=elf\n"

/* Tokens for HEAD + steps; returns the function's rc, tokens/err filled. */
static int tokens(const char *steps, char *out, size_t len, char *err, size_t errlen)
{
    char text[2048];
    snprintf(text, sizeof(text), HEAD "%s", steps);
    struct scenario *s = NULL;
    struct scn_error e;
    if (scn_parse_buffer("t.scn", text, strlen(text), &s, &e) != 0) {
        snprintf(err, errlen, "parse: %.400s", e.msg);
        return -2;
    }
    out[0] = '\0';
    int rc = qemu_x86_script_tokens(s, out, len, err, errlen);
    scn_free(s);
    return rc;
}

static void test_tokens_scenarios(void)
{
    char out[512], err[512] = "";
    /* kdump-sysrq-crash.scn: plant 256K = 64 pages, seed from the step */
    CU_ASSERT_EQUAL(tokens("step boot\nstep plant addr=0 len=256K seed=0x5eed0001\nstep crash cpu=1\n"
                           "step capture\nexpect outcome complete\n", out, sizeof(out), err,
                           sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(out, "load,plant:0x5eed0001:64,crash:panic:1");
    /* kdump-oops.scn; the plant seed defaults to the machine's, len rounds up */
    CU_ASSERT_EQUAL(tokens("step boot\nstep plant addr=0 len=5000\nstep crash kind=oops\nstep capture\n",
                           out, sizeof(out), err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(out, "load,plant:0x5eed0001:2,crash:oops");
    /* no plant, crash on any CPU; a vmcore fault is the harness's, after the capture */
    CU_ASSERT_EQUAL(tokens("step boot\nstep crash\nstep fault vmcore paddr=0x100000\nstep capture\n",
                           out, sizeof(out), err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(out, "load,crash:panic");
}

static void test_tokens_refused(void)
{
    char out[512], err[512] = "";
    /* host-driven steps name their line (HEAD has 4 lines) */
    CU_ASSERT_EQUAL(tokens("step boot\nstep hotplug-cpu count=1\nstep crash\nstep capture\n",
                           out, sizeof(out), err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "line 6: step hotplug-cpu is host-driven"));
    CU_ASSERT_EQUAL(tokens("step boot\nstep hang\nstep operator-dump\nstep capture\n",
                           out, sizeof(out), err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "line 6: step hang is host-driven"));
    CU_ASSERT_EQUAL(tokens("step boot\nstep fault sdias\nstep crash\nstep capture\n",
                           out, sizeof(out), err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "line 6: step fault sdias is host-driven"));
    /* no crash: nothing would reach machine_kexec */
    CU_ASSERT_EQUAL(tokens("step boot\nstep plant addr=0 len=4K\nstep capture\n",
                           out, sizeof(out), err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "no crash step"));
    /* plant after the crash, two crashes */
    CU_ASSERT_EQUAL(tokens("step boot\nstep crash\nstep plant addr=0 len=4K\nstep capture\n",
                           out, sizeof(out), err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "line 7: plant: after the crash step"));
    CU_ASSERT_EQUAL(tokens("step boot\nstep crash\nstep crash kind=oops\nstep capture\n",
                           out, sizeof(out), err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "line 7: a second crash step"));
    /* the list does not fit */
    char small[12];
    CU_ASSERT_EQUAL(tokens("step boot\nstep crash kind=oops\nstep capture\n", small, sizeof(small),
                           err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "does not fit"));
}

static void test_symbol(void)
{
    char path[4200], err[512] = "";
    snprintf(path, sizeof(path), "%s/symbols", tmp);
    const char *text = "ffffffff810773a0 t machine_kexec_prepare_x\n"
                       "ffffffff81077390 T machine_kexec\n"
                       "ffffffff81a01cb0 T panic\n"
                       "ffffffff82000000 D machine_kexec_data\n"
                       "garbage line\n";
    CU_ASSERT_EQUAL_FATAL(th_write_file(path, text, strlen(text)), 0);
    uint64_t a = 0;
    CU_ASSERT_EQUAL(qemu_x86_symbol(path, "machine_kexec", &a, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(a, 0xffffffff81077390ull);
    CU_ASSERT_EQUAL(qemu_x86_symbol(path, "panic", &a, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(a, 0xffffffff81a01cb0ull);
    /* a data symbol is not a breakpoint target */
    CU_ASSERT_EQUAL(qemu_x86_symbol(path, "machine_kexec_data", &a, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "no text symbol machine_kexec_data"));
    snprintf(path, sizeof(path), "%s/none", tmp);
    CU_ASSERT_EQUAL(qemu_x86_symbol(path, "machine_kexec", &a, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "No such file"));
}

int register_x86_script_tests(void)
{
    CU_pSuite s = CU_add_suite("x86_script", setup, teardown);
    if (!s)
        return -1;
    if (!CU_add_test(s, "dbscript tokens of the x86 scenarios", test_tokens_scenarios) ||
        !CU_add_test(s, "host-driven and bad steps refused with their line", test_tokens_refused) ||
        !CU_add_test(s, "machine_kexec from the guest's symbols file", test_symbol))
        return -1;
    return 0;
}
