/* Scopes and resolution: every identifier of a package to its object.
 *
 * The scopes are the spec's blocks: universe, package, file (imports),
 * then function, statement and clause blocks. Resolution runs in two
 * passes over the package so that order of declaration never matters at
 * package level: first every package-level name is declared and methods
 * are attached to their receiver's type; then every declaration's types,
 * values and bodies are resolved. Inside a function, a name is in scope
 * from the end of its declaring statement (spec: "Declarations and
 * scope"), so `x := x` refers to the outer x on the right.
 *
 * Recursion follows the nesting of the tree; callers run analyses on a
 * deep-stack thread (lh_parse_run_deep) as the parser does. */
#include <string.h>

#include "sema/sema.h"

/* ---- scopes ----------------------------------------------------------- */

lh_scope *lh_scope_new(lh_arena *a, lh_scope *parent)
{
    lh_scope *s = LH_NEW(a, lh_scope);
    s->parent = parent;
    return s;
}

static bool name_eq(lh_str a, const char *b, size_t n)
{
    return a.len == n && memcmp(a.p, b, n) == 0;
}

/* Below this many names a scope is scanned; above, hashed. */
enum { SCOPE_INDEX_MIN = 8 };

static uint32_t name_hash(const char *p, size_t n)
{
    uint32_t h = 2166136261u;       /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}

/* The slot of name in s's index: its entry, or the empty slot it would
 * take. */
static uint32_t *index_slot(const lh_scope *s, const char *name, size_t len)
{
    uint32_t mask = s->index_cap - 1;
    for (uint32_t h = name_hash(name, len) & mask;; h = (h + 1) & mask) {
        uint32_t *e = &s->index[h];
        if (*e == 0 || name_eq(s->objs[*e - 1]->name, name, len))
            return e;
    }
}

/* Objects are entered in order, so a later one of the same name replaces
 * the earlier: the newest wins, as the scan from the end finds it. */
static void index_add(lh_scope *s, uint32_t i)
{
    *index_slot(s, s->objs[i]->name.p, s->objs[i]->name.len) = i + 1;
}

void lh_scope_reindex(lh_arena *a, lh_scope *s)
{
    s->index = NULL;
    s->index_cap = 0;
    if (s->n <= SCOPE_INDEX_MIN)
        return;
    uint32_t cap = 64;
    while (cap < 2 * s->n)
        cap *= 2;
    s->index = LH_NEWN(a, uint32_t, cap);   /* zeroed: empty */
    s->index_cap = cap;
    for (uint32_t i = 0; i < s->n; i++)
        index_add(s, i);
}

void lh_scope_insert(lh_arena *a, lh_scope *s, lh_obj *o)
{
    if (s->n == s->cap) {
        uint32_t ncap = s->cap ? s->cap * 2 : 8;
        s->objs = lh_arena_realloc(a, s->objs, s->cap * sizeof *s->objs, ncap * sizeof *s->objs);
        s->cap = ncap;
    }
    s->objs[s->n++] = o;
    if (s->index && 2 * s->n <= s->index_cap)
        index_add(s, s->n - 1);
    else if (s->n > SCOPE_INDEX_MIN)
        lh_scope_reindex(a, s);     /* the table at most half full */
}

/* Small scopes (a function's blocks) are scanned from the newest entry,
 * which is what a later redeclaration needs (the newest wins); larger
 * ones (a package's, the universe) are hashed the same way. */
lh_obj *lh_scope_lookup_local(const lh_scope *s, const char *name, size_t len)
{
    if (s->index) {
        uint32_t e = *index_slot(s, name, len);
        return e ? s->objs[e - 1] : NULL;
    }
    for (uint32_t i = s->n; i-- > 0;)
        if (name_eq(s->objs[i]->name, name, len))
            return s->objs[i];
    return NULL;
}

static lh_obj *dot_lookup(const lh_scope *s, const char *name, size_t len)
{
    for (uint32_t i = 0; i < s->ndots; i++) {
        lh_sema_pkg *d = s->dots[i];
        if (!d)
            continue;
        lh_obj *o = lh_scope_lookup_local(d->scope, name, len);
        /* Only exported names come through a dot import. */
        if (o && len > 0 && name[0] >= 'A' && name[0] <= 'Z')
            return o;
    }
    return NULL;
}

lh_obj *lh_scope_lookup(const lh_scope *s, const char *name, size_t len)
{
    for (; s; s = s->parent) {
        lh_obj *o = lh_scope_lookup_local(s, name, len);
        if (o)
            return o;
        if (s->ndots) {
            o = dot_lookup(s, name, len);
            if (o)
                return o;
        }
    }
    return NULL;
}

/* ---- the resolver ------------------------------------------------------ */

typedef struct rs {
    lh_sema_pkg *p;
    lh_arena *a;
    lh_scope *labels;           /* the current function's labels */
    const lh_node *func;        /* the current FuncDecl / FuncLit */
} rs;

static void expr(rs *r, lh_node *e, lh_scope *s);
static void stmt(rs *r, lh_node *n, lh_scope *s);
static void stmt_list(rs *r, const lh_list *l, lh_scope *s);
static void collect_labels(rs *r, lh_node *n);

static void record(rs *r, const lh_node *ident, lh_obj *o)
{
    lh_ptrmap_put(&r->p->uses, ident, o);
}

static bool is_blank(const lh_node *id)
{
    return lh_ident_is(id, "_");
}

static lh_obj *new_obj(rs *r, lh_obj_kind k, lh_node *ident, const lh_node *decl)
{
    lh_obj *o = LH_NEW(r->a, lh_obj);
    o->kind = (uint8_t)k;
    o->ident = ident;
    o->decl = decl;
    o->func = r->func;
    o->pkg = r->p;
    if (ident)
        o->name = LH_AS(ident, lh_ident)->name;
    return o;
}

/* Declares ident in s (the blank identifier is recorded but not inserted:
 * it declares nothing). */
static lh_obj *declare(rs *r, lh_scope *s, lh_obj_kind k, lh_node *ident, const lh_node *decl)
{
    lh_obj *o = new_obj(r, k, ident, decl);
    record(r, ident, o);
    if (!is_blank(ident))
        lh_scope_insert(r->a, s, o);
    return o;
}

static void use_ident(rs *r, lh_node *id, lh_scope *s)
{
    lh_str n = LH_AS(id, lh_ident)->name;
    if (n.len == 1 && n.p[0] == '_')
        return;
    lh_obj *o = lh_scope_lookup(s, n.p, n.len);
    if (o)
        record(r, id, o);
}

/* The fields of a parameter/result/struct list, declaring their names in
 * s when s is not NULL (parameters), only resolving types when it is
 * (struct fields and parameters of function types in type position). */
static void field_list(rs *r, lh_node *fl, lh_scope *s, lh_scope *types, uint8_t flags)
{
    if (!fl)
        return;
    lh_field_list *l = LH_AS(fl, lh_field_list);
    uint32_t index = 0;
    for (uint32_t i = 0; i < l->list.n; i++) {
        lh_field *f = LH_AS(l->list.v[i], lh_field);
        expr(r, f->type, types);
        if (!s) {
            index += f->names.n ? f->names.n : 1;
            continue;
        }
        if (f->names.n == 0) {
            index++;
            continue;
        }
        for (uint32_t k = 0; k < f->names.n; k++) {
            lh_obj *o = declare(r, s, LH_OBJ_VAR, f->names.v[k], &f->n);
            o->flags = flags;
            o->type_expr = f->type;
            o->index = index++;
        }
    }
}

/* Type parameters: declared as types of unknown underlying type. */
static void type_params(rs *r, lh_node *fl, lh_scope *s)
{
    if (!fl)
        return;
    lh_field_list *l = LH_AS(fl, lh_field_list);
    for (uint32_t i = 0; i < l->list.n; i++) {
        lh_field *f = LH_AS(l->list.v[i], lh_field);
        for (uint32_t k = 0; k < f->names.n; k++) {
            lh_obj *o = declare(r, s, LH_OBJ_TYPE, f->names.v[k], &f->n);
            o->type_done = true;        /* named stays NULL: unknown */
        }
    }
    for (uint32_t i = 0; i < l->list.n; i++)
        expr(r, LH_AS(l->list.v[i], lh_field)->type, s);
}

/* A function's signature and body: recv, type params, params and results
 * in one scope (the spec's function block), the body's statements in it. */
static void func(rs *r, const lh_node *fn, lh_node *recv, lh_node *ftype, lh_node *body,
                 lh_scope *outer)
{
    const lh_node *saved_func = r->func;
    lh_scope *saved_labels = r->labels;
    r->func = fn;
    lh_scope *s = lh_scope_new(r->a, outer);
    lh_func_type *ft = LH_AS(ftype, lh_func_type);
    if (recv) {
        /* Receiver type parameters: func (l *List[T]) M() declares T. */
        lh_field_list *rl = LH_AS(recv, lh_field_list);
        if (rl->list.n == 1) {
            lh_node *t = LH_AS(rl->list.v[0], lh_field)->type;
            if (LH_KIND(t) == LH_STAR_EXPR)
                t = LH_AS(t, lh_star_expr)->x;
            t = lh_ast_unparen(t);
            if (LH_KIND(t) == LH_INDEX_EXPR) {
                lh_node *ix = LH_AS(t, lh_index_expr)->index;
                if (LH_KIND(ix) == LH_IDENT && !is_blank(ix))
                    declare(r, s, LH_OBJ_TYPE, ix, t)->type_done = true;
            } else if (LH_KIND(t) == LH_INDEX_LIST_EXPR) {
                lh_index_list_expr *il = LH_AS(t, lh_index_list_expr);
                for (uint32_t i = 0; i < il->indices.n; i++)
                    if (LH_KIND(il->indices.v[i]) == LH_IDENT && !is_blank(il->indices.v[i]))
                        declare(r, s, LH_OBJ_TYPE, il->indices.v[i], t)->type_done = true;
            }
            /* The receiver's base type name resolves in the package. */
            lh_node *base = t;
            if (LH_KIND(base) == LH_INDEX_EXPR)
                base = LH_AS(base, lh_index_expr)->x;
            else if (LH_KIND(base) == LH_INDEX_LIST_EXPR)
                base = LH_AS(base, lh_index_list_expr)->x;
            if (LH_KIND(base) == LH_IDENT)
                use_ident(r, base, outer);
        }
        for (uint32_t i = 0; i < rl->list.n; i++) {
            lh_field *f = LH_AS(rl->list.v[i], lh_field);
            for (uint32_t k = 0; k < f->names.n; k++) {
                lh_obj *o = declare(r, s, LH_OBJ_VAR, f->names.v[k], &f->n);
                o->flags = LH_VAR_PARAM | LH_VAR_RECV;
                o->type_expr = f->type;
            }
        }
    }
    type_params(r, ft->type_params, s);
    field_list(r, ft->params, s, s, LH_VAR_PARAM);
    field_list(r, ft->results, s, s, LH_VAR_RESULT);
    if (body) {
        /* Labels are visible in the whole body, before their statement
         * too (goto forward): declare them all first. */
        r->labels = lh_scope_new(r->a, NULL);
        collect_labels(r, body);
        stmt_list(r, &LH_AS(body, lh_block_stmt)->list, s);
    }
    r->func = saved_func;
    r->labels = saved_labels;
}

/* Declares the labels of a statement list's labeled statements (and those
 * nested in blocks, not in function literals) before the body resolves. */
static void collect_labels(rs *r, lh_node *n)
{
    if (!n)
        return;
    switch (LH_KIND(n)) {
    case LH_LABELED_STMT: {
        lh_labeled_stmt *ls = LH_AS(n, lh_labeled_stmt);
        if (!lh_scope_lookup_local(r->labels, LH_AS(ls->label, lh_ident)->name.p,
                                   LH_AS(ls->label, lh_ident)->name.len))
            declare(r, r->labels, LH_OBJ_LABEL, ls->label, n);
        collect_labels(r, ls->stmt);
        break;
    }
    case LH_BLOCK_STMT:
        for (uint32_t i = 0; i < LH_AS(n, lh_block_stmt)->list.n; i++)
            collect_labels(r, LH_AS(n, lh_block_stmt)->list.v[i]);
        break;
    case LH_IF_STMT:
        collect_labels(r, LH_AS(n, lh_if_stmt)->body);
        collect_labels(r, LH_AS(n, lh_if_stmt)->els);
        break;
    case LH_FOR_STMT:
        collect_labels(r, LH_AS(n, lh_for_stmt)->body);
        break;
    case LH_RANGE_STMT:
        collect_labels(r, LH_AS(n, lh_range_stmt)->body);
        break;
    case LH_SWITCH_STMT:
        collect_labels(r, LH_AS(n, lh_switch_stmt)->body);
        break;
    case LH_TYPE_SWITCH_STMT:
        collect_labels(r, LH_AS(n, lh_type_switch_stmt)->body);
        break;
    case LH_SELECT_STMT:
        collect_labels(r, LH_AS(n, lh_select_stmt)->body);
        break;
    case LH_CASE_CLAUSE:
        for (uint32_t i = 0; i < LH_AS(n, lh_case_clause)->body.n; i++)
            collect_labels(r, LH_AS(n, lh_case_clause)->body.v[i]);
        break;
    case LH_COMM_CLAUSE:
        for (uint32_t i = 0; i < LH_AS(n, lh_comm_clause)->body.n; i++)
            collect_labels(r, LH_AS(n, lh_comm_clause)->body.v[i]);
        break;
    default:
        break;
    }
}

/* ---- declarations ------------------------------------------------------ */

/* Constants repeat the previous spec's type and values when they have
 * none (iota groups); the object keeps the spec it was written in for
 * its position, and the repeated expressions for its type. */
static void value_spec_local(rs *r, lh_gen_decl *gd, lh_value_spec *vs, lh_value_spec *prev,
                             lh_scope *s)
{
    expr(r, vs->type, s);
    for (uint32_t i = 0; i < vs->values.n; i++)
        expr(r, vs->values.v[i], s);
    lh_value_spec *src = vs;
    if (gd->tok == LH_TOK_CONST && !vs->type && vs->values.n == 0 && prev)
        src = prev;
    for (uint32_t i = 0; i < vs->names.n; i++) {
        lh_obj *o = declare(r, s, gd->tok == LH_TOK_CONST ? LH_OBJ_CONST : LH_OBJ_VAR,
                            vs->names.v[i], &vs->n);
        o->type_expr = src->type;
        o->index = i;
        if (src->values.n == src->names.n)
            o->value = src->values.v[i];
        else if (src->values.n == 1)
            o->value = src->values.v[0];
    }
}

static void type_spec_local(rs *r, lh_type_spec *ts, lh_scope *s)
{
    /* The type's own name is in scope in its declaration (recursive types). */
    lh_obj *o = declare(r, s, LH_OBJ_TYPE, ts->name, &ts->n);
    o->type_expr = ts->type;
    lh_scope *inner = s;
    if (ts->type_params) {
        inner = lh_scope_new(r->a, s);
        type_params(r, ts->type_params, inner);
    }
    expr(r, ts->type, inner);
}

static void gen_decl_local(rs *r, lh_gen_decl *gd, lh_scope *s)
{
    lh_value_spec *prev = NULL;
    for (uint32_t i = 0; i < gd->specs.n; i++) {
        lh_node *sp = gd->specs.v[i];
        if (LH_KIND(sp) == LH_VALUE_SPEC) {
            lh_value_spec *vs = LH_AS(sp, lh_value_spec);
            value_spec_local(r, gd, vs, prev, s);
            if (vs->type || vs->values.n)
                prev = vs;
        } else if (LH_KIND(sp) == LH_TYPE_SPEC) {
            type_spec_local(r, LH_AS(sp, lh_type_spec), s);
        }
    }
}

/* ---- statements -------------------------------------------------------- */

static void stmt_list(rs *r, const lh_list *l, lh_scope *s)
{
    for (uint32_t i = 0; i < l->n; i++)
        stmt(r, l->v[i], s);
}

static void block(rs *r, lh_node *b, lh_scope *s)
{
    if (!b)
        return;
    if (LH_KIND(b) != LH_BLOCK_STMT) {
        stmt(r, b, s);
        return;
    }
    stmt_list(r, &LH_AS(b, lh_block_stmt)->list, lh_scope_new(r->a, s));
}

/* x := y or x, err := f(): right side first, then the left side's new
 * names (a name already declared in this very scope is reused). */
static void define(rs *r, lh_assign_stmt *as, lh_scope *s)
{
    for (uint32_t i = 0; i < as->rhs.n; i++)
        expr(r, as->rhs.v[i], s);
    for (uint32_t i = 0; i < as->lhs.n; i++) {
        lh_node *id = as->lhs.v[i];
        if (LH_KIND(id) != LH_IDENT) {
            expr(r, id, s);
            continue;
        }
        if (is_blank(id))
            continue;
        lh_str nm = LH_AS(id, lh_ident)->name;
        lh_obj *old = lh_scope_lookup_local(s, nm.p, nm.len);
        if (old) {
            record(r, id, old);
            continue;
        }
        lh_obj *o = declare(r, s, LH_OBJ_VAR, id, &as->n);
        o->index = i;
        if (as->rhs.n == as->lhs.n)
            o->value = as->rhs.v[i];
        else if (as->rhs.n == 1)
            o->value = as->rhs.v[0];
    }
}

static void case_clauses(rs *r, lh_node *body, lh_scope *s)
{
    lh_block_stmt *b = LH_AS(body, lh_block_stmt);
    for (uint32_t i = 0; i < b->list.n; i++) {
        lh_node *c = b->list.v[i];
        if (LH_KIND(c) != LH_CASE_CLAUSE)
            continue;
        lh_case_clause *cc = LH_AS(c, lh_case_clause);
        for (uint32_t k = 0; k < cc->list.n; k++)
            expr(r, cc->list.v[k], s);
        stmt_list(r, &cc->body, lh_scope_new(r->a, s));
    }
}

static void type_switch(rs *r, lh_type_switch_stmt *ts, lh_scope *outer)
{
    lh_scope *s = lh_scope_new(r->a, outer);
    if (ts->init)
        stmt(r, ts->init, s);
    lh_node *bound = NULL;      /* v in v := x.(type) */
    lh_node *a = ts->assign;
    if (LH_KIND(a) == LH_ASSIGN_STMT) {
        lh_assign_stmt *as = LH_AS(a, lh_assign_stmt);
        for (uint32_t i = 0; i < as->rhs.n; i++)
            expr(r, as->rhs.v[i], s);
        if (as->lhs.n == 1 && LH_KIND(as->lhs.v[0]) == LH_IDENT && !is_blank(as->lhs.v[0]))
            bound = as->lhs.v[0];
    } else if (LH_KIND(a) == LH_EXPR_STMT) {
        expr(r, LH_AS(a, lh_expr_stmt)->x, s);
    }
    lh_block_stmt *b = LH_AS(ts->body, lh_block_stmt);
    for (uint32_t i = 0; i < b->list.n; i++) {
        lh_node *c = b->list.v[i];
        if (LH_KIND(c) != LH_CASE_CLAUSE)
            continue;
        lh_case_clause *cc = LH_AS(c, lh_case_clause);
        for (uint32_t k = 0; k < cc->list.n; k++)
            expr(r, cc->list.v[k], s);
        lh_scope *cs = lh_scope_new(r->a, s);
        if (bound) {
            /* One object per clause, all spelled by the one identifier;
             * the identifier itself maps to none of them. */
            lh_obj *o = new_obj(r, LH_OBJ_VAR, bound, c);
            if (cc->list.n == 1 && !lh_ident_is(cc->list.v[0], "nil"))
                o->type_expr = cc->list.v[0];
            else
                o->value = LH_AS(LH_AS(a, lh_assign_stmt)->rhs.v[0], lh_type_assert_expr)->x;
            lh_scope_insert(r->a, cs, o);
        }
        stmt_list(r, &cc->body, cs);
    }
}

static void stmt(rs *r, lh_node *n, lh_scope *s)
{
    if (!n)
        return;
    switch (LH_KIND(n)) {
    case LH_DECL_STMT: {
        lh_node *d = LH_AS(n, lh_decl_stmt)->decl;
        if (LH_KIND(d) == LH_GEN_DECL)
            gen_decl_local(r, LH_AS(d, lh_gen_decl), s);
        break;
    }
    case LH_LABELED_STMT: {
        lh_labeled_stmt *ls = LH_AS(n, lh_labeled_stmt);
        if (r->labels) {
            lh_str nm = LH_AS(ls->label, lh_ident)->name;
            lh_obj *o = lh_scope_lookup_local(r->labels, nm.p, nm.len);
            if (o)
                record(r, ls->label, o);
        }
        stmt(r, ls->stmt, s);
        break;
    }
    case LH_EXPR_STMT:
        expr(r, LH_AS(n, lh_expr_stmt)->x, s);
        break;
    case LH_SEND_STMT:
        expr(r, LH_AS(n, lh_send_stmt)->chan, s);
        expr(r, LH_AS(n, lh_send_stmt)->value, s);
        break;
    case LH_INC_DEC_STMT:
        expr(r, LH_AS(n, lh_inc_dec_stmt)->x, s);
        break;
    case LH_ASSIGN_STMT: {
        lh_assign_stmt *as = LH_AS(n, lh_assign_stmt);
        if (as->tok == LH_TOK_DEFINE) {
            define(r, as, s);
        } else {
            for (uint32_t i = 0; i < as->rhs.n; i++)
                expr(r, as->rhs.v[i], s);
            for (uint32_t i = 0; i < as->lhs.n; i++)
                expr(r, as->lhs.v[i], s);
        }
        break;
    }
    case LH_GO_STMT:
        expr(r, LH_AS(n, lh_go_stmt)->call, s);
        break;
    case LH_DEFER_STMT:
        expr(r, LH_AS(n, lh_defer_stmt)->call, s);
        break;
    case LH_RETURN_STMT: {
        lh_return_stmt *rt = LH_AS(n, lh_return_stmt);
        for (uint32_t i = 0; i < rt->results.n; i++)
            expr(r, rt->results.v[i], s);
        break;
    }
    case LH_BRANCH_STMT: {
        lh_branch_stmt *b = LH_AS(n, lh_branch_stmt);
        if (b->label && r->labels) {
            lh_str nm = LH_AS(b->label, lh_ident)->name;
            lh_obj *o = lh_scope_lookup_local(r->labels, nm.p, nm.len);
            if (o)
                record(r, b->label, o);
        }
        break;
    }
    case LH_BLOCK_STMT:
        block(r, n, s);
        break;
    case LH_IF_STMT: {
        lh_if_stmt *is = LH_AS(n, lh_if_stmt);
        lh_scope *is_s = lh_scope_new(r->a, s);
        stmt(r, is->init, is_s);
        expr(r, is->cond, is_s);
        block(r, is->body, is_s);
        if (is->els)
            block(r, is->els, is_s);
        break;
    }
    case LH_SWITCH_STMT: {
        lh_switch_stmt *sw = LH_AS(n, lh_switch_stmt);
        lh_scope *ss = lh_scope_new(r->a, s);
        stmt(r, sw->init, ss);
        expr(r, sw->tag, ss);
        case_clauses(r, sw->body, ss);
        break;
    }
    case LH_TYPE_SWITCH_STMT:
        type_switch(r, LH_AS(n, lh_type_switch_stmt), s);
        break;
    case LH_SELECT_STMT: {
        lh_block_stmt *b = LH_AS(LH_AS(n, lh_select_stmt)->body, lh_block_stmt);
        for (uint32_t i = 0; i < b->list.n; i++) {
            lh_node *c = b->list.v[i];
            if (LH_KIND(c) != LH_COMM_CLAUSE)
                continue;
            lh_comm_clause *cc = LH_AS(c, lh_comm_clause);
            lh_scope *cs = lh_scope_new(r->a, s);
            stmt(r, cc->comm, cs);
            stmt_list(r, &cc->body, cs);
        }
        break;
    }
    case LH_FOR_STMT: {
        lh_for_stmt *fs = LH_AS(n, lh_for_stmt);
        lh_scope *f = lh_scope_new(r->a, s);
        stmt(r, fs->init, f);
        expr(r, fs->cond, f);
        stmt(r, fs->post, f);
        block(r, fs->body, f);
        break;
    }
    case LH_RANGE_STMT: {
        lh_range_stmt *rg = LH_AS(n, lh_range_stmt);
        expr(r, rg->x, s);
        lh_scope *f = lh_scope_new(r->a, s);
        lh_node *kv[2] = {rg->key, rg->value};
        for (int i = 0; i < 2; i++) {
            if (!kv[i])
                continue;
            if (rg->tok == LH_TOK_DEFINE && LH_KIND(kv[i]) == LH_IDENT) {
                if (is_blank(kv[i]))
                    continue;
                lh_obj *o = declare(r, f, LH_OBJ_VAR, kv[i], n);
                o->index = (uint32_t)i;
            } else {
                expr(r, kv[i], s);
            }
        }
        block(r, rg->body, f);
        break;
    }
    default:
        break;
    }
}

/* ---- expressions ------------------------------------------------------- */

/* Whether a composite literal's keys are field names: a struct type, or a
 * type we cannot see (then the keys are left alone rather than resolved
 * to whatever variable happens to share a field's name). */
static bool keys_are_fields(rs *r, lh_node *type)
{
    if (!type)
        return true;
    type = lh_ast_unparen(type);
    switch (LH_KIND(type)) {
    case LH_MAP_TYPE:
    case LH_ARRAY_TYPE:
        return false;
    case LH_STRUCT_TYPE:
        return true;
    default: {
        const lh_type *t = lh_type_underlying(lh_sema_type_expr(r->p, type));
        return !t || t->kind == LH_T_STRUCT;
    }
    }
}

static void expr(rs *r, lh_node *e, lh_scope *s)
{
    if (!e)
        return;
    switch (LH_KIND(e)) {
    case LH_IDENT:
        use_ident(r, e, s);
        break;
    case LH_FUNC_LIT: {
        lh_func_lit *fl = LH_AS(e, lh_func_lit);
        func(r, e, NULL, fl->type, fl->body, s);
        break;
    }
    case LH_COMPOSITE_LIT: {
        lh_composite_lit *cl = LH_AS(e, lh_composite_lit);
        expr(r, cl->type, s);
        bool fields = keys_are_fields(r, cl->type);
        for (uint32_t i = 0; i < cl->elts.n; i++) {
            lh_node *el = cl->elts.v[i];
            if (LH_KIND(el) == LH_KEY_VALUE_EXPR) {
                lh_key_value_expr *kv = LH_AS(el, lh_key_value_expr);
                if (!(fields && LH_KIND(kv->key) == LH_IDENT))
                    expr(r, kv->key, s);
                expr(r, kv->value, s);
            } else {
                expr(r, el, s);
            }
        }
        break;
    }
    case LH_SELECTOR_EXPR: {
        lh_selector_expr *se = LH_AS(e, lh_selector_expr);
        expr(r, se->x, s);
        /* pkg.Name resolves now; x.field and x.method resolve through x's
         * type when asked (lh_sema_obj_of). */
        lh_obj *x = LH_KIND(se->x) == LH_IDENT ? lh_sema_obj_of(r->p, se->x) : NULL;
        if (x && x->kind == LH_OBJ_PKGNAME) {
            lh_sema_pkg *ip = lh_sema_world_pkg_at(r->p->world, x->path, r->p->seq);
            if (ip) {
                lh_str nm = LH_AS(se->sel, lh_ident)->name;
                lh_obj *o = lh_scope_lookup_local(ip->scope, nm.p, nm.len);
                if (o)
                    record(r, se->sel, o);
            }
        }
        break;
    }
    case LH_STRUCT_TYPE:
        field_list(r, LH_AS(e, lh_struct_type)->fields, NULL, s, 0);
        break;
    case LH_FUNC_TYPE: {
        lh_func_type *ft = LH_AS(e, lh_func_type);
        field_list(r, ft->params, NULL, s, 0);
        field_list(r, ft->results, NULL, s, 0);
        break;
    }
    case LH_INTERFACE_TYPE: {
        lh_field_list *l = LH_AS(LH_AS(e, lh_interface_type)->methods, lh_field_list);
        for (uint32_t i = 0; l && i < l->list.n; i++)
            expr(r, LH_AS(l->list.v[i], lh_field)->type, s);
        break;
    }
    default: {
        /* Every other expression and type: its children in the order the
         * field table gives (go/ast's), each resolved in s. */
        const lh_ast_kind_info *ki = lh_ast_info(LH_KIND(e));
        for (uint8_t i = 0; i < ki->nfields; i++) {
            char *at = (char *)e + ki->fields[i].off;
            if (ki->fields[i].kind == LH_FK_NODE) {
                expr(r, *(lh_node **)at, s);
            } else if (ki->fields[i].kind == LH_FK_LIST) {
                const lh_list *l = (const lh_list *)at;
                for (uint32_t k = 0; k < l->n; k++)
                    expr(r, l->v[k], s);
            }
        }
        break;
    }
    }
}

/* ---- the package -------------------------------------------------------- */

/* Attaches method m to its receiver's base type (declared in this
 * package), so x.M() finds it through x's type. */
static void attach_method(rs *r, lh_func_decl *fd, lh_obj *m)
{
    lh_field_list *rl = LH_AS(fd->recv, lh_field_list);
    if (rl->list.n != 1)
        return;
    lh_node *t = LH_AS(rl->list.v[0], lh_field)->type;
    t = lh_ast_unparen(t);
    if (LH_KIND(t) == LH_STAR_EXPR) {
        m->recv_ptr = true;
        t = lh_ast_unparen(LH_AS(t, lh_star_expr)->x);
    }
    if (LH_KIND(t) == LH_INDEX_EXPR)
        t = LH_AS(t, lh_index_expr)->x;
    else if (LH_KIND(t) == LH_INDEX_LIST_EXPR)
        t = LH_AS(t, lh_index_list_expr)->x;
    if (LH_KIND(t) != LH_IDENT)
        return;
    lh_str nm = LH_AS(t, lh_ident)->name;
    /* Tests analysed after their package declare methods on its types:
     * the type is then in the enclosing (package) scope. */
    lh_obj *to = lh_scope_lookup(r->p->scope, nm.p, nm.len);
    if (!to || to->kind != LH_OBJ_TYPE || !to->pkg)
        return;
    m->recv_type = to;
    if (to->pkg != r->p && to->frozen) {
        /* The package's own type, seen from its tests: they may be
         * analysed beside others that read it, so it is not touched. */
        lh_sema_pkg *p = r->p;
        if (p->nextra == p->capextra) {
            uint32_t nc = p->capextra ? p->capextra * 2 : 8;
            p->extra = lh_arena_realloc(r->a, p->extra, p->capextra * sizeof *p->extra,
                                        nc * sizeof *p->extra);
            p->capextra = nc;
        }
        p->extra[p->nextra++] = (struct lh_extra_method){to, m};
        return;
    }
    if (to->nmethods == to->capmethods) {
        uint32_t nc = to->capmethods ? to->capmethods * 2 : 4;
        to->methods = lh_arena_realloc(r->a, to->methods, to->capmethods * sizeof *to->methods,
                                       nc * sizeof *to->methods);
        to->capmethods = nc;
    }
    to->methods[to->nmethods++] = m;
}

/* The default name of an imported package: the last element of its path
 * (or the stub's/module package's own name when we have it). */
static lh_str import_name(rs *r, const char *path)
{
    lh_sema_pkg *ip = lh_sema_world_pkg_at(r->p->world, path, r->p->seq);
    if (ip && ip->name)
        return (lh_str){ip->name, (uint32_t)strlen(ip->name)};
    const char *slash = strrchr(path, '/');
    const char *last = slash ? slash + 1 : path;
    size_t n = strlen(last);
    /* Major-version suffixes (example.com/x/v2) name the package x. */
    if (slash && last[0] == 'v' && n > 1 && strspn(last + 1, "0123456789") == n - 1) {
        const char *prev = slash;
        while (prev > path && prev[-1] != '/')
            prev--;
        return (lh_str){prev, (uint32_t)(slash - prev)};
    }
    return (lh_str){last, (uint32_t)n};
}

void lh_sema_resolve(lh_sema_pkg *p)
{
    rs r = {.p = p, .a = &p->arena};
    lh_scope **fscopes = lh_arena_alloc(r.a, (p->nfiles + 1) * sizeof *fscopes);
    /* Go source has an identifier every 20 bytes or so (GOROOT/src:
     * 21.6 on average): sized for one per 24, the map of uses grows once
     * or not at all, where it doubled some fifteen times from empty. */
    size_t bytes = 0;
    for (size_t fi = 0; fi < p->nfiles; fi++)
        bytes += p->files[fi]->n.end;
    lh_ptrmap_reserve(&p->uses, bytes / 24);

    /* Pass 1: package-level names, file scopes with imports. */
    for (size_t fi = 0; fi < p->nfiles; fi++) {
        lh_file *f = p->files[fi];
        lh_scope *fs = fscopes[fi] = lh_scope_new(r.a, p->scope);
        for (uint32_t i = 0; i < f->imports.n; i++) {
            lh_import_spec *is = LH_AS(f->imports.v[i], lh_import_spec);
            lh_str ip;
            if (!lh_ast_import_path(&is->n, &ip))
                continue;
            char *path = lh_arena_strndup(r.a, ip.p, ip.len);
            if (is->name && lh_ident_is(is->name, ".")) {
                fs->dots = lh_arena_realloc(r.a, fs->dots, fs->ndots * sizeof *fs->dots,
                                            (fs->ndots + 1) * sizeof *fs->dots);
                fs->dots[fs->ndots++] = lh_sema_world_pkg_at(p->world, path, p->seq);
                continue;
            }
            if (is->name && is_blank(is->name))
                continue;
            lh_obj *o = LH_NEW(r.a, lh_obj);
            o->kind = LH_OBJ_PKGNAME;
            o->decl = &is->n;
            o->pkg = p;
            o->path = path;
            o->type_done = true;
            if (is->name) {
                o->ident = is->name;
                o->name = LH_AS(is->name, lh_ident)->name;
                record(&r, is->name, o);
            } else {
                o->name = import_name(&r, path);
            }
            lh_scope_insert(r.a, fs, o);
        }
        for (uint32_t i = 0; i < f->decls.n; i++) {
            lh_node *d = f->decls.v[i];
            lh_ptrmap_put(&p->file_of, d, f);
            if (LH_KIND(d) == LH_FUNC_DECL) {
                lh_func_decl *fd = LH_AS(d, lh_func_decl);
                r.func = NULL;
                lh_obj *o = new_obj(&r, LH_OBJ_FUNC, fd->name, d);
                o->type_expr = fd->type;
                record(&r, fd->name, o);
                /* init and methods are not in the package scope. */
                if (!fd->recv && !lh_ident_is(fd->name, "init") && !is_blank(fd->name))
                    lh_scope_insert(r.a, p->scope, o);
                continue;
            }
            if (LH_KIND(d) != LH_GEN_DECL)
                continue;
            lh_gen_decl *gd = LH_AS(d, lh_gen_decl);
            lh_value_spec *prev = NULL;
            for (uint32_t k = 0; k < gd->specs.n; k++) {
                lh_node *sp = gd->specs.v[k];
                if (LH_KIND(sp) == LH_TYPE_SPEC) {
                    lh_type_spec *ts = LH_AS(sp, lh_type_spec);
                    lh_obj *o = declare(&r, p->scope, LH_OBJ_TYPE, ts->name, sp);
                    o->type_expr = ts->type;
                } else if (LH_KIND(sp) == LH_VALUE_SPEC) {
                    lh_value_spec *vs = LH_AS(sp, lh_value_spec);
                    lh_value_spec *src = vs;
                    if (gd->tok == LH_TOK_CONST && !vs->type && vs->values.n == 0 && prev)
                        src = prev;
                    else
                        prev = vs;
                    for (uint32_t j = 0; j < vs->names.n; j++) {
                        lh_obj *o = declare(&r, p->scope,
                                            gd->tok == LH_TOK_CONST ? LH_OBJ_CONST : LH_OBJ_VAR,
                                            vs->names.v[j], sp);
                        if (gd->tok == LH_TOK_VAR)
                            o->flags = LH_VAR_PKG;
                        o->type_expr = src->type;
                        o->index = j;
                        if (src->values.n == src->names.n)
                            o->value = src->values.v[j];
                        else if (src->values.n == 1)
                            o->value = src->values.v[0];
                    }
                }
            }
        }
    }
    /* Methods, once every type is declared. */
    for (size_t fi = 0; fi < p->nfiles; fi++) {
        lh_file *f = p->files[fi];
        for (uint32_t i = 0; i < f->decls.n; i++) {
            lh_node *d = f->decls.v[i];
            if (LH_KIND(d) != LH_FUNC_DECL || !LH_AS(d, lh_func_decl)->recv)
                continue;
            lh_func_decl *fd = LH_AS(d, lh_func_decl);
            attach_method(&r, fd, lh_sema_obj_of(p, fd->name));
        }
    }

    /* Pass 2a: the types of package-level declarations, so that pass 2b
     * can ask for types (composite literal keys) in any order. */
    for (size_t fi = 0; fi < p->nfiles; fi++) {
        lh_file *f = p->files[fi];
        for (uint32_t i = 0; i < f->decls.n; i++) {
            lh_node *d = f->decls.v[i];
            if (LH_KIND(d) != LH_GEN_DECL)
                continue;
            lh_gen_decl *gd = LH_AS(d, lh_gen_decl);
            for (uint32_t k = 0; k < gd->specs.n; k++) {
                lh_node *sp = gd->specs.v[k];
                if (LH_KIND(sp) == LH_TYPE_SPEC) {
                    lh_type_spec *ts = LH_AS(sp, lh_type_spec);
                    lh_scope *s = fscopes[fi];
                    if (ts->type_params) {
                        s = lh_scope_new(r.a, s);
                        type_params(&r, ts->type_params, s);
                    }
                    expr(&r, ts->type, s);
                } else if (LH_KIND(sp) == LH_VALUE_SPEC) {
                    expr(&r, LH_AS(sp, lh_value_spec)->type, fscopes[fi]);
                }
            }
        }
    }
    /* Pass 2b: values and function bodies. */
    for (size_t fi = 0; fi < p->nfiles; fi++) {
        lh_file *f = p->files[fi];
        for (uint32_t i = 0; i < f->decls.n; i++) {
            lh_node *d = f->decls.v[i];
            if (LH_KIND(d) == LH_FUNC_DECL) {
                lh_func_decl *fd = LH_AS(d, lh_func_decl);
                func(&r, d, fd->recv, fd->type, fd->body, fscopes[fi]);
                continue;
            }
            if (LH_KIND(d) != LH_GEN_DECL)
                continue;
            lh_gen_decl *gd = LH_AS(d, lh_gen_decl);
            for (uint32_t k = 0; k < gd->specs.n; k++) {
                lh_node *sp = gd->specs.v[k];
                if (LH_KIND(sp) != LH_VALUE_SPEC)
                    continue;
                lh_value_spec *vs = LH_AS(sp, lh_value_spec);
                for (uint32_t j = 0; j < vs->values.n; j++)
                    expr(&r, vs->values.v[j], fscopes[fi]);
            }
        }
    }
}

lh_obj *lh_sema_obj_of(const lh_sema_pkg *p, const lh_node *ident)
{
    return lh_ptrmap_get(&p->uses, ident);
}
