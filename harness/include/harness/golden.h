/*
 * Golden store: DIR/NAME.img.zst (zstd-compressed image, level 3, with
 * checksum) plus DIR/NAME.manifest (text, version 2):
 *
 *     dumpbench-golden 2
 *     size BYTES
 *     xxh64 HEX16               (whole image)
 *     pages N                   (ceil(size / 4096))
 *     zero FIRST COUNT          (COUNT >= 1 full 4 KiB pages of zeros from page FIRST)
 *     page INDEX HEX16          (XXH64 of one non-zero page; the last may be short)
 *
 * `zero` and `page` lines cover pages 0..N-1 in order, so an image that is
 * mostly zero (a 768 MiB fadump machine) has a manifest of a few hundred
 * lines.  Version 1 manifests (page lines only) are still read.
 *
 * Images are streamed (never held in memory); holes of an image file are
 * not read, extracted goldens are written sparse.  A golden is written
 * only by golden_update(): temp files in DIR, fsync, rename, fsync DIR.
 */
#ifndef HARNESS_GOLDEN_H
#define HARNESS_GOLDEN_H

#include <stddef.h>
#include <stdint.h>

#define GOLDEN_PAGE 4096u
#define GOLDEN_VERSION 2

enum golden_status {
    GOLDEN_OK = 0,
    GOLDEN_MISSING = 1,      /* neither file exists */
    GOLDEN_ERROR = -1,       /* I/O, corrupt golden or manifest (message says which page) */
};

struct golden_manifest {
    uint64_t size;
    uint64_t hash;           /* XXH64(seed 0) of the whole image */
    uint64_t npages;
    uint64_t *page_hash;     /* npages entries (a zero page: XXH64 of 4096 zero bytes) */
    uint8_t *page_zero;      /* npages flags: 1 = full page of zeros (`zero` run) */
};

void golden_manifest_free(struct golden_manifest *m);

/* Hash a file into a manifest (streaming). */
int golden_hash_file(const char *path, struct golden_manifest *m,
                     char *err, size_t errlen);

/* Parse DIR/NAME.manifest.  GOLDEN_MISSING if absent. */
int golden_read_manifest(const char *dir, const char *name,
                         struct golden_manifest *m, char *err, size_t errlen);

/*
 * Decompress DIR/NAME.img.zst into out_path (sparse: zero pages are holes),
 * verifying every page against the manifest ("golden NAME corrupt: page 5
 * (offset 0x5000) does not match its manifest hash"; a page listed in a
 * `zero` run that is not all zero is reported the same way).
 * GOLDEN_MISSING if the golden does not exist; on error out_path is removed.
 */
int golden_extract(const char *dir, const char *name, const char *out_path,
                   char *err, size_t errlen);

/* Verify a stored golden without keeping the data. */
int golden_verify(const char *dir, const char *name, char *err, size_t errlen);

/*
 * Store image_path as golden NAME (atomic).  msg receives what changed:
 *   "golden NAME: new (N bytes, P pages)"
 *   "golden NAME: unchanged"
 *   "golden NAME: 3 of 40 pages changed (first at 0x2000 0x5000 0x9000); size 163840 -> 167936"
 * *changed is set to 1 when files were written (may be NULL).
 */
int golden_update(const char *dir, const char *name, const char *image_path,
                  int *changed, char *msg, size_t msglen, char *err, size_t errlen);

/* Paths of a golden's files. */
void golden_paths(const char *dir, const char *name, char *img, size_t imglen,
                  char *manifest, size_t manlen);

#endif /* HARNESS_GOLDEN_H */
