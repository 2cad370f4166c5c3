/*
 * Backend table.  The sim backend lives in libsim (sim/src/backend.c); it is
 * referenced weakly so the harness links without it and reports
 * "backend sim not built" until the tool is linked with libsim.
 */
#include <harness/libvirt.h>
#include <harness/qemu.h>
#include <harness/run.h>

#include <stdio.h>
#include <string.h>

int sim_backend_run(const struct scenario *s, const char *run_dir, FILE *log,
                    struct run_result *res, char *errbuf, size_t errlen)
    __attribute__((weak));

backend_run_fn backend_lookup(const char *name, char *why, size_t whylen)
{
    if (!name)
        name = "sim";
    if (strcmp(name, "sim") == 0) {
        if (sim_backend_run)
            return sim_backend_run;
        snprintf(why, whylen, "backend sim not built");
        return NULL;
    }
    if (strcmp(name, "qemu") == 0) {
        return qemu_backend_run;
    }
    if (strcmp(name, "libvirt") == 0)
        return libvirt_backend_run;   /* SKIPPED with the reason when libvirt is unusable */
    snprintf(why, whylen, "unknown backend '%s'", name);
    return NULL;
}
