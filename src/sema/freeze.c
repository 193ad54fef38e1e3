/* Freezing a package: keep what importers ask, drop the trees.
 *
 * Importers reach a package only through its package scope: its types
 * (with fields and methods), functions (signatures, parameter summaries),
 * variables and constants. Everything they may ask is computed here while
 * the trees are alive, names are copied out of the source buffers, and
 * the side tables keyed by tree nodes are dropped (their keys would dangle
 * and could collide with the next package's nodes). */
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
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
    /* Only p's own types: another package's were frozen with it, and
     * rewriting their names into p's arena would leave them dangling
     * when p's arena goes. */
    if (!t || depth > 16 || t->kind == LH_T_NAMED || t->kind == LH_T_BASIC ||
        !lh_arena_owns(&p->arena, t))
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

/* Whether other packages may reach p after its freeze: not a package's
 * tests. In-package ones live under a path with a space in it; external
 * ones under the path plus "_test", which no import of Go code names
 * unless a directory of that name is a package too (the world then
 * holds whichever came last, and a shadowed importer got a wrong package
 * already). The summaries below are kept for importers; a test package's
 * own rules computed what they asked for before the freeze. */
static bool importable(const lh_sema_pkg *p)
{
    return !p->xtest && p->scope->parent == lh_sema_universe(p->world);
}

static void freeze_func(lh_sema_pkg *p, lh_obj *f)
{
    freeze_type(p, lh_sema_obj_type(f), 0);
    if (!importable(p))
        return;
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

/* ---- compaction -------------------------------------------------------- */

/* After the freeze only the package scope's objects and the types they
 * reach are needed, but the package's arena also holds every local scope,
 * local object and expression type made while its bodies were analysed:
 * most of it. The kept part is copied out and the arena freed, so what the
 * world keeps grows with the module's API, not with its code. Pointers
 * into other packages' memory stay as they are.
 *
 * The copy goes into small chunks of its own rather than a fresh arena:
 * an arena's blocks start at 64 KiB and double, and most packages keep a
 * few kilobytes, so a scan holding a thousand frozen packages held more
 * empty block tails than summaries. */
struct lh_frozen_chunk {
    struct lh_frozen_chunk *next;
    alignas(max_align_t) char data[];
};

enum {
    FROZEN_CHUNK = 8192 - 64,   /* with malloc's and our headers, ~8 KiB */
    FROZEN_OWN = 1024,          /* larger requests get a chunk of their own */
};

typedef struct copier {
    lh_arena *old;
    lh_ptrmap map;              /* old pointer -> new */
    struct lh_frozen_chunk *chunks;
    char *ptr, *end;            /* free space in the newest small chunk */
} copier;

static struct lh_frozen_chunk *chunk_new(copier *c, size_t n)
{
    struct lh_frozen_chunk *k = malloc(sizeof *k + n);
    if (!k)
        abort();
    k->next = c->chunks;
    c->chunks = k;
    return k;
}

/* Zeroed, aligned for any object. */
static void *store_alloc(copier *c, size_t n)
{
    const size_t al = alignof(max_align_t);
    n = n ? (n + al - 1) & ~(al - 1) : al;
    char *p;
    if (n > FROZEN_OWN) {
        p = chunk_new(c, n)->data;
    } else {
        if (!c->ptr || n > (size_t)(c->end - c->ptr)) {
            c->ptr = chunk_new(c, FROZEN_CHUNK)->data;
            c->end = c->ptr + FROZEN_CHUNK;
        }
        p = c->ptr;
        c->ptr += n;
    }
    memset(p, 0, n);
    return p;
}

static char *store_strndup(copier *c, const char *s, size_t n)
{
    char *d = store_alloc(c, n + 1);
    memcpy(d, s, n);
    return d;
}

#define STORE_NEWN(c, T, n) ((T *)store_alloc((c), sizeof(T) * (size_t)(n)))

void lh_sema_free_frozen(lh_sema_pkg *p)
{
    while (p->frozen) {
        struct lh_frozen_chunk *next = p->frozen->next;
        free(p->frozen);
        p->frozen = next;
    }
}

static lh_obj *cp_obj(copier *c, lh_obj *o);

static const lh_type *cp_type(copier *c, const lh_type *t)
{
    if (!t || !lh_arena_owns(c->old, t))
        return t;
    lh_type *n = lh_ptrmap_get(&c->map, t);
    if (n)
        return n;
    n = STORE_NEWN(c, lh_type, 1);
    *n = *t;
    lh_ptrmap_put(&c->map, t, n);
    n->elem = cp_type(c, t->elem);
    n->key = cp_type(c, t->key);
    n->obj = t->obj ? cp_obj(c, (lh_obj *)t->obj) : NULL;
    const lh_type ***lists[3] = {&n->params, &n->results, &n->elems};
    const lh_type **srcs[3] = {(const lh_type **)t->params, (const lh_type **)t->results,
                               (const lh_type **)t->elems};
    uint32_t counts[3] = {t->nparams, t->nresults, t->nelems};
    for (int k = 0; k < 3; k++) {
        if (!srcs[k] || counts[k] == 0)
            continue;
        const lh_type **v = STORE_NEWN(c, const lh_type *, counts[k]);
        for (uint32_t i = 0; i < counts[k]; i++)
            v[i] = cp_type(c, srcs[k][i]);
        *lists[k] = v;
    }
    if (t->fields && t->nfields) {
        lh_tfield *f = STORE_NEWN(c, lh_tfield, t->nfields);
        for (uint32_t i = 0; i < t->nfields; i++) {
            f[i] = t->fields[i];
            f[i].name.p = store_strndup(c, t->fields[i].name.p, t->fields[i].name.len);
            f[i].type = cp_type(c, t->fields[i].type);
        }
        n->fields = f;
    }
    return n;
}

static lh_obj *cp_obj(copier *c, lh_obj *o)
{
    if (!o || !lh_arena_owns(c->old, o))
        return o;
    lh_obj *n = lh_ptrmap_get(&c->map, o);
    if (n)
        return n;
    n = STORE_NEWN(c, lh_obj, 1);
    *n = *o;
    lh_ptrmap_put(&c->map, o, n);
    n->name.p = store_strndup(c, o->name.p, o->name.len);
    if (o->path)
        n->path = store_strndup(c, o->path, strlen(o->path));
    n->type = cp_type(c, o->type);
    n->named = cp_type(c, o->named);
    n->under = cp_type(c, o->under);
    n->recv_type = cp_obj(c, (lh_obj *)o->recv_type);
    if (o->nmethods) {
        n->methods = STORE_NEWN(c, lh_obj *, o->nmethods);
        for (uint32_t i = 0; i < o->nmethods; i++)
            n->methods[i] = cp_obj(c, o->methods[i]);
        n->capmethods = o->nmethods;
    }
    if (o->summary && o->nsummary) {
        n->summary = store_alloc(c, o->nsummary);
        memcpy(n->summary, o->summary, o->nsummary);
    }
    return n;
}

static void compact(lh_sema_pkg *p)
{
    copier c = {.old = &p->arena, .map = LH_PTRMAP_INIT};
    lh_scope *s = p->scope, *ns = STORE_NEWN(&c, lh_scope, 1);
    ns->parent = s->parent;
    ns->n = ns->cap = s->n;
    ns->objs = STORE_NEWN(&c, lh_obj *, s->n ? s->n : 1);
    for (uint32_t i = 0; i < s->n; i++)
        ns->objs[i] = cp_obj(&c, s->objs[i]);
    /* The index is built where the scope code builds it, then moved. */
    lh_arena idx;
    lh_arena_init(&idx);
    lh_scope_reindex(&idx, ns);
    if (ns->index) {
        uint32_t *v = STORE_NEWN(&c, uint32_t, ns->index_cap);
        memcpy(v, ns->index, sizeof *v * ns->index_cap);
        ns->index = v;
    }
    lh_arena_free(&idx);
    p->scope = ns;
    p->path = store_strndup(&c, p->path, strlen(p->path));
    if (p->name)
        p->name = store_strndup(&c, p->name, strlen(p->name));
    lh_ptrmap_free(&c.map);
    lh_arena_free(&p->arena);
    lh_arena_init(&p->arena);
    p->frozen = c.chunks;
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
    /* In-package tests analysed after their package hang methods on the
     * package's types from their own arena: such a package is left as is
     * (there is one per package at most, and nobody imports it). */
    if (p->scope->parent == lh_sema_universe(p->world))
        compact(p);
}

void lh_sema_seal_stub(lh_sema_pkg *p)
{
    if (!p || !p->stub)
        return;
    lh_scope *s = p->scope;
    for (uint32_t i = 0; i < s->n; i++)
        freeze_obj(p, s->objs[i]);
    /* Only the flags: the trees are static, and rules may still look at a
     * stub variable's declaration as they always have. */
    for (uint32_t i = 0; i < s->n; i++) {
        lh_obj *o = s->objs[i];
        for (uint32_t k = 0; o->kind == LH_OBJ_TYPE && k < o->nmethods; k++)
            o->methods[k]->type_done = o->methods[k]->frozen = true;
        o->type_done = o->frozen = true;
    }
}
