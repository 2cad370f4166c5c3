/*
 * libFuzzer target: libfcp FCP_CMND IU decoding (fcp_cmnd_iu_decode) on an
 * exact-size copy of the fuzzed IU; a decoded command is executed on an
 * open memory LUN with FCP_DL-sized buffers and its FCP_RSP IU encoded.
 *
 * Input:  u8 flags, u8 nblocks-selector (see fuzz_fcp_common.h)
 *         u16 iu_len  % (FSF_FCP_CMND_SIZE + 33)
 *         iu_len bytes IU, then data-out bytes (rest of the input)
 * Invariants: decode fails for len < 32 / > 288; a decoded command never
 * has both RDDATA and WRDATA; plus those of fz_fcp_exec.
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
    size_t iu_len = fz_u16(&f) % (FSF_FCP_CMND_SIZE + 33u);
    uint8_t *iu = malloc(iu_len ? iu_len : 1);
    if (!iu) {
        abort();
    }
    fz_bytes(&f, iu, iu_len);
    struct fcp_cmnd_info info;
    enum fcp_status st = fcp_cmnd_iu_decode(iu_len ? iu : NULL, iu_len, &info);
    free(iu);
    if (st != FCP_ST_OK) {
        return 0;
    }
    if (iu_len < FCP_CMND_IU_LEN || iu_len > FSF_FCP_CMND_SIZE) {
        fz_fail("IU of %zu bytes decoded", iu_len);
    }
    if (info.rddata && info.wrdata) {
        fz_fail("decoded IU with RDDATA and WRDATA");
    }
    if (info.cdb_len > SCSI_CDB_MAX) {
        fz_fail("cdb_len %zu", info.cdb_len);
    }
    struct fz_fcp x;
    if (fz_fcp_setup(&x, flags, nsel) != 0) {
        return 0;
    }
    size_t dl = info.dl > FZ_MAX_XFER ? FZ_MAX_XFER : info.dl;
    size_t rest_len;
    const uint8_t *rest = fz_rest(&f, &rest_len);
    uint8_t *out = NULL;
    size_t out_len = 0;
    if (info.wrdata) {
        out_len = dl;
        out = calloc(1, out_len ? out_len : 1);
        if (!out) {
            abort();
        }
        memcpy(out, rest, rest_len < out_len ? rest_len : out_len);
    }
    fz_fcp_exec(&x, info.cdb, info.cdb_len, info.rddata ? dl : 0, out, out_len);
    free(out);
    fcp_adapter_free(x.a);
    return 0;
}
