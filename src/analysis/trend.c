/* trend: which allocation sites keep growing across heap snapshots.
 *
 * A leak is not "a lot of memory" but "more memory every time you look".
 * Seed 002's agent grew for a while after each restart and then settled;
 * only the steady climb that followed was the leak. So a site is judged by
 * the shape of its in-use bytes over time, not by its size. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "util/satmath.h"

const char *lh_trend_class_name(lh_trend_class c)
{
    switch (c) {
    case LH_TREND_GROWING: return "growing";
    case LH_TREND_PLATEAU: return "plateau";
    default: return "noise";
    }
}

/* Least squares line through (t, y); r2 is 1 - SSres/SStot (0 for a flat
 * series, where a line explains nothing). */
static void fit(const double *t, const double *y, size_t n, double *slope, double *r2)
{
    double mt = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mt += t[i];
        my += y[i];
    }
    mt /= (double)n;
    my /= (double)n;
    double stt = 0, sty = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        stt += (t[i] - mt) * (t[i] - mt);
        sty += (t[i] - mt) * (y[i] - my);
        syy += (y[i] - my) * (y[i] - my);
    }
    *slope = stt > 0 ? sty / stt : 0;
    if (r2)
        *r2 = stt > 0 && syy > 0 ? (sty * sty) / (stt * syy) : 0;
}

/* Whether (t, y) is a steady climb, still climbing at its end. With b the
 * slope over the points and L the slope over their later half (the last
 * ceil(n/2), at least 2):
 *   - b > 0 and the fitted growth b*span is at least min_growth bytes:
 *     below that, sampled heap profiles jitter by themselves;
 *   - the fitted growth is at least rel of the mean size: a big, stable site
 *     wobbling by a few percent is not a climb, while a leak starting from
 *     nothing grows by 200% of its mean;
 *   - R^2 >= 0.8: the points lie near a line (steady), not one jump;
 *   - L >= 0.5*b: still climbing at the end at half the rate or more. This
 *     tells a leak from a warm-up: a program that fills its caches and then
 *     holds steady has a positive overall slope, often with a decent R^2,
 *     but a flat later half (L near 0); an asymptotic approach to a bound
 *     has L well under b too. */
static int climbs(const double *t, const double *y, size_t n, double min_growth, double rel,
                  double *slope, double *r2, double *late)
{
    fit(t, y, n, slope, r2);
    size_t k = (n + 1) / 2;
    if (k < 2)
        k = 2;
    fit(t + (n - k), y + (n - k), k, late, NULL);
    double mean = 0;
    for (size_t i = 0; i < n; i++)
        mean += y[i];
    mean /= (double)n;
    double fitted = *slope * (t[n - 1] - t[0]);
    return *slope > 0 && fitted >= min_growth && fitted >= rel * (mean > 1 ? mean : 1) &&
           *r2 >= 0.8 && *late >= 0.5 * *slope && y[n - 1] > y[0];
}

/* The classifier:
 *
 *   growing  the whole series climbs steadily (climbs() with rel = 20%), or,
 *            with six snapshots or more, its later half does on its own
 *            (rel = 5% of that half's mean, since a slow leak after a big
 *            warm-up is small next to what the warm-up built). The second
 *            case is seed 002's agent: up during warm-up, then a slow, steady
 *            climb that the warm-up hides from a whole-series fit. The later
 *            half needs three points at least to have an R^2, hence six
 *            snapshots. slope and R^2 are then the later half's: the rate it
 *            leaks at now.
 *   plateau  not growing, but the site did grow (last - first at least
 *            min_growth and 20% of the mean) and its later half has settled:
 *            its slope is under half the overall slope and its values stay
 *            within half of that growth of each other (a series that swings
 *            up and down has a flat later half too, but has not settled).
 *            Seed 002's warm-up, the control program's filled cache.
 *   noise    everything else: flat, shrinking, or jumping around.
 *
 * With three snapshots the later half is the last two, so 0,20,20 is a
 * plateau and 10,20,30 is growing; more snapshots make both calls firmer. */
lh_trend_class lh_trend_classify(const double *t, const double *y, size_t n, double min_growth,
                                 double *slope, double *r2, double *late_slope)
{
    *slope = *r2 = *late_slope = 0;
    if (n < 2)
        return LH_TREND_NOISE;
    if (climbs(t, y, n, min_growth, 0.2, slope, r2, late_slope))
        return LH_TREND_GROWING;
    size_t k = (n + 1) / 2;
    if (k < 2)
        k = 2;
    double ls, lr2, ll;
    if (n >= 6 && climbs(t + (n - k), y + (n - k), k, min_growth, 0.05, &ls, &lr2, &ll)) {
        *slope = ls;
        *r2 = lr2;
        *late_slope = ll;
        return LH_TREND_GROWING;
    }

    double mean = 0;
    for (size_t i = 0; i < n; i++)
        mean += y[i];
    mean /= (double)n;
    double size = mean > 1 ? mean : 1;
    double grew = y[n - 1] - y[0];
    double lo = y[n - k], hi = y[n - k];
    for (size_t i = n - k; i < n; i++) {
        lo = y[i] < lo ? y[i] : lo;
        hi = y[i] > hi ? y[i] : hi;
    }
    if (grew >= min_growth && grew >= 0.2 * size && *late_slope < 0.5 * *slope &&
        hi - lo <= 0.5 * grew)
        return LH_TREND_PLATEAU;
    return LH_TREND_NOISE;
}

typedef struct ordered {
    int64_t time;
    size_t index;
} ordered;

static int cmp_time(const void *pa, const void *pb)
{
    const ordered *a = pa, *b = pb;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

static int cmp_site(const void *pa, const void *pb)
{
    const lh_trend_site *a = pa, *b = pb;
    if (a->cls != b->cls)
        return a->cls > b->cls ? -1 : 1;
    if (a->slope_bytes_per_hour != b->slope_bytes_per_hour)
        return a->slope_bytes_per_hour > b->slope_bytes_per_hour ? -1 : 1;
    int c = strcmp(a->function, b->function);
    if (c)
        return c;
    c = strcmp(a->file, b->file);
    return c ? c : (a->line < b->line ? -1 : a->line > b->line);
}

int64_t lh_trend_min_growth(int64_t period)
{
    if (period <= 0 || period > INT64_MAX / LH_TREND_MIN_SAMPLES)
        return period > 0 ? INT64_MAX : LH_TREND_MIN_GROWTH;
    int64_t g = LH_TREND_MIN_SAMPLES * period;
    return g > LH_TREND_MIN_GROWTH ? g : LH_TREND_MIN_GROWTH;
}

int lh_trend(const lh_stacks *const *snaps, const char *const *names, size_t n,
             const lh_trend_opts *opts, lh_arena *a, lh_trend_result *out,
             char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    lh_trend_opts o = opts ? *opts : (lh_trend_opts){LH_BY_LINE, 0, 0};
    if (o.min_growth <= 0) {
        int64_t period = 0;
        for (size_t i = 0; i < n; i++)
            if (snaps[i]->heap_period > period)
                period = snaps[i]->heap_period;
        o.min_growth = lh_trend_min_growth(period);
    }
    if (n < 3) {
        snprintf(err, errlen, "trend needs at least 3 heap snapshots, got %zu", n);
        return -1;
    }
    int *tspace = LH_NEWN(a, int, n), *tobj = LH_NEWN(a, int, n);
    ordered *ord = LH_NEWN(a, ordered, n);
    for (size_t i = 0; i < n; i++) {
        tspace[i] = lh_stacks_type(snaps[i], "inuse_space");
        tobj[i] = lh_stacks_type(snaps[i], "inuse_objects");
        if (tspace[i] < 0) {
            snprintf(err, errlen, "%s: not a heap profile (no inuse_space samples)", names[i]);
            return -1;
        }
        if (snaps[i]->time_nanos == 0 && !o.in_order) {
            snprintf(err, errlen, "%s: the snapshot has no time", names[i]);
            return -1;
        }
        ord[i].time = snaps[i]->time_nanos;
        ord[i].index = i;
    }
    if (!o.in_order)
        qsort(ord, n, sizeof *ord, cmp_time);
    out->spaced = 1;
    for (size_t i = 0; i < n; i++)
        if (ord[i].time == 0 || (i && ord[i].time <= ord[i - 1].time))
            out->spaced = 0;
    /* Two snapshots of one moment are one snapshot given twice. */
    ordered *byt = LH_NEWN(a, ordered, n);
    memcpy(byt, ord, n * sizeof *byt);
    qsort(byt, n, sizeof *byt, cmp_time);
    for (size_t i = 1; i < n; i++)
        if (byt[i].time && byt[i].time == byt[i - 1].time) {
            snprintf(err, errlen, "%s and %s were taken at the same time; trend needs snapshots "
                                  "taken at different times",
                     names[byt[i - 1].index], names[byt[i].index]);
            return -1;
        }
    out->nsnapshots = n;
    out->order = LH_NEWN(a, size_t, n);
    double *t = LH_NEWN(a, double, n);
    for (size_t i = 0; i < n; i++) {
        out->order[i] = ord[i].index;
        /* In double: two hostile int64 times may be more than INT64_MAX
         * apart. Without a time axis, one step per snapshot: the classes
         * depend on the shape of the series, not on its time unit. */
        t[i] = out->spaced ? ((double)ord[i].time - (double)ord[0].time) / 3.6e12 : (double)i;
    }
    out->hours = out->spaced ? t[n - 1] : 0;

    /* Sites of all snapshots interned into one view, so "main.go:42" is one
     * id however many profiles mention it. */
    lh_stacks keys;
    lh_stacks_init(&keys, 0, NULL, NULL);
    size_t cap = 256, nsites = 0;
    int64_t *bytes = calloc(cap * n, sizeof *bytes), *objs = calloc(cap * n, sizeof *objs);
    int64_t *line_of = calloc(cap, sizeof *line_of);
    if (!bytes || !objs || !line_of)
        abort();
    for (size_t j = 0; j < n; j++) {
        const lh_stacks *s = snaps[ord[j].index];
        size_t si = ord[j].index;
        for (int pass = 0; pass < 2; pass++) {
            int type = pass == 0 ? tspace[si] : tobj[si];
            if (type < 0)
                continue;
            lh_arena tmp;
            lh_arena_init(&tmp);
            lh_top_result r;
            lh_top(s, type, o.by, &tmp, &r);
            for (size_t e = 0; e < r.nentries; e++) {
                const lh_top_entry *en = &r.entries[e];
                if (en->flat == 0)
                    continue;
                uint32_t id = lh_stacks_frame(&keys, en->function, en->file,
                                              o.by == LH_BY_LINE ? en->line : 0);
                if (id >= cap) {
                    size_t ncap = cap * 2;
                    bytes = realloc(bytes, ncap * n * sizeof *bytes);
                    objs = realloc(objs, ncap * n * sizeof *objs);
                    line_of = realloc(line_of, ncap * sizeof *line_of);
                    if (!bytes || !objs || !line_of)
                        abort();
                    memset(bytes + cap * n, 0, (ncap - cap) * n * sizeof *bytes);
                    memset(objs + cap * n, 0, (ncap - cap) * n * sizeof *objs);
                    memset(line_of + cap, 0, (ncap - cap) * sizeof *line_of);
                    cap = ncap;
                }
                if (id >= nsites)
                    nsites = id + 1;
                (pass == 0 ? bytes : objs)[id * n + j] = en->flat;
                if (pass == 0)
                    line_of[id] = en->line;
            }
            lh_arena_free(&tmp);
        }
    }

    out->sites = LH_NEWN(a, lh_trend_site, nsites ? nsites : 1);
    double *y = LH_NEWN(a, double, n);
    for (size_t id = 0; id < nsites; id++) {
        lh_trend_site *st = &out->sites[id];
        const lh_frame *f = &keys.frames[id];
        st->function = lh_arena_strdup(a, f->function);
        st->file = lh_arena_strdup(a, f->file);
        st->line = line_of[id];
        int64_t *bv = LH_NEWN(a, int64_t, n), *ov = LH_NEWN(a, int64_t, n);
        memcpy(bv, bytes + id * n, n * sizeof *bv);
        memcpy(ov, objs + id * n, n * sizeof *ov);
        st->bytes = bv;
        st->objects = ov;
        for (size_t j = 0; j < n; j++)
            y[j] = (double)bv[j];
        st->cls = lh_trend_classify(t, y, n, (double)o.min_growth, &st->slope_bytes_per_hour,
                                    &st->r2, &st->late_slope_bytes_per_hour);
        for (size_t j = 0; j < n; j++)
            y[j] = (double)ov[j];
        fit(t, y, n, &st->slope_objects_per_hour, &st->r2_objects);
        if (st->cls == LH_TREND_GROWING)
            out->ngrowing++;
    }
    out->nsites = nsites;
    qsort(out->sites, nsites, sizeof *out->sites, cmp_site);
    free(bytes);
    free(objs);
    free(line_of);
    lh_stacks_free(&keys);
    return 0;
}
