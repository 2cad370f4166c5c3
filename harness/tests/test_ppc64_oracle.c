/*
 * ppc64 fadump oracles over synthetic files (harness/src/qemu_ppc64_oracle.c):
 * the DBPPC64T truth reader with valid, truncated and corrupt input, and the
 * page / register / printk-ring oracle over a hand-built ELF vmcore, and
 * the makedumpfile --dump-dmesg runner with stand-in tools.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>

#include "../src/qemu_internal.h"
#include "tests.h"

#define NPAGES 16u
#define NCPU 2u
#define REC 376u

static char *dir;

static void put_be(uint8_t *p, uint64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++, v >>= 8)
        p[i] = (uint8_t)v;
}

static uint64_t reg_val(unsigned cpu, unsigned w)
{
    return 0x1000000000000000ull * (cpu + 1) + w * 0x111;
}

/* RAM page i byte j */
static uint8_t ram_byte(uint64_t i, uint64_t j)
{
    return (uint8_t)(i * 7 + j * 13 + 1);
}

static const char *ring_text;   /* printk ring content of the current test */

/* The guest RAM both files describe.  Page 1 holds prb (@0x1000, pointing
 * at the ring struct @0x1100: text_data_ring at +0x40, size_bits 9 at +0,
 * data pointer at +8 -> 0x1800) and the text ring. */
static void fill_ram(uint8_t *ram)
{
    const uint64_t PO = 0xc000000000000000ull;
    for (uint64_t i = 0; i < NPAGES; i++)
        for (uint64_t j = 0; j < QPAGE; j++)
            ram[i * QPAGE + j] = ram_byte(i, j);
    put_le(ram + 0x1000, PO + 0x1100, 8);
    put_le(ram + 0x1100 + 0x40 + 0x0, 9, 4);
    put_le(ram + 0x1100 + 0x40 + 0x8, PO + 0x1800, 8);
    memset(ram + 0x1800, 0, 512);
    if (ring_text)
        memcpy(ram + 0x1800 + 16, ring_text, strlen(ring_text));
}

/* Truth file: header, NCPU records (cpu 0 = os-term caller), RAM at 4096. */
static uint8_t *make_truth(size_t *len)
{
    *len = 4096 + NPAGES * QPAGE;
    uint8_t *b = calloc(1, *len);
    memcpy(b, "DBPPC64T", 8);
    put_be(b + 8, 1, 4);
    put_be(b + 12, 64, 4);
    put_be(b + 16, NCPU, 4);
    put_be(b + 20, REC, 4);
    put_be(b + 24, 0, 4);
    put_be(b + 32, 4096, 8);
    put_be(b + 40, NPAGES * QPAGE, 8);
    for (unsigned c = 0; c < NCPU; c++) {
        uint8_t *r = b + 64 + c * REC;
        put_be(r, c, 8);
        put_be(r + 8, 1, 8);
        for (unsigned w = 2; w < PPC64_TW_COUNT; w++)
            put_be(r + w * 8, reg_val(c, w), 8);
    }
    fill_ram(b + 4096);
    return b;
}

/* pt_regs slot -> truth word for the compared registers */
static const unsigned slot_tw[][2] = {
    { 32, PPC64_TW_NIA }, { 33, PPC64_TW_MSR }, { 35, PPC64_TW_CTR }, { 36, PPC64_TW_LR },
    { 37, PPC64_TW_XER }, { 38, PPC64_TW_CR }, { 41, PPC64_TW_DAR }, { 42, PPC64_TW_DSISR },
};

struct vm_opts {
    uint64_t skip_first, skip_end;  /* RAM pages [first, end) left out of the PT_LOADs */
    int flip_page;                  /* -1 or page whose byte 5 is flipped */
    int bad_gpr;                    /* -1 or GPR of cpu 1's note that differs */
    const char *ring_text;          /* printk ring content */
    int vpa_page;                   /* 0 or page whose word at +0x500 is +1 (BE) */
};

static bool vpa_allowed;

/*
 * ELF64 LE core: PT_NOTE (NT_PRSTATUS for cpu 1 = truth, cpu 0 = "panic
 * site", VMCOREINFO) and PT_LOADs of the RAM pages except the skipped range.
 * RAM from fill_ram (the truth file holds the same RAM).
 */
static uint8_t *make_vmcore(const struct vm_opts *o, size_t *len)
{
    uint8_t ram[NPAGES * QPAGE];
    ring_text = o->ring_text;
    fill_ram(ram);
    const uint64_t PO = 0xc000000000000000ull;
    uint8_t notes[4096] = { 0 };
    size_t nl = 0;
    for (unsigned c = 0; c < NCPU; c++) {
        put_le(notes + nl, 5, 4);
        put_le(notes + nl + 4, 504, 4);
        put_le(notes + nl + 8, 1, 4);
        memcpy(notes + nl + 12, "CORE", 5);
        uint8_t *d = notes + nl + 20;
        for (unsigned g = 0; g < 32; g++)
            put_le(d + 112 + g * 8, c == 1 ? reg_val(1, PPC64_TW_GPR0 + g) + (o->bad_gpr == (int)g) : 0xdead, 8);
        for (size_t k = 0; k < sizeof slot_tw / sizeof slot_tw[0]; k++)
            put_le(d + 112 + slot_tw[k][0] * 8, c == 1 ? reg_val(1, slot_tw[k][1]) : 0xbeef, 8);
        nl += 20 + 504;
    }
    const char *vi = "OSRELEASE=6.1.0\nSYMBOL(prb)=c000000000001000\n"
                     "OFFSET(printk_ringbuffer.text_data_ring)=64\n"
                     "OFFSET(prb_data_ring.size_bits)=0\nOFFSET(prb_data_ring.data)=8\n";
    size_t vl = strlen(vi);
    put_le(notes + nl, 11, 4);
    put_le(notes + nl + 4, vl, 4);
    put_le(notes + nl + 8, 0, 4);
    memcpy(notes + nl + 12, "VMCOREINFO", 11);
    memcpy(notes + nl + 24, vi, vl);
    nl += 24 + ((vl + 3) & ~3ul);
    /* loads: [0, skip_first) and [skip_end, NPAGES) */
    size_t nph = 1 + (o->skip_first > 0) + (o->skip_end < NPAGES);
    size_t hdr = 64 + nph * 56, noteoff = hdr, dataoff = (hdr + nl + QPAGE - 1) & ~(size_t)(QPAGE - 1);
    *len = dataoff + NPAGES * QPAGE;
    uint8_t *b = calloc(1, *len);
    memcpy(b, "\177ELF", 4);
    b[4] = 2;
    b[5] = 1;
    b[6] = 1;
    put_le(b + 16, 4, 2);
    put_le(b + 18, 21, 2);      /* EM_PPC64 */
    put_le(b + 32, 64, 8);
    put_le(b + 52, 64, 2);
    put_le(b + 54, 56, 2);
    put_le(b + 56, nph, 2);
    uint8_t *ph = b + 64;
    put_le(ph, 4, 4);
    put_le(ph + 8, noteoff, 8);
    put_le(ph + 32, nl, 8);
    memcpy(b + noteoff, notes, nl);
    size_t at = dataoff;
    uint64_t ranges[2][2] = { { 0, o->skip_first }, { o->skip_end, NPAGES } };
    for (int r = 0; r < 2; r++) {
        if (ranges[r][1] <= ranges[r][0])
            continue;
        ph += 56;
        uint64_t sz = (ranges[r][1] - ranges[r][0]) * QPAGE;
        put_le(ph, 1, 4);
        put_le(ph + 8, at, 8);
        put_le(ph + 16, PO + ranges[r][0] * QPAGE, 8);
        put_le(ph + 24, ranges[r][0] * QPAGE, 8);
        put_le(ph + 32, sz, 8);
        put_le(ph + 40, sz, 8);
        memcpy(b + at, ram + ranges[r][0] * QPAGE, sz);
        at += sz;
    }
    if (o->flip_page >= 0) {
        /* find the page's file offset: first load starts at page 0 */
        uint64_t pg = (uint64_t)o->flip_page;
        size_t off = pg < o->skip_first ? dataoff + pg * QPAGE
                                        : dataoff + (o->skip_first + (pg - o->skip_end)) * QPAGE;
        b[off + 5] ^= 0x5a;
    }
    if (o->vpa_page > 0) {
        uint64_t pg = (uint64_t)o->vpa_page;
        size_t off = pg < o->skip_first ? dataoff + pg * QPAGE
                                        : dataoff + (o->skip_first + (pg - o->skip_end)) * QPAGE;
        uint32_t v = (uint32_t)b[off + 0x500] << 24 | (uint32_t)b[off + 0x501] << 16 |
                     (uint32_t)b[off + 0x502] << 8 | b[off + 0x503];
        put_be(b + off + 0x500, v + 1, 4);
    }
    return b;
}

static char *write_tmp(const char *name, const uint8_t *b, size_t len)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    CU_ASSERT_EQUAL_FATAL(th_write_file(p, b, len), 0);
    return p;
}

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

static void test_truth_valid(void)
{
    ring_text = NULL;
    size_t len;
    uint8_t *b = make_truth(&len);
    char *p = write_tmp("truth-ok.bin", b, len);
    struct ppc64_truth t;
    char err[512] = "";
    CU_ASSERT_EQUAL_FATAL(ppc64_truth_open(&t, p, err, sizeof err), 0);
    CU_ASSERT_EQUAL(t.ncpu, NCPU);
    CU_ASSERT_EQUAL(t.caller, 0);
    CU_ASSERT_EQUAL(t.ram_size, NPAGES * QPAGE);
    CU_ASSERT_EQUAL(t.cpus[1].w[PPC64_TW_NIA], reg_val(1, PPC64_TW_NIA));
    CU_ASSERT_EQUAL(t.cpus[1].w[PPC64_TW_FPSCR], reg_val(1, PPC64_TW_FPSCR));
    const uint8_t *pg = ppc64_truth_page(&t, 3 * QPAGE);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pg);
    CU_ASSERT_EQUAL(pg[9], ram_byte(3, 9));
    CU_ASSERT_EQUAL(ppc64_truth_page(&t, QPAGE)[0x140], 9);
    CU_ASSERT_PTR_NULL(ppc64_truth_page(&t, NPAGES * QPAGE));
    CU_ASSERT_PTR_NULL(ppc64_truth_page(&t, 100));
    ppc64_truth_close(&t);
    free(p);
    free(b);
}

static void expect_truth_error(uint8_t *b, size_t len, const char *name, const char *want)
{
    char *p = write_tmp(name, b, len);
    struct ppc64_truth t;
    char err[512] = "";
    CU_ASSERT_EQUAL(ppc64_truth_open(&t, p, err, sizeof err), -1);
    if (!strstr(err, want))
        fprintf(stderr, "\n%s: got '%s', want '%s'\n", name, err, want);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
    free(p);
}

static void test_truth_truncated(void)
{
    size_t len;
    uint8_t *b = make_truth(&len);
    expect_truth_error(b, 40, "t-hdr.bin", "shorter than the 64-byte");
    expect_truth_error(b, 64 + REC + 10, "t-rec.bin", "truncated");
    expect_truth_error(b, len - 1, "t-ram.bin", "truncated or corrupt");
    free(b);
}

static void test_truth_corrupt(void)
{
    size_t len;
    uint8_t *b = make_truth(&len);
    b[0] = 'X';
    expect_truth_error(b, len, "c-magic.bin", "magic");
    b[0] = 'D';
    put_be(b + 20, 12, 4);
    expect_truth_error(b, len, "c-rec.bin", "cpu record size");
    put_be(b + 20, REC, 4);
    put_be(b + 16, 0, 4);
    expect_truth_error(b, len, "c-ncpu.bin", "cpu count");
    put_be(b + 16, NCPU, 4);
    put_be(b + 32, 100, 8);
    expect_truth_error(b, len, "c-off.bin", "misaligned");
    put_be(b + 32, 4096, 8);
    put_be(b + 8, 2, 4);
    expect_truth_error(b, len, "c-ver.bin", "version 2");
    free(b);
}

static int run_oracle(const struct vm_opts *o, const struct ppc64_range *ex, size_t nex,
                      const char *text, struct ppc64_oracle_out *out)
{
    size_t tl, vl;
    uint8_t *v = make_vmcore(o, &vl), *t = make_truth(&tl);
    char *tp = write_tmp("truth.bin", t, tl), *vp = write_tmp("vmcore", v, vl);
    struct ppc64_oracle_in in = { .vmcore = vp, .truth = tp, .nexempt = nex, .exempt = ex,
                                  .dmesg_text = text, .allow_vpa_counter = vpa_allowed };
    char err[512] = "";
    int rc = ppc64_oracle_compare(&in, out, err, sizeof err);
    if (rc)
        fprintf(stderr, "\noracle error: %s\n", err);
    free(t);
    free(v);
    free(tp);
    free(vp);
    return rc;
}

static const struct ppc64_range reserved = { 8 * QPAGE, 12 * QPAGE, "reserved destination area" };

static void test_oracle_equal(void)
{
    struct vm_opts o = { 8, 12, -1, -1, "<0>Kernel panic - not syncing: sysrq triggered crash", 0 };
    struct ppc64_oracle_out *out = calloc(1, sizeof *out);
    CU_ASSERT_EQUAL_FATAL(run_oracle(&o, &reserved, 1, "sysrq triggered crash", out), 0);
    CU_ASSERT_STRING_EQUAL(out->fail, "");
    CU_ASSERT_EQUAL(out->pages_compared, NPAGES - 4);
    CU_ASSERT_EQUAL(out->pages_differ, 0);
    CU_ASSERT_EQUAL(out->pages_absent, 4);
    CU_ASSERT_EQUAL(out->pages_missing, 0);
    CU_ASSERT_EQUAL(out->nabsent, 1);
    CU_ASSERT_EQUAL(out->absent[0].start, 8 * QPAGE);
    CU_ASSERT_EQUAL(out->absent[0].end, 12 * QPAGE);
    CU_ASSERT_EQUAL(out->prstatus, 2);
    CU_ASSERT_EQUAL(out->cpus_matched, 1);
    CU_ASSERT_EQUAL(out->regs_compared, 40);
    CU_ASSERT_EQUAL(out->dmesg_checked, 1);
    CU_ASSERT_EQUAL(out->dmesg_found, 1);
    free(out);
}

static void test_oracle_page_differs(void)
{
    struct vm_opts o = { 8, 12, 13, -1, "Kernel panic", 0 };
    struct ppc64_oracle_out *out = calloc(1, sizeof *out);
    CU_ASSERT_EQUAL_FATAL(run_oracle(&o, &reserved, 1, NULL, out), 0);
    CU_ASSERT_EQUAL(out->pages_differ, 1);
    CU_ASSERT_EQUAL(out->diff[0], 13 * QPAGE);
    CU_ASSERT_PTR_NOT_NULL(strstr(out->fail, "page 0xd000 differs"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out->fail, "byte 0x5"));
    free(out);
}

static void test_oracle_vpa_counter(void)
{
    /* page 13 differs only in the BE word at +0x500 (0x400-aligned lppaca
     * + 0x100) by +1: attributed when allowed, a failure otherwise */
    struct vm_opts o = { 8, 12, -1, -1, "x", 0 };
    o.vpa_page = 13;
    struct ppc64_oracle_out *out = calloc(1, sizeof *out);
    CU_ASSERT_EQUAL_FATAL(run_oracle(&o, &reserved, 1, NULL, out), 0);
    CU_ASSERT_EQUAL(out->pages_differ, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(out->fail, "page 0xd000"));
    vpa_allowed = true;
    CU_ASSERT_EQUAL_FATAL(run_oracle(&o, &reserved, 1, NULL, out), 0);
    CU_ASSERT_STRING_EQUAL(out->fail, "");
    CU_ASSERT_EQUAL(out->vpa_pages, 1);
    CU_ASSERT_EQUAL(out->vpa[0], 13 * QPAGE);
    /* a second differing byte in the same page is not a counter */
    o.flip_page = 13;
    CU_ASSERT_EQUAL_FATAL(run_oracle(&o, &reserved, 1, NULL, out), 0);
    CU_ASSERT_EQUAL(out->pages_differ, 1);
    CU_ASSERT_EQUAL(out->vpa_pages, 0);
    vpa_allowed = false;
    free(out);
}

static void test_oracle_missing_page(void)
{
    /* pages 8..11 absent but no exemption named: a failure naming 0x8000 */
    struct vm_opts o = { 8, 12, -1, -1, "x", 0 };
    struct ppc64_oracle_out *out = calloc(1, sizeof *out);
    CU_ASSERT_EQUAL_FATAL(run_oracle(&o, NULL, 0, NULL, out), 0);
    CU_ASSERT_EQUAL(out->pages_missing, 4);
    CU_ASSERT_PTR_NOT_NULL(strstr(out->fail, "RAM page 0x8000"));
    free(out);
}

static void test_oracle_register_differs(void)
{
    struct vm_opts o = { 8, 12, -1, 5, "x", 0 };
    struct ppc64_oracle_out *out = calloc(1, sizeof *out);
    CU_ASSERT_EQUAL_FATAL(run_oracle(&o, &reserved, 1, NULL, out), 0);
    CU_ASSERT_EQUAL(out->cpus_matched, 0);
    CU_ASSERT_EQUAL(out->regs_differ, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(out->fail, "cpu 1"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out->fail, "gpr5"));
    free(out);
}

static void test_oracle_dmesg_lacks(void)
{
    struct vm_opts o = { 8, 12, -1, -1, "<0>Kernel panic - not syncing: something else", 0 };
    struct ppc64_oracle_out *out = calloc(1, sizeof *out);
    CU_ASSERT_EQUAL_FATAL(run_oracle(&o, &reserved, 1, "sysrq triggered crash", out), 0);
    CU_ASSERT_EQUAL(out->dmesg_checked, 1);
    CU_ASSERT_EQUAL(out->dmesg_found, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out->fail, "dmesg in the vmcore lacks"));
    free(out);
}

static void test_oracle_corrupt_vmcore(void)
{
    size_t tl, vl;
    struct vm_opts o = { 8, 12, -1, -1, "x", 0 };
    uint8_t *t = make_truth(&tl), *v = make_vmcore(&o, &vl);
    char *tp = write_tmp("truth.bin", t, tl), *vp = write_tmp("vmcore-cut", v, vl / 2);
    struct ppc64_oracle_in in = { .vmcore = vp, .truth = tp };
    struct ppc64_oracle_out *out = calloc(1, sizeof *out);
    char err[512] = "";
    CU_ASSERT_EQUAL(ppc64_oracle_compare(&in, out, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "beyond EOF"));
    free(out);
    free(t);
    free(v);
    free(tp);
    free(vp);
}

static void test_reference_without_libsim(void)
{
    /* test-harness does not link libsim: the reference oracle must say so
     * (SKIPPED with the reason), never pass silently */
    size_t tl, vl;
    struct vm_opts o = { 8, 12, -1, -1, "x", 0 };
    uint8_t *v = make_vmcore(&o, &vl), *t = make_truth(&tl);
    char *tp = write_tmp("truth.bin", t, tl), *vp = write_tmp("vmcore", v, vl);
    struct ppc64_ref_out *out = calloc(1, sizeof *out);
    char err[512] = "";
    CU_ASSERT_EQUAL(ppc64_reference_compare(vp, tp, 0xc000000000002000ull, out, err, sizeof err), 0);
    CU_ASSERT_EQUAL(out->ran, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out->skipped, "libsim"));
    free(out);
    free(t);
    free(v);
    free(tp);
    free(vp);
}

/* ---- makedumpfile --dump-dmesg runner, with stand-in tools ---------------- */

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

#define PANIC "Kernel panic - not syncing: sysrq triggered crash"

/* A stand-in makedumpfile: `sh DIR/name.sh`; the script checks it got
 * `--dump-dmesg VMCORE OUT` (exit 3 otherwise) and then runs body with
 * $2 = vmcore, $3 = out. */
static char *fake_tool(const char *name, const char *body)
{
    char s[2048];
    int n = snprintf(s, sizeof s,
                     "[ \"$1\" = --dump-dmesg ] && [ -f \"$2\" ] && [ -n \"$3\" ] || "
                     "{ echo \"bad args: $*\" >&2; exit 3; }\n%s\n", body);
    CU_ASSERT_FATAL(n > 0 && (size_t)n < sizeof s);
    char fn[64];
    snprintf(fn, sizeof fn, "%s.sh", name);
    char *p = write_tmp(fn, (const uint8_t *)s, strlen(s));
    char *cmd = malloc(strlen(p) + 8);
    sprintf(cmd, "sh %s", p);
    free(p);
    return cmd;
}

static int mdf_run(const char *body, const char *want, int timeout_s, unsigned *n, char *why, size_t wl)
{
    char *vm = write_tmp("mdf-vmcore", (const uint8_t *)"ELF", 3);
    char out[600];
    snprintf(out, sizeof out, "%s/dmesg.txt", dir);
    char *tool = body ? fake_tool("mdf", body) : NULL;
    int v = ppc64_makedumpfile_dmesg(tool, vm, out, want, timeout_s, n, why, wl);
    free(tool);
    free(vm);
    return v;
}

static void test_mdf_found(void)
{
    unsigned n = 99;
    char why[400] = "";
    int v = mdf_run("printf '[    0.0] fadump: ok\\n[    2.4] sysrq: Trigger a crash\\n[    2.4] " PANIC
                    "\\n' > \"$3\"; echo 'The kernel version is not supported.'",
                    PANIC, 60, &n, why, sizeof why);
    CU_ASSERT_EQUAL(v, PPC64_MDF_OK);
    CU_ASSERT_EQUAL(n, 3);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "3 lines"));
}

static void test_mdf_text_across_chunks(void)
{
    /* the text straddles the runner's 4096-byte read boundary */
    unsigned n = 0;
    char why[400] = "";
    int v = mdf_run("{ head -c 4080 /dev/zero | tr '\\0' x; printf '\\n" PANIC "\\n'; } > \"$3\"",
                    PANIC, 60, &n, why, sizeof why);
    CU_ASSERT_EQUAL(v, PPC64_MDF_OK);
    CU_ASSERT_EQUAL(n, 2);
}

static void test_mdf_lacks_text(void)
{
    unsigned n = 0;
    char why[400] = "";
    int v = mdf_run("printf 'line one\\nKernel panic - not syncing: something else\\n' > \"$3\"",
                    PANIC, 60, &n, why, sizeof why);
    CU_ASSERT_EQUAL(v, PPC64_MDF_FAILED);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "lacks 'Kernel panic - not syncing: sysrq"));
}

static void test_mdf_tool_fails(void)
{
    /* what the host's amd64 build says about a ppc64le vmcore */
    unsigned n = 0;
    char why[400] = "";
    int v = mdf_run("echo 'vtop4_x86_64: Can'\"'\"'t get the symbol of init_top_pgt.' >&2; exit 1",
                    PANIC, 60, &n, why, sizeof why);
    CU_ASSERT_EQUAL(v, PPC64_MDF_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "exit 1"));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "vtop4_x86_64"));
}

static void test_mdf_stale_output(void)
{
    /* exit 0 without writing OUT: an OUT left by an earlier run must not pass */
    char out[600];
    snprintf(out, sizeof out, "%s/dmesg.txt", dir);
    CU_ASSERT_EQUAL_FATAL(th_write_file(out, PANIC "\n", strlen(PANIC) + 1), 0);
    unsigned n = 0;
    char why[400] = "";
    CU_ASSERT_EQUAL(mdf_run("exit 0", PANIC, 60, &n, why, sizeof why), PPC64_MDF_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "no output file"));
    /* empty output */
    CU_ASSERT_EQUAL(mdf_run(": > \"$3\"", PANIC, 60, &n, why, sizeof why), PPC64_MDF_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "empty"));
}

static void test_mdf_timeout(void)
{
    unsigned n = 0;
    char why[400] = "";
    double t0 = mono_now();
    int v = mdf_run("echo " PANIC " > \"$3\"; exec sleep 30", PANIC, 1, &n, why, sizeof why);
    CU_ASSERT_EQUAL(v, PPC64_MDF_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "timed out after 1 s"));
    CU_ASSERT(mono_now() - t0 < 15);
}

static void test_mdf_absent(void)
{
    unsigned n = 0;
    char why[400] = "";
    /* unset: SKIPPED, never OK */
    CU_ASSERT_EQUAL(mdf_run(NULL, PANIC, 60, &n, why, sizeof why), PPC64_MDF_SKIPPED);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "DUMPBENCH_PPC64_MAKEDUMPFILE not set"));
    /* set to a command that does not exist: sh exits 127 */
    char *vm = write_tmp("mdf-vmcore", (const uint8_t *)"ELF", 3);
    char out[600];
    snprintf(out, sizeof out, "%s/dmesg.txt", dir);
    int v = ppc64_makedumpfile_dmesg("/nonexistent/qemu-ppc64le-static -L /x /x/makedumpfile", vm, out,
                                     PANIC, 60, &n, why, sizeof why);
    CU_ASSERT_EQUAL(v, PPC64_MDF_SKIPPED);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "could not be executed"));
    free(vm);
}

int register_ppc64_oracle_tests(void)
{
    CU_pSuite s = CU_add_suite("ppc64_oracle", setup, teardown);
    if (!s)
        return -1;
    return !CU_add_test(s, "truth file: valid", test_truth_valid) ||
           !CU_add_test(s, "truth file: truncated", test_truth_truncated) ||
           !CU_add_test(s, "truth file: corrupt fields", test_truth_corrupt) ||
           !CU_add_test(s, "oracle: equal, reserved area absent", test_oracle_equal) ||
           !CU_add_test(s, "oracle: differing page named", test_oracle_page_differs) ||
           !CU_add_test(s, "oracle: VPA dispatch counter attribution", test_oracle_vpa_counter) ||
           !CU_add_test(s, "oracle: missing page without exemption", test_oracle_missing_page) ||
           !CU_add_test(s, "oracle: register differs", test_oracle_register_differs) ||
           !CU_add_test(s, "oracle: dmesg lacks the text", test_oracle_dmesg_lacks) ||
           !CU_add_test(s, "oracle: truncated vmcore", test_oracle_corrupt_vmcore) ||
           !CU_add_test(s, "reference oracle without libsim: skipped", test_reference_without_libsim) ||
           !CU_add_test(s, "makedumpfile: panic found, lines counted", test_mdf_found) ||
           !CU_add_test(s, "makedumpfile: text across read chunks", test_mdf_text_across_chunks) ||
           !CU_add_test(s, "makedumpfile: text missing", test_mdf_lacks_text) ||
           !CU_add_test(s, "makedumpfile: tool exits non-zero", test_mdf_tool_fails) ||
           !CU_add_test(s, "makedumpfile: stale or empty output", test_mdf_stale_output) ||
           !CU_add_test(s, "makedumpfile: timeout", test_mdf_timeout) ||
           !CU_add_test(s, "makedumpfile: absent tool skipped", test_mdf_absent)
           ? -1 : 0;
}
