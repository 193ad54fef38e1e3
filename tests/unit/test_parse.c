/* Parser tests. Expected dumps (tests/testdata/parse/NAME.dump) and verdicts
 * were produced by go/parser (Go 1.19) through tests/goast. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "go/ast.h"
#include "go/diag.h"
#include "go/dump.h"
#include "go/parse.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/fs.h"

/* One parse: an exactly sized copy of the source (so reads past the
 * sentinel show under the sanitizers), its arena and errors. */
typedef struct parsed {
    lh_arena arena;
    lh_diag_list errs;
    lh_file *file;
    char *copy;
} parsed;

static void parse_src(parsed *r, const char *src, size_t len)
{
    memset(r, 0, sizeof *r);
    r->copy = malloc(len + 1);
    memcpy(r->copy, src, len);
    r->copy[len] = '\0';
    lh_arena_init(&r->arena);
    lh_diag_init(&r->errs, &r->arena);
    r->file = lh_parse_file(&r->arena, "t.go", r->copy, len, &r->errs);
    assert_non_null(r->file);
}

static void parse_str(parsed *r, const char *src)
{
    parse_src(r, src, strlen(src));
}

static void parsed_free(parsed *r)
{
    lh_arena_free(&r->arena);
    free(r->copy);
}

static bool has_error(const parsed *r, const char *needle)
{
    for (size_t i = 0; i < r->errs.len; i++)
        if (strstr(r->errs.items[i].msg, needle))
            return true;
    return false;
}

/* ---- fixtures: dump equal to go/parser's ------------------------------------ */

static void check_fixture(const char *name)
{
    const char *root = getenv("LH_SRC");
    assert_non_null(root);
    char path[4096], err[256];
    char *src, *want;
    size_t len, want_len;
    snprintf(path, sizeof path, "%s/tests/testdata/parse/%s.go", root, name);
    assert_int_equal(lh_read_file(path, 1 << 20, &src, &len, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/tests/testdata/parse/%s.dump", root, name);
    assert_int_equal(lh_read_file(path, 1 << 24, &want, &want_len, err, sizeof err), 0);

    parsed r;
    parse_src(&r, src, len);
    if (r.errs.len)
        fail_msg("%s: unexpected error %u:%u: %s", name, r.errs.items[0].line,
                 r.errs.items[0].col, r.errs.items[0].msg);
    lh_buf out = LH_BUF_INIT;
    lh_dump_file(r.file, &out);
    if (out.len != want_len || memcmp(out.data, want, want_len) != 0) {
        size_t i = 0, line = 1;
        while (i < out.len && i < want_len && out.data[i] == want[i])
            line += out.data[i++] == '\n';
        fail_msg("%s: dump differs from go/parser's at line %zu", name, line);
    }
    lh_buf_free(&out);
    parsed_free(&r);
    free(src);
    free(want);
}

static void test_fixture_generics(void **state)
{
    (void)state;
    check_fixture("generics");
}

static void test_fixture_control(void **state)
{
    (void)state;
    check_fixture("control");
}

static void test_fixture_exprs(void **state)
{
    (void)state;
    check_fixture("exprs");
}

static void test_fixture_comments(void **state)
{
    (void)state;
    check_fixture("comments");
}

/* ---- dump snippets ------------------------------------------------------------ */

/* The dump of the first declaration's first statement of `package p; func
 * f() { BODY }`, at indent 0. */
static void dump_first_stmt(const char *body, lh_buf *out)
{
    char src[1024];
    snprintf(src, sizeof src, "package p\nfunc f() {\n%s\n}\n", body);
    parsed r;
    parse_str(&r, src);
    assert_int_equal(r.errs.len, 0);
    lh_func_decl *fd = LH_AS(r.file->decls.v[0], lh_func_decl);
    lh_block_stmt *b = LH_AS(fd->body, lh_block_stmt);
    assert_true(b->list.n >= 1);
    lh_buf_clear(out);
    lh_dump_node(b->list.v[0], NULL, 0, out);
    parsed_free(&r);
}

static void test_instantiation_shapes(void **state)
{
    (void)state;
    lh_buf out = LH_BUF_INIT;
    dump_first_stmt("g := F[int, string]", &out);
    assert_string_equal(out.data,
                        "AssignStmt @3:1\n"
                        "  Lhs: [1]\n"
                        "    [0]: Ident @3:1\n"
                        "      Name: \"g\"\n"
                        "  Tok: :=\n"
                        "  Rhs: [1]\n"
                        "    [0]: IndexListExpr @3:6\n"
                        "      X: Ident @3:6\n"
                        "        Name: \"F\"\n"
                        "      Indices: [2]\n"
                        "        [0]: Ident @3:8\n"
                        "          Name: \"int\"\n"
                        "        [1]: Ident @3:13\n"
                        "          Name: \"string\"\n");
    dump_first_stmt("for range <-chan int(nil) {}", &out);
    assert_string_equal(out.data,
                        "RangeStmt @3:1\n"
                        "  Key: nil\n"
                        "  Value: nil\n"
                        "  Tok: ILLEGAL\n"
                        "  Range: @3:5\n"
                        "  X: UnaryExpr @3:11\n"      /* a receive from a conversion */
                        "    Op: <-\n"
                        "    X: CallExpr @3:13\n"
                        "      Fun: ChanType @3:13\n"
                        "        Dir: 3\n"
                        "        Value: Ident @3:18\n"
                        "          Name: \"int\"\n"
                        "      Args: [1]\n"
                        "        [0]: Ident @3:22\n"
                        "          Name: \"nil\"\n"
                        "  Body: BlockStmt @3:27\n"
                        "    List: [0]\n");
    lh_buf_free(&out);
}

/* ---- verdicts: accept/reject as go/parser ---------------------------------- */

static void test_verdicts(void **state)
{
    (void)state;
    static const struct {
        const char *decl;
        bool ok;
    } cases[] = {
        {"func f() { if T{} == x {} }", false},
        {"func f() { for x := range T{} {} }", false},
        {"func f() { switch T{} {} }", false},
        {"func f() { if x := (T{}); x.a {} }", true},
        {"func f() { x.(type) }", true},           /* the type checker's job */
        {"func f() { go f }", false},
        {"func f() { defer (f()) }", false},
        {"func f() { var x [...]int }", true},
        {"func f() { a, b := 1 }", true},
        {"func f() { a.b := 1 }", true},           /* since Go 1.20: the checker's */
        {"func f() { L: }", true},
        {"func f() { 1: x }", false},
        {"func f() { a[1:2:] }", false},
        {"func f() { for a, b, c := range x {} }", false},
        {"type T[] int", true},
        {"type T[P any] = int", true},
        {"func (T) m[P any]() {}", false},
        {"func f[]() {}", false},
        {"var x = func[T any]() {}", false},
        {"type I interface { m[T any]() }", false},
        {"var x", false},
        {"const x int", true},                      /* since Go 1.20: the checker's */
        {"import \"a b\"", true},                   /* since Go 1.20: the checker's */
        {"func f() { if var x = 1; x {} }", false},
        {"func f() { if x := 1 {} }", false},
        {"func f() { switch x = y.(type) {} }", false},
        {"func f(a, b int, c) {}", false},
        {"func f[T](x T) {}", false},
        {"func f() { x = y = z }", false},
        {"func f() { f(a = b) }", false},
        {"type T struct { (A) }", false},           /* since Go 1.20 */
        {"func f()\n{}", false},
        {"var x = []int{1, 2\n}", false},
        {"var x = (int)", true},
        {"var x = [...]int", true},                 /* since Go 1.20: the checker's */
        {"func f() { x[] }", false},
        {"func f() { <-chan<- int(x) }", true},
        {"var x = ~int", true},
        {"type T interface { ~int; m() }", true},
        {"type A[P *int,] int", true},
        {"type B[P *Q] int", true},
        {"type C [P * Q]int", true},
        {"func f() { import_ := 1 }", true},
        {"var x = 1\nimport \"fmt\"", false},
        /* Go 1.20 to 1.26 */
        {"import \"\"", true},
        {"import 'a'", false},
        {"type T struct { *(A) }", false},
        {"type T struct { []int }", false},
        {"type T struct { *p.A[int] }", true},
        {"type T struct { a [N,]int }", false},
        {"type T struct { A[int,] }", true},
        {"func f() { switch x.(type) { case 1, T{}: } }", true},
        {"func f() { goto }", false},
        {"func f() { goto L; L: }", true},
        {"func f(a ...int, b int) {}", false},
        {"func f(a, b ...int) {}", false},
        {"func f() (...int) {}", false},
        {"func f(...int) {}", true},
        {"type T[P ...any] int", false},
        {"type A[P any] = []P", true},
        {"func f() { for range 10 {} }", true},
        {"func f() { for i := range n {} }", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char src[512];
        snprintf(src, sizeof src, "package p\n%s\n", cases[i].decl);
        parsed r;
        parse_str(&r, src);
        if ((r.errs.len == 0) != cases[i].ok)
            fail_msg("%s: %s, want %s (%s)", cases[i].decl, r.errs.len ? "rejected" : "accepted",
                     cases[i].ok ? "accepted" : "rejected",
                     r.errs.len ? r.errs.items[0].msg : "no error");
        parsed_free(&r);
    }
}

/* ---- error recovery ----------------------------------------------------------- */

static void test_recovery_reports_several_errors(void **state)
{
    (void)state;
    parsed r;
    parse_str(&r, "package p\n"
                  "func a() { x := ) }\n"
                  "func b() { if { } }\n"
                  "func c() { a[1:2:] }\n"
                  "func d() int { return 1 }\n");
    assert_true(r.errs.len >= 3);
    lh_diag_sort(&r.errs);
    assert_int_equal(r.errs.items[0].line, 2);
    assert_int_equal(r.errs.items[1].line, 3);
    assert_int_equal(r.errs.items[2].line, 4);
    /* Parsing went on: the last function is in the tree. As in go/parser,
     * recovery from line 2 skips to the "if" of b, so b's decl is lost. */
    assert_int_equal(r.file->decls.n, 3);
    lh_node *d = r.file->decls.v[2];
    assert_int_equal(d->kind, LH_FUNC_DECL);
    assert_true(lh_ident_is(LH_AS(d, lh_func_decl)->name, "d"));
    parsed_free(&r);
}

static void test_recovery_gives_up_after_ten(void **state)
{
    (void)state;
    lh_buf src = LH_BUF_INIT;
    lh_buf_puts(&src, "package p\n");
    for (int i = 0; i < 1000; i++)
        lh_buf_puts(&src, "func ) {\n");
    parsed r;
    parse_src(&r, src.data, src.len);
    assert_true(r.errs.len >= 10 && r.errs.len <= 12);
    parsed_free(&r);
    lh_buf_free(&src);
}

static void test_garbage_never_crashes(void **state)
{
    (void)state;
    static const char *const toks[] = {
        "package", "p", "\n", "func", "(", ")", "{", "}", "[", "]", "x", "1", ":=", "=",
        ",", ";", "type", "interface", "struct", "chan", "<-", "*", "~", "|", "if",
        "for", "range", "switch", "case", "default", ":", "select", "go", "defer",
        ".", "...", "\"s\"", "map", "var", "const", "import", "else", "return", "&",
    };
    unsigned seed = 12345;
    lh_buf src = LH_BUF_INIT;
    for (int iter = 0; iter < 3000; iter++) {
        lh_buf_clear(&src);
        lh_buf_puts(&src, "package p\n");
        int n = 1 + (int)(seed % 60);
        for (int i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            lh_buf_puts(&src, toks[(seed >> 16) % (sizeof toks / sizeof toks[0])]);
            lh_buf_putc(&src, ' ');
        }
        parsed r;
        parse_src(&r, src.data, src.len);
        lh_buf out = LH_BUF_INIT;
        lh_dump_file(r.file, &out);     /* partial trees are well formed */
        lh_buf_free(&out);
        parsed_free(&r);
    }
    lh_buf_free(&src);
}

/* ---- nesting ------------------------------------------------------------------ */

static void bomb(lh_buf *src, char open, char close, const char *prefix, int n)
{
    lh_buf_puts(src, prefix);
    for (int i = 0; i < n; i++)
        lh_buf_putc(src, open);
    lh_buf_putc(src, '1');
    for (int i = 0; i < n; i++)
        lh_buf_putc(src, close);
    lh_buf_putc(src, '\n');
}

/* On the calling (main) thread the stack budget stops the bomb. */
static void test_nesting_bomb_main_thread(void **state)
{
    (void)state;
    lh_buf src = LH_BUF_INIT;
    bomb(&src, '(', ')', "package p\nvar x = ", 200000);
    parsed r;
    parse_src(&r, src.data, src.len);
    assert_true(r.errs.len >= 1);
    assert_true(has_error(&r, "exceeded max nesting depth"));
    parsed_free(&r);

    lh_buf_clear(&src);
    lh_buf_puts(&src, "package p\nfunc f() ");
    for (int i = 0; i < 200000; i++)
        lh_buf_putc(&src, '{');
    for (int i = 0; i < 200000; i++)
        lh_buf_putc(&src, '}');
    parse_src(&r, src.data, src.len);
    assert_true(has_error(&r, "exceeded max nesting depth"));
    parsed_free(&r);
    lh_buf_free(&src);
}

typedef struct deep_case {
    const char *src;
    size_t len;
    size_t nerrs;
    bool nest_error;
} deep_case;

static void run_deep_case(void *arg)
{
    deep_case *c = arg;
    parsed r;
    parse_src(&r, c->src, c->len);
    c->nerrs = r.errs.len;
    c->nest_error = has_error(&r, "exceeded max nesting depth");
    parsed_free(&r);
}

/* With a deep stack, go/parser's own limit decides: it takes 99998 nested
 * parentheses in a var initializer and rejects 99999. */
static void test_nesting_limit_as_go_parser(void **state)
{
    (void)state;
    lh_buf src = LH_BUF_INIT;
    bomb(&src, '(', ')', "package p\nvar x = ", 99998);
    deep_case c = {src.data, src.len, 0, false};
    assert_int_equal(lh_parse_run_deep(run_deep_case, &c), 0);
    assert_int_equal(c.nerrs, 0);

    lh_buf_clear(&src);
    bomb(&src, '(', ')', "package p\nvar x = ", 99999);
    c = (deep_case){src.data, src.len, 0, false};
    assert_int_equal(lh_parse_run_deep(run_deep_case, &c), 0);
    assert_true(c.nest_error);

    lh_buf_clear(&src);
    bomb(&src, '(', ')', "package p\nvar x = ", 200000);
    c = (deep_case){src.data, src.len, 0, false};
    assert_int_equal(lh_parse_run_deep(run_deep_case, &c), 0);
    assert_true(c.nest_error);
    lh_buf_free(&src);
}

/* ---- positions, walker, imports, comments ----------------------------------------- */

static void test_positions(void **state)
{
    (void)state;
    parsed r;
    const char *src = "package p\n\nfunc f() {\n\tx := a.b(c)\n}\n";
    parse_str(&r, src);
    assert_int_equal(r.errs.len, 0);
    lh_file *f = r.file;
    assert_int_equal(f->n.pos.line, 1);
    assert_int_equal(f->n.pos.col, 1);
    assert_int_equal(f->n.pos.off, 0);
    lh_func_decl *fd = LH_AS(f->decls.v[0], lh_func_decl);
    assert_int_equal(fd->n.pos.line, 3);
    assert_int_equal(fd->n.pos.off, 11);
    assert_int_equal(fd->n.end, (uint32_t)(strchr(src + 11, '}') - src + 1));
    lh_assign_stmt *as = LH_AS(LH_AS(fd->body, lh_block_stmt)->list.v[0], lh_assign_stmt);
    assert_int_equal(as->n.kind, LH_ASSIGN_STMT);
    assert_int_equal(as->n.pos.line, 4);
    assert_int_equal(as->n.pos.col, 2);
    assert_int_equal(as->tok_pos.col, 4);
    lh_call_expr *call = LH_AS(as->rhs.v[0], lh_call_expr);
    assert_int_equal(call->n.kind, LH_CALL_EXPR);
    assert_int_equal(call->n.pos.col, 7);          /* Fun's position */
    assert_int_equal(call->lparen.col, 10);
    assert_int_equal(call->rparen.col, 12);
    const char *text = src + call->n.pos.off;
    assert_int_equal(call->n.end - call->n.pos.off, 6);
    assert_memory_equal(text, "a.b(c)", 6);
    lh_pos end = lh_file_pos(f, fd->n.end);     /* just past the closing brace */
    assert_int_equal(end.line, 5);
    assert_int_equal(end.col, 2);
    lh_pos start = lh_file_pos(f, call->n.pos.off);
    assert_int_equal(start.line, call->n.pos.line);
    assert_int_equal(start.col, call->n.pos.col);
    assert_int_equal(lh_file_pos(f, 0).line, 1);
    assert_int_equal(f->nlines, 5);               /* as go/token: no line after the last '\n' */
    lh_pos eof = lh_file_pos(f, (uint32_t)strlen(src));
    assert_int_equal(eof.line, 5);
    assert_int_equal(eof.col, 3);
    /* interface methods have no func keyword: FuncType sits at "(" */
    parsed_free(&r);
    parse_str(&r, "package p\ntype I interface {\n\tM(x int)\n}\n");
    lh_gen_decl *gd = LH_AS(r.file->decls.v[0], lh_gen_decl);
    lh_type_spec *ts = LH_AS(gd->specs.v[0], lh_type_spec);
    lh_interface_type *it = LH_AS(ts->type, lh_interface_type);
    lh_field *m = LH_AS(LH_AS(it->methods, lh_field_list)->list.v[0], lh_field);
    lh_func_type *ft = LH_AS(m->type, lh_func_type);
    assert_int_equal(ft->func.line, 0);
    assert_int_equal(ft->n.pos.line, 3);
    assert_int_equal(ft->n.pos.col, 3);
    parsed_free(&r);
}

typedef struct walk_count {
    size_t pre, post, calls, skipped_kids;
} walk_count;

static bool count_pre(lh_node *n, lh_node *parent, void *ctx)
{
    walk_count *c = ctx;
    c->pre++;
    assert_true(parent != NULL || n->kind == LH_FILE);
    /* skip function literals' insides */
    return n->kind != LH_FUNC_LIT;
}

static void count_post(lh_node *n, lh_node *parent, void *ctx)
{
    (void)parent;
    walk_count *c = ctx;
    c->post++;
    if (n->kind == LH_CALL_EXPR)
        c->calls++;
}

static void test_walk(void **state)
{
    (void)state;
    parsed r;
    parse_str(&r, "package p\nfunc f() {\n\tg(h(1))\n\tgo func() { k() }()\n}\n");
    assert_int_equal(r.errs.len, 0);
    walk_count c = {0, 0, 0, 0};
    lh_ast_walk(&r.file->n, count_pre, count_post, &c);
    assert_int_equal(c.pre, c.post);
    /* g(...), h(1), the go statement's call; k() is inside the skipped literal */
    assert_int_equal(c.calls, 3);

    /* Every node the dumper prints is visited once. Node lines have "Kind
     * @pos"; position fields ("Range: @pos") are not nodes. */
    lh_buf out = LH_BUF_INIT;
    lh_dump_node(&r.file->n, NULL, 0, &out);
    size_t nodes = 0;
    for (const char *s = out.data; (s = strchr(s, '@')); s++)
        nodes += s - out.data < 2 || s[-2] != ':';
    walk_count all = {0, 0, 0, 0};
    lh_ast_walk(&r.file->n, NULL, count_post, &all);
    assert_int_equal(all.post, nodes);
    lh_buf_free(&out);
    parsed_free(&r);
}

/* lh_ast_walk's order with each node's parent and depth, from pre and
 * post; lh_ast_walk_anc must give the same nodes in the same order, with
 * the path to each as its ancestors. */
typedef struct walk_rec {
    lh_node *n[512], *parent[512];
    size_t depth[512], nvisit, cur;
    bool skip_lits;
} walk_rec;

static bool rec_pre(lh_node *n, lh_node *parent, void *ctx)
{
    walk_rec *w = ctx;
    assert_true(w->nvisit < 512);
    w->n[w->nvisit] = n;
    w->parent[w->nvisit] = parent;
    w->depth[w->nvisit++] = w->cur++;
    return !(w->skip_lits && n->kind == LH_FUNC_LIT);
}

static void rec_post(lh_node *n, lh_node *parent, void *ctx)
{
    (void)n;
    (void)parent;
    ((walk_rec *)ctx)->cur--;
}

typedef struct anc_check {
    const walk_rec *want;
    size_t i;
    lh_node *path[64];
} anc_check;

static bool anc_visit(lh_node *n, lh_node *const *anc, size_t nanc, void *ctx)
{
    anc_check *a = ctx;
    assert_true(a->i < a->want->nvisit);
    assert_ptr_equal(n, a->want->n[a->i]);
    assert_int_equal(nanc, a->want->depth[a->i]);
    assert_ptr_equal(nanc ? anc[nanc - 1] : NULL, a->want->parent[a->i]);
    /* anc is the path: the ancestors recorded when each was visited */
    assert_true(nanc < 64);
    for (size_t k = 0; k < nanc; k++)
        assert_ptr_equal(anc[k], a->path[k]);
    a->path[nanc] = n;
    a->i++;
    return !(a->want->skip_lits && n->kind == LH_FUNC_LIT);
}

static void test_walk_anc(void **state)
{
    (void)state;
    parsed r;
    parse_str(&r, "package p\nfunc f(a, b int) (c int) {\n\tfor i := range a {\n"
                  "\t\tif g(h(i), func() { k(b) }) { return 1 }\n\t}\n"
                  "\tswitch x := a; x { case 1, 2: go m(); default: }\n\treturn\n}\n"
                  "var v, w = []int{1, 2}, map[string]int{\"a\": 1}\n");
    assert_int_equal(r.errs.len, 0);
    for (int skip = 0; skip < 2; skip++) {
        static walk_rec want;
        memset(&want, 0, sizeof want);
        want.skip_lits = skip;
        lh_ast_walk(&r.file->n, rec_pre, rec_post, &want);
        assert_true(want.nvisit > 40);
        anc_check a = {&want, 0, {0}};
        lh_ast_walk_anc(&r.file->n, anc_visit, &a);
        assert_int_equal(a.i, want.nvisit);
    }
    parsed_free(&r);
}

/* lh_ast_flatten writes out lh_ast_walk's order: the same nodes, kinds and
 * depths, and each entry's next is the first later entry no deeper than
 * it (the end of its subtree). */
static void test_flatten(void **state)
{
    (void)state;
    parsed r;
    parse_str(&r, "package p\nfunc f(a, b int) (c int) {\n\tfor i := range a {\n"
                  "\t\tif g(h(i), func() { k(b) }) { return 1 }\n\t}\n\treturn\n}\n"
                  "var v = []int{1, 2}\n");
    assert_int_equal(r.errs.len, 0);
    static walk_rec want;
    memset(&want, 0, sizeof want);
    lh_ast_walk(&r.file->n, rec_pre, rec_post, &want);
    lh_arena a;
    lh_arena_init(&a);
    lh_ast_flat *v = NULL;
    uint32_t maxd = 0, n = lh_ast_flatten(&r.file->n, &a, &v, &maxd);
    assert_int_equal(n, want.nvisit);
    size_t deepest = 0;
    for (uint32_t i = 0; i < n; i++) {
        assert_ptr_equal(v[i].n, want.n[i]);
        assert_int_equal(v[i].kind, want.n[i]->kind);
        assert_int_equal(v[i].depth, want.depth[i]);
        uint32_t end = i + 1;
        while (end < n && want.depth[end] > want.depth[i])
            end++;
        assert_int_equal(v[i].next, end);
        if (want.depth[i] > deepest)
            deepest = want.depth[i];
    }
    assert_int_equal(v[0].next, n);       /* the file holds everything */
    assert_int_equal(maxd, deepest);
    /* The array gave back what it did not use: the arena's next
     * allocation starts right after it. */
    char *after = lh_arena_alloc_raw(&a, 1);
    assert_ptr_equal(after, (char *)(v + n));
    lh_ast_flat *w = v;
    assert_int_equal(lh_ast_flatten(NULL, &a, &w, &maxd), 0);
    assert_null(w);
    lh_arena_free(&a);
    parsed_free(&r);
}

/* A tree of thousands of nodes: the array grows (in place, or copied to
 * a new block of the arena) and stays the walk's order, and a second
 * tree flattened into the same arena leaves the first intact. */
typedef struct flat_cmp {
    const lh_ast_flat *v;
    uint32_t n, i;
} flat_cmp;

static bool flat_cmp_visit(lh_node *n, lh_node *const *anc, size_t nanc, void *vc)
{
    (void)anc;
    flat_cmp *c = vc;
    assert_true(c->i < c->n);
    assert_ptr_equal(c->v[c->i].n, n);
    assert_int_equal(c->v[c->i].depth, nanc);
    c->i++;
    return true;
}

static void test_flatten_big(void **state)
{
    (void)state;
    lh_buf src = {0};
    lh_buf_puts(&src, "package p\nfunc f() {\n");
    for (int i = 0; i < 3000; i++)
        lh_buf_puts(&src, "\tx = g(y, 1) + z\n");
    lh_buf_puts(&src, "}\n");
    lh_buf_putc(&src, '\0');
    parsed r, r2;
    parse_str(&r, src.data);
    parse_str(&r2, "package q\nvar a, b = 1, []int{2}\n");
    assert_int_equal(r.errs.len, 0);
    lh_arena a;
    lh_arena_init(&a);
    lh_ast_flat *v, *v2;
    uint32_t maxd, maxd2;
    uint32_t n = lh_ast_flatten(&r.file->n, &a, &v, &maxd);
    assert_true(n > 3000 * 6);
    uint32_t n2 = lh_ast_flatten(&r2.file->n, &a, &v2, &maxd2);
    assert_true(n2 > 5);
    flat_cmp c = {v, n, 0};
    lh_ast_walk_anc(&r.file->n, flat_cmp_visit, &c);
    assert_int_equal(c.i, n);
    flat_cmp c2 = {v2, n2, 0};
    lh_ast_walk_anc(&r2.file->n, flat_cmp_visit, &c2);
    assert_int_equal(c2.i, n2);
    assert_int_equal(v[0].next, n);
    lh_arena_free(&a);
    parsed_free(&r2);
    parsed_free(&r);
    lh_buf_free(&src);
}

static void test_imports_and_comments(void **state)
{
    (void)state;
    parsed r;
    parse_str(&r, "// Package p.\npackage p\n\nimport \"fmt\"\nimport (\n\tnet \"net/http\"\n"
                  "\t. \"strings\"\n)\n\n//leakhound:ignore x\nvar _ = fmt.Sprint /* c */\n");
    assert_int_equal(r.errs.len, 0);
    assert_true(lh_ident_is(r.file->name, "p"));
    assert_int_equal(r.file->imports.n, 3);
    lh_import_spec *is = LH_AS(r.file->imports.v[1], lh_import_spec);
    assert_true(lh_ident_is(is->name, "net"));
    lh_basic_lit *path = LH_AS(is->path, lh_basic_lit);
    assert_int_equal(path->value.len, 10);
    assert_memory_equal(path->value.p, "\"net/http\"", 10);
    assert_true(lh_ident_is(LH_AS(r.file->imports.v[2], lh_import_spec)->name, "."));
    assert_int_equal(r.file->ncomments, 3);
    assert_int_equal(r.file->comments[1].line, 10);
    assert_memory_equal(r.file->comments[1].text, "//leakhound:ignore x", 20);
    uint32_t n;
    const lh_comment *c = lh_ast_comments_on_line(r.file, 10, &n);
    assert_int_equal(n, 1);
    assert_ptr_equal(c, &r.file->comments[1]);
    c = lh_ast_comments_on_line(r.file, 11, &n);
    assert_int_equal(n, 1);
    assert_memory_equal(c->text, "/* c */", 7);
    assert_null(lh_ast_comments_on_line(r.file, 2, &n));
    assert_int_equal(n, 0);
    parsed_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_generics),
        cmocka_unit_test(test_fixture_control),
        cmocka_unit_test(test_fixture_exprs),
        cmocka_unit_test(test_fixture_comments),
        cmocka_unit_test(test_instantiation_shapes),
        cmocka_unit_test(test_verdicts),
        cmocka_unit_test(test_recovery_reports_several_errors),
        cmocka_unit_test(test_recovery_gives_up_after_ten),
        cmocka_unit_test(test_garbage_never_crashes),
        cmocka_unit_test(test_nesting_bomb_main_thread),
        cmocka_unit_test(test_nesting_limit_as_go_parser),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_walk),
        cmocka_unit_test(test_walk_anc),
        cmocka_unit_test(test_flatten),
        cmocka_unit_test(test_flatten_big),
        cmocka_unit_test(test_imports_and_comments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
