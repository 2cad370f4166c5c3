/*
 * makedumpfile kdump-compressed ("KDUMP   ") reader, header versions 1..6
 * (layout: abi_kdump.h; format: mdf:IMPLEMENTATION).  Dumped pages are
 * decompressed into memory chunks (runs of consecutive PFNs merged).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>
#include <zstd.h>

#include "abi_kdump.h"
#include "internal.h"

static bool plausible_block(uint32_t bs)
{
    return bs >= 512 && bs <= (1u << 20) && (bs & (bs - 1)) == 0;
}

static enum df_arch machine_arch(const char *m)
{
    if (strcmp(m, "s390x") == 0) {
        return DF_ARCH_S390X;
    }
    if (strcmp(m, "ppc64") == 0) {
        return DF_ARCH_PPC64;
    }
    if (strcmp(m, "ppc64le") == 0) {
        return DF_ARCH_PPC64LE;
    }
    if (strcmp(m, "x86_64") == 0) {
        return DF_ARCH_X86_64;
    }
    return DF_ARCH_NONE;
}

static bool bit_set(const uint8_t *bm, uint64_t pfn)
{
    return (bm[pfn >> 3] >> (pfn & 7)) & 1;
}

/* Is [off, off+n) inside the file? */
static bool in_file(size_t len, uint64_t off, uint64_t n)
{
    return off <= len && n <= len - off;
}

int df__read_kdump(const char *path, const uint8_t *buf, size_t len,
                   const struct df_read_opts *opts, struct df_dump *d,
                   struct df_err *err)
{
    if (len >= 12 && memcmp(buf, MDF_FLAT_SIGNATURE, 12) == 0) {
        return df__err(err, DF_ERR_NOTIMPL,
                       "%s: makedumpfile flattened format (signature "
                       "\"makedumpfile\" at offset 0): reassemble it with "
                       "makedumpfile -R first", path);
    }
    if (len >= 8 && memcmp(buf, DISKDUMP_SIGNATURE, 8) == 0) {
        return df__err(err, DF_ERR_NOTIMPL,
                       "%s: old diskdump format (signature \"DISKDUMP\") is not "
                       "supported", path);
    }
    if (len < 8 || memcmp(buf, KDUMP_SIGNATURE, 8) != 0) {
        return DF_ERR_NOPROBE;
    }
    if (len < KDH_SIZE) {
        return df__err(err, DF_ERR_CORRUPT,
                       "%s: truncated: disk_dump_header needs %d bytes, file "
                       "has %zu", path, KDH_SIZE, len);
    }
    char machine[KDH_UTS_FIELD_LEN + 1] = {0};
    memcpy(machine, buf + KDH_UTS_MACHINE, KDH_UTS_FIELD_LEN);
    /* Byte order: from utsname.machine when it names a known arch, else
     * the order giving a sane header_version and block_size. */
    bool be;
    enum df_arch arch = machine_arch(machine);
    uint32_t ver_le = db_ld_le32(buf + KDH_VERSION);
    uint32_t ver_be = db_ld_be32(buf + KDH_VERSION);
    if (arch != DF_ARCH_NONE) {
        be = df__arch_be(arch);
    } else if (ver_le <= 1000 && plausible_block(db_ld_le32(buf + KDH_BLOCK_SIZE))) {
        be = false;
    } else if (ver_be <= 1000 && plausible_block(db_ld_be32(buf + KDH_BLOCK_SIZE))) {
        be = true;
    } else {
        return df__err(err, DF_ERR_CORRUPT,
                       "%s: cannot determine byte order: header_version at "
                       "offset 0x%x / block_size at offset 0x%x implausible in "
                       "both orders", path, KDH_VERSION, KDH_BLOCK_SIZE);
    }
    if (!plausible_block(df_ld32(be, buf + KDH_BLOCK_SIZE))) {
        return df__err(err, DF_ERR_CORRUPT,
                       "%s: block_size %u at offset 0x%x is not a power of two "
                       "in 512..1M", path, df_ld32(be, buf + KDH_BLOCK_SIZE),
                       KDH_BLOCK_SIZE);
    }
    int32_t version = (int32_t)df_ld32(be, buf + KDH_VERSION);
    uint32_t status = df_ld32(be, buf + KDH_STATUS);
    uint32_t bs = df_ld32(be, buf + KDH_BLOCK_SIZE);
    int32_t sub_hdr_size = (int32_t)df_ld32(be, buf + KDH_SUB_HDR_SIZE);
    uint32_t bitmap_blocks = df_ld32(be, buf + KDH_BITMAP_BLOCKS);
    uint64_t max_mapnr = df_ld32(be, buf + KDH_MAX_MAPNR);

    if (version < 1) {
        return df__err(err, DF_ERR_NOTIMPL,
                       "%s: header_version %d at offset 0x%x: versions >= 1 "
                       "supported", path, version, KDH_VERSION);
    }
    if (sub_hdr_size < 1) {
        return df__err(err, DF_ERR_CORRUPT,
                       "%s: sub_hdr_size %d at offset 0x%x must be >= 1 block",
                       path, sub_hdr_size, KDH_SUB_HDR_SIZE);
    }
    if (bitmap_blocks == 0 || (bitmap_blocks & 1)) {
        return df__err(err, DF_ERR_CORRUPT,
                       "%s: bitmap_blocks %u at offset 0x%x must be even and "
                       "non-zero (two bitmaps)", path, bitmap_blocks,
                       KDH_BITMAP_BLOCKS);
    }
    d->arch = arch;
    d->format = DF_FMT_KDUMP;
    d->page_size = bs;
    if (status & DUMP_DH_COMPRESSED_INCOMPLETE) {
        d->flags |= DF_FLAG_INCOMPLETE;
    }

    /* Sub header (block 1). */
    uint64_t sub_off = bs;
    if (!in_file(len, sub_off, KSH_SIZE)) {
        return df__err(err, DF_ERR_CORRUPT,
                       "%s: truncated: kdump_sub_header at offset 0x%llx beyond "
                       "EOF 0x%zx", path, (unsigned long long)sub_off, len);
    }
    const uint8_t *sh = buf + sub_off;
    if (version >= 6) {
        max_mapnr = df_ld64(be, sh + KSH_MAX_MAPNR_64);
    }
    if (version >= 2 && df_ld32(be, sh + KSH_SPLIT) != 0) {
        return df__err(err, DF_ERR_NOTIMPL,
                       "%s: split dump (sub header split at offset 0x%llx) is "
                       "not supported", path,
                       (unsigned long long)(sub_off + KSH_SPLIT));
    }
    if (version >= 4) {
        uint64_t noff = df_ld64(be, sh + KSH_OFFSET_NOTE);
        uint64_t nsz = df_ld64(be, sh + KSH_SIZE_NOTE);
        if (nsz) {
            if (!in_file(len, noff, nsz)) {
                return df__err(err, DF_ERR_CORRUPT,
                               "%s: offset_note 0x%llx + size_note 0x%llx (sub "
                               "header offset 0x%llx) beyond EOF 0x%zx", path,
                               (unsigned long long)noff, (unsigned long long)nsz,
                               (unsigned long long)(sub_off + KSH_OFFSET_NOTE),
                               len);
            }
            char what[600];
            snprintf(what, sizeof(what), "%s: kdump notes", path);
            int rc = df__parse_notes(d, buf + noff, nsz, be, what, noff, err);
            if (rc) {
                return rc;
            }
        }
    }
    if (version >= 3) {
        uint64_t voff = df_ld64(be, sh + KSH_OFFSET_VMCOREINFO);
        uint64_t vsz = df_ld64(be, sh + KSH_SIZE_VMCOREINFO);
        if (vsz) {
            if (!in_file(len, voff, vsz)) {
                return df__err(err, DF_ERR_CORRUPT,
                               "%s: offset_vmcoreinfo 0x%llx + size_vmcoreinfo "
                               "0x%llx (sub header offset 0x%llx) beyond EOF "
                               "0x%zx", path, (unsigned long long)voff,
                               (unsigned long long)vsz,
                               (unsigned long long)(sub_off + KSH_OFFSET_VMCOREINFO),
                               len);
            }
            int rc = df_dump_set_vmcoreinfo(d, (const char *)buf + voff, vsz, err);
            if (rc) {
                return rc;
            }
        }
    }

    /* Bitmaps. */
    uint64_t bm_off = (uint64_t)(1 + sub_hdr_size) * bs;
    uint64_t bm_len = (uint64_t)(bitmap_blocks / 2) * bs;
    if (max_mapnr > bm_len * 8) {
        return df__err(err, DF_ERR_CORRUPT,
                       "%s: max_mapnr 0x%llx needs more bits than one bitmap "
                       "holds (bitmap_blocks %u x block_size %u / 2)", path,
                       (unsigned long long)max_mapnr, bitmap_blocks, bs);
    }
    if (!in_file(len, bm_off, 2 * bm_len)) {
        return df__err(err, DF_ERR_CORRUPT,
                       "%s: truncated: bitmaps at offset 0x%llx (0x%llx bytes) "
                       "beyond EOF 0x%zx", path, (unsigned long long)bm_off,
                       (unsigned long long)(2 * bm_len), len);
    }
    const uint8_t *bm2 = buf + bm_off + bm_len;
    uint64_t pd_off = bm_off + 2 * bm_len;

    uint8_t *page = malloc(bs);
    if (!page) {
        return df__err(err, DF_ERR_SYSTEM, "out of memory");
    }
    int rc = DF_OK;
    bool lost = false;
    uint64_t desc_i = 0;
    uint64_t run_start = 0, run_n = 0;
    uint8_t *run = NULL;
    size_t run_cap = 0;

    for (uint64_t pfn = 0; pfn <= max_mapnr && rc == DF_OK; pfn++) {
        bool have = false;
        if (pfn < max_mapnr && bit_set(bm2, pfn)) {
            uint64_t pdo = pd_off + desc_i * PAGE_DESC_SIZE;
            desc_i++;
            if (!in_file(len, pdo, PAGE_DESC_SIZE)) {
                d->flags |= DF_FLAG_INCOMPLETE;
                lost = true;
                df__err(err, DF_ERR_CORRUPT,
                        "%s: page_desc for pfn 0x%llx at offset 0x%llx beyond "
                        "EOF 0x%zx (dump incomplete)", path,
                        (unsigned long long)pfn, (unsigned long long)pdo, len);
                if (!(status & DUMP_DH_COMPRESSED_INCOMPLETE) && !opts->lenient) {
                    rc = DF_ERR_CORRUPT;
                    break;
                }
            } else {
                const uint8_t *pd = buf + pdo;
                uint64_t poff = df_ld64(be, pd + PD_OFFSET);
                uint32_t psz = df_ld32(be, pd + PD_SIZE);
                uint32_t pflags = df_ld32(be, pd + PD_FLAGS);
                if (poff == 0) {
                    /* IMPLEMENTATION "The incomplete DUMPFILE": lost page */
                    d->flags |= DF_FLAG_INCOMPLETE;
                    lost = true;
                    if (!(status & DUMP_DH_COMPRESSED_INCOMPLETE)) {
                        df__err(err, DF_ERR_CORRUPT,
                                "%s: page_desc for pfn 0x%llx at offset 0x%llx "
                                "has offset 0 (lost page) but header status "
                                "0x%x lacks DUMP_DH_COMPRESSED_INCOMPLETE",
                                path, (unsigned long long)pfn,
                                (unsigned long long)pdo, status);
                        if (!opts->lenient) {
                            rc = DF_ERR_CORRUPT;
                            break;
                        }
                    }
                } else if (!in_file(len, poff, psz)) {
                    d->flags |= DF_FLAG_INCOMPLETE;
                    lost = true;
                    df__err(err, DF_ERR_CORRUPT,
                            "%s: page data of pfn 0x%llx (page_desc at 0x%llx: "
                            "offset 0x%llx size %u) beyond EOF 0x%zx (dump "
                            "incomplete)", path, (unsigned long long)pfn,
                            (unsigned long long)pdo, (unsigned long long)poff,
                            psz, len);
                    if (!(status & DUMP_DH_COMPRESSED_INCOMPLETE) &&
                        !opts->lenient) {
                        rc = DF_ERR_CORRUPT;
                        break;
                    }
                } else if (pflags & (DUMP_DH_COMPRESSED_LZO |
                                     DUMP_DH_COMPRESSED_SNAPPY)) {
                    rc = df__err(err, DF_ERR_NOTIMPL,
                                 "%s: pfn 0x%llx (page_desc at 0x%llx) is "
                                 "compressed with %s: not supported", path,
                                 (unsigned long long)pfn, (unsigned long long)pdo,
                                 (pflags & DUMP_DH_COMPRESSED_LZO) ? "lzo" : "snappy");
                    break;
                } else if (pflags & DUMP_DH_COMPRESSED_ZLIB) {
                    uLongf out = bs;
                    int zr = uncompress(page, &out, buf + poff, psz);
                    if (zr != Z_OK || out != bs) {
                        rc = df__err(err, DF_ERR_CORRUPT,
                                     "%s: pfn 0x%llx (page_desc at 0x%llx): zlib "
                                     "data at 0x%llx size %u does not inflate to "
                                     "one %u-byte page (zlib %d, %lu bytes)",
                                     path, (unsigned long long)pfn,
                                     (unsigned long long)pdo,
                                     (unsigned long long)poff, psz, bs, zr,
                                     (unsigned long)out);
                        break;
                    }
                    have = true;
                } else if (pflags & DUMP_DH_COMPRESSED_ZSTD) {
                    size_t zr = ZSTD_decompress(page, bs, buf + poff, psz);
                    if (ZSTD_isError(zr) || zr != bs) {
                        rc = df__err(err, DF_ERR_CORRUPT,
                                     "%s: pfn 0x%llx (page_desc at 0x%llx): zstd "
                                     "data at 0x%llx size %u does not decompress "
                                     "to one %u-byte page (%s)", path,
                                     (unsigned long long)pfn,
                                     (unsigned long long)pdo,
                                     (unsigned long long)poff, psz, bs,
                                     ZSTD_isError(zr) ? ZSTD_getErrorName(zr)
                                                      : "wrong size");
                        break;
                    }
                    have = true;
                } else if (pflags != 0) {
                    rc = df__err(err, DF_ERR_NOTIMPL,
                                 "%s: pfn 0x%llx (page_desc at 0x%llx): unknown "
                                 "compression flags 0x%x", path,
                                 (unsigned long long)pfn, (unsigned long long)pdo,
                                 pflags);
                    break;
                } else {
                    if (psz != bs) {
                        rc = df__err(err, DF_ERR_CORRUPT,
                                     "%s: pfn 0x%llx (page_desc at 0x%llx): "
                                     "uncompressed size %u != block_size %u",
                                     path, (unsigned long long)pfn,
                                     (unsigned long long)pdo, psz, bs);
                        break;
                    }
                    memcpy(page, buf + poff, bs);
                    have = true;
                }
            }
        }
        if (have) {
            if (run_n == 0) {
                run_start = pfn;
            }
            if ((run_n + 1) * bs > run_cap) {
                size_t ncap = run_cap ? run_cap * 2 : (size_t)bs * 16;
                uint8_t *n = realloc(run, ncap);
                if (!n) {
                    rc = df__err(err, DF_ERR_SYSTEM, "out of memory");
                    break;
                }
                run = n;
                run_cap = ncap;
            }
            memcpy(run + run_n * bs, page, bs);
            run_n++;
        } else if (run_n) {
            uint8_t *fin = realloc(run, run_n * bs);
            if (fin) {
                run = fin;
            }
            rc = df__own(d, run, err);
            if (!rc) {
                rc = df__add_chunk_ref(d, run_start * bs, run, run_n * bs, err);
            }
            run = NULL;
            run_cap = 0;
            run_n = 0;
        }
    }
    free(run);
    free(page);
    if (rc == DF_OK && lost && (status & DUMP_DH_COMPRESSED_INCOMPLETE)) {
        df__err(err, DF_OK, "%s: header status 0x%x has "
                "DUMP_DH_COMPRESSED_INCOMPLETE; lost pages omitted", path, status);
    }
    return rc;
}
