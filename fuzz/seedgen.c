/*
 * fuzz-seedgen DIR: write seed corpora for the libFuzzer targets into
 * DIR/<target>/ (one file per valid input, in each target's input layout,
 * see the fuzz_*.c headers).  Every seed is built with the libraries'
 * own encoders/writers where they exist, and the firmware seeds are
 * checked against the models here (a seed the model rejects is reported,
 * since it would not reach the deep paths).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <zlib.h>
#include <zstd.h>

#include <dumpbench/be.h>
#include <dumpfmt/dump.h>
#include <fcp/fcp.h>
#include <phyp/phyp.h>
#include <sclp/s390dump.h>
#include <sclp/sclp.h>

#include "fuzz_host.h"

#define SEED_MAX (1u << 20)

static const char *outdir;
static unsigned nseeds, nwarn;

static void save(const char *target, const char *name, const uint8_t *buf, size_t len)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", outdir, target);
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        perror(path);
        exit(1);
    }
    snprintf(path, sizeof(path), "%s/%s/%s", outdir, target, name);
    FILE *fp = fopen(path, "wb");
    if (!fp || (len && fwrite(buf, 1, len, fp) != len) || fclose(fp) != 0) {
        perror(path);
        exit(1);
    }
    nseeds++;
}

static void warn(const char *what)
{
    fprintf(stderr, "fuzz-seedgen: warning: %s\n", what);
    nwarn++;
}

/* ---- libsclp SERVICE CALL --------------------------------------------------------- */

/* One call record: cmd index (into the target's table), SCCB at 0x11000. */
static size_t servc_call(uint8_t *b, size_t o, unsigned cmd_idx, const uint8_t *sccb,
                         uint16_t len)
{
    o = fz_put_u32(b, o, cmd_idx);                  /* top byte 0: table entry */
    o = fz_put_u32(b, o, (0x11000u - 0x2000u) / 8u); /* -> 0x11000 */
    o = fz_put_u16(b, o, len);
    memcpy(b + o, sccb, len);
    return o + len;
}

static void seeds_servc(void)
{
    /* Table order in fuzz_sclp_servc.c: 0 READ_CPU_INFO, 1 READ_SCP_INFO,
     * 2 FORCED, 3 STORAGE_INFO, 4 READ_EVENT_DATA, 5 WRITE_EVENT_DATA,
     * 6 WRITE_EVENT_MASK. */
    static uint8_t b[8192];
    uint8_t sccb[4096];
    struct { const char *name; unsigned idx; uint16_t sccb_len; uint8_t fc; } simple[] = {
        { "read-scp-info", 1, 4096, 0 }, { "read-scp-info-forced", 2, 4096, 0 },
        { "read-cpu-info", 0, 4096, 0 }, { "read-storage-info", 3, 4096, 0 },
        { "read-event-data", 4, 4096, SCLP_FC_UNCONDITIONAL_READ },
        { "read-event-data-sel", 4, 4096, SCLP_FC_SELECTIVE_READ },
        { "read-scp-info-short", 1, 16, 0 },
    };
    for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++) {
        memset(sccb, 0, sizeof(sccb));
        db_st_be16(sccb, simple[i].sccb_len);
        sccb[2] = simple[i].fc;
        if (simple[i].fc == SCLP_FC_SELECTIVE_READ) {
            db_st_be32(sccb + 8, (uint32_t)(SCLP_EVTYP_MASK(SCLP_EVTYP_SDIAS) >> 32));
        }
        size_t o = 0;
        o = fz_put_u8(b, o, 0);
        o = fz_put_u8(b, o, i % 2 ? 0x03 : 0x00);
        o = fz_put_u8(b, o, 0);
        o = servc_call(b, o, simple[i].idx, sccb, 16);
        save("sclp_servc", simple[i].name, b, o);
    }
    /* Write Event Mask, mask length 4, SDIAS both ways. */
    uint8_t wem[28];
    memset(wem, 0, sizeof(wem));
    db_st_be16(wem, sizeof(wem));
    db_st_be16(wem + 10, 4);
    db_st_be32(wem + 12, (uint32_t)(SCLP_EVTYP_MASK(SCLP_EVTYP_SDIAS) >> 32));
    db_st_be32(wem + 16, (uint32_t)(SCLP_EVTYP_MASK(SCLP_EVTYP_SDIAS) >> 32));
    size_t o = 0;
    o = fz_put_u8(b, o, 0);
    o = fz_put_u8(b, o, 0);
    o = fz_put_u8(b, o, 0);
    o = servc_call(b, o, 6, wem, sizeof(wem));
    save("sclp_servc", "write-event-mask", b, o);

    /* SDIAS size query then store-data of block 2, in the dump kernel. */
    uint8_t sd[68];
    memset(sd, 0, sizeof(sd));
    db_st_be16(sd, sizeof(sd));
    db_st_be16(sd + 8, 60);
    sd[8 + 2] = SCLP_EVTYP_SDIAS;
    sd[8 + 6] = SDIAS_EQ_SIZE;
    db_st_be32(sd + 8 + 16, SDIAS_EVENT_ID);
    sd[8 + 22] = SDIAS_ASA_SIZE_64;
    db_st_be16(sd + 8 + 58, 1);
    uint8_t st[68];
    memcpy(st, sd, sizeof(st));
    st[8 + 6] = SDIAS_EQ_STORE_DATA;
    db_st_be32(st + 8 + 28, 2);           /* blk_cnt */
    db_st_be64(st + 8 + 32, 0x40000);     /* asa */
    db_st_be32(st + 8 + 44, 2);           /* fbn */
    o = 0;
    o = fz_put_u8(b, o, 0);
    o = fz_put_u8(b, o, 0x03);
    o = fz_put_u8(b, o, 2);
    o = servc_call(b, o, 5, sd, sizeof(sd));
    o = servc_call(b, o, 5, st, sizeof(st));
    memset(sccb, 0, 16);
    db_st_be16(sccb, 4096);
    o = servc_call(b, o, 4, sccb, 16);
    save("sclp_servc", "sdias-size-store-read", b, o);
    /* The same after the HSA was released. */
    b[1] = 0x07;
    save("sclp_servc", "sdias-after-release", b, o);
}

/* ---- libsclp DIAG 308 ---------------------------------------------------------------- */

static size_t diag_call(uint8_t *b, size_t o, uint8_t subsel, uint32_t addrsel,
                        const uint8_t *blk, uint16_t len)
{
    o = fz_put_u8(b, o, subsel);
    o = fz_put_u32(b, o, addrsel);
    o = fz_put_u16(b, o, len);
    if (len) {
        memcpy(b + o, blk, len);
    }
    return o + len;
}

static void seeds_diag308(void)
{
    static uint8_t b[3 * SCLP_IPLB_SIZE];
    uint8_t *iplb = malloc(SCLP_IPLB_SIZE);
    struct sclp_iplb_info *info = calloc(1, sizeof(*info));
    if (!iplb || !info) {
        exit(1);
    }
    struct { const char *name; int type; uint8_t opt; } kinds[] = {
        { "fcp-dump", SCLP_IPL_PBT_FCP, SCLP_IPL_OPT_DUMP },
        { "fcp-ipl", SCLP_IPL_PBT_FCP, SCLP_IPL_OPT_IPL },
        { "nvme-dump", SCLP_IPL_PBT_NVME, SCLP_IPL_OPT_DUMP },
        { "ccw", SCLP_IPL_PBT_CCW, 0 },
    };
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        memset(info, 0, sizeof(*info));
        if (kinds[k].type == SCLP_IPL_PBT_FCP) {
            sclp_iplb_info_fcp(info, kinds[k].opt, 0x1900, 0x500507630300c562ull,
                               0x4010400000000000ull);
            info->scp_data_len = 8;
            memcpy(info->scp_data, "root=/de", 8);
        } else if (kinds[k].type == SCLP_IPL_PBT_NVME) {
            sclp_iplb_info_nvme(info, kinds[k].opt, 0x10, 1);
        } else {
            sclp_iplb_info_ccw(info, 0, 0x5c00);
            info->vm_parm_len = 4;
            memcpy(info->vm_parm, "parm", 4);
        }
        uint32_t len = 0;
        if (sclp_iplb_encode(info, iplb, &len) != SCLP_IPLB_OK) {
            warn("IPLB encode failed");
            continue;
        }
        /* SET at 0x10000, STORE to 0x11000, then LOAD NORMAL DUMP and REL HSA. */
        size_t o = 0;
        o = fz_put_u8(b, o, 0);
        o = fz_put_u8(b, o, 0);
        o = fz_put_u8(b, o, 3);
        o = diag_call(b, o, 0, 0, iplb, (uint16_t)len);
        o = diag_call(b, o, 3, 1, NULL, 0);
        o = diag_call(b, o, 6, 0, NULL, 0);
        o = diag_call(b, o, 5, 0, NULL, 0);
        save("sclp_diag308", kinds[k].name, b, o);
        /* The block alone, SET only, from CPU 1 in the dump kernel. */
        o = 0;
        o = fz_put_u8(b, o, 0);
        o = fz_put_u8(b, o, 0x03);
        o = fz_put_u8(b, o, 0);
        o = diag_call(b, o, 0, 0, iplb, (uint16_t)len);
        char name[64];
        snprintf(name, sizeof(name), "%s-dumpkernel", kinds[k].name);
        save("sclp_diag308", name, b, o);
    }
    free(iplb);
    free(info);
}

/* ---- s390 stand-alone dump ----------------------------------------------------------- */

static void seeds_s390dump(void)
{
    for (unsigned ncpus = 0; ncpus <= 2; ncpus += 2) {
        struct fuzz_host *fh = fh_new(FH_S390X, 64u << 10, ncpus ? ncpus : 1);
        if (!fh) {
            exit(1);
        }
        for (uint64_t i = 0; i < fh->mem_size; i++) {
            fh->mem[i] = (uint8_t)(i * 7u + (i >> 12));
        }
        if (!ncpus) {
            fh->s390[0].online = false;
        }
        struct s390dump_info *info = calloc(1, sizeof(*info));
        uint8_t *img = NULL;
        size_t len = 0;
        char err[256];
        if (!info || s390dump_info_from_host(info, &fh->host) != S390DUMP_OK ||
            s390dump_write_host_mem(info, &fh->host, &img, &len, err, sizeof(err)) !=
                S390DUMP_OK) {
            warn("s390dump writer failed");
        } else {
            save("s390dump", ncpus ? "s390dump-2cpus" : "s390dump-nocpu", img, len);
            if (s390dump_parse(img, len, NULL, NULL, err, sizeof(err)) != S390DUMP_OK) {
                warn("s390dump seed does not parse");
            }
        }
        free(img);
        free(info);
        fh_free(fh);
    }
}

/* ---- libfcp ------------------------------------------------------------------------ */

struct cdbseed {
    const char *name;
    uint8_t cdb[16];
    uint8_t cdb_len;
    uint8_t dir;          /* 1 in, 2 out */
    uint32_t xfer;
};

static const struct cdbseed cdbs[] = {
    { "inquiry", { 0x12, 0, 0, 0, 36, 0 }, 6, 1, 36 },
    { "inquiry-vpd00", { 0x12, 1, 0x00, 0, 255, 0 }, 6, 1, 255 },
    { "inquiry-vpd80", { 0x12, 1, 0x80, 0, 255, 0 }, 6, 1, 255 },
    { "inquiry-vpd83", { 0x12, 1, 0x83, 0, 255, 0 }, 6, 1, 255 },
    { "tur", { 0x00 }, 6, 0, 0 },
    { "request-sense", { 0x03, 0, 0, 0, 18, 0 }, 6, 1, 18 },
    { "read-cap10", { 0x25 }, 10, 1, 8 },
    { "read-cap16", { 0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0 }, 16, 1, 32 },
    { "read10", { 0x28, 0, 0, 0, 0, 1, 0, 0, 2, 0 }, 10, 1, 1024 },
    { "write10", { 0x2a, 0, 0, 0, 0, 1, 0, 0, 1, 0 }, 10, 2, 512 },
    { "read16", { 0x88, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0 }, 16, 1, 1024 },
    { "write16", { 0x8a, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0 }, 16, 2, 512 },
    { "sync10", { 0x35 }, 10, 0, 0 },
    { "sync16", { 0x91 }, 16, 0, 0 },
    { "report-luns", { 0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0 }, 12, 1, 256 },
};
#define NCDBS (sizeof(cdbs) / sizeof(cdbs[0]))

static size_t scsi_cmd(uint8_t *b, size_t o, const struct cdbseed *c)
{
    o = fz_put_u8(b, o, c->cdb_len);
    memcpy(b + o, c->cdb, c->cdb_len);
    o += c->cdb_len;
    o = fz_put_u8(b, o, c->dir);
    o = fz_put_u32(b, o, c->xfer);
    if (c->dir == 2) {
        for (uint32_t i = 0; i < c->xfer; i++) {
            b[o + i] = (uint8_t)(0x5a ^ i);
        }
        o += c->xfer;
    }
    return o;
}

static void seeds_fcp(void)
{
    static uint8_t b[16384];
    for (size_t i = 0; i < NCDBS; i++) {
        size_t o = 0;
        o = fz_put_u8(b, o, 0);
        o = fz_put_u8(b, o, 15);          /* 16 blocks */
        o = scsi_cmd(b, o, &cdbs[i]);
        save("fcp_scsi", cdbs[i].name, b, o);
        /* FCP_CMND IU: LUN, attr simple, direction flag, CDB, FCP_DL. */
        uint8_t iu[FCP_CMND_IU_LEN];
        memset(iu, 0, sizeof(iu));
        db_st_be64(iu, 0x4010400000000000ull);
        iu[11] = cdbs[i].dir == 1 ? FCP_CFL_RDDATA : cdbs[i].dir == 2 ? FCP_CFL_WRDATA : 0;
        memcpy(iu + 12, cdbs[i].cdb, 16);
        db_st_be32(iu + 28, cdbs[i].xfer);
        o = 0;
        o = fz_put_u8(b, o, 0);
        o = fz_put_u8(b, o, 15);
        o = fz_put_u16(b, o, FCP_CMND_IU_LEN);
        memcpy(b + o, iu, sizeof(iu));
        o += sizeof(iu);
        for (uint32_t k = 0; cdbs[i].dir == 2 && k < cdbs[i].xfer; k++) {
            b[o++] = (uint8_t)k;
        }
        save("fcp_cmnd", cdbs[i].name, b, o);
    }
    /* A session: inquiry, read capacity, write, read back, sync; with the
     * 4 KiB block and fault variants. */
    static const uint8_t variants[] = { 0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x20 };
    static const char *const vnames[] = { "session", "session-4k", "session-lun0",
                                          "session-medium", "session-linkdown",
                                          "session-timeout", "session-removed" };
    for (size_t v = 0; v < sizeof(variants); v++) {
        size_t o = 0;
        o = fz_put_u8(b, o, variants[v]);
        o = fz_put_u8(b, o, 15);
        const unsigned seq[] = { 0, 7, 9, 8, 11, 10, 12 };
        for (size_t k = 0; k < sizeof(seq) / sizeof(seq[0]); k++) {
            o = scsi_cmd(b, o, &cdbs[seq[k]]);
        }
        save("fcp_scsi", vnames[v], b, o);
    }
}

/* ---- libphyp ------------------------------------------------------------------------ */

static size_t put_section(uint8_t *f, unsigned i, uint16_t type, uint64_t src, uint64_t len,
                          uint64_t dst)
{
    uint8_t *s = f + PHYP_FDM_FIRST_SEC_OFF + i * PHYP_FDM_SEC_SIZE;
    db_st_be32(s + PHYP_SEC_REQUEST_FLAG, PHYP_FDM_REQUEST_FLAG);
    db_st_be16(s + PHYP_SEC_TYPE, type);
    db_st_be64(s + PHYP_SEC_SOURCE_ADDR, src);
    db_st_be64(s + PHYP_SEC_SOURCE_LEN, len);
    db_st_be64(s + PHYP_SEC_DEST_ADDR, dst);
    return PHYP_FDM_SIZE(i + 1);
}

static void seeds_phyp(void)
{
    static uint8_t b[4096];
    struct fuzz_host *fh = fh_new(FH_PPC64, 512u << 10, 2);
    if (!fh) {
        exit(1);
    }
    for (size_t pi = 0; phyp_profile_at(pi); pi++) {
        const struct phyp_profile *prof = phyp_profile_at(pi);
        uint8_t fdm[PHYP_FDM_SIZE(3)];
        memset(fdm, 0, sizeof(fdm));
        db_st_be32(fdm + PHYP_FDM_VERSION, PHYP_FDM_VERSION_1);
        db_st_be16(fdm + PHYP_FDM_NUM_SECTIONS, 3);
        db_st_be32(fdm + PHYP_FDM_FIRST_SEC, PHYP_FDM_FIRST_SEC_OFF);
        fh_reset(fh);
        uint64_t cpu_sz = phyp_profile_cpu_state_size(prof, &fh->host);
        put_section(fdm, 0, PHYP_SRC_CPU_STATE, 0, cpu_sz, 0x40000);
        put_section(fdm, 1, PHYP_SRC_HPTE, 0, prof->hpte_size, 0x40000 + ((cpu_sz + 0xfff) & ~0xfffull));
        size_t fl = put_section(fdm, 2, PHYP_SRC_REAL_MODE, 0, 0x10000, 0x50000);
        size_t o = 0;
        o = fz_put_u8(b, o, (uint8_t)pi);
        o = fz_put_u8(b, o, 0);
        o = fz_put_u32(b, o, 0);            /* fdm at 0x10000 */
        o = fz_put_u32(b, o, (uint32_t)fl);
        o = fz_put_u16(b, o, (uint16_t)fl);
        memcpy(b + o, fdm, fl);
        o += fl;
        o = fz_put_u32(b, o, 0x50000);      /* release the first 4 KiB of the copy */
        o = fz_put_u32(b, o, 0x1000);
        o = fz_put_u32(b, o, 0x51000);
        o = fz_put_u32(b, o, 0xf000);
        char name[64];
        snprintf(name, sizeof(name), "register-%s", prof->name);
        save("phyp_register", name, b, o);
        /* Check the model accepts it (supported profiles). */
        struct phyp *p = phyp_new(&fh->host, prof);
        if (p) {
            memcpy(fh->mem + 0x10000, fdm, fl);
            int32_t rc = 0;
            for (int k = 0; k < 8; k++) {
                rc = phyp_configure_kernel_dump(p, 3, 1, PHYP_CMD_REGISTER, 0x10000, fl);
                if (rc != PHYP_RTAS_BUSY && (rc < PHYP_RTAS_EXT_BUSY_MIN || rc > PHYP_RTAS_EXT_BUSY_MAX)) {
                    break;
                }
            }
            if (prof->supported && rc != 0) {
                char w[128];
                snprintf(w, sizeof(w), "phyp seed for profile %s rejected: rc %d", prof->name, rc);
                warn(w);
            }
            phyp_free(p);
        }
    }
    fh_free(fh);

    /* Register save areas for 1 and 2 CPUs. */
    struct db_ppc64_cpu cpus[2];
    memset(cpus, 0, sizeof(cpus));
    for (unsigned i = 0; i < 2; i++) {
        cpus[i].online = true;
        cpus[i].cpu_id = i * 8;
        for (unsigned g = 0; g < 32; g++) {
            cpus[i].gpr[g] = 0x1000u * i + g;
        }
        cpus[i].nia = 0xc000000000012345ull;
        cpus[i].msr = 0x8000000000001033ull;
    }
    for (unsigned n = 1; n <= 2; n++) {
        size_t len = 0;
        b[0] = (uint8_t)n;
        if (phyp_regsave_build(cpus, n, b + 1, sizeof(b) - 1, &len) != PHYP_OK) {
            warn("regsave build failed");
            continue;
        }
        save("phyp_regsave", n == 1 ? "regsave-1cpu" : "regsave-2cpus", b, len + 1);
    }
}

/* ---- dumpfmt ------------------------------------------------------------------------ */

static struct df_dump *sample(enum df_arch arch, uint64_t chunk)
{
    struct df_err err;
    struct df_dump *d = df_dump_new(arch);
    uint8_t *buf = malloc(chunk);
    if (!d || !buf) {
        exit(1);
    }
    for (uint64_t i = 0; i < chunk; i++) {
        buf[i] = (uint8_t)(i * 13u + 1u);
    }
    df_dump_add_chunk(d, 0, buf, chunk, &err);
    df_dump_add_chunk(d, 4 * chunk, buf, chunk, &err);
    free(buf);
    for (unsigned i = 0; i < 2; i++) {
        struct df_cpu c;
        memset(&c, 0, sizeof(c));
        c.present = 1;
        if (arch == DF_ARCH_S390X) {
            c.regs.s390.prefix = 0x2000u * (i + 1);
            c.regs.s390.psw_addr = 0x1000 + i;
            c.regs.s390.gprs[2] = 0x1234;
        } else if (arch != DF_ARCH_X86_64) {
            c.regs.ppc64.nia = 0xc000000000001000ull + i;
            c.regs.ppc64.gpr[1] = 0xc000000000100000ull;
        }
        if (arch != DF_ARCH_X86_64) {
            df_dump_add_cpu(d, &c, &err);
        }
    }
    static const char vmci[] = "OSRELEASE=6.1.0\nPAGESIZE=4096\nSYMBOL(swapper_pg_dir)=1000\n";
    df_dump_set_vmcoreinfo(d, vmci, sizeof(vmci) - 1, &err);
    return d;
}

/* makedumpfile kdump-compressed, 16 pages, some excluded, 64-bit. */
static void kdump_seed(const char *name, bool be, const char *machine, uint32_t comp, int version)
{
    enum { BS = 4096, NP = 16 };
    size_t cap = 8 * BS + NP * (BS + 64);
    uint8_t *f = calloc(1, cap);
    uint8_t page[BS], tmp[BS + 1024];
    if (!f) {
        exit(1);
    }
#define ST32(p, v) (be ? db_st_be32((p), (v)) : db_st_le32((p), (v)))
#define ST64(p, v) (be ? db_st_be64((p), (v)) : db_st_le64((p), (v)))
    memcpy(f, "KDUMP   ", 8);
    ST32(f + 0x8, (uint32_t)version);
    memcpy(f + 0xc, "Linux", 5);
    memcpy(f + 0xc + 4 * 65, machine, strlen(machine));
    ST32(f + 0x1a8, comp);
    ST32(f + 0x1ac, BS);
    ST32(f + 0x1b0, 1);                 /* sub header blocks */
    ST32(f + 0x1b4, 2);                 /* bitmap blocks */
    ST32(f + 0x1b8, NP);
    ST32(f + 0x1cc, 1);
    uint8_t *sh = f + BS;
    ST32(sh + 0x08, 1);
    static const char vmci[] = "OSRELEASE=6.1.0\nPAGESIZE=4096\n";
    memcpy(sh + 104, vmci, sizeof(vmci) - 1);
    if (version >= 3) {
        ST64(sh + 0x20, BS + 104);
        ST64(sh + 0x28, sizeof(vmci) - 1);
    }
    if (version >= 6) {
        ST64(sh + 0x60, NP);
    }
    uint8_t *bm1 = f + 2 * BS, *bm2 = bm1 + BS;
    size_t ndesc = 0;
    for (unsigned p = 0; p < NP; p++) {
        ndesc += (p % 5) != 3;
    }
    size_t pd_off = 4 * BS, doff = pd_off + ndesc * 24, di = 0;
    for (unsigned p = 0; p < NP; p++) {
        bm1[p / 8] |= (uint8_t)(1u << (p % 8));
        if (p % 5 == 3) {
            continue;
        }
        bm2[p / 8] |= (uint8_t)(1u << (p % 8));
        for (unsigned i = 0; i < BS; i++) {
            page[i] = (uint8_t)(p % 3 ? (i / 64 + p) : (i * 31 + p));
        }
        size_t csz = BS;
        uint32_t flags = 0;
        if (comp == 0x01) {
            uLongf n = sizeof(tmp);
            if (compress2(tmp, &n, page, BS, 1) == Z_OK && n < BS) {
                csz = n;
                flags = 0x01;
            }
        } else if (comp == 0x20) {
            size_t n = ZSTD_compress(tmp, sizeof(tmp), page, BS, 1);
            if (!ZSTD_isError(n) && n < BS) {
                csz = n;
                flags = 0x20;
            }
        }
        if (!flags) {
            memcpy(tmp, page, BS);
        }
        uint8_t *pd = f + pd_off + di * 24;
        ST64(pd, doff);
        ST32(pd + 8, (uint32_t)csz);
        ST32(pd + 12, flags);
        memcpy(f + doff, tmp, csz);
        doff += csz;
        di++;
    }
#undef ST32
#undef ST64
    save("dumpfmt", name, f, doff);
    free(f);
}

static void seeds_dumpfmt(void)
{
    struct { const char *name; enum df_arch arch; uint64_t chunk; } s[] = {
        { "elf-s390x", DF_ARCH_S390X, 16384 },
        { "elf-ppc64", DF_ARCH_PPC64, 65536 },
        { "elf-ppc64le", DF_ARCH_PPC64LE, 65536 },
        { "elf-x86_64", DF_ARCH_X86_64, 16384 },
    };
    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
        struct df_dump *d = sample(s[i].arch, s[i].chunk);
        struct df_err err;
        uint8_t *buf = NULL;
        size_t len = 0;
        if (df_write_elf_mem(d, &buf, &len, &err) == DF_OK && len <= SEED_MAX) {
            save("dumpfmt", s[i].name, buf, len);
        } else {
            warn(err.msg);
        }
        free(buf);
        if (s[i].arch == DF_ARCH_S390X) {
            buf = NULL;
            if (df_write_s390_mem(d, &buf, &len, &err) == DF_OK && len <= SEED_MAX) {
                save("dumpfmt", "s390-standalone", buf, len);
            } else {
                warn(err.msg);
            }
            free(buf);
        }
        df_dump_free(d);
    }
    kdump_seed("kdump-zlib-s390x", true, "s390x", 0x01, 6);
    kdump_seed("kdump-zstd-x86_64", false, "x86_64", 0x20, 6);
    kdump_seed("kdump-raw-ppc64le-v1", false, "ppc64le", 0x00, 1);
    kdump_seed("kdump-zlib-ppc64-v3", true, "ppc64", 0x01, 3);
}

/* CHSC SSQD requests as lx61 chsc_ssqd builds them (length 0x10, code
 * 0x24, ssid/fmt halfword, first = last = the subchannel), for
 * fuzz_fcp_ssqd: u16 req_len, u16 cap, u8 kind seed, request. */
static void seeds_ssqd(void)
{
    static const struct { const char *name; uint16_t first, last, cap; } v[] = {
        { "one-sch", 1, 1, 0x1000 }, { "range", 0, 7, 0x1000 }, { "small-cap", 0, 200, 0x48 },
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        uint8_t b[64];
        size_t o = 0;
        o = fz_put_u16(b, o, 0x10);
        o = fz_put_u16(b, o, v[i].cap);
        o = fz_put_u8(b, o, (uint8_t)i);
        memset(b + o, 0, 16);
        db_st_be16(b + o, 0x10);
        db_st_be16(b + o + 2, 0x24);
        db_st_be16(b + o + 6, v[i].first);
        db_st_be16(b + o + 10, v[i].last);
        o += 16;
        save("fcp_ssqd", v[i].name, b, o);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: fuzz-seedgen DIR\n");
        return 2;
    }
    outdir = argv[1];
    if (mkdir(outdir, 0755) != 0 && errno != EEXIST) {
        perror(outdir);
        return 1;
    }
    seeds_servc();
    seeds_diag308();
    seeds_s390dump();
    seeds_fcp();
    seeds_ssqd();
    seeds_phyp();
    seeds_dumpfmt();
    printf("fuzz-seedgen: %u seeds in %s (%u warnings)\n", nseeds, outdir, nwarn);
    return 0;
}
