#include "analysis/stacks.h"

#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/satmath.h"

/* Open-addressing tables of ids; the key lives in the frame array, so a
 * slot is just an id (or EMPTY). Capacity is a power of two kept at most
 * half full, so a probe sequence is short. */
#define EMPTY UINT32_MAX

typedef struct table {
    uint32_t *slots;
    size_t cap;         /* power of two */
    size_t len;
} table;

struct lh_stacks_intern {
    table frames;       /* by function, file, line */
    table funcs;        /* by function, file -> a representative frame id */
    /* by frame sequence -> sample index; the hash is kept beside the id so
     * a probe rejects other stacks without touching their frames */
    struct stack_slot { uint32_t id, hash; } *stacks;
    size_t stacks_cap, stacks_len;
    uint32_t *func_of;  /* fn_id -> representative frame id */
    size_t frames_cap, funcs_cap;
    regex_t drop;       /* the profile's drop_frames, when has_drop */
    int has_drop;
};

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "leakhound: out of memory\n");
        abort();
    }
    return q;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
    /* FNV-1a: short strings, fast enough, no setup. */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h * 1099511628211ULL;
}

static uint64_t hash_fn(const char *function, const char *file)
{
    return hash_str(hash_str(14695981039346656037ULL, function), file);
}

static uint64_t hash_frame(const char *function, const char *file, int64_t line)
{
    uint64_t h = hash_fn(function, file) ^ (uint64_t)line;
    h *= 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}

static void table_init(table *t)
{
    t->cap = 256;
    t->len = 0;
    t->slots = xrealloc(NULL, t->cap * sizeof *t->slots);
    memset(t->slots, 0xff, t->cap * sizeof *t->slots);
}

void lh_stacks_init(lh_stacks *s, size_t ntypes, const char *const *names,
                    const char *const *units)
{
    memset(s, 0, sizeof *s);
    lh_arena_init(&s->arena);
    s->ntypes = ntypes;
    s->type_names = LH_NEWN(&s->arena, const char *, ntypes ? ntypes : 1);
    s->type_units = LH_NEWN(&s->arena, const char *, ntypes ? ntypes : 1);
    for (size_t i = 0; i < ntypes; i++) {
        s->type_names[i] = lh_arena_strdup(&s->arena, names && names[i] ? names[i] : "");
        s->type_units[i] = lh_arena_strdup(&s->arena, units && units[i] ? units[i] : "");
    }
    s->merge = 1;
    s->intern = calloc(1, sizeof *s->intern);
    if (!s->intern) {
        fprintf(stderr, "leakhound: out of memory\n");
        abort();
    }
    table_init(&s->intern->frames);
    table_init(&s->intern->funcs);
}

void lh_stacks_free(lh_stacks *s)
{
    if (s->intern) {
        free(s->intern->frames.slots);
        free(s->intern->funcs.slots);
        free(s->intern->stacks);
        free(s->intern->func_of);
        if (s->intern->has_drop)
            regfree(&s->intern->drop);
        free(s->intern);
    }
    free(s->frames);
    free(s->samples);
    lh_arena_free(&s->arena);
    memset(s, 0, sizeof *s);
}

/* Rehash when half full; the hash is recomputed from the stored frame. */
static void grow_frames(lh_stacks *s)
{
    table *t = &s->intern->frames;
    size_t cap = t->cap * 2;
    uint32_t *slots = xrealloc(NULL, cap * sizeof *slots);
    memset(slots, 0xff, cap * sizeof *slots);
    for (size_t i = 0; i < t->cap; i++) {
        uint32_t id = t->slots[i];
        if (id == EMPTY)
            continue;
        const lh_frame *f = &s->frames[id];
        size_t j = hash_frame(f->function, f->file, f->line) & (cap - 1);
        while (slots[j] != EMPTY)
            j = (j + 1) & (cap - 1);
        slots[j] = id;
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
}

static void grow_funcs(lh_stacks *s)
{
    table *t = &s->intern->funcs;
    size_t cap = t->cap * 2;
    uint32_t *slots = xrealloc(NULL, cap * sizeof *slots);
    memset(slots, 0xff, cap * sizeof *slots);
    for (size_t i = 0; i < t->cap; i++) {
        uint32_t fn = t->slots[i];
        if (fn == EMPTY)
            continue;
        const lh_frame *f = &s->frames[s->intern->func_of[fn]];
        size_t j = hash_fn(f->function, "") & (cap - 1);
        while (slots[j] != EMPTY)
            j = (j + 1) & (cap - 1);
        slots[j] = fn;
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
}

/* Returns the function id of function, creating it with frame_id as its
 * representative when new. The name alone is the key, as in pprof's
 * function granularity: two builds of one program may record different
 * paths (-trimpath or not) for the same function, and a diff between them
 * must not split it in two. */
static uint32_t intern_func(lh_stacks *s, const char *function, uint32_t frame_id)
{
    struct lh_stacks_intern *in = s->intern;
    if ((in->funcs.len + 1) * 2 > in->funcs.cap)
        grow_funcs(s);
    table *t = &in->funcs;
    size_t j = hash_fn(function, "") & (t->cap - 1);
    for (; t->slots[j] != EMPTY; j = (j + 1) & (t->cap - 1)) {
        const lh_frame *f = &s->frames[in->func_of[t->slots[j]]];
        if (strcmp(f->function, function) == 0)
            return t->slots[j];
    }
    if (s->nfuncs == in->funcs_cap) {
        in->funcs_cap = in->funcs_cap ? in->funcs_cap * 2 : 256;
        in->func_of = xrealloc(in->func_of, in->funcs_cap * sizeof *in->func_of);
    }
    uint32_t fn = s->nfuncs++;
    in->func_of[fn] = frame_id;
    t->slots[j] = fn;
    t->len++;
    return fn;
}

int lh_is_runtime_function(const char *name)
{
    if (strncmp(name, "runtime.", 8) == 0 || strncmp(name, "runtime/internal/", 17) == 0 ||
        strncmp(name, "internal/runtime/", 17) == 0)
        return 1;
    /* The runtime's halves of other packages, linked in by name:
     * sync.runtime_SemacquireMutex, internal/poll.runtime_pollWait. */
    const char *slash = strrchr(name, '/');
    const char *dot = strchr(slash ? slash : name, '.');
    if (!dot || strncmp(dot, ".runtime_", 9) != 0)
        return 0;
    /* Only the standard library has those: no dot in the first path
     * element, and not a program's own main package. */
    size_t pkg = (size_t)(dot - name), root = strcspn(name, "/");
    if (root > pkg)
        root = pkg;
    return strncmp(name, "main.", 5) != 0 && memchr(name, '.', root) == NULL;
}

uint32_t lh_stacks_frame(lh_stacks *s, const char *function, const char *file, int64_t line)
{
    if (!function)
        function = "";
    if (!file)
        file = "";
    struct lh_stacks_intern *in = s->intern;
    if ((in->frames.len + 1) * 2 > in->frames.cap)
        grow_frames(s);
    table *t = &in->frames;
    size_t j = hash_frame(function, file, line) & (t->cap - 1);
    for (; t->slots[j] != EMPTY; j = (j + 1) & (t->cap - 1)) {
        const lh_frame *f = &s->frames[t->slots[j]];
        if (f->line == line && strcmp(f->function, function) == 0 && strcmp(f->file, file) == 0)
            return t->slots[j];
    }
    if (s->nframes == in->frames_cap) {
        in->frames_cap = in->frames_cap ? in->frames_cap * 2 : 256;
        s->frames = xrealloc(s->frames, in->frames_cap * sizeof *s->frames);
    }
    uint32_t id = s->nframes++;
    lh_frame *f = &s->frames[id];
    f->function = lh_arena_strdup(&s->arena, function);
    f->file = lh_arena_strdup(&s->arena, file);
    f->line = line;
    f->hidden = lh_is_runtime_function(function) ||
                (in->has_drop && regexec(&in->drop, function, 0, NULL, 0) == 0);
    t->slots[j] = id;
    t->len++;
    f->fn_id = intern_func(s, function, id);
    return id;
}

static uint64_t hash_stack(const uint32_t *frames, uint32_t n)
{
    uint64_t h = 0x84222325CBF29CE4ULL ^ n;
    for (uint32_t i = 0; i < n; i++) {
        h ^= frames[i];
        h *= 0x100000001B3ULL;
        h ^= h >> 31;
    }
    return h;
}

static void grow_stacks(lh_stacks *s)
{
    struct lh_stacks_intern *in = s->intern;
    size_t cap = in->stacks_cap ? in->stacks_cap * 2 : 1024;
    struct stack_slot *slots = xrealloc(NULL, cap * sizeof *slots);
    memset(slots, 0xff, cap * sizeof *slots);
    for (size_t i = 0; i < in->stacks_cap; i++) {
        if (in->stacks[i].id == EMPTY)
            continue;
        size_t j = in->stacks[i].hash & (cap - 1);
        while (slots[j].id != EMPTY)
            j = (j + 1) & (cap - 1);
        slots[j] = in->stacks[i];
    }
    free(in->stacks);
    in->stacks = slots;
    in->stacks_cap = cap;
}

static void append_sample(lh_stacks *s, const uint32_t *frames, uint32_t nframes,
                          const int64_t *values)
{
    if (s->nsamples == s->samples_cap) {
        s->samples_cap = s->samples_cap ? s->samples_cap * 2 : 1024;
        s->samples = xrealloc(s->samples, s->samples_cap * sizeof *s->samples);
    }
    lh_stack_sample *smp = &s->samples[s->nsamples++];
    uint32_t *fr = lh_arena_alloc_raw(&s->arena, (nframes ? nframes : 1) * sizeof *fr);
    if (nframes)
        memcpy(fr, frames, nframes * sizeof *fr);
    int64_t *v = lh_arena_alloc_raw(&s->arena, (s->ntypes ? s->ntypes : 1) * sizeof *v);
    if (s->ntypes)
        memcpy(v, values, s->ntypes * sizeof *v);
    smp->frames = fr;
    smp->nframes = nframes;
    smp->values = v;
}

void lh_stacks_add(lh_stacks *s, const uint32_t *frames, uint32_t nframes, const int64_t *values)
{
    if (!s->merge) {
        append_sample(s, frames, nframes, values);
        return;
    }
    struct lh_stacks_intern *in = s->intern;
    if ((in->stacks_len + 1) * 2 > in->stacks_cap)
        grow_stacks(s);
    uint32_t h = (uint32_t)(hash_stack(frames, nframes) >> 32);
    size_t mask = in->stacks_cap - 1, j = h & mask;
    for (; in->stacks[j].id != EMPTY; j = (j + 1) & mask) {
        if (in->stacks[j].hash != h)
            continue;
        lh_stack_sample *m = &s->samples[in->stacks[j].id];
        if (m->nframes == nframes && memcmp(m->frames, frames, nframes * sizeof *frames) == 0) {
            int64_t *v = (int64_t *)m->values;
            for (size_t k = 0; k < s->ntypes; k++)
                v[k] = lh_sat_add(v[k], values[k]);
            return;
        }
    }
    in->stacks[j].id = (uint32_t)s->nsamples;
    in->stacks[j].hash = h;
    in->stacks_len++;
    append_sample(s, frames, nframes, values);
}

/* pprof anchors drop_frames at both ends; a pattern POSIX cannot compile
 * (RE2-only syntax) is ignored rather than failing the whole profile: the
 * runtime rule still hides malloc and gopark. */
static void set_drop(lh_stacks *s, const char *drop)
{
    struct lh_stacks_intern *in = s->intern;
    if (in->has_drop || !drop || !drop[0])
        return;
    size_t n = strlen(drop) + 5;
    char *re = malloc(n);
    if (!re)
        return;
    snprintf(re, n, "^(%s)$", drop);
    in->has_drop = regcomp(&in->drop, re, REG_EXTENDED | REG_NOSUB) == 0;
    free(re);
}

int lh_stacks_init_profile(lh_stacks *s, const lh_profile *p, char *err, size_t errlen)
{
    if (p->nsample_types == 0) {
        snprintf(err, errlen, "%s: profile has no sample types", p->name);
        return -1;
    }
    const char **names = malloc(p->nsample_types * sizeof *names);
    const char **units = malloc(p->nsample_types * sizeof *units);
    if (!names || !units) {
        fprintf(stderr, "leakhound: out of memory\n");
        abort();
    }
    for (size_t i = 0; i < p->nsample_types; i++) {
        names[i] = p->sample_types[i].type;
        units[i] = p->sample_types[i].unit;
    }
    lh_stacks_init(s, p->nsample_types, names, units);
    free(names);
    free(units);
    int d = lh_profile_default_index(p);
    s->default_type = d < 0 ? 0 : d;
    s->time_nanos = p->time_nanos;
    if (p->period > 0 && p->period_type.type && strcmp(p->period_type.type, "space") == 0)
        s->heap_period = p->period;
    return 0;
}

int lh_stacks_from_profile(lh_stacks *s, const lh_profile *p, char *err, size_t errlen)
{
    if (lh_stacks_init_profile(s, p, err, errlen) != 0)
        return -1;
    /* Values of one sign: merging changes no sum, so skip its hashing.
     * Mixed signs (a diff written with -o): merge, so that the total of
     * |value| is the diff's own. */
    s->merge = 0;
    for (size_t i = 0; i < p->nsamples && !s->merge; i++)
        for (size_t k = 0; k < p->nsample_types; k++)
            if (p->samples[i].values[k] < 0)
                s->merge = 1;
    if (lh_stacks_add_profile(s, p, 1, err, errlen) != 0) {
        lh_stacks_free(s);
        return -1;
    }
    return 0;
}

/* REQUEST (to the owner of src/profile/decode_pb.c), from the top/diff
 * bench: on a 200,000-sample heap profile about 40% of `leakhound top` is
 * the bsearch in lookup_id, called once per location of every sample. Go
 * writes ids 1..n in order, so a fast path before the bsearch -
 *     if (id >= 1 && id <= n && t[id - 1].id == id) { *idx = t[id - 1].idx; return 0; }
 * (or whatever matches the idref layout) - would make that O(1). */
int lh_stacks_add_profile(lh_stacks *s, const lh_profile *p, int sign, char *err, size_t errlen)
{
    /* map[k] = index in p of s's sample type k */
    size_t *map = xrealloc(NULL, (s->ntypes ? s->ntypes : 1) * sizeof *map);
    for (size_t k = 0; k < s->ntypes; k++) {
        int idx = lh_profile_sample_type_index(p, s->type_names[k]);
        if (idx < 0) {
            snprintf(err, errlen, "%s: has no %s samples (sample types differ from the other profile)",
                     p->name, s->type_names[k]);
            free(map);
            return -1;
        }
        map[k] = (size_t)idx;
    }
    set_drop(s, p->drop_frames);

    /* Frame ids per location, computed once: a location is shared by many
     * samples, and interning is the expensive part. */
    size_t *first = xrealloc(NULL, (p->nlocations + 1) * sizeof *first);
    size_t nids = 0;
    for (size_t i = 0; i < p->nlocations; i++) {
        first[i] = nids;
        nids += p->locations[i].nlines ? p->locations[i].nlines : 1;
    }
    first[p->nlocations] = nids;
    uint32_t *ids = xrealloc(NULL, (nids ? nids : 1) * sizeof *ids);
    char addr[32];
    for (size_t i = 0; i < p->nlocations; i++) {
        const lh_profile_location *loc = &p->locations[i];
        size_t n = loc->nlines ? loc->nlines : 1;
        for (size_t k = 0; k < n; k++) {
            lh_profile_frame f = lh_profile_location_frame(loc, k);
            const char *fn = f.function;
            if (!fn[0]) {
                snprintf(addr, sizeof addr, "0x%" PRIx64, f.address);
                fn = addr;
            }
            ids[first[i] + k] = lh_stacks_frame(s, fn, f.file, f.line);
        }
    }

    size_t stack_cap = 256;
    uint32_t *stack = xrealloc(NULL, stack_cap * sizeof *stack);
    int64_t *vals = xrealloc(NULL, (s->ntypes ? s->ntypes : 1) * sizeof *vals);
    for (size_t i = 0; i < p->nsamples; i++) {
        const lh_profile_sample *smp = &p->samples[i];
        size_t n = 0;
        for (size_t l = 0; l < smp->nlocs; l++) {
            const lh_profile_location *loc = smp->locs[l];
            uintptr_t lo = (uintptr_t)p->locations, at = (uintptr_t)loc;
            int own = at >= lo && at < lo + p->nlocations * sizeof *loc;
            size_t a = 0, b = 0;
            if (own) {
                size_t li = (size_t)(loc - p->locations);
                a = first[li];
                b = first[li + 1];
            } else {
                /* Not one of p's own locations (a built profile): intern
                 * it directly. */
                size_t m = loc->nlines ? loc->nlines : 1;
                for (size_t k = 0; k < m; k++) {
                    lh_profile_frame f = lh_profile_location_frame(loc, k);
                    if (n == stack_cap) {
                        stack_cap *= 2;
                        stack = xrealloc(stack, stack_cap * sizeof *stack);
                    }
                    stack[n++] = lh_stacks_frame(s, f.function, f.file, f.line);
                }
            }
            for (size_t k = a; k < b; k++) {
                if (n == stack_cap) {
                    stack_cap *= 2;
                    stack = xrealloc(stack, stack_cap * sizeof *stack);
                }
                stack[n++] = ids[k];
            }
        }
        for (size_t k = 0; k < s->ntypes; k++)
            vals[k] = sign < 0 ? lh_sat_neg(smp->values[map[k]]) : smp->values[map[k]];
        lh_stacks_add(s, stack, (uint32_t)n, vals);
    }
    free(stack);
    free(vals);
    free(ids);
    free(first);
    free(map);
    return 0;
}

int lh_stacks_type(const lh_stacks *s, const char *name)
{
    for (size_t i = 0; i < s->ntypes; i++)
        if (strcmp(s->type_names[i], name) == 0)
            return (int)i;
    return -1;
}

uint32_t lh_stacks_leaf(const lh_stacks *s, const lh_stack_sample *smp)
{
    uint32_t i = 0;
    while (i < smp->nframes && s->frames[smp->frames[i]].hidden)
        i++;
    return i == smp->nframes ? 0 : i;
}
