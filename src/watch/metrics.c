/* The fleet's /metrics page. One pass per metric family over the targets:
 * the exposition format wants a family's samples together, under one HELP
 * and one TYPE line. */
#include "watch/metrics.h"

#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lh_metrics_label_value(lh_buf *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    lh_buf_putc(out, '"');
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if (c == '\\' || c == '"') {
            lh_buf_putc(out, '\\');
            lh_buf_putc(out, (char)c);
            i++;
        } else if (c == '\n') {
            lh_buf_puts(out, "\\n");
            i++;
        } else if (c < 0x80) {
            lh_buf_putc(out, (char)c);
            i++;
        } else {
            i += lh_buf_put_utf8(out, s + i, n - i);
        }
    }
    lh_buf_putc(out, '"');
}

void lh_metrics_value(lh_buf *out, double v)
{
    if (isnan(v))
        lh_buf_puts(out, "NaN");
    else if (isinf(v))
        lh_buf_puts(out, v > 0 ? "+Inf" : "-Inf");
    else if (v == floor(v) && fabs(v) < 9007199254740992.0)
        lh_buf_printf(out, "%.0f", v);
    else {
        /* The shortest of %.15g..%.17g that reads back exactly. */
        char tmp[40];
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(tmp, sizeof tmp, "%.*g", prec, v);
            if (strtod(tmp, NULL) == v)
                break;
        }
        lh_buf_puts(out, tmp);
    }
}

static void family(lh_buf *out, const char *name, const char *type, const char *help)
{
    lh_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{target="...",group labels... (then the caller's extra labels) */
static void series_open(lh_buf *out, const char *name, const lh_metrics_target *t)
{
    lh_buf_printf(out, "%s{target=", name);
    lh_metrics_label_value(out, t->target);
    for (size_t i = 0; i < t->nlabels; i++) {
        lh_buf_printf(out, ",%s=", t->labels[i].name);
        lh_metrics_label_value(out, t->labels[i].value);
    }
}

static void series_close(lh_buf *out, double v)
{
    lh_buf_puts(out, "} ");
    lh_metrics_value(out, v);
    lh_buf_putc(out, '\n');
}

static void target_gauge(lh_buf *out, const lh_metrics_target *t, size_t n, const char *name,
                         const char *type, const char *help, size_t field_off, int is_u64)
{
    family(out, name, type, help);
    for (size_t i = 0; i < n; i++) {
        const char *base = (const char *)&t[i];
        double v = is_u64 ? (double)*(const uint64_t *)(base + field_off)
                          : *(const double *)(base + field_off);
        if (isnan(v))
            continue;
        series_open(out, name, &t[i]);
        series_close(out, v);
    }
}

/* Whether suspect j of r has the same series labels as an earlier one. */
static int suspect_seen(const lh_watch_report *r, size_t j)
{
    const lh_watch_suspect *s = &r->suspects[j];
    for (size_t i = 0; i < j; i++) {
        const lh_watch_suspect *o = &r->suspects[i];
        if (o->kind == s->kind && o->line == s->line && strcmp(o->function, s->function) == 0 &&
            strcmp(o->file, s->file) == 0)
            return 1;
    }
    return 0;
}

typedef enum { SUSPECT_CONFIDENCE, SUSPECT_BYTES, SUSPECT_GOROUTINES } suspect_family;

static int suspect_in_family(const lh_watch_suspect *s, suspect_family f)
{
    switch (f) {
    case SUSPECT_CONFIDENCE: return 1;
    case SUSPECT_BYTES: return strcmp(s->unit, "bytes") == 0;
    case SUSPECT_GOROUTINES: return strcmp(s->unit, "goroutines") == 0;
    }
    return 0;
}

static void suspects(lh_buf *out, const lh_metrics_target *t, size_t n, int max,
                     suspect_family f, const char *name, const char *help)
{
    family(out, name, "gauge", help);
    for (size_t i = 0; i < n; i++) {
        const lh_watch_report *r = t[i].report;
        if (!r)
            continue;
        int written = 0;
        for (size_t j = 0; j < r->nsuspects && (max <= 0 || written < max); j++) {
            const lh_watch_suspect *s = &r->suspects[j];
            if (suspect_seen(r, j))
                continue;
            /* The cap counts distinct series of every unit, so that each
             * family holds the same top suspects. */
            written++;
            if (!suspect_in_family(s, f))
                continue;
            series_open(out, name, &t[i]);
            lh_buf_puts(out, ",kind=");
            lh_metrics_label_value(out, lh_suspect_kind_name(s->kind));
            lh_buf_puts(out, ",function=");
            lh_metrics_label_value(out, s->function);
            lh_buf_puts(out, ",file=");
            lh_metrics_label_value(out, s->file);
            lh_buf_printf(out, ",line=\"%" PRId64 "\",confirmed=\"%s\"", s->line,
                          s->confirmed_by ? "true" : "false");
            series_close(out, f == SUSPECT_CONFIDENCE ? s->confidence : s->growth_per_hour / 3600.0);
        }
    }
}

void lh_metrics_render(lh_buf *out, const lh_metrics_target *t, size_t n,
                       const lh_metrics_daemon *d)
{
    family(out, "leakhound_targets", "gauge", "Targets being watched.");
    lh_buf_printf(out, "leakhound_targets %zu\n", n);
    family(out, "leakhound_targets_file_reloads_total", "counter",
           "Reads of the targets file, by result (a failed read keeps the previous targets).");
    lh_buf_printf(out, "leakhound_targets_file_reloads_total{result=\"ok\"} %" PRIu64 "\n",
                  d->sd_reloads_ok);
    lh_buf_printf(out, "leakhound_targets_file_reloads_total{result=\"error\"} %" PRIu64 "\n",
                  d->sd_reloads_failed);
    family(out, "leakhound_targets_file_last_reload_success_timestamp_seconds", "gauge",
           "Unix time of the last successful read of the targets file.");
    lh_buf_puts(out, "leakhound_targets_file_last_reload_success_timestamp_seconds ");
    lh_metrics_value(out, (double)d->sd_last_ok_unix_ms / 1000.0);
    lh_buf_putc(out, '\n');

    family(out, "leakhound_target_up", "gauge",
           "1 when the last poll of the target gave a usable snapshot, else 0.");
    for (size_t i = 0; i < n; i++) {
        if (!t[i].polled)
            continue;
        series_open(out, "leakhound_target_up", &t[i]);
        series_close(out, t[i].up ? 1 : 0);
    }
    target_gauge(out, t, n, "leakhound_heap_inuse_bytes", "gauge",
                 "Heap in use by the target at its last snapshot (inuse_space of the heap profile).",
                 offsetof(lh_metrics_target, heap_inuse_bytes), 0);
    target_gauge(out, t, n, "leakhound_goroutines", "gauge",
                 "Goroutines of the target at its last snapshot.",
                 offsetof(lh_metrics_target, goroutines), 0);
    family(out, "leakhound_last_success_timestamp_seconds", "gauge",
           "Unix time of the target's last successful poll.");
    for (size_t i = 0; i < n; i++) {
        if (t[i].last_ok_unix_ms <= 0)
            continue;
        series_open(out, "leakhound_last_success_timestamp_seconds", &t[i]);
        series_close(out, (double)t[i].last_ok_unix_ms / 1000.0);
    }
    target_gauge(out, t, n, "leakhound_polls_total", "counter", "Polls of the target.",
                 offsetof(lh_metrics_target, polls), 1);
    family(out, "leakhound_poll_errors_total", "counter",
           "Polls of the target that failed or were partial, by kind.");
    for (size_t i = 0; i < n; i++) {
        /* Every kind from the start, at 0: rate() and increase() need the
         * series to exist before the first error. */
        for (int k = 0; k < LH_METRICS_NSTATUS; k++) {
            if (k == LH_POLL_OK)
                continue;
            series_open(out, "leakhound_poll_errors_total", &t[i]);
            lh_buf_puts(out, ",kind=");
            lh_metrics_label_value(out, lh_poll_status_name((lh_poll_status)k));
            series_close(out, (double)t[i].by_status[k]);
        }
    }
    family(out, "leakhound_restarts_total", "counter",
           "Restarts of the target's process seen by the watch (counters that went back).");
    for (size_t i = 0; i < n; i++) {
        series_open(out, "leakhound_restarts_total", &t[i]);
        series_close(out, (double)t[i].restarts);
    }
    family(out, "leakhound_snapshots", "gauge",
           "Snapshots of the target in the rolling window the verdict is made from.");
    for (size_t i = 0; i < n; i++) {
        series_open(out, "leakhound_snapshots", &t[i]);
        series_close(out, (double)t[i].snapshots);
    }
    family(out, "leakhound_suspects", "gauge",
           "Leak suspects of the target before the --max-suspects cap.");
    for (size_t i = 0; i < n; i++) {
        series_open(out, "leakhound_suspects", &t[i]);
        series_close(out, t[i].report ? (double)t[i].report->nsuspects : 0);
    }

    suspects(out, t, n, d->max_suspects, SUSPECT_BYTES,
             "leakhound_suspect_growth_bytes_per_second",
             "Growth of a heap or connection leak suspect, in bytes per second (slope over the window).");
    suspects(out, t, n, d->max_suspects, SUSPECT_GOROUTINES,
             "leakhound_suspect_growth_goroutines_per_second",
             "Growth of a goroutine leak suspect, in goroutines per second (slope over the window).");
    suspects(out, t, n, d->max_suspects, SUSPECT_CONFIDENCE, "leakhound_suspect_confidence",
             "Confidence in a leak suspect, 0 to 1; confirmed=\"true\" when a scan finding in the "
             "target's source explains it.");
}
