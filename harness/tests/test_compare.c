/* Dump comparison: first difference named by field, page accounting, exemptions, files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include <dumpfmt/dump.h>
#include <harness/compare.h>

#include "tests.h"

static char *dir;

static int setup(void)
{
    dir = th_mkdtemp();
    return dir ? 0 : -1;
}

static int teardown(void)
{
    th_rmtree(dir);
    free(dir);
    return 0;
}

static void fill(uint8_t *b, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)((i * 131u + seed * 7u) ^ (i >> 8));
}

static void s390_cpu(struct df_cpu *c, unsigned i)
{
    memset(c, 0, sizeof(*c));
    c->present = 1;
    struct db_s390_cpu *s = &c->regs.s390;
    s->online = true;
    s->psw_mask = 0x0705000180000000ull;
    s->psw_addr = 0x100000 + i * 0x100;
    for (unsigned r = 0; r < 16; r++) {
        s->gprs[r] = 0x1000 * (i + 1) + r;
        s->acrs[r] = r;
        s->fprs[r] = 0x4000000000000000ull + r;
        s->crs[r] = 0xc0 + r;
    }
    s->fpc = 0x80;
    s->prefix = 0x20000 + i * 0x2000;
    s->todpreg = 0;
    s->cputm = 0x7fffff0000000000ull;
    s->ckc = 0xd100;   /* bits 0-55: all a dump keeps */
    s->address = (uint16_t)i;
}

/* s390x dump: 2 CPUs, chunks [0, 64K) and [1M, 1M+32K), VMCOREINFO. */
static struct df_dump *s390_dump(uint32_t seed)
{
    struct df_err err;
    struct df_dump *d = df_dump_new(DF_ARCH_S390X);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    uint8_t *b = malloc(64 * 1024);
    fill(b, 64 * 1024, seed);
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, 0, b, 64 * 1024, &err), 0);
    fill(b, 32 * 1024, seed + 1);
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, 0x100000, b, 32 * 1024, &err), 0);
    free(b);
    for (unsigned i = 0; i < 2; i++) {
        struct df_cpu c;
        s390_cpu(&c, i);
        CU_ASSERT_EQUAL(df_dump_add_cpu(d, &c, &err), (int)i);
    }
    const char *vi = "OSRELEASE=6.1.0\nPAGESIZE=4096\nSYMBOL(lowcore_ptr)=1a2b\nCRASHTIME=1\n";
    CU_ASSERT_EQUAL(df_dump_set_vmcoreinfo(d, vi, strlen(vi), &err), 0);
    return d;
}

/* Write to an ELF file in the test dir and read it back (real notes). */
static struct df_dump *via_elf(struct df_dump *d, const char *name, char **path_out)
{
    struct df_err err;
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    CU_ASSERT_EQUAL_FATAL(df_write_elf(d, p, &err), 0);
    struct df_dump *r = NULL;
    int rc = df_read_file(p, &r, &err);
    if (rc != 0)
        fprintf(stderr, "df_read_file: %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    if (path_out)
        *path_out = p;
    else
        free(p);
    return r;
}

static void test_equal_dumps(void)
{
    struct df_dump *a = s390_dump(1), *b = s390_dump(1);
    a->flags |= DF_FLAG_S390_VX;      /* vector facility: the VXRS groups count */
    b->flags |= DF_FLAG_S390_VX;
    struct cmp_result r;
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    CU_ASSERT_FALSE(r.differ);
    CU_ASSERT_STRING_EQUAL(r.first, "");
    CU_ASSERT_EQUAL(r.pages_compared, 16 + 8);
    CU_ASSERT_EQUAL(r.pages_differ, 0);
    /* no notes: every s390 group: 2+16+16 +1+16 +1+1+1 +16 +1 +16 +32 = 119 per CPU */
    CU_ASSERT_EQUAL(r.regs_compared, 2 * 119);
    df_dump_free(a);
    df_dump_free(b);
}

static void test_arch_and_cpu_count(void)
{
    struct df_dump *a = s390_dump(1), *b = df_dump_new(DF_ARCH_PPC64);
    struct cmp_result r;
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    CU_ASSERT_TRUE(r.differ);
    CU_ASSERT_STRING_EQUAL(r.first, "arch: expected s390x got ppc64");
    df_dump_free(b);

    b = s390_dump(1);
    b->ncpus = 1;   /* drop the second CPU */
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    CU_ASSERT_STRING_EQUAL(r.first, "number of CPUs: expected 2 got 1");
    b->ncpus = 2;
    df_dump_free(a);
    df_dump_free(b);
}

static void test_s390_register_names(void)
{
    struct df_dump *a = s390_dump(1), *b = s390_dump(1);
    a->flags |= DF_FLAG_S390_VX;
    b->flags |= DF_FLAG_S390_VX;
    struct cmp_result r;
    b->cpus[1].regs.s390.gprs[14] = 0xdead;
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    CU_ASSERT_STRING_EQUAL(r.first, "NT_PRSTATUS cpu 1 gpr 14: expected 0x200e got 0xdead");
    b->cpus[1].regs.s390.gprs[14] = a->cpus[1].regs.s390.gprs[14];

    b->cpus[0].regs.s390.psw_addr = 0x42;
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    CU_ASSERT_STRING_EQUAL(r.first, "NT_PRSTATUS cpu 0 psw_addr: expected 0x100000 got 0x42");
    b->cpus[0].regs.s390.psw_addr = a->cpus[0].regs.s390.psw_addr;

    b->cpus[1].regs.s390.prefix = 0x8000;
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    CU_ASSERT_STRING_EQUAL(r.first, "NT_S390_PREFIX cpu 1 prefix: expected 0x22000 got 0x8000");
    b->cpus[1].regs.s390.prefix = a->cpus[1].regs.s390.prefix;

    b->cpus[0].regs.s390.crs[3] = 1;
    b->cpus[0].regs.s390.vxrs_high[1][1] = 5;
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    CU_ASSERT_STRING_EQUAL(r.first, "NT_S390_CTRS cpu 0 cr 3: expected 0xc3 got 0x1");
    b->cpus[0].regs.s390.crs[3] = 0xc3;
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    CU_ASSERT_STRING_EQUAL(r.first, "NT_S390_VXRS_HIGH cpu 0 v17 low: expected 0x0 got 0x5");
    df_dump_free(a);
    df_dump_free(b);
}

static void test_ppc64_register_names(void)
{
    struct df_err err;
    struct df_dump *a = df_dump_new(DF_ARCH_PPC64), *b = df_dump_new(DF_ARCH_PPC64);
    struct df_cpu c;
    memset(&c, 0, sizeof(c));
    c.present = 1;
    c.regs.ppc64.online = true;
    c.regs.ppc64.nia = 0xc000000000001234ull;
    c.regs.ppc64.msr = 0x8000000000001033ull;
    c.regs.ppc64.lr = 0xc000000000005678ull;
    c.regs.ppc64.gpr[1] = 0xc000000001fffe00ull;
    CU_ASSERT_EQUAL(df_dump_add_cpu(a, &c, &err), 0);
    c.regs.ppc64.msr = 0x8000000000000033ull;
    CU_ASSERT_EQUAL(df_dump_add_cpu(b, &c, &err), 0);
    struct cmp_result r;
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    CU_ASSERT_STRING_EQUAL(r.first, "NT_PRSTATUS cpu 0 msr: expected 0x8000000000001033 got "
                           "0x8000000000000033");
    b->cpus[0].regs.ppc64.msr = a->cpus[0].regs.ppc64.msr;
    b->cpus[0].regs.ppc64.nia = 4;
    b->cpus[0].regs.ppc64.lr = 8;
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    CU_ASSERT_STRING_EQUAL(r.first, "NT_PRSTATUS cpu 0 nia: expected 0xc000000000001234 got 0x4");
    b->cpus[0].regs.ppc64.nia = a->cpus[0].regs.ppc64.nia;
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    CU_ASSERT_STRING_EQUAL(r.first, "NT_PRSTATUS cpu 0 lr: expected 0xc000000000005678 got 0x8");
    /* srr0 is not carried by an ELF dump: never compared */
    b->cpus[0].regs.ppc64.lr = a->cpus[0].regs.ppc64.lr;
    b->cpus[0].regs.ppc64.srr0 = 1;
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    CU_ASSERT_FALSE(r.differ);
    CU_ASSERT_EQUAL(r.regs_compared, 32 + 8 + 1);
    df_dump_free(a);
    df_dump_free(b);
}

static int find_note(const struct df_dump *d, uint32_t type, int cpu)
{
    for (size_t i = 0; i < d->nnotes; i++)
        if (d->notes[i].type == type && d->notes[i].cpu == cpu &&
            strcmp(d->notes[i].name, "VMCOREINFO") != 0)
            return (int)i;
    return -1;
}

static void test_note_desc_byte_and_list(void)
{
    struct df_dump *src = s390_dump(1);
    struct df_dump *a = via_elf(src, "n-a.elf", NULL), *b = via_elf(src, "n-b.elf", NULL);
    int k = find_note(b, DF_NT_PRFPREG, 1);
    CU_ASSERT_FATAL(k > 0);
    CU_ASSERT_FATAL(b->notes[k].descsz > 0x24);
    /* a byte no register decodes from: padding after fpc in the s390 fpregset */
    b->notes[k].desc[b->notes[k].descsz - 1] ^= 0x01;
    struct cmp_result r;
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    char want[160];
    snprintf(want, sizeof(want), "note %d (CORE NT_PRFPREG cpu 1) desc byte 0x%x: expected 0x%02x "
             "got 0x%02x", k, b->notes[k].descsz - 1, a->notes[k].desc[a->notes[k].descsz - 1],
             b->notes[k].desc[b->notes[k].descsz - 1]);
    CU_ASSERT_STRING_EQUAL(r.first, want);
    b->notes[k].desc[b->notes[k].descsz - 1] ^= 0x01;

    /* note list: drop the last note */
    b->nnotes--;
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    snprintf(want, sizeof(want), "note %zu (VMCOREINFO VMCOREINFO): missing (expected %zu notes, "
             "got %zu)", a->nnotes - 1, a->nnotes, b->nnotes);
    CU_ASSERT_STRING_EQUAL(r.first, want);
    b->nnotes++;

    /* note list: changed type at a position */
    uint32_t t = b->notes[k].type;
    b->notes[k].type = DF_NT_S390_TIMER;
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    snprintf(want, sizeof(want), "note %d: expected CORE NT_PRFPREG cpu 1 (descsz %u) got CORE "
             "NT_S390_TIMER cpu 1 (descsz %u)", k, a->notes[k].descsz, b->notes[k].descsz);
    CU_ASSERT_STRING_EQUAL(r.first, want);
    b->notes[k].type = t;
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    CU_ASSERT_FALSE(r.differ);
    df_dump_free(a);
    df_dump_free(b);
    df_dump_free(src);
}

static void test_vmcoreinfo_line(void)
{
    struct df_err err;
    struct df_dump *a = s390_dump(1), *b = s390_dump(1);
    const char *vi = "OSRELEASE=6.1.0\nPAGESIZE=4096\nSYMBOL(lowcore_ptr)=1a2c\nCRASHTIME=1\n";
    CU_ASSERT_EQUAL(df_dump_set_vmcoreinfo(b, vi, strlen(vi), &err), 0);
    struct cmp_result r;
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    CU_ASSERT_STRING_EQUAL(r.first, "VMCOREINFO line 3: expected 'SYMBOL(lowcore_ptr)=1a2b' got "
                           "'SYMBOL(lowcore_ptr)=1a2c'");
    vi = "OSRELEASE=6.1.0\nPAGESIZE=4096\n";
    CU_ASSERT_EQUAL(df_dump_set_vmcoreinfo(b, vi, strlen(vi), &err), 0);
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    CU_ASSERT_STRING_EQUAL(r.first, "VMCOREINFO line 3: expected 'SYMBOL(lowcore_ptr)=1a2b' got "
                           "end of text");
    df_dump_free(a);
    df_dump_free(b);
}

static void test_layout_chunks(void)
{
    struct df_err err;
    struct df_dump *a = s390_dump(1), *b = s390_dump(1);
    CU_ASSERT_EQUAL(df_dump_add_chunk(b, 0x200000, NULL, 0x2000, &err), 0);
    struct cmp_result r;
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    CU_ASSERT_STRING_EQUAL(r.first, "memory layout: extra chunk 2 (0x200000+0x2000), expected 2 "
                           "chunks got 3");
    CU_ASSERT_EQUAL(r.pages_extra, 2);
    CU_ASSERT_EQUAL(r.pages_compared, 24);

    cmp_result_init(&r);
    cmp_dumps(b, a, &r);
    CU_ASSERT_STRING_EQUAL(r.first, "memory layout: missing chunk 2 (0x200000+0x2000), expected 3 "
                           "chunks got 2");
    CU_ASSERT_EQUAL(r.pages_missing, 2);

    df_dump_free(b);
    b = s390_dump(1);
    b->chunks[1].size = 0x4000;   /* shorter second chunk */
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    CU_ASSERT_STRING_EQUAL(r.first, "memory layout: chunk 1: expected 0x100000+0x8000 got "
                           "0x100000+0x4000");
    CU_ASSERT_EQUAL(r.pages_missing, 4);
    b->chunks[1].size = 0x8000;
    df_dump_free(a);
    df_dump_free(b);
}

static void test_page_byte_and_counts(void)
{
    struct df_dump *a = s390_dump(1), *b = s390_dump(1);
    uint8_t *d1 = (uint8_t *)b->chunks[1].data;   /* test-owned copy, safe to edit */
    uint8_t *d0 = (uint8_t *)b->chunks[0].data;
    d0[0x3012] = (uint8_t)(a->chunks[0].data[0x3012] ^ 0x66);
    d1[0x5000] ^= 0xff;
    d1[0x5001] ^= 0xff;
    struct cmp_result r;
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    char want[128];
    snprintf(want, sizeof(want), "page 0x3000 byte 0x12: expected 0x%02x got 0x%02x",
             a->chunks[0].data[0x3012], b->chunks[0].data[0x3012]);
    CU_ASSERT_STRING_EQUAL(r.first, want);
    CU_ASSERT_EQUAL(r.pages_compared, 24);
    CU_ASSERT_EQUAL(r.pages_differ, 2);
    CU_ASSERT_EQUAL(r.pages_missing, 0);
    df_dump_free(a);
    df_dump_free(b);
}

static void test_exemption_accounting(void)
{
    struct df_dump *truth = s390_dump(1), *dump = s390_dump(1);
    uint8_t *d0 = (uint8_t *)dump->chunks[0].data;
    d0[0x8000] ^= 1;   /* inside the exemption */
    d0[0x9fff] ^= 1;   /* inside the exemption */
    struct cmp_result r;
    cmp_result_init(&r);
    CU_ASSERT_EQUAL(cmp_add_exempt(&r, 0x8000, 0x4000, "dump kernel footprint"), 0);
    CU_ASSERT_EQUAL(cmp_add_exempt(&r, 0x100000, 0x1000, "HSA"), 0);
    CU_ASSERT_EQUAL(cmp_add_exempt(&r, 0x0, 0, "empty"), -1);
    cmp_pages(truth, dump, &r);
    CU_ASSERT_FALSE(r.differ);
    CU_ASSERT_EQUAL(r.nexempt, 2);
    CU_ASSERT_EQUAL(r.exempt[0].pages, 4);
    CU_ASSERT_EQUAL(r.exempt[0].pages_differ, 2);
    CU_ASSERT_STRING_EQUAL(r.exempt[0].reason, "dump kernel footprint");
    CU_ASSERT_EQUAL(r.exempt[1].pages, 1);
    CU_ASSERT_EQUAL(r.exempt[1].pages_differ, 0);
    CU_ASSERT_EQUAL(r.pages_compared, 24 - 5);
    CU_ASSERT_EQUAL(r.pages_differ, 0);
    /* the same difference outside an exemption fails */
    d0[0xc000] ^= 1;
    cmp_result_init(&r);
    CU_ASSERT_EQUAL(cmp_add_exempt(&r, 0x8000, 0x4000, "dump kernel footprint"), 0);
    cmp_pages(truth, dump, &r);
    CU_ASSERT_TRUE(r.differ);
    char want[96];
    snprintf(want, sizeof(want), "page 0xc000 byte 0x0: expected 0x%02x got 0x%02x",
             truth->chunks[0].data[0xc000], d0[0xc000]);
    CU_ASSERT_STRING_EQUAL(r.first, want);
    CU_ASSERT_EQUAL(r.pages_differ, 1);
    df_dump_free(truth);
    df_dump_free(dump);
}

static void test_pages_missing_and_extra(void)
{
    struct df_err err;
    struct df_dump *truth = s390_dump(1), *dump = s390_dump(1);
    dump->chunks[1].size = 0x7000;   /* last page of the truth's chunk not dumped */
    struct cmp_result r;
    cmp_result_init(&r);
    cmp_pages(truth, dump, &r);
    CU_ASSERT_STRING_EQUAL(r.first, "page 0x107000 in truth snapshot but missing from dump");
    CU_ASSERT_EQUAL(r.pages_missing, 1);
    dump->chunks[1].size = 0x8000;
    CU_ASSERT_EQUAL(df_dump_add_chunk(dump, 0x300000, NULL, 0x1000, &err), 0);
    cmp_result_init(&r);
    cmp_pages(truth, dump, &r);
    CU_ASSERT_STRING_EQUAL(r.first, "page 0x300000 in dump but not in truth snapshot");
    CU_ASSERT_EQUAL(r.pages_extra, 1);
    /* exempted extra page is not a failure */
    cmp_result_init(&r);
    cmp_add_exempt(&r, 0x300000, 0x1000, "capture buffer");
    cmp_pages(truth, dump, &r);
    CU_ASSERT_FALSE(r.differ);
    CU_ASSERT_EQUAL(r.exempt[0].pages, 1);
    CU_ASSERT_EQUAL(r.exempt[0].pages_differ, 1);
    df_dump_free(truth);
    df_dump_free(dump);
}

static void test_unaligned_chunks(void)
{
    struct df_err err;
    struct df_dump *a = df_dump_new(DF_ARCH_S390X), *b = df_dump_new(DF_ARCH_S390X);
    uint8_t buf[0x3000];
    fill(buf, sizeof(buf), 3);
    CU_ASSERT_EQUAL(df_dump_add_chunk(a, 0x800, buf, 0x2000, &err), 0);
    CU_ASSERT_EQUAL(df_dump_add_chunk(b, 0x800, buf, 0x1000, &err), 0);
    CU_ASSERT_EQUAL(df_dump_add_chunk(b, 0x1800, buf + 0x1000, 0x1000, &err), 0);
    struct cmp_result r;
    cmp_result_init(&r);
    cmp_pages(a, b, &r);
    CU_ASSERT_FALSE(r.differ);
    CU_ASSERT_EQUAL(r.pages_compared, 3);   /* 0x0000, 0x1000, 0x2000 partially */
    ((uint8_t *)b->chunks[1].data)[0x10] ^= 4;
    cmp_result_init(&r);
    cmp_pages(a, b, &r);
    char want[96];
    snprintf(want, sizeof(want), "page 0x1000 byte 0x810: expected 0x%02x got 0x%02x",
             buf[0x1010], (uint8_t)(buf[0x1010] ^ 4));
    CU_ASSERT_STRING_EQUAL(r.first, want);
    df_dump_free(a);
    df_dump_free(b);
}

static void test_regs_oracle(void)
{
    struct df_dump *truth = s390_dump(1);
    /* a third, offline CPU in the truth snapshot is not expected in the dump */
    struct df_cpu off;
    struct df_err err;
    s390_cpu(&off, 2);
    off.regs.s390.online = false;
    CU_ASSERT_EQUAL(df_dump_add_cpu(truth, &off, &err), 2);
    struct df_dump *src = s390_dump(1);
    struct df_dump *img = via_elf(src, "regs.elf", NULL);
    struct cmp_result r;
    cmp_result_init(&r);
    cmp_regs(truth, img, &r);
    if (r.differ)
        fprintf(stderr, "regs: %s\n", r.first);
    CU_ASSERT_FALSE(r.differ);
    /* no vector facility: PRSTATUS 34 + PRFPREG 17 + timer, todcmp, todpreg 3 + CTRS 16
     * + prefix 1 per CPU; the VXRS groups are skipped, not compared against zero */
    CU_ASSERT_EQUAL(r.regs_compared, 2 * 71);
    /* a changed register in the dump is named */
    img->cpus[1].regs.s390.gprs[2] = 7;
    cmp_result_init(&r);
    cmp_regs(truth, img, &r);
    CU_ASSERT_STRING_EQUAL(r.first, "NT_PRSTATUS cpu 1 gpr 2: expected 0x2002 got 0x7");
    /* CPU missing from the dump */
    img->ncpus = 1;
    cmp_result_init(&r);
    cmp_regs(truth, img, &r);
    CU_ASSERT_STRING_EQUAL(r.first, "number of CPUs: expected 2 got 1");
    img->ncpus = 2;
    df_dump_free(truth);
    df_dump_free(img);
    df_dump_free(src);
}

/*
 * regs-equal with the vector facility: the truth has vector registers
 * (DF_FLAG_S390_VX); an s390 stand-alone image has no place for them, so
 * they are skipped, while an ELF image with VXRS notes is compared in full.
 */
static void test_regs_oracle_vector(void)
{
    struct df_err err;
    struct df_dump *truth = s390_dump(1), *src = s390_dump(1);
    for (size_t i = 0; i < 2; i++) {
        struct db_s390_cpu *t = &truth->cpus[i].regs.s390, *c = &src->cpus[i].regs.s390;
        t->ckc = c->ckc = 0xd100;      /* the save area keeps bits 0-55 only */
        for (unsigned k = 0; k < 16; k++) {
            t->vxrs_low[k] = c->vxrs_low[k] = 0x1100 + k + 0x10 * i;
            t->vxrs_high[k][0] = c->vxrs_high[k][0] = 0x2200 + k;
            t->vxrs_high[k][1] = c->vxrs_high[k][1] = 0x3300 + k;
        }
    }
    truth->flags |= DF_FLAG_S390_VX;
    char *p = malloc(strlen(dir) + 16);
    sprintf(p, "%s/vx.s390", dir);
    CU_ASSERT_EQUAL_FATAL(df_write_s390(src, p, &err), 0);
    struct df_dump *img = NULL;
    CU_ASSERT_EQUAL_FATAL(df_read_file(p, &img, &err), 0);
    CU_ASSERT_EQUAL(img->format, DF_FMT_S390);
    CU_ASSERT_EQUAL(img->nnotes, 0);
    CU_ASSERT_EQUAL(img->flags & DF_FLAG_S390_VX, 0);
    struct cmp_result r;
    cmp_result_init(&r);
    cmp_regs(truth, img, &r);
    if (r.differ)
        fprintf(stderr, "regs: %s\n", r.first);
    CU_ASSERT_FALSE(r.differ);
    CU_ASSERT_EQUAL(r.regs_compared, 2 * 71);
    /* ... but a wrong non-vector register in it is still found */
    img->cpus[0].regs.s390.fprs[3] = 9;
    cmp_result_init(&r);
    cmp_regs(truth, img, &r);
    CU_ASSERT_STRING_EQUAL(r.first, "NT_PRFPREG cpu 0 fpr 3: expected 0x4000000000000003 got 0x9");
    df_dump_free(img);
    /* ELF with VXRS notes: all 119 registers per CPU, vectors included */
    src->flags |= DF_FLAG_S390_VX;
    img = via_elf(src, "vx.elf", NULL);
    cmp_result_init(&r);
    cmp_regs(truth, img, &r);
    CU_ASSERT_FALSE(r.differ);
    CU_ASSERT_EQUAL(r.regs_compared, 2 * 119);
    img->cpus[1].regs.s390.vxrs_low[4] = 0;
    cmp_result_init(&r);
    cmp_regs(truth, img, &r);
    CU_ASSERT_STRING_EQUAL(r.first, "NT_S390_VXRS_LOW cpu 1 vxrs_low 4: expected 0x1114 got 0x0");
    /* truth without the facility: the image's vectors are not compared */
    truth->flags &= ~DF_FLAG_S390_VX;
    cmp_result_init(&r);
    cmp_regs(truth, img, &r);
    CU_ASSERT_FALSE(r.differ);
    CU_ASSERT_EQUAL(r.regs_compared, 2 * 71);
    df_dump_free(img);
    df_dump_free(truth);
    df_dump_free(src);
    free(p);
}

/* 64-page s390 dump, data in pages 1 and 40, the rest zero and marked so. */
static struct df_dump *zero_dump(uint32_t seed)
{
    struct df_err err;
    struct df_dump *d = df_dump_new(DF_ARCH_S390X);
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, 0x100000, NULL, 64 * 4096, &err), 0);
    uint8_t *m = (uint8_t *)(uintptr_t)d->chunks[0].data;
    fill(m + 4096, 4096, seed);
    fill(m + 40 * 4096, 4096, seed + 1);
    CU_ASSERT_EQUAL(df_dump_mark_zero(d, 0x100000, 4096, &err), 0);
    CU_ASSERT_EQUAL(df_dump_mark_zero(d, 0x100000 + 2 * 4096, 38 * 4096, &err), 0);
    CU_ASSERT_EQUAL(df_dump_mark_zero(d, 0x100000 + 41 * 4096, 23 * 4096, &err), 0);
    return d;
}

/* Point d's chunk at a copy whose pages [from, from + n) are inaccessible:
 * comparing proves they were not read.  Returns the mapping. */
static uint8_t *fence(struct df_dump *d, unsigned from, unsigned n, const uint8_t **orig)
{
    uint8_t *map = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                        -1, 0);
    CU_ASSERT_FATAL(map != MAP_FAILED);
    memcpy(map, d->chunks[0].data, 64 * 4096);
    CU_ASSERT_EQUAL(mprotect(map + from * 4096, n * 4096, PROT_NONE), 0);
    *orig = d->chunks[0].data;
    d->chunks[0].data = map;
    return map;
}

static void test_pages_known_zero(void)
{
    struct df_dump *a = zero_dump(3), *b = zero_dump(3);
    const uint8_t *oa, *ob;
    uint8_t *ma = fence(a, 2, 38, &oa), *mb = fence(b, 41, 23, &ob);
    struct cmp_result r;
    cmp_result_init(&r);
    CU_ASSERT_EQUAL(cmp_add_exempt(&r, 0x100000 + 50 * 4096, 2 * 4096, "ex"), 0);
    cmp_pages(a, b, &r);
    CU_ASSERT_FALSE(r.differ);
    CU_ASSERT_EQUAL(r.pages_compared, 62);
    CU_ASSERT_EQUAL(r.exempt[0].pages, 2);
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    CU_ASSERT_FALSE(r.differ);
    CU_ASSERT_EQUAL(r.pages_compared, 64);
    /* b's page 45 is data (unmarked, non-zero) where a knows zeros: a is
     * compared as zeros without being read */
    b->chunks[0].data = ob;
    munmap(mb, 64 * 4096);
    df_dump_free(b);
    b = zero_dump(3);
    b->nzero = 2;                                  /* drop the last marked range */
    uint8_t *bm = (uint8_t *)(uintptr_t)b->chunks[0].data;
    bm[45 * 4096 + 0x10] = 0x7e;
    a->chunks[0].data = oa;
    munmap(ma, 64 * 4096);
    ma = fence(a, 41, 23, &oa);
    cmp_result_init(&r);
    cmp_pages(a, b, &r);
    CU_ASSERT_TRUE(r.differ);
    CU_ASSERT_STRING_EQUAL(r.first, "page 0x12d000 byte 0x10: expected 0x00 got 0x7e");
    CU_ASSERT_EQUAL(r.pages_compared, 64);
    CU_ASSERT_EQUAL(r.pages_differ, 1);
    a->chunks[0].data = oa;
    munmap(ma, 64 * 4096);
    df_dump_free(a);
    df_dump_free(b);
}

/* Byte compare of sparse files: holes on both sides skipped, a hole on one
 * side against data on the other compared as zeros. */
static void test_files_sparse(void)
{
    struct df_err err;
    struct df_dump *d = zero_dump(4);
    char *pa = malloc(strlen(dir) + 16), *pb = malloc(strlen(dir) + 16);
    sprintf(pa, "%s/sa.elf", dir);
    sprintf(pb, "%s/sb.elf", dir);
    CU_ASSERT_EQUAL_FATAL(df_write_elf(d, pa, &err), 0);
    CU_ASSERT_EQUAL_FATAL(df_write_elf(d, pb, &err), 0);
    char msg[512];
    CU_ASSERT_EQUAL(cmp_files(pa, pb, msg, sizeof(msg)), 0);
    /* dense copy (th_write_file writes every byte) against the sparse one */
    size_t len;
    uint8_t *bytes = th_read_file(pa, &len);
    CU_ASSERT_EQUAL(th_write_file(pb, bytes, len), 0);
    CU_ASSERT_EQUAL(cmp_files(pa, pb, msg, sizeof(msg)), 0);
    CU_ASSERT_EQUAL(cmp_files(pb, pa, msg, sizeof(msg)), 0);
    /* a byte inside the expected file's hole (memory page 20) */
    bytes[len - 44 * 4096 + 5] = 0x33;
    CU_ASSERT_EQUAL(th_write_file(pb, bytes, len), 0);
    CU_ASSERT_EQUAL(cmp_files(pa, pb, msg, sizeof(msg)), 1);
    char want[256];
    snprintf(want, sizeof(want), "file offset 0x%zx differs (expected 0x00 got 0x33) in PT_LOAD 0 "
             "(program header 1) at paddr 0x100000 +0x14005", len - 44 * 4096 + 5);
    CU_ASSERT_STRING_EQUAL(msg, want);
    CU_ASSERT_EQUAL(cmp_files(pb, pa, msg, sizeof(msg)), 1);
    snprintf(want, sizeof(want), "file offset 0x%zx differs (expected 0x33 got 0x00)",
             len - 44 * 4096 + 5);
    CU_ASSERT_EQUAL(strncmp(msg, want, strlen(want)), 0);
    free(bytes);
    free(pa);
    free(pb);
    df_dump_free(d);
}

static void test_files_byte_compare(void)
{
    struct df_err err;
    struct df_dump *src = s390_dump(1);
    char *pa, *pb;
    struct df_dump *a = via_elf(src, "fa.elf", &pa);
    df_dump_free(a);
    pb = malloc(strlen(dir) + 16);
    sprintf(pb, "%s/fb.elf", dir);
    CU_ASSERT_EQUAL(df_write_elf(src, pb, &err), 0);
    char msg[512];
    CU_ASSERT_EQUAL(cmp_files(pa, pb, msg, sizeof(msg)), 0);
    CU_ASSERT_STRING_EQUAL(msg, "");

    size_t len;
    uint8_t *bytes = th_read_file(pb, &len);
    /* ELF header field */
    bytes[18] ^= 1;
    CU_ASSERT_EQUAL(th_write_file(pb, bytes, len), 0);
    CU_ASSERT_EQUAL(cmp_files(pa, pb, msg, sizeof(msg)), 1);
    char want[256];
    snprintf(want, sizeof(want), "file offset 0x12 differs (expected 0x%02x got 0x%02x) in ELF "
             "header e_machine", bytes[18] ^ 1, bytes[18]);
    CU_ASSERT_STRING_EQUAL(msg, want);
    bytes[18] ^= 1;
    /* last byte: inside the last PT_LOAD (chunk 1 at paddr 0x100000) */
    bytes[len - 1] ^= 0x10;
    CU_ASSERT_EQUAL(th_write_file(pb, bytes, len), 0);
    CU_ASSERT_EQUAL(cmp_files(pa, pb, msg, sizeof(msg)), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "in PT_LOAD 1 (program header 2) at paddr 0x100000 +0x7fff"));
    bytes[len - 1] ^= 0x10;
    /* program header 1 p_paddr */
    uint64_t phoff = 0;
    for (int i = 0; i < 8; i++)
        phoff = (phoff << 8) | bytes[32 + i];   /* s390x ELF is big-endian */
    bytes[phoff + 56 + 24 + 7] ^= 1;
    CU_ASSERT_EQUAL(th_write_file(pb, bytes, len), 0);
    CU_ASSERT_EQUAL(cmp_files(pa, pb, msg, sizeof(msg)), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "in program header 1 p_paddr"));
    bytes[phoff + 56 + 24 + 7] ^= 1;
    /* size difference */
    CU_ASSERT_EQUAL(th_write_file(pb, bytes, len - 10), 0);
    CU_ASSERT_EQUAL(cmp_files(pa, pb, msg, sizeof(msg)), 1);
    snprintf(want, sizeof(want), "file size: expected %zu got %zu (first %zu bytes equal)", len,
             len - 10, len - 10);
    CU_ASSERT_STRING_EQUAL(msg, want);
    CU_ASSERT_EQUAL(cmp_files(pa, "/nonexistent", msg, sizeof(msg)), -1);
    CU_ASSERT_STRING_EQUAL(msg, "/nonexistent: No such file or directory");
    free(bytes);
    free(pa);
    free(pb);
    df_dump_free(src);
}

static void test_files_note_offset(void)
{
    struct df_dump *src = s390_dump(1);
    char *pa;
    struct df_dump *a = via_elf(src, "na.elf", &pa);
    df_dump_free(a);
    size_t len;
    uint8_t *bytes = th_read_file(pa, &len);
    /* find the PT_NOTE (program header 0) and flip the first desc byte of note 1 */
    uint64_t phoff = 0, noff = 0;
    for (int i = 0; i < 8; i++)
        phoff = (phoff << 8) | bytes[32 + i];
    for (int i = 0; i < 8; i++)
        noff = (noff << 8) | bytes[phoff + 8 + i];
    uint32_t nsz0 = (uint32_t)bytes[noff] << 24 | (uint32_t)bytes[noff + 1] << 16 |
                    (uint32_t)bytes[noff + 2] << 8 | bytes[noff + 3];
    uint32_t dsz0 = (uint32_t)bytes[noff + 4] << 24 | (uint32_t)bytes[noff + 5] << 16 |
                    (uint32_t)bytes[noff + 6] << 8 | bytes[noff + 7];
    uint64_t n1 = noff + 12 + ((nsz0 + 3) & ~3u) + ((dsz0 + 3) & ~3u);
    uint64_t d1 = n1 + 12 + 8;   /* "CORE\0" padded to 8 */
    bytes[d1 + 4] ^= 1;
    char *pb = malloc(strlen(dir) + 16);
    sprintf(pb, "%s/nb.elf", dir);
    CU_ASSERT_EQUAL(th_write_file(pb, bytes, len), 0);
    char msg[512];
    CU_ASSERT_EQUAL(cmp_files(pa, pb, msg, sizeof(msg)), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "in note 1 (CORE NT_PRSTATUS) desc +0x4"));
    if (!strstr(msg, "in note 1 (CORE NT_PRSTATUS) desc +0x4"))
        fprintf(stderr, "msg: %s\n", msg);
    free(bytes);
    free(pa);
    free(pb);
    df_dump_free(src);
}

static void test_note_type_names(void)
{
    char b[32];
    CU_ASSERT_STRING_EQUAL(cmp_note_type_name("CORE", 1, b, sizeof(b)), "NT_PRSTATUS");
    CU_ASSERT_STRING_EQUAL(cmp_note_type_name("LINUX", 0x305, b, sizeof(b)), "NT_S390_PREFIX");
    CU_ASSERT_STRING_EQUAL(cmp_note_type_name("VMCOREINFO", 0, b, sizeof(b)), "VMCOREINFO");
    CU_ASSERT_STRING_EQUAL(cmp_note_type_name("X", 0x777, b, sizeof(b)), "type 0x777");
}

int register_compare_tests(void)
{
    CU_pSuite s = CU_add_suite("compare", setup, teardown);
    if (!s)
        return -1;
    struct { const char *n; CU_TestFunc f; } t[] = {
        { "equal dumps", test_equal_dumps },
        { "arch and CPU count", test_arch_and_cpu_count },
        { "s390 register names", test_s390_register_names },
        { "ppc64 register names", test_ppc64_register_names },
        { "note desc byte and note list", test_note_desc_byte_and_list },
        { "VMCOREINFO line", test_vmcoreinfo_line },
        { "layout: extra/missing/short chunk", test_layout_chunks },
        { "page byte and counts", test_page_byte_and_counts },
        { "exemption accounting", test_exemption_accounting },
        { "pages oracle: missing and extra", test_pages_missing_and_extra },
        { "unaligned chunks", test_unaligned_chunks },
        { "regs oracle vs ELF image", test_regs_oracle },
        { "regs oracle: vector registers only when the image has them", test_regs_oracle_vector },
        { "files: byte compare names structure", test_files_byte_compare },
        { "files: offset inside a note", test_files_note_offset },
        { "pages: known-zero ranges are not read", test_pages_known_zero },
        { "files: sparse images, holes not read", test_files_sparse },
        { "note type names", test_note_type_names },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (!CU_add_test(s, t[i].n, t[i].f))
            return -1;
    return 0;
}
