/*
 * dumpbench — the bench runner.
 *
 *   dumpbench run [--backend B] [--golden-dir DIR] [--update-golden]
 *                 [--junit FILE] [--run-dir DIR] FILE|DIR...
 *                 [--html FILE] [--result FILE] [--no-reports] [--shard I/N]
 *                 [--progress|--no-progress]
 *   dumpbench merge [--junit FILE] [--html FILE] [--result FILE] RESULT.json...
 *   dumpbench run ... [--profile NAME|PATH] [--profile-dir DIR] [--qemu [ARCH=]PATH]
 *   dumpbench regress [--profile NAME|PATH] [--qemu [ARCH=]PATH] [--ref DIR]
 *                     [--out DIR] [--markdown FILE] FILE|DIR...
 *   dumpbench replay [--run-dir OUT] RUN_DIR
 *   dumpbench profile show|check NAME|PATH... [--arch A]
 *   dumpbench list [DIR|FILE...]        (default: scenarios)
 *   dumpbench diff EXPECTED ACTUAL
 *   dumpbench parse FILE|DIR...
 *
 * Exit: 0 all passed, 1 some failed / dumps differ, 77 all skipped,
 * 99 harness error (bad arguments, malformed scenario, unreadable dump).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dumpfmt/dump.h>
#include <harness/compare.h>
#include <harness/profile.h>
#include <harness/regress.h>
#include <harness/replay.h>
#include <harness/run.h>
#include <harness/scenario.h>

#define EXIT_HARNESS 99

static void usage(FILE *f)
{
    fprintf(f,
            "usage: dumpbench run [--backend sim|qemu|libvirt] [--golden-dir DIR] [--update-golden]\n"
            "                     [--junit FILE] [--run-dir DIR] FILE|DIR...\n"
            "                     [--html FILE] [--result FILE] [--no-reports] [--shard I/N]\n"
            "                     [--progress|--no-progress]\n"
            "       dumpbench merge [--junit FILE] [--html FILE] [--result FILE] RESULT.json...\n"
            "       dumpbench run ... [--profile NAME|PATH] [--profile-dir DIR] [--qemu [ARCH=]PATH]\n"
            "       dumpbench regress [--profile NAME|PATH] [--qemu [ARCH=]PATH] [--ref RUNS_DIR]\n"
            "                         [--out DIR] [--markdown FILE] [--backend B] FILE|DIR...\n"
            "       dumpbench replay [--run-dir OUT] RUN_DIR\n"
            "       dumpbench profile show|check [--arch s390x|ppc64] NAME|PATH...\n"
            "       dumpbench list [DIR|FILE...]\n"
            "       dumpbench diff EXPECTED ACTUAL\n"
            "       dumpbench parse FILE|DIR...\n"
            "exit: 0 passed, 1 failed/differ, 77 all skipped, 99 harness error\n");
}

struct flist {
    char **v;
    size_t n, cap;
};

static int flist_add(struct flist *l, const char *path)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        char **nv = realloc(l->v, nc * sizeof(*nv));
        if (!nv)
            return -1;
        l->v = nv;
        l->cap = nc;
    }
    if (!(l->v[l->n] = strdup(path)))
        return -1;
    l->n++;
    return 0;
}

static void flist_free(struct flist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add FILE, or every *.scn under DIR (recursively, sorted). */
static int collect(struct flist *l, const char *path, int depth)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        fprintf(stderr, "dumpbench: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return flist_add(l, path);
    if (depth > 8)
        return 0;
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "dumpbench: %s: %s\n", path, strerror(errno));
        return -1;
    }
    struct flist sub = { 0 };
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char p[4096];
        snprintf(p, sizeof(p), "%s/%s", path, e->d_name);
        struct stat es;
        if (stat(p, &es) < 0)
            continue;
        size_t nl = strlen(e->d_name);
        if (S_ISDIR(es.st_mode) || (nl > 4 && strcmp(e->d_name + nl - 4, ".scn") == 0))
            if (flist_add(&sub, p) < 0)
                rc = -1;
    }
    closedir(d);
    if (sub.n)
        qsort(sub.v, sub.n, sizeof(*sub.v), cmp_str);
    for (size_t i = 0; i < sub.n && rc == 0; i++) {
        struct stat es;
        if (stat(sub.v[i], &es) == 0 && S_ISDIR(es.st_mode))
            rc = collect(l, sub.v[i], depth + 1);
        else
            rc = flist_add(l, sub.v[i]);
    }
    flist_free(&sub);
    return rc;
}

static int collect_args(struct flist *l, int argc, char **argv, const char *dflt)
{
    if (argc == 0 && dflt)
        return collect(l, dflt, 0);
    for (int i = 0; i < argc; i++)
        if (collect(l, argv[i], 0) < 0)
            return -1;
    return 0;
}

/*
 * --qemu [ARCH=]PATH: the QEMU binary for this process's runs, through the
 * env vars the QEMU backends read.  Without ARCH= the arch comes from the
 * binary's name (qemu-system-s390x ...); a name naming none sets all three.
 */
static int set_qemu_env(const char *arg)
{
    static const char *const archs[] = { "x86_64", "s390x", "ppc64" };
    const char *eq = strchr(arg, '=');
    const char *path = eq ? eq + 1 : arg;
    char arch[16] = "";
    if (eq) {
        snprintf(arch, sizeof(arch), "%.*s", (int)(eq - arg), arg);
        if (!replay_qemu_env(arch)) {
            fprintf(stderr, "dumpbench: --qemu %s: unknown arch '%s' (x86_64, s390x, ppc64)\n",
                    arg, arch);
            return -1;
        }
    }
    if (access(path, X_OK) != 0) {
        fprintf(stderr, "dumpbench: --qemu %s: %s\n", path, strerror(errno));
        return -1;
    }
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    for (size_t i = 0; i < 3; i++) {
        bool named = arch[0] ? !strcmp(arch, archs[i]) : strstr(base, archs[i]) != NULL;
        bool any = false;
        for (size_t j = 0; j < 3 && !arch[0]; j++)
            any |= strstr(base, archs[j]) != NULL;
        if (named || (!arch[0] && !any))
            setenv(replay_qemu_env(archs[i]), path, 1);
    }
    return 0;
}

static int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "backend", required_argument, NULL, 'b' },
        { "golden-dir", required_argument, NULL, 'g' },
        { "update-golden", no_argument, NULL, 'u' },
        { "junit", required_argument, NULL, 'j' },
        { "run-dir", required_argument, NULL, 'r' },
        { "html", required_argument, NULL, 'H' },
        { "result", required_argument, NULL, 'R' },
        { "no-reports", no_argument, NULL, 'N' },
        { "shard", required_argument, NULL, 'S' },
        { "progress", no_argument, NULL, 'P' },
        { "no-progress", no_argument, NULL, 'Q' },
        { "profile", required_argument, NULL, 'F' },
        { "profile-dir", required_argument, NULL, 'D' },
        { "qemu", required_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct run_opts o = { 0 };
    o.progress = -1;
    char serr[128];
    optind = 1;
    opterr = 1;
    int c;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': o.backend = optarg; break;
        case 'g': o.golden_dir = optarg; break;
        case 'u': o.update_golden = true; break;
        case 'j': o.junit = optarg; break;
        case 'r': o.run_dir = optarg; break;
        case 'H': o.html = optarg; break;
        case 'R': o.result = optarg; break;
        case 'N': o.no_default_reports = true; break;
        case 'P': o.progress = 1; break;
        case 'Q': o.progress = 0; break;
        case 'F': o.profile = optarg; break;
        case 'D': o.profile_dir = optarg; break;
        case 'q':
            if (set_qemu_env(optarg) < 0)
                return EXIT_HARNESS;
            break;
        case 'S':
            if (run_parse_shard(optarg, &o.shard_index, &o.shard_count, serr, sizeof(serr)) < 0) {
                fprintf(stderr, "dumpbench run: %s\n", serr);
                return EXIT_HARNESS;
            }
            break;
        case 'h': usage(stdout); return 0;
        default:
            fprintf(stderr, "dumpbench run: bad arguments\n");
            usage(stderr);
            return EXIT_HARNESS;
        }
    }
    if (o.backend && strcmp(o.backend, "sim") != 0 && strcmp(o.backend, "qemu") != 0 &&
        strcmp(o.backend, "libvirt") != 0) {
        fprintf(stderr, "dumpbench run: unknown backend '%s' (sim, qemu, libvirt)\n", o.backend);
        return EXIT_HARNESS;
    }
    if (optind >= argc) {
        fprintf(stderr, "dumpbench run: no scenario files\n");
        usage(stderr);
        return EXIT_HARNESS;
    }
    struct flist l = { 0 };
    if (collect_args(&l, argc - optind, argv + optind, NULL) < 0) {
        flist_free(&l);
        return EXIT_HARNESS;
    }
    if (l.n == 0) {
        fprintf(stderr, "dumpbench run: no *.scn files found\n");
        flist_free(&l);
        return EXIT_HARNESS;
    }
    int rc = run_files(&o, (const char *const *)l.v, l.n);
    flist_free(&l);
    return rc;
}

static int cmd_list_parse(int argc, char **argv, bool list)
{
    struct flist l = { 0 };
    if (collect_args(&l, argc - 1, argv + 1, list ? "scenarios" : NULL) < 0) {
        flist_free(&l);
        return EXIT_HARNESS;
    }
    if (l.n == 0) {
        fprintf(stderr, "dumpbench %s: no scenario files\n", argv[0]);
        flist_free(&l);
        return list ? 0 : EXIT_HARNESS;
    }
    int rc = 0;
    for (size_t i = 0; i < l.n; i++) {
        struct scenario *s;
        struct scn_error e;
        if (scn_parse_file(l.v[i], &s, &e) < 0) {
            fprintf(stderr, "%s\n", e.msg);
            rc = EXIT_HARNESS;
            continue;
        }
        if (list)
            printf("%-32s %-7s %-9s %s\n", s->name, scn_arch_name(s->machine.arch),
                   s->dump.method, s->description ? s->description : "");
        else
            printf("ok %s (%s: %zu steps, %zu expectations)\n", l.v[i], s->name, s->nsteps,
                   s->nexpects);
        scn_free(s);
    }
    flist_free(&l);
    return rc;
}

static int cmd_diff(int argc, char **argv)
{
    if (argc != 3) {
        usage(stderr);
        return EXIT_HARNESS;
    }
    struct df_dump *a = NULL, *b = NULL;
    struct df_err err;
    /* lenient: truncated (incomplete) dumps are compared as far as they go */
    const struct df_read_opts ropts = { .lenient = true };
    if (df_read_file_opts(argv[1], &ropts, &a, &err) != 0) {
        fprintf(stderr, "dumpbench diff: %s\n", err.msg);
        return EXIT_HARNESS;
    }
    if (df_read_file_opts(argv[2], &ropts, &b, &err) != 0) {
        fprintf(stderr, "dumpbench diff: %s\n", err.msg);
        df_dump_free(a);
        return EXIT_HARNESS;
    }
    struct cmp_result *c = malloc(sizeof(*c));
    if (!c) {
        df_dump_free(a);
        df_dump_free(b);
        return EXIT_HARNESS;
    }
    cmp_result_init(c);
    cmp_dumps(a, b, c);
    char bmsg[512];
    int brc = cmp_files(argv[1], argv[2], bmsg, sizeof(bmsg));
    int rc = 0;
    if (c->differ) {
        printf("semantic: %s\n", c->first);
        rc = 1;
    } else {
        printf("semantic: equal\n");
    }
    printf("pages compared: %" PRIu64 ", differing: %" PRIu64 ", missing: %" PRIu64
           ", extra: %" PRIu64 "; registers compared: %" PRIu64 "\n", c->pages_compared,
           c->pages_differ, c->pages_missing, c->pages_extra, c->regs_compared);
    if (brc < 0) {
        fprintf(stderr, "dumpbench diff: %s\n", bmsg);
        rc = EXIT_HARNESS;
    } else if (brc > 0) {
        printf("bytes: %s\n", bmsg);
        if (rc == 0)
            rc = 1;
    } else {
        printf("bytes: identical\n");
    }
    free(c);
    df_dump_free(a);
    df_dump_free(b);
    return rc;
}

/* dumpbench merge: shards' result files into one TAP (stdout), JUnit, HTML, result. */
static int cmd_merge(int argc, char **argv)
{
    static const struct option opts[] = {
        { "junit", required_argument, NULL, 'j' },
        { "html", required_argument, NULL, 'H' },
        { "result", required_argument, NULL, 'R' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *junit = NULL, *html = NULL, *result = NULL;
    optind = 1;
    opterr = 1;
    int c;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'j': junit = optarg; break;
        case 'H': html = optarg; break;
        case 'R': result = optarg; break;
        case 'h': usage(stdout); return 0;
        default:
            usage(stderr);
            return EXIT_HARNESS;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "dumpbench merge: no result files\n");
        return EXIT_HARNESS;
    }
    struct report rep;
    report_init(&rep, stdout);
    char err[1024];
    int rc;
    if (report_merge_files(&rep, (const char *const *)argv + optind, (size_t)(argc - optind),
                           err, sizeof(err)) < 0) {
        fprintf(stderr, "dumpbench merge: %s\n", err);
        report_free(&rep);
        return EXIT_HARNESS;
    }
    report_diag(&rep, "merged %d result files: %zu scenarios", argc - optind, rep.ncases);
    rc = report_finish(&rep);
    const struct report_html_opts ho = { .title = "dumpbench run (merged shards)" };
    if (junit && report_write_junit_file(&rep, junit, err, sizeof(err)) < 0) {
        fprintf(stderr, "dumpbench merge: %s\n", err);
        rc = EXIT_HARNESS;
    }
    if (html && report_write_html_file(&rep, html, &ho, err, sizeof(err)) < 0) {
        fprintf(stderr, "dumpbench merge: %s\n", err);
        rc = EXIT_HARNESS;
    }
    if (result && report_write_result_file(&rep, result, err, sizeof(err)) < 0) {
        fprintf(stderr, "dumpbench merge: %s\n", err);
        rc = EXIT_HARNESS;
    }
    report_free(&rep);
    return rc;
}

/* `regress --qemu`: the candidate's QEMU goes into the env only after the
 * reference runs. */
static void regress_switch_qemu(void *ctx)
{
    if (set_qemu_env(ctx) < 0)
        fprintf(stderr, "dumpbench regress: candidate QEMU not set\n");
}

static int cmd_regress(int argc, char **argv)
{
    static const struct option opts[] = {
        { "profile", required_argument, NULL, 'F' },
        { "profile-dir", required_argument, NULL, 'D' },
        { "qemu", required_argument, NULL, 'q' },
        { "ref", required_argument, NULL, 'r' },
        { "out", required_argument, NULL, 'o' },
        { "markdown", required_argument, NULL, 'm' },
        { "backend", required_argument, NULL, 'b' },
        { "golden-dir", required_argument, NULL, 'g' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct regress_opts o = { 0 };
    optind = 1;
    opterr = 1;
    int c;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'F': o.profile = optarg; break;
        case 'D': o.profile_dir = optarg; break;
        case 'q': o.qemu = optarg; break;
        case 'r': o.ref_dir = optarg; break;
        case 'o': o.out_dir = optarg; break;
        case 'm': o.markdown = optarg; break;
        case 'b': o.backend = optarg; break;
        case 'g': o.golden_dir = optarg; break;
        case 'h': usage(stdout); return 0;
        default:
            usage(stderr);
            return EXIT_HARNESS;
        }
    }
    if (!o.profile && !o.qemu) {
        fprintf(stderr, "dumpbench regress: give the candidate: --profile and/or --qemu\n");
        return EXIT_HARNESS;
    }
    if (o.qemu) {
        const char *eq = strchr(o.qemu, '=');
        if (access(eq ? eq + 1 : o.qemu, X_OK) != 0) {
            fprintf(stderr, "dumpbench regress: --qemu %s: %s\n", o.qemu, strerror(errno));
            return EXIT_HARNESS;
        }
        o.before_candidate = regress_switch_qemu;
        o.ctx = (void *)o.qemu;
    }
    struct flist l = { 0 };
    if (collect_args(&l, argc - optind, argv + optind, NULL) < 0 || l.n == 0) {
        fprintf(stderr, "dumpbench regress: no scenario files\n");
        flist_free(&l);
        return EXIT_HARNESS;
    }
    char err[1024] = "";
    int rc = regress_run(&o, (const char *const *)l.v, l.n, stdout, err, sizeof(err));
    if (rc == EXIT_HARNESS)
        fprintf(stderr, "dumpbench regress: %s\n", err);
    flist_free(&l);
    return rc;
}

static int cmd_replay(int argc, char **argv)
{
    static const struct option opts[] = {
        { "run-dir", required_argument, NULL, 'r' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *out_dir = NULL;
    optind = 1;
    opterr = 1;
    int c;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'r': out_dir = optarg; break;
        case 'h': usage(stdout); return 0;
        default:
            usage(stderr);
            return EXIT_HARNESS;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "dumpbench replay: expected one RUN_DIR\n");
        return EXIT_HARNESS;
    }
    const char *dir = argv[optind];
    struct run_record *rec = malloc(sizeof(*rec));
    char err[1024] = "";
    if (!rec || run_record_read(dir, rec, err, sizeof(err)) != 0) {
        fprintf(stderr, "dumpbench replay: %s\n", rec ? err : "out of memory");
        free(rec);
        return EXIT_HARNESS;
    }
    /* the recorded QEMU binary, unless the caller overrides it */
    const char *env = replay_qemu_env(rec->arch);
    if (env && rec->qemu_binary[0] && rec->qemu_binary[0] != '(' && !getenv(env))
        setenv(env, rec->qemu_binary, 1);
    /* and the run's other DUMPBENCH_* settings (guest, kernels, cache) */
    for (size_t i = 0; i < rec->nenv; i++) {
        const char *eq = strchr(rec->env[i], '=');
        char name[128];
        if (!eq || (size_t)(eq - rec->env[i]) >= sizeof(name))
            continue;
        snprintf(name, sizeof(name), "%.*s", (int)(eq - rec->env[i]), rec->env[i]);
        if (!getenv(name))
            setenv(name, eq + 1, 1);
    }
    free(rec);
    int rc = replay_run(dir, out_dir, stdout, NULL, NULL, err, sizeof(err));
    if (rc == EXIT_HARNESS)
        fprintf(stderr, "dumpbench replay: %s\n", err);
    return rc;
}

/* dumpbench profile show|check [--arch A] NAME|PATH... */
static int cmd_profile(int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[1], "show") != 0 && strcmp(argv[1], "check") != 0)) {
        fprintf(stderr, "usage: dumpbench profile show|check [--arch s390x|ppc64] NAME|PATH...\n");
        return EXIT_HARNESS;
    }
    bool show = !strcmp(argv[1], "show");
    enum scn_arch arch = SCN_ARCH_S390X;
    bool arch_given = false;
    int i = 2, rc = 0;
    if (i + 1 < argc && !strcmp(argv[i], "--arch")) {
        if (!strcmp(argv[i + 1], "s390x"))
            arch = SCN_ARCH_S390X;
        else if (!strcmp(argv[i + 1], "ppc64"))
            arch = SCN_ARCH_PPC64;
        else {
            fprintf(stderr, "dumpbench profile: --arch s390x or ppc64\n");
            return EXIT_HARNESS;
        }
        arch_given = true;
        i += 2;
    }
    for (; i < argc; i++) {
        struct fw_profile p;
        char err[1024];
        int r = fwp_resolve(argv[i], NULL, arch, &p, err, sizeof(err));
        if (r != 0 && !arch_given)
            r = fwp_resolve(argv[i], NULL, SCN_ARCH_PPC64, &p, err, sizeof(err));
        if (r != 0) {
            fprintf(stderr, "%s\n", err);
            rc = EXIT_HARNESS;
            continue;
        }
        if (show) {
            printf("# %s (%s%s%s)\n", p.name, p.source[0] ? p.source : "built-in",
                   p.base[0] ? ", base " : "", p.base);
            fwp_write(stdout, &p);
        } else {
            struct fw_profile b;
            char d[1024] = "";
            bool isb = fwp_builtin(p.model, p.name, &b) == 0;
            int nd = isb ? fwp_diff(&b, &p, d, sizeof(d)) : -1;
            printf("ok %s: %s profile %s%s%s\n", p.source[0] ? p.source : argv[i],
                   fwp_model_name(p.model), p.name,
                   !isb ? " (no built-in of that name)" : nd ? ", differs from the built-in: "
                                                             : ", equals the built-in",
                   nd > 0 ? d : "");
        }
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_HARNESS;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "list") == 0)
        return cmd_list_parse(argc - 1, argv + 1, true);
    if (strcmp(cmd, "parse") == 0)
        return cmd_list_parse(argc - 1, argv + 1, false);
    if (strcmp(cmd, "diff") == 0)
        return cmd_diff(argc - 1, argv + 1);
    if (strcmp(cmd, "regress") == 0)
        return cmd_regress(argc - 1, argv + 1);
    if (strcmp(cmd, "replay") == 0)
        return cmd_replay(argc - 1, argv + 1);
    if (strcmp(cmd, "profile") == 0)
        return cmd_profile(argc - 1, argv + 1);
    if (strcmp(cmd, "merge") == 0)
        return cmd_merge(argc - 1, argv + 1);
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "dumpbench: unknown command '%s'\n", cmd);
    usage(stderr);
    return EXIT_HARNESS;
}
