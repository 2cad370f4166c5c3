/* kdump-compressed reader on files generated here (makedumpfile layout). */
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <dumpbench/be.h>
#include <zlib.h>
#include <zstd.h>

#include "tutil.h"

#define BS        4096u
#define NPAGES    64u
#define F_ZLIB    0x01u
#define F_LZO     0x02u
#define F_SNAPPY  0x04u
#define F_INCOMPLETE 0x08u
#define F_ZSTD    0x20u

struct kd_spec {
    bool be;
    const char *machine;
    int version;
    uint32_t comp;            /* F_ZLIB, F_ZSTD or 0 */
    uint32_t status_extra;
    const uint8_t *notes;     /* ELF note blob or NULL */
    size_t notes_len;
    size_t vmci_off;          /* VMCOREINFO desc offset inside notes */
    size_t vmci_len;
};

struct kd_file {
    uint8_t *buf;
    size_t len;
    size_t pd_off;            /* first page_desc */
    size_t ndesc;
    size_t data_off;
};

static uint8_t image[NPAGES * BS];

static bool dumped(unsigned pfn)
{
    return !(pfn >= 10 && pfn <= 12) && pfn != 40;
}

static void make_image(void)
{
    for (size_t i = 0; i < sizeof(image); i++) {
        image[i] = tu_pat(i, 7);
    }
}

static void st32(bool be, uint8_t *p, uint32_t v)
{
    if (be) {
        db_st_be32(p, v);
    } else {
        db_st_le32(p, v);
    }
}

static void st64(bool be, uint8_t *p, uint64_t v)
{
    if (be) {
        db_st_be64(p, v);
    } else {
        db_st_le64(p, v);
    }
}

/* Lay out a makedumpfile v1..v6 file (mdf:IMPLEMENTATION). */
static struct kd_file kd_build(const struct kd_spec *s)
{
    struct kd_file f = {0};
    bool be = s->be;
    uint32_t sub_blocks = (uint32_t)((104 + s->notes_len + BS - 1) / BS);
    uint32_t bitmap_blocks = 2;   /* 2 x 32768 bits >= NPAGES */
    f.pd_off = (1 + sub_blocks + bitmap_blocks) * BS;
    for (unsigned p = 0; p < NPAGES; p++) {
        f.ndesc += dumped(p);
    }
    f.data_off = f.pd_off + f.ndesc * 24;
    size_t cap = f.data_off + NPAGES * (BS + 64);
    f.buf = calloc(1, cap);
    uint8_t *h = f.buf;
    memcpy(h, "KDUMP   ", 8);
    st32(be, h + 0x8, (uint32_t)s->version);
    memcpy(h + 0xc, "Linux", 5);
    memcpy(h + 0xc + 4 * 65, s->machine, strlen(s->machine));
    st32(be, h + 0x1a8, s->comp | s->status_extra);
    st32(be, h + 0x1ac, BS);
    st32(be, h + 0x1b0, sub_blocks);
    st32(be, h + 0x1b4, bitmap_blocks);
    st32(be, h + 0x1b8, NPAGES);
    st32(be, h + 0x1cc, 1);
    uint8_t *sh = f.buf + BS;
    st32(be, sh + 0x08, 1);                /* dump_level */
    if (s->notes_len) {
        memcpy(sh + 104, s->notes, s->notes_len);
        st64(be, sh + 0x30, BS + 104);
        st64(be, sh + 0x38, s->notes_len);
        st64(be, sh + 0x20, BS + 104 + s->vmci_off);
        st64(be, sh + 0x28, s->vmci_len);
    }
    st64(be, sh + 0x60, NPAGES);           /* max_mapnr_64 */
    uint8_t *bm1 = f.buf + (1 + sub_blocks) * BS;
    uint8_t *bm2 = bm1 + BS;
    size_t doff = f.data_off;
    size_t di = 0;
    for (unsigned p = 0; p < NPAGES; p++) {
        bm1[p / 8] |= (uint8_t)(1u << (p % 8));
        if (!dumped(p)) {
            continue;
        }
        bm2[p / 8] |= (uint8_t)(1u << (p % 8));
        const uint8_t *src = image + (size_t)p * BS;
        uint8_t tmp[BS + 1024];
        size_t csz = 0;
        uint32_t flags = 0;
        if (s->comp == F_ZLIB) {
            uLongf n = sizeof(tmp);
            if (compress2(tmp, &n, src, BS, Z_BEST_SPEED) == Z_OK && n < BS) {
                csz = n;
                flags = F_ZLIB;
            }
        } else if (s->comp == F_ZSTD) {
            size_t n = ZSTD_compress(tmp, sizeof(tmp), src, BS, 1);
            if (!ZSTD_isError(n) && n < BS) {
                csz = n;
                flags = F_ZSTD;
            }
        }
        if (!flags) {
            memcpy(tmp, src, BS);
            csz = BS;
        }
        uint8_t *pd = f.buf + f.pd_off + di * 24;
        st64(be, pd, doff);
        st32(be, pd + 8, (uint32_t)csz);
        st32(be, pd + 12, flags);
        memcpy(f.buf + doff, tmp, csz);
        doff += csz;
        di++;
    }
    f.len = doff;
    return f;
}

/* Offset of the page_desc of dumped pfn. */
static uint8_t *pd_of(struct kd_file *f, unsigned pfn)
{
    size_t i = 0;
    for (unsigned p = 0; p < pfn; p++) {
        i += dumped(p);
    }
    return f->buf + f->pd_off + i * 24;
}

static struct kd_spec s390_spec(uint8_t **notes)
{
    struct df_dump *d = tu_sample_s390();
    struct df_err e;
    size_t nl = 0;
    df_dump_build_notes(d, notes, &nl, &e);
    df_dump_free(d);
    struct kd_spec s = {
        .be = true, .machine = "s390x", .version = 6, .comp = F_ZLIB,
        .notes = *notes, .notes_len = nl,
        .vmci_off = nl - 56 /* VMCI_TEXT */, .vmci_len = 56,
    };
    return s;
}

static int read_kd(struct kd_file *f, size_t len, bool lenient,
                   struct df_dump **d, struct df_err *e)
{
    const char *p = tu_path("t.kdump");
    CU_ASSERT_EQUAL_FATAL(tu_write_file(p, f->buf, len), 0);
    struct df_read_opts o = {.lenient = lenient};
    memset(e->msg, 0, sizeof(e->msg));
    *d = NULL;
    return df_read_file_opts(p, &o, d, e);
}

static void check_image(const struct df_dump *d, unsigned skip_from)
{
    CU_ASSERT_EQUAL(d->page_size, BS);
    for (unsigned p = 0; p < NPAGES; p++) {
        const uint8_t *pg = df_dump_page(d, (uint64_t)p * BS);
        if (!dumped(p) || p >= skip_from) {
            CU_ASSERT_PTR_NULL(pg);
        } else {
            CU_ASSERT(pg && memcmp(pg, image + (size_t)p * BS, BS) == 0);
        }
    }
}

static void test_kdump_zlib_s390(void)
{
    make_image();
    uint8_t *notes = NULL;
    struct kd_spec s = s390_spec(&notes);
    struct kd_file f = kd_build(&s);
    struct df_err e;
    struct df_dump *d = NULL;
    CU_ASSERT_EQUAL_FATAL(read_kd(&f, f.len, false, &d, &e), DF_OK);
    CU_ASSERT_EQUAL(d->format, DF_FMT_KDUMP);
    CU_ASSERT_EQUAL(d->arch, DF_ARCH_S390X);
    CU_ASSERT_EQUAL(d->flags, DF_FLAG_S390_VX);
    CU_ASSERT_EQUAL_FATAL(d->nchunks, 3);       /* runs [0,10) [13,40) [41,64) */
    CU_ASSERT_EQUAL(d->chunks[0].paddr, 0);
    CU_ASSERT_EQUAL(d->chunks[0].size, 10 * BS);
    CU_ASSERT_EQUAL(d->chunks[1].paddr, 13 * BS);
    CU_ASSERT_EQUAL(d->chunks[2].size, 23 * BS);
    check_image(d, NPAGES);
    CU_ASSERT_EQUAL(d->ncpus, 2);
    struct db_s390_cpu c1;
    tu_fill_s390_cpu(&c1, 1);
    CU_ASSERT_EQUAL(d->cpus[1].regs.s390.psw_addr, c1.psw_addr);
    CU_ASSERT_EQUAL(d->cpus[1].regs.s390.prefix, c1.prefix);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d->vmcoreinfo);
    CU_ASSERT_STRING_EQUAL(d->vmcoreinfo, VMCI_TEXT);
    df_dump_free(d);
    tu_kdumpfile_compare(tu_path("t.kdump"), NPAGES - 4);
    free(f.buf);
    free(notes);
}

static void test_kdump_zstd_x86(void)
{
    make_image();
    struct df_dump *x = df_dump_new(DF_ARCH_X86_64);
    struct df_err e;
    df_dump_set_vmcoreinfo(x, VMCI_TEXT, 56, &e);
    uint8_t *notes = NULL;
    size_t nl = 0;
    CU_ASSERT_EQUAL(df_dump_build_notes(x, &notes, &nl, &e), DF_OK);
    df_dump_free(x);
    struct kd_spec s = {
        .be = false, .machine = "x86_64", .version = 6, .comp = F_ZSTD,
        .notes = notes, .notes_len = nl, .vmci_off = 24, .vmci_len = 56,
    };
    struct kd_file f = kd_build(&s);
    struct df_dump *d = NULL;
    CU_ASSERT_EQUAL_FATAL(read_kd(&f, f.len, false, &d, &e), DF_OK);
    CU_ASSERT_EQUAL(d->arch, DF_ARCH_X86_64);
    CU_ASSERT_EQUAL(d->flags, 0);
    check_image(d, NPAGES);
    CU_ASSERT_STRING_EQUAL(d->vmcoreinfo, VMCI_TEXT);
    df_dump_free(d);
    tu_kdumpfile_compare(tu_path("t.kdump"), NPAGES - 4);
    free(f.buf);
    free(notes);
}

static void test_kdump_raw_v1(void)
{
    make_image();
    struct kd_spec s = {.be = true, .machine = "ppc64", .version = 1, .comp = 0};
    struct kd_file f = kd_build(&s);
    /* v1: max_mapnr comes from the 32-bit header field, no notes */
    struct df_err e;
    struct df_dump *d = NULL;
    CU_ASSERT_EQUAL_FATAL(read_kd(&f, f.len, false, &d, &e), DF_OK);
    CU_ASSERT_EQUAL(d->arch, DF_ARCH_PPC64);
    CU_ASSERT_EQUAL(d->nnotes, 0);
    CU_ASSERT_PTR_NULL(d->vmcoreinfo);
    check_image(d, NPAGES);
    df_dump_free(d);
    free(f.buf);
}

static void test_kdump_incomplete(void)
{
    make_image();
    uint8_t *notes = NULL;
    struct kd_spec s = s390_spec(&notes);
    s.status_extra = F_INCOMPLETE;
    struct kd_file f = kd_build(&s);
    /* makedumpfile ran out of space: the last three descriptors are zero */
    for (unsigned p = 61; p < NPAGES; p++) {
        memset(pd_of(&f, p), 0, 24);
    }
    struct df_err e;
    struct df_dump *d = NULL;
    CU_ASSERT_EQUAL_FATAL(read_kd(&f, f.len, false, &d, &e), DF_OK);
    CU_ASSERT(d->flags & DF_FLAG_INCOMPLETE);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "DUMP_DH_COMPRESSED_INCOMPLETE"));
    check_image(d, 61);
    CU_ASSERT_EQUAL(d->nchunks, 3);
    df_dump_free(d);
    /* file cut inside the page data of an incomplete dump */
    size_t cut = (size_t)db_ld_be64(pd_of(&f, 50)) + 10;
    CU_ASSERT_EQUAL_FATAL(read_kd(&f, cut, false, &d, &e), DF_OK);
    CU_ASSERT(d->flags & DF_FLAG_INCOMPLETE);
    check_image(d, 50);
    df_dump_free(d);
    free(f.buf);
    free(notes);
}

static void test_kdump_lost_page_not_marked(void)
{
    make_image();
    struct kd_spec s = {.be = true, .machine = "s390x", .version = 6, .comp = F_ZLIB};
    struct kd_file f = kd_build(&s);
    memset(pd_of(&f, 20), 0, 24);
    struct df_err e;
    struct df_dump *d = NULL;
    CU_ASSERT_EQUAL(read_kd(&f, f.len, false, &d, &e), DF_ERR_CORRUPT);
    CU_ASSERT_PTR_NULL(d);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "pfn 0x14"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "lacks DUMP_DH_COMPRESSED_INCOMPLETE"));
    CU_ASSERT_EQUAL_FATAL(read_kd(&f, f.len, true, &d, &e), DF_OK);
    CU_ASSERT(d->flags & DF_FLAG_INCOMPLETE);
    CU_ASSERT_PTR_NULL(df_dump_page(d, 20 * BS));
    CU_ASSERT_PTR_NOT_NULL(df_dump_page(d, 21 * BS));
    df_dump_free(d);
    free(f.buf);
}

static void test_kdump_unsupported_codecs(void)
{
    make_image();
    struct kd_spec s = {.be = true, .machine = "s390x", .version = 6, .comp = F_ZLIB};
    struct kd_file f = kd_build(&s);
    struct df_err e;
    struct df_dump *d = NULL;
    db_st_be32(pd_of(&f, 3) + 12, F_LZO);
    CU_ASSERT_EQUAL(read_kd(&f, f.len, false, &d, &e), DF_ERR_NOTIMPL);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "pfn 0x3"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "lzo"));
    db_st_be32(pd_of(&f, 3) + 12, F_SNAPPY);
    CU_ASSERT_EQUAL(read_kd(&f, f.len, false, &d, &e), DF_ERR_NOTIMPL);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "snappy"));
    CU_ASSERT_PTR_NULL(d);
    free(f.buf);
}

static void test_kdump_corrupt_pages(void)
{
    make_image();
    struct kd_spec s = {.be = true, .machine = "s390x", .version = 6, .comp = F_ZLIB};
    struct kd_file f = kd_build(&s);
    struct df_err e;
    struct df_dump *d = NULL;
    uint8_t *pd = pd_of(&f, 5);               /* all-zero page: compressed */
    CU_ASSERT_EQUAL_FATAL(db_ld_be32(pd + 12), F_ZLIB);
    uint64_t off = db_ld_be64(pd);
    f.buf[off] ^= 0xff;
    CU_ASSERT_EQUAL(read_kd(&f, f.len, false, &d, &e), DF_ERR_CORRUPT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "pfn 0x5"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "zlib"));
    f.buf[off] ^= 0xff;
    /* raw page with wrong size */
    db_st_be32(pd + 12, 0);
    CU_ASSERT_EQUAL(read_kd(&f, f.len, false, &d, &e), DF_ERR_CORRUPT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "uncompressed size"));
    db_st_be32(pd + 12, F_ZLIB);
    /* page data beyond EOF in a dump not marked incomplete */
    size_t cut = (size_t)db_ld_be64(pd_of(&f, 50)) + 10;
    CU_ASSERT_EQUAL(read_kd(&f, cut, false, &d, &e), DF_ERR_CORRUPT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "page data of pfn 0x32"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "beyond EOF"));
    CU_ASSERT_PTR_NULL(d);
    /* page_desc table cut */
    CU_ASSERT_EQUAL(read_kd(&f, f.pd_off + 5, false, &d, &e), DF_ERR_CORRUPT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "page_desc for pfn 0x0 at offset"));
    free(f.buf);
}

static void test_kdump_corrupt_headers(void)
{
    make_image();
    uint8_t *notes = NULL;
    struct kd_spec s = s390_spec(&notes);
    struct kd_file f = kd_build(&s);
    uint8_t *keep = malloc(f.len);
    memcpy(keep, f.buf, f.len);
    struct df_err e;
    struct df_dump *d = NULL;
    struct {
        size_t off;
        uint32_t v32;
        int w64;
        size_t len;
        int status;
        const char *needle;
    } cases[] = {
        {0, 0, 0, 100, DF_ERR_CORRUPT, "disk_dump_header needs 464 bytes"},
        {0x1ac, 3, 0, 0, DF_ERR_CORRUPT, "block_size 3 at offset 0x1ac"},
        {0x1b4, 3, 0, 0, DF_ERR_CORRUPT, "bitmap_blocks 3 at offset 0x1b4"},
        {0x1b0, 0, 0, 0, DF_ERR_CORRUPT, "sub_hdr_size 0 at offset 0x1b0"},
        {0x8, 0, 0, 0, DF_ERR_NOTIMPL, "header_version 0"},
        {BS + 0x60, 0x100000, 1, 0, DF_ERR_CORRUPT, "max_mapnr 0x100000"},
        {BS + 0x30, 0x7000000, 1, 0, DF_ERR_CORRUPT, "offset_note 0x7000000"},
        {BS + 0x20, 0x7000000, 1, 0, DF_ERR_CORRUPT, "offset_vmcoreinfo 0x7000000"},
        {BS + 0xc, 1, 0, 0, DF_ERR_NOTIMPL, "split dump"},
        {0, 0, 0, BS + 50, DF_ERR_CORRUPT, "kdump_sub_header at offset 0x1000"},
        {0, 0, 0, 3 * BS + 10, DF_ERR_CORRUPT, "bitmaps at offset"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        memcpy(f.buf, keep, f.len);
        if (cases[i].off || cases[i].v32) {
            if (cases[i].w64) {
                db_st_be64(f.buf + cases[i].off, cases[i].v32);
            } else {
                db_st_be32(f.buf + cases[i].off, cases[i].v32);
            }
        }
        size_t len = cases[i].len ? cases[i].len : f.len;
        int rc = read_kd(&f, len, false, &d, &e);
        CU_ASSERT_EQUAL(rc, cases[i].status);
        CU_ASSERT_PTR_NULL(d);
        if (!strstr(e.msg, cases[i].needle)) {
            fprintf(stderr, "\ncase %zu: '%s' lacks '%s'\n", i, e.msg,
                    cases[i].needle);
            CU_FAIL("message does not name the field");
        }
    }
    /* flattened and old diskdump signatures */
    memcpy(f.buf, keep, f.len);
    memcpy(f.buf, "makedumpfile\0\0\0\0", 16);
    CU_ASSERT_EQUAL(read_kd(&f, f.len, false, &d, &e), DF_ERR_NOTIMPL);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "makedumpfile -R"));
    memcpy(f.buf, "DISKDUMP", 8);
    CU_ASSERT_EQUAL(read_kd(&f, f.len, false, &d, &e), DF_ERR_NOTIMPL);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "DISKDUMP"));
    free(keep);
    free(f.buf);
    free(notes);
}

void register_kdump_tests(void)
{
    CU_pSuite s = CU_add_suite("kdump", tu_setup, tu_teardown);
    CU_add_test(s, "zlib s390x v6 with notes + libkdumpfile", test_kdump_zlib_s390);
    CU_add_test(s, "zstd x86_64 LE + libkdumpfile", test_kdump_zstd_x86);
    CU_add_test(s, "raw pages, header version 1", test_kdump_raw_v1);
    CU_add_test(s, "incomplete dump (status flag, lost pages, cut)", test_kdump_incomplete);
    CU_add_test(s, "lost page without incomplete flag", test_kdump_lost_page_not_marked);
    CU_add_test(s, "lzo/snappy -> NOTIMPL", test_kdump_unsupported_codecs);
    CU_add_test(s, "corrupt page data/descs", test_kdump_corrupt_pages);
    CU_add_test(s, "corrupt headers name the field", test_kdump_corrupt_headers);
}
