/*
 * /proc/kallsyms text ("ADDR TYPE NAME [module]") for attributing differing
 * pages to kernel symbols.  With nokaslr the capture kernel (same build)
 * reports the same addresses as the crashed one.
 */
#include "qemu_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_sym(const void *a, const void *b)
{
    const struct qsym *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

int qkallsyms_load(struct qkallsyms *k, const char *path)
{
    memset(k, 0, sizeof *k);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t cap = 0;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        unsigned long long addr;
        char type, name[256];
        if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3)
            continue;
        if (strchr(line, '['))      /* module symbols: not in the image */
            continue;
        if (k->n == cap) {
            size_t ncap = cap ? cap * 2 : 4096;
            struct qsym *ns = realloc(k->syms, ncap * sizeof *ns);
            if (!ns)
                break;
            k->syms = ns;
            cap = ncap;
        }
        k->syms[k->n].addr = addr;
        k->syms[k->n].type = type;
        k->syms[k->n].name = strdup(name);
        if (!k->syms[k->n].name)
            break;
        k->n++;
    }
    fclose(f);
    if (k->n)
        qsort(k->syms, k->n, sizeof *k->syms, cmp_sym);
    return k->n ? 0 : -1;
}

void qkallsyms_free(struct qkallsyms *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->syms[i].name);
    free(k->syms);
    memset(k, 0, sizeof *k);
}

const struct qsym *qkallsyms_find(const struct qkallsyms *k, const char *name)
{
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->syms[i].name, name) == 0)
            return &k->syms[i];
    return NULL;
}

const struct qsym *qkallsyms_lookup(const struct qkallsyms *k, uint64_t addr)
{
    size_t lo = 0, hi = k->n;
    if (!k->n || addr < k->syms[0].addr)
        return NULL;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (k->syms[mid].addr <= addr)
            lo = mid;
        else
            hi = mid;
    }
    return &k->syms[lo];
}
