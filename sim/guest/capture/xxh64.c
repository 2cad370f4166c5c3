/* Streaming XXH64, see xxh64.h for the source of the algorithm. */
#include <string.h>

#include "xxh64.h"

#define P1 0x9E3779B185EBCA87ull
#define P2 0xC2B2AE3D27D4EB4Full
#define P3 0x165667B19E3779F9ull
#define P4 0x85EBCA77C2B2AE63ull
#define P5 0x27D4EB2F165667C5ull

static inline uint64_t rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static inline uint64_t ld64(const uint8_t *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
           (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
           (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static inline uint32_t ld32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static inline uint64_t round64(uint64_t acc, uint64_t in)
{
    acc += in * P2;
    acc = rotl(acc, 31);
    return acc * P1;
}

static inline uint64_t merge(uint64_t acc, uint64_t v)
{
    acc ^= round64(0, v);
    return acc * P1 + P4;
}

void xxh64_init(struct xxh64 *s, uint64_t seed)
{
    memset(s, 0, sizeof(*s));
    s->seed = seed;
    s->v[0] = seed + P1 + P2;
    s->v[1] = seed + P2;
    s->v[2] = seed;
    s->v[3] = seed - P1;
}

static void stripe(uint64_t v[4], const uint8_t *p)
{
    v[0] = round64(v[0], ld64(p));
    v[1] = round64(v[1], ld64(p + 8));
    v[2] = round64(v[2], ld64(p + 16));
    v[3] = round64(v[3], ld64(p + 24));
}

void xxh64_update(struct xxh64 *s, const void *data, size_t len)
{
    const uint8_t *p = data;
    s->total += len;
    if (s->nbuf) {
        size_t take = 32 - s->nbuf;
        if (take > len) {
            take = len;
        }
        memcpy(s->buf + s->nbuf, p, take);
        s->nbuf += (unsigned)take;
        p += take;
        len -= take;
        if (s->nbuf < 32) {
            return;
        }
        stripe(s->v, s->buf);
        s->nbuf = 0;
    }
    uint64_t v[4] = { s->v[0], s->v[1], s->v[2], s->v[3] };
    while (len >= 32) {
        stripe(v, p);
        p += 32;
        len -= 32;
    }
    memcpy(s->v, v, sizeof(v));
    if (len) {
        memcpy(s->buf, p, len);
        s->nbuf = (unsigned)len;
    }
}

uint64_t xxh64_digest(const struct xxh64 *s)
{
    uint64_t h;
    if (s->total >= 32) {
        h = rotl(s->v[0], 1) + rotl(s->v[1], 7) + rotl(s->v[2], 12) +
            rotl(s->v[3], 18);
        for (int i = 0; i < 4; i++) {
            h = merge(h, s->v[i]);
        }
    } else {
        h = s->seed + P5;
    }
    h += s->total;
    const uint8_t *p = s->buf;
    unsigned n = s->nbuf;
    while (n >= 8) {
        h ^= round64(0, ld64(p));
        h = rotl(h, 27) * P1 + P4;
        p += 8;
        n -= 8;
    }
    if (n >= 4) {
        h ^= (uint64_t)ld32(p) * P1;
        h = rotl(h, 23) * P2 + P3;
        p += 4;
        n -= 4;
    }
    while (n--) {
        h ^= (uint64_t)*p++ * P5;
        h = rotl(h, 11) * P1;
    }
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

uint64_t xxh64(const void *data, size_t len, uint64_t seed)
{
    struct xxh64 s;
    xxh64_init(&s, seed);
    xxh64_update(&s, data, len);
    return xxh64_digest(&s);
}
