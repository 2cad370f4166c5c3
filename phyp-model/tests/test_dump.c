/*
 * Dump-time processing at ibm,os-term and the ibm,kernel-dump property
 * (spec 2.5, 2.6, 3.3, 6.3, 6.5).
 */
#include <string.h>

#include <dumpbench/be.h>

#include "helpers.h"

static void set_regs(struct db_ppc64_cpu *c, uint64_t base)
{
    for (unsigned i = 0; i < 32; i++) {
        c->gpr[i] = base + i;
    }
    c->nia = 0xc000000000001234ull;
    c->msr = 0x8000000000001033ull;
    c->ctr = base + 0x11;
    c->lr = base + 0x22;
    c->xer = 0x20000000;
    c->cr = 0x44000022;
    c->dar = 0xdeadbeef00;
    c->dsisr = 0x42000000;
    c->srr0 = 0x77;
    c->srr1 = 0x88;
    c->pir = base >> 8;
    c->pvr = 0x004e1202;
    c->fpscr = 0xaa;
}

static uint16_t sec_flags(const uint8_t *fdm, unsigned i)
{
    return db_ld_be16(fdm + 0x28 + 0x28 * i + PHYP_SEC_ERROR_FLAGS);
}

static uint64_t sec_dumped(const uint8_t *fdm, unsigned i)
{
    return db_ld_be64(fdm + 0x28 + 0x28 * i + PHYP_SEC_BYTES_DUMPED);
}

static size_t get_prop(struct fx *f, uint8_t *buf, size_t cap)
{
    size_t len = 0;
    CU_ASSERT_EQUAL(phyp_kernel_dump_property(f->p, buf, cap, &len), PHYP_OK);
    return len;
}

static void test_osterm_idle(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    unsigned w = f.th->writes;
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_PANIC);
    assert_idle(&f);
    CU_ASSERT_EQUAL(f.th->writes, w);
    CU_ASSERT_FALSE(f.th->ppc[0].stopped);
    fx_fini(&f);
}

static void test_osterm_copies_memory(void)
{
    struct fx f;
    uint8_t prop[160];
    fx_init(&f, "phyp-default");
    testhost_pattern(f.th, 0, T_RMR_LEN, 0x1234);
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    /* The structure itself lies in the source; snapshot the source now. */
    static uint8_t before[T_RMR_LEN];
    memcpy(before, f.th->mem, T_RMR_LEN);
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_DUMP);
    CU_ASSERT_TRUE(phyp_dump_active(f.p));
    CU_ASSERT_FALSE(phyp_is_registered(f.p));
    CU_ASSERT_EQUAL(memcmp(f.th->mem + T_RMR_DST, before, T_RMR_LEN), 0);
    for (unsigned i = 0; i < T_NCPUS; i++) {
        CU_ASSERT_TRUE(f.th->ppc[i].stopped);
    }
    size_t len = get_prop(&f, prop, sizeof(prop));
    CU_ASSERT_EQUAL(len, 160);
    CU_ASSERT_EQUAL(db_ld_be16(prop + PHYP_FDM_STATUS), 0xC000);
    CU_ASSERT_EQUAL(sec_flags(prop, 0), 0);
    CU_ASSERT_EQUAL(sec_flags(prop, 1), 0);
    CU_ASSERT_EQUAL(sec_flags(prop, 2), 0);
    CU_ASSERT_EQUAL(sec_dumped(prop, 0), T_CPU_SIZE);
    CU_ASSERT_EQUAL(sec_dumped(prop, 1), 0);    /* HPTE not implemented */
    CU_ASSERT_EQUAL(sec_dumped(prop, 2), T_RMR_LEN);
    fx_fini(&f);
}

static void test_preserved_copy_stable(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    testhost_pattern(f.th, 0x100000, 0x1000, 99);
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_DUMP);
    /* The capture kernel / firmware reload overwrite the source afterwards. */
    memset(f.th->mem + 0x100000, 0x5A, 0x1000);
    for (uint64_t i = 0; i < 0x1000; i++) {
        if (f.th->mem[T_RMR_DST + 0x100000 + i] != testhost_pattern_byte(0x100000 + i, 99)) {
            CU_FAIL("preserved copy changed");
            break;
        }
    }
    /* A second os-term while the dump is active keeps the first dump. */
    unsigned w = f.th->writes;
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_PANIC);
    CU_ASSERT_EQUAL(f.th->writes, w);
    CU_ASSERT_EQUAL(f.th->mem[T_RMR_DST + 0x100000], testhost_pattern_byte(0x100000, 99));
    CU_ASSERT_TRUE(phyp_dump_active(f.p));
    fx_fini(&f);
}

static void test_kernel_dump_property_bytes(void)
{
    struct fx f;
    uint8_t prop[200], exp[160];
    fx_init(&f, "phyp-default");
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_DUMP);
    size_t len = get_prop(&f, prop, sizeof(prop));
    CU_ASSERT_EQUAL_FATAL(len, 160);
    hex2bin("00000001 0003 c000 00000028 00000000 0000000000000000 0000000000000000"
            " 00000000 00000000"
            "00000001 0001 0000 0000000000000000 0000000000000a00 0000000000000a00 0000000002000000"
            "00000001 0002 0000 0000000000000000 0000000000000000 0000000000000000 0000000002000a00"
            "00000001 0011 0000 0000000000000000 0000000000400000 0000000000400000 0000000002001000",
            exp, sizeof(exp));
    CU_ASSERT_EQUAL(memcmp(prop, exp, 160), 0);
    /* Same bytes through the registered-fdm query; small buffer -> NOSPC. */
    uint8_t fdm[160];
    CU_ASSERT_EQUAL(phyp_registered_fdm(f.p, fdm, sizeof(fdm), &len), PHYP_OK);
    CU_ASSERT_EQUAL(memcmp(fdm, exp, 160), 0);
    CU_ASSERT_EQUAL(phyp_kernel_dump_property(f.p, prop, 159, &len), PHYP_ERR_NOSPC);
    CU_ASSERT_EQUAL(len, 160);
    fx_fini(&f);
}

/* Independent expected register save area for one CPU (spec 2.6 order). */
static void expect_cpu_block(uint8_t *e, const struct db_ppc64_cpu *c)
{
    static const char *const pre[] = {
        "CPUSTRT", "ACOP", "AMR", "BESCR", "CFAR", "CIABR", "CR", "CTR", "CTRL", "DABR",
        "DABRX", "DAR", "DAWR0", "DAWR1", "DAWRX0", "DAWRX1", "DPDES", "DSCR", "DSISR",
        "EBBHR", "EBBRR", "FPSCR", "FSCR"};
    static const char *const post[] = {
        "IAMR", "IC", "LR", "MSR", "NIA", "PIR", "PSPB", "PVR", "RPR", "SPURR", "SRR0",
        "SRR1", "TAR", "TEXASR", "TFHAR", "TFIAR", "TIR", "UAMOR", "VRSAVE", "VSCR",
        "VTB", "WORT", "XER", "CPUEND"};
    char name[9];
    unsigned k = 0;
    for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]) + 32 + sizeof(post) / sizeof(post[0]); i++) {
        uint64_t v = 0;
        if (i < 23) {
            strcpy(name, pre[i]);
        } else if (i < 55) {
            name[0] = 'G'; name[1] = 'P'; name[2] = 'R';
            name[3] = (char)('0' + (i - 23) / 10);
            name[4] = (char)('0' + (i - 23) % 10);
            name[5] = 0;
            v = c->gpr[i - 23];
        } else {
            strcpy(name, post[i - 55]);
        }
        if (!strcmp(name, "CPUSTRT") || !strcmp(name, "CPUEND")) v = c->cpu_id;
        else if (!strcmp(name, "CR")) v = c->cr;
        else if (!strcmp(name, "CTR")) v = c->ctr;
        else if (!strcmp(name, "DAR")) v = c->dar;
        else if (!strcmp(name, "DSISR")) v = c->dsisr;
        else if (!strcmp(name, "FPSCR")) v = c->fpscr;
        else if (!strcmp(name, "LR")) v = c->lr;
        else if (!strcmp(name, "MSR")) v = c->msr;
        else if (!strcmp(name, "NIA")) v = c->nia;
        else if (!strcmp(name, "PIR")) v = c->pir;
        else if (!strcmp(name, "PVR")) v = c->pvr;
        else if (!strcmp(name, "SRR0")) v = c->srr0;
        else if (!strcmp(name, "SRR1")) v = c->srr1;
        else if (!strcmp(name, "XER")) v = c->xer;
        memset(e + 16 * k, 0, 8);
        memcpy(e + 16 * k, name, strlen(name));
        db_st_be64(e + 16 * k + 8, v);
        k++;
    }
    CU_ASSERT_EQUAL(k, 79);
}

static void test_regsave_golden_1cpu(void)
{
    struct fx f;
    fx_init_prof(&f, phyp_profile_find("phyp-default"), T_MEM, 1);
    set_regs(&f.th->ppc[0], 0x1000);
    struct tsec s[3];
    std_sections(s, 0x510, 0);
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    memset(f.th->mem + T_AREA, 0xCC, 0x510);    /* tail must become zero */
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_DUMP);
    const uint8_t *a = f.th->mem + T_AREA;
    uint8_t exp[0x510];
    memset(exp, 0, sizeof(exp));
    hex2bin("5245475341564500 00000000 00000010 00000001", exp, 0x14);
    expect_cpu_block(exp + 0x14, &f.th->ppc[0]);
    CU_ASSERT_EQUAL(memcmp(a, exp, 0x510), 0);
    /* Pinned entries at absolute offsets. */
    uint8_t pin[16];
    hex2bin("4350555354525400 0000000000000000", pin, 16);       /* CPUSTRT id 0 */
    CU_ASSERT_EQUAL(memcmp(a + 0x14, pin, 16), 0);
    hex2bin("4352000000000000 0000000044000022", pin, 16);       /* CR */
    CU_ASSERT_EQUAL(memcmp(a + 0x74, pin, 16), 0);
    hex2bin("4750523030000000 0000000000001000", pin, 16);       /* GPR00 */
    CU_ASSERT_EQUAL(memcmp(a + 0x184, pin, 16), 0);
    hex2bin("4750523331000000 000000000000101f", pin, 16);       /* GPR31 */
    CU_ASSERT_EQUAL(memcmp(a + 0x184 + 31 * 16, pin, 16), 0);
    hex2bin("435055454e440000 0000000000000000", pin, 16);       /* CPUEND */
    CU_ASSERT_EQUAL(memcmp(a + 0x4F4, pin, 16), 0);
    static const uint8_t zero12[12];
    CU_ASSERT_EQUAL(memcmp(a + 0x504, zero12, 12), 0);
    uint8_t prop[160];
    get_prop(&f, prop, sizeof(prop));
    CU_ASSERT_EQUAL(sec_dumped(prop, 0), 0x510);
    fx_fini(&f);
}

static void test_regsave_offline_cpu(void)
{
    struct fx f;
    fx_init_prof(&f, phyp_profile_find("phyp-default"), T_MEM, 3);
    set_regs(&f.th->ppc[0], 0x100);
    set_regs(&f.th->ppc[2], 0x300);
    f.th->ppc[1].online = false;
    f.th->ppc[2].cpu_id = 7;
    struct tsec s[3];
    std_sections(s, 0x20 + 3 * 0x4F0, 0);
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    memset(f.th->mem + T_AREA, 0xCC, 0x20 + 3 * 0x4F0);
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_DUMP);
    const uint8_t *a = f.th->mem + T_AREA;
    CU_ASSERT_EQUAL(db_ld_be32(a + 0x10), 2);
    uint8_t exp[0x20 + 2 * 0x4F0];
    memset(exp, 0, sizeof(exp));
    hex2bin("5245475341564500 00000000 00000010 00000002", exp, 0x14);
    expect_cpu_block(exp + 0x14, &f.th->ppc[0]);
    expect_cpu_block(exp + 0x14 + 0x4F0, &f.th->ppc[2]);
    CU_ASSERT_EQUAL(memcmp(a, exp, sizeof(exp)), 0);
    /* Bytes past the written area stay untouched (Q6: fewer CPUs than max). */
    CU_ASSERT_EQUAL(a[sizeof(exp)], 0xCC);
    CU_ASSERT_EQUAL(a[0x20 + 3 * 0x4F0 - 1], 0xCC);
    uint8_t prop[160];
    get_prop(&f, prop, sizeof(prop));
    CU_ASSERT_EQUAL(sec_dumped(prop, 0), 0x20 + 2 * 0x4F0);
    CU_ASSERT_EQUAL(sec_flags(prop, 0), 0);
    /* The reference agent's parser reads back exactly these CPUs. */
    struct db_ppc64_cpu out[4];
    unsigned n = 0;
    CU_ASSERT_EQUAL(phyp_regsave_parse(a, 0x20 + 3 * 0x4F0, out, 4, &n), PHYP_OK);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_EQUAL(out[1].cpu_id, 7);
    CU_ASSERT_EQUAL(out[1].gpr[31], 0x300 + 31);
    CU_ASSERT_EQUAL(out[0].lr, 0x122);
    fx_fini(&f);
}

static void test_cpu_dest_too_small(void)
{
    struct fx f;
    struct phyp_profile prof = *phyp_profile_find("phyp-default");
    prof.max_cpus = 1;      /* advertises 0x510 but 2 CPUs are online */
    fx_init_prof(&f, &prof, T_MEM, 2);
    testhost_pattern(f.th, 0, T_RMR_LEN, 5);
    struct tsec s[3];
    std_sections(s, 0x510, 0);
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    memset(f.th->mem + T_AREA, 0xCC, 0x510);
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_DUMP);
    uint8_t prop[160];
    get_prop(&f, prop, sizeof(prop));
    CU_ASSERT_EQUAL(db_ld_be16(prop + PHYP_FDM_STATUS), 0xE000);
    CU_ASSERT_EQUAL(sec_flags(prop, 0), PHYP_SEC_ERR_DEST_TOO_SMALL);
    CU_ASSERT_EQUAL(sec_dumped(prop, 0), 0);
    CU_ASSERT_EQUAL(f.th->mem[T_AREA], 0xCC);       /* nothing written */
    CU_ASSERT_EQUAL(f.th->mem[T_AREA + 0x50F], 0xCC);
    CU_ASSERT_EQUAL(sec_flags(prop, 2), 0);          /* other sections still done */
    CU_ASSERT_EQUAL(sec_dumped(prop, 2), T_RMR_LEN);
    uint64_t rmr = (T_AREA + 0x510 + 0xfff) & ~0xfffull;
    CU_ASSERT_EQUAL(memcmp(f.th->mem + rmr, f.th->mem, 0x1000), 0);
    fx_fini(&f);
}

static void test_hpte_zero_mode(void)
{
    struct fx f;
    fx_init(&f, "phyp-2008");
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0x1000);
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    memset(f.th->mem + T_AREA + T_CPU_SIZE, 0xCC, 0x1000);
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_DUMP);
    static const uint8_t zero[0x1000];
    CU_ASSERT_EQUAL(memcmp(f.th->mem + T_AREA + T_CPU_SIZE, zero, 0x1000), 0);
    uint8_t prop[160];
    get_prop(&f, prop, sizeof(prop));
    CU_ASSERT_EQUAL(sec_dumped(prop, 1), 0x1000);
    CU_ASSERT_EQUAL(sec_flags(prop, 1), 0);
    CU_ASSERT_EQUAL(db_ld_be16(prop + PHYP_FDM_STATUS), 0xC000);
    fx_fini(&f);
}

/* qemu-10.2 registers anything header-valid; problems show at dump time. */
static void compat_case(struct tsec third, uint16_t want_flags, uint64_t want_dumped)
{
    struct fx f;
    fx_init(&f, "qemu-10.2");
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    s[2] = third;
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_DUMP);
    uint8_t prop[160];
    get_prop(&f, prop, sizeof(prop));
    CU_ASSERT_EQUAL(sec_flags(prop, 2), want_flags);
    CU_ASSERT_EQUAL(sec_dumped(prop, 2), want_dumped);
    CU_ASSERT_EQUAL(sec_flags(prop, 0), 0);
    CU_ASSERT_EQUAL(db_ld_be16(prop + PHYP_FDM_STATUS), want_flags ? 0xE000 : 0xC000);
    fx_fini(&f);
}

static void test_compat_invalid_type(void)
{
    compat_case((struct tsec){1, 0x0042, 0, 0x1000, T_RMR_DST}, PHYP_SEC_ERR_INVALID_TYPE, 0);
}

static void test_compat_source_errors(void)
{
    compat_case((struct tsec){1, PHYP_SRC_REAL_MODE, T_MEM, 0x1000, T_RMR_DST},
                PHYP_SEC_ERR_INVALID_SRC, 0);
    compat_case((struct tsec){1, PHYP_SRC_REAL_MODE, T_MEM - 0x1000, 0x2000, T_RMR_DST},
                PHYP_SEC_ERR_LEN_EXCEEDS, 0);
}

static void test_compat_dest_error(void)
{
    compat_case((struct tsec){1, PHYP_SRC_REAL_MODE, 0, 0x2000, T_MEM - 0x1000},
                PHYP_SEC_ERR_INVALID_DEST, 0);
}

static void test_compat_request_flag_skip(void)
{
    struct fx f;
    fx_init(&f, "qemu-10.2");
    testhost_pattern(f.th, 0, 0x1000, 3);
    struct tsec s[3];
    std_sections(s, T_CPU_SIZE, 0);
    s[2].rf = 0;
    put_fdm(f.th, T_FDM, 1, 3, 0x28, s, 3);
    /* Stale results from the guest are cleared even for skipped sections. */
    f.th->mem[T_FDM + 0x28 + 2 * 0x28 + PHYP_SEC_ERROR_FLAGS] = 0x12;
    f.th->mem[T_FDM + 0x28 + 2 * 0x28 + PHYP_SEC_BYTES_DUMPED + 7] = 0x34;
    CU_ASSERT_EQUAL(do_reg(&f, 160), PHYP_RTAS_SUCCESS);
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_DUMP);
    uint8_t prop[160];
    get_prop(&f, prop, sizeof(prop));
    CU_ASSERT_EQUAL(sec_dumped(prop, 2), 0);
    CU_ASSERT_EQUAL(sec_flags(prop, 2), 0);
    CU_ASSERT_EQUAL(f.th->mem[T_RMR_DST], 0);   /* not copied */
    CU_ASSERT_EQUAL(db_ld_be16(prop + PHYP_FDM_STATUS), 0xC000);
    fx_fini(&f);
}

static void test_src_equals_dst(void)
{
    /* Param area preserved in place: no copy, bytes_dumped = len. */
    struct fx f;
    fx_init(&f, "phyp-default");
    struct tsec s[4];
    std_sections(s, T_CPU_SIZE, 0);
    s[3] = (struct tsec){1, PHYP_SRC_PARAM_AREA, 0x1800000, 2048, 0x1800000};
    put_fdm(f.th, T_FDM, 1, 4, 0x28, s, 4);
    testhost_pattern(f.th, 0x1800000, 2048, 11);
    CU_ASSERT_EQUAL(do_reg(&f, 200), PHYP_RTAS_SUCCESS);
    unsigned w = f.th->writes;
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_DUMP);
    CU_ASSERT_EQUAL(f.th->writes - w, 1 + (T_RMR_LEN >> 20));  /* CPU area + RMR chunks */
    uint8_t prop[200];
    CU_ASSERT_EQUAL(get_prop(&f, prop, sizeof(prop)), 200);
    CU_ASSERT_EQUAL(sec_dumped(prop, 3), 2048);
    CU_ASSERT_EQUAL(f.th->mem[0x1800000], testhost_pattern_byte(0x1800000, 11));
    fx_fini(&f);
}

static void test_cpu_write_failure(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    f.th->fail_next_write = 1;      /* the CPU area is the first write */
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_DUMP);
    uint8_t prop[160];
    get_prop(&f, prop, sizeof(prop));
    CU_ASSERT_EQUAL(sec_flags(prop, 0), PHYP_SEC_ERR_INVALID_DEST);
    CU_ASSERT_EQUAL(sec_dumped(prop, 0), 0);
    CU_ASSERT_EQUAL(sec_dumped(prop, 2), T_RMR_LEN);
    CU_ASSERT_EQUAL(db_ld_be16(prop + PHYP_FDM_STATUS), 0xE000);
    /* Preserved areas exclude the failed destination. */
    CU_ASSERT_EQUAL(phyp_preserved_remaining(f.p), T_RMR_LEN);
    fx_fini(&f);
}

static void test_cpu_read_failure(void)
{
    struct fx f;
    fx_init(&f, "phyp-default");
    CU_ASSERT_EQUAL(register_std(&f), PHYP_RTAS_SUCCESS);
    f.fl.cpu_get_fail = 1;
    unsigned w = f.th->writes;
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_FAILED);
    CU_ASSERT_TRUE(phyp_is_registered(f.p));
    CU_ASSERT_EQUAL(f.th->writes, w);
    f.fl.cpu_get_fail = 0;
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_DUMP);
    fx_fini(&f);
}

static CU_TestInfo dump_tests[] = {
    {"os-term without registration -> panic", test_osterm_idle},
    {"os-term copies boot memory, stops CPUs", test_osterm_copies_memory},
    {"preserved copy stable, second os-term keeps dump", test_preserved_copy_stable},
    {"ibm,kernel-dump property bytes", test_kernel_dump_property_bytes},
    {"register save area golden, 1 CPU", test_regsave_golden_1cpu},
    {"register save area skips offline CPU", test_regsave_offline_cpu},
    {"CPU destination too small -> 0x0800", test_cpu_dest_too_small},
    {"HPTE zero-filled (phyp-2008)", test_hpte_zero_mode},
    {"compat: invalid type -> 0x8000", test_compat_invalid_type},
    {"compat: bad source -> 0x4000 / 0x2000", test_compat_source_errors},
    {"compat: bad destination -> 0x1000", test_compat_dest_error},
    {"compat: request_flag 0 skipped", test_compat_request_flag_skip},
    {"param area src == dst: no copy", test_src_equals_dst},
    {"CPU area write failure -> 0x1000", test_cpu_write_failure},
    {"CPU state unreadable -> failed, no change", test_cpu_read_failure},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"dump", NULL, NULL, NULL, NULL, dump_tests},
    CU_SUITE_INFO_NULL,
};

void add_dump_suite(void)
{
    CU_register_suites(suites);
}
