/* Types: type names and instantiations, type literals, parameter and
 * type parameter lists, interface elements and type sets. */
#include <string.h>

#include "go/parse_internal.h"

/* ---- types ---------------------------------------------------------------------- */

/* Type = TypeName [ TypeArgs ] | TypeLit | "(" Type ")" . */
lh_node *lh_parse_type(parser *p)
{
    lh_node *typ = lh_parse_try_ident_or_type(p);
    if (!typ) {
        lh_pos pos = lh_parse_pos(p);
        lh_parse_error_expected(p, pos, "type");
        lh_parse_advance(p, SYNC_EXPR);
        return lh_parse_bad_expr(p, pos);
    }
    return typ;
}

/* TypeName = identifier | PackageName "." identifier . */
static lh_node *parse_type_name(parser *p, lh_node *ident)
{
    if (!ident)
        ident = lh_parse_ident(p);
    if (p->tok.kind == LH_TOK_PERIOD) {
        lh_parse_next(p);
        lh_node *sel = lh_parse_ident(p);
        lh_selector_expr *s = lh_parse_node(p, LH_SELECTOR_EXPR, ident->pos);
        s->x = ident;
        s->sel = sel;
        return &s->n;
    }
    return ident;
}

/* One index: IndexExpr; more: IndexListExpr (go/ast's packing). */
lh_node *lh_parse_pack_index(parser *p, lh_node *x, lh_pos lbrack, size_t mark, lh_pos rbrack)
{
    if (p->stk_len - mark == 1) {
        lh_index_expr *ix = lh_parse_node(p, LH_INDEX_EXPR, x->pos);
        ix->x = x;
        ix->index = p->stk[mark];
        p->stk_len = mark;
        ix->lbrack = lbrack;
        ix->rbrack = rbrack;
        return &ix->n;
    }
    lh_index_list_expr *il = lh_parse_node(p, LH_INDEX_LIST_EXPR, x->pos);
    il->x = x;
    il->indices = lh_parse_take(p, mark);
    il->lbrack = lbrack;
    il->rbrack = rbrack;
    return &il->n;
}

/* TypeArgs = "[" TypeList [ "," ] "]" . */
static lh_node *parse_type_instance(parser *p, lh_node *typ)
{
    lh_pos opening = lh_parse_expect(p, LH_TOK_LBRACK);
    p->expr_lev++;
    size_t mark = p->stk_len;
    while (p->tok.kind != LH_TOK_RBRACK && p->tok.kind != LH_TOK_EOF) {
        lh_parse_push(p, lh_parse_type(p));
        if (!lh_parse_at_comma(p, "type argument list", LH_TOK_RBRACK))
            break;
        lh_parse_next(p);
    }
    p->expr_lev--;
    lh_pos closing = lh_parse_expect_closing(p, LH_TOK_RBRACK, "type argument list");
    if (p->stk_len == mark) {
        lh_parse_error_expected(p, closing, "type argument list");
        lh_index_expr *ix = lh_parse_node(p, LH_INDEX_EXPR, typ->pos);
        ix->x = typ;
        lh_pos bad = opening;
        bad.off++;
        bad.col++;
        ix->index = lh_parse_bad_expr(p, bad);
        ix->lbrack = opening;
        ix->rbrack = closing;
        return &ix->n;
    }
    return lh_parse_pack_index(p, typ, opening, mark, closing);
}

/* TypeName [ TypeArgs ] after a first identifier. */
static lh_node *parse_qualified_ident(parser *p, lh_node *ident)
{
    lh_node *typ = parse_type_name(p, ident);
    if (p->tok.kind == LH_TOK_LBRACK)
        typ = parse_type_instance(p, typ);
    return typ;
}

/* ArrayType = "[" ArrayLength "]" ElementType .  SliceType = "[" "]" ElementType .
 * "[" has been consumed; len, when not NULL, is the length already parsed. */
lh_node *lh_parse_array_type(parser *p, lh_pos lbrack, lh_node *len)
{
    if (!len) {
        p->expr_lev++;
        /* always permit ellipsis for more fault-tolerant parsing */
        if (p->tok.kind == LH_TOK_ELLIPSIS) {
            len = lh_parse_node(p, LH_ELLIPSIS, lh_parse_pos(p));
            lh_parse_next(p);
            len->end = p->prev_end;
        } else if (p->tok.kind != LH_TOK_RBRACK) {
            len = lh_parse_rhs(p);
        }
        p->expr_lev--;
    }
    if (p->tok.kind == LH_TOK_COMMA) {
        /* trailing commas are for type parameter lists, not arrays */
        lh_parse_error(p, lh_parse_pos(p), "unexpected comma; expecting ]");
        lh_parse_next(p);
    }
    lh_parse_expect(p, LH_TOK_RBRACK);
    lh_node *elt = lh_parse_type(p);
    lh_array_type *a = lh_parse_node(p, LH_ARRAY_TYPE, lbrack);
    a->len = len;
    a->elt = elt;
    return &a->n;
}

/* After a name x followed by "[": either a field or parameter "x [N]E" /
 * "x []E", or an instantiated type "x[A, B]" (a trailing comma allowed).
 * Returns the type; *name is x in the first case and NULL in the second. */
static lh_node *parse_array_field_or_type_instance(parser *p, lh_node *x, lh_node **name)
{
    lh_pos lbrack = lh_parse_expect(p, LH_TOK_LBRACK);
    lh_pos trailing_comma = lh_no_pos();
    size_t mark = p->stk_len;
    if (p->tok.kind != LH_TOK_RBRACK) {
        p->expr_lev++;
        lh_parse_push(p, lh_parse_rhs(p));
        while (p->tok.kind == LH_TOK_COMMA) {
            lh_pos comma = lh_parse_pos(p);
            lh_parse_next(p);
            if (p->tok.kind == LH_TOK_RBRACK) {
                trailing_comma = comma;
                break;
            }
            lh_parse_push(p, lh_parse_rhs(p));
        }
        p->expr_lev--;
    }
    lh_pos rbrack = lh_parse_expect(p, LH_TOK_RBRACK);
    size_t nargs = p->stk_len - mark;
    *name = x;
    if (nargs == 0) {
        /* x []E */
        lh_node *elt = lh_parse_type(p);
        lh_array_type *a = lh_parse_node(p, LH_ARRAY_TYPE, lbrack);
        a->elt = elt;
        return &a->n;
    }
    if (nargs == 1) {
        lh_node *elt = lh_parse_try_ident_or_type(p);
        if (elt) {
            /* x [P]E */
            if (lh_pos_valid(trailing_comma))
                lh_parse_error(p, trailing_comma, "unexpected comma; expecting ]");
            lh_array_type *a = lh_parse_node(p, LH_ARRAY_TYPE, lbrack);
            a->len = p->stk[mark];
            p->stk_len = mark;
            a->elt = elt;
            return &a->n;
        }
    }
    /* x[P], x[P1, P2], ... */
    *name = NULL;
    return lh_parse_pack_index(p, x, lbrack, mark, rbrack);
}

static lh_node *new_field(parser *p, lh_list names, lh_node *typ, lh_node *tag)
{
    lh_pos pos = names.n ? names.v[0]->pos : typ ? typ->pos : lh_no_pos();
    lh_field *f = lh_parse_node(p, LH_FIELD, pos);
    f->names = names;
    f->type = typ;
    f->tag = tag;
    /* Built after the whole list in parameter lists: end from the parts. */
    f->n.end = tag ? tag->end : typ ? typ->end : names.n ? names.v[names.n - 1]->end : f->n.end;
    return &f->n;
}

/* After "(" or "*(" of an embedded field: the closing ')' may be missing
 * without a second complaint. */
static void skip_rparen(parser *p)
{
    if (p->tok.kind == LH_TOK_RPAREN)
        lh_parse_next(p);
}

static lh_node *new_star(parser *p, lh_pos star, lh_node *x)
{
    lh_star_expr *s = lh_parse_node(p, LH_STAR_EXPR, star);
    s->x = x;
    return &s->n;
}

/* FieldDecl = (IdentifierList Type | EmbeddedField) [ Tag ] .
 * EmbeddedField = [ "*" ] TypeName [ TypeArgs ] . */
static lh_node *parse_field_decl(parser *p)
{
    lh_list names = {NULL, 0};
    lh_node *typ;
    if (p->tok.kind == LH_TOK_IDENT) {
        lh_node *name = lh_parse_ident(p);
        lh_tok_kind k = p->tok.kind;
        if (k == LH_TOK_PERIOD || k == LH_TOK_STRING || k == LH_TOK_SEMICOLON || k == LH_TOK_RBRACE) {
            /* embedded type */
            typ = name;
            if (k == LH_TOK_PERIOD)
                typ = parse_qualified_ident(p, name);
        } else {
            /* name1, name2, ... T */
            size_t mark = p->stk_len;
            lh_parse_push(p, name);
            while (p->tok.kind == LH_TOK_COMMA) {
                lh_parse_next(p);
                lh_parse_push(p, lh_parse_ident(p));
            }
            /* A single name and "[": field of array type, or an embedded
             * instantiated type T[P1, P2]. */
            if (p->stk_len - mark == 1 && p->tok.kind == LH_TOK_LBRACK) {
                p->stk_len = mark;
                lh_node *nm;
                typ = parse_array_field_or_type_instance(p, name, &nm);
                if (nm)
                    names = lh_parse_list1(p, nm);
            } else {
                names = lh_parse_take(p, mark);
                typ = lh_parse_type(p);
            }
        }
    } else if (p->tok.kind == LH_TOK_MUL) {
        /* *T, or *(T) parsed for the message */
        lh_pos star = lh_parse_pos(p);
        lh_parse_next(p);
        if (p->tok.kind == LH_TOK_LPAREN) {
            lh_parse_error(p, lh_parse_pos(p), "cannot parenthesize embedded type");
            lh_parse_next(p);
            typ = parse_qualified_ident(p, NULL);
            skip_rparen(p);
        } else {
            typ = parse_qualified_ident(p, NULL);
        }
        typ = new_star(p, star, typ);
    } else if (p->tok.kind == LH_TOK_LPAREN) {
        /* (T) or (*T): parsed for the message */
        lh_parse_error(p, lh_parse_pos(p), "cannot parenthesize embedded type");
        lh_parse_next(p);
        if (p->tok.kind == LH_TOK_MUL) {
            lh_pos star = lh_parse_pos(p);
            lh_parse_next(p);
            typ = new_star(p, star, parse_qualified_ident(p, NULL));
        } else {
            typ = parse_qualified_ident(p, NULL);
        }
        skip_rparen(p);
    } else {
        lh_pos pos = lh_parse_pos(p);
        lh_parse_error_expected(p, pos, "field name or embedded type");
        lh_parse_advance(p, SYNC_EXPR);
        typ = lh_parse_bad_expr(p, pos);
    }
    lh_node *tag = NULL;
    if (p->tok.kind == LH_TOK_STRING) {
        lh_basic_lit *lit = lh_parse_node(p, LH_BASIC_LIT, lh_parse_pos(p));
        lit->kind = LH_TOK_STRING;
        lit->value = (lh_str){p->tok.lit, p->tok.len};
        lit->value_end = lh_parse_tok_end(p);
        lh_parse_next(p);
        lit->n.end = p->prev_end;
        tag = &lit->n;
    }
    lh_parse_expect_semi(p);
    return new_field(p, names, typ, tag);
}

/* StructType = "struct" "{" { FieldDecl ";" } "}" . */
static lh_node *parse_struct_type(parser *p)
{
    lh_pos pos = lh_parse_expect(p, LH_TOK_STRUCT);
    lh_pos lbrace = lh_parse_expect(p, LH_TOK_LBRACE);
    size_t mark = p->stk_len;
    /* A field cannot start with '(' but accepting it gives better errors. */
    while (p->tok.kind == LH_TOK_IDENT || p->tok.kind == LH_TOK_MUL || p->tok.kind == LH_TOK_LPAREN)
        lh_parse_push(p, parse_field_decl(p));
    lh_pos rbrace = lh_parse_expect(p, LH_TOK_RBRACE);
    lh_field_list *fl = lh_parse_node(p, LH_FIELD_LIST, lbrace);
    fl->list = lh_parse_take(p, mark);
    fl->opening = lbrace;
    fl->closing = rbrace;
    lh_struct_type *s = lh_parse_node(p, LH_STRUCT_TYPE, pos);
    s->fields = &fl->n;
    return &s->n;
}

/* PointerType = "*" BaseType . */
static lh_node *parse_pointer_type(parser *p)
{
    lh_pos star = lh_parse_expect(p, LH_TOK_MUL);
    lh_node *base = lh_parse_type(p);
    lh_star_expr *s = lh_parse_node(p, LH_STAR_EXPR, star);
    s->x = base;
    return &s->n;
}

/* "..." Type  (variadic parameter) */
static lh_node *parse_dots_type(parser *p)
{
    lh_pos pos = lh_parse_expect(p, LH_TOK_ELLIPSIS);
    lh_node *elt = lh_parse_type(p);
    lh_ellipsis *e = lh_parse_node(p, LH_ELLIPSIS, pos);
    e->elt = elt;
    return &e->n;
}

/* TypeTerm = Type | UnderlyingType .  UnderlyingType = "~" Type . */
static lh_node *embedded_term(parser *p)
{
    if (p->tok.kind == LH_TOK_TILDE) {
        lh_pos pos = lh_parse_pos(p);
        lh_parse_next(p);
        lh_node *x = lh_parse_type(p);
        lh_unary_expr *u = lh_parse_node(p, LH_UNARY_EXPR, pos);
        u->op = LH_TOK_TILDE;
        u->x = x;
        return &u->n;
    }
    lh_node *t = lh_parse_try_ident_or_type(p);
    if (!t) {
        lh_pos pos = lh_parse_pos(p);
        lh_parse_error_expected(p, pos, "~ term or type");
        lh_parse_advance(p, SYNC_EXPR);
        return lh_parse_bad_expr(p, pos);
    }
    return t;
}

/* TypeElem = TypeTerm { "|" TypeTerm } . x, when given, is the first term. */
static lh_node *embedded_elem(parser *p, lh_node *x)
{
    if (!x)
        x = embedded_term(p);
    while (p->tok.kind == LH_TOK_OR) {
        lh_pos op = lh_parse_pos(p);
        lh_parse_next(p);
        lh_node *y = embedded_term(p);
        lh_binary_expr *b = lh_parse_node(p, LH_BINARY_EXPR, x->pos);
        b->x = x;
        b->op = LH_TOK_OR;
        b->op_pos = op;
        b->y = y;
        x = &b->n;
    }
    return x;
}

/* ParameterDecl = [ IdentifierList ] [ "..." ] Type .  One name-or-type
 * item of a parameter list; name, when given, was already parsed. */
static void parse_param_decl(parser *p, lh_node *name, bool type_sets_ok, lh_node **out_name,
                             lh_node **out_typ)
{
    lh_node *fname = NULL, *ftyp = NULL;
    lh_tok_kind k = p->tok.kind;
    if (!name && type_sets_ok && k == LH_TOK_TILDE) {
        *out_name = NULL;
        *out_typ = embedded_elem(p, NULL);
        return;
    }
    if (name || k == LH_TOK_IDENT) {
        fname = name ? name : lh_parse_ident(p);
        switch (p->tok.kind) {
        case LH_TOK_IDENT:
        case LH_TOK_MUL:
        case LH_TOK_ARROW:
        case LH_TOK_FUNC:
        case LH_TOK_CHAN:
        case LH_TOK_MAP:
        case LH_TOK_STRUCT:
        case LH_TOK_INTERFACE:
        case LH_TOK_LPAREN:
            /* name type */
            ftyp = lh_parse_type(p);
            break;
        case LH_TOK_LBRACK:
            /* name "[" type1, ..., typeN "]" or name "[" n "]" type */
            ftyp = parse_array_field_or_type_instance(p, fname, &fname);
            break;
        case LH_TOK_ELLIPSIS:
            /* name "..." type; no "|" after it */
            *out_name = fname;
            *out_typ = parse_dots_type(p);
            return;
        case LH_TOK_PERIOD:
            /* name "." ... */
            ftyp = parse_qualified_ident(p, fname);
            fname = NULL;
            break;
        case LH_TOK_TILDE:
            if (type_sets_ok) {
                *out_name = fname;
                *out_typ = embedded_elem(p, NULL);
                return;
            }
            break;
        case LH_TOK_OR:
            if (type_sets_ok) {
                /* name "|" typeset */
                *out_name = NULL;
                *out_typ = embedded_elem(p, fname);
                return;
            }
            break;
        default:
            break;
        }
    } else {
        switch (k) {
        case LH_TOK_MUL:
        case LH_TOK_ARROW:
        case LH_TOK_FUNC:
        case LH_TOK_LBRACK:
        case LH_TOK_CHAN:
        case LH_TOK_MAP:
        case LH_TOK_STRUCT:
        case LH_TOK_INTERFACE:
        case LH_TOK_LPAREN:
            ftyp = lh_parse_type(p);
            break;
        case LH_TOK_ELLIPSIS:
            /* "..." type (always accepted) */
            *out_name = NULL;
            *out_typ = parse_dots_type(p);
            return;
        default:
            lh_parse_error_expected(p, lh_parse_pos(p), "')'");
            lh_parse_advance(p, SYNC_EXPR);
            break;
        }
    }
    /* [name] type "|" */
    if (type_sets_ok && p->tok.kind == LH_TOK_OR && ftyp)
        ftyp = embedded_elem(p, ftyp);
    *out_name = fname;
    *out_typ = ftyp;
}

/* ParameterList = ParameterDecl { "," ParameterDecl } .
 * TypeParamList = TypeParamDecl { "," TypeParamDecl } .
 * Items are (name, type) pairs with either part missing until the list is
 * seen whole: all-unnamed lists are types, otherwise names share the type
 * that follows them ("a, b int"). dddok: a final "...T" is allowed (in a
 * function's parameters, not its results or type parameters). */
lh_list lh_parse_parameter_list(parser *p, lh_node *name0, lh_node *typ0, lh_tok_kind closing,
                                bool dddok)
{
    bool tparams = closing == LH_TOK_RBRACK;
    bool type_sets_ok = tparams;
    lh_pos pos = name0 ? name0->pos : typ0 ? typ0->pos : lh_parse_pos(p);
    size_t mark = p->stk_len;  /* pairs: stk[mark+2i] name, stk[mark+2i+1] type */
    int named = 0, typed = 0;

    while (name0 || (p->tok.kind != closing && p->tok.kind != LH_TOK_EOF)) {
        lh_node *pname, *ptyp;
        if (typ0) {
            if (type_sets_ok)
                typ0 = embedded_elem(p, typ0);
            pname = name0;
            ptyp = typ0;
        } else {
            parse_param_decl(p, name0, type_sets_ok, &pname, &ptyp);
        }
        name0 = NULL;
        typ0 = NULL;
        if (pname || ptyp) {
            lh_parse_push(p, pname);
            lh_parse_push(p, ptyp);
            if (pname && ptyp)
                named++;
            if (ptyp)
                typed++;
        }
        if (!lh_parse_at_comma(p, "parameter list", closing))
            break;
        lh_parse_next(p);
    }

    size_t n = (p->stk_len - mark) / 2;
    if (n == 0)
        return (lh_list){NULL, 0};
    lh_node **pairs = p->stk + mark;

    if (named == 0) {
        /* all unnamed: the names found are type names */
        for (size_t i = 0; i < n; i++) {
            if (pairs[2 * i]) {
                pairs[2 * i + 1] = pairs[2 * i];
                pairs[2 * i] = NULL;
            }
        }
        if (tparams) {
            if (typed == 0)
                lh_parse_error(p, lh_parse_pos(p), "missing type constraint");
            else
                lh_parse_error(p, pos, "missing type parameter name%s",
                               n == 1 ? " or invalid array length" : "");
        }
    } else if ((size_t)named != n) {
        /* some named: all must be; distribute types backwards */
        lh_node *typ = NULL;
        lh_pos missing = lh_no_pos();   /* the leftmost problem */
        for (size_t i = n; i-- > 0;) {
            lh_node **nm = &pairs[2 * i], **ty = &pairs[2 * i + 1];
            if (*ty) {
                typ = *ty;
                if (!*nm) {
                    missing = (*ty)->pos;
                    lh_ident *id = lh_parse_node(p, LH_IDENT, typ->pos);
                    id->name = (lh_str){"_", 1};
                    *nm = &id->n;
                }
            } else if (typ) {
                *ty = typ;
            } else {
                /* only a name */
                missing = (*nm)->pos;
                *ty = lh_parse_bad_expr(p, (*nm)->pos);
            }
        }
        if (lh_pos_valid(missing)) {
            /* named == typed: types are missing at the end of the list */
            if (named == typed)
                lh_parse_error(p, lh_parse_pos(p), "missing %s",
                               tparams ? "type constraint" : "parameter type");
            else if (tparams)
                lh_parse_error(p, missing, "missing type parameter name%s",
                               n == 1 ? " or invalid array length" : "");
            else
                lh_parse_error(p, missing, "missing parameter name");
        }
    }

    /* "...T" only as the last parameter, and only where dddok allows; an
     * offending type becomes a BadExpr (the first one is reported). */
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        lh_node **ty = &pairs[2 * i + 1];
        if ((*ty)->kind == LH_ELLIPSIS && (!dddok || i + 1 < n)) {
            if (first)
                lh_parse_error(p, (*ty)->pos, dddok ? "can only use ... with final parameter"
                                                    : "invalid use of ...");
            first = false;
            *ty = lh_parse_bad_expr(p, (*ty)->pos);
        }
    }

    /* Build the fields on the scratch stack above the pairs, then move them
     * down over the pairs. */
    size_t fmark = p->stk_len;
    if (named == 0) {
        for (size_t i = 0; i < n; i++)
            lh_parse_push(p, new_field(p, (lh_list){NULL, 0}, p->stk[mark + 2 * i + 1], NULL));
    } else {
        size_t i = 0;
        while (i < n) {
            lh_node *typ = p->stk[mark + 2 * i + 1];
            size_t j = i;
            while (j < n && p->stk[mark + 2 * j + 1] == typ)
                j++;
            lh_list names = {lh_parse_alloc(p, (j - i) * sizeof(lh_node *)),
                             (uint32_t)(j - i)};
            for (size_t k = i; k < j; k++)
                names.v[k - i] = p->stk[mark + 2 * k];
            lh_parse_push(p, new_field(p, names, typ, NULL));
            i = j;
        }
    }
    size_t nf = p->stk_len - fmark;
    memmove(p->stk + mark, p->stk + fmark, nf * sizeof(lh_node *));
    p->stk_len = mark + nf;
    return lh_parse_take(p, mark);
}

/* TypeParameters = "[" TypeParamList [ "," ] "]" .  NULL when empty (an
 * error). */
lh_node *lh_parse_type_parameters(parser *p)
{
    lh_pos lbrack = lh_parse_expect(p, LH_TOK_LBRACK);
    lh_list list = {NULL, 0};
    if (p->tok.kind != LH_TOK_RBRACK)
        list = lh_parse_parameter_list(p, NULL, NULL, LH_TOK_RBRACK, false);
    lh_pos rbrack = lh_parse_expect(p, LH_TOK_RBRACK);
    if (list.n == 0) {
        lh_parse_error(p, rbrack, "empty type parameter list");
        return NULL;
    }
    lh_field_list *tp = lh_parse_node(p, LH_FIELD_LIST, lbrack);
    tp->list = list;
    tp->opening = lbrack;
    tp->closing = rbrack;
    return &tp->n;
}

/* Parameters = "(" [ ParameterList [ "," ] ] ")" .
 * Result = Parameters | Type .  (result: NULL when there is none) */
lh_node *lh_parse_parameters(parser *p, bool result)
{
    if (!result || p->tok.kind == LH_TOK_LPAREN) {
        lh_pos opening = lh_parse_expect(p, LH_TOK_LPAREN);
        lh_list fields = {NULL, 0};
        if (p->tok.kind != LH_TOK_RPAREN)
            fields = lh_parse_parameter_list(p, NULL, NULL, LH_TOK_RPAREN, !result);
        lh_pos rparen = lh_parse_expect(p, LH_TOK_RPAREN);
        lh_field_list *params = lh_parse_node(p, LH_FIELD_LIST, opening);
        params->list = fields;
        params->opening = opening;
        params->closing = rparen;
        return &params->n;
    }
    lh_node *typ = lh_parse_try_ident_or_type(p);
    if (typ) {
        lh_field_list *fl = lh_parse_node(p, LH_FIELD_LIST, typ->pos);
        fl->list = lh_parse_list1(p, new_field(p, (lh_list){NULL, 0}, typ, NULL));
        return &fl->n;
    }
    return NULL;
}

/* FunctionType = "func" Signature .  Signature = Parameters [ Result ] . */
lh_node *lh_parse_func_type(parser *p)
{
    lh_pos pos = lh_parse_expect(p, LH_TOK_FUNC);
    /* type parameters are parsed for the message and for recovery */
    if (p->tok.kind == LH_TOK_LBRACK) {
        lh_node *tparams = lh_parse_type_parameters(p);
        if (tparams)
            lh_parse_error(p, tparams->pos, "function type must have no type parameters");
    }
    lh_node *params = lh_parse_parameters(p, false);
    lh_node *results = lh_parse_parameters(p, true);
    lh_func_type *ft = lh_parse_node(p, LH_FUNC_TYPE, pos);
    ft->func = pos;
    ft->params = params;
    ft->results = results;
    return &ft->n;
}

static lh_node *method_func_type(parser *p, lh_node *params, lh_node *results)
{
    /* Interface methods have no func keyword: Pos() is the parameters'. */
    lh_func_type *ft = lh_parse_node(p, LH_FUNC_TYPE, params->pos);
    ft->params = params;
    ft->results = results;
    return &ft->n;
}

/* MethodElem = MethodName Signature . or an embedded (instantiated) type. */
static lh_node *parse_method_spec(parser *p)
{
    lh_list idents = {NULL, 0};
    lh_node *typ;
    lh_node *x = parse_type_name(p, NULL);
    if (x->kind == LH_IDENT) {
        lh_node *ident = x;
        if (p->tok.kind == LH_TOK_LBRACK) {
            /* generic method or embedded instantiated type */
            lh_pos lbrack = lh_parse_pos(p);
            lh_parse_next(p);
            p->expr_lev++;
            lh_node *x0 = lh_parse_expr(p);
            p->expr_lev--;
            if (x0->kind == LH_IDENT && p->tok.kind != LH_TOK_COMMA &&
                p->tok.kind != LH_TOK_RBRACK) {
                /* m[T any](...): parsed for the message and recovery */
                lh_parse_parameter_list(p, x0, NULL, LH_TOK_RBRACK, false);
                lh_parse_expect(p, LH_TOK_RBRACK);
                lh_parse_error(p, lbrack, "interface method must have no type parameters");
                lh_node *params = lh_parse_parameters(p, false);
                lh_node *results = lh_parse_parameters(p, true);
                idents = lh_parse_list1(p, ident);
                typ = method_func_type(p, params, results);
            } else {
                /* embedded instantiated type */
                size_t mark = p->stk_len;
                lh_parse_push(p, x0);
                if (lh_parse_at_comma(p, "type argument list", LH_TOK_RBRACK)) {
                    p->expr_lev++;
                    lh_parse_next(p);
                    while (p->tok.kind != LH_TOK_RBRACK && p->tok.kind != LH_TOK_EOF) {
                        lh_parse_push(p, lh_parse_type(p));
                        if (!lh_parse_at_comma(p, "type argument list", LH_TOK_RBRACK))
                            break;
                        lh_parse_next(p);
                    }
                    p->expr_lev--;
                }
                lh_pos rbrack = lh_parse_expect_closing(p, LH_TOK_RBRACK, "type argument list");
                typ = lh_parse_pack_index(p, ident, lbrack, mark, rbrack);
            }
        } else if (p->tok.kind == LH_TOK_LPAREN) {
            /* ordinary method */
            lh_node *params = lh_parse_parameters(p, false);
            lh_node *results = lh_parse_parameters(p, true);
            idents = lh_parse_list1(p, ident);
            typ = method_func_type(p, params, results);
        } else {
            /* embedded type */
            typ = x;
        }
    } else {
        /* embedded, possibly instantiated type */
        typ = x;
        if (p->tok.kind == LH_TOK_LBRACK)
            typ = parse_type_instance(p, typ);
    }
    return new_field(p, idents, typ, NULL);
}

/* InterfaceType = "interface" "{" { InterfaceElem ";" } "}" .
 * InterfaceElem = MethodElem | TypeElem . */
static lh_node *parse_interface_type(parser *p)
{
    lh_pos pos = lh_parse_expect(p, LH_TOK_INTERFACE);
    lh_pos lbrace = lh_parse_expect(p, LH_TOK_LBRACE);
    size_t mark = p->stk_len;
    for (;;) {
        if (p->tok.kind == LH_TOK_IDENT) {
            lh_field *f = LH_AS(parse_method_spec(p), lh_field);
            if (f->names.n == 0) {
                f->type = embedded_elem(p, f->type);
                f->n.pos = f->type->pos;
                f->n.end = f->type->end;
            }
            lh_parse_expect_semi(p);
            lh_parse_push(p, &f->n);
        } else if (p->tok.kind == LH_TOK_TILDE) {
            lh_node *typ = embedded_elem(p, NULL);
            lh_parse_expect_semi(p);
            lh_parse_push(p, new_field(p, (lh_list){NULL, 0}, typ, NULL));
        } else {
            lh_node *t = lh_parse_try_ident_or_type(p);
            if (!t)
                break;
            lh_node *typ = embedded_elem(p, t);
            lh_parse_expect_semi(p);
            lh_parse_push(p, new_field(p, (lh_list){NULL, 0}, typ, NULL));
        }
    }
    lh_pos rbrace = lh_parse_expect(p, LH_TOK_RBRACE);
    lh_field_list *fl = lh_parse_node(p, LH_FIELD_LIST, lbrace);
    fl->list = lh_parse_take(p, mark);
    fl->opening = lbrace;
    fl->closing = rbrace;
    lh_interface_type *it = lh_parse_node(p, LH_INTERFACE_TYPE, pos);
    it->methods = &fl->n;
    return &it->n;
}

/* MapType = "map" "[" KeyType "]" ElementType . */
static lh_node *parse_map_type(parser *p)
{
    lh_pos pos = lh_parse_expect(p, LH_TOK_MAP);
    lh_parse_expect(p, LH_TOK_LBRACK);
    lh_node *key = lh_parse_type(p);
    lh_parse_expect(p, LH_TOK_RBRACK);
    lh_node *value = lh_parse_type(p);
    lh_map_type *m = lh_parse_node(p, LH_MAP_TYPE, pos);
    m->key = key;
    m->value = value;
    return &m->n;
}

/* ChannelType = ( "chan" | "chan" "<-" | "<-" "chan" ) ElementType . */
static lh_node *parse_chan_type(parser *p)
{
    lh_pos pos = lh_parse_pos(p), arrow = lh_no_pos();
    uint8_t dir = LH_CHAN_SEND | LH_CHAN_RECV;
    if (p->tok.kind == LH_TOK_CHAN) {
        lh_parse_next(p);
        if (p->tok.kind == LH_TOK_ARROW) {
            arrow = lh_parse_pos(p);
            lh_parse_next(p);
            dir = LH_CHAN_SEND;
        }
    } else {
        arrow = lh_parse_expect(p, LH_TOK_ARROW);
        lh_parse_expect(p, LH_TOK_CHAN);
        dir = LH_CHAN_RECV;
    }
    lh_node *value = lh_parse_type(p);
    lh_chan_type *c = lh_parse_node(p, LH_CHAN_TYPE, pos);
    c->dir = dir;
    c->value = value;
    c->arrow = arrow;
    return &c->n;
}

/* A type, or NULL (consuming nothing) when none starts here. */
lh_node *lh_parse_try_ident_or_type(parser *p)
{
    lh_parse_inc_nest(p);
    lh_node *t = NULL;
    switch (p->tok.kind) {
    case LH_TOK_IDENT:
        t = parse_type_name(p, NULL);
        if (p->tok.kind == LH_TOK_LBRACK)
            t = parse_type_instance(p, t);
        break;
    case LH_TOK_LBRACK: {
        lh_pos lbrack = lh_parse_expect(p, LH_TOK_LBRACK);
        t = lh_parse_array_type(p, lbrack, NULL);
        break;
    }
    case LH_TOK_STRUCT:
        t = parse_struct_type(p);
        break;
    case LH_TOK_MUL:
        t = parse_pointer_type(p);
        break;
    case LH_TOK_FUNC:
        t = lh_parse_func_type(p);
        break;
    case LH_TOK_INTERFACE:
        t = parse_interface_type(p);
        break;
    case LH_TOK_MAP:
        t = parse_map_type(p);
        break;
    case LH_TOK_CHAN:
    case LH_TOK_ARROW:
        t = parse_chan_type(p);
        break;
    case LH_TOK_LPAREN: {
        lh_pos lparen = lh_parse_pos(p);
        lh_parse_next(p);
        lh_node *x = lh_parse_type(p);
        lh_pos rparen = lh_parse_expect(p, LH_TOK_RPAREN);
        lh_paren_expr *pe = lh_parse_node(p, LH_PAREN_EXPR, lparen);
        pe->x = x;
        pe->inner = lh_ast_unparen(x);
        pe->rparen = rparen;
        t = &pe->n;
        break;
    }
    default:
        break;
    }
    p->nest--;
    return t;
}
