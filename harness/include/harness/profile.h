/*
 * Firmware profiles as data files (scenarios/profiles/ARCH/NAME.profile).
 *
 * A profile file is the complete description of one firmware build as the
 * models see it: struct sclp_profile (libsclp, s390x) or struct
 * phyp_profile (libphyp, ppc64), one `key = value` line per field.  The
 * format is documented in scenarios/profiles/README.md.  This parser fills
 * the models' public profile structs and checks them with the models' own
 * validators (sclp_profile_validate, phyp_profile_validate); the models
 * never read files.
 *
 * Every error names FILE:LINE and the key:
 *   "p.profile:7: key 'hsa-size': '33x' is not a size"
 *   "p.profile:3: unknown key 'hsa_size' for model sclp"
 *   "p.profile: missing key 'vector' (no base = given)"
 *
 * No globals; every function works on caller-owned structs.
 */
#ifndef HARNESS_PROFILE_H
#define HARNESS_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <harness/scenario.h>
#include <phyp/phyp.h>
#include <sclp/sclp.h>

enum fwp_model {
    FWP_NONE = 0,       /* the arch has no firmware profile (x86_64) */
    FWP_SCLP,           /* libsclp, s390x */
    FWP_PHYP,           /* libphyp, ppc64 */
};

#define FWP_NAME_MAX 32         /* == SCLP_PROFILE_NAME_MAX */
#define FWP_SOURCE_MAX 1024
#define FWP_DEFAULT_DIR "scenarios/profiles"

struct fw_profile {
    enum fwp_model model;
    char name[FWP_NAME_MAX];        /* [a-z0-9._-]+ */
    char source[FWP_SOURCE_MAX];    /* file it was read from, "" = built-in table */
    char base[FWP_NAME_MAX];        /* `base =` built-in it started from, "" = none */
    struct sclp_profile sclp;       /* model FWP_SCLP */
    struct phyp_profile phyp;       /* model FWP_PHYP; .name: use fwp_phyp() */
};

const char *fwp_model_name(enum fwp_model m);          /* "sclp", "phyp", "none" */
enum fwp_model fwp_model_for_arch(enum scn_arch a);
/* The default profile name of an arch's model ("z15-32m", "phyp-default"). */
const char *fwp_default_name(enum fwp_model m);

/* The phyp struct with .name pointing at p->name (valid while p lives). */
const struct phyp_profile *fwp_phyp(struct fw_profile *p);

/* Copy built-in NAME of model m.  0, or -1 when there is no such built-in. */
int fwp_builtin(enum fwp_model m, const char *name, struct fw_profile *out);

/*
 * Parse a profile file / buffer (path used in messages).  0, or -1 with
 * "FILE:LINE: ..." in err.
 */
int fwp_parse_buffer(const char *path, const char *text, size_t len,
                     struct fw_profile *out, char *err, size_t errlen);
int fwp_parse_file(const char *path, struct fw_profile *out, char *err, size_t errlen);

/*
 * Resolve what `machine profile=SPEC` or `--profile SPEC` names for a
 * scenario of `arch`: SPEC with a '/' or ending in ".profile" is a file;
 * otherwise DIR/ARCH/SPEC.profile when it exists (DIR NULL = the default
 * dir), else the built-in SPEC.  SPEC NULL = the model's default name.
 * A file for another model than the arch's is an error.  0 or -1 + err.
 */
int fwp_resolve(const char *spec, const char *dir, enum scn_arch arch,
                struct fw_profile *out, char *err, size_t errlen);

/* Write every key of p (a complete file that parses back to p).  0 / -1. */
int fwp_write(FILE *f, const struct fw_profile *p);

/*
 * Field-by-field comparison of a and b (same model).  Returns the number
 * of differing fields (name, source and base are not compared); `msg`
 * (may be NULL) gets "key: A -> B; key: A -> B" for them.
 */
int fwp_diff(const struct fw_profile *a, const struct fw_profile *b, char *msg, size_t msglen);

/*
 * The runner's profile step for one scenario (harness/src/profile_run.c):
 * resolve `override` (--profile NAME|PATH, may be NULL) or else the
 * scenario's `machine profile=` against `dir`, then hand it to the backend:
 *   sim      res->sclp_profile / res->phyp_profile point into *out;
 *   others   run_s->machine.profile = out->name (the QEMU backends pass the
 *            NAME to the firmware object); a data file whose fields differ
 *            from the built-in of its name is an error there, since QEMU
 *            can only be given the name.
 * An override for another arch's model (a phyp profile on an s390x
 * scenario) does not apply: the scenario keeps its own profile and a note
 * goes to `diag`.  x86_64 has no firmware profile: *have = false.  A
 * scenario profile NAME that is neither a data file nor a built-in is left
 * to the backend as written (*have = false; the sim reports it unknown).
 * `run_s` is a shallow copy of s the backend receives.  0, or -1 + err.
 */
struct run_result;
int fwp_prepare_run(const char *override, const char *dir, const struct scenario *s,
                    const char *backend, struct scenario *run_s, struct run_result *res,
                    struct fw_profile *out, bool *have, bool *overridden, FILE *diag,
                    char *err, size_t errlen);

/* Number of keys of a model and the i-th key's name (for docs and tests). */
size_t fwp_key_count(enum fwp_model m);
const char *fwp_key_name(enum fwp_model m, size_t i);

#endif /* HARNESS_PROFILE_H */
