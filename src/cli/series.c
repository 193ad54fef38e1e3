#include "cli/series.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "live/fetch.h"
#include "util/duration.h"

void lh_cli_series_flags(lh_series_cfg *cfg, lh_flag table[LH_CLI_SERIES_NFLAGS])
{
    /* A millisecond at least: anything shorter is the mistake --every
     * exists to prevent (snapshots taken at once). */
    table[0] = (lh_flag){"every", LH_FLAG_DURATION, &cfg->every_ns, 1000000, NULL, NULL};
    table[1] = (lh_flag){"count", LH_FLAG_COUNT, &cfg->count, 1, NULL, NULL};
    table[2] = (lh_flag)LH_FLAG_END;
}

int lh_cli_series_parse(const char *cmd, const char *usage, const lh_flag *own, lh_load_cfg *load,
                        lh_series_cfg *cfg, int argc, char **argv, char ***ops, size_t *nops)
{
    lh_flag loadf[LH_CLI_LOAD_NFLAGS], seriesf[LH_CLI_SERIES_NFLAGS];
    lh_cli_load_flags(load, loadf);
    lh_cli_series_flags(cfg, seriesf);
    const lh_flag *tables[] = {own, loadf, seriesf, NULL};
    *ops = calloc((size_t)argc + 1, sizeof **ops);
    if (!*ops)
        abort();
    int rc = lh_flags_parse(cmd, usage, tables, argc, argv, *ops, nops);
    if (rc != 0) {
        free(*ops);
        *ops = NULL;
    }
    return rc;
}

static int64_t now_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Sleeps until the monotonic clock reads at. */
static void sleep_until(int64_t at)
{
    for (;;) {
        int64_t left = at - now_ns(CLOCK_MONOTONIC);
        if (left <= 0)
            return;
        struct timespec ts = {(time_t)(left / 1000000000), (long)(left % 1000000000)};
        if (nanosleep(&ts, NULL) == 0)
            return;
        if (errno != EINTR)
            return;
    }
}

static int add(lh_snapshots *out, size_t cap, lh_profile *p, int64_t file_time, lh_snapshot_fn fn,
               void *ctx)
{
    size_t i = out->n;
    if (i == cap)
        abort();
    char *name = strdup(p->name);
    if (!name)
        abort();
    out->names[i] = name;
    out->info[i] = (lh_snapshot_info){name, p->time_nanos, file_time};
    out->n++;
    return fn(ctx, i, p);
}

/* The operand as lh_cli_load_profile will read it: the URL, or NULL for a
 * file. */
static const char *url_of(const char *op, const lh_load_cfg *load, char *buf, size_t cap)
{
    return lh_fetch_profile_url(op, load ? load->default_path : NULL, buf, cap) == 1 ? buf : NULL;
}

static int take_every(const char *op, const lh_series_cfg *cfg, const lh_load_cfg *load,
                      size_t count, lh_snapshot_fn fn, void *ctx, lh_snapshots *out)
{
    char url[4096], every[LH_DURATION_MAX_TEXT];
    if (!url_of(op, load, url, sizeof url)) {
        lh_cli_error("%s: not a URL; --every takes snapshots of a running program "
                     "(http://host:port/debug/pprof/...)", op);
        return -1;
    }
    lh_duration_format(cfg->every_ns, every, sizeof every);
    int64_t start = now_ns(CLOCK_MONOTONIC);
    for (size_t i = 0; i < count; i++) {
        /* On a schedule from the first fetch, so a slow fetch does not
         * stretch the series. */
        if (i)
            sleep_until(start + (int64_t)i * cfg->every_ns);
        lh_profile *p;
        if (lh_cli_load_profile(url, load, &p) != 0)
            return -1;
        if (add(out, count, p, 0, fn, ctx) != 0)
            return -1;
        if (i + 1 < count)
            fprintf(stderr, "leakhound %s: snapshot %zu of %zu from %s; next in %s\n", lh_cli_cmd,
                    i + 1, count, url, every);
        else
            fprintf(stderr, "leakhound %s: snapshot %zu of %zu from %s\n", lh_cli_cmd, i + 1,
                    count, url);
    }
    return 0;
}

int lh_cli_snapshots(char **ops, size_t nops, const lh_series_cfg *cfg, const lh_load_cfg *load,
                     size_t min, size_t max, long long default_count, lh_snapshot_fn fn,
                     void *ctx, lh_snapshots *out)
{
    memset(out, 0, sizeof *out);
    if (cfg->count && !cfg->every_ns) {
        lh_cli_error("--count needs --every: it says how many snapshots to take over time");
        return -1;
    }
    size_t n = nops;
    if (cfg->every_ns) {
        if (nops != 1) {
            lh_cli_error("--every takes snapshots of one URL, not of %zu profiles", nops);
            return -1;
        }
        long long c = cfg->count ? cfg->count : default_count;
        n = (size_t)c;
        if (n < min || (max && n > max)) {
            if (min == max)
                lh_cli_error("--count must be %zu here, not %lld", min, c);
            else
                lh_cli_error("--count must be at least %zu, not %lld", min, c);
            return -1;
        }
    } else {
        /* One URL given twice: two fetches milliseconds apart, which see
         * the same heap and the same goroutines. */
        char a[4096], b[4096];
        for (size_t i = 0; i < nops; i++) {
            if (!url_of(ops[i], load, a, sizeof a))
                continue;
            size_t times = 1;
            for (size_t j = i + 1; j < nops; j++)
                if (url_of(ops[j], load, b, sizeof b) && strcmp(a, b) == 0)
                    times++;
            if (times > 1) {
                lh_cli_error("%s: given %zu times, it would be fetched %zu times at once; take "
                             "snapshots over time with --every DURATION --count N, or follow "
                             "the program with leakhound watch",
                             a, times, times);
                return -1;
            }
        }
    }
    out->names = calloc(n ? n : 1, sizeof *out->names);
    out->info = calloc(n ? n : 1, sizeof *out->info);
    if (!out->names || !out->info)
        abort();
    if (cfg->every_ns)
        return take_every(ops[0], cfg, load, n, fn, ctx, out);
    for (size_t i = 0; i < nops; i++) {
        lh_profile *p;
        if (lh_cli_load_profile(ops[i], load, &p) != 0)
            return -1;
        /* A file's time, for spacing text snapshots that record none. A
         * path that exists is a file (lh_fetch_profile_url's first rule). */
        struct stat st;
        int64_t ft = 0;
        if (strcmp(ops[i], "-") != 0 && stat(ops[i], &st) == 0)
            ft = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
        if (add(out, n, p, ft, fn, ctx) != 0)
            return -1;
    }
    return 0;
}

int lh_cli_keep_profile(void *ctx, size_t i, lh_profile *p)
{
    lh_profile_list *l = ctx;
    if (i >= l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        while (cap <= i)
            cap *= 2;
        l->v = realloc(l->v, cap * sizeof *l->v);
        if (!l->v)
            abort();
        memset(l->v + l->cap, 0, (cap - l->cap) * sizeof *l->v);
        l->cap = cap;
    }
    l->v[i] = p;
    if (i >= l->n)
        l->n = i + 1;
    return 0;
}

void lh_profile_list_free(lh_profile_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        lh_profile_free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

void lh_cli_snapshots_order(const lh_snapshots *s, lh_arena *a, lh_series *out,
                            const char ***names)
{
    lh_series_order(s->info, s->n, a, out);
    *names = LH_NEWN(a, const char *, s->n);
    for (size_t k = 0; k < s->n; k++)
        (*names)[k] = s->names[out->order[k]];
}

void lh_cli_series_notes(const lh_series *s)
{
    if (s->note_order[0])
        fprintf(stderr, "leakhound %s: note: %s\n", lh_cli_cmd, s->note_order);
    if (s->note_times[0])
        fprintf(stderr, "leakhound %s: note: %s\n", lh_cli_cmd, s->note_times);
}

void lh_cli_snapshots_free(lh_snapshots *s)
{
    for (size_t i = 0; i < s->n; i++)
        free((char *)s->names[i]);
    free(s->names);
    free(s->info);
    memset(s, 0, sizeof *s);
}
