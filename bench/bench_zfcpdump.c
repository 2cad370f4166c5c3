/*
 * bench-zfcpdump: a sim zfcpdump of an s390x machine (default 1 GiB, every
 * page planted with the deterministic pattern, default firmware profile:
 * 32 MiB HSA) run end to end through the sim backend and the reference
 * zfcpdump agent, from a scenario generated in memory.  Throughput is
 * guest memory bytes / seconds, printed as a ratio to a memcpy of the same
 * size measured in this run.  The dump is checked against the crash-instant
 * truth (pages-equal) outside the timed region: a fast wrong dump fails.
 *
 * Environment: BENCH_MEM (default 1G), TMPDIR (dump LUN backing file,
 * default /tmp; TMPDIR=/dev/shm takes the disk out of the numbers).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <harness/backend.h>
#include <harness/compare.h>
#include <harness/scenario.h>
#include <sim/backend.h>

#include "bench_util.h"

static double phase_seconds(const struct run_result *r, const char *name)
{
    for (size_t i = 0; i < r->nphases; i++) {
        if (!strcmp(r->phases[i].name, name)) {
            return r->phases[i].seconds;
        }
    }
    return -1.0;
}

int main(void)
{
    uint64_t mem = bench_env_size("BENCH_MEM", BENCH_GIB);
    if (mem < 64 * BENCH_MIB || mem % (1 * BENCH_MIB)) {
        fprintf(stderr, "bench-zfcpdump: BENCH_MEM must be a multiple of 1 MiB >= 64 MiB\n");
        return 1;
    }
    char title[128];
    snprintf(title, sizeof(title), "sim zfcpdump, s390x %" PRIu64 " MiB, HSA 32 MiB, ELF on FCP LUN",
             mem / BENCH_MIB);
    bench_table_header(title);

    double t_memcpy = bench_memcpy_seconds(mem);
    if (t_memcpy <= 0) {
        fprintf(stderr, "bench-zfcpdump: memcpy baseline failed\n");
        return 1;
    }

    char text[1024];
    int n = snprintf(text, sizeof(text),
                     "scenario bench-zfcpdump\n"
                     "machine arch=s390x memory=0x%" PRIx64 " cpus=2 profile=z15-32m seed=4242\n"
                     "dump method=zfcpdump format=elf\n"
                     "step boot\n"
                     "step plant addr=0 len=0x%" PRIx64 " seed=17\n"
                     "step set-regs cpu=1 seed=5\n"
                     "step crash cpu=1\n"
                     "step capture\n"
                     "expect outcome complete\n", mem, mem);
    struct scenario *s = NULL;
    struct scn_error serr;
    if (scn_parse_buffer("<bench-zfcpdump>", text, (size_t)n, &s, &serr) != 0) {
        fprintf(stderr, "bench-zfcpdump: scenario: %s\n", serr.msg);
        return 1;
    }
    char dir[1024];
    if (bench_tmpdir(dir, sizeof(dir), "bench-zfcpdump", mem + 64 * BENCH_MIB) != 0) {
        perror("bench-zfcpdump: mkdtemp");
        scn_free(s);
        return 1;
    }

    struct run_result res;
    run_result_init(&res);
    char err[512] = "";
    double t0 = bench_now();
    int rc = sim_backend_run(s, dir, NULL, &res, err, sizeof(err));
    double t_e2e = bench_now() - t0;
    int status = 0;
    if (rc != 0 || res.outcome != RUN_COMPLETE || !res.image || !res.truth) {
        fprintf(stderr, "bench-zfcpdump: run failed: rc %d outcome %s: %s %s\n", rc,
                run_outcome_name(res.outcome), res.reason, err);
        status = 1;
    } else {
        struct cmp_result cr;
        cmp_result_init(&cr);
        cmp_pages(res.truth, res.image, &cr);
        if (cr.differ || cr.pages_compared != mem / CMP_PAGE) {
            fprintf(stderr, "bench-zfcpdump: dump differs from the truth (%" PRIu64
                    " pages compared): %s\n", cr.pages_compared, cr.first);
            status = 1;
        }
        char name[64];
        snprintf(name, sizeof(name), "zfcpdump %" PRIu64 " MiB end-to-end", mem / BENCH_MIB);
        bench_row(name, mem, t_e2e, "memcpy", mem, t_memcpy);
        double t_cap = phase_seconds(&res, "capture");
        if (t_cap > 0) {
            snprintf(name, sizeof(name), "zfcpdump %" PRIu64 " MiB capture phase", mem / BENCH_MIB);
            bench_row(name, mem, t_cap, "memcpy", mem, t_memcpy);
        }
        for (size_t i = 0; i < res.nphases; i++) {
            snprintf(name, sizeof(name), "  phase %s", res.phases[i].name);
            bench_row_info(name, mem, res.phases[i].seconds);
        }
        bench_note("temp dir %s", dir);
        bench_note("end-to-end %.2f s, image %" PRIu64 " bytes, %" PRIu64
                   " pages verified equal to the truth", t_e2e, df_dump_mem_bytes(res.image),
                   cr.pages_compared);
    }
    run_result_clear(&res);
    scn_free(s);
    bench_rmtree(dir);
    uint64_t rss = bench_peak_rss();
    bench_note("peak RSS %.1f MiB (%.2f x guest memory)", (double)rss / (double)BENCH_MIB,
               (double)rss / (double)mem);
    return status;
}
