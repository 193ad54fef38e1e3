/* The fleet daemon (`watch --listen ADDR --targets FILE`): one watch
 * session per target of a file_sd file, polled by a fixed pool of fetcher
 * threads, published on /metrics, / and /report/TARGET.
 *
 * Work is bounded: N fetchers whatever the number of targets, a timeout per
 * poll, a rolling window of snapshots per target. The targets file is
 * re-read when it changes; added targets start, removed ones stop and their
 * series go with them. */
#ifndef LH_WATCH_FLEET_H
#define LH_WATCH_FLEET_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

typedef struct lh_fleet_opts {
    const char *listen;         /* HOST:PORT for the HTTP pages */
    const char *targets_file;   /* file_sd JSON */
    long every_ms;              /* per target, +-10% jitter */
    long timeout_ms;            /* per poll */
    int fetchers;               /* threads polling targets */
    size_t window;              /* snapshots kept per target (max_snapshots) */
    int max_suspects;           /* series per target on /metrics; 0 = all */
    const char *save_dir;       /* every snapshot on disk, DIR/<target>/; NULL */
    const char *source_dir;     /* join for targets without __leakhound_source__ */
    long reload_ms;             /* how often the targets file is checked */
} lh_fleet_opts;

/* Runs until *stop is set (a signal handler sets it). Prints one line per
 * event worth knowing to log (serving address, target set changes, a bad
 * targets file). Returns 0, or 2 when it cannot start (bad targets file at
 * start, address in use), after one message on log. */
int lh_fleet_run(const lh_fleet_opts *o, volatile sig_atomic_t *stop, FILE *log);

#endif
