/* leakhound parse [--dump] [-v] PATH...: parse Go files, report syntax errors,
 * optionally print the canonical AST dump (docs/ast-dump.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/flags.h"
#include "go/diag.h"
#include "go/dump.h"
#include "go/parse.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/duration.h"
#include "util/fs.h"

enum { MAX_FILE_BYTES = 1 << 30 };

static const char parse_usage[] =
    "usage: leakhound parse [--dump] [-v] PATH...\n\n"
    "Parses Go source files (directories recursively, skipping testdata,\n"
    "_* and .* as the go command does) and reports syntax errors as\n"
    "file:line:col: message on stderr.\n\n"
    "  --dump   print each file's syntax tree in the canonical form\n"
    "           (docs/ast-dump.md): '== PATH', then the tree or '!rejected'\n"
    "  -v       print a summary line even when every file parsed\n\n"
    "Exit status: 0 all files parse, 1 some file has syntax errors (what parse\n"
    "looks for), 2 usage error or unreadable path.\n";

typedef struct parse_run {
    lh_pathlist files;
    bool dump;
    size_t nbad, bytes;
    bool io_error;
} parse_run;

static void parse_one(parse_run *r, const char *path, lh_arena *arena, lh_buf *out, lh_buf *msg)
{
    char *src;
    size_t len;
    char err[256];
    if (lh_read_file(path, MAX_FILE_BYTES, &src, &len, err, sizeof err) != 0) {
        lh_cli_error("%s: %s", path, err);
        r->io_error = true;
        return;
    }
    r->bytes += len;
    lh_arena_reset(arena);
    lh_diag_list errs;
    lh_diag_init(&errs, arena);
    lh_file *f = lh_parse_file(arena, path, src, len, &errs);
    bool rejected = errs.len > 0;
    if (rejected) {
        r->nbad++;
        lh_diag_sort(&errs);
        lh_buf_clear(msg);
        lh_diag_format(&errs, path, 0, msg);
        lh_buf_write(msg, stderr);
    }
    if (r->dump) {
        lh_buf_clear(out);
        lh_buf_append(out, "== ", 3);
        lh_buf_puts(out, path);
        lh_buf_putc(out, '\n');
        if (rejected)
            lh_buf_puts(out, "!rejected\n");
        else
            lh_dump_file(f, out);
        if (lh_buf_write(out, stdout) != 0)
            r->io_error = true;
    }
    free(src);
}

/* Runs on a thread with a deep stack, so nesting is bounded by go/parser's
 * limit and not by the main thread's stack. */
static void parse_all(void *arg)
{
    parse_run *r = arg;
    lh_arena arena;
    lh_arena_init(&arena);
    lh_buf out = LH_BUF_INIT, msg = LH_BUF_INIT;
    for (size_t i = 0; i < r->files.len; i++)
        parse_one(r, r->files.paths[i], &arena, &out, &msg);
    lh_buf_free(&out);
    lh_buf_free(&msg);
    lh_arena_free(&arena);
}

int lh_cmd_parse(int argc, char **argv)
{
    parse_run r = {{NULL, 0, 0}, false, 0, 0, false};
    bool verbose = false;
    lh_pathlist operands = {NULL, 0, 0};
    char **ops = calloc((size_t)argc + 1, sizeof *ops);
    size_t nops;
    const lh_flag flags[] = {
        {"dump", LH_FLAG_BOOL, &r.dump, 0, NULL, NULL},
        {"v", LH_FLAG_BOOL, &verbose, 0, NULL, NULL},
        LH_FLAG_END,
    };
    const lh_flag *tables[] = {flags, NULL};
    int pr = lh_flags_parse("parse", parse_usage, tables, argc, argv, ops, &nops);
    for (size_t i = 0; i < nops; i++)
        lh_pathlist_add(&operands, ops[i]);
    free(ops);
    if (pr == 0 && operands.len == 0) {
        lh_cli_error("needs a PATH (a Go file or a directory)");
        pr = -1;
    }
    if (pr != 0) {
        lh_pathlist_free(&operands);
        return pr > 0 ? LH_EXIT_OK : LH_EXIT_ERROR;
    }
    for (size_t i = 0; i < operands.len; i++) {
        char err[256];
        if (lh_collect_go_files(operands.paths[i], &r.files, err, sizeof err) != 0) {
            lh_cli_error("%s: %s", operands.paths[i], err);
            r.io_error = true;
        }
    }
    lh_pathlist_free(&operands);

    lh_parse_run_deep(parse_all, &r);
    fflush(stdout);

    /* Quiet when all is well, as go vet is; the summary accompanies errors. */
    if (!r.dump && (verbose || r.nbad > 0))
        fprintf(stderr, "parsed %zu %s (%.1f MB), %zu with syntax errors\n", r.files.len,
                lh_plural((long long)r.files.len, "file", "files"), (double)r.bytes / 1e6, r.nbad);
    lh_pathlist_free(&r.files);
    if (r.io_error)
        return LH_EXIT_ERROR;
    /* Syntax errors are what parse looks for: its findings (1). For scan
     * and list they are code that could not be read (2). */
    return r.nbad > 0 ? LH_EXIT_FOUND : LH_EXIT_OK;
}
