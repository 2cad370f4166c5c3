/*
 * Incremental release of preserved memory, from the 2007 phyp-assisted
 * dump design (linux:Documentation/powerpc/phyp-assisted-dump.txt:
 * "echo <start> <len> > /sys/kernel/release_region"; spec 1.1).  The
 * model tracks which bytes of the preserved destination areas the OS has
 * given back; INVALIDATE releases everything.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void phyp_rset_clear(struct phyp_rset *s)
{
    s->n = 0;
}

void phyp_rset_free(struct phyp_rset *s)
{
    free(s->r);
    s->r = NULL;
    s->n = s->cap = 0;
}

int phyp_rset_add(struct phyp_rset *s, uint64_t start, uint64_t len)
{
    if (len == 0) {
        return PHYP_OK;
    }
    uint64_t end = start + len;     /* callers guarantee no wrap */
    /* Absorb every range that overlaps or touches [start, end). */
    size_t i = 0;
    while (i < s->n && s->r[i].start + s->r[i].len < start) {
        i++;
    }
    size_t j = i;
    while (j < s->n && s->r[j].start <= end) {
        uint64_t rend = s->r[j].start + s->r[j].len;
        if (s->r[j].start < start) {
            start = s->r[j].start;
        }
        if (rend > end) {
            end = rend;
        }
        j++;
    }
    if (j == i) {
        if (s->n == s->cap) {
            size_t ncap = s->cap ? s->cap * 2 : 8;
            struct phyp_range *nr = realloc(s->r, ncap * sizeof(*nr));
            if (!nr) {
                return PHYP_ERR_NOMEM;
            }
            s->r = nr;
            s->cap = ncap;
        }
        memmove(&s->r[i + 1], &s->r[i], (s->n - i) * sizeof(*s->r));
        s->n++;
    } else if (j > i + 1) {
        memmove(&s->r[i + 1], &s->r[j], (s->n - j) * sizeof(*s->r));
        s->n -= j - i - 1;
    }
    s->r[i].start = start;
    s->r[i].len = end - start;
    return PHYP_OK;
}

uint64_t phyp_rset_total(const struct phyp_rset *s)
{
    uint64_t t = 0;
    for (size_t i = 0; i < s->n; i++) {
        t += s->r[i].len;
    }
    return t;
}

int phyp_release(struct phyp *p, uint64_t start, uint64_t len)
{
    if (!p || len == 0 || start + len < start) {
        return PHYP_ERR_INVALID;
    }
    if (p->state != PHYP_STATE_DUMP_ACTIVE) {
        return PHYP_ERR_STATE;
    }
    bool inside = false;
    for (size_t i = 0; i < p->preserved.n; i++) {
        const struct phyp_range *r = &p->preserved.r[i];
        if (start >= r->start && start - r->start <= r->len &&
            len <= r->len - (start - r->start)) {
            inside = true;
            break;
        }
    }
    if (!inside) {
        return PHYP_ERR_RANGE;
    }
    for (size_t i = 0; i < p->released.n; i++) {
        if (phyp_overlap(start, len, p->released.r[i].start, p->released.r[i].len)) {
            return PHYP_ERR_RELEASED;
        }
    }
    int rc = phyp_rset_add(&p->released, start, len);
    if (rc != PHYP_OK) {
        return rc;
    }
    return phyp_preserved_remaining(p) == 0 ? PHYP_RELEASED_ALL : PHYP_OK;
}

uint64_t phyp_preserved_remaining(const struct phyp *p)
{
    if (!p || p->state != PHYP_STATE_DUMP_ACTIVE) {
        return 0;
    }
    return phyp_rset_total(&p->preserved) - phyp_rset_total(&p->released);
}

int phyp_preserved_ranges(const struct phyp *p, struct phyp_range *out,
                          size_t cap, size_t *n)
{
    if (!p || !n || (!out && cap)) {
        return PHYP_ERR_INVALID;
    }
    size_t cnt = 0;
    if (p->state == PHYP_STATE_DUMP_ACTIVE) {
        /* preserved minus released; both sorted, released within preserved. */
        size_t k = 0;
        for (size_t i = 0; i < p->preserved.n; i++) {
            uint64_t cur = p->preserved.r[i].start;
            uint64_t end = cur + p->preserved.r[i].len;
            while (k < p->released.n && p->released.r[k].start < end) {
                const struct phyp_range *rel = &p->released.r[k];
                if (rel->start > cur) {
                    if (cnt < cap) {
                        out[cnt] = (struct phyp_range){cur, rel->start - cur};
                    }
                    cnt++;
                }
                cur = rel->start + rel->len;
                k++;
            }
            if (cur < end) {
                if (cnt < cap) {
                    out[cnt] = (struct phyp_range){cur, end - cur};
                }
                cnt++;
            }
        }
    }
    *n = cnt;
    return cnt > cap ? PHYP_ERR_NOSPC : PHYP_OK;
}
