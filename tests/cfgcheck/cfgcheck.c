/* Builds the CFG of every function body (FuncDecl and FuncLit) of the Go
 * files named on standard input, one path a line, and checks each graph
 * against the tree it came from (tests/t_cfg_goroot.sh runs it on GOROOT):
 *
 *   structure  block indices, successors in range, the entry live, every
 *              successor of a live block live and every live block but the
 *              entry reached from a live one, terms only on blocks without
 *              successors, cond blocks with two successors;
 *   coverage   every simple statement and control expression of the body
 *              (outside nested literals) is a node of exactly one block,
 *              found again by lh_cfg_block_of; every loop by lh_cfg_loop_of;
 *   spec       (--strict, for code that compiles) no dead-end blocks (a
 *              branch without a target), and a function with results never
 *              falls off its end: the spec's terminating-statement rule,
 *              which the graph must agree with;
 *   queries    a search from the entry and lh_cfg_loop_exits on every loop
 *              run to completion.
 *
 * Prints totals (files, functions, blocks, build and check time, peak RSS)
 * and one line per failed check; exits 1 when any failed. Files that do
 * not parse are counted and skipped. The whole run is on a deep-stack
 * thread because the parser needs it for pathological files; the builder
 * itself does not recurse. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "go/ast.h"
#include "go/diag.h"
#include "go/parse.h"
#include "sema/cfg.h"
#include "util/arena.h"
#include "util/fs.h"

typedef struct stats {
    bool strict;
    bool show;              /* --show: list dead code and loops without exit */
    unsigned long files, bad_files, funcs, blocks, dead_blocks, nodes, loops, infinite, noreturn,
        failures;
    double build_s, check_s;
} stats;

typedef struct body_ctx {
    stats *st;
    const char *path;
    const lh_cfg *cfg;
    uint32_t line;          /* of the body, for messages */
    unsigned long expect;   /* nodes the body should contribute */
    bool failed;
} body_ctx;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void failf(body_ctx *c, uint32_t line, const char *what)
{
    c->st->failures++;
    if (c->st->failures <= 50)
        fprintf(stderr, "%s:%u: func at line %u: %s\n", c->path, line, c->line, what);
    c->failed = true;
}

static void expect_node(body_ctx *c, lh_node *n, const char *what)
{
    if (!n)
        return;
    c->expect++;
    if (!lh_cfg_block_of(c->cfg, n, NULL))
        failf(c, n->pos.line, what);
}

/* The statements and control expressions of one body, literals skipped. */
static bool coverage_pre(lh_node *n, lh_node *parent, void *v)
{
    (void)parent;
    body_ctx *c = v;
    switch (LH_KIND(n)) {
    case LH_FUNC_LIT:
        return false;
    case LH_ASSIGN_STMT:
    case LH_EXPR_STMT:
    case LH_SEND_STMT:
    case LH_INC_DEC_STMT:
    case LH_DECL_STMT:
    case LH_GO_STMT:
    case LH_DEFER_STMT:
    case LH_RETURN_STMT:
    case LH_BRANCH_STMT:
    case LH_BAD_STMT:
        expect_node(c, n, "statement missing from the graph");
        return true;
    case LH_IF_STMT:
        expect_node(c, LH_AS(n, lh_if_stmt)->cond, "if condition missing");
        return true;
    case LH_FOR_STMT:
        expect_node(c, LH_AS(n, lh_for_stmt)->cond, "for condition missing");
        if (!lh_cfg_loop_of(c->cfg, n))
            failf(c, n->pos.line, "for loop missing");
        return true;
    case LH_RANGE_STMT:
        expect_node(c, LH_AS(n, lh_range_stmt)->x, "range expression missing");
        if (!lh_cfg_loop_of(c->cfg, n))
            failf(c, n->pos.line, "range loop missing");
        return true;
    case LH_SWITCH_STMT: {
        lh_switch_stmt *s = LH_AS(n, lh_switch_stmt);
        expect_node(c, s->tag, "switch tag missing");
        lh_block_stmt *b = LH_AS(s->body, lh_block_stmt);
        for (uint32_t i = 0; i < b->list.n; i++) {
            lh_case_clause *cc = LH_AS(b->list.v[i], lh_case_clause);
            for (uint32_t k = 0; k < cc->list.n; k++)
                expect_node(c, cc->list.v[k], "case expression missing");
        }
        return true;
    }
    default:
        return true;
    }
}

static void check_structure(body_ctx *c)
{
    const lh_cfg *cfg = c->cfg;
    uint32_t *live_preds = calloc(cfg->nblocks, sizeof *live_preds);
    unsigned long nn = 0;
    if (!cfg->blocks[0]->live || cfg->blocks[0]->kind != LH_CFG_ENTRY)
        failf(c, c->line, "entry not live");
    for (uint32_t i = 0; i < cfg->nblocks; i++) {
        const lh_cfg_block *b = cfg->blocks[i];
        nn += b->nnodes;
        if (b->index != i)
            failf(c, c->line, "block index wrong");
        if (b->term && b->nsuccs)
            failf(c, c->line, "term on a block with successors");
        if (b->cond && (b->nsuccs != 2 || b->nnodes == 0))
            failf(c, c->line, "cond block without two successors");
        for (uint32_t k = 0; k < b->nsuccs; k++) {
            const lh_cfg_block *s = b->succs[k];
            if (s->index >= cfg->nblocks || cfg->blocks[s->index] != s) {
                failf(c, c->line, "successor out of range");
                continue;
            }
            if (b->live && !s->live)
                failf(c, c->line, "successor of a live block dead");
            if (b->live)
                live_preds[s->index]++;
        }
        for (uint32_t k = 0; k < b->nnodes; k++) {
            uint32_t idx;
            if (lh_cfg_block_of(cfg, b->nodes[k], &idx) != b || idx != k)
                failf(c, b->nodes[k]->pos.line, "lookup does not find the node");
        }
        if (b->live && !b->nsuccs && !b->term && c->st->strict)
            failf(c, b->nnodes ? b->nodes[b->nnodes - 1]->pos.line : c->line,
                  "dead end (branch without a target) in code that compiles");
        c->st->dead_blocks += !b->live;
        if (c->st->show && !b->live && b->nnodes)
            printf("dead: %s:%u (%s)\n", c->path, b->nodes[0]->pos.line,
                   lh_cfg_kind_name((lh_cfg_kind)b->kind));
        c->st->noreturn += b->live && b->term == LH_CFG_NORETURN;
    }
    for (uint32_t i = 1; i < cfg->nblocks; i++)
        if (cfg->blocks[i]->live && !live_preds[i])
            failf(c, c->line, "live block without a live predecessor");
    for (uint32_t i = 0; i < cfg->nloops; i++) {
        const lh_cfg_loop *l = cfg->loops[i];
        if (l->index != i || l->last <= i || l->last > cfg->nloops ||
            l->head->loop != l || lh_cfg_in_loop(l->done, l) || !lh_cfg_in_loop(l->body, l))
            failf(c, l->stmt->pos.line, "loop record inconsistent");
    }
    if (nn != cfg->nnodes)
        failf(c, c->line, "node count differs");
    free(live_preds);
}

/* A body with results must not fall off its end (the spec's terminating
 * statement rule, which every function in compiling code obeys). */
static void check_falloff(body_ctx *c, const lh_node *ftype)
{
    const lh_func_type *ft = LH_AS(ftype, lh_func_type);
    if (!ft->results || LH_AS(ft->results, lh_field_list)->list.n == 0)
        return;
    for (uint32_t i = 0; i < c->cfg->nblocks; i++) {
        const lh_cfg_block *b = c->cfg->blocks[i];
        if (b->live && b->term == LH_CFG_RETURN &&
            (b->nnodes == 0 || LH_KIND(b->nodes[b->nnodes - 1]) != LH_RETURN_STMT))
            failf(c, c->line, "function with results falls off its end");
    }
}

static void run_queries(body_ctx *c)
{
    const lh_cfg *cfg = c->cfg;
    lh_cfg_search s = {NULL, NULL, LH_CFG_RETURN, NULL, NULL};
    lh_cfg_hit hit;
    bool r = lh_cfg_search_from(cfg, &s, cfg->blocks[0], 0, &hit);
    if (r != lh_cfg_can_return(cfg))
        failf(c, c->line, "search and can_return disagree");
    for (uint32_t i = 0; i < cfg->nloops; i++) {
        const lh_cfg_loop *l = cfg->loops[i];
        if (l->head->live && !lh_cfg_loop_exits(cfg, l)) {
            c->st->infinite++;
            if (c->st->show)
                printf("no exit: %s:%u\n", c->path, l->stmt->pos.line);
        }
    }
}

typedef struct file_ctx {
    stats *st;
    lh_arena *a;
    const char *path;
} file_ctx;

static void check_body(file_ctx *fc, lh_node *body, const lh_node *ftype)
{
    stats *st = fc->st;
    double t0 = now();
    lh_cfg *cfg = lh_cfg_build(fc->a, body, NULL, NULL);
    double t1 = now();
    st->build_s += t1 - t0;
    st->funcs++;
    st->blocks += cfg->nblocks;
    st->nodes += cfg->nnodes;
    st->loops += cfg->nloops;
    body_ctx c = {st, fc->path, cfg, body->pos.line, 0, false};
    check_structure(&c);
    lh_ast_walk(body, coverage_pre, NULL, &c);
    if (c.expect != cfg->nnodes)
        failf(&c, c.line, "graph has nodes that are not the body's statements");
    if (st->strict)
        check_falloff(&c, ftype);
    run_queries(&c);
    st->check_s += now() - t1;
}

static bool file_pre(lh_node *n, lh_node *parent, void *v)
{
    (void)parent;
    file_ctx *fc = v;
    if (LH_KIND(n) == LH_FUNC_DECL && LH_AS(n, lh_func_decl)->body)
        check_body(fc, LH_AS(n, lh_func_decl)->body, LH_AS(n, lh_func_decl)->type);
    else if (LH_KIND(n) == LH_FUNC_LIT)
        check_body(fc, LH_AS(n, lh_func_lit)->body, LH_AS(n, lh_func_lit)->type);
    return true;
}

static void run(void *v)
{
    stats *st = v;
    lh_arena a;
    lh_arena_init(&a);
    char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = '\0';
        if (!line[0])
            continue;
        char *data, err[256];
        size_t len;
        if (lh_read_file(line, (size_t)1 << 30, &data, &len, err, sizeof err) != 0) {
            fprintf(stderr, "%s: %s\n", line, err);
            st->failures++;
            continue;
        }
        lh_arena_reset(&a);
        lh_diag_list errs;
        lh_diag_init(&errs, &a);
        lh_file *f = lh_parse_file(&a, line, data, len, &errs);
        st->files++;
        if (errs.len) {
            st->bad_files++;
        } else {
            file_ctx fc = {st, &a, line};
            lh_ast_walk(&f->n, file_pre, NULL, &fc);
        }
        free(data);
    }
    lh_arena_free(&a);
}

int main(int argc, char **argv)
{
    stats st;
    memset(&st, 0, sizeof st);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--strict") == 0) {
            st.strict = true;
        } else if (strcmp(argv[i], "--show") == 0) {
            st.show = true;
        } else {
            fprintf(stderr, "usage: cfgcheck [--strict] [--show] < list-of-go-files\n");
            return 2;
        }
    }
    double t0 = now();
    lh_parse_run_deep(run, &st);
    double wall = now() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("files %lu (%lu not parsed), functions %lu, blocks %lu (%lu dead), nodes %lu, "
           "loops %lu (%lu without exit), noreturn ends %lu\n",
           st.files, st.bad_files, st.funcs, st.blocks, st.dead_blocks, st.nodes, st.loops,
           st.infinite, st.noreturn);
    printf("cfg build %.3f s, checks and queries %.3f s, wall %.3f s, peak RSS %.1f MB\n",
           st.build_s, st.check_s, wall, (double)ru.ru_maxrss / 1024.0);
    if (st.failures)
        printf("%lu check(s) failed\n", st.failures);
    return st.failures ? 1 : 0;
}
