/* watch's text report: the verdict first, then each suspect with what a
 * person on call needs to act - where, how fast, how sure, the evidence -
 * then what went wrong while watching. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "report/profile_report.h"
#include "util/buf.h"
#include "watch/watch.h"

/* Here, below the watch layer, because every writer uses it. */
const char *lh_suspect_kind_name(lh_suspect_kind k)
{
    switch (k) {
    case LH_SUSPECT_HEAP: return "heap";
    case LH_SUSPECT_GOROUTINES: return "goroutines";
    case LH_SUSPECT_LEAKED: return "leaked-goroutines";
    case LH_SUSPECT_CONNECTION: return "connection";
    case LH_SUSPECT_RSS: return "rss";
    }
    return "unknown";
}

/* Frames and series values shown per suspect; JSON has them all. */
enum { TEXT_FRAMES = 12, TEXT_VALUES = 10 };

static void value(lh_buf *b, double v, const char *unit)
{
    if (isnan(v))
        lh_buf_puts(b, "-");
    else if (strcmp(unit, "bytes") == 0)
        lh_report_value(b, (int64_t)v, "bytes");
    else
        lh_buf_printf(b, "%.0f", v);
}

static void duration(lh_buf *b, double s)
{
    if (s >= 3600)
        lh_buf_printf(b, "%dh%02dm%02ds", (int)(s / 3600), (int)fmod(s / 60, 60), (int)fmod(s, 60));
    else if (s >= 60)
        lh_buf_printf(b, "%dm%02ds", (int)(s / 60), (int)fmod(s, 60));
    else
        lh_buf_printf(b, "%.1fs", s);
}

/* first and last measured value of a series: "12.3MB -> 45.6MB" */
static void span(lh_buf *b, const double *v, size_t n, const char *unit)
{
    size_t i = 0, j = n;
    while (i < n && isnan(v[i]))
        i++;
    while (j > i && isnan(v[j - 1]))
        j--;
    if (i == j) {
        lh_buf_puts(b, "not measured");
        return;
    }
    value(b, v[i], unit);
    lh_buf_puts(b, " -> ");
    value(b, v[j - 1], unit);
}

static void loc(lh_buf *b, const char *file, int64_t line)
{
    if (file && file[0]) {
        lh_buf_printf(b, "  %s", file);
        if (line > 0)
            lh_buf_printf(b, ":%" PRId64, line);
    }
}

static void suspect(lh_buf *b, const lh_watch_report *r, size_t i)
{
    const lh_watch_suspect *sp = &r->suspects[i];
    lh_buf_printf(b, "%2zu. %-17s %s", i + 1, lh_suspect_kind_name(sp->kind), sp->function);
    loc(b, sp->file, sp->line);
    lh_buf_puts(b, "\n    growth ");
    if (strcmp(sp->unit, "bytes") == 0) {
        lh_buf_putc(b, sp->growth_per_hour < 0 ? '-' : '+');
        lh_report_value(b, (int64_t)fabs(sp->growth_per_hour), "bytes");
        lh_buf_puts(b, "/h");
    } else {
        lh_buf_printf(b, "%+.0f %s/h", sp->growth_per_hour, sp->unit);
    }
    lh_buf_printf(b, ", confidence %.2f\n", sp->confidence);
    if (sp->summary && sp->summary[0])
        lh_buf_printf(b, "    %s\n", sp->summary);
    if (sp->std_function && sp->std_function[0]) {
        lh_buf_printf(b, "    %s in %s", sp->kind == LH_SUSPECT_HEAP || sp->kind == LH_SUSPECT_CONNECTION
                                             ? "allocated" : "waiting",
                      sp->std_function);
        loc(b, sp->std_file, sp->std_line);
        lh_buf_putc(b, '\n');
    }
    if (sp->confirmed_by) {
        const lh_watch_confirm *c = sp->confirmed_by;
        lh_buf_printf(b, "    confirmed by scan: %s:%" PRId64 ":%" PRId64 ": %s: %s\n", c->file,
                      c->line, c->col, c->rule, c->message);
        if (c->fix && c->fix[0])
            lh_buf_printf(b, "    fix: %s\n", c->fix);
    }
    if (sp->series && r->nsnapshots) {
        lh_buf_puts(b, "    series:");
        size_t n = r->nsnapshots, step = n > TEXT_VALUES ? (n + TEXT_VALUES - 1) / TEXT_VALUES : 1;
        for (size_t k = 0; k < n; k += step) {
            lh_buf_putc(b, ' ');
            value(b, sp->series[k], sp->unit);
        }
        if ((n - 1) % step) {
            lh_buf_puts(b, " ... ");
            value(b, sp->series[n - 1], sp->unit);
        }
        lh_buf_putc(b, '\n');
    }
    if (sp->nstack) {
        lh_buf_puts(b, "    stack:\n");
        size_t m = sp->nstack < TEXT_FRAMES ? sp->nstack : TEXT_FRAMES;
        for (size_t k = 0; k < m; k++) {
            lh_buf_printf(b, "      %s", sp->stack[k].function);
            loc(b, sp->stack[k].file, sp->stack[k].line);
            lh_buf_putc(b, '\n');
        }
        if (m < sp->nstack)
            lh_buf_printf(b, "      ... %zu more frames\n", sp->nstack - m);
    }
}

int lh_watch_write_text(const lh_watch_report *r, FILE *out)
{
    lh_buf b = LH_BUF_INIT;
    lh_buf_printf(&b, "Watched %s for ", r->target);
    duration(&b, r->duration_s);
    lh_buf_printf(&b, ": %zu snapshot%s", r->nsnapshots, r->nsnapshots == 1 ? "" : "s");
    if (r->nrestarts)
        lh_buf_printf(&b, ", %zu restart%s", r->nrestarts, r->nrestarts == 1 ? "" : "s");
    lh_buf_puts(&b, "\n  heap in use: ");
    span(&b, r->heap_inuse_bytes, r->nsnapshots, "bytes");
    lh_buf_puts(&b, "\n  goroutines:  ");
    span(&b, r->goroutines, r->nsnapshots, "goroutines");
    lh_buf_printf(&b, "\n\n%s\n", r->verdict ? r->verdict : "");
    if (r->nsuspects) {
        lh_buf_printf(&b, "\nSuspects, most likely first:\n");
        for (size_t i = 0; i < r->nsuspects; i++) {
            if (i)
                lh_buf_putc(&b, '\n');
            suspect(&b, r, i);
        }
    }
    if (r->nnotes) {
        lh_buf_puts(&b, "\nNotes:\n");
        for (size_t i = 0; i < r->nnotes; i++) {
            lh_buf_puts(&b, "  at ");
            duration(&b, r->notes[i].t_s);
            lh_buf_printf(&b, ": %s\n", r->notes[i].text);
        }
    }
    int rc = lh_buf_write(&b, out);
    lh_buf_free(&b);
    return rc == 0 && fflush(out) == 0 ? 0 : -1;
}
