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
#include "load/order.h"
#include "util/fs.h"

enum { MAX_FILE_BYTES = 1 << 30, MAX_JOBS = LH_LOAD_MAX_JOBS };

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

/* One .go file: its header read by a listing worker and classified by the
 * main thread, then read (again, when streaming) and parsed by a parse
 * worker. */
typedef struct job {
    size_t cand;
    char *path, *name;
    bool test;
    /* listing */
    bool name_ok, build_ok, imports_c;
    const char *build_err;  /* malformed //go:build */
    const char *read_err;
    const char *pkg;        /* package clause, NULL when missing */
    const char **imports;   /* the header's import paths, unquoted */
    size_t nimports;
    size_t size;            /* bytes when listed */
    /* parsing */
    char *src;
    size_t len;
    lh_file *ast;
    lh_diag_list errs;
    lh_arena arena;         /* lh_load_each: the file's tree and messages,
                             * freed when its package has been visited */
} job;

/* What the walk needs of a package beside its public record. */
typedef struct pkgx {
    size_t *fjob;           /* the job of each of its files */
    size_t bytes;           /* source bytes of those files */
} pkgx;

typedef struct loader {
    const lh_load_config *cfg;
    lh_build_ctx build;     /* cfg->build with the release decided */
    lh_arena meta;          /* paths, names, packages: lives with the result */
    cand *cands;
    size_t ncands, capcands;
    job *jobs;
    size_t njobs, capjobs;
    atomic_size_t next;     /* listing: the next job to take */
    lh_arena worker_arena[MAX_JOBS];    /* headers' names; whole loads' trees */
    lh_buf *diag;
    struct modid { dev_t dev; ino_t ino; } *ws;     /* go.work's modules */
    size_t nws;
    struct modid *nested;   /* nested modules the walks left out */
    size_t nnested;
    const char *first_nested;
    bool fatal;
    bool stream;            /* lh_load_each: sources dropped after listing,
                             * trees in per-file arenas */
    size_t pattern;         /* index of the pattern being expanded */
    /* the selected packages, in import path order */
    lh_load_package *pkgs;
    pkgx *px;
    size_t npkgs, nerrors;
    /* the parse pool's queue: tasks (jobs) in visit order; a worker takes
     * the next task only when its package lies before `allowed` */
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    size_t *tasks, *task_pos, ntasks, next_task;
    size_t *remaining;      /* per position in the order: tasks not done */
    size_t allowed;
    bool stop;
    /* lh_load_each_parallel: packages worked on by the pool, per position
     * in the order (under mu) */
    const size_t *order;
    lh_load_work_fn work_fn;
    void *work_ctx;
    size_t *deps_left;      /* earlier imports whose work is not done */
    size_t *dep_off, *dep_to;   /* the later positions waiting on each */
    size_t *wait_off, *wait_on; /* the earlier positions each waits on */
    /* release, on the caller's thread: per position, readers (dep_to) not
     * yet released, and whether done has had it */
    size_t *readers_left;
    uint8_t *handed;
    size_t held;            /* handed to done, not released */
    uint8_t *state;         /* pkg_state */
    void **result;
    size_t front;           /* the position the caller visits next */
} loader;

enum pkg_state { PKG_WAITING, PKG_WORKING, PKG_WORKED };

static void diagf(loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void diagf(loader *L, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lh_buf_puts(L->diag, L->cfg->diag_prefix ? L->cfg->diag_prefix : "leakhound: ");
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
    lh_arena_init(&j->arena);
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
    *n = len;
    /* An empty directory: a non-NULL empty list. Tested before qsort,
     * whose pointer is declared non-null: calling it with NULL lets the
     * compiler drop a later NULL test (an empty directory then read as an
     * error). */
    if (!v)
        return calloc(1, sizeof *v);
    qsort(v, len, sizeof *v, cmp_str);
    return v;
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

/* strerror's text as Go's syscall errors spell it (lower case). */
static const char *errno_text(int e)
{
    switch (e) {
    case ENOENT: return "no such file or directory";
    case ENOTDIR: return "not a directory";
    case EACCES: return "permission denied";
    default: return strerror(e);
    }
}

/* A pattern that selected no package: the go command's warning, or an
 * error when the caller wants one. */
static void unmatched(loader *L, const char *pattern)
{
    if (L->cfg->unmatched_is_error) {
        diagf(L, "\"%s\" matched no packages", pattern);
        L->fatal = true;
    } else {
        diagf(L, "warning: \"%s\" matched no packages", pattern);
    }
}

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

/* Whether a walk goes into the nested module at abs: --all-modules, or
 * go.work uses it (wherever it lies below the walk's root); else it is
 * counted for the note, once however many patterns meet it.
 *
 * The go command does not do this: its ./... stays in the module holding
 * the current directory even in workspace mode, and fails where no
 * module holds it (golang/go#50745). A user with a go.work means its
 * modules; `go list work` (Go 1.25+) lists what this takes. */
static bool take_module(loader *L, const char *abs, const char *disp)
{
    if (L->cfg->all_modules)
        return true;
    struct stat st;
    if (stat(abs, &st) != 0)
        return false;
    for (size_t i = 0; i < L->nws; i++)
        if (L->ws[i].dev == st.st_dev && L->ws[i].ino == st.st_ino)
            return true;
    for (size_t i = 0; i < L->nnested; i++)
        if (L->nested[i].dev == st.st_dev && L->nested[i].ino == st.st_ino)
            return false;
    if ((L->nnested & (L->nnested - 1)) == 0) {
        L->nested = realloc(L->nested, (L->nnested ? 2 * L->nnested : 1) * sizeof *L->nested);
        if (!L->nested)
            abort();
    }
    L->nested[L->nnested++] = (struct modid){st.st_dev, st.st_ino};
    if (!L->first_nested)
        L->first_nested = lh_arena_strdup(&L->meta, disp);
    return false;
}

/* canon: the directory relative to the current one, cleaned ("." for it). */
/* skipping: inside a nested module left out, where nothing matches; the
 * walk goes on to count the modules further down for the note, and into
 * those of them go.work uses. */
static void walk_dir(walk *w, const char *disp, const char *canon, bool top, bool skipping,
                     int depth)
{
    const char *elem = strrchr(canon, '/');
    elem = elem ? elem + 1 : canon;
    if (!(strcmp(elem, ".") == 0 || strcmp(elem, "..") == 0) &&
        (elem[0] == '.' || elem[0] == '_' || strcmp(elem, "testdata") == 0))
        return;
    /* The paths made on the way are the walk's alone (what is kept is
     * copied): they go with the directory, not with the loader, which
     * would hold a few kilobytes for every directory of a large tree. */
    lh_arena tmp;
    lh_arena_init(&tmp);
    char abs[PATH_MAX];
    if (!abs_path(&tmp, disp, abs, sizeof abs)) {
        lh_arena_free(&tmp);
        return;
    }
    if (!top && dir_has_gomod(abs))
        skipping = !take_module(w->L, abs, disp);
    if (depth > 200) {
        lh_arena_free(&tmp);
        return;
    }
    if (!skipping && glob(w->pat, canon)) {
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
    size_t n = 0;
    char **names = !w->pat_vendor && !top && strcmp(elem, "vendor") == 0 ? NULL
                                                                          : read_dir(disp, &n);
    for (size_t i = 0; names && i < n; i++) {
        char *sub = join(&tmp, disp, names[i]);
        struct stat st;
        /* lstat: like filepath.Walk, the walk does not follow symlinks */
        if (lstat(sub, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        char *csub = strcmp(canon, ".") == 0 ? lh_arena_strdup(&tmp, names[i])
                                             : join(&tmp, canon, names[i]);
        walk_dir(w, sub, csub, false, skipping, depth + 1);
    }
    if (names)
        free_dir(names, n);
    lh_arena_free(&tmp);
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
    /* A root that is not there is an error, named as the go command names
     * it: the pattern's text up to its last slash before "...". */
    const char *rdots = strstr(pattern, "...");
    const char *rslash = rdots;
    while (rslash > pattern && rslash[-1] != '/')
        rslash--;
    struct stat st;
    if (rslash > pattern && lstat(lh_arena_strndup(&L->meta, pattern, (size_t)(rslash - pattern)),
                                  &st) != 0) {
        diagf(L, "pattern %s: lstat %.*s: %s", pattern, (int)(rslash - pattern), pattern,
              errno_text(errno));
        L->fatal = true;
        return;
    }
    if (stat(root, &st) == 0 && S_ISDIR(st.st_mode))
        walk_dir(&w, root, root, true, false, 0);
    /* Whether a matched directory is a package is known after loading;
     * lh_load_packages reports it then. */
    if (w.matched == 0 && L->pattern >= 64)
        unmatched(L, pattern);
}

/* ---- listing: each file's header --------------------------------------------- */

static void add_import(job *j, const char ***v, size_t *cap, lh_arena *scratch,
                       const lh_token *t)
{
    const char *path;
    size_t len;
    if (!lh_lex_unquote(scratch, t->lit, t->len, &path, &len))
        return;
    if (j->nimports == *cap) {
        size_t c = *cap ? 2 * *cap : 16;
        *v = lh_arena_realloc(scratch, *v, *cap * sizeof **v, c * sizeof **v);
        *cap = c;
    }
    (*v)[j->nimports++] = lh_arena_strndup(scratch, path, len);
    if (len == 1 && path[0] == 'C')
        j->imports_c = true;
}

static bool ends_import_group(lh_tok_kind k)
{
    return k == LH_TOK_RPAREN || k == LH_TOK_EOF || k == LH_TOK_FUNC || k == LH_TOK_TYPE ||
           k == LH_TOK_VAR || k == LH_TOK_CONST || k == LH_TOK_IMPORT;
}

/* Package clause, import paths and whether one is "C", from the first
 * tokens: the lexer stops at the first declaration that is not an import,
 * so this costs a small part of a parse. Imports misplaced after other
 * declarations (a syntax error) are not seen; they would only have counted
 * for the order. */
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
    const char **v = NULL;
    size_t cap = 0;
    lh_lex_next(&lx, &t);
    for (;;) {
        if (t.kind == LH_TOK_SEMICOLON) {
            lh_lex_next(&lx, &t);
            continue;
        }
        if (t.kind != LH_TOK_IMPORT)
            break;
        lh_lex_next(&lx, &t);
        if (t.kind == LH_TOK_LPAREN) {
            for (lh_lex_next(&lx, &t); !ends_import_group((lh_tok_kind)t.kind); lh_lex_next(&lx, &t))
                if (t.kind == LH_TOK_STRING)
                    add_import(j, &v, &cap, scratch, &t);
            if (t.kind == LH_TOK_RPAREN)
                lh_lex_next(&lx, &t);
        } else {
            if (t.kind == LH_TOK_IDENT || t.kind == LH_TOK_PERIOD)
                lh_lex_next(&lx, &t);
            if (t.kind == LH_TOK_STRING) {
                add_import(j, &v, &cap, scratch, &t);
                lh_lex_next(&lx, &t);
            }
        }
    }
    /* The scratch arena is reset for the next file: keep copies. */
    j->imports = lh_arena_alloc(keep, sizeof *j->imports * (j->nimports ? j->nimports : 1));
    for (size_t i = 0; i < j->nimports; i++)
        j->imports[i] = lh_arena_strdup(keep, v[i]);
}

static void list_job(loader *L, job *j, lh_arena *keep, lh_arena *scratch)
{
    bool all = L->cands[j->cand].cmdline;
    j->name_ok = all || lh_build_match_filename(&L->build, j->name);
    if (!j->name_ok)
        return;
    char err[256];
    if (lh_read_file(j->path, MAX_FILE_BYTES, &j->src, &j->len, err, sizeof err) != 0) {
        j->read_err = lh_arena_strdup(keep, err);
        return;
    }
    j->size = j->len;
    bool ok = true;
    if (lh_build_match_header(&L->build, j->src, j->len, &ok, err, sizeof err) != 0) {
        j->build_err = lh_arena_strdup(keep, err);
    } else {
        j->build_ok = ok || all;
        if (j->build_ok)
            read_header(j, keep, scratch);
    }
    /* Streaming keeps no source between listing and parsing: 600 MB of
     * them is what it exists to avoid. */
    if (L->stream) {
        free(j->src);
        j->src = NULL;
        j->len = 0;
    }
}

/* ---- the thread pool --------------------------------------------------------- */

typedef struct worker_arg {
    loader *L;
    int id;
    void (*fn)(loader *L, int id);
} worker_arg;

static void *worker_main(void *arg)
{
    worker_arg *w = arg;
    lh_parse_set_stack_budget(LH_PARSE_STACK_SIZE - ((size_t)1 << 20));
    w->fn(w->L, w->id);
    return NULL;
}

static int pool_size(const loader *L, size_t nwork)
{
    int n = L->cfg->jobs;
    if (n <= 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        n = c > 0 ? (int)c : 1;
    }
    if (n > MAX_JOBS)
        n = MAX_JOBS;
    if ((size_t)n > nwork)
        n = nwork ? (int)nwork : 1;
    return n;
}

/* Starts n threads running fn(L, id) on parse-deep stacks; returns how many
 * started (0 when address space is short: the caller then does the work). */
static int start_pool(loader *L, int n, void (*fn)(loader *, int), pthread_t *th, worker_arg *args)
{
    int started = 0;
    for (int i = 0; i < n; i++) {
        args[i] = (worker_arg){L, i, fn};
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
    return started;
}

static void list_worker(loader *L, int id)
{
    lh_arena scratch;
    lh_arena_init(&scratch);
    for (;;) {
        size_t i = atomic_fetch_add(&L->next, 1);
        if (i >= L->njobs)
            break;
        list_job(L, &L->jobs[i], &L->worker_arena[id], &scratch);
    }
    lh_arena_free(&scratch);
}

static void list_files(loader *L)
{
    int n = pool_size(L, L->njobs);
    pthread_t th[MAX_JOBS];
    worker_arg args[MAX_JOBS];
    int started = start_pool(L, n, list_worker, th, args);
    if (started == 0)
        list_worker(L, 0);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
}

/* Reads (streaming) and parses one file. A whole load parses into the
 * worker's arena, a stream into the file's own, which dies after the visit. */
static void parse_task(loader *L, size_t t, int id)
{
    job *j = &L->jobs[L->tasks[t]];
    lh_arena *a = L->stream ? &j->arena : &L->worker_arena[id];
    if (!j->src) {
        char err[256];
        if (lh_read_file(j->path, MAX_FILE_BYTES, &j->src, &j->len, err, sizeof err) != 0) {
            j->read_err = lh_arena_strdup(a, err);
            return;
        }
    }
    if (!L->cfg->parse)
        return;
    lh_diag_init(&j->errs, a);
    j->ast = lh_parse_file(a, j->path, j->src, j->len, &j->errs);
    if (j->errs.len)
        lh_diag_sort(&j->errs);
}

static bool attach(loader *L, lh_load_package *p, const pkgx *x);

/* The first position of the window whose files are parsed and whose
 * earlier imports are worked on, not yet taken; SIZE_MAX when none. */
static size_t ready_pos(const loader *L)
{
    for (size_t pos = L->front; pos < L->allowed && pos < L->npkgs; pos++)
        if (L->state[pos] == PKG_WAITING && L->remaining[pos] == 0 && L->deps_left[pos] == 0)
            return pos;
    return SIZE_MAX;
}

struct lh_load_ready {
    loader *L;
    size_t pos;
    bool said;
};

/* Under mu: the packages waiting for pos may go. */
static void release_importers(loader *L, size_t pos)
{
    for (size_t k = L->dep_off[pos]; k < L->dep_off[pos + 1]; k++)
        L->deps_left[L->dep_to[k]]--;
    pthread_cond_broadcast(&L->work);
}

void lh_load_ready_now(lh_load_ready *r)
{
    if (r->said)
        return;
    r->said = true;
    pthread_mutex_lock(&r->L->mu);
    release_importers(r->L, r->pos);
    pthread_mutex_unlock(&r->L->mu);
}

/* Works on the package at pos (taken: PKG_WORKING), without mu; a package
 * with a file that could no longer be read is not worked on, the caller
 * stops its walk there. */
static void *work_on(loader *L, size_t pos, int id, lh_load_ready *ready)
{
    lh_load_package *p = &L->pkgs[L->order[pos]];
    *ready = (lh_load_ready){L, pos, false};
    return attach(L, p, &L->px[L->order[pos]]) ? L->work_fn(p, id, ready, L->work_ctx) : NULL;
}

/* Under mu: pos is worked on; the packages waiting for it may go if its
 * work did not say so before. */
static void worked(loader *L, size_t pos, void *r, const lh_load_ready *ready)
{
    L->result[pos] = r;
    L->state[pos] = PKG_WORKED;
    if (!ready->said)
        release_importers(L, pos);
    pthread_cond_broadcast(&L->work);
    pthread_cond_broadcast(&L->done);
}

/* Takes tasks in order while their package is inside the window; with
 * parallel work, first any package that is ready to be worked on (the
 * earliest: the caller waits for them in order). */
static void parse_worker(loader *L, int id)
{
    pthread_mutex_lock(&L->mu);
    for (;;) {
        if (L->stop)
            break;
        size_t pos = L->work_fn ? ready_pos(L) : SIZE_MAX;
        if (pos != SIZE_MAX) {
            L->state[pos] = PKG_WORKING;
            pthread_mutex_unlock(&L->mu);
            lh_load_ready ready;
            void *r = work_on(L, pos, id, &ready);
            pthread_mutex_lock(&L->mu);
            worked(L, pos, r, &ready);
            continue;
        }
        if (L->next_task < L->ntasks && L->task_pos[L->next_task] < L->allowed) {
            size_t t = L->next_task++;
            pthread_mutex_unlock(&L->mu);
            parse_task(L, t, id);
            pthread_mutex_lock(&L->mu);
            if (--L->remaining[L->task_pos[t]] == 0) {
                pthread_cond_broadcast(&L->done);
                if (L->work_fn)
                    pthread_cond_broadcast(&L->work);
            }
            continue;
        }
        /* Parsing alone ends with the last task; work goes on until the
         * caller has visited everything (stop). */
        if (!L->work_fn && L->next_task >= L->ntasks)
            break;
        pthread_cond_wait(&L->work, &L->mu);
    }
    pthread_mutex_unlock(&L->mu);
}

/* Opens the window from base (the package about to be visited): it, the
 * next one, then more while they fit the byte and package budgets. */
static void open_window(loader *L, const size_t *order, size_t base)
{
    size_t budget = L->cfg->ahead_bytes ? L->cfg->ahead_bytes : LH_LOAD_AHEAD_BYTES;
    size_t e = base + 1, bytes = L->px[order[base]].bytes;
    while (e < L->npkgs && e - base < LH_LOAD_AHEAD_PKGS &&
           (e == base + 1 || bytes + L->px[order[e]].bytes <= budget))
        bytes += L->px[order[e++]].bytes;
    if (e > L->allowed)
        L->allowed = e;
}

/* Points a package's files at their parsed state; false when one could no
 * longer be read. Touches only the package. */
static bool attach(loader *L, lh_load_package *p, const pkgx *x)
{
    bool ok = true;
    for (size_t k = 0; k < p->nfiles; k++) {
        const job *j = &L->jobs[x->fjob[k]];
        lh_load_file *f = &p->files[k];
        ok &= j->read_err == NULL;
        f->ast = j->ast;
        f->errs = j->errs;
        f->src = j->src;
        f->len = j->len;
    }
    return ok;
}

/* Counts an attached package's files and reports those that could no
 * longer be read (-1); on the caller's thread, in visit order. */
static int account(loader *L, const lh_load_package *p, const pkgx *x, lh_load_stats *st)
{
    int rc = 0;
    for (size_t k = 0; k < p->nfiles; k++) {
        const job *j = &L->jobs[x->fjob[k]];
        const lh_load_file *f = &p->files[k];
        if (j->read_err) {
            diagf(L, "%s: %s", j->path, j->read_err);
            L->fatal = true;
            rc = -1;
        }
        if (f->ast) {
            st->nfiles_parsed++;
            st->nbytes += f->len;
        }
        if (f->errs.len)
            st->nsyntax++;
    }
    return rc;
}

static int hand_over(loader *L, lh_load_package *p, const pkgx *x, lh_load_stats *st)
{
    attach(L, p, x);
    return account(L, p, x, st);
}

static void release_job(job *j)
{
    free(j->src);
    j->src = NULL;
    j->len = 0;
    j->ast = NULL;
    memset(&j->errs, 0, sizeof j->errs);
    lh_arena_free(&j->arena);
}

static void release(loader *L, lh_load_package *p, const pkgx *x)
{
    for (size_t k = 0; k < p->nfiles; k++) {
        release_job(&L->jobs[x->fjob[k]]);
        lh_load_file *f = &p->files[k];
        f->ast = NULL;
        f->src = NULL;
        f->len = 0;
        memset(&f->errs, 0, sizeof f->errs);
    }
}

/* What a streaming walk does with each package, in order: visit it on the
 * caller's thread (lh_load_each), or have the pool work on it and hand
 * the result to done (lh_load_each_parallel). */
typedef struct walk_fns {
    lh_load_visit_fn visit;
    lh_load_done_fn done;
    void (*discard)(void *result, void *ctx);
    bool (*release)(const lh_load_package *pkg, void *ctx);
    void *ctx;
} walk_fns;

/* Waits (under mu) until the package at pos may be handed over: parsed,
 * and with parallel work worked on. With no pool the caller does it. */
static void wait_for(loader *L, size_t pos, int started)
{
    while (L->remaining[pos] > 0) {
        if (started == 0) {
            /* No pool: the tasks of pos are the next ones. */
            size_t tk = L->next_task++;
            pthread_mutex_unlock(&L->mu);
            parse_task(L, tk, 0);
            pthread_mutex_lock(&L->mu);
            L->remaining[L->task_pos[tk]]--;
            continue;
        }
        pthread_cond_wait(&L->done, &L->mu);
    }
    if (!L->work_fn)
        return;
    if (started == 0) {
        /* Everything before pos is worked on: so are its imports. */
        L->state[pos] = PKG_WORKING;
        pthread_mutex_unlock(&L->mu);
        lh_load_ready ready;
        void *r = work_on(L, pos, 0, &ready);
        pthread_mutex_lock(&L->mu);
        worked(L, pos, r, &ready);
    }
    while (L->state[pos] != PKG_WORKED)
        pthread_cond_wait(&L->done, &L->mu);
}

/* After done at pos: pos, and then each package it waited for, is
 * released once done has had it and every package that waited for it is
 * released (a package's readers are later in the order, so this runs
 * backwards along import chains). A release that says keep holds what the
 * package waited for too. */
static void retire(loader *L, const walk_fns *fns, size_t pos, lh_load_stats *st)
{
    L->handed[pos] = 1;
    L->held++;
    if (L->held > st->peak_held)
        st->peak_held = L->held;
    size_t *stack = NULL, sp = 0, cap = 0;
    for (;;) {
        if (L->handed[pos] == 1 && L->readers_left[pos] == 0) {
            L->handed[pos] = 2;
            if (fns->release(&L->pkgs[L->order[pos]], fns->ctx)) {
                L->held--;
                st->nreleased++;
                for (size_t k = L->wait_off[pos]; k < L->wait_off[pos + 1]; k++) {
                    size_t w = L->wait_on[k];
                    if (--L->readers_left[w] > 0 || L->handed[w] != 1)
                        continue;
                    if (sp == cap) {
                        cap = cap ? 2 * cap : 16;
                        stack = realloc(stack, sizeof *stack * cap);
                        if (!stack)
                            abort();
                    }
                    stack[sp++] = w;
                }
            }
        }
        if (sp == 0)
            break;
        pos = stack[--sp];
    }
    free(stack);
}

/* Reads and parses the files of the packages in order on the pool. With
 * fns, hands each package over in order as soon as its files are done
 * (and, with parallel work, it is worked on) and frees them after;
 * without, parses everything and keeps it. */
static int run_walk(loader *L, const size_t *order, const walk_fns *fns, lh_load_stats *st)
{
    size_t n = L->npkgs;
    L->ntasks = 0;
    for (size_t i = 0; i < n; i++)
        L->ntasks += L->pkgs[i].nfiles;
    L->tasks = malloc(sizeof *L->tasks * (L->ntasks + 1));
    L->task_pos = malloc(sizeof *L->task_pos * (L->ntasks + 1));
    L->remaining = calloc(n + 1, sizeof *L->remaining);
    if (!L->tasks || !L->task_pos || !L->remaining)
        abort();
    size_t t = 0;
    for (size_t pos = 0; pos < n; pos++) {
        const pkgx *x = &L->px[order[pos]];
        if (fns)
            L->pkgs[order[pos]].seq = pos + 1;
        for (size_t k = 0; k < L->pkgs[order[pos]].nfiles; k++) {
            L->tasks[t] = x->fjob[k];
            L->task_pos[t++] = pos;
        }
        L->remaining[pos] = L->pkgs[order[pos]].nfiles;
    }
    L->order = order;
    L->next_task = 0;
    L->front = 0;
    L->allowed = fns ? 0 : n;
    L->stop = false;
    pthread_mutex_init(&L->mu, NULL);
    pthread_cond_init(&L->work, NULL);
    pthread_cond_init(&L->done, NULL);
    if (fns && n > 0)
        open_window(L, order, 0);

    pthread_t th[MAX_JOBS];
    worker_arg args[MAX_JOBS];
    int started = start_pool(L, pool_size(L, L->work_fn ? L->ntasks + n : L->ntasks), parse_worker,
                             th, args);
    int rc = 0;
    for (size_t pos = 0; fns && pos < n; pos++) {
        pthread_mutex_lock(&L->mu);
        L->front = pos;
        open_window(L, order, pos);
        pthread_cond_broadcast(&L->work);
        wait_for(L, pos, started);
        pthread_mutex_unlock(&L->mu);
        lh_load_package *p = &L->pkgs[order[pos]];
        const pkgx *x = &L->px[order[pos]];
        if (hand_over(L, p, x, st) != 0) {
            release(L, p, x);
            rc = -1;
            break;
        }
        st->nvisited++;
        int v;
        if (L->work_fn) {
            v = fns->done(p, L->result[pos], fns->ctx);
            L->result[pos] = NULL;
        } else {
            v = fns->visit(p, fns->ctx);
        }
        release(L, p, x);
        if (L->work_fn && fns->release && v == 0)
            retire(L, fns, pos, st);
        if (v != 0) {
            rc = v;
            break;
        }
    }
    pthread_mutex_lock(&L->mu);
    L->stop = fns != NULL;
    pthread_cond_broadcast(&L->work);
    pthread_mutex_unlock(&L->mu);
    if (!fns && started == 0)
        for (size_t tk = 0; tk < L->ntasks; tk++)
            parse_task(L, tk, 0);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    pthread_cond_destroy(&L->done);
    pthread_cond_destroy(&L->work);
    pthread_mutex_destroy(&L->mu);
    /* A stopped walk leaves the window's parsed files behind, and the
     * results of packages worked on but not visited. */
    for (size_t pos = 0; L->work_fn && pos < n; pos++)
        if (L->result[pos])
            fns->discard(L->result[pos], fns->ctx);
    if (fns)
        for (size_t tk = 0; tk < L->ntasks; tk++)
            release_job(&L->jobs[L->tasks[tk]]);
    return rc;
}

/* ---- dependency order ----------------------------------------------------------- */

static int cmp_edge(const void *a, const void *b)
{
    const lh_load_edge *x = a, *y = b;
    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    return (int)y->hard - (int)x->hard;
}

/* The first package with import path ip (pkgs are sorted), or SIZE_MAX. */
static size_t find_pkg(const loader *L, const char *ip)
{
    size_t lo = 0, hi = L->npkgs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(L->pkgs[mid].import_path, ip) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < L->npkgs && strcmp(L->pkgs[lo].import_path, ip) == 0 ? lo : SIZE_MAX;
}

/* Each package's imports among the selected packages: sorted by target,
 * one edge per target, hard when any hard import names it. */
static lh_load_edge *import_edges(const loader *L, size_t *off)
{
    size_t cap = 1024, ne = 0;
    lh_load_edge *e = malloc(sizeof *e * cap);
    if (!e)
        abort();
    for (size_t i = 0; i < L->npkgs; i++) {
        off[i] = ne;
        const lh_load_package *p = &L->pkgs[i];
        for (size_t k = 0; k < p->nfiles; k++) {
            const job *j = &L->jobs[L->px[i].fjob[k]];
            for (size_t m = 0; m < j->nimports; m++) {
                size_t to = find_pkg(L, j->imports[m]);
                if (to == SIZE_MAX || to == i)
                    continue;
                if (ne == cap) {
                    cap *= 2;
                    e = realloc(e, sizeof *e * cap);
                    if (!e)
                        abort();
                }
                e[ne++] = (lh_load_edge){to, p->files[k].kind == LH_LOAD_GO ||
                                         p->files[k].kind == LH_LOAD_CGO};
            }
        }
        qsort(e + off[i], ne - off[i], sizeof *e, cmp_edge);
        size_t w = off[i];
        for (size_t r = off[i]; r < ne; r++)
            if (w == off[i] || e[w - 1].to != e[r].to)
                e[w++] = e[r];
        ne = w;
    }
    off[L->npkgs] = ne;
    return e;
}

/* The order of lh_load_each: indices into L->pkgs; edges and their
 * offsets stay in *e, off for the parallel walk. */
static size_t *dep_order(const loader *L, size_t **off, lh_load_edge **e)
{
    *off = malloc(sizeof **off * (L->npkgs + 1));
    if (!*off)
        abort();
    *e = import_edges(L, *off);
    return lh_load_order(L->npkgs, *off, *e);
}

/* One package waiting for another: positions in the order. */
typedef struct wait_pair {
    size_t on, by;
} wait_pair;

typedef struct pair_list {
    wait_pair *v;
    size_t n, cap;
} pair_list;

/* Adds "by waits for every package of path ip before it". */
static void wait_for_path(const loader *L, const size_t *pos_of, size_t by, const char *ip,
                          size_t iplen, pair_list *pl)
{
    size_t lo = 0, hi = L->npkgs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strncmp(L->pkgs[mid].import_path, ip, iplen) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t u = lo; u < L->npkgs && strncmp(L->pkgs[u].import_path, ip, iplen) == 0 &&
                        L->pkgs[u].import_path[iplen] == '\0';
         u++) {
        if (pos_of[u] >= by)
            continue;
        if (pl->n == pl->cap) {
            pl->cap = pl->cap ? 2 * pl->cap : 1024;
            pl->v = realloc(pl->v, sizeof *pl->v * pl->cap);
            if (!pl->v)
                abort();
        }
        pl->v[pl->n++] = (wait_pair){pos_of[u], by};
    }
}

static int cmp_pair(const void *a, const void *b)
{
    const wait_pair *x = a, *y = b;
    if (x->by != y->by)
        return x->by < y->by ? -1 : 1;
    return x->on < y->on ? -1 : x->on > y->on;
}

/* Counts then fills a CSR array: for each key position, the other end of
 * its pairs. */
static void csr(const pair_list *pl, size_t n, bool by_on, size_t **off, size_t **to)
{
    *off = calloc(n + 2, sizeof **off);
    *to = malloc(sizeof **to * (pl->n + 1));
    size_t *fill = calloc(n + 1, sizeof *fill);
    if (!*off || !*to || !fill)
        abort();
    for (size_t k = 0; k < pl->n; k++)
        (*off)[(by_on ? pl->v[k].on : pl->v[k].by) + 1]++;
    for (size_t pos = 0; pos < n; pos++)
        (*off)[pos + 1] += (*off)[pos];
    for (size_t k = 0; k < pl->n; k++) {
        size_t key = by_on ? pl->v[k].on : pl->v[k].by;
        (*to)[(*off)[key] + fill[key]++] = by_on ? pl->v[k].by : pl->v[k].on;
    }
    free(fill);
}

/* What the parallel walk waits for: a package, for the packages before it
 * that it may see in the world that work builds -- exactly those that
 * one-at-a-time would have analysed before it. By import path, since
 * lookups go by path: every package of each path it imports (Go and test
 * files), should several directories share one; every earlier package of
 * its own path (its external tests look their package up by path, and
 * find an earlier one when it has no library files); and for an import
 * of "Y_test", the packages of Y, whose external tests go by that name.
 * The same pairs say who may read what a package's work left behind,
 * for lh_load_parallel's release. */
static void parallel_deps(loader *L, const size_t *order, const size_t *off,
                          const lh_load_edge *e)
{
    size_t n = L->npkgs;
    size_t *pos_of = malloc(sizeof *pos_of * (n + 1));
    L->deps_left = calloc(n + 1, sizeof *L->deps_left);
    L->state = calloc(n + 1, 1);
    L->result = calloc(n + 1, sizeof *L->result);
    L->readers_left = calloc(n + 1, sizeof *L->readers_left);
    L->handed = calloc(n + 1, 1);
    if (!pos_of || !L->deps_left || !L->state || !L->result || !L->readers_left || !L->handed)
        abort();
    for (size_t pos = 0; pos < n; pos++)
        pos_of[order[pos]] = pos;
    pair_list pl = {0};
    for (size_t i = 0; i < n; i++) {
        const lh_load_package *p = &L->pkgs[i];
        for (size_t k = off[i]; k < off[i + 1]; k++) {
            const char *ip = L->pkgs[e[k].to].import_path;
            wait_for_path(L, pos_of, pos_of[i], ip, strlen(ip), &pl);
        }
        wait_for_path(L, pos_of, pos_of[i], p->import_path, strlen(p->import_path), &pl);
        for (size_t k = 0; k < p->nfiles; k++) {
            const job *j = &L->jobs[L->px[i].fjob[k]];
            for (size_t m = 0; m < j->nimports; m++) {
                size_t len = strlen(j->imports[m]);
                if (len > 5 && strcmp(j->imports[m] + len - 5, "_test") == 0)
                    wait_for_path(L, pos_of, pos_of[i], j->imports[m], len - 5, &pl);
            }
        }
    }
    /* One pair per two packages, however many imports say it. */
    if (pl.n)
        qsort(pl.v, pl.n, sizeof *pl.v, cmp_pair);
    size_t u = 0;
    for (size_t k = 0; k < pl.n; k++)
        if (u == 0 || pl.v[u - 1].on != pl.v[k].on || pl.v[u - 1].by != pl.v[k].by)
            pl.v[u++] = pl.v[k];
    pl.n = u;
    csr(&pl, n, true, &L->dep_off, &L->dep_to);
    csr(&pl, n, false, &L->wait_off, &L->wait_on);
    for (size_t pos = 0; pos < n; pos++) {
        L->deps_left[pos] = L->wait_off[pos + 1] - L->wait_off[pos];
        L->readers_left[pos] = L->dep_off[pos + 1] - L->dep_off[pos];
    }
    free(pl.v);
    free(pos_of);
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
/* go/build's classification of one directory's files; false when the
 * directory is no package (no Go or test files for the target). The files'
 * trees come later (run_walk); x records which job each file is. */
static bool build_package(loader *L, const cand *c, lh_load_package *p, pkgx *x)
{
    const lh_load_config *cfg = L->cfg;
    memset(p, 0, sizeof *p);
    memset(x, 0, sizeof *x);
    p->dir = c->abs;
    p->name = "";
    const char *first = NULL;
    size_t ngo_all = 0;     /* Go and test files, tests counted always */
    bool invalid = false;
    lh_load_file *files = LH_NEWN(&L->meta, lh_load_file, c->n ? c->n : 1);
    x->fjob = LH_NEWN(&L->meta, size_t, c->n ? c->n : 1);
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
            x->fjob[p->nfiles] = c->first + k;
            x->bytes += j->size;
            lh_load_file *f = &files[p->nfiles++];
            f->path = j->path;
            f->name = j->name;
            f->kind = (lh_load_kind)kind;
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

typedef struct pkg_pair {
    lh_load_package p;
    pkgx x;
} pkg_pair;

static int cmp_pkg(const void *a, const void *b)
{
    const lh_load_package *x = &((const pkg_pair *)a)->p, *y = &((const pkg_pair *)b)->p;
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

typedef struct work_ctx {
    loader *L;
    const char *dir;        /* go.work's directory */
} work_ctx;

static void work_use(void *ctx, const char *dir)
{
    work_ctx *w = ctx;
    loader *L = w->L;
    char *abs = dir[0] == '/' ? clean_path(&L->meta, dir)
                              : clean_path(&L->meta, join(&L->meta, w->dir, dir));
    struct stat st;
    if (stat(abs, &st) != 0)
        return;     /* the go command reports it when a package needs it */
    if ((L->nws & (L->nws - 1)) == 0) {
        L->ws = realloc(L->ws, (L->nws ? 2 * L->nws : 1) * sizeof *L->ws);
        if (!L->ws)
            abort();
    }
    L->ws[L->nws++] = (struct modid){st.st_dev, st.st_ino};
}

/* The modules of the go.work the go command would use here, if any: a
 * walk goes into those of them that are nested below its root. */
static void read_workspace(loader *L)
{
    char cwd[PATH_MAX], path[PATH_MAX + 16];
    if (!abs_path(&L->meta, ".", cwd, sizeof cwd) ||
        !lh_gowork_find(cwd, L->cfg->gowork, path, sizeof path))
        return;
    char *src, err[256];
    size_t len;
    if (lh_read_file(path, 1 << 24, &src, &len, err, sizeof err) != 0)
        return;
    char *slash = strrchr(path, '/');
    *slash = '\0';
    work_ctx w = {L, path[0] ? path : "/"};
    lh_gowork_uses(src, len, work_use, &w);
    free(src);
}

static loader *new_loader(const lh_load_config *cfg, lh_buf *diag, bool stream)
{
    loader *L = calloc(1, sizeof *L);
    if (!L)
        abort();
    L->cfg = cfg;
    L->diag = diag;
    L->stream = stream;
    lh_arena_init(&L->meta);
    for (int i = 0; i < MAX_JOBS; i++)
        lh_arena_init(&L->worker_arena[i]);
    L->build = cfg->build;
    if (L->build.release <= 0)
        L->build.release = main_release(L);
    read_workspace(L);
    return L;
}

static void free_loader(loader *L)
{
    for (size_t i = 0; i < L->njobs; i++) {
        free(L->jobs[i].src);
        lh_arena_free(&L->jobs[i].arena);
    }
    for (int i = 0; i < MAX_JOBS; i++)
        lh_arena_free(&L->worker_arena[i]);
    lh_arena_free(&L->meta);
    free(L->ws);
    free(L->nested);
    free(L->cands);
    free(L->jobs);
    free(L->tasks);
    free(L->task_pos);
    free(L->remaining);
    free(L->deps_left);
    free(L->dep_off);
    free(L->dep_to);
    free(L->wait_off);
    free(L->wait_on);
    free(L->readers_left);
    free(L->handed);
    free(L->state);
    free(L->result);
    free(L);
}

/* Why a file named on the command line cannot be a Go file, or NULL when
 * it may be one: the name (the go command takes only .go files), or a NUL
 * byte in its first block (a binary; Go source never holds one). */
static const char *not_go_source(const char *path)
{
    if (!has_suffix(path, ".go"))
        return "not a Go file (a .go file or a package directory is expected)";
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno_text(errno);
    char block[8192];
    size_t n = fread(block, 1, sizeof block, f);
    fclose(f);
    if (memchr(block, '\0', n))
        return "a binary file, not Go source (it holds NUL bytes)";
    return NULL;
}

/* Everything before parsing, shared by both entry points: patterns ->
 * directories -> files, their headers read on the pool, classified into
 * L->pkgs (import path order). False on a fatal error (the packages found
 * so far are still there, as lh_load_packages has always returned them). */
static bool list_packages(loader *L, char *const *patterns, size_t npatterns)
{
    char berr[256];
    if (lh_build_check(&L->build, berr, sizeof berr) != 0) {
        diagf(L, "%s (acting as go1.%d)", berr, L->build.release);
        return false;
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
        if (stat(pat, &st) != 0) {
            diagf(L, "%s: %s", pat, errno_text(errno));
            L->fatal = true;
            break;
        }
        if (!S_ISDIR(st.st_mode)) {
            const char *why = not_go_source(pat);
            if (why) {
                diagf(L, "%s: %s", pat, why);
                L->fatal = true;
                break;
            }
            gofiles[ngofiles++] = (char *)pat;
            continue;
        }
        char abs[PATH_MAX];
        if (!abs_path(&L->meta, pat, abs, sizeof abs)) {
            diagf(L, "%s: %s", pat, errno_text(errno));
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
        return false;

    list_files(L);

    pkg_pair *pp = calloc(L->ncands + 1, sizeof *pp);
    if (!pp)
        abort();
    size_t n = 0;
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
        if (!build_package(L, c, &pp[n].p, &pp[n].x))
            continue;
        pp[n].p.import_path = ip;
        seen |= L->cands[i].patterns;
        if (pp[n].p.error)
            L->nerrors++;
        n++;
    }
    /* Before "matched no packages": it may be why. */
    if (L->nnested == 1 && !L->fatal)
        diagf(L, "note: 1 nested module left out: %s has a go.mod of its own, and the go "
                 "command leaves such modules out; --all-modules takes it in, as would a "
                 "go.work that uses it", L->first_nested);
    else if (L->nnested > 1 && !L->fatal)
        diagf(L, "note: %zu nested modules left out: %s and others have a go.mod of their own, "
                 "and the go command leaves such modules out; --all-modules takes them in, as "
                 "would a go.work that uses them", L->nnested, L->first_nested);
    for (size_t i = 0; i < npatterns && i < 64; i++)
        if (strstr(patterns[i], "...") && !(seen & ((uint64_t)1 << i)) && !L->fatal)
            unmatched(L, patterns[i]);
    qsort(pp, n, sizeof *pp, cmp_pkg);
    L->pkgs = LH_NEWN(&L->meta, lh_load_package, n ? n : 1);
    L->px = LH_NEWN(&L->meta, pkgx, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        L->pkgs[i] = pp[i].p;
        L->pkgs[i].index = i;
        L->px[i] = pp[i].x;
    }
    L->npkgs = n;
    free(pp);
    return !L->fatal;
}

int lh_load_packages(const lh_load_config *cfg, char *const *patterns, size_t npatterns,
                     lh_load_result *out, lh_buf *diag)
{
    memset(out, 0, sizeof *out);
    loader *L = new_loader(cfg, diag, false);
    out->priv = L;
    out->release = L->build.release;
    bool ok = list_packages(L, patterns, npatterns);
    /* Even after a fatal error the packages found are parsed: callers
     * have always been handed them. */
    size_t *order = malloc(sizeof *order * (L->npkgs + 1));
    if (!order)
        abort();
    for (size_t i = 0; i < L->npkgs; i++)
        order[i] = i;
    lh_load_stats st = {0};
    run_walk(L, order, NULL, &st);
    free(order);
    for (size_t i = 0; i < L->npkgs; i++)
        hand_over(L, &L->pkgs[i], &L->px[i], &st);
    out->pkgs = L->pkgs;
    out->npkgs = L->npkgs;
    out->nfiles_parsed = st.nfiles_parsed;
    out->nsyntax = st.nsyntax;
    out->nerrors = L->nerrors;
    return ok && !L->fatal ? 0 : -1;
}

void lh_load_free(lh_load_result *r)
{
    if (r->priv)
        free_loader(r->priv);
    memset(r, 0, sizeof *r);
}

static int each(const lh_load_config *cfg, char *const *patterns, size_t npatterns,
                const lh_load_parallel *par, const walk_fns *fns, lh_buf *diag,
                lh_load_stats *stats)
{
    lh_load_stats dummy;
    lh_load_stats *st = stats ? stats : &dummy;
    memset(st, 0, sizeof *st);
    loader *L = new_loader(cfg, diag, true);
    st->release = L->build.release;
    int rc = -1;
    if (list_packages(L, patterns, npatterns)) {
        st->npkgs = L->npkgs;
        st->nerrors = L->nerrors;
        size_t *off;
        lh_load_edge *e;
        size_t *order = dep_order(L, &off, &e);
        if (par) {
            L->work_fn = par->work;
            L->work_ctx = fns->ctx;
            parallel_deps(L, order, off, e);
            if (par->listed)
                par->listed(L->pkgs, L->npkgs, fns->ctx);
        }
        free(off);
        free(e);
        rc = run_walk(L, order, fns, st);
        free(order);
    }
    free_loader(L);
    return rc;
}

int lh_load_each(const lh_load_config *cfg, char *const *patterns, size_t npatterns,
                 lh_load_visit_fn visit, void *ctx, lh_buf *diag, lh_load_stats *stats)
{
    walk_fns fns = {.visit = visit, .ctx = ctx};
    return each(cfg, patterns, npatterns, NULL, &fns, diag, stats);
}

int lh_load_each_parallel(const lh_load_config *cfg, char *const *patterns, size_t npatterns,
                          const lh_load_parallel *par, lh_buf *diag, lh_load_stats *stats)
{
    walk_fns fns = {.done = par->done, .discard = par->discard, .release = par->release,
                    .ctx = par->ctx};
    return each(cfg, patterns, npatterns, par, &fns, diag, stats);
}
