/* The findings list, its order, and its printers. */
#include "report/findings.h"

#include "report/baseline.h"

#include <stdlib.h>
#include <string.h>

void lh_findings_init(lh_findings *fs)
{
    memset(fs, 0, sizeof *fs);
    lh_arena_init(&fs->arena);
}

void lh_findings_free(lh_findings *fs)
{
    free(fs->v);
    free(fs->errs);
    lh_arena_free(&fs->arena);
    memset(fs, 0, sizeof *fs);
}

static const char *copy(lh_findings *fs, const char *s)
{
    return lh_arena_strdup(&fs->arena, s ? s : "");
}

void lh_findings_add(lh_findings *fs, const lh_finding *f)
{
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 16;
        fs->v = realloc(fs->v, fs->cap * sizeof *fs->v);
        if (!fs->v)
            abort();
    }
    lh_finding *d = &fs->v[fs->n++];
    *d = *f;
    d->rule = copy(fs, f->rule);
    d->file = copy(fs, f->file);
    d->message = copy(fs, f->message);
    d->function = copy(fs, f->function);
}

void lh_findings_add_error(lh_findings *fs, const char *file, uint32_t line, uint32_t col,
                           const char *message)
{
    if (fs->nerrs == fs->errcap) {
        fs->errcap = fs->errcap ? fs->errcap * 2 : 8;
        fs->errs = realloc(fs->errs, fs->errcap * sizeof *fs->errs);
        if (!fs->errs)
            abort();
    }
    fs->errs[fs->nerrs++] = (lh_scan_error){copy(fs, file), line, col, copy(fs, message)};
}

void lh_findings_append(lh_findings *dst, const lh_findings *src)
{
    for (size_t i = 0; i < src->n; i++)
        lh_findings_add(dst, &src->v[i]);
    for (size_t i = 0; i < src->nerrs; i++) {
        const lh_scan_error *e = &src->errs[i];
        lh_findings_add_error(dst, e->file, e->line, e->col, e->message);
    }
}

static int cmp_u32(uint32_t a, uint32_t b)
{
    return a < b ? -1 : a > b;
}

static int cmp_finding(const void *pa, const void *pb)
{
    const lh_finding *a = pa, *b = pb;
    int c;
    if ((c = strcmp(a->file, b->file)) != 0)
        return c;
    if ((c = cmp_u32(a->line, b->line)) != 0)
        return c;
    if ((c = cmp_u32(a->col, b->col)) != 0)
        return c;
    if ((c = strcmp(a->rule, b->rule)) != 0)
        return c;
    return strcmp(a->message, b->message);
}

void lh_findings_sort_dedup(lh_findings *fs)
{
    if (fs->n < 2)
        return;
    qsort(fs->v, fs->n, sizeof *fs->v, cmp_finding);
    size_t k = 1;
    for (size_t i = 1; i < fs->n; i++)
        if (cmp_finding(&fs->v[k - 1], &fs->v[i]) != 0)
            fs->v[k++] = fs->v[i];
    fs->n = k;
}

const char *lh_findings_path(const char *path, const char *cwd)
{
    if (!cwd || path[0] != '/')
        return strncmp(path, "./", 2) == 0 && path[2] ? path + 2 : path;
    size_t n = strlen(cwd);
    while (n > 1 && cwd[n - 1] == '/')
        n--;
    if (n == 1 && cwd[0] == '/')
        return path[1] ? path + 1 : ".";
    if (strncmp(path, cwd, n) != 0)
        return path;
    /* A package directory can be cwd itself (a package error). */
    if (path[n] == '\0' || (path[n] == '/' && path[n + 1] == '\0'))
        return ".";
    if (path[n] == '/')
        return path + n + 1;
    return path;
}

const char *lh_severity_name(lh_severity s)
{
    switch (s) {
    case LH_SEV_ERROR:
        return "error";
    case LH_SEV_WARNING:
        return "warning";
    case LH_SEV_NOTE:
        return "note";
    }
    return "warning";
}

void lh_findings_text(lh_buf *b, const lh_findings *fs, const char *cwd)
{
    for (size_t i = 0; i < fs->n; i++) {
        const lh_finding *f = &fs->v[i];
        /* go/token's Position.String: no column when it is unknown (a
         * //line directive without one), no file when a directive named
         * none. */
        if (f->file[0])
            lh_buf_printf(b, "%s:", lh_findings_path(f->file, cwd));
        lh_buf_printf(b, f->col ? "%u:%u: " : "%u: ", f->line, f->col);
        lh_buf_printf(b, "%s: %s\n", f->rule, f->message);
    }
}

static void json_field(lh_buf *b, const char *key, const char *val)
{
    lh_buf_printf(b, "\"%s\": ", key);
    lh_buf_json_str(b, val, strlen(val));
}

/* A position field, left out when there is none (0), as every JSON field
 * without a value is (README, "Output"): a package error has no line, a
 * finding without an end has no end_line. */
static void json_pos(lh_buf *b, const char *key, unsigned v)
{
    if (v)
        lh_buf_printf(b, ", \"%s\": %u", key, v);
}

void lh_findings_json(lh_buf *b, const lh_findings *fs, const char *cwd,
                      const lh_findings_stats *stats)
{
    lh_buf_puts(b, "{\"findings\": [");
    for (size_t i = 0; i < fs->n; i++) {
        const lh_finding *f = &fs->v[i];
        lh_buf_puts(b, i ? ",\n  {" : "\n  {");
        json_field(b, "rule", f->rule);
        lh_buf_puts(b, ", ");
        json_field(b, "file", lh_findings_path(f->file, cwd));
        json_pos(b, "line", f->line);
        json_pos(b, "col", f->col);
        json_pos(b, "end_line", f->end_line);
        json_pos(b, "end_col", f->end_col);
        lh_buf_puts(b, ", ");
        json_field(b, "severity", lh_severity_name(f->severity));
        lh_buf_puts(b, ", ");
        json_field(b, "message", f->message);
        if (f->function && f->function[0]) {
            lh_buf_puts(b, ", ");
            json_field(b, "function", f->function);
        }
        char fp[17];
        lh_fingerprint_hex(f->fingerprint, fp);
        lh_buf_puts(b, ", ");
        json_field(b, "fingerprint", fp);
        lh_buf_putc(b, '}');
    }
    lh_buf_puts(b, fs->n ? "\n],\n\"errors\": [" : "],\n\"errors\": [");
    for (size_t i = 0; i < fs->nerrs; i++) {
        const lh_scan_error *e = &fs->errs[i];
        lh_buf_puts(b, i ? ",\n  {" : "\n  {");
        json_field(b, "file", lh_findings_path(e->file, cwd));
        json_pos(b, "line", e->line);
        json_pos(b, "col", e->col);
        lh_buf_puts(b, ", ");
        json_field(b, "message", e->message);
        lh_buf_putc(b, '}');
    }
    lh_findings_stats zero = {0, 0, 0, 0};
    if (!stats)
        stats = &zero;
    /* Wall seconds to the microsecond: a float, so a consumer never
     * mistakes it for a count. */
    lh_buf_printf(b,
                  "%s,\n\"stats\": {\"packages\": %zu, \"files\": %zu, \"bytes\": %llu, "
                  "\"seconds\": %.6f}}\n",
                  fs->nerrs ? "\n]" : "]", stats->packages, stats->files,
                  (unsigned long long)stats->bytes, stats->seconds);
}

static const char *codeclimate_severity(lh_severity s)
{
    switch (s) {
    case LH_SEV_ERROR:
        return "critical";
    case LH_SEV_WARNING:
        return "major";
    case LH_SEV_NOTE:
        return "minor";
    }
    return "major";
}

void lh_findings_codeclimate(lh_buf *b, const lh_findings *fs, const char *cwd)
{
    lh_buf_putc(b, '[');
    for (size_t i = 0; i < fs->n; i++) {
        const lh_finding *f = &fs->v[i];
        const char *path = lh_findings_path(f->file, cwd);
        lh_buf_puts(b, i ? ",\n  {" : "\n  {");
        lh_buf_puts(b, "\"type\": \"issue\", ");
        json_field(b, "check_name", f->rule);
        lh_buf_puts(b, ", ");
        json_field(b, "description", f->message);
        lh_buf_puts(b, ", \"categories\": [\"Bug Risk\"], ");
        json_field(b, "severity", codeclimate_severity(f->severity));
        /* The path in, so that the same code in two files differs. */
        char fp[17];
        lh_fingerprint_hex(lh_fingerprint_with_path(f->fingerprint, path), fp);
        lh_buf_puts(b, ", ");
        json_field(b, "fingerprint", fp);
        lh_buf_puts(b, ", \"location\": {");
        json_field(b, "path", path);
        lh_buf_printf(b, ", \"lines\": {\"begin\": %u, \"end\": %u}}}", f->line,
                      f->end_line >= f->line ? f->end_line : f->line);
    }
    lh_buf_puts(b, fs->n ? "\n]\n" : "]\n");
}

/* The length of the valid UTF-8 sequence at p (n bytes left), 0 when it
 * is not one: overlong forms, surrogates and values past U+10FFFF are
 * invalid, as Go's utf8.DecodeRune has them. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;   /* the second byte's range */
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t k = 2; k < len; k++)
        if (p[k] < 0x80 || p[k] > 0xBF)
            return 0;
    return len;
}

uint32_t lh_findings_utf16_col(const char *src, size_t len, uint32_t line, uint32_t col)
{
    if (!src || line == 0 || col == 0)
        return col;
    size_t off = 0;
    for (uint32_t l = 1; l < line; l++) {
        const char *nl = memchr(src + off, '\n', len - off);
        if (!nl)
            return col;
        off = (size_t)(nl - src) + 1;
    }
    const unsigned char *p = (const unsigned char *)src + off;
    size_t rest = len - off, want = col - 1, i = 0;
    uint32_t units = 0;
    while (i < want) {
        if (i >= rest || p[i] == '\n') {
            units += (uint32_t)(want - i);   /* past the line: bytes */
            break;
        }
        size_t k = utf8_seq(p + i, rest - i);
        if (k == 0)
            k = 1;          /* U+FFFD: one unit */
        units += k == 4 ? 2 : 1;
        i += k;
    }
    return units + 1;
}

/* RFC 3986: unreserved characters and '/' stay, the rest is %XX. */
static void uri_path(lh_buf *b, const char *p)
{
    for (; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '.' || ch == '_' || ch == '~' || ch == '/')
            lh_buf_putc(b, (char)ch);
        else
            lh_buf_printf(b, "%%%02X", ch);
    }
}

static void json_uri(lh_buf *b, const char *path)
{
    lh_buf u = LH_BUF_INIT;
    if (path[0] == '/')
        lh_buf_puts(&u, "file://");
    uri_path(&u, path);
    lh_buf_json_str(b, u.data, u.len);
    lh_buf_free(&u);
}

/* A location object: the file (a URI as json_uri), and the region when
 * there is a line, its columns in UTF-16 code units when the source is
 * known. file is as the loader named it, path as printed. */
static void sarif_location(lh_buf *b, const char *file, const char *path, uint32_t line,
                           uint32_t col, uint32_t end_line, uint32_t end_col,
                           const lh_sarif_opts *o)
{
    lh_buf_puts(b, "{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
    json_uri(b, path);
    if (path[0] != '/')
        lh_buf_puts(b, ", \"uriBaseId\": \"%SRCROOT%\"");
    lh_buf_putc(b, '}');
    if (line) {
        size_t len = 0;
        const char *src = o->source ? o->source(o->source_ctx, file, &len) : NULL;
        lh_buf_printf(b, ", \"region\": {\"startLine\": %u", line);
        if (col)
            lh_buf_printf(b, ", \"startColumn\": %u", lh_findings_utf16_col(src, len, line, col));
        if (end_line)
            lh_buf_printf(b, ", \"endLine\": %u", end_line);
        if (end_line && end_col)
            lh_buf_printf(b, ", \"endColumn\": %u", lh_findings_utf16_col(src, len, end_line, end_col));
        lh_buf_putc(b, '}');
    }
    lh_buf_puts(b, "}}");
}

void lh_findings_sarif(lh_buf *b, const lh_findings *fs, const char *cwd,
                       const lh_sarif_opts *o)
{
    lh_sarif_opts none = {NULL, 0, NULL, NULL, NULL};
    if (!o)
        o = &none;
    lh_buf_puts(b, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
                   "  \"version\": \"2.1.0\",\n  \"runs\": [{\n"
                   "    \"tool\": {\"driver\": {\"name\": \"leakhound\", ");
    if (o->version) {
        json_field(b, "version", o->version);
        lh_buf_puts(b, ", ");
    }
    lh_buf_puts(b, "\"rules\": [");
    for (size_t i = 0; i < o->nrules; i++) {
        lh_buf_puts(b, i ? ",\n      {" : "\n      {");
        json_field(b, "id", o->rules[i].id);
        lh_buf_puts(b, ", \"shortDescription\": {");
        json_field(b, "text", o->rules[i].summary);
        lh_buf_puts(b, "}, \"help\": {");
        json_field(b, "text", o->rules[i].help);
        lh_buf_puts(b, "}}");
    }
    lh_buf_puts(b, o->nrules ? "\n    ]}},\n" : "]}},\n");
    lh_buf_puts(b, "    \"invocations\": [{\"executionSuccessful\": true, "
                   "\"toolExecutionNotifications\": [");
    for (size_t i = 0; i < fs->nerrs; i++) {
        const lh_scan_error *e = &fs->errs[i];
        lh_buf_puts(b, i ? ",\n      {" : "\n      {");
        lh_buf_puts(b, "\"level\": \"error\", \"message\": {");
        json_field(b, "text", e->message);
        lh_buf_puts(b, "}, \"locations\": [");
        sarif_location(b, e->file, lh_findings_path(e->file, cwd), e->line, e->col, 0, 0, o);
        lh_buf_puts(b, "]}");
    }
    lh_buf_puts(b, fs->nerrs ? "\n    ]}],\n" : "]}],\n");
    lh_buf_puts(b, "    \"originalUriBaseIds\": {\"%SRCROOT%\": {");
    if (cwd) {
        lh_buf u = LH_BUF_INIT;
        lh_buf_puts(&u, "file://");
        uri_path(&u, cwd);
        if (u.data[u.len - 1] != '/')
            lh_buf_putc(&u, '/');
        lh_buf_puts(b, "\"uri\": ");
        lh_buf_json_str(b, u.data, u.len);
        lh_buf_free(&u);
    }
    lh_buf_puts(b, "}},\n    \"columnKind\": \"utf16CodeUnits\",\n    \"results\": [");
    for (size_t i = 0; i < fs->n; i++) {
        const lh_finding *f = &fs->v[i];
        lh_buf_puts(b, i ? ",\n      {" : "\n      {");
        json_field(b, "ruleId", f->rule);
        lh_buf_puts(b, ", ");
        json_field(b, "level", lh_severity_name(f->severity));
        lh_buf_puts(b, ", \"message\": {");
        json_field(b, "text", f->message);
        lh_buf_puts(b, "}, \"locations\": [");
        const char *path = lh_findings_path(f->file, cwd);
        sarif_location(b, f->file, path, f->line, f->col, f->end_line, f->end_col, o);
        /* Code scanning matches alerts across commits by these; ours
         * survives lines moving above the finding (report/baseline.h). */
        char fp[17];
        lh_fingerprint_hex(lh_fingerprint_with_path(f->fingerprint, path), fp);
        lh_buf_puts(b, "], \"partialFingerprints\": {");
        json_field(b, "leakhound/v1", fp);
        lh_buf_puts(b, "}}");
    }
    lh_buf_puts(b, fs->n ? "\n    ]\n  }]\n}\n" : "]\n  }]\n}\n");
}
