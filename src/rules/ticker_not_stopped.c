/* ticker-not-stopped: a time.Ticker or time.Timer not stopped on some
 * path, and time.Tick where its ticker can never be stopped. Before Go
 * 1.23 the runtime held every started timer until it fired or was
 * stopped: an unstopped Ticker (and whatever its channel's readers kept)
 * was never collected. Since Go 1.23 unreferenced timers are collected,
 * so the rule reads the module's go line and speaks only below 1.23
 * (a module without a go line is not judged). */
#include <string.h>

#include "rules/resource.h"

static const lh_res_source tickers[] = {
    {"time", NULL, "NewTicker", "time.NewTicker"},
    {NULL, NULL, NULL, NULL},
};
static const lh_res_source timers[] = {
    {"time", NULL, "NewTimer", "time.NewTimer"},
    {NULL, NULL, NULL, NULL},
};

static bool old_timers(const lh_rule_ctx *c)
{
    return c->go_minor > 0 && c->go_minor < 23;
}

static const char *ticker_source(lh_rule_ctx *c, const lh_call_expr *call)
{
    return old_timers(c) ? lh_rule_callee_name(c, call, tickers) : NULL;
}

static const char *timer_source(lh_rule_ctx *c, const lh_call_expr *call)
{
    return old_timers(c) ? lh_rule_callee_name(c, call, timers) : NULL;
}

static const char *const release[] = {"Stop", NULL};
static const char *const benign[] = {"Reset", NULL};
/* A timer that fired (its C received from) holds nothing; a ticker keeps
 * ticking. */
static const lh_flow_kind ticker_kind = {release, NULL, benign, NULL, NULL, false};
static const lh_flow_kind timer_kind = {release, NULL, benign, "C", NULL, false};

static const lh_res_spec timer_spec = {
    .source = timer_source,
    .kind = &timer_kind,
    .noun = "the ticker or timer",
    .verb = "stopped",
    .release_text = "Stop()",
    .fix = "defer t.Stop() (go.mod says go < 1.23: the runtime keeps unstopped timers)",
};

static const lh_res_spec spec = {
    .source = ticker_source,
    .kind = &ticker_kind,
    .noun = "the ticker or timer",
    .verb = "stopped",
    .release_text = "Stop()",
    .fix = "defer t.Stop() (go.mod says go < 1.23: the runtime keeps unstopped timers)",
};

typedef struct tick_ctx {
    lh_rule_ctx *c;
    const lh_load_file *f;
} tick_ctx;

/* time.Tick in a function that returns: each call starts a ticker nobody
 * can stop. In main.main, or in a function that never returns (a
 * service loop), one ticker for the life of the process is fine. */
static bool tick_visit(lh_node *n, lh_node *const *anc, size_t nanc, void *vt)
{
    tick_ctx *t = vt;
    if (LH_KIND(n) != LH_CALL_EXPR)
        return true;
    lh_obj *o = lh_rule_callee(t->c, LH_AS(n, lh_call_expr));
    if (!lh_sema_obj_is(o, "time", NULL, "Tick"))
        return true;
    lh_node *fn = lh_rule_enclosing_func(anc, nanc);
    if (!fn)
        return true;        /* package level: one for the program */
    /* for range time.Tick(d) { ... } with no way out of the loop: the
     * ticker lives as long as the loop, which is forever. */
    if (nanc > 0 && LH_KIND(anc[nanc - 1]) == LH_RANGE_STMT &&
        LH_AS(anc[nanc - 1], lh_range_stmt)->x == n && !lh_rule_leaves(anc[nanc - 1]))
        return true;
    if (LH_KIND(fn) == LH_FUNC_DECL && !LH_AS(fn, lh_func_decl)->recv &&
        lh_ident_is(LH_AS(fn, lh_func_decl)->name, "main") && t->c->sema->name &&
        strcmp(t->c->sema->name, "main") == 0)
        return true;
    lh_cfg *g = lh_rule_cfg(t->c, fn);
    if (!g || !lh_cfg_can_return(g))
        return true;
    lh_rule_report(t->c, t->f, n,
                   "time.Tick in a function that returns starts a ticker nobody can stop "
                   "(go.mod says go < 1.23: it is never collected); use time.NewTicker and "
                   "defer its Stop()");
    return true;
}

static void check(lh_rule_ctx *c)
{
    if (!old_timers(c))
        return;
    lh_rule_check_resources(c, &spec);
    lh_rule_check_resources(c, &timer_spec);
    tick_ctx t = {c, NULL};
    for (size_t i = 0; i < c->nfiles; i++) {
        t.f = c->files[i];
        /* A time.Tick is judged by its function, reported in its file. */
        if (!lh_rule_quiet(c, t.f))
            lh_rule_walk_file(c, i, LH_KIND_SET(LH_CALL_EXPR), tick_visit, &t);
    }
}

const lh_rule lh_rule_ticker_not_stopped = {
    .id = "ticker-not-stopped",
    .summary = "time.Ticker/Timer not stopped, or time.Tick that can never be (go < 1.23)",
    .severity = LH_SEV_WARNING,
    .check = check,
    .explain =
        "Until Go 1.23 the runtime kept every started timer until it fired or was\n"
        "stopped: a time.Ticker that is never stopped ticks forever and is never\n"
        "collected, nor is anything its channel's readers hold. A function that\n"
        "makes one per call leaks one per call. Go 1.23 made unreferenced\n"
        "timers collectable -- for modules whose go.mod says go 1.23 or later --\n"
        "so this rule reads the go line and reports only below 1.23.\n"
        "\n"
        "Leaky (go.mod: go 1.21):\n"
        "\n"
        "    func poll(ctx context.Context) {\n"
        "        t := time.NewTicker(time.Second)\n"
        "        for {\n"
        "            select {\n"
        "            case <-ctx.Done():\n"
        "                return\n"
        "            case <-t.C:\n"
        "                check()\n"
        "            }\n"
        "        }\n"
        "    }\n"
        "\n"
        "Fixed:\n"
        "\n"
        "        t := time.NewTicker(time.Second)\n"
        "        defer t.Stop()\n"
        "\n"
        "Reported at time.NewTicker and time.NewTimer when some path reaches the\n"
        "end of the function without Stop() and without handing the ticker on;\n"
        "and at time.Tick in a function that can return (not in main.main, nor\n"
        "in a function that never returns).\n",
};
