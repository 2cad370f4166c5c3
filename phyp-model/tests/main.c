#include <CUnit/Basic.h>

#include "helpers.h"

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS) {
        return 2;
    }
    add_register_suite();
    add_command_suite();
    add_dump_suite();
    add_regsave_suite();
    add_release_suite();
    if (CU_get_error() != CUE_SUCCESS) {
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned fails = CU_get_number_of_failures();
    int err = CU_get_error();
    CU_cleanup_registry();
    return (fails || err != CUE_SUCCESS) ? 1 : 0;
}
