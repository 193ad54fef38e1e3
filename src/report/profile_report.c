#include "report/profile_report.h"

#include <inttypes.h>
#include <string.h>

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
    lh_buf_printf(b, "%zu of %zu entries, total ", n, r->nentries);
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
        sum += e->flat;
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

void lh_report_top_json(lh_buf *b, const lh_top_result *r, size_t limit, const char *profile)
{
    size_t n = r->nentries;
    if (limit && n > limit)
        n = limit;
    lh_buf_puts(b, "{\"profile\":");
    json_str(b, profile ? profile : "");
    lh_buf_puts(b, ",\"sample_type\":");
    json_str(b, r->sample_type);
    lh_buf_puts(b, ",\"unit\":");
    json_str(b, r->unit);
    lh_buf_printf(b, ",\"total\":%" PRId64 ",\"net\":%" PRId64 ",\"entries\":[", r->total, r->net);
    for (size_t i = 0; i < n; i++) {
        const lh_top_entry *e = &r->entries[i];
        lh_buf_puts(b, i ? ",\n{\"function\":" : "\n{\"function\":");
        json_str(b, e->function);
        lh_buf_puts(b, ",\"file\":");
        json_str(b, e->file);
        lh_buf_printf(b, ",\"line\":%" PRId64 ",\"flat\":%" PRId64 ",\"cum\":%" PRId64
                         ",\"flat_pct\":%.2f,\"cum_pct\":%.2f}",
                      e->line, e->flat, e->cum, pct(e->flat, r->total), pct(e->cum, r->total));
    }
    lh_buf_puts(b, "]}\n");
}
