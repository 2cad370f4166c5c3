/*
 * dumpbench host-ops interface.
 *
 * The firmware models (libsclp, libfcp, libphyp) never touch a machine
 * directly: every access to guest memory, CPU state or time goes through
 * this table.  The same model source therefore runs in the CUnit tests
 * (a tiny array-backed host), in the deterministic sim machine (sparse
 * memory) and inside the patched QEMU (cpu_physical_memory_* and CPUState).
 *
 * Conventions
 *  - Addresses are *absolute* guest addresses (s390: prefixing undone;
 *    POWER: real addresses).
 *  - mem_read/mem_write return 0 on success and -1 when any byte of
 *    [addr, addr + len) is not backed by guest memory; nothing is
 *    transferred in that case (the model never sees a partial access).
 *  - cpu_get/cpu_set transfer the architecture's neutral register set
 *    (struct db_s390_cpu or struct db_ppc64_cpu from <dumpbench/cpu.h>),
 *    host byte order; `size` must equal sizeof that struct.  Return 0, or
 *    -1 for a CPU index that does not exist.
 *  - clock_ns is a monotonic clock; the sim makes it deterministic.
 *  - Any op may be NULL when a model does not need it; models check.
 */
#ifndef DUMPBENCH_HOST_H
#define DUMPBENCH_HOST_H

#include <stddef.h>
#include <stdint.h>

struct db_host_ops {
    int (*mem_read)(void *opaque, uint64_t addr, void *buf, uint64_t len);
    int (*mem_write)(void *opaque, uint64_t addr, const void *buf, uint64_t len);
    /* Size of guest memory in bytes (highest absolute address + 1). */
    uint64_t (*mem_size)(void *opaque);
    /* Number of CPU slots (possible CPUs); indices are 0..n-1. */
    unsigned (*cpu_count)(void *opaque);
    int (*cpu_get)(void *opaque, unsigned cpu, void *regs, size_t size);
    int (*cpu_set)(void *opaque, unsigned cpu, const void *regs, size_t size);
    uint64_t (*clock_ns)(void *opaque);
};

struct db_host {
    const struct db_host_ops *ops;
    void *opaque;
};

static inline int db_host_read(const struct db_host *h, uint64_t addr,
                               void *buf, uint64_t len)
{
    if (!h || !h->ops || !h->ops->mem_read) {
        return -1;
    }
    if (addr + len < addr) {
        return -1;
    }
    return h->ops->mem_read(h->opaque, addr, buf, len);
}

static inline int db_host_write(const struct db_host *h, uint64_t addr,
                                const void *buf, uint64_t len)
{
    if (!h || !h->ops || !h->ops->mem_write) {
        return -1;
    }
    if (addr + len < addr) {
        return -1;
    }
    return h->ops->mem_write(h->opaque, addr, buf, len);
}

static inline uint64_t db_host_mem_size(const struct db_host *h)
{
    return (h && h->ops && h->ops->mem_size) ? h->ops->mem_size(h->opaque) : 0;
}

static inline unsigned db_host_cpu_count(const struct db_host *h)
{
    return (h && h->ops && h->ops->cpu_count) ? h->ops->cpu_count(h->opaque) : 0;
}

static inline int db_host_cpu_get(const struct db_host *h, unsigned cpu,
                                  void *regs, size_t size)
{
    if (!h || !h->ops || !h->ops->cpu_get) {
        return -1;
    }
    return h->ops->cpu_get(h->opaque, cpu, regs, size);
}

static inline int db_host_cpu_set(const struct db_host *h, unsigned cpu,
                                  const void *regs, size_t size)
{
    if (!h || !h->ops || !h->ops->cpu_set) {
        return -1;
    }
    return h->ops->cpu_set(h->opaque, cpu, regs, size);
}

static inline uint64_t db_host_clock_ns(const struct db_host *h)
{
    return (h && h->ops && h->ops->clock_ns) ? h->ops->clock_ns(h->opaque) : 0;
}

#endif /* DUMPBENCH_HOST_H */
