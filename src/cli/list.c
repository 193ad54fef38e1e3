/* leakhound list [options] PATTERN...: the packages and files the module
 * loader selects (src/load/load.h), in the spirit of `go list`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "load/load.h"
#include "util/buf.h"

static void usage(FILE *f)
{
    fputs("usage: leakhound list [-tags a,b] [--goos OS] [--goarch ARCH] [-test] [--ignored]\n"
          "                      [--format text|json|line] [-j N] PATTERN...\n\n"
          "Lists the packages PATTERN selects the way the go command selects them\n"
          "(./..., DIR/..., ., DIR, or .go files forming one package), in import path\n"
          "order, with the Go files the build constraints keep for the target.\n"
          "Every listed file is parsed; syntax errors go to stderr as file:line:col.\n\n"
          "  -tags a,b       extra build tags\n"
          "  --goos OS       target OS (default $GOOS, else linux)\n"
          "  --goarch ARCH   target architecture (default $GOARCH, else amd64)\n"
          "  --cgo           the cgo tag holds and import \"C\" files count\n"
          "                  (default: CGO_ENABLED=1 in the environment, else off)\n"
          "  --go-release N  newest release tag go1.N (default 22)\n"
          "  -test           also list _test.go files (TestGoFiles, XTestGoFiles)\n"
          "  --ignored       also list files the constraints exclude (IgnoredGoFiles)\n"
          "  --format F      text (default), json, or line: one line per package,\n"
          "                  'IMPORTPATH DIR NAME GOFILE...' as\n"
          "                  go list -f '{{.ImportPath}} {{.Dir}} {{.Name}} {{join .GoFiles \" \"}}';\n"
          "                  --cgo appends ' | CGOFILES', -test ' | TESTFILES | XTESTFILES',\n"
          "                  --ignored ' | IGNORED'\n"
          "  -j N            parser threads (default: one per core)\n\n"
          "Exit status: 0 listed, 1 syntax or package errors (reported, listing goes\n"
          "on), 2 usage error, missing directory, unreadable file or bad go.mod.\n",
          f);
}

typedef enum { FMT_TEXT, FMT_JSON, FMT_LINE } list_format;

static void names(lh_buf *b, const lh_load_package *p, lh_load_kind kind)
{
    for (size_t i = 0; i < p->nfiles; i++)
        if (p->files[i].kind == kind) {
            lh_buf_putc(b, ' ');
            lh_buf_puts(b, p->files[i].name);
        }
}

/* Names joined by single spaces, as the template function join. */
static void line_names(lh_buf *b, const lh_load_package *p, lh_load_kind kind)
{
    for (size_t i = 0, k = 0; i < p->nfiles; i++)
        if (p->files[i].kind == kind)
            lh_buf_printf(b, k++ ? " %s" : "%s", p->files[i].name);
}

static void json_names(lh_buf *b, const char *key, const lh_load_package *p, int kind)
{
    lh_buf_printf(b, ", \"%s\": [", key);
    bool first = true;
    if (kind < 0) {
        for (size_t i = 0; i < p->nignored; i++) {
            lh_buf_puts(b, first ? "" : ", ");
            lh_buf_json_str(b, p->ignored[i], strlen(p->ignored[i]));
            first = false;
        }
    } else {
        for (size_t i = 0; i < p->nfiles; i++) {
            if ((int)p->files[i].kind != kind)
                continue;
            lh_buf_puts(b, first ? "" : ", ");
            lh_buf_json_str(b, p->files[i].name, strlen(p->files[i].name));
            first = false;
        }
    }
    lh_buf_putc(b, ']');
}

static void print_package(lh_buf *b, const lh_load_package *p, list_format fmt, bool cgo,
                          bool tests, bool ignored, bool first)
{
    switch (fmt) {
    case FMT_LINE:
        lh_buf_printf(b, "%s %s %s ", p->import_path, p->dir, p->name);
        line_names(b, p, LH_LOAD_GO);
        if (cgo) {
            lh_buf_puts(b, " | ");
            line_names(b, p, LH_LOAD_CGO);
        }
        if (tests) {
            lh_buf_puts(b, " | ");
            line_names(b, p, LH_LOAD_TEST);
            lh_buf_puts(b, " | ");
            line_names(b, p, LH_LOAD_XTEST);
        }
        if (ignored) {
            lh_buf_puts(b, " | ");
            for (size_t i = 0; i < p->nignored; i++)
                lh_buf_printf(b, i ? " %s" : "%s", p->ignored[i]);
        }
        lh_buf_putc(b, '\n');
        break;
    case FMT_TEXT:
        lh_buf_printf(b, "%s\n  dir:     %s\n  name:    %s\n  go:     ", p->import_path, p->dir,
                      p->name);
        names(b, p, LH_LOAD_GO);
        if (p->ncgo) {
            lh_buf_puts(b, "\n  cgo:    ");
            names(b, p, LH_LOAD_CGO);
        }
        if (tests && p->ntest) {
            lh_buf_puts(b, "\n  test:   ");
            names(b, p, LH_LOAD_TEST);
        }
        if (tests && p->nxtest) {
            lh_buf_puts(b, "\n  xtest:  ");
            names(b, p, LH_LOAD_XTEST);
        }
        if (ignored && p->nignored) {
            lh_buf_puts(b, "\n  ignored:");
            for (size_t i = 0; i < p->nignored; i++)
                lh_buf_printf(b, " %s", p->ignored[i]);
        }
        if (p->error)
            lh_buf_printf(b, "\n  error:   %s", p->error);
        lh_buf_putc(b, '\n');
        break;
    case FMT_JSON:
        lh_buf_puts(b, first ? "  {" : ",\n  {");
        lh_buf_puts(b, "\"ImportPath\": ");
        lh_buf_json_str(b, p->import_path, strlen(p->import_path));
        lh_buf_puts(b, ", \"Dir\": ");
        lh_buf_json_str(b, p->dir, strlen(p->dir));
        lh_buf_puts(b, ", \"Name\": ");
        lh_buf_json_str(b, p->name, strlen(p->name));
        json_names(b, "GoFiles", p, LH_LOAD_GO);
        if (cgo)
            json_names(b, "CgoFiles", p, LH_LOAD_CGO);
        if (tests) {
            json_names(b, "TestGoFiles", p, LH_LOAD_TEST);
            json_names(b, "XTestGoFiles", p, LH_LOAD_XTEST);
        }
        if (ignored)
            json_names(b, "IgnoredGoFiles", p, -1);
        if (p->error) {
            lh_buf_puts(b, ", \"Error\": ");
            lh_buf_json_str(b, p->error, strlen(p->error));
        }
        lh_buf_putc(b, '}');
        break;
    }
}

/* "a,b" -> tags, in place (the argument string is modified). */
static size_t split_tags(char *s, const char **tags, size_t max)
{
    size_t n = 0;
    for (char *t = strtok(s, ", "); t && n < max; t = strtok(NULL, ", "))
        tags[n++] = t;
    return n;
}

enum { MAX_TAGS = 64 };

/* A boolean flag: on, unless spelled -flag=false or -flag=0. */
static bool flag_value(bool inline_val, const char *val)
{
    return !inline_val || !(strcmp(val, "false") == 0 || strcmp(val, "0") == 0);
}

int lh_cmd_list(int argc, char **argv)
{
    lh_load_config cfg;
    lh_load_config_default(&cfg);
    const char *env;
    if ((env = getenv("GOOS")) && *env)
        cfg.build.goos = env;
    if ((env = getenv("GOARCH")) && *env)
        cfg.build.goarch = env;
    if ((env = getenv("CGO_ENABLED")) && strcmp(env, "1") == 0)
        cfg.build.cgo = true;
    static const char *tags[MAX_TAGS];
    list_format fmt = FMT_TEXT;
    bool ignored = false, only_operands = false;
    char **pats = calloc((size_t)argc + 1, sizeof *pats);
    size_t npats = 0;
    for (int i = 1; i < argc; i++) {
        /* -flag VALUE or -flag=VALUE, as the go command takes them */
        char name[64];
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        const char *eq = a[0] == '-' && !only_operands ? strchr(a, '=') : NULL;
        bool inline_val = eq && (size_t)(eq - a) < sizeof name;
        if (inline_val) {
            memcpy(name, a, (size_t)(eq - a));
            name[eq - a] = '\0';
            a = name;
            val = eq + 1;
        }
#define NEEDS_VALUE()                                                               \
    do {                                                                            \
        if (!val) {                                                                 \
            fprintf(stderr, "leakhound list: %s needs a value\n", a);               \
            free(pats);                                                             \
            return LH_EXIT_ERROR;                                                   \
        }                                                                           \
        if (!inline_val)                                                            \
            i++;                                                                    \
    } while (0)
        if (only_operands || a[0] != '-' || a[1] == '\0') {
            pats[npats++] = argv[i];
        } else if (strcmp(a, "--") == 0) {
            only_operands = true;
        } else if (strcmp(a, "-tags") == 0 || strcmp(a, "--tags") == 0) {
            NEEDS_VALUE();
            cfg.build.ntags = split_tags((char *)val, tags, MAX_TAGS);
            cfg.build.tags = tags;
        } else if (strcmp(a, "--goos") == 0 || strcmp(a, "-goos") == 0) {
            NEEDS_VALUE();
            cfg.build.goos = val;
        } else if (strcmp(a, "--goarch") == 0 || strcmp(a, "-goarch") == 0) {
            NEEDS_VALUE();
            cfg.build.goarch = val;
        } else if (strcmp(a, "--cgo") == 0) {
            cfg.build.cgo = flag_value(inline_val, val);
        } else if (strcmp(a, "--go-release") == 0) {
            NEEDS_VALUE();
            char *end;
            long v = strtol(val, &end, 10);
            if (*end || v < 1 || v > 1000) {
                fprintf(stderr, "leakhound list: --go-release wants a minor version like 19\n");
                free(pats);
                return LH_EXIT_ERROR;
            }
            cfg.build.release_max = (int)v;
        } else if (strcmp(a, "-test") == 0 || strcmp(a, "--test") == 0) {
            cfg.tests = flag_value(inline_val, val);
        } else if (strcmp(a, "--ignored") == 0) {
            ignored = flag_value(inline_val, val);
        } else if (strcmp(a, "--format") == 0 || strcmp(a, "-format") == 0) {
            NEEDS_VALUE();
            if (strcmp(val, "text") == 0)
                fmt = FMT_TEXT;
            else if (strcmp(val, "json") == 0)
                fmt = FMT_JSON;
            else if (strcmp(val, "line") == 0)
                fmt = FMT_LINE;
            else {
                fprintf(stderr, "leakhound list: unknown format '%s' (text, json, line)\n", val);
                free(pats);
                return LH_EXIT_ERROR;
            }
        } else if (strcmp(a, "-j") == 0) {
            NEEDS_VALUE();
            char *end;
            long v = strtol(val, &end, 10);
            if (*end || v < 1 || v > 1024) {
                fprintf(stderr, "leakhound list: -j wants a positive number\n");
                free(pats);
                return LH_EXIT_ERROR;
            }
            cfg.jobs = (int)v;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            free(pats);
            return LH_EXIT_OK;
        } else {
            fprintf(stderr, "leakhound list: unknown option '%s'\n", a);
            usage(stderr);
            free(pats);
            return LH_EXIT_ERROR;
        }
#undef NEEDS_VALUE
    }
    if (!lh_build_known_os(cfg.build.goos, strlen(cfg.build.goos)) ||
        !lh_build_known_arch(cfg.build.goarch, strlen(cfg.build.goarch))) {
        fprintf(stderr, "leakhound list: unsupported GOOS/GOARCH pair %s/%s\n", cfg.build.goos,
                cfg.build.goarch);
        free(pats);
        return LH_EXIT_ERROR;
    }
    if (npats == 0) {
        /* As go list: no pattern means the current directory. */
        pats[npats++] = ".";
    }

    lh_load_result r;
    lh_buf diag = LH_BUF_INIT;
    int rc = lh_load_packages(&cfg, pats, npats, &r, &diag);
    free(pats);
    lh_buf_write(&diag, stderr);
    lh_buf_free(&diag);
    if (rc != 0) {
        lh_load_free(&r);
        return LH_EXIT_ERROR;
    }

    lh_buf out = LH_BUF_INIT, msg = LH_BUF_INIT;
    if (fmt == FMT_JSON)
        lh_buf_puts(&out, "[\n");
    for (size_t i = 0; i < r.npkgs; i++) {
        const lh_load_package *p = &r.pkgs[i];
        print_package(&out, p, fmt, cfg.build.cgo, cfg.tests, ignored, i == 0);
        if (p->error)
            lh_buf_printf(&msg, "leakhound: %s\n", p->error);
        for (size_t k = 0; k < p->nfiles; k++)
            lh_diag_format(&p->files[k].errs, p->files[k].path, 0, &msg);
    }
    if (fmt == FMT_JSON)
        lh_buf_puts(&out, r.npkgs ? "\n]\n" : "]\n");
    int io = lh_buf_write(&out, stdout);
    fflush(stdout);
    lh_buf_write(&msg, stderr);
    int found = r.nsyntax > 0 || r.nerrors > 0;
    lh_buf_free(&out);
    lh_buf_free(&msg);
    lh_load_free(&r);
    if (io != 0) {
        fprintf(stderr, "leakhound list: writing output failed\n");
        return LH_EXIT_ERROR;
    }
    return found ? LH_EXIT_FOUND : LH_EXIT_OK;
}
