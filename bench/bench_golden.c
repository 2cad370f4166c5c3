/*
 * bench-golden: throughput of the golden comparison and the golden store
 * on two identical dump images (default 1 GiB of memory each, s390x ELF
 * vmcore with 2 CPUs and VMCOREINFO, every page non-zero), with baselines
 * measured in the same run:
 *   - golden comparison = df_read_file both + cmp_dumps (semantic) +
 *     cmp_files (byte-wise), vs memcpy and vs /usr/bin/cmp on the same files;
 *   - cmp_dumps and cmp_files alone, vs cmp;
 *   - golden_hash_file vs memcpy (and xxhsum when installed);
 *   - golden_update (hash + zstd level 3 + fsync + rename) vs `zstd -3 -T1`;
 *   - golden_extract (decompress + per-page verify) vs `zstd -d`.
 * The images are written by a child process so that the peak RSS printed
 * at the end is the comparison's own.
 *
 * Environment: BENCH_MEM (default 1G), TMPDIR (image files, about 5x
 * BENCH_MEM, default /tmp).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <dumpfmt/dump.h>
#include <harness/compare.h>
#include <harness/golden.h>

#include "bench_util.h"

#define CMP_BIN  "/usr/bin/cmp"
#define ZSTD_BIN "/usr/bin/zstd"
#define XXH_BIN  "/usr/bin/xxhsum"

struct ctx {
    char dir[1024];
    char a[1100], b[1100];          /* the two images */
    char gdir[1100];                /* golden store */
    char zst[1100];                 /* zstd CLI output */
    char out[1100];                 /* golden_extract output */
    char out2[1100];                /* zstd -d output */
    uint64_t mem;
    uint64_t file_size;
    struct df_dump *da, *db;        /* for the cmp_dumps-only run */
    uint64_t pages_compared;
};

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Child: build the dump and write it twice (the writer is deterministic). */
static int write_images(const struct ctx *c)
{
    struct df_err err;
    struct df_dump *d = df_dump_new(DF_ARCH_S390X);
    uint8_t *buf = malloc(c->mem);
    if (!d || !buf) {
        fprintf(stderr, "bench-golden: out of memory\n");
        return 1;
    }
    uint64_t seed = 0x676f6c64656e;
    for (uint64_t i = 0; i < c->mem; i += 8) {
        uint64_t v = splitmix(&seed) | 1u;   /* never a zero doubleword */
        memcpy(buf + i, &v, 8);
    }
    for (unsigned i = 0; i < 2; i++) {
        struct df_cpu cpu;
        memset(&cpu, 0, sizeof(cpu));
        cpu.present = 1;
        cpu.regs.s390.prefix = 0x20000u + i * 0x2000u;
        cpu.regs.s390.psw_mask = 0x0704c00180000000ull;
        cpu.regs.s390.psw_addr = 0x12a4b6 + i;
        for (unsigned g = 0; g < 16; g++) {
            cpu.regs.s390.gprs[g] = splitmix(&seed);
        }
        if (df_dump_add_cpu(d, &cpu, &err) < 0) {
            fprintf(stderr, "bench-golden: %s\n", err.msg);
            return 1;
        }
    }
    static const char vmci[] = "OSRELEASE=6.1.0-bench\nPAGESIZE=4096\n";
    if (df_dump_add_chunk(d, 0, buf, c->mem, &err) != 0 ||
        df_dump_set_vmcoreinfo(d, vmci, sizeof(vmci) - 1, &err) != 0) {
        fprintf(stderr, "bench-golden: %s\n", err.msg);
        return 1;
    }
    free(buf);
    double t0 = bench_now();
    if (df_write_elf(d, c->a, &err) != 0) {
        fprintf(stderr, "bench-golden: %s\n", err.msg);
        return 1;
    }
    double t = bench_now() - t0;
    if (df_write_elf(d, c->b, &err) != 0) {
        fprintf(stderr, "bench-golden: %s\n", err.msg);
        return 1;
    }
    df_dump_free(d);
    bench_row_info("df_write_elf (page cache, one image)", c->mem, t);
    return 0;
}

static int spawn_writer(const struct ctx *c)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("bench-golden: fork");
        return -1;
    }
    if (pid == 0) {
        int rc = write_images(c);
        fflush(stdout);
        _exit(rc);
    }
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        return -1;
    }
    bench_note("image writer peak RSS %.1f MiB", (double)ru.ru_maxrss / 1024.0);
    return 0;
}

/* ---- measured operations ------------------------------------------------ */

static int op_golden_compare(void *arg)
{
    struct ctx *c = arg;
    struct df_dump *a = NULL, *b = NULL;
    struct df_err err;
    if (df_read_file(c->a, &a, &err) != 0 || df_read_file(c->b, &b, &err) != 0) {
        fprintf(stderr, "bench-golden: read: %s\n", err.msg);
        df_dump_free(a);
        return -1;
    }
    struct cmp_result r;
    cmp_result_init(&r);
    cmp_dumps(a, b, &r);
    df_dump_free(a);
    df_dump_free(b);
    if (r.differ) {
        fprintf(stderr, "bench-golden: identical images differ: %s\n", r.first);
        return -1;
    }
    c->pages_compared = r.pages_compared;
    char msg[512];
    int rc = cmp_files(c->a, c->b, msg, sizeof(msg));
    if (rc != 0) {
        fprintf(stderr, "bench-golden: cmp_files: %d %s\n", rc, msg);
        return -1;
    }
    return 0;
}

static int op_read(void *arg)
{
    struct ctx *c = arg;
    struct df_dump *a = NULL;
    struct df_err err;
    if (df_read_file(c->a, &a, &err) != 0) {
        fprintf(stderr, "bench-golden: read: %s\n", err.msg);
        return -1;
    }
    df_dump_free(a);
    return 0;
}

static int op_cmp_dumps(void *arg)
{
    struct ctx *c = arg;
    struct cmp_result r;
    cmp_result_init(&r);
    cmp_dumps(c->da, c->db, &r);
    return r.differ ? -1 : 0;
}

static int op_cmp_files(void *arg)
{
    struct ctx *c = arg;
    char msg[512];
    return cmp_files(c->a, c->b, msg, sizeof(msg)) == 0 ? 0 : -1;
}

static int op_hash(void *arg)
{
    struct ctx *c = arg;
    struct golden_manifest m;
    char err[512];
    if (golden_hash_file(c->a, &m, err, sizeof(err)) != GOLDEN_OK) {
        fprintf(stderr, "bench-golden: hash: %s\n", err);
        return -1;
    }
    golden_manifest_free(&m);
    return 0;
}

static void remove_golden(const struct ctx *c)
{
    char img[2048], man[2048];
    golden_paths(c->gdir, "bench", img, sizeof(img), man, sizeof(man));
    unlink(img);
    unlink(man);
}

static int op_update(void *arg)
{
    struct ctx *c = arg;
    char msg[512], err[512];
    int changed = 0;
    remove_golden(c);
    if (golden_update(c->gdir, "bench", c->a, &changed, msg, sizeof(msg), err,
                      sizeof(err)) != GOLDEN_OK || !changed) {
        fprintf(stderr, "bench-golden: golden_update: %s\n", err);
        return -1;
    }
    return 0;
}

static int op_extract(void *arg)
{
    struct ctx *c = arg;
    char err[512];
    unlink(c->out);
    if (golden_extract(c->gdir, "bench", c->out, err, sizeof(err)) != GOLDEN_OK) {
        fprintf(stderr, "bench-golden: golden_extract: %s\n", err);
        return -1;
    }
    return 0;
}

static int run(struct ctx *c)
{
    double t_memcpy = bench_memcpy_seconds(c->mem);
    if (t_memcpy <= 0 || spawn_writer(c) != 0) {
        fprintf(stderr, "bench-golden: setup failed\n");
        return 1;
    }
    struct stat st;
    if (stat(c->a, &st) != 0) {
        perror(c->a);
        return 1;
    }
    c->file_size = (uint64_t)st.st_size;
    uint64_t fs = c->file_size;

    /* cmp(1) baseline on the same files (exit 0 = identical). */
    double t_cmp = -1.0;
    int code = 0;
    if (bench_have(CMP_BIN)) {
        char *argv[] = { CMP_BIN, c->a, c->b, NULL };
        t_cmp = bench_cmd_seconds(argv, &code);
        if (t_cmp < 0 || code != 0) {
            fprintf(stderr, "bench-golden: cmp failed (exit %d)\n", code);
            return 1;
        }
    }

    double t_gc = bench_best(op_golden_compare, c);
    if (t_gc < 0) {
        return 1;
    }
    bench_row("golden comparison (read+dumps+files)", fs, t_gc, "memcpy", c->mem, t_memcpy);
    if (t_cmp > 0) {
        bench_row("golden comparison (read+dumps+files)", fs, t_gc, "cmp", fs, t_cmp);
    }

    double t_rd = bench_best(op_read, c);
    if (t_rd < 0) {
        return 1;
    }
    struct df_err err;
    if (df_read_file(c->a, &c->da, &err) != 0 || df_read_file(c->b, &c->db, &err) != 0) {
        fprintf(stderr, "bench-golden: read: %s\n", err.msg);
        return 1;
    }
    double t_cd = bench_best(op_cmp_dumps, c);
    df_dump_free(c->da);
    df_dump_free(c->db);
    c->da = c->db = NULL;
    double t_cf = bench_best(op_cmp_files, c);
    if (t_cd < 0 || t_cf < 0) {
        fprintf(stderr, "bench-golden: cmp_dumps/cmp_files failed on identical images\n");
        return 1;
    }
    bench_row_info("  df_read_file (lazy mmap, one image)", fs, t_rd);
    if (t_cmp > 0) {
        bench_row("  cmp_dumps (semantic, mapped)", c->mem, t_cd, "cmp", fs, t_cmp);
        bench_row("  cmp_files (byte-wise)", fs, t_cf, "cmp", fs, t_cmp);
    } else {
        bench_row("  cmp_dumps (semantic, mapped)", c->mem, t_cd, "memcpy", c->mem, t_memcpy);
        bench_row("  cmp_files (byte-wise)", fs, t_cf, "memcpy", c->mem, t_memcpy);
    }

    double t_h = bench_best(op_hash, c);
    if (t_h < 0) {
        return 1;
    }
    bench_row("golden_hash_file (xxh64 + pages)", fs, t_h, "memcpy", c->mem, t_memcpy);
    if (bench_have(XXH_BIN)) {
        char *argv[] = { XXH_BIN, "-H64", c->a, NULL };
        double t = bench_cmd_seconds(argv, &code);
        if (t > 0 && code == 0) {
            bench_row("golden_hash_file (xxh64 + pages)", fs, t_h, "xxhsum -H64", fs, t);
        }
    }

    double t_u = bench_best(op_update, c);
    if (t_u < 0) {
        return 1;
    }
    char img[2048], man[2048];
    golden_paths(c->gdir, "bench", img, sizeof(img), man, sizeof(man));
    double t_x = bench_best(op_extract, c);
    if (t_x < 0) {
        return 1;
    }
    if (bench_have(ZSTD_BIN)) {
        char *zc[] = { ZSTD_BIN, "-q", "-f", "-3", "-T1", c->a, "-o", c->zst, NULL };
        double t_zc = bench_cmd_seconds(zc, &code);
        if (t_zc < 0 || code != 0) {
            fprintf(stderr, "bench-golden: zstd failed (exit %d)\n", code);
            return 1;
        }
        char *zd[] = { ZSTD_BIN, "-q", "-f", "-d", img, "-o", c->out2, NULL };
        double t_zd = bench_cmd_seconds(zd, &code);
        if (t_zd < 0 || code != 0) {
            fprintf(stderr, "bench-golden: zstd -d failed (exit %d)\n", code);
            return 1;
        }
        bench_row("golden_update (hash+zstd-3+fsync)", fs, t_u, "zstd -3 -T1", fs, t_zc);
        bench_row("golden_extract (unzstd+verify)", fs, t_x, "zstd -d", fs, t_zd);
    } else {
        bench_row("golden_update (hash+zstd-3+fsync)", fs, t_u, "memcpy", c->mem, t_memcpy);
        bench_row("golden_extract (unzstd+verify)", fs, t_x, "memcpy", c->mem, t_memcpy);
        bench_note("zstd CLI not installed: no zstd baseline");
    }
    if (stat(img, &st) == 0) {
        bench_note("golden image %.1f MiB compressed (%.3f of %" PRIu64 " bytes); "
                   "%" PRIu64 " pages compared per golden comparison",
                   (double)st.st_size / (double)BENCH_MIB, (double)st.st_size / (double)fs,
                   fs, c->pages_compared);
    }
    if (t_cmp < 0) {
        bench_note("%s not installed: no cmp baseline", CMP_BIN);
    }
    return 0;
}

int main(void)
{
    struct ctx c;
    memset(&c, 0, sizeof(c));
    c.mem = bench_env_size("BENCH_MEM", BENCH_GIB);
    if (c.mem < BENCH_MIB || c.mem % 4096) {
        fprintf(stderr, "bench-golden: BENCH_MEM must be a multiple of 4 KiB >= 1 MiB\n");
        return 1;
    }
    char title[128];
    snprintf(title, sizeof(title), "golden comparison and store, two identical %" PRIu64
             " MiB s390x ELF images", c.mem / BENCH_MIB);
    bench_table_header(title);
    if (bench_tmpdir(c.dir, sizeof(c.dir), "bench-golden", 5 * c.mem + 64 * BENCH_MIB) != 0) {
        perror("bench-golden: mkdtemp");
        return 1;
    }
    snprintf(c.a, sizeof(c.a), "%s/a.elf", c.dir);
    snprintf(c.b, sizeof(c.b), "%s/b.elf", c.dir);
    snprintf(c.gdir, sizeof(c.gdir), "%s/golden", c.dir);
    snprintf(c.zst, sizeof(c.zst), "%s/a.elf.zst", c.dir);
    snprintf(c.out, sizeof(c.out), "%s/extract.img", c.dir);
    snprintf(c.out2, sizeof(c.out2), "%s/unzstd.img", c.dir);
    int rc = run(&c);
    bench_rmtree(c.gdir);
    bench_rmtree(c.dir);
    uint64_t rss = bench_peak_rss();
    bench_note("temp dir %s", c.dir);
    bench_note("peak RSS %.1f MiB (comparison and store; the mapped images count as resident)",
               (double)rss / (double)BENCH_MIB);
    return rc;
}
