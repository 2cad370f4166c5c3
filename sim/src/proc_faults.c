/*
 * Process-level faults of the sim backend (see <sim/backend.h>): parsing
 * of `step fault disk|capture|machine` and the kill/hang points the
 * capture writers call in the child process.
 */
#include <sim/backend.h>
#include <sim/child.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int sim_proc_fault_arm(struct sim_proc_faults *f, const struct scn_item *it,
                       char *errbuf, size_t errlen)
{
    const char *t = it->word ? it->word : "";
    if (!strcmp(t, "disk")) {
        int64_t at = scn_get_num(it, "full-at", 0);
        if (at <= 0) {
            snprintf(errbuf, errlen, "fault disk: full-at= must be > 0");
            return -1;
        }
        f->disk_full_at = (uint64_t)at;
        return 1;
    }
    if (!strcmp(t, "capture")) {
        bool kill = scn_arg(it, "kill-at") != NULL;
        bool hang = scn_arg(it, "hang") != NULL || scn_arg(it, "hang-at") != NULL;
        if (kill == hang) {
            snprintf(errbuf, errlen, "fault capture: needs exactly one of kill-at= or "
                     "hang=yes/hang-at=");
            return -1;
        }
        if (kill) {
            f->kill = true;
            f->kill_at = (uint64_t)scn_get_num(it, "kill-at", 0);
        } else {
            f->hang = true;
            f->hang_at = (uint64_t)scn_get_num(it, "hang-at", 0);
        }
        return 1;
    }
    if (!strcmp(t, "machine")) {
        f->machine_kill = true;
        f->machine_kill_at = (uint64_t)scn_get_num(it, "kill-at", 0);
        return 1;
    }
    return 0;
}

bool sim_proc_faults_any(const struct sim_proc_faults *f)
{
    return f->disk_full_at || f->kill || f->hang || f->machine_kill;
}

void sim_proc_fault_point(struct sim_child *c, const struct sim_proc_faults *f, uint64_t bytes)
{
    if (!c) {
        return;
    }
    if (f->machine_kill && bytes >= f->machine_kill_at) {
        sim_child_kill(c, bytes);
    }
    if (f->kill && bytes >= f->kill_at) {
        sim_child_kill(c, bytes);
    }
    if (f->hang && bytes >= f->hang_at) {
        sim_child_hang(c, bytes);
    }
}

double sim_capture_timeout(const struct scn_item *capture)
{
    if (capture && scn_arg(capture, "timeout")) {
        return (double)scn_get_num(capture, "timeout", 0);
    }
    return SIM_CAPTURE_TIMEOUT_S;
}
