/*
 * Shared fixture for the libfcp CUnit tests.
 *
 * Topology built by fx_setup():
 *   adapter devno 0.0.1700 (default config)
 *   port A  WWPN_A / DID_A: LUN_2 (512 x 64, memory) then LUN_1 (bs x nblocks)
 *   port B  WWPN_B / DID_B: LUN_1 (512 x 16, memory)
 * Port A and its LUN_1 are opened: f->ph / f->lh.
 */
#ifndef FCP_TEST_H
#define FCP_TEST_H

#include <stddef.h>
#include <stdint.h>

#include <CUnit/CUnit.h>

#include "fcp/fcp.h"

#define WWPN_A  0x500507630300c562ULL
#define WWPN_B  0x500507630310c562ULL
#define WWPN_X  0x5005076303ffffffULL     /* not configured */
#define DID_A   0x010200u
#define DID_B   0x010300u
#define LUN_1   0x0001000000000000ULL
#define LUN_2   0x0002000000000000ULL
#define LUN_9   0x0009000000000000ULL     /* not configured */

struct fx {
    struct fcp_adapter *a;
    uint32_t ph;                          /* port A handle */
    uint32_t lh;                          /* port A LUN_1 handle */
};

/* Returns 0 on success; every step is asserted. */
int fx_setup(struct fx *f, uint32_t block_size, uint64_t nblocks);
void fx_teardown(struct fx *f);

/* fcp_scsi_exec on (f->ph, f->lh). */
enum fcp_status fx_exec(struct fx *f, const uint8_t *cdb, size_t cdb_len, uint8_t *in,
                        size_t in_len, const uint8_t *out, size_t out_len,
                        struct fcp_scsi_result *res);

/* CDB builders */
void cdb_rw10(uint8_t cdb[10], uint8_t op, uint32_t lba, uint16_t n);
void cdb_rw16(uint8_t cdb[16], uint8_t op, uint64_t lba, uint32_t n);

/* Byte-exact comparison of fixed-format sense data. */
void expect_sense(const struct fcp_scsi_result *r, const uint8_t expect[18]);
/* Expected sense with no INFORMATION and no field pointer. */
void sense_simple(uint8_t out[18], uint8_t key, uint8_t asc, uint8_t ascq);

/* Fill with a deterministic pattern. */
void fill_pattern(uint8_t *p, size_t len, uint32_t seed);

/* Suite registration: return 0 or the CUnit error. */
int register_state_suite(void);
int register_scsi_suite(void);
int register_fault_suite(void);
int register_file_suite(void);
int register_qdio_suite(void);
int register_fsf_suite(void);
int register_ssqd_suite(void);

#endif
