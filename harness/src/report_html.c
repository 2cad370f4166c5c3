/*
 * HTML report (see <harness/report.h>): one self-contained page per run.
 *
 * No scripts and no external assets: the timeline is inline SVG, the
 * styles are in the page, links point at files of the run directories
 * relative to the page (so a CI artifact of out/runs/ keeps working).
 * Every piece of text that comes from a scenario, a backend or a console
 * goes through report_html_escape().
 */
#include <harness/report.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void report_html_escape(FILE *f, const char *s)
{
    if (!s)
        return;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        case '\n': case '\t': fputc(*p, f); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fputs("&#xfffd;", f);
            else
                fputc(*p, f);
        }
    }
}

/* A path for an href: unreserved characters and '/' kept, the rest %XX. */
static void url_escape(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~' || *p == '/')
            fputc(*p, f);
        else
            fprintf(f, "%%%02X", *p);
    }
}

/*
 * Path of `target` relative to directory `from` (both made absolute with
 * realpath; target must exist).  Returns 0 and fills out, -1 when either
 * cannot be resolved.
 */
static int rel_path(const char *from, const char *target, char *out, size_t len)
{
    char a[PATH_MAX], b[PATH_MAX];
    if (!realpath(from, a) || !realpath(target, b))
        return -1;
    size_t i = 0, common = 0;
    while (a[i] && a[i] == b[i]) {
        if (a[i] == '/')
            common = i;
        i++;
    }
    if (a[i] == '\0' && (b[i] == '/' || b[i] == '\0'))
        common = i;
    if (strcmp(a, "/") == 0)
        common = 0;
    size_t o = 0;
    out[0] = '\0';
    /* one "../" per component of a below the common prefix */
    for (const char *p = strcmp(a, "/") == 0 ? "" : a + common; *p; p++)
        if (*p == '/' && o + 4 < len) {
            memcpy(out + o, "../", 3);
            o += 3;
            out[o] = '\0';
        }
    const char *rest = b + common;
    if (*rest == '/')
        rest++;
    snprintf(out + o, len - o, "%s", *rest ? rest : ".");
    return 0;
}

static void html_link(FILE *f, const char *html_dir, const char *target, const char *label)
{
    char rel[PATH_MAX + 64];
    if (rel_path(html_dir, target, rel, sizeof(rel)) < 0)
        return;
    fputs("<a href=\"", f);
    url_escape(f, rel);
    fputs("\">", f);
    report_html_escape(f, label);
    fputs("</a> ", f);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Logs of a run directory: *.log and *.txt files (console, backend, ...), sorted. */
static void run_links(FILE *f, const char *html_dir, const char *run_dir)
{
    DIR *d = opendir(run_dir);
    if (!d)
        return;
    char *names[32];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 32) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l < 5)
            continue;
        if (strcmp(e->d_name + l - 4, ".log") != 0 && strcmp(e->d_name + l - 4, ".txt") != 0)
            continue;
        if (!(names[n] = strdup(e->d_name)))
            break;
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof(names[0]), cmp_str);
    for (size_t i = 0; i < n; i++) {
        char p[PATH_MAX];
        snprintf(p, sizeof(p), "%s/%s", run_dir, names[i]);
        html_link(f, html_dir, p, names[i]);
        free(names[i]);
    }
    html_link(f, html_dir, run_dir, "run dir");
}

static const char *status_class(enum report_status st)
{
    switch (st) {
    case REPORT_PASS: return "pass";
    case REPORT_FAIL: return "fail";
    case REPORT_SKIP: return "skip";
    case REPORT_ERROR: return "error";
    }
    return "error";
}

/* A fixed colour per phase name, so the same phase looks the same in every row. */
static const char *phase_colour(const char *name)
{
    static const char *const pal[] = {
        "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2",
        "#edc948", "#ff9da7", "#9c755f", "#bab0ac", "#e15759",
    };
    static const struct { const char *n; unsigned c; } fixed[] = {
        { "boot", 0 }, { "crash", 9 }, { "truth", 4 }, { "capture", 1 },
        { "verify", 2 }, { "harness-verify", 3 }, { "backend", 8 },
        { "libvirtd-start", 7 }, { "libvirtd-stop", 7 }, { "other", 8 },
    };
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        if (strcmp(fixed[i].n, name) == 0)
            return pal[fixed[i].c];
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 16777619u;
    return pal[h % (sizeof(pal) / sizeof(pal[0]))];
}

#define TL_WIDTH 260.0

static void timeline(FILE *f, const struct report_case *c, double scale)
{
    double total = 0;
    for (size_t i = 0; i < c->d.nphases; i++)
        total += c->d.phases[i].seconds;
    fprintf(f, "<svg class=\"tl\" width=\"%d\" height=\"20\" viewBox=\"0 0 %d 20\" role=\"img\">",
            (int)TL_WIDTH + 60, (int)TL_WIDTH + 60);
    double x = 0;
    for (size_t i = 0; i < c->d.nphases; i++) {
        const struct report_phase *p = &c->d.phases[i];
        double w = scale > 0 ? p->seconds / scale * TL_WIDTH : 0;
        if (w < 1 && p->seconds > 0)
            w = 1;
        fprintf(f, "<rect x=\"%.1f\" y=\"2\" width=\"%.1f\" height=\"16\" fill=\"%s\">"
                "<title>", x, w, phase_colour(p->name));
        report_html_escape(f, p->name);
        fprintf(f, " %.3f s</title></rect>", p->seconds);
        if (w > 34) {
            fprintf(f, "<text x=\"%.1f\" y=\"14\" class=\"pl\">", x + 3);
            report_html_escape(f, p->name);
            fputs("</text>", f);
        }
        x += w;
    }
    /* time of the case outside every phase (steps, waits): grey, so the bar is the whole case */
    double other = c->seconds - total;
    if (other > 0.05 && scale > 0) {
        double w = other / scale * TL_WIDTH;
        fprintf(f, "<rect x=\"%.1f\" y=\"2\" width=\"%.1f\" height=\"16\" fill=\"#dddddd\">"
                "<title>outside the phases %.3f s</title></rect>", x, w, other);
        x += w;
        total = c->seconds;
    }
    fprintf(f, "<text x=\"%.1f\" y=\"14\" class=\"pt\">%.2f s</text></svg>", x + 4, total);
    /* the same data as text (screen readers, --dump-dom, copy & paste) */
    fputs("<div class=\"phases\">", f);
    for (size_t i = 0; i < c->d.nphases; i++) {
        fputs("<span class=\"ph\" data-phase=\"", f);
        report_html_escape(f, c->d.phases[i].name);
        fputs("\">", f);
        report_html_escape(f, c->d.phases[i].name);
        fprintf(f, " %.3f s</span> ", c->d.phases[i].seconds);
    }
    fputs("</div>", f);
}

static void hexrow(FILE *f, const char *label, const uint8_t *b, const uint8_t *other,
                   uint32_t len, uint32_t cols, const char *cls)
{
    fprintf(f, "<tr class=\"%s\"><th>%s</th>", cls, label);
    for (uint32_t i = 0; i < cols; i++) {
        if (i >= len)
            fputs("<td></td>", f);
        else
            fprintf(f, "<td%s>%02x</td>", b[i] != other[i] ? " class=\"d\"" : "", b[i]);
    }
    fputs("<td class=\"asc\">", f);
    for (uint32_t i = 0; i < len; i++) {
        char ch[2] = { (char)(b[i] >= 0x20 && b[i] < 0x7f ? b[i] : '.'), '\0' };
        if (b[i] != other[i])
            fputs("<span class=\"d\">", f);
        report_html_escape(f, ch);
        if (b[i] != other[i])
            fputs("</span>", f);
    }
    fputs("</td></tr>\n", f);
}

static void diff_block(FILE *f, const struct report_detail *d)
{
    const struct cmp_diff *x = &d->diff;
    uint32_t len = x->len > CMP_DIFF_BYTES ? CMP_DIFF_BYTES : x->len;
    fputs("<div class=\"diff\"><div class=\"dh\">first difference", f);
    if (d->diff_expect[0]) {
        fputs(" in <b>", f);
        report_html_escape(f, d->diff_expect);
        fputs("</b>", f);
    }
    fputs(": <span class=\"field\">", f);
    report_html_escape(f, x->field[0] ? x->field : "(no field name)");
    fputs("</span>", f);
    bool reg = strcmp(x->kind, "register") == 0;
    if (!reg)
        fprintf(f, " at %s 0x%" PRIx64, strcmp(x->kind, "page") == 0 ? "paddr" :
                strcmp(x->kind, "file") == 0 ? "file offset" : "offset", x->addr);
    if (x->mark < len)
        fprintf(f, " (expected <code>0x%02x</code>, actual <code>0x%02x</code>)",
                x->exp[x->mark], x->act[x->mark]);
    fputs("</div>\n<table class=\"hex\"><tr><th class=\"base\">", f);
    if (reg)
        fputs("byte (MSB first)", f);
    else
        fprintf(f, "0x%" PRIx64, x->base);
    fputs("</th>", f);
    uint32_t cols = reg ? len : CMP_DIFF_BYTES;
    for (uint32_t i = 0; i < cols; i++)
        fprintf(f, reg ? "<th>%u</th>" : "<th>+%x</th>", i);
    fputs("<th></th></tr>\n", f);
    hexrow(f, "expected", x->exp, x->act, len, cols, "exp");
    hexrow(f, "actual", x->act, x->exp, len, cols, "act");
    fputs("</table></div>\n", f);
}

static const char css[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:1em 2em;color:#222}"
    "h1{font-size:20px;margin:0 0 .3em}"
    ".sum span{display:inline-block;padding:2px 8px;margin-right:6px;border-radius:3px}"
    "table.cases{border-collapse:collapse;width:100%}"
    "table.cases>tbody>tr>td,table.cases>thead>tr>th{border-top:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}"
    ".v{font-weight:bold;padding:1px 6px;border-radius:3px;color:#fff}"
    ".v.pass,.sum .pass{background:#2e7d32;color:#fff}.v.fail,.sum .fail{background:#c62828;color:#fff}"
    ".v.skip,.sum .skip{background:#9e9e9e;color:#fff}.v.error,.sum .error{background:#6a1b9a;color:#fff}"
    "tr.fail>td{background:#fff5f5}tr.error>td{background:#faf5ff}"
    ".msg{font-family:monospace;white-space:pre-wrap;overflow-wrap:anywhere}"
    ".pl{font-size:10px;fill:#fff}.pt{font-size:11px;fill:#333}"
    ".phases{font-size:11px;color:#555}.ph{margin-right:4px}"
    "table.hex{border-collapse:collapse;font-family:monospace;margin-top:4px}"
    "table.hex td,table.hex th{border:1px solid #ddd;padding:1px 4px;font-weight:normal}"
    "table.hex tr.exp th{color:#2e7d32}table.hex tr.act th{color:#c62828}"
    "table.hex .d,.asc .d{background:#ffcdd2;font-weight:bold}"
    ".field{font-family:monospace;background:#fff3cd;padding:0 3px}"
    "td.det{max-width:640px}.tl{max-width:100%;height:auto}"
    ".diff{margin-top:6px}.ex{font-size:12px}.name{font-weight:bold}.cls{color:#777;font-size:11px}"
    "pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px;background:#f6f6f6;padding:4px}";

int report_write_html(const struct report *r, FILE *f, const char *html_path,
                      const struct report_html_opts *o)
{
    char html_dir[PATH_MAX];
    snprintf(html_dir, sizeof(html_dir), "%s", html_path ? html_path : ".");
    char *slash = strrchr(html_dir, '/');
    if (!html_path)
        snprintf(html_dir, sizeof(html_dir), ".");
    else if (slash && slash != html_dir)
        *slash = '\0';
    else if (slash)
        snprintf(html_dir, sizeof(html_dir), "/");
    else
        snprintf(html_dir, sizeof(html_dir), ".");
    const char *title = o && o->title ? o->title : "dumpbench run";

    size_t cnt[4] = { 0 };
    double scale = 0, total = 0;
    for (size_t i = 0; i < r->ncases; i++) {
        const struct report_case *c = &r->cases[i];
        cnt[c->status < 4 ? c->status : REPORT_ERROR]++;
        double t = 0;
        for (size_t k = 0; k < c->d.nphases; k++)
            t += c->d.phases[k].seconds;
        if (c->seconds > t)
            t = c->seconds;
        if (t > scale)
            scale = t;
        total += c->seconds;
    }
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; img-src data:\"><title>", f);
    report_html_escape(f, title);
    fprintf(f, "</title><style>%s</style></head><body>\n<h1>", css);
    report_html_escape(f, title);
    fputs("</h1>\n<p class=\"sum\" id=\"summary\">", f);
    fprintf(f, "<span class=\"total\">%zu scenarios</span><span class=\"pass\">%zu passed</span>"
            "<span class=\"fail\">%zu failed</span><span class=\"skip\">%zu skipped</span>"
            "<span class=\"error\">%zu errors</span> %.1f s",
            r->ncases, cnt[REPORT_PASS], cnt[REPORT_FAIL], cnt[REPORT_SKIP], cnt[REPORT_ERROR],
            total);
    if (r->shard_count)
        fprintf(f, " &middot; shard %u/%u of %zu scenarios", r->shard_index, r->shard_count,
                r->nall);
    fputs("</p>\n", f);
    fprintf(f, "<p>pages compared %" PRIu64 ", differing %" PRIu64 ", missing %" PRIu64
            ", extra %" PRIu64 "; registers compared %" PRIu64 ".", r->pages_compared,
            r->pages_differ, r->pages_missing, r->pages_extra, r->regs_compared);
    const char *cov = o && o->coverage ? o->coverage : "build-cov/html/index.html";
    struct stat st;
    if (stat(cov, &st) == 0) {
        fputs(" Coverage: ", f);
        html_link(f, html_dir, cov, "coverage report");
    }
    fputs("</p>\n<p class=\"legend\">Phases: ", f);
    for (size_t i = 0; i < r->nphases; i++) {
        fprintf(f, "<svg width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\" fill=\"%s\"/>"
                "</svg> ", phase_colour(r->phases[i].name));
        report_html_escape(f, r->phases[i].name);
        fprintf(f, " %.1f s &nbsp; ", r->phases[i].seconds);
    }
    fputs("</p>\n<table class=\"cases\"><thead><tr><th>#</th><th>scenario</th><th>verdict</th>"
          "<th>phases</th><th>compared</th><th>details</th><th>logs</th></tr></thead><tbody>\n", f);
    for (size_t i = 0; i < r->ncases; i++) {
        const struct report_case *c = &r->cases[i];
        const char *cls = status_class(c->status);
        fprintf(f, "<tr class=\"%s\" id=\"case-%zu\"><td>%zu</td><td><div class=\"name\">",
                cls, i + 1, i + 1);
        report_html_escape(f, c->name);
        fputs("</div><div class=\"cls\">", f);
        report_html_escape(f, c->classname);
        fprintf(f, "</div></td><td><span class=\"v %s\">%s</span><div class=\"cls\">%.2f s</div>"
                "</td><td>", cls, report_status_name(c->status), c->seconds);
        timeline(f, c, scale);
        fputs("</td><td>", f);
        if (c->d.pages_compared || c->d.regs_compared || c->d.pages_differ)
            fprintf(f, "%" PRIu64 " pages<br>%" PRIu64 " differ<br>%" PRIu64 " registers",
                    c->d.pages_compared, c->d.pages_differ, c->d.regs_compared);
        else
            fputs("&ndash;", f);
        fputs("</td><td class=\"det\">", f);
        if (c->msg) {
            fputs("<div class=\"msg\">", f);
            report_html_escape(f, c->msg);
            fputs("</div>", f);
        }
        if (c->d.has_diff)
            diff_block(f, &c->d);
        bool any_ex = false;
        for (size_t k = 0; k < r->nexempt; k++) {
            const struct report_exempt *e = &r->exempt[k];
            if (strcmp(e->scenario, c->name) != 0)
                continue;
            if (!any_ex)
                fputs("<ul class=\"ex\">", f);
            any_ex = true;
            fprintf(f, "<li>exempt 0x%" PRIx64 "+0x%" PRIx64 " (", e->addr, e->len);
            report_html_escape(f, e->reason);
            fprintf(f, "): %" PRIu64 " pages, %" PRIu64 " differ</li>", e->pages, e->pages_differ);
        }
        if (any_ex)
            fputs("</ul>", f);
        if (c->diag) {
            fputs("<details><summary>diagnostics</summary><pre>", f);
            report_html_escape(f, c->diag);
            fputs("</pre></details>", f);
        }
        fputs("</td><td>", f);
        if (c->d.run_dir[0])
            run_links(f, html_dir, c->d.run_dir);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n</body></html>\n", f);
    return ferror(f) ? -1 : 0;
}

int report_write_html_file(const struct report *r, const char *path,
                           const struct report_html_opts *o, char *err, size_t errlen)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
        snprintf(err, errlen, "%s: path too long", path);
        return -1;
    }
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        return -1;
    }
    int rc = report_write_html(r, f, path, o);
    if (fclose(f) != 0)
        rc = -1;
    if (rc == 0 && rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    if (rc < 0) {
        snprintf(err, errlen, "%s: write error", tmp);
        unlink(tmp);
    }
    return rc;
}
