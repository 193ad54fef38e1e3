/* Running rules over a package, reporting, and the suppression directives
 * (see rule.h for their syntax and placement). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "go/linedir.h"
#include "rules/chanfacts.h"
#include "rules/fieldchans.h"
#include "rules/resource.h"
#include "rules/rule.h"

/* "id1,id2" (len n) names id? */
static bool list_names(const char *p, size_t n, const char *id)
{
    size_t idlen = strlen(id);
    while (n > 0) {
        size_t k = 0;
        while (k < n && p[k] != ',')
            k++;
        if ((k == idlen && memcmp(p, id, k) == 0) || (k == 3 && memcmp(p, "all", 3) == 0))
            return true;
        p += k;
        n -= k;
        if (n > 0) {
            p++;
            n--;
        }
    }
    return false;
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t';
}

/* Whether comment c is a directive that silences rule id. */
static bool directive_matches(const lh_comment *c, const char *id)
{
    const char *t = c->text, *end = c->text + c->len;
    static const char nolint[] = "//nolint", ignore[] = "//leakhound:ignore";
    size_t nn = sizeof nolint - 1, ni = sizeof ignore - 1;
    if (c->len >= nn && memcmp(t, nolint, nn) == 0) {
        t += nn;
        if (t == end || is_space(*t))
            return true;
        if (*t != ':')
            return false;
        const char *s = ++t;
        while (t < end && !is_space(*t))
            t++;
        return list_names(s, (size_t)(t - s), id);
    }
    if (c->len > ni && memcmp(t, ignore, ni) == 0 && is_space(t[ni])) {
        t += ni;
        while (t < end && is_space(*t))
            t++;
        const char *s = t;
        while (t < end && !is_space(*t))
            t++;
        return list_names(s, (size_t)(t - s), id);
    }
    return false;
}

/* A // comment with nothing but blanks before it on its line. */
static bool alone_on_line(const lh_file *f, const char *src, const lh_comment *c)
{
    if (c->line == 0 || c->line > f->nlines || c->len < 2 || c->text[1] != '/')
        return false;
    for (uint32_t o = f->lines[c->line - 1]; o < c->off; o++)
        if (!is_space(src[o]))
            return false;
    return true;
}

typedef struct span_ctx {
    const lh_file *f;
    uint32_t line, first, last;  /* the line, its byte range */
    uint32_t end_line;           /* max end line of what starts there */
} span_ctx;

static bool is_stmt_or_decl(lh_node_kind k)
{
    return (k >= LH_BAD_STMT && k <= LH_RANGE_STMT) || k == LH_VALUE_SPEC ||
           k == LH_TYPE_SPEC || k == LH_GEN_DECL || k == LH_FUNC_DECL || k == LH_FIELD;
}

static bool span_pre(lh_node *n, lh_node *parent, void *vc)
{
    (void)parent;
    span_ctx *s = vc;
    if (LH_KIND(n) == LH_FILE)
        return true;
    if (n->end <= s->first || n->pos.off > s->last)
        return false;   /* cannot contain a node starting on that line */
    if (n->pos.line == s->line && is_stmt_or_decl(LH_KIND(n))) {
        uint32_t e = lh_file_pos(s->f, n->end > 0 ? n->end - 1 : 0).line;
        if (e > s->end_line)
            s->end_line = e;
    }
    return true;
}

/* The last line of the statements or declarations that start on line. */
static uint32_t span_end(const lh_file *f, uint32_t line)
{
    if (line == 0 || line > f->nlines)
        return line;
    span_ctx s = {f, line, f->lines[line - 1],
                  line < f->nlines ? f->lines[line] : f->n.end, line};
    lh_ast_walk((lh_node *)&f->n, span_pre, NULL, &s);
    return s.end_line;
}

bool lh_rule_suppressed(const lh_file *f, const char *src, const char *id, uint32_t line)
{
    uint32_t n = 0;
    const lh_comment *c = lh_ast_comments_on_line(f, line, &n);
    for (uint32_t i = 0; i < n; i++)
        if (directive_matches(&c[i], id))
            return true;
    /* Directives alone on an earlier line cover the next line and the
     * statement starting there. Findings are few; scanning every comment
     * before the line is cheap enough. */
    for (uint32_t i = 0; i < f->ncomments && f->comments[i].line < line; i++) {
        const lh_comment *d = &f->comments[i];
        if (!directive_matches(d, id) || !alone_on_line(f, src, d))
            continue;
        if (d->line + 1 == line || span_end(f, d->line + 1) >= line)
            return true;
    }
    return false;
}

/* Whether line (len bytes, no newline) reads `// Code generated X DO NOT
 * EDIT.` for any X, the empty one included: Go's convention. */
static bool generated_line(const char *line, size_t len)
{
    static const char pre[] = "// Code generated ", post[] = " DO NOT EDIT.";
    size_t np = sizeof pre - 1, nq = sizeof post - 1;
    return len >= np + nq && memcmp(line, pre, np) == 0 &&
           memcmp(line + len - nq, post, nq) == 0;
}

/* Go's convention for generated files: the marker line in a comment
 * before the package clause. go/ast looks at every line of every such
 * comment (a block comment's lines too), so this does. */
static bool file_generated(const lh_file *f)
{
    for (uint32_t i = 0; i < f->ncomments && f->comments[i].off < f->n.pos.off; i++) {
        const char *t = f->comments[i].text, *end = t + f->comments[i].len;
        while (t < end) {
            const char *nl = memchr(t, '\n', (size_t)(end - t));
            const char *e = nl ? nl : end;
            if (generated_line(t, (size_t)(e - t)))
                return true;
            t = e + 1;
        }
    }
    return false;
}

/* The receiver's base type name: T of T, *T, T[P], *T[P, Q], (T). */
static const lh_ident *recv_base(const lh_node *t, bool *star)
{
    while (t) {
        switch (LH_KIND(t)) {
        case LH_PAREN_EXPR:
            t = LH_AS(t, lh_paren_expr)->inner;
            break;
        case LH_STAR_EXPR:
            *star = true;
            t = LH_AS(t, lh_star_expr)->x;
            break;
        case LH_INDEX_EXPR:
            t = LH_AS(t, lh_index_expr)->x;
            break;
        case LH_INDEX_LIST_EXPR:
            t = LH_AS(t, lh_index_list_expr)->x;
            break;
        case LH_IDENT:
            return LH_AS(t, lh_ident);
        default:
            return NULL;
        }
    }
    return NULL;
}

/* The name of the declared function of f whose text holds offset off, as
 * go vet and staticcheck write it ("F", "T.M", "(*T).M"), into b; nothing
 * at package level. A function literal's finding names the function
 * around it: Go's own closure names (F.func1) are numbered in the
 * compiler's order, which is not the source order (a deferred literal is
 * numbered after later ones), so a number computed here could name
 * another closure than the one a profile shows. Findings are few, so a
 * walk over the top-level declarations per finding is cheap. */
static void func_name(const lh_file *f, uint32_t off, lh_buf *b)
{
    for (uint32_t i = 0; i < f->decls.n; i++) {
        const lh_node *d = f->decls.v[i];
        if (LH_KIND(d) != LH_FUNC_DECL || off < d->pos.off || off >= d->end)
            continue;
        const lh_func_decl *fd = LH_AS(d, lh_func_decl);
        const lh_str *name = &LH_AS(fd->name, lh_ident)->name;
        const lh_field_list *recv = fd->recv ? LH_AS(fd->recv, lh_field_list) : NULL;
        if (recv && recv->list.n > 0) {
            bool star = false;
            const lh_ident *t = recv_base(LH_AS(recv->list.v[0], lh_field)->type, &star);
            if (t && star)
                lh_buf_printf(b, "(*%.*s).", (int)t->name.len, t->name.p);
            else if (t)
                lh_buf_printf(b, "%.*s.", (int)t->name.len, t->name.p);
        }
        lh_buf_printf(b, "%.*s", (int)name->len, name->p);
        return;
    }
}

bool lh_rule_quiet(const lh_rule_ctx *c, const lh_load_file *f)
{
    return c->quiet && c->quiet[f - c->pkg->files];
}

static bool found_go(lh_node *n, lh_node *const *anc, size_t nanc, void *vfound)
{
    (void)n;
    (void)anc;
    (void)nanc;
    *(bool *)vfound = true;
    return false;
}

bool lh_rule_live_gos(lh_rule_ctx *c)
{
    if (!c->live_gos) {
        bool found = false;
        for (size_t i = 0; i < c->nfiles && !found; i++)
            if (!lh_rule_quiet(c, c->files[i]))
                lh_rule_walk_file(c, i, LH_KIND_SET(LH_GO_STMT), found_go, &found);
        c->live_gos = found ? 2 : 1;
    }
    return c->live_gos == 2;
}

void lh_rule_report(lh_rule_ctx *c, const lh_load_file *f, const lh_node *n, const char *fmt,
                    ...)
{
    if (lh_rule_quiet(c, f))
        return;
    if (lh_rule_suppressed(f->ast, f->src, c->rule->id, n->pos.line)) {
        c->suppressed++;
        return;
    }
    lh_buf msg = LH_BUF_INIT, fn = LH_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    lh_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    func_name(f->ast, n->pos.off, &fn);
    lh_pos end = lh_file_pos(f->ast, n->end);
    lh_finding fd = {
        .rule = c->rule->id,
        .file = f->path,
        .line = n->pos.line,
        .col = n->pos.col,
        .end_line = end.line,
        .end_col = end.col,
        .severity = c->rule->severity,
        .message = msg.data ? msg.data : "",
        .function = fn.data ? fn.data : "",
    };
    /* Where go vet would say: through the file's //line directives
     * (generated code points at its source). The end stays in the start's
     * file, or is dropped. */
    lh_buf at = LH_BUF_INIT, at_end = LH_BUF_INIT;
    if (lh_file_adjusted_pos(f->ast, n->pos.off, &at, &fd.line, &fd.col)) {
        fd.file = at.data;
        if (!lh_file_adjusted_pos(f->ast, n->end, &at_end, &fd.end_line, &fd.end_col) ||
            strcmp(at_end.data, at.data) != 0)
            fd.end_line = fd.end_col = 0;
    }
    lh_findings_add(c->out, &fd);
    lh_buf_free(&at);
    lh_buf_free(&at_end);
    lh_buf_free(&msg);
    lh_buf_free(&fn);
}

void lh_rule_walk(lh_node *root, lh_rule_visit_fn visit, void *ctx)
{
    lh_ast_walk_anc(root, visit, ctx);
}

lh_node *lh_rule_enclosing_func(lh_node *const *anc, size_t nanc)
{
    for (size_t i = nanc; i-- > 0;)
        if (LH_KIND(anc[i]) == LH_FUNC_DECL || LH_KIND(anc[i]) == LH_FUNC_LIT)
            return anc[i];
    return NULL;
}

lh_cfg *lh_rule_cfg(lh_rule_ctx *c, const lh_node *func)
{
    lh_node *body = NULL;
    if (LH_KIND(func) == LH_FUNC_DECL)
        body = LH_AS(func, lh_func_decl)->body;
    else if (LH_KIND(func) == LH_FUNC_LIT)
        body = LH_AS(func, lh_func_lit)->body;
    if (!body)
        return NULL;
    lh_cfg *g = lh_ptrmap_get(&c->cfgs, body);
    if (!g) {
        g = lh_cfg_build(&c->cfg_arena, body, lh_sema_may_return, c->sema);
        lh_ptrmap_put(&c->cfgs, body, g);
    }
    return g;
}

void lh_rule_ctx_free_facts(lh_rule_ctx *c)
{
    lh_field_chans_free(c->field_chans);
    c->field_chans = NULL;
    lh_chan_list_free(c->chans);
    c->chans = NULL;
    lh_res_sites_free(c->res_sites);
    c->res_sites = NULL;
    lh_pkg_index_free(c->index);
    c->index = NULL;
    lh_rule_trees_free(c->trees, c->nfiles);
    c->trees = NULL;
    lh_ptrmap_free(&c->callees);
}

static bool of_kinds(lh_load_kind k, unsigned kinds)
{
    return (k == LH_LOAD_XTEST && (kinds & LH_SEMA_XTEST)) ||
           (k == LH_LOAD_TEST && (kinds & LH_SEMA_TEST)) ||
           ((k == LH_LOAD_GO || k == LH_LOAD_CGO) && (kinds & LH_SEMA_LIB));
}

static size_t run_one(lh_sema_world *w, const lh_load_package *pkg, unsigned kinds,
                      lh_sema_pkg *base, const lh_rules_opts *o, lh_findings *out)
{
    const lh_load_file **files = calloc(pkg->nfiles + 1, sizeof *files);
    if (!files)
        abort();
    size_t n = 0;
    for (size_t i = 0; i < pkg->nfiles; i++)
        if (pkg->files[i].ast && pkg->files[i].errs.len == 0 &&
            of_kinds(pkg->files[i].kind, kinds))
            files[n++] = &pkg->files[i];
    if (n == 0) {
        free(files);
        return 0;
    }
    /* Which files' findings are dropped, judged once for every rule. */
    bool *quiet = NULL;
    if (!o->include_generated) {
        quiet = calloc(pkg->nfiles, sizeof *quiet);
        if (!quiet)
            abort();
        for (size_t i = 0; i < n; i++)
            quiet[files[i] - pkg->files] = file_generated(files[i]->ast);
    }
    lh_rule_ctx c = {.pkg = pkg, .files = files, .nfiles = n, .out = out,
                     .go_minor = o->go_minor, .include_generated = o->include_generated,
                     .quiet = quiet};
    c.sema = lh_sema_analyse_files(w, pkg, kinds, base, o->go_minor);
    lh_arena_init(&c.cfg_arena);
    for (size_t i = 0; lh_rules[i]; i++) {
        if (o->enabled && !o->enabled[i])
            continue;
        c.rule = lh_rules[i];
        c.rule->check(&c);
    }
    lh_rule_ctx_free_facts(&c);
    lh_ptrmap_free(&c.cfgs);
    lh_arena_free(&c.cfg_arena);
    /* Importers analysed later see this package through what the freeze
     * keeps, so its trees may go (lh_load_each frees them). */
    lh_sema_freeze(c.sema);
    free(quiet);
    free(files);
    return c.suppressed;
}

size_t lh_rules_run(lh_sema_world *w, const lh_load_package *pkg, const lh_rules_opts *o,
                    lh_findings *out)
{
    switch (o->part) {
    case LH_RULES_LIB: {
        size_t s = run_one(w, pkg, LH_SEMA_LIB, NULL, o, out);
        if (o->frozen)
            o->frozen(o->frozen_arg);
        return s;
    }
    case LH_RULES_TESTS: {
        lh_sema_pkg *base = lh_sema_world_pkg_at(w, pkg->import_path, pkg->seq);
        if (base && base->stub)
            base = NULL;    /* the library had no files: tests alone */
        /* The in-package tests' methods on base's types are seen by them
         * and the external tests (lh_sema_set_tests_overlay), by no one
         * else. */
        lh_sema_set_tests_overlay(NULL);
        size_t s = run_one(w, pkg, base ? LH_SEMA_TEST : LH_SEMA_TEST | LH_SEMA_LIB, base, o, out);
        s += run_one(w, pkg, LH_SEMA_XTEST, NULL, o, out);
        lh_sema_set_tests_overlay(NULL);
        return s;
    }
    default: {
        size_t s = run_one(w, pkg, LH_SEMA_LIB | LH_SEMA_TEST, NULL, o, out);
        if (o->frozen)
            o->frozen(o->frozen_arg);
        return s + run_one(w, pkg, LH_SEMA_XTEST, NULL, o, out);
    }
    }
}

typedef struct leave_ctx {
    int breakable;          /* nested for/switch/select depth below the loop */
    bool out;
} leave_ctx;

static bool is_breakable(lh_node_kind k)
{
    return k == LH_FOR_STMT || k == LH_RANGE_STMT || k == LH_SWITCH_STMT ||
           k == LH_TYPE_SWITCH_STMT || k == LH_SELECT_STMT;
}

static bool leave_pre(lh_node *n, lh_node *parent, void *vl)
{
    (void)parent;
    leave_ctx *l = vl;
    lh_node_kind k = LH_KIND(n);
    if (k == LH_FUNC_LIT || l->out)
        return false;
    if (k == LH_RETURN_STMT)
        l->out = true;
    else if (k == LH_BRANCH_STMT) {
        lh_branch_stmt *b = LH_AS(n, lh_branch_stmt);
        if (b->tok == LH_TOK_GOTO || (b->tok == LH_TOK_BREAK && (b->label || l->breakable == 0)))
            l->out = true;
    } else if (k == LH_CALL_EXPR && lh_ident_is(LH_AS(n, lh_call_expr)->fun, "panic"))
        l->out = true;
    if (is_breakable(k))
        l->breakable++;
    return !l->out;
}

static void leave_post(lh_node *n, lh_node *parent, void *vl)
{
    (void)parent;
    if (is_breakable(LH_KIND(n)))
        ((leave_ctx *)vl)->breakable--;
}

bool lh_rule_leaves(const lh_node *loop)
{
    lh_node *body = LH_KIND(loop) == LH_FOR_STMT ? LH_AS(loop, lh_for_stmt)->body
                                                 : LH_AS(loop, lh_range_stmt)->body;
    leave_ctx l = {0, false};
    if (body)
        lh_ast_walk(body, leave_pre, leave_post, &l);
    return l.out;
}

typedef struct mentions_ctx {
    lh_sema_pkg *p;
    const lh_obj *const *objs;
    size_t nobjs;
    const lh_obj *recv_from;
    bool yes;
} mentions_ctx;

static bool mentions_pre(lh_node *n, lh_node *parent, void *vm)
{
    (void)parent;
    mentions_ctx *m = vm;
    if (LH_KIND(n) == LH_IDENT) {
        lh_obj *o = lh_sema_obj_of(m->p, n);
        for (size_t i = 0; o && i < m->nobjs; i++)
            if (m->objs[i] == o)
                m->yes = true;
    } else if (m->recv_from && LH_KIND(n) == LH_UNARY_EXPR &&
               LH_AS(n, lh_unary_expr)->op == LH_TOK_ARROW) {
        lh_node *x = lh_ast_unparen(LH_AS(n, lh_unary_expr)->x);
        m->yes = LH_KIND(x) == LH_IDENT && lh_sema_obj_of(m->p, x) == m->recv_from;
    }
    return !m->yes;
}

bool lh_rule_mentions(lh_sema_pkg *p, const lh_node *root, const lh_obj *const *objs, size_t nobjs,
                      const lh_obj *recv_from)
{
    mentions_ctx m = {p, objs, nobjs, recv_from, false};
    if (root)
        lh_ast_walk((lh_node *)root, mentions_pre, NULL, &m);
    return m.yes;
}
