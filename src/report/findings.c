/* The findings list, its order, and its printers. */
#include "report/findings.h"

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
}

void lh_findings_append(lh_findings *dst, const lh_findings *src)
{
    for (size_t i = 0; i < src->n; i++)
        lh_findings_add(dst, &src->v[i]);
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
        return path + 1;
    if (strncmp(path, cwd, n) == 0 && path[n] == '/' && path[n + 1])
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
        lh_buf_printf(b, "%s:%u:%u: %s: %s\n", lh_findings_path(f->file, cwd), f->line, f->col,
                      f->rule, f->message);
    }
}

static void json_field(lh_buf *b, const char *key, const char *val)
{
    lh_buf_printf(b, "\"%s\": ", key);
    lh_buf_json_str(b, val, strlen(val));
}

void lh_findings_json(lh_buf *b, const lh_findings *fs, const char *cwd)
{
    lh_buf_puts(b, "[");
    for (size_t i = 0; i < fs->n; i++) {
        const lh_finding *f = &fs->v[i];
        lh_buf_puts(b, i ? ",\n  {" : "\n  {");
        json_field(b, "rule", f->rule);
        lh_buf_puts(b, ", ");
        json_field(b, "file", lh_findings_path(f->file, cwd));
        lh_buf_printf(b, ", \"line\": %u, \"col\": %u, \"end_line\": %u, \"end_col\": %u, ",
                      f->line, f->col, f->end_line, f->end_col);
        json_field(b, "severity", lh_severity_name(f->severity));
        lh_buf_puts(b, ", ");
        json_field(b, "message", f->message);
        lh_buf_putc(b, '}');
    }
    lh_buf_puts(b, fs->n ? "\n]\n" : "]\n");
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

void lh_findings_sarif(lh_buf *b, const lh_findings *fs, const char *cwd,
                       const lh_rule_desc *rules, size_t nrules, const char *version)
{
    lh_buf_puts(b, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
                   "  \"version\": \"2.1.0\",\n  \"runs\": [{\n"
                   "    \"tool\": {\"driver\": {\"name\": \"leakhound\", ");
    if (version) {
        json_field(b, "version", version);
        lh_buf_puts(b, ", ");
    }
    lh_buf_puts(b, "\"rules\": [");
    for (size_t i = 0; i < nrules; i++) {
        lh_buf_puts(b, i ? ",\n      {" : "\n      {");
        json_field(b, "id", rules[i].id);
        lh_buf_puts(b, ", \"shortDescription\": {");
        json_field(b, "text", rules[i].summary);
        lh_buf_puts(b, "}, \"help\": {");
        json_field(b, "text", rules[i].help);
        lh_buf_puts(b, "}}");
    }
    lh_buf_puts(b, nrules ? "\n    ]}},\n" : "]}},\n");
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
    lh_buf_puts(b, "}},\n    \"results\": [");
    for (size_t i = 0; i < fs->n; i++) {
        const lh_finding *f = &fs->v[i];
        const char *path = lh_findings_path(f->file, cwd);
        lh_buf_puts(b, i ? ",\n      {" : "\n      {");
        json_field(b, "ruleId", f->rule);
        lh_buf_puts(b, ", ");
        json_field(b, "level", lh_severity_name(f->severity));
        lh_buf_puts(b, ", \"message\": {");
        json_field(b, "text", f->message);
        lh_buf_puts(b, "}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
        json_uri(b, path);
        if (path[0] != '/')
            lh_buf_puts(b, ", \"uriBaseId\": \"%SRCROOT%\"");
        lh_buf_printf(b, "}, \"region\": {\"startLine\": %u, \"startColumn\": %u", f->line,
                      f->col);
        if (f->end_line)
            lh_buf_printf(b, ", \"endLine\": %u, \"endColumn\": %u", f->end_line, f->end_col);
        lh_buf_puts(b, "}}}]}");
    }
    lh_buf_puts(b, fs->n ? "\n    ]\n  }]\n}\n" : "]\n  }]\n}\n");
}
