/* subslice-retention: a small sub-slice or substring of a whole-file or
 * whole-body read kept beyond the function. A slice expression shares its
 * operand's backing array, and a substring its string's bytes, so the few
 * bytes kept hold the whole buffer reachable for as long as they live.
 *
 * The buffer: the []byte of os.ReadFile, io.ReadAll, ioutil.ReadAll or
 * ioutil.ReadFile (io.ReadAll of an io.LimitReader is a small buffer and is
 * left out), held in a local variable, followed through locals assigned
 * only from such buffers: another buffer variable, string(buf) or
 * []byte(str), a tail buf[i:] and the bytes/strings Trim functions.
 *
 * Small: the sub-slice has a constant width we can see -- a constant high
 * bound (data[:16], data[5:10]), data[i:i+4], data[len(data)-4:] -- or a
 * high bound found by searching (bytes.Index, strings.IndexByte ..., also
 * through a local holding only such results, plus or minus a constant).
 * data[0:], data[:len(data)], data[:n] with n of unknown origin, and
 * data[:0] are not.
 *
 * Kept: returned from a declared function (also through a named result),
 * stored in a field, a package-level variable, a map or slice of the
 * caller's, through a pointer, or sent on a channel; directly, inside a
 * composite literal, appended to a slice, or through locals that only
 * collect it (a local assigned a copy of anything else is not followed).
 * A copy on the way (bytes.Clone, strings.Clone, string(b), []byte(s),
 * append(x, b...), copy) ends it, and so does any function we cannot see
 * into.
 *
 * A slice taken in a loop that does not also make the buffer is taken
 * piece after piece from one buffer (splitting a file into lines): the
 * pieces together may well be the whole buffer, so it is not reported. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rule.h"

typedef struct ss_asg {
    lh_node *rhs;               /* NULL: the zero value (var x T) */
    int idx;                    /* -1: rhs is the value; else a result of rhs */
    size_t next;                /* the variable's next assignment + 1 */
} ss_asg;

typedef struct ss_var {
    const lh_obj *obj;
    size_t head;                /* first assignment + 1 */
    bool bad;                   /* address taken, a range variable, op= */
    bool big;                   /* holds a whole-read buffer */
    bool string;                /* the buffer as a string */
    const char *origin;         /* "os.ReadFile" */
    int8_t search;              /* 0 unknown, 1 yes, -1 no, 2 computing */
} ss_var;

enum { SS_NOT, SS_KEPT, SS_LOCAL };

typedef struct ss_out {
    int how;
    const lh_obj *v;            /* LOCAL: the variable it goes to */
    bool container;             /* LOCAL: v holds it among other things */
    const char *why;            /* KEPT: "is returned" */
} ss_out;

typedef struct ss_pending {
    const lh_obj *v;
    const lh_node *se;
    const ss_var *buf;
    bool container;
    bool done;
} ss_pending;

typedef struct ss_ctx {
    lh_rule_ctx *c;
    const lh_load_file *f;
    size_t fi;                  /* f's index in c->files */
    ss_var *vars;
    size_t nvars, capvars;
    ss_asg *asgs;
    size_t nasgs, capasgs;
    lh_ptrmap by_obj;           /* local variable -> index in vars + 1 */
    ss_pending *pend;
    size_t npend, cappend, round_start;
    lh_ptrmap reported;         /* slice expression -> non-NULL */
} ss_ctx;

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

static lh_obj *obj_of(ss_ctx *x, lh_node *e)
{
    e = lh_ast_unparen(e);
    return LH_KIND(e) == LH_IDENT ? lh_sema_obj_of(x->c->sema, e) : NULL;
}

static bool local_var(const lh_obj *o)
{
    return o && o->kind == LH_OBJ_VAR && o->func && !(o->flags & (LH_VAR_PKG | LH_VAR_FIELD));
}

static ss_var *var_of(ss_ctx *x, const lh_obj *o)
{
    size_t i = (size_t)(uintptr_t)lh_ptrmap_get(&x->by_obj, o);
    return i ? &x->vars[i - 1] : NULL;
}

static ss_var *var_add(ss_ctx *x, const lh_obj *o)
{
    ss_var *v = var_of(x, o);
    if (v)
        return v;
    x->vars = grow_array(x->vars, &x->capvars, x->nvars, sizeof *x->vars);
    x->vars[x->nvars] = (ss_var){.obj = o};
    lh_ptrmap_put(&x->by_obj, o, (void *)(uintptr_t)(x->nvars + 1));
    return &x->vars[x->nvars++];
}

/* ---- what the locals hold ------------------------------------------- */

static void assigned(ss_ctx *x, lh_node *lhs, lh_node *rhs, int idx)
{
    lh_obj *o = obj_of(x, lhs);
    if (!local_var(o) || LH_KIND(lh_ast_unparen(lhs)) != LH_IDENT)
        return;
    ss_var *v = var_add(x, o);
    x->asgs = grow_array(x->asgs, &x->capasgs, x->nasgs, sizeof *x->asgs);
    x->asgs[x->nasgs] = (ss_asg){rhs, idx, v->head};
    v->head = ++x->nasgs;
}

static void spoil(ss_ctx *x, lh_node *e)
{
    lh_obj *o = obj_of(x, e);
    if (local_var(o))
        var_add(x, o)->bad = true;
}

/* The kinds collect looks at: what binds a variable or spoils it. */
#define COLLECT_KINDS                                                                   \
    (LH_KIND_SET(LH_ASSIGN_STMT) | LH_KIND_SET(LH_VALUE_SPEC) | LH_KIND_SET(LH_RANGE_STMT) | \
     LH_KIND_SET(LH_INC_DEC_STMT) | LH_KIND_SET(LH_UNARY_EXPR))

static bool collect(lh_node *n, lh_node *const *anc, size_t nanc, void *vx)
{
    (void)anc;
    (void)nanc;
    ss_ctx *x = vx;
    switch (LH_KIND(n)) {
    case LH_ASSIGN_STMT: {
        lh_assign_stmt *a = LH_AS(n, lh_assign_stmt);
        for (uint32_t i = 0; i < a->lhs.n; i++) {
            if (a->tok != LH_TOK_ASSIGN && a->tok != LH_TOK_DEFINE)
                spoil(x, a->lhs.v[i]);
            else if (a->lhs.n == a->rhs.n)
                assigned(x, a->lhs.v[i], a->rhs.v[i], -1);
            else if (a->rhs.n == 1)
                assigned(x, a->lhs.v[i], a->rhs.v[0], (int)i);
        }
        break;
    }
    case LH_VALUE_SPEC: {
        lh_value_spec *vs = LH_AS(n, lh_value_spec);
        for (uint32_t i = 0; i < vs->names.n; i++) {
            if (vs->values.n == 0)
                assigned(x, vs->names.v[i], NULL, -1);
            else if (vs->values.n == vs->names.n)
                assigned(x, vs->names.v[i], vs->values.v[i], -1);
            else if (vs->values.n == 1)
                assigned(x, vs->names.v[i], vs->values.v[0], (int)i);
        }
        break;
    }
    case LH_RANGE_STMT:
        if (LH_AS(n, lh_range_stmt)->key)
            spoil(x, LH_AS(n, lh_range_stmt)->key);
        if (LH_AS(n, lh_range_stmt)->value)
            spoil(x, LH_AS(n, lh_range_stmt)->value);
        break;
    case LH_INC_DEC_STMT:
        spoil(x, LH_AS(n, lh_inc_dec_stmt)->x);
        break;
    case LH_UNARY_EXPR:
        if (LH_AS(n, lh_unary_expr)->op == LH_TOK_AND)
            spoil(x, LH_AS(n, lh_unary_expr)->x);
        break;
    default:
        break;
    }
    return true;
}

static lh_obj *callee(ss_ctx *x, lh_node *e)
{
    e = lh_ast_unparen(e);
    return LH_KIND(e) == LH_CALL_EXPR ? lh_rule_callee(x->c, LH_AS(e, lh_call_expr)) : NULL;
}

/* A call reading a whole file or stream: its display name, else NULL. */
static const char *source(ss_ctx *x, lh_node *e)
{
    lh_obj *o = callee(x, e);
    if (!o)
        return NULL;
    if (lh_sema_obj_is(o, "os", NULL, "ReadFile"))
        return "os.ReadFile";
    if (lh_sema_obj_is(o, "io/ioutil", NULL, "ReadFile"))
        return "ioutil.ReadFile";
    const char *name = lh_sema_obj_is(o, "io", NULL, "ReadAll")          ? "io.ReadAll"
                       : lh_sema_obj_is(o, "io/ioutil", NULL, "ReadAll") ? "ioutil.ReadAll"
                                                                         : NULL;
    lh_call_expr *call = LH_AS(lh_ast_unparen(e), lh_call_expr);
    /* ReadAll of a LimitReader reads a bounded prefix: a small buffer. */
    if (name && call->args.n == 1 && lh_sema_obj_is(callee(x, call->args.v[0]), "io", NULL,
                                                     "LimitReader"))
        return NULL;
    return name;
}

static bool in_names(lh_str s, const char *const *names)
{
    for (size_t i = 0; names[i]; i++)
        if (s.len == strlen(names[i]) && memcmp(s.p, names[i], s.len) == 0)
            return true;
    return false;
}

/* bytes or strings function among names. */
static bool bytes_strings(const lh_obj *o, const char *const *names)
{
    if (!o || o->kind != LH_OBJ_FUNC || !o->pkg || o->recv_type ||
        (strcmp(o->pkg->path, "bytes") != 0 && strcmp(o->pkg->path, "strings") != 0))
        return false;
    return in_names(o->name, names);
}

/* Functions returning a sub-slice of their first argument. */
static const char *const trims[] = {
    "TrimSpace", "Trim", "TrimPrefix", "TrimSuffix", "TrimLeft", "TrimRight", NULL,
};
static const char *const searches[] = {
    "Index", "IndexByte", "IndexRune", "IndexAny", "LastIndex", "LastIndexByte",
    "LastIndexAny", NULL,
};

/* A conversion to string or []byte (or a named type of either): whether
 * it is one, and *to_string. */
static bool conversion(ss_ctx *x, lh_node *e, bool *to_string)
{
    e = lh_ast_unparen(e);
    if (LH_KIND(e) != LH_CALL_EXPR || LH_AS(e, lh_call_expr)->args.n != 1)
        return false;
    lh_node *fun = lh_ast_unparen(LH_AS(e, lh_call_expr)->fun);
    lh_obj *o = LH_KIND(fun) == LH_IDENT ? lh_sema_obj_of(x->c->sema, fun)
                : LH_KIND(fun) == LH_SELECTOR_EXPR
                    ? lh_sema_obj_of(x->c->sema, LH_AS(fun, lh_selector_expr)->sel)
                    : NULL;
    if (LH_KIND(fun) != LH_ARRAY_TYPE && !(o && o->kind == LH_OBJ_TYPE))
        return false;
    const lh_type *t = lh_type_underlying(lh_sema_type_expr(x->c->sema, fun));
    if (!t)
        return false;
    if (t->kind == LH_T_BASIC && t->name && strcmp(t->name, "string") == 0) {
        *to_string = true;
        return true;
    }
    const lh_type *el = t->kind == LH_T_SLICE ? lh_type_underlying(t->elem) : NULL;
    if (el && el->kind == LH_T_BASIC && el->name &&
        (strcmp(el->name, "byte") == 0 || strcmp(el->name, "uint8") == 0)) {
        *to_string = false;
        return true;
    }
    return false;
}

/* Whether e carries a whole buffer: a buffer variable, string(buf) or
 * []byte(str) of one, a tail buf[i:], a Trim of one. */
static bool big_expr(ss_ctx *x, lh_node *e, const char **origin, bool *str)
{
    e = lh_ast_unparen(e);
    bool to_string = false;
    if (LH_KIND(e) == LH_IDENT) {
        const ss_var *v = var_of(x, lh_sema_obj_of(x->c->sema, e));
        if (!v || !v->big)
            return false;
        *origin = v->origin;
        *str = v->string;
        return true;
    }
    if (LH_KIND(e) == LH_SLICE_EXPR && !LH_AS(e, lh_slice_expr)->high)
        return big_expr(x, LH_AS(e, lh_slice_expr)->x, origin, str);
    if (conversion(x, e, &to_string)) {
        if (!big_expr(x, LH_AS(e, lh_call_expr)->args.v[0], origin, str))
            return false;
        *str = to_string;
        return true;
    }
    if (LH_KIND(e) == LH_CALL_EXPR && LH_AS(e, lh_call_expr)->args.n >= 1 &&
        bytes_strings(callee(x, e), trims))
        return big_expr(x, LH_AS(e, lh_call_expr)->args.v[0], origin, str);
    return false;
}

/* Whether an assignment is one a buffer variable may have; *pos when it
 * carries a buffer (not just a zero value). */
static bool big_form(ss_ctx *x, const ss_asg *a, bool *pos, const char **origin, bool *str)
{
    *pos = false;
    if (!a->rhs)
        return true;
    lh_node *r = lh_ast_unparen(a->rhs);
    if (a->idx >= 0) {
        const char *s = a->idx == 0 ? source(x, r) : NULL;
        if (s) {
            *pos = true;
            *origin = s;
            *str = false;
        }
        return s != NULL;
    }
    if (lh_ident_is(r, "nil"))
        return true;
    *pos = big_expr(x, r, origin, str);
    return *pos;
}

/* Marks the buffer variables: every assignment a buffer form, at least
 * one carrying a buffer. Grows monotonically to a fixed point. */
static void find_buffers(ss_ctx *x)
{
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < x->nvars; i++) {
            ss_var *v = &x->vars[i];
            if (v->big || v->bad || !v->head || (v->obj->flags & LH_VAR_PARAM))
                continue;
            bool ok = true, any = false, str = false;
            const char *origin = NULL;
            for (size_t k = v->head; k && ok; k = x->asgs[k - 1].next) {
                bool pos, s = false;
                const char *o = NULL;
                ok = big_form(x, &x->asgs[k - 1], &pos, &o, &s);
                if (ok && pos && !any) {
                    any = true;
                    origin = o;
                    str = s;
                }
            }
            if (ok && any) {
                v->big = true;
                v->origin = origin;
                v->string = str;
                changed = true;
            }
        }
    }
}

/* ---- small bounds ---------------------------------------------------- */

static bool const_int(ss_ctx *x, lh_node *e, int64_t *v)
{
    return e && lh_sema_const_int(x->c->sema, e, v);
}

static bool search_expr(ss_ctx *x, lh_node *e);

static bool search_var(ss_ctx *x, ss_var *v)
{
    if (v->search)
        return v->search == 1;
    v->search = 2;
    bool ok = !v->bad && v->head && !(v->obj->flags & LH_VAR_PARAM);
    for (size_t k = v->head; k && ok; k = x->asgs[k - 1].next)
        ok = x->asgs[k - 1].idx < 0 && x->asgs[k - 1].rhs && search_expr(x, x->asgs[k - 1].rhs);
    v->search = ok ? 1 : -1;
    return ok;
}

/* A position found by searching: bytes.Index(...), a local holding only
 * such results, either plus or minus a constant. */
static bool search_expr(ss_ctx *x, lh_node *e)
{
    int64_t c;
    e = lh_ast_unparen(e);
    switch (LH_KIND(e)) {
    case LH_CALL_EXPR:
        return bytes_strings(callee(x, e), searches);
    case LH_BINARY_EXPR: {
        lh_binary_expr *b = LH_AS(e, lh_binary_expr);
        if (b->op != LH_TOK_ADD && b->op != LH_TOK_SUB)
            return false;
        return (search_expr(x, b->x) && const_int(x, b->y, &c)) ||
               (b->op == LH_TOK_ADD && const_int(x, b->x, &c) && search_expr(x, b->y));
    }
    case LH_IDENT: {
        ss_var *v = var_of(x, lh_sema_obj_of(x->c->sema, e));
        return v && v->search != 2 && search_var(x, v);
    }
    default:
        return false;
    }
}

/* len(X) with X the variable buf. */
static bool len_of(ss_ctx *x, lh_node *e, const lh_obj *buf)
{
    e = lh_ast_unparen(e);
    if (LH_KIND(e) != LH_CALL_EXPR || LH_AS(e, lh_call_expr)->args.n != 1)
        return false;
    lh_obj *o = lh_sema_callee(x->c->sema, LH_AS(e, lh_call_expr));
    return o && o->kind == LH_OBJ_BUILTIN && o->name.len == 3 && memcmp(o->name.p, "len", 3) == 0 &&
           obj_of(x, LH_AS(e, lh_call_expr)->args.v[0]) == buf;
}

static bool small(ss_ctx *x, const lh_slice_expr *se, const lh_obj *buf)
{
    int64_t c;
    lh_node *lo = se->low, *hi = se->high;
    if (!hi) {
        /* data[len(data)-4:] */
        lh_node *l = lo ? lh_ast_unparen(lo) : NULL;
        return l && LH_KIND(l) == LH_BINARY_EXPR && LH_AS(l, lh_binary_expr)->op == LH_TOK_SUB &&
               len_of(x, LH_AS(l, lh_binary_expr)->x, buf) &&
               const_int(x, LH_AS(l, lh_binary_expr)->y, &c);
    }
    if (const_int(x, hi, &c))
        return c > 0;
    lh_node *h = lh_ast_unparen(hi);
    if (lo && LH_KIND(h) == LH_BINARY_EXPR && LH_AS(h, lh_binary_expr)->op == LH_TOK_ADD) {
        /* data[i:i+4] */
        lh_binary_expr *b = LH_AS(h, lh_binary_expr);
        lh_obj *lv = obj_of(x, lo);
        if (lv && ((obj_of(x, b->x) == lv && const_int(x, b->y, &c)) ||
                   (obj_of(x, b->y) == lv && const_int(x, b->x, &c))))
            return true;
    }
    return search_expr(x, hi);
}

/* ---- where the sub-slice goes ---------------------------------------- */

static ss_out not_kept(void)
{
    return (ss_out){SS_NOT, NULL, false, NULL};
}

static ss_out kept(const char *why)
{
    return (ss_out){SS_KEPT, NULL, false, why};
}

/* Whether a local v may be followed: every value it is given is a zero
 * value, a fresh composite, a sub-slice, or an append to itself -- no
 * copy of something else that would make its later uses innocent. */
static bool followable(ss_ctx *x, const lh_obj *o)
{
    ss_var *v = var_of(x, o);
    if (!v || v->bad)
        return false;
    for (size_t k = v->head; k; k = x->asgs[k - 1].next) {
        const ss_asg *a = &x->asgs[k - 1];
        if (!a->rhs)
            continue;
        if (a->idx >= 0)
            return false;
        lh_node *r = lh_ast_unparen(a->rhs);
        if (LH_KIND(r) == LH_UNARY_EXPR && LH_AS(r, lh_unary_expr)->op == LH_TOK_AND)
            r = lh_ast_unparen(LH_AS(r, lh_unary_expr)->x);
        if (LH_KIND(r) == LH_COMPOSITE_LIT || LH_KIND(r) == LH_SLICE_EXPR || lh_ident_is(r, "nil"))
            continue;
        if (LH_KIND(r) != LH_CALL_EXPR)
            return false;
        lh_call_expr *call = LH_AS(r, lh_call_expr);
        lh_obj *f = lh_sema_callee(x->c->sema, call);
        if (f && f->kind == LH_OBJ_BUILTIN &&
            ((f->name.len == 4 && memcmp(f->name.p, "make", 4) == 0) ||
             (f->name.len == 3 && memcmp(f->name.p, "new", 3) == 0)))
            continue;
        if (f && f->kind == LH_OBJ_BUILTIN && f->name.len == 6 &&
            memcmp(f->name.p, "append", 6) == 0 && call->args.n >= 1 &&
            obj_of(x, call->args.v[0]) == o)
            continue;
        if (bytes_strings(f, trims))
            continue;
        return false;
    }
    return true;
}

/* Where a value stored into lhs ends up. */
static ss_out target(ss_ctx *x, lh_node *lhs, bool container)
{
    lh_node *l = lh_ast_unparen(lhs);
    if (LH_KIND(l) == LH_IDENT) {
        lh_obj *o = lh_sema_obj_of(x->c->sema, l);
        if (!o || o->kind != LH_OBJ_VAR)
            return not_kept();      /* the blank identifier */
        if (o->flags & LH_VAR_PKG)
            return kept("is stored in a package-level variable");
        if (!local_var(o) || (o->flags & LH_VAR_PARAM) || !followable(x, o))
            return not_kept();
        return (ss_out){SS_LOCAL, o, container, NULL};
    }
    /* A field, element or pointee: whose? */
    const char *why = LH_KIND(l) == LH_SELECTOR_EXPR ? "is stored in a field"
                      : LH_KIND(l) == LH_INDEX_EXPR  ? "is stored in a map or slice"
                                                     : "is stored through a pointer";
    for (;;) {
        if (LH_KIND(l) == LH_SELECTOR_EXPR) {
            lh_obj *o = obj_of(x, LH_AS(l, lh_selector_expr)->x);
            if (o && o->kind == LH_OBJ_PKGNAME)
                return kept("is stored in a package-level variable");
            l = lh_ast_unparen(LH_AS(l, lh_selector_expr)->x);
        } else if (LH_KIND(l) == LH_INDEX_EXPR) {
            l = lh_ast_unparen(LH_AS(l, lh_index_expr)->x);
        } else {
            break;
        }
    }
    if (LH_KIND(l) != LH_IDENT)
        return kept(why);           /* *p, f().x: memory someone else holds */
    lh_obj *o = lh_sema_obj_of(x->c->sema, l);
    if (!o || o->kind != LH_OBJ_VAR)
        return not_kept();
    if (o->flags & LH_VAR_PKG)
        return kept("is stored in a package-level variable");
    if (o->flags & LH_VAR_PARAM)
        return kept(why);           /* the receiver's field, the caller's map */
    if (!local_var(o) || !followable(x, o))
        return not_kept();
    return (ss_out){SS_LOCAL, o, true, NULL};
}

static uint32_t list_index(const lh_list *l, const lh_node *n)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (l->v[i] == n)
            return i;
    return UINT32_MAX;
}

/* Where the value of e (anc[0..k) its ancestors) goes. container: e holds
 * the sub-slice among other things (a slice of them, a struct), so its
 * elements and fields carry it too. */
static ss_out goes_out(ss_ctx *x, lh_node *e, lh_node *const *anc, size_t k, bool container)
{
    while (k > 0 && LH_KIND(anc[k - 1]) == LH_PAREN_EXPR)
        e = anc[--k];
    if (k == 0)
        return not_kept();
    lh_node *par = anc[k - 1];
    switch (LH_KIND(par)) {
    case LH_RETURN_STMT: {
        lh_node *fn = lh_rule_enclosing_func(anc, k);
        /* A literal's result goes to whoever calls it: not followed. */
        return fn && LH_KIND(fn) == LH_FUNC_DECL ? kept("is returned") : not_kept();
    }
    case LH_SEND_STMT:
        return LH_AS(par, lh_send_stmt)->value == e ? kept("is sent on a channel") : not_kept();
    case LH_ASSIGN_STMT: {
        lh_assign_stmt *a = LH_AS(par, lh_assign_stmt);
        uint32_t i = list_index(&a->rhs, e);
        if (i == UINT32_MAX || a->lhs.n != a->rhs.n ||
            (a->tok != LH_TOK_ASSIGN && a->tok != LH_TOK_DEFINE))
            return not_kept();
        return target(x, a->lhs.v[i], container);
    }
    case LH_VALUE_SPEC: {
        lh_value_spec *vs = LH_AS(par, lh_value_spec);
        uint32_t i = list_index(&vs->values, e);
        if (i == UINT32_MAX || vs->names.n != vs->values.n)
            return not_kept();
        return target(x, vs->names.v[i], container);
    }
    case LH_KEY_VALUE_EXPR:
        if (k >= 2 && LH_KIND(anc[k - 2]) == LH_COMPOSITE_LIT)
            return goes_out(x, anc[k - 2], anc, k - 2, true);
        return not_kept();
    case LH_COMPOSITE_LIT:
        return list_index(&LH_AS(par, lh_composite_lit)->elts, e) != UINT32_MAX
                   ? goes_out(x, par, anc, k - 1, true)
                   : not_kept();
    case LH_UNARY_EXPR:
        return LH_AS(par, lh_unary_expr)->op == LH_TOK_AND ? goes_out(x, par, anc, k - 1, container)
                                                          : not_kept();
    case LH_STAR_EXPR:
        return container ? goes_out(x, par, anc, k - 1, true) : not_kept();
    case LH_CALL_EXPR: {
        lh_call_expr *call = LH_AS(par, lh_call_expr);
        uint32_t i = list_index(&call->args, e);
        if (i == UINT32_MAX)
            return not_kept();
        bool to_string;
        if (conversion(x, par, &to_string)) {
            const lh_type *t = lh_type_underlying(lh_sema_type_of(x->c->sema, e));
            bool from_string = t && t->kind == LH_T_BASIC && t->name &&
                               strcmp(t->name, "string") == 0;
            /* string(b) and []byte(s) copy; T(b) for a named []byte does not */
            return t && from_string == to_string ? goes_out(x, par, anc, k - 1, container)
                                                  : not_kept();
        }
        lh_obj *f = lh_sema_callee(x->c->sema, call);
        if (f && f->kind == LH_OBJ_BUILTIN && f->name.len == 6 &&
            memcmp(f->name.p, "append", 6) == 0) {
            if (i == 0)
                return container ? goes_out(x, par, anc, k - 1, true) : not_kept();
            if (call->ellipsis.line)
                return not_kept();  /* append(dst, b...) copies the bytes */
            return goes_out(x, par, anc, k - 1, true);
        }
        if (i == 0 && bytes_strings(f, trims))
            return goes_out(x, par, anc, k - 1, container);
        return not_kept();          /* a copy, or a function we cannot see into */
    }
    case LH_INDEX_EXPR: {
        lh_index_expr *ie = LH_AS(par, lh_index_expr);
        if (ie->x == e)
            return container ? goes_out(x, par, anc, k - 1, false) : not_kept();
        /* Used as a map key: kept when the entry is stored. */
        if (k >= 2 && LH_KIND(anc[k - 2]) == LH_ASSIGN_STMT &&
            list_index(&LH_AS(anc[k - 2], lh_assign_stmt)->lhs, par) != UINT32_MAX)
            return target(x, par, true);
        return not_kept();
    }
    case LH_SLICE_EXPR:
        return LH_AS(par, lh_slice_expr)->x == e ? goes_out(x, par, anc, k - 1, container)
                                                : not_kept();
    case LH_SELECTOR_EXPR:
        return container && LH_AS(par, lh_selector_expr)->x == e
                   ? goes_out(x, par, anc, k - 1, false)
                   : not_kept();
    default:
        return not_kept();
    }
}

/* ---- reporting ------------------------------------------------------- */

static void report(ss_ctx *x, const lh_node *se, const ss_var *buf, const char *why)
{
    if (lh_ptrmap_has(&x->reported, se))
        return;
    lh_ptrmap_put(&x->reported, se, (void *)se);
    const char *src = x->f->src + se->pos.off;
    int len = (int)(se->end - se->pos.off);
    const char *nl = memchr(src, '\n', (size_t)len);
    char text[80];
    if (nl || len > 60)
        snprintf(text, sizeof text, "the sub-slice");
    else
        snprintf(text, sizeof text, "%.*s", len, src);
    const char *clone = buf->string ? "strings.Clone" : "bytes.Clone";
    if (buf->string)
        lh_rule_report(x->c, x->f, se,
                       "%s %s but keeps the whole string made from %s's buffer alive; copy it: "
                       "%s(%s)",
                       text, why, buf->origin, clone, nl || len > 60 ? "..." : text);
    else
        lh_rule_report(x->c, x->f, se,
                       "%s %s but keeps the whole buffer from %s alive; copy it: %s(%s)", text,
                       why, buf->origin, clone, nl || len > 60 ? "..." : text);
}

static void pend(ss_ctx *x, const lh_obj *v, const lh_node *se, const ss_var *buf, bool container)
{
    for (size_t i = 0; i < x->npend; i++)
        if (x->pend[i].v == v && x->pend[i].se == se && x->pend[i].container == container)
            return;
    x->pend = grow_array(x->pend, &x->cappend, x->npend, sizeof *x->pend);
    x->pend[x->npend++] = (ss_pending){v, se, buf, container, false};
}

static void outcome(ss_ctx *x, ss_out o, const lh_node *se, const ss_var *buf)
{
    if (o.how == SS_KEPT)
        report(x, se, buf, o.why);
    else if (o.how == SS_LOCAL)
        pend(x, o.v, se, buf, o.container);
}

/* The innermost loop around anc[0..k) inside its function, or NULL. */
static const lh_node *inner_loop(lh_node *const *anc, size_t k)
{
    for (size_t j = k; j-- > 0;) {
        lh_node_kind kd = LH_KIND(anc[j]);
        if (kd == LH_FUNC_LIT || kd == LH_FUNC_DECL)
            return NULL;
        if (kd == LH_FOR_STMT || kd == LH_RANGE_STMT)
            return anc[j];
    }
    return NULL;
}

static bool slices(lh_node *n, lh_node *const *anc, size_t nanc, void *vx)
{
    ss_ctx *x = vx;
    if (LH_KIND(n) != LH_SLICE_EXPR)
        return true;
    lh_slice_expr *se = LH_AS(n, lh_slice_expr);
    lh_obj *o = obj_of(x, se->x);
    ss_var *buf = o ? var_of(x, o) : NULL;
    if (!buf || !buf->big || !small(x, se, o))
        return true;
    const lh_node *loop = inner_loop(anc, nanc);
    if (loop && o->ident && (o->ident->pos.off < loop->pos.off || o->ident->pos.off >= loop->end))
        return true;            /* pieces of one buffer, turn after turn */
    outcome(x, goes_out(x, n, anc, nanc, false), n, buf);
    return true;
}

/* One round over the uses of the locals sub-slices went to. */
static bool uses(lh_node *n, lh_node *const *anc, size_t nanc, void *vx)
{
    ss_ctx *x = vx;
    if (LH_KIND(n) == LH_RETURN_STMT && LH_AS(n, lh_return_stmt)->results.n == 0) {
        /* A bare return hands back the named results. */
        lh_node *fn = lh_rule_enclosing_func(anc, nanc);
        for (size_t i = x->round_start; i < x->npend; i++) {
            ss_pending *p = &x->pend[i];
            if ((p->v->flags & LH_VAR_RESULT) && p->v->func == fn && LH_KIND(fn) == LH_FUNC_DECL)
                report(x, p->se, p->buf, "is returned");
        }
        return true;
    }
    if (LH_KIND(n) != LH_IDENT)
        return true;
    lh_obj *o = lh_sema_obj_of(x->c->sema, n);
    if (!o || o->ident == n || !var_of(x, o))
        return true;
    lh_node *par = nanc ? anc[nanc - 1] : NULL;
    if (par && LH_KIND(par) == LH_ASSIGN_STMT &&
        list_index(&LH_AS(par, lh_assign_stmt)->lhs, n) != UINT32_MAX)
        return true;            /* being assigned, not used */
    size_t end = x->npend;
    for (size_t i = x->round_start; i < end; i++) {
        if (x->pend[i].v != o)
            continue;
        ss_pending p = x->pend[i];
        ss_out r = goes_out(x, n, anc, nanc, p.container);
        if (r.how == SS_LOCAL && r.v == o)
            continue;           /* v = append(v, ...) */
        outcome(x, r, p.se, p.buf);
    }
    return true;
}

static void check_file(ss_ctx *x)
{
    lh_rule_walk_file(x->c, x->fi, COLLECT_KINDS, collect, x);
    find_buffers(x);
    bool any = false;
    for (size_t i = 0; i < x->nvars && !any; i++)
        any = x->vars[i].big;
    if (!any)
        return;
    lh_rule_walk_file(x->c, x->fi, LH_KIND_SET(LH_SLICE_EXPR), slices, x);
    /* Follow the locals a few hops: x := b[:4]; out = append(out, x). */
    for (int round = 0; round < 3 && x->round_start < x->npend; round++) {
        size_t end = x->npend;
        lh_rule_walk_file(x->c, x->fi, LH_KIND_SET(LH_RETURN_STMT) | LH_KIND_SET(LH_IDENT), uses,
                          x);
        x->round_start = end;
    }
}

static void check(lh_rule_ctx *c)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        /* Buffers, their sub-slices and where those go are a file's own
         * (ss_ctx lives for one file), and so are its findings. */
        if (lh_rule_quiet(c, c->files[i]))
            continue;
        ss_ctx x = {.c = c, .f = c->files[i], .fi = i};
        check_file(&x);
        free(x.vars);
        free(x.asgs);
        free(x.pend);
        lh_ptrmap_free(&x.by_obj);
        lh_ptrmap_free(&x.reported);
    }
}

const lh_rule lh_rule_subslice_retention = {
    .id = "subslice-retention",
    .summary = "small sub-slice of a whole-file or whole-body read kept alive",
    .severity = LH_SEV_WARNING,
    .check = check,
    .explain =
        "A slice expression shares the backing array of the slice it is taken\n"
        "from, and a substring shares its string's bytes. Keeping a few bytes of\n"
        "a file read whole with os.ReadFile (or a body read with io.ReadAll)\n"
        "therefore keeps the whole buffer reachable: a 5-byte header returned\n"
        "from a 10 MB file holds 10 MB for as long as the header lives.\n"
        "\n"
        "Leaky:\n"
        "\n"
        "    func readHeader(name string) ([]byte, error) {\n"
        "        data, err := os.ReadFile(name)\n"
        "        if err != nil {\n"
        "            return nil, err\n"
        "        }\n"
        "        return data[5:10], nil // the whole file stays alive\n"
        "    }\n"
        "\n"
        "Fixed: copy the part you keep:\n"
        "\n"
        "    func readHeader(name string) ([]byte, error) {\n"
        "        data, err := os.ReadFile(name)\n"
        "        if err != nil {\n"
        "            return nil, err\n"
        "        }\n"
        "        return bytes.Clone(data[5:10]), nil\n"
        "    }\n"
        "\n"
        "Reported at the slice expression when it is taken from the result of\n"
        "os.ReadFile, io.ReadAll, ioutil.ReadAll or ioutil.ReadFile (or a string\n"
        "converted from one, followed through local variables), its width is\n"
        "small by construction (constant bounds, data[i:i+4], a bound found with\n"
        "bytes.Index or strings.Index), and it is kept beyond the function:\n"
        "returned, stored in a field, a package-level variable, a map or a\n"
        "slice of the caller's, or sent on a channel, also inside a composite\n"
        "literal or appended to a slice that is. A copy on the way -- bytes.Clone,\n"
        "strings.Clone, string(b), []byte(s), append(x, b...), copy -- makes it\n"
        "clean. Not reported: slices taken in a loop over one buffer (the pieces\n"
        "may add up to all of it) and sub-slices passed to functions we cannot\n"
        "see into.\n",
};
