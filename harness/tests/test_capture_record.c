/*
 * dbcapture (sim/guest/capture) end to end on the host, and the harness's
 * reader of its result record (harness/src/capture_record.c).
 *
 * The suite builds the native x86_64 dbcapture with build.sh once, then runs
 * it on synthetic inputs made with libdumpfmt: an s390x ELF vmcore (copied
 * verbatim and converted to the s390 stand-alone format, compared byte for
 * byte with dumpfmt's own s390 writer), a DEST one byte too small, a SRC cut
 * short of what its ELF headers promise, a SRC that fails with EIO
 * (/proc/self/mem at offset 0), a full dump disk (a 256 KiB tmpfs in a
 * private mount namespace; /dev/full for the record write) and corrupt
 * records.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <xxhash.h>

#include <dumpbench/be.h>
#include <dumpfmt/dump.h>
#include <harness/capture_record.h>

#include "../../sim/guest/capture/record.h"
#include "tests.h"

static char *dir;
static char *tool;      /* built dbcapture */
static char *src_elf;   /* s390x ELF vmcore */
static size_t src_len;

static char *path_in(const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

static void fill(uint8_t *b, size_t n, uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        b[i] = (uint8_t)x;
    }
}

/* Zero-filled (sparse) file of len bytes. */
static char *make_dest(const char *name, uint64_t len)
{
    char *p = path_in(name);
    int fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0600);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_EQUAL(ftruncate(fd, (off_t)len), 0);
    close(fd);
    return p;
}

/*
 * Run a shell command line, stdout+stderr into *out (malloc'd).  Returns the
 * exit status, or -1 when it did not exit normally.
 */
static int run_sh(const char *cmd, char **out)
{
    char *log = path_in("run.log");
    char *full = malloc(strlen(cmd) + strlen(log) + 16);
    sprintf(full, "%s >%s 2>&1", cmd, log);
    int st = system(full);
    free(full);
    *out = (char *)th_read_file(log, NULL);
    if (!*out) {
        *out = strdup("");
    }
    free(log);
    return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int run_tool(const char *args, char **out)
{
    char *cmd = malloc(strlen(tool) + strlen(args) + 2);
    sprintf(cmd, "%s %s", tool, args);
    int rc = run_sh(cmd, out);
    free(cmd);
    return rc;
}

/* The last line of the output (static buffer). */
static const char *last_line(const char *out)
{
    static char line[2048];
    size_t n = strlen(out);
    while (n && out[n - 1] == '\n') {
        n--;
    }
    size_t s = n;
    while (s && out[s - 1] != '\n') {
        s--;
    }
    snprintf(line, sizeof(line), "%.*s", (int)(n - s), out + s);
    return line;
}

static int count_result_lines(const char *out)
{
    int n = 0;
    for (const char *p = out; (p = strstr(p, "DBCAPTURE: RESULT")); p++) {
        n++;
    }
    return n;
}

/* Runs in the suite setup: no CU_ASSERT here, failures go to setup_err. */
static struct df_dump *make_s390_dump(struct df_err *err)
{
    struct df_dump *d = df_dump_new(DF_ARCH_S390X);
    uint8_t *b = malloc(192 * 1024);
    if (!d || !b) {
        snprintf(err->msg, sizeof(err->msg), "out of memory");
        df_dump_free(d);
        free(b);
        return NULL;
    }
    fill(b, 192 * 1024, 7);
    /* two chunks with a hole at [64K, 128K); prefix pages inside the first */
    int rc = df_dump_add_chunk(d, 0, b, 64 * 1024, err);
    if (!rc) {
        rc = df_dump_add_chunk(d, 128 * 1024, b + 128 * 1024, 64 * 1024, err);
    }
    free(b);
    const uint32_t prefixes[3] = { 0x2000, 0x4000, 0x200000 /* beyond memory */ };
    for (int i = 0; i < 3; i++) {
        struct df_cpu c;
        memset(&c, 0, sizeof(c));
        c.present = 1;
        struct db_s390_cpu *r = &c.regs.s390;
        uint8_t rnd[512];
        fill(rnd, sizeof(rnd), 100 + (uint32_t)i);
        for (int k = 0; k < 16; k++) {
            r->gprs[k] = db_ld_be64(rnd + 8 * k);
            r->fprs[k] = db_ld_be64(rnd + 128 + 8 * k);
            r->crs[k] = db_ld_be64(rnd + 256 + 8 * k);
            r->acrs[k] = db_ld_be32(rnd + 384 + 4 * k);
        }
        r->psw_mask = 0x0705000180000000ull;
        r->psw_addr = 0x100000 + (uint64_t)i;
        r->prefix = prefixes[i];
        r->fpc = 0x11 + (uint32_t)i;
        r->todpreg = 0x22 + (uint32_t)i;
        r->cputm = 0x3333 + (uint64_t)i;
        r->ckc = 0x4444 + (uint64_t)i;
        r->online = r->stopped = true;
        if (!rc && df_dump_add_cpu(d, &c, err) < 0) {
            rc = -1;
        }
    }
    if (rc) {
        df_dump_free(d);
        return NULL;
    }
    return d;
}

/*
 * Suite setup: build dbcapture and the source vmcore.  It never fails the
 * suite (CUnit would not count that as a failed test); every test checks
 * setup_err first and fails with it.
 */
static char setup_err[8192];

#define NEED_SETUP()                                                         \
    do {                                                                     \
        if (setup_err[0]) {                                                  \
            fprintf(stderr, "\n  capture_record setup: %s\n", setup_err);  \
            CU_FAIL_FATAL("suite setup failed (see message)");              \
        }                                                                    \
    } while (0)

static int setup(void)
{
    setup_err[0] = '\0';
    dir = th_mkdtemp();
    if (!dir) {
        snprintf(setup_err, sizeof(setup_err), "mkdtemp: %s", strerror(errno));
        return 0;
    }
    /* __FILE__ is harness/tests/test_capture_record.c relative to the repo root */
    char build[4096], *out = NULL;
    tool = path_in("dbcapture");
    snprintf(build, sizeof(build), "%.*s/../../sim/guest/capture/build.sh x86_64 %s",
             (int)(strrchr(__FILE__, '/') - __FILE__), __FILE__, tool);
    int rc = run_sh(build, &out);
    if (rc != 0) {
        snprintf(setup_err, sizeof(setup_err), "building dbcapture (%s) failed "
                 "(rc %d): %.3000s", build, rc, out);
        free(out);
        return 0;
    }
    free(out);
    struct df_err err;
    struct df_dump *d = make_s390_dump(&err);
    src_elf = path_in("vmcore.s390x");
    rc = d ? df_write_elf(d, src_elf, &err) : -1;
    df_dump_free(d);
    struct stat st;
    if (rc || stat(src_elf, &st) < 0) {
        snprintf(setup_err, sizeof(setup_err), "writing the source vmcore: %s", err.msg);
        return 0;
    }
    src_len = (size_t)st.st_size;
    return 0;
}

static int teardown(void)
{
    if (dir) {
        th_rmtree(dir);
    }
    free(dir);
    free(tool);
    free(src_elf);
    return 0;
}

static uint64_t file_hash(const char *path, size_t len)
{
    size_t n = 0;
    uint8_t *b = th_read_file(path, &n);
    CU_ASSERT_FATAL(b != NULL);
    CU_ASSERT_FATAL(n >= len);
    uint64_t h = XXH64(b, len, 0);
    free(b);
    return h;
}

static void test_elf_copy_complete(void)
{
    NEED_SETUP();
    uint64_t dsize = src_len + 4096 + 8192;
    char *dest = make_dest("disk-elf", dsize);
    char *rel = path_in("release_mem");
    CU_ASSERT_EQUAL(th_write_file(rel, "", 0), 0);
    char args[4096], *out;
    snprintf(args, sizeof(args), "--progress-mb 1 --release %s=0 %s %s", rel, src_elf, dest);
    CU_ASSERT_EQUAL(run_tool(args, &out), DBC_EXIT_COMPLETE);
    char want[256];
    snprintf(want, sizeof(want), "DBCAPTURE: RESULT complete bytes=%zu hash=%016" PRIx64,
             src_len, (uint64_t)file_hash(src_elf, src_len));
    CU_ASSERT_STRING_EQUAL(last_line(out), want);
    CU_ASSERT_EQUAL(count_result_lines(out), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "DBCAPTURE: progress 1/1 MiB\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "DBCAPTURE: released "));
    free(out);
    /* data verbatim, gap untouched, release value written */
    size_t n;
    uint8_t *img = th_read_file(dest, &n), *src = th_read_file(src_elf, NULL);
    CU_ASSERT_EQUAL_FATAL(n, dsize);
    CU_ASSERT_EQUAL(memcmp(img, src, src_len), 0);
    uint8_t zero[8192] = { 0 };
    CU_ASSERT_EQUAL(memcmp(img + src_len, zero, 8192), 0);
    uint8_t *rv = th_read_file(rel, NULL);
    CU_ASSERT_STRING_EQUAL((char *)rv, "0");
    free(rv);
    free(img);
    free(src);
    struct capture_record r;
    char err[1024] = "";
    CU_ASSERT_EQUAL(capture_record_read(dest, &r, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(err, "");
    CU_ASSERT_EQUAL(r.status, CAPTURE_COMPLETE);
    CU_ASSERT_EQUAL(r.format, DBC_FORMAT_ELF);
    CU_ASSERT_EQUAL(r.data_size, src_len);
    CU_ASSERT_EQUAL(r.src_expected, src_len);
    CU_ASSERT_EQUAL(r.src_copied, src_len);
    CU_ASSERT_EQUAL(r.dest_size, dsize);
    CU_ASSERT_EQUAL(r.flags, DBC_FLAG_VERIFIED | DBC_FLAG_RELEASE_REQ | DBC_FLAG_RELEASED);
    CU_ASSERT_EQUAL(r.err_offset, DBC_NO_OFFSET);
    CU_ASSERT_STRING_EQUAL(r.reason, "");
    CU_ASSERT_EQUAL(capture_record_check_data(dest, &r, err, sizeof(err)), 0);
    free(rel);
    free(dest);
}

/* A non-ELF SRC of odd length: copied by its stat size; XXH64 tail paths. */
static void test_raw_copy_hash(void)
{
    NEED_SETUP();
    const size_t len = 3 * (1u << 20) + 12345; /* > 2 copy blocks, odd tail */
    uint8_t *b = malloc(len);
    fill(b, len, 99);
    char *src = path_in("raw.bin");
    CU_ASSERT_EQUAL_FATAL(th_write_file(src, b, len), 0);
    char *dest = make_dest("disk-raw", len + 4096);
    char args[4096], *out;
    snprintf(args, sizeof(args), "--progress-mb 1 %s %s", src, dest);
    CU_ASSERT_EQUAL(run_tool(args, &out), DBC_EXIT_COMPLETE);
    char want[256];
    snprintf(want, sizeof(want), "DBCAPTURE: RESULT complete bytes=%zu hash=%016" PRIx64,
             len, (uint64_t)XXH64(b, len, 0));
    CU_ASSERT_STRING_EQUAL(last_line(out), want);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "DBCAPTURE: progress 1/4 MiB\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "DBCAPTURE: progress 3/4 MiB\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "DBCAPTURE: progress 4/4 MiB\n"));
    free(out);
    struct capture_record r;
    char err[1024] = "";
    CU_ASSERT_EQUAL(capture_record_read(dest, &r, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(r.data_hash, XXH64(b, len, 0));
    CU_ASSERT_EQUAL(capture_record_check_data(dest, &r, err, sizeof(err)), 0);
    free(b);
    free(src);
    free(dest);
}

/* dumpfmt's own s390 stand-alone dump of the source vmcore (malloc'd). */
static uint8_t *s390_reference(size_t *len)
{
    struct df_err derr;
    struct df_dump *d = NULL;
    CU_ASSERT_EQUAL_FATAL(df_read_file(src_elf, &d, &derr), 0);
    uint8_t *ref = NULL;
    *len = 0;
    CU_ASSERT_EQUAL_FATAL(df_write_s390_mem(d, &ref, len, &derr), 0);
    df_dump_free(d);
    return ref;
}

static void test_s390_format_matches_dumpfmt(void)
{
    NEED_SETUP();
    size_t ref_len;
    uint8_t *ref = s390_reference(&ref_len);
    CU_ASSERT_EQUAL(ref_len, 4096 + 192 * 1024 + 16);
    uint64_t dsize = ref_len + 4096 + 100;
    char *dest = make_dest("disk-s390", dsize);
    char args[4096], *out;
    snprintf(args, sizeof(args), "--format s390 %s %s", src_elf, dest);
    CU_ASSERT_EQUAL(run_tool(args, &out), DBC_EXIT_COMPLETE);
    char want[256];
    snprintf(want, sizeof(want), "DBCAPTURE: RESULT complete bytes=%zu hash=%016" PRIx64,
             ref_len, (uint64_t)XXH64(ref, ref_len, 0));
    CU_ASSERT_STRING_EQUAL(last_line(out), want);
    free(out);
    size_t n;
    uint8_t *img = th_read_file(dest, &n);
    CU_ASSERT_EQUAL_FATAL(n, dsize);
    CU_ASSERT_EQUAL(memcmp(img, ref, ref_len), 0);
    /* the CPU with prefix 0x4000: GPR 15 stored at 0x4000 + 0x1200 + 0x80 + 15*8 */
    uint8_t rnd[512];
    fill(rnd, sizeof(rnd), 101);
    CU_ASSERT_EQUAL(db_ld_be64(img + 4096 + 0x4000 + 0x1280 + 15 * 8), db_ld_be64(rnd + 15 * 8));
    CU_ASSERT_EQUAL(db_ld_be16(img + 0x5d), 3);           /* cpu_cnt */
    CU_ASSERT_EQUAL(db_ld_be32(img + 0x800 + 8), 0x200000); /* lc_vec[2] */
    CU_ASSERT_EQUAL(memcmp(img + 4096 + 192 * 1024, "DUMP_END", 8), 0);
    /* dumpfmt reads it back as an s390 dump with the three CPUs */
    char *copy = path_in("s390.img");
    CU_ASSERT_EQUAL(th_write_file(copy, img, ref_len), 0);
    struct df_err derr;
    struct df_dump *d = NULL;
    CU_ASSERT_EQUAL(df_read_file(copy, &d, &derr), 0);
    if (d) {
        CU_ASSERT_EQUAL(d->format, DF_FMT_S390);
        CU_ASSERT_EQUAL(d->ncpus, 3);
        df_dump_free(d);
    }
    free(img);
    free(ref);
    free(copy);
    struct capture_record r;
    char err[1024] = "";
    CU_ASSERT_EQUAL(capture_record_read(dest, &r, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(r.format, DBC_FORMAT_S390);
    CU_ASSERT_EQUAL(r.status, CAPTURE_COMPLETE);
    CU_ASSERT_EQUAL(r.data_size, ref_len);
    CU_ASSERT_EQUAL(capture_record_check_data(dest, &r, err, sizeof(err)), 0);
    free(dest);
}

static void test_s390_needs_s390_elf(void)
{
    NEED_SETUP();
    char *dest = make_dest("disk-s390-raw", 1 << 20);
    char *src = path_in("notelf.bin");
    CU_ASSERT_EQUAL(th_write_file(src, "hello world, not an ELF file", 28), 0);
    char args[4096], *out;
    snprintf(args, sizeof(args), "--format s390 %s %s", src, dest);
    CU_ASSERT_EQUAL(run_tool(args, &out), DBC_EXIT_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(last_line(out), "RESULT failed reason=\"--format s390 needs an ELF vmcore"));
    free(out);
    free(src);
    free(dest);
}

static void test_dest_too_small(void)
{
    NEED_SETUP();
    uint64_t dsize = src_len + 4096 - 1;
    char *dest = make_dest("disk-small", dsize);
    char args[4096], *out;
    snprintf(args, sizeof(args), "%s %s", src_elf, dest);
    CU_ASSERT_EQUAL(run_tool(args, &out), DBC_EXIT_FAILED);
    char want[512];
    snprintf(want, sizeof(want), "needs %zu bytes (%zu bytes of dump data + the 4096-byte "
             "result record), has %" PRIu64 " bytes; nothing copied", src_len + 4096,
             src_len, dsize);
    CU_ASSERT_PTR_NOT_NULL(strstr(last_line(out), "RESULT failed reason=\"DEST "));
    CU_ASSERT_PTR_NOT_NULL(strstr(last_line(out), want));
    free(out);
    size_t n;
    uint8_t *img = th_read_file(dest, &n);
    CU_ASSERT_FATAL(n == dsize);
    CU_ASSERT(df_is_zero(img, dsize - 4096)); /* nothing copied */
    free(img);
    struct capture_record r;
    char err[1024] = "";
    CU_ASSERT_EQUAL(capture_record_read(dest, &r, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(r.status, CAPTURE_FAILED);
    CU_ASSERT_EQUAL(r.data_size, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.reason, want));
    free(dest);
}

static void test_src_truncated(void)
{
    NEED_SETUP();
    const size_t cut = 70000; /* inside the first PT_LOAD */
    size_t n;
    uint8_t *src = th_read_file(src_elf, &n);
    char *shortp = path_in("vmcore.short");
    CU_ASSERT_EQUAL_FATAL(th_write_file(shortp, src, cut), 0);
    char *dest = make_dest("disk-short", src_len + 4096);
    char *rel = path_in("release-never");
    char args[4096], *out;
    snprintf(args, sizeof(args), "--release %s %s %s", rel, shortp, dest);
    CU_ASSERT_EQUAL(run_tool(args, &out), DBC_EXIT_INCOMPLETE);
    char want[256];
    snprintf(want, sizeof(want), "DBCAPTURE: RESULT incomplete reason=\"short read on "
             "SRC %s at byte %zu: end of data, but its headers promise %zu bytes",
             shortp, cut, src_len);
    CU_ASSERT_EQUAL(strncmp(last_line(out), want, strlen(want)), 0);
    CU_ASSERT_EQUAL(count_result_lines(out), 1);
    CU_ASSERT_PTR_NULL(strstr(out, "RESULT complete"));
    free(out);
    CU_ASSERT_NOT_EQUAL(access(rel, F_OK), 0); /* firmware memory kept */
    struct capture_record r;
    char err[1024] = "";
    CU_ASSERT_EQUAL(capture_record_read(dest, &r, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(r.status, CAPTURE_INCOMPLETE);
    CU_ASSERT_EQUAL(r.src_copied, cut);
    CU_ASSERT_EQUAL(r.src_expected, src_len);
    CU_ASSERT_EQUAL(r.err_offset, cut);
    CU_ASSERT_EQUAL(r.data_size, cut);
    CU_ASSERT_EQUAL(r.flags & DBC_FLAG_RELEASED, 0);
    CU_ASSERT_EQUAL(capture_record_check_data(dest, &r, err, sizeof(err)), 0);
    uint8_t *img = th_read_file(dest, NULL);
    CU_ASSERT_EQUAL(memcmp(img, src, cut), 0);
    free(img);
    free(src);
    free(rel);
    free(shortp);
    free(dest);
}

/* --format s390 on a cut SRC: the memory image up to the failure is kept. */
static void test_s390_src_truncated(void)
{
    NEED_SETUP();
    size_t ref_len;
    uint8_t *ref = s390_reference(&ref_len);
    const size_t cut = src_len - 30000; /* inside the second PT_LOAD */
    uint8_t *src = th_read_file(src_elf, NULL);
    char *shortp = path_in("vmcore.short390");
    CU_ASSERT_EQUAL_FATAL(th_write_file(shortp, src, cut), 0);
    free(src);
    char *dest = make_dest("disk-short390", ref_len + 4096);
    char args[4096], *out;
    snprintf(args, sizeof(args), "--format s390 %s %s", shortp, dest);
    CU_ASSERT_EQUAL(run_tool(args, &out), DBC_EXIT_INCOMPLETE);
    char want[256];
    snprintf(want, sizeof(want), "DBCAPTURE: RESULT incomplete reason=\"short read on "
             "SRC %s at byte %zu: end of data", shortp, cut);
    CU_ASSERT_EQUAL(strncmp(last_line(out), want, strlen(want)), 0);
    free(out);
    struct capture_record r;
    char err[1024] = "";
    CU_ASSERT_EQUAL_FATAL(capture_record_read(dest, &r, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(r.status, CAPTURE_INCOMPLETE);
    CU_ASSERT_EQUAL(r.format, DBC_FORMAT_S390);
    CU_ASSERT_EQUAL(r.err_offset, cut);
    /* ELF header, phdrs, notes and PT_LOAD data read; not the padding */
    CU_ASSERT(r.src_copied < cut && r.src_copied > cut - 8192);
    CU_ASSERT(r.data_size > 4096 + 128 * 1024 && r.data_size < ref_len);
    CU_ASSERT_EQUAL(capture_record_check_data(dest, &r, err, sizeof(err)), 0);
    uint8_t *img = th_read_file(dest, NULL);
    CU_ASSERT_EQUAL(memcmp(img, ref, r.data_size), 0);
    CU_ASSERT(df_is_zero(img + r.data_size, ref_len - r.data_size));
    free(img);
    free(ref);
    free(shortp);
    free(dest);
}

static void test_src_eio(void)
{
    NEED_SETUP();
    char *dest = make_dest("disk-eio", 1 << 20);
    char args[4096], *out;
    snprintf(args, sizeof(args), "/proc/self/mem %s", dest);
    CU_ASSERT_EQUAL(run_tool(args, &out), DBC_EXIT_INCOMPLETE);
    CU_ASSERT_STRING_EQUAL(last_line(out), "DBCAPTURE: RESULT incomplete reason=\"read "
                           "error on SRC /proc/self/mem at byte 0: Input/output error\"");
    free(out);
    free(dest);
}

static void test_dest_full(void)
{
    NEED_SETUP();
    /* data writes hit ENOSPC: a 1 MiB sparse DEST on a 256 KiB tmpfs */
    char *mnt = path_in("mnt");
    CU_ASSERT_EQUAL_FATAL(mkdir(mnt, 0700), 0);
    size_t len = 600 * 1024;
    uint8_t *b = malloc(len);
    fill(b, len, 5);
    char *src = path_in("raw600k.bin");
    CU_ASSERT_EQUAL_FATAL(th_write_file(src, b, len), 0);
    free(b);
    char cmd[8192], *out;
    snprintf(cmd, sizeof(cmd), "unshare -rm sh -c 'mount -t tmpfs -o size=256k none %s "
             "|| exit 99; truncate -s 1M %s/disk || exit 98; %s %s %s/disk; echo rc=$?'",
             mnt, mnt, tool, src, mnt);
    int rc = run_sh(cmd, &out);
    CU_ASSERT_EQUAL(rc, 0);
    if (rc != 0) {
        fprintf(stderr, "test_dest_full: a private tmpfs is needed (unshare -rm, "
                "mount -t tmpfs) and could not be set up (rc %d): %s\n", rc, out);
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "DBCAPTURE: RESULT failed reason=\"dump disk full at byte "));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "rc=4\n"));
    CU_ASSERT_PTR_NULL(strstr(out, "RESULT complete"));
    free(out);
    /* the record write itself fails: /dev/full */
    snprintf(cmd, sizeof(cmd), "--dest-size 1048576 %s /dev/full", src);
    CU_ASSERT_EQUAL(run_tool(cmd, &out), DBC_EXIT_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(last_line(out), "RESULT failed reason=\"dump disk full "
                                  "at byte 1044480 (writing the result record)\""));
    free(out);
    free(src);
    free(mnt);
}

static void test_usage(void)
{
    NEED_SETUP();
    char *out;
    CU_ASSERT_EQUAL(run_tool("--format xyz a b", &out), DBC_EXIT_FAILED);
    CU_ASSERT_STRING_EQUAL(last_line(out), "DBCAPTURE: RESULT failed reason=\"usage: "
                           "--format xyz: expected elf or s390\"");
    free(out);
    CU_ASSERT_EQUAL(run_tool("onlyone", &out), DBC_EXIT_FAILED);
    CU_ASSERT_PTR_NOT_NULL(strstr(last_line(out), "reason=\"usage: dbcapture"));
    free(out);
}

/* ---- the reader on corrupt records ---- */

static uint8_t *good_record(void)
{
    char *dest = make_dest("disk-rec", src_len + 4096);
    char args[4096], *out;
    snprintf(args, sizeof(args), "%s %s", src_elf, dest);
    CU_ASSERT_EQUAL(run_tool(args, &out), DBC_EXIT_COMPLETE);
    free(out);
    size_t n;
    uint8_t *img = th_read_file(dest, &n);
    free(dest);
    CU_ASSERT_FATAL(img && n == src_len + 4096);
    uint8_t *rec = malloc(4096);
    memcpy(rec, img + n - 4096, 4096);
    free(img);
    return rec;
}

static void rehash(uint8_t *rec)
{
    memset(rec + DBC_REC_OFF_REC_HASH, 0, 8);
    db_st_be64(rec + DBC_REC_OFF_REC_HASH, XXH64(rec, 4096, 0));
}

static void expect_bad(const uint8_t *rec, uint64_t image, const char *needle)
{
    struct capture_record r;
    char err[1024] = "";
    CU_ASSERT_EQUAL(capture_record_parse(rec, 4096, image, &r, err, sizeof(err)), -1);
    if (!strstr(err, needle)) {
        fprintf(stderr, "\n  error \"%s\" lacks \"%s\"\n", err, needle);
        CU_FAIL("error text");
    }
}

/*
 * One corruption of a good record: a store of `width` bytes (1, 4 or 8,
 * big-endian; XOR_BYTE flips bit 0 of one byte; 0 changes nothing) at `off`,
 * the record hash recomputed or not, the image size `img_extra` bytes
 * larger than the disk the record names; the parse must fail naming `needle`.
 */
#define XOR_BYTE (-1)
#define DATA_PLUS_1 UINT64_MAX  /* value: the record's data size + 1 */

static const struct bad_record {
    unsigned off;
    int width;
    uint64_t val;
    bool rehash;
    uint64_t img_extra;
    const char *needle;
} bad_records[] = {
    { 0, 8, 0, false, 0, "magic \"........\" at offset 0x0" },
    { 0x20, XOR_BYTE, 0, false, 0, "does not match the record" },
    { DBC_REC_OFF_STATUS, 4, 7, true, 0, "status 7 at offset 0xc" },
    { DBC_REC_OFF_VERSION, 4, 2, true, 0, "version 2 at offset 0x8" },
    { DBC_REC_OFF_FORMAT, 4, 5, true, 0, "format 5 at offset 0x3c" },
    { DBC_REC_OFF_FLAGS, 4, 0x81, true, 0, "unknown flags 0x81" },
    { DBC_REC_OFF_REASON_LEN, 4, 1024, true, 0, "reason_len 1024" },
    /* text but reason_len 0 */
    { DBC_REC_OFF_REASON, 1, 'x', true, 0, "not 0 non-NUL bytes followed by zero padding" },
    { 0x80, 1, 1, true, 0, "reserved bytes" },
    { 0xfff, 1, 1, true, 0, "reserved bytes" },
    /* complete but not verified */
    { DBC_REC_OFF_FLAGS, 4, 0, true, 0, "verified bit clear" },
    /* failed, no reason */
    { DBC_REC_OFF_STATUS, 4, DBC_STATUS_FAILED, true, 0, "status failed without a reason" },
    { DBC_REC_OFF_DATA_SIZE, 8, DATA_PLUS_1, true, 0, "data_size" },
    { 0, 0, 0, false, 4096, "dest_size" },
    { DBC_REC_OFF_FLAGS, 4, DBC_FLAG_VERIFIED | DBC_FLAG_RELEASED, true, 0,
      "released without a release request" },
};

static void test_reader_rejects(void)
{
    NEED_SETUP();
    uint8_t *good = good_record();
    uint64_t img = src_len + 4096;
    struct capture_record r;
    char err[1024] = "";
    CU_ASSERT_EQUAL(capture_record_parse(good, 4096, img, &r, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(capture_record_parse(good, 4095, img, &r, err, sizeof(err)), -1);
    uint8_t rec[4096];

    for (size_t i = 0; i < sizeof(bad_records) / sizeof(bad_records[0]); i++) {
        const struct bad_record *b = &bad_records[i];
        uint64_t v = b->val == DATA_PLUS_1 ? img - 4096 + 1 : b->val;
        memcpy(rec, good, 4096);
        switch (b->width) {
        case XOR_BYTE: rec[b->off] ^= 1; break;
        case 1: rec[b->off] = (uint8_t)v; break;
        case 4: db_st_be32(rec + b->off, (uint32_t)v); break;
        case 8: db_st_be64(rec + b->off, v); break;
        default: break;
        }
        if (b->rehash) {
            rehash(rec);
        }
        expect_bad(rec, img + b->img_extra, b->needle);
    }
    free(good);

    /* an image without a record, and one too small for it */
    char *p = make_dest("norecord", 8192);
    CU_ASSERT_EQUAL(capture_record_read(p, &r, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "never ran"));
    free(p);
    /* an image 100 bytes longer than the disk the guest saw (size % 512 != 0) */
    p = make_dest("odd", img + 100);
    uint8_t *g2 = good_record();
    int fd = open(p, O_WRONLY);
    CU_ASSERT_EQUAL(pwrite(fd, g2, 4096, (off_t)(img - 4096)), 4096);
    close(fd);
    free(g2);
    CU_ASSERT_EQUAL_FATAL(img % 512, 0);
    CU_ASSERT_EQUAL(capture_record_read(p, &r, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(r.dest_size, img);
    free(p);
    p = make_dest("tiny", 100);
    CU_ASSERT_EQUAL(capture_record_read(p, &r, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "too small to hold"));
    free(p);
    CU_ASSERT_STRING_EQUAL(capture_status_name(1), "incomplete");
    CU_ASSERT_STRING_EQUAL(capture_status_name(9), "status-9");
}

/* A dump changed after capture: the record's data hash no longer matches. */
static void test_check_data_detects_change(void)
{
    NEED_SETUP();
    char *dest = make_dest("disk-change", src_len + 4096);
    char args[4096], *out;
    snprintf(args, sizeof(args), "%s %s", src_elf, dest);
    CU_ASSERT_EQUAL(run_tool(args, &out), DBC_EXIT_COMPLETE);
    free(out);
    struct capture_record r;
    char err[1024] = "";
    CU_ASSERT_EQUAL_FATAL(capture_record_read(dest, &r, err, sizeof(err)), 0);
    int fd = open(dest, O_WRONLY);
    CU_ASSERT_EQUAL(pwrite(fd, "X", 1, 5000), 1);
    close(fd);
    CU_ASSERT_EQUAL(capture_record_check_data(dest, &r, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "the capture record says"));
    free(dest);
}

int register_capture_record_tests(void)
{
    CU_pSuite s = CU_add_suite("capture_record", setup, teardown);
    if (!s) {
        return -1;
    }
    return !CU_add_test(s, "elf copy complete + release", test_elf_copy_complete) ||
           !CU_add_test(s, "raw copy, xxh64 matches libxxhash", test_raw_copy_hash) ||
           !CU_add_test(s, "s390 format equals dumpfmt writer", test_s390_format_matches_dumpfmt) ||
           !CU_add_test(s, "s390 format needs an s390x ELF", test_s390_needs_s390_elf) ||
           !CU_add_test(s, "DEST too small", test_dest_too_small) ||
           !CU_add_test(s, "SRC shorter than its headers", test_src_truncated) ||
           !CU_add_test(s, "s390 format, SRC cut short", test_s390_src_truncated) ||
           !CU_add_test(s, "SRC EIO", test_src_eio) ||
           !CU_add_test(s, "DEST full", test_dest_full) ||
           !CU_add_test(s, "usage errors", test_usage) ||
           !CU_add_test(s, "reader rejects corrupt records", test_reader_rejects) ||
           !CU_add_test(s, "data hash detects a changed dump", test_check_data_detects_change)
           ? -1 : 0;
}
