/* Expressions: operands, primary, unary and binary expressions, literals. */
#include "go/parse_internal.h"

/* ---- identifiers and lists ---------------------------------------------------- */

/* identifier = letter { letter | unicode_digit } . */
lh_node *lh_parse_ident(parser *p)
{
    lh_ident *id = lh_parse_node(p, LH_IDENT, lh_parse_pos(p));
    if (p->tok.kind == LH_TOK_IDENT) {
        id->name = (lh_str){p->tok.lit, p->tok.len};
        lh_parse_next(p);
        id->n.end = p->prev_end;
    } else {
        id->name = (lh_str){"_", 1};
        lh_parse_expect(p, LH_TOK_IDENT);
    }
    return &id->n;
}

/* IdentifierList = identifier { "," identifier } . */
lh_list lh_parse_ident_list(parser *p)
{
    size_t mark = p->stk_len;
    lh_parse_push(p, lh_parse_ident(p));
    while (p->tok.kind == LH_TOK_COMMA) {
        lh_parse_next(p);
        lh_parse_push(p, lh_parse_ident(p));
    }
    return lh_parse_take(p, mark);
}

/* ExpressionList = Expression { "," Expression } . */
static lh_list parse_expr_list(parser *p)
{
    size_t mark = p->stk_len;
    lh_parse_push(p, lh_parse_expr(p));
    while (p->tok.kind == LH_TOK_COMMA) {
        lh_parse_next(p);
        lh_parse_push(p, lh_parse_expr(p));
    }
    return lh_parse_take(p, mark);
}

/* An ExpressionList on the left (in_rhs false) or right side of an
 * assignment; on the right a '=' can only be a mistyped '=='. */
lh_list lh_parse_list(parser *p, bool in_rhs)
{
    bool old = p->in_rhs;
    p->in_rhs = in_rhs;
    lh_list l = parse_expr_list(p);
    p->in_rhs = old;
    return l;
}

/* ---- expressions ------------------------------------------------------------------ */

/* FunctionBody = Block . */
lh_node *lh_parse_body(parser *p)
{
    return lh_parse_block_stmt(p);
}

/* FunctionLit = "func" Signature FunctionBody . (or just a function type) */
static lh_node *parse_func_type_or_lit(parser *p)
{
    lh_node *typ = lh_parse_func_type(p);
    if (p->tok.kind != LH_TOK_LBRACE)
        return typ;
    p->expr_lev++;
    lh_node *body = lh_parse_body(p);
    p->expr_lev--;
    lh_func_lit *fl = lh_parse_node(p, LH_FUNC_LIT, typ->pos);
    fl->type = typ;
    fl->body = body;
    return &fl->n;
}

/* Operand = Literal | OperandName [ TypeArgs ] | "(" Expression ")" .
 * May return a type (even [...]T): whether a type may stand where it
 * stands is the type checker's question (go/parser's since Go 1.20). */
static lh_node *parse_operand(parser *p)
{
    switch (p->tok.kind) {
    case LH_TOK_IDENT:
        return lh_parse_ident(p);
    case LH_TOK_INT:
    case LH_TOK_FLOAT:
    case LH_TOK_IMAG:
    case LH_TOK_CHAR:
    case LH_TOK_STRING: {
        lh_basic_lit *lit = lh_parse_node(p, LH_BASIC_LIT, lh_parse_pos(p));
        lit->kind = p->tok.kind;
        lit->value = (lh_str){p->tok.lit, p->tok.len};
        lit->value_end = lh_parse_tok_end(p);
        lh_parse_next(p);
        lit->n.end = p->prev_end;
        return &lit->n;
    }
    case LH_TOK_LPAREN: {
        lh_pos lparen = lh_parse_pos(p);
        lh_parse_next(p);
        p->expr_lev++;
        lh_node *x = lh_parse_rhs(p);   /* types may be parenthesized */
        p->expr_lev--;
        lh_pos rparen = lh_parse_expect(p, LH_TOK_RPAREN);
        lh_paren_expr *pe = lh_parse_node(p, LH_PAREN_EXPR, lparen);
        pe->x = x;
        pe->inner = lh_ast_unparen(x);
        pe->rparen = rparen;
        return &pe->n;
    }
    case LH_TOK_FUNC:
        return parse_func_type_or_lit(p);
    default:
        break;
    }
    lh_node *typ = lh_parse_try_ident_or_type(p);
    if (typ)    /* a composite literal type or a conversion */
        return typ;
    lh_pos pos = lh_parse_pos(p);
    lh_parse_error_expected(p, pos, "operand");
    lh_parse_advance(p, SYNC_STMT);
    return lh_parse_bad_expr(p, pos);
}

/* TypeAssertion = "." "(" Type ")" .  ("." consumed; x.(type) in switches) */
static lh_node *parse_type_assertion(parser *p, lh_node *x)
{
    lh_pos lparen = lh_parse_expect(p, LH_TOK_LPAREN);
    lh_node *typ = NULL;
    if (p->tok.kind == LH_TOK_TYPE)
        lh_parse_next(p);
    else
        typ = lh_parse_type(p);
    lh_pos rparen = lh_parse_expect(p, LH_TOK_RPAREN);
    lh_type_assert_expr *ta = lh_parse_node(p, LH_TYPE_ASSERT_EXPR, x->pos);
    ta->x = x;
    ta->type = typ;
    ta->lparen = lparen;
    ta->rparen = rparen;
    return &ta->n;
}

/* Index = "[" Expression "]" .
 * Slice = "[" [ Expression ] ":" [ Expression ] "]" |
 *         "[" [ Expression ] ":" Expression ":" Expression "]" .
 * TypeArgs = "[" TypeList [ "," ] "]" . */
static lh_node *parse_index_or_slice_or_instance(parser *p, lh_node *x)
{
    lh_pos lbrack = lh_parse_expect(p, LH_TOK_LBRACK);
    if (p->tok.kind == LH_TOK_RBRACK) {
        /* empty index: accept for tolerance, but complain */
        lh_parse_error_expected(p, lh_parse_pos(p), "operand");
        lh_pos rbrack = lh_parse_pos(p);
        lh_parse_next(p);
        lh_index_expr *ix = lh_parse_node(p, LH_INDEX_EXPR, x->pos);
        ix->x = x;
        ix->index = lh_parse_bad_expr(p, rbrack);
        ix->lbrack = lbrack;
        ix->rbrack = rbrack;
        return &ix->n;
    }
    p->expr_lev++;
    lh_node *index[3] = {NULL, NULL, NULL};
    lh_pos colons[2];
    int ncolons = 0;
    size_t mark = p->stk_len;
    bool instance = false;
    /* An index or a type instantiation: we cannot know, so no type context. */
    if (p->tok.kind != LH_TOK_COLON)
        index[0] = lh_parse_rhs(p);
    if (p->tok.kind == LH_TOK_COLON) {
        while (p->tok.kind == LH_TOK_COLON && ncolons < 2) {
            colons[ncolons++] = lh_parse_pos(p);
            lh_parse_next(p);
            if (p->tok.kind != LH_TOK_COLON && p->tok.kind != LH_TOK_RBRACK &&
                p->tok.kind != LH_TOK_EOF)
                index[ncolons] = lh_parse_rhs(p);
        }
    } else if (p->tok.kind == LH_TOK_COMMA) {
        instance = true;
        lh_parse_push(p, index[0]);
        while (p->tok.kind == LH_TOK_COMMA) {
            lh_parse_next(p);
            if (p->tok.kind != LH_TOK_RBRACK && p->tok.kind != LH_TOK_EOF)
                lh_parse_push(p, lh_parse_type(p));
        }
    }
    p->expr_lev--;
    lh_pos rbrack = lh_parse_expect(p, LH_TOK_RBRACK);

    if (ncolons > 0) {
        lh_slice_expr *s = lh_parse_node(p, LH_SLICE_EXPR, x->pos);
        if (ncolons == 2) {
            s->slice3 = true;
            /* checked here, not in the type checker, so gofmt never sees it */
            if (!index[1]) {
                lh_parse_error(p, colons[0], "middle index required in 3-index slice");
                index[1] = lh_parse_bad_expr(p, colons[0]);
            }
            if (!index[2]) {
                lh_parse_error(p, colons[1], "final index required in 3-index slice");
                index[2] = lh_parse_bad_expr(p, colons[1]);
            }
        }
        s->x = x;
        s->low = index[0];
        s->high = index[1];
        s->max = index[2];
        s->lbrack = lbrack;
        s->rbrack = rbrack;
        return &s->n;
    }
    if (!instance) {
        lh_index_expr *ix = lh_parse_node(p, LH_INDEX_EXPR, x->pos);
        ix->x = x;
        ix->index = index[0];
        ix->lbrack = lbrack;
        ix->rbrack = rbrack;
        return &ix->n;
    }
    return lh_parse_pack_index(p, x, lbrack, mark, rbrack);
}

/* Arguments = "(" [ ( ExpressionList | Type [ "," ExpressionList ] ) [ "..." ] [ "," ] ] ")" . */
static lh_node *parse_call_or_conversion(parser *p, lh_node *fun)
{
    lh_pos lparen = lh_parse_expect(p, LH_TOK_LPAREN);
    p->expr_lev++;
    size_t mark = p->stk_len;
    lh_pos ellipsis = lh_no_pos();
    while (p->tok.kind != LH_TOK_RPAREN && p->tok.kind != LH_TOK_EOF && !lh_pos_valid(ellipsis)) {
        lh_parse_push(p, lh_parse_rhs(p));  /* builtins take types: make(T, n) */
        if (p->tok.kind == LH_TOK_ELLIPSIS) {
            ellipsis = lh_parse_pos(p);
            lh_parse_next(p);
        }
        if (!lh_parse_at_comma(p, "argument list", LH_TOK_RPAREN))
            break;
        lh_parse_next(p);
    }
    p->expr_lev--;
    lh_pos rparen = lh_parse_expect_closing(p, LH_TOK_RPAREN, "argument list");
    lh_call_expr *c = lh_parse_node(p, LH_CALL_EXPR, fun->pos);
    c->fun = fun;
    c->args = lh_parse_take(p, mark);
    c->lparen = lparen;
    c->ellipsis = ellipsis;
    c->rparen = rparen;
    return &c->n;
}

static lh_node *parse_literal_value(parser *p, lh_node *typ);

/* Element = Expression | LiteralValue . */
static lh_node *parse_value(parser *p)
{
    if (p->tok.kind == LH_TOK_LBRACE)
        return parse_literal_value(p, NULL);
    return lh_parse_expr(p);
}

/* KeyedElement = [ Key ":" ] Element . */
static lh_node *parse_element(parser *p)
{
    lh_node *x = parse_value(p);
    if (p->tok.kind == LH_TOK_COLON) {
        lh_pos colon = lh_parse_pos(p);
        lh_parse_next(p);
        lh_node *v = parse_value(p);
        lh_key_value_expr *kv = lh_parse_node(p, LH_KEY_VALUE_EXPR, x->pos);
        kv->key = x;
        kv->value = v;
        kv->colon = colon;
        x = &kv->n;
    }
    return x;
}

/* LiteralValue = "{" [ ElementList [ "," ] ] "}" .
 * A nesting level of its own (go/parser's since Go 1.21), besides the
 * primary expression's. */
static lh_node *parse_literal_value(parser *p, lh_node *typ)
{
    lh_parse_inc_nest(p);
    lh_pos lbrace = lh_parse_expect(p, LH_TOK_LBRACE);
    size_t mark = p->stk_len;
    p->expr_lev++;
    if (p->tok.kind != LH_TOK_RBRACE) {
        while (p->tok.kind != LH_TOK_RBRACE && p->tok.kind != LH_TOK_EOF) {
            lh_parse_push(p, parse_element(p));
            if (!lh_parse_at_comma(p, "composite literal", LH_TOK_RBRACE))
                break;
            lh_parse_next(p);
        }
    }
    p->expr_lev--;
    lh_pos rbrace = lh_parse_expect_closing(p, LH_TOK_RBRACE, "composite literal");
    lh_composite_lit *cl = lh_parse_node(p, LH_COMPOSITE_LIT, typ ? typ->pos : lbrace);
    cl->type = typ;
    cl->elts = lh_parse_take(p, mark);
    cl->lbrace = lbrace;
    cl->rbrace = rbrace;
    p->nest--;
    return &cl->n;
}

/* PrimaryExpr = Operand | Conversion | MethodExpr | PrimaryExpr Selector |
 *               PrimaryExpr Index | PrimaryExpr Slice | PrimaryExpr TypeAssertion |
 *               PrimaryExpr Arguments . */
lh_node *lh_parse_primary_expr(parser *p, lh_node *x)
{
    if (!x)
        x = parse_operand(p);
    /* Each suffix counts as a nesting level, as in go/parser. */
    int n;
    for (n = 1;; n++) {
        lh_parse_inc_nest(p);
        switch (p->tok.kind) {
        case LH_TOK_PERIOD:
            lh_parse_next(p);
            if (p->tok.kind == LH_TOK_IDENT) {
                lh_node *sel = lh_parse_ident(p);
                lh_selector_expr *s = lh_parse_node(p, LH_SELECTOR_EXPR, x->pos);
                s->x = x;
                s->sel = sel;
                x = &s->n;
            } else if (p->tok.kind == LH_TOK_LPAREN) {
                x = parse_type_assertion(p, x);
            } else {
                lh_pos pos = lh_parse_pos(p);
                lh_parse_error_expected(p, pos, "selector or type assertion");
                if (p->tok.kind != LH_TOK_RBRACE)
                    lh_parse_next(p);   /* make progress */
                lh_ident *sel = lh_parse_node(p, LH_IDENT, pos);
                sel->name = (lh_str){"_", 1};
                lh_selector_expr *s = lh_parse_node(p, LH_SELECTOR_EXPR, x->pos);
                s->x = x;
                s->sel = &sel->n;
                x = &s->n;
            }
            break;
        case LH_TOK_LBRACK:
            x = parse_index_or_slice_or_instance(p, x);
            break;
        case LH_TOK_LPAREN:
            x = parse_call_or_conversion(p, x);
            break;
        case LH_TOK_LBRACE: {
            /* A composite literal, or the block of a control clause: with
             * expr_lev < 0 a bare type name does not start a literal. */
            lh_node *t = lh_ast_unparen(x);
            switch (t->kind) {
            case LH_BAD_EXPR:
            case LH_IDENT:
            case LH_SELECTOR_EXPR:
            case LH_INDEX_EXPR:
            case LH_INDEX_LIST_EXPR:
                if (p->expr_lev < 0)
                    goto done;
                break;
            case LH_ARRAY_TYPE:
            case LH_STRUCT_TYPE:
            case LH_MAP_TYPE:
                break;
            default:
                goto done;
            }
            if (t != x)
                lh_parse_error(p, t->pos, "cannot parenthesize type in composite literal");
            x = parse_literal_value(p, x);
            break;
        }
        default:
            goto done;
        }
    }
done:
    p->nest -= n;
    return x;
}

/* UnaryExpr = PrimaryExpr | unary_op UnaryExpr . */
static lh_node *parse_unary_expr(parser *p)
{
    lh_parse_inc_nest(p);
    lh_node *r;
    switch (p->tok.kind) {
    case LH_TOK_ADD:
    case LH_TOK_SUB:
    case LH_TOK_NOT:
    case LH_TOK_XOR:
    case LH_TOK_AND:
    case LH_TOK_TILDE: {
        lh_pos pos = lh_parse_pos(p);
        uint8_t op = p->tok.kind;
        lh_parse_next(p);
        lh_node *x = parse_unary_expr(p);
        lh_unary_expr *u = lh_parse_node(p, LH_UNARY_EXPR, pos);
        u->op = op;
        u->x = x;
        r = &u->n;
        break;
    }
    case LH_TOK_ARROW: {
        /* A receive, or a channel type "<-chan T": only the operand tells. */
        lh_pos arrow = lh_parse_pos(p);
        lh_parse_next(p);
        lh_node *x = parse_unary_expr(p);
        if (x->kind == LH_CHAN_TYPE) {
            /* <-(chan T) is <-chan T; <-(chan<- T) is <-chan (<-T):
             * move the arrow onto each channel type in turn. */
            lh_chan_type *typ = LH_AS(x, lh_chan_type);
            uint8_t dir = LH_CHAN_SEND;
            while (typ && dir == LH_CHAN_SEND) {
                if (typ->dir == LH_CHAN_RECV)
                    lh_parse_error_expected(p, typ->arrow, "'chan'");
                lh_pos old_arrow = typ->arrow;
                typ->n.pos = arrow;
                typ->arrow = arrow;
                arrow = old_arrow;
                dir = typ->dir;
                typ->dir = LH_CHAN_RECV;
                typ = typ->value->kind == LH_CHAN_TYPE ? LH_AS(typ->value, lh_chan_type) : NULL;
            }
            if (dir == LH_CHAN_SEND)
                lh_parse_error_expected(p, arrow, "channel type");
            r = x;
            break;
        }
        lh_unary_expr *u = lh_parse_node(p, LH_UNARY_EXPR, arrow);
        u->op = LH_TOK_ARROW;
        u->x = x;
        r = &u->n;
        break;
    }
    case LH_TOK_MUL: {
        /* pointer type or indirection */
        lh_pos pos = lh_parse_pos(p);
        lh_parse_next(p);
        lh_node *x = parse_unary_expr(p);
        lh_star_expr *s = lh_parse_node(p, LH_STAR_EXPR, pos);
        s->x = x;
        r = &s->n;
        break;
    }
    default:
        r = lh_parse_primary_expr(p, NULL);
        break;
    }
    p->nest--;
    return r;
}

static int tok_prec(parser *p, lh_tok_kind *op)
{
    lh_tok_kind k = p->tok.kind;
    if (p->in_rhs && k == LH_TOK_ASSIGN)
        k = LH_TOK_EQL;
    *op = k;
    return lh_tok_precedence(k);
}

/* Expression = UnaryExpr | Expression binary_op Expression .
 * x, when given, is the left operand. */
lh_node *lh_parse_binary_expr(parser *p, lh_node *x, int prec1)
{
    if (!x)
        x = parse_unary_expr(p);
    int n;
    for (n = 1;; n++) {
        lh_parse_inc_nest(p);
        lh_tok_kind op;
        int prec = tok_prec(p, &op);
        if (prec < prec1)
            break;
        lh_pos pos = lh_parse_expect(p, op);
        lh_node *y = lh_parse_binary_expr(p, NULL, prec + 1);
        lh_binary_expr *b = lh_parse_node(p, LH_BINARY_EXPR, x->pos);
        b->x = x;
        b->op = (uint8_t)op;
        b->op_pos = pos;
        b->y = y;
        x = &b->n;
    }
    p->nest -= n;
    return x;
}

/* May return a type or even a raw [...]T. */
lh_node *lh_parse_expr(parser *p)
{
    return lh_parse_binary_expr(p, NULL, 1);
}

/* An expression on the right of an assignment (or anywhere a '=' can only
 * be a mistyped '=='); a type is accepted too: conversions, make(T, n),
 * parenthesized types. */
lh_node *lh_parse_rhs(parser *p)
{
    bool old = p->in_rhs;
    p->in_rhs = true;
    lh_node *x = lh_parse_expr(p);
    p->in_rhs = old;
    return x;
}
