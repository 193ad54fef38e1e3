/* Fingerprints of findings and the baseline filter (see baseline.h). */
#include "report/baseline.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a, 64 bits: stable across machines and releases, which is all a
 * fingerprint stored in a baseline file needs (it is no defence against
 * anyone crafting collisions, and needs none). */
static const uint64_t fnv_offset = 14695981039346656037ULL, fnv_prime = 1099511628211ULL;

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= fnv_prime;
    }
    return h;
}

/* A string and its terminating NUL, so "ab"+"c" and "a"+"bc" differ. */
static uint64_t fnv_str(uint64_t h, const char *s)
{
    return fnv(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

void lh_fingerprint_line(lh_finding *f, const char *src, size_t len)
{
    uint64_t h = fnv_str(fnv_offset, f->rule);
    h = fnv_str(h, f->function);
    if (src && f->line > 0) {
        size_t off = 0;
        for (uint32_t l = 1; l < f->line && off < len; l++) {
            const char *nl = memchr(src + off, '\n', len - off);
            off = nl ? (size_t)(nl - src) + 1 : len;
        }
        /* White space goes: gofmt's realignment of a line, or a tab turned
         * into spaces, is no change of the code. */
        for (; off < len && src[off] != '\n'; off++)
            if (!is_space(src[off]))
                h = fnv(h, &src[off], 1);
    }
    f->fingerprint = h;
}

void lh_findings_fingerprint(lh_findings *fs)
{
    /* Sorted by file and line: the earlier findings of a file with the same
     * first part are its occurrences so far. Quadratic only within a file's
     * run of findings, which is short. */
    size_t start = 0;
    uint64_t *base = malloc((fs->n + 1) * sizeof *base);
    if (!base)
        abort();
    for (size_t i = 0; i < fs->n; i++)
        base[i] = fs->v[i].fingerprint;
    for (size_t i = 0; i < fs->n; i++) {
        if (i > 0 && strcmp(fs->v[i].file, fs->v[i - 1].file) != 0)
            start = i;
        uint32_t k = 0;
        for (size_t j = start; j < i; j++)
            k += base[j] == base[i];
        unsigned char idx[4] = {(unsigned char)k, (unsigned char)(k >> 8),
                                (unsigned char)(k >> 16), (unsigned char)(k >> 24)};
        fs->v[i].fingerprint = fnv(base[i], idx, sizeof idx);
    }
    free(base);
}

uint64_t lh_fingerprint_with_path(uint64_t fp, const char *path)
{
    unsigned char v[8];
    for (int k = 0; k < 8; k++)
        v[k] = (unsigned char)(fp >> (8 * k));
    return fnv(fnv_str(fnv_offset, path), v, sizeof v);
}

void lh_fingerprint_hex(uint64_t fp, char buf[17])
{
    snprintf(buf, 17, "%016llx", (unsigned long long)fp);
}

/* ---- the baseline: a JSON document, read as far as needed ----------------- */

/* A small JSON reader: enough to walk a `scan --format json` document and
 * pick out each finding's rule, file and fingerprint; other values are
 * checked for well-formedness and skipped. */
typedef struct jreader {
    const char *s;
    size_t n, i;
    int depth;
    char *err;
    size_t errlen;
    lh_arena *arena;
} jreader;

enum { MAX_DEPTH = 64 };

static int jfail(jreader *r, const char *what)
{
    uint32_t line = 1, col = 1;
    for (size_t k = 0; k < r->i && k < r->n; k++) {
        if (r->s[k] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    snprintf(r->err, r->errlen, "%u:%u: %s", line, col, what);
    return -1;
}

static void jspace(jreader *r)
{
    while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\t' || r->s[r->i] == '\n' ||
                           r->s[r->i] == '\r'))
        r->i++;
}

static bool jpeek(jreader *r, char c)
{
    jspace(r);
    return r->i < r->n && r->s[r->i] == c;
}

static int jexpect(jreader *r, char c, const char *what)
{
    if (!jpeek(r, c))
        return jfail(r, what);
    r->i++;
    return 0;
}

static int hex4(jreader *r, unsigned *v)
{
    *v = 0;
    for (int k = 0; k < 4; k++, r->i++) {
        char c = r->i < r->n ? r->s[r->i] : 0;
        unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                            : 16;
        if (d == 16)
            return jfail(r, "bad \\u escape");
        *v = *v * 16 + d;
    }
    return 0;
}

static void put_utf8(lh_buf *b, unsigned cp)
{
    if (cp < 0x80) {
        lh_buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        lh_buf_putc(b, (char)(0xC0 | cp >> 6));
        lh_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        lh_buf_putc(b, (char)(0xE0 | cp >> 12));
        lh_buf_putc(b, (char)(0x80 | (cp >> 6 & 0x3F)));
        lh_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    } else {
        lh_buf_putc(b, (char)(0xF0 | cp >> 18));
        lh_buf_putc(b, (char)(0x80 | (cp >> 12 & 0x3F)));
        lh_buf_putc(b, (char)(0x80 | (cp >> 6 & 0x3F)));
        lh_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    }
}

/* A string into *out (arena copy, escapes decoded), or skipped when out is
 * NULL. */
static int jstring(jreader *r, const char **out)
{
    if (jexpect(r, '"', "expected a string") != 0)
        return -1;
    lh_buf b = LH_BUF_INIT;
    int rc = -1;
    for (;;) {
        if (r->i >= r->n) {
            jfail(r, "unterminated string");
            break;
        }
        unsigned char c = (unsigned char)r->s[r->i++];
        if (c == '"') {
            rc = 0;
            break;
        }
        if (c < 0x20) {
            r->i--;
            jfail(r, "control character in string");
            break;
        }
        if (c != '\\') {
            lh_buf_putc(&b, (char)c);
            continue;
        }
        char e = r->i < r->n ? r->s[r->i++] : 0;
        const char *simple = strchr("\"\\/bfnrt", e);
        if (e && simple) {
            static const char to[] = "\"\\/\b\f\n\r\t";
            lh_buf_putc(&b, to[simple - "\"\\/bfnrt"]);
            continue;
        }
        if (e != 'u') {
            jfail(r, "bad escape in string");
            break;
        }
        unsigned cp, lo;
        if (hex4(r, &cp) != 0)
            break;
        if (cp >= 0xD800 && cp < 0xDC00 && r->i + 1 < r->n && r->s[r->i] == '\\' &&
            r->s[r->i + 1] == 'u') {
            r->i += 2;
            if (hex4(r, &lo) != 0)
                break;
            if (lo >= 0xDC00 && lo < 0xE000)
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            else
                cp = 0xFFFD;
        } else if (cp >= 0xD800 && cp < 0xE000) {
            cp = 0xFFFD;
        }
        put_utf8(&b, cp);
    }
    if (rc == 0 && out)
        *out = lh_arena_strndup(r->arena, b.data ? b.data : "", b.len);
    lh_buf_free(&b);
    return rc;
}

static int jliteral(jreader *r, const char *word)
{
    size_t k = strlen(word);
    if (r->n - r->i < k || memcmp(r->s + r->i, word, k) != 0)
        return jfail(r, "expected a JSON value");
    r->i += k;
    return 0;
}

static int jnumber(jreader *r)
{
    size_t start = r->i;
    if (r->i < r->n && r->s[r->i] == '-')
        r->i++;
    size_t digits = r->i;
    while (r->i < r->n && strchr("0123456789.eE+-", r->s[r->i]) && r->s[r->i])
        r->i++;
    if (r->i == digits || r->s[digits] < '0' || r->s[digits] > '9') {
        r->i = start;
        return jfail(r, "expected a JSON value");
    }
    return 0;
}

/* An array or object: open, items separated by ',', close; item reads
 * one element (or member) and must consume it. */
typedef int (*jitem_fn)(jreader *r, void *ctx);

static int jseq(jreader *r, char open, char close, const char *what, jitem_fn item, void *ctx)
{
    char sep_or_close[32];
    snprintf(sep_or_close, sizeof sep_or_close, "expected ',' or '%c'", close);
    if (jexpect(r, open, what) != 0)
        return -1;
    if (++r->depth > MAX_DEPTH)
        return jfail(r, "nested too deeply");
    if (jpeek(r, close)) {
        r->i++;
        r->depth--;
        return 0;
    }
    for (;;) {
        if (item(r, ctx) != 0)
            return -1;
        if (jpeek(r, ',')) {
            r->i++;
            continue;
        }
        if (jexpect(r, close, sep_or_close) != 0)
            return -1;
        r->depth--;
        return 0;
    }
}

/* Members of an object, each handed to fn (key, reader at the value),
 * which must consume the value; fn NULL skips them. */
typedef int (*jmember_fn)(jreader *r, const char *key, void *ctx);

typedef struct jmembers {
    jmember_fn fn;
    void *ctx;
} jmembers;

static int jvalue(jreader *r);

static int jmember(jreader *r, void *ctx)
{
    jmembers *m = ctx;
    const char *key;
    if (jstring(r, &key) != 0 || jexpect(r, ':', "expected ':'") != 0)
        return -1;
    return m->fn ? m->fn(r, key, m->ctx) : jvalue(r);
}

static int jobject(jreader *r, jmember_fn fn, void *ctx)
{
    jmembers m = {fn, ctx};
    return jseq(r, '{', '}', "expected an object", jmember, &m);
}

static int jskip(jreader *r, void *ctx)
{
    (void)ctx;
    return jvalue(r);
}

/* Elements of an array, each handed to fn; fn NULL skips them. */
static int jarray(jreader *r, jitem_fn fn, void *ctx)
{
    return jseq(r, '[', ']', "expected an array", fn ? fn : jskip, ctx);
}

static int jvalue(jreader *r)
{
    jspace(r);
    if (r->i >= r->n)
        return jfail(r, "unexpected end of input");
    switch (r->s[r->i]) {
    case '{':
        return jobject(r, NULL, NULL);
    case '[':
        return jarray(r, NULL, NULL);
    case '"':
        return jstring(r, NULL);
    case 't':
        return jliteral(r, "true");
    case 'f':
        return jliteral(r, "false");
    case 'n':
        return jliteral(r, "null");
    default:
        return jnumber(r);
    }
}

/* One finding of the baseline: rule, file, fingerprint. */
typedef struct jfinding {
    const char *rule, *file, *fp;
} jfinding;

static int finding_member(jreader *r, const char *key, void *ctx)
{
    jfinding *f = ctx;
    if (strcmp(key, "rule") == 0)
        return jstring(r, &f->rule);
    if (strcmp(key, "file") == 0)
        return jstring(r, &f->file);
    if (strcmp(key, "fingerprint") == 0)
        return jstring(r, &f->fp);
    return jvalue(r);
}

static bool parse_hex64(const char *s, uint64_t *v)
{
    if (strlen(s) != 16)
        return false;
    *v = 0;
    for (int k = 0; k < 16; k++) {
        char c = s[k];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                                            : 16;
        if (d == 16)
            return false;
        *v = *v << 4 | d;
    }
    return true;
}

static int finding_elem(jreader *r, void *ctx)
{
    lh_baseline *b = ctx;
    jfinding f = {NULL, NULL, NULL};
    jspace(r);
    size_t at = r->i;
    if (jobject(r, finding_member, &f) != 0)
        return -1;
    uint64_t fp;
    if (!f.rule || !f.file || !f.fp || !parse_hex64(f.fp, &fp)) {
        r->i = at;
        return jfail(r, "a finding without rule, file or fingerprint (a baseline must be "
                        "the --format json output of this leakhound or a later one)");
    }
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 64;
        b->v = realloc(b->v, b->cap * sizeof *b->v);
        if (!b->v)
            abort();
    }
    b->v[b->n++] = (lh_baseline_entry){f.rule, f.file, fp};
    return 0;
}

typedef struct jtop {
    lh_baseline *b;
    bool seen;
} jtop;

static int top_member(jreader *r, const char *key, void *ctx)
{
    jtop *t = ctx;
    if (strcmp(key, "findings") == 0) {
        t->seen = true;
        return jarray(r, finding_elem, t->b);
    }
    return jvalue(r);
}

static int cmp_entry(const void *pa, const void *pb)
{
    const lh_baseline_entry *a = pa, *b = pb;
    if (a->fingerprint != b->fingerprint)
        return a->fingerprint < b->fingerprint ? -1 : 1;
    int c = strcmp(a->file, b->file);
    return c ? c : strcmp(a->rule, b->rule);
}

int lh_baseline_parse(lh_baseline *b, const char *src, size_t len, char *err, size_t errlen)
{
    memset(b, 0, sizeof *b);
    lh_arena_init(&b->arena);
    jreader r = {src, len, 0, 0, err, errlen, &b->arena};
    jtop t = {b, false};
    jspace(&r);
    if (!jpeek(&r, '{'))
        return jfail(&r, "expected a JSON object (leakhound scan --format json output)");
    if (jobject(&r, top_member, &t) != 0)
        return -1;
    jspace(&r);
    if (r.i != r.n)
        return jfail(&r, "data after the JSON object");
    if (!t.seen)
        return jfail(&r, "no \"findings\" array (not leakhound scan --format json output)");
    if (b->n > 1)
        qsort(b->v, b->n, sizeof *b->v, cmp_entry);
    return 0;
}

void lh_baseline_free(lh_baseline *b)
{
    free(b->v);
    lh_arena_free(&b->arena);
    memset(b, 0, sizeof *b);
}

size_t lh_findings_drop_baseline(lh_findings *fs, const lh_baseline *b, const char *cwd)
{
    size_t k = 0;
    for (size_t i = 0; i < fs->n; i++) {
        const lh_finding *f = &fs->v[i];
        lh_baseline_entry key = {f->rule, lh_findings_path(f->file, cwd), f->fingerprint};
        if (!b->n || !bsearch(&key, b->v, b->n, sizeof *b->v, cmp_entry))
            fs->v[k++] = fs->v[i];
    }
    size_t dropped = fs->n - k;
    fs->n = k;
    return dropped;
}
