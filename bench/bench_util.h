/*
 * Small helpers shared by the bench programs: monotonic timing, best-of-N,
 * a memcpy baseline, running an external command timed, peak RSS, temp
 * directories under $TMPDIR, and the result table.
 *
 * Every bench prints rows "name | MB/s | baseline | baseline MB/s | ratio"
 * where the baseline was measured in the same process run, so the ratios
 * stay comparable across machines and load.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BENCH_MIB (UINT64_C(1) << 20)
#define BENCH_GIB (UINT64_C(1) << 30)

/* Monotonic clock in seconds. */
double bench_now(void);

/* Bytes from the environment (e.g. BENCH_MEM=64M), or dflt. K/M/G suffixes. */
uint64_t bench_env_size(const char *name, uint64_t dflt);

/* Short runs repeat: a first run shorter than this is repeated up to 3 times
 * in total and the best time is kept. */
#define BENCH_SHORT_RUN_S 2.0

/* Run fn up to 3 times (see above); returns the best time in seconds, or a
 * negative value when fn returned non-zero (the bench has failed). */
double bench_best(int (*fn)(void *), void *arg);

/* memcpy of `bytes` through two 64 MiB buffers (memory-bound), best of 3. */
double bench_memcpy_seconds(uint64_t bytes);

/*
 * Run argv (argv[0] an absolute path) with stdout/stderr to /dev/null,
 * timed; best of up to 3 (as bench_best).  *exit_code gets the status of
 * the last run.  Negative when the command cannot be started.
 */
double bench_cmd_seconds(char *const argv[], int *exit_code);

/* Is an executable at path? */
bool bench_have(const char *path);

/* Peak resident set size of this process, bytes (getrusage). */
uint64_t bench_peak_rss(void);

/*
 * mkdtemp under $TMPDIR (default /tmp); path receives the directory.  A
 * warning goes to stderr when the file system has less than `need` bytes.
 */
int bench_tmpdir(char *path, size_t len, const char *tag, uint64_t need);
/* Remove every plain file in dir, then dir itself. */
void bench_rmtree(const char *dir);

/* Table output. */
void bench_table_header(const char *title);
void bench_row(const char *name, uint64_t bytes, double secs,
               const char *base_name, uint64_t base_bytes, double base_secs);
/* A row without a baseline (informational). */
void bench_row_info(const char *name, uint64_t bytes, double secs);
void bench_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* BENCH_UTIL_H */
