/*
 * Reader of dbcapture's result record: the last 4096 bytes of a dump disk
 * image written by sim/guest/capture/dbcapture (layout and field meanings:
 * sim/guest/capture/record.h, big-endian).  Every field is validated
 * (magic, version, status, format, flags, lengths, offsets against the image
 * size, NUL-terminated reason, zero reserved bytes, record hash); an invalid
 * record is an error whose text names the field and its byte offset.
 */
#ifndef HARNESS_CAPTURE_RECORD_H
#define HARNESS_CAPTURE_RECORD_H

#include <stddef.h>
#include <stdint.h>

#define CAPTURE_RECORD_SIZE 4096u

enum capture_status {
    CAPTURE_COMPLETE = 0,    /* copied, read back, hash matched */
    CAPTURE_INCOMPLETE = 1,  /* SRC short read / EIO; data_size bytes valid */
    CAPTURE_FAILED = 2,      /* DEST full / too small, bad input, verify mismatch */
};

struct capture_record {
    uint32_t version;
    uint32_t status;         /* enum capture_status */
    uint32_t format;         /* 0 ELF (SRC verbatim), 1 s390 stand-alone dump */
    uint32_t flags;          /* 1 verified, 2 release requested, 4 released */
    uint32_t err_errno;      /* 0 when none */
    uint64_t data_size;      /* dump bytes at image offset 0 */
    uint64_t data_hash;      /* XXH64 (seed 0) of those bytes */
    uint64_t src_expected;
    uint64_t src_copied;
    uint64_t err_offset;     /* UINT64_MAX when none */
    uint64_t dest_size;      /* size dbcapture used; equals the image size */
    char reason[1024];       /* "" when complete */
};

/*
 * Parse and validate one record.  rec/len: the record bytes (len must be
 * 4096).  image_size: size of the image the record was read from (0: skip
 * the checks against it).  Returns 0, or -1 with err filled.
 */
int capture_record_parse(const uint8_t *rec, size_t len, uint64_t image_size,
                         struct capture_record *out, char *err, size_t errlen);

/*
 * Read and validate the record of an image file or block device: the last
 * 4096 bytes, or (image size not a multiple of 512, no record there) the
 * last 4096 bytes of the rounded-down size a guest sees as its disk.
 */
int capture_record_read(const char *path, struct capture_record *out,
                        char *err, size_t errlen);

/*
 * Hash image bytes [0, r->data_size) of path and compare with r->data_hash.
 * Returns 0 when they match, -1 (err says both hashes or the I/O error).
 */
int capture_record_check_data(const char *path, const struct capture_record *r,
                              char *err, size_t errlen);

/* "complete", "incomplete", "failed" or "status-N". */
const char *capture_status_name(uint32_t status);

#endif /* HARNESS_CAPTURE_RECORD_H */
