/* HTML report, result files, shard merge, structured first difference. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include <dumpfmt/dump.h>
#include <harness/compare.h>
#include <harness/qemu.h>
#include <harness/report.h>
#include <harness/run.h>

#include "tests.h"

int register_report_html_tests(void);

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

static char *html_of(const struct report *r, const char *path)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CU_ASSERT_EQUAL(report_write_html(r, f, path, NULL), 0);
    fclose(f);
    return buf;
}

/* A report with one failing case carrying a page difference, one passing,
 * one skipped; names and console text try to inject markup. */
static void sample(struct report *r, const char *run_dir)
{
    report_init(r, NULL);
    report_set_run_dir(r, run_dir);
    report_add_phase(r, "boot", 1.5);
    report_add_phase(r, "capture", 3.0);
    struct cmp_result *c = calloc(1, sizeof(*c));
    cmp_result_init(c);
    c->pages_compared = 4096;
    c->pages_differ = 1;
    c->regs_compared = 32;
    cmp_add_exempt(c, 0x1000000, 0x2000, "dump kernel <footprint>");
    c->exempt[0].pages = 2;
    report_add_cmp(r, "bad<script>alert(1)</script>", c);
    free(c);
    struct cmp_diff d;
    memset(&d, 0, sizeof(d));
    d.valid = true;
    snprintf(d.kind, sizeof(d.kind), "page");
    snprintf(d.field, sizeof(d.field), "PT_LOAD 2 at paddr 0x2000000 +0x123 <i>");
    d.addr = 0x2000123;
    d.base = 0x2000120;
    d.len = 16;
    d.mark = 3;
    for (unsigned i = 0; i < 16; i++)
        d.exp[i] = d.act[i] = (uint8_t)(0xa0 + i);
    d.act[3] = 0x5c;
    report_set_diff(r, "pages-equal (line 9)", &d);
    /* only the first difference of a case is kept */
    d.addr = 0x9999000;
    report_set_diff(r, "golden (line 10)", &d);
    report_case(r, "bad<script>alert(1)</script>", "dumpbench.sim.s390x", REPORT_FAIL,
                "pages-equal (line 9): page 0x2000000 byte 0x123: expected 0xa3 got 0x5c",
                "console: </pre><img src=x onerror=alert(1)>\x01\x1b[31m & 'q\"", 4.75);
    report_add_phase(r, "boot", 0.5);
    report_case(r, "good", "dumpbench.sim.ppc64", REPORT_PASS, NULL, NULL, 0.5);
    report_case(r, "skipped", "dumpbench.qemu.x86_64", REPORT_SKIP,
                "qemu-system-x86_64 not installed", NULL, 0);
}

static void test_html_failure_bytes_and_escaping(void)
{
    char run_dir[512], html[512], log[600];
    snprintf(run_dir, sizeof(run_dir), "%s/runs/bad", dir);
    snprintf(html, sizeof(html), "%s/runs/report.html", dir);
    snprintf(log, sizeof(log), "%s/console.log", run_dir);
    char mk[600];
    snprintf(mk, sizeof(mk), "%s/runs", dir);
    mkdir(mk, 0755);
    mkdir(run_dir, 0755);
    CU_ASSERT_EQUAL(th_write_file(log, "hello\n", 6), 0);
    struct report r;
    sample(&r, run_dir);
    CU_ASSERT_EQUAL_FATAL(r.ncases, 3);
    CU_ASSERT_TRUE(r.cases[0].d.has_diff);
    CU_ASSERT_EQUAL(r.cases[0].d.diff.addr, 0x2000123);   /* first kept */
    CU_ASSERT_EQUAL(r.cases[0].d.nphases, 2);
    CU_ASSERT_EQUAL(r.cases[1].d.nphases, 1);
    CU_ASSERT_FALSE(r.cases[1].d.has_diff);
    CU_ASSERT_EQUAL(r.cases[0].d.pages_compared, 4096);
    CU_ASSERT_EQUAL(r.cases[1].d.pages_compared, 0);
    char *h = html_of(&r, html);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    /* the failing byte highlighted on both sides, its neighbours plain */
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<td class=\"d\">a3</td>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<td class=\"d\">5c</td>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<td>a2</td><td class=\"d\">a3</td><td>a4</td>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<th class=\"base\">0x2000120</th>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "at paddr 0x2000123"));
    /* field name, escaped */
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "PT_LOAD 2 at paddr 0x2000000 +0x123 &lt;i&gt;"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "first difference in <b>pages-equal (line 9)</b>"));
    /* no injected markup survives */
    CU_ASSERT_PTR_NULL(strstr(h, "<script"));
    CU_ASSERT_PTR_NULL(strstr(h, "<img"));
    CU_ASSERT_PTR_NULL(strstr(h, "<i>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "bad&lt;script&gt;alert(1)&lt;/script&gt;"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "&lt;/pre&gt;&lt;img src=x onerror=alert(1)&gt;&#xfffd;&#xfffd;[31m &amp; &#39;q&quot;"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "dump kernel &lt;footprint&gt;"));
    /* verdicts, timeline, links relative to the page */
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<span class=\"v fail\">FAIL</span>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<span class=\"v skip\">SKIP</span>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<span class=\"ph\" data-phase=\"capture\">capture 3.000 s</span>"));
    /* scale: the longest case, 4.75 s (phases 4.5 s + 0.25 s outside them) */
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<rect x=\"0.0\" y=\"2\" width=\"82.1\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<title>outside the phases 0.250 s</title>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<a href=\"bad/console.log\">console.log</a>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<a href=\"bad\">run dir</a>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "1 failed"));
    CU_ASSERT_PTR_NULL(strstr(h, "<script"));
    free(h);
    /* a page in another directory links with ../ */
    char other[600];
    snprintf(other, sizeof(other), "%s/elsewhere", dir);
    mkdir(other, 0755);
    snprintf(other, sizeof(other), "%s/elsewhere/r.html", dir);
    h = html_of(&r, other);
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<a href=\"../runs/bad/console.log\">console.log</a>"));
    free(h);
    /* the file writer: atomic, error names the path */
    char err[512];
    CU_ASSERT_EQUAL(report_write_html_file(&r, html, NULL, err, sizeof(err)), 0);
    size_t len = 0;
    char *back = (char *)th_read_file(html, &len);
    CU_ASSERT_PTR_NOT_NULL(back);
    CU_ASSERT_PTR_NOT_NULL(back ? strstr(back, "<!DOCTYPE html>") : NULL);
    free(back);
    CU_ASSERT_EQUAL(report_write_html_file(&r, "/nonexistent/x/r.html", NULL, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "/nonexistent/x/r.html.tmp: No such file or directory");
    report_free(&r);
}

static void test_html_escape(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    report_html_escape(f, "<a href='x'>&\"\x07\n\t\x7f\xc3\xa9");
    fclose(f);
    CU_ASSERT_STRING_EQUAL(buf, "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&#xfffd;\n\t&#xfffd;\xc3\xa9");
    free(buf);
}

static void test_register_diff_table(void)
{
    struct report r;
    report_init(&r, NULL);
    struct cmp_diff d;
    memset(&d, 0, sizeof(d));
    d.valid = true;
    snprintf(d.kind, sizeof(d.kind), "register");
    snprintf(d.field, sizeof(d.field), "NT_PRSTATUS cpu 1 gpr 14");
    d.len = 8;
    d.mark = 7;
    d.exp[7] = 1;
    d.act[7] = 2;
    report_set_diff(&r, "regs-equal (line 4)", &d);
    report_case(&r, "regs", NULL, REPORT_FAIL, "x", NULL, 1);
    char *h = html_of(&r, NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<span class=\"field\">NT_PRSTATUS cpu 1 gpr 14</span>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<td>00</td><td class=\"d\">01</td><td class=\"asc\">"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<th>7</th><th></th>"));       /* 8 columns only */
    CU_ASSERT_PTR_NULL(strstr(h, "<th>8</th>"));
    free(h);
    report_free(&r);
}

/* ---- structured first difference from compare.c --------------------------- */

static struct df_dump *small_dump(uint8_t poke, size_t at)
{
    struct df_err err;
    struct df_dump *d = df_dump_new(DF_ARCH_S390X);
    uint8_t *b = calloc(1, 0x3000);
    for (size_t i = 0; i < 0x3000; i++)
        b[i] = (uint8_t)(i * 7);
    b[at] ^= poke;
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, 0x10000, b, 0x3000, &err), 0);
    free(b);
    return d;
}

static void test_page_diff_record(void)
{
    struct df_dump *a = small_dump(0, 0), *b = small_dump(0xff, 0x1234);
    struct cmp_result *c = calloc(1, sizeof(*c));
    cmp_result_init(c);
    cmp_pages(a, b, c);
    CU_ASSERT_TRUE(c->differ);
    CU_ASSERT_TRUE(c->first_diff.valid);
    CU_ASSERT_STRING_EQUAL(c->first_diff.kind, "page");
    CU_ASSERT_EQUAL(c->first_diff.addr, 0x11234);
    CU_ASSERT_EQUAL(c->first_diff.base, 0x11230);
    CU_ASSERT_EQUAL(c->first_diff.len, 16);
    CU_ASSERT_EQUAL(c->first_diff.mark, 4);
    CU_ASSERT_EQUAL(c->first_diff.exp[4], (uint8_t)(0x1234 * 7));
    CU_ASSERT_EQUAL(c->first_diff.act[4], (uint8_t)((0x1234 * 7) ^ 0xff));
    CU_ASSERT_EQUAL(c->first_diff.exp[5], c->first_diff.act[5]);
    CU_ASSERT_EQUAL(c->first_diff.exp[0], (uint8_t)(0x1230 * 7));
    CU_ASSERT_STRING_EQUAL(c->first_diff.field, "page 0x11000 +0x234");
    free(c);
    df_dump_free(a);
    df_dump_free(b);
}

static void test_file_diff_names_elf_field(void)
{
    struct df_dump *a = small_dump(0, 0);
    struct df_err err;
    char pa[600], pb[600], msg[512];
    snprintf(pa, sizeof(pa), "%s/a.elf", dir);
    snprintf(pb, sizeof(pb), "%s/b.elf", dir);
    CU_ASSERT_EQUAL_FATAL(df_write_elf(a, pa, &err), 0);
    CU_ASSERT_EQUAL_FATAL(df_write_elf(a, pb, &err), 0);
    /* flip e_phnum's low byte (offset 56, big-endian s390x: byte 57) */
    FILE *f = fopen(pb, "r+");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fseek(f, 57, SEEK_SET);
    int ch = fgetc(f);
    fseek(f, 57, SEEK_SET);
    fputc(ch ^ 0x10, f);
    fclose(f);
    struct cmp_diff d;
    CU_ASSERT_EQUAL(cmp_files_diff(pa, pb, msg, sizeof(msg), &d), 1);
    CU_ASSERT_TRUE(d.valid);
    CU_ASSERT_STRING_EQUAL(d.kind, "file");
    CU_ASSERT_EQUAL(d.addr, 57);
    CU_ASSERT_EQUAL(d.base, 48);
    CU_ASSERT_EQUAL(d.mark, 9);
    CU_ASSERT_EQUAL(d.exp[9] ^ d.act[9], 0x10);
    CU_ASSERT_STRING_EQUAL(d.field, "ELF header e_phnum");
    /* an s390 stand-alone dump names its header fields */
    snprintf(pa, sizeof(pa), "%s/a.s390", dir);
    snprintf(pb, sizeof(pb), "%s/b.s390", dir);
    struct df_cpu cpu;
    memset(&cpu, 0, sizeof(cpu));
    cpu.present = 1;
    cpu.regs.s390.online = true;
    CU_ASSERT_EQUAL(df_dump_add_cpu(a, &cpu, &err), 0);
    int w1 = df_write_s390(a, pa, &err);
    CU_ASSERT_EQUAL_FATAL(w1, 0);
    CU_ASSERT_EQUAL_FATAL(df_write_s390(a, pb, &err), 0);
    f = fopen(pb, "r+");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fseek(f, 0x1a, SEEK_SET);               /* mem_size, bytes 0x18..0x1f */
    fputc(0x77, f);
    fclose(f);
    CU_ASSERT_EQUAL(cmp_files_diff(pa, pb, msg, sizeof(msg), &d), 1);
    CU_ASSERT_STRING_EQUAL(d.field, "s390 dump header mem_size");
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "in s390 dump header mem_size"));
    df_dump_free(a);
}

/* ---- result files and shards ----------------------------------------------- */

static void test_result_round_trip(void)
{
    struct report r, back;
    sample(&r, "/tmp/some run");
    r.shard_index = 2;
    r.shard_count = 3;
    char path[600], err[512];
    snprintf(path, sizeof(path), "%s/result.json", dir);
    CU_ASSERT_EQUAL_FATAL(report_write_result_file(&r, path, err, sizeof(err)), 0);
    report_init(&back, NULL);
    int rc = report_read_result_file(&back, path, err, sizeof(err));
    if (rc)
        fprintf(stderr, "\n%s\n", err);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    CU_ASSERT_EQUAL_FATAL(back.ncases, 3);
    for (size_t i = 0; i < 3; i++) {
        const struct report_case *a = &r.cases[i], *b = &back.cases[i];
        CU_ASSERT_STRING_EQUAL(a->name, b->name);
        CU_ASSERT_STRING_EQUAL(a->classname, b->classname);
        CU_ASSERT_EQUAL(a->status, b->status);
        CU_ASSERT_EQUAL(!a->msg, !b->msg);
        CU_ASSERT_EQUAL(!a->diag, !b->diag);
        if (a->diag && b->diag)
            CU_ASSERT_STRING_EQUAL(a->diag, b->diag);
        CU_ASSERT_DOUBLE_EQUAL(a->seconds, b->seconds, 1e-9);
        CU_ASSERT_EQUAL(a->d.nphases, b->d.nphases);
        CU_ASSERT_EQUAL(a->d.pages_compared, b->d.pages_compared);
        CU_ASSERT_EQUAL(a->d.regs_compared, b->d.regs_compared);
        CU_ASSERT_STRING_EQUAL(a->d.run_dir, b->d.run_dir);
        CU_ASSERT_EQUAL(a->d.has_diff, b->d.has_diff);
    }
    const struct cmp_diff *x = &back.cases[0].d.diff;
    CU_ASSERT_EQUAL(x->addr, 0x2000123);
    CU_ASSERT_EQUAL(x->base, 0x2000120);
    CU_ASSERT_EQUAL(x->len, 16);
    CU_ASSERT_EQUAL(x->mark, 3);
    CU_ASSERT_EQUAL(memcmp(x->exp, r.cases[0].d.diff.exp, 16), 0);
    CU_ASSERT_EQUAL(memcmp(x->act, r.cases[0].d.diff.act, 16), 0);
    CU_ASSERT_STRING_EQUAL(x->field, r.cases[0].d.diff.field);
    CU_ASSERT_STRING_EQUAL(back.cases[0].d.diff_expect, "pages-equal (line 9)");
    CU_ASSERT_EQUAL(back.nexempt, 1);
    CU_ASSERT_STRING_EQUAL(back.exempt[0].reason, "dump kernel <footprint>");
    CU_ASSERT_EQUAL(back.pages_compared, r.pages_compared);
    CU_ASSERT_EQUAL(report_finish(&back), 1);
    report_free(&back);
    report_free(&r);
    /* corrupt and foreign files are refused with the path */
    th_write_file(path, "{\"format\":\"other\"}", strlen("{\"format\":\"other\"}"));
    report_init(&back, NULL);
    CU_ASSERT_EQUAL(report_read_result_file(&back, path, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "not a dumpbench result file"));
    const char *bad = "{\"format\":\"dumpbench-result\",\"version\":1,\"exemptions\":[],"
                      "\"cases\":[{\"name\":\"x\",\"classname\":\"c\",\"status\":\"maybe\"}]}";
    th_write_file(path, bad, strlen(bad));
    CU_ASSERT_EQUAL(report_read_result_file(&back, path, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "case 1: unknown status 'maybe'"));
    CU_ASSERT_EQUAL(back.ncases, 0);
    report_free(&back);
}

static void test_shard_partition(void)
{
    unsigned i, n;
    char err[128];
    CU_ASSERT_EQUAL(run_parse_shard("2/3", &i, &n, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(i, 2);
    CU_ASSERT_EQUAL(n, 3);
    const char *bad[] = { "0/3", "4/3", "1/0", "x/2", "1/2x", "1", "", "-1/2", "1/1025" };
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
        CU_ASSERT_EQUAL(run_parse_shard(bad[k], &i, &n, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "bad shard '1/1025'"));
    /* every rank in exactly one shard, sizes differ by at most one */
    for (unsigned count = 1; count <= 7; count++) {
        size_t sizes[8] = { 0 };
        for (size_t rank = 0; rank < 26; rank++) {
            unsigned hits = 0;
            for (unsigned s = 1; s <= count; s++)
                if (run_in_shard(rank, s, count)) {
                    hits++;
                    sizes[s]++;
                }
            CU_ASSERT_EQUAL(hits, 1);
        }
        for (unsigned s = 1; s <= count; s++)
            CU_ASSERT_TRUE(sizes[s] == 26 / count || sizes[s] == 26 / count + 1);
    }
    CU_ASSERT_TRUE(run_in_shard(5, 0, 0));   /* unsharded */
}

static void shard_file(const char *path, unsigned idx, unsigned cnt, const char *const *names,
                       size_t n, const char *const *all, size_t nall)
{
    struct report r;
    report_init(&r, NULL);
    r.shard_index = idx;
    r.shard_count = cnt;
    r.nall = nall;
    r.all = calloc(nall, sizeof(char *));
    for (size_t k = 0; k < nall; k++)
        r.all[k] = strdup(all[k]);
    for (size_t k = 0; k < n; k++) {
        report_add_phase(&r, "capture", 1.0 + (double)k);
        report_case(&r, names[k], "dumpbench.sim.s390x", k == 0 && idx == 2 ? REPORT_FAIL : REPORT_PASS,
                    k == 0 && idx == 2 ? "golden differs" : NULL, NULL, 1.0);
    }
    char err[256];
    CU_ASSERT_EQUAL(report_write_result_file(&r, path, err, sizeof(err)), 0);
    report_free(&r);
}

static void test_merge_shards(void)
{
    const char *all[] = { "a", "b", "c" };
    const char *s1[] = { "a", "c" }, *s2[] = { "b" };
    char p1[600], p2[600], p3[600], err[512];
    snprintf(p1, sizeof(p1), "%s/s1.json", dir);
    snprintf(p2, sizeof(p2), "%s/s2.json", dir);
    snprintf(p3, sizeof(p3), "%s/s3.json", dir);
    shard_file(p1, 1, 2, s1, 2, all, 3);
    shard_file(p2, 2, 2, s2, 1, all, 3);
    struct report r;
    report_init(&r, NULL);
    const char *both[] = { p1, p2 };
    int rc = report_merge_files(&r, both, 2, err, sizeof(err));
    if (rc)
        fprintf(stderr, "\n%s\n", err);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    CU_ASSERT_EQUAL(r.ncases, 3);
    CU_ASSERT_EQUAL(r.nall, 3);
    CU_ASSERT_EQUAL(r.shard_count, 0);
    CU_ASSERT_STRING_EQUAL(r.cases[2].name, "b");
    CU_ASSERT_EQUAL(r.cases[2].status, REPORT_FAIL);
    CU_ASSERT_EQUAL(report_finish(&r), 1);
    report_free(&r);
    /* a missing shard is named */
    report_init(&r, NULL);
    const char *one[] = { p1 };
    CU_ASSERT_EQUAL(report_merge_files(&r, one, 1, err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "scenario b has no result: shard 2/2 missing from the merge");
    CU_ASSERT_EQUAL(r.ncases, 0);
    /* the same shard twice */
    const char *twice[] = { p1, p2, p1 };
    CU_ASSERT_EQUAL(report_merge_files(&r, twice, 3, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "shard 1/2 given twice"));
    /* a shard of another scenario set */
    const char *all2[] = { "a", "b", "d" };
    shard_file(p3, 2, 2, s2, 1, all2, 3);
    const char *mixed[] = { p1, p3 };
    CU_ASSERT_EQUAL(report_merge_files(&r, mixed, 2, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "does not belong with"));
    CU_ASSERT_EQUAL(r.ncases, 0);
    report_free(&r);
}

static void test_progress_lines(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct report r;
    report_init(&r, NULL);
    report_progress_start(&r, 1, 2, "quiet");     /* off: nothing written */
    r.progress = f;
    report_progress_start(&r, 2, 2, "s390-<x>\n");
    report_progress_phase(&r, "boot");
    report_progress_end(&r, REPORT_FAIL);
    fflush(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "[2/2] s390-<x>  start 0.0 s\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "[2/2] s390-<x>  boot done "));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "[2/2] s390-<x>  FAIL "));
    CU_ASSERT_PTR_NULL(strstr(buf, "quiet"));
    CU_ASSERT_PTR_NULL(strstr(buf, "\r"));
    /* on a tty: one line rewritten in place, ended after the last case */
    r.progress_tty = true;
    size_t before = len;
    report_progress_start(&r, 2, 2, "t");
    report_progress_end(&r, REPORT_PASS);
    fflush(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf + before, "\r\033[K[2/2] t start 0.0 s\r\033[K[2/2] t PASS"));
    CU_ASSERT_EQUAL(buf[len - 1], '\n');
    fclose(f);
    free(buf);
    report_free(&r);
}

/* An x86_64 oracle failure: the page named in the message, bytes from the files. */
static void test_qemu_first_diff(void)
{
    struct df_err err;
    struct df_dump *d = df_dump_new(DF_ARCH_X86_64);
    uint8_t *b = malloc(0x2000);
    for (size_t i = 0; i < 0x2000; i++)
        b[i] = (uint8_t)(i * 13 + 1);
    CU_ASSERT_EQUAL_FATAL(df_dump_add_chunk(d, 0x2000000, b, 0x2000, &err), 0);
    char vm[600], truth[600];
    snprintf(vm, sizeof(vm), "%s/vmcore", dir);
    snprintf(truth, sizeof(truth), "%s/truth.bin", dir);
    CU_ASSERT_EQUAL_FATAL(df_write_elf(d, vm, &err), 0);
    b[0x1123] ^= 0x40;                       /* truth differs in the second page */
    CU_ASSERT_EQUAL(th_write_file(truth, b, 0x2000), 0);
    struct qemu_mem_file mem = { 0x2000000, 0x2000, truth };
    struct qemu_oracle_in in = { .vmcore = vm, .nmem = 1, .mem = &mem };
    struct qemu_oracle_out *o = calloc(1, sizeof(*o));
    o->ndiff = 1;
    o->diff[0].paddr = 0x2001000;
    snprintf(o->diff[0].why, sizeof(o->diff[0].why), "kernel image: do_one_initcall+0x123; UNEXPLAINED");
    snprintf(o->fail, sizeof(o->fail), "page 0x2001000 differs from the truth snapshot at byte 0x123");
    struct cmp_diff x;
    CU_ASSERT_EQUAL_FATAL(report_qemu_first_diff(&in, o, &x), 0);
    CU_ASSERT_TRUE(x.valid);
    CU_ASSERT_EQUAL(x.addr, 0x2001123);
    CU_ASSERT_EQUAL(x.base, 0x2001120);
    CU_ASSERT_EQUAL(x.mark, 3);
    CU_ASSERT_EQUAL(x.len, 16);
    CU_ASSERT_EQUAL(x.exp[3], b[0x1123]);              /* expected: the truth */
    CU_ASSERT_EQUAL(x.act[3], b[0x1123] ^ 0x40);       /* actual: the vmcore */
    CU_ASSERT_EQUAL(x.exp[2], x.act[2]);
    CU_ASSERT_STRING_EQUAL(x.field, "page 0x2001000 +0x123 (vmcore vs truth snapshot): "
                           "kernel image: do_one_initcall+0x123; UNEXPLAINED");
    /* a message without a page, or a page the files agree on: no record */
    snprintf(o->fail, sizeof(o->fail), "2 NT_PRSTATUS notes, 3 CPUs online");
    CU_ASSERT_EQUAL(report_qemu_first_diff(&in, o, &x), -1);
    CU_ASSERT_FALSE(x.valid);
    snprintf(o->fail, sizeof(o->fail), "planted page 0x2000000 differs");
    CU_ASSERT_EQUAL(report_qemu_first_diff(&in, o, &x), -1);
    free(o);
    free(b);
    df_dump_free(d);
}

int register_report_html_tests(void)
{
    CU_pSuite s = CU_add_suite("report-html-shards", setup, teardown);
    if (!s)
        return -1;
    struct { const char *n; CU_TestFunc f; } t[] = {
        { "HTML: failing bytes, field name, escaping, links", test_html_failure_bytes_and_escaping },
        { "HTML escaping", test_html_escape },
        { "HTML: register difference table", test_register_diff_table },
        { "first difference record: page bytes", test_page_diff_record },
        { "first difference record: ELF and s390 header fields", test_file_diff_names_elf_field },
        { "result file round trip and bad files", test_result_round_trip },
        { "--shard I/N partition", test_shard_partition },
        { "merge shards: complete, missing, duplicate, foreign", test_merge_shards },
        { "progress line: off, line per update, tty in place", test_progress_lines },
        { "x86 oracle failure: first differing bytes with attribution", test_qemu_first_diff },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (!CU_add_test(s, t[i].n, t[i].f))
            return -1;
    return 0;
}
