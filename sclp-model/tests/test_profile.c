/* Firmware profiles and model lifecycle. */
#include "helpers.h"

static void t_builtin_lookup(void)
{
    const struct sclp_profile *d = sclp_profile_default();
    CU_ASSERT_STRING_EQUAL(d->name, "z15-32m");
    CU_ASSERT_EQUAL(d->hsa_size, 32 * MiB);
    CU_ASSERT_TRUE(d->dump_installed);
    CU_ASSERT_PTR_EQUAL(sclp_profile_lookup("z15-32m"), d);
    CU_ASSERT_EQUAL(sclp_profile_lookup("hsa-64m")->hsa_size, 64 * MiB);
    CU_ASSERT_EQUAL(sclp_profile_lookup("hsa-512m")->hsa_size, 512 * MiB);
    const struct sclp_profile *nd = sclp_profile_lookup("no-dump");
    CU_ASSERT_PTR_NOT_NULL_FATAL(nd);
    CU_ASSERT_FALSE(nd->dump_installed);
    CU_ASSERT_EQUAL(nd->hsa_size, 32 * MiB);
    const struct sclp_profile *q = sclp_profile_lookup("qemu-7.2");
    CU_ASSERT_PTR_NOT_NULL_FATAL(q);
    CU_ASSERT_EQUAL(q->hsa_size, 0);
    CU_ASSERT_FALSE(q->sdias);
    CU_ASSERT_FALSE(q->dump_supported);
    CU_ASSERT_PTR_NULL(sclp_profile_lookup("z99"));
    CU_ASSERT_PTR_NULL(sclp_profile_lookup(NULL));
    CU_ASSERT_EQUAL(sclp_profile_count(), 5);
    CU_ASSERT_PTR_NULL(sclp_profile_at(5));
    for (unsigned i = 0; i < sclp_profile_count(); i++) {
        CU_ASSERT_EQUAL(sclp_profile_validate(sclp_profile_at(i), NULL, 0), SCLP_OK);
    }
}

static void t_custom_profile(void)
{
    struct sclp_profile p;
    char err[128] = "";
    CU_ASSERT_EQUAL(sclp_profile_init_custom(&p, "hsa-8m", 8 * MiB), SCLP_OK);
    CU_ASSERT_STRING_EQUAL(p.name, "hsa-8m");
    CU_ASSERT_EQUAL(p.hsa_size, 8 * MiB);
    CU_ASSERT_TRUE(p.dump_installed);
    CU_ASSERT_EQUAL(sclp_profile_init_custom(&p, "odd", 4097), SCLP_E_INVAL);
    CU_ASSERT_EQUAL(sclp_profile_init_custom(&p, "huge", 8ull << 30), SCLP_E_INVAL);
    CU_ASSERT_EQUAL(sclp_profile_init_custom(&p,
                    "a-name-that-is-way-too-long-for-the-field", 0), SCLP_E_INVAL);
    sclp_profile_init_custom(&p, "x", 0);
    p.increment_mb = 3;
    CU_ASSERT_EQUAL(sclp_profile_validate(&p, err, sizeof(err)), SCLP_E_INVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "increment"));
    sclp_profile_init_custom(&p, "x", 0);
    p.sdias_rc = SCLP_RC_NORMAL_COMPLETION;
    CU_ASSERT_EQUAL(sclp_profile_validate(&p, NULL, 0), SCLP_E_INVAL);
}

static void t_new_rejects_bad_args(void)
{
    struct testhost *th = testhost_new(TH_S390X, 1 * MiB, 1);
    struct sclp_profile p;
    sclp_profile_init_custom(&p, "x", 0);
    p.hsa_size = 123;
    CU_ASSERT_PTR_NULL(sclp_new(NULL, NULL));
    CU_ASSERT_PTR_NULL(sclp_new(&th->host, &p));
    struct sclp *s = sclp_new(&th->host, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(sclp_get_profile(s)->name, "z15-32m");
    CU_ASSERT_EQUAL(sclp_get_state(s), SCLP_STATE_RUNNING);
    CU_ASSERT_EQUAL(sclp_hsa_pages(s), 0);
    sclp_free(s);
    sclp_free(NULL);
    testhost_free(th);
}

static void t_state_names(void)
{
    CU_ASSERT_STRING_EQUAL(sclp_state_name(SCLP_STATE_RUNNING), "RUNNING");
    CU_ASSERT_STRING_EQUAL(sclp_state_name(SCLP_STATE_DUMP_KERNEL), "DUMP_KERNEL");
    CU_ASSERT_STRING_EQUAL(sclp_state_name(SCLP_STATE_HSA_RELEASED), "HSA_RELEASED");
}

/* Two models on two hosts do not share state (no globals). */
static void t_independent_instances(void)
{
    struct fx a, b;
    fx_init(&a, NULL, 4 * MiB, 1);
    fx_init(&b, NULL, 4 * MiB, 1);
    CU_ASSERT_EQUAL(fx_trigger_dump(&a), SCLP_ACT_DUMP_IPL);
    CU_ASSERT_EQUAL(sclp_get_state(a.s), SCLP_STATE_DUMP_KERNEL);
    CU_ASSERT_EQUAL(sclp_get_state(b.s), SCLP_STATE_RUNNING);
    CU_ASSERT_EQUAL(sclp_hsa_pages(b.s), 0);
    CU_ASSERT_FALSE(sclp_get_iplb(b.s, NULL, NULL));
    fx_fini(&a);
    fx_fini(&b);
}

static const struct tcase tests[] = {
    { "builtin profiles by name", t_builtin_lookup },
    { "custom profile validation", t_custom_profile },
    { "sclp_new argument checks", t_new_rejects_bad_args },
    { "state names", t_state_names },
    { "instances are independent", t_independent_instances },
    { NULL, NULL },
};

void register_profile_tests(void)
{
    ADD_SUITE("profile", tests);
}
