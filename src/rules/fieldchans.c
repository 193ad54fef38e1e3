/* Channel fields, package-wide (fieldchans.h). */
#include <stdlib.h>
#include <string.h>

#include "rules/chanfacts.h"
#include "rules/fieldchans.h"

/* The code a go statement runs: a literal's body, or the body of a
 * function or method of this package (still unfrozen: its tree is here). */
static lh_node *go_body(lh_rule_ctx *c, const lh_go_stmt *g)
{
    if (LH_KIND(g->call) != LH_CALL_EXPR)
        return NULL;
    const lh_call_expr *call = LH_AS(g->call, lh_call_expr);
    lh_node *fun = lh_ast_unparen(call->fun);
    if (LH_KIND(fun) == LH_FUNC_LIT)
        return LH_AS(fun, lh_func_lit)->body;
    lh_obj *f = lh_sema_callee(c->sema, call);
    if (!f || f->kind != LH_OBJ_FUNC || f->frozen || f->pkg != c->sema || !f->decl ||
        LH_KIND(f->decl) != LH_FUNC_DECL)
        return NULL;
    return LH_AS(f->decl, lh_func_decl)->body;
}

typedef struct go_list {
    lh_field_go *v;
    size_t n, cap;
    const lh_load_file *file;
} go_list;

static bool collect_go(lh_node *n, lh_node *const *anc, size_t nanc, void *vl)
{
    go_list *l = vl;
    if (LH_KIND(n) != LH_GO_STMT)
        return true;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        if (!l->v)
            abort();
    }
    l->v[l->n++] = (lh_field_go){l->file, n, lh_rule_enclosing_loop(anc, nanc), {0}};
    return true;
}

static bool unexported(lh_str s)
{
    return s.len > 0 && !(s.p[0] >= 'A' && s.p[0] <= 'Z') && !(s.len == 1 && s.p[0] == '_');
}

void lh_rule_each_field_chan(lh_rule_ctx *c, lh_field_chan_fn visit, void *ctx)
{
    go_list gos = {0};
    for (size_t i = 0; i < c->nfiles; i++) {
        gos.file = c->files[i];
        lh_rule_walk((lh_node *)&c->files[i]->ast->n, collect_go, &gos);
    }
    if (gos.n == 0) {
        free(gos.v);
        return;
    }
    lh_scope *s = c->sema->scope;
    for (uint32_t ti = 0; ti < s->n; ti++) {
        const lh_obj *t = s->objs[ti];
        if (t->kind != LH_OBJ_TYPE)
            continue;
        const lh_type *u = lh_type_underlying(lh_sema_obj_type((lh_obj *)t));
        if (!u || u->kind != LH_T_STRUCT)
            continue;
        for (uint32_t fi = 0; fi < u->nfields; fi++) {
            const lh_tfield *fd = &u->fields[fi];
            const lh_type *ft = lh_type_underlying(fd->type);
            /* Unexported fields, or any field of a type of package main,
             * which nothing can import: only this package reaches them. */
            bool local = unexported(fd->name) ||
                         (c->sema->name && strcmp(c->sema->name, "main") == 0 && !c->sema->xtest);
            if (fd->embedded || !ft || ft->kind != LH_T_CHAN || !local)
                continue;
            lh_field_chan f = {t, fd->name, {0}};
            f.all.make_cap = -1;
            for (size_t k = 0; k < c->nfiles; k++)
                lh_chan_field_uses(c->sema, t, fd->name, (lh_node *)&c->files[k]->ast->n, &f.all);
            if (f.all.handed)
                continue;
            for (size_t g = 0; g < gos.n; g++) {
                lh_node *body = go_body(c, LH_AS(gos.v[g].go, lh_go_stmt));
                if (!body)
                    continue;
                lh_field_go fg = gos.v[g];
                memset(&fg.use, 0, sizeof fg.use);
                fg.use.make_cap = -1;
                lh_chan_field_uses(c->sema, t, fd->name, body, &fg.use);
                if (fg.use.sends || fg.use.soft_sends || fg.use.recvs || fg.use.loop_recvs ||
                    fg.use.ranges)
                    visit(c, &f, &fg, ctx);
            }
        }
    }
    free(gos.v);
}
