/* Syntax error list shared by the lexer and the parser, after go/scanner's
 * ErrorList: errors are collected as found, then sorted by position for
 * printing as `file:line:col: message`. What callers (and the go/parser
 * oracle) compare is the verdict -- any error means the file is rejected --
 * so the wording follows go/scanner and go/parser but is not a contract. */
#ifndef LH_GO_DIAG_H
#define LH_GO_DIAG_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/buf.h"

typedef struct lh_diag {
    uint32_t off;           /* byte offset; ties in sorting */
    uint32_t line, col;     /* 1-based; col counts bytes, as go/token */
    const char *msg;        /* NUL-terminated, in the list's arena */
} lh_diag;

typedef struct lh_diag_list {
    lh_diag *items;         /* in the arena; grows by copy */
    size_t len, cap;
    lh_arena *arena;        /* messages and the array live here */
} lh_diag_list;

/* The list allocates from arena, so it dies with it (one arena per file). */
void lh_diag_init(lh_diag_list *d, lh_arena *arena);

void lh_diag_add(lh_diag_list *d, uint32_t off, uint32_t line, uint32_t col,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Stable sort by (line, col, message), as go/scanner.ErrorList.Sort. */
void lh_diag_sort(lh_diag_list *d);

/* Sorts, then keeps only the first error of each line
 * (go/scanner.ErrorList.RemoveMultiples). */
void lh_diag_remove_multiples(lh_diag_list *d);

/* Appends `file:line:col: message\n` for the first max errors (0 = all),
 * in the list's current order; sort first for go's order. */
void lh_diag_format(const lh_diag_list *d, const char *file, size_t max, lh_buf *out);

#endif
