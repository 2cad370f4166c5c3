/* Golden store: round trip, corruption detection, atomic update only on request. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <zstd.h>

#include <dumpfmt/dump.h>
#include <harness/golden.h>

#include "tests.h"

#define IMG_LEN (5 * 4096 + 100)

static char *dir;

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

static char *path_in(const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

/* Write an image file of `len` bytes into the test dir; returns its path. */
static char *make_image(const char *fname, size_t len, uint32_t seed)
{
    uint8_t *b = malloc(len ? len : 1);
    fill(b, len, seed);
    char *p = path_in(fname);
    CU_ASSERT_EQUAL(th_write_file(p, b, len), 0);
    free(b);
    return p;
}

static int setup(void)
{
    dir = th_mkdtemp();
    return dir ? 0 : -1;
}

static void reset_dir(void)
{
    th_rmtree(dir);
    mkdir(dir, 0700);
}

static size_t count_entries(const char *d)
{
    DIR *dd = opendir(d);
    size_t n = 0;
    struct dirent *e;
    while (dd && (e = readdir(dd)) != NULL)
        if (e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")))
            n++;
    if (dd)
        closedir(dd);
    return n;
}

static int teardown(void)
{
    th_rmtree(dir);
    free(dir);
    return 0;
}

static void test_round_trip(void)
{
    reset_dir();
    char *img = make_image("img", IMG_LEN, 1);
    char *gdir = path_in("golden");
    char msg[256], err[512] = "";
    int changed = -1;
    CU_ASSERT_EQUAL_FATAL(golden_update(gdir, "g1", img, &changed, msg, sizeof(msg), err,
                                        sizeof(err)), GOLDEN_OK);
    CU_ASSERT_EQUAL(changed, 1);
    CU_ASSERT_STRING_EQUAL(msg, "golden g1: new (20580 bytes, 6 pages)");
    CU_ASSERT_EQUAL(count_entries(gdir), 2);   /* no temp files left behind */

    /* manifest text */
    char *man = malloc(strlen(gdir) + 32);
    sprintf(man, "%s/g1.manifest", gdir);
    size_t ml;
    char *mt = (char *)th_read_file(man, &ml);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mt);
    CU_ASSERT_EQUAL(strncmp(mt, "dumpbench-golden 2\nsize 20580\nxxh64 ", 36), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(mt, "\npages 6\npage 0 "));
    CU_ASSERT_PTR_NOT_NULL(strstr(mt, "\npage 5 "));
    CU_ASSERT_PTR_NULL(strstr(mt, "\npage 6 "));

    struct golden_manifest m;
    CU_ASSERT_EQUAL(golden_read_manifest(gdir, "g1", &m, err, sizeof(err)), GOLDEN_OK);
    struct golden_manifest h;
    CU_ASSERT_EQUAL(golden_hash_file(img, &h, err, sizeof(err)), GOLDEN_OK);
    CU_ASSERT_EQUAL(m.size, IMG_LEN);
    CU_ASSERT_EQUAL(m.npages, 6);
    CU_ASSERT_EQUAL(m.hash, h.hash);
    CU_ASSERT_EQUAL(memcmp(m.page_hash, h.page_hash, 6 * sizeof(uint64_t)), 0);
    golden_manifest_free(&m);
    golden_manifest_free(&h);

    char *out = path_in("extracted");
    CU_ASSERT_EQUAL(golden_extract(gdir, "g1", out, err, sizeof(err)), GOLDEN_OK);
    size_t l1, l2;
    uint8_t *a = th_read_file(img, &l1), *b = th_read_file(out, &l2);
    CU_ASSERT_EQUAL(l1, IMG_LEN);
    CU_ASSERT_EQUAL(l2, IMG_LEN);
    CU_ASSERT_EQUAL(memcmp(a, b, IMG_LEN), 0);
    CU_ASSERT_EQUAL(golden_verify(gdir, "g1", err, sizeof(err)), GOLDEN_OK);
    free(a);
    free(b);
    free(out);
    free(mt);
    free(man);
    free(img);
    free(gdir);
}

static void test_update_unchanged_does_not_rewrite(void)
{
    reset_dir();
    char *img = make_image("img", IMG_LEN, 2);
    char msg[256], err[512];
    int changed;
    CU_ASSERT_EQUAL(golden_update(dir, "g", img, &changed, msg, sizeof(msg), err, sizeof(err)), 0);
    char *zst = path_in("g.img.zst"), *man = path_in("g.manifest");
    struct stat s1, s2, m1, m2;
    CU_ASSERT_EQUAL(stat(zst, &s1), 0);
    CU_ASSERT_EQUAL(stat(man, &m1), 0);
    CU_ASSERT_EQUAL(golden_update(dir, "g", img, &changed, msg, sizeof(msg), err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(changed, 0);
    CU_ASSERT_STRING_EQUAL(msg, "golden g: unchanged");
    CU_ASSERT_EQUAL(stat(zst, &s2), 0);
    CU_ASSERT_EQUAL(stat(man, &m2), 0);
    CU_ASSERT_EQUAL(s1.st_ino, s2.st_ino);   /* not replaced */
    CU_ASSERT_EQUAL(m1.st_ino, m2.st_ino);
    free(zst);
    free(man);
    free(img);
}

static void test_update_reports_changed_pages(void)
{
    reset_dir();
    uint8_t *b = malloc(IMG_LEN + 4096);
    fill(b, IMG_LEN, 3);
    char *img = path_in("img");
    CU_ASSERT_EQUAL(th_write_file(img, b, IMG_LEN), 0);
    char msg[256], err[512];
    int changed;
    CU_ASSERT_EQUAL(golden_update(dir, "g", img, &changed, msg, sizeof(msg), err, sizeof(err)), 0);
    b[0x2010] ^= 1;
    b[0x4ffe] ^= 0x80;
    CU_ASSERT_EQUAL(th_write_file(img, b, IMG_LEN), 0);
    CU_ASSERT_EQUAL(golden_update(dir, "g", img, &changed, msg, sizeof(msg), err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(changed, 1);
    CU_ASSERT_STRING_EQUAL(msg, "golden g: 2 of 6 pages changed (first at 0x2000 0x4000)");
    /* grow by a page: the short last page changes and one page is new */
    fill(b + IMG_LEN, 4096, 9);
    CU_ASSERT_EQUAL(th_write_file(img, b, IMG_LEN + 4096), 0);
    CU_ASSERT_EQUAL(golden_update(dir, "g", img, &changed, msg, sizeof(msg), err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(msg, "golden g: 2 of 7 pages changed (first at 0x5000 0x6000); "
                           "size 20580 -> 24676");
    char *out = path_in("x");
    CU_ASSERT_EQUAL(golden_extract(dir, "g", out, err, sizeof(err)), GOLDEN_OK);
    size_t l;
    uint8_t *got = th_read_file(out, &l);
    CU_ASSERT_EQUAL(l, IMG_LEN + 4096);
    CU_ASSERT_EQUAL(memcmp(got, b, l), 0);
    free(got);
    free(out);
    free(b);
    free(img);
}

static void test_missing_golden(void)
{
    reset_dir();
    char err[512] = "";
    char *out = path_in("out");
    CU_ASSERT_EQUAL(golden_extract(dir, "nothere", out, err, sizeof(err)), GOLDEN_MISSING);
    CU_ASSERT_EQUAL(access(out, F_OK), -1);
    CU_ASSERT_EQUAL(count_entries(dir), 0);
    struct golden_manifest m;
    CU_ASSERT_EQUAL(golden_read_manifest(dir, "nothere", &m, err, sizeof(err)), GOLDEN_MISSING);
    free(out);
}

static void test_corrupt_manifest_hash_names_page(void)
{
    reset_dir();
    char *img = make_image("img", IMG_LEN, 4);
    char msg[256], err[512];
    CU_ASSERT_EQUAL(golden_update(dir, "g", img, NULL, msg, sizeof(msg), err, sizeof(err)), 0);
    /* flip one hex digit of page 3's hash */
    char *man = path_in("g.manifest");
    size_t l;
    char *t = (char *)th_read_file(man, &l);
    char *p = strstr(t, "\npage 3 ");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    p += 8;
    *p = *p == '0' ? '1' : '0';
    CU_ASSERT_EQUAL(th_write_file(man, t, l), 0);
    char *out = path_in("out");
    CU_ASSERT_EQUAL(golden_extract(dir, "g", out, err, sizeof(err)), GOLDEN_ERROR);
    CU_ASSERT_STRING_EQUAL(err, "golden g corrupt: page 3 (offset 0x3000) does not match its "
                           "manifest hash");
    CU_ASSERT_EQUAL(access(out, F_OK), -1);   /* partial output removed */
    free(out);
    free(t);
    free(man);
    free(img);
}

static void test_corrupt_image_data_names_page(void)
{
    reset_dir();
    size_t n = IMG_LEN;
    uint8_t *b = malloc(n);
    fill(b, n, 5);
    char *img = path_in("img");
    CU_ASSERT_EQUAL(th_write_file(img, b, n), 0);
    char msg[256], err[512];
    CU_ASSERT_EQUAL(golden_update(dir, "g", img, NULL, msg, sizeof(msg), err, sizeof(err)), 0);
    /* replace the compressed image by a valid zstd frame of different data */
    b[0x1abc] ^= 0xff;
    size_t cap = ZSTD_compressBound(n);
    uint8_t *z = malloc(cap);
    size_t zl = ZSTD_compress(z, cap, b, n, 1);
    CU_ASSERT_FALSE_FATAL(ZSTD_isError(zl));
    char *zst = path_in("g.img.zst");
    CU_ASSERT_EQUAL(th_write_file(zst, z, zl), 0);
    CU_ASSERT_EQUAL(golden_verify(dir, "g", err, sizeof(err)), GOLDEN_ERROR);
    CU_ASSERT_STRING_EQUAL(err, "golden g corrupt: page 1 (offset 0x1000) does not match its "
                           "manifest hash");
    /* truncated frame */
    CU_ASSERT_EQUAL(th_write_file(zst, z, zl / 2), 0);
    CU_ASSERT_EQUAL(golden_verify(dir, "g", err, sizeof(err)), GOLDEN_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "golden g corrupt"));
    /* garbage */
    CU_ASSERT_EQUAL(th_write_file(zst, "garbage!", 8), 0);
    CU_ASSERT_EQUAL(golden_verify(dir, "g", err, sizeof(err)), GOLDEN_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "golden g corrupt: "));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "zstd: "));
    free(zst);
    free(z);
    free(b);
    free(img);
}

static void test_malformed_manifest(void)
{
    reset_dir();
    char *man = path_in("g.manifest");
    char err[512];
    struct golden_manifest m;
    const char *t1 = "dumpbench-golden 1\nsize 4096\nbogus line\n";
    CU_ASSERT_EQUAL(th_write_file(man, t1, strlen(t1)), 0);
    CU_ASSERT_EQUAL(golden_read_manifest(dir, "g", &m, err, sizeof(err)), GOLDEN_ERROR);
    char want[600];
    snprintf(want, sizeof(want), "%s:3: malformed line 'bogus line'", man);
    CU_ASSERT_STRING_EQUAL(err, want);
    const char *t2 = "dumpbench-golden 3\n";
    CU_ASSERT_EQUAL(th_write_file(man, t2, strlen(t2)), 0);
    CU_ASSERT_EQUAL(golden_read_manifest(dir, "g", &m, err, sizeof(err)), GOLDEN_ERROR);
    snprintf(want, sizeof(want), "%s:1: unsupported manifest version 3", man);
    CU_ASSERT_STRING_EQUAL(err, want);
    const char *t3 = "dumpbench-golden 1\nsize 8192\nxxh64 0000000000000000\npages 2\n"
                     "page 0 0000000000000000\n";
    CU_ASSERT_EQUAL(th_write_file(man, t3, strlen(t3)), 0);
    CU_ASSERT_EQUAL(golden_read_manifest(dir, "g", &m, err, sizeof(err)), GOLDEN_ERROR);
    snprintf(want, sizeof(want), "%s: 1 pages described, expected 2", man);
    CU_ASSERT_STRING_EQUAL(err, want);
    /* zero runs: out of order, empty, beyond the full pages (8192 + 100 bytes:
     * pages 0-1 full, page 2 short) */
    const char *z1 = "dumpbench-golden 2\nsize 8292\nxxh64 0000000000000000\npages 3\n"
                     "zero 1 1\n";
    CU_ASSERT_EQUAL(th_write_file(man, z1, strlen(z1)), 0);
    CU_ASSERT_EQUAL(golden_read_manifest(dir, "g", &m, err, sizeof(err)), GOLDEN_ERROR);
    snprintf(want, sizeof(want), "%s:5: zero 1 1 out of order or beyond the full pages "
             "(expected page 0)", man);
    CU_ASSERT_STRING_EQUAL(err, want);
    const char *z2 = "dumpbench-golden 2\nsize 8292\nxxh64 0000000000000000\npages 3\n"
                     "zero 0 3\n";
    CU_ASSERT_EQUAL(th_write_file(man, z2, strlen(z2)), 0);
    CU_ASSERT_EQUAL(golden_read_manifest(dir, "g", &m, err, sizeof(err)), GOLDEN_ERROR);
    snprintf(want, sizeof(want), "%s:5: zero 0 3 out of order or beyond the full pages "
             "(expected page 0)", man);
    CU_ASSERT_STRING_EQUAL(err, want);
    const char *z3 = "dumpbench-golden 2\nsize 8292\nxxh64 0000000000000000\npages 3\n"
                     "zero 0 0\n";
    CU_ASSERT_EQUAL(th_write_file(man, z3, strlen(z3)), 0);
    CU_ASSERT_EQUAL(golden_read_manifest(dir, "g", &m, err, sizeof(err)), GOLDEN_ERROR);
    const char *z4 = "dumpbench-golden 2\nsize 8292\nxxh64 0000000000000000\npages 3\n"
                     "zero 0 2\npage 2 00000000000000ab\n";
    CU_ASSERT_EQUAL(th_write_file(man, z4, strlen(z4)), 0);
    CU_ASSERT_EQUAL_FATAL(golden_read_manifest(dir, "g", &m, err, sizeof(err)), GOLDEN_OK);
    CU_ASSERT_EQUAL(m.npages, 3);
    CU_ASSERT_EQUAL(m.page_zero[0] + m.page_zero[1] + m.page_zero[2], 2);
    CU_ASSERT_EQUAL(m.page_hash[0], m.page_hash[1]);
    CU_ASSERT_EQUAL(m.page_hash[2], 0xab);
    golden_manifest_free(&m);
    const char *t4 = "dumpbench-golden 1\nsize 8192\nxxh64 0000000000000000\npages 3\n";
    CU_ASSERT_EQUAL(th_write_file(man, t4, strlen(t4)), 0);
    CU_ASSERT_EQUAL(golden_read_manifest(dir, "g", &m, err, sizeof(err)), GOLDEN_ERROR);
    snprintf(want, sizeof(want), "%s:4: pages 3 does not match size 8192", man);
    CU_ASSERT_STRING_EQUAL(err, want);
    /* image present, manifest missing: an error, not "missing" */
    unlink(man);
    char *zst = path_in("g.img.zst");
    CU_ASSERT_EQUAL(th_write_file(zst, "x", 1), 0);
    CU_ASSERT_EQUAL(golden_verify(dir, "g", err, sizeof(err)), GOLDEN_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "exists but its manifest is missing"));
    /* an unreadable golden is replaced only by an explicit update, which says so */
    char *img = make_image("img", 4096, 8);
    CU_ASSERT_EQUAL(th_write_file(man, "junk\n", 5), 0);
    char msg[512];
    int changed = 0;
    CU_ASSERT_EQUAL(golden_update(dir, "g", img, &changed, msg, sizeof(msg), err, sizeof(err)),
                    GOLDEN_OK);
    CU_ASSERT_EQUAL(changed, 1);
    CU_ASSERT_EQUAL(strncmp(msg, "golden g: replaced an unreadable golden (", 41), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, ") with 4096 bytes, 1 pages"));
    CU_ASSERT_EQUAL(golden_verify(dir, "g", err, sizeof(err)), GOLDEN_OK);
    free(img);
    free(zst);
    free(man);
}

static void test_update_errors_leave_golden_alone(void)
{
    reset_dir();
    char *img = make_image("img", 3 * 4096, 6);
    char msg[256], err[512];
    CU_ASSERT_EQUAL(golden_update(dir, "g", img, NULL, msg, sizeof(msg), err, sizeof(err)), 0);
    char *zst = path_in("g.img.zst");
    size_t l1, l2;
    uint8_t *before = th_read_file(zst, &l1);
    int changed = 7;
    CU_ASSERT_EQUAL(golden_update(dir, "g", "/nonexistent/image", &changed, msg, sizeof(msg),
                                  err, sizeof(err)), GOLDEN_ERROR);
    CU_ASSERT_EQUAL(changed, 0);
    CU_ASSERT_STRING_EQUAL(err, "/nonexistent/image: No such file or directory");
    uint8_t *after = th_read_file(zst, &l2);
    CU_ASSERT_EQUAL(l1, l2);
    CU_ASSERT_EQUAL(memcmp(before, after, l1), 0);
    CU_ASSERT_EQUAL(count_entries(dir), 3);   /* img + two golden files, no temp files */
    CU_ASSERT_EQUAL(golden_update(dir, "../evil", img, NULL, msg, sizeof(msg), err, sizeof(err)),
                    GOLDEN_ERROR);
    CU_ASSERT_STRING_EQUAL(err, "bad golden name '../evil'");
    free(before);
    free(after);
    free(zst);
    free(img);
}

static void test_empty_image(void)
{
    reset_dir();
    char *img = make_image("img", 0, 0);
    char msg[256], err[512];
    CU_ASSERT_EQUAL(golden_update(dir, "e", img, NULL, msg, sizeof(msg), err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(msg, "golden e: new (0 bytes, 0 pages)");
    char *out = path_in("o");
    CU_ASSERT_EQUAL(golden_extract(dir, "e", out, err, sizeof(err)), GOLDEN_OK);
    size_t l = 99;
    free(th_read_file(out, &l));
    CU_ASSERT_EQUAL(l, 0);
    free(out);
    free(img);
}


/*
 * A mostly-zero image written sparse (holes), data in pages 0 and 5 and a
 * short last page: zero runs in the manifest, exact round trip, a sparse
 * extracted file, and corruption inside a zero run named by page.
 */
#define SP_PAGES 100
#define SP_LEN (SP_PAGES * 4096 + 10)

static char *make_sparse_image(const char *fname, uint8_t **bytes)
{
    uint8_t *b = calloc(1, SP_LEN);
    fill(b, 4096, 11);
    fill(b + 5 * 4096, 4096, 12);
    fill(b + SP_PAGES * 4096, 10, 13);
    char *p = path_in(fname);
    unlink(p);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_EQUAL(df_pwrite_sparse(fd, b, SP_LEN, 0), 0);
    CU_ASSERT_EQUAL(ftruncate(fd, SP_LEN), 0);
    close(fd);
    *bytes = b;
    return p;
}

static void test_zero_runs(void)
{
    reset_dir();
    uint8_t *bytes;
    char *img = make_sparse_image("img", &bytes);
    char msg[256], err[512] = "";
    CU_ASSERT_EQUAL_FATAL(golden_update(dir, "z", img, NULL, msg, sizeof(msg), err,
                                        sizeof(err)), GOLDEN_OK);
    CU_ASSERT_STRING_EQUAL(msg, "golden z: new (409610 bytes, 101 pages)");
    char *man = path_in("z.manifest");
    size_t ml;
    char *mt = (char *)th_read_file(man, &ml);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mt);
    /* header (4 lines) + page 0, zero 1 4, page 5, zero 6 94, page 100 */
    size_t lines = 0;
    for (size_t i = 0; i < ml; i++)
        lines += mt[i] == '\n';
    CU_ASSERT_EQUAL(lines, 9);
    CU_ASSERT_PTR_NOT_NULL(strstr(mt, "\npages 101\npage 0 "));
    CU_ASSERT_PTR_NOT_NULL(strstr(mt, "\nzero 1 4\npage 5 "));
    CU_ASSERT_PTR_NOT_NULL(strstr(mt, "\nzero 6 94\npage 100 "));
    /* hashes of the file equal the manifest's (holes hashed as zeros) */
    struct golden_manifest m, h;
    CU_ASSERT_EQUAL_FATAL(golden_read_manifest(dir, "z", &m, err, sizeof(err)), GOLDEN_OK);
    CU_ASSERT_EQUAL_FATAL(golden_hash_file(img, &h, err, sizeof(err)), GOLDEN_OK);
    CU_ASSERT_EQUAL(m.hash, h.hash);
    CU_ASSERT_EQUAL(h.size, SP_LEN);
    CU_ASSERT_EQUAL(memcmp(m.page_hash, h.page_hash, (SP_PAGES + 1) * sizeof(uint64_t)), 0);
    CU_ASSERT_EQUAL(memcmp(m.page_zero, h.page_zero, SP_PAGES + 1), 0);
    CU_ASSERT_EQUAL(m.page_zero[3], 1);
    CU_ASSERT_EQUAL(m.page_zero[5], 0);
    golden_manifest_free(&m);
    golden_manifest_free(&h);
    /* extract: same bytes, sparse */
    char *out = path_in("out");
    CU_ASSERT_EQUAL(golden_extract(dir, "z", out, err, sizeof(err)), GOLDEN_OK);
    size_t l;
    uint8_t *x = th_read_file(out, &l);
    CU_ASSERT_EQUAL(l, SP_LEN);
    CU_ASSERT(x && memcmp(x, bytes, SP_LEN) == 0);
    struct stat st;
    CU_ASSERT_EQUAL(stat(out, &st), 0);
    CU_ASSERT((uint64_t)st.st_blocks * 512 <= 8 * 4096);
    free(x);
    /* unchanged on a second update */
    CU_ASSERT_EQUAL(golden_update(dir, "z", img, NULL, msg, sizeof(msg), err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(msg, "golden z: unchanged");
    /* a non-zero byte inside a zero run of the stored image names the page */
    bytes[50 * 4096 + 7] = 1;
    size_t cap = ZSTD_compressBound(SP_LEN);
    uint8_t *zb = malloc(cap);
    size_t zl = ZSTD_compress(zb, cap, bytes, SP_LEN, 3);
    CU_ASSERT_FALSE_FATAL(ZSTD_isError(zl));
    char *zst = path_in("z.img.zst");
    CU_ASSERT_EQUAL(th_write_file(zst, zb, zl), 0);
    CU_ASSERT_EQUAL(golden_extract(dir, "z", out, err, sizeof(err)), GOLDEN_ERROR);
    CU_ASSERT_STRING_EQUAL(err, "golden z corrupt: page 50 (offset 0x32000) does not match its "
                           "manifest hash");
    CU_ASSERT_EQUAL(access(out, F_OK), -1);
    /* a manifest claiming a data page is zero names that page */
    bytes[50 * 4096 + 7] = 0;
    zl = ZSTD_compress(zb, cap, bytes, SP_LEN, 3);
    CU_ASSERT_EQUAL(th_write_file(zst, zb, zl), 0);
    CU_ASSERT_EQUAL(golden_verify(dir, "z", err, sizeof(err)), GOLDEN_OK);
    char *p5 = strstr(mt, "\nzero 1 4\npage 5 ");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p5);
    char *nl = strchr(p5 + 11, '\n');
    char edited[4096];
    snprintf(edited, sizeof(edited), "%.*s\nzero 1 5%s", (int)(p5 - mt), mt, nl);
    CU_ASSERT_EQUAL(th_write_file(man, edited, strlen(edited)), 0);
    CU_ASSERT_EQUAL(golden_verify(dir, "z", err, sizeof(err)), GOLDEN_ERROR);
    CU_ASSERT_STRING_EQUAL(err, "golden z corrupt: page 5 (offset 0x5000) does not match its "
                           "manifest hash");
    free(zst);
    free(zb);
    free(out);
    free(mt);
    free(man);
    free(bytes);
    free(img);
}

/* Version 1 manifests (one page line per page, zero pages included) still verify. */
static void test_version1_manifest(void)
{
    reset_dir();
    uint8_t *bytes;
    char *img = make_sparse_image("img", &bytes);
    char msg[256], err[512] = "";
    CU_ASSERT_EQUAL_FATAL(golden_update(dir, "v", img, NULL, msg, sizeof(msg), err,
                                        sizeof(err)), GOLDEN_OK);
    struct golden_manifest h;
    CU_ASSERT_EQUAL_FATAL(golden_hash_file(img, &h, err, sizeof(err)), GOLDEN_OK);
    size_t cap = 200 + 40 * (SP_PAGES + 1);
    char *t = malloc(cap);
    size_t n = (size_t)snprintf(t, cap, "dumpbench-golden 1\nsize %d\nxxh64 %016llx\npages %d\n",
                                SP_LEN, (unsigned long long)h.hash, SP_PAGES + 1);
    for (int i = 0; i <= SP_PAGES; i++)
        n += (size_t)snprintf(t + n, cap - n, "page %d %016llx\n", i,
                              (unsigned long long)h.page_hash[i]);
    char *man = path_in("v.manifest");
    CU_ASSERT_EQUAL(th_write_file(man, t, n), 0);
    struct golden_manifest m;
    CU_ASSERT_EQUAL_FATAL(golden_read_manifest(dir, "v", &m, err, sizeof(err)), GOLDEN_OK);
    CU_ASSERT_EQUAL(m.page_zero[3], 0);            /* v1 does not say which are zero */
    CU_ASSERT_EQUAL(m.page_hash[3], h.page_hash[3]);
    CU_ASSERT_EQUAL(golden_verify(dir, "v", err, sizeof(err)), GOLDEN_OK);
    golden_manifest_free(&m);
    golden_manifest_free(&h);
    free(man);
    free(t);
    free(bytes);
    free(img);
}

int register_golden_tests(void)
{
    CU_pSuite s = CU_add_suite("golden", setup, teardown);
    if (!s)
        return -1;
    struct { const char *n; CU_TestFunc f; } t[] = {
        { "round trip", test_round_trip },
        { "unchanged image is not rewritten", test_update_unchanged_does_not_rewrite },
        { "update reports changed pages and size", test_update_reports_changed_pages },
        { "missing golden", test_missing_golden },
        { "corrupt manifest hash names the page", test_corrupt_manifest_hash_names_page },
        { "corrupt image data names the page", test_corrupt_image_data_names_page },
        { "malformed manifest", test_malformed_manifest },
        { "failed update leaves golden alone", test_update_errors_leave_golden_alone },
        { "empty image", test_empty_image },
        { "zero runs: sparse image, manifest, extract, corruption", test_zero_runs },
        { "version 1 manifest still verifies", test_version1_manifest },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (!CU_add_test(s, t[i].n, t[i].f))
            return -1;
    return 0;
}
