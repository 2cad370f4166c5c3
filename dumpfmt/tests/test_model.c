/* Neutral model: chunks, CPUs, notes, vmcoreinfo, lookups, names. */
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "tutil.h"

static void test_chunks_sorted(void)
{
    struct df_dump *d = df_dump_new(DF_ARCH_S390X);
    struct df_err e = {{0}};
    uint8_t a[4096], b[8192], c[4096];
    memset(a, 0xaa, sizeof(a));
    memset(b, 0xbb, sizeof(b));
    memset(c, 0xcc, sizeof(c));
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, 0x10000, b, sizeof(b), &e), DF_OK);
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, 0x30000, c, sizeof(c), &e), DF_OK);
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, 0x0, a, sizeof(a), &e), DF_OK);
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, 0x12000, NULL, 4096, &e), DF_OK);
    CU_ASSERT_EQUAL_FATAL(d->nchunks, 4);
    CU_ASSERT_EQUAL(d->chunks[0].paddr, 0x0);
    CU_ASSERT_EQUAL(d->chunks[1].paddr, 0x10000);
    CU_ASSERT_EQUAL(d->chunks[2].paddr, 0x12000);
    CU_ASSERT_EQUAL(d->chunks[3].paddr, 0x30000);
    CU_ASSERT_EQUAL(d->chunks[2].data[0], 0);       /* NULL data = zero */
    CU_ASSERT_EQUAL(d->chunks[1].data[8191], 0xbb);
    CU_ASSERT(d->chunks[1].data != b);              /* copied */
    CU_ASSERT_EQUAL(df_dump_mem_bytes(d), 4096 + 8192 + 4096 + 4096);
    df_dump_free(d);
}

static void test_chunk_overlap_rejected(void)
{
    struct df_dump *d = df_dump_new(DF_ARCH_PPC64);
    struct df_err e = {{0}};
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, 0x1000, NULL, 0x2000, &e), DF_OK);
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, 0x5000, NULL, 0x1000, &e), DF_OK);
    /* tail overlap, head overlap, containment, zero length, wrap */
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, 0x2000, NULL, 0x1000, &e), DF_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "overlaps chunk [0x1000,0x3000)"));
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, 0x4000, NULL, 0x1001, &e), DF_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "overlaps chunk [0x5000,0x6000)"));
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, 0x0, NULL, 0x10000, &e), DF_ERR_INVALID);
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, 0x8000, NULL, 0, &e), DF_ERR_INVALID);
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, UINT64_MAX - 0xfff, NULL, 0x2000, &e),
                    DF_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "wraps"));
    /* adjacent is fine; state unchanged by the rejects */
    CU_ASSERT_EQUAL(d->nchunks, 2);
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, 0x3000, NULL, 0x2000, &e), DF_OK);
    CU_ASSERT_EQUAL(d->nchunks, 3);
    CU_ASSERT_EQUAL(df_dump_mem_bytes(d), 0x5000);
    df_dump_free(d);
}

static void test_page_lookup(void)
{
    struct df_dump *d = df_dump_new(DF_ARCH_S390X);
    struct df_err e;
    uint8_t buf[0x3000];
    for (size_t i = 0; i < sizeof(buf); i++) {
        buf[i] = (uint8_t)(i >> 12) + 1;
    }
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, 0x100000, buf, sizeof(buf), &e), DF_OK);
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, 0x0, buf, 0x1800, &e), DF_OK);
    const uint8_t *p = df_dump_page(d, 0x101000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p[0], 2);
    CU_ASSERT_EQUAL(p[4095], 2);
    CU_ASSERT_PTR_NOT_NULL(df_dump_page(d, 0x102000));
    CU_ASSERT_PTR_NULL(df_dump_page(d, 0x103000));  /* past the end */
    CU_ASSERT_PTR_NULL(df_dump_page(d, 0x0ff000));  /* before */
    CU_ASSERT_PTR_NULL(df_dump_page(d, 0x100800));  /* unaligned */
    CU_ASSERT_PTR_NOT_NULL(df_dump_page(d, 0x0));
    CU_ASSERT_PTR_NULL(df_dump_page(d, 0x1000));    /* only half a page */
    CU_ASSERT_PTR_NULL(df_dump_page(NULL, 0));
    df_dump_free(d);
}

static void test_cpu_vmcoreinfo_notes(void)
{
    struct df_dump *d = df_dump_new(DF_ARCH_S390X);
    struct df_err e = {{0}};
    struct df_cpu c;
    memset(&c, 0, sizeof(c));
    c.present = 1;
    tu_fill_s390_cpu(&c.regs.s390, 0);
    CU_ASSERT_EQUAL(df_dump_add_cpu(d, &c, &e), 0);
    CU_ASSERT_EQUAL(df_dump_add_cpu(d, &c, &e), 1);
    CU_ASSERT_EQUAL(d->ncpus, 2);
    CU_ASSERT_EQUAL(d->cpus[1].regs.s390.gprs[3], c.regs.s390.gprs[3]);

    CU_ASSERT_EQUAL(df_dump_set_vmcoreinfo(d, "A=1\nB=2\n", 8, &e), DF_OK);
    CU_ASSERT_EQUAL(df_dump_set_vmcoreinfo(d, "X=9\n", 4, &e), DF_OK);
    CU_ASSERT_STRING_EQUAL(d->vmcoreinfo, "X=9\n");
    CU_ASSERT_EQUAL(d->vmcoreinfo_len, 4);

    CU_ASSERT_EQUAL(df_dump_add_note(d, "CORE", 1, 0, "abc", 3, &e), DF_OK);
    CU_ASSERT_EQUAL(df_dump_add_note(d, "", 1, -1, "abc", 3, &e), DF_ERR_INVALID);
    CU_ASSERT_EQUAL(df_dump_add_note(d, "THIS_NAME_IS_WAY_TOO_LONG_FOR_32B", 1, -1,
                                     NULL, 0, &e), DF_ERR_INVALID);
    CU_ASSERT_EQUAL(df_dump_add_note(d, "CORE", 1, 5, NULL, 0, &e), DF_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "cpu 5"));
    CU_ASSERT_EQUAL(d->nnotes, 1);
    CU_ASSERT_STRING_EQUAL(d->notes[0].name, "CORE");
    CU_ASSERT_EQUAL(memcmp(d->notes[0].desc, "abc", 3), 0);
    df_dump_free(d);
}

static void test_names_and_pagesize(void)
{
    CU_ASSERT_STRING_EQUAL(df_arch_name(DF_ARCH_S390X), "s390x");
    CU_ASSERT_STRING_EQUAL(df_arch_name(DF_ARCH_PPC64), "ppc64");
    CU_ASSERT_STRING_EQUAL(df_arch_name(DF_ARCH_PPC64LE), "ppc64le");
    CU_ASSERT_STRING_EQUAL(df_arch_name(DF_ARCH_X86_64), "x86_64");
    CU_ASSERT_STRING_EQUAL(df_arch_name(DF_ARCH_NONE), "none");
    CU_ASSERT_STRING_EQUAL(df_format_name(DF_FMT_KDUMP), "kdump");
    CU_ASSERT_STRING_EQUAL(df_strerror(DF_ERR_CORRUPT), "corrupt dump");
    CU_ASSERT_STRING_EQUAL(df_strerror(DF_ERR_NOTIMPL), "not implemented");
    CU_ASSERT_STRING_EQUAL(df_strerror(42), "unknown status");
    struct df_dump *d = df_dump_new(DF_ARCH_PPC64LE);
    CU_ASSERT_EQUAL(df_dump_page_size(d), 65536);
    d->page_size = 4096;
    CU_ASSERT_EQUAL(df_dump_page_size(d), 4096);
    d->arch = DF_ARCH_S390X;
    d->page_size = 0;
    CU_ASSERT_EQUAL(df_dump_page_size(d), 4096);
    df_dump_free(d);
    df_dump_free(NULL);
}

static void test_read_missing_and_empty(void)
{
    struct df_err e = {{0}};
    struct df_dump *d = (struct df_dump *)1;
    CU_ASSERT_EQUAL(df_read_file(tu_path("does-not-exist"), &d, &e), DF_ERR_SYSTEM);
    CU_ASSERT_PTR_NULL(d);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "does-not-exist"));
    CU_ASSERT_EQUAL(tu_write_file(tu_path("empty"), "", 0), 0);
    CU_ASSERT_EQUAL(df_read_file(tu_path("empty"), &d, &e), DF_ERR_CORRUPT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "empty"));
    CU_ASSERT_EQUAL(tu_write_file(tu_path("junk"), "hello, world, not a dump", 24), 0);
    CU_ASSERT_EQUAL(df_read_file(tu_path("junk"), &d, &e), DF_ERR_NOPROBE);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "not an ELF64 core"));
}

void register_model_tests(void)
{
    CU_pSuite s = CU_add_suite("model", tu_setup, tu_teardown);
    CU_add_test(s, "chunks kept sorted, data copied", test_chunks_sorted);
    CU_add_test(s, "overlapping chunk rejected, state unchanged", test_chunk_overlap_rejected);
    CU_add_test(s, "df_dump_page binary search and bounds", test_page_lookup);
    CU_add_test(s, "cpus, vmcoreinfo, notes", test_cpu_vmcoreinfo_notes);
    CU_add_test(s, "names, strerror, page size defaults", test_names_and_pagesize);
    CU_add_test(s, "read: missing, empty, unknown file", test_read_missing_and_empty);
}
