/* Reference zfcpdump agent on a sim machine with libsclp and libfcp. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dumpbench/be.h>
#include <dumpfmt/s390.h>
#include <fcp/fcp.h>
#include <sclp/sclp.h>
#include <sim/backend.h>
#include <sim/machine.h>
#include <sim/zfcpdump.h>

#include "suites.h"

#define MIB (1024ull * 1024)
#define WWPN 0x500507630300c562ull
#define LUN 0x4010400000000000ull

struct fixture {
    struct sim_machine *m;
    struct sclp *sclp;
    struct sclp_profile prof;
    struct df_dump *truth;
    struct zfd_sclp_binding bind;
    struct zfd_fw fw;
    struct fcp_adapter *fcp;
    struct zfd_fcp_binding fb;
    struct zfd_target tgt;
};

/* Machine at the crash instant -> truth -> dump IPL -> dump kernel footprint. */
static int fx_setup(struct fixture *f, uint64_t hsa, bool sdias, uint64_t lun_blocks)
{
    memset(f, 0, sizeof(*f));
    struct sim_config c = { SIM_S390X, 40 * MIB, 2, 2, 21 };
    char err[128];
    f->m = sim_new(&c, err, sizeof(err));
    if (!f->m) {
        return -1;
    }
    sclp_profile_init_custom(&f->prof, "test", hsa);
    f->prof.sdias = sdias;
    f->sclp = sclp_new(sim_host(f->m), &f->prof);
    if (!f->sclp || sim_plant(f->m, 0, 38 * MIB, 5) != 0) {
        return -1;
    }
    /* The crash instant: CPUs stopped, IPL CPU status at 0x1200. */
    uint8_t sa[SCLP_SA_SIZE];
    const uint8_t one = 1;
    sim_s390_cpu(f->m, 0)->stopped = true;
    sim_s390_cpu(f->m, 1)->stopped = true;
    sclp_save_area_encode(sim_s390_cpu(f->m, 0), sa);
    sim_mem_write(f->m, SCLP_SA_ABS_ADDR, sa, sizeof(sa));
    sim_mem_write(f->m, SCLP_LC_AR_MODE_ID, &one, 1);
    f->truth = sim_snapshot_dump(f->m, 0, err, sizeof(err));
    if (!f->truth || sclp_dump_ipl(f->sclp, 0) != SCLP_OK) {
        return -1;
    }
    sim_plant(f->m, 0, hsa ? hsa : 16 * MIB, 999);   /* dump kernel footprint */
    f->bind.sclp = f->sclp;
    f->bind.ipl_cpu = 0;
    zfd_fw_from_sclp(&f->fw, &f->bind);
    if (lun_blocks) {
        struct fcp_adapter_config fc;
        fcp_adapter_default_config(&fc, 0x1900);
        if (fcp_adapter_new(&fc, &f->fcp) != FCP_ST_OK ||
            fcp_port_add(f->fcp, WWPN, 0x010200) != FCP_ST_OK ||
            fcp_lun_add_mem(f->fcp, WWPN, LUN, 512, lun_blocks) != FCP_ST_OK) {
            return -1;
        }
        f->fb.adapter = f->fcp;
        f->fb.wwpn = WWPN;
        f->fb.lun = LUN;
        zfd_target_from_fcp(&f->tgt, &f->fb);
    }
    return 0;
}

static void fx_teardown(struct fixture *f)
{
    fcp_adapter_free(f->fcp);
    df_dump_free(f->truth);
    sclp_free(f->sclp);
    sim_free(f->m);
}

static void live_cfg(struct fixture *f, struct zfd_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->mem = sim_host(f->m);
    cfg->fw = &f->fw;
    cfg->ipl_cpu = 0;
    cfg->release_hsa = true;
    cfg->vector = true;
}

/* Differing pages of [lo, hi) between truth and dump. */
static uint64_t pages_differ(const struct df_dump *t, const struct df_dump *d,
                             uint64_t lo, uint64_t hi)
{
    uint64_t n = 0;
    for (uint64_t p = lo; p < hi; p += 4096) {
        const uint8_t *a = df_dump_page(t, p), *b = df_dump_page(d, p);
        if (!a || !b || memcmp(a, b, 4096) != 0) {
            n++;
        }
    }
    return n;
}

static void test_decode_save_area(void)
{
    uint8_t sa[512];
    memset(sa, 0, sizeof(sa));
    db_st_be64(sa + 0x000 + 8 * 3, 0xf3f3f3f3f3f3f3f3ull);  /* FPR 3 */
    db_st_be64(sa + 0x080 + 8 * 15, 0x1515151515151515ull); /* GPR 15 */
    db_st_be64(sa + 0x100, 0x0704c00180000000ull);          /* PSW mask */
    db_st_be64(sa + 0x108, 0x0000000000123456ull);          /* PSW addr */
    db_st_be32(sa + 0x118, 0x00102000);                     /* prefix */
    db_st_be32(sa + 0x11c, 0x00080000);                     /* FPC */
    db_st_be32(sa + 0x124, 0x0000abcd);                     /* TOD prog reg */
    db_st_be64(sa + 0x128, 0x1111222233334444ull);          /* CPU timer */
    db_st_be64(sa + 0x130, 0x00aabbccddeeff11ull);          /* CKC bits 0-55 */
    db_st_be32(sa + 0x140 + 4 * 2, 0xa2a2a2a2);             /* AR 2 */
    db_st_be64(sa + 0x180 + 8 * 13, 0xc13c13c13c13c13cull); /* CR 13 */
    struct db_s390_cpu c;
    memset(&c, 0x55, sizeof(c));
    df_s390_sa_decode(sa, &c);
    CU_ASSERT_EQUAL(c.fprs[3], 0xf3f3f3f3f3f3f3f3ull);
    CU_ASSERT_EQUAL(c.fprs[2], 0);
    CU_ASSERT_EQUAL(c.gprs[15], 0x1515151515151515ull);
    CU_ASSERT_EQUAL(c.psw_mask, 0x0704c00180000000ull);
    CU_ASSERT_EQUAL(c.psw_addr, 0x123456);
    CU_ASSERT_EQUAL(c.prefix, 0x102000);
    CU_ASSERT_EQUAL(c.fpc, 0x80000);
    CU_ASSERT_EQUAL(c.todpreg, 0xabcd);
    CU_ASSERT_EQUAL(c.cputm, 0x1111222233334444ull);
    CU_ASSERT_EQUAL(c.ckc, 0xaabbccddeeff1100ull);
    CU_ASSERT_EQUAL(c.acrs[2], 0xa2a2a2a2);
    CU_ASSERT_EQUAL(c.crs[13], 0xc13c13c13c13c13cull);
    /* Agrees with libsclp's encoder for a sim CPU (ckc low byte clear). */
    struct sim_config cfg = { SIM_S390X, 8 * MIB, 1, 1, 4 };
    char err[64];
    struct sim_machine *m = sim_new(&cfg, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    struct db_s390_cpu *src = sim_s390_cpu(m, 0), out;
    sclp_save_area_encode(src, sa);
    memset(&out, 0, sizeof(out));
    df_s390_sa_decode(sa, &out);
    CU_ASSERT_EQUAL(memcmp(out.gprs, src->gprs, sizeof(out.gprs)), 0);
    CU_ASSERT_EQUAL(memcmp(out.crs, src->crs, sizeof(out.crs)), 0);
    CU_ASSERT_EQUAL(out.ckc, src->ckc);
    sim_free(m);
}

static void test_live_equals_truth(void)
{
    struct fixture f;
    CU_ASSERT_EQUAL_FATAL(fx_setup(&f, 32 * MIB, true, 0), 0);
    struct zfd_config cfg;
    struct zfd_result r;
    live_cfg(&f, &cfg);
    CU_ASSERT_EQUAL(zfd_capture(&cfg, &r), ZFD_COMPLETE);
    CU_ASSERT_EQUAL(r.hsa_size, 32 * MIB);
    CU_ASSERT_EQUAL(r.sdias_blocks, 32 * MIB / 4096 + 1);
    /* 32 MiB / 4 KiB page copies + ar_mode_id + save area reads. */
    CU_ASSERT_EQUAL(r.sdias_requests, 8192 + 2);
    CU_ASSERT_EQUAL(r.release_rc, 1);
    CU_ASSERT_EQUAL(sclp_get_state(f.sclp), SCLP_STATE_HSA_RELEASED);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r.dump);
    CU_ASSERT_EQUAL(pages_differ(f.truth, r.dump, 0, 40 * MIB), 0);
    CU_ASSERT_EQUAL_FATAL(r.dump->ncpus, 2);
    for (int i = 0; i < 2; i++) {
        const struct db_s390_cpu *e = &f.truth->cpus[i].regs.s390;
        const struct db_s390_cpu *g = &r.dump->cpus[i].regs.s390;
        CU_ASSERT_EQUAL(memcmp(e->gprs, g->gprs, sizeof(e->gprs)), 0);
        CU_ASSERT_EQUAL(memcmp(e->crs, g->crs, sizeof(e->crs)), 0);
        CU_ASSERT_EQUAL(memcmp(e->acrs, g->acrs, sizeof(e->acrs)), 0);
        CU_ASSERT_EQUAL(memcmp(e->vxrs_low, g->vxrs_low, sizeof(e->vxrs_low)), 0);
        CU_ASSERT_EQUAL(memcmp(e->vxrs_high, g->vxrs_high, sizeof(e->vxrs_high)), 0);
        CU_ASSERT_EQUAL(e->psw_addr, g->psw_addr);
        CU_ASSERT_EQUAL(e->prefix, g->prefix);
        CU_ASSERT_EQUAL(e->ckc, g->ckc);
        CU_ASSERT_EQUAL(e->cputm, g->cputm);
    }
    /* The footprint really is there: live low memory differs from truth. */
    CU_ASSERT_NOT_EQUAL(memcmp(sim_mem_page(f.m, 0x100000),
                               df_dump_page(f.truth, 0x100000), 4096), 0);
    zfd_result_free(&r);
    fx_teardown(&f);
}

/* A firmware model with the HSA numbering off by one block: request for
 * block n is answered from block n + 1 (page n - 1). */
static int shifted_servc(void *o, uint32_t cmdw, uint64_t sccb)
{
    struct fixture *f = o;
    uint8_t b[68];
    bool shift = false;
    if (cmdw == SCLP_CMDW_WRITE_EVENT_DATA && sim_mem_read(f->m, sccb, b, sizeof(b)) == 0 &&
        b[10] == SCLP_EVTYP_SDIAS && b[14] == SDIAS_EQ_STORE_DATA) {
        db_st_be32(b + 52, db_ld_be32(b + 52) + 1);
        sim_mem_write(f->m, sccb + 52, b + 52, 4);
        shift = true;
    }
    int rc = sclp_service_call(f->sclp, cmdw, sccb);
    if (shift) {
        sim_mem_read(f->m, sccb + 52, b + 52, 4);
        db_st_be32(b + 52, db_ld_be32(b + 52) - 1);
        sim_mem_write(f->m, sccb + 52, b + 52, 4);
    }
    return rc;
}

static int pass_sigp(void *o, uint8_t order, uint16_t addr, uint64_t param, uint32_t *st)
{
    struct fixture *f = o;
    return f->fw.sigp(f->fw.opaque, order, addr, param, st);
}

static int64_t pass_diag(void *o, uint32_t sub, uint64_t addr)
{
    struct fixture *f = o;
    return f->fw.diag308(f->fw.opaque, sub, addr);
}

static void test_off_by_one_block_detected(void)
{
    struct fixture f;
    CU_ASSERT_EQUAL_FATAL(fx_setup(&f, 32 * MIB, true, 0), 0);
    struct zfd_fw bad = { &f, shifted_servc, pass_sigp, pass_diag };
    struct zfd_config cfg;
    struct zfd_result r;
    live_cfg(&f, &cfg);
    cfg.fw = &bad;
    /* The HSA's last block has no successor: the copy of the last page
     * fails (or the run completes with garbage); either way not equal. */
    enum zfd_outcome o = zfd_capture(&cfg, &r);
    if (o == ZFD_COMPLETE) {
        CU_ASSERT(pages_differ(f.truth, r.dump, 0, 32 * MIB) > 8000);
        CU_ASSERT_EQUAL(pages_differ(f.truth, r.dump, 32 * MIB, 40 * MIB), 0);
        CU_ASSERT_NOT_EQUAL(r.dump->cpus[0].regs.s390.gprs[0],
                            f.truth->cpus[0].regs.s390.gprs[0]);
    } else {
        CU_ASSERT_EQUAL(o, ZFD_FAILED);
        CU_ASSERT_PTR_NOT_NULL(strstr(r.reason, "8193"));
    }
    zfd_result_free(&r);
    fx_teardown(&f);
}

static void test_truth_mode(void)
{
    struct sim_config c = { SIM_S390X, 16 * MIB, 3, 4, 8 };
    char err[128];
    struct sim_machine *m = sim_new(&c, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL(sim_plant(m, 0x200000, 3 * MIB, 1), 0);
    /* VMCOREINFO note at 0x40000, pointed to by lowcore 0xe0c. */
    const char *text = "OSRELEASE=6.1.0\nPAGESIZE=4096\n";
    uint8_t note[24 + 32];
    memset(note, 0, sizeof(note));
    db_st_be32(note, 11);
    db_st_be32(note + 4, (uint32_t)strlen(text));
    memcpy(note + 12, "VMCOREINFO", 11);
    memcpy(note + 24, text, strlen(text));
    uint8_t ptr[8];
    db_st_be64(ptr, 0x40000);
    sim_mem_write(m, 0x40000, note, sizeof(note));
    sim_mem_write(m, 0xe0c, ptr, 8);
    sim_s390_cpu(m, 2)->gprs[7] = 0x77;
    struct sim_machine *snap = sim_clone(m, err, sizeof(err));
    CU_ASSERT_PTR_NOT_NULL_FATAL(snap);
    sim_plant(m, 0, 16 * MIB, 3);              /* the live machine moves on */
    struct zfd_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.mem = sim_host(snap);
    cfg.ipl_cpu = 1;
    cfg.truth_hsa_size = 32 * MIB;
    cfg.vector = false;
    struct zfd_result r;
    CU_ASSERT_EQUAL(zfd_capture(&cfg, &r), ZFD_COMPLETE);
    CU_ASSERT_EQUAL(r.hsa_size, 32 * MIB);
    CU_ASSERT_EQUAL(r.release_rc, -1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r.dump);
    for (uint64_t p = 0; p < 16 * MIB; p += 4096) {
        uint8_t exp[4096];
        sim_mem_read(snap, p, exp, sizeof(exp));
        if (memcmp(exp, df_dump_page(r.dump, p), 4096) != 0) {
            CU_FAIL("truth-mode dump differs from the snapshot");
            break;
        }
    }
    CU_ASSERT_EQUAL_FATAL(r.dump->ncpus, 3);
    CU_ASSERT_EQUAL(r.dump->cpus[0].regs.s390.address, 1);     /* IPL CPU first */
    CU_ASSERT_EQUAL(r.dump->cpus[1].regs.s390.address, 0);
    CU_ASSERT_EQUAL(r.dump->cpus[2].regs.s390.gprs[7], 0x77);
    CU_ASSERT_EQUAL(r.dump->cpus[2].regs.s390.vxrs_low[0], 0); /* no VX */
    CU_ASSERT_FALSE(r.dump->flags & DF_FLAG_S390_VX);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r.dump->vmcoreinfo);
    CU_ASSERT_STRING_EQUAL(r.dump->vmcoreinfo, text);
    zfd_result_free(&r);
    /* A broken note (wrong name size) is ignored, like nt_vmcoreinfo does. */
    db_st_be32(note, 10);
    sim_mem_write(snap, 0x40000, note, 4);
    CU_ASSERT_EQUAL(zfd_capture(&cfg, &r), ZFD_COMPLETE);
    CU_ASSERT_PTR_NULL(r.dump->vmcoreinfo);
    zfd_result_free(&r);
    sim_free(snap);
    sim_free(m);
}

static void test_lun_holds_image(void)
{
    struct fixture f;
    CU_ASSERT_EQUAL_FATAL(fx_setup(&f, 32 * MIB, true, 200000), 0);
    struct zfd_config cfg;
    struct zfd_result r;
    live_cfg(&f, &cfg);
    cfg.target = &f.tgt;
    cfg.write_chunk = 4 * MIB;
    cfg.keep_image = true;
    CU_ASSERT_EQUAL_FATAL(zfd_capture(&cfg, &r), ZFD_COMPLETE);
    CU_ASSERT_EQUAL(r.bytes_written, r.image_size);
    CU_ASSERT(r.image_size > 40 * MIB);
    /* READ CAPACITY + one WRITE per 4 MiB + SYNCHRONIZE CACHE. */
    CU_ASSERT_EQUAL(f.fb.commands, 1 + (r.image_size + 4 * MIB - 1) / (4 * MIB) + 1);
    uint8_t *buf = malloc(r.image_size);
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    CU_ASSERT_EQUAL(fcp_lun_read_raw(f.fcp, WWPN, LUN, 0, buf, r.image_size), FCP_ST_OK);
    CU_ASSERT_EQUAL(memcmp(buf, r.image, r.image_size), 0);
    struct fcp_stats st;
    CU_ASSERT_EQUAL(fcp_lun_stats(f.fcp, WWPN, LUN, &st), FCP_ST_OK);
    CU_ASSERT_EQUAL(st.syncs, 1);
    CU_ASSERT_EQUAL(st.bytes_written, r.image_size);
    free(buf);
    zfd_result_free(&r);
    fx_teardown(&f);
}

static void test_medium_error_incomplete(void)
{
    struct fixture f;
    CU_ASSERT_EQUAL_FATAL(fx_setup(&f, 32 * MIB, true, 200000), 0);
    struct fcp_fault flt = { FCP_FAULT_MEDIUM_ERROR, 5000, 8, 0, 0 };
    CU_ASSERT_EQUAL_FATAL(fcp_lun_fault_set(f.fcp, WWPN, LUN, &flt), FCP_ST_OK);
    struct zfd_config cfg;
    struct zfd_result r;
    live_cfg(&f, &cfg);
    cfg.target = &f.tgt;
    CU_ASSERT_EQUAL(zfd_capture(&cfg, &r), ZFD_INCOMPLETE);
    CU_ASSERT_EQUAL(r.bytes_written, 5000 * 512);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.reason, "sense key 0x3"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.reason, "2560000 of"));
    CU_ASSERT_EQUAL(r.release_rc, 1);        /* HSA released after the copy */
    zfd_result_free(&r);
    fx_teardown(&f);
}

static void test_lun_too_small(void)
{
    struct fixture f;
    CU_ASSERT_EQUAL_FATAL(fx_setup(&f, 32 * MIB, true, 1000), 0);
    struct zfd_config cfg;
    struct zfd_result r;
    live_cfg(&f, &cfg);
    cfg.target = &f.tgt;
    CU_ASSERT_EQUAL(zfd_capture(&cfg, &r), ZFD_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.reason, "larger than the dump disk"));
    CU_ASSERT_EQUAL(r.bytes_written, 0);
    struct fcp_stats st;
    CU_ASSERT_EQUAL(fcp_lun_stats(f.fcp, WWPN, LUN, &st), FCP_ST_OK);
    CU_ASSERT_EQUAL(st.writes, 0);
    zfd_result_free(&r);
    fx_teardown(&f);
}

static void test_no_sdias_fails(void)
{
    struct fixture f;
    CU_ASSERT_EQUAL_FATAL(fx_setup(&f, 32 * MIB, false, 0), 0);
    struct zfd_config cfg;
    struct zfd_result r;
    live_cfg(&f, &cfg);
    CU_ASSERT_EQUAL(zfd_capture(&cfg, &r), ZFD_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.reason, "SDIAS not available"));
    CU_ASSERT_EQUAL(r.sdias_requests, 0);
    CU_ASSERT_EQUAL(r.release_rc, 1);        /* zcore_init failure path */
    struct sclp_stats st;
    sclp_get_stats(f.sclp, &st);
    CU_ASSERT_EQUAL(st.sdias_copies, 0);
    zfd_result_free(&r);
    fx_teardown(&f);
}

static void test_clobbered_vector_regs_visible(void)
{
    struct fixture f;
    CU_ASSERT_EQUAL_FATAL(fx_setup(&f, 32 * MIB, true, 0), 0);
    /* A firmware that reset the IPL CPU's vector registers at dump IPL. */
    memset(sim_s390_cpu(f.m, 0)->vxrs_low, 0, sizeof(sim_s390_cpu(f.m, 0)->vxrs_low));
    struct zfd_config cfg;
    struct zfd_result r;
    live_cfg(&f, &cfg);
    CU_ASSERT_EQUAL(zfd_capture(&cfg, &r), ZFD_COMPLETE);
    CU_ASSERT_EQUAL(r.dump->cpus[0].regs.s390.vxrs_low[5], 0);
    CU_ASSERT_NOT_EQUAL(f.truth->cpus[0].regs.s390.vxrs_low[5], 0);
    /* The secondary CPU's come through SIGP STORE ADDITIONAL STATUS. */
    CU_ASSERT_EQUAL(r.dump->cpus[1].regs.s390.vxrs_low[5],
                    f.truth->cpus[1].regs.s390.vxrs_low[5]);
    zfd_result_free(&r);
    fx_teardown(&f);
}

static void test_bad_config(void)
{
    struct fixture f;
    CU_ASSERT_EQUAL_FATAL(fx_setup(&f, 32 * MIB, true, 0), 0);
    struct zfd_config cfg;
    struct zfd_result r;
    live_cfg(&f, &cfg);
    cfg.scratch = 0x1000;                    /* inside the first 8 KiB */
    CU_ASSERT_EQUAL(zfd_capture(&cfg, &r), ZFD_ERROR);
    CU_ASSERT_PTR_NULL(r.dump);
    CU_ASSERT_EQUAL(sclp_get_state(f.sclp), SCLP_STATE_DUMP_KERNEL);  /* untouched */
    live_cfg(&f, &cfg);
    cfg.format = DF_FMT_KDUMP;
    CU_ASSERT_EQUAL(zfd_capture(&cfg, &r), ZFD_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.reason, "format"));
    struct zfd_fw half = f.fw;
    half.sigp = NULL;
    live_cfg(&f, &cfg);
    cfg.fw = &half;
    CU_ASSERT_EQUAL(zfd_capture(&cfg, &r), ZFD_ERROR);
    fx_teardown(&f);
}

static CU_TestInfo agent_tests[] = {
    { "decode_save_area_offsets", test_decode_save_area },
    { "live_capture_equals_truth", test_live_equals_truth },
    { "off_by_one_hsa_block_detected", test_off_by_one_block_detected },
    { "truth_mode_on_snapshot", test_truth_mode },
    { "lun_holds_exact_image", test_lun_holds_image },
    { "medium_error_incomplete", test_medium_error_incomplete },
    { "lun_too_small_fails_before_writing", test_lun_too_small },
    { "no_sdias_fails_and_releases", test_no_sdias_fails },
    { "clobbered_ipl_vector_regs_visible", test_clobbered_vector_regs_visible },
    { "bad_config_rejected", test_bad_config },
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo agent_suites[] = {
    { "zfcpdump_agent", NULL, NULL, NULL, NULL, agent_tests },
    CU_SUITE_INFO_NULL,
};

int register_agent_tests(void)
{
    return CU_register_suites(agent_suites) == CUE_SUCCESS ? 0 : -1;
}
