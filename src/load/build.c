/* Build constraints as go/build evaluates them (see build.h). The tables
 * of known ports are go/build's syslist for Go 1.19: data, not code. */
#include "load/build.h"

#include <stdio.h>
#include <string.h>

#include "go/unicode.h"

static const char *const known_os[] = {
    "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js",
    "linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "windows", "zos", NULL,
};
static const char *const unix_os[] = {
    "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios",
    "linux", "netbsd", "openbsd", "solaris", NULL,
};
static const char *const known_arch[] = {
    "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips",
    "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le",
    "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm", NULL,
};
/* GOARCHes where Go 1.19 turns the register ABI experiments on by default
 * (internal/buildcfg): their files say //go:build goexperiment.regabiargs. */
static const char *const regabi_arch[] = {"amd64", "arm64", "ppc64", "ppc64le", "riscv64", NULL};

static bool eqn(const char *s, size_t n, const char *z)
{
    return strlen(z) == n && memcmp(s, z, n) == 0;
}

static bool in_table(const char *const *t, const char *s, size_t n)
{
    for (; *t; t++)
        if (eqn(s, n, *t))
            return true;
    return false;
}

void lh_build_ctx_default(lh_build_ctx *c)
{
    memset(c, 0, sizeof *c);
    c->goos = "linux";
    c->goarch = "amd64";
    c->release_max = LH_BUILD_RELEASE_DEFAULT;
}

bool lh_build_known_os(const char *s, size_t n) { return in_table(known_os, s, n); }
bool lh_build_known_arch(const char *s, size_t n) { return in_table(known_arch, s, n); }

static bool release_tag(const lh_build_ctx *c, const char *s, size_t n)
{
    if (n < 4 || memcmp(s, "go1.", 4) != 0 || n > 8)
        return false;
    int v = 0;
    for (size_t i = 4; i < n; i++) {
        if (s[i] < '0' || s[i] > '9' || (i == 4 && s[i] == '0'))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    return v >= 1 && v <= c->release_max;
}

bool lh_build_match_tag(const lh_build_ctx *c, const char *s, size_t n)
{
    if (c->cgo && eqn(s, n, "cgo"))
        return true;
    if (eqn(s, n, c->goos) || eqn(s, n, c->goarch) || eqn(s, n, "gc"))
        return true;
    if ((strcmp(c->goos, "android") == 0 && eqn(s, n, "linux")) ||
        (strcmp(c->goos, "illumos") == 0 && eqn(s, n, "solaris")) ||
        (strcmp(c->goos, "ios") == 0 && eqn(s, n, "darwin")))
        return true;
    if (eqn(s, n, "unix") && in_table(unix_os, c->goos, strlen(c->goos)))
        return true;
    for (size_t i = 0; i < c->ntags; i++)
        if (eqn(s, n, c->tags[i]))
            return true;
    if ((eqn(s, n, "goexperiment.regabiwrappers") || eqn(s, n, "goexperiment.regabiargs")) &&
        in_table(regabi_arch, c->goarch, strlen(c->goarch)))
        return true;
    return release_tag(c, s, n);
}

/* ---- file names ---------------------------------------------------------- */

bool lh_build_match_filename(const lh_build_ctx *c, const char *base)
{
    /* Everything from the first '.' on is the extension; everything before
     * the first '_' is the name proper and never a suffix. */
    size_t n = strcspn(base, ".");
    const char *us = memchr(base, '_', n);
    if (!us)
        return true;
    const char *elem[64];
    size_t elen[64], ne = 0;
    const char *p = us + 1, *end = base + n;
    for (;;) {
        const char *q = memchr(p, '_', (size_t)(end - p));
        if (!q)
            q = end;
        if (ne == 64) {     /* keep the last 63: only the last three matter */
            memmove(elem, elem + 1, sizeof elem[0] * 63);
            memmove(elen, elen + 1, sizeof elen[0] * 63);
            ne = 63;
        }
        elem[ne] = p;
        elen[ne++] = (size_t)(q - p);
        if (q == end)
            break;
        p = q + 1;
    }
    if (ne > 0 && eqn(elem[ne - 1], elen[ne - 1], "test"))
        ne--;
    if (ne >= 2 && lh_build_known_os(elem[ne - 2], elen[ne - 2]) &&
        lh_build_known_arch(elem[ne - 1], elen[ne - 1]))
        return lh_build_match_tag(c, elem[ne - 2], elen[ne - 2]) &&
               lh_build_match_tag(c, elem[ne - 1], elen[ne - 1]);
    if (ne >= 1 && (lh_build_known_os(elem[ne - 1], elen[ne - 1]) ||
                    lh_build_known_arch(elem[ne - 1], elen[ne - 1])))
        return lh_build_match_tag(c, elem[ne - 1], elen[ne - 1]);
    return true;
}

/* ---- //go:build expressions ---------------------------------------------- */

/* One token of look-ahead over the expression, as go/build/constraint's
 * parser: tok is "" at the end. The expression is evaluated as it is
 * parsed, every operand included, so a syntax error anywhere is found. */
typedef struct expr_parser {
    const lh_build_ctx *ctx;
    const char *s;
    size_t n, pos;
    const char *tok;
    size_t toklen;
    bool is_tag;
    int depth;
    char *err;
    size_t errlen;
    bool failed;
} expr_parser;

enum { MAX_EXPR_DEPTH = 1000 };

static void fail(expr_parser *p, const char *msg, const char *what, size_t wn)
{
    if (!p->failed)
        snprintf(p->err, p->errlen, "%s%.*s", msg, (int)wn, what);
    p->failed = true;
}

/* A tag character: unicode.IsLetter, IsDigit, '_' or '.'. Returns its
 * width, or 0. */
static int tag_char(const char *s, size_t avail)
{
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '.';
    unsigned char tmp[5] = {0};
    memcpy(tmp, s, avail < 4 ? avail : 4);
    int w;
    uint32_t r = lh_utf8_decode(tmp, &w);
    return r != LH_RUNE_ERROR && (lh_unicode_is_letter(r) || lh_unicode_is_digit(r)) ? w : 0;
}

static void lex(expr_parser *p)
{
    p->is_tag = false;
    while (p->pos < p->n && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t'))
        p->pos++;
    if (p->pos >= p->n) {
        p->tok = "";
        p->toklen = 0;
        return;
    }
    const char *s = p->s + p->pos;
    switch (*s) {
    case '(': case ')': case '!':
        p->tok = s;
        p->toklen = 1;
        p->pos++;
        return;
    case '&': case '|':
        if (p->pos + 1 >= p->n || s[1] != s[0]) {
            fail(p, "invalid syntax at ", s, 1);
            p->tok = "";
            p->toklen = 0;
            p->pos = p->n;
            return;
        }
        p->tok = s;
        p->toklen = 2;
        p->pos += 2;
        return;
    }
    size_t len = 0;
    int w;
    while (p->pos + len < p->n && (w = tag_char(s + len, p->n - p->pos - len)) > 0)
        len += (size_t)w;
    if (len == 0) {
        unsigned char tmp[5] = {0};
        memcpy(tmp, s, p->n - p->pos < 4 ? p->n - p->pos : 4);
        int cw;
        lh_utf8_decode(tmp, &cw);
        fail(p, "invalid syntax at ", s, (size_t)cw);
        p->tok = "";
        p->toklen = 0;
        p->pos = p->n;
        return;
    }
    p->tok = s;
    p->toklen = len;
    p->is_tag = true;
    p->pos += len;
}

static bool tok_is(const expr_parser *p, const char *z) { return eqn(p->tok, p->toklen, z); }

static bool parse_or(expr_parser *p);

/* atom = tag | "(" or ")" */
static bool parse_atom(expr_parser *p)
{
    if (tok_is(p, "(")) {
        if (++p->depth > MAX_EXPR_DEPTH) {
            fail(p, "expression too deeply nested", "", 0);
            return false;
        }
        bool v = parse_or(p);
        p->depth--;
        if (!tok_is(p, ")")) {
            fail(p, "missing close paren", "", 0);
            return false;
        }
        lex(p);
        return v;
    }
    if (!p->is_tag) {
        if (p->toklen == 0)
            fail(p, "unexpected end of expression", "", 0);
        else
            fail(p, "unexpected token ", p->tok, p->toklen);
        return false;
    }
    bool v = lh_build_match_tag(p->ctx, p->tok, p->toklen);
    lex(p);
    return v;
}

/* not = "!" atom | atom   (a second "!" is rejected, as Go rejects it) */
static bool parse_not(expr_parser *p)
{
    lex(p);
    if (tok_is(p, "!")) {
        lex(p);
        if (tok_is(p, "!")) {
            fail(p, "double negation not allowed", "", 0);
            return false;
        }
        return !parse_atom(p);
    }
    return parse_atom(p);
}

/* and = not { "&&" not } */
static bool parse_and(expr_parser *p)
{
    bool v = parse_not(p);
    while (!p->failed && tok_is(p, "&&"))
        v = parse_not(p) && v;
    return v;
}

/* or = and { "||" and } */
static bool parse_or(expr_parser *p)
{
    bool v = parse_and(p);
    while (!p->failed && tok_is(p, "||"))
        v = parse_and(p) || v;
    return v;
}

int lh_build_eval_expr(const lh_build_ctx *c, const char *s, size_t n, bool *ok, char *err,
                       size_t errlen)
{
    char dummy[8];
    expr_parser p = {.ctx = c, .s = s, .n = n, .tok = "", .err = err ? err : dummy,
                     .errlen = err ? errlen : sizeof dummy};
    bool v = parse_or(&p);
    if (!p.failed && p.toklen != 0)
        fail(&p, "unexpected token ", p.tok, p.toklen);
    if (p.failed)
        return -1;
    *ok = v;
    return 0;
}

/* ---- // +build lines ------------------------------------------------------ */

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

static bool valid_tag(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n;) {
        int w = tag_char(s + i, n - i);
        if (w == 0)
            return false;
        i += (size_t)w;
    }
    return true;
}

/* A term of a +build line; malformed ones stand for the tag "ignore",
 * which never holds. */
static bool plus_term(const lh_build_ctx *c, const char *s, size_t n)
{
    if ((n >= 2 && s[0] == '!' && s[1] == '!') || (n == 1 && s[0] == '!'))
        return false;
    bool neg = n > 0 && s[0] == '!';
    if (neg)
        s++, n--;
    bool v = valid_tag(s, n) && lh_build_match_tag(c, s, n);
    return neg ? !v : v;
}

bool lh_build_eval_plus(const lh_build_ctx *c, const char *line, size_t n, bool *ok)
{
    if (n < 2 || line[0] != '/' || line[1] != '/')
        return false;
    const char *p = line + 2, *end = line + n;
    while (p < end && is_space(*p))
        p++;
    while (end > p && is_space(end[-1]))
        end--;
    if ((size_t)(end - p) < 6 || memcmp(p, "+build", 6) != 0)
        return false;
    p += 6;
    if (p < end && !is_space(*p))
        return false;
    bool any = false, v = false;
    while (p < end) {
        while (p < end && is_space(*p))
            p++;
        if (p == end)
            break;
        const char *f = p;
        while (p < end && !is_space(*p))
            p++;
        /* one field: terms joined by commas, all must hold */
        bool fv = true;
        for (const char *t = f; t <= p;) {
            const char *q = memchr(t, ',', (size_t)(p - t));
            if (!q)
                q = p;
            fv = plus_term(c, t, (size_t)(q - t)) && fv;
            t = q + 1;
        }
        v = any ? (v || fv) : fv;
        any = true;
    }
    *ok = any ? v : false;
    return true;
}

/* ---- the header ------------------------------------------------------------ */

static bool is_go_build_line(const char *s, size_t n)
{
    return n >= 10 && memcmp(s, "//go:build", 10) == 0 &&
           (n == 10 || s[10] == ' ' || s[10] == '\t');
}

static const char *trim(const char *s, const char *e, const char **out_end)
{
    while (s < e && is_space(*s))
        s++;
    while (e > s && is_space(e[-1]))
        e--;
    *out_end = e;
    return s;
}

static const char *find2(const char *s, const char *e, char a, char b)
{
    for (; s + 1 < e; s++)
        if (s[0] == a && s[1] == b)
            return s;
    return NULL;
}

int lh_build_match_header(const lh_build_ctx *c, const char *src, size_t len, bool *ok,
                          char *err, size_t errlen)
{
    const char *p = src, *end = src + len;
    const char *header_end = src;   /* just past the last blank line seen */
    const char *gobuild = NULL, *gobuild_end = NULL;
    bool ended = false, in_star = false;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *next = nl ? nl + 1 : end;
        const char *le, *l = trim(p, nl ? nl : end, &le);
        p = next;
        if (l == le && !ended) {
            header_end = p;
            continue;
        }
        if (le - l < 2 || l[0] != '/' || l[1] != '/')
            ended = true;
        if (!in_star && is_go_build_line(l, (size_t)(le - l))) {
            if (gobuild) {
                snprintf(err, errlen, "multiple //go:build comments");
                return -1;
            }
            gobuild = l;
            gobuild_end = le;
        }
        /* Skip the comments of this line; stop at the first other text. */
        bool text = false;
        while (l < le) {
            if (in_star) {
                const char *q = find2(l, le, '*', '/');
                if (!q)
                    break;
                in_star = false;
                l = trim(q + 2, le, &le);
                continue;
            }
            if (le - l >= 2 && l[0] == '/' && l[1] == '/')
                break;
            if (le - l >= 2 && l[0] == '/' && l[1] == '*') {
                in_star = true;
                l = trim(l + 2, le, &le);
                continue;
            }
            text = true;
            break;
        }
        if (text)
            break;
    }
    if (gobuild) {
        char msg[200];
        if (lh_build_eval_expr(c, gobuild + 10, (size_t)(gobuild_end - gobuild - 10), ok, msg,
                               sizeof msg) != 0) {
            snprintf(err, errlen, "parsing //go:build line: %s", msg);
            return -1;
        }
        return 0;
    }
    /* +build lines count only before the last blank line of the header. */
    *ok = true;
    for (p = src; p < header_end;) {
        const char *nl = memchr(p, '\n', (size_t)(header_end - p));
        const char *next = nl ? nl + 1 : header_end;
        const char *le, *l = trim(p, nl ? nl : header_end, &le);
        p = next;
        bool v;
        if (lh_build_eval_plus(c, l, (size_t)(le - l), &v) && !v)
            *ok = false;
    }
    return 0;
}
