/*
 * dumpbench: bare-metal s390x guest feeding malformed SCCBs and IPL blocks
 * to the patched QEMU (sim/qemu/smoke-s390x.sh garbage).
 *
 * Each test stores one 32-bit result word at absolute 0x4000 + 4 * n:
 * (program-interruption code << 16) | response/return code.  A program
 * check is caught by a program-new PSW that records the code at 0x380 and
 * returns to the next instruction.  The word count goes to 0x3ffc, then the
 * CPU loads a disabled-wait PSW with address 0xfff000 (QEMU: shutdown);
 * the script runs QEMU with -action shutdown=pause and reads the words
 * with HMP xp.  Built freestanding: s390x-linux-gnu-gcc -ffreestanding
 * -nostdlib -static -Wl,-Ttext=0x20000 (entry 0x20000, not 0x10000, so
 * QEMU does not patch a Linux command line into it).
 */
#include <stdint.h>

#include "bare.h"

#define SCCB        ((volatile uint8_t *)0x6000)
#define IPLB        ((volatile uint8_t *)0x8000)
#define LAST_PAGE   0x7fff000u  /* last 4 KiB of the 128 MiB guest */
#define BEYOND_MEM  0x8000000u

#define CMD_READ_SCP_INFO   0x00020001u
#define CMD_WRITE_EVENT     0x00760005u

static uint32_t servc(uint32_t cmd, uint64_t sccb)
{
    *PGM_CODE = 0;
    __asm__ volatile(".insn rre,0xb2200000,%0,%1"
                     : : "d"(cmd), "a"(sccb) : "cc", "memory");
    if (*PGM_CODE) {
        return (uint32_t)*PGM_CODE << 16;
    }
    return ld16((volatile uint8_t *)sccb + 6);
}

static uint32_t diag308(uint64_t subcode, uint64_t addr)
{
    register uint64_t r2 __asm__("2") = addr;
    register uint64_t r3 __asm__("3") = 0xdeadu;
    register uint64_t r4 __asm__("4") = subcode;

    *PGM_CODE = 0;
    __asm__ volatile("diag %0,%2,0x308"
                     : "+d"(r2), "+d"(r3) : "d"(r4) : "cc", "memory");
    if (*PGM_CODE) {
        return (uint32_t)*PGM_CODE << 16;
    }
    return (uint32_t)r3;
}

/* DIAG 308 with an odd R1 (specification exception). */
static uint32_t diag308_odd(uint64_t subcode)
{
    register uint64_t r3 __asm__("3") = 0x8000;
    register uint64_t r4 __asm__("4") = subcode;

    *PGM_CODE = 0;
    __asm__ volatile("diag %0,%1,0x308" : "+d"(r3) : "d"(r4) : "cc", "memory");
    return (uint32_t)*PGM_CODE << 16;
}

/* SCCB: header (len) + one SDIAS event buffer of `evlen` bytes. */
static void sdias_sccb(uint16_t len, uint16_t evlen, uint8_t qual)
{
    zero(SCCB, 4096);
    st16(SCCB, len);
    st16(SCCB + 8, evlen);
    SCCB[10] = 0x1c;
    SCCB[14] = qual;
    st32(SCCB + 24, 4712);
    SCCB[30] = 1;               /* asa_size 64 */
    st16(SCCB + 66, 1);         /* dbs */
}

/*
 * FCP IPL block at `at` (lx61:arch/s390/include/uapi/asm/ipl.h struct
 * ipl_parameter_block: hdr.len @0, hdr.version @7; struct ipl_pb0_fcp at 8:
 * len @8, pbt @12, opt @328, devno @334, scp_data_len @380, scp_data @644).
 */
static void fcp_iplb_at(volatile uint8_t *at, uint32_t len, uint32_t blk0_len,
                        uint32_t scp_data_len, uint8_t version, uint8_t pbt, uint8_t opt)
{
    zero(at, 4096);
    st32(at, len);
    at[7] = version;
    st32(at + 8, blk0_len);
    at[12] = pbt;
    at[328] = opt;
    st16(at + 334, 2);
    st32(at + 380, scp_data_len);
}

static void fcp_iplb(uint32_t len, uint8_t version, uint8_t pbt, uint8_t opt)
{
    fcp_iplb_at(IPLB, len, 636, 0, version, pbt, opt);
}

void main_test(void)
{
    /* 0: SDIAS evbuf length 5 (< header) -> 0x73f0 */
    sdias_sccb(68, 5, 1);
    put(servc(CMD_WRITE_EVENT, 0x6000));
    /* 1: evbuf longer than the SCCB -> 0x73f0 */
    sdias_sccb(68, 200, 1);
    put(servc(CMD_WRITE_EVENT, 0x6000));
    /* 2: SDIAS evbuf of 40 bytes (< 60) -> 0x72f0 */
    sdias_sccb(48, 40, 1);
    put(servc(CMD_WRITE_EVENT, 0x6000));
    /* 3: valid size query, no HSA yet -> 0x0020, status 3, flags 0x80 */
    sdias_sccb(68, 60, 1);
    put(servc(CMD_WRITE_EVENT, 0x6000) | (uint32_t)SCCB[31] << 8);
    put(SCCB[11]);
    /* 5: store data, fbn/blk_cnt 0xffffffff -> 0x0020, status 3 */
    sdias_sccb(68, 60, 0);
    st32(SCCB + 36, 0xffffffffu);
    st32(SCCB + 52, 0xffffffffu);
    st64(SCCB + 40, 0x7000);
    put(servc(CMD_WRITE_EVENT, 0x6000) | (uint32_t)SCCB[31] << 8);
    /* 6: event qualifier 7 -> 0x40f0 */
    sdias_sccb(68, 60, 7);
    put(servc(CMD_WRITE_EVENT, 0x6000));
    /* 7: SCCB in the first 8 KiB -> specification (6) */
    put(servc(CMD_WRITE_EVENT, 0x1000));
    /* 8: SCCB not doubleword aligned -> specification */
    put(servc(CMD_WRITE_EVENT, 0x6004));
    /* 9: SCCB beyond memory (128 MiB guest) -> addressing (5) */
    put(servc(CMD_WRITE_EVENT, 0x10000000));
    /* 10: SCCB length 0xffff crossing 4 KiB -> 0x0100 */
    sdias_sccb(0xffff, 60, 1);
    put(servc(CMD_WRITE_EVENT, 0x6000));
    /* 11: DIAG 308/5 IPLB length 0 -> 0x0402 */
    fcp_iplb(0, 0, 0, 0x20);
    put(diag308(5, 0x8000));
    /* 12: length 5000 -> 0x0402 */
    fcp_iplb(5000, 0, 0, 0x20);
    put(diag308(5, 0x8000));
    /* 13: version 1 -> 0x0402 */
    fcp_iplb(644, 1, 0, 0x20);
    put(diag308(5, 0x8000));
    /* 14: pbt 7 -> 0x0402 */
    fcp_iplb(644, 0, 7, 0x20);
    put(diag308(5, 0x8000));
    /* 15: SET address not page aligned -> specification */
    put(diag308(5, 0x8004));
    /* 16: STORE with nothing stored -> 0x0102 */
    put(diag308(6, 0x9000));
    /* 17: dump without a dump IPLB -> 0x0102 */
    put(diag308(4, 0));
    /* 18: release HSA while running -> 0x0001 */
    put(diag308(2, 0));
    /* 19: bits above the EI flag -> specification */
    put(diag308(0x20004, 0));
    /* 20: odd R1 -> specification */
    put(diag308_odd(4));
    /* 21: FCP IPL (opt 0x10) block accepted -> 0x0001 */
    fcp_iplb(644, 0, 0, 0x10);
    put(diag308(5, 0x8000));
    /* 22: and stored back -> 0x0001, length word 644 */
    zero((volatile uint8_t *)0x9000, 4096);
    put(diag308(6, 0x9000));
    put(ld16((volatile uint8_t *)0x9002));
    /* 24: Read SCP Info: rc, byte 91, hsa_size (bytes 112-115) */
    zero(SCCB, 4096);
    st16(SCCB, 4096);
    put(servc(CMD_READ_SCP_INFO, 0x6000));
    put(SCCB[91]);
    put(ld16(SCCB + 114));
    /* 27: DIAG 308/5 IPLB length 0xffffffff -> 0x0402 */
    fcp_iplb_at(IPLB, 0xffffffffu, 0xffffffffu - 8, 0, 0, 0, 0x20);
    put(diag308(5, 0x8000));
    /* 28: length 4096, blk0 4088, scp_data_len 0xffffffff -> 0x0402 */
    fcp_iplb_at(IPLB, 4096, 4088, 0xffffffffu, 0, 0, 0x10);
    put(diag308(5, 0x8000));
    /* 29: length 644, blk0 636, scp_data_len 0xffffffff -> 0x0402 */
    fcp_iplb_at(IPLB, 644, 636, 0xffffffffu, 0, 0, 0x10);
    put(diag308(5, 0x8000));
    /* 30: maximal FCP block (4096 bytes, scp_data_len 3452) in the last
     * page of memory -> 0x0001 */
    fcp_iplb_at((volatile uint8_t *)LAST_PAGE, 4096, 4088, 3452, 0, 0, 0x10);
    for (unsigned i = 644; i < 4096; i++) {
        ((volatile uint8_t *)LAST_PAGE)[i] = (uint8_t)(i * 7);
    }
    put(diag308(5, LAST_PAGE));
    /* 31: STOREd back over the last page -> 0x0001, length 4096, last byte */
    zero((volatile uint8_t *)LAST_PAGE, 4096);
    put(diag308(6, LAST_PAGE));
    put(ld16((volatile uint8_t *)LAST_PAGE + 2));
    put(((volatile uint8_t *)LAST_PAGE)[4095]);
    /* 34: SET from beyond memory -> addressing (5) */
    put(diag308(5, BEYOND_MEM));
    /* 35: STORE to beyond memory -> addressing */
    put(diag308(6, BEYOND_MEM));
    /* 36: SDIAS size query in an SCCB in the last page of memory -> 0x0020, status 3 */
    zero((volatile uint8_t *)LAST_PAGE, 4096);
    st16((volatile uint8_t *)LAST_PAGE, 68);
    st16((volatile uint8_t *)LAST_PAGE + 8, 60);
    ((volatile uint8_t *)LAST_PAGE)[10] = 0x1c;
    ((volatile uint8_t *)LAST_PAGE)[14] = 1;
    put(servc(CMD_WRITE_EVENT, LAST_PAGE) | (uint32_t)((volatile uint8_t *)LAST_PAGE)[31] << 8);
    /* 37: Write Event Data SCCB 8 bytes before the end of memory, length
     * 4096 (its event header is beyond memory: not an SDIAS call) -> 0x0100 */
    st16((volatile uint8_t *)(BEYOND_MEM - 8), 4096);
    put(servc(CMD_WRITE_EVENT, BEYOND_MEM - 8));
    /* 38: SDIAS SCCB length 0 -> specification */
    sdias_sccb(0, 60, 1);
    put(servc(CMD_WRITE_EVENT, 0x6000));
    /* 39: SCCB length 8, the SDIAS event buffer outside it: not an SDIAS
     * call (the type byte is beyond the SCCB), QEMU's own empty Write Event
     * Data -> 0x0020 */
    sdias_sccb(8, 60, 1);
    put(servc(CMD_WRITE_EVENT, 0x6000));
    /* 40: Read SCP Info with a 16-byte SCCB -> 0x0300 */
    zero(SCCB, 4096);
    st16(SCCB, 16);
    put(servc(CMD_READ_SCP_INFO, 0x6000));
    /* 41: SDIAS store data, fbn 1, blk_cnt 0xffffffff, asa beyond memory -> 0x0020, status 3 */
    sdias_sccb(68, 60, 0);
    st32(SCCB + 36, 0xffffffffu);
    st32(SCCB + 52, 1);
    st64(SCCB + 40, 0xfffffffffffff000ull);
    put(servc(CMD_WRITE_EVENT, 0x6000) | (uint32_t)SCCB[31] << 8);
    /* 42: still alive */
    put(0x600d);
}
