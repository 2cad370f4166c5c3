/*
 * Dump memory structure of RTAS ibm,configure-kernel-dump
 * (struct rtas_fadump_mem_struct): a 40-byte header followed by up to
 * 10 sections of 40 bytes each.  All fields big-endian, also on ppc64le.
 *
 * Sources: linux:arch/powerpc/platforms/pseries/rtas-fadump.h (commit
 * 683eab94, rgn[10]); lx61:arch/powerpc/platforms/pseries/rtas-fadump.h
 * (three named sections, 160 bytes); linux:arch/powerpc/include/asm/
 * phyp_dump.h (2008 phyp-assisted dump, same field order);
 * qemu:include/hw/ppc/spapr_fadump.h (FadumpMemStruct, PAPR v2.13
 * Table 136 flags).  Spec: /work/shared/specs/phyp.md sections 2.4, 2.5.
 *
 * The structs below document the layout only.  Guest data is never cast
 * to them: the model parses a private byte copy with db_ld_be*() at the
 * PHYP_FDM_* / PHYP_SEC_* offsets.
 */
#ifndef PHYP_FDM_H
#define PHYP_FDM_H

#include <stddef.h>
#include <stdint.h>

/* Header, 40 bytes (struct rtas_fadump_section_header). */
struct phyp_fdm_header {
    uint32_t dump_format_version;       /* 0x00 = 1 */
    uint16_t dump_num_sections;         /* 0x04 1..10 */
    uint16_t dump_status_flag;          /* 0x06 OS 0, fw PHYP_FDM_STATUS_* */
    uint32_t offset_first_dump_section; /* 0x08 = 0x28 */
    uint32_t dd_block_size;             /* 0x0C disk dump, 0 */
    uint64_t dd_block_offset;           /* 0x10 0 */
    uint64_t dd_num_blocks;             /* 0x18 0 */
    uint32_t dd_offset_disk_path;       /* 0x20 0 */
    uint32_t max_time_auto;             /* 0x24 0 = no auto dump-reboot */
};

/* Section, 40 bytes (struct rtas_fadump_section). */
struct phyp_fdm_section {
    uint32_t request_flag;              /* 0x00 1 = dump this section */
    uint16_t source_data_type;          /* 0x04 PHYP_SRC_* */
    uint16_t error_flags;               /* 0x06 fw output PHYP_SEC_ERR_* */
    uint64_t source_address;            /* 0x08 0 for types 1/2 */
    uint64_t source_len;                /* 0x10 bytes (types 1/2: -sizes) */
    uint64_t bytes_dumped;              /* 0x18 fw output */
    uint64_t destination_address;       /* 0x20 length implied by source_len */
};

_Static_assert(sizeof(struct phyp_fdm_header) == 40, "fdm header is 40 bytes");
_Static_assert(sizeof(struct phyp_fdm_section) == 40, "fdm section is 40 bytes");
_Static_assert(offsetof(struct phyp_fdm_header, max_time_auto) == 0x24,
               "max_time_auto at 0x24");
_Static_assert(offsetof(struct phyp_fdm_section, destination_address) == 0x20,
               "destination_address at 0x20");

#define PHYP_FDM_HDR_SIZE          40u
#define PHYP_FDM_SEC_SIZE          40u
/* offset_first_dump_section every kernel writes (header size). */
#define PHYP_FDM_FIRST_SEC_OFF     0x28u
/* v1 limit: rgn[10] (linux:…/rtas-fadump.h RTAS_FADUMP_MAX_SECTIONS). */
#define PHYP_FDM_MAX_SECTIONS_V1   10u
/* Exact structure size for n sections: 40 + 40n (6.1: n=3 -> 160). */
#define PHYP_FDM_SIZE(n)           (PHYP_FDM_HDR_SIZE + PHYP_FDM_SEC_SIZE * (uint64_t)(n))

/* Header field offsets. */
#define PHYP_FDM_VERSION           0x00
#define PHYP_FDM_NUM_SECTIONS      0x04
#define PHYP_FDM_STATUS            0x06
#define PHYP_FDM_FIRST_SEC         0x08
#define PHYP_FDM_DD_BLOCK_SIZE     0x0C
#define PHYP_FDM_DD_BLOCK_OFFSET   0x10
#define PHYP_FDM_DD_NUM_BLOCKS     0x18
#define PHYP_FDM_DD_DISK_PATH      0x20
#define PHYP_FDM_MAX_TIME_AUTO     0x24

/* Section field offsets (relative to the section start). */
#define PHYP_SEC_REQUEST_FLAG      0x00
#define PHYP_SEC_TYPE              0x04
#define PHYP_SEC_ERROR_FLAGS       0x06
#define PHYP_SEC_SOURCE_ADDR       0x08
#define PHYP_SEC_SOURCE_LEN        0x10
#define PHYP_SEC_BYTES_DUMPED      0x18
#define PHYP_SEC_DEST_ADDR         0x20

/* dump_format_version (DUMP_HEADER_VERSION, phyp_dump.h / rtas-fadump.h). */
#define PHYP_FDM_VERSION_1         0x00000001u
/* request_flag (RTAS_FADUMP_REQUEST_FLAG / DUMP_REQUEST_FLAG). */
#define PHYP_FDM_REQUEST_FLAG      0x00000001u

/* source_data_type (spec 2.4). */
#define PHYP_SRC_CPU_STATE         0x0001u /* register save area, fw-provided */
#define PHYP_SRC_HPTE              0x0002u /* hardware page table, fw-provided */
#define PHYP_SRC_REAL_MODE         0x0011u /* boot memory ("RMR"/"RMO") */
#define PHYP_SRC_PARAM_AREA        0x0100u /* OS parameter area, src == dst */

/* dump_status_flag, firmware output (spec 2.5). */
#define PHYP_FDM_STATUS_PERFORMED  0x8000u
#define PHYP_FDM_STATUS_TRIGGERED  0x4000u
#define PHYP_FDM_STATUS_ERROR      0x2000u

/* error_flags per section, firmware output (spec 2.5). */
#define PHYP_SEC_ERR_INVALID_TYPE  0x8000u
#define PHYP_SEC_ERR_INVALID_SRC   0x4000u
#define PHYP_SEC_ERR_LEN_EXCEEDS   0x2000u
#define PHYP_SEC_ERR_INVALID_DEST  0x1000u
#define PHYP_SEC_ERR_DEST_TOO_SMALL 0x0800u

#endif /* PHYP_FDM_H */
