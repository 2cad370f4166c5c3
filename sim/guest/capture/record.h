/*
 * dbcapture result record: the LAST 4096 bytes of the dump disk (DEST).
 * Written by sim/guest/capture/dbcapture.c, read by
 * harness/src/capture_record.c.  Project-defined layout (no external ABI);
 * every integer is big-endian, offsets in bytes from the record start.
 *
 * The record is written twice: an "in progress" record (status
 * INCOMPLETE, reason "capture started, never finished ...") before the
 * first data byte, so a tool killed mid-way never leaves a stale COMPLETE
 * record from an earlier run, and the final record at the end.
 *
 * record_hash is XXH64 (seed 0) of the 4096 record bytes with the
 * record_hash field itself zeroed: a torn or foreign last block is detected.
 * data_hash is XXH64 (seed 0) of DEST bytes [0, data_size).
 */
#ifndef DBCAPTURE_RECORD_H
#define DBCAPTURE_RECORD_H

#define DBC_REC_SIZE          4096
#define DBC_REC_MAGIC         "DBCAPT01"   /* 8 bytes, no NUL */
#define DBC_REC_VERSION       1u

#define DBC_REC_OFF_MAGIC     0x000  /* char[8] "DBCAPT01" */
#define DBC_REC_OFF_VERSION   0x008  /* u32: 1 */
#define DBC_REC_OFF_STATUS    0x00c  /* u32: DBC_STATUS_* */
#define DBC_REC_OFF_DATA_SIZE 0x010  /* u64: bytes of dump data at DEST offset 0 */
#define DBC_REC_OFF_DATA_HASH 0x018  /* u64: XXH64 of those bytes */
#define DBC_REC_OFF_SRC_EXPECTED 0x020 /* u64: SRC size from its ELF headers (or stat) */
#define DBC_REC_OFF_SRC_COPIED 0x028 /* u64: SRC bytes read successfully */
#define DBC_REC_OFF_ERR_OFFSET 0x030 /* u64: byte offset of the failure (SRC offset for
                                        INCOMPLETE, DEST offset for a write error),
                                        DBC_NO_OFFSET when none */
#define DBC_REC_OFF_ERR_ERRNO 0x038  /* u32: errno of the failure, 0 when none */
#define DBC_REC_OFF_FORMAT    0x03c  /* u32: DBC_FORMAT_* */
#define DBC_REC_OFF_FLAGS     0x040  /* u32: DBC_FLAG_* */
#define DBC_REC_OFF_REASON_LEN 0x044 /* u32: strlen(reason), < DBC_REASON_MAX */
#define DBC_REC_OFF_DEST_SIZE 0x048  /* u64: DEST size the tool used */
#define DBC_REC_OFF_REC_HASH  0x050  /* u64: XXH64 of the record, this field zero */
/* 0x058..0x0ff reserved, zero */
#define DBC_REC_OFF_REASON    0x100  /* char[1024]: reason text, NUL-terminated,
                                        zero padded; "" when COMPLETE */
#define DBC_REASON_MAX        1024
/* 0x500..0xfff reserved, zero */
_Static_assert(DBC_REC_OFF_REASON + DBC_REASON_MAX <= DBC_REC_SIZE,
               "reason fits the record");
_Static_assert(DBC_REC_OFF_REC_HASH + 8 <= DBC_REC_OFF_REASON,
               "fixed fields end before the reason");

#define DBC_STATUS_COMPLETE   0u  /* copied, read back, hash matched */
#define DBC_STATUS_INCOMPLETE 1u  /* SRC short read / EIO: data_size bytes are valid */
#define DBC_STATUS_FAILED     2u  /* DEST problem, bad input, verify mismatch */

#define DBC_FORMAT_ELF        0u  /* SRC bytes verbatim */
#define DBC_FORMAT_S390       1u  /* s390 stand-alone dump built from the ELF SRC */

#define DBC_FLAG_VERIFIED     0x1u /* read-back hash equal to the copy hash */
#define DBC_FLAG_RELEASE_REQ  0x2u /* --release given */
#define DBC_FLAG_RELEASED     0x4u /* the release write succeeded */
#define DBC_FLAGS_KNOWN       0x7u

#define DBC_NO_OFFSET         0xffffffffffffffffull

/* Exit codes of dbcapture. */
#define DBC_EXIT_COMPLETE     0
#define DBC_EXIT_INCOMPLETE   3
#define DBC_EXIT_FAILED       4

#endif /* DBCAPTURE_RECORD_H */
