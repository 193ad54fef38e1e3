/* `leakhound watch --pid PID` and `--exec -- CMD ARGS`: the process-level
 * watch (src/watch/proc.h), driven from cli/watch.c once its options are
 * parsed. */
#ifndef LH_CLI_WATCH_PROC_H
#define LH_CLI_WATCH_PROC_H

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
