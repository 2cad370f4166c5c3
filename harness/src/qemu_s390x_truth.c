/*
 * s390x QEMU backend, file side: the dumpbench-s390 truth snapshot reader
 * and the oracles over a captured vmcore (usable without QEMU; tested in
 * harness/tests/test_s390x_*.c).
 *
 * Truth snapshot: written by the patched QEMU (-object
 * dumpbench-s390,truth=PATH) at the dump IPL, before libsclp stores status;
 * layout in sim/qemu/README.md "Truth snapshot format" (writer:
 * sim/qemu/files/hw/s390x/dumpbench-s390.c).  All integers big-endian:
 *
 *   0   8  magic "DBS390T1"          32  8  ram_offset (file offset of RAM)
 *   8   4  version = 1               40  8  ram_size
 *   12  4  header size (>= 64)       48  8  HSA size of the profile
 *   16  4  ncpu (CPU slots)          56  8  QEMU_CLOCK_VIRTUAL ns
 *   20  4  CPU record size = 976     hdr    ncpu CPU records
 *   24  4  IPL CPU index             ram_offset: absolute memory, raw
 *   28  4  flags (bit 0 operator dump)
 *
 * CPU record: 122 big-endian u64 words: index, address, flags (bit 0
 * online, bit 1 stopped), psw_mask, psw_addr, gprs[16], acrs[16],
 * fprs[16], fpc, crs[16], prefix, todpreg, cputm, ckc, vxrs_low[16],
 * vxrs_high[16][2].
 *
 * Oracles (port of sim/qemu/check-s390x-dump.py, on libdumpfmt's reader):
 *  - pages: every truth page equals the vmcore page at the same physical
 *    address, byte for byte outside the named exemptions (absolute 0xa3
 *    ar_mode_id and 0x1200..0x13ff, the IPL CPU's store status written by
 *    the dump IPL itself); a vmcore page missing or beyond the truth RAM is
 *    a failure;
 *  - registers: the vmcore's CPUs (notes) equal the truth's online CPUs,
 *    IPL CPU first (lx61:arch/s390/kernel/crash_dump.c order), compared with
 *    harness/src/compare.c cmp_regs (every register the notes carry);
 *  - reference agent: sim's zfcpdump agent (sim/src/zfcpdump_agent.c,
 *    truth mode) builds the vmcore the snapshot should give; compared
 *    semantically (compare.c cmp_dumps), the differing fields are named.
 */
#include <harness/compare.h>
#include <harness/qemu.h>

#include "qemu_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dumpbench/be.h>
#include <dumpbench/host.h>
#include <sim/zfcpdump.h>

/* Reference agent (libsim), linked into build/bin/dumpbench; referenced
 * weakly like sim_backend_run in backends.c so libharness links without it. */
enum zfd_outcome zfd_capture(const struct zfd_config *cfg, struct zfd_result *res)
    __attribute__((weak));
void zfd_result_free(struct zfd_result *res) __attribute__((weak));

#define T_MAGIC      "DBS390T1"
#define T_HDR_MIN    64u
#define T_REC_WORDS  122u
#define T_REC_SIZE   (T_REC_WORDS * 8u)
#define T_MAX_CPUS   248u    /* S390_MAX_CPUS (q72:target/s390x/cpu.h) */

static int terr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int terr(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err && errlen)
        vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static bool pread_all(int fd, void *buf, size_t len, uint64_t off)
{
    uint8_t *b = buf;
    while (len) {
        ssize_t n = pread(fd, b, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        b += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return true;
}

void s390_truth_decode_cpu(const uint8_t rec[976], struct s390_truth_cpu *c)
{
    uint64_t w[T_REC_WORDS];
    for (unsigned i = 0; i < T_REC_WORDS; i++)
        w[i] = db_ld_be64(rec + 8 * i);
    memset(c, 0, sizeof(*c));
    unsigned k = 0;
    c->index = w[k++];
    c->address = w[k++];
    c->flags = w[k++];
    struct db_s390_cpu *r = &c->regs;
    r->psw_mask = w[k++];
    r->psw_addr = w[k++];
    for (unsigned i = 0; i < 16; i++)
        r->gprs[i] = w[k++];
    for (unsigned i = 0; i < 16; i++)
        r->acrs[i] = (uint32_t)w[k++];
    for (unsigned i = 0; i < 16; i++)
        r->fprs[i] = w[k++];
    r->fpc = (uint32_t)w[k++];
    for (unsigned i = 0; i < 16; i++)
        r->crs[i] = w[k++];
    r->prefix = (uint32_t)w[k++];
    r->todpreg = (uint32_t)w[k++];
    r->cputm = w[k++];
    r->ckc = w[k++];
    for (unsigned i = 0; i < 16; i++)
        r->vxrs_low[i] = w[k++];
    for (unsigned i = 0; i < 16; i++) {
        r->vxrs_high[i][0] = w[k++];
        r->vxrs_high[i][1] = w[k++];
    }
    r->online = (c->flags & S390_TRUTH_CPU_ONLINE) != 0;
    r->stopped = (c->flags & S390_TRUTH_CPU_STOPPED) != 0;
    r->address = (uint16_t)c->address;
}

int s390_truth_clock(const char *path, uint64_t *clock_ns, char *err, size_t errlen)
{
    uint8_t h[T_HDR_MIN];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return terr(err, errlen, "%s: %s", path, strerror(errno));
    bool ok = pread_all(fd, h, sizeof(h), 0);
    close(fd);
    if (!ok)
        return terr(err, errlen, "%s: truncated header (need 64 bytes)", path);
    if (memcmp(h, T_MAGIC, 8) != 0)
        return terr(err, errlen, "%s: magic at offset 0 is not \"" T_MAGIC "\"", path);
    if (db_ld_be32(h + 8) != 1)
        return terr(err, errlen, "%s: version (offset 8) is %" PRIu32 ", only 1 is known", path,
                    db_ld_be32(h + 8));
    *clock_ns = db_ld_be64(h + 56);
    return 0;
}

int s390_truth_open(struct s390_truth *t, const char *path, char *err, size_t errlen)
{
    memset(t, 0, sizeof(*t));
    t->fd = -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return terr(err, errlen, "%s: %s", path, strerror(errno));
    struct stat st;
    uint8_t h[T_HDR_MIN];
    if (fstat(fd, &st) != 0) {
        close(fd);
        return terr(err, errlen, "%s: %s", path, strerror(errno));
    }
    uint64_t fsize = (uint64_t)st.st_size;
    if (fsize < T_HDR_MIN || !pread_all(fd, h, sizeof(h), 0)) {
        close(fd);
        return terr(err, errlen, "%s: truncated header (%" PRIu64 " bytes, need 64)", path, fsize);
    }
    int rc = -1;
    if (memcmp(h, T_MAGIC, 8) != 0) {
        terr(err, errlen, "%s: magic at offset 0 is not \"" T_MAGIC "\"", path);
        goto out;
    }
    uint32_t version = db_ld_be32(h + 8), hsz = db_ld_be32(h + 12);
    t->ncpu = db_ld_be32(h + 16);
    uint32_t recsz = db_ld_be32(h + 20);
    t->ipl_cpu = db_ld_be32(h + 24);
    t->flags = db_ld_be32(h + 28);
    t->ram_offset = db_ld_be64(h + 32);
    t->ram_size = db_ld_be64(h + 40);
    t->hsa_size = db_ld_be64(h + 48);
    t->clock_ns = db_ld_be64(h + 56);
    if (version != 1) {
        terr(err, errlen, "%s: version (offset 8) is %" PRIu32 ", only 1 is known", path, version);
        goto out;
    }
    if (hsz < T_HDR_MIN || hsz > 4096) {
        terr(err, errlen, "%s: header size (offset 12) %" PRIu32 " not in 64..4096", path, hsz);
        goto out;
    }
    if (recsz != T_REC_SIZE) {
        terr(err, errlen, "%s: CPU record size (offset 20) %" PRIu32 ", expected %u", path, recsz,
             T_REC_SIZE);
        goto out;
    }
    if (t->ncpu == 0 || t->ncpu > T_MAX_CPUS) {
        terr(err, errlen, "%s: ncpu (offset 16) %" PRIu32 " not in 1..%u", path, t->ncpu, T_MAX_CPUS);
        goto out;
    }
    if (t->ipl_cpu >= t->ncpu) {
        terr(err, errlen, "%s: IPL CPU (offset 24) %" PRIu32 " >= ncpu %" PRIu32, path, t->ipl_cpu,
             t->ncpu);
        goto out;
    }
    uint64_t recs_end = (uint64_t)hsz + (uint64_t)t->ncpu * T_REC_SIZE;
    if (t->ram_offset < recs_end || t->ram_offset % 4096) {
        terr(err, errlen, "%s: ram_offset (offset 32) 0x%" PRIx64 " overlaps the CPU records "
             "(end 0x%" PRIx64 ") or is not 4 KiB aligned", path, t->ram_offset, recs_end);
        goto out;
    }
    if (t->ram_size == 0 || t->ram_size % 4096 || t->ram_size > (1ull << 40)) {
        terr(err, errlen, "%s: ram_size (offset 40) 0x%" PRIx64 " is 0, not 4 KiB aligned or > 1 TiB",
             path, t->ram_size);
        goto out;
    }
    if (t->ram_offset > fsize || t->ram_size > fsize - t->ram_offset) {
        terr(err, errlen, "%s: truncated: RAM 0x%" PRIx64 "+0x%" PRIx64 " beyond the file size 0x%"
             PRIx64, path, t->ram_offset, t->ram_size, fsize);
        goto out;
    }
    t->cpus = calloc(t->ncpu, sizeof(*t->cpus));
    uint8_t *rec = malloc(T_REC_SIZE);
    if (!t->cpus || !rec) {
        free(rec);
        terr(err, errlen, "out of memory");
        goto out;
    }
    for (uint32_t i = 0; i < t->ncpu; i++) {
        if (!pread_all(fd, rec, T_REC_SIZE, hsz + (uint64_t)i * T_REC_SIZE)) {
            free(rec);
            terr(err, errlen, "%s: CPU record %" PRIu32 " unreadable", path, i);
            goto out;
        }
        s390_truth_decode_cpu(rec, &t->cpus[i]);
        if (t->cpus[i].flags & ~(uint64_t)(S390_TRUTH_CPU_ONLINE | S390_TRUTH_CPU_STOPPED)) {
            free(rec);
            terr(err, errlen, "%s: CPU record %" PRIu32 " flags 0x%" PRIx64 " has unknown bits",
                 path, i, t->cpus[i].flags);
            goto out;
        }
        if (t->cpus[i].regs.online && t->cpus[i].index != i) {
            free(rec);
            terr(err, errlen, "%s: CPU record %" PRIu32 " says index %" PRIu64, path, i,
                 t->cpus[i].index);
            goto out;
        }
    }
    free(rec);
    if (!t->cpus[t->ipl_cpu].regs.online) {
        terr(err, errlen, "%s: IPL CPU %" PRIu32 " is not online in its record", path, t->ipl_cpu);
        goto out;
    }
    void *m = mmap(NULL, (size_t)t->ram_size, PROT_READ, MAP_PRIVATE, fd, (off_t)t->ram_offset);
    if (m == MAP_FAILED) {
        terr(err, errlen, "%s: mmap RAM: %s", path, strerror(errno));
        goto out;
    }
    t->ram = m;
    t->fd = fd;
    rc = 0;
out:
    if (rc != 0) {
        free(t->cpus);
        t->cpus = NULL;
        close(fd);
    }
    return rc;
}

void s390_truth_close(struct s390_truth *t)
{
    if (t->ram)
        munmap((void *)t->ram, (size_t)t->ram_size);
    if (t->fd >= 0)
        close(t->fd);
    free(t->cpus);
    memset(t, 0, sizeof(*t));
    t->fd = -1;
}

unsigned s390_truth_online(const struct s390_truth *t)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < t->ncpu; i++)
        n += t->cpus[i].regs.online;
    return n;
}

/* Online CPU indices, IPL CPU first, then by index (the vmcore's order). */
static unsigned cpu_order(const struct s390_truth *t, uint32_t *out)
{
    unsigned n = 0;
    out[n++] = t->ipl_cpu;
    for (uint32_t i = 0; i < t->ncpu; i++)
        if (i != t->ipl_cpu && t->cpus[i].regs.online)
            out[n++] = i;
    return n;
}

struct df_dump *s390_truth_dump(const struct s390_truth *t, char *err, size_t errlen)
{
    struct df_err e;
    struct df_dump *d = df_dump_new(DF_ARCH_S390X);
    uint32_t *ord = calloc(t->ncpu, sizeof(*ord));
    if (!d || !ord) {
        free(ord);
        df_dump_free(d);
        terr(err, errlen, "out of memory");
        return NULL;
    }
    if (df_dump_add_chunk(d, 0, t->ram, t->ram_size, &e) != 0) {
        free(ord);
        df_dump_free(d);
        terr(err, errlen, "truth dump: %s", e.msg);
        return NULL;
    }
    d->flags |= DF_FLAG_S390_VX;
    unsigned n = cpu_order(t, ord);
    for (unsigned k = 0; k < n; k++) {
        struct df_cpu c;
        memset(&c, 0, sizeof(c));
        c.present = 1;
        c.regs.s390 = t->cpus[ord[k]].regs;
        /* What the dump carries: Linux 6.1 copies the store-status save
         * area's clock-comparator field (bits 0-55 of the CKC) verbatim
         * into NT_S390_TODCMP (lx61:arch/s390/kernel/crash_dump.c:101,318);
         * dumpfmt reads it back as ckc << 8 (common/include/dumpbench/cpu.h),
         * so bits 56-63 of the register are not in any dump. */
        c.regs.s390.ckc &= ~0xffull;
        if (df_dump_add_cpu(d, &c, &e) < 0) {
            free(ord);
            df_dump_free(d);
            terr(err, errlen, "truth dump: %s", e.msg);
            return NULL;
        }
    }
    free(ord);
    return d;
}

/* ---- page oracle ---------------------------------------------------------- */

const struct s390_exempt s390_dump_ipl_exempt[S390_DUMP_IPL_NEXEMPT] = {
    { 0xa3, 1, "ar_mode_id set by the dump IPL's store status (lowcore 0xa3)" },
    { 0x1200, 0x200, "store status of the IPL CPU (absolute 0x1200..0x13ff)" },
};

static bool exempt_byte(const struct s390_exempt *ex, size_t nex, uint64_t a)
{
    for (size_t i = 0; i < nex; i++)
        if (a >= ex[i].addr && a - ex[i].addr < ex[i].len)
            return true;
    return false;
}

static void ofail(struct s390_oracle_out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void ofail(struct s390_oracle_out *o, const char *fmt, ...)
{
    if (o->fail[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->fail, sizeof(o->fail), fmt, ap);
    va_end(ap);
}

void s390_oracle_pages(const struct df_dump *truth, const struct df_dump *image,
                       const struct s390_exempt *ex, size_t nex, struct s390_oracle_out *o)
{
    /* truth: one chunk [0, ram) */
    for (size_t c = 0; c < truth->nchunks; c++) {
        const struct df_chunk *ch = &truth->chunks[c];
        for (uint64_t off = 0; off + 4096 <= ch->size; off += 4096) {
            uint64_t pa = ch->paddr + off;
            const uint8_t *want = ch->data + off;
            const uint8_t *got = df_dump_page(image, pa);
            o->pages_compared++;
            if (!got) {
                o->pages_missing++;
                ofail(o, "page 0x%" PRIx64 " of the truth RAM is not in the vmcore", pa);
                continue;
            }
            if (memcmp(got, want, 4096) == 0)
                continue;
            bool real = false, named = false;
            for (unsigned j = 0; j < 4096; j++) {
                if (got[j] == want[j])
                    continue;
                if (exempt_byte(ex, nex, pa + j)) {
                    named = true;
                    o->bytes_exempt_differ++;
                    continue;
                }
                if (!real)
                    ofail(o, "memory differs at 0x%" PRIx64 ": vmcore 0x%02x truth 0x%02x",
                          pa + j, got[j], want[j]);
                real = true;
            }
            if (real)
                o->pages_differ++;
            else if (named)
                o->pages_exempt++;
        }
    }
    /* vmcore pages outside the truth RAM */
    uint64_t ram_end = 0;
    for (size_t c = 0; c < truth->nchunks; c++)
        if (truth->chunks[c].paddr + truth->chunks[c].size > ram_end)
            ram_end = truth->chunks[c].paddr + truth->chunks[c].size;
    for (size_t c = 0; c < image->nchunks; c++) {
        const struct df_chunk *ch = &image->chunks[c];
        if (ch->paddr + ch->size > ram_end) {
            o->pages_extra += (ch->paddr + ch->size - (ch->paddr > ram_end ? ch->paddr : ram_end) +
                               4095) / 4096;
            ofail(o, "vmcore PT_LOAD 0x%" PRIx64 "+0x%" PRIx64 " extends beyond the truth RAM "
                  "(0x%" PRIx64 ")", ch->paddr, ch->size, ram_end);
        }
    }
}

void s390_oracle_regs(const struct df_dump *truth, const struct df_dump *image,
                      struct s390_oracle_out *o)
{
    struct cmp_result *c = malloc(sizeof(*c));
    if (!c) {
        ofail(o, "out of memory comparing registers");
        return;
    }
    cmp_result_init(c);
    cmp_regs(truth, image, c);
    o->regs_compared = c->regs_compared;
    o->regs_differ = c->differ;
    if (c->differ)
        ofail(o, "registers: %s", c->first);
    free(c);
    size_t n = 0;
    for (size_t i = 0; i < image->ncpus; i++)
        n += image->cpus[i].present != 0;
    o->cpus_dump = (unsigned)n;
}

/* ---- reference agent ------------------------------------------------------ */

struct thost {
    const struct s390_truth *t;
};

static int th_read(void *op, uint64_t addr, void *buf, uint64_t len)
{
    const struct s390_truth *t = ((struct thost *)op)->t;
    if (addr > t->ram_size || len > t->ram_size - addr)
        return -1;
    memcpy(buf, t->ram + addr, len);
    return 0;
}

static int th_write(void *op, uint64_t addr, const void *buf, uint64_t len)
{
    return -1;   /* the snapshot is read-only */
}

static uint64_t th_size(void *op)
{
    return ((struct thost *)op)->t->ram_size;
}

static unsigned th_ncpu(void *op)
{
    return ((struct thost *)op)->t->ncpu;
}

static int th_cpu_get(void *op, unsigned cpu, void *regs, size_t size)
{
    const struct s390_truth *t = ((struct thost *)op)->t;
    if (cpu >= t->ncpu || size != sizeof(struct db_s390_cpu))
        return -1;
    memcpy(regs, &t->cpus[cpu].regs, size);
    return 0;
}

static int th_cpu_set(void *op, unsigned cpu, const void *regs, size_t size)
{
    return -1;
}

static uint64_t th_clock(void *op)
{
    return ((struct thost *)op)->t->clock_ns;
}

static void ref_field(struct s390_oracle_out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void ref_field(struct s390_oracle_out *o, const char *fmt, ...)
{
    if (o->nref_field >= S390_REF_FIELDS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->ref_field[o->nref_field++], sizeof(o->ref_field[0]), fmt, ap);
    va_end(ap);
}

static const char *nname(const struct df_note *n, char *buf, size_t len)
{
    char tb[32];
    snprintf(buf, len, "%s%s cpu %d", cmp_note_type_name(n->name, n->type, tb, sizeof(tb)),
             "", n->cpu);
    return buf;
}

/*
 * Name every field group in which the real vmcore differs from the
 * reference agent's: memory layout (PT_LOAD list), note list (order,
 * names, sizes), note contents per note, VMCOREINFO, page contents.
 */
void s390_ref_fields(const struct df_dump *ref, const struct df_dump *img, struct s390_oracle_out *o)
{
    o->nref_field = 0;
    bool lay = ref->nchunks != img->nchunks;
    for (size_t i = 0; !lay && i < ref->nchunks; i++)
        lay = ref->chunks[i].paddr != img->chunks[i].paddr ||
              ref->chunks[i].size != img->chunks[i].size;
    if (lay)
        ref_field(o, "ELF layout: %zu PT_LOAD (first 0x%" PRIx64 "+0x%" PRIx64 ") vs reference %zu "
                  "(first 0x%" PRIx64 "+0x%" PRIx64 ")", img->nchunks,
                  img->nchunks ? img->chunks[0].paddr : 0, img->nchunks ? img->chunks[0].size : 0,
                  ref->nchunks, ref->nchunks ? ref->chunks[0].paddr : 0,
                  ref->nchunks ? ref->chunks[0].size : 0);
    /* the reference model generates its notes when written; build them
     * (the s390 stand-alone format has no notes and no VMCOREINFO) */
    uint8_t *blob = NULL;
    size_t blen = 0;
    struct df_err e;
    if (img->format == DF_FMT_S390) {
        /* nothing: registers are compared below, from the save areas */
    } else if (df_dump_build_notes(ref, &blob, &blen, &e) == 0) {
        /* parse the generated note segment back through the ELF writer + reader
         * would be heavy; compare on (name, type, descsz) from the blob */
        size_t k = 0, off = 0;
        bool order = false;
        while (off + 12 <= blen) {
            uint32_t namesz = db_ld_be32(blob + off), descsz = db_ld_be32(blob + off + 4);
            uint32_t type = db_ld_be32(blob + off + 8);
            size_t nameoff = off + 12, descoff = nameoff + ((namesz + 3u) & ~3u);
            if (descoff + descsz > blen)
                break;
            char nm[32] = "";
            snprintf(nm, sizeof(nm), "%.*s", (int)(namesz && blob[nameoff + namesz - 1] == 0 ?
                                                   namesz - 1 : namesz), (const char *)blob + nameoff);
            if (k >= img->nnotes) {
                ref_field(o, "notes: reference has more notes (%s type 0x%x at position %zu)", nm,
                          type, k);
                order = true;
                break;
            }
            const struct df_note *in = &img->notes[k];
            char b1[80];
            if (strcmp(in->name, nm) != 0 || in->type != type) {
                if (!order)
                    ref_field(o, "note order: position %zu is %s, reference %s type 0x%x", k,
                              nname(in, b1, sizeof(b1)), nm, type);
                order = true;
            } else if (in->descsz != descsz) {
                ref_field(o, "note %zu (%s): descsz %u, reference %u", k,
                          nname(in, b1, sizeof(b1)), in->descsz, descsz);
            } else if (strcmp(nm, "VMCOREINFO") != 0 &&
                       memcmp(in->desc, blob + descoff, descsz) != 0) {
                size_t j = 0;
                while (j < descsz && in->desc[j] == blob[descoff + j])
                    j++;
                ref_field(o, "note %zu (%s) desc +0x%zx: 0x%02x, reference 0x%02x", k,
                          nname(in, b1, sizeof(b1)), j, in->desc[j], blob[descoff + j]);
            }
            k++;
            off = descoff + ((descsz + 3u) & ~3u);
        }
        if (!order && k < img->nnotes) {
            char b1[80];
            ref_field(o, "notes: vmcore has %zu more notes (first %s)", img->nnotes - k,
                      nname(&img->notes[k], b1, sizeof(b1)));
        }
        free(blob);
    } else {
        ref_field(o, "reference notes not buildable: %.200s", e.msg);
    }
    const char *rv = ref->vmcoreinfo ? ref->vmcoreinfo : "";
    const char *iv = img->vmcoreinfo ? img->vmcoreinfo : "";
    if (img->format != DF_FMT_S390 && strcmp(rv, iv) != 0)
        ref_field(o, "VMCOREINFO: %zu bytes, reference %zu bytes, contents differ", strlen(iv),
                  strlen(rv));
    struct cmp_result *c = malloc(sizeof(*c));
    if (c) {
        cmp_result_init(c);
        cmp_pages(ref, img, c);
        if (c->differ)
            ref_field(o, "pages: %" PRIu64 " of %" PRIu64 " differ, %" PRIu64 " missing; first: %.200s",
                      c->pages_differ, c->pages_compared, c->pages_missing, c->first);
        cmp_result_init(c);
        cmp_regs(ref, img, c);
        if (c->differ)
            ref_field(o, "registers: %.250s", c->first);
        free(c);
    }
}

int s390_oracle_reference(const struct s390_truth *t, const struct df_dump *image,
                          const struct s390_exempt *ex, size_t nex, struct s390_oracle_out *o)
{
    if (!zfd_capture || !zfd_result_free) {
        snprintf(o->ref, sizeof(o->ref), "SKIPPED: reference agent not linked (libsim)");
        return 1;
    }
    static const struct db_host_ops ops = {
        .mem_read = th_read, .mem_write = th_write, .mem_size = th_size,
        .cpu_count = th_ncpu, .cpu_get = th_cpu_get, .cpu_set = th_cpu_set,
        .clock_ns = th_clock,
    };
    struct thost th = { t };
    struct db_host host = { &ops, &th };
    struct zfd_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.mem = &host;
    cfg.ipl_cpu = t->ipl_cpu;
    cfg.truth_hsa_size = t->hsa_size;
    cfg.format = image->format == DF_FMT_S390 ? DF_FMT_S390 : DF_FMT_ELF;
    /* the vmcore says whether the kernel dumped vector registers */
    cfg.vector = (image->flags & DF_FLAG_S390_VX) != 0;
    struct zfd_result zr;
    if (zfd_capture(&cfg, &zr) != ZFD_COMPLETE || !zr.dump) {
        snprintf(o->ref, sizeof(o->ref), "reference agent failed: %.200s", zr.reason);
        zfd_result_free(&zr);
        return -1;
    }
    /* The dump IPL's own store status (and, in the s390 format, every
     * CPU's save area) is in the real dump, not in the crash-instant
     * snapshot the agent reads: copy the named exemption ranges from the
     * real dump into the reference before comparing. */
    uint8_t *ref0 = (uint8_t *)zr.dump->chunks[0].data;
    for (size_t i = 0; i < nex; i++) {
        const struct s390_exempt *x = &ex[i];
        const uint8_t *pg = df_dump_page(image, x->addr & ~4095ull);
        if (pg && (x->addr & 4095) + x->len <= 4096 && x->addr + x->len <= zr.dump->chunks[0].size)
            memcpy(ref0 + x->addr, pg + (x->addr & 4095), x->len);
    }
    struct cmp_result *c = malloc(sizeof(*c));
    if (!c) {
        zfd_result_free(&zr);
        snprintf(o->ref, sizeof(o->ref), "out of memory");
        return -1;
    }
    /* cmp_dumps' note-list check does not apply: the agent's model holds no
     * stored notes (the ELF writer generates them); s390_ref_fields compares
     * the vmcore's notes with the generated ones instead. */
    cmp_result_init(c);
    cmp_pages(zr.dump, image, c);
    o->ref_ran = true;
    o->ref_pages = c->pages_compared;
    free(c);
    s390_ref_fields(zr.dump, image, o);
    o->ref_differ = o->nref_field > 0;
    if (!o->ref_differ)
        snprintf(o->ref, sizeof(o->ref), "equal to the reference agent's vmcore (%" PRIu64
                 " pages, CPU notes, VMCOREINFO, ELF layout)", o->ref_pages);
    else
        snprintf(o->ref, sizeof(o->ref), "%" PRIu64 " pages compared with the reference agent's "
                 "vmcore; %zu field group(s) differ: %.300s", o->ref_pages, o->nref_field,
                 o->ref_field[0]);
    zfd_result_free(&zr);
    return 0;
}
