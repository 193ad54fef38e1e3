/* watch --format json: the report model as one JSON object.
 *
 *   {"target", "started", "started_unix_ms", "duration_s", "snapshots",
 *    "verdict", "restarts": [snapshot index],
 *    "suspects": [{"kind", "function", "file", "line", "growth_per_hour",
 *                  "unit", "confidence", "confirmed_by": {"rule", "file",
 *                  "line", "col", "message", "fix"} | null, "stack":
 *                  [{"function", "file", "line"}], "std_function",
 *                  "std_file", "std_line", "wait_reason", "summary",
 *                  "series": [per snapshot]}],
 *    "series": {"t_s", "heap_inuse_bytes", "goroutines", "rss_bytes"},
 *    "notes": [{"t_s", "text"}]}
 *
 * Suspects in rank order; values that were not measured are null. */
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "watch/watch.h"

static void str(lh_buf *b, const char *s)
{
    s = s ? s : "";
    lh_buf_json_str(b, s, strlen(s));
}

/* The project's JSON leaves a field without a value out (no "", no line
 * 0); confirmed_by is the exception the shape asks for: null when
 * nothing confirms the suspect, so a reader can tell "not joined". */
static void opt_str(lh_buf *b, const char *key, const char *v)
{
    if (!v || !v[0])
        return;
    lh_buf_printf(b, ",\"%s\":", key);
    str(b, v);
}

static void opt_line(lh_buf *b, const char *key, int64_t v)
{
    if (v > 0)
        lh_buf_printf(b, ",\"%s\":%" PRId64, key, v);
}

static void num(lh_buf *b, double x)
{
    if (isnan(x) || isinf(x))
        lh_buf_puts(b, "null");
    else if (x == floor(x) && fabs(x) < 1e15)
        lh_buf_printf(b, "%.0f", x);
    else
        lh_buf_printf(b, "%.6g", x);
}

static void series(lh_buf *b, const double *v, size_t n)
{
    lh_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            lh_buf_putc(b, ',');
        num(b, v ? v[i] : NAN);
    }
    lh_buf_putc(b, ']');
}

/* RFC 3339 in UTC, to the millisecond. */
static void timestamp(lh_buf *b, int64_t unix_ms)
{
    time_t secs = (time_t)(unix_ms / 1000);
    struct tm tm;
    char s[32] = "";
    if (gmtime_r(&secs, &tm))
        strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%S", &tm);
    lh_buf_printf(b, "\"%s.%03dZ\"", s, (int)(unix_ms % 1000));
}

static void json_report(lh_buf *b, const lh_watch_report *r)
{
    lh_buf_puts(b, "{\"target\":");
    str(b, r->target);
    lh_buf_puts(b, ",\"started\":");
    timestamp(b, r->started_unix_ms);
    lh_buf_printf(b, ",\"started_unix_ms\":%" PRId64 ",\"duration_s\":", r->started_unix_ms);
    num(b, r->duration_s);
    lh_buf_printf(b, ",\"snapshots\":%zu,\"verdict\":", r->nsnapshots);
    str(b, r->verdict);
    lh_buf_puts(b, ",\"restarts\":[");
    for (size_t i = 0; i < r->nrestarts; i++)
        lh_buf_printf(b, "%s%zu", i ? "," : "", r->restart_at[i]);
    lh_buf_puts(b, "],\"suspects\":[");
    for (size_t i = 0; i < r->nsuspects; i++) {
        const lh_watch_suspect *sp = &r->suspects[i];
        lh_buf_puts(b, i ? ",\n" : "\n");
        lh_buf_puts(b, "{\"kind\":");
        str(b, lh_suspect_kind_name(sp->kind));
        opt_str(b, "function", sp->function);
        opt_str(b, "file", sp->file);
        opt_line(b, "line", sp->line);
        lh_buf_puts(b, ",\"growth_per_hour\":");
        num(b, sp->growth_per_hour);
        lh_buf_puts(b, ",\"unit\":");
        str(b, sp->unit);
        lh_buf_printf(b, ",\"confidence\":%.2f,\"confirmed_by\":", sp->confidence);
        if (sp->confirmed_by) {
            const lh_watch_confirm *c = sp->confirmed_by;
            lh_buf_puts(b, "{\"rule\":");
            str(b, c->rule);
            opt_str(b, "file", c->file);
            opt_line(b, "line", c->line);
            opt_line(b, "col", c->col);
            opt_str(b, "message", c->message);
            opt_str(b, "fix", c->fix);
            lh_buf_putc(b, '}');
        } else {
            lh_buf_puts(b, "null");
        }
        lh_buf_puts(b, ",\"stack\":[");
        for (size_t k = 0; k < sp->nstack; k++) {
            /* an unsymbolized frame has no name: its address is all
             * there was, and the model does not keep it */
            lh_buf_puts(b, k ? ",{\"function\":" : "{\"function\":");
            str(b, sp->stack[k].function[0] ? sp->stack[k].function : "?");
            opt_str(b, "file", sp->stack[k].file);
            opt_line(b, "line", sp->stack[k].line);
            lh_buf_putc(b, '}');
        }
        lh_buf_putc(b, ']');
        opt_str(b, "std_function", sp->std_function);
        opt_str(b, "std_file", sp->std_file);
        opt_line(b, "std_line", sp->std_line);
        opt_str(b, "wait_reason", sp->wait_reason);
        opt_str(b, "summary", sp->summary);
        lh_buf_puts(b, ",\"series\":");
        series(b, sp->series, r->nsnapshots);
        lh_buf_putc(b, '}');
    }
    lh_buf_puts(b, "],\n\"series\":{\"t_s\":");
    series(b, r->t_s, r->nsnapshots);
    lh_buf_puts(b, ",\"heap_inuse_bytes\":");
    series(b, r->heap_inuse_bytes, r->nsnapshots);
    lh_buf_puts(b, ",\"goroutines\":");
    series(b, r->goroutines, r->nsnapshots);
    lh_buf_puts(b, ",\"rss_bytes\":");
    series(b, r->rss_bytes, r->nsnapshots);
    lh_buf_puts(b, "},\n\"notes\":[");
    for (size_t i = 0; i < r->nnotes; i++) {
        lh_buf_puts(b, i ? ",{\"t_s\":" : "{\"t_s\":");
        num(b, r->notes[i].t_s);
        lh_buf_puts(b, ",\"text\":");
        str(b, r->notes[i].text);
        lh_buf_putc(b, '}');
    }
    lh_buf_puts(b, "]}\n");
}

int lh_watch_write_json(const lh_watch_report *r, FILE *out)
{
    lh_buf b = LH_BUF_INIT;
    json_report(&b, r);
    int rc = lh_buf_write(&b, out);
    lh_buf_free(&b);
    return rc == 0 && fflush(out) == 0 ? 0 : -1;
}
