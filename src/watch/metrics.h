/* /metrics of the fleet daemon: Prometheus' text exposition format (0.0.4).
 *
 * The renderer reads a plain view of each target (filled by the daemon under
 * the target's lock) and its latest report; it never fetches or analyses.
 * Names follow Prometheus' conventions: a leakhound_ prefix, base units
 * (bytes, seconds) in the name, _total on counters, rates per second. */
#ifndef LH_WATCH_METRICS_H
#define LH_WATCH_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "watch/file_sd.h"
#include "watch/session.h"
#include "watch/watch.h"

/* lh_poll_status values run 0..LH_METRICS_NSTATUS-1. */
#define LH_METRICS_NSTATUS ((int)LH_POLL_BAD_PROFILE + 1)

typedef struct lh_metrics_target {
    const char *target;             /* the "target" label: the address as listed */
    const lh_sd_label *labels;      /* the group's labels, sorted by name */
    size_t nlabels;
    int polled;                     /* at least one poll finished */
    int up;                         /* the last poll gave a usable snapshot */
    double heap_inuse_bytes;        /* NAN when unknown: no sample is written */
    double goroutines;
    int64_t last_ok_unix_ms;        /* 0 = never */
    uint64_t polls;
    uint64_t by_status[LH_METRICS_NSTATUS];     /* polls that ended so, by kind */
    size_t restarts;                /* seen since the target was added */
    size_t snapshots;               /* in the rolling window */
    const lh_watch_report *report;  /* NULL before the first report */
} lh_metrics_target;

typedef struct lh_metrics_daemon {
    uint64_t sd_reloads_ok, sd_reloads_failed;
    int64_t sd_last_ok_unix_ms;
    int max_suspects;               /* per target; 0 = no cap */
} lh_metrics_daemon;

/* Appends the whole exposition to out: every family once, HELP and TYPE
 * first, its samples after, targets in the order given. Suspects are
 * written in rank order, at most max_suspects per target, one series per
 * (kind, function, file, line): a second suspect with the same labels (two
 * std allocation sites under one user line) is folded into the first, since
 * Prometheus rejects a scrape with duplicate series. */
void lh_metrics_render(lh_buf *out, const lh_metrics_target *targets, size_t n,
                       const lh_metrics_daemon *d);

/* A label value as the format wants it, quotes included: backslash, double
 * quote and newline escaped; invalid UTF-8 bytes become U+FFFD (Prometheus
 * refuses the whole scrape otherwise). */
void lh_metrics_label_value(lh_buf *out, const char *s);

/* A sample value: integers exactly, NaN and +Inf/-Inf spelled as the format
 * spells them. */
void lh_metrics_value(lh_buf *out, double v);

#endif
