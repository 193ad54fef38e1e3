/* A watch session: the snapshots of one target over time, and the analysis
 * of them into an lh_watch_report. `watch URL` drives one session from the
 * command line; the fleet daemon (`watch --listen`) drives many, one per
 * target, from a pool of fetchers. Nothing here prints or sleeps: the caller
 * decides when to poll, so both drivers share every line of the logic. */
#ifndef LH_WATCH_SESSION_H
#define LH_WATCH_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "watch/watch.h"

typedef struct lh_watch_session lh_watch_session;

typedef struct lh_watch_config {
    const char *target;         /* pprof base URL ("host:port" is http://host:port/debug/pprof/) */
    long timeout_ms;            /* per fetch; 0 = default */
    size_t max_snapshots;       /* rolling window kept in memory; 0 = keep all */
    const char *save_dir;       /* keep every snapshot as fetched; NULL = don't */
    const char *source_dir;     /* scan this tree and join (confirmed suspects); NULL = no join */
    int max_suspects;           /* 0 = all */
} lh_watch_config;

/* What one poll saw: the fleet daemon counts these per kind for /metrics. */
typedef enum lh_poll_status {
    LH_POLL_OK = 0,
    LH_POLL_PARTIAL,            /* some profiles failed, the snapshot is usable */
    LH_POLL_TIMEOUT,
    LH_POLL_HTTP_ERROR,         /* 4xx/5xx */
    LH_POLL_CONNECT,            /* refused, unreachable: the service is gone (for now) */
    LH_POLL_BAD_PROFILE,        /* truncated or undecodable */
} lh_poll_status;

const char *lh_poll_status_name(lh_poll_status s);   /* "ok", "timeout", ... */

/* Returns NULL with err on a bad configuration (bad URL, unreadable source). */
lh_watch_session *lh_watch_session_new(const lh_watch_config *cfg, char *err, size_t errlen);
void lh_watch_session_free(lh_watch_session *s);

/* Takes one snapshot now (heap gc=1, goroutines, goroutineleak when served,
 * /debug/vars when served), with retries inside timeout; records notes
 * (errors, restarts) in the session. Thread-compatible: one session is
 * polled by one thread at a time; distinct sessions may be polled in
 * parallel. */
lh_poll_status lh_watch_session_poll(lh_watch_session *s);

/* The analysis of the snapshots so far, built in a (the caller frees it with
 * the arena). Cheap enough to call after every poll. */
const lh_watch_report *lh_watch_session_report(lh_watch_session *s, lh_arena *a);

/* A watch saved with save_dir, re-analysed without the service (watch
 * --load): cfg's target and save_dir are ignored. Returns NULL with err
 * naming the file at fault. */
lh_watch_session *lh_watch_session_load(const char *dir, const lh_watch_config *cfg, char *err,
                                        size_t errlen);

/* The findings of scan over cfg->source_dir (the command line collects
 * them: scan lives above this layer). Suspects a finding explains are then
 * confirmed, and rank first. fs must outlive the session. */
struct lh_findings;
void lh_watch_session_set_findings(lh_watch_session *s, const struct lh_findings *fs);

/* Snapshots kept so far. */
size_t lh_watch_session_nsnapshots(const lh_watch_session *s);

/* Latest values, for status lines and /metrics: NAN when unknown. */
double lh_watch_session_heap_inuse(const lh_watch_session *s);
double lh_watch_session_goroutines(const lh_watch_session *s);
int64_t lh_watch_session_last_ok_unix_ms(const lh_watch_session *s);
size_t lh_watch_session_nrestarts(const lh_watch_session *s);

#endif
