/* Suite registration for the harness CUnit binary. */
#ifndef HARNESS_TESTS_H
#define HARNESS_TESTS_H

#include <stddef.h>
#include <stdint.h>

#include <CUnit/CUnit.h>

int register_scenario_tests(void);
int register_golden_tests(void);
int register_compare_tests(void);
int register_report_tests(void);
int register_run_tests(void);
int register_profile_tests(void);       /* test_profile.c */
int register_replay_tests(void);        /* test_replay.c */
int register_regress_tests(void);       /* test_regress.c */
int register_capture_record_tests(void);
int register_ppc64_oracle_tests(void);   /* test_ppc64_oracle.c */
int register_s390x_truth_tests(void);    /* test_s390x_truth.c */
int register_x86_script_tests(void);     /* test_x86_script.c */
int register_ppc64_script_tests(void);   /* test_ppc64_script.c */

/* Shared helpers (helpers.c). */
char *th_mkdtemp(void);                         /* malloc'd path */
void th_rmtree(const char *path);
int th_write_file(const char *path, const void *data, size_t len);
uint8_t *th_read_file(const char *path, size_t *len); /* malloc'd, NUL-terminated */
char *th_fixture(const char *name);             /* malloc'd path of tests/fixtures/NAME */

#endif /* HARNESS_TESTS_H */
