#include "report/profile_report.h"

#include <inttypes.h>
#include <string.h>
#include "util/satmath.h"
#include "util/duration.h"

void lh_report_value(lh_buf *b, int64_t v, const char *unit)
{
    static const char *const mem[] = {"B", "kB", "MB", "GB", "TB", "PB"};
    static const char *const dur[] = {"ns", "us", "ms", "s"};
    const char *const *names = NULL;
    size_t nnames = 0;
    double step = 1000;
    if (strcmp(unit, "bytes") == 0) {
        names = mem;
        nnames = sizeof mem / sizeof *mem;
        step = 1024;
    } else if (strcmp(unit, "nanoseconds") == 0) {
        names = dur;
        nnames = sizeof dur / sizeof *dur;
    }
    if (!names || v == 0) {
        lh_buf_printf(b, "%" PRId64 "%s", v, names ? names[0] : "");
        return;
    }
    double x = (double)v, ax = x < 0 ? -x : x;
    size_t k = 0;
    while (ax >= step && k + 1 < nnames) {
        ax /= step;
        x /= step;
        k++;
    }
    if (k == 0)
        lh_buf_printf(b, "%" PRId64 "%s", v, names[0]);
    else
        lh_buf_printf(b, "%.2f%s", x, names[k]);
}

static double pct(int64_t v, int64_t total)
{
    return total ? 100.0 * (double)v / (double)total : 0.0;
}

static void cell(lh_buf *b, int64_t v, const char *unit, int width)
{
    lh_buf tmp = LH_BUF_INIT;
    lh_report_value(&tmp, v, unit);
    lh_buf_printf(b, "%*s", width, tmp.data ? tmp.data : "");
    lh_buf_free(&tmp);
}

static void frame_loc(lh_buf *b, const char *file, int64_t line)
{
    if (!file[0])
        return;
    lh_buf_printf(b, "  %s", file);
    if (line > 0)
        lh_buf_printf(b, ":%" PRId64, line);
}

void lh_report_top_text(lh_buf *b, const lh_top_result *r, size_t limit, const char *title)
{
    size_t n = r->nentries;
    if (limit && n > limit)
        n = limit;
    if (title && title[0])
        lh_buf_printf(b, "%s\n", title);
    lh_buf_printf(b, "Type: %s\n", r->sample_type);
    lh_buf_puts(b, "Showing top ");
    lh_buf_printf(b, "%zu of %zu %s, total ", n, r->nentries,
                  lh_plural((long long)r->nentries, "entry", "entries"));
    lh_report_value(b, r->total, r->unit);
    if (r->net != r->total) {
        lh_buf_puts(b, " (net ");
        lh_report_value(b, r->net, r->unit);
        lh_buf_puts(b, ")");
    }
    lh_buf_puts(b, "\n");
    lh_buf_printf(b, "%10s %6s %6s %10s %6s\n", "flat", "flat%", "sum%", "cum", "cum%");
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        const lh_top_entry *e = &r->entries[i];
        sum = lh_sat_add(sum, e->flat);
        cell(b, e->flat, r->unit, 10);
        lh_buf_printf(b, " %5.2f%% %5.2f%% ", pct(e->flat, r->total), pct(sum, r->total));
        cell(b, e->cum, r->unit, 10);
        lh_buf_printf(b, " %5.2f%%  %s", pct(e->cum, r->total), e->function);
        frame_loc(b, e->file, e->line);
        lh_buf_puts(b, "\n");
    }
}

static void json_str(lh_buf *b, const char *s)
{
    lh_buf_json_str(b, s, strlen(s));
}

/* The JSON rule (README, "Output"): a field with no value is left out,
 * never written as "" or a line 0. These write ",\"key\":value" only when
 * there is a value; every object starts with a field that always has one. */
static void json_opt_str(lh_buf *b, const char *key, const char *s)
{
    if (!s || !s[0])
        return;
    lh_buf_printf(b, ",\"%s\":", key);
    json_str(b, s);
}

static void json_opt_line(lh_buf *b, const char *key, int64_t line)
{
    if (line > 0)
        lh_buf_printf(b, ",\"%s\":%" PRId64, key, line);
}

void lh_report_top_json(lh_buf *b, const lh_top_result *r, size_t limit, const char *profile,
                        const char *base)
{
    size_t n = r->nentries;
    if (limit && n > limit)
        n = limit;
    lh_buf_puts(b, "{\"profile\":");
    json_str(b, profile ? profile : "");
    if (base) {
        lh_buf_puts(b, ",\"base\":");
        json_str(b, base);
    }
    lh_buf_puts(b, ",\"sample_type\":");
    json_str(b, r->sample_type);
    lh_buf_puts(b, ",\"unit\":");
    json_str(b, r->unit);
    lh_buf_printf(b, ",\"total\":%" PRId64 ",\"net\":%" PRId64 ",\"entries\":[", r->total, r->net);
    for (size_t i = 0; i < n; i++) {
        const lh_top_entry *e = &r->entries[i];
        lh_buf_puts(b, i ? ",\n{\"function\":" : "\n{\"function\":");
        json_str(b, e->function);
        json_opt_str(b, "file", e->file);
        json_opt_line(b, "line", e->line);
        lh_buf_printf(b, ",\"flat\":%" PRId64 ",\"cum\":%" PRId64 ",\"flat_pct\":%.2f,\"cum_pct\":%.2f}",
                      e->flat, e->cum, pct(e->flat, r->total), pct(e->cum, r->total));
    }
    lh_buf_puts(b, "]}\n");
}

/* per: one hour, or one snapshot when their times are unknown. */
static void rate(lh_buf *b, double per, int spaced)
{
    lh_buf_puts(b, per >= 0 ? "+" : "-");
    lh_report_value(b, lh_sat_from_double(per >= 0 ? per : -per), "bytes");
    lh_buf_puts(b, spaced ? "/h" : "/snapshot");
}

static void trend_site_text(lh_buf *b, const lh_trend_site *st, size_t n, int spaced)
{
    lh_buf t = LH_BUF_INIT;
    rate(&t, st->slope_bytes_per_hour, spaced);
    lh_buf_printf(b, "  %12s  R2=%.2f  now ", t.data, st->r2);
    lh_buf_clear(&t);
    lh_report_value(&t, st->bytes[n - 1], "bytes");
    lh_buf_printf(b, "%9s  %s", t.data, st->function);
    lh_buf_free(&t);
    frame_loc(b, st->file, st->line);
    lh_buf_puts(b, "\n      in use:");
    /* The series itself, so a reader can see the shape the class claims. */
    size_t from = n > 8 ? n - 8 : 0;
    if (from)
        lh_buf_puts(b, " ...");
    for (size_t j = from; j < n; j++) {
        lh_buf_puts(b, " ");
        lh_report_value(b, st->bytes[j], "bytes");
    }
    lh_buf_puts(b, "\n");
}

void lh_report_trend_text(lh_buf *b, const lh_trend_result *r, const char *const *names,
                          size_t limit)
{
    size_t n = r->nsnapshots;
    double h = r->hours;
    lh_buf_printf(b, "Snapshots: %zu ", n);
    if (!r->spaced)
        lh_buf_puts(b, "at unknown times (taken as evenly spaced)");
    else if (h >= 1)
        lh_buf_printf(b, "over %.2f hours", h);
    else if (h * 60 >= 1)
        lh_buf_printf(b, "over %.1f minutes", h * 60);
    else
        lh_buf_printf(b, "over %.1f seconds", h * 3600);
    lh_buf_printf(b, ", from %s to %s\n", names[r->order[0]], names[r->order[n - 1]]);
    size_t i = 0, nplateau = 0, nnoise = 0;
    if (r->ngrowing) {
        lh_buf_printf(b, "\nLeak suspects: %zu site%s growing steadily (slope of in-use bytes per %s)\n",
                      r->ngrowing, r->ngrowing == 1 ? "" : "s", r->spaced ? "hour" : "snapshot");
        for (; i < r->nsites && r->sites[i].cls == LH_TREND_GROWING; i++)
            trend_site_text(b, &r->sites[i], n, r->spaced);
    } else {
        lh_buf_puts(b, "\nNo site is growing steadily.\n");
    }
    size_t shown = 0;
    for (; i < r->nsites && r->sites[i].cls == LH_TREND_PLATEAU; i++, nplateau++) {
        if (limit && shown >= limit)
            continue;
        if (shown++ == 0)
            lh_buf_puts(b, "\nPlateau: grew, then settled (warm-up, filled caches; not suspects)\n");
        trend_site_text(b, &r->sites[i], n, r->spaced);
    }
    if (nplateau > shown)
        lh_buf_printf(b, "  ... and %zu more plateau %s\n", nplateau - shown,
                      lh_plural((long long)(nplateau - shown), "site", "sites"));
    nnoise = r->nsites - i;
    lh_buf_printf(b, "\n%zu other site%s without a steady trend (noise).\n", nnoise,
                  nnoise == 1 ? "" : "s");
}

static void json_series(lh_buf *b, const int64_t *v, size_t n)
{
    lh_buf_putc(b, '[');
    for (size_t j = 0; j < n; j++)
        lh_buf_printf(b, j ? ",%" PRId64 : "%" PRId64, v[j]);
    lh_buf_putc(b, ']');
}

static void json_num(lh_buf *b, double x)
{
    /* JSON has no NaN or infinity; the fit never makes them, but be safe. */
    if (x != x || x > 1e300 || x < -1e300)
        x = 0;
    lh_buf_printf(b, "%.6g", x);
}

void lh_report_trend_json(lh_buf *b, const lh_trend_result *r, const char *const *names,
                          const int64_t *times)
{
    size_t n = r->nsnapshots;
    lh_buf_puts(b, "{\"snapshots\":[");
    for (size_t j = 0; j < n; j++) {
        lh_buf_puts(b, j ? ",{\"profile\":" : "{\"profile\":");
        json_str(b, names[r->order[j]]);
        if (times[r->order[j]])
            lh_buf_printf(b, ",\"time_nanos\":%" PRId64, times[r->order[j]]);
        lh_buf_putc(b, '}');
    }
    lh_buf_putc(b, ']');
    /* Without a time axis there are no hours, and the slopes are per
     * snapshot: other names, so no reader takes them for hourly rates. */
    const char *per = r->spaced ? "hour" : "snapshot";
    if (r->spaced) {
        lh_buf_puts(b, ",\"hours\":");
        json_num(b, r->hours);
    }
    lh_buf_printf(b, ",\"growing\":%zu,\"sites\":[", r->ngrowing);
    for (size_t i = 0; i < r->nsites; i++) {
        const lh_trend_site *st = &r->sites[i];
        lh_buf_puts(b, i ? ",\n{\"function\":" : "\n{\"function\":");
        json_str(b, st->function);
        json_opt_str(b, "file", st->file);
        json_opt_line(b, "line", st->line);
        lh_buf_puts(b, ",\"class\":");
        json_str(b, lh_trend_class_name(st->cls));
        lh_buf_printf(b, ",\"slope_bytes_per_%s\":", per);
        json_num(b, st->slope_bytes_per_hour);
        lh_buf_puts(b, ",\"r2\":");
        json_num(b, st->r2);
        lh_buf_printf(b, ",\"late_slope_bytes_per_%s\":", per);
        json_num(b, st->late_slope_bytes_per_hour);
        lh_buf_printf(b, ",\"slope_objects_per_%s\":", per);
        json_num(b, st->slope_objects_per_hour);
        lh_buf_puts(b, ",\"r2_objects\":");
        json_num(b, st->r2_objects);
        lh_buf_puts(b, ",\"bytes\":");
        json_series(b, st->bytes, n);
        lh_buf_puts(b, ",\"objects\":");
        json_series(b, st->objects, n);
        lh_buf_putc(b, '}');
    }
    lh_buf_puts(b, "]}\n");
}

static void group_text(lh_buf *b, const lh_goroutine_group *g, size_t ndumps)
{
    lh_buf_printf(b, "  %6" PRId64 " x %s", g->count, g->wait_reason[0] ? g->wait_reason : "unknown wait");
    if (g->max_wait_minutes)
        lh_buf_printf(b, ", up to %" PRId64 " %s", g->max_wait_minutes,
                      lh_plural(g->max_wait_minutes, "minute", "minutes"));
    if (g->leaked)
        lh_buf_puts(b, " (leaked)");
    /* Only a waiting goroutine is blocked; a running or runnable one (the
     * one that wrote the dump, a busy loop) is merely somewhere. */
    const char *w = g->wait_reason;
    int waiting = !(strcmp(w, "running") == 0 || strcmp(w, "runnable") == 0 ||
                    strcmp(w, "syscall") == 0);
    lh_buf_printf(b, "\n      %s %s", waiting ? "blocked in" : "at", g->function);
    frame_loc(b, g->file, g->line);
    if (g->user_function[0]) {
        lh_buf_printf(b, "\n      called from %s", g->user_function);
        frame_loc(b, g->user_file, g->user_line);
    }
    /* What the goroutine runs, unless a line above already said it: what
     * tells a server's connection from a client's read loop when the dump
     * does not say who created them. */
    if (g->start_function[0] && strcmp(g->start_function, g->function) != 0 &&
        strcmp(g->start_function, g->user_function) != 0)
        lh_buf_printf(b, "\n      started as %s", g->start_function);
    if (g->created_function[0]) {
        lh_buf_printf(b, "\n      created by %s", g->created_function);
        frame_loc(b, g->created_file, g->created_line);
    }
    if (ndumps > 1) {
        lh_buf_puts(b, "\n      counts:");
        size_t from = ndumps > 10 ? ndumps - 10 : 0;
        if (from)
            lh_buf_puts(b, " ...");
        for (size_t i = from; i < ndumps; i++)
            lh_buf_printf(b, " %" PRId64, g->counts[i]);
    }
    lh_buf_printf(b, "\n      %s\n", g->why);
}

void lh_report_goroutines_text(lh_buf *b, const lh_goroutine_result *r,
                               const char *const *names, size_t limit)
{
    size_t n = r->ndumps;
    if (n == 1)
        lh_buf_printf(b, "Dump: %s, %" PRId64 " goroutine%s in %zu group%s\n", names[r->order[0]],
                      r->totals[0], r->totals[0] == 1 ? "" : "s", r->ngroups,
                      r->ngroups == 1 ? "" : "s");
    else
        lh_buf_printf(b, "Dumps: %zu, from %s (%" PRId64 " goroutine%s) to %s (%" PRId64
                         " goroutine%s), %zu group%s\n",
                      n, names[r->order[0]], r->totals[0], r->totals[0] == 1 ? "" : "s",
                      names[r->order[n - 1]], r->totals[n - 1], r->totals[n - 1] == 1 ? "" : "s",
                      r->ngroups, r->ngroups == 1 ? "" : "s");
    size_t i = 0;
    if (r->nsuspects) {
        lh_buf_printf(b, "\nLeak suspects: %zu group%s\n", r->nsuspects, r->nsuspects == 1 ? "" : "s");
        for (; i < r->ngroups && r->groups[i].suspect; i++)
            group_text(b, &r->groups[i], n);
    } else {
        lh_buf_puts(b, "\nNo leak suspects.\n");
    }
    size_t rest = r->ngroups - i, shown = 0;
    if (rest)
        lh_buf_puts(b, "\nOther groups:\n");
    for (; i < r->ngroups && (!limit || shown < limit); i++, shown++)
        group_text(b, &r->groups[i], n);
    if (rest > shown)
        lh_buf_printf(b, "  ... and %zu more %s\n", rest - shown,
                      lh_plural((long long)(rest - shown), "group", "groups"));
}

void lh_report_goroutines_json(lh_buf *b, const lh_goroutine_result *r,
                               const char *const *names, const int64_t *times)
{
    size_t n = r->ndumps;
    lh_buf_puts(b, "{\"dumps\":[");
    for (size_t j = 0; j < n; j++) {
        lh_buf_puts(b, j ? ",{\"profile\":" : "{\"profile\":");
        json_str(b, names[r->order[j]]);
        if (times[r->order[j]])
            lh_buf_printf(b, ",\"time_nanos\":%" PRId64, times[r->order[j]]);
        lh_buf_printf(b, ",\"goroutines\":%" PRId64 "}", r->totals[j]);
    }
    lh_buf_printf(b, "],\"suspects\":%zu,\"groups\":[", r->nsuspects);
    for (size_t i = 0; i < r->ngroups; i++) {
        const lh_goroutine_group *g = &r->groups[i];
        lh_buf_printf(b, "%s{\"count\":%" PRId64, i ? ",\n" : "\n", g->count);
        json_opt_str(b, "wait_reason", g->wait_reason);
        lh_buf_printf(b, ",\"max_wait_minutes\":%" PRId64 ",\"function\":", g->max_wait_minutes);
        json_str(b, g->function);
        json_opt_str(b, "file", g->file);
        json_opt_line(b, "line", g->line);
        if (g->user_function[0]) {
            json_opt_str(b, "user_function", g->user_function);
            json_opt_str(b, "user_file", g->user_file);
            json_opt_line(b, "user_line", g->user_line);
        }
        if (g->created_function[0]) {
            lh_buf_puts(b, ",\"created_by\":{\"function\":");
            json_str(b, g->created_function);
            json_opt_str(b, "file", g->created_file);
            json_opt_line(b, "line", g->created_line);
            lh_buf_putc(b, '}');
        }
        json_opt_str(b, "start_function", g->start_function);
        lh_buf_printf(b, ",\"suspect\":%s,\"why\":", g->suspect ? "true" : "false");
        json_str(b, g->why);
        lh_buf_puts(b, ",\"category\":");
        json_str(b, lh_goroutine_category_name(g->category));
        lh_buf_printf(b, ",\"leaked\":%s,\"counts\":", g->leaked ? "true" : "false");
        json_series(b, g->counts, n);
        lh_buf_putc(b, '}');
    }
    lh_buf_puts(b, "]}\n");
}
