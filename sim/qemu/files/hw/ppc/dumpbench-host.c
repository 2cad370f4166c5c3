/*
 * dumpbench: host ops for libphyp inside QEMU (ppc64 pseries) and the
 * DBPPC64T truth snapshot writer.
 *
 * Register sources (q72:target/ppc/cpu.h): gpr[], nip, msr, ctr, lr,
 * cpu_read_xer() (XER is split into so/ov/ca fields for TCG), crf[0..7]
 * (CR assembled as in q72:target/ppc/gdbstub.c), spr[SPR_DAR/DSISR/SRR0/
 * SRR1/PIR/PVR], fpscr.  Callers stop the vCPUs first (pause_all_vcpus)
 * and synchronise them (cpu_synchronize_state) so env is current.
 */
#include "qemu/osdep.h"
#include "cpu.h"
#include "exec/address-spaces.h"
#include "exec/memory.h"
#include "hw/boards.h"
#include "hw/core/cpu.h"
#include "qemu/bswap.h"
#include "qemu/timer.h"

#include "hw/ppc/dumpbench-host.h"

static uint64_t host_mem_size(void *opaque)
{
    return MACHINE(qdev_get_machine())->ram_size;
}

static bool host_range_ok(uint64_t addr, uint64_t len)
{
    uint64_t ram = host_mem_size(NULL);
    return addr <= ram && len <= ram - addr;
}

static int host_mem_read(void *opaque, uint64_t addr, void *buf, uint64_t len)
{
    if (!host_range_ok(addr, len)) {
        return -1;
    }
    if (len == 0) {
        return 0;
    }
    return address_space_read(&address_space_memory, addr, MEMTXATTRS_UNSPECIFIED,
                              buf, len) == MEMTX_OK ? 0 : -1;
}

static int host_mem_write(void *opaque, uint64_t addr, const void *buf, uint64_t len)
{
    if (!host_range_ok(addr, len)) {
        return -1;
    }
    if (len == 0) {
        return 0;
    }
    return address_space_write(&address_space_memory, addr, MEMTXATTRS_UNSPECIFIED,
                               buf, len) == MEMTX_OK ? 0 : -1;
}

static unsigned host_cpu_count(void *opaque)
{
    return MACHINE(qdev_get_machine())->smp.max_cpus;
}

static int host_cpu_get(void *opaque, unsigned idx, void *regs, size_t size)
{
    struct db_ppc64_cpu *out = regs;
    CPUState *cs;

    if (size != sizeof(*out) || idx >= host_cpu_count(opaque)) {
        return -1;
    }
    memset(out, 0, sizeof(*out));
    out->cpu_id = idx;
    cs = qemu_get_cpu(idx);
    if (!cs) {
        return 0;   /* possible but not present: online = false */
    }
    CPUPPCState *env = &POWERPC_CPU(cs)->env;
    for (int i = 0; i < 32; i++) {
        out->gpr[i] = env->gpr[i];
    }
    out->nia = env->nip;
    out->msr = env->msr;
    out->ctr = env->ctr;
    out->lr = env->lr;
    out->xer = cpu_read_xer(env);
    for (int i = 0; i < 8; i++) {
        out->cr |= (uint64_t)(env->crf[i] & 0xf) << (32 - ((i + 1) * 4));
    }
    out->dar = env->spr[SPR_DAR];
    out->dsisr = env->spr[SPR_DSISR];
    out->srr0 = env->spr[SPR_SRR0];
    out->srr1 = env->spr[SPR_SRR1];
    out->pir = env->spr[SPR_PIR];
    out->pvr = env->spr[SPR_PVR];
    out->fpscr = env->fpscr;
    out->online = true;
    out->stopped = cs->stopped;
    out->cpu_id = cs->cpu_index;
    return 0;
}

static uint64_t host_clock_ns(void *opaque)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

const struct db_host_ops dumpbench_ppc_host_ops = {
    .mem_read = host_mem_read,
    .mem_write = host_mem_write,
    .mem_size = host_mem_size,
    .cpu_count = host_cpu_count,
    .cpu_get = host_cpu_get,
    .cpu_set = NULL,
    .clock_ns = host_clock_ns,
};

/* ---- truth snapshot ---------------------------------------------------------
 * Same scheme as the s390x "DBS390T1" file (hw/s390x/dumpbench-s390.c),
 * all integers big-endian; documented in sim/qemu/README-ppc64.md:
 *   0x00  8  magic "DBPPC64T"
 *   0x08  4  version 1
 *   0x0C  4  header size (64)
 *   0x10  4  number of CPU records (online CPUs)
 *   0x14  4  CPU record size (47 * 8 = 376)
 *   0x18  4  cpu_index of the CPU that made the call (0xFFFFFFFF unknown)
 *   0x1C  4  flags, 0
 *   0x20  8  file offset of the RAM image (4096-aligned)
 *   0x28  8  RAM size
 *   0x30  8  QEMU_CLOCK_VIRTUAL ns at the snapshot
 *   0x38  8  reserved, 0
 *   0x40  CPU records, zero padding, RAM [0, RAM size) at the RAM offset
 * CPU record, 47 big-endian u64 words:
 *   [0] cpu_index  [1] flags (bit0 online, bit1 stopped)  [2..33] GPR0..31
 *   [34] nia [35] msr [36] ctr [37] lr [38] xer [39] cr [40] dar [41] dsisr
 *   [42] srr0 [43] srr1 [44] pir [45] pvr [46] fpscr
 */
#define TRUTH_MAGIC         "DBPPC64T"
#define TRUTH_VERSION       1u
#define TRUTH_HDR_SIZE      64u
#define TRUTH_CPU_WORDS     47u
#define TRUTH_REC_SIZE      (TRUTH_CPU_WORDS * 8u)
#define TRUTH_RAM_ALIGN     4096u
#define TRUTH_CHUNK         (1u << 20)

static void truth_rec(uint8_t *r, const struct db_ppc64_cpu *c)
{
    const uint64_t tail[] = {
        c->nia, c->msr, c->ctr, c->lr, c->xer, c->cr, c->dar, c->dsisr,
        c->srr0, c->srr1, c->pir, c->pvr, c->fpscr,
    };
    unsigned w = 0;

    stq_be_p(r + 8 * w++, c->cpu_id);
    stq_be_p(r + 8 * w++, (c->online ? 1u : 0u) | (c->stopped ? 2u : 0u));
    for (int i = 0; i < 32; i++) {
        stq_be_p(r + 8 * w++, c->gpr[i]);
    }
    for (size_t i = 0; i < ARRAY_SIZE(tail); i++) {
        stq_be_p(r + 8 * w++, tail[i]);
    }
    assert(w == TRUTH_CPU_WORDS);
}

int dumpbench_truth_write_ppc64(const char *path, const struct db_host *host,
                                uint32_t crash_cpu, char *err, size_t errlen)
{
    unsigned n = db_host_cpu_count(host), online = 0;
    uint64_t ram = db_host_mem_size(host);
    g_autofree struct db_ppc64_cpu *cpus = g_new0(struct db_ppc64_cpu, n ? n : 1);
    g_autofree uint8_t *head = NULL;
    g_autofree uint8_t *chunk = NULL;
    uint64_t ram_off;
    FILE *f;
    bool ok;

    for (unsigned i = 0; i < n; i++) {
        if (db_host_cpu_get(host, i, &cpus[i], sizeof(cpus[i])) != 0) {
            snprintf(err, errlen, "CPU %u state unreadable", i);
            return -1;
        }
        online += cpus[i].online;
    }
    ram_off = ROUND_UP(TRUTH_HDR_SIZE + (uint64_t)online * TRUTH_REC_SIZE,
                       TRUTH_RAM_ALIGN);
    head = g_malloc0(ram_off);
    memcpy(head, TRUTH_MAGIC, 8);
    stl_be_p(head + 0x08, TRUTH_VERSION);
    stl_be_p(head + 0x0C, TRUTH_HDR_SIZE);
    stl_be_p(head + 0x10, online);
    stl_be_p(head + 0x14, TRUTH_REC_SIZE);
    stl_be_p(head + 0x18, crash_cpu);
    stl_be_p(head + 0x1C, 0);
    stq_be_p(head + 0x20, ram_off);
    stq_be_p(head + 0x28, ram);
    stq_be_p(head + 0x30, db_host_clock_ns(host));
    for (unsigned i = 0, k = 0; i < n; i++) {
        if (cpus[i].online) {
            truth_rec(head + TRUTH_HDR_SIZE + (size_t)k++ * TRUTH_REC_SIZE, &cpus[i]);
        }
    }

    f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    chunk = g_malloc(TRUTH_CHUNK);
    ok = fwrite(head, ram_off, 1, f) == 1;
    for (uint64_t off = 0; ok && off < ram; off += TRUTH_CHUNK) {
        uint64_t len = MIN(ram - off, (uint64_t)TRUTH_CHUNK);
        if (db_host_read(host, off, chunk, len) != 0) {
            snprintf(err, errlen, "guest RAM at 0x%" PRIx64 " unreadable", off);
            fclose(f);
            return -1;
        }
        ok = fwrite(chunk, len, 1, f) == 1;
    }
    if (fclose(f) != 0) {
        ok = false;
    }
    if (!ok) {
        snprintf(err, errlen, "%s: write failed: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}
