/*
 * libFuzzer target: libfcp SCSI command execution (fcp_scsi_exec) with
 * fuzzed CDBs, lengths and data-out bytes on an open memory LUN (or the
 * LUN 0 stand-in), with optional faults armed.
 *
 * Input:  u8 flags, u8 nblocks-selector (see fuzz_fcp_common.h)
 *         then up to 8 commands, each:
 *           u8  cdb_len  % 21 (0..20: also invalid lengths)
 *           cdb_len bytes CDB
 *           u8  dir      0 none, 1 data-in, 2 data-out, 3 both
 *           u32 xfer     % (256 KiB + 1): in_len and/or out_len
 *           data-out bytes: min(out_len, remaining input), rest zero
 * Invariants: data_len within the buffers, sense length 0 or 18, status
 * consistent with the SCSI status, FCP_RSP IU encodes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_fcp_common.h"
#include "fuzz_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz f = { data, size };
    uint8_t flags = fz_u8(&f);
    uint8_t nsel = fz_u8(&f);
    struct fz_fcp x;
    if (fz_fcp_setup(&x, flags, nsel) != 0) {
        return 0;
    }
    for (unsigned i = 0; i < 8 && f.n > 0; i++) {
        uint8_t cdb[20];
        size_t cdb_len = fz_u8(&f) % 21u;
        fz_bytes(&f, cdb, cdb_len);
        uint8_t dir = fz_u8(&f) & 3u;
        size_t xfer = fz_u32(&f) % (FZ_MAX_XFER + 1u);
        size_t in_len = (dir & 1) ? xfer : 0;
        size_t out_len = (dir & 2) ? xfer : 0;
        uint8_t *out = out_len ? calloc(1, out_len) : NULL;
        if (out_len && !out) {
            abort();
        }
        if (out) {
            fz_bytes(&f, out, out_len < f.n ? out_len : f.n);
        }
        fz_fcp_exec(&x, cdb, cdb_len, in_len, out, out_len);
        free(out);
    }
    struct fcp_stats stats;
    (void)fcp_adapter_stats(x.a, &stats);
    (void)fcp_lun_stats(x.a, FZ_FCP_WWPN, FZ_FCP_LUN, &stats);
    fcp_adapter_free(x.a);
    return 0;
}
