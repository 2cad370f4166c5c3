/*
 * The deterministic sim machine: sparse guest memory, N CPUs of one
 * architecture with full register sets, a seeded clock and random source,
 * CPU and memory hotplug.  It implements the host-ops interface
 * (<dumpbench/host.h>) so the firmware models run on it unchanged.
 *
 * Determinism: every value that is not set by the scenario comes from the
 * machine's PRNG (seeded by `machine seed=`) or its virtual clock, never from
 * the host.  Two runs with the same seed produce identical bytes.
 */
#ifndef SIM_MACHINE_H
#define SIM_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dumpbench/cpu.h>
#include <dumpbench/host.h>

#define SIM_PAGE_SIZE 4096u

enum sim_arch { SIM_S390X = 1, SIM_PPC64 };

struct sim_machine;

struct sim_config {
    enum sim_arch arch;
    uint64_t memory;      /* bytes, multiple of SIM_PAGE_SIZE */
    unsigned cpus;        /* online at boot */
    unsigned max_cpus;    /* slots (>= cpus) */
    uint64_t seed;
};

/* Returns NULL and fills errbuf on bad config / allocation failure. */
struct sim_machine *sim_new(const struct sim_config *cfg, char *errbuf, size_t errlen);
void sim_free(struct sim_machine *m);

/* The host-ops view of this machine (valid for the machine's lifetime). */
const struct db_host *sim_host(struct sim_machine *m);

enum sim_arch sim_arch(const struct sim_machine *m);
uint64_t sim_mem_size(const struct sim_machine *m);
/* Pages actually allocated (sparse memory: zero pages are not stored). */
uint64_t sim_mem_pages_allocated(const struct sim_machine *m);

int sim_mem_read(struct sim_machine *m, uint64_t addr, void *buf, uint64_t len);
int sim_mem_write(struct sim_machine *m, uint64_t addr, const void *buf, uint64_t len);
/* Direct read-only view of one page, or NULL for a never-written (zero) page. */
const uint8_t *sim_mem_page(const struct sim_machine *m, uint64_t paddr);

/* Deterministic pattern (same function everywhere: sim, agents, oracles). */
uint8_t sim_pattern_byte(uint64_t addr, uint64_t seed);
int sim_plant(struct sim_machine *m, uint64_t addr, uint64_t len, uint64_t seed);

unsigned sim_cpu_slots(const struct sim_machine *m);
unsigned sim_cpus_online(const struct sim_machine *m);
/* Register access, neutral structs from <dumpbench/cpu.h>. */
struct db_s390_cpu *sim_s390_cpu(struct sim_machine *m, unsigned cpu);
struct db_ppc64_cpu *sim_ppc64_cpu(struct sim_machine *m, unsigned cpu);
/* Fill a CPU's registers from the machine PRNG (seeded, plausible values). */
void sim_cpu_randomize(struct sim_machine *m, unsigned cpu, uint64_t seed);

/* Hotplug: add `count` CPUs (fails beyond max_cpus) / `size` bytes of memory at the top. */
int sim_hotplug_cpu(struct sim_machine *m, unsigned count);
int sim_hotplug_mem(struct sim_machine *m, uint64_t size);

/* Virtual clock (ns) and PRNG (xoshiro256** seeded via splitmix64). */
uint64_t sim_clock_ns(const struct sim_machine *m);
void sim_advance(struct sim_machine *m, uint64_t ns);
uint64_t sim_random(struct sim_machine *m);

/* ---- additions beyond the original contract ---------------------------- */

/* The seed the machine was created with. */
uint64_t sim_seed(const struct sim_machine *m);
/*
 * Deep copy (memory pages, CPUs, clock, PRNG state): the "truth snapshot"
 * the reference agents read instead of a live machine.  NULL + errbuf on
 * allocation failure.
 */
struct sim_machine *sim_clone(const struct sim_machine *m, char *errbuf, size_t errlen);
/*
 * Sparse iteration: the lowest allocated page address >= from, or
 * UINT64_MAX when there is none.  Pages not returned read as zeros.
 */
uint64_t sim_mem_next_page(const struct sim_machine *m, uint64_t from);

#endif /* SIM_MACHINE_H */
