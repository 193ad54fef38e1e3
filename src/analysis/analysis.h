/* The profile analyses: top, diff, trend and goroutine groups.
 *
 * Each takes profiles (through the lh_stacks view, or the lh_profile model
 * for goroutine details) and fills a plain result struct; nothing here
 * prints. Results point into the arena passed in and into the views they
 * were computed from, so those must outlive them. */
#ifndef LH_ANALYSIS_ANALYSIS_H
#define LH_ANALYSIS_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/stacks.h"
#include "profile/profile.h"
#include "util/arena.h"

typedef enum lh_granularity { LH_BY_FUNCTION = 0, LH_BY_LINE } lh_granularity;

/* ---- top (top.c) and diff (diff.c) --------------------------------------- */

typedef struct lh_top_entry {
    const char *function, *file;
    int64_t line;       /* by line: the line; by function: the line of the
                           function holding the most flat (else cum) value */
    int64_t flat, cum;
} lh_top_entry;

typedef struct lh_top_result {
    const char *sample_type, *unit;
    /* Sum of |value| over the (merged) samples, as pprof computes the
     * total percentages refer to; for a diff this counts growth and
     * shrinkage alike. */
    int64_t total;
    int64_t net;        /* plain sum: for a diff, the net change */
    lh_top_entry *entries;  /* sorted: flat descending, then cum, then name */
    size_t nentries;
} lh_top_result;

/* flat: value of samples whose leaf (after hiding, see lh_stacks_leaf) is
 * the entry; cum: value of samples whose stack holds the entry anywhere,
 * counted once per sample however often it recurs. type is an index into
 * s's sample types. */
void lh_top(const lh_stacks *s, int type, lh_granularity by, lh_arena *a, lh_top_result *out);

/* NEW minus BASE, pprof's -base: base's samples are added negated, so
 * identical stacks cancel. Fails (-1, err) when the sample types differ.
 * delta receives the combined view (caller frees it with lh_stacks_free). */
int lh_diff_stacks(const lh_profile *base, const lh_profile *cur, lh_stacks *delta,
                   char *err, size_t errlen);
/* The same difference as a profile the encoder can write (`diff -o`): cur's
 * samples and base's samples negated, pointing into both profiles, which
 * must outlive it. */
lh_profile *lh_diff_profile(const lh_profile *base, const lh_profile *cur);

/* ---- trend (trend.c) ------------------------------------------------------- */

typedef enum lh_trend_class {
    LH_TREND_NOISE = 0,     /* no meaningful, steady change */
    LH_TREND_PLATEAU,       /* grew, then settled (warm-up, a filled cache) */
    LH_TREND_GROWING,       /* a steady climb to the end: a leak suspect */
} lh_trend_class;

const char *lh_trend_class_name(lh_trend_class c);   /* "growing", ... */

typedef struct lh_trend_site {
    const char *function, *file;
    int64_t line;
    lh_trend_class cls;
    /* Slopes are per hour, or per snapshot when the result is not spaced. */
    double slope_bytes_per_hour, r2;        /* least squares over all snapshots */
    double late_slope_bytes_per_hour;       /* over the later half */
    double slope_objects_per_hour, r2_objects;
    const int64_t *bytes, *objects;         /* one per snapshot, in time order */
} lh_trend_site;

typedef struct lh_trend_opts {
    lh_granularity by;      /* a site is a line (default) or a function */
    int64_t min_growth;     /* bytes; 0: lh_trend_min_growth of the
                               snapshots' largest sampling period */
    /* The snapshots come in time order (lh_series_order's): kept as given;
     * when a time is 0 (unknown), they are taken as evenly spaced. */
    int in_order;
} lh_trend_opts;

/* Growth below this over the whole series is within the heap profiler's
 * sampling noise, also for a profile of every allocation. */
#define LH_TREND_MIN_GROWTH ((int64_t)64 << 10)
/* A sampled heap profile counts a small object it samples as about one
 * sampling period of bytes (the runtime scales each record by 1/p, p the
 * chance of sampling it), so a small-object site's in-use bytes move in
 * steps of the period: at the default 512 KiB, one or two samples more
 * or less are 0.5-1 MiB of "growth" that is chance. A climb must then be
 * worth this many samples. */
#define LH_TREND_MIN_SAMPLES 3
/* The least growth a climb needs in snapshots sampled every period bytes
 * (0: unknown or every allocation): LH_TREND_MIN_GROWTH, or
 * LH_TREND_MIN_SAMPLES periods when that is more. */
int64_t lh_trend_min_growth(int64_t period);

typedef struct lh_trend_result {
    size_t nsnapshots;
    size_t *order;          /* snapshot indices (as given) in time order */
    /* 1: the snapshots' times are known, slopes are per hour. 0: taken as
     * evenly spaced, slopes are per snapshot and hours is 0. */
    int spaced;
    double hours;           /* from the first snapshot to the last */
    lh_trend_site *sites;   /* growing (largest slope first), plateau, noise */
    size_t nsites, ngrowing;
} lh_trend_result;

/* Classifies every allocation site of n heap snapshots of one process (n >=
 * 3, times distinct; they need not be given in order unless opts->in_order
 * says they are). Uses inuse_space and inuse_objects. Returns 0, or -1 with err (naming the snapshot when one is
 * at fault). */
int lh_trend(const lh_stacks *const *snaps, const char *const *names, size_t n,
             const lh_trend_opts *opts, lh_arena *a, lh_trend_result *out,
             char *err, size_t errlen);

/* Exposed for tests: the classifier on one series (times in hours). */
lh_trend_class lh_trend_classify(const double *t, const double *y, size_t n, double min_growth,
                                 double *slope, double *r2, double *late_slope);

/* ---- the order of a series of snapshots (series.c) ------------------------- */

/* What is known of a snapshot's time. */
typedef struct lh_snapshot_info {
    const char *name;       /* as given: a file name or URL */
    int64_t own_time;       /* recorded in the profile (a proto's time_nanos),
                               or when a URL was fetched; 0 when none */
    int64_t file_time;      /* the file's modification time; 0 when none */
} lh_snapshot_info;

typedef struct lh_series {
    size_t n;
    size_t *order;          /* input indices, in the order to analyse */
    int64_t *times;         /* per position in order: its time, 0 unknown */
    /* times are all known and strictly increasing: a time axis. Otherwise
     * the order stands but the spacing is unknown. */
    int spaced;
    const char *note_order; /* why the order is not the one given; "" none */
    const char *note_times; /* the file times disagree with the order; "" none */
} lh_series;

/* The order of n snapshots of one process. When every one records its own
 * time, by that time. Otherwise in the order given - except that names
 * differing only in one number (heap.2, heap.10) go by that number - with
 * own times, else file times, as the time axis when they increase along
 * that order. Never by file times alone: copies and checkouts rewrite them. */
void lh_series_order(const lh_snapshot_info *in, size_t n, lh_arena *a, lh_series *out);

/* ---- goroutine groups (goroutines.c) ---------------------------------------- */

/* Why a group is not a suspect whatever it looks like: these goroutines
 * live long by design. */
typedef enum lh_goroutine_category {
    LH_GCAT_USER = 0,       /* may be a suspect */
    LH_GCAT_RUNTIME,        /* the runtime's own, or stdlib infrastructure */
    LH_GCAT_HTTP_SERVER,    /* net/http server: accept loop, idle conns */
    LH_GCAT_TESTING,        /* the testing package's goroutines */
    LH_GCAT_MAIN,           /* the main goroutine */
} lh_goroutine_category;

const char *lh_goroutine_category_name(lh_goroutine_category c);   /* "user", ... */

typedef struct lh_goroutine_group {
    /* Where they block: the first non-runtime frame from the leaf. */
    const char *function, *file;
    int64_t line;
    /* The first frame of user code (not runtime, not standard library) from
     * the leaf, when it differs from the blocking frame: for a goroutine
     * stuck in sync.(*Mutex).Lock, the code that took the lock. */
    const char *user_function, *user_file;     /* "" when none or same */
    int64_t user_line;
    const char *wait_reason;    /* "chan send", ...; inferred from the stack
                                   for formats without one; "" unknown */
    int64_t max_wait_minutes;
    const char *created_function, *created_file;   /* "" when unknown */
    int64_t created_line;
    /* The function the goroutine runs (the f of `go f()`; main.main for the
     * main goroutine): the root-most frame outside the runtime, which every
     * format has, while only debug=2 says who created the goroutine. */
    const char *start_function;
    int64_t count;              /* in the latest dump */
    const int64_t *counts;      /* per dump, in time order */
    int leaked;                 /* marked leaked by the runtime (goroutineleak) */
    lh_goroutine_category category;
    /* The stack of the group's first goroutine, leaf first (runtime frames
     * included); the strings point into the dump it came from. */
    const lh_profile_frame *stack;
    size_t nstack;
    int suspect;
    const char *why;            /* one line: why it is (or is not) a suspect */
} lh_goroutine_group;

typedef struct lh_goroutine_opts {
    int64_t min_count;          /* "many": 0 -> 10 */
    int64_t min_wait_minutes;   /* "waiting for long": 0 -> 10 */
    int64_t min_climb;          /* across dumps, last - first: 0 -> 3 */
    int in_order;               /* the dumps come in time order (lh_series_order's) */
} lh_goroutine_opts;

typedef struct lh_goroutine_result {
    size_t ndumps;
    size_t *order;              /* dump indices (as given) in time order */
    int64_t *totals;            /* goroutines per dump, in time order */
    lh_goroutine_group *groups; /* suspects first, then by count */
    size_t ngroups, nsuspects;
} lh_goroutine_result;

/* Groups the goroutines of n dumps (goroutine or goroutineleak profiles in
 * any format) of one process, ordered by their time_nanos unless
 * opts->in_order says they come in order. Returns 0, or -1 with err naming a profile
 * that is not a goroutine profile. */
int lh_goroutines(const lh_profile *const *dumps, size_t n, const lh_goroutine_opts *opts,
                  lh_arena *a, lh_goroutine_result *out, char *err, size_t errlen);

/* Exposed for tests: "net/http.(*conn).serve" is standard library,
 * "main.worker" and "example.com/x.f" are not. */
int lh_is_std_function(const char *name);

#endif
