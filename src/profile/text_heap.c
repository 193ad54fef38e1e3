/* The legacy heap profile: what runtime/pprof writes for heap ?debug=1.
 *
 *   heap profile: 38: 1468384 [40: 1550592] @ heap/8192
 *   20: 1310720 [20: 1310720] @ 0x4b79f1 0x4b7d98 0x4374f2
 *   #	0x4b79f0	main.allocBig+0x30	./main.go:29
 *   ...
 *   # runtime.MemStats
 *   # Alloc = 2878800
 *
 * Each record is "inuse_count: inuse_bytes [alloc_count: alloc_bytes] @
 * return addresses", followed by one '#' comment per frame (pc, function,
 * file:line) -- the only symbolic information there is without the binary.
 * The counts are of sampled allocations; like pprof we scale each record by
 * the inverse of the probability that an allocation of its average size was
 * sampled, 1/(1-exp(-avg/rate)), where rate is MemProfileRate. The runtime
 * prints "heap/" followed by twice that rate, so the header's number is
 * halved. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "profile/internal.h"
#include "util/satmath.h"

typedef struct {
    int64_t inuse_n, inuse_b, alloc_n, alloc_b;
} heap_counts;

/* "A: B [C: D]" */
static int parse_counts(const char **s, const char *e, heap_counts *c)
{
    lh_skip_space(s, e);
    if (lh_parse_i64(s, e, &c->inuse_n) != 0 || *s == e || **s != ':')
        return -1;
    (*s)++;
    lh_skip_space(s, e);
    if (lh_parse_i64(s, e, &c->inuse_b) != 0)
        return -1;
    lh_skip_space(s, e);
    if (*s == e || **s != '[')
        return -1;
    (*s)++;
    lh_skip_space(s, e);
    if (lh_parse_i64(s, e, &c->alloc_n) != 0 || *s == e || **s != ':')
        return -1;
    (*s)++;
    lh_skip_space(s, e);
    if (lh_parse_i64(s, e, &c->alloc_b) != 0)
        return -1;
    lh_skip_space(s, e);
    if (*s == e || **s != ']')
        return -1;
    (*s)++;
    lh_skip_space(s, e);
    if (*s == e || **s != '@')
        return -1;
    (*s)++;
    lh_skip_space(s, e);
    return 0;
}

static void scale(int64_t *count, int64_t *bytes, int64_t rate)
{
    if (*count == 0 || *bytes == 0) {
        *count = *bytes = 0;
        return;
    }
    if (rate <= 1)
        return;
    double avg = (double)*bytes / (double)*count;
    double f = 1.0 / (1.0 - exp(-avg / (double)rate));
    double c = (double)*count * f, b = (double)*bytes * f;
    /* Saturate rather than overflow on absurd inputs. */
    *count = c >= 9.2e18 ? INT64_MAX : (int64_t)c;
    *bytes = b >= 9.2e18 ? INT64_MAX : (int64_t)b;
}

/* "# Name = 123" (also "# Stack = 294912 / 294912": the first number).
 * Lists and non-integers are skipped: the analyses want counters. */
static void parse_stat(lh_profile *p, lh_profile_stat **v, size_t *n, size_t *cap,
                       const char *s, const char *e)
{
    lh_skip_space(&s, e);
    const char *name = s;
    while (s < e && *s != ' ' && *s != '=')
        s++;
    const char *ne = s;
    lh_skip_space(&s, e);
    if (ne == name || s == e || *s != '=')
        return;
    s++;
    lh_skip_space(&s, e);
    int64_t val;
    if (lh_parse_i64(&s, e, &val) != 0 || (s < e && *s != ' '))
        return;
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 32;
        lh_profile_stat *nv = LH_NEWN(&p->arena, lh_profile_stat, ncap);
        if (*n)
            memcpy(nv, *v, *n * sizeof *nv);
        *v = nv;
        *cap = ncap;
    }
    (*v)[*n].name = lh_arena_strndup(&p->arena, name, (size_t)(ne - name));
    (*v)[*n].value = val;
    (*n)++;
}

typedef struct {
    int active, frames;
    int64_t vals[4], blocksize;
    const char *addrs, *addrs_e;    /* the record's "0x... 0x..." */
} heap_rec;

/* Parses a record line into r; returns what is wrong with it, or NULL. */
static const char *start_record(heap_rec *r, const char *s, const char *e, int64_t rate,
                                heap_counts *sum)
{
    heap_counts c;
    if (parse_counts(&s, e, &c) != 0 || c.inuse_n < 0 || c.inuse_b < 0 ||
        c.alloc_n < 0 || c.alloc_b < 0)
        return "malformed heap profile record";
    if ((c.inuse_n == 0 && c.inuse_b != 0) || (c.alloc_n == 0 && c.alloc_b != 0))
        return "heap record with bytes but no objects";
    r->addrs = s;
    r->addrs_e = e;
    while (s < e) {
        uint64_t a;
        if (lh_parse_hex(&s, e, &a) != 0)
            return "malformed address in heap profile record";
        lh_skip_space(&s, e);
    }
    sum->inuse_n = lh_sat_add(sum->inuse_n, c.inuse_n);
    sum->inuse_b = lh_sat_add(sum->inuse_b, c.inuse_b);
    sum->alloc_n = lh_sat_add(sum->alloc_n, c.alloc_n);
    sum->alloc_b = lh_sat_add(sum->alloc_b, c.alloc_b);
    /* pprof's "bytes" label: the block size before scaling */
    r->blocksize = c.inuse_n ? c.inuse_b / c.inuse_n : c.alloc_n ? c.alloc_b / c.alloc_n : 0;
    scale(&c.alloc_n, &c.alloc_b, rate);
    scale(&c.inuse_n, &c.inuse_b, rate);
    r->vals[0] = c.alloc_n;
    r->vals[1] = c.alloc_b;
    r->vals[2] = c.inuse_n;
    r->vals[3] = c.inuse_b;
    r->active = 1;
    r->frames = 0;
    return NULL;
}

/* Without '#' frame lines (a binary without symbols) the return
 * addresses, less one as pprof does, are all there is. */
static void end_record(lh_pbuild *b, heap_rec *r)
{
    if (!r->active)
        return;
    if (!r->frames) {
        const char *s = r->addrs;
        uint64_t a;
        while (lh_parse_hex(&s, r->addrs_e, &a) == 0) {
            lh_pbuild_addr_add(b, a ? a - 1 : 0);
            lh_skip_space(&s, r->addrs_e);
        }
    }
    lh_pbuild_num_label(b, "bytes", r->blocksize, "");
    lh_pbuild_sample_end(b, r->vals, NULL);
    r->active = 0;
}

static const char *const heap_types[][2] = {
    {"alloc_objects", "count"},
    {"alloc_space", "bytes"},
    {"inuse_objects", "count"},
    {"inuse_space", "bytes"},
};

int lh_profile_decode_heap_text(lh_profile *p, const char *text, size_t len,
                                char *err, size_t errlen)
{
    size_t pos = 0, lineno = 1;
    lh_tline ln;
    lh_tline_next(text, len, &pos, &ln);

    /* header: "heap profile: A: B [C: D] @ heap/R" */
    const char *s = ln.s + strlen("heap profile:"), *e = ln.e;
    heap_counts total;
    if (parse_counts(&s, e, &total) != 0) {
        snprintf(err, errlen, "line 1: malformed heap profile header");
        return -1;
    }
    const char *w = s;
    while (s < e && *s != '/' && *s != ' ')
        s++;
    size_t wl = (size_t)(s - w);
    int64_t r = 0;
    if (s < e && *s == '/') {
        s++;
        if (lh_parse_i64(&s, e, &r) != 0 || r < 0) {
            snprintf(err, errlen, "line 1: malformed sampling rate in heap profile header");
            return -1;
        }
    }
    int64_t rate;
    int go_runtime = 0;
    if (wl == 4 && memcmp(w, "heap", 4) == 0) {
        rate = r / 2;
        go_runtime = 1;
    } else if ((wl == 7 && memcmp(w, "heap_v2", 7) == 0) ||
             (wl == 8 && memcmp(w, "heapz_v2", 8) == 0))
        rate = r;
    else if (wl == 11 && memcmp(w, "heapprofile", 11) == 0)
        rate = 1;
    else {
        snprintf(err, errlen, "line 1: unknown heap profile sampling '%.*s'",
                 (int)(wl > 40 ? 40 : wl), w);
        return -1;
    }

    p->kind = LH_PROFILE_HEAP;
    p->period_type.type = "space";
    p->period_type.unit = "bytes";
    p->period = rate;

    /* Unlike pprof we always keep the alloc_* columns (the runtime always
     * prints them): two snapshots of one program then have the same sample
     * types even when nothing was freed between them. */
    lh_pbuild b;
    lh_pbuild_init(&b, p, heap_types, 4);
    heap_rec rec;
    memset(&rec, 0, sizeof rec);
    heap_counts sum = {0, 0, 0, 0};
    int in_stats = 0;
    lh_profile_stat *stats = NULL;
    size_t nstats = 0, capstats = 0;

    while (lh_tline_next(text, len, &pos, &ln)) {
        lineno++;
        s = ln.s;
        e = ln.e;
        lh_skip_space(&s, e);
        if (s == e)
            continue;
        if (*s == '#') {
            s++;
            const char *t = s;
            lh_skip_space(&t, e);
            if ((size_t)(e - t) >= 16 && memcmp(t, "runtime.MemStats", 16) == 0) {
                end_record(&b, &rec);
                in_stats = 1;
            } else if (in_stats) {
                parse_stat(p, &stats, &nstats, &capstats, t, e);
            } else if (rec.active && lh_pbuild_hash_frame(&b, s, e) == 0) {
                rec.frames = 1;
            }
            continue;           /* other comments carry nothing we use */
        }
        if (in_stats)
            continue;
        end_record(&b, &rec);
        const char *why = start_record(&rec, s, e, rate, &sum);
        if (why) {
            snprintf(err, errlen, "line %zu: %s", lineno, why);
            lh_pbuild_free(&b);
            return -1;
        }
    }
    end_record(&b, &rec);
    /* The Go runtime's header is the sum of its records (raw, before
     * scaling), so a file cut short between two records shows here. Other
     * producers of the legacy format make no such promise. */
    if (go_runtime && (sum.inuse_n != total.inuse_n || sum.inuse_b != total.inuse_b ||
                       sum.alloc_n != total.alloc_n || sum.alloc_b != total.alloc_b)) {
        snprintf(err, errlen,
                 "truncated or inconsistent heap profile: its records add up to "
                 "%lld: %lld [%lld: %lld], its header says %lld: %lld [%lld: %lld]",
                 (long long)sum.inuse_n, (long long)sum.inuse_b, (long long)sum.alloc_n,
                 (long long)sum.alloc_b, (long long)total.inuse_n, (long long)total.inuse_b,
                 (long long)total.alloc_n, (long long)total.alloc_b);
        lh_pbuild_free(&b);
        return -1;
    }
    lh_pbuild_finish(&b);
    p->stats = stats;
    p->nstats = nstats;
    return 0;
}
