/*
 * A small array-backed implementation of the host-ops interface for unit
 * tests: flat guest memory, a fixed number of CPUs of one architecture,
 * a clock the test advances by hand.  Not for production use.
 */
#ifndef DUMPBENCH_TESTHOST_H
#define DUMPBENCH_TESTHOST_H

#include <dumpbench/cpu.h>
#include <dumpbench/host.h>

enum th_arch { TH_S390X, TH_PPC64 };

struct testhost {
    struct db_host host;      /* pass &th->host to the model */
    enum th_arch arch;
    uint8_t *mem;
    uint64_t mem_size;
    unsigned ncpus;
    struct db_s390_cpu *s390;
    struct db_ppc64_cpu *ppc;
    uint64_t now_ns;
    unsigned reads, writes;   /* access counters for tests */
    int fail_next_write;      /* make the next N writes fail */
};

/* Returns NULL on allocation failure. Memory is zeroed; CPUs online. */
struct testhost *testhost_new(enum th_arch arch, uint64_t mem_size,
                              unsigned ncpus);
void testhost_free(struct testhost *th);
/* Fill [addr, addr+len) with a deterministic byte pattern derived from seed. */
void testhost_pattern(struct testhost *th, uint64_t addr, uint64_t len,
                      uint32_t seed);
uint8_t testhost_pattern_byte(uint64_t addr, uint32_t seed);

#endif
