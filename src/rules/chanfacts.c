/* Channel facts for the goroutine rules (chanfacts.h). */
#include <stdlib.h>
#include <string.h>

#include "rules/chanfacts.h"
#include "rules/fieldchans.h"

lh_node *lh_rule_enclosing_loop(lh_node *const *anc, size_t nanc)
{
    for (size_t i = nanc; i-- > 0;) {
        lh_node_kind k = LH_KIND(anc[i]);
        if (k == LH_FUNC_LIT || k == LH_FUNC_DECL)
            return NULL;
        if (k == LH_FOR_STMT || k == LH_RANGE_STMT)
            return anc[i];
    }
    return NULL;
}

typedef struct recv_ctx {
    lh_sema_pkg *p;
    const lh_obj *ch;
    bool found;
} recv_ctx;

static bool recv_pre(lh_node *n, lh_node *parent, void *vr)
{
    (void)parent;
    recv_ctx *r = vr;
    if (r->found || LH_KIND(n) == LH_FUNC_LIT)
        return false;
    if (LH_KIND(n) == LH_UNARY_EXPR && LH_AS(n, lh_unary_expr)->op == LH_TOK_ARROW) {
        lh_node *x = lh_ast_unparen(LH_AS(n, lh_unary_expr)->x);
        if (LH_KIND(x) == LH_IDENT && lh_sema_obj_of(r->p, x) == r->ch)
            r->found = true;
    }
    return !r->found;
}

bool lh_rule_receives(lh_sema_pkg *p, lh_node *n, const lh_obj *ch)
{
    recv_ctx r = {p, ch, false};
    lh_ast_walk(n, recv_pre, NULL, &r);
    return r.found;
}

/* ---- the go statements of a maker ------------------------------------ */

typedef struct gos_ctx {
    lh_rule_ctx *c;
    lh_chan_facts *f;
    bool overflow;
} gos_ctx;

static bool gos_visit(lh_node *n, lh_node *const *anc, size_t nanc, void *vg)
{
    gos_ctx *g = vg;
    if (LH_KIND(n) == LH_FUNC_LIT)
        return false;           /* another function: its go statements are its own */
    if (LH_KIND(n) == LH_GO_STMT && lh_go_mentions(g->c->sema, LH_AS(n, lh_go_stmt), g->f->ch)) {
        if (g->f->ngo == LH_CHAN_MAX_GO) {
            g->overflow = true;
            return false;
        }
        lh_chan_go *cg = &g->f->gos[g->f->ngo++];
        memset(cg, 0, sizeof *cg);
        cg->go = n;
        cg->loop = lh_rule_enclosing_loop(anc, nanc);
        return false;
    }
    return true;
}

/* Fills the goroutines' facts; false when one of them is not provable. */
static bool goroutines(lh_rule_ctx *c, lh_chan_facts *f, lh_node *body)
{
    gos_ctx g = {c, f, false};
    lh_rule_walk(body, gos_visit, &g);
    if (g.overflow)
        return false;
    for (uint32_t i = 0; i < f->ngo; i++) {
        lh_chan_go *cg = &f->gos[i];
        lh_node *gbody;
        const lh_go_stmt *gs = LH_AS(cg->go, lh_go_stmt);
        if (!lh_go_target(c->sema, gs, f->ch, &cg->pkg, &gbody, &cg->target))
            return false;
        lh_node *fun = lh_ast_unparen(LH_AS(gs->call, lh_call_expr)->fun);
        if (LH_KIND(fun) == LH_FUNC_LIT) {
            cg->func = fun;
        } else {
            lh_obj *fo = lh_sema_callee(c->sema, LH_AS(gs->call, lh_call_expr));
            cg->func = (lh_node *)fo->decl;
        }
        if (cg->target)
            lh_chan_uses(cg->pkg, cg->target, gbody, NULL, 0, &cg->use);
        if (cg->use.handed)
            return false;
    }
    return true;
}

/* The package's channels made by its functions whose facts the rules
 * visit, in walk order: computed by the first rule that asks
 * (lh_rule_ctx.chans), replayed for the others. */
struct lh_chan_list {
    lh_chan_facts **v;
    size_t n, cap;
};

void lh_chan_list_free(struct lh_chan_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    free(l);
}

typedef struct each_ctx {
    lh_rule_ctx *c;
    const lh_load_file *f;
    struct lh_chan_list *out;
} each_ctx;

static bool is_chan_make(lh_rule_ctx *c, const lh_node *e, int64_t *cap)
{
    e = lh_ast_unparen((lh_node *)e);
    if (LH_KIND(e) != LH_CALL_EXPR)
        return false;
    const lh_call_expr *call = LH_AS(e, lh_call_expr);
    lh_obj *o = lh_sema_callee(c->sema, call);
    if (!o || o->kind != LH_OBJ_BUILTIN || o->name.len != 4 || memcmp(o->name.p, "make", 4) != 0 ||
        call->args.n == 0)
        return false;
    const lh_type *t = lh_type_underlying(lh_sema_type_expr(c->sema, call->args.v[0]));
    if (!t || t->kind != LH_T_CHAN)
        return false;
    *cap = lh_sema_make_cap(c->sema, call);
    return true;
}

static void consider(each_ctx *x, lh_node *const *anc, size_t nanc, lh_node *id, lh_node *value)
{
    lh_rule_ctx *c = x->c;
    int64_t cap;
    if (LH_KIND(id) != LH_IDENT || lh_ident_is(id, "_") || !is_chan_make(c, value, &cap))
        return;
    lh_obj *ch = lh_sema_obj_of(c->sema, id);
    lh_node *fn = lh_rule_enclosing_func(anc, nanc);
    if (!ch || ch->kind != LH_OBJ_VAR || ch->ident != id || !fn || ch->func != fn)
        return;
    lh_chan_facts *f = calloc(1, sizeof *f);
    if (!f)
        abort();
    f->file = x->f;
    f->ch = ch;
    f->maker = fn;
    f->make = LH_AS(lh_ast_unparen(value), lh_call_expr);
    f->cap = cap;
    lh_node *body = LH_KIND(fn) == LH_FUNC_DECL ? LH_AS(fn, lh_func_decl)->body
                                                : LH_AS(fn, lh_func_lit)->body;
    if (body && goroutines(c, f, body)) {
        lh_node *skip[LH_CHAN_MAX_GO];
        for (uint32_t i = 0; i < f->ngo; i++)
            skip[i] = f->gos[i].go;
        lh_chan_uses(c->sema, ch, body, skip, f->ngo, &f->own);
        if (!f->own.handed) {
            struct lh_chan_list *l = x->out;
            if (l->n == l->cap) {
                l->cap = l->cap ? 2 * l->cap : 16;
                l->v = realloc(l->v, l->cap * sizeof *l->v);
                if (!l->v)
                    abort();
            }
            l->v[l->n++] = f;
            return;
        }
    }
    free(f);
}

static bool each_visit(lh_node *n, lh_node *const *anc, size_t nanc, void *vx)
{
    each_ctx *x = vx;
    if (LH_KIND(n) == LH_ASSIGN_STMT) {
        lh_assign_stmt *a = LH_AS(n, lh_assign_stmt);
        if (a->tok == LH_TOK_DEFINE && a->lhs.n == a->rhs.n)
            for (uint32_t i = 0; i < a->lhs.n; i++)
                consider(x, anc, nanc, a->lhs.v[i], a->rhs.v[i]);
    } else if (LH_KIND(n) == LH_VALUE_SPEC) {
        lh_value_spec *v = LH_AS(n, lh_value_spec);
        if (v->names.n == v->values.n)
            for (uint32_t i = 0; i < v->names.n; i++)
                consider(x, anc, nanc, v->names.v[i], v->values.v[i]);
    }
    return true;
}

void lh_rule_each_chan(lh_rule_ctx *c, lh_chan_visit_fn visit, void *ctx)
{
    if (!c->chans) {
        c->chans = calloc(1, sizeof *c->chans);
        if (!c->chans)
            abort();
        each_ctx x = {c, NULL, c->chans};
        for (size_t i = 0; i < c->nfiles; i++) {
            x.f = c->files[i];
            lh_rule_walk_file(c, i, LH_KIND_SET(LH_ASSIGN_STMT) | LH_KIND_SET(LH_VALUE_SPEC),
                              each_visit, &x);
        }
    }
    for (size_t i = 0; i < c->chans->n; i++)
        visit(c, c->chans->v[i], ctx);
}

/* ---- the package index: what is built, what is named -------------------
 *
 * The channel rules ask, per field or per function, whether a struct type
 * is ever built and whether a function may ever run. A walk of the
 * package per question was quadratic; one walk answers them all, and the
 * verdicts about a field's senders are kept per field. */

typedef struct sel_ref {
    lh_str name;                /* x.name */
    const lh_node *x;
} sel_ref;

typedef struct field_senders {
    const lh_obj *type;
    lh_str name;
    bool handed;                /* some use hands the field on */
    bool stray;                 /* a send or close outside every FuncDecl */
    const lh_node **decls;      /* the FuncDecls that send on it or close it */
    size_t ndecls, capdecls;
} field_senders;

struct lh_pkg_index {
    lh_ptrmap built;            /* TYPE object -> itself: a value is built */
    lh_ptrmap named;            /* FUNC object -> itself: an identifier other
                                 * than its own names it */
    sel_ref *sels;              /* every selector, by name */
    size_t nsels, capsels;
    field_senders *fields;      /* senders(): the package's channel fields */
    size_t nfields, capfields;
    bool senders_done;          /* fields holds every package-level one */
};

void lh_pkg_index_free(struct lh_pkg_index *x)
{
    if (!x)
        return;
    lh_ptrmap_free(&x->built);
    lh_ptrmap_free(&x->named);
    free(x->sels);
    for (size_t i = 0; i < x->nfields; i++)
        free(x->fields[i].decls);
    free(x->fields);
    free(x);
}

static bool unexported(lh_str s)
{
    return s.len > 0 && !(s.p[0] >= 'A' && s.p[0] <= 'Z') && !(s.len == 1 && s.p[0] == '_');
}

bool lh_rule_pkg_only(lh_rule_ctx *c, lh_str name)
{
    return unexported(name) || (c->sema->name && strcmp(c->sema->name, "main") == 0 && !c->sema->xtest);
}

typedef struct index_ctx {
    lh_sema_pkg *p;
    struct lh_pkg_index *x;
} index_ctx;

static void note_built(index_ctx *k, const lh_type *t)
{
    if (t && t->kind == LH_T_NAMED && t->obj)
        lh_ptrmap_put(&k->x->built, t->obj, (void *)t->obj);
}

/* The kinds index_pre looks at. */
#define INDEX_KINDS                                                                 \
    (LH_KIND_SET(LH_COMPOSITE_LIT) | LH_KIND_SET(LH_VALUE_SPEC) | LH_KIND_SET(LH_CALL_EXPR) | \
     LH_KIND_SET(LH_IDENT) | LH_KIND_SET(LH_SELECTOR_EXPR))

static bool index_pre(lh_node *n, lh_node *const *anc, size_t nanc, void *vk)
{
    (void)anc;
    (void)nanc;
    index_ctx *k = vk;
    lh_sema_pkg *p = k->p;
    switch (LH_KIND(n)) {
    case LH_COMPOSITE_LIT:
        note_built(k, lh_sema_type_of(p, n));
        break;
    case LH_VALUE_SPEC: {
        const lh_value_spec *vs = LH_AS(n, lh_value_spec);
        if (vs->type)
            note_built(k, lh_sema_type_expr(p, vs->type));
        break;
    }
    case LH_CALL_EXPR: {
        /* new(T), a conversion T(x), or a call that returns a T (a value
         * built where we do not look). */
        const lh_call_expr *call = LH_AS(n, lh_call_expr);
        uint32_t nres = 0;
        const lh_type *const *res = lh_sema_call_results(p, call, &nres);
        for (uint32_t i = 0; res && i < nres; i++)
            note_built(k, lh_type_deref(res[i]));
        lh_obj *o = lh_sema_callee(p, call);
        if (o && o->kind == LH_OBJ_BUILTIN && call->args.n == 1 && o->name.len == 3 &&
            memcmp(o->name.p, "new", 3) == 0)
            note_built(k, lh_sema_type_expr(p, call->args.v[0]));
        break;
    }
    case LH_IDENT: {
        lh_obj *o = lh_sema_obj_of(p, n);
        if (o && o->kind == LH_OBJ_FUNC && n != o->ident)
            lh_ptrmap_put(&k->x->named, o, o);
        break;
    }
    case LH_SELECTOR_EXPR: {
        struct lh_pkg_index *x = k->x;
        if (x->nsels == x->capsels) {
            x->capsels = x->capsels ? 2 * x->capsels : 64;
            x->sels = realloc(x->sels, x->capsels * sizeof *x->sels);
            if (!x->sels)
                abort();
        }
        const lh_selector_expr *se = LH_AS(n, lh_selector_expr);
        x->sels[x->nsels++] = (sel_ref){LH_AS(se->sel, lh_ident)->name, se->x};
        break;
    }
    default:
        break;
    }
    return true;
}

static int str_cmp(lh_str a, lh_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int d = memcmp(a.p, b.p, n);
    return d ? d : (a.len > b.len) - (a.len < b.len);
}

static int sel_cmp(const void *va, const void *vb)
{
    const sel_ref *a = va, *b = vb;
    int d = str_cmp(a->name, b->name);
    /* Source order among equals, for a stable answer. */
    return d ? d : (a->x->pos.off > b->x->pos.off) - (a->x->pos.off < b->x->pos.off);
}

static struct lh_pkg_index *pkg_index(lh_rule_ctx *c)
{
    if (c->index)
        return c->index;
    struct lh_pkg_index *x = calloc(1, sizeof *x);
    if (!x)
        abort();
    index_ctx k = {c->sema, x};
    for (size_t i = 0; i < c->nfiles; i++)
        lh_rule_walk_file(c, i, INDEX_KINDS, index_pre, &k);
    if (x->nsels)
        qsort(x->sels, x->nsels, sizeof *x->sels, sel_cmp);
    c->index = x;
    return x;
}

bool lh_rule_type_built(lh_rule_ctx *c, const lh_obj *type)
{
    bool main_pkg = c->sema->name && strcmp(c->sema->name, "main") == 0 && !c->sema->xtest;
    if (!lh_rule_pkg_only(c, type->name) && !main_pkg)
        return true;    /* exported: other packages may build it */
    return lh_ptrmap_has(&pkg_index(c)->built, type);
}

/* Methods the standard library calls through its interfaces (io.Closer,
 * fmt.Stringer, http.Handler, sort.Interface, context.Context, ...): a
 * method by one of these names may run with no call in the package. */
static bool std_interface_method(lh_str s)
{
    static const char *const names[] = {
        "Close", "String", "Error", "GoString", "Format", "Read", "Write", "ReadFrom",
        "WriteTo", "Seek", "ServeHTTP", "Len", "Less", "Swap", "Push", "Pop", "Unwrap",
        "Is", "As", "MarshalJSON", "UnmarshalJSON", "MarshalText", "UnmarshalText",
        "Lock", "Unlock", "Done", "Err", "Value", "Deadline", "Run", "RoundTrip", "Dial",
        "Accept", "Addr", "Next", "Scan", "Flush", "Header", "WriteHeader", NULL};
    for (size_t i = 0; names[i]; i++)
        if (strlen(names[i]) == s.len && memcmp(names[i], s.p, s.len) == 0)
            return true;
    return false;
}

/* Whether some selector x.name may call the method of recv_type: x of
 * that type, or of a type we do not know or an interface (it may hold
 * ours). */
static bool method_named(lh_rule_ctx *c, struct lh_pkg_index *x, lh_str name,
                         const lh_obj *recv_type)
{
    size_t lo = 0, hi = x->nsels;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (str_cmp(x->sels[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < x->nsels && str_cmp(x->sels[i].name, name) == 0; i++) {
        const lh_type *t = lh_type_deref(lh_sema_type_of(c->sema, x->sels[i].x));
        const lh_type *u = lh_type_underlying(t);
        if (!t || !u || u->kind == LH_T_INTERFACE || t->kind != LH_T_NAMED || t->obj == recv_type)
            return true;
    }
    return false;
}

bool lh_rule_func_may_run(lh_rule_ctx *c, const lh_func_decl *d)
{
    lh_str name = LH_AS(d->name, lh_ident)->name;
    bool main_pkg = c->sema->name && strcmp(c->sema->name, "main") == 0 && !c->sema->xtest;
    if (!lh_rule_pkg_only(c, name))
        return true;                    /* exported: other packages call it */
    if (!d->recv && ((name.len == 4 && memcmp(name.p, "init", 4) == 0) ||
                     (main_pkg && name.len == 4 && memcmp(name.p, "main", 4) == 0)))
        return true;
    if (d->recv && !unexported(name) && std_interface_method(name))
        return true;
    lh_obj *o = lh_sema_obj_of(c->sema, d->name);
    if (d->recv) {
        if (!o || !o->recv_type)
            return true;
        return method_named(c, pkg_index(c), name, o->recv_type);
    }
    return !o || lh_ptrmap_has(&pkg_index(c)->named, o);
}

static void add_field(void *vx, const lh_obj *type, lh_str name)
{
    struct lh_pkg_index *x = vx;
    if (x->nfields == x->capfields) {
        x->capfields = x->capfields ? 2 * x->capfields : 8;
        x->fields = realloc(x->fields, x->capfields * sizeof *x->fields);
        if (!x->fields)
            abort();
    }
    x->fields[x->nfields++] = (field_senders){type, name, false, false, NULL, 0, 0};
}

/* Fills the senders of x->fields[first..x->nfields) in one walk of the
 * package, one top-level declaration at a time: what the whole package
 * does with a field is the sum over its declarations (nothing outside
 * them uses a field), and a FuncDecl's own share says whether it sends
 * or closes. A send or close counted in the package but in no FuncDecl
 * sits in a package-level closure, which may run (stray). */
static void find_senders(lh_rule_ctx *c, struct lh_pkg_index *x, size_t first)
{
    size_t nf = x->nfields - first;
    if (nf == 0)
        return;
    lh_chan_use *u = calloc(nf, sizeof *u);
    lh_chan_field_target *tg = calloc(nf, sizeof *tg);
    uint32_t *all_sends = calloc(nf, sizeof *all_sends), *decl_sends = calloc(nf, sizeof *decl_sends);
    bool *all_closes = calloc(nf, sizeof *all_closes), *decl_closes = calloc(nf, sizeof *decl_closes);
    if (!u || !tg || !all_sends || !decl_sends || !all_closes || !decl_closes)
        abort();
    for (size_t k = 0; k < c->nfiles; k++) {
        const lh_file *f = c->files[k]->ast;
        for (uint32_t i = 0; i < f->decls.n; i++) {
            lh_node *d = f->decls.v[i];
            for (size_t j = 0; j < nf; j++) {
                memset(&u[j], 0, sizeof u[j]);
                u[j].make_cap = -1;
                tg[j] = (lh_chan_field_target){x->fields[first + j].type,
                                               x->fields[first + j].name, &u[j]};
            }
            lh_chan_field_uses(c->sema, tg, nf, d);
            bool body = LH_KIND(d) == LH_FUNC_DECL && LH_AS(d, lh_func_decl)->body;
            for (size_t j = 0; j < nf; j++) {
                field_senders *fs = &x->fields[first + j];
                uint32_t sends = u[j].sends + u[j].soft_sends;
                fs->handed |= u[j].handed;
                all_sends[j] += sends;
                all_closes[j] |= u[j].closes;
                if (!body || (!sends && !u[j].closes))
                    continue;
                if (fs->ndecls == fs->capdecls) {
                    fs->capdecls = fs->capdecls ? 2 * fs->capdecls : 4;
                    fs->decls = realloc(fs->decls, fs->capdecls * sizeof *fs->decls);
                    if (!fs->decls)
                        abort();
                }
                fs->decls[fs->ndecls++] = d;
                decl_sends[j] += sends;
                decl_closes[j] |= u[j].closes;
            }
        }
    }
    for (size_t j = 0; j < nf; j++) {
        field_senders *fs = &x->fields[first + j];
        fs->stray = decl_sends[j] != all_sends[j] || decl_closes[j] != all_closes[j];
    }
    free(u);
    free(tg);
    free(all_sends);
    free(decl_sends);
    free(all_closes);
    free(decl_closes);
}

/* The FuncDecls that send on the field or close it, and whether it is
 * handed on. The first question finds them for every channel field the
 * package alone reaches (lh_rule_each_pkg_chan_field) in one walk: a walk of the
 * package per field asked, twice over, was an eighth of a scan of
 * GOROOT's net and go packages. A field of a type declared inside a
 * function gets a walk of its own. */
static const field_senders *senders(lh_rule_ctx *c, const lh_obj *type, lh_str name)
{
    struct lh_pkg_index *x = pkg_index(c);
    if (!x->senders_done) {
        x->senders_done = true;
        lh_rule_each_pkg_chan_field(c, add_field, x);
        find_senders(c, x, 0);
    }
    for (size_t i = 0; i < x->nfields; i++)
        if (x->fields[i].type == type && str_cmp(x->fields[i].name, name) == 0)
            return &x->fields[i];
    add_field(x, type, name);
    find_senders(c, x, x->nfields - 1);
    return &x->fields[x->nfields - 1];
}

bool lh_rule_field_chan_dead(lh_rule_ctx *c, const lh_obj *type, lh_str name, const lh_node *starter,
                             lh_str *closer)
{
    closer->p = NULL;
    closer->len = 0;
    const field_senders *fs = senders(c, type, name);
    if (fs->handed)
        return false;
    for (size_t i = 0; i < fs->ndecls; i++) {
        const lh_node *d = fs->decls[i];
        /* The function starting the goroutine runs whenever the
         * goroutine exists. */
        if (d == starter || lh_rule_func_may_run(c, LH_AS(d, lh_func_decl)))
            return false;
        if (!closer->len)
            *closer = LH_AS(LH_AS(d, lh_func_decl)->name, lh_ident)->name;
    }
    return !fs->stray;
}
