/* The Go lexer. It follows go/scanner's decisions one by one -- which
 * characters are read where, which errors are reported, where semicolons go
 * -- because the parser's accept/reject verdicts are checked against
 * go/parser on the whole Go tree. The code is organised for speed instead:
 * a pointer walks the NUL-terminated buffer, ASCII is classified by table and
 * only non-ASCII bytes are decoded. */
#include "go/lex.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "go/unicode.h"

enum {
    C_SPACE = 1,    /* ' ' '\t' '\r': skipped between tokens */
    C_IDSTART = 2,  /* ASCII letters and '_' */
    C_DIGIT = 4,    /* '0'..'9' */
    C_HEX = 8,      /* hexadecimal digits */
    C_PLAIN = 16,   /* ASCII other than NUL, '\n', '\r': needs no checks */
    C_ID = C_IDSTART | C_DIGIT,
};

static const unsigned char cls[256] = {
    0x00, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x11, 0x00, 0x10, 0x10, 0x01, 0x10, 0x10,
    0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
    0x11, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
    0x1c, 0x1c, 0x1c, 0x1c, 0x1c, 0x1c, 0x1c, 0x1c, 0x1c, 0x1c, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
    0x10, 0x1a, 0x1a, 0x1a, 0x1a, 0x1a, 0x1a, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12,
    0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x10, 0x10, 0x10, 0x10, 0x12,
    0x10, 0x1a, 0x1a, 0x1a, 0x1a, 0x1a, 0x1a, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12,
    0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x12, 0x10, 0x10, 0x10, 0x10, 0x10,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

#define BOM 0xFEFFu

static void lex_error(lh_lexer *lx, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Errors are reported at the current position or at an earlier offset of
 * the current token (its start, for an unterminated raw string). */
static void lex_error(lh_lexer *lx, const char *at, const char *fmt, ...)
{
    if (lx->errors++ >= lx->max_errors)
        return;
    const char *ls = lx->line_start;
    uint32_t line = lx->line;
    if (at < ls) {
        /* Inside a token that spans lines (a line directive's number in a
         * block comment): count from the token's start; errors are rare. */
        ls = lx->tok_line_start;
        line = lx->tok_line;
        for (const char *q = ls; q < at; q++) {
            if (*q == '\n' && q + 1 < lx->end) {
                line++;
                ls = q + 1;
            }
        }
    }
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lh_diag_add(lx->diags, (uint32_t)(at - lx->src), line, (uint32_t)(at - ls + 1), "%s", msg);
}

/* Approximates strconv.IsPrint: graphic ASCII, and non-ASCII minus the
 * controls and the common format and private-use characters. Only the
 * wording of error messages depends on it. */
static bool printable(uint32_t r)
{
    if (r < 0x80)
        return r >= 0x20 && r < 0x7F;
    return r >= 0xA0 && r != 0xAD && !(r >= 0x200B && r <= 0x200F) &&
           !(r >= 0x2028 && r <= 0x202E) && !(r >= 0x2060 && r <= 0x206F) &&
           !(r >= 0xE000 && r <= 0xF8FF) && r != BOM && !(r >= 0xFFF9 && r <= 0xFFFB) &&
           r < 0xF0000;
}

/* Go's %#U: U+0041 'A', the character left out when it is not printable. */
static const char *fmt_rune(char *buf, size_t n, uint32_t r)
{
    if (printable(r)) {
        char u[5];
        int w;
        if (r < 0x80) {
            u[0] = (char)r;
            w = 1;
        } else if (r < 0x800) {
            u[0] = (char)(0xC0 | r >> 6);
            u[1] = (char)(0x80 | (r & 0x3F));
            w = 2;
        } else if (r < 0x10000) {
            u[0] = (char)(0xE0 | r >> 12);
            u[1] = (char)(0x80 | ((r >> 6) & 0x3F));
            u[2] = (char)(0x80 | (r & 0x3F));
            w = 3;
        } else {
            u[0] = (char)(0xF0 | r >> 18);
            u[1] = (char)(0x80 | ((r >> 12) & 0x3F));
            u[2] = (char)(0x80 | ((r >> 6) & 0x3F));
            u[3] = (char)(0x80 | (r & 0x3F));
            w = 4;
        }
        u[w] = '\0';
        snprintf(buf, n, "U+%04X '%s'", (unsigned)r, u);
    } else {
        snprintf(buf, n, "U+%04X", (unsigned)r);
    }
    return buf;
}

static inline void newline(lh_lexer *lx, const char *nl)
{
    /* go/token ignores a line that would start at EOF, so positions after
     * a final newline stay on the last line (EOF of "x\n" is 1:3). */
    if (nl + 1 < lx->end) {
        lx->line++;
        lx->line_start = nl + 1;
    }
}

/* Decodes the non-ASCII character at p, reporting what go/scanner's next()
 * reports for it. */
static uint32_t read_rune(lh_lexer *lx, const char *p, int *w)
{
    uint32_t r = lh_utf8_decode((const unsigned char *)p, w);
    if (r == LH_RUNE_ERROR && *w == 1) {
        /* A file that starts with a UTF-16 byte order mark is UTF-16 text:
         * go/scanner says so once and skips all of it, rather than report
         * every other byte. The one character read then stands for the
         * whole file (and no newline in it is counted). */
        unsigned char c0 = (unsigned char)p[0], c1 = (unsigned char)p[1];
        if (p == lx->src && lx->end - p >= 2 &&
            ((c0 == 0xFF && c1 == 0xFE) || (c0 == 0xFE && c1 == 0xFF))) {
            lex_error(lx, p, "illegal UTF-8 encoding (got UTF-16)");
            *w = (int)(lx->end - p);
        } else {
            lex_error(lx, p, "illegal UTF-8 encoding");
        }
    } else if (r == BOM && p > lx->src)
        lex_error(lx, p, "illegal byte order mark");
    return r;
}

/* Steps over one character (p < end) that belongs to a literal or comment,
 * reporting NUL, invalid UTF-8 and BOM. Newlines are the caller's. */
static inline const char *step(lh_lexer *lx, const char *p)
{
    unsigned char c = (unsigned char)*p;
    if (c < 0x80) {
        if (c == 0)
            lex_error(lx, p, "illegal character NUL");
        return p + 1;
    }
    int w;
    read_rune(lx, p, &w);
    return p + w;
}

/* Comments are about a quarter of GOROOT's bytes; they are skimmed eight
 * bytes at a time while no byte needs a look (NUL, '\n', '\r', non-ASCII,
 * and for block comments '*'). */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

static inline uint64_t has_byte(uint64_t w, unsigned char b)
{
    uint64_t x = w ^ (ONES * b);
    return (x - ONES) & ~x & HIGHS;
}

static inline const char *skim(const char *p, const char *end, bool star)
{
    while (end - p >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        if ((w & HIGHS) || has_byte(w, 0) || has_byte(w, '\n') || has_byte(w, '\r') ||
            (star && has_byte(w, '*')))
            break;
        p += 8;
    }
    return p;
}

static inline bool at_eof(const lh_lexer *lx, const char *p)
{
    return *p == '\0' && p == lx->end;
}

static void add_comment(lh_lexer *lx, const char *start, const char *text, size_t len)
{
    if (lx->comments_len == lx->comments_cap) {
        uint32_t cap = lx->comments_cap ? lx->comments_cap * 2 : 16;
        lx->comments = lh_arena_realloc(lx->arena, lx->comments,
                                        lx->comments_cap * sizeof *lx->comments,
                                        cap * sizeof *lx->comments);
        lx->comments_cap = cap;
    }
    lx->comments[lx->comments_len++] = (lh_comment){
        .off = (uint32_t)(start - lx->src),
        .line = lx->tok_line,
        .col = (uint32_t)(start - lx->tok_line_start + 1),
        .len = (uint32_t)len,
        .text = text,
    };
}

/* go/scanner's stripCR: drops every '\r', except that in a block comment a
 * '\r' between '*' and the closing '/' stays, so that removing it cannot
 * make "*\r/" close the comment early. */
static const char *strip_cr(lh_lexer *lx, const char *s, size_t n, bool comment, size_t *out_n)
{
    char *c = lh_arena_alloc_raw(lx->arena, n + 1);
    size_t i = 0;
    for (size_t j = 0; j < n; j++) {
        char ch = s[j];
        if (ch != '\r' || (comment && i > 2 && c[i - 1] == '*' && j + 1 < n && s[j + 1] == '/'))
            c[i++] = ch;
    }
    c[i] = '\0';
    *out_n = i;
    return c;
}

/* ---- comments ------------------------------------------------------------ */

/* The number after the last ':' of text[0..n): *i is its index (0 when
 * there is no ':'), *ok whether it is a decimal that fits in 64 bits, as
 * strconv.ParseUint(s, 10, 0) decides. */
static void trailing_digits(const char *text, size_t n, size_t *i, uint64_t *v, bool *ok)
{
    size_t c = n;
    while (c > 0 && text[c - 1] != ':')
        c--;
    *i = c;
    *v = 0;
    *ok = false;
    if (c == 0 || c == n)
        return;
    for (size_t k = c; k < n; k++) {
        unsigned d = (unsigned char)text[k] - '0';
        if (d > 9 || *v > (UINT64_MAX - d) / 10)
            return;
        *v = *v * 10 + d;
    }
    *ok = true;
}

/* How much of a bad line directive number an error message quotes: up to
 * 64 bytes, and not past a NUL (go/scanner quotes the whole rest). */
static int quoted_len(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && k < 64 && s[k])
        k++;
    return (int)k;
}

/* go/scanner reads //line and block line directives and reports malformed
 * line and column numbers as errors, so the verdict depends on them.
 * Positions are not remapped: leakhound reports raw positions, as the AST
 * dump does. lit is the comment as go/scanner sees it at that point (a
 * CRLF's '\r' dropped from a line comment, other '\r's still there). */
static void check_line_directive(lh_lexer *lx, const char *lit, size_t n, bool block)
{
    /* Go converts to int: 64-bit values above INT64_MAX come out negative
     * and pass the range check. */
    const int64_t max_line_col = (int64_t)1 << 30;
    const char *text = lit + 7;     /* after "//line " or the block form */
    size_t tn = n - 7 - (block ? 2 : 0);
    size_t i, i2;
    uint64_t v, v2;
    bool ok, ok2;
    trailing_digits(text, tn, &i, &v, &ok);
    if (i == 0)
        return;     /* no ':': not a directive */
    if (!ok) {
        lex_error(lx, text + i, "invalid line number: %.*s", quoted_len(text + i, tn - i), text + i);
        return;
    }
    int64_t line, col;
    trailing_digits(text, i - 1, &i2, &v2, &ok2);
    size_t line_end = tn;
    if (ok2) {
        /* file:line:col */
        size_t t = i;
        i = i2;
        i2 = t;
        line = (int64_t)v2;
        col = (int64_t)v;
        if (col == 0 || col > max_line_col) {
            lex_error(lx, text + i2, "invalid column number: %.*s", quoted_len(text + i2, tn - i2),
                      text + i2);
            return;
        }
        line_end = i2 - 1;
    } else {
        line = (int64_t)v;
    }
    if (line == 0 || line > max_line_col)
        lex_error(lx, text + i, "invalid line number: %.*s", quoted_len(text + i, line_end - i),
                  text + i);
}

/* Scans the comment at p ("//" or a block comment) and records it. *nl is
 * the first newline inside a block comment, NULL when there is none (a line
 * comment's newline is not part of it). */
static const char *scan_comment(lh_lexer *lx, const char *p, const char **nl)
{
    *nl = NULL;
    const char *start = p;
    size_t ncr = 0;
    bool line_comment = p[1] == '/';
    bool closed = line_comment;
    p += 2;
    if (line_comment) {
        for (;;) {
            p = skim(p, lx->end, false);
            while (cls[(unsigned char)*p] & C_PLAIN)
                p++;
            unsigned char c = (unsigned char)*p;
            if (c == '\n' || at_eof(lx, p))
                break;
            if (c == '\r')
                ncr++;
            p = step(lx, p);
        }
    } else {
        for (;;) {
            p = skim(p, lx->end, true);
            unsigned char c = (unsigned char)*p;
            if ((cls[c] & C_PLAIN) && c != '*') {
                p++;
                continue;
            }
            if (at_eof(lx, p))
                break;
            if (c == '\r') {
                ncr++;
            } else if (c == '\n') {
                if (!*nl)
                    *nl = p;
                newline(lx, p);
            }
            p = step(lx, p);
            if (c == '*' && *p == '/') {
                p++;
                closed = true;
                break;
            }
        }
        if (!closed)
            lex_error(lx, start, "comment not terminated");
    }
    const char *text = start;
    size_t len = (size_t)(p - start);
    /* A CRLF line ending is not part of a line comment. */
    if (ncr > 0 && line_comment && text[len - 1] == '\r') {
        len--;
        ncr--;
    }
    /* A line directive: "//line " at the start of a line, or the block form
     * anywhere, in a comment that is closed. */
    if (closed && len >= 7 && memcmp(text + 2, "line ", 5) == 0 &&
        (!line_comment || start == lx->line_start))
        check_line_directive(lx, text, len, !line_comment);
    if (ncr > 0)
        text = strip_cr(lx, text, len, !line_comment, &len);
    add_comment(lx, start, text, len);
    return p;
}

/* ---- identifiers and numbers ---------------------------------------------- */

static const char *scan_ident(const char *p)
{
    for (;;) {
        while (cls[(unsigned char)*p] & C_ID)
            p++;
        if ((unsigned char)*p < 0x80)
            return p;
        /* Only letters and digits are consumed here, and those decode
         * without error; anything else is left for the next token, which
         * reports it. */
        int w;
        uint32_t r = lh_utf8_decode((const unsigned char *)p, &w);
        if (!lh_unicode_is_letter(r) && !lh_unicode_is_digit(r))
            return p;
        p += w;
    }
}

static const char *litname(char prefix)
{
    switch (prefix) {
    case 'x':
        return "hexadecimal literal";
    case 'o':
    case '0':
        return "octal literal";
    case 'b':
        return "binary literal";
    }
    return "decimal literal";
}

static inline int lower(int c)
{
    return c | 0x20;
}

/* Digits of the given base and '_' separators. Returns bit 0 set if a digit
 * was seen, bit 1 if a '_'. In bases up to 10 every decimal digit is taken
 * and the first one too big for the base is remembered in *invalid. */
static const char *digits(const char *p, int base, const char **invalid, int *digsep)
{
    if (base <= 10) {
        int max = '0' + base;
        for (;; p++) {
            int c = (unsigned char)*p;
            if (cls[c] & C_DIGIT) {
                if (c >= max && invalid && !*invalid)
                    *invalid = p;
                *digsep |= 1;
            } else if (c == '_') {
                *digsep |= 2;
            } else {
                return p;
            }
        }
    }
    for (;; p++) {
        int c = (unsigned char)*p;
        if (cls[c] & C_HEX)
            *digsep |= 1;
        else if (c == '_')
            *digsep |= 2;
        else
            return p;
    }
}

/* Index of the first '_' in x that does not separate two digits (a base
 * prefix counts as a digit), or -1. */
static long invalid_sep(const char *x, size_t n)
{
    int x1 = ' ';   /* prefix letter; only 'x' matters */
    int d = '.';    /* previous: '_', '0' for any digit, '.' for the rest */
    size_t i = 0;
    if (n >= 2 && x[0] == '0') {
        x1 = lower((unsigned char)x[1]);
        if (x1 == 'x' || x1 == 'o' || x1 == 'b') {
            d = '0';
            i = 2;
        }
    }
    for (; i < n; i++) {
        int p = d;
        d = (unsigned char)x[i];
        if (d == '_') {
            if (p != '0')
                return (long)i;
        } else if ((cls[d] & C_DIGIT) || (x1 == 'x' && (cls[d] & C_HEX))) {
            d = '0';
        } else {
            if (p == '_')
                return (long)i - 1;
            d = '.';
        }
    }
    if (d == '_')
        return (long)n - 1;
    return -1;
}

static const char *scan_number(lh_lexer *lx, const char *p, lh_tok_kind *kind)
{
    const char *start = p;
    lh_tok_kind k = LH_TOK_ILLEGAL;
    int base = 10;
    char prefix = 0;    /* 0 decimal, '0' legacy octal, 'x', 'o', 'b' */
    int digsep = 0;
    const char *invalid = NULL;

    if (*p != '.') {
        k = LH_TOK_INT;
        if (*p == '0') {
            p++;
            switch (lower((unsigned char)*p)) {
            case 'x':
                p++;
                base = 16, prefix = 'x';
                break;
            case 'o':
                p++;
                base = 8, prefix = 'o';
                break;
            case 'b':
                p++;
                base = 2, prefix = 'b';
                break;
            default:
                base = 8, prefix = '0';
                digsep = 1;     /* the 0 itself */
            }
        }
        p = digits(p, base, &invalid, &digsep);
    }
    if (*p == '.') {
        k = LH_TOK_FLOAT;
        if (prefix == 'o' || prefix == 'b')
            lex_error(lx, p, "invalid radix point in %s", litname(prefix));
        p++;
        p = digits(p, base, &invalid, &digsep);
    }
    if (!(digsep & 1))
        lex_error(lx, p, "%s has no digits", litname(prefix));

    int e = lower((unsigned char)*p);
    if (e == 'e' || e == 'p') {
        if (e == 'e' && prefix != 0 && prefix != '0')
            lex_error(lx, p, "'%c' exponent requires decimal mantissa", *p);
        else if (e == 'p' && prefix != 'x')
            lex_error(lx, p, "'%c' exponent requires hexadecimal mantissa", *p);
        p++;
        k = LH_TOK_FLOAT;
        if (*p == '+' || *p == '-')
            p++;
        int ds = 0;
        p = digits(p, 10, NULL, &ds);
        digsep |= ds;
        if (!(ds & 1))
            lex_error(lx, p, "exponent has no digits");
    } else if (prefix == 'x' && k == LH_TOK_FLOAT) {
        lex_error(lx, p, "hexadecimal mantissa requires a 'p' exponent");
    }
    if (*p == 'i') {
        k = LH_TOK_IMAG;
        p++;
    }
    if (k == LH_TOK_INT && invalid)
        lex_error(lx, invalid, "invalid digit '%c' in %s", *invalid, litname(prefix));
    if (digsep & 2) {
        long i = invalid_sep(start, (size_t)(p - start));
        if (i >= 0)
            lex_error(lx, start + i, "'_' must separate successive digits");
    }
    *kind = k;
    return p;
}

/* ---- strings and runes ------------------------------------------------------ */

static int digit_val(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (lower(c) >= 'a' && lower(c) <= 'f')
        return lower(c) - 'a' + 10;
    return 16;
}

/* The escape after a backslash at p. A bad character is reported but not
 * consumed: the enclosing literal steps over it (and reports NUL or bad
 * UTF-8 there), as go/scanner does. */
static const char *scan_escape(lh_lexer *lx, const char *p, char quote, bool *ok)
{
    const char *offs = p;
    int n;
    uint32_t base, max;
    switch (*p) {
    case 'a': case 'b': case 'f': case 'n': case 'r': case 't': case 'v': case '\\':
        *ok = true;
        return p + 1;
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
        n = 3, base = 8, max = 255;
        break;
    case 'x':
        p++;
        n = 2, base = 16, max = 255;
        break;
    case 'u':
        p++;
        n = 4, base = 16, max = 0x10FFFF;
        break;
    case 'U':
        p++;
        n = 8, base = 16, max = 0x10FFFF;
        break;
    default:
        if (*p == quote) {
            *ok = true;
            return p + 1;
        }
        lex_error(lx, offs, at_eof(lx, p) ? "escape sequence not terminated"
                                          : "unknown escape sequence");
        *ok = false;
        return p;
    }
    uint32_t x = 0;
    for (; n > 0; n--, p++) {
        uint32_t d = (uint32_t)digit_val((unsigned char)*p);
        if (d >= base) {
            if (at_eof(lx, p)) {
                lex_error(lx, p, "escape sequence not terminated");
            } else {
                int w;
                char buf[32];
                uint32_t r = (unsigned char)*p;
                if (r >= 0x80)
                    r = lh_utf8_decode((const unsigned char *)p, &w);
                lex_error(lx, p, "illegal character %s in escape sequence",
                          fmt_rune(buf, sizeof buf, r));
            }
            *ok = false;
            return p;
        }
        x = x * base + d;
    }
    if (x > max || (x >= 0xD800 && x < 0xE000)) {
        lex_error(lx, offs, "escape sequence is invalid Unicode code point");
        *ok = false;
        return p;
    }
    *ok = true;
    return p;
}

static const char *scan_string(lh_lexer *lx, const char *p)
{
    const char *start = p++;
    for (;;) {
        unsigned char c = (unsigned char)*p;
        if (c == '"')
            return p + 1;
        if (c == '\\') {
            bool ok;
            p = scan_escape(lx, p + 1, '"', &ok);
        } else if (c == '\n' || at_eof(lx, p)) {
            lex_error(lx, start, "string literal not terminated");
            return p;
        } else if (cls[c] & C_PLAIN) {
            p++;
        } else {
            p = step(lx, p);
        }
    }
}

static const char *scan_rune(lh_lexer *lx, const char *p)
{
    const char *start = p++;
    bool valid = true;
    int n = 0;
    for (;;) {
        unsigned char c = (unsigned char)*p;
        if (c == '\n' || at_eof(lx, p)) {
            if (valid) {
                lex_error(lx, start, "rune literal not terminated");
                valid = false;
            }
            break;
        }
        p = step(lx, p);
        if (c == '\'')
            break;
        n++;
        if (c == '\\') {
            bool ok;
            p = scan_escape(lx, p, '\'', &ok);
            if (!ok)
                valid = false;
        }
    }
    if (valid && n != 1)
        lex_error(lx, start, "illegal rune literal");
    return p;
}

static const char *scan_raw_string(lh_lexer *lx, const char *p, bool *has_cr)
{
    const char *start = p++;
    for (;;) {
        unsigned char c = (unsigned char)*p;
        if (c == '`')
            return p + 1;
        if ((cls[c] & C_PLAIN)) {
            p++;
            continue;
        }
        if (at_eof(lx, p)) {
            lex_error(lx, start, "raw string literal not terminated");
            return p;
        }
        if (c == '\r')
            *has_cr = true;
        else if (c == '\n')
            newline(lx, p);
        p = step(lx, p);
    }
}

/* ---- tokens ------------------------------------------------------------------ */

void lh_lex_init(lh_lexer *lx, const char *src, size_t len, lh_arena *arena,
                 lh_diag_list *diags)
{
    memset(lx, 0, sizeof *lx);
    lx->src = lx->p = src;
    lx->end = src + len;
    lx->line_start = lx->tok_line_start = src;
    lx->line = lx->tok_line = 1;
    lx->arena = arena;
    lx->diags = diags;
    lx->max_errors = LH_LEX_MAX_ERRORS;
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0)
        lx->p += 3;
}

/* The operator at p, or its op= form when '=' follows. */
#define OP2(plain, assign)                    \
    do {                                      \
        if (p[1] == '=')                      \
            k = assign, p += 2;               \
        else                                  \
            k = plain, p += 1;                \
    } while (0)

void lh_lex_next(lh_lexer *lx, lh_token *t)
{
    const char *p = lx->p;
    lh_tok_kind k;
    bool semi = false;

again:
    for (;;) {
        unsigned char c = (unsigned char)*p;
        if (cls[c] & C_SPACE) {
            p++;
        } else if (c == '\n' && !lx->insert_semi) {
            newline(lx, p);
            p++;
        } else {
            break;
        }
    }

    const char *start = p;
    lx->tok_line = lx->line;
    lx->tok_line_start = lx->line_start;
    t->off = (uint32_t)(p - lx->src);
    t->line = lx->line;
    t->col = (uint32_t)(p - lx->line_start + 1);
    t->auto_semi = false;

    unsigned char c = (unsigned char)*p;
    switch (c) {
    case '\0':
        if (p == lx->end) {
            if (lx->insert_semi)
                goto auto_semi;
            k = LH_TOK_EOF;
            break;
        }
        lex_error(lx, p, "illegal character NUL");
        lex_error(lx, p, "illegal character U+0000");
        p++;
        k = LH_TOK_ILLEGAL;
        semi = lx->insert_semi;
        break;
    case '\n':
        /* Only reached when a semicolon is owed. */
        newline(lx, p);
        p++;
        goto auto_semi;
    case 'a': case 'b': case 'c': case 'd': case 'e': case 'f': case 'g':
    case 'h': case 'i': case 'j': case 'k': case 'l': case 'm': case 'n':
    case 'o': case 'p': case 'q': case 'r': case 's': case 't': case 'u':
    case 'v': case 'w': case 'x': case 'y': case 'z':
    case 'A': case 'B': case 'C': case 'D': case 'E': case 'F': case 'G':
    case 'H': case 'I': case 'J': case 'K': case 'L': case 'M': case 'N':
    case 'O': case 'P': case 'Q': case 'R': case 'S': case 'T': case 'U':
    case 'V': case 'W': case 'X': case 'Y': case 'Z': case '_':
    ident:
        p = scan_ident(p);
        k = LH_TOK_IDENT;
        if (p - start > 1 && (unsigned char)(*start - 'a') <= 'v' - 'a')
            k = lh_tok_lookup(start, (size_t)(p - start));
        semi = k == LH_TOK_IDENT || k == LH_TOK_BREAK || k == LH_TOK_CONTINUE ||
               k == LH_TOK_FALLTHROUGH || k == LH_TOK_RETURN;
        break;
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
    number:
        p = scan_number(lx, p, &k);
        semi = true;
        break;
    case '.':
        if (cls[(unsigned char)p[1]] & C_DIGIT)
            goto number;
        if (p[1] == '.' && p[2] == '.') {
            k = LH_TOK_ELLIPSIS;
            p += 3;
        } else {
            k = LH_TOK_PERIOD;
            p++;
        }
        break;
    case '"':
        p = scan_string(lx, p);
        k = LH_TOK_STRING;
        semi = true;
        break;
    case '\'':
        p = scan_rune(lx, p);
        k = LH_TOK_CHAR;
        semi = true;
        break;
    case '`': {
        bool has_cr = false;
        p = scan_raw_string(lx, p, &has_cr);
        k = LH_TOK_STRING;
        semi = true;
        if (has_cr) {
            size_t n;
            t->lit = strip_cr(lx, start, (size_t)(p - start), false, &n);
            t->len = (uint32_t)n;
            t->end = (uint32_t)(p - lx->src);
            t->kind = (uint8_t)k;
            lx->insert_semi = semi;
            lx->p = p;
            return;
        }
        break;
    }
    case ':':
        if (p[1] == '=')
            k = LH_TOK_DEFINE, p += 2;
        else
            k = LH_TOK_COLON, p++;
        break;
    case ',':
        k = LH_TOK_COMMA, p++;
        break;
    case ';':
        k = LH_TOK_SEMICOLON, p++;
        break;
    case '(':
        k = LH_TOK_LPAREN, p++;
        break;
    case ')':
        k = LH_TOK_RPAREN, p++, semi = true;
        break;
    case '[':
        k = LH_TOK_LBRACK, p++;
        break;
    case ']':
        k = LH_TOK_RBRACK, p++, semi = true;
        break;
    case '{':
        k = LH_TOK_LBRACE, p++;
        break;
    case '}':
        k = LH_TOK_RBRACE, p++, semi = true;
        break;
    case '~':
        k = LH_TOK_TILDE, p++;
        break;
    case '+':
        if (p[1] == '+')
            k = LH_TOK_INC, p += 2, semi = true;
        else
            OP2(LH_TOK_ADD, LH_TOK_ADD_ASSIGN);
        break;
    case '-':
        if (p[1] == '-')
            k = LH_TOK_DEC, p += 2, semi = true;
        else
            OP2(LH_TOK_SUB, LH_TOK_SUB_ASSIGN);
        break;
    case '*':
        OP2(LH_TOK_MUL, LH_TOK_MUL_ASSIGN);
        break;
    case '/':
        if (p[1] == '/' || p[1] == '*') {
            /* A comment keeps the semicolon owed to the previous token: it
             * goes at the newline after the comment (or at EOF), after the
             * comment in token order -- or, for a block comment spanning
             * lines, at its first newline, which is on the line it starts. */
            const char *nl;
            p = scan_comment(lx, p, &nl);
            if (lx->insert_semi && nl) {
                t->off = (uint32_t)(nl - lx->src);
                t->col = (uint32_t)(nl - lx->tok_line_start + 1);
                goto auto_semi;
            }
            goto again;
        }
        OP2(LH_TOK_QUO, LH_TOK_QUO_ASSIGN);
        break;
    case '%':
        OP2(LH_TOK_REM, LH_TOK_REM_ASSIGN);
        break;
    case '^':
        OP2(LH_TOK_XOR, LH_TOK_XOR_ASSIGN);
        break;
    case '=':
        OP2(LH_TOK_ASSIGN, LH_TOK_EQL);
        break;
    case '!':
        OP2(LH_TOK_NOT, LH_TOK_NEQ);
        break;
    case '<':
        if (p[1] == '-')
            k = LH_TOK_ARROW, p += 2;
        else if (p[1] == '<') {
            p++;
            OP2(LH_TOK_SHL, LH_TOK_SHL_ASSIGN);
        }
        else
            OP2(LH_TOK_LSS, LH_TOK_LEQ);
        break;
    case '>':
        if (p[1] == '>') {
            p++;
            OP2(LH_TOK_SHR, LH_TOK_SHR_ASSIGN);
        } else
            OP2(LH_TOK_GTR, LH_TOK_GEQ);
        break;
    case '&':
        if (p[1] == '^') {
            p++;
            OP2(LH_TOK_AND_NOT, LH_TOK_AND_NOT_ASSIGN);
        } else if (p[1] == '&')
            k = LH_TOK_LAND, p += 2;
        else
            OP2(LH_TOK_AND, LH_TOK_AND_ASSIGN);
        break;
    case '|':
        if (p[1] == '|')
            k = LH_TOK_LOR, p += 2;
        else
            OP2(LH_TOK_OR, LH_TOK_OR_ASSIGN);
        break;
    default: {
        char buf[32];
        int w = 1;
        if (c >= 0x80) {
            uint32_t r = read_rune(lx, p, &w);
            if (lh_unicode_is_letter(r))
                goto ident;
            /* read_rune reported a misplaced BOM already. Curly quotes
             * come from pasted text: go/scanner names the fix. */
            if (r == 0x201C || r == 0x201D)
                lex_error(lx, p, "curly quotation mark '%s' (use neutral '\"')",
                          r == 0x201C ? "\xe2\x80\x9c" : "\xe2\x80\x9d");
            else if (r != BOM)
                lex_error(lx, p, "illegal character %s", fmt_rune(buf, sizeof buf, r));
        } else {
            lex_error(lx, p, "illegal character %s", fmt_rune(buf, sizeof buf, c));
        }
        p += w;
        k = LH_TOK_ILLEGAL;
        semi = lx->insert_semi;
        break;
    }
    }

    t->kind = (uint8_t)k;
    t->lit = start;
    t->len = (uint32_t)(p - start);
    t->end = (uint32_t)(p - lx->src);
    lx->insert_semi = semi;
    lx->p = p;
    return;

auto_semi:
    /* At a newline, at EOF, or at a block comment's first newline:
     * go/scanner's "\n". */
    t->kind = LH_TOK_SEMICOLON;
    t->auto_semi = true;
    t->lit = "\n";
    t->len = 1;
    t->end = t->off;
    lx->insert_semi = false;
    lx->p = p;
}
