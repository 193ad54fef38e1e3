/* The semantic layer against annotated Go sources (tests/testdata/sema, a
 * module of two packages, one importing the other).
 *
 * A comment `//@ A; B; ...` on a line holds checks about identifiers on that
 * line, each naming the first identifier NAME on the line:
 *   NAME TYPE      NAME resolves to an object whose type prints as TYPE
 *                  ("?" when unknown)
 *   NAME -> LINE   NAME resolves to an object declared on LINE of this file
 *   NAME -> PATH   NAME resolves to an object of the package PATH
 * Every check must hold, and a file without checks fails (a broken
 * annotation must not pass silently). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/load.h"
#include "go/parse.h"
#include "sema/sema.h"

typedef struct find_ctx {
    uint32_t line;
    const char *name;
    size_t len;
    lh_node *found;
} find_ctx;

static bool find_pre(lh_node *n, lh_node *parent, void *vc)
{
    (void)parent;
    find_ctx *c = vc;
    if (LH_KIND(n) == LH_IDENT && n->pos.line == c->line) {
        lh_str s = LH_AS(n, lh_ident)->name;
        if (s.len == c->len && memcmp(s.p, c->name, c->len) == 0 &&
            (!c->found || n->pos.col < c->found->pos.col))
            c->found = n;
    }
    return true;
}

static size_t failures;

static void check_fail(const char *file, uint32_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s:%u: ", file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    failures++;
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    size_t k = strspn(s, " \t");
    memmove(s, s + k, strlen(s + k) + 1);
}

/* One check; returns whether it was well formed. */
static void check_one(lh_sema_pkg *p, const lh_load_file *f, uint32_t line, char *chk)
{
    trim(chk);
    if (!*chk)
        return;
    char *sp = strchr(chk, ' ');
    if (!sp) {
        check_fail(f->path, line, "malformed check '%s'", chk);
        return;
    }
    *sp = '\0';
    char *rest = sp + 1;
    trim(rest);
    find_ctx c = {line, chk, strlen(chk), NULL};
    lh_ast_walk(&f->ast->n, find_pre, NULL, &c);
    if (!c.found) {
        check_fail(f->path, line, "no identifier %s on the line", chk);
        return;
    }
    lh_obj *o = lh_sema_obj_of(p, c.found);
    if (!o) {
        check_fail(f->path, line, "%s: unresolved", chk);
        return;
    }
    if (strncmp(rest, "->", 2) == 0) {
        rest += 2;
        trim(rest);
        if (rest[0] >= '0' && rest[0] <= '9') {
            uint32_t want = (uint32_t)strtoul(rest, NULL, 10);
            uint32_t got = o->ident ? o->ident->pos.line : 0;
            if (o->pkg != p || got != want)
                check_fail(f->path, line, "%s: resolves to %s line %u, want line %u", chk,
                     o->pkg ? o->pkg->path : "universe", got, want);
        } else if (!o->pkg || strcmp(o->pkg->path, rest) != 0) {
            check_fail(f->path, line, "%s: resolves into %s, want %s", chk,
                 o->pkg ? o->pkg->path : "universe", rest);
        }
        return;
    }
    char buf[256];
    lh_type_string(lh_sema_obj_type(o), buf, sizeof buf);
    if (strcmp(buf, rest) != 0)
        check_fail(f->path, line, "%s: type %s, want %s", chk, buf, rest);
}

static size_t check_file(lh_sema_pkg *p, const lh_load_file *f)
{
    size_t n = 0;
    for (uint32_t i = 0; i < f->ast->ncomments; i++) {
        const lh_comment *cm = &f->ast->comments[i];
        if (cm->len < 3 || memcmp(cm->text, "//@", 3) != 0)
            continue;
        char *text = strndup(cm->text + 3, cm->len - 3);
        for (char *save = NULL, *tok = strtok_r(text, ";", &save); tok;
             tok = strtok_r(NULL, ";", &save)) {
            check_one(p, f, cm->line, tok);
            n++;
        }
        free(text);
    }
    return n;
}

static void check_module(bool freeze);

static void test_resolution_and_types(void **state)
{
    (void)state;
    check_module(false);
}

/* The same checks with each package frozen once analysed and its sources
 * overwritten: app must see lib only through what the freeze kept. */
static void test_frozen_imports(void **state)
{
    (void)state;
    check_module(true);
}

static void check_module(bool freeze)
{
    const char *src = getenv("LH_SRC");
    assert_non_null(src);
    char pat[4096];
    snprintf(pat, sizeof pat, "%s/tests/testdata/sema/...", src);
    char *pats[] = {pat};
    lh_load_config cfg;
    lh_load_config_default(&cfg);
    cfg.jobs = 1;
    lh_load_result r;
    lh_buf diag = LH_BUF_INIT;
    assert_int_equal(lh_load_packages(&cfg, pats, 1, &r, &diag), 0);
    lh_buf_free(&diag);
    assert_int_equal(r.npkgs, 2);

    size_t *order = lh_sema_order(r.pkgs, r.npkgs);
    /* lib before app, whatever the load order. */
    assert_string_equal(r.pkgs[order[0]].import_path, "example.com/sema/lib");
    lh_sema_world *w = lh_sema_world_new();
    size_t checks = 0;
    failures = 0;
    for (size_t i = 0; i < r.npkgs; i++) {
        const lh_load_package *lp = &r.pkgs[order[i]];
        lh_sema_pkg *p = lh_sema_analyse(w, lp, false, 22);
        size_t per_file = 0;
        for (size_t k = 0; k < lp->nfiles; k++) {
            per_file = check_file(p, &lp->files[k]);
            if (per_file == 0)
                check_fail(lp->files[k].path, 1, "no //@ checks in the file");
            checks += per_file;
        }
        if (freeze) {
            lh_sema_freeze(p);
            for (size_t k = 0; k < lp->nfiles; k++)
                memset((char *)lp->files[k].src, 'Z', lp->files[k].len);
        }
    }
    if (freeze) {
        /* Every package frozen and compacted: lib's types must still read
         * (app's freeze once rewrote their field names into app's arena,
         * freed with it; ASan reads freed memory here if that comes back). */
        lh_sema_pkg *lib = lh_sema_world_pkg(w, "example.com/sema/lib");
        assert_non_null(lib);
        lh_obj *conf = lh_scope_lookup_local(lib->scope, "Conf", 4);
        assert_non_null(conf);
        assert_non_null(lh_type_field(lh_sema_obj_type(conf), "Name", 4));
    }
    fprintf(stderr, "test_sema: %zu checks, %zu failed\n", checks, failures);
    assert_true(checks >= 50);
    assert_int_equal(failures, 0);
    lh_sema_world_free(w);
    free(order);
    lh_load_free(&r);
}

/* One file as package x, analysed in a world of its own. */
typedef struct one_file {
    lh_arena ar;
    lh_sema_world *w;
    lh_load_file lf;
    lh_load_package lp;
    lh_sema_pkg *p;
} one_file;

static void one_file_open(one_file *o, const char *src, size_t len)
{
    lh_arena_init(&o->ar);
    o->w = lh_sema_world_new();
    lh_diag_list errs;
    lh_diag_init(&errs, &o->ar);
    lh_file *f = lh_parse_file(&o->ar, "x.go", src, len, &errs);
    assert_int_equal(errs.len, 0);
    o->lf = (lh_load_file){.path = "x.go", .name = "x.go", .kind = LH_LOAD_GO, .ast = f,
                           .src = src, .len = len};
    o->lp = (lh_load_package){.import_path = "x", .name = "x", .files = &o->lf, .nfiles = 1,
                              .ngo = 1};
    o->p = lh_sema_analyse(o->w, &o->lp, false, 0);
}

/* What the first identifier NAME on LINE resolves to (NULL: nothing). */
static lh_obj *one_file_obj(one_file *o, uint32_t line, const char *name)
{
    find_ctx c = {line, name, strlen(name), NULL};
    lh_ast_walk(&o->lf.ast->n, find_pre, NULL, &c);
    assert_non_null(c.found);
    return lh_sema_obj_of(o->p, c.found);
}

static void one_file_close(one_file *o)
{
    lh_sema_world_free(o->w);
    lh_arena_free(&o->ar);
}

/* Unknown stays unknown: an import we have no stub for, a function value
 * of unknown type, a method of an unknown type. */
static void test_unknown_stays_unknown(void **state)
{
    (void)state;
    static const char src[] =
        "package x\n"
        "import \"example.com/unknown\"\n"
        "func f(g func() int) {\n"
        "	a := unknown.Make()\n"
        "	b := a.Field\n"
        "	c := g()\n"
        "	d := a.Method()\n"
        "	_, _, _ = b, c, d\n"
        "}\n";
    one_file o;
    one_file_open(&o, src, sizeof src - 1);
    const char *want[] = {"a", "?", "b", "?", "c", "int", "d", "?"};
    for (size_t i = 0; i < 8; i += 2) {
        char buf[128];
        lh_type_string(lh_sema_obj_type(one_file_obj(&o, 4 + (uint32_t)i / 2, want[i])), buf,
                       sizeof buf);
        assert_string_equal(buf, want[i + 1]);
    }
    one_file_close(&o);
}

/* The name of an import we cannot load is guessed as the go command's
 * convention has it: the last element, or the one before a major version
 * (/v2); a last element that merely starts with v (validator, v) is the
 * name. Each name on line N must resolve to its import. */
static void test_guessed_import_names(void **state)
{
    (void)state;
    static const char src[] =
        "package x\n"
        "import (\n"
        "	\"example.com/a/validator\"\n"
        "	\"example.com/b/v\"\n"
        "	\"example.com/yaml/v3\"\n"
        "	\"example.com/c/v2x\"\n"
        ")\n"
        "var _ = validator.New\n"
        "var _ = v.New\n"
        "var _ = yaml.New\n"
        "var _ = v2x.New\n";
    one_file o;
    one_file_open(&o, src, sizeof src - 1);
    const char *names[] = {"validator", "v", "yaml", "v2x"};
    for (uint32_t i = 0; i < 4; i++) {
        lh_obj *obj = one_file_obj(&o, 8 + i, names[i]);
        if (!obj)
            fail_msg("%s on line %u does not resolve to its import", names[i], 8 + i);
        assert_int_equal(obj->kind, LH_OBJ_PKGNAME);
    }
    one_file_close(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolution_and_types),
        cmocka_unit_test(test_frozen_imports),
        cmocka_unit_test(test_unknown_stays_unknown),
        cmocka_unit_test(test_guessed_import_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
