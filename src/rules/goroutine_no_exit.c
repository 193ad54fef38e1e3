/* goroutine-no-exit: a goroutine that can never end.
 *   - It loops forever with no way out: a loop without exit (no return,
 *     break, closed-channel check or cancellation case) around a blocking
 *     receive, in a body that cannot return (seed 003's worker);
 *   - it ranges over a channel that nothing closes;
 *   - it waits on a channel that nothing sends on or closes.
 * For the last two, "nothing" is proven only for channels the starting
 * function makes and never hands to code we cannot see: the function and
 * the goroutines it starts are all the code there is (rules/chanfacts.c).
 * A goroutine that never ends keeps its stack and everything it
 * references; started per request, they pile up. Reported at the go
 * statement. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/chanfacts.h"
#include "rules/fieldchans.h"
#include "rules/locks.h"
#include "sema/flow.h"

/* Go statements already reported (one finding per go statement). */
typedef struct gne_ctx {
    lh_ptrmap reported;
} gne_ctx;

static void report_chan(lh_rule_ctx *c, const lh_chan_facts *f, const lh_chan_go *g,
                        const char *what, gne_ctx *x)
{
    if (lh_ptrmap_has(&x->reported, g->go))
        return;
    lh_ptrmap_put(&x->reported, g->go, NULL);
    lh_rule_report(c, f->file, g->go,
                   "goroutine %s %.*s (made on line %u), which nothing %s: it never ends; %s",
                   what, (int)f->ch->name.len, f->ch->name.p, f->make->n.pos.line,
                   strcmp(what, "ranges over") == 0 ? "closes" : "sends on or closes",
                   strcmp(what, "ranges over") == 0
                       ? "close the channel when the last value is sent"
                       : "send, close the channel, or select on ctx.Done() too");
}

static void chan_visit(lh_rule_ctx *c, const lh_chan_facts *f, void *vx)
{
    gne_ctx *x = vx;
    bool closed = f->own.closes, sent = f->own.sends || f->own.soft_sends;
    for (uint32_t i = 0; i < f->ngo; i++) {
        closed |= f->gos[i].use.closes;
        sent |= f->gos[i].use.sends || f->gos[i].use.soft_sends;
    }
    if (closed)
        return;
    for (uint32_t i = 0; i < f->ngo; i++) {
        const lh_chan_go *g = &f->gos[i];
        const lh_chan_use *u = &g->use;
        if (u->ranges && !lh_rule_leaves(u->range_stmt)) {
            report_chan(c, f, g, "ranges over", x);
            continue;
        }
        /* A blocking receive (not one case of several) with no sender. */
        if (!sent && u->recvs + u->loop_recvs > u->soft_recvs)
            report_chan(c, f, g, "waits on", x);
    }
}

/* ---- channels in unexported fields --------------------------------------- */

static void field_visit(lh_rule_ctx *c, const lh_field_chan *f, const lh_field_go *g, void *vx)
{
    gne_ctx *x = vx;
    const lh_chan_use *all = &f->all, *u = &g->use;
    if (all->closes || lh_ptrmap_has(&x->reported, g->go))
        return;
    bool sent = all->sends || all->soft_sends;
    const char *what = NULL;
    if (u->ranges && !lh_rule_leaves(u->range_stmt))
        what = "ranges over";
    else if (!sent && u->recvs + u->loop_recvs > u->soft_recvs)
        what = "waits on";
    if (!what)
        return;
    lh_ptrmap_put(&x->reported, g->go, NULL);
    bool ranges = what[0] == 'r';
    lh_rule_report(c, g->file, g->go,
                   "goroutine %s the field %.*s.%.*s, which nothing in the package %s: it "
                   "never ends; %s",
                   what, (int)f->type->name.len, f->type->name.p, (int)f->name.len, f->name.p,
                   ranges ? "closes" : "sends on or closes",
                   ranges ? "close the channel when the last value is sent"
                          : "send, close the channel (in Stop or Close), or select on ctx.Done()");
}

/* ---- sync primitives nothing releases ----------------------------------- */

/* A WaitGroup, Mutex or RWMutex variable of the goroutine's own function
 * (or captured from the function starting it) whose every use is a method
 * call we know: Wait with no Done anywhere in that code never returns; a
 * second Lock after a Lock, with no Unlock anywhere, never returns. */
typedef struct sync_uses {
    lh_sema_pkg *p;
    const lh_obj *v;
    uint32_t add, done, wait, lock, unlock;
    bool other;                 /* any other use: passed, copied, &v */
} sync_uses;

static bool sync_pre(lh_node *n, lh_node *parent, void *vs)
{
    sync_uses *u = vs;
    if (LH_KIND(n) != LH_IDENT || lh_sema_obj_of(u->p, n) != u->v || u->v->ident == n)
        return true;
    if (!parent || LH_KIND(parent) != LH_SELECTOR_EXPR || LH_AS(parent, lh_selector_expr)->x != n) {
        u->other = true;
        return true;
    }
    lh_node *sel = LH_AS(parent, lh_selector_expr)->sel;
    if (lh_ident_is(sel, "Add"))
        u->add++;
    else if (lh_ident_is(sel, "Done"))
        u->done++;
    else if (lh_ident_is(sel, "Wait"))
        u->wait++;
    else if (lh_ident_is(sel, "Signal") || lh_ident_is(sel, "Broadcast"))
        u->done++;      /* a Cond's wake-up */
    else if (lh_ident_is(sel, "L"))
        ;               /* a Cond's lock: taking it wakes nobody */
    else if (lh_ident_is(sel, "Lock") || lh_ident_is(sel, "RLock"))
        u->lock++;
    else if (lh_ident_is(sel, "Unlock") || lh_ident_is(sel, "RUnlock") || lh_ident_is(sel, "TryLock") ||
             lh_ident_is(sel, "TryRLock") || lh_ident_is(sel, "Go"))
        u->unlock++;    /* TryLock and wg.Go: not followed, count as releasing */
    else
        u->other = true;
    return true;
}

/* The sync type of a local: "WaitGroup", "Mutex", "RWMutex" or NULL. */
static const char *sync_kind(const lh_obj *v)
{
    const lh_type *t = lh_type_deref(lh_sema_obj_type((lh_obj *)v));
    static const char *const kinds[] = {"WaitGroup", "Mutex", "RWMutex", "Cond", NULL};
    for (size_t i = 0; kinds[i]; i++)
        if (lh_type_is_named(t, "sync", kinds[i]))
            return kinds[i];
    return NULL;
}

typedef struct lock_ctx {
    lh_sema_pkg *p;
    const lh_obj *v;
} lock_ctx;

static bool is_lock_stmt(lock_ctx *l, lh_node *n)
{
    if (LH_KIND(n) != LH_EXPR_STMT)
        return false;
    lh_node *c = lh_ast_unparen(LH_AS(n, lh_expr_stmt)->x);
    if (LH_KIND(c) != LH_CALL_EXPR)
        return false;
    lh_node *f = lh_ast_unparen(LH_AS(c, lh_call_expr)->fun);
    if (LH_KIND(f) != LH_SELECTOR_EXPR)
        return false;
    lh_node *x = lh_ast_unparen(LH_AS(f, lh_selector_expr)->x);
    lh_node *sel = LH_AS(f, lh_selector_expr)->sel;
    return LH_KIND(x) == LH_IDENT && lh_sema_obj_of(l->p, x) == l->v &&
           (lh_ident_is(sel, "Lock") || lh_ident_is(sel, "RLock"));
}

static lh_cfg_visit find_lock(lh_node *n, void *vl)
{
    return is_lock_stmt(vl, n) ? LH_CFG_FOUND : LH_CFG_CONTINUE;
}

typedef struct locals_ctx {
    lh_sema_pkg *p;
    const lh_node *fn;
    const lh_obj *vars[16];
    uint32_t n;
} locals_ctx;

/* Sync variables the goroutine's code names: its own locals, or the
 * starting function's locals it captures. */
static bool collect_sync(lh_node *n, lh_node *parent, void *vl)
{
    (void)parent;
    locals_ctx *l = vl;
    if (LH_KIND(n) != LH_IDENT || l->n == 16)
        return true;
    lh_obj *o = lh_sema_obj_of(l->p, n);
    if (!o || o->kind != LH_OBJ_VAR || (o->flags & (LH_VAR_PKG | LH_VAR_PARAM | LH_VAR_RESULT | LH_VAR_FIELD)) ||
        !sync_kind(o))
        return true;
    for (uint32_t i = 0; i < l->n; i++)
        if (l->vars[i] == o)
            return true;
    l->vars[l->n++] = o;
    return true;
}

/* Returns the reason when the goroutine (function fn, started in maker)
 * blocks on a sync variable nothing releases. */
static const char *sync_blocked(lh_rule_ctx *c, lh_node *fn, lh_node *maker, char *why, size_t n)
{
    lh_cfg *g = lh_rule_cfg(c, fn);
    if (!g)
        return NULL;
    locals_ctx l = {c->sema, fn, {0}, 0};
    lh_ast_walk(g->body, collect_sync, NULL, &l);
    for (uint32_t i = 0; i < l.n; i++) {
        const lh_obj *v = l.vars[i];
        /* The code that can touch v: the function declaring it. */
        const lh_node *owner = v->func;
        if (owner != fn && owner != maker)
            continue;
        lh_node *obody = LH_KIND(owner) == LH_FUNC_DECL ? LH_AS(owner, lh_func_decl)->body
                                                        : LH_AS(owner, lh_func_lit)->body;
        sync_uses u = {c->sema, v, 0, 0, 0, 0, 0, false};
        lh_ast_walk(obody, sync_pre, NULL, &u);
        if (u.other || lh_flow_escapes(c->sema, v, (lh_node *)owner) != (owner != fn))
            continue;   /* handed on; or captured by more than this goroutine */
        const char *kind = sync_kind(v);
        if (strcmp(kind, "Cond") == 0) {
            if (u.wait && !u.done) {
                snprintf(why, n, "waits on %.*s, which nothing signals", (int)v->name.len,
                         v->name.p);
                return why;
            }
            continue;
        }
        if (strcmp(kind, "WaitGroup") == 0) {
            if (u.wait && u.add && !u.done) {
                snprintf(why, n, "waits on %.*s, which nothing marks Done", (int)v->name.len,
                         v->name.p);
                return why;
            }
            continue;
        }
        if (u.unlock || u.lock < 2)
            continue;
        /* A path in the goroutine from one Lock to another (or a Lock
         * held by the starting function, which never unlocks). */
        lock_ctx lc = {c->sema, v};
        for (uint32_t b = 0; b < g->nblocks; b++) {
            lh_cfg_block *blk = g->blocks[b];
            for (uint32_t k = 0; blk->live && k < blk->nnodes; k++) {
                if (!is_lock_stmt(&lc, blk->nodes[k]))
                    continue;
                lh_cfg_search s = {.visit = find_lock, .ctx = &lc};
                if (owner != fn || lh_cfg_search_from(g, &s, blk, k + 1, NULL)) {
                    snprintf(why, n, "locks %.*s, which nothing unlocks, a second time",
                             (int)v->name.len, v->name.p);
                    return why;
                }
            }
        }
    }
    return NULL;
}

/* ---- ways out that never open ------------------------------------------ */

/* A receive from a channel field that nothing which runs sends on or
 * closes: the goroutine never gets past it (in a select, that case never
 * fires). */
typedef struct deadrecv_ctx {
    lh_rule_ctx *c;
    const lh_node *starter;     /* the FuncDecl holding the go statement */
    const lh_obj *type;     /* the first such field met, for the message */
    lh_str name, closer;
} deadrecv_ctx;

static lh_cfg_visit deadrecv_visit(lh_node *n, void *vd)
{
    deadrecv_ctx *d = vd;
    lh_node *x = NULL;
    if (LH_KIND(n) == LH_EXPR_STMT)
        x = LH_AS(n, lh_expr_stmt)->x;
    else if (LH_KIND(n) == LH_ASSIGN_STMT && LH_AS(n, lh_assign_stmt)->rhs.n == 1)
        x = LH_AS(n, lh_assign_stmt)->rhs.v[0];
    x = x ? lh_ast_unparen(x) : NULL;
    if (!x || LH_KIND(x) != LH_UNARY_EXPR || LH_AS(x, lh_unary_expr)->op != LH_TOK_ARROW)
        return LH_CFG_CONTINUE;
    const lh_obj *type;
    lh_str name, closer;
    if (!lh_rule_field_chan_of(d->c, LH_AS(x, lh_unary_expr)->x, &type, &name) ||
        !lh_rule_field_chan_dead(d->c, type, name, d->starter, &closer))
        return LH_CFG_CONTINUE;
    if (!d->type) {
        d->type = type;
        d->name = name;
        d->closer = closer;
    }
    return LH_CFG_STOP_PATH;
}

/* ---- forever loops --------------------------------------------------- */

typedef struct fl_ctx {
    lh_rule_ctx *c;
    const lh_load_file *f;
    gne_ctx *done;
    lh_locks *locks;
} fl_ctx;

typedef struct blockrecv_ctx {
    bool found;
    uint32_t depth_select;
} blockrecv_ctx;

/* A receive that blocks: outside any select, or in a select whose only
 * cases are receives (no default). Function literals not entered. */
static bool br_pre(lh_node *n, lh_node *parent, void *vb)
{
    blockrecv_ctx *b = vb;
    if (b->found || LH_KIND(n) == LH_FUNC_LIT)
        return false;
    if (LH_KIND(n) == LH_SELECT_STMT) {
        lh_block_stmt *blk = LH_AS(LH_AS(n, lh_select_stmt)->body, lh_block_stmt);
        for (uint32_t i = 0; i < blk->list.n; i++)
            if (!LH_AS(blk->list.v[i], lh_comm_clause)->comm)
                return true;    /* a default: not blocking; look inside bodies */
        b->found = true;
        return false;
    }
    if (LH_KIND(n) == LH_UNARY_EXPR && LH_AS(n, lh_unary_expr)->op == LH_TOK_ARROW)
        b->found = true;
    (void)parent;
    return !b->found;
}

static bool blocks_receiving(lh_node *loop)
{
    blockrecv_ctx b = {false, 0};
    lh_node *body = LH_AS(loop, lh_for_stmt)->body;
    lh_ast_walk(body, br_pre, NULL, &b);
    return b.found;
}

/* A channel operation that can never complete: on a nil channel (a local
 * declared without a value and never assigned), or a receive from a
 * channel made right there (`<-make(chan T)`: nobody else has it). Not in
 * a select with other cases. */
typedef struct dead_ctx {
    lh_rule_ctx *c;
    lh_node *fn;
    lh_node *op;
} dead_ctx;

typedef struct assigned_ctx {
    lh_sema_pkg *p;
    const lh_obj *v;
    bool yes;
} assigned_ctx;

static bool assigned_pre(lh_node *n, lh_node *parent, void *va)
{
    assigned_ctx *a = va;
    if (LH_KIND(n) == LH_IDENT && lh_sema_obj_of(a->p, n) == a->v && parent) {
        if (LH_KIND(parent) == LH_ASSIGN_STMT) {
            const lh_assign_stmt *as = LH_AS(parent, lh_assign_stmt);
            for (uint32_t i = 0; i < as->lhs.n; i++)
                if (as->lhs.v[i] == n)
                    a->yes = true;
        } else if (LH_KIND(parent) == LH_UNARY_EXPR && LH_AS(parent, lh_unary_expr)->op == LH_TOK_AND) {
            a->yes = true;
        }
    }
    return !a->yes;
}

static bool nil_chan(dead_ctx *d, const lh_node *e)
{
    e = lh_ast_unparen((lh_node *)e);
    if (LH_KIND(e) != LH_IDENT)
        return false;
    lh_obj *v = lh_sema_obj_of(d->c->sema, e);
    if (!v || v->kind != LH_OBJ_VAR || v->value || !v->decl || LH_KIND(v->decl) != LH_VALUE_SPEC ||
        v->func != d->fn || (v->flags & (LH_VAR_PARAM | LH_VAR_RESULT | LH_VAR_PKG)))
        return false;
    const lh_type *t = lh_type_underlying(lh_sema_obj_type(v));
    if (!t || t->kind != LH_T_CHAN)
        return false;
    assigned_ctx a = {d->c->sema, v, false};
    lh_node *body = LH_KIND(d->fn) == LH_FUNC_DECL ? LH_AS(d->fn, lh_func_decl)->body
                                                   : LH_AS(d->fn, lh_func_lit)->body;
    lh_ast_walk(body, assigned_pre, NULL, &a);
    return !a.yes;
}

static bool fresh_make(dead_ctx *d, const lh_node *e)
{
    e = lh_ast_unparen((lh_node *)e);
    if (LH_KIND(e) != LH_CALL_EXPR)
        return false;
    lh_obj *o = lh_sema_callee(d->c->sema, LH_AS(e, lh_call_expr));
    return o && o->kind == LH_OBJ_BUILTIN && o->name.len == 4 && memcmp(o->name.p, "make", 4) == 0;
}

/* make(chan T) right where it is sent on: nobody can ever receive. */
static bool fresh_unbuffered(dead_ctx *d, const lh_node *e)
{
    e = lh_ast_unparen((lh_node *)e);
    return fresh_make(d, e) && lh_sema_make_cap(d->c->sema, LH_AS(e, lh_call_expr)) == 0;
}

/* A select without default whose every case can never proceed: sends on
 * nil or fresh unbuffered channels, receives from nil or fresh ones. */
static bool dead_select(dead_ctx *d, lh_node *sel)
{
    lh_block_stmt *blk = LH_AS(LH_AS(sel, lh_select_stmt)->body, lh_block_stmt);
    if (!blk->list.n)
        return false;   /* select {}: the CFG's BLOCKED end reports it */
    for (uint32_t i = 0; i < blk->list.n; i++) {
        lh_node *comm = LH_AS(blk->list.v[i], lh_comm_clause)->comm;
        if (!comm)
            return false;
        if (LH_KIND(comm) == LH_SEND_STMT) {
            lh_node *ch = LH_AS(comm, lh_send_stmt)->chan;
            if (!nil_chan(d, ch) && !fresh_unbuffered(d, ch))
                return false;
            continue;
        }
        lh_node *x = NULL;
        if (LH_KIND(comm) == LH_EXPR_STMT)
            x = LH_AS(comm, lh_expr_stmt)->x;
        else if (LH_KIND(comm) == LH_ASSIGN_STMT && LH_AS(comm, lh_assign_stmt)->rhs.n == 1)
            x = LH_AS(comm, lh_assign_stmt)->rhs.v[0];
        x = x ? lh_ast_unparen(x) : NULL;
        if (!x || LH_KIND(x) != LH_UNARY_EXPR || LH_AS(x, lh_unary_expr)->op != LH_TOK_ARROW)
            return false;
        lh_node *ch = LH_AS(x, lh_unary_expr)->x;
        if (!nil_chan(d, ch) && !fresh_make(d, ch))
            return false;
    }
    return true;
}

static bool in_soft_select(lh_node *const *anc, size_t nanc)
{
    for (size_t k = nanc; k-- > 0;) {
        lh_node *a = anc[k];
        if (LH_KIND(a) == LH_COMM_CLAUSE && k >= 2 && LH_KIND(anc[k - 2]) == LH_SELECT_STMT)
            return LH_AS(anc[k - 1], lh_block_stmt)->list.n > 1;
        if (LH_KIND(a) != LH_EXPR_STMT && LH_KIND(a) != LH_ASSIGN_STMT &&
            LH_KIND(a) != LH_SEND_STMT && LH_KIND(a) != LH_UNARY_EXPR)
            return false;
    }
    return false;
}

static bool dead_visit(lh_node *n, lh_node *const *anc, size_t nanc, void *vd)
{
    dead_ctx *d = vd;
    if (d->op || LH_KIND(n) == LH_FUNC_LIT)
        return false;
    if (LH_KIND(n) == LH_UNARY_EXPR && LH_AS(n, lh_unary_expr)->op == LH_TOK_ARROW) {
        lh_node *x = LH_AS(n, lh_unary_expr)->x;
        if ((fresh_make(d, x) || nil_chan(d, x)) && !in_soft_select(anc, nanc))
            d->op = n;
    } else if (LH_KIND(n) == LH_SEND_STMT) {
        lh_node *ch = LH_AS(n, lh_send_stmt)->chan;
        if ((nil_chan(d, ch) || fresh_unbuffered(d, ch)) && !in_soft_select(anc, nanc))
            d->op = n;
    } else if (LH_KIND(n) == LH_SELECT_STMT && dead_select(d, n)) {
        d->op = n;
    }
    return !d->op;
}

static bool fl_visit(lh_node *n, lh_node *const *anc, size_t nanc, void *vx)
{
    fl_ctx *x = vx;
    if (LH_KIND(n) != LH_GO_STMT || lh_ptrmap_has(&x->done->reported, n))
        return true;
    /* A service goroutine started by main.main or an init function runs
     * once per process, for its life: that is its design, not a leak. */
    lh_node *starter = lh_rule_enclosing_func(anc, nanc);
    bool once = false;
    if (starter && LH_KIND(starter) == LH_FUNC_DECL && !LH_AS(starter, lh_func_decl)->recv) {
        const lh_node *nm = LH_AS(starter, lh_func_decl)->name;
        once = lh_ident_is(nm, "init") ||
               (lh_ident_is(nm, "main") && x->c->sema->name && strcmp(x->c->sema->name, "main") == 0);
    }
    const lh_go_stmt *gs = LH_AS(n, lh_go_stmt);
    if (LH_KIND(gs->call) != LH_CALL_EXPR)
        return true;
    lh_node *fun = lh_ast_unparen(LH_AS(gs->call, lh_call_expr)->fun);
    lh_node *fn = NULL;
    if (LH_KIND(fun) == LH_FUNC_LIT) {
        fn = fun;
    } else {
        lh_obj *o = lh_sema_callee(x->c->sema, LH_AS(gs->call, lh_call_expr));
        if (o && o->kind == LH_OBJ_FUNC && !o->frozen && o->pkg == x->c->sema && o->decl &&
            LH_KIND(o->decl) == LH_FUNC_DECL)
            fn = (lh_node *)o->decl;
    }
    lh_cfg *g = fn ? lh_rule_cfg(x->c, fn) : NULL;
    if (!g)
        return true;
    char why[256];
    if (LH_KIND(fn) == LH_FUNC_LIT && sync_blocked(x->c, fn, lh_rule_enclosing_func(anc, nanc), why,
                                                   sizeof why)) {
        lh_rule_report(x->c, x->f, n, "goroutine %s: it blocks forever and never ends", why);
        return true;
    }
    /* A mutex it already holds, taken again here or in what it calls. */
    if (lh_locks_goroutine_deadlocks(x->locks, fn, why, sizeof why)) {
        lh_rule_report(x->c, x->f, n,
                       "goroutine %s: it blocks forever and never ends; unlock before taking "
                       "it again (or split the callee into a locked and an unlocked part)",
                       why);
        return true;
    }
    /* A Cond field nothing signals. */
    if (lh_locks_goroutine_cond_waits(x->locks, fn, why, sizeof why)) {
        lh_rule_report(x->c, x->f, n,
                       "goroutine %s: it blocks forever and never ends; Signal or Broadcast "
                       "after changing what it waits for",
                       why);
        return true;
    }
    /* A channel operation that can never complete, on a reachable path. */
    dead_ctx d = {.c = x->c, .fn = fn};
    lh_rule_walk(g->body, dead_visit, &d);
    lh_cfg_block *db = d.op ? lh_cfg_block_of(g, d.op, NULL) : NULL;
    if (d.op && (!db || db->live)) {
        const char *what;
        if (LH_KIND(d.op) == LH_SELECT_STMT)
            what = "a select whose every case is on a nil channel or one nobody else has";
        else if (LH_KIND(d.op) == LH_SEND_STMT)
            what = fresh_make(&d, LH_AS(d.op, lh_send_stmt)->chan)
                       ? "a send on an unbuffered channel nobody else has"
                       : "a send on a nil channel";
        else
            what = fresh_make(&d, LH_AS(d.op, lh_unary_expr)->x)
                       ? "a receive from a channel nobody else has"
                       : "a receive from a nil channel";
        lh_rule_report(x->c, x->f, n, "goroutine blocks forever on line %u: %s; it never ends",
                       d.op->pos.line, what);
        return true;
    }
    for (uint32_t i = 0; i < g->nblocks; i++)
        if (g->blocks[i]->live && g->blocks[i]->term == LH_CFG_BLOCKED) {
            lh_rule_report(x->c, x->f, n, "goroutine blocks forever in select {}; it never ends");
            return true;
        }
    if (once)
        return true;
    if (lh_cfg_can_return(g)) {
        /* Every return lies past a receive that never completes. */
        const lh_node *top = NULL;
        for (size_t k = 0; k < nanc && !top; k++)
            if (LH_KIND(anc[k]) == LH_FUNC_DECL)
                top = anc[k];
        deadrecv_ctx d = {x->c, top, NULL, {0}, {0}};
        lh_cfg_search q = {.visit = deadrecv_visit, .ctx = &d, .ends = LH_CFG_RETURN};
        if (lh_cfg_search_from(g, &q, g->blocks[0], 0, NULL) || !d.type)
            return true;
        if (d.closer.len)
            lh_rule_report(x->c, x->f, n,
                           "goroutine can end only by receiving from the field %.*s.%.*s, "
                           "which only %.*s sends on or closes, and nothing calls %.*s: it "
                           "never ends; call %.*s when done with it",
                           (int)d.type->name.len, d.type->name.p, (int)d.name.len, d.name.p,
                           (int)d.closer.len, d.closer.p, (int)d.closer.len, d.closer.p,
                           (int)d.closer.len, d.closer.p);
        else
            lh_rule_report(x->c, x->f, n,
                           "goroutine can end only by receiving from the field %.*s.%.*s, "
                           "which nothing sends on or closes: it never ends",
                           (int)d.type->name.len, d.type->name.p, (int)d.name.len, d.name.p);
        return true;
    }
    for (uint32_t i = 0; i < g->nloops; i++) {
        lh_cfg_loop *l = g->loops[i];
        if (LH_KIND(l->stmt) != LH_FOR_STMT || !l->head->live || lh_cfg_loop_exits(g, l) ||
            !blocks_receiving(l->stmt))
            continue;
        lh_rule_report(x->c, x->f, n,
                       "goroutine loops forever (loop on line %u) receiving with no way out: "
                       "no return, no closed-channel check, no cancellation case; it never "
                       "ends; return when the channel is closed (v, ok := <-ch) or on "
                       "ctx.Done()",
                       l->stmt->pos.line);
        return true;
    }
    return true;
}

static void check(lh_rule_ctx *c)
{
    /* Every finding is at a go statement: with none outside quiet files
     * there is nothing to report. With one, every go statement is judged,
     * quiet files' too: the channel facts decide which the last walk
     * passes over, and the lock summaries that walk asks for are kept in
     * the order asked -- a recursive function's summary depends on which
     * function of its cycle was asked first -- so leaving out a quiet
     * file's questions could change the answers a file that counts gets. */
    if (!lh_rule_live_gos(c))
        return;
    gne_ctx done = {LH_PTRMAP_INIT};
    lh_rule_each_chan(c, chan_visit, &done);
    lh_rule_each_field_chan(c, field_visit, &done);
    lh_locks locks;
    lh_locks_init(&locks, c);
    fl_ctx x = {c, NULL, &done, &locks};
    for (size_t i = 0; i < c->nfiles; i++) {
        x.f = c->files[i];
        lh_rule_walk_file(c, i, LH_KIND_SET(LH_GO_STMT), fl_visit, &x);
    }
    lh_locks_free(&locks);
    lh_ptrmap_free(&done.reported);
}

const lh_rule lh_rule_goroutine_no_exit = {
    .id = "goroutine-no-exit",
    .summary = "goroutine that can never end: endless receive loop, range over a "
               "never-closed channel, wait on a channel nobody uses",
    .severity = LH_SEV_WARNING,
    .check = check,
    .explain =
        "A goroutine that can never end keeps its stack and everything it\n"
        "references for the life of the process. Started once, that may be\n"
        "intended; started per request or per call, they pile up.\n"
        "\n"
        "Leaky (seed 003's worker: no way out of the loop):\n"
        "\n"
        "    func worker(ch <-chan int) {\n"
        "        for {\n"
        "            val := <-ch\n"
        "            fmt.Println(val)\n"
        "        }\n"
        "    }\n"
        "    go worker(ch)\n"
        "\n"
        "Fixed: end when the channel is closed, or when the context is done:\n"
        "\n"
        "    func worker(ctx context.Context, ch <-chan int) {\n"
        "        for {\n"
        "            select {\n"
        "            case val, ok := <-ch:\n"
        "                if !ok {\n"
        "                    return\n"
        "                }\n"
        "                fmt.Println(val)\n"
        "            case <-ctx.Done():\n"
        "                return\n"
        "            }\n"
        "        }\n"
        "    }\n"
        "\n"
        "Reported at the go statement: a goroutine whose body cannot return and\n"
        "loops forever around a blocking receive; a goroutine ranging over a\n"
        "channel that nothing closes; a goroutine waiting on a channel that\n"
        "nothing sends on or closes. For the last two, only channels made by the\n"
        "function starting the goroutine and never handed to code we cannot see\n"
        "are judged.\n"
        "\n"
        "Also a goroutine that takes a mutex it already holds (a self-deadlock):\n"
        "\n"
        "    func (r *registry) refresh() {\n"
        "        r.mu.Lock()\n"
        "        defer r.mu.Unlock()\n"
        "        r.reset()          // reset locks r.mu too: blocks forever\n"
        "    }\n"
        "    go r.refresh()\n"
        "\n"
        "Fixed: a reset that expects the lock held (resetLocked), or unlock\n"
        "before the call. Read locks taken again while held count when the\n"
        "package also write-locks that mutex: a writer waiting between the two\n"
        "deadlocks both.\n",
};
