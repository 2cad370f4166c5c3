/*
 * The runner's firmware-profile step (contract: fwp_prepare_run in
 * <harness/profile.h>).
 */
#include <harness/backend.h>
#include <harness/profile.h>

#include <string.h>
#include <sys/stat.h>

/* Does SPEC name a file (rather than a profile NAME)? */
static bool spec_is_file(const char *spec)
{
    size_t n = strlen(spec);
    return strchr(spec, '/') || (n > 8 && !strcmp(spec + n - 8, ".profile"));
}

/* Is there a data file DIR/ARCH/SPEC.profile (a broken one is an error)? */
static bool data_file_exists(const char *spec, const char *dir, const struct scenario *s)
{
    char path[FWP_SOURCE_MAX + 64];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s/%s.profile", dir ? dir : FWP_DEFAULT_DIR,
             scn_arch_name(s->machine.arch), spec);
    return stat(path, &st) == 0;
}

/* The other arch with a firmware model. */
static enum scn_arch other_arch(enum scn_arch a)
{
    return a == SCN_ARCH_S390X ? SCN_ARCH_PPC64 : SCN_ARCH_S390X;
}

int fwp_prepare_run(const char *override, const char *dir, const struct scenario *s,
                    const char *backend, struct scenario *run_s, struct run_result *res,
                    struct fw_profile *out, bool *have, bool *overridden, FILE *diag,
                    char *err, size_t errlen)
{
    *run_s = *s;
    *have = false;
    *overridden = false;
    enum fwp_model m = fwp_model_for_arch(s->machine.arch);
    if (m == FWP_NONE) {
        if (override && diag)
            fprintf(diag, "  profile %s: not applicable to %s (no firmware model)\n", override,
                    scn_arch_name(s->machine.arch));
        return 0;
    }
    const char *spec = s->machine.profile;
    if (override) {
        char e2[512];
        struct fw_profile probe;
        bool applies;
        if (spec_is_file(override)) {
            if (fwp_parse_file(override, &probe, err, errlen) != 0)
                return -1;
            applies = probe.model == m;
        } else if (fwp_resolve(override, dir, s->machine.arch, &probe, e2, sizeof(e2)) == 0) {
            applies = true;
        } else if (fwp_resolve(override, dir, other_arch(s->machine.arch), &probe, err,
                               errlen) == 0) {
            applies = false;
        } else {
            snprintf(err, errlen, "--profile %s: %s", override, e2);
            return -1;
        }
        if (applies) {
            spec = override;
            *overridden = true;
        } else if (diag) {
            fprintf(diag, "  profile %s (%s): not applicable to %s, scenario profile %s kept\n",
                    override, fwp_model_name(probe.model), scn_arch_name(s->machine.arch),
                    spec ? spec : fwp_default_name(m));
        }
    }
    if (!*overridden && spec && !spec_is_file(spec) && !data_file_exists(spec, dir, s) &&
        fwp_builtin(m, spec, out) != 0) {
        /* Neither a data file nor a built-in: the name goes to the backend
         * as written, which reports it if it does not know it either. */
        if (diag)
            fprintf(diag, "  profile %s: no data file or built-in; passed to the backend "
                    "as written\n", spec);
        err[0] = '\0';
        return 0;
    }
    if (fwp_resolve(spec, dir, s->machine.arch, out, err, errlen) != 0)
        return -1;
    *have = true;
    if (backend && strcmp(backend, "sim") != 0 && out->source[0]) {
        /* QEMU's firmware object takes a built-in NAME only. */
        struct fw_profile b;
        char d[512];
        if (fwp_builtin(m, out->name, &b) != 0) {
            snprintf(err, errlen, "profile %s (%.500s): backend %s can only pass a built-in "
                     "profile name to the firmware, and there is no built-in %s", out->name,
                     out->source, backend, out->name);
            return -1;
        }
        if (fwp_diff(&b, out, d, sizeof(d)) != 0) {
            snprintf(err, errlen, "profile %s (%.300s) differs from the built-in %s (%.400s); "
                     "backend %s can only pass the name", out->name, out->source, out->name, d,
                     backend);
            return -1;
        }
    }
    run_s->machine.profile = out->name;
    if (m == FWP_SCLP)
        res->sclp_profile = &out->sclp;
    else
        res->phyp_profile = fwp_phyp(out);
    if (diag)
        fprintf(diag, "  profile %s (%s%s%s%s)\n", out->name,
                out->source[0] ? out->source : "built-in", *overridden ? ", --profile" : "",
                out->base[0] ? ", base " : "", out->base);
    return 0;
}
