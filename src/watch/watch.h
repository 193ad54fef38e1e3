/* watch: the model of one watch of one target, shared by the watcher (which
 * fills it), the JSON and text writers, and the HTML report (which read it).
 *
 * Data flows one way: fetched bytes -> profiles -> analyses -> this report
 * -> writers. Writers never fetch or analyse; the watcher never formats.
 * Every string and array points into the arena the report was built in. */
#ifndef LH_WATCH_WATCH_H
#define LH_WATCH_WATCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum lh_suspect_kind {
    LH_SUSPECT_HEAP = 0,        /* an allocation site whose in-use bytes climb */
    LH_SUSPECT_GOROUTINES,      /* a goroutine group whose count climbs */
    LH_SUSPECT_LEAKED,          /* goroutines the runtime proved leaked (goroutineleak) */
    LH_SUSPECT_CONNECTION,      /* net/http transport goroutines and buffers: an unclosed body */
    LH_SUSPECT_RSS,             /* process memory only (--pid, --exec) */
} lh_suspect_kind;

/* "heap", "goroutines", "leaked-goroutines", "connection", "rss": the JSON
 * "kind" values. */
const char *lh_suspect_kind_name(lh_suspect_kind k);

typedef struct lh_watch_frame {
    const char *function, *file;
    int64_t line;
} lh_watch_frame;

/* The static finding a runtime suspect passes through (scan --source). */
typedef struct lh_watch_confirm {
    const char *rule;           /* "defer-in-loop", ... */
    const char *file;           /* as scan prints it */
    int64_t line, col;
    const char *message;        /* scan's message */
    const char *fix;            /* one sentence: what to change */
} lh_watch_confirm;

typedef struct lh_watch_suspect {
    lh_suspect_kind kind;
    /* The first frame of the user's own code (not runtime, std or vendored). */
    const char *function, *file;
    int64_t line;
    /* The standard-library or runtime frame where the memory is allocated or
     * the goroutine waits; "" and 0 when the user frame is the leaf. */
    const char *std_function, *std_file;
    int64_t std_line;
    const char *wait_reason;    /* goroutine kinds: "chan send", ...; else "" */
    double growth_per_hour;     /* in unit */
    const char *unit;           /* "bytes", "goroutines" */
    double confidence;          /* 0..1 */
    const lh_watch_confirm *confirmed_by;   /* NULL when no static finding matches */
    const lh_watch_frame *stack;            /* leaf first */
    size_t nstack;
    /* The suspect's own series, one value per snapshot (report.t_s); NAN
     * where the snapshot lacked it. */
    const double *series;
    const char *summary;        /* one sentence for a person on call */
} lh_watch_suspect;

typedef struct lh_watch_note {
    double t_s;                 /* seconds since the start */
    const char *text;           /* "restart detected: ...", "HTTP 500 on heap, retried", ... */
} lh_watch_note;

typedef struct lh_watch_report {
    const char *target;         /* URL, "pid N" or the command */
    int64_t started_unix_ms;
    double duration_s;
    size_t nsnapshots;
    const double *t_s;          /* per snapshot: seconds since the start */
    /* Per snapshot; NAN where not fetched. */
    const double *heap_inuse_bytes;
    const double *goroutines;
    const double *rss_bytes;    /* --pid/--exec, or memstats Sys when served */
    size_t nrestarts;
    const size_t *restart_at;   /* snapshot indices where a new process began */
    const lh_watch_note *notes;
    size_t nnotes;
    const lh_watch_suspect *suspects;   /* rank order: confirmed first */
    size_t nsuspects;
    const char *verdict;        /* one or two sentences, the report's headline */
    const char *source_dir;     /* --source, for showing source lines; NULL */
} lh_watch_report;

/* Writers (src/report/watch_*.c). Each returns 0, or -1 with err. Files are
 * written atomically (temporary file in the same directory, then rename). */
int lh_watch_write_text(const lh_watch_report *r, FILE *out);
int lh_watch_write_json(const lh_watch_report *r, FILE *out);
int lh_watch_write_html(const lh_watch_report *r, const char *path, char *err, size_t errlen);

#endif
