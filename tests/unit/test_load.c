/* Module loader: build constraints, file-name suffixes, go.mod, patterns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/build.h"

static lh_build_ctx ctx_for(const char *goos, const char *goarch)
{
    lh_build_ctx c;
    lh_build_ctx_default(&c);
    c.goos = goos;
    c.goarch = goarch;
    return c;
}

/* 1 true, 0 false, -1 syntax error */
static int expr(const lh_build_ctx *c, const char *s)
{
    bool ok = false;
    char err[128];
    if (lh_build_eval_expr(c, s, strlen(s), &ok, err, sizeof err) != 0)
        return -1;
    return ok;
}

static void test_gobuild_operators(void **state)
{
    (void)state;
    lh_build_ctx c = ctx_for("linux", "amd64");
    assert_int_equal(expr(&c, "linux"), 1);
    assert_int_equal(expr(&c, "windows"), 0);
    assert_int_equal(expr(&c, "!windows"), 1);
    assert_int_equal(expr(&c, "!linux"), 0);
    assert_int_equal(expr(&c, "linux && amd64"), 1);
    assert_int_equal(expr(&c, "linux && arm64"), 0);
    assert_int_equal(expr(&c, "windows || amd64"), 1);
    assert_int_equal(expr(&c, "windows || arm64"), 0);
    /* && binds tighter than || */
    assert_int_equal(expr(&c, "linux || windows && arm64"), 1);
    assert_int_equal(expr(&c, "(linux || windows) && arm64"), 0);
    assert_int_equal(expr(&c, "!(windows || darwin)"), 1);
    assert_int_equal(expr(&c, "!(linux && amd64) || ignore"), 0);
    assert_int_equal(expr(&c, "ignore"), 0);
    assert_int_equal(expr(&c, "someunknowntag"), 0);
    assert_int_equal(expr(&c, "unix && gc && !cgo"), 1);
    assert_int_equal(expr(&c, "go1.1 && go1.19 && go1.22 && !go1.23"), 1);
    assert_int_equal(expr(&c, "goexperiment.regabiargs"), 1);
    c.release_max = 19;
    assert_int_equal(expr(&c, "go1.20"), 0);
    assert_int_equal(expr(&c, "go1.19"), 1);
    c.cgo = true;
    assert_int_equal(expr(&c, "cgo"), 1);
    const char *tags[] = {"integration", "x.y"};
    c.tags = tags;
    c.ntags = 2;
    assert_int_equal(expr(&c, "integration && x.y"), 1);
    lh_build_ctx w = ctx_for("windows", "arm64");
    assert_int_equal(expr(&w, "unix"), 0);
    assert_int_equal(expr(&w, "windows && arm64"), 1);
    lh_build_ctx a = ctx_for("android", "arm64");
    assert_int_equal(expr(&a, "linux && unix"), 1);
    lh_build_ctx i = ctx_for("ios", "arm64");
    assert_int_equal(expr(&i, "darwin"), 1);
}

static void test_gobuild_malformed(void **state)
{
    (void)state;
    lh_build_ctx c = ctx_for("linux", "amd64");
    const char *bad[] = {"", "   ", "linux &&", "&& linux", "linux & amd64", "linux | amd64",
                         "(linux", "linux)", "!!linux", "linux amd64", "linux,amd64",
                         "!", "()", "linux-amd64", NULL};
    for (const char **b = bad; *b; b++) {
        bool ok;
        char err[128] = "";
        assert_int_equal(lh_build_eval_expr(&c, *b, strlen(*b), &ok, err, sizeof err), -1);
        assert_true(err[0] != '\0');
    }
    assert_int_equal(expr(&c, "!(!linux)"), 1);
    char err[128];
    bool ok;
    assert_int_equal(lh_build_eval_expr(&c, "(linux", 6, &ok, err, sizeof err), -1);
    assert_string_equal(err, "missing close paren");
    assert_int_equal(lh_build_eval_expr(&c, "linux &&", 8, &ok, err, sizeof err), -1);
    assert_string_equal(err, "unexpected end of expression");
}

static int plus(const lh_build_ctx *c, const char *line)
{
    bool ok = false;
    if (!lh_build_eval_plus(c, line, strlen(line), &ok))
        return -1;
    return ok;
}

static void test_plusbuild(void **state)
{
    (void)state;
    lh_build_ctx c = ctx_for("linux", "amd64");
    assert_int_equal(plus(&c, "// +build linux"), 1);
    assert_int_equal(plus(&c, "// +build windows darwin"), 0);
    assert_int_equal(plus(&c, "// +build windows linux"), 1);     /* space: OR */
    assert_int_equal(plus(&c, "// +build linux,amd64"), 1);       /* comma: AND */
    assert_int_equal(plus(&c, "// +build linux,arm64"), 0);
    assert_int_equal(plus(&c, "// +build !windows"), 1);
    assert_int_equal(plus(&c, "// +build !!linux"), 0);           /* malformed term */
    assert_int_equal(plus(&c, "// +build !"), 0);
    assert_int_equal(plus(&c, "// +build"), 0);                   /* no terms: ignore */
    assert_int_equal(plus(&c, "//+build linux"), 1);
    assert_int_equal(plus(&c, "// +buildlinux"), -1);             /* not a +build line */
    assert_int_equal(plus(&c, "// go:build linux"), -1);
    assert_int_equal(plus(&c, "/* +build linux */"), -1);
}

static int header(const lh_build_ctx *c, const char *src)
{
    bool ok = false;
    char err[128];
    if (lh_build_match_header(c, src, strlen(src), &ok, err, sizeof err) != 0)
        return -1;
    return ok;
}

static void test_header(void **state)
{
    (void)state;
    lh_build_ctx c = ctx_for("linux", "amd64");
    assert_int_equal(header(&c, "package p\n"), 1);
    assert_int_equal(header(&c, "//go:build windows\n\npackage p\n"), 0);
    assert_int_equal(header(&c, "// Copyright\n\n//go:build linux\n\npackage p\n"), 1);
    /* //go:build wins over +build lines */
    assert_int_equal(header(&c, "//go:build linux\n// +build windows\n\npackage p\n"), 1);
    /* several +build lines: AND */
    assert_int_equal(header(&c, "// +build linux\n// +build arm64\n\npackage p\n"), 0);
    assert_int_equal(header(&c, "// +build linux\n// +build amd64\n\npackage p\n"), 1);
    /* +build without the blank line before the package clause is a comment */
    assert_int_equal(header(&c, "// +build windows\npackage p\n"), 1);
    /* after the package clause nothing counts */
    assert_int_equal(header(&c, "package p\n\n//go:build windows\n"), 1);
    assert_int_equal(header(&c, "package p\n// +build windows\n\n"), 1);
    /* inside a block comment nothing counts */
    assert_int_equal(header(&c, "/*\n//go:build windows\n*/\n\npackage p\n"), 1);
    assert_int_equal(header(&c, "//go:build ignore\n\npackage main\n"), 0);
    assert_int_equal(header(&c, "//go:build linux &&\n\npackage p\n"), -1);
    assert_int_equal(header(&c, "//go:build\n\npackage p\n"), -1);
    assert_int_equal(header(&c, "//go:build linux\n//go:build linux\n\npackage p\n"), -1);
    /* "//go:buildx" is not a constraint */
    assert_int_equal(header(&c, "//go:buildx windows\n\npackage p\n"), 1);
    assert_int_equal(header(&c, "\xef\xbb\xbf//go:build windows\n\npackage p\n"), 1);
}

static void test_filename(void **state)
{
    (void)state;
    lh_build_ctx c = ctx_for("linux", "amd64");
    assert_true(lh_build_match_filename(&c, "x.go"));
    assert_true(lh_build_match_filename(&c, "linux.go"));         /* no '_': not a suffix */
    assert_true(lh_build_match_filename(&c, "windows.go"));
    assert_true(lh_build_match_filename(&c, "x_linux.go"));
    assert_false(lh_build_match_filename(&c, "x_windows.go"));
    assert_true(lh_build_match_filename(&c, "x_amd64.go"));
    assert_false(lh_build_match_filename(&c, "x_arm64.go"));
    assert_true(lh_build_match_filename(&c, "x_linux_amd64.go"));
    assert_false(lh_build_match_filename(&c, "x_linux_arm64.go"));
    assert_false(lh_build_match_filename(&c, "x_windows_amd64.go"));
    assert_false(lh_build_match_filename(&c, "x_windows_test.go"));
    assert_true(lh_build_match_filename(&c, "x_linux_test.go"));
    assert_true(lh_build_match_filename(&c, "x_unix.go"));        /* unix is no GOOS */
    assert_true(lh_build_match_filename(&c, "x_foo.go"));
    assert_false(lh_build_match_filename(&c, "windows_arm64.go"));
    assert_true(lh_build_match_filename(&c, "x_windows.y.go") == false);
    assert_true(lh_build_match_filename(&c, "x_windows_foo.go"));
    lh_build_ctx a = ctx_for("android", "arm");
    assert_true(lh_build_match_filename(&a, "x_linux.go"));
    assert_true(lh_build_match_filename(&a, "x_android_arm.go"));
    const char *tags[] = {"windows"};
    c.tags = tags;
    c.ntags = 1;
    assert_true(lh_build_match_filename(&c, "x_windows.go"));   /* -tags windows, as go/build */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gobuild_operators),
        cmocka_unit_test(test_gobuild_malformed),
        cmocka_unit_test(test_plusbuild),
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_filename),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
