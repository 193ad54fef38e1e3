/* lost-cancel: the cancel function of context.WithCancel, WithTimeout or
 * WithDeadline thrown away (assigned to _, or the call's results dropped)
 * or bound to a variable the function never mentions again. Until cancel
 * is called, the derived context stays registered with its parent (and a
 * timeout's timer stays armed), so a function called per request leaks
 * one context per call until the parent ends.
 *
 * "context" is found by each file's imports, so a renamed import
 * (ctxpkg "context") and a dot import count, and a local package named
 * context does not.
 *
 * This is the syntactic version: a cancel variable mentioned anywhere
 * else in its function counts as used, even when a shadowing variable of
 * the same name is the one mentioned; a function declaring a local with
 * the import's name is skipped whole; and cancel assigned with = (maybe
 * to a variable of an outer scope) is not followed. A version on the
 * package's CFG would report the paths that return without calling
 * cancel (an early return before `defer cancel()`), as go vet's
 * lostcancel does, and resolution would tell shadowed names apart. */
#include <string.h>

#include "rules/rule.h"

typedef struct lc_ctx {
    lh_rule_ctx *c;
    const lh_load_file *f;
    lh_str pkg;             /* the file's name for "context"; len 0: none */
    bool dot;               /* import . "context" */
} lc_ctx;

static bool str_is(lh_str s, const char *t)
{
    size_t n = strlen(t);
    return s.len == n && memcmp(s.p, t, n) == 0;
}

/* How the file refers to package context. */
static void find_import(lc_ctx *x, const lh_file *f)
{
    x->pkg = (lh_str){NULL, 0};
    x->dot = false;
    for (uint32_t i = 0; i < f->imports.n; i++) {
        const lh_import_spec *s = LH_AS(f->imports.v[i], lh_import_spec);
        const lh_basic_lit *path = LH_AS(s->path, lh_basic_lit);
        if (path->value.len != 9 || memcmp(path->value.p + 1, "context", 7) != 0)
            continue;
        if (!s->name) {
            x->pkg = (lh_str){"context", 7};
        } else {
            lh_str name = LH_AS(s->name, lh_ident)->name;
            if (str_is(name, "."))
                x->dot = true;
            else if (!str_is(name, "_"))
                x->pkg = name;
        }
    }
}

/* The name of the context constructor call n makes ("WithTimeout"), or
 * NULL. */
static const char *ctor(const lc_ctx *x, const lh_node *n)
{
    static const char *const names[] = {"WithCancel", "WithTimeout", "WithDeadline"};
    n = lh_ast_unparen((lh_node *)n);
    if (LH_KIND(n) != LH_CALL_EXPR)
        return NULL;
    const lh_node *fun = lh_ast_unparen(LH_AS(n, lh_call_expr)->fun);
    const lh_ident *sel = NULL;
    if (LH_KIND(fun) == LH_SELECTOR_EXPR && x->pkg.len) {
        const lh_selector_expr *s = LH_AS(fun, lh_selector_expr);
        if (LH_KIND(s->x) == LH_IDENT && LH_AS(s->x, lh_ident)->name.len == x->pkg.len &&
            memcmp(LH_AS(s->x, lh_ident)->name.p, x->pkg.p, x->pkg.len) == 0)
            sel = LH_AS(s->sel, lh_ident);
    } else if (LH_KIND(fun) == LH_IDENT && x->dot) {
        sel = LH_AS(fun, lh_ident);
    }
    if (!sel)
        return NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (str_is(sel->name, names[i]))
            return names[i];
    return NULL;
}

typedef struct use_ctx {
    const lh_node *def;
    lh_str name;
    bool used;
} use_ctx;

static bool use_pre(lh_node *n, lh_node *parent, void *vu)
{
    (void)parent;
    use_ctx *u = vu;
    if (u->used)
        return false;
    if (LH_KIND(n) == LH_IDENT && n != u->def) {
        lh_str s = LH_AS(n, lh_ident)->name;
        if (s.len == u->name.len && memcmp(s.p, u->name.p, s.len) == 0)
            u->used = true;
    }
    return true;
}

/* Whether the identifier def (a definition) is mentioned elsewhere in fn. */
static bool mentioned(lh_node *fn, const lh_node *def)
{
    use_ctx u = {def, LH_AS(def, lh_ident)->name, false};
    lh_ast_walk(fn, use_pre, NULL, &u);
    return u.used;
}

typedef struct decl_ctx {
    lh_str name;
    bool found;
} decl_ctx;

static bool names_it(const lh_list *l, lh_str name)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (LH_KIND(l->v[i]) == LH_IDENT && LH_AS(l->v[i], lh_ident)->name.len == name.len &&
            memcmp(LH_AS(l->v[i], lh_ident)->name.p, name.p, name.len) == 0)
            return true;
    return false;
}

static bool decl_pre(lh_node *n, lh_node *parent, void *vd)
{
    (void)parent;
    decl_ctx *d = vd;
    const lh_list *l = NULL;
    lh_list one = {NULL, 0};
    lh_node *kv[2];
    switch (LH_KIND(n)) {
    case LH_FIELD:
        l = &LH_AS(n, lh_field)->names;
        break;
    case LH_VALUE_SPEC:
        l = &LH_AS(n, lh_value_spec)->names;
        break;
    case LH_ASSIGN_STMT:
        if (LH_AS(n, lh_assign_stmt)->tok == LH_TOK_DEFINE)
            l = &LH_AS(n, lh_assign_stmt)->lhs;
        break;
    case LH_RANGE_STMT: {
        const lh_range_stmt *r = LH_AS(n, lh_range_stmt);
        if (r->tok == LH_TOK_DEFINE) {
            if (r->key)
                kv[one.n++] = r->key;
            if (r->value)
                kv[one.n++] = r->value;
            one.v = kv;
            l = &one;
        }
        break;
    }
    default:
        break;
    }
    if (l && names_it(l, d->name))
        d->found = true;
    return !d->found;
}

/* Whether the outermost function around the call declares a local with
 * the import's name. A stand-in for scope resolution that errs towards
 * silence: the local may shadow the package at the call. */
static bool shadowed(const lc_ctx *x, lh_node *const *anc, size_t nanc)
{
    if (!x->pkg.len)
        return false;
    for (size_t i = 0; i < nanc; i++)
        if (LH_KIND(anc[i]) == LH_FUNC_DECL || LH_KIND(anc[i]) == LH_FUNC_LIT) {
            decl_ctx d = {x->pkg, false};
            lh_ast_walk(anc[i], decl_pre, NULL, &d);
            return d.found;
        }
    return false;
}

static void report_discarded(lc_ctx *x, const lh_node *at, const char *fn)
{
    lh_rule_report(x->c, x->f, at,
                   "the cancel function of %.*s%s%s is discarded: the context stays alive "
                   "until its parent is done; call it (defer cancel())",
                   (int)x->pkg.len, x->pkg.p ? x->pkg.p : "", x->pkg.len ? "." : "", fn);
}

/* ctx, cancel := context.WithX(...) and its var form: lhs names the two
 * results; define says whether they are declared here. */
static void check_pair(lc_ctx *x, lh_node *const *anc, size_t nanc, const lh_node *cancel,
                       const char *fn, bool define)
{
    if (LH_KIND(cancel) != LH_IDENT)
        return;     /* a field or an element: stored for later */
    if (lh_ident_is(cancel, "_")) {
        report_discarded(x, cancel, fn);
        return;
    }
    lh_node *f = lh_rule_enclosing_func(anc, nanc);
    if (!define || !f || mentioned(f, cancel))
        return;
    lh_rule_report(x->c, x->f, cancel,
                   "the cancel function of %.*s%s%s is never called or used: the context "
                   "stays alive until its parent is done; call it (defer %.*s())",
                   (int)x->pkg.len, x->pkg.p ? x->pkg.p : "", x->pkg.len ? "." : "", fn,
                   (int)LH_AS(cancel, lh_ident)->name.len, LH_AS(cancel, lh_ident)->name.p);
}

static bool visit(lh_node *n, lh_node *const *anc, size_t nanc, void *vx)
{
    lc_ctx *x = vx;
    const char *fn = NULL;
    switch (LH_KIND(n)) {
    case LH_ASSIGN_STMT: {
        const lh_assign_stmt *a = LH_AS(n, lh_assign_stmt);
        if (a->lhs.n == 2 && a->rhs.n == 1 && (fn = ctor(x, a->rhs.v[0])) &&
            !shadowed(x, anc, nanc))
            check_pair(x, anc, nanc, a->lhs.v[1], fn, a->tok == LH_TOK_DEFINE);
        break;
    }
    case LH_VALUE_SPEC: {
        const lh_value_spec *v = LH_AS(n, lh_value_spec);
        if (v->names.n == 2 && v->values.n == 1 && (fn = ctor(x, v->values.v[0])) &&
            !shadowed(x, anc, nanc))
            check_pair(x, anc, nanc, v->names.v[1], fn, true);
        break;
    }
    case LH_EXPR_STMT:
        if ((fn = ctor(x, LH_AS(n, lh_expr_stmt)->x)) && !shadowed(x, anc, nanc))
            report_discarded(x, n, fn);
        break;
    default:
        break;
    }
    return true;
}

static void check(lh_rule_ctx *c)
{
    lc_ctx x = {.c = c};
    for (size_t i = 0; i < c->nfiles; i++) {
        x.f = c->files[i];
        find_import(&x, x.f->ast);
        if (x.pkg.len || x.dot)
            lh_rule_walk((lh_node *)&x.f->ast->n, visit, &x);
    }
}

const lh_rule lh_rule_lost_cancel = {
    .id = "lost-cancel",
    .summary = "cancel func of context.WithCancel/WithTimeout/WithDeadline discarded or unused",
    .severity = LH_SEV_WARNING,
    .check = check,
    .explain =
        "context.WithCancel, WithTimeout and WithDeadline return a derived context\n"
        "and a cancel function. The derived context is registered with its parent\n"
        "(and a timeout's timer is armed) until cancel is called or the parent is\n"
        "done. Dropping cancel therefore keeps every derived context, its timer and\n"
        "whatever its goroutines reference alive for as long as the parent lives --\n"
        "for a context.Background() parent, up to the deadline or forever. In a\n"
        "function called per request that is one leaked context per call.\n"
        "\n"
        "Leaky:\n"
        "\n"
        "    func fetch(parent context.Context, id int) string {\n"
        "        ctx, _ := context.WithTimeout(parent, time.Hour)\n"
        "        return get(ctx, id)\n"
        "    }\n"
        "\n"
        "Fixed: call cancel when the work is done, usually with defer:\n"
        "\n"
        "    func fetch(parent context.Context, id int) string {\n"
        "        ctx, cancel := context.WithTimeout(parent, time.Hour)\n"
        "        defer cancel()\n"
        "        return get(ctx, id)\n"
        "    }\n"
        "\n"
        "Reported: cancel assigned to _, the call's results dropped, and a cancel\n"
        "variable declared with := or var that the function never mentions again.\n"
        "Not (yet) reported: a cancel that is called on some paths only (an early\n"
        "return before the defer); that needs the control-flow graph.\n",
};
