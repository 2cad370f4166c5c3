/*
 * s390x QEMU backend, file side (harness/src/qemu_s390x_truth.c): the
 * DBS390T1 truth snapshot reader on valid, truncated and corrupt files,
 * and the page / register / reference oracles over synthetic vmcores
 * written with libdumpfmt.
 */
#include <CUnit/CUnit.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dumpbench/be.h>
#include <dumpfmt/dump.h>
#include <harness/qemu.h>

#include "../src/qemu_internal.h"
#include "tests.h"

#define NPAGES   16u
#define RAM      (NPAGES * 4096u)
#define NCPU     3u
#define REC      976u
#define RAM_OFF  4096u

/* A valid snapshot: 3 slots, CPUs 0 and 2 online, IPL CPU 2. */
static uint8_t *make_truth(size_t *len)
{
    size_t n = RAM_OFF + RAM;
    uint8_t *b = calloc(1, n);
    memcpy(b, "DBS390T1", 8);
    db_st_be32(b + 8, 1);
    db_st_be32(b + 12, 64);
    db_st_be32(b + 16, NCPU);
    db_st_be32(b + 20, REC);
    db_st_be32(b + 24, 2);
    db_st_be32(b + 28, 0);
    db_st_be64(b + 32, RAM_OFF);
    db_st_be64(b + 40, RAM);
    db_st_be64(b + 48, 8 * 4096);
    db_st_be64(b + 56, 123456789);
    for (unsigned c = 0; c < NCPU; c++) {
        uint8_t *r = b + 64 + c * REC;
        if (c == 1)
            continue;          /* empty slot: flags 0, zero registers */
        for (unsigned w = 0; w < REC / 8; w++)
            db_st_be64(r + 8 * w, 0x1000ull * (c + 1) + w);
        db_st_be64(r + 0, c);                     /* index */
        db_st_be64(r + 8, c);                     /* address */
        db_st_be64(r + 16, 1);                    /* online */
        for (unsigned w = 21; w < 37; w++)        /* acrs are 32 bit */
            db_st_be64(r + 8 * w, (uint32_t)(0xa0 + w));
        db_st_be64(r + 8 * 53, 0x0000000088000000ull);  /* fpc */
        db_st_be64(r + 8 * 70, 0x10000u * (c + 1));     /* prefix */
        db_st_be64(r + 8 * 71, 0x1234);                 /* todpreg */
        db_st_be64(r + 8 * 73, 0xe3a2b38e7bb4b3d5ull);  /* ckc */
    }
    for (unsigned i = 0; i < RAM; i++)
        b[RAM_OFF + i] = (uint8_t)(i * 7 + i / 4096);
    *len = n;
    return b;
}

static char *write_tmp(const char *dir, const char *name, const void *d, size_t n)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    CU_ASSERT_EQUAL_FATAL(th_write_file(p, d, n), 0);
    return p;
}

/* Open a (modified) snapshot; returns the reader's rc, err filled. */
static int open_mod(const char *dir, uint8_t *b, size_t n, char *err, size_t el)
{
    char *p = write_tmp(dir, "t.bin", b, n);
    struct s390_truth t;
    int rc = s390_truth_open(&t, p, err, el);
    if (rc == 0)
        s390_truth_close(&t);
    free(p);
    return rc;
}

static void test_truth_valid(void)
{
    char *dir = th_mkdtemp();
    size_t n;
    uint8_t *b = make_truth(&n);
    char *p = write_tmp(dir, "t.bin", b, n);
    struct s390_truth t;
    char err[512] = "";
    CU_ASSERT_EQUAL_FATAL(s390_truth_open(&t, p, err, sizeof err), 0);
    CU_ASSERT_EQUAL(t.ncpu, NCPU);
    CU_ASSERT_EQUAL(t.ipl_cpu, 2);
    CU_ASSERT_EQUAL(t.ram_size, RAM);
    CU_ASSERT_EQUAL(t.hsa_size, 8 * 4096);
    CU_ASSERT_EQUAL(t.clock_ns, 123456789);
    CU_ASSERT_EQUAL(s390_truth_online(&t), 2);
    CU_ASSERT_FALSE(t.cpus[1].regs.online);
    const struct db_s390_cpu *c = &t.cpus[2].regs;
    CU_ASSERT_TRUE(c->online);
    CU_ASSERT_EQUAL(c->psw_mask, 0x3000 + 3);
    CU_ASSERT_EQUAL(c->psw_addr, 0x3000 + 4);
    CU_ASSERT_EQUAL(c->gprs[0], 0x3000 + 5);
    CU_ASSERT_EQUAL(c->gprs[15], 0x3000 + 20);
    CU_ASSERT_EQUAL(c->acrs[0], 0xa0 + 21);
    CU_ASSERT_EQUAL(c->fprs[0], 0x3000 + 37);
    CU_ASSERT_EQUAL(c->fpc, 0x88000000u);
    CU_ASSERT_EQUAL(c->crs[0], 0x3000 + 54);
    CU_ASSERT_EQUAL(c->prefix, 0x30000);
    CU_ASSERT_EQUAL(c->todpreg, 0x1234);
    CU_ASSERT_EQUAL(c->cputm, 0x3000 + 72);
    CU_ASSERT_EQUAL(c->ckc, 0xe3a2b38e7bb4b3d5ull);
    CU_ASSERT_EQUAL(c->vxrs_low[0], 0x3000 + 74);
    CU_ASSERT_EQUAL(c->vxrs_high[0][0], 0x3000 + 90);
    CU_ASSERT_EQUAL(c->vxrs_high[15][1], 0x3000 + 121);
    CU_ASSERT_EQUAL(t.ram[5], b[RAM_OFF + 5]);
    CU_ASSERT_EQUAL(t.ram[RAM - 1], b[RAM_OFF + RAM - 1]);
    /* dump model: IPL CPU first, only online CPUs, ckc as Linux dumps it */
    struct df_dump *d = s390_truth_dump(&t, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_EQUAL(d->ncpus, 2);
    CU_ASSERT_EQUAL(d->cpus[0].regs.s390.prefix, 0x30000);
    CU_ASSERT_EQUAL(d->cpus[1].regs.s390.prefix, 0x10000);
    CU_ASSERT_EQUAL(d->cpus[0].regs.s390.ckc, 0xe3a2b38e7bb4b3d5ull & ~0xffull);
    CU_ASSERT_EQUAL(df_dump_mem_bytes(d), RAM);
    df_dump_free(d);
    s390_truth_close(&t);
    free(p);
    free(b);
    th_rmtree(dir);
    free(dir);
}

static void expect_err(const char *dir, uint8_t *b, size_t n, const char *needle)
{
    char err[512] = "";
    CU_ASSERT_EQUAL(open_mod(dir, b, n, err, sizeof err), -1);
    if (!strstr(err, needle)) {
        fprintf(stderr, "\n  expected '%s' in '%s'\n", needle, err);
        CU_FAIL("error message does not name the field");
    }
}

static void test_truth_corrupt(void)
{
    char *dir = th_mkdtemp();
    size_t n;
    uint8_t *b = make_truth(&n);
    uint8_t *m = malloc(n);
    /* truncated: header, CPU records, RAM */
    expect_err(dir, b, 40, "truncated header");
    expect_err(dir, b, 0, "truncated header");
    expect_err(dir, b, 64 + REC, "truncated");
    expect_err(dir, b, n - 1, "beyond the file size");
#define MOD(stmt, needle) do { memcpy(m, b, n); stmt; expect_err(dir, m, n, needle); } while (0)
    MOD(m[0] = 'X', "magic");
    MOD(db_st_be32(m + 8, 2), "version");
    MOD(db_st_be32(m + 12, 32), "header size");
    MOD(db_st_be32(m + 12, 0x100000), "header size");
    MOD(db_st_be32(m + 16, 0), "ncpu");
    MOD(db_st_be32(m + 16, 100000), "ncpu");
    MOD(db_st_be32(m + 20, 968), "CPU record size");
    MOD(db_st_be32(m + 24, NCPU), "IPL CPU");
    MOD(db_st_be32(m + 24, 1), "not online");
    MOD(db_st_be64(m + 32, 2048), "ram_offset");
    MOD(db_st_be64(m + 32, 4097), "ram_offset");
    MOD(db_st_be64(m + 40, 0), "ram_size");
    MOD(db_st_be64(m + 40, 4095), "ram_size");
    MOD(db_st_be64(m + 40, RAM * 2), "beyond the file size");
    MOD(db_st_be64(m + 40, ~0ull & ~4095ull), "ram_size");
    MOD(db_st_be64(m + 32, ~0ull & ~4095ull), "beyond the file size");
    MOD(db_st_be64(m + 64 + 16, 0x5), "unknown bits");
    MOD(db_st_be64(m + 64 + 2 * REC, 7), "says index");
#undef MOD
    char err[512] = "";
    struct s390_truth t;
    CU_ASSERT_EQUAL(s390_truth_open(&t, "/nonexistent/truth.bin", err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/truth.bin"));
    free(m);
    free(b);
    th_rmtree(dir);
    free(dir);
}

/* The header-only clock reader (the -icount warp check of qemu_s390x.c). */
static void test_truth_clock(void)
{
    char *dir = th_mkdtemp();
    size_t n;
    uint8_t *b = make_truth(&n);
    char err[512] = "";
    uint64_t ns = 0;
    char *p = write_tmp(dir, "c.bin", b, n);
    CU_ASSERT_EQUAL(s390_truth_clock(p, &ns, err, sizeof err), 0);
    CU_ASSERT_EQUAL(ns, 123456789);
    free(p);
    db_st_be64(b + 56, 2251799805661367615ull);    /* the measured warp */
    p = write_tmp(dir, "c.bin", b, 64);             /* the header is enough */
    CU_ASSERT_EQUAL(s390_truth_clock(p, &ns, err, sizeof err), 0);
    CU_ASSERT_EQUAL(ns, 2251799805661367615ull);
    free(p);
    p = write_tmp(dir, "c.bin", b, 63);
    CU_ASSERT_EQUAL(s390_truth_clock(p, &ns, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "truncated header"));
    free(p);
    b[0] = 'X';
    p = write_tmp(dir, "c.bin", b, n);
    CU_ASSERT_EQUAL(s390_truth_clock(p, &ns, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "magic"));
    free(p);
    b[0] = 'D';
    db_st_be32(b + 8, 2);
    p = write_tmp(dir, "c.bin", b, n);
    CU_ASSERT_EQUAL(s390_truth_clock(p, &ns, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "version"));
    free(p);
    CU_ASSERT_EQUAL(s390_truth_clock("/nonexistent/truth.bin", &ns, err, sizeof err), -1);
    free(b);
    th_rmtree(dir);
    free(dir);
}

/* ---- oracles ---------------------------------------------------------------- */

struct fx {
    char *dir;
    struct s390_truth t;
    struct df_dump *truth;
};

static void fx_open(struct fx *f)
{
    f->dir = th_mkdtemp();
    size_t n;
    uint8_t *b = make_truth(&n);
    char *p = write_tmp(f->dir, "truth.bin", b, n);
    char err[512];
    CU_ASSERT_EQUAL_FATAL(s390_truth_open(&f->t, p, err, sizeof err), 0);
    f->truth = s390_truth_dump(&f->t, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f->truth);
    free(p);
    free(b);
}

static void fx_close(struct fx *f)
{
    df_dump_free(f->truth);
    s390_truth_close(&f->t);
    th_rmtree(f->dir);
    free(f->dir);
}

/* An ELF vmcore of `mem_pages` pages of the truth (with edits) and its CPUs. */
static struct df_dump *vmcore(struct fx *f, unsigned mem_pages, uint64_t poke_addr, uint8_t poke,
                              int gpr_cpu, const char *vmcoreinfo)
{
    struct df_err e;
    struct df_dump *d = df_dump_new(DF_ARCH_S390X);
    CU_ASSERT_EQUAL_FATAL(df_dump_add_chunk(d, 0, f->t.ram, (uint64_t)mem_pages * 4096, &e), 0);
    uint8_t *mem = (uint8_t *)d->chunks[0].data;
    mem[0xa3] ^= 1;                         /* the dump IPL's store status */
    mem[0x1234] ^= 0x55;
    if (poke_addr)
        mem[poke_addr] = poke;
    d->flags |= DF_FLAG_S390_VX;
    for (size_t i = 0; i < f->truth->ncpus; i++) {
        struct df_cpu c = f->truth->cpus[i];
        if ((int)i == gpr_cpu)
            c.regs.s390.gprs[7] ^= 0x100;
        CU_ASSERT_FATAL(df_dump_add_cpu(d, &c, &e) >= 0);
    }
    if (vmcoreinfo)
        CU_ASSERT_EQUAL_FATAL(df_dump_set_vmcoreinfo(d, vmcoreinfo, strlen(vmcoreinfo), &e), 0);
    char *p = malloc(strlen(f->dir) + 16);
    sprintf(p, "%s/vmcore", f->dir);
    CU_ASSERT_EQUAL_FATAL(df_write_elf(d, p, &e), 0);
    df_dump_free(d);
    struct df_dump *img = NULL;
    CU_ASSERT_EQUAL_FATAL(df_read_file(p, &img, &e), 0);
    free(p);
    return img;
}

static void test_oracle_equal(void)
{
    struct fx f;
    fx_open(&f);
    struct df_dump *img = vmcore(&f, NPAGES, 0, 0, -1, "OSRELEASE=6.1\n");
    struct s390_oracle_out *o = calloc(1, sizeof *o);
    s390_oracle_pages(f.truth, img, s390_dump_ipl_exempt, S390_DUMP_IPL_NEXEMPT, o);
    s390_oracle_regs(f.truth, img, o);
    CU_ASSERT_STRING_EQUAL(o->fail, "");
    CU_ASSERT_EQUAL(o->pages_compared, NPAGES);
    CU_ASSERT_EQUAL(o->pages_differ, 0);
    CU_ASSERT_EQUAL(o->pages_exempt, 2);            /* page 0 (0xa3), page 1 (0x1234) */
    CU_ASSERT_EQUAL(o->bytes_exempt_differ, 2);
    CU_ASSERT_EQUAL(o->cpus_dump, 2);
    CU_ASSERT_TRUE(o->regs_compared > 100);
    CU_ASSERT_FALSE(o->regs_differ);
    /* reference agent: not linked into the test binary -> skipped, said so */
    CU_ASSERT_EQUAL(s390_oracle_reference(&f.t, img, s390_dump_ipl_exempt, S390_DUMP_IPL_NEXEMPT, o), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(o->ref, "SKIPPED"));
    free(o);
    df_dump_free(img);
    fx_close(&f);
}

static void test_oracle_byte_differs(void)
{
    struct fx f;
    fx_open(&f);
    /* one byte outside the exemptions, on the exempt page 1 */
    struct df_dump *img = vmcore(&f, NPAGES, 0x1400, 0xee, -1, NULL);
    struct s390_oracle_out *o = calloc(1, sizeof *o);
    s390_oracle_pages(f.truth, img, s390_dump_ipl_exempt, S390_DUMP_IPL_NEXEMPT, o);
    CU_ASSERT_EQUAL(o->pages_differ, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(o->fail, "0x1400"));
    free(o);
    df_dump_free(img);
    /* a byte on an ordinary page */
    img = vmcore(&f, NPAGES, 0x7ffe, 0x00, -1, NULL);
    o = calloc(1, sizeof *o);
    s390_oracle_pages(f.truth, img, s390_dump_ipl_exempt, S390_DUMP_IPL_NEXEMPT, o);
    if (f.t.ram[0x7ffe] != 0) {
        CU_ASSERT_EQUAL(o->pages_differ, 1);
        CU_ASSERT_PTR_NOT_NULL(strstr(o->fail, "0x7ffe"));
    }
    free(o);
    df_dump_free(img);
    fx_close(&f);
}

static void test_oracle_missing_and_regs(void)
{
    struct fx f;
    fx_open(&f);
    struct df_dump *img = vmcore(&f, NPAGES - 3, 0, 0, 1, NULL);
    struct s390_oracle_out *o = calloc(1, sizeof *o);
    s390_oracle_pages(f.truth, img, s390_dump_ipl_exempt, S390_DUMP_IPL_NEXEMPT, o);
    CU_ASSERT_EQUAL(o->pages_missing, 3);
    CU_ASSERT_PTR_NOT_NULL(strstr(o->fail, "not in the vmcore"));
    struct s390_oracle_out *o2 = calloc(1, sizeof *o2);
    s390_oracle_regs(f.truth, img, o2);
    CU_ASSERT_TRUE(o2->regs_differ);
    CU_ASSERT_PTR_NOT_NULL(strstr(o2->fail, "gpr 7"));
    free(o);
    free(o2);
    df_dump_free(img);
    fx_close(&f);
}

static void test_ref_fields(void)
{
    struct fx f;
    fx_open(&f);
    struct df_dump *a = vmcore(&f, NPAGES, 0, 0, -1, "OSRELEASE=6.1\n");
    /* the reference: the same model with stored notes dropped, so the
     * generated ones are compared with the vmcore's */
    struct s390_oracle_out *o = calloc(1, sizeof *o);
    struct df_dump *b = vmcore(&f, NPAGES, 0, 0, -1, "OSRELEASE=6.1\n");
    s390_ref_fields(b, a, o);
    CU_ASSERT_EQUAL(o->nref_field, 0);
    df_dump_free(b);
    /* VMCOREINFO, a register (note bytes) and a page differ: each named */
    b = vmcore(&f, NPAGES, 0x5000, 0x99, 0, "OSRELEASE=6.2\n");
    memset(o, 0, sizeof *o);
    s390_ref_fields(b, a, o);
    bool vi = false, pg = false, note = false;
    for (size_t i = 0; i < o->nref_field; i++) {
        vi |= strstr(o->ref_field[i], "VMCOREINFO") != NULL;
        pg |= strstr(o->ref_field[i], "pages:") != NULL;
        note |= strstr(o->ref_field[i], "NT_PRSTATUS") != NULL;
    }
    CU_ASSERT_TRUE(vi);
    CU_ASSERT_TRUE(note);
    if (f.t.ram[0x5000] != 0x99)
        CU_ASSERT_TRUE(pg);
    free(o);
    df_dump_free(a);
    df_dump_free(b);
    fx_close(&f);
}

int register_s390x_script_tests(void);   /* test_s390x_script.c */

int register_s390x_truth_tests(void)
{
    CU_pSuite s = CU_add_suite("s390x_truth", NULL, NULL);
    if (!s)
        return -1;
    if (!CU_add_test(s, "truth snapshot: valid file, every field", test_truth_valid) ||
        !CU_add_test(s, "truth snapshot: truncated / corrupt files name the field", test_truth_corrupt) ||
        !CU_add_test(s, "truth snapshot: header clock only", test_truth_clock) ||
        !CU_add_test(s, "oracle: equal vmcore, named exemptions, reference skipped", test_oracle_equal) ||
        !CU_add_test(s, "oracle: one differing byte is found", test_oracle_byte_differs) ||
        !CU_add_test(s, "oracle: missing pages, differing register", test_oracle_missing_and_regs) ||
        !CU_add_test(s, "reference: differing fields are named", test_ref_fields))
        return -1;
    return register_s390x_script_tests();
}
