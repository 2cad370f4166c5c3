/*
 * ppc64 fadump in the sim machine: the reference agent against libphyp and
 * sim_fadump_run on scenario text.
 */
#include <CUnit/CUnit.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dumpbench/be.h>
#include <harness/compare.h>
#include <sim/backend.h>
#include <sim/fadump.h>

#include "suites.h"

#define MIB (1024ull * 1024ull)
#define GIB (1024ull * MIB)
#define MEM (768ull * MIB)   /* smallest comfortable fadump machine: 320M + 320M + rest */

/* ---- fixtures ----------------------------------------------------------- */

struct fx {
    struct sim_machine *m;
    struct phyp *p;
    struct sim_fadump_kernel k;
    struct sim_fadump_params prm;
};

static int fx_init(struct fx *f, uint64_t mem, unsigned cpus, unsigned max_cpus,
                   const char *profile)
{
    struct sim_config cfg = { SIM_PPC64, mem, cpus, max_cpus, 42 };
    char e[128];
    memset(f, 0, sizeof(*f));
    f->m = sim_new(&cfg, e, sizeof(e));
    if (!f->m) {
        return -1;
    }
    for (unsigned i = 0; i < cpus; i++) {
        sim_cpu_randomize(f->m, i, 1000 + i);
    }
    f->p = phyp_new(sim_host(f->m), phyp_profile_find(profile));
    if (!f->p) {
        sim_free(f->m);
        return -1;
    }
    sim_fadump_params_default(&f->prm);
    return sim_fadump_boot(&f->k, f->m, f->p, &f->prm);
}

static void fx_fini(struct fx *f)
{
    phyp_free(f->p);
    sim_free(f->m);
}

/* Register, crash on cpu, os-term, footprint + capture-kernel boot. */
static int fx_crash_and_reboot(struct fx *f, unsigned cpu, struct sim_machine **truth)
{
    struct sim_fadump_calls c;
    memset(&c, 0, sizeof(c));
    if (sim_fadump_register(&f->k, f->m, f->p, &c) != SIM_FADUMP_OK) {
        return -1;
    }
    if (sim_fadump_crash(&f->k, f->m, cpu, 0) != SIM_FADUMP_OK) {
        return -1;
    }
    if (truth) {
        *truth = sim_clone(f->m, NULL, 0);
    }
    if (phyp_os_term(f->p) != PHYP_OSTERM_DUMP) {
        return -1;
    }
    sim_plant_footprint(f->m, 0, SIM_FADUMP_FOOTPRINT, 0xfeed);
    struct sim_fadump_params prm = f->k.prm;
    return sim_fadump_boot(&f->k, f->m, f->p, &prm);
}

/*
 * Page at paddr of a equals b's (b must hold it).  Known-zero pages
 * (df_dump_zero_run) are compared as zeros without being read: the dumps
 * are lazily allocated or mapped sparse files of hundreds of MiB, and
 * faulting their zero pages in would cost more than the rest of the test.
 */
static int page_same(const struct df_dump *a, const struct df_dump *b, uint64_t paddr)
{
    const uint8_t *pa = df_dump_page(a, paddr), *pb = df_dump_page(b, paddr);
    if (!pa || !pb) {
        return 0;
    }
    bool za = df_dump_zero_run(a, paddr) >= SIM_PAGE_SIZE;
    bool zb = df_dump_zero_run(b, paddr) >= SIM_PAGE_SIZE;
    if (za || zb) {
        return (za || df_is_zero(pa, SIM_PAGE_SIZE)) && (zb || df_is_zero(pb, SIM_PAGE_SIZE));
    }
    return memcmp(pa, pb, SIM_PAGE_SIZE) == 0;
}

/* Every page of every chunk of a equals b (b must hold the page). */
static int pages_equal(const struct df_dump *a, const struct df_dump *b)
{
    for (size_t i = 0; i < a->nchunks; i++) {
        for (uint64_t o = 0; o < a->chunks[i].size; o += SIM_PAGE_SIZE) {
            if (!page_same(a, b, a->chunks[i].paddr + o)) {
                return 0;
            }
        }
    }
    return 1;
}

static int regs_equal(const struct db_ppc64_cpu *a, const struct db_ppc64_cpu *b)
{
    return memcmp(a->gpr, b->gpr, sizeof(a->gpr)) == 0 && a->nia == b->nia &&
           a->msr == b->msr && a->ctr == b->ctr && a->lr == b->lr && a->xer == b->xer &&
           a->cr == b->cr && a->dar == b->dar && a->dsisr == b->dsisr &&
           a->cpu_id == b->cpu_id;
}

static int find_rc(const struct run_result *r, const char *op, int64_t rc)
{
    for (size_t i = 0; i < r->nrcs; i++) {
        if (strcmp(r->rcs[i].op, op) == 0 && r->rcs[i].rc == rc) {
            return 1;
        }
    }
    return 0;
}

struct srun {
    struct run_result res;
    char dir[64];
    char err[256];
    int rc;
};

static void srun_exec(struct srun *sr, const char *text)
{
    struct scenario *s = NULL;
    struct scn_error e;
    memset(sr, 0, sizeof(*sr));
    run_result_init(&sr->res);
    snprintf(sr->dir, sizeof(sr->dir), "/tmp/ppc64-fadump-XXXXXX");
    sr->rc = -99;
    if (!mkdtemp(sr->dir) || scn_parse_buffer("t.scn", text, strlen(text), &s, &e) != 0) {
        return;
    }
    FILE *log = fopen("/dev/null", "w");
    sr->rc = sim_fadump_run(s, sr->dir, log, &sr->res, sr->err, sizeof(sr->err));
    if (log) {
        fclose(log);
    }
    scn_free(s);
}

static void srun_free(struct srun *sr)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/dump.img", sr->dir);
    unlink(path);
    rmdir(sr->dir);
    run_result_clear(&sr->res);
}

/* pages-equal as the oracle applies it: every image page equals the truth's. */
static int image_matches_truth(const struct run_result *r)
{
    if (!r->image || !r->truth) {
        return 0;
    }
    return pages_equal(r->image, r->truth);
}

#define HDR(extra) \
    "scenario t\nmachine arch=ppc64 memory=768M cpus=2 " extra "seed=3\n" \
    "dump method=fadump format=elf\nstep boot\n"

/* ---- layout and structure ------------------------------------------------ */

static void test_layout_default_1g(void)
{
    struct sim_fadump_params prm;
    struct sim_fadump_layout l;
    char msg[200];
    sim_fadump_params_default(&prm);
    CU_ASSERT_EQUAL(sim_fadump_compute_layout(GIB, 0xA00, 0, &prm, &l, msg, sizeof(msg)),
                    SIM_FADUMP_OK);
    CU_ASSERT_EQUAL(l.boot_mem_size, 320 * MIB);      /* RTAS_FADUMP_MIN_BOOT_MEM */
    CU_ASSERT_EQUAL(l.reserve_start, 320 * MIB);
    CU_ASSERT_EQUAL(l.hpte_dest, 320 * MIB + 0xA00);
    CU_ASSERT_EQUAL(l.boot_mem_dest, 320 * MIB + 0x10000);
    CU_ASSERT_EQUAL(l.fadumphdr_addr, 640 * MIB + 0x10000);
    CU_ASSERT_EQUAL(l.elfcorehdr_addr, 640 * MIB + 0x10000 + 0x298);
    CU_ASSERT_EQUAL(l.reserve_size, 320 * MIB + 0x20000);
    CU_ASSERT_STRING_EQUAL(msg, "fadump: Reserved 320MB of memory at 0x00000014000000 "
                                "(System RAM: 1024MB)");
}

static void test_layout_sizes_rules(void)
{
    struct sim_fadump_params prm;
    struct sim_fadump_layout l;
    char msg[200];
    sim_fadump_params_default(&prm);
    /* 16 GiB: 5% = 819 MiB, rounded down to 256 MiB multiples = 768 MiB. */
    CU_ASSERT_EQUAL(sim_fadump_compute_layout(16 * GIB, 0xA00, 0, &prm, &l, msg, sizeof(msg)), 0);
    CU_ASSERT_EQUAL(l.boot_mem_size, 768 * MIB);
    /* crashkernel=3G on 8G is capped to RAM/4 = 2G. */
    prm.crashkernel = 3 * GIB;
    CU_ASSERT_EQUAL(sim_fadump_compute_layout(8 * GIB, 0xA00, 0, &prm, &l, msg, sizeof(msg)), 0);
    CU_ASSERT_EQUAL(l.boot_mem_size, 2 * GIB);
    /* crashkernel=330M: CMA alignment (16 MiB) -> 336M; nocma keeps 330M. */
    prm.crashkernel = 330 * MIB;
    CU_ASSERT_EQUAL(sim_fadump_compute_layout(8 * GIB, 0xA00, 0, &prm, &l, msg, sizeof(msg)), 0);
    CU_ASSERT_EQUAL(l.boot_mem_size, 336 * MIB);
    prm.nocma = true;
    CU_ASSERT_EQUAL(sim_fadump_compute_layout(8 * GIB, 0xA00, 0, &prm, &l, msg, sizeof(msg)), 0);
    CU_ASSERT_EQUAL(l.boot_mem_size, 330 * MIB);
    CU_ASSERT_EQUAL(l.boot_mem_dest, l.reserve_start + 0x10000);
}

static void test_layout_refusals(void)
{
    struct sim_fadump_params prm;
    struct sim_fadump_layout l;
    char msg[200];
    sim_fadump_params_default(&prm);
    prm.crashkernel = 256 * MIB;
    CU_ASSERT_EQUAL(sim_fadump_compute_layout(GIB, 0xA00, 0, &prm, &l, msg, sizeof(msg)),
                    SIM_FADUMP_ERR_NOMEM_LAYOUT);
    CU_ASSERT_STRING_EQUAL(msg, "fadump: Can't enable fadump with boot memory size "
                                "(0x10000000) less than 0x14000000");
    prm.crashkernel = 0;
    CU_ASSERT_EQUAL(sim_fadump_compute_layout(600 * MIB, 0xA00, 0, &prm, &l, msg, sizeof(msg)),
                    SIM_FADUMP_ERR_NOMEM_LAYOUT);
    CU_ASSERT_STRING_EQUAL(msg, "fadump: Failed to find memory chunk for reservation!");
}

static void test_fdm_bytes(void)
{
    struct sim_fadump_params prm;
    struct sim_fadump_layout l;
    uint8_t b[SIM_FADUMP_FDM_BYTES], exp[SIM_FADUMP_FDM_BYTES];
    sim_fadump_params_default(&prm);
    CU_ASSERT_EQUAL(sim_fadump_compute_layout(GIB, 0xA00, 0x1000, &prm, &l, NULL, 0), 0);
    sim_fadump_build_fdm(&l, &prm, b);
    memset(exp, 0, sizeof(exp));
    db_st_be32(exp + 0, 1);
    db_st_be16(exp + 4, 3);
    db_st_be32(exp + 8, 0x28);
    /* CPU state */
    db_st_be32(exp + 0x28, 1);
    db_st_be16(exp + 0x2C, 0x0001);
    db_st_be64(exp + 0x38, 0xA00);
    db_st_be64(exp + 0x48, 0x14000000);
    /* HPTE right after the CPU state */
    db_st_be32(exp + 0x50, 1);
    db_st_be16(exp + 0x54, 0x0002);
    db_st_be64(exp + 0x60, 0x1000);
    db_st_be64(exp + 0x70, 0x14000A00);
    /* boot memory: source 0, copy page aligned (64K) */
    db_st_be32(exp + 0x78, 1);
    db_st_be16(exp + 0x7C, 0x0011);
    db_st_be64(exp + 0x88, 0x14000000);
    db_st_be64(exp + 0x98, 0x14010000);
    CU_ASSERT_EQUAL(memcmp(b, exp, sizeof(b)), 0);
}

/* ---- registration -------------------------------------------------------- */

static void test_register_ok_writes_structures(void)
{
    struct fx f;
    struct sim_fadump_calls c;
    uint8_t fdm[SIM_FADUMP_FDM_BYTES], exp[SIM_FADUMP_FDM_BYTES], fdh[16];
    CU_ASSERT_FATAL(fx_init(&f, MEM, 2, 2, "phyp-default") == 0);
    memset(&c, 0, sizeof(c));
    CU_ASSERT_EQUAL(sim_fadump_register(&f.k, f.m, f.p, &c), SIM_FADUMP_OK);
    CU_ASSERT_EQUAL(c.n, 1);
    CU_ASSERT_EQUAL(c.c[0].rc, 0);
    CU_ASSERT_TRUE(f.k.registered);
    CU_ASSERT_TRUE(phyp_is_registered(f.p));
    CU_ASSERT_EQUAL(phyp_fdm_addr(f.p), SIM_FADUMP_FDM_ADDR);
    CU_ASSERT_STRING_EQUAL(f.k.msg, "rtas fadump: Registration is successful!");
    sim_fadump_build_fdm(&f.k.lay, &f.k.prm, exp);
    CU_ASSERT_EQUAL(sim_mem_read(f.m, SIM_FADUMP_FDM_ADDR, fdm, sizeof(fdm)), 0);
    CU_ASSERT_EQUAL(memcmp(fdm, exp, sizeof(fdm)), 0);
    CU_ASSERT_EQUAL(sim_mem_read(f.m, f.k.lay.fadumphdr_addr, fdh, sizeof(fdh)), 0);
    CU_ASSERT_EQUAL(db_ld_le64(fdh), SIM_FADUMP_FDH_MAGIC);
    CU_ASSERT_EQUAL(db_ld_le64(fdh + 8), f.k.lay.elfcorehdr_addr);
    fx_fini(&f);
}

static void test_register_already_registered(void)
{
    struct fx f;
    struct sim_fadump_calls c;
    CU_ASSERT_FATAL(fx_init(&f, MEM, 2, 2, "phyp-default") == 0);
    memset(&c, 0, sizeof(c));
    CU_ASSERT_EQUAL(sim_fadump_register(&f.k, f.m, f.p, &c), SIM_FADUMP_OK);
    CU_ASSERT_EQUAL(sim_fadump_register(&f.k, f.m, f.p, &c), SIM_FADUMP_ERR_RTAS);
    CU_ASSERT_EQUAL(c.n, 2);
    CU_ASSERT_EQUAL(c.c[1].rc, PHYP_RTAS_ALREADY_REGISTERED);
    CU_ASSERT_STRING_EQUAL(f.k.msg, "rtas fadump: Already registered!");
    CU_ASSERT_TRUE(f.k.registered);            /* kernel sets dump_registered = 1 */
    CU_ASSERT_EQUAL(phyp_get_state(f.p), PHYP_STATE_REGISTERED);
    fx_fini(&f);
}

static void test_register_param_error_changes_nothing(void)
{
    struct fx f;
    struct sim_fadump_calls c;
    CU_ASSERT_FATAL(fx_init(&f, MEM, 2, 2, "phyp-default") == 0);
    memset(&c, 0, sizeof(c));
    f.k.prm.version = 2;
    CU_ASSERT_EQUAL(sim_fadump_register(&f.k, f.m, f.p, &c), SIM_FADUMP_ERR_RTAS);
    CU_ASSERT_EQUAL(c.c[0].rc, PHYP_RTAS_PARAM_ERROR);
    CU_ASSERT_STRING_EQUAL(f.k.msg, "rtas fadump: Failed to register. Parameter Error(-3).");
    CU_ASSERT_FALSE(f.k.registered);
    CU_ASSERT_EQUAL(phyp_get_state(f.p), PHYP_STATE_IDLE);
    f.k.prm.version = 1;
    f.k.prm.num_sections = 11;
    CU_ASSERT_EQUAL(sim_fadump_register(&f.k, f.m, f.p, &c), SIM_FADUMP_ERR_RTAS);
    CU_ASSERT_EQUAL(c.c[1].rc, PHYP_RTAS_PARAM_ERROR);
    CU_ASSERT_EQUAL(phyp_get_state(f.p), PHYP_STATE_IDLE);
    /* Wrong CPU-state length: strict firmware rejects the section. */
    f.k.prm.num_sections = 3;
    f.k.prm.cpu_state_len_set = true;
    f.k.prm.cpu_state_len = 0x10;
    CU_ASSERT_EQUAL(sim_fadump_register(&f.k, f.m, f.p, &c), SIM_FADUMP_ERR_RTAS);
    CU_ASSERT_EQUAL(c.c[2].rc, PHYP_RTAS_PARAM_ERROR);
    CU_ASSERT_FALSE(phyp_is_registered(f.p));
    fx_fini(&f);
}

static void test_register_hw_error_and_unknown(void)
{
    struct fx f;
    struct sim_fadump_calls c;
    CU_ASSERT_FATAL(fx_init(&f, MEM, 2, 2, "phyp-default") == 0);
    memset(&c, 0, sizeof(c));
    phyp_inject_fault(f.p, PHYP_CMD_REGISTER, PHYP_RTAS_HW_ERROR, 1);
    CU_ASSERT_EQUAL(sim_fadump_register(&f.k, f.m, f.p, &c), SIM_FADUMP_ERR_RTAS);
    CU_ASSERT_STRING_EQUAL(f.k.msg, "rtas fadump: Failed to register. Hardware Error(-1).");
    CU_ASSERT_FALSE(f.k.registered);
    phyp_inject_fault(f.p, PHYP_CMD_REGISTER, PHYP_RTAS_DUMP_ACTIVE, 1);
    CU_ASSERT_EQUAL(sim_fadump_register(&f.k, f.m, f.p, &c), SIM_FADUMP_ERR_RTAS);
    CU_ASSERT_STRING_EQUAL(f.k.msg, "rtas fadump: Failed to register. Unknown Error(-10).");
    /* Fault consumed: the next attempt succeeds. */
    CU_ASSERT_EQUAL(sim_fadump_register(&f.k, f.m, f.p, &c), SIM_FADUMP_OK);
    CU_ASSERT_EQUAL(c.n, 3);
    fx_fini(&f);
}

static void test_register_busy_retries(void)
{
    struct fx f;
    struct sim_fadump_calls c;
    CU_ASSERT_FATAL(fx_init(&f, MEM, 2, 2, "busy-3") == 0);
    memset(&c, 0, sizeof(c));
    CU_ASSERT_EQUAL(sim_fadump_register(&f.k, f.m, f.p, &c), SIM_FADUMP_OK);
    CU_ASSERT_EQUAL(c.n, 4);
    CU_ASSERT_EQUAL(c.c[0].rc, PHYP_RTAS_BUSY);
    CU_ASSERT_EQUAL(c.c[2].rc, PHYP_RTAS_BUSY);
    CU_ASSERT_EQUAL(c.c[3].rc, 0);
    CU_ASSERT_EQUAL(c.delay_ms, 3);
    /* Extended busy 9902 = 100 ms per reply. */
    memset(&c, 0, sizeof(c));
    sim_fadump_unregister(&f.k, f.m, f.p, &c);
    phyp_inject_fault(f.p, PHYP_CMD_REGISTER, 9902, 2);
    CU_ASSERT_EQUAL(sim_fadump_register(&f.k, f.m, f.p, &c), SIM_FADUMP_OK);
    CU_ASSERT_EQUAL(c.delay_ms, 3 + 200 + 3);
    fx_fini(&f);
}

static void test_register_busy_forever_gives_up(void)
{
    struct fx f;
    struct sim_fadump_calls c;
    CU_ASSERT_FATAL(fx_init(&f, MEM, 2, 2, "phyp-default") == 0);
    memset(&c, 0, sizeof(c));
    phyp_inject_fault(f.p, PHYP_CMD_REGISTER, PHYP_RTAS_BUSY, 1000);
    CU_ASSERT_EQUAL(sim_fadump_register(&f.k, f.m, f.p, &c), SIM_FADUMP_ERR_RTAS);
    CU_ASSERT_EQUAL(c.n, 64);
    CU_ASSERT_STRING_EQUAL(f.k.msg, "rtas fadump: Failed to register. Unknown Error(-2).");
    CU_ASSERT_FALSE(phyp_is_registered(f.p));
    fx_fini(&f);
}

/* ---- crash and capture --------------------------------------------------- */

static void test_capture_equals_truth(void)
{
    struct fx f;
    struct sim_machine *truth_m = NULL;
    struct df_dump *img = NULL, *truth = NULL;
    struct sim_fadump_capture_info info;
    CU_ASSERT_FATAL(fx_init(&f, MEM, 2, 2, "phyp-default") == 0);
    sim_plant(f.m, 0x100000, 256 * 1024, 7);        /* overwritten by the footprint later */
    sim_plant(f.m, 0x13ff0000, 64 * 1024, 8);       /* last 64K of boot memory */
    sim_plant(f.m, 0x2c000000, 256 * 1024, 9);      /* above the reserved area */
    CU_ASSERT_FATAL(fx_crash_and_reboot(&f, 1, &truth_m) == 0);
    CU_ASSERT_TRUE(f.k.dump_active);
    CU_ASSERT_EQUAL(sim_fadump_capture(f.m, f.k.fdm_active, f.k.fdm_active_len,
                                       SIM_FADUMP_PRESERVED, &img, &info), SIM_FADUMP_OK);
    CU_ASSERT_FATAL(img != NULL);
    CU_ASSERT_EQUAL(sim_fadump_truth(truth_m, &truth, NULL, 0), SIM_FADUMP_OK);
    CU_ASSERT_EQUAL(img->arch, DF_ARCH_PPC64LE);
    /* PT_LOADs: boot memory [0, 320M) and [A + reserve, 1G). */
    CU_ASSERT_EQUAL(img->nchunks, 2);
    CU_ASSERT_EQUAL(img->chunks[0].paddr, 0);
    CU_ASSERT_EQUAL(img->chunks[0].size, 320 * MIB);
    CU_ASSERT_EQUAL(img->chunks[1].paddr, 640 * MIB + 0x20000);
    CU_ASSERT_EQUAL(img->chunks[1].size, MEM - (640 * MIB + 0x20000));
    CU_ASSERT_EQUAL(info.nmissing, 0);
    CU_ASSERT_TRUE(pages_equal(img, truth));
    /* The live machine's boot memory differs (footprint) but the dump does not. */
    uint8_t live[16];
    sim_mem_read(f.m, 0x100000, live, sizeof(live));
    CU_ASSERT_NOT_EQUAL(memcmp(live, img->chunks[0].data + 0x100000, sizeof(live)), 0);
    CU_ASSERT_EQUAL(img->ncpus, 2);
    CU_ASSERT_EQUAL(info.crashing_cpu, 1);
    for (size_t i = 0; i < img->ncpus && i < truth->ncpus; i++) {
        CU_ASSERT_TRUE(regs_equal(&img->cpus[i].regs.ppc64, &truth->cpus[i].regs.ppc64));
    }
    df_dump_free(img);
    df_dump_free(truth);
    sim_free(truth_m);
    fx_fini(&f);
}

static void test_truth_mode_matches_preserved(void)
{
    struct fx f;
    struct sim_machine *truth_m = NULL;
    struct df_dump *img = NULL, *ref = NULL;
    struct sim_fadump_capture_info info, rinfo;
    uint8_t fdm[SIM_FADUMP_FDM_BYTES];
    CU_ASSERT_FATAL(fx_init(&f, MEM, 3, 3, "phyp-default") == 0);
    sim_plant(f.m, 0x2000000, 256 * 1024, 11);
    sim_plant(f.m, 0x2e000000, 256 * 1024, 12);
    CU_ASSERT_FATAL(fx_crash_and_reboot(&f, 2, &truth_m) == 0);
    /* The reference agent on the snapshot reads the structure the kernel wrote. */
    CU_ASSERT_EQUAL(sim_mem_read(truth_m, SIM_FADUMP_FDM_ADDR, fdm, sizeof(fdm)), 0);
    CU_ASSERT_EQUAL(sim_fadump_capture(truth_m, fdm, sizeof(fdm), SIM_FADUMP_TRUTH, &ref,
                                       &rinfo), SIM_FADUMP_OK);
    CU_ASSERT_EQUAL(sim_fadump_capture(f.m, f.k.fdm_active, f.k.fdm_active_len,
                                       SIM_FADUMP_PRESERVED, &img, &info), SIM_FADUMP_OK);
    CU_ASSERT_FATAL(img && ref);
    CU_ASSERT_EQUAL(img->nchunks, ref->nchunks);
    CU_ASSERT_TRUE(pages_equal(img, ref));
    CU_ASSERT_TRUE(pages_equal(ref, img));
    CU_ASSERT_EQUAL(img->ncpus, 3);
    CU_ASSERT_EQUAL(ref->ncpus, 3);
    for (size_t i = 0; i < 3; i++) {
        CU_ASSERT_TRUE(regs_equal(&img->cpus[i].regs.ppc64, &ref->cpus[i].regs.ppc64));
    }
    df_dump_free(img);
    df_dump_free(ref);
    sim_free(truth_m);
    fx_fini(&f);
}

static void test_capture_rejects_bad_results(void)
{
    struct fx f;
    struct df_dump *img = NULL;
    struct sim_fadump_capture_info info;
    uint8_t bad[SIM_FADUMP_FDM_BYTES];
    CU_ASSERT_FATAL(fx_init(&f, MEM, 2, 2, "phyp-default") == 0);
    CU_ASSERT_FATAL(fx_crash_and_reboot(&f, 0, NULL) == 0);
    CU_ASSERT_EQUAL(f.k.fdm_active_len, SIM_FADUMP_FDM_BYTES);
    CU_ASSERT_EQUAL(db_ld_be16(f.k.fdm_active + PHYP_FDM_STATUS), 0xC000);
    /* RMR error flag set -> not valid. */
    memcpy(bad, f.k.fdm_active, sizeof(bad));
    db_st_be16(bad + 0x78 + PHYP_SEC_ERROR_FLAGS, PHYP_SEC_ERR_INVALID_SRC);
    CU_ASSERT_EQUAL(sim_fadump_capture(f.m, bad, sizeof(bad), SIM_FADUMP_PRESERVED, &img, &info),
                    SIM_FADUMP_ERR_NOT_VALID);
    CU_ASSERT_STRING_EQUAL(info.msg, "rtas fadump: Dump taken by platform is not valid");
    CU_ASSERT_PTR_NULL(img);
    /* Status exactly DUMP_ERROR -> not valid (6.1 tests equality). */
    memcpy(bad, f.k.fdm_active, sizeof(bad));
    db_st_be16(bad + PHYP_FDM_STATUS, PHYP_FDM_STATUS_ERROR);
    CU_ASSERT_EQUAL(sim_fadump_capture(f.m, bad, sizeof(bad), SIM_FADUMP_PRESERVED, &img, &info),
                    SIM_FADUMP_ERR_NOT_VALID);
    /* Short boot memory copy -> incomplete. */
    memcpy(bad, f.k.fdm_active, sizeof(bad));
    db_st_be64(bad + 0x78 + PHYP_SEC_BYTES_DUMPED, 4096);
    CU_ASSERT_EQUAL(sim_fadump_capture(f.m, bad, sizeof(bad), SIM_FADUMP_PRESERVED, &img, &info),
                    SIM_FADUMP_ERR_INCOMPLETE);
    CU_ASSERT_STRING_EQUAL(info.msg, "rtas fadump: Dump taken by platform is incomplete");
    /* Truncated property -> not valid, no read past its end. */
    CU_ASSERT_EQUAL(sim_fadump_capture(f.m, f.k.fdm_active, 100, SIM_FADUMP_PRESERVED, &img,
                                       &info), SIM_FADUMP_ERR_NOT_VALID);
    /* Crash info header destroyed -> corrupt. */
    uint64_t zero = 0;
    sim_mem_write(f.m, f.k.lay.fadumphdr_addr, &zero, sizeof(zero));
    CU_ASSERT_EQUAL(sim_fadump_capture(f.m, f.k.fdm_active, f.k.fdm_active_len,
                                       SIM_FADUMP_PRESERVED, &img, &info), SIM_FADUMP_ERR_CORRUPT);
    CU_ASSERT_STRING_EQUAL(info.msg, "fadump: Crash info header is not valid.");
    CU_ASSERT_PTR_NULL(img);
    fx_fini(&f);
}

static void test_crash_header_and_unregistered_crash(void)
{
    struct fx f;
    struct sim_fadump_calls c;
    uint8_t fdh[SIM_FADUMP_FDH_SIZE];
    CU_ASSERT_FATAL(fx_init(&f, MEM, 2, 2, "phyp-default") == 0);
    memset(&c, 0, sizeof(c));
    /* Not registered: crash_fadump does nothing, os-term is a plain panic. */
    CU_ASSERT_EQUAL(sim_fadump_crash(&f.k, f.m, 0, 0), SIM_FADUMP_ERR_STATE);
    CU_ASSERT_EQUAL(sim_fadump_register(&f.k, f.m, f.p, &c), SIM_FADUMP_OK);
    CU_ASSERT_EQUAL(sim_fadump_unregister(&f.k, f.m, f.p, &c), SIM_FADUMP_OK);
    CU_ASSERT_EQUAL(sim_fadump_crash(&f.k, f.m, 0, 0), SIM_FADUMP_ERR_STATE);
    CU_ASSERT_EQUAL(phyp_os_term(f.p), PHYP_OSTERM_PANIC);
    /* Registered again: NMI crash on CPU 1 records id, trap 0x100 and mask. */
    CU_ASSERT_EQUAL(sim_fadump_register(&f.k, f.m, f.p, &c), SIM_FADUMP_OK);
    CU_ASSERT_EQUAL(sim_fadump_crash(&f.k, f.m, 1, 0x100), SIM_FADUMP_OK);
    CU_ASSERT_EQUAL(sim_mem_read(f.m, f.k.lay.fadumphdr_addr, fdh, sizeof(fdh)), 0);
    CU_ASSERT_EQUAL(db_ld_le32(fdh + SIM_FADUMP_FDH_CRASHCPU), 1);
    CU_ASSERT_EQUAL(db_ld_le64(fdh + SIM_FADUMP_FDH_REGS + 8 * SIM_PTREGS_TRAP), 0x100);
    CU_ASSERT_EQUAL(db_ld_le64(fdh + SIM_FADUMP_FDH_REGS + 8 * SIM_PTREGS_NIP),
                    sim_ppc64_cpu(f.m, 1)->nia);
    CU_ASSERT_EQUAL(fdh[SIM_FADUMP_FDH_CPUMASK], 0x03);
    CU_ASSERT_EQUAL(fdh[SIM_FADUMP_FDH_CPUMASK + 1], 0x00);
    fx_fini(&f);
}

/* ---- backend ------------------------------------------------------------- */

static void test_run_crash_complete(void)
{
    struct srun sr;
    srun_exec(&sr, HDR("") "step plant addr=0x100000 len=256K seed=1\n"
                   "step plant addr=0x2c000000 len=256K seed=2\nstep set-regs cpu=1 gpr5=0x55\n"
                   "step register\nstep run ms=20\nstep crash cpu=1\nstep capture\n"
                   "step release\n");
    CU_ASSERT_EQUAL(sr.rc, 0);
    CU_ASSERT_EQUAL(sr.res.outcome, RUN_COMPLETE);
    CU_ASSERT_TRUE(find_rc(&sr.res, "register", 0));
    CU_ASSERT_TRUE(find_rc(&sr.res, "invalidate", 0));
    CU_ASSERT_EQUAL(sr.res.cpus_online, 2);
    CU_ASSERT_TRUE(image_matches_truth(&sr.res));
    CU_ASSERT_FATAL(sr.res.image != NULL && sr.res.truth != NULL);
    CU_ASSERT_EQUAL(sr.res.image->ncpus, 2);
    CU_ASSERT_EQUAL(sr.res.image->cpus[1].regs.ppc64.gpr[5], 0x55);
    CU_ASSERT_EQUAL(sr.res.image->cpus[1].regs.ppc64.nia, sr.res.truth->cpus[1].regs.ppc64.nia);
    CU_ASSERT_EQUAL(sr.res.nexempt, 1);
    CU_ASSERT_EQUAL(sr.res.exempt[0].addr, 320 * MIB);
    CU_ASSERT_EQUAL(sr.res.exempt[0].len, 320 * MIB + 0x20000);
    srun_free(&sr);
}

static void test_run_deterministic(void)
{
    struct srun a, b;
    const char *txt = HDR("") "step plant addr=0x200000 len=256K\nstep register\n"
                      "step run ms=30\nstep crash\nstep capture\n";
    srun_exec(&a, txt);
    srun_exec(&b, txt);
    CU_ASSERT_EQUAL(a.res.outcome, RUN_COMPLETE);
    CU_ASSERT_EQUAL(b.res.outcome, RUN_COMPLETE);
    /* Byte for byte (cmp_files skips holes both sparse images share). */
    char msg[256];
    CU_ASSERT_EQUAL(cmp_files(a.res.image_path, b.res.image_path, msg, sizeof(msg)), 0);
    CU_ASSERT_STRING_EQUAL(msg, "");
    struct stat st;
    CU_ASSERT_EQUAL(stat(a.res.image_path, &st), 0);
    CU_ASSERT_TRUE((uint64_t)st.st_size > 320 * MIB);
    /* Sparse: the 448 MiB image stores little more than its data. */
    CU_ASSERT_TRUE((uint64_t)st.st_blocks * 512 < 16 * MIB);
    srun_free(&a);
    srun_free(&b);
}

static void test_run_rtas_error_paths(void)
{
    struct srun sr;
    srun_exec(&sr, HDR("") "step fault rtas op=register rc=-1\nstep register\nstep crash\n");
    CU_ASSERT_EQUAL(sr.rc, 0);
    CU_ASSERT_EQUAL(sr.res.outcome, RUN_NO_DUMP);
    CU_ASSERT_TRUE(find_rc(&sr.res, "register", -1));
    CU_ASSERT_PTR_NOT_NULL(strstr(sr.res.reason, "Hardware Error(-1)"));
    CU_ASSERT_PTR_NULL(sr.res.image);
    CU_ASSERT_PTR_NOT_NULL(sr.res.truth);
    srun_free(&sr);

    srun_exec(&sr, HDR("") "step register sections=11\nstep crash\n");
    CU_ASSERT_EQUAL(sr.res.outcome, RUN_NO_DUMP);
    CU_ASSERT_TRUE(find_rc(&sr.res, "register", -3));
    CU_ASSERT_PTR_NOT_NULL(strstr(sr.res.reason, "Parameter Error(-3)"));
    srun_free(&sr);

    srun_exec(&sr, HDR("") "step register\nstep register\nstep crash\nstep capture\n");
    CU_ASSERT_EQUAL(sr.res.outcome, RUN_COMPLETE);
    CU_ASSERT_TRUE(find_rc(&sr.res, "register", -9));
    srun_free(&sr);

    srun_exec(&sr, HDR("profile=busy-3 ") "step register\nstep crash\nstep capture\n");
    CU_ASSERT_EQUAL(sr.res.outcome, RUN_COMPLETE);
    CU_ASSERT_EQUAL(sr.res.nrcs, 4);
    CU_ASSERT_EQUAL(sr.res.rcs[0].rc, -2);
    CU_ASSERT_EQUAL(sr.res.rcs[3].rc, 0);
    CU_ASSERT_EQUAL(sr.res.rcs[3].line, 5);
    srun_free(&sr);
}

static void test_run_unregister_and_quirk(void)
{
    struct srun sr;
    srun_exec(&sr, HDR("") "step register\nstep unregister\nstep crash\n");
    CU_ASSERT_EQUAL(sr.res.outcome, RUN_NO_DUMP);
    CU_ASSERT_TRUE(find_rc(&sr.res, "unregister", 0));
    CU_ASSERT_PTR_NOT_NULL(strstr(sr.res.reason, "not registered"));
    srun_free(&sr);
    /* Strict firmware: INVALIDATE without a dump is -3 and keeps the registration. */
    srun_exec(&sr, HDR("") "step register\nstep invalidate\nstep crash\nstep capture\n");
    CU_ASSERT_TRUE(find_rc(&sr.res, "invalidate", -3));
    CU_ASSERT_EQUAL(sr.res.outcome, RUN_COMPLETE);
    srun_free(&sr);
    /* QEMU 10.2 quirk Q1: INVALIDATE returns 0 and silently drops it. */
    srun_exec(&sr, HDR("profile=qemu-10.2 ") "step register\nstep invalidate\nstep crash\n");
    CU_ASSERT_TRUE(find_rc(&sr.res, "invalidate", 0));
    CU_ASSERT_EQUAL(sr.res.outcome, RUN_NO_DUMP);
    CU_ASSERT_PTR_NOT_NULL(strstr(sr.res.reason, "firmware has no registration"));
    srun_free(&sr);
}

static void test_run_hotplug_mem(void)
{
    struct srun sr;
    srun_exec(&sr, HDR("") "step register\nstep hotplug-mem size=256M reload=no\n"
                   "step plant addr=0x30000000 len=256K seed=4\nstep crash\nstep capture\n");
    CU_ASSERT_EQUAL(sr.res.outcome, RUN_INCOMPLETE);
    CU_ASSERT_PTR_NOT_NULL(strstr(sr.res.reason, "[0x30000000-0x40000000)"));
    CU_ASSERT_EQUAL(sr.res.nexempt, 2);
    CU_ASSERT_EQUAL(sr.res.exempt[1].addr, MEM);
    CU_ASSERT_EQUAL(sr.res.exempt[1].len, 256 * MIB);
    CU_ASSERT_PTR_NULL(df_dump_page(sr.res.image, MEM));
    CU_ASSERT_TRUE(image_matches_truth(&sr.res));
    srun_free(&sr);

    srun_exec(&sr, HDR("") "step register\nstep hotplug-mem size=256M reload=yes\n"
                   "step plant addr=0x30000000 len=256K seed=4\nstep crash\nstep capture\n");
    CU_ASSERT_EQUAL(sr.res.outcome, RUN_COMPLETE);
    CU_ASSERT_TRUE(find_rc(&sr.res, "unregister", 0));
    CU_ASSERT_EQUAL(sr.res.nrcs, 3);
    CU_ASSERT_PTR_NOT_NULL(df_dump_page(sr.res.image, MEM));
    CU_ASSERT_TRUE(image_matches_truth(&sr.res));
    CU_ASSERT_EQUAL(sr.res.nexempt, 1);
    srun_free(&sr);
}

static void test_run_hotplug_cpu_and_nmi(void)
{
    struct srun sr;
    srun_exec(&sr, "scenario t\nmachine arch=ppc64 memory=768M cpus=2 max-cpus=4 seed=3\n"
                   "dump method=fadump format=elf\nstep boot\nstep register\n"
                   "step hotplug-cpu count=2\nstep crash cpu=3\nstep capture\n");
    CU_ASSERT_EQUAL(sr.res.outcome, RUN_COMPLETE);
    CU_ASSERT_EQUAL(sr.res.cpus_online, 4);
    CU_ASSERT_FATAL(sr.res.image != NULL);
    CU_ASSERT_EQUAL(sr.res.image->ncpus, 4);
    CU_ASSERT_EQUAL(sr.res.image->cpus[3].regs.ppc64.gpr[1], sr.res.truth->cpus[3].regs.ppc64.gpr[1]);
    srun_free(&sr);

    srun_exec(&sr, HDR("") "step register\nstep hang\nstep crash\nstep operator-dump\n"
                   "step capture\n");
    CU_ASSERT_EQUAL(sr.res.outcome, RUN_COMPLETE);
    CU_ASSERT_TRUE(image_matches_truth(&sr.res));
    srun_free(&sr);

    /* NMI without registration: no dump. */
    srun_exec(&sr, HDR("") "step hang\nstep operator-dump\n");
    CU_ASSERT_EQUAL(sr.res.outcome, RUN_NO_DUMP);
    srun_free(&sr);
}

static void test_run_incremental_release(void)
{
    struct srun sr;
    srun_exec(&sr, HDR("") "step register\nstep crash\nstep capture\n"
                   "step release addr=0x14010000 len=256M\n"   /* part of the copy */
                   "step release addr=0x14010000 len=64K\n"    /* again: released */
                   "step release addr=0x2c000000 len=64K\n"    /* not preserved */
                   "step release addr=0x24010000 len=64M\n"    /* rest of the copy */
                   "step release addr=0x14000000 len=0xa00\n"  /* CPU state: last */
                   "step register\nstep crash cpu=1\nstep capture\n");
    CU_ASSERT_EQUAL(sr.rc, 0);
    CU_ASSERT_EQUAL(sr.res.nrcs, 8);
    CU_ASSERT_STRING_EQUAL(sr.res.rcs[1].op, "release");
    CU_ASSERT_EQUAL(sr.res.rcs[1].rc, 0);
    CU_ASSERT_EQUAL(sr.res.rcs[2].rc, PHYP_ERR_RELEASED);
    CU_ASSERT_EQUAL(sr.res.rcs[3].rc, PHYP_ERR_RANGE);
    CU_ASSERT_EQUAL(sr.res.rcs[4].rc, 0);
    CU_ASSERT_EQUAL(sr.res.rcs[5].rc, PHYP_RELEASED_ALL);
    CU_ASSERT_STRING_EQUAL(sr.res.rcs[6].op, "invalidate");
    CU_ASSERT_EQUAL(sr.res.rcs[6].rc, 0);
    /* Re-registration after the release and a second complete dump. */
    CU_ASSERT_STRING_EQUAL(sr.res.rcs[7].op, "register");
    CU_ASSERT_EQUAL(sr.res.rcs[7].rc, 0);
    CU_ASSERT_EQUAL(sr.res.outcome, RUN_COMPLETE);
    CU_ASSERT_EQUAL(sr.res.nexempt, 1);        /* only the second cycle's dump */
    CU_ASSERT_TRUE(image_matches_truth(&sr.res));
    srun_free(&sr);
}

static void test_run_rejects_bad_scenarios(void)
{
    struct srun sr;
    srun_exec(&sr, "scenario t\nmachine arch=ppc64 memory=768M cpus=2\n"
                   "dump method=kdump format=elf\nstep boot\n");
    CU_ASSERT_EQUAL(sr.rc, -1);
    CU_ASSERT_EQUAL(sr.res.outcome, RUN_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(sr.err, "fadump"));
    srun_free(&sr);
    srun_exec(&sr, "scenario t\nmachine arch=ppc64 memory=768M cpus=2 profile=nope\n"
                   "dump method=fadump\nstep boot\n");
    CU_ASSERT_EQUAL(sr.rc, -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(sr.err, "unknown phyp profile 'nope'"));
    srun_free(&sr);
    srun_exec(&sr, HDR("") "step fault sdias status=1\n");
    CU_ASSERT_EQUAL(sr.rc, -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(sr.err, "t.scn:5:"));
    srun_free(&sr);
}

void register_ppc64_tests(void)
{
    CU_pSuite s = CU_add_suite("ppc64_fadump", NULL, NULL);
    if (!s) {
        return;
    }
    CU_add_test(s, "layout_default_1g", test_layout_default_1g);
    CU_add_test(s, "layout_sizes_rules", test_layout_sizes_rules);
    CU_add_test(s, "layout_refusals", test_layout_refusals);
    CU_add_test(s, "fdm_bytes", test_fdm_bytes);
    CU_add_test(s, "register_ok_writes_structures", test_register_ok_writes_structures);
    CU_add_test(s, "register_already_registered", test_register_already_registered);
    CU_add_test(s, "register_param_error_changes_nothing",
                test_register_param_error_changes_nothing);
    CU_add_test(s, "register_hw_error_and_unknown", test_register_hw_error_and_unknown);
    CU_add_test(s, "register_busy_retries", test_register_busy_retries);
    CU_add_test(s, "register_busy_forever_gives_up", test_register_busy_forever_gives_up);
    CU_add_test(s, "capture_equals_truth", test_capture_equals_truth);
    CU_add_test(s, "truth_mode_matches_preserved", test_truth_mode_matches_preserved);
    CU_add_test(s, "capture_rejects_bad_results", test_capture_rejects_bad_results);
    CU_add_test(s, "crash_header_and_unregistered_crash",
                test_crash_header_and_unregistered_crash);
    CU_add_test(s, "run_crash_complete", test_run_crash_complete);
    CU_add_test(s, "run_deterministic", test_run_deterministic);
    CU_add_test(s, "run_rtas_error_paths", test_run_rtas_error_paths);
    CU_add_test(s, "run_unregister_and_quirk", test_run_unregister_and_quirk);
    CU_add_test(s, "run_hotplug_mem", test_run_hotplug_mem);
    CU_add_test(s, "run_hotplug_cpu_and_nmi", test_run_hotplug_cpu_and_nmi);
    CU_add_test(s, "run_incremental_release", test_run_incremental_release);
    CU_add_test(s, "run_rejects_bad_scenarios", test_run_rejects_bad_scenarios);
}
