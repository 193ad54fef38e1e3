/* `leakhound watch --pid PID` and `--exec -- CMD ARGS`: the process-level
 * watch (src/watch/proc.h), driven from cli/watch.c once its options are
 * parsed. */
#ifndef LH_CLI_WATCH_PROC_H
#define LH_CLI_WATCH_PROC_H

#include <signal.h>

#include "util/buf.h"

/* The clock and Ctrl-C both watch loops share (cli/watch.c): the flag is
 * set by lh_watch_on_interrupt (SIGINT, SIGTERM); the sleep wakes for it. */
extern volatile sig_atomic_t lh_watch_interrupted;
void lh_watch_on_interrupt(int sig);
/* Puts lh_watch_on_interrupt on SIGINT and SIGTERM for a loop, the flag
 * cleared, keeping the handlers it replaces in old; release puts them
 * back. */
void lh_watch_catch_interrupts(struct sigaction old[2]);
void lh_watch_release_interrupts(const struct sigaction old[2]);

/* The progress line of both loops on stderr, rewritten in place on a
 * terminal: begin starts b with "watch 1m05s", the caller adds its fields,
 * end writes the line and frees b. */
void lh_watch_status_begin(lh_buf *b, double elapsed, int tty);
void lh_watch_status_end(lh_buf *b, int tty);
double lh_watch_now_s(void);              /* monotonic seconds */
void lh_watch_sleep_until(double until);  /* in steps of at most 100 ms */

typedef struct lh_watch_proc_args {
    int pid;                /* --pid, or 0 */
    char **argv;            /* --exec: the command, NULL-terminated; or NULL */
    double every_s, for_s;  /* for_s < 0: until Ctrl-C */
    int json, quiet;
    int max_suspects;       /* 0: all */
    const char *html;       /* --html FILE, or NULL */
} lh_watch_proc_args;

/* Watches, then writes the report to stdout. Returns the exit status:
 * 0 no suspect, 1 suspects, 2 when the process cannot be watched. */
int lh_watch_proc_run(const lh_watch_proc_args *a);

#endif
