/*
 * The first difference of a failed x86_64 kdump oracle as a structured
 * record (see <harness/report.h>, report_qemu_first_diff): the oracle
 * (qemu_oracle.c) names the failing page in its message and attributes
 * every differing page (kernel symbol from kallsyms, vCPU stack, ...); here
 * the bytes of that page are read back from the vmcore and the truth
 * snapshot so the HTML report can show them side by side.
 */
#include <harness/report.h>
#include <harness/qemu.h>

#include "qemu_internal.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One page of the truth snapshot at pa (raw pmemsave pieces); 0 or -1. */
static int truth_page(const struct qemu_oracle_in *in, uint64_t pa, uint8_t *buf)
{
    for (size_t i = 0; i < in->nmem; i++) {
        const struct qemu_mem_file *m = &in->mem[i];
        if (pa < m->paddr || pa - m->paddr >= m->size || m->size - (pa - m->paddr) < QPAGE)
            continue;
        int fd = open(m->path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return -1;
        ssize_t n = pread(fd, buf, QPAGE, (off_t)(pa - m->paddr));
        close(fd);
        return n == (ssize_t)QPAGE ? 0 : -1;
    }
    return -1;
}

int report_qemu_first_diff(const struct qemu_oracle_in *in, const struct qemu_oracle_out *o,
                           struct cmp_diff *d)
{
    memset(d, 0, sizeof(*d));
    const char *p = strstr(o->fail, "page 0x");
    unsigned long long pa = 0;
    if (!p || sscanf(p, "page 0x%llx", &pa) != 1 || pa % QPAGE)
        return -1;
    struct qelf e;
    char err[256];
    if (qelf_open(&e, in->vmcore, err, sizeof(err)) != 0)
        return -1;
    int rc = -1;
    const uint8_t *v = qelf_page(&e, pa);
    uint8_t *t = malloc(QPAGE);
    const char *against = "truth snapshot";
    struct qelf post;
    bool post_open = false;
    if (v && t && truth_page(in, pa, t) == 0 && memcmp(v, t, QPAGE) == 0 && in->post_elf &&
        qelf_open(&post, in->post_elf, err, sizeof(err)) == 0) {
        /* equal to the truth: the failure is against the post-capture dump */
        post_open = true;
        const uint8_t *q = qelf_page(&post, pa);
        if (q) {
            memcpy(t, q, QPAGE);
            against = "post-capture dump";
        }
    }
    if (v && t && (post_open || truth_page(in, pa, t) == 0)) {
        size_t k = 0;
        while (k < QPAGE && v[k] == t[k])
            k++;
        if (k < QPAGE) {
            const char *why = "";
            for (size_t i = 0; i < o->ndiff; i++)
                if (o->diff[i].paddr == pa)
                    why = o->diff[i].why;
            d->valid = true;
            snprintf(d->kind, sizeof(d->kind), "page");
            snprintf(d->field, sizeof(d->field), "page 0x%llx +0x%zx (vmcore vs %s)%s%.100s", pa, k,
                     against, why[0] ? ": " : "", why);
            d->addr = pa + k;
            d->base = d->addr & ~(uint64_t)(CMP_DIFF_BYTES - 1);
            d->mark = (uint32_t)(d->addr - d->base);
            d->len = CMP_DIFF_BYTES;
            memcpy(d->exp, t + (d->base - pa), CMP_DIFF_BYTES);
            memcpy(d->act, v + (d->base - pa), CMP_DIFF_BYTES);
            rc = 0;
        }
    }
    if (post_open)
        qelf_close(&post);
    free(t);
    qelf_close(&e);
    return rc;
}
