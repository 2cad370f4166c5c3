/*
 * Fuzzing support: a small array-backed host (the host-ops interface of
 * <dumpbench/host.h>, strictly bounds-checked, with access counters so a
 * harness can assert "a rejected request wrote nothing"), and a reader
 * that takes typed fields from the fuzzer's input.
 *
 * Used by the libFuzzer targets in fuzz/ and by the seed generator.
 */
#ifndef FUZZ_HOST_H
#define FUZZ_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dumpbench/cpu.h>
#include <dumpbench/host.h>

enum fh_arch { FH_S390X, FH_PPC64 };

#define FH_MAX_CPUS 4u

struct fuzz_host {
    struct db_host host;          /* pass &fh->host to the model */
    enum fh_arch arch;
    uint8_t *mem;
    uint64_t mem_size;
    unsigned ncpus;
    struct db_s390_cpu s390[FH_MAX_CPUS];
    struct db_ppc64_cpu ppc[FH_MAX_CPUS];
    uint64_t now_ns;
    uint64_t writes;              /* successful mem_write calls */
    uint64_t cpu_sets;            /* successful cpu_set calls */
};

/* Zeroed memory, `ncpus` (<= FH_MAX_CPUS) online CPUs with addresses /
 * ids 0..n-1.  NULL on allocation failure. */
struct fuzz_host *fh_new(enum fh_arch arch, uint64_t mem_size, unsigned ncpus);
void fh_free(struct fuzz_host *fh);
/* Back to the state fh_new gave (memory zeroed, counters 0). */
void fh_reset(struct fuzz_host *fh);

/* Input reader: every getter returns 0 / copies zeros past the end. */
struct fz {
    const uint8_t *p;
    size_t n;
};
uint8_t fz_u8(struct fz *f);
uint16_t fz_u16(struct fz *f);
uint32_t fz_u32(struct fz *f);
uint64_t fz_u64(struct fz *f);
/* Take up to len bytes; returns how many were available (rest zero-filled). */
size_t fz_bytes(struct fz *f, void *out, size_t len);
/* Pointer to the remaining input and its length (consumes it). */
const uint8_t *fz_rest(struct fz *f, size_t *len);

/* Writers for the seed generator (big-endian, as the readers take them). */
size_t fz_put_u8(uint8_t *buf, size_t off, uint8_t v);
size_t fz_put_u16(uint8_t *buf, size_t off, uint16_t v);
size_t fz_put_u32(uint8_t *buf, size_t off, uint32_t v);
size_t fz_put_u64(uint8_t *buf, size_t off, uint64_t v);

/* abort() with a message on stderr: an invariant of the model was broken. */
void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif /* FUZZ_HOST_H */
