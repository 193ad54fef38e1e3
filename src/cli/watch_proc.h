/* `leakhound watch --pid PID` and `--exec -- CMD ARGS`: the process-level
 * watch (src/watch/proc.h), driven from cli/watch.c once its options are
 * parsed. */
#ifndef LH_CLI_WATCH_PROC_H
#define LH_CLI_WATCH_PROC_H

#include <signal.h>

/* The clock and Ctrl-C both watch loops share (cli/watch.c): the flag is
 * set by lh_watch_on_interrupt (SIGINT, SIGTERM); the sleep wakes for it. */
extern volatile sig_atomic_t lh_watch_interrupted;
void lh_watch_on_interrupt(int sig);
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
