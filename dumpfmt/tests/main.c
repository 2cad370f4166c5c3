#include <CUnit/Basic.h>

#include "tutil.h"

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS) {
        return 1;
    }
    register_model_tests();
    register_elf_tests();
    register_kdump_tests();
    register_s390_tests();
    register_sparse_tests();
    if (CU_get_error() != CUE_SUCCESS) {
        CU_cleanup_registry();
        return 1;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned fails = CU_get_number_of_failures();
    int err = CU_get_error();
    CU_cleanup_registry();
    return (fails || err) ? 1 : 0;
}
