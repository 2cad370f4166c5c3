/*
 * run_result helpers (contract in <harness/backend.h>).  Fixed-size arrays:
 * entries beyond capacity are dropped, strings are truncated.
 */
#include <harness/backend.h>

#include <stdio.h>
#include <string.h>

void run_result_init(struct run_result *r)
{
    memset(r, 0, sizeof(*r));
    r->outcome = RUN_ERROR;
}

void run_result_clear(struct run_result *r)
{
    df_dump_free(r->truth);
    df_dump_free(r->image);
    run_result_init(r);
}

void run_result_add_rc(struct run_result *r, const char *op, int64_t rc, int line)
{
    if (r->nrcs >= sizeof(r->rcs) / sizeof(r->rcs[0]))
        return;
    struct run_rc *e = &r->rcs[r->nrcs++];
    snprintf(e->op, sizeof(e->op), "%s", op ? op : "");
    e->rc = rc;
    e->line = line;
}

void run_result_add_phase(struct run_result *r, const char *name, double seconds)
{
    for (size_t i = 0; i < r->nphases; i++) {
        if (strncmp(r->phases[i].name, name, sizeof(r->phases[i].name) - 1) == 0) {
            r->phases[i].seconds += seconds;
            return;
        }
    }
    if (r->nphases >= sizeof(r->phases) / sizeof(r->phases[0]))
        return;
    struct run_phase *p = &r->phases[r->nphases++];
    snprintf(p->name, sizeof(p->name), "%s", name ? name : "");
    p->seconds = seconds;
    if (r->on_phase)
        r->on_phase(r->on_phase_ctx, p->name, seconds);
}

void run_result_add_exempt(struct run_result *r, uint64_t addr, uint64_t len,
                           const char *reason)
{
    if (r->nexempt >= sizeof(r->exempt) / sizeof(r->exempt[0]))
        return;
    r->exempt[r->nexempt].addr = addr;
    r->exempt[r->nexempt].len = len;
    snprintf(r->exempt[r->nexempt].reason, sizeof(r->exempt[0].reason), "%s",
             reason ? reason : "");
    r->nexempt++;
}

const char *run_outcome_name(enum run_outcome o)
{
    switch (o) {
    case RUN_COMPLETE: return "complete";
    case RUN_INCOMPLETE: return "incomplete";
    case RUN_FAILED: return "failed";
    case RUN_NO_DUMP: return "no-dump";
    case RUN_ERROR: return "error";
    }
    return "?";
}
