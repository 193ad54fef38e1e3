/* Freezing a package: keep what importers ask, drop the trees.
 *
 * Importers reach a package only through its package scope: its types
 * (with fields and methods), functions (signatures, parameter summaries),
 * variables and constants. Everything they may ask is computed here while
 * the trees are alive, names are copied out of the source buffers, and
 * the side tables keyed by tree nodes are dropped (their keys would dangle
 * and could collide with the next package's nodes). */
#include <string.h>

#include "sema/flow.h"
#include "sema/sema.h"

static void copy_name(lh_arena *a, lh_str *s)
{
    if (s->len)
        s->p = lh_arena_strndup(a, s->p, s->len);
}

static void freeze_type(lh_sema_pkg *p, const lh_type *t, int depth);

static void freeze_fields(lh_sema_pkg *p, const lh_type *t, int depth)
{
    for (uint32_t i = 0; i < t->nfields; i++) {
        copy_name(&p->arena, &t->fields[i].name);
        freeze_type(p, t->fields[i].type, depth + 1);
    }
}

/* Copies the field names of the types p made (others' are theirs). Types
 * are graphs with cycles through NAMED, which stops the walk. */
static void freeze_type(lh_sema_pkg *p, const lh_type *t, int depth)
{
    if (!t || depth > 16 || t->kind == LH_T_NAMED || t->kind == LH_T_BASIC)
        return;
    switch (t->kind) {
    case LH_T_STRUCT:
    case LH_T_INTERFACE:
        freeze_fields(p, t, depth);
        break;
    case LH_T_FUNC:
        for (uint32_t i = 0; i < t->nparams; i++)
            freeze_type(p, t->params[i], depth + 1);
        for (uint32_t i = 0; i < t->nresults; i++)
            freeze_type(p, t->results[i], depth + 1);
        break;
    default:
        freeze_type(p, t->elem, depth + 1);
        freeze_type(p, t->key, depth + 1);
        break;
    }
}

static void freeze_func(lh_sema_pkg *p, lh_obj *f)
{
    freeze_type(p, lh_sema_obj_type(f), 0);
    lh_flow_summarise(f);
    (void)lh_sema_never_returns(f);     /* kept for importers' graphs */
}

static void freeze_obj(lh_sema_pkg *p, lh_obj *o)
{
    switch (o->kind) {
    case LH_OBJ_TYPE: {
        const lh_type *named = lh_sema_obj_type(o);
        const lh_type *u = named && named->kind == LH_T_NAMED && named->obj == o
                               ? lh_type_underlying(named)
                               : NULL;
        freeze_type(p, u ? u : named, 0);
        for (uint32_t i = 0; i < o->nmethods; i++)
            freeze_func(p, o->methods[i]);
        o->under = u;
        break;
    }
    case LH_OBJ_FUNC:
        freeze_func(p, o);
        break;
    case LH_OBJ_CONST: {
        lh_sema_obj_type(o);
        int64_t v;
        if (o->ident && lh_sema_const_int(p, o->ident, &v)) {
            o->has_cval = true;
            o->cval = v;
        }
        break;
    }
    case LH_OBJ_VAR:
        freeze_type(p, lh_sema_obj_type(o), 0);
        break;
    default:
        break;
    }
}

static void detach(lh_sema_pkg *p, lh_obj *o)
{
    copy_name(&p->arena, &o->name);
    o->ident = o->decl = o->func = o->type_expr = o->value = NULL;
    o->type_done = true;
    o->frozen = true;
}

void lh_sema_freeze(lh_sema_pkg *p)
{
    if (p->stub)
        return;     /* stubs' trees are static and stay */
    lh_scope *s = p->scope;
    for (uint32_t i = 0; i < s->n; i++)
        freeze_obj(p, s->objs[i]);
    /* Detach only once everything is computed: computing one object's
     * type may read another's declaration. */
    for (uint32_t i = 0; i < s->n; i++) {
        lh_obj *o = s->objs[i];
        if (o->kind == LH_OBJ_TYPE)
            for (uint32_t k = 0; k < o->nmethods; k++)
                detach(p, o->methods[k]);
        detach(p, o);
    }
    if (p->name)
        p->name = lh_arena_strdup(&p->arena, p->name);
    lh_ptrmap_free(&p->uses);
    lh_ptrmap_free(&p->types);
    lh_ptrmap_free(&p->file_of);
    free(p->files);
    free(p->lfiles);
    p->files = NULL;
    p->lfiles = NULL;
    p->nfiles = 0;
    p->load = NULL;
}
