#include "tutil.h"

#include <CUnit/CUnit.h>
#include <libkdumpfile/kdumpfile.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[256];

int tu_setup(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/dumpfmt-test-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

int tu_teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

const char *tu_path(const char *name)
{
    static char bufs[4][512];
    static unsigned i;
    char *b = bufs[i++ % 4];
    snprintf(b, 512, "%s/%s", tmpdir, name);
    return b;
}

int tu_write_file(const char *path, const void *buf, size_t len)
{
    /* A new inode each time: truncating a written file makes ext4 flush it
     * (auto_da_alloc), ~2 ms per call on a busy machine. */
    unlink(path);
    FILE *f = fopen(path, "wb");
    if (!f) {
        return -1;
    }
    size_t w = len ? fwrite(buf, 1, len, f) : 0;
    int rc = fclose(f);
    return (w == len && rc == 0) ? 0 : -1;
}

uint8_t *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
    if (b && n > 0 && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

uint8_t tu_pat(uint64_t a, unsigned seed)
{
    uint64_t x = a * 0x9e3779b97f4a7c15ull + seed * 0x632be59bd9b4e019ull;
    x ^= x >> 29;
    /* make about one page in 8 all-zero to exercise zero pages */
    if (((a >> 12) & 7) == 5) {
        return 0;
    }
    return (uint8_t)(x >> 17);
}

static struct df_dump *fill_chunks(struct df_dump *d, const uint64_t *ranges,
                                   size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t a = ranges[2 * i], l = ranges[2 * i + 1];
        uint8_t *b = malloc(l);
        for (uint64_t k = 0; k < l; k++) {
            b[k] = tu_pat(a + k, seed);
        }
        struct df_err e;
        if (df_dump_add_chunk(d, a, b, l, &e) != DF_OK) {
            free(b);
            df_dump_free(d);
            return NULL;
        }
        free(b);
    }
    return d;
}

void tu_fill_s390_cpu(struct db_s390_cpu *c, unsigned n)
{
    memset(c, 0, sizeof(*c));
    uint64_t t = (uint64_t)(n + 1) << 56;
    c->psw_mask = 0x0704c00180000000ull | n;
    c->psw_addr = 0x0000000000123456ull + n * 0x100;
    for (int i = 0; i < 16; i++) {
        c->gprs[i] = t | (0x1000u * (unsigned)i) | 0x11;
        c->acrs[i] = 0xa0000000u | (n << 8) | (unsigned)i;
        c->fprs[i] = t | 0xf00000u | (unsigned)i;
        c->crs[i] = t | 0xc0000u | (unsigned)i;
        c->vxrs_low[i] = t | 0x10000u | (unsigned)i;
        c->vxrs_high[i][0] = t | 0x20000u | (unsigned)i;
        c->vxrs_high[i][1] = t | 0x30000u | (unsigned)i;
    }
    c->fpc = 0x00080000u | n;
    c->prefix = 0x8000u + 0x4000u * n;
    c->todpreg = 0x1234u + n;
    c->cputm = 0x7fff000000000000ull | n;
    c->ckc = 0xd000000000000000ull | (uint64_t)n << 8;   /* bits 0-55: all a dump keeps */
    c->online = true;
    c->stopped = true;
    c->address = (uint16_t)n;
}

void tu_fill_ppc_cpu(struct db_ppc64_cpu *c, unsigned n)
{
    memset(c, 0, sizeof(*c));
    uint64_t t = (uint64_t)(n + 1) << 56;
    for (int i = 0; i < 32; i++) {
        c->gpr[i] = t | (0x100u * (unsigned)i) | 7;
    }
    c->nia = 0xc000000000012340ull + n * 4;
    c->msr = 0x8000000000001033ull;
    c->ctr = t | 0xc7;
    c->lr = 0xc000000000045670ull + n;
    c->xer = 0x20000000u | n;
    c->cr = 0x44000022u + n;
    c->dar = t | 0xda;
    c->dsisr = 0x40000000u | n;
    c->online = true;
    c->cpu_id = n;
}

struct df_dump *tu_sample_s390(void)
{
    static const uint64_t r[] = {0, 0x10000, 0x100000, 0x20000};
    struct df_dump *d = fill_chunks(df_dump_new(DF_ARCH_S390X), r, 2, 1);
    if (!d) {
        return NULL;
    }
    struct df_err e;
    for (unsigned n = 0; n < 3; n++) {
        struct df_cpu c;
        memset(&c, 0, sizeof(c));
        c.present = 1;
        tu_fill_s390_cpu(&c.regs.s390, n);
        if (n == 2) {
            c.regs.s390.prefix = 0; /* never ran: dropped by notes_init */
        }
        df_dump_add_cpu(d, &c, &e);
    }
    d->flags |= DF_FLAG_S390_VX;
    df_dump_set_vmcoreinfo(d, VMCI_TEXT, strlen(VMCI_TEXT), &e);
    return d;
}

struct df_dump *tu_sample_ppc(enum df_arch arch)
{
    static const uint64_t r[] = {0, 0x20000, 0x200000, 0x10000};
    struct df_dump *d = fill_chunks(df_dump_new(arch), r, 2, 2);
    if (!d) {
        return NULL;
    }
    struct df_err e;
    for (unsigned n = 0; n < 2; n++) {
        struct df_cpu c;
        memset(&c, 0, sizeof(c));
        c.present = 1;
        tu_fill_ppc_cpu(&c.regs.ppc64, n);
        df_dump_add_cpu(d, &c, &e);
    }
    df_dump_set_vmcoreinfo(d, VMCI_TEXT_PPC, strlen(VMCI_TEXT_PPC), &e);
    return d;
}

int tu_same_memory(const struct df_dump *a, const struct df_dump *b)
{
    if (a->nchunks != b->nchunks) {
        return 0;
    }
    for (size_t i = 0; i < a->nchunks; i++) {
        if (a->chunks[i].paddr != b->chunks[i].paddr ||
            a->chunks[i].size != b->chunks[i].size ||
            memcmp(a->chunks[i].data, b->chunks[i].data, a->chunks[i].size)) {
            return 0;
        }
    }
    return 1;
}

/* Compare every page of our reader with libkdumpfile's view of the file. */
void tu_kdumpfile_compare(const char *path, size_t expect_pages)
{
    struct df_err e = {{0}};
    struct df_dump *r = NULL;
    CU_ASSERT_EQUAL_FATAL(df_read_file(path, &r, &e), DF_OK);
    kdump_ctx_t *ctx = kdump_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
    int fd = open(path, O_RDONLY);
    CU_ASSERT_FATAL(fd >= 0);
    kdump_status st = kdump_open_fd(ctx, fd);
    if (st != KDUMP_OK) {
        fprintf(stderr, "\nlibkdumpfile: %s\n", kdump_get_err(ctx));
    }
    CU_ASSERT_EQUAL_FATAL(st, KDUMP_OK);
    size_t pages = 0;
    uint8_t buf[4096];
    for (size_t i = 0; i < r->nchunks; i++) {
        for (uint64_t a = r->chunks[i].paddr;
             a + 4096 <= r->chunks[i].paddr + r->chunks[i].size; a += 4096) {
            size_t sz = sizeof(buf);
            st = kdump_read(ctx, KDUMP_MACHPHYSADDR, a, buf, &sz);
            CU_ASSERT_EQUAL(st, KDUMP_OK);
            CU_ASSERT_EQUAL(sz, 4096);
            const uint8_t *ours = df_dump_page(r, a);
            CU_ASSERT(ours && st == KDUMP_OK && memcmp(ours, buf, 4096) == 0);
            pages++;
        }
    }
    CU_ASSERT_EQUAL(pages, expect_pages);
    kdump_free(ctx);
    close(fd);
    df_dump_free(r);
}

