/*
 * libphyp private definitions: the model object and range-set helpers.
 */
#ifndef PHYP_INTERNAL_H
#define PHYP_INTERNAL_H

#include <phyp/phyp.h>

/* Sorted, disjoint, merged list of byte ranges. */
struct phyp_rset {
    struct phyp_range *r;
    size_t n, cap;
};

struct phyp {
    struct db_host host;
    struct phyp_profile prof;
    enum phyp_state state;
    uint8_t *fdm;               /* private copy, PHYP_FDM_SIZE(max_sections) */
    size_t fdm_len;             /* 40 + 40n while registered / active */
    uint64_t fdm_addr;
    unsigned busy_left;         /* busy replies still due for this call */
    struct phyp_fault fault;    /* pending injected fault */
    struct phyp_rset preserved; /* destination areas of the active dump */
    struct phyp_rset released;  /* released part of `preserved` */
};

/* Copy chunk for memory preservation (bounded private buffer). */
#define PHYP_COPY_CHUNK (1u << 20)

static inline bool phyp_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

/* range-set helpers (release.c) */
void phyp_rset_clear(struct phyp_rset *s);
void phyp_rset_free(struct phyp_rset *s);
/* Add [start, start+len), merging; PHYP_OK or PHYP_ERR_NOMEM. */
int phyp_rset_add(struct phyp_rset *s, uint64_t start, uint64_t len);
uint64_t phyp_rset_total(const struct phyp_rset *s);

/* -2 or 9900..9905 (rtas.c). */
bool phyp_busy_rc_valid(int32_t rc);

/* CPU-state size advertised by the model's profile. */
uint64_t phyp_cpu_state_size(const struct phyp *p);

#endif /* PHYP_INTERNAL_H */
