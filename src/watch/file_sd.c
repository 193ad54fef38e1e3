/* file_sd JSON: a reader for exactly the shape Prometheus defines, strict
 * about JSON itself so that a file that Prometheus would reject (or read
 * differently) is rejected here too, with the position of the first fault. */
#include "watch/file_sd.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/fs.h"

const char *const lh_sd_reserved_labels[] = {
    "target", "kind", "function", "file", "line", "confirmed", "unit", NULL,
};

#define SD_MAX_BYTES ((size_t)16 << 20)
#define SD_SOURCE_LABEL "__leakhound_source__"

typedef struct sd_parser {
    const char *path;
    const char *s;
    size_t len, pos;
    lh_arena *a;
    char *err;
    size_t errlen;
    int failed;
} sd_parser;

/* Line and column (1-based, the column in bytes) of offset pos. */
static void sd_where(const sd_parser *p, size_t pos, size_t *line, size_t *col)
{
    size_t l = 1, c = 1;
    for (size_t i = 0; i < pos && i < p->len; i++) {
        if (p->s[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* Only the first fault is reported: later ones are usually its echo. */
static int sd_fail_at(sd_parser *p, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int sd_fail_at(sd_parser *p, size_t pos, const char *fmt, ...)
{
    if (p->failed)
        return -1;
    p->failed = 1;
    size_t line, col;
    sd_where(p, pos, &line, &col);
    int n = snprintf(p->err, p->errlen, "%s:%zu:%zu: ", p->path, line, col);
    if (n >= 0 && (size_t)n < p->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static void sd_skip_ws(sd_parser *p)
{
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

/* What the next byte is, for "expected X, found Y" messages. */
static const char *sd_found(const sd_parser *p, char *buf, size_t n)
{
    if (p->pos >= p->len)
        return "the end of the file";
    unsigned char c = (unsigned char)p->s[p->pos];
    if (c >= 0x20 && c < 0x7f)
        snprintf(buf, n, "'%c'", c);
    else
        snprintf(buf, n, "byte 0x%02x", c);
    return buf;
}

static int sd_expect(sd_parser *p, char want, const char *what)
{
    sd_skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == want) {
        p->pos++;
        return 0;
    }
    char buf[16];
    return sd_fail_at(p, p->pos, "expected %s, found %s", what, sd_found(p, buf, sizeof buf));
}

static int sd_hex4(sd_parser *p, size_t at, unsigned *out)
{
    if (at + 4 > p->len)
        return sd_fail_at(p, at, "\\u needs four hex digits");
    unsigned v = 0;
    for (size_t i = 0; i < 4; i++) {
        char c = p->s[at + i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return sd_fail_at(p, at + i, "\\u needs four hex digits");
        v = v * 16 + d;
    }
    *out = v;
    return 0;
}

static size_t sd_put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xc0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* string = '"' { char | escape } '"' ; the result is NUL-terminated UTF-8.
 * A "\u0000" escape would cut the C string short, so it is refused. */
static const char *sd_string(sd_parser *p, const char *what)
{
    sd_skip_ws(p);
    if (p->pos >= p->len || p->s[p->pos] != '"') {
        char buf[16];
        sd_fail_at(p, p->pos, "expected %s (a string), found %s", what,
                   sd_found(p, buf, sizeof buf));
        return NULL;
    }
    size_t start = p->pos++;
    /* Escapes only shrink, so the raw length bounds the decoded one. */
    size_t end = start + 1;
    while (end < p->len && p->s[end] != '"') {
        if (p->s[end] == '\\')
            end++;
        end++;
    }
    char *out = lh_arena_alloc_raw(p->a, (end - start) + 1);
    size_t o = 0;
    for (;;) {
        if (p->pos >= p->len) {
            sd_fail_at(p, start, "unterminated string");
            return NULL;
        }
        unsigned char c = (unsigned char)p->s[p->pos];
        if (c == '"') {
            p->pos++;
            break;
        }
        if (c < 0x20) {
            sd_fail_at(p, p->pos, "control character 0x%02x in a string (escape it)", c);
            return NULL;
        }
        if (c != '\\') {
            size_t k = lh_utf8_valid_len((const unsigned char *)p->s + p->pos, p->len - p->pos);
            if (k == 0) {
                sd_fail_at(p, p->pos, "invalid UTF-8");
                return NULL;
            }
            memcpy(out + o, p->s + p->pos, k);
            o += k;
            p->pos += k;
            continue;
        }
        size_t esc = p->pos;
        if (esc + 1 >= p->len) {
            sd_fail_at(p, start, "unterminated string");
            return NULL;
        }
        char e = p->s[esc + 1];
        p->pos += 2;
        switch (e) {
        case '"': out[o++] = '"'; break;
        case '\\': out[o++] = '\\'; break;
        case '/': out[o++] = '/'; break;
        case 'b': out[o++] = '\b'; break;
        case 'f': out[o++] = '\f'; break;
        case 'n': out[o++] = '\n'; break;
        case 'r': out[o++] = '\r'; break;
        case 't': out[o++] = '\t'; break;
        case 'u': {
            unsigned cp;
            if (sd_hex4(p, p->pos, &cp) < 0)
                return NULL;
            p->pos += 4;
            if (cp >= 0xd800 && cp <= 0xdbff) {
                unsigned lo;
                if (p->pos + 1 >= p->len || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u' ||
                    sd_hex4(p, p->pos + 2, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff) {
                    sd_fail_at(p, esc, "high surrogate \\u%04x without its low half", cp);
                    return NULL;
                }
                p->pos += 6;
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                sd_fail_at(p, esc, "lone low surrogate \\u%04x", cp);
                return NULL;
            } else if (cp == 0) {
                sd_fail_at(p, esc, "\\u0000 is not allowed here");
                return NULL;
            }
            o += sd_put_utf8(out + o, cp);
            break;
        }
        default:
            sd_fail_at(p, esc, "unknown escape '\\%c'",
                       (unsigned char)e >= 0x20 && (unsigned char)e < 0x7f ? e : '?');
            return NULL;
        }
    }
    out[o] = '\0';
    return out;
}

/* Prometheus' label name syntax: [a-zA-Z_][a-zA-Z0-9_]*. */
static int sd_label_name_ok(const char *s)
{
    if (!*s)
        return 0;
    for (const char *q = s; *q; q++) {
        char c = *q;
        int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        if (!alpha && !(q > s && c >= '0' && c <= '9'))
            return 0;
    }
    return 1;
}

typedef struct sd_group {
    const char **targets;
    size_t *target_pos;
    size_t ntargets;
    lh_sd_label *labels;
    size_t nlabels;
    const char *source_dir;
} sd_group;

/* "targets": [ string, ... ] */
static int sd_targets(sd_parser *p, sd_group *g)
{
    if (sd_expect(p, '[', "'[' (the list of targets)") < 0)
        return -1;
    size_t cap = 8;
    g->targets = LH_NEWN(p->a, const char *, cap);
    g->target_pos = LH_NEWN(p->a, size_t, cap);
    sd_skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == ']') {
        p->pos++;
        return 0;
    }
    for (;;) {
        sd_skip_ws(p);
        size_t at = p->pos;
        const char *t = sd_string(p, "a target (\"host:port\" or a URL)");
        if (!t)
            return -1;
        if (!*t)
            return sd_fail_at(p, at, "empty target");
        for (const char *q = t; *q; q++)
            if ((unsigned char)*q <= 0x20 || *q == 0x7f)
                return sd_fail_at(p, at, "target \"%s\" contains a space or control character", t);
        if (g->ntargets == cap) {
            g->targets = lh_arena_realloc(p->a, g->targets, cap * sizeof *g->targets,
                                          2 * cap * sizeof *g->targets);
            g->target_pos = lh_arena_realloc(p->a, g->target_pos, cap * sizeof *g->target_pos,
                                             2 * cap * sizeof *g->target_pos);
            cap *= 2;
        }
        g->target_pos[g->ntargets] = at;
        g->targets[g->ntargets++] = t;
        sd_skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        return sd_expect(p, ']', "',' or ']' after a target");
    }
}

/* "labels": { name: string, ... } */
static int sd_labels(sd_parser *p, sd_group *g)
{
    if (sd_expect(p, '{', "'{' (the labels)") < 0)
        return -1;
    size_t cap = 8;
    g->labels = LH_NEWN(p->a, lh_sd_label, cap);
    sd_skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == '}') {
        p->pos++;
        return 0;
    }
    for (;;) {
        sd_skip_ws(p);
        size_t at = p->pos;
        const char *name = sd_string(p, "a label name");
        if (!name)
            return -1;
        if (!sd_label_name_ok(name))
            return sd_fail_at(p, at, "\"%s\" is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)", name);
        for (const char *const *r = lh_sd_reserved_labels; *r; r++)
            if (strcmp(*r, name) == 0)
                return sd_fail_at(p, at, "label \"%s\" is one leakhound sets on its own series",
                                  name);
        if (sd_expect(p, ':', "':' after a label name") < 0)
            return -1;
        size_t vat;
        sd_skip_ws(p);
        vat = p->pos;
        const char *value = sd_string(p, "a label value");
        if (!value)
            return -1;
        if (strcmp(name, SD_SOURCE_LABEL) == 0) {
            if (g->source_dir)
                return sd_fail_at(p, at, "duplicate label \"%s\"", name);
            if (!*value)
                return sd_fail_at(p, vat, "empty %s", SD_SOURCE_LABEL);
            g->source_dir = value;
        } else if (name[0] == '_' && name[1] == '_') {
            /* Meta labels of other tools (Prometheus relabelling): kept
             * out of leakhound's series, as Prometheus drops them too. */
        } else {
            for (size_t i = 0; i < g->nlabels; i++)
                if (strcmp(g->labels[i].name, name) == 0)
                    return sd_fail_at(p, at, "duplicate label \"%s\"", name);
            if (g->nlabels == cap) {
                g->labels = lh_arena_realloc(p->a, g->labels, cap * sizeof *g->labels,
                                             2 * cap * sizeof *g->labels);
                cap *= 2;
            }
            g->labels[g->nlabels++] = (lh_sd_label){name, value};
        }
        sd_skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        return sd_expect(p, '}', "',' or '}' after a label");
    }
}

/* group = '{' ( "targets" ':' targets | "labels" ':' labels ) ... '}' */
static int sd_group_obj(sd_parser *p, sd_group *g)
{
    sd_skip_ws(p);
    size_t open = p->pos;
    if (sd_expect(p, '{', "'{' (a target group)") < 0)
        return -1;
    int seen_targets = 0, seen_labels = 0;
    sd_skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == '}') {
        p->pos++;
        return sd_fail_at(p, open, "target group without \"targets\"");
    }
    for (;;) {
        sd_skip_ws(p);
        size_t at = p->pos;
        const char *key = sd_string(p, "a key (\"targets\" or \"labels\")");
        if (!key)
            return -1;
        if (sd_expect(p, ':', "':' after a key") < 0)
            return -1;
        if (strcmp(key, "targets") == 0) {
            if (seen_targets++)
                return sd_fail_at(p, at, "duplicate key \"targets\"");
            if (sd_targets(p, g) < 0)
                return -1;
        } else if (strcmp(key, "labels") == 0) {
            if (seen_labels++)
                return sd_fail_at(p, at, "duplicate key \"labels\"");
            if (sd_labels(p, g) < 0)
                return -1;
        } else {
            return sd_fail_at(p, at, "unknown key \"%s\" (a group has \"targets\" and \"labels\")",
                              key);
        }
        sd_skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (sd_expect(p, '}', "',' or '}' in a target group") < 0)
            return -1;
        break;
    }
    if (!seen_targets)
        return sd_fail_at(p, open, "target group without \"targets\"");
    return 0;
}

static int sd_label_cmp(const void *x, const void *y)
{
    return strcmp(((const lh_sd_label *)x)->name, ((const lh_sd_label *)y)->name);
}

int lh_file_sd_parse(const char *path, const char *text, size_t len, lh_arena *a,
                     lh_sd_target **out, size_t *nout, char *err, size_t errlen)
{
    sd_parser p = {path, text, len, 0, a, err, errlen, 0};
    *out = NULL;
    *nout = 0;
    /* A UTF-8 byte order mark is not JSON (RFC 8259 section 8.1). */
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        return sd_fail_at(&p, 0, "byte order mark at the start (not allowed in JSON)");
    if (sd_expect(&p, '[', "'[' (a list of target groups)") < 0)
        return -1;

    size_t ng = 0, gcap = 8;
    sd_group *groups = LH_NEWN(a, sd_group, gcap);
    sd_skip_ws(&p);
    if (p.pos < p.len && p.s[p.pos] == ']') {
        p.pos++;
    } else {
        for (;;) {
            if (ng == gcap) {
                groups = lh_arena_realloc(a, groups, gcap * sizeof *groups,
                                          2 * gcap * sizeof *groups);
                memset(groups + gcap, 0, gcap * sizeof *groups);
                gcap *= 2;
            }
            if (sd_group_obj(&p, &groups[ng]) < 0)
                return -1;
            ng++;
            sd_skip_ws(&p);
            if (p.pos < p.len && p.s[p.pos] == ',') {
                p.pos++;
                continue;
            }
            if (sd_expect(&p, ']', "',' or ']' after a target group") < 0)
                return -1;
            break;
        }
    }
    sd_skip_ws(&p);
    if (p.pos < p.len) {
        char buf[16];
        return sd_fail_at(&p, p.pos, "unexpected %s after the list of target groups",
                          sd_found(&p, buf, sizeof buf));
    }

    size_t total = 0;
    for (size_t i = 0; i < ng; i++)
        total += groups[i].ntargets;
    lh_sd_target *t = LH_NEWN(a, lh_sd_target, total ? total : 1);
    size_t *tpos = LH_NEWN(a, size_t, total ? total : 1);
    size_t n = 0;
    for (size_t i = 0; i < ng; i++) {
        sd_group *g = &groups[i];
        if (g->nlabels > 1)
            qsort(g->labels, g->nlabels, sizeof *g->labels, sd_label_cmp);
        for (size_t j = 0; j < g->ntargets; j++) {
            /* One target in two groups would give two series with the same
             * target label but different group labels: refuse it rather
             * than pick one. The list is small; a quadratic check is fine. */
            for (size_t k = 0; k < n; k++) {
                if (strcmp(t[k].addr, g->targets[j]) == 0) {
                    size_t l, c;
                    sd_where(&p, tpos[k], &l, &c);
                    return sd_fail_at(&p, g->target_pos[j],
                                      "target \"%s\" listed twice (first at line %zu)",
                                      g->targets[j], l);
                }
            }
            tpos[n] = g->target_pos[j];
            t[n++] = (lh_sd_target){g->targets[j], g->labels, g->nlabels, g->source_dir};
        }
    }
    *out = t;
    *nout = n;
    return 0;
}

int lh_file_sd_read(const char *path, lh_arena *a, lh_sd_target **out, size_t *nout,
                    char *err, size_t errlen)
{
    char *data;
    size_t len;
    char why[256];
    if (lh_read_file(path, SD_MAX_BYTES, &data, &len, why, sizeof why) < 0) {
        snprintf(err, errlen, "%s: %s", path, why);
        return -1;
    }
    int rc = lh_file_sd_parse(path, data, len, a, out, nout, err, errlen);
    free(data);
    return rc;
}
