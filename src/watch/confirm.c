/* confirm: runtime suspects meet static findings.
 *
 * The two halves name code differently. A profile names a symbol with its
 * package path and any closures ("example.com/m/pkg.(*T).M.func1") and an
 * absolute file of the machine that built it; scan names the declared
 * function ("(*T).M") and the file as it was given. So symbols are cut to
 * the declared function, and files are compared by their tail: the
 * finding's path below the scanned directory must end the profile's. */
#include "watch/confirm.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

/* Whether s ends with ".N" or ".funcN" or ".gowrapN" (closures, and the
 * wrappers `go f(x)` and `defer f(x)` make), or "-rangeN" (a range-over-
 * func body); returns the length without it, or 0. */
static size_t closure_suffix(const char *s, size_t n)
{
    size_t d = n;
    while (d > 0 && isdigit((unsigned char)s[d - 1]))
        d--;
    if (d == n || d == 0)
        return 0;
    static const char *const kinds[] = {".func", ".gowrap", "-range", "."};
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        size_t l = strlen(kinds[k]);
        if (d >= l && memcmp(s + d - l, kinds[k], l) == 0)
            return d - l;
    }
    return 0;
}

const char *lh_watch_declared_func(const char *symbol, lh_arena *a)
{
    /* The package path ends at the last '/', the package name at the
     * first '.' after it. */
    const char *slash = strrchr(symbol, '/');
    const char *dot = strchr(slash ? slash : symbol, '.');
    const char *s = dot ? dot + 1 : symbol;
    size_t n = strlen(s), m;
    /* Instantiated generics print as F[...]. */
    char *out = lh_arena_alloc(a, n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(s + i, "[...]", 5) == 0) {
            i += 4;
            continue;
        }
        out[k++] = s[i];
    }
    out[k] = 0;
    while ((m = closure_suffix(out, k)) > 0)
        out[k = m] = 0;
    return out;
}

/* The finding's file below the scanned directory ("pkg/x.go"), or as given
 * when it lies elsewhere. */
static const char *below(const char *file, const char *dir)
{
    size_t n = dir ? strlen(dir) : 0;
    while (n > 1 && dir[n - 1] == '/')
        n--;
    if (n && strncmp(file, dir, n) == 0 && file[n] == '/')
        return file + n + 1;
    while (strncmp(file, "./", 2) == 0)
        file += 2;
    return file;
}

/* Whether path ends with tail at a path-component boundary. */
static bool ends_with_path(const char *path, const char *tail)
{
    size_t p = strlen(path), t = strlen(tail);
    return t > 0 && p >= t && strcmp(path + p - t, tail) == 0 && (p == t || path[p - t - 1] == '/');
}

static size_t dir_len(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? (size_t)(s - path) : 0;
}

/* Whether a package-level finding's message names fn as the function
 * that grows it: unbounded-cache says "only grows: NAME adds to it (line
 * N)" (or appends to / stores into), NAME being the bare function or
 * method name. A function mentioned any other way ("evict entries") is
 * not the one that grows it. */
static bool names_grower(const char *message, const char *declared)
{
    const char *name = strrchr(declared, '.');
    name = name ? name + 1 : declared;
    size_t n = strlen(name);
    if (!n)
        return false;
    static const char *const verbs[] = {" adds to it", " appends to it", " stores into it"};
    for (const char *p = strstr(message, name); p; p = strstr(p + 1, name)) {
        if (p > message && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
            continue;
        for (size_t v = 0; v < sizeof verbs / sizeof *verbs; v++)
            if (strncmp(p + n, verbs[v], strlen(verbs[v])) == 0)
                return true;
    }
    return false;
}

/* How well finding f matches a user frame: 3 on its line, 2 in its
 * function, 1 a package-level finding naming the function; 0 not at all. */
static int score(const lh_finding *f, const char *tail, const char *file, const char *declared,
                 int64_t line)
{
    const char *ffn = f->function ? f->function : "";
    if (ends_with_path(file, tail)) {
        if ((int64_t)f->line == line)
            return 3;
        if (ffn[0] && strcmp(ffn, declared) == 0)
            return 2;
    }
    if (!ffn[0]) {
        /* Same directory: the package's own declaration. */
        size_t td = dir_len(tail), fd = dir_len(file);
        bool same_dir = fd >= td && (td == 0 || (strncmp(file + fd - td, tail, td) == 0 &&
                                                 (fd == td || file[fd - td - 1] == '/')));
        if (same_dir && names_grower(f->message ? f->message : "", declared))
            return 1;
    }
    return 0;
}

/* scan's messages say what is wrong, then, after the last "; ", what to
 * do. */
static const char *fix_of(const lh_finding *f, lh_arena *a)
{
    const char *m = f->message ? f->message : "", *semi = NULL;
    for (const char *p = strstr(m, "; "); p; p = strstr(p + 1, "; "))
        semi = p;
    if (semi && semi[2])
        return lh_arena_strdup(a, semi + 2);
    size_t n = strlen(f->rule) + 64;
    char *s = lh_arena_alloc(a, n);
    /* No fix in the message: the rule's explanation has a fixed example. */
    strcpy(s, "see `leakhound explain ");
    strcat(s, f->rule);
    strcat(s, "` for the fix");
    return s;
}

void lh_watch_join(lh_watch_suspect *sus, size_t n, const lh_findings *fs,
                   const char *source_dir, lh_arena *a)
{
    for (size_t i = 0; i < n; i++) {
        lh_watch_suspect *sp = &sus[i];
        if (!sp->file || !sp->file[0] || !sp->function || !sp->function[0])
            continue;
        const char *declared = lh_watch_declared_func(sp->function, a);
        const lh_finding *best = NULL;
        int best_score = 0;
        for (size_t k = 0; k < fs->n; k++) {
            const lh_finding *f = &fs->v[k];
            int sc = score(f, below(f->file, source_dir), sp->file, declared, sp->line);
            if (sc > best_score) {
                best = f;
                best_score = sc;
            }
        }
        if (!best)
            continue;
        lh_watch_confirm *c = LH_NEW(a, lh_watch_confirm);
        c->rule = lh_arena_strdup(a, best->rule);
        c->file = lh_arena_strdup(a, best->file);
        c->line = best->line;
        c->col = best->col;
        c->message = lh_arena_strdup(a, best->message ? best->message : "");
        c->fix = fix_of(best, a);
        sp->confirmed_by = c;
    }
}
