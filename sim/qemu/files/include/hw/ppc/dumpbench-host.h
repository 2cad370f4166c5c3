/*
 * dumpbench: struct db_host_ops over QEMU for ppc64 (pseries).
 *
 *  mem_read/mem_write  address_space_read/write on address_space_memory,
 *                      limited to [0, ram_size) so a range is either fully
 *                      transferred or refused (host.h contract)
 *  mem_size            MachineState ram_size (boot RAM at real address 0)
 *  cpu_count           smp.max_cpus (possible CPUs, cpu_index 0..n-1)
 *  cpu_get             PowerPCCPU env -> struct db_ppc64_cpu; a slot with
 *                      no CPU is returned with online = false
 *  cpu_set             not provided (NULL): the dump never changes CPUs
 *  clock_ns            QEMU_CLOCK_VIRTUAL
 */
#ifndef HW_PPC_DUMPBENCH_HOST_H
#define HW_PPC_DUMPBENCH_HOST_H

#include "dumpbench/cpu.h"
#include "dumpbench/host.h"

/* The ops table; opaque is unused (may be NULL). */
extern const struct db_host_ops dumpbench_ppc_host_ops;

/*
 * DBPPC64T truth snapshot (layout in sim/qemu/README-ppc64.md): every
 * online CPU of `host` and all of guest RAM.  crash_cpu = cpu_index of the
 * CPU that made the call (UINT32_MAX unknown).  Returns 0, or -1 with a
 * message in err.
 */
int dumpbench_truth_write_ppc64(const char *path, const struct db_host *host,
                                uint32_t crash_cpu, char *err, size_t errlen);

#endif /* HW_PPC_DUMPBENCH_HOST_H */
