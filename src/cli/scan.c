/* leakhound scan / explain / rules: the static half. Packages from the
 * loader go through the rules (src/rules), findings come out through the
 * printers of src/report/findings.h. Nothing is ever written into the
 * scanned tree. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/goargs.h"
#include "go/parse.h"
#include "load/gomod.h"
#include "load/load.h"
#include "util/arena.h"
#include "report/baseline.h"
#include "report/findings.h"
#include "rules/rule.h"
#include "sema/sema.h"
#include "util/buf.h"
#include "util/fs.h"

/* The go line (1.N) of the module holding dir, cached for the last module
 * root seen (packages of one module come together). */
typedef struct gomod_cache {
    char root[4096];
    int minor;
} gomod_cache;

static int module_go_minor(gomod_cache *mc, const char *dir)
{
    char root[4096];
    if (!lh_gomod_find_root(dir, root, sizeof root))
        return 0;
    if (strcmp(root, mc->root) == 0)
        return mc->minor;
    snprintf(mc->root, sizeof mc->root, "%s", root);
    mc->minor = 0;
    char path[4200];
    snprintf(path, sizeof path, "%s/go.mod", root);
    char *src = NULL;
    size_t len = 0;
    char err[256];
    if (lh_read_file(path, 1 << 20, &src, &len, err, sizeof err) == 0) {
        lh_gomod m;
        if (lh_gomod_parse(src, len, &m, err, sizeof err) == 0)
            mc->minor = lh_gomod_minor(m.go, 0);
    }
    free(src);
    return mc->minor;
}

/* The SARIF printer's view of the sources (lh_source_fn). Packages are
 * streamed and their sources freed after analysis, so the sources of the
 * files that got findings (the only ones the printer asks about) are kept
 * here as they go by. */
typedef struct kept_src {
    const char *path;
    const char *src;
    size_t len;
} kept_src;

typedef struct source_index {
    kept_src *v;
    size_t n, cap;
    lh_arena arena;
    size_t last;
} source_index;

static void keep_source(source_index *x, const lh_load_file *f)
{
    for (size_t i = 0; i < x->n; i++)
        if (strcmp(x->v[i].path, f->path) == 0)
            return;
    if (x->n == x->cap) {
        x->cap = x->cap ? 2 * x->cap : 16;
        x->v = realloc(x->v, x->cap * sizeof *x->v);
        if (!x->v)
            abort();
    }
    x->v[x->n++] = (kept_src){lh_arena_strdup(&x->arena, f->path),
                              lh_arena_strndup(&x->arena, f->src, f->len), f->len};
}

static const char *source_of(void *ctx, const char *file, size_t *len)
{
    source_index *x = ctx;
    if (x->last >= x->n || strcmp(x->v[x->last].path, file) != 0) {
        x->last = x->n;
        for (size_t i = 0; i < x->n; i++)
            if (strcmp(x->v[i].path, file) == 0) {
                x->last = i;
                break;
            }
    }
    if (x->last >= x->n)
        return NULL;
    *len = x->v[x->last].len;
    return x->v[x->last].src;
}

/* The analysis, streamed: lh_load_each_parallel analyses each package on
 * one of its -j threads as soon as the packages it imports are frozen,
 * hands the results over in dependency order (a package's imports of the
 * module first), and frees each one's trees after; the semantic layer
 * keeps only the frozen summaries importers need. Those threads and the
 * scan's own have deep stacks (the resolver and the rules recurse along
 * the tree's nesting). */
typedef struct scan_job {
    const lh_load_config *cfg;
    char *const *pats;
    size_t npats;
    const bool *enabled;
    bool include_generated;
    bool keep_sources;          /* SARIF wants the lines of findings */
    lh_findings *fs;
    lh_buf *msg;                /* errors, for stderr */
    lh_buf diag;                /* the loader's warnings and errors */
    lh_findings_stats st;
    lh_load_stats ls;
    source_index *src;
    lh_sema_world *w;
    gomod_cache *mc;            /* one per pool thread */
    int rc;
    /* The import paths selected, sorted: a test importing one of them that
     * is not analysed yet waits (see tests_wait). */
    char **selected;
    size_t nselected;
    struct later_pkg *later;
    size_t nlater, caplater;
    /* What the tests that wait look up after the walk (their package and
     * their imports, by path), sorted: kept when the walk releases. */
    char **kept;
    size_t nkept, capkept;
} scan_job;

/* A package whose tests wait for packages analysed after it (a test of p
 * imports q, which imports p: Go compiles p's tests as a package of their
 * own, after q). Its library was analysed in turn; its test files are read
 * and parsed again once everything else is done. */
typedef struct later_pkg {
    char *import_path, *dir, *name;
    char **paths;               /* test files that parsed cleanly */
    lh_load_kind *kinds;
    size_t nfiles;
    int go_minor;
} later_pkg;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_selected(const scan_job *j, const char *path)
{
    return j->nselected &&
           bsearch(&path, j->selected, j->nselected, sizeof *j->selected, cmp_str) != NULL;
}

/* Whether p's test files import a selected package not analysed before
 * it: the world as p's rank sees it, whatever other threads have done. */
static bool tests_wait(scan_job *j, const lh_load_package *p)
{
    for (size_t k = 0; k < p->nfiles; k++) {
        const lh_load_file *f = &p->files[k];
        if ((f->kind != LH_LOAD_TEST && f->kind != LH_LOAD_XTEST) || !f->ast)
            continue;
        for (uint32_t i = 0; i < f->ast->imports.n; i++) {
            lh_str ip;
            if (!lh_ast_import_path(f->ast->imports.v[i], &ip))
                continue;
            char path[1024];
            snprintf(path, sizeof path, "%.*s", (int)ip.len, ip.p);
            if (strcmp(path, p->import_path) == 0 || !is_selected(j, path))
                continue;
            lh_sema_pkg *q = lh_sema_world_pkg_at(j->w, path, p->seq);
            if (!q || q->stub)
                return true;
        }
    }
    return false;
}

static size_t kept_at(const scan_job *j, const char *path, size_t len, bool *found)
{
    size_t lo = 0, hi = j->nkept;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strncmp(j->kept[mid], path, len);
        if (c == 0 && j->kept[mid][len] != '\0')
            c = 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < j->nkept && strncmp(j->kept[lo], path, len) == 0 && j->kept[lo][len] == '\0';
    return lo;
}

static void keep_path(scan_job *j, const char *path, size_t len)
{
    bool found;
    size_t at = kept_at(j, path, len, &found);
    if (found)
        return;
    if (j->nkept == j->capkept) {
        j->capkept = j->capkept ? 2 * j->capkept : 64;
        j->kept = realloc(j->kept, j->capkept * sizeof *j->kept);
        if (!j->kept)
            abort();
    }
    memmove(j->kept + at + 1, j->kept + at, (j->nkept - at) * sizeof *j->kept);
    j->kept[at] = strndup(path, len);
    j->nkept++;
}

/* Whether a waiting test may look p's work up after the walk: by its
 * path, or as "PATH_test" (the name its external tests went by). */
static bool is_kept(const scan_job *j, const char *path)
{
    bool found;
    kept_at(j, path, strlen(path), &found);
    if (!found) {
        char x[1100];
        if (snprintf(x, sizeof x, "%s_test", path) < (int)sizeof x)
            kept_at(j, x, strlen(x), &found);
        else
            found = true;   /* too long to look up: keep it */
    }
    return found;
}

/* lh_load_parallel's release: nobody asks for p's frozen summaries any
 * more but the tests that wait, which look up what they import when the
 * walk is over. */
static bool scan_release(const lh_load_package *p, void *arg)
{
    scan_job *j = arg;
    if (is_kept(j, p->import_path))
        return false;
    lh_sema_world_release(j->w, p->import_path, p->seq);
    return true;
}

static void postpone(scan_job *j, const lh_load_package *p, int go_minor)
{
    /* Before p is released (it and what it imports are released only
     * after its done). */
    keep_path(j, p->import_path, strlen(p->import_path));
    for (size_t k = 0; k < p->nfiles; k++) {
        const lh_file *f = p->files[k].ast;
        if ((p->files[k].kind != LH_LOAD_TEST && p->files[k].kind != LH_LOAD_XTEST) || !f)
            continue;
        for (uint32_t i = 0; i < f->imports.n; i++) {
            lh_str ip;
            if (lh_ast_import_path(f->imports.v[i], &ip))
                keep_path(j, ip.p, ip.len);
        }
    }
    if (j->nlater == j->caplater) {
        j->caplater = j->caplater ? 2 * j->caplater : 16;
        j->later = realloc(j->later, j->caplater * sizeof *j->later);
        if (!j->later)
            abort();
    }
    later_pkg *l = &j->later[j->nlater++];
    *l = (later_pkg){strdup(p->import_path), strdup(p->dir), strdup(p->name), NULL, NULL, 0,
                     go_minor};
    l->paths = calloc(p->nfiles + 1, sizeof *l->paths);
    l->kinds = calloc(p->nfiles + 1, sizeof *l->kinds);
    if (!l->paths || !l->kinds)
        abort();
    for (size_t k = 0; k < p->nfiles; k++) {
        const lh_load_file *f = &p->files[k];
        if ((f->kind == LH_LOAD_TEST || f->kind == LH_LOAD_XTEST) && f->ast && f->errs.len == 0) {
            l->paths[l->nfiles] = strdup(f->path);
            l->kinds[l->nfiles++] = f->kind;
        }
    }
}

/* The first part of each new finding's fingerprint, while its file's
 * source is at hand (a package's sources are freed once it is analysed). */
static void fingerprint_new(lh_findings *fs, size_t from, const lh_load_file *files, size_t n)
{
    for (size_t i = from; i < fs->n; i++) {
        const lh_load_file *f = NULL;
        for (size_t k = 0; k < n && !f; k++)
            if (strcmp(files[k].path, fs->v[i].file) == 0)
                f = &files[k];
        lh_fingerprint_line(&fs->v[i], f ? f->src : NULL, f ? f->len : 0);
    }
}

/* What the work on one package leaves for its turn in order. */
typedef struct pkg_result {
    lh_findings fs;             /* its findings, fingerprinted */
    int go_minor;
    bool postponed;             /* its tests wait (later_pkg) */
} pkg_result;

/* The analysis of one package, on a pool thread, side by side with
 * others: everything it writes is its own (its semantic package, its
 * findings) until it freezes; what it reads of the world is frozen. */
static void frozen(void *ready)
{
    lh_load_ready_now(ready);
}

static void *scan_work(const lh_load_package *p, int worker, lh_load_ready *ready, void *arg)
{
    scan_job *j = arg;
    pkg_result *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    lh_findings_init(&r->fs);
    r->go_minor = module_go_minor(&j->mc[worker], p->dir);
    /* Importers may go once the package is frozen, while its external
     * tests are analysed. */
    lh_rules_opts o = {r->go_minor, j->enabled, j->include_generated, LH_RULES_ALL, frozen,
                       ready};
    if (tests_wait(j, p)) {
        o.part = LH_RULES_LIB;
        r->postponed = true;
    }
    lh_rules_run(j->w, p, &o, &r->fs);
    fingerprint_new(&r->fs, 0, p->files, p->nfiles);
    return r;
}

static void scan_discard(void *result, void *arg)
{
    (void)arg;
    pkg_result *r = result;
    lh_findings_free(&r->fs);
    free(r);
}

/* A package's turn, in dependency order on the scan's thread: its errors,
 * then its findings, as one package at a time has always reported them. */
static int scan_done(const lh_load_package *p, void *result, void *arg)
{
    scan_job *j = arg;
    pkg_result *r = result;
    lh_findings *fs = j->fs;
    /* Errors go to stderr as gofmt and vet print them, in every format
     * (stdout may be a file a CI step uploads), and into the JSON and
     * SARIF documents. */
    if (p->error) {
        lh_buf_printf(j->msg, "leakhound scan: %s\n", p->error);
        lh_findings_add_error(fs, p->dir, 0, 0, p->error);
    }
    for (size_t k = 0; k < p->nfiles; k++) {
        const lh_load_file *f = &p->files[k];
        lh_diag_format(&f->errs, lh_findings_path(f->path, NULL), 0, j->msg);
        for (size_t e = 0; e < f->errs.len; e++)
            lh_findings_add_error(fs, f->path, f->errs.items[e].line, f->errs.items[e].col,
                                  f->errs.items[e].msg);
        j->st.files++;
        j->st.bytes += f->len;
    }
    if (r->postponed)
        postpone(j, p, r->go_minor);
    size_t before = fs->n;
    lh_findings_append(fs, &r->fs);
    if (j->keep_sources)
        for (size_t i = before; i < fs->n; i++)
            for (size_t k = 0; k < p->nfiles; k++)
                if (strcmp(p->files[k].path, fs->v[i].file) == 0 && p->files[k].src)
                    keep_source(j->src, &p->files[k]);
    scan_discard(r, arg);
    return 0;
}

/* The tests that waited, analysed after the walk, side by side on the -j
 * threads: everything they read is frozen by then, and what they add is
 * their own (the methods in-package tests declare on their package's
 * types stay with them: lh_sema_set_tests_overlay). Their findings are
 * merged in their order; their trees go as soon as they are analysed. */
typedef struct later_item {
    later_pkg *l;
    bool done;
    lh_findings fs;
    lh_load_file *files;
    size_t nfiles;
    lh_arena arena;
} later_item;

typedef struct later_run {
    scan_job *j;
    later_item *it;
    size_t n, started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} later_run;

/* Whether everything f imports was kept for the tests that wait (postpone
 * kept what their files imported when the walk read them). */
static bool imports_kept(const scan_job *j, const lh_file *f)
{
    for (uint32_t i = 0; i < f->imports.n; i++) {
        lh_str ip;
        bool found = true;
        if (lh_ast_import_path(f->imports.v[i], &ip))
            kept_at(j, ip.p, ip.len, &found);
        if (!found)
            return false;
    }
    return true;
}

/* Reads and parses an item's test files again and analyses them now that
 * every package they import is known. */
static void later_work(scan_job *j, later_item *it)
{
    const later_pkg *l = it->l;
    lh_arena_init(&it->arena);
    lh_findings_init(&it->fs);
    lh_load_file *files = calloc(l->nfiles + 1, sizeof *files);
    if (!files)
        abort();
    size_t n = 0;
    for (size_t k = 0; k < l->nfiles; k++) {
        char *src = NULL, err[256];
        size_t len = 0;
        if (lh_read_file(l->paths[k], (size_t)1 << 30, &src, &len, err, sizeof err) != 0)
            continue;       /* gone since: its package was reported already */
        lh_load_file *f = &files[n];
        lh_diag_init(&f->errs, &it->arena);
        f->ast = lh_parse_file(&it->arena, l->paths[k], src, len, &f->errs);
        if (f->errs.len == 0 && !imports_kept(j, f->ast)) {
            /* Changed since the walk: what it imports now may have been
             * released. Left out, as a file that is gone. */
            free(src);
            continue;
        }
        f->path = l->paths[k];
        const char *slash = strrchr(l->paths[k], '/');
        f->name = slash ? slash + 1 : l->paths[k];
        f->kind = l->kinds[k];
        f->src = src;
        f->len = len;
        n++;
    }
    /* After everything: it sees every package. */
    lh_load_package p = {.import_path = l->import_path, .dir = l->dir, .name = l->name,
                         .files = files, .nfiles = n, .seq = SIZE_MAX};
    lh_rules_opts o = {l->go_minor, j->enabled, j->include_generated, LH_RULES_TESTS, NULL, NULL};
    lh_rules_run(j->w, &p, &o, &it->fs);
    fingerprint_new(&it->fs, 0, files, n);
    /* Only the findings wait for the merge, and for SARIF the sources of
     * their files: the trees go now, so items need not wait for it. */
    lh_arena_free(&it->arena);
    for (size_t k = 0; k < n; k++) {
        bool keep = false;
        for (size_t i = 0; j->keep_sources && i < it->fs.n && !keep; i++)
            keep = strcmp(it->fs.v[i].file, files[k].path) == 0;
        files[k].ast = NULL;
        if (!keep) {
            free((char *)files[k].src);
            files[k].src = NULL;
        }
    }
    it->files = files;
    it->nfiles = n;
}

static void later_merge(scan_job *j, later_item *it)
{
    size_t before = j->fs->n;
    lh_findings_append(j->fs, &it->fs);
    if (j->keep_sources)
        for (size_t i = before; i < j->fs->n; i++)
            for (size_t k = 0; k < it->nfiles; k++)
                if (it->files[k].src && strcmp(it->files[k].path, j->fs->v[i].file) == 0)
                    keep_source(j->src, &it->files[k]);
    for (size_t k = 0; k < it->nfiles; k++)
        free((char *)it->files[k].src);
    free(it->files);
    lh_findings_free(&it->fs);
}

static void *later_worker(void *arg)
{
    later_run *r = arg;
    lh_parse_set_stack_budget(LH_PARSE_STACK_SIZE - ((size_t)1 << 20));
    pthread_mutex_lock(&r->mu);
    while (r->started < r->n) {
        size_t k = r->started++;
        pthread_mutex_unlock(&r->mu);
        later_work(r->j, &r->it[k]);
        pthread_mutex_lock(&r->mu);
        r->it[k].done = true;
        pthread_cond_broadcast(&r->cv);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

static void run_later(scan_job *j)
{
    size_t n = j->nlater;
    if (n == 0)
        return;
    later_run r = {.j = j, .n = n};
    r.it = calloc(n, sizeof *r.it);
    if (!r.it)
        abort();
    for (size_t k = 0; k < n; k++)
        r.it[k].l = &j->later[k];
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t want = j->cfg->jobs > 0 ? (size_t)j->cfg->jobs : cores > 0 ? (size_t)cores : 1;
    if (want > LH_LOAD_MAX_JOBS)
        want = LH_LOAD_MAX_JOBS;
    if (want > n)
        want = n;
    pthread_t th[LH_LOAD_MAX_JOBS];
    size_t started = 0;
    for (size_t t = 0; t < want; t++) {
        pthread_attr_t attr;
        if (pthread_attr_init(&attr) != 0)
            break;
        bool ok = pthread_attr_setstacksize(&attr, LH_PARSE_STACK_SIZE) == 0 &&
                  pthread_create(&th[t], &attr, later_worker, &r) == 0;
        pthread_attr_destroy(&attr);
        if (!ok)
            break;
        started++;
    }
    for (size_t k = 0; k < n; k++) {
        pthread_mutex_lock(&r.mu);
        if (started == 0) {
            /* No thread: each in turn here. */
            r.started++;
            pthread_mutex_unlock(&r.mu);
            later_work(j, &r.it[k]);
            pthread_mutex_lock(&r.mu);
            r.it[k].done = true;
        }
        while (!r.it[k].done)
            pthread_cond_wait(&r.cv, &r.mu);
        pthread_mutex_unlock(&r.mu);
        later_merge(j, &r.it[k]);
    }
    for (size_t t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    pthread_cond_destroy(&r.cv);
    pthread_mutex_destroy(&r.mu);
    free(r.it);
}

static void later_free(later_pkg *l)
{
    for (size_t k = 0; k < l->nfiles; k++)
        free(l->paths[k]);
    free(l->paths);
    free(l->kinds);
    free(l->import_path);
    free(l->dir);
    free(l->name);
}

/* The selection's import paths (tests_wait), before any work. */
static void scan_listed(const lh_load_package *pkgs, size_t n, void *arg)
{
    scan_job *j = arg;
    j->selected = malloc((n + 1) * sizeof *j->selected);
    if (!j->selected)
        abort();
    for (size_t i = 0; i < n; i++)
        j->selected[j->nselected++] = strdup(pkgs[i].import_path);
    qsort(j->selected, j->nselected, sizeof *j->selected, cmp_str);
}

static void scan_packages(void *arg)
{
    scan_job *j = arg;
    j->w = lh_sema_world_new();
    j->mc = calloc(LH_LOAD_MAX_JOBS, sizeof *j->mc);
    if (!j->mc)
        abort();
    lh_load_parallel par = {scan_listed, scan_work, scan_done, scan_discard, scan_release, j};
    j->rc = lh_load_each_parallel(j->cfg, j->pats, j->npats, &par, &j->diag, &j->ls);
    free(j->mc);
    if (j->rc == 0)
        run_later(j);
    for (size_t i = 0; i < j->nlater; i++)
        later_free(&j->later[i]);
    free(j->later);
    for (size_t i = 0; i < j->nselected; i++)
        free(j->selected[i]);
    free(j->selected);
    for (size_t i = 0; i < j->nkept; i++)
        free(j->kept[i]);
    free(j->kept);
    lh_sema_world_free(j->w);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char scan_usage[] =
    "usage: leakhound scan [--format text|json|sarif|codeclimate] [-tags a,b] [--goos OS]\n"
    "                      [--goarch ARCH] [--enable r1,r2] [--disable r3]\n"
    "                      [--include-generated] [--baseline OLD.json]\n"
    "                      [-test=false] [-j N] [PATTERN...]\n\n"
    "Reads the Go source of the packages PATTERN selects (default ./...; see\n"
    "`leakhound list`) and reports leak patterns, one per line as go vet does:\n"
    "  file:line:col: rule-id: message\n"
    "No Go toolchain is needed and code that does not build is still read.\n"
    "A file with syntax errors is reported (file:line:col: message, on stderr,\n"
    "as gofmt and go vet print them) and left out; the package's other files are\n"
    "analysed. `leakhound rules` lists the rules, `leakhound explain RULE` tells\n"
    "what one finds and how to fix it. Generated files (a `// Code generated ...\n"
    "DO NOT EDIT.` line before the package clause) are analysed but their\n"
    "findings are not reported.\n\n"
    "  --format F      text (default); json: one object\n"
    "                    {\"findings\": [{rule, file, line, col, end_line, end_col,\n"
    "                                  severity, message, function, fingerprint}],\n"
    "                     \"errors\": [{file, line, col, message}],\n"
    "                     \"stats\": {packages, files, bytes, seconds}}\n"
    "                  (columns in bytes; function: F, T.M or (*T).M, the declared\n"
    "                  function, also for code in a function literal; errors: syntax\n"
    "                  errors, and package errors with line 0 and the directory);\n"
    "                  sarif: SARIF 2.1.0, errors as tool execution notifications,\n"
    "                  columns in UTF-16 code units (columnKind utf16CodeUnits);\n"
    "                  codeclimate: GitLab's Code Quality JSON (check_name,\n"
    "                  description, severity, fingerprint, location).\n"
    "                  Errors go to stderr in every format.\n"
    "  -json           --format json, as go vet -json\n"
    "  --baseline OLD.json  report only findings not in OLD.json, the --format json\n"
    "                  output of an earlier run from the same directory: matched\n"
    "                  by rule, file and fingerprint (a hash of the rule, the\n"
    "                  function and the finding's line without white space, and\n"
    "                  its occurrence index), which survives lines added or\n"
    "                  removed elsewhere and changes when the line itself does\n"
    "  --enable LIST   run only these rules (comma-separated ids)\n"
    "  --disable LIST  do not run these rules\n"
    "  --include-generated  report findings in generated files too\n"
    "  -tags a,b       extra build tags\n"
    "  --goos OS, --goarch ARCH   target (default $GOOS/$GOARCH, else linux/amd64)\n"
    "  --cgo           the cgo tag holds and import \"C\" files count\n"
    "                  (default: CGO_ENABLED=1 in the environment, else off)\n"
    "  --go-release N  newest release tag go1.N (27, 1.27 or go1.27.3; default:\n"
    "                  what go.mod asks for, else 1.27)\n"
    "  -test=false     leave out _test.go files (read by default, as go vet does)\n"
    "  -j N            threads that parse and analyse packages, each package once\n"
    "                  those it imports are done (default: one per core); the\n"
    "                  output is the same whatever N\n"
    "  --all-modules   walk into nested modules too (directories with a go.mod of\n"
    "                  their own, which ./... leaves out as the go command does,\n"
    "                  with a note saying how many; a go.work's use lines take\n"
    "                  theirs without this flag; GOWORK=off ignores go.work)\n\n"
    "Suppress a finding with //nolint, //nolint:RULE[,RULE] or\n"
    "//leakhound:ignore RULE reason, on its line or alone on the line above the\n"
    "statement that holds it.\n\n"
    "Exit status: 0 nothing found; 1 findings; 2 usage error, a pattern matching\n"
    "nothing, missing directory, unreadable or non-Go file, bad go.mod, or code\n"
    "that could not be analysed: syntax errors, package errors (reported; the\n"
    "rest is analysed and its findings printed).\n";

/* Sets enabled[i] = on for every id in the comma-separated list; an
 * unknown id is a usage error. */
static int set_rules(const char *list, bool *enabled, bool on)
{
    char *copy = strdup(list), *save = NULL;
    int rc = 0;
    for (char *t = strtok_r(copy, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
        size_t i = 0;
        while (lh_rules[i] && strcmp(lh_rules[i]->id, t) != 0)
            i++;
        if (!lh_rules[i]) {
            lh_cli_error("unknown rule '%s' (see leakhound rules)", t);
            rc = -1;
            break;
        }
        enabled[i] = on;
    }
    free(copy);
    return rc;
}

/* The findings of an earlier `scan --format json` run; a file that cannot
 * be read or is not such a document is a usage error, before any work. */
static int read_baseline(const char *path, lh_baseline *b)
{
    char *src = NULL, err[512];
    size_t len = 0;
    if (lh_read_file(path, (size_t)1 << 30, &src, &len, err, sizeof err) != 0) {
        lh_cli_error("%s: %s", path, err);
        return -1;
    }
    int rc = lh_baseline_parse(b, src, len, err, sizeof err);
    if (rc != 0)
        lh_cli_error("%s:%s", path, err);
    free(src);
    return rc;
}

enum { MAX_RULES = 256 };

int lh_cmd_scan(int argc, char **argv)
{
    lh_gocfg g;
    lh_gocfg_init(&g);
    g.cfg.tests = true;     /* as go vet: test files are code too */
    enum { FMT_TEXT, FMT_JSON, FMT_SARIF, FMT_CODECLIMATE };
    int fmt = FMT_TEXT;
    double start = now_seconds();
    bool include_generated = false;
    const char *enable = NULL, *disable = NULL, *baseline_path = NULL;
    lh_baseline baseline = {0};
    char **pats = calloc((size_t)argc + 1, sizeof *pats);
    size_t npats = 0;
    int rc = LH_EXIT_ERROR;
    const lh_flag flags[] = {
        {"format", LH_FLAG_CHOICE, &fmt, 0, NULL, "text|json|sarif|codeclimate"},
        {"json", LH_FLAG_SET, &fmt, FMT_JSON, NULL, NULL},
        {"enable", LH_FLAG_STRING, &enable, 0, NULL, NULL},
        {"disable", LH_FLAG_STRING, &disable, 0, NULL, NULL},
        {"include-generated", LH_FLAG_BOOL, &include_generated, 0, NULL, NULL},
        {"baseline", LH_FLAG_STRING, &baseline_path, 0, NULL, NULL},
        LH_FLAG_END,
    };
    const lh_flag *tables[] = {flags, g.flags, NULL};
    int pr = lh_flags_parse("scan", scan_usage, tables, argc, argv, pats, &npats);
    if (pr != 0) {
        rc = pr > 0 ? LH_EXIT_OK : LH_EXIT_ERROR;
        goto out;
    }
    if (lh_gocfg_check(&g) != 0)
        goto out;
    bool enabled[MAX_RULES];
    for (size_t i = 0; i < MAX_RULES; i++)
        enabled[i] = enable == NULL;
    if ((enable && set_rules(enable, enabled, true) != 0) ||
        (disable && set_rules(disable, enabled, false) != 0))
        goto out;
    if (npats == 0)
        pats[npats++] = "./...";   /* as staticcheck: the whole module below */
    if (baseline_path && read_baseline(baseline_path, &baseline) != 0)
        goto out;

    lh_findings fs;
    lh_findings_init(&fs);
    lh_buf msg = LH_BUF_INIT;
    source_index src = {0};
    lh_arena_init(&src.arena);
    scan_job job = {.cfg = &g.cfg, .pats = pats, .npats = npats, .enabled = enabled,
                    .include_generated = include_generated, .keep_sources = fmt == FMT_SARIF,
                    .fs = &fs, .msg = &msg, .src = &src};
    /* -1 means no deep-stack thread could be made and the walk ran on this
     * one with the default stack: the same result, less nesting room. */
    (void)lh_parse_run_deep(scan_packages, &job);
    lh_buf_write(&job.diag, stderr);
    lh_buf_free(&job.diag);
    if (job.rc != 0) {
        lh_findings_free(&fs);
        lh_buf_free(&msg);
        free(src.v);
        lh_arena_free(&src.arena);
        goto out;
    }
    lh_findings_stats st = job.st;
    st.packages = job.ls.npkgs;
    lh_findings_sort_dedup(&fs);
    lh_findings_fingerprint(&fs);
    char *cwd = getcwd(NULL, 0);
    if (baseline_path)
        lh_findings_drop_baseline(&fs, &baseline, cwd);
    st.seconds = now_seconds() - start;
    lh_buf out = LH_BUF_INIT;
    if (fmt == FMT_JSON) {
        lh_findings_json(&out, &fs, cwd, &st);
    } else if (fmt == FMT_SARIF) {
        /* Every rule that ran, so a clean log still says what was checked. */
        lh_rule_desc descs[MAX_RULES];
        size_t nd = 0;
        for (size_t i = 0; lh_rules[i] && nd < MAX_RULES; i++)
            if (enabled[i])
                descs[nd++] = (lh_rule_desc){lh_rules[i]->id, lh_rules[i]->summary,
                                             lh_rules[i]->explain};
        lh_sarif_opts so = {descs, nd, lh_version(), source_of, &src};
        lh_findings_sarif(&out, &fs, cwd, &so);
    } else if (fmt == FMT_CODECLIMATE) {
        lh_findings_codeclimate(&out, &fs, cwd);
    } else {
        lh_findings_text(&out, &fs, cwd);
    }
    free(cwd);
    int io = lh_buf_write(&out, stdout);
    fflush(stdout);
    lh_buf_write(&msg, stderr);
    /* Code that could not be analysed (a syntax error, a package error)
     * is an error, whatever was found in the rest. */
    bool broken = job.ls.nsyntax > 0 || job.ls.nerrors > 0, found = fs.n > 0;
    lh_buf_free(&out);
    lh_buf_free(&msg);
    lh_findings_free(&fs);
    free(src.v);
    lh_arena_free(&src.arena);
    if (io != 0) {
        lh_cli_error("writing output failed");
        goto out;
    }
    rc = broken ? LH_EXIT_ERROR : found ? LH_EXIT_FOUND : LH_EXIT_OK;
out:
    if (baseline_path)
        lh_baseline_free(&baseline);
    free(pats);
    return rc;
}

int lh_scan_collect(const char *dir, lh_findings *fs, char *err, size_t errlen)
{
    lh_gocfg g;
    lh_gocfg_init(&g);
    g.cfg.tests = true;
    if (lh_gocfg_check(&g) != 0) {
        snprintf(err, errlen, "the build environment (GOOS/GOARCH) is not one scan knows");
        return -1;
    }
    bool enabled[MAX_RULES];
    for (size_t i = 0; i < MAX_RULES; i++)
        enabled[i] = true;
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    char *pat = malloc(n + 5);
    if (!pat)
        abort();
    memcpy(pat, dir, n);
    memcpy(pat + n, "/...", 5);
    char *pats[] = {pat, NULL};
    lh_buf msg = LH_BUF_INIT;
    source_index src = {0};
    lh_arena_init(&src.arena);
    scan_job job = {.cfg = &g.cfg, .pats = pats, .npats = 1, .enabled = enabled,
                    .fs = fs, .msg = &msg, .src = &src};
    (void)lh_parse_run_deep(scan_packages, &job);
    int rc = 0;
    if (job.rc != 0) {
        /* The loader's own words: the first line names the file or pattern. */
        const char *d = job.diag.len ? job.diag.data : "cannot load the packages";
        size_t l = strcspn(d, "\n");
        snprintf(err, errlen, "%.*s", (int)l, d);
        rc = -1;
    } else {
        lh_findings_sort_dedup(fs);
    }
    lh_buf_free(&job.diag);
    lh_buf_free(&msg);
    free(src.v);
    lh_arena_free(&src.arena);
    free(pat);
    return rc;
}

static const char rules_usage[] =
    "usage: leakhound rules\n\nLists the rules of `leakhound scan`: id and summary.\n";

static const char explain_usage[] =
    "usage: leakhound explain RULE\n\nWhat RULE finds, why it leaks, a leaky and a fixed "
    "example.\n`leakhound rules` lists the ids.\n";

int lh_cmd_rules(int argc, char **argv)
{
    char **ops = calloc((size_t)argc + 1, sizeof *ops);
    size_t nops;
    const lh_flag none[] = {LH_FLAG_END}, *tables[] = {none, NULL};
    int pr = lh_flags_parse("rules", rules_usage, tables, argc, argv, ops, &nops);
    free(ops);
    if (pr != 0)
        return pr > 0 ? LH_EXIT_OK : LH_EXIT_ERROR;
    if (nops > 0) {
        lh_cli_error("takes no arguments");
        return LH_EXIT_ERROR;
    }
    for (size_t i = 0; lh_rules[i]; i++)
        printf("%-16s %s\n", lh_rules[i]->id, lh_rules[i]->summary);
    return LH_EXIT_OK;
}

int lh_cmd_explain(int argc, char **argv)
{
    char **ops = calloc((size_t)argc + 1, sizeof *ops);
    size_t nops;
    const lh_flag none[] = {LH_FLAG_END}, *tables[] = {none, NULL};
    int rc = LH_EXIT_ERROR;
    int pr = lh_flags_parse("explain", explain_usage, tables, argc, argv, ops, &nops);
    if (pr != 0) {
        rc = pr > 0 ? LH_EXIT_OK : LH_EXIT_ERROR;
    } else if (nops != 1) {
        lh_cli_error("needs one RULE (see leakhound rules)");
    } else {
        const lh_rule *r = lh_rule_find(ops[0]);
        if (!r) {
            lh_cli_error("unknown rule '%s' (see leakhound rules)", ops[0]);
        } else {
            printf("%s: %s\n\n%s", r->id, r->summary, r->explain);
            rc = LH_EXIT_OK;
        }
    }
    free(ops);
    return rc;
}
