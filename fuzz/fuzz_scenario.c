/*
 * libFuzzer target: the scenario parser (scn_parse_buffer) on an exact-size,
 * not NUL-terminated copy of the input; every parsed item is walked with
 * the accessors the backends use.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <harness/scenario.h>

#include "fuzz_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const struct scn_item *items, size_t n, bool steps)
{
    for (size_t i = 0; i < n; i++) {
        const struct scn_item *it = &items[i];
        (void)(steps ? scn_step_name(it->kind) : scn_expect_name(it->kind));
        for (size_t k = 0; k < it->nargs; k++) {
            const struct scn_kv *kv = &it->args[k];
            if (!kv->key || !kv->val) {
                fz_fail("item %zu arg %zu without key/value", i, k);
            }
            if (scn_arg(it, kv->key) == NULL) {
                fz_fail("scn_arg cannot find key '%s'", kv->key);
            }
            (void)scn_get_num(it, kv->key, 0);
            (void)scn_get_str(it, kv->key, NULL);
        }
        (void)scn_get_num(it, "addr", -1);
        (void)scn_get_str(it, "reason", "");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);
    if (!text) {
        abort();
    }
    memcpy(text, data, size);
    struct scenario *s = NULL;
    struct scn_error err;
    if (scn_parse_buffer("fuzz.scn", text, size, &s, &err) == 0) {
        if (!s) {
            fz_fail("parse OK without a scenario");
        }
        (void)scn_arch_name(s->machine.arch);
        if (s->machine.max_cpus && s->machine.max_cpus < s->machine.cpus) {
            fz_fail("max_cpus %u < cpus %u accepted", s->machine.max_cpus, s->machine.cpus);
        }
        walk(s->steps, s->nsteps, true);
        walk(s->expects, s->nexpects, false);
        scn_free(s);
    } else if (memchr(err.msg, '\0', sizeof(err.msg)) == NULL) {
        fz_fail("error message not terminated");
    }
    free(text);
    return 0;
}
