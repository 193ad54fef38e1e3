/* Module loader: build constraints, file-name suffixes, go.mod, patterns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include "load/build.h"
#include "load/gomod.h"
#include "load/load.h"
#include "skip.h"

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
    assert_int_equal(expr(&c, "go1.1 && go1.19 && go1.27 && !go1.28"), 1);
    assert_int_equal(expr(&c, "goexperiment.regabiargs"), 1);
    c.release = 22;
    assert_int_equal(expr(&c, "go1.1 && go1.19 && go1.22 && !go1.23"), 1);
    c.release = 19;
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
    assert_false(lh_build_match_filename(&c, "x_wasip1.go"));     /* a GOOS since 1.21 */
    c.release = 20;
    assert_true(lh_build_match_filename(&c, "x_wasip1.go"));
    assert_false(lh_build_match_filename(&c, "x_wasip1_wasm.go"));  /* _wasm still counts */
    c.release = 0;
    lh_build_ctx a = ctx_for("android", "arm");
    assert_true(lh_build_match_filename(&a, "x_linux.go"));
    assert_true(lh_build_match_filename(&a, "x_android_arm.go"));
    const char *tags[] = {"windows"};
    c.tags = tags;
    c.ntags = 1;
    assert_true(lh_build_match_filename(&c, "x_windows.go"));   /* -tags windows, as go/build */
}

static int gomod(const char *src, lh_gomod *m)
{
    char err[128];
    return lh_gomod_parse(src, strlen(src), m, err, sizeof err);
}

static void test_gomod(void **state)
{
    (void)state;
    lh_gomod m;
    assert_int_equal(gomod("module example.com/m\n\ngo 1.21\n", &m), 0);
    assert_string_equal(m.module, "example.com/m");
    assert_string_equal(m.go, "1.21");
    assert_int_equal(gomod("// leading comment\nmodule \"example.com/q\" // trailing\n"
                           "require (\n\tmodule v1.0.0 // a module named module\n\tgo v1\n)\n"
                           "replace x => ../x\ngo 1.19 // version\n", &m), 0);
    assert_string_equal(m.module, "example.com/q");
    assert_string_equal(m.go, "1.19");
    assert_int_equal(gomod("module (\n\t`example.com/b`\n)\r\n", &m), 0);
    assert_string_equal(m.module, "example.com/b");
    assert_string_equal(m.go, "");
    assert_int_equal(gomod("go 1.19\n", &m), -1);
    assert_int_equal(gomod("module\n", &m), -1);
    assert_int_equal(gomod("// module example.com/x\n", &m), -1);
    assert_int_equal(gomod("", &m), -1);
}

static void test_gomod_toolchain(void **state)
{
    (void)state;
    lh_gomod m;
    assert_int_equal(gomod("module x\ngo 1.22\ntoolchain go1.27.3 // pinned\n", &m), 0);
    assert_string_equal(m.go, "1.22");
    assert_string_equal(m.toolchain, "go1.27.3");
    /* a require block's entries named toolchain are no directive */
    assert_int_equal(gomod("module x\nrequire (\n\ttoolchain v1.0.0\n)\n", &m), 0);
    assert_string_equal(m.toolchain, "");
    assert_int_equal(gomod("module x\ntoolchain default\n", &m), 0);
    assert_string_equal(m.toolchain, "default");

    /* versions and toolchain names as the go command spells them */
    assert_int_equal(lh_gomod_minor("1.27", 0), 27);
    assert_int_equal(lh_gomod_minor("1.27.3", 0), 27);
    assert_int_equal(lh_gomod_minor("1.21rc2", 0), 21);
    assert_int_equal(lh_gomod_minor("1.22beta1", 0), 22);
    assert_int_equal(lh_gomod_minor("1.19", 0), 19);
    assert_int_equal(lh_gomod_minor("1", 0), 0);
    assert_int_equal(lh_gomod_minor("2.1", 0), 0);
    assert_int_equal(lh_gomod_minor("1.27.x", 0), 0);
    assert_int_equal(lh_gomod_minor("go1.27", 0), 0);
    assert_int_equal(lh_gomod_minor("go1.27.3", 1), 27);
    assert_int_equal(lh_gomod_minor("go1.26.0-custom", 1), 26);
    assert_int_equal(lh_gomod_minor("vendor-go1.25.1", 1), 25);
    assert_int_equal(lh_gomod_minor("1.27.3", 1), 0);
    assert_int_equal(lh_gomod_minor("default", 1), 0);
}

/* lh_gomod_release over go.mod text and GOTOOLCHAIN. */
static int release(const char *mod, const char *gotoolchain)
{
    lh_gomod m;
    if (!mod)
        return lh_gomod_release(NULL, gotoolchain);
    assert_int_equal(gomod(mod, &m), 0);
    return lh_gomod_release(&m, gotoolchain);
}

static void test_release_selection(void **state)
{
    (void)state;
    /* auto (unset): the newer of the go and toolchain lines */
    assert_int_equal(release("module x\ngo 1.27\n", NULL), 27);
    assert_int_equal(release("module x\ngo 1.22\ntoolchain go1.27.3\n", NULL), 27);
    assert_int_equal(release("module x\ngo 1.25.1\ntoolchain go1.24.0\n", ""), 25);
    assert_int_equal(release("module x\ngo 1.21rc1\n", "auto"), 21);
    assert_int_equal(release("module x\ngo 1.16\n", "path"), 16);
    assert_int_equal(release("module x\ngo 1.22\ntoolchain default\n", NULL), 0);
    assert_int_equal(release("module x\n", NULL), 0);
    assert_int_equal(release(NULL, NULL), 0);
    /* a named toolchain pins the release; +auto makes it a minimum */
    assert_int_equal(release("module x\ngo 1.27\n", "go1.24.2"), 24);
    assert_int_equal(release(NULL, "go1.24.2"), 24);
    assert_int_equal(release("module x\ngo 1.27\n", "go1.24.2+auto"), 27);
    assert_int_equal(release("module x\ngo 1.21\n", "go1.24.2+path"), 24);
    assert_int_equal(release("module x\ngo 1.21\ntoolchain default\n", "go1.24.2+auto"), 24);
    /* local: leakhound has no local Go, so go.mod decides */
    assert_int_equal(release("module x\ngo 1.23\n", "local"), 23);
    assert_int_equal(release("module x\ngo 1.23\n", "local+auto"), 23);
    /* a malformed GOTOOLCHAIN (the go command refuses it) leaves go.mod */
    assert_int_equal(release("module x\ngo 1.23\n", "banana"), 23);
    /* an unparsable toolchain line counts for nothing */
    assert_int_equal(release("module x\ngo 1.20\ntoolchain 1.27\n", NULL), 20);
}

static void test_experiments(void **state)
{
    (void)state;
    lh_build_ctx c = ctx_for("linux", "amd64");
    c.release = 26;
    assert_int_equal(expr(&c, "goexperiment.greenteagc && goexperiment.randomizedheapbase64"), 1);
    assert_int_equal(expr(&c, "goexperiment.dwarf5 && goexperiment.regabiwrappers"), 1);
    assert_int_equal(expr(&c, "goexperiment.jsonv2 || goexperiment.fieldtrack"), 0);
    c.release = 27;
    assert_int_equal(expr(&c, "goexperiment.jsonv2 && goexperiment.sizespecializedmalloc"), 1);
    assert_int_equal(expr(&c, "goexperiment.goroutineleakprofile"), 0);
    c.release = 19;
    assert_int_equal(expr(&c, "goexperiment.greenteagc || goexperiment.dwarf5"), 0);
    assert_int_equal(expr(&c, "goexperiment.regabiargs"), 1);
    /* dwarf5 stays off where the linkers lack it */
    lh_build_ctx d = ctx_for("darwin", "arm64");
    d.release = 26;
    assert_int_equal(expr(&d, "goexperiment.dwarf5"), 0);
    assert_int_equal(expr(&d, "goexperiment.greenteagc"), 1);
    /* GOEXPERIMENT: names, no-names, none, the regabi alias */
    c.release = 26;
    c.goexperiment = "nogreenteagc,fieldtrack";
    assert_int_equal(expr(&c, "!goexperiment.greenteagc && goexperiment.fieldtrack"), 1);
    assert_int_equal(expr(&c, "goexperiment.dwarf5"), 1);
    c.goexperiment = "none,arenas";
    assert_int_equal(expr(&c, "goexperiment.dwarf5 || goexperiment.greenteagc"), 0);
    assert_int_equal(expr(&c, "goexperiment.arenas"), 1);
    /* amd64's register ABI cannot be turned off; riscv64's could in 1.19 */
    assert_int_equal(expr(&c, "goexperiment.regabiargs"), 1);
    lh_build_ctx r = ctx_for("linux", "riscv64");
    r.goexperiment = "noregabi";
    r.release = 19;
    assert_int_equal(expr(&r, "goexperiment.regabiargs || goexperiment.regabiwrappers"), 0);
    r.release = 26;
    assert_int_equal(expr(&r, "goexperiment.regabiargs && goexperiment.regabiwrappers"), 1);
    lh_build_ctx m = ctx_for("linux", "mips");
    m.release = 26;
    m.goexperiment = "regabi";
    assert_int_equal(expr(&m, "goexperiment.regabiargs"), 0);
    /* checks: unknown names for the release, regabi dependencies */
    char err[128];
    c.goexperiment = "swissmap";
    assert_int_equal(lh_build_check(&c, err, sizeof err), -1);
    assert_string_equal(err, "unknown GOEXPERIMENT swissmap");
    c.release = 24;
    assert_int_equal(lh_build_check(&c, err, sizeof err), 0);
    c.goexperiment = ",,nofieldtrack,";
    assert_int_equal(lh_build_check(&c, err, sizeof err), 0);
    lh_build_ctx s = ctx_for("linux", "s390x");
    s.release = 26;
    s.goexperiment = "noregabiwrappers";
    assert_int_equal(lh_build_check(&s, err, sizeof err), -1);
    assert_string_equal(err, "GOEXPERIMENT regabiargs requires regabiwrappers");
}

static void test_feature_tags(void **state)
{
    (void)state;
    lh_build_ctx c = ctx_for("linux", "amd64");
    assert_int_equal(expr(&c, "amd64.v1 && !amd64.v2"), 1);
    c.goarch_level = "v3";
    assert_int_equal(expr(&c, "amd64.v1 && amd64.v2 && amd64.v3 && !amd64.v4"), 1);
    assert_int_equal(expr(&c, "arm.7 || 386.sse2"), 0);
    c.release = 20;     /* before 1.21 there were none */
    assert_int_equal(expr(&c, "amd64.v1"), 0);
    char err[128];
    c.goarch_level = "v5";
    assert_int_equal(lh_build_check(&c, err, sizeof err), -1);
    assert_string_equal(err, "invalid GOAMD64: must be v1, v2, v3, v4");
    lh_build_ctx a = ctx_for("linux", "arm");
    assert_int_equal(expr(&a, "arm.5 && arm.6 && arm.7"), 1);
    a.goarch_level = "6,softfloat";
    assert_int_equal(expr(&a, "arm.6 && !arm.7"), 1);
    a.goarch_level = NULL;
    a.release = 21;     /* cross toolchains defaulted to GOARM=5 */
    assert_int_equal(expr(&a, "arm.5 && !arm.6"), 1);
    lh_build_ctx b = ctx_for("linux", "arm64");
    assert_int_equal(expr(&b, "arm64.v8.0 && !arm64.v8.1"), 1);
    b.goarch_level = "v9.1,lse";
    assert_int_equal(expr(&b, "arm64.v9.0 && arm64.v9.1 && arm64.v8.6 && !arm64.v8.7"), 1);
    lh_build_ctx p = ctx_for("linux", "ppc64le");
    p.goarch_level = "power9";
    assert_int_equal(expr(&p, "ppc64le.power8 && ppc64le.power9 && !ppc64le.power10"), 1);
    lh_build_ctx v = ctx_for("linux", "riscv64");
    assert_int_equal(expr(&v, "riscv64.rva20u64 && !riscv64.rva22u64"), 1);
    lh_build_ctx w = ctx_for("wasip1", "wasm");
    assert_int_equal(expr(&w, "wasm.satconv && wasm.signext && wasip1 && !unix"), 1);
    assert_string_equal(lh_build_level_var("amd64"), "GOAMD64");
    assert_null(lh_build_level_var("s390x"));
}

/* A scratch tree under the build directory (or /tmp), entered with chdir
 * so patterns are relative as on the command line. */
static char tree[1024], oldcwd[1024];

static void put(const char *path, const char *text)
{
    char p[2048];
    snprintf(p, sizeof p, "%s/%s", tree, path);
    for (char *s = p + strlen(tree) + 1; (s = strchr(s, '/')); s++) {
        *s = '\0';
        mkdir(p, 0777);
        *s = '/';
    }
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int tree_setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(tree, sizeof tree, "%s/lh_test_load_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tree) || !getcwd(oldcwd, sizeof oldcwd))
        return -1;
    return 0;
}

static int tree_teardown(void **state)
{
    (void)state;
    if (chdir(oldcwd) != 0)
        return -1;
    char cmd[2200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s-nomod'", tree, tree);
    return system(cmd) == 0 ? 0 : -1;
}

static lh_load_result load(const lh_load_config *cfg, int n, char **pats, int want_rc, lh_buf *diag)
{
    lh_load_result r;
    lh_buf_clear(diag);
    assert_int_equal(lh_load_packages(cfg, pats, (size_t)n, &r, diag), want_rc);
    return r;
}

static const lh_load_package *find(const lh_load_result *r, const char *ip)
{
    for (size_t i = 0; i < r->npkgs; i++)
        if (strcmp(r->pkgs[i].import_path, ip) == 0)
            return &r->pkgs[i];
    return NULL;
}

static void test_patterns(void **state)
{
    (void)state;
    put("go.mod", "module example.com/m\n\ngo 1.22\n");
    put("a.go", "package m\n\nfunc A() {}\n");
    put("a_test.go", "package m\n");
    put("ax_test.go", "package m_test\n");
    put("_a.go", "package m\n\nfunc Hidden() {}\n");  /* _ and . files: ignored */
    put(".a.go", "package m\n\nfunc Dot() {}\n");
    put("contest.go", "package m\n\nfunc Contest() {}\n");   /* ends in test.go, no test */
    put("p/p.go", "package p\n");
    put("p/q/q.go", "package q\n\nfunc f( {\n");      /* syntax error */
    put("p/testdata/t.go", "package t\n");
    put("p/_x/x.go", "package x\n");
    put("p/.y/y.go", "package y\n");
    put("p/vendor/v/v.go", "package v\n");
    put("p/vendor/w.go", "package vendor\n");
    put("n/go.mod", "module example.com/n\n");
    put("n/n.go", "package n\n");
    put("e/README", "nothing\n");
    put("ign/i.go", "//go:build ignore\n\npackage main\n");
    assert_int_equal(chdir(tree), 0);

    lh_load_config cfg;
    lh_load_config_default(&cfg);
    lh_buf diag = LH_BUF_INIT;

    char *all[] = {"./..."};
    lh_load_result r = load(&cfg, 1, all, 0, &diag);
    /* m, p, p/q, p/vendor (the vendor dir itself is a package; below it is
     * excluded); not testdata, _x, .y, n (nested module), e, ign */
    assert_int_equal(r.npkgs, 4);
    assert_string_equal(r.pkgs[0].import_path, "example.com/m");
    assert_string_equal(r.pkgs[1].import_path, "example.com/m/p");
    assert_string_equal(r.pkgs[2].import_path, "example.com/m/p/q");
    assert_string_equal(r.pkgs[3].import_path, "example.com/m/p/vendor");
    const lh_load_package *m = &r.pkgs[0];
    assert_string_equal(m->name, "m");
    assert_int_equal(m->nfiles, 2);     /* tests not returned without cfg.tests */
    assert_string_equal(m->files[0].name, "a.go");
    assert_string_equal(m->files[1].name, "contest.go");
    assert_non_null(m->files[0].ast);
    assert_int_equal(m->files[0].errs.len, 0);
    const lh_load_package *q = &r.pkgs[2];
    assert_int_equal(q->nfiles, 1);
    assert_true(q->files[0].errs.len > 0);
    assert_string_equal(q->files[0].path, "p/q/q.go");
    assert_int_equal(r.nsyntax, 1);
    /* the nested module n is left out, as the go command leaves it: a note */
    assert_null(find(&r, "example.com/n"));
    assert_string_equal(diag.data, "leakhound: note: 1 nested module left out: n has a go.mod of "
                                   "its own, and the go command leaves such modules out; "
                                   "--all-modules takes it in, as would a go.work that uses it\n");
    lh_load_free(&r);
    /* --all-modules: n too, under its own module path; no note */
    cfg.all_modules = true;
    r = load(&cfg, 1, all, 0, &diag);
    assert_int_equal(r.npkgs, 5);
    assert_non_null(find(&r, "example.com/n"));
    assert_int_equal(diag.len, 0);
    lh_load_free(&r);
    cfg.all_modules = false;

    /* tests, one thread: the same packages, test files classified */
    cfg.tests = true;
    cfg.jobs = 1;
    r = load(&cfg, 1, all, 0, &diag);
    m = find(&r, "example.com/m");
    assert_non_null(m);
    assert_int_equal(m->ngo, 2);
    assert_int_equal(m->ntest, 1);
    assert_int_equal(m->nxtest, 1);
    assert_string_equal(m->files[1].name, "contest.go");
    assert_int_equal(m->files[1].kind, LH_LOAD_GO);
    assert_int_equal(m->files[2].kind, LH_LOAD_TEST);
    assert_string_equal(m->files[3].name, "ax_test.go");
    assert_int_equal(m->files[3].kind, LH_LOAD_XTEST);
    lh_load_free(&r);
    cfg.tests = false;
    cfg.jobs = 0;

    /* dir/..., a directory, the current one */
    char *sub[] = {"p/...", "n", "."};
    r = load(&cfg, 3, sub, 0, &diag);
    assert_int_equal(r.npkgs, 5);
    assert_non_null(find(&r, "example.com/n"));     /* named: its own module */
    assert_non_null(find(&r, "example.com/m"));
    assert_null(find(&r, "example.com/m/p/vendor/v"));
    lh_load_free(&r);

    /* x... matches names with that prefix */
    char *prefix[] = {"./p/q..."};
    r = load(&cfg, 1, prefix, 0, &diag);
    assert_int_equal(r.npkgs, 1);
    lh_load_free(&r);

    /* matching nothing is a warning (go list's), or an error when asked
     * for (scan, list); a missing walk root or directory is an error */
    char *none[] = {"e/..."};
    r = load(&cfg, 1, none, 0, &diag);
    assert_int_equal(r.npkgs, 0);
    assert_string_equal(diag.data, "leakhound: warning: \"e/...\" matched no packages\n");
    lh_load_free(&r);
    lh_load_config strict = cfg;
    strict.unmatched_is_error = true;
    strict.diag_prefix = "leakhound scan: ";
    r = load(&strict, 1, none, -1, &diag);
    assert_string_equal(diag.data, "leakhound scan: \"e/...\" matched no packages\n");
    lh_load_free(&r);
    char *noroot[] = {"./nothing/..."};
    r = load(&cfg, 1, noroot, -1, &diag);
    assert_string_equal(diag.data, "leakhound: pattern ./nothing/...: lstat ./nothing/: no such "
                                   "file or directory\n");
    lh_load_free(&r);
    char *missing[] = {"./nothing"};
    r = load(&cfg, 1, missing, -1, &diag);
    assert_string_equal(diag.data, "leakhound: ./nothing: no such file or directory\n");
    lh_load_free(&r);
    /* files that cannot be Go source say why */
    put("e/notes.txt", "hello\n");
    put("e/blob.go", "\x7f" "ELF");
    FILE *bf = fopen("e/blob.go", "ab");
    assert_non_null(bf);
    fputc('\0', bf);
    fclose(bf);
    char *txt[] = {"e/notes.txt"};
    r = load(&cfg, 1, txt, -1, &diag);
    assert_non_null(strstr(diag.data, "e/notes.txt: not a Go file"));
    lh_load_free(&r);
    char *bin[] = {"e/blob.go"};
    r = load(&cfg, 1, bin, -1, &diag);
    assert_non_null(strstr(diag.data, "e/blob.go: a binary file, not Go source"));
    lh_load_free(&r);
    remove("e/notes.txt");
    remove("e/blob.go");

    /* a directory named whose files are all excluded: a package error */
    char *ign[] = {"ign"};
    r = load(&cfg, 1, ign, 0, &diag);
    assert_int_equal(r.npkgs, 1);
    assert_non_null(r.pkgs[0].error);
    assert_int_equal(r.nerrors, 1);
    lh_load_free(&r);

    /* files named: one ad hoc package, constraints not applied */
    char *files[] = {"ign/i.go"};
    r = load(&cfg, 1, files, 0, &diag);
    assert_int_equal(r.npkgs, 1);
    assert_string_equal(r.pkgs[0].import_path, "command-line-arguments");
    assert_string_equal(r.pkgs[0].name, "main");
    assert_int_equal(r.pkgs[0].nfiles, 1);
    lh_load_free(&r);
    char *two_dirs[] = {"a.go", "p/p.go"};
    r = load(&cfg, 2, two_dirs, -1, &diag);
    assert_non_null(strstr(diag.data, "named files must all be in one directory"));
    lh_load_free(&r);

    /* another target */
    put("p/p_windows.go", "package p\n");
    cfg.build.goos = "windows";
    char *p[] = {"./p"};
    r = load(&cfg, 1, p, 0, &diag);
    assert_int_equal(r.pkgs[0].nfiles, 2);
    assert_string_equal(r.pkgs[0].files[1].name, "p_windows.go");
    lh_load_free(&r);
    lh_buf_free(&diag);
}

static void test_release_in_loader(void **state)
{
    (void)state;
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/rel", tree);
    put("rel/go.mod", "module example.com/rel\n\ngo 1.22\n\ntoolchain go1.27.3\n");
    put("rel/a.go", "package rel\n");
    put("rel/new.go", "//go:build go1.27\n\npackage rel\n");
    put("rel/wasi_wasip1.go", "package rel\n");
    assert_int_equal(chdir(dir), 0);
    lh_load_config cfg;
    lh_load_config_default(&cfg);
    cfg.parse = false;
    lh_buf diag = LH_BUF_INIT;
    char *dot[] = {"."};
    lh_load_result r = load(&cfg, 1, dot, 0, &diag);
    assert_int_equal(r.release, 27);
    assert_int_equal(r.npkgs, 1);
    assert_int_equal(r.pkgs[0].ngo, 2);         /* a.go new.go */
    lh_load_free(&r);
    /* --go-release wins; go1.19 did not know wasip1: an ordinary name */
    cfg.build.release = 19;
    r = load(&cfg, 1, dot, 0, &diag);
    assert_int_equal(r.release, 19);
    assert_int_equal(r.pkgs[0].ngo, 2);         /* a.go wasi_wasip1.go */
    assert_string_equal(r.pkgs[0].files[1].name, "wasi_wasip1.go");
    lh_load_free(&r);
    /* GOTOOLCHAIN pins it */
    cfg.build.release = 0;
    cfg.gotoolchain = "go1.26.8";
    r = load(&cfg, 1, dot, 0, &diag);
    assert_int_equal(r.release, 26);
    assert_int_equal(r.pkgs[0].ngo, 1);
    lh_load_free(&r);
    /* a GOEXPERIMENT the release does not know: a load error */
    cfg.gotoolchain = NULL;
    cfg.build.goexperiment = "swissmap";
    r = load(&cfg, 1, dot, -1, &diag);
    assert_non_null(strstr(diag.data, "unknown GOEXPERIMENT swissmap"));
    lh_load_free(&r);
    cfg.build.release = 24;
    r = load(&cfg, 1, dot, 0, &diag);
    lh_load_free(&r);
    lh_buf_free(&diag);
    assert_int_equal(chdir(oldcwd), 0);
}

static void test_no_module(void **state)
{
    (void)state;
    /* Outside any module: "_" + the absolute directory. The scratch tree
     * may sit below a go.mod (it should not); then skip the check. */
    char root[1024];
    char dir[1100], file[1200];
    snprintf(dir, sizeof dir, "%s-nomod", tree);  /* beside the tree: no go.mod */
    assert_int_equal(mkdir(dir, 0777), 0);
    snprintf(file, sizeof file, "%s/z.go", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("package z\n", f);
    fclose(f);
    if (lh_gomod_find_root(dir, root, sizeof root)) {
        remove(file);
        rmdir(dir);
        lh_test_skip("a go.mod above $TMPDIR: no directory outside a module to load from");
    }
    assert_int_equal(chdir(dir), 0);
    lh_load_config cfg;
    lh_load_config_default(&cfg);
    lh_buf diag = LH_BUF_INIT;
    char *dot[] = {"."};
    lh_load_result r = load(&cfg, 1, dot, 0, &diag);
    assert_int_equal(r.npkgs, 1);
    /* the tree's path may pass through a symlink ($TMPDIR); compare the tail */
    assert_non_null(strstr(r.pkgs[0].import_path, "-nomod"));
    assert_int_equal(r.pkgs[0].import_path[0], '_');
    assert_string_equal(r.pkgs[0].name, "z");
    lh_load_free(&r);
    remove(file);
    rmdir(dir);
    lh_buf_free(&diag);
}

/* ---- lh_load_each ------------------------------------------------------ */

typedef struct visits {
    char order[64][64];     /* import paths, in visit order */
    size_t n;
    int stop_after;         /* return 7 after this many; 0: never */
    size_t parsed, syntax;  /* files with trees / with errors seen */
    const lh_load_stats *st;
    size_t npkgs_seen;      /* stats->npkgs during the first visit */
} visits;

static int record(const lh_load_package *p, void *ctx)
{
    visits *v = ctx;
    if (v->n == 0 && v->st)
        v->npkgs_seen = v->st->npkgs;
    const char *ip = p->import_path;
    const char *slash = strrchr(ip, '/');
    snprintf(v->order[v->n++ % 64], sizeof v->order[0], "%s", slash ? slash + 1 : ip);
    for (size_t k = 0; k < p->nfiles; k++) {
        /* handed over parsed, the source behind the tree */
        assert_non_null(p->files[k].src);
        assert_non_null(p->files[k].ast);
        v->parsed++;
        v->syntax += p->files[k].errs.len > 0;
    }
    return v->stop_after && (int)v->n == v->stop_after ? 7 : 0;
}

/* The names visited, space-separated. */
static const char *order_of(const visits *v)
{
    static char s[4096];
    s[0] = '\0';
    for (size_t i = 0; i < v->n && i < 64; i++) {
        if (i)
            strcat(s, " ");
        strcat(s, v->order[i]);
    }
    return s;
}

static void put_dep_module(void)
{
    put("each/go.mod", "module example.com/e\n\ngo 1.22\n");
    /* a chain: a -> b -> c (c also reached directly) */
    put("each/a/a.go", "package a\n\nimport (\n\t\"example.com/e/b\"\n\tc \"example.com/e/c\"\n"
                       "\t\"fmt\"\n)\n\nvar _ = b.B + c.C\n\nfunc init() { fmt.Println() }\n");
    put("each/b/b.go", "package b\n\nimport \"example.com/e/c\"\n\nconst B = c.C\n");
    put("each/c/c.go", "// Package c.\npackage c\n\nconst C = 1\n");
    /* a cycle, which Go forbids: broken the same way every run (at the
     * first in import path order) */
    put("each/x/x.go", "package x\n\nimport _ \"example.com/e/y\"\n");
    put("each/y/y.go", "package y\n\nimport . \"example.com/e/x\"\n");
    /* an external test importing an importer of its package: q before p
     * would put p's importer before p; p comes first */
    put("each/p/p.go", "package p\n");
    put("each/p/p_test.go", "package p_test\n\nimport (\n\t\"example.com/e/p\"\n\t\"example.com/e/q\"\n)\n");
    put("each/q/q.go", "package q\n\nimport `example.com/e/p`\n");
    /* an external test whose import closes no cycle: honoured (r after s) */
    put("each/r/r.go", "package r\n");
    put("each/r/r_test.go", "package r_test\n\nimport \"example.com/e/s\"\n");
    /* in-package tests in a cycle with Go files' imports: t1 imports t2,
     * t2's tests import t1 (allowed): t2 first, though t1 sorts first */
    put("each/t1/t1.go", "package t1\n\nimport \"example.com/e/t2\"\n");
    put("each/t2/t2.go", "package t2\n");
    put("each/t2/t2_test.go", "package t2\n\nimport (\n\t\"testing\"\n\t\"example.com/e/t1\"\n)\n");
    /* tests' imports in a cycle: ga's and gb's tests import gh, gh's
     * gc, gc's ga and gb. gh, which two wait for, goes first, then those
     * now free; only gh's import of gc is late (ga first would leave two) */
    put("each/ga/ga.go", "package ga\n");
    put("each/ga/ga_test.go", "package ga\n\nimport _ \"example.com/e/gh\"\n");
    put("each/gb/gb.go", "package gb\n");
    put("each/gb/gb_test.go", "package gb_test\n\nimport _ \"example.com/e/gh\"\n");
    put("each/gh/gh.go", "package gh\n");
    put("each/gh/gh_test.go", "package gh\n\nimport _ \"example.com/e/gc\"\n");
    put("each/gc/gc.go", "package gc\n");
    put("each/gc/gc_test.go", "package gc_test\n\nimport (\n\t_ \"example.com/e/ga\"\n"
                              "\t_ \"example.com/e/gb\"\n)\n");
    put("each/s/s.go", "package s\n\nfunc f( {\n");      /* syntax error */
    /* a package error, and a file excluded by its build line */
    put("each/z/z1.go", "package z\n\nimport \"example.com/e/a\"\n");
    put("each/z/z2.go", "package zz\n");
    put("each/z/ign.go", "//go:build ignore\n\npackage main\n\nimport \"example.com/e/y\"\n");
}

static void test_each_order(void **state)
{
    (void)state;
    put_dep_module();
    assert_int_equal(chdir(tree), 0);
    assert_int_equal(chdir("each"), 0);
    lh_load_config cfg;
    lh_load_config_default(&cfg);
    cfg.tests = true;
    lh_buf diag = LH_BUF_INIT;
    char *all[] = {"./..."};
    const char *want = "c b a gh ga gb gc p q s r t2 t1 x y z";
    /* the same order whatever the threads and the window */
    int jobs[] = {1, 2, 8};
    size_t ahead[] = {0, 1, 1 << 30};
    for (int ji = 0; ji < 3; ji++) {
        for (int ai = 0; ai < 3; ai++) {
            cfg.jobs = jobs[ji];
            cfg.ahead_bytes = ahead[ai];
            lh_load_stats st;
            visits v = {.st = &st};
            lh_buf_clear(&diag);
            assert_int_equal(lh_load_each(&cfg, all, 1, record, &v, &diag, &st), 0);
            assert_string_equal(order_of(&v), want);
            assert_int_equal(diag.len, 0);
            assert_int_equal(st.npkgs, 16);
            assert_int_equal(v.npkgs_seen, 16);     /* known before the first visit */
            assert_int_equal(st.nvisited, 16);
            assert_int_equal(st.nfiles_parsed, 24);
            assert_int_equal(v.parsed, 24);
            assert_int_equal(st.nsyntax, 1);
            assert_int_equal(v.syntax, 1);
            assert_int_equal(st.nerrors, 1);
            assert_true(st.nbytes > 300);
            assert_int_equal(st.release, 22);
        }
    }
    /* without tests, r's external test is not there to order it */
    cfg.tests = false;
    cfg.jobs = 0;
    cfg.ahead_bytes = 0;
    visits v = {0};
    assert_int_equal(lh_load_each(&cfg, all, 1, record, &v, &diag, NULL), 0);
    assert_string_equal(order_of(&v), "c b a ga gb gc gh p q r s t2 t1 x y z");
    lh_buf_free(&diag);
    assert_int_equal(chdir(oldcwd), 0);
}

static void test_each_stop(void **state)
{
    (void)state;
    assert_int_equal(chdir(tree), 0);
    assert_int_equal(chdir("each"), 0);
    lh_load_config cfg;
    lh_load_config_default(&cfg);
    lh_buf diag = LH_BUF_INIT;
    char *all[] = {"./..."};
    for (int jobs = 1; jobs <= 4; jobs += 3) {
        cfg.jobs = jobs;
        lh_load_stats st;
        visits v = {.stop_after = 2};
        /* the window's parsed packages are freed too (ASan's leak check) */
        assert_int_equal(lh_load_each(&cfg, all, 1, record, &v, &diag, &st), 7);
        assert_int_equal(v.n, 2);
        assert_int_equal(st.nvisited, 2);
        assert_string_equal(order_of(&v), "c b");
    }
    lh_buf_free(&diag);
    assert_int_equal(chdir(oldcwd), 0);
}

static int count(const lh_load_package *p, void *ctx)
{
    (void)p;
    (*(size_t *)ctx)++;
    return 0;
}

static void test_each_errors(void **state)
{
    (void)state;
    assert_int_equal(chdir(tree), 0);
    assert_int_equal(chdir("each"), 0);
    lh_load_config cfg;
    lh_load_config_default(&cfg);
    lh_buf d1 = LH_BUF_INIT, d2 = LH_BUF_INIT;
    size_t n = 0;
    /* a missing directory: the same fatal error, nothing visited */
    char *missing[] = {"./a", "./nope"};
    lh_load_result r;
    assert_int_equal(lh_load_packages(&cfg, missing, 2, &r, &d1), -1);
    lh_load_free(&r);
    assert_int_equal(lh_load_each(&cfg, missing, 2, count, &n, &d2, NULL), -1);
    assert_int_equal(n, 0);
    assert_string_equal(d1.data, d2.data);
    /* a warning, and the packages still visited */
    lh_buf_clear(&d1);
    lh_buf_clear(&d2);
    char *warn[] = {"./a/nothing...", "./a"};
    assert_int_equal(lh_load_packages(&cfg, warn, 2, &r, &d1), 0);
    lh_load_free(&r);
    lh_load_stats st;
    assert_int_equal(lh_load_each(&cfg, warn, 2, count, &n, &d2, &st), 0);
    assert_int_equal(n, 1);
    assert_non_null(strstr(d2.data, "matched no packages"));
    assert_string_equal(d1.data, d2.data);
    /* a release the target refuses: fatal before listing */
    lh_buf_clear(&d2);
    cfg.build.goexperiment = "nosuchexperiment";
    n = 0;
    assert_int_equal(lh_load_each(&cfg, warn, 2, count, &n, &d2, &st), -1);
    assert_int_equal(n, 0);
    assert_true(d2.len > 0);
    lh_buf_free(&d1);
    lh_buf_free(&d2);
    assert_int_equal(chdir(oldcwd), 0);
}

/* lh_load_each and lh_load_packages agree on everything but the order and
 * the lifetime of the trees. */
typedef struct compare {
    const lh_load_result *r;
    size_t seen;
} compare;

static int compare_pkg(const lh_load_package *p, void *ctx)
{
    compare *c = ctx;
    const lh_load_package *q = NULL;
    for (size_t i = 0; i < c->r->npkgs && !q; i++)
        if (strcmp(c->r->pkgs[i].dir, p->dir) == 0)
            q = &c->r->pkgs[i];
    assert_non_null(q);
    c->seen++;
    assert_string_equal(p->import_path, q->import_path);
    assert_string_equal(p->name, q->name);
    assert_int_equal(p->nfiles, q->nfiles);
    assert_int_equal(p->ngo, q->ngo);
    assert_int_equal(p->ncgo, q->ncgo);
    assert_int_equal(p->ntest, q->ntest);
    assert_int_equal(p->nxtest, q->nxtest);
    assert_int_equal(p->nignored, q->nignored);
    for (size_t k = 0; k < p->nignored; k++)
        assert_string_equal(p->ignored[k], q->ignored[k]);
    assert_int_equal(p->error != NULL, q->error != NULL);
    if (p->error)
        assert_string_equal(p->error, q->error);
    for (size_t k = 0; k < p->nfiles; k++) {
        const lh_load_file *f = &p->files[k], *g = &q->files[k];
        assert_string_equal(f->path, g->path);
        assert_int_equal(f->kind, g->kind);
        assert_int_equal(f->len, g->len);
        assert_memory_equal(f->src, g->src, f->len);
        assert_int_equal(f->ast != NULL, g->ast != NULL);
        assert_int_equal(f->errs.len, g->errs.len);
        for (size_t e = 0; e < f->errs.len; e++)
            assert_string_equal(f->errs.items[e].msg, g->errs.items[e].msg);
        if (f->ast)
            assert_int_equal(f->ast->decls.n, g->ast->decls.n);
    }
    return 0;
}

static void compare_loads(lh_load_config *cfg, char **pats, int n)
{
    lh_buf d1 = LH_BUF_INIT, d2 = LH_BUF_INIT;
    lh_load_result r;
    int rc = lh_load_packages(cfg, pats, (size_t)n, &r, &d1);
    compare c = {&r, 0};
    lh_load_stats st;
    assert_int_equal(lh_load_each(cfg, pats, (size_t)n, compare_pkg, &c, &d2, &st), rc);
    assert_string_equal(d1.len ? d1.data : "", d2.len ? d2.data : "");
    if (rc == 0) {
        assert_int_equal(c.seen, r.npkgs);
        assert_int_equal(st.npkgs, r.npkgs);
        assert_int_equal(st.nfiles_parsed, r.nfiles_parsed);
        assert_int_equal(st.nsyntax, r.nsyntax);
        assert_int_equal(st.nerrors, r.nerrors);
        assert_int_equal(st.release, r.release);
    }
    lh_load_free(&r);
    lh_buf_free(&d1);
    lh_buf_free(&d2);
}

static void test_each_same_selection(void **state)
{
    (void)state;
    lh_load_config cfg;
    lh_load_config_default(&cfg);
    assert_int_equal(chdir(tree), 0);
    char *all[] = {"./..."};
    char *some[] = {"p/...", "n", ".", "each/..."};
    char *files[] = {"each/z/z1.go", "each/z/ign.go"};
    for (int tests = 0; tests <= 1; tests++) {
        cfg.tests = tests;
        compare_loads(&cfg, all, 1);
        compare_loads(&cfg, some, 4);
        compare_loads(&cfg, files, 2);
    }
    /* the project's own test data: syntax errors, build lines, cgo */
    const char *src = getenv("LH_SRC");
    if (src) {
        char pat[4096];
        snprintf(pat, sizeof pat, "%s/tests/testdata/...", src);
        char *pats[] = {pat};
        cfg.tests = true;
        compare_loads(&cfg, pats, 1);
        cfg.build.cgo = true;
        cfg.ahead_bytes = 1;
        compare_loads(&cfg, pats, 1);
    }
    assert_int_equal(chdir(oldcwd), 0);
}

static int no_trees(const lh_load_package *p, void *ctx)
{
    (void)ctx;
    for (size_t k = 0; k < p->nfiles; k++) {
        assert_null(p->files[k].ast);
        assert_non_null(p->files[k].src);
    }
    return 0;
}

static void test_each_no_parse(void **state)
{
    (void)state;
    assert_int_equal(chdir(tree), 0);
    assert_int_equal(chdir("each"), 0);
    lh_load_config cfg;
    lh_load_config_default(&cfg);
    cfg.parse = false;
    lh_buf diag = LH_BUF_INIT;
    char *all[] = {"./..."};
    lh_load_stats st;
    assert_int_equal(lh_load_each(&cfg, all, 1, no_trees, NULL, &diag, &st), 0);
    assert_int_equal(st.nvisited, 16);
    assert_int_equal(st.nfiles_parsed, 0);
    lh_buf_free(&diag);
    assert_int_equal(chdir(oldcwd), 0);
}

/* ---- lh_load_each_parallel: release ------------------------------------ */

typedef struct rel_pkg {
    char path[64];
    size_t seq;
    char imports[8][64];
    size_t nimports;
    int released;           /* times */
    size_t stamp;           /* 1 + releases before it; 0: kept */
} rel_pkg;

typedef struct rel_log {
    rel_pkg p[32];
    size_t n;
    const char *keep;       /* release says keep for this path */
    size_t nreleased;
} rel_log;

static void *rel_work(const lh_load_package *p, int worker, lh_load_ready *ready, void *ctx)
{
    (void)p, (void)worker, (void)ready;
    return ctx;
}

static void rel_discard(void *result, void *ctx)
{
    (void)result, (void)ctx;
}

static rel_pkg *rel_find(rel_log *l, const lh_load_package *p)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->p[i].seq == p->seq)
            return &l->p[i];
    return NULL;
}

/* Records each package's imports (from its trees, alive in done). */
static int rel_done(const lh_load_package *p, void *result, void *ctx)
{
    (void)result;
    rel_log *l = ctx;
    assert_true(l->n < 32);
    rel_pkg *r = &l->p[l->n++];
    snprintf(r->path, sizeof r->path, "%s", p->import_path);
    r->seq = p->seq;
    for (size_t k = 0; k < p->nfiles; k++)
        for (uint32_t i = 0; p->files[k].ast && i < p->files[k].ast->imports.n; i++) {
            lh_str v = LH_AS(LH_AS(p->files[k].ast->imports.v[i], lh_import_spec)->path,
                             lh_basic_lit)->value;
            assert_true(r->nimports < 8);
            snprintf(r->imports[r->nimports++], 64, "%.*s", (int)v.len - 2, v.p + 1);
        }
    return 0;
}

/* Whether r may look q's work up: a later package importing q's path or
 * q's path + "_test" (the name of its external tests), or of q's path. */
static bool rel_reads(const rel_pkg *r, const rel_pkg *q)
{
    if (r->seq <= q->seq)
        return false;
    if (strcmp(r->path, q->path) == 0)
        return true;
    char x[80];
    snprintf(x, sizeof x, "%s_test", q->path);
    for (size_t i = 0; i < r->nimports; i++)
        if (strcmp(r->imports[i], q->path) == 0 || strcmp(r->imports[i], x) == 0)
            return true;
    return false;
}

static bool rel_release(const lh_load_package *p, void *ctx)
{
    rel_log *l = ctx;
    rel_pkg *q = rel_find(l, p);
    assert_non_null(q);     /* after its done */
    if (l->keep && strcmp(p->import_path, l->keep) == 0)
        return false;
    q->released++;
    q->stamp = ++l->nreleased;
    return true;
}

/* Pairs (r may read q) where q went first or r was kept and q not. Every
 * package that may read q's work, however indirectly, must go before it:
 * through the packages in between, each released only after its own
 * readers. */
static size_t rel_violations(const rel_log *l)
{
    size_t bad = 0;
    for (size_t i = 0; i < l->n; i++)
        for (size_t k = 0; k < l->n; k++) {
            const rel_pkg *r = &l->p[i], *q = &l->p[k];
            if (rel_reads(r, q) && q->stamp && (!r->stamp || r->stamp > q->stamp))
                bad++;
        }
    return bad;
}

static void put_release_module(void)
{
    put("rel/go.mod", "module example.com/r\n\ngo 1.22\n");
    put("rel/zbase/zbase.go", "package zbase\n");
    for (int i = 0; i < 5; i++) {
        char path[64], src[128];
        snprintf(path, sizeof path, "rel/l%d/l.go", i);
        snprintf(src, sizeof src, "package l%d\n\nimport \"example.com/r/zbase\"\n", i);
        put(path, src);
    }
    put("rel/c0/c.go", "package c0\n\nimport \"example.com/r/zbase\"\n");
    put("rel/c1/c.go", "package c1\n\nimport \"example.com/r/c0\"\n");
    put("rel/c2/c.go", "package c2\n\nimport \"example.com/r/c1\"\n");
    put("rel/top/top.go", "package top\n\nimport (\n\t\"example.com/r/c2\"\n\t\"example.com/r/l0\"\n)\n");
    /* w names v's external tests by their package's path */
    put("rel/v/v.go", "package v\n");
    put("rel/v/v_test.go", "package v_test\n\nimport \"example.com/r/v\"\n");
    put("rel/w/w.go", "package w\n\nimport \"example.com/r/v_test\"\n");
    /* a nested module whose path is zbase's, after zbase and its
     * importers in the order (its path sorts last, and only zbase's is
     * reached through imports): it looks its own path up too */
    put("rel/dup/go.mod", "module example.com/r/zbase\n\ngo 1.22\n");
    put("rel/dup/d.go", "package zbase\n");
    /* tests importing an importer of their package (a test-only cycle) */
    put("rel/t/t.go", "package t\n");
    put("rel/t/t_test.go", "package t\n\nimport \"example.com/r/u\"\n");
    put("rel/u/u.go", "package u\n\nimport \"example.com/r/t\"\n");
}

static void test_parallel_release(void **state)
{
    (void)state;
    put_release_module();
    assert_int_equal(chdir(tree), 0);
    assert_int_equal(chdir("rel"), 0);
    lh_load_config cfg;
    lh_load_config_default(&cfg);
    cfg.tests = true;
    cfg.all_modules = true;
    lh_buf diag = LH_BUF_INIT;
    char *all[] = {"./..."};
    const size_t npkgs = 16;
    int jobs[] = {1, 2, 4};
    for (int ji = 0; ji < 3; ji++) {
        cfg.jobs = jobs[ji];
        rel_log l = {0};
        lh_load_parallel par = {NULL, rel_work, rel_done, rel_discard, rel_release, &l};
        lh_load_stats st;
        lh_buf_clear(&diag);
        assert_int_equal(lh_load_each_parallel(&cfg, all, 1, &par, &diag, &st), 0);
        assert_int_equal(l.n, npkgs);
        assert_int_equal(rel_violations(&l), 0);
        /* nothing kept: everything goes, once */
        assert_int_equal(st.nreleased, npkgs);
        for (size_t i = 0; i < l.n; i++)
            assert_int_equal(l.p[i].released, 1);
        assert_true(st.peak_held >= 1 && st.peak_held < npkgs);

        /* c1 kept: so are c0 and zbase, what it reads (not the other
         * package of zbase's path, after c1) */
        rel_log k = {.keep = "example.com/r/c1"};
        par.ctx = &k;
        assert_int_equal(lh_load_each_parallel(&cfg, all, 1, &par, &diag, &st), 0);
        assert_int_equal(rel_violations(&k), 0);
        assert_int_equal(st.nreleased, npkgs - 3);
        size_t first_base = SIZE_MAX;
        for (size_t i = 0; i < k.n; i++)
            if (strcmp(k.p[i].path, "example.com/r/zbase") == 0 && k.p[i].seq < first_base)
                first_base = k.p[i].seq;
        for (size_t i = 0; i < k.n; i++) {
            bool held = strcmp(k.p[i].path, "example.com/r/c1") == 0 ||
                        strcmp(k.p[i].path, "example.com/r/c0") == 0 || k.p[i].seq == first_base;
            assert_int_equal(k.p[i].released, held ? 0 : 1);
        }
    }
    lh_buf_free(&diag);
    assert_int_equal(chdir(oldcwd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gobuild_operators),
        cmocka_unit_test(test_gobuild_malformed),
        cmocka_unit_test(test_plusbuild),
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_filename),
        cmocka_unit_test(test_gomod),
        cmocka_unit_test(test_gomod_toolchain),
        cmocka_unit_test(test_release_selection),
        cmocka_unit_test(test_experiments),
        cmocka_unit_test(test_feature_tags),
        cmocka_unit_test(test_patterns),
        cmocka_unit_test(test_no_module),
        cmocka_unit_test(test_release_in_loader),
        cmocka_unit_test(test_each_order),
        cmocka_unit_test(test_each_stop),
        cmocka_unit_test(test_each_errors),
        cmocka_unit_test(test_each_same_selection),
        cmocka_unit_test(test_each_no_parse),
        cmocka_unit_test(test_parallel_release),
    };
    return lh_test_exit(cmocka_run_group_tests(tests, tree_setup, tree_teardown));
}
