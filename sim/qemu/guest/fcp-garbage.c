/*
 * dumpbench: bare-metal s390x guest feeding malformed SIGA, CHSC SSQD,
 * ESTABLISH / ACTIVATE QUEUES CCWs and hostile QDIO buffers to the patched
 * QEMU's FCP adapter (-device dumpbench-fcp; sim/qemu/smoke-s390x.sh
 * fcp-garbage).  Start-up, result words and helpers come from bare.h
 * (shared with garbage.c); the host compares every result word with its
 * table.
 *
 * Layouts: lx61 = Linux 6.1.
 *   SIGA (B274): GR0 function code, GR1 subchannel id, GR2/GR3 queue masks
 *     (lx61:drivers/s390/cio/qdio_main.c do_siga_output / do_siga_input).
 *   CHSC SSQD request/response (lx61:drivers/s390/cio/chsc.h struct
 *     chsc_ssqd_area: request len @0, code 0x24 @2, fmt @4 (low nibble),
 *     first_sch @6, last_sch @10; response len @len, code @len+2, then
 *     struct qdio_ssqd_desc: flags @+8 (+len), qdioac1 @+14).
 *   ORB / CCW1 / IRB: lx61:arch/s390/include/asm/orb.h, cio.h (struct ccw1,
 *     struct irb: SCSW 12 bytes, dstat byte 8, cstat byte 9; ECW sense @32).
 *   QDR / qdesfmt0 / SLIB / SL / SLSB / SBAL / SBALE and SLSB states:
 *     lx61:arch/s390/include/asm/qdio.h, drivers/s390/cio/qdio.h; the model's
 *     SBALF 15 reasons: fcp-model/include/fcp/qdio.h QDIO_SBALF15_*.
 * Built freestanding like garbage.c (entry 0x20000).
 */
#include <stdint.h>

#include "bare.h"

#define CHSCA       ((volatile uint8_t *)0x6000)
#define SCHIB       ((volatile uint8_t *)0x7000)
#define ORB         ((volatile uint8_t *)0x7100)
#define CCW         ((volatile uint8_t *)0x7200)
#define IRB         ((volatile uint8_t *)0x7300)
#define QDR_ADDR    0x8000u
#define QDR         ((volatile uint8_t *)QDR_ADDR)
#define SNSID       ((volatile uint8_t *)0x9000)
/* queue control blocks: input SLIB/SL/SLSB, output SLIB/SL/SLSB */
#define ISLIB       0xa000u
#define ISL         0xa800u
#define ISLSB       0xac00u
#define OSLIB       0xb000u
#define OSL         0xb800u
#define OSLSB       0xbc00u
#define ISBAL0      0x10000u    /* 128 input SBALs of 256 bytes */
#define OSBAL0      0x18000u    /* 128 output SBALs, up to 0x20000 (text) */
#define DATA        0xc000u     /* a valid data buffer for SBALEs */
#define MEM_END     0x8000000u  /* 128 MiB guest */

#define B(a)        ((volatile uint8_t *)(uintptr_t)(a))

/* SLSB states, SBAL flags (lx61 qdio.h) */
#define SLSB_CU_OUTPUT_PRIMED   0x62
#define SLSB_P_OUTPUT_EMPTY     0xa1
#define SLSB_P_INPUT_ACK        0x81
#define SBAL_EFLAGS_LAST_ENTRY  0x40
#define SBAL_SFLAGS0_MORE_SBALS 0x04
#define SBAL_SFLAGS0_COMMAND    0x02

static void fill(volatile uint8_t *p, unsigned len, uint8_t v)
{
    for (unsigned i = 0; i < len; i++) {
        p[i] = v;
    }
}

/* SIGA: cc, or program-interruption code << 16 */
static uint32_t siga(uint64_t fc, uint64_t sid, uint64_t m2, uint64_t m3)
{
    register uint64_t r0 __asm__("0") = fc;
    register uint64_t r1 __asm__("1") = sid;
    register uint64_t r2 __asm__("2") = m2;
    register uint64_t r3 __asm__("3") = m3;
    int cc = 99;

    *PGM_CODE = 0;
    __asm__ volatile("siga 0\n ipm %0\n srl %0,28"
                     : "+d"(cc) : "d"(r0), "d"(r1), "d"(r2), "d"(r3) : "cc", "memory");
    return *PGM_CODE ? (uint32_t)*PGM_CODE << 16 : (uint32_t)cc;
}

static int chsc(volatile uint8_t *a)
{
    int cc = 99;

    *PGM_CODE = 0;
    __asm__ volatile(".insn rre,0xb25f0000,%1,0\n ipm %0\n srl %0,28"
                     : "+d"(cc) : "d"(a) : "cc", "memory");
    return *PGM_CODE ? (int)(*PGM_CODE << 16) : cc;
}

#define IOI(op, name)                                                          \
    static int name(uint32_t sid, volatile uint8_t *a)                         \
    {                                                                          \
        register uint64_t r1 __asm__("1") = sid;                               \
        int cc = 99;                                                           \
        __asm__ volatile(op " 0(%2)\n ipm %0\n srl %0,28"                      \
                         : "+d"(cc) : "d"(r1), "a"(a) : "cc", "memory");       \
        return cc;                                                             \
    }
IOI("stsch", stsch)
IOI("msch", msch)
IOI("ssch", ssch)
IOI("tsch", tsch)

/* SSQD request (first..last, fmt, request len): response code << 16 |
 * response length, or 0xee000000 | cc; *flags = ssqd flags << 8 | qdioac1 */
static uint32_t ssqd(unsigned len, unsigned fmt, unsigned first, unsigned last, unsigned *flags)
{
    zero(CHSCA, 4096);
    st16(CHSCA, len);
    st16(CHSCA + 2, 0x24);
    st16(CHSCA + 4, fmt);
    st16(CHSCA + 6, first);
    st16(CHSCA + 10, last);
    int cc = chsc(CHSCA);
    if (cc) {
        return 0xee000000u | (uint32_t)cc;
    }
    if (flags) {
        *flags = CHSCA[len + 8] << 8 | CHSCA[len + 8 + 6];
    }
    return (uint32_t)ld16(CHSCA + len + 2) << 16 | ld16(CHSCA + len);
}

/* Start one format-1 CCW: dstat << 16 | cstat << 8 | sense byte 0, or
 * 0xdd000000 | cc of SSCH, 0xdc000000 | cc of TSCH (1: no status) */
static uint32_t run_ccw(uint32_t sid, uint8_t cmd, uint8_t flags, uint16_t count, uint32_t cda)
{
    zero(ORB, 32);
    zero(CCW, 8);
    zero(IRB, 96);
    CCW[0] = cmd;
    CCW[1] = flags;
    st16(CCW + 2, count);
    st32(CCW + 4, cda);
    st32(ORB, 0x12345678);
    ORB[5] = 0x80;          /* format-1 CCWs */
    ORB[6] = 0xff;          /* lpm */
    st32(ORB + 8, 0x7200);
    int cc = ssch(sid, ORB);
    if (cc) {
        return 0xdd000000u | (uint32_t)cc;
    }
    cc = tsch(sid, IRB);
    if (cc) {
        return 0xdc000000u | (uint32_t)cc;
    }
    return (uint32_t)IRB[8] << 16 | (uint32_t)IRB[9] << 8 | IRB[32];
}

/* A QDR as lx61 qdio_setup.c setup_qdr builds it (qfmt 1, 1+1 queues,
 * descriptors of 8 words) with SLIBs naming their SL/SLSB
 * (setup_storage_lists), SL entries = SBALs, SLSBs program-owned. */
static void good_qdr(void)
{
    zero(QDR, 4096);
    QDR[0] = 1;
    QDR[5] = 1;
    QDR[7] = 1;
    QDR[9] = 8;
    QDR[11] = 8;
    static const uint32_t q[2][3] = { { ISLIB, ISL, ISLSB }, { OSLIB, OSL, OSLSB } };
    for (unsigned i = 0; i < 2; i++) {
        st64(QDR + 64 + 32 * i, q[i][0]);
        st64(QDR + 64 + 32 * i + 8, q[i][1]);
        st64(QDR + 64 + 32 * i + 16, q[i][2]);
        zero(B(q[i][0]), 2048);
        st64(B(q[i][0]) + 8, q[i][1]);
        st64(B(q[i][0]) + 16, q[i][2]);
        for (unsigned b = 0; b < 128; b++) {
            st64(B(q[i][1]) + 8 * b, (i ? OSBAL0 : ISBAL0) + 256 * b);
        }
    }
    fill(B(ISLSB), 128, SLSB_P_INPUT_ACK);
    fill(B(OSLSB), 128, SLSB_P_OUTPUT_EMPTY);
    zero(B(ISBAL0), 0x10000);
}

static volatile uint8_t *osbal(unsigned b)
{
    return B(OSBAL0 + 256 * b);
}

static void sbale(unsigned b, unsigned e, uint8_t eflags, uint8_t sflags, uint32_t len, uint64_t addr)
{
    volatile uint8_t *p = osbal(b) + 16 * e;
    p[0] = eflags;
    p[3] = sflags;
    st32(p + 4, len);
    st64(p + 8, addr);
}

/* SIGA-w of output queue 0 after priming buffer b (state st):
 * cc << 24 | SLSB[b] << 16 | SBALF 14 << 8 | SBALF 15 */
static uint32_t kick(uint32_t sid, unsigned b, uint8_t st)
{
    B(OSLSB)[b] = st;
    uint32_t cc = siga(0, sid, 0x80000000u, 0);
    return cc << 24 | (uint32_t)B(OSLSB)[b] << 16 | (uint32_t)osbal(b)[14 * 16 + 3] << 8 |
           osbal(b)[15 * 16 + 3];
}

void main_test(void)
{
    uint32_t sid = 0;
    unsigned sch = 0xffff, flags = 0;

    for (unsigned s = 0; s < 8; s++) {
        if (stsch(0x10000 | s, SCHIB) == 0 && (SCHIB[5] & 0x01) && ld16(SCHIB + 6) == 0x0002) {
            sch = s;
            sid = 0x10000 | s;
        }
    }
    put(sch);                                       /* 0 FCP subchannel number */
    put(siga(0, 0, 0x80000000u, 0));                /* 1 SIGA GR1 = 0: operand exc */
    put(siga(0, 0x1ffff, 0x80000000u, 0));          /* 2 SIGA no such sch: cc3 */
    put(siga(0, sid, 0x80000000u, 0));              /* 3 SIGA not enabled: cc3 */
    put(ssqd(16, 0, sch, sch, &flags));             /* 4 SSQD ok: 0x0001 | 40 */
    put(flags);                                     /* 5 flags 0xc0, ac1 0x60 */
    put(ssqd(24, 0, sch, sch, 0));                  /* 6 overlong: 0x0003 | 8 */
    put(ssqd(16, 1, sch, sch, 0));                  /* 7 fmt 1: 0x0007 | 8 */
    put(ssqd(16, 0, 5, 4, 0));                      /* 8 first > last: 0x0003 */
    flags = 0xffff;
    put(ssqd(16, 0, 0x1234, 0x1234, &flags));       /* 9 no such sch: ok */
    put(flags);                                     /* 10 flags 0 */
    put(ssqd(16, 0, 0, 0xffff, 0));                 /* 11 whole range: ok, truncated */
    put(ssqd(16, 0xc0, sch, sch, 0));               /* 12 reserved bits: 0x0003 */
    /* enable the subchannel, with concurrent sense (PMCW chars bit 31,
     * lx61 cio/cio.h struct pmcw csense): a unit check then carries sense
     * byte 0 in the IRB's ECW */
    stsch(sid, SCHIB);
    SCHIB[5] |= 0x80;
    SCHIB[27] |= 0x01;
    put((uint32_t)msch(sid, SCHIB));                /* 13 msch cc0 */
    put(siga(0, sid, 0x80000000u, 0));              /* 14 SIGA-w no queues: cc3 */
    put(siga(0x80, sid, 0x80000000u, 0));           /* 15 QEBSM: cc3 */
    put(siga(7, sid, 0, 0));                        /* 16 fc 7: cc3 */
    zero(QDR, 4096);
    put(run_ccw(sid, 0x1b, 0x20, 4096, QDR_ADDR));  /* 17 EQUEUE zero QDR: UC, cmd reject */
    put(run_ccw(sid, 0x1b, 0x20, 4096, 0x7ffff000u)); /* 18 EQUEUE beyond memory */
    put(run_ccw(sid, 0x1b, 0x20, 8, QDR_ADDR));     /* 19 EQUEUE count 8 */
    put(run_ccw(sid, 0x1b, 0x24, 4096, QDR_ADDR));  /* 20 EQUEUE with IDA */
    QDR[0] = 1; QDR[5] = 1; QDR[7] = 1; QDR[9] = 8; QDR[11] = 8;
    for (unsigned i = 0; i < 2; i++) {              /* descriptors pointing at junk */
        st32(QDR + 64 + 32 * i + 4, 0xfffff800u);
        st32(QDR + 64 + 32 * i + 12, 0x9000);
        st32(QDR + 64 + 32 * i + 20, 0x9100);
    }
    put(run_ccw(sid, 0x1b, 0x20, 4096, QDR_ADDR));  /* 21 EQUEUE SLIB beyond memory */
    put(run_ccw(sid, 0x1f, 0x20, 0, 0));            /* 22 AQUEUE without queues */
    put(run_ccw(sid, 0xe4, 0x20, 40, 0x9000));      /* 23 SENSE ID: CE|DE */
    put((uint32_t)ld16(SNSID + 1) << 16 | ld16(SNSID + 4)); /* 24 1731 1732 */
    put((uint32_t)SNSID[8] << 24 | (uint32_t)SNSID[9] << 16 |
        (uint32_t)SNSID[12] << 8 | SNSID[13]);      /* 25 CIWs */

    /* ---- ESTABLISH with hostile queue control blocks ---- */
    good_qdr();
    st64(QDR + 64 + 32 + 16, MEM_END);              /* output SLSB beyond memory */
    put(run_ccw(sid, 0x1b, 0x20, 4096, QDR_ADDR));  /* 26 UC, cmd reject */
    good_qdr();
    st64(QDR + 64 + 32 + 16, MEM_END - 128);        /* SLSB in the last 128 bytes: not 256 aligned */
    put(run_ccw(sid, 0x1b, 0x20, 4096, QDR_ADDR));  /* 27 UC */
    good_qdr();
    st64(B(OSL) + 8 * 127, MEM_END - 128);          /* SBAL 127 crosses memory end */
    put(run_ccw(sid, 0x1b, 0x20, 4096, QDR_ADDR));  /* 28 UC */
    good_qdr();
    st64(B(ISLIB) + 16, OSLSB);                     /* SLIB names another SLSB */
    put(run_ccw(sid, 0x1b, 0x20, 4096, QDR_ADDR));  /* 29 UC */
    good_qdr();
    QDR[7] = 2;                                     /* two output queues */
    put(run_ccw(sid, 0x1b, 0x20, 4096, QDR_ADDR));  /* 30 UC */
    good_qdr();
    put(run_ccw(sid, 0x1b, 0x20, 4096, QDR_ADDR));  /* 31 valid QDR: CE|DE */
    put(run_ccw(sid, 0x1b, 0x20, 4096, QDR_ADDR));  /* 32 again: already established, UC */
    put(run_ccw(sid, 0x1f, 0x20, 0, 0));            /* 33 AQUEUE: no status (TSCH cc 1) */

    /* ---- hostile output buffers, then SIGA-w: the device must set the
     * SLSB error state with a reason in SBALF 15, never crash ---- */
    /* the guest's SL now names a buffer beyond memory: the device uses the
     * SL copied at ESTABLISH (buffer 0 at OSBAL0) */
    st64(B(OSL), MEM_END);
    st64(B(OSL) + 8, 0xffffffffffffff00ull);
    sbale(0, 0, 0, SBAL_SFLAGS0_COMMAND, 0, 0x1111);
    sbale(0, 1, SBAL_EFLAGS_LAST_ENTRY, 0, 4096, MEM_END - 16);
    put(kick(sid, 0, SLSB_CU_OUTPUT_PRIMED));       /* 34 SBALE crosses memory end: 0x81 */
    sbale(1, 0, 0, SBAL_SFLAGS0_COMMAND, 0, 0x2222);
    sbale(1, 1, SBAL_EFLAGS_LAST_ENTRY, 0, 16, 0xfffffffffffffff8ull);
    put(kick(sid, 1, SLSB_CU_OUTPUT_PRIMED));       /* 35 SBALE address wraps: 0x81 */
    sbale(2, 0, 0, SBAL_SFLAGS0_COMMAND, 0, 0x3333);
    sbale(2, 1, SBAL_EFLAGS_LAST_ENTRY, 0, 0xffffffffu, DATA);
    put(kick(sid, 2, SLSB_CU_OUTPUT_PRIMED));       /* 36 SBALE length 2^32-1: 0x82 */
    put(kick(sid, 3, 0x4f));                        /* 37 CU-owned junk state: 0x86 */
    sbale(4, 0, 0, SBAL_SFLAGS0_COMMAND, 0, 0x4444);
    for (unsigned e = 1; e < 16; e++) {
        sbale(4, e, 0, 0, 16, DATA);
    }
    put(kick(sid, 4, SLSB_CU_OUTPUT_PRIMED));       /* 38 no LAST_ENTRY: 0x83, F14 15 */
    sbale(5, 0, 0, SBAL_SFLAGS0_COMMAND | SBAL_SFLAGS0_MORE_SBALS, 0, 0x5555);
    sbale(5, 1, SBAL_EFLAGS_LAST_ENTRY, 0, 16, DATA);
    put(kick(sid, 5, SLSB_CU_OUTPUT_PRIMED));       /* 39 MORE_SBALS, next not primed: 0x84 */
    sbale(6, 0, 0, 0, 0, 0x6666);
    sbale(6, 1, SBAL_EFLAGS_LAST_ENTRY, 0, 16, DATA);
    put(kick(sid, 6, SLSB_CU_OUTPUT_PRIMED));       /* 40 no COMMAND flag: 0x85 */
    sbale(7, 0, SBAL_EFLAGS_LAST_ENTRY, SBAL_SFLAGS0_COMMAND, 0, 0x7777);
    put(kick(sid, 7, SLSB_CU_OUTPUT_PRIMED));       /* 41 request id only, no QTCB: 0x87 */
    sbale(8, 0, 0, SBAL_SFLAGS0_COMMAND, 0, 0x8888);
    sbale(8, 1, SBAL_EFLAGS_LAST_ENTRY, 0, 16, DATA); /* a 16-byte "QTCB" of zeros */
    put(kick(sid, 8, SLSB_CU_OUTPUT_PRIMED));       /* 42 too-short QTCB: 0x87 */
    put(siga(0, sid, 0x80000000u, 0));              /* 43 SIGA-w, nothing primed: cc 0 */
    B(ISLSB)[0] = 0x4f;                             /* junk input state */
    put(siga(1, sid, 0x80000000u, 0));              /* 44 SIGA-r, nothing to deliver: cc 0 */
    put(B(ISLSB)[0]);                               /* 45 input SLSB untouched (0x4f) */
    put(siga(0, sid, 0, 0));                        /* 46 SIGA-w empty mask: cc 0 */
    put(0x600d);                                    /* 47 still alive */
}
