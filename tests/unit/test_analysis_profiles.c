/* The analyses on the runtime-written fixtures of tests/testdata/profiles:
 * top agrees across the proto and legacy text heap formats, a diff of a
 * profile with itself is empty, the diff profile survives encode/decode
 * with the same answer, and goroutine grouping sees the fixture program's
 * blocked senders and lock waiter. */
#include <setjmp.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/analysis.h"
#include "util/buf.h"

static lh_profile *load(const char *name)
{
    const char *src = getenv("LH_SRC");
    char path[4096], err[512];
    snprintf(path, sizeof path, "%s/tests/testdata/profiles/%s", src ? src : ".", name);
    lh_profile *p = NULL;
    if (lh_profile_load_file(path, NULL, &p, err, sizeof err) != 0)
        fail_msg("%s", err);
    return p;
}

static const lh_top_entry *find(const lh_top_result *r, const char *fn)
{
    for (size_t i = 0; i < r->nentries; i++)
        if (strcmp(r->entries[i].function, fn) == 0)
            return &r->entries[i];
    return NULL;
}

static void top_of(const lh_profile *p, lh_arena *a, lh_stacks *s, lh_top_result *r)
{
    char err[256];
    assert_int_equal(lh_stacks_from_profile(s, p, err, sizeof err), 0);
    int t = lh_stacks_type(s, "inuse_space");
    assert_true(t >= 0);
    assert_int_equal(t, s->default_type);
    lh_top(s, t, LH_BY_FUNCTION, a, r);
}

static void test_heap_formats_agree(void **state)
{
    (void)state;
    lh_profile *pb = load("heap.pb.gz"), *txt = load("heap.debug1.txt");
    lh_arena a;
    lh_arena_init(&a);
    lh_stacks s1, s2;
    lh_top_result r1, r2;
    top_of(pb, &a, &s1, &r1);
    top_of(txt, &a, &s2, &r2);
    /* The fixture program keeps 1280 KiB from allocBig (what pprof shows). */
    assert_string_equal(r1.entries[0].function, "main.allocBig");
    assert_int_equal(r1.entries[0].flat, 1280 * 1024);
    assert_string_equal(r2.entries[0].function, "main.allocBig");
    assert_int_equal(r2.entries[0].flat, r1.entries[0].flat);
    const lh_top_entry *m1 = find(&r1, "main.main"), *m2 = find(&r2, "main.main");
    assert_non_null(m1);
    assert_non_null(m2);
    assert_int_equal(m1->flat, 0);
    assert_true(m1->cum >= r1.entries[0].flat + find(&r1, "main.allocSmall")->flat);
    assert_int_equal(r1.total, r2.total);
    lh_stacks_free(&s1);
    lh_stacks_free(&s2);
    lh_arena_free(&a);
    lh_profile_free(pb);
    lh_profile_free(txt);
}

static void test_diff_self_and_roundtrip(void **state)
{
    (void)state;
    lh_profile *base = load("heap.debug1.txt"), *cur = load("heap.pb.gz");
    char err[256];
    lh_arena a;
    lh_arena_init(&a);

    /* A profile minus itself: nothing left. */
    lh_stacks d;
    assert_int_equal(lh_diff_stacks(cur, cur, &d, err, sizeof err), 0);
    lh_top_result r;
    lh_top(&d, lh_stacks_type(&d, "inuse_space"), LH_BY_LINE, &a, &r);
    assert_int_equal(r.nentries, 0);
    assert_int_equal(r.total, 0);
    lh_stacks_free(&d);

    /* Two formats of one heap differ by little; what the diff says must be
     * what the written diff profile says when read back. */
    assert_int_equal(lh_diff_stacks(base, cur, &d, err, sizeof err), 0);
    lh_top_result want;
    lh_top(&d, lh_stacks_type(&d, "inuse_space"), LH_BY_LINE, &a, &want);

    lh_profile *dp = lh_diff_profile(base, cur);
    lh_buf out = LH_BUF_INIT;
    assert_int_equal(lh_profile_encode(dp, 1, &out, err, sizeof err), 0);
    lh_profile *back = NULL;
    if (lh_profile_parse("delta.pb.gz", (const unsigned char *)out.data, out.len, NULL, &back, err,
                         sizeof err) != 0)
        fail_msg("%s", err);
    lh_stacks s;
    assert_int_equal(lh_stacks_from_profile(&s, back, err, sizeof err), 0);
    lh_top_result got;
    lh_top(&s, lh_stacks_type(&s, "inuse_space"), LH_BY_LINE, &a, &got);
    assert_int_equal(got.nentries, want.nentries);
    assert_int_equal(got.total, want.total);
    assert_int_equal(got.net, want.net);
    for (size_t i = 0; i < got.nentries; i++) {
        assert_string_equal(got.entries[i].function, want.entries[i].function);
        assert_int_equal(got.entries[i].line, want.entries[i].line);
        assert_int_equal(got.entries[i].flat, want.entries[i].flat);
        assert_int_equal(got.entries[i].cum, want.entries[i].cum);
    }
    lh_stacks_free(&s);
    lh_stacks_free(&d);
    lh_profile_free(back);
    lh_profile_free(dp);
    lh_buf_free(&out);
    lh_arena_free(&a);
    lh_profile_free(base);
    lh_profile_free(cur);
}

static const lh_goroutine_group *group(const lh_goroutine_result *r, const char *fn, const char *wait)
{
    for (size_t i = 0; i < r->ngroups; i++)
        if (strcmp(r->groups[i].function, fn) == 0 && strcmp(r->groups[i].wait_reason, wait) == 0)
            return &r->groups[i];
    return NULL;
}

static void test_goroutine_groups(void **state)
{
    (void)state;
    const char *files[] = {"goroutine.debug2.txt", "goroutine.debug1.txt", "goroutine.pb.gz"};
    for (size_t f = 0; f < 3; f++) {
        lh_profile *p = load(files[f]);
        lh_arena a;
        lh_arena_init(&a);
        lh_goroutine_result r;
        char err[256];
        /* Default thresholds: 6 blocked senders are not "many". */
        assert_int_equal(lh_goroutines((const lh_profile *const *)&p, 1, NULL, &a, &r, err, sizeof err), 0);
        assert_int_equal(r.totals[0], 11);
        assert_int_equal(r.nsuspects, 0);
        /* With a lower bar they are, and the lock waiter is reported with
         * the user frame that took the lock. */
        lh_goroutine_opts o = {3, 0, 0, 0};
        assert_int_equal(lh_goroutines((const lh_profile *const *)&p, 1, &o, &a, &r, err, sizeof err), 0);
        /* ?debug=1 prints no runtime frames: the wait reason is unknown. */
        const lh_goroutine_group *send = group(&r, "main.leakSend", f == 1 ? "" : "chan send");
        assert_non_null(send);
        assert_true(send->suspect);
        assert_int_equal(send->line, 31);
        assert_ptr_equal(send, &r.groups[0]);
        const lh_goroutine_group *sel = group(&r, "main.leakSelect", f == 1 ? "" : "select");
        assert_non_null(sel);
        assert_int_equal(sel->count, 3);
        assert_true(sel->suspect);
        const lh_goroutine_group *lock = group(&r, "sync.(*Mutex).lockSlow", f == 0 ? "semacquire" : "sync.Mutex.Lock");
        assert_non_null(lock);
        assert_string_equal(lock->user_function, "main.leakLock");
        assert_false(lock->suspect); /* one goroutine, not long */
        if (f == 0) {
            assert_string_equal(send->created_function, "main.main");
            assert_int_equal(send->created_line, 59);
        }
        /* The goroutine writing the dump is main's, never a suspect. */
        for (size_t i = 0; i < r.ngroups; i++)
            if (strstr(r.groups[i].function, "runtime/pprof."))
                assert_int_equal(r.groups[i].category, LH_GCAT_MAIN);
        lh_arena_free(&a);
        lh_profile_free(p);
    }
}

static void test_goroutineleak_and_errors(void **state)
{
    (void)state;
    /* Recorded goroutineleak dumps (tests/goleaks/goroutineleak): the six
     * leaking patterns are the suspects, exactly; the dump's other
     * goroutines are not leaked, and the pool of 12 idle workers, which
     * the "many blocked in user code" rule would call suspect in a plain
     * dump, is cleared by the runtime's verdict. */
    static const char *const dumps[] = {"go1.26/goroutineleak.debug2.txt",
                                        "go1.27/goroutineleak.debug2.txt"};
    lh_arena a;
    lh_arena_init(&a);
    lh_goroutine_result r;
    char err[256];
    for (size_t d = 0; d < 2; d++) {
        lh_profile *p = load(dumps[d]);
        assert_int_equal(lh_goroutines((const lh_profile *const *)&p, 1, NULL, &a, &r, err, sizeof err), 0);
        assert_int_equal(r.nsuspects, 6);
        int64_t leaked = 0;
        for (size_t i = 0; i < r.ngroups; i++) {
            const lh_goroutine_group *g = &r.groups[i];
            assert_int_equal(g->suspect, g->leaked);
            if (g->leaked) {
                leaked += g->count;
                assert_int_equal(g->category, LH_GCAT_USER);
                assert_non_null(strstr(g->created_function, "main.start"));
            }
            if (strcmp(g->function, "main.worker") == 0) {
                assert_int_equal(g->count, 12);
                assert_false(g->suspect);
                assert_non_null(strstr(g->why, "leak detector found them reachable"));
            }
        }
        assert_int_equal(leaked, 21);
        lh_profile_free(p);
    }

    /* A heap profile is not a goroutine profile, and vice versa. */
    lh_profile *h = load("heap.pb.gz");
    assert_int_equal(lh_goroutines((const lh_profile *const *)&h, 1, NULL, &a, &r, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a goroutine profile"));
    lh_profile *g = load("goroutine.pb.gz");
    lh_stacks s[3];
    const lh_stacks *sp[3];
    const char *names[3] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(lh_stacks_from_profile(&s[i], g, err, sizeof err), 0);
        s[i].time_nanos = i + 1;
        sp[i] = &s[i];
    }
    lh_trend_result tr;
    assert_int_equal(lh_trend(sp, names, 3, NULL, &a, &tr, err, sizeof err), -1);
    assert_non_null(strstr(err, "a: not a heap profile"));
    for (int i = 0; i < 3; i++)
        lh_stacks_free(&s[i]);
    lh_profile_free(g);
    lh_profile_free(h);
    lh_arena_free(&a);
}

/* A profile's drop_frames hides matching leaf frames as pprof does, so the
 * allocating caller gets the flat value. */
static void test_drop_frames(void **state)
{
    (void)state;
    lh_profile *p = lh_profile_new();
    lh_arena *a = &p->arena;
    lh_profile_value_type *vt = LH_NEW(a, lh_profile_value_type);
    vt->type = "inuse_space";
    vt->unit = "bytes";
    p->sample_types = vt;
    p->nsample_types = 1;
    lh_profile_function *fn = LH_NEWN(a, lh_profile_function, 2);
    fn[0] = (lh_profile_function){1, "main.wrapAlloc", "main.wrapAlloc", "m.go", 1};
    fn[1] = (lh_profile_function){2, "main.user", "main.user", "m.go", 9};
    lh_profile_line *ln = LH_NEWN(a, lh_profile_line, 2);
    ln[0] = (lh_profile_line){&fn[0], 2, 0};
    ln[1] = (lh_profile_line){&fn[1], 10, 0};
    lh_profile_location *loc = LH_NEWN(a, lh_profile_location, 2);
    loc[0] = (lh_profile_location){1, NULL, 0x10, &ln[0], 1, 0};
    loc[1] = (lh_profile_location){2, NULL, 0x20, &ln[1], 1, 0};
    p->locations = loc;
    p->nlocations = 2;
    const lh_profile_location **stk = LH_NEWN(a, const lh_profile_location *, 2);
    stk[0] = &loc[0];
    stk[1] = &loc[1];
    int64_t *v = LH_NEW(a, int64_t);
    *v = 4096;
    lh_profile_sample *smp = LH_NEW(a, lh_profile_sample);
    smp->locs = stk;
    smp->nlocs = 2;
    smp->values = v;
    p->samples = smp;
    p->nsamples = 1;
    p->name = "built";

    char err[256];
    lh_arena ar;
    lh_arena_init(&ar);
    lh_top_result r;
    lh_stacks s;
    assert_int_equal(lh_stacks_from_profile(&s, p, err, sizeof err), 0);
    lh_top(&s, 0, LH_BY_FUNCTION, &ar, &r);
    assert_string_equal(r.entries[0].function, "main.wrapAlloc");
    lh_stacks_free(&s);

    p->drop_frames = "main\\.wrap.*";
    assert_int_equal(lh_stacks_from_profile(&s, p, err, sizeof err), 0);
    lh_top(&s, 0, LH_BY_FUNCTION, &ar, &r);
    assert_string_equal(r.entries[0].function, "main.user");
    assert_int_equal(r.entries[0].flat, 4096);
    assert_null(find(&r, "main.wrapAlloc"));
    lh_stacks_free(&s);
    lh_arena_free(&ar);
    lh_profile_free(p);
}

/* A goroutine profile (counts per stack, like ?debug=1) with one stack:
 * main.worker blocked in a channel receive. */
static lh_profile *count_dump(int64_t count, int64_t time)
{
    lh_profile *p = lh_profile_new();
    lh_arena *a = &p->arena;
    p->kind = LH_PROFILE_GOROUTINE;
    p->name = "dump";
    p->time_nanos = time;
    lh_profile_value_type *vt = LH_NEW(a, lh_profile_value_type);
    *vt = (lh_profile_value_type){"goroutine", "count"};
    p->sample_types = vt;
    p->nsample_types = 1;
    lh_profile_function *fn = LH_NEWN(a, lh_profile_function, 3);
    fn[0] = (lh_profile_function){1, "runtime.chanrecv1", "runtime.chanrecv1", "chan.go", 1};
    fn[1] = (lh_profile_function){2, "main.worker", "main.worker", "w.go", 5};
    fn[2] = (lh_profile_function){3, "main.main", "main.main", "w.go", 1};
    lh_profile_line *ln = LH_NEWN(a, lh_profile_line, 3);
    lh_profile_location *loc = LH_NEWN(a, lh_profile_location, 3);
    const lh_profile_location **stk = LH_NEWN(a, const lh_profile_location *, 3);
    for (int i = 0; i < 3; i++) {
        ln[i] = (lh_profile_line){&fn[i], 10 + i, 0};
        loc[i] = (lh_profile_location){(uint64_t)i + 1, NULL, 0, &ln[i], 1, 0};
        stk[i] = &loc[i];
    }
    p->locations = loc;
    p->nlocations = 3;
    int64_t *v = LH_NEW(a, int64_t);
    *v = count;
    lh_profile_sample *smp = LH_NEW(a, lh_profile_sample);
    *smp = (lh_profile_sample){stk, 2, v, NULL, 0, NULL};
    p->samples = smp;
    p->nsamples = 1;
    return p;
}

static int climbing_suspect(const int64_t *counts, size_t n)
{
    lh_profile *d[8];
    for (size_t i = 0; i < n; i++)
        d[i] = count_dump(counts[i], (int64_t)(n - i)); /* given newest first */
    lh_arena a;
    lh_arena_init(&a);
    lh_goroutine_result r;
    char err[256];
    lh_goroutine_opts o = {1000, 0, 0, 0}; /* "many" out of reach: climbing only */
    assert_int_equal(lh_goroutines((const lh_profile *const *)d, n, &o, &a, &r, err, sizeof err), 0);
    assert_int_equal(r.ngroups, 1);
    assert_string_equal(r.groups[0].function, "main.worker");
    assert_string_equal(r.groups[0].wait_reason, "chan receive");
    assert_int_equal(r.groups[0].counts[0], counts[n - 1]); /* oldest first */
    int suspect = r.groups[0].suspect;
    lh_arena_free(&a);
    for (size_t i = 0; i < n; i++)
        lh_profile_free(d[i]);
    return suspect;
}

static void test_goroutines_climbing(void **state)
{
    (void)state;
    /* Counts are listed newest first, as climbing_suspect passes them. */
    const int64_t climb[] = {40, 30, 20, 10};
    assert_true(climbing_suspect(climb, 4));
    const int64_t filled[] = {8, 8, 8, 0};      /* a pool filled at start-up */
    assert_false(climbing_suspect(filled, 4));
    const int64_t dip[] = {40, 10, 30, 20};     /* went down once */
    assert_false(climbing_suspect(dip, 4));
    const int64_t small[] = {12, 11, 10};       /* below --min-climb */
    assert_false(climbing_suspect(small, 3));
    const int64_t two[] = {13, 10};
    assert_true(climbing_suspect(two, 2));
}

/* The "waited long" suspect rule across its threshold: a few goroutines
 * (fewer than --min-count) blocked in user code, their longest wait the
 * decision. The group's wait is its longest, not its first goroutine's;
 * waits outside channels, selects and locks never count. */
static int waited_suspect(const char *reason, const int *minutes, size_t n, int64_t min_wait,
                          int64_t *max_wait)
{
    lh_buf b = LH_BUF_INIT;
    lh_buf_printf(&b, "goroutine 1 [running]:\nmain.main()\n\t/app/main.go:10 +0x1d\n\n");
    for (size_t i = 0; i < n; i++) {
        lh_buf_printf(&b, "goroutine %zu [%s", 7 + i, reason);
        if (minutes[i] >= 0)
            lh_buf_printf(&b, ", %d minutes", minutes[i]);
        lh_buf_printf(&b, "]:\nmain.worker(0xc000010000)\n\t/app/main.go:20 +0x2a\n"
                          "created by main.main in goroutine 1\n\t/app/main.go:12 +0x3b\n\n");
    }
    lh_profile *p = NULL;
    char err[256];
    if (lh_profile_parse("dump", (const unsigned char *)b.data, b.len, NULL, &p, err, sizeof err))
        fail_msg("%s", err);
    lh_arena a;
    lh_arena_init(&a);
    lh_goroutine_result r;
    lh_goroutine_opts o = {0, min_wait, 0, 0};
    assert_int_equal(lh_goroutines((const lh_profile *const *)&p, 1, &o, &a, &r, err, sizeof err), 0);
    const lh_goroutine_group *g = group(&r, "main.worker", reason);
    assert_non_null(g);
    assert_int_equal(g->count, (int64_t)n);
    *max_wait = g->max_wait_minutes;
    int suspect = g->suspect;
    lh_arena_free(&a);
    lh_profile_free(p);
    lh_buf_free(&b);
    return suspect;
}

static void test_goroutines_waited_long(void **state)
{
    (void)state;
    static const struct {
        const char *reason;
        int minutes[3];
        size_t n;
        int64_t min_wait;       /* 0: the default, 10 */
        int64_t max_wait;
        int suspect;
    } rows[] = {
        {"chan receive", {9}, 1, 0, 9, 0},
        {"chan receive", {10}, 1, 0, 10, 1},
        {"chan receive", {-1}, 1, 0, 0, 0},          /* no minutes printed: under one */
        {"chan send", {1, 12, 3}, 3, 0, 12, 1},      /* the longest, not the first */
        {"chan send", {12, 1, 3}, 3, 0, 12, 1},
        {"select", {4, 5, 5}, 3, 5, 5, 1},           /* --min-wait 5 */
        {"select", {4, 4, 4}, 3, 5, 4, 0},
        {"sync.Mutex.Lock", {60}, 1, 0, 60, 1},
        {"semacquire", {11}, 1, 0, 11, 1},
        {"IO wait", {600}, 1, 0, 600, 0},            /* not a leak's wait */
        {"sleep", {600}, 1, 0, 600, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t mw = -1;
        int got = waited_suspect(rows[i].reason, rows[i].minutes, rows[i].n, rows[i].min_wait, &mw);
        if (got != rows[i].suspect || mw != rows[i].max_wait)
            fail_msg("row %zu (%s): suspect %d, max wait %" PRId64 "; want %d, %" PRId64, i,
                     rows[i].reason, got, mw, rows[i].suspect, rows[i].max_wait);
    }
}

/* Many goroutines blocked, but in a std function that is not sync, context
 * or time (a client's round trip): blocked outside user code, no suspect
 * however many; the same count parked right in user code is one. */
static int many_suspect(int in_user)
{
    lh_buf b = LH_BUF_INIT;
    for (int i = 0; i < 12; i++) {
        lh_buf_printf(&b, "goroutine %d [select]:\n", 20 + i);
        if (!in_user)
            lh_buf_printf(&b, "net/http.(*persistConn).roundTrip(0xc000100000)\n"
                              "\t/go/src/net/http/transport.go:2600 +0x4a\n");
        lh_buf_printf(&b, "main.fetch()\n\t/app/main.go:30 +0x2a\n"
                          "created by main.main in goroutine 1\n\t/app/main.go:12 +0x3b\n\n");
    }
    lh_profile *p = NULL;
    char err[256];
    if (lh_profile_parse("dump", (const unsigned char *)b.data, b.len, NULL, &p, err, sizeof err))
        fail_msg("%s", err);
    lh_arena a;
    lh_arena_init(&a);
    lh_goroutine_result r;
    assert_int_equal(lh_goroutines((const lh_profile *const *)&p, 1, NULL, &a, &r, err, sizeof err), 0);
    assert_int_equal(r.ngroups, 1);
    assert_int_equal(r.groups[0].count, 12);
    int suspect = r.groups[0].suspect;
    lh_arena_free(&a);
    lh_profile_free(p);
    lh_buf_free(&b);
    return suspect;
}

static void test_goroutines_many_where(void **state)
{
    (void)state;
    assert_false(many_suspect(0));
    assert_true(many_suspect(1));
}

/* ---- one process's goroutines in each dump format ------------------------- */

/* Three kinds of goroutine idle in internal/poll at the same line: main's
 * accept loop, a server connection waiting for its next request, and a
 * client transport's readLoop on an idle keep-alive connection. Each dump
 * format shows them differently - debug=2 hides the runtime's frames and
 * says who created each goroutine; debug=1 shows runtime.main at the root
 * and nothing of the runtime at the top; the proto keeps every frame, goexit
 * included - but all three carry the frames that tell them apart. */
typedef struct gframe {
    const char *fn, *file;
    int line;
} gframe;

typedef struct gkind {
    int64_t id, count;
    const gframe *stack;        /* leaf first, as debug=2 prints it */
    const char *creator;        /* "" for main */
    int creator_line;
} gkind;

/* The two frames every stack below starts with; a macro, since an element
 * of a const array is no constant expression for a static initializer (gcc
 * folds it, clang refuses). */
#define POLLWAIT_FRAMES \
    {"internal/poll.runtime_pollWait", "/go/src/runtime/netpoll.go", 351}, \
    {"internal/poll.(*pollDesc).wait", "/go/src/internal/poll/fd_poll_runtime.go", 84}
static const gframe accept_stack[] = {
    POLLWAIT_FRAMES,
    {"internal/poll.(*FD).Accept", "/go/src/internal/poll/fd_unix.go", 620},
    {"net.(*TCPListener).Accept", "/go/src/net/tcpsock.go", 380},
    {"net/http.(*Server).Serve", "/go/src/net/http/server.go", 3424},
    {"net/http.ListenAndServe", "/go/src/net/http/server.go", 3700},
    {"main.main", "/app/main.go", 20},
    {NULL, NULL, 0},
};
static const gframe serve_stack[] = {
    POLLWAIT_FRAMES,
    {"internal/poll.(*FD).Read", "/go/src/internal/poll/fd_unix.go", 165},
    {"net.(*conn).Read", "/go/src/net/net.go", 194},
    {"net/http.(*connReader).Read", "/go/src/net/http/server.go", 798},
    {"bufio.(*Reader).fill", "/go/src/bufio/bufio.go", 113},
    {"net/http.(*conn).serve", "/go/src/net/http/server.go", 2102},
    {NULL, NULL, 0},
};
static const gframe readloop_stack[] = {
    POLLWAIT_FRAMES,
    {"internal/poll.(*FD).Read", "/go/src/internal/poll/fd_unix.go", 165},
    {"net.(*conn).Read", "/go/src/net/net.go", 194},
    {"net/http.(*persistConn).Read", "/go/src/net/http/transport.go", 2122},
    {"bufio.(*Reader).fill", "/go/src/bufio/bufio.go", 113},
    {"bufio.(*Reader).Peek", "/go/src/bufio/bufio.go", 152},
    {"net/http.(*persistConn).readLoop", "/go/src/net/http/transport.go", 2275},
    {NULL, NULL, 0},
};
/* The client's goroutines first: grouped by blocking site alone, the
 * others would land in their group. */
static const gkind kinds[] = {
    {7, 12, readloop_stack, "net/http.(*Transport).dialConn", 1944},
    {1, 1, accept_stack, "", 0},
    {30, 4, serve_stack, "net/http.(*Server).Serve", 3454},
};

enum { DUMP_DEBUG2, DUMP_DEBUG1, DUMP_PROTO };

static void frame_line(lh_buf *b, const gframe *f, uint64_t *pc)
{
    lh_buf_printf(b, "#\t0x%llx\t%s+0x1\t%s:%d\n", (unsigned long long)(*pc)++, f->fn, f->file, f->line);
}

static lh_profile *kinds_dump(int form)
{
    lh_buf b = LH_BUF_INIT;
    uint64_t pc = 0x1000;
    int64_t total = 0;
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        total += kinds[k].count;
    if (form != DUMP_DEBUG2)
        lh_buf_printf(&b, "goroutine profile: total %lld\n", (long long)total);
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        const gkind *g = &kinds[k];
        int is_main = !g->creator[0];
        if (form == DUMP_DEBUG2) {
            for (int64_t i = 0; i < g->count; i++) {
                lh_buf_printf(&b, "goroutine %lld [IO wait]:\n", (long long)(g->id + i));
                for (const gframe *f = g->stack; f->fn; f++)
                    lh_buf_printf(&b, "%s(...)\n\t%s:%d +0x1\n", f->fn, f->file, f->line);
                if (!is_main)
                    lh_buf_printf(&b, "created by %s in goroutine 1\n\t%s:%d +0x2\n", g->creator,
                                  "/go/src/net/http/x.go", g->creator_line);
                lh_buf_puts(&b, "\n");
            }
            continue;
        }
        lh_buf_printf(&b, "%lld @ 0x1\n", (long long)g->count);
        static const gframe park[] = {{"runtime.gopark", "/go/src/runtime/proc.go", 435},
                                      {"runtime.netpollblock", "/go/src/runtime/netpoll.go", 575}};
        static const gframe rmain = {"runtime.main", "/go/src/runtime/proc.go", 283};
        static const gframe goexit = {"runtime.goexit", "/go/src/runtime/asm_amd64.s", 1700};
        if (form == DUMP_PROTO)
            for (size_t i = 0; i < 2; i++)
                frame_line(&b, &park[i], &pc);
        for (const gframe *f = g->stack; f->fn; f++)
            frame_line(&b, f, &pc);
        if (is_main)
            frame_line(&b, &rmain, &pc);
        if (form == DUMP_PROTO)
            frame_line(&b, &goexit, &pc);
        lh_buf_puts(&b, "\n");
    }
    char err[256];
    lh_profile *p = NULL;
    if (lh_profile_parse("kinds", (const unsigned char *)b.data, b.len, NULL, &p, err, sizeof err) != 0)
        fail_msg("%s", err);
    lh_buf_free(&b);
    if (form == DUMP_PROTO) {
        /* The same stacks through the encoder: a proto profile with every
         * frame, as /debug/pprof/goroutine serves it. */
        lh_buf pb = LH_BUF_INIT;
        assert_int_equal(lh_profile_encode(p, 1, &pb, err, sizeof err), 0);
        lh_profile_free(p);
        if (lh_profile_parse("kinds.pb.gz", (const unsigned char *)pb.data, pb.len, NULL, &p, err,
                             sizeof err) != 0)
            fail_msg("%s", err);
        assert_int_equal(p->format, LH_FORMAT_PROTO);
        lh_buf_free(&pb);
    }
    return p;
}

static void test_goroutine_formats_group_alike(void **state)
{
    (void)state;
    char want[3][512];
    for (int form = DUMP_DEBUG2; form <= DUMP_PROTO; form++) {
        lh_profile *p = kinds_dump(form);
        lh_arena a;
        lh_arena_init(&a);
        lh_goroutine_result r;
        char err[256];
        lh_goroutine_opts o = {3, 0, 0, 0};
        assert_int_equal(lh_goroutines((const lh_profile *const *)&p, 1, &o, &a, &r, err, sizeof err), 0);
        assert_int_equal(r.ngroups, 3);
        lh_buf got = LH_BUF_INIT;
        for (size_t i = 0; i < r.ngroups; i++) {
            const lh_goroutine_group *g = &r.groups[i];
            lh_buf_printf(&got, "%lld %s %s:%lld %s %s %d|", (long long)g->count,
                          lh_goroutine_category_name(g->category), g->function, (long long)g->line,
                          g->start_function, g->wait_reason, g->suspect);
        }
        snprintf(want[form], sizeof want[form], "%s", got.data);
        lh_buf_free(&got);
        lh_arena_free(&a);
        lh_profile_free(p);
    }
    /* The same groups, names and verdicts in every format: the readLoops
     * are the client's (user category, blocked outside user code: not a
     * suspect), the accept loop main's, the connections the server's. */
    assert_string_equal(want[DUMP_DEBUG2],
                        "12 user internal/poll.(*pollDesc).wait:84 net/http.(*persistConn).readLoop IO wait 0|"
                        "4 http-server internal/poll.(*pollDesc).wait:84 net/http.(*conn).serve IO wait 0|"
                        "1 main internal/poll.(*pollDesc).wait:84 main.main IO wait 0|");
    assert_string_equal(want[DUMP_DEBUG1], want[DUMP_DEBUG2]);
    assert_string_equal(want[DUMP_PROTO], want[DUMP_DEBUG2]);
}

static void test_std_and_runtime_names(void **state)
{
    (void)state;
    assert_true(lh_is_std_function("net/http.(*conn).serve"));
    assert_true(lh_is_std_function("sync.(*WaitGroup).Wait"));
    assert_true(lh_is_std_function("internal/poll.(*FD).Read"));
    assert_false(lh_is_std_function("main.worker"));
    assert_false(lh_is_std_function("github.com/x/y.(*T).run"));
    assert_false(lh_is_std_function("leakhound.test/goleaks.f"));
    assert_false(lh_is_std_function("syncx.f"));
    assert_true(lh_is_runtime_function("runtime.gopark"));
    assert_true(lh_is_runtime_function("sync.runtime_SemacquireMutex"));
    assert_true(lh_is_runtime_function("internal/poll.runtime_pollWait"));
    assert_false(lh_is_runtime_function("main.runtime_thing"));
    assert_false(lh_is_runtime_function("example.com/x.runtime_thing"));
    assert_false(lh_is_runtime_function("sync.(*Mutex).Lock"));
    assert_false(lh_is_runtime_function("runtimex.f"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heap_formats_agree),
        cmocka_unit_test(test_diff_self_and_roundtrip),
        cmocka_unit_test(test_goroutine_groups),
        cmocka_unit_test(test_goroutineleak_and_errors),
        cmocka_unit_test(test_drop_frames),
        cmocka_unit_test(test_goroutines_climbing),
        cmocka_unit_test(test_goroutines_waited_long),
        cmocka_unit_test(test_goroutines_many_where),
        cmocka_unit_test(test_goroutine_formats_group_alike),
        cmocka_unit_test(test_std_and_runtime_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
