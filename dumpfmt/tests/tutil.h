/* Shared helpers for the libdumpfmt CUnit tests. */
#ifndef DUMPFMT_TUTIL_H
#define DUMPFMT_TUTIL_H

#include <stddef.h>
#include <stdint.h>

#include <dumpfmt/dump.h>

#define VMCI_TEXT "OSRELEASE=6.1.0-test\nPAGESIZE=4096\nCRASHTIME=1577836800\n"
/* Same length (56) for the 64K-page ppc64 samples. */
#define VMCI_TEXT_PPC "OSRELEASE=6.1.0-test\nPAGESIZE=65536\nCRASHTIME=157783680\n"

/* Per-test temp file path "<tmpdir>/<name>" (static buffer rotated 4x). */
const char *tu_path(const char *name);
int tu_setup(void);
int tu_teardown(void);

int tu_write_file(const char *path, const void *buf, size_t len);
/* malloc'd file contents; NULL on error */
uint8_t *tu_read_file(const char *path, size_t *len);

/* Deterministic pattern byte for physical address a. */
uint8_t tu_pat(uint64_t a, unsigned seed);

/*
 * Sample dumps:
 * s390x: chunks [0,64K) and [1M,1M+128K); CPUs 0,1 (prefix 0x8000 / 0xc000)
 *        and a third present CPU with prefix 0 (dropped from ELF notes);
 *        DF_FLAG_S390_VX; VMCOREINFO VMCI_TEXT.
 * ppc64/ppc64le: chunks [0,128K) and [0x200000, +64K); 2 CPUs; VMCOREINFO.
 */
struct df_dump *tu_sample_s390(void);
struct df_dump *tu_sample_ppc(enum df_arch arch);
void tu_fill_s390_cpu(struct db_s390_cpu *c, unsigned n);
void tu_fill_ppc_cpu(struct db_ppc64_cpu *c, unsigned n);

/* Memory of two dumps is identical (same chunks and bytes). */
int tu_same_memory(const struct df_dump *a, const struct df_dump *b);

/* Read path with our reader and libkdumpfile; every page of every chunk
 * must read identically (KDUMP_MACHPHYSADDR); expect_pages checked. */
void tu_kdumpfile_compare(const char *path, size_t expect_pages);

void register_model_tests(void);
void register_elf_tests(void);
void register_kdump_tests(void);
void register_s390_tests(void);
void register_sparse_tests(void);

#endif
