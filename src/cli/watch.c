/* leakhound watch: follow a running service's pprof endpoints, then report
 * what leaks. The session (src/watch) fetches and judges; this file only
 * parses options, keeps the clock, shows progress on stderr and writes the
 * report. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/flags.h"
#include "cli/profargs.h"
#include "cli/watch_proc.h"
#include "report/findings.h"
#include "report/profile_report.h"
#include "util/buf.h"
#include "watch/session.h"
#include "watch/watch.h"

static const char watch_usage[] =
    "usage: leakhound watch URL [options]\n"
    "       leakhound watch --load DIR [options]\n"
    "       leakhound watch --listen ADDR --targets FILE [options]\n"
    "       leakhound watch --pid PID [options]\n"
    "       leakhound watch [options] --exec -- CMD [ARGS...]\n\n"
    "Follows a running Go service through its net/http/pprof endpoints and names\n"
    "what leaks. URL is the pprof base (http://127.0.0.1:6060/debug/pprof/;\n"
    "host:port alone works too). Every interval it fetches the heap profile\n"
    "(gc=1), the goroutines (debug=2; the proto form past 20000 goroutines),\n"
    "goroutineleak when the service serves it, and /debug/vars memstats when\n"
    "present. It runs for --for or --count snapshots, or until Ctrl-C, then\n"
    "reports: Ctrl-C always gives the report. A heap site, goroutine group or net/http connection\n"
    "count that keeps climbing is a suspect, named at its first frame of user\n"
    "code; one that grows and then settles (a warm-up, a filled cache) is not.\n"
    "An unclosed response body is a connection suspect named at the function\n"
    "that made the request. A restart (allocation counters going down) is\n"
    "noted and each run of the process judged on its own. Failed fetches are\n"
    "retried with backoff and noted; a service that stays away (5 polls in a\n"
    "row) ends the watch with the report of what was gathered.\n"
    "With --listen, a daemon watches every target of FILE (Prometheus file_sd)\n"
    "and serves the suspects on /metrics: its options with\n"
    "leakhound watch --listen= --help, and docs/fleet.md.\n\n"
    "  --every DURATION   time between snapshots (default 15s)\n"
    "  --for DURATION     stop after this long (default: until Ctrl-C)\n"
    "  --count N          stop after N snapshots\n"
    "  --timeout DURATION per fetch (default 10s)\n"
    "  --source DIR       scan DIR/... and mark the suspects a static finding\n"
    "                     explains as confirmed (rule, position, fix); those rank\n"
    "                     first\n"
    "  --save DIR         keep every snapshot as fetched: DIR/heap.000001.pb.gz,\n"
    "                     DIR/goroutine.000001.txt, ... (trend DIR/heap.* and\n"
    "                     goroutines DIR/goroutine.* take them in time order) and\n"
    "                     DIR/watch.tsv, their times and the notes\n"
    "  --load DIR         re-analyse a watch saved with --save, without the service\n"
    "  --format text|json the report on stdout; json is one object:\n"
    "                       {\"target\", \"started\", \"duration_s\", \"snapshots\",\n"
    "                        \"suspects\": [{\"kind\", \"function\", \"file\", \"line\",\n"
    "                          \"growth_per_hour\", \"confidence\", \"confirmed_by\",\n"
    "                          \"stack\", ...}], \"series\": {...}, \"notes\": [...]}\n"
    "                     kind: heap, goroutines, leaked-goroutines, connection;\n"
    "                     suspects in rank order\n"
    "  --json             --format json\n"
    "  --html FILE        also write the report as one self-contained HTML page\n"
    "  --pid PID          watch a process without pprof: its resident memory and\n"
    "                     threads from /proc/PID/status, fitted over time (kind\n"
    "                     rss); the watch ends when the process does\n"
    "  --exec -- CMD ...  run CMD, restart it whenever it dies, and watch it as\n"
    "                     --pid does; memory that climbs, the process killed or\n"
    "                     exiting, and climbing again is named: seed 000's sawtooth\n"
    "  -n N               report at most N suspects\n"
    "  -q, --quiet        no progress on stderr (else, on a terminal, one status\n"
    "                     line updated in place; otherwise a line per snapshot)\n\n"
    "exit status: 0 no suspect, 1 suspects, 2 usage error, no snapshot at all,\n"
    "an unreadable --load directory or --source tree.\n";

/* The clock and Ctrl-C of every watch loop (this one, cli/watch_proc.c). */
volatile sig_atomic_t lh_watch_interrupted;

void lh_watch_on_interrupt(int sig)
{
    (void)sig;
    lh_watch_interrupted = 1;
}

void lh_watch_catch_interrupts(struct sigaction old[2])
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = lh_watch_on_interrupt;
    sigemptyset(&sa.sa_mask);
    /* no SA_RESTART: a sleep or a poll(2) inside curl ends early */
    lh_watch_interrupted = 0;
    sigaction(SIGINT, &sa, &old[0]);
    sigaction(SIGTERM, &sa, &old[1]);
}

void lh_watch_release_interrupts(const struct sigaction old[2])
{
    sigaction(SIGINT, &old[0], NULL);
    sigaction(SIGTERM, &old[1], NULL);
}

void lh_watch_status_begin(lh_buf *b, double elapsed, int tty)
{
    if (tty)
        lh_buf_puts(b, "\r\033[K");
    lh_buf_printf(b, "watch %dm%02ds", (int)(elapsed / 60), (int)fmod(elapsed, 60));
}

void lh_watch_status_end(lh_buf *b, int tty)
{
    if (!tty)
        lh_buf_putc(b, '\n');
    lh_buf_write(b, stderr);
    fflush(stderr);
    lh_buf_free(b);
}

double lh_watch_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void lh_watch_sleep_until(double until)
{
    while (!lh_watch_interrupted) {
        double left = until - lh_watch_now_s();
        if (left <= 0)
            return;
        if (left > 0.1)
            left = 0.1;
        struct timespec ts = {0, (long)(left * 1e9)};
        nanosleep(&ts, NULL);
    }
}

static const char *arrow(double prev, double cur, int tty)
{
    if (isnan(prev) || isnan(cur))
        return "";
    if (cur > prev * 1.01 && cur > prev)
        return tty ? " \xe2\x86\x91" : " (up)";
    if (cur < prev * 0.99 && cur < prev)
        return tty ? " \xe2\x86\x93" : " (down)";
    return tty ? " \xe2\x86\x92" : "";
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* One status line: elapsed, snapshots, heap and goroutines with their
 * trend, the current top suspect. On a terminal it is rewritten in place. */
static void status(lh_watch_session *s, double elapsed, double *prev_heap, double *prev_gor,
                   const char *event, int tty)
{
    lh_arena a;
    lh_arena_init(&a);
    const lh_watch_report *r = lh_watch_session_report(s, &a);
    double heap = lh_watch_session_heap_inuse(s), gor = lh_watch_session_goroutines(s);
    lh_buf b = LH_BUF_INIT;
    lh_watch_status_begin(&b, elapsed, tty);
    lh_buf_printf(&b, "  %zu snapshots  heap ", lh_watch_session_nsnapshots(s));
    if (isnan(heap))
        lh_buf_puts(&b, "-");
    else
        lh_report_value(&b, (int64_t)heap, "bytes");
    lh_buf_printf(&b, "%s  goroutines ", arrow(*prev_heap, heap, tty));
    if (isnan(gor))
        lh_buf_puts(&b, "-");
    else
        lh_buf_printf(&b, "%.0f", gor);
    lh_buf_puts(&b, arrow(*prev_gor, gor, tty));
    if (r->nsuspects)
        lh_buf_printf(&b, "  top: %s %s %s:%lld", lh_suspect_kind_name(r->suspects[0].kind),
                      r->suspects[0].function, base_name(r->suspects[0].file),
                      (long long)r->suspects[0].line);
    if (event)
        lh_buf_printf(&b, "  [%s]", event);
    lh_watch_status_end(&b, tty);
    lh_arena_free(&a);
    if (!isnan(heap))
        *prev_heap = heap;
    if (!isnan(gor))
        *prev_gor = gor;
}

/* Polls in a row that must fail before the service counts as gone. */
enum { GONE_AFTER = 5 };

static int run_watch(lh_watch_session *s, double every, double dur, size_t count, bool quiet)
{
    int tty = !quiet && isatty(STDERR_FILENO);
    struct sigaction old[2];
    lh_watch_catch_interrupts(old);
    double start = lh_watch_now_s(), next = start;
    double prev_heap = NAN, prev_gor = NAN;
    int failures = 0;
    while (!lh_watch_interrupted) {
        lh_poll_status st = lh_watch_session_poll(s);
        double elapsed = lh_watch_now_s() - start;
        int ok = st == LH_POLL_OK || st == LH_POLL_PARTIAL;
        failures = ok ? 0 : failures + 1;
        if (!quiet)
            status(s, elapsed, &prev_heap, &prev_gor, ok && st == LH_POLL_OK ? NULL
                                                                            : lh_poll_status_name(st), tty);
        if (failures >= GONE_AFTER)
            break;
        if (dur >= 0 && elapsed >= dur)
            break;
        if (count && lh_watch_session_nsnapshots(s) >= count)
            break;
        /* Fixed rate, so the series' spacing does not drift with fetch
         * time; after a failure, sooner (backoff from half a second up to
         * the interval), in case the service is restarting. */
        next += every;
        double when = next;
        if (!ok) {
            double back = 0.5 * (double)(1 << (failures < 6 ? failures - 1 : 5));
            when = lh_watch_now_s() + (back < every ? back : every);
            next = when;
        }
        if (dur >= 0 && when - start > dur) {
            if (lh_watch_now_s() - start >= dur - 1e-3)
                break;
            when = start + dur;
            next = when;
        }
        lh_watch_sleep_until(when);
    }
    if (tty)
        fputs("\n", stderr);
    lh_watch_release_interrupts(old);
    return failures >= GONE_AFTER;
}

int lh_cmd_watch(int argc, char **argv)
{
    /* --listen: the fleet daemon, whose options are its own (cli/fleet.c). */
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        const char *a = argv[i] + (argv[i][0] == '-') + (argv[i][0] == '-' && argv[i][1] == '-');
        if (a != argv[i] && strncmp(a, "listen", 6) == 0 && (a[6] == '\0' || a[6] == '='))
            return lh_cmd_watch_fleet(argc, argv);
    }
    const char *save = NULL, *load = NULL, *source = NULL, *html = NULL;
    int64_t every_ns = 15 * (int64_t)1000000000, for_ns = -1,
            timeout_ns = 10 * (int64_t)1000000000;
    int json = 0;
    bool quiet = false;
    long long max_suspects = 0, count = 0, pid = 0;
    bool exec = false;
    const lh_flag flags[] = {
        {"count", LH_FLAG_COUNT, &count, 1, NULL, NULL},
        {"every", LH_FLAG_DURATION, &every_ns, 1000000, NULL, NULL},
        {"for", LH_FLAG_DURATION, &for_ns, 0, NULL, NULL},
        {"timeout", LH_FLAG_DURATION, &timeout_ns, 1000000, NULL, NULL},
        {"source", LH_FLAG_STRING, &source, 0, NULL, NULL},
        {"save", LH_FLAG_STRING, &save, 0, NULL, NULL},
        {"load", LH_FLAG_STRING, &load, 0, NULL, NULL},
        LH_CLI_FORMAT_FLAGS(&json),
        {"html", LH_FLAG_STRING, &html, 0, NULL, NULL},
        {"n", LH_FLAG_COUNT, &max_suspects, 1, NULL, NULL},
        {"q|quiet", LH_FLAG_BOOL, &quiet, 0, NULL, NULL},
        {"pid", LH_FLAG_COUNT, &pid, 1, NULL, NULL},
        {"exec", LH_FLAG_BOOL, &exec, 0, NULL, NULL},
        LH_FLAG_END,
    };
    const lh_flag *tables[] = {flags, NULL};
    char **ops = calloc((size_t)argc + 1, sizeof *ops);
    if (!ops)
        abort();
    size_t nops = 0;
    int pr = lh_flags_parse("watch", watch_usage, tables, argc, argv, ops, &nops);
    if (pr == 0 && (pid || exec)) {
        /* A process rather than a service: cli/watch_proc.c. After
         * --exec, the operands (all that follows --) are the command. */
        int rc = LH_EXIT_ERROR;
        if (pid && exec)
            lh_cli_error("--pid or --exec, not both");
        else if (exec && nops == 0)
            lh_cli_error("--exec needs a command: --exec -- CMD [ARGS...]");
        else if (pid && nops)
            lh_cli_error("--pid watches a process, not a URL");
        else if (pid > 0x7fffffff)
            lh_cli_error("--pid %lld: no such process", pid);
        else if (load || save || source || count)
            lh_cli_error("--load, --save, --source and --count are for services, not --pid or "
                         "--exec");
        else {
            lh_watch_proc_args pa = {(int)pid, exec ? ops : NULL, (double)every_ns / 1e9,
                                     for_ns < 0 ? -1 : (double)for_ns / 1e9, json, quiet,
                                     (int)max_suspects, html};
            rc = lh_watch_proc_run(&pa);
        }
        free(ops);
        return rc;
    }
    const char *target = nops ? ops[0] : NULL;
    free(ops);
    if (pr != 0)
        return pr > 0 ? LH_EXIT_OK : LH_EXIT_ERROR;
    if (nops > 1) {
        lh_cli_error("one URL at a time (see leakhound help watch)");
        return LH_EXIT_ERROR;
    }
    if (!target == !load) {
        lh_cli_error(load ? "a URL or --load DIR, not both (see leakhound help watch)"
                          : "needs a URL, or --load DIR (see leakhound help watch)");
        return LH_EXIT_ERROR;
    }
    if (load && save) {
        lh_cli_error("--save and --load do not go together");
        return LH_EXIT_ERROR;
    }
    double every = (double)every_ns / 1e9, dur = for_ns < 0 ? -1 : (double)for_ns / 1e9;
    lh_watch_config cfg = {target, (long)(timeout_ns / 1000000), 0, save, source,
                           (int)max_suspects};
    char err[1024];
    lh_watch_session *s = load ? lh_watch_session_load(load, &cfg, err, sizeof err)
                               : lh_watch_session_new(&cfg, err, sizeof err);
    if (!s) {
        lh_cli_error("%s", err);
        return LH_EXIT_ERROR;
    }
    lh_findings fs;
    lh_findings_init(&fs);
    if (source) {
        /* Scanned before watching: a tree that does not load is better
         * told now than after an hour of watching. */
        if (lh_scan_collect(source, &fs, err, sizeof err) != 0) {
            lh_cli_error("--source %s: %s", source, err);
            lh_findings_free(&fs);
            lh_watch_session_free(s);
            return LH_EXIT_ERROR;
        }
        lh_watch_session_set_findings(s, &fs);
    }
    if (!load)
        run_watch(s, every, dur, (size_t)count, quiet);
    int rc;
    if (lh_watch_session_nsnapshots(s) == 0) {
        lh_cli_error("%s: no snapshot could be taken%s", load ? load : target,
                     load ? "" : " (is it a net/http/pprof base URL?)");
        rc = LH_EXIT_ERROR;
    } else {
        lh_arena a;
        lh_arena_init(&a);
        const lh_watch_report *r = lh_watch_session_report(s, &a);
        int io = json ? lh_watch_write_json(r, stdout) : lh_watch_write_text(r, stdout);
        rc = r->nsuspects ? LH_EXIT_FOUND : LH_EXIT_OK;
        if (io != 0) {
            lh_cli_error("writing the report failed");
            rc = LH_EXIT_ERROR;
        }
        if (html && lh_watch_write_html(r, html, err, sizeof err) != 0) {
            lh_cli_error("%s: %s", html, err);
            rc = LH_EXIT_ERROR;
        }
        lh_arena_free(&a);
    }
    lh_watch_session_free(s);
    lh_findings_free(&fs);
    return rc;
}
