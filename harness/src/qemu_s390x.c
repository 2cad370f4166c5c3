/* Placeholder: the s390x QEMU backend is being written (reports SKIPPED). */
#include <harness/qemu.h>

int qemu_s390x_run(const struct scenario *s, const char *run_dir, FILE *log,
                  struct run_result *res, char *errbuf, size_t errlen)
{
    (void)s; (void)run_dir; (void)log;
    res->outcome = RUN_ERROR;
    snprintf(res->reason, sizeof res->reason, "SKIPPED: the s390x qemu backend is not built yet");
    snprintf(errbuf, errlen, "%s", res->reason);
    return QEMU_BACKEND_SKIPPED;
}
