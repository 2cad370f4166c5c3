/*
 * plant — dumpbench guest helper (x86_64, built with gcc -static).
 *
 *   plant SEED NPAGES
 *
 * Allocates NPAGES anonymous pages, fills them with the seeded pattern the
 * harness regenerates (harness/src/qemu_pattern.c, same function), locks
 * them, looks up their physical frames in /proc/self/pagemap
 * (lx61:Documentation/admin-guide/mm/pagemap.rst: bits 0-54 PFN, bit 63
 * present) and prints one line per page:
 *
 *   @@PLANT <index> <pfn hex>
 *   @@PLANT-END <npages>
 *
 * then sleeps forever so the pages stay in place until the crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PG 4096u

/* splitmix64 finaliser; pattern word j of page i for seed s is
 * mix(s + ((i << 9) | j) * 0xd1342543de82ef95). */
static uint64_t mix(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: plant SEED NPAGES\n");
        return 2;
    }
    uint64_t seed = strtoull(argv[1], NULL, 0);
    unsigned long n = strtoul(argv[2], NULL, 0);
    if (n == 0 || n > 65536) {
        fprintf(stderr, "plant: NPAGES must be 1..65536\n");
        return 2;
    }
    uint8_t *buf = mmap(NULL, n * PG, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (buf == MAP_FAILED) {
        fprintf(stderr, "plant: mmap: %s\n", strerror(errno));
        return 1;
    }
    for (uint64_t i = 0; i < n; i++) {
        uint64_t *w = (uint64_t *)(buf + i * PG);
        for (uint64_t j = 0; j < PG / 8; j++)
            w[j] = mix(seed + ((i << 9) | j) * 0xd1342543de82ef95ull);
    }
    if (mlock(buf, n * PG) != 0) {
        fprintf(stderr, "plant: mlock: %s\n", strerror(errno));
        return 1;
    }
    int fd = open("/proc/self/pagemap", O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "plant: pagemap: %s\n", strerror(errno));
        return 1;
    }
    for (uint64_t i = 0; i < n; i++) {
        uint64_t ent = 0;
        off_t off = (off_t)(((uintptr_t)(buf + i * PG) / PG) * 8);
        if (pread(fd, &ent, sizeof ent, off) != (ssize_t)sizeof ent ||
            !(ent >> 63)) {
            fprintf(stderr, "plant: page %" PRIu64 " not present\n", i);
            return 1;
        }
        printf("@@PLANT %" PRIu64 " %" PRIx64 "\n", i,
               (uint64_t)(ent & ((1ull << 55) - 1)));
    }
    close(fd);
    printf("@@PLANT-END %lu\n", n);
    fflush(stdout);
    for (;;)
        pause();
}
