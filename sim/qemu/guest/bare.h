/*
 * dumpbench: scaffolding shared by the bare-metal s390x test guests
 * (garbage.c, fcp-garbage.c; built freestanding by sim/qemu/smoke-s390x.sh).
 *
 * Each test stores one 32-bit result word at absolute 0x4000 + 4 * n with
 * put(); the word count goes to 0x3ffc.  A program check is caught by a
 * program-new PSW that records the interruption code at 0x380 (PGM_CODE)
 * and returns to the next instruction.  After main_test() the CPU loads a
 * disabled-wait PSW at 0xfff000 (QEMU: shutdown; the script runs QEMU with
 * -action shutdown=pause and reads the words with HMP xp).
 */
#ifndef DUMPBENCH_BARE_GUEST_H
#define DUMPBENCH_BARE_GUEST_H

#include <stdint.h>

#define PGM_CODE    ((volatile uint16_t *)0x380)
#define RESULTS     ((volatile uint32_t *)0x4000)
#define NRESULTS    ((volatile uint32_t *)0x3ffc)

static unsigned n;

void main_test(void);

__asm__(
    ".section .text.start,\"ax\"\n"
    ".globl _start\n"
    "_start:\n"
    "   larl %r15,stack_top\n"
    "   aghi %r15,-160\n"
    /* program-new PSW: 64-bit, disabled, -> pgm_handler */
    "   larl %r1,pgm_new_psw\n"
    "   mvc 0x1d0(16,%r0),0(%r1)\n"
    "   brasl %r14,main_test\n"
    "   larl %r1,wait_psw\n"
    "   lpswe 0(%r1)\n"
    "pgm_handler:\n"
    "   mvc 0x380(2,%r0),0x8e(%r0)\n"
    "   lpswe 0x150\n"
    ".align 8\n"
    "pgm_new_psw: .quad 0x0000000180000000, pgm_handler\n"
    "wait_psw:    .quad 0x0002000180000000, 0xfff000\n"
    ".section .bss\n"
    ".align 16\n"
    ".space 16384\n"
    "stack_top:\n"
    ".previous\n");

static inline void put(uint32_t v)
{
    RESULTS[n++] = v;
    *NRESULTS = n;
}

static inline void zero(volatile uint8_t *p, unsigned len)
{
    for (unsigned i = 0; i < len; i++) {
        p[i] = 0;
    }
}

static inline void st16(volatile uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v;
}

static inline void st32(volatile uint8_t *p, uint32_t v)
{
    st16(p, v >> 16);
    st16(p + 2, v);
}

static inline void st64(volatile uint8_t *p, uint64_t v)
{
    st32(p, v >> 32);
    st32(p + 4, v);
}

static inline uint16_t ld16(volatile uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

#endif
