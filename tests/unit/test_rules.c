/* Every registered rule against its fixtures, as staticcheck's analysistest:
 * tests/testdata/RULE/ is one package whose lines carry `// want "re"` (or
 * `// want `re``) comments, one regexp per expected finding on that line,
 * matched against "rule-id: message". A finding no want matches and a want
 * no finding matches both fail, as does a fixture directory without wants.
 * Also: the findings model (order, duplicates, paths) and the printers. */
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
        lh_rules_run(w, p, go_minor, enabled, &fx->fs);
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

static void test_findings_order_dedup_and_output(void **state)
{
    (void)state;
    lh_findings fs;
    lh_findings_init(&fs);
    lh_finding a = {"r", "/m/b.go", 3, 2, 3, 9, LH_SEV_WARNING, "say \"x\""};
    lh_finding b = {"r", "/m/a.go", 10, 1, 0, 0, LH_SEV_WARNING, "m"};
    lh_finding c = {"r", "/m/a.go", 2, 5, 0, 0, LH_SEV_WARNING, "m"};
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
    lh_findings_json(&out, &fs, "/m");
    assert_non_null(strstr(out.data, "{\"rule\": \"r\", \"file\": \"b.go\", \"line\": 3, "
                                     "\"col\": 2, \"end_line\": 3, \"end_col\": 9, "
                                     "\"severity\": \"warning\", \"message\": \"say \\\"x\\\"\"}"));
    assert_int_equal(out.data[0], '[');
    lh_buf_free(&out);
    lh_findings_free(&fs);

    lh_findings none;
    lh_findings_init(&none);
    lh_buf o2 = LH_BUF_INIT;
    lh_findings_json(&o2, &none, NULL);
    assert_string_equal(o2.data, "[]\n");
    lh_buf_free(&o2);
    lh_findings_free(&none);

    assert_string_equal(lh_findings_path("./x/a.go", NULL), "x/a.go");
    assert_string_equal(lh_findings_path("/m/x/a.go", "/m/"), "x/a.go");
    assert_string_equal(lh_findings_path("/mm/a.go", "/m"), "/mm/a.go");
    assert_string_equal(lh_findings_path("../a.go", "/m"), "../a.go");
}

static void test_sarif(void **state)
{
    (void)state;
    lh_findings fs;
    lh_findings_init(&fs);
    lh_finding a = {"r", "/m/sub dir/a.go", 3, 2, 3, 9, LH_SEV_WARNING, "m \"q\""};
    lh_finding b = {"r", "/elsewhere/b.go", 1, 1, 0, 0, LH_SEV_NOTE, "n"};
    lh_findings_add(&fs, &a);
    lh_findings_add(&fs, &b);
    lh_rule_desc d = {"r", "sum", "help\ntext"};
    lh_buf out = LH_BUF_INIT;
    lh_findings_sarif(&out, &fs, "/m", &d, 1, "1.2");
    assert_non_null(strstr(out.data, "\"version\": \"2.1.0\""));
    assert_non_null(strstr(out.data, "{\"name\": \"leakhound\", \"version\": \"1.2\", \"rules\": ["));
    assert_non_null(strstr(out.data, "{\"id\": \"r\", \"shortDescription\": {\"text\": \"sum\"}, "
                                     "\"help\": {\"text\": \"help\\ntext\"}}"));
    assert_non_null(strstr(out.data, "\"%SRCROOT%\": {\"uri\": \"file:///m/\"}"));
    assert_non_null(strstr(out.data, "{\"ruleId\": \"r\", \"level\": \"warning\", \"message\": "
                                     "{\"text\": \"m \\\"q\\\"\"}, \"locations\": [{\"physicalLocation\": "
                                     "{\"artifactLocation\": {\"uri\": \"sub%20dir/a.go\", "
                                     "\"uriBaseId\": \"%SRCROOT%\"}, \"region\": {\"startLine\": 3, "
                                     "\"startColumn\": 2, \"endLine\": 3, \"endColumn\": 9}}}]}"));
    assert_non_null(strstr(out.data, "{\"uri\": \"file:///elsewhere/b.go\"}, \"region\": "
                                     "{\"startLine\": 1, \"startColumn\": 1}}"));
    assert_non_null(strstr(out.data, "\"level\": \"note\""));
    lh_buf_clear(&out);
    lh_findings empty;
    lh_findings_init(&empty);
    lh_findings_sarif(&out, &empty, NULL, NULL, 0, NULL);
    assert_non_null(strstr(out.data, "\"rules\": []}}"));
    assert_non_null(strstr(out.data, "\"results\": []"));
    lh_findings_free(&empty);
    lh_buf_free(&out);
    lh_findings_free(&fs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_every_rule_meets_its_fixtures),
        cmocka_unit_test(test_harness_detects_missing_and_extra),
        cmocka_unit_test(test_findings_order_dedup_and_output),
        cmocka_unit_test(test_sarif),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
