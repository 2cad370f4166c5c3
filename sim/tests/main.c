#include <CUnit/Basic.h>

#include "suites.h"

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS) {
        return 2;
    }
    if (register_machine_tests() != 0 || register_agent_tests() != 0 ||
        register_backend_tests() != 0 || register_child_tests() != 0) {
        CU_cleanup_registry();
        return 2;
    }
    register_ppc64_tests();
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned fails = CU_get_number_of_failures();
    CU_ErrorCode err = CU_get_error();
    CU_cleanup_registry();
    return (fails || err != CUE_SUCCESS) ? 1 : 0;
}
