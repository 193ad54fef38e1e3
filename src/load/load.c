/* The module loader (see load.h): patterns -> directories -> files read,
 * filtered and parsed on a thread pool -> packages. */
#include "load/load.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "go/lex.h"
#include "go/parse.h"
#include "load/gomod.h"
#include "util/fs.h"

enum { MAX_FILE_BYTES = 1 << 30, MAX_JOBS = 64 };

void lh_load_config_default(lh_load_config *c)
{
    memset(c, 0, sizeof *c);
    lh_build_ctx_default(&c->build);
    c->parse = true;
}

/* A directory that may become a package. */
typedef struct cand {
    char *abs;              /* absolute, symlinks kept (filepath.Abs) */
    char *disp;             /* as the user would spell it, for file paths */
    bool literal;           /* named by a pattern without "..." */
    bool cmdline;           /* the ad hoc package of files named directly */
    uint64_t patterns;      /* bit i: matched by wildcard pattern i (< 64) */
    size_t first, n;        /* its files in the job array */
} cand;

/* One .go file: filled by a worker, classified by the main thread. */
typedef struct job {
    size_t cand;
    char *path, *name;
    bool test;
    /* results */
    bool name_ok, build_ok, imports_c;
    const char *build_err;  /* malformed //go:build */
    const char *read_err;
    const char *pkg;        /* package clause, NULL when missing */
    char *src;
    size_t len;
    lh_file *ast;
    lh_diag_list errs;
} job;

typedef struct loader {
    const lh_load_config *cfg;
    lh_build_ctx build;     /* cfg->build with the release decided */
    lh_arena meta;          /* paths, names, packages: lives with the result */
    cand *cands;
    size_t ncands, capcands;
    job *jobs;
    size_t njobs, capjobs;
    atomic_size_t next;
    lh_arena worker_arena[MAX_JOBS];    /* ASTs and messages, per worker */
    int nworkers;
    lh_buf *diag;
    bool fatal;
    size_t pattern;         /* index of the pattern being expanded */
} loader;

static void diagf(loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void diagf(loader *L, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lh_buf_puts(L->diag, "leakhound: ");
    lh_buf_vprintf(L->diag, fmt, ap);
    lh_buf_putc(L->diag, '\n');
    va_end(ap);
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && memcmp(s + n - m, suf, m) == 0;
}

/* filepath.Clean for slash-separated paths. */
static char *clean_path(lh_arena *a, const char *p)
{
    size_t n = strlen(p);
    char *out = lh_arena_alloc(a, n + 2);
    const char **elem = lh_arena_alloc(a, sizeof *elem * (n + 1));
    size_t *elen = lh_arena_alloc(a, sizeof *elen * (n + 1));
    size_t ne = 0;
    bool abs = p[0] == '/';
    for (const char *s = p; *s;) {
        while (*s == '/')
            s++;
        const char *e = s;
        while (*e && *e != '/')
            e++;
        size_t len = (size_t)(e - s);
        if (len == 0 || (len == 1 && s[0] == '.')) {
            /* nothing */
        } else if (len == 2 && s[0] == '.' && s[1] == '.') {
            if (ne > 0 && !(elen[ne - 1] == 2 && memcmp(elem[ne - 1], "..", 2) == 0))
                ne--;
            else if (!abs) {
                elem[ne] = s;
                elen[ne++] = len;
            }
        } else {
            elem[ne] = s;
            elen[ne++] = len;
        }
        s = e;
    }
    char *o = out;
    if (abs)
        *o++ = '/';
    for (size_t i = 0; i < ne; i++) {
        if (i)
            *o++ = '/';
        memcpy(o, elem[i], elen[i]);
        o += elen[i];
    }
    if (o == out)
        *o++ = '.';
    *o = '\0';
    return out;
}

static char *join(lh_arena *a, const char *dir, const char *name)
{
    if (strcmp(dir, ".") == 0)
        return lh_arena_strdup(a, name);
    size_t d = strlen(dir), n = strlen(name);
    char *s = lh_arena_alloc(a, d + n + 2);
    memcpy(s, dir, d);
    size_t k = d;
    if (d == 0 || dir[d - 1] != '/')
        s[k++] = '/';
    memcpy(s + k, name, n + 1);
    return s;
}

/* Pattern match where "..." is any string, and a trailing "/..." also
 * matches nothing (x/... matches x), as the go command's MatchPattern. */
static bool glob(const char *pat, const char *s)
{
    const char *dots = strstr(pat, "...");
    if (!dots)
        return strcmp(pat, s) == 0;
    size_t pre = (size_t)(dots - pat);
    if (strncmp(pat, s, pre) != 0) {
        /* "x/..." against "x" */
        return strcmp(dots + 3, "") == 0 && pre > 0 && pat[pre - 1] == '/' &&
               strlen(s) == pre - 1 && strncmp(pat, s, pre - 1) == 0;
    }
    const char *rest = dots + 3;
    for (const char *t = s + pre;; t++) {
        if (glob(rest, t))
            return true;
        if (!*t)
            return false;
    }
}

/* filepath.Abs: the working directory as os.Getwd gives it ($PWD when it
 * names the current directory, so symlinked trees keep their spelling, as
 * in go list's Dir) joined with path and cleaned. Fails when path does not
 * exist. */
static bool abs_path(lh_arena *a, const char *path, char *out, size_t outlen)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return false;
    char *c;
    if (path[0] == '/') {
        c = clean_path(a, path);
    } else {
        char cwd[PATH_MAX];
        const char *pwd = getenv("PWD");
        struct stat s1, s2;
        if (pwd && pwd[0] == '/' && stat(pwd, &s1) == 0 && stat(".", &s2) == 0 &&
            s1.st_dev == s2.st_dev && s1.st_ino == s2.st_ino)
            snprintf(cwd, sizeof cwd, "%s", pwd);
        else if (!getcwd(cwd, sizeof cwd))
            return false;
        c = clean_path(a, join(a, cwd, path));
    }
    if (strlen(c) >= outlen) {
        errno = ENAMETOOLONG;
        return false;
    }
    strcpy(out, c);
    return true;
}

static size_t add_cand(loader *L, const char *abs, const char *disp, bool literal)
{
    for (size_t i = 0; i < L->ncands; i++)
        if (!L->cands[i].cmdline && strcmp(L->cands[i].abs, abs) == 0) {
            L->cands[i].literal |= literal;
            return i;
        }
    if (L->ncands == L->capcands) {
        L->capcands = L->capcands ? 2 * L->capcands : 64;
        L->cands = realloc(L->cands, sizeof *L->cands * L->capcands);
        if (!L->cands)
            abort();
    }
    cand *c = &L->cands[L->ncands];
    memset(c, 0, sizeof *c);
    c->abs = lh_arena_strdup(&L->meta, abs);
    c->disp = lh_arena_strdup(&L->meta, disp);
    c->literal = literal;
    return L->ncands++;
}

static void add_job(loader *L, size_t ci, const char *path, const char *name)
{
    if (L->njobs == L->capjobs) {
        L->capjobs = L->capjobs ? 2 * L->capjobs : 1024;
        L->jobs = realloc(L->jobs, sizeof *L->jobs * L->capjobs);
        if (!L->jobs)
            abort();
    }
    job *j = &L->jobs[L->njobs++];
    memset(j, 0, sizeof *j);
    j->cand = ci;
    j->path = lh_arena_strdup(&L->meta, path);
    const char *slash = strrchr(j->path, '/');
    j->name = slash ? (char *)slash + 1 : j->path;
    j->test = has_suffix(name, "_test.go");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entries of dir; *n set. NULL with errno on failure. */
static char **read_dir(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **v = NULL;
    size_t len = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (len == cap) {
            cap = cap ? 2 * cap : 32;
            v = realloc(v, sizeof *v * cap);
            if (!v)
                abort();
        }
        v[len++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(v, len, sizeof *v, cmp_str);
    *n = len;
    return v ? v : calloc(1, sizeof *v);
}

static void free_dir(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* The Go files of a directory, as go/build lists them: regular files
 * (symlinks followed) named *.go, not starting with _ or . */
static void add_dir_files(loader *L, size_t ci)
{
    size_t n;
    char **names = read_dir(L->cands[ci].abs, &n);
    if (!names) {
        diagf(L, "%s: %s", L->cands[ci].disp, strerror(errno));
        L->fatal = true;
        return;
    }
    L->cands[ci].first = L->njobs;
    for (size_t i = 0; i < n; i++) {
        const char *nm = names[i];
        if (nm[0] == '_' || nm[0] == '.' || !has_suffix(nm, ".go"))
            continue;
        char *abs = join(&L->meta, L->cands[ci].abs, nm);
        struct stat st;
        if (stat(abs, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        add_job(L, ci, join(&L->meta, L->cands[ci].disp, nm), nm);
    }
    L->cands[ci].n = L->njobs - L->cands[ci].first;
    free_dir(names, n);
}

/* ---- patterns --------------------------------------------------------- */

typedef struct walk {
    loader *L;
    const char *pat;        /* cleaned, no leading "./" */
    bool pat_vendor;        /* the pattern names vendor itself */
    size_t matched;
} walk;

static bool dir_has_gomod(const char *abs)
{
    char p[PATH_MAX + 16];
    struct stat st;
    snprintf(p, sizeof p, "%s/go.mod", abs);
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* canon: the directory relative to the current one, cleaned ("." for it). */
static void walk_dir(walk *w, const char *disp, const char *canon, bool top, int depth)
{
    const char *elem = strrchr(canon, '/');
    elem = elem ? elem + 1 : canon;
    if (!(strcmp(elem, ".") == 0 || strcmp(elem, "..") == 0) &&
        (elem[0] == '.' || elem[0] == '_' || strcmp(elem, "testdata") == 0))
        return;
    char abs[PATH_MAX];
    if (!abs_path(&w->L->meta, disp, abs, sizeof abs))
        return;
    if (!top && dir_has_gomod(abs))
        return;
    if (depth > 200)
        return;
    if (glob(w->pat, canon)) {
        size_t before = w->L->ncands;
        size_t ci = add_cand(w->L, abs, disp, false);
        if (ci == before)
            add_dir_files(w->L, ci);
        if (w->L->pattern < 64)
            w->L->cands[ci].patterns |= (uint64_t)1 << w->L->pattern;
        w->matched++;
    }
    /* Below a vendor directory nothing matches unless the pattern says
     * vendor (the go command's vendor exclusion). */
    if (!w->pat_vendor && !top && strcmp(elem, "vendor") == 0)
        return;
    size_t n;
    char **names = read_dir(disp, &n);
    if (!names)
        return;
    for (size_t i = 0; i < n; i++) {
        char *sub = join(&w->L->meta, disp, names[i]);
        struct stat st;
        /* lstat: like filepath.Walk, the walk does not follow symlinks */
        if (lstat(sub, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        char *csub = strcmp(canon, ".") == 0 ? lh_arena_strdup(&w->L->meta, names[i])
                                             : join(&w->L->meta, canon, names[i]);
        walk_dir(w, sub, csub, false, depth + 1);
    }
    free_dir(names, n);
}

static void expand_wildcard(loader *L, const char *pattern)
{
    walk w = {L, NULL, false, 0};
    const char *p = pattern;
    char *c = clean_path(&L->meta, p);
    w.pat = c;
    w.pat_vendor = strstr(c, "vendor") != NULL;
    /* The walk starts at the directory part before "...". */
    const char *dots = strstr(c, "...");
    char *root = lh_arena_strndup(&L->meta, c, (size_t)(dots - c));
    char *slash = strrchr(root, '/');
    if (slash)
        slash[slash == root ? 1 : 0] = '\0';
    else
        root = ".";
    struct stat st;
    if (stat(root, &st) == 0 && S_ISDIR(st.st_mode))
        walk_dir(&w, root, root, true, 0);
    /* Whether a matched directory is a package is known after loading;
     * lh_load_packages warns then. */
    if (w.matched == 0 && L->pattern >= 64)
        diagf(L, "warning: \"%s\" matched no packages", pattern);
}

/* ---- the workers --------------------------------------------------------- */

/* Package clause and whether it imports "C", from the first tokens. */
static void read_header(job *j, lh_arena *keep, lh_arena *scratch)
{
    lh_arena_reset(scratch);
    lh_diag_list d;
    lh_diag_init(&d, scratch);
    lh_lexer lx;
    lh_lex_init(&lx, j->src, j->len, scratch, &d);
    lh_token t;
    lh_lex_next(&lx, &t);
    if (t.kind != LH_TOK_PACKAGE)
        return;
    lh_lex_next(&lx, &t);
    if (t.kind != LH_TOK_IDENT)
        return;
    j->pkg = lh_arena_strndup(keep, t.lit, t.len);
    lh_lex_next(&lx, &t);
    for (;;) {
        lh_lex_next(&lx, &t);
        if (t.kind == LH_TOK_SEMICOLON)
            continue;
        if (t.kind != LH_TOK_IMPORT)
            return;
        lh_lex_next(&lx, &t);
        bool group = t.kind == LH_TOK_LPAREN;
        do {
            if (group)
                lh_lex_next(&lx, &t);
            if (t.kind == LH_TOK_IDENT || t.kind == LH_TOK_PERIOD)
                lh_lex_next(&lx, &t);
            if (t.kind == LH_TOK_STRING && t.len == 3 && t.lit[1] == 'C')
                j->imports_c = true;
            if (group && t.kind != LH_TOK_RPAREN && t.kind != LH_TOK_EOF)
                continue;
            break;
        } while (true);
        if (t.kind == LH_TOK_EOF)
            return;
    }
}

static void run_job(loader *L, job *j, lh_arena *keep, lh_arena *scratch)
{
    const lh_load_config *cfg = L->cfg;
    bool all = L->cands[j->cand].cmdline;
    j->name_ok = all || lh_build_match_filename(&L->build, j->name);
    if (!j->name_ok)
        return;
    char err[256];
    if (lh_read_file(j->path, MAX_FILE_BYTES, &j->src, &j->len, err, sizeof err) != 0) {
        j->read_err = lh_arena_strdup(keep, err);
        return;
    }
    bool ok = true;
    if (lh_build_match_header(&L->build, j->src, j->len, &ok, err, sizeof err) != 0) {
        j->build_err = lh_arena_strdup(keep, err);
        return;
    }
    j->build_ok = ok || all;
    if (!j->build_ok)
        return;
    read_header(j, keep, scratch);
    bool want = cfg->parse && (!j->test || cfg->tests) && !(j->imports_c && !cfg->build.cgo) &&
                !(j->pkg && strcmp(j->pkg, "documentation") == 0);
    if (!want)
        return;
    lh_diag_init(&j->errs, keep);
    j->ast = lh_parse_file(keep, j->path, j->src, j->len, &j->errs);
    if (j->errs.len)
        lh_diag_sort(&j->errs);
}

typedef struct worker_arg {
    loader *L;
    int id;
} worker_arg;

static void *worker_main(void *arg)
{
    worker_arg *w = arg;
    loader *L = w->L;
    lh_parse_set_stack_budget(LH_PARSE_STACK_SIZE - ((size_t)1 << 20));
    lh_arena scratch;
    lh_arena_init(&scratch);
    for (;;) {
        size_t i = atomic_fetch_add(&L->next, 1);
        if (i >= L->njobs)
            break;
        run_job(L, &L->jobs[i], &L->worker_arena[w->id], &scratch);
    }
    lh_arena_free(&scratch);
    return NULL;
}

static void worker_deep(void *arg) { worker_main(arg); }

static void run_pool(loader *L)
{
    int n = L->cfg->jobs;
    if (n <= 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        n = c > 0 ? (int)c : 1;
    }
    if (n > MAX_JOBS)
        n = MAX_JOBS;
    if ((size_t)n > L->njobs)
        n = L->njobs ? (int)L->njobs : 1;
    L->nworkers = n;
    for (int i = 0; i < n; i++)
        lh_arena_init(&L->worker_arena[i]);
    pthread_t th[MAX_JOBS];
    worker_arg args[MAX_JOBS];
    int started = 0;
    for (int i = 0; i < n; i++) {
        args[i] = (worker_arg){L, i};
        pthread_attr_t attr;
        if (pthread_attr_init(&attr) != 0)
            break;
        bool ok = pthread_attr_setstacksize(&attr, LH_PARSE_STACK_SIZE) == 0 &&
                  pthread_create(&th[i], &attr, worker_main, &args[i]) == 0;
        pthread_attr_destroy(&attr);
        if (!ok)
            break;
        started++;
    }
    /* No thread at all (address space limits): one deep call does it. */
    if (started == 0)
        lh_parse_run_deep(worker_deep, &args[0]);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
}

/* ---- packages --------------------------------------------------------------- */

typedef struct modcache {
    char root[PATH_MAX];
    char module[1024];
    bool found, std;
} modcache;

/* Module root and path for dir; false (with a message) on a bad go.mod. */
static bool module_of(loader *L, const char *dir, modcache *mc)
{
    char root[PATH_MAX];
    if (!lh_gomod_find_root(dir, root, sizeof root)) {
        mc->found = mc->std = false;
        return true;
    }
    if (mc->found && strcmp(root, mc->root) == 0)
        return true;
    char *path = join(&L->meta, root, "go.mod");
    char *src, err[256];
    size_t len;
    if (lh_read_file(path, 1 << 24, &src, &len, err, sizeof err) != 0) {
        diagf(L, "%s: %s", path, err);
        return false;
    }
    lh_gomod m;
    int rc = lh_gomod_parse(src, len, &m, err, sizeof err);
    free(src);
    if (rc != 0) {
        diagf(L, "%s: %s", path, err);
        return false;
    }
    snprintf(mc->root, sizeof mc->root, "%s", root);
    snprintf(mc->module, sizeof mc->module, "%s", m.module);
    mc->found = true;
    mc->std = strcmp(m.module, "std") == 0;
    return true;
}

static const char *import_path(loader *L, const cand *c, modcache *mc)
{
    if (c->cmdline)
        return "command-line-arguments";
    if (!mc->found) {
        char *s = lh_arena_alloc(&L->meta, strlen(c->abs) + 2);
        s[0] = '_';
        strcpy(s + 1, c->abs);
        return s;
    }
    const char *rel = c->abs + strlen(mc->root);
    if (strcmp(mc->root, "/") == 0)
        rel = c->abs;
    while (*rel == '/')
        rel++;
    if (mc->std)
        return *rel ? lh_arena_strdup(&L->meta, rel) : "std";
    return *rel ? join(&L->meta, mc->module, rel) : lh_arena_strdup(&L->meta, mc->module);
}

static const char *pkgerrf(loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *pkgerrf(loader *L, const char *fmt, ...)
{
    lh_buf b = LH_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    lh_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    const char *s = lh_arena_strndup(&L->meta, b.data, b.len);
    lh_buf_free(&b);
    return s;
}

/* go/build's classification of one directory's files; false when the
 * directory is no package (no Go or test files for the target). */
static bool build_package(loader *L, const cand *c, lh_load_package *p, lh_load_result *r)
{
    const lh_load_config *cfg = L->cfg;
    memset(p, 0, sizeof *p);
    p->dir = c->abs;
    p->name = "";
    const char *first = NULL;
    size_t ngo_all = 0;     /* Go and test files, tests counted always */
    bool invalid = false;
    lh_load_file *files = LH_NEWN(&L->meta, lh_load_file, c->n ? c->n : 1);
    p->ignored = lh_arena_alloc(&L->meta, sizeof *p->ignored * (c->n ? c->n : 1));
    lh_load_kind *kinds = lh_arena_alloc(&L->meta, sizeof *kinds * (c->n ? c->n : 1));
    bool *take = lh_arena_alloc(&L->meta, c->n ? c->n : 1);
    for (size_t k = 0; k < c->n; k++) {
        job *j = &L->jobs[c->first + k];
        if (j->read_err) {
            diagf(L, "%s: %s", j->path, j->read_err);
            L->fatal = true;
            continue;
        }
        if (j->build_err) {
            if (!p->error)
                p->error = pkgerrf(L, "%s: %s", j->path, j->build_err);
            invalid = true;
            continue;
        }
        if (!j->name_ok || !j->build_ok || (j->imports_c && !cfg->build.cgo) ||
            (j->pkg && strcmp(j->pkg, "documentation") == 0)) {
            p->ignored[p->nignored++] = j->name;
            continue;
        }
        lh_load_kind kind = j->test ? LH_LOAD_TEST : j->imports_c ? LH_LOAD_CGO : LH_LOAD_GO;
        if (j->pkg) {
            const char *pkg = j->pkg;
            size_t n = strlen(pkg);
            if (j->test && has_suffix(pkg, "_test") && strcmp(p->name, pkg) != 0) {
                kind = LH_LOAD_XTEST;
                pkg = lh_arena_strndup(&L->meta, pkg, n - 5);
            }
            if (!first) {
                p->name = pkg;
                first = j->name;
            } else if (strcmp(pkg, p->name) != 0 && !p->error) {
                p->error = pkgerrf(L, "found packages %s (%s) and %s (%s) in %s", p->name,
                                   first, pkg, j->name, c->abs);
            }
        }
        ngo_all++;
        kinds[k] = kind;
        take[k] = kind == LH_LOAD_GO || kind == LH_LOAD_CGO || cfg->tests;
    }
    if (ngo_all == 0 && !invalid) {
        if (!c->literal && !c->cmdline)
            return false;
        p->error = pkgerrf(L, c->n ? "build constraints exclude all Go files in %s"
                                   : "no Go files in %s", c->abs);
    }
    for (int kind = LH_LOAD_GO; kind <= LH_LOAD_XTEST; kind++) {
        for (size_t k = 0; k < c->n; k++) {
            job *j = &L->jobs[c->first + k];
            if (!take[k] || kinds[k] != (lh_load_kind)kind)
                continue;
            lh_load_file *f = &files[p->nfiles++];
            f->path = j->path;
            f->name = j->name;
            f->kind = (lh_load_kind)kind;
            f->ast = j->ast;
            f->errs = j->errs;
            f->src = j->src;
            f->len = j->len;
            j->src = NULL;      /* the package owns it now */
            if (j->errs.len)
                r->nsyntax++;
            if (j->ast)
                r->nfiles_parsed++;
            if (kind == LH_LOAD_GO)
                p->ngo++;
            else if (kind == LH_LOAD_CGO)
                p->ncgo++;
            else if (kind == LH_LOAD_TEST)
                p->ntest++;
            else
                p->nxtest++;
        }
    }
    p->files = files;
    return true;
}

static int cmp_pkg(const void *a, const void *b)
{
    const lh_load_package *x = a, *y = b;
    int c = strcmp(x->import_path, y->import_path);
    return c ? c : strcmp(x->dir, y->dir);
}

/* The command-line .go files: one package, from one directory. */
static void add_cmdline_files(loader *L, char *const *files, size_t n)
{
    if (n == 0)
        return;
    const char *dir0 = NULL;
    size_t ci = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(files[i], &st) != 0) {
            diagf(L, "%s: %s", files[i], strerror(errno));
            L->fatal = true;
            return;
        }
        char *c = clean_path(&L->meta, files[i]);
        char *slash = strrchr(c, '/');
        char *dir = slash ? lh_arena_strndup(&L->meta, c, (size_t)(slash - c)) : ".";
        if (slash == c)
            dir = "/";
        if (!dir0) {
            char abs[PATH_MAX];
            if (!abs_path(&L->meta, dir, abs, sizeof abs)) {
                diagf(L, "%s: %s", dir, strerror(errno));
                L->fatal = true;
                return;
            }
            dir0 = dir;
            ci = add_cand(L, abs, dir, true);
            L->cands[ci].cmdline = true;
            L->cands[ci].first = L->njobs;
        } else if (strcmp(dir, dir0) != 0) {
            diagf(L, "named files must all be in one directory; have %s and %s", dir0, dir);
            L->fatal = true;
            return;
        }
        add_job(L, ci, c, slash ? slash + 1 : c);
    }
    L->cands[ci].n = L->njobs - L->cands[ci].first;
}

/* The release the main module asks for (see load.h). A go.mod that cannot
 * be read or parsed names none here; module_of reports it when a package
 * lies in its module. */
static int main_release(loader *L)
{
    char cwd[PATH_MAX], root[PATH_MAX];
    int rel = 0;
    if (abs_path(&L->meta, ".", cwd, sizeof cwd) && lh_gomod_find_root(cwd, root, sizeof root)) {
        char *src, err[256];
        size_t len;
        lh_gomod m;
        if (lh_read_file(join(&L->meta, root, "go.mod"), 1 << 24, &src, &len, err, sizeof err) == 0) {
            rel = lh_gomod_parse(src, len, &m, err, sizeof err) == 0
                      ? lh_gomod_release(&m, L->cfg->gotoolchain) : 0;
            free(src);
        }
    } else {
        rel = lh_gomod_release(NULL, L->cfg->gotoolchain);
    }
    return rel > 0 ? rel : LH_BUILD_RELEASE_NEWEST;
}

int lh_load_packages(const lh_load_config *cfg, char *const *patterns, size_t npatterns,
                     lh_load_result *out, lh_buf *diag)
{
    memset(out, 0, sizeof *out);
    loader *L = calloc(1, sizeof *L);
    if (!L)
        abort();
    L->cfg = cfg;
    L->diag = diag;
    lh_arena_init(&L->meta);
    out->priv = L;
    L->build = cfg->build;
    if (L->build.release <= 0)
        L->build.release = main_release(L);
    out->release = L->build.release;
    char berr[256];
    if (lh_build_check(&L->build, berr, sizeof berr) != 0) {
        diagf(L, "%s (acting as go1.%d)", berr, L->build.release);
        return -1;
    }

    char **gofiles = calloc(npatterns + 1, sizeof *gofiles);
    size_t ngofiles = 0;
    for (size_t i = 0; i < npatterns && !L->fatal; i++) {
        const char *pat = patterns[i];
        if (strstr(pat, "...")) {
            L->pattern = i;
            expand_wildcard(L, pat);
            continue;
        }
        struct stat st;
        if (has_suffix(pat, ".go") && stat(pat, &st) == 0 && !S_ISDIR(st.st_mode)) {
            gofiles[ngofiles++] = (char *)pat;
            continue;
        }
        char abs[PATH_MAX];
        if (stat(pat, &st) != 0 || !S_ISDIR(st.st_mode) || !abs_path(&L->meta, pat, abs, sizeof abs)) {
            diagf(L, "%s: %s", pat,
                  errno == ENOENT || (stat(pat, &st) == 0 && !S_ISDIR(st.st_mode))
                      ? "no such directory"
                      : strerror(errno));
            L->fatal = true;
            break;
        }
        size_t before = L->ncands;
        size_t ci = add_cand(L, abs, clean_path(&L->meta, pat), true);
        if (ci == before)
            add_dir_files(L, ci);
    }
    if (!L->fatal)
        add_cmdline_files(L, gofiles, ngofiles);
    free(gofiles);
    if (L->fatal)
        return -1;

    run_pool(L);

    out->pkgs = LH_NEWN(&L->meta, lh_load_package, L->ncands ? L->ncands : 1);
    modcache mc = {.found = false};
    uint64_t seen = 0;
    for (size_t i = 0; i < L->ncands; i++) {
        const cand *c = &L->cands[i];
        if (!c->cmdline && !module_of(L, c->abs, &mc)) {
            L->fatal = true;
            break;
        }
        const char *ip = import_path(L, c, &mc);
        /* The documentation-only pseudo-package of GOROOT: wildcards skip
         * it, as the go command's do. */
        if (!c->literal && !c->cmdline && mc.found && mc.std && strcmp(ip, "builtin") == 0)
            continue;
        lh_load_package *p = &out->pkgs[out->npkgs];
        if (!build_package(L, c, p, out))
            continue;
        p->import_path = ip;
        seen |= L->cands[i].patterns;
        if (p->error)
            out->nerrors++;
        out->npkgs++;
    }
    for (size_t i = 0; i < npatterns && i < 64; i++)
        if (strstr(patterns[i], "...") && !(seen & ((uint64_t)1 << i)) && !L->fatal)
            diagf(L, "warning: \"%s\" matched no packages", patterns[i]);
    qsort(out->pkgs, out->npkgs, sizeof *out->pkgs, cmp_pkg);
    return L->fatal ? -1 : 0;
}

void lh_load_free(lh_load_result *r)
{
    loader *L = r->priv;
    if (!L)
        return;
    for (size_t i = 0; i < r->npkgs; i++)
        for (size_t k = 0; k < r->pkgs[i].nfiles; k++)
            free((char *)r->pkgs[i].files[k].src);
    for (size_t i = 0; i < L->njobs; i++)
        free(L->jobs[i].src);
    for (int i = 0; i < L->nworkers; i++)
        lh_arena_free(&L->worker_arena[i]);
    lh_arena_free(&L->meta);
    free(L->cands);
    free(L->jobs);
    free(L);
    memset(r, 0, sizeof *r);
}
