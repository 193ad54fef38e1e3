/* top and diff on views built in memory, and the trend classifier on
 * hand-made series: the semantics pprof users expect (flat/cum, hidden
 * runtime leaves, recursion counted once, -base subtraction), and the
 * warm-up-versus-leak line trend draws. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/analysis.h"

static const char *const heap_types[] = {"alloc_objects", "alloc_space", "inuse_objects",
                                         "inuse_space"};
static const char *const heap_units[] = {"count", "bytes", "count", "bytes"};

/* One sample: frames given as "function file line" triples, leaf first. */
static void add(lh_stacks *s, int64_t objs, int64_t bytes, int nframes, ...)
{
    uint32_t ids[32];
    va_list ap;
    va_start(ap, nframes);
    for (int i = 0; i < nframes; i++) {
        const char *fn = va_arg(ap, const char *);
        const char *file = va_arg(ap, const char *);
        int line = va_arg(ap, int);
        ids[i] = lh_stacks_frame(s, fn, file, line);
    }
    va_end(ap);
    int64_t v[4] = {objs, bytes, objs, bytes};
    lh_stacks_add(s, ids, (uint32_t)nframes, v);
}

static void sample_view(lh_stacks *s)
{
    lh_stacks_init(s, 4, heap_types, heap_units);
    s->default_type = 3;
    add(s, 1, 120, 3, "runtime.mallocgc", "malloc.go", 900, "main.leak", "m.go", 10,
        "main.main", "m.go", 5);
    add(s, 1, 50, 2, "main.leak", "m.go", 11, "main.main", "m.go", 5);
    add(s, 1, 30, 4, "main.rec", "m.go", 20, "main.rec", "m.go", 21, "main.rec", "m.go", 21,
        "main.main", "m.go", 6);
    add(s, 1, 7, 2, "runtime.gopark", "proc.go", 1, "runtime.main", "proc.go", 2);
    /* Same stack again: merged into the second sample. */
    add(s, 1, 50, 2, "main.leak", "m.go", 11, "main.main", "m.go", 5);
}

static const lh_top_entry *find(const lh_top_result *r, const char *fn, int64_t line)
{
    for (size_t i = 0; i < r->nentries; i++)
        if (strcmp(r->entries[i].function, fn) == 0 && (line < 0 || r->entries[i].line == line))
            return &r->entries[i];
    return NULL;
}

static void test_top_by_function(void **state)
{
    (void)state;
    lh_stacks s;
    sample_view(&s);
    assert_int_equal(s.nsamples, 4);
    lh_arena a;
    lh_arena_init(&a);
    lh_top_result r;
    lh_top(&s, 3, LH_BY_FUNCTION, &a, &r);
    assert_string_equal(r.sample_type, "inuse_space");
    assert_string_equal(r.unit, "bytes");
    assert_int_equal(r.total, 257);

    const lh_top_entry *leak = find(&r, "main.leak", -1);
    assert_non_null(leak);
    assert_int_equal(leak->flat, 220);   /* runtime.mallocgc hidden */
    assert_int_equal(leak->cum, 220);
    assert_int_equal(leak->line, 10);    /* its heaviest line: 120 > 2x50 */
    /* The first entry is the biggest flat. */
    assert_ptr_equal(leak, &r.entries[0]);

    const lh_top_entry *rec = find(&r, "main.rec", -1);
    assert_non_null(rec);
    assert_int_equal(rec->flat, 30);
    assert_int_equal(rec->cum, 30);      /* recursion counted once */

    const lh_top_entry *m = find(&r, "main.main", -1);
    assert_non_null(m);
    assert_int_equal(m->flat, 0);
    assert_int_equal(m->cum, 250);

    /* An all-runtime stack stays whole rather than vanishing. */
    const lh_top_entry *g = find(&r, "runtime.gopark", -1);
    assert_non_null(g);
    assert_int_equal(g->flat, 7);
    assert_null(find(&r, "runtime.mallocgc", -1));
    lh_arena_free(&a);
    lh_stacks_free(&s);
}

static void test_top_by_line(void **state)
{
    (void)state;
    lh_stacks s;
    sample_view(&s);
    lh_arena a;
    lh_arena_init(&a);
    lh_top_result r;
    lh_top(&s, 2, LH_BY_LINE, &a, &r);
    assert_int_equal(r.total, 5);
    const lh_top_entry *l10 = find(&r, "main.leak", 10), *l11 = find(&r, "main.leak", 11);
    assert_non_null(l10);
    assert_non_null(l11);
    assert_int_equal(l10->flat, 1);
    assert_int_equal(l11->flat, 2);
    const lh_top_entry *r21 = find(&r, "main.rec", 21);
    assert_non_null(r21);
    assert_int_equal(r21->flat, 0);
    assert_int_equal(r21->cum, 1);       /* twice in one stack, once in cum */
    assert_int_equal(find(&r, "main.main", 5)->cum, 3);
    lh_arena_free(&a);
    lh_stacks_free(&s);
}

static void test_diff_arithmetic(void **state)
{
    (void)state;
    /* NEW minus BASE by adding base negated: identical stacks cancel,
     * growth sorts first, shrinkage last. */
    lh_stacks s;
    lh_stacks_init(&s, 4, heap_types, heap_units);
    add(&s, 10, 1000, 2, "main.grow", "m.go", 3, "main.main", "m.go", 1);
    add(&s, 1, 100, 2, "main.same", "m.go", 4, "main.main", "m.go", 1);
    add(&s, 1, 10, 2, "main.shrink", "m.go", 5, "main.main", "m.go", 1);
    add(&s, -2, -200, 2, "main.grow", "m.go", 3, "main.main", "m.go", 1);
    add(&s, -1, -100, 2, "main.same", "m.go", 4, "main.main", "m.go", 1);
    add(&s, -1, -90, 2, "main.shrink", "m.go", 5, "main.main", "m.go", 1);
    lh_arena a;
    lh_arena_init(&a);
    lh_top_result r;
    lh_top(&s, 3, LH_BY_FUNCTION, &a, &r);
    assert_string_equal(r.entries[0].function, "main.grow");
    assert_int_equal(r.entries[0].flat, 800);
    assert_string_equal(r.entries[r.nentries - 1].function, "main.shrink");
    assert_int_equal(r.entries[r.nentries - 1].flat, -80);
    assert_null(find(&r, "main.same", -1));
    assert_int_equal(r.net, 720);
    assert_int_equal(r.total, 880);
    lh_arena_free(&a);
    lh_stacks_free(&s);
}

static void test_function_key_is_the_name(void **state)
{
    (void)state;
    /* One function recorded with two paths (a -trimpath build against a
     * plain one): one entry by function, two by line. */
    lh_stacks s;
    lh_stacks_init(&s, 4, heap_types, heap_units);
    add(&s, 1, 100, 1, "main.f", "/home/ci/app/m.go", 7);
    add(&s, 1, 300, 1, "main.f", "./m.go", 7);
    lh_arena a;
    lh_arena_init(&a);
    lh_top_result r;
    lh_top(&s, 3, LH_BY_FUNCTION, &a, &r);
    assert_int_equal(r.nentries, 1);
    assert_int_equal(r.entries[0].flat, 400);
    assert_string_equal(r.entries[0].file, "./m.go");
    lh_top(&s, 3, LH_BY_LINE, &a, &r);
    assert_int_equal(r.nentries, 2);
    lh_arena_free(&a);
    lh_stacks_free(&s);
}

static lh_trend_class classify(const double *y, size_t n)
{
    double t[32], slope, r2, late;
    for (size_t i = 0; i < n; i++)
        t[i] = (double)i * 0.25; /* every 15 minutes */
    return lh_trend_classify(t, y, n, 64 << 10, &slope, &r2, &late);
}

static void test_trend_classifier(void **state)
{
    (void)state;
    const double MB = 1 << 20;
    /* A cache that grows linearly is growing, even with three points. */
    double lin3[] = {1 * MB, 2 * MB, 3 * MB};
    assert_int_equal(classify(lin3, 3), LH_TREND_GROWING);
    double lin[] = {0, 1 * MB, 2.1 * MB, 2.9 * MB, 4 * MB, 5.2 * MB, 6 * MB, 6.9 * MB};
    assert_int_equal(classify(lin, 8), LH_TREND_GROWING);
    /* Warm-up then steady (seed 002's start, the control program). */
    double warm3[] = {1 * MB, 8 * MB, 8 * MB};
    assert_int_equal(classify(warm3, 3), LH_TREND_PLATEAU);
    double warm[] = {1 * MB, 5 * MB, 8 * MB, 9 * MB, 9.1 * MB, 9 * MB, 9.05 * MB, 9.1 * MB};
    assert_int_equal(classify(warm, 8), LH_TREND_PLATEAU);
    double asym[] = {0, 4 * MB, 6 * MB, 7 * MB, 7.5 * MB, 7.7 * MB, 7.8 * MB, 7.85 * MB};
    assert_int_equal(classify(asym, 8), LH_TREND_PLATEAU);
    /* Seed 002: warm-up, then a slow steady climb the warm-up dwarfs. */
    double slow[] = {0, 50 * MB, 60 * MB, 62 * MB, 64 * MB, 66 * MB, 68 * MB, 70 * MB};
    assert_int_equal(classify(slow, 8), LH_TREND_GROWING);
    /* Warm-up, then steady with sampling jitter: still a plateau. */
    double jitter[] = {0, 50 * MB, 60 * MB, 61 * MB, 60.5 * MB, 61.2 * MB, 60.8 * MB, 61 * MB};
    assert_int_equal(classify(jitter, 8), LH_TREND_PLATEAU);
    /* Flat, shrinking, tiny, or jumping: noise. */
    double flat[] = {5 * MB, 5.01 * MB, 4.99 * MB, 5 * MB};
    assert_int_equal(classify(flat, 4), LH_TREND_NOISE);
    double down[] = {5 * MB, 4 * MB, 3 * MB, 2 * MB};
    assert_int_equal(classify(down, 4), LH_TREND_NOISE);
    double tiny[] = {1000, 2000, 3000, 4000};
    assert_int_equal(classify(tiny, 4), LH_TREND_NOISE);
    double big[] = {100 * MB, 100.5 * MB, 101 * MB, 101.5 * MB};   /* +1.5% */
    assert_int_equal(classify(big, 4), LH_TREND_NOISE);
    double jumpy[] = {1 * MB, 6 * MB, 1 * MB, 6 * MB, 1 * MB, 6 * MB};
    assert_int_equal(classify(jumpy, 6), LH_TREND_NOISE);
}

/* The classifier's conditions one at a time across their thresholds, every
 * other condition held well inside (snapshots every 15 minutes, MB). */
static void test_trend_boundaries(void **state)
{
    (void)state;
    const double MB = 1 << 20, KB = 1 << 10;
    static const struct {
        const char *what;
        double y[8];
        size_t n;
        lh_trend_class want;
    } rows[] = {
        /* R^2 >= 0.8: a zigzag around a line, its amplitude across the
         * threshold (R^2 0.81, 0.79, 0.57); the later half still climbs */
        {"r2 0.81", {0, 2.4, 2, 4.4, 4}, 5, LH_TREND_GROWING},
        {"r2 0.79", {0, 2.5, 2, 4.5, 4}, 5, LH_TREND_NOISE},
        {"r2 0.57", {0, 3.5, 2, 5.5, 4}, 5, LH_TREND_NOISE},
        /* late slope >= 0.5 * slope (0.52 and 0.49 of it): below, the site
         * has settled: a plateau */
        {"late 0.52", {0, 1, 2, 2.35, 2.7}, 5, LH_TREND_GROWING},
        {"late 0.49", {0, 1, 2, 2.32, 2.64}, 5, LH_TREND_PLATEAU},
        /* the last point above the first */
        {"last above first", {1, 2, 3, 4, 1.01}, 5, LH_TREND_NOISE},
        /* fitted growth >= 20% of the mean */
        {"rel 21%", {10, 10.8, 11.6, 12.4}, 4, LH_TREND_GROWING},
        {"rel 19%", {10, 10.7, 11.4, 12.1}, 4, LH_TREND_NOISE},
        /* plateau: the later half stays within half the growth */
        {"settled", {0, 4, 8, 8, 8.2, 8}, 6, LH_TREND_PLATEAU},
        {"swinging", {0, 4, 8, 4, 9, 8}, 6, LH_TREND_NOISE},
        /* the later half alone (six points or more, 5% of its mean) */
        {"late climb", {0, 50, 60, 62, 64, 66, 68, 70}, 8, LH_TREND_GROWING},
        {"late climb 5 points", {0, 50, 60, 62, 64}, 5, LH_TREND_PLATEAU},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double y[8];
        for (size_t j = 0; j < rows[i].n; j++)
            y[j] = rows[i].y[j] * MB;
        lh_trend_class got = classify(y, rows[i].n);
        if (got != rows[i].want)
            fail_msg("%s: %s, want %s", rows[i].what, lh_trend_class_name(got),
                     lh_trend_class_name(rows[i].want));
    }
    /* min_growth (64 KiB fitted over the span), across it */
    double above[] = {0, 22 * KB, 44 * KB, 66 * KB}, below[] = {0, 20 * KB, 40 * KB, 60 * KB};
    assert_int_equal(classify(above, 4), LH_TREND_GROWING);
    assert_int_equal(classify(below, 4), LH_TREND_NOISE);
    /* the fit's own numbers: slope per hour and R^2 */
    double t[4] = {0, 0.25, 0.5, 0.75}, lin[4] = {0, 1 * MB, 2 * MB, 3 * MB}, slope, r2, late;
    assert_int_equal(lh_trend_classify(t, lin, 4, 64 << 10, &slope, &r2, &late), LH_TREND_GROWING);
    assert_true(slope > 3.99 * MB && slope < 4.01 * MB);
    assert_true(r2 > 0.999);
}

/* pprof's order among equal flat values: the bigger cum first, then the
 * name - never the order the samples came in. */
static void test_top_ties(void **state)
{
    (void)state;
    lh_stacks s;
    lh_stacks_init(&s, 4, heap_types, heap_units);
    s.default_type = 3;
    add(&s, 1, 10, 2, "main.a", "m.go", 1, "main.main", "m.go", 9);
    add(&s, 1, 10, 2, "main.z", "m.go", 2, "main.main", "m.go", 9);
    add(&s, 1, 5, 3, "main.q", "m.go", 3, "main.z", "m.go", 2, "main.main", "m.go", 9);
    add(&s, 1, 5, 2, "main.c", "m.go", 4, "main.main", "m.go", 9);
    add(&s, 1, 5, 2, "main.b", "m.go", 5, "main.main", "m.go", 9);
    lh_arena a;
    lh_arena_init(&a);
    lh_top_result r;
    lh_top(&s, 3, LH_BY_FUNCTION, &a, &r);
    static const char *const want[] = {"main.z", "main.a", "main.b", "main.c", "main.q",
                                       "main.main"};
    assert_int_equal(r.nentries, 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(r.entries[i].function, want[i]);
    assert_int_equal(r.entries[0].cum, 15);
    assert_int_equal(r.entries[1].cum, 10);
    lh_arena_free(&a);
    lh_stacks_free(&s);
}

static void test_trend_sites(void **state)
{
    (void)state;
    /* Three snapshots, given out of order: a leaking line, a warmed-up
     * cache, a constant buffer. */
    lh_stacks snaps[3];
    const lh_stacks *ptrs[3];
    const char *names[3] = {"s2", "s0", "s1"};
    const int64_t times[3] = {3, 1, 2};
    const int64_t leak[3] = {3 << 20, 1 << 20, 2 << 20};
    const int64_t warm[3] = {8 << 20, 1 << 20, 8 << 20};
    for (int i = 0; i < 3; i++) {
        lh_stacks_init(&snaps[i], 4, heap_types, heap_units);
        snaps[i].time_nanos = times[i] * 3600 * (int64_t)1000000000;
        add(&snaps[i], 10, leak[i], 2, "main.leak", "m.go", 10, "main.main", "m.go", 2);
        add(&snaps[i], 5, warm[i], 2, "main.warm", "m.go", 20, "main.main", "m.go", 3);
        add(&snaps[i], 1, 4 << 20, 2, "main.buf", "m.go", 30, "main.main", "m.go", 4);
        ptrs[i] = &snaps[i];
    }
    lh_arena a;
    lh_arena_init(&a);
    lh_trend_result r;
    char err[256];
    assert_int_equal(lh_trend(ptrs, names, 3, NULL, &a, &r, err, sizeof err), 0);
    assert_int_equal(r.order[0], 1);
    assert_int_equal(r.order[2], 0);
    assert_int_equal(r.ngrowing, 1);
    assert_int_equal(r.nsites, 3);
    assert_string_equal(r.sites[0].function, "main.leak");
    assert_int_equal(r.sites[0].line, 10);
    assert_int_equal(r.sites[0].cls, LH_TREND_GROWING);
    assert_true(r.sites[0].slope_bytes_per_hour > 1.0e6 && r.sites[0].slope_bytes_per_hour < 1.1e6);
    assert_true(r.sites[0].r2 > 0.99);
    assert_string_equal(r.sites[1].function, "main.warm");
    assert_int_equal(r.sites[1].cls, LH_TREND_PLATEAU);
    assert_int_equal(r.sites[2].cls, LH_TREND_NOISE);

    /* Two snapshots are not a trend; equal times cannot be ordered. */
    assert_int_equal(lh_trend(ptrs, names, 2, NULL, &a, &r, err, sizeof err), -1);
    snaps[2].time_nanos = snaps[0].time_nanos;
    assert_int_equal(lh_trend(ptrs, names, 3, NULL, &a, &r, err, sizeof err), -1);
    assert_non_null(strstr(err, "same time"));
    lh_arena_free(&a);
    for (int i = 0; i < 3; i++)
        lh_stacks_free(&snaps[i]);
}

/* In a sampled profile a small-object site moves in steps of one sampling
 * period: two samples more over five snapshots is a straight enough line
 * to fit as a climb, but chance. The same bytes profiled exactly are
 * growth; ten periods sampled are too. */
static void test_trend_sample_floor(void **state)
{
    (void)state;
    assert_int_equal(lh_trend_min_growth(0), LH_TREND_MIN_GROWTH);
    assert_int_equal(lh_trend_min_growth(1), LH_TREND_MIN_GROWTH);
    assert_int_equal(lh_trend_min_growth(512 << 10), 3 * (512 << 10));
    assert_int_equal(lh_trend_min_growth(16 << 10), LH_TREND_MIN_GROWTH);
    const int64_t P = 512 << 10;
    const int64_t chance[5] = {0, P, P, 2 * P, 2 * P};
    const int64_t leak[5] = {0, 2 * P, 5 * P, 7 * P, 10 * P};
    for (int sampled = 0; sampled < 2; sampled++) {
        lh_stacks snaps[5];
        const lh_stacks *ptrs[5];
        const char *names[5] = {"h0", "h1", "h2", "h3", "h4"};
        for (int i = 0; i < 5; i++) {
            lh_stacks_init(&snaps[i], 4, heap_types, heap_units);
            snaps[i].time_nanos = (i + 1) * 60 * (int64_t)1000000000;
            snaps[i].heap_period = sampled ? P : 1;
            if (chance[i])
                add(&snaps[i], chance[i] / P, chance[i], 2, "main.chance", "m.go", 10, "main.main",
                    "m.go", 2);
            if (leak[i])
                add(&snaps[i], leak[i] / P, leak[i], 2, "main.leak", "m.go", 20, "main.main",
                    "m.go", 3);
            ptrs[i] = &snaps[i];
        }
        lh_arena a;
        lh_arena_init(&a);
        lh_trend_result r;
        char err[256];
        assert_int_equal(lh_trend(ptrs, names, 5, NULL, &a, &r, err, sizeof err), 0);
        assert_int_equal(r.nsites, 2);
        assert_string_equal(r.sites[0].function, "main.leak");
        assert_int_equal(r.sites[0].cls, LH_TREND_GROWING);
        assert_string_equal(r.sites[1].function, "main.chance");
        assert_int_equal(r.sites[1].cls, sampled ? LH_TREND_NOISE : LH_TREND_GROWING);
        assert_int_equal(r.ngrowing, sampled ? 1 : 2);
        /* An explicit --min-growth is the user's, sampled or not. */
        lh_trend_opts o = {LH_BY_LINE, 64 << 10, 0};
        assert_int_equal(lh_trend(ptrs, names, 5, &o, &a, &r, err, sizeof err), 0);
        assert_int_equal(r.ngrowing, 2);
        lh_arena_free(&a);
        for (int i = 0; i < 5; i++)
            lh_stacks_free(&snaps[i]);
    }
}

/* The order of a series: own times first; else as given, numbers in names
 * by value, file times as the axis only when they agree. */
static void test_series_order(void **state)
{
    (void)state;
    lh_arena a;
    lh_arena_init(&a);
    lh_series s;
    /* Protobuf profiles: their own times, whatever the names say. */
    const lh_snapshot_info own[] = {{"h.3", 30, 1}, {"h.1", 10, 3}, {"h.2", 20, 2}};
    lh_series_order(own, 3, &a, &s);
    assert_int_equal(s.order[0], 1);
    assert_int_equal(s.order[1], 2);
    assert_int_equal(s.order[2], 0);
    assert_int_equal(s.times[2], 30);
    assert_true(s.spaced);
    assert_string_equal(s.note_order, "");
    assert_string_equal(s.note_times, "");
    /* Text: the glob's order (10 before 2) is fixed by the numbers, with a
     * note; equal file times give no axis and no complaint. */
    const lh_snapshot_info glob[] = {{"g.10.txt", 0, 5}, {"g.2.txt", 0, 5}, {"g.5.txt", 0, 5}};
    lh_series_order(glob, 3, &a, &s);
    assert_int_equal(s.order[0], 1);
    assert_int_equal(s.order[1], 2);
    assert_int_equal(s.order[2], 0);
    assert_false(s.spaced);
    assert_string_equal(s.note_order, "taking the snapshots in the order of the number in their "
                                      "names (g.2.txt before g.10.txt), not in the order given");
    assert_string_equal(s.note_times, "");
    assert_int_equal(s.times[0], 0);
    /* Zero-padded and longer than any integer: still by value. */
    const lh_snapshot_info big[] = {{"x99999999999999999999999y", 0, 0}, {"x0100000000000000000000000y", 0, 0}, {"x7y", 0, 0}};
    lh_series_order(big, 3, &a, &s);
    assert_int_equal(s.order[0], 2);
    assert_int_equal(s.order[1], 0);
    assert_int_equal(s.order[2], 1);
    /* Names that differ in more than a number: as given. */
    const lh_snapshot_info mixed[] = {{"b.2.txt", 0, 1}, {"a.1.txt", 0, 2}, {"c.3.log", 0, 3}};
    lh_series_order(mixed, 3, &a, &s);
    assert_int_equal(s.order[0], 0);
    assert_int_equal(s.order[1], 1);
    assert_true(s.spaced);          /* file times agree: they are the axis */
    assert_int_equal(s.times[1], 2);
    assert_string_equal(s.note_order, "");
    /* File times against the order given: the order stands, noted. */
    const lh_snapshot_info rev[] = {{"a", 0, 3}, {"b", 0, 2}, {"c", 0, 1}};
    lh_series_order(rev, 3, &a, &s);
    assert_int_equal(s.order[0], 0);
    assert_int_equal(s.order[2], 2);
    assert_false(s.spaced);
    assert_int_equal(s.times[0], 0);
    assert_string_equal(s.note_times, "b is older than a, which comes before it: the snapshots "
                                      "stay in the order given, and their times are not used");
    /* Standard input has no time at all: as given, no axis. */
    const lh_snapshot_info in[] = {{"-", 0, 0}, {"x.pb.gz", 100, 1}};
    lh_series_order(in, 2, &a, &s);
    assert_int_equal(s.order[0], 0);
    assert_false(s.spaced);
    assert_int_equal(s.times[1], 100);
    lh_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_top_by_function),
        cmocka_unit_test(test_top_by_line),
        cmocka_unit_test(test_diff_arithmetic),
        cmocka_unit_test(test_function_key_is_the_name),
        cmocka_unit_test(test_trend_classifier),
        cmocka_unit_test(test_trend_boundaries),
        cmocka_unit_test(test_top_ties),
        cmocka_unit_test(test_trend_sites),
        cmocka_unit_test(test_trend_sample_floor),
        cmocka_unit_test(test_series_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
