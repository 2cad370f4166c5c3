/*
 * Scenario parser: scenarios/README.md is the language definition; the
 * schema tables below are its machine-readable form (directive -> allowed
 * word, keys, value types, required keys, ranges).  The first error stops
 * the parse and is reported as "FILE:LINE: message".
 */
#include <harness/scenario.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCN_MAX_LINE   4096   /* bytes per line, excluding the newline */
#define SCN_MAX_TOKENS 128
#define SCN_MAX_FILE   (16u * 1024 * 1024)

enum vtype {
    VT_TEXT,    /* any text */
    VT_ENUM,    /* one of choices ("a|b|c") */
    VT_NUM,     /* signed 64-bit number, K/M/G suffix allowed */
    VT_U64,     /* 0 .. 2^64-1 (addresses, register values, seeds) */
};

struct key_schema {
    const char *key;
    enum vtype type;
    bool required;
    int64_t min, max;       /* VT_NUM only (min == max == 0: unlimited) */
    const char *choices;    /* VT_ENUM */
};

enum word_rule { W_NONE, W_OPTIONAL, W_REQUIRED };

struct item_schema {
    const char *name;
    int kind;
    enum word_rule word;
    const char *word_choices;   /* NULL = any text */
    const struct key_schema *keys;
    size_t nkeys;
    bool allow_regs;            /* step set-regs: register names as keys */
};

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define I64MAX INT64_MAX

/* ---- top-level directives --------------------------------------------- */

static const struct key_schema k_machine[] = {
    { "arch", VT_ENUM, true, 0, 0, "s390x|ppc64|x86_64" },
    { "memory", VT_NUM, true, 4096, I64MAX, NULL },
    { "cpus", VT_NUM, true, 1, 64, NULL },
    { "max-cpus", VT_NUM, false, 1, 64, NULL },
    { "profile", VT_TEXT, false, 0, 0, NULL },
    { "seed", VT_U64, false, 0, 0, NULL },
};

static const struct key_schema k_dump[] = {
    { "method", VT_ENUM, true, 0, 0, "zfcpdump|fadump|kdump" },
    { "format", VT_ENUM, false, 0, 0, "elf|s390|kdump-compressed" },
    { "target", VT_TEXT, false, 0, 0, NULL },
    { "transport", VT_ENUM, false, 0, 0, "virtio|fcp" },
    { "fcp-luns", VT_NUM, false, 1, 2, NULL },
    { "lun", VT_NUM, false, 0, 1, NULL },
};

enum top_kind { TOP_SCENARIO = 1, TOP_DESCRIPTION, TOP_BACKEND, TOP_MACHINE,
                TOP_DUMP, TOP_STEP, TOP_EXPECT };

static const struct item_schema top_schema[] = {
    { "scenario", TOP_SCENARIO, W_REQUIRED, NULL, NULL, 0, false },
    { "description", TOP_DESCRIPTION, W_REQUIRED, NULL, NULL, 0, false },
    { "backend", TOP_BACKEND, W_REQUIRED, "sim|qemu|libvirt", NULL, 0, false },
    { "machine", TOP_MACHINE, W_NONE, NULL, k_machine, N(k_machine), false },
    { "dump", TOP_DUMP, W_NONE, NULL, k_dump, N(k_dump), false },
    { "step", TOP_STEP, W_REQUIRED, NULL, NULL, 0, false },
    { "expect", TOP_EXPECT, W_REQUIRED, NULL, NULL, 0, false },
};

/* ---- steps --------------------------------------------------------------- */

static const struct key_schema k_plant[] = {
    { "addr", VT_U64, true, 0, 0, NULL },
    { "len", VT_NUM, true, 1, I64MAX, NULL },
    { "seed", VT_U64, false, 0, 0, NULL },
};
static const struct key_schema k_set_regs[] = {
    { "cpu", VT_NUM, true, 0, 63, NULL },
    { "seed", VT_U64, false, 0, 0, NULL },
};
static const struct key_schema k_hotplug_cpu[] = {
    { "count", VT_NUM, false, 1, 64, NULL },
};
static const struct key_schema k_hotplug_mem[] = {
    { "size", VT_NUM, true, 4096, I64MAX, NULL },
    { "reload", VT_ENUM, false, 0, 0, "yes|no" },
};
static const struct key_schema k_register[] = {
    { "boot-mem", VT_NUM, false, 0, I64MAX, NULL },
    { "version", VT_NUM, false, 0, 65535, NULL },
    { "sections", VT_NUM, false, 0, 255, NULL },
    { "size", VT_NUM, false, 0, I64MAX, NULL },
    { "fdm", VT_U64, false, 0, 0, NULL },
    { "cpu-state", VT_NUM, false, 0, I64MAX, NULL },
    { "hpte", VT_NUM, false, 0, I64MAX, NULL },
    { "flags", VT_U64, false, 0, 0, NULL },
};
static const struct key_schema k_crash[] = {
    { "cpu", VT_NUM, false, 0, 63, NULL },
    { "kind", VT_ENUM, false, 0, 0, "panic|oops" },
};
static const struct key_schema k_release[] = {
    { "addr", VT_U64, false, 0, 0, NULL },
    { "len", VT_NUM, false, 1, I64MAX, NULL },
};
static const struct key_schema k_run[] = {
    { "ms", VT_NUM, false, 0, 86400000, NULL },
};

/* step capture timeout=SECONDS: the step's deadline (sim backend; the
 * capture then runs in a child process that is killed when it expires). */
static const struct key_schema k_capture[] = {
    { "timeout", VT_NUM, false, 1, 86400, NULL },
};

static const struct item_schema step_schema[] = {
    { "boot", SCN_STEP_BOOT, W_NONE, NULL, NULL, 0, false },
    { "plant", SCN_STEP_PLANT, W_NONE, NULL, k_plant, N(k_plant), false },
    { "set-regs", SCN_STEP_SET_REGS, W_NONE, NULL, k_set_regs, N(k_set_regs), true },
    { "hotplug-cpu", SCN_STEP_HOTPLUG_CPU, W_NONE, NULL, k_hotplug_cpu, N(k_hotplug_cpu), false },
    { "hotplug-mem", SCN_STEP_HOTPLUG_MEM, W_NONE, NULL, k_hotplug_mem, N(k_hotplug_mem), false },
    { "register", SCN_STEP_REGISTER, W_NONE, NULL, k_register, N(k_register), false },
    { "unregister", SCN_STEP_UNREGISTER, W_NONE, NULL, NULL, 0, false },
    { "invalidate", SCN_STEP_INVALIDATE, W_NONE, NULL, NULL, 0, false },
    { "fault", SCN_STEP_FAULT, W_REQUIRED, "sdias|hsa|fcp|rtas|vmcore|disk|capture|machine",
      NULL, 0, false },
    { "crash", SCN_STEP_CRASH, W_NONE, NULL, k_crash, N(k_crash), false },
    { "hang", SCN_STEP_HANG, W_NONE, NULL, NULL, 0, false },
    { "operator-dump", SCN_STEP_OPERATOR_DUMP, W_NONE, NULL, NULL, 0, false },
    { "capture", SCN_STEP_CAPTURE, W_NONE, NULL, k_capture, N(k_capture), false },
    { "release", SCN_STEP_RELEASE, W_NONE, NULL, k_release, N(k_release), false },
    { "run", SCN_STEP_RUN, W_NONE, NULL, k_run, N(k_run), false },
};

/* `step fault TARGET`: per-target keys (the `kind` of the item stays FAULT). */
static const struct key_schema k_fault_sdias[] = {
    { "status", VT_NUM, false, 0, 255, NULL },
    { "at-block", VT_NUM, false, 0, I64MAX, NULL },
    { "count", VT_NUM, false, 1, I64MAX, NULL },
};
static const struct key_schema k_fault_hsa[] = {
    { "release-early", VT_ENUM, false, 0, 0, "yes" },
};
static const struct key_schema k_fault_fcp[] = {
    { "kind", VT_ENUM, true, 0, 0, "link-down|medium-error|timeout|lun-removed|port-reject" },
    { "at-block", VT_NUM, false, 0, I64MAX, NULL },
    { "count", VT_NUM, false, 1, I64MAX, NULL },
    { "lun", VT_NUM, false, 0, 1, NULL },     /* LUN index (QEMU dumpbench-fcp) */
    /* QEMU: arm at the step (now), or once the dump kernel's capture tool
     * starts copying (copy: after dbcapture's in-progress record) */
    { "when", VT_ENUM, false, 0, 0, "now|copy" },
};
static const struct key_schema k_fault_rtas[] = {
    { "op", VT_ENUM, true, 0, 0, "register|unregister|invalidate" },
    { "rc", VT_NUM, true, INT32_MIN, INT32_MAX, NULL },
    { "count", VT_NUM, false, 1, I64MAX, NULL },
};

/* Corrupt one byte of the captured vmcore at a physical address (a control
 * scenario proving the oracles notice). */
static const struct key_schema k_fault_vmcore[] = {
    { "paddr", VT_U64, true, 0, 0, NULL },
};

/* Dump target runs out of space after SIZE bytes (file size limit). */
static const struct key_schema k_fault_disk[] = {
    { "full-at", VT_NUM, true, 1, I64MAX, NULL },
};
/* The capture agent is killed after writing SIZE bytes, or hangs (at SIZE). */
static const struct key_schema k_fault_capture[] = {
    { "kill-at", VT_NUM, false, 0, I64MAX, NULL },
    { "hang", VT_ENUM, false, 0, 0, "yes" },
    { "hang-at", VT_NUM, false, 0, I64MAX, NULL },
};
/* The whole machine is killed once the capture has written SIZE bytes. */
static const struct key_schema k_fault_machine[] = {
    { "kill-at", VT_NUM, true, 0, I64MAX, NULL },
};

static const struct item_schema fault_schema[] = {
    { "sdias", SCN_STEP_FAULT, W_REQUIRED, NULL, k_fault_sdias, N(k_fault_sdias), false },
    { "hsa", SCN_STEP_FAULT, W_REQUIRED, NULL, k_fault_hsa, N(k_fault_hsa), false },
    { "fcp", SCN_STEP_FAULT, W_REQUIRED, NULL, k_fault_fcp, N(k_fault_fcp), false },
    { "rtas", SCN_STEP_FAULT, W_REQUIRED, NULL, k_fault_rtas, N(k_fault_rtas), false },
    { "vmcore", SCN_STEP_FAULT, W_REQUIRED, NULL, k_fault_vmcore, N(k_fault_vmcore), false },
    { "disk", SCN_STEP_FAULT, W_REQUIRED, NULL, k_fault_disk, N(k_fault_disk), false },
    { "capture", SCN_STEP_FAULT, W_REQUIRED, NULL, k_fault_capture, N(k_fault_capture), false },
    { "machine", SCN_STEP_FAULT, W_REQUIRED, NULL, k_fault_machine, N(k_fault_machine), false },
};

/* ---- expectations ------------------------------------------------------ */

static const struct key_schema k_golden[] = {
    { "name", VT_TEXT, false, 0, 0, NULL },
};
static const struct key_schema k_exempt[] = {
    { "addr", VT_U64, true, 0, 0, NULL },
    { "len", VT_NUM, true, 1, I64MAX, NULL },
    { "reason", VT_TEXT, true, 0, 0, NULL },
};
static const struct key_schema k_outcome[] = {
    { "reason", VT_TEXT, false, 0, 0, NULL },
};
static const struct key_schema k_rc[] = {
    { "op", VT_TEXT, true, 0, 0, NULL },
    { "value", VT_NUM, true, 0, 0, NULL },
};
static const struct key_schema k_cpus[] = {
    { "count", VT_NUM, true, 0, 64, NULL },
};

static const struct item_schema expect_schema[] = {
    { "pages-equal", SCN_EXPECT_PAGES_EQUAL, W_NONE, NULL, NULL, 0, false },
    { "regs-equal", SCN_EXPECT_REGS_EQUAL, W_NONE, NULL, NULL, 0, false },
    { "golden", SCN_EXPECT_GOLDEN, W_NONE, NULL, k_golden, N(k_golden), false },
    { "exempt", SCN_EXPECT_EXEMPT, W_NONE, NULL, k_exempt, N(k_exempt), false },
    { "outcome", SCN_EXPECT_OUTCOME, W_REQUIRED, "complete|incomplete|failed|no-dump",
      k_outcome, N(k_outcome), false },
    { "rc", SCN_EXPECT_RC, W_NONE, NULL, k_rc, N(k_rc), false },
    { "cpus", SCN_EXPECT_CPUS, W_NONE, NULL, k_cpus, N(k_cpus), false },
};

/* ---- register names for `step set-regs` -------------------------------- */

enum { REG_S390 = 1, REG_PPC = 2, REG_BOTH = 3 };

struct reg_family {
    const char *prefix;   /* "gpr" etc.; indexed when count > 0 */
    unsigned count;       /* 0 = a single name */
    int archs;
};

static const struct reg_family reg_families[] = {
    { "gpr", 16, REG_BOTH },     /* gpr0..gpr15: both */
    { "gpr", 32, REG_PPC },      /* gpr16..gpr31: ppc64 only */
    { "psw_addr", 0, REG_S390 }, { "psw_mask", 0, REG_S390 },
    { "prefix", 0, REG_S390 }, { "fpc", 0, REG_S390 },
    { "cputm", 0, REG_S390 }, { "ckc", 0, REG_S390 }, { "todpreg", 0, REG_S390 },
    { "cr", 16, REG_S390 }, { "acr", 16, REG_S390 }, { "fpr", 16, REG_S390 },
    { "nia", 0, REG_PPC }, { "msr", 0, REG_PPC }, { "ctr", 0, REG_PPC },
    { "lr", 0, REG_PPC }, { "xer", 0, REG_PPC }, { "cr", 0, REG_PPC },
    { "dar", 0, REG_PPC }, { "dsisr", 0, REG_PPC }, { "srr0", 0, REG_PPC },
    { "srr1", 0, REG_PPC }, { "pir", 0, REG_PPC }, { "pvr", 0, REG_PPC },
    { "fpscr", 0, REG_PPC },
};

/* Archs (bitmask) for which `name` is a register; 0 when unknown. */
static int reg_archs(const char *name)
{
    int archs = 0;
    for (size_t i = 0; i < N(reg_families); i++) {
        const struct reg_family *f = &reg_families[i];
        size_t pl = strlen(f->prefix);
        if (f->count == 0) {
            if (strcmp(name, f->prefix) == 0)
                archs |= f->archs;
            continue;
        }
        if (strncmp(name, f->prefix, pl) != 0)
            continue;
        const char *p = name + pl;
        if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] != '\0'))
            continue;
        char *end;
        unsigned long n = strtoul(p, &end, 10);
        if (*end != '\0' || strlen(p) > 2)
            continue;
        unsigned lo = (f->archs == REG_PPC && strcmp(f->prefix, "gpr") == 0) ? 16 : 0;
        if (n >= lo && n < f->count)
            archs |= f->archs;
    }
    return archs;
}

/* ---- parser state -------------------------------------------------------- */

struct token {
    char *key;      /* NULL for a bare word */
    char *val;
    bool quoted;
};

struct parser {
    const char *path;
    struct scn_error *err;
    struct scenario *s;
    int line;
    int seen_line[TOP_EXPECT + 1];   /* first line of each once-only directive */
};

static int perr(struct parser *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int perr(struct parser *p, int line, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (p->err && line > 0)
        snprintf(p->err->msg, sizeof(p->err->msg), "%s:%d: %s", p->path, line, msg);
    else if (p->err)
        snprintf(p->err->msg, sizeof(p->err->msg), "%s: %s", p->path, msg);
    return -1;
}

static bool choice_ok(const char *choices, const char *v)
{
    size_t vl = strlen(v);
    const char *c = choices;
    while (*c) {
        const char *bar = strchr(c, '|');
        size_t cl = bar ? (size_t)(bar - c) : strlen(c);
        if (cl == vl && strncmp(c, v, vl) == 0)
            return true;
        if (!bar)
            break;
        c = bar + 1;
    }
    return false;
}

/*
 * Number syntax: [-](decimal | 0xHEX)[K|M|G].  Returns 0 and *out, or
 * -1 (syntax: "bad number"), -2 (bad suffix), -3 (overflow).  `u64` allows
 * the full unsigned range (stored two's complement in *out).
 */
static int parse_number(const char *s, bool u64, int64_t *out, char *suffix)
{
    bool neg = false;
    const char *p = s;
    if (*p == '-') {
        neg = true;
        p++;
    }
    unsigned base = 10;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    uint64_t v = 0;
    size_t ndig = 0;
    for (;; p++) {
        unsigned d;
        if (*p >= '0' && *p <= '9')
            d = (unsigned)(*p - '0');
        else if (base == 16 && *p >= 'a' && *p <= 'f')
            d = (unsigned)(*p - 'a' + 10);
        else if (base == 16 && *p >= 'A' && *p <= 'F')
            d = (unsigned)(*p - 'A' + 10);
        else
            break;
        if (v > (UINT64_MAX - d) / base)
            return -3;
        v = v * base + d;
        ndig++;
    }
    if (ndig == 0)
        return -1;
    if (*p != '\0') {
        unsigned shift;
        if (p[1] != '\0' ||
            !((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
            return -1;
        switch (*p) {
        case 'K': shift = 10; break;
        case 'M': shift = 20; break;
        case 'G': shift = 30; break;
        default:
            *suffix = *p;
            return -2;
        }
        if (v > (UINT64_MAX >> shift))
            return -3;
        v <<= shift;
    }
    if (neg) {
        if (v > (uint64_t)INT64_MAX + 1)
            return -3;
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
        if (u64 && v != 0)
            return -3;
        return 0;
    }
    if (!u64 && v > (uint64_t)INT64_MAX)
        return -3;
    *out = (int64_t)v;
    return 0;
}

/* Split one line into tokens in place.  Returns count or -1 (error set). */
static int tokenize(struct parser *p, char *line, struct token *tok, size_t max)
{
    size_t n = 0;
    char *r = line;
    for (;;) {
        while (*r == ' ' || *r == '\t')
            r++;
        if (*r == '\0' || *r == '#')
            break;
        if (n == max)
            return perr(p, p->line, "too many words (max %zu)", max);
        struct token *t = &tok[n];
        t->key = NULL;
        t->quoted = false;
        /* key part: up to '=' (only when the token does not start with a quote) */
        char *start = r;
        if (*r != '"') {
            char *q = r;
            while (*q && *q != ' ' && *q != '\t' && *q != '=' && *q != '"' && *q != '#')
                q++;
            if (*q == '=') {
                if (q == r)
                    return perr(p, p->line, "missing key before '='");
                *q = '\0';
                t->key = r;
                r = q + 1;
                start = r;
            }
        }
        if (*r == '"') {
            /* quoted value: \" and \\ escapes; unescape in place */
            char *w = r;
            r++;
            start = w;
            for (;;) {
                if (*r == '\0')
                    return perr(p, p->line, "unterminated quote");
                if (*r == '\\' && (r[1] == '"' || r[1] == '\\')) {
                    *w++ = r[1];
                    r += 2;
                    continue;
                }
                if (*r == '"')
                    break;
                *w++ = *r++;
            }
            *w = '\0';
            r++;
            t->quoted = true;
            if (*r != '\0' && *r != ' ' && *r != '\t' && *r != '#')
                return perr(p, p->line, "unexpected character '%c' after closing quote", *r);
            if (*r == ' ' || *r == '\t')
                r++;
            else if (*r == '#')
                *r = '\0';   /* comment follows directly: end of line */
        } else {
            while (*r && *r != ' ' && *r != '\t' && *r != '#') {
                if (*r == '"')
                    return perr(p, p->line, "unexpected quote inside '%.*s'",
                                (int)(r - start + 1), start);
                if (*r == '=')
                    return perr(p, p->line, "unexpected '=' in value of '%s'",
                                t->key ? t->key : start);
                r++;
            }
            if (*r == '#')
                *r = '\0';
            else if (*r != '\0')
                *r++ = '\0';
        }
        t->val = start;
        n++;
        if (*r == '\0')
            break;
    }
    return (int)n;
}

static const struct item_schema *find_schema(const struct item_schema *tab, size_t n,
                                             const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(tab[i].name, name) == 0)
            return &tab[i];
    return NULL;
}

/*
 * Check key/value tokens against a schema and build the kv array.
 * `what` names the directive in messages ("machine", "step plant").
 */
static int build_args(struct parser *p, const char *what, const struct item_schema *sc,
                      struct token *tok, size_t ntok, struct scn_item *it)
{
    it->args = ntok ? calloc(ntok, sizeof(*it->args)) : NULL;
    if (ntok && !it->args)
        return perr(p, p->line, "out of memory");
    for (size_t i = 0; i < ntok; i++) {
        struct token *t = &tok[i];
        if (!t->key)
            return perr(p, p->line, "%s: unexpected word '%s'", what, t->val);
        const struct key_schema *ks = NULL;
        for (size_t k = 0; k < sc->nkeys; k++)
            if (strcmp(sc->keys[k].key, t->key) == 0)
                ks = &sc->keys[k];
        struct key_schema regks = { t->key, VT_U64, false, 0, 0, NULL };
        if (!ks && sc->allow_regs && reg_archs(t->key))
            ks = &regks;
        if (!ks)
            return perr(p, p->line, "%s: unknown key '%s'", what, t->key);
        for (size_t j = 0; j < it->nargs; j++)
            if (strcmp(it->args[j].key, t->key) == 0)
                return perr(p, p->line, "%s: duplicate key '%s'", what, t->key);
        struct scn_kv *kv = &it->args[it->nargs];
        kv->line = p->line;
        switch (ks->type) {
        case VT_TEXT:
            break;
        case VT_ENUM:
            if (!choice_ok(ks->choices, t->val))
                return perr(p, p->line, "%s: key '%s': '%s' is not one of %s",
                            what, t->key, t->val, ks->choices);
            break;
        case VT_NUM:
        case VT_U64: {
            char suffix = 0;
            int rc = parse_number(t->val, ks->type == VT_U64, &kv->num, &suffix);
            if (rc == -1)
                return perr(p, p->line, "%s: key '%s': bad number '%s'", what, t->key, t->val);
            if (rc == -2)
                return perr(p, p->line, "%s: key '%s': bad size suffix '%c' in '%s' (use K, M or G)",
                            what, t->key, suffix, t->val);
            if (rc == -3)
                return perr(p, p->line, "%s: key '%s': number '%s' out of range",
                            what, t->key, t->val);
            if (ks->type == VT_NUM && (ks->min != 0 || ks->max != 0) &&
                (kv->num < ks->min || kv->num > ks->max))
                return perr(p, p->line, "%s: key '%s': value %" PRId64 " out of range %" PRId64
                            "..%" PRId64, what, t->key, kv->num, ks->min, ks->max);
            kv->has_num = true;
            break;
        }
        }
        kv->key = strdup(t->key);
        kv->val = strdup(t->val);
        it->nargs++;
        if (!kv->key || !kv->val)
            return perr(p, p->line, "out of memory");
    }
    for (size_t k = 0; k < sc->nkeys; k++) {
        if (!sc->keys[k].required)
            continue;
        bool found = false;
        for (size_t j = 0; j < it->nargs; j++)
            if (strcmp(it->args[j].key, sc->keys[k].key) == 0)
                found = true;
        if (!found)
            return perr(p, p->line, "%s: missing required key '%s'", what, sc->keys[k].key);
    }
    return 0;
}

static void item_free(struct scn_item *it)
{
    for (size_t i = 0; i < it->nargs; i++) {
        free(it->args[i].key);
        free(it->args[i].val);
    }
    free(it->args);
    free(it->word);
    memset(it, 0, sizeof(*it));
}

static int push_item(struct parser *p, struct scn_item **arr, size_t *n, struct scn_item *it)
{
    struct scn_item *na = realloc(*arr, (*n + 1) * sizeof(**arr));
    if (!na) {
        item_free(it);
        return perr(p, p->line, "out of memory");
    }
    na[*n] = *it;
    *arr = na;
    (*n)++;
    return 0;
}

/* step/expect: "step KIND [WORD] key=value..." */
static int parse_item(struct parser *p, const char *dir, const struct item_schema *tab,
                      size_t ntab, struct token *tok, size_t ntok,
                      struct scn_item **arr, size_t *narr)
{
    if (ntok < 2 || tok[1].key)
        return perr(p, p->line, "%s: missing %s kind", dir, dir);
    const struct item_schema *sc = find_schema(tab, ntab, tok[1].val);
    if (!sc)
        return perr(p, p->line, "unknown %s '%s'", dir, tok[1].val);
    char what[96];
    snprintf(what, sizeof(what), "%s %s", dir, sc->name);
    struct scn_item it = { .kind = sc->kind, .line = p->line };
    size_t first = 2;
    if (sc->word != W_NONE) {
        if (ntok > 2 && !tok[2].key) {
            if (sc->word_choices && !choice_ok(sc->word_choices, tok[2].val)) {
                if (sc->kind == SCN_STEP_FAULT && tab == step_schema)
                    return perr(p, p->line, "%s: unknown fault target '%s' (one of %s)",
                                what, tok[2].val, sc->word_choices);
                return perr(p, p->line, "%s: '%s' is not one of %s", what, tok[2].val,
                            sc->word_choices);
            }
            it.word = strdup(tok[2].val);
            if (!it.word)
                return perr(p, p->line, "out of memory");
            first = 3;
        } else if (sc->word == W_REQUIRED) {
            return perr(p, p->line, "%s: missing word (one of %s)", what,
                        sc->word_choices ? sc->word_choices : "?");
        }
    }
    const struct item_schema *ksc = sc;
    if (sc->kind == SCN_STEP_FAULT && tab == step_schema) {
        ksc = find_schema(fault_schema, N(fault_schema), it.word);
        snprintf(what, sizeof(what), "step fault %s", it.word);
    }
    if (build_args(p, what, ksc, tok + first, ntok - first, &it) < 0) {
        item_free(&it);
        return -1;
    }
    return push_item(p, arr, narr, &it);
}

static int once(struct parser *p, int top, const char *name)
{
    if (p->seen_line[top])
        return perr(p, p->line, "duplicate '%s' directive (first at line %d)", name,
                    p->seen_line[top]);
    p->seen_line[top] = p->line;
    return 0;
}

static bool name_ok(const char *n)
{
    if (!*n)
        return false;
    for (; *n; n++)
        if (!((*n >= 'a' && *n <= 'z') || (*n >= '0' && *n <= '9') ||
              *n == '.' || *n == '_' || *n == '-'))
            return false;
    return true;
}

static int parse_line(struct parser *p, char *line)
{
    struct token tok[SCN_MAX_TOKENS];
    int nt = tokenize(p, line, tok, SCN_MAX_TOKENS);
    if (nt <= 0)
        return nt;
    size_t ntok = (size_t)nt;
    if (tok[0].key || tok[0].quoted)
        return perr(p, p->line, "expected a directive, got '%s%s%s'",
                    tok[0].key ? tok[0].key : "", tok[0].key ? "=" : "", tok[0].val);
    const struct item_schema *sc = find_schema(top_schema, N(top_schema), tok[0].val);
    if (!sc)
        return perr(p, p->line, "unknown directive '%s'", tok[0].val);
    if (sc->kind != TOP_SCENARIO && !p->seen_line[TOP_SCENARIO])
        return perr(p, p->line, "'scenario NAME' must be the first directive (got '%s')",
                    sc->name);
    struct scenario *s = p->s;
    switch (sc->kind) {
    case TOP_STEP:
        return parse_item(p, "step", step_schema, N(step_schema), tok, ntok,
                          &s->steps, &s->nsteps);
    case TOP_EXPECT:
        return parse_item(p, "expect", expect_schema, N(expect_schema), tok, ntok,
                          &s->expects, &s->nexpects);
    case TOP_SCENARIO:
    case TOP_DESCRIPTION:
    case TOP_BACKEND:
        if (once(p, sc->kind, sc->name) < 0)
            return -1;
        if (ntok < 2 || tok[1].key)
            return perr(p, p->line, "%s: missing %s", sc->name,
                        sc->kind == TOP_SCENARIO ? "NAME" :
                        sc->kind == TOP_BACKEND ? "backend (sim|qemu|libvirt)" : "text");
        if (ntok > 2)
            return perr(p, p->line, "%s: unexpected '%s'", sc->name,
                        tok[2].key ? tok[2].key : tok[2].val);
        if (sc->kind == TOP_SCENARIO && !name_ok(tok[1].val))
            return perr(p, p->line, "scenario: bad name '%s' (allowed: [a-z0-9._-]+)",
                        tok[1].val);
        if (sc->word_choices && !choice_ok(sc->word_choices, tok[1].val))
            return perr(p, p->line, "%s: '%s' is not one of %s", sc->name, tok[1].val,
                        sc->word_choices);
        {
            char **dst = sc->kind == TOP_SCENARIO ? &s->name :
                         sc->kind == TOP_BACKEND ? &s->backend : &s->description;
            free(*dst);
            *dst = strdup(tok[1].val);
            if (!*dst)
                return perr(p, p->line, "out of memory");
        }
        return 0;
    case TOP_MACHINE:
    case TOP_DUMP: {
        if (once(p, sc->kind, sc->name) < 0)
            return -1;
        struct scn_item it = { .kind = sc->kind, .line = p->line };
        if (build_args(p, sc->name, sc, tok + 1, ntok - 1, &it) < 0) {
            item_free(&it);
            return -1;
        }
        if (sc->kind == TOP_MACHINE) {
            const char *arch = scn_get_str(&it, "arch", "s390x");
            s->machine.arch = strcmp(arch, "s390x") == 0 ? SCN_ARCH_S390X :
                              strcmp(arch, "ppc64") == 0 ? SCN_ARCH_PPC64 : SCN_ARCH_X86_64;
            s->machine.memory = (uint64_t)scn_get_num(&it, "memory", 0);
            s->machine.cpus = (unsigned)scn_get_num(&it, "cpus", 1);
            s->machine.max_cpus = (unsigned)scn_get_num(&it, "max-cpus", s->machine.cpus);
            s->machine.seed = (uint64_t)scn_get_num(&it, "seed", 0);
            s->machine.line = p->line;
            const char *prof = scn_get_str(&it, "profile", NULL);
            int rc = 0;
            if (prof && !(s->machine.profile = strdup(prof)))
                rc = perr(p, p->line, "out of memory");
            else if (s->machine.max_cpus < s->machine.cpus)
                rc = perr(p, p->line, "machine: max-cpus=%u is less than cpus=%u",
                          s->machine.max_cpus, s->machine.cpus);
            else if (s->machine.memory % 4096)
                rc = perr(p, p->line, "machine: memory=%" PRIu64 " is not a multiple of 4K",
                          s->machine.memory);
            item_free(&it);
            return rc;
        }
        s->dump.method = strdup(scn_get_str(&it, "method", ""));
        s->dump.format = strdup(scn_get_str(&it, "format", "elf"));
        const char *tgt = scn_get_str(&it, "target", NULL);
        s->dump.target = tgt ? strdup(tgt) : NULL;
        s->dump.transport = strdup(scn_get_str(&it, "transport", "virtio"));
        s->dump.fcp_luns = (unsigned)scn_get_num(&it, "fcp-luns", 1);
        s->dump.lun = (unsigned)scn_get_num(&it, "lun", 0);
        s->dump.line = p->line;
        bool fcp = scn_arg(&it, "transport") && strcmp(scn_get_str(&it, "transport", ""), "fcp") == 0;
        const char *fcp_only = scn_arg(&it, "fcp-luns") ? "fcp-luns" : scn_arg(&it, "lun") ? "lun" : NULL;
        int rc = 0;
        if (!s->dump.method || !s->dump.format || (tgt && !s->dump.target) || !s->dump.transport)
            rc = perr(p, p->line, "out of memory");
        else if (fcp_only && !fcp)
            rc = perr(p, p->line, "dump: key '%s' needs transport=fcp", fcp_only);
        else if (s->dump.lun >= s->dump.fcp_luns)
            rc = perr(p, p->line, "dump: key 'lun': LUN index %u but fcp-luns=%u", s->dump.lun,
                      s->dump.fcp_luns);
        item_free(&it);
        return rc;
    }
    }
    return perr(p, p->line, "internal error");
}

/* Whole-scenario checks after the last line. */
static int finish(struct parser *p, int lastline)
{
    struct scenario *s = p->s;
    if (!p->seen_line[TOP_SCENARIO])
        return perr(p, lastline, "missing 'scenario' directive");
    if (!p->seen_line[TOP_MACHINE])
        return perr(p, lastline, "missing 'machine' directive");
    if (!p->seen_line[TOP_DUMP])
        return perr(p, lastline, "missing 'dump' directive");
    if (!s->backend && !(s->backend = strdup("sim")))
        return perr(p, lastline, "out of memory");
    int bit = s->machine.arch == SCN_ARCH_S390X ? REG_S390 :
              s->machine.arch == SCN_ARCH_PPC64 ? REG_PPC : 0;
    for (size_t i = 0; i < s->nsteps; i++) {
        const struct scn_item *it = &s->steps[i];
        if (it->kind == SCN_STEP_SET_REGS) {
            for (size_t j = 0; j < it->nargs; j++) {
                const char *k = it->args[j].key;
                int a = reg_archs(k);
                if (a && !(a & bit))
                    return perr(p, it->line, "step set-regs: register '%s' does not exist on %s",
                                k, scn_arch_name(s->machine.arch));
            }
            int64_t cpu = scn_get_num(it, "cpu", 0);
            if (cpu >= (int64_t)s->machine.max_cpus)
                return perr(p, it->line, "step set-regs: cpu=%" PRId64 " but the machine has %u CPU slots",
                            cpu, s->machine.max_cpus);
        }
        if (it->kind == SCN_STEP_FAULT && it->word && strcmp(it->word, "fcp") == 0 &&
            scn_arg(it, "lun") && s->dump.transport && strcmp(s->dump.transport, "fcp") == 0 &&
            scn_get_num(it, "lun", 0) >= (int64_t)s->dump.fcp_luns)
            return perr(p, it->line, "step fault fcp: key 'lun': LUN index %" PRId64 " but the dump "
                        "directive (line %d) has fcp-luns=%u", scn_get_num(it, "lun", 0),
                        s->dump.line, s->dump.fcp_luns);
        if (it->kind == SCN_STEP_CRASH) {
            int64_t cpu = scn_get_num(it, "cpu", 0);
            if (cpu >= (int64_t)s->machine.max_cpus)
                return perr(p, it->line, "step crash: cpu=%" PRId64 " but the machine has %u CPU slots",
                            cpu, s->machine.max_cpus);
        }
    }
    return 0;
}

int scn_parse_buffer(const char *path, const char *text, size_t len,
                     struct scenario **out, struct scn_error *err)
{
    struct parser p = { .path = path ? path : "<buffer>", .err = err };
    *out = NULL;
    if (err)
        err->msg[0] = '\0';
    if (!text && len)
        return perr(&p, 1, "no text");
    p.s = calloc(1, sizeof(*p.s));
    if (!p.s || !(p.s->path = strdup(p.path))) {
        free(p.s);
        return perr(&p, 1, "out of memory");
    }
    char *line = malloc(SCN_MAX_LINE + 1);
    if (!line) {
        scn_free(p.s);
        return perr(&p, 1, "out of memory");
    }
    int rc = 0;
    size_t pos = 0;
    int lineno = 0;
    bool any = false;
    while (pos < len) {
        lineno++;
        p.line = lineno;
        size_t e = pos;
        while (e < len && text[e] != '\n')
            e++;
        size_t ll = e - pos;
        if (memchr(text + pos, '\0', ll)) {
            rc = perr(&p, lineno, "NUL byte in file");
            break;
        }
        if (ll && text[pos + ll - 1] == '\r')
            ll--;
        if (ll > SCN_MAX_LINE) {
            rc = perr(&p, lineno, "line too long (%zu bytes, max %d)", ll, SCN_MAX_LINE);
            break;
        }
        memcpy(line, text + pos, ll);
        line[ll] = '\0';
        for (size_t i = 0; i < ll; i++) {
            unsigned char c = (unsigned char)line[i];
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                rc = perr(&p, lineno, "control character 0x%02x in line", c);
                break;
            }
        }
        if (rc < 0)
            break;
        const char *q = line;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q && *q != '#')
            any = true;
        rc = parse_line(&p, line);
        if (rc < 0)
            break;
        pos = e + 1;
    }
    free(line);
    if (rc == 0 && !any)
        rc = perr(&p, lineno ? lineno : 1, "empty file (no directives)");
    if (rc == 0)
        rc = finish(&p, lineno ? lineno : 1);
    if (rc < 0) {
        scn_free(p.s);
        return -1;
    }
    *out = p.s;
    return 0;
}

int scn_parse_file(const char *path, struct scenario **out, struct scn_error *err)
{
    struct parser p = { .path = path, .err = err };
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return perr(&p, 0, "cannot open: %s", strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = 0;
    for (;;) {
        if (len == cap) {
            if (cap >= SCN_MAX_FILE) {
                rc = perr(&p, 0, "file too large (max %u bytes)", SCN_MAX_FILE);
                break;
            }
            cap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, cap);
            if (!nb) {
                rc = perr(&p, 0, "out of memory");
                break;
            }
            buf = nb;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f))
                rc = perr(&p, 0, "read error: %s", strerror(errno));
            break;
        }
    }
    fclose(f);
    if (rc == 0)
        rc = scn_parse_buffer(path, buf, len, out, err);
    free(buf);
    return rc;
}

void scn_free(struct scenario *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nsteps; i++)
        item_free(&s->steps[i]);
    for (size_t i = 0; i < s->nexpects; i++)
        item_free(&s->expects[i]);
    free(s->steps);
    free(s->expects);
    free(s->path);
    free(s->name);
    free(s->description);
    free(s->backend);
    free(s->machine.profile);
    free(s->dump.method);
    free(s->dump.format);
    free(s->dump.target);
    free(s->dump.transport);
    free(s);
}

const struct scn_kv *scn_arg(const struct scn_item *it, const char *key)
{
    if (!it || !key)
        return NULL;
    for (size_t i = 0; i < it->nargs; i++)
        if (strcmp(it->args[i].key, key) == 0)
            return &it->args[i];
    return NULL;
}

int64_t scn_get_num(const struct scn_item *it, const char *key, int64_t dflt)
{
    const struct scn_kv *kv = scn_arg(it, key);
    return kv && kv->has_num ? kv->num : dflt;
}

const char *scn_get_str(const struct scn_item *it, const char *key, const char *dflt)
{
    const struct scn_kv *kv = scn_arg(it, key);
    return kv ? kv->val : dflt;
}

const char *scn_step_name(int kind)
{
    for (size_t i = 0; i < N(step_schema); i++)
        if (step_schema[i].kind == kind)
            return step_schema[i].name;
    return "?";
}

const char *scn_expect_name(int kind)
{
    for (size_t i = 0; i < N(expect_schema); i++)
        if (expect_schema[i].kind == kind)
            return expect_schema[i].name;
    return "?";
}

const char *scn_arch_name(enum scn_arch a)
{
    switch (a) {
    case SCN_ARCH_S390X: return "s390x";
    case SCN_ARCH_PPC64: return "ppc64";
    case SCN_ARCH_X86_64: return "x86_64";
    }
    return "?";
}
