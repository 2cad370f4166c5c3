/*
 * Sparse images and known-zero memory: df_dump_mark_zero / df_dump_zero_run,
 * sparse file output (holes, identical bytes), the streaming writer, and
 * holes found again by the reader.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <CUnit/CUnit.h>

#include "tutil.h"

#define PG 4096u

static void test_mark_zero_merge(void)
{
    struct df_dump *d = df_dump_new(DF_ARCH_S390X);
    struct df_err e = {{0}};
    CU_ASSERT_EQUAL(df_dump_mark_zero(d, 0x5000, 0x1000, &e), DF_OK);
    CU_ASSERT_EQUAL(df_dump_mark_zero(d, 0x1000, 0x1000, &e), DF_OK);   /* before */
    CU_ASSERT_EQUAL(df_dump_mark_zero(d, 0x9000, 0x2000, &e), DF_OK);   /* after */
    CU_ASSERT_EQUAL(df_dump_mark_zero(d, 0x2000, 0, &e), DF_OK);        /* no-op */
    CU_ASSERT_EQUAL_FATAL(d->nzero, 3);
    CU_ASSERT_EQUAL(d->zero[0].paddr, 0x1000);
    CU_ASSERT_EQUAL(d->zero[1].paddr, 0x5000);
    CU_ASSERT_EQUAL(d->zero[2].paddr, 0x9000);
    /* Adjacent to the first: extends it. */
    CU_ASSERT_EQUAL(df_dump_mark_zero(d, 0x2000, 0x800, &e), DF_OK);
    CU_ASSERT_EQUAL_FATAL(d->nzero, 3);
    CU_ASSERT_EQUAL(d->zero[0].size, 0x1800);
    /* Spanning the last two (overlapping both): one range. */
    CU_ASSERT_EQUAL(df_dump_mark_zero(d, 0x5800, 0x4000, &e), DF_OK);
    CU_ASSERT_EQUAL_FATAL(d->nzero, 2);
    CU_ASSERT_EQUAL(d->zero[1].paddr, 0x5000);
    CU_ASSERT_EQUAL(d->zero[1].size, 0x6000);
    CU_ASSERT_EQUAL(df_dump_zero_run(d, 0x1000), 0x1800);
    CU_ASSERT_EQUAL(df_dump_zero_run(d, 0x2400), 0x400);
    CU_ASSERT_EQUAL(df_dump_zero_run(d, 0x2800), 0);
    CU_ASSERT_EQUAL(df_dump_zero_run(d, 0x0), 0);
    CU_ASSERT_EQUAL(df_dump_zero_run(d, 0xafff), 1);
    CU_ASSERT_EQUAL(df_dump_zero_run(d, 0xb000), 0);
    CU_ASSERT_EQUAL(df_dump_mark_zero(NULL, 0, 1, &e), DF_ERR_INVALID);
    df_dump_free(d);
}

static void test_is_zero(void)
{
    uint8_t b[PG];
    memset(b, 0, sizeof(b));
    CU_ASSERT_TRUE(df_is_zero(b, sizeof(b)));
    CU_ASSERT_TRUE(df_is_zero(b, 0));
    b[PG - 1] = 1;
    CU_ASSERT_FALSE(df_is_zero(b, sizeof(b)));
    CU_ASSERT_TRUE(df_is_zero(b, PG - 1));
    b[0] = 0x80;
    CU_ASSERT_FALSE(df_is_zero(b, 1));
}

/* A ppc64le dump of 64 pages: data in pages 1 and 40, the rest zero; a
 * second chunk of zeros only.  64 KiB page size rounding as fadump. */
static struct df_dump *sparse_dump(void)
{
    struct df_dump *d = df_dump_new(DF_ARCH_PPC64LE);
    struct df_err e = {{0}};
    struct df_cpu c;
    memset(&c, 0, sizeof(c));
    c.present = 1;
    tu_fill_ppc_cpu(&c.regs.ppc64, 0);
    df_dump_add_cpu(d, &c, &e);
    df_dump_add_chunk(d, 0, NULL, 64 * PG, &e);
    df_dump_add_chunk(d, 0x100000, NULL, 32 * PG, &e);
    uint8_t *m = (uint8_t *)(uintptr_t)d->chunks[0].data;
    for (unsigned i = 0; i < PG; i++) {
        m[PG + i] = tu_pat(PG + i, 1);
        m[40 * PG + i] = tu_pat(40 * PG + i, 2);
    }
    return d;
}

static void test_sparse_file_identical_bytes(void)
{
    struct df_dump *d = sparse_dump();
    struct df_err e = {{0}};
    uint8_t *mem = NULL;
    size_t mlen = 0;
    const char *p = tu_path("sparse.elf");
    CU_ASSERT_EQUAL_FATAL(df_write_elf_mem(d, &mem, &mlen, &e), DF_OK);
    CU_ASSERT_EQUAL_FATAL(df_write_elf(d, p, &e), DF_OK);
    size_t flen = 0;
    uint8_t *f = tu_read_file(p, &flen);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(flen, mlen);
    CU_ASSERT_EQUAL(memcmp(f, mem, mlen), 0);
    uint64_t sz = 0;
    CU_ASSERT_EQUAL(df_image_size(d, DF_FMT_ELF, &sz, &e), DF_OK);
    CU_ASSERT_EQUAL(sz, mlen);
    /* Holes: far fewer blocks allocated than the size (headers, notes and
     * two data pages; st_blocks counts 512-byte units). */
    struct stat st;
    CU_ASSERT_EQUAL(stat(p, &st), 0);
    CU_ASSERT_EQUAL((size_t)st.st_size, mlen);
    CU_ASSERT((uint64_t)st.st_blocks * 512 < mlen / 4);
    /* The file ends in zeros (last chunk): ftruncate set the size. */
    CU_ASSERT_TRUE(df_is_zero(mem + mlen - 32 * PG, 32 * PG));
    free(f);
    free(mem);
    df_dump_free(d);
}

static void test_reader_marks_holes(void)
{
    struct df_dump *d = sparse_dump(), *r = NULL;
    struct df_err e = {{0}};
    const char *p = tu_path("holes.elf");
    CU_ASSERT_EQUAL_FATAL(df_write_elf(d, p, &e), DF_OK);
    CU_ASSERT_EQUAL_FATAL(df_read_file(p, &r, &e), DF_OK);
    CU_ASSERT_TRUE(tu_same_memory(d, r));
    /* Data pages 1 and 40 are not marked; zero pages around them are, as
     * far as the file system reports holes (4 KiB blocks here). */
    CU_ASSERT_EQUAL(df_dump_zero_run(r, PG), 0);
    CU_ASSERT_EQUAL(df_dump_zero_run(r, 40 * PG), 0);
    CU_ASSERT_EQUAL(df_dump_zero_run(r, 2 * PG), 38 * PG);
    CU_ASSERT_EQUAL(df_dump_zero_run(r, 41 * PG), 23 * PG);
    CU_ASSERT_EQUAL(df_dump_zero_run(r, 0x100000), 32 * PG);
    /* Every marked byte really is zero. */
    for (size_t i = 0; i < r->nzero; i++) {
        const uint8_t *pg = NULL;
        for (uint64_t a = r->zero[i].paddr; a < r->zero[i].paddr + r->zero[i].size; a += PG) {
            pg = df_dump_page(r, a);
            CU_ASSERT_PTR_NOT_NULL_FATAL(pg);
            CU_ASSERT_TRUE(df_is_zero(pg, PG));
        }
    }
    df_dump_free(r);
    df_dump_free(d);
}

struct collect {
    uint8_t *buf;
    size_t cap, len;
    unsigned calls;
    unsigned stop_at;       /* stop at this call (1-based), 0 = never */
    int bad_offset;
};

static int collect_fn(void *o, uint64_t off, const uint8_t *data, size_t len)
{
    struct collect *c = o;
    c->calls++;
    if (off != c->len || c->len + len > c->cap) {
        c->bad_offset = 1;
        return -1;
    }
    if (c->stop_at && c->calls == c->stop_at) {
        return -1;
    }
    memcpy(c->buf + c->len, data, len);
    c->len += len;
    return 0;
}

static void test_stream_equals_mem(void)
{
    struct df_dump *d = sparse_dump(), *s = tu_sample_s390();
    struct df_err e = {{0}};
    uint8_t *mem = NULL;
    size_t mlen = 0;
    struct collect c;
    /* ELF, 12 KiB blocks: every piece full but the last. */
    CU_ASSERT_EQUAL_FATAL(df_write_elf_mem(d, &mem, &mlen, &e), DF_OK);
    memset(&c, 0, sizeof(c));
    c.cap = mlen;
    c.buf = malloc(mlen);
    CU_ASSERT_EQUAL(df_write_stream(d, DF_FMT_ELF, 3 * PG, collect_fn, &c, &e), DF_OK);
    CU_ASSERT_EQUAL(c.bad_offset, 0);
    CU_ASSERT_EQUAL(c.len, mlen);
    CU_ASSERT_EQUAL(c.calls, (mlen + 3 * PG - 1) / (3 * PG));
    CU_ASSERT_EQUAL(memcmp(c.buf, mem, mlen), 0);
    /* A callback that stops: error naming the offset, no further calls. */
    c.len = 0;
    c.calls = 0;
    c.stop_at = 2;
    CU_ASSERT_EQUAL(df_write_stream(d, DF_FMT_ELF, 3 * PG, collect_fn, &c, &e), DF_ERR_SYSTEM);
    CU_ASSERT_EQUAL(c.calls, 2);
    CU_ASSERT_STRING_EQUAL(e.msg, "output callback stopped at offset 0x3000");
    free(c.buf);
    free(mem);
    /* s390 format, odd block size. */
    CU_ASSERT_EQUAL_FATAL(df_write_s390_mem(s, &mem, &mlen, &e), DF_OK);
    uint64_t sz = 0;
    CU_ASSERT_EQUAL(df_image_size(s, DF_FMT_S390, &sz, &e), DF_OK);
    CU_ASSERT_EQUAL(sz, mlen);
    memset(&c, 0, sizeof(c));
    c.cap = mlen;
    c.buf = malloc(mlen);
    CU_ASSERT_EQUAL(df_write_stream(s, DF_FMT_S390, 1000, collect_fn, &c, &e), DF_OK);
    CU_ASSERT_EQUAL(c.len, mlen);
    CU_ASSERT_EQUAL(memcmp(c.buf, mem, mlen), 0);
    free(c.buf);
    free(mem);
    /* Bad arguments. */
    CU_ASSERT_EQUAL(df_write_stream(s, DF_FMT_KDUMP, 4096, collect_fn, &c, &e), DF_ERR_INVALID);
    CU_ASSERT_EQUAL(df_write_stream(s, DF_FMT_S390, 0, collect_fn, &c, &e), DF_ERR_INVALID);
    CU_ASSERT_EQUAL(df_image_size(s, DF_FMT_KDUMP, &sz, &e), DF_ERR_INVALID);
    df_dump_free(s);
    df_dump_free(d);
}

/*
 * Known-zero memory is never read: the marked page of the chunk is swapped
 * for an inaccessible mapping, so any read would fault.
 */
static void test_known_zero_not_read(void)
{
    struct df_dump *d = sparse_dump();
    struct df_err e = {{0}};
    uint8_t *ref = NULL, *mem = NULL;
    size_t rlen = 0, mlen = 0;
    CU_ASSERT_EQUAL_FATAL(df_write_elf_mem(d, &ref, &rlen, &e), DF_OK);
    uint8_t *map = mmap(NULL, 64 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                        -1, 0);
    CU_ASSERT_FATAL(map != MAP_FAILED);
    memcpy(map, d->chunks[0].data, 64 * PG);
    CU_ASSERT_EQUAL_FATAL(mprotect(map + 8 * PG, 16 * PG, PROT_NONE), 0);
    const uint8_t *orig = d->chunks[0].data;
    d->chunks[0].data = map;
    CU_ASSERT_EQUAL(df_dump_mark_zero(d, 8 * PG, 16 * PG, &e), DF_OK);
    CU_ASSERT_EQUAL(df_write_elf_mem(d, &mem, &mlen, &e), DF_OK);
    CU_ASSERT_EQUAL(mlen, rlen);
    CU_ASSERT_EQUAL(memcmp(mem, ref, rlen), 0);
    CU_ASSERT_EQUAL(df_write_elf(d, tu_path("nz.elf"), &e), DF_OK);
    size_t flen = 0;
    uint8_t *f = tu_read_file(tu_path("nz.elf"), &flen);
    CU_ASSERT_EQUAL(flen, rlen);
    CU_ASSERT(f && memcmp(f, ref, rlen) == 0);
    d->chunks[0].data = orig;
    munmap(map, 64 * PG);
    free(f);
    free(mem);
    free(ref);
    df_dump_free(d);
}

void register_sparse_tests(void)
{
    CU_pSuite s = CU_add_suite("sparse", tu_setup, tu_teardown);
    CU_add_test(s, "mark_zero keeps ranges sorted and merged", test_mark_zero_merge);
    CU_add_test(s, "df_is_zero", test_is_zero);
    CU_add_test(s, "sparse ELF file: holes, same bytes as memory", test_sparse_file_identical_bytes);
    CU_add_test(s, "reader marks file holes as known zero", test_reader_marks_holes);
    CU_add_test(s, "stream writer equals memory writer", test_stream_equals_mem);
    CU_add_test(s, "known-zero memory is never read", test_known_zero_not_read);
}
