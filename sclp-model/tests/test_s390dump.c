/* s390 stand-alone dump format writer/reader. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "helpers.h"

#define DMEM (256 * 1024)

static struct testhost *mk_host(void)
{
    struct testhost *th = testhost_new(TH_S390X, DMEM, 2);
    testhost_pattern(th, 0, DMEM, 42);
    th->s390[0].prefix = 0x0;
    th->s390[1].prefix = 0x8000;
    th->now_ns = 5000000000ull;
    return th;
}

static int write_mem(struct testhost *th, uint8_t **buf, size_t *len,
                     struct s390dump_info *info)
{
    char err[256];
    CU_ASSERT_EQUAL(s390dump_info_from_host(info, &th->host), S390DUMP_OK);
    return s390dump_write_host_mem(info, &th->host, buf, len, err, sizeof(err));
}

static void t_roundtrip_mem(void)
{
    struct testhost *th = mk_host();
    struct s390dump_info in, out;
    uint8_t *buf = NULL;
    size_t len = 0;
    const uint8_t *mem = NULL;
    char err[256] = "";
    CU_ASSERT_EQUAL_FATAL(write_mem(th, &buf, &len, &in), S390DUMP_OK);
    CU_ASSERT_EQUAL(len, 4096 + DMEM + 16);
    CU_ASSERT_EQUAL(s390dump_parse(buf, len, &out, &mem, err, sizeof(err)), S390DUMP_OK);
    CU_ASSERT_EQUAL(out.mem_size, DMEM);
    CU_ASSERT_EQUAL(out.cpu_cnt, 2);
    CU_ASSERT_EQUAL(out.lc_vec[1], 0x8000);
    CU_ASSERT_EQUAL(out.tod, s390dump_ns_to_tod(5000000000ull));
    CU_ASSERT_EQUAL(out.tod_end, out.tod);
    CU_ASSERT_EQUAL(memcmp(mem, th->mem, DMEM), 0);
    free(buf);
    testhost_free(th);
}

static void t_header_bytes(void)
{
    struct testhost *th = mk_host();
    struct s390dump_info in;
    uint8_t *b = NULL;
    size_t len = 0;
    CU_ASSERT_EQUAL_FATAL(write_mem(th, &b, &len, &in), S390DUMP_OK);
    CU_ASSERT_EQUAL(db_ld_be64(b + 0x000), 0xa8190173618f23fdull);
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x008), 5);         /* CPUs present */
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x00c), 0x1000);
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x010), 4);
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x014), 4096);
    CU_ASSERT_EQUAL(db_ld_be64(b + 0x018), DMEM);
    CU_ASSERT_EQUAL(db_ld_be64(b + 0x020), 0);
    CU_ASSERT_EQUAL(db_ld_be64(b + 0x028), DMEM);
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x030), DMEM / 4096);
    CU_ASSERT_EQUAL(db_ld_be64(b + 0x038), 5000000ull << 12);
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x048), 2);
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x050), 2);
    CU_ASSERT_EQUAL(db_ld_be64(b + 0x054), DMEM);
    CU_ASSERT_EQUAL(db_ld_be16(b + 0x05d), 2);
    CU_ASSERT_EQUAL(db_ld_be16(b + 0x05f), 2);
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x800), 0);
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x804), 0x8000);
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x808), 0);
    CU_ASSERT_EQUAL(memcmp(b + 4096 + DMEM, "DUMP_END", 8), 0);
    CU_ASSERT_EQUAL(db_ld_be64(b + 4096 + DMEM + 8), 5000000ull << 12);
    free(b);
    testhost_free(th);
}

static void t_version4_without_cpus(void)
{
    struct s390dump_info in;
    uint8_t hdr[4096];
    memset(&in, 0, sizeof(in));
    in.mem_size = 8192;
    CU_ASSERT_EQUAL(s390dump_encode_header(&in, hdr, NULL, 0), S390DUMP_OK);
    CU_ASSERT_EQUAL(db_ld_be32(hdr + 8), 4);
    in.version = 3;
    CU_ASSERT_EQUAL(s390dump_encode_header(&in, hdr, NULL, 0), S390DUMP_OK);
    CU_ASSERT_EQUAL(db_ld_be32(hdr + 8), 3);
}

static void t_writer_rejects(void)
{
    struct s390dump_info in;
    uint8_t hdr[4096];
    char err[128] = "";
    memset(&in, 0, sizeof(in));
    in.mem_size = 5000;
    CU_ASSERT_EQUAL(s390dump_encode_header(&in, hdr, err, sizeof(err)), S390DUMP_E_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "mem_size"));
    in.mem_size = 4096;
    in.cpu_cnt = 513;
    CU_ASSERT_EQUAL(s390dump_encode_header(&in, hdr, NULL, 0), S390DUMP_E_INVALID);
    in.cpu_cnt = 0;
    in.mem_start = 4096;
    CU_ASSERT_EQUAL(s390dump_encode_header(&in, hdr, NULL, 0), S390DUMP_E_INVALID);
    in.mem_start = 0;
    in.page_size = 1 << 20;
    CU_ASSERT_EQUAL(s390dump_encode_header(&in, hdr, NULL, 0), S390DUMP_E_INVALID);
}

static int failing_read(void *o, uint64_t addr, void *buf, uint64_t len)
{
    (void)o; (void)buf; (void)len;
    return addr >= 8192 ? -1 : 0;
}

static int count_write(void *o, const void *buf, size_t len)
{
    (void)buf;
    *(size_t *)o += len;
    return 0;
}

static void t_writer_read_error(void)
{
    struct s390dump_info in;
    size_t written = 0;
    char err[128] = "";
    memset(&in, 0, sizeof(in));
    in.mem_size = 4 * 256 * 1024;
    CU_ASSERT_EQUAL(s390dump_write(&in, failing_read, NULL, count_write, &written,
                                   err, sizeof(err)), S390DUMP_E_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "0x40000"));
    CU_ASSERT_EQUAL(written, 4096 + 256 * 1024);  /* header + first chunk */
}

static void t_file_and_fd_writers(void)
{
    struct testhost *th = mk_host();
    struct s390dump_info in, out;
    uint8_t *buf = malloc(4096 + DMEM + 16);
    const uint8_t *mem;
    s390dump_info_from_host(&in, &th->host);
    FILE *fp = tmpfile();
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    CU_ASSERT_EQUAL(s390dump_write_host_file(&in, &th->host, fp, NULL, 0), S390DUMP_OK);
    rewind(fp);
    CU_ASSERT_EQUAL(fread(buf, 1, 4096 + DMEM + 16, fp), 4096 + DMEM + 16);
    CU_ASSERT_EQUAL(s390dump_parse(buf, 4096 + DMEM + 16, &out, &mem, NULL, 0), S390DUMP_OK);
    CU_ASSERT_EQUAL(memcmp(mem, th->mem, DMEM), 0);
    fclose(fp);
    fp = tmpfile();
    int fd = fileno(fp);
    CU_ASSERT_EQUAL(s390dump_write_host_fd(&in, &th->host, fd, NULL, 0), S390DUMP_OK);
    CU_ASSERT_EQUAL(lseek(fd, 0, SEEK_END), 4096 + DMEM + 16);
    fclose(fp);
    CU_ASSERT_EQUAL(s390dump_write_host_fd(&in, &th->host, -1, NULL, 0), S390DUMP_E_INVALID);
    free(buf);
    testhost_free(th);
}

static void t_corrupt_inputs(void)
{
    struct testhost *th = mk_host();
    struct s390dump_info in;
    uint8_t *b = NULL;
    size_t len = 0;
    char err[256];
    CU_ASSERT_EQUAL_FATAL(write_mem(th, &b, &len, &in), S390DUMP_OK);
    uint8_t *c = malloc(len);

    memcpy(c, b, len); c[0] ^= 1;
    CU_ASSERT_EQUAL(s390dump_parse(c, len, NULL, NULL, err, sizeof(err)), S390DUMP_E_BADMAGIC);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "magic"));
    memcpy(c, b, len); c[7] = 0xfe;
    CU_ASSERT_EQUAL(s390dump_parse(c, len, NULL, NULL, err, sizeof(err)), S390DUMP_E_NOTIMPL);
    CU_ASSERT_EQUAL(s390dump_parse(b, 4, NULL, NULL, err, sizeof(err)), S390DUMP_E_TRUNCATED);
    CU_ASSERT_EQUAL(s390dump_parse(b, 2048, NULL, NULL, err, sizeof(err)), S390DUMP_E_TRUNCATED);
    CU_ASSERT_EQUAL(s390dump_parse(b, 4096 + DMEM - 1, NULL, NULL, err, sizeof(err)),
                    S390DUMP_E_TRUNCATED);
    CU_ASSERT_EQUAL(s390dump_parse(b, 4096 + DMEM, NULL, NULL, err, sizeof(err)),
                    S390DUMP_E_INCOMPLETE);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "incomplete"));
    CU_ASSERT_EQUAL(s390dump_parse(b, len - 1, NULL, NULL, err, sizeof(err)),
                    S390DUMP_E_INCOMPLETE);
    memcpy(c, b, len); memcpy(c + 4096 + DMEM, "DUMP_EN\0", 8);
    CU_ASSERT_EQUAL(s390dump_parse(c, len, NULL, NULL, err, sizeof(err)), S390DUMP_E_INCOMPLETE);
    memcpy(c, b, len); db_st_be64(c + 4096 + DMEM + 8, 1);   /* end tod < start tod */
    CU_ASSERT_EQUAL(s390dump_parse(c, len, NULL, NULL, err, sizeof(err)), S390DUMP_E_CORRUPT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "tod"));
    memcpy(c, b, len); db_st_be32(c + 0x0c, 0x2000);
    CU_ASSERT_EQUAL(s390dump_parse(c, len, NULL, NULL, err, sizeof(err)), S390DUMP_E_CORRUPT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "hdr_size"));
    memcpy(c, b, len); db_st_be16(c + 0x5d, 513);
    CU_ASSERT_EQUAL(s390dump_parse(c, len, NULL, NULL, err, sizeof(err)), S390DUMP_E_CORRUPT);
    memcpy(c, b, len); db_st_be32(c + 0x30, 1);
    CU_ASSERT_EQUAL(s390dump_parse(c, len, NULL, NULL, err, sizeof(err)), S390DUMP_E_CORRUPT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "num_pages"));
    memcpy(c, b, len); db_st_be32(c + 0x48, 3);
    CU_ASSERT_EQUAL(s390dump_parse(c, len, NULL, NULL, err, sizeof(err)), S390DUMP_E_CORRUPT);
    memcpy(c, b, len); db_st_be64(c + 0x18, ~0ull & ~0xfffull);  /* huge mem_size */
    db_st_be32(c + 0x30, (uint32_t)((~0ull & ~0xfffull) / 4096));
    CU_ASSERT_NOT_EQUAL(s390dump_parse(c, len, NULL, NULL, err, sizeof(err)), S390DUMP_OK);
    memcpy(c, b, len); c[0x61] = 1;
    CU_ASSERT_EQUAL(s390dump_parse(c, len, NULL, NULL, err, sizeof(err)), S390DUMP_E_NOTIMPL);
    CU_ASSERT_STRING_EQUAL(s390dump_strerror(S390DUMP_E_INCOMPLETE),
                           "incomplete (end marker missing)");
    free(c);
    free(b);
    testhost_free(th);
}

/* Dump the memory image after a dump IPL and find the IPL CPU's registers
 * in the lowcore save area of the dumped memory. */
static void t_dump_after_dump_ipl(void)
{
    struct fx f;
    struct s390dump_info in, out;
    uint8_t *b = NULL;
    size_t len = 0;
    const uint8_t *mem;
    fx_init(&f, NULL, 4 * MiB, 1);
    fill_cpu(&f.th->s390[0], 0);
    CU_ASSERT_EQUAL(sclp_dump_ipl(f.s, 0), SCLP_OK);
    s390dump_info_from_host(&in, &f.th->host);
    CU_ASSERT_EQUAL(s390dump_write_host_mem(&in, &f.th->host, &b, &len, NULL, 0), S390DUMP_OK);
    CU_ASSERT_EQUAL(s390dump_parse(b, len, &out, &mem, NULL, 0), S390DUMP_OK);
    struct db_s390_cpu c;
    memset(&c, 0, sizeof(c));
    sclp_save_area_decode(mem + 0x1200, &c);
    CU_ASSERT_EQUAL(c.gprs[7], f.th->s390[0].gprs[7]);
    CU_ASSERT_EQUAL(c.prefix, out.lc_vec[0]);
    CU_ASSERT_EQUAL(mem[0xa3], 1);
    free(b);
    fx_fini(&f);
}

static void t_tod_conversion(void)
{
    CU_ASSERT_EQUAL(s390dump_ns_to_tod(0), 0);
    CU_ASSERT_EQUAL(s390dump_ns_to_tod(1000), 4096);
    CU_ASSERT_EQUAL(s390dump_ns_to_tod(1500), 4096 + 2048);
    CU_ASSERT_EQUAL(s390dump_file_size(8192), 4096 + 8192 + 16);
}

static const struct tcase tests[] = {
    { "round trip through memory", t_roundtrip_mem },
    { "header bytes", t_header_bytes },
    { "version 4 without CPUs", t_version4_without_cpus },
    { "writer rejects bad info", t_writer_rejects },
    { "writer read error", t_writer_read_error },
    { "FILE and fd writers", t_file_and_fd_writers },
    { "corrupt inputs", t_corrupt_inputs },
    { "dump after dump IPL", t_dump_after_dump_ipl },
    { "tod conversion", t_tod_conversion },
    { NULL, NULL },
};

void register_s390dump_tests(void)
{
    ADD_SUITE("s390dump", tests);
}
