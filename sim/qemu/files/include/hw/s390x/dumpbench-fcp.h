/*
 * dumpbench: hooks of the dumpbench-fcp device (an emulated FCP channel,
 * QDIO + FSF answered by libfcp) used by the patched QEMU files.  Every
 * hook is inert unless a dumpbench-fcp device was created:
 *   -device dumpbench-fcp,devno=fe.0.0002,file0=LUN.img[,...]
 * Implementation: hw/s390x/dumpbench-fcp.c.
 *
 * This work is licensed under the terms of the GNU GPL, version 2 or (at
 * your option) any later version.
 */
#ifndef HW_S390X_DUMPBENCH_FCP_H
#define HW_S390X_DUMPBENCH_FCP_H

#define TYPE_DUMPBENCH_FCP "dumpbench-fcp"

/*
 * target/s390x/tcg/misc_helper.c HELPER(siga): SIGA with GR0 (function
 * code), GR1 (subchannel id), GR2/GR3 (queue masks).  Returns the
 * condition code, or a negated program-interruption code.
 */
int dumpbench_fcp_siga(uint64_t r0, uint64_t r1, uint64_t r2, uint64_t r3);

/*
 * target/s390x/ioinst.c ioinst_handle_chsc, command 0x0024 (SSQD): fills
 * the response block res (cap bytes, its length in the header).  False
 * when no dumpbench-fcp device exists (the caller answers "command not
 * installed" as stock QEMU does).  Only the first 16 bytes of req are
 * read (len is the request header's length).
 */
bool dumpbench_fcp_chsc_ssqd(const void *req, uint16_t len, void *res, size_t cap);

/* HMP "dumpbench-fcp ID fault ...|link-up|info". */
void hmp_dumpbench_fcp(Monitor *mon, const QDict *qdict);

#endif /* HW_S390X_DUMPBENCH_FCP_H */
