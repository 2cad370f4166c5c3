/* TAP 13 and JUnit XML output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include <harness/report.h>

#include "tests.h"

static void test_tap_lines_and_exit(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct report r;
    report_init(&r, f);
    report_diag(&r, "scenario a\n  detail");
    CU_ASSERT_EQUAL(report_case(&r, "a", "dumpbench.sim", REPORT_PASS, NULL, NULL, 0.5), 1);
    CU_ASSERT_EQUAL(report_case(&r, "b#1", "dumpbench.sim", REPORT_FAIL,
                                "pages-equal (line 9): page 0x1000 byte 0x2:\nexpected 0x01 got 0x02",
                                "diag", 1.0), 2);
    CU_ASSERT_EQUAL(report_case(&r, "c", NULL, REPORT_SKIP, "backend sim not built", NULL, 0), 3);
    report_add_phase(&r, "boot", 0.25);
    report_add_phase(&r, "boot", 0.5);
    report_add_phase(&r, "capture", 1.0);
    struct cmp_result c;
    cmp_result_init(&c);
    c.pages_compared = 100;
    c.pages_differ = 1;
    c.regs_compared = 71;
    cmp_add_exempt(&c, 0x1000000, 0x2000000, "dump kernel footprint");
    c.exempt[0].pages = 8192;
    c.exempt[0].pages_differ = 12;
    report_add_cmp(&r, "b#1", &c);
    CU_ASSERT_EQUAL(report_finish(&r), 1);
    fclose(f);
    const char *want =
        "TAP version 13\n"
        "# scenario a\n"
        "#   detail\n"
        "ok 1 - a\n"
        "not ok 2 - b\\#1 # pages-equal (line 9): page 0x1000 byte 0x2: expected 0x01 got 0x02\n"
        "ok 3 - c # SKIP backend sim not built\n"
        "1..3\n"
        "# summary: 3 scenarios, 1 passed, 1 failed, 1 skipped, 0 errors\n"
        "# pages compared: 100, differing: 1, missing: 0, extra: 0\n"
        "# registers compared: 71\n"
        "# exemption [b#1] 0x1000000+0x2000000 (dump kernel footprint): 8192 pages, 12 differ\n"
        "# phase boot: 0.750 s\n"
        "# phase capture: 1.000 s\n";
    CU_ASSERT_STRING_EQUAL(buf, want);
    if (strcmp(buf, want) != 0)
        fprintf(stderr, "\n%s", buf);
    report_free(&r);
    free(buf);
}

static int exit_for(enum report_status a, enum report_status b, int n)
{
    struct report r;
    report_init(&r, NULL);
    if (n > 0)
        report_case(&r, "x", NULL, a, NULL, NULL, 0);
    if (n > 1)
        report_case(&r, "y", NULL, b, NULL, NULL, 0);
    int rc = report_finish(&r);
    report_free(&r);
    return rc;
}

static void test_exit_codes(void)
{
    CU_ASSERT_EQUAL(exit_for(REPORT_PASS, REPORT_PASS, 2), 0);
    CU_ASSERT_EQUAL(exit_for(REPORT_PASS, REPORT_SKIP, 2), 0);
    CU_ASSERT_EQUAL(exit_for(REPORT_SKIP, REPORT_SKIP, 2), 77);
    CU_ASSERT_EQUAL(exit_for(REPORT_PASS, REPORT_FAIL, 2), 1);
    CU_ASSERT_EQUAL(exit_for(REPORT_FAIL, REPORT_ERROR, 2), 99);
    CU_ASSERT_EQUAL(exit_for(REPORT_PASS, REPORT_PASS, 0), 77);
}

static void test_error_line(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct report r;
    report_init(&r, f);
    report_case(&r, "e", NULL, REPORT_ERROR, "backend sim: out of memory", NULL, 0);
    fclose(f);
    CU_ASSERT_STRING_EQUAL(buf, "TAP version 13\nnot ok 1 - e # harness error: backend sim: "
                           "out of memory\n");
    report_free(&r);
    free(buf);
}

static void test_xml_escape(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    report_xml_escape(f, "a<b>&\"c'\x01\x1f\tz\n");
    fclose(f);
    CU_ASSERT_STRING_EQUAL(buf, "a&lt;b&gt;&amp;&quot;c&apos;??\tz\n");
    free(buf);
}

static void test_junit_document(void)
{
    struct report r;
    report_init(&r, NULL);
    report_case(&r, "ok-one", "dumpbench.sim.s390x", REPORT_PASS, NULL, NULL, 0.25);
    report_case(&r, "bad<&>", "dumpbench.sim.ppc64", REPORT_FAIL, "golden: \"x\" < y",
                "line 1\nline <2>", 1.5);
    report_case(&r, "skipped", "dumpbench.qemu.s390x", REPORT_SKIP, "backend qemu not built",
                NULL, 0);
    report_case(&r, "err", "dumpbench.sim.s390x", REPORT_ERROR, "boom", NULL, 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CU_ASSERT_EQUAL(report_write_junit(&r, f), 0);
    fclose(f);
    const char *want =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\" time=\"1.750\">\n"
        "  <testsuite name=\"dumpbench\" tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\" "
        "time=\"1.750\">\n"
        "    <testcase classname=\"dumpbench.sim.s390x\" name=\"ok-one\" time=\"0.250\"/>\n"
        "    <testcase classname=\"dumpbench.sim.ppc64\" name=\"bad&lt;&amp;&gt;\" time=\"1.500\">\n"
        "      <failure message=\"golden: &quot;x&quot; &lt; y\">line 1\nline &lt;2&gt;</failure>\n"
        "      <system-out>line 1\nline &lt;2&gt;</system-out>\n"
        "    </testcase>\n"
        "    <testcase classname=\"dumpbench.qemu.s390x\" name=\"skipped\" time=\"0.000\">\n"
        "      <skipped message=\"backend qemu not built\"/>\n"
        "    </testcase>\n"
        "    <testcase classname=\"dumpbench.sim.s390x\" name=\"err\" time=\"0.000\">\n"
        "      <error message=\"boom\"/>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n";
    CU_ASSERT_STRING_EQUAL(buf, want);
    if (strcmp(buf, want) != 0)
        fprintf(stderr, "\n%s", buf);
    free(buf);
    char err[256];
    CU_ASSERT_EQUAL(report_write_junit_file(&r, "/nonexistent/dir/j.xml", err, sizeof(err)), -1);
    CU_ASSERT_STRING_EQUAL(err, "/nonexistent/dir/j.xml: No such file or directory");
    report_free(&r);
}

int register_report_html_tests(void);   /* test_report_html.c */
int register_libvirt_tests(void);       /* test_libvirt.c */

int register_report_tests(void)
{
    CU_pSuite s = CU_add_suite("report", NULL, NULL);
    if (!s)
        return -1;
    struct { const char *n; CU_TestFunc f; } t[] = {
        { "TAP lines, summary, exit code", test_tap_lines_and_exit },
        { "exit codes 0/1/77/99", test_exit_codes },
        { "TAP harness error line", test_error_line },
        { "XML escaping", test_xml_escape },
        { "JUnit document", test_junit_document },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (!CU_add_test(s, t[i].n, t[i].f))
            return -1;
    if (register_report_html_tests())
        return -1;
    return register_libvirt_tests();
}
