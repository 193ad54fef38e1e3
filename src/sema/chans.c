/* Channel uses: sends, receives, ranges, closes, hand-offs of one channel
 * variable in a piece of code. The goroutine rules ask it of the function
 * that made the channel and of the goroutines it starts, and prove a leak
 * only when the channel never leaves those. */
#include <stdlib.h>
#include <string.h>

#include "sema/chans.h"

typedef struct cu_ctx {
    lh_sema_pkg *p;
    const lh_obj *ch;
    lh_node *const *skip;
    uint32_t nskip;
    lh_chan_use *u;
    lh_node **stack;
    size_t n, cap;
    uint32_t loops, funclits;
    /* Field mode: the field fname of struct type ftype instead of ch,
     * for each of the fields targets[0..ntargets) in one walk (the
     * ancestors and the loop count do not depend on the field): ftype,
     * fname and u are set to the target a node is a use of. */
    const lh_obj *ftype;
    lh_str fname;
    const lh_chan_field_target *targets;
    size_t ntargets;
    int depth;              /* helpers followed above this walk */
} cu_ctx;

static const lh_obj *param_obj(lh_sema_pkg *p, const lh_node *ftype, uint32_t i);
static void uses_at(lh_sema_pkg *p, const lh_obj *ch, lh_node *root, lh_chan_use *u, int depth);

enum { LH_CHAN_HELPER_DEPTH = 3 };

/* ch passed as argument `arg` of call: a function of this package whose
 * tree we have is followed into (what it does with its parameter is what
 * the call does with ch); anything else is a hand-off. */
static void helper_call(cu_ctx *c, const lh_call_expr *call, const lh_node *arg)
{
    lh_chan_use *u = c->u;
    lh_obj *f = lh_sema_callee(c->p, call);
    if (!f || f->kind != LH_OBJ_FUNC || f->frozen || f->pkg != c->p || !f->decl ||
        LH_KIND(f->decl) != LH_FUNC_DECL || !LH_AS(f->decl, lh_func_decl)->body ||
        call->ellipsis.line || c->depth >= LH_CHAN_HELPER_DEPTH) {
        u->handed = true;
        return;
    }
    for (uint32_t i = 0; i < call->args.n; i++) {
        if (call->args.v[i] != arg)
            continue;
        const lh_obj *po = param_obj(c->p, LH_AS(f->decl, lh_func_decl)->type, i);
        if (!po) {
            u->handed = true;
            return;
        }
        lh_chan_use sub;
        memset(&sub, 0, sizeof sub);
        uses_at(c->p, po, LH_AS(f->decl, lh_func_decl)->body, &sub, c->depth + 1);
        if (sub.handed)
            u->handed = true;
        /* Called in a loop, the helper's operations repeat. */
        if (c->loops) {
            u->loop_recvs += sub.recvs + sub.loop_recvs;
            u->loop_sends += sub.sends;
            if (sub.recvs + sub.loop_recvs && !u->recv_loop)
                u->handed = true;   /* no loop node to judge it by: not followed */
        } else {
            u->recvs += sub.recvs;
            u->loop_recvs += sub.loop_recvs;
            u->loop_sends += sub.loop_sends;
            if (sub.recvs && !u->first_recv)
                u->first_recv = call->fun;
            if (sub.loop_recvs)
                u->handed = true;   /* its loop is in another function: not judged */
        }
        u->sends += sub.sends;
        u->soft_sends += sub.soft_sends;
        u->soft_recvs += sub.soft_recvs;
        u->ranges += sub.ranges;
        if (sub.ranges)
            u->handed = true;       /* a range in another function: not judged */
        u->closes |= sub.closes;
        return;
    }
    u->handed = true;
}

static lh_node *up(const cu_ctx *c, size_t k)
{
    return k < c->n ? c->stack[c->n - 1 - k] : NULL;
}

static bool in_scope(const cu_ctx *c, const lh_node *loop)
{
    if (!c->ch)
        return true;        /* a field lives longer than any loop */
    const lh_node *def = c->ch->ident;
    return !def || loop->pos.off > def->pos.off || loop->end < def->pos.off;
}

/* A send statement that is a select's comm: whether that select has
 * another way out (a default or another case). */
static bool soft(const cu_ctx *c)
{
    /* stack: ... SelectStmt, BlockStmt, CommClause, SendStmt(top) */
    lh_node *cc = up(c, 1), *blk = up(c, 2), *sel = up(c, 3);
    if (!cc || LH_KIND(cc) != LH_COMM_CLAUSE || !blk || !sel || LH_KIND(sel) != LH_SELECT_STMT)
        return false;
    /* The clause's comm, not a send in its body: that one runs after the
     * case fired and blocks like any other. */
    if (LH_AS(cc, lh_comm_clause)->comm != up(c, 0))
        return false;
    return LH_AS(blk, lh_block_stmt)->list.n > 1;
}

static void occurrence(cu_ctx *c, lh_node *id)
{
    lh_chan_use *u = c->u;
    if (c->funclits && !c->ftype) {
        u->handed = true;       /* a closure captured the variable */
        return;
    }
    lh_node *par = up(c, 0);
    if (!par) {
        u->handed = true;
        return;
    }
    switch (LH_KIND(par)) {
    case LH_SEND_STMT:
        if (LH_AS(par, lh_send_stmt)->chan != id) {
            u->handed = true;       /* sent as a value */
            return;
        }
        if (soft(c)) {
            u->soft_sends++;
        } else {
            u->sends++;
            if (c->loops) {
                u->loop_sends++;
                if (u->nloop_send_v < 4)
                    u->loop_send_v[u->nloop_send_v++] = par;
            }
        }
        return;
    case LH_UNARY_EXPR:
        if (LH_AS(par, lh_unary_expr)->op != LH_TOK_ARROW) {
            u->handed = true;       /* &ch */
            return;
        }
        {
            /* case <-ch: / case v := <-ch: in a select with another case */
            size_t k = 1;
            lh_node *a = up(c, k);
            if (a && (LH_KIND(a) == LH_EXPR_STMT || LH_KIND(a) == LH_ASSIGN_STMT))
                a = up(c, ++k);
            lh_node *blk = up(c, k + 1), *sel = up(c, k + 2);
            if (a && LH_KIND(a) == LH_COMM_CLAUSE && LH_AS(a, lh_comm_clause)->comm == up(c, k - 1) &&
                blk && sel && LH_KIND(sel) == LH_SELECT_STMT &&
                LH_AS(blk, lh_block_stmt)->list.n > 1)
                u->soft_recvs++;
        }
        if (c->loops) {
            if (!u->loop_recvs)
                for (size_t k = 0; k < c->n; k++) {
                    lh_node *a = up(c, k);
                    if ((LH_KIND(a) == LH_FOR_STMT || LH_KIND(a) == LH_RANGE_STMT) &&
                        in_scope(c, a)) {
                        u->recv_loop = a;
                        break;
                    }
                }
            u->loop_recvs++;
        } else {
            if (!u->recvs)
                u->first_recv = par;
            u->recvs++;
        }
        return;
    case LH_RANGE_STMT:
        if (LH_AS(par, lh_range_stmt)->x == id) {
            if (!u->ranges)
                u->range_stmt = par;
            u->ranges++;
            return;
        }
        break;
    case LH_CALL_EXPR: {
        const lh_call_expr *call = LH_AS(par, lh_call_expr);
        lh_obj *f = lh_sema_callee(c->p, call);
        if (f && f->kind == LH_OBJ_BUILTIN && call->fun != id) {
            lh_str nm = f->name;
            if (nm.len == 5 && memcmp(nm.p, "close", 5) == 0) {
                u->closes = true;
                return;
            }
            if ((nm.len == 3 && (memcmp(nm.p, "len", 3) == 0 || memcmp(nm.p, "cap", 3) == 0)))
                return;
        }
        if (call->fun != id && !c->ftype) {
            helper_call(c, call, id);
            return;
        }
        break;
    }
    case LH_BINARY_EXPR:
        return;                     /* ch == nil */
    case LH_ASSIGN_STMT: {
        /* x.f = make(chan T, N): the field's channel is made here. */
        const lh_assign_stmt *as = LH_AS(par, lh_assign_stmt);
        for (uint32_t i = 0; c->ftype && i < as->lhs.n; i++)
            if (as->lhs.v[i] == id && as->lhs.n == as->rhs.n) {
                const lh_node *r = lh_ast_unparen(as->rhs.v[i]);
                if (LH_KIND(r) == LH_CALL_EXPR) {
                    int64_t cap = lh_sema_make_cap(c->p, LH_AS(r, lh_call_expr));
                    lh_obj *f = lh_sema_callee(c->p, LH_AS(r, lh_call_expr));
                    if (f && f->kind == LH_OBJ_BUILTIN && f->name.len == 4 &&
                        memcmp(f->name.p, "make", 4) == 0) {
                        lh_chan_note_make(u, cap);
                        return;
                    }
                }
            }
        break;
    }
    default:
        break;
    }
    u->handed = true;
}

static bool skipped(const cu_ctx *c, const lh_node *n)
{
    for (uint32_t i = 0; i < c->nskip; i++)
        if (c->skip[i] == n)
            return true;
    return false;
}

/* Whether t reaches ftype's fields by promotion: t's struct embeds ftype
 * (or *ftype), two levels deep at most, and declares no field of that
 * name itself. */
static bool promotes(const lh_type *t, const lh_obj *ftype, lh_str name, int depth)
{
    const lh_type *u = lh_type_underlying(t);
    if (!u || u->kind != LH_T_STRUCT || depth > 2)
        return false;
    for (uint32_t i = 0; i < u->nfields; i++)
        if (!u->fields[i].embedded && u->fields[i].name.len == name.len &&
            memcmp(u->fields[i].name.p, name.p, name.len) == 0)
            return false;   /* its own field shadows the promoted one */
    for (uint32_t i = 0; i < u->nfields; i++) {
        if (!u->fields[i].embedded)
            continue;
        const lh_type *e = lh_type_deref(u->fields[i].type);
        if (e && e->kind == LH_T_NAMED && e->obj == ftype)
            return true;
        if (e && promotes(e, ftype, name, depth + 1))
            return true;
    }
    return false;
}

static bool same_name(lh_str a, lh_str b)
{
    return a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
}

/* x.f with x of type T or *T, or of a type embedding T, for the targets
 * (T, f): each one's use. The type of x is asked only when some target has
 * the selector's name. */
static void field_selector(cu_ctx *c, lh_node *n)
{
    const lh_selector_expr *se = LH_AS(n, lh_selector_expr);
    lh_str s = LH_AS(se->sel, lh_ident)->name;
    const lh_type *t = NULL;
    bool typed = false;
    for (size_t i = 0; i < c->ntargets; i++) {
        const lh_chan_field_target *tg = &c->targets[i];
        if (!same_name(s, tg->field))
            continue;
        if (!typed) {
            t = lh_type_deref(lh_sema_type_of(c->p, se->x));
            typed = true;
        }
        if (t && ((t->kind == LH_T_NAMED && t->obj == tg->type) ||
                  promotes(t, tg->type, tg->field, 0))) {
            c->ftype = tg->type;
            c->fname = tg->field;
            c->u = tg->u;
            occurrence(c, n);
        }
    }
}

/* T{f: make(chan X, N)} and T{f: other}: the field's channel made, or
 * set from elsewhere. */
static void field_literal(cu_ctx *c, lh_node *n)
{
    const lh_composite_lit *cl = LH_AS(n, lh_composite_lit);
    for (uint32_t i = 0; i < cl->elts.n; i++) {
        lh_node *e = cl->elts.v[i];
        if (LH_KIND(e) != LH_KEY_VALUE_EXPR) {
            c->u->handed = true;    /* positional: not followed */
            continue;
        }
        lh_key_value_expr *kv = LH_AS(e, lh_key_value_expr);
        if (LH_KIND(kv->key) == LH_IDENT &&
            LH_AS(kv->key, lh_ident)->name.len == c->fname.len &&
            memcmp(LH_AS(kv->key, lh_ident)->name.p, c->fname.p, c->fname.len) == 0) {
            const lh_node *v = lh_ast_unparen(kv->value);
            lh_obj *f = LH_KIND(v) == LH_CALL_EXPR ? lh_sema_callee(c->p, LH_AS(v, lh_call_expr)) : NULL;
            if (f && f->kind == LH_OBJ_BUILTIN && f->name.len == 4 && memcmp(f->name.p, "make", 4) == 0)
                lh_chan_note_make(c->u, lh_sema_make_cap(c->p, LH_AS(v, lh_call_expr)));
            else
                c->u->handed = true;
        }
    }
}

static bool cu_pre(lh_node *n, lh_node *parent, void *vc)
{
    (void)parent;
    cu_ctx *c = vc;
    if (skipped(c, n))
        return false;
    if (!c->ftype && LH_KIND(n) == LH_IDENT && lh_sema_obj_of(c->p, n) == c->ch &&
        c->ch->ident != n)
        occurrence(c, n);
    if (c->targets && LH_KIND(n) == LH_SELECTOR_EXPR)
        field_selector(c, n);
    if (c->targets && LH_KIND(n) == LH_COMPOSITE_LIT) {
        const lh_type *t = lh_sema_type_of(c->p, n);
        for (size_t i = 0; t && t->kind == LH_T_NAMED && i < c->ntargets; i++)
            if (t->obj == c->targets[i].type) {
                c->ftype = c->targets[i].type;
                c->fname = c->targets[i].field;
                c->u = c->targets[i].u;
                field_literal(c, n);
            }
    }
    if (LH_KIND(n) == LH_FUNC_LIT)
        c->funclits++;
    /* Only loops inside the channel's scope repeat its operations: a loop
     * around the make makes a new channel every turn. */
    if ((LH_KIND(n) == LH_FOR_STMT || LH_KIND(n) == LH_RANGE_STMT) && in_scope(c, n))
        c->loops++;
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 32;
        c->stack = realloc(c->stack, c->cap * sizeof *c->stack);
        if (!c->stack)
            abort();
    }
    c->stack[c->n++] = n;
    return true;
}

static void cu_post(lh_node *n, lh_node *parent, void *vc)
{
    (void)parent;
    cu_ctx *c = vc;
    if (c->n == 0 || c->stack[c->n - 1] != n)
        return;                 /* a skipped subtree: never pushed */
    if (LH_KIND(n) == LH_FUNC_LIT)
        c->funclits--;
    if ((LH_KIND(n) == LH_FOR_STMT || LH_KIND(n) == LH_RANGE_STMT) && in_scope(c, n))
        c->loops--;
    c->n--;
}

static void uses_at(lh_sema_pkg *p, const lh_obj *ch, lh_node *root, lh_chan_use *u, int depth)
{
    cu_ctx c = {.p = p, .ch = ch, .u = u, .depth = depth};
    lh_ast_walk(root, cu_pre, cu_post, &c);
    free(c.stack);
}

void lh_chan_uses(lh_sema_pkg *p, const lh_obj *ch, lh_node *root, lh_node *const *skip,
                  uint32_t nskip, lh_chan_use *u)
{
    cu_ctx c = {.p = p, .ch = ch, .skip = skip, .nskip = nskip, .u = u};
    /* A range statement's X is a child of the range: the loop counter is
     * raised on entering the range, so `for range ch` itself is not a
     * receive "in a loop" -- it is a range, classified by its parent. */
    lh_ast_walk(root, cu_pre, cu_post, &c);
    free(c.stack);
}

void lh_chan_note_make(lh_chan_use *u, int64_t cap)
{
    if (u->nmakes++ == 0)
        u->make_cap = cap;
    else if (u->make_cap != cap)
        u->make_cap = -1;       /* made with different capacities */
}

void lh_chan_field_uses(lh_sema_pkg *p, const lh_chan_field_target *t, size_t nt, lh_node *root)
{
    if (nt == 0)
        return;
    /* ftype non-NULL is field mode throughout. */
    cu_ctx c = {.p = p, .targets = t, .ntargets = nt, .ftype = t[0].type, .fname = t[0].field,
                .u = t[0].u};
    lh_ast_walk(root, cu_pre, cu_post, &c);
    free(c.stack);
}

/* The i-th parameter object of a function type's parameter list in p. */
static const lh_obj *param_obj(lh_sema_pkg *p, const lh_node *ftype, uint32_t i)
{
    const lh_func_type *ft = LH_AS(ftype, lh_func_type);
    if (!ft->params)
        return NULL;
    const lh_field_list *fl = LH_AS(ft->params, lh_field_list);
    uint32_t k = 0;
    for (uint32_t f = 0; f < fl->list.n; f++) {
        const lh_field *fd = LH_AS(fl->list.v[f], lh_field);
        if (LH_KIND(fd->type) == LH_ELLIPSIS)
            return NULL;
        uint32_t m = fd->names.n ? fd->names.n : 1;
        if (i < k + m)
            return fd->names.n ? lh_sema_obj_of(p, fd->names.v[i - k]) : NULL;
        k += m;
    }
    return NULL;
}

static bool is_ch(lh_sema_pkg *p, const lh_node *e, const lh_obj *ch)
{
    e = lh_ast_unparen((lh_node *)e);
    return LH_KIND(e) == LH_IDENT && lh_sema_obj_of(p, e) == ch;
}

static bool mentions(lh_sema_pkg *p, lh_node *n, const lh_obj *ch);

bool lh_go_target(lh_sema_pkg *p, const lh_go_stmt *g, const lh_obj *ch, lh_sema_pkg **tp,
                  lh_node **body, const lh_obj **target)
{
    const lh_call_expr *call = LH_AS(g->call, lh_call_expr);
    if (LH_KIND(g->call) != LH_CALL_EXPR)
        return false;
    lh_node *fun = lh_ast_unparen(call->fun);
    const lh_node *ftype = NULL;
    *tp = p;
    *target = NULL;
    if (LH_KIND(fun) == LH_FUNC_LIT) {
        ftype = LH_AS(fun, lh_func_lit)->type;
        *body = LH_AS(fun, lh_func_lit)->body;
        *target = ch;       /* captured, unless passed below */
    } else {
        lh_obj *f = lh_sema_callee(p, call);
        /* A method value's receiver is not among the call's arguments:
         * parameters map one to one all the same. */
        if (!f || f->kind != LH_OBJ_FUNC || f->frozen || f->pkg != p || !f->decl ||
            LH_KIND(f->decl) != LH_FUNC_DECL || !LH_AS(f->decl, lh_func_decl)->body)
            return false;
        ftype = LH_AS(f->decl, lh_func_decl)->type;
        *body = LH_AS(f->decl, lh_func_decl)->body;
    }
    /* The channel inside an argument (a closure, a composite literal)
     * rather than as one: where it goes is not followed. */
    for (uint32_t i = 0; i < call->args.n; i++)
        if (!is_ch(p, call->args.v[i], ch) && mentions(p, call->args.v[i], ch))
            return false;
    for (uint32_t i = 0; i < call->args.n; i++)
        if (is_ch(p, call->args.v[i], ch)) {
            const lh_obj *po = param_obj(p, ftype, i);
            if (!po)
                return false;
            if (*target && *target != ch)
                return false;       /* passed twice: aliasing, not followed */
            *target = po;
        }
    return true;
}

typedef struct mention_ctx {
    lh_sema_pkg *p;
    const lh_obj *ch;
    bool found;
} mention_ctx;

static bool mention_pre(lh_node *n, lh_node *parent, void *vm)
{
    (void)parent;
    mention_ctx *m = vm;
    if (LH_KIND(n) == LH_IDENT && lh_sema_obj_of(m->p, n) == m->ch)
        m->found = true;
    return !m->found;
}

static bool mentions(lh_sema_pkg *p, lh_node *n, const lh_obj *ch)
{
    mention_ctx m = {p, ch, false};
    lh_ast_walk(n, mention_pre, NULL, &m);
    return m.found;
}

bool lh_go_mentions(lh_sema_pkg *p, const lh_go_stmt *g, const lh_obj *ch)
{
    return mentions(p, g->call, ch);
}
