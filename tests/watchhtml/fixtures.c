#include "fixtures.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

const char *const lhw_fixture_names[] = {"leak", "steady", "empty", "one", "hostile", "many", "rss", "long"};
const size_t lhw_nfixtures = sizeof lhw_fixture_names / sizeof *lhw_fixture_names;

static lh_watch_report *base(lh_arena *a, size_t n, double every_s)
{
    lh_watch_report *r = LH_NEW(a, lh_watch_report);
    double *t = LH_NEWN(a, double, n + 1);
    double *heap = LH_NEWN(a, double, n + 1), *gor = LH_NEWN(a, double, n + 1);
    double *rss = LH_NEWN(a, double, n + 1);
    for (size_t i = 0; i < n; i++) {
        t[i] = (double)i * every_s;
        heap[i] = gor[i] = NAN;
        rss[i] = NAN;
    }
    r->target = "http://127.0.0.1:6060/debug/pprof/";
    r->started_unix_ms = 1796040000000;     /* 2026-11-30 */
    r->duration_s = n ? t[n - 1] : 0;
    r->nsnapshots = n;
    r->t_s = t;
    r->heap_inuse_bytes = heap;
    r->goroutines = gor;
    r->rss_bytes = rss;
    return r;
}

static double *series(lh_arena *a, size_t n)
{
    double *v = LH_NEWN(a, double, n + 1);
    for (size_t i = 0; i < n; i++)
        v[i] = NAN;
    return v;
}

static lh_watch_frame *frames(lh_arena *a, size_t n)
{
    return LH_NEWN(a, lh_watch_frame, n);
}

static const lh_watch_report *leak(lh_arena *a, const char *source_dir)
{
    enum { N = 40, RESTART = 25 };
    lh_watch_report *r = base(a, N, 30);
    double *heap = (double *)r->heap_inuse_bytes, *gor = (double *)r->goroutines;
    lh_watch_suspect *s = LH_NEWN(a, lh_watch_suspect, 3);
    for (int k = 0; k < 3; k++)
        s[k].series = series(a, N);
    double *sh = (double *)s[0].series, *sg = (double *)s[1].series, *sc = (double *)s[2].series;
    for (size_t i = 0; i < N; i++) {
        size_t j = i < RESTART ? i : i - RESTART;     /* counters reset at the restart */
        heap[i] = 40e6 + 4.5e6 * (double)j + (i % 3) * 1e6;
        gor[i] = 12 + 30 * (double)j;
        sh[i] = 4.4e6 * (double)j;
        sg[i] = 28 * (double)j;
        sc[i] = 32768.0 * (double)j;
    }
    heap[10] = heap[11] = NAN;  /* a fetch failed twice */
    sh[10] = sh[11] = NAN;
    gor[30] = NAN;
    size_t *restart = LH_NEWN(a, size_t, 1);
    restart[0] = RESTART;
    r->nrestarts = 1;
    r->restart_at = restart;
    lh_watch_note *notes = LH_NEWN(a, lh_watch_note, 3);
    notes[0] = (lh_watch_note){300, "HTTP 500 on heap, retried twice"};
    notes[1] = (lh_watch_note){330, "timeout on heap after 5s, retried"};
    notes[2] = (lh_watch_note){750, "restart detected: goroutine count and heap dropped, process start time changed"};
    r->notes = notes;
    r->nnotes = 3;

    lh_watch_confirm *c = LH_NEW(a, lh_watch_confirm);
    *c = (lh_watch_confirm){"unbounded-map-growth", "svc/cache.go", 16, 2,
                            "map c.m only grows: entries are added and never deleted",
                            "bound the cache (evict old entries) or delete keys when done"};
    lh_watch_frame *f0 = frames(a, 5);
    f0[0] = (lh_watch_frame){"runtime.mapassign_faststr", "/usr/lib/go/src/runtime/map_faststr.go", 203};
    f0[1] = (lh_watch_frame){"example.com/svc.(*Cache[go.shape.string,go.shape.interface {}]).Put",
                             "/build/src/svc/cache.go", 16};
    f0[2] = (lh_watch_frame){"example.com/svc.handler.func1", "/build/src/svc/http.go", 41};
    f0[3] = (lh_watch_frame){"net/http.HandlerFunc.ServeHTTP", "/usr/lib/go/src/net/http/server.go", 2220};
    f0[4] = (lh_watch_frame){"net/http.(*conn).serve", "/usr/lib/go/src/net/http/server.go", 2092};
    s[0].kind = LH_SUSPECT_HEAP;
    s[0].function = f0[1].function;
    s[0].file = f0[1].file;
    s[0].line = 16;
    s[0].std_function = f0[0].function;
    s[0].std_file = f0[0].file;
    s[0].std_line = 203;
    s[0].growth_per_hour = 528e6;
    s[0].unit = "bytes";
    s[0].confidence = 0.93;
    s[0].confirmed_by = c;
    s[0].stack = f0;
    s[0].nstack = 5;

    lh_watch_frame *f1 = frames(a, 3);
    f1[0] = (lh_watch_frame){"runtime.chansend1", "/usr/lib/go/src/runtime/chan.go", 161};
    f1[1] = (lh_watch_frame){"example.com/svc.fanout.func2", "/build/src/svc/fanout.go", 27};
    f1[2] = (lh_watch_frame){"runtime.goexit", "/usr/lib/go/src/runtime/asm_amd64.s", 1700};
    s[1].kind = LH_SUSPECT_GOROUTINES;
    s[1].function = f1[1].function;
    s[1].file = f1[1].file;
    s[1].line = 27;
    s[1].std_function = f1[0].function;
    s[1].std_file = f1[0].file;
    s[1].std_line = 161;
    s[1].wait_reason = "chan send";
    s[1].growth_per_hour = 3360;
    s[1].unit = "goroutines";
    s[1].confidence = 0.8;
    s[1].stack = f1;
    s[1].nstack = 3;

    lh_watch_frame *f2 = frames(a, 3);
    f2[0] = (lh_watch_frame){"bufio.NewReaderSize", "/usr/lib/go/src/bufio/bufio.go", 57};
    f2[1] = (lh_watch_frame){"net/http.(*Transport).dialConn", "/usr/lib/go/src/net/http/transport.go", 1810};
    f2[2] = (lh_watch_frame){"example.com/svc.poll", "/build/src/svc/poll.go", 19};
    s[2].kind = LH_SUSPECT_CONNECTION;
    s[2].function = f2[2].function;
    s[2].file = f2[2].file;
    s[2].line = 19;
    s[2].std_function = f2[0].function;
    s[2].std_file = f2[0].file;
    s[2].std_line = 57;
    s[2].growth_per_hour = 3.9e6;
    s[2].unit = "bytes";
    s[2].confidence = 0.6;
    s[2].stack = f2;
    s[2].nstack = 3;
    s[2].summary = "Response bodies from example.com/svc.poll are never closed: each request keeps a connection and two 4 kB buffers.";

    r->suspects = s;
    r->nsuspects = 3;
    r->verdict = "Memory leak: the cache in example.com/svc.(*Cache).Put grows by about 500 MB per hour and is never trimmed.";
    r->source_dir = source_dir;
    return r;
}

static const lh_watch_report *steady(lh_arena *a)
{
    enum { N = 30 };
    lh_watch_report *r = base(a, N, 15);
    double *heap = (double *)r->heap_inuse_bytes, *gor = (double *)r->goroutines;
    for (size_t i = 0; i < N; i++) {
        double warm = 1 - exp(-(double)i / 4);
        heap[i] = 8e6 + 60e6 * warm + (double)(i * 7919 % 13) * 1e5;
        gor[i] = 20 + floor(40 * warm);
    }
    r->verdict = "No leak: memory and goroutines warmed up, then held steady.";
    return r;
}

static const lh_watch_report *one(lh_arena *a)
{
    lh_watch_report *r = base(a, 1, 15);
    ((double *)r->heap_inuse_bytes)[0] = 12e6;
    ((double *)r->goroutines)[0] = 9;
    lh_watch_suspect *s = LH_NEW(a, lh_watch_suspect);
    double *v = series(a, 1);
    v[0] = 4e6;
    s->kind = LH_SUSPECT_LEAKED;
    s->function = "main.worker";
    s->file = "/src/main.go";
    s->line = 12;
    s->wait_reason = "chan receive (leaked)";
    s->growth_per_hour = NAN;
    s->unit = "goroutines";
    s->confidence = 1;
    s->series = v;
    r->suspects = s;
    r->nsuspects = 1;
    return r;
}

/* Every string a profile or the service can put in the report, at its worst. */
static const char hostile_text[] =
    "</title></code><script>window.__pwned=1</script><img src=x onerror=alert(1)>"
    "\"'&amp;&lt;\x01\x7f\xff\xfe\xc3(\xe2\x82 end";

static const lh_watch_report *hostile(lh_arena *a)
{
    enum { N = 12 };
    lh_watch_report *r = base(a, N, 1e-3);
    double *heap = (double *)r->heap_inuse_bytes, *gor = (double *)r->goroutines;
    for (size_t i = 0; i < N; i++) {
        heap[i] = i % 4 == 3 ? INFINITY : 1e300 * (double)(i + 1);
        gor[i] = i % 2 ? -INFINITY : (double)i * 1e15;
    }
    r->target = hostile_text;
    r->verdict = hostile_text;
    r->source_dir = hostile_text;
    r->duration_s = INFINITY;
    r->started_unix_ms = -5;
    size_t *restart = LH_NEWN(a, size_t, 2);
    restart[0] = 4;
    restart[1] = 999;           /* past the end: ignored */
    r->restart_at = restart;
    r->nrestarts = 2;
    lh_watch_note *note = LH_NEW(a, lh_watch_note);
    *note = (lh_watch_note){-INFINITY, hostile_text};
    r->notes = note;
    r->nnotes = 1;
    lh_watch_confirm *c = LH_NEW(a, lh_watch_confirm);
    *c = (lh_watch_confirm){hostile_text, hostile_text, -1, -1, hostile_text, hostile_text};
    lh_watch_frame *f = frames(a, 2);
    f[0] = (lh_watch_frame){"main.Map[go.shape.*uint8,go.shape.struct { F func() <-chan int }]",
                            hostile_text, INT64_MAX};
    f[1] = (lh_watch_frame){hostile_text, "../../../../etc/passwd", INT64_MIN};
    lh_watch_suspect *s = LH_NEWN(a, lh_watch_suspect, 2);
    for (int k = 0; k < 2; k++) {
        double *v = series(a, N);
        for (size_t i = 0; i < N; i++)
            v[i] = k ? -1e308 * (double)(i % 3) : 1e18 * (double)i;
        s[k] = (lh_watch_suspect){
            .kind = (lh_suspect_kind)(k ? 77 : LH_SUSPECT_RSS),
            .function = f[k].function, .file = f[k].file, .line = f[k].line,
            .std_function = hostile_text, .std_file = hostile_text, .std_line = -3,
            .wait_reason = hostile_text, .growth_per_hour = k ? -INFINITY : 1e300,
            .unit = k ? hostile_text : "bytes", .confidence = k ? NAN : 7,
            .confirmed_by = c, .stack = f, .nstack = 2, .series = v,
            .summary = k ? hostile_text : NULL};
    }
    r->suspects = s;
    r->nsuspects = 2;
    return r;
}

static const lh_watch_report *many(lh_arena *a)
{
    enum { N = 20, NS = 100 };
    lh_watch_report *r = base(a, N, 60);
    double *heap = (double *)r->heap_inuse_bytes, *gor = (double *)r->goroutines;
    lh_watch_suspect *s = LH_NEWN(a, lh_watch_suspect, NS);
    for (size_t i = 0; i < N; i++) {
        heap[i] = 1e9 + 2e8 * (double)i;
        gor[i] = 1000 + 500 * (double)i;
    }
    for (size_t k = 0; k < NS; k++) {
        double *v = series(a, N);
        for (size_t i = 0; i < N; i++)
            v[i] = (double)((NS - k) * i) * 1e5;
        char *fn = lh_arena_alloc(a, 64);
        snprintf(fn, 64, "example.com/svc.site%03zu", k + 1);
        s[k] = (lh_watch_suspect){.kind = LH_SUSPECT_HEAP, .function = fn, .file = "svc/sites.go",
                                  .line = (int64_t)k + 1, .growth_per_hour = (double)(NS - k) * 6e6,
                                  .unit = "bytes", .confidence = 0.5, .series = v};
    }
    r->suspects = s;
    r->nsuspects = NS;
    r->verdict = "100 allocation sites grow together: the whole heap climbs by 12 GB per hour.";
    return r;
}

static const lh_watch_report *rss(lh_arena *a)
{
    enum { N = 25 };
    lh_watch_report *r = base(a, N, 20);
    double *rssv = (double *)r->rss_bytes;
    for (size_t i = 0; i < N; i++)
        rssv[i] = 300e6 + 7e6 * (double)(i % 10);  /* climbs to a limit, killed, again */
    size_t *restart = LH_NEWN(a, size_t, 2);
    restart[0] = 10;
    restart[1] = 20;
    r->restart_at = restart;
    r->nrestarts = 2;
    r->target = "pid 4242 (./svc -listen :8080)";
    lh_watch_suspect *s = LH_NEW(a, lh_watch_suspect);
    *s = (lh_watch_suspect){.kind = LH_SUSPECT_RSS, .function = "", .file = "",
                            .growth_per_hour = 1.26e9, .unit = "bytes", .confidence = 0.7,
                            .series = r->rss_bytes};
    r->suspects = s;
    r->nsuspects = 1;
    r->verdict = "The process climbs to its memory limit, is killed and climbs again (2 restarts).";
    return r;
}

/* A day of snapshots a second apart: a slow climb with noise, one spike. */
static const lh_watch_report *long_watch(lh_arena *a)
{
    enum { N = 86400, SPIKE = 54321 };
    lh_watch_report *r = base(a, N, 1);
    double *heap = (double *)r->heap_inuse_bytes, *gor = (double *)r->goroutines;
    lh_watch_suspect *s = LH_NEW(a, lh_watch_suspect);
    double *v = series(a, N);
    uint32_t seed = 1;
    for (size_t i = 0; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        double noise = (double)(seed >> 16 & 0xffff) / 65536.0;
        heap[i] = 200e6 + 2000.0 * (double)i + 30e6 * noise;
        gor[i] = 100 + (double)(i / 600) + floor(20 * noise);
        v[i] = 2000.0 * (double)i;
    }
    heap[SPIKE] = 2e9;
    *s = (lh_watch_suspect){.kind = LH_SUSPECT_HEAP, .function = "main.(*store).add",
                            .file = "/src/store.go", .line = 88, .growth_per_hour = 7.2e6,
                            .unit = "bytes", .confidence = 0.9, .series = v};
    r->suspects = s;
    r->nsuspects = 1;
    r->verdict = "Memory leak: main.(*store).add holds on to 7 MB more every hour.";
    return r;
}

const lh_watch_report *lhw_fixture(lh_arena *a, const char *name, const char *source_dir)
{
    if (strcmp(name, "leak") == 0)
        return leak(a, source_dir);
    if (strcmp(name, "steady") == 0)
        return steady(a);
    if (strcmp(name, "empty") == 0) {
        lh_watch_report *r = base(a, 0, 0);
        r->target = "http://127.0.0.1:1/debug/pprof/";
        return r;
    }
    if (strcmp(name, "one") == 0)
        return one(a);
    if (strcmp(name, "hostile") == 0)
        return hostile(a);
    if (strcmp(name, "many") == 0)
        return many(a);
    if (strcmp(name, "rss") == 0)
        return rss(a);
    if (strcmp(name, "long") == 0)
        return long_watch(a);
    return NULL;
}
