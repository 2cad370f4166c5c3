/*
 * Firmware regression report (harness/src/regress.c) with the
 * profile-driven fake backend (test_replay_fake.h): an altered profile
 * names exactly the scenarios it changes, n/a for the other model, nothing
 * for an identical candidate, stored references, and errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include <harness/regress.h>

#include "test_replay_fake.h"
#include "tests.h"

static char *tmp;
static char files[3][4200];

static int setup(void)
{
    tmp = th_mkdtemp();
    return tmp && fw_fake_scenarios(tmp, files) == 0 ? 0 : -1;
}

static int teardown(void)
{
    th_rmtree(tmp);
    free(tmp);
    return 0;
}

static char *write_profile(const char *name, const char *body)
{
    char *p = malloc(4300);
    snprintf(p, 4300, "%s/%s.profile", tmp, name);
    if (th_write_file(p, body, strlen(body)) != 0) {
        free(p);
        return NULL;
    }
    return p;
}

static int regress(const char *profile, const char *ref, const char *out, char **text,
                   const char *const *f, size_t n)
{
    char od[4300], err[1024] = "";
    snprintf(od, sizeof(od), "%s/%s", tmp, out);
    struct regress_opts o;
    memset(&o, 0, sizeof(o));
    o.profile = profile;
    o.ref_dir = ref;
    o.out_dir = od;
    o.lookup = fw_fake_lookup;
    size_t len;
    FILE *m = open_memstream(text, &len);
    int rc = regress_run(&o, f, n, m, err, sizeof(err));
    fclose(m);
    return rc;
}

static void test_altered_hsa(void)
{
    char *p = write_profile("hsa-48m", "model = sclp\nname = hsa-48m\nbase = z15-32m\n"
                                       "hsa-size = 48M\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    const char *f[3] = { files[0], files[1], files[2] };
    char *text = NULL;
    CU_ASSERT_EQUAL(regress(p, NULL, "r1", &text, f, 3), 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    /* a: HSA rc and page 0; c: qemu-7.2 replaced, now dumps; b: n/a */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\naffected: a c\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "firmware profile: z15-32m -> hsa-48m: hsa-size: 32M -> 48M"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "firmware rc hsa: 32 (line 4) -> 48 (line 4)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "1 of 4 common pages differ"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "verdict: PASS -> FAIL (outcome (line 5): expected "
                                        "no-dump got complete"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "outcome: no-dump -> complete"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "dump: none -> captured"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "(profile "));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "does not apply to ppc64)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "summary: 3 scenarios: 2 affected, 0 identical, 1 not "
                                        "applicable, 0 skipped, 0 errors"));
    char md[4400];
    snprintf(md, sizeof(md), "%s/r1/regress.md", tmp);
    size_t len;
    char *mdt = (char *)th_read_file(md, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mdt);
    CU_ASSERT_PTR_NOT_NULL(strstr(mdt, "| a | s390x | PASS | PASS | **DIFFERS** | 2 |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(mdt, "| b | ppc64 | PASS | (not run) | n/a |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(mdt, "### c\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(mdt, "- outcome: no-dump -> complete\n"));
    free(mdt);
    free(text);
    free(p);
}

static void test_register_rc3_and_stored_ref(void)
{
    char *p = write_profile("rc3", "model = phyp\nname = rc3\nbase = phyp-default\n"
                                   "fault-cmd = register\nfault-rc = -3\n"
                                   "fault-count = 4294967295\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    const char *f[3] = { files[0], files[1], files[2] };
    char *text = NULL, ref[4300];
    /* reference from the previous test's run dirs */
    snprintf(ref, sizeof(ref), "%s/r1/ref", tmp);
    CU_ASSERT_EQUAL(regress(p, ref, "r2", &text, f, 3), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\naffected: b\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "firmware rc register: 0 (line 4) -> -3 (line 4)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "reference: stored runs"));
    free(text);
    text = NULL;
    /* a candidate equal to the reference: nothing differs */
    const char *fa[1] = { files[0] };
    CU_ASSERT_EQUAL(regress("z15-32m", ref, "r3", &text, fa, 1), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\naffected: none\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "1 identical"));
    free(text);
    text = NULL;
    /* a missing stored reference is an error row and exit 99 */
    snprintf(ref, sizeof(ref), "%s/nowhere", tmp);
    CU_ASSERT_EQUAL(regress(p, ref, "r4", &text, f, 3), 99);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "ERROR"));
    free(text);
    free(p);
}

static void test_skipped_candidate(void)
{
    char *p = write_profile("hsa0", "model = sclp\nname = hsa0\nbase = z15-32m\n"
                                    "hsa-size = 0\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    const char *f[1] = { files[0] };
    char *text = NULL, ref[4300];
    snprintf(ref, sizeof(ref), "%s/r1/ref", tmp);
    CU_ASSERT_EQUAL(regress(p, ref, "r6", &text, f, 1), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "SKIPPED   candidate skipped: SKIPPED: fake needs an HSA"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "0 affected, 0 identical, 0 not applicable, 1 skipped"));
    free(text);
    free(p);
}

static void test_bad_candidate(void)
{
    const char *f[1] = { files[0] };
    char *text = NULL, od[4300], err[512] = "";
    snprintf(od, sizeof(od), "%s/r5", tmp);
    struct regress_opts o;
    memset(&o, 0, sizeof(o));
    o.profile = "no-such-profile";
    o.out_dir = od;
    o.lookup = fw_fake_lookup;
    size_t len;
    FILE *m = open_memstream(&text, &len);
    CU_ASSERT_EQUAL(regress_run(&o, f, 1, m, err, sizeof(err)), 99);
    fclose(m);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "--profile no-such-profile"));
    free(text);
    text = NULL;
    m = open_memstream(&text, &len);
    CU_ASSERT_EQUAL(regress_run(&o, f, 0, m, err, sizeof(err)), 99);
    fclose(m);
    free(text);
}

int register_regress_tests(void)
{
    CU_pSuite s = CU_add_suite("regress", setup, teardown);
    if (!s)
        return -1;
    struct { const char *n; CU_TestFunc f; } t[] = {
        { "altered HSA names exactly the changed scenarios", test_altered_hsa },
        { "REGISTER -3, stored reference, identical candidate", test_register_rc3_and_stored_ref },
        { "a skipped side is SKIPPED, not identical", test_skipped_candidate },
        { "unknown candidate profile, no files", test_bad_candidate },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (!CU_add_test(s, t[i].n, t[i].f))
            return -1;
    return 0;
}
