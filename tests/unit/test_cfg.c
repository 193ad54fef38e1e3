/* CFG builder and path queries (src/sema/cfg.h). Each case parses a small
 * file, builds the graph of one function and compares lh_cfg_format's text
 * (one line per block: index, kind, nodes as Kind@line:col, successors or
 * the term) with the expected graph, worked out by hand from the spec.
 * Sources start with "package p\n", so the function is on line 2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "go/ast.h"
#include "go/diag.h"
#include "go/parse.h"
#include "sema/cfg.h"
#include "util/arena.h"
#include "util/buf.h"

typedef struct parsed {
    lh_arena arena;
    lh_diag_list errs;
    lh_file *file;
    char *copy;
} parsed;

static void parse_str(parsed *r, const char *src)
{
    size_t len = strlen(src);
    memset(r, 0, sizeof *r);
    r->copy = malloc(len + 1);
    memcpy(r->copy, src, len + 1);
    lh_arena_init(&r->arena);
    lh_diag_init(&r->errs, &r->arena);
    r->file = lh_parse_file(&r->arena, "t.go", r->copy, len, &r->errs);
    assert_non_null(r->file);
    if (r->errs.len)
        fprintf(stderr, "parse error: %u:%u: %s\n", r->errs.items[0].line,
                r->errs.items[0].col, r->errs.items[0].msg);
    assert_int_equal(r->errs.len, 0);
}

static void parsed_free(parsed *r)
{
    lh_arena_free(&r->arena);
    free(r->copy);
}

static lh_func_decl *find_func(const lh_file *f, const char *name)
{
    for (uint32_t i = 0; i < f->decls.n; i++) {
        lh_node *d = f->decls.v[i];
        if (LH_KIND(d) == LH_FUNC_DECL && lh_ident_is(LH_AS(d, lh_func_decl)->name, name))
            return LH_AS(d, lh_func_decl);
    }
    fail_msg("no func %s", name);
    return NULL;
}

/* Calls named exit() or fatal() never return; panic as by default. */
static bool test_may_return(const lh_call_expr *call, void *ctx)
{
    (void)ctx;
    lh_node *fn = lh_ast_unparen(call->fun);
    if (lh_ident_is(fn, "exit") || lh_ident_is(fn, "fatal"))
        return false;
    if (LH_KIND(fn) == LH_SELECTOR_EXPR && lh_ident_is(LH_AS(fn, lh_selector_expr)->x, "os") &&
        lh_ident_is(LH_AS(fn, lh_selector_expr)->sel, "Exit"))
        return false;
    return lh_cfg_default_may_return(call, NULL);
}

/* Structural invariants every graph must keep. */
static void check_consistent(const lh_cfg *cfg)
{
    assert_true(cfg->nblocks > 0);
    assert_true(cfg->blocks[0]->live);
    assert_int_equal(cfg->blocks[0]->kind, LH_CFG_ENTRY);
    uint32_t nn = 0;
    for (uint32_t i = 0; i < cfg->nblocks; i++) {
        const lh_cfg_block *b = cfg->blocks[i];
        assert_int_equal(b->index, i);
        nn += b->nnodes;
        if (b->term)
            assert_int_equal(b->nsuccs, 0);
        if (b->cond)
            assert_int_equal(b->nsuccs, 2);
        for (uint32_t k = 0; k < b->nsuccs; k++) {
            assert_true(b->succs[k]->index < cfg->nblocks);
            assert_ptr_equal(cfg->blocks[b->succs[k]->index], b->succs[k]);
            if (b->live)
                assert_true(b->succs[k]->live);
        }
        for (uint32_t k = 0; k < b->nnodes; k++) {
            uint32_t idx = 99;
            assert_ptr_equal(lh_cfg_block_of(cfg, b->nodes[k], &idx), b);
            assert_int_equal(idx, k);
        }
    }
    assert_int_equal(nn, cfg->nnodes);
}

typedef struct built {
    parsed p;
    lh_cfg *cfg;
    lh_buf text;
} built;

static void build(built *g, const char *src, const char *fn, lh_cfg_may_return_fn mr)
{
    parse_str(&g->p, src);
    lh_func_decl *d = find_func(g->p.file, fn);
    g->cfg = lh_cfg_build(&g->p.arena, d->body, mr, NULL);
    assert_non_null(g->cfg);
    check_consistent(g->cfg);
    g->text = (lh_buf)LH_BUF_INIT;
    lh_cfg_format(g->cfg, &g->text);
}

static void built_free(built *g)
{
    lh_buf_free(&g->text);
    parsed_free(&g->p);
}

static void expect_cfg_mr(const char *src, const char *fn, lh_cfg_may_return_fn mr,
                          const char *want)
{
    built g;
    build(&g, src, fn, mr);
    if (strcmp(g.text.data, want) != 0) {
        fprintf(stderr, "func %s: got\n%s-- want\n%s--\n", fn, g.text.data, want);
        fail();
    }
    built_free(&g);
}

static void expect_cfg(const char *src, const char *fn, const char *want)
{
    expect_cfg_mr(src, fn, NULL, want);
}

/* ---- construction -------------------------------------------------------- */

static void test_straight_line(void **state)
{
    (void)state;
    expect_cfg("package p\n"
               "func f() {\n"
               "\tx := 1\n"
               "\tx++\n"
               "\tg(x)\n"
               "\t;\n"
               "}\n",
               "f",
               "b0 entry: AssignStmt@3:2 IncDecStmt@4:2 ExprStmt@5:2 -> return\n");
    expect_cfg("package p\nfunc f() {}\n", "f", "b0 entry: -> return\n");
}

static void test_if(void **state)
{
    (void)state;
    expect_cfg("package p\n"
               "func f(c bool) int {\n"
               "\tif c {\n"
               "\t\treturn 1\n"
               "\t}\n"
               "\treturn 2\n"
               "}\n",
               "f",
               "b0 entry: Ident@3:5 -> b1 b2\n"
               "b1 if.then: ReturnStmt@4:3 -> return\n"
               "b2 if.done: ReturnStmt@6:2 -> return\n");
}

static void test_if_else_init(void **state)
{
    (void)state;
    expect_cfg("package p\n"
               "func f() {\n"
               "\tif err := g(); err != nil {\n"
               "\t\ta()\n"
               "\t} else {\n"
               "\t\tb()\n"
               "\t}\n"
               "\tc()\n"
               "}\n",
               "f",
               "b0 entry: AssignStmt@3:5 BinaryExpr@3:17 -> b1 b2\n"
               "b1 if.then: ExprStmt@4:3 -> b3\n"
               "b2 if.else: ExprStmt@6:3 -> b3\n"
               "b3 if.done: ExprStmt@8:2 -> return\n");
}

static void test_else_if_chain(void **state)
{
    (void)state;
    /* The else-if's init and cond are evaluated in the outer else block. */
    expect_cfg("package p\n"
               "func f(x int) {\n"
               "\tif x < 0 {\n"
               "\t\ta()\n"
               "\t} else if y := x; y > 0 {\n"
               "\t\treturn\n"
               "\t} else {\n"
               "\t\tb()\n"
               "\t}\n"
               "}\n",
               "f",
               "b0 entry: BinaryExpr@3:5 -> b1 b2\n"
               "b1 if.then: ExprStmt@4:3 -> b3\n"
               "b2 if.else: AssignStmt@5:12 BinaryExpr@5:20 -> b4 b5\n"
               "b3 if.done: -> return\n"
               "b4 if.then: ReturnStmt@6:3 -> return\n"
               "b5 if.else: ExprStmt@8:3 -> b6\n"
               "b6 if.done: -> b3\n");
}

static void test_for_three_clause(void **state)
{
    (void)state;
    expect_cfg("package p\n"
               "func f() {\n"
               "\tfor i := 0; i < 10; i++ {\n"
               "\t\tif i == 5 {\n"
               "\t\t\tcontinue\n"
               "\t\t}\n"
               "\t\tg(i)\n"
               "\t}\n"
               "}\n",
               "f",
               "b0 entry: AssignStmt@3:6 -> b2\n"
               "b1 for.done: -> return\n"
               "b2 for.loop: BinaryExpr@3:14 -> b3 b1\n"
               "b3 for.body: BinaryExpr@4:6 -> b5 b6\n"
               "b4 for.post: IncDecStmt@3:22 -> b2\n"
               "b5 if.then: BranchStmt@5:4 -> b4\n"
               "b6 if.done: ExprStmt@7:3 -> b4\n");
}

static void test_for_infinite(void **state)
{
    (void)state;
    /* No cond: the done block is reached by the break alone. */
    expect_cfg("package p\n"
               "func f() {\n"
               "\tfor {\n"
               "\t\tif g() {\n"
               "\t\t\tbreak\n"
               "\t\t}\n"
               "\t}\n"
               "\th()\n"
               "}\n",
               "f",
               "b0 entry: -> b2\n"
               "b1 for.done: ExprStmt@8:2 -> return\n"
               "b2 for.loop: -> b3\n"
               "b3 for.body: CallExpr@4:6 -> b4 b5\n"
               "b4 if.then: BranchStmt@5:4 -> b1\n"
               "b5 if.done: -> b2\n");
    /* Without a break the code after it is dead, and nothing returns. */
    expect_cfg("package p\n"
               "func f() {\n"
               "\tfor {\n"
               "\t\tg()\n"
               "\t}\n"
               "\th()\n"
               "}\n",
               "f",
               "b0 entry: -> b2\n"
               "b1 for.done dead: ExprStmt@6:2 -> return\n"
               "b2 for.loop: -> b3\n"
               "b3 for.body: ExprStmt@4:3 -> b2\n");
}

static void test_for_cond(void **state)
{
    (void)state;
    expect_cfg("package p\n"
               "func f() {\n"
               "\tfor more() {\n"
               "\t\tg()\n"
               "\t}\n"
               "}\n",
               "f",
               "b0 entry: -> b2\n"
               "b1 for.done: -> return\n"
               "b2 for.loop: CallExpr@3:6 -> b3 b1\n"
               "b3 for.body: ExprStmt@4:3 -> b2\n");
}

static void test_range(void **state)
{
    (void)state;
    /* X once, before the head; the head has no nodes. */
    expect_cfg("package p\n"
               "func f(xs []int) {\n"
               "\tfor _, x := range xs {\n"
               "\t\tg(x)\n"
               "\t}\n"
               "}\n",
               "f",
               "b0 entry: Ident@3:20 -> b2\n"
               "b1 range.done: -> return\n"
               "b2 range.loop: -> b3 b1\n"
               "b3 range.body: ExprStmt@4:3 -> b2\n");
}

static void test_range_int_and_func(void **state)
{
    (void)state;
    /* Go 1.22: range over an int. */
    expect_cfg("package p\n"
               "func f() {\n"
               "\tfor i := range 10 {\n"
               "\t\tg(i)\n"
               "\t}\n"
               "}\n",
               "f",
               "b0 entry: BasicLit@3:17 -> b2\n"
               "b1 range.done: -> return\n"
               "b2 range.loop: -> b3 b1\n"
               "b3 range.body: ExprStmt@4:3 -> b2\n");
    /* Go 1.23: range over a function; the return in the body returns from
     * f, as the spec says. */
    expect_cfg("package p\n"
               "func f(seq func(func(int) bool)) int {\n"
               "\tfor v := range seq {\n"
               "\t\tif v > 3 {\n"
               "\t\t\treturn v\n"
               "\t\t}\n"
               "\t}\n"
               "\treturn 0\n"
               "}\n",
               "f",
               "b0 entry: Ident@3:17 -> b2\n"
               "b1 range.done: ReturnStmt@8:2 -> return\n"
               "b2 range.loop: -> b3 b1\n"
               "b3 range.body: BinaryExpr@4:6 -> b4 b5\n"
               "b4 if.then: ReturnStmt@5:4 -> return\n"
               "b5 if.done: -> b2\n");
}

static void test_labeled_continue_nested(void **state)
{
    (void)state;
    expect_cfg("package p\n"
               "func f(m [][]int) {\n"
               "outer:\n"
               "\tfor _, row := range m {\n"
               "\t\tfor _, v := range row {\n"
               "\t\t\tif v < 0 {\n"
               "\t\t\t\tcontinue outer\n"
               "\t\t\t}\n"
               "\t\t\tif v == 0 {\n"
               "\t\t\t\tbreak outer\n"
               "\t\t\t}\n"
               "\t\t}\n"
               "\t}\n"
               "}\n",
               "f",
               "b0 entry: -> b1\n"
               "b1 label: Ident@4:22 -> b3\n"
               "b2 range.done: -> return\n"
               "b3 range.loop: -> b4 b2\n"
               "b4 range.body: Ident@5:21 -> b6\n"
               "b5 range.done: -> b3\n"
               "b6 range.loop: -> b7 b5\n"
               "b7 range.body: BinaryExpr@6:7 -> b8 b9\n"
               "b8 if.then: BranchStmt@7:5 -> b3\n"
               "b9 if.done: BinaryExpr@9:7 -> b10 b11\n"
               "b10 if.then: BranchStmt@10:5 -> b2\n"
               "b11 if.done: -> b6\n");
}

static void test_goto(void **state)
{
    (void)state;
    /* Backward: a loop made of a label and a goto. */
    expect_cfg("package p\n"
               "func f() {\n"
               "\ti := 0\n"
               "again:\n"
               "\ti++\n"
               "\tif i < 10 {\n"
               "\t\tgoto again\n"
               "\t}\n"
               "}\n",
               "f",
               "b0 entry: AssignStmt@3:2 -> b1\n"
               "b1 label: IncDecStmt@5:2 BinaryExpr@6:5 -> b2 b3\n"
               "b2 if.then: BranchStmt@7:3 -> b1\n"
               "b3 if.done: -> return\n");
    /* Forward: the label's block is made at the goto; the code it skips
     * is dead. */
    expect_cfg("package p\n"
               "func f() {\n"
               "\tgoto done\n"
               "\tg()\n"
               "done:\n"
               "\th()\n"
               "}\n",
               "f",
               "b0 entry: BranchStmt@3:2 -> b1\n"
               "b1 label: ExprStmt@6:2 -> return\n"
               "b2 unreachable dead: ExprStmt@4:2 -> b1\n");
}

static void test_switch_fallthrough(void **state)
{
    (void)state;
    /* Cases are tested in source order; default (written in the middle)
     * only after every case failed; fallthrough goes to the next body in
     * source order. */
    expect_cfg("package p\n"
               "func f(x int) {\n"
               "\tswitch x {\n"
               "\tcase 1, 2:\n"
               "\t\ta()\n"
               "\t\tfallthrough\n"
               "\tdefault:\n"
               "\t\tb()\n"
               "\tcase 3:\n"
               "\t\tc()\n"
               "\t}\n"
               "}\n",
               "f",
               "b0 entry: Ident@3:9 -> b1\n"
               "b1 switch.case: BasicLit@4:7 BasicLit@4:10 -> b3 b2\n"
               "b2 switch.case: BasicLit@9:7 -> b5 b4\n"
               "b3 switch.body: ExprStmt@5:3 BranchStmt@6:3 -> b4\n"
               "b4 switch.body: ExprStmt@8:3 -> b6\n"
               "b5 switch.body: ExprStmt@10:3 -> b6\n"
               "b6 switch.done: -> return\n");
}

static void test_switch_no_tag_init(void **state)
{
    (void)state;
    /* No default: the last failed case goes to done. break leaves the
     * switch. */
    expect_cfg("package p\n"
               "func f() {\n"
               "\tswitch x := g(); {\n"
               "\tcase x > 0:\n"
               "\t\tif x > 9 {\n"
               "\t\t\tbreak\n"
               "\t\t}\n"
               "\t\ta()\n"
               "\tcase x < 0:\n"
               "\t\treturn\n"
               "\t}\n"
               "\th()\n"
               "}\n",
               "f",
               "b0 entry: AssignStmt@3:9 -> b1\n"
               "b1 switch.case: BinaryExpr@4:7 -> b3 b2\n"
               "b2 switch.case: BinaryExpr@9:7 -> b4 b5\n"
               "b3 switch.body: BinaryExpr@5:6 -> b6 b7\n"
               "b4 switch.body: ReturnStmt@10:3 -> return\n"
               "b5 switch.done: ExprStmt@12:2 -> return\n"
               "b6 if.then: BranchStmt@6:4 -> b5\n"
               "b7 if.done: ExprStmt@8:3 -> b5\n");
    /* An empty switch still evaluates its tag. */
    expect_cfg("package p\nfunc f() {\n\tswitch g() {\n\t}\n}\n", "f",
               "b0 entry: CallExpr@3:9 -> b1\n"
               "b1 switch.done: -> return\n");
}

static void test_type_switch(void **state)
{
    (void)state;
    expect_cfg("package p\n"
               "func f(v any) {\n"
               "\tswitch x := v.(type) {\n"
               "\tcase int:\n"
               "\t\ta(x)\n"
               "\tcase string, error:\n"
               "\t\treturn\n"
               "\t}\n"
               "}\n",
               "f",
               "b0 entry: AssignStmt@3:9 -> b1 b2 b3\n"
               "b1 typeswitch.body: ExprStmt@5:3 -> b3\n"
               "b2 typeswitch.body: ReturnStmt@7:3 -> return\n"
               "b3 typeswitch.done: -> return\n");
    /* With a default, done is reached from the bodies only. */
    expect_cfg("package p\n"
               "func f(v any) {\n"
               "\tswitch v.(type) {\n"
               "\tdefault:\n"
               "\t\tpanic(v)\n"
               "\tcase nil:\n"
               "\t}\n"
               "}\n",
               "f",
               "b0 entry: ExprStmt@3:9 -> b1 b2\n"
               "b1 typeswitch.body: ExprStmt@5:3 -> noreturn\n"
               "b2 typeswitch.body: -> b3\n"
               "b3 typeswitch.done: -> return\n");
}

static void test_select(void **state)
{
    (void)state;
    /* Each clause body starts with its comm statement; default is one
     * more alternative. */
    expect_cfg("package p\n"
               "func f(c chan int, d chan int) {\n"
               "\tselect {\n"
               "\tcase v := <-c:\n"
               "\t\tg(v)\n"
               "\tcase d <- 1:\n"
               "\tdefault:\n"
               "\t\treturn\n"
               "\t}\n"
               "\th()\n"
               "}\n",
               "f",
               "b0 entry: -> b1 b2 b3\n"
               "b1 select.body: AssignStmt@4:7 ExprStmt@5:3 -> b4\n"
               "b2 select.body: SendStmt@6:7 -> b4\n"
               "b3 select.body: ReturnStmt@8:3 -> return\n"
               "b4 select.done: ExprStmt@10:2 -> return\n");
}

static void test_select_empty_blocks(void **state)
{
    (void)state;
    expect_cfg("package p\n"
               "func f() {\n"
               "\tgo g()\n"
               "\tselect {}\n"
               "\th()\n"
               "}\n",
               "f",
               "b0 entry: GoStmt@3:2 -> blocked\n"
               "b1 unreachable dead: ExprStmt@5:2 -> return\n");
}

static void test_break_in_select_in_for(void **state)
{
    (void)state;
    /* A bare break in a select leaves the select, not the loop: the loop
     * has no exit but the labeled break. */
    expect_cfg("package p\n"
               "func f(c chan int, q chan bool) {\n"
               "loop:\n"
               "\tfor {\n"
               "\t\tselect {\n"
               "\t\tcase <-c:\n"
               "\t\t\tbreak\n"
               "\t\tcase <-q:\n"
               "\t\t\tbreak loop\n"
               "\t\t}\n"
               "\t}\n"
               "}\n",
               "f",
               "b0 entry: -> b1\n"
               "b1 label: -> b3\n"
               "b2 for.done: -> return\n"
               "b3 for.loop: -> b4\n"
               "b4 for.body: -> b5 b6\n"
               "b5 select.body: ExprStmt@6:8 BranchStmt@7:4 -> b7\n"
               "b6 select.body: ExprStmt@8:8 BranchStmt@9:4 -> b2\n"
               "b7 select.done: -> b3\n");
}

static void test_defer_go_nodes(void **state)
{
    (void)state;
    /* defer and go are ordinary nodes: the deferred call does not run
     * there, and a func literal's body is not part of this graph. */
    expect_cfg("package p\n"
               "func f() {\n"
               "\tdefer func() {\n"
               "\t\treturn\n"
               "\t}()\n"
               "\tgo g()\n"
               "\tvar x int\n"
               "\tch <- x\n"
               "}\n",
               "f",
               "b0 entry: DeferStmt@3:2 GoStmt@6:2 DeclStmt@7:2 SendStmt@8:2 -> return\n");
}

static void test_dead_code_after_return(void **state)
{
    (void)state;
    expect_cfg("package p\n"
               "func f() int {\n"
               "\treturn 1\n"
               "\tg()\n"
               "\tif x {\n"
               "\t\th()\n"
               "\t}\n"
               "\treturn 2\n"
               "}\n",
               "f",
               "b0 entry: ReturnStmt@3:2 -> return\n"
               "b1 unreachable dead: ExprStmt@4:2 Ident@5:5 -> b2 b3\n"
               "b2 if.then dead: ExprStmt@6:3 -> b3\n"
               "b3 if.done dead: ReturnStmt@8:2 -> return\n");
    /* Both branches return: the join is dead and made no block for the
     * end of the body. */
    expect_cfg("package p\n"
               "func f(c bool) int {\n"
               "\tif c {\n"
               "\t\treturn 1\n"
               "\t} else {\n"
               "\t\treturn 2\n"
               "\t}\n"
               "}\n",
               "f",
               "b0 entry: Ident@3:5 -> b1 b2\n"
               "b1 if.then: ReturnStmt@4:3 -> return\n"
               "b2 if.else: ReturnStmt@6:3 -> return\n"
               "b3 if.done dead: -> return\n");
}

static void test_panic(void **state)
{
    (void)state;
    expect_cfg("package p\n"
               "func f(err error) {\n"
               "\tif err != nil {\n"
               "\t\t(panic)(err)\n"
               "\t}\n"
               "\tdone()\n"
               "}\n",
               "f",
               "b0 entry: BinaryExpr@3:5 -> b1 b2\n"
               "b1 if.then: ExprStmt@4:3 -> noreturn\n"
               "b2 if.done: ExprStmt@6:2 -> return\n");
    /* A panic that is not a statement of its own ends nothing. */
    expect_cfg("package p\nfunc f() {\n\tdefer panic(1)\n\tx := panic\n}\n", "f",
               "b0 entry: DeferStmt@3:2 AssignStmt@4:2 -> return\n");
}

static void test_noreturn_calls(void **state)
{
    (void)state;
    const char *src = "package p\n"
                      "func f(err error) {\n"
                      "\tif err != nil {\n"
                      "\t\tos.Exit(1)\n"
                      "\t}\n"
                      "\tfatal()\n"
                      "\tafter()\n"
                      "}\n";
    expect_cfg_mr(src, "f", test_may_return,
                  "b0 entry: BinaryExpr@3:5 -> b1 b2\n"
                  "b1 if.then: ExprStmt@4:3 -> noreturn\n"
                  "b2 if.done: ExprStmt@6:2 -> noreturn\n"
                  "b3 unreachable dead: ExprStmt@7:2 -> return\n");
    /* Without the predicate only panic ends a block. */
    expect_cfg(src, "f",
               "b0 entry: BinaryExpr@3:5 -> b1 b2\n"
               "b1 if.then: ExprStmt@4:3 -> b2\n"
               "b2 if.done: ExprStmt@6:2 ExprStmt@7:2 -> return\n");
}

static void test_labeled_non_loop(void **state)
{
    (void)state;
    /* A label on a switch: break L leaves the switch from inside a loop. */
    expect_cfg("package p\n"
               "func f(xs []int) {\n"
               "sw:\n"
               "\tswitch {\n"
               "\tcase len(xs) > 0:\n"
               "\t\tfor range xs {\n"
               "\t\t\tbreak sw\n"
               "\t\t}\n"
               "\t}\n"
               "}\n",
               "f",
               "b0 entry: -> b1\n"
               "b1 label: -> b2\n"
               "b2 switch.case: BinaryExpr@5:7 -> b3 b4\n"
               "b3 switch.body: Ident@6:13 -> b6\n"
               "b4 switch.done: -> return\n"
               "b5 range.done: -> b4\n"
               "b6 range.loop: -> b7 b5\n"
               "b7 range.body: BranchStmt@7:4 -> b4\n");
}

static void test_nested_blocks_and_empty(void **state)
{
    (void)state;
    expect_cfg("package p\n"
               "func f() {\n"
               "\t{\n"
               "\t\ta()\n"
               "\t\t{\n"
               "\t\t}\n"
               "\t}\n"
               "\tfor ; ; {\n"
               "\t}\n"
               "}\n",
               "f",
               "b0 entry: ExprStmt@4:3 -> b2\n"
               "b1 for.done dead: -> return\n"
               "b2 for.loop: -> b3\n"
               "b3 for.body: -> b2\n");
}

static void test_not_compiling(void **state)
{
    (void)state;
    /* Parses but does not compile: branches without a target are dead
     * ends (no successors, no term), never crashes. */
    expect_cfg("package p\n"
               "func f() {\n"
               "\tif x {\n"
               "\t\tbreak\n"
               "\t}\n"
               "\tcontinue\n"
               "\tfallthrough\n"
               "\tgoto nowhere\n"
               "}\n",
               "f",
               "b0 entry: Ident@3:5 -> b1 b2\n"
               "b1 if.then: BranchStmt@4:3 -> none\n"
               "b2 if.done: BranchStmt@6:2 -> none\n"
               "b3 unreachable dead: BranchStmt@7:2 -> none\n"
               "b4 unreachable dead: BranchStmt@8:2 -> b5\n"
               "b5 label dead: -> none\n");
    /* A duplicate label: the first stays goto's target. */
    expect_cfg("package p\n"
               "func f() {\n"
               "L:\n"
               "\ta()\n"
               "L:\n"
               "\tgoto L\n"
               "}\n",
               "f",
               "b0 entry: -> b1\n"
               "b1 label: ExprStmt@4:2 -> b2\n"
               "b2 label: BranchStmt@6:2 -> b1\n");
}

static void test_func_lit_own_graph(void **state)
{
    (void)state;
    built g;
    build(&g,
          "package p\n"
          "func f() {\n"
          "\tgo func() {\n"
          "\t\tfor {\n"
          "\t\t\twork()\n"
          "\t\t}\n"
          "\t}()\n"
          "}\n",
          "f", NULL);
    assert_string_equal(g.text.data, "b0 entry: GoStmt@3:2 -> return\n");
    assert_int_equal(g.cfg->nloops, 0);
    lh_go_stmt *gs = LH_AS(g.cfg->blocks[0]->nodes[0], lh_go_stmt);
    lh_func_lit *lit = LH_AS(LH_AS(gs->call, lh_call_expr)->fun, lh_func_lit);
    lh_cfg *inner = lh_cfg_build(&g.p.arena, lit->body, NULL, NULL);
    check_consistent(inner);
    lh_buf t = LH_BUF_INIT;
    lh_cfg_format(inner, &t);
    assert_string_equal(t.data, "b0 entry: -> b2\n"
                                "b1 for.done dead: -> return\n"
                                "b2 for.loop: -> b3\n"
                                "b3 for.body: ExprStmt@5:4 -> b2\n");
    /* The goroutine's questions: it never returns; its loop has no exit. */
    assert_false(lh_cfg_can_return(inner));
    assert_int_equal(inner->nloops, 1);
    assert_false(lh_cfg_loop_exits(inner, inner->loops[0]));
    assert_true(lh_cfg_can_return(g.cfg));
    lh_buf_free(&t);
    built_free(&g);
    assert_null(lh_cfg_build(NULL, NULL, NULL, NULL));
}

static void test_lookup(void **state)
{
    (void)state;
    built g;
    build(&g,
          "package p\n"
          "func f(xs []int) {\n"
          "\tfor i := 0; i < 3; i++ {\n"
          "\t\tfor range xs {\n"
          "\t\t\tg()\n"
          "\t\t}\n"
          "\t}\n"
          "\th()\n"
          "}\n",
          "f", NULL);
    lh_block_stmt *body = LH_AS(find_func(g.p.file, "f")->body, lh_block_stmt);
    lh_for_stmt *outer = LH_AS(body->list.v[0], lh_for_stmt);
    lh_node *inner_stmt = LH_AS(outer->body, lh_block_stmt)->list.v[0];
    lh_node *call = LH_AS(LH_AS(inner_stmt, lh_range_stmt)->body, lh_block_stmt)->list.v[0];
    uint32_t idx = 99;
    /* The cond is a node of the head; compound statements are not nodes. */
    lh_cfg_block *b = lh_cfg_block_of(g.cfg, outer->cond, &idx);
    assert_non_null(b);
    assert_int_equal(b->kind, LH_CFG_FOR_LOOP);
    assert_int_equal(idx, 0);
    assert_null(lh_cfg_block_of(g.cfg, (lh_node *)outer, NULL));
    assert_null(lh_cfg_block_of(g.cfg, LH_AS(call, lh_expr_stmt)->x, NULL));
    lh_cfg_loop *lo = lh_cfg_loop_of(g.cfg, (lh_node *)outer);
    lh_cfg_loop *li = lh_cfg_loop_of(g.cfg, inner_stmt);
    assert_non_null(lo);
    assert_non_null(li);
    assert_null(lh_cfg_loop_of(g.cfg, call));
    assert_ptr_equal(li->parent, lo);
    assert_ptr_equal(lo->cont, lo->post);
    assert_ptr_equal(li->cont, li->head);
    assert_int_equal(lo->index, 0);
    assert_int_equal(lo->last, 2);
    assert_int_equal(li->last, 2);
    lh_cfg_block *cb = lh_cfg_block_of(g.cfg, call, &idx);
    assert_ptr_equal(cb->loop, li);
    assert_true(lh_cfg_in_loop(cb, lo));
    assert_true(lh_cfg_in_loop(lo->post, lo));
    assert_false(lh_cfg_in_loop(lo->post, li));
    assert_true(lh_cfg_in_loop(li->done, lo));
    assert_false(lh_cfg_in_loop(li->done, li));
    assert_false(lh_cfg_in_loop(lo->done, lo));
    assert_true(lh_cfg_loop_exits(g.cfg, lo));
    assert_true(lh_cfg_loop_exits(g.cfg, li));
    built_free(&g);
}

/* ---- path queries -------------------------------------------------------- */

/* A visitor for "is cancel used on every path": any node mentioning the
 * identifier `cancel` satisfies the path; `err != nil` conditions are
 * followed on the false side only (the resource exists there). */
static bool mentions_pre(lh_node *n, lh_node *parent, void *v)
{
    (void)parent;
    bool *found = v;
    if (lh_ident_is(n, "cancel"))
        *found = true;
    return !*found;
}

static lh_cfg_visit use_visit(lh_node *n, void *ctx)
{
    (void)ctx;
    bool found = false;
    lh_ast_walk(n, mentions_pre, NULL, &found);
    if (found)
        return LH_CFG_STOP_PATH;
    if (LH_KIND(n) == LH_BINARY_EXPR && LH_AS(n, lh_binary_expr)->op == LH_TOK_NEQ &&
        lh_ident_is(LH_AS(n, lh_binary_expr)->x, "err") &&
        lh_ident_is(LH_AS(n, lh_binary_expr)->y, "nil"))
        return LH_CFG_ONLY_FALSE;
    return LH_CFG_CONTINUE;
}

/* The first statement of f's body whose text starts at line:col. */
static lh_cfg_block *at(const lh_cfg *cfg, const lh_file *f, const char *fn, uint32_t line,
                        uint32_t *idx)
{
    (void)f;
    for (uint32_t i = 0; i < cfg->nblocks; i++)
        for (uint32_t k = 0; k < cfg->blocks[i]->nnodes; k++)
            if (cfg->blocks[i]->nodes[k]->pos.line == line) {
                *idx = k;
                return cfg->blocks[i];
            }
    fail_msg("%s: no node on line %u", fn, line);
    return NULL;
}

/* Searches for a return reachable from just after the node on line
 * `from` without a use of cancel; the line of the return found, or 0. */
static uint32_t escaping_return(const char *src, uint32_t from)
{
    built g;
    build(&g, src, "f", test_may_return);
    uint32_t idx = 0;
    lh_cfg_block *b = at(g.cfg, g.p.file, "f", from, &idx);
    lh_cfg_search s = {use_visit, NULL, LH_CFG_RETURN, NULL, NULL};
    lh_cfg_hit hit;
    uint32_t line = 0;
    if (lh_cfg_search_from(g.cfg, &s, b, idx + 1, &hit)) {
        assert_int_equal(hit.how, LH_CFG_HIT_END);
        assert_int_equal(hit.block->term, LH_CFG_RETURN);
        assert_int_equal(hit.idx, hit.block->nnodes);
        /* The return statement, or the closing brace for the fall-off. */
        line = hit.block->nnodes ? hit.block->nodes[hit.block->nnodes - 1]->pos.line : 1000;
    }
    built_free(&g);
    return line;
}

static void test_search_cancel(void **state)
{
    (void)state;
    /* Used on every path (a defer right away). */
    assert_int_equal(escaping_return("package p\n"
                                     "func f() error {\n"
                                     "\tctx, cancel := context.WithCancel(bg)\n"
                                     "\tdefer cancel()\n"
                                     "\tif bad {\n"
                                     "\t\treturn nil\n"
                                     "\t}\n"
                                     "\treturn use(ctx)\n"
                                     "}\n",
                                     3),
                     0);
    /* One early return misses it (vet's lostcancel shape). */
    assert_int_equal(escaping_return("package p\n"
                                     "func f() error {\n"
                                     "\tctx, cancel := context.WithCancel(bg)\n"
                                     "\tif bad {\n"
                                     "\t\treturn nil\n"
                                     "\t}\n"
                                     "\tdefer cancel()\n"
                                     "\treturn use(ctx)\n"
                                     "}\n",
                                     3),
                     5);
    /* The path that misses it ends in os.Exit, which is no return; and a
     * fall-off end is one. */
    assert_int_equal(escaping_return("package p\n"
                                     "func f() {\n"
                                     "\tctx, cancel := context.WithCancel(bg)\n"
                                     "\tif bad {\n"
                                     "\t\tos.Exit(1)\n"
                                     "\t}\n"
                                     "\tcancel()\n"
                                     "}\n",
                                     3),
                     0);
    assert_int_equal(escaping_return("package p\n"
                                     "func f() {\n"
                                     "\tctx, cancel := context.WithCancel(bg)\n"
                                     "\tswitch {\n"
                                     "\tcase a:\n"
                                     "\t\tcancel()\n"
                                     "\tcase b:\n"
                                     "\t}\n"
                                     "}\n",
                                     3),
                     1000);
    /* The err != nil branch is pruned: the resource is not there. */
    assert_int_equal(escaping_return("package p\n"
                                     "func f() error {\n"
                                     "\tctx, cancel, err := open()\n"
                                     "\tif err != nil {\n"
                                     "\t\treturn err\n"
                                     "\t}\n"
                                     "\tdefer cancel()\n"
                                     "\treturn nil\n"
                                     "}\n",
                                     3),
                     0);
    /* Around the loop the next iteration's use satisfies the path, but
     * the loop's exit (cond false) loses the last one. */
    assert_int_equal(escaping_return("package p\n"
                                     "func f() {\n"
                                     "\tfor i := 0; i < n; i++ {\n"
                                     "\t\tcancel()\n"
                                     "\t\tctx, cancel = context.WithCancel(bg)\n"
                                     "\t}\n"
                                     "}\n",
                                     5),
                     1000);
    assert_int_equal(escaping_return("package p\n"
                                     "func f() {\n"
                                     "\tfor i := 0; i < n; i++ {\n"
                                     "\t\tctx, cancel = context.WithCancel(bg)\n"
                                     "\t\tif i > 0 {\n"
                                     "\t\t\tcancel()\n"
                                     "\t\t}\n"
                                     "\t}\n"
                                     "}\n",
                                     4),
                     1000);
}

/* Next-iteration queries: from a statement in a loop body, is the loop's
 * head reached (with until) before the resource is closed? */
static void test_search_next_iteration(void **state)
{
    (void)state;
    built g;
    build(&g,
          "package p\n"
          "func f(urls []string) {\n"
          "\tfor _, u := range urls {\n"
          "\t\tresp, err := get(u)\n"
          "\t\tif err != nil {\n"
          "\t\t\tcontinue\n"
          "\t\t}\n"
          "\t\tif resp.Code == 200 {\n"
          "\t\t\tcancel()\n"
          "\t\t\tcontinue\n"
          "\t\t}\n"
          "\t\tuse(resp)\n"
          "\t}\n"
          "}\n",
          "f", NULL);
    uint32_t idx = 0;
    lh_cfg_block *b = at(g.cfg, g.p.file, "f", 4, &idx);
    assert_non_null(b->loop);
    lh_cfg_search s = {use_visit, NULL, LH_CFG_RETURN, b->loop->head, NULL};
    lh_cfg_hit hit;
    assert_true(lh_cfg_search_from(g.cfg, &s, b, idx + 1, &hit));
    assert_int_equal(hit.how, LH_CFG_HIT_UNTIL);
    assert_ptr_equal(hit.block, b->loop->head);
    /* Confined to the loop, with leaving reported. */
    lh_cfg_search leave = {NULL, NULL, LH_CFG_LEAVE, NULL, b->loop};
    assert_true(lh_cfg_search_from(g.cfg, &leave, b->loop->head, 0, &hit));
    assert_int_equal(hit.how, LH_CFG_HIT_LEAVE);
    assert_ptr_equal(hit.block, b->loop->done);
    /* Leaving without LEAVE ends paths: nothing else to find. */
    lh_cfg_search confined = {NULL, NULL, LH_CFG_RETURN, NULL, b->loop};
    assert_false(lh_cfg_search_from(g.cfg, &confined, b->loop->head, 0, &hit));
    built_free(&g);
}

/* ONLY_TRUE on `err == nil`; a goto out of the loop is a leave; select {}
 * is an end of its own kind. */
static lh_cfg_visit err_eq_nil(lh_node *n, void *ctx)
{
    (void)ctx;
    if (LH_KIND(n) == LH_BINARY_EXPR && LH_AS(n, lh_binary_expr)->op == LH_TOK_EQL)
        return LH_CFG_ONLY_TRUE;
    if (LH_KIND(n) == LH_EXPR_STMT && lh_ident_is(LH_AS(LH_AS(n, lh_expr_stmt)->x,
                                                          lh_call_expr)->fun, "closeIt"))
        return LH_CFG_STOP_PATH;
    return LH_CFG_CONTINUE;
}

static void test_search_ends(void **state)
{
    (void)state;
    built g;
    build(&g,
          "package p\n"
          "func f() {\n"
          "\tr, err := open()\n"
          "\tif err == nil {\n"
          "\t\tcloseIt(r)\n"
          "\t}\n"
          "\tfor {\n"
          "\t\tif g() {\n"
          "\t\t\tgoto out\n"
          "\t\t}\n"
          "\t}\n"
          "out:\n"
          "\tselect {}\n"
          "}\n",
          "f", NULL);
    assert_string_equal(g.text.data, "b0 entry: AssignStmt@3:2 BinaryExpr@4:5 -> b1 b2\n"
                                     "b1 if.then: ExprStmt@5:3 -> b2\n"
                                     "b2 if.done: -> b4\n"
                                     "b3 for.done dead: -> b8\n"
                                     "b4 for.loop: -> b5\n"
                                     "b5 for.body: CallExpr@8:6 -> b6 b7\n"
                                     "b6 if.then: BranchStmt@9:4 -> b8\n"
                                     "b7 if.done: -> b4\n"
                                     "b8 label: -> blocked\n");
    assert_true(g.cfg->blocks[0]->cond);
    assert_false(g.cfg->blocks[4]->cond);
    lh_cfg_search s = {err_eq_nil, NULL, LH_CFG_RETURN | LH_CFG_BLOCKED, NULL, NULL};
    lh_cfg_hit hit;
    /* The true side closes; the pruned false side would have reached the
     * select. */
    assert_false(lh_cfg_search_from(g.cfg, &s, g.cfg->blocks[0], 1, &hit));
    s.visit = NULL;
    assert_true(lh_cfg_search_from(g.cfg, &s, g.cfg->blocks[0], 1, &hit));
    assert_int_equal(hit.how, LH_CFG_HIT_END);
    assert_int_equal(hit.block->term, LH_CFG_BLOCKED);
    s.ends = LH_CFG_RETURN;
    assert_false(lh_cfg_search_from(g.cfg, &s, g.cfg->blocks[0], 1, &hit));
    /* The loop is left by the goto alone. */
    assert_true(lh_cfg_loop_exits(g.cfg, g.cfg->loops[0]));
    lh_cfg_search leave = {NULL, NULL, LH_CFG_LEAVE, NULL, g.cfg->loops[0]};
    assert_true(lh_cfg_search_from(g.cfg, &leave, g.cfg->loops[0]->head, 0, &hit));
    assert_int_equal(hit.how, LH_CFG_HIT_LEAVE);
    assert_int_equal(hit.block->kind, LH_CFG_LABEL);
    assert_false(lh_cfg_can_return(g.cfg));
    built_free(&g);
}

static lh_node *g_target;
static lh_cfg_visit find_node(lh_node *n, void *ctx)
{
    (void)ctx;
    return n == g_target ? LH_CFG_FOUND : LH_CFG_CONTINUE;
}

/* defer-in-loop: does the defer run again (its loop's head, or the defer
 * itself, reachable from just after it)? */
static bool defer_repeats(const char *src, uint32_t line)
{
    built g;
    build(&g, src, "f", test_may_return);
    uint32_t idx = 0;
    lh_cfg_block *b = at(g.cfg, g.p.file, "f", line, &idx);
    assert_int_equal(LH_KIND(b->nodes[idx]), LH_DEFER_STMT);
    g_target = b->nodes[idx];
    lh_cfg_search s = {find_node, NULL, 0, b->loop ? b->loop->head : NULL, NULL};
    bool r = lh_cfg_search_from(g.cfg, &s, b, idx + 1, NULL);
    built_free(&g);
    return r;
}

static void test_search_defer_in_loop(void **state)
{
    (void)state;
    assert_true(defer_repeats("package p\n"
                              "func f(xs []string) {\n"
                              "\tfor _, x := range xs {\n"
                              "\t\tf := open(x)\n"
                              "\t\tdefer f.Close()\n"
                              "\t}\n"
                              "}\n",
                              5));
    /* Every path from the defer leaves: return, break, goto out, a call
     * that never returns, panic. */
    assert_false(defer_repeats("package p\n"
                               "func f(xs []string) {\n"
                               "\tfor _, x := range xs {\n"
                               "\t\tdefer f.Close()\n"
                               "\t\tswitch x {\n"
                               "\t\tcase \"a\":\n"
                               "\t\t\treturn\n"
                               "\t\tcase \"b\":\n"
                               "\t\t\tgoto out\n"
                               "\t\tcase \"c\":\n"
                               "\t\t\texit()\n"
                               "\t\tcase \"d\":\n"
                               "\t\t\tpanic(x)\n"
                               "\t\t}\n"
                               "\t\tbreak\n"
                               "\t}\n"
                               "out:\n"
                               "}\n",
                               4));
    /* A labeled continue from a nested loop starts the next iteration. */
    assert_true(defer_repeats("package p\n"
                              "func f(xs []string) {\n"
                              "outer:\n"
                              "\tfor _, x := range xs {\n"
                              "\t\tdefer f.Close()\n"
                              "\t\tfor {\n"
                              "\t\t\tif x == \"\" {\n"
                              "\t\t\t\tcontinue outer\n"
                              "\t\t\t}\n"
                              "\t\t\treturn\n"
                              "\t\t}\n"
                              "\t}\n"
                              "}\n",
                              5));
    /* A goto backward within the body reaches the defer itself. */
    assert_true(defer_repeats("package p\n"
                              "func f(xs []string) {\n"
                              "\tfor {\n"
                              "\tagain:\n"
                              "\t\tdefer f.Close()\n"
                              "\t\tif retry() {\n"
                              "\t\t\tgoto again\n"
                              "\t\t}\n"
                              "\t\treturn\n"
                              "\t}\n"
                              "}\n",
                              5));
    /* Leaving an inner loop into an outer one comes back to the defer. */
    assert_true(defer_repeats("package p\n"
                              "func f(m [][]int) {\n"
                              "\tfor _, r := range m {\n"
                              "\t\tfor range r {\n"
                              "\t\t\tdefer f.Close()\n"
                              "\t\t\tbreak\n"
                              "\t\t}\n"
                              "\t}\n"
                              "}\n",
                              5));
}

static void test_search_start_block_edges(void **state)
{
    (void)state;
    built g;
    build(&g,
          "package p\n"
          "func f() {\n"
          "\ta()\n"
          "\tb()\n"
          "}\n",
          "f", NULL);
    lh_cfg_block *b = g.cfg->blocks[0];
    lh_cfg_hit hit;
    lh_cfg_search s = {NULL, NULL, LH_CFG_RETURN, NULL, NULL};
    /* From the end of the block (past every node), and from beyond it. */
    assert_true(lh_cfg_search_from(g.cfg, &s, b, 2, &hit));
    assert_ptr_equal(hit.block, b);
    assert_true(lh_cfg_search_from(g.cfg, &s, b, 7, &hit));
    /* A node found before the end. */
    g_target = b->nodes[1];
    lh_cfg_search f = {find_node, NULL, LH_CFG_RETURN, NULL, NULL};
    assert_true(lh_cfg_search_from(g.cfg, &f, b, 0, &hit));
    assert_int_equal(hit.how, LH_CFG_HIT_NODE);
    assert_int_equal(hit.idx, 1);
    /* The node before the start is not seen again without a loop. */
    g_target = b->nodes[0];
    f.ends = 0;
    assert_false(lh_cfg_search_from(g.cfg, &f, b, 1, &hit));
    built_free(&g);
    /* In a loop the start block's head is walked when a path comes back:
     * the nodes before the start, and the start node itself. */
    build(&g,
          "package p\n"
          "func f() {\n"
          "\tfor {\n"
          "\t\ta()\n"
          "\t\tb()\n"
          "\t}\n"
          "}\n",
          "f", NULL);
    b = g.cfg->blocks[3];
    assert_int_equal(b->kind, LH_CFG_FOR_BODY);
    g_target = b->nodes[0];
    assert_true(lh_cfg_search_from(g.cfg, &f, b, 2, &hit));
    assert_ptr_equal(hit.block, b);
    assert_int_equal(hit.idx, 0);
    g_target = b->nodes[1];
    assert_true(lh_cfg_search_from(g.cfg, &f, b, 2, &hit));
    assert_int_equal(hit.idx, 1);
    f.until = g.cfg->loops[0]->head;
    assert_true(lh_cfg_search_from(g.cfg, &f, b, 2, &hit));
    assert_int_equal(hit.how, LH_CFG_HIT_UNTIL);
    built_free(&g);
}

/* A search over a graph of more blocks than the stack scratch holds. */
static void test_search_large(void **state)
{
    (void)state;
    lh_buf src = LH_BUF_INIT;
    lh_buf_puts(&src, "package p\nfunc f() {\n\tctx, cancel := g()\n");
    for (int i = 0; i < 600; i++)
        lh_buf_printf(&src, "\tif c%d {\n\t\tx()\n\t}\n", i);
    lh_buf_puts(&src, "\tif last {\n\t\treturn\n\t}\n\tcancel()\n}\n");
    built g;
    build(&g, src.data, "f", NULL);
    assert_true(g.cfg->nblocks > 1000);
    lh_cfg_search s = {use_visit, NULL, LH_CFG_RETURN, NULL, NULL};
    lh_cfg_hit hit;
    assert_true(lh_cfg_search_from(g.cfg, &s, g.cfg->blocks[0], 1, &hit));
    assert_int_equal(LH_KIND(hit.block->nodes[hit.block->nnodes - 1]), LH_RETURN_STMT);
    built_free(&g);
    lh_buf_free(&src);
}

/* ---- robustness ---------------------------------------------------------- */

typedef struct deep_job {
    const char *src;
    parsed p;
    lh_cfg *cfg;
} deep_job;

static void parse_deep(void *v)
{
    deep_job *j = v;
    parse_str(&j->p, j->src);
}

static void *build_small_stack(void *v)
{
    deep_job *j = v;
    lh_func_decl *d = find_func(j->p.file, "f");
    j->cfg = lh_cfg_build(&j->p.arena, d->body, NULL, NULL);
    return NULL;
}

/* 20000 nested ifs, loops and switches: the parser needs its deep stack,
 * the builder runs on a 64 KiB thread (no recursion over nesting). */
static void test_deep_nesting(void **state)
{
    (void)state;
    enum { DEPTH = 20000 };
    lh_buf src = LH_BUF_INIT;
    lh_buf_puts(&src, "package p\nfunc f() {\n");
    for (int i = 0; i < DEPTH; i++) {
        switch (i % 4) {
        case 0: lh_buf_puts(&src, "if a {\n"); break;
        case 1: lh_buf_puts(&src, "for {\n"); break;
        case 2: lh_buf_puts(&src, "switch {\ncase b:\n"); break;
        default: lh_buf_puts(&src, "L: for range c {\n"); break;
        }
    }
    lh_buf_puts(&src, "break L\n");
    for (int i = DEPTH; i-- > 0;)
        lh_buf_puts(&src, "}\n");
    lh_buf_puts(&src, "}\n");
    deep_job j;
    memset(&j, 0, sizeof j);
    j.src = src.data;
    lh_parse_run_deep(parse_deep, &j);
    pthread_attr_t attr;
    pthread_t t;
    assert_int_equal(pthread_attr_init(&attr), 0);
    assert_int_equal(pthread_attr_setstacksize(&attr, 64 << 10), 0);
    assert_int_equal(pthread_create(&t, &attr, build_small_stack, &j), 0);
    pthread_join(t, NULL);
    pthread_attr_destroy(&attr);
    assert_non_null(j.cfg);
    check_consistent(j.cfg);
    assert_int_equal(j.cfg->nloops, DEPTH / 2);
    assert_true(lh_cfg_can_return(j.cfg));
    lh_cfg_search s = {NULL, NULL, LH_CFG_RETURN, NULL, NULL};
    assert_true(lh_cfg_search_from(j.cfg, &s, j.cfg->blocks[0], 0, NULL));
    parsed_free(&j.p);
    lh_buf_free(&src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_straight_line),
        cmocka_unit_test(test_if),
        cmocka_unit_test(test_if_else_init),
        cmocka_unit_test(test_else_if_chain),
        cmocka_unit_test(test_for_three_clause),
        cmocka_unit_test(test_for_infinite),
        cmocka_unit_test(test_for_cond),
        cmocka_unit_test(test_range),
        cmocka_unit_test(test_range_int_and_func),
        cmocka_unit_test(test_labeled_continue_nested),
        cmocka_unit_test(test_goto),
        cmocka_unit_test(test_switch_fallthrough),
        cmocka_unit_test(test_switch_no_tag_init),
        cmocka_unit_test(test_type_switch),
        cmocka_unit_test(test_select),
        cmocka_unit_test(test_select_empty_blocks),
        cmocka_unit_test(test_break_in_select_in_for),
        cmocka_unit_test(test_defer_go_nodes),
        cmocka_unit_test(test_dead_code_after_return),
        cmocka_unit_test(test_panic),
        cmocka_unit_test(test_noreturn_calls),
        cmocka_unit_test(test_labeled_non_loop),
        cmocka_unit_test(test_nested_blocks_and_empty),
        cmocka_unit_test(test_not_compiling),
        cmocka_unit_test(test_func_lit_own_graph),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_search_cancel),
        cmocka_unit_test(test_search_next_iteration),
        cmocka_unit_test(test_search_ends),
        cmocka_unit_test(test_search_defer_in_loop),
        cmocka_unit_test(test_search_start_block_edges),
        cmocka_unit_test(test_search_large),
        cmocka_unit_test(test_deep_nesting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
