/*
 * dumpbench: hooks that let the libsclp firmware model (dump IPL, HSA,
 * SDIAS, DIAG 308 subcodes 2/4, store status for SIGP) run inside the
 * s390-ccw-virtio machine.  Everything is inert unless the user created
 * the object:  -object dumpbench-s390,id=db0[,profile=...][,...]
 * Without it every hook returns "not handled" and QEMU behaves like
 * stock 7.2.  Implementation: hw/s390x/dumpbench-s390.c.
 *
 * This work is licensed under the terms of the GNU GPL, version 2 or (at
 * your option) any later version.
 */
#ifndef HW_S390X_DUMPBENCH_H
#define HW_S390X_DUMPBENCH_H

#define TYPE_DUMPBENCH_S390 "dumpbench-s390"

/*
 * hw/s390x/sclp.c sclp_service_call: a Write Event Data whose first
 * event buffer is SDIAS (0x1C) goes to libsclp.  Returns true when
 * handled; *r is 0 (raise the service-signal interrupt for the SCCB) or
 * a negated program-interruption code.
 */
bool dumpbench_s390_service_call(uint64_t sccb, uint32_t code, int *r);

/* hw/s390x/sclp.c read_SCP_info: hsa_size (bytes 112-115), byte 91 0x02. */
void dumpbench_s390_read_info(void *sccb, uint16_t len);

/* hw/s390x/event-facility.c write_event_mask: extra SCLP receive bits. */
uint64_t dumpbench_s390_sclp_receive_mask(void);

/*
 * target/s390x/diag.c handle_diag_308, after the problem-state check:
 * true when the subcode was handled (subcodes 0-7 with the object).
 * May not return (reset request + cpu_loop_exit), like QEMU's own resets.
 */
bool dumpbench_s390_diag308(struct CPUArchState *env, uint64_t r1,
                            uint64_t r3, uintptr_t ra);

/*
 * target/s390x/sigp.c handle_sigp_single_dst: while a dump is in
 * progress SENSE / STORE STATUS AT ADDRESS / STORE ADDITIONAL STATUS
 * are answered from the register state kept at the dump IPL.
 */
bool dumpbench_s390_sigp(struct ArchCPU *dst_cpu, uint8_t order,
                         uint64_t param, uint64_t *status_reg, int *cc);

/*
 * hw/s390x/s390-virtio-ccw.c s390_machine_reset (all vCPUs paused):
 * called before qemu_devices_reset() with the reset type.  Returns 1 when
 * this reset is a dump IPL (the caller then calls
 * dumpbench_s390_dump_reset_done() instead of starting the BIOS),
 * -1 when a pending dump was refused and the machine must resume without
 * any reset, 0 otherwise.
 */
int dumpbench_s390_reset_begin(int reset_type);
/* After qemu_devices_reset(): load the dump kernel and start the IPL CPU. */
void dumpbench_s390_dump_reset_done(void);

/*
 * HMP "dumpbench-s390 dump|info": operator-initiated dump IPL (same flow
 * as DIAG 308/4, no guest cooperation) / firmware state.
 */
void hmp_dumpbench_s390(Monitor *mon, const QDict *qdict);

#endif /* HW_S390X_DUMPBENCH_H */
