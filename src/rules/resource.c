/* The driver the resource rules share (unclosed-body, unclosed-rows,
 * unclosed-file, ticker-not-stopped): find the calls that create a
 * resource, follow the variable that holds it through the CFG
 * (src/sema/flow.c) and report at the call when some path reaches the end
 * of the function, or the next iteration of its loop, still owning it.
 *
 * Silent when the resource is not in a local variable of the function (a
 * field, a global, a named result: someone else's), when a closure
 * captures it or its address is taken (who releases it is not visible to
 * a path search), and when the creating call is not one we know. */
#include <stdlib.h>
#include <string.h>

#include "rules/resource.h"

typedef struct res_ctx {
    lh_rule_ctx *c;
    const lh_load_file *f;
    const lh_res_spec *spec;
} res_ctx;

static void report_path(res_ctx *x, lh_node *call, const char *what, const lh_obj *v,
                        const lh_cfg_hit *hit)
{
    const lh_cfg_block *hb = hit->block;
    char where[96];
    if (hit->how == LH_CFG_HIT_UNTIL)
        snprintf(where, sizeof where, "the loop's next iteration starts");
    else if (hb->nnodes > 0 && LH_KIND(hb->nodes[hb->nnodes - 1]) == LH_RETURN_STMT)
        snprintf(where, sizeof where, "the return on line %u is reached",
                 hb->nodes[hb->nnodes - 1]->pos.line);
    else
        snprintf(where, sizeof where, "the end of the function is reached");
    lh_rule_report(x->c, x->f, call, "%s from %s is not %s on all paths: %s without %s; %s",
                   x->spec->noun, what, x->spec->verb, where, x->spec->release_text,
                   x->spec->fix);
    (void)v;
}

/* A resource bound to lhs (the variable) with err (the error result, may
 * be NULL) by statement stmt. */
static void check_bound(res_ctx *x, lh_node *func, lh_node *call, const char *what,
                        lh_node *lhs, lh_node *err, lh_node *stmt)
{
    lh_rule_ctx *c = x->c;
    if (LH_KIND(lhs) != LH_IDENT)
        return;             /* a field or element: kept for later */
    if (lh_ident_is(lhs, "_")) {
        /* Discarded: a leak on every path where the call succeeded. With
         * its error kept, the paths where it failed own nothing -- a test
         * expecting the call to fail ends in t.Fatal when it does not. */
        lh_obj *e = err && LH_KIND(err) == LH_IDENT ? lh_sema_obj_of(c->sema, err) : NULL;
        lh_cfg *g = func && stmt ? lh_rule_cfg(c, func) : NULL;
        lh_cfg_hit hit;
        if (e && g && !lh_flow_unreleased_path(g, c->sema, NULL, e, x->spec->kind, stmt, &hit))
            return;
        lh_rule_report(c, x->f, call, "%s from %s is discarded, so it is never %s; %s",
                       x->spec->noun, what, x->spec->verb, x->spec->fix);
        return;
    }
    lh_obj *v = lh_sema_obj_of(c->sema, lhs);
    if (!func || !stmt || !v || v->kind != LH_OBJ_VAR || v->func != func ||
        (v->flags & (LH_VAR_RESULT | LH_VAR_PARAM | LH_VAR_PKG)))
        return;
    if (lh_flow_escapes(c->sema, v, func))
        return;
    lh_obj *e = err && LH_KIND(err) == LH_IDENT ? lh_sema_obj_of(c->sema, err) : NULL;
    lh_cfg *g = lh_rule_cfg(c, func);
    lh_cfg_hit hit;
    if (g && lh_flow_unreleased_path(g, c->sema, v, e, x->spec->kind, stmt, &hit))
        report_path(x, call, what, v, &hit);
}

/* The statements that may bind or drop a resource -- an assignment or
 * declaration of one call's results, a call statement -- with what the
 * check needs of their ancestors, in walk order. Found by one walk per
 * package (lh_rule_ctx.res_sites) for every resource rule. */
typedef struct res_site {
    const lh_load_file *f;
    lh_node *n;
    lh_node *call;
    lh_node *func;          /* the innermost enclosing function */
    lh_node *stmt;          /* a ValueSpec's DeclStmt, NULL at package level */
} res_site;

struct lh_res_sites {
    res_site *v;
    size_t n, cap;
    const lh_load_file *f;  /* the file being walked */
};

void lh_res_sites_free(struct lh_res_sites *s)
{
    if (!s)
        return;
    free(s->v);
    free(s);
}

/* The statements collect looks at. */
#define STMT_KINDS \
    (LH_KIND_SET(LH_ASSIGN_STMT) | LH_KIND_SET(LH_VALUE_SPEC) | LH_KIND_SET(LH_EXPR_STMT))

static bool collect(lh_node *n, lh_node *const *anc, size_t nanc, void *vs)
{
    struct lh_res_sites *s = vs;
    lh_node *call = NULL, *stmt = NULL;
    switch (LH_KIND(n)) {
    case LH_ASSIGN_STMT: {
        lh_assign_stmt *a = LH_AS(n, lh_assign_stmt);
        if (a->rhs.n == 1)
            call = lh_ast_unparen(a->rhs.v[0]);
        break;
    }
    case LH_VALUE_SPEC: {
        lh_value_spec *v = LH_AS(n, lh_value_spec);
        if (v->values.n == 1)
            call = lh_ast_unparen(v->values.v[0]);
        stmt = nanc >= 2 && LH_KIND(anc[nanc - 2]) == LH_DECL_STMT ? anc[nanc - 2] : NULL;
        break;
    }
    case LH_EXPR_STMT:
        call = lh_ast_unparen(LH_AS(n, lh_expr_stmt)->x);
        break;
    default:
        break;
    }
    if (!call || LH_KIND(call) != LH_CALL_EXPR)
        return true;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (!s->v)
            abort();
    }
    s->v[s->n++] = (res_site){s->f, n, call, lh_rule_enclosing_func(anc, nanc), stmt};
    return true;
}

static void check_site(res_ctx *x, const res_site *st)
{
    lh_rule_ctx *c = x->c;
    const char *what = x->spec->source(c, LH_AS(st->call, lh_call_expr));
    if (!what)
        return;
    lh_node *n = st->n;
    switch (LH_KIND(n)) {
    case LH_ASSIGN_STMT: {
        lh_assign_stmt *a = LH_AS(n, lh_assign_stmt);
        check_bound(x, st->func, st->call, what, a->lhs.v[0],
                    a->lhs.n > 1 ? a->lhs.v[a->lhs.n - 1] : NULL, n);
        break;
    }
    case LH_VALUE_SPEC: {
        lh_value_spec *v = LH_AS(n, lh_value_spec);
        if (!st->stmt)
            break;          /* package level: lives as long as the program */
        check_bound(x, st->func, st->call, what, v->names.v[0],
                    v->names.n > 1 ? v->names.v[v->names.n - 1] : NULL, st->stmt);
        break;
    }
    default:
        lh_rule_report(c, x->f, st->call, "%s from %s is discarded, so it is never %s; %s",
                       x->spec->noun, what, x->spec->verb, x->spec->fix);
        break;
    }
}

void lh_rule_check_resources(lh_rule_ctx *c, const lh_res_spec *spec)
{
    if (!c->res_sites) {
        c->res_sites = calloc(1, sizeof *c->res_sites);
        if (!c->res_sites)
            abort();
        /* A site is checked within its function and reported in its
         * file: the sites of quiet files are not collected at all. */
        for (size_t i = 0; i < c->nfiles; i++) {
            c->res_sites->f = c->files[i];
            if (!lh_rule_quiet(c, c->files[i]))
                lh_rule_walk_file(c, i, STMT_KINDS, collect, c->res_sites);
        }
    }
    res_ctx x = {c, NULL, spec};
    for (size_t i = 0; i < c->res_sites->n; i++) {
        x.f = c->res_sites->v[i].f;
        check_site(&x, &c->res_sites->v[i]);
    }
}

const char *lh_rule_callee_name(lh_rule_ctx *c, const lh_call_expr *call,
                                const lh_res_source *table)
{
    lh_obj *o = lh_rule_callee(c, call);
    if (!o)
        return NULL;
    for (size_t i = 0; table[i].name; i++)
        if (lh_sema_obj_is(o, table[i].path, table[i].type, table[i].name))
            return table[i].display;
    return NULL;
}
