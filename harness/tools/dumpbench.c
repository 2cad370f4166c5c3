/*
 * dumpbench — the bench runner.
 *
 *   dumpbench run [--backend B] [--golden-dir DIR] [--update-golden]
 *                 [--junit FILE] [--run-dir DIR] FILE|DIR...
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

#include <dumpfmt/dump.h>
#include <harness/compare.h>
#include <harness/run.h>
#include <harness/scenario.h>

#define EXIT_HARNESS 99

static void usage(FILE *f)
{
    fprintf(f,
            "usage: dumpbench run [--backend sim|qemu] [--golden-dir DIR] [--update-golden]\n"
            "                     [--junit FILE] [--run-dir DIR] FILE|DIR...\n"
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

static int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "backend", required_argument, NULL, 'b' },
        { "golden-dir", required_argument, NULL, 'g' },
        { "update-golden", no_argument, NULL, 'u' },
        { "junit", required_argument, NULL, 'j' },
        { "run-dir", required_argument, NULL, 'r' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct run_opts o = { 0 };
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
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "dumpbench: unknown command '%s'\n", cmd);
    usage(stderr);
    return EXIT_HARNESS;
}
