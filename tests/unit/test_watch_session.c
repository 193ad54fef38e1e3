/* watch's session and verdict on recorded services (tests/testdata/watch,
 * recorded from real Go programs by tests/watch/record.sh): a warm-up that
 * settles is no suspect while one hiding a slow climb is; an unclosed body
 * is a connection leak named at the caller through the requests'
 * allocation stacks; a restart splits the series and each run is judged
 * on its own; the rank order; the target URL forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/analysis.h"
#include "report/findings.h"
#include "watch/internal.h"
#include "watch/session.h"

static char fixture_dir[4096];

static const char *fixture(const char *name)
{
    const char *src = getenv("LH_SRC");
    snprintf(fixture_dir, sizeof fixture_dir, "%s/tests/testdata/watch/%s", src ? src : ".", name);
    return fixture_dir;
}

static lh_watch_session *load(const char *dir)
{
    lh_watch_config cfg = {0};
    char err[512] = "";
    lh_watch_session *s = lh_watch_session_load(dir, &cfg, err, sizeof err);
    if (!s)
        fail_msg("%s", err);
    return s;
}

static const char *base(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* The marker's line in a source file of the tree. */
static int64_t marker(const char *rel, const char *tag)
{
    char path[4096], line[1024];
    snprintf(path, sizeof path, "%s/%s", getenv("LH_SRC") ? getenv("LH_SRC") : ".", rel);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int64_t n = 0, found = 0;
    while (fgets(line, sizeof line, f)) {
        n++;
        if (strstr(line, tag))
            found = n;
    }
    fclose(f);
    assert_true(found > 0);
    return found;
}

/* Removes a scratch directory a test made under /tmp. */
static void rm_tree(const char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* Writes a saved watch into dir, as `watch --save` lays it out: n
 * snapshots interval_ms apart from 1700000000000, each one file of the
 * given kind ("heap", "goroutine", "vars") named KIND.NNNNNN.EXT, whose
 * content snap(f, i, ctx) prints. */
typedef void snap_writer(FILE *f, int i, void *ctx);

static void write_watch(const char *dir, int n, long long interval_ms, const char *kind,
                        const char *ext, snap_writer *snap, void *ctx)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/watch.tsv", dir);
    FILE *m = fopen(path, "w");
    assert_non_null(m);
    fputs("target\tx\nstarted\t1700000000000\n", m);
    for (int i = 0; i < n; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s.%06d.%s", kind, i, ext);
        fprintf(m, "snap\t%d\t%lld\nfile\t%d\t%s\t%s\n", i, 1700000000000LL + interval_ms * i, i,
                kind, name);
        snprintf(path, sizeof path, "%s/%s", dir, name);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        snap(f, i, ctx);
        fclose(f);
    }
    fclose(m);
}

/* The classifier the verdict uses, on the two shapes: a warm-up that
 * settles, and the same warm-up with a slow climb behind it (seed 002). */
static void test_warmup_series(void **state)
{
    (void)state;
    double t[12], warm[12], leak[12], slope, r2, late;
    for (int i = 0; i < 12; i++) {
        t[i] = i / 3600.0;
        warm[i] = i < 5 ? 400e3 * i : 2000e3 + (i % 2) * 8e3;
        leak[i] = warm[i] + (i >= 5 ? 80e3 * (i - 4) : 0);
    }
    assert_int_equal(lh_trend_classify(t, warm, 12, (double)LH_TREND_MIN_GROWTH, &slope, &r2, &late),
                     LH_TREND_PLATEAU);
    assert_int_equal(lh_trend_classify(t, leak, 12, (double)LH_TREND_MIN_GROWTH, &slope, &r2, &late),
                     LH_TREND_GROWING);
}

/* Busy garbage as a gc=1 profile shows it under load (t_watch_e2e's
 * control): it may end on an upswing, but it gave back everything it held
 * before; a leak, even sampled, never does. */
static void test_garbage_gives_back(void **state)
{
    (void)state;
    const double garbage[] = {488021, 34858, 34858, 3346430, 0, 0, 69717, 0, 0, 104575, 104575,
                              627455, 1568639};
    const double leak[] = {0, 32768, 98304, 98304, 229376, 294912, 327680, 458752, 524288};
    const double small[] = {0, 40000, 0, 30000, 60000};    /* under 64 kB: the classifier's call */
    assert_true(lh_wverdict_gave_back(garbage, sizeof garbage / sizeof *garbage));
    assert_false(lh_wverdict_gave_back(leak, sizeof leak / sizeof *leak));
    assert_false(lh_wverdict_gave_back(small, sizeof small / sizeof *small));
    /* the boundary: down to under half the peak is giving back, to half
     * or more is not */
    const double under_half[] = {0, 200000, 90000, 250000};
    const double half[] = {0, 200000, 100000, 250000};
    assert_true(lh_wverdict_gave_back(under_half, 4));
    assert_false(lh_wverdict_gave_back(half, 4));
}

static void test_warmup_recorded(void **state)
{
    (void)state;
    lh_watch_session *s = load(fixture("warmup"));
    lh_arena a;
    lh_arena_init(&a);
    const lh_watch_report *r = lh_watch_session_report(s, &a);
    size_t n = r->nsnapshots;
    assert_true(n >= 10);
    /* it did warm up: a fixed delay would have had to guess how long */
    assert_true(r->heap_inuse_bytes[n - 1] > 4 * r->heap_inuse_bytes[0]);
    assert_int_equal(r->nsuspects, 0);
    lh_arena_free(&a);
    lh_watch_session_free(s);

    s = load(fixture("warmleak"));
    lh_arena_init(&a);
    r = lh_watch_session_report(s, &a);
    assert_int_equal(r->nsuspects, 1);
    assert_int_equal(r->suspects[0].kind, LH_SUSPECT_HEAP);
    assert_string_equal(r->suspects[0].function, "main.remember");
    assert_string_equal(base(r->suspects[0].file), "main.go");
    assert_int_equal(r->suspects[0].line, marker("tests/watch/warmup/main.go", "// LEAK heap:"));
    assert_true(r->suspects[0].growth_per_hour > 0);
    /* the series: nothing before the warm-up ended, then a climb */
    n = r->nsnapshots;
    assert_true(r->suspects[0].series[0] == 0 && r->suspects[0].series[n - 1] > 0);
    lh_arena_free(&a);
    lh_watch_session_free(s);
}

static void test_connection_attribution(void **state)
{
    (void)state;
    lh_watch_session *s = load(fixture("body"));
    lh_arena a;
    lh_arena_init(&a);
    const lh_watch_report *r = lh_watch_session_report(s, &a);
    assert_int_equal(r->nsuspects, 1);
    const lh_watch_suspect *sp = &r->suspects[0];
    assert_int_equal(sp->kind, LH_SUSPECT_CONNECTION);
    assert_string_equal(sp->function, "main.callBackend");
    assert_string_equal(base(sp->file), "body.go");
    assert_int_equal(sp->line, marker("tests/goleaks/body.go", "// LEAK body:"));
    /* the memory is the transport's read buffer, allocated in dialConn */
    assert_string_equal(sp->std_function, "bufio.NewReaderSize");
    /* the evidence stack runs from net/http's client up to the caller */
    int client = 0, caller = 0;
    for (size_t k = 0; k < sp->nstack; k++) {
        client |= strncmp(sp->stack[k].function, "net/http.", 9) == 0;
        caller |= strcmp(sp->stack[k].function, "main.callBackend") == 0 && client;
    }
    assert_true(caller);
    assert_string_equal(sp->unit, "bytes");
    assert_true(sp->growth_per_hour > 0 && sp->confidence > 0.5);
    lh_arena_free(&a);
    lh_watch_session_free(s);
}

/* A recorded watch played twice into one saved directory: the second run's
 * allocation totals start again from the bottom. */
static void test_restart_segments(void **state)
{
    (void)state;
    char dir[] = "/tmp/lh-test-restart.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char src[4096];
    assert_non_null(realpath(fixture("body"), src));
    char path[8192];
    snprintf(path, sizeof path, "%s/watch.tsv", src);
    FILE *in = fopen(path, "r");
    assert_non_null(in);
    snprintf(path, sizeof path, "%s/watch.tsv", dir);
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    char line[1024];
    size_t nsnap = 0;
    int64_t t0 = 1700000000000;
    fprintf(out, "target\tplayed twice\nstarted\t%lld\n", (long long)t0);
    for (int run = 0; run < 2; run++) {
        rewind(in);
        while (fgets(line, sizeof line, in)) {
            char name[256];
            int seq;
            if (strncmp(line, "snap\t", 5) == 0) {
                fprintf(out, "snap\t%zu\t%lld\n", nsnap, (long long)(t0 + 1000 * (int64_t)nsnap));
                nsnap++;
            } else if (sscanf(line, "file\t%d\theap\t%255s", &seq, name) == 2 ||
                       sscanf(line, "file\t%d\tgoroutine\t%255s", &seq, name) == 2) {
                char link[8192], target[8192];
                snprintf(link, sizeof link, "%s/%d.%s", dir, run, name);
                snprintf(target, sizeof target, "%s/%s", src, name);
                assert_int_equal(symlink(target, link), 0);
                fprintf(out, "file\t%zu\t%s\t%d.%s\n", nsnap - 1, strstr(line, "heap") ? "heap" : "goroutine",
                        run, name);
            }
        }
    }
    fclose(in);
    fclose(out);
    lh_watch_session *s = load(dir);
    lh_arena a;
    lh_arena_init(&a);
    const lh_watch_report *r = lh_watch_session_report(s, &a);
    assert_int_equal(r->nsnapshots, 14);
    assert_int_equal(r->nrestarts, 1);
    assert_int_equal(r->restart_at[0], 7);
    int noted = 0;
    for (size_t i = 0; i < r->nnotes; i++)
        noted |= strstr(r->notes[i].text, "restart detected") != NULL;
    assert_true(noted);
    /* one fit across the drop would call the whole a wobble; per run, it
     * is the same leak twice */
    assert_int_equal(r->nsuspects, 1);
    assert_int_equal(r->suspects[0].kind, LH_SUSPECT_CONNECTION);
    assert_string_equal(r->suspects[0].function, "main.callBackend");
    assert_non_null(strstr(r->suspects[0].summary, "in 2 runs"));
    /* its series is the second run's values after the restart, not a
     * continuation: it drops at the restart */
    assert_true(r->suspects[0].series[7] < r->suspects[0].series[6]);
    lh_arena_free(&a);
    lh_watch_session_free(s);
    /* the same, confirmed by a static finding on the caller's line */
    s = load(dir);
    lh_findings fs;
    lh_findings_init(&fs);
    char srcdir[4096], file[4200];
    snprintf(srcdir, sizeof srcdir, "%s/tests/goleaks", getenv("LH_SRC") ? getenv("LH_SRC") : ".");
    snprintf(file, sizeof file, "%s/body.go", srcdir);
    lh_finding f = {.rule = "unclosed-body", .file = file,
                    .line = (uint32_t)marker("tests/goleaks/body.go", "// LEAK body:"), .col = 2,
                    .severity = LH_SEV_WARNING, .message = "resp.Body is never closed",
                    .function = "callBackend"};
    lh_findings_add(&fs, &f);
    s->source_dir = strdup(srcdir);
    lh_watch_session_set_findings(s, &fs);
    lh_arena_init(&a);
    r = lh_watch_session_report(s, &a);
    assert_int_equal(r->nsuspects, 1);
    assert_non_null(r->suspects[0].confirmed_by);
    assert_string_equal(r->suspects[0].confirmed_by->rule, "unclosed-body");
    lh_arena_free(&a);
    lh_watch_session_free(s);
    lh_findings_free(&fs);
    rm_tree(dir);
}

/* The runtime's own word: a goroutineleak profile's goroutines are
 * suspects from the first snapshot, at their user frame, with the std
 * frame they wait in. */
static void test_leaked_goroutines(void **state)
{
    (void)state;
    char dir[] = "/tmp/lh-test-leak.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char target[4096], link[4200], path[4200];
    snprintf(path, sizeof path, "%s/tests/testdata/profiles/goroutineleak.debug1.txt",
             getenv("LH_SRC") ? getenv("LH_SRC") : ".");
    assert_non_null(realpath(path, target));
    snprintf(link, sizeof link, "%s/gl.txt", dir);
    assert_int_equal(symlink(target, link), 0);
    snprintf(path, sizeof path, "%s/watch.tsv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("target\tx\nstarted\t1700000000000\nsnap\t0\t1700000000000\n"
          "file\t0\tgoroutineleak\tgl.txt\n", f);
    fclose(f);
    lh_watch_session *s = load(dir);
    lh_arena a;
    lh_arena_init(&a);
    const lh_watch_report *r = lh_watch_session_report(s, &a);
    int produce = 0, wait = 0, descend = 0;
    for (size_t i = 0; i < r->nsuspects; i++) {
        const lh_watch_suspect *sp = &r->suspects[i];
        assert_int_equal(sp->kind, LH_SUSPECT_LEAKED);
        assert_true(sp->confidence > 0.9);
        produce |= strcmp(sp->function, "main.produce") == 0 && sp->series[0] == 6;
        wait |= strcmp(sp->function, "main.waitAll") == 0 &&
                strcmp(sp->std_function, "sync.(*WaitGroup).Wait") == 0;
        descend |= strcmp(sp->function, "main.descend") == 0 && sp->series[0] == 1;
    }
    assert_true(produce);
    assert_true(wait);
    assert_true(descend);   /* one leaked goroutine is a suspect too */
    lh_arena_free(&a);
    lh_watch_session_free(s);
    rm_tree(dir);
}

/* /debug/vars alone (a service with expvar but no pprof answers the
 * fetch of vars only): memstats give the heap and Sys series, and a
 * TotalAlloc going down is a restart. NumGC stays put between some
 * snapshots (an idle process): no restart. */
static const long long vars_total[] = {1000000, 2000000, 500000, 900000};

/* the shape expvar writes: cmdline first, then memstats with BySize
 * entries that have keys of their own */
static void vars_snap(FILE *f, int i, void *ctx)
{
    (void)ctx;
    fprintf(f, "{\n\"cmdline\": [\"svc\"],\n\"memstats\": {\"Alloc\":1,\"TotalAlloc\":%lld,"
               "\"Sys\":%d,\"HeapInuse\":%d,\"NumGC\":%d,\"BySize\":[{\"Size\":0,"
               "\"Mallocs\":0,\"Frees\":0}]}\n}\n",
            vars_total[i], 9000000 + i, 4000000 + 1000 * i, 10 + i / 2);
}

static void test_vars_memstats(void **state)
{
    (void)state;
    char dir[] = "/tmp/lh-test-vars.XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_watch(dir, 4, 1000, "vars", "json", vars_snap, NULL);
    lh_watch_session *s = load(dir);
    lh_arena a;
    lh_arena_init(&a);
    const lh_watch_report *r = lh_watch_session_report(s, &a);
    assert_int_equal(r->nsnapshots, 4);
    assert_true(r->heap_inuse_bytes[3] == 4003000.0);
    assert_true(r->rss_bytes[0] == 9000000.0);
    assert_true(isnan(r->goroutines[0]));
    assert_int_equal(r->nrestarts, 1);
    assert_int_equal(r->restart_at[0], 2);
    lh_arena_free(&a);
    lh_watch_session_free(s);
    rm_tree(dir);
}

/* A goroutine group that climbs by two per snapshot, 1 to 9 over five
 * snapshots: a suspect (MIN_GOROUTINE_GROWTH is 3 goroutines); the
 * runtime's own goroutines, flat, are not. */
static void climb_snap(FILE *f, int i, void *ctx)
{
    (void)ctx;
    fprintf(f, "goroutine profile: total %d\n"
               "%d @ 0x1001 0x2001 0x3001 0x4001\n"
               "#\t0x1000\truntime.gopark+0x0\t/go/src/runtime/proc.go:435\n"
               "#\t0x2000\truntime.chanrecv+0x0\t/go/src/runtime/chan.go:664\n"
               "#\t0x3000\tmain.worker+0x0\t/app/main.go:12\n"
               "#\t0x4000\truntime.goexit+0x0\t/go/src/runtime/asm_amd64.s:1700\n"
               "\n"
               "1 @ 0x1001 0x5001\n"
               "#\t0x1000\truntime.gopark+0x0\t/go/src/runtime/proc.go:435\n"
               "#\t0x5000\truntime.forcegchelper+0x0\t/go/src/runtime/proc.go:348\n"
               "\n",
            2 * i + 2, 2 * i + 1);
}

static void test_goroutines_climb(void **state)
{
    (void)state;
    char dir[] = "/tmp/lh-test-gor.XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_watch(dir, 5, 10000, "goroutine", "txt", climb_snap, NULL);
    lh_watch_session *s = load(dir);
    lh_arena a;
    lh_arena_init(&a);
    const lh_watch_report *r = lh_watch_session_report(s, &a);
    assert_int_equal(r->nsnapshots, 5);
    assert_int_equal(r->nsuspects, 1);
    assert_int_equal(r->suspects[0].kind, LH_SUSPECT_GOROUTINES);
    assert_string_equal(r->suspects[0].function, "main.worker");
    lh_arena_free(&a);
    lh_watch_session_free(s);
    rm_tree(dir);
}

/* Two groups of goroutines wait in the same user frame (main.readMsg)
 * but run different functions: the ones main.dialLoop starts climb 1 to
 * 9 while main.serveConn's fall 9 to 1. Grouped by where they wait alone
 * the sum is a flat 10; grouped as `goroutines` groups them (start
 * function and category too) the climbing group is the suspect. */
static void apart_snap(FILE *f, int i, void *ctx)
{
    (void)ctx;
    static const char *const starts[] = {"main.dialLoop", "main.serveConn"};
    int counts[] = {1 + 2 * i, 9 - 2 * i};
    fprintf(f, "goroutine profile: total %d\n", counts[0] + counts[1]);
    for (int k = 0; k < 2; k++)
        fprintf(f, "%d @ 0x1001 0x2001 0x3001 0x%d001 0x4001\n"
                   "#\t0x1000\truntime.gopark+0x0\t/go/src/runtime/proc.go:435\n"
                   "#\t0x2000\truntime.chanrecv+0x0\t/go/src/runtime/chan.go:664\n"
                   "#\t0x3000\tmain.readMsg+0x0\t/app/main.go:30\n"
                   "#\t0x%d000\t%s+0x0\t/app/main.go:%d\n"
                   "#\t0x4000\truntime.goexit+0x0\t/go/src/runtime/asm_amd64.s:1700\n\n",
                counts[k], 5 + k, 5 + k, starts[k], 40 + 10 * k);
}

static void test_goroutine_groups_apart(void **state)
{
    (void)state;
    char dir[] = "/tmp/lh-test-apart.XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_watch(dir, 5, 10000, "goroutine", "txt", apart_snap, NULL);
    lh_watch_session *s = load(dir);
    lh_arena a;
    lh_arena_init(&a);
    const lh_watch_report *r = lh_watch_session_report(s, &a);
    assert_int_equal(r->nsnapshots, 5);
    assert_int_equal(r->nsuspects, 1);
    assert_int_equal(r->suspects[0].kind, LH_SUSPECT_GOROUTINES);
    assert_string_equal(r->suspects[0].function, "main.readMsg");
    assert_true(r->suspects[0].series[0] == 1 && r->suspects[0].series[4] == 9);
    lh_arena_free(&a);
    lh_watch_session_free(s);
    rm_tree(dir);
}

/* Heap snapshots at Go's default sampling (debug=1 text, rate 512 KiB):
 * main.chance holds 64-byte objects sampled 0,1,1,2,2 times, about 1 MiB
 * of "growth" in steps of one period -- chance, no suspect; main.leak is
 * sampled 0,2,5,7,10 times -- a suspect. At memprofilerate=1 the same
 * counts are 64 bytes each: no suspect at all. */
static void heaps_snap(FILE *f, int i, void *ctx)
{
    static const int chance[] = {0, 1, 1, 2, 2}, leak[] = {0, 2, 5, 7, 10};
    int rate = *(const int *)ctx;
    int n = chance[i] + leak[i] + 1;
    fprintf(f, "heap profile: %d: %d [%d: %d] @ heap/%d\n", n, 64 * n, n, 64 * n, 2 * rate);
    const struct {
        int count;
        const char *fn;
        int line;
    } rec[] = {{chance[i], "main.chance", 10}, {leak[i], "main.leak", 20}, {1, "main.keep", 30}};
    for (int k = 0; k < 3; k++)
        if (rec[k].count)
            fprintf(f, "%d: %d [%d: %d] @ 0x%x1 0x9001\n"
                       "#\t0x%x0\t%s+0x0\t/app/main.go:%d\n"
                       "#\t0x9000\tmain.main+0x0\t/app/main.go:2\n\n",
                    rec[k].count, 64 * rec[k].count, rec[k].count, 64 * rec[k].count, k + 1, k + 1,
                    rec[k].fn, rec[k].line);
}

static void test_sampled_heap(void **state)
{
    (void)state;
    for (int sampled = 1; sampled >= 0; sampled--) {
        char dir[] = "/tmp/lh-test-sampled.XXXXXX";
        assert_non_null(mkdtemp(dir));
        int rate = sampled ? 512 * 1024 : 1;
        write_watch(dir, 5, 60000, "heap", "txt", heaps_snap, &rate);
        lh_watch_session *s = load(dir);
        lh_arena a;
        lh_arena_init(&a);
        const lh_watch_report *r = lh_watch_session_report(s, &a);
        assert_int_equal(r->nsnapshots, 5);
        if (sampled) {
            /* the estimate is scaled: more than a MiB from 2 samples */
            assert_true(r->heap_inuse_bytes[4] > 6.0 * 512 * 1024);
            assert_int_equal(r->nsuspects, 1);
            assert_int_equal(r->suspects[0].kind, LH_SUSPECT_HEAP);
            assert_string_equal(r->suspects[0].function, "main.leak");
            assert_int_equal(r->suspects[0].line, 20);
        } else {
            assert_int_equal(r->nsuspects, 0);
        }
        lh_arena_free(&a);
        lh_watch_session_free(s);
        rm_tree(dir);
    }
}

static void test_rank(void **state)
{
    (void)state;
    lh_watch_confirm c = {"defer-in-loop", "x.go", 3, 2, "m", "fix"};
    lh_watch_suspect v[5];
    memset(v, 0, sizeof v);
    const char *names[] = {"heap_sure", "gor_less_sure", "heap_confirmed", "conn_tie", "heap_tie"};
    lh_suspect_kind kinds[] = {LH_SUSPECT_HEAP, LH_SUSPECT_GOROUTINES, LH_SUSPECT_HEAP,
                               LH_SUSPECT_CONNECTION, LH_SUSPECT_HEAP};
    double conf[] = {0.9, 0.6, 0.3, 0.5, 0.5};
    for (int i = 0; i < 5; i++) {
        v[i].function = names[i];
        v[i].file = v[i].std_function = v[i].wait_reason = "";
        v[i].kind = kinds[i];
        v[i].confidence = conf[i];
        v[i].growth_per_hour = 100 * (i + 1);
    }
    v[2].confirmed_by = &c;
    qsort(v, 5, sizeof *v, lh_watch_suspect_cmp);
    /* confirmed first whatever its confidence; then the surer; at equal
     * confidence a connection before a heap site */
    assert_string_equal(v[0].function, "heap_confirmed");
    assert_string_equal(v[1].function, "heap_sure");
    assert_string_equal(v[2].function, "gor_less_sure");
    assert_string_equal(v[3].function, "conn_tie");
    assert_string_equal(v[4].function, "heap_tie");
}

static void test_target_forms(void **state)
{
    (void)state;
    static const char *const forms[][2] = {
        {"127.0.0.1:6060", "http://127.0.0.1:6060/debug/pprof/"},
        {"http://127.0.0.1:6060", "http://127.0.0.1:6060/debug/pprof/"},
        {"http://h:1/", "http://h:1/debug/pprof/"},
        {"http://h:1/debug/pprof", "http://h:1/debug/pprof/"},
        {"https://h/debug/pprof/heap?gc=1", "https://h/debug/pprof/"},
        {"http://h:1/admin/", "http://h:1/admin/"},
    };
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        lh_watch_config cfg = {.target = forms[i][0]};
        char err[256];
        lh_watch_session *s = lh_watch_session_new(&cfg, err, sizeof err);
        assert_non_null(s);
        lh_arena a;
        lh_arena_init(&a);
        const lh_watch_report *r = lh_watch_session_report(s, &a);
        assert_string_equal(r->target, forms[i][1]);
        assert_int_equal(r->nsnapshots, 0);
        assert_int_equal(r->nsuspects, 0);
        lh_arena_free(&a);
        lh_watch_session_free(s);
    }
    lh_watch_config bad = {.target = "ftp://h/x"};
    char err[256];
    assert_null(lh_watch_session_new(&bad, err, sizeof err));
    assert_non_null(strstr(err, "ftp://h/x"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_warmup_series),
        cmocka_unit_test(test_garbage_gives_back),
        cmocka_unit_test(test_warmup_recorded),
        cmocka_unit_test(test_connection_attribution),
        cmocka_unit_test(test_restart_segments),
        cmocka_unit_test(test_leaked_goroutines),
        cmocka_unit_test(test_vars_memstats),
        cmocka_unit_test(test_goroutines_climb),
        cmocka_unit_test(test_goroutine_groups_apart),
        cmocka_unit_test(test_sampled_heap),
        cmocka_unit_test(test_rank),
        cmocka_unit_test(test_target_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
