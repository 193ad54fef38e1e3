/* The world: the universe scope, the standard-library stubs and every
 * package analysed so far, by import path.
 *
 * Packages of one scan are analysed on several threads at once (a package
 * as soon as everything it imports is frozen), so the table is read
 * without a lock while other threads add to it. Writers take the mutex;
 * an entry, once published, never changes; a grown slot array replaces
 * the old one, which stays allocated until the world goes, so a reader
 * still probing it sees a valid (older) table. Each package carries the
 * rank of its analysis in the dependency order (lh_sema_pkg.seq): a
 * lookup sees only entries ranked at or before the asker, so what a
 * package resolves to never depends on which unrelated package another
 * thread happened to register first -- the same answer as one package at
 * a time gives.
 *
 * A package may be released (lh_sema_world_release) once nobody can ask
 * for it any more: its memory goes, its entry stays with its rank, so
 * lookups by askers ranked before it pass over it as before. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "go/parse.h"
#include "sema/sema.h"
#include "util/ptrmap.h"

/* One registration of a path: newest first; older ones (a stub replaced
 * by the real package, the same path under several ranks) behind it. */
typedef struct world_entry {
    const char *path;           /* the world's own copy */
    lh_sema_pkg *pkg;           /* freed once released */
    size_t seq;
    _Atomic bool released;
    struct world_entry *older;
} world_entry;

/* Analysed packages alive in all worlds, and the most at once since the
 * last lh_sema_census_reset: what tests of releasing look at. */
static atomic_size_t census_live, census_peak;

typedef struct world_table {
    size_t cap;                 /* a power of two */
    struct world_table *prev;   /* replaced arrays, kept for late readers */
    _Atomic(world_entry *) slot[];
} world_table;

struct lh_sema_world {
    lh_arena arena;             /* universe, entries, names */
    lh_scope *universe;
    const lh_type *error_type;
    _Atomic(world_table *) table;   /* open addressing on the path's hash */
    size_t npaths;
    pthread_mutex_t mu;         /* writers */
    bool sealed;                /* the stubs are all loaded and computed */
};

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static world_table *table_new(size_t cap)
{
    world_table *t = calloc(1, sizeof *t + cap * sizeof t->slot[0]);
    if (!t)
        abort();
    t->cap = cap;
    return t;
}

/* The slot of path in t: its entry chain, or the empty slot it would take. */
static size_t find_slot(const world_table *t, const char *path)
{
    size_t j = hash_str(path) & (t->cap - 1);
    for (;;) {
        world_entry *e = atomic_load_explicit(&((world_table *)t)->slot[j], memory_order_acquire);
        if (!e || strcmp(e->path, path) == 0)
            return j;
        j = (j + 1) & (t->cap - 1);
    }
}

/* Registers p under its path at its rank. Under w->mu. */
static void world_put_locked(lh_sema_world *w, lh_sema_pkg *p)
{
    world_table *t = atomic_load_explicit(&w->table, memory_order_relaxed);
    if (2 * (w->npaths + 1) > t->cap) {
        world_table *nt = table_new(t->cap * 2);
        for (size_t i = 0; i < t->cap; i++) {
            world_entry *e = atomic_load_explicit(&t->slot[i], memory_order_relaxed);
            if (e)
                atomic_store_explicit(&nt->slot[find_slot(nt, e->path)], e,
                                      memory_order_relaxed);
        }
        nt->prev = t;
        atomic_store_explicit(&w->table, nt, memory_order_release);
        t = nt;
    }
    size_t j = find_slot(t, p->path);
    world_entry *e = LH_NEW(&w->arena, world_entry);
    e->older = atomic_load_explicit(&t->slot[j], memory_order_relaxed);
    e->path = e->older ? e->older->path : lh_arena_strdup(&w->arena, p->path);
    e->pkg = p;
    e->seq = p->seq;
    atomic_init(&e->released, false);
    if (!e->older)
        w->npaths++;
    if (!p->stub) {
        size_t live = atomic_fetch_add(&census_live, 1) + 1;
        size_t peak = atomic_load(&census_peak);
        while (live > peak && !atomic_compare_exchange_weak(&census_peak, &peak, live))
            ;
    }
    atomic_store_explicit(&t->slot[j], e, memory_order_release);
}

static void world_put(lh_sema_world *w, lh_sema_pkg *p)
{
    pthread_mutex_lock(&w->mu);
    world_put_locked(w, p);
    pthread_mutex_unlock(&w->mu);
}

/* The package registered under path with the highest rank <= seq (the
 * newest of equal ranks), NULL when none. Lock-free. */
static lh_sema_pkg *world_get(const lh_sema_world *w, const char *path, size_t seq)
{
    world_table *t = atomic_load_explicit(&((lh_sema_world *)w)->table, memory_order_acquire);
    world_entry *e = atomic_load_explicit(&t->slot[find_slot(t, path)], memory_order_acquire);
    world_entry *best = NULL;
    for (; e; e = e->older)
        if (e->seq <= seq && (!best || e->seq > best->seq))
            best = e;
    /* Whoever may still ask has kept it (lh_load_parallel's release): an
     * answer from freed memory would be a wrong one, so stop here. */
    if (best && atomic_load_explicit(&best->released, memory_order_relaxed)) {
        fprintf(stderr, "leakhound: internal error: package %s asked for after its release\n",
                path);
        abort();
    }
    return best ? best->pkg : NULL;
}

/* ---- universe --------------------------------------------------------- */

static lh_obj *uni_obj(lh_sema_world *w, lh_obj_kind k, const char *name)
{
    lh_obj *o = LH_NEW(&w->arena, lh_obj);
    o->kind = (uint8_t)k;
    o->name = (lh_str){name, (uint32_t)strlen(name)};
    o->type_done = true;
    lh_scope_insert(&w->arena, w->universe, o);
    return o;
}

static const char *const basic_names[] = {
    "bool", "byte", "complex64", "complex128", "float32", "float64", "int", "int8",
    "int16", "int32", "int64", "rune", "string", "uint", "uint8", "uint16", "uint32",
    "uint64", "uintptr", NULL,
};

static const char *const builtin_names[] = {
    "append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make",
    "max", "min", "new", "panic", "print", "println", "real", "recover", NULL,
};

static void make_universe(lh_sema_world *w)
{
    lh_arena *a = &w->arena;
    w->universe = lh_scope_new(a, NULL);
    for (size_t i = 0; basic_names[i]; i++) {
        lh_obj *o = uni_obj(w, LH_OBJ_TYPE, basic_names[i]);
        o->named = lh_type_basic(basic_names[i]);
    }
    for (size_t i = 0; builtin_names[i]; i++)
        uni_obj(w, LH_OBJ_BUILTIN, builtin_names[i]);
    lh_obj *t = uni_obj(w, LH_OBJ_CONST, "true");
    lh_obj *f = uni_obj(w, LH_OBJ_CONST, "false");
    t->type = f->type = lh_type_basic("bool");
    lh_obj *iota = uni_obj(w, LH_OBJ_CONST, "iota");
    iota->type = lh_type_basic("int");
    uni_obj(w, LH_OBJ_NIL, "nil");

    /* any and comparable are interfaces; error is a named interface with
     * Error() string. */
    lh_type *empty = (lh_type *)lh_type_new(a, LH_T_INTERFACE);
    uni_obj(w, LH_OBJ_TYPE, "any")->named = empty;
    uni_obj(w, LH_OBJ_TYPE, "comparable")->named = empty;
    lh_obj *err = uni_obj(w, LH_OBJ_TYPE, "error");
    lh_type *named = (lh_type *)lh_type_new(a, LH_T_NAMED);
    named->obj = err;
    err->named = named;
    w->error_type = named;
}

lh_scope *lh_sema_universe(lh_sema_world *w)
{
    return w->universe;
}

const lh_type *lh_type_error(lh_sema_world *w)
{
    return w->error_type;
}

static lh_sema_pkg *load_stub(lh_sema_world *w, const char *path);

lh_sema_world *lh_sema_world_new(void)
{
    lh_sema_world *w = calloc(1, sizeof *w);
    if (!w)
        abort();
    lh_arena_init(&w->arena);
    pthread_mutex_init(&w->mu, NULL);
    atomic_init(&w->table, table_new(256));
    make_universe(w);
    /* Every stub now, all computed: packages analysed side by side then
     * only read them, and a stub's imports bind to the other stubs
     * whatever was analysed before its first use. */
    for (size_t i = 0; lh_stdlib_stubs[i].path; i++)
        if (!world_get(w, lh_stdlib_stubs[i].path, 0))
            load_stub(w, lh_stdlib_stubs[i].path);
    for (size_t i = 0; lh_stdlib_stubs[i].path; i++)
        lh_sema_seal_stub(world_get(w, lh_stdlib_stubs[i].path, 0));
    w->sealed = true;
    return w;
}

static void pkg_free(lh_sema_pkg *p)
{
    if (!p->stub)
        atomic_fetch_sub(&census_live, 1);
    lh_ptrmap_free(&p->uses);
    lh_ptrmap_free(&p->types);
    lh_ptrmap_free(&p->file_of);
    lh_arena_free(&p->arena);
    lh_sema_free_frozen(p);
    free(p->files);
    free(p->lfiles);
    free(p);
}

void lh_sema_world_free(lh_sema_world *w)
{
    if (!w)
        return;
    world_table *t = atomic_load(&w->table);
    for (size_t i = 0; i < t->cap; i++)
        for (world_entry *e = atomic_load(&t->slot[i]); e; e = e->older)
            if (!atomic_load(&e->released))
                pkg_free(e->pkg);
    while (t) {
        world_table *prev = t->prev;
        free(t);
        t = prev;
    }
    pthread_mutex_destroy(&w->mu);
    lh_arena_free(&w->arena);
    free(w);
}

/* Frees the registrations of rank seq under path (the package) and
 * path + "_test" (its external tests, analysed in the same turn). */
void lh_sema_world_release(lh_sema_world *w, const char *path, size_t seq)
{
    size_t n = strlen(path);
    char *xpath = malloc(n + 6);
    if (!xpath)
        abort();
    memcpy(xpath, path, n);
    memcpy(xpath + n, "_test", 6);
    const char *paths[2] = {path, xpath};
    pthread_mutex_lock(&w->mu);
    world_table *t = atomic_load_explicit(&w->table, memory_order_relaxed);
    for (int k = 0; k < 2; k++)
        for (world_entry *e = atomic_load_explicit(&t->slot[find_slot(t, paths[k])],
                                                   memory_order_relaxed);
             e; e = e->older)
            if (e->seq == seq && !atomic_load(&e->released) && !e->pkg->stub) {
                atomic_store(&e->released, true);
                pkg_free(e->pkg);
            }
    pthread_mutex_unlock(&w->mu);
    free(xpath);
}

void lh_sema_census(size_t *live, size_t *peak)
{
    *live = atomic_load(&census_live);
    *peak = atomic_load(&census_peak);
}

void lh_sema_census_reset(void)
{
    atomic_store(&census_peak, atomic_load(&census_live));
}

/* ---- packages --------------------------------------------------------- */

static lh_sema_pkg *pkg_new(lh_sema_world *w, const char *path)
{
    lh_sema_pkg *p = calloc(1, sizeof *p);
    if (!p)
        abort();
    lh_arena_init(&p->arena);
    p->world = w;
    p->path = lh_arena_strdup(&p->arena, path);
    p->scope = lh_scope_new(&p->arena, w->universe);
    return p;
}

/* A stub package, parsed and resolved when the world is made. Stub
 * sources are constants of this program: a syntax error in one is our
 * bug, so the package is treated as unknown rather than trusted
 * half-parsed. */
static lh_sema_pkg *load_stub(lh_sema_world *w, const char *path)
{
    for (size_t i = 0; lh_stdlib_stubs[i].path; i++) {
        if (strcmp(lh_stdlib_stubs[i].path, path) != 0)
            continue;
        lh_sema_pkg *p = pkg_new(w, path);
        p->stub = true;
        /* Registered before resolving: stubs import each other (net/http
         * imports io), and a cycle must find the package half-built rather
         * than recurse. */
        world_put(w, p);
        lh_diag_list errs;
        lh_diag_init(&errs, &p->arena);
        const char *src = lh_stdlib_stubs[i].src;
        lh_file *f = lh_parse_file(&p->arena, path, src, strlen(src), &errs);
        if (errs.len > 0)
            return p;
        p->files = malloc(sizeof *p->files);
        p->files[0] = f;
        p->nfiles = 1;
        p->name = lh_arena_strndup(&p->arena, LH_AS(f->name, lh_ident)->name.p,
                                   LH_AS(f->name, lh_ident)->name.len);
        lh_sema_resolve(p);
        return p;
    }
    return NULL;
}

lh_sema_pkg *lh_sema_world_pkg_at(const lh_sema_world *w, const char *path, size_t seq)
{
    lh_sema_pkg *p = world_get(w, path, seq);
    /* Stubs importing stubs while the world is made; later a miss is
     * just unknown. */
    if (!p && !w->sealed)
        p = load_stub((lh_sema_world *)w, path);
    return p;
}

lh_sema_pkg *lh_sema_world_pkg(const lh_sema_world *w, const char *path)
{
    return lh_sema_world_pkg_at(w, path, SIZE_MAX);
}

static bool kind_in(lh_load_kind k, unsigned kinds)
{
    switch (k) {
    case LH_LOAD_GO:
    case LH_LOAD_CGO:
        return kinds & LH_SEMA_LIB;
    case LH_LOAD_TEST:
        return kinds & LH_SEMA_TEST;
    case LH_LOAD_XTEST:
        return kinds & LH_SEMA_XTEST;
    }
    return false;
}

lh_sema_pkg *lh_sema_analyse_files(lh_sema_world *w, const lh_load_package *lp, unsigned kinds,
                                   lh_sema_pkg *base, int go_minor)
{
    /* The external test package (package x_test) is a package of its own:
     * merging its scope with the package's would resolve names wrongly.
     * In-package tests analysed after their package (base) get a scope of
     * their own inside base's, under a path nobody imports. */
    const char *suffix = kinds == LH_SEMA_XTEST ? "_test" : base ? " [tests]" : "";
    size_t n = strlen(lp->import_path), m = strlen(suffix);
    char *path = malloc(n + m + 1);
    if (!path)
        abort();
    memcpy(path, lp->import_path, n);
    memcpy(path + n, suffix, m + 1);
    lh_sema_pkg *p = pkg_new(w, path);
    free(path);
    if (base)
        p->scope->parent = base->scope;
    p->load = lp;
    p->seq = lp->seq;
    p->go_minor = go_minor;
    p->name = lp->name;
    p->xtest = kinds == LH_SEMA_XTEST;
    p->files = malloc((lp->nfiles + 1) * sizeof *p->files);
    p->lfiles = malloc((lp->nfiles + 1) * sizeof *p->lfiles);
    for (size_t i = 0; i < lp->nfiles; i++) {
        const lh_load_file *f = &lp->files[i];
        if (!f->ast || f->errs.len > 0 || !kind_in(f->kind, kinds))
            continue;
        p->files[p->nfiles] = f->ast;
        p->lfiles[p->nfiles++] = f;
    }
    world_put(w, p);
    if (base)
        lh_sema_set_tests_overlay(p);
    lh_sema_resolve(p);
    return p;
}

lh_sema_pkg *lh_sema_analyse(lh_sema_world *w, const lh_load_package *lp, bool xtest,
                             int go_minor)
{
    return lh_sema_analyse_files(w, lp, xtest ? LH_SEMA_XTEST : LH_SEMA_LIB | LH_SEMA_TEST, NULL,
                                 go_minor);
}

/* ---- dependency order -------------------------------------------------- */

static int cmp_path(const void *a, const void *b)
{
    const lh_load_package *const *x = a, *const *y = b;
    return strcmp((*x)->import_path, (*y)->import_path);
}

/* Index of the package with import path (len n) among sorted, or -1. */
static long find_pkg(const lh_load_package **sorted, size_t n, const char *path, size_t len)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strncmp(sorted[mid]->import_path, path, len);
        if (c == 0 && sorted[mid]->import_path[len] != '\0')
            c = 1;
        if (c < 0)
            lo = mid + 1;
        else if (c > 0)
            hi = mid;
        else
            return (long)mid;
    }
    return -1;
}

size_t *lh_sema_order(const lh_load_package *pkgs, size_t n)
{
    size_t *out = malloc((n + 1) * sizeof *out);
    const lh_load_package **sorted = malloc((n + 1) * sizeof *sorted);
    uint8_t *state = calloc(n + 1, 1);
    size_t *stack = malloc((n + 1) * sizeof *stack), *next = calloc(n + 1, sizeof *next);
    if (!out || !sorted || !state || !stack || !next)
        abort();
    for (size_t i = 0; i < n; i++)
        sorted[i] = &pkgs[i];
    qsort(sorted, n, sizeof *sorted, cmp_path);
    size_t nout = 0;
    /* Iterative depth-first search over imports: next[k] walks package k's
     * files and imports as one flattened counter. */
    for (size_t root = 0; root < n; root++) {
        if (state[root])
            continue;
        size_t sp = 0;
        stack[sp++] = root;
        state[root] = 1;
        while (sp > 0) {
            size_t k = stack[sp - 1];
            const lh_load_package *p = sorted[k];
            bool pushed = false;
            size_t cnt = 0;
            for (size_t fi = 0; fi < p->nfiles && !pushed; fi++) {
                const lh_file *f = p->files[fi].ast;
                if (!f)
                    continue;
                for (uint32_t ii = 0; ii < f->imports.n; ii++, cnt++) {
                    if (cnt < next[k])
                        continue;
                    next[k] = cnt + 1;
                    lh_str ip;
                    if (!lh_ast_import_path(f->imports.v[ii], &ip))
                        continue;
                    long d = find_pkg(sorted, n, ip.p, ip.len);
                    if (d >= 0 && state[d] == 0) {
                        state[d] = 1;
                        stack[sp++] = (size_t)d;
                        pushed = true;
                        break;
                    }
                }
            }
            if (!pushed) {
                state[k] = 2;
                out[nout++] = (size_t)(sorted[k] - pkgs);
                sp--;
            }
        }
    }
    free(sorted);
    free(state);
    free(stack);
    free(next);
    return out;
}
