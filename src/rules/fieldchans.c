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

/* The package's answer, computed once (lh_rule_ctx.field_chans): the
 * fields in scope order, and every (field, go statement) pair to visit, in
 * the order the visits go. */
typedef struct fc_pair {
    size_t field, go;
} fc_pair;

struct lh_field_chans {
    lh_field_chan *fields;
    size_t nfields, capfields;
    go_list gos;
    lh_chan_use *uses;          /* uses[field * gos.n + go] */
    fc_pair *pairs;
    size_t npairs;
};

void lh_field_chans_free(struct lh_field_chans *fc)
{
    if (!fc)
        return;
    free(fc->fields);
    free(fc->gos.v);
    free(fc->uses);
    free(fc->pairs);
    free(fc);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        abort();
    return p;
}

void lh_rule_each_pkg_chan_field(lh_rule_ctx *c, lh_pkg_chan_field_fn visit, void *ctx)
{
    lh_scope *s = c->sema->scope;
    for (uint32_t ti = 0; ti < s->n; ti++) {
        const lh_obj *t = s->objs[ti];
        if (t->kind != LH_OBJ_TYPE)
            continue;
        const lh_type *u = lh_type_underlying(lh_sema_obj_type((lh_obj *)t));
        for (uint32_t fi = 0; u && u->kind == LH_T_STRUCT && fi < u->nfields; fi++) {
            const lh_tfield *fd = &u->fields[fi];
            const lh_type *ft = lh_type_underlying(fd->type);
            /* Unexported fields, or any field of a type of package main,
             * which nothing can import: only this package reaches them. */
            if (!fd->embedded && ft && ft->kind == LH_T_CHAN && lh_rule_pkg_only(c, fd->name))
                visit(ctx, t, fd->name);
        }
    }
}

static void add_field(void *vfc, const lh_obj *type, lh_str name)
{
    struct lh_field_chans *fc = vfc;
    if (fc->nfields == fc->capfields) {
        fc->capfields = fc->capfields ? 2 * fc->capfields : 8;
        fc->fields = realloc(fc->fields, fc->capfields * sizeof *fc->fields);
        if (!fc->fields)
            abort();
    }
    lh_field_chan *f = &fc->fields[fc->nfields++];
    *f = (lh_field_chan){type, name, {0}};
    f->all.make_cap = -1;
}

/* One walk per file gives every field its uses across the package, and
 * one walk per goroutine body every field's uses there: a walk per field
 * (fields x package size) was a fifth of a scan of GOROOT/src. */
static struct lh_field_chans *field_chans(lh_rule_ctx *c)
{
    struct lh_field_chans *fc = xcalloc(1, sizeof *fc);
    go_list *gos = &fc->gos;
    for (size_t i = 0; i < c->nfiles; i++) {
        gos->file = c->files[i];
        lh_rule_walk_file(c, i, LH_KIND_SET(LH_GO_STMT), collect_go, gos);
    }
    if (gos->n == 0)
        return fc;
    lh_rule_each_pkg_chan_field(c, add_field, fc);
    if (fc->nfields == 0)
        return fc;
    lh_chan_field_target *tg = xcalloc(fc->nfields, sizeof *tg);
    for (size_t f = 0; f < fc->nfields; f++)
        tg[f] = (lh_chan_field_target){fc->fields[f].type, fc->fields[f].name, &fc->fields[f].all};
    for (size_t k = 0; k < c->nfiles; k++)
        lh_chan_field_uses(c->sema, tg, fc->nfields, (lh_node *)&c->files[k]->ast->n);
    /* Fields handed on are not followed into the goroutines. */
    size_t nt = 0;
    size_t *which = xcalloc(fc->nfields, sizeof *which);
    for (size_t f = 0; f < fc->nfields; f++)
        if (!fc->fields[f].all.handed)
            which[nt++] = f;
    fc->uses = xcalloc(fc->nfields * gos->n, sizeof *fc->uses);
    bool *body_seen = xcalloc(gos->n, sizeof *body_seen);
    for (size_t g = 0; g < gos->n && nt > 0; g++) {
        lh_node *body = go_body(c, LH_AS(gos->v[g].go, lh_go_stmt));
        if (!body)
            continue;
        body_seen[g] = true;
        for (size_t i = 0; i < nt; i++) {
            lh_chan_use *u = &fc->uses[which[i] * gos->n + g];
            u->make_cap = -1;
            tg[i] = (lh_chan_field_target){fc->fields[which[i]].type, fc->fields[which[i]].name, u};
        }
        lh_chan_field_uses(c->sema, tg, nt, body);
    }
    fc->pairs = xcalloc(nt * gos->n, sizeof *fc->pairs);
    for (size_t i = 0; i < nt; i++)
        for (size_t g = 0; g < gos->n; g++) {
            const lh_chan_use *u = &fc->uses[which[i] * gos->n + g];
            if (body_seen[g] &&
                (u->sends || u->soft_sends || u->recvs || u->loop_recvs || u->ranges))
                fc->pairs[fc->npairs++] = (fc_pair){which[i], g};
        }
    free(body_seen);
    free(which);
    free(tg);
    return fc;
}

void lh_rule_each_field_chan(lh_rule_ctx *c, lh_field_chan_fn visit, void *ctx)
{
    if (!c->field_chans)
        c->field_chans = field_chans(c);
    struct lh_field_chans *fc = c->field_chans;
    for (size_t i = 0; i < fc->npairs; i++) {
        lh_field_go fg = fc->gos.v[fc->pairs[i].go];
        fg.use = fc->uses[fc->pairs[i].field * fc->gos.n + fc->pairs[i].go];
        visit(c, &fc->fields[fc->pairs[i].field], &fg, ctx);
    }
}

bool lh_rule_field_chan_of(lh_rule_ctx *c, const lh_node *sel, const lh_obj **type, lh_str *name)
{
    sel = lh_ast_unparen((lh_node *)sel);
    if (LH_KIND(sel) != LH_SELECTOR_EXPR)
        return false;
    const lh_selector_expr *se = LH_AS(sel, lh_selector_expr);
    const lh_type *t = lh_type_deref(lh_sema_type_of(c->sema, se->x));
    if (!t || t->kind != LH_T_NAMED || !t->obj || t->obj->pkg != c->sema)
        return false;
    lh_str fname = LH_AS(se->sel, lh_ident)->name;
    /* A field of T's own struct: one promoted from an embedded type is
     * that type's field, used (and closed) under its name. */
    const lh_type *u = lh_type_underlying(t);
    const lh_tfield *fd = NULL;
    for (uint32_t i = 0; u && u->kind == LH_T_STRUCT && i < u->nfields; i++)
        if (u->fields[i].name.len == fname.len &&
            memcmp(u->fields[i].name.p, fname.p, fname.len) == 0)
            fd = &u->fields[i];
    const lh_type *ft = fd ? lh_type_underlying(fd->type) : NULL;
    if (!fd || fd->embedded || !ft || ft->kind != LH_T_CHAN || !lh_rule_pkg_only(c, fname))
        return false;
    *type = t->obj;
    *name = fname;
    return true;
}

