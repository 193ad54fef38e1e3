/* unbounded-goroutines: one goroutine per turn of a loop that does not end,
 * with nothing bounding how many are alive, each waiting on something
 * that outlives its turn (seed 001's runJobs). They pile up for as long as
 * the loop runs.
 *
 * The loop does not end: `for {}` (exits only by return or break), a
 * condition on variables the loop never changes, a range over a channel.
 * Nothing bounds it: no channel operation (a semaphore's send or receive,
 * waiting for a result) and no Wait call in the loop around the go
 * statement. The goroutine waits on something that outlives the turn: a
 * blocking receive from a channel declared outside the loop (a parameter,
 * a field, a variable of the function or the package). A server's accept
 * loop handing each connection to a goroutine that ends is not reported:
 * its goroutines wait on their own connection, not on a shared channel. */
#include <string.h>

#include "rules/chanfacts.h"
#include "sema/flow.h"

typedef struct ug_ctx {
    lh_rule_ctx *c;
    const lh_load_file *f;
} ug_ctx;

typedef struct assigns_ctx {
    lh_sema_pkg *p;
    const lh_node *cond;
    bool assigned;
} assigns_ctx;

static bool assigns_pre(lh_node *n, lh_node *parent, void *va)
{
    (void)parent;
    assigns_ctx *a = va;
    if (a->assigned)
        return false;
    const lh_list *lhs = NULL;
    lh_node *one = NULL;
    if (LH_KIND(n) == LH_ASSIGN_STMT)
        lhs = &LH_AS(n, lh_assign_stmt)->lhs;
    else if (LH_KIND(n) == LH_INC_DEC_STMT)
        one = LH_AS(n, lh_inc_dec_stmt)->x;
    else if (LH_KIND(n) == LH_UNARY_EXPR && LH_AS(n, lh_unary_expr)->op == LH_TOK_AND)
        one = LH_AS(n, lh_unary_expr)->x;
    for (uint32_t i = 0; lhs && i < lhs->n; i++)
        if (LH_KIND(lhs->v[i]) == LH_IDENT) {
            const lh_obj *o = lh_sema_obj_of(a->p, lhs->v[i]);
            if (o && lh_rule_mentions(a->p, a->cond, &o, 1, NULL))
                a->assigned = true;
        } else {
            a->assigned = true;
        }
    if (one) {
        one = lh_ast_unparen(one);
        const lh_obj *o = LH_KIND(one) == LH_IDENT ? lh_sema_obj_of(a->p, one) : NULL;
        if (!o || lh_rule_mentions(a->p, a->cond, &o, 1, NULL))
            a->assigned = true;
    }
    return !a->assigned;
}

typedef struct locals_ctx {
    lh_sema_pkg *p;
    lh_node *fn;
    bool ok;
} locals_ctx;

/* Only identifiers of local variables no closure captures and no pointer
 * reaches (and constants, nil, true, false); no calls, no selectors,
 * no dereferences: what nothing but the loop itself can change. */
static bool locals_pre(lh_node *n, lh_node *parent, void *vl)
{
    (void)parent;
    locals_ctx *l = vl;
    switch (LH_KIND(n)) {
    case LH_IDENT: {
        lh_obj *o = lh_sema_obj_of(l->p, n);
        if (!o)
            l->ok = false;
        else if (o->kind == LH_OBJ_VAR &&
                 (o->func != l->fn || (o->flags & LH_VAR_PKG) || lh_flow_escapes(l->p, o, l->fn)))
            l->ok = false;
        break;
    }
    case LH_BINARY_EXPR:
    case LH_UNARY_EXPR:
    case LH_PAREN_EXPR:
    case LH_BASIC_LIT:
        break;
    default:
        l->ok = false;
    }
    return l->ok;
}

/* Whether the condition reads only local variables the loop never
 * changes: `for running {}` with running never set. */
static bool cond_never_false(lh_sema_pkg *p, const lh_for_stmt *fs, lh_node *fn)
{
    locals_ctx l = {p, fn, true};
    lh_ast_walk(fs->cond, locals_pre, NULL, &l);
    if (!l.ok)
        return false;
    assigns_ctx a = {p, fs->cond, false};
    lh_ast_walk(fs->body, assigns_pre, NULL, &a);
    if (fs->post)
        lh_ast_walk(fs->post, assigns_pre, NULL, &a);
    return !a.assigned;
}

static bool endless(lh_rule_ctx *c, const lh_node *loop, lh_node *fn)
{
    if (LH_KIND(loop) == LH_RANGE_STMT) {
        const lh_type *t = lh_type_underlying(lh_sema_type_of(c->sema, LH_AS(loop, lh_range_stmt)->x));
        return t && t->kind == LH_T_CHAN;
    }
    const lh_for_stmt *fs = LH_AS(loop, lh_for_stmt);
    if (!fs->cond)
        return true;
    return cond_never_false(c->sema, fs, fn);
}

typedef struct bound_ctx {
    const lh_node *skip;        /* the go statement */
    bool bounded;
} bound_ctx;

static bool bound_pre(lh_node *n, lh_node *parent, void *vb)
{
    (void)parent;
    bound_ctx *b = vb;
    if (b->bounded || n == b->skip || LH_KIND(n) == LH_FUNC_LIT)
        return false;
    switch (LH_KIND(n)) {
    case LH_SEND_STMT:
        b->bounded = true;
        break;
    case LH_UNARY_EXPR:
        if (LH_AS(n, lh_unary_expr)->op == LH_TOK_ARROW)
            b->bounded = true;
        break;
    case LH_SELECTOR_EXPR: {
        lh_node *sel = LH_AS(n, lh_selector_expr)->sel;
        if (lh_ident_is(sel, "Wait") || lh_ident_is(sel, "Acquire") || lh_ident_is(sel, "Go"))
            b->bounded = true;
        break;
    }
    case LH_RANGE_STMT:
        break;
    default:
        break;
    }
    return !b->bounded;
}

typedef struct wait_ctx {
    lh_rule_ctx *c;
    const lh_node *loop;
    const lh_obj *on;
} wait_ctx;

/* A blocking receive in the goroutine from a channel named by an
 * identifier declared outside the loop. */
static bool wait_pre(lh_node *n, lh_node *parent, void *vw)
{
    (void)parent;
    wait_ctx *w = vw;
    if (w->on || LH_KIND(n) == LH_FUNC_LIT)
        return false;
    if (LH_KIND(n) == LH_SELECT_STMT) {
        lh_block_stmt *blk = LH_AS(LH_AS(n, lh_select_stmt)->body, lh_block_stmt);
        for (uint32_t i = 0; i < blk->list.n; i++)
            if (!LH_AS(blk->list.v[i], lh_comm_clause)->comm)
                return false;   /* a default: never blocks */
        return true;
    }
    if (LH_KIND(n) == LH_UNARY_EXPR && LH_AS(n, lh_unary_expr)->op == LH_TOK_ARROW) {
        lh_node *x = lh_ast_unparen(LH_AS(n, lh_unary_expr)->x);
        lh_obj *o = LH_KIND(x) == LH_IDENT ? lh_sema_obj_of(w->c->sema, x) : NULL;
        if (o && o->kind == LH_OBJ_VAR &&
            (!o->ident || o->ident->pos.off < w->loop->pos.off || o->ident->pos.off >= w->loop->end))
            w->on = o;
    }
    return !w->on;
}

static bool visit(lh_node *n, lh_node *const *anc, size_t nanc, void *vx)
{
    ug_ctx *x = vx;
    if (LH_KIND(n) != LH_GO_STMT)
        return true;
    lh_node *loop = lh_rule_enclosing_loop(anc, nanc);
    if (!loop || !endless(x->c, loop, lh_rule_enclosing_func(anc, nanc)))
        return true;
    lh_node *body = LH_KIND(loop) == LH_FOR_STMT ? LH_AS(loop, lh_for_stmt)->body
                                                 : LH_AS(loop, lh_range_stmt)->body;
    bound_ctx b = {n, false};
    lh_ast_walk(body, bound_pre, NULL, &b);
    if (b.bounded)
        return true;
    const lh_go_stmt *gs = LH_AS(n, lh_go_stmt);
    lh_node *fun = LH_KIND(gs->call) == LH_CALL_EXPR ? lh_ast_unparen(LH_AS(gs->call, lh_call_expr)->fun)
                                                     : NULL;
    if (!fun || LH_KIND(fun) != LH_FUNC_LIT)
        return true;            /* a named function's waits are not followed yet */
    wait_ctx w = {x->c, loop, NULL};
    lh_ast_walk(LH_AS(fun, lh_func_lit)->body, wait_pre, NULL, &w);
    if (!w.on)
        return true;
    lh_rule_report(x->c, x->f, n,
                   "a goroutine per turn of a loop that does not end (line %u), each waiting "
                   "on %.*s, which outlives the turn: they pile up; bound them (a worker pool, "
                   "a semaphore) or let each end",
                   loop->pos.line, (int)w.on->name.len, w.on->name.p);
    return true;
}

static void check(lh_rule_ctx *c)
{
    ug_ctx x = {c, NULL};
    for (size_t i = 0; i < c->nfiles; i++) {
        x.f = c->files[i];
        lh_rule_walk((lh_node *)&x.f->ast->n, visit, &x);
    }
}

const lh_rule lh_rule_unbounded_goroutines = {
    .id = "unbounded-goroutines",
    .summary = "a goroutine per turn of an endless loop, each waiting on something that "
               "outlives the turn",
    .severity = LH_SEV_WARNING,
    .check = check,
    .explain =
        "Starting a goroutine per turn of a loop that never ends is fine when\n"
        "each goroutine finishes its work and ends. When each one waits on\n"
        "something that outlives its turn -- a cancel channel closed only at\n"
        "shutdown, a shared result channel -- they pile up for as long as the\n"
        "loop runs, each with its stack and everything it references.\n"
        "\n"
        "Leaky (seed 001):\n"
        "\n"
        "    func runJobs(cancel <-chan struct{}) {\n"
        "        for {\n"
        "            go func() {\n"
        "                bigSlice := make([]byte, 1_000_000_000)\n"
        "                _ = bigSlice\n"
        "                <-cancel\n"
        "            }()\n"
        "            time.Sleep(10 * time.Second)\n"
        "        }\n"
        "    }\n"
        "\n"
        "Fixed: let each job end when its work is done (or bound how many run):\n"
        "\n"
        "            go func() {\n"
        "                bigSlice := make([]byte, 1_000_000_000)\n"
        "                _ = bigSlice\n"
        "            }()\n"
        "\n"
        "Reported at the go statement when the loop does not end (for {}, a\n"
        "condition the loop never changes, a range over a channel), nothing in\n"
        "the loop bounds the goroutines (no channel operation, no Wait), and the\n"
        "goroutine blocks receiving from a channel declared outside the loop.\n",
};
