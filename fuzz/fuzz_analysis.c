/* libFuzzer harness for the analyses: decode whatever the bytes hold, then
 * run top, diff, trend and goroutine grouping and render their reports.
 * Decoders accept many models no real program writes (empty stacks, zero or
 * negative values, unsymbolized locations, duplicate names, huge counts);
 * the analyses must survive all of them.
 *
 * The input may hold up to MAX_SNAPS profiles separated by SEP, so diff,
 * trend and multi-dump grouping see several snapshots. A snapshot without a
 * time gets one (i+1 seconds) so trend gets past its time check. */
/* memmem: libFuzzer intercepts it, which helps mutations find SEP. */
#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/stacks.h"
#include "profile/profile.h"
#include "report/profile_report.h"
#include "util/arena.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SEP "\n--snapshot--\n"
#define MAX_SNAPS 4
#define FUZZ_MAX_INFLATED ((size_t)16 << 20)

static const char *const names[MAX_SNAPS] = {"s1", "s2", "s3", "s4"};

static void top_all(const lh_stacks *s, lh_arena *a, lh_buf *b)
{
    for (size_t t = 0; t < s->ntypes; t++) {
        for (int by = LH_BY_FUNCTION; by <= LH_BY_LINE; by++) {
            lh_top_result r;
            lh_top(s, (int)t, (lh_granularity)by, a, &r);
            lh_report_top_text(b, &r, by ? 0 : 10, "File: fuzz");
            lh_report_top_json(b, &r, 0, "fuzz", by ? "base" : NULL);
        }
    }
}

static void diff_pair(const lh_profile *base, const lh_profile *cur, lh_arena *a, lh_buf *b)
{
    char err[512];
    lh_stacks d;
    if (lh_diff_stacks(base, cur, &d, err, sizeof err) == 0) {
        top_all(&d, a, b);
        lh_stacks_free(&d);
        lh_profile *dp = lh_diff_profile(base, cur);
        lh_buf enc = LH_BUF_INIT;
        (void)lh_profile_encode(dp, 0, &enc, err, sizeof err);
        lh_buf_free(&enc);
        lh_profile_free(dp);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lh_profile_opts opts = {FUZZ_MAX_INFLATED};
    lh_profile *p[MAX_SNAPS];
    lh_stacks s[MAX_SNAPS];
    const lh_stacks *sp[MAX_SNAPS];
    size_t np = 0, ns = 0;
    char err[512];

    const uint8_t *cur = data, *end = data + size;
    while (np < MAX_SNAPS) {
        const uint8_t *sep = memmem(cur, (size_t)(end - cur), SEP, sizeof SEP - 1);
        const uint8_t *stop = sep && np + 1 < MAX_SNAPS ? sep : end;
        if (lh_profile_parse(names[np], cur, (size_t)(stop - cur), &opts, &p[np], err,
                             sizeof err) == 0)
            np++;
        if (stop == end)
            break;
        cur = stop + sizeof SEP - 1;
    }

    lh_arena a;
    lh_arena_init(&a);
    lh_buf b = LH_BUF_INIT;
    for (size_t i = 0; i < np; i++) {
        if (lh_stacks_from_profile(&s[ns], p[i], err, sizeof err) != 0)
            continue;
        if (s[ns].time_nanos == 0)
            s[ns].time_nanos = (int64_t)(i + 1) * 1000000000;
        for (size_t k = 0; k < s[ns].nsamples; k++)
            (void)lh_stacks_leaf(&s[ns], &s[ns].samples[k]);
        top_all(&s[ns], &a, &b);
        sp[ns] = &s[ns];
        ns++;
    }
    for (size_t i = 0; i + 1 < np; i++)
        diff_pair(p[i], p[i + 1], &a, &b);
    if (np == 1)
        diff_pair(p[0], p[0], &a, &b);

    if (ns >= 3) {
        lh_trend_opts to = {LH_BY_LINE, 0, 0};
        lh_trend_result tr;
        if (lh_trend(sp, names, ns, &to, &a, &tr, err, sizeof err) == 0) {
            lh_report_trend_text(&b, &tr, names, 0);
            int64_t times[MAX_SNAPS];
            for (size_t i = 0; i < ns; i++)
                times[i] = sp[i]->time_nanos;
            lh_report_trend_json(&b, &tr, names, times);
        }
        to.by = LH_BY_FUNCTION;
        (void)lh_trend(sp, names, ns, &to, &a, &tr, err, sizeof err);
    }

    if (np > 0) {
        lh_goroutine_opts go = {0, 0, 0, 0};
        lh_goroutine_result gr;
        if (lh_goroutines((const lh_profile *const *)p, np, &go, &a, &gr, err, sizeof err) == 0) {
            int64_t times[MAX_SNAPS];
            for (size_t i = 0; i < np; i++)
                times[i] = p[i]->time_nanos;
            lh_report_goroutines_text(&b, &gr, names, 0);
            lh_report_goroutines_json(&b, &gr, names, times);
        }
    }

    lh_buf_free(&b);
    lh_arena_free(&a);
    for (size_t i = 0; i < ns; i++)
        lh_stacks_free(&s[i]);
    for (size_t i = 0; i < np; i++)
        lh_profile_free(p[i]);
    return 0;
}
