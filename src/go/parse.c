/* The parser's core: token handling, errors and recovery, node and list
 * allocation, declarations and the source file. Types live in parse_type.c,
 * expressions in parse_expr.c, statements in parse_stmt.c.
 *
 * The structure follows go/parser production by production (its behaviour,
 * including which errors it reports beyond the grammar, is the reference);
 * each function carries its production in EBNF. */
#include "go/parse.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "go/parse_internal.h"

/* ---- tokens --------------------------------------------------------------- */

/* Giving up (too many errors, too deep) is done by pretending the file ends
 * here: every production copes with an early EOF, so the recursion unwinds
 * normally -- no longjmp over a stack that may be 100000 frames deep -- and
 * the tree built so far stays well formed. */
static void bail_out(parser *p)
{
    p->bailing = true;
    p->tok.kind = LH_TOK_EOF;
    p->tok.auto_semi = false;
    p->tok.lit = "";
    p->tok.len = 0;
}

void lh_parse_next(parser *p)
{
    if (p->bailing)
        return;
    /* tok.end, not off + len: a raw string's lit lost its carriage returns. */
    if (!p->tok.auto_semi && p->tok.kind != LH_TOK_EOF)
        p->prev_end = p->tok.end;
    lh_lex_next(&p->lx, &p->tok);
}

lh_pos lh_parse_pos(const parser *p)
{
    return (lh_pos){p->tok.off, p->tok.line, p->tok.col};
}

/* The position of a byte offset at or before the current token: nodes keep
 * their end as an offset only, and errors want a line and column. */
lh_pos lh_parse_pos_at(const parser *p, uint32_t off)
{
    if (off > p->tok.off)
        off = p->tok.off;
    const char *src = p->lx.src;
    uint32_t line = p->tok.line;
    for (uint32_t i = off; i < p->tok.off; i++)
        line -= src[i] == '\n';
    uint32_t start = off;
    while (start > 0 && src[start - 1] != '\n')
        start--;
    return (lh_pos){off, line, off - start + 1};
}

static bool is_newline_semi(const parser *p)
{
    return p->tok.kind == LH_TOK_SEMICOLON && p->tok.auto_semi;
}

void lh_parse_error(parser *p, lh_pos pos, const char *fmt, ...)
{
    /* As go/parser without AllErrors: one error per line (the rest are
     * likely follow-on noise), and give up after ten. */
    size_t n = p->errs->len - p->errs_base;
    if (p->bailing || (n > 0 && p->errs->items[p->errs->len - 1].line == pos.line))
        return;
    if (n > 10) {
        bail_out(p);
        return;
    }
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lh_diag_add(p->errs, pos.off, pos.line, pos.col, "%s", msg);
}

void lh_parse_error_expected(parser *p, lh_pos pos, const char *what)
{
    if (pos.off == p->tok.off && pos.line == p->tok.line) {
        /* At the current token: say what was found instead. */
        if (is_newline_semi(p))
            lh_parse_error(p, pos, "expected %s, found newline", what);
        else if (lh_tok_is_literal(p->tok.kind))
            lh_parse_error(p, pos, "expected %s, found %.*s", what, (int)p->tok.len, p->tok.lit);
        else
            lh_parse_error(p, pos, "expected %s, found '%s'", what, lh_tok_string(p->tok.kind));
        return;
    }
    lh_parse_error(p, pos, "expected %s", what);
}

static void error_expected_tok(parser *p, lh_tok_kind k)
{
    char what[32];
    snprintf(what, sizeof what, "'%s'", lh_tok_string(k));
    lh_parse_error_expected(p, lh_parse_pos(p), what);
}

lh_pos lh_parse_expect(parser *p, lh_tok_kind k)
{
    lh_pos pos = lh_parse_pos(p);
    if (p->tok.kind != k)
        error_expected_tok(p, k);
    lh_parse_next(p);   /* make progress */
    return pos;
}

/* Like expect, but the position is invalid when the token is missing. */
lh_pos lh_parse_expect2(parser *p, lh_tok_kind k)
{
    lh_pos pos = lh_no_pos();
    if (p->tok.kind == k)
        pos = lh_parse_pos(p);
    else
        error_expected_tok(p, k);
    lh_parse_next(p);
    return pos;
}

/* Like expect, with a better message for a missing comma before a newline. */
lh_pos lh_parse_expect_closing(parser *p, lh_tok_kind k, const char *context)
{
    if (p->tok.kind != k && is_newline_semi(p)) {
        lh_parse_error(p, lh_parse_pos(p), "missing ',' before newline in %s", context);
        lh_parse_next(p);
    }
    return lh_parse_expect(p, k);
}

void lh_parse_expect_semi(parser *p)
{
    /* A semicolon may be omitted before a closing ')' or '}'. */
    switch (p->tok.kind) {
    case LH_TOK_RPAREN:
    case LH_TOK_RBRACE:
        return;
    case LH_TOK_COMMA:
        /* permit a ',' instead of a ';' but complain */
        error_expected_tok(p, LH_TOK_SEMICOLON);
        lh_parse_next(p);
        return;
    case LH_TOK_SEMICOLON:
        lh_parse_next(p);
        return;
    default:
        error_expected_tok(p, LH_TOK_SEMICOLON);
        lh_parse_advance(p, SYNC_STMT);
        return;
    }
}

bool lh_parse_at_comma(parser *p, const char *context, lh_tok_kind follow)
{
    if (p->tok.kind == LH_TOK_COMMA)
        return true;
    if (p->tok.kind != follow) {
        lh_parse_error(p, lh_parse_pos(p), "missing ','%s in %s",
                   is_newline_semi(p) ? " before newline" : "", context);
        return true;    /* "insert" the comma and go on */
    }
    return false;
}

static bool in_sync_set(sync_set to, lh_tok_kind k)
{
    switch (k) {
    case LH_TOK_IMPORT:
        return to == SYNC_DECL;
    case LH_TOK_CONST:
    case LH_TOK_TYPE:
    case LH_TOK_VAR:
        return to != SYNC_EXPR;
    case LH_TOK_BREAK:
    case LH_TOK_CONTINUE:
    case LH_TOK_DEFER:
    case LH_TOK_FALLTHROUGH:
    case LH_TOK_FOR:
    case LH_TOK_GO:
    case LH_TOK_GOTO:
    case LH_TOK_IF:
    case LH_TOK_RETURN:
    case LH_TOK_SELECT:
    case LH_TOK_SWITCH:
        return to == SYNC_STMT;
    case LH_TOK_COMMA:
    case LH_TOK_COLON:
    case LH_TOK_SEMICOLON:
    case LH_TOK_RPAREN:
    case LH_TOK_RBRACK:
    case LH_TOK_RBRACE:
        return to == SYNC_EXPR;
    default:
        return false;
    }
}

/* Skips to a token of the follow set (or EOF) for error recovery. Returns
 * without consuming only when it made progress since the last sync, or a
 * few times at the same place: both a production and its caller may sync
 * at one token, but never forever. */
void lh_parse_advance(parser *p, sync_set to)
{
    for (; p->tok.kind != LH_TOK_EOF; lh_parse_next(p)) {
        if (!in_sync_set(to, p->tok.kind))
            continue;
        if (p->tok.off == p->sync_off && p->sync_cnt < 10) {
            p->sync_cnt++;
            return;
        }
        if (p->tok.off > p->sync_off) {
            p->sync_off = p->tok.off;
            p->sync_cnt = 0;
            return;
        }
    }
}

void lh_parse_too_deep(parser *p)
{
    /* Once bailing, the unwinding goes at most a few frames deeper. */
    if (!p->bailing) {
        lh_parse_error(p, lh_parse_pos(p), "exceeded max nesting depth");
        bail_out(p);
    }
}

/* ---- nodes and lists -------------------------------------------------------- */

static const uint16_t node_size[] = {
#define LH_AST_SIZE(e, name, type) sizeof(type),
    LH_AST_KINDS(LH_AST_SIZE)
#undef LH_AST_SIZE
};

/* Nodes and lists are small and many: they come from chunks of the arena,
 * bumped here with 8-byte alignment (the arena aligns every allocation for
 * any type, which costs padding and a call per node). */
void *lh_parse_alloc(parser *p, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if ((size_t)(p->chunk_end - p->chunk) < n) {
        size_t size = n > 32768 ? n : 32768;
        p->chunk = lh_arena_alloc_raw(p->arena, size);
        p->chunk_end = p->chunk + size;
    }
    void *r = p->chunk;
    p->chunk += n;
    return r;
}

void *lh_parse_node(parser *p, lh_node_kind k, lh_pos pos)
{
    lh_node *n = lh_parse_alloc(p, node_size[k]);
    memset(n, 0, node_size[k]);
    n->kind = (uint8_t)k;
    n->pos = pos;
    n->end = p->prev_end;
    return n;
}

void lh_parse_push(parser *p, lh_node *n)
{
    if (p->stk_len == p->stk_cap) {
        size_t cap = p->stk_cap ? p->stk_cap * 2 : 256;
        lh_node **s = realloc(p->stk, cap * sizeof *s);
        if (!s) {
            fputs("leakhound: out of memory\n", stderr);
            abort();
        }
        p->stk = s;
        p->stk_cap = cap;
    }
    p->stk[p->stk_len++] = n;
}

lh_list lh_parse_take(parser *p, size_t mark)
{
    lh_list l = {NULL, (uint32_t)(p->stk_len - mark)};
    if (l.n) {
        l.v = lh_parse_alloc(p, l.n * sizeof *l.v);
        memcpy(l.v, p->stk + mark, l.n * sizeof *l.v);
    }
    p->stk_len = mark;
    return l;
}

lh_list lh_parse_list1(parser *p, lh_node *n)
{
    lh_list l = {lh_parse_alloc(p, sizeof(lh_node *)), 1};
    l.v[0] = n;
    return l;
}

lh_node *lh_parse_bad_expr(parser *p, lh_pos from)
{
    return lh_parse_node(p, LH_BAD_EXPR, from);
}

/* ---- declarations ----------------------------------------------------------- */

static void add_import(parser *p, lh_node *spec)
{
    if (p->nimports == p->imports_cap) {
        uint32_t cap = p->imports_cap ? p->imports_cap * 2 : 16;
        p->imports = lh_arena_realloc(p->arena, p->imports, p->imports_cap * sizeof(lh_node *),
                                      cap * sizeof(lh_node *));
        p->imports_cap = cap;
    }
    p->imports[p->nimports++] = spec;
}

/* ImportSpec = [ "." | PackageName ] ImportPath .
 * Whether the path is a valid import path is the type checker's question
 * (go/parser stopped asking in Go 1.20): any string literal will do here. */
static lh_node *parse_import_spec(parser *p, lh_tok_kind keyword, int iota)
{
    (void)keyword;
    (void)iota;
    lh_node *name = NULL;
    if (p->tok.kind == LH_TOK_PERIOD) {
        lh_ident *id = lh_parse_node(p, LH_IDENT, lh_parse_pos(p));
        id->name = (lh_str){".", 1};
        lh_parse_next(p);
        id->n.end = p->prev_end;
        name = &id->n;
    } else if (p->tok.kind == LH_TOK_IDENT) {
        name = lh_parse_ident(p);
    }
    lh_pos pos = lh_parse_pos(p);
    lh_pos end = pos;
    lh_str path = {"", 0};
    if (p->tok.kind == LH_TOK_STRING) {
        path = (lh_str){p->tok.lit, p->tok.len};
        end = lh_parse_tok_end(p);
        lh_parse_next(p);
    } else if (lh_tok_is_literal(p->tok.kind)) {
        lh_parse_error(p, pos, "import path must be a string");
        lh_parse_next(p);
    } else {
        lh_parse_error(p, pos, "missing import path");
        lh_parse_advance(p, SYNC_EXPR);
    }
    lh_basic_lit *lit = lh_parse_node(p, LH_BASIC_LIT, pos);
    lit->kind = LH_TOK_STRING;
    lit->value = path;
    lit->value_end = end;
    lh_parse_expect_semi(p);
    lh_import_spec *spec = lh_parse_node(p, LH_IMPORT_SPEC, name ? name->pos : pos);
    spec->n.end = lit->n.end;
    spec->name = name;
    spec->path = &lit->n;
    add_import(p, &spec->n);
    return &spec->n;
}

/* ConstSpec = IdentifierList [ [ Type ] "=" ExpressionList ] .
 * VarSpec   = IdentifierList ( Type [ "=" ExpressionList ] | "=" ExpressionList ) .
 * A constant without a value (outside a group's implicit repetition) is
 * left to the type checker, as go/parser does since Go 1.20; a variable
 * needs a type or a value here. */
static lh_node *parse_value_spec(parser *p, lh_tok_kind keyword, int iota)
{
    (void)iota;
    lh_list names = lh_parse_ident_list(p);
    lh_node *typ = NULL;
    lh_list values = {NULL, 0};
    lh_tok_kind k = p->tok.kind;
    if (keyword == LH_TOK_CONST) {
        if (k != LH_TOK_EOF && k != LH_TOK_SEMICOLON && k != LH_TOK_RPAREN) {
            typ = lh_parse_try_ident_or_type(p);
            if (p->tok.kind == LH_TOK_ASSIGN) {
                lh_parse_next(p);
                values = lh_parse_list(p, true);
            }
        }
    } else {
        if (k != LH_TOK_ASSIGN)
            typ = lh_parse_type(p);
        if (p->tok.kind == LH_TOK_ASSIGN) {
            lh_parse_next(p);
            values = lh_parse_list(p, true);
        }
    }
    lh_parse_expect_semi(p);
    lh_value_spec *spec = lh_parse_node(p, LH_VALUE_SPEC, names.v[0]->pos);
    spec->names = names;
    spec->type = typ;
    spec->values = values;
    spec->n.end = values.n ? values.v[values.n - 1]->end : typ ? typ->end : names.v[names.n - 1]->end;
    return &spec->n;
}

/* Whether x is a type element for sure (not also a value expression). */
static bool is_type_elem(lh_node *x)
{
    switch (x->kind) {
    case LH_ARRAY_TYPE:
    case LH_STRUCT_TYPE:
    case LH_FUNC_TYPE:
    case LH_INTERFACE_TYPE:
    case LH_MAP_TYPE:
    case LH_CHAN_TYPE:
        return true;
    case LH_BINARY_EXPR:
        return is_type_elem(LH_AS(x, lh_binary_expr)->x) || is_type_elem(LH_AS(x, lh_binary_expr)->y);
    case LH_UNARY_EXPR:
        return LH_AS(x, lh_unary_expr)->op == LH_TOK_TILDE;
    case LH_PAREN_EXPR:
        return is_type_elem(LH_AS(x, lh_paren_expr)->x);
    default:
        return false;
    }
}

/* Splits x into a type parameter name and its constraint when x can be read
 * as "name constraint" (P *C, P C|D, P(C)); force accepts splits whose
 * constraint could also be a value. Returns the name or NULL; *rest gets
 * the constraint (NULL when x is just a name). */
static lh_node *extract_name(parser *p, lh_node *x, bool force, lh_node **rest)
{
    *rest = x;
    switch (x->kind) {
    case LH_IDENT:
        *rest = NULL;
        return x;
    case LH_BINARY_EXPR: {
        lh_binary_expr *b = LH_AS(x, lh_binary_expr);
        if (b->op == LH_TOK_MUL) {
            if (b->x->kind == LH_IDENT && (force || is_type_elem(b->y))) {
                lh_star_expr *s = lh_parse_node(p, LH_STAR_EXPR, b->op_pos);
                s->x = b->y;
                s->n.end = b->y->end;
                *rest = &s->n;
                return b->x;
            }
        } else if (b->op == LH_TOK_OR) {
            lh_node *lhs;
            lh_node *name = extract_name(p, b->x, force || is_type_elem(b->y), &lhs);
            if (name && lhs) {
                lh_binary_expr *op = lh_parse_node(p, LH_BINARY_EXPR, lhs->pos);
                *op = *b;
                op->x = lhs;
                op->n.pos = lhs->pos;
                *rest = &op->n;
                return name;
            }
        }
        break;
    }
    case LH_CALL_EXPR: {
        /* name(constraint): the parentheses stay in the tree (go/parser
         * keeps them since Go 1.24). */
        lh_call_expr *c = LH_AS(x, lh_call_expr);
        if (c->fun->kind == LH_IDENT && c->args.n == 1 && !lh_pos_valid(c->ellipsis) &&
            (force || is_type_elem(c->args.v[0]))) {
            lh_paren_expr *pe = lh_parse_node(p, LH_PAREN_EXPR, c->lparen);
            pe->x = c->args.v[0];
            pe->inner = lh_ast_unparen(pe->x);
            pe->rparen = c->rparen;
            pe->n.end = c->n.end;
            *rest = &pe->n;
            return c->fun;
        }
        break;
    }
    default:
        break;
    }
    return NULL;
}

/* TypeParameters after "[" name0 [typ0]: the rest of the list, "]", and the
 * type (possibly an alias). */
static void parse_generic_type(parser *p, lh_type_spec *spec, lh_pos lbrack, lh_node *name0,
                               lh_node *typ0)
{
    lh_list list = lh_parse_parameter_list(p, name0, typ0, LH_TOK_RBRACK, false);
    lh_pos rbrack = lh_parse_expect(p, LH_TOK_RBRACK);
    lh_field_list *tp = lh_parse_node(p, LH_FIELD_LIST, lbrack);
    tp->list = list;
    tp->opening = lbrack;
    tp->closing = rbrack;
    spec->type_params = &tp->n;
    /* A generic alias (type A[P any] = T): Go 1.24's syntax. */
    if (p->tok.kind == LH_TOK_ASSIGN) {
        spec->assign = lh_parse_pos(p);
        lh_parse_next(p);
    }
    spec->type = lh_parse_type(p);
}

/* TypeSpec = identifier [ TypeParameters ] [ "=" ] Type . */
static lh_node *parse_type_spec(parser *p, lh_tok_kind keyword, int iota)
{
    (void)keyword;
    (void)iota;
    lh_node *name = lh_parse_ident(p);
    lh_type_spec *spec = lh_parse_node(p, LH_TYPE_SPEC, name->pos);
    spec->name = name;
    if (p->tok.kind == LH_TOK_LBRACK) {
        /* An array or slice type, or a type parameter list. */
        lh_pos lbrack = lh_parse_pos(p);
        lh_parse_next(p);
        if (p->tok.kind == LH_TOK_IDENT) {
            /* Parse an expression x and see whether it splits into a type
             * parameter name and constraint. "P []E" cannot be an array
             * length (index expressions are never constant), so a name
             * followed by "[" starts a constraint and is not parsed as x. */
            lh_node *x = lh_parse_ident(p);
            if (p->tok.kind != LH_TOK_LBRACK) {
                p->expr_lev++;
                lh_node *lhs = lh_parse_primary_expr(p, x);
                x = lh_parse_binary_expr(p, lhs, 1);
                p->expr_lev--;
            }
            lh_node *ptype;
            lh_node *pname = extract_name(p, x, p->tok.kind == LH_TOK_COMMA, &ptype);
            if (pname && (ptype || p->tok.kind != LH_TOK_RBRACK))
                parse_generic_type(p, spec, lbrack, pname, ptype);
            else
                spec->type = lh_parse_array_type(p, lbrack, x);
        } else {
            spec->type = lh_parse_array_type(p, lbrack, NULL);
        }
    } else {
        if (p->tok.kind == LH_TOK_ASSIGN) {
            spec->assign = lh_parse_pos(p);
            lh_parse_next(p);
        }
        spec->type = lh_parse_type(p);
    }
    lh_parse_expect_semi(p);
    spec->n.end = spec->type ? spec->type->end : p->prev_end;
    return &spec->n;
}

typedef lh_node *(*spec_fn)(parser *p, lh_tok_kind keyword, int iota);

/* GenDecl = keyword ( Spec | "(" { Spec ";" } ")" ) . */
static lh_node *parse_gen_decl(parser *p, lh_tok_kind keyword, spec_fn f)
{
    lh_pos pos = lh_parse_expect(p, keyword);
    lh_pos lparen = lh_no_pos(), rparen = lh_no_pos();
    size_t mark = p->stk_len;
    if (p->tok.kind == LH_TOK_LPAREN) {
        lparen = lh_parse_pos(p);
        lh_parse_next(p);
        for (int iota = 0; p->tok.kind != LH_TOK_RPAREN && p->tok.kind != LH_TOK_EOF; iota++)
            lh_parse_push(p, f(p, keyword, iota));
        rparen = lh_parse_expect(p, LH_TOK_RPAREN);
        lh_parse_expect_semi(p);
    } else {
        lh_parse_push(p, f(p, keyword, 0));
    }
    lh_gen_decl *d = lh_parse_node(p, LH_GEN_DECL, pos);
    d->tok = (uint8_t)keyword;
    d->specs = lh_parse_take(p, mark);
    d->lparen = lparen;
    d->rparen = rparen;
    if (lh_pos_valid(rparen))
        d->n.end = rparen.off + 1;
    else if (d->specs.n)
        d->n.end = d->specs.v[0]->end;
    return &d->n;
}

/* FunctionDecl = "func" [ Receiver ] FunctionName [ TypeParameters ] Signature [ FunctionBody ] . */
static lh_node *parse_func_decl(parser *p)
{
    lh_pos pos = lh_parse_expect(p, LH_TOK_FUNC);
    lh_node *recv = NULL;
    if (p->tok.kind == LH_TOK_LPAREN)
        recv = lh_parse_parameters(p, false);
    lh_node *name = lh_parse_ident(p);
    lh_node *tparams = NULL;
    if (p->tok.kind == LH_TOK_LBRACK) {
        tparams = lh_parse_type_parameters(p);
        if (recv && tparams) {
            /* parsed for the message and for recovery */
            lh_parse_error(p, LH_AS(tparams, lh_field_list)->opening,
                           "method must have no type parameters");
            tparams = NULL;
        }
    }
    lh_node *params = lh_parse_parameters(p, false);
    lh_node *results = lh_parse_parameters(p, true);
    lh_func_type *ft = lh_parse_node(p, LH_FUNC_TYPE, pos);
    ft->func = pos;
    ft->type_params = tparams;
    ft->params = params;
    ft->results = results;

    lh_node *body = NULL;
    switch (p->tok.kind) {
    case LH_TOK_LBRACE:
        body = lh_parse_body(p);
        lh_parse_expect_semi(p);
        break;
    case LH_TOK_SEMICOLON:
        lh_parse_next(p);
        if (p->tok.kind == LH_TOK_LBRACE) {
            lh_parse_error(p, lh_parse_pos(p), "unexpected semicolon or newline before {");
            body = lh_parse_body(p);
            lh_parse_expect_semi(p);
        }
        break;
    default:
        lh_parse_expect_semi(p);
        break;
    }
    lh_func_decl *d = lh_parse_node(p, LH_FUNC_DECL, pos);
    d->recv = recv;
    d->name = name;
    d->type = &ft->n;
    d->body = body;
    d->n.end = body ? body->end : ft->n.end;
    return &d->n;
}

/* Declaration = ConstDecl | TypeDecl | VarDecl .
 * TopLevelDecl = Declaration | FunctionDecl | MethodDecl .
 * (An ImportDecl too, so that a misplaced one is parsed after its error.) */
lh_node *lh_parse_decl(parser *p, sync_set sync)
{
    switch (p->tok.kind) {
    case LH_TOK_IMPORT:
        return parse_gen_decl(p, LH_TOK_IMPORT, parse_import_spec);
    case LH_TOK_CONST:
    case LH_TOK_VAR:
        return parse_gen_decl(p, (lh_tok_kind)p->tok.kind, parse_value_spec);
    case LH_TOK_TYPE:
        return parse_gen_decl(p, LH_TOK_TYPE, parse_type_spec);
    case LH_TOK_FUNC:
        return parse_func_decl(p);
    default: {
        lh_pos pos = lh_parse_pos(p);
        lh_parse_error_expected(p, pos, "declaration");
        lh_parse_advance(p, sync);
        return lh_parse_node(p, LH_BAD_DECL, pos);
    }
    }
}

/* SourceFile = PackageClause ";" { ImportDecl ";" } { TopLevelDecl ";" } . */
static void parse_file(parser *p, lh_file *f)
{
    /* A file whose first token does not scan is likely not Go at all. */
    if (p->errs->len > p->errs_base)
        return;
    f->n.pos = lh_parse_expect(p, LH_TOK_PACKAGE);
    f->name = lh_parse_ident(p);
    lh_parse_expect_semi(p);
    if (p->errs->len > p->errs_base)
        return;
    size_t mark = p->stk_len;
    while (p->tok.kind == LH_TOK_IMPORT)
        lh_parse_push(p, parse_gen_decl(p, LH_TOK_IMPORT, parse_import_spec));
    lh_tok_kind prev = LH_TOK_IMPORT;
    while (p->tok.kind != LH_TOK_EOF) {
        if (p->tok.kind == LH_TOK_IMPORT && prev != LH_TOK_IMPORT)
            lh_parse_error(p, lh_parse_pos(p), "imports must appear before other declarations");
        prev = p->tok.kind;
        lh_parse_push(p, lh_parse_decl(p, SYNC_DECL));
    }
    f->decls = lh_parse_take(p, mark);
}

/* ---- entry points ------------------------------------------------------------ */

/* Line starts, so that any offset (a node's end) can be given a line and
 * column later; memchr makes this a small fraction of the parse. */
static void line_table(parser *p, lh_file *f, const char *src, size_t len)
{
    /* One pass into the (now idle) scratch stack's memory, then one copy. */
    size_t cap = p->stk_cap * sizeof(lh_node *) / sizeof(uint32_t);
    uint32_t *tmp = (uint32_t *)p->stk;
    uint32_t n = 0;
    const char *q = src, *e = src + len;
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            tmp = realloc(tmp, cap * sizeof *tmp);
            if (!tmp) {
                fputs("leakhound: out of memory\n", stderr);
                abort();
            }
            p->stk = (lh_node **)tmp;
            p->stk_cap = cap * sizeof *tmp / sizeof(lh_node *);
        }
        tmp[n++] = (uint32_t)(q - src);
    } while ((q = memchr(q, '\n', (size_t)(e - q))) && ++q);
    uint32_t *lines = lh_parse_alloc(p, n * sizeof *lines);
    memcpy(lines, tmp, n * sizeof *lines);
    /* As go/token: a newline ending the file starts no line (EOF stays on
     * the last line, after its newline). */
    if (n > 1 && lines[n - 1] == len)
        n--;
    f->lines = lines;
    f->nlines = n;
}

static _Thread_local size_t stack_budget;

void lh_parse_set_stack_budget(size_t bytes)
{
    stack_budget = bytes;
}

lh_file *lh_parse_file(lh_arena *arena, const char *path, const char *src, size_t len,
                       lh_diag_list *errs)
{
    parser *p = calloc(1, sizeof *p);
    if (!p) {
        fputs("leakhound: out of memory\n", stderr);
        abort();
    }
    p->arena = arena;
    p->errs = errs;
    p->errs_base = errs->len;
    p->stack_base = __builtin_frame_address(0);
    p->stack_budget = stack_budget ? stack_budget : LH_PARSE_DEFAULT_STACK;
    /* Frames above the checks (the deepest production's locals, the lexer,
     * libc) need some room the budget does not see. */
    p->stack_budget -= p->stack_budget / 8;

    lh_file *f = lh_arena_alloc(arena, sizeof *f);
    f->n.kind = LH_FILE;
    f->path = path;

    lh_lex_init(&p->lx, src, len, arena, errs);
    lh_parse_next(p);
    /* The comments before the first token are the top of the file, where
     * //go:build lines count; the last one that parses wins. */
    f->go_version = (lh_str){"", 0};
    for (uint32_t i = 0; i < p->lx.comments_len; i++) {
        const lh_comment *c = &p->lx.comments[i];
        lh_parse_go_build_version(c->text, c->len, arena, &f->go_version);
    }
    parse_file(p, f);
    f->n.end = (uint32_t)len;
    f->imports = (lh_list){p->imports, p->nimports};
    f->comments = p->lx.comments;
    f->ncomments = p->lx.comments_len;
    line_table(p, f, src, len);
    f->file_start = (lh_pos){0, 1, 1};
    f->file_end = lh_file_pos(f, (uint32_t)len);
    free(p->stk);
    free(p);
    return f;
}

typedef struct deep_call {
    void (*fn)(void *);
    void *arg;
} deep_call;

static void *deep_main(void *arg)
{
    deep_call *c = arg;
    lh_parse_set_stack_budget(LH_PARSE_STACK_SIZE - ((size_t)1 << 20));
    c->fn(c->arg);
    return NULL;
}

int lh_parse_run_deep(void (*fn)(void *), void *arg)
{
    deep_call c = {fn, arg};
    pthread_attr_t attr;
    pthread_t t;
    if (pthread_attr_init(&attr) == 0) {
        bool ok = pthread_attr_setstacksize(&attr, LH_PARSE_STACK_SIZE) == 0 &&
                  pthread_create(&t, &attr, deep_main, &c) == 0;
        pthread_attr_destroy(&attr);
        if (ok) {
            pthread_join(t, NULL);
            return 0;
        }
    }
    fn(arg);
    return -1;
}
