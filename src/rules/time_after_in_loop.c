/* time-after-in-loop: time.After in a select inside a loop. Before Go
 * 1.23, each time.After starts a timer that lives until it fires, even
 * when another case of the select wins: a loop that selects on a message
 * channel and a long time.After allocates a live timer per message, all
 * held until their durations run out. Since Go 1.23 the timer is
 * collected once unreferenced, so the rule reads the module's go line. */
#include "rules/rule.h"

typedef struct ta_ctx {
    lh_rule_ctx *c;
    const lh_load_file *f;
} ta_ctx;

/* Whether the comm clause at anc[i] is inside a loop of the same function. */
static bool in_loop(lh_node *const *anc, size_t nanc)
{
    for (size_t i = nanc; i-- > 0;) {
        lh_node_kind k = LH_KIND(anc[i]);
        if (k == LH_FUNC_LIT || k == LH_FUNC_DECL)
            return false;
        if (k == LH_FOR_STMT || k == LH_RANGE_STMT)
            return true;
    }
    return false;
}

static bool visit(lh_node *n, lh_node *const *anc, size_t nanc, void *vt)
{
    ta_ctx *t = vt;
    if (LH_KIND(n) != LH_CALL_EXPR)
        return true;
    lh_obj *o = lh_rule_callee(t->c, LH_AS(n, lh_call_expr));
    if (!lh_sema_obj_is(o, "time", NULL, "After"))
        return true;
    /* The call must be the operand of a receive that is a select case's
     * comm: case <-time.After(d): or case v := <-time.After(d): */
    size_t i = nanc;
    if (i == 0 || LH_KIND(anc[i - 1]) != LH_UNARY_EXPR)
        return true;
    i--;
    while (i > 0 && LH_KIND(anc[i - 1]) != LH_COMM_CLAUSE) {
        lh_node_kind k = LH_KIND(anc[i - 1]);
        if (k != LH_EXPR_STMT && k != LH_ASSIGN_STMT)
            return true;
        i--;
    }
    if (i == 0)
        return true;
    if (!in_loop(anc, i - 1))
        return true;
    lh_rule_report(t->c, t->f, n,
                   "time.After in a select inside a loop starts a timer per turn that lives "
                   "until it fires, even when another case wins (go.mod says go < 1.23); "
                   "make one time.NewTimer before the loop and Reset it");
    return true;
}

static void check(lh_rule_ctx *c)
{
    if (c->go_minor <= 0 || c->go_minor >= 23)
        return;
    ta_ctx t = {c, NULL};
    for (size_t i = 0; i < c->nfiles; i++) {
        t.f = c->files[i];
        /* A call is judged by the loop and select around it, in its file. */
        if (!lh_rule_quiet(c, t.f))
            lh_rule_walk_file(c, i, LH_KIND_SET(LH_CALL_EXPR), visit, &t);
    }
}

const lh_rule lh_rule_time_after_in_loop = {
    .id = "time-after-in-loop",
    .summary = "time.After in a select inside a loop (go < 1.23)",
    .severity = LH_SEV_WARNING,
    .check = check,
    .explain =
        "Before Go 1.23 each call of time.After starts a timer that stays alive\n"
        "until it fires, even when another case of the select wins. In a loop\n"
        "that handles a message per turn with a long timeout, every message\n"
        "leaves a live timer behind: a minute's timeout at a thousand messages a\n"
        "second holds sixty thousand timers. Go 1.23 collects unreferenced\n"
        "timers -- for modules whose go.mod says go 1.23 or later -- so the rule\n"
        "reads the go line and reports only below 1.23.\n"
        "\n"
        "Leaky (go.mod: go 1.21):\n"
        "\n"
        "    for {\n"
        "        select {\n"
        "        case m := <-msgs:\n"
        "            handle(m)\n"
        "        case <-time.After(time.Minute):\n"
        "            return errIdle\n"
        "        }\n"
        "    }\n"
        "\n"
        "Fixed: one timer, reset each turn:\n"
        "\n"
        "    idle := time.NewTimer(time.Minute)\n"
        "    defer idle.Stop()\n"
        "    for {\n"
        "        select {\n"
        "        case m := <-msgs:\n"
        "            handle(m)\n"
        "            idle.Reset(time.Minute)\n"
        "        case <-idle.C:\n"
        "            return errIdle\n"
        "        }\n"
        "    }\n",
};
