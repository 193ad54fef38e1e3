/* The builder the text decoders share, its string map, and the small
 * scanning helpers of the text formats. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile/internal.h"

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "leakhound: out of memory (%zu bytes)\n", n);
        abort();
    }
    return q;
}

/* Grows the malloc'd vector v (n used of cap) so one more element fits. */
#define GROW(v, n, cap)                                                   \
    do {                                                                  \
        if ((n) == (cap)) {                                               \
            (cap) = (cap) ? (cap) * 2 : 16;                               \
            (v) = xrealloc((v), (cap) * sizeof *(v));                     \
        }                                                                 \
    } while (0)

/* ---- string map -------------------------------------------------------- */

struct lh_pmap_slot {
    char *key;                  /* NULL when empty */
    size_t keylen, value;
    uint64_t hash;
};

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static void pmap_grow(lh_pmap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 64;
    struct lh_pmap_slot *ns = calloc(ncap, sizeof *ns);
    if (!ns) {
        fprintf(stderr, "leakhound: out of memory\n");
        abort();
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i].key)
            continue;
        size_t j = m->slots[i].hash & (ncap - 1);
        while (ns[j].key)
            j = (j + 1) & (ncap - 1);
        ns[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = ns;
    m->cap = ncap;
}

size_t lh_pmap_intern(lh_pmap *m, const char *key, size_t keylen, size_t next,
                      int *added)
{
    if ((m->len + 1) * 2 > m->cap)
        pmap_grow(m);
    uint64_t h = fnv1a(key, keylen);
    size_t j = h & (m->cap - 1);
    while (m->slots[j].key) {
        struct lh_pmap_slot *s = &m->slots[j];
        if (s->hash == h && s->keylen == keylen && memcmp(s->key, key, keylen) == 0) {
            if (added)
                *added = 0;
            return s->value;
        }
        j = (j + 1) & (m->cap - 1);
    }
    char *k = xrealloc(NULL, keylen + 1);
    memcpy(k, key, keylen);
    k[keylen] = '\0';
    m->slots[j].key = k;
    m->slots[j].keylen = keylen;
    m->slots[j].hash = h;
    m->slots[j].value = next;
    m->len++;
    if (added)
        *added = 1;
    return next;
}

void lh_pmap_free(lh_pmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    m->slots = NULL;
    m->cap = m->len = 0;
}

/* ---- builder ------------------------------------------------------------- */

struct lh_pbuild_sample {
    size_t first, n;            /* into stack */
    size_t vfirst;              /* into values */
    const lh_profile_label *labels;
    size_t nlabels;
    const lh_goroutine *g;
};

void lh_pbuild_init(lh_pbuild *b, lh_profile *p, const char *const types[][2],
                    size_t ntypes)
{
    memset(b, 0, sizeof *b);
    b->p = p;
    b->nvalues = ntypes;
    lh_profile_value_type *vt = LH_NEWN(&p->arena, lh_profile_value_type, ntypes);
    for (size_t i = 0; i < ntypes; i++) {
        vt[i].type = lh_arena_strdup(&p->arena, types[i][0]);
        vt[i].unit = lh_arena_strdup(&p->arena, types[i][1]);
    }
    p->sample_types = vt;
    p->nsample_types = ntypes;
}

/* The builder's scratch key buffer, at least n bytes. */
static char *keybuf(lh_pbuild *b, size_t n)
{
    if (n > b->keycap) {
        b->keycap = n < 256 ? 256 : n * 2;
        free(b->key);
        b->key = calloc(1, b->keycap);
        if (!b->key) {
            fprintf(stderr, "leakhound: out of memory\n");
            abort();
        }
    }
    return b->key;
}

static size_t intern_fn(lh_pbuild *b, const char *fn, size_t fnlen,
                        const char *file, size_t filelen)
{
    /* NUL separates name and file: neither can contain one. */
    size_t klen = fnlen + 1 + filelen;
    char *key = keybuf(b, klen);
    memcpy(key, fn, fnlen);
    key[fnlen] = '\0';
    memcpy(key + fnlen + 1, file, filelen);
    int added;
    size_t idx = lh_pmap_intern(&b->fnmap, key, klen, b->nfns, &added);
    if (added) {
        GROW(b->fns, b->nfns, b->capfns);
        b->fns[b->nfns].name = lh_arena_strndup(&b->p->arena, fn, fnlen);
        b->fns[b->nfns].file = lh_arena_strndup(&b->p->arena, file, filelen);
        b->nfns++;
    }
    return idx;
}

void lh_pbuild_frame_add(lh_pbuild *b, uint64_t pc, const char *fn, size_t fnlen,
                         const char *file, size_t filelen, int64_t line)
{
    GROW(b->cur, b->ncur, b->capcur);
    b->cur[b->ncur].pc = pc;
    b->cur[b->ncur].fn = intern_fn(b, fn, fnlen, file, filelen);
    b->cur[b->ncur].line = line;
    b->ncur++;
}

void lh_pbuild_addr_add(lh_pbuild *b, uint64_t pc)
{
    GROW(b->cur, b->ncur, b->capcur);
    b->cur[b->ncur].pc = pc;
    b->cur[b->ncur].fn = LH_PBUILD_NOFN;
    b->cur[b->ncur].line = 0;
    b->ncur++;
}

void lh_pbuild_label(lh_pbuild *b, const char *key, size_t keylen,
                     const char *val, size_t vallen)
{
    GROW(b->curlabels, b->ncurlabels, b->capcurlabels);
    lh_profile_label *l = &b->curlabels[b->ncurlabels++];
    l->key = lh_arena_strndup(&b->p->arena, key, keylen);
    l->str = lh_arena_strndup(&b->p->arena, val, vallen);
    l->num = 0;
    l->num_unit = "";
}

void lh_pbuild_num_label(lh_pbuild *b, const char *key, int64_t num, const char *unit)
{
    GROW(b->curlabels, b->ncurlabels, b->capcurlabels);
    lh_profile_label *l = &b->curlabels[b->ncurlabels++];
    l->key = lh_arena_strdup(&b->p->arena, key);
    l->str = NULL;
    l->num = num;
    l->num_unit = lh_arena_strdup(&b->p->arena, unit ? unit : "");
}

/* The location made of frames [f, f+n): found or added. */
static size_t intern_loc(lh_pbuild *b, const lh_pbuild_frame *f, size_t n)
{
    size_t klen = n * (sizeof(uint64_t) + sizeof(size_t) + sizeof(int64_t));
    char *key = keybuf(b, klen);
    char *k = key;
    for (size_t i = 0; i < n; i++) {
        memcpy(k, &f[i].pc, sizeof f[i].pc), k += sizeof f[i].pc;
        memcpy(k, &f[i].fn, sizeof f[i].fn), k += sizeof f[i].fn;
        memcpy(k, &f[i].line, sizeof f[i].line), k += sizeof f[i].line;
    }
    int added;
    size_t idx = lh_pmap_intern(&b->locmap, key, klen, b->nlocs, &added);
    if (added) {
        GROW(b->locs, b->nlocs, b->caplocs);
        b->locs[b->nlocs].pc = f[0].pc;
        b->locs[b->nlocs].first = b->nlines;
        b->locs[b->nlocs].n = f[0].fn == LH_PBUILD_NOFN ? 0 : n;
        b->nlocs++;
        for (size_t i = 0; i < b->locs[b->nlocs - 1].n; i++) {
            GROW(b->lines, b->nlines, b->caplines);
            b->lines[b->nlines++] = f[i];
        }
    }
    return idx;
}

void lh_pbuild_sample_end(lh_pbuild *b, const int64_t *values, const lh_goroutine *g)
{
    GROW(b->samples, b->nsamples, b->capsamples);
    struct lh_pbuild_sample *s = &b->samples[b->nsamples++];
    s->first = b->nstack;
    for (size_t i = 0; i < b->ncur;) {
        size_t j = i + 1;
        if (b->cur[i].pc != 0 && b->cur[i].fn != LH_PBUILD_NOFN)
            while (j < b->ncur && b->cur[j].pc == b->cur[i].pc &&
                   b->cur[j].fn != LH_PBUILD_NOFN)
                j++;
        size_t loc = intern_loc(b, &b->cur[i], j - i);
        GROW(b->stack, b->nstack, b->capstack);
        b->stack[b->nstack++] = loc;
        i = j;
    }
    s->n = b->nstack - s->first;

    s->vfirst = b->nvals;
    for (size_t i = 0; i < b->nvalues; i++) {
        GROW(b->values, b->nvals, b->capvals);
        b->values[b->nvals++] = values[i];
    }

    s->nlabels = b->ncurlabels;
    s->labels = NULL;
    if (b->ncurlabels) {
        lh_profile_label *l = LH_NEWN(&b->p->arena, lh_profile_label, b->ncurlabels);
        memcpy(l, b->curlabels, b->ncurlabels * sizeof *l);
        s->labels = l;
    }
    s->g = NULL;
    if (g) {
        lh_goroutine *gc = LH_NEW(&b->p->arena, lh_goroutine);
        *gc = *g;
        s->g = gc;
    }
    b->ncur = 0;
    b->ncurlabels = 0;
}

void lh_pbuild_finish(lh_pbuild *b)
{
    lh_profile *p = b->p;
    lh_arena *a = &p->arena;

    lh_profile_function *fns = LH_NEWN(a, lh_profile_function, b->nfns);
    for (size_t i = 0; i < b->nfns; i++) {
        fns[i].id = i + 1;
        fns[i].name = fns[i].system_name = b->fns[i].name;
        fns[i].filename = b->fns[i].file;
    }
    lh_profile_line *lines = LH_NEWN(a, lh_profile_line, b->nlines);
    for (size_t i = 0; i < b->nlines; i++) {
        lines[i].function = &fns[b->lines[i].fn];
        lines[i].line = b->lines[i].line;
    }
    lh_profile_location *locs = LH_NEWN(a, lh_profile_location, b->nlocs);
    for (size_t i = 0; i < b->nlocs; i++) {
        locs[i].id = i + 1;
        locs[i].address = b->locs[i].pc;
        locs[i].lines = lines + b->locs[i].first;
        locs[i].nlines = b->locs[i].n;
    }
    const lh_profile_location **stack = LH_NEWN(a, const lh_profile_location *, b->nstack);
    for (size_t i = 0; i < b->nstack; i++)
        stack[i] = &locs[b->stack[i]];
    int64_t *values = LH_NEWN(a, int64_t, b->nvals);
    if (b->nvals)
        memcpy(values, b->values, b->nvals * sizeof *values);
    lh_profile_sample *samples = LH_NEWN(a, lh_profile_sample, b->nsamples);
    for (size_t i = 0; i < b->nsamples; i++) {
        struct lh_pbuild_sample *s = &b->samples[i];
        samples[i].locs = stack + s->first;
        samples[i].nlocs = s->n;
        samples[i].values = values + s->vfirst;
        samples[i].labels = s->labels;
        samples[i].nlabels = s->nlabels;
        samples[i].g = s->g;
    }
    p->functions = fns;
    p->nfunctions = b->nfns;
    p->locations = locs;
    p->nlocations = b->nlocs;
    p->samples = samples;
    p->nsamples = b->nsamples;
    lh_pbuild_free(b);
}

void lh_pbuild_free(lh_pbuild *b)
{
    free(b->values);
    lh_pmap_free(&b->fnmap);
    lh_pmap_free(&b->locmap);
    free(b->fns);
    free(b->locs);
    free(b->lines);
    free(b->samples);
    free(b->stack);
    free(b->cur);
    free(b->curlabels);
    free(b->key);
    memset(b, 0, sizeof *b);
}

/* ---- text helpers ---------------------------------------------------------- */

int lh_tline_next(const char *text, size_t len, size_t *pos, lh_tline *out)
{
    if (*pos >= len)
        return 0;
    const char *s = text + *pos, *e = text + len;
    const char *nl = memchr(s, '\n', (size_t)(e - s));
    const char *end = nl ? nl : e;
    *pos = (size_t)(end - text) + (nl ? 1 : 0);
    if (end > s && end[-1] == '\r')
        end--;
    out->s = s;
    out->e = end;
    return 1;
}

void lh_skip_space(const char **s, const char *e)
{
    while (*s < e && (**s == ' ' || **s == '\t'))
        (*s)++;
}

int lh_parse_i64(const char **s, const char *e, int64_t *out)
{
    const char *q = *s;
    int neg = 0;
    if (q < e && *q == '-') {
        neg = 1;
        q++;
    }
    if (q == e || *q < '0' || *q > '9')
        return -1;
    uint64_t v = 0;
    while (q < e && *q >= '0' && *q <= '9') {
        unsigned d = (unsigned)(*q - '0');
        if (v > (UINT64_C(9223372036854775807) - d) / 10)
            return -1;
        v = v * 10 + d;
        q++;
    }
    *out = neg ? -(int64_t)v : (int64_t)v;
    *s = q;
    return 0;
}

int lh_parse_hex(const char **s, const char *e, uint64_t *out)
{
    const char *q = *s;
    if (e - q < 3 || q[0] != '0' || (q[1] != 'x' && q[1] != 'X'))
        return -1;
    q += 2;
    uint64_t v = 0;
    const char *start = q;
    while (q < e) {
        unsigned d;
        if (*q >= '0' && *q <= '9')
            d = (unsigned)(*q - '0');
        else if (*q >= 'a' && *q <= 'f')
            d = (unsigned)(*q - 'a' + 10);
        else if (*q >= 'A' && *q <= 'F')
            d = (unsigned)(*q - 'A' + 10);
        else
            break;
        if (v >> 60)
            return -1;
        v = v << 4 | d;
        q++;
    }
    if (q == start)
        return -1;
    *out = v;
    *s = q;
    return 0;
}

void lh_split_file_line(const char *s, const char *e, const char **fe, int64_t *line)
{
    *fe = e;
    *line = 0;
    for (const char *q = e; q > s; q--) {
        if (q[-1] == ':') {
            const char *d = q;
            int64_t v;
            if (lh_parse_i64(&d, e, &v) == 0 && (d == e || *d == ':') && v >= 0) {
                *fe = q - 1;
                *line = v;
            }
            break;
        }
    }
}

int lh_pbuild_hash_frame(lh_pbuild *b, const char *s, const char *e)
{
    uint64_t pc;
    lh_skip_space(&s, e);
    if (lh_parse_hex(&s, e, &pc) != 0 || s == e || (*s != ' ' && *s != '\t'))
        return -1;
    lh_skip_space(&s, e);
    const char *fn = s;
    while (s < e && *s != ' ' && *s != '\t')
        s++;
    const char *fne = s;
    /* "+0x30" is the offset into the function, not part of its name. */
    for (const char *q = fne; q > fn; q--) {
        if (q[-1] == '+' && fne - q > 2 && q[0] == '0' && q[1] == 'x') {
            fne = q - 1;
            break;
        }
    }
    if (fne == fn)
        return -1;
    lh_skip_space(&s, e);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    const char *filee;
    int64_t line;
    lh_split_file_line(s, e, &filee, &line);
    lh_pbuild_frame_add(b, pc, fn, (size_t)(fne - fn), s, (size_t)(filee - s), line);
    return 0;
}
