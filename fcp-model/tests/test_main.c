/* libfcp CUnit runner. */
#include <CUnit/Basic.h>

#include "fcp_test.h"

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS) {
        return 2;
    }
    if (register_state_suite() || register_scsi_suite() || register_fault_suite() ||
        register_file_suite() || register_qdio_suite() || register_fsf_suite() ||
        register_ssqd_suite()) {
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failures = CU_get_number_of_failures();
    CU_ErrorCode err = CU_get_error();
    CU_cleanup_registry();
    return (failures || err != CUE_SUCCESS) ? 1 : 0;
}
