/* Machine core: sparse memory, bounds, PRNG, clock, CPUs, hotplug, host ops. */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include <sim/machine.h>

#include "suites.h"

#define GIB (1024ull * 1024 * 1024)
#define MIB (1024ull * 1024)

static struct sim_machine *mk(enum sim_arch arch, uint64_t mem, unsigned cpus,
                              unsigned max, uint64_t seed)
{
    struct sim_config c = { arch, mem, cpus, max, seed };
    char err[128];
    return sim_new(&c, err, sizeof(err));
}

static void test_sparse_4g(void)
{
    struct sim_machine *m = mk(SIM_S390X, 4 * GIB, 1, 1, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL(sim_mem_size(m), 4 * GIB);
    CU_ASSERT_EQUAL(sim_mem_pages_allocated(m), 0);
    uint64_t addrs[3] = { 0x1000, 2 * GIB + 0x123, 4 * GIB - 8 };
    for (int i = 0; i < 3; i++) {
        uint64_t v = 0x1122334455667788ull + (uint64_t)i;
        CU_ASSERT_EQUAL(sim_mem_write(m, addrs[i], &v, 8), 0);
    }
    CU_ASSERT_EQUAL(sim_mem_pages_allocated(m), 3);
    for (int i = 0; i < 3; i++) {
        uint64_t v = 0;
        CU_ASSERT_EQUAL(sim_mem_read(m, addrs[i], &v, 8), 0);
        CU_ASSERT_EQUAL(v, 0x1122334455667788ull + (uint64_t)i);
    }
    sim_free(m);
}

static void test_unwritten_reads_zero(void)
{
    struct sim_machine *m = mk(SIM_S390X, 64 * MIB, 1, 1, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    uint8_t buf[3 * SIM_PAGE_SIZE];
    memset(buf, 0xa5, sizeof(buf));
    CU_ASSERT_EQUAL(sim_mem_read(m, 0x800, buf, sizeof(buf)), 0);
    for (size_t i = 0; i < sizeof(buf); i++) {
        if (buf[i] != 0) {
            CU_FAIL("unwritten memory not zero");
            break;
        }
    }
    CU_ASSERT_EQUAL(sim_mem_pages_allocated(m), 0);
    sim_free(m);
}

static void test_cross_page(void)
{
    struct sim_machine *m = mk(SIM_S390X, 64 * MIB, 1, 1, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    uint8_t in[10000], out[10004];
    for (size_t i = 0; i < sizeof(in); i++) {
        in[i] = (uint8_t)(i * 7 + 1);
    }
    CU_ASSERT_EQUAL(sim_mem_write(m, 4090, in, sizeof(in)), 0);
    /* 4090..14089 touches pages 0, 1, 2, 3 */
    CU_ASSERT_EQUAL(sim_mem_pages_allocated(m), 4);
    CU_ASSERT_EQUAL(sim_mem_read(m, 4088, out, sizeof(out)), 0);
    CU_ASSERT_EQUAL(out[0], 0);
    CU_ASSERT_EQUAL(out[1], 0);
    CU_ASSERT_EQUAL(memcmp(out + 2, in, sizeof(in)), 0);
    CU_ASSERT_EQUAL(out[10002], 0);
    CU_ASSERT_EQUAL(out[10003], 0);
    sim_free(m);
}

static void test_zero_write_stays_sparse(void)
{
    struct sim_machine *m = mk(SIM_S390X, 64 * MIB, 1, 1, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    uint8_t z[8192] = { 0 };
    CU_ASSERT_EQUAL(sim_mem_write(m, 0x10000, z, sizeof(z)), 0);
    CU_ASSERT_EQUAL(sim_mem_pages_allocated(m), 0);
    uint8_t one = 1;
    CU_ASSERT_EQUAL(sim_mem_write(m, 0x10000, &one, 1), 0);
    CU_ASSERT_EQUAL(sim_mem_pages_allocated(m), 1);
    /* Zeroing an allocated page writes through (it must read back 0). */
    CU_ASSERT_EQUAL(sim_mem_write(m, 0x10000, z, 1), 0);
    uint8_t r = 0xff;
    CU_ASSERT_EQUAL(sim_mem_read(m, 0x10000, &r, 1), 0);
    CU_ASSERT_EQUAL(r, 0);
    sim_free(m);
}

static void test_bounds(void)
{
    struct sim_machine *m = mk(SIM_S390X, 1 * MIB, 1, 1, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    uint8_t buf[16];
    memset(buf, 0x5a, sizeof(buf));
    CU_ASSERT_EQUAL(sim_mem_write(m, MIB - 16, buf, 16), 0);      /* last bytes ok */
    CU_ASSERT_EQUAL(sim_mem_write(m, MIB - 15, buf, 16), -1);     /* one past */
    CU_ASSERT_EQUAL(sim_mem_write(m, MIB, buf, 1), -1);
    CU_ASSERT_EQUAL(sim_mem_write(m, UINT64_MAX - 3, buf, 8), -1); /* wraps */
    CU_ASSERT_EQUAL(sim_mem_pages_allocated(m), 1);
    uint8_t r[16];
    memset(r, 0x77, sizeof(r));
    CU_ASSERT_EQUAL(sim_mem_read(m, MIB - 8, r, 16), -1);
    for (size_t i = 0; i < sizeof(r); i++) {
        CU_ASSERT_EQUAL(r[i], 0x77);          /* nothing transferred */
    }
    CU_ASSERT_EQUAL(sim_mem_read(m, MIB, r, 0), 0);  /* empty at end ok */
    const struct db_host *h = sim_host(m);
    CU_ASSERT_EQUAL(db_host_read(h, MIB - 4, r, 8), -1);
    CU_ASSERT_EQUAL(db_host_write(h, UINT64_MAX, r, 2), -1);
    sim_free(m);
}

static void test_mem_page_view(void)
{
    struct sim_machine *m = mk(SIM_S390X, 16 * MIB, 1, 1, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_PTR_NULL(sim_mem_page(m, 0x3000));
    uint32_t v = 0xdeadbeef;
    CU_ASSERT_EQUAL(sim_mem_write(m, 0x3010, &v, 4), 0);
    const uint8_t *p = sim_mem_page(m, 0x3000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(memcmp(p + 0x10, &v, 4), 0);
    CU_ASSERT_PTR_NULL(sim_mem_page(m, 0x3010));        /* unaligned */
    CU_ASSERT_PTR_NULL(sim_mem_page(m, 16 * MIB));      /* out of range */
    CU_ASSERT_EQUAL(sim_mem_next_page(m, 0), 0x3000);
    CU_ASSERT_EQUAL(sim_mem_next_page(m, 0x3001), UINT64_MAX);
    CU_ASSERT_EQUAL(sim_mem_write(m, 15 * MIB, &v, 4), 0);
    CU_ASSERT_EQUAL(sim_mem_next_page(m, 0x3001), 15 * MIB);
    sim_free(m);
}

static void test_bad_config(void)
{
    char err[128];
    struct sim_config bad[] = {
        { 7, 1 * MIB, 1, 1, 0 },                /* arch */
        { SIM_S390X, 0, 1, 1, 0 },              /* no memory */
        { SIM_S390X, 4097, 1, 1, 0 },           /* unaligned */
        { SIM_S390X, 1 * MIB, 0, 0, 0 },        /* no CPU */
        { SIM_S390X, 1 * MIB, 4, 2, 0 },        /* max < cpus */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = 0;
        CU_ASSERT_PTR_NULL(sim_new(&bad[i], err, sizeof(err)));
        CU_ASSERT_EQUAL(strncmp(err, "sim_new: ", 9), 0);
    }
    CU_ASSERT_PTR_NULL(sim_new(NULL, err, sizeof(err)));
    CU_ASSERT_STRING_EQUAL(err, "sim_new: no config");
}

static void test_prng_reference(void)
{
    /* Values from an independent Python implementation of splitmix64 ->
     * xoshiro256** (seed 42). */
    struct sim_machine *m = mk(SIM_S390X, 1 * MIB, 1, 1, 42);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL(sim_random(m), 0x15780b2e0c2ec716ull);
    CU_ASSERT_EQUAL(sim_random(m), 0x6104d9866d113a7eull);
    CU_ASSERT_EQUAL(sim_random(m), 0xae17533239e499a1ull);
    sim_free(m);
}

static void test_determinism(void)
{
    struct sim_machine *a = mk(SIM_S390X, 8 * MIB, 4, 4, 99);
    struct sim_machine *b = mk(SIM_S390X, 8 * MIB, 4, 4, 99);
    struct sim_machine *c = mk(SIM_S390X, 8 * MIB, 4, 4, 100);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    for (unsigned i = 0; i < 4; i++) {
        CU_ASSERT_EQUAL(memcmp(sim_s390_cpu(a, i), sim_s390_cpu(b, i),
                               sizeof(struct db_s390_cpu)), 0);
        CU_ASSERT_NOT_EQUAL(sim_s390_cpu(a, i)->gprs[0], sim_s390_cpu(c, i)->gprs[0]);
    }
    for (int i = 0; i < 100; i++) {
        CU_ASSERT_EQUAL(sim_random(a), sim_random(b));
    }
    CU_ASSERT_NOT_EQUAL(sim_random(a), sim_random(c));
    sim_free(a);
    sim_free(b);
    sim_free(c);
}

static void test_pattern(void)
{
    /* Independent reference: word for 0x1000 with seed 7 is 0x64a40d6af08e8f5e. */
    CU_ASSERT_EQUAL(sim_pattern_byte(0x1000, 7), 0x5e);
    CU_ASSERT_EQUAL(sim_pattern_byte(0x1001, 7), 0x8f);
    CU_ASSERT_EQUAL(sim_pattern_byte(0x1007, 7), 0x64);
    struct sim_machine *m = mk(SIM_S390X, 16 * MIB, 1, 1, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL(sim_plant(m, 0x1003, 9000, 7), 0);
    uint8_t buf[9002];
    CU_ASSERT_EQUAL(sim_mem_read(m, 0x1002, buf, sizeof(buf)), 0);
    CU_ASSERT_EQUAL(buf[0], 0);
    CU_ASSERT_EQUAL(buf[9001], 0);
    int bad = 0;
    for (uint64_t i = 0; i < 9000; i++) {
        bad += buf[i + 1] != sim_pattern_byte(0x1003 + i, 7);
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(buf[5], 0x64);                    /* 0x1007 */
    CU_ASSERT_EQUAL(sim_plant(m, 16 * MIB - 4, 8, 1), -1);
    sim_free(m);
}

static void test_pattern_varies(void)
{
    int same_seed = 0, same_addr = 0;
    for (uint64_t a = 0; a < 4096; a++) {
        same_seed += sim_pattern_byte(a, 1) == sim_pattern_byte(a, 2);
        same_addr += sim_pattern_byte(a, 1) == sim_pattern_byte(a + 4096, 1);
    }
    /* Independent bytes agree about 1/256 of the time. */
    CU_ASSERT(same_seed < 64);
    CU_ASSERT(same_addr < 64);
}

static void test_hotplug_cpu(void)
{
    struct sim_machine *m = mk(SIM_S390X, 8 * MIB, 2, 4, 5);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL(sim_cpu_slots(m), 4);
    CU_ASSERT_EQUAL(sim_cpus_online(m), 2);
    CU_ASSERT_FALSE(sim_s390_cpu(m, 3)->online);
    CU_ASSERT_EQUAL(sim_s390_cpu(m, 3)->prefix, 0);
    CU_ASSERT_EQUAL(sim_hotplug_cpu(m, 2), 0);
    CU_ASSERT_EQUAL(sim_cpus_online(m), 4);
    CU_ASSERT_TRUE(sim_s390_cpu(m, 3)->online);
    CU_ASSERT_EQUAL(sim_s390_cpu(m, 3)->address, 3);
    CU_ASSERT_NOT_EQUAL(sim_s390_cpu(m, 3)->prefix, 0);
    struct db_s390_cpu before = *sim_s390_cpu(m, 0);
    CU_ASSERT_EQUAL(sim_hotplug_cpu(m, 1), -1);        /* beyond max */
    CU_ASSERT_EQUAL(sim_cpus_online(m), 4);
    CU_ASSERT_EQUAL(memcmp(&before, sim_s390_cpu(m, 0), sizeof(before)), 0);
    CU_ASSERT_PTR_NULL(sim_s390_cpu(m, 4));
    sim_free(m);
}

static void test_hotplug_mem(void)
{
    struct sim_machine *m = mk(SIM_S390X, 16 * MIB, 1, 1, 5);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    uint64_t v = 0xabcdef;
    CU_ASSERT_EQUAL(sim_mem_write(m, 16 * MIB - 8, &v, 8), 0);
    CU_ASSERT_EQUAL(sim_mem_write(m, 16 * MIB, &v, 8), -1);
    CU_ASSERT_EQUAL(sim_hotplug_mem(m, 4097), -1);
    CU_ASSERT_EQUAL(sim_hotplug_mem(m, 0), -1);
    CU_ASSERT_EQUAL(sim_mem_size(m), 16 * MIB);
    CU_ASSERT_EQUAL(sim_hotplug_mem(m, 48 * MIB), 0);
    CU_ASSERT_EQUAL(sim_mem_size(m), 64 * MIB);
    CU_ASSERT_EQUAL(db_host_mem_size(sim_host(m)), 64 * MIB);
    CU_ASSERT_EQUAL(sim_mem_write(m, 64 * MIB - 8, &v, 8), 0);
    uint64_t r = 0;
    CU_ASSERT_EQUAL(sim_mem_read(m, 16 * MIB - 8, &r, 8), 0);
    CU_ASSERT_EQUAL(r, 0xabcdef);
    CU_ASSERT_EQUAL(sim_mem_pages_allocated(m), 2);
    sim_free(m);
}

static void test_host_ops_cpu(void)
{
    struct sim_machine *m = mk(SIM_S390X, 8 * MIB, 2, 3, 5);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    const struct db_host *h = sim_host(m);
    CU_ASSERT_EQUAL(db_host_cpu_count(h), 3);
    struct db_s390_cpu c;
    CU_ASSERT_EQUAL(db_host_cpu_get(h, 1, &c, sizeof(c)), 0);
    CU_ASSERT_EQUAL(memcmp(&c, sim_s390_cpu(m, 1), sizeof(c)), 0);
    c.gprs[5] = 0x5555;
    CU_ASSERT_EQUAL(db_host_cpu_set(h, 1, &c, sizeof(c)), 0);
    CU_ASSERT_EQUAL(sim_s390_cpu(m, 1)->gprs[5], 0x5555);
    CU_ASSERT_EQUAL(db_host_cpu_get(h, 3, &c, sizeof(c)), -1);
    struct db_ppc64_cpu p;
    CU_ASSERT_EQUAL(db_host_cpu_get(h, 0, &p, sizeof(p)), -1);   /* wrong arch size */
    CU_ASSERT_EQUAL(db_host_cpu_set(h, 0, &p, sizeof(p)), -1);
    CU_ASSERT_PTR_NULL(sim_ppc64_cpu(m, 0));
    sim_free(m);
}

static void test_clock(void)
{
    struct sim_machine *m = mk(SIM_PPC64, 8 * MIB, 1, 1, 5);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL(sim_arch(m), SIM_PPC64);
    CU_ASSERT_EQUAL(sim_clock_ns(m), 0);
    sim_advance(m, 1500);
    sim_advance(m, 500);
    CU_ASSERT_EQUAL(sim_clock_ns(m), 2000);
    CU_ASSERT_EQUAL(db_host_clock_ns(sim_host(m)), 2000);
    sim_free(m);
}

static void test_randomize_s390(void)
{
    struct sim_machine *m = mk(SIM_S390X, 8 * MIB, 4, 4, 5);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    for (unsigned i = 0; i < 4; i++) {
        struct db_s390_cpu *c = sim_s390_cpu(m, i);
        CU_ASSERT_NOT_EQUAL(c->prefix, 0);
        CU_ASSERT_EQUAL(c->prefix & 0x1fff, 0);
        CU_ASSERT_EQUAL(c->psw_addr & 1, 0);
        CU_ASSERT_EQUAL(c->address, i);
        CU_ASSERT_TRUE(c->online);
        for (unsigned j = 0; j < i; j++) {
            CU_ASSERT_NOT_EQUAL(c->prefix, sim_s390_cpu(m, j)->prefix);
        }
    }
    struct db_s390_cpu a = *sim_s390_cpu(m, 2);
    sim_cpu_randomize(m, 2, 1234);
    CU_ASSERT_NOT_EQUAL(a.gprs[0], sim_s390_cpu(m, 2)->gprs[0]);
    struct db_s390_cpu b = *sim_s390_cpu(m, 2);
    sim_random(m);                   /* machine PRNG use must not matter */
    sim_cpu_randomize(m, 2, 1234);
    CU_ASSERT_EQUAL(memcmp(&b, sim_s390_cpu(m, 2), sizeof(b)), 0);
    sim_free(m);
}

static void test_ppc64_cpus(void)
{
    struct sim_machine *m = mk(SIM_PPC64, 8 * MIB, 2, 2, 5);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_PTR_NULL(sim_s390_cpu(m, 0));
    struct db_ppc64_cpu *c = sim_ppc64_cpu(m, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->cpu_id, 1);
    CU_ASSERT_TRUE(c->online);
    CU_ASSERT_EQUAL(c->nia & 3, 0);
    CU_ASSERT_EQUAL(c->nia >> 60, 0xc);
    sim_free(m);
}

static void test_clone(void)
{
    struct sim_machine *m = mk(SIM_S390X, 32 * MIB, 2, 2, 5);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL(sim_plant(m, 0x20000, 3 * SIM_PAGE_SIZE, 9), 0);
    sim_advance(m, 77);
    char err[64];
    struct sim_machine *c = sim_clone(m, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(sim_mem_pages_allocated(c), 3);
    CU_ASSERT_EQUAL(sim_clock_ns(c), 77);
    CU_ASSERT_EQUAL(sim_seed(c), 5);
    CU_ASSERT_EQUAL(memcmp(sim_mem_page(c, 0x21000), sim_mem_page(m, 0x21000),
                           SIM_PAGE_SIZE), 0);
    CU_ASSERT_EQUAL(memcmp(sim_s390_cpu(c, 1), sim_s390_cpu(m, 1),
                           sizeof(struct db_s390_cpu)), 0);
    CU_ASSERT_EQUAL(sim_random(c), sim_random(m));
    /* Independent: writing the original does not change the clone. */
    uint8_t x = 0;
    CU_ASSERT_EQUAL(sim_mem_write(m, 0x20000, &x, 1), 0);
    CU_ASSERT_EQUAL(sim_mem_page(c, 0x20000)[0], sim_pattern_byte(0x20000, 9));
    CU_ASSERT_EQUAL(sim_mem_page(m, 0x20000)[0], 0);
    sim_free(c);
    sim_free(m);
}

static CU_TestInfo machine_tests[] = {
    { "sparse_4g_allocates_written_pages_only", test_sparse_4g },
    { "unwritten_reads_zero", test_unwritten_reads_zero },
    { "cross_page_access", test_cross_page },
    { "zero_write_stays_sparse", test_zero_write_stays_sparse },
    { "bounds_and_wrap", test_bounds },
    { "page_view_and_iteration", test_mem_page_view },
    { "bad_config_rejected", test_bad_config },
    { "prng_reference_values", test_prng_reference },
    { "same_seed_same_machine", test_determinism },
    { "pattern_plant_reference", test_pattern },
    { "pattern_depends_on_seed_and_addr", test_pattern_varies },
    { "hotplug_cpu", test_hotplug_cpu },
    { "hotplug_mem", test_hotplug_mem },
    { "host_ops_cpu", test_host_ops_cpu },
    { "virtual_clock", test_clock },
    { "randomize_s390_plausible_deterministic", test_randomize_s390 },
    { "ppc64_cpus", test_ppc64_cpus },
    { "clone_deep_copy", test_clone },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo machine_suites[] = {
    { "sim_machine", NULL, NULL, NULL, NULL, machine_tests },
    CU_SUITE_INFO_NULL,
};

int register_machine_tests(void)
{
    return CU_register_suites(machine_suites) == CUE_SUCCESS ? 0 : -1;
}
