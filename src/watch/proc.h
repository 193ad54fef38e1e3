/* Processes without pprof: `watch --pid PID` and `watch --exec -- CMD ARGS`.
 *
 * What /proc says of a process (resident memory and thread count) is all
 * there is to go on, so the suspect is the process itself (LH_SUSPECT_RSS).
 * With --exec, leakhound is the process's supervisor: it starts the command,
 * restarts it when it dies, and can therefore see seed 000's sawtooth --
 * memory climbs to a limit, the process is killed, the next one climbs
 * again -- which a graph of one process at a time never shows whole.
 *
 * Like the session API, nothing here prints or sleeps: the caller polls
 * every --every and asks for the report when it stops. */
#ifndef LH_WATCH_PROC_H
#define LH_WATCH_PROC_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "watch/watch.h"

/* One sample of one process. */
typedef struct lh_proc_sample {
    double t_s;         /* seconds since the watch began */
    double rss_bytes;   /* VmRSS */
    double threads;     /* Threads */
    int life;           /* 0 for the first process, one more at each restart */
} lh_proc_sample;

/* How a process of an --exec watch ended. */
typedef struct lh_proc_death {
    int life;
    double t_s;
    int signal;         /* the signal that ended it; 0 when it exited */
    int status;         /* its exit status when signal is 0 */
} lh_proc_death;

/* Everything a watch of a process gathered: the input of the analysis. */
typedef struct lh_proc_history {
    const char *target;         /* "pid N" or the command line */
    int64_t started_unix_ms;
    double duration_s;
    int supervised;             /* --exec: deaths are seen and restarted */
    const lh_proc_sample *samples;
    size_t nsamples;
    const lh_proc_death *deaths;
    size_t ndeaths;
    const lh_watch_note *notes;
    size_t nnotes;
} lh_proc_history;

/* Resident memory below this much growth is page and allocator noise. */
#define LH_PROC_MIN_GROWTH ((double)(1 << 20))

/* Reads VmRSS (bytes) and Threads from the text of /proc/PID/status.
 * Returns -1 when either is missing (a zombie has no VmRSS). */
int lh_proc_parse_status(const char *text, double *rss_bytes, double *threads);

/* The analysis: suspects and verdict from the samples, built in a. Exposed
 * so tests can give it exact series. */
const lh_watch_report *lh_proc_analyse(const lh_proc_history *h, lh_arena *a);

typedef struct lh_proc_watch lh_proc_watch;

typedef struct lh_proc_config {
    int pid;                    /* --pid: a process already running */
    char *const *argv;          /* --exec: the command (NULL-terminated); NULL with --pid */
} lh_proc_config;

/* Starts the command (--exec) or checks the process exists (--pid).
 * Returns NULL with err when it cannot (no such process, command not
 * runnable). The command's stdout goes to leakhound's stderr, so that a
 * report on stdout stays clean. */
lh_proc_watch *lh_proc_watch_new(const lh_proc_config *cfg, char *err, size_t errlen);

/* Takes one sample now. With --exec, first notices a death (note, restart
 * after a backoff that grows while the command keeps dying young). Returns
 * 1 while there is something to watch, 0 once a --pid process is gone. */
int lh_proc_watch_poll(lh_proc_watch *w);

/* The analysis of what was gathered so far (see lh_proc_analyse). */
const lh_watch_report *lh_proc_watch_report(lh_proc_watch *w, lh_arena *a);

/* Stops a command it started (SIGTERM, then SIGKILL after a grace period)
 * and frees everything. */
void lh_proc_watch_free(lh_proc_watch *w);

#endif
