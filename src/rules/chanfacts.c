/* Channel facts for the goroutine rules (chanfacts.h). */
#include <stdlib.h>
#include <string.h>

#include "rules/chanfacts.h"

lh_node *lh_rule_enclosing_loop(lh_node *const *anc, size_t nanc)
{
    for (size_t i = nanc; i-- > 0;) {
        lh_node_kind k = LH_KIND(anc[i]);
        if (k == LH_FUNC_LIT || k == LH_FUNC_DECL)
            return NULL;
        if (k == LH_FOR_STMT || k == LH_RANGE_STMT)
            return anc[i];
    }
    return NULL;
}

typedef struct recv_ctx {
    lh_sema_pkg *p;
    const lh_obj *ch;
    bool found;
} recv_ctx;

static bool recv_pre(lh_node *n, lh_node *parent, void *vr)
{
    (void)parent;
    recv_ctx *r = vr;
    if (r->found || LH_KIND(n) == LH_FUNC_LIT)
        return false;
    if (LH_KIND(n) == LH_UNARY_EXPR && LH_AS(n, lh_unary_expr)->op == LH_TOK_ARROW) {
        lh_node *x = lh_ast_unparen(LH_AS(n, lh_unary_expr)->x);
        if (LH_KIND(x) == LH_IDENT && lh_sema_obj_of(r->p, x) == r->ch)
            r->found = true;
    }
    return !r->found;
}

bool lh_rule_receives(lh_sema_pkg *p, lh_node *n, const lh_obj *ch)
{
    recv_ctx r = {p, ch, false};
    lh_ast_walk(n, recv_pre, NULL, &r);
    return r.found;
}

/* ---- the go statements of a maker ------------------------------------ */

typedef struct gos_ctx {
    lh_rule_ctx *c;
    lh_chan_facts *f;
    bool overflow;
} gos_ctx;

static bool gos_visit(lh_node *n, lh_node *const *anc, size_t nanc, void *vg)
{
    gos_ctx *g = vg;
    if (LH_KIND(n) == LH_FUNC_LIT)
        return false;           /* another function: its go statements are its own */
    if (LH_KIND(n) == LH_GO_STMT && lh_go_mentions(g->c->sema, LH_AS(n, lh_go_stmt), g->f->ch)) {
        if (g->f->ngo == LH_CHAN_MAX_GO) {
            g->overflow = true;
            return false;
        }
        lh_chan_go *cg = &g->f->gos[g->f->ngo++];
        memset(cg, 0, sizeof *cg);
        cg->go = n;
        cg->loop = lh_rule_enclosing_loop(anc, nanc);
        return false;
    }
    return true;
}

/* Fills the goroutines' facts; false when one of them is not provable. */
static bool goroutines(lh_rule_ctx *c, lh_chan_facts *f, lh_node *body)
{
    gos_ctx g = {c, f, false};
    lh_rule_walk(body, gos_visit, &g);
    if (g.overflow)
        return false;
    for (uint32_t i = 0; i < f->ngo; i++) {
        lh_chan_go *cg = &f->gos[i];
        lh_node *gbody;
        const lh_go_stmt *gs = LH_AS(cg->go, lh_go_stmt);
        if (!lh_go_target(c->sema, gs, f->ch, &cg->pkg, &gbody, &cg->target))
            return false;
        lh_node *fun = lh_ast_unparen(LH_AS(gs->call, lh_call_expr)->fun);
        if (LH_KIND(fun) == LH_FUNC_LIT) {
            cg->func = fun;
        } else {
            lh_obj *fo = lh_sema_callee(c->sema, LH_AS(gs->call, lh_call_expr));
            cg->func = (lh_node *)fo->decl;
        }
        if (cg->target)
            lh_chan_uses(cg->pkg, cg->target, gbody, NULL, 0, &cg->use);
        if (cg->use.handed)
            return false;
    }
    return true;
}

/* The package's channels made by its functions whose facts the rules
 * visit, in walk order: computed by the first rule that asks
 * (lh_rule_ctx.chans), replayed for the others. */
struct lh_chan_list {
    lh_chan_facts **v;
    size_t n, cap;
};

void lh_chan_list_free(struct lh_chan_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    free(l);
}

typedef struct each_ctx {
    lh_rule_ctx *c;
    const lh_load_file *f;
    struct lh_chan_list *out;
} each_ctx;

static bool is_chan_make(lh_rule_ctx *c, const lh_node *e, int64_t *cap)
{
    e = lh_ast_unparen((lh_node *)e);
    if (LH_KIND(e) != LH_CALL_EXPR)
        return false;
    const lh_call_expr *call = LH_AS(e, lh_call_expr);
    lh_obj *o = lh_sema_callee(c->sema, call);
    if (!o || o->kind != LH_OBJ_BUILTIN || o->name.len != 4 || memcmp(o->name.p, "make", 4) != 0 ||
        call->args.n == 0)
        return false;
    const lh_type *t = lh_type_underlying(lh_sema_type_expr(c->sema, call->args.v[0]));
    if (!t || t->kind != LH_T_CHAN)
        return false;
    *cap = lh_sema_make_cap(c->sema, call);
    return true;
}

static void consider(each_ctx *x, lh_node *const *anc, size_t nanc, lh_node *id, lh_node *value)
{
    lh_rule_ctx *c = x->c;
    int64_t cap;
    if (LH_KIND(id) != LH_IDENT || lh_ident_is(id, "_") || !is_chan_make(c, value, &cap))
        return;
    lh_obj *ch = lh_sema_obj_of(c->sema, id);
    lh_node *fn = lh_rule_enclosing_func(anc, nanc);
    if (!ch || ch->kind != LH_OBJ_VAR || ch->ident != id || !fn || ch->func != fn)
        return;
    lh_chan_facts *f = calloc(1, sizeof *f);
    if (!f)
        abort();
    f->file = x->f;
    f->ch = ch;
    f->maker = fn;
    f->make = LH_AS(lh_ast_unparen(value), lh_call_expr);
    f->cap = cap;
    lh_node *body = LH_KIND(fn) == LH_FUNC_DECL ? LH_AS(fn, lh_func_decl)->body
                                                : LH_AS(fn, lh_func_lit)->body;
    if (body && goroutines(c, f, body)) {
        lh_node *skip[LH_CHAN_MAX_GO];
        for (uint32_t i = 0; i < f->ngo; i++)
            skip[i] = f->gos[i].go;
        lh_chan_uses(c->sema, ch, body, skip, f->ngo, &f->own);
        if (!f->own.handed) {
            struct lh_chan_list *l = x->out;
            if (l->n == l->cap) {
                l->cap = l->cap ? 2 * l->cap : 16;
                l->v = realloc(l->v, l->cap * sizeof *l->v);
                if (!l->v)
                    abort();
            }
            l->v[l->n++] = f;
            return;
        }
    }
    free(f);
}

static bool each_visit(lh_node *n, lh_node *const *anc, size_t nanc, void *vx)
{
    each_ctx *x = vx;
    if (LH_KIND(n) == LH_ASSIGN_STMT) {
        lh_assign_stmt *a = LH_AS(n, lh_assign_stmt);
        if (a->tok == LH_TOK_DEFINE && a->lhs.n == a->rhs.n)
            for (uint32_t i = 0; i < a->lhs.n; i++)
                consider(x, anc, nanc, a->lhs.v[i], a->rhs.v[i]);
    } else if (LH_KIND(n) == LH_VALUE_SPEC) {
        lh_value_spec *v = LH_AS(n, lh_value_spec);
        if (v->names.n == v->values.n)
            for (uint32_t i = 0; i < v->names.n; i++)
                consider(x, anc, nanc, v->names.v[i], v->values.v[i]);
    }
    return true;
}

void lh_rule_each_chan(lh_rule_ctx *c, lh_chan_visit_fn visit, void *ctx)
{
    if (!c->chans) {
        c->chans = calloc(1, sizeof *c->chans);
        if (!c->chans)
            abort();
        each_ctx x = {c, NULL, c->chans};
        for (size_t i = 0; i < c->nfiles; i++) {
            x.f = c->files[i];
            lh_rule_walk((lh_node *)&x.f->ast->n, each_visit, &x);
        }
    }
    for (size_t i = 0; i < c->chans->n; i++)
        visit(c, c->chans->v[i], ctx);
}
