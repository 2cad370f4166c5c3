/* Fixture helpers shared by the libfcp test suites. */
#include <string.h>

#include <dumpbench/be.h>

#include "fcp_test.h"

int fx_setup(struct fx *f, uint32_t block_size, uint64_t nblocks)
{
    struct fcp_adapter_config cfg;
    memset(f, 0, sizeof(*f));
    fcp_adapter_default_config(&cfg, 0x1700);
    CU_ASSERT_EQUAL_FATAL(fcp_adapter_new(&cfg, &f->a), FCP_ST_OK);
    CU_ASSERT_EQUAL_FATAL(fcp_port_add(f->a, WWPN_A, DID_A), FCP_ST_OK);
    CU_ASSERT_EQUAL_FATAL(fcp_port_add(f->a, WWPN_B, DID_B), FCP_ST_OK);
    CU_ASSERT_EQUAL_FATAL(fcp_lun_add_mem(f->a, WWPN_A, LUN_2, 512, 64), FCP_ST_OK);
    CU_ASSERT_EQUAL_FATAL(fcp_lun_add_mem(f->a, WWPN_A, LUN_1, block_size, nblocks),
                          FCP_ST_OK);
    CU_ASSERT_EQUAL_FATAL(fcp_lun_add_mem(f->a, WWPN_B, LUN_1, 512, 16), FCP_ST_OK);
    CU_ASSERT_EQUAL_FATAL(fcp_port_open(f->a, WWPN_A, &f->ph), FCP_ST_OK);
    CU_ASSERT_EQUAL_FATAL(fcp_lun_open(f->a, f->ph, LUN_1, &f->lh), FCP_ST_OK);
    return 0;
}

void fx_teardown(struct fx *f)
{
    fcp_adapter_free(f->a);
    f->a = NULL;
}

enum fcp_status fx_exec(struct fx *f, const uint8_t *cdb, size_t cdb_len, uint8_t *in,
                        size_t in_len, const uint8_t *out, size_t out_len,
                        struct fcp_scsi_result *res)
{
    return fcp_scsi_exec(f->a, f->ph, f->lh, cdb, cdb_len, in, in_len, out, out_len, res);
}

void cdb_rw10(uint8_t cdb[10], uint8_t op, uint32_t lba, uint16_t n)
{
    memset(cdb, 0, 10);
    cdb[0] = op;
    db_st_be32(&cdb[2], lba);
    db_st_be16(&cdb[7], n);
}

void cdb_rw16(uint8_t cdb[16], uint8_t op, uint64_t lba, uint32_t n)
{
    memset(cdb, 0, 16);
    cdb[0] = op;
    db_st_be64(&cdb[2], lba);
    db_st_be32(&cdb[10], n);
}

void expect_sense(const struct fcp_scsi_result *r, const uint8_t expect[18])
{
    CU_ASSERT_EQUAL(r->scsi_status, SCSI_STATUS_CHECK_CONDITION);
    CU_ASSERT_EQUAL(r->sense_len, 18);
    CU_ASSERT_TRUE(r->fcp_flags & FCP_SNS_LEN_VAL);
    CU_ASSERT_EQUAL(memcmp(r->sense, expect, 18), 0);
}

void sense_simple(uint8_t out[18], uint8_t key, uint8_t asc, uint8_t ascq)
{
    memset(out, 0, 18);
    out[0] = 0x70;
    out[2] = key;
    out[7] = 10;
    out[12] = asc;
    out[13] = ascq;
}

void fill_pattern(uint8_t *p, size_t len, uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        p[i] = (uint8_t)(x >> 16);
    }
}
