/* Go tokens: the kinds go/token defines, in the same order, so that the
 * parser and the AST dump can speak go/token's language (tok.String(),
 * operator precedence) without a translation table. */
#ifndef LH_GO_TOKEN_H
#define LH_GO_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum lh_tok_kind {
    LH_TOK_ILLEGAL,
    LH_TOK_EOF,
    LH_TOK_COMMENT,         /* never returned by lh_lex_next (see lex.h) */

    /* literals: [LH_TOK_IDENT, LH_TOK_STRING] */
    LH_TOK_IDENT,
    LH_TOK_INT,
    LH_TOK_FLOAT,
    LH_TOK_IMAG,
    LH_TOK_CHAR,
    LH_TOK_STRING,

    /* operators and delimiters: [LH_TOK_ADD, LH_TOK_COLON] */
    LH_TOK_ADD,             /* + */
    LH_TOK_SUB,             /* - */
    LH_TOK_MUL,             /* * */
    LH_TOK_QUO,             /* / */
    LH_TOK_REM,             /* % */
    LH_TOK_AND,             /* & */
    LH_TOK_OR,              /* | */
    LH_TOK_XOR,             /* ^ */
    LH_TOK_SHL,             /* << */
    LH_TOK_SHR,             /* >> */
    LH_TOK_AND_NOT,         /* &^ */
    LH_TOK_ADD_ASSIGN,      /* += */
    LH_TOK_SUB_ASSIGN,      /* -= */
    LH_TOK_MUL_ASSIGN,      /* *= */
    LH_TOK_QUO_ASSIGN,      /* /= */
    LH_TOK_REM_ASSIGN,      /* %= */
    LH_TOK_AND_ASSIGN,      /* &= */
    LH_TOK_OR_ASSIGN,       /* |= */
    LH_TOK_XOR_ASSIGN,      /* ^= */
    LH_TOK_SHL_ASSIGN,      /* <<= */
    LH_TOK_SHR_ASSIGN,      /* >>= */
    LH_TOK_AND_NOT_ASSIGN,  /* &^= */
    LH_TOK_LAND,            /* && */
    LH_TOK_LOR,             /* || */
    LH_TOK_ARROW,           /* <- */
    LH_TOK_INC,             /* ++ */
    LH_TOK_DEC,             /* -- */
    LH_TOK_EQL,             /* == */
    LH_TOK_LSS,             /* < */
    LH_TOK_GTR,             /* > */
    LH_TOK_ASSIGN,          /* = */
    LH_TOK_NOT,             /* ! */
    LH_TOK_NEQ,             /* != */
    LH_TOK_LEQ,             /* <= */
    LH_TOK_GEQ,             /* >= */
    LH_TOK_DEFINE,          /* := */
    LH_TOK_ELLIPSIS,        /* ... */
    LH_TOK_LPAREN,          /* ( */
    LH_TOK_LBRACK,          /* [ */
    LH_TOK_LBRACE,          /* { */
    LH_TOK_COMMA,           /* , */
    LH_TOK_PERIOD,          /* . */
    LH_TOK_RPAREN,          /* ) */
    LH_TOK_RBRACK,          /* ] */
    LH_TOK_RBRACE,          /* } */
    LH_TOK_SEMICOLON,       /* ; (or automatic, see lh_token.auto_semi) */
    LH_TOK_COLON,           /* : */

    /* keywords: [LH_TOK_BREAK, LH_TOK_VAR] */
    LH_TOK_BREAK,
    LH_TOK_CASE,
    LH_TOK_CHAN,
    LH_TOK_CONST,
    LH_TOK_CONTINUE,
    LH_TOK_DEFAULT,
    LH_TOK_DEFER,
    LH_TOK_ELSE,
    LH_TOK_FALLTHROUGH,
    LH_TOK_FOR,
    LH_TOK_FUNC,
    LH_TOK_GO,
    LH_TOK_GOTO,
    LH_TOK_IF,
    LH_TOK_IMPORT,
    LH_TOK_INTERFACE,
    LH_TOK_MAP,
    LH_TOK_PACKAGE,
    LH_TOK_RANGE,
    LH_TOK_RETURN,
    LH_TOK_SELECT,
    LH_TOK_STRUCT,
    LH_TOK_SWITCH,
    LH_TOK_TYPE,
    LH_TOK_VAR,

    /* go/token keeps ~ apart from the operators (it came with generics). */
    LH_TOK_TILDE,           /* ~ */

    LH_TOK_COUNT
} lh_tok_kind;

/* The text go/token's Token.String() gives: "+", "INT", "break", "EOF"...
 * Never NULL; an out-of-range kind gives "?". */
const char *lh_tok_string(lh_tok_kind k);

/* Binary operator precedence as go/token.Precedence: 5 (* / % << >> & &^),
 * 4 (+ - | ^), 3 (== != < <= > >=), 2 (&&), 1 (||), 0 for non-operators. */
int lh_tok_precedence(lh_tok_kind k);

static inline bool lh_tok_is_literal(lh_tok_kind k)
{
    return k >= LH_TOK_IDENT && k <= LH_TOK_STRING;
}
static inline bool lh_tok_is_operator(lh_tok_kind k)
{
    return (k >= LH_TOK_ADD && k <= LH_TOK_COLON) || k == LH_TOK_TILDE;
}
static inline bool lh_tok_is_keyword(lh_tok_kind k)
{
    return k >= LH_TOK_BREAK && k <= LH_TOK_VAR;
}

/* Keyword kind for s[0..n), or LH_TOK_IDENT when it is not a keyword. */
lh_tok_kind lh_tok_lookup(const char *s, size_t n);

/* One token. Positions are go/token's: 1-based line, 1-based column counted
 * in bytes from the start of the line (a leading BOM counts: the first token
 * after it is at column 4), byte offset from the start of the file.
 * //line directives are not interpreted. */
typedef struct lh_token {
    uint32_t off;           /* byte offset of the first byte */
    uint32_t line, col;
    uint8_t kind;           /* lh_tok_kind */
    bool auto_semi;         /* SEMICOLON inserted at a newline, at EOF or
                             * before a comment that contains/ends at a
                             * newline: go/scanner gives those lit "\n" */
    uint32_t len;           /* length of lit */
    uint32_t end;           /* offset just past the token's source bytes:
                             * off + len unless lit was rewritten (raw
                             * string with CRs); off for an automatic
                             * semicolon */
    /* The token's text. For IDENT, keywords and INT/FLOAT/IMAG/CHAR/STRING it
     * is the literal exactly as go/scanner returns it (quotes included; a raw
     * string with its carriage returns removed, then lit points into the
     * lexer's arena instead of the source). For an explicit ';' it is ";",
     * for an automatic one "\n", for operators the operator's source text,
     * for EOF "". Not NUL-terminated when it points into the source. */
    const char *lit;
} lh_token;

#endif
