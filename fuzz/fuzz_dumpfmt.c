/*
 * libFuzzer target: the dumpfmt readers (ELF vmcore, kdump-compressed,
 * s390 stand-alone) through df_read_file and df_read_file_opts (strict and
 * lenient) on the input written to a memfd.  An accepted dump is walked
 * (every chunk byte range touched page by page, df_dump_page, the note
 * builder) and, when small, written back as ELF (and s390 for s390x).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <dumpfmt/dump.h>

#include "fuzz_host.h"

#define WRITE_BACK_MAX (16u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int memfd(char *path, size_t len)
{
    static int fd = -1;
    if (fd < 0) {
        fd = memfd_create("dumpfmt-fuzz", MFD_CLOEXEC);
        if (fd < 0) {
            abort();
        }
    }
    snprintf(path, len, "/proc/self/fd/%d", fd);
    return fd;
}

static void walk(const struct df_dump *d)
{
    volatile uint8_t sink = 0;
    uint64_t prev_end = 0;
    for (size_t i = 0; i < d->nchunks; i++) {
        const struct df_chunk *c = &d->chunks[i];
        if (i > 0 && c->paddr < prev_end) {
            fz_fail("chunks overlap or unsorted: chunk %zu at 0x%llx < 0x%llx", i,
                    (unsigned long long)c->paddr, (unsigned long long)prev_end);
        }
        if (c->paddr + c->size < c->paddr) {
            fz_fail("chunk %zu wraps", i);
        }
        prev_end = c->paddr + c->size;
        if (c->size && !c->data) {
            fz_fail("chunk %zu has no data", i);
        }
        for (uint64_t off = 0; off < c->size; off += 4096) {
            sink ^= c->data[off];
        }
        if (c->size) {
            sink ^= c->data[c->size - 1];
        }
        for (uint64_t a = c->paddr & ~4095ull, k = 0; a < prev_end && k < 64; a += 4096, k++) {
            (void)df_dump_page(d, a);
        }
    }
    for (size_t i = 0; i < d->nnotes; i++) {
        const struct df_note *n = &d->notes[i];
        if (n->descsz) {
            sink ^= n->desc[0];
            sink ^= n->desc[n->descsz - 1];
        }
        if (n->cpu >= 0 && (size_t)n->cpu >= d->ncpus) {
            fz_fail("note %zu cpu %d >= ncpus %zu", i, n->cpu, d->ncpus);
        }
    }
    if (d->vmcoreinfo) {
        sink ^= (uint8_t)d->vmcoreinfo[d->vmcoreinfo_len];
    }
    (void)sink;
    struct df_err err;
    uint8_t *blob = NULL;
    size_t blen = 0;
    if (df_dump_build_notes(d, &blob, &blen, &err) == DF_OK) {
        free(blob);
    }
    if (df_dump_mem_bytes(d) <= WRITE_BACK_MAX) {
        uint8_t *out = NULL;
        size_t olen = 0;
        if (df_write_elf_mem(d, &out, &olen, &err) == DF_OK) {
            free(out);
        }
        /* The s390 stand-alone image spans [0, end of the last chunk), not
         * just the bytes present: a sparse dump with a chunk near 4 GiB is a
         * valid 4 GiB image (df_write_s390_mem reports a failed allocation as
         * DF_ERR_SYSTEM), so only small spans are written back here. */
        uint64_t span = d->nchunks ? d->chunks[d->nchunks - 1].paddr +
                                         d->chunks[d->nchunks - 1].size : 0;
        if (d->arch == DF_ARCH_S390X && span <= WRITE_BACK_MAX) {
            out = NULL;
            if (df_write_s390_mem(d, &out, &olen, &err) == DF_OK) {
                free(out);
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = memfd(path, sizeof(path));
    if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size)) {
        abort();
    }
    for (int mode = 0; mode < 3; mode++) {
        struct df_dump *d = NULL;
        struct df_err err;
        struct df_read_opts o = { .lenient = mode == 2 };
        int st = mode == 0 ? df_read_file(path, &d, &err)
                           : df_read_file_opts(path, &o, &d, &err);
        (void)df_strerror(st);
        if (st == DF_OK) {
            if (!d) {
                fz_fail("df_read_file OK without a dump");
            }
            (void)df_arch_name(d->arch);
            (void)df_format_name(d->format);
            walk(d);
            df_dump_free(d);
        } else if (d) {
            fz_fail("df_read_file failed (%d) but returned a dump", st);
        }
        if (mode == 0) {
            mode++;   /* strict opts == df_read_file; go straight to lenient */
        }
    }
    return 0;
}
