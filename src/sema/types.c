/* Light types: from type expressions, declarations and expressions, as much
 * as rules need and never more than the source says. NULL is "unknown" and
 * every function here passes it through: an unknown operand gives an
 * unknown result, never a guess. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sema/sema.h"

/* Basic types are shared by every package, world and thread: immutable,
 * static, initialised at compile time. */
#define BASIC(n) {.kind = LH_T_BASIC, .name = n}
static const lh_type basic_types[] = {
    BASIC("bool"), BASIC("byte"), BASIC("complex64"), BASIC("complex128"), BASIC("float32"),
    BASIC("float64"), BASIC("int"), BASIC("int8"), BASIC("int16"), BASIC("int32"),
    BASIC("int64"), BASIC("rune"), BASIC("string"), BASIC("uint"), BASIC("uint8"),
    BASIC("uint16"), BASIC("uint32"), BASIC("uint64"), BASIC("uintptr"), BASIC("untyped nil"),
};
#undef BASIC
enum { NBASIC = sizeof basic_types / sizeof basic_types[0] };

const lh_type *lh_type_basic(const char *name)
{
    for (size_t i = 0; i < NBASIC; i++)
        if (strcmp(basic_types[i].name, name) == 0)
            return &basic_types[i];
    return NULL;
}

const lh_type *lh_type_new(lh_arena *a, lh_type_kind k)
{
    lh_type *t = LH_NEW(a, lh_type);
    t->kind = (uint8_t)k;
    return t;
}

static lh_type *mk(lh_sema_pkg *p, lh_type_kind k)
{
    return (lh_type *)lh_type_new(&p->arena, k);
}

const lh_type *lh_type_underlying(const lh_type *t)
{
    /* Bounded: type T U; type U T is an error the compiler reports, and
     * must not loop here. */
    for (int i = 0; t && t->kind == LH_T_NAMED && i < 16; i++) {
        lh_obj *o = (lh_obj *)t->obj;
        if (!o)
            return NULL;
        if (o->frozen) {
            t = o->under;
            continue;
        }
        if (o->pkg == NULL) {
            /* Universe: error's underlying interface has Error(). */
            return NULL;
        }
        const lh_node *spec = o->decl;
        if (!spec || LH_KIND(spec) != LH_TYPE_SPEC)
            return NULL;
        const lh_type *u = lh_sema_type_expr(o->pkg, LH_AS(spec, lh_type_spec)->type);
        if (u == t)
            return NULL;
        t = u;
    }
    return t && t->kind == LH_T_NAMED ? NULL : t;
}

const lh_type *lh_type_deref(const lh_type *t)
{
    if (t && t->kind == LH_T_POINTER)
        return t->elem;
    return t;
}

static bool str_eq(lh_str s, const char *z)
{
    size_t n = strlen(z);
    return s.len == n && memcmp(s.p, z, n) == 0;
}

bool lh_type_is_named(const lh_type *t, const char *path, const char *name)
{
    if (!t || t->kind != LH_T_NAMED || !t->obj)
        return false;
    const lh_obj *o = t->obj;
    if (!str_eq(o->name, name))
        return false;
    if (!path)
        return o->pkg == NULL;
    return o->pkg && strcmp(o->pkg->path, path) == 0;
}

bool lh_type_is_ptr_to(const lh_type *t, const char *path, const char *name)
{
    return t && t->kind == LH_T_POINTER && lh_type_is_named(t->elem, path, name);
}

/* ---- type expressions -------------------------------------------------- */

/* The type a TYPE object denotes: its NAMED type (made once), or for an
 * alias the aliased type. */
static const lh_type *type_obj_type(lh_obj *o)
{
    if (o->named || o->type_done || o->frozen)
        return o->named;
    const lh_node *spec = o->decl;
    if (spec && LH_KIND(spec) == LH_TYPE_SPEC && LH_AS(spec, lh_type_spec)->assign.line != 0) {
        if (o->type_busy)
            return NULL;
        o->type_busy = true;
        o->named = lh_sema_type_expr(o->pkg, LH_AS(spec, lh_type_spec)->type);
        o->type_busy = false;
        o->type_done = true;
        return o->named;
    }
    lh_type *t = mk(o->pkg, LH_T_NAMED);
    t->obj = o;
    o->named = t;
    o->type_done = true;
    return t;
}

static const lh_type *fields_type(lh_sema_pkg *p, lh_node *fl, lh_type_kind k)
{
    lh_type *t = mk(p, k);
    if (!fl)
        return t;
    lh_field_list *l = LH_AS(fl, lh_field_list);
    uint32_t n = 0;
    for (uint32_t i = 0; i < l->list.n; i++) {
        uint32_t k2 = LH_AS(l->list.v[i], lh_field)->names.n;
        n += k2 ? k2 : 1;
    }
    t->fields = LH_NEWN(&p->arena, lh_tfield, n ? n : 1);
    for (uint32_t i = 0; i < l->list.n; i++) {
        lh_field *f = LH_AS(l->list.v[i], lh_field);
        const lh_type *ft = lh_sema_type_expr(p, f->type);
        if (f->names.n == 0) {
            /* Embedded: named after its type (T, *T, pkg.T, T[X]). */
            lh_node *e = lh_ast_unparen(f->type);
            if (LH_KIND(e) == LH_STAR_EXPR)
                e = lh_ast_unparen(LH_AS(e, lh_star_expr)->x);
            if (LH_KIND(e) == LH_INDEX_EXPR)
                e = LH_AS(e, lh_index_expr)->x;
            else if (LH_KIND(e) == LH_INDEX_LIST_EXPR)
                e = LH_AS(e, lh_index_list_expr)->x;
            if (LH_KIND(e) == LH_SELECTOR_EXPR)
                e = LH_AS(e, lh_selector_expr)->sel;
            lh_str nm = LH_KIND(e) == LH_IDENT ? LH_AS(e, lh_ident)->name : (lh_str){"", 0};
            t->fields[t->nfields++] = (lh_tfield){nm, ft, true};
            continue;
        }
        for (uint32_t k2 = 0; k2 < f->names.n; k2++)
            t->fields[t->nfields++] =
                (lh_tfield){LH_AS(f->names.v[k2], lh_ident)->name, ft, false};
    }
    return t;
}

static const lh_type **param_types(lh_sema_pkg *p, lh_node *fl, uint32_t *n, bool *variadic)
{
    *n = 0;
    if (!fl)
        return NULL;
    lh_field_list *l = LH_AS(fl, lh_field_list);
    uint32_t cnt = 0;
    for (uint32_t i = 0; i < l->list.n; i++) {
        uint32_t k = LH_AS(l->list.v[i], lh_field)->names.n;
        cnt += k ? k : 1;
    }
    const lh_type **v = LH_NEWN(&p->arena, const lh_type *, cnt ? cnt : 1);
    for (uint32_t i = 0; i < l->list.n; i++) {
        lh_field *f = LH_AS(l->list.v[i], lh_field);
        const lh_type *ft;
        if (LH_KIND(f->type) == LH_ELLIPSIS) {
            lh_type *s = mk(p, LH_T_SLICE);
            s->elem = lh_sema_type_expr(p, LH_AS(f->type, lh_ellipsis)->elt);
            ft = s;
            if (variadic)
                *variadic = true;
        } else {
            ft = lh_sema_type_expr(p, f->type);
        }
        uint32_t k = f->names.n ? f->names.n : 1;
        for (uint32_t j = 0; j < k; j++)
            v[(*n)++] = ft;
    }
    return v;
}

static const lh_type *func_type(lh_sema_pkg *p, const lh_func_type *ft)
{
    lh_type *t = mk(p, LH_T_FUNC);
    bool variadic = false;
    t->params = param_types(p, ft->params, &t->nparams, &variadic);
    t->results = param_types(p, ft->results, &t->nresults, NULL);
    t->variadic = variadic;
    return t;
}

const lh_type *lh_sema_type_expr(lh_sema_pkg *p, const lh_node *e)
{
    if (!e || !p)
        return NULL;
    if (lh_ptrmap_has(&p->types, e))
        return lh_ptrmap_get(&p->types, e);
    /* Mark in progress: a recursive type (type L struct{ next *L }) meets
     * itself through its NAMED type, which is made before its underlying
     * is asked for, so this only guards malformed self-reference. */
    lh_ptrmap_put(&p->types, e, NULL);
    const lh_type *r = NULL;
    switch (LH_KIND(e)) {
    case LH_IDENT: {
        lh_obj *o = lh_sema_obj_of(p, e);
        if (o && o->kind == LH_OBJ_TYPE)
            r = type_obj_type(o);
        break;
    }
    case LH_SELECTOR_EXPR: {
        lh_obj *o = lh_sema_obj_of(p, LH_AS(e, lh_selector_expr)->sel);
        if (o && o->kind == LH_OBJ_TYPE)
            r = type_obj_type(o);
        break;
    }
    case LH_PAREN_EXPR:
        r = lh_sema_type_expr(p, LH_AS(e, lh_paren_expr)->x);
        break;
    case LH_STAR_EXPR: {
        lh_type *t = mk(p, LH_T_POINTER);
        t->elem = lh_sema_type_expr(p, LH_AS(e, lh_star_expr)->x);
        r = t;
        break;
    }
    case LH_ARRAY_TYPE: {
        lh_array_type *at = LH_AS(e, lh_array_type);
        lh_type *t = mk(p, at->len ? LH_T_ARRAY : LH_T_SLICE);
        t->elem = lh_sema_type_expr(p, at->elt);
        t->len = -1;
        int64_t v;
        if (at->len && LH_KIND(at->len) != LH_ELLIPSIS && lh_sema_const_int(p, at->len, &v))
            t->len = v;
        r = t;
        break;
    }
    case LH_MAP_TYPE: {
        lh_type *t = mk(p, LH_T_MAP);
        t->key = lh_sema_type_expr(p, LH_AS(e, lh_map_type)->key);
        t->elem = lh_sema_type_expr(p, LH_AS(e, lh_map_type)->value);
        r = t;
        break;
    }
    case LH_CHAN_TYPE: {
        lh_type *t = mk(p, LH_T_CHAN);
        t->dir = LH_AS(e, lh_chan_type)->dir;
        t->elem = lh_sema_type_expr(p, LH_AS(e, lh_chan_type)->value);
        r = t;
        break;
    }
    case LH_FUNC_TYPE:
        r = func_type(p, LH_AS(e, lh_func_type));
        break;
    case LH_STRUCT_TYPE:
        r = fields_type(p, LH_AS(e, lh_struct_type)->fields, LH_T_STRUCT);
        break;
    case LH_INTERFACE_TYPE: {
        lh_type *t = mk(p, LH_T_INTERFACE);
        lh_field_list *l = LH_AS(LH_AS(e, lh_interface_type)->methods, lh_field_list);
        uint32_t n = l ? l->list.n : 0;
        t->fields = LH_NEWN(&p->arena, lh_tfield, n ? n : 1);
        for (uint32_t i = 0; i < n; i++) {
            lh_field *f = LH_AS(l->list.v[i], lh_field);
            if (f->names.n == 1 && LH_KIND(f->type) == LH_FUNC_TYPE)
                t->fields[t->nfields++] = (lh_tfield){LH_AS(f->names.v[0], lh_ident)->name,
                                                      lh_sema_type_expr(p, f->type), false};
            else if (f->names.n == 0)   /* embedded interface (or a union) */
                t->fields[t->nfields++] =
                    (lh_tfield){{"", 0}, lh_sema_type_expr(p, f->type), true};
        }
        r = t;
        break;
    }
    case LH_INDEX_EXPR:         /* an instantiated generic type: G[T] */
        r = lh_sema_type_expr(p, LH_AS(e, lh_index_expr)->x);
        break;
    case LH_INDEX_LIST_EXPR:
        r = lh_sema_type_expr(p, LH_AS(e, lh_index_list_expr)->x);
        break;
    case LH_ELLIPSIS: {
        lh_type *t = mk(p, LH_T_SLICE);
        t->elem = lh_sema_type_expr(p, LH_AS(e, lh_ellipsis)->elt);
        r = t;
        break;
    }
    default:
        break;
    }
    lh_ptrmap_put(&p->types, e, (void *)r);
    return r;
}

/* ---- fields and methods -------------------------------------------------- */

static const lh_tfield *field_in(const lh_type *t, const char *name, size_t len, int depth)
{
    t = lh_type_underlying(lh_type_deref(t));
    if (!t || depth > 4)
        return NULL;
    if (t->kind != LH_T_STRUCT && t->kind != LH_T_INTERFACE)
        return NULL;
    for (uint32_t i = 0; i < t->nfields; i++)
        if (t->fields[i].name.len == len && memcmp(t->fields[i].name.p, name, len) == 0)
            return &t->fields[i];
    for (uint32_t i = 0; i < t->nfields; i++)
        if (t->fields[i].embedded) {
            const lh_tfield *f = field_in(t->fields[i].type, name, len, depth + 1);
            if (f)
                return f;
        }
    return NULL;
}

const lh_tfield *lh_type_field(const lh_type *t, const char *name, size_t len)
{
    return field_in(t, name, len, 0);
}

static _Thread_local const lh_sema_pkg *tests_overlay;

void lh_sema_set_tests_overlay(const lh_sema_pkg *tests)
{
    tests_overlay = tests;
}

static lh_obj *method_in(const lh_type *t, const char *name, size_t len, int depth)
{
    t = lh_type_deref(t);
    if (!t || depth > 4)
        return NULL;
    if (t->kind == LH_T_NAMED && t->obj) {
        const lh_obj *o = t->obj;
        for (uint32_t i = 0; i < o->nmethods; i++)
            if (o->methods[i]->name.len == len && memcmp(o->methods[i]->name.p, name, len) == 0)
                return o->methods[i];
        /* After them, as if appended: the tests' own. */
        const lh_sema_pkg *x = tests_overlay;
        for (uint32_t i = 0; x && i < x->nextra; i++) {
            lh_obj *m = x->extra[i].method;
            if (x->extra[i].recv == o && m->name.len == len && memcmp(m->name.p, name, len) == 0)
                return m;
        }
    }
    const lh_type *u = lh_type_underlying(t);
    if (!u || u->kind != LH_T_STRUCT)
        return NULL;
    for (uint32_t i = 0; i < u->nfields; i++)
        if (u->fields[i].embedded) {
            lh_obj *m = method_in(u->fields[i].type, name, len, depth + 1);
            if (m)
                return m;
        }
    return NULL;
}

lh_obj *lh_type_method(const lh_type *t, const char *name, size_t len)
{
    return method_in(t, name, len, 0);
}

/* ---- objects ------------------------------------------------------------- */

static const lh_type *range_type(lh_sema_pkg *p, const lh_range_stmt *rg, uint32_t index)
{
    const lh_type *x = lh_sema_type_of(p, rg->x);
    const lh_type *u = lh_type_underlying(x);
    if (u && u->kind == LH_T_POINTER)
        u = lh_type_underlying(u->elem);     /* range over *[N]T */
    if (!u)
        return NULL;
    switch (u->kind) {
    case LH_T_BASIC:
        if (strcmp(u->name, "string") == 0)
            return lh_type_basic(index == 0 ? "int" : "rune");
        return index == 0 ? x : NULL;        /* range over an integer */
    case LH_T_SLICE:
    case LH_T_ARRAY:
        return index == 0 ? lh_type_basic("int") : u->elem;
    case LH_T_MAP:
        return index == 0 ? u->key : u->elem;
    case LH_T_CHAN:
        return index == 0 ? u->elem : NULL;
    case LH_T_FUNC: {
        /* range over func(yield func(K, V) bool) */
        if (u->nparams != 1)
            return NULL;
        const lh_type *y = lh_type_underlying(u->params[0]);
        if (!y || y->kind != LH_T_FUNC || index >= y->nparams)
            return NULL;
        return y->params[index];
    }
    default:
        return NULL;
    }
}

/* The type of the index-th value a multi-value right side gives: a call's
 * results, or the comma-ok forms (v, ok := m[k], x.(T), <-ch). */
static const lh_type *multi_value(lh_sema_pkg *p, const lh_node *v, uint32_t index)
{
    v = lh_ast_unparen((lh_node *)v);
    if (LH_KIND(v) == LH_CALL_EXPR) {
        uint32_t n;
        const lh_type *const *rs = lh_sema_call_results(p, LH_AS(v, lh_call_expr), &n);
        return rs && index < n ? rs[index] : NULL;
    }
    if (index == 1)
        return lh_type_basic("bool");
    return lh_sema_type_of(p, v);
}

const lh_type *lh_sema_obj_type(lh_obj *o)
{
    if (!o)
        return NULL;
    if (o->type_done || o->frozen)
        return o->kind == LH_OBJ_TYPE ? type_obj_type(o) : o->type;
    if (o->kind == LH_OBJ_TYPE)
        return type_obj_type(o);
    if (o->type_busy)
        return NULL;            /* var x = f(x)-style cycles */
    o->type_busy = true;
    lh_sema_pkg *p = o->pkg;
    const lh_type *t = NULL;
    switch (o->kind) {
    case LH_OBJ_FUNC: {
        const lh_node *d = o->decl;
        if (d && LH_KIND(d) == LH_FUNC_DECL)
            t = lh_sema_type_expr(p, LH_AS(d, lh_func_decl)->type);
        break;
    }
    case LH_OBJ_VAR:
    case LH_OBJ_CONST:
        if (o->type_expr && LH_KIND(o->type_expr) == LH_ELLIPSIS) {
            lh_type *s = mk(p, LH_T_SLICE);
            s->elem = lh_sema_type_expr(p, LH_AS(o->type_expr, lh_ellipsis)->elt);
            t = s;
        } else if (o->type_expr) {
            t = lh_sema_type_expr(p, o->type_expr);
        } else if (o->decl && LH_KIND(o->decl) == LH_RANGE_STMT) {
            t = range_type(p, LH_AS(o->decl, lh_range_stmt), o->index);
        } else if (o->value) {
            /* One value per name: its type; one value for several names:
             * the index-th of its results. */
            const lh_node *d = o->decl;
            bool multi = false;
            if (d && LH_KIND(d) == LH_ASSIGN_STMT)
                multi = LH_AS(d, lh_assign_stmt)->rhs.n == 1 &&
                        LH_AS(d, lh_assign_stmt)->lhs.n > 1;
            else if (d && LH_KIND(d) == LH_VALUE_SPEC)
                multi = LH_AS(d, lh_value_spec)->values.n == 1 &&
                        LH_AS(d, lh_value_spec)->names.n > 1;
            t = multi ? multi_value(p, o->value, o->index) : lh_sema_type_of(p, o->value);
            if (t && t->kind == LH_T_TUPLE)
                t = NULL;
            /* Untyped constants default as the spec says. */
            if (t == lh_type_basic("untyped nil"))
                t = NULL;
        }
        break;
    default:
        break;
    }
    o->type = t;
    o->type_busy = false;
    o->type_done = true;
    return t;
}

/* ---- expressions ---------------------------------------------------------- */

static bool is_type_expr(lh_sema_pkg *p, const lh_node *e)
{
    e = lh_ast_unparen((lh_node *)e);
    switch (LH_KIND(e)) {
    case LH_IDENT: {
        lh_obj *o = lh_sema_obj_of(p, e);
        return o && o->kind == LH_OBJ_TYPE;
    }
    case LH_SELECTOR_EXPR: {
        lh_obj *o = lh_sema_obj_of(p, LH_AS(e, lh_selector_expr)->sel);
        return o && o->kind == LH_OBJ_TYPE;
    }
    case LH_ARRAY_TYPE:
    case LH_MAP_TYPE:
    case LH_CHAN_TYPE:
    case LH_FUNC_TYPE:
    case LH_STRUCT_TYPE:
    case LH_INTERFACE_TYPE:
        return true;
    case LH_STAR_EXPR:
        return is_type_expr(p, LH_AS(e, lh_star_expr)->x);
    case LH_INDEX_EXPR:
        return is_type_expr(p, LH_AS(e, lh_index_expr)->x);
    case LH_INDEX_LIST_EXPR:
        return is_type_expr(p, LH_AS(e, lh_index_list_expr)->x);
    default:
        return false;
    }
}

static lh_obj *selection(lh_sema_pkg *p, const lh_selector_expr *se)
{
    lh_obj *o = lh_sema_obj_of(p, se->sel);
    if (o)
        return o;
    lh_str nm = LH_AS(se->sel, lh_ident)->name;
    const lh_type *xt = is_type_expr(p, se->x) ? lh_sema_type_expr(p, se->x)
                                                : lh_sema_type_of(p, se->x);
    o = lh_type_method(xt, nm.p, nm.len);
    if (o)
        lh_ptrmap_put(&p->uses, se->sel, o);
    return o;
}

lh_obj *lh_sema_callee(lh_sema_pkg *p, const lh_call_expr *call)
{
    lh_node *f = lh_ast_unparen(call->fun);
    if (LH_KIND(f) == LH_INDEX_EXPR)           /* f[T](x) */
        f = lh_ast_unparen(LH_AS(f, lh_index_expr)->x);
    else if (LH_KIND(f) == LH_INDEX_LIST_EXPR)
        f = lh_ast_unparen(LH_AS(f, lh_index_list_expr)->x);
    lh_obj *o = NULL;
    if (LH_KIND(f) == LH_IDENT)
        o = lh_sema_obj_of(p, f);
    else if (LH_KIND(f) == LH_SELECTOR_EXPR)
        o = selection(p, LH_AS(f, lh_selector_expr));
    if (o && (o->kind == LH_OBJ_FUNC || o->kind == LH_OBJ_BUILTIN))
        return o;
    return NULL;
}

bool lh_sema_obj_is(const lh_obj *o, const char *path, const char *type, const char *name)
{
    if (!o || o->kind != LH_OBJ_FUNC || !o->pkg || strcmp(o->pkg->path, path) != 0 ||
        !str_eq(o->name, name))
        return false;
    if (!type)
        return o->recv_type == NULL;
    return o->recv_type && str_eq(o->recv_type->name, type);
}

const lh_type *const *lh_sema_call_results(lh_sema_pkg *p, const lh_call_expr *call,
                                           uint32_t *n)
{
    *n = 0;
    lh_node *f = lh_ast_unparen(call->fun);
    if (is_type_expr(p, f)) {
        const lh_type **v = LH_NEWN(&p->arena, const lh_type *, 1);
        v[0] = lh_sema_type_expr(p, f);
        if (!v[0])
            return NULL;
        *n = 1;
        return v;
    }
    lh_obj *o = lh_sema_callee(p, call);
    const lh_type *ft = NULL;
    if (o && o->kind == LH_OBJ_FUNC)
        ft = lh_sema_obj_type(o);
    else if (!o)
        ft = lh_type_underlying(lh_sema_type_of(p, f));    /* a func value */
    if (!ft || ft->kind != LH_T_FUNC)
        return NULL;
    *n = ft->nresults;
    return ft->results;
}

static const lh_type *builtin_call(lh_sema_pkg *p, const lh_obj *b, const lh_call_expr *c)
{
    const char *nm = b->name.p;
    size_t len = b->name.len;
#define IS(s) (len == sizeof(s) - 1 && memcmp(nm, s, len) == 0)
    if ((IS("make") || IS("new")) && c->args.n >= 1) {
        const lh_type *t = lh_sema_type_expr(p, c->args.v[0]);
        if (IS("make") || !t)
            return t;
        lh_type *pt = mk(p, LH_T_POINTER);
        pt->elem = t;
        return pt;
    }
    if (IS("append") && c->args.n >= 1)
        return lh_sema_type_of(p, c->args.v[0]);
    if (IS("len") || IS("cap") || IS("copy"))
        return lh_type_basic("int");
    if ((IS("min") || IS("max")) && c->args.n >= 1)
        return lh_sema_type_of(p, c->args.v[0]);
    if (IS("recover"))
        return NULL;
#undef IS
    return NULL;
}

static const lh_type *type_of(lh_sema_pkg *p, const lh_node *e)
{
    switch (LH_KIND(e)) {
    case LH_IDENT: {
        lh_obj *o = lh_sema_obj_of(p, e);
        if (!o)
            return NULL;
        if (o->kind == LH_OBJ_NIL)
            return lh_type_basic("untyped nil");
        if (o->kind == LH_OBJ_VAR || o->kind == LH_OBJ_CONST || o->kind == LH_OBJ_FUNC)
            return lh_sema_obj_type(o);
        return NULL;
    }
    case LH_BASIC_LIT:
        switch (LH_AS(e, lh_basic_lit)->kind) {
        case LH_TOK_INT:
            return lh_type_basic("int");
        case LH_TOK_FLOAT:
            return lh_type_basic("float64");
        case LH_TOK_IMAG:
            return lh_type_basic("complex128");
        case LH_TOK_CHAR:
            return lh_type_basic("rune");
        case LH_TOK_STRING:
            return lh_type_basic("string");
        default:
            return NULL;
        }
    case LH_FUNC_LIT:
        return lh_sema_type_expr(p, LH_AS(e, lh_func_lit)->type);
    case LH_COMPOSITE_LIT:
        return lh_sema_type_expr(p, LH_AS(e, lh_composite_lit)->type);
    case LH_PAREN_EXPR:
        return lh_sema_type_of(p, LH_AS(e, lh_paren_expr)->x);
    case LH_SELECTOR_EXPR: {
        const lh_selector_expr *se = LH_AS(e, lh_selector_expr);
        lh_obj *o = lh_sema_obj_of(p, se->sel);
        if (o && o->pkg != p && o->kind != LH_OBJ_FUNC)      /* pkg.Var */
            return o->kind == LH_OBJ_TYPE ? NULL : lh_sema_obj_type(o);
        if (is_type_expr(p, se->x))
            return NULL;        /* method expression T.M: not needed */
        const lh_type *xt = lh_sema_type_of(p, se->x);
        lh_str nm = LH_AS(se->sel, lh_ident)->name;
        const lh_tfield *f = lh_type_field(xt, nm.p, nm.len);
        if (f && !(lh_type_underlying(lh_type_deref(xt)) &&
                   lh_type_underlying(lh_type_deref(xt))->kind == LH_T_INTERFACE))
            return f->type;
        lh_obj *m = o ? o : selection(p, se);
        if (m && m->kind == LH_OBJ_FUNC)
            return lh_sema_obj_type(m);
        if (f)
            return f->type;     /* an interface's method */
        return NULL;
    }
    case LH_INDEX_EXPR: {
        const lh_index_expr *ix = LH_AS(e, lh_index_expr);
        const lh_type *u = lh_type_underlying(lh_sema_type_of(p, ix->x));
        if (u && u->kind == LH_T_POINTER)
            u = lh_type_underlying(u->elem);
        if (!u)
            return NULL;
        if (u->kind == LH_T_SLICE || u->kind == LH_T_ARRAY || u->kind == LH_T_MAP)
            return u->elem;
        if (u->kind == LH_T_BASIC && strcmp(u->name, "string") == 0)
            return lh_type_basic("byte");
        return NULL;
    }
    case LH_SLICE_EXPR: {
        const lh_type *xt = lh_sema_type_of(p, LH_AS(e, lh_slice_expr)->x);
        const lh_type *u = lh_type_underlying(xt);
        if (u && u->kind == LH_T_POINTER)
            u = lh_type_underlying(u->elem);
        if (!u)
            return NULL;
        if (u->kind == LH_T_ARRAY) {
            lh_type *s = mk(p, LH_T_SLICE);
            s->elem = u->elem;
            return s;
        }
        return u->kind == LH_T_SLICE || u->kind == LH_T_BASIC ? xt : NULL;
    }
    case LH_TYPE_ASSERT_EXPR:
        return lh_sema_type_expr(p, LH_AS(e, lh_type_assert_expr)->type);
    case LH_CALL_EXPR: {
        const lh_call_expr *c = LH_AS(e, lh_call_expr);
        lh_obj *o = lh_sema_callee(p, c);
        if (o && o->kind == LH_OBJ_BUILTIN)
            return builtin_call(p, o, c);
        uint32_t n;
        const lh_type *const *rs = lh_sema_call_results(p, c, &n);
        if (!rs || n == 0)
            return NULL;
        if (n == 1)
            return rs[0];
        lh_type *t = mk(p, LH_T_TUPLE);
        t->elems = (const lh_type **)rs;
        t->nelems = n;
        return t;
    }
    case LH_STAR_EXPR: {
        const lh_type *t = lh_type_underlying(lh_sema_type_of(p, LH_AS(e, lh_star_expr)->x));
        return t && t->kind == LH_T_POINTER ? t->elem : NULL;
    }
    case LH_UNARY_EXPR: {
        const lh_unary_expr *u = LH_AS(e, lh_unary_expr);
        if (u->op == LH_TOK_AND) {
            const lh_type *x = lh_sema_type_of(p, u->x);
            if (!x)
                return NULL;
            lh_type *pt = mk(p, LH_T_POINTER);
            pt->elem = x;
            return pt;
        }
        if (u->op == LH_TOK_ARROW) {
            const lh_type *c = lh_type_underlying(lh_sema_type_of(p, u->x));
            return c && c->kind == LH_T_CHAN ? c->elem : NULL;
        }
        if (u->op == LH_TOK_NOT)
            return lh_type_basic("bool");
        return lh_sema_type_of(p, u->x);
    }
    case LH_BINARY_EXPR: {
        const lh_binary_expr *b = LH_AS(e, lh_binary_expr);
        switch (b->op) {
        case LH_TOK_EQL: case LH_TOK_NEQ: case LH_TOK_LSS: case LH_TOK_LEQ:
        case LH_TOK_GTR: case LH_TOK_GEQ: case LH_TOK_LAND: case LH_TOK_LOR:
            return lh_type_basic("bool");
        case LH_TOK_SHL: case LH_TOK_SHR:
            return lh_sema_type_of(p, b->x);
        default: {
            const lh_type *x = lh_sema_type_of(p, b->x);
            /* An untyped constant operand takes the other's type. */
            if (!x || (x->kind == LH_T_BASIC && LH_KIND(lh_ast_unparen(b->x)) == LH_BASIC_LIT))
                return lh_sema_type_of(p, b->y) ? lh_sema_type_of(p, b->y) : x;
            return x;
        }
        }
    }
    default:
        return NULL;
    }
}

const lh_type *lh_sema_type_of(lh_sema_pkg *p, const lh_node *e)
{
    if (!e || !p)
        return NULL;
    /* Expression nodes never double as type expressions in one package's
     * memo except identifiers and selectors, whose type-expression entries
     * are asked for with is_type_expr first; a separate key space keeps the
     * two apart: expression types are stored under the node address + 1. */
    const void *key = (const char *)e + 1;
    if (lh_ptrmap_has(&p->types, key))
        return lh_ptrmap_get(&p->types, key);
    lh_ptrmap_put(&p->types, key, NULL);        /* cycle guard */
    const lh_type *t = type_of(p, e);
    lh_ptrmap_put(&p->types, key, (void *)t);
    return t;
}

/* ---- constants ------------------------------------------------------------- */

static bool const_int(lh_sema_pkg *p, const lh_node *e, int64_t *v, int depth)
{
    if (!e || depth > 32)
        return false;
    e = lh_ast_unparen((lh_node *)e);
    switch (LH_KIND(e)) {
    case LH_BASIC_LIT: {
        const lh_basic_lit *b = LH_AS(e, lh_basic_lit);
        if (b->kind != LH_TOK_INT)
            return false;
        char buf[32];
        size_t k = 0;
        for (uint32_t i = 0; i < b->value.len && k + 1 < sizeof buf; i++)
            if (b->value.p[i] != '_')
                buf[k++] = b->value.p[i];
        buf[k] = '\0';
        char *end;
        unsigned long long x;
        if (k > 2 && buf[0] == '0' && (buf[1] == 'o' || buf[1] == 'O'))
            x = strtoull(buf + 2, &end, 8);
        else if (k > 2 && buf[0] == '0' && (buf[1] == 'b' || buf[1] == 'B'))
            x = strtoull(buf + 2, &end, 2);
        else
            x = strtoull(buf, &end, 0);
        if (*end != '\0' || x > (unsigned long long)INT64_MAX)
            return false;
        *v = (int64_t)x;
        return true;
    }
    case LH_IDENT:
    case LH_SELECTOR_EXPR: {
        const lh_node *id = LH_KIND(e) == LH_IDENT ? e : LH_AS(e, lh_selector_expr)->sel;
        lh_obj *o = lh_sema_obj_of(p, id);
        if (o && o->frozen) {
            *v = o->cval;
            return o->has_cval;
        }
        if (!o || o->kind != LH_OBJ_CONST || !o->value || !o->pkg)
            return false;
        /* iota-valued constants are not followed: their value depends on
         * the spec's index, which matters little for capacities. */
        return const_int(o->pkg, o->value, v, depth + 1);
    }
    case LH_BINARY_EXPR: {
        const lh_binary_expr *b = LH_AS(e, lh_binary_expr);
        int64_t x, y;
        if (!const_int(p, b->x, &x, depth + 1) || !const_int(p, b->y, &y, depth + 1))
            return false;
        /* Only results that stay small are of interest (sizes, counts). */
        if (x < 0 || y < 0 || x > (1 << 30) || y > (1 << 30))
            return false;
        switch (b->op) {
        case LH_TOK_ADD: *v = x + y; return true;
        case LH_TOK_SUB: *v = x - y; return true;
        case LH_TOK_MUL: *v = x * y; return true;
        case LH_TOK_QUO: if (y == 0) return false; *v = x / y; return true;
        case LH_TOK_SHL: if (y > 30) return false; *v = x << y; return true;
        default: return false;
        }
    }
    case LH_CALL_EXPR: {
        /* len("literal") */
        const lh_call_expr *c = LH_AS(e, lh_call_expr);
        lh_obj *o = lh_sema_callee(p, c);
        if (o && o->kind == LH_OBJ_BUILTIN && str_eq(o->name, "len") && c->args.n == 1 &&
            LH_KIND(c->args.v[0]) == LH_BASIC_LIT &&
            LH_AS(c->args.v[0], lh_basic_lit)->kind == LH_TOK_STRING) {
            const lh_basic_lit *s = LH_AS(c->args.v[0], lh_basic_lit);
            if (s->value.len >= 2 && s->value.p[0] == '`') {
                *v = s->value.len - 2;
                return true;
            }
        }
        return false;
    }
    default:
        return false;
    }
}

bool lh_sema_const_int(lh_sema_pkg *p, const lh_node *expr, int64_t *v)
{
    return const_int(p, expr, v, 0);
}

int64_t lh_sema_make_cap(lh_sema_pkg *p, const lh_call_expr *call)
{
    lh_obj *o = lh_sema_callee(p, call);
    if (!o || o->kind != LH_OBJ_BUILTIN || !str_eq(o->name, "make") || call->args.n == 0)
        return -1;
    const lh_type *t = lh_type_underlying(lh_sema_type_expr(p, call->args.v[0]));
    uint32_t capi = t && t->kind == LH_T_SLICE ? 2 : 1;
    if (call->args.n <= capi) {
        if (t && t->kind == LH_T_CHAN && call->args.n == 1)
            return 0;
        if (t && t->kind == LH_T_SLICE && call->args.n == 2)
            capi = 1;       /* make([]T, n): cap == len */
        else
            return -1;
    }
    int64_t v;
    return lh_sema_const_int(p, call->args.v[capi], &v) ? v : -1;
}

/* ---- printing ---------------------------------------------------------------- */

static void put(char *buf, size_t n, size_t *k, const char *s, size_t len)
{
    for (size_t i = 0; i < len && *k + 1 < n; i++)
        buf[(*k)++] = s[i];
    buf[*k < n ? *k : n - 1] = '\0';
}

static void tstr(const lh_type *t, char *buf, size_t n, size_t *k, int depth)
{
#define PUTS(s) put(buf, n, k, s, strlen(s))
    if (!t) {
        PUTS("?");
        return;
    }
    if (depth > 8) {
        PUTS("...");
        return;
    }
    switch (t->kind) {
    case LH_T_BASIC:
        PUTS(t->name);
        break;
    case LH_T_NAMED:
        if (t->obj->pkg) {
            PUTS(t->obj->pkg->path);
            PUTS(".");
        }
        put(buf, n, k, t->obj->name.p, t->obj->name.len);
        break;
    case LH_T_POINTER:
        PUTS("*");
        tstr(t->elem, buf, n, k, depth + 1);
        break;
    case LH_T_SLICE:
        PUTS("[]");
        tstr(t->elem, buf, n, k, depth + 1);
        break;
    case LH_T_ARRAY: {
        char num[32];
        snprintf(num, sizeof num, "[%lld]", (long long)t->len);
        PUTS(t->len >= 0 ? num : "[?]");
        tstr(t->elem, buf, n, k, depth + 1);
        break;
    }
    case LH_T_MAP:
        PUTS("map[");
        tstr(t->key, buf, n, k, depth + 1);
        PUTS("]");
        tstr(t->elem, buf, n, k, depth + 1);
        break;
    case LH_T_CHAN:
        PUTS(t->dir == LH_CHAN_RECV ? "<-chan " : t->dir == LH_CHAN_SEND ? "chan<- " : "chan ");
        tstr(t->elem, buf, n, k, depth + 1);
        break;
    case LH_T_FUNC:
    case LH_T_TUPLE: {
        const lh_type **ps = t->kind == LH_T_FUNC ? t->params : t->elems;
        uint32_t np = t->kind == LH_T_FUNC ? t->nparams : t->nelems;
        PUTS(t->kind == LH_T_FUNC ? "func(" : "(");
        for (uint32_t i = 0; i < np; i++) {
            if (i)
                PUTS(", ");
            tstr(ps[i], buf, n, k, depth + 1);
        }
        PUTS(")");
        if (t->kind == LH_T_FUNC && t->nresults) {
            PUTS(t->nresults > 1 ? " (" : " ");
            for (uint32_t i = 0; i < t->nresults; i++) {
                if (i)
                    PUTS(", ");
                tstr(t->results[i], buf, n, k, depth + 1);
            }
            if (t->nresults > 1)
                PUTS(")");
        }
        break;
    }
    case LH_T_STRUCT:
        PUTS("struct{...}");
        break;
    case LH_T_INTERFACE:
        PUTS(t->nfields ? "interface{...}" : "interface{}");
        break;
    default:
        PUTS("?");
    }
#undef PUTS
}

const char *lh_type_string(const lh_type *t, char *buf, size_t n)
{
    size_t k = 0;
    if (n == 0)
        return buf;
    buf[0] = '\0';
    tstr(t, buf, n, &k, 0);
    return buf;
}
