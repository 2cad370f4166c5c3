/*
 * Reference fadump agent: what Linux 6.1 does on pseries around
 * ibm,configure-kernel-dump (see <sim/fadump.h>).
 *
 * Sources (spec /work/shared/specs/phyp.md):
 *  lx61:arch/powerpc/kernel/fadump.c  fadump_calculate_reserve_size,
 *      get_fadump_area_size, fadump_reserve_mem, register_fadump,
 *      init_fadump_header, fadump_create_elfcore_headers, crash_fadump
 *  lx61:arch/powerpc/platforms/pseries/rtas-fadump.c
 *      rtas_fadump_init_mem_struct, rtas_fadump_register/unregister/
 *      invalidate (busy loop and messages), rtas_fadump_get_config,
 *      rtas_fadump_process, rtas_fadump_build_cpu_notes
 *
 * Guest-provided bytes (the ibm,kernel-dump property, the crash info header,
 * the ELF core header, the register save area) are read into private
 * buffers and every offset/length is checked before use.
 */
#include <sim/fadump.h>
#include <sim/backend.h>

#include <stdlib.h>
#include <string.h>

#include <dumpbench/be.h>

#define PAGE_ALIGN64(x) (((x) + SIM_FADUMP_PAGE_SIZE - 1) & ~(SIM_FADUMP_PAGE_SIZE - 1))
#define KERNEL_VA_BASE  0xc000000000000000ull   /* __va() on ppc64 */

/* ELF64 little-endian layout offsets (lx61:include/uapi/linux/elf.h). */
#define EHDR_SIZE     64u
#define PHDR_SIZE     56u
#define EH_TYPE       0x10
#define EH_MACHINE    0x12
#define EH_VERSION    0x14
#define EH_PHOFF      0x20
#define EH_FLAGS      0x30
#define EH_EHSIZE     0x34
#define EH_PHENTSIZE  0x36
#define EH_PHNUM      0x38
#define PH_TYPE       0x00
#define PH_FLAGS      0x04
#define PH_OFFSET     0x08
#define PH_VADDR      0x10
#define PH_PADDR      0x18
#define PH_FILESZ     0x20
#define PH_MEMSZ      0x28
#define PT_LOAD_      1u
#define PT_NOTE_      4u
#define ET_CORE_      4u
#define EM_PPC64_     21u
#define ELF_MAX_PHDRS 64u

static void set_msg(char *msg, size_t len, const char *text)
{
    if (msg && len) {
        snprintf(msg, len, "%s", text);
    }
}

void sim_fadump_params_default(struct sim_fadump_params *prm)
{
    memset(prm, 0, sizeof(*prm));
    prm->version = PHYP_FDM_VERSION_1;
    prm->num_sections = 3;
    prm->fdm_size = SIM_FADUMP_FDM_BYTES;
    prm->fdm_addr = SIM_FADUMP_FDM_ADDR;
    prm->max_busy = 64;
    prm->request_flag = PHYP_FDM_REQUEST_FLAG;
}

uint64_t sim_fadump_area_size(uint64_t cpu_state_size, uint64_t hpte_size,
                              uint64_t boot_mem_size, unsigned nregions)
{
    /* get_fadump_area_size(): destination of CPU + HPTE, page aligned, then
     * the boot memory copy, the crash info header, the ELF header, one
     * PT_NOTE placeholder and (regions + 2) program headers. */
    uint64_t size = PAGE_ALIGN64(cpu_state_size + hpte_size);
    size += boot_mem_size;
    size += SIM_FADUMP_FDH_SIZE;
    size += EHDR_SIZE;
    size += PHDR_SIZE;
    size += PHDR_SIZE * ((uint64_t)nregions + 2);
    return PAGE_ALIGN64(size);
}

int sim_fadump_compute_layout(uint64_t mem_size, uint64_t cpu_state_size,
                              uint64_t hpte_size, const struct sim_fadump_params *prm,
                              struct sim_fadump_layout *lay, char *msg, size_t msglen)
{
    if (!prm || !lay || mem_size == 0 || cpu_state_size > mem_size ||
        hpte_size > mem_size) {
        set_msg(msg, msglen, "invalid fadump layout request");
        return SIM_FADUMP_ERR_INVALID;
    }
    memset(lay, 0, sizeof(*lay));
    lay->mem_size = mem_size;
    lay->cpu_state_size = cpu_state_size;
    lay->hpte_size = hpte_size;

    /* fadump_calculate_reserve_size() */
    uint64_t size;
    if (prm->crashkernel) {
        size = prm->crashkernel;
        uint64_t max_size = mem_size / SIM_FADUMP_MAX_BOOT_MEM_RATIO;
        if (size > max_size) {
            size = max_size;      /* "Adjusted boot memory size to %luMB" */
        }
    } else {
        size = (mem_size / 20) & ~0x0FFFFFFFull;
        if (size < SIM_FADUMP_MIN_BOOT_MEM) {
            size = SIM_FADUMP_MIN_BOOT_MEM;
        }
    }
    /* fadump_reserve_mem(): page align, CMA align unless nocma, minimum. */
    size = PAGE_ALIGN64(size);
    if (!prm->nocma) {
        size = (size + SIM_FADUMP_CMA_ALIGN - 1) & ~(SIM_FADUMP_CMA_ALIGN - 1);
    }
    if (size < SIM_FADUMP_MIN_BOOT_MEM) {
        if (msg && msglen) {
            snprintf(msg, msglen,
                     "fadump: Can't enable fadump with boot memory size (0x%llx) "
                     "less than 0x%llx",
                     (unsigned long long)size,
                     (unsigned long long)SIM_FADUMP_MIN_BOOT_MEM);
        }
        return SIM_FADUMP_ERR_NOMEM_LAYOUT;
    }
    lay->boot_mem_size = size;
    /* One contiguous memblock region from 0: no holes. */
    lay->boot_mem_top = PAGE_ALIGN64(size);
    lay->reserve_size = sim_fadump_area_size(cpu_state_size, hpte_size, size, 1);
    /* fadump_locate_reserve_mem(): the first free chunk at boot_mem_top. */
    uint64_t base = lay->boot_mem_top;
    if (base > mem_size || lay->reserve_size > mem_size - base) {
        set_msg(msg, msglen, "fadump: Failed to find memory chunk for reservation!");
        return SIM_FADUMP_ERR_NOMEM_LAYOUT;
    }
    lay->reserve_start = base;
    /* rtas_fadump_init_mem_struct(): CPU at A, HPTE at A + cpu_size, boot
     * memory at PAGE_ALIGN(A + cpu_size + hpte_size). */
    lay->hpte_dest = base + cpu_state_size;
    lay->boot_mem_dest = PAGE_ALIGN64(base + cpu_state_size + hpte_size);
    lay->fadumphdr_addr = lay->boot_mem_dest + size;
    lay->elfcorehdr_addr = lay->fadumphdr_addr + SIM_FADUMP_FDH_SIZE;
    if (msg && msglen) {
        snprintf(msg, msglen,
                 "fadump: Reserved %lluMB of memory at %#016llx (System RAM: %lluMB)",
                 (unsigned long long)(lay->reserve_size >> 20),
                 (unsigned long long)base, (unsigned long long)(mem_size >> 20));
    }
    return SIM_FADUMP_OK;
}

static void put_section(uint8_t *s, uint32_t flag, uint16_t type, uint64_t src,
                        uint64_t len, uint64_t dst)
{
    db_st_be32(s + PHYP_SEC_REQUEST_FLAG, flag);
    db_st_be16(s + PHYP_SEC_TYPE, type);
    db_st_be16(s + PHYP_SEC_ERROR_FLAGS, 0);
    db_st_be64(s + PHYP_SEC_SOURCE_ADDR, src);
    db_st_be64(s + PHYP_SEC_SOURCE_LEN, len);
    db_st_be64(s + PHYP_SEC_BYTES_DUMPED, 0);
    db_st_be64(s + PHYP_SEC_DEST_ADDR, dst);
}

void sim_fadump_build_fdm(const struct sim_fadump_layout *lay,
                          const struct sim_fadump_params *prm,
                          uint8_t out[SIM_FADUMP_FDM_BYTES])
{
    memset(out, 0, SIM_FADUMP_FDM_BYTES);
    db_st_be32(out + PHYP_FDM_VERSION, prm->version);
    db_st_be16(out + PHYP_FDM_NUM_SECTIONS, prm->num_sections);
    db_st_be16(out + PHYP_FDM_STATUS, 0);
    db_st_be32(out + PHYP_FDM_FIRST_SEC, PHYP_FDM_FIRST_SEC_OFF);
    /* dd_* (disk dump) and max_time_auto stay 0. */
    uint8_t *s = out + PHYP_FDM_FIRST_SEC_OFF;
    uint64_t cpu_len = prm->cpu_state_len_set ? prm->cpu_state_len : lay->cpu_state_size;
    uint64_t hpte_len = prm->hpte_len_set ? prm->hpte_len : lay->hpte_size;
    put_section(s, prm->request_flag, PHYP_SRC_CPU_STATE, 0, cpu_len, lay->reserve_start);
    put_section(s + PHYP_FDM_SEC_SIZE, prm->request_flag, PHYP_SRC_HPTE, 0, hpte_len,
                lay->hpte_dest);
    put_section(s + 2 * PHYP_FDM_SEC_SIZE, prm->request_flag, PHYP_SRC_REAL_MODE, 0,
                lay->boot_mem_size, lay->boot_mem_dest);
}

/* ---- early boot ------------------------------------------------------- */

static int read_sizes(struct phyp *p, uint64_t *cpu, uint64_t *hpte)
{
    uint8_t buf[PHYP_DT_SIZES_LEN * 4];
    size_t len = 0;
    *cpu = 0;
    *hpte = 0;
    if (phyp_sizes_property(p, buf, sizeof(buf), &len) != PHYP_OK) {
        return -1;
    }
    /* N triplets {type, size_hi, size_lo} (rtas_fadump_dt_scan). */
    for (size_t off = 0; off + 12 <= len; off += 12) {
        uint32_t type = db_ld_be32(buf + off);
        uint64_t v = ((uint64_t)db_ld_be32(buf + off + 4) << 32) | db_ld_be32(buf + off + 8);
        if (type == PHYP_DT_SIZE_TYPE_CPU) {
            *cpu = v;
        } else if (type == PHYP_DT_SIZE_TYPE_HPTE) {
            *hpte = v;
        }
    }
    return 0;
}

/* Section i of a structure copy, or NULL past the end. */
static const uint8_t *fdm_section(const uint8_t *fdm, size_t len, unsigned i)
{
    uint64_t off = PHYP_FDM_FIRST_SEC_OFF + (uint64_t)i * PHYP_FDM_SEC_SIZE;
    if (off + PHYP_FDM_SEC_SIZE > len) {
        return NULL;
    }
    return fdm + off;
}

struct fdm_view {
    const uint8_t *cpu, *hpte, *rmr;
    unsigned nsec;
};

/* Locate the 6.1 sections by type (rtas_fadump_get_config reads named members;
 * we search so that a reordered structure is still understood). */
static int fdm_parse(const uint8_t *fdm, size_t len, struct fdm_view *v)
{
    memset(v, 0, sizeof(*v));
    if (!fdm || len < PHYP_FDM_HDR_SIZE ||
        db_ld_be32(fdm + PHYP_FDM_FIRST_SEC) != PHYP_FDM_FIRST_SEC_OFF) {
        return -1;
    }
    v->nsec = db_ld_be16(fdm + PHYP_FDM_NUM_SECTIONS);
    for (unsigned i = 0; i < v->nsec; i++) {
        const uint8_t *s = fdm_section(fdm, len, i);
        if (!s) {
            return -1;
        }
        uint16_t t = db_ld_be16(s + PHYP_SEC_TYPE);
        if (t == PHYP_SRC_CPU_STATE && !v->cpu) {
            v->cpu = s;
        } else if (t == PHYP_SRC_HPTE && !v->hpte) {
            v->hpte = s;
        } else if (t == PHYP_SRC_REAL_MODE && !v->rmr &&
                   db_ld_be64(s + PHYP_SEC_SOURCE_ADDR) == 0) {
            v->rmr = s;
        }
    }
    return (v->cpu && v->rmr) ? 0 : -1;
}

int sim_fadump_boot(struct sim_fadump_kernel *k, struct sim_machine *m,
                    struct phyp *p, const struct sim_fadump_params *prm)
{
    if (!k || !m || !p || !prm) {
        return SIM_FADUMP_ERR_INVALID;
    }
    memset(k, 0, sizeof(*k));
    k->prm = *prm;
    uint8_t tok[PHYP_DT_TOKEN_LEN];
    size_t len = 0;
    if (phyp_token_property(p, tok, sizeof(tok), &len) != PHYP_OK) {
        set_msg(k->msg, sizeof(k->msg),
                "fadump: Firmware-Assisted Dump is not supported on this hardware");
        return SIM_FADUMP_ERR_UNSUPPORTED;
    }
    k->supported = true;
    uint64_t cpu_size, hpte_size;
    if (read_sizes(p, &cpu_size, &hpte_size) != 0) {
        set_msg(k->msg, sizeof(k->msg), "fadump: no ibm,configure-kernel-dump-sizes");
        return SIM_FADUMP_ERR_UNSUPPORTED;
    }
    int rc = phyp_kernel_dump_property(p, k->fdm_active, sizeof(k->fdm_active), &len);
    if (rc == PHYP_OK) {
        /* rtas_fadump_get_config(): layout from the active structure. */
        struct fdm_view v;
        k->dump_active = true;
        k->fdm_active_len = len;
        set_msg(k->msg, sizeof(k->msg), "rtas fadump: Firmware-assisted dump is active.");
        if (fdm_parse(k->fdm_active, len, &v) != 0) {
            return SIM_FADUMP_OK;    /* rtas_fadump_process will reject it */
        }
        struct sim_fadump_layout *l = &k->lay;
        l->mem_size = sim_mem_size(m);
        l->cpu_state_size = cpu_size;
        l->hpte_size = hpte_size;
        l->boot_mem_size = db_ld_be64(v.rmr + PHYP_SEC_SOURCE_LEN);
        l->boot_mem_top = l->boot_mem_size;
        l->reserve_start = db_ld_be64(v.cpu + PHYP_SEC_DEST_ADDR);
        l->hpte_dest = v.hpte ? db_ld_be64(v.hpte + PHYP_SEC_DEST_ADDR) : 0;
        l->boot_mem_dest = db_ld_be64(v.rmr + PHYP_SEC_DEST_ADDR);
        l->fadumphdr_addr = l->boot_mem_dest + l->boot_mem_size;
        l->elfcorehdr_addr = l->fadumphdr_addr + SIM_FADUMP_FDH_SIZE;
        l->reserve_size = sim_fadump_area_size(cpu_size, hpte_size, l->boot_mem_size, 1);
        k->reserved = true;
        return SIM_FADUMP_OK;
    }
    if (sim_fadump_compute_layout(sim_mem_size(m), cpu_size, hpte_size, prm, &k->lay,
                                  k->msg, sizeof(k->msg)) == SIM_FADUMP_OK) {
        k->reserved = true;
    }
    return SIM_FADUMP_OK;
}

/* ---- RTAS calls with the kernel's busy loop ---------------------------- */

static void log_call(struct sim_fadump_calls *calls, uint32_t cmd, int32_t rc)
{
    if (calls && calls->n < SIM_FADUMP_MAX_CALLS) {
        calls->c[calls->n].cmd = cmd;
        calls->c[calls->n].rc = rc;
        calls->n++;
    }
}

/* rtas_busy_delay_time(): -2 -> 1 ms, 990x -> 10^x ms, else 0. */
static uint64_t busy_delay_ms(int32_t rc)
{
    if (rc == PHYP_RTAS_BUSY) {
        return 1;
    }
    if (rc >= PHYP_RTAS_EXT_BUSY_MIN && rc <= PHYP_RTAS_EXT_BUSY_MAX) {
        uint64_t ms = 1;
        for (int32_t i = PHYP_RTAS_EXT_BUSY_MIN; i < rc; i++) {
            ms *= 10;
        }
        return ms;
    }
    return 0;
}

static int32_t rtas_loop(struct sim_fadump_kernel *k, struct phyp *p, uint32_t cmd,
                         uint64_t addr, uint64_t size, struct sim_fadump_calls *calls)
{
    int32_t rc;
    unsigned busy = 0;
    for (;;) {
        rc = phyp_configure_kernel_dump(p, PHYP_RTAS_NARGS, PHYP_RTAS_NRET, cmd, addr, size);
        log_call(calls, cmd, rc);
        uint64_t wait = busy_delay_ms(rc);
        if (!wait) {
            break;
        }
        if (calls) {
            calls->delay_ms += wait;
        }
        /* The kernel loops forever ("TODO: Add upper time limit"); the
         * model gives up so a stuck firmware cannot hang the bench. */
        if (++busy >= k->prm.max_busy) {
            break;
        }
    }
    return rc;
}

/* ---- registration ------------------------------------------------------ */

/* fadump_create_elfcore_headers(): ELF64 LE header with PT_NOTE
 * placeholders and the crash memory ranges of a contiguous RAM. */
static size_t build_elfcorehdr(const struct sim_fadump_layout *l, uint64_t mem_end,
                               uint8_t *buf, size_t cap)
{
    uint64_t rng[4][2];
    unsigned nr = 0;
    /* fadump_setup_crash_memory_ranges(): boot memory first, then RAM above
     * boot_mem_top without the reserved area (fadump_exclude_reserved_area). */
    rng[nr][0] = 0;
    rng[nr][1] = l->boot_mem_size;
    nr++;
    uint64_t start = l->boot_mem_top, end = mem_end;
    uint64_t ra_s = l->reserve_start, ra_e = l->reserve_start + l->reserve_size;
    if (start < end) {
        if (ra_s < end && ra_e > start) {
            if (start < ra_s) {
                rng[nr][0] = start;
                rng[nr][1] = ra_s - start;
                nr++;
            }
            if (ra_e < end) {
                rng[nr][0] = ra_e;
                rng[nr][1] = end - ra_e;
                nr++;
            }
        } else {
            rng[nr][0] = start;
            rng[nr][1] = end - start;
            nr++;
        }
    }
    size_t need = EHDR_SIZE + PHDR_SIZE * (2u + nr);
    if (need > cap) {
        return 0;
    }
    memset(buf, 0, need);
    static const uint8_t ident[16] = { 0x7f, 'E', 'L', 'F', 2 /* 64 */, 1 /* LSB */, 1 };
    memcpy(buf, ident, sizeof(ident));
    db_st_le16(buf + EH_TYPE, ET_CORE_);
    db_st_le16(buf + EH_MACHINE, EM_PPC64_);
    db_st_le32(buf + EH_VERSION, 1);
    db_st_le64(buf + EH_PHOFF, EHDR_SIZE);
    db_st_le32(buf + EH_FLAGS, 2);          /* ELFv2 ABI */
    db_st_le16(buf + EH_EHSIZE, EHDR_SIZE);
    db_st_le16(buf + EH_PHENTSIZE, PHDR_SIZE);
    db_st_le16(buf + EH_PHNUM, (uint16_t)(2u + nr));
    uint8_t *ph = buf + EHDR_SIZE;
    /* PT_NOTE for the CPU notes (filled by the capture kernel) and for
     * vmcoreinfo (not modelled: empty). */
    db_st_le32(ph + PH_TYPE, PT_NOTE_);
    db_st_le32(ph + PHDR_SIZE + PH_TYPE, PT_NOTE_);
    ph += 2 * PHDR_SIZE;
    for (unsigned i = 0; i < nr; i++, ph += PHDR_SIZE) {
        uint64_t base = rng[i][0], size = rng[i][1];
        db_st_le32(ph + PH_TYPE, PT_LOAD_);
        db_st_le32(ph + PH_FLAGS, 7);       /* PF_R | PF_W | PF_X */
        /* The boot memory region is moved by firmware: its offset is the copy. */
        db_st_le64(ph + PH_OFFSET, base == 0 ? l->boot_mem_dest : base);
        db_st_le64(ph + PH_VADDR, base | KERNEL_VA_BASE);
        db_st_le64(ph + PH_PADDR, base);
        db_st_le64(ph + PH_FILESZ, size);
        db_st_le64(ph + PH_MEMSZ, size);
    }
    return need;
}

int sim_fadump_register(struct sim_fadump_kernel *k, struct sim_machine *m,
                        struct phyp *p, struct sim_fadump_calls *calls)
{
    if (!k || !m || !p) {
        return SIM_FADUMP_ERR_INVALID;
    }
    if (!k->supported) {
        return SIM_FADUMP_ERR_UNSUPPORTED;
    }
    if (k->dump_active) {
        /* registered_store(): -EPERM while a dump is active. */
        set_msg(k->msg, sizeof(k->msg), "fadump: registration refused while a dump is active");
        return SIM_FADUMP_ERR_STATE;
    }
    if (!k->reserved) {
        return SIM_FADUMP_ERR_NOMEM_LAYOUT;   /* reserve_dump_area_size == 0 */
    }
    const struct sim_fadump_layout *l = &k->lay;
    uint64_t ra_end = l->reserve_start + l->reserve_size;

    /* init_fadump_header(): magic, elfcorehdr address, unknown crashing
     * CPU, possible mask = all CPU slots. */
    uint8_t fdh[SIM_FADUMP_FDH_SIZE];
    memset(fdh, 0, sizeof(fdh));
    db_st_le64(fdh, SIM_FADUMP_FDH_MAGIC);
    db_st_le64(fdh + SIM_FADUMP_FDH_ELFCOREHDR, l->elfcorehdr_addr);
    db_st_le32(fdh + SIM_FADUMP_FDH_CRASHCPU, SIM_FADUMP_CPU_UNKNOWN);
    unsigned slots = sim_cpu_slots(m);
    for (unsigned i = 0; i < slots && i < SIM_FADUMP_NR_CPUS; i++) {
        fdh[SIM_FADUMP_FDH_CPUMASK + i / 8] |= (uint8_t)(1u << (i % 8));
    }
    uint8_t ehdr[EHDR_SIZE + PHDR_SIZE * 8];
    size_t elen = build_elfcorehdr(l, sim_mem_size(m), ehdr, sizeof(ehdr));
    if (elen == 0 || l->elfcorehdr_addr + elen > ra_end) {
        set_msg(k->msg, sizeof(k->msg), "fadump: ELF core header does not fit the reserved area");
        return SIM_FADUMP_ERR_NOMEM_LAYOUT;
    }
    uint8_t fdm[SIM_FADUMP_FDM_BYTES];
    sim_fadump_build_fdm(l, &k->prm, fdm);
    if (sim_mem_write(m, l->fadumphdr_addr, fdh, sizeof(fdh)) != 0 ||
        sim_mem_write(m, l->elfcorehdr_addr, ehdr, elen) != 0 ||
        sim_mem_write(m, k->prm.fdm_addr, fdm, sizeof(fdm)) != 0) {
        set_msg(k->msg, sizeof(k->msg), "fadump: cannot write the dump structures");
        return SIM_FADUMP_ERR_HOST;
    }

    int32_t rc = rtas_loop(k, p, PHYP_CMD_REGISTER, k->prm.fdm_addr, k->prm.fdm_size, calls);
    switch (rc) {
    case PHYP_RTAS_SUCCESS:
        set_msg(k->msg, sizeof(k->msg), "rtas fadump: Registration is successful!");
        k->registered = true;
        return SIM_FADUMP_OK;
    case PHYP_RTAS_HW_ERROR:
        set_msg(k->msg, sizeof(k->msg),
                "rtas fadump: Failed to register. Hardware Error(-1).");
        break;
    case PHYP_RTAS_PARAM_ERROR:
        set_msg(k->msg, sizeof(k->msg),
                "rtas fadump: Failed to register. Parameter Error(-3).");
        break;
    case PHYP_RTAS_ALREADY_REGISTERED:
        set_msg(k->msg, sizeof(k->msg), "rtas fadump: Already registered!");
        k->registered = true;
        break;
    default:
        snprintf(k->msg, sizeof(k->msg),
                 "rtas fadump: Failed to register. Unknown Error(%d).", (int)rc);
        break;
    }
    return SIM_FADUMP_ERR_RTAS;
}

int sim_fadump_unregister(struct sim_fadump_kernel *k, struct sim_machine *m,
                          struct phyp *p, struct sim_fadump_calls *calls)
{
    if (!k || !m || !p) {
        return SIM_FADUMP_ERR_INVALID;
    }
    if (!k->supported) {
        return SIM_FADUMP_ERR_UNSUPPORTED;
    }
    int32_t rc = rtas_loop(k, p, PHYP_CMD_UNREGISTER, k->prm.fdm_addr,
                           SIM_FADUMP_FDM_BYTES, calls);
    if (rc != PHYP_RTAS_SUCCESS) {
        snprintf(k->msg, sizeof(k->msg),
                 "rtas fadump: Failed to un-register - unexpected error(%d).", (int)rc);
        return SIM_FADUMP_ERR_RTAS;
    }
    k->registered = false;
    set_msg(k->msg, sizeof(k->msg), "rtas fadump: un-registered");
    return SIM_FADUMP_OK;
}

int sim_fadump_invalidate(struct sim_fadump_kernel *k, struct sim_machine *m,
                          struct phyp *p, struct sim_fadump_calls *calls)
{
    if (!k || !m || !p) {
        return SIM_FADUMP_ERR_INVALID;
    }
    if (!k->supported) {
        return SIM_FADUMP_ERR_UNSUPPORTED;
    }
    /* The kernel passes fdm_active, the copy inside its flattened DT. */
    uint64_t addr = k->prm.fdm_addr;
    if (k->dump_active && k->fdm_active_len) {
        addr = SIM_FADUMP_FDM_ACTIVE_ADDR;
        if (sim_mem_write(m, addr, k->fdm_active, k->fdm_active_len) != 0) {
            return SIM_FADUMP_ERR_HOST;
        }
    }
    int32_t rc = rtas_loop(k, p, PHYP_CMD_INVALIDATE, addr, SIM_FADUMP_FDM_BYTES, calls);
    if (rc != PHYP_RTAS_SUCCESS) {
        snprintf(k->msg, sizeof(k->msg),
                 "rtas fadump: Failed to invalidate - unexpected error (%d).", (int)rc);
        return SIM_FADUMP_ERR_RTAS;
    }
    k->dump_active = false;
    k->fdm_active_len = 0;
    set_msg(k->msg, sizeof(k->msg), "rtas fadump: invalidated");
    return SIM_FADUMP_OK;
}

/* ---- crash ------------------------------------------------------------- */

int sim_fadump_crash(struct sim_fadump_kernel *k, struct sim_machine *m,
                     unsigned cpu, uint64_t trap)
{
    if (!k || !m) {
        return SIM_FADUMP_ERR_INVALID;
    }
    const struct db_ppc64_cpu *c = sim_ppc64_cpu(m, cpu);
    if (!c || !c->online) {
        return SIM_FADUMP_ERR_INVALID;
    }
    /* should_fadump_crash(): registered and fadumphdr_addr set. */
    if (!k->registered || !k->reserved) {
        return SIM_FADUMP_ERR_STATE;
    }
    uint8_t fdh[SIM_FADUMP_FDH_SIZE];
    if (sim_mem_read(m, k->lay.fadumphdr_addr, fdh, sizeof(fdh)) != 0) {
        return SIM_FADUMP_ERR_HOST;
    }
    db_st_le32(fdh + SIM_FADUMP_FDH_CRASHCPU, c->cpu_id);
    /* fdh->regs = *regs / ppc_save_regs(): struct pt_regs, native LE. */
    uint8_t *r = fdh + SIM_FADUMP_FDH_REGS;
    memset(r, 0, SIM_PTREGS_SIZE);
    for (unsigned i = 0; i < 32; i++) {
        db_st_le64(r + 8 * i, c->gpr[i]);
    }
    db_st_le64(r + 8 * SIM_PTREGS_NIP, c->nia);
    db_st_le64(r + 8 * SIM_PTREGS_MSR, c->msr);
    db_st_le64(r + 8 * SIM_PTREGS_CTR, c->ctr);
    db_st_le64(r + 8 * SIM_PTREGS_LINK, c->lr);
    db_st_le64(r + 8 * SIM_PTREGS_XER, c->xer);
    db_st_le64(r + 8 * SIM_PTREGS_CCR, c->cr);
    db_st_le64(r + 8 * SIM_PTREGS_TRAP, trap);
    db_st_le64(r + 8 * SIM_PTREGS_DAR, c->dar);
    db_st_le64(r + 8 * SIM_PTREGS_DSISR, c->dsisr);
    /* fdh->cpu_mask = *cpu_online_mask */
    memset(fdh + SIM_FADUMP_FDH_CPUMASK, 0, SIM_FADUMP_NR_CPUS / 8);
    unsigned slots = sim_cpu_slots(m);
    for (unsigned i = 0; i < slots; i++) {
        const struct db_ppc64_cpu *o = sim_ppc64_cpu(m, i);
        if (o && o->online && o->cpu_id < SIM_FADUMP_NR_CPUS) {
            fdh[SIM_FADUMP_FDH_CPUMASK + o->cpu_id / 8] |= (uint8_t)(1u << (o->cpu_id % 8));
        }
    }
    if (sim_mem_write(m, k->lay.fadumphdr_addr, fdh, sizeof(fdh)) != 0) {
        return SIM_FADUMP_ERR_HOST;
    }
    k->crashed = true;
    return SIM_FADUMP_OK;
}

/* ---- capture ----------------------------------------------------------- */

static int fail(struct sim_fadump_capture_info *info, int st, const char *text)
{
    set_msg(info->msg, sizeof(info->msg), text);
    return st;
}

/*
 * Fill chunk data dst (the dump's memory at paddr) from machine memory at
 * src: page aligned ranges sparsely (never-written pages are marked known
 * zero and not touched, see sim_copy_sparse), others byte by byte.
 */
static int fill_from(struct sim_machine *m, struct df_dump *d, uint64_t paddr, uint8_t *dst,
                     uint64_t src, uint64_t len)
{
    uint64_t msize = sim_mem_size(m);
    if (src > msize || len > msize - src) {
        return -1;
    }
    if ((src & (SIM_PAGE_SIZE - 1)) != 0 || (len & (SIM_PAGE_SIZE - 1)) != 0 ||
        (paddr & (SIM_PAGE_SIZE - 1)) != 0) {
        return sim_mem_read(m, src, dst, len);
    }
    return sim_copy_sparse(m, src, len, d, paddr, dst);
}

/* Add a zero chunk and return its writable data (owned by the dump).  The
 * buffer is lazily allocated (calloc): only copied pages cost memory. */
static uint8_t *add_chunk(struct df_dump *d, uint64_t paddr, uint64_t len)
{
    struct df_err e;
    if (df_dump_add_chunk(d, paddr, NULL, len, &e) != DF_OK) {
        return NULL;
    }
    for (size_t i = 0; i < d->nchunks; i++) {
        const struct df_chunk *c = &d->chunks[i];
        if (paddr >= c->paddr && paddr - c->paddr < c->size && len <= c->size - (paddr - c->paddr)) {
            /* df_dump_add_chunk allocated this buffer for us (NULL data =
             * zero-filled copy); filling it in place avoids a second copy
             * of hundreds of MiB. */
            return (uint8_t *)(uintptr_t)c->data + (paddr - c->paddr);
        }
    }
    return NULL;
}

static void cpu_from_ptregs(struct db_ppc64_cpu *c, const uint8_t *r)
{
    for (unsigned i = 0; i < 32; i++) {
        c->gpr[i] = db_ld_le64(r + 8 * i);
    }
    c->nia = db_ld_le64(r + 8 * SIM_PTREGS_NIP);
    c->msr = db_ld_le64(r + 8 * SIM_PTREGS_MSR);
    c->ctr = db_ld_le64(r + 8 * SIM_PTREGS_CTR);
    c->lr = db_ld_le64(r + 8 * SIM_PTREGS_LINK);
    c->xer = db_ld_le64(r + 8 * SIM_PTREGS_XER);
    c->cr = db_ld_le64(r + 8 * SIM_PTREGS_CCR);
    c->dar = db_ld_le64(r + 8 * SIM_PTREGS_DAR);
    c->dsisr = db_ld_le64(r + 8 * SIM_PTREGS_DSISR);
}

static bool mask_has(const uint8_t *fdh, uint32_t id)
{
    return id < SIM_FADUMP_NR_CPUS &&
           (fdh[SIM_FADUMP_FDH_CPUMASK + id / 8] & (1u << (id % 8))) != 0;
}

/* CPUs: register save area (PRESERVED) or the machine (TRUTH), filtered by
 * the crash info header's mask, crashing CPU from its pt_regs. */
static int capture_cpus(struct sim_machine *m, const struct fdm_view *v,
                        enum sim_fadump_source src, const uint8_t *fdh,
                        struct df_dump *d, struct sim_fadump_capture_info *info)
{
    unsigned slots = sim_cpu_slots(m);
    unsigned max = slots ? slots : 1;
    struct db_ppc64_cpu *cpus = calloc(max, sizeof(*cpus));
    unsigned n = 0;
    if (!cpus) {
        return fail(info, SIM_FADUMP_ERR_HOST, "out of memory");
    }
    if (src == SIM_FADUMP_PRESERVED) {
        uint64_t dst = db_ld_be64(v->cpu + PHYP_SEC_DEST_ADDR);
        uint64_t len = db_ld_be64(v->cpu + PHYP_SEC_BYTES_DUMPED);
        uint64_t slen = db_ld_be64(v->cpu + PHYP_SEC_SOURCE_LEN);
        if (len > slen || len > (64u << 20)) {
            free(cpus);
            return fail(info, SIM_FADUMP_ERR_CORRUPT,
                        "rtas fadump: Unable to read register save area.");
        }
        uint8_t *area = malloc(len ? len : 1);
        if (!area || sim_mem_read(m, dst, area, len) != 0) {
            free(area);
            free(cpus);
            return fail(info, SIM_FADUMP_ERR_CORRUPT,
                        "rtas fadump: Unable to read register save area.");
        }
        int rc = phyp_regsave_parse(area, len, cpus, max, &n);
        free(area);
        if (rc != PHYP_OK) {
            free(cpus);
            return fail(info, SIM_FADUMP_ERR_CORRUPT,
                        "rtas fadump: Unable to read CPU state data");
        }
    } else {
        for (unsigned i = 0; i < slots; i++) {
            const struct db_ppc64_cpu *c = sim_ppc64_cpu(m, i);
            if (c && c->online) {
                cpus[n++] = *c;
            }
        }
    }
    uint32_t crash = db_ld_le32(fdh + SIM_FADUMP_FDH_CRASHCPU);
    info->crashing_cpu = crash;
    for (unsigned i = 0; i < n; i++) {
        struct df_cpu dc;
        if (!mask_has(fdh, cpus[i].cpu_id)) {
            continue;               /* RTAS_FADUMP_SKIP_TO_NEXT_CPU */
        }
        memset(&dc, 0, sizeof(dc));
        dc.present = 1;
        dc.regs.ppc64 = cpus[i];
        if (cpus[i].cpu_id == crash) {
            cpu_from_ptregs(&dc.regs.ppc64, fdh + SIM_FADUMP_FDH_REGS);
        }
        struct df_err e;
        if (df_dump_add_cpu(d, &dc, &e) < 0) {
            free(cpus);
            return fail(info, SIM_FADUMP_ERR_HOST, "cannot add CPU to dump");
        }
        info->ncpus++;
    }
    free(cpus);
    return SIM_FADUMP_OK;
}

/* Record RAM above boot memory that is neither in a PT_LOAD nor reserved. */
static void find_missing(uint64_t mem_end, const uint64_t (*loads)[2], unsigned nl,
                         uint64_t ra_s, uint64_t ra_e, uint64_t from,
                         struct sim_fadump_capture_info *info)
{
    uint64_t a = from;
    while (a < mem_end) {
        uint64_t next = mem_end;
        bool covered = false;
        if (a >= ra_s && a < ra_e) {
            a = ra_e;
            continue;
        }
        if (ra_s > a && ra_s < next) {
            next = ra_s;
        }
        for (unsigned i = 0; i < nl; i++) {
            uint64_t s = loads[i][0], e = loads[i][0] + loads[i][1];
            if (a >= s && a < e) {
                covered = true;
                next = e;
                break;
            }
            if (s > a && s < next) {
                next = s;
            }
        }
        if (!covered && info->nmissing < SIM_FADUMP_MAX_MISSING) {
            struct phyp_range *r = info->nmissing ? &info->missing[info->nmissing - 1] : NULL;
            if (r && r->start + r->len == a) {
                r->len += next - a;
            } else {
                info->missing[info->nmissing].start = a;
                info->missing[info->nmissing].len = next - a;
                info->nmissing++;
            }
        }
        a = next;
    }
}

int sim_fadump_capture(struct sim_machine *m, const uint8_t *fdm, size_t fdm_len,
                       enum sim_fadump_source src, struct df_dump **out,
                       struct sim_fadump_capture_info *info)
{
    struct fdm_view v;
    if (!info) {
        return SIM_FADUMP_ERR_INVALID;
    }
    memset(info, 0, sizeof(*info));
    if (!m || !fdm || !out || (src != SIM_FADUMP_PRESERVED && src != SIM_FADUMP_TRUTH)) {
        return fail(info, SIM_FADUMP_ERR_INVALID, "invalid capture request");
    }
    *out = NULL;
    if (fdm_parse(fdm, fdm_len, &v) != 0) {
        return fail(info, SIM_FADUMP_ERR_NOT_VALID,
                    "rtas fadump: Dump taken by platform is not valid (no CPU/boot memory section)");
    }
    info->status_flag = db_ld_be16(fdm + PHYP_FDM_STATUS);
    if (src == SIM_FADUMP_PRESERVED) {
        /* rtas_fadump_process() (6.1): status == ERROR (equality), CPU and
         * RMR error flags, then bytes dumped. */
        if (info->status_flag == PHYP_FDM_STATUS_ERROR ||
            db_ld_be16(v.cpu + PHYP_SEC_ERROR_FLAGS) != 0 ||
            db_ld_be16(v.rmr + PHYP_SEC_ERROR_FLAGS) != 0) {
            return fail(info, SIM_FADUMP_ERR_NOT_VALID,
                        "rtas fadump: Dump taken by platform is not valid");
        }
        if (db_ld_be64(v.rmr + PHYP_SEC_BYTES_DUMPED) != db_ld_be64(v.rmr + PHYP_SEC_SOURCE_LEN) ||
            db_ld_be64(v.cpu + PHYP_SEC_BYTES_DUMPED) == 0) {
            return fail(info, SIM_FADUMP_ERR_INCOMPLETE,
                        "rtas fadump: Dump taken by platform is incomplete");
        }
    }
    uint64_t msize = sim_mem_size(m);
    info->boot_mem_size = db_ld_be64(v.rmr + PHYP_SEC_SOURCE_LEN);
    info->boot_mem_dest = db_ld_be64(v.rmr + PHYP_SEC_DEST_ADDR);
    info->reserve_start = db_ld_be64(v.cpu + PHYP_SEC_DEST_ADDR);
    uint64_t cpu_len = db_ld_be64(v.cpu + PHYP_SEC_SOURCE_LEN);
    uint64_t hpte_len = v.hpte ? db_ld_be64(v.hpte + PHYP_SEC_SOURCE_LEN) : 0;
    if (info->boot_mem_size > msize || cpu_len > msize || hpte_len > msize ||
        info->boot_mem_dest > msize - info->boot_mem_size) {
        return fail(info, SIM_FADUMP_ERR_CORRUPT, "rtas fadump: sections outside memory");
    }
    info->reserve_size = sim_fadump_area_size(cpu_len, hpte_len, info->boot_mem_size, 1);

    /* Crash info header at boot_mem_dest + boot_mem_size. */
    uint8_t fdh[SIM_FADUMP_FDH_SIZE];
    uint64_t fdh_addr = info->boot_mem_dest + info->boot_mem_size;
    if (sim_mem_read(m, fdh_addr, fdh, sizeof(fdh)) != 0 ||
        db_ld_le64(fdh) != SIM_FADUMP_FDH_MAGIC) {
        return fail(info, SIM_FADUMP_ERR_CORRUPT, "fadump: Crash info header is not valid.");
    }
    /* ELF core header written at registration. */
    uint64_t eaddr = db_ld_le64(fdh + SIM_FADUMP_FDH_ELFCOREHDR);
    uint8_t eh[EHDR_SIZE];
    static const uint8_t ident[7] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
    if (sim_mem_read(m, eaddr, eh, sizeof(eh)) != 0 || memcmp(eh, ident, sizeof(ident)) != 0 ||
        db_ld_le16(eh + EH_TYPE) != ET_CORE_ || db_ld_le16(eh + EH_PHENTSIZE) != PHDR_SIZE ||
        db_ld_le64(eh + EH_PHOFF) != EHDR_SIZE || db_ld_le16(eh + EH_PHNUM) > ELF_MAX_PHDRS) {
        return fail(info, SIM_FADUMP_ERR_CORRUPT, "fadump: ELF core header is not valid");
    }
    unsigned phnum = db_ld_le16(eh + EH_PHNUM);
    uint8_t ph[ELF_MAX_PHDRS * PHDR_SIZE];
    if (phnum && sim_mem_read(m, eaddr + EHDR_SIZE, ph, (uint64_t)phnum * PHDR_SIZE) != 0) {
        return fail(info, SIM_FADUMP_ERR_CORRUPT, "fadump: ELF program headers unreadable");
    }
    uint64_t loads[ELF_MAX_PHDRS][2], offs[ELF_MAX_PHDRS];
    unsigned nl = 0;
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *p = ph + (size_t)i * PHDR_SIZE;
        if (db_ld_le32(p + PH_TYPE) != PT_LOAD_) {
            continue;
        }
        uint64_t pa = db_ld_le64(p + PH_PADDR), sz = db_ld_le64(p + PH_FILESZ);
        uint64_t off = db_ld_le64(p + PH_OFFSET);
        uint64_t from = src == SIM_FADUMP_TRUTH ? pa : off;
        if (sz == 0 || pa > msize || sz > msize - pa || from > msize || sz > msize - from ||
            (nl && pa < loads[nl - 1][0] + loads[nl - 1][1])) {
            return fail(info, SIM_FADUMP_ERR_CORRUPT, "fadump: PT_LOAD outside memory or unsorted");
        }
        loads[nl][0] = pa;
        loads[nl][1] = sz;
        offs[nl] = from;
        nl++;
    }

    struct df_dump *d = df_dump_new(DF_ARCH_PPC64LE);
    if (!d) {
        return fail(info, SIM_FADUMP_ERR_HOST, "out of memory");
    }
    d->page_size = (uint32_t)SIM_FADUMP_PAGE_SIZE;
    int st = capture_cpus(m, &v, src, fdh, d, info);
    for (unsigned i = 0; st == SIM_FADUMP_OK && i < nl; i++) {
        uint8_t *buf = add_chunk(d, loads[i][0], loads[i][1]);
        if (!buf || fill_from(m, d, loads[i][0], buf, offs[i], loads[i][1]) != 0) {
            st = fail(info, SIM_FADUMP_ERR_HOST, "cannot copy dump memory");
        }
    }
    if (st != SIM_FADUMP_OK) {
        df_dump_free(d);
        return st;
    }
    find_missing(msize, (const uint64_t (*)[2])loads, nl, info->reserve_start,
                 info->reserve_start + info->reserve_size, info->boot_mem_size, info);
    *out = d;
    return SIM_FADUMP_OK;
}

int sim_fadump_truth(struct sim_machine *m, struct df_dump **out, char *err, size_t errlen)
{
    if (!m || !out) {
        set_msg(err, errlen, "sim_fadump_truth: invalid argument");
        return SIM_FADUMP_ERR_INVALID;
    }
    *out = NULL;
    struct df_dump *d = df_dump_new(DF_ARCH_PPC64LE);
    if (!d) {
        set_msg(err, errlen, "sim_fadump_truth: out of memory");
        return SIM_FADUMP_ERR_HOST;
    }
    d->page_size = (uint32_t)SIM_FADUMP_PAGE_SIZE;
    uint64_t msize = sim_mem_size(m);
    uint8_t *buf = add_chunk(d, 0, msize);
    if (!buf || fill_from(m, d, 0, buf, 0, msize) != 0) {
        df_dump_free(d);
        set_msg(err, errlen, "sim_fadump_truth: cannot copy memory");
        return SIM_FADUMP_ERR_HOST;
    }
    unsigned slots = sim_cpu_slots(m);
    for (unsigned i = 0; i < slots; i++) {
        const struct db_ppc64_cpu *c = sim_ppc64_cpu(m, i);
        struct df_cpu dc;
        struct df_err e;
        if (!c || !c->online) {
            continue;
        }
        memset(&dc, 0, sizeof(dc));
        dc.present = 1;
        dc.regs.ppc64 = *c;
        if (df_dump_add_cpu(d, &dc, &e) < 0) {
            df_dump_free(d);
            set_msg(err, errlen, "sim_fadump_truth: cannot add CPU");
            return SIM_FADUMP_ERR_HOST;
        }
    }
    *out = d;
    return SIM_FADUMP_OK;
}
