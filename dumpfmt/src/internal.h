/*
 * libdumpfmt internals shared by the readers and writers.
 */
#ifndef DUMPFMT_INTERNAL_H
#define DUMPFMT_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dumpbench/be.h>
#include <dumpfmt/dump.h>

/* Reader-private state hung off df_dump.priv. */
struct df_priv {
    void *map;          /* read-only file mapping, or NULL */
    size_t map_len;
    void **owned;       /* buffers owned by the dump (chunk data) */
    size_t nowned;
    size_t owned_cap;
    size_t zero_cap;    /* allocated entries of df_dump.zero */
};

/* Format into err (if non-NULL) and return status. */
int df__err(struct df_err *err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Byte-order aware loads/stores (be = big-endian file). */
static inline uint16_t df_ld16(bool be, const void *p)
{
    return be ? db_ld_be16(p) : db_ld_le16(p);
}
static inline uint32_t df_ld32(bool be, const void *p)
{
    return be ? db_ld_be32(p) : db_ld_le32(p);
}
static inline uint64_t df_ld64(bool be, const void *p)
{
    return be ? db_ld_be64(p) : db_ld_le64(p);
}
static inline void df_st16(bool be, void *p, uint16_t v)
{
    if (be) {
        db_st_be16(p, v);
    } else {
        db_st_le16(p, v);
    }
}
static inline void df_st32(bool be, void *p, uint32_t v)
{
    if (be) {
        db_st_be32(p, v);
    } else {
        db_st_le32(p, v);
    }
}
static inline void df_st64(bool be, void *p, uint64_t v)
{
    if (be) {
        db_st_be64(p, v);
    } else {
        db_st_le64(p, v);
    }
}

static inline uint64_t df_roundup(uint64_t v, uint64_t a)
{
    return (v + a - 1) / a * a;
}
static inline uint64_t df_rounddown(uint64_t v, uint64_t a)
{
    return v / a * a;
}

/* True when the arch's ELF files are big-endian. */
bool df__arch_be(enum df_arch a);

/* Record a malloc'd buffer as owned by the dump (freed by df_dump_free).
 * On failure the buffer is freed and DF_ERR_SYSTEM returned. */
int df__own(struct df_dump *d, void *buf, struct df_err *err);
/* Insert a chunk whose data the dump already owns or maps (no copy). */
int df__add_chunk_ref(struct df_dump *d, uint64_t paddr, const uint8_t *data,
                      uint64_t len, struct df_err *err);
struct df_priv *df__priv(struct df_dump *d, struct df_err *err);

/* Parse an ELF note segment into d->notes (and cpus/vmcoreinfo).
 * what/base_off name the source for messages. */
int df__parse_notes(struct df_dump *d, const uint8_t *buf, uint64_t len,
                    bool be, const char *what, uint64_t base_off,
                    struct df_err *err);

/* Format readers: return DF_ERR_NOPROBE when the magic does not match. */
int df__read_elf(const char *path, const uint8_t *buf, size_t len,
                 const struct df_read_opts *opts, struct df_dump *d,
                 struct df_err *err);
int df__read_kdump(const char *path, const uint8_t *buf, size_t len,
                   const struct df_read_opts *opts, struct df_dump *d,
                   struct df_err *err);
int df__read_s390(const char *path, const uint8_t *buf, size_t len,
                  const struct df_read_opts *opts, struct df_dump *d,
                  struct df_err *err);

/* Writers behind df_write_stream / df_image_size (s NULL: size only). */
struct df_sink;
int df__elf_emit(const struct df_dump *d, struct df_sink *s, uint64_t *size,
                 struct df_err *err);
int df__s390_emit(const struct df_dump *d, struct df_sink *s, uint64_t *size,
                  struct df_err *err);

/*
 * Output sink: a file descriptor (sparse: zero blocks are skipped, the size
 * set at close), a zero-filled memory buffer (zero ranges are skipped), or
 * a callback fed with fixed-size blocks.
 */
struct df_sink {
    int fd;             /* >= 0: write to fd */
    uint8_t *buf;       /* else: zero-filled memory of cap bytes (calloc) */
    uint64_t cap;
    uint64_t off;
    const char *what;   /* path for messages */
    df_out_fn fn;       /* callback mode (fd < 0, buf == NULL) */
    void *opaque;
    uint8_t *blk;       /* blk_size bytes */
    size_t blk_size;
    size_t blk_fill;
};
/* Callback sink with a block buffer; close flushes the last block. */
int df__sink_open_cb(struct df_sink *s, size_t block, df_out_fn fn, void *opaque,
                     struct df_err *err);
/* Zero-filled memory sink of cap bytes. */
int df__sink_open_mem(struct df_sink *s, uint64_t cap, struct df_err *err);
int df__sink_write(struct df_sink *s, const void *data, uint64_t len,
                   struct df_err *err);
int df__sink_zero(struct df_sink *s, uint64_t len, struct df_err *err);
/* Copy dump memory [paddr, paddr+len) into out (zero where no chunk). */
void df__mem_fill(const struct df_dump *d, uint64_t paddr, uint8_t *out,
                  uint64_t len);
/* Write dump memory [paddr, paddr+len) to the sink, streaming chunk data
 * directly and zero-filling holes. */
int df__sink_mem(struct df_sink *s, const struct df_dump *d, uint64_t paddr,
                 uint64_t len, struct df_err *err);
/* Open path for writing (O_TRUNC) into s; finish closes it. */
int df__sink_open(struct df_sink *s, const char *path, struct df_err *err);
int df__sink_close(struct df_sink *s, int status, struct df_err *err);

#endif /* DUMPFMT_INTERNAL_H */
