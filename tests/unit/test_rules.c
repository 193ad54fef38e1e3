/* Every registered rule against its fixtures, as staticcheck's analysistest:
 * tests/testdata/RULE/ is one package whose lines carry `// want "re"` (or
 * `// want `re``) comments, one regexp per expected finding on that line,
 * matched against "rule-id: message". A finding no want matches and a want
 * no finding matches both fail, as does a fixture directory without wants.
 * Also: the findings model (order, duplicates, paths), the printers (the
 * JSON object, SARIF's notifications and UTF-16 columns), the function a
 * finding names, and generated files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "go/parse.h"
#include "load/gomod.h"
#include "load/load.h"
#include "report/findings.h"
#include "util/fs.h"
#include "rules/rule.h"

typedef struct want {
    const char *file;
    uint32_t line;
    char *re;
    bool met;
} want;

typedef struct wants {
    want *v;
    size_t n, cap;
} wants;

static void add_want(wants *w, const char *file, uint32_t line, const char *re, size_t n)
{
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 16;
        w->v = realloc(w->v, w->cap * sizeof *w->v);
    }
    char *s = malloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        /* In "..." only \" and \\ are escapes; other backslashes are the
         * regexp's. */
        if (re[i] == '\\' && i + 1 < n && (re[i + 1] == '"' || re[i + 1] == '\\'))
            i++;
        s[k++] = re[i];
    }
    s[k] = '\0';
    w->v[w->n++] = (want){file, line, s, false};
}

/* The wants of one comment: `// want` followed by quoted regexps. */
static void parse_wants(wants *w, const char *file, const lh_comment *c)
{
    const char *t = c->text, *end = c->text + c->len;
    const char *p = NULL;
    for (const char *q = t; q + 7 <= end; q++)
        if (memcmp(q, "// want", 7) == 0) {
            p = q + 7;
            break;
        }
    if (!p)
        return;
    for (;;) {
        while (p < end && *p == ' ')
            p++;
        if (p >= end || (*p != '"' && *p != '`'))
            break;
        char quote = *p++;
        const char *s = p;
        while (p < end && *p != quote) {
            if (quote == '"' && *p == '\\' && p + 1 < end)
                p++;
            p++;
        }
        assert_true(p < end);   /* an unterminated want is a broken fixture */
        add_want(w, file, c->line, s, (size_t)(p - s));
        p++;
    }
}

/* The self-test of the comparison provokes mismatches on purpose. */
static bool quiet;

/* Matches findings to wants; returns the number of mismatches, printing
 * each (a missing finding or an unexpected one). */
static size_t compare(const lh_findings *fs, wants *w)
{
    size_t bad = 0;
    for (size_t i = 0; i < w->n; i++)
        w->v[i].met = false;
    for (size_t i = 0; i < fs->n; i++) {
        const lh_finding *f = &fs->v[i];
        char text[1024];
        snprintf(text, sizeof text, "%s: %s", f->rule, f->message);
        bool ok = false;
        for (size_t k = 0; k < w->n && !ok; k++) {
            want *x = &w->v[k];
            if (x->met || x->line != f->line || strcmp(x->file, f->file) != 0)
                continue;
            regex_t re;
            int rc = regcomp(&re, x->re, REG_EXTENDED | REG_NOSUB);
            if (rc != 0) {
                print_error("%s:%u: bad regexp %s\n", x->file, x->line, x->re);
                bad++;
                continue;
            }
            if (regexec(&re, text, 0, NULL, 0) == 0)
                ok = x->met = true;
            regfree(&re);
        }
        if (!ok) {
            if (!quiet)
                print_error("%s:%u:%u: unexpected finding: %s\n", f->file, f->line, f->col, text);
            bad++;
        }
    }
    for (size_t k = 0; k < w->n; k++)
        if (!w->v[k].met) {
            if (!quiet)
                print_error("%s:%u: no finding matched want \"%s\"\n", w->v[k].file, w->v[k].line,
                        w->v[k].re);
            bad++;
        }
    return bad;
}

typedef struct fixture {
    lh_load_result r;
    lh_findings fs;
    wants w;
} fixture;

static void load_fixture(fixture *fx, size_t rule_i)
{
    const char *src = getenv("LH_SRC");
    assert_non_null(src);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/testdata/%s", src, lh_rules[rule_i]->id);
    struct stat st;
    if (stat(dir, &st) != 0) {
        print_error("rule %s has no fixtures: %s\n", lh_rules[rule_i]->id, dir);
        fail();
    }
    lh_load_config cfg;
    lh_load_config_default(&cfg);
    cfg.tests = true;
    cfg.jobs = 1;
    lh_buf diag = LH_BUF_INIT;
    /* A fixture may be a module of several packages (a helper in another
     * package that closes what it is given); its go.mod's go line is the
     * rules' go_minor. */
    char pat[4200];
    snprintf(pat, sizeof pat, "%s/...", dir);
    char *pats[] = {pat};
    assert_int_equal(lh_load_packages(&cfg, pats, 1, &fx->r, &diag), 0);
    lh_buf_free(&diag);
    assert_int_equal(fx->r.nsyntax, 0);   /* fixtures must parse */
    bool enabled[64] = {false};
    enabled[rule_i] = true;
    lh_findings_init(&fx->fs);
    memset(&fx->w, 0, sizeof fx->w);
    int go_minor = 0;
    char gomod[4300];
    snprintf(gomod, sizeof gomod, "%s/go.mod", dir);
    char *gsrc = NULL, err[256];
    size_t glen = 0;
    if (lh_read_file(gomod, 1 << 20, &gsrc, &glen, err, sizeof err) == 0) {
        lh_gomod m;
        if (lh_gomod_parse(gsrc, glen, &m, err, sizeof err) == 0)
            go_minor = lh_gomod_minor(m.go, 0);
        free(gsrc);
    }
    size_t *order = lh_sema_order(fx->r.pkgs, fx->r.npkgs);
    lh_sema_world *w = lh_sema_world_new();
    for (size_t i = 0; i < fx->r.npkgs; i++) {
        const lh_load_package *p = &fx->r.pkgs[order[i]];
        lh_rules_opts o = {go_minor, enabled, false, LH_RULES_ALL, NULL, NULL};
        lh_rules_run(w, p, &o, &fx->fs);
        for (size_t k = 0; k < p->nfiles; k++) {
            const lh_file *f = p->files[k].ast;
            for (uint32_t c = 0; c < f->ncomments; c++)
                parse_wants(&fx->w, p->files[k].path, &f->comments[c]);
        }
    }
    lh_sema_world_free(w);
    free(order);
    lh_findings_sort_dedup(&fx->fs);
}

static void free_fixture(fixture *fx)
{
    for (size_t i = 0; i < fx->w.n; i++)
        free(fx->w.v[i].re);
    free(fx->w.v);
    lh_findings_free(&fx->fs);
    lh_load_free(&fx->r);
}

static void test_every_rule_meets_its_fixtures(void **state)
{
    (void)state;
    for (size_t i = 0; lh_rules[i]; i++) {
        fixture fx;
        load_fixture(&fx, i);
        if (fx.w.n == 0) {
            print_error("rule %s: fixtures have no want comments\n", lh_rules[i]->id);
            fail();
        }
        size_t bad = compare(&fx.fs, &fx.w);
        if (bad)
            print_error("rule %s: %zu mismatches\n", lh_rules[i]->id, bad);
        assert_int_equal(bad, 0);
        free_fixture(&fx);
    }
}

/* The comparison itself can fail both ways: a dropped finding leaves a
 * want unmet, an extra one matches no want. */
static void test_harness_detects_missing_and_extra(void **state)
{
    (void)state;
    fixture fx;
    load_fixture(&fx, 0);
    assert_true(fx.fs.n > 1);
    quiet = true;
    lh_finding saved = fx.fs.v[0];
    fx.fs.v[0] = fx.fs.v[--fx.fs.n];
    assert_int_equal(compare(&fx.fs, &fx.w), 1);
    fx.fs.v[fx.fs.n++] = saved;
    assert_int_equal(compare(&fx.fs, &fx.w), 0);
    lh_finding extra = saved;
    extra.line = 1;
    lh_findings_add(&fx.fs, &extra);
    assert_int_equal(compare(&fx.fs, &fx.w), 1);
    lh_findings empty;
    lh_findings_init(&empty);
    assert_int_equal(compare(&empty, &fx.w), fx.w.n);
    lh_findings_free(&empty);
    quiet = false;
    free_fixture(&fx);
}

/* The rules' shared walk (walk.c) against a walk of the tree: the nodes of
 * the asked kinds in the same order with the same ancestors, a subtree
 * skipped where the visitor says so, a walk started inside another walk of
 * the same file, and a file deeper than the walk's stack in its frame. */
typedef struct rw_rec {
    lh_node *n[4096];
    size_t depth[4096], count;
    uint64_t kinds;
    lh_rule_ctx *c;         /* set: walk the file again from every GoStmt */
    size_t nested;
} rw_rec;

static bool rw_visit(lh_node *n, lh_node *const *anc, size_t nanc, void *ctx)
{
    rw_rec *r = ctx;
    if (!(r->kinds >> n->kind & 1))
        return true;
    assert_true(r->count < 4096);
    for (size_t k = 0; k + 1 < nanc; k++)
        assert_true(anc[k]->pos.off <= anc[k + 1]->pos.off);   /* a path, outer first */
    assert_true(nanc == 0 || (anc[nanc - 1]->pos.off <= n->pos.off && n->end <= anc[nanc - 1]->end));
    r->n[r->count] = n;
    r->depth[r->count++] = nanc;
    if (r->c && n->kind == LH_GO_STMT) {
        static rw_rec inner;
        memset(&inner, 0, sizeof inner);
        inner.kinds = LH_KIND_SET(LH_CALL_EXPR);
        lh_rule_walk_file(r->c, 0, inner.kinds, rw_visit, &inner);
        r->nested += inner.count;
    }
    return n->kind != LH_FUNC_LIT;      /* not into function literals */
}

static void test_shared_walk(void **state)
{
    (void)state;
    static const char *const srcs[] = {
        "package p\nfunc f(a []int, ch chan int) {\n\tfor i := range a {\n"
        "\t\tif g(h(i), func() { k(i) }) { return }\n\t\tgo func() { ch <- i }()\n\t}\n"
        "\tgo m(n())\n}\nvar v = []int{len(\"x\")}\n",
        NULL,   /* 300 parentheses deep, built below */
    };
    char deep[1024];
    size_t k = (size_t)snprintf(deep, sizeof deep, "package p\nvar x = ");
    for (int i = 0; i < 300; i++)
        deep[k++] = '(';
    deep[k++] = 'f';
    deep[k++] = '(';
    deep[k++] = ')';
    for (int i = 0; i < 300; i++)
        deep[k++] = ')';
    deep[k++] = '\n';
    deep[k] = '\0';
    static const uint64_t kinds[] = {
        LH_KINDS_ALL,
        LH_KIND_SET(LH_CALL_EXPR) | LH_KIND_SET(LH_FUNC_LIT),
        LH_KIND_SET(LH_GO_STMT) | LH_KIND_SET(LH_IDENT),
    };
    for (int s = 0; s < 2; s++) {
        const char *src = srcs[s] ? srcs[s] : deep;
        lh_arena a;
        lh_arena_init(&a);
        lh_diag_list errs;
        lh_diag_init(&errs, &a);
        lh_file *f = lh_parse_file(&a, "t.go", src, strlen(src), &errs);
        assert_int_equal(errs.len, 0);
        lh_load_file lf = {.path = "t.go", .name = "t.go", .src = src, .len = strlen(src), .ast = f};
        const lh_load_file *files[1] = {&lf};
        lh_rule_ctx c = {.files = files, .nfiles = 1};
        for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
            static rw_rec want, got;
            memset(&want, 0, sizeof want);
            memset(&got, 0, sizeof got);
            want.kinds = got.kinds = kinds[i];
            lh_ast_walk_anc(&f->n, rw_visit, &want);
            got.c = &c;
            lh_rule_walk_file(&c, 0, kinds[i], rw_visit, &got);     /* flattened on first use */
            assert_true(want.count > 0);
            assert_int_equal(got.count, want.count);
            for (size_t j = 0; j < want.count; j++) {
                assert_ptr_equal(got.n[j], want.n[j]);
                assert_int_equal(got.depth[j], want.depth[j]);
            }
            if (s == 0 && (kinds[i] >> LH_GO_STMT & 1))
                assert_int_equal(got.nested, 2 * 7);   /* two go statements, seven calls */
            if (s == 1 && i == 1)
                assert_int_equal(want.depth[0], 303);  /* below File, GenDecl, ValueSpec, 300 parens */
        }
        lh_rule_ctx_free_facts(&c);
        lh_arena_free(&a);
    }
}

static void test_registry(void **state)
{
    (void)state;
    assert_non_null(lh_rules[0]);
    for (size_t i = 0; lh_rules[i]; i++) {
        const lh_rule *r = lh_rules[i];
        assert_ptr_equal(lh_rule_find(r->id), r);
        assert_non_null(r->check);
        assert_non_null(strstr(r->explain, "Leaky"));
        assert_non_null(strstr(r->explain, "Fixed"));
        assert_null(strchr(r->summary, '\n'));
        if (lh_rules[i + 1])
            assert_true(strcmp(r->id, lh_rules[i + 1]->id) < 0);
    }
    assert_null(lh_rule_find("no-such-rule"));
}

/* Findings on one line: by column, whatever their rule or message. */
static void test_findings_same_line_by_column(void **state)
{
    (void)state;
    lh_findings fs;
    lh_findings_init(&fs);
    lh_finding late = {"r", "/m/a.go", 7, 20, 0, 0, LH_SEV_WARNING, "a", NULL, 0};
    lh_finding early = {"r", "/m/a.go", 7, 3, 0, 0, LH_SEV_WARNING, "z", NULL, 0};
    lh_findings_add(&fs, &late);
    lh_findings_add(&fs, &early);
    lh_findings_sort_dedup(&fs);
    assert_int_equal(fs.n, 2);
    assert_int_equal(fs.v[0].col, 3);
    assert_int_equal(fs.v[1].col, 20);
    lh_findings_free(&fs);
}

static void test_findings_order_dedup_and_output(void **state)
{
    (void)state;
    lh_findings fs;
    lh_findings_init(&fs);
    lh_finding a = {"r", "/m/b.go", 3, 2, 3, 9, LH_SEV_WARNING, "say \"x\"", "(*T).M",
                    0x0123456789abcdefULL};
    lh_finding b = {"r", "/m/a.go", 10, 1, 0, 0, LH_SEV_WARNING, "m", "F", 0};
    lh_finding c = {"r", "/m/a.go", 2, 5, 0, 0, LH_SEV_WARNING, "m", NULL, 0};
    lh_findings_add(&fs, &a);
    lh_findings_add(&fs, &b);
    lh_findings_add(&fs, &c);
    lh_findings_add(&fs, &b);
    lh_findings_sort_dedup(&fs);
    assert_int_equal(fs.n, 3);
    lh_buf out = LH_BUF_INIT;
    lh_findings_text(&out, &fs, "/m");
    assert_string_equal(out.data, "a.go:2:5: r: m\na.go:10:1: r: m\nb.go:3:2: r: say \"x\"\n");
    lh_buf_clear(&out);
    lh_findings_text(&out, &fs, "/elsewhere");
    assert_non_null(strstr(out.data, "/m/a.go:2:5: r: m\n"));
    lh_buf_clear(&out);
    lh_findings_add_error(&fs, "/m/bad/b.go", 4, 5, "expected operand");
    lh_findings_add_error(&fs, "/m", 0, 0, "found packages a and b");
    lh_findings_stats st = {2, 5, 1234, 0.25};
    lh_findings_json(&out, &fs, "/m", &st);
    assert_string_equal(
        out.data,
        "{\"findings\": [\n"
        "  {\"rule\": \"r\", \"file\": \"a.go\", \"line\": 2, \"col\": 5, "
        "\"severity\": \"warning\", \"message\": \"m\", \"fingerprint\": \"0000000000000000\"},\n"
        "  {\"rule\": \"r\", \"file\": \"a.go\", \"line\": 10, \"col\": 1, "
        "\"severity\": \"warning\", \"message\": \"m\", \"function\": \"F\", "
        "\"fingerprint\": \"0000000000000000\"},\n"
        "  {\"rule\": \"r\", \"file\": \"b.go\", \"line\": 3, \"col\": 2, \"end_line\": 3, "
        "\"end_col\": 9, \"severity\": \"warning\", \"message\": \"say \\\"x\\\"\", "
        "\"function\": \"(*T).M\", \"fingerprint\": \"0123456789abcdef\"}\n"
        "],\n"
        "\"errors\": [\n"
        "  {\"file\": \"bad/b.go\", \"line\": 4, \"col\": 5, \"message\": \"expected operand\"},\n"
        "  {\"file\": \".\", \"message\": \"found packages a and b\"}\n"
        "],\n"
        "\"stats\": {\"packages\": 2, \"files\": 5, \"bytes\": 1234, \"seconds\": 0.250000}}\n");
    lh_buf_free(&out);

    /* append carries errors along */
    lh_findings copy;
    lh_findings_init(&copy);
    lh_findings_append(&copy, &fs);
    assert_int_equal(copy.n, 3);
    assert_int_equal(copy.nerrs, 2);
    assert_string_equal(copy.errs[0].message, "expected operand");
    assert_string_equal(copy.v[2].function, "(*T).M");
    lh_findings_free(&copy);
    lh_findings_free(&fs);

    lh_findings none;
    lh_findings_init(&none);
    lh_buf o2 = LH_BUF_INIT;
    lh_findings_json(&o2, &none, NULL, NULL);
    assert_string_equal(o2.data, "{\"findings\": [],\n\"errors\": [],\n\"stats\": {\"packages\": 0, "
                                 "\"files\": 0, \"bytes\": 0, \"seconds\": 0.000000}}\n");
    lh_buf_free(&o2);
    lh_findings_free(&none);

    assert_string_equal(lh_findings_path("./x/a.go", NULL), "x/a.go");
    assert_string_equal(lh_findings_path("/m/x/a.go", "/m/"), "x/a.go");
    assert_string_equal(lh_findings_path("/mm/a.go", "/m"), "/mm/a.go");
    assert_string_equal(lh_findings_path("../a.go", "/m"), "../a.go");
    assert_string_equal(lh_findings_path("/m", "/m"), ".");
    assert_string_equal(lh_findings_path("/m/", "/m"), ".");
    assert_string_equal(lh_findings_path("/", "/"), ".");
    assert_string_equal(lh_findings_path("/x", "/"), "x");
}

static void test_utf16_columns(void **state)
{
    (void)state;
    /* line 2: tab, "é" (2 bytes, 1 unit), "€" (3 bytes, 1 unit), "😀"
     * (4 bytes, 2 units), then x */
    const char src[] = "package p\n\t\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\" + x\n";
    size_t len = sizeof src - 1;
    assert_int_equal(lh_findings_utf16_col(src, len, 1, 9), 9);   /* ASCII: same */
    assert_int_equal(lh_findings_utf16_col(src, len, 2, 2), 2);   /* the quote */
    assert_int_equal(lh_findings_utf16_col(src, len, 2, 3), 3);   /* é */
    assert_int_equal(lh_findings_utf16_col(src, len, 2, 5), 4);   /* € */
    assert_int_equal(lh_findings_utf16_col(src, len, 2, 8), 5);   /* 😀 */
    assert_int_equal(lh_findings_utf16_col(src, len, 2, 12), 7);  /* closing quote */
    assert_int_equal(lh_findings_utf16_col(src, len, 2, 16), 11); /* x */
    /* past the end of the line: one per byte; unknown line or source: as is */
    assert_int_equal(lh_findings_utf16_col(src, len, 2, 18), 13);
    assert_int_equal(lh_findings_utf16_col(src, len, 9, 18), 18);
    assert_int_equal(lh_findings_utf16_col(NULL, 0, 2, 16), 16);
    /* invalid bytes count as U+FFFD, one unit each; a surrogate in UTF-8
     * (ED A0 80) is invalid: three units */
    const char bad[] = "\xff\xc3x\xed\xa0\x80y";
    assert_int_equal(lh_findings_utf16_col(bad, sizeof bad - 1, 1, 3), 3);
    assert_int_equal(lh_findings_utf16_col(bad, sizeof bad - 1, 1, 7), 7);
}

/* A fake source table for the SARIF printer. */
static const char *fake_source(void *ctx, const char *file, size_t *len)
{
    const char *const *files = ctx;
    for (size_t i = 0; files[i]; i += 2)
        if (strcmp(files[i], file) == 0) {
            *len = strlen(files[i + 1]);
            return files[i + 1];
        }
    return NULL;
}

static void test_sarif(void **state)
{
    (void)state;
    lh_findings fs;
    lh_findings_init(&fs);
    lh_finding a = {"r", "/m/sub dir/a.go", 3, 2, 3, 9, LH_SEV_WARNING, "m \"q\"", "F", 0};
    lh_finding b = {"r", "/elsewhere/b.go", 1, 1, 0, 0, LH_SEV_NOTE, "n", NULL, 0};
    lh_findings_add(&fs, &a);
    lh_findings_add(&fs, &b);
    lh_rule_desc d = {"r", "sum", "help\ntext"};
    lh_buf out = LH_BUF_INIT;
    lh_sarif_opts o = {&d, 1, "1.2", NULL, NULL};
    lh_findings_sarif(&out, &fs, "/m", &o);
    assert_non_null(strstr(out.data, "\"version\": \"2.1.0\""));
    assert_non_null(strstr(out.data, "{\"name\": \"leakhound\", \"version\": \"1.2\", \"rules\": ["));
    assert_non_null(strstr(out.data, "{\"id\": \"r\", \"shortDescription\": {\"text\": \"sum\"}, "
                                     "\"help\": {\"text\": \"help\\ntext\"}}"));
    assert_non_null(strstr(out.data, "\"%SRCROOT%\": {\"uri\": \"file:///m/\"}"));
    assert_non_null(strstr(out.data, "\n    \"columnKind\": \"utf16CodeUnits\",\n"));
    assert_non_null(strstr(out.data, "\"invocations\": [{\"executionSuccessful\": true, "
                                     "\"toolExecutionNotifications\": []}]"));
    assert_non_null(strstr(out.data, "{\"ruleId\": \"r\", \"level\": \"warning\", \"message\": "
                                     "{\"text\": \"m \\\"q\\\"\"}, \"locations\": [{\"physicalLocation\": "
                                     "{\"artifactLocation\": {\"uri\": \"sub%20dir/a.go\", "
                                     "\"uriBaseId\": \"%SRCROOT%\"}, \"region\": {\"startLine\": 3, "
                                     "\"startColumn\": 2, \"endLine\": 3, \"endColumn\": 9}}}], "
                                     "\"partialFingerprints\": {\"leakhound/v1\": \""));
    assert_non_null(strstr(out.data, "{\"uri\": \"file:///elsewhere/b.go\"}, \"region\": "
                                     "{\"startLine\": 1, \"startColumn\": 1}}"));
    assert_non_null(strstr(out.data, "\"level\": \"note\""));

    /* Errors become notifications; columns are converted through the
     * source: line 3 of a.go has "é" (2 bytes) inside the region, line 2
     * of bad.go a 4-byte rune before the error. */
    const char *files[] = {
        "/m/sub dir/a.go", "package p\n\n\t\xc3\xa9 := x\n",
        "/m/bad.go", "package p\nvar s = \"\xf0\x9f\x98\x80\" +\n",
        NULL, NULL,
    };
    lh_findings_add_error(&fs, "/m/bad.go", 2, 15, "expected operand");
    lh_findings_add_error(&fs, "/m/pkg", 0, 0, "found packages a and b");
    lh_buf_clear(&out);
    o.source = fake_source;
    o.source_ctx = (void *)files;
    lh_findings_sarif(&out, &fs, "/m", &o);
    assert_non_null(strstr(out.data, "\"region\": {\"startLine\": 3, \"startColumn\": 2, "
                                     "\"endLine\": 3, \"endColumn\": 8}"));
    assert_non_null(strstr(
        out.data,
        "\"invocations\": [{\"executionSuccessful\": true, \"toolExecutionNotifications\": [\n"
        "      {\"level\": \"error\", \"message\": {\"text\": \"expected operand\"}, \"locations\": "
        "[{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \"bad.go\", \"uriBaseId\": "
        "\"%SRCROOT%\"}, \"region\": {\"startLine\": 2, \"startColumn\": 13}}}]},\n"
        "      {\"level\": \"error\", \"message\": {\"text\": \"found packages a and b\"}, "
        "\"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \"pkg\", "
        "\"uriBaseId\": \"%SRCROOT%\"}}}]}\n"
        "    ]}],\n"));
    /* a file the source table does not know keeps byte columns */
    assert_non_null(strstr(out.data, "{\"uri\": \"file:///elsewhere/b.go\"}, \"region\": "
                                     "{\"startLine\": 1, \"startColumn\": 1}}"));

    lh_buf_clear(&out);
    lh_findings empty;
    lh_findings_init(&empty);
    lh_findings_sarif(&out, &empty, NULL, NULL);
    assert_non_null(strstr(out.data, "\"rules\": []}}"));
    assert_non_null(strstr(out.data, "\"results\": []"));
    assert_non_null(strstr(out.data, "\"toolExecutionNotifications\": []"));
    lh_findings_free(&empty);
    lh_buf_free(&out);
    lh_findings_free(&fs);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Runs defer-in-loop over dir; findings sorted. */
static void run_defer_in_loop(const char *dir, bool include_generated, lh_load_result *r,
                              lh_findings *fs)
{
    lh_load_config cfg;
    lh_load_config_default(&cfg);
    cfg.jobs = 1;
    lh_buf diag = LH_BUF_INIT;
    char *pats[] = {(char *)dir};
    assert_int_equal(lh_load_packages(&cfg, pats, 1, r, &diag), 0);
    lh_buf_free(&diag);
    assert_int_equal(r->nsyntax, 0);
    bool enabled[64] = {false};
    const lh_rule *dil = lh_rule_find("defer-in-loop");
    assert_non_null(dil);
    for (size_t i = 0; lh_rules[i]; i++)
        enabled[i] = lh_rules[i] == dil;
    lh_findings_init(fs);
    lh_sema_world *w = lh_sema_world_new();
    lh_rules_opts o = {0, enabled, include_generated, LH_RULES_ALL, NULL, NULL};
    for (size_t i = 0; i < r->npkgs; i++)
        lh_rules_run(w, &r->pkgs[i], &o, fs);
    lh_sema_world_free(w);
    lh_findings_sort_dedup(fs);
}

/* lh_rule_report names the declared function around a finding, and skips
 * generated files unless asked not to. */
static void test_function_names_and_generated(void **state)
{
    (void)state;
    char dir[] = "/tmp/lh_test_rules_XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_file(dir, "go.mod", "module example.com/p\n");
    write_file(dir, "a.go",
               "package p\n\n"
               "type T struct{}\n"
               "type L[E any] struct{}\n\n"
               "func F(n int) {\n\tfor {\n\t\tdefer println()\n\t}\n}\n\n"                /* 8 */
               "func (t *T) M() {\n\tfor {\n\t\tdefer println()\n\t}\n}\n\n"              /* 14 */
               "func (T) V() {\n\tgo func() {\n\t\tfor {\n\t\t\tdefer println()\n\t\t}\n\t}()\n}\n\n" /* 21 */
               "func (l *L[E]) P() {\n\tfor {\n\t\tdefer println()\n\t}\n}\n\n"           /* 28 */
               "var g = func() {\n\tfor {\n\t\tdefer println()\n\t}\n}\n");               /* 34 */
    /* The marker may follow other comments; a near miss (no space before
     * DO) is not one. */
    write_file(dir, "gen.go",
               "// Copyright\n\n// Code generated by stringer; DO NOT EDIT.\n\npackage p\n\n"
               "func G() {\n\tfor {\n\t\tdefer println()\n\t}\n}\n");
    write_file(dir, "near.go",
               "// Code generated by hand.DO NOT EDIT.\npackage p\n\n"
               "func H() {\n\tfor {\n\t\tdefer println()\n\t}\n}\n");
    /* after the package clause it is just a comment */
    write_file(dir, "late.go",
               "package p\n\n// Code generated by x DO NOT EDIT.\n\n"
               "func K() {\n\tfor {\n\t\tdefer println()\n\t}\n}\n");
    write_file(dir, "block.go",
               "/*\n// Code generated by y DO NOT EDIT.\n*/\npackage p\n\n"
               "func B() {\n\tfor {\n\t\tdefer println()\n\t}\n}\n");

    struct {
        const char *file;
        uint32_t line;
        const char *function;
    } want[] = {
        {"a.go", 8, "F"},  {"a.go", 14, "(*T).M"}, {"a.go", 21, "T.V"},
        {"a.go", 28, "(*L).P"}, {"a.go", 34, ""}, {"late.go", 7, "K"}, {"near.go", 6, "H"},
    };
    size_t nwant = sizeof want / sizeof want[0];
    lh_load_result r;
    lh_findings fs;
    run_defer_in_loop(dir, false, &r, &fs);
    assert_int_equal(fs.n, nwant);
    for (size_t i = 0; i < nwant; i++) {
        const char *base = strrchr(fs.v[i].file, '/');
        assert_string_equal(base ? base + 1 : fs.v[i].file, want[i].file);
        assert_int_equal(fs.v[i].line, want[i].line);
        assert_string_equal(fs.v[i].function, want[i].function);
    }
    lh_findings_free(&fs);
    lh_load_free(&r);

    run_defer_in_loop(dir, true, &r, &fs);
    assert_int_equal(fs.n, nwant + 2);
    bool gen = false, block = false;
    for (size_t i = 0; i < fs.n; i++) {
        if (strstr(fs.v[i].file, "/gen.go")) {
            gen = true;
            assert_string_equal(fs.v[i].function, "G");
        }
        if (strstr(fs.v[i].file, "/block.go"))
            block = true;
    }
    assert_true(gen && block);
    lh_findings_free(&fs);
    lh_load_free(&r);

    const char *names[] = {"go.mod", "a.go", "gen.go", "near.go", "late.go", "block.go"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_shared_walk),
        cmocka_unit_test(test_every_rule_meets_its_fixtures),
        cmocka_unit_test(test_harness_detects_missing_and_extra),
        cmocka_unit_test(test_findings_order_dedup_and_output),
        cmocka_unit_test(test_findings_same_line_by_column),
        cmocka_unit_test(test_utf16_columns),
        cmocka_unit_test(test_sarif),
        cmocka_unit_test(test_function_names_and_generated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
