/*
 * A fake backend for the replay and regress tests: its behaviour depends on
 * the firmware profile the runner hands over (res->sclp_profile /
 * res->phyp_profile), so profile changes show up as rc, outcome and image
 * differences without the sim machine.
 *
 *   s390x  rc "hsa" = HSA MiB; HSA size 0: SKIPPED (as a QEMU backend
 *          without its prerequisites); no dump when dump_installed is off; else a
 *          4-page dump.img: page 0 filled with the HSA MiB, pages 1-2 0xab,
 *          page 3 the seed.
 *   ppc64  rc "register" = the profile's injected REGISTER fault rc (else 0);
 *          a 2-page dump.img when 0.
 */
#ifndef TEST_REPLAY_FAKE_H
#define TEST_REPLAY_FAKE_H

#include <stdio.h>
#include <string.h>

#include <harness/backend.h>
#include <harness/qemu.h>
#include <harness/run.h>
#include <phyp/phyp.h>
#include <sclp/sclp.h>

static int fake_write_image(struct run_result *res, const char *run_dir, const uint8_t *fill,
                            size_t npages)
{
    snprintf(res->image_path, sizeof(res->image_path), "%s/dump.img", run_dir);
    FILE *f = fopen(res->image_path, "wb");
    if (!f)
        return -1;
    uint8_t page[4096];
    for (size_t i = 0; i < npages; i++) {
        memset(page, fill[i], sizeof(page));
        fwrite(page, 1, sizeof(page), f);
    }
    return fclose(f);
}

static int fw_fake_backend(const struct scenario *s, const char *run_dir, FILE *log,
                           struct run_result *res, char *errbuf, size_t errlen)
{
    int line = s->nsteps ? s->steps[0].line : 1;
    res->cpus_online = s->machine.cpus;
    run_result_add_phase(res, "boot", 0.001);
    if (s->machine.arch == SCN_ARCH_S390X) {
        if (!res->sclp_profile) {
            snprintf(errbuf, errlen, "fake: no sclp profile");
            return -1;
        }
        const struct sclp_profile *p = res->sclp_profile;
        if (p->hsa_size == 0 && p->dump_installed) {
            res->outcome = RUN_ERROR;
            snprintf(errbuf, errlen, "SKIPPED: fake needs an HSA");
            return QEMU_BACKEND_SKIPPED;
        }
        run_result_add_rc(res, "hsa", (int64_t)(p->hsa_size >> 20), line);
        if (!p->dump_installed) {
            res->outcome = RUN_NO_DUMP;
            snprintf(res->reason, sizeof(res->reason), "dump not installed");
            return 0;
        }
        uint8_t fill[4] = { (uint8_t)(p->hsa_size >> 20), 0xab, 0xab, (uint8_t)s->machine.seed };
        if (fake_write_image(res, run_dir, fill, 4) != 0)
            return -1;
    } else {
        if (!res->phyp_profile) {
            snprintf(errbuf, errlen, "fake: no phyp profile");
            return -1;
        }
        const struct phyp_profile *p = res->phyp_profile;
        int32_t rc = p->fault.count && p->fault.cmd == PHYP_CMD_REGISTER ? p->fault.rc : 0;
        run_result_add_rc(res, "register", rc, line);
        if (rc != 0) {
            res->outcome = RUN_NO_DUMP;
            snprintf(res->reason, sizeof(res->reason), "not registered (%d)", (int)rc);
            return 0;
        }
        uint8_t fill[2] = { 0x11, 0x22 };
        if (fake_write_image(res, run_dir, fill, 2) != 0)
            return -1;
    }
    run_result_add_phase(res, "capture", 0.002);
    res->outcome = RUN_COMPLETE;
    snprintf(res->reason, sizeof(res->reason), "fake dump complete");
    if (log)
        fprintf(log, "[0.00] scenario %s: qemu /opt/q/qemu-system-s390x, guest /g\n"
                "[0.01] starting /opt/q/qemu-system-s390x -nodefaults -M s390-ccw-virtio "
                "-m 64M\n", s->name);
    return 0;
}

static backend_run_fn fw_fake_lookup(const char *name, char *why, size_t whylen)
{
    (void)name;
    (void)why;
    (void)whylen;
    return fw_fake_backend;
}

/* Scenario files a (s390x, default profile), b (ppc64), c (s390x qemu-7.2)
 * in dir; paths into files[3]. */
static int fw_fake_scenarios(const char *dir, char files[3][4200])
{
    static const char *const text[3] = {
        "scenario a\nmachine arch=s390x memory=64M cpus=2 seed=7\ndump method=zfcpdump\n"
        "step boot\nstep crash\nexpect outcome complete\n",
        "scenario b\nmachine arch=ppc64 memory=64M cpus=1 seed=8\ndump method=fadump\n"
        "step boot\nstep register\nexpect outcome complete\n",
        "scenario c\nmachine arch=s390x memory=64M cpus=1 profile=qemu-7.2 seed=9\n"
        "dump method=zfcpdump\nstep boot\nexpect outcome no-dump\n",
    };
    for (int i = 0; i < 3; i++) {
        snprintf(files[i], 4200, "%s/%c.scn", dir, 'a' + i);
        FILE *f = fopen(files[i], "w");
        if (!f)
            return -1;
        fputs(text[i], f);
        if (fclose(f) != 0)
            return -1;
    }
    return 0;
}

#endif /* TEST_REPLAY_FAKE_H */
