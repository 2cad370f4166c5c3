/*
 * libFuzzer target: the harness's ELF64 core reader for the real-kernel
 * oracles (harness/src/qemu_elf.c: /proc/vmcore copies made inside the
 * guest -- guest-controlled bytes -- and QEMU dump-guest-memory files),
 * through qelf_open on a memfd, then every PT_LOAD page looked up.
 * Invariants: an accepted file's PT_LOADs lie inside it; qelf_page returns
 * NULL or a pointer to 4096 readable bytes of the mapping.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "qemu_internal.h"
#include "fuzz_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    if (fd < 0) {
        fd = memfd_create("qelf-fuzz", MFD_CLOEXEC);
        if (fd < 0) {
            abort();
        }
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size) {
        abort();
    }
    char path[64], err[256];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    struct qelf e;
    memset(&e, 0, sizeof(e));
    if (qelf_open(&e, path, err, sizeof(err)) != 0) {
        return 0;
    }
    volatile uint8_t sink = 0;
    for (size_t i = 0; i < e.nload; i++) {
        const struct qelf_load *l = &e.loads[i];
        if (l->off > e.size || l->filesz > e.size - l->off) {
            fz_fail("PT_LOAD %zu [0x%llx +0x%llx) outside the %zu-byte file", i,
                    (unsigned long long)l->off, (unsigned long long)l->filesz, e.size);
        }
        uint64_t pages = l->filesz / QPAGE;
        for (uint64_t pg = 0; pg < pages && pg < 64; pg++) {
            const uint8_t *p = qelf_page(&e, l->paddr + pg * QPAGE);
            if (p) {
                sink ^= p[0];
                sink ^= p[QPAGE - 1];
            }
        }
    }
    if (e.vmcoreinfo_text) {
        sink ^= (uint8_t)strlen(e.vmcoreinfo_text);
    }
    (void)sink;
    qelf_close(&e);
    return 0;
}
