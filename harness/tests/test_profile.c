/*
 * Firmware profile files (harness/src/profile.c, profile_run.c): every data
 * file in scenarios/profiles/ reproduces its built-in field for field, the
 * parser's strict validation names FILE:LINE and the key, the writer round
 * trips, resolution and the runner's override rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <CUnit/CUnit.h>

#include <harness/backend.h>
#include <harness/profile.h>

#include "tests.h"

/* Tripwire: a new field in a model's profile struct needs a key in
 * harness/src/profile.c (and then these sizes updated). */
_Static_assert(sizeof(struct sclp_profile) == 128, "struct sclp_profile changed: add its key");
_Static_assert(sizeof(struct phyp_profile) == 104, "struct phyp_profile changed: add its key");

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

/* scenarios/profiles of this checkout (tests run from the repo root). */
static void profiles_dir(char *buf, size_t len)
{
    char f[4096];
    snprintf(f, sizeof(f), "%s", __FILE__);
    char *p = strstr(f, "harness/tests/");
    if (p)
        *p = '\0';
    snprintf(buf, len, "%.4000sscenarios/profiles", f);
}

static bool same_phyp(const struct phyp_profile *a, const struct phyp_profile *b)
{
    struct phyp_profile x = *a, y = *b;
    x.name = y.name = NULL;
    return memcmp(&x, &y, sizeof(x)) == 0 && a->name && b->name && !strcmp(a->name, b->name);
}

static void test_data_files_equal_builtins(void)
{
    char dir[4096], path[4300], err[1024];
    profiles_dir(dir, sizeof(dir));
    unsigned n = 0;
    for (unsigned i = 0; i < sclp_profile_count(); i++) {
        const struct sclp_profile *b = sclp_profile_at(i);
        struct fw_profile p;
        snprintf(path, sizeof(path), "%s/s390x/%s.profile", dir, b->name);
        int rc = fwp_parse_file(path, &p, err, sizeof(err));
        CU_ASSERT_EQUAL(rc, 0);
        if (rc != 0) {
            fprintf(stderr, "\n  %s\n", err);
            continue;
        }
        CU_ASSERT_EQUAL(p.model, FWP_SCLP);
        CU_ASSERT_STRING_EQUAL(p.name, b->name);
        /* every byte, padding included (both start zeroed) */
        CU_ASSERT_EQUAL(memcmp(&p.sclp, b, sizeof(*b)), 0);
        n++;
    }
    for (size_t i = 0; phyp_profile_at(i); i++) {
        const struct phyp_profile *b = phyp_profile_at(i);
        struct fw_profile p;
        snprintf(path, sizeof(path), "%s/ppc64/%s.profile", dir, b->name);
        int rc = fwp_parse_file(path, &p, err, sizeof(err));
        CU_ASSERT_EQUAL(rc, 0);
        if (rc != 0) {
            fprintf(stderr, "\n  %s\n", err);
            continue;
        }
        CU_ASSERT_EQUAL(p.model, FWP_PHYP);
        CU_ASSERT_TRUE(same_phyp(fwp_phyp(&p), b));
        n++;
    }
    CU_ASSERT_EQUAL(n, sclp_profile_count() + 7);
}

static void test_write_round_trip(void)
{
    for (int m = FWP_SCLP; m <= FWP_PHYP; m++) {
        for (size_t i = 0;; i++) {
            const char *name = m == FWP_SCLP ? (sclp_profile_at((unsigned)i)
                                                    ? sclp_profile_at((unsigned)i)->name : NULL)
                                             : (phyp_profile_at(i) ? phyp_profile_at(i)->name
                                                                   : NULL);
            if (!name)
                break;
            struct fw_profile b, p;
            CU_ASSERT_EQUAL_FATAL(fwp_builtin((enum fwp_model)m, name, &b), 0);
            char *text = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&text, &len);
            CU_ASSERT_EQUAL(fwp_write(f, &b), 0);
            fclose(f);
            char err[512];
            CU_ASSERT_EQUAL(fwp_parse_buffer("rt", text, len, &p, err, sizeof(err)), 0);
            CU_ASSERT_EQUAL(fwp_diff(&b, &p, NULL, 0), 0);
            if (m == FWP_SCLP) {
                CU_ASSERT_EQUAL(memcmp(&b.sclp, &p.sclp, sizeof(b.sclp)), 0);
            } else {
                CU_ASSERT_TRUE(same_phyp(fwp_phyp(&b), fwp_phyp(&p)));
            }
            free(text);
        }
    }
}

/* Each key changes exactly its own field. */
static void test_every_key_maps_to_one_field(void)
{
    static const struct { enum fwp_model m; const char *base; } models[] = {
        { FWP_SCLP, "z15-32m" }, { FWP_PHYP, "busy-3" } };
    for (size_t k = 0; k < 2; k++) {
        struct fw_profile b;
        CU_ASSERT_EQUAL_FATAL(fwp_builtin(models[k].m, models[k].base, &b), 0);
        for (size_t i = 0; i < fwp_key_count(models[k].m); i++) {
            const char *key = fwp_key_name(models[k].m, i);
            /* a value different from the base, valid for the validators */
            char text[512], val[64], err[512];
            if (!strcmp(key, "hpte-mode"))
                snprintf(val, sizeof(val), "zero");
            else if (!strcmp(key, "fault-cmd"))
                snprintf(val, sizeof(val), "invalidate");
            else if (!strcmp(key, "loadparm"))
                snprintf(val, sizeof(val), "0xc1c2c3c4c5c6c7c8");
            else if (!strcmp(key, "busy-rc"))
                snprintf(val, sizeof(val), "9903");
            else if (!strcmp(key, "increment-mb") || !strcmp(key, "rmr-align"))
                snprintf(val, sizeof(val), "64");
            else if (!strcmp(key, "max-sections"))
                snprintf(val, sizeof(val), "12");
            else if (!strcmp(key, "version-max"))
                snprintf(val, sizeof(val), "3");
            else if (!strcmp(key, "version-min"))
                snprintf(val, sizeof(val), "0");
            else if (!strcmp(key, "read-info-rc") || !strcmp(key, "sdias-rc"))
                snprintf(val, sizeof(val), "0x40f0");
            else if (!strcmp(key, "hsa-size"))
                snprintf(val, sizeof(val), "16M");
            else {
                /* booleans flip; numbers become 3 */
                char cur[4096];
                FILE *f = fmemopen(cur, sizeof(cur), "w");
                fwp_write(f, &b);
                fclose(f);
                char pat[80];
                snprintf(pat, sizeof(pat), "\n%s = ", key);
                const char *at = strstr(cur, pat);
                CU_ASSERT_PTR_NOT_NULL_FATAL(at);
                at += strlen(pat);
                if (!strncmp(at, "yes", 3))
                    snprintf(val, sizeof(val), "no");
                else if (!strncmp(at, "no", 2))
                    snprintf(val, sizeof(val), "yes");
                else
                    snprintf(val, sizeof(val), "5");
            }
            snprintf(text, sizeof(text), "model = %s\nname = t\nbase = %s\n%s = %s\n",
                     fwp_model_name(models[k].m), models[k].base, key, val);
            struct fw_profile p;
            int rc = fwp_parse_buffer("k.profile", text, strlen(text), &p, err, sizeof(err));
            CU_ASSERT_EQUAL(rc, 0);
            if (rc != 0) {
                fprintf(stderr, "\n  key %s: %s\n", key, err);
                continue;
            }
            char d[512];
            CU_ASSERT_EQUAL(fwp_diff(&b, &p, d, sizeof(d)), 1);
            CU_ASSERT_EQUAL(strncmp(d, key, strlen(key)), 0);
            if (models[k].m == FWP_SCLP) {
                struct sclp_profile x = b.sclp;
                memcpy(x.name, p.sclp.name, sizeof(x.name));
                CU_ASSERT_NOT_EQUAL(memcmp(&x, &p.sclp, sizeof(x)), 0);
            }
        }
    }
}

static void expect_error(const char *text, const char *want)
{
    struct fw_profile p;
    char err[512] = "";
    int rc = fwp_parse_buffer("e.profile", text, strlen(text), &p, err, sizeof(err));
    CU_ASSERT_EQUAL(rc, -1);
    if (rc != -1 || !strstr(err, want)) {
        CU_FAIL("error message");
        fprintf(stderr, "\n  text: %s\n  got:  %s\n  want: %s\n", text, err, want);
    }
}

static void test_parse_errors(void)
{
    const char *sb = "model = sclp\nname = x\nbase = z15-32m\n";
    char t[1024];
    expect_error("name = x\n", "e.profile:1: key 'model' (sclp or phyp) must come first");
    expect_error("model = s390\n", "e.profile:1: key 'model': 's390' is not sclp or phyp");
    expect_error("model = sclp\nmodel = sclp\n", "e.profile:2: key 'model' repeated");
    expect_error("model = sclp\nbase = z15-32m\n", "e.profile: missing key 'name'");
    expect_error("model = sclp\nname = X Y\n", "e.profile:2: key 'name': value 'X Y' contains blanks");
    expect_error("model = sclp\nname = Upper\n", "e.profile:2: key 'name': 'Upper' is not");
    expect_error("model = sclp\nname = x\nbase = z99\n", "e.profile:3: key 'base': no built-in sclp profile 'z99'");
    expect_error("model = phyp\nname = x\nbase = z15-32m\n", "key 'base': no built-in phyp profile");
    expect_error("model = sclp\nname = x\nvector = yes\nbase = z15-32m\n",
                 "e.profile:4: key 'base' must come before 'vector' (line 3)");
    expect_error("model = sclp\nname = x\nvector = yes\n",
                 "e.profile: missing key 'hsa-size' (every key is required without 'base =')");
    snprintf(t, sizeof(t), "%shsa_size = 32M\n", sb);
    expect_error(t, "e.profile:4: unknown key 'hsa_size' for model sclp");
    snprintf(t, sizeof(t), "%svector = yes\nvector = no\n", sb);
    expect_error(t, "e.profile:5: key 'vector' repeated (first on line 4)");
    snprintf(t, sizeof(t), "%svector = true\n", sb);
    expect_error(t, "e.profile:4: key 'vector': expected yes or no");
    snprintf(t, sizeof(t), "%sfac42 = 256\n", sb);
    expect_error(t, "e.profile:4: key 'fac42': 256 out of range (0..255)");
    snprintf(t, sizeof(t), "%sfac42 = 1M\n", sb);
    expect_error(t, "e.profile:4: key 'fac42': '1M' is not a number");
    snprintf(t, sizeof(t), "%shsa-size = 33x\n", sb);
    expect_error(t, "e.profile:4: key 'hsa-size': '33x' is not a size");
    snprintf(t, sizeof(t), "%shsa-size = -4K\n", sb);
    expect_error(t, "key 'hsa-size': '-4K' is not a size");
    snprintf(t, sizeof(t), "%shsa-size = 99999999999999999999\n", sb);
    expect_error(t, "e.profile:4: key 'hsa-size': 99999999999999999999 out of range");
    snprintf(t, sizeof(t), "%shsa-size = 8G\n", sb);
    expect_error(t, "e.profile:4: key 'hsa-size': 8G out of range");
    /* the model's own validator, mapped back to the key's line */
    snprintf(t, sizeof(t), "%s\n\nhsa-size = 4097\n", sb);
    expect_error(t, "e.profile:6: key 'hsa-size': hsa_size is not a multiple of 4 KiB");
    snprintf(t, sizeof(t), "%sincrement-mb = 3\n", sb);
    expect_error(t, "e.profile:4: key 'increment-mb': increment_mb must be a power of two");
    snprintf(t, sizeof(t), "%sloadparm = 0x4040\n", sb);
    expect_error(t, "key 'loadparm': expected 16 hex digits");
    snprintf(t, sizeof(t), "%sloadparm = 0x40404040404040zz\n", sb);
    expect_error(t, "key 'loadparm': expected 16 hex digits");
    expect_error("model = phyp\nname = x\nbase = phyp-default\nbusy-count = 2\n",
                 "e.profile:3: key 'busy-rc' (from base phyp-default): busy_rc must be");
    expect_error("model = phyp\nname = x\nbase = phyp-default\nbusy-count = 2\nbusy-rc = -3\n",
                 "e.profile:5: key 'busy-rc': busy_rc must be -2 or 9900..9905");
    expect_error("model = phyp\nname = x\nbase = phyp-default\nmax-sections = 65\n",
                 "e.profile:4: key 'max-sections': 65 out of range (1..64)");
    expect_error("model = phyp\nname = x\nbase = phyp-default\nfault-rc = 2147483648\n",
                 "key 'fault-rc': 2147483648 out of range");
    expect_error("model = phyp\nname = x\nbase = phyp-default\nfault-cmd = reboot\n",
                 "key 'fault-cmd': expected any, register");
    expect_error("model = phyp\nname = x\nbase = phyp-default\nhpte-mode = full\n",
                 "e.profile:4: key 'hpte-mode': expected none or zero");
    expect_error("model = sclp\nname = x\nbase = z15-32m\njunk\n",
                 "e.profile:4: expected 'key = value', got 'junk'");
    expect_error("model = sclp\n= 3\n", "e.profile:2: missing key before '='");
    expect_error("model = sclp\nname =\n", "e.profile:2: key 'name': missing value");
    char longl[700];
    memset(longl, 'a', sizeof(longl) - 1);
    longl[sizeof(longl) - 1] = '\0';
    expect_error(longl, "e.profile:1: line longer than");
    struct fw_profile p;
    char err[256];
    CU_ASSERT_EQUAL(fwp_parse_buffer("n", "model = sclp\0x", 14, &p, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "n:1: NUL byte"));
    CU_ASSERT_EQUAL(fwp_parse_file("/nonexistent/p.profile", &p, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/p.profile: No such file"));
}

static void test_parse_ok_values(void)
{
    const char *t = "# comment\n  model = phyp   # trailing comment\nname = t.1_x\n"
                    "base = phyp-default\nbusy-rc = -2\nbusy-count = 0x3\nrma-size = 256M\n"
                    "fault-cmd = 2\nfault-rc = -2147483648\ntoken = 0XFF\n";
    struct fw_profile p;
    char err[512] = "";
    CU_ASSERT_EQUAL_FATAL(fwp_parse_buffer("ok", t, strlen(t), &p, err, sizeof(err)), 0);
    const struct phyp_profile *ph = fwp_phyp(&p);
    CU_ASSERT_STRING_EQUAL(ph->name, "t.1_x");
    CU_ASSERT_STRING_EQUAL(p.base, "phyp-default");
    CU_ASSERT_STRING_EQUAL(p.source, "ok");
    CU_ASSERT_EQUAL(ph->busy_rc, -2);
    CU_ASSERT_EQUAL(ph->busy_count, 3);
    CU_ASSERT_EQUAL(ph->rma_size, 256ull << 20);
    CU_ASSERT_EQUAL(ph->fault.cmd, PHYP_CMD_UNREGISTER);
    CU_ASSERT_EQUAL(ph->fault.rc, INT32_MIN);
    CU_ASSERT_EQUAL(ph->token, 0xff);
    CU_ASSERT_TRUE(ph->strict_sections);    /* from the base */
    char d[512];
    struct fw_profile b;
    fwp_builtin(FWP_PHYP, "phyp-default", &b);
    CU_ASSERT_EQUAL(fwp_diff(&b, &p, d, sizeof(d)), 6);
    /* full-width unsigned values */
    const char *t2 = "model = sclp\nname = w\nbase = z15-32m\nfacilities = 0xffffffffffffffff\n"
                     "sclp-send-mask = 18446744073709551615\nhsa-size = 4G\n";
    CU_ASSERT_EQUAL_FATAL(fwp_parse_buffer("w", t2, strlen(t2), &p, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(p.sclp.facilities, UINT64_MAX);
    CU_ASSERT_EQUAL(p.sclp.sclp_send_mask, UINT64_MAX);
    CU_ASSERT_EQUAL(p.sclp.hsa_size, 4ull << 30);
    expect_error("model = sclp\nname = w\nbase = z15-32m\nincrement-mb = 0\n",
                 "e.profile:4: key 'increment-mb': 0 out of range (1..4294967295)");
    CU_ASSERT_PTR_NOT_NULL(strstr(d, "busy-count: 0 -> 3"));
    CU_ASSERT_PTR_NOT_NULL(strstr(d, "rma-size: 0 -> 256M"));
    CU_ASSERT_PTR_NOT_NULL(strstr(d, "fault-cmd: any -> unregister"));
}

static void test_resolve(void)
{
    char dir[4096], err[1024];
    profiles_dir(dir, sizeof(dir));
    struct fw_profile p;
    /* NAME -> data file */
    CU_ASSERT_EQUAL_FATAL(fwp_resolve("hsa-64m", dir, SCN_ARCH_S390X, &p, err, sizeof(err)), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(p.source, "s390x/hsa-64m.profile"));
    CU_ASSERT_EQUAL(p.sclp.hsa_size, 64u << 20);
    /* qemu-7.2 exists for both models: the arch picks */
    CU_ASSERT_EQUAL(fwp_resolve("qemu-7.2", dir, SCN_ARCH_PPC64, &p, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(p.model, FWP_PHYP);
    CU_ASSERT_FALSE(p.phyp.supported);
    /* NULL -> the model's default */
    CU_ASSERT_EQUAL(fwp_resolve(NULL, dir, SCN_ARCH_PPC64, &p, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(p.name, "phyp-default");
    /* no data file -> built-in */
    CU_ASSERT_EQUAL(fwp_resolve("busy-ext", tmp, SCN_ARCH_PPC64, &p, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(p.source, "");
    CU_ASSERT_EQUAL(p.phyp.busy_rc, 9901);
    CU_ASSERT_EQUAL(fwp_resolve("nope", dir, SCN_ARCH_S390X, &p, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "unknown s390x firmware profile 'nope'"));
    CU_ASSERT_EQUAL(fwp_resolve("../x", dir, SCN_ARCH_S390X, &p, err, sizeof(err)), -1);
    CU_ASSERT_EQUAL(fwp_resolve("z15-32m", dir, SCN_ARCH_X86_64, &p, err, sizeof(err)), -1);
    /* PATH, model must match the arch */
    char path[4200];
    snprintf(path, sizeof(path), "%s/hsa-16m.profile", tmp);
    const char *t = "model = sclp\nname = hsa-16m\nbase = z15-32m\nhsa-size = 16M\n";
    CU_ASSERT_EQUAL_FATAL(th_write_file(path, t, strlen(t)), 0);
    CU_ASSERT_EQUAL(fwp_resolve(path, dir, SCN_ARCH_S390X, &p, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(p.sclp.hsa_size, 16u << 20);
    CU_ASSERT_STRING_EQUAL(p.sclp.name, "hsa-16m");
    CU_ASSERT_EQUAL(fwp_resolve(path, dir, SCN_ARCH_PPC64, &p, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "model sclp profile, but the scenario is ppc64"));
}

static struct scenario *scn(const char *arch, const char *profile)
{
    char text[512];
    snprintf(text, sizeof(text), "scenario t\nmachine arch=%s memory=64M cpus=1%s%s\n"
             "dump method=%s\nstep boot\nexpect outcome complete\n", arch,
             profile ? " profile=" : "", profile ? profile : "",
             !strcmp(arch, "s390x") ? "zfcpdump" : !strcmp(arch, "ppc64") ? "fadump" : "kdump");
    struct scenario *s = NULL;
    struct scn_error e;
    if (scn_parse_buffer("t.scn", text, strlen(text), &s, &e) != 0)
        fprintf(stderr, "\n  %s\n", e.msg);
    return s;
}

static void test_prepare_run(void)
{
    char dir[4096], err[1024] = "", path[4200];
    profiles_dir(dir, sizeof(dir));
    struct run_result *res = malloc(sizeof(*res));
    struct fw_profile *p = malloc(sizeof(*p));
    CU_ASSERT_PTR_NOT_NULL_FATAL(res);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    struct scenario rs;
    bool have, over;
    struct scenario *s390 = scn("s390x", "hsa-64m"), *ppc = scn("ppc64", NULL),
                    *x86 = scn("x86_64", NULL), *odd = scn("s390x", "fake-ok");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s390);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ppc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x86);
    CU_ASSERT_PTR_NOT_NULL_FATAL(odd);
    /* scenario's own profile, from the data file, handed to the sim */
    run_result_init(res);
    CU_ASSERT_EQUAL(fwp_prepare_run(NULL, dir, s390, "sim", &rs, res, p, &have, &over, NULL,
                                    err, sizeof(err)), 0);
    CU_ASSERT_TRUE(have);
    CU_ASSERT_FALSE(over);
    CU_ASSERT_PTR_EQUAL(res->sclp_profile, &p->sclp);
    CU_ASSERT_PTR_NULL(res->phyp_profile);
    CU_ASSERT_EQUAL(res->sclp_profile->hsa_size, 64u << 20);
    /* --profile NAME for the other model: not applicable, own profile kept */
    run_result_init(res);
    CU_ASSERT_EQUAL(fwp_prepare_run("busy-3", dir, s390, "sim", &rs, res, p, &have, &over, NULL,
                                    err, sizeof(err)), 0);
    CU_ASSERT_FALSE(over);
    CU_ASSERT_STRING_EQUAL(rs.machine.profile, "hsa-64m");
    run_result_init(res);
    CU_ASSERT_EQUAL(fwp_prepare_run("busy-3", dir, ppc, "sim", &rs, res, p, &have, &over, NULL,
                                    err, sizeof(err)), 0);
    CU_ASSERT_TRUE(over);
    CU_ASSERT_EQUAL(res->phyp_profile->busy_count, 3);
    CU_ASSERT_STRING_EQUAL(res->phyp_profile->name, "busy-3");
    CU_ASSERT_STRING_EQUAL(rs.machine.profile, "busy-3");
    /* unknown --profile: an error; unknown scenario profile: left to the backend */
    run_result_init(res);
    CU_ASSERT_EQUAL(fwp_prepare_run("nope", dir, ppc, "sim", &rs, res, p, &have, &over, NULL,
                                    err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "--profile nope"));
    run_result_init(res);
    CU_ASSERT_EQUAL(fwp_prepare_run(NULL, dir, odd, "sim", &rs, res, p, &have, &over, NULL,
                                    err, sizeof(err)), 0);
    CU_ASSERT_FALSE(have);
    CU_ASSERT_PTR_NULL(res->sclp_profile);
    CU_ASSERT_STRING_EQUAL(rs.machine.profile, "fake-ok");
    /* x86_64: no model */
    run_result_init(res);
    CU_ASSERT_EQUAL(fwp_prepare_run("busy-3", dir, x86, "qemu", &rs, res, p, &have, &over, NULL,
                                    err, sizeof(err)), 0);
    CU_ASSERT_FALSE(have);
    /* qemu backends: only names QEMU knows; a file that differs is refused */
    snprintf(path, sizeof(path), "%s/hsa-64m.profile", tmp);
    const char *t = "model = sclp\nname = hsa-64m\nbase = hsa-64m\nvector = no\n";
    CU_ASSERT_EQUAL_FATAL(th_write_file(path, t, strlen(t)), 0);
    run_result_init(res);
    CU_ASSERT_EQUAL(fwp_prepare_run(path, dir, s390, "qemu", &rs, res, p, &have, &over, NULL,
                                    err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "differs from the built-in hsa-64m (vector: yes -> no)"));
    run_result_init(res);
    CU_ASSERT_EQUAL(fwp_prepare_run(path, dir, s390, "sim", &rs, res, p, &have, &over, NULL,
                                    err, sizeof(err)), 0);
    CU_ASSERT_FALSE(res->sclp_profile->vector);
    run_result_init(res);
    CU_ASSERT_EQUAL(fwp_prepare_run(NULL, dir, s390, "qemu", &rs, res, p, &have, &over, NULL,
                                    err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(rs.machine.profile, "hsa-64m");
    /* a broken data file for the scenario's profile is an error, not "unknown" */
    char pdir[4000];
    snprintf(pdir, sizeof(pdir), "%.3900s/pdir", tmp);
    CU_ASSERT_EQUAL_FATAL(mkdir(pdir, 0755), 0);
    snprintf(path, sizeof(path), "%s/s390x", pdir);
    CU_ASSERT_EQUAL_FATAL(mkdir(path, 0755), 0);
    snprintf(path, sizeof(path), "%s/s390x/hsa-64m.profile", pdir);
    const char *bad = "model = sclp\nname = hsa-64m\nbase = z15-32m\nfac42 = 0x100\n";
    CU_ASSERT_EQUAL_FATAL(th_write_file(path, bad, strlen(bad)), 0);
    run_result_init(res);
    CU_ASSERT_EQUAL(fwp_prepare_run(NULL, pdir, s390, "sim", &rs, res, p, &have, &over, NULL,
                                    err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "s390x/hsa-64m.profile:4: key 'fac42': 0x100 out of range"));
    scn_free(s390);
    scn_free(ppc);
    scn_free(x86);
    scn_free(odd);
    free(res);
    free(p);
}

static void test_phyp_validate_api(void)
{
    /* the model API the parser relies on */
    struct phyp_profile pr = *phyp_profile_find("phyp-default");
    char err[128];
    CU_ASSERT_EQUAL(phyp_profile_validate(&pr, err, sizeof(err)), PHYP_OK);
    pr.rmr_align = 3;
    CU_ASSERT_EQUAL(phyp_profile_validate(&pr, err, sizeof(err)), PHYP_ERR_INVALID);
}

int register_profile_tests(void)
{
    CU_pSuite s = CU_add_suite("profile", setup, teardown);
    if (!s)
        return -1;
    struct { const char *n; CU_TestFunc f; } t[] = {
        { "data files equal the built-ins field for field", test_data_files_equal_builtins },
        { "write/parse round trip of every built-in", test_write_round_trip },
        { "every key changes exactly its field", test_every_key_maps_to_one_field },
        { "errors name FILE:LINE and the key", test_parse_errors },
        { "values: comments, hex, sizes, negatives, base", test_parse_ok_values },
        { "resolve NAME / PATH / built-in per arch", test_resolve },
        { "runner: override, n/a, qemu name-only", test_prepare_run },
        { "phyp_profile_validate", test_phyp_validate_api },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (!CU_add_test(s, t[i].n, t[i].f))
            return -1;
    return 0;
}
