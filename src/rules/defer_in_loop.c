/* defer-in-loop: a defer statement that runs again and again in a loop of
 * the same function. Deferred calls run when the function returns, so a
 * loop that runs long (a worker's forever loop, a walk over many files)
 * piles them up with everything they reference.
 *
 * The function boundary is the literal: a defer inside a func literal
 * belongs to that literal, so `func() { defer f.Close() }()` in a loop
 * (the usual fix) and `go func() { defer wg.Done() }()` are not findings;
 * a loop inside the literal's own body is.
 *
 * On the CFG: a defer is repeated by a loop when a path leads from it back
 * to the loop's head without leaving the loop. Not reported, because the
 * defer runs at most once per call or a bounded number of times:
 *   - no such path: every path after it returns, panics, calls a function
 *     that never returns, breaks or jumps out of the loop;
 *   - a once-only guard: the defer sits under `if x == nil { x = ... }` (or
 *     `if !done { done = true ... }`) with x declared outside the loop;
 *   - a short fixed loop: a range over a composite literal (also a local
 *     table variable initialised with one and never reassigned, the shape
 *     of table-driven tests), over an array of at most LH_SHORT_LOOP
 *     elements, or a count up to a constant of at most LH_SHORT_LOOP.
 *     Then the loops around it are asked in turn.
 * Loops that can run long -- for {}, conditions, ranges over channels or
 * slices of input, b.N -- stay reported, in tests too. One finding per
 * loop, at its first repeated defer, naming the others. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rule.h"

/* Iterations below which a fixed loop's deferred calls are not a leak
 * worth a finding: a bounded handful, whatever the loop does. */
enum { LH_SHORT_LOOP = 32 };

typedef struct dil_hit {
    const lh_node *loop;        /* the loop that repeats the defers */
    const lh_node *fn;
    const lh_node *defers[8];   /* the first few, in source order */
    uint32_t ndefers, more;
} dil_hit;

typedef struct dil_ctx {
    lh_rule_ctx *c;
    const lh_load_file *f;
    dil_hit *hits;
    size_t nhits, cap;
} dil_ctx;

static bool is_blank_or(const lh_node *n, const char *name)
{
    return LH_KIND(n) == LH_IDENT && lh_ident_is(n, name);
}

/* The object an expression names when it is a plain identifier. */
static lh_obj *ident_obj(lh_rule_ctx *c, const lh_node *e)
{
    e = lh_ast_unparen((lh_node *)e);
    return LH_KIND(e) == LH_IDENT ? lh_sema_obj_of(c->sema, e) : NULL;
}

typedef struct assign_ctx {
    lh_rule_ctx *c;
    const lh_obj *v;
    const lh_node *skip;        /* the declaring statement */
    bool assigned;
} assign_ctx;

static bool assign_pre(lh_node *n, lh_node *parent, void *va)
{
    assign_ctx *a = va;
    if (a->assigned || n == a->skip)
        return false;
    if (LH_KIND(n) == LH_ASSIGN_STMT) {
        lh_assign_stmt *as = LH_AS(n, lh_assign_stmt);
        for (uint32_t i = 0; i < as->lhs.n; i++) {
            lh_node *l = lh_ast_unparen(as->lhs.v[i]);
            /* x = ..., x[i] = ..., x.f = ... all change what x holds */
            while (LH_KIND(l) == LH_INDEX_EXPR || LH_KIND(l) == LH_SELECTOR_EXPR)
                l = LH_KIND(l) == LH_INDEX_EXPR ? LH_AS(l, lh_index_expr)->x
                                                : LH_AS(l, lh_selector_expr)->x;
            if (ident_obj(a->c, l) == a->v)
                a->assigned = true;
        }
    } else if (LH_KIND(n) == LH_UNARY_EXPR && LH_AS(n, lh_unary_expr)->op == LH_TOK_AND &&
               ident_obj(a->c, LH_AS(n, lh_unary_expr)->x) == a->v) {
        a->assigned = true;
    } else if (LH_KIND(n) == LH_INC_DEC_STMT && ident_obj(a->c, LH_AS(n, lh_inc_dec_stmt)->x) == a->v) {
        a->assigned = true;
    }
    (void)parent;
    return !a->assigned;
}

/* Whether variable v is assigned (or its address taken) anywhere in root
 * other than in its declaration. */
static bool reassigned(lh_rule_ctx *c, const lh_obj *v, lh_node *root)
{
    assign_ctx a = {c, v, v->decl, false};
    lh_ast_walk(root, assign_pre, NULL, &a);
    return a.assigned;
}

/* A range over a composite literal, or over a local table variable
 * initialised with one and never changed: as many turns as the source has
 * entries. */
static bool literal_table(lh_rule_ctx *c, const lh_node *x, lh_node *fn)
{
    x = lh_ast_unparen((lh_node *)x);
    if (LH_KIND(x) == LH_COMPOSITE_LIT)
        return true;
    lh_obj *v = ident_obj(c, x);
    if (!v || v->kind != LH_OBJ_VAR || !v->value)
        return false;
    if (LH_KIND(lh_ast_unparen((lh_node *)v->value)) != LH_COMPOSITE_LIT)
        return false;
    if (v->flags & LH_VAR_PKG)
        return true;    /* a package-level table: changed only by init code */
    return v->func == fn && !reassigned(c, v, fn);
}

static bool small_const(lh_rule_ctx *c, const lh_node *e)
{
    int64_t n;
    return e && lh_sema_const_int(c->sema, e, &n) && n <= LH_SHORT_LOOP;
}

/* A loop that runs a small, fixed number of times. */
static bool short_fixed(lh_rule_ctx *c, const lh_node *loop, lh_node *fn)
{
    if (LH_KIND(loop) == LH_RANGE_STMT) {
        const lh_range_stmt *r = LH_AS(loop, lh_range_stmt);
        if (literal_table(c, r->x, fn) || small_const(c, r->x))
            return true;
        const lh_type *t = lh_type_underlying(lh_sema_type_of(c->sema, r->x));
        if (t && t->kind == LH_T_POINTER)
            t = lh_type_underlying(t->elem);
        return t && t->kind == LH_T_ARRAY && t->len >= 0 && t->len <= LH_SHORT_LOOP;
    }
    /* for i := 0; i < N; i++ with N a small constant. */
    const lh_for_stmt *f = LH_AS(loop, lh_for_stmt);
    if (!f->cond || !f->post || LH_KIND(lh_ast_unparen(f->cond)) != LH_BINARY_EXPR)
        return false;
    const lh_binary_expr *b = LH_AS(lh_ast_unparen(f->cond), lh_binary_expr);
    if (b->op != LH_TOK_LSS && b->op != LH_TOK_LEQ)
        return false;
    lh_obj *i = ident_obj(c, b->x);
    if (!i || !small_const(c, b->y))
        return false;
    /* i must start from a constant and only be counted up by the post. */
    if (LH_KIND(f->post) != LH_INC_DEC_STMT || LH_AS(f->post, lh_inc_dec_stmt)->tok != LH_TOK_INC ||
        ident_obj(c, LH_AS(f->post, lh_inc_dec_stmt)->x) != i)
        return false;
    if (!f->init || LH_KIND(f->init) != LH_ASSIGN_STMT)
        return false;
    const lh_assign_stmt *in = LH_AS(f->init, lh_assign_stmt);
    int64_t v0;
    return in->lhs.n == 1 && ident_obj(c, in->lhs.v[0]) == i && in->rhs.n == 1 &&
           lh_sema_const_int(c->sema, in->rhs.v[0], &v0) && f->body &&
           !reassigned(c, i, f->body);
}

/* `x == nil` / `!x` / `x == false` guarding a branch that sets x: the
 * branch runs once per call when x lives outside the loop. Returns the
 * guarded variable, NULL otherwise. */
static lh_obj *guard_var(lh_rule_ctx *c, const lh_node *cond)
{
    cond = lh_ast_unparen((lh_node *)cond);
    if (LH_KIND(cond) == LH_UNARY_EXPR && LH_AS(cond, lh_unary_expr)->op == LH_TOK_NOT)
        return ident_obj(c, LH_AS(cond, lh_unary_expr)->x);
    if (LH_KIND(cond) != LH_BINARY_EXPR || LH_AS(cond, lh_binary_expr)->op != LH_TOK_EQL)
        return NULL;
    const lh_binary_expr *b = LH_AS(cond, lh_binary_expr);
    if (is_blank_or(b->y, "nil") || is_blank_or(b->y, "false"))
        return ident_obj(c, b->x);
    if (is_blank_or(b->x, "nil") || is_blank_or(b->x, "false"))
        return ident_obj(c, b->y);
    return NULL;
}

/* Whether the defer (with its ancestors anc[0..nanc)) sits under a
 * once-only guard inside loop. */
static bool once_only(lh_rule_ctx *c, lh_node *const *anc, size_t nanc, const lh_node *loop)
{
    size_t li = nanc;
    while (li > 0 && anc[li - 1] != loop)
        li--;
    for (size_t i = li; i < nanc; i++) {
        if (LH_KIND(anc[i]) != LH_IF_STMT || i + 1 >= nanc)
            continue;
        const lh_if_stmt *is = LH_AS(anc[i], lh_if_stmt);
        if (anc[i + 1] != is->body)
            continue;   /* the else branch is not guarded */
        lh_obj *v = guard_var(c, is->cond);
        if (!v || v->kind != LH_OBJ_VAR || !v->ident || v->ident->pos.off >= loop->pos.off)
            continue;   /* declared inside the loop: fresh every turn */
        if (reassigned(c, v, is->body))
            return true;
    }
    return false;
}

static void add_hit(dil_ctx *d, const lh_node *loop, const lh_node *fn, const lh_node *defer)
{
    for (size_t i = 0; i < d->nhits; i++)
        if (d->hits[i].loop == loop) {
            dil_hit *h = &d->hits[i];
            if (h->ndefers < sizeof h->defers / sizeof h->defers[0])
                h->defers[h->ndefers++] = defer;
            else
                h->more++;
            return;
        }
    if (d->nhits == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 16;
        d->hits = realloc(d->hits, d->cap * sizeof *d->hits);
        if (!d->hits)
            abort();
    }
    dil_hit *h = &d->hits[d->nhits++];
    *h = (dil_hit){.loop = loop, .fn = fn, .ndefers = 1};
    h->defers[0] = defer;
}

static void check_defer(dil_ctx *d, lh_node *defer, lh_node *const *anc, size_t nanc)
{
    lh_node *fn = lh_rule_enclosing_func(anc, nanc);
    lh_cfg *g = fn ? lh_rule_cfg(d->c, fn) : NULL;
    uint32_t idx;
    lh_cfg_block *b = g ? lh_cfg_block_of(g, defer, &idx) : NULL;
    if (!b || !b->live)
        return;
    for (const lh_cfg_loop *l = b->loop; l; l = l->parent) {
        /* Can the defer run again in this loop: a path from it back to
         * the loop's head that stays inside the loop? */
        lh_cfg_search s = {.ends = 0, .until = l->head, .within = l};
        if (!lh_cfg_search_from(g, &s, b, idx + 1, NULL))
            continue;   /* leaves this loop every time; outer loops may still repeat it */
        if (once_only(d->c, anc, nanc, l->stmt))
            return;
        if (short_fixed(d->c, l->stmt, fn))
            continue;   /* bounded here; a loop around it may not be */
        add_hit(d, l->stmt, fn, defer);
        return;
    }
}

static bool visit(lh_node *n, lh_node *const *anc, size_t nanc, void *vd)
{
    if (LH_KIND(n) == LH_DEFER_STMT)
        check_defer(vd, n, anc, nanc);
    return true;
}

static const char *func_name(const lh_node *fn, char *buf, size_t size)
{
    if (fn && LH_KIND(fn) == LH_FUNC_DECL) {
        const lh_ident *id = LH_AS(LH_AS(fn, lh_func_decl)->name, lh_ident);
        size_t n = id->name.len < size - 1 ? id->name.len : size - 1;
        memcpy(buf, id->name.p, n);
        buf[n] = '\0';
        return buf;
    }
    return "the function literal";
}

static void report(dil_ctx *d, dil_hit *h)
{
    /* Defers a directive silences are left out of the finding (and out of
     * its message); when all are silenced, the first is reported so the
     * suppression is counted. */
    uint32_t keep = 0;
    for (uint32_t i = 0; i < h->ndefers; i++)
        if (!lh_rule_suppressed(d->f->ast, d->f->src, d->c->rule->id, h->defers[i]->pos.line))
            h->defers[keep++] = h->defers[i];
    if (keep == 0) {
        h->ndefers = 1;
        h->more = 0;
    } else {
        h->ndefers = keep;
    }
    char name[128], others[160] = "";
    size_t k = 0;
    for (uint32_t i = 1; i < h->ndefers && k + 16 < sizeof others; i++)
        k += (size_t)snprintf(others + k, sizeof others - k, "%s%u", i > 1 ? ", " : "",
                              h->defers[i]->pos.line);
    if (h->more && k + 16 < sizeof others)
        snprintf(others + k, sizeof others - k, " and %u more", h->more);
    const char *what = func_name(h->fn, name, sizeof name);
    if (h->ndefers > 1)
        lh_rule_report(d->c, d->f, h->defers[0],
                       "defer inside a loop runs only when %s returns, not at the end of each "
                       "iteration (loop at line %u); so do the defers on line%s %s",
                       what, h->loop->pos.line, h->ndefers > 2 || h->more ? "s" : "", others);
    else
        lh_rule_report(d->c, d->f, h->defers[0],
                       "defer inside a loop runs only when %s returns, not at the end of each "
                       "iteration (loop at line %u)",
                       what, h->loop->pos.line);
}

static void check(lh_rule_ctx *c)
{
    dil_ctx d = {.c = c};
    for (size_t i = 0; i < c->nfiles; i++) {
        d.f = c->files[i];
        d.nhits = 0;
        /* A file's hits are reported in it alone. */
        if (lh_rule_quiet(c, d.f))
            continue;
        lh_rule_walk_file(c, i, LH_KIND_SET(LH_DEFER_STMT), visit, &d);
        for (size_t k = 0; k < d.nhits; k++)
            report(&d, &d.hits[k]);
    }
    free(d.hits);
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
        "literal, which is the fix above; this includes `go func() { defer ... }()`);\n"
        "a defer after which every path leaves the loop (return, panic, log.Fatal,\n"
        "break or goto out), which runs at most once per call; a defer under a\n"
        "once-only guard (`if t == nil { t = newT(); defer t.Stop() }` with t\n"
        "declared before the loop); and a short fixed loop: a range over a\n"
        "composite literal or a table variable initialised with one (table-driven\n"
        "tests), over a small array, or a count up to a small constant (32) --\n"
        "then the loops around it are asked in turn. Loops that can run long\n"
        "(for {}, conditions, ranges over channels or input slices, b.N) are\n"
        "reported, in tests too, once per loop, naming the other defers in it.\n"
        "Silence a deliberate one with //nolint:defer-in-loop or\n"
        "//leakhound:ignore defer-in-loop REASON.\n",
};
