/* Scenario parser: every README directive accepted, every error kind rejected. */
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include <harness/scenario.h>

#include "tests.h"

#define HDR "scenario t\nmachine arch=s390x memory=64M cpus=2\ndump method=zfcpdump\n"

static struct scenario *parse_ok(const char *text)
{
    struct scenario *s = NULL;
    struct scn_error e = { "" };
    int rc = scn_parse_buffer("t.scn", text, strlen(text), &s, &e);
    CU_ASSERT_EQUAL(rc, 0);
    if (rc != 0)
        fprintf(stderr, "unexpected parse error: %s\n", e.msg);
    return s;
}

static void expect_err_len(const char *text, size_t len, const char *msg)
{
    struct scenario *s = (struct scenario *)&s; /* must be reset to NULL */
    struct scn_error e = { "" };
    CU_ASSERT_EQUAL(scn_parse_buffer("t.scn", text, len, &s, &e), -1);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_STRING_EQUAL(e.msg, msg);
    if (strcmp(e.msg, msg) != 0)
        fprintf(stderr, "\n  got:  %s\n  want: %s\n", e.msg, msg);
}

static void expect_err(const char *text, const char *msg)
{
    expect_err_len(text, strlen(text), msg);
}

static void test_fixture_all_directives(void)
{
    char *path = th_fixture("all-directives.scn");
    struct scenario *s = NULL;
    struct scn_error e = { "" };
    CU_ASSERT_EQUAL_FATAL(scn_parse_file(path, &s, &e), 0);
    CU_ASSERT_STRING_EQUAL(s->path, path);
    CU_ASSERT_STRING_EQUAL(s->name, "all-directives.v1");
    CU_ASSERT_STRING_EQUAL(s->description, "every directive, # not a comment inside quotes");
    CU_ASSERT_STRING_EQUAL(s->backend, "sim");
    CU_ASSERT_EQUAL(s->machine.arch, SCN_ARCH_S390X);
    CU_ASSERT_EQUAL(s->machine.memory, 64ull << 20);
    CU_ASSERT_EQUAL(s->machine.cpus, 2);
    CU_ASSERT_EQUAL(s->machine.max_cpus, 4);
    CU_ASSERT_STRING_EQUAL(s->machine.profile, "z15");
    CU_ASSERT_EQUAL(s->machine.seed, 0x1234);
    CU_ASSERT_EQUAL(s->machine.line, 5);
    CU_ASSERT_STRING_EQUAL(s->dump.method, "zfcpdump");
    CU_ASSERT_STRING_EQUAL(s->dump.format, "elf");
    CU_ASSERT_STRING_EQUAL(s->dump.target, "fcp:0.0.1900/0x5005076303000104/0x4010400000000000");
    static const int kinds[] = {
        SCN_STEP_BOOT, SCN_STEP_PLANT, SCN_STEP_SET_REGS, SCN_STEP_HOTPLUG_CPU,
        SCN_STEP_HOTPLUG_MEM, SCN_STEP_REGISTER, SCN_STEP_UNREGISTER, SCN_STEP_INVALIDATE,
        SCN_STEP_FAULT, SCN_STEP_FAULT, SCN_STEP_FAULT, SCN_STEP_FAULT, SCN_STEP_CRASH,
        SCN_STEP_HANG, SCN_STEP_OPERATOR_DUMP, SCN_STEP_CAPTURE, SCN_STEP_RELEASE, SCN_STEP_RUN,
    };
    CU_ASSERT_EQUAL_FATAL(s->nsteps, sizeof(kinds) / sizeof(kinds[0]));
    for (size_t i = 0; i < s->nsteps; i++)
        CU_ASSERT_EQUAL(s->steps[i].kind, kinds[i]);
    const struct scn_item *plant = &s->steps[1];
    CU_ASSERT_EQUAL(plant->line, 9);
    CU_ASSERT_EQUAL(scn_get_num(plant, "addr", 0), 0x100000);
    CU_ASSERT_EQUAL(scn_get_num(plant, "len", 0), 1 << 20);
    CU_ASSERT_EQUAL(scn_get_num(plant, "seed", 0), 7);
    const struct scn_item *regs = &s->steps[2];
    CU_ASSERT_EQUAL(scn_get_num(regs, "gpr14", 0), 0xdeadbeef);
    CU_ASSERT_EQUAL(scn_get_num(regs, "prefix", 0), 0x2000);
    CU_ASSERT_STRING_EQUAL(scn_get_str(&s->steps[4], "reload", ""), "no");
    CU_ASSERT_STRING_EQUAL(s->steps[8].word, "sdias");
    CU_ASSERT_EQUAL(scn_get_num(&s->steps[8], "status", 0), 0xf0);
    CU_ASSERT_STRING_EQUAL(s->steps[9].word, "hsa");
    CU_ASSERT_STRING_EQUAL(scn_get_str(&s->steps[10], "kind", ""), "medium-error");
    CU_ASSERT_STRING_EQUAL(s->steps[11].word, "rtas");
    CU_ASSERT_EQUAL(scn_get_num(&s->steps[11], "rc", 0), -3);
    CU_ASSERT_EQUAL(scn_get_num(&s->steps[17], "ms", 0), 250);
    CU_ASSERT_EQUAL_FATAL(s->nexpects, 7);
    CU_ASSERT_EQUAL(s->expects[0].kind, SCN_EXPECT_PAGES_EQUAL);
    CU_ASSERT_EQUAL(s->expects[1].kind, SCN_EXPECT_REGS_EQUAL);
    CU_ASSERT_STRING_EQUAL(scn_get_str(&s->expects[2], "name", ""), "all-directives.v1");
    CU_ASSERT_EQUAL(scn_get_num(&s->expects[3], "len", 0), 16 << 20);
    CU_ASSERT_STRING_EQUAL(scn_get_str(&s->expects[3], "reason", ""), "dump kernel footprint");
    CU_ASSERT_STRING_EQUAL(s->expects[4].word, "complete");
    CU_ASSERT_STRING_EQUAL(scn_get_str(&s->expects[4], "reason", ""), "verified");
    CU_ASSERT_STRING_EQUAL(scn_get_str(&s->expects[5], "op", ""), "register");
    CU_ASSERT_EQUAL(scn_get_num(&s->expects[5], "value", 0), -3);
    CU_ASSERT_EQUAL(scn_get_num(&s->expects[6], "count", 0), 2);
    scn_free(s);
    free(path);
}

static void test_numbers(void)
{
    struct scenario *s = parse_ok(
        "scenario n\nmachine arch=ppc64 memory=1G cpus=1\ndump method=fadump\n"
        "step set-regs cpu=0 gpr31=0xffffffffffffffff nia=4K lr=0X10 msr=18446744073709551615\n"
        "step plant addr=2M len=12288\n"
        "expect rc op=register value=-9223372036854775808\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->machine.memory, 1ull << 30);
    const struct scn_kv *g = scn_arg(&s->steps[0], "gpr31");
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    CU_ASSERT_TRUE(g->has_num);
    CU_ASSERT_EQUAL((uint64_t)g->num, UINT64_MAX);
    CU_ASSERT_STRING_EQUAL(g->val, "0xffffffffffffffff");
    CU_ASSERT_EQUAL(g->line, 4);
    CU_ASSERT_EQUAL(scn_get_num(&s->steps[0], "nia", 0), 4096);
    CU_ASSERT_EQUAL(scn_get_num(&s->steps[0], "lr", 0), 16);
    CU_ASSERT_EQUAL((uint64_t)scn_get_num(&s->steps[0], "msr", 0), UINT64_MAX);
    CU_ASSERT_EQUAL(scn_get_num(&s->steps[1], "addr", 0), 2 << 20);
    CU_ASSERT_EQUAL(scn_get_num(&s->expects[0], "value", 0), INT64_MIN);
    scn_free(s);
}

static void test_defaults_and_accessors(void)
{
    struct scenario *s = parse_ok(HDR "step hotplug-cpu\nexpect golden\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(s->backend, "sim");
    CU_ASSERT_STRING_EQUAL(s->dump.format, "elf");
    CU_ASSERT_PTR_NULL(s->dump.target);
    CU_ASSERT_PTR_NULL(s->description);
    CU_ASSERT_PTR_NULL(s->machine.profile);
    CU_ASSERT_EQUAL(s->machine.max_cpus, 2);
    CU_ASSERT_EQUAL(s->machine.seed, 0);
    CU_ASSERT_EQUAL(s->steps[0].nargs, 0);
    CU_ASSERT_PTR_NULL(s->steps[0].word);
    CU_ASSERT_EQUAL(scn_get_num(&s->steps[0], "count", 1), 1);
    CU_ASSERT_PTR_NULL(scn_arg(&s->steps[0], "count"));
    CU_ASSERT_STRING_EQUAL(scn_get_str(&s->expects[0], "name", "t"), "t");
    CU_ASSERT_PTR_NULL(scn_get_str(&s->expects[0], "name", NULL));
    scn_free(s);
}

static void test_quotes_comments_crlf(void)
{
    const char *text = "scenario q\r\n  # indented comment\r\n\r\n"
                       "description \"say \\\"hi\\\" \\\\ # here\"   # comment\r\n"
                       "machine arch=x86_64 memory=16M cpus=1 # c\r\n"
                       "dump method=kdump format=kdump-compressed\r\n"
                       "backend qemu\r\n"
                       "expect exempt addr=0 len=4K reason=\"\"\r\n"
                       "expect outcome no-dump reason=\"not registered\"#c\r\n";
    struct scenario *s = parse_ok(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(s->description, "say \"hi\" \\ # here");
    CU_ASSERT_EQUAL(s->machine.arch, SCN_ARCH_X86_64);
    CU_ASSERT_STRING_EQUAL(s->dump.format, "kdump-compressed");
    CU_ASSERT_STRING_EQUAL(s->backend, "qemu");
    CU_ASSERT_STRING_EQUAL(scn_get_str(&s->expects[0], "reason", "x"), "");
    CU_ASSERT_STRING_EQUAL(s->expects[1].word, "no-dump");
    CU_ASSERT_EQUAL(s->expects[1].line, 9);
    CU_ASSERT_STRING_EQUAL(scn_get_str(&s->expects[1], "reason", ""), "not registered");
    scn_free(s);
}

static void test_names(void)
{
    CU_ASSERT_STRING_EQUAL(scn_step_name(SCN_STEP_OPERATOR_DUMP), "operator-dump");
    CU_ASSERT_STRING_EQUAL(scn_step_name(SCN_STEP_HOTPLUG_MEM), "hotplug-mem");
    CU_ASSERT_STRING_EQUAL(scn_step_name(999), "?");
    CU_ASSERT_STRING_EQUAL(scn_expect_name(SCN_EXPECT_PAGES_EQUAL), "pages-equal");
    CU_ASSERT_STRING_EQUAL(scn_expect_name(SCN_EXPECT_CPUS), "cpus");
    CU_ASSERT_STRING_EQUAL(scn_arch_name(SCN_ARCH_PPC64), "ppc64");
    CU_ASSERT_STRING_EQUAL(scn_arch_name(SCN_ARCH_S390X), "s390x");
}

/* ---- errors ---------------------------------------------------------------- */

static void test_err_unknown_directive(void)
{
    expect_err("scenario t\nmachin arch=s390x\n", "t.scn:2: unknown directive 'machin'");
}

static void test_err_unknown_key(void)
{
    expect_err(HDR "step plant addr=0 len=4K colour=red\n",
               "t.scn:4: step plant: unknown key 'colour'");
    expect_err("scenario t\nmachine arch=s390x memory=64M cpus=2 disks=3\n",
               "t.scn:2: machine: unknown key 'disks'");
}

static void test_err_duplicate_key(void)
{
    expect_err(HDR "step plant addr=0 len=4K addr=8K\n",
               "t.scn:4: step plant: duplicate key 'addr'");
}

static void test_err_missing_required(void)
{
    expect_err(HDR "step plant addr=0\n", "t.scn:4: step plant: missing required key 'len'");
    expect_err(HDR "expect exempt addr=0 len=4K\n",
               "t.scn:4: expect exempt: missing required key 'reason'");
    expect_err(HDR "step fault fcp at-block=3\n",
               "t.scn:4: step fault fcp: missing required key 'kind'");
    expect_err("scenario t\nmachine memory=64M cpus=2\n",
               "t.scn:2: machine: missing required key 'arch'");
}

static void test_err_bad_number(void)
{
    expect_err(HDR "step plant addr=zero len=4K\n",
               "t.scn:4: step plant: key 'addr': bad number 'zero'");
    expect_err(HDR "step run ms=12ms\n", "t.scn:4: step run: key 'ms': bad number '12ms'");
    expect_err(HDR "step plant addr=0x len=4K\n",
               "t.scn:4: step plant: key 'addr': bad number '0x'");
    expect_err(HDR "step plant addr=0x1ffffffffffffffff len=4K\n",
               "t.scn:4: step plant: key 'addr': number '0x1ffffffffffffffff' out of range");
}

static void test_err_bad_suffix(void)
{
    expect_err("scenario t\nmachine arch=s390x memory=64T cpus=2\n",
               "t.scn:2: machine: key 'memory': bad size suffix 'T' in '64T' (use K, M or G)");
    expect_err(HDR "step plant addr=0 len=4k\n",
               "t.scn:4: step plant: key 'len': bad size suffix 'k' in '4k' (use K, M or G)");
}

static void test_err_range_and_enum(void)
{
    expect_err("scenario t\nmachine arch=s390x memory=64M cpus=65\n",
               "t.scn:2: machine: key 'cpus': value 65 out of range 1..64");
    expect_err("scenario t\nmachine arch=arm memory=64M cpus=1\n",
               "t.scn:2: machine: key 'arch': 'arm' is not one of s390x|ppc64|x86_64");
    expect_err("scenario t\nmachine arch=s390x memory=64M cpus=4 max-cpus=2\n",
               "t.scn:2: machine: max-cpus=2 is less than cpus=4");
    expect_err(HDR "step hotplug-mem size=1M reload=maybe\n",
               "t.scn:4: step hotplug-mem: key 'reload': 'maybe' is not one of yes|no");
    expect_err(HDR "step plant addr=-1 len=4K\n",
               "t.scn:4: step plant: key 'addr': number '-1' out of range");
    expect_err("scenario t\nbackend vmware\n",
               "t.scn:2: backend: 'vmware' is not one of sim|qemu|libvirt");
}

/* dump transport=virtio|fcp, fcp-luns, lun (QEMU s390x backend) */
static void test_dump_transport(void)
{
    struct scenario *s = parse_ok(HDR);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(s->dump.transport, "virtio");
    CU_ASSERT_EQUAL(s->dump.fcp_luns, 1);
    CU_ASSERT_EQUAL(s->dump.lun, 0);
    scn_free(s);
    s = parse_ok("scenario t\nmachine arch=s390x memory=64M cpus=2\n"
                 "dump method=zfcpdump transport=fcp fcp-luns=2 lun=1\n"
                 "step fault fcp kind=link-down lun=1 at-block=100 count=2 when=copy\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(s->dump.transport, "fcp");
    CU_ASSERT_EQUAL(s->dump.fcp_luns, 2);
    CU_ASSERT_EQUAL(s->dump.lun, 1);
    CU_ASSERT_EQUAL(s->dump.line, 3);
    CU_ASSERT_EQUAL(scn_get_num(&s->steps[0], "lun", -1), 1);
    CU_ASSERT_EQUAL(scn_get_num(&s->steps[0], "at-block", -1), 100);
    CU_ASSERT_STRING_EQUAL(scn_get_str(&s->steps[0], "when", ""), "copy");
    scn_free(s);
    s = parse_ok("scenario t\nmachine arch=s390x memory=64M cpus=2\n"
                 "dump method=zfcpdump transport=fcp\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(s->dump.fcp_luns, 1);
    CU_ASSERT_EQUAL(s->dump.lun, 0);
    scn_free(s);
    expect_err("scenario t\nmachine arch=s390x memory=64M cpus=2\ndump method=zfcpdump transport=scsi\n",
               "t.scn:3: dump: key 'transport': 'scsi' is not one of virtio|fcp");
    expect_err("scenario t\nmachine arch=s390x memory=64M cpus=2\ndump method=zfcpdump transport=fcp fcp-luns=3\n",
               "t.scn:3: dump: key 'fcp-luns': value 3 out of range 1..2");
    expect_err("scenario t\nmachine arch=s390x memory=64M cpus=2\ndump method=zfcpdump transport=fcp lun=2\n",
               "t.scn:3: dump: key 'lun': value 2 out of range 0..1");
    expect_err("scenario t\nmachine arch=s390x memory=64M cpus=2\ndump method=zfcpdump transport=fcp lun=x\n",
               "t.scn:3: dump: key 'lun': bad number 'x'");
    expect_err("scenario t\nmachine arch=s390x memory=64M cpus=2\ndump method=zfcpdump transport=fcp lun=1\n",
               "t.scn:3: dump: key 'lun': LUN index 1 but fcp-luns=1");
    expect_err("scenario t\nmachine arch=s390x memory=64M cpus=2\ndump method=zfcpdump lun=0\n",
               "t.scn:3: dump: key 'lun' needs transport=fcp");
    expect_err("scenario t\nmachine arch=s390x memory=64M cpus=2\ndump method=zfcpdump transport=virtio fcp-luns=2\n",
               "t.scn:3: dump: key 'fcp-luns' needs transport=fcp");
    expect_err("scenario t\nmachine arch=s390x memory=64M cpus=2\ndump method=zfcpdump transport=fcp\n"
               "step boot\nstep fault fcp kind=timeout lun=1\n",
               "t.scn:5: step fault fcp: key 'lun': LUN index 1 but the dump directive (line 3) has fcp-luns=1");
    expect_err(HDR "step fault fcp kind=timeout lun=2\n",
               "t.scn:4: step fault fcp: key 'lun': value 2 out of range 0..1");
    expect_err(HDR "step fault fcp kind=timeout when=later\n",
               "t.scn:4: step fault fcp: key 'when': 'later' is not one of now|copy");
    expect_err(HDR "step fault fcp kind=flood\n",
               "t.scn:4: step fault fcp: key 'kind': 'flood' is not one of "
               "link-down|medium-error|timeout|lun-removed|port-reject");
}

static void test_err_unterminated_quote(void)
{
    expect_err("scenario t\ndescription \"abc\n", "t.scn:2: unterminated quote");
    expect_err(HDR "expect exempt addr=0 len=4K reason=\"x\\\"\n", "t.scn:4: unterminated quote");
}

static void test_err_scenario_first_and_name(void)
{
    expect_err("# c\nmachine arch=s390x memory=64M cpus=2\nscenario t\n",
               "t.scn:2: 'scenario NAME' must be the first directive (got 'machine')");
    expect_err("scenario Bad_Name\n",
               "t.scn:1: scenario: bad name 'Bad_Name' (allowed: [a-z0-9._-]+)");
    expect_err("scenario\n", "t.scn:1: scenario: missing NAME");
}

static void test_err_missing_machine_dump(void)
{
    expect_err("scenario t\ndump method=kdump\n", "t.scn:2: missing 'machine' directive");
    expect_err("scenario t\nmachine arch=s390x memory=64M cpus=2\n# end\n",
               "t.scn:3: missing 'dump' directive");
}

static void test_err_duplicate_once(void)
{
    expect_err(HDR "machine arch=s390x memory=64M cpus=2\n",
               "t.scn:4: duplicate 'machine' directive (first at line 2)");
    expect_err("scenario t\nscenario u\n", "t.scn:2: duplicate 'scenario' directive (first at line 1)");
    expect_err(HDR "dump method=kdump\n", "t.scn:4: duplicate 'dump' directive (first at line 3)");
}

static void test_err_line_too_long(void)
{
    size_t n = 5000;
    char *buf = malloc(n + 32);
    strcpy(buf, "scenario t\n#");
    memset(buf + 12, 'x', n - 1);
    buf[11 + n] = '\n';
    buf[12 + n] = '\0';
    expect_err(buf, "t.scn:2: line too long (5000 bytes, max 4096)");
    free(buf);
}

static void test_err_nul_and_control(void)
{
    static const char t[] = "scenario t\nmach\0ine arch=s390x\n";
    expect_err_len(t, sizeof(t) - 1, "t.scn:2: NUL byte in file");
    expect_err("scenario t\x01\n", "t.scn:1: control character 0x01 in line");
}

static void test_err_empty(void)
{
    expect_err("", "t.scn:1: empty file (no directives)");
    expect_err("# only a comment\n\n", "t.scn:2: empty file (no directives)");
}

static void test_err_step_expect_words(void)
{
    expect_err(HDR "step explode\n", "t.scn:4: unknown step 'explode'");
    expect_err(HDR "step\n", "t.scn:4: step: missing step kind");
    expect_err(HDR "expect magic\n", "t.scn:4: unknown expect 'magic'");
    expect_err(HDR "step fault floppy\n",
               "t.scn:4: step fault: unknown fault target 'floppy' (one of "
               "sdias|hsa|fcp|rtas|vmcore|disk|capture|machine)");
    expect_err(HDR "step fault\n", "t.scn:4: step fault: missing word (one of "
               "sdias|hsa|fcp|rtas|vmcore|disk|capture|machine)");
    expect_err(HDR "step fault disk\n", "t.scn:4: step fault disk: missing required key 'full-at'");
    expect_err(HDR "step fault capture hang=no\n",
               "t.scn:4: step fault capture: key 'hang': 'no' is not one of yes");
    expect_err(HDR "step fault machine kill-at=-1\n",
               "t.scn:4: step fault machine: key 'kill-at': value -1 out of range "
               "0..9223372036854775807");
    expect_err(HDR "step capture timeout=0\n", "t.scn:4: step capture: key 'timeout': value 0 out of range 1..86400");
    expect_err(HDR "expect outcome\n",
               "t.scn:4: expect outcome: missing word (one of complete|incomplete|failed|no-dump)");
    expect_err(HDR "expect outcome crashed\n",
               "t.scn:4: expect outcome: 'crashed' is not one of complete|incomplete|failed|no-dump");
    expect_err(HDR "step boot now\n", "t.scn:4: step boot: unexpected word 'now'");
    expect_err(HDR "step fault rtas op=register rc=-3 kind=timeout\n",
               "t.scn:4: step fault rtas: unknown key 'kind'");
}

static void test_err_registers_per_arch(void)
{
    expect_err(HDR "step set-regs cpu=0 gpr20=1\n",
               "t.scn:4: step set-regs: register 'gpr20' does not exist on s390x");
    expect_err(HDR "step set-regs cpu=0 nia=1\n",
               "t.scn:4: step set-regs: register 'nia' does not exist on s390x");
    expect_err(HDR "step set-regs cpu=0 gpr32=1\n", "t.scn:4: step set-regs: unknown key 'gpr32'");
    expect_err(HDR "step set-regs cpu=0 gpr01=1\n", "t.scn:4: step set-regs: unknown key 'gpr01'");
    expect_err(HDR "step set-regs cpu=2 gpr1=1\n",
               "t.scn:4: step set-regs: cpu=2 but the machine has 2 CPU slots");
    expect_err(HDR "step set-regs cpu=0 gpr1=x\n",
               "t.scn:4: step set-regs: key 'gpr1': bad number 'x'");
}

static void test_err_syntax(void)
{
    expect_err(HDR "step plant =3\n", "t.scn:4: missing key before '='");
    expect_err(HDR "step plant addr=1=2\n", "t.scn:4: unexpected '=' in value of 'addr'");
    expect_err(HDR "expect exempt reason=\"a\"b\n",
               "t.scn:4: unexpected character 'b' after closing quote");
    expect_err("\"scenario\" t\n", "t.scn:1: expected a directive, got 'scenario'");
}

static void test_err_file_open(void)
{
    struct scenario *s = NULL;
    struct scn_error e;
    CU_ASSERT_EQUAL(scn_parse_file("/nonexistent/x.scn", &s, &e), -1);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_STRING_EQUAL(e.msg, "/nonexistent/x.scn: cannot open: No such file or directory");
}

int register_scenario_tests(void)
{
    CU_pSuite s = CU_add_suite("scenario", NULL, NULL);
    if (!s)
        return -1;
    struct { const char *n; CU_TestFunc f; } t[] = {
        { "fixture with every directive", test_fixture_all_directives },
        { "numbers: hex, negative, K/M/G, u64", test_numbers },
        { "defaults and accessors", test_defaults_and_accessors },
        { "quotes, escapes, comments, CRLF", test_quotes_comments_crlf },
        { "kind and arch names", test_names },
        { "error: unknown directive", test_err_unknown_directive },
        { "error: unknown key", test_err_unknown_key },
        { "error: duplicate key", test_err_duplicate_key },
        { "error: missing required key", test_err_missing_required },
        { "error: bad number", test_err_bad_number },
        { "error: bad size suffix", test_err_bad_suffix },
        { "error: range and choices", test_err_range_and_enum },
        { "dump transport/fcp-luns/lun", test_dump_transport },
        { "error: unterminated quote", test_err_unterminated_quote },
        { "error: scenario first / bad name", test_err_scenario_first_and_name },
        { "error: missing machine/dump", test_err_missing_machine_dump },
        { "error: duplicate once-only directive", test_err_duplicate_once },
        { "error: line too long", test_err_line_too_long },
        { "error: NUL byte / control char", test_err_nul_and_control },
        { "error: empty file", test_err_empty },
        { "error: step/expect words", test_err_step_expect_words },
        { "error: registers per arch", test_err_registers_per_arch },
        { "error: token syntax", test_err_syntax },
        { "error: file open", test_err_file_open },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (!CU_add_test(s, t[i].n, t[i].f))
            return -1;
    return 0;
}
