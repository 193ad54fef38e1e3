/* goroutine-blocked-send: a goroutine sends on a channel that its maker
 * may stop receiving from first. The send blocks forever, and the
 * goroutine leaks with its stack and everything it references (seed 002's
 * fan-out "backgrounded" sends; seed 004's handler calls).
 *
 * Proven only for channels a function makes with make(chan T[, N]) whose
 * every use is visible (rules/chanfacts.c): the maker does not hand the
 * channel on, and each goroutine it starts with it runs code we can see.
 * Reported at the go statement when some goroutine has a send that can
 * block forever (a bare send, or a select whose only case it is) and:
 *   - one goroutine, unbuffered channel: a path from the go statement to
 *     a return of the maker does not receive (an error return before the
 *     receive; a select whose timeout or ctx.Done() case wins);
 *   - several senders (a go in a loop, several go statements) on an
 *     unbuffered channel, and the maker receives outside any loop: one
 *     receive for many senders ("first answer wins");
 *   - the maker's receiving loop can end early (a return or break in it);
 *   - nothing receives at all.
 * Not reported when the channel's capacity covers every send (a buffered
 * channel for one sender; make(chan T, len(xs)) for one goroutine per
 * element of xs), or when every send sits in a select with a default or
 * another case. */
#include <stdio.h>
#include <string.h>

#include "rules/chanfacts.h"
#include "rules/fieldchans.h"

/* Whether the capacity covers one send per goroutine started in the loop:
 * make(chan T, len(xs)) with the go statement in `range xs`, or a
 * constant count not above the capacity. */
static bool cap_covers_loop(lh_rule_ctx *c, const lh_chan_facts *f, const lh_node *loop)
{
    const lh_call_expr *mk = f->make;
    if (LH_KIND(loop) == LH_RANGE_STMT && mk->args.n >= 2) {
        const lh_node *capx = lh_ast_unparen(mk->args.v[1]);
        const lh_node *x = lh_ast_unparen(LH_AS(loop, lh_range_stmt)->x);
        if (LH_KIND(capx) == LH_CALL_EXPR && LH_AS(capx, lh_call_expr)->args.n == 1 &&
            lh_ident_is(LH_AS(capx, lh_call_expr)->fun, "len")) {
            const lh_node *a = lh_ast_unparen(LH_AS(capx, lh_call_expr)->args.v[0]);
            if (LH_KIND(a) == LH_IDENT && LH_KIND(x) == LH_IDENT &&
                lh_sema_obj_of(c->sema, a) == lh_sema_obj_of(c->sema, x))
                return true;
        }
        int64_t n;
        if (lh_sema_const_int(c->sema, LH_AS(loop, lh_range_stmt)->x, &n) && n <= f->cap)
            return true;
    }
    if (LH_KIND(loop) == LH_FOR_STMT) {
        const lh_for_stmt *fs = LH_AS(loop, lh_for_stmt);
        const lh_node *cond = fs->cond ? lh_ast_unparen(fs->cond) : NULL;
        int64_t n;
        if (cond && LH_KIND(cond) == LH_BINARY_EXPR &&
            LH_AS(cond, lh_binary_expr)->op == LH_TOK_LSS &&
            lh_sema_const_int(c->sema, LH_AS(cond, lh_binary_expr)->y, &n) && n <= f->cap)
            return true;
    }
    return false;
}

typedef struct recv_search {
    lh_sema_pkg *p;
    const lh_obj *ch;
} recv_search;

static lh_cfg_visit stops_at_receive(lh_node *n, void *vr)
{
    recv_search *r = vr;
    return lh_rule_receives(r->p, n, r->ch) ? LH_CFG_STOP_PATH : LH_CFG_CONTINUE;
}

static void report(lh_rule_ctx *c, const lh_chan_facts *f, const lh_chan_go *g, const char *why);

/* Every goroutine that sends may be the one left blocked: each go
 * statement with a send is reported. */
static void report_all(lh_rule_ctx *c, const lh_chan_facts *f, const char *why)
{
    for (uint32_t i = 0; i < f->ngo; i++)
        if (f->gos[i].use.sends)
            report(c, f, &f->gos[i], why);
}

static void report(lh_rule_ctx *c, const lh_chan_facts *f, const lh_chan_go *g, const char *why)
{
    char capbuf[48];
    if (f->cap == 0)
        snprintf(capbuf, sizeof capbuf, "unbuffered");
    else
        snprintf(capbuf, sizeof capbuf, "capacity %lld", (long long)f->cap);
    lh_rule_report(c, f->file, g->go,
                   "goroutine sends on %.*s (%s, made on line %u), but %s: the send blocks "
                   "forever and the goroutine leaks; give the channel room for every send, or "
                   "send in a select with ctx.Done()",
                   (int)f->ch->name.len, f->ch->name.p, capbuf, f->make->n.pos.line, why);
}

/* How many times a loop runs, when a constant says: `for i := 0; i < N;`
 * with N constant, or a range over a constant count; -1 otherwise. */
static int64_t loop_count(lh_rule_ctx *c, const lh_node *loop)
{
    int64_t n;
    if (LH_KIND(loop) == LH_RANGE_STMT)
        return lh_sema_const_int(c->sema, LH_AS(loop, lh_range_stmt)->x, &n) ? n : -1;
    const lh_for_stmt *fs = LH_AS(loop, lh_for_stmt);
    const lh_node *cond = fs->cond ? lh_ast_unparen(fs->cond) : NULL;
    if (cond && LH_KIND(cond) == LH_BINARY_EXPR && LH_AS(cond, lh_binary_expr)->op == LH_TOK_LSS &&
        fs->init && LH_KIND(fs->init) == LH_ASSIGN_STMT &&
        LH_AS(fs->init, lh_assign_stmt)->rhs.n == 1 &&
        lh_sema_const_int(c->sema, LH_AS(cond, lh_binary_expr)->y, &n)) {
        int64_t start;
        if (lh_sema_const_int(c->sema, LH_AS(fs->init, lh_assign_stmt)->rhs.v[0], &start) &&
            start >= 0 && start <= n)
            return n - start;
    }
    return -1;
}

/* Whether one of the goroutine's sends in loops can run again: a path
 * from just after it back to its loop's head. A send followed by break or
 * return on every path runs once. Unknown (no graph, too many sends to
 * have recorded): yes. */
static bool sends_repeat(lh_rule_ctx *c, const lh_chan_go *g)
{
    if (g->use.nloop_send_v < g->use.loop_sends || !g->func)
        return true;
    lh_cfg *cfg = lh_rule_cfg(c, g->func);
    if (!cfg)
        return true;
    for (uint32_t i = 0; i < g->use.nloop_send_v; i++) {
        uint32_t idx;
        lh_cfg_block *b = lh_cfg_block_of(cfg, g->use.loop_send_v[i], &idx);
        if (!b || !b->loop)
            return true;
        lh_cfg_search s = {.ends = 0, .until = b->loop->head, .within = b->loop};
        if (lh_cfg_search_from(cfg, &s, b, idx + 1, NULL))
            return true;
    }
    return false;
}

/* How many times a goroutine's one send in a loop runs, when that loop
 * is a counted one (`for i := 0; i < K; i++`, range over a constant) not
 * nested in another loop of the goroutine and left by no break or
 * return: K. -1 when not known. */
static int64_t counted_sends(lh_rule_ctx *c, const lh_chan_go *g)
{
    if (g->use.loop_sends != 1 || g->use.nloop_send_v != 1 || !g->func)
        return -1;
    lh_cfg *cfg = lh_rule_cfg(c, g->func);
    uint32_t idx;
    lh_cfg_block *b = cfg ? lh_cfg_block_of(cfg, g->use.loop_send_v[0], &idx) : NULL;
    if (!b || !b->loop || b->loop->parent || lh_rule_leaves(b->loop->stmt))
        return -1;
    return loop_count(c, b->loop->stmt);
}

/* Whether the goroutine sends on every path through its body: a send
 * under a condition (only the last worker reports) does not make its
 * goroutine one of "many senders". */
typedef struct send_ctx {
    lh_sema_pkg *p;
    const lh_obj *ch;
} send_ctx;

static lh_cfg_visit stop_at_send(lh_node *n, void *vs)
{
    send_ctx *s = vs;
    if (LH_KIND(n) != LH_SEND_STMT)
        return LH_CFG_CONTINUE;
    lh_node *x = lh_ast_unparen(LH_AS(n, lh_send_stmt)->chan);
    return LH_KIND(x) == LH_IDENT && lh_sema_obj_of(s->p, x) == s->ch ? LH_CFG_STOP_PATH
                                                                        : LH_CFG_CONTINUE;
}

static bool sends_always(lh_rule_ctx *c, const lh_chan_go *g)
{
    if (!g->func || !g->target)
        return false;
    lh_cfg *cfg = lh_rule_cfg(c, g->func);
    if (!cfg || cfg->nblocks == 0)
        return false;
    send_ctx s = {g->pkg, g->target};
    lh_cfg_search q = {.visit = stop_at_send, .ctx = &s, .ends = LH_CFG_RETURN};
    return !lh_cfg_search_from(cfg, &q, cfg->blocks[0], 0, NULL);
}

/* ---- does the receiving loop stop on what it received? ---------------- */

typedef struct early_ctx {
    lh_rule_ctx *c;
    const lh_obj *ch;
    const lh_obj *vals[8];      /* variables assigned from a receive */
    uint32_t nvals;
    bool found;
} early_ctx;

static bool is_recv_of(early_ctx *e, const lh_node *x)
{
    x = lh_ast_unparen((lh_node *)x);
    if (LH_KIND(x) != LH_UNARY_EXPR || LH_AS(x, lh_unary_expr)->op != LH_TOK_ARROW)
        return false;
    const lh_node *y = lh_ast_unparen(LH_AS(x, lh_unary_expr)->x);
    return LH_KIND(y) == LH_IDENT && lh_sema_obj_of(e->c->sema, y) == e->ch;
}

static bool collect_pre(lh_node *n, lh_node *parent, void *ve)
{
    (void)parent;
    early_ctx *e = ve;
    if (LH_KIND(n) == LH_FUNC_LIT)
        return false;
    if (LH_KIND(n) == LH_ASSIGN_STMT) {
        lh_assign_stmt *a = LH_AS(n, lh_assign_stmt);
        /* v, ok := <-ch: v is what was received; ok only says the channel
         * was closed, which ends a draining loop rightly. */
        if (a->rhs.n == 1 && is_recv_of(e, a->rhs.v[0]))
            for (uint32_t i = 0; i < 1 && i < a->lhs.n && e->nvals < 8; i++) {
                lh_obj *o = LH_KIND(a->lhs.v[i]) == LH_IDENT ? lh_sema_obj_of(e->c->sema, a->lhs.v[i])
                                                             : NULL;
                if (o)
                    e->vals[e->nvals++] = o;
            }
    }
    return true;
}

typedef struct exit_ctx {
    int nested;
    bool exits;
} exit_ctx;

static bool is_breakable(lh_node_kind k)
{
    return k == LH_FOR_STMT || k == LH_RANGE_STMT || k == LH_SWITCH_STMT ||
           k == LH_TYPE_SWITCH_STMT || k == LH_SELECT_STMT;
}

static bool exit_pre(lh_node *n, lh_node *parent, void *vx)
{
    (void)parent;
    exit_ctx *x = vx;
    if (x->exits || LH_KIND(n) == LH_FUNC_LIT)
        return false;
    if (LH_KIND(n) == LH_RETURN_STMT)
        x->exits = true;
    else if (LH_KIND(n) == LH_BRANCH_STMT) {
        const lh_branch_stmt *b = LH_AS(n, lh_branch_stmt);
        if (b->tok == LH_TOK_GOTO || (b->tok == LH_TOK_BREAK && (b->label || x->nested == 0)))
            x->exits = true;
    }
    if (is_breakable(LH_KIND(n)))
        x->nested++;
    return !x->exits;
}

static void exit_post(lh_node *n, lh_node *parent, void *vx)
{
    (void)parent;
    if (is_breakable(LH_KIND(n)))
        ((exit_ctx *)vx)->nested--;
}

/* An if inside the loop that leaves it (return, break, goto) on a
 * condition about a received value: the first error, the first match. */
static bool stop_pre(lh_node *n, lh_node *parent, void *ve)
{
    (void)parent;
    early_ctx *e = ve;
    if (e->found || LH_KIND(n) == LH_FUNC_LIT)
        return false;
    if (LH_KIND(n) != LH_IF_STMT)
        return true;
    const lh_if_stmt *is = LH_AS(n, lh_if_stmt);
    if (!lh_rule_mentions(e->c->sema, is->init, e->vals, e->nvals, e->ch) &&
        !lh_rule_mentions(e->c->sema, is->cond, e->vals, e->nvals, e->ch))
        return true;
    exit_ctx x = {0, false};
    lh_ast_walk(is->body, exit_pre, exit_post, &x);
    if (is->els && !x.exits)
        lh_ast_walk(is->els, exit_pre, exit_post, &x);
    e->found = x.exits;
    return !e->found;
}

static bool stops_on_received(lh_rule_ctx *c, const lh_node *loop, const lh_obj *ch)
{
    early_ctx e = {.c = c, .ch = ch};
    lh_node *body;
    if (LH_KIND(loop) == LH_RANGE_STMT) {
        const lh_range_stmt *r = LH_AS(loop, lh_range_stmt);
        lh_obj *o = r->key && LH_KIND(r->key) == LH_IDENT ? lh_sema_obj_of(c->sema, r->key) : NULL;
        if (o)
            e.vals[e.nvals++] = o;
        body = r->body;
    } else {
        body = LH_AS(loop, lh_for_stmt)->body;
    }
    lh_ast_walk(body, collect_pre, NULL, &e);
    lh_ast_walk(body, stop_pre, NULL, &e);
    return e.found;
}

static void visit(lh_rule_ctx *c, const lh_chan_facts *f, void *unused)
{
    (void)unused;
    /* A channel's senders are the maker's go statements, in its file. */
    if (f->cap < 0 || lh_rule_quiet(c, f->file))
        return;                 /* how many sends fit is not known */
    const lh_chan_go *sender = NULL;
    /* How many sends there will be: one per goroutine (alternative sends
     * in one body are one), times the turns of a loop around the go
     * statement when that loop also runs round the make (a channel made
     * per turn has one sender per turn); -1: not bounded. */
    int64_t total = 0;
    bool covered = false;       /* make(chan T, len(xs)) with one per element */
    for (uint32_t i = 0; i < f->ngo; i++) {
        const lh_chan_go *g = &f->gos[i];
        if (g->use.sends == 0)
            continue;
        if (!sender)
            sender = g;
        int64_t k = 1;
        int64_t counted = g->use.loop_sends && !g->loop ? counted_sends(c, g) : -1;
        if (counted >= 0)
            k = counted + g->use.sends - g->use.loop_sends;
        else if (g->use.loop_sends && sends_repeat(c, g))
            k = -1;
        else if (g->loop && g->loop->pos.off < f->make->n.pos.off && f->make->n.pos.off < g->loop->end)
            k = 1;              /* channel made inside the same loop: per turn */
        else if (g->loop) {
            k = loop_count(c, g->loop);
            if (f->cap > 0 && cap_covers_loop(c, f, g->loop))
                covered = true;
        }
        if (k < 0 || total < 0)
            total = -1;
        else
            total += k;
    }
    if (!sender || covered)
        return;
    if (total >= 0 && f->cap >= total)
        return;                 /* room for every send */
    bool many = total < 0 || total > 1;
    /* Many senders only when each one surely sends. */
    for (uint32_t i = 0; many && i < f->ngo; i++)
        if (f->gos[i].use.sends && !f->gos[i].use.loop_sends && !sends_always(c, &f->gos[i]))
            return;
    const lh_chan_use *own = &f->own;
    /* Receivers among the goroutines themselves: not judged. */
    for (uint32_t i = 0; i < f->ngo; i++) {
        const lh_chan_use *u = &f->gos[i].use;
        if (u->recvs || u->loop_recvs || u->ranges)
            return;
    }
    char why[160];
    if (own->ranges) {
        if (!stops_on_received(c, own->range_stmt, f->ch))
            return;             /* drained to the end, or stopped by a count */
        snprintf(why, sizeof why, "the receiving loop on line %u can end early",
                 own->range_stmt->pos.line);
        report_all(c, f, why);
        return;
    }
    if (own->loop_recvs) {
        /* A goroutine per turn of the receiving loop itself, into a
         * buffer: each turn's send has room (testify's Eventually). */
        if (f->cap > 0 && sender->go->pos.off >= own->recv_loop->pos.off &&
            sender->go->pos.off < own->recv_loop->end)
            return;
        if (!stops_on_received(c, own->recv_loop, f->ch))
            return;
        snprintf(why, sizeof why, "the receiving loop on line %u can end early",
                 own->recv_loop->pos.line);
        report_all(c, f, why);
        return;
    }
    if (own->recvs == 0) {
        /* Into a buffer nobody reads, only the sends beyond its capacity
         * block: proven when we know there are more of them. */
        if (f->cap > 0 && (total < 0 || total <= f->cap))
            return;
        report_all(c, f, "nothing receives from it");
        return;
    }
    if (many) {
        if (total >= 0 && (int64_t)own->recvs + f->cap >= total)
            return;             /* as many receives as sends */
        if (f->cap > 0)
            return;             /* how many senders fit is not provable */
        uint32_t nsenders = 0;
        for (uint32_t i = 0; i < f->ngo; i++)
            nsenders += f->gos[i].use.sends > 0;
        char who[80];
        if (nsenders > 1 && total > (int64_t)nsenders)
            snprintf(who, sizeof who, "%u goroutines send %lld times", nsenders, (long long)total);
        else if (nsenders > 1 || total < 0)
            snprintf(who, sizeof who, "%s", nsenders > 1 ? "several goroutines send"
                                                          : "the goroutine sends in a loop");
        else
            snprintf(who, sizeof who, "the goroutine sends %lld times in a loop", (long long)total);
        if (own->recvs == 1)
            snprintf(why, sizeof why, "the maker receives from it only once (line %u) while %s",
                     own->first_recv->pos.line, who);
        else
            snprintf(why, sizeof why, "the maker receives from it %u times (first on line %u) while %s",
                     own->recvs, own->first_recv->pos.line, who);
        report_all(c, f, why);
        return;
    }
    /* One sender, unbuffered: a path from the go statement that returns
     * without receiving leaves it blocked. */
    lh_cfg *g = lh_rule_cfg(c, f->maker);
    uint32_t idx;
    lh_cfg_block *b = g ? lh_cfg_block_of(g, sender->go, &idx) : NULL;
    if (!b)
        return;
    recv_search r = {c->sema, f->ch};
    lh_cfg_search s = {.visit = stops_at_receive, .ctx = &r, .ends = LH_CFG_RETURN};
    lh_cfg_hit hit;
    if (!lh_cfg_search_from(g, &s, b, idx + 1, &hit))
        return;
    const lh_cfg_block *hb = hit.block;
    if (hb->nnodes > 0 && LH_KIND(hb->nodes[hb->nnodes - 1]) == LH_RETURN_STMT)
        snprintf(why, sizeof why, "the return on line %u is reached without receiving",
                 hb->nodes[hb->nnodes - 1]->pos.line);
    else
        snprintf(why, sizeof why, "the maker can return without receiving");
    report(c, f, sender, why);
}

/* A goroutine sending on an unexported channel field that nothing in the
 * package receives from. */
static void field_visit(lh_rule_ctx *c, const lh_field_chan *f, const lh_field_go *g, void *unused)
{
    (void)unused;
    const lh_chan_use *all = &f->all, *u = &g->use;
    /* Reported at the go statement: f's facts are the package's. */
    if (!u->sends || all->recvs || all->loop_recvs || all->ranges || lh_rule_quiet(c, g->file))
        return;
    char why[160];
    if (all->nmakes == 0 && !lh_rule_type_built(c, f->type))
        return;     /* no value of the type exists: the send is dead code */
    if (all->nmakes == 0)
        snprintf(why, sizeof why, "the field is never made (a nil channel)");
    else if (all->make_cap == 0)
        snprintf(why, sizeof why, "nothing in the package receives from it");
    else if (all->make_cap > 0 && (g->loop || u->loop_sends))
        snprintf(why, sizeof why, "nothing in the package receives from it: once its buffer of "
                 "%lld is full, every send blocks", (long long)all->make_cap);
    else
        return;
    lh_rule_report(c, g->file, g->go,
                   "goroutine sends on the field %.*s.%.*s, but %s: the send blocks forever and "
                   "the goroutine leaks; receive from it, or send in a select with ctx.Done()",
                   (int)f->type->name.len, f->type->name.p, (int)f->name.len, f->name.p, why);
}

/* ---- fan-out by a goroutine per send (seed 002) ------------------------ */

/* The channel a bare send in a goroutine literal's one statement uses,
 * when it is an element of a collection of channels: chans[i], or a local
 * assigned from one (ch := subs[i]). Returns the collection expression. */
static const lh_node *fanout_collection(lh_rule_ctx *c, const lh_func_lit *fl)
{
    const lh_block_stmt *b = LH_AS(fl->body, lh_block_stmt);
    if (b->list.n != 1 || LH_KIND(b->list.v[0]) != LH_SEND_STMT)
        return NULL;
    const lh_node *ch = lh_ast_unparen(LH_AS(b->list.v[0], lh_send_stmt)->chan);
    if (LH_KIND(ch) == LH_IDENT) {
        lh_obj *o = lh_sema_obj_of(c->sema, ch);
        if (!o || o->kind != LH_OBJ_VAR || !o->value)
            return NULL;
        ch = lh_ast_unparen((lh_node *)o->value);
    }
    if (LH_KIND(ch) != LH_INDEX_EXPR)
        return NULL;
    const lh_node *coll = LH_AS(ch, lh_index_expr)->x;
    const lh_type *t = lh_type_underlying(lh_sema_type_of(c->sema, coll));
    const lh_type *e = t && (t->kind == LH_T_SLICE || t->kind == LH_T_MAP || t->kind == LH_T_ARRAY)
                           ? lh_type_underlying(t->elem)
                           : NULL;
    return e && e->kind == LH_T_CHAN ? coll : NULL;
}

/* Whether two expressions name the same thing (identifiers and selector
 * chains resolving to the same objects). */
static bool same_ref(lh_rule_ctx *c, const lh_node *a, const lh_node *b)
{
    a = lh_ast_unparen((lh_node *)a);
    b = lh_ast_unparen((lh_node *)b);
    if (LH_KIND(a) != LH_KIND(b))
        return false;
    if (LH_KIND(a) == LH_IDENT) {
        lh_obj *x = lh_sema_obj_of(c->sema, a);
        return x && x == lh_sema_obj_of(c->sema, b);
    }
    if (LH_KIND(a) == LH_SELECTOR_EXPR) {
        const lh_selector_expr *x = LH_AS(a, lh_selector_expr), *y = LH_AS(b, lh_selector_expr);
        lh_str n1 = LH_AS(x->sel, lh_ident)->name, n2 = LH_AS(y->sel, lh_ident)->name;
        return n1.len == n2.len && memcmp(n1.p, n2.p, n1.len) == 0 && same_ref(c, x->x, y->x);
    }
    return false;
}

typedef struct fan_ctx {
    lh_rule_ctx *c;
    const lh_load_file *f;
} fan_ctx;

static bool fan_visit(lh_node *n, lh_node *const *anc, size_t nanc, void *vx)
{
    fan_ctx *x = vx;
    if (LH_KIND(n) != LH_GO_STMT || LH_KIND(LH_AS(n, lh_go_stmt)->call) != LH_CALL_EXPR)
        return true;
    lh_node *fun = lh_ast_unparen(LH_AS(LH_AS(n, lh_go_stmt)->call, lh_call_expr)->fun);
    if (LH_KIND(fun) != LH_FUNC_LIT)
        return true;
    const lh_node *coll = fanout_collection(x->c, LH_AS(fun, lh_func_lit));
    lh_node *loop = lh_rule_enclosing_loop(anc, nanc);
    if (!coll || !loop || LH_KIND(loop) != LH_RANGE_STMT ||
        !same_ref(x->c, LH_AS(loop, lh_range_stmt)->x, coll))
        return true;
    lh_rule_report(x->c, x->f, n,
                   "a goroutine per send, fanning out over a collection of channels: a bare send "
                   "has no way out, so once one receiver stops reading every later send to it "
                   "blocks forever and its goroutine leaks; send in a select with default (or "
                   "ctx.Done()) instead of a goroutine");
    return true;
}

static void check(lh_rule_ctx *c)
{
    /* Every finding is at a go statement: none outside quiet files, none
     * to report (and the channel facts stay uncomputed until another rule
     * asks). */
    if (!lh_rule_live_gos(c))
        return;
    lh_rule_each_chan(c, visit, NULL);
    lh_rule_each_field_chan(c, field_visit, NULL);
    fan_ctx x = {c, NULL};
    for (size_t i = 0; i < c->nfiles; i++) {
        x.f = c->files[i];
        if (!lh_rule_quiet(c, x.f))
            lh_rule_walk_file(c, i, LH_KIND_SET(LH_GO_STMT), fan_visit, &x);
    }
}

const lh_rule lh_rule_goroutine_blocked_send = {
    .id = "goroutine-blocked-send",
    .summary = "goroutine sends on a channel its maker may stop receiving from",
    .severity = LH_SEV_WARNING,
    .check = check,
    .explain =
        "A goroutine that sends on a channel nobody will receive from blocks\n"
        "forever: it never ends, and its stack and everything it references\n"
        "stay alive. It happens when the function that made the channel stops\n"
        "listening first: it returns early on an error, a select's timeout or\n"
        "ctx.Done() case wins, it takes the first of several answers, or its\n"
        "receiving loop breaks out.\n"
        "\n"
        "Leaky (first answer wins; the other goroutines block forever):\n"
        "\n"
        "    func fastest(urls []string) string {\n"
        "        ch := make(chan string)\n"
        "        for _, u := range urls {\n"
        "            go func(u string) { ch <- fetch(u) }(u)\n"
        "        }\n"
        "        return <-ch\n"
        "    }\n"
        "\n"
        "Fixed: room for every send, so no sender waits for a receiver:\n"
        "\n"
        "        ch := make(chan string, len(urls))\n"
        "\n"
        "or send in a select that also watches ctx.Done().\n"
        "\n"
        "Reported at the go statement, only for channels whose every use is\n"
        "visible: made in the function with make, never handed to code we cannot\n"
        "see. Not reported when every send sits in a select with a default or\n"
        "another case, or when the capacity covers every send.\n",
};
