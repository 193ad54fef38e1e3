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
 * its goroutines wait on their own connection, not on a shared channel.
 * Nor is one whose listener caps its open connections (Accept waits for a
 * slot: netutil.LimitListener, or a type of the package shaped like it),
 * nor a goroutine waiting on a channel its function closes on every way
 * out: the loop's end releases them all. */
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
    lh_rule_ctx *c;
    const lh_node *skip;        /* the go statement */
    bool bounded;
} bound_ctx;

static bool limited_listener(lh_rule_ctx *c, const lh_node *e, int depth);

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
    case LH_CALL_EXPR: {
        /* The turns come from a listener's Accept: the bound may be in
         * the listener. */
        const lh_call_expr *call = LH_AS(n, lh_call_expr);
        lh_node *fun = lh_ast_unparen(call->fun);
        if (call->args.n == 0 && LH_KIND(fun) == LH_SELECTOR_EXPR &&
            lh_ident_is(LH_AS(fun, lh_selector_expr)->sel, "Accept") &&
            limited_listener(b->c, LH_AS(fun, lh_selector_expr)->x, 0))
            b->bounded = true;
        break;
    }
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

/* ---- a bound in the listener producing the turns ----------------------
 *
 * An accept loop's turns come from Accept. A listener that caps its open
 * connections makes Accept wait while the cap is reached, so at most that
 * many handlers exist. Two shapes: netutil.LimitListener's (Accept first
 * puts a token in a buffered channel, the connection's Close takes it
 * out) and a token pool's (Accept takes a token out of a channel filled
 * up front, discarding it, and Close gives it back). A receive whose value
 * Accept keeps is no token: an in-memory listener receiving connections
 * from its Dial is not capped. */

/* Wrappers known to build such listeners. */
static const struct {
    const char *path, *name;
} limiters[] = {
    {"golang.org/x/net/netutil", "LimitListener"},
    {"go.etcd.io/etcd/pkg/transport", "LimitListener"},
    {"go.etcd.io/etcd/client/pkg/v3/transport", "LimitListener"},
};

static bool known_limiter(lh_sema_pkg *p, const lh_call_expr *call)
{
    lh_obj *o = lh_sema_callee(p, call);
    lh_node *fun = lh_ast_unparen(call->fun);
    lh_obj *pn = NULL;
    if (LH_KIND(fun) == LH_SELECTOR_EXPR) {
        lh_node *x = lh_ast_unparen(LH_AS(fun, lh_selector_expr)->x);
        pn = LH_KIND(x) == LH_IDENT ? lh_sema_obj_of(p, x) : NULL;
        if (pn && (pn->kind != LH_OBJ_PKGNAME || !pn->path))
            pn = NULL;
    }
    for (size_t i = 0; i < sizeof limiters / sizeof limiters[0]; i++) {
        if (lh_sema_obj_is(o, limiters[i].path, NULL, limiters[i].name))
            return true;
        /* A package outside what was loaded: its functions are not
         * resolved, its import path and the name are all there is. */
        if (pn && strcmp(pn->path, limiters[i].path) == 0 &&
            lh_ident_is(LH_AS(fun, lh_selector_expr)->sel, limiters[i].name))
            return true;
    }
    return false;
}

static const lh_func_decl *module_body(lh_sema_pkg *p, const lh_obj *o)
{
    if (!o || o->kind != LH_OBJ_FUNC || o->frozen || o->pkg != p || !o->decl ||
        LH_KIND(o->decl) != LH_FUNC_DECL || !LH_AS(o->decl, lh_func_decl)->body)
        return NULL;
    return LH_AS(o->decl, lh_func_decl);
}

/* A function or method of the module whose code we do not have (another
 * package of the module, already frozen): what it does is unknown. */
static bool module_unseen(lh_sema_pkg *p, const lh_obj *o)
{
    return o && o->kind == LH_OBJ_FUNC && o->pkg && !o->pkg->stub && !module_body(p, o);
}

static const lh_obj *recv_obj(lh_sema_pkg *p, const lh_func_decl *d)
{
    const lh_field_list *r = d->recv ? LH_AS(d->recv, lh_field_list) : NULL;
    if (!r || r->list.n == 0 || LH_AS(r->list.v[0], lh_field)->names.n == 0)
        return NULL;
    return lh_sema_obj_of(p, LH_AS(r->list.v[0], lh_field)->names.v[0]);
}

enum { MAX_POOL_FIELDS = 4 };

typedef struct slot_ctx {
    lh_sema_pkg *p;
    const lh_obj *recv;         /* acquire: the method's receiver */
    bool pool;                  /* looking for dropped receives, not sends */
    lh_str field[MAX_POOL_FIELDS];  /* the channel fields holding the slots */
    int nfield;
    int depth;
    bool found;                 /* release: the token goes back */
} slot_ctx;

static bool acquire_pre(lh_node *n, lh_node *parent, void *vs);

/* Whether method d, itself or through a method it calls on the
 * receiver's type, takes a slot through a channel field of its receiver,
 * alone or in a select without default: with s->pool false a send (the
 * first decides: an error path takes the token back after); with it true
 * the receives whose value is dropped (a select's cases may watch other
 * channels too, a shutdown's: every such field is a candidate). Adds the
 * fields to s->field. */
static bool acquires(slot_ctx *s, const lh_func_decl *d)
{
    const lh_obj *outer = s->recv;
    s->recv = recv_obj(s->p, d);
    if (s->recv)
        lh_ast_walk(d->body, acquire_pre, NULL, s);
    s->recv = outer;
    return s->nfield > 0;
}

/* The field of a channel the receiver holds: `recv.field`, else NULL. */
static const lh_node *recv_field(const slot_ctx *s, lh_node *ch)
{
    ch = lh_ast_unparen(ch);
    if (LH_KIND(ch) != LH_SELECTOR_EXPR)
        return NULL;
    lh_node *x = lh_ast_unparen(LH_AS(ch, lh_selector_expr)->x);
    return LH_KIND(x) == LH_IDENT && lh_sema_obj_of(s->p, x) == s->recv
               ? LH_AS(ch, lh_selector_expr)->sel
               : NULL;
}

static bool slots_full(const slot_ctx *s)
{
    return s->pool ? s->nfield == MAX_POOL_FIELDS : s->nfield > 0;
}

static void add_field(slot_ctx *s, const lh_node *sel)
{
    lh_str f = LH_AS(sel, lh_ident)->name;
    for (int i = 0; i < s->nfield; i++)
        if (s->field[i].len == f.len && memcmp(s->field[i].p, f.p, f.len) == 0)
            return;
    if (s->nfield < MAX_POOL_FIELDS)
        s->field[s->nfield++] = f;
}

static bool acquire_pre(lh_node *n, lh_node *parent, void *vs)
{
    (void)parent;
    slot_ctx *s = vs;
    if (slots_full(s) || LH_KIND(n) == LH_FUNC_LIT)
        return false;
    if (LH_KIND(n) == LH_SELECT_STMT) {
        lh_block_stmt *blk = LH_AS(LH_AS(n, lh_select_stmt)->body, lh_block_stmt);
        for (uint32_t i = 0; i < blk->list.n; i++)
            if (!LH_AS(blk->list.v[i], lh_comm_clause)->comm)
                return false;   /* a try: Accept does not wait */
    } else if (LH_KIND(n) == LH_SEND_STMT && !s->pool) {
        const lh_node *sel = recv_field(s, LH_AS(n, lh_send_stmt)->chan);
        if (sel)
            add_field(s, sel);
    } else if (LH_KIND(n) == LH_EXPR_STMT && s->pool) {
        /* `<-l.tokens` alone, or as a select case: the value is dropped */
        lh_node *x = lh_ast_unparen(LH_AS(n, lh_expr_stmt)->x);
        const lh_node *sel = LH_KIND(x) == LH_UNARY_EXPR && LH_AS(x, lh_unary_expr)->op == LH_TOK_ARROW
                                 ? recv_field(s, LH_AS(x, lh_unary_expr)->x)
                                 : NULL;
        if (sel)
            add_field(s, sel);
    } else if (LH_KIND(n) == LH_CALL_EXPR && s->depth == 0) {
        /* l.acquire(): a helper of the same type. */
        const lh_func_decl *d = module_body(s->p, lh_sema_callee(s->p, LH_AS(n, lh_call_expr)));
        lh_node *fun = lh_ast_unparen(LH_AS(n, lh_call_expr)->fun);
        lh_node *x = LH_KIND(fun) == LH_SELECTOR_EXPR ? lh_ast_unparen(LH_AS(fun, lh_selector_expr)->x)
                                                       : NULL;
        if (d && d->recv && x && LH_KIND(x) == LH_IDENT && lh_sema_obj_of(s->p, x) == s->recv) {
            s->depth++;
            acquires(s, d);
            s->depth--;
        }
    }
    return !slots_full(s);
}

static bool release_pre(lh_node *n, lh_node *parent, void *vs)
{
    (void)parent;
    slot_ctx *s = vs;
    if (s->found)
        return false;
    lh_node *x = NULL;
    if (!s->pool && LH_KIND(n) == LH_UNARY_EXPR && LH_AS(n, lh_unary_expr)->op == LH_TOK_ARROW)
        x = lh_ast_unparen(LH_AS(n, lh_unary_expr)->x);
    else if (s->pool && LH_KIND(n) == LH_SEND_STMT)
        x = lh_ast_unparen(LH_AS(n, lh_send_stmt)->chan);
    if (x && LH_KIND(x) == LH_SELECTOR_EXPR) {
        lh_str f = LH_AS(LH_AS(x, lh_selector_expr)->sel, lh_ident)->name;
        s->found = f.len == s->field[0].len && memcmp(f.p, s->field[0].p, f.len) == 0;
    }
    return !s->found;
}

/* Whether a method of the package other than Accept gives the token back
 * through a channel field of that name (takes it out after a send, puts
 * it back after a pool's receive): the connection's Close, or the release
 * helper it is handed. */
static bool released(lh_rule_ctx *c, lh_str field, bool pool, const lh_node *accept)
{
    slot_ctx s = {.p = c->sema, .pool = pool, .field = {field}, .nfield = 1};
    for (size_t k = 0; k < c->nfiles && !s.found; k++) {
        const lh_file *f = c->files[k]->ast;
        for (uint32_t i = 0; i < f->decls.n && !s.found; i++) {
            lh_node *d = f->decls.v[i];
            if (d != accept && LH_KIND(d) == LH_FUNC_DECL && LH_AS(d, lh_func_decl)->recv &&
                LH_AS(d, lh_func_decl)->body)
                lh_ast_walk(LH_AS(d, lh_func_decl)->body, release_pre, NULL, &s);
        }
    }
    return s.found;
}

/* Whether values of type t are listeners whose Accept waits for a slot.
 * An Accept of the module we cannot see may: not known to be unbounded. */
static bool limited_type(lh_rule_ctx *c, const lh_type *t)
{
    t = lh_type_deref(t);
    const lh_type *u = lh_type_underlying(t);
    if (!t || t->kind != LH_T_NAMED || !t->obj || !t->obj->pkg || t->obj->pkg->stub || !u ||
        u->kind == LH_T_INTERFACE)
        return false;
    lh_obj *m = lh_type_method(t, "Accept", 6);
    if (!m || !m->pkg || m->pkg->stub)
        return false;       /* none, or promoted from an embedded net.Listener */
    const lh_func_decl *d = module_body(c->sema, m);
    if (!d)
        return module_unseen(c->sema, m);
    /* netutil's shape first, then a token pool's */
    for (int pool = 0; pool < 2; pool++) {
        slot_ctx s = {.p = c->sema, .pool = pool};
        if (acquires(&s, d))
            for (int i = 0; i < s.nfield; i++)
                if (released(c, s.field[i], pool, m->decl))
                    return true;
    }
    return false;
}

typedef struct assigned_ctx {
    lh_rule_ctx *c;
    const lh_obj *v;
    int depth;
    bool limited;
} assigned_ctx;

static bool assigned_pre(lh_node *n, lh_node *parent, void *va)
{
    (void)parent;
    assigned_ctx *a = va;
    if (a->limited)
        return false;
    if (LH_KIND(n) == LH_ASSIGN_STMT) {
        const lh_assign_stmt *as = LH_AS(n, lh_assign_stmt);
        for (uint32_t i = 0; i < as->lhs.n; i++) {
            if (LH_KIND(as->lhs.v[i]) != LH_IDENT || lh_sema_obj_of(a->c->sema, as->lhs.v[i]) != a->v)
                continue;
            const lh_node *rhs = as->lhs.n == as->rhs.n ? as->rhs.v[i]
                                 : as->rhs.n == 1 && i == 0 ? as->rhs.v[0] : NULL;
            if (rhs && limited_listener(a->c, rhs, a->depth + 1))
                a->limited = true;
        }
    }
    return !a->limited;
}

/* Whether the listener expression e -- Accept's operand, or what it was
 * built from -- caps its connections: a known wrapper's result, a value
 * of a type whose Accept waits for a slot, a local variable some
 * assignment sets to one, a function of the module returning one (or one
 * we cannot see). A parameter, a field or a standard-library listener
 * is not. */
static bool limited_listener(lh_rule_ctx *c, const lh_node *e, int depth)
{
    if (!e || depth > 4)
        return false;
    lh_sema_pkg *p = c->sema;
    e = lh_ast_unparen((lh_node *)e);
    if (LH_KIND(e) == LH_UNARY_EXPR && LH_AS(e, lh_unary_expr)->op == LH_TOK_AND)
        e = lh_ast_unparen(LH_AS(e, lh_unary_expr)->x);
    if (limited_type(c, lh_sema_type_of(p, e)))
        return true;
    if (LH_KIND(e) == LH_CALL_EXPR) {
        const lh_call_expr *call = LH_AS(e, lh_call_expr);
        if (known_limiter(p, call))
            return true;
        lh_obj *o = lh_sema_callee(p, call);
        const lh_func_decl *d = module_body(p, o);
        if (!d)
            return module_unseen(p, o);
        /* Each value it returns. */
        lh_cfg *g = lh_rule_cfg(c, o->decl);
        for (uint32_t b = 0; g && b < g->nblocks; b++) {
            const lh_cfg_block *blk = g->blocks[b];
            if (blk->term != LH_CFG_RETURN || blk->nnodes == 0)
                continue;
            const lh_node *r = blk->nodes[blk->nnodes - 1];
            if (LH_KIND(r) == LH_RETURN_STMT && LH_AS(r, lh_return_stmt)->results.n > 0 &&
                limited_listener(c, LH_AS(r, lh_return_stmt)->results.v[0], depth + 1))
                return true;
        }
        return false;
    }
    if (LH_KIND(e) == LH_IDENT) {
        const lh_obj *v = lh_sema_obj_of(p, e);
        if (!v || v->kind != LH_OBJ_VAR || !v->func || (v->flags & (LH_VAR_PKG | LH_VAR_PARAM)))
            return false;
        if (v->value && limited_listener(c, v->value, depth + 1))
            return true;
        lh_node *body = LH_KIND(v->func) == LH_FUNC_DECL ? LH_AS(v->func, lh_func_decl)->body
                                                         : LH_AS(v->func, lh_func_lit)->body;
        assigned_ctx a = {c, v, depth, false};
        if (body)
            lh_ast_walk(body, assigned_pre, NULL, &a);
        return a.limited;
    }
    return false;
}

/* ---- a channel the function closes on its way out ----------------------- */

typedef struct close_ctx {
    lh_sema_pkg *p;
    const lh_obj *ch;
    bool found;
} close_ctx;

static bool close_pre(lh_node *n, lh_node *parent, void *vc)
{
    (void)parent;
    close_ctx *k = vc;
    if (k->found)
        return false;
    if (LH_KIND(n) == LH_CALL_EXPR) {
        const lh_call_expr *call = LH_AS(n, lh_call_expr);
        lh_obj *o = lh_sema_callee(k->p, call);
        if (o && o->kind == LH_OBJ_BUILTIN && o->name.len == 5 && memcmp(o->name.p, "close", 5) == 0 &&
            call->args.n == 1) {
            lh_node *a = lh_ast_unparen(call->args.v[0]);
            k->found = LH_KIND(a) == LH_IDENT && lh_sema_obj_of(k->p, a) == k->ch;
        }
    }
    return !k->found;
}

/* close(ch) as a statement, or deferred (directly or in a deferred
 * literal): from there on, the function's way out closes ch. */
static lh_cfg_visit stop_at_close(lh_node *n, void *vc)
{
    close_ctx *k = vc;
    if (LH_KIND(n) != LH_EXPR_STMT && LH_KIND(n) != LH_DEFER_STMT)
        return LH_CFG_CONTINUE;
    close_ctx in = {k->p, k->ch, false};
    lh_node *call = LH_KIND(n) == LH_EXPR_STMT ? lh_ast_unparen(LH_AS(n, lh_expr_stmt)->x)
                                               : LH_AS(n, lh_defer_stmt)->call;
    if (LH_KIND(n) == LH_DEFER_STMT)
        lh_ast_walk(call, close_pre, NULL, &in);
    else if (LH_KIND(call) == LH_CALL_EXPR)
        close_pre(call, NULL, &in);
    return in.found ? LH_CFG_STOP_PATH : LH_CFG_CONTINUE;
}

/* Whether fn makes ch and closes it on every path out (or defers the
 * close): its goroutines are all released when fn returns, not left. */
static bool closed_on_exit(lh_rule_ctx *c, lh_node *fn, const lh_obj *ch)
{
    if (!fn || ch->func != fn || (ch->flags & (LH_VAR_PKG | LH_VAR_PARAM | LH_VAR_RESULT)))
        return false;
    lh_cfg *g = lh_rule_cfg(c, fn);
    if (!g || g->nblocks == 0 || !lh_cfg_can_return(g))
        return false;       /* never returns: never closes */
    close_ctx k = {c->sema, ch, false};
    lh_cfg_search q = {.visit = stop_at_close, .ctx = &k, .ends = LH_CFG_RETURN};
    return !lh_cfg_search_from(g, &q, g->blocks[0], 0, NULL);
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
    bound_ctx b = {x->c, n, false};
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
    if (!w.on || closed_on_exit(x->c, lh_rule_enclosing_func(anc, nanc), w.on))
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
        /* Each go statement is judged on its own (what it asks of the
         * package's other functions is kept nowhere) and reported in its
         * file. */
        if (!lh_rule_quiet(c, x.f))
            lh_rule_walk_file(c, i, LH_KIND_SET(LH_GO_STMT), visit, &x);
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
        "the loop bounds the goroutines (no channel operation, no Wait, no\n"
        "Accept on a listener that caps its open connections, such as\n"
        "netutil.LimitListener), and the goroutine blocks receiving from a\n"
        "channel declared outside the loop that the function does not close on\n"
        "its way out.\n",
};
