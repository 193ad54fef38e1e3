/* Statements. */
#include "go/parse_internal.h"

static lh_node *new_assign(parser *p, lh_list lhs, lh_pos tok_pos, lh_tok_kind tok, lh_list rhs)
{
    lh_assign_stmt *as = lh_parse_node(p, LH_ASSIGN_STMT, lhs.n ? lhs.v[0]->pos : lh_no_pos());
    as->lhs = lhs;
    as->tok_pos = tok_pos;
    as->tok = (uint8_t)tok;
    as->rhs = rhs;
    return &as->n;
}

static lh_node *new_expr_stmt(parser *p, lh_node *x)
{
    lh_expr_stmt *s = lh_parse_node(p, LH_EXPR_STMT, x->pos);
    s->x = x;
    return &s->n;
}

static lh_node *new_bad_stmt(parser *p, lh_pos from)
{
    return lh_parse_node(p, LH_BAD_STMT, from);
}

static bool is_assign_op(lh_tok_kind k)
{
    switch (k) {
    case LH_TOK_DEFINE:
    case LH_TOK_ASSIGN:
    case LH_TOK_ADD_ASSIGN:
    case LH_TOK_SUB_ASSIGN:
    case LH_TOK_MUL_ASSIGN:
    case LH_TOK_QUO_ASSIGN:
    case LH_TOK_REM_ASSIGN:
    case LH_TOK_AND_ASSIGN:
    case LH_TOK_OR_ASSIGN:
    case LH_TOK_XOR_ASSIGN:
    case LH_TOK_SHL_ASSIGN:
    case LH_TOK_SHR_ASSIGN:
    case LH_TOK_AND_NOT_ASSIGN:
        return true;
    default:
        return false;
    }
}

/* SimpleStmt = EmptyStmt | ExpressionStmt | SendStmt | IncDecStmt | Assignment | ShortVarDecl .
 * With SIMPLE_LABEL_OK also LabeledStmt; with SIMPLE_RANGE_OK also the
 * "lhs := range x" of a RangeClause, reported through *is_range (the result
 * is then an assignment whose single rhs is the unary "range x"). */
static lh_node *parse_simple_stmt(parser *p, simple_mode mode, bool *is_range)
{
    if (is_range)
        *is_range = false;
    lh_list x = lh_parse_list(p, false);

    if (is_assign_op(p->tok.kind)) {
        lh_pos pos = lh_parse_pos(p);
        lh_tok_kind tok = p->tok.kind;
        lh_parse_next(p);
        lh_list y;
        if (mode == SIMPLE_RANGE_OK && p->tok.kind == LH_TOK_RANGE &&
            (tok == LH_TOK_DEFINE || tok == LH_TOK_ASSIGN)) {
            lh_pos rpos = lh_parse_pos(p);
            lh_parse_next(p);
            lh_node *rx = lh_parse_rhs(p);
            lh_unary_expr *u = lh_parse_node(p, LH_UNARY_EXPR, rpos);
            u->op = LH_TOK_RANGE;
            u->x = rx;
            y = lh_parse_list1(p, &u->n);
            *is_range = true;
        } else {
            y = lh_parse_list(p, true);
        }
        /* "a.b := 1" too: the type checker wants names on the left. */
        return new_assign(p, x, pos, tok, y);
    }

    if (x.n > 1)
        lh_parse_error_expected(p, x.v[0]->pos, "1 expression");  /* go on with the first */

    switch (p->tok.kind) {
    case LH_TOK_COLON: {
        /* LabeledStmt = Label ":" Statement . */
        lh_pos colon = lh_parse_pos(p);
        lh_parse_next(p);
        if (mode == SIMPLE_LABEL_OK && x.v[0]->kind == LH_IDENT) {
            lh_node *stmt = lh_parse_stmt(p);
            lh_labeled_stmt *ls = lh_parse_node(p, LH_LABELED_STMT, x.v[0]->pos);
            ls->n.end = stmt->end;
            ls->label = x.v[0];
            ls->colon = colon;
            ls->stmt = stmt;
            return &ls->n;
        }
        /* Reported at the colon: the token that made the label bad may
         * sit before it, and only one error per line is kept. */
        lh_parse_error(p, colon, "illegal label declaration");
        return new_bad_stmt(p, x.v[0]->pos);
    }
    case LH_TOK_ARROW: {
        /* SendStmt = Channel "<-" Expression . */
        lh_pos arrow = lh_parse_pos(p);
        lh_parse_next(p);
        lh_node *y = lh_parse_rhs(p);
        lh_send_stmt *s = lh_parse_node(p, LH_SEND_STMT, x.v[0]->pos);
        s->chan = x.v[0];
        s->arrow = arrow;
        s->value = y;
        return &s->n;
    }
    case LH_TOK_INC:
    case LH_TOK_DEC: {
        /* IncDecStmt = Expression ( "++" | "--" ) . */
        uint8_t tok = p->tok.kind;
        lh_parse_next(p);
        lh_inc_dec_stmt *s = lh_parse_node(p, LH_INC_DEC_STMT, x.v[0]->pos);
        s->x = x.v[0];
        s->tok = tok;
        return &s->n;
    }
    default:
        return new_expr_stmt(p, x.v[0]);
    }
}

/* The call of a go or defer statement (which may be a conversion). */
static lh_node *parse_call_expr(parser *p, const char *call_type)
{
    lh_node *x = lh_parse_rhs(p);
    lh_node *t = lh_ast_unparen(x);
    if (t != x) {
        lh_parse_error(p, x->pos, "expression in %s must not be parenthesized", call_type);
        x = t;
    }
    if (x->kind == LH_CALL_EXPR)
        return x;
    /* only a new error is reported, at the end of x as go/parser does */
    if (x->kind != LH_BAD_EXPR)
        lh_parse_error(p, lh_parse_pos_at(p, x->end), "expression in %s must be function call",
                       call_type);
    return NULL;
}

/* GoStmt = "go" Expression .  DeferStmt = "defer" Expression . */
static lh_node *parse_go_or_defer_stmt(parser *p, lh_tok_kind kw)
{
    lh_pos pos = lh_parse_expect(p, kw);
    lh_node *call = parse_call_expr(p, kw == LH_TOK_GO ? "go" : "defer");
    lh_parse_expect_semi(p);
    if (!call)
        return new_bad_stmt(p, pos);
    if (kw == LH_TOK_GO) {
        lh_go_stmt *s = lh_parse_node(p, LH_GO_STMT, pos);
        s->call = call;
        s->n.end = call->end;
        return &s->n;
    }
    lh_defer_stmt *s = lh_parse_node(p, LH_DEFER_STMT, pos);
    s->call = call;
    s->n.end = call->end;
    return &s->n;
}

/* ReturnStmt = "return" [ ExpressionList ] . */
static lh_node *parse_return_stmt(parser *p)
{
    lh_pos pos = lh_parse_expect(p, LH_TOK_RETURN);
    lh_list x = {NULL, 0};
    if (p->tok.kind != LH_TOK_SEMICOLON && p->tok.kind != LH_TOK_RBRACE)
        x = lh_parse_list(p, true);
    uint32_t end = p->prev_end;
    lh_parse_expect_semi(p);
    lh_return_stmt *s = lh_parse_node(p, LH_RETURN_STMT, pos);
    s->n.end = end;
    s->results = x;
    return &s->n;
}

/* BreakStmt = "break" [ Label ] .  ContinueStmt = "continue" [ Label ] .
 * GotoStmt = "goto" Label .  FallthroughStmt = "fallthrough" . */
static lh_node *parse_branch_stmt(parser *p, lh_tok_kind tok)
{
    lh_pos pos = lh_parse_expect(p, tok);
    lh_node *label = NULL;
    /* goto's label is required (go/parser checks since Go 1.25) */
    if (tok == LH_TOK_GOTO ||
        ((tok == LH_TOK_BREAK || tok == LH_TOK_CONTINUE) && p->tok.kind == LH_TOK_IDENT))
        label = lh_parse_ident(p);
    uint32_t end = p->prev_end;
    lh_parse_expect_semi(p);
    lh_branch_stmt *s = lh_parse_node(p, LH_BRANCH_STMT, pos);
    s->n.end = end;
    s->tok = (uint8_t)tok;
    s->label = label;
    return &s->n;
}

/* The expression a control clause's statement must be. */
static lh_node *make_expr(parser *p, lh_node *s, const char *want)
{
    if (!s)
        return NULL;
    if (s->kind == LH_EXPR_STMT)
        return LH_AS(s, lh_expr_stmt)->x;
    const char *found = s->kind == LH_ASSIGN_STMT ? "assignment" : "simple statement";
    lh_parse_error(p, s->pos, "expected %s, found %s (missing parentheses around composite literal?)",
               want, found);
    return lh_parse_bad_expr(p, s->pos);
}

/* IfStmt header: [ SimpleStmt ";" ] Expression . */
static void parse_if_header(parser *p, lh_node **init, lh_node **cond)
{
    *init = NULL;
    *cond = NULL;
    if (p->tok.kind == LH_TOK_LBRACE) {
        lh_parse_error(p, lh_parse_pos(p), "missing condition in if statement");
        *cond = lh_parse_bad_expr(p, lh_parse_pos(p));
        return;
    }
    int prev_lev = p->expr_lev;
    p->expr_lev = -1;
    if (p->tok.kind != LH_TOK_SEMICOLON) {
        /* accept a var declaration, but complain */
        if (p->tok.kind == LH_TOK_VAR) {
            lh_parse_next(p);
            lh_parse_error(p, lh_parse_pos(p), "var declaration not allowed in if initializer");
        }
        *init = parse_simple_stmt(p, SIMPLE_BASIC, NULL);
    }
    lh_node *cond_stmt = NULL;
    bool have_semi = false, semi_newline = false;
    lh_pos semi = lh_no_pos();
    if (p->tok.kind != LH_TOK_LBRACE) {
        if (p->tok.kind == LH_TOK_SEMICOLON) {
            have_semi = true;
            semi = lh_parse_pos(p);
            semi_newline = p->tok.auto_semi;
            lh_parse_next(p);
        } else {
            lh_parse_expect(p, LH_TOK_SEMICOLON);
        }
        if (p->tok.kind != LH_TOK_LBRACE)
            cond_stmt = parse_simple_stmt(p, SIMPLE_BASIC, NULL);
    } else {
        cond_stmt = *init;
        *init = NULL;
    }
    if (cond_stmt) {
        *cond = make_expr(p, cond_stmt, "boolean expression");
    } else if (have_semi) {
        if (semi_newline)
            lh_parse_error(p, semi, "unexpected newline, expecting { after if clause");
        else
            lh_parse_error(p, semi, "missing condition in if statement");
    }
    if (!*cond)
        *cond = lh_parse_bad_expr(p, lh_parse_pos(p));
    p->expr_lev = prev_lev;
}

/* IfStmt = "if" [ SimpleStmt ";" ] Expression Block [ "else" ( IfStmt | Block ) ] . */
static lh_node *parse_if_stmt(parser *p)
{
    lh_parse_inc_nest(p);
    lh_pos pos = lh_parse_expect(p, LH_TOK_IF);
    lh_node *init, *cond;
    parse_if_header(p, &init, &cond);
    lh_node *body = lh_parse_block_stmt(p);
    lh_node *els = NULL;
    if (p->tok.kind == LH_TOK_ELSE) {
        lh_parse_next(p);
        if (p->tok.kind == LH_TOK_IF) {
            els = parse_if_stmt(p);
        } else if (p->tok.kind == LH_TOK_LBRACE) {
            els = lh_parse_block_stmt(p);
            lh_parse_expect_semi(p);
        } else {
            lh_parse_error_expected(p, lh_parse_pos(p), "if statement or block");
            els = new_bad_stmt(p, lh_parse_pos(p));
        }
    } else {
        lh_parse_expect_semi(p);
    }
    lh_if_stmt *s = lh_parse_node(p, LH_IF_STMT, pos);
    s->init = init;
    s->cond = cond;
    s->body = body;
    s->els = els;
    p->nest--;
    return &s->n;
}

/* ExprCaseClause = ExprSwitchCase ":" StatementList .
 * TypeCaseClause = TypeSwitchCase ":" StatementList .
 * A type switch's cases are parsed as expressions too: expressions cover
 * the types, and the type checker tells the two apart. */
static lh_node *parse_case_clause(parser *p)
{
    lh_pos pos = lh_parse_pos(p);
    lh_list list = {NULL, 0};
    if (p->tok.kind == LH_TOK_CASE) {
        lh_parse_next(p);
        list = lh_parse_list(p, true);
    } else {
        lh_parse_expect(p, LH_TOK_DEFAULT);
    }
    lh_pos colon = lh_parse_expect(p, LH_TOK_COLON);
    lh_list body = lh_parse_stmt_list(p);
    lh_case_clause *c = lh_parse_node(p, LH_CASE_CLAUSE, pos);
    c->n.end = body.n ? body.v[body.n - 1]->end : colon.off + 1;
    c->list = list;
    c->colon = colon;
    c->body = body;
    return &c->n;
}

static bool is_type_switch_assert(lh_node *x)
{
    return x->kind == LH_TYPE_ASSERT_EXPR && !LH_AS(x, lh_type_assert_expr)->type;
}

static bool is_type_switch_guard(parser *p, lh_node *s)
{
    if (!s)
        return false;
    if (s->kind == LH_EXPR_STMT)
        return is_type_switch_assert(LH_AS(s, lh_expr_stmt)->x);   /* x.(type) */
    if (s->kind == LH_ASSIGN_STMT) {
        /* v := x.(type) */
        lh_assign_stmt *as = LH_AS(s, lh_assign_stmt);
        if (as->lhs.n == 1 && as->rhs.n == 1 && is_type_switch_assert(as->rhs.v[0])) {
            if (as->tok == LH_TOK_ASSIGN) {
                /* permit v = x.(type) but complain */
                lh_parse_error(p, as->tok_pos, "expected ':=', found '='");
                return true;
            }
            return as->tok == LH_TOK_DEFINE;
        }
    }
    return false;
}

/* SwitchStmt = ExprSwitchStmt | TypeSwitchStmt .
 * ExprSwitchStmt = "switch" [ SimpleStmt ";" ] [ Expression ] "{" { ExprCaseClause } "}" .
 * TypeSwitchStmt = "switch" [ SimpleStmt ";" ] TypeSwitchGuard "{" { TypeCaseClause } "}" . */
static lh_node *parse_switch_stmt(parser *p)
{
    lh_pos pos = lh_parse_expect(p, LH_TOK_SWITCH);
    lh_node *s1 = NULL, *s2 = NULL;
    if (p->tok.kind != LH_TOK_LBRACE) {
        int prev_lev = p->expr_lev;
        p->expr_lev = -1;
        if (p->tok.kind != LH_TOK_SEMICOLON)
            s2 = parse_simple_stmt(p, SIMPLE_BASIC, NULL);
        if (p->tok.kind == LH_TOK_SEMICOLON) {
            lh_parse_next(p);
            s1 = s2;
            s2 = NULL;
            if (p->tok.kind != LH_TOK_LBRACE)
                s2 = parse_simple_stmt(p, SIMPLE_BASIC, NULL);
        }
        p->expr_lev = prev_lev;
    }
    bool type_switch = is_type_switch_guard(p, s2);
    lh_pos lbrace = lh_parse_expect(p, LH_TOK_LBRACE);
    size_t mark = p->stk_len;
    while (p->tok.kind == LH_TOK_CASE || p->tok.kind == LH_TOK_DEFAULT)
        lh_parse_push(p, parse_case_clause(p));
    lh_pos rbrace = lh_parse_expect(p, LH_TOK_RBRACE);
    lh_parse_expect_semi(p);
    lh_block_stmt *body = lh_parse_node(p, LH_BLOCK_STMT, lbrace);
    body->list = lh_parse_take(p, mark);
    body->rbrace = rbrace;
    if (type_switch) {
        lh_type_switch_stmt *ts = lh_parse_node(p, LH_TYPE_SWITCH_STMT, pos);
        ts->init = s1;
        ts->assign = s2;
        ts->body = &body->n;
        return &ts->n;
    }
    lh_node *tag = make_expr(p, s2, "switch expression");
    lh_switch_stmt *sw = lh_parse_node(p, LH_SWITCH_STMT, pos);
    sw->init = s1;
    sw->tag = tag;
    sw->body = &body->n;
    return &sw->n;
}

/* CommClause = CommCase ":" StatementList .
 * CommCase = "case" ( SendStmt | RecvStmt ) | "default" .
 * RecvStmt = [ ExpressionList "=" | IdentifierList ":=" ] RecvExpr . */
static lh_node *parse_comm_clause(parser *p)
{
    lh_pos pos = lh_parse_pos(p);
    lh_node *comm = NULL;
    if (p->tok.kind == LH_TOK_CASE) {
        lh_parse_next(p);
        lh_list lhs = lh_parse_list(p, false);
        if (p->tok.kind == LH_TOK_ARROW) {
            if (lhs.n > 1)
                lh_parse_error_expected(p, lhs.v[0]->pos, "1 expression");
            lh_pos arrow = lh_parse_pos(p);
            lh_parse_next(p);
            lh_node *rhs = lh_parse_rhs(p);
            lh_send_stmt *s = lh_parse_node(p, LH_SEND_STMT, lhs.v[0]->pos);
            s->chan = lhs.v[0];
            s->arrow = arrow;
            s->value = rhs;
            comm = &s->n;
        } else if (p->tok.kind == LH_TOK_ASSIGN || p->tok.kind == LH_TOK_DEFINE) {
            lh_tok_kind tok = p->tok.kind;
            if (lhs.n > 2) {
                lh_parse_error_expected(p, lhs.v[0]->pos, "1 or 2 expressions");
                lhs.n = 2;  /* go on with the first two */
            }
            lh_pos tpos = lh_parse_pos(p);
            lh_parse_next(p);
            lh_node *rhs = lh_parse_rhs(p);
            comm = new_assign(p, lhs, tpos, tok, lh_parse_list1(p, rhs));
        } else {
            if (lhs.n > 1)
                lh_parse_error_expected(p, lhs.v[0]->pos, "1 expression");
            comm = new_expr_stmt(p, lhs.v[0]);
        }
    } else {
        lh_parse_expect(p, LH_TOK_DEFAULT);
    }
    lh_pos colon = lh_parse_expect(p, LH_TOK_COLON);
    lh_list body = lh_parse_stmt_list(p);
    lh_comm_clause *c = lh_parse_node(p, LH_COMM_CLAUSE, pos);
    c->n.end = body.n ? body.v[body.n - 1]->end : colon.off + 1;
    c->comm = comm;
    c->colon = colon;
    c->body = body;
    return &c->n;
}

/* SelectStmt = "select" "{" { CommClause } "}" . */
static lh_node *parse_select_stmt(parser *p)
{
    lh_pos pos = lh_parse_expect(p, LH_TOK_SELECT);
    lh_pos lbrace = lh_parse_expect(p, LH_TOK_LBRACE);
    size_t mark = p->stk_len;
    while (p->tok.kind == LH_TOK_CASE || p->tok.kind == LH_TOK_DEFAULT)
        lh_parse_push(p, parse_comm_clause(p));
    lh_pos rbrace = lh_parse_expect(p, LH_TOK_RBRACE);
    lh_parse_expect_semi(p);
    lh_block_stmt *body = lh_parse_node(p, LH_BLOCK_STMT, lbrace);
    body->list = lh_parse_take(p, mark);
    body->rbrace = rbrace;
    lh_select_stmt *s = lh_parse_node(p, LH_SELECT_STMT, pos);
    s->body = &body->n;
    return &s->n;
}

/* ForStmt = "for" [ Condition | ForClause | RangeClause ] Block .
 * ForClause = [ InitStmt ] ";" [ Condition ] ";" [ PostStmt ] .
 * RangeClause = [ ExpressionList "=" | IdentifierList ":=" ] "range" Expression . */
static lh_node *parse_for_stmt(parser *p)
{
    lh_pos pos = lh_parse_expect(p, LH_TOK_FOR);
    lh_node *s1 = NULL, *s2 = NULL, *s3 = NULL;
    bool is_range = false;
    if (p->tok.kind != LH_TOK_LBRACE) {
        int prev_lev = p->expr_lev;
        p->expr_lev = -1;
        if (p->tok.kind != LH_TOK_SEMICOLON) {
            if (p->tok.kind == LH_TOK_RANGE) {
                /* "for range x": an assignment without lhs */
                lh_pos rpos = lh_parse_pos(p);
                lh_parse_next(p);
                lh_node *rx = lh_parse_rhs(p);
                lh_unary_expr *u = lh_parse_node(p, LH_UNARY_EXPR, rpos);
                u->op = LH_TOK_RANGE;
                u->x = rx;
                s2 = new_assign(p, (lh_list){NULL, 0}, lh_no_pos(), LH_TOK_ILLEGAL,
                                lh_parse_list1(p, &u->n));
                is_range = true;
            } else {
                s2 = parse_simple_stmt(p, SIMPLE_RANGE_OK, &is_range);
            }
        }
        if (!is_range && p->tok.kind == LH_TOK_SEMICOLON) {
            lh_parse_next(p);
            s1 = s2;
            s2 = NULL;
            if (p->tok.kind != LH_TOK_SEMICOLON)
                s2 = parse_simple_stmt(p, SIMPLE_BASIC, NULL);
            lh_parse_expect_semi(p);
            if (p->tok.kind != LH_TOK_LBRACE)
                s3 = parse_simple_stmt(p, SIMPLE_BASIC, NULL);
        }
        p->expr_lev = prev_lev;
    }
    lh_node *body = lh_parse_block_stmt(p);
    lh_parse_expect_semi(p);

    if (is_range) {
        lh_assign_stmt *as = LH_AS(s2, lh_assign_stmt);
        lh_node *key = NULL, *value = NULL;
        switch (as->lhs.n) {
        case 0:
            break;
        case 1:
            key = as->lhs.v[0];
            break;
        case 2:
            key = as->lhs.v[0];
            value = as->lhs.v[1];
            break;
        default:
            lh_parse_error_expected(p, as->lhs.v[as->lhs.n - 1]->pos, "at most 2 expressions");
            return new_bad_stmt(p, pos);
        }
        lh_range_stmt *r = lh_parse_node(p, LH_RANGE_STMT, pos);
        r->key = key;
        r->value = value;
        r->tok_pos = as->tok_pos;
        r->tok = as->tok;
        r->range = as->rhs.v[0]->pos;
        r->x = LH_AS(as->rhs.v[0], lh_unary_expr)->x;
        r->body = body;
        return &r->n;
    }
    lh_node *cond = make_expr(p, s2, "boolean or range expression");
    lh_for_stmt *f = lh_parse_node(p, LH_FOR_STMT, pos);
    f->init = s1;
    f->cond = cond;
    f->post = s3;
    f->body = body;
    return &f->n;
}

/* Statement = Declaration | LabeledStmt | SimpleStmt | GoStmt | ReturnStmt |
 *             BreakStmt | ContinueStmt | GotoStmt | FallthroughStmt | Block |
 *             IfStmt | SwitchStmt | SelectStmt | ForStmt | DeferStmt . */
lh_node *lh_parse_stmt(parser *p)
{
    lh_parse_inc_nest(p);
    lh_node *s;
    switch (p->tok.kind) {
    case LH_TOK_CONST:
    case LH_TOK_TYPE:
    case LH_TOK_VAR: {
        lh_node *d = lh_parse_decl(p, SYNC_STMT);
        lh_decl_stmt *ds = lh_parse_node(p, LH_DECL_STMT, d->pos);
        ds->n.end = d->end;
        ds->decl = d;
        s = &ds->n;
        break;
    }
    /* tokens that may start an expression */
    case LH_TOK_IDENT:
    case LH_TOK_INT:
    case LH_TOK_FLOAT:
    case LH_TOK_IMAG:
    case LH_TOK_CHAR:
    case LH_TOK_STRING:
    case LH_TOK_FUNC:
    case LH_TOK_LPAREN:
    case LH_TOK_LBRACK:
    case LH_TOK_STRUCT:
    case LH_TOK_MAP:
    case LH_TOK_CHAN:
    case LH_TOK_INTERFACE:
    case LH_TOK_ADD:
    case LH_TOK_SUB:
    case LH_TOK_MUL:
    case LH_TOK_AND:
    case LH_TOK_XOR:
    case LH_TOK_ARROW:
    case LH_TOK_NOT:
        s = parse_simple_stmt(p, SIMPLE_LABEL_OK, NULL);
        /* a labeled statement ends with its statement, which took the ';' */
        if (s->kind != LH_LABELED_STMT)
            lh_parse_expect_semi(p);
        break;
    case LH_TOK_GO:
    case LH_TOK_DEFER:
        s = parse_go_or_defer_stmt(p, p->tok.kind);
        break;
    case LH_TOK_RETURN:
        s = parse_return_stmt(p);
        break;
    case LH_TOK_BREAK:
    case LH_TOK_CONTINUE:
    case LH_TOK_GOTO:
    case LH_TOK_FALLTHROUGH:
        s = parse_branch_stmt(p, p->tok.kind);
        break;
    case LH_TOK_LBRACE:
        s = lh_parse_block_stmt(p);
        lh_parse_expect_semi(p);
        break;
    case LH_TOK_IF:
        s = parse_if_stmt(p);
        break;
    case LH_TOK_SWITCH:
        s = parse_switch_stmt(p);
        break;
    case LH_TOK_SELECT:
        s = parse_select_stmt(p);
        break;
    case LH_TOK_FOR:
        s = parse_for_stmt(p);
        break;
    case LH_TOK_SEMICOLON: {
        lh_empty_stmt *e = lh_parse_node(p, LH_EMPTY_STMT, lh_parse_pos(p));
        e->implicit = p->tok.auto_semi;
        e->n.end = e->n.pos.off + (e->implicit ? 0 : 1);
        lh_parse_next(p);
        s = &e->n;
        break;
    }
    case LH_TOK_RBRACE: {
        /* a semicolon may be omitted before a closing "}" */
        lh_empty_stmt *e = lh_parse_node(p, LH_EMPTY_STMT, lh_parse_pos(p));
        e->implicit = true;
        e->n.end = e->n.pos.off;
        s = &e->n;
        break;
    }
    default: {
        lh_pos pos = lh_parse_pos(p);
        lh_parse_error_expected(p, pos, "statement");
        lh_parse_advance(p, SYNC_STMT);
        s = new_bad_stmt(p, pos);
        break;
    }
    }
    p->nest--;
    return s;
}

/* StatementList = { Statement ";" } . */
lh_list lh_parse_stmt_list(parser *p)
{
    size_t mark = p->stk_len;
    while (p->tok.kind != LH_TOK_CASE && p->tok.kind != LH_TOK_DEFAULT &&
           p->tok.kind != LH_TOK_RBRACE && p->tok.kind != LH_TOK_EOF)
        lh_parse_push(p, lh_parse_stmt(p));
    return lh_parse_take(p, mark);
}

/* Block = "{" StatementList "}" . */
lh_node *lh_parse_block_stmt(parser *p)
{
    lh_pos lbrace = lh_parse_expect(p, LH_TOK_LBRACE);
    lh_list list = lh_parse_stmt_list(p);
    lh_pos rbrace = lh_parse_expect2(p, LH_TOK_RBRACE);
    lh_block_stmt *b = lh_parse_node(p, LH_BLOCK_STMT, lbrace);
    b->list = list;
    b->rbrace = rbrace;
    return &b->n;
}
