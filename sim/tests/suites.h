/* Suite registration functions of the sim CUnit binary. */
#ifndef SIM_TEST_SUITES_H
#define SIM_TEST_SUITES_H

int register_machine_tests(void);
int register_agent_tests(void);
int register_backend_tests(void);
/* child runner, process faults, harness watchdog (sim/tests/test_child.c). */
int register_child_tests(void);
/* ppc64 fadump suite (sim/tests/test_ppc64_fadump.c). */
void register_ppc64_tests(void);

#endif
