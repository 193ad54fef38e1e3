/* The module loader: command-line patterns -> packages of parsed Go files,
 * selected the way the go command selects them, without a Go toolchain.
 * This is the front of `scan`; `leakhound list` shows what it selects.
 *
 * Patterns (relative to the current directory, as `go list` takes them):
 *   .  DIR  ./DIR        one package: the directory (an error when it does
 *                        not exist; "no Go files in DIR" when it has none)
 *   ./...  DIR/...       the directory and every one below it; `...` may
 *   ./x...               also stand for part of a name. The walk skips
 *                        testdata, vendor's subdirectories, names starting
 *                        with . or _ and directories with their own go.mod
 *                        (nested modules: one note on diag says how many
 *                        were left out) unless a go.work (cfg->gowork, else
 *                        the nearest from the current directory up) uses
 *                        them, or cfg->all_modules; it keeps only directories with
 *                        Go files for the target (test files count), as go
 *                        does, and GOROOT's pseudo-package builtin. A walk
 *                        root that does not exist is a fatal error, in the
 *                        go command's words ("pattern ./x/...: lstat ./x/:
 *                        no such file or directory"); matching no package
 *                        is a warning, or with cfg->unmatched_is_error a
 *                        fatal error.
 *                        Every pattern is a directory pattern: a bare `...`
 *                        walks ".", and import-path patterns (std, cmd,
 *                        example.com/x/...) are not resolved.
 *   a.go b.go            one ad hoc package "command-line-arguments" of
 *                        exactly these files (one directory), build
 *                        constraints not applied, as `go vet a.go`. A
 *                        file that is not named .go, or holds a NUL byte
 *                        (a binary), is a fatal error saying so.
 *
 * Import paths: the nearest go.mod above the directory gives the module
 * path; a package's import path is that path plus the directory relative
 * to the module root. The module "std" (GOROOT/src) has no prefix, as in
 * the go command. Outside any module the import path is "_" followed by
 * the absolute directory (GOPATH-less ad hoc packages of the go command).
 *
 * Files: as go/build's Import with the configured target (see build.h): a
 * directory's .go files not starting with _ or . are GoFiles, CgoFiles
 * (import "C" when cgo is on; parsed like the others), TestGoFiles
 * (_test.go, same package) or XTestGoFiles (_test.go, package NAME_test),
 * or IgnoredGoFiles when the file name, the build constraints, an
 * `import "C"` without cgo or `package documentation` exclude them. Test
 * files are always read (they name a test-only package and count in name
 * conflicts) but parsed and returned only with cfg->tests.
 *
 * Release: with cfg->build.release 0 the loader acts as the Go release the
 * main module asks for -- the go.mod found from the current directory up,
 * its go and toolchain lines, under cfg->gotoolchain, as the go command
 * picks its toolchain (lh_gomod_release) -- and as the newest release it
 * knows (LH_BUILD_RELEASE_NEWEST) when there is no go.mod or it names no
 * version. That release's tags, experiments and ports apply everywhere.
 *
 * Parsing: the selected files are read and parsed by a pool of cfg->jobs
 * threads, each with a deep stack (see go/parse.h). Two ways to get them:
 * lh_load_packages parses every package up front and keeps all trees until
 * lh_load_free; lh_load_each hands packages over one at a time, in
 * dependency order, and frees each one's trees when its visit returns, so
 * memory stays flat however many packages there are. Both run the same
 * listing and the same parse pool, and select the same packages and files. */
#ifndef LH_LOAD_LOAD_H
#define LH_LOAD_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "go/ast.h"
#include "go/diag.h"
#include "load/build.h"
#include "util/arena.h"
#include "util/buf.h"

typedef struct lh_load_config {
    lh_build_ctx build;     /* target: GOOS, GOARCH, cgo, tags, release,
                             * experiments; build.release 0: see below */
    const char *gotoolchain;    /* GOTOOLCHAIN, for the release; NULL: auto */
    bool tests;             /* also return (and parse) _test.go files */
    bool parse;             /* parse the returned files (else ast is NULL) */
    int jobs;               /* pool threads; <= 0: one per core */
    bool all_modules;       /* walks go into nested modules too */
    const char *gowork;     /* GOWORK: a go.work path, "off", NULL: search */
    bool unmatched_is_error;    /* a pattern matching no package is fatal
                                 * (scan, list), not a warning (go list) */
    const char *diag_prefix;    /* starts every diag line; NULL: "leakhound: " */
    size_t ahead_bytes;     /* lh_load_each: source bytes of the packages
                             * parsed ahead of the visit, the one being
                             * visited included; 0: LH_LOAD_AHEAD_BYTES */
} lh_load_config;

/* The default window of lh_load_each: trees cost about 10x their source, so
 * this keeps parsed-but-unvisited trees to ~40 MB; at most
 * LH_LOAD_AHEAD_PKGS packages ahead whatever their size (tiny packages). */
#define LH_LOAD_AHEAD_BYTES ((size_t)4 << 20)
enum { LH_LOAD_AHEAD_PKGS = 16 };
/* The most threads the loader's pool runs, whatever cfg->jobs says. */
enum { LH_LOAD_MAX_JOBS = 64 };

/* lh_build_ctx_default's target, no tests, parse, one job per core. */
void lh_load_config_default(lh_load_config *c);

typedef enum lh_load_kind {
    LH_LOAD_GO,             /* GoFiles */
    LH_LOAD_CGO,            /* CgoFiles: import "C", with cfg->build.cgo */
    LH_LOAD_TEST,           /* TestGoFiles */
    LH_LOAD_XTEST,          /* XTestGoFiles */
} lh_load_kind;

typedef struct lh_load_file {
    const char *path;       /* the directory as the pattern spelled it + name */
    const char *name;       /* base name */
    lh_load_kind kind;
    lh_file *ast;           /* partial when errs is not empty; NULL unparsed */
    lh_diag_list errs;      /* syntax errors, sorted (go's order) */
    const char *src;        /* the file's bytes, NUL-terminated */
    size_t len;
} lh_load_file;

typedef struct lh_load_package {
    const char *import_path;
    const char *dir;        /* absolute */
    const char *name;       /* package clause ("" when no file has one) */
    lh_load_file *files;    /* GoFiles, CgoFiles, TestGoFiles, XTestGoFiles,
                             * each in byte order of names */
    size_t nfiles, ngo, ncgo, ntest, nxtest;
    const char **ignored;   /* IgnoredGoFiles (base names) */
    size_t nignored;
    const char *error;      /* package error (several package names, a bad
                             * //go:build line ...), NULL when none */
    size_t seq;             /* lh_load_each: 1 + its position in the visit
                             * order; 0 from lh_load_packages */
    size_t index;           /* its position in import path order (the
                             * index in lh_load_result.pkgs), from both */
} lh_load_package;

typedef struct lh_load_result {
    lh_load_package *pkgs;  /* in import path order */
    size_t npkgs;
    size_t nfiles_parsed;
    size_t nsyntax;         /* files with syntax errors */
    size_t nerrors;         /* packages with a package error */
    int release;            /* the Go release acted as (1.N) */
    void *priv;             /* memory behind all of the above */
} lh_load_result;

/* Loads the packages the patterns name. Warnings ("matched no packages")
 * and fatal errors are appended to diag as whole lines (cfg->diag_prefix,
 * the message, "\n").
 * Returns 0 when it ran (packages may still carry errors: see nsyntax,
 * nerrors), or -1 on a fatal error: a nonexistent or unreadable directory,
 * an unreadable file, a malformed go.mod, files of different directories,
 * a GOEXPERIMENT or GO<GOARCH> value the release's go command refuses.
 * *out is valid (possibly empty) in both cases and must be freed. */
int lh_load_packages(const lh_load_config *cfg, char *const *patterns, size_t npatterns,
                     lh_load_result *out, lh_buf *diag);

void lh_load_free(lh_load_result *r);

/* What lh_load_each saw. npkgs, nerrors and release are set once the
 * packages are listed, before the first visit (a visit may read them
 * through its ctx); the other counters grow with each visit and count the
 * visited packages only. */
typedef struct lh_load_stats {
    size_t npkgs;           /* packages selected, as lh_load_result.npkgs */
    size_t nvisited;        /* handed to visit */
    size_t nfiles_parsed;   /* files parsed (cfg->parse) */
    size_t nbytes;          /* their source bytes */
    size_t nsyntax;         /* files with syntax errors */
    size_t nerrors;         /* packages with a package error (all selected) */
    int release;            /* the Go release acted as (1.N) */
    /* lh_load_each_parallel with release: packages released, and the
     * most handed to done and not yet released at any one time */
    size_t nreleased, peak_held;
} lh_load_stats;

/* Called once per package. Non-zero stops the walk; lh_load_each then
 * returns that value (use a positive one, -1 is the loader's failure). */
typedef int (*lh_load_visit_fn)(const lh_load_package *pkg, void *ctx);

/* Lists the packages the patterns name -- exactly what lh_load_packages
 * selects, with the same files, package errors, warnings and fatal errors
 * -- then hands them to visit one at a time, with their files read and
 * (cfg->parse) parsed; files with syntax errors are handed over too, with
 * their errs, as lh_load_packages returns them.
 *
 * Order: a package comes after every selected package its Go and cgo
 * files import (imports of packages outside the selection do not count;
 * imports are read from each file's header, the import declarations before
 * its first other declaration). Go forbids cycles among those, so this
 * holds for code that builds; a cycle (code that does not) is broken the
 * same way every run. Imports of test files, in-package and external, are
 * honoured too except where they form cycles, which Go allows because it
 * compiles a package's tests as a package of their own: p's tests may
 * import q whose tests, or q itself, import p. Inside such a cycle the
 * package goes first that the most packages' tests still wait for, less
 * the test imports it still waits for itself (ties by import path), so a
 * test's imports may come after it (`testing` goes as soon as its own
 * imports are out). Ties otherwise go by a depth-first walk in import path
 * order (Tarjan's components of the import graph). The order is a
 * function of the files alone, never of thread timing, cfg->jobs or the
 * window.
 *
 * Memory: after visit returns, that package's trees, sources and syntax
 * messages (files[].ast, .src, .errs) are freed; copy what is to be kept.
 * The package records (paths, names, file lists, ignored files, errors)
 * stay valid until lh_load_each returns. Parsing runs ahead on cfg->jobs
 * threads (deep stacks, one arena per file), but only within a window: the
 * visited package and those after it up to cfg->ahead_bytes of source and
 * LH_LOAD_AHEAD_PKGS packages (always at least the next one). So the
 * peak is the largest package's trees plus the window, whatever the number
 * of packages. Listing reads every file and keeps only its package name
 * and import paths; the file is read again when its package is parsed.
 *
 * Threads: visit runs on the calling thread (so a caller on a deep stack,
 * lh_parse_run_deep, has it for the visit), never two at once.
 *
 * Returns 0 when every package was visited, visit's non-zero value when it
 * stopped the walk, or -1 on a fatal error (as lh_load_packages; listing
 * failures come before any visit; a file that can no longer be read when
 * its package's turn comes stops the walk there). Warnings and fatal
 * errors go to diag as lh_load_packages writes them. stats may be NULL. */
int lh_load_each(const lh_load_config *cfg, char *const *patterns, size_t npatterns,
                 lh_load_visit_fn visit, void *ctx, lh_buf *diag, lh_load_stats *stats);

/* Work on one package on a pool thread; worker (0 .. cfg->jobs - 1) is
 * the thread's number, so work may keep per-thread state. Returns what
 * done gets for the package. */
typedef struct lh_load_ready lh_load_ready;
typedef void *(*lh_load_work_fn)(const lh_load_package *pkg, int worker, lh_load_ready *ready,
                                 void *ctx);
/* Tells the walk, from pkg's work, that what its importers' work reads is
 * ready: they may start while the rest of pkg's work goes on. At most
 * once; without it they start when the work returns. */
void lh_load_ready_now(lh_load_ready *ready);
/* The caller's half of a package, with what its work returned. Non-zero
 * stops the walk, as a visit's does. */
typedef int (*lh_load_done_fn)(const lh_load_package *pkg, void *result, void *ctx);

/* lh_load_each with the work on a package spread over the pool: the same
 * packages, order, window, memory bound, errors and return values, but
 * each package is first handed to work on one of the cfg->jobs threads,
 * several packages at once, then to done on the calling thread, in the
 * order (its trees alive for both; freed after done).
 *
 * A package's work starts only once the work of every package before it
 * in the order that it imports (from any of its files; every package of
 * that import path; see release below for the rest of what it waits
 * for) has returned or said lh_load_ready_now, so work may
 * read what those left behind (a frozen semantic package) without a lock.
 * Packages worked on side by side share nothing else through the loader:
 * work must guard any other state it shares. Threads take the earliest ready package first and
 * parse when none is ready; packages are worked on only inside the
 * window, so at most the window's trees are alive. pkg->seq is set before
 * any work.
 *
 * When the walk stops early (a done returned non-zero, a file could no
 * longer be read), work under way finishes, no more starts, and the
 * results of packages worked on but not handed to done go to discard. A
 * package with a file that could no longer be read is not worked on.
 *
 * listed, when set, sees every selected package (import path order, no
 * files read yet) on the calling thread before any work: what work may
 * want to know of the whole selection.
 *
 * release, when set, is told on the calling thread, after a package's
 * done, once no work can read what that package's work left behind any
 * more: every package that waited for it (its importers, transitively, as
 * each waits for its own imports) has been released. It returns true when
 * it freed that, false to keep it to the end of the walk -- and with it
 * everything the package waited for, which what it keeps may point into.
 * Packages left when the walk ends or stops are never released. Who waits
 * for whom (so who may read whom) is the waiting described above; besides
 * a package's imports it waits for the earlier packages of its own import
 * path and, for an import of "Y_test", for those of Y. */
typedef struct lh_load_parallel {
    void (*listed)(const lh_load_package *pkgs, size_t npkgs, void *ctx);
    lh_load_work_fn work;
    lh_load_done_fn done;
    void (*discard)(void *result, void *ctx);
    bool (*release)(const lh_load_package *pkg, void *ctx);
    void *ctx;
} lh_load_parallel;

int lh_load_each_parallel(const lh_load_config *cfg, char *const *patterns, size_t npatterns,
                          const lh_load_parallel *fns, lh_buf *diag, lh_load_stats *stats);

#endif
