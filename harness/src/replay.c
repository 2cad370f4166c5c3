/*
 * Run records, record comparison and replays (contract: <harness/replay.h>).
 */
#include <harness/replay.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <harness/compare.h>

extern char **environ;

#include "util.h"

#define LINE_MAX_LEN 8192

static const char *status_word(enum report_status st)
{
    switch (st) {
    case REPORT_PASS: return "PASS";
    case REPORT_FAIL: return "FAIL";
    case REPORT_SKIP: return "SKIP";
    default: return "ERROR";
    }
}

/* One-line text: newlines and tabs become blanks (records are line based). */
static void put_text(FILE *f, const char *key, const char *v)
{
    fprintf(f, "%s ", key);
    for (const char *p = v ? v : ""; *p; p++)
        fputc(*p == '\n' || *p == '\r' || *p == '\t' ? ' ' : *p, f);
    fputc('\n', f);
}

static int copy_file(const char *from, const char *to, char *err, size_t errlen)
{
    FILE *in = fopen(from, "rb");
    if (!in) {
        snprintf(err, errlen, "%s: %s", from, strerror(errno));
        return -1;
    }
    FILE *out = fopen(to, "wb");
    if (!out) {
        snprintf(err, errlen, "%s: %s", to, strerror(errno));
        fclose(in);
        return -1;
    }
    char buf[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        if (fwrite(buf, 1, n, out) != n) {
            rc = -1;
            break;
        }
    if (ferror(in))
        rc = -1;
    fclose(in);
    if (fclose(out) != 0)
        rc = -1;
    if (rc)
        snprintf(err, errlen, "copy %s -> %s failed", from, to);
    return rc;
}

/* The checkout's commit, read from .git (no git process): "unknown" if none. */
static void git_commit(char *out, size_t len)
{
    snprintf(out, len, "unknown");
    FILE *f = fopen(".git/HEAD", "r");
    if (!f)
        return;
    char line[512];
    if (!fgets(line, sizeof(line), f)) {
        fclose(f);
        return;
    }
    fclose(f);
    line[strcspn(line, "\r\n")] = '\0';
    if (strncmp(line, "ref: ", 5) != 0) {
        snprintf(out, len, "%.12s", line);
        return;
    }
    char path[600];
    snprintf(path, sizeof(path), ".git/%s", line + 5);
    f = fopen(path, "r");
    if (f) {
        char h[128];
        if (fgets(h, sizeof(h), f))
            snprintf(out, len, "%.12s", h);
        fclose(f);
        return;
    }
    f = fopen(".git/packed-refs", "r");
    if (!f)
        return;
    char pl[700];
    while (fgets(pl, sizeof(pl), f)) {
        pl[strcspn(pl, "\r\n")] = '\0';
        char *sp = strchr(pl, ' ');
        if (sp && !strcmp(sp + 1, line + 5)) {
            snprintf(out, len, "%.12s", pl);
            break;
        }
    }
    fclose(f);
}

const char *replay_qemu_env(const char *arch)
{
    if (!arch)
        return NULL;
    if (!strcmp(arch, "x86_64"))
        return "DUMPBENCH_QEMU_X86_64";
    if (!strcmp(arch, "s390x"))
        return "DUMPBENCH_QEMU_S390X";
    if (!strcmp(arch, "ppc64"))
        return "DUMPBENCH_QEMU_PPC64";
    return NULL;
}

/* ---- deterministic execution settings --------------------------------------------- */

const char *replay_exec_name(enum replay_exec m)
{
    switch (m) {
    case REPLAY_EXEC_ICOUNT: return "icount";
    case REPLAY_EXEC_RR_RECORD: return "rr-record";
    case REPLAY_EXEC_RR_REPLAY: return "rr-replay";
    case REPLAY_EXEC_SCRIPT: return "script";
    default: return "none";
    }
}

int replay_exec_from_name(const char *name)
{
    static const enum replay_exec all[] = { REPLAY_EXEC_NONE, REPLAY_EXEC_ICOUNT,
                                            REPLAY_EXEC_RR_RECORD, REPLAY_EXEC_RR_REPLAY,
                                            REPLAY_EXEC_SCRIPT };
    for (size_t i = 0; name && i < sizeof(all) / sizeof(all[0]); i++)
        if (!strcmp(name, replay_exec_name(all[i])))
            return (int)all[i];
    return -1;
}

int replay_exec_default_shift(const char *arch)
{
    if (arch && !strcmp(arch, "x86_64"))
        return 5;
    if (arch && !strcmp(arch, "s390x"))
        return 3;   /* not avocado's 9: measured, see replay.h */
    return 7;
}

int replay_exec_parse(const char *record, const char *rr_replay, struct replay_exec_cfg *c,
                      char *err, size_t errlen)
{
    memset(c, 0, sizeof(*c));
    c->mode = REPLAY_EXEC_NONE;
    c->shift = -1;
    if (record && *record) {
        size_t wl = strcspn(record, ",");
        if (wl == 4 && !strncmp(record, "none", 4))
            c->mode = REPLAY_EXEC_NONE;
        else if (wl == 6 && !strncmp(record, "icount", 6))
            c->mode = REPLAY_EXEC_ICOUNT;
        else if (wl == 6 && !strncmp(record, "script", 6))
            c->mode = REPLAY_EXEC_SCRIPT;
        else if (wl == 2 && !strncmp(record, "rr", 2))
            c->mode = REPLAY_EXEC_RR_RECORD;
        else {
            snprintf(err, errlen, "DUMPBENCH_RECORD: mode '%.*s' is not one of none, icount, script, rr",
                     (int)(wl > 40 ? 40 : wl), record);
            return -1;
        }
        for (const char *p = record + wl; *p == ',';) {
            p++;
            size_t ol = strcspn(p, ",");
            if (ol > 6 && !strncmp(p, "shift=", 6)) {
                char num[16];
                size_t nl = ol - 6;
                char *end = NULL;
                long v = -1;
                if (nl < sizeof(num)) {
                    memcpy(num, p + 6, nl);
                    num[nl] = '\0';
                    errno = 0;
                    v = strtol(num, &end, 10);
                    if (errno || !end || *end)
                        v = -1;
                }
                if (v < 0 || v > REPLAY_SHIFT_MAX) {
                    snprintf(err, errlen, "DUMPBENCH_RECORD: shift '%.*s' is not a number "
                             "0..%d", (int)(nl > 20 ? 20 : nl), p + 6, REPLAY_SHIFT_MAX);
                    return -1;
                }
                c->shift = (int)v;
            } else {
                snprintf(err, errlen, "DUMPBENCH_RECORD: unknown option '%.*s' (expected "
                         "shift=N)", (int)(ol > 40 ? 40 : ol), p);
                return -1;
            }
            p += ol;
        }
        if (c->mode == REPLAY_EXEC_NONE && c->shift >= 0) {
            snprintf(err, errlen, "DUMPBENCH_RECORD: shift= needs mode icount or rr");
            return -1;
        }
    }
    if (rr_replay && *rr_replay) {
        if (record && *record && c->mode != REPLAY_EXEC_RR_RECORD) {
            snprintf(err, errlen, "DUMPBENCH_RR_REPLAY needs DUMPBENCH_RECORD=rr (is '%.40s')",
                     record);
            return -1;
        }
        if (strlen(rr_replay) >= sizeof(c->rr_file) || strchr(rr_replay, ',')) {
            snprintf(err, errlen, "DUMPBENCH_RR_REPLAY: path too long or contains ',' "
                     "(QEMU's -icount option syntax)");
            return -1;
        }
        c->mode = REPLAY_EXEC_RR_REPLAY;
        snprintf(c->rr_file, sizeof(c->rr_file), "%s", rr_replay);
    }
    return 0;
}

int replay_exec_from_env(struct replay_exec_cfg *c, char *err, size_t errlen)
{
    return replay_exec_parse(getenv("DUMPBENCH_RECORD"), getenv("DUMPBENCH_RR_REPLAY"), c, err,
                             errlen);
}

/* First line of `BIN --version` (QEMU prints "QEMU emulator version ..."). */
static void qemu_version(const char *bin, char *out, size_t len)
{
    snprintf(out, len, "unknown");
    if (!bin || strchr(bin, '\'') || access(bin, X_OK) != 0)
        return;
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "'%s' --version 2>/dev/null", bin);
    FILE *p = popen(cmd, "r");
    if (!p)
        return;
    char line[256];
    if (fgets(line, sizeof(line), p)) {
        line[strcspn(line, "\r\n")] = '\0';
        snprintf(out, len, "%s", line);
    }
    pclose(p);
}

/* The QEMU command line the backend logged ("... qemu-system-... args"). */
static void qemu_cmdline(const char *run_dir, char *out, size_t len)
{
    out[0] = '\0';
    char path[4200];
    snprintf(path, sizeof(path), "%s/backend.log", run_dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char *line = malloc(LINE_MAX_LEN);
    if (line) {
        while (fgets(line, LINE_MAX_LEN, f)) {
            /* the binary followed by its options: "... qemu-system-s390x -M ..." */
            char *q = strstr(line, "qemu-system-");
            if (!q)
                continue;
            char *sp = strchr(q, ' ');
            if (!sp || sp[1] != '-')
                continue;
            while (q > line && q[-1] != ' ' && q[-1] != ':')
                q--;
            q[strcspn(q, "\r\n")] = '\0';
            snprintf(out, len, "%s", q);
            break;
        }
        free(line);
    }
    fclose(f);
}

static int write_manifest(const char *path, const struct golden_manifest *m)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "dumpbench-golden %d\nsize %" PRIu64 "\nxxh64 %016" PRIx64 "\npages %" PRIu64 "\n",
            GOLDEN_VERSION, m->size, m->hash, m->npages);
    for (uint64_t i = 0; i < m->npages;) {
        if (m->page_zero && m->page_zero[i]) {
            uint64_t j = i;
            while (j < m->npages && m->page_zero[j])
                j++;
            fprintf(f, "zero %" PRIu64 " %" PRIu64 "\n", i, j - i);
            i = j;
        } else {
            fprintf(f, "page %" PRIu64 " %016" PRIx64 "\n", i, m->page_hash[i]);
            i++;
        }
    }
    int bad = ferror(f);
    return fclose(f) != 0 || bad ? -1 : 0;
}

int replay_record(const struct replay_run_info *ri, char *err, size_t errlen)
{
    const struct scenario *s = ri->s;
    const struct run_result *res = ri->res;
    char path[4200], tmp[4300];
    if (s->path) {
        snprintf(path, sizeof(path), "%s/%s", ri->run_dir, REPLAY_SCENARIO);
        struct stat a, b;
        /* replaying from the run dir itself: the copy is already there */
        if (!(stat(s->path, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino &&
              a.st_dev == b.st_dev) &&
            copy_file(s->path, path, err, errlen) != 0)
            return -1;
    }
    snprintf(path, sizeof(path), "%s/%s", ri->run_dir, REPLAY_PROFILE);
    if (ri->profile) {
        snprintf(tmp, sizeof(tmp), "%s.tmp", path);
        FILE *f = fopen(tmp, "w");
        if (!f) {
            snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
            return -1;
        }
        fprintf(f, "# resolved firmware profile of this run (source: %s%s%s)\n",
                ri->profile->source[0] ? ri->profile->source : "built-in",
                ri->profile->base[0] ? ", base " : "", ri->profile->base);
        int bad = fwp_write(f, ri->profile);
        if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
            snprintf(err, errlen, "%s: write failed", path);
            unlink(tmp);
            return -1;
        }
    } else {
        unlink(path);
    }
    /* image hashes */
    struct golden_manifest m;
    memset(&m, 0, sizeof(m));
    bool have_image = false;
    char mpath[4200];
    snprintf(mpath, sizeof(mpath), "%s/%s.manifest", ri->run_dir, REPLAY_MANIFEST_NAME);
    if (res->image_path[0]) {
        char herr[512];
        if (golden_hash_file(res->image_path, &m, herr, sizeof(herr)) != GOLDEN_OK) {
            snprintf(err, errlen, "hash %s: %s", res->image_path, herr);
            return -1;
        }
        have_image = true;
        if (write_manifest(mpath, &m) != 0) {
            golden_manifest_free(&m);
            snprintf(err, errlen, "%s: write failed", mpath);
            return -1;
        }
    } else {
        unlink(mpath);
    }
    snprintf(path, sizeof(path), "%s/%s", ri->run_dir, REPLAY_RECORD);
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        golden_manifest_free(&m);
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        return -1;
    }
    fprintf(f, "dumpbench-run %d\n", REPLAY_RECORD_VERSION);
    put_text(f, "scenario", s->name);
    put_text(f, "scenario-file", s->path ? s->path : "");
    put_text(f, "backend", ri->backend);
    put_text(f, "arch", scn_arch_name(s->machine.arch));
    fprintf(f, "seed %" PRIu64 "\n", s->machine.seed);
    put_text(f, "golden-dir", ri->golden_dir ? ri->golden_dir : "scenarios/golden");
    if (ri->profile) {
        put_text(f, "profile", ri->profile->name);
        put_text(f, "profile-source", ri->profile->source[0] ? ri->profile->source : "built-in");
        put_text(f, "profile-override", ri->profile_override ? "yes" : "no");
    }
    char commit[64];
    git_commit(commit, sizeof(commit));
    fprintf(f, "tool dumpbench git=%s cc=%s\n", commit, __VERSION__);
    struct utsname u;
    if (uname(&u) == 0)
        fprintf(f, "host %s %s %s\n", u.sysname, u.release, u.machine);
    if (strcmp(ri->backend, "sim") != 0) {
        const char *env = replay_qemu_env(scn_arch_name(s->machine.arch));
        const char *bin = env ? getenv(env) : NULL;
        char ver[256], cl[4096];
        put_text(f, "qemu-binary", bin && *bin ? bin : "(PATH)");
        qemu_version(bin, ver, sizeof(ver));
        put_text(f, "qemu-version", ver);
        qemu_cmdline(ri->run_dir, cl, sizeof(cl));
        if (cl[0])
            put_text(f, "qemu-cmdline", cl);
        /* the deterministic-execution mode the backend ran with (qemu_record.c) */
        struct replay_exec_cfg xc;
        char xerr[256];
        const char *arch = scn_arch_name(s->machine.arch);
        if (replay_exec_from_env(&xc, xerr, sizeof(xerr)) == 0) {
            int shift = xc.shift >= 0 ? xc.shift : replay_exec_default_shift(arch);
            if (xc.mode == REPLAY_EXEC_NONE)
                fprintf(f, "record-mode none\n");
            else
                fprintf(f, "record-mode %s shift=%d\n", replay_exec_name(xc.mode), shift);
            char rr[4200];
            if (xc.mode == REPLAY_EXEC_RR_RECORD)
                snprintf(rr, sizeof(rr), "%s/%s", ri->run_dir, REPLAY_RR_FILE);
            else
                snprintf(rr, sizeof(rr), "%s", xc.rr_file);
            struct stat rst;
            if (xc.mode >= REPLAY_EXEC_RR_RECORD && rr[0] && stat(rr, &rst) == 0)
                fprintf(f, "rr-file %s %" PRIu64 "\n",
                        xc.mode == REPLAY_EXEC_RR_RECORD ? REPLAY_RR_FILE : rr,
                        (uint64_t)rst.st_size);
        }
    }
    /* the harness's own settings (guest and kernel paths, cache, QEMU
     * binaries): `dumpbench replay` sets them again unless already set */
    for (char **e = environ; e && *e; e++)
        if (!strncmp(*e, "DUMPBENCH_", 10) && strchr(*e, '='))
            put_text(f, "env", *e);
    put_text(f, "verdict", status_word(ri->status));
    put_text(f, "first", ri->first ? ri->first : "");
    put_text(f, "outcome", run_outcome_name(res->outcome));
    put_text(f, "reason", res->reason);
    fprintf(f, "cpus-online %u\n", res->cpus_online);
    if (res->image) {
        size_t n = 0;
        for (size_t i = 0; i < res->image->ncpus; i++)
            n += res->image->cpus[i].present != 0;
        fprintf(f, "dump-cpus %zu\n", n);
    } else {
        fprintf(f, "dump-cpus none\n");
    }
    for (size_t i = 0; i < res->nrcs; i++)
        fprintf(f, "rc %s %" PRId64 " %d\n", res->rcs[i].op, res->rcs[i].rc, res->rcs[i].line);
    for (size_t i = 0; i < res->nphases; i++)
        fprintf(f, "phase %s %.6f\n", res->phases[i].name, res->phases[i].seconds);
    if (have_image) {
        const char *img = res->image_path;
        size_t dl = strlen(ri->run_dir);
        if (!strncmp(img, ri->run_dir, dl) && img[dl] == '/')
            img += dl + 1;
        fprintf(f, "image %s %" PRIu64 " %016" PRIx64 "\n", img, m.size, m.hash);
    } else {
        fprintf(f, "image none\n");
    }
    golden_manifest_free(&m);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
        unlink(tmp);
        snprintf(err, errlen, "%s: write failed", path);
        return -1;
    }
    return 0;
}

/* ---- reading ------------------------------------------------------------------- */

static int rerr(char *err, size_t errlen, const char *path, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int rerr(char *err, size_t errlen, const char *path, int line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (line)
        snprintf(err, errlen, "%s:%d: %s", path, line, msg);
    else
        snprintf(err, errlen, "%s: %s", path, msg);
    return -1;
}

static void set_str(char *dst, size_t len, const char *v)
{
    snprintf(dst, len, "%s", v);
}

int run_record_read(const char *run_dir, struct run_record *r, char *err, size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s", run_dir, REPLAY_RECORD);
    memset(r, 0, sizeof(*r));
    r->dump_cpus = -1;
    r->record_shift = -1;
    FILE *f = fopen(path, "r");
    if (!f)
        return rerr(err, errlen, path, 0, "%s", strerror(errno));
    char *line = malloc(LINE_MAX_LEN);
    if (!line) {
        fclose(f);
        return rerr(err, errlen, path, 0, "out of memory");
    }
    int ln = 0, rc = 0;
    bool have_hdr = false, have_verdict = false, have_outcome = false, have_image = false;
    while (rc == 0 && fgets(line, LINE_MAX_LEN, f)) {
        ln++;
        size_t l = strlen(line);
        if (l && line[l - 1] != '\n' && !feof(f)) {
            rc = rerr(err, errlen, path, ln, "line too long");
            break;
        }
        line[strcspn(line, "\r\n")] = '\0';
        char *sp = strchr(line, ' ');
        const char *v = sp ? sp + 1 : "";
        if (sp)
            *sp = '\0';
        const char *k = line;
        if (!have_hdr) {
            if (strcmp(k, "dumpbench-run") != 0 || atoi(v) != REPLAY_RECORD_VERSION) {
                rc = rerr(err, errlen, path, ln, "not a dumpbench-run %d record",
                          REPLAY_RECORD_VERSION);
                break;
            }
            have_hdr = true;
            continue;
        }
        if (!strcmp(k, "scenario")) set_str(r->scenario, sizeof(r->scenario), v);
        else if (!strcmp(k, "scenario-file")) set_str(r->scenario_file, sizeof(r->scenario_file), v);
        else if (!strcmp(k, "backend")) set_str(r->backend, sizeof(r->backend), v);
        else if (!strcmp(k, "arch")) set_str(r->arch, sizeof(r->arch), v);
        else if (!strcmp(k, "seed")) r->seed = strtoull(v, NULL, 10);
        else if (!strcmp(k, "golden-dir")) set_str(r->golden_dir, sizeof(r->golden_dir), v);
        else if (!strcmp(k, "profile")) set_str(r->profile, sizeof(r->profile), v);
        else if (!strcmp(k, "profile-source")) set_str(r->profile_source, sizeof(r->profile_source), v);
        else if (!strcmp(k, "profile-override")) r->profile_override = !strcmp(v, "yes");
        else if (!strcmp(k, "tool")) set_str(r->tool, sizeof(r->tool), v);
        else if (!strcmp(k, "host")) set_str(r->host, sizeof(r->host), v);
        else if (!strcmp(k, "qemu-binary")) set_str(r->qemu_binary, sizeof(r->qemu_binary), v);
        else if (!strcmp(k, "qemu-version")) set_str(r->qemu_version, sizeof(r->qemu_version), v);
        else if (!strcmp(k, "qemu-cmdline")) set_str(r->qemu_cmdline, sizeof(r->qemu_cmdline), v);
        else if (!strcmp(k, "record-mode")) {
            char mode[16];
            int shift = -1, used = 0;
            if (sscanf(v, "%15s%n", mode, &used) != 1 || replay_exec_from_name(mode) < 0)
                rc = rerr(err, errlen, path, ln, "record-mode: expected none, icount, "
                          "rr-record or rr-replay");
            else if (v[used] && (sscanf(v + used, " shift=%d", &shift) != 1 || shift < 0 ||
                                 shift > REPLAY_SHIFT_MAX))
                rc = rerr(err, errlen, path, ln, "record-mode: expected shift=0..%d after "
                          "the mode", REPLAY_SHIFT_MAX);
            else {
                set_str(r->record_mode, sizeof(r->record_mode), mode);
                r->record_shift = shift;
            }
        } else if (!strcmp(k, "rr-file")) {
            const char *sp2 = strrchr(v, ' ');
            char *end = NULL;
            unsigned long long sz = sp2 ? strtoull(sp2 + 1, &end, 10) : 0;
            if (!sp2 || sp2 == v || !end || *end || end == sp2 + 1 ||
                (size_t)(sp2 - v) >= sizeof(r->rr_file))
                rc = rerr(err, errlen, path, ln, "rr-file: expected PATH SIZE");
            else {
                snprintf(r->rr_file, sizeof(r->rr_file), "%.*s", (int)(sp2 - v), v);
                r->rr_size = sz;
            }
        }
        else if (!strcmp(k, "env")) {
            if (strncmp(v, "DUMPBENCH_", 10) != 0 || !strchr(v, '=')) {
                rc = rerr(err, errlen, path, ln, "env: expected DUMPBENCH_NAME=VALUE");
            } else if (r->nenv < sizeof(r->env) / sizeof(r->env[0])) {
                size_t vl = strlen(v) + 1;
                if (r->env_used + vl <= sizeof(r->env_buf)) {
                    memcpy(r->env_buf + r->env_used, v, vl);
                    r->env[r->nenv++] = r->env_buf + r->env_used;
                    r->env_used += vl;
                }
            }
        }
        else if (!strcmp(k, "verdict")) { set_str(r->verdict, sizeof(r->verdict), v); have_verdict = true; }
        else if (!strcmp(k, "first")) set_str(r->first, sizeof(r->first), v);
        else if (!strcmp(k, "outcome")) { set_str(r->outcome, sizeof(r->outcome), v); have_outcome = true; }
        else if (!strcmp(k, "reason")) set_str(r->reason, sizeof(r->reason), v);
        else if (!strcmp(k, "cpus-online")) r->cpus_online = (unsigned)strtoul(v, NULL, 10);
        else if (!strcmp(k, "dump-cpus")) r->dump_cpus = !strcmp(v, "none") ? -1 : atoi(v);
        else if (!strcmp(k, "rc")) {
            char op[32];
            int64_t val;
            int at;
            if (sscanf(v, "%31s %" SCNd64 " %d", op, &val, &at) != 3) {
                rc = rerr(err, errlen, path, ln, "rc: expected OP VALUE LINE");
            } else if (r->nrcs < sizeof(r->rcs) / sizeof(r->rcs[0])) {
                struct run_rc *e = &r->rcs[r->nrcs++];
                snprintf(e->op, sizeof(e->op), "%s", op);
                e->rc = val;
                e->line = at;
            }
        } else if (!strcmp(k, "phase")) {
            char name[24];
            double sec;
            if (sscanf(v, "%23s %lf", name, &sec) != 2) {
                rc = rerr(err, errlen, path, ln, "phase: expected NAME SECONDS");
            } else if (r->nphases < sizeof(r->phases) / sizeof(r->phases[0])) {
                struct run_phase *p = &r->phases[r->nphases++];
                snprintf(p->name, sizeof(p->name), "%s", name);
                p->seconds = sec;
            }
        } else if (!strcmp(k, "image")) {
            have_image = true;
            if (strcmp(v, "none") != 0) {
                char file[256];
                uint64_t size, hash;
                if (sscanf(v, "%255s %" SCNu64 " %" SCNx64, file, &size, &hash) != 3) {
                    rc = rerr(err, errlen, path, ln, "image: expected FILE SIZE XXH64");
                } else {
                    r->has_image = true;
                    snprintf(r->image, sizeof(r->image), "%s", file);
                    r->image_size = size;
                    r->image_hash = hash;
                }
            }
        } else {
            rc = rerr(err, errlen, path, ln, "unknown key '%.40s'", k);
        }
    }
    free(line);
    fclose(f);
    if (rc == 0 && (!have_hdr || !have_verdict || !have_outcome || !have_image || !r->scenario[0]))
        rc = rerr(err, errlen, path, 0, "incomplete record (needs scenario, verdict, outcome, "
                  "image)");
    return rc;
}

/* ---- comparison ------------------------------------------------------------------ */

static void rcs_of(const struct run_record *r, const char *op, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->nrcs; i++) {
        if (strcmp(r->rcs[i].op, op) != 0)
            continue;
        int w = snprintf(buf + used, used < len ? len - used : 0, "%s%" PRId64 " (line %d)",
                         used ? ", " : "", r->rcs[i].rc, r->rcs[i].line);
        if (w > 0)
            used += (size_t)w;
        if (used >= len)
            break;
    }
    if (!buf[0])
        snprintf(buf, len, "not called");
}

static bool has_op(const struct run_record *r, const char *op, size_t before)
{
    for (size_t i = 0; i < before && i < r->nrcs; i++)
        if (!strcmp(r->rcs[i].op, op))
            return true;
    return false;
}

static bool has_phase(const struct run_record *r, const char *name)
{
    for (size_t i = 0; i < r->nphases; i++)
        if (!strcmp(r->phases[i].name, name))
            return true;
    return false;
}

#define DIFF(...)                                           \
    do {                                                    \
        nd++;                                               \
        if (out) {                                          \
            fprintf(out, "%s", indent ? indent : "");       \
            fprintf(out, __VA_ARGS__);                      \
            fputc('\n', out);                               \
        }                                                   \
    } while (0)

/* A line that explains the difference before it (not counted). */
#define DETAIL(...)                                         \
    do {                                                    \
        if (out) {                                          \
            fprintf(out, "%s", indent ? indent : "");       \
            fprintf(out, __VA_ARGS__);                      \
            fputc('\n', out);                               \
        }                                                   \
    } while (0)

static int compare_images(const struct run_record *a, const char *dir_a,
                          const struct run_record *b, const char *dir_b, FILE *out,
                          const char *indent, char *err, size_t errlen)
{
    int nd = 0;
    if (!a->has_image && !b->has_image)
        return 0;
    if (a->has_image != b->has_image) {
        DIFF("dump: %s -> %s", a->has_image ? "captured" : "none",
             b->has_image ? "captured" : "none");
        return nd;
    }
    if (a->image_size == b->image_size && a->image_hash == b->image_hash)
        return 0;
    struct golden_manifest ma, mb;
    char e[512];
    if (golden_read_manifest(dir_a, REPLAY_MANIFEST_NAME, &ma, e, sizeof(e)) != GOLDEN_OK) {
        snprintf(err, errlen, "%s: %s", dir_a, e);
        return -1;
    }
    if (golden_read_manifest(dir_b, REPLAY_MANIFEST_NAME, &mb, e, sizeof(e)) != GOLDEN_OK) {
        golden_manifest_free(&ma);
        snprintf(err, errlen, "%s: %s", dir_b, e);
        return -1;
    }
    uint64_t common = ma.npages < mb.npages ? ma.npages : mb.npages;
    uint64_t ndiff = 0, first = UINT64_MAX;
    for (uint64_t i = 0; i < common; i++) {
        if (ma.page_hash[i] != mb.page_hash[i]) {
            if (first == UINT64_MAX)
                first = i;
            ndiff++;
        }
    }
    uint64_t extra = ma.npages > mb.npages ? ma.npages - mb.npages : mb.npages - ma.npages;
    if (first == UINT64_MAX && extra)
        first = common;
    DIFF("dump bytes: size %" PRIu64 " -> %" PRIu64 ", xxh64 %016" PRIx64 " -> %016" PRIx64
         "; first differing page at file offset 0x%" PRIx64 "; %" PRIu64 " of %" PRIu64
         " common pages differ, %" PRIu64 " pages only in the %s",
         a->image_size, b->image_size, a->image_hash, b->image_hash,
         first == UINT64_MAX ? (uint64_t)0 : first * GOLDEN_PAGE, ndiff, common, extra,
         ma.npages > mb.npages ? "first" : "second");
    golden_manifest_free(&ma);
    golden_manifest_free(&mb);
    /* the byte-level first difference, named by structure, when both
     * images are still in their run dirs */
    char ia[4400], ib[4400], msg[512];
    snprintf(ia, sizeof(ia), "%s/%s", dir_a, a->image);
    snprintf(ib, sizeof(ib), "%s/%s", dir_b, b->image);
    if (a->image[0] != '/' && b->image[0] != '/' && access(ia, R_OK) == 0 &&
        access(ib, R_OK) == 0 && cmp_files(ia, ib, msg, sizeof(msg)) == 1)
        DETAIL("first byte difference: %s", msg);
    return nd;
}

int replay_compare(const struct run_record *a, const char *dir_a, const struct run_record *b,
                   const char *dir_b, FILE *out, const char *indent, char *err, size_t errlen)
{
    int nd = 0;
    if (strcmp(a->verdict, b->verdict) != 0)
        DIFF("verdict: %s -> %s%s%s%s", a->verdict, b->verdict, b->first[0] ? " (" : "",
             b->first[0] ? b->first : "", b->first[0] ? ")" : "");
    if (b->first[0] && strcmp(a->verdict, b->verdict) == 0 && strcmp(b->verdict, "PASS") != 0 &&
        strcmp(a->first, b->first) != 0)
        DIFF("first failure: '%s' -> '%s'", a->first, b->first);
    if (strcmp(a->outcome, b->outcome) != 0)
        DIFF("outcome: %s -> %s", a->outcome, b->outcome);
    if (strcmp(a->reason, b->reason) != 0)
        DIFF("reason: '%s' -> '%s'", a->reason, b->reason);
    /* firmware return codes, per op (each op once, in first-seen order) */
    for (int pass = 0; pass < 2; pass++) {
        const struct run_record *x = pass ? b : a, *y = pass ? a : b;
        for (size_t i = 0; i < x->nrcs; i++) {
            const char *op = x->rcs[i].op;
            if (has_op(x, op, i) || (pass && has_op(y, op, y->nrcs)))
                continue;
            char ra[512], rb[512];
            rcs_of(a, op, ra, sizeof(ra));
            rcs_of(b, op, rb, sizeof(rb));
            if (strcmp(ra, rb) != 0)
                DIFF("firmware rc %s: %s -> %s", op, ra, rb);
        }
    }
    if (a->dump_cpus != b->dump_cpus) {
        char ca[16], cb[16];
        snprintf(ca, sizeof(ca), "%d", a->dump_cpus);
        snprintf(cb, sizeof(cb), "%d", b->dump_cpus);
        DIFF("CPUs in the dump: %s -> %s", a->dump_cpus < 0 ? "no dump" : ca,
             b->dump_cpus < 0 ? "no dump" : cb);
    }
    if (a->cpus_online != b->cpus_online)
        DIFF("CPUs online at the crash: %u -> %u", a->cpus_online, b->cpus_online);
    for (size_t i = 0; i < a->nphases; i++)
        if (!has_phase(b, a->phases[i].name))
            DIFF("phase %s: ran -> did not run", a->phases[i].name);
    for (size_t i = 0; i < b->nphases; i++)
        if (!has_phase(a, b->phases[i].name))
            DIFF("phase %s: did not run -> ran", b->phases[i].name);
    int ni = compare_images(a, dir_a, b, dir_b, out, indent, err, errlen);
    if (ni < 0)
        return -1;
    return nd + ni;
}

#undef DIFF
#undef DETAIL

/* ---- replay ---------------------------------------------------------------------- */

int replay_run(const char *run_dir, const char *out_dir, FILE *out, FILE *tap,
               backend_lookup_fn lookup, char *err, size_t errlen)
{
    struct run_record *old = malloc(sizeof(*old)), *nw = malloc(sizeof(*nw));
    int ret = 99;
    if (!old || !nw) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    if (run_record_read(run_dir, old, err, errlen) != 0)
        goto done;
    char dir[4200], scn[4200], prof[4200];
    if (out_dir)
        snprintf(dir, sizeof(dir), "%s", out_dir);
    else
        snprintf(dir, sizeof(dir), "%s/replay", run_dir);
    snprintf(scn, sizeof(scn), "%s/%s", run_dir, REPLAY_SCENARIO);
    snprintf(prof, sizeof(prof), "%s/%s", run_dir, REPLAY_PROFILE);
    struct stat st;
    if (stat(scn, &st) != 0) {
        snprintf(err, errlen, "%s: %s (not a recorded run dir?)", scn, strerror(errno));
        goto done;
    }
    bool have_prof = old->profile[0] != '\0';
    if (have_prof && stat(prof, &st) != 0) {
        snprintf(err, errlen, "%s: %s (the record names profile %s)", prof, strerror(errno),
                 old->profile);
        goto done;
    }
    /* the recorded execution mode: an rr run replays its own log */
    int xmode = replay_exec_from_name(old->record_mode[0] ? old->record_mode : "none");
    char xrec[32] = "", xrr[4200] = "";
    if (xmode < 0) {
        snprintf(err, errlen, "%s/%s: unknown record-mode '%s'", run_dir, REPLAY_RECORD,
                 old->record_mode);
        goto done;
    }
    if (xmode != REPLAY_EXEC_NONE) {
        int shift = old->record_shift >= 0 ? old->record_shift
                                           : replay_exec_default_shift(old->arch);
        snprintf(xrec, sizeof(xrec), "%s,shift=%d",
                 xmode == REPLAY_EXEC_ICOUNT ? "icount" : xmode == REPLAY_EXEC_SCRIPT ? "script" : "rr",
                 shift);
    } else {
        /* an explicit DUMPBENCH_RECORD=none stays explicit (the ppc64 backend
         * keeps its vmcore for the record whenever the variable is set) */
        for (size_t i = 0; i < old->nenv; i++)
            if (!strncmp(old->env[i], "DUMPBENCH_RECORD=", 17) && old->env[i][17])
                snprintf(xrec, sizeof(xrec), "none");
    }
    if (xmode == REPLAY_EXEC_RR_RECORD || xmode == REPLAY_EXEC_RR_REPLAY) {
        char rel[4200];
        if (!old->rr_file[0]) {
            snprintf(err, errlen, "%s/%s: record-mode %s but no rr-file (the recording left no "
                     "log)", run_dir, REPLAY_RECORD, old->record_mode);
            goto done;
        }
        if (old->rr_file[0] == '/')
            snprintf(rel, sizeof(rel), "%s", old->rr_file);
        else
            snprintf(rel, sizeof(rel), "%s/%s", run_dir, old->rr_file);
        if (!realpath(rel, xrr)) {
            snprintf(err, errlen, "rr log %s: %s (recorded with %s)", rel, strerror(errno),
                     old->record_mode);
            goto done;
        }
        if (stat(xrr, &st) != 0 || (uint64_t)st.st_size != old->rr_size) {
            snprintf(err, errlen, "rr log %s: size %" PRIu64 ", the record says %" PRIu64, xrr,
                     (uint64_t)st.st_size, old->rr_size);
            goto done;
        }
    }
    /* set for the re-run only; the caller's values come back afterwards */
    const char *xnames[2] = { "DUMPBENCH_RECORD", "DUMPBENCH_RR_REPLAY" };
    const char *xvals[2] = { xrec, xrr };
    char *xsaved[2] = { NULL, NULL };
    bool xhad[2] = { false, false };
    for (int i = 0; i < 2; i++) {
        const char *cur = getenv(xnames[i]);
        if (cur) {
            xhad[i] = true;
            xsaved[i] = strdup(cur);
        }
        if (xvals[i][0])
            setenv(xnames[i], xvals[i], 1);
        else
            unsetenv(xnames[i]);
    }
    FILE *devnull = NULL;
    if (!tap)
        tap = devnull = fopen("/dev/null", "w");
    struct run_opts o;
    memset(&o, 0, sizeof(o));
    o.backend = old->backend;
    o.golden_dir = old->golden_dir[0] ? old->golden_dir : NULL;
    o.run_dir = dir;
    o.tap = tap;
    o.no_default_reports = true;
    o.progress = 0;
    o.profile = have_prof ? prof : NULL;
    o.lookup = lookup;
    const char *files[1] = { scn };
    fprintf(out, "replay: %s (backend %s, arch %s, seed %" PRIu64 ", profile %s%s%s%s) into "
            "%s\n", old->scenario, old->backend, old->arch, old->seed,
            have_prof ? old->profile : "none", xrec[0] ? ", " : "",
            xrr[0] ? "rr replay of " : xrec[0] ? "DUMPBENCH_RECORD=" : "", xrr[0] ? xrr : xrec,
            dir);
    double t0 = hu_now();
    int rrc = run_files(&o, files, 1);
    double t1 = hu_now();
    for (int i = 0; i < 2; i++) {
        if (xhad[i] && xsaved[i])
            setenv(xnames[i], xsaved[i], 1);
        else
            unsetenv(xnames[i]);
        free(xsaved[i]);
    }
    if (devnull)
        fclose(devnull);
    if (rrc == 99) {
        char e2[512];
        if (run_record_read(dir, nw, e2, sizeof(e2)) != 0) {
            snprintf(err, errlen, "re-run failed (harness error) and left no record: %s", e2);
            goto done;
        }
    } else if (run_record_read(dir, nw, err, errlen) != 0) {
        goto done;
    }
    if (!strcmp(nw->verdict, "SKIP")) {
        fprintf(out, "replay: %s%s%s\n", strncmp(nw->first, "SKIPPED", 7) ? "SKIPPED: " : "",
                nw->first, !strcmp(old->verdict, "SKIP") ? " (the recorded run was skipped too)"
                                                         : "");
        ret = 77;
        goto done;
    }
    int nd = replay_compare(old, run_dir, nw, dir, NULL, NULL, err, errlen);
    if (nd < 0)
        goto done;
    if (nd == 0) {
        if (old->has_image)
            fprintf(out, "replay: identical (dump %s, %" PRIu64 " bytes, xxh64 %016" PRIx64
                    "; outcome %s; %zu firmware calls; %.2f s)\n", nw->image, nw->image_size,
                    nw->image_hash, nw->outcome, nw->nrcs, t1 - t0);
        else
            fprintf(out, "replay: identical (no dump; outcome %s%s%s; %zu firmware calls; "
                    "%.2f s)\n", nw->outcome, nw->reason[0] ? ": " : "", nw->reason, nw->nrcs,
                    t1 - t0);
        ret = 0;
    } else {
        fprintf(out, "replay: differs (%d difference%s, recorded -> replayed):\n", nd,
                nd == 1 ? "" : "s");
        (void)replay_compare(old, run_dir, nw, dir, out, "  ", err, errlen);
        ret = 1;
    }
done:
    free(old);
    free(nw);
    return ret;
}
