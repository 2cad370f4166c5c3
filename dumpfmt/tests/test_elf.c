/* ELF /proc/vmcore writer and ELF core reader. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <dumpbench/be.h>
#include <gelf.h>
#include <libelf.h>
#include <libkdumpfile/kdumpfile.h>

#include "tutil.h"

/* Sizes from the Linux structs (see src/abi_prstatus.h):
 * note = 12-byte Nhdr + name padded to 4 + desc padded to 4. */
#define N_CORE(desc)   (12 + 8 + (desc))     /* "CORE\0" -> 8 */
#define N_LINUX(desc)  (12 + 8 + (desc))     /* "LINUX\0" -> 8 */
#define VMCI_LEN       56                    /* strlen(VMCI_TEXT) */
#define N_VMCI         (12 + 12 + VMCI_LEN)  /* "VMCOREINFO\0" -> 12 */
#define S390_CPU_NOTES (N_CORE(336) + N_CORE(136) + N_LINUX(8) + N_LINUX(8) + \
                        N_LINUX(4) + N_LINUX(128) + N_LINUX(4) +             \
                        N_LINUX(256) + N_LINUX(128))
#define S390_NOTES     (N_CORE(136) + 2 * S390_CPU_NOTES + N_VMCI)
#define PPC_NOTES      (2 * N_CORE(504) + N_VMCI)

static uint8_t *image_of(struct df_dump *d, size_t *len)
{
    uint8_t *buf = NULL;
    struct df_err e = {{0}};
    int rc = df_write_elf_mem(d, &buf, len, &e);
    CU_ASSERT_EQUAL(rc, DF_OK);
    return buf;
}

static uint8_t *s390_image(size_t *len)
{
    struct df_dump *d = tu_sample_s390();
    uint8_t *b = image_of(d, len);
    df_dump_free(d);
    return b;
}

/* Read buf as a file; returns status, *d set on success. */
static int read_buf(const void *buf, size_t len, bool lenient,
                    struct df_dump **d, struct df_err *e)
{
    const char *p = tu_path("read_buf.elf");
    CU_ASSERT_EQUAL_FATAL(tu_write_file(p, buf, len), 0);
    struct df_read_opts o = {.lenient = lenient};
    memset(e->msg, 0, sizeof(e->msg));
    return df_read_file_opts(p, &o, d, e);
}

static void test_s390_pinned_header(void)
{
    CU_ASSERT_EQUAL(S390_NOTES, 0xa34);
    size_t len;
    uint8_t *b = s390_image(&len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    static const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 2, 2, 1, 0};
    CU_ASSERT_EQUAL(memcmp(b, ident, 16), 0);
    CU_ASSERT_EQUAL(db_ld_be16(b + 0x10), 4);        /* ET_CORE */
    CU_ASSERT_EQUAL(db_ld_be16(b + 0x12), 22);       /* EM_S390 */
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x14), 1);
    CU_ASSERT_EQUAL(db_ld_be64(b + 0x20), 64);       /* e_phoff */
    CU_ASSERT_EQUAL(db_ld_be64(b + 0x28), 0);        /* e_shoff */
    CU_ASSERT_EQUAL(db_ld_be32(b + 0x30), 0);        /* e_flags */
    CU_ASSERT_EQUAL(db_ld_be16(b + 0x34), 64);
    CU_ASSERT_EQUAL(db_ld_be16(b + 0x36), 56);
    CU_ASSERT_EQUAL(db_ld_be16(b + 0x38), 3);        /* 1 note + 2 loads */
    /* merged PT_NOTE */
    const uint8_t *ph = b + 64;
    CU_ASSERT_EQUAL(db_ld_be32(ph + 0), 4);
    CU_ASSERT_EQUAL(db_ld_be32(ph + 4), 0);
    CU_ASSERT_EQUAL(db_ld_be64(ph + 8), 0x1000);     /* roundup(232, 4K) */
    CU_ASSERT_EQUAL(db_ld_be64(ph + 16), 0);
    CU_ASSERT_EQUAL(db_ld_be64(ph + 24), 0);
    CU_ASSERT_EQUAL(db_ld_be64(ph + 32), S390_NOTES);
    CU_ASSERT_EQUAL(db_ld_be64(ph + 40), S390_NOTES);
    CU_ASSERT_EQUAL(db_ld_be64(ph + 48), 4);
    /* PT_LOADs back to back after roundup(notes, 4K) */
    ph += 56;
    CU_ASSERT_EQUAL(db_ld_be32(ph + 0), 1);
    CU_ASSERT_EQUAL(db_ld_be32(ph + 4), 7);          /* PF_R|PF_W|PF_X */
    CU_ASSERT_EQUAL(db_ld_be64(ph + 8), 0x2000);
    CU_ASSERT_EQUAL(db_ld_be64(ph + 16), 0);
    CU_ASSERT_EQUAL(db_ld_be64(ph + 24), 0);
    CU_ASSERT_EQUAL(db_ld_be64(ph + 32), 0x10000);
    CU_ASSERT_EQUAL(db_ld_be64(ph + 40), 0x10000);
    CU_ASSERT_EQUAL(db_ld_be64(ph + 48), 0x1000);
    ph += 56;
    CU_ASSERT_EQUAL(db_ld_be64(ph + 8), 0x12000);
    CU_ASSERT_EQUAL(db_ld_be64(ph + 16), 0x100000);  /* identity vaddr */
    CU_ASSERT_EQUAL(db_ld_be64(ph + 24), 0x100000);
    CU_ASSERT_EQUAL(db_ld_be64(ph + 32), 0x20000);
    CU_ASSERT_EQUAL(len, 0x32000);
    /* zero padding after phdrs and after notes */
    for (size_t i = 64 + 3 * 56; i < 0x1000; i++) {
        if (b[i]) {
            CU_FAIL("non-zero header padding");
            break;
        }
    }
    for (size_t i = 0x1000 + S390_NOTES; i < 0x2000; i++) {
        if (b[i]) {
            CU_FAIL("non-zero note padding");
            break;
        }
    }
    CU_ASSERT_EQUAL(b[0x2000 + 0x1234], tu_pat(0x1234, 1));
    CU_ASSERT_EQUAL(b[0x12000 + 0x777], tu_pat(0x100777, 1));
    free(b);
}

static void test_s390_note_bytes(void)
{
    size_t len;
    uint8_t *b = s390_image(&len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    const uint8_t *n = b + 0x1000;
    /* NT_PRPSINFO: "CORE", pr_sname 'R', pr_fname "vmlinux" */
    CU_ASSERT_EQUAL(db_ld_be32(n), 5);
    CU_ASSERT_EQUAL(db_ld_be32(n + 4), 136);
    CU_ASSERT_EQUAL(db_ld_be32(n + 8), 3);
    CU_ASSERT_EQUAL(memcmp(n + 12, "CORE\0\0\0\0", 8), 0);
    CU_ASSERT_EQUAL(n[20 + 1], 'R');
    CU_ASSERT_EQUAL(memcmp(n + 20 + 40, "vmlinux\0", 8), 0);
    n += N_CORE(136);
    /* NT_PRSTATUS of CPU 0 */
    struct db_s390_cpu c0;
    tu_fill_s390_cpu(&c0, 0);
    CU_ASSERT_EQUAL(db_ld_be32(n + 4), 336);
    CU_ASSERT_EQUAL(db_ld_be32(n + 8), 1);
    const uint8_t *ds = n + 20;
    CU_ASSERT_EQUAL(db_ld_be32(ds + 32), 1);                 /* pr_pid */
    CU_ASSERT_EQUAL(db_ld_be64(ds + 112), c0.psw_mask);
    CU_ASSERT_EQUAL(db_ld_be64(ds + 120), c0.psw_addr);
    CU_ASSERT_EQUAL(db_ld_be64(ds + 128 + 8 * 15), c0.gprs[15]);
    CU_ASSERT_EQUAL(db_ld_be32(ds + 256 + 4 * 3), c0.acrs[3]);
    CU_ASSERT_EQUAL(db_ld_be64(ds + 320), 0);                /* orig_gpr2 */
    CU_ASSERT_EQUAL(db_ld_be32(ds + 328), 0);                /* pr_fpvalid */
    n += N_CORE(336);
    /* NT_PRFPREG */
    CU_ASSERT_EQUAL(db_ld_be32(n + 8), 2);
    CU_ASSERT_EQUAL(db_ld_be32(n + 20), c0.fpc);
    CU_ASSERT_EQUAL(db_ld_be32(n + 24), 0);
    CU_ASSERT_EQUAL(db_ld_be64(n + 28 + 8 * 2), c0.fprs[2]);
    n += N_CORE(136);
    /* NT_S390_TIMER, name "LINUX" */
    CU_ASSERT_EQUAL(db_ld_be32(n), 6);
    CU_ASSERT_EQUAL(db_ld_be32(n + 8), 0x301);
    CU_ASSERT_EQUAL(memcmp(n + 12, "LINUX\0\0\0", 8), 0);
    CU_ASSERT_EQUAL(db_ld_be64(n + 20), c0.cputm);
    /* whole sequence of types */
    static const uint32_t cpu_types[] = {1, 2, 0x301, 0x302, 0x303, 0x304,
                                         0x305, 0x30a, 0x309};
    const uint8_t *p = b + 0x1000;
    size_t k = 0;
    uint32_t types[32];
    while (p < b + 0x1000 + S390_NOTES && k < 32) {
        uint32_t nsz = db_ld_be32(p), dsz = db_ld_be32(p + 4);
        types[k++] = db_ld_be32(p + 8);
        p += 12 + ((nsz + 3) & ~3u) + ((dsz + 3) & ~3u);
    }
    CU_ASSERT_EQUAL_FATAL(k, 20);
    CU_ASSERT_EQUAL(p, b + 0x1000 + S390_NOTES);
    CU_ASSERT_EQUAL(types[0], 3);
    for (size_t i = 0; i < 9; i++) {
        CU_ASSERT_EQUAL(types[1 + i], cpu_types[i]);
        CU_ASSERT_EQUAL(types[10 + i], cpu_types[i]);
    }
    CU_ASSERT_EQUAL(types[19], 0);
    /* last note is VMCOREINFO with the text */
    const uint8_t *v = b + 0x1000 + S390_NOTES - N_VMCI;
    CU_ASSERT_EQUAL(db_ld_be32(v), 11);
    CU_ASSERT_EQUAL(db_ld_be32(v + 4), VMCI_LEN);
    CU_ASSERT_EQUAL(memcmp(v + 12, "VMCOREINFO\0\0", 12), 0);
    CU_ASSERT_EQUAL(memcmp(v + 24, VMCI_TEXT, VMCI_LEN), 0);
    free(b);
}

static void check_ppc_header(enum df_arch arch)
{
    bool be = arch == DF_ARCH_PPC64;
    struct df_dump *d = tu_sample_ppc(arch);
    size_t len;
    uint8_t *b = image_of(d, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 2, be ? 2 : 1, 1, 0};
    CU_ASSERT_EQUAL(memcmp(b, ident, 16), 0);
    uint16_t (*ld16)(const void *) = be ? db_ld_be16 : db_ld_le16;
    uint32_t (*ld32)(const void *) = be ? db_ld_be32 : db_ld_le32;
    uint64_t (*ld64)(const void *) = be ? db_ld_be64 : db_ld_le64;
    CU_ASSERT_EQUAL(ld16(b + 0x12), 21);                /* EM_PPC64 */
    CU_ASSERT_EQUAL(ld32(b + 0x30), be ? 1 : 2);        /* _CALL_ELF */
    CU_ASSERT_EQUAL(ld16(b + 0x38), 3);
    const uint8_t *ph = b + 64;
    CU_ASSERT_EQUAL(ld64(ph + 8), 0x10000);             /* 64K PAGE_SIZE */
    CU_ASSERT_EQUAL(ld64(ph + 32), PPC_NOTES);
    ph += 56;
    CU_ASSERT_EQUAL(ld64(ph + 8), 0x20000);
    CU_ASSERT_EQUAL(ld64(ph + 16), 0xc000000000000000ull);
    CU_ASSERT_EQUAL(ld64(ph + 24), 0);
    CU_ASSERT_EQUAL(ld64(ph + 48), 0);                  /* p_align 0 */
    ph += 56;
    CU_ASSERT_EQUAL(ld64(ph + 8), 0x40000);
    CU_ASSERT_EQUAL(ld64(ph + 16), 0xc000000000200000ull);
    CU_ASSERT_EQUAL(ld64(ph + 24), 0x200000);
    CU_ASSERT_EQUAL(len, 0x50000);
    /* second CPU's prstatus: pt_regs order in pr_reg */
    struct db_ppc64_cpu c1;
    tu_fill_ppc_cpu(&c1, 1);
    const uint8_t *n = b + 0x10000 + N_CORE(504);
    CU_ASSERT_EQUAL(ld32(n + 4), 504);
    CU_ASSERT_EQUAL(ld32(n + 8), 1);
    const uint8_t *g = n + 20 + 112;
    CU_ASSERT_EQUAL(ld32(n + 20 + 32), 0);               /* pr_pid unset */
    CU_ASSERT_EQUAL(ld64(g + 8 * 1), c1.gpr[1]);
    CU_ASSERT_EQUAL(ld64(g + 8 * 32), c1.nia);
    CU_ASSERT_EQUAL(ld64(g + 8 * 33), c1.msr);
    CU_ASSERT_EQUAL(ld64(g + 8 * 34), 0);                /* orig_gpr3 */
    CU_ASSERT_EQUAL(ld64(g + 8 * 35), c1.ctr);
    CU_ASSERT_EQUAL(ld64(g + 8 * 36), c1.lr);
    CU_ASSERT_EQUAL(ld64(g + 8 * 37), c1.xer);
    CU_ASSERT_EQUAL(ld64(g + 8 * 38), c1.cr);
    CU_ASSERT_EQUAL(ld64(g + 8 * 41), c1.dar);
    CU_ASSERT_EQUAL(ld64(g + 8 * 42), c1.dsisr);
    CU_ASSERT_EQUAL(ld64(g + 8 * 47), 0);
    free(b);
    df_dump_free(d);
}

static void test_ppc64_pinned_header(void)
{
    check_ppc_header(DF_ARCH_PPC64);
}

static void test_ppc64le_pinned_header(void)
{
    check_ppc_header(DF_ARCH_PPC64LE);
}

static void test_s390_round_trip(void)
{
    struct df_dump *d = tu_sample_s390();
    struct df_err e = {{0}};
    const char *p = tu_path("s390.elf");
    CU_ASSERT_EQUAL_FATAL(df_write_elf(d, p, &e), DF_OK);
    struct df_dump *r = NULL;
    CU_ASSERT_EQUAL_FATAL(df_read_file(p, &r, &e), DF_OK);
    CU_ASSERT_EQUAL(r->format, DF_FMT_ELF);
    CU_ASSERT_EQUAL(r->arch, DF_ARCH_S390X);
    CU_ASSERT_EQUAL(r->flags, DF_FLAG_S390_VX);
    CU_ASSERT(tu_same_memory(d, r));
    CU_ASSERT_EQUAL_FATAL(r->ncpus, 2);         /* prefix-0 CPU dropped */
    for (unsigned n = 0; n < 2; n++) {
        const struct db_s390_cpu *a = &d->cpus[n].regs.s390;
        const struct db_s390_cpu *b = &r->cpus[n].regs.s390;
        CU_ASSERT_EQUAL(r->cpus[n].present, 1);
        CU_ASSERT_EQUAL(b->psw_mask, a->psw_mask);
        CU_ASSERT_EQUAL(b->psw_addr, a->psw_addr);
        CU_ASSERT_EQUAL(memcmp(b->gprs, a->gprs, sizeof(a->gprs)), 0);
        CU_ASSERT_EQUAL(memcmp(b->acrs, a->acrs, sizeof(a->acrs)), 0);
        CU_ASSERT_EQUAL(memcmp(b->fprs, a->fprs, sizeof(a->fprs)), 0);
        CU_ASSERT_EQUAL(memcmp(b->crs, a->crs, sizeof(a->crs)), 0);
        CU_ASSERT_EQUAL(memcmp(b->vxrs_low, a->vxrs_low, sizeof(a->vxrs_low)), 0);
        CU_ASSERT_EQUAL(memcmp(b->vxrs_high, a->vxrs_high, sizeof(a->vxrs_high)), 0);
        CU_ASSERT_EQUAL(b->fpc, a->fpc);
        CU_ASSERT_EQUAL(b->prefix, a->prefix);
        CU_ASSERT_EQUAL(b->todpreg, a->todpreg);
        CU_ASSERT_EQUAL(b->cputm, a->cputm);
        CU_ASSERT_EQUAL(b->ckc, a->ckc);
    }
    CU_ASSERT_EQUAL_FATAL(r->nnotes, 20);
    CU_ASSERT_STRING_EQUAL(r->notes[0].name, "CORE");
    CU_ASSERT_EQUAL(r->notes[0].cpu, -1);
    CU_ASSERT_EQUAL(r->notes[1].cpu, 0);
    CU_ASSERT_EQUAL(r->notes[9].cpu, 0);
    CU_ASSERT_EQUAL(r->notes[10].cpu, 1);
    CU_ASSERT_STRING_EQUAL(r->notes[19].name, "VMCOREINFO");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r->vmcoreinfo);
    CU_ASSERT_STRING_EQUAL(r->vmcoreinfo, VMCI_TEXT);
    CU_ASSERT_EQUAL(r->vmcoreinfo_len, VMCI_LEN);
    df_dump_free(r);
    df_dump_free(d);
}

static void check_ppc_round_trip(enum df_arch arch)
{
    struct df_dump *d = tu_sample_ppc(arch);
    struct df_err e = {{0}};
    const char *p = tu_path("ppc.elf");
    CU_ASSERT_EQUAL_FATAL(df_write_elf(d, p, &e), DF_OK);
    struct df_dump *r = NULL;
    CU_ASSERT_EQUAL_FATAL(df_read_file(p, &r, &e), DF_OK);
    CU_ASSERT_EQUAL(r->arch, arch);
    CU_ASSERT(tu_same_memory(d, r));
    CU_ASSERT_EQUAL_FATAL(r->ncpus, 2);
    for (unsigned n = 0; n < 2; n++) {
        const struct db_ppc64_cpu *a = &d->cpus[n].regs.ppc64;
        const struct db_ppc64_cpu *b = &r->cpus[n].regs.ppc64;
        CU_ASSERT_EQUAL(memcmp(a->gpr, b->gpr, sizeof(a->gpr)), 0);
        CU_ASSERT_EQUAL(b->nia, a->nia);
        CU_ASSERT_EQUAL(b->msr, a->msr);
        CU_ASSERT_EQUAL(b->ctr, a->ctr);
        CU_ASSERT_EQUAL(b->lr, a->lr);
        CU_ASSERT_EQUAL(b->xer, a->xer);
        CU_ASSERT_EQUAL(b->cr, a->cr);
        CU_ASSERT_EQUAL(b->dar, a->dar);
        CU_ASSERT_EQUAL(b->dsisr, a->dsisr);
        CU_ASSERT(b->online);
    }
    CU_ASSERT_EQUAL(r->nnotes, 3);
    CU_ASSERT_EQUAL(r->notes[1].cpu, 1);
    CU_ASSERT_STRING_EQUAL(r->vmcoreinfo, VMCI_TEXT_PPC);
    df_dump_free(r);
    df_dump_free(d);
}

static void test_ppc64_round_trip(void)
{
    check_ppc_round_trip(DF_ARCH_PPC64);
}

static void test_ppc64le_round_trip(void)
{
    check_ppc_round_trip(DF_ARCH_PPC64LE);
}

static void test_reread_rewrite_byte_exact(void)
{
    struct df_err e = {{0}};
    enum df_arch archs[] = {DF_ARCH_S390X, DF_ARCH_PPC64, DF_ARCH_PPC64LE};
    for (size_t i = 0; i < 3; i++) {
        struct df_dump *d = archs[i] == DF_ARCH_S390X ? tu_sample_s390()
                                                      : tu_sample_ppc(archs[i]);
        const char *p1 = tu_path("rw1.elf");
        CU_ASSERT_EQUAL_FATAL(df_write_elf(d, p1, &e), DF_OK);
        struct df_dump *r = NULL;
        CU_ASSERT_EQUAL_FATAL(df_read_file(p1, &r, &e), DF_OK);
        /* page size recovered from VMCOREINFO PAGESIZE= */
        CU_ASSERT_EQUAL(r->page_size, archs[i] == DF_ARCH_S390X ? 4096 : 65536);
        uint8_t *b2 = NULL;
        size_t l2 = 0;
        CU_ASSERT_EQUAL(df_write_elf_mem(r, &b2, &l2, &e), DF_OK);
        size_t l1 = 0;
        uint8_t *b1 = tu_read_file(p1, &l1);
        CU_ASSERT_EQUAL(l1, l2);
        CU_ASSERT(b1 && b2 && l1 == l2 && memcmp(b1, b2, l1) == 0);
        free(b1);
        free(b2);
        df_dump_free(r);
        df_dump_free(d);
    }
}

static void test_deterministic(void)
{
    struct df_err e = {{0}};
    struct df_dump *d1 = tu_sample_s390();
    struct df_dump *d2 = tu_sample_s390();
    uint8_t *a = NULL, *b = NULL;
    size_t la = 0, lb = 0;
    CU_ASSERT_EQUAL(df_write_elf_mem(d1, &a, &la, &e), DF_OK);
    CU_ASSERT_EQUAL(df_write_elf_mem(d2, &b, &lb, &e), DF_OK);
    CU_ASSERT(la == lb && memcmp(a, b, la) == 0);
    CU_ASSERT_EQUAL(df_write_elf(d1, tu_path("det1.elf"), &e), DF_OK);
    CU_ASSERT_EQUAL(df_write_elf(d1, tu_path("det2.elf"), &e), DF_OK);
    size_t l1, l2;
    uint8_t *f1 = tu_read_file(tu_path("det1.elf"), &l1);
    uint8_t *f2 = tu_read_file(tu_path("det2.elf"), &l2);
    CU_ASSERT(f1 && f2 && l1 == la && l2 == la);
    CU_ASSERT(f1 && f2 && l1 == la && memcmp(f1, a, la) == 0 &&
              memcmp(f2, a, la) == 0);
    free(a);
    free(b);
    free(f1);
    free(f2);
    df_dump_free(d1);
    df_dump_free(d2);
}

static void test_s390_without_vx(void)
{
    struct df_dump *d = tu_sample_s390();
    d->flags &= ~DF_FLAG_S390_VX;
    struct df_err e = {{0}};
    uint8_t *blob = NULL;
    size_t bl = 0;
    CU_ASSERT_EQUAL(df_dump_build_notes(d, &blob, &bl, &e), DF_OK);
    CU_ASSERT_EQUAL(bl, S390_NOTES - 2 * (N_LINUX(256) + N_LINUX(128)));
    free(blob);
    CU_ASSERT_EQUAL_FATAL(df_write_elf(d, tu_path("novx.elf"), &e), DF_OK);
    struct df_dump *r = NULL;
    CU_ASSERT_EQUAL_FATAL(df_read_file(tu_path("novx.elf"), &r, &e), DF_OK);
    CU_ASSERT_EQUAL(r->flags & DF_FLAG_S390_VX, 0);
    CU_ASSERT_EQUAL(r->nnotes, 1 + 2 * 7 + 1);
    CU_ASSERT_EQUAL(r->cpus[1].regs.s390.vxrs_low[0], 0);
    df_dump_free(r);
    df_dump_free(d);
}

static void test_ppc_64k_rounding(void)
{
    /* two 4K-aligned chunks sharing one 64K page: each PT_LOAD covers the
     * whole rounded page and carries the neighbour's bytes ("old memory") */
    struct df_dump *d = df_dump_new(DF_ARCH_PPC64LE);
    struct df_err e = {{0}};
    uint8_t a[0x3000], c[0x1000];
    memset(a, 0xa1, sizeof(a));
    memset(c, 0xc3, sizeof(c));
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, 0x11000, a, sizeof(a), &e), DF_OK);
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, 0x14000, c, sizeof(c), &e), DF_OK);
    CU_ASSERT_EQUAL(df_dump_set_vmcoreinfo(d, VMCI_TEXT, VMCI_LEN, &e), DF_OK);
    size_t len;
    uint8_t *b = image_of(d, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(len, 0x20000 + 2 * 0x10000);
    const uint8_t *ph = b + 64 + 56;
    CU_ASSERT_EQUAL(db_ld_le64(ph + 8), 0x21000);
    CU_ASSERT_EQUAL(db_ld_le64(ph + 56 + 8), 0x30000 + 0x4000);
    CU_ASSERT_EQUAL(b[0x20000], 0);          /* 0x10000: no memory */
    CU_ASSERT_EQUAL(b[0x21000], 0xa1);
    CU_ASSERT_EQUAL(b[0x24000], 0xc3);       /* 0x14000 in load 0's page */
    CU_ASSERT_EQUAL(b[0x25000], 0);
    CU_ASSERT_EQUAL(b[0x31000], 0xa1);       /* 0x11000 in load 1's page */
    CU_ASSERT_EQUAL(b[0x34000], 0xc3);
    struct df_dump *r = NULL;
    CU_ASSERT_EQUAL_FATAL(read_buf(b, len, false, &r, &e), DF_OK);
    CU_ASSERT(tu_same_memory(d, r));
    df_dump_free(r);
    free(b);
    df_dump_free(d);
}

static void test_x86_64_writer(void)
{
    struct df_dump *d = df_dump_new(DF_ARCH_X86_64);
    struct df_err e = {{0}};
    CU_ASSERT_EQUAL(df_dump_add_chunk(d, 0x100000, NULL, 0x2000, &e), DF_OK);
    CU_ASSERT_EQUAL(df_dump_set_vmcoreinfo(d, VMCI_TEXT, VMCI_LEN, &e), DF_OK);
    size_t len;
    uint8_t *b = image_of(d, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(b[5], 1);
    CU_ASSERT_EQUAL(db_ld_le16(b + 0x12), 62);
    CU_ASSERT_EQUAL(db_ld_le64(b + 64 + 32), N_VMCI);
    CU_ASSERT_EQUAL(db_ld_le64(b + 64 + 56 + 16), 0xffff888000100000ull);
    struct df_dump *r = NULL;
    CU_ASSERT_EQUAL_FATAL(read_buf(b, len, false, &r, &e), DF_OK);
    CU_ASSERT_EQUAL(r->arch, DF_ARCH_X86_64);
    CU_ASSERT_EQUAL(r->nnotes, 1);
    CU_ASSERT_STRING_EQUAL(r->vmcoreinfo, VMCI_TEXT);
    df_dump_free(r);
    free(b);
    df_dump_free(d);
    /* no architecture: refused */
    d = df_dump_new(DF_ARCH_NONE);
    uint8_t *x = NULL;
    CU_ASSERT_EQUAL(df_write_elf_mem(d, &x, &len, &e), DF_ERR_INVALID);
    CU_ASSERT_PTR_NULL(x);
    df_dump_free(d);
}

static void test_libelf_cross_check(void)
{
    size_t len;
    uint8_t *b = s390_image(&len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_NOT_EQUAL_FATAL(elf_version(EV_CURRENT), EV_NONE);
    Elf *elf = elf_memory((char *)b, len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(elf);
    GElf_Ehdr eh;
    CU_ASSERT_PTR_NOT_NULL(gelf_getehdr(elf, &eh));
    CU_ASSERT_EQUAL(eh.e_machine, 22);
    CU_ASSERT_EQUAL(eh.e_type, ET_CORE);
    size_t phnum = 0;
    CU_ASSERT_EQUAL(elf_getphdrnum(elf, &phnum), 0);
    CU_ASSERT_EQUAL_FATAL(phnum, 3);
    GElf_Phdr ph;
    CU_ASSERT_PTR_NOT_NULL_FATAL(gelf_getphdr(elf, 0, &ph));
    CU_ASSERT_EQUAL(ph.p_type, PT_NOTE);
    Elf_Data *nd = elf_getdata_rawchunk(elf, (int64_t)ph.p_offset, ph.p_filesz,
                                        ELF_T_NHDR);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nd);
    size_t off = 0, nn = 0, name_off, desc_off;
    GElf_Nhdr nh;
    uint32_t types[32];
    while ((off = gelf_getnote(nd, off, &nh, &name_off, &desc_off)) > 0 && nn < 32) {
        types[nn++] = nh.n_type;
    }
    CU_ASSERT_EQUAL(nn, 20);
    CU_ASSERT_EQUAL(types[0], 3);
    CU_ASSERT_EQUAL(types[8], 0x30a);
    CU_ASSERT_EQUAL(types[9], 0x309);
    CU_ASSERT_PTR_NOT_NULL_FATAL(gelf_getphdr(elf, 2, &ph));
    CU_ASSERT_EQUAL(ph.p_type, PT_LOAD);
    CU_ASSERT_EQUAL(ph.p_paddr, 0x100000);
    CU_ASSERT_EQUAL(ph.p_filesz, 0x20000);
    CU_ASSERT_EQUAL(b[ph.p_offset + 0x10], tu_pat(0x100010, 1));
    elf_end(elf);
    free(b);
}

static void test_libkdumpfile_elf_s390(void)
{
    struct df_dump *d = tu_sample_s390();
    struct df_err e = {{0}};
    CU_ASSERT_EQUAL_FATAL(df_write_elf(d, tu_path("lk-s390.elf"), &e), DF_OK);
    tu_kdumpfile_compare(tu_path("lk-s390.elf"), (0x10000 + 0x20000) / 4096);
    df_dump_free(d);
}

static void test_libkdumpfile_elf_ppc64le(void)
{
    struct df_dump *d = tu_sample_ppc(DF_ARCH_PPC64LE);
    struct df_err e = {{0}};
    CU_ASSERT_EQUAL_FATAL(df_write_elf(d, tu_path("lk-ppc.elf"), &e), DF_OK);
    tu_kdumpfile_compare(tu_path("lk-ppc.elf"), (0x20000 + 0x10000) / 4096);
    df_dump_free(d);
}

/* ---- corrupt inputs ---- */

struct trunc_case {
    size_t len;
    int status;
    const char *needle;
};

static void test_corrupt_truncations(void)
{
    size_t len;
    uint8_t *b = s390_image(&len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    const struct trunc_case cases[] = {
        {3, DF_ERR_NOPROBE, "not an ELF64 core"},
        {10, DF_ERR_CORRUPT, "ELF header needs 64 bytes"},
        {63, DF_ERR_CORRUPT, "ELF header needs 64 bytes"},
        {64 + 20, DF_ERR_CORRUPT, "program header table (e_phoff 0x40, e_phnum 3)"},
        {64 + 3 * 56 - 1, DF_ERR_CORRUPT, "beyond EOF"},
        {0x1000 + 100, DF_ERR_CORRUPT, "PT_NOTE (phdr[0] at 0x40) p_offset 0x1000"},
        {0x2000 + 0x100, DF_ERR_CORRUPT, "PT_LOAD (phdr[1] at 0x78) p_offset 0x2000"},
        {0x12000 + 5, DF_ERR_CORRUPT, "PT_LOAD (phdr[2] at 0xb0) p_offset 0x12000"},
        {len - 1, DF_ERR_CORRUPT, "dump incomplete"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct df_err e;
        struct df_dump *d = (struct df_dump *)1;
        int rc = read_buf(b, cases[i].len, false, &d, &e);
        CU_ASSERT_EQUAL(rc, cases[i].status);
        CU_ASSERT_PTR_NULL(d);
        if (!strstr(e.msg, cases[i].needle)) {
            fprintf(stderr, "\ncase %zu: '%s' lacks '%s'\n", i, e.msg,
                    cases[i].needle);
            CU_FAIL("message does not name the field");
        }
    }
    free(b);
}

static void test_truncated_lenient(void)
{
    size_t len;
    uint8_t *b = s390_image(&len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    struct df_err e;
    struct df_dump *d = NULL;
    CU_ASSERT_EQUAL_FATAL(read_buf(b, 0x2000 + 0x1100, true, &d, &e), DF_OK);
    CU_ASSERT(d->flags & DF_FLAG_INCOMPLETE);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "PT_LOAD (phdr[1]"));
    CU_ASSERT_EQUAL_FATAL(d->nchunks, 1);          /* phdr[2] has no data */
    CU_ASSERT_EQUAL(d->chunks[0].size, 0x1100);
    CU_ASSERT_PTR_NOT_NULL(df_dump_page(d, 0));
    CU_ASSERT_PTR_NULL(df_dump_page(d, 0x1000));   /* partial page */
    CU_ASSERT_EQUAL(d->ncpus, 2);                  /* notes intact */
    df_dump_free(d);
    free(b);
}

static int expect_corrupt(uint8_t *img, size_t len, int status,
                          const char *needle)
{
    struct df_err e;
    struct df_dump *d = (struct df_dump *)1;
    int rc = read_buf(img, len, false, &d, &e);
    CU_ASSERT_EQUAL(rc, status);
    CU_ASSERT_PTR_NULL(d);
    if (!strstr(e.msg, needle)) {
        fprintf(stderr, "\n'%s' lacks '%s'\n", e.msg, needle);
        CU_FAIL("message does not name the field");
        return 0;
    }
    return 1;
}

static void test_corrupt_header_fields(void)
{
    size_t len;
    uint8_t *b = s390_image(&len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    uint8_t *m = malloc(len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
#define MUT(stmt, st, needle)            \
    do {                                 \
        memcpy(m, b, len);               \
        stmt;                            \
        expect_corrupt(m, len, st, needle); \
    } while (0)
    MUT(m[1] = 'X', DF_ERR_NOPROBE, "not an ELF64 core");
    MUT(m[4] = 1, DF_ERR_NOTIMPL, "EI_CLASS");
    MUT(m[5] = 3, DF_ERR_CORRUPT, "e_ident[EI_DATA] 3");
    MUT(db_st_be16(m + 0x10, 2), DF_ERR_NOTIMPL, "e_type 2");
    MUT(db_st_be16(m + 0x36, 32), DF_ERR_CORRUPT, "e_phentsize 32");
    MUT(db_st_be16(m + 0x38, 0), DF_ERR_CORRUPT, "e_phnum 0");
    MUT(db_st_be64(m + 0x20, 0xfffffffffffffff0ull), DF_ERR_CORRUPT,
        "e_phoff 0xfffffffffffffff0");
    MUT(db_st_be16(m + 0x38, 0xffff), DF_ERR_CORRUPT, "PN_XNUM");
    /* note sizes */
    MUT(db_st_be32(m + 0x1000 + 4, 0xfffffff0u), DF_ERR_CORRUPT,
        "note[0] at offset 0x1000: n_descsz 4294967280");
    MUT(db_st_be32(m + 0x1000, 0x10000), DF_ERR_CORRUPT,
        "note[0] at offset 0x1000: n_namesz 65536");
    MUT(db_st_be32(m + 0x1000 + 156 + 4, 332), DF_ERR_CORRUPT,
        "note[1] CORE/NT_PRSTATUS type 0x1 at offset 0x109c: n_descsz 332, expected 336");
    MUT(db_st_be64(m + 64 + 32, 7), DF_ERR_CORRUPT, "truncated");
    /* loads */
    MUT(db_st_be64(m + 64 + 56 + 8, 0x7fff00000000ull), DF_ERR_CORRUPT,
        "p_offset 0x7fff00000000");
    MUT(db_st_be64(m + 64 + 112 + 24, 0x8000), DF_ERR_CORRUPT,
        "PT_LOAD phdr[1] [0x0,0x10000) overlaps phdr[2] [0x8000,0x28000)");
    MUT(db_st_be64(m + 64 + 56 + 32, 0x20000), DF_ERR_CORRUPT,
        "p_filesz 0x20000 > p_memsz 0x10000");
    MUT(db_st_be64(m + 64 + 56 + 24, 0xfffffffffffff000ull), DF_ERR_CORRUPT,
        "wraps");
#undef MUT
    free(m);
    free(b);
}

static void test_load_offset_beyond_eof_lenient(void)
{
    size_t len;
    uint8_t *b = s390_image(&len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    db_st_be64(b + 64 + 112 + 8, 0x7fff00000000ull);  /* PT_LOAD[1] */
    struct df_err e;
    struct df_dump *d = NULL;
    CU_ASSERT_EQUAL_FATAL(read_buf(b, len, true, &d, &e), DF_OK);
    CU_ASSERT_EQUAL(d->flags & DF_FLAG_INCOMPLETE, DF_FLAG_INCOMPLETE);
    CU_ASSERT_EQUAL(d->nchunks, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "phdr[2]"));
    df_dump_free(d);
    free(b);
}

static void test_memsz_tail_zero(void)
{
    size_t len;
    uint8_t *b = s390_image(&len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    db_st_be64(b + 64 + 56 + 40, 0x18000);   /* PT_LOAD[0] p_memsz */
    struct df_err e;
    struct df_dump *d = NULL;
    CU_ASSERT_EQUAL_FATAL(read_buf(b, len, false, &d, &e), DF_OK);
    CU_ASSERT_EQUAL_FATAL(d->nchunks, 2);
    CU_ASSERT_EQUAL(d->chunks[0].size, 0x18000);
    CU_ASSERT_EQUAL(d->chunks[0].data[0x1234], tu_pat(0x1234, 1));
    const uint8_t *p = df_dump_page(d, 0x17000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    static const uint8_t zero[4096];
    CU_ASSERT_EQUAL(memcmp(p, zero, 4096), 0);
    df_dump_free(d);
    free(b);
}

static void test_fuzz_never_crashes(void)
{
    size_t len;
    uint8_t *b = s390_image(&len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    uint8_t *m = malloc(len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    unsigned bad = 0;
    /* every truncation point through headers, notes and into the data */
    for (size_t cut = 0; cut < 0x2100; cut += 4) {
        struct df_err e;
        struct df_dump *d = NULL;
        int rc = read_buf(b, cut, false, &d, &e);
        if (rc == DF_OK || d != NULL || e.msg[0] == '\0') {
            bad++;
        }
    }
    /* deterministic single-byte corruption of the first 0x1a40 bytes */
    uint64_t x = 0x243f6a8885a308d3ull;
    for (int i = 0; i < 1500; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        size_t pos = (size_t)((x >> 33) % 0x1a40);
        memcpy(m, b, len);
        m[pos] ^= (uint8_t)(x >> 24) | 1;
        struct df_err e;
        struct df_dump *d = NULL;
        int rc = read_buf(m, len, false, &d, &e);
        if (rc == DF_OK) {
            if (!d) {
                bad++;
            }
            df_dump_free(d);
        } else if (d != NULL || e.msg[0] == '\0' ||
                   (rc != DF_ERR_CORRUPT && rc != DF_ERR_NOTIMPL &&
                    rc != DF_ERR_NOPROBE && rc != DF_ERR_SYSTEM)) {
            bad++;
        }
    }
    CU_ASSERT_EQUAL(bad, 0);
    free(m);
    free(b);
}

void register_elf_tests(void)
{
    CU_pSuite s = CU_add_suite("elf", tu_setup, tu_teardown);
    CU_add_test(s, "s390x pinned header/phdr fields", test_s390_pinned_header);
    CU_add_test(s, "s390x note bytes and Linux order", test_s390_note_bytes);
    CU_add_test(s, "ppc64 (BE) pinned header and prstatus", test_ppc64_pinned_header);
    CU_add_test(s, "ppc64le pinned header and prstatus", test_ppc64le_pinned_header);
    CU_add_test(s, "s390x write->read round trip", test_s390_round_trip);
    CU_add_test(s, "ppc64 write->read round trip", test_ppc64_round_trip);
    CU_add_test(s, "ppc64le write->read round trip", test_ppc64le_round_trip);
    CU_add_test(s, "read->write reproduces the file byte for byte", test_reread_rewrite_byte_exact);
    CU_add_test(s, "writers are deterministic (file == mem)", test_deterministic);
    CU_add_test(s, "s390x without vector facility", test_s390_without_vx);
    CU_add_test(s, "ppc64 64K PAGE_SIZE rounding of PT_LOADs", test_ppc_64k_rounding);
    CU_add_test(s, "x86_64 writer; no-arch refused", test_x86_64_writer);
    CU_add_test(s, "libelf cross-check", test_libelf_cross_check);
    CU_add_test(s, "libkdumpfile cross-check s390x ELF", test_libkdumpfile_elf_s390);
    CU_add_test(s, "libkdumpfile cross-check ppc64le ELF", test_libkdumpfile_elf_ppc64le);
    CU_add_test(s, "truncations give CORRUPT naming the field", test_corrupt_truncations);
    CU_add_test(s, "lenient read of truncated dump", test_truncated_lenient);
    CU_add_test(s, "corrupt header/note/load fields", test_corrupt_header_fields);
    CU_add_test(s, "PT_LOAD beyond EOF, lenient", test_load_offset_beyond_eof_lenient);
    CU_add_test(s, "p_filesz < p_memsz tail reads zero", test_memsz_tail_zero);
    CU_add_test(s, "truncation/corruption fuzz never crashes", test_fuzz_never_crashes);
}
