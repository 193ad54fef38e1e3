/* lost-cancel: the cancel function of context.WithCancel, WithTimeout,
 * WithDeadline (and their Cause variants) thrown away, or not used on some
 * path from the call to a return. Until cancel is called, the derived
 * context stays registered with its parent (and a timeout's timer stays
 * armed), so a function called per request leaks one context per call
 * until the parent ends.
 *
 * The path rule is go vet's lostcancel, on our CFG: any mention of the
 * cancel variable counts as a use (a call, a defer, handing it to a
 * closure, returning it, storing it), and so does a bare return when
 * cancel is a named result. A path that ends in a call that never returns
 * (log.Fatal, os.Exit, panic) is not a leak. main.main is skipped: its
 * return ends the process. Beyond vet: the call's results dropped
 * altogether (an expression statement) is reported too.
 *
 * "context" is the standard-library package, by resolution: a renamed
 * import or a dot import counts, a local variable or package named
 * context does not. */
#include <string.h>

#include "rules/rule.h"

static const char *const ctor_names[] = {
    "WithCancel", "WithCancelCause", "WithTimeout", "WithTimeoutCause", "WithDeadline",
    "WithDeadlineCause", NULL,
};

/* The name of the context constructor n calls ("WithTimeout"), or NULL. */
static const char *ctor(lh_rule_ctx *c, const lh_node *n)
{
    n = lh_ast_unparen((lh_node *)n);
    if (LH_KIND(n) != LH_CALL_EXPR)
        return NULL;
    lh_obj *o = lh_rule_callee(c, LH_AS(n, lh_call_expr));
    for (size_t i = 0; o && ctor_names[i]; i++)
        if (lh_sema_obj_is(o, "context", NULL, ctor_names[i]))
            return ctor_names[i];
    return NULL;
}

typedef struct use_ctx {
    lh_rule_ctx *c;
    const lh_obj *v;
    bool named_result;
    bool used;
} use_ctx;

static bool use_pre(lh_node *n, lh_node *parent, void *vu)
{
    (void)parent;
    use_ctx *u = vu;
    if (u->used)
        return false;
    if (LH_KIND(n) == LH_IDENT && lh_sema_obj_of(u->c->sema, n) == u->v &&
        u->v->ident != n)
        u->used = true;
    else if (LH_KIND(n) == LH_RETURN_STMT && u->named_result &&
             LH_AS(n, lh_return_stmt)->results.n == 0)
        u->used = true;
    return !u->used;
}

/* The CFG visitor: a node mentioning the cancel variable ends the path. */
static lh_cfg_visit uses_cancel(lh_node *n, void *vu)
{
    use_ctx *u = vu;
    u->used = false;
    lh_ast_walk(n, use_pre, NULL, u);
    return u->used ? LH_CFG_STOP_PATH : LH_CFG_CONTINUE;
}

static bool is_main_main(lh_rule_ctx *c, const lh_node *fn)
{
    if (LH_KIND(fn) != LH_FUNC_DECL || LH_AS(fn, lh_func_decl)->recv)
        return false;
    return c->sema->name && strcmp(c->sema->name, "main") == 0 &&
           lh_ident_is(LH_AS(fn, lh_func_decl)->name, "main");
}

static void check_pair(lh_rule_ctx *c, const lh_load_file *f, lh_node *const *anc, size_t nanc,
                       lh_node *call, lh_node *stmt, lh_node *cancel, const char *fn)
{
    if (LH_KIND(cancel) != LH_IDENT)
        return;     /* a field or an element: stored for later */
    if (lh_ident_is(cancel, "_")) {
        lh_rule_report(c, f, call,
                       "the cancel function of context.%s is discarded: the context stays "
                       "alive until its parent is done; call it (defer cancel())",
                       fn);
        return;
    }
    lh_node *func = lh_rule_enclosing_func(anc, nanc);
    lh_obj *v = lh_sema_obj_of(c->sema, cancel);
    if (!stmt)
        return;     /* package level: lives as long as the program */
    /* A variable of another function (assigned with = from a closure) is
     * that function's business, as vet has it. */
    if (!func || !v || v->kind != LH_OBJ_VAR || v->func != func || is_main_main(c, func))
        return;
    lh_cfg *g = lh_rule_cfg(c, func);
    uint32_t idx;
    lh_cfg_block *b = g ? lh_cfg_block_of(g, stmt, &idx) : NULL;
    if (!b)
        return;
    use_ctx u = {c, v, (v->flags & LH_VAR_RESULT) != 0, false};
    lh_cfg_search s = {.visit = uses_cancel, .ctx = &u, .ends = LH_CFG_RETURN};
    lh_cfg_hit hit;
    if (!lh_cfg_search_from(g, &s, b, idx + 1, &hit))
        return;
    /* Where the leaking path returns: the return statement, or the end of
     * the function body. */
    uint32_t line = 0;
    const lh_cfg_block *hb = hit.block;
    if (hb->nnodes > 0 && LH_KIND(hb->nodes[hb->nnodes - 1]) == LH_RETURN_STMT)
        line = hb->nodes[hb->nnodes - 1]->pos.line;
    lh_str name = LH_AS(cancel, lh_ident)->name;
    if (line)
        lh_rule_report(c, f, call,
                       "the %.*s function of context.%s is not used on all paths: the return "
                       "on line %u is reached without calling it (context leak); defer %.*s()",
                       (int)name.len, name.p, fn, line, (int)name.len, name.p);
    else
        lh_rule_report(c, f, call,
                       "the %.*s function of context.%s is not used on all paths: the end of "
                       "the function is reached without calling it (context leak); defer %.*s()",
                       (int)name.len, name.p, fn, (int)name.len, name.p);
}

typedef struct lc_ctx {
    lh_rule_ctx *c;
    const lh_load_file *f;
} lc_ctx;

/* The kinds visit looks at: where a context's results are bound or dropped. */
#define VISIT_KINDS \
    (LH_KIND_SET(LH_ASSIGN_STMT) | LH_KIND_SET(LH_VALUE_SPEC) | LH_KIND_SET(LH_EXPR_STMT))

static bool visit(lh_node *n, lh_node *const *anc, size_t nanc, void *vx)
{
    lc_ctx *x = vx;
    const char *fn = NULL;
    switch (LH_KIND(n)) {
    case LH_ASSIGN_STMT: {
        lh_assign_stmt *a = LH_AS(n, lh_assign_stmt);
        if (a->lhs.n == 2 && a->rhs.n == 1 && (fn = ctor(x->c, a->rhs.v[0])))
            check_pair(x->c, x->f, anc, nanc, a->rhs.v[0], n, a->lhs.v[1], fn);
        break;
    }
    case LH_VALUE_SPEC: {
        lh_value_spec *v = LH_AS(n, lh_value_spec);
        /* var ctx, cancel = ...: the CFG holds the DeclStmt around it. */
        if (v->names.n == 2 && v->values.n == 1 && (fn = ctor(x->c, v->values.v[0])))
            check_pair(x->c, x->f, anc, nanc, v->values.v[0],
                       nanc >= 2 && LH_KIND(anc[nanc - 2]) == LH_DECL_STMT ? anc[nanc - 2] : NULL,
                       v->names.v[1], fn);
        break;
    }
    case LH_EXPR_STMT:
        if ((fn = ctor(x->c, LH_AS(n, lh_expr_stmt)->x)))
            lh_rule_report(x->c, x->f, LH_AS(n, lh_expr_stmt)->x,
                           "the results of context.%s are dropped: the context stays alive "
                           "until its parent is done; keep cancel and call it",
                           fn);
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
        /* A call is judged within its function, reported in its file. */
        if (!lh_rule_quiet(c, x.f))
            lh_rule_walk_file(c, i, VISIT_KINDS, visit, &x);
    }
}

const lh_rule lh_rule_lost_cancel = {
    .id = "lost-cancel",
    .summary = "cancel func of context.WithCancel/WithTimeout/WithDeadline discarded or not "
               "called on some path",
    .severity = LH_SEV_WARNING,
    .check = check,
    .explain =
        "context.WithCancel, WithTimeout and WithDeadline (and their Cause\n"
        "variants) return a derived context and a cancel function. The derived\n"
        "context is registered with its parent (and a timeout's timer is armed)\n"
        "until cancel is called or the parent is done. Dropping cancel, or\n"
        "returning early before it is deferred, keeps every derived context, its\n"
        "timer and whatever its goroutines reference alive for as long as the\n"
        "parent lives -- for a context.Background() parent, up to the deadline or\n"
        "forever. In a function called per request that is one leaked context\n"
        "per call.\n"
        "\n"
        "Leaky:\n"
        "\n"
        "    func fetch(parent context.Context, id int) (string, error) {\n"
        "        ctx, cancel := context.WithTimeout(parent, time.Minute)\n"
        "        if id < 0 {\n"
        "            return \"\", errBadID // cancel never called on this path\n"
        "        }\n"
        "        defer cancel()\n"
        "        return get(ctx, id)\n"
        "    }\n"
        "\n"
        "Fixed: defer cancel right after the call:\n"
        "\n"
        "    func fetch(parent context.Context, id int) (string, error) {\n"
        "        ctx, cancel := context.WithTimeout(parent, time.Minute)\n"
        "        defer cancel()\n"
        "        if id < 0 {\n"
        "            return \"\", errBadID\n"
        "        }\n"
        "        return get(ctx, id)\n"
        "    }\n"
        "\n"
        "Reported at the call: cancel assigned to _, the call's results dropped,\n"
        "and a path from the call to a return (or the end of the function) on\n"
        "which the cancel variable is never mentioned -- go vet's lostcancel\n"
        "rule. Any mention counts as handling it: calling it, deferring it,\n"
        "returning it, storing it, or a closure that refers to it. A path ending\n"
        "in log.Fatal, os.Exit or panic is not a leak, and main.main is not\n"
        "checked (its return ends the process).\n",
};
