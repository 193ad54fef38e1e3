/* File.GoVersion: the minimum Go release a file's //go:build line implies.
 *
 * go/parser (since Go 1.21) reads every //go:build comment before the
 * package clause, and the last one whose expression parses sets the
 * file's GoVersion: "go1.21" for "//go:build go1.21 && linux", "" when the
 * expression can be satisfied without any go1.N tag. The expression syntax
 * and the version arithmetic are go/build/constraint's:
 *
 *   Expr = OrExpr .  OrExpr = AndExpr { "||" AndExpr } .
 *   AndExpr = NotExpr { "&&" NotExpr } .  NotExpr = [ "!" ] Atom .
 *   Atom = tag | "(" OrExpr ")" .
 *
 * A tag is a run of letters, digits, '_' and '.'; "!!" is an error, and so
 * is an expression of more than 1000 NotExprs. Each tag or negated tag is
 * assumed independently satisfiable: AND takes the larger minimum, OR the
 * smaller, and a negated tag implies nothing. */
#include <stdio.h>
#include <string.h>

#include "go/parse_internal.h"
#include "go/unicode.h"

enum { MAX_NOT_EXPRS = 1000 };

/* The minimum release a subexpression implies when true (pos) and when
 * false (neg), as go1.N's N; -1 for none. Both are carried so that "!"
 * only swaps them. */
typedef struct vers {
    int64_t pos, neg;
} vers;

typedef struct bexpr {
    const char *s;
    size_t n, i;
    const char *tok;        /* last token; tok_len 0 at the end */
    size_t tok_len;
    bool is_tag;
    int size;
    bool bad;               /* a syntax error: the line is not a constraint */
} bexpr;

/* Decodes one rune of s[0..n) as utf8.DecodeRune does. */
static uint32_t decode(const char *s, size_t n, int *w)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80) {
        *w = 1;
        return u[0];
    }
    uint32_t r = lh_utf8_decode(u, w);
    if ((size_t)*w > n) {
        *w = 1;
        return LH_RUNE_ERROR;
    }
    return r;
}

/* unicode.IsSpace. */
static bool is_space(uint32_t r)
{
    switch (r) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F:
    case 0x205F: case 0x3000:
        return true;
    default:
        return r >= 0x2000 && r <= 0x200A;
    }
}

/* strings.TrimSpace on s[*from..*to). */
static void trim_space(const char *s, size_t *from, size_t *to)
{
    size_t i = *from, last = *from;
    bool lead = true;
    while (i < *to) {
        int w;
        uint32_t r = decode(s + i, *to - i, &w);
        if (!is_space(r)) {
            if (lead)
                *from = i;
            lead = false;
            last = i + (size_t)w;
        }
        i += (size_t)w;
    }
    if (lead)
        *from = *to;
    else
        *to = last;
}

static bool tag_rune(uint32_t r)
{
    if (r < 0x80)
        return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') ||
               r == '_' || r == '.';
    return lh_unicode_is_letter(r) || lh_unicode_is_digit(r);
}

static void lex(bexpr *b)
{
    b->is_tag = false;
    while (b->i < b->n && (b->s[b->i] == ' ' || b->s[b->i] == '\t'))
        b->i++;
    b->tok = b->s + b->i;
    b->tok_len = 0;
    if (b->i >= b->n)
        return;
    char c = b->s[b->i];
    if (c == '(' || c == ')' || c == '!') {
        b->tok_len = 1;
    } else if (c == '&' || c == '|') {
        if (b->i + 1 >= b->n || b->s[b->i + 1] != c) {
            b->bad = true;
            return;
        }
        b->tok_len = 2;
    } else {
        size_t j = b->i;
        while (j < b->n) {
            int w;
            if (!tag_rune(decode(b->s + j, b->n - j, &w)))
                break;
            j += (size_t)w;
        }
        if (j == b->i) {
            b->bad = true;
            return;
        }
        b->tok_len = j - b->i;
        b->is_tag = true;
    }
    b->i += b->tok_len;
}

static bool tok_is(const bexpr *b, const char *t)
{
    return b->tok_len == strlen(t) && memcmp(b->tok, t, b->tok_len) == 0;
}

/* The N of a go1.N tag (0 for "go1"), -1 for any other tag. Like
 * constraint.GoVersion it takes what follows the first "go1." and wants
 * a decimal that fits in an int. */
static int64_t tag_version(const char *t, size_t n)
{
    if (n == 3 && memcmp(t, "go1", 3) == 0)
        return 0;
    size_t k = 0;
    while (k + 4 <= n && memcmp(t + k, "go1.", 4) != 0)
        k++;
    if (k + 4 > n)
        return -1;
    t += k + 4;
    n -= k + 4;
    if (n == 0)
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned char)t[i] - '0';
        if (d > 9 || v > (INT64_MAX - (int64_t)d) / 10)
            return -1;
        v = v * 10 + (int64_t)d;
    }
    return v;
}

static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

static vers parse_or(bexpr *b);

/* Atom = tag | "(" OrExpr ")" .  (its first token already read) */
static vers parse_atom(bexpr *b)
{
    vers none = {-1, -1};
    if (b->bad)
        return none;
    if (tok_is(b, "(")) {
        vers x = parse_or(b);
        if (b->bad || !tok_is(b, ")")) {
            b->bad = true;
            return none;
        }
        lex(b);
        return x;
    }
    if (!b->is_tag) {
        b->bad = true;
        return none;
    }
    vers x = {tag_version(b->tok, b->tok_len), -1};
    lex(b);
    return x;
}

/* NotExpr = [ "!" ] Atom . */
static vers parse_not(bexpr *b)
{
    vers none = {-1, -1};
    if (++b->size > MAX_NOT_EXPRS) {
        b->bad = true;
        return none;
    }
    lex(b);
    if (b->bad)
        return none;
    if (tok_is(b, "!")) {
        lex(b);
        if (b->bad || tok_is(b, "!")) {
            b->bad = true;
            return none;
        }
        vers x = parse_atom(b);
        return (vers){x.neg, x.pos};
    }
    return parse_atom(b);
}

/* AndExpr = NotExpr { "&&" NotExpr } . */
static vers parse_and(bexpr *b)
{
    vers x = parse_not(b);
    while (!b->bad && tok_is(b, "&&")) {
        vers y = parse_not(b);
        x = (vers){max64(x.pos, y.pos), min64(x.neg, y.neg)};
    }
    return x;
}

/* OrExpr = AndExpr { "||" AndExpr } . */
static vers parse_or(bexpr *b)
{
    vers x = parse_and(b);
    while (!b->bad && tok_is(b, "||")) {
        vers y = parse_and(b);
        x = (vers){min64(x.pos, y.pos), max64(x.neg, y.neg)};
    }
    return x;
}

bool lh_parse_go_build_version(const char *text, size_t n, lh_arena *arena, lh_str *out)
{
    static const char prefix[] = "//go:build";
    const size_t plen = sizeof prefix - 1;
    if (n < plen || memcmp(text, prefix, plen) != 0)
        return false;
    /* The prefix must be followed by white space or nothing ("//go:buildx"
     * is some other directive). */
    size_t from = 0, to = n;
    trim_space(text, &from, &to);
    from = plen;
    size_t rest = to - from;
    trim_space(text, &from, &to);
    if (to - from == rest && rest != 0)
        return false;

    bexpr b = {.s = text + from, .n = to - from};
    vers v = parse_or(&b);
    if (b.bad || b.tok_len != 0)
        return false;
    if (v.pos < 0) {
        *out = (lh_str){"", 0};
    } else if (v.pos == 0) {
        *out = (lh_str){"go1", 3};
    } else {
        char *s = lh_arena_alloc_raw(arena, 32);
        int len = snprintf(s, 32, "go1.%lld", (long long)v.pos);
        *out = (lh_str){s, (uint32_t)len};
    }
    return true;
}
