/*
 * Byte-order helpers for firmware ABI buffers.
 *
 * Firmware structures (SCCBs, IPL blocks, RTAS dump structures, FSF/SCSI
 * blocks) are big-endian byte arrays.  Models parse a private copy of the
 * guest block with these accessors instead of casting to packed structs,
 * so there is no alignment or host-endianness assumption anywhere.
 */
#ifndef DUMPBENCH_BE_H
#define DUMPBENCH_BE_H

#include <stdint.h>

static inline uint16_t db_ld_be16(const void *p)
{
    const uint8_t *b = p;
    return (uint16_t)((b[0] << 8) | b[1]);
}

static inline uint32_t db_ld_be32(const void *p)
{
    const uint8_t *b = p;
    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) |
           ((uint32_t)b[2] << 8) | b[3];
}

static inline uint64_t db_ld_be64(const void *p)
{
    const uint8_t *b = p;
    return ((uint64_t)db_ld_be32(b) << 32) | db_ld_be32(b + 4);
}

static inline void db_st_be16(void *p, uint16_t v)
{
    uint8_t *b = p;
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}

static inline void db_st_be32(void *p, uint32_t v)
{
    uint8_t *b = p;
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

static inline void db_st_be64(void *p, uint64_t v)
{
    uint8_t *b = p;
    db_st_be32(b, (uint32_t)(v >> 32));
    db_st_be32(b + 4, (uint32_t)v);
}

static inline uint16_t db_ld_le16(const void *p)
{
    const uint8_t *b = p;
    return (uint16_t)(b[0] | (b[1] << 8));
}

static inline uint32_t db_ld_le32(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) |
           ((uint32_t)b[3] << 24);
}

static inline uint64_t db_ld_le64(const void *p)
{
    const uint8_t *b = p;
    return (uint64_t)db_ld_le32(b) | ((uint64_t)db_ld_le32(b + 4) << 32);
}

static inline void db_st_le16(void *p, uint16_t v)
{
    uint8_t *b = p;
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
}

static inline void db_st_le32(void *p, uint32_t v)
{
    uint8_t *b = p;
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
    b[2] = (uint8_t)(v >> 16);
    b[3] = (uint8_t)(v >> 24);
}

static inline void db_st_le64(void *p, uint64_t v)
{
    uint8_t *b = p;
    db_st_le32(b, (uint32_t)v);
    db_st_le32(b + 4, (uint32_t)(v >> 32));
}

#endif /* DUMPBENCH_BE_H */
