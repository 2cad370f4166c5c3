/* File-backed LUNs in a temporary directory. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dumpbench/be.h>

#include "fcp_test.h"

/* Adapter with one open port (WWPN_A) and no LUNs. */
static void port_only(struct fcp_adapter **a, uint32_t *ph)
{
    struct fcp_adapter_config cfg;
    fcp_adapter_default_config(&cfg, 0x1700);
    CU_ASSERT_EQUAL_FATAL(fcp_adapter_new(&cfg, a), FCP_ST_OK);
    CU_ASSERT_EQUAL_FATAL(fcp_port_add(*a, WWPN_A, DID_A), FCP_ST_OK);
    CU_ASSERT_EQUAL_FATAL(fcp_port_open(*a, WWPN_A, ph), FCP_ST_OK);
}

/* mkstemp a file name in TMPDIR (or /tmp); the fd is closed, the file kept. */
static void temp_path(char *path, size_t len)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, len, "%s/fcp-lun-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
}

static void test_file_create_sparse_roundtrip(void)
{
    struct fcp_adapter *a;
    uint32_t ph, lh;
    char path[256];
    uint8_t cdb[10];
    uint8_t out[16 * 512], in[16 * 512], disk[16 * 512];
    struct fcp_scsi_result r;
    struct stat sb;

    temp_path(path, sizeof(path));
    port_only(&a, &ph);
    CU_ASSERT_EQUAL_FATAL(fcp_lun_create_file(a, WWPN_A, LUN_1, path, 512, 20480), FCP_ST_OK);
    CU_ASSERT_EQUAL(stat(path, &sb), 0);
    CU_ASSERT_EQUAL(sb.st_size, 20480 * 512);
    CU_ASSERT_TRUE((uint64_t)sb.st_blocks * 512 < (uint64_t)sb.st_size / 4);   /* sparse */
    CU_ASSERT_EQUAL_FATAL(fcp_lun_open(a, ph, LUN_1, &lh), FCP_ST_OK);

    fill_pattern(out, sizeof(out), 21);
    cdb_rw10(cdb, SCSI_OP_WRITE_10, 1000, 16);
    CU_ASSERT_EQUAL(fcp_scsi_exec(a, ph, lh, cdb, 10, NULL, 0, out, sizeof(out), &r),
                    FCP_ST_OK);
    cdb_rw10(cdb, SCSI_OP_SYNCHRONIZE_CACHE_10, 0, 0);
    CU_ASSERT_EQUAL(fcp_scsi_exec(a, ph, lh, cdb, 10, NULL, 0, NULL, 0, &r), FCP_ST_OK);

    /* the bytes are in the file at LBA * 512, read independently */
    int fd = open(path, O_RDONLY);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_EQUAL(pread(fd, disk, sizeof(disk), 1000 * 512), (ssize_t)sizeof(disk));
    close(fd);
    CU_ASSERT_EQUAL(memcmp(disk, out, sizeof(out)), 0);

    /* remove the LUN (file stays), add the existing file again, read back */
    CU_ASSERT_EQUAL(fcp_lun_remove(a, WWPN_A, LUN_1), FCP_ST_OK);
    CU_ASSERT_EQUAL_FATAL(fcp_lun_add_file(a, WWPN_A, LUN_1, path, 512), FCP_ST_OK);
    CU_ASSERT_EQUAL_FATAL(fcp_lun_open(a, ph, LUN_1, &lh), FCP_ST_OK);
    cdb_rw10(cdb, SCSI_OP_READ_10, 1000, 16);
    CU_ASSERT_EQUAL(fcp_scsi_exec(a, ph, lh, cdb, 10, in, sizeof(in), NULL, 0, &r),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, sizeof(in));
    CU_ASSERT_EQUAL(memcmp(in, out, sizeof(in)), 0);
    /* READ CAPACITY sees the file size */
    uint8_t rc[10] = {SCSI_OP_READ_CAPACITY_10}, cap[8];
    CU_ASSERT_EQUAL(fcp_scsi_exec(a, ph, lh, rc, 10, cap, 8, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(db_ld_be32(cap), 20479);
    CU_ASSERT_EQUAL(db_ld_be32(cap + 4), 512);

    fcp_adapter_free(a);
    unlink(path);
}

static void test_file_4k_blocks(void)
{
    struct fcp_adapter *a;
    uint32_t ph, lh;
    char path[256];
    uint8_t cdb[16], rc[16] = {SCSI_OP_SERVICE_ACTION_IN_16, SCSI_SAI_READ_CAPACITY_16};
    uint8_t out[4096], disk[4096], cap[32];
    struct fcp_scsi_result r;

    temp_path(path, sizeof(path));
    port_only(&a, &ph);
    CU_ASSERT_EQUAL_FATAL(fcp_lun_create_file(a, WWPN_A, LUN_1, path, 4096, 64), FCP_ST_OK);
    CU_ASSERT_EQUAL_FATAL(fcp_lun_open(a, ph, LUN_1, &lh), FCP_ST_OK);
    fill_pattern(out, sizeof(out), 22);
    cdb_rw16(cdb, SCSI_OP_WRITE_16, 63, 1);
    CU_ASSERT_EQUAL(fcp_scsi_exec(a, ph, lh, cdb, 16, NULL, 0, out, 4096, &r), FCP_ST_OK);
    int fd = open(path, O_RDONLY);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_EQUAL(pread(fd, disk, 4096, 63 * 4096), 4096);
    close(fd);
    CU_ASSERT_EQUAL(memcmp(disk, out, 4096), 0);
    db_st_be32(&rc[10], 32);
    CU_ASSERT_EQUAL(fcp_scsi_exec(a, ph, lh, rc, 16, cap, 32, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(db_ld_be64(cap), 63);
    CU_ASSERT_EQUAL(db_ld_be32(cap + 8), 4096);
    fcp_adapter_free(a);
    unlink(path);
}

static void test_file_errors(void)
{
    struct fcp_adapter *a;
    uint32_t ph;
    char path[256];
    enum fcp_lun_state ls;

    temp_path(path, sizeof(path));
    port_only(&a, &ph);
    /* empty file */
    CU_ASSERT_EQUAL(fcp_lun_add_file(a, WWPN_A, LUN_1, path, 512), FCP_ST_ERR_INVALID);
    CU_ASSERT_NOT_EQUAL(fcp_adapter_errmsg(a)[0], '\0');
    /* 1000 bytes: not a multiple of 512 */
    CU_ASSERT_EQUAL(truncate(path, 1000), 0);
    CU_ASSERT_EQUAL(fcp_lun_add_file(a, WWPN_A, LUN_1, path, 512), FCP_ST_ERR_INVALID);
    /* 8 KiB is fine for 4096, not for a bad block size */
    CU_ASSERT_EQUAL(truncate(path, 8192), 0);
    CU_ASSERT_EQUAL(fcp_lun_add_file(a, WWPN_A, LUN_1, path, 2048), FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(fcp_lun_get_state(a, WWPN_A, LUN_1, &ls), FCP_ST_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(fcp_lun_add_file(a, WWPN_A, LUN_1, path, 4096), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_lun_get_state(a, WWPN_A, LUN_1, &ls), FCP_ST_OK);
    unlink(path);
    /* missing file, NULL path, zero blocks */
    CU_ASSERT_EQUAL(fcp_lun_add_file(a, WWPN_A, LUN_2, path, 512), FCP_ST_ERR_IO);
    CU_ASSERT_EQUAL(fcp_lun_add_file(a, WWPN_A, LUN_2, NULL, 512), FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(fcp_lun_create_file(a, WWPN_A, LUN_2, path, 512, 0), FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(access(path, F_OK), -1);          /* nothing created */
    CU_ASSERT_EQUAL(fcp_lun_create_file(a, WWPN_A, LUN_2, "/nonexistent-dir/x", 512, 8),
                    FCP_ST_ERR_IO);
    fcp_adapter_free(a);
}

/* More than 2^32 blocks: READ CAPACITY(10) saturates, (16) tells the truth. */
static void test_file_huge_capacity(void)
{
    struct fcp_adapter *a;
    uint32_t ph, lh;
    char path[256];
    uint8_t rc10[10] = {SCSI_OP_READ_CAPACITY_10}, cap[32];
    uint8_t rc16[16] = {SCSI_OP_SERVICE_ACTION_IN_16, SCSI_SAI_READ_CAPACITY_16};
    uint8_t cdb[16], out[512], in[512];
    struct fcp_scsi_result r;
    static const uint8_t exp10[8] = {0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x02, 0x00};
    const uint64_t nblocks = 0x100000001ULL;              /* 2 TiB + 512, sparse */

    temp_path(path, sizeof(path));
    port_only(&a, &ph);
    enum fcp_status st = fcp_lun_create_file(a, WWPN_A, LUN_1, path, 512, nblocks);
    if (st != FCP_ST_OK) {
        /* a file system without 2 TiB sparse files cannot run this check */
        fcp_adapter_free(a);
        unlink(path);
        CU_FAIL("cannot create a 2 TiB sparse file in TMPDIR");
        return;
    }
    CU_ASSERT_EQUAL_FATAL(fcp_lun_open(a, ph, LUN_1, &lh), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_scsi_exec(a, ph, lh, rc10, 10, cap, 8, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(memcmp(cap, exp10, 8), 0);
    db_st_be32(&rc16[10], 32);
    CU_ASSERT_EQUAL(fcp_scsi_exec(a, ph, lh, rc16, 16, cap, 32, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(db_ld_be64(cap), 0x100000000ULL);
    /* the last block, beyond 32-bit LBAs, via READ/WRITE(16) */
    fill_pattern(out, sizeof(out), 23);
    cdb_rw16(cdb, SCSI_OP_WRITE_16, 0x100000000ULL, 1);
    CU_ASSERT_EQUAL(fcp_scsi_exec(a, ph, lh, cdb, 16, NULL, 0, out, 512, &r), FCP_ST_OK);
    cdb_rw16(cdb, SCSI_OP_READ_16, 0x100000000ULL, 1);
    CU_ASSERT_EQUAL(fcp_scsi_exec(a, ph, lh, cdb, 16, in, 512, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(memcmp(in, out, 512), 0);
    fcp_adapter_free(a);
    unlink(path);
}

int register_file_suite(void)
{
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } tests[] = {
        {"sparse create, write, re-add, read", test_file_create_sparse_roundtrip},
        {"4096-byte block file", test_file_4k_blocks},
        {"file backing errors", test_file_errors},
        {"capacity beyond 2^32 blocks", test_file_huge_capacity},
    };
    CU_pSuite s = CU_add_suite("fcp_file", NULL, NULL);
    if (!s) {
        return CU_get_error();
    }
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        if (!CU_add_test(s, tests[i].name, tests[i].fn)) {
            return CU_get_error();
        }
    }
    return 0;
}
