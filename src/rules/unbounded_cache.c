/* unbounded-cache: a package-level map, slice or sync.Map (or such a field
 * of a package-level struct variable) that code running again and again
 * only ever adds to. It lives as long as the process, so every key a
 * handler caches and never evicts is memory the service never gets back.
 *
 * Reported at the variable's declaration when both hold:
 *   - some insert runs many times: `m[k] = v`, `m[k] op= v`, `m[k]++`
 *     (an index assignment creates the key when it is missing),
 *     `s = append(s, ...)`, Store/LoadOrStore/Swap on a sync.Map, in a
 *     function that is not known to run once. Once are: init, package-level
 *     initialisers, main.main outside loops that can run unbounded (`for {}`,
 *     `for cond() {}`, a range over a channel), literals passed to
 *     sync.Once.Do or sync.OnceFunc, literals called on the spot there, and
 *     unexported functions whose every call in the package is in such code.
 *     An insert with a constant key does not grow the map; an insert of the
 *     parameters of an exported function (`Register(name, d)`) grows as its
 *     callers decide, out of our sight: neither counts.
 *   - nothing in the package's non-test files bounds it: delete, clear,
 *     Delete/LoadAndDelete/CompareAndDelete/Clear, a reassignment of the
 *     variable (truncation `s = s[:0]`, `m = make(...)`, `m = nil`) in code
 *     that runs many times, a len/cap that is compared or kept (a size
 *     check, wherever it is), or the variable handed away: its address
 *     taken, a method of its own type called (it may take the address),
 *     for maps and sync.Maps also passed to a function, assigned, returned
 *     or stored (someone else may delete from it). A slice passed on is a
 *     copy of its header: nobody else can shorten ours.
 * Test files are ignored both ways: a test that clears the cache does not
 * bound it in production, and tests run a bounded number of times.
 * Exported variables are skipped: other packages may evict from them.
 * Map keys of type bool, int8 or uint8 are bounded by their type. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rule.h"

enum { UC_MAP, UC_SLICE, UC_SYNCMAP };

/* When the code around a node runs (uc_where.how). */
enum { UC_ONCE = 1, UC_MANY, UC_DEPENDS };

typedef struct uc_where {
    uint8_t how;
    lh_obj *fn;                 /* DEPENDS: the unexported function */
    const lh_node *decl;        /* the enclosing FuncDecl (NULL at package level) */
    bool lit;                   /* inside a function literal of decl */
} uc_where;

typedef struct uc_cand {
    lh_obj *var;
    lh_str field;               /* len 0: the variable itself */
    uint8_t kind;
    const lh_load_file *file;
    bool bounded;
    const lh_node *grow;        /* the first insert that runs many times */
    uc_where grow_where;
    const lh_load_file *grow_file;
} uc_cand;

enum { UC_EV_GROW, UC_EV_RESET };

typedef struct uc_event {
    size_t cand;
    uint8_t what;
    const lh_node *node;
    uc_where where;
    const lh_load_file *file;
    int key_param;              /* the key is this parameter of where.fn, or -1 */
} uc_event;

/* A reference to a function of the package: the callers of an unexported
 * function decide whether its inserts run once. */
typedef struct uc_ref {
    bool call;
    const lh_call_expr *site;   /* the call, when a direct one */
    uc_where where;
    size_t next;                /* next reference to the same function + 1 */
} uc_ref;

typedef struct uc_ctx {
    lh_rule_ctx *c;
    const lh_load_file *f;
    uc_cand *cands;
    size_t ncands, capcands;
    lh_ptrmap by_var;           /* variable -> first candidate index + 1 */
    uc_event *evs;
    size_t nevs, capevs;
    uc_ref *refs;
    size_t nrefs, caprefs;
    lh_ptrmap ref_head;         /* function -> first reference index + 1 */
    lh_ptrmap state;            /* function -> UC_ONCE/UC_MANY, 3 while computing */
    bool main_pkg;
} uc_ctx;

static void *grow_array(void *v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return v;
    *cap = *cap ? 2 * *cap : 16;
    void *p = realloc(v, *cap * size);
    if (!p)
        abort();
    return p;
}

static bool str_is(lh_str s, const char *t)
{
    return s.len == strlen(t) && memcmp(s.p, t, s.len) == 0;
}

static bool is_test_file(const lh_load_file *f)
{
    size_t n = strlen(f->name);
    return n >= 8 && strcmp(f->name + n - 8, "_test.go") == 0;
}

static lh_str ident_name(const lh_node *n)
{
    return LH_AS(n, lh_ident)->name;
}

static bool exported(lh_str s)
{
    return s.len > 0 && isupper((unsigned char)s.p[0]);
}

/* ---- candidates ------------------------------------------------------ */

static bool type_keyed(const lh_type *t);

/* The candidate kind of a type, or -1. */
static int kind_of(const lh_type *t)
{
    if (!t)
        return -1;
    if (lh_type_is_named(t, "sync", "Map") || lh_type_is_ptr_to(t, "sync", "Map"))
        return UC_SYNCMAP;
    const lh_type *u = lh_type_underlying(t);
    if (!u)
        return -1;
    if (u->kind == LH_T_SLICE)
        return UC_SLICE;
    if (u->kind != LH_T_MAP || type_keyed(u->key))
        return -1;
    /* A key type of a few values bounds the map by itself. */
    const lh_type *k = lh_type_underlying(u->key);
    if (k && k->kind == LH_T_BASIC && k->name &&
        (strcmp(k->name, "bool") == 0 || strcmp(k->name, "int8") == 0 ||
         strcmp(k->name, "uint8") == 0 || strcmp(k->name, "byte") == 0))
        return -1;
    return UC_MAP;
}

static void add_cand(uc_ctx *x, lh_obj *v, lh_str field, int kind)
{
    x->cands = grow_array(x->cands, &x->capcands, x->ncands, sizeof *x->cands);
    x->cands[x->ncands] = (uc_cand){.var = v, .field = field, .kind = (uint8_t)kind,
                                    .file = x->f};
    if (!lh_ptrmap_has(&x->by_var, v))
        lh_ptrmap_put(&x->by_var, v, (void *)(uintptr_t)(x->ncands + 1));
    x->ncands++;
}

/* The package-level variables of one file worth watching: unexported maps,
 * slices and sync.Maps, and such fields of unexported struct variables. */
static void collect(uc_ctx *x, const lh_file *f)
{
    for (uint32_t i = 0; i < f->decls.n; i++) {
        lh_node *d = f->decls.v[i];
        if (LH_KIND(d) != LH_GEN_DECL || LH_AS(d, lh_gen_decl)->tok != LH_TOK_VAR)
            continue;
        lh_gen_decl *g = LH_AS(d, lh_gen_decl);
        for (uint32_t s = 0; s < g->specs.n; s++) {
            lh_value_spec *vs = LH_AS(g->specs.v[s], lh_value_spec);
            for (uint32_t k = 0; k < vs->names.n; k++) {
                lh_node *id = vs->names.v[k];
                lh_str nm = ident_name(id);
                if (str_is(nm, "_") || exported(nm))
                    continue;
                lh_obj *v = lh_sema_obj_of(x->c->sema, id);
                if (!v || v->kind != LH_OBJ_VAR || !(v->flags & LH_VAR_PKG))
                    continue;
                const lh_type *t = lh_sema_obj_type(v);
                int kind = kind_of(t);
                if (kind >= 0) {
                    add_cand(x, v, (lh_str){NULL, 0}, kind);
                    continue;
                }
                const lh_type *st = lh_type_underlying(lh_type_deref(t));
                if (!st || st->kind != LH_T_STRUCT || lh_type_is_named(t, "sync", "Map"))
                    continue;
                for (uint32_t fi = 0; fi < st->nfields; fi++) {
                    const lh_tfield *tf = &st->fields[fi];
                    if (tf->embedded)
                        continue;
                    int fk = kind_of(tf->type);
                    if (fk >= 0)
                        add_cand(x, v, tf->name, fk);
                }
            }
        }
    }
}

/* ---- when code runs -------------------------------------------------- */

/* A loop that nothing we can see bounds: `for {}`, `for ;; i++`, a
 * condition that asks a call (`for sc.Scan()`), a range over a channel. */
static bool unbounded_loop(uc_ctx *x, const lh_node *loop)
{
    if (LH_KIND(loop) == LH_FOR_STMT) {
        const lh_node *cond = LH_AS(loop, lh_for_stmt)->cond;
        return !cond || LH_KIND(lh_ast_unparen((lh_node *)cond)) == LH_CALL_EXPR;
    }
    const lh_type *t = lh_type_underlying(lh_sema_type_of(x->c->sema, LH_AS(loop, lh_range_stmt)->x));
    return t && t->kind == LH_T_CHAN;
}

/* A call that runs the function literal it is given at most once. */
static bool once_call(uc_ctx *x, const lh_call_expr *call)
{
    lh_obj *o = lh_sema_callee(x->c->sema, call);
    return lh_sema_obj_is(o, "sync", "Once", "Do") || lh_sema_obj_is(o, "sync", NULL, "OnceFunc") ||
           lh_sema_obj_is(o, "sync", NULL, "OnceValue") ||
           lh_sema_obj_is(o, "sync", NULL, "OnceValues");
}

static const lh_node *outer_decl(lh_node *const *anc, size_t j)
{
    while (j-- > 0)
        if (LH_KIND(anc[j]) == LH_FUNC_DECL)
            return anc[j];
    return NULL;
}

/* When node n (with its ancestors) runs: once, many times, or as often as
 * an unexported function of the package is called. */
static uc_where where_of(uc_ctx *x, lh_node *n, lh_node *const *anc, size_t nanc)
{
    bool loop = false, lit = false;
    lh_node *child = n;
    for (size_t j = nanc; j-- > 0; child = anc[j]) {
        lh_node *a = anc[j];
        switch (LH_KIND(a)) {
        case LH_FOR_STMT:
            if (child == LH_AS(a, lh_for_stmt)->body && unbounded_loop(x, a))
                loop = true;
            break;
        case LH_RANGE_STMT:
            if (child == LH_AS(a, lh_range_stmt)->body && unbounded_loop(x, a))
                loop = true;
            break;
        case LH_FUNC_LIT: {
            uc_where many = {UC_MANY, NULL, outer_decl(anc, j), true};
            if (loop)
                return many;
            size_t k = j;
            while (k > 0 && LH_KIND(anc[k - 1]) == LH_PAREN_EXPR)
                k--;
            lh_node *par = k > 0 ? anc[k - 1] : NULL;
            if (par && LH_KIND(par) == LH_CALL_EXPR) {
                lh_call_expr *call = LH_AS(par, lh_call_expr);
                if (lh_ast_unparen(call->fun) == a) {
                    lit = true;
                    break;          /* called on the spot: runs as its context */
                }
                if (once_call(x, call)) {
                    many.how = UC_ONCE;
                    return many;
                }
            }
            return many;
        }
        case LH_FUNC_DECL: {
            lh_func_decl *fd = LH_AS(a, lh_func_decl);
            uc_where w = {UC_MANY, NULL, a, lit};
            if (loop)
                return w;
            lh_str nm = ident_name(fd->name);
            if (!fd->recv && (str_is(nm, "init") || (x->main_pkg && str_is(nm, "main")))) {
                w.how = UC_ONCE;
                return w;
            }
            if (exported(nm) && !x->main_pkg)
                return w;           /* called from other packages */
            lh_obj *o = lh_sema_obj_of(x->c->sema, fd->name);
            if (o && o->kind == LH_OBJ_FUNC) {
                w.how = UC_DEPENDS;
                w.fn = o;
            }
            return w;
        }
        default:
            break;
        }
    }
    return (uc_where){UC_ONCE, NULL, NULL, false};
}

static uint8_t resolve(uc_ctx *x, const uc_where *w);

/* Whether an unexported function runs once: every reference to it in the
 * package's non-test files is a call from code that runs once. One with no
 * reference is not called in production (a method may still be, through
 * an interface). A function reached again while being decided counts as
 * once: recursion does not add callers. */
static uint8_t fn_state(uc_ctx *x, lh_obj *fn)
{
    uintptr_t s = (uintptr_t)lh_ptrmap_get(&x->state, fn);
    if (s == 3)
        return UC_ONCE;
    if (s)
        return (uint8_t)s;
    lh_ptrmap_put(&x->state, fn, (void *)(uintptr_t)3);
    size_t r = (size_t)(uintptr_t)lh_ptrmap_get(&x->ref_head, fn);
    uint8_t st = r == 0 && fn->recv_type ? UC_MANY : UC_ONCE;
    for (; r && st == UC_ONCE; r = x->refs[r - 1].next) {
        const uc_ref *ref = &x->refs[r - 1];
        if (!ref->call || resolve(x, &ref->where) == UC_MANY)
            st = UC_MANY;
    }
    lh_ptrmap_put(&x->state, fn, (void *)(uintptr_t)st);
    return st;
}

static uint8_t resolve(uc_ctx *x, const uc_where *w)
{
    return w->how == UC_DEPENDS ? fn_state(x, w->fn) : w->how;
}

/* ---- uses of a candidate --------------------------------------------- */

/* Whether a and b name the same variable or field of it. */
static bool same_path(uc_ctx *x, lh_node *a, lh_node *b)
{
    a = lh_ast_unparen(a);
    b = lh_ast_unparen(b);
    if (LH_KIND(a) != LH_KIND(b))
        return false;
    if (LH_KIND(a) == LH_IDENT) {
        lh_obj *o = lh_sema_obj_of(x->c->sema, a);
        return o && o == lh_sema_obj_of(x->c->sema, b);
    }
    if (LH_KIND(a) == LH_SELECTOR_EXPR) {
        lh_selector_expr *sa = LH_AS(a, lh_selector_expr), *sb = LH_AS(b, lh_selector_expr);
        lh_str na = ident_name(sa->sel), nb = ident_name(sb->sel);
        return na.len == nb.len && memcmp(na.p, nb.p, na.len) == 0 && same_path(x, sa->x, sb->x);
    }
    return false;
}

static bool builtin_named(uc_ctx *x, const lh_call_expr *call, const char *name)
{
    lh_obj *o = lh_sema_callee(x->c->sema, call);
    return o && o->kind == LH_OBJ_BUILTIN && str_is(o->name, name);
}

/* `append(E, ...)` with E the same variable or field as e. */
static bool append_to(uc_ctx *x, lh_node *rhs, lh_node *e)
{
    rhs = lh_ast_unparen(rhs);
    if (LH_KIND(rhs) != LH_CALL_EXPR)
        return false;
    lh_call_expr *call = LH_AS(rhs, lh_call_expr);
    return call->args.n >= 1 && builtin_named(x, call, "append") &&
           same_path(x, call->args.v[0], e);
}

/* A constant map key: the same entry every time. */
static bool constant(uc_ctx *x, lh_node *e)
{
    e = lh_ast_unparen(e);
    if (LH_KIND(e) == LH_BASIC_LIT)
        return true;
    if (LH_KIND(e) == LH_IDENT) {
        lh_obj *o = lh_sema_obj_of(x->c->sema, e);
        return o && o->kind == LH_OBJ_CONST;
    }
    int64_t v;
    return lh_sema_const_int(x->c->sema, e, &v);
}

/* A value made of the parameters of fn (and constants): what a caller
 * hands over to be registered. *param counts the parameters in it: a
 * constant alone (`seen[id] = true`) registers nothing. */
static bool from_params(uc_ctx *x, const lh_node *fn, lh_node *e, int *param)
{
    e = lh_ast_unparen(e);
    switch (LH_KIND(e)) {
    case LH_BASIC_LIT:
    case LH_FUNC_LIT:
        return true;
    case LH_IDENT: {
        lh_obj *o = lh_sema_obj_of(x->c->sema, e);
        if (o && o->kind == LH_OBJ_VAR && (o->flags & LH_VAR_PARAM) && o->func == fn) {
            (*param)++;
            return true;
        }
        return o && (o->kind == LH_OBJ_CONST || o->kind == LH_OBJ_NIL);
    }
    case LH_UNARY_EXPR:
        return LH_AS(e, lh_unary_expr)->op == LH_TOK_AND &&
               from_params(x, fn, LH_AS(e, lh_unary_expr)->x, param);
    case LH_STAR_EXPR:
        return from_params(x, fn, LH_AS(e, lh_star_expr)->x, param);
    case LH_COMPOSITE_LIT: {
        lh_composite_lit *cl = LH_AS(e, lh_composite_lit);
        for (uint32_t i = 0; i < cl->elts.n; i++) {
            lh_node *el = cl->elts.v[i];
            if (LH_KIND(el) == LH_KEY_VALUE_EXPR)
                el = LH_AS(el, lh_key_value_expr)->value;
            if (!from_params(x, fn, el, param))
                return false;
        }
        return true;
    }
    default:
        return false;
    }
}

static void event(uc_ctx *x, size_t cand, uint8_t what, const lh_node *n, const uc_where *w)
{
    x->evs = grow_array(x->evs, &x->capevs, x->nevs, sizeof *x->evs);
    x->evs[x->nevs++] = (uc_event){cand, what, n, *w, x->f, -1};
}

/* A type standing for Go types (reflect.Type, *rtype, *abi.Type, a
 * struct key holding one): a cache keyed by them is bounded by the types
 * the program has. */
static bool names_type(const lh_type *t)
{
    t = t && t->kind == LH_T_POINTER ? t->elem : t;
    return t && t->kind == LH_T_NAMED && t->obj &&
           (str_is(t->obj->name, "Type") || str_is(t->obj->name, "rtype"));
}

static bool type_keyed(const lh_type *t)
{
    if (names_type(t))
        return true;
    const lh_type *u = lh_type_underlying(t);
    for (uint32_t i = 0; u && u->kind == LH_T_STRUCT && i < u->nfields; i++)
        if (names_type(u->fields[i].type))
            return true;
    return false;
}

typedef struct dup_ctx {
    uc_ctx *x;
    lh_node *e;
    bool found;
} dup_ctx;

static bool mentions_pre(lh_node *n, lh_node *parent, void *vd)
{
    (void)parent;
    dup_ctx *d = vd;
    if (!d->found && LH_KIND(n) == LH_KIND(d->e) && same_path(d->x, n, d->e))
        d->found = true;
    return !d->found;
}

static bool panics_pre(lh_node *n, lh_node *parent, void *vd)
{
    (void)parent;
    dup_ctx *d = vd;
    if (!d->found && LH_KIND(n) == LH_CALL_EXPR && !lh_sema_may_return(LH_AS(n, lh_call_expr),
                                                                        d->x->c->sema))
        d->found = true;
    return !d->found && LH_KIND(n) != LH_FUNC_LIT;
}

static bool dup_pre(lh_node *n, lh_node *parent, void *vd)
{
    (void)parent;
    dup_ctx *d = vd;
    if (d->found || LH_KIND(n) == LH_FUNC_LIT)
        return false;
    if (LH_KIND(n) != LH_IF_STMT)
        return true;
    lh_if_stmt *is = LH_AS(n, lh_if_stmt);
    dup_ctx m = {d->x, d->e, false};
    if (is->init)
        lh_ast_walk(is->init, mentions_pre, NULL, &m);
    lh_ast_walk(is->cond, mentions_pre, NULL, &m);
    if (m.found) {
        dup_ctx p = {d->x, d->e, false};
        lh_ast_walk(is->body, panics_pre, NULL, &p);
        d->found = p.found;
    }
    return !d->found;
}

/* A registration that refuses duplicates: an if testing the variable
 * whose body panics (or exits). Such a function is meant to be called once
 * per key, from init: the set of keys is the program's. */
static bool refuses_duplicates(uc_ctx *x, const lh_node *decl, lh_node *e)
{
    lh_node *body = decl ? LH_AS(decl, lh_func_decl)->body : NULL;
    dup_ctx d = {x, e, false};
    if (body)
        lh_ast_walk(body, dup_pre, NULL, &d);
    return d.found;
}

/* The position of parameter e (an identifier) in decl's parameter list,
 * or -1. */
static int param_index(uc_ctx *x, const lh_node *decl, lh_node *e)
{
    lh_obj *o = lh_sema_obj_of(x->c->sema, lh_ast_unparen(e));
    if (!o || o->kind != LH_OBJ_VAR || !(o->flags & LH_VAR_PARAM) || (o->flags & LH_VAR_RECV))
        return -1;
    lh_node *params = LH_AS(LH_AS(decl, lh_func_decl)->type, lh_func_type)->params;
    lh_field_list *fl = params ? LH_AS(params, lh_field_list) : NULL;
    int idx = 0;
    for (uint32_t i = 0; fl && i < fl->list.n; i++) {
        lh_field *f = LH_AS(fl->list.v[i], lh_field);
        if (f->names.n == 0)
            idx++;
        for (uint32_t k = 0; k < f->names.n; k++, idx++)
            if (f->names.v[k] == o->ident)
                return idx;
    }
    return -1;
}

/* Whether every call of fn passes a constant as parameter i: the key is
 * one of a few then (newLoggingConn("server", c)). */
static bool constant_args(uc_ctx *x, lh_obj *fn, int i)
{
    size_t r = (size_t)(uintptr_t)lh_ptrmap_get(&x->ref_head, fn);
    if (!r)
        return false;
    for (; r; r = x->refs[r - 1].next) {
        const lh_call_expr *call = x->refs[r - 1].site;
        if (!call || call->ellipsis.line || (uint32_t)i >= call->args.n ||
            !constant(x, call->args.v[i]))
            return false;
    }
    return true;
}

/* An insert at node n into e storing values vals[0..nvals) under key
 * (NULL: none). */
/* m[k] = v inside `for k := range m`: k is a key m already has, so the
 * write replaces, it does not grow. */
static bool own_range_key(uc_ctx *x, lh_node *e, lh_node *key, lh_node *const *anc, size_t nanc)
{
    key = lh_ast_unparen(key);
    if (LH_KIND(key) != LH_IDENT)
        return false;
    lh_obj *k = lh_sema_obj_of(x->c->sema, key);
    for (size_t i = nanc; k && i-- > 0;) {
        if (LH_KIND(anc[i]) != LH_RANGE_STMT)
            continue;
        const lh_range_stmt *r = LH_AS(anc[i], lh_range_stmt);
        if (r->key && LH_KIND(r->key) == LH_IDENT && lh_sema_obj_of(x->c->sema, r->key) == k &&
            same_path(x, r->x, e))
            return true;
    }
    return false;
}

static void insert(uc_ctx *x, size_t cand, lh_node *e, lh_node *n, lh_node *key,
                   lh_node *const *vals, uint32_t nvals, lh_node *const *anc, size_t nanc)
{
    if (key && (constant(x, key) || type_keyed(lh_sema_type_of(x->c->sema, key)) ||
                own_range_key(x, e, key, anc, nanc)))
        return;
    uc_where w = where_of(x, n, anc, nanc);
    if (w.how != UC_ONCE && w.decl && refuses_duplicates(x, w.decl, e))
        return;
    if (w.how == UC_MANY && w.decl && !w.lit && !x->main_pkg &&
        exported(ident_name(LH_AS(w.decl, lh_func_decl)->name))) {
        /* An exported function registering what its caller hands over. */
        int nparam = 0;
        bool params = true;
        for (uint32_t i = 0; i < nvals; i++)
            if (!from_params(x, w.decl, vals[i], &nparam) || (key && same_path(x, key, vals[i])))
                params = false;     /* m[s] = s interns: a cache of its input */
        if (params && nparam > 0)
            return;
    }
    event(x, cand, UC_EV_GROW, n, &w);
    x->evs[x->nevs - 1].key_param = key && w.how == UC_DEPENDS ? param_index(x, w.decl, key) : -1;
}

/* A comparison or an assignment holding len(E)/cap(E): a size check,
 * unless it is only a loop's condition. */
static bool size_check(lh_node *const *anc, size_t k)
{
    /* anc[k] is the len call. */
    if (k == 0)
        return false;
    lh_node *par = anc[k - 1];
    if (LH_KIND(par) == LH_ASSIGN_STMT || LH_KIND(par) == LH_VALUE_SPEC)
        return true;
    if (LH_KIND(par) != LH_BINARY_EXPR)
        return false;
    lh_binary_expr *b = LH_AS(par, lh_binary_expr);
    switch (b->op) {
    case LH_TOK_LSS: case LH_TOK_LEQ: case LH_TOK_GTR: case LH_TOK_GEQ: case LH_TOK_EQL:
    case LH_TOK_NEQ:
        break;
    default:
        return false;
    }
    lh_node *other = lh_ast_unparen(b->x == anc[k] ? b->y : b->x);
    if (LH_KIND(other) == LH_BASIC_LIT && LH_AS(other, lh_basic_lit)->value.len == 1 &&
        LH_AS(other, lh_basic_lit)->value.p[0] == '0')
        return false;           /* emptiness, not size */
    lh_node *cur = par;
    for (size_t j = k - 1; j-- > 0; cur = anc[j + 1]) {
        lh_node *a = anc[j];
        if (LH_KIND(a) == LH_PAREN_EXPR || LH_KIND(a) == LH_UNARY_EXPR ||
            (LH_KIND(a) == LH_BINARY_EXPR && (LH_AS(a, lh_binary_expr)->op == LH_TOK_LAND ||
                                              LH_AS(a, lh_binary_expr)->op == LH_TOK_LOR)))
            continue;
        return !(LH_KIND(a) == LH_FOR_STMT && LH_AS(a, lh_for_stmt)->cond == anc[j + 1]);
    }
    (void)cur;
    return true;
}

/* The assignment holding e in its left-hand side is a lazy initialisation:
 * `if e == nil { e = ... }`. */
static bool nil_guarded(uc_ctx *x, lh_node *e, lh_node *const *anc, size_t k)
{
    /* anc[k] is the AssignStmt. */
    if (k < 2 || LH_KIND(anc[k - 1]) != LH_BLOCK_STMT || LH_KIND(anc[k - 2]) != LH_IF_STMT)
        return false;
    lh_if_stmt *is = LH_AS(anc[k - 2], lh_if_stmt);
    lh_node *cond = lh_ast_unparen(is->cond);
    if (is->body != anc[k - 1] || LH_KIND(cond) != LH_BINARY_EXPR)
        return false;
    lh_binary_expr *b = LH_AS(cond, lh_binary_expr);
    return b->op == LH_TOK_EQL && ((lh_ident_is(lh_ast_unparen(b->y), "nil") &&
                                    same_path(x, b->x, e)) ||
                                   (lh_ident_is(lh_ast_unparen(b->x), "nil") &&
                                    same_path(x, b->y, e)));
}

static bool in_list(const lh_list *l, const lh_node *n)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (l->v[i] == n)
            return true;
    return false;
}

static void reset(uc_ctx *x, size_t cand, lh_node *e, lh_node *const *anc, size_t k)
{
    /* anc[k] is the statement assigning e. */
    if (LH_KIND(anc[k]) == LH_ASSIGN_STMT && nil_guarded(x, e, anc, k))
        return;
    uc_where w = where_of(x, anc[k], anc, k);
    event(x, cand, UC_EV_RESET, anc[k], &w);
}

/* One use of candidate i: e is the variable (or the field selection),
 * anc[0..k) its ancestors. */
static void classify(uc_ctx *x, size_t i, lh_node *e, lh_node *const *anc, size_t k)
{
    uc_cand *cd = &x->cands[i];
    while (k > 0 && LH_KIND(anc[k - 1]) == LH_PAREN_EXPR)
        e = anc[--k];
    if (k == 0)
        return;
    lh_node *par = anc[k - 1];
    lh_node *gp = k > 1 ? anc[k - 2] : NULL;
    bool slice = cd->kind == UC_SLICE;
    switch (LH_KIND(par)) {
    case LH_ASSIGN_STMT: {
        lh_assign_stmt *a = LH_AS(par, lh_assign_stmt);
        if (!in_list(&a->lhs, e)) {
            if (!slice)
                cd->bounded = true;     /* an alias may delete from it */
            return;
        }
        if (slice && a->lhs.n == 1 && a->rhs.n == 1 && append_to(x, a->rhs.v[0], e)) {
            lh_call_expr *call = LH_AS(lh_ast_unparen(a->rhs.v[0]), lh_call_expr);
            insert(x, i, e, par, NULL, call->args.v + 1, call->args.n - 1, anc, k - 1);
            return;
        }
        reset(x, i, e, anc, k - 1);
        return;
    }
    case LH_INDEX_EXPR: {
        if (LH_AS(par, lh_index_expr)->x != e) {
            cd->bounded = true;
            return;
        }
        if (cd->kind != UC_MAP || !gp)
            return;             /* a slice's element: no growth */
        lh_node *key = LH_AS(par, lh_index_expr)->index;
        if (LH_KIND(gp) == LH_ASSIGN_STMT) {
            lh_assign_stmt *a = LH_AS(gp, lh_assign_stmt);
            for (uint32_t j = 0; j < a->lhs.n; j++)
                if (a->lhs.v[j] == par) {
                    /* m[k] += v is no registration: v is not what is kept */
                    lh_node *val = a->lhs.n == a->rhs.n && a->tok == LH_TOK_ASSIGN
                                       ? a->rhs.v[j] : NULL;
                    insert(x, i, e, gp, key, &val, val ? 1 : 0, anc, k - 2);
                }
        } else if (LH_KIND(gp) == LH_INC_DEC_STMT) {
            insert(x, i, e, gp, key, NULL, 0, anc, k - 2);
        }
        return;                 /* otherwise a lookup */
    }
    case LH_SLICE_EXPR:
    case LH_RANGE_STMT:
        if (LH_KIND(par) == LH_RANGE_STMT && LH_AS(par, lh_range_stmt)->x != e)
            reset(x, i, e, anc, k - 1);
        return;
    case LH_CALL_EXPR: {
        lh_call_expr *call = LH_AS(par, lh_call_expr);
        lh_obj *o = call->fun == e ? NULL : lh_sema_callee(x->c->sema, call);
        if (o && o->kind == LH_OBJ_BUILTIN) {
            if (str_is(o->name, "delete") || (str_is(o->name, "clear") && !slice)) {
                cd->bounded = true;
                return;
            }
            if (str_is(o->name, "len") || str_is(o->name, "cap")) {
                if (size_check(anc, k - 1))
                    cd->bounded = true;
                return;
            }
            if (slice || (str_is(o->name, "append") && call->args.n && call->args.v[0] != e))
                return;
            if (!str_is(o->name, "append"))
                cd->bounded = true;
            return;
        }
        if (!slice)
            cd->bounded = true;     /* the callee may delete from it */
        return;
    }
    case LH_SELECTOR_EXPR: {
        if (cd->kind != UC_SYNCMAP || !gp || LH_KIND(gp) != LH_CALL_EXPR ||
            LH_AS(gp, lh_call_expr)->fun != par) {
            cd->bounded = true;     /* a method of its own type, a method value */
            return;
        }
        lh_call_expr *call = LH_AS(gp, lh_call_expr);
        lh_str m = ident_name(LH_AS(par, lh_selector_expr)->sel);
        if (str_is(m, "Store") || str_is(m, "LoadOrStore") || str_is(m, "Swap")) {
            lh_node *key = call->args.n >= 1 ? call->args.v[0] : NULL;
            insert(x, i, e, gp, key, call->args.v + (call->args.n >= 1),
                   call->args.n >= 1 ? call->args.n - 1 : 0, anc, k - 2);
        } else if (str_is(m, "Load") || str_is(m, "CompareAndSwap")) {
            /* reads, or replaces an entry that exists */
        } else if (str_is(m, "Range") && call->args.n == 1 &&
                   LH_KIND(lh_ast_unparen(call->args.v[0])) == LH_FUNC_LIT) {
            /* a literal's deletes are uses of their own */
        } else {
            cd->bounded = true;     /* Delete, LoadAndDelete, Clear, ... */
        }
        return;
    }
    case LH_BINARY_EXPR:
        return;                 /* == nil */
    case LH_INC_DEC_STMT:
        return;
    default:
        if (!slice)
            cd->bounded = true;     /* returned, stored, sent, &m: out of sight */
        else if (LH_KIND(par) == LH_UNARY_EXPR && LH_AS(par, lh_unary_expr)->op == LH_TOK_AND)
            cd->bounded = true;
        return;
    }
}

/* A use of a variable with candidates. */
static void var_use(uc_ctx *x, size_t first, lh_node *id, lh_node *const *anc, size_t nanc)
{
    lh_obj *v = x->cands[first].var;
    if (x->cands[first].field.len == 0) {
        classify(x, first, id, anc, nanc);
        return;
    }
    lh_node *par = nanc ? anc[nanc - 1] : NULL;
    size_t end = first;
    while (end < x->ncands && x->cands[end].var == v)
        end++;
    if (par && LH_KIND(par) == LH_SELECTOR_EXPR && LH_AS(par, lh_selector_expr)->x == id) {
        lh_str nm = ident_name(LH_AS(par, lh_selector_expr)->sel);
        for (size_t i = first; i < end; i++)
            if (nm.len == x->cands[i].field.len &&
                memcmp(nm.p, x->cands[i].field.p, nm.len) == 0) {
                classify(x, i, par, anc, nanc - 1);
                return;
            }
        if (!lh_type_method(lh_sema_obj_type(v), nm.p, nm.len))
            return;             /* another field */
    } else if (par && LH_KIND(par) == LH_ASSIGN_STMT &&
               in_list(&LH_AS(par, lh_assign_stmt)->lhs, id)) {
        for (size_t i = first; i < end; i++)
            reset(x, i, id, anc, nanc - 1);
        return;
    }
    /* The whole struct copied, passed, its address or a method taken. */
    for (size_t i = first; i < end; i++)
        x->cands[i].bounded = true;
}

static bool visit(lh_node *n, lh_node *const *anc, size_t nanc, void *vx)
{
    uc_ctx *x = vx;
    if (LH_KIND(n) == LH_CALL_EXPR) {
        /* Resolves method selections, so that their identifiers count as
         * references below. */
        (void)lh_rule_callee(x->c, LH_AS(n, lh_call_expr));
        return true;
    }
    if (LH_KIND(n) != LH_IDENT)
        return true;
    lh_obj *o = lh_sema_obj_of(x->c->sema, n);
    if (!o || o->ident == n)
        return true;
    if (o->kind == LH_OBJ_FUNC && o->pkg == x->c->sema) {
        lh_node *par = nanc ? anc[nanc - 1] : NULL;
        bool call = false;
        if (par && LH_KIND(par) == LH_CALL_EXPR)
            call = LH_AS(par, lh_call_expr)->fun == n;
        else if (par && LH_KIND(par) == LH_SELECTOR_EXPR && nanc >= 2 &&
                 LH_AS(par, lh_selector_expr)->sel == n && LH_KIND(anc[nanc - 2]) == LH_CALL_EXPR)
            call = LH_AS(anc[nanc - 2], lh_call_expr)->fun == par;
        uc_where w = where_of(x, n, anc, nanc);
        if (!call) {
            /* once.Do(f), once.Do(r.load): handed to code that runs it once */
            size_t k = par && LH_KIND(par) == LH_SELECTOR_EXPR ? nanc - 1 : nanc;
            lh_node *arg = k == nanc ? n : par;
            lh_node *cp = k > 0 ? anc[k - 1] : NULL;
            if (cp && LH_KIND(cp) == LH_CALL_EXPR && LH_AS(cp, lh_call_expr)->fun != arg &&
                once_call(x, LH_AS(cp, lh_call_expr))) {
                call = true;
                w = (uc_where){UC_ONCE, NULL, NULL, false};
            }
        }
        x->refs = grow_array(x->refs, &x->caprefs, x->nrefs, sizeof *x->refs);
        size_t head = (size_t)(uintptr_t)lh_ptrmap_get(&x->ref_head, o);
        const lh_call_expr *site = NULL;
        if (call && par && LH_KIND(par) == LH_CALL_EXPR)
            site = LH_AS(par, lh_call_expr);
        else if (call && par && LH_KIND(par) == LH_SELECTOR_EXPR &&
                 LH_KIND(anc[nanc - 2]) == LH_CALL_EXPR)
            site = LH_AS(anc[nanc - 2], lh_call_expr);
        x->refs[x->nrefs++] = (uc_ref){call, site, w, head};
        lh_ptrmap_put(&x->ref_head, o, (void *)(uintptr_t)x->nrefs);
        return true;
    }
    size_t first = (size_t)(uintptr_t)lh_ptrmap_get(&x->by_var, o);
    if (first)
        var_use(x, first - 1, n, anc, nanc);
    return true;
}

/* ---- reporting ------------------------------------------------------- */

static void report(uc_ctx *x, const uc_cand *cd)
{
    static const char *const noun[] = {"map", "slice", "sync.Map"};
    static const char *const verb[] = {"adds to it", "appends to it", "stores into it"};
    static const char *const none[] = {"nothing deletes from it",
                                       "nothing truncates or resets it",
                                       "nothing deletes from it"};
    static const char *const fix[] = {
        "bound it (size check, LRU) or evict entries",
        "bound it (cap its length, ring buffer) or drop old entries",
        "bound it (size check, LRU) or Delete entries no longer needed"};
    lh_str vn = cd->var->name;
    char name[160];
    if (cd->field.len)
        snprintf(name, sizeof name, "%.*s.%.*s", (int)vn.len, vn.p, (int)cd->field.len,
                 cd->field.p);
    else
        snprintf(name, sizeof name, "%.*s", (int)vn.len, vn.p);
    char who[160];
    const lh_node *d = cd->grow_where.decl;
    if (!d) {
        snprintf(who, sizeof who, "a function literal");
    } else {
        lh_str fn = ident_name(LH_AS(d, lh_func_decl)->name);
        snprintf(who, sizeof who, "%s%.*s", cd->grow_where.lit ? "a function literal in " : "",
                 (int)fn.len, fn.p);
    }
    char at[160];
    if (cd->grow_file != cd->file)
        snprintf(at, sizeof at, "%s:%u", cd->grow_file->name, cd->grow->pos.line);
    else
        snprintf(at, sizeof at, "line %u", cd->grow->pos.line);
    lh_rule_report(x->c, cd->file, cd->var->ident,
                   "package-level %s %s only grows: %s %s (%s) and %s; %s", noun[cd->kind], name,
                   who, verb[cd->kind], at, none[cd->kind], fix[cd->kind]);
}

static void check(lh_rule_ctx *c)
{
    uc_ctx x = {.c = c};
    x.main_pkg = c->sema->name && strcmp(c->sema->name, "main") == 0;
    for (size_t i = 0; i < c->nfiles; i++) {
        x.f = c->files[i];
        if (!is_test_file(x.f))
            collect(&x, x.f->ast);
    }
    /* A candidate is reported at its declaration: when every one stands
     * in a quiet file there is nothing to report. Otherwise all of them
     * go on, quiet ones too: which functions run once is decided on
     * demand and kept (fn_state), a recursive one by the order of the
     * questions, which the quiet candidates' events take part in. */
    bool live = false;
    for (size_t i = 0; i < x.ncands && !live; i++)
        live = !lh_rule_quiet(c, x.cands[i].file);
    if (live) {
        for (size_t i = 0; i < c->nfiles; i++) {
            x.f = c->files[i];
            if (!is_test_file(x.f))
                lh_rule_walk_file(c, i, LH_KIND_SET(LH_CALL_EXPR) | LH_KIND_SET(LH_IDENT), visit,
                                  &x);
        }
        /* A function that resets the variable before it fills it
         * (m = make(...), then the inserts) rebuilds it per call: it holds
         * one call's entries, however often the function runs. */
        for (size_t i = 0; i < x.nevs; i++) {
            const uc_event *r = &x.evs[i];
            if (r->what != UC_EV_RESET || !r->where.decl || r->where.lit ||
                LH_KIND(r->where.decl) != LH_FUNC_DECL ||
                !LH_AS(r->where.decl, lh_func_decl)->body ||
                !in_list(&LH_AS(LH_AS(r->where.decl, lh_func_decl)->body, lh_block_stmt)->list,
                         r->node))
                continue;   /* only a reset every call makes: a statement of the body */
            for (size_t j = 0; j < x.nevs; j++) {
                const uc_event *g = &x.evs[j];
                if (g->what == UC_EV_GROW && g->cand == r->cand && g->where.decl == r->where.decl &&
                    !g->where.lit && g->file == r->file && r->node->pos.off < g->node->pos.off)
                    x.cands[r->cand].bounded = true;
            }
        }
        for (size_t i = 0; i < x.nevs; i++) {
            uc_event *ev = &x.evs[i];
            uc_cand *cd = &x.cands[ev->cand];
            if (cd->bounded || resolve(&x, &ev->where) != UC_MANY)
                continue;
            if (ev->what == UC_EV_GROW && ev->key_param >= 0 &&
                constant_args(&x, ev->where.fn, ev->key_param))
                continue;
            if (ev->what == UC_EV_RESET)
                cd->bounded = true;
            else if (!cd->grow) {
                cd->grow = ev->node;
                cd->grow_where = ev->where;
                cd->grow_file = ev->file;
            }
        }
        for (size_t i = 0; i < x.ncands; i++)
            if (!x.cands[i].bounded && x.cands[i].grow)
                report(&x, &x.cands[i]);
    }
    free(x.cands);
    free(x.evs);
    free(x.refs);
    lh_ptrmap_free(&x.by_var);
    lh_ptrmap_free(&x.ref_head);
    lh_ptrmap_free(&x.state);
}

const lh_rule lh_rule_unbounded_cache = {
    .id = "unbounded-cache",
    .summary = "package-level map, slice or sync.Map that only grows",
    .severity = LH_SEV_WARNING,
    .check = check,
    .explain =
        "A package-level variable lives as long as the process. A map filled on\n"
        "every cache miss, a slice appended to on every event, a sync.Map stored\n"
        "into per request: when nothing ever removes entries, each distinct key\n"
        "is memory the service never gets back, and the heap climbs until the\n"
        "process is restarted or killed.\n"
        "\n"
        "Leaky:\n"
        "\n"
        "    var cache = make(map[string]string)\n"
        "\n"
        "    func handleRequest(key string) string {\n"
        "        if val, ok := cache[key]; ok {\n"
        "            return val\n"
        "        }\n"
        "        val := compute(key)\n"
        "        cache[key] = val // added on every miss, never removed\n"
        "        return val\n"
        "    }\n"
        "\n"
        "Fixed: bound it, here with a size check (an LRU or a TTL works too):\n"
        "\n"
        "    const maxEntries = 10000\n"
        "\n"
        "    func handleRequest(key string) string {\n"
        "        if val, ok := cache[key]; ok {\n"
        "            return val\n"
        "        }\n"
        "        val := compute(key)\n"
        "        if len(cache) < maxEntries {\n"
        "            cache[key] = val\n"
        "        }\n"
        "        return val\n"
        "    }\n"
        "\n"
        "Reported at the declaration of an unexported package-level map, slice\n"
        "or sync.Map (or such a field of a package-level struct variable) when\n"
        "code that runs many times inserts into it (m[k] = v, m[k]++,\n"
        "s = append(s, ...), Store, LoadOrStore, Swap) and nothing in the\n"
        "package's non-test files bounds it: no delete, clear, Delete,\n"
        "LoadAndDelete, CompareAndDelete or Clear, no reassignment (m = nil,\n"
        "s = s[:0]) outside init, no size check on len(m), and the variable never\n"
        "handed away (its address taken; for maps, passed to a function, assigned\n"
        "or returned). Inserts in init, in package-level initialisers, under\n"
        "sync.Once, in main outside unbounded loops, or in unexported functions\n"
        "only those call, do not count; nor do inserts with a constant key, or\n"
        "an exported function storing what its caller hands it (a registry).\n",
};
