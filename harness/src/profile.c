/*
 * Firmware profile files (contract: <harness/profile.h>, format:
 * scenarios/profiles/README.md).
 *
 * One table per model maps each key to a field of the model's public
 * profile struct (offset, width, type, range).  Parsing, writing and the
 * field-by-field diff all walk the same table, and the unit test checks
 * that the table covers every byte of the struct (a data file that parses
 * to a built-in must memcmp-equal it).
 */
#include <harness/profile.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum kt {
    KT_BOOL,        /* yes | no */
    KT_UINT,        /* unsigned, width 1/2/4/8; decimal or 0x hex */
    KT_SIZE,        /* unsigned 8 bytes, K/M/G/T suffixes allowed */
    KT_INT,         /* signed 32 bit */
    KT_BYTES8,      /* 8 raw bytes as 16 hex digits */
    KT_HPTE,        /* none | zero */
    KT_CMD,         /* any | register | unregister | invalidate | number */
};

struct key {
    const char *name;
    enum kt type;
    size_t off;
    size_t width;
    int64_t min;
    uint64_t max;
    bool hex;       /* written in hex */
};

#define S(f) offsetof(struct sclp_profile, f), sizeof(((struct sclp_profile *)0)->f)
#define P(f) offsetof(struct phyp_profile, f), sizeof(((struct phyp_profile *)0)->f)

/* libsclp: struct sclp_profile (sclp-model/include/sclp/sclp.h), in field order. */
static const struct key sclp_keys[] = {
    { "hsa-size", KT_SIZE, S(hsa_size), 0, SCLP_MAX_HSA_SIZE, false },
    { "dump-installed", KT_BOOL, S(dump_installed), 0, 1, false },
    { "dump-supported", KT_BOOL, S(dump_supported), 0, 1, false },
    { "sdias", KT_BOOL, S(sdias), 0, 1, false },
    { "nvme-ipl", KT_BOOL, S(nvme_ipl), 0, 1, false },
    { "ext-sccb", KT_BOOL, S(ext_sccb), 0, 1, false },
    { "vector", KT_BOOL, S(vector), 0, 1, false },
    { "mask-len4-only", KT_BOOL, S(mask_len4_only), 0, 1, false },
    { "increment-mb", KT_UINT, S(increment_mb), 1, UINT32_MAX, false },
    { "facilities", KT_UINT, S(facilities), 0, UINT64_MAX, true },
    { "fac42", KT_UINT, S(fac42), 0, UINT8_MAX, true },
    { "fac43", KT_UINT, S(fac43), 0, UINT8_MAX, true },
    { "fac66", KT_UINT, S(fac66), 0, UINT8_MAX, true },
    { "fac84", KT_UINT, S(fac84), 0, UINT8_MAX, true },
    { "fac85", KT_UINT, S(fac85), 0, UINT8_MAX, true },
    { "fac91", KT_UINT, S(fac91), 0, UINT8_MAX, true },
    { "fac98", KT_UINT, S(fac98), 0, UINT8_MAX, true },
    { "fac116", KT_UINT, S(fac116), 0, UINT8_MAX, true },
    { "fac117", KT_UINT, S(fac117), 0, UINT8_MAX, true },
    { "fac118", KT_UINT, S(fac118), 0, UINT8_MAX, true },
    { "fac119", KT_UINT, S(fac119), 0, UINT8_MAX, true },
    { "ibc", KT_UINT, S(ibc), 0, UINT32_MAX, true },
    { "hmfai", KT_UINT, S(hmfai), 0, UINT32_MAX, true },
    { "loadparm", KT_BYTES8, S(loadparm), 0, 0, true },
    { "sclp-receive-mask", KT_UINT, S(sclp_receive_mask), 0, UINT64_MAX, true },
    { "sclp-send-mask", KT_UINT, S(sclp_send_mask), 0, UINT64_MAX, true },
    { "read-info-rc", KT_UINT, S(read_info_rc), 0, UINT16_MAX, true },
    { "sdias-rc", KT_UINT, S(sdias_rc), 0, UINT16_MAX, true },
    { "sdias-copy-status", KT_UINT, S(sdias_copy_status), 0, UINT8_MAX, true },
    { "sdias-partial-max", KT_UINT, S(sdias_partial_max), 0, UINT32_MAX, false },
    { "dump-busy-count", KT_UINT, S(dump_busy_count), 0, UINT32_MAX, false },
};

/* libphyp: struct phyp_profile (phyp-model/include/phyp/phyp.h), in field order. */
static const struct key phyp_keys[] = {
    { "supported", KT_BOOL, P(supported), 0, 1, false },
    { "token", KT_UINT, P(token), 0, UINT32_MAX, true },
    { "version-min", KT_UINT, P(version_min), 0, UINT32_MAX, false },
    { "version-max", KT_UINT, P(version_max), 0, UINT32_MAX, false },
    { "max-sections", KT_UINT, P(max_sections), 1, PHYP_MAX_SECTIONS_LIMIT, false },
    { "rma-size", KT_SIZE, P(rma_size), 0, UINT64_MAX, false },
    { "max-cpus", KT_UINT, P(max_cpus), 0, UINT32_MAX, false },
    { "hpte-size", KT_SIZE, P(hpte_size), 0, UINT64_MAX, false },
    { "hpte-mode", KT_HPTE, P(hpte_mode), 0, 0, false },
    { "rmr-align", KT_SIZE, P(rmr_align), 0, UINT64_MAX, false },
    { "strict-sections", KT_BOOL, P(strict_sections), 0, 1, false },
    { "strict-size", KT_BOOL, P(strict_size), 0, 1, false },
    { "invalidate-idle-ok", KT_BOOL, P(invalidate_idle_ok), 0, 1, false },
    { "version-prop-host-le", KT_BOOL, P(version_prop_host_le), 0, 1, false },
    { "reset-drops-registration", KT_BOOL, P(reset_drops_registration), 0, 1, false },
    { "busy-rc", KT_INT, P(busy_rc), INT32_MIN, INT32_MAX, false },
    { "busy-count", KT_UINT, P(busy_count), 0, UINT32_MAX, false },
    { "fault-cmd", KT_CMD, P(fault.cmd), 0, UINT32_MAX, false },
    { "fault-rc", KT_INT, P(fault.rc), INT32_MIN, INT32_MAX, false },
    { "fault-count", KT_UINT, P(fault.count), 0, UINT32_MAX, false },
};

#undef S
#undef P

#define NKEYS(t) (sizeof(t) / sizeof((t)[0]))
#define MAX_KEYS 40
_Static_assert(NKEYS(sclp_keys) <= MAX_KEYS && NKEYS(phyp_keys) <= MAX_KEYS, "MAX_KEYS");
_Static_assert(FWP_NAME_MAX == SCLP_PROFILE_NAME_MAX, "profile name sizes");

static const struct key *keys_of(enum fwp_model m, size_t *n)
{
    switch (m) {
    case FWP_SCLP: *n = NKEYS(sclp_keys); return sclp_keys;
    case FWP_PHYP: *n = NKEYS(phyp_keys); return phyp_keys;
    default: *n = 0; return NULL;
    }
}

static void *struct_of(struct fw_profile *p)
{
    return p->model == FWP_SCLP ? (void *)&p->sclp : (void *)&p->phyp;
}

static const void *cstruct_of(const struct fw_profile *p)
{
    return p->model == FWP_SCLP ? (const void *)&p->sclp : (const void *)&p->phyp;
}

const char *fwp_model_name(enum fwp_model m)
{
    return m == FWP_SCLP ? "sclp" : m == FWP_PHYP ? "phyp" : "none";
}

enum fwp_model fwp_model_for_arch(enum scn_arch a)
{
    return a == SCN_ARCH_S390X ? FWP_SCLP : a == SCN_ARCH_PPC64 ? FWP_PHYP : FWP_NONE;
}

const char *fwp_default_name(enum fwp_model m)
{
    /* What the sim backend uses without `profile=` (sim/src/backend.c,
     * sim/src/ppc64_backend.c). */
    return m == FWP_SCLP ? sclp_profile_default()->name : m == FWP_PHYP ? "phyp-default" : NULL;
}

const struct phyp_profile *fwp_phyp(struct fw_profile *p)
{
    p->phyp.name = p->name;
    return &p->phyp;
}

size_t fwp_key_count(enum fwp_model m)
{
    size_t n;
    (void)keys_of(m, &n);
    return n;
}

const char *fwp_key_name(enum fwp_model m, size_t i)
{
    size_t n;
    const struct key *k = keys_of(m, &n);
    return i < n ? k[i].name : NULL;
}

static bool name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= FWP_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-'))
            return false;
    }
    return true;
}

static void init_model(struct fw_profile *out, enum fwp_model m)
{
    memset(out, 0, sizeof(*out));
    out->model = m;
}

int fwp_builtin(enum fwp_model m, const char *name, struct fw_profile *out)
{
    if (!name || !out || !name_ok(name))
        return -1;
    if (m == FWP_SCLP) {
        const struct sclp_profile *b = sclp_profile_lookup(name);
        if (!b)
            return -1;
        init_model(out, m);
        out->sclp = *b;
    } else if (m == FWP_PHYP) {
        const struct phyp_profile *b = phyp_profile_find(name);
        if (!b)
            return -1;
        init_model(out, m);
        out->phyp = *b;
        out->phyp.name = NULL;
    } else {
        return -1;
    }
    snprintf(out->name, sizeof(out->name), "%s", name);
    return 0;
}

/* ---- values ------------------------------------------------------------------ */

/* Unsigned decimal or 0x hex, optional K/M/G/T suffix when `size`. */
static int parse_u64(const char *v, bool size, uint64_t *out)
{
    const char *p = v;
    int base = 10;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    if (!*p)
        return -1;
    uint64_t x = 0;
    for (; *p; p++) {
        int d;
        if (*p >= '0' && *p <= '9')
            d = *p - '0';
        else if (base == 16 && *p >= 'a' && *p <= 'f')
            d = *p - 'a' + 10;
        else if (base == 16 && *p >= 'A' && *p <= 'F')
            d = *p - 'A' + 10;
        else
            break;
        if (x > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            return -2;
        x = x * (uint64_t)base + (uint64_t)d;
    }
    if (*p) {
        unsigned shift;
        switch (*p) {
        case 'K': shift = 10; break;
        case 'M': shift = 20; break;
        case 'G': shift = 30; break;
        case 'T': shift = 40; break;
        default: return -1;
        }
        if (!size || p[1] || base == 16)
            return -1;
        if (x > (UINT64_MAX >> shift))
            return -2;
        x <<= shift;
    }
    *out = x;
    return 0;
}

static void store_uint(void *base, const struct key *k, uint64_t v)
{
    uint8_t *f = (uint8_t *)base + k->off;
    switch (k->width) {
    case 1: { uint8_t x = (uint8_t)v; memcpy(f, &x, 1); break; }
    case 2: { uint16_t x = (uint16_t)v; memcpy(f, &x, 2); break; }
    case 4: { uint32_t x = (uint32_t)v; memcpy(f, &x, 4); break; }
    default: memcpy(f, &v, 8); break;
    }
}

static uint64_t load_uint(const void *base, const struct key *k)
{
    const uint8_t *f = (const uint8_t *)base + k->off;
    switch (k->width) {
    case 1: { uint8_t x; memcpy(&x, f, 1); return x; }
    case 2: { uint16_t x; memcpy(&x, f, 2); return x; }
    case 4: { uint32_t x; memcpy(&x, f, 4); return x; }
    default: { uint64_t x; memcpy(&x, f, 8); return x; }
    }
}

static const struct { const char *n; uint32_t v; } cmd_names[] = {
    { "any", 0 },
    { "register", PHYP_CMD_REGISTER },
    { "unregister", PHYP_CMD_UNREGISTER },
    { "invalidate", PHYP_CMD_INVALIDATE },
};

/* Parse v into the field; NULL or a message (static text or into buf). */
static const char *set_value(void *base, const struct key *k, const char *v, char *buf,
                             size_t buflen)
{
    uint8_t *f = (uint8_t *)base + k->off;
    uint64_t u;
    int rc;
    switch (k->type) {
    case KT_BOOL:
        if (!strcmp(v, "yes") || !strcmp(v, "no")) {
            bool b = v[0] == 'y';
            memcpy(f, &b, sizeof(b));
            return NULL;
        }
        return "expected yes or no";
    case KT_HPTE: {
        enum phyp_hpte_mode m;
        if (!strcmp(v, "none"))
            m = PHYP_HPTE_NONE;
        else if (!strcmp(v, "zero"))
            m = PHYP_HPTE_ZERO;
        else
            return "expected none or zero";
        memcpy(f, &m, sizeof(m));
        return NULL;
    }
    case KT_BYTES8: {
        const char *p = v;
        if (p[0] == '0' && p[1] == 'x')
            p += 2;
        if (strlen(p) != 16)
            return "expected 16 hex digits (8 bytes)";
        for (int i = 0; i < 8; i++) {
            unsigned b;
            char two[3] = { p[2 * i], p[2 * i + 1], 0 };
            char *end;
            b = (unsigned)strtoul(two, &end, 16);
            if (*end || two[0] == '+' || two[0] == '-' || two[0] == ' ')
                return "expected 16 hex digits (8 bytes)";
            f[i] = (uint8_t)b;
        }
        return NULL;
    }
    case KT_CMD:
        for (size_t i = 0; i < sizeof(cmd_names) / sizeof(cmd_names[0]); i++) {
            if (!strcmp(v, cmd_names[i].n)) {
                store_uint(base, k, cmd_names[i].v);
                return NULL;
            }
        }
        if (parse_u64(v, false, &u) != 0 || u > UINT32_MAX)
            return "expected any, register, unregister, invalidate or a command number";
        store_uint(base, k, u);
        return NULL;
    case KT_INT: {
        bool neg = v[0] == '-';
        rc = parse_u64(neg ? v + 1 : v, false, &u);
        if (rc != 0) {
            snprintf(buf, buflen, "'%.40s' is not an integer", v);
            return buf;
        }
        if ((!neg && u > (uint64_t)k->max) || (neg && u > (uint64_t)INT32_MAX + 1)) {
            snprintf(buf, buflen, "%.40s out of range (32-bit signed)", v);
            return buf;
        }
        int32_t x = neg ? (int32_t)(-(int64_t)u) : (int32_t)u;
        memcpy(f, &x, sizeof(x));
        return NULL;
    }
    case KT_UINT:
    case KT_SIZE:
        rc = parse_u64(v, k->type == KT_SIZE, &u);
        if (rc == -2 || (rc == 0 && (u > k->max || u < (uint64_t)k->min))) {
            snprintf(buf, buflen, "%.40s out of range (%" PRId64 "..%" PRIu64 ")", v, k->min,
                     k->max);
            return buf;
        }
        if (rc != 0) {
            snprintf(buf, buflen, "'%.40s' is not %s", v,
                     k->type == KT_SIZE ? "a size (N, 0xN, NK, NM, NG)" : "a number");
            return buf;
        }
        store_uint(base, k, u);
        return NULL;
    }
    return "internal: unknown key type";
}

static void format_value(const void *base, const struct key *k, char *buf, size_t len)
{
    const uint8_t *f = (const uint8_t *)base + k->off;
    switch (k->type) {
    case KT_BOOL: {
        bool b;
        memcpy(&b, f, sizeof(b));
        snprintf(buf, len, "%s", b ? "yes" : "no");
        return;
    }
    case KT_HPTE: {
        enum phyp_hpte_mode m;
        memcpy(&m, f, sizeof(m));
        snprintf(buf, len, "%s", m == PHYP_HPTE_ZERO ? "zero" : m == PHYP_HPTE_NONE ? "none"
                                                                                 : "?");
        return;
    }
    case KT_BYTES8:
        snprintf(buf, len, "0x%02x%02x%02x%02x%02x%02x%02x%02x", f[0], f[1], f[2], f[3], f[4],
                 f[5], f[6], f[7]);
        return;
    case KT_CMD: {
        uint64_t u = load_uint(base, k);
        for (size_t i = 0; i < sizeof(cmd_names) / sizeof(cmd_names[0]); i++) {
            if (cmd_names[i].v == u) {
                snprintf(buf, len, "%s", cmd_names[i].n);
                return;
            }
        }
        snprintf(buf, len, "%" PRIu64, u);
        return;
    }
    case KT_INT: {
        int32_t x;
        memcpy(&x, f, sizeof(x));
        snprintf(buf, len, "%" PRId32, x);
        return;
    }
    case KT_SIZE: {
        uint64_t u = load_uint(base, k);
        static const struct { char c; unsigned s; } suf[] = {
            { 'T', 40 }, { 'G', 30 }, { 'M', 20 }, { 'K', 10 } };
        for (size_t i = 0; i < sizeof(suf) / sizeof(suf[0]) && u; i++) {
            if (u % (UINT64_C(1) << suf[i].s) == 0) {
                snprintf(buf, len, "%" PRIu64 "%c", u >> suf[i].s, suf[i].c);
                return;
            }
        }
        snprintf(buf, len, "%" PRIu64, u);
        return;
    }
    case KT_UINT: {
        uint64_t u = load_uint(base, k);
        if (k->hex)
            snprintf(buf, len, "0x%0*" PRIx64, (int)k->width * 2, u);
        else
            snprintf(buf, len, "%" PRIu64, u);
        return;
    }
    }
    snprintf(buf, len, "?");
}

/* ---- parser -------------------------------------------------------------------- */

struct pctx {
    const char *path;
    char *err;
    size_t errlen;
};

static int perr(struct pctx *c, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int perr(struct pctx *c, int line, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (c->err && c->errlen) {
        if (line > 0)
            snprintf(c->err, c->errlen, "%s:%d: %s", c->path, line, msg);
        else
            snprintf(c->err, c->errlen, "%s: %s", c->path, msg);
    }
    return -1;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* The key whose field a validator message names ("hsa_size ..."), or -1. */
static int key_for_message(const struct key *keys, size_t n, const char *msg)
{
    for (size_t i = 0; i < n; i++) {
        char field[40];
        snprintf(field, sizeof(field), "%s", keys[i].name);
        for (char *p = field; *p; p++)
            if (*p == '-')
                *p = '_';
        size_t fl = strlen(field);
        if (!strncmp(msg, field, fl) && (msg[fl] == ' ' || msg[fl] == '\0'))
            return (int)i;
    }
    return -1;
}

int fwp_parse_buffer(const char *path, const char *text, size_t len,
                     struct fw_profile *out, char *err, size_t errlen)
{
    struct pctx c = { path ? path : "profile", err, errlen };
    if (!text || !out)
        return perr(&c, 0, "no input");
    struct fw_profile p;
    memset(&p, 0, sizeof(p));
    int key_line[MAX_KEYS] = { 0 };
    int model_line = 0, name_line = 0, base_line = 0, lineno = 0;
    const struct key *keys = NULL;
    size_t nkeys = 0;
    size_t pos = 0;
    while (pos < len) {
        size_t e = pos;
        while (e < len && text[e] != '\n')
            e++;
        lineno++;
        size_t ll = e - pos;
        char line[512];
        if (ll >= sizeof(line))
            return perr(&c, lineno, "line longer than %zu bytes", sizeof(line) - 1);
        memcpy(line, text + pos, ll);
        line[ll] = '\0';
        pos = e + 1;
        if (memchr(line, '\0', ll))
            return perr(&c, lineno, "NUL byte in line");
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = trim(line);
        if (!*s)
            continue;
        char *eq = strchr(s, '=');
        if (!eq)
            return perr(&c, lineno, "expected 'key = value', got '%.60s'", s);
        *eq = '\0';
        char *k = trim(s), *v = trim(eq + 1);
        if (!*k)
            return perr(&c, lineno, "missing key before '='");
        if (!*v)
            return perr(&c, lineno, "key '%.40s': missing value", k);
        if (strchr(v, ' ') || strchr(v, '\t'))
            return perr(&c, lineno, "key '%.40s': value '%.60s' contains blanks", k, v);
        if (!strcmp(k, "model")) {
            if (model_line)
                return perr(&c, lineno, "key 'model' repeated (first on line %d)", model_line);
            if (name_line || base_line)
                return perr(&c, lineno, "key 'model' must come first");
            if (!strcmp(v, "sclp"))
                p.model = FWP_SCLP;
            else if (!strcmp(v, "phyp"))
                p.model = FWP_PHYP;
            else
                return perr(&c, lineno, "key 'model': '%.40s' is not sclp or phyp", v);
            model_line = lineno;
            keys = keys_of(p.model, &nkeys);
            continue;
        }
        if (!model_line)
            return perr(&c, lineno, "key 'model' (sclp or phyp) must come first, got '%.40s'", k);
        if (!strcmp(k, "name")) {
            if (name_line)
                return perr(&c, lineno, "key 'name' repeated (first on line %d)", name_line);
            if (!name_ok(v))
                return perr(&c, lineno, "key 'name': '%.60s' is not [a-z0-9._-]{1,%d}", v,
                            FWP_NAME_MAX - 1);
            snprintf(p.name, sizeof(p.name), "%s", v);
            name_line = lineno;
            continue;
        }
        if (!strcmp(k, "base")) {
            if (base_line)
                return perr(&c, lineno, "key 'base' repeated (first on line %d)", base_line);
            for (size_t i = 0; i < nkeys; i++)
                if (key_line[i])
                    return perr(&c, lineno, "key 'base' must come before '%s' (line %d)",
                                keys[i].name, key_line[i]);
            struct fw_profile b;
            if (fwp_builtin(p.model, v, &b) != 0)
                return perr(&c, lineno, "key 'base': no built-in %s profile '%.40s'",
                            fwp_model_name(p.model), v);
            if (p.model == FWP_SCLP)
                p.sclp = b.sclp;
            else
                p.phyp = b.phyp;
            snprintf(p.base, sizeof(p.base), "%s", v);
            base_line = lineno;
            continue;
        }
        size_t i;
        for (i = 0; i < nkeys; i++)
            if (!strcmp(keys[i].name, k))
                break;
        if (i == nkeys)
            return perr(&c, lineno, "unknown key '%.40s' for model %s", k,
                        fwp_model_name(p.model));
        if (key_line[i])
            return perr(&c, lineno, "key '%s' repeated (first on line %d)", k, key_line[i]);
        char buf[160];
        const char *msg = set_value(struct_of(&p), &keys[i], v, buf, sizeof(buf));
        if (msg)
            return perr(&c, lineno, "key '%s': %s", k, msg);
        key_line[i] = lineno;
    }
    if (!model_line)
        return perr(&c, 0, "missing key 'model' (sclp or phyp)");
    if (!name_line)
        return perr(&c, 0, "missing key 'name'");
    if (!base_line) {
        for (size_t i = 0; i < nkeys; i++)
            if (!key_line[i])
                return perr(&c, 0, "missing key '%s' (every key is required without 'base =')",
                            keys[i].name);
    }
    char vmsg[160] = "";
    int vrc;
    if (p.model == FWP_SCLP) {
        memcpy(p.sclp.name, p.name, sizeof(p.sclp.name));
        vrc = sclp_profile_validate(&p.sclp, vmsg, sizeof(vmsg)) == SCLP_OK ? 0 : -1;
    } else {
        vrc = phyp_profile_validate(fwp_phyp(&p), vmsg, sizeof(vmsg)) == PHYP_OK ? 0 : -1;
        p.phyp.name = NULL;
    }
    if (vrc != 0) {
        int ki = key_for_message(keys, nkeys, vmsg);
        if (ki >= 0 && key_line[ki])
            return perr(&c, key_line[ki], "key '%s': %s", keys[ki].name, vmsg);
        if (ki >= 0)
            return perr(&c, base_line, "key '%s' (from base %s): %s", keys[ki].name, p.base,
                        vmsg);
        return perr(&c, 0, "invalid %s profile: %s", fwp_model_name(p.model), vmsg);
    }
    snprintf(p.source, sizeof(p.source), "%s", c.path);
    *out = p;
    return 0;
}

int fwp_parse_file(const char *path, struct fw_profile *out, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *buf = NULL;
    size_t cap = 0, len = 0;
    int rc = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            if (cap >= (1u << 20)) {
                snprintf(err, errlen, "%s: larger than 1 MiB, not a profile", path);
                rc = -1;
                break;
            }
            size_t nc = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, nc);
            if (!nb) {
                snprintf(err, errlen, "%s: out of memory", path);
                rc = -1;
                break;
            }
            buf = nb;
            cap = nc;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
    }
    if (rc == 0 && ferror(f)) {
        snprintf(err, errlen, "%s: read error", path);
        rc = -1;
    }
    fclose(f);
    if (rc == 0)
        rc = fwp_parse_buffer(path, buf, len, out, err, errlen);
    free(buf);
    return rc;
}

static bool file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

int fwp_resolve(const char *spec, const char *dir, enum scn_arch arch,
                struct fw_profile *out, char *err, size_t errlen)
{
    enum fwp_model m = fwp_model_for_arch(arch);
    if (m == FWP_NONE) {
        snprintf(err, errlen, "arch %s has no firmware profile", scn_arch_name(arch));
        return -1;
    }
    if (!spec)
        spec = fwp_default_name(m);
    size_t sl = strlen(spec);
    bool is_file = strchr(spec, '/') || (sl > 8 && !strcmp(spec + sl - 8, ".profile"));
    char path[FWP_SOURCE_MAX];
    if (!is_file) {
        if (!name_ok(spec)) {
            snprintf(err, errlen, "profile name '%.60s' is not [a-z0-9._-]{1,%d}", spec,
                     FWP_NAME_MAX - 1);
            return -1;
        }
        snprintf(path, sizeof(path), "%s/%s/%s.profile", dir ? dir : FWP_DEFAULT_DIR,
                 scn_arch_name(arch), spec);
        if (!file_exists(path)) {
            if (fwp_builtin(m, spec, out) == 0)
                return 0;
            snprintf(err, errlen, "unknown %s firmware profile '%s' (no %.600s, no built-in)",
                     scn_arch_name(arch), spec, path);
            return -1;
        }
    } else {
        snprintf(path, sizeof(path), "%s", spec);
    }
    if (fwp_parse_file(path, out, err, errlen) != 0)
        return -1;
    if (out->model != m) {
        snprintf(err, errlen, "%.600s: model %s profile, but the scenario is %s (needs %s)",
                 path, fwp_model_name(out->model), scn_arch_name(arch), fwp_model_name(m));
        return -1;
    }
    return 0;
}

int fwp_write(FILE *f, const struct fw_profile *p)
{
    size_t n;
    const struct key *keys = keys_of(p->model, &n);
    if (!keys)
        return -1;
    fprintf(f, "model = %s\nname = %s\n", fwp_model_name(p->model), p->name);
    const void *base = cstruct_of(p);
    for (size_t i = 0; i < n; i++) {
        char v[64];
        format_value(base, &keys[i], v, sizeof(v));
        fprintf(f, "%s = %s\n", keys[i].name, v);
    }
    return ferror(f) ? -1 : 0;
}

int fwp_diff(const struct fw_profile *a, const struct fw_profile *b, char *msg, size_t msglen)
{
    if (msg && msglen)
        msg[0] = '\0';
    if (a->model != b->model) {
        if (msg && msglen)
            snprintf(msg, msglen, "model: %s -> %s", fwp_model_name(a->model),
                     fwp_model_name(b->model));
        return 1;
    }
    size_t n, used = 0;
    const struct key *keys = keys_of(a->model, &n);
    int nd = 0;
    for (size_t i = 0; i < n; i++) {
        char va[64], vb[64];
        format_value(cstruct_of(a), &keys[i], va, sizeof(va));
        format_value(cstruct_of(b), &keys[i], vb, sizeof(vb));
        if (!strcmp(va, vb))
            continue;
        nd++;
        if (msg && used < msglen) {
            int w = snprintf(msg + used, msglen - used, "%s%s: %s -> %s", used ? "; " : "",
                             keys[i].name, va, vb);
            if (w > 0)
                used += (size_t)w;
        }
    }
    return nd;
}
