/* Lexer tests. Expected token streams, texts, positions and errors are
 * written out by hand and were checked against go/scanner (Go 1.19). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "go/diag.h"
#include "go/lex.h"
#include "go/token.h"
#include "go/unicode.h"
#include "util/buf.h"

/* Lexes src[0..len) from an exactly sized copy, so that a read past the
 * sentinel is a heap overflow under the sanitizers. Renders tokens as
 * "kind" or "KIND(lit)", automatic semicolons as "NL", with "@line:col"
 * when positions is set; errors, sorted, as "line:col: msg|...". */
typedef struct lexed {
    lh_buf toks, errs;
    lh_arena arena;
    lh_diag_list diags;
    lh_lexer lx;
    char *copy;
} lexed;

static void lex_all(lexed *r, const char *src, size_t len, bool positions)
{
    memset(r, 0, sizeof *r);
    r->copy = malloc(len + 1);
    memcpy(r->copy, src, len);
    r->copy[len] = '\0';
    lh_arena_init(&r->arena);
    lh_diag_init(&r->diags, &r->arena);
    lh_lex_init(&r->lx, r->copy, len, &r->arena, &r->diags);
    for (size_t n = 0;; n++) {
        assert_true(n <= 2 * len + 2);     /* always makes progress */
        lh_token t;
        lh_lex_next(&r->lx, &t);
        if (r->toks.len)
            lh_buf_putc(&r->toks, ' ');
        if (t.kind == LH_TOK_SEMICOLON && t.auto_semi)
            assert_int_equal(t.end, t.off);
        else if (t.kind != LH_TOK_STRING || t.lit[0] != '`')
            assert_int_equal(t.end, t.off + t.len);
        else
            assert_true(t.end >= t.off + t.len);  /* CRs removed from lit */
        if (t.kind == LH_TOK_SEMICOLON && t.auto_semi) {
            assert_int_equal(t.len, 1);
            assert_memory_equal(t.lit, "\n", 1);
            lh_buf_puts(&r->toks, "NL");
        } else if (lh_tok_is_literal(t.kind)) {
            lh_buf_printf(&r->toks, "%s(%.*s)", lh_tok_string(t.kind), (int)t.len, t.lit);
        } else {
            lh_buf_puts(&r->toks, lh_tok_string(t.kind));
        }
        if (positions)
            lh_buf_printf(&r->toks, "@%u:%u", t.line, t.col);
        if (t.kind == LH_TOK_EOF)
            break;
    }
    lh_diag_sort(&r->diags);
    for (size_t i = 0; i < r->diags.len; i++)
        lh_buf_printf(&r->errs, "%s%u:%u: %s", i ? "|" : "", r->diags.items[i].line,
                      r->diags.items[i].col, r->diags.items[i].msg);
    lh_buf_putc(&r->errs, '\0');
    r->errs.len--;
    lh_buf_putc(&r->toks, '\0');
    r->toks.len--;
}

static void lexed_free(lexed *r)
{
    lh_buf_free(&r->toks);
    lh_buf_free(&r->errs);
    lh_arena_free(&r->arena);
    free(r->copy);
}

typedef struct lex_case {
    const char *src;
    size_t len;
    const char *toks;   /* NULL: not checked */
    const char *errs;   /* "" for none */
} lex_case;

#define CASE(s, t, e) {s, sizeof(s) - 1, t, e}

static void run_cases(const lex_case *cs, size_t n, bool positions)
{
    for (size_t i = 0; i < n; i++) {
        lexed r;
        lex_all(&r, cs[i].src, cs[i].len, positions);
        if ((cs[i].toks && strcmp(r.toks.data, cs[i].toks) != 0) ||
            strcmp(r.errs.data, cs[i].errs) != 0) {
            print_error("case %zu: %.*s\n  tokens: %s\n  want:   %s\n  errors: %s\n  want:   %s\n",
                        i, (int)cs[i].len, cs[i].src, r.toks.data,
                        cs[i].toks ? cs[i].toks : "(any)", r.errs.data, cs[i].errs);
            lexed_free(&r);
            fail();
        }
        lexed_free(&r);
    }
}

#define RUN(cs, pos) run_cases(cs, sizeof cs / sizeof cs[0], pos)

static void test_operators_and_keywords(void **state)
{
    (void)state;
    static const lex_case cs[] = {
        CASE("+ += ++ - -= -- * *= / /= % %= & &= && &^ &^= | |= || ^ ^=",
             "+ += ++ - -= -- * *= / /= % %= & &= && &^ &^= | |= || ^ ^= EOF", ""),
        CASE("<< <<= >> >>= < <= > >= = == ! != := : ... . , ; ( ) [ ] { } ~ <-",
             "<< <<= >> >>= < <= > >= = == ! != := : ... . , ; ( ) [ ] { } ~ <- EOF", ""),
        CASE("a.b..c", "IDENT(a) . IDENT(b) . . IDENT(c) NL EOF", ""),
        CASE("x<-y<<-z&^^w", "IDENT(x) <- IDENT(y) << - IDENT(z) &^ ^ IDENT(w) NL EOF", ""),
        CASE("break case chan const continue default defer else fallthrough for func go goto if",
             "break case chan const continue default defer else fallthrough for func go goto if EOF",
             ""),
        CASE("import interface map package range return select struct switch type var",
             "import interface map package range return select struct switch type var EOF", ""),
        CASE("breaks Case go_ typeof i v _ __ x1", "IDENT(breaks) IDENT(Case) IDENT(go_) "
             "IDENT(typeof) IDENT(i) IDENT(v) IDENT(_) IDENT(__) IDENT(x1) NL EOF", ""),
    };
    RUN(cs, false);
}

static void test_semicolons(void **state)
{
    (void)state;
    static const lex_case cs[] = {
        CASE("package p\n", "package IDENT(p) NL EOF", ""),
        CASE("x\n", "IDENT(x) NL EOF", ""),
        CASE("x", "IDENT(x) NL EOF", ""),
        CASE("return\nbreak\ncontinue\nfallthrough\n", "return NL break NL continue NL fallthrough NL EOF", ""),
        CASE("x++\nx--\n)\n]\n}\n", "IDENT(x) ++ NL IDENT(x) -- NL ) NL ] NL } NL EOF", ""),
        CASE("1\n1.5\n1i\n'a'\n\"s\"\n`r`\n",
             "INT(1) NL FLOAT(1.5) NL IMAG(1i) NL CHAR('a') NL STRING(\"s\") NL STRING(`r`) NL EOF", ""),
        CASE("+\nif\n(\n[\n{\n,\n.\n=\n", "+ if ( [ { , . = EOF", ""),
        CASE("func\ngo\ndefer\nvar\ntype\n", "func go defer var type EOF", ""),
        CASE("x;y", "IDENT(x) ; IDENT(y) NL EOF", ""),
        CASE("x\r\n\n\n", "IDENT(x) NL EOF", ""),
        /* A comment that reaches the end of the line takes the semicolon's
         * place in front of it; a block comment spanning lines does too. */
        CASE("x // c\ny", "IDENT(x) NL IDENT(y) NL EOF", ""),
        CASE("x /* a\nb */ y", "IDENT(x) NL IDENT(y) NL EOF", ""),
        CASE("x /* a */ y", "IDENT(x) IDENT(y) NL EOF", ""),
        CASE("x /* a */\ny", "IDENT(x) NL IDENT(y) NL EOF", ""),
        CASE("x /* a */ /* b\n */ y", "IDENT(x) NL IDENT(y) NL EOF", ""),
        CASE("x /* a */ /* b */ y", "IDENT(x) IDENT(y) NL EOF", ""),
        CASE("x /* a */", "IDENT(x) NL EOF", ""),
        CASE("x /* a */ /", "IDENT(x) / EOF", ""),
        CASE("x //", "IDENT(x) NL EOF", ""),
        CASE("+ /* a\nb */ y", "+ IDENT(y) NL EOF", ""),
        CASE("x /* a", "IDENT(x) NL EOF", "1:3: comment not terminated"),
        /* An illegal character keeps the semicolon owed before it. */
        CASE("x @\n", "IDENT(x) ILLEGAL NL EOF", "1:3: illegal character U+0040 '@'"),
        CASE("+ @\n", "+ ILLEGAL EOF", "1:3: illegal character U+0040 '@'"),
    };
    RUN(cs, false);
}

static void test_numbers(void **state)
{
    (void)state;
    static const lex_case cs[] = {
        CASE("0 123 0x1F 0X_1f 0o17 0O17 0b101 0B1 017 1_000 0_17 0x_1",
             "INT(0) INT(123) INT(0x1F) INT(0X_1f) INT(0o17) INT(0O17) INT(0b101) INT(0B1) "
             "INT(017) INT(1_000) INT(0_17) INT(0x_1) NL EOF", ""),
        CASE(".5 1. 1.5e10 1E+5 2e-3 0x1p-2 0x1.8p3 0X.8P0 0x1e2 1_0.2_5",
             "FLOAT(.5) FLOAT(1.) FLOAT(1.5e10) FLOAT(1E+5) FLOAT(2e-3) FLOAT(0x1p-2) "
             "FLOAT(0x1.8p3) FLOAT(0X.8P0) INT(0x1e2) FLOAT(1_0.2_5) NL EOF", ""),
        CASE("1i 0i 09i 0x1p1i 1e3i 0b1i 0o7i .5i", "IMAG(1i) IMAG(0i) IMAG(09i) IMAG(0x1p1i) "
             "IMAG(1e3i) IMAG(0b1i) IMAG(0o7i) IMAG(.5i) NL EOF", ""),
        CASE("09.5 09e1 08.", "FLOAT(09.5) FLOAT(09e1) FLOAT(08.) NL EOF", ""),
        CASE("1.e", "FLOAT(1.e) NL EOF", "1:4: exponent has no digits"),
        CASE("0x", "INT(0x) NL EOF", "1:3: hexadecimal literal has no digits"),
        CASE("0b", "INT(0b) NL EOF", "1:3: binary literal has no digits"),
        CASE("0o;", "INT(0o) ; EOF", "1:3: octal literal has no digits"),
        CASE("09", "INT(09) NL EOF", "1:2: invalid digit '9' in octal literal"),
        CASE("0b102", "INT(0b102) NL EOF", "1:5: invalid digit '2' in binary literal"),
        CASE("0o8", "INT(0o8) NL EOF", "1:3: invalid digit '8' in octal literal"),
        CASE("1__0", "INT(1__0) NL EOF", "1:3: '_' must separate successive digits"),
        CASE("1_", "INT(1_) NL EOF", "1:2: '_' must separate successive digits"),
        CASE("0_x", "INT(0_) IDENT(x) NL EOF", "1:2: '_' must separate successive digits"),
        CASE("0x__1", "INT(0x__1) NL EOF", "1:4: '_' must separate successive digits"),
        CASE("1_.5", "FLOAT(1_.5) NL EOF", "1:2: '_' must separate successive digits"),
        CASE("0b1.0", "FLOAT(0b1.0) NL EOF", "1:4: invalid radix point in binary literal"),
        CASE("0o1.0", "FLOAT(0o1.0) NL EOF", "1:4: invalid radix point in octal literal"),
        CASE("0x1.0", "FLOAT(0x1.0) NL EOF", "1:6: hexadecimal mantissa requires a 'p' exponent"),
        CASE("0x.p1", "FLOAT(0x.p1) NL EOF", "1:4: hexadecimal literal has no digits"),
        CASE("1p2", "FLOAT(1p2) NL EOF", "1:2: 'p' exponent requires hexadecimal mantissa"),
        CASE("0o1e2", "FLOAT(0o1e2) NL EOF", "1:4: 'e' exponent requires decimal mantissa"),
        CASE("0b1E2", "FLOAT(0b1E2) NL EOF", "1:4: 'E' exponent requires decimal mantissa"),
        CASE("1e+", "FLOAT(1e+) NL EOF", "1:4: exponent has no digits"),
        CASE("0x1p", "FLOAT(0x1p) NL EOF", "1:5: exponent has no digits"),
        CASE("1.5.5", "FLOAT(1.5) FLOAT(.5) NL EOF", ""),
        CASE("1..2", "FLOAT(1.) FLOAT(.2) NL EOF", ""),
        CASE("x.0", "IDENT(x) FLOAT(.0) NL EOF", ""),
    };
    RUN(cs, false);
}

static void test_strings_and_runes(void **state)
{
    (void)state;
    static const lex_case cs[] = {
        CASE("\"\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\"", "STRING(\"\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\") NL EOF", ""),
        CASE("\"\\000\\377\\x00\\xfF\\u0000\\uFFFF\\U0010FFFF\\ud7ff\"", NULL, ""),
        CASE("'a' '\\'' '\\x41' '\\377' '\\u00e9' '\\U0001F600' '\xc3\xa9' '\\n'",
             "CHAR('a') CHAR('\\'') CHAR('\\x41') CHAR('\\377') CHAR('\\u00e9') "
             "CHAR('\\U0001F600') CHAR('\xc3\xa9') CHAR('\\n') NL EOF", ""),
        CASE("\"\" ``", "STRING(\"\") STRING(``) NL EOF", ""),
        CASE("`a\\q\n\"b`", "STRING(`a\\q\n\"b`) NL EOF", ""),
        CASE("\"abc", "STRING(\"abc) NL EOF", "1:1: string literal not terminated"),
        CASE("\"abc\nx", "STRING(\"abc) NL IDENT(x) NL EOF", "1:1: string literal not terminated"),
        CASE("'a", "CHAR('a) NL EOF", "1:1: rune literal not terminated"),
        CASE("'ab'", "CHAR('ab') NL EOF", "1:1: illegal rune literal"),
        CASE("''", "CHAR('') NL EOF", "1:1: illegal rune literal"),
        CASE("'\n'", NULL, "1:1: rune literal not terminated|2:1: rune literal not terminated"),
        CASE("x `abc\n", "IDENT(x) STRING(`abc\n) NL EOF", "1:3: raw string literal not terminated"),
        CASE("\"\\q\"", NULL, "1:3: unknown escape sequence"),
        CASE("'\\\"'", NULL, "1:3: unknown escape sequence"),
        CASE("\"\\'\"", NULL, "1:3: unknown escape sequence"),
        CASE("\"\\400\"", NULL, "1:3: escape sequence is invalid Unicode code point"),
        CASE("\"\\uD800\"", NULL, "1:3: escape sequence is invalid Unicode code point"),
        CASE("'\\uDFFF'", NULL, "1:3: escape sequence is invalid Unicode code point"),
        CASE("\"\\U00110000\"", NULL, "1:3: escape sequence is invalid Unicode code point"),
        CASE("\"\\x4g\"", NULL, "1:5: illegal character U+0067 'g' in escape sequence"),
        CASE("'\\8'", NULL, "1:3: unknown escape sequence"),
        /* The quote ends the escape early but still closes the rune. */
        CASE("'\\12'", "CHAR('\\12') NL EOF", "1:5: illegal character U+0027 ''' in escape sequence"),
        CASE("\"\\", "STRING(\"\\) NL EOF",
             "1:1: string literal not terminated|1:3: escape sequence not terminated"),
        CASE("\"\\x", NULL, "1:1: string literal not terminated|1:4: escape sequence not terminated"),
        CASE("\"\\\n\"", NULL, "1:1: string literal not terminated|1:3: unknown escape sequence|"
                               "2:1: string literal not terminated"),
    };
    RUN(cs, false);
}

static void test_bad_bytes(void **state)
{
    (void)state;
    static const lex_case cs[] = {
        CASE("x\0y", "IDENT(x) ILLEGAL IDENT(y) NL EOF",
             "1:2: illegal character NUL|1:2: illegal character U+0000"),
        CASE("\"a\0b\"", NULL, "1:3: illegal character NUL"),
        CASE("// a\0b\n", "EOF", "1:5: illegal character NUL"),
        CASE("\xff", "ILLEGAL EOF", "1:1: illegal UTF-8 encoding|1:1: illegal character U+FFFD '\xef\xbf\xbd'"),
        CASE("\"\xff\"", "STRING(\"\xff\") NL EOF", "1:2: illegal UTF-8 encoding"),
        CASE("/* \xc3 */", "EOF", "1:4: illegal UTF-8 encoding"),
        /* An encoded surrogate is three bad bytes. */
        CASE("`\xed\xa0\x80`", NULL, "1:2: illegal UTF-8 encoding|1:3: illegal UTF-8 encoding|"
                                     "1:4: illegal UTF-8 encoding"),
        /* Beyond U+10FFFF: four bad bytes, so four characters in a rune. */
        CASE("'\xf4\x90\x80\x80'", NULL, "1:1: illegal rune literal|1:2: illegal UTF-8 encoding|"
                                         "1:3: illegal UTF-8 encoding|1:4: illegal UTF-8 encoding|"
                                         "1:5: illegal UTF-8 encoding"),
        CASE("x\xc3", "IDENT(x) ILLEGAL NL EOF",
             "1:2: illegal UTF-8 encoding|1:2: illegal character U+FFFD '\xef\xbf\xbd'"),
        CASE("\xef\xbf\xbd", "ILLEGAL EOF", "1:1: illegal character U+FFFD '\xef\xbf\xbd'"),
        CASE("\xef\xbb\xbfpackage p", "package IDENT(p) NL EOF", ""),
        CASE("x \xef\xbb\xbf", "IDENT(x) ILLEGAL NL EOF", "1:3: illegal byte order mark"),
        CASE("\"\xef\xbb\xbf\"", NULL, "1:2: illegal byte order mark"),
        CASE("\x01 $ ? \\ #", "ILLEGAL ILLEGAL ILLEGAL ILLEGAL ILLEGAL EOF",
             "1:1: illegal character U+0001|1:3: illegal character U+0024 '$'|"
             "1:5: illegal character U+003F '?'|1:7: illegal character U+005C '\\'|"
             "1:9: illegal character U+0023 '#'"),
    };
    RUN(cs, false);
    /* A leading BOM is skipped but its bytes still count in columns. */
    static const lex_case pos[] = {
        CASE("\xef\xbb\xbfpackage p", "package@1:4 IDENT(p)@1:12 NL@1:13 EOF@1:13", ""),
        CASE("x \xef\xbb\xbf", "IDENT(x)@1:1 ILLEGAL@1:3 NL@1:6 EOF@1:6", "1:3: illegal byte order mark"),
    };
    RUN(pos, true);
}

static void test_unicode_identifiers(void **state)
{
    (void)state;
    static const lex_case cs[] = {
        CASE("h\xc3\xa9llo \xe6\x97\xa5\xe6\x9c\xac x\xd9\xa1 a\xf0\x9d\x9f\x98",
             "IDENT(h\xc3\xa9llo) IDENT(\xe6\x97\xa5\xe6\x9c\xac) IDENT(x\xd9\xa1) "
             "IDENT(a\xf0\x9d\x9f\x98) NL EOF", ""),
        /* Digits may not start an identifier. */
        CASE("\xd9\xa1x", "ILLEGAL IDENT(x) NL EOF", "1:1: illegal character U+0661 '\xd9\xa1'"),
        CASE("\xf0\x9d\x9f\x98", "ILLEGAL EOF", "1:1: illegal character U+1D7D8 '\xf0\x9d\x9f\x98'"),
        /* U+229B is a symbol, U+00B7 (middle dot) not a letter for Go. */
        CASE("a\xe2\x8a\x9b", "IDENT(a) ILLEGAL NL EOF", "1:2: illegal character U+229B '\xe2\x8a\x9b'"),
        CASE("a\xc2\xb7" "b", "IDENT(a) ILLEGAL IDENT(b) NL EOF", "1:2: illegal character U+00B7 '\xc2\xb7'"),
    };
    RUN(cs, false);
    assert_true(lh_unicode_is_letter(0x00E9));
    assert_true(lh_unicode_is_letter(0x4E00));
    assert_true(lh_unicode_is_letter(0x10400));
    assert_false(lh_unicode_is_letter(0x00D7));     /* multiplication sign */
    assert_false(lh_unicode_is_letter(0x0661));
    assert_true(lh_unicode_is_digit(0x0661));
    assert_true(lh_unicode_is_digit(0x1D7D8));
    assert_false(lh_unicode_is_digit(0x00B2));      /* superscript two is No */
}

static void test_positions(void **state)
{
    (void)state;
    static const lex_case cs[] = {
        CASE("package p\n\nfunc f() {\n\tx := 1\n}\n",
             "package@1:1 IDENT(p)@1:9 NL@1:10 func@3:1 IDENT(f)@3:6 (@3:7 )@3:8 {@3:10 "
             "IDENT(x)@4:2 :=@4:4 INT(1)@4:7 NL@4:8 }@5:1 NL@5:2 EOF@5:3", ""),
        CASE("`a\nb` x", "STRING(`a\nb`)@1:1 IDENT(x)@2:4 NL@2:5 EOF@2:5", ""),
        /* The semicolon owed to x: at a spanning block comment's first
         * newline, or at the newline after comments on x's line. */
        CASE("x /* a\nb */ y", "IDENT(x)@1:1 NL@1:7 IDENT(y)@2:6 NL@2:7 EOF@2:7", ""),
        CASE("x /* a */ // b\ny", "IDENT(x)@1:1 NL@1:15 IDENT(y)@2:1 NL@2:2 EOF@2:2", ""),
        CASE("x // b", "IDENT(x)@1:1 NL@1:7 EOF@1:7", ""),
        CASE("x /* a */ y", "IDENT(x)@1:1 IDENT(y)@1:11 NL@1:12 EOF@1:12", ""),
        CASE("x /* a */\n/* b\n */ y", "IDENT(x)@1:1 NL@1:10 IDENT(y)@3:5 NL@3:6 EOF@3:6", ""),
        CASE("x\r\ny", "IDENT(x)@1:1 NL@1:3 IDENT(y)@2:1 NL@2:2 EOF@2:2", ""),
        CASE("x := \"abc\n", "IDENT(x)@1:1 :=@1:3 STRING(\"abc)@1:6 NL@1:10 EOF@1:11",
             "1:6: string literal not terminated"),
        CASE("\n\n/* a\nb", "EOF@4:2", "3:1: comment not terminated"),
        CASE("x\n`a\nb", NULL, "2:1: raw string literal not terminated"),
        CASE("", "EOF@1:1", ""),
        /* UTF-16 text: one error, and the whole file is one character */
        CASE("\xff\xfex\x00\n\x00", "ILLEGAL@1:1 EOF@1:7",
             "1:1: illegal UTF-8 encoding (got UTF-16)|1:1: illegal character U+FFFD '\xef\xbf\xbd'"),
        CASE("\xfe\xff", "ILLEGAL@1:1 EOF@1:3",
             "1:1: illegal UTF-8 encoding (got UTF-16)|1:1: illegal character U+FFFD '\xef\xbf\xbd'"),
        CASE("x\xff\xfe", NULL, "1:2: illegal UTF-8 encoding|1:2: illegal character U+FFFD '\xef\xbf\xbd'|"
             "1:3: illegal UTF-8 encoding|1:3: illegal character U+FFFD '\xef\xbf\xbd'"),
        CASE("x \xe2\x80\x9c", NULL, "1:3: curly quotation mark '\xe2\x80\x9c' (use neutral '\"')"),
        CASE("\xe2\x80\x9d", NULL, "1:1: curly quotation mark '\xe2\x80\x9d' (use neutral '\"')"),
    };
    RUN(cs, true);
}

static void test_rewritten_text(void **state)
{
    (void)state;
    static const lex_case cs[] = {
        CASE("`a\r\nb\r`", "STRING(`a\nb`) NL EOF", ""),
        CASE("`\r`", "STRING(``) NL EOF", ""),
    };
    RUN(cs, false);
    lexed r;
    const char *src = "x // c\r\n/* a\r\nb */ // d\re\r\n/* x *\r/ */ //";
    lex_all(&r, src, strlen(src), false);
    assert_string_equal(r.toks.data, "IDENT(x) NL EOF");
    assert_int_equal(r.lx.comments_len, 5);
    const char *want[] = {"// c", "/* a\nb */", "// de", "/* x *\r/ */", "//"};
    uint32_t line[] = {1, 2, 3, 4, 4}, col[] = {3, 1, 6, 1, 13};
    for (int i = 0; i < 5; i++) {
        const lh_comment *c = &r.lx.comments[i];
        assert_int_equal(c->len, strlen(want[i]));
        assert_memory_equal(c->text, want[i], c->len);
        assert_int_equal(c->line, line[i]);
        assert_int_equal(c->col, col[i]);
    }
    assert_int_equal(r.lx.comments[1].off, 8);
    assert_string_equal(r.errs.data, "");
    lexed_free(&r);
}

static void test_comments_before_tokens(void **state)
{
    (void)state;
    /* comments_len when a token is returned tells which comments precede
     * it -- an automatic semicolon included, which comes after a comment
     * on its line. */
    const char *src = "//go:build linux\n\npackage p // trailing\n";
    char *copy = strdup(src);
    lh_arena a;
    lh_arena_init(&a);
    lh_diag_list d;
    lh_diag_init(&d, &a);
    lh_lexer lx;
    lh_lex_init(&lx, copy, strlen(copy), &a, &d);
    lh_token t;
    lh_lex_next(&lx, &t);
    assert_int_equal(t.kind, LH_TOK_PACKAGE);
    assert_int_equal(lx.comments_len, 1);
    assert_memory_equal(lx.comments[0].text, "//go:build linux", 16);
    lh_lex_next(&lx, &t);
    lh_lex_next(&lx, &t);
    assert_int_equal(t.kind, LH_TOK_SEMICOLON);
    assert_true(t.auto_semi);
    assert_int_equal(t.col, 22);
    assert_int_equal(lx.comments_len, 2);
    lh_lex_next(&lx, &t);
    assert_int_equal(t.kind, LH_TOK_EOF);
    assert_int_equal(lx.comments_len, 2);
    assert_int_equal(lx.errors, 0);
    lh_lex_next(&lx, &t);
    assert_int_equal(t.kind, LH_TOK_EOF);   /* EOF is sticky */
    lh_arena_free(&a);
    free(copy);
}

static void test_line_directives(void **state)
{
    (void)state;
    /* Not applied to positions, but go/scanner rejects bad numbers. */
    static const lex_case cs[] = {
        CASE("//line x.go:5\npackage p", "package@2:1 IDENT(p)@2:9 NL@2:10 EOF@2:10", ""),
        CASE("//line x.go:5:3\n", "EOF@1:17", ""),
        CASE("//line x.go:0\n", "EOF@1:15", "1:13: invalid line number: 0"),
        CASE("//line x.go:\n", NULL, "1:13: invalid line number: "),
        CASE("//line x.go:+5\n", NULL, "1:13: invalid line number: +5"),
        CASE("//line x.go:1_0\n", NULL, "1:13: invalid line number: 1_0"),
        CASE("//line x.go:1073741824\n", NULL, ""),
        CASE("//line x.go:1073741825\n", NULL, "1:13: invalid line number: 1073741825"),
        CASE("//line x.go:18446744073709551616\n", NULL,
             "1:13: invalid line number: 18446744073709551616"),
        /* Go converts to int: 2^64-1 becomes -1 and passes the check. */
        CASE("//line x.go:18446744073709551615\n", NULL, ""),
        CASE("//line x.go:5:0\n", NULL, "1:15: invalid column number: 0"),
        CASE("//line x.go:0:5\n", NULL, "1:13: invalid line number: 0"),
        CASE("//line :5:1073741825\n", NULL, "1:11: invalid column number: 1073741825"),
        CASE("//line x.go:3:4:5\n", NULL, ""),
        CASE("//line x.go:5\r\npackage p\r\n", NULL, ""),
        CASE("//line x.go:0\r\n", NULL, "1:13: invalid line number: 0"),
        CASE("//line x.go:5\r6\n", NULL, "1:13: invalid line number: 5\r6"),
        CASE("//line  x.go:0\n", NULL, "1:14: invalid line number: 0"),
        CASE("//linex.go:0\n", NULL, ""),
        CASE("//line\tx.go:0\n", NULL, ""),
        CASE("//line x.go\n", NULL, ""),
        /* Only at the start of a line (a BOM counts as not the start). */
        CASE(" //line x.go:0\n", NULL, ""),
        CASE("x //line x.go:0\n", NULL, ""),
        CASE("\xef\xbb\xbf//line x.go:0\n", NULL, ""),
        /* The block form anywhere, once closed. */
        CASE("x /*line x.go:0*/ y", NULL, "1:15: invalid line number: 0"),
        CASE("//line x:123456789012345678901234567890123456789012345678901234567890123456789\n",
             NULL, "1:10: invalid line number: 1234567890123456789012345678901234567890123456789012345678901234"),
        CASE("/*line :7:1*/", NULL, ""),
        CASE("/*line x.go:0", NULL, "1:1: comment not terminated"),
        CASE("/*line a\n:\nb\nc*/", NULL, "2:2: invalid line number: \nb\nc"),
    };
    RUN(cs, true);
}

static void test_token_table(void **state)
{
    (void)state;
    assert_string_equal(lh_tok_string(LH_TOK_INT), "INT");
    assert_string_equal(lh_tok_string(LH_TOK_AND_NOT_ASSIGN), "&^=");
    assert_string_equal(lh_tok_string(LH_TOK_VAR), "var");
    assert_string_equal(lh_tok_string(LH_TOK_TILDE), "~");
    assert_string_equal(lh_tok_string((lh_tok_kind)999), "?");
    for (int k = 0; k < LH_TOK_COUNT; k++) {
        const char *s = lh_tok_string((lh_tok_kind)k);
        assert_string_not_equal(s, "?");
        lh_tok_kind got = lh_tok_lookup(s, strlen(s));
        assert_int_equal(got, lh_tok_is_keyword((lh_tok_kind)k) ? k : LH_TOK_IDENT);
    }
    assert_int_equal(lh_tok_precedence(LH_TOK_LOR), 1);
    assert_int_equal(lh_tok_precedence(LH_TOK_LAND), 2);
    assert_int_equal(lh_tok_precedence(LH_TOK_GEQ), 3);
    assert_int_equal(lh_tok_precedence(LH_TOK_XOR), 4);
    assert_int_equal(lh_tok_precedence(LH_TOK_AND_NOT), 5);
    assert_int_equal(lh_tok_precedence(LH_TOK_ASSIGN), 0);
    assert_true(lh_tok_is_operator(LH_TOK_TILDE));
    assert_false(lh_tok_is_operator(LH_TOK_VAR));
    assert_true(lh_tok_is_literal(LH_TOK_CHAR));
}

static void test_diag_list(void **state)
{
    (void)state;
    lh_arena a;
    lh_arena_init(&a);
    lh_diag_list d;
    lh_diag_init(&d, &a);
    lh_diag_add(&d, 30, 3, 1, "c");
    lh_diag_add(&d, 12, 2, 2, "b%d", 2);
    lh_diag_add(&d, 11, 2, 1, "a");
    lh_diag_add(&d, 11, 2, 1, "A");
    for (int i = 0; i < 20; i++)
        lh_diag_add(&d, 50, 5, 1, "many %d", i);
    assert_int_equal(d.len, 24);
    lh_diag_sort(&d);
    lh_buf out = LH_BUF_INIT;
    lh_diag_format(&d, "f.go", 4, &out);
    assert_string_equal(out.data, "f.go:2:1: A\nf.go:2:1: a\nf.go:2:2: b2\nf.go:3:1: c\n");
    lh_diag_remove_multiples(&d);
    assert_int_equal(d.len, 3);
    lh_buf_clear(&out);
    lh_diag_format(&d, "f.go", 0, &out);
    assert_string_equal(out.data, "f.go:2:1: A\nf.go:3:1: c\nf.go:5:1: many 0\n");
    lh_buf_free(&out);
    lh_arena_free(&a);
}

static void test_literal_values(void **state)
{
    (void)state;
    static const struct { const char *lit; const char *want; size_t want_len; } ok[] = {
        {"\"abc\"", "abc", 3},
        {"\"\"", "", 0},
        {"`a\\nb`", "a\\nb", 4},
        {"\"a\\tb\\x41\\101\\u00e9\\U0001F600\\\\\\\"\"", "a\tbAA\xc3\xa9\xf0\x9f\x98\x80\\\"", 13},
        {"\"\\xff\\000\"", "\xff\0", 2},
        {"'a'", "a", 1},
        {"'\\n'", "\n", 1},
        {"'\xc3\xa9'", "\xc3\xa9", 2},
        {"'\\''", "'", 1},
        {"'\\u00e9'", "\xc3\xa9", 2},
    };
    lh_arena a;
    lh_arena_init(&a);
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        const char *out;
        size_t n;
        assert_true(lh_lex_unquote(&a, ok[i].lit, strlen(ok[i].lit), &out, &n));
        assert_int_equal(n, ok[i].want_len);
        assert_memory_equal(out, ok[i].want, n);
    }
    static const char *bad[] = {"'ab'", "''", "\"\\q\"", "\"\\uD800\"", "'\\\"'", "\"\\'\"",
                                "\"abc", "\"a\"b\"", "x", "\"\\400\"", "\"\\x4\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *out;
        size_t n;
        assert_false(lh_lex_unquote(&a, bad[i], strlen(bad[i]), &out, &n));
    }
    lh_arena_free(&a);

    static const struct { const char *lit; uint64_t v; } ints[] = {
        {"0", 0}, {"123", 123}, {"0x_FF", 255}, {"0XfF", 255}, {"0o17", 15}, {"017", 15},
        {"0b101", 5}, {"1_000", 1000}, {"18446744073709551615", UINT64_MAX},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        uint64_t v = 1;
        assert_true(lh_lex_int_value(ints[i].lit, strlen(ints[i].lit), &v));
        assert_true(v == ints[i].v);
    }
    static const char *bad_ints[] = {"18446744073709551616", "0x", "09", "0b2", "", "1.5",
                                     "1_", "0x__1", "_1", "1__0"};
    for (size_t i = 0; i < sizeof bad_ints / sizeof bad_ints[0]; i++) {
        uint64_t v;
        assert_false(lh_lex_int_value(bad_ints[i], strlen(bad_ints[i]), &v));
    }
}

static void test_error_cap(void **state)
{
    (void)state;
    /* 10,000 NULs: two errors each, only the first LH_LEX_MAX_ERRORS kept. */
    size_t len = 10000;
    char *buf = calloc(len + 1, 1);
    lh_arena a;
    lh_arena_init(&a);
    lh_diag_list d;
    lh_diag_init(&d, &a);
    lh_lexer lx;
    lh_lex_init(&lx, buf, len, &a, &d);
    lh_token t;
    size_t n = 0;
    do {
        lh_lex_next(&lx, &t);
        n++;
    } while (t.kind != LH_TOK_EOF);
    assert_int_equal(n, len + 1);
    assert_int_equal(lx.errors, 2 * len);
    assert_int_equal(d.len, LH_LEX_MAX_ERRORS);
    assert_string_equal(d.items[0].msg, "illegal character NUL");
    lh_arena_free(&a);
    free(buf);
}

/* Random bytes, biased towards the characters that steer the lexer, must
 * never crash, hang or read outside the buffer (run under the sanitizers
 * with LH_SANITIZE=ON), and every token must start after the previous one. */
static void test_random_input(void **state)
{
    (void)state;
    static const char alphabet[] = "\"'`\\/*\n\r\t 0x1e.p_+-=<>&|^!:;(){}[]ab\xef\xbb\xbf\xc3\xa9\xff\x80";
    uint64_t seed = 88172645463325252ull;
    for (int iter = 0; iter < 20000; iter++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        size_t len = (size_t)(seed % 64);
        char *buf = malloc(len + 1);
        for (size_t i = 0; i < len; i++) {
            seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
            unsigned v = (unsigned)(seed >> 24);
            buf[i] = (v & 1) ? (char)(v >> 8) : alphabet[(v >> 8) % (sizeof alphabet - 1)];
        }
        buf[len] = '\0';
        lh_arena a;
        lh_arena_init(&a);
        lh_diag_list d;
        lh_diag_init(&d, &a);
        lh_lexer lx;
        lh_lex_init(&lx, buf, len, &a, &d);
        uint32_t last = 0;
        size_t n = 0;
        for (;; n++) {
            lh_token t;
            lh_lex_next(&lx, &t);
            assert_true(t.off <= len);
            assert_true(t.off >= last);
            assert_true(t.line >= 1 && t.col >= 1);
            last = t.off;
            if (t.kind == LH_TOK_EOF)
                break;
            assert_true(n <= 2 * len + 2);
        }
        assert_int_equal(d.len, lx.errors < LH_LEX_MAX_ERRORS ? lx.errors : LH_LEX_MAX_ERRORS);
        lh_arena_free(&a);
        free(buf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_operators_and_keywords),
        cmocka_unit_test(test_semicolons),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_strings_and_runes),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_unicode_identifiers),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_rewritten_text),
        cmocka_unit_test(test_comments_before_tokens),
        cmocka_unit_test(test_line_directives),
        cmocka_unit_test(test_token_table),
        cmocka_unit_test(test_diag_list),
        cmocka_unit_test(test_literal_values),
        cmocka_unit_test(test_error_cap),
        cmocka_unit_test(test_random_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
