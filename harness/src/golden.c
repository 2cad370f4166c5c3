/*
 * Golden store (format in <harness/golden.h>).  Everything streams: the
 * image is hashed in 1 MiB blocks, compressed and decompressed with the
 * zstd streaming API, so a 1 GiB golden is never held in memory.  Images
 * are mostly zero: holes of the image file (SEEK_DATA / SEEK_HOLE) are
 * never read, all-zero pages are recorded as `zero` runs in the manifest,
 * and extracted goldens are written sparse.
 */
#include <harness/golden.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>
#include <zstd.h>

#include <dumpfmt/dump.h>

#include "util.h"

#define BLOCK (1u << 20)
#define MAN_MAX_LINE 128
#define ZBUF (128u << 10)       /* zeros fed to the hash / compressor per call */

static const uint8_t zeros[ZBUF];

static int gerr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int gerr(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return GOLDEN_ERROR;
}

void golden_paths(const char *dir, const char *name, char *img, size_t imglen,
                  char *manifest, size_t manlen)
{
    if (img)
        snprintf(img, imglen, "%s/%s.img.zst", dir, name);
    if (manifest)
        snprintf(manifest, manlen, "%s/%s.manifest", dir, name);
}

void golden_manifest_free(struct golden_manifest *m)
{
    if (!m)
        return;
    free(m->page_hash);
    free(m->page_zero);
    memset(m, 0, sizeof(*m));
}

/* Page hasher fed with arbitrary-sized pieces (data, or runs of zeros). */
struct pager {
    XXH64_state_t *all;
    uint8_t page[GOLDEN_PAGE];
    size_t fill;
    uint64_t size;
    uint64_t npages;
    uint64_t zero_hash;     /* XXH64 of a zero page */
    uint64_t cap;           /* entries allocated in collect */
    /* either collect hashes (collect != NULL) or verify against `want` */
    struct golden_manifest *collect;
    const struct golden_manifest *want;
    uint64_t bad_page;      /* first mismatching page + 1, 0 = none */
    int overflow;           /* more data than the manifest describes */
};

static int pager_init(struct pager *p)
{
    memset(p, 0, sizeof(*p));
    p->all = XXH64_createState();
    if (!p->all)
        return -1;
    XXH64_reset(p->all, 0);
    p->zero_hash = XXH64(zeros, GOLDEN_PAGE, 0);
    return 0;
}

/* One finished page: data (full or the short last one), or a zero page. */
static int pager_page(struct pager *p, const uint8_t *data, size_t len, bool zero)
{
    uint64_t idx = p->npages++;
    if (!zero && len == GOLDEN_PAGE && df_is_zero(data, len))
        zero = true;
    uint64_t h = zero ? p->zero_hash : XXH64(data, len, 0);
    if (p->collect) {
        struct golden_manifest *m = p->collect;
        if (idx >= p->cap) {
            uint64_t cap = p->cap ? p->cap * 2 : 1024;
            uint64_t *nh = realloc(m->page_hash, cap * sizeof(*nh));
            if (!nh)
                return -1;
            m->page_hash = nh;
            uint8_t *nz = realloc(m->page_zero, cap);
            if (!nz)
                return -1;
            m->page_zero = nz;
            p->cap = cap;
        }
        m->page_hash[idx] = h;
        m->page_zero[idx] = zero;
        m->npages = idx + 1;
    } else if (p->want) {
        const struct golden_manifest *w = p->want;
        if (idx >= w->npages)
            p->overflow = 1;
        else if (!p->bad_page &&
                 (w->page_zero && w->page_zero[idx] ? !zero : w->page_hash[idx] != h))
            p->bad_page = idx + 1;
    }
    return 0;
}

static int pager_feed(struct pager *p, const uint8_t *d, size_t n)
{
    XXH64_update(p->all, d, n);
    p->size += n;
    while (n) {
        if (p->fill == 0 && n >= GOLDEN_PAGE) {
            /* whole page straight from the input */
            if (pager_page(p, d, GOLDEN_PAGE, false) < 0)
                return -1;
            d += GOLDEN_PAGE;
            n -= GOLDEN_PAGE;
            continue;
        }
        size_t take = GOLDEN_PAGE - p->fill;
        if (take > n)
            take = n;
        memcpy(p->page + p->fill, d, take);
        p->fill += take;
        d += take;
        n -= take;
        if (p->fill == GOLDEN_PAGE) {
            p->fill = 0;
            if (pager_page(p, p->page, GOLDEN_PAGE, false) < 0)
                return -1;
        }
    }
    return 0;
}

/* n zero bytes (a hole of the image file): whole pages without copying. */
static int pager_zero(struct pager *p, uint64_t n)
{
    while (n) {
        if (p->fill == 0 && n >= GOLDEN_PAGE) {
            uint64_t k = n / GOLDEN_PAGE;
            uint64_t bytes = k * GOLDEN_PAGE;
            for (uint64_t left = bytes; left;) {
                size_t c = left < ZBUF ? (size_t)left : ZBUF;
                XXH64_update(p->all, zeros, c);
                left -= c;
            }
            p->size += bytes;
            for (uint64_t i = 0; i < k; i++)
                if (pager_page(p, NULL, GOLDEN_PAGE, true) < 0)
                    return -1;
            n -= bytes;
            continue;
        }
        size_t take = GOLDEN_PAGE - p->fill;
        if (take > n)
            take = (size_t)n;
        if (pager_feed(p, zeros, take) < 0)
            return -1;
        n -= take;
    }
    return 0;
}

static int pager_end(struct pager *p, uint64_t *hash)
{
    int rc = 0;
    if (p->fill) {
        rc = pager_page(p, p->page, p->fill, false);
        p->fill = 0;
    }
    *hash = XXH64_digest(p->all);
    XXH64_freeState(p->all);
    p->all = NULL;
    return rc;
}

/*
 * Next piece of an image file from pos: a hole (*zero = true, nothing
 * read, length up to the next data) or up to bs bytes of data read into
 * buf.  Returns the length, 0 at EOF, -1 on a read error (errno).
 */
static int64_t next_piece(int fd, uint64_t size, uint64_t pos, uint8_t *buf, size_t bs,
                          bool *zero)
{
    *zero = false;
    if (pos >= size)
        return 0;
    off_t d = lseek(fd, (off_t)pos, SEEK_DATA);
    if (d < 0 && errno == ENXIO)
        d = (off_t)size;                        /* hole up to EOF */
    else if (d < 0)
        d = (off_t)pos;                         /* no SEEK_DATA: all data */
    if ((uint64_t)d > pos) {
        *zero = true;
        return (int64_t)(((uint64_t)d < size ? (uint64_t)d : size) - pos);
    }
    off_t h = lseek(fd, (off_t)pos, SEEK_HOLE);
    uint64_t end = h < 0 || (uint64_t)h > size ? size : (uint64_t)h;
    if (end <= pos)
        end = size;
    size_t n = end - pos < bs ? (size_t)(end - pos) : bs;
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, buf + got, n - got, (off_t)(pos + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0) {
            errno = EIO;                        /* shrank under us */
            return -1;
        }
        got += (size_t)r;
    }
    return (int64_t)n;
}

int golden_hash_file(const char *path, struct golden_manifest *m, char *err, size_t errlen)
{
    memset(m, 0, sizeof(*m));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return gerr(err, errlen, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return gerr(err, errlen, "%s: stat: %s", path, strerror(e));
    }
    uint8_t *buf = malloc(BLOCK);
    struct pager pg;
    if (!buf || pager_init(&pg) < 0) {
        free(buf);
        close(fd);
        return gerr(err, errlen, "%s: out of memory", path);
    }
    pg.collect = m;
    int rc = 0;
    uint64_t pos = 0, size = (uint64_t)st.st_size;
    for (;;) {
        bool zero;
        int64_t n = next_piece(fd, size, pos, buf, BLOCK, &zero);
        if (n < 0) {
            rc = gerr(err, errlen, "%s: read: %s", path, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        if ((zero ? pager_zero(&pg, (uint64_t)n) : pager_feed(&pg, buf, (size_t)n)) < 0) {
            rc = gerr(err, errlen, "%s: out of memory", path);
            break;
        }
        pos += (uint64_t)n;
    }
    uint64_t h;
    if (pager_end(&pg, &h) < 0 && rc == 0)
        rc = gerr(err, errlen, "%s: out of memory", path);
    free(buf);
    close(fd);
    if (rc < 0) {
        golden_manifest_free(m);
        return rc;
    }
    m->size = pg.size;
    m->hash = h;
    return GOLDEN_OK;
}

static int parse_hex64(const char *s, uint64_t *out)
{
    if (strlen(s) != 16)
        return -1;
    uint64_t v = 0;
    for (int i = 0; i < 16; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9') d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') d = (unsigned)(c - 'a' + 10);
        else return -1;
        v = (v << 4) | d;
    }
    *out = v;
    return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
    if (!*s || strlen(s) > 20)
        return -1;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int golden_read_manifest(const char *dir, const char *name, struct golden_manifest *m,
                         char *err, size_t errlen)
{
    memset(m, 0, sizeof(*m));
    if (!hu_name_ok(name))
        return gerr(err, errlen, "bad golden name '%s'", name ? name : "");
    char path[4096];
    golden_paths(dir, name, NULL, 0, path, sizeof(path));
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return GOLDEN_MISSING;
        return gerr(err, errlen, "%s: %s", path, strerror(errno));
    }
    char line[MAN_MAX_LINE + 2];
    int lineno = 0, rc = GOLDEN_OK;
    uint64_t seen = 0;
    bool have_size = false, have_hash = false, have_pages = false;
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        size_t l = strlen(line);
        if (l && line[l - 1] == '\n')
            line[--l] = '\0';
        else if (!feof(f)) {
            rc = gerr(err, errlen, "%s:%d: line too long", path, lineno);
            break;
        }
        char a[32], b[32], c[32], extra[2];
        int nf = sscanf(line, "%31s %31s %31s %1s", a, b, c, extra);
        uint64_t v, h;
        if (lineno == 1) {
            if (nf != 2 || strcmp(a, "dumpbench-golden") != 0 || parse_u64(b, &v) < 0) {
                rc = gerr(err, errlen, "%s:1: not a dumpbench golden manifest", path);
                break;
            }
            if (v != GOLDEN_VERSION && v != 1) {
                rc = gerr(err, errlen, "%s:1: unsupported manifest version %" PRIu64, path, v);
                break;
            }
        } else if (nf == 2 && strcmp(a, "size") == 0 && !have_size && parse_u64(b, &v) == 0) {
            m->size = v;
            have_size = true;
        } else if (nf == 2 && strcmp(a, "xxh64") == 0 && !have_hash && parse_hex64(b, &h) == 0) {
            m->hash = h;
            have_hash = true;
        } else if (nf == 2 && strcmp(a, "pages") == 0 && !have_pages && have_size &&
                   parse_u64(b, &v) == 0) {
            uint64_t want = m->size / GOLDEN_PAGE + (m->size % GOLDEN_PAGE ? 1 : 0);
            if (v != want) {
                rc = gerr(err, errlen, "%s:%d: pages %" PRIu64 " does not match size %" PRIu64,
                          path, lineno, v, m->size);
                break;
            }
            m->npages = v;
            m->page_hash = calloc(v ? v : 1, sizeof(uint64_t));
            m->page_zero = calloc(v ? v : 1, 1);
            if (!m->page_hash || !m->page_zero) {
                rc = gerr(err, errlen, "%s: out of memory", path);
                break;
            }
            have_pages = true;
        } else if (nf == 3 && strcmp(a, "page") == 0 && have_pages &&
                   parse_u64(b, &v) == 0 && parse_hex64(c, &h) == 0) {
            if (v != seen || v >= m->npages) {
                rc = gerr(err, errlen, "%s:%d: page %" PRIu64 " out of order (expected %" PRIu64 ")",
                          path, lineno, v, seen);
                break;
            }
            m->page_hash[v] = h;
            seen++;
        } else if (nf == 3 && strcmp(a, "zero") == 0 && have_pages &&
                   parse_u64(b, &v) == 0 && parse_u64(c, &h) == 0) {
            /* h = COUNT full pages of zeros from page v */
            uint64_t full = m->size / GOLDEN_PAGE;
            if (v != seen || h == 0 || h > full || v > full - h) {
                rc = gerr(err, errlen, "%s:%d: zero %" PRIu64 " %" PRIu64 " out of order or "
                          "beyond the full pages (expected page %" PRIu64 ")",
                          path, lineno, v, h, seen);
                break;
            }
            uint64_t zh = XXH64(zeros, GOLDEN_PAGE, 0);
            for (uint64_t i = v; i < v + h; i++) {
                m->page_hash[i] = zh;
                m->page_zero[i] = 1;
            }
            seen += h;
        } else {
            rc = gerr(err, errlen, "%s:%d: malformed line '%.60s'", path, lineno, line);
            break;
        }
    }
    if (rc == GOLDEN_OK && ferror(f))
        rc = gerr(err, errlen, "%s: read error", path);
    fclose(f);
    if (rc == GOLDEN_OK && (!have_size || !have_hash || !have_pages))
        rc = gerr(err, errlen, "%s: incomplete manifest (missing %s)", path,
                  !have_size ? "size" : !have_hash ? "xxh64" : "pages");
    if (rc == GOLDEN_OK && seen != m->npages)
        rc = gerr(err, errlen, "%s: %" PRIu64 " pages described, expected %" PRIu64, path, seen,
                  m->npages);
    if (rc != GOLDEN_OK)
        golden_manifest_free(m);
    return rc;
}

/* Decompress + verify; write to out_path when non-NULL. */
static int extract(const char *dir, const char *name, const char *out_path,
                   char *err, size_t errlen)
{
    struct golden_manifest m;
    int rc = golden_read_manifest(dir, name, &m, err, errlen);
    char img[4096];
    golden_paths(dir, name, img, sizeof(img), NULL, 0);
    if (rc == GOLDEN_MISSING) {
        if (access(img, F_OK) == 0)
            return gerr(err, errlen, "golden %s: %s exists but its manifest is missing", name, img);
        return GOLDEN_MISSING;
    }
    if (rc != GOLDEN_OK)
        return rc;
    FILE *in = fopen(img, "rb");
    if (!in) {
        golden_manifest_free(&m);
        return gerr(err, errlen, "golden %s: %s: %s", name, img, strerror(errno));
    }
    int out = -1;
    if (out_path) {
        /* a new inode: truncating an old image would make ext4 flush it */
        unlink(out_path);
        out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (out < 0) {
            fclose(in);
            golden_manifest_free(&m);
            return gerr(err, errlen, "%s: %s", out_path, strerror(errno));
        }
    }
    size_t inl = ZSTD_DStreamInSize(), outl = ZSTD_DStreamOutSize();
    uint8_t *ib = malloc(inl), *ob = malloc(outl);
    ZSTD_DStream *ds = ZSTD_createDStream();
    struct pager pg;
    bool pg_ok = pager_init(&pg) == 0;
    pg.want = &m;
    rc = GOLDEN_OK;
    if (!ib || !ob || !ds || !pg_ok) {
        rc = gerr(err, errlen, "golden %s: out of memory", name);
        goto out;
    }
    ZSTD_initDStream(ds);
    size_t last = 0;
    bool any_in = false;
    for (;;) {
        size_t n = fread(ib, 1, inl, in);
        if (n == 0) {
            if (ferror(in))
                rc = gerr(err, errlen, "golden %s: read error on %s", name, img);
            break;
        }
        any_in = true;
        ZSTD_inBuffer zin = { ib, n, 0 };
        while (zin.pos < zin.size) {
            ZSTD_outBuffer zout = { ob, outl, 0 };
            last = ZSTD_decompressStream(ds, &zout, &zin);
            if (ZSTD_isError(last)) {
                rc = gerr(err, errlen, "golden %s corrupt: %s: zstd: %s", name, img,
                          ZSTD_getErrorName(last));
                goto out;
            }
            if (pager_feed(&pg, ob, zout.pos) < 0) {
                rc = gerr(err, errlen, "golden %s: out of memory", name);
                goto out;
            }
            if (pg.size > m.size) {
                rc = gerr(err, errlen, "golden %s corrupt: image longer than the manifest size %"
                          PRIu64, name, m.size);
                goto out;
            }
            if (out >= 0 && zout.pos &&
                df_pwrite_sparse(out, ob, zout.pos, pg.size - zout.pos) != 0) {
                rc = gerr(err, errlen, "%s: write: %s", out_path, strerror(errno));
                goto out;
            }
        }
    }
    if (rc != GOLDEN_OK)
        goto out;
    /* drain any output still buffered in the decoder */
    while (last != 0 && any_in) {
        ZSTD_inBuffer zin = { ib, 0, 0 };
        ZSTD_outBuffer zout = { ob, outl, 0 };
        last = ZSTD_decompressStream(ds, &zout, &zin);
        if (ZSTD_isError(last) || zout.pos == 0)
            break;
        if (pager_feed(&pg, ob, zout.pos) < 0 ||
            (out >= 0 && df_pwrite_sparse(out, ob, zout.pos, pg.size - zout.pos) != 0)) {
            rc = gerr(err, errlen, "golden %s: write or memory error", name);
            goto out;
        }
    }
    uint64_t h;
    if (pager_end(&pg, &h) < 0) {
        rc = gerr(err, errlen, "golden %s: out of memory", name);
        goto out;
    }
    if (!any_in || last != 0) {
        rc = gerr(err, errlen, "golden %s corrupt: %s is truncated (incomplete zstd frame)",
                  name, img);
    } else if (pg.bad_page) {
        uint64_t idx = pg.bad_page - 1;
        rc = gerr(err, errlen, "golden %s corrupt: page %" PRIu64 " (offset 0x%" PRIx64
                  ") does not match its manifest hash", name, idx, idx * GOLDEN_PAGE);
    } else if (pg.size != m.size) {
        rc = gerr(err, errlen, "golden %s corrupt: decompressed %" PRIu64
                  " bytes, manifest says %" PRIu64, name, pg.size, m.size);
    } else if (h != m.hash) {
        rc = gerr(err, errlen, "golden %s corrupt: image hash %016" PRIx64
                  " does not match manifest %016" PRIx64, name, h, m.hash);
    }
out:
    if (pg.all)
        XXH64_freeState(pg.all);
    ZSTD_freeDStream(ds);
    free(ib);
    free(ob);
    fclose(in);
    if (out >= 0) {
        /* zero pages at the end were skipped: the size comes from here */
        if (rc == GOLDEN_OK && ftruncate(out, (off_t)m.size) != 0)
            rc = gerr(err, errlen, "%s: truncate: %s", out_path, strerror(errno));
        if (close(out) != 0 && rc == GOLDEN_OK)
            rc = gerr(err, errlen, "%s: close: %s", out_path, strerror(errno));
        if (rc != GOLDEN_OK)
            unlink(out_path);
    }
    golden_manifest_free(&m);
    return rc;
}

int golden_extract(const char *dir, const char *name, const char *out_path,
                   char *err, size_t errlen)
{
    if (!out_path)
        return gerr(err, errlen, "golden_extract: no output path");
    return extract(dir, name, out_path, err, errlen);
}

int golden_verify(const char *dir, const char *name, char *err, size_t errlen)
{
    return extract(dir, name, NULL, err, errlen);
}

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static int write_full(int fd, const uint8_t *b, size_t n)
{
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, b + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        off += (size_t)w;
    }
    return 0;
}

/* Feed one input buffer to the compressor (mode e_continue or e_end). */
static int zfeed(ZSTD_CCtx *cc, int fd, uint8_t *ob, size_t outl, const void *in, size_t n,
                 ZSTD_EndDirective mode, char *err, size_t errlen)
{
    ZSTD_inBuffer zin = { in, n, 0 };
    for (;;) {
        ZSTD_outBuffer zout = { ob, outl, 0 };
        size_t left = ZSTD_compressStream2(cc, &zout, &zin, mode);
        if (ZSTD_isError(left))
            return gerr(err, errlen, "zstd: %s", ZSTD_getErrorName(left));
        if (write_full(fd, ob, zout.pos) < 0)
            return gerr(err, errlen, "write: %s", strerror(errno));
        if (mode == ZSTD_e_end ? left == 0 : zin.pos == zin.size)
            return 0;
    }
}

/* Compress image_path into an open fd (streaming; holes fed as zeros). */
static int compress_to(const char *image_path, int fd, char *err, size_t errlen)
{
    int in = open(image_path, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return gerr(err, errlen, "%s: %s", image_path, strerror(errno));
    struct stat st;
    if (fstat(in, &st) != 0) {
        int e = errno;
        close(in);
        return gerr(err, errlen, "%s: stat: %s", image_path, strerror(e));
    }
    size_t outl = ZSTD_CStreamOutSize();
    uint8_t *ib = malloc(BLOCK), *ob = malloc(outl);
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    int rc = 0;
    if (!ib || !ob || !cc) {
        rc = gerr(err, errlen, "out of memory");
        goto out;
    }
    ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, 3);
    ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
    ZSTD_CCtx_setPledgedSrcSize(cc, (unsigned long long)st.st_size);
    uint64_t pos = 0, size = (uint64_t)st.st_size;
    for (;;) {
        bool zero;
        int64_t n = next_piece(in, size, pos, ib, BLOCK, &zero);
        if (n < 0) {
            rc = gerr(err, errlen, "%s: read: %s", image_path, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        if (zero) {
            for (uint64_t left = (uint64_t)n; left && rc == 0;) {
                size_t c = left < ZBUF ? (size_t)left : ZBUF;
                rc = zfeed(cc, fd, ob, outl, zeros, c, ZSTD_e_continue, err, errlen);
                left -= c;
            }
        } else {
            rc = zfeed(cc, fd, ob, outl, ib, (size_t)n, ZSTD_e_continue, err, errlen);
        }
        if (rc)
            goto out;
        pos += (uint64_t)n;
    }
    rc = zfeed(cc, fd, ob, outl, NULL, 0, ZSTD_e_end, err, errlen);
out:
    ZSTD_freeCCtx(cc);
    free(ib);
    free(ob);
    close(in);
    return rc;
}

static int write_manifest(int fd, const struct golden_manifest *m)
{
    FILE *f = fdopen(dup(fd), "w");
    if (!f)
        return -1;
    fprintf(f, "dumpbench-golden %d\nsize %" PRIu64 "\nxxh64 %016" PRIx64 "\npages %" PRIu64 "\n",
            GOLDEN_VERSION, m->size, m->hash, m->npages);
    for (uint64_t i = 0; i < m->npages;) {
        if (m->page_zero && m->page_zero[i]) {
            uint64_t j = i;
            while (j < m->npages && m->page_zero[j])
                j++;
            fprintf(f, "zero %" PRIu64 " %" PRIu64 "\n", i, j - i);
            i = j;
        } else {
            fprintf(f, "page %" PRIu64 " %016" PRIx64 "\n", i, m->page_hash[i]);
            i++;
        }
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return -1;
    return 0;
}

static void describe_change(const char *name, const struct golden_manifest *old,
                            const struct golden_manifest *nw, char *msg, size_t msglen)
{
    uint64_t common = old->npages < nw->npages ? old->npages : nw->npages;
    uint64_t changed = 0;
    char first[160] = "";
    size_t fl = 0;
    int shown = 0;
    uint64_t most = old->npages > nw->npages ? old->npages : nw->npages;
    for (uint64_t i = 0; i < most; i++) {
        bool diff = i >= common || old->page_hash[i] != nw->page_hash[i];
        if (!diff)
            continue;
        changed++;
        if (shown < 5 && fl < sizeof(first)) {
            int w = snprintf(first + fl, sizeof(first) - fl, "%s0x%" PRIx64, shown ? " " : "",
                             i * GOLDEN_PAGE);
            if (w > 0)
                fl += (size_t)w;
            shown++;
        }
    }
    size_t ml = 0;
    int w = snprintf(msg, msglen, "golden %s: %" PRIu64 " of %" PRIu64 " pages changed",
                     name, changed, most);
    if (w > 0)
        ml = (size_t)w;
    if (changed && ml < msglen) {
        w = snprintf(msg + ml, msglen - ml, " (first at %s%s)", first, changed > 5 ? " ..." : "");
        if (w > 0)
            ml += (size_t)w;
    }
    if (old->size != nw->size && ml < msglen)
        snprintf(msg + ml, msglen - ml, "; size %" PRIu64 " -> %" PRIu64, old->size, nw->size);
}

int golden_update(const char *dir, const char *name, const char *image_path,
                  int *changed, char *msg, size_t msglen, char *err, size_t errlen)
{
    if (changed)
        *changed = 0;
    if (msg && msglen)
        msg[0] = '\0';
    if (!hu_name_ok(name))
        return gerr(err, errlen, "bad golden name '%s'", name ? name : "");
    if (hu_mkdir_p(dir) < 0)
        return gerr(err, errlen, "%s: %s", dir, strerror(errno));
    struct golden_manifest nw, old;
    int rc = golden_hash_file(image_path, &nw, err, errlen);
    if (rc != GOLDEN_OK)
        return rc;
    char oerr[512];
    int orc = golden_read_manifest(dir, name, &old, oerr, sizeof(oerr));
    bool have_old = orc == GOLDEN_OK;
    if (have_old && old.size == nw.size && old.hash == nw.hash &&
        golden_verify(dir, name, oerr, sizeof(oerr)) == GOLDEN_OK) {
        bool same = true;
        for (uint64_t i = 0; i < nw.npages && same; i++)
            same = old.page_hash[i] == nw.page_hash[i];
        if (same) {
            if (msg)
                snprintf(msg, msglen, "golden %s: unchanged", name);
            golden_manifest_free(&old);
            golden_manifest_free(&nw);
            return GOLDEN_OK;
        }
    }
    char img[4096], man[4096], timg[4200], tman[4200];
    golden_paths(dir, name, img, sizeof(img), man, sizeof(man));
    snprintf(timg, sizeof(timg), "%s/.%s.img.zst.XXXXXX", dir, name);
    snprintf(tman, sizeof(tman), "%s/.%s.manifest.XXXXXX", dir, name);
    int fi = mkstemp(timg);
    int fm = fi >= 0 ? mkstemp(tman) : -1;
    if (fi < 0 || fm < 0) {
        rc = gerr(err, errlen, "%s: cannot create temp file: %s", dir, strerror(errno));
        if (fi >= 0) {
            close(fi);
            unlink(timg);
        }
        goto out;
    }
    rc = compress_to(image_path, fi, err, errlen);
    if (rc == 0 && write_manifest(fm, &nw) < 0)
        rc = gerr(err, errlen, "%s: write: %s", tman, strerror(errno));
    if (rc == 0 && (fsync(fi) < 0 || fsync(fm) < 0))
        rc = gerr(err, errlen, "fsync: %s", strerror(errno));
    fchmod(fi, 0644);
    fchmod(fm, 0644);
    close(fi);
    close(fm);
    if (rc == 0 && rename(timg, img) < 0)
        rc = gerr(err, errlen, "rename %s: %s", img, strerror(errno));
    if (rc == 0 && rename(tman, man) < 0)
        rc = gerr(err, errlen, "rename %s: %s", man, strerror(errno));
    if (rc != 0) {
        unlink(timg);
        unlink(tman);
        goto out;
    }
    fsync_dir(dir);
    if (changed)
        *changed = 1;
    if (msg) {
        if (have_old)
            describe_change(name, &old, &nw, msg, msglen);
        else if (orc == GOLDEN_ERROR)
            snprintf(msg, msglen, "golden %s: replaced an unreadable golden (%s) with %" PRIu64
                     " bytes, %" PRIu64 " pages", name, oerr, nw.size, nw.npages);
        else
            snprintf(msg, msglen, "golden %s: new (%" PRIu64 " bytes, %" PRIu64 " pages)",
                     name, nw.size, nw.npages);
    }
out:
    if (have_old)
        golden_manifest_free(&old);
    golden_manifest_free(&nw);
    return rc == 0 ? GOLDEN_OK : GOLDEN_ERROR;
}
