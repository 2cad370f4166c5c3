/*
 * dbcapture links dumpfmt's dump model, note parser and (through dump.c's
 * format dispatch) its ELF and s390 code, but not the kdump-compressed
 * reader: that one needs zlib and zstd, and a capture program never reads
 * kdump files.  dump.c's probe loop calls df__read_kdump; this stand-in
 * says "not this format".
 */
#include "internal.h"

int df__read_kdump(const char *path, const uint8_t *buf, size_t len,
                   const struct df_read_opts *opts, struct df_dump *d,
                   struct df_err *err)
{
    (void)path; (void)buf; (void)len; (void)opts; (void)d; (void)err;
    return DF_ERR_NOPROBE;
}
