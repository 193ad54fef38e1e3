/* Where a resource goes: for a variable holding a response, rows, a file or
 * a ticker, whether each statement releases it, hands it off, or merely
 * uses it; and whether some path from its creation reaches the function's
 * end (or the next iteration of its loop) with the resource still owned
 * and unreleased. The resource rules (unclosed-body, unclosed-rows,
 * unclosed-file, ticker-not-stopped) are this search with their own
 * resource kinds.
 *
 * Precision first: every use we cannot prove harmless counts as a
 * hand-off (the path stops: someone else may close it). Harmless are the
 * kind's read-only methods and fields, comparisons with nil, and passing
 * the resource (or its body) to a standard-library function of the stubs,
 * which never close or keep what they read (io.ReadAll, io.Copy), or
 * wrap it in a reader used on the spot or kept in a local variable that
 * goes nowhere (bufio.NewScanner, json.NewDecoder ...). */
#include <string.h>

#include "sema/flow.h"

static bool name_in(lh_str n, const char *const *names)
{
    for (size_t i = 0; names && names[i]; i++)
        if (n.len == strlen(names[i]) && memcmp(n.p, names[i], n.len) == 0)
            return true;
    return false;
}

static bool str_is(lh_str n, const char *s)
{
    return s && n.len == strlen(s) && memcmp(n.p, s, n.len) == 0;
}

/* Whether call's callee is a standard-library stub function or method:
 * reads what it is given, never closes or keeps it. */
static bool stub_callee(lh_sema_pkg *p, const lh_call_expr *call)
{
    lh_obj *o = lh_sema_callee(p, call);
    return o && o->kind == LH_OBJ_FUNC && o->pkg && o->pkg->stub;
}

typedef struct cls_ctx {
    lh_sema_pkg *p;
    const lh_obj *v;
    const lh_flow_kind *k;
    lh_node **stack;            /* ancestors below the classified node */
    size_t n, cap;
    lh_flow_use use;
    uint32_t funclit;           /* depth inside function literals */
    int depth;                  /* summaries being computed above this one */
    const lh_node *skip;        /* identifiers of v not counted: the one a
                                 * wrapper is kept in, and its declaration
                                 * (var r io.Reader; r = bufio.NewReader(f)) */
    const lh_node *skip_decl;
} cls_ctx;

static bool str_same(lh_str a, lh_str b)
{
    return a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
}

static lh_node *anc(const cls_ctx *c, size_t up)
{
    return up < c->n ? c->stack[c->n - 1 - up] : NULL;
}

/* The summary of a function of the module for its i-th parameter: the
 * largest use its body makes of it (a parameter the body never names is
 * not used at all). Computed on first use and kept on the function's
 * object; a function being summarised that reaches itself again (directly
 * or through others) counts as a hand-off, as does anything deeper than a
 * few calls. */
enum { LH_SUMMARY_DEPTH = 4 };

static const lh_flow_kind summary_kind;

static lh_flow_use param_use(lh_obj *fn, uint32_t i, int depth);
static lh_flow_use classify(lh_sema_pkg *p, const lh_obj *v, const lh_flow_kind *k, lh_node *n,
                            int depth, const lh_node *skip);

/* A resource (or its body) passed as argument arg of call. */
/* A standard-library call whose result can hold what it is given: a
 * pointer or interface (bufio.NewReader(f), json.NewDecoder(body),
 * io.NopCloser(r)), as opposed to []byte, numbers, strings and errors. */
static bool wraps(lh_sema_pkg *p, const lh_call_expr *call)
{
    uint32_t n;
    const lh_type *const *rs = lh_sema_call_results(p, call, &n);
    if (!rs || n == 0 || !rs[0])
        return false;
    const lh_type *t = rs[0];
    if (lh_type_is_named(t, NULL, "error"))
        return false;
    const lh_type *u = lh_type_underlying(t);
    return t->kind == LH_T_POINTER || (u && u->kind == LH_T_INTERFACE);
}

/* A wrapper's uses, when it is kept in a variable: any method reads
 * through it (sc.Scan, dec.Decode, r.ReadString), except Close, which may
 * close what it wraps (tls.Client(conn), http.MaxBytesReader): counted as a
 * release, which the caller takes for a hand-off. */
static const char *const wrapper_release[] = {"Close", NULL};
static const lh_flow_kind wrapper_kind = {wrapper_release, NULL, NULL, NULL, NULL, true};

/* The local variable a call's first result is kept in, when its parent is
 * `w := call`, `w = call`, `w, err := call` or `var w = call`; NULL
 * otherwise. */
static const lh_obj *kept_in(lh_sema_pkg *p, const lh_node *up, const lh_node *call,
                             const lh_node **id)
{
    const lh_node *lhs = NULL;
    if (LH_KIND(up) == LH_ASSIGN_STMT) {
        const lh_assign_stmt *a = LH_AS(up, lh_assign_stmt);
        for (uint32_t i = 0; i < a->rhs.n; i++)
            if (a->rhs.v[i] == call && (a->lhs.n == a->rhs.n || (a->rhs.n == 1 && i == 0)))
                lhs = a->lhs.v[i];
    } else if (LH_KIND(up) == LH_VALUE_SPEC) {
        const lh_value_spec *v = LH_AS(up, lh_value_spec);
        for (uint32_t i = 0; i < v->values.n; i++)
            if (v->values.v[i] == call && (v->names.n == v->values.n || (v->values.n == 1 && i == 0)))
                lhs = v->names.v[i];
    }
    if (!lhs || LH_KIND(lhs) != LH_IDENT || lh_ident_is(lhs, "_"))
        return NULL;
    const lh_obj *w = lh_sema_obj_of(p, lhs);
    if (!w || w->kind != LH_OBJ_VAR || !w->func ||
        (w->flags & (LH_VAR_PKG | LH_VAR_PARAM | LH_VAR_RESULT | LH_VAR_RECV | LH_VAR_FIELD)))
        return NULL;
    *id = lhs;
    return w;
}

/* A standard-library wrapper of the resource kept in local variable w:
 * the resource stays its owner's to close as long as the wrapper itself
 * goes nowhere -- only read through in its function, never returned,
 * stored, captured or closed. */
static lh_flow_use kept_wrapper(cls_ctx *c, const lh_obj *w, const lh_node *id)
{
    if (w == c->v || c->depth >= LH_SUMMARY_DEPTH)
        return LH_FLOW_HANDOFF;     /* r = bufio.NewReader(r); deep chains */
    const lh_node *fn = w->func;
    lh_node *body = LH_KIND(fn) == LH_FUNC_DECL ? LH_AS(fn, lh_func_decl)->body
                                                : LH_AS(fn, lh_func_lit)->body;
    if (!body)
        return LH_FLOW_HANDOFF;
    lh_flow_use u = classify(c->p, w, &wrapper_kind, body, c->depth + 1, id);
    return u <= LH_FLOW_BENIGN ? LH_FLOW_BENIGN : LH_FLOW_HANDOFF;
}

static lh_flow_use as_argument(cls_ctx *c, const lh_call_expr *call, const lh_node *arg)
{
    if (stub_callee(c->p, call)) {
        /* A wrapper used on the spot (json.NewDecoder(b).Decode(&v)) reads
         * and goes, as does one kept in a local variable that goes nowhere;
         * one returned or stored carries the resource with it. */
        if (!wraps(c->p, call))
            return LH_FLOW_BENIGN;      /* io.Copy(w, f), io.ReadAll(f) */
        for (size_t k = 0; k + 1 < c->n; k++)
            if (c->stack[c->n - 1 - k] == (const lh_node *)call) {
                lh_node *up1 = c->stack[c->n - 2 - k];
                if (LH_KIND(up1) == LH_SELECTOR_EXPR)
                    return LH_FLOW_BENIGN;
                const lh_node *id = NULL;
                const lh_obj *w = kept_in(c->p, up1, (const lh_node *)call, &id);
                return w ? kept_wrapper(c, w, id) : LH_FLOW_HANDOFF;
            }
        return LH_FLOW_HANDOFF;
    }
    lh_obj *fn = lh_sema_callee(c->p, call);
    if (!fn || fn->kind != LH_OBJ_FUNC || !fn->pkg || fn->pkg->stub || call->ellipsis.line)
        return LH_FLOW_HANDOFF;         /* a function value, a builtin, f(xs...) */
    for (uint32_t i = 0; i < call->args.n; i++)
        if (call->args.v[i] == arg)
            return param_use(fn, i, c->depth + 1);
    return LH_FLOW_HANDOFF;
}

/* How one occurrence (the identifier, with its ancestors on the stack)
 * uses the resource. */
static lh_flow_use occurrence(cls_ctx *c, lh_node *id)
{
    if (c->funclit)
        return LH_FLOW_HANDOFF;         /* captured: the closure owns it */
    lh_node *par = anc(c, 0);
    if (!par)
        return LH_FLOW_HANDOFF;
    if (LH_KIND(par) == LH_PAREN_EXPR)
        return LH_FLOW_HANDOFF;         /* rare; not worth following */
    if (LH_KIND(par) == LH_BINARY_EXPR) {
        lh_binary_expr *b = LH_AS(par, lh_binary_expr);
        lh_node *other = b->x == id ? b->y : b->x;
        if ((b->op == LH_TOK_EQL || b->op == LH_TOK_NEQ) && lh_ident_is(other, "nil"))
            return LH_FLOW_BENIGN;
        return LH_FLOW_HANDOFF;
    }
    if (LH_KIND(par) == LH_SELECTOR_EXPR && LH_AS(par, lh_selector_expr)->x == id) {
        lh_str sel = LH_AS(LH_AS(par, lh_selector_expr)->sel, lh_ident)->name;
        lh_node *gp = anc(c, 1);
        bool called = gp && LH_KIND(gp) == LH_CALL_EXPR && LH_AS(gp, lh_call_expr)->fun == par;
        if (called) {
            if (name_in(sel, c->k->release))
                return LH_FLOW_RELEASE;
            if (name_in(sel, c->k->benign_methods) || c->k->other_methods_benign)
                return LH_FLOW_BENIGN;
            return LH_FLOW_HANDOFF;     /* a method we do not know */
        }
        if (str_is(sel, c->k->drain_field) && gp && LH_KIND(gp) == LH_UNARY_EXPR &&
            LH_AS(gp, lh_unary_expr)->op == LH_TOK_ARROW)
            return LH_FLOW_RELEASE;     /* <-t.C: the timer fired */
        if (!str_is(sel, c->k->release_field)) {
            /* A field read (resp.StatusCode) or a method value (f.Close
             * as a func: handed to whoever calls it). */
            if (gp && LH_KIND(gp) == LH_SELECTOR_EXPR)
                return LH_FLOW_BENIGN;  /* resp.Header.Get(...) */
            return name_in(sel, c->k->release) || name_in(sel, c->k->benign_methods)
                       ? LH_FLOW_HANDOFF
                       : LH_FLOW_BENIGN;
        }
        /* resp.Body: Close releases, Read reads, a stub reads it; anything
         * else hands the body on. */
        if (gp && LH_KIND(gp) == LH_SELECTOR_EXPR && LH_AS(gp, lh_selector_expr)->x == par) {
            lh_str m = LH_AS(LH_AS(gp, lh_selector_expr)->sel, lh_ident)->name;
            lh_node *ggp = anc(c, 2);
            bool mcall = ggp && LH_KIND(ggp) == LH_CALL_EXPR &&
                         LH_AS(ggp, lh_call_expr)->fun == gp;
            if (mcall && str_is(m, "Close"))
                return LH_FLOW_RELEASE;
            if (mcall && (str_is(m, "Read")))
                return LH_FLOW_BENIGN;
            return LH_FLOW_HANDOFF;
        }
        if (gp && LH_KIND(gp) == LH_CALL_EXPR && LH_AS(gp, lh_call_expr)->fun != par)
            return as_argument(c, LH_AS(gp, lh_call_expr), par);
        if (gp && LH_KIND(gp) == LH_BINARY_EXPR)
            return LH_FLOW_BENIGN;      /* resp.Body != nil */
        return LH_FLOW_HANDOFF;
    }
    if (LH_KIND(par) == LH_CALL_EXPR && LH_AS(par, lh_call_expr)->fun != id)
        return as_argument(c, LH_AS(par, lh_call_expr), id);
    return LH_FLOW_HANDOFF;
}

static bool cls_pre(lh_node *n, lh_node *parent, void *vc)
{
    (void)parent;
    cls_ctx *c = vc;
    /* An identifier resolving to v is spelled as v is: comparing names
     * first spares most lookups in the side table. */
    if (c->v && n != c->skip && n != c->skip_decl && LH_KIND(n) == LH_IDENT &&
        str_same(LH_AS(n, lh_ident)->name, c->v->name) && lh_sema_obj_of(c->p, n) == c->v) {
        lh_flow_use u = occurrence(c, n);
        if (u > c->use)
            c->use = u;
    }
    if (LH_KIND(n) == LH_FUNC_LIT)
        c->funclit++;
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 32;
        c->stack = realloc(c->stack, c->cap * sizeof *c->stack);
        if (!c->stack)
            abort();
    }
    c->stack[c->n++] = n;
    return c->use < LH_FLOW_RELEASE;
}

static void cls_post(lh_node *n, lh_node *parent, void *vc)
{
    (void)parent;
    cls_ctx *c = vc;
    if (LH_KIND(n) == LH_FUNC_LIT)
        c->funclit--;
    c->n--;
}

static lh_flow_use classify(lh_sema_pkg *p, const lh_obj *v, const lh_flow_kind *k, lh_node *n,
                            int depth, const lh_node *skip)
{
    cls_ctx c = {.p = p, .v = v, .k = k, .depth = depth, .skip = skip,
                 .skip_decl = skip ? v->ident : NULL};
    lh_ast_walk(n, cls_pre, cls_post, &c);
    free(c.stack);
    return c.use;
}

lh_flow_use lh_flow_classify(lh_sema_pkg *p, const lh_obj *v, const lh_flow_kind *k, lh_node *n)
{
    return classify(p, v, k, n, 0, NULL);
}

/* What a helper may do with a resource it is handed, whatever its kind:
 * the release methods of every kind, and their read-only methods. */
static const char *const summary_release[] = {"Close", "Stop", "Commit", "Rollback", NULL};
static const char *const summary_benign[] = {
    "Read", "ReadAt", "Write", "WriteAt", "WriteString", "Stat", "Name", "Seek", "Sync",
    "Readdir", "Readdirnames", "ReadDir", "Next", "Scan", "Err", "Columns", "ColumnTypes",
    "NextResultSet", "Exec", "ExecContext", "QueryRow", "QueryRowContext", "Reset", NULL,
};
static const lh_flow_kind summary_kind = {summary_release, "Body", summary_benign, "C", NULL, false};

static lh_flow_use param_use(lh_obj *fn, uint32_t i, int depth)
{
    if (fn->summary && i < fn->nsummary)
        return fn->summary[i] == 0xff ? LH_FLOW_HANDOFF : (lh_flow_use)fn->summary[i];
    const lh_node *d = fn->frozen ? NULL : fn->decl;
    if (!d || LH_KIND(d) != LH_FUNC_DECL || !LH_AS(d, lh_func_decl)->body)
        return LH_FLOW_HANDOFF;         /* no body: assembly, or not ours */
    if (depth > LH_SUMMARY_DEPTH)
        return LH_FLOW_HANDOFF;
    lh_sema_pkg *p = fn->pkg;
    const lh_func_type *ft = LH_AS(LH_AS(d, lh_func_decl)->type, lh_func_type);
    const lh_field_list *fl = ft->params ? LH_AS(ft->params, lh_field_list) : NULL;
    uint32_t n = 0;
    for (uint32_t k = 0; fl && k < fl->list.n; k++) {
        uint32_t m = LH_AS(fl->list.v[k], lh_field)->names.n;
        n += m ? m : 1;
    }
    if (i >= n)
        return LH_FLOW_HANDOFF;
    /* 0xff marks "being computed": a cycle through this function. */
    fn->summary = lh_arena_alloc(&p->arena, n);
    memset(fn->summary, 0xff, n);
    fn->nsummary = n;
    uint32_t idx = 0;
    lh_flow_use out = LH_FLOW_HANDOFF;
    for (uint32_t k = 0; fl && k < fl->list.n; k++) {
        const lh_field *f = LH_AS(fl->list.v[k], lh_field);
        bool variadic = LH_KIND(f->type) == LH_ELLIPSIS;
        if (f->names.n == 0) {
            fn->summary[idx++] = variadic ? 0xff : LH_FLOW_NONE;
            continue;
        }
        for (uint32_t m = 0; m < f->names.n; m++, idx++) {
            lh_obj *v = lh_sema_obj_of(p, f->names.v[m]);
            lh_flow_use u;
            if (variadic)
                u = LH_FLOW_HANDOFF;
            else if (!v || lh_ident_is(f->names.v[m], "_"))
                u = LH_FLOW_NONE;
            else
                u = classify(p, v, &summary_kind, LH_AS(d, lh_func_decl)->body, depth, NULL);
            fn->summary[idx] = (uint8_t)u;
        }
    }
    out = fn->summary[i] == 0xff ? LH_FLOW_HANDOFF : (lh_flow_use)fn->summary[i];
    return out;
}

/* ---- the path search ------------------------------------------------------ */

typedef struct path_ctx {
    lh_sema_pkg *p;
    const lh_obj *v;            /* the resource */
    const lh_obj *err;          /* the error of the same call, or NULL */
    uint32_t err_from, err_to;  /* offsets where err still holds that
                                 * call's error */
    const lh_flow_kind *k;
} path_ctx;

/* `x != nil` / `x == nil` with x resolving to o, or x the field `o.F`
 * (field non-NULL: a nil body has nothing to close): +1 / -1; else 0. */
static int nil_test_f(lh_sema_pkg *p, const lh_node *e, const lh_obj *o, const char *field)
{
    if (!o)
        return 0;
    e = lh_ast_unparen((lh_node *)e);
    if (LH_KIND(e) != LH_BINARY_EXPR)
        return 0;
    const lh_binary_expr *b = LH_AS(e, lh_binary_expr);
    lh_node *x = lh_ast_unparen(b->x), *y = lh_ast_unparen(b->y);
    if (lh_ident_is(x, "nil")) {
        lh_node *t = x;
        x = y;
        y = t;
    }
    if (!lh_ident_is(y, "nil"))
        return 0;
    if (field && LH_KIND(x) == LH_SELECTOR_EXPR &&
        lh_ident_is(LH_AS(x, lh_selector_expr)->sel, field))
        x = lh_ast_unparen(LH_AS(x, lh_selector_expr)->x);
    else if (field)
        return 0;
    if (LH_KIND(x) != LH_IDENT || lh_sema_obj_of(p, x) != o)
        return 0;
    return b->op == LH_TOK_NEQ ? 1 : b->op == LH_TOK_EQL ? -1 : 0;
}

static int nil_test(lh_sema_pkg *p, const lh_node *e, const lh_obj *o)
{
    return nil_test_f(p, e, o, NULL);
}

static bool is_obj(lh_sema_pkg *p, const lh_node *e, const lh_obj *o)
{
    e = lh_ast_unparen((lh_node *)e);
    return LH_KIND(e) == LH_IDENT && lh_sema_obj_of(p, e) == o;
}

/* Which branch of a condition on the call's error is the one where the
 * call succeeded (and so owns the resource), by Go's convention that a
 * non-nil error comes with zero results:
 *   err != nil / err == nil        the nil side;
 *   err == ErrX / err != ErrX      not the side where err equals a value;
 *   IsNotExist(err), errors.Is(err, X) ...   not the true side (such
 *                                  predicates are false for nil);
 *   !pred(err)                     not the false side.
 * Anything else (err == nil && more) splits nothing. */
static lh_cfg_visit err_test(lh_sema_pkg *p, const lh_node *e, const lh_obj *err)
{
    e = lh_ast_unparen((lh_node *)e);
    if (LH_KIND(e) == LH_BINARY_EXPR) {
        const lh_binary_expr *b = LH_AS(e, lh_binary_expr);
        /* err != nil && more: true only when the call failed; err == nil
         * || more: false only when it failed. */
        if (b->op == LH_TOK_LAND || b->op == LH_TOK_LOR) {
            lh_cfg_visit want = b->op == LH_TOK_LAND ? LH_CFG_ONLY_FALSE : LH_CFG_ONLY_TRUE;
            if (err_test(p, b->x, err) == want || err_test(p, b->y, err) == want)
                return want;
            return LH_CFG_CONTINUE;
        }
        if (b->op != LH_TOK_EQL && b->op != LH_TOK_NEQ)
            return LH_CFG_CONTINUE;
        const lh_node *other;
        if (is_obj(p, b->x, err))
            other = b->y;
        else if (is_obj(p, b->y, err))
            other = b->x;
        else
            return LH_CFG_CONTINUE;
        bool eq = b->op == LH_TOK_EQL;
        if (lh_ident_is(lh_ast_unparen((lh_node *)other), "nil"))
            return eq ? LH_CFG_ONLY_TRUE : LH_CFG_ONLY_FALSE;
        return eq ? LH_CFG_ONLY_FALSE : LH_CFG_ONLY_TRUE;
    }
    bool neg = false;
    if (LH_KIND(e) == LH_UNARY_EXPR && LH_AS(e, lh_unary_expr)->op == LH_TOK_NOT) {
        neg = true;
        e = lh_ast_unparen(LH_AS(e, lh_unary_expr)->x);
    }
    if (LH_KIND(e) == LH_CALL_EXPR) {
        /* Only predicates known to be false for a nil error: assert.Nil(t,
         * err) is true then. */
        const lh_call_expr *c = LH_AS(e, lh_call_expr);
        lh_obj *f = lh_sema_callee(p, c);
        static const char *const os_preds[] = {"IsNotExist", "IsExist", "IsPermission",
                                               "IsTimeout", NULL};
        bool known = lh_sema_obj_is(f, "errors", NULL, "Is") ||
                     lh_sema_obj_is(f, "errors", NULL, "As");
        for (size_t i = 0; !known && os_preds[i]; i++)
            known = lh_sema_obj_is(f, "os", NULL, os_preds[i]);
        for (uint32_t i = 0; i < c->args.n; i++)
            if (is_obj(p, c->args.v[i], err)) {
                if (known)
                    return neg ? LH_CFG_ONLY_TRUE : LH_CFG_ONLY_FALSE;
                /* assertNil(t, err), check(err): which branch failed is
                 * not known, so neither is followed (precision first). */
                return LH_CFG_STOP_PATH;
            }
    }
    return LH_CFG_CONTINUE;
}

static lh_cfg_visit path_visit(lh_node *n, void *vp)
{
    path_ctx *c = vp;
    /* The error check: where err != nil the resource is nil and owned by
     * nobody; follow only the path where the call succeeded. Likewise
     * `if resp != nil { defer resp.Body.Close() }`. */
    if (c->err && n->pos.off >= c->err_from && n->pos.off < c->err_to) {
        lh_cfg_visit e = err_test(c->p, n, c->err);
        if (e != LH_CFG_CONTINUE)
            return e;
    }
    int t = nil_test(c->p, n, c->v);
    if (!t && c->k->release_field)
        t = nil_test_f(c->p, n, c->v, c->k->release_field);
    /* for rows.Next() { ... }: when Next returns false the rows are
     * closed (database/sql closes them itself), so the false branch owns
     * nothing; `if !rows.Next() { ... }` the same, negated. */
    if (!t && c->k->exhaust && c->v) {
        const lh_node *e = lh_ast_unparen(n);
        bool neg = false;
        if (LH_KIND(e) == LH_UNARY_EXPR && LH_AS(e, lh_unary_expr)->op == LH_TOK_NOT) {
            neg = true;
            e = lh_ast_unparen(LH_AS(e, lh_unary_expr)->x);
        }
        if (LH_KIND(e) == LH_CALL_EXPR) {
            const lh_node *f = lh_ast_unparen(LH_AS(e, lh_call_expr)->fun);
            if (LH_KIND(f) == LH_SELECTOR_EXPR && is_obj(c->p, LH_AS(f, lh_selector_expr)->x, c->v)) {
                lh_str m = LH_AS(LH_AS(f, lh_selector_expr)->sel, lh_ident)->name;
                for (size_t i = 0; c->k->exhaust[i]; i++)
                    if (str_is(m, c->k->exhaust[i]))
                        return neg ? LH_CFG_ONLY_FALSE : LH_CFG_ONLY_TRUE;
            }
        }
    }
    if (t)
        return t > 0 ? LH_CFG_ONLY_TRUE : LH_CFG_ONLY_FALSE;
    if (!c->v)
        return LH_CFG_CONTINUE;     /* a discarded resource: nothing releases it */
    return lh_flow_classify(c->p, c->v, c->k, n) >= LH_FLOW_RELEASE ? LH_CFG_STOP_PATH
                                                                     : LH_CFG_CONTINUE;
}

typedef struct esc_ctx {
    lh_sema_pkg *p;
    const lh_obj *v;
    uint32_t funclit;
    bool escapes;
} esc_ctx;

static bool esc_pre(lh_node *n, lh_node *parent, void *ve)
{
    esc_ctx *e = ve;
    if (LH_KIND(n) == LH_FUNC_LIT)
        e->funclit++;
    if (LH_KIND(n) == LH_IDENT && lh_sema_obj_of(e->p, n) == e->v &&
        (e->funclit || (parent && LH_KIND(parent) == LH_UNARY_EXPR &&
                        LH_AS(parent, lh_unary_expr)->op == LH_TOK_AND)))
        e->escapes = true;
    return !e->escapes;
}

static void esc_post(lh_node *n, lh_node *parent, void *ve)
{
    (void)parent;
    if (LH_KIND(n) == LH_FUNC_LIT)
        ((esc_ctx *)ve)->funclit--;
}

bool lh_flow_escapes(lh_sema_pkg *p, const lh_obj *v, lh_node *func)
{
    esc_ctx e = {p, v, 0, false};
    lh_node *body = LH_KIND(func) == LH_FUNC_DECL ? LH_AS(func, lh_func_decl)->body
                                                  : LH_AS(func, lh_func_lit)->body;
    if (body)
        lh_ast_walk(body, esc_pre, esc_post, &e);
    return e.escapes;
}

typedef struct reassign_ctx {
    lh_sema_pkg *p;
    const lh_obj *err;
    const lh_cfg *g;
    const lh_cfg_block *b;      /* the creating statement's block */
    uint32_t idx;
    uint32_t after, first;
} reassign_ctx;

typedef struct target_ctx {
    lh_sema_pkg *p;
    const lh_obj *err;
    const lh_node *target;
} target_ctx;

/* Reaching an assignment, not through a branch where the call failed. */
static lh_cfg_visit is_target(lh_node *n, void *vt)
{
    target_ctx *t = vt;
    if (n == t->target)
        return LH_CFG_FOUND;
    return err_test(t->p, n, t->err);
}

/* The first assignment to err after the creation, in source order, that
 * some path from the creation reaches (an assignment in the other branch
 * of an if around the creation does not count). */
static bool reassign_pre(lh_node *n, lh_node *parent, void *vr)
{
    (void)parent;
    reassign_ctx *r = vr;
    if (LH_KIND(n) == LH_FUNC_LIT)
        return false;
    if (LH_KIND(n) == LH_ASSIGN_STMT && n->pos.off >= r->after && n->pos.off < r->first) {
        const lh_assign_stmt *a = LH_AS(n, lh_assign_stmt);
        for (uint32_t i = 0; i < a->lhs.n; i++)
            if (is_obj(r->p, a->lhs.v[i], r->err)) {
                target_ctx t = {r->p, r->err, n};
                lh_cfg_search s = {.visit = is_target, .ctx = &t};
                if (lh_cfg_search_from(r->g, &s, r->b, r->idx + 1, NULL))
                    r->first = n->pos.off;
                break;
            }
    }
    return true;
}

bool lh_flow_unreleased_path(const lh_cfg *g, lh_sema_pkg *p, const lh_obj *v,
                             const lh_obj *err, const lh_flow_kind *k, const lh_node *stmt,
                             lh_cfg_hit *hit)
{
    uint32_t idx;
    lh_cfg_block *b = lh_cfg_block_of(g, stmt, &idx);
    if (!b)
        return false;
    /* err holds this call's error from the statement on, until the next
     * assignment to it in source order (in structured code, the order of
     * the paths that matter). */
    reassign_ctx r = {p, err, g, b, idx, stmt->end, UINT32_MAX};
    if (err)
        lh_ast_walk(g->body, reassign_pre, NULL, &r);
    path_ctx c = {p, v, err, stmt->end, r.first, k};
    lh_cfg_search s = {.visit = path_visit, .ctx = &c, .ends = LH_CFG_RETURN,
                       .until = b->loop ? b->loop->head : NULL};
    return lh_cfg_search_from(g, &s, b, idx + 1, hit);
}

void lh_flow_summarise(lh_obj *fn)
{
    (void)lh_flow_func_closes(fn);
    const lh_type *t = lh_sema_obj_type(fn);
    if (t && t->kind == LH_T_FUNC && t->nparams > 0)
        (void)param_use(fn, 0, 0);
}

typedef struct closes_ctx {
    bool found;
} closes_ctx;

static bool closes_pre(lh_node *n, lh_node *parent, void *vc)
{
    (void)parent;
    closes_ctx *c = vc;
    if (LH_KIND(n) == LH_CALL_EXPR) {
        const lh_node *f = lh_ast_unparen(LH_AS(n, lh_call_expr)->fun);
        if (LH_KIND(f) == LH_SELECTOR_EXPR && lh_ident_is(LH_AS(f, lh_selector_expr)->sel, "Close"))
            c->found = true;
    }
    return !c->found;
}

bool lh_flow_func_closes(lh_obj *fn)
{
    if (fn->closes_state)
        return fn->closes_state == 2;
    if (fn->frozen || !fn->decl || LH_KIND(fn->decl) != LH_FUNC_DECL ||
        !LH_AS(fn->decl, lh_func_decl)->body)
        return true;    /* cannot look: assume it may close */
    closes_ctx c = {false};
    lh_ast_walk(LH_AS(fn->decl, lh_func_decl)->body, closes_pre, NULL, &c);
    fn->closes_state = c.found ? 2 : 1;
    return c.found;
}
