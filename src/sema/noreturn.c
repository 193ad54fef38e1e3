/* Calls that never return, by resolved callee: what ends a CFG block with
 * LH_CFG_NORETURN. By resolution, not by spelling: a local variable named
 * log or a method Fatal of the module's own logger type is an ordinary
 * call. */
#include <string.h>

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
    return true;
}
