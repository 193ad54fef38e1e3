/* The HTML report of `leakhound watch`: one file a person on call opens from
 * a ticket or a laptop with no network. Inline CSS and SVG drawn here, no
 * script, no font, no image; a Content Security Policy in the page forbids
 * loading anything, so a slip shows up as a console error, not a request.
 *
 * Reads the report model (watch/watch.h) and, for source lines, the Go files
 * the suspects name; knows nothing of how the model was filled. Every string
 * of the model comes from a profile of the watched service and is escaped
 * (generic function names carry < > and &). */
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "util/fs.h"
#include "watch/watch.h"

/* Suspects shown in full; the rest are counted (all are in --format json). */
#define MAX_SUSPECTS 25
#define MAX_FRAMES 40
#define SOURCE_CONTEXT 3
#define SOURCE_MAX_BYTES (8u << 20)

static const char *str(const char *s)
{
    return s ? s : "";
}

static void esc(lh_buf *b, const char *s)
{
    s = str(s);
    lh_buf_html_str(b, s, strlen(s));
}

/* open, the escaped text, close; nothing when the text is empty. */
static void wrapped(lh_buf *b, const char *open, const char *text, const char *close)
{
    if (!text || !text[0])
        return;
    lh_buf_puts(b, open);
    esc(b, text);
    lh_buf_puts(b, close);
}

/* ---- numbers for people ------------------------------------------------ */

static bool is_bytes(const char *unit)
{
    return unit && strcmp(unit, "bytes") == 0;
}

/* "%.Nf" with trailing zeros dropped: 1.50 -> 1.5, 2.00 -> 2. */
static void trimmed(lh_buf *b, double x)
{
    char tmp[64];
    double ax = fabs(x);
    if (ax >= 1e6)
        snprintf(tmp, sizeof tmp, "%.3g", x);
    else
        snprintf(tmp, sizeof tmp, "%.*f", ax >= 100 ? 0 : ax >= 10 ? 1 : 2, x);
    if (strchr(tmp, '.') && !strchr(tmp, 'e')) {
        size_t n = strlen(tmp);
        while (tmp[n - 1] == '0')
            tmp[--n] = '\0';
        if (tmp[n - 1] == '.')
            tmp[--n] = '\0';
    }
    if (strcmp(tmp, "-0") == 0)
        strcpy(tmp, "0");
    lh_buf_puts(b, tmp);
}

/* The power of base that scales v into [1, base), within the names there are. */
static int scale_of(double v, double base, int nnames)
{
    int k = 0;
    v = fabs(v);
    while (v >= base && k + 1 < nnames) {
        v /= base;
        k++;
    }
    return k;
}

static const char *const byte_names[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
static const char *const count_names[] = {"", "k", "M", "G", "T"};

/* v in unit, three significant digits: "1.5 MB" (1024 steps and pprof's
 * names, as the text reports print them), "12.3k"; "n/a" when unknown. */
static void qty(lh_buf *b, double v, const char *unit)
{
    if (!isfinite(v)) {
        lh_buf_puts(b, "n/a");
        return;
    }
    bool bytes = is_bytes(unit);
    double base = bytes ? 1024 : 1000;
    int nnames = bytes ? 7 : 5;
    int k = scale_of(v, base, nnames);
    trimmed(b, v / pow(base, k));
    if (bytes)
        lh_buf_printf(b, " %s", byte_names[k]);
    else
        lh_buf_puts(b, count_names[k]);
}

/* "+1.5 MB per hour", "+120 goroutines per hour". */
static void rate(lh_buf *b, double per_hour, const char *unit)
{
    if (!isfinite(per_hour)) {
        lh_buf_puts(b, "unknown growth");
        return;
    }
    lh_buf_puts(b, per_hour < 0 ? "&#8722;" : "+");
    qty(b, fabs(per_hour), unit);
    if (!is_bytes(unit))
        wrapped(b, " ", unit, "");
    lh_buf_puts(b, " per hour");
}

/* A confidence (0..1) as a percentage. */
static void percent(lh_buf *b, double p)
{
    if (isfinite(p))
        lh_buf_printf(b, "%.0f%%", fmax(0, fmin(1, p)) * 100);
    else
        lh_buf_puts(b, "n/a");
}

/* Go's duration style, to the second: "45s", "12m5s", "3h12m", "2d3h";
 * "250ms" and "2.5s" below ten seconds. */
static void dur(lh_buf *b, double s)
{
    if (!isfinite(s) || s < 0) {
        lh_buf_puts(b, "?");
        return;
    }
    if (s > 0 && s < 1) {
        trimmed(b, s * 1000);
        lh_buf_puts(b, "ms");
        return;
    }
    if (s < 10 && s != floor(s)) {
        trimmed(b, s);
        lh_buf_puts(b, "s");
        return;
    }
    if (s >= 1e9) {     /* centuries: not worth the arithmetic */
        lh_buf_printf(b, "%.3gs", s);
        return;
    }
    long long x = (long long)(s + 0.5);
    long long d = x / 86400, h = x / 3600 % 24, m = x / 60 % 60, sec = x % 60;
    if (d)
        lh_buf_printf(b, h ? "%lldd%lldh" : "%lldd", d, h);
    else if (h)
        lh_buf_printf(b, m ? "%lldh%lldm" : "%lldh", h, m);
    else if (m)
        lh_buf_printf(b, sec ? "%lldm%llds" : "%lldm", m, sec);
    else
        lh_buf_printf(b, "%llds", sec);
}

/* ---- charts -------------------------------------------------------------- */

/* Drawing area in viewBox units; the SVG scales to its column. */
enum { CW = 640, CH = 230, ML = 70, MR = 14, MT = 16, MB = 30 };

typedef struct chart_line {
    const double *v;            /* per snapshot; NAN or NULL for gaps */
    const char *cls;            /* CSS class: colour */
    const char *label;
} chart_line;

typedef struct chart {
    const char *label;          /* aria-label and the heading above */
    const char *unit;
    const lh_watch_report *r;   /* times, restarts and notes */
    chart_line lines[2];
    size_t nlines;
    bool mark_notes;
} chart;

static double time_at(const lh_watch_report *r, size_t i)
{
    return r->t_s ? r->t_s[i] : (double)i;
}

static double value_at(const chart_line *l, size_t i)
{
    return l->v ? l->v[i] : NAN;
}

/* 1, 2 or 5 times a power of ten, at least x. */
static double nice_step(double x)
{
    if (!(x > 0) || !isfinite(x))
        return 1;
    double p = pow(10, floor(log10(x)));
    double f = x / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

/* Axis steps for time: round numbers of seconds, minutes, hours, days. */
static double time_step(double span)
{
    static const double steps[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
                                   3600, 7200, 10800, 21600, 43200, 86400};
    double want = span / 5;
    if (want < 1)
        return nice_step(want);
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        if (steps[i] >= want)
            return steps[i];
    return nice_step(want / 86400) * 86400;
}

typedef struct axis {
    double lo, hi;
} axis;

static double map(const axis *a, double v, double from, double to)
{
    return from + (v - a->lo) / (a->hi - a->lo) * (to - from);
}

static bool chart_has_data(const chart *c)
{
    for (size_t k = 0; k < c->nlines; k++)
        for (size_t i = 0; i < c->r->nsnapshots; i++)
            if (isfinite(value_at(&c->lines[k], i)) && isfinite(time_at(c->r, i)))
                return true;
    return false;
}

static void y_axis(const chart *c, axis *y, double *step)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < c->nlines; k++)
        for (size_t i = 0; i < c->r->nsnapshots; i++) {
            double v = value_at(&c->lines[k], i);
            if (isfinite(v) && isfinite(time_at(c->r, i))) {
                lo = fmin(lo, v);
                hi = fmax(hi, v);
            }
        }
    /* Counts and memory start at zero, so a change is read against the
     * whole: 4 to 6 goroutines, or a heap that wobbles around 1 GB, must not
     * fill the chart like a climb. */
    if (lo >= 0)
        lo = 0;
    if (!(hi - lo > fabs(hi) * 1e-9)) {
        double pad = fmax(fabs(hi) * 0.1, 1);
        lo -= pad;
        hi += pad;
        if (lo < 0 && hi - pad >= 0)
            lo = 0;
    }
    /* Steps in the unit the labels use, so ticks read 256 kB, not 262 kB. */
    bool bytes = is_bytes(c->unit);
    double base = bytes ? 1024 : 1000;
    double scale = pow(base, scale_of(fmax(fabs(lo), fabs(hi)), base, bytes ? 7 : 5));
    double s = nice_step((hi - lo) / scale / 4) * scale;
    double l = floor(lo / s) * s, h = ceil(hi / s) * s;
    if (!(h > l) || !isfinite(l) || !isfinite(h)) {
        l = lo;
        h = hi;
    }
    y->lo = l;
    y->hi = h;
    *step = s;
}

static void x_axis(const lh_watch_report *r, axis *x)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < r->nsnapshots; i++) {
        double t = time_at(r, i);
        if (isfinite(t)) {
            lo = fmin(lo, t);
            hi = fmax(hi, t);
        }
    }
    if (!(hi > lo)) {           /* one snapshot: put it in the middle */
        lo -= 1;
        hi += 1;
    }
    x->lo = lo;
    x->hi = hi;
}

static void coord(lh_buf *b, double v)
{
    /* Hostile values stay inside the picture instead of becoming "inf". */
    if (!isfinite(v))
        v = 0;
    v = fmax(-1e5, fmin(1e5, v));
    lh_buf_printf(b, "%.1f", v);
}

static void dot(lh_buf *b, double px, double py, const char *r)
{
    lh_buf_printf(b, "<circle r=\"%s\" cx=\"", r);
    coord(b, px);
    lh_buf_puts(b, "\" cy=\"");
    coord(b, py);
    lh_buf_puts(b, "\"/>");
}

static bool restart_at(const lh_watch_report *r, size_t i)
{
    for (size_t k = 0; k < r->nrestarts && r->restart_at; k++)
        if (r->restart_at[k] == i)
            return true;
    return false;
}

/* The snapshots that fall on one pixel column of the plot. The path keeps
 * the first, lowest, highest and last of them: a day of 15 s snapshots
 * draws the same shape with a few points per column, and the page stays
 * small however long the watch. */
typedef struct column {
    bool open;
    long px;
    size_t idx[4];              /* first, lowest, highest, last */
} column;

typedef struct pen {
    lh_buf path;
    size_t nsegments;
    bool down;                  /* the next point continues the line */
} pen;

static void pen_to(pen *p, double px, double py)
{
    if (p->down) {
        lh_buf_puts(&p->path, " L");
        p->nsegments++;
    } else {
        lh_buf_puts(&p->path, p->path.len ? " M" : "M");
    }
    coord(&p->path, px);
    lh_buf_putc(&p->path, ' ');
    coord(&p->path, py);
    p->down = true;
}

static void column_flush(column *c, pen *p, const chart *ch, const chart_line *l,
                         const axis *x, const axis *y)
{
    if (!c->open)
        return;
    c->open = false;
    size_t *idx = c->idx;
    for (int i = 1; i < 4; i++)         /* in snapshot order */
        for (int j = i; j > 0 && idx[j - 1] > idx[j]; j--) {
            size_t t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    for (int i = 0; i < 4; i++)
        if (i == 0 || idx[i] != idx[i - 1])
            pen_to(p, map(x, time_at(ch->r, idx[i]), ML, CW - MR),
                   map(y, value_at(l, idx[i]), CH - MB, MT));
}

/* The series as one path, broken at gaps (NAN) and at restarts (a new
 * process: joining its first value to the old one's last would draw a drop
 * that never happened), with a dot per snapshot when they are few enough to
 * tell apart, else only for points standing alone. */
static void chart_line_svg(lh_buf *b, const chart *c, const chart_line *l, const axis *x,
                           const axis *y)
{
    const lh_watch_report *r = c->r;
    size_t n = r->nsnapshots;
    pen p = {LH_BUF_INIT, 0, false};
    lh_buf dots = LH_BUF_INIT;
    column col = {0};
    size_t run = 0;
    bool all_dots = n <= 60;
    double last_x = 0, last_y = 0;
    for (size_t i = 0; i <= n; i++) {
        double t = i < n ? time_at(r, i) : NAN, v = i < n ? value_at(l, i) : NAN;
        bool ok = isfinite(t) && isfinite(v);
        if (!ok || restart_at(r, i)) {
            if (run == 1 && !all_dots)
                dot(&dots, last_x, last_y, "3");
            column_flush(&col, &p, c, l, x, y);
            p.down = false;
            run = 0;
            if (!ok)
                continue;
        }
        last_x = map(x, t, ML, CW - MR);
        last_y = map(y, v, CH - MB, MT);
        long px = (long)floor(fmax(-1e6, fmin(1e6, last_x)));
        if (col.open && px != col.px)
            column_flush(&col, &p, c, l, x, y);
        if (!col.open) {
            col = (column){true, px, {i, i, i, i}};
        } else {
            if (v < value_at(l, col.idx[1]))
                col.idx[1] = i;
            if (v > value_at(l, col.idx[2]))
                col.idx[2] = i;
            col.idx[3] = i;
        }
        if (all_dots)
            dot(&dots, last_x, last_y, "2.5");
        run++;
    }
    lh_buf_printf(b, "<g class=\"series %s\"><title>", l->cls);
    esc(b, l->label);
    lh_buf_puts(b, "</title>");
    if (p.nsegments) {  /* a path of lone points draws nothing: the dots do */
        lh_buf_puts(b, "<path class=\"line\" d=\"");
        lh_buf_append(b, p.path.data, p.path.len);
        lh_buf_puts(b, "\"/>");
    }
    if (dots.len)
        lh_buf_append(b, dots.data, dots.len);
    lh_buf_puts(b, "</g>");
    lh_buf_free(&p.path);
    lh_buf_free(&dots);
}

static void chart_markers(lh_buf *b, const chart *c, const axis *x)
{
    const lh_watch_report *r = c->r;
    for (size_t k = 0; k < r->nrestarts; k++) {
        size_t i = r->restart_at ? r->restart_at[k] : SIZE_MAX;
        if (i >= r->nsnapshots || !isfinite(time_at(r, i)))
            continue;
        double px = map(x, time_at(r, i), ML, CW - MR);
        lh_buf_puts(b, "<g class=\"restart\"><title>restart: a new process from here (counters reset)</title><line x1=\"");
        coord(b, px);
        lh_buf_printf(b, "\" y1=\"%d\" x2=\"", MT);
        coord(b, px);
        lh_buf_printf(b, "\" y2=\"%d\"/><text x=\"", CH - MB);
        coord(b, px + 3);
        lh_buf_printf(b, "\" y=\"%d\">restart</text></g>", MT + 10);
    }
    if (!c->mark_notes)
        return;
    for (size_t k = 0; k < r->nnotes; k++) {
        double t = r->notes[k].t_s;
        if (!isfinite(t))
            continue;
        double px = map(x, fmax(x->lo, fmin(x->hi, t)), ML, CW - MR);
        lh_buf_puts(b, "<g class=\"note\"><title>");
        lh_buf_printf(b, "note %zu at ", k + 1);
        dur(b, t);
        lh_buf_puts(b, ": ");
        esc(b, r->notes[k].text);
        lh_buf_puts(b, "</title><path d=\"M");
        coord(b, px);
        lh_buf_printf(b, " %d l-5 8 h10 z\"/><text x=\"", CH - MB);
        coord(b, px);
        lh_buf_printf(b, "\" y=\"%d\">%zu</text></g>", CH - MB - 3, k + 1);
    }
}

static void chart_svg(lh_buf *b, const chart *c)
{
    lh_buf_puts(b, "<figure class=\"chart\"><figcaption>");
    esc(b, c->label);
    for (size_t k = 0; k < c->nlines && c->nlines > 1; k++) {
        lh_buf_printf(b, " <span class=\"key %s\">", c->lines[k].cls);
        esc(b, c->lines[k].label);
        lh_buf_puts(b, "</span>");
    }
    lh_buf_printf(b, "</figcaption><svg viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", CW, CH);
    esc(b, c->label);
    lh_buf_puts(b, "\">");
    if (!chart_has_data(c)) {
        lh_buf_printf(b, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>"
                         "<text class=\"empty\" x=\"%d\" y=\"%d\">no data in any snapshot</text></svg></figure>",
                      ML, MT, CW - ML - MR, CH - MT - MB, (CW + ML - MR) / 2, (CH + MT - MB) / 2);
        return;
    }
    axis x, y;
    double ystep;
    x_axis(c->r, &x);
    y_axis(c, &y, &ystep);

    lh_buf_puts(b, "<g class=\"grid\">");
    for (int i = 0; i <= 12; i++) {
        double v = y.lo + i * ystep;
        if (v > y.hi + ystep * 1e-6)
            break;
        double py = map(&y, v, CH - MB, MT);
        lh_buf_printf(b, "<line x1=\"%d\" x2=\"%d\" y1=\"", ML, CW - MR);
        coord(b, py);
        lh_buf_puts(b, "\" y2=\"");
        coord(b, py);
        lh_buf_printf(b, "\"/><text class=\"ylab\" x=\"%d\" y=\"", ML - 6);
        coord(b, py + 4);
        lh_buf_puts(b, "\">");
        qty(b, v, c->unit);
        lh_buf_puts(b, "</text>");
    }
    double xs = time_step(x.hi - x.lo);
    for (int i = 0; i <= 40; i++) {
        double t = ceil(x.lo / xs) * xs + i * xs;
        if (t > x.hi + xs * 1e-6)
            break;
        if (t < 0)      /* the margin around a single snapshot at 0 */
            continue;
        double px = map(&x, t, ML, CW - MR);
        lh_buf_puts(b, "<text class=\"xlab\" x=\"");
        coord(b, px);
        lh_buf_printf(b, "\" y=\"%d\">", CH - MB + 18);
        dur(b, t);
        lh_buf_puts(b, "</text>");
    }
    lh_buf_printf(b, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/></g>", ML,
                  MT, CW - ML - MR, CH - MT - MB);
    chart_markers(b, c, &x);
    for (size_t k = 0; k < c->nlines; k++)
        chart_line_svg(b, c, &c->lines[k], &x, &y);
    lh_buf_puts(b, "</svg></figure>");
}

/* ---- the page ------------------------------------------------------------ */

static const char css[] =
    ":root{--fg:#1d232b;--muted:#5b6675;--line:#d8dee6;--bg:#f6f8fa;--bad:#b42318;--good:#1a7f37}"
    "*{box-sizing:border-box}"
    "body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:var(--fg);background:#fff}"
    "main{max-width:1180px;margin:0 auto;padding:16px 20px 40px}"
    "code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}"
    "code{overflow-wrap:anywhere}"
    ".verdict{border-radius:8px;padding:14px 18px;margin-bottom:14px;border-left:6px solid}"
    ".verdict.leak{background:#fff1f0;border-color:var(--bad)}"
    ".verdict.ok{background:#effaf1;border-color:var(--good)}"
    ".verdict h1{font-size:19px;margin:0 0 4px}"
    ".verdict p{margin:4px 0}"
    ".meta{color:var(--muted);font-size:13px}"
    ".overview{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:14px}"
    ".chart{margin:0;border:1px solid var(--line);border-radius:6px;padding:6px 8px 2px}"
    ".chart figcaption{font-weight:600;font-size:14px}"
    ".chart svg{display:block;width:100%;height:auto}"
    ".frame{fill:none;stroke:#aab4c0}.grid line{stroke:#e7ebf0}"
    ".ylab{font-size:11px;text-anchor:end;fill:var(--muted)}"
    ".xlab{font-size:11px;text-anchor:middle;fill:var(--muted)}"
    ".empty{font-size:14px;text-anchor:middle;fill:var(--muted)}"
    ".series .line{fill:none;stroke-width:2;stroke-linejoin:round}"
    ".heap .line{stroke:#1f6feb}.heap circle{fill:#1f6feb}"
    ".rss .line{stroke:#d97706}.rss circle{fill:#d97706}"
    ".gor .line{stroke:#8250df}.gor circle{fill:#8250df}"
    ".sus .line{stroke:var(--bad)}.sus circle{fill:var(--bad)}"
    ".key{font-weight:400;font-size:12px;margin-left:10px}"
    ".key:before{content:'';display:inline-block;width:14px;height:3px;margin-right:4px;vertical-align:middle}"
    ".key.heap:before{background:#1f6feb}.key.rss:before{background:#d97706}"
    ".restart line{stroke:var(--bad);stroke-dasharray:4 3}"
    ".restart text{font-size:10px;fill:var(--bad)}"
    ".note path{fill:#9a6700}.note text{font-size:9px;fill:#9a6700;text-anchor:middle}"
    "h2{font-size:18px;margin:22px 0 8px}"
    "table{border-collapse:collapse;width:100%;font-size:14px}"
    "th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}"
    "th{color:var(--muted);font-weight:600}"
    "td.num{white-space:nowrap}"
    ".suspect{border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin:14px 0}"
    ".suspect h3{margin:0 0 2px;font-size:17px}"
    ".suspect .cols{display:grid;grid-template-columns:minmax(320px,1.2fr) minmax(280px,1fr);gap:16px;margin-top:8px}"
    "@media (max-width:760px){.suspect .cols{grid-template-columns:1fr}}"
    ".badge{display:inline-block;font-size:12px;font-weight:600;padding:1px 7px;border-radius:10px;background:var(--bg);border:1px solid var(--line);margin-right:4px}"
    ".badge.confirmed{background:var(--bad);color:#fff;border-color:var(--bad)}"
    "dl.facts{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;margin:0}"
    "dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}"
    "ol.stack{margin:6px 0;padding-left:28px;font-size:13px}"
    "ol.stack li{padding:1px 4px;border-radius:3px}"
    "ol.stack li.user{background:#fff4d6;font-weight:600}"
    "ol.stack li.std{background:#eef2f6}"
    "ol.stack .loc{color:var(--muted);font-weight:400}"
    ".tag{font-size:11px;font-weight:600;color:var(--muted);margin-left:6px;text-transform:uppercase}"
    "pre.src{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:6px 0;overflow-x:auto;tab-size:4;margin:6px 0}"
    "pre.src span{display:block;padding:0 10px}"
    "pre.src span.hit{background:#ffe2e0}"
    "pre.src i{font-style:normal;color:var(--muted);display:inline-block;min-width:4.5em;user-select:none}"
    ".confirm{background:#fff8e6;border:1px solid #f0d58c;border-radius:6px;padding:8px 12px;margin:8px 0}"
    ".confirm p{margin:3px 0}"
    ".none{font-size:16px}"
    "ol.notes{font-size:14px;padding-left:24px}"
    "footer{margin-top:30px;color:var(--muted);font-size:12px}";

static const char *kind_words(lh_suspect_kind k)
{
    switch (k) {
    case LH_SUSPECT_HEAP: return "memory (heap)";
    case LH_SUSPECT_GOROUTINES: return "goroutines piling up";
    case LH_SUSPECT_LEAKED: return "leaked goroutines (proven by the runtime)";
    case LH_SUSPECT_CONNECTION: return "unclosed HTTP connections";
    case LH_SUSPECT_RSS: return "process memory (RSS)";
    }
    return "suspect";
}

static void loc(lh_buf *b, const char *file, int64_t line)
{
    esc(b, file);
    if (line > 0)
        lh_buf_printf(b, ":%" PRId64, line);
}

/* The suspect's name: its function, or the process for RSS alone. */
static void name(lh_buf *b, const lh_watch_suspect *s)
{
    if (str(s->function)[0]) {
        lh_buf_puts(b, "<code>");
        esc(b, s->function);
        lh_buf_puts(b, "</code>");
    } else {
        lh_buf_puts(b, s->kind == LH_SUSPECT_RSS ? "The process" : "An unknown function");
    }
}

/* What the suspect means, for someone who did not write the code. */
static void plain_words(lh_buf *b, const lh_watch_suspect *s)
{
    name(b, s);
    if (s->file && s->file[0]) {
        lh_buf_puts(b, " (<code>");
        loc(b, s->file, s->line);
        lh_buf_puts(b, "</code>)");
    }
    switch (s->kind) {
    case LH_SUSPECT_HEAP:
        lh_buf_puts(b, " keeps memory that is never freed: ");
        break;
    case LH_SUSPECT_GOROUTINES:
        lh_buf_puts(b, " starts goroutines that never finish");
        if (s->wait_reason && s->wait_reason[0]) {
            lh_buf_puts(b, " (they wait on ");
            esc(b, s->wait_reason);
            lh_buf_puts(b, ")");
        }
        lh_buf_puts(b, ": ");
        break;
    case LH_SUSPECT_LEAKED:
        lh_buf_puts(b, " has goroutines the Go runtime proved blocked forever: ");
        break;
    case LH_SUSPECT_CONNECTION:
        lh_buf_puts(b, " makes HTTP requests whose response bodies are never closed, so connections and their buffers pile up: ");
        break;
    case LH_SUSPECT_RSS:
        lh_buf_puts(b, str(s->function)[0] ? " &#8212; the process's memory keeps climbing: "
                                           : "'s memory keeps climbing: ");
        break;
    }
    rate(b, s->growth_per_hour, s->unit);
    lh_buf_puts(b, ".");
}

/* The next step for the person on call: the static rule's fix when the
 * source confirmed the suspect, else what the kind of leak usually needs. */
static void advice(lh_buf *b, const lh_watch_suspect *s)
{
    if (s->confirmed_by && str(s->confirmed_by->fix)[0]) {
        esc(b, s->confirmed_by->fix);
        lh_buf_puts(b, " (at <code>");
        loc(b, s->confirmed_by->file, s->confirmed_by->line);
        lh_buf_puts(b, "</code>).");
        return;
    }
    switch (s->kind) {
    case LH_SUSPECT_HEAP:
        lh_buf_puts(b, "find what keeps these allocations reachable (a map, slice or cache that "
                       "only grows, a buffer kept after use) and bound it or drop it.");
        break;
    case LH_SUSPECT_GOROUTINES:
    case LH_SUSPECT_LEAKED:
        lh_buf_puts(b, "give every goroutine started here a way out: a receiver that stays, a "
                       "buffered channel, or a select on ctx.Done().");
        break;
    case LH_SUSPECT_CONNECTION:
        lh_buf_puts(b, "close every response body (<code>defer resp.Body.Close()</code> once "
                       "err is nil), also on the error and early-return paths.");
        break;
    case LH_SUSPECT_RSS:
        lh_buf_puts(b, "expose net/http/pprof in the service and watch its URL: the heap "
                       "profile names the line that holds the memory.");
        break;
    default:
        lh_buf_puts(b, "look at the stack below.");
    }
    lh_buf_puts(b, " Restarting the service only buys time.");
}

static double last_finite(const double *v, size_t n)
{
    for (size_t i = n; v && i-- > 0;)
        if (isfinite(v[i]))
            return v[i];
    return NAN;
}

static double first_finite(const double *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        if (isfinite(v[i]))
            return v[i];
    return NAN;
}

/* label, then the series' first and last known values: "heap 6 MB -> 31 MB". */
static void from_to(lh_buf *b, const char *label, const double *v, size_t n, const char *unit)
{
    double last = last_finite(v, n);
    if (!isfinite(last))
        return;
    lh_buf_puts(b, label);
    qty(b, first_finite(v, n), unit);
    lh_buf_puts(b, " &#8594; ");
    qty(b, last, unit);
}

static void verdict(lh_buf *b, const lh_watch_report *r)
{
    bool leak = r->nsuspects > 0;
    lh_buf_printf(b, "<header class=\"verdict %s\"><h1>", leak ? "leak" : "ok");
    if (r->verdict && r->verdict[0])
        esc(b, r->verdict);
    else if (leak)
        lh_buf_printf(b, "%zu leak suspect%s: memory or goroutines keep growing", r->nsuspects,
                      r->nsuspects == 1 ? "" : "s");
    else
        lh_buf_puts(b, "No leak found: nothing kept growing while it was watched");
    lh_buf_puts(b, "</h1>");
    if (leak) {
        const lh_watch_suspect *s = &r->suspects[0];
        /* The watcher's verdict usually names the top suspect already. */
        if (!r->verdict || !str(s->function)[0] || !strstr(r->verdict, s->function)) {
            lh_buf_puts(b, "<p><b>Most likely:</b> ");
            plain_words(b, s);
            lh_buf_puts(b, "</p>");
        }
        if (s->confirmed_by)
            wrapped(b, "<p>The source confirms it: the static rule <code>", s->confirmed_by->rule,
                    "</code> finds the same leak there.</p>");
        lh_buf_puts(b, "<p><b>What to do:</b> ");
        advice(b, s);
        lh_buf_puts(b, "</p>");
    } else if (r->nsnapshots < 2) {
        lh_buf_puts(b, "<p>Too few snapshots to see a trend: watch longer.</p>");
    }
    lh_buf_puts(b, "<p class=\"meta\">Watched <code>");
    esc(b, r->target);
    lh_buf_puts(b, "</code>");
    if (r->started_unix_ms > 0) {
        time_t t = (time_t)(r->started_unix_ms / 1000);
        struct tm tm;
        char when[64];
        if (gmtime_r(&t, &tm) && strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm))
            lh_buf_printf(b, " from %s", when);
    }
    lh_buf_puts(b, " for ");
    dur(b, r->duration_s);
    lh_buf_printf(b, ": %zu snapshot%s", r->nsnapshots, r->nsnapshots == 1 ? "" : "s");
    if (r->nrestarts)
        lh_buf_printf(b, ", %zu restart%s", r->nrestarts, r->nrestarts == 1 ? "" : "s");
    if (r->nnotes)
        lh_buf_printf(b, ", %zu note%s", r->nnotes, r->nnotes == 1 ? "" : "s");
    from_to(b, ". Heap in use ", r->heap_inuse_bytes, r->nsnapshots, "bytes");
    from_to(b, ", goroutines ", r->goroutines, r->nsnapshots, "");
    lh_buf_puts(b, ".</p></header>");
}

static bool any_finite(const double *v, size_t n)
{
    return isfinite(first_finite(v, n));
}

static void overview(lh_buf *b, const lh_watch_report *r)
{
    lh_buf_puts(b, "<section class=\"overview\">");
    chart mem = {.label = "Memory", .unit = "bytes", .r = r, .mark_notes = true};
    if (any_finite(r->heap_inuse_bytes, r->nsnapshots) || !any_finite(r->rss_bytes, r->nsnapshots))
        mem.lines[mem.nlines++] = (chart_line){r->heap_inuse_bytes, "heap", "heap in use"};
    if (any_finite(r->rss_bytes, r->nsnapshots))
        mem.lines[mem.nlines++] = (chart_line){r->rss_bytes, "rss", "process memory (RSS)"};
    if (mem.nlines == 1)
        mem.label = mem.lines[0].v == r->rss_bytes ? "Process memory (RSS)" : "Heap in use";
    chart_svg(b, &mem);
    if (any_finite(r->goroutines, r->nsnapshots) || any_finite(r->heap_inuse_bytes, r->nsnapshots)) {
        chart gor = {.label = "Goroutines", .unit = "goroutines", .r = r, .mark_notes = true,
                     .lines = {{r->goroutines, "gor", "goroutines"}}, .nlines = 1};
        chart_svg(b, &gor);
    }
    lh_buf_puts(b, "</section>");
    if (r->nnotes) {
        lh_buf_puts(b, "<h2>Notes</h2><ol class=\"notes\">");
        for (size_t k = 0; k < r->nnotes; k++) {
            lh_buf_puts(b, "<li>at ");
            dur(b, r->notes[k].t_s);
            lh_buf_puts(b, ": ");
            esc(b, r->notes[k].text);
            lh_buf_puts(b, "</li>");
        }
        lh_buf_puts(b, "</ol>");
    }
}

static size_t shown(const lh_watch_report *r)
{
    return r->nsuspects < MAX_SUSPECTS ? r->nsuspects : MAX_SUSPECTS;
}

static void suspect_table(lh_buf *b, const lh_watch_report *r)
{
    lh_buf_puts(b, "<h2>Suspects, most likely first</h2>");
    if (!r->nsuspects) {
        lh_buf_puts(b, "<p class=\"none\">No suspects. No allocation site and no goroutine group "
                       "grew steadily over the watch");
        if (r->nsnapshots < 2)
            lh_buf_puts(b, " (with fewer than two snapshots nothing can be seen to grow)");
        lh_buf_puts(b, ".</p>");
        return;
    }
    lh_buf_puts(b, "<table><thead><tr><th>#</th><th>What</th><th>Where</th><th>Growth</th>"
                   "<th>Confidence</th></tr></thead><tbody>");
    for (size_t i = 0; i < shown(r); i++) {
        const lh_watch_suspect *s = &r->suspects[i];
        lh_buf_printf(b, "<tr><td><a href=\"#suspect-%zu\">%zu</a></td><td>", i + 1, i + 1);
        lh_buf_puts(b, kind_words(s->kind));
        if (s->confirmed_by)
            lh_buf_puts(b, " <span class=\"badge confirmed\">confirmed</span>");
        lh_buf_puts(b, "</td><td>");
        name(b, s);
        lh_buf_puts(b, "</td><td class=\"num\">");
        rate(b, s->growth_per_hour, s->unit);
        lh_buf_puts(b, "</td><td class=\"num\">");
        percent(b, s->confidence);
        lh_buf_puts(b, "</td></tr>");
    }
    lh_buf_puts(b, "</tbody></table>");
    if (r->nsuspects > shown(r))
        lh_buf_printf(b, "<p class=\"meta\">%zu more suspect%s not shown here (the least likely); "
                         "<code>--format json</code> lists every one.</p>",
                      r->nsuspects - shown(r), r->nsuspects - shown(r) == 1 ? "" : "s");
}

static bool same_frame(const lh_watch_frame *f, const char *fn, const char *file, int64_t line)
{
    return fn && fn[0] && strcmp(str(f->function), fn) == 0 && strcmp(str(f->file), str(file)) == 0 &&
           f->line == line;
}

static void stack(lh_buf *b, const lh_watch_suspect *s)
{
    if (!s->nstack || !s->stack)
        return;
    lh_buf_puts(b, "<h4>Stack, innermost call first</h4><ol class=\"stack\">");
    size_t n = s->nstack < MAX_FRAMES ? s->nstack : MAX_FRAMES;
    bool user_seen = false, std_seen = false;
    for (size_t i = 0; i < n; i++) {
        const lh_watch_frame *f = &s->stack[i];
        const char *cls = "", *tag = "";
        if (!user_seen && same_frame(f, s->function, s->file, s->line)) {
            cls = " class=\"user\"";
            tag = "your code";
            user_seen = true;
        } else if (!std_seen && same_frame(f, s->std_function, s->std_file, s->std_line)) {
            cls = " class=\"std\"";
            tag = s->kind == LH_SUSPECT_HEAP || s->kind == LH_SUSPECT_CONNECTION ? "allocates here"
                                                                                : "waits here";
            std_seen = true;
        }
        lh_buf_printf(b, "<li%s><code>", cls);
        esc(b, f->function);
        lh_buf_puts(b, "</code> <span class=\"loc\">");
        loc(b, f->file, f->line);
        lh_buf_puts(b, "</span>");
        if (tag[0])
            lh_buf_printf(b, "<span class=\"tag\">%s</span>", tag);
        lh_buf_puts(b, "</li>");
    }
    lh_buf_puts(b, "</ol>");
    if (s->nstack > n)
        lh_buf_printf(b, "<p class=\"meta\">&#8230; %zu outer frames not shown.</p>", s->nstack - n);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Whether path lies inside dir (both made real: no "..", no symlink out). */
static bool inside(const char *path, const char *dir)
{
    char rp[PATH_MAX], rd[PATH_MAX];
    if (!realpath(path, rp) || !realpath(dir, rd))
        return false;
    size_t n = strlen(rd);
    return strncmp(rp, rd, n) == 0 && (rp[n] == '/' || rp[n] == '\0' || (n == 1 && rd[0] == '/'));
}

/* Reads the Go file a frame names. The names come from the watched
 * service's profiles, so only .go files are read, and with --source only
 * inside that tree. Profiles carry the build machine's absolute paths: the
 * longest tail of the path that exists under the source tree is taken. */
static int read_source(const lh_watch_report *r, const char *file, char **data, size_t *len)
{
    char err[128], path[PATH_MAX];
    if (!file || !ends_with(file, ".go"))
        return -1;
    const char *dir = r->source_dir;
    if (!dir || !dir[0])
        return file[0] == '/' ? lh_read_file(file, SOURCE_MAX_BYTES, data, len, err, sizeof err) : -1;
    for (const char *tail = file; tail; tail = strchr(tail + 1, '/')) {
        const char *t = tail;
        while (*t == '/')
            t++;
        if (!*t)
            break;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, t) >= sizeof path)
            continue;
        if (inside(path, dir) &&
            lh_read_file(path, SOURCE_MAX_BYTES, data, len, err, sizeof err) == 0)
            return 0;
    }
    return -1;
}

/* A few lines around file:line, the line marked; whether they were shown.
 * quiet: say nothing when the file cannot be read. */
static bool source_lines(lh_buf *b, const lh_watch_report *r, const char *file, int64_t line,
                         bool quiet)
{
    char *data = NULL;
    size_t len = 0;
    if (line <= 0 || !file || !file[0])
        return false;
    if (read_source(r, file, &data, &len) != 0) {
        if (quiet)
            return false;
        lh_buf_puts(b, "<p class=\"meta\">Source of <code>");
        esc(b, file);
        lh_buf_puts(b, r->source_dir && r->source_dir[0] ? "</code> not found under <code>"
                                                        : "</code> not readable here; "
                                                          "<code>--source DIR</code> shows it.</p>");
        if (r->source_dir && r->source_dir[0]) {
            esc(b, r->source_dir);
            lh_buf_puts(b, "</code>.</p>");
        }
        return false;
    }
    int64_t from = line > SOURCE_CONTEXT ? line - SOURCE_CONTEXT : 1, to = line + SOURCE_CONTEXT;
    lh_buf src = LH_BUF_INIT;
    const char *p = data, *end = data + len;
    for (int64_t ln = 1; p < end && ln <= to; ln++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        if (ln >= from) {
            size_t n = (size_t)(eol - p);
            if (n && p[n - 1] == '\r')
                n--;
            lh_buf_printf(&src, "<span%s><i>%" PRId64 "</i>", ln == line ? " class=\"hit\"" : "", ln);
            lh_buf_html_str(&src, p, n);
            lh_buf_puts(&src, "</span>");
        }
        p = nl ? nl + 1 : end;
    }
    bool shown = src.len > 0;
    if (shown) {
        lh_buf_puts(b, "<pre class=\"src\">");
        lh_buf_append(b, src.data, src.len);
        lh_buf_puts(b, "</pre>");
    } else if (!quiet) {
        lh_buf_printf(b, "<p class=\"meta\">Line %" PRId64 " is past the end of <code>", line);
        esc(b, file);
        lh_buf_puts(b, "</code> here: the source differs from the running build.</p>");
    }
    lh_buf_free(&src);
    free(data);
    return shown;
}

/* The static finding; its own lines when they are not the suspect's. */
static void confirmation(lh_buf *b, const lh_watch_report *r, const lh_watch_suspect *s)
{
    const lh_watch_confirm *c = s->confirmed_by;
    lh_buf_puts(b, "<div class=\"confirm\"><p><span class=\"badge confirmed\">confirmed</span> "
                   "by the static rule <code>");
    esc(b, c->rule);
    lh_buf_puts(b, "</code> at <code>");
    loc(b, c->file, c->line);
    if (c->col > 0)
        lh_buf_printf(b, ":%" PRId64, c->col);
    lh_buf_puts(b, "</code></p>");
    wrapped(b, "<p>", c->message, "</p>");
    wrapped(b, "<p><b>Fix:</b> ", c->fix, "</p>");
    if (c->line != s->line)
        source_lines(b, r, c->file, c->line, true);
    lh_buf_puts(b, "</div>");
}

static void suspect(lh_buf *b, const lh_watch_report *r, size_t i)
{
    const lh_watch_suspect *s = &r->suspects[i];
    lh_buf_printf(b, "<article class=\"suspect\" id=\"suspect-%zu\"><h3>%zu. ", i + 1, i + 1);
    name(b, s);
    lh_buf_puts(b, "</h3><div><span class=\"badge\">");
    lh_buf_puts(b, kind_words(s->kind));
    lh_buf_puts(b, "</span>");
    if (s->confirmed_by)
        lh_buf_puts(b, "<span class=\"badge confirmed\">confirmed by the source</span>");
    lh_buf_puts(b, "</div><p>");
    if (str(s->summary)[0])
        esc(b, s->summary);
    else
        plain_words(b, s);
    lh_buf_puts(b, "</p><div class=\"cols\"><div>");
    chart c = {.label = "Growth of this suspect", .unit = s->unit, .r = r,
               .lines = {{s->series, "sus", "this suspect"}}, .nlines = 1};
    chart_svg(b, &c);
    lh_buf_puts(b, "</div><div><dl class=\"facts\">");
    if (s->file && s->file[0]) {
        lh_buf_puts(b, "<dt>Where</dt><dd><code>");
        loc(b, s->file, s->line);
        lh_buf_puts(b, "</code></dd>");
    }
    if (s->std_function && s->std_function[0]) {
        lh_buf_printf(b, "<dt>%s</dt><dd><code>",
                      s->kind == LH_SUSPECT_HEAP || s->kind == LH_SUSPECT_CONNECTION ? "Allocated in"
                                                                                  : "Waits in");
        esc(b, s->std_function);
        lh_buf_puts(b, "</code> <span class=\"meta\">");
        loc(b, s->std_file, s->std_line);
        lh_buf_puts(b, "</span></dd>");
    }
    wrapped(b, "<dt>Waiting on</dt><dd>", s->wait_reason, "</dd>");
    lh_buf_puts(b, "<dt>Growth</dt><dd>");
    rate(b, s->growth_per_hour, s->unit);
    lh_buf_puts(b, "</dd><dt>Now</dt><dd>");
    qty(b, last_finite(s->series, s->series ? r->nsnapshots : 0), s->unit);
    if (!is_bytes(s->unit))
        wrapped(b, " ", s->unit, "");
    lh_buf_puts(b, "</dd><dt>Confidence</dt><dd>");
    percent(b, s->confidence);
    lh_buf_puts(b, "</dd></dl>");
    if (s->confirmed_by)
        confirmation(b, r, s);
    lh_buf_puts(b, "</div></div>");
    /* The profile's path may not lead to the tree (another build machine)
     * where scan's does: the finding on the same line shows it instead. */
    const lh_watch_confirm *conf = s->confirmed_by;
    bool same_line = conf && conf->line == s->line;
    if (!source_lines(b, r, s->file, s->line, same_line) && same_line)
        source_lines(b, r, conf->file, conf->line, false);
    stack(b, s);
    lh_buf_puts(b, "</article>");
}

int lh_watch_write_html(const lh_watch_report *r, const char *path, char *err, size_t errlen)
{
    if (!r || !path || !path[0]) {
        snprintf(err, errlen, "no report or no output path");
        return -1;
    }
    lh_buf b = LH_BUF_INIT;
    lh_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                    "style-src 'unsafe-inline'\">"
                    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                    "<title>leakhound watch: ");
    esc(&b, r->target);
    lh_buf_printf(&b, "</title><style>%s</style></head>\n<body><main>", css);
    verdict(&b, r);
    overview(&b, r);
    suspect_table(&b, r);
    for (size_t i = 0; i < shown(r); i++)
        suspect(&b, r, i);
    lh_buf_puts(&b, "<footer>Written by leakhound watch. Growth is the fitted slope of each "
                    "series; a restart resets the counters and is not read as a drop.</footer>"
                    "</main></body></html>\n");
    int rc = lh_write_file_atomic(path, b.data, b.len, err, errlen);
    lh_buf_free(&b);
    return rc;
}
