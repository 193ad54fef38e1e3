/* The Go lexer: bytes -> tokens, with go/scanner's exact verdicts.
 *
 * ADDED (additive, 14:00): lh_token.end, the source offset just past the
 * token -- use it rather than off + len, which is short for a raw string
 * whose carriage returns were removed from lit.
 * ADDED: lh_lex_unquote and lh_lex_int_value (literal values, literal.c).
 * ADDED: LH_LEX_MAX_ERRORS: the lexer records at most 100 errors per file
 * in diags by default (lh_lexer.max_errors; lh_lexer.errors keeps counting).
 *
 * It accepts and rejects what go/scanner (Go 1.25 and later) accepts and
 * rejects, with the same messages, and inserts semicolons where it does:
 * after an identifier, a basic literal, break/continue/fallthrough/return,
 * ++ -- ) ] }, at the next newline or EOF -- comments in between keep the
 * semicolon owed, and it comes after them -- or at the first newline inside
 * a block comment that spans lines (returned after that comment).
 *
 * Comments are not returned as tokens. Every comment is recorded, in source
 * order, in lh_lexer.comments (directives such as //go:build and
 * //leakhound:ignore live there); comments_len at the time a token is returned
 * tells which comments precede it.
 *
 * Memory: nothing is malloc'd per token. Rewritten texts (raw strings and
 * comments with carriage returns), the comment array and error messages go to
 * the arena given to lh_lex_init. */
#ifndef LH_GO_LEX_H
#define LH_GO_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "go/diag.h"
#include "go/token.h"
#include "util/arena.h"

typedef struct lh_comment {
    uint32_t off, line, col;    /* position of the leading '/' */
    uint32_t len;
    /* As go/ast Comment.Text: a line comment with its "//" and without the
     * newline, or a block comment with both delimiters; carriage returns
     * removed as go/scanner removes them. Not NUL-terminated when it points
     * into the source. An unterminated block comment runs to EOF (and an
     * error is reported). */
    const char *text;
} lh_comment;

/* A binary file fed to the lexer has an error every few bytes; recording
 * them all would cost more memory than the file. The verdict needs one. */
#define LH_LEX_MAX_ERRORS 100

typedef struct lh_lexer {
    /* Read-only for callers. */
    lh_comment *comments;
    uint32_t comments_len;
    size_t errors;              /* errors this lexer found so far; only the
                                 * first max_errors go to diags */
    size_t max_errors;          /* lh_lex_init sets LH_LEX_MAX_ERRORS; may
                                 * be changed before scanning */

    /* Private. */
    const char *src, *p, *end;  /* *end == '\0' (sentinel) */
    const char *line_start;     /* first byte of the current line */
    uint32_t line;
    const char *tok_line_start; /* line of the token being scanned, for */
    uint32_t tok_line;          /*   errors reported at its start */
    bool insert_semi;
    uint32_t comments_cap;
    lh_arena *arena;
    lh_diag_list *diags;
} lh_lexer;

/* src[len] must be '\0' (lh_read_file guarantees it); NUL bytes before it
 * are errors. A BOM at offset 0 is skipped (positions still count it).
 * Errors go to diags. len must be < 4 GiB. */
void lh_lex_init(lh_lexer *lx, const char *src, size_t len, lh_arena *arena,
                 lh_diag_list *diags);

/* Scans the next token into *tok. After EOF it keeps returning EOF. Never
 * fails: bad input gives errors in diags and, for characters that start no
 * token, an LH_TOK_ILLEGAL token (the semicolon state is kept across it, as
 * go/scanner does). */
void lh_lex_next(lh_lexer *lx, lh_token *tok);

/* The value of a STRING or CHAR token's lit (a rune literal gives its
 * character's bytes): escapes decoded, \x and octal escapes as single
 * bytes, \u and \U as UTF-8. *out points into lit when nothing needed
 * decoding, else into the arena. False for a malformed literal. */
bool lh_lex_unquote(lh_arena *arena, const char *lit, size_t n, const char **out,
                    size_t *out_len);

/* The value of an INT token's lit in any base, '_' allowed. False when it
 * is malformed or does not fit in 64 bits. */
bool lh_lex_int_value(const char *lit, size_t n, uint64_t *v);

#endif
