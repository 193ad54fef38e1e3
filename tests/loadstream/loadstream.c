/* Loads packages with lh_load_each (--stream, the default) or
 * lh_load_packages (--whole) and prints what was loaded and the process's
 * peak RSS, so tests/t_load_stream.sh can compare the two on one tree:
 *
 *   lh_loadstream [--whole] [--tests] [-j N] [--ahead BYTES] PATTERN...
 *   lh_loadstream --sanitized    prints 1 when built with AddressSanitizer
 *                                (whose quarantine and shadow make RSS moot)
 *   mode=stream pkgs=2000 files=10000 bytes=104857600 syntax=0 decls=... order=<hash> maxrss_kb=...
 *
 * The stream runs on a deep-stack thread (lh_parse_run_deep), where scan's
 * analysis runs, and its visit touches every tree (counts the top-level
 * declarations) as an analysis would. order is a hash of the visit order
 * (import paths), equal across runs and -j values when the order is
 * deterministic; --whole prints the hash of import path order.
 * late_go=N counts the packages' imports (from the trees, one per package
 * and path) of a selected package visited after the importer by Go or cgo
 * files, which lh_load_each never allows in code that builds; late_test=N
 * of those only test files import (of test_imports=N in all), which it
 * allows where tests' imports form cycles. LH_LOADSTREAM_SHOW=1 lists them. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "go/parse.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif
#include "load/load.h"

typedef struct imp {
    size_t from;            /* visit position of the importer */
    char *path;
    bool test;              /* imported by test files only */
} imp;

typedef struct run {
    lh_load_config cfg;
    char **pats;
    size_t npats;
    bool whole;
    int rc;
    lh_buf diag;
    lh_load_stats st;
    size_t decls;
    uint64_t order;         /* FNV-1a over the import paths visited */
    char **visited;         /* import paths in visit order */
    size_t nvisited, capvisited;
    imp *imps;
    size_t nimps, capimps;
} run;

static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return v;
    *cap = *cap ? 2 * *cap : 1024;
    v = realloc(v, *cap * size);
    if (!v)
        abort();
    return v;
}

static void hash_str(uint64_t *h, const char *s)
{
    for (; *s; s++)
        *h = (*h ^ (unsigned char)*s) * 1099511628211u;
    *h = (*h ^ '\n') * 1099511628211u;
}

static void count(run *r, const lh_load_package *p)
{
    hash_str(&r->order, p->import_path);
    r->visited = grow(r->visited, &r->capvisited, r->nvisited, sizeof *r->visited);
    r->visited[r->nvisited++] = strdup(p->import_path);
    for (size_t k = 0; k < p->nfiles; k++) {
        const lh_file *f = p->files[k].ast;
        if (!f)
            continue;
        r->decls += f->decls.n;
        for (uint32_t i = 0; i < f->imports.n; i++) {
            const lh_basic_lit *lit =
                LH_AS(LH_AS(f->imports.v[i], lh_import_spec)->path, lh_basic_lit);
            if (lit->value.len < 2)
                continue;
            r->imps = grow(r->imps, &r->capimps, r->nimps, sizeof *r->imps);
            r->imps[r->nimps++] = (imp){r->nvisited - 1,
                                        strndup(lit->value.p + 1, lit->value.len - 2),
                                        p->files[k].kind == LH_LOAD_TEST ||
                                            p->files[k].kind == LH_LOAD_XTEST};
        }
    }
}

typedef struct pos_of {
    const char *path;
    size_t pos;
} pos_of;

static int cmp_pos(const void *a, const void *b)
{
    return strcmp(((const pos_of *)a)->path, ((const pos_of *)b)->path);
}

static int cmp_imp(const void *a, const void *b)
{
    const imp *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    int c = strcmp(x->path, y->path);
    return c ? c : (int)x->test - (int)y->test;
}

/* Imports of visited packages visited after their importer, one per
 * importer and path (a Go file's import counting over a test file's). */
static void late_imports(run *r, size_t *late_go, size_t *late_test, size_t *ntest)
{
    qsort(r->imps, r->nimps, sizeof *r->imps, cmp_imp);
    pos_of *v = malloc(sizeof *v * (r->nvisited + 1));
    for (size_t i = 0; i < r->nvisited; i++)
        v[i] = (pos_of){r->visited[i], i};
    qsort(v, r->nvisited, sizeof *v, cmp_pos);
    *late_go = *late_test = *ntest = 0;
    for (size_t i = 0; i < r->nimps; i++) {
        const imp *m = &r->imps[i];
        if (i > 0 && m->from == m[-1].from && strcmp(m->path, m[-1].path) == 0)
            continue;
        pos_of key = {m->path, 0};
        pos_of *hit = bsearch(&key, v, r->nvisited, sizeof *v, cmp_pos);
        if (!hit || hit->pos == m->from)
            continue;
        *ntest += m->test;
        if (hit->pos < m->from)
            continue;
        ++*(m->test ? late_test : late_go);
        if (getenv("LH_LOADSTREAM_SHOW"))
            fprintf(stderr, "late%s: %s imports %s\n", m->test ? " (test)" : "",
                    r->visited[m->from], m->path);
    }
    free(v);
}

static int visit(const lh_load_package *p, void *ctx)
{
    count(ctx, p);
    return 0;
}

static void go(void *arg)
{
    run *r = arg;
    r->order = 1469598103934665603u;
    if (!r->whole) {
        r->rc = lh_load_each(&r->cfg, r->pats, r->npats, visit, r, &r->diag, &r->st);
        return;
    }
    lh_load_result res;
    r->rc = lh_load_packages(&r->cfg, r->pats, r->npats, &res, &r->diag);
    for (size_t i = 0; i < res.npkgs; i++) {
        count(r, &res.pkgs[i]);
        for (size_t k = 0; k < res.pkgs[i].nfiles; k++)
            r->st.nbytes += res.pkgs[i].files[k].ast ? res.pkgs[i].files[k].len : 0;
    }
    r->st.npkgs = r->st.nvisited = res.npkgs;
    r->st.nfiles_parsed = res.nfiles_parsed;
    r->st.nsyntax = res.nsyntax;
    r->st.nerrors = res.nerrors;
    /* measured with everything still loaded, as a whole-load user holds it */
    lh_load_free(&res);
}

int main(int argc, char **argv)
{
    run r;
    memset(&r, 0, sizeof r);
    lh_load_config_default(&r.cfg);
    r.diag = (lh_buf)LH_BUF_INIT;
    r.pats = calloc((size_t)argc, sizeof *r.pats);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--sanitized") == 0) {
            printf("%d\n", SANITIZED);
            free(r.pats);
            return 0;
        } else if (strcmp(argv[i], "--whole") == 0)
            r.whole = true;
        else if (strcmp(argv[i], "--stream") == 0)
            r.whole = false;
        else if (strcmp(argv[i], "--tests") == 0)
            r.cfg.tests = true;
        else if (strcmp(argv[i], "-j") == 0 && i + 1 < argc)
            r.cfg.jobs = atoi(argv[++i]);
        else if (strncmp(argv[i], "-j", 2) == 0 && argv[i][2])
            r.cfg.jobs = atoi(argv[i] + 2);
        else if (strcmp(argv[i], "--ahead") == 0 && i + 1 < argc)
            r.cfg.ahead_bytes = strtoull(argv[++i], NULL, 10);
        else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "usage: lh_loadstream [--whole] [--tests] [-j N] [--ahead BYTES] PATTERN...\n");
            return 2;
        } else
            r.pats[r.npats++] = argv[i];
    }
    lh_parse_run_deep(go, &r);
    if (r.diag.len)
        fwrite(r.diag.data, 1, r.diag.len, stderr);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    size_t late_go, late_test, ntest;
    late_imports(&r, &late_go, &late_test, &ntest);
    printf("mode=%s pkgs=%zu visited=%zu files=%zu bytes=%zu syntax=%zu errors=%zu decls=%zu "
           "order=%016llx late_go=%zu late_test=%zu test_imports=%zu maxrss_kb=%ld\n",
           r.whole ? "whole" : "stream", r.st.npkgs, r.st.nvisited, r.st.nfiles_parsed,
           r.st.nbytes, r.st.nsyntax, r.st.nerrors, r.decls, (unsigned long long)r.order,
           late_go, late_test, ntest, ru.ru_maxrss);
    for (size_t i = 0; i < r.nvisited; i++)
        free(r.visited[i]);
    for (size_t i = 0; i < r.nimps; i++)
        free(r.imps[i].path);
    free(r.visited);
    free(r.imps);
    lh_buf_free(&r.diag);
    free(r.pats);
    return r.rc == 0 ? 0 : 1;
}
