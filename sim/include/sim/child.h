/*
 * Run one piece of the sim backend (a capture) in a child process, with a
 * deadline and optional faults that only a separate process can have:
 *
 *   - a file size limit (RLIMIT_FSIZE, SIGXFSZ ignored): writes at or past
 *     `file_limit` fail with EFBIG, like a dump disk that is full;
 *   - the child killing itself with SIGKILL (sim_child_kill) at a chosen
 *     moment: the agent (or the whole machine) dies mid-copy;
 *   - the child blocking forever (sim_child_hang): the parent's deadline
 *     expires, it SIGKILLs and reaps the child and reports the timeout.
 *     The deadline counts from the child's last message (progress or
 *     heartbeat), so a slow but working child on a loaded host is not
 *     mistaken for a hung one, and where a hang is injected does not depend
 *     on the host's speed.
 *
 * The child reports progress (bytes written so far) and, when it finishes,
 * one fixed-size result record through a pipe; the parent keeps the last
 * progress value, so a killed or hung child still says how far it got.
 * The child dies with its parent (PR_SET_PDEATHSIG) and is always reaped:
 * no process outlives sim_child_run.
 */
#ifndef SIM_CHILD_H
#define SIM_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_child;   /* the child's side, passed to fn */

struct sim_child_opts {
    double timeout_s;       /* > 0: the child is killed after this long without
                               sending anything (no progress, no heartbeat) */
    uint64_t file_limit;    /* > 0: RLIMIT_FSIZE in the child */
};

struct sim_child_exit {
    bool finished;          /* exited 0 after sending a complete result record */
    bool timed_out;         /* deadline expired: killed by the parent */
    bool signaled;          /* died from a signal (not the parent's timeout kill) */
    int signo;
    int exit_code;          /* when it exited (not signaled, not timed out) */
    uint64_t progress;      /* last progress value the child sent */
    bool has_progress;
    double seconds;         /* wall time until reaped */
};

/* fn runs in the child and fills out[0..outlen) (sent when fn returns). */
typedef void (*sim_child_fn)(struct sim_child *c, void *arg, void *out, size_t outlen);

/*
 * Fork, run fn in the child, wait (at most opts->timeout_s), reap.  Returns
 * 0 when the child was started and reaped (see *ex; out is valid only when
 * ex->finished), -1 when no child could be run (err says why).
 */
int sim_child_run(sim_child_fn fn, void *arg, void *out, size_t outlen,
                  const struct sim_child_opts *opts, struct sim_child_exit *ex,
                  char *err, size_t errlen);

/* In the child: report bytes written so far. */
void sim_child_progress(struct sim_child *c, uint64_t bytes);
/* In the child: alive and working (restarts the parent's deadline). */
void sim_child_heartbeat(struct sim_child *c);
/* In the child: die now with SIGKILL (after reporting `bytes`). */
void sim_child_kill(struct sim_child *c, uint64_t bytes) __attribute__((noreturn));
/* In the child: stop making progress forever (the parent's deadline ends it). */
void sim_child_hang(struct sim_child *c, uint64_t bytes) __attribute__((noreturn));

#endif
