/* Calls that never return, by resolved callee: what ends a CFG block with
 * LH_CFG_NORETURN. By resolution, not by spelling: a local variable named
 * log or a method Fatal of the module's own logger type is an ordinary
 * call. */
#include <string.h>

#include "sema/cfg.h"
#include "sema/sema.h"

static bool name_in(lh_str n, const char *const *names)
{
    for (size_t i = 0; names[i]; i++)
        if (n.len == strlen(names[i]) && memcmp(n.p, names[i], n.len) == 0)
            return true;
    return false;
}

static const char *const log_exits[] = {"Fatal", "Fatalf", "Fatalln", "Panic", "Panicf",
                                        "Panicln", NULL};
static const char *const test_exits[] = {"Fatal", "Fatalf", "FailNow", "Skip", "Skipf",
                                         "SkipNow", NULL};

bool lh_sema_may_return(const lh_call_expr *call, void *ctx)
{
    lh_sema_pkg *p = ctx;
    lh_obj *o = lh_sema_callee(p, call);
    if (!o) {
        /* t.Fatal through the testing.TB interface. */
        lh_node *f = lh_ast_unparen(call->fun);
        if (LH_KIND(f) != LH_SELECTOR_EXPR)
            return true;
        const lh_selector_expr *se = LH_AS(f, lh_selector_expr);
        const lh_type *xt = lh_sema_type_of(p, se->x);
        return !(lh_type_is_named(xt, "testing", "TB") &&
                 name_in(LH_AS(se->sel, lh_ident)->name, test_exits));
    }
    if (o->kind == LH_OBJ_BUILTIN)
        return !(o->name.len == 5 && memcmp(o->name.p, "panic", 5) == 0);
    /* By import path, stub or not: scanning the standard library itself
     * puts the real os, log and testing in the world in place of stubs. */
    if (!o->pkg)
        return true;
    const char *path = o->pkg->path;
    if (strcmp(path, "os") == 0)
        return !lh_sema_obj_is(o, "os", NULL, "Exit");
    if (strcmp(path, "runtime") == 0)
        return !lh_sema_obj_is(o, "runtime", NULL, "Goexit");
    if (strcmp(path, "log") == 0)
        return !name_in(o->name, log_exits);
    if (strcmp(path, "testing") == 0)
        return !name_in(o->name, test_exits);
    if (strcmp(path, "syscall") == 0)
        return !lh_sema_obj_is(o, "syscall", NULL, "Exit");
    if (o->kind != LH_OBJ_FUNC || o->pkg->stub)
        return true;
    return !lh_sema_never_returns(o);
}

typedef struct defer_ctx {
    bool found;
    bool graph;     /* the body has what can keep a path from returning */
} defer_ctx;

/* Only a statement-level call (one that never returns), a loop, an
 * empty select or a jump back can keep a path of a body from reaching a
 * return or its end; a body with none of them returns, no graph needed
 * (most functions are setters, getters and wrappers). */
static bool defer_pre(lh_node *n, lh_node *parent, void *vd)
{
    (void)parent;
    defer_ctx *d = vd;
    if (LH_KIND(n) == LH_FUNC_LIT || d->found)
        return false;
    switch (LH_KIND(n)) {
    case LH_DEFER_STMT:
        d->found = true;
        break;
    case LH_EXPR_STMT:
    case LH_FOR_STMT:
    case LH_RANGE_STMT:
    case LH_SELECT_STMT:
    case LH_LABELED_STMT:
        d->graph = true;
        break;
    case LH_BRANCH_STMT:
        if (LH_AS(n, lh_branch_stmt)->tok == LH_TOK_GOTO)
            d->graph = true;
        break;
    default:
        break;
    }
    return !d->found;
}

/* A function of the module never returns when no path through its body
 * returns: it always ends in panic, os.Exit, log.Fatal or another function
 * that never returns (`func fatalf(...) { log.Printf(...); os.Exit(1) }`).
 * A body with a defer is taken to return (a deferred recover may resume
 * the caller), as go vet does. Computed once per function, on a graph of
 * its own; a cycle through the function being computed counts as
 * returning. Frozen functions keep the answer computed before the freeze. */
bool lh_sema_never_returns(lh_obj *o)
{
    if (o->noreturn_state)
        return o->noreturn_state == 2;
    if (o->frozen || !o->decl || LH_KIND(o->decl) != LH_FUNC_DECL ||
        !LH_AS(o->decl, lh_func_decl)->body)
        return false;
    o->noreturn_state = 1;      /* computing: a recursive call returns */
    lh_node *body = LH_AS(o->decl, lh_func_decl)->body;
    defer_ctx d = {false, false};
    lh_ast_walk(body, defer_pre, NULL, &d);
    bool never = false;
    if (!d.found && d.graph) {
        lh_arena a;
        lh_arena_init(&a);
        lh_cfg *g = lh_cfg_build(&a, body, lh_sema_may_return, o->pkg);
        never = g && !lh_cfg_can_return(g);
        lh_arena_free(&a);
    }
    o->noreturn_state = never ? 2 : 3;
    return never;
}
