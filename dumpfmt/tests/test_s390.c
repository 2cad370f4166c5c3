/* s390 stand-alone dump reader/writer. */
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <dumpbench/be.h>
#include <dumpfmt/s390.h>

#include "tutil.h"

#define MEM_END   0x120000u   /* end of the sample's last chunk */
#define FILE_LEN  (0x1000u + MEM_END + 16u)

static uint8_t *s390_file(struct df_dump *d, size_t *len)
{
    uint8_t *b = NULL;
    struct df_err e = {{0}};
    CU_ASSERT_EQUAL(df_write_s390_mem(d, &b, len, &e), DF_OK);
    return b;
}

static int read_s390(const uint8_t *b, size_t len, bool lenient,
                     struct df_dump **d, struct df_err *e)
{
    const char *p = tu_path("t.s390");
    CU_ASSERT_EQUAL_FATAL(tu_write_file(p, b, len), 0);
    struct df_read_opts o = {.lenient = lenient};
    memset(e->msg, 0, sizeof(e->msg));
    *d = NULL;
    return df_read_file_opts(p, &o, d, e);
}

static bool in_save_area(uint64_t a)
{
    static const uint64_t prefixes[] = {0x8000, 0xc000, 0x0};
    for (int i = 0; i < 3; i++) {
        if (a >= prefixes[i] + 0x1200 && a < prefixes[i] + 0x1400) {
            return true;
        }
    }
    return false;
}

static void test_s390dump_pinned(void)
{
    struct df_dump *d = tu_sample_s390();
    size_t len;
    uint8_t *b = s390_file(d, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(len, FILE_LEN);
    CU_ASSERT_EQUAL(db_ld_be64(b), 0xa8190173618f23fdull);
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x08), 5);            /* version */
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x0c), 0x1000);       /* hdr_size */
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x10), 4);            /* dump_level */
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x14), 4096);
    CU_ASSERT_EQUAL(db_ld_be64(b + 0x18), MEM_END);      /* mem_size */
    CU_ASSERT_EQUAL(db_ld_be64(b + 0x20), 0);            /* mem_start */
    CU_ASSERT_EQUAL(db_ld_be64(b + 0x28), MEM_END);      /* mem_end */
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x30), MEM_END / 4096);
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x48), 2);            /* arch 64 */
    CU_ASSERT_EQUAL(db_ld_be16(b + 0x5d), 3);            /* cpu_cnt, unaligned */
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x800), 0x8000);      /* lc_vec */
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x804), 0xc000);
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x808), 0);
    CU_ASSERT_EQUAL(memcmp(b + 0x1000 + MEM_END, "DUMP_END", 8), 0);
    CU_ASSERT_EQUAL(db_ld_be64(b + 0x1000 + MEM_END + 8), 0);
    /* store status of CPU 1 at prefix + 0x1200 (lowcore save area) */
    struct db_s390_cpu c1;
    tu_fill_s390_cpu(&c1, 1);
    const uint8_t *lc = b + 0x1000 + 0xc000;
    CU_ASSERT_EQUAL(db_ld_be64(lc + 0x1200 + 8 * 4), c1.fprs[4]);
    CU_ASSERT_EQUAL(db_ld_be64(lc + 0x1280), c1.gprs[0]);
    CU_ASSERT_EQUAL(db_ld_be64(lc + 0x1300), c1.psw_mask);
    CU_ASSERT_EQUAL(db_ld_be64(lc + 0x1308), c1.psw_addr);
    CU_ASSERT_EQUAL(db_ld_be32(lc + 0x1318), 0xc000);
    CU_ASSERT_EQUAL(db_ld_be32(lc + 0x131c), c1.fpc);
    CU_ASSERT_EQUAL(db_ld_be32(lc + 0x1324), c1.todpreg);
    CU_ASSERT_EQUAL(db_ld_be64(lc + 0x1328), c1.cputm);
    CU_ASSERT_EQUAL(db_ld_be64(lc + 0x1330), c1.ckc >> 8);
    CU_ASSERT_EQUAL(db_ld_be32(lc + 0x1340 + 4 * 15), c1.acrs[15]);
    CU_ASSERT_EQUAL(db_ld_be64(lc + 0x1380 + 8 * 15), c1.crs[15]);
    /* bytes around the save area untouched; hole zero-filled */
    CU_ASSERT_EQUAL(lc[0x11ff], tu_pat(0xc000 + 0x11ff, 1));
    CU_ASSERT_EQUAL(lc[0x1400], tu_pat(0xc000 + 0x1400, 1));
    CU_ASSERT_EQUAL(b[0x1000 + 0x50000], 0);
    free(b);
    df_dump_free(d);
}

static void test_s390dump_round_trip(void)
{
    struct df_dump *d = tu_sample_s390();
    struct df_err e = {{0}};
    CU_ASSERT_EQUAL_FATAL(df_write_s390(d, tu_path("rt.s390"), &e), DF_OK);
    struct df_dump *r = NULL;
    CU_ASSERT_EQUAL_FATAL(df_read_file(tu_path("rt.s390"), &r, &e), DF_OK);
    CU_ASSERT_EQUAL(r->format, DF_FMT_S390);
    CU_ASSERT_EQUAL(r->arch, DF_ARCH_S390X);
    CU_ASSERT_EQUAL(r->flags, 0);
    CU_ASSERT_EQUAL_FATAL(r->nchunks, 1);
    CU_ASSERT_EQUAL(r->chunks[0].paddr, 0);
    CU_ASSERT_EQUAL(r->chunks[0].size, MEM_END);
    unsigned diff = 0;
    for (uint64_t a = 0; a < MEM_END; a++) {
        uint8_t want = 0;
        if (a < 0x10000 || a >= 0x100000) {
            want = tu_pat(a, 1);
        }
        if (!in_save_area(a) && r->chunks[0].data[a] != want) {
            diff++;
        }
    }
    CU_ASSERT_EQUAL(diff, 0);
    CU_ASSERT_EQUAL_FATAL(r->ncpus, 3);
    for (unsigned n = 0; n < 3; n++) {
        const struct db_s390_cpu *a = &d->cpus[n].regs.s390;
        const struct db_s390_cpu *b = &r->cpus[n].regs.s390;
        CU_ASSERT_EQUAL(b->psw_mask, a->psw_mask);
        CU_ASSERT_EQUAL(b->psw_addr, a->psw_addr);
        CU_ASSERT_EQUAL(memcmp(b->gprs, a->gprs, sizeof(a->gprs)), 0);
        CU_ASSERT_EQUAL(memcmp(b->fprs, a->fprs, sizeof(a->fprs)), 0);
        CU_ASSERT_EQUAL(memcmp(b->acrs, a->acrs, sizeof(a->acrs)), 0);
        CU_ASSERT_EQUAL(memcmp(b->crs, a->crs, sizeof(a->crs)), 0);
        CU_ASSERT_EQUAL(b->prefix, a->prefix);
        CU_ASSERT_EQUAL(b->fpc, a->fpc);
        CU_ASSERT_EQUAL(b->todpreg, a->todpreg);
        CU_ASSERT_EQUAL(b->cputm, a->cputm);
        CU_ASSERT_EQUAL(b->ckc, a->ckc);
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(r->s390);
    CU_ASSERT(r->s390->end_marker);
    CU_ASSERT_EQUAL(r->s390->cpu_cnt, 3);
    CU_ASSERT_EQUAL(r->s390->lc_vec[1], 0xc000);
    df_dump_free(r);
    df_dump_free(d);
}

static void test_s390dump_header_info(void)
{
    struct df_dump *d = tu_sample_s390();
    d->s390 = calloc(1, sizeof(*d->s390));
    d->s390->version = 5;
    d->s390->dump_level = 4;
    d->s390->tod = 0xd6a1000000000000ull;
    d->s390->em_tod = 0xd6a1000100000000ull;
    d->s390->cpu_id = 0xff0012340000ull;
    d->s390->real_cpu_cnt = 8;
    d->s390->mem_size_real = 0x40000000;
    size_t len;
    uint8_t *b = s390_file(d, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(db_ld_be64(b + 0x54), 0x40000000);     /* unaligned u64 */
    struct df_err e;
    struct df_dump *r = NULL;
    CU_ASSERT_EQUAL_FATAL(read_s390(b, len, false, &r, &e), DF_OK);
    CU_ASSERT_EQUAL(r->s390->tod, d->s390->tod);
    CU_ASSERT_EQUAL(r->s390->em_tod, d->s390->em_tod);
    CU_ASSERT_EQUAL(r->s390->cpu_id, d->s390->cpu_id);
    CU_ASSERT_EQUAL(r->s390->real_cpu_cnt, 8);
    CU_ASSERT_EQUAL(r->s390->mem_size_real, 0x40000000);
    df_dump_free(r);
    /* end marker older than the header: corrupt */
    db_st_be64(b + 0x1000 + MEM_END + 8, 1);
    CU_ASSERT_EQUAL(read_s390(b, len, false, &r, &e), DF_ERR_CORRUPT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "older than header tod"));
    free(b);
    df_dump_free(d);
}

static void test_s390dump_end_marker_missing(void)
{
    struct df_dump *d = tu_sample_s390();
    size_t len;
    uint8_t *b = s390_file(d, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    struct df_err e;
    struct df_dump *r = NULL;
    CU_ASSERT_EQUAL(read_s390(b, len - 16, false, &r, &e), DF_ERR_CORRUPT);
    CU_ASSERT_PTR_NULL(r);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "end marker \"DUMP_END\" missing at offset 0x121000"));
    CU_ASSERT_EQUAL_FATAL(read_s390(b, len - 16, true, &r, &e), DF_OK);
    CU_ASSERT_EQUAL(r->flags, DF_FLAG_INCOMPLETE);
    CU_ASSERT_EQUAL(r->chunks[0].size, MEM_END);
    CU_ASSERT(!r->s390->end_marker);
    df_dump_free(r);
    memcpy(b + 0x1000 + MEM_END, "DUMP_BAD", 8);
    CU_ASSERT_EQUAL(read_s390(b, len, false, &r, &e), DF_ERR_CORRUPT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "end marker"));
    free(b);
    df_dump_free(d);
}

static void test_s390dump_memory_truncated(void)
{
    struct df_dump *d = tu_sample_s390();
    size_t len;
    uint8_t *b = s390_file(d, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    struct df_err e;
    struct df_dump *r = NULL;
    CU_ASSERT_EQUAL(read_s390(b, 0x1000 + 0x5000, false, &r, &e), DF_ERR_CORRUPT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "mem_size 0x120000 at offset 0x18"));
    CU_ASSERT_EQUAL_FATAL(read_s390(b, 0x1000 + 0x5000, true, &r, &e), DF_OK);
    CU_ASSERT_EQUAL(r->flags, DF_FLAG_INCOMPLETE);
    CU_ASSERT_EQUAL(r->chunks[0].size, 0x5000);
    CU_ASSERT_EQUAL(r->ncpus, 3);   /* save areas beyond the data: prefix only */
    CU_ASSERT_EQUAL(r->cpus[0].regs.s390.prefix, 0x8000);
    CU_ASSERT_EQUAL(r->cpus[0].regs.s390.gprs[0], 0);
    CU_ASSERT_NOT_EQUAL(r->cpus[2].regs.s390.gprs[0], 0);  /* 0x1200 readable */
    df_dump_free(r);
    free(b);
    df_dump_free(d);
}

static void test_s390dump_corrupt_header(void)
{
    struct df_dump *d = tu_sample_s390();
    size_t len;
    uint8_t *b = s390_file(d, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    uint8_t *m = malloc(len);
    struct df_err e;
    struct df_dump *r = NULL;
    memcpy(m, b, len);
    CU_ASSERT_EQUAL(read_s390(m, 0x800, false, &r, &e), DF_ERR_CORRUPT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "s390 dump header needs 0x1000 bytes"));
    db_st_be32(m + 0x48, 1);
    CU_ASSERT_EQUAL(read_s390(m, len, false, &r, &e), DF_ERR_NOTIMPL);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "arch 1 at offset 0x48"));
    memcpy(m, b, len);
    db_st_be32(m + 0x14, 8192);
    CU_ASSERT_EQUAL(read_s390(m, len, false, &r, &e), DF_ERR_CORRUPT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "page_size 8192"));
    memcpy(m, b, len);
    db_st_be16(m + 0x5d, 600);
    CU_ASSERT_EQUAL(read_s390(m, len, false, &r, &e), DF_ERR_CORRUPT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "cpu_cnt 600"));
    memcpy(m, b, len);
    db_st_be32(m + 0x0c, 0x10);
    CU_ASSERT_EQUAL(read_s390(m, len, false, &r, &e), DF_ERR_CORRUPT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "hdr_size 0x10"));
    memcpy(m, b, len);
    db_st_be64(m + 0x18, 0xfffffffffffff000ull);
    CU_ASSERT_EQUAL(read_s390(m, len, false, &r, &e), DF_ERR_CORRUPT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "mem_size"));
    memcpy(m, b, len);
    db_st_be64(m, 0xa8190173618f23feull);
    CU_ASSERT_EQUAL(read_s390(m, len, false, &r, &e), DF_ERR_NOTIMPL);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "extended s390 dump format"));
    CU_ASSERT_PTR_NULL(r);
    free(m);
    free(b);
    df_dump_free(d);
}

static void test_s390dump_deterministic_and_libkdumpfile(void)
{
    struct df_dump *d = tu_sample_s390();
    struct df_err e = {{0}};
    size_t len, fl;
    uint8_t *b = s390_file(d, &len);
    CU_ASSERT_EQUAL_FATAL(df_write_s390(d, tu_path("lk.s390"), &e), DF_OK);
    uint8_t *f = tu_read_file(tu_path("lk.s390"), &fl);
    CU_ASSERT(b && f && fl == len && memcmp(b, f, len) == 0);
    free(f);
    free(b);
    tu_kdumpfile_compare(tu_path("lk.s390"), MEM_END / 4096);
    df_dump_free(d);
}

static void test_s390dump_wrong_arch(void)
{
    struct df_dump *d = tu_sample_ppc(DF_ARCH_PPC64);
    struct df_err e = {{0}};
    uint8_t *b = NULL;
    size_t len = 0;
    CU_ASSERT_EQUAL(df_write_s390_mem(d, &b, &len, &e), DF_ERR_INVALID);
    CU_ASSERT_PTR_NULL(b);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "ppc64 is not s390x"));
    CU_ASSERT_EQUAL(df_write_s390(d, tu_path("x.s390"), &e), DF_ERR_INVALID);
    df_dump_free(d);
    /* empty s390x dump: header + end marker only */
    d = df_dump_new(DF_ARCH_S390X);
    CU_ASSERT_EQUAL_FATAL(df_write_s390_mem(d, &b, &len, &e), DF_OK);
    CU_ASSERT_EQUAL(len, 0x1000 + 16);
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x08), 4);   /* version 4 without CPUs */
    free(b);
    df_dump_free(d);
}

/*
 * The save-area codec at its architected offsets (lx61 lowcore.h 0x1200 +
 * field; q72 s390_store_status): encode writes only the fields (pads and
 * last_break keep their bytes), decode reads them back, ckc bits 0-55.
 */
static void test_s390_save_area_codec(void)
{
    struct db_s390_cpu a, b;
    memset(&a, 0, sizeof(a));
    for (int i = 0; i < 16; i++) {
        a.fprs[i] = 0xf000000000000000ull + (uint64_t)i;
        a.gprs[i] = 0x6000000000000000ull + (uint64_t)i;
        a.acrs[i] = 0xa0000000u + (uint32_t)i;
        a.crs[i] = 0xc000000000000000ull + (uint64_t)i;
    }
    a.psw_mask = 0x0704c00180000000ull;
    a.psw_addr = 0x123456;
    a.prefix = 0x102000;
    a.fpc = 0x80000;
    a.todpreg = 0xabcd;
    a.cputm = 0x1111222233334444ull;
    a.ckc = 0xaabbccddeeff1177ull;             /* low byte is not stored */
    uint8_t sa[DB_S390_SA_SIZE];
    memset(sa, 0xee, sizeof(sa));
    df_s390_sa_encode(&a, sa);
    CU_ASSERT_EQUAL(db_ld_be64(sa + 0x000 + 8 * 3), a.fprs[3]);
    CU_ASSERT_EQUAL(db_ld_be64(sa + 0x080 + 8 * 15), a.gprs[15]);
    CU_ASSERT_EQUAL(db_ld_be64(sa + 0x100), a.psw_mask);
    CU_ASSERT_EQUAL(db_ld_be64(sa + 0x108), a.psw_addr);
    CU_ASSERT_EQUAL(db_ld_be32(sa + 0x118), a.prefix);
    CU_ASSERT_EQUAL(db_ld_be32(sa + 0x11c), a.fpc);
    CU_ASSERT_EQUAL(db_ld_be32(sa + 0x124), a.todpreg);
    CU_ASSERT_EQUAL(db_ld_be64(sa + 0x128), a.cputm);
    CU_ASSERT_EQUAL(db_ld_be64(sa + 0x130), 0x00aabbccddeeff11ull);
    CU_ASSERT_EQUAL(db_ld_be32(sa + 0x140 + 4 * 2), a.acrs[2]);
    CU_ASSERT_EQUAL(db_ld_be64(sa + 0x180 + 8 * 13), a.crs[13]);
    static const unsigned untouched[][2] = { {0x110, 8}, {0x120, 4}, {0x138, 8} };
    for (size_t k = 0; k < sizeof(untouched) / sizeof(untouched[0]); k++) {
        for (unsigned i = 0; i < untouched[k][1]; i++) {
            CU_ASSERT_EQUAL(sa[untouched[k][0] + i], 0xee);
        }
    }
    memset(&b, 0x55, sizeof(b));
    df_s390_sa_decode(sa, &b);
    CU_ASSERT_EQUAL(memcmp(b.fprs, a.fprs, sizeof(a.fprs)), 0);
    CU_ASSERT_EQUAL(memcmp(b.gprs, a.gprs, sizeof(a.gprs)), 0);
    CU_ASSERT_EQUAL(memcmp(b.acrs, a.acrs, sizeof(a.acrs)), 0);
    CU_ASSERT_EQUAL(memcmp(b.crs, a.crs, sizeof(a.crs)), 0);
    CU_ASSERT_EQUAL(b.psw_mask, a.psw_mask);
    CU_ASSERT_EQUAL(b.psw_addr, a.psw_addr);
    CU_ASSERT_EQUAL(b.prefix, a.prefix);
    CU_ASSERT_EQUAL(b.fpc, a.fpc);
    CU_ASSERT_EQUAL(b.todpreg, a.todpreg);
    CU_ASSERT_EQUAL(b.cputm, a.cputm);
    CU_ASSERT_EQUAL(b.ckc, 0xaabbccddeeff1100ull);
    CU_ASSERT_EQUAL(b.vxrs_low[0], 0x5555555555555555ull);   /* not touched */
    CU_ASSERT_EQUAL(b.address, 0x5555);

    /* STORE ADDITIONAL STATUS vector area: V0-15 bytes 8-15, V16-31 whole */
    uint8_t vx[DB_S390_ADTL_VX_SIZE];
    for (int i = 0; i < 32; i++) {
        db_st_be64(vx + 16 * i, 0x1000000000000000ull + (uint64_t)i);
        db_st_be64(vx + 16 * i + 8, 0x2000000000000000ull + (uint64_t)i);
    }
    df_s390_adtl_vx_decode(vx, &b);
    CU_ASSERT_EQUAL(b.vxrs_low[0], 0x2000000000000000ull);
    CU_ASSERT_EQUAL(b.vxrs_low[15], 0x200000000000000full);
    CU_ASSERT_EQUAL(b.vxrs_high[0][0], 0x1000000000000010ull);
    CU_ASSERT_EQUAL(b.vxrs_high[0][1], 0x2000000000000010ull);
    CU_ASSERT_EQUAL(b.vxrs_high[15][0], 0x100000000000001full);
    CU_ASSERT_EQUAL(b.vxrs_high[15][1], 0x200000000000001full);
    CU_ASSERT_EQUAL(b.fprs[0], a.fprs[0]);     /* the FPR halves are ignored */
}

void register_s390_tests(void)
{
    CU_pSuite s = CU_add_suite("s390dump", tu_setup, tu_teardown);
    CU_add_test(s, "pinned header, lc_vec, save areas, end marker", test_s390dump_pinned);
    CU_add_test(s, "write->read round trip", test_s390dump_round_trip);
    CU_add_test(s, "header info (tod, cpu_id) preserved; em tod check", test_s390dump_header_info);
    CU_add_test(s, "missing end marker -> INCOMPLETE", test_s390dump_end_marker_missing);
    CU_add_test(s, "memory beyond EOF", test_s390dump_memory_truncated);
    CU_add_test(s, "corrupt header fields", test_s390dump_corrupt_header);
    CU_add_test(s, "deterministic; libkdumpfile cross-check", test_s390dump_deterministic_and_libkdumpfile);
    CU_add_test(s, "non-s390 refused; empty dump", test_s390dump_wrong_arch);
    CU_add_test(s, "save area / vector area codec offsets", test_s390_save_area_codec);
}
