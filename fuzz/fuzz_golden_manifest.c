/*
 * libFuzzer target: the golden store's manifest reader (harness/src/golden.c
 * golden_read_manifest, versions 1 and 2: `size`, `xxh64`, `pages`, `page
 * N HASH`, `zero A B`).  A corrupt or hand-edited manifest must be an error
 * naming the line, never a crash or an out-of-bounds page table.
 * Invariants: an accepted manifest has npages == ceil(size / 4096) and its
 * tables hold npages entries.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <harness/golden.h>

#include "fuzz_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char dir[64];
    if (!dir[0]) {
        snprintf(dir, sizeof(dir), "/tmp/fuzz-golden.%d", (int)getpid());
        if (mkdir(dir, 0700) != 0) {
            abort();
        }
    }
    char path[128];
    snprintf(path, sizeof(path), "%s/g.manifest", dir);
    FILE *f = fopen(path, "wb");
    if (!f) {
        abort();
    }
    if (size && fwrite(data, 1, size, f) != size) {
        abort();
    }
    fclose(f);
    struct golden_manifest m;
    memset(&m, 0, sizeof(m));
    char err[512];
    if (golden_read_manifest(dir, "g", &m, err, sizeof(err)) == GOLDEN_OK) {
        uint64_t want = (m.size + GOLDEN_PAGE - 1) / GOLDEN_PAGE;
        if (m.npages != want) {
            fz_fail("manifest accepted with %llu pages for size %llu",
                    (unsigned long long)m.npages, (unsigned long long)m.size);
        }
        volatile uint64_t sink = 0;
        for (uint64_t i = 0; i < m.npages; i++) {
            sink ^= m.page_hash[i] ^ m.page_zero[i];
        }
        (void)sink;
    }
    golden_manifest_free(&m);
    return 0;
}
