/* CUnit driver for libharness. */
#include <CUnit/Basic.h>

#include "tests.h"

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    if (register_scenario_tests() || register_golden_tests() || register_compare_tests() ||
        register_report_tests() || register_run_tests() ||
        register_profile_tests() || register_replay_tests() || register_regress_tests() ||
        register_capture_record_tests() || register_ppc64_oracle_tests() ||
        register_s390x_truth_tests() || register_x86_script_tests() ||
        register_ppc64_script_tests()) {
        CU_cleanup_registry();
        return 1;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned fails = CU_get_number_of_failures();
    int err = CU_get_error() != CUE_SUCCESS;
    CU_cleanup_registry();
    return fails || err ? 1 : 0;
}
