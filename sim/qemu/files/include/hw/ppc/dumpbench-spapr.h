/*
 * dumpbench: firmware-assisted dump (PHYP ibm,configure-kernel-dump) for
 * the QEMU 7.2 pseries machine, backed by libphyp
 * (dumpbench phyp-model, copied to hw/dumpbench/phyp-model by
 * ci/build-qemu).
 *
 * Enabled only by a user-creatable object:
 *   -object dumpbench-spapr,id=db1[,profile=NAME][,truth=PATH]
 *           [,fault-cmd=N,fault-rc=RC,fault-count=K]
 * Without it no token is registered and pseries behaves like stock 7.2.
 *
 * Hooks called from the patched machine code (sim/qemu/patches/02*-ppc-*):
 *   hw/ppc/spapr.c       spapr_dt_rtas()     -> dumpbench_spapr_dt_rtas()
 *   hw/ppc/spapr_rtas.c  rtas_ibm_os_term()  -> dumpbench_spapr_os_term()
 * The RTAS token itself is registered by the object (spapr_rtas_register),
 * so spapr_dt_rtas_tokens() emits /rtas/ibm,configure-kernel-dump.
 */
#ifndef HW_PPC_DUMPBENCH_SPAPR_H
#define HW_PPC_DUMPBENCH_SPAPR_H

#include "hw/ppc/spapr.h"

#define TYPE_DUMPBENCH_SPAPR "dumpbench-spapr"

/*
 * Add ibm,configure-kernel-dump-sizes, -version and, while a dump is
 * active, ibm,kernel-dump to the /rtas node at offset `rtas`.
 * No-op when no dumpbench-spapr object exists.
 */
void dumpbench_spapr_dt_rtas(void *fdt, int rtas);

/*
 * ibm,os-term.  With a dumpbench-spapr object: stop all vCPUs, write the
 * truth snapshot (if truth= is set), and when a dump is registered let
 * libphyp process it and request a memory-preserving guest reset.
 * Returns true when the dump was taken (the caller returns success to the
 * guest and must not report a panic); false = continue with the stock
 * panic path (vCPUs are running again).
 */
bool dumpbench_spapr_os_term(PowerPCCPU *cpu);

#endif /* HW_PPC_DUMPBENCH_SPAPR_H */
