/*
 * Streaming XXH64 (seed 0 in dbcapture), written from the public xxHash
 * specification (Cyan4973/xxHash doc/xxhash_spec.md, "XXH64 algorithm").
 * Input bytes are read little-endian on every host, so the digest matches
 * libxxhash's XXH64() on the harness side (cross-checked in
 * harness/tests/test_capture_record.c).
 */
#ifndef DBCAPTURE_XXH64_H
#define DBCAPTURE_XXH64_H

#include <stddef.h>
#include <stdint.h>

struct xxh64 {
    uint64_t total;
    uint64_t v[4];
    uint8_t buf[32];
    unsigned nbuf;
    uint64_t seed;
};

void xxh64_init(struct xxh64 *s, uint64_t seed);
void xxh64_update(struct xxh64 *s, const void *data, size_t len);
uint64_t xxh64_digest(const struct xxh64 *s);
uint64_t xxh64(const void *data, size_t len, uint64_t seed);

#endif /* DBCAPTURE_XXH64_H */
