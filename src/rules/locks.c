/* Self-deadlocks of goroutines: see locks.h. */
#include "rules/locks.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sema/cfg.h"
#include "sema/sema.h"

#define LK_MAXF 4       /* fields after the root: s.a.b.mu */
#define LK_MAXACQ 8     /* locks a summary keeps */
#define LK_MAXUNL 8     /* names of mutexes a summary may unlock */
#define LK_DEPTH 3      /* calls followed from the goroutine's function */

enum { LK_NONE, LK_LOCK, LK_RLOCK, LK_UNLOCK, LK_RUNLOCK };

/* Messages nest (a call chain says what its callee does): each is cut to
 * its buffer on purpose, so through vsnprintf, which the compiler does
 * not second-guess about truncation. */
static void say(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, n, fmt, ap);
    va_end(ap);
}

typedef struct lk_path {
    const lh_obj *root;
    lh_str f[LK_MAXF];
    uint8_t n;
    bool rw;            /* a sync.RWMutex */
    const void *owner;  /* the struct type (its TYPE object) holding the
                         * mutex field, or the variable that is the mutex;
                         * NULL when unknown (mutex_op only) */
} lk_path;

/* A lock a function takes before any branch: its root is the receiver
 * (param -1), parameter `param`, or a package-level variable (root). */
typedef struct lk_acq {
    int param;
    const lh_obj *root;
    lh_str f[LK_MAXF];
    uint8_t n;
    bool write;
    bool rw;
    const void *owner;
} lk_acq;

typedef struct lk_sum {
    uint8_t state;          /* 1 computing, 2 done */
    lk_acq acq[LK_MAXACQ];
    uint8_t nacq;
    lh_str unl[LK_MAXUNL];  /* last names of the mutexes it may unlock */
    uint8_t nunl;
    bool unl_any;           /* may unlock what we cannot name */
    /* Locks it may return holding (a path from the Lock to a return that
     * passes no Unlock): computed on demand, ret_state as state. */
    uint8_t ret_state;
    lk_acq ret[LK_MAXACQ];
    uint8_t nret;
} lk_sum;

typedef struct lk_verdict {
    uint8_t state;          /* 1 computing, 2 done */
    bool dead;
    char why[256];
} lk_verdict;

static bool str_eq(lh_str a, lh_str b)
{
    return a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
}

static lh_str ident_str(const lh_node *n)
{
    return LH_AS(n, lh_ident)->name;
}

/* s.a.mu as a path; NULL roots (a call's result, an index) fail. */
static bool expr_path(lh_sema_pkg *p, lh_node *e, lk_path *out)
{
    e = lh_ast_unparen(e);
    switch (LH_KIND(e)) {
    case LH_IDENT: {
        lh_obj *o = lh_sema_obj_of(p, e);
        if (!o || o->kind != LH_OBJ_VAR)
            return false;
        out->root = o;
        out->n = 0;
        return true;
    }
    case LH_SELECTOR_EXPR: {
        lh_selector_expr *s = LH_AS(e, lh_selector_expr);
        lh_node *x = lh_ast_unparen(s->x);
        if (LH_KIND(x) == LH_IDENT) {
            lh_obj *o = lh_sema_obj_of(p, x);
            if (o && o->kind == LH_OBJ_PKGNAME)  /* pkg.Var */
                return expr_path(p, s->sel, out);
        }
        if (!expr_path(p, x, out) || out->n == LK_MAXF)
            return false;
        out->f[out->n++] = ident_str(s->sel);
        return true;
    }
    case LH_STAR_EXPR:
        return expr_path(p, LH_AS(e, lh_star_expr)->x, out);
    case LH_UNARY_EXPR:
        if (LH_AS(e, lh_unary_expr)->op != LH_TOK_AND)
            return false;
        return expr_path(p, LH_AS(e, lh_unary_expr)->x, out);
    default:
        return false;
    }
}

static bool path_eq(const lk_path *a, const lk_path *b)
{
    if (a->root != b->root || a->n != b->n)
        return false;
    for (uint8_t i = 0; i < a->n; i++)
        if (!str_eq(a->f[i], b->f[i]))
            return false;
    return true;
}

static void path_fmt(const lk_path *p, char *buf, size_t n)
{
    int k = snprintf(buf, n, "%.*s", (int)p->root->name.len, p->root->name.p);
    for (uint8_t i = 0; i < p->n && k >= 0 && (size_t)k < n; i++)
        k += snprintf(buf + k, n - (size_t)k, ".%.*s", (int)p->f[i].len, p->f[i].p);
}

/* The name that identifies a mutex in unlock summaries: its last field,
 * or its root when it has none. */
static lh_str path_last(const lk_path *p)
{
    return p->n ? p->f[p->n - 1] : p->root->name;
}

static bool is_sync_mutex(const lh_type *t)
{
    return lh_type_is_named(t, "sync", "Mutex") || lh_type_is_named(t, "sync", "RWMutex");
}

/* X.Lock(), X.RLock(), X.Unlock(), X.RUnlock() on a sync.Mutex or
 * RWMutex (promoted from an embedded one: the path ends in its field). */
static int mutex_op(lh_sema_pkg *p, const lh_call_expr *call, lk_path *out)
{
    lh_node *fun = lh_ast_unparen(call->fun);
    if (LH_KIND(fun) != LH_SELECTOR_EXPR || call->args.n)
        return LK_NONE;
    lh_node *sel = LH_AS(fun, lh_selector_expr)->sel;
    static const char *const names[] = {"Lock", "RLock", "Unlock", "RUnlock"};
    int op = LK_NONE;
    for (int i = 0; i < 4; i++)
        if (lh_ident_is(sel, names[i]))
            op = LK_LOCK + i;
    if (op == LK_NONE)
        return LK_NONE;
    lh_obj *o = lh_sema_callee(p, call);
    const char *name = names[op - LK_LOCK];
    if (!lh_sema_obj_is(o, "sync", "Mutex", name) && !lh_sema_obj_is(o, "sync", "RWMutex", name))
        return LK_NONE;
    lh_node *x = LH_AS(fun, lh_selector_expr)->x;
    if (!expr_path(p, x, out))
        return LK_NONE;
    out->rw = lh_sema_obj_is(o, "sync", "RWMutex", name);
    out->owner = NULL;
    const lh_type *t = lh_type_deref(lh_sema_type_of(p, x));
    if (is_sync_mutex(t)) {
        lh_node *ux = lh_ast_unparen(x);
        if (LH_KIND(ux) == LH_SELECTOR_EXPR) {
            const lh_type *ot = lh_type_deref(lh_sema_type_of(p, LH_AS(ux, lh_selector_expr)->x));
            if (ot && ot->kind == LH_T_NAMED)
                out->owner = ot->obj;
        } else if (out->n == 0) {
            out->owner = out->root;
        }
        return op;
    }
    if (t && t->kind == LH_T_NAMED)
        out->owner = t->obj;
    /* Promoted: the one embedded mutex of the struct. */
    const lh_type *u = lh_type_underlying(t);
    if (!u || u->kind != LH_T_STRUCT || out->n == LK_MAXF)
        return LK_NONE;
    const lh_tfield *hit = NULL;
    for (uint32_t i = 0; i < u->nfields; i++) {
        const lh_tfield *f = &u->fields[i];
        if (f->embedded && f->type && is_sync_mutex(lh_type_deref(f->type))) {
            if (hit)
                return LK_NONE;
            hit = f;
        }
    }
    if (!hit)
        return LK_NONE;
    out->f[out->n++] = hit->name;
    return op;
}

/* ---- calls in a node, in evaluation order ------------------------------- */

typedef struct calls_ctx {
    const lh_call_expr *v[32];
    uint32_t n;
    bool more;      /* more than fit */
} calls_ctx;

static bool calls_pre(lh_node *n, lh_node *parent, void *vc)
{
    (void)parent;
    calls_ctx *c = vc;
    return LH_KIND(n) != LH_FUNC_LIT && !(c->n && c->more);
}

/* Post-order: arguments' calls before the call that takes them. */
static void calls_post(lh_node *n, lh_node *parent, void *vc)
{
    (void)parent;
    calls_ctx *c = vc;
    if (LH_KIND(n) != LH_CALL_EXPR)
        return;
    if (c->n == 32)
        c->more = true;
    else
        c->v[c->n++] = LH_AS(n, lh_call_expr);
}

/* The calls a node makes now: not in function literals, not those of a
 * go statement's goroutine, not deferred ones. */
static void node_calls(lh_node *n, calls_ctx *c)
{
    c->n = 0;
    c->more = false;
    if (LH_KIND(n) == LH_DEFER_STMT || LH_KIND(n) == LH_GO_STMT)
        return;
    lh_ast_walk(n, calls_pre, calls_post, c);
}

/* The package's own function declaration a call runs, or NULL. */
static const lh_node *pkg_callee(lh_locks *l, const lh_call_expr *call)
{
    lh_obj *o = lh_sema_callee(l->c->sema, call);
    if (!o || o->kind != LH_OBJ_FUNC || o->frozen || o->pkg != l->c->sema || !o->decl ||
        LH_KIND(o->decl) != LH_FUNC_DECL || !LH_AS(o->decl, lh_func_decl)->body)
        return NULL;
    return o->decl;
}

/* Whether a call goes to a function value (a variable, a field, a
 * closure): code we cannot see, which may capture anything. */
static bool calls_value(lh_sema_pkg *p, const lh_call_expr *call)
{
    lh_node *f = lh_ast_unparen(call->fun);
    if (LH_KIND(f) == LH_FUNC_LIT)
        return true;
    lh_obj *o = lh_sema_callee(p, call);
    if (o)
        return o->kind == LH_OBJ_VAR;
    if (LH_KIND(f) == LH_IDENT) {
        lh_obj *v = lh_sema_obj_of(p, f);
        return !v || v->kind == LH_OBJ_VAR;
    }
    return false;   /* a method of a type we do not know */
}

/* ---- summaries ---------------------------------------------------------- */

static lk_sum *summary(lh_locks *l, const lh_node *decl);

/* Which parameter (the receiver is -1) obj is in decl, or -2. */
static int param_index(lh_sema_pkg *p, const lh_func_decl *d, const lh_obj *o)
{
    if (d->recv) {
        lh_field_list *fl = LH_AS(d->recv, lh_field_list);
        for (uint32_t i = 0; i < fl->list.n; i++) {
            lh_field *f = LH_AS(fl->list.v[i], lh_field);
            for (uint32_t k = 0; k < f->names.n; k++)
                if (lh_sema_obj_of(p, f->names.v[k]) == o)
                    return -1;
        }
    }
    lh_node *params = LH_AS(d->type, lh_func_type)->params;
    if (!params)
        return -2;
    lh_field_list *fl = LH_AS(params, lh_field_list);
    int idx = 0;
    for (uint32_t i = 0; i < fl->list.n; i++) {
        lh_field *f = LH_AS(fl->list.v[i], lh_field);
        if (!f->names.n) {
            idx++;
            continue;
        }
        for (uint32_t k = 0; k < f->names.n; k++, idx++)
            if (lh_sema_obj_of(p, f->names.v[k]) == o)
                return idx;
    }
    return -2;
}

/* The callee's lock a, in the caller's terms at call. */
static bool map_acq(lh_locks *l, const lh_call_expr *call, const lk_acq *a, lk_path *out)
{
    lh_sema_pkg *p = l->c->sema;
    if (a->param == -2) {
        out->root = a->root;
        out->n = 0;
    } else if (a->param == -1) {
        lh_node *f = lh_ast_unparen(call->fun);
        if (LH_KIND(f) != LH_SELECTOR_EXPR || !expr_path(p, LH_AS(f, lh_selector_expr)->x, out))
            return false;
    } else {
        if ((uint32_t)a->param >= call->args.n || call->ellipsis.line ||
            !expr_path(p, call->args.v[a->param], out))
            return false;
    }
    if (out->n + a->n > LK_MAXF)
        return false;
    out->rw = a->rw;
    out->owner = a->owner;
    for (uint8_t i = 0; i < a->n; i++)
        out->f[out->n++] = a->f[i];
    return true;
}

static void add_unl(lk_sum *s, lh_str name)
{
    for (uint8_t i = 0; i < s->nunl; i++)
        if (str_eq(s->unl[i], name))
            return;
    if (s->nunl == LK_MAXUNL)
        s->unl_any = true;
    else
        s->unl[s->nunl++] = name;
}

static bool may_unlock(const lk_sum *s, const lk_path *p)
{
    if (s->unl_any)
        return true;
    lh_str last = path_last(p);
    for (uint8_t i = 0; i < s->nunl; i++)
        if (str_eq(s->unl[i], last))
            return true;
    return false;
}

typedef struct unl_ctx {
    lh_locks *l;
    lk_sum *s;
    const lh_func_decl *d;
} unl_ctx;

/* Every unlock in the body (closures included: they may run), and what
 * the package functions it calls may unlock. */
static bool unl_pre(lh_node *n, lh_node *parent, void *vu)
{
    (void)parent;
    unl_ctx *u = vu;
    if (LH_KIND(n) != LH_CALL_EXPR)
        return true;
    const lh_call_expr *call = LH_AS(n, lh_call_expr);
    lh_sema_pkg *p = u->l->c->sema;
    lk_path q;
    int op = mutex_op(p, call, &q);
    if (op == LK_UNLOCK || op == LK_RUNLOCK) {
        add_unl(u->s, path_last(&q));
        return true;
    }
    if (op != LK_NONE)
        return true;
    const lh_node *callee = pkg_callee(u->l, call);
    if (callee) {
        lk_sum *cs = summary(u->l, callee);
        if (!cs || cs->state != 2) {
            u->s->unl_any = true;   /* recursion: we cannot tell yet */
            return true;
        }
        if (cs->unl_any)
            u->s->unl_any = true;
        for (uint8_t i = 0; i < cs->nunl; i++)
            add_unl(u->s, cs->unl[i]);
        return true;
    }
    if (calls_value(p, call))
        u->s->unl_any = true;
    return true;
}

/* Where a lock of decl's body is rooted, in a caller's terms: the
 * receiver (-1), a parameter (its index) or a package variable (-2);
 * false for a local, which no caller can hold. */
static bool acq_param(lh_sema_pkg *p, const lh_func_decl *d, const lh_obj *root, int *pi)
{
    *pi = (root->flags & LH_VAR_PKG) ? -2 : param_index(p, d, root);
    return *pi != -2 || (root->flags & LH_VAR_PKG);
}

static void set_acq(lk_acq *a, int pi, const lk_path *q, bool write)
{
    a->param = pi;
    a->root = q->root;
    a->n = q->n;
    memcpy(a->f, q->f, sizeof a->f);
    a->write = write;
    a->rw = q->rw;
    a->owner = q->owner;
}

static void prefix_calls(lh_locks *l, lk_sum *s, const lh_func_decl *d, lh_node *stmt,
                         lk_path *touched, uint32_t *ntouched)
{
    lh_sema_pkg *p = l->c->sema;
    calls_ctx cc;
    node_calls(stmt, &cc);
    for (uint32_t i = 0; i < cc.n; i++) {
        const lh_call_expr *call = cc.v[i];
        lk_path got[LK_MAXACQ];
        bool write[LK_MAXACQ];
        uint32_t ngot = 0;
        lk_path q;
        int op = mutex_op(p, call, &q);
        if (op != LK_NONE) {
            got[0] = q;
            write[0] = op == LK_LOCK;
            ngot = 1;
            if (op == LK_UNLOCK || op == LK_RUNLOCK)
                ngot = 0;
            /* Its first operation decides: an Unlock first releases. */
            bool seen = false;
            for (uint32_t t = 0; t < *ntouched; t++)
                seen |= path_eq(&touched[t], &q);
            if (!seen && *ntouched < 16)
                touched[(*ntouched)++] = q;
            if (seen)
                ngot = 0;
        } else {
            const lh_node *callee = pkg_callee(l, call);
            lk_sum *cs = callee ? summary(l, callee) : NULL;
            if (!cs || cs->state != 2)
                continue;
            for (uint8_t k = 0; k < cs->nacq && ngot < LK_MAXACQ; k++) {
                if (map_acq(l, call, &cs->acq[k], &got[ngot])) {
                    write[ngot] = cs->acq[k].write;
                    ngot++;
                }
            }
            for (uint32_t k = 0; k < ngot;) {
                bool seen = false;
                for (uint32_t t = 0; t < *ntouched; t++)
                    seen |= path_eq(&touched[t], &got[k]);
                if (!seen && *ntouched < 16)
                    touched[(*ntouched)++] = got[k];
                if (seen) {
                    got[k] = got[--ngot];
                    write[k] = write[ngot];
                } else {
                    k++;
                }
            }
        }
        for (uint32_t k = 0; k < ngot && s->nacq < LK_MAXACQ; k++) {
            int pi;
            if (acq_param(p, d, got[k].root, &pi))
                set_acq(&s->acq[s->nacq++], pi, &got[k], write[k]);
        }
    }
}

static lk_sum *summary(lh_locks *l, const lh_node *decl)
{
    lk_sum *s = lh_ptrmap_get(&l->sums, decl);
    if (s)
        return s;
    s = LH_NEW(&l->c->cfg_arena, lk_sum);
    s->state = 1;
    lh_ptrmap_put(&l->sums, decl, s);
    const lh_func_decl *d = LH_AS(decl, lh_func_decl);
    lh_block_stmt *body = LH_AS(d->body, lh_block_stmt);
    /* Locks taken before the first branch. A `for {` with no condition
     * runs its body at least once: its leading statements count too. */
    lk_path touched[16];
    uint32_t ntouched = 0;
    const lh_list *list = &body->list;
    for (uint32_t i = 0; i < list->n; i++) {
        lh_node *st = list->v[i];
        uint8_t k = LH_KIND(st);
        if (k == LH_DEFER_STMT || k == LH_GO_STMT || k == LH_EMPTY_STMT)
            continue;
        if (k == LH_FOR_STMT && !LH_AS(st, lh_for_stmt)->init && !LH_AS(st, lh_for_stmt)->cond) {
            list = &LH_AS(LH_AS(st, lh_for_stmt)->body, lh_block_stmt)->list;
            i = (uint32_t)-1;
            continue;
        }
        if (k != LH_EXPR_STMT && k != LH_ASSIGN_STMT && k != LH_DECL_STMT && k != LH_INC_DEC_STMT &&
            k != LH_SEND_STMT && k != LH_RETURN_STMT)
            break;
        prefix_calls(l, s, d, st, touched, &ntouched);
        if (k == LH_RETURN_STMT)
            break;
    }
    unl_ctx u = {l, s, d};
    lh_ast_walk(d->body, unl_pre, NULL, &u);
    s->state = 2;
    return s;
}

/* ---- writers of read-write mutexes --------------------------------------- */

typedef struct writers_ctx {
    lh_locks *l;
} writers_ctx;

static bool writers_pre(lh_node *n, lh_node *const *anc, size_t nanc, void *vw)
{
    (void)anc;
    (void)nanc;
    lh_locks *l = ((writers_ctx *)vw)->l;
    lk_path q;
    if (LH_KIND(n) == LH_CALL_EXPR && mutex_op(l->c->sema, LH_AS(n, lh_call_expr), &q) == LK_LOCK &&
        q.rw && q.owner) {
        lh_str last = path_last(&q);
        for (uint32_t i = 0; i < l->nwriters; i++)
            if (l->writer_owners[i] == q.owner && str_eq(l->writers[i], last))
                return true;
        if (l->nwriters == LH_LOCKS_MAXWRITERS) {
            l->writers_any = true;
        } else {
            l->writer_owners[l->nwriters] = q.owner;
            l->writers[l->nwriters++] = last;
        }
    }
    return true;
}

/* Whether the package write-locks this read-write mutex (the same field
 * of the same struct type, or the same variable) somewhere: then a read lock taken while holding a read lock can
 * deadlock (a writer waiting between the two blocks the second RLock,
 * and the writer waits for the first: sync.RWMutex forbids recursive
 * read locking). */
static bool has_writer(lh_locks *l, const lk_path *p)
{
    if (!l->writers_done) {
        l->writers_done = true;
        writers_ctx w = {l};
        for (size_t i = 0; i < l->c->nfiles; i++)
            lh_rule_walk_file(l->c, i, LH_KIND_SET(LH_CALL_EXPR), writers_pre, &w);
    }
    if (!p->owner)
        return false;
    if (l->writers_any)
        return true;
    lh_str last = path_last(p);
    for (uint32_t i = 0; i < l->nwriters; i++)
        if (l->writer_owners[i] == p->owner && str_eq(l->writers[i], last))
            return true;
    return false;
}

/* Whether taking a lock (write or not) blocks while held is held. */
static bool conflicts(lh_locks *l, const lk_path *held, bool held_write, bool write)
{
    return held_write || write || (held->rw && has_writer(l, held));
}

/* ---- searching for the second lock ------------------------------------- */

typedef struct lk_search {
    lh_locks *l;
    lk_path held;
    bool write;
    bool ret_mode;          /* looking for a return, not a second lock */
    char *why;
    size_t n;
} lk_search;

static lh_cfg_visit search_visit(lh_node *n, void *vs)
{
    lk_search *s = vs;
    lh_sema_pkg *p = s->l->c->sema;
    calls_ctx cc;
    node_calls(n, &cc);
    if (cc.more)
        return LH_CFG_STOP_PATH;
    for (uint32_t i = 0; i < cc.n; i++) {
        const lh_call_expr *call = cc.v[i];
        lk_path q;
        int op = mutex_op(p, call, &q);
        if (op != LK_NONE) {
            if (!path_eq(&q, &s->held))
                continue;
            if (op == LK_UNLOCK || op == LK_RUNLOCK)
                return LH_CFG_STOP_PATH;
            if (conflicts(s->l, &s->held, s->write, op == LK_LOCK)) {
                if (s->ret_mode)
                    return LH_CFG_STOP_PATH;
                say(s->why, s->n, "%s on line %u",
                         s->write || op == LK_LOCK ? "takes it again"
                                                   : "read-locks it again (a writer waiting in between deadlocks both)",
                         call->n.pos.line);
                return LH_CFG_FOUND;
            }
            continue;
        }
        const lh_node *callee = pkg_callee(s->l, call);
        if (callee) {
            lk_sum *cs = summary(s->l, callee);
            if (!cs || cs->state != 2)
                return LH_CFG_STOP_PATH;
            for (uint8_t k = 0; k < cs->nacq; k++) {
                lk_path m;
                if (map_acq(s->l, call, &cs->acq[k], &m) && path_eq(&m, &s->held) &&
                    conflicts(s->l, &s->held, s->write, cs->acq[k].write)) {
                    if (s->ret_mode)
                        return LH_CFG_STOP_PATH;
                    lh_str name = ident_str(LH_AS(callee, lh_func_decl)->name);
                    say(s->why, s->n, "calls %.*s on line %u, which %s", (int)name.len, name.p,
                             call->n.pos.line,
                             s->write || cs->acq[k].write
                                 ? "takes it again"
                                 : "read-locks it again (a writer waiting in between deadlocks both)");
                    return LH_CFG_FOUND;
                }
            }
            if (may_unlock(cs, &s->held))
                return LH_CFG_STOP_PATH;
            continue;
        }
        lh_obj *o = lh_sema_callee(p, call);
        if (o && o->kind == LH_OBJ_BUILTIN)
            continue;   /* len, append, ...: unlock nothing */
        lh_node *fun = lh_ast_unparen(call->fun);
        if (LH_KIND(fun) == LH_IDENT && (o = lh_sema_obj_of(p, fun)) && o->kind == LH_OBJ_TYPE)
            continue;   /* a conversion */
        if (calls_value(p, call) || lh_rule_mentions(p, &call->n, &s->held.root, 1, NULL))
            return LH_CFG_STOP_PATH;    /* code we cannot see may unlock it */
    }
    return LH_CFG_CONTINUE;
}

typedef struct elsewhere_ctx {
    lh_locks *l;
    const lh_node *fn;
    const lk_path *held;
    bool hit;
} elsewhere_ctx;

static bool elsewhere_visit(lh_node *n, lh_node *const *anc, size_t nanc, void *ve)
{
    elsewhere_ctx *e = ve;
    if (e->hit)
        return false;
    lk_path q;
    if (LH_KIND(n) == LH_CALL_EXPR && lh_rule_enclosing_func(anc, nanc) != e->fn) {
        int op = mutex_op(e->l->c->sema, LH_AS(n, lh_call_expr), &q);
        e->hit = (op == LK_UNLOCK || op == LK_RUNLOCK) && path_eq(&q, e->held);
    }
    return !e->hit;
}

/* Whether another goroutine may release a local mutex: a function other
 * than fn, inside the function that declares it, unlocks it (the test
 * that locks in a goroutine and unlocks from the one that started it). */
static bool unlocked_elsewhere(lh_locks *l, const lh_node *fn, const lk_path *held)
{
    const lh_obj *r = held->root;
    if ((r->flags & LH_VAR_PKG) || !r->func)
        return false;
    /* From the declaring function itself, so that its own calls have it
     * as their enclosing function. */
    elsewhere_ctx e = {l, fn, held, false};
    lh_rule_walk((lh_node *)r->func, elsewhere_visit, &e);
    return e.hit;
}

/* The lock a statement takes: a Lock or RLock call, or a call of the
 * package's function that may return holding one (mapped). */
static int stmt_takes(lh_locks *l, lh_node *st, lk_path *held, uint32_t *nheld, bool *write,
                      lh_str *via);

typedef struct defer_ctx {
    lh_locks *l;
    const lk_path *p;
    int in_defer;
    bool yes;
} defer_ctx;

static bool defer_pre(lh_node *n, lh_node *parent, void *vd)
{
    (void)parent;
    defer_ctx *d = vd;
    if (d->yes)
        return false;
    if (LH_KIND(n) == LH_DEFER_STMT) {
        d->in_defer++;
        return true;
    }
    if (!d->in_defer)
        return LH_KIND(n) != LH_FUNC_LIT;   /* a closure's defers are its own */
    if (LH_KIND(n) != LH_CALL_EXPR)
        return true;
    const lh_call_expr *call = LH_AS(n, lh_call_expr);
    lh_sema_pkg *p = d->l->c->sema;
    lk_path q;
    int op = mutex_op(p, call, &q);
    if (op == LK_UNLOCK || op == LK_RUNLOCK) {
        d->yes = path_eq(&q, d->p);
        return true;
    }
    const lh_node *callee = pkg_callee(d->l, call);
    lk_sum *cs = callee ? summary(d->l, callee) : NULL;
    if (callee)
        d->yes = !cs || cs->state != 2 || may_unlock(cs, d->p);
    else
        d->yes = calls_value(p, call) || lh_rule_mentions(p, &call->n, &d->p->root, 1, NULL);
    return !d->yes;
}

static void defer_post(lh_node *n, lh_node *parent, void *vd)
{
    (void)parent;
    if (LH_KIND(n) == LH_DEFER_STMT)
        ((defer_ctx *)vd)->in_defer--;
}

/* Whether a deferred call of decl may release p when it returns. */
static bool deferred_unlock(lh_locks *l, const lh_node *decl, const lk_path *p)
{
    defer_ctx d = {l, p, 0, false};
    lh_ast_walk(LH_AS(decl, lh_func_decl)->body, defer_pre, defer_post, &d);
    return d.yes;
}

/* Locks decl may return holding: for lock helpers (`func (s *S) lock()
 * { s.mu.Lock() }`) and loops that break out holding the lock. */
static void ret_holds(lh_locks *l, const lh_node *decl, lk_sum *s)
{
    if (s->ret_state)
        return;
    s->ret_state = 1;
    lh_cfg *g = lh_rule_cfg(l->c, decl);
    const lh_func_decl *d = LH_AS(decl, lh_func_decl);
    for (uint32_t b = 0; g && b < g->nblocks; b++) {
        lh_cfg_block *blk = g->blocks[b];
        for (uint32_t k = 0; blk->live && k < blk->nnodes; k++) {
            lk_path held[LK_MAXACQ];
            bool write[LK_MAXACQ];
            uint32_t nheld = 0;
            lh_str via;
            stmt_takes(l, blk->nodes[k], held, &nheld, write, &via);
            for (uint32_t h = 0; h < nheld && s->nret < LK_MAXACQ; h++) {
                int pi;
                if (!acq_param(l->c->sema, d, held[h].root, &pi) ||
                    deferred_unlock(l, decl, &held[h]))
                    continue;
                lk_search q = {.l = l, .held = held[h], .write = write[h], .ret_mode = true};
                lh_cfg_search cs = {.visit = search_visit, .ctx = &q, .ends = LH_CFG_RETURN};
                if (lh_cfg_search_from(g, &cs, blk, k + 1, NULL))
                    set_acq(&s->ret[s->nret++], pi, &held[h], write[h]);
            }
        }
    }
    s->ret_state = 2;
}

static int stmt_takes(lh_locks *l, lh_node *st, lk_path *held, uint32_t *nheld, bool *write,
                      lh_str *via)
{
    *nheld = 0;
    via->p = NULL;
    via->len = 0;
    if (LH_KIND(st) != LH_EXPR_STMT)
        return 0;
    lh_node *x = lh_ast_unparen(LH_AS(st, lh_expr_stmt)->x);
    if (LH_KIND(x) != LH_CALL_EXPR)
        return 0;
    const lh_call_expr *call = LH_AS(x, lh_call_expr);
    int op = mutex_op(l->c->sema, call, &held[0]);
    if (op == LK_LOCK || op == LK_RLOCK) {
        write[0] = op == LK_LOCK;
        *nheld = 1;
        return op;
    }
    if (op != LK_NONE)
        return 0;
    const lh_node *callee = pkg_callee(l, call);
    lk_sum *cs = callee ? summary(l, callee) : NULL;
    if (!cs || cs->state != 2)
        return 0;
    ret_holds(l, callee, cs);
    if (cs->ret_state != 2)
        return 0;
    for (uint8_t k = 0; k < cs->nret && *nheld < LK_MAXACQ; k++)
        if (map_acq(l, call, &cs->ret[k], &held[*nheld])) {
            write[*nheld] = cs->ret[k].write;
            (*nheld)++;
        }
    *via = ident_str(LH_AS(callee, lh_func_decl)->name);
    return *nheld ? LK_LOCK : 0;
}

/* The function's own second lock on some path, with no unlock between. */
static bool own_deadlock(lh_locks *l, const lh_node *fn, char *why, size_t n)
{
    lh_cfg *g = lh_rule_cfg(l->c, fn);
    if (!g)
        return false;
    for (uint32_t b = 0; b < g->nblocks; b++) {
        lh_cfg_block *blk = g->blocks[b];
        if (!blk->live)
            continue;
        for (uint32_t k = 0; k < blk->nnodes; k++) {
            lh_node *st = blk->nodes[k];
            lk_path held[LK_MAXACQ];
            bool write[LK_MAXACQ];
            uint32_t nheld = 0;
            lh_str via;
            stmt_takes(l, st, held, &nheld, write, &via);
            for (uint32_t h = 0; h < nheld; h++) {
                lk_search s = {.l = l, .held = held[h], .write = write[h], .why = NULL, .n = 0};
                if (unlocked_elsewhere(l, fn, &s.held))
                    continue;
                char tail[160];
                s.why = tail;
                s.n = sizeof tail;
                lh_cfg_search q = {.visit = search_visit, .ctx = &s};
                if (lh_cfg_search_from(g, &q, blk, k + 1, NULL)) {
                    char name[64];
                    path_fmt(&s.held, name, sizeof name);
                    if (via.len)
                        say(why, n,
                                 "calls %.*s on line %u, which can return holding %.60s, and "
                                 "then %.140s",
                                 (int)(via.len > 40 ? 40 : via.len), via.p, st->pos.line, name,
                                 tail);
                    else
                        say(why, n, "%s %.60s on line %u and, still holding it, %.140s",
                                 s.write ? "locks" : "read-locks", name, st->pos.line, tail);
                    return true;
                }
            }
        }
    }
    return false;
}

static bool deadlocks(lh_locks *l, const lh_node *fn, int depth, char *why, size_t n)
{
    lk_verdict *v = lh_ptrmap_get(&l->verdicts, fn);
    if (v) {
        if (v->state == 2 && v->dead)
            say(why, n, "%s", v->why);
        return v->state == 2 && v->dead;
    }
    v = LH_NEW(&l->c->cfg_arena, lk_verdict);
    v->state = 1;
    lh_ptrmap_put(&l->verdicts, fn, v);
    v->dead = own_deadlock(l, fn, v->why, sizeof v->why);
    lh_cfg *g = v->dead || depth >= LK_DEPTH ? NULL : lh_rule_cfg(l->c, fn);
    for (uint32_t b = 0; g && b < g->nblocks && !v->dead; b++) {
        lh_cfg_block *blk = g->blocks[b];
        for (uint32_t k = 0; blk->live && k < blk->nnodes && !v->dead; k++) {
            calls_ctx cc;
            node_calls(blk->nodes[k], &cc);
            for (uint32_t i = 0; i < cc.n && !v->dead; i++) {
                const lh_node *callee = pkg_callee(l, cc.v[i]);
                char inner[256];
                if (!callee || callee == fn || !deadlocks(l, callee, depth + 1, inner, sizeof inner))
                    continue;
                lh_str name = ident_str(LH_AS(callee, lh_func_decl)->name);
                say(v->why, sizeof v->why, "calls %.*s (line %u), which %.180s", (int)name.len > 40 ? 40 : (int)name.len,
                         name.p, cc.v[i]->n.pos.line, inner);
                v->dead = true;
            }
        }
    }
    /* A verdict reached below the top may have stopped early for depth:
     * only the full answer is memoised as such. */
    v->state = 2;
    if (v->dead)
        say(why, n, "%s", v->why);
    return v->dead;
}

void lh_locks_init(lh_locks *l, lh_rule_ctx *c)
{
    memset(l, 0, sizeof *l);
    l->c = c;
}

void lh_locks_free(lh_locks *l)
{
    lh_ptrmap_free(&l->sums);
    lh_ptrmap_free(&l->verdicts);
}

bool lh_locks_goroutine_deadlocks(lh_locks *l, const lh_node *fn, char *why, size_t n)
{
    return deadlocks(l, fn, 0, why, n);
}

/* ---- a Cond field nobody signals ------------------------------------------ */

typedef struct cond_ctx {
    lh_locks *l;
    const lh_obj *type;
    lh_str name;
    bool signalled, handed;
} cond_ctx;

static bool cond_pre(lh_node *n, lh_node *const *anc, size_t nanc, void *vc)
{
    cond_ctx *k = vc;
    lh_node *parent = nanc ? anc[nanc - 1] : NULL;
    if (k->signalled || k->handed)
        return false;
    if (LH_KIND(n) != LH_SELECTOR_EXPR)
        return true;
    const lh_selector_expr *se = LH_AS(n, lh_selector_expr);
    if (!str_eq(ident_str(se->sel), k->name))
        return true;
    const lh_type *t = lh_type_deref(lh_sema_type_of(k->l->c->sema, se->x));
    if (!t || t->kind != LH_T_NAMED || t->obj != k->type)
        return true;
    if (parent && LH_KIND(parent) == LH_SELECTOR_EXPR && LH_AS(parent, lh_selector_expr)->x == n) {
        lh_node *m = LH_AS(parent, lh_selector_expr)->sel;
        if (lh_ident_is(m, "Signal") || lh_ident_is(m, "Broadcast"))
            k->signalled = true;
        else if (!lh_ident_is(m, "Wait") && !lh_ident_is(m, "L"))
            k->handed = true;
        return true;
    }
    if (parent && LH_KIND(parent) == LH_ASSIGN_STMT) {
        const lh_assign_stmt *as = LH_AS(parent, lh_assign_stmt);
        for (uint32_t i = 0; i < as->lhs.n; i++)
            if (as->lhs.v[i] == n && as->rhs.n == as->lhs.n) {
                lh_node *r = lh_ast_unparen(as->rhs.v[i]);
                lh_obj *o = LH_KIND(r) == LH_CALL_EXPR
                                ? lh_sema_callee(k->l->c->sema, LH_AS(r, lh_call_expr))
                                : NULL;
                if (lh_sema_obj_is(o, "sync", NULL, "NewCond"))
                    return true;    /* made here */
            }
    }
    k->handed = true;   /* copied, passed, returned: followed no further */
    return true;
}

/* A Wait on x.f, a Cond field of a struct type of this package that only
 * this package reaches, when nothing in the package signals x.f. */
static bool unsignalled_wait(lh_locks *l, const lh_call_expr *call, char *why, size_t n)
{
    lh_sema_pkg *p = l->c->sema;
    lh_obj *o = lh_sema_callee(p, call);
    if (!lh_sema_obj_is(o, "sync", "Cond", "Wait"))
        return false;
    lh_node *f = lh_ast_unparen(call->fun);
    lh_node *x = LH_KIND(f) == LH_SELECTOR_EXPR ? lh_ast_unparen(LH_AS(f, lh_selector_expr)->x) : NULL;
    if (!x || LH_KIND(x) != LH_SELECTOR_EXPR)
        return false;
    const lh_selector_expr *se = LH_AS(x, lh_selector_expr);
    const lh_type *t = lh_type_deref(lh_sema_type_of(p, se->x));
    lh_str name = ident_str(se->sel);
    bool main_pkg = p->name && strcmp(p->name, "main") == 0 && !p->xtest;
    bool exported = name.len && name.p[0] >= 'A' && name.p[0] <= 'Z';
    if (!t || t->kind != LH_T_NAMED || !t->obj || t->obj->pkg != p || (exported && !main_pkg))
        return false;
    bool live = false, known = false;
    for (uint32_t i = 0; i < l->nconds && !known; i++)
        if (l->cond_types[i] == t->obj && str_eq(l->cond_names[i], name)) {
            known = true;
            live = l->cond_live[i];
        }
    if (!known) {
        cond_ctx k = {l, t->obj, name, false, false};
        for (size_t i = 0; i < l->c->nfiles && !k.signalled && !k.handed; i++)
            lh_rule_walk_file(l->c, i, LH_KIND_SET(LH_SELECTOR_EXPR), cond_pre, &k);
        live = k.signalled || k.handed;
        if (l->nconds < LH_LOCKS_MAXWRITERS) {
            l->cond_types[l->nconds] = t->obj;
            l->cond_names[l->nconds] = name;
            l->cond_live[l->nconds++] = live;
        }
    }
    if (live)
        return false;
    say(why, n, "waits on %.*s.%.*s (line %u), which nothing in the package signals",
             (int)t->obj->name.len, t->obj->name.p, (int)name.len, name.p, call->n.pos.line);
    return true;
}

static bool cond_waits(lh_locks *l, const lh_node *fn, int depth, char *why, size_t n)
{
    lh_cfg *g = lh_rule_cfg(l->c, fn);
    for (uint32_t b = 0; g && b < g->nblocks; b++) {
        lh_cfg_block *blk = g->blocks[b];
        for (uint32_t k = 0; blk->live && k < blk->nnodes; k++) {
            calls_ctx cc;
            node_calls(blk->nodes[k], &cc);
            for (uint32_t i = 0; i < cc.n; i++) {
                if (unsignalled_wait(l, cc.v[i], why, n))
                    return true;
                const lh_node *callee = depth < LK_DEPTH ? pkg_callee(l, cc.v[i]) : NULL;
                char inner[200];
                if (!callee || callee == fn || !cond_waits(l, callee, depth + 1, inner, sizeof inner))
                    continue;
                lh_str cn = ident_str(LH_AS(callee, lh_func_decl)->name);
                say(why, n, "calls %.*s (line %u), which %.180s",
                         (int)(cn.len > 40 ? 40 : cn.len), cn.p, cc.v[i]->n.pos.line, inner);
                return true;
            }
        }
    }
    return false;
}

bool lh_locks_goroutine_cond_waits(lh_locks *l, const lh_node *fn, char *why, size_t n)
{
    return cond_waits(l, fn, 0, why, n);
}
