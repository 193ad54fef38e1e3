/* The verdict: the session's series -> ranked suspects.
 *
 * Each process (segment between restarts) is judged on its own: after a
 * restart every counter starts again, and one fit across the drop would read
 * a leak as "no growth". Within a process a site is a suspect when
 * lh_trend_classify calls its series growing: a steady climb still climbing
 * at the end. A warm-up climbs and then settles (plateau) and is no suspect,
 * whatever its size - decided on the data, not by waiting a fixed time. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "report/profile_report.h"
#include "util/buf.h"
#include "watch/confirm.h"
#include "watch/internal.h"

/* A goroutine group climbing by fewer than this is a pool finding its size. */
#define MIN_GOROUTINE_GROWTH 3.0

/* Whether a heap site gave back half or more of what it once held. What
 * a leak keeps is never freed, so within one process its in-use bytes only
 * rise (a sampled profile's too: a sample stays until its object is freed).
 * Busy garbage does not: a gc=1 profile still counts the last cycle's
 * allocations as in use, so a site making megabytes of garbage a second
 * reads as 0, 3 MB, 0, ..., and may end on an upswing steep and straight
 * enough to fit as a climb. Seen on t_watch_e2e's control under load. */
int lh_wverdict_gave_back(const double *y, size_t n)
{
    double peak = 0;
    for (size_t k = 0; k < n; k++) {
        if (y[k] > peak)
            peak = y[k];
        else if (peak >= (double)LH_TREND_MIN_GROWTH && y[k] < 0.5 * peak)
            return 1;
    }
    return 0;
}

typedef struct cand {
    lh_watch_suspect sp;
    size_t segment;
    size_t nsegments;           /* processes it grew in */
    double *series;
} cand;

typedef struct cands {
    cand *v;
    size_t n, cap;
} cands;

static cand *cand_new(cands *c, lh_arena *a, size_t nsnaps)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        c->v = realloc(c->v, c->cap * sizeof *c->v);
        if (!c->v)
            abort();
    }
    cand *x = &c->v[c->n++];
    memset(x, 0, sizeof *x);
    x->series = LH_NEWN(a, double, nsnaps ? nsnaps : 1);
    for (size_t i = 0; i < nsnaps; i++)
        x->series[i] = NAN;
    x->nsegments = 1;
    return x;
}

/* How sure a growing series makes us: the fit, discounted for few points
 * (three points always fit some line), times how rarely the kind grows
 * for good reasons: a goroutine group or a connection count has no
 * legitimate reason to climb forever, a heap site sometimes has (a
 * growing data set). */
static double confidence(double r2, size_t npoints, double kind_weight)
{
    double q = r2 * (1.0 - 1.0 / (double)npoints);
    double c = q * kind_weight;
    return c < 0 ? 0 : c > 0.99 ? 0.99 : c;
}

static void copy_stack(lh_watch_suspect *sp, const lh_wsite *site, lh_arena *a)
{
    lh_watch_frame *st = LH_NEWN(a, lh_watch_frame, site->nstack ? site->nstack : 1);
    for (size_t k = 0; k < site->nstack; k++)
        st[k] = (lh_watch_frame){lh_arena_strdup(a, site->stack[k].function),
                                 lh_arena_strdup(a, site->stack[k].file), site->stack[k].line};
    sp->stack = st;
    sp->nstack = site->nstack;
}

static void site_to_suspect(lh_watch_suspect *sp, const lh_wsite *site, lh_arena *a)
{
    sp->function = lh_arena_strdup(a, site->function);
    sp->file = lh_arena_strdup(a, site->file);
    sp->line = site->line;
    sp->std_function = lh_arena_strdup(a, site->std_function);
    sp->std_file = lh_arena_strdup(a, site->std_file);
    sp->std_line = site->std_line;
    sp->wait_reason = lh_arena_strdup(a, site->wait_reason ? site->wait_reason : "");
    copy_stack(sp, site, a);
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static void rate_text(lh_buf *b, double per_hour, const char *unit)
{
    if (strcmp(unit, "bytes") == 0) {
        lh_buf_putc(b, per_hour >= 0 ? '+' : '-');
        lh_report_value(b, (int64_t)fabs(per_hour), "bytes");
        lh_buf_puts(b, "/h");
    } else {
        lh_buf_printf(b, "%+.0f %s/h", per_hour, unit);
    }
}

static const char *summary(const lh_watch_suspect *sp, const lh_wsite *site, lh_arena *a)
{
    lh_buf b = LH_BUF_INIT;
    char where[512];
    snprintf(where, sizeof where, "%s (%s:%" PRId64 ")", sp->function, base_name(sp->file), sp->line);
    switch (sp->kind) {
    case LH_SUSPECT_HEAP:
        lh_buf_printf(&b, "memory allocated in %s", where);
        if (sp->std_function[0])
            lh_buf_printf(&b, " through %s", sp->std_function);
        lh_buf_puts(&b, " stays in use and keeps growing: ");
        break;
    case LH_SUSPECT_GOROUTINES:
        lh_buf_printf(&b, "goroutines %s%s in %s", sp->wait_reason[0] ? "blocked on " : "waiting",
                      sp->wait_reason, where);
        if (site && site->created_function[0])
            lh_buf_printf(&b, ", started by %s (%s:%" PRId64 ")", site->created_function,
                          base_name(site->created_file), site->created_line);
        lh_buf_puts(&b, ", keep piling up: ");
        break;
    case LH_SUSPECT_LEAKED:
        lh_buf_printf(&b, "the Go runtime proved goroutines in %s leaked (blocked on %s nothing can "
                          "reach): ", where, sp->wait_reason[0] ? sp->wait_reason : "something");
        break;
    case LH_SUSPECT_CONNECTION:
        lh_buf_printf(&b, "HTTP responses of requests made in %s are never closed (resp.Body): "
                          "net/http transport connections, their buffers and readLoop/writeLoop "
                          "goroutines pile up: ", where);
        break;
    case LH_SUSPECT_RSS:
        lh_buf_puts(&b, "process memory keeps growing: ");
        break;
    }
    rate_text(&b, sp->growth_per_hour, sp->unit);
    const char *s = lh_arena_strdup(a, b.data);
    lh_buf_free(&b);
    return s;
}

/* The snapshots of one process, and those among them that carry a kind of
 * data. */
typedef struct seg {
    size_t begin, end;
} seg;

typedef struct pts {
    size_t *idx;
    double *t;      /* hours since the first of them */
    size_t n;
} pts;

static void points(const lh_watch_session *s, seg g, int which, int proto, lh_arena *a, pts *p)
{
    p->idx = LH_NEWN(a, size_t, g.end - g.begin + 1);
    p->t = LH_NEWN(a, double, g.end - g.begin + 1);
    p->n = 0;
    for (size_t i = g.begin; i < g.end; i++) {
        const lh_wsnap *sn = &s->snaps[i];
        int has = which == 0 ? sn->have_heap : which == 1 ? sn->have_gor && sn->gor_proto == proto
                                                          : sn->have_leak;
        if (has)
            p->idx[p->n++] = i;
    }
    for (size_t k = 0; k < p->n; k++)
        p->t[k] = (double)(s->snaps[p->idx[k]].unix_ms - s->snaps[p->idx[0]].unix_ms) / 3.6e6;
}

/* Dense rows for the sites present in pts: rows[site * n + k]. which: 0
 * heap in use, 1 goroutines, 2 leaked goroutines, 3 client allocations. */
static double *matrix(const lh_watch_session *s, const pts *p, int which, size_t nsites)
{
    double *m = calloc(nsites * p->n + 1, sizeof *m);
    if (!m)
        abort();
    for (size_t k = 0; k < p->n; k++) {
        const lh_wsnap *sn = &s->snaps[p->idx[k]];
        const lh_wval *v = which == 0 ? sn->heap : which == 1 ? sn->gor : which == 2 ? sn->leak
                                                                                  : sn->client_alloc;
        size_t nv = which == 0 ? sn->nheap : which == 1 ? sn->ngor : which == 2 ? sn->nleak
                                                                                : sn->nclient_alloc;
        for (size_t j = 0; j < nv; j++)
            m[(size_t)v[j].site * p->n + k] = (double)v[j].value;
    }
    return m;
}

static void fill_series(cand *c, const pts *p, const double *row)
{
    for (size_t k = 0; k < p->n; k++)
        c->series[p->idx[k]] = row[k];
}

/* A growing site of one process becomes a candidate: its suspect, with
 * the series it grew along. */
static cand *grown(cands *out, lh_arena *a, size_t nsnaps, size_t segno, lh_suspect_kind kind,
                   const lh_wsite *site, const char *unit, double slope, double conf,
                   const pts *p, const double *y)
{
    cand *c = cand_new(out, a, nsnaps);
    c->segment = segno;
    c->sp.kind = kind;
    site_to_suspect(&c->sp, site, a);
    c->sp.unit = unit;
    c->sp.growth_per_hour = slope;
    c->sp.confidence = conf;
    fill_series(c, p, y);
    c->sp.summary = summary(&c->sp, site, a);
    return c;
}

/* Judges one process: heap sites, goroutine groups, the runtime's leaked
 * goroutines, and the connection leak the transport's share reveals. */
static void judge_segment(const lh_watch_session *s, seg g, size_t segno, lh_arena *a, cands *out)
{
    lh_arena tmp;
    lh_arena_init(&tmp);
    size_t n = s->nsnaps;

    /* heap */
    pts hp;
    points(s, g, 0, 0, &tmp, &hp);
    int transport_heap = 0;
    double transport_slope = 0, transport_r2 = 0;
    double *transport_row = NULL;
    const lh_wsite *transport_buf = NULL;
    double transport_buf_last = 0;
    size_t nclient = 0;
    uint32_t *client = NULL;
    double *client_growth = NULL;
    int *client_growing = NULL;
    double *hm = NULL;
    /* The process's sampling rate sets how much growth is more than
     * chance (lh_trend_min_growth). */
    int64_t period = 0;
    for (size_t i = g.begin; i < g.end; i++)
        if (s->snaps[i].have_heap && s->snaps[i].heap_period > period)
            period = s->snaps[i].heap_period;
    double min_growth = (double)lh_trend_min_growth(period);
    if (hp.n >= 3) {
        size_t ns = s->heap_sites.n;
        hm = matrix(s, &hp, 0, ns);
        transport_row = LH_NEWN(&tmp, double, hp.n);
        client = LH_NEWN(&tmp, uint32_t, ns + 1);
        client_growth = LH_NEWN(&tmp, double, ns + 1);
        client_growing = LH_NEWN(&tmp, int, ns + 1);
        for (size_t id = 0; id < ns; id++) {
            const lh_wsite *site = &s->heap_sites.v[id];
            const double *y = hm + id * hp.n;
            if (site->role == ROLE_TRANSPORT) {
                for (size_t k = 0; k < hp.n; k++)
                    transport_row[k] += y[k];
                if (y[hp.n - 1] > transport_buf_last) {
                    transport_buf_last = y[hp.n - 1];
                    transport_buf = site;
                }
                continue;
            }
            int any = 0;
            for (size_t k = 0; k < hp.n && !any; k++)
                any = y[k] != 0;
            /* Memory no user frame allocated (the runtime's goroutine
             * records, net/http's server connections) follows from
             * something else growing, which is the suspect to name. */
            if (!any || !site->has_user)
                continue;
            double slope, r2, late;
            lh_trend_class cls = lh_trend_classify(hp.t, y, hp.n, min_growth,
                                                   &slope, &r2, &late);
            if (site->role == ROLE_CLIENT && y[hp.n - 1] > y[0]) {
                client[nclient] = (uint32_t)id;
                client_growth[nclient] = cls == LH_TREND_GROWING ? slope : (y[hp.n - 1] - y[0]) / hp.t[hp.n - 1];
                client_growing[nclient++] = cls == LH_TREND_GROWING;
            }
            if (cls == LH_TREND_GROWING && !lh_wverdict_gave_back(y, hp.n))
                grown(out, a, n, segno, LH_SUSPECT_HEAP, site, "bytes", slope,
                      confidence(r2, hp.n, 0.8), &hp, y);
        }
        double late;
        transport_heap = lh_trend_classify(hp.t, transport_row, hp.n, min_growth,
                                           &transport_slope, &transport_r2, &late) ==
                         LH_TREND_GROWING;
    }

    /* goroutine groups: the dumps of the latest form only (the proto form
     * groups without wait reasons, so the two do not line up) */
    int proto = 0;
    for (size_t i = g.end; i-- > g.begin;)
        if (s->snaps[i].have_gor) {
            proto = s->snaps[i].gor_proto;
            break;
        }
    pts gp;
    points(s, g, 1, proto, &tmp, &gp);
    int transport_gor = 0;
    double transport_gor_slope = 0, transport_gor_r2 = 0;
    const lh_wsite *transport_site = NULL;
    double *transport_gor_row = NULL;
    if (gp.n >= 3) {
        size_t ns = s->gor_sites.n;
        double *gm = matrix(s, &gp, 1, ns);
        transport_gor_row = LH_NEWN(&tmp, double, gp.n);
        for (size_t id = 0; id < ns; id++) {
            const lh_wsite *site = &s->gor_sites.v[id];
            const double *y = gm + id * gp.n;
            int any = 0;
            for (size_t k = 0; k < gp.n && !any; k++)
                any = y[k] != 0;
            if (!any || site->category != LH_GCAT_USER)
                continue;
            if (site->transport) {
                /* readLoop and writeLoop: one each per connection; count
                 * connections by the readLoops. */
                if (strstr(site->std_function[0] ? site->std_function : site->function, "readLoop") ||
                    !transport_site) {
                    for (size_t k = 0; k < gp.n; k++)
                        transport_gor_row[k] += y[k];
                    transport_site = site;
                }
                continue;
            }
            double slope, r2, late;
            if (lh_trend_classify(gp.t, y, gp.n, MIN_GOROUTINE_GROWTH, &slope, &r2, &late) ==
                LH_TREND_GROWING)
                grown(out, a, n, segno, LH_SUSPECT_GOROUTINES, site, "goroutines", slope,
                      confidence(r2, gp.n, 0.9), &gp, y);
        }
        double late;
        transport_gor = lh_trend_classify(gp.t, transport_gor_row, gp.n, MIN_GOROUTINE_GROWTH,
                                          &transport_gor_slope, &transport_gor_r2, &late) ==
                        LH_TREND_GROWING;
        free(gm);
    }

    /* the runtime's own verdict: leaked goroutines in the latest
     * goroutineleak profile of this process */
    pts lp;
    points(s, g, 2, 0, &tmp, &lp);
    if (lp.n >= 1) {
        size_t ns = s->gor_sites.n;
        double *lm = matrix(s, &lp, 2, ns);
        for (size_t id = 0; id < ns; id++) {
            const double *y = lm + id * lp.n;
            if (y[lp.n - 1] <= 0)
                continue;
            double slope = 0, r2, late;
            if (lp.n >= 2)
                lh_trend_classify(lp.t, y, lp.n, 1, &slope, &r2, &late);
            /* the runtime's proof needs no growth to be believed */
            grown(out, a, n, segno, LH_SUSPECT_LEAKED, &s->gor_sites.v[id], "goroutines", slope,
                  0.99, &lp, y);
        }
        free(lm);
    }

    /* connections: the transport grows (its buffers, or its goroutines);
     * the user frames that made the requests are named through the
     * requests' own allocations, which the open responses keep */
    if (transport_heap || transport_gor) {
        int any_growing = 0;
        for (size_t k = 0; k < nclient; k++)
            any_growing |= client_growing[k];
        size_t made = 0;
        for (size_t k = 0; k < nclient; k++) {
            if (any_growing && !client_growing[k])
                continue;
            const lh_wsite *site = &s->heap_sites.v[client[k]];
            /* the same user line may have several client sites (the
             * request's URL, its header, its context): one suspect */
            int dup = 0;
            for (size_t i = 0; i < out->n && !dup; i++) {
                cand *o = &out->v[i];
                dup = o->segment == segno && o->sp.kind == LH_SUSPECT_CONNECTION &&
                      strcmp(o->sp.function, site->function) == 0 &&
                      strcmp(o->sp.file, site->file) == 0 && o->sp.line == site->line;
            }
            /* its heap suspects are this connection's */
            for (size_t i = 0; i < out->n; i++) {
                cand *o = &out->v[i];
                if (o->segment == segno && o->sp.kind == LH_SUSPECT_HEAP &&
                    strcmp(o->sp.function, site->function) == 0 &&
                    strcmp(o->sp.file, site->file) == 0 && o->sp.line == site->line) {
                    out->v[i] = out->v[--out->n];
                    i--;
                }
            }
            if (dup)
                continue;
            cand *c = cand_new(out, a, n);
            c->segment = segno;
            c->sp.kind = LH_SUSPECT_CONNECTION;
            site_to_suspect(&c->sp, site, a);
            made++;
        }
        if (!made && hp.n >= 3) {
            /* No open request's memory was sampled: the function whose
             * calls allocated the most through the client meanwhile is
             * the one making the requests. */
            double *am = matrix(s, &hp, 3, s->heap_sites.n);
            const lh_wsite *best = NULL;
            double best_growth = 0;
            for (size_t id = 0; id < s->heap_sites.n; id++) {
                const double *y = am + id * hp.n;
                if (s->heap_sites.v[id].role == ROLE_CLIENT && y[hp.n - 1] - y[0] > best_growth) {
                    best_growth = y[hp.n - 1] - y[0];
                    best = &s->heap_sites.v[id];
                }
            }
            free(am);
            if (best) {
                cand *c = cand_new(out, a, n);
                c->segment = segno;
                c->sp.kind = LH_SUSPECT_CONNECTION;
                site_to_suspect(&c->sp, best, a);
                made++;
            }
        }
        if (!made && transport_site) {
            /* No request stack was sampled: the transport is all there is
             * to name. */
            cand *c = cand_new(out, a, n);
            c->segment = segno;
            c->sp.kind = LH_SUSPECT_CONNECTION;
            site_to_suspect(&c->sp, transport_site, a);
            made++;
        }
        for (size_t i = 0; i < out->n; i++) {
            cand *c = &out->v[i];
            if (c->segment != segno || c->sp.kind != LH_SUSPECT_CONNECTION)
                continue;
            double r2 = 0;
            size_t np = 0;
            if (transport_buf) {
                /* where the connection's memory is: the transport's read
                 * buffer, allocated in dialConn */
                const lh_wsite *tb = transport_buf;
                int leaf_is_site = !tb->std_function[0];
                c->sp.std_function = lh_arena_strdup(a, leaf_is_site ? tb->function : tb->std_function);
                c->sp.std_file = lh_arena_strdup(a, leaf_is_site ? tb->file : tb->std_file);
                c->sp.std_line = leaf_is_site ? tb->line : tb->std_line;
            }
            if (transport_heap) {
                c->sp.unit = "bytes";
                c->sp.growth_per_hour = transport_slope;
                fill_series(c, &hp, transport_row);
                r2 = transport_r2;
                np = hp.n;
            } else {
                c->sp.unit = "connections";
                c->sp.growth_per_hour = transport_gor_slope;
                fill_series(c, &gp, transport_gor_row);
                r2 = transport_gor_r2;
                np = gp.n;
            }
            /* both the buffers and the goroutines climbing: the firmest
             * signal there is short of the runtime's word */
            c->sp.confidence = confidence(r2, np, transport_heap && transport_gor ? 1.0 : 0.9);
            c->sp.summary = summary(&c->sp, NULL, a);
        }
    }
    free(hm);
    lh_arena_free(&tmp);
}

static int same_site(const lh_watch_suspect *x, const lh_watch_suspect *y)
{
    return x->kind == y->kind && x->line == y->line && strcmp(x->function, y->function) == 0 &&
           strcmp(x->file, y->file) == 0 && strcmp(x->std_function, y->std_function) == 0 &&
           strcmp(x->wait_reason, y->wait_reason) == 0;
}

static int kind_order(lh_suspect_kind k)
{
    switch (k) {
    case LH_SUSPECT_LEAKED: return 0;
    case LH_SUSPECT_CONNECTION: return 1;
    case LH_SUSPECT_GOROUTINES: return 2;
    case LH_SUSPECT_HEAP: return 3;
    default: return 4;
    }
}

/* Rank: confirmed by the source first (the claim is then twice made), then
 * by confidence, then the kinds whose growth is least ambiguous, then the
 * fastest growth. */
int lh_watch_suspect_cmp(const void *pa, const void *pb)
{
    const lh_watch_suspect *a = pa, *b = pb;
    if ((a->confirmed_by != NULL) != (b->confirmed_by != NULL))
        return a->confirmed_by ? -1 : 1;
    if (fabs(a->confidence - b->confidence) > 1e-9)
        return a->confidence > b->confidence ? -1 : 1;
    if (kind_order(a->kind) != kind_order(b->kind))
        return kind_order(a->kind) - kind_order(b->kind);
    if (a->growth_per_hour != b->growth_per_hour)
        return a->growth_per_hour > b->growth_per_hour ? -1 : 1;
    int c = strcmp(a->function, b->function);
    if (c)
        return c;
    c = strcmp(a->file, b->file);
    return c ? c : (a->line < b->line ? -1 : a->line > b->line);
}

static const char *verdict_text(const lh_watch_report *r, lh_arena *a)
{
    lh_buf b = LH_BUF_INIT;
    if (r->nsuspects) {
        const lh_watch_suspect *sp = &r->suspects[0];
        lh_buf_printf(&b, "%zu leak suspect%s. Most likely: %s", r->nsuspects,
                      r->nsuspects == 1 ? "" : "s", sp->summary);
        if (sp->confirmed_by)
            lh_buf_printf(&b, "; confirmed by scan (%s at %s:%" PRId64 ")", sp->confirmed_by->rule,
                          base_name(sp->confirmed_by->file), sp->confirmed_by->line);
        lh_buf_putc(&b, '.');
    } else if (r->nsnapshots < 3) {
        /* the runtime's leaked goroutines need one snapshot; growth needs three */
        lh_buf_printf(&b, "Not enough data: %zu snapshot%s; telling growth from noise needs 3 or "
                          "more of one process.",
                      r->nsnapshots, r->nsnapshots == 1 ? "" : "s");
    } else {
        lh_buf_printf(&b, "No leak found: over %zu snapshots (%.0f s) no heap site, goroutine group "
                          "or connection count kept growing.",
                      r->nsnapshots, r->duration_s);
    }
    if (r->nrestarts)
        lh_buf_printf(&b, " The service restarted %zu time%s during the watch; each run was analysed "
                          "on its own.", r->nrestarts, r->nrestarts == 1 ? "" : "s");
    const char *s = lh_arena_strdup(a, b.data);
    lh_buf_free(&b);
    return s;
}

const lh_watch_report *lh_wverdict(lh_watch_session *s, lh_arena *a)
{
    lh_watch_report *r = LH_NEW(a, lh_watch_report);
    size_t n = s->nsnaps;
    r->target = lh_arena_strdup(a, s->target);
    r->started_unix_ms = s->started_ms;
    r->nsnapshots = n;
    double *t = LH_NEWN(a, double, n + 1), *heap = LH_NEWN(a, double, n + 1),
           *gor = LH_NEWN(a, double, n + 1), *rss = LH_NEWN(a, double, n + 1);
    for (size_t i = 0; i < n; i++) {
        const lh_wsnap *sn = &s->snaps[i];
        t[i] = (double)(sn->unix_ms - s->started_ms) / 1000.0;
        heap[i] = sn->heap_inuse;
        gor[i] = sn->have_gor ? sn->goroutines : NAN;
        rss[i] = sn->sys;
    }
    r->t_s = t;
    r->heap_inuse_bytes = heap;
    r->goroutines = gor;
    r->rss_bytes = rss;
    r->duration_s = n ? t[n - 1] : 0;
    r->nrestarts = s->nrestarts;
    size_t *ra = LH_NEWN(a, size_t, s->nrestarts + 1);
    if (s->nrestarts)
        memcpy(ra, s->restarts, s->nrestarts * sizeof *ra);
    r->restart_at = ra;
    lh_watch_note *notes = LH_NEWN(a, lh_watch_note, s->nnotes + 1);
    for (size_t i = 0; i < s->nnotes; i++) {
        char text[600];
        if (s->notes[i].repeats > 1)
            snprintf(text, sizeof text, "%s (%zu times)", s->notes[i].text, s->notes[i].repeats);
        else
            snprintf(text, sizeof text, "%s", s->notes[i].text);
        notes[i] = (lh_watch_note){s->notes[i].t_s, lh_arena_strdup(a, text)};
    }
    r->notes = notes;
    r->nnotes = s->nnotes;
    r->source_dir = s->source_dir ? lh_arena_strdup(a, s->source_dir) : NULL;

    cands cs = {0};
    size_t begin = 0, segno = 0;
    for (size_t i = 1; i <= n; i++) {
        if (i == n || s->snaps[i].segment != s->snaps[begin].segment) {
            judge_segment(s, (seg){begin, i}, segno++, a, &cs);
            begin = i;
        }
    }
    /* A site that grew in several processes is one suspect, judged on the
     * latest process it grew in, and surer for the repetition. */
    size_t m = 0;
    for (size_t i = 0; i < cs.n; i++) {
        size_t j = 0;
        while (j < m && !same_site(&cs.v[j].sp, &cs.v[i].sp))
            j++;
        if (j == m) {
            cs.v[m++] = cs.v[i];
            continue;
        }
        size_t segs = cs.v[j].nsegments + 1;
        double conf = cs.v[j].sp.confidence > cs.v[i].sp.confidence ? cs.v[j].sp.confidence
                                                                    : cs.v[i].sp.confidence;
        double *series = cs.v[j].series;
        for (size_t k = 0; k < n; k++)
            if (!isnan(cs.v[i].series[k]))
                series[k] = cs.v[i].series[k];
        cs.v[j] = cs.v[i];
        cs.v[j].series = series;
        cs.v[j].nsegments = segs;
        cs.v[j].sp.confidence = conf + 0.05 > 0.99 ? 0.99 : conf + 0.05;
    }
    lh_watch_suspect *sps = LH_NEWN(a, lh_watch_suspect, m + 1);
    for (size_t i = 0; i < m; i++) {
        sps[i] = cs.v[i].sp;
        sps[i].series = cs.v[i].series;
        if (cs.v[i].nsegments > 1) {
            char *sum = LH_NEWN(a, char, strlen(sps[i].summary) + 64);
            sprintf(sum, "%s (in %zu runs of the process)", sps[i].summary, cs.v[i].nsegments);
            sps[i].summary = sum;
        }
    }
    free(cs.v);
    if (s->findings && s->source_dir)
        lh_watch_join(sps, m, s->findings, s->source_dir, a);
    qsort(sps, m, sizeof *sps, lh_watch_suspect_cmp);
    if (s->cfg.max_suspects > 0 && m > (size_t)s->cfg.max_suspects)
        m = (size_t)s->cfg.max_suspects;
    r->suspects = sps;
    r->nsuspects = m;
    r->verdict = verdict_text(r, a);
    return r;
}
