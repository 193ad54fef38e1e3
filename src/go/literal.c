/* Values of literal tokens, for the layers above the parser: import paths
 * and struct tags are strings, channel capacities and sizes are integers.
 * Only literals the lexer accepted without error are expected; anything
 * else gives false rather than a guess. */
#include <string.h>

#include "go/lex.h"
#include "go/unicode.h"

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static size_t put_utf8(char *d, uint32_t r)
{
    if (r < 0x80) {
        d[0] = (char)r;
        return 1;
    }
    if (r < 0x800) {
        d[0] = (char)(0xC0 | r >> 6);
        d[1] = (char)(0x80 | (r & 0x3F));
        return 2;
    }
    if (r < 0x10000) {
        d[0] = (char)(0xE0 | r >> 12);
        d[1] = (char)(0x80 | ((r >> 6) & 0x3F));
        d[2] = (char)(0x80 | (r & 0x3F));
        return 3;
    }
    d[0] = (char)(0xF0 | r >> 18);
    d[1] = (char)(0x80 | ((r >> 12) & 0x3F));
    d[2] = (char)(0x80 | ((r >> 6) & 0x3F));
    d[3] = (char)(0x80 | (r & 0x3F));
    return 4;
}

/* One escape after the backslash at *pp; appends its bytes to d. \x and
 * octal escapes are single bytes, \u and \U code points in UTF-8. */
static bool unescape(const char **pp, const char *end, char quote, char *d, size_t *dn)
{
    const char *p = *pp;
    if (p >= end)
        return false;
    char c = *p++;
    int n = 0, base = 16;
    uint32_t max = 255;
    switch (c) {
    case 'a': d[(*dn)++] = '\a'; break;
    case 'b': d[(*dn)++] = '\b'; break;
    case 'f': d[(*dn)++] = '\f'; break;
    case 'n': d[(*dn)++] = '\n'; break;
    case 'r': d[(*dn)++] = '\r'; break;
    case 't': d[(*dn)++] = '\t'; break;
    case 'v': d[(*dn)++] = '\v'; break;
    case '\\': d[(*dn)++] = '\\'; break;
    case 'x': n = 2; break;
    case 'u': n = 4, max = 0x10FFFF; break;
    case 'U': n = 8, max = 0x10FFFF; break;
    default:
        if (c >= '0' && c <= '7') {
            p--;
            n = 3, base = 8;
        } else if (c == quote) {
            d[(*dn)++] = c;
        } else {
            return false;
        }
    }
    if (n) {
        uint32_t x = 0;
        for (; n > 0; n--, p++) {
            int v = p < end ? hexval((unsigned char)*p) : -1;
            if (v < 0 || v >= base)
                return false;
            x = x * (uint32_t)base + (uint32_t)v;
        }
        if (x > max || (x >= 0xD800 && x < 0xE000))
            return false;
        if (c == 'u' || c == 'U')
            *dn += put_utf8(d + *dn, x);
        else
            d[(*dn)++] = (char)x;
    }
    *pp = p;
    return true;
}

bool lh_lex_unquote(lh_arena *arena, const char *lit, size_t n, const char **out, size_t *out_len)
{
    if (n < 2 || lit[n - 1] != lit[0])
        return false;
    char q = lit[0];
    const char *p = lit + 1, *end = lit + n - 1;
    if (q == '`') {
        /* The lexer already removed carriage returns from lit. */
        if (memchr(p, '`', (size_t)(end - p)))
            return false;
        *out = p;
        *out_len = (size_t)(end - p);
        return true;
    }
    if (q != '"' && q != '\'')
        return false;
    if (q == '"' && !memchr(p, '\\', (size_t)(end - p))) {
        if (memchr(p, '"', (size_t)(end - p)) || memchr(p, '\n', (size_t)(end - p)))
            return false;
        *out = p;
        *out_len = (size_t)(end - p);
        return true;
    }
    /* Escapes never expand: \uXXXX (6 bytes) gives at most 3. */
    char *d = lh_arena_alloc_raw(arena, (size_t)(end - p) + 1);
    size_t dn = 0, chars = 0;
    while (p < end) {
        char c = *p;
        if (c == q || c == '\n')
            return false;
        if (c == '\\') {
            p++;
            if (!unescape(&p, end, q, d, &dn))
                return false;
        } else {
            d[dn++] = c;
            p++;
            /* A rune literal holds one character: skip a UTF-8 tail. */
            while (q == '\'' && p < end && ((unsigned char)*p & 0xC0) == 0x80)
                d[dn++] = *p++;
        }
        chars++;
    }
    if (q == '\'' && chars != 1)
        return false;
    d[dn] = '\0';
    *out = d;
    *out_len = dn;
    return true;
}

bool lh_lex_int_value(const char *lit, size_t n, uint64_t *v)
{
    const char *p = lit, *end = lit + n;
    unsigned base = 10;
    if (n >= 2 && p[0] == '0') {
        switch (p[1] | 0x20) {
        case 'x': base = 16, p += 2; break;
        case 'o': base = 8, p += 2; break;
        case 'b': base = 2, p += 2; break;
        default: base = 8, p += 1;
        }
    }
    uint64_t x = 0;
    bool any = base == 8 && p == lit + 1;   /* legacy octal: the 0 counts */
    bool after_digit = p > lit;             /* a prefix counts as a digit */
    for (; p < end; p++) {
        if (*p == '_') {
            if (!after_digit || p + 1 == end || p[1] == '_')
                return false;
            after_digit = false;
            continue;
        }
        after_digit = true;
        int d = hexval((unsigned char)*p);
        if (d < 0 || (unsigned)d >= base)
            return false;
        if (x > (UINT64_MAX - (unsigned)d) / base)
            return false;
        x = x * base + (unsigned)d;
        any = true;
    }
    if (!any)
        return false;
    *v = x;
    return true;
}
