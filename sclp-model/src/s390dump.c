/*
 * s390 stand-alone dump format writer and reader (see <sclp/s390dump.h>
 * for the sources).  The writer streams: 4 KiB header, memory in chunks
 * read through a callback, 16-byte end marker.  The reader validates a
 * complete in-memory image.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dumpbench/be.h>
#include <dumpbench/cpu.h>

#include <sclp/s390dump.h>

#define HOFF(f) offsetof(struct db_s390dump_hdr, f)
#define CHUNK (256u * 1024u)

static int fail(int st, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(int st, char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return st;
}

uint64_t s390dump_ns_to_tod(uint64_t ns)
{
    /* TOD bit 51 ticks every microsecond: 4096 units per us. */
    return ((ns / 1000) << 12) + ((ns % 1000) * 4096) / 1000;
}

uint64_t s390dump_file_size(uint64_t mem_size)
{
    return S390DUMP_HDR_SIZE + mem_size + S390DUMP_EM_SIZE;
}

int s390dump_info_from_host(struct s390dump_info *info,
                            const struct db_host *host)
{
    if (!info || !host) {
        return S390DUMP_E_INVALID;
    }
    memset(info, 0, sizeof(*info));
    uint64_t msize = db_host_mem_size(host) & ~(uint64_t)(S390DUMP_PAGE_SIZE - 1);
    info->mem_size = msize;
    info->mem_size_real = msize;
    info->arch = S390DUMP_ARCH_64;
    info->build_arch = S390DUMP_ARCH_64;
    info->tod = s390dump_ns_to_tod(db_host_clock_ns(host));
    info->tod_end = info->tod;
    unsigned n = db_host_cpu_count(host);
    for (unsigned i = 0; i < n && info->cpu_cnt < S390DUMP_CPU_MAX; i++) {
        struct db_s390_cpu c;
        if (db_host_cpu_get(host, i, &c, sizeof(c)) == 0 && c.online) {
            info->lc_vec[info->cpu_cnt++] = c.prefix;
        }
    }
    info->real_cpu_cnt = info->cpu_cnt;
    return S390DUMP_OK;
}

int s390dump_encode_header(const struct s390dump_info *info,
                           uint8_t out[S390DUMP_HDR_SIZE], char *err,
                           size_t errlen)
{
    if (!info || !out) {
        return fail(S390DUMP_E_INVALID, err, errlen, "NULL argument");
    }
    uint32_t page = info->page_size ? info->page_size : S390DUMP_PAGE_SIZE;
    if (page != S390DUMP_PAGE_SIZE) {
        return fail(S390DUMP_E_INVALID, err, errlen,
                    "page_size %u unsupported", page);
    }
    if (info->mem_start != 0) {
        return fail(S390DUMP_E_INVALID, err, errlen,
                    "mem_start must be 0 (zgetdump maps the image at 0)");
    }
    if (info->mem_size % page || info->mem_size / page > UINT32_MAX) {
        return fail(S390DUMP_E_INVALID, err, errlen,
                    "mem_size 0x%llx not a page multiple or too large",
                    (unsigned long long)info->mem_size);
    }
    if (info->cpu_cnt > S390DUMP_CPU_MAX) {
        return fail(S390DUMP_E_INVALID, err, errlen, "cpu_cnt %u > %u",
                    info->cpu_cnt, S390DUMP_CPU_MAX);
    }
    memset(out, 0, S390DUMP_HDR_SIZE);
    db_st_be64(out + HOFF(magic), S390DUMP_MAGIC);
    db_st_be32(out + HOFF(version), info->version ? info->version :
               (info->cpu_cnt ? S390DUMP_VERSION_CPU : S390DUMP_VERSION_NOCPU));
    db_st_be32(out + HOFF(hdr_size), S390DUMP_HDR_SIZE);
    db_st_be32(out + HOFF(dump_level),
               info->dump_level ? info->dump_level : S390DUMP_DUMP_LEVEL);
    db_st_be32(out + HOFF(page_size), page);
    db_st_be64(out + HOFF(mem_size), info->mem_size);
    db_st_be64(out + HOFF(mem_start), 0);
    db_st_be64(out + HOFF(mem_end), info->mem_size);
    db_st_be32(out + HOFF(num_pages), (uint32_t)(info->mem_size / page));
    db_st_be64(out + HOFF(tod), info->tod);
    db_st_be64(out + HOFF(cpu_id), info->cpu_id);
    db_st_be32(out + HOFF(arch), info->arch ? info->arch : S390DUMP_ARCH_64);
    db_st_be32(out + HOFF(volnr), info->volnr);
    db_st_be32(out + HOFF(build_arch),
               info->build_arch ? info->build_arch : S390DUMP_ARCH_64);
    db_st_be64(out + HOFF(mem_size_real), info->mem_size_real);
    out[HOFF(mvdump)] = info->mvdump;
    db_st_be16(out + HOFF(cpu_cnt), info->cpu_cnt);
    db_st_be16(out + HOFF(real_cpu_cnt), info->real_cpu_cnt);
    out[HOFF(zlib_version_s390)] = info->zlib_version_s390;
    db_st_be32(out + HOFF(zlib_entry_size), info->zlib_entry_size);
    db_st_be64(out + HOFF(mvdump_sign), info->mvdump_sign);
    db_st_be64(out + HOFF(mvdump_zipl_time), info->mvdump_zipl_time);
    for (unsigned i = 0; i < info->cpu_cnt; i++) {
        db_st_be32(out + HOFF(lc_vec) + 4 * i, info->lc_vec[i]);
    }
    return S390DUMP_OK;
}

int s390dump_write(const struct s390dump_info *info, s390dump_read_fn rd,
                   void *rd_opaque, s390dump_write_fn wr, void *wr_opaque,
                   char *err, size_t errlen)
{
    uint8_t hdr[S390DUMP_HDR_SIZE];
    struct db_s390dump_em em;

    if (!info || !rd || !wr) {
        return fail(S390DUMP_E_INVALID, err, errlen, "NULL argument");
    }
    int st = s390dump_encode_header(info, hdr, err, errlen);
    if (st != S390DUMP_OK) {
        return st;
    }
    if (wr(wr_opaque, hdr, sizeof(hdr)) != 0) {
        return fail(S390DUMP_E_IO, err, errlen, "writing header failed");
    }
    uint8_t *buf = malloc(CHUNK);
    if (!buf) {
        return fail(S390DUMP_E_NOMEM, err, errlen, "out of memory");
    }
    for (uint64_t off = 0; off < info->mem_size;) {
        uint64_t n = info->mem_size - off < CHUNK ? info->mem_size - off : CHUNK;
        if (rd(rd_opaque, off, buf, n) != 0) {
            free(buf);
            return fail(S390DUMP_E_IO, err, errlen,
                        "reading memory at 0x%llx failed",
                        (unsigned long long)off);
        }
        if (wr(wr_opaque, buf, (size_t)n) != 0) {
            free(buf);
            return fail(S390DUMP_E_IO, err, errlen,
                        "writing memory at file offset 0x%llx failed",
                        (unsigned long long)(S390DUMP_HDR_SIZE + off));
        }
        off += n;
    }
    free(buf);
    memcpy(em.str, "DUMP_END", 8);
    db_st_be64(em.tod, info->tod_end > info->tod ? info->tod_end : info->tod);
    if (wr(wr_opaque, &em, sizeof(em)) != 0) {
        return fail(S390DUMP_E_IO, err, errlen, "writing end marker failed");
    }
    return S390DUMP_OK;
}

static int host_rd(void *o, uint64_t addr, void *buf, uint64_t len)
{
    return db_host_read(o, addr, buf, len);
}

static int file_wr(void *o, const void *buf, size_t len)
{
    return fwrite(buf, 1, len, o) == len ? 0 : -1;
}

static int fd_wr(void *o, const void *buf, size_t len)
{
    int fd = *(int *)o;
    const uint8_t *p = buf;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

struct membuf {
    uint8_t *p;
    size_t len, cap;
};

static int mem_wr(void *o, const void *buf, size_t len)
{
    struct membuf *m = o;
    if (len > m->cap - m->len) {
        return -1;
    }
    memcpy(m->p + m->len, buf, len);
    m->len += len;
    return 0;
}

int s390dump_write_host_file(const struct s390dump_info *info,
                             const struct db_host *host, FILE *fp,
                             char *err, size_t errlen)
{
    if (!host || !fp) {
        return fail(S390DUMP_E_INVALID, err, errlen, "NULL argument");
    }
    int st = s390dump_write(info, host_rd, (void *)host, file_wr, fp, err,
                            errlen);
    if (st == S390DUMP_OK && fflush(fp) != 0) {
        return fail(S390DUMP_E_IO, err, errlen, "flush failed");
    }
    return st;
}

int s390dump_write_host_fd(const struct s390dump_info *info,
                           const struct db_host *host, int fd,
                           char *err, size_t errlen)
{
    if (!host || fd < 0) {
        return fail(S390DUMP_E_INVALID, err, errlen, "bad argument");
    }
    return s390dump_write(info, host_rd, (void *)host, fd_wr, &fd, err,
                          errlen);
}

int s390dump_write_host_mem(const struct s390dump_info *info,
                            const struct db_host *host, uint8_t **out,
                            size_t *out_len, char *err, size_t errlen)
{
    if (!info || !host || !out || !out_len) {
        return fail(S390DUMP_E_INVALID, err, errlen, "NULL argument");
    }
    uint64_t total = s390dump_file_size(info->mem_size);
    if (info->mem_size > SIZE_MAX - S390DUMP_HDR_SIZE - S390DUMP_EM_SIZE) {
        return fail(S390DUMP_E_INVALID, err, errlen, "dump too large");
    }
    struct membuf m = { malloc((size_t)total), 0, (size_t)total };
    if (!m.p) {
        return fail(S390DUMP_E_NOMEM, err, errlen, "out of memory");
    }
    int st = s390dump_write(info, host_rd, (void *)host, mem_wr, &m, err,
                            errlen);
    if (st != S390DUMP_OK) {
        free(m.p);
        return st;
    }
    *out = m.p;
    *out_len = m.len;
    return S390DUMP_OK;
}

int s390dump_decode_header(const uint8_t *buf, size_t len,
                           struct s390dump_info *info, char *err,
                           size_t errlen)
{
    struct s390dump_info tmp;

    if (!buf) {
        return fail(S390DUMP_E_INVALID, err, errlen, "NULL buffer");
    }
    if (len < 8) {
        return fail(S390DUMP_E_TRUNCATED, err, errlen,
                    "file of %zu bytes has no magic", len);
    }
    uint64_t magic = db_ld_be64(buf + HOFF(magic));
    if (magic == S390DUMP_MAGIC_EXT) {
        return fail(S390DUMP_E_NOTIMPL, err, errlen,
                    "extended (segmented) s390 dump not supported");
    }
    if (magic != S390DUMP_MAGIC) {
        return fail(S390DUMP_E_BADMAGIC, err, errlen,
                    "bad magic 0x%016llx (expected 0x%016llx)",
                    (unsigned long long)magic,
                    (unsigned long long)S390DUMP_MAGIC);
    }
    if (len < S390DUMP_HDR_SIZE) {
        return fail(S390DUMP_E_TRUNCATED, err, errlen,
                    "header truncated: %zu of %u bytes", len,
                    S390DUMP_HDR_SIZE);
    }
    memset(&tmp, 0, sizeof(tmp));
    tmp.version = db_ld_be32(buf + HOFF(version));
    uint32_t hdr_size = db_ld_be32(buf + HOFF(hdr_size));
    tmp.dump_level = db_ld_be32(buf + HOFF(dump_level));
    tmp.page_size = db_ld_be32(buf + HOFF(page_size));
    tmp.mem_size = db_ld_be64(buf + HOFF(mem_size));
    tmp.mem_start = db_ld_be64(buf + HOFF(mem_start));
    tmp.mem_end = db_ld_be64(buf + HOFF(mem_end));
    tmp.num_pages = db_ld_be32(buf + HOFF(num_pages));
    tmp.tod = db_ld_be64(buf + HOFF(tod));
    tmp.cpu_id = db_ld_be64(buf + HOFF(cpu_id));
    tmp.arch = db_ld_be32(buf + HOFF(arch));
    tmp.volnr = db_ld_be32(buf + HOFF(volnr));
    tmp.build_arch = db_ld_be32(buf + HOFF(build_arch));
    tmp.mem_size_real = db_ld_be64(buf + HOFF(mem_size_real));
    tmp.mvdump = buf[HOFF(mvdump)];
    tmp.cpu_cnt = db_ld_be16(buf + HOFF(cpu_cnt));
    tmp.real_cpu_cnt = db_ld_be16(buf + HOFF(real_cpu_cnt));
    tmp.zlib_version_s390 = buf[HOFF(zlib_version_s390)];
    tmp.zlib_entry_size = db_ld_be32(buf + HOFF(zlib_entry_size));
    tmp.mvdump_sign = db_ld_be64(buf + HOFF(mvdump_sign));
    tmp.mvdump_zipl_time = db_ld_be64(buf + HOFF(mvdump_zipl_time));

    if (hdr_size != S390DUMP_HDR_SIZE) {
        return fail(S390DUMP_E_CORRUPT, err, errlen,
                    "hdr_size 0x%x (expected 0x%x)", hdr_size,
                    S390DUMP_HDR_SIZE);
    }
    if (tmp.arch != S390DUMP_ARCH_32 && tmp.arch != S390DUMP_ARCH_64) {
        return fail(S390DUMP_E_CORRUPT, err, errlen, "arch %u invalid",
                    tmp.arch);
    }
    if (tmp.cpu_cnt > S390DUMP_CPU_MAX) {
        return fail(S390DUMP_E_CORRUPT, err, errlen, "cpu_cnt %u > %u",
                    tmp.cpu_cnt, S390DUMP_CPU_MAX);
    }
    if (tmp.page_size != S390DUMP_PAGE_SIZE) {
        return fail(S390DUMP_E_CORRUPT, err, errlen, "page_size %u invalid",
                    tmp.page_size);
    }
    if (tmp.mem_size % tmp.page_size ||
        tmp.num_pages != tmp.mem_size / tmp.page_size) {
        return fail(S390DUMP_E_CORRUPT, err, errlen,
                    "num_pages %u inconsistent with mem_size 0x%llx",
                    tmp.num_pages, (unsigned long long)tmp.mem_size);
    }
    if (tmp.zlib_version_s390 != 0) {
        return fail(S390DUMP_E_NOTIMPL, err, errlen,
                    "compressed dump (zlib_version_s390 %u) not supported",
                    tmp.zlib_version_s390);
    }
    for (unsigned i = 0; i < tmp.cpu_cnt; i++) {
        tmp.lc_vec[i] = db_ld_be32(buf + HOFF(lc_vec) + 4 * i);
    }
    if (info) {
        *info = tmp;
    }
    return S390DUMP_OK;
}

int s390dump_parse(const uint8_t *buf, size_t len, struct s390dump_info *info,
                   const uint8_t **mem, char *err, size_t errlen)
{
    struct s390dump_info tmp;

    int st = s390dump_decode_header(buf, len, &tmp, err, errlen);
    if (st != S390DUMP_OK) {
        return st;
    }
    uint64_t avail = len - S390DUMP_HDR_SIZE;
    if (tmp.mem_size > avail) {
        return fail(S390DUMP_E_TRUNCATED, err, errlen,
                    "memory image truncated: 0x%llx of 0x%llx bytes",
                    (unsigned long long)avail,
                    (unsigned long long)tmp.mem_size);
    }
    if (avail - tmp.mem_size < S390DUMP_EM_SIZE) {
        return fail(S390DUMP_E_INCOMPLETE, err, errlen,
                    "dump incomplete: end marker missing at offset 0x%llx",
                    (unsigned long long)(S390DUMP_HDR_SIZE + tmp.mem_size));
    }
    const uint8_t *em = buf + S390DUMP_HDR_SIZE + tmp.mem_size;
    if (memcmp(em + offsetof(struct db_s390dump_em, str), "DUMP_END", 8) != 0) {
        return fail(S390DUMP_E_INCOMPLETE, err, errlen,
                    "dump incomplete: no \"DUMP_END\" at offset 0x%llx",
                    (unsigned long long)(S390DUMP_HDR_SIZE + tmp.mem_size));
    }
    tmp.tod_end = db_ld_be64(em + offsetof(struct db_s390dump_em, tod));
    if (tmp.tod > tmp.tod_end) {
        return fail(S390DUMP_E_CORRUPT, err, errlen,
                    "end-marker tod 0x%llx before header tod 0x%llx",
                    (unsigned long long)tmp.tod_end,
                    (unsigned long long)tmp.tod);
    }
    if (info) {
        *info = tmp;
    }
    if (mem) {
        *mem = buf + S390DUMP_HDR_SIZE;
    }
    return S390DUMP_OK;
}

const char *s390dump_strerror(int status)
{
    switch (status) {
    case S390DUMP_OK:
        return "ok";
    case S390DUMP_E_BADMAGIC:
        return "not an s390 dump (bad magic)";
    case S390DUMP_E_TRUNCATED:
        return "truncated";
    case S390DUMP_E_INCOMPLETE:
        return "incomplete (end marker missing)";
    case S390DUMP_E_CORRUPT:
        return "corrupt header";
    case S390DUMP_E_NOTIMPL:
        return "unsupported variant";
    case S390DUMP_E_IO:
        return "I/O error";
    case S390DUMP_E_NOMEM:
        return "out of memory";
    case S390DUMP_E_INVALID:
        return "invalid argument";
    }
    return "unknown";
}
