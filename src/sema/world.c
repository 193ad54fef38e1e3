/* The world: the universe scope, the standard-library stubs (parsed on first
 * import) and every package analysed so far, by import path. */
#include <stdlib.h>
#include <string.h>

#include "go/parse.h"
#include "sema/sema.h"
#include "util/ptrmap.h"

typedef struct world_entry {
    const char *path;
    lh_sema_pkg *pkg;
} world_entry;

struct lh_sema_world {
    lh_arena arena;             /* universe, stub trees, names */
    lh_scope *universe;
    const lh_type *error_type;
    world_entry *pkgs;          /* open addressing on the path's hash */
    size_t npkgs, cap;
    lh_sema_pkg **retired;      /* replaced by a package of the same path
                                 * (a stub by the real one when std itself is
                                 * scanned): still referenced, freed last */
    size_t nretired;
    bool stubs_failed;          /* a stub did not parse: a bug, reported once */
};

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void world_put(lh_sema_world *w, lh_sema_pkg *p)
{
    if (2 * (w->npkgs + 1) > w->cap) {
        size_t ncap = w->cap ? w->cap * 2 : 256;
        world_entry *nv = calloc(ncap, sizeof *nv);
        if (!nv)
            abort();
        for (size_t i = 0; i < w->cap; i++)
            if (w->pkgs[i].path) {
                size_t j = hash_str(w->pkgs[i].path) & (ncap - 1);
                while (nv[j].path)
                    j = (j + 1) & (ncap - 1);
                nv[j] = w->pkgs[i];
            }
        free(w->pkgs);
        w->pkgs = nv;
        w->cap = ncap;
    }
    size_t j = hash_str(p->path) & (w->cap - 1);
    while (w->pkgs[j].path && strcmp(w->pkgs[j].path, p->path) != 0)
        j = (j + 1) & (w->cap - 1);
    if (!w->pkgs[j].path) {
        w->npkgs++;
    } else if (w->pkgs[j].pkg != p) {
        w->retired = realloc(w->retired, (w->nretired + 1) * sizeof *w->retired);
        if (!w->retired)
            abort();
        w->retired[w->nretired++] = w->pkgs[j].pkg;
    }
    w->pkgs[j] = (world_entry){p->path, p};
}

static lh_sema_pkg *world_get(const lh_sema_world *w, const char *path)
{
    if (w->cap == 0)
        return NULL;
    size_t j = hash_str(path) & (w->cap - 1);
    while (w->pkgs[j].path) {
        if (strcmp(w->pkgs[j].path, path) == 0)
            return w->pkgs[j].pkg;
        j = (j + 1) & (w->cap - 1);
    }
    return NULL;
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

lh_sema_world *lh_sema_world_new(void)
{
    lh_sema_world *w = calloc(1, sizeof *w);
    if (!w)
        abort();
    lh_arena_init(&w->arena);
    make_universe(w);
    return w;
}

static void pkg_free(lh_sema_pkg *p)
{
    lh_ptrmap_free(&p->uses);
    lh_ptrmap_free(&p->types);
    lh_ptrmap_free(&p->file_of);
    lh_arena_free(&p->arena);
    free(p->files);
    free(p->lfiles);
    free(p);
}

void lh_sema_world_free(lh_sema_world *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->cap; i++)
        if (w->pkgs[i].path)
            pkg_free(w->pkgs[i].pkg);
    for (size_t i = 0; i < w->nretired; i++)
        pkg_free(w->retired[i]);
    free(w->retired);
    free(w->pkgs);
    lh_arena_free(&w->arena);
    free(w);
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

/* A stub package, parsed and resolved on first use. Stub sources are
 * constants of this program: a syntax error in one is our bug, so the
 * package is treated as unknown rather than trusted half-parsed. */
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
        if (errs.len > 0) {
            w->stubs_failed = true;
            return p;
        }
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

lh_sema_pkg *lh_sema_world_pkg(const lh_sema_world *w, const char *path)
{
    lh_sema_pkg *p = world_get(w, path);
    if (p)
        return p;
    return load_stub((lh_sema_world *)w, path);
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
                    const lh_basic_lit *path =
                        LH_AS(LH_AS(f->imports.v[ii], lh_import_spec)->path, lh_basic_lit);
                    if (path->value.len < 2)
                        continue;
                    long d = find_pkg(sorted, n, path->value.p + 1, path->value.len - 2);
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

void lh_sema_world_rekey(lh_sema_world *w, lh_sema_pkg *p)
{
    /* The entry's key is the package's own path string, which moved. */
    for (size_t i = 0; i < w->cap; i++)
        if (w->pkgs[i].pkg == p)
            w->pkgs[i].path = p->path;
}
