/* IPL parameter block codec and validation (no model needed). */
#include "helpers.h"

static void t_fcp_encode_offsets(void)
{
    struct sclp_iplb_info i;
    uint8_t b[4096];
    uint32_t len = 0;
    sclp_iplb_info_fcp(&i, SCLP_IPL_OPT_DUMP, 0x1700, 0x500507630300c562ull,
                       0x4010400000000000ull);
    i.cssid = 0xfe;
    i.bootprog = 3;
    i.br_lba = 0x1122334455667788ull;
    memcpy(i.loadparm, "\xc1\xc2\x40\x40\x40\x40\x40\x40", 8);
    i.pb0_flags = SCLP_IPL_PB0_FLAG_LOADPARM;
    CU_ASSERT_EQUAL(sclp_iplb_encode(&i, b, &len), SCLP_IPLB_OK);
    CU_ASSERT_EQUAL(len, 644);
    CU_ASSERT_EQUAL(db_ld_be32(b + 0), 644);
    CU_ASSERT_EQUAL(b[7], 0);
    CU_ASSERT_EQUAL(db_ld_be32(b + 8), 636);
    CU_ASSERT_EQUAL(b[12], 0);
    CU_ASSERT_EQUAL(b[13], 0x80);
    CU_ASSERT_EQUAL(b[16], 0xc1);
    CU_ASSERT_EQUAL(b[328], 0x20);
    CU_ASSERT_EQUAL(b[332], 0xfe);
    CU_ASSERT_EQUAL(db_ld_be16(b + 334), 0x1700);
    CU_ASSERT_EQUAL(db_ld_be64(b + 340), 0x500507630300c562ull);
    CU_ASSERT_EQUAL(db_ld_be64(b + 348), 0x4010400000000000ull);
    CU_ASSERT_EQUAL(db_ld_be32(b + 356), 3);
    CU_ASSERT_EQUAL(db_ld_be64(b + 372), 0x1122334455667788ull);
    CU_ASSERT_EQUAL(db_ld_be32(b + 380), 0);
    CU_ASSERT_EQUAL(b[644], 0);
}

static void t_fcp_roundtrip_with_scp_data(void)
{
    struct sclp_iplb_info i, o;
    uint8_t b[4096];
    uint32_t len;
    sclp_iplb_info_fcp(&i, SCLP_IPL_OPT_IPL, 0x1701, 1, 2);
    i.scp_data_len = 11;
    memcpy(i.scp_data, "root=/dev/x", 11);
    CU_ASSERT_EQUAL(sclp_iplb_encode(&i, b, &len), SCLP_IPLB_OK);
    CU_ASSERT_EQUAL(len, 655);
    CU_ASSERT_EQUAL(db_ld_be32(b + 8), 647);
    CU_ASSERT_EQUAL(memcmp(b + 644, "root=/dev/x", 11), 0);
    CU_ASSERT_EQUAL(sclp_iplb_decode(b, len, &o), SCLP_IPLB_OK);
    CU_ASSERT_EQUAL(o.pbt, SCLP_IPL_PBT_FCP);
    CU_ASSERT_EQUAL(o.opt, SCLP_IPL_OPT_IPL);
    CU_ASSERT_EQUAL(o.devno, 0x1701);
    CU_ASSERT_EQUAL(o.wwpn, 1);
    CU_ASSERT_EQUAL(o.lun, 2);
    CU_ASSERT_EQUAL(o.scp_data_len, 11);
    CU_ASSERT_EQUAL(memcmp(o.scp_data, "root=/dev/x", 11), 0);
    CU_ASSERT_FALSE(sclp_iplb_is_dump(b, len));
}

static void t_nvme_roundtrip(void)
{
    struct sclp_iplb_info i, o;
    uint8_t b[4096];
    uint32_t len;
    sclp_iplb_info_nvme(&i, SCLP_IPL_OPT_DUMP, 0x00000300, 7);
    i.bootprog = 1;
    CU_ASSERT_EQUAL(sclp_iplb_encode(&i, b, &len), SCLP_IPLB_OK);
    CU_ASSERT_EQUAL(len, 644);
    CU_ASSERT_EQUAL(b[12], 4);
    CU_ASSERT_EQUAL(db_ld_be32(b + 332), 0x300);
    CU_ASSERT_EQUAL(db_ld_be32(b + 348), 7);
    CU_ASSERT_EQUAL(db_ld_be32(b + 356), 1);
    CU_ASSERT_EQUAL(sclp_iplb_decode(b, len, &o), SCLP_IPLB_OK);
    CU_ASSERT_EQUAL(o.fid, 0x300);
    CU_ASSERT_EQUAL(o.nsid, 7);
    CU_ASSERT_TRUE(sclp_iplb_is_dump(b, len));
    CU_ASSERT_EQUAL(sclp_iplb_validate(b, len, false), SCLP_IPLB_E_PBT);
}

static void t_ccw_roundtrip(void)
{
    struct sclp_iplb_info i, o;
    uint8_t b[4096];
    uint32_t len;
    sclp_iplb_info_ccw(&i, 1, 0xe100);
    i.vm_flags = SCLP_IPL_CCW_VM_FLAG_VP;
    i.vm_parm_len = 4;
    memcpy(i.vm_parm, "\xc1\xc2\xc3\xc4", 4);
    memcpy(i.nss_name, "NSS1    ", 8);
    CU_ASSERT_EQUAL(sclp_iplb_encode(&i, b, &len), SCLP_IPLB_OK);
    CU_ASSERT_EQUAL(len, 200);
    CU_ASSERT_EQUAL(db_ld_be32(b + 8), 192);
    CU_ASSERT_EQUAL(b[12], 2);
    CU_ASSERT_EQUAL(b[109], 1);
    CU_ASSERT_EQUAL(db_ld_be16(b + 110), 0xe100);
    CU_ASSERT_EQUAL(b[112], 0x40);
    CU_ASSERT_EQUAL(db_ld_be32(b + 116), 4);
    CU_ASSERT_EQUAL(memcmp(b + 120, "NSS1    ", 8), 0);
    CU_ASSERT_EQUAL(b[128], 0xc1);
    CU_ASSERT_EQUAL(sclp_iplb_decode(b, len, &o), SCLP_IPLB_OK);
    CU_ASSERT_EQUAL(o.ssid, 1);
    CU_ASSERT_EQUAL(o.devno, 0xe100);
    CU_ASSERT_EQUAL(o.vm_parm_len, 4);
    CU_ASSERT_FALSE(sclp_iplb_is_dump(b, len));
}

static void t_is_dump_exact_compare(void)
{
    struct sclp_iplb_info i;
    uint8_t b[4096];
    uint32_t len;
    sclp_iplb_info_fcp(&i, SCLP_IPL_OPT_DUMP, 1, 2, 3);
    sclp_iplb_encode(&i, b, &len);
    CU_ASSERT_TRUE(sclp_iplb_is_dump(b, len));
    b[328] = 0x30;                       /* dump bit set, but not == 0x20 */
    CU_ASSERT_FALSE(sclp_iplb_is_dump(b, len));
    b[328] = 0x20;
    b[7] = 1;                            /* version must be 0 */
    CU_ASSERT_FALSE(sclp_iplb_is_dump(b, len));
    CU_ASSERT_FALSE(sclp_iplb_is_dump(b, 100));
}

static void t_validate_each_error(void)
{
    struct sclp_iplb_info i;
    uint8_t g[4096], b[4096];
    uint32_t len;
    sclp_iplb_info_fcp(&i, SCLP_IPL_OPT_DUMP, 1, 2, 3);
    sclp_iplb_encode(&i, g, &len);
    CU_ASSERT_EQUAL(sclp_iplb_validate(g, len, true), SCLP_IPLB_OK);
    CU_ASSERT_EQUAL(sclp_iplb_validate(g, 12, true), SCLP_IPLB_E_SHORT);
    CU_ASSERT_EQUAL(sclp_iplb_validate(g, len - 1, true), SCLP_IPLB_E_SHORT);
    memcpy(b, g, 4096); db_st_be32(b, 4100);
    CU_ASSERT_EQUAL(sclp_iplb_validate(b, 4096, true), SCLP_IPLB_E_TOO_LONG);
    memcpy(b, g, 4096); b[7] = 2;
    CU_ASSERT_EQUAL(sclp_iplb_validate(b, 4096, true), SCLP_IPLB_E_VERSION);
    memcpy(b, g, 4096); db_st_be32(b + 8, 600);
    CU_ASSERT_EQUAL(sclp_iplb_validate(b, 4096, true), SCLP_IPLB_E_BLK0_LEN);
    memcpy(b, g, 4096); b[12] = 3;
    CU_ASSERT_EQUAL(sclp_iplb_validate(b, 4096, true), SCLP_IPLB_E_PBT);
    memcpy(b, g, 4096); db_st_be32(b + 380, 0xffffffffu);
    CU_ASSERT_EQUAL(sclp_iplb_validate(b, 4096, true), SCLP_IPLB_E_SCP_LEN);
    memcpy(b, g, 4096); b[328] = 0x11;
    CU_ASSERT_EQUAL(sclp_iplb_validate(b, 4096, true), SCLP_IPLB_E_OPT);
    CU_ASSERT_EQUAL(sclp_iplb_validate(NULL, 4096, true), SCLP_IPLB_E_ARG);
    CU_ASSERT_STRING_EQUAL(sclp_iplb_strerror(SCLP_IPLB_E_VERSION), "IPL block version not 0");
}

static void t_encode_rejects_bad_info(void)
{
    struct sclp_iplb_info i;
    uint8_t b[4096];
    uint32_t len = 0;
    sclp_iplb_info_fcp(&i, 0x30, 1, 2, 3);
    CU_ASSERT_EQUAL(sclp_iplb_encode(&i, b, &len), SCLP_IPLB_E_OPT);
    sclp_iplb_info_fcp(&i, SCLP_IPL_OPT_IPL, 1, 2, 3);
    i.scp_data_len = SCLP_IPL_SCPDATA_SIZE + 1;
    CU_ASSERT_EQUAL(sclp_iplb_encode(&i, b, &len), SCLP_IPLB_E_SCP_LEN);
    sclp_iplb_info_ccw(&i, 0, 1);
    i.vm_parm_len = 65;
    CU_ASSERT_EQUAL(sclp_iplb_encode(&i, b, &len), SCLP_IPLB_E_VM_PARM_LEN);
    i.pbt = 9;
    CU_ASSERT_EQUAL(sclp_iplb_encode(&i, b, &len), SCLP_IPLB_E_PBT);
    CU_ASSERT_EQUAL(len, 0);
}

static const struct tcase tests[] = {
    { "FCP encode offsets", t_fcp_encode_offsets },
    { "FCP round trip with scp data", t_fcp_roundtrip_with_scp_data },
    { "NVMe round trip", t_nvme_roundtrip },
    { "CCW round trip", t_ccw_roundtrip },
    { "is_dump exact compare", t_is_dump_exact_compare },
    { "validate each error", t_validate_each_error },
    { "encode rejects bad info", t_encode_rejects_bad_info },
    { NULL, NULL },
};

void register_iplb_tests(void)
{
    ADD_SUITE("ipl_block", tests);
}
