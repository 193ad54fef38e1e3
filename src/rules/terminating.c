/* The Go spec's terminating statements ("Terminating statements"), which
 * rules use to tell that control cannot go on past a statement. Two
 * deliberate departures, both towards "not terminating" so that rules
 * relying on this stay silent rather than wrong: goto is not terminating
 * (it may jump back into a loop), and a for, switch or select containing
 * any break at all is treated as broken out of (the spec asks only for
 * breaks that refer to it). Until src/sema has a CFG, this is the shared
 * answer. */
#include "rules/rule.h"

static bool has_break_pre(lh_node *n, lh_node *parent, void *vfound)
{
    (void)parent;
    bool *found = vfound;
    if (*found || LH_KIND(n) == LH_FUNC_LIT)
        return false;
    if (LH_KIND(n) == LH_BRANCH_STMT && LH_AS(n, lh_branch_stmt)->tok == LH_TOK_BREAK)
        *found = true;
    return !*found;
}

static bool has_break(lh_node *body)
{
    bool found = false;
    lh_ast_walk(body, has_break_pre, NULL, &found);
    return found;
}

static bool list_terminates(const lh_list *l)
{
    /* The last non-empty statement decides. */
    for (uint32_t i = l->n; i-- > 0;) {
        if (LH_KIND(l->v[i]) == LH_EMPTY_STMT)
            continue;
        return lh_rule_terminates(l->v[i]);
    }
    return false;
}

/* Every clause of a switch or select body terminates (and none falls
 * through); need_default: a switch must also have a default clause. */
static bool clauses_terminate(const lh_node *body, bool need_default)
{
    const lh_block_stmt *b = LH_AS(body, lh_block_stmt);
    bool dflt = false;
    for (uint32_t i = 0; i < b->list.n; i++) {
        const lh_node *c = b->list.v[i];
        const lh_list *l;
        if (LH_KIND(c) == LH_CASE_CLAUSE) {
            l = &LH_AS(c, lh_case_clause)->body;
            dflt |= LH_AS(c, lh_case_clause)->list.n == 0;
        } else if (LH_KIND(c) == LH_COMM_CLAUSE) {
            l = &LH_AS(c, lh_comm_clause)->body;
        } else {
            return false;
        }
        if (!list_terminates(l))
            return false;
    }
    return dflt || !need_default;
}

bool lh_rule_terminates(const lh_node *s)
{
    if (!s)
        return false;
    switch (LH_KIND(s)) {
    case LH_RETURN_STMT:
        return true;
    case LH_EXPR_STMT: {
        const lh_node *x = lh_ast_unparen(LH_AS(s, lh_expr_stmt)->x);
        return LH_KIND(x) == LH_CALL_EXPR && lh_ident_is(LH_AS(x, lh_call_expr)->fun, "panic");
    }
    case LH_BLOCK_STMT:
        return list_terminates(&LH_AS(s, lh_block_stmt)->list);
    case LH_LABELED_STMT:
        return lh_rule_terminates(LH_AS(s, lh_labeled_stmt)->stmt);
    case LH_IF_STMT: {
        const lh_if_stmt *i = LH_AS(s, lh_if_stmt);
        return i->els && lh_rule_terminates(i->body) && lh_rule_terminates(i->els);
    }
    case LH_FOR_STMT: {
        const lh_for_stmt *f = LH_AS(s, lh_for_stmt);
        return !f->cond && !has_break(f->body);
    }
    case LH_SWITCH_STMT:
        return !has_break(LH_AS(s, lh_switch_stmt)->body) &&
               clauses_terminate(LH_AS(s, lh_switch_stmt)->body, true);
    case LH_TYPE_SWITCH_STMT:
        return !has_break(LH_AS(s, lh_type_switch_stmt)->body) &&
               clauses_terminate(LH_AS(s, lh_type_switch_stmt)->body, true);
    case LH_SELECT_STMT:
        return !has_break(LH_AS(s, lh_select_stmt)->body) &&
               clauses_terminate(LH_AS(s, lh_select_stmt)->body, false);
    default:
        return false;
    }
}
