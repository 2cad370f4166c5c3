/* dbcapture result record reader: see harness/capture_record.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>

#include <xxhash.h>

#include <dumpbench/be.h>
#include <harness/capture_record.h>

#include "../../sim/guest/capture/record.h"

_Static_assert(CAPTURE_RECORD_SIZE == DBC_REC_SIZE, "one record size");
_Static_assert(sizeof(((struct capture_record *)0)->reason) == DBC_REASON_MAX,
               "reason buffer holds the record's reason field");

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

const char *capture_status_name(uint32_t status)
{
    static const char *const names[] = { "complete", "incomplete", "failed" };
    static _Thread_local char buf[24];
    if (status < 3) {
        return names[status];
    }
    snprintf(buf, sizeof(buf), "status-%" PRIu32, status);
    return buf;
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i]) {
            return false;
        }
    }
    return true;
}

int capture_record_parse(const uint8_t *rec, size_t len, uint64_t image_size,
                         struct capture_record *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (!rec || len != DBC_REC_SIZE) {
        return fail(err, errlen, "capture record: %zu bytes, expected %d", len,
                    DBC_REC_SIZE);
    }
    if (memcmp(rec + DBC_REC_OFF_MAGIC, DBC_REC_MAGIC, 8) != 0) {
        char m[9];
        for (int i = 0; i < 8; i++) {
            uint8_t ch = rec[DBC_REC_OFF_MAGIC + i];
            m[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '.';
        }
        m[8] = '\0';
        return fail(err, errlen, "capture record: magic \"%s\" at offset 0x%x, "
                    "expected \"%s\" (no dbcapture record: the tool never ran "
                    "or never got to write it)", m, DBC_REC_OFF_MAGIC, DBC_REC_MAGIC);
    }
    uint8_t tmp[DBC_REC_SIZE];
    memcpy(tmp, rec, sizeof(tmp));
    memset(tmp + DBC_REC_OFF_REC_HASH, 0, 8);
    uint64_t want = db_ld_be64(rec + DBC_REC_OFF_REC_HASH);
    uint64_t got = (uint64_t)XXH64(tmp, sizeof(tmp), 0);
    if (want != got) {
        return fail(err, errlen, "capture record: record_hash %016" PRIx64 " at "
                    "offset 0x%x does not match the record (%016" PRIx64 "): "
                    "torn or corrupt", want, DBC_REC_OFF_REC_HASH, got);
    }
    out->version = db_ld_be32(rec + DBC_REC_OFF_VERSION);
    out->status = db_ld_be32(rec + DBC_REC_OFF_STATUS);
    out->data_size = db_ld_be64(rec + DBC_REC_OFF_DATA_SIZE);
    out->data_hash = db_ld_be64(rec + DBC_REC_OFF_DATA_HASH);
    out->src_expected = db_ld_be64(rec + DBC_REC_OFF_SRC_EXPECTED);
    out->src_copied = db_ld_be64(rec + DBC_REC_OFF_SRC_COPIED);
    out->err_offset = db_ld_be64(rec + DBC_REC_OFF_ERR_OFFSET);
    out->err_errno = db_ld_be32(rec + DBC_REC_OFF_ERR_ERRNO);
    out->format = db_ld_be32(rec + DBC_REC_OFF_FORMAT);
    out->flags = db_ld_be32(rec + DBC_REC_OFF_FLAGS);
    uint32_t rlen = db_ld_be32(rec + DBC_REC_OFF_REASON_LEN);
    out->dest_size = db_ld_be64(rec + DBC_REC_OFF_DEST_SIZE);
    if (out->version != DBC_REC_VERSION) {
        return fail(err, errlen, "capture record: version %" PRIu32 " at offset "
                    "0x%x, this reader knows %u", out->version,
                    DBC_REC_OFF_VERSION, DBC_REC_VERSION);
    }
    if (out->status > DBC_STATUS_FAILED) {
        return fail(err, errlen, "capture record: status %" PRIu32 " at offset "
                    "0x%x, expected 0 (complete), 1 (incomplete) or 2 (failed)",
                    out->status, DBC_REC_OFF_STATUS);
    }
    if (out->format > DBC_FORMAT_S390) {
        return fail(err, errlen, "capture record: format %" PRIu32 " at offset "
                    "0x%x, expected 0 (elf) or 1 (s390)", out->format,
                    DBC_REC_OFF_FORMAT);
    }
    if (out->flags & ~DBC_FLAGS_KNOWN) {
        return fail(err, errlen, "capture record: unknown flags 0x%" PRIx32 " at "
                    "offset 0x%x", out->flags, DBC_REC_OFF_FLAGS);
    }
    if (rlen >= DBC_REASON_MAX) {
        return fail(err, errlen, "capture record: reason_len %" PRIu32 " at "
                    "offset 0x%x, must be < %d", rlen, DBC_REC_OFF_REASON_LEN,
                    DBC_REASON_MAX);
    }
    const uint8_t *reason = rec + DBC_REC_OFF_REASON;
    if (memchr(reason, 0, rlen) || !all_zero(reason + rlen, DBC_REASON_MAX - rlen)) {
        return fail(err, errlen, "capture record: reason at offset 0x%x is not "
                    "%" PRIu32 " non-NUL bytes followed by zero padding",
                    DBC_REC_OFF_REASON, rlen);
    }
    if (!all_zero(rec + DBC_REC_OFF_REC_HASH + 8,
                  DBC_REC_OFF_REASON - DBC_REC_OFF_REC_HASH - 8) ||
        !all_zero(rec + DBC_REC_OFF_REASON + DBC_REASON_MAX,
                  DBC_REC_SIZE - DBC_REC_OFF_REASON - DBC_REASON_MAX)) {
        return fail(err, errlen, "capture record: reserved bytes (0x%x..0x%x, "
                    "0x%x..0x%x) are not zero", DBC_REC_OFF_REC_HASH + 8,
                    DBC_REC_OFF_REASON - 1, DBC_REC_OFF_REASON + DBC_REASON_MAX,
                    DBC_REC_SIZE - 1);
    }
    memcpy(out->reason, reason, rlen);
    out->reason[rlen] = '\0';
    if (out->status == DBC_STATUS_COMPLETE) {
        if (rlen != 0 || !(out->flags & DBC_FLAG_VERIFIED) ||
            out->err_offset != DBC_NO_OFFSET || out->err_errno != 0) {
            return fail(err, errlen, "capture record: status complete but reason "
                        "\"%s\", flags 0x%" PRIx32 " (verified bit %s), error "
                        "offset 0x%" PRIx64 ", errno %" PRIu32 ": inconsistent",
                        out->reason, out->flags,
                        out->flags & DBC_FLAG_VERIFIED ? "set" : "clear",
                        out->err_offset, out->err_errno);
        }
        if (out->format == DBC_FORMAT_ELF && (out->src_copied != out->data_size ||
                                              out->src_expected != out->data_size)) {
            return fail(err, errlen, "capture record: complete ELF copy but "
                        "data_size %" PRIu64 ", src_expected %" PRIu64 ", "
                        "src_copied %" PRIu64 " differ", out->data_size,
                        out->src_expected, out->src_copied);
        }
    } else if (rlen == 0) {
        return fail(err, errlen, "capture record: status %s without a reason",
                    capture_status_name(out->status));
    }
    if (out->src_copied > out->src_expected && out->src_expected) {
        return fail(err, errlen, "capture record: src_copied %" PRIu64 " at offset "
                    "0x%x exceeds src_expected %" PRIu64, out->src_copied,
                    DBC_REC_OFF_SRC_COPIED, out->src_expected);
    }
    if ((out->flags & DBC_FLAG_RELEASED) && !(out->flags & DBC_FLAG_RELEASE_REQ)) {
        return fail(err, errlen, "capture record: flags 0x%" PRIx32 ": released "
                    "without a release request", out->flags);
    }
    if (image_size) {
        if (out->dest_size != image_size) {
            return fail(err, errlen, "capture record: dest_size %" PRIu64 " at "
                        "offset 0x%x, but the image has %" PRIu64 " bytes",
                        out->dest_size, DBC_REC_OFF_DEST_SIZE, image_size);
        }
        if (out->data_size > image_size - DBC_REC_SIZE) {
            return fail(err, errlen, "capture record: data_size %" PRIu64 " at "
                        "offset 0x%x overlaps the record (image %" PRIu64 " bytes)",
                        out->data_size, DBC_REC_OFF_DATA_SIZE, image_size);
        }
    }
    return 0;
}

static int image_size(int fd, const char *path, uint64_t *size, char *err,
                      size_t errlen)
{
    struct stat st;
    if (fstat(fd, &st) < 0) {
        return fail(err, errlen, "%s: stat: %s", path, strerror(errno));
    }
    if (S_ISBLK(st.st_mode)) {
        if (ioctl(fd, BLKGETSIZE64, size) < 0) {
            return fail(err, errlen, "%s: BLKGETSIZE64: %s", path, strerror(errno));
        }
        return 0;
    }
    if (!S_ISREG(st.st_mode)) {
        return fail(err, errlen, "%s: neither a regular file nor a block device",
                    path);
    }
    *size = (uint64_t)st.st_size;
    return 0;
}

static int pread_all(int fd, uint8_t *p, size_t len, uint64_t off)
{
    size_t done = 0;
    while (done < len) {
        ssize_t r = pread(fd, p + done, len - done, (off_t)(off + done));
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            if (r == 0) {
                errno = EIO;
            }
            return -1;
        }
        done += (size_t)r;
    }
    return 0;
}

int capture_record_read(const char *path, struct capture_record *out, char *err,
                        size_t errlen)
{
    memset(out, 0, sizeof(*out));
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return fail(err, errlen, "%s: %s", path, strerror(errno));
    }
    uint64_t size = 0;
    int rc = image_size(fd, path, &size, err, errlen);
    if (!rc && size < DBC_REC_SIZE) {
        rc = fail(err, errlen, "%s: %" PRIu64 " bytes, too small to hold the "
                  "%d-byte capture record", path, size, DBC_REC_SIZE);
    }
    uint8_t rec[DBC_REC_SIZE];
    if (!rc && pread_all(fd, rec, sizeof(rec), size - DBC_REC_SIZE) < 0) {
        rc = fail(err, errlen, "%s: reading the capture record at offset %" PRIu64
                  ": %s", path, size - DBC_REC_SIZE, strerror(errno));
    }
    /*
     * A guest disk backed by a file whose size is not a multiple of 512
     * is a device of the rounded-down size (QEMU block layer): the record
     * then sits before the image's partial last sector.
     */
    uint64_t dev = size & ~(uint64_t)511;
    if (!rc && dev != size && dev >= DBC_REC_SIZE &&
        memcmp(rec + DBC_REC_OFF_MAGIC, DBC_REC_MAGIC, 8) != 0) {
        uint8_t alt[DBC_REC_SIZE];
        if (pread_all(fd, alt, sizeof(alt), dev - DBC_REC_SIZE) == 0 &&
            memcmp(alt + DBC_REC_OFF_MAGIC, DBC_REC_MAGIC, 8) == 0) {
            memcpy(rec, alt, sizeof(rec));
            size = dev;
        }
    }
    close(fd);
    if (rc) {
        return rc;
    }
    char e2[768];
    if (capture_record_parse(rec, sizeof(rec), size, out, e2, sizeof(e2))) {
        return fail(err, errlen, "%s: %s", path, e2);
    }
    return 0;
}

int capture_record_check_data(const char *path, const struct capture_record *r,
                              char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return fail(err, errlen, "%s: %s", path, strerror(errno));
    }
    XXH64_state_t *st = XXH64_createState();
    uint8_t *buf = malloc(1u << 20);
    int rc = 0;
    if (!st || !buf) {
        rc = fail(err, errlen, "out of memory");
    } else {
        XXH64_reset(st, 0);
    }
    for (uint64_t off = 0; !rc && off < r->data_size;) {
        size_t n = r->data_size - off < (1u << 20) ? (size_t)(r->data_size - off)
                                                   : (1u << 20);
        if (pread_all(fd, buf, n, off) < 0) {
            rc = fail(err, errlen, "%s: reading dump data at offset %" PRIu64 ": %s",
                      path, off, strerror(errno));
            break;
        }
        XXH64_update(st, buf, n);
        off += n;
    }
    if (!rc) {
        uint64_t got = (uint64_t)XXH64_digest(st);
        if (got != r->data_hash) {
            rc = fail(err, errlen, "%s: dump data [0, %" PRIu64 ") hashes to %016"
                      PRIx64 ", the capture record says %016" PRIx64, path,
                      r->data_size, got, r->data_hash);
        }
    }
    free(buf);
    XXH64_freeState(st);
    close(fd);
    return rc;
}
