/*
 * Profiles, UNREGISTER / INVALIDATE, unknown commands, busy replies, fault
 * injection, the argument-array form, and the static /rtas properties.
 */
#include <string.h>

#include "helpers.h"

static int32_t cmd(struct fx *f, uint32_t c)
{
    return phyp_configure_kernel_dump(f->p, 3, 1, c, T_FDM, 440);
}

static void test_profile_lookup(void)
{
    const char *names[] = {"phyp-default", "qemu-10.2", "strict-size", "busy-3",
                           "busy-ext", "qemu-7.2", "phyp-2008"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const struct phyp_profile *p = phyp_profile_find(names[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        CU_ASSERT_STRING_EQUAL(p->name, names[i]);
        CU_ASSERT_PTR_EQUAL(phyp_profile_at(i), p);
    }
    CU_ASSERT_PTR_NULL(phyp_profile_at(7));
    CU_ASSERT_PTR_NULL(phyp_profile_find("phyp"));
    CU_ASSERT_PTR_NULL(phyp_profile_find(NULL));
    CU_ASSERT_TRUE(phyp_profile_find("qemu-10.2")->invalidate_idle_ok);
    CU_ASSERT_FALSE(phyp_profile_find("phyp-default")->invalidate_idle_ok);
    CU_ASSERT_TRUE(phyp_profile_find("strict-size")->strict_size);
    CU_ASSERT_EQUAL(phyp_profile_find("busy-3")->busy_count, 3);
    CU_ASSERT_EQUAL(phyp_profile_find("busy-3")->busy_rc, -2);
    CU_ASSERT_FALSE(phyp_profile_find("qemu-7.2")->supported);
    CU_ASSERT_EQUAL(phyp_profile_find("phyp-default")->max_sections, 10);
}

static void test_profile_cpu_size(void)
{
    struct testhost *th = testhost_new(TH_PPC64, T_MEM, 2);
    struct phyp_profile prof = *phyp_profile_find("phyp-default");
    CU_ASSERT_EQUAL(phyp_profile_cpu_state_size(&prof, &th->host), 0xA00);
    prof.max_cpus = 4;
    CU_ASSERT_EQUAL(phyp_profile_cpu_state_size(&prof, &th->host), 0x13E0);
    prof.max_cpus = 1;
    CU_ASSERT_EQUAL(phyp_profile_cpu_state_size(&prof, &th->host), 0x510);
    testhost_free(th);
}

static void test_new_rejects_bad_profile(void)
{
    struct testhost *th = testhost_new(TH_PPC64, T_MEM, 2);
    struct phyp_profile prof = *phyp_profile_find("phyp-default");
    CU_ASSERT_PTR_NULL(phyp_new(NULL, &prof));
    CU_ASSERT_PTR_NULL(phyp_new(&th->host, NULL));
    prof.max_sections = 0;
    CU_ASSERT_PTR_NULL(phyp_new(&th->host, &prof));
    prof.max_sections = PHYP_MAX_SECTIONS_LIMIT + 1;
    CU_ASSERT_PTR_NULL(phyp_new(&th->host, &prof));
    prof = *phyp_profile_find("phyp-default");
    prof.version_min = 2;
    CU_ASSERT_PTR_NULL(phyp_new(&th->host, &prof));
    prof = *phyp_profile_find("phyp-default");
    prof.busy_count = 1;
    prof.busy_rc = -4;
    CU_ASSERT_PTR_NULL(phyp_new(&th->host, &prof));
    prof.busy_rc = 9906;
    CU_ASSERT_PTR_NULL(phyp_new(&th->host, &prof));
    prof.busy_rc = 9905;
    struct phyp *p = phyp_new(&th->host, &prof);
    CU_ASSERT_PTR_NOT_NULL(p);
    phyp_free(p);
    prof = *phyp_profile_find("phyp-default");
    prof.rmr_align = 3000;
    CU_ASSERT_PTR_NULL(phyp_new(&th->host, &prof));
    testhost_free(th);
}

static void test_profile_validate(void)
{
    char err[128] = "";
    for (size_t i = 0; phyp_profile_at(i); i++) {
        CU_ASSERT_EQUAL(phyp_profile_validate(phyp_profile_at(i), err, sizeof(err)), PHYP_OK);
    }
    CU_ASSERT_EQUAL(phyp_profile_validate(NULL, err, sizeof(err)), PHYP_ERR_INVALID);
    struct phyp_profile prof = *phyp_profile_find("phyp-default");
    prof.max_sections = 0;
    CU_ASSERT_EQUAL(phyp_profile_validate(&prof, err, sizeof(err)), PHYP_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "max_sections"));
    prof = *phyp_profile_find("phyp-default");
    prof.version_min = 2;
    CU_ASSERT_EQUAL(phyp_profile_validate(&prof, err, sizeof(err)), PHYP_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "version_min"));
    prof = *phyp_profile_find("phyp-default");
    prof.busy_count = 2;
    prof.busy_rc = -3;
    CU_ASSERT_EQUAL(phyp_profile_validate(&prof, err, sizeof(err)), PHYP_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "busy_rc"));
    prof.busy_rc = 9900;
    CU_ASSERT_EQUAL(phyp_profile_validate(&prof, NULL, 0), PHYP_OK);
    prof.rmr_align = 0x1800;
    CU_ASSERT_EQUAL(phyp_profile_validate(&prof, err, sizeof(err)), PHYP_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "rmr_align"));
    prof = *phyp_profile_find("phyp-default");
    prof.hpte_mode = (enum phyp_hpte_mode)7;
    CU_ASSERT_EQUAL(phyp_profile_validate(&prof, err, 4), PHYP_ERR_INVALID);
    CU_ASSERT_EQUAL(strlen(err), 3);    /* truncated, terminated */
}

static void test_unregister(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    CU_ASSERT_EQUAL(cmd(&f, PHYP_CMD_UNREGISTER), PHYP_RTAS_SUCCESS);   /* idle: 0 */
    assert_idle(&f);
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(cmd(&f, PHYP_CMD_UNREGISTER), PHYP_RTAS_SUCCESS);
    assert_idle(&f);
    /* os-term after UNREGISTER is a plain panic. */
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_PANIC);
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    fx_fini(&f);
}

static void test_unregister_dump_active(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_DUMP);
    CU_ASSERT_EQUAL(cmd(&f, PHYP_CMD_UNREGISTER), PHYP_RTAS_DUMP_ACTIVE);
    CU_ASSERT_TRUE(phyp_dump_active(f.p));
    size_t len;
    CU_ASSERT_EQUAL(phyp_kernel_dump_property(f.p, NULL, 0, &len), PHYP_ERR_NOSPC);
    CU_ASSERT_EQUAL(len, 160);
    fx_fini(&f);
}

static void test_invalidate_active(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_DUMP);
    CU_ASSERT_EQUAL(cmd(&f, PHYP_CMD_INVALIDATE), PHYP_RTAS_SUCCESS);
    assert_idle(&f);
    CU_ASSERT_EQUAL(phyp_preserved_remaining(f.p), 0);
    fx_fini(&f);
}

static void test_invalidate_strict(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    CU_ASSERT_EQUAL(cmd(&f, PHYP_CMD_INVALIDATE), PHYP_RTAS_PARAM_ERROR);
    assert_idle(&f);
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(cmd(&f, PHYP_CMD_INVALIDATE), PHYP_RTAS_PARAM_ERROR);
    CU_ASSERT_TRUE(phyp_is_registered(f.p));   /* registration kept */
    CU_ASSERT_EQUAL(phyp_fdm_addr(f.p), T_FDM);
    fx_fini(&f);
}

static void test_invalidate_qemu_quirk(void)
{
    struct fx f;
    fx_init(&f, "qemu-10.2");
    CU_ASSERT_EQUAL(cmd(&f, PHYP_CMD_INVALIDATE), PHYP_RTAS_SUCCESS);
    assert_idle(&f);
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(cmd(&f, PHYP_CMD_INVALIDATE), PHYP_RTAS_SUCCESS);
    assert_idle(&f);    /* Q1: the live registration is silently dropped */
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_PANIC);
    fx_fini(&f);
}

static void test_unknown_command(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(cmd(&f, 0), PHYP_RTAS_PARAM_ERROR);
    CU_ASSERT_EQUAL(cmd(&f, 4), PHYP_RTAS_PARAM_ERROR);
    CU_ASSERT_EQUAL(cmd(&f, 0xffffffffu), PHYP_RTAS_PARAM_ERROR);
    CU_ASSERT_TRUE(phyp_is_registered(f.p));
    fx_fini(&f);
}

static void test_reregister_cycle(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    for (int round = 0; round < 3; round++) {
        testhost_pattern(f.th, 0, T_RMR_LEN, (uint32_t)round + 7);
        CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
        CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_DUMP);
        CU_ASSERT_EQUAL(memcmp(f.th->mem + T_RMR_DST, f.th->mem, T_RMR_LEN), 0);
        CU_ASSERT_EQUAL(cmd(&f, PHYP_CMD_INVALIDATE), PHYP_RTAS_SUCCESS);
        assert_idle(&f);
    }
    fx_fini(&f);
}

static void test_rtas_call_array(void)
{
    struct fx f;
    uint32_t rets[1] = {0x55};
    fx_init(&f, "phyp-default");
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    uint32_t args[3] = {PHYP_CMD_REGISTER, (uint32_t)T_FDM, 160};
    CU_ASSERT_EQUAL(phyp_rtas_call(f.p, 2, args, 1, rets), PHYP_RTAS_PARAM_ERROR);
    CU_ASSERT_EQUAL(rets[0], (uint32_t)-3);
    assert_idle(&f);
    CU_ASSERT_EQUAL(phyp_rtas_call(f.p, 3, args, 1, rets), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(rets[0], 0);
    CU_ASSERT_EQUAL(phyp_rtas_call(f.p, 3, args, 1, rets), PHYP_RTAS_ALREADY_REGISTERED);
    CU_ASSERT_EQUAL(rets[0], (uint32_t)-9);
    fx_fini(&f);
}

static void test_unsupported(void)
{
    struct fx f;
    uint8_t buf[32];
    size_t len = 9;
    fx_init(&f, "qemu-7.2");
    CU_ASSERT_EQUAL(phyp_get_state(f.p), PHYP_STATE_UNSUPPORTED);
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_PARAM_ERROR);
    CU_ASSERT_EQUAL(phyp_get_state(f.p), PHYP_STATE_UNSUPPORTED);
    CU_ASSERT_EQUAL(phyp_token_property(f.p, buf, sizeof(buf), &len), PHYP_ERR_STATE);
    CU_ASSERT_EQUAL(len, 0);
    CU_ASSERT_EQUAL(phyp_sizes_property(f.p, buf, sizeof(buf), &len), PHYP_ERR_STATE);
    CU_ASSERT_EQUAL(phyp_version_property(f.p, buf, sizeof(buf), &len), PHYP_ERR_STATE);
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_PANIC);
    fx_fini(&f);
}

static void test_busy_minus2(void)
{
    struct fx f;
    fx_init(&f, "busy-3");
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    for (int i = 0; i < 3; i++) {
        CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_BUSY);
        assert_idle(&f);
    }
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_SUCCESS);
    CU_ASSERT_TRUE(phyp_is_registered(f.p));
    /* The next command sees three busy replies again. */
    for (int i = 0; i < 3; i++) {
        CU_ASSERT_EQUAL(cmd(&f, PHYP_CMD_UNREGISTER), PHYP_RTAS_BUSY);
        CU_ASSERT_TRUE(phyp_is_registered(f.p));
    }
    CU_ASSERT_EQUAL(cmd(&f, PHYP_CMD_UNREGISTER), PHYP_RTAS_SUCCESS);
    assert_idle(&f);
    fx_fini(&f);
}

static void test_busy_extended(void)
{
    struct fx f;
    fx_init(&f, "busy-ext");
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    CU_ASSERT_EQUAL(do_reg(&f, 160), 9901);
    CU_ASSERT_EQUAL(do_reg(&f, 160), 9901);
    assert_idle(&f);
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_SUCCESS);
    fx_fini(&f);
}

static void test_fault_injection(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    phyp_inject_fault(f.p, PHYP_CMD_REGISTER, PHYP_RTAS_HW_ERROR, 2);
    CU_ASSERT_EQUAL(cmd(&f, PHYP_CMD_UNREGISTER), PHYP_RTAS_SUCCESS);  /* other cmd */
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_HW_ERROR);
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_HW_ERROR);
    assert_idle(&f);
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_SUCCESS);
    /* Forced -3 / -9 for any command, once each. */
    phyp_inject_fault(f.p, 0, PHYP_RTAS_PARAM_ERROR, 1);
    CU_ASSERT_EQUAL(cmd(&f, PHYP_CMD_UNREGISTER), PHYP_RTAS_PARAM_ERROR);
    CU_ASSERT_TRUE(phyp_is_registered(f.p));
    phyp_inject_fault(f.p, 0, PHYP_RTAS_ALREADY_REGISTERED, 1);
    CU_ASSERT_EQUAL(cmd(&f, PHYP_CMD_UNREGISTER), PHYP_RTAS_ALREADY_REGISTERED);
    CU_ASSERT_TRUE(phyp_is_registered(f.p));
    CU_ASSERT_EQUAL(cmd(&f, PHYP_CMD_UNREGISTER), PHYP_RTAS_SUCCESS);
    assert_idle(&f);
    fx_fini(&f);
}

static void test_profile_fault(void)
{
    struct fx f;
    struct phyp_profile prof = *phyp_profile_find("phyp-default");
    prof.fault = (struct phyp_fault){PHYP_CMD_REGISTER, PHYP_RTAS_ALREADY_REGISTERED, 1};
    fx_init_prof(&f, &prof, T_MEM, T_NCPUS);
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_ALREADY_REGISTERED);
    assert_idle(&f);
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    fx_fini(&f);
}

static void test_machine_reset(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    phyp_machine_reset(f.p);
    CU_ASSERT_TRUE(phyp_is_registered(f.p));     /* QEMU keeps it */
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_ALREADY_REGISTERED);
    fx_fini(&f);
    struct phyp_profile prof = *phyp_profile_find("phyp-default");
    prof.reset_drops_registration = true;
    fx_init_prof(&f, &prof, T_MEM, T_NCPUS);
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    phyp_machine_reset(f.p);
    assert_idle(&f);
    fx_fini(&f);
}

static void test_sizes_property(void)
{
    struct fx f;
    uint8_t buf[24], exp[24];
    size_t len = 0;
    fx_init(&f, "phyp-default");
    CU_ASSERT_EQUAL(phyp_sizes_property(f.p, buf, sizeof(buf), &len), PHYP_OK);
    CU_ASSERT_EQUAL(len, 24);
    hex2bin("00000001 00000000 00000a00 00000002 00000000 00000000", exp, sizeof(exp));
    CU_ASSERT_EQUAL(memcmp(buf, exp, 24), 0);
    CU_ASSERT_EQUAL(phyp_sizes_property(f.p, buf, 23, &len), PHYP_ERR_NOSPC);
    CU_ASSERT_EQUAL(len, 24);
    fx_fini(&f);
    fx_init(&f, "phyp-2008");
    CU_ASSERT_EQUAL(phyp_sizes_property(f.p, buf, sizeof(buf), &len), PHYP_OK);
    hex2bin("00000001 00000000 00000a00 00000002 00000000 00001000", exp, sizeof(exp));
    CU_ASSERT_EQUAL(memcmp(buf, exp, 24), 0);
    fx_fini(&f);
}

static void test_version_token_property(void)
{
    struct fx f;
    uint8_t buf[8];
    size_t len = 0;
    static const uint8_t be[4] = {0x00, 0x01, 0x00, 0x01};
    static const uint8_t le[4] = {0x01, 0x00, 0x01, 0x00};
    static const uint8_t tok[4] = {0x00, 0x00, 0x20, 0x2D};
    fx_init(&f, "phyp-default");
    CU_ASSERT_EQUAL(phyp_version_property(f.p, buf, sizeof(buf), &len), PHYP_OK);
    CU_ASSERT_EQUAL(len, 4);
    CU_ASSERT_EQUAL(memcmp(buf, be, 4), 0);
    CU_ASSERT_EQUAL(phyp_token_property(f.p, buf, sizeof(buf), &len), PHYP_OK);
    CU_ASSERT_EQUAL(len, 4);
    CU_ASSERT_EQUAL(memcmp(buf, tok, 4), 0);
    CU_ASSERT_EQUAL(phyp_token_property(f.p, buf, 3, &len), PHYP_ERR_NOSPC);
    fx_fini(&f);
    fx_init(&f, "qemu-10.2");
    CU_ASSERT_EQUAL(phyp_version_property(f.p, buf, sizeof(buf), &len), PHYP_OK);
    CU_ASSERT_EQUAL(memcmp(buf, le, 4), 0);      /* Q8 */
    fx_fini(&f);
}

static CU_TestInfo command_tests[] = {
    {"profile lookup by name", test_profile_lookup},
    {"CPU state size 0x20 + n*0x4F0", test_profile_cpu_size},
    {"phyp_new rejects invalid profiles", test_new_rejects_bad_profile},
    {"phyp_profile_validate names the bad field", test_profile_validate},
    {"UNREGISTER idle/registered -> 0", test_unregister},
    {"UNREGISTER with dump active -> -10", test_unregister_dump_active},
    {"INVALIDATE active dump -> 0, idle", test_invalidate_active},
    {"INVALIDATE without dump -> -3 (strict)", test_invalidate_strict},
    {"INVALIDATE without dump -> 0 (qemu-10.2 Q1)", test_invalidate_qemu_quirk},
    {"unknown command -> -3", test_unknown_command},
    {"register/dump/invalidate cycles", test_reregister_cycle},
    {"RTAS argument-array form", test_rtas_call_array},
    {"unsupported firmware (qemu-7.2)", test_unsupported},
    {"busy -2 three times then success", test_busy_minus2},
    {"extended busy 9901", test_busy_extended},
    {"injected faults -1/-3/-9", test_fault_injection},
    {"profile-level fault", test_profile_fault},
    {"machine reset keeps/drops registration", test_machine_reset},
    {"-sizes property bytes", test_sizes_property},
    {"-version and token property bytes", test_version_token_property},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"commands", NULL, NULL, NULL, NULL, command_tests},
    CU_SUITE_INFO_NULL,
};

void add_command_suite(void)
{
    CU_register_suites(suites);
}
