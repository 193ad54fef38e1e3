/* Private to the parser (parse.c, parse_type.c, parse_expr.c, parse_stmt.c): the parser
 * state and the helpers every production uses. */
#ifndef LH_GO_PARSE_INTERNAL_H
#define LH_GO_PARSE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "go/ast.h"
#include "go/diag.h"
#include "go/lex.h"
#include "go/parse.h"
#include "util/arena.h"

/* Follow sets for error recovery (go/parser's stmtStart, declStart, exprEnd). */
typedef enum sync_set { SYNC_STMT, SYNC_DECL, SYNC_EXPR } sync_set;

/* Modes of parse_simple_stmt. */
typedef enum simple_mode { SIMPLE_BASIC, SIMPLE_LABEL_OK, SIMPLE_RANGE_OK } simple_mode;

typedef struct parser {
    lh_lexer lx;
    lh_token tok;               /* one token of look-ahead */
    uint32_t prev_end;          /* offset just past the last consumed token */
    lh_arena *arena;
    lh_diag_list *errs;
    size_t errs_base;           /* errs->len when this file started */

    int expr_lev;               /* < 0: in a control clause; >= 0: in an expression */
    bool in_rhs;                /* '=' reads as '==' (for go/parser's messages) */
    int nest;                   /* nesting counter, as go/parser's nestLev */
    const char *stack_base;     /* C stack at entry, and how far we may go */
    size_t stack_budget;

    uint32_t sync_off;          /* advance(): no endless loops without progress */
    int sync_cnt;

    /* Scratch stack for building lists: push elements, then take() copies
     * them into the arena as one array. Nested lists stack on top. */
    lh_node **stk;
    size_t stk_len, stk_cap;

    char *chunk, *chunk_end;    /* bump allocation for nodes and lists */

    lh_node **imports;          /* every import spec, for lh_file.imports */
    uint32_t nimports, imports_cap;

    bool bailing;               /* gave up: the token is EOF from now on */
} parser;

/* tokens and errors (parse.c) */
void lh_parse_next(parser *p);
lh_pos lh_parse_pos(const parser *p);
lh_pos lh_parse_pos_at(const parser *p, uint32_t off);
/* The position just past the current token (go/parser's stringEnd). */
static inline lh_pos lh_parse_tok_end(const parser *p)
{
    return (lh_pos){p->tok.end, p->lx.line, (uint32_t)(p->lx.p - p->lx.line_start + 1)};
}
lh_pos lh_parse_expect(parser *p, lh_tok_kind k);
lh_pos lh_parse_expect2(parser *p, lh_tok_kind k);
lh_pos lh_parse_expect_closing(parser *p, lh_tok_kind k, const char *context);
void lh_parse_expect_semi(parser *p);
bool lh_parse_at_comma(parser *p, const char *context, lh_tok_kind follow);
void lh_parse_advance(parser *p, sync_set to);
void lh_parse_error(parser *p, lh_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void lh_parse_error_expected(parser *p, lh_pos pos, const char *what);
void lh_parse_too_deep(parser *p);

/* Counts one nesting level as go/parser does, and watches the C stack. */
static inline void lh_parse_inc_nest(parser *p)
{
    /* The frame address, not a local's: under ASan's use-after-return
     * detection locals live on a heap "fake stack". */
    uintptr_t used = (uintptr_t)p->stack_base - (uintptr_t)__builtin_frame_address(0);
    if (++p->nest > LH_PARSE_MAX_NEST || used > p->stack_budget)
        lh_parse_too_deep(p);
}

/* nodes and lists (parse.c) */
void *lh_parse_alloc(parser *p, size_t n);
void *lh_parse_node(parser *p, lh_node_kind k, lh_pos pos);
void lh_parse_push(parser *p, lh_node *n);
lh_list lh_parse_take(parser *p, size_t mark);
lh_list lh_parse_list1(parser *p, lh_node *n);
lh_node *lh_parse_bad_expr(parser *p, lh_pos from);

/* types (parse_type.c) */
lh_node *lh_parse_type(parser *p);
lh_node *lh_parse_try_ident_or_type(parser *p);
lh_node *lh_parse_array_type(parser *p, lh_pos lbrack, lh_node *len);
lh_node *lh_parse_func_type(parser *p);
lh_node *lh_parse_type_parameters(parser *p);
lh_node *lh_parse_parameters(parser *p, bool result);
lh_list lh_parse_parameter_list(parser *p, lh_node *name0, lh_node *typ0, lh_tok_kind closing,
                                bool dddok);
/* One index makes an IndexExpr, more an IndexListExpr (go/ast's packing);
 * the indices are the scratch stack above mark. */
lh_node *lh_parse_pack_index(parser *p, lh_node *x, lh_pos lbrack, size_t mark, lh_pos rbrack);

/* expressions (parse_expr.c) */
lh_node *lh_parse_ident(parser *p);
lh_list lh_parse_ident_list(parser *p);
lh_list lh_parse_list(parser *p, bool in_rhs);
lh_node *lh_parse_expr(parser *p);
lh_node *lh_parse_rhs(parser *p);
lh_node *lh_parse_primary_expr(parser *p, lh_node *x);
lh_node *lh_parse_binary_expr(parser *p, lh_node *x, int prec1);
lh_node *lh_parse_body(parser *p);

/* statements (parse_stmt.c) */
lh_node *lh_parse_stmt(parser *p);
lh_list lh_parse_stmt_list(parser *p);
lh_node *lh_parse_block_stmt(parser *p);

/* declarations (parse.c) */
lh_node *lh_parse_decl(parser *p, sync_set sync);

/* File.GoVersion from one comment (goversion.c): false when text is not a
 * //go:build line whose expression parses; else *out is the minimum
 * release it implies ("go1.21", "go1", or "" for none), in the arena. */
bool lh_parse_go_build_version(const char *text, size_t n, lh_arena *arena, lh_str *out);

static inline bool lh_pos_valid(lh_pos pos) { return pos.line != 0; }
static inline lh_pos lh_no_pos(void) { return (lh_pos){0, 0, 0}; }

#endif
