/* defer-in-loop: a defer statement in the body of a for or range loop of
 * the same function. Deferred calls run when the function returns, so a
 * loop that runs long (a worker's forever loop, a walk over many files)
 * piles them up with everything they reference.
 *
 * The function boundary is the literal: a defer inside a func literal
 * belongs to that literal, so `func() { defer f.Close() }()` in a loop
 * (the usual fix) and `go func() { defer wg.Done() }()` are not findings;
 * a loop inside the literal's own body is.
 *
 * Precision: a defer after which its block unconditionally leaves the
 * function or the loop (a terminating statement such as return, panic or
 * an if/else or switch returning on every branch; a break out of the loop)
 * runs at most once per call, so it is not reported. Whether a reported defer leaks
 * depends on how many times the loop runs, which syntax cannot tell; the
 * message names the loop so the reader can judge. */
#include <string.h>

#include "rules/rule.h"

typedef struct dil_ctx {
    lh_rule_ctx *c;
    const lh_load_file *f;
    lh_node *const *stack;  /* ancestors of the defer, from lh_rule_walk */
    size_t n;
} dil_ctx;

static bool is_loop(const lh_node *n)
{
    return LH_KIND(n) == LH_FOR_STMT || LH_KIND(n) == LH_RANGE_STMT;
}

static bool is_func(const lh_node *n)
{
    return LH_KIND(n) == LH_FUNC_DECL || LH_KIND(n) == LH_FUNC_LIT;
}

/* The statement list that directly holds stmt (its parent's). */
static const lh_list *holding_list(const lh_node *parent)
{
    switch (LH_KIND(parent)) {
    case LH_BLOCK_STMT:
        return &LH_AS(parent, lh_block_stmt)->list;
    case LH_CASE_CLAUSE:
        return &LH_AS(parent, lh_case_clause)->body;
    case LH_COMM_CLAUSE:
        return &LH_AS(parent, lh_comm_clause)->body;
    default:
        return NULL;
    }
}

/* The label of loop, if the statement above it in the stack labels it. */
static const lh_node *loop_label(dil_ctx *d, size_t loop_i)
{
    if (loop_i == 0)
        return NULL;
    const lh_node *p = d->stack[loop_i - 1];
    if (LH_KIND(p) == LH_LABELED_STMT && LH_AS(p, lh_labeled_stmt)->stmt == d->stack[loop_i])
        return LH_AS(p, lh_labeled_stmt)->label;
    return NULL;
}

static bool same_ident(const lh_node *a, const lh_node *b)
{
    const lh_ident *x = LH_AS(a, lh_ident), *y = LH_AS(b, lh_ident);
    return x->name.len == y->name.len && memcmp(x->name.p, y->name.p, x->name.len) == 0;
}

static bool jump_pre(lh_node *n, lh_node *parent, void *vfound)
{
    (void)parent;
    bool *found = vfound;
    if (*found || LH_KIND(n) == LH_FUNC_LIT)
        return false;
    if (LH_KIND(n) == LH_BRANCH_STMT) {
        const lh_branch_stmt *b = LH_AS(n, lh_branch_stmt);
        if (b->tok == LH_TOK_GOTO || (b->tok == LH_TOK_CONTINUE && b->label))
            *found = true;
    }
    return !*found;
}

/* A terminating statement may still send control round the loop: a
 * labeled continue inside it (for { select { ... continue Outer } }) or a
 * goto. */
static bool jumps(const lh_node *s)
{
    bool found = false;
    lh_ast_walk((lh_node *)s, jump_pre, NULL, &found);
    return found;
}

static bool branch_pre(lh_node *n, lh_node *parent, void *vfound)
{
    (void)parent;
    bool *found = vfound;
    if (*found || LH_KIND(n) == LH_FUNC_LIT)
        return false;
    if (LH_KIND(n) == LH_BRANCH_STMT)
        *found = true;
    return !*found;
}

/* Any break, continue, goto or fallthrough in s (outside literals). */
static bool has_branch(const lh_node *s)
{
    bool found = false;
    lh_ast_walk((lh_node *)s, branch_pre, NULL, &found);
    return found;
}

/* Whether statement s unconditionally leaves the loop at stack[loop_i] (or
 * the function): the defer before it then runs at most once per call. */
static bool leaves_loop(dil_ctx *d, const lh_node *s, size_t loop_i, size_t list_i)
{
    if (lh_rule_terminates(s))
        return !jumps(s);
    switch (LH_KIND(s)) {
    case LH_BRANCH_STMT: {
        const lh_branch_stmt *b = LH_AS(s, lh_branch_stmt);
        if (b->tok != LH_TOK_BREAK)
            return false;   /* continue stays; a goto may jump back in */
        if (!b->label) {
            /* An unlabeled break leaves the innermost for, switch or
             * select: it must be the loop. */
            for (size_t i = loop_i + 1; i < list_i; i++) {
                lh_node_kind k = LH_KIND(d->stack[i]);
                if (k == LH_SWITCH_STMT || k == LH_TYPE_SWITCH_STMT || k == LH_SELECT_STMT ||
                    is_loop(d->stack[i]))
                    return false;
            }
            return true;
        }
        /* break L out of this loop or a loop around it in the function */
        for (size_t i = loop_i + 1; i-- > 0;) {
            if (is_func(d->stack[i]))
                break;
            const lh_node *l = is_loop(d->stack[i]) ? loop_label(d, i) : NULL;
            if (l && same_ident(l, b->label))
                return true;
        }
        return false;
    }
    default:
        return false;
    }
}

static const char *func_name(const lh_node *fn, char *buf, size_t size)
{
    if (LH_KIND(fn) == LH_FUNC_DECL) {
        const lh_ident *id = LH_AS(LH_AS(fn, lh_func_decl)->name, lh_ident);
        size_t n = id->name.len < size - 1 ? id->name.len : size - 1;
        memcpy(buf, id->name.p, n);
        buf[n] = '\0';
        return buf;
    }
    return "the function literal";
}

static void check_defer(dil_ctx *d, const lh_node *defer)
{
    /* stack[d->n - 1] is the defer's parent. Find the innermost loop and the
     * function, stopping at the function. */
    size_t loop_i = 0, fn_i = 0;
    bool loop = false, fn = false;
    for (size_t i = d->n; i-- > 0;) {
        if (is_func(d->stack[i])) {
            fn = true;
            fn_i = i;
            break;
        }
        if (!loop && is_loop(d->stack[i])) {
            loop = true;
            loop_i = i;
        }
    }
    if (!loop || d->n == 0)
        return;
    /* From the defer's own statement list out to the loop body: a
     * statement after it that leaves the loop makes it run at most once.
     * Climbing to an enclosing list assumes control falls out of the inner
     * one, which any branch statement after the defer could prevent. */
    const lh_node *child = defer;
    for (size_t i = d->n; i-- > loop_i + 1; child = d->stack[i]) {
        const lh_list *l = holding_list(d->stack[i]);
        lh_node_kind up = LH_KIND(d->stack[i - 1]);
        if (!l || up == LH_SWITCH_STMT || up == LH_TYPE_SWITCH_STMT || up == LH_SELECT_STMT)
            continue;   /* a switch's other clauses are alternatives, not successors */
        size_t k = 0;
        while (k < l->n && l->v[k] != child)
            k++;
        bool branches = false;
        for (size_t j = k + 1; j < l->n; j++) {
            if (leaves_loop(d, l->v[j], loop_i, i + 1))
                return;
            branches |= has_branch(l->v[j]);
        }
        if (branches)
            break;
    }
    char name[128];
    const char *what = fn ? func_name(d->stack[fn_i], name, sizeof name) : "the function";
    lh_rule_report(d->c, d->f, defer,
                   "defer inside a loop runs only when %s returns, not at the end of each "
                   "iteration (loop at line %u)",
                   what, d->stack[loop_i]->pos.line);
}

static bool visit(lh_node *n, lh_node *const *anc, size_t nanc, void *vd)
{
    dil_ctx *d = vd;
    if (LH_KIND(n) == LH_DEFER_STMT) {
        d->stack = anc;
        d->n = nanc;
        check_defer(d, n);
    }
    return true;
}

static void check(lh_rule_ctx *c)
{
    dil_ctx d = {.c = c};
    for (size_t i = 0; i < c->nfiles; i++) {
        d.f = c->files[i];
        lh_rule_walk((lh_node *)&d.f->ast->n, visit, &d);
    }
}

const lh_rule lh_rule_defer_in_loop = {
    .id = "defer-in-loop",
    .summary = "defer inside a loop: deferred calls pile up until the function returns",
    .severity = LH_SEV_WARNING,
    .check = check,
    .explain =
        "A deferred call runs when the surrounding function returns, not when the\n"
        "current loop iteration ends. A defer inside a loop therefore queues one\n"
        "call per iteration, and everything each call references (open files,\n"
        "response bodies, locks, buffers) stays alive until the function returns.\n"
        "In a long-running loop -- a worker's `for {}`, a walk over many files --\n"
        "that is a leak that grows with every iteration, and it never shrinks if\n"
        "the function never returns.\n"
        "\n"
        "Leaky:\n"
        "\n"
        "    func processAll(paths <-chan string) {\n"
        "        for path := range paths {\n"
        "            f, err := os.Open(path)\n"
        "            if err != nil {\n"
        "                continue\n"
        "            }\n"
        "            defer f.Close() // runs only when processAll returns\n"
        "            process(f)\n"
        "        }\n"
        "    }\n"
        "\n"
        "Fixed: give each iteration its own function, so its defer runs at the end\n"
        "of the iteration:\n"
        "\n"
        "    func processAll(paths <-chan string) {\n"
        "        for path := range paths {\n"
        "            func() {\n"
        "                f, err := os.Open(path)\n"
        "                if err != nil {\n"
        "                    return\n"
        "                }\n"
        "                defer f.Close()\n"
        "                process(f)\n"
        "            }()\n"
        "        }\n"
        "    }\n"
        "\n"
        "or call f.Close() explicitly at the end of the iteration.\n"
        "\n"
        "Not reported: a defer inside a function literal (it belongs to the\n"
        "literal, which is the fix above; this includes `go func() { defer ... }()`),\n"
        "and a defer followed in its block by a statement that always leaves the\n"
        "function or the loop (return, panic, an if/else or switch that returns on\n"
        "every branch, a break out of the loop), which runs at most once per call.\n"
        "Whether a reported defer matters depends on how long the loop runs: over\n"
        "a handful of items it costs little, over a stream it leaks. Silence a\n"
        "deliberate one with //nolint:defer-in-loop or\n"
        "//leakhound:ignore defer-in-loop REASON.\n",
};
