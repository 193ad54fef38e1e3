/* leakhound list [options] PATTERN...: the packages and files the module
 * loader selects (src/load/load.h), in the spirit of `go list`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/goargs.h"
#include "load/load.h"
#include "util/buf.h"

static const char list_usage[] =
    "usage: leakhound list [-tags a,b] [--goos OS] [--goarch ARCH] [--cgo] [--go-release N]\n"
    "                      [-test] [--ignored] [--format text|json|line] [-j N] PATTERN...\n\n"
    "Lists the packages PATTERN selects the way the go command selects them\n"
    "(./..., DIR/..., ., DIR, or .go files forming one package), in import path\n"
    "order, with the Go files the build constraints keep for the target.\n"
    "Every listed file is parsed; syntax errors go to stderr as file:line:col.\n\n"
    "  -tags a,b       extra build tags\n"
    "  --goos OS       target OS (default $GOOS, else linux)\n"
    "  --goarch ARCH   target architecture (default $GOARCH, else amd64)\n"
    "  --cgo           the cgo tag holds and import \"C\" files count\n"
    "                  (default: CGO_ENABLED=1 in the environment, else off)\n"
    "  --go-release N  act as Go 1.N (27, 1.27, go1.27.3): release tags go1.1 ..\n"
    "                  go1.N, its ports and default experiments (default: the\n"
    "                  Go go.mod's go and toolchain lines ask for, as the go\n"
    "                  command picks its toolchain, GOTOOLCHAIN included;\n"
    "                  without go.mod 1.27, the newest known)\n"
    "  -test           also list _test.go files (TestGoFiles, XTestGoFiles)\n"
    "  --ignored       also list files the constraints exclude (IgnoredGoFiles)\n"
    "  --format F      text (default), json, or line: one line per package,\n"
    "                  'IMPORTPATH DIR NAME GOFILE...' as\n"
    "                  go list -f '{{.ImportPath}} {{.Dir}} {{.Name}} {{join .GoFiles \" \"}}';\n"
    "                  --cgo appends ' | CGOFILES', -test ' | TESTFILES | XTESTFILES',\n"
    "                  --ignored ' | IGNORED'\n"
    "  -json           --format json, as go list -json\n"
    "  -j N            parser threads (default: one per core)\n"
    "  --all-modules   walk into nested modules too (directories with a go.mod of\n"
    "                  their own, which ./... leaves out as the go command does,\n"
    "                  with a note saying how many; a go.work's use lines take\n"
    "                  theirs without this flag; GOWORK=off ignores go.work)\n\n"
    "GOEXPERIMENT and GOARCH's level (GOAMD64, GOARM, ...) are read from the\n"
    "environment as the go command reads them (goexperiment.X, amd64.v2 tags).\n\n"
    "Exit status: 0 listed; 2 usage error, a pattern matching nothing, missing\n"
    "directory, unreadable or non-Go file, bad go.mod, a GOEXPERIMENT the\n"
    "release does not know, or syntax or package errors (reported; the listing\n"
    "goes on).\n";

enum { FMT_TEXT, FMT_JSON, FMT_LINE };

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

static void print_package(lh_buf *b, const lh_load_package *p, int fmt, bool cgo,
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

/* What list prints of each package, by its index in import path order. */
typedef struct list_out {
    int fmt;
    bool cgo, tests, ignored;
    const lh_load_stats *st;    /* npkgs is known before the first visit */
    struct {
        lh_buf out, msg;
    } *v;
    size_t n;
} list_out;

static int list_visit(const lh_load_package *p, void *ctx)
{
    list_out *lo = ctx;
    if (!lo->v) {
        lo->n = lo->st->npkgs;
        lo->v = calloc(lo->n ? lo->n : 1, sizeof *lo->v);
        if (!lo->v)
            abort();
    }
    if (p->index >= lo->n)
        abort();        /* the loader's own invariant */
    lh_buf *out = &lo->v[p->index].out, *msg = &lo->v[p->index].msg;
    print_package(out, p, lo->fmt, lo->cgo, lo->tests, lo->ignored, p->index == 0);
    if (p->error)
        lh_buf_printf(msg, "leakhound list: %s\n", p->error);
    for (size_t k = 0; k < p->nfiles; k++)
        lh_diag_format(&p->files[k].errs, p->files[k].path, 0, msg);
    return 0;
}

static void list_out_free(list_out *lo)
{
    for (size_t i = 0; i < lo->n; i++) {
        lh_buf_free(&lo->v[i].out);
        lh_buf_free(&lo->v[i].msg);
    }
    free(lo->v);
}

int lh_cmd_list(int argc, char **argv)
{
    lh_gocfg g;
    lh_gocfg_init(&g);
    int fmt = FMT_TEXT;
    bool ignored = false;
    char **pats = calloc((size_t)argc + 1, sizeof *pats);
    size_t npats = 0;
    const lh_flag flags[] = {
        {"format", LH_FLAG_CHOICE, &fmt, 0, NULL, "text|json|line"},
        {"json", LH_FLAG_SET, &fmt, FMT_JSON, NULL, NULL},
        {"ignored", LH_FLAG_BOOL, &ignored, 0, NULL, NULL},
        LH_FLAG_END,
    };
    const lh_flag *tables[] = {flags, g.flags, NULL};
    int pr = lh_flags_parse("list", list_usage, tables, argc, argv, pats, &npats);
    if (pr != 0) {
        free(pats);
        return pr > 0 ? LH_EXIT_OK : LH_EXIT_ERROR;
    }
    if (lh_gocfg_check(&g) != 0)
        goto usage;
    if (npats == 0) {
        /* As go list: no pattern means the current directory. */
        pats[npats++] = ".";
    }

    /* Streamed (lh_load_each): each package's trees go once it is
     * printed, so memory stays that of the largest package and the parse
     * window, not of the whole tree; the walk comes in dependency order,
     * the output in import path order as go list's. */
    lh_buf diag = LH_BUF_INIT;
    lh_load_stats st = {0};
    list_out lo = {.fmt = fmt, .cgo = g.cfg.build.cgo, .tests = g.cfg.tests, .ignored = ignored,
                   .st = &st};
    int rc = lh_load_each(&g.cfg, pats, npats, list_visit, &lo, &diag, &st);
    free(pats);
    lh_buf_write(&diag, stderr);
    lh_buf_free(&diag);
    if (rc != 0) {
        list_out_free(&lo);
        return LH_EXIT_ERROR;
    }

    lh_buf out = LH_BUF_INIT;
    if (fmt == FMT_JSON)
        lh_buf_puts(&out, "[\n");
    for (size_t i = 0; i < lo.n; i++)
        lh_buf_append(&out, lo.v[i].out.data, lo.v[i].out.len);
    if (fmt == FMT_JSON)
        lh_buf_puts(&out, lo.n ? "\n]\n" : "]\n");
    int io = lh_buf_write(&out, stdout);
    fflush(stdout);
    for (size_t i = 0; i < lo.n; i++)
        lh_buf_write(&lo.v[i].msg, stderr);
    int found = st.nsyntax > 0 || st.nerrors > 0;
    lh_buf_free(&out);
    list_out_free(&lo);
    if (io != 0) {
        lh_cli_error("writing output failed");
        return LH_EXIT_ERROR;
    }
    /* A package the go command would reject, or a file that does not
     * parse, is an error, as every command's unreadable input is. */
    return found ? LH_EXIT_ERROR : LH_EXIT_OK;
usage:
    free(pats);
    return LH_EXIT_ERROR;
}
