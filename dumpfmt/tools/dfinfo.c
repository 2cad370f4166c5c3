/*
 * dfinfo: print a dump's format, arch, memory chunks, CPUs with key
 * registers, notes and the first VMCOREINFO lines.
 * Usage: dfinfo [--lenient] DUMPFILE
 * Exit 0 on success, 1 with the error message on unreadable/corrupt input.
 */
#include <stdio.h>
#include <string.h>

#include <dumpfmt/dump.h>

static void print_cpu(const struct df_dump *d, size_t i)
{
    const struct df_cpu *c = &d->cpus[i];
    if (d->arch == DF_ARCH_S390X) {
        const struct db_s390_cpu *s = &c->regs.s390;
        printf("  cpu %zu: psw %016llx %016llx prefix %08x r15 %016llx\n", i,
               (unsigned long long)s->psw_mask, (unsigned long long)s->psw_addr,
               s->prefix, (unsigned long long)s->gprs[15]);
    } else if (d->arch == DF_ARCH_PPC64 || d->arch == DF_ARCH_PPC64LE) {
        const struct db_ppc64_cpu *p = &c->regs.ppc64;
        printf("  cpu %zu: nip %016llx msr %016llx lr %016llx r1 %016llx\n", i,
               (unsigned long long)p->nia, (unsigned long long)p->msr,
               (unsigned long long)p->lr, (unsigned long long)p->gpr[1]);
    } else {
        printf("  cpu %zu: (no register decoding for %s)\n", i,
               df_arch_name(d->arch));
    }
}

int main(int argc, char **argv)
{
    struct df_read_opts opts = {0};
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--lenient") == 0) {
            opts.lenient = true;
        } else if (!path) {
            path = argv[i];
        } else {
            path = NULL;
            break;
        }
    }
    if (!path) {
        fprintf(stderr, "usage: dfinfo [--lenient] DUMPFILE\n");
        return 2;
    }
    struct df_err err = {{0}};
    struct df_dump *d = NULL;
    int rc = df_read_file_opts(path, &opts, &d, &err);
    if (rc != DF_OK) {
        fprintf(stderr, "dfinfo: %s (%s)\n", err.msg, df_strerror(rc));
        return 1;
    }
    printf("format: %s\n", df_format_name(d->format));
    printf("arch: %s\n", df_arch_name(d->arch));
    printf("page_size: %u\n", d->page_size);
    printf("flags: 0x%x%s\n", d->flags,
           (d->flags & DF_FLAG_INCOMPLETE) ? " (incomplete)" : "");
    if ((d->flags & DF_FLAG_INCOMPLETE) && err.msg[0]) {
        printf("warning: %s\n", err.msg);
    }
    printf("memory: %zu chunks, %llu bytes\n", d->nchunks,
           (unsigned long long)df_dump_mem_bytes(d));
    for (size_t i = 0; i < d->nchunks; i++) {
        printf("  [0x%016llx, 0x%016llx)\n",
               (unsigned long long)d->chunks[i].paddr,
               (unsigned long long)(d->chunks[i].paddr + d->chunks[i].size));
    }
    printf("cpus: %zu\n", d->ncpus);
    for (size_t i = 0; i < d->ncpus; i++) {
        print_cpu(d, i);
    }
    printf("notes: %zu\n", d->nnotes);
    for (size_t i = 0; i < d->nnotes; i++) {
        printf("  %-10s type 0x%-4x descsz %-5u cpu %d\n", d->notes[i].name,
               d->notes[i].type, d->notes[i].descsz, d->notes[i].cpu);
    }
    if (d->vmcoreinfo) {
        printf("vmcoreinfo: %zu bytes\n", d->vmcoreinfo_len);
        const char *p = d->vmcoreinfo;
        for (int line = 0; line < 5 && *p; line++) {
            const char *nl = strchr(p, '\n');
            int n = nl ? (int)(nl - p) : (int)strlen(p);
            printf("  %.*s\n", n, p);
            p += n + (nl ? 1 : 0);
        }
    } else {
        printf("vmcoreinfo: none\n");
    }
    df_dump_free(d);
    return 0;
}
