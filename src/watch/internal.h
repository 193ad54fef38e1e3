/* What the session (session.c: fetching, ingesting, saving) and the verdict
 * (verdict.c: series -> suspects) share. Not for other layers.
 *
 * A snapshot is reduced at ingest to a few numbers per site: in-use bytes per
 * heap site, goroutines per group. The decoded profiles are freed at once, so
 * a long watch costs memory per site and snapshot, not per profile. */
#ifndef LH_WATCH_INTERNAL_H
#define LH_WATCH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "profile/profile.h"
#include "util/arena.h"
#include "util/buf.h"
#include "watch/session.h"
#include "watch/watch.h"

/* What kind of code a heap site's stack passes through: the verdict folds the
 * transport's and the client's sites into a connection suspect when the
 * transport grows. */
typedef enum site_role {
    ROLE_PLAIN = 0,
    ROLE_CLIENT,        /* allocated under a net/http client call (Client.Do,
                           Get, ...) made by the user frame: the request */
    ROLE_TRANSPORT,     /* allocated by the transport's connection code
                           (dialConn, persistConn): buffers, conns */
} site_role;

/* A heap site: the first user frame and the standard-library frame that
 * allocated (key), or a goroutine group. Interned once per session. */
typedef struct lh_wsite {
    const char *function, *file;
    int64_t line;
    const char *std_function, *std_file;
    int64_t std_line;
    site_role role;
    int has_user;               /* heap: the stack has a user frame */
    /* goroutine groups only */
    const char *wait_reason;
    const char *created_function, *created_file;
    int64_t created_line;
    int category;               /* lh_goroutine_category */
    int transport;              /* net/http.(*persistConn) loops */
    /* the stack of the largest sample seen, leaf first */
    lh_watch_frame *stack;
    size_t nstack;
    int64_t stack_value;
} lh_wsite;

typedef struct lh_wtable {
    lh_wsite *v;
    size_t n, cap;
    char **keys;
    uint32_t *slots;
    size_t nslots;
} lh_wtable;

typedef struct lh_wval {
    uint32_t site;
    int64_t value;
} lh_wval;

typedef struct lh_wsnap {
    int64_t unix_ms;
    size_t segment;             /* process: increases at each restart */
    int have_heap, have_gor, have_leak;
    double heap_inuse;          /* memstats HeapInuse when served, else the profile's */
    double heap_profile_inuse;  /* sum of inuse_space */
    double goroutines;
    double sys;                 /* memstats Sys; NAN when not served */
    int64_t alloc_total;        /* alloc_space of the heap profile: only grows in a process */
    int64_t heap_period;        /* the heap profile's sampling rate in bytes; 0 unknown */
    int64_t ms_total_alloc, ms_num_gc;  /* memstats; -1 when not served */
    int gor_proto;              /* the goroutine dump was the proto form */
    lh_wval *heap, *gor, *leak;
    size_t nheap, ngor, nleak;
    lh_wval *client_alloc;      /* alloc_space of the client sites */
    size_t nclient_alloc;
} lh_wsnap;

typedef struct lh_wnote {
    double t_s;
    char *text;
    size_t repeats;
} lh_wnote;

enum { SERVED_UNKNOWN = 0, SERVED_YES, SERVED_NO };

struct lh_watch_session {
    lh_watch_config cfg;
    char *base;                 /* ".../debug/pprof/" */
    char *vars_url;
    char *target;
    char *save_dir, *source_dir;
    lh_arena arena;             /* sites' strings and stacks */
    lh_wtable heap_sites, gor_sites;
    lh_wsnap *snaps;
    size_t nsnaps, capsnaps;
    lh_wnote *notes;
    size_t nnotes, capnotes;
    size_t *restarts;
    size_t nrestarts, caprestarts;
    size_t segment;
    int64_t started_ms;
    int64_t last_ok_ms;
    size_t seq;                 /* saved snapshots so far */
    int leak_served, vars_served;
    int use_proto_goroutines;
    int64_t last_alloc_total, last_ms_total_alloc, last_ms_num_gc;
    int have_last_alloc;
    int save_failed;
    lh_buf manifest;            /* watch.tsv's snapshot lines so far */
    const struct lh_findings *findings;     /* --source; NULL: no join */
};

/* session.c */
void lh_wsession_note(lh_watch_session *s, int64_t unix_ms, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reduces one fetched body into sn ("heap", "goroutine", "goroutineleak",
 * "vars"). Returns 0, or -1 with err when it does not decode. */
int lh_wsession_ingest(lh_watch_session *s, lh_wsnap *sn, const char *kind, const char *name,
                       const unsigned char *data, size_t len, char *err, size_t errlen);
/* Appends sn (restart detection included). */
void lh_wsession_commit(lh_watch_session *s, lh_wsnap *sn);

/* Whether a function is the user's own code: not the runtime, the standard
 * library, vendored or module-cache code. */
int lh_watch_is_user(const char *function, const char *file);

/* verdict.c */
/* Whether a heap site's in-use series (one process) fell to under half of a
 * peak of LH_TREND_MIN_GROWTH or more: freed, so garbage, not a leak. */
int lh_wverdict_gave_back(const double *y, size_t n);
const lh_watch_report *lh_wverdict(lh_watch_session *s, lh_arena *a);
/* The rank order, for qsort of lh_watch_suspect: confirmed first, then by
 * confidence, then leaked, connection, goroutines, heap, then faster
 * growth. */
int lh_watch_suspect_cmp(const void *a, const void *b);

#endif
