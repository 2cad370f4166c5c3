/*
 * Reference zfcpdump agent (see <sim/zfcpdump.h> for the flow and the
 * Linux 6.1 / s390-tools sources each step mirrors).
 *
 * The agent only talks to the machine through the host view (memory and,
 * in truth mode, CPU registers) and through struct zfd_fw / zfd_target:
 * every SCCB it sends is built in the dump kernel's memory (the scratch
 * pages) exactly like the kernel builds it, and every reply is parsed from
 * guest memory with the big-endian accessors.
 */
#include <sim/zfcpdump.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dumpbench/be.h>
#include <dumpfmt/s390.h>
#include <fcp/fcp.h>
#include <sclp/sclp.h>

#define PAGE 4096u

/* SCCB / lowcore offsets used below (lx61:drivers/s390/char/sclp.h,
 * sclp_sdias.h, arch/s390/include/asm/lowcore.h). */
#define SCCB_LEN            0
#define SCCB_CTL_MASK2      5
#define SCCB_RC             6
#define RI_HSA_SIZE         112
#define RI_HCPUA            120
#define INIT_MASK_LEN       10
#define INIT_MASKS          12
#define EV_OFF              8       /* event buffer within the SDIAS SCCB */
#define SDIAS_SCCB_LEN      68
#define SDIAS_EVBUF_LEN     60
#define LC_AR_MODE_ID       0x00a3u
#define LC_VMCORE_INFO      0x0e0cu
#define LC_SAVE_AREA        DB_S390_SA_LC_OFF
#define VMCOREINFO_MAX      4096u   /* lx61 VMCOREINFO_BYTES (PAGE_SIZE) */

struct agent {
    const struct zfd_config *cfg;
    struct zfd_result *res;
    uint64_t scratch;
    uint64_t sccb;          /* Read SCP Info / Write Event Mask */
    uint64_t sdias;         /* SDIAS SCCB */
    uint64_t bounce;        /* HSA page buffer (zcore hsa_buf) */
    uint64_t sigp_page;     /* save area at +0, additional status at +0x400 */
    uint64_t mem_size;
    uint8_t *mem;           /* the dumped memory image [0, mem_size) */
    uint16_t hcpua;
    bool vector;
};

static int set_reason(struct agent *a, enum zfd_outcome o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int set_reason(struct agent *a, enum zfd_outcome o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->res->reason, sizeof(a->res->reason), fmt, ap);
    va_end(ap);
    a->res->outcome = o;
    return -1;
}

const char *zfd_outcome_name(enum zfd_outcome o)
{
    switch (o) {
    case ZFD_COMPLETE: return "complete";
    case ZFD_INCOMPLETE: return "incomplete";
    case ZFD_FAILED: return "failed";
    case ZFD_ERROR: return "error";
    }
    return "?";
}

/* ---- guest memory helpers ------------------------------------------------- */

static int gzero(struct agent *a, uint64_t addr, uint64_t len)
{
    static const uint8_t z[PAGE];
    while (len) {
        uint64_t n = len < PAGE ? len : PAGE;
        if (db_host_write(a->cfg->mem, addr, z, n) != 0) {
            return -1;
        }
        addr += n;
        len -= n;
    }
    return 0;
}

/* ---- SCLP: Read SCP Info ---------------------------------------------------- */

/* lx61:drivers/s390/char/sclp_early_core.c sclp_early_read_info: FORCED
 * first, the normal command when FORCED is an invalid command (0x01f0). */
static int read_scp_info(struct agent *a)
{
    static const uint32_t cmds[2] = { SCLP_CMDW_READ_SCP_INFO_FORCED,
                                      SCLP_CMDW_READ_SCP_INFO };
    uint8_t hdr[8];
    int rc = -1;
    for (int i = 0; i < 2; i++) {
        if (gzero(a, a->sccb, PAGE) != 0) {
            return set_reason(a, ZFD_ERROR, "dump kernel scratch memory not writable");
        }
        memset(hdr, 0, sizeof(hdr));
        db_st_be16(hdr + SCCB_LEN, PAGE);
        hdr[SCCB_CTL_MASK2] = 0x80;               /* variable-length response */
        db_host_write(a->cfg->mem, a->sccb, hdr, sizeof(hdr));
        rc = a->cfg->fw->servc(a->cfg->fw->opaque, cmds[i], a->sccb);
        if (rc < 0) {
            return set_reason(a, ZFD_FAILED,
                              "SCLP Read SCP Info: program check 0x%02x", -rc);
        }
        if (rc == SCLP_RC_NORMAL_READ_COMPLETION) {
            break;
        }
        if (rc != SCLP_RC_INVALID_SCLP_COMMAND) {
            break;
        }
    }
    if (rc != SCLP_RC_NORMAL_READ_COMPLETION) {
        return set_reason(a, ZFD_FAILED, "SCLP Read SCP Info: response code 0x%04x", rc);
    }
    uint8_t ri[128];
    if (db_host_read(a->cfg->mem, a->sccb, ri, sizeof(ri)) != 0) {
        return set_reason(a, ZFD_ERROR, "dump kernel scratch memory not readable");
    }
    uint32_t n = db_ld_be32(ri + RI_HSA_SIZE);
    a->res->hsa_size = n ? (uint64_t)(n - 1) * PAGE : 0;
    a->hcpua = db_ld_be16(ri + RI_HCPUA);
    return 0;
}

/* ---- SDIAS ------------------------------------------------------------------ */

/* Write Event Mask with the SDIAS send mask (sclp_sdias_register, sync
 * mode: send_mask = EVTYP_SDIAS_MASK, receive_mask = 0).  sclp_register()
 * does not fail on an SCLP without the type, so neither does this. */
static void register_sdias(struct agent *a)
{
    uint8_t b[INIT_MASKS + 16];
    memset(b, 0, sizeof(b));
    db_st_be16(b + SCCB_LEN, sizeof(b));
    db_st_be16(b + INIT_MASK_LEN, 4);
    db_st_be32(b + INIT_MASKS + 4, (uint32_t)(SCLP_EVTYP_MASK(SCLP_EVTYP_SDIAS) >> 32));
    if (gzero(a, a->sccb, PAGE) == 0 &&
        db_host_write(a->cfg->mem, a->sccb, b, sizeof(b)) == 0) {
        (void)a->cfg->fw->servc(a->cfg->fw->opaque, SCLP_CMDW_WRITE_EVENT_MASK, a->sccb);
    }
}

/*
 * One SDIAS request (lx61 sclp_sdias.c sdias_sclp_send + callers): the
 * SCCB is zeroed and rebuilt for every request, resent while the event
 * buffer is not flagged accepted (SDIAS_RETRIES), then the SCCB response
 * code must be 0x0020.  Returns 0 with *status / *blk_cnt, or -1 (the
 * kernel's -EIO) with the reason in res.
 */
static int sdias_request(struct agent *a, uint8_t qual, uint32_t fbn, uint64_t asa,
                         uint8_t *status, uint32_t *blk_cnt)
{
    uint8_t s[SDIAS_SCCB_LEN];
    int rc = -1;
    for (int tries = 0; tries < ZFD_SDIAS_RETRIES; tries++) {
        memset(s, 0, sizeof(s));
        db_st_be16(s + SCCB_LEN, SDIAS_SCCB_LEN);
        db_st_be16(s + EV_OFF + 0, SDIAS_EVBUF_LEN);
        s[EV_OFF + 2] = SCLP_EVTYP_SDIAS;
        s[EV_OFF + 6] = qual;
        s[EV_OFF + 7] = SDIAS_DI_FCP_DUMP;
        db_st_be32(s + EV_OFF + 16, SDIAS_EVENT_ID);
        db_st_be16(s + EV_OFF + 58, 1);                  /* dbs */
        if (qual == SDIAS_EQ_STORE_DATA) {
            s[EV_OFF + 22] = SDIAS_ASA_SIZE_64;
            db_st_be32(s + EV_OFF + 28, 1);              /* blk_cnt */
            db_st_be64(s + EV_OFF + 32, asa);
            db_st_be32(s + EV_OFF + 44, fbn);
        }
        if (db_host_write(a->cfg->mem, a->sdias, s, sizeof(s)) != 0) {
            return set_reason(a, ZFD_ERROR, "dump kernel scratch memory not writable");
        }
        rc = a->cfg->fw->servc(a->cfg->fw->opaque, SCLP_CMDW_WRITE_EVENT_DATA, a->sdias);
        if (db_host_read(a->cfg->mem, a->sdias, s, sizeof(s)) != 0) {
            return set_reason(a, ZFD_ERROR, "dump kernel scratch memory not readable");
        }
        if (rc >= 0 && (s[EV_OFF + 3] & SCLP_EVBUF_ACCEPTED)) {
            break;
        }
    }
    a->res->sdias_rc = rc;
    if (rc < 0) {
        return set_reason(a, ZFD_FAILED, "SDIAS: service call program check 0x%02x", -rc);
    }
    if (!(s[EV_OFF + 3] & SCLP_EVBUF_ACCEPTED)) {
        return set_reason(a, ZFD_FAILED,
                          "SDIAS: event buffer not accepted after %d tries (response 0x%04x)",
                          ZFD_SDIAS_RETRIES, rc);
    }
    if (db_ld_be16(s + SCCB_RC) != SCLP_RC_NORMAL_COMPLETION) {
        return set_reason(a, ZFD_FAILED, "SDIAS: SCCB response code 0x%04x",
                          db_ld_be16(s + SCCB_RC));
    }
    *status = s[EV_OFF + 23];
    *blk_cnt = db_ld_be32(s + EV_OFF + 28);
    a->res->sdias_status = *status;
    return 0;
}

/* lx61 sclp_sdias_copy + zcore memcpy_hsa_iter: one page, block = page + 2. */
static int hsa_read_page(struct agent *a, uint64_t page, uint8_t *out)
{
    uint8_t st;
    uint32_t cnt;
    uint32_t fbn = (uint32_t)(page + SDIAS_FIRST_DATA_BLOCK);
    a->res->sdias_requests++;
    if (sdias_request(a, SDIAS_EQ_STORE_DATA, fbn, a->bounce, &st, &cnt) != 0) {
        size_t l = strlen(a->res->reason);
        snprintf(a->res->reason + l, sizeof(a->res->reason) - l,
                 " (HSA block %u, page 0x%llx)", fbn, (unsigned long long)page * PAGE);
        return -1;
    }
    if (st != SDIAS_EVSTATE_ALL_STORED && st != SDIAS_EVSTATE_PART_STORED) {
        return set_reason(a, ZFD_FAILED,
                          "SDIAS copy of HSA block %u (page 0x%llx) failed: event status 0x%02x",
                          fbn, (unsigned long long)page * PAGE, st);
    }
    if (db_host_read(a->cfg->mem, a->bounce, out, PAGE) != 0) {
        return set_reason(a, ZFD_ERROR, "dump kernel scratch memory not readable");
    }
    return 0;
}

static int hsa_read(struct agent *a, uint64_t addr, void *buf, uint64_t len)
{
    uint8_t page[PAGE];
    uint8_t *out = buf;
    while (len) {
        uint64_t off = addr % PAGE, n = PAGE - off;
        if (n > len) {
            n = len;
        }
        if (hsa_read_page(a, addr / PAGE, page) != 0) {
            return -1;
        }
        memcpy(out, page + off, n);
        out += n;
        addr += n;
        len -= n;
    }
    return 0;
}

static void release_hsa(struct agent *a)
{
    if (a->cfg->fw && a->cfg->release_hsa && a->res->release_rc < 0) {
        a->res->release_rc = a->cfg->fw->diag308(a->cfg->fw->opaque,
                                                 ZFD_DIAG308_REL_HSA, 0);
    }
}

/* ---- CPUs ------------------------------------------------------------------- */

static int add_cpu(struct agent *a, const struct db_s390_cpu *c)
{
    /* Only save areas with a prefix become notes (crash_dump.c get_cpu_cnt). */
    if (c->prefix == 0) {
        return 0;
    }
    struct df_cpu dc;
    struct df_err err;
    memset(&dc, 0, sizeof(dc));
    dc.present = 1;
    dc.regs.s390 = *c;
    if (df_dump_add_cpu(a->res->dump, &dc, &err) < 0) {
        return set_reason(a, ZFD_ERROR, "dump model: %s", err.msg);
    }
    a->res->ncpus++;
    return 0;
}

/* lx61 smp_save_dump_secondary_cpus: every address but the IPL CPU's. */
static int secondary_cpus_live(struct agent *a, uint16_t ipl_addr, struct db_s390_cpu *out,
                               unsigned *nout, unsigned max)
{
    const struct zfd_fw *fw = a->cfg->fw;
    unsigned naddr = (unsigned)a->hcpua + 1;
    *nout = 0;
    for (unsigned addr = 0; addr < naddr && *nout < max; addr++) {
        uint32_t st = 0;
        if (addr == ipl_addr) {
            continue;
        }
        if (fw->sigp(fw->opaque, ZFD_SIGP_SENSE, (uint16_t)addr, 0, &st) == 3) {
            continue;                                   /* not operational */
        }
        uint8_t sa[DB_S390_SA_SIZE];
        if (gzero(a, a->sigp_page, PAGE) != 0) {
            return set_reason(a, ZFD_ERROR, "dump kernel scratch memory not writable");
        }
        int cc = fw->sigp(fw->opaque, ZFD_SIGP_STORE_STATUS_AT_ADDR, (uint16_t)addr,
                          a->sigp_page, &st);
        if (cc != 0) {
            continue;           /* nothing stored: the CPU cannot be in the dump */
        }
        struct db_s390_cpu c;
        memset(&c, 0, sizeof(c));
        if (db_host_read(a->cfg->mem, a->sigp_page, sa, sizeof(sa)) != 0) {
            return set_reason(a, ZFD_ERROR, "dump kernel scratch memory not readable");
        }
        df_s390_sa_decode(sa, &c);   /* lx61 save_area_add_regs */
        if (a->vector) {
            uint8_t v[DB_S390_ADTL_VX_SIZE];
            cc = fw->sigp(fw->opaque, ZFD_SIGP_STORE_ADTL_STATUS, (uint16_t)addr,
                          a->sigp_page + 0x400, &st);
            if (cc == 0 && db_host_read(a->cfg->mem, a->sigp_page + 0x400, v,
                                        sizeof(v)) == 0) {
                df_s390_adtl_vx_decode(v, &c);   /* save_area_add_vxrs */
            }
        }
        c.online = true;
        c.stopped = true;
        c.address = (uint16_t)addr;
        out[(*nout)++] = c;
    }
    return 0;
}

/* ---- VMCOREINFO ---------------------------------------------------------- */

/* lx61 crash_dump.c get_vmcoreinfo_old / nt_vmcoreinfo: the note the old
 * kernel points to from lowcore 0xe0c; desc at addr + 24. */
static int vmcoreinfo(struct agent *a)
{
    if (a->mem_size < LC_VMCORE_INFO + 8) {
        return 0;
    }
    uint64_t addr = db_ld_be64(a->mem + LC_VMCORE_INFO);
    if (addr == 0 || addr > a->mem_size || a->mem_size - addr < 24) {
        return 0;
    }
    const uint8_t *n = a->mem + addr;
    uint32_t namesz = db_ld_be32(n), descsz = db_ld_be32(n + 4);
    if (namesz != 11 || memcmp(n + 12, "VMCOREINFO", 11) != 0 ||
        descsz == 0 || descsz > VMCOREINFO_MAX || a->mem_size - addr - 24 < descsz) {
        return 0;
    }
    struct df_err err;
    size_t len = strnlen((const char *)n + 24, descsz);
    if (df_dump_set_vmcoreinfo(a->res->dump, (const char *)n + 24, len, &err) != 0) {
        return set_reason(a, ZFD_ERROR, "dump model: %s", err.msg);
    }
    return 0;
}

/* ---- memory and CPUs -------------------------------------------------------- */

/* A page read as zero stays untouched in the lazily allocated chunk and is
 * marked known zero, so the writers never fault it in. */
static int mark_zero(struct agent *a, uint64_t addr)
{
    struct df_err err;
    return df_dump_mark_zero(a->res->dump, addr, PAGE, &err) == DF_OK ? 0 : -1;
}

/*
 * memcpy_real_iter for [from, memory): page by page into the zero-filled
 * dump chunk, leaving all-zero pages untouched (keeps large sparse dumps
 * cheap; the result is the same bytes).
 */
static int read_direct(struct agent *a, uint64_t from)
{
    uint8_t page[PAGE];
    static const uint8_t zero[PAGE];
    for (uint64_t p = from; p < a->mem_size; p += PAGE) {
        if (db_host_read(a->cfg->mem, p, page, PAGE) != 0) {
            return -1;
        }
        if (memcmp(page, zero, PAGE) != 0) {
            memcpy(a->mem + p, page, PAGE);
        } else if (mark_zero(a, p) != 0) {
            return -1;
        }
    }
    return 0;
}

static int collect_live(struct agent *a)
{
    const struct zfd_config *cfg = a->cfg;
    struct db_s390_cpu ipl;
    if (db_host_cpu_get(cfg->mem, cfg->ipl_cpu, &ipl, sizeof(ipl)) != 0) {
        return set_reason(a, ZFD_ERROR, "IPL CPU %u does not exist", cfg->ipl_cpu);
    }
    if (read_scp_info(a) != 0) {
        return -1;
    }
    unsigned max = (unsigned)a->hcpua + 1, nsec = 0;
    struct db_s390_cpu *sec = calloc(max, sizeof(*sec));
    if (!sec) {
        return set_reason(a, ZFD_ERROR, "out of memory");
    }
    if (secondary_cpus_live(a, ipl.address, sec, &nsec, max) != 0) {
        free(sec);
        return -1;
    }
    /* zcore_init -> sclp_sdias_init (sync mode) -> check_sdias. */
    register_sdias(a);
    uint8_t st = 0;
    uint32_t blocks = 0;
    if (sdias_request(a, SDIAS_EQ_SIZE, 0, 0, &st, &blocks) != 0 || st != 0 || blocks == 0) {
        if (a->res->reason[0] == 0 || a->res->outcome != ZFD_FAILED) {
            set_reason(a, ZFD_FAILED, "SDIAS size query failed: event status 0x%02x, %u blocks",
                       st, blocks);
        }
        size_t l = strlen(a->res->reason);
        snprintf(a->res->reason + l, sizeof(a->res->reason) - l,
                 "; zcore: SDIAS not available");
        release_hsa(a);
        free(sec);
        return -1;
    }
    a->res->sdias_blocks = blocks;
    if (a->res->hsa_size == 0) {
        release_hsa(a);
        free(sec);
        return set_reason(a, ZFD_FAILED, "no HSA: Read SCP Info hsa_size is 0 "
                          "(zcore check_sdias: could not determine HSA size)");
    }
    uint64_t hsa = a->res->hsa_size < a->mem_size ? a->res->hsa_size : a->mem_size;
    uint8_t arch = 0;
    if (hsa_read(a, LC_AR_MODE_ID, &arch, 1) != 0) {
        release_hsa(a);
        free(sec);
        return -1;
    }
    if (arch == 0) {
        release_hsa(a);
        free(sec);
        return set_reason(a, ZFD_FAILED,
                          "The 64-bit dump tool cannot be used for a 32-bit system "
                          "(ar_mode_id 0 in the HSA)");
    }
    uint8_t sa[DB_S390_SA_SIZE];
    if (hsa_read(a, LC_SAVE_AREA, sa, sizeof(sa)) != 0) {
        release_hsa(a);
        free(sec);
        return -1;
    }
    struct db_s390_cpu boot;
    memset(&boot, 0, sizeof(boot));
    df_s390_sa_decode(sa, &boot);
    if (a->vector) {
        /* early.c save_vector_registers: the live VRs of the IPL CPU. */
        memcpy(boot.vxrs_low, ipl.vxrs_low, sizeof(boot.vxrs_low));
        memcpy(boot.vxrs_high, ipl.vxrs_high, sizeof(boot.vxrs_high));
    }
    boot.online = true;
    boot.stopped = true;
    boot.address = ipl.address;
    /* Memory: HSA part page by page through SDIAS, the rest directly
     * (crash_dump.c copy_oldmem_iter). */
    static const uint8_t zero[PAGE];
    for (uint64_t p = 0; p < hsa / PAGE; p++) {
        uint8_t page[PAGE];
        if (hsa_read_page(a, p, page) != 0) {
            release_hsa(a);
            free(sec);
            return -1;
        }
        if (memcmp(page, zero, PAGE) != 0) {      /* the chunk is zero-filled */
            memcpy(a->mem + p * PAGE, page, PAGE);
        } else if (mark_zero(a, p * PAGE) != 0) {
            release_hsa(a);
            free(sec);
            return set_reason(a, ZFD_ERROR, "out of memory");
        }
    }
    if (read_direct(a, hsa) != 0) {
        release_hsa(a);
        free(sec);
        return set_reason(a, ZFD_FAILED, "reading memory above the HSA failed");
    }
    /* zfcpdump copies the HSA-backed ranges first and releases the HSA. */
    release_hsa(a);
    int rc = add_cpu(a, &boot);
    for (unsigned i = 0; rc == 0 && i < nsec; i++) {
        rc = add_cpu(a, &sec[i]);
    }
    free(sec);
    return rc;
}

static int collect_truth(struct agent *a)
{
    const struct zfd_config *cfg = a->cfg;
    unsigned n = db_host_cpu_count(cfg->mem);
    a->res->hsa_size = cfg->truth_hsa_size;
    if (read_direct(a, 0) != 0) {
        return set_reason(a, ZFD_ERROR, "truth snapshot memory not readable");
    }
    if (cfg->ipl_cpu >= n) {
        return set_reason(a, ZFD_ERROR, "IPL CPU %u does not exist", cfg->ipl_cpu);
    }
    for (unsigned k = 0; k < n; k++) {
        unsigned i = k == 0 ? cfg->ipl_cpu : (k <= cfg->ipl_cpu ? k - 1 : k);
        struct db_s390_cpu c;
        if (db_host_cpu_get(cfg->mem, i, &c, sizeof(c)) != 0) {
            return set_reason(a, ZFD_ERROR, "truth snapshot CPU %u not readable", i);
        }
        if (!c.online) {
            continue;
        }
        if (!a->vector) {
            memset(c.vxrs_low, 0, sizeof(c.vxrs_low));
            memset(c.vxrs_high, 0, sizeof(c.vxrs_high));
        }
        if (add_cpu(a, &c) != 0) {
            return -1;
        }
    }
    return 0;
}

/* ---- writing ------------------------------------------------------------- */

/* Output of the streaming encoder: one WRITE per piece (ZFD_WRITE_CHUNK). */
struct wr {
    struct agent *a;
    const struct zfd_target *t;     /* NULL: keep only */
    uint32_t bs;
    uint8_t *pad;                   /* one chunk, for a short last piece */
    uint8_t *keep;                  /* keep_image copy, or NULL */
    uint64_t size;
    char why[200];
    bool failed;
};

static int wr_piece(void *o, uint64_t off, const uint8_t *data, size_t n)
{
    struct wr *w = o;
    struct agent *a = w->a;
    if (w->keep) {
        memcpy(w->keep + off, data, n);
    }
    if (!w->t || w->failed) {
        return 0;       /* keep-only, or encoding on for the kept copy */
    }
    uint64_t nb = (n + w->bs - 1) / w->bs, done = 0;
    const uint8_t *src = data;
    if (n % w->bs) {
        memset(w->pad, 0, nb * w->bs);
        memcpy(w->pad, data, n);
        src = w->pad;
    }
    if (w->t->write(w->t->opaque, off / w->bs, src, (uint32_t)nb, &done, w->why,
                    sizeof(w->why)) != 0) {
        a->res->bytes_written = off + (done < n ? done : n);
        w->failed = true;
        set_reason(a, ZFD_INCOMPLETE,
                   "dump write failed at byte %llu (LBA %llu): %s; "
                   "%llu of %llu bytes written",
                   (unsigned long long)off, (unsigned long long)(off / w->bs), w->why,
                   (unsigned long long)a->res->bytes_written, (unsigned long long)w->size);
        return w->keep ? 0 : -1;
    }
    a->res->bytes_written = off + n;
    return 0;
}

/*
 * Encode the dump and write it onto the target in ZFD_WRITE_CHUNK pieces
 * (and/or keep a copy): the encoder streams, so no whole-image buffer is
 * built unless keep_image asks for one.
 */
static int write_image(struct agent *a, enum df_format fmt, uint64_t size)
{
    const struct zfd_target *t = a->cfg->target;
    struct wr w;
    memset(&w, 0, sizeof(w));
    w.a = a;
    w.size = size;
    uint32_t chunk = a->cfg->write_chunk ? a->cfg->write_chunk : ZFD_WRITE_CHUNK;
    if (t) {
        uint64_t nblocks = 0;
        if (t->open(t->opaque, &w.bs, &nblocks, w.why, sizeof(w.why)) != 0) {
            return set_reason(a, ZFD_INCOMPLETE, "dump disk open failed: %s; 0 of %llu bytes "
                              "written", w.why, (unsigned long long)size);
        }
        if (w.bs == 0 || nblocks > UINT64_MAX / w.bs || size > nblocks * w.bs) {
            return set_reason(a, ZFD_FAILED, "dump (%llu bytes) larger than the dump disk "
                              "(%llu blocks of %u bytes)", (unsigned long long)size,
                              (unsigned long long)nblocks, w.bs);
        }
        chunk = chunk < w.bs ? w.bs : chunk - chunk % w.bs;
        w.t = t;
        w.pad = malloc(chunk);
        if (!w.pad) {
            return set_reason(a, ZFD_ERROR, "out of memory");
        }
    }
    if (a->cfg->keep_image) {
        w.keep = size <= SIZE_MAX ? malloc(size ? (size_t)size : 1) : NULL;
        if (!w.keep) {
            free(w.pad);
            return set_reason(a, ZFD_ERROR, "out of memory for the image copy");
        }
    }
    struct df_err err;
    int st = df_write_stream(a->res->dump, fmt, chunk, wr_piece, &w, &err);
    free(w.pad);
    if (w.keep) {
        a->res->image = w.keep;
    }
    if (st != DF_OK && !w.failed) {
        return set_reason(a, ZFD_ERROR, "encoding the dump: %s", err.msg);
    }
    if (w.failed) {
        return -1;
    }
    if (t && t->sync(t->opaque, w.why, sizeof(w.why)) != 0) {
        return set_reason(a, ZFD_INCOMPLETE,
                          "SYNCHRONIZE CACHE failed: %s; %llu of %llu bytes written, "
                          "not known to be on the medium", w.why,
                          (unsigned long long)a->res->bytes_written,
                          (unsigned long long)size);
    }
    return 0;
}

/* ---- entry point -------------------------------------------------------------- */

enum zfd_outcome zfd_capture(const struct zfd_config *cfg, struct zfd_result *res)
{
    struct agent a;
    memset(res, 0, sizeof(*res));
    res->release_rc = -1;
    res->outcome = ZFD_ERROR;
    memset(&a, 0, sizeof(a));
    a.cfg = cfg;
    a.res = res;
    if (!cfg || !cfg->mem) {
        set_reason(&a, ZFD_ERROR, "no memory view");
        return res->outcome;
    }
    if (cfg->fw && (!cfg->fw->servc || !cfg->fw->sigp || !cfg->fw->diag308)) {
        set_reason(&a, ZFD_ERROR, "incomplete firmware binding");
        return res->outcome;
    }
    if (cfg->format != DF_FMT_NONE && cfg->format != DF_FMT_ELF &&
        cfg->format != DF_FMT_S390) {
        set_reason(&a, ZFD_ERROR, "unsupported output format %d", (int)cfg->format);
        return res->outcome;
    }
    a.mem_size = db_host_mem_size(cfg->mem);
    a.scratch = cfg->scratch ? cfg->scratch : ZFD_SCRATCH_DEFAULT;
    a.sccb = a.scratch;
    a.sdias = a.scratch + PAGE;
    a.bounce = a.scratch + 2 * PAGE;
    a.sigp_page = a.scratch + 3 * PAGE;
    a.vector = cfg->vector;
    if (cfg->fw && (a.scratch % PAGE || a.scratch < 0x2000 ||
                    a.scratch + ZFD_SCRATCH_PAGES * PAGE > 0x80000000ull ||
                    a.scratch + ZFD_SCRATCH_PAGES * PAGE > a.mem_size)) {
        set_reason(&a, ZFD_ERROR, "scratch area 0x%llx unusable for SCCBs",
                   (unsigned long long)a.scratch);
        return res->outcome;
    }
    if (a.mem_size == 0 || a.mem_size % PAGE || a.mem_size > SIZE_MAX) {
        set_reason(&a, ZFD_ERROR, "memory size 0x%llx not usable",
                   (unsigned long long)a.mem_size);
        return res->outcome;
    }
    /* One chunk [0, memory) (crash_dump.c loads_init: all physical memory),
     * filled in place: the dump model owns the only copy. */
    struct df_err err;
    res->dump = df_dump_new(DF_ARCH_S390X);
    if (!res->dump || df_dump_add_chunk(res->dump, 0, NULL, a.mem_size, &err) != 0 ||
        res->dump->nchunks != 1) {
        set_reason(&a, ZFD_ERROR, "out of memory for a %llu byte dump",
                   (unsigned long long)a.mem_size);
        return res->outcome;
    }
    a.mem = (uint8_t *)res->dump->chunks[0].data;
    if (a.vector) {
        res->dump->flags |= DF_FLAG_S390_VX;
    }
    res->dump->page_size = PAGE;
    int rc = cfg->fw ? collect_live(&a) : collect_truth(&a);
    if (rc == 0) {
        rc = vmcoreinfo(&a);
    }
    a.mem = NULL;
    enum df_format fmt = cfg->format == DF_FMT_S390 ? DF_FMT_S390 : DF_FMT_ELF;
    if (rc == 0) {
        uint64_t size = 0;
        if (df_image_size(res->dump, fmt, &size, &err) != DF_OK) {
            rc = set_reason(&a, ZFD_ERROR, "encoding the dump: %s", err.msg);
        } else {
            res->image_size = size;
            if (cfg->target || cfg->keep_image) {
                rc = write_image(&a, fmt, size);
            }
        }
    }
    release_hsa(&a);
    if (rc == 0) {
        res->outcome = ZFD_COMPLETE;
        snprintf(res->reason, sizeof(res->reason), "dump complete: %llu bytes",
                 (unsigned long long)(cfg->target ? res->bytes_written : res->image_size));
    }
    return res->outcome;
}

void zfd_result_free(struct zfd_result *res)
{
    if (!res) {
        return;
    }
    df_dump_free(res->dump);
    res->dump = NULL;
    free(res->image);
    res->image = NULL;
}

/* ---- libsclp binding ---------------------------------------------------------- */

static int sclp_b_servc(void *o, uint32_t cmdw, uint64_t sccb)
{
    struct zfd_sclp_binding *b = o;
    return sclp_service_call(b->sclp, cmdw, sccb);
}

static int sclp_b_sigp(void *o, uint8_t order, uint16_t cpu_addr, uint64_t param,
                       uint32_t *status)
{
    struct zfd_sclp_binding *b = o;
    int idx = sclp_cpu_by_address(b->sclp, cpu_addr);
    if (idx < 0) {
        return SCLP_SIGP_CC_NOT_OPERATIONAL;
    }
    switch (order) {
    case ZFD_SIGP_SENSE:
        return sclp_sigp_sense(b->sclp, (unsigned)idx, status);
    case ZFD_SIGP_STORE_STATUS_AT_ADDR:
        return sclp_store_status(b->sclp, (unsigned)idx, param, status);
    case ZFD_SIGP_STORE_ADTL_STATUS:
        return sclp_store_adtl_status(b->sclp, (unsigned)idx, param, status);
    default:
        if (status) {
            *status = SCLP_SIGP_STAT_INVALID_ORDER;
        }
        return SCLP_SIGP_CC_STATUS_STORED;
    }
}

static int64_t sclp_b_diag308(void *o, uint32_t subcode, uint64_t addr)
{
    struct zfd_sclp_binding *b = o;
    uint64_t rc = 0;
    int r = sclp_diag308(b->sclp, b->ipl_cpu, subcode, addr, &rc);
    return r < 0 ? r : (int64_t)rc;
}

void zfd_fw_from_sclp(struct zfd_fw *fw, struct zfd_sclp_binding *b)
{
    fw->opaque = b;
    fw->servc = sclp_b_servc;
    fw->sigp = sclp_b_sigp;
    fw->diag308 = sclp_b_diag308;
}

/* ---- libfcp binding (zfcp + sd) --------------------------------------------- */

static void fcp_why(char *why, size_t len, const char *what, enum fcp_status st,
                    const struct fcp_scsi_result *r)
{
    if (st == FCP_ST_FCP_RSP_AVAILABLE && r && r->sense_len >= 14) {
        snprintf(why, len, "%s: CHECK CONDITION sense key 0x%x ASC/ASCQ 0x%02x/0x%02x",
                 what, r->sense[2] & 0xf, r->sense[12], r->sense[13]);
    } else {
        snprintf(why, len, "%s: %s", what, fcp_status_name(st));
    }
}

static int fcp_b_open(void *o, uint32_t *bs, uint64_t *nblocks, char *why, size_t wl)
{
    struct zfd_fcp_binding *b = o;
    enum fcp_status st;
    if (!b->port_open) {
        st = fcp_port_open(b->adapter, b->wwpn, &b->port_handle);
        if (st != FCP_ST_OK) {
            fcp_why(why, wl, "OPEN PORT", st, NULL);
            return -1;
        }
        b->port_open = true;
    }
    if (!b->lun_open) {
        st = fcp_lun_open(b->adapter, b->port_handle, b->lun, &b->lun_handle);
        if (st != FCP_ST_OK) {
            fcp_why(why, wl, "OPEN LUN", st, NULL);
            return -1;
        }
        b->lun_open = true;
    }
    /* READ CAPACITY(16) (SBC-3 5.16). */
    uint8_t cdb[16] = { SCSI_OP_SERVICE_ACTION_IN_16, SCSI_SAI_READ_CAPACITY_16 };
    uint8_t data[32];
    struct fcp_scsi_result r;
    db_st_be32(cdb + 10, sizeof(data));
    b->commands++;
    st = fcp_scsi_exec(b->adapter, b->port_handle, b->lun_handle, cdb, sizeof(cdb),
                       data, sizeof(data), NULL, 0, &r);
    if (st != FCP_ST_OK || r.data_len < 12) {
        fcp_why(why, wl, "READ CAPACITY(16)", st, &r);
        return -1;
    }
    *nblocks = db_ld_be64(data) + 1;
    *bs = db_ld_be32(data + 8);
    b->block_size = *bs;
    return 0;
}

static int fcp_b_write(void *o, uint64_t lba, const void *buf, uint32_t nblocks,
                       uint64_t *done, char *why, size_t wl)
{
    struct zfd_fcp_binding *b = o;
    uint8_t cdb[16];
    size_t cdblen;
    memset(cdb, 0, sizeof(cdb));
    if (lba + nblocks <= 0xffffffffull && nblocks <= 0xffff) {
        cdb[0] = SCSI_OP_WRITE_10;                    /* SBC-3 5.35 */
        db_st_be32(cdb + 2, (uint32_t)lba);
        db_st_be16(cdb + 7, (uint16_t)nblocks);
        cdblen = 10;
    } else {
        cdb[0] = SCSI_OP_WRITE_16;                    /* SBC-3 5.37 */
        db_st_be64(cdb + 2, lba);
        db_st_be32(cdb + 10, nblocks);
        cdblen = 16;
    }
    struct fcp_scsi_result r;
    memset(&r, 0, sizeof(r));
    b->commands++;
    enum fcp_status st = fcp_scsi_exec(b->adapter, b->port_handle, b->lun_handle, cdb,
                                       cdblen, NULL, 0, buf,
                                       (size_t)nblocks * b->block_size, &r);
    *done = r.data_len;
    if (st != FCP_ST_OK) {
        fcp_why(why, wl, cdblen == 10 ? "WRITE(10)" : "WRITE(16)", st, &r);
        return -1;
    }
    return 0;
}

static int fcp_b_sync(void *o, char *why, size_t wl)
{
    struct zfd_fcp_binding *b = o;
    uint8_t cdb[10] = { SCSI_OP_SYNCHRONIZE_CACHE_10 };  /* SBC-3 5.22, whole medium */
    struct fcp_scsi_result r;
    memset(&r, 0, sizeof(r));
    b->commands++;
    enum fcp_status st = fcp_scsi_exec(b->adapter, b->port_handle, b->lun_handle, cdb,
                                       sizeof(cdb), NULL, 0, NULL, 0, &r);
    if (st != FCP_ST_OK) {
        fcp_why(why, wl, "SYNCHRONIZE CACHE(10)", st, &r);
        return -1;
    }
    return 0;
}

void zfd_target_from_fcp(struct zfd_target *t, struct zfd_fcp_binding *b)
{
    t->opaque = b;
    t->open = fcp_b_open;
    t->write = fcp_b_write;
    t->sync = fcp_b_sync;
}
