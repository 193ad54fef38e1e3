/* watch --pid / --exec: the /proc/PID/status reader, the analysis on exact
 * series (a steady climb, a warm-up, seed 000's sawtooth, a crash loop that
 * does not climb), and real processes: this binary re-run as a child that
 * grows, one that holds steady, and one that grows until it kills itself
 * the way the OOM killer would, under lh_proc_watch. Verdicts are checked,
 * never timings: the children pace their growth by the clock, and the
 * thresholds leave room for a loaded machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "watch/proc.h"

static const char status_text[] = "Name:\tsvc\nUmask:\t0022\nState:\tS (sleeping)\n"
                                  "VmPeak:\t  812344 kB\nVmRSS:\t   10240 kB\nRssAnon:\t 4096 kB\n"
                                  "Threads:\t7\nSigQ:\t0/95566\n";

static void test_parse_status(void **state)
{
    (void)state;
    double rss = 0, thr = 0;
    assert_int_equal(lh_proc_parse_status(status_text, &rss, &thr), 0);
    assert_true(rss == 10240.0 * 1024);
    assert_true(thr == 7);
    /* A zombie's status has no VmRSS. */
    assert_int_equal(lh_proc_parse_status("Name:\tz\nState:\tZ (zombie)\nThreads:\t1\n", &rss, &thr), -1);
    assert_int_equal(lh_proc_parse_status("VmRSS:\t12 MB\nThreads:\t1\n", &rss, &thr), -1);
    assert_int_equal(lh_proc_parse_status("", &rss, &thr), -1);
    /* "VmRSSx:" is another key. */
    assert_int_equal(lh_proc_parse_status("VmRSSx:\t1 kB\nThreads:\t1\n", &rss, &thr), -1);
}

#define MB (1024.0 * 1024.0)

typedef struct series {
    lh_proc_sample s[256];
    size_t n;
    lh_proc_death d[16];
    size_t nd;
} series;

static void add(series *x, double t, double rss_mb, int life)
{
    x->s[x->n++] = (lh_proc_sample){t, rss_mb * MB, 8, life};
}

static const lh_watch_report *analyse(const series *x, int supervised, lh_arena *a)
{
    lh_proc_history h = {.target = "svc", .duration_s = x->n ? x->s[x->n - 1].t_s : 0,
                         .supervised = supervised, .samples = x->s, .nsamples = x->n,
                         .deaths = x->d, .ndeaths = x->nd};
    return lh_proc_analyse(&h, a);
}

static void test_analyse_growing(void **state)
{
    (void)state;
    series x = {0};
    for (int i = 0; i < 20; i++)
        add(&x, i * 0.3, 10 + i * 0.8 + (i % 3) * 0.1, 0);
    lh_arena a;
    lh_arena_init(&a);
    const lh_watch_report *r = analyse(&x, 0, &a);
    assert_int_equal(r->nsuspects, 1);
    assert_int_equal(r->suspects[0].kind, LH_SUSPECT_RSS);
    assert_string_equal(r->suspects[0].unit, "bytes");
    /* 0.8 MB per 0.3 s is 9600 MB/h. */
    assert_true(fabs(r->suspects[0].growth_per_hour / MB - 9600) < 200);
    assert_true(r->suspects[0].confidence > 0.8);
    assert_non_null(strstr(r->verdict, "grows steadily"));
    assert_int_equal(r->nsnapshots, 20);
    assert_int_equal(r->nrestarts, 0);
    assert_true(isnan(r->heap_inuse_bytes[0]));
    lh_arena_free(&a);
}

static void test_analyse_warmup(void **state)
{
    (void)state;
    series x = {0};
    /* Fills to 60 MB in two seconds, then wobbles by a few hundred kB. */
    for (int i = 0; i < 20; i++)
        add(&x, i * 0.3, i < 7 ? 10 + i * 7 : 59.5 + (i % 2) * 0.4, 0);
    lh_arena a;
    lh_arena_init(&a);
    const lh_watch_report *r = analyse(&x, 0, &a);
    assert_int_equal(r->nsuspects, 0);
    assert_non_null(strstr(r->verdict, "no steady growth"));
    assert_non_null(strstr(r->verdict, "settled"));
    lh_arena_free(&a);
}

/* Seed 000: climbs to ~48 MB, killed, climbs again; three lives. */
static void test_analyse_sawtooth(void **state)
{
    (void)state;
    series x = {0};
    double t = 0;
    for (int life = 0; life < 3; life++) {
        for (int i = 0; i < 8; i++, t += 0.3)
            add(&x, t, 8 + i * 5.7, life);
        if (life < 2)
            x.d[x.nd++] = (lh_proc_death){.life = life, .t_s = t, .signal = SIGKILL};
    }
    lh_arena a;
    lh_arena_init(&a);
    const lh_watch_report *r = analyse(&x, 1, &a);
    assert_int_equal(r->nrestarts, 2);
    assert_int_equal(r->restart_at[0], 8);
    assert_int_equal(r->restart_at[1], 16);
    assert_int_equal(r->nsuspects, 1);
    assert_int_equal(r->suspects[0].kind, LH_SUSPECT_RSS);
    assert_non_null(strstr(r->suspects[0].summary, "sawtooth"));
    assert_non_null(strstr(r->suspects[0].summary, "SIGKILL"));
    assert_non_null(strstr(r->verdict, "sawtooth"));
    /* The drops are restarts, not memory given back: the rate is a life's. */
    assert_true(fabs(r->suspects[0].growth_per_hour / MB - 5.7 / 0.3 * 3600) < 500);
    lh_arena_free(&a);

    /* The same with the process exiting on its own (a limit in the code). */
    for (size_t i = 0; i < x.nd; i++)
        x.d[i] = (lh_proc_death){.life = x.d[i].life, .t_s = x.d[i].t_s, .status = 2};
    lh_arena_init(&a);
    r = analyse(&x, 1, &a);
    assert_int_equal(r->nsuspects, 1);
    assert_non_null(strstr(r->suspects[0].summary, "sawtooth"));
    assert_non_null(strstr(r->suspects[0].summary, "exited with status 2"));
    lh_arena_free(&a);
}

/* A crash loop at a flat 12 MB is no sawtooth, and no leak. */
static void test_analyse_crashloop(void **state)
{
    (void)state;
    series x = {0};
    double t = 0;
    for (int life = 0; life < 4; life++) {
        for (int i = 0; i < 4; i++, t += 0.3)
            add(&x, t, 12 + (i % 2) * 0.2, life);
        x.d[x.nd++] = (lh_proc_death){.life = life, .t_s = t, .status = 1};
    }
    lh_arena a;
    lh_arena_init(&a);
    const lh_watch_report *r = analyse(&x, 1, &a);
    assert_int_equal(r->nsuspects, 0);
    assert_null(strstr(r->verdict, "sawtooth"));
    assert_non_null(strstr(r->verdict, "died 4 times"));
    lh_arena_free(&a);
}

/* ---- real processes ------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

/* The children: this binary with "child MODE". Growth is paced by the clock
 * (16 MB/s in 256 kB steps), so a delayed child catches up and its memory
 * stays proportional to time. Each touches every page so it is resident. */
static int child(const char *mode)
{
    const size_t step = 256 << 10;
    double limit = strcmp(mode, "sawtooth") == 0 ? 40 * MB : 400 * MB;
    if (strcmp(mode, "steady") == 0) {
        char *p = malloc(24 << 20);
        if (!p)
            return 1;
        memset(p, 1, 24 << 20);
        for (double end = now_s() + 60; now_s() < end;)
            nap(0.05);
        free(p);
        return 0;
    }
    double start = now_s(), held = 0;
    while (now_s() - start < 60) {
        while (held < 16 * MB * (now_s() - start)) {
            char *p = malloc(step);
            if (!p)
                return 1;
            memset(p, 1, step);
            held += (double)step;
            if (held >= limit)
                raise(SIGKILL);     /* what the OOM killer would do */
        }
        nap(0.02);
    }
    return 0;
}

static const lh_watch_report *watch_child(const char *mode, double seconds, lh_arena *a,
                                          lh_proc_watch **wp)
{
    char *argv[] = {"/proc/self/exe", "child", (char *)mode, NULL};
    char err[256];
    lh_proc_config cfg = {.argv = argv};
    lh_proc_watch *w = lh_proc_watch_new(&cfg, err, sizeof err);
    if (!w)
        fail_msg("lh_proc_watch_new: %s", err);
    for (double end = now_s() + seconds; now_s() < end;) {
        assert_int_equal(lh_proc_watch_poll(w), 1);
        nap(0.1);
    }
    *wp = w;
    const lh_watch_report *r = lh_proc_watch_report(w, a);
    print_message("%s: %s\n", mode, r->verdict);
    return r;
}

static void test_exec_grows(void **state)
{
    (void)state;
    lh_arena a;
    lh_arena_init(&a);
    lh_proc_watch *w;
    const lh_watch_report *r = watch_child("grow", 3, &a, &w);
    lh_proc_watch_free(w);
    assert_true(r->nsnapshots >= 6);
    assert_int_equal(r->nrestarts, 0);
    assert_true(r->nsuspects >= 1);
    assert_int_equal(r->suspects[0].kind, LH_SUSPECT_RSS);
    assert_string_equal(r->suspects[0].unit, "bytes");
    assert_null(strstr(r->suspects[0].summary, "sawtooth"));
    assert_true(r->suspects[0].growth_per_hour > 0);
    lh_arena_free(&a);
}

static void test_exec_steady(void **state)
{
    (void)state;
    lh_arena a;
    lh_arena_init(&a);
    lh_proc_watch *w;
    const lh_watch_report *r = watch_child("steady", 3, &a, &w);
    lh_proc_watch_free(w);
    assert_true(r->nsnapshots >= 6);
    if (r->nsuspects)
        fail_msg("steady child named a suspect: %s", r->suspects[0].summary);
    assert_int_equal(r->nrestarts, 0);
    lh_arena_free(&a);
}

static void test_exec_sawtooth(void **state)
{
    (void)state;
    lh_arena a;
    lh_arena_init(&a);
    lh_proc_watch *w;
    /* 40 MB at 16 MB/s: a death every 2.5 s or so. */
    const lh_watch_report *r = watch_child("sawtooth", 7, &a, &w);
    lh_proc_watch_free(w);
    assert_true(r->nrestarts >= 1);
    assert_true(r->nnotes >= 2);
    assert_non_null(strstr(r->notes[0].text, "SIGKILL"));
    assert_true(r->nsuspects >= 1);
    if (!strstr(r->suspects[0].summary, "sawtooth"))
        fail_msg("no sawtooth: %s", r->verdict);
    lh_arena_free(&a);
}

static void test_pid(void **state)
{
    (void)state;
    char err[256];
    lh_proc_config none = {.pid = 0x3ffffff};
    assert_null(lh_proc_watch_new(&none, err, sizeof err));
    assert_non_null(strstr(err, "no such process"));
    char *bad[] = {"/nonexistent/leakhound-test-cmd", NULL};
    lh_proc_config cmd = {.argv = bad};
    assert_null(lh_proc_watch_new(&cmd, err, sizeof err));
    assert_non_null(strstr(err, "cannot run"));

    /* --pid on a process that ends: the watch says so and stops. */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        nap(0.6);
        _exit(0);
    }
    lh_proc_config cfg = {.pid = pid};
    lh_proc_watch *w = lh_proc_watch_new(&cfg, err, sizeof err);
    assert_non_null(w);
    int polls = 0, more = 1;
    for (double end = now_s() + 30; more && now_s() < end; polls++) {
        more = lh_proc_watch_poll(w);
        nap(0.05);
        /* The child is ours: reap it so its /proc entry goes away. */
        waitpid(pid, NULL, WNOHANG);
    }
    assert_int_equal(more, 0);
    lh_arena a;
    lh_arena_init(&a);
    const lh_watch_report *r = lh_proc_watch_report(w, &a);
    assert_true(r->nsnapshots >= 1);
    assert_true(r->nnotes >= 1);
    assert_non_null(strstr(r->notes[r->nnotes - 1].text, "exited"));
    lh_proc_watch_free(w);
    lh_arena_free(&a);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "child") == 0)
        return child(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_status),    cmocka_unit_test(test_analyse_growing),
        cmocka_unit_test(test_analyse_warmup),  cmocka_unit_test(test_analyse_sawtooth),
        cmocka_unit_test(test_analyse_crashloop), cmocka_unit_test(test_pid),
        cmocka_unit_test(test_exec_grows),      cmocka_unit_test(test_exec_steady),
        cmocka_unit_test(test_exec_sawtooth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
