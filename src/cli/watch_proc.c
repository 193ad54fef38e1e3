/* watch --pid / --exec: sample a process through /proc on an interval, then
 * report. The sampling and the verdict are src/watch/proc.c's; this file
 * keeps the clock, shows progress on stderr and writes the report. */
#include "cli/watch_proc.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "report/profile_report.h"
#include "util/buf.h"
#include "watch/proc.h"
#include "watch/watch.h"

/* elapsed, samples, the latest RSS, restarts, the current verdict's kind. */
static void progress(lh_proc_watch *w, double elapsed, int tty)
{
    lh_arena a;
    lh_arena_init(&a);
    const lh_watch_report *r = lh_proc_watch_report(w, &a);
    lh_buf b = LH_BUF_INIT;
    lh_watch_status_begin(&b, elapsed, tty);
    lh_buf_printf(&b, "  %zu samples  rss ", r->nsnapshots);
    if (r->nsnapshots)
        lh_report_value(&b, (int64_t)r->rss_bytes[r->nsnapshots - 1], "bytes");
    else
        lh_buf_puts(&b, "-");
    if (r->nrestarts)
        lh_buf_printf(&b, "  restarts %zu", r->nrestarts);
    if (r->nsuspects)
        lh_buf_printf(&b, "  suspect: %s", strstr(r->suspects[0].summary, "sawtooth") ? "sawtooth"
                                                                                      : "rss growing");
    lh_watch_status_end(&b, tty);
    lh_arena_free(&a);
}

int lh_watch_proc_run(const lh_watch_proc_args *args)
{
    char err[512];
    lh_proc_config cfg = {.pid = args->pid, .argv = args->argv};
    lh_proc_watch *w = lh_proc_watch_new(&cfg, err, sizeof err);
    if (!w) {
        fprintf(stderr, "leakhound watch: %s\n", err);
        return LH_EXIT_ERROR;
    }
    int tty = !args->quiet && isatty(STDERR_FILENO);
    struct sigaction old[2];
    lh_watch_catch_interrupts(old);
    double start = lh_watch_now_s(), next = start;
    while (!lh_watch_interrupted) {
        int more = lh_proc_watch_poll(w);
        double elapsed = lh_watch_now_s() - start;
        if (!args->quiet)
            progress(w, elapsed, tty);
        if (!more || (args->for_s >= 0 && elapsed >= args->for_s))
            break;
        /* A fixed rate: the series' spacing does not drift with the time
         * a sample takes; the last sample falls on --for exactly. */
        next += args->every_s;
        if (args->for_s >= 0 && next - start > args->for_s)
            next = start + args->for_s;
        lh_watch_sleep_until(next);
    }
    if (tty)
        fputs("\n", stderr);
    lh_watch_release_interrupts(old);

    lh_arena a;
    lh_arena_init(&a);
    lh_watch_report *r = LH_NEW(&a, lh_watch_report);
    *r = *lh_proc_watch_report(w, &a);
    /* The command goes before the report is written: a report on a pipe
     * must not keep it running. */
    lh_proc_watch_free(w);
    if (r->nsnapshots == 0) {
        fprintf(stderr, "leakhound watch: no sample of %s could be taken\n", r->target);
        lh_arena_free(&a);
        return LH_EXIT_ERROR;
    }
    if (args->max_suspects > 0 && r->nsuspects > (size_t)args->max_suspects)
        r->nsuspects = (size_t)args->max_suspects;
    int rc = r->nsuspects ? LH_EXIT_FOUND : LH_EXIT_OK;
    int io = args->json ? lh_watch_write_json(r, stdout) : lh_watch_write_text(r, stdout);
    if (io == 0 && args->html) {
        io = lh_watch_write_html(r, args->html, err, sizeof err);
        if (io != 0)
            fprintf(stderr, "leakhound watch: %s\n", err);
    }
    if (io != 0) {
        fprintf(stderr, "leakhound watch: writing the report failed\n");
        rc = LH_EXIT_ERROR;
    }
    lh_arena_free(&a);
    return rc;
}
