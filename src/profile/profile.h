/* The profile model: one struct that every input format decodes into.
 *
 * Formats read (detected by content, not by file name):
 *   - pprof profile.proto, gzip-compressed or raw            (decode_pb.c)
 *   - legacy heap text, runtime/pprof heap ?debug=1          (text_heap.c)
 *   - goroutine ?debug=1 (counts per stack) and the same
 *     shape for goroutineleak ?debug=1                       (text_goroutine.c)
 *   - goroutine ?debug=2 full dumps, also panic/SIGQUIT
 *     tracebacks and goroutineleak ?debug=2                   (text_goroutine.c)
 * and written back as gzipped profile.proto                  (encode_pb.c).
 *
 * The shape follows profile.proto so an analysis written against pprof's
 * documentation reads naturally here, with two differences: references are
 * pointers instead of ids, and strings are C strings instead of string-table
 * indices. Everything a profile owns lives in its arena and dies with
 * lh_profile_free().
 *
 * Invariants the decoders guarantee (analyses may rely on them):
 *   - every const char * is non-NULL ("" when absent), except
 *     lh_profile_label.str, which is NULL for numeric labels;
 *   - every sample has exactly nsample_types values;
 *   - every pointer points into the same profile (decoded profiles) --
 *     a profile assembled by an analysis may point into others, see
 *     lh_profile_encode();
 *   - stacks are leaf first; a location's lines are leaf-most first
 *     (lines[0] is the innermost inlined function, lines[nlines-1] the
 *     function the address really belongs to), as in pprof. */
#ifndef LH_PROFILE_PROFILE_H
#define LH_PROFILE_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/buf.h"

typedef enum lh_profile_kind {
    LH_PROFILE_OTHER = 0,       /* cpu, block, mutex, threadcreate, ... */
    LH_PROFILE_HEAP,            /* heap and allocs (same sample types) */
    LH_PROFILE_GOROUTINE,
    LH_PROFILE_GOROUTINELEAK,   /* Go 1.26+ runtime/pprof "goroutineleak" */
} lh_profile_kind;

typedef enum lh_profile_format {
    LH_FORMAT_PROTO = 0,        /* profile.proto (gzip or raw) */
    LH_FORMAT_HEAP_TEXT,        /* heap ?debug=1 ("heap profile: ...") */
    LH_FORMAT_GOROUTINE_TEXT,   /* goroutine/goroutineleak ?debug=1 */
    LH_FORMAT_GOROUTINE_DUMP,   /* goroutine ?debug=2, tracebacks */
    LH_FORMAT_BUILT,            /* assembled in memory by an analysis */
} lh_profile_format;

typedef struct lh_profile_value_type {
    const char *type;           /* "inuse_space", "goroutine", ... */
    const char *unit;           /* "bytes", "count", "nanoseconds", ... */
} lh_profile_value_type;

typedef struct lh_profile_mapping {
    uint64_t id;                /* as read; the encoder renumbers */
    uint64_t start, limit, offset;
    const char *file;
    const char *build_id;
    unsigned has_functions : 1, has_filenames : 1, has_line_numbers : 1,
        has_inline_frames : 1;
} lh_profile_mapping;

typedef struct lh_profile_function {
    uint64_t id;                /* as read; the encoder renumbers */
    const char *name;           /* "main.(*T).run" */
    const char *system_name;    /* mangled name; same as name for Go */
    const char *filename;
    int64_t start_line;         /* 0 when unknown */
} lh_profile_function;

typedef struct lh_profile_line {
    const lh_profile_function *function;   /* never NULL */
    int64_t line;               /* 0 when unknown */
    int64_t column;             /* 0 when unknown */
} lh_profile_line;

typedef struct lh_profile_location {
    uint64_t id;                /* as read; the encoder renumbers */
    const lh_profile_mapping *mapping;     /* NULL when none */
    uint64_t address;           /* 0 for text formats without addresses */
    const lh_profile_line *lines;          /* leaf-most first */
    size_t nlines;              /* 0 for an unsymbolized address */
    int is_folded;
} lh_profile_location;

typedef struct lh_profile_label {
    const char *key;
    const char *str;            /* NULL for a numeric label */
    int64_t num;                /* numeric labels only */
    const char *num_unit;       /* numeric labels only; "" when unset */
} lh_profile_label;

/* What a goroutine dump (debug=2, goroutineleak debug=2, a traceback)
 * says about one goroutine beyond its stack. */
enum {
    LH_G_LOCKED = 1 << 0,       /* "locked to thread" */
    LH_G_LEAKED = 1 << 1,       /* "(leaked)": the GC proved it unreachable */
    LH_G_SCAN = 1 << 2,         /* "(scan)": state had the scan bit */
    LH_G_DURABLE = 1 << 3,      /* "(durable)": durably blocked in a synctest bubble */
    LH_G_ELIDED = 1 << 4,       /* the dump cut frames from the stack */
};

typedef struct lh_goroutine {
    int64_t id;                 /* "goroutine 42 [...]" */
    const char *state;          /* wait reason or status without the
                                   decorations: "chan send", "select",
                                   "IO wait", "semacquire", "running" */
    int64_t wait_minutes;       /* "15 minutes"; 0 when absent */
    unsigned flags;             /* LH_G_* */
    int64_t elided_frames;      /* "...N frames elided..."; -1 when the
                                   count was not printed, 0 when none */
    const char *created_by;     /* creating function; "" for main/runtime */
    const char *created_file;
    int64_t created_line;
    int64_t creator_id;         /* "in goroutine M"; 0 when absent */
    int64_t bubble;             /* "synctest bubble N"; 0 when absent */
} lh_goroutine;

typedef struct lh_profile_sample {
    const lh_profile_location *const *locs;   /* leaf first */
    size_t nlocs;
    const int64_t *values;      /* nsample_types of them */
    const lh_profile_label *labels;
    size_t nlabels;
    const lh_goroutine *g;      /* dumps only (one sample per goroutine,
                                   value 1); NULL otherwise. Identical
                                   stacks share location pointers, so
                                   grouping can compare pointers. */
} lh_profile_sample;

/* A "name: value" line, e.g. the runtime.MemStats trailer of a heap
 * ?debug=1 profile ("HeapInuse" -> 123456). */
typedef struct lh_profile_stat {
    const char *name;
    int64_t value;
} lh_profile_stat;

typedef struct lh_profile {
    lh_arena arena;             /* owns everything below */
    /* From the sample types for proto input (inuse_space/alloc_space ->
     * heap; a single goroutine or goroutineleak type), from the header
     * for text; a goroutine dump is GOROUTINELEAK when any goroutine in
     * it carries "(leaked)". */
    lh_profile_kind kind;
    lh_profile_format format;
    const char *name;           /* file name or URL it was read from */

    const lh_profile_value_type *sample_types;
    size_t nsample_types;
    const lh_profile_sample *samples;
    size_t nsamples;

    /* All of them, in input order; samples point into these arrays. */
    const lh_profile_location *locations;
    size_t nlocations;
    const lh_profile_function *functions;
    size_t nfunctions;
    const lh_profile_mapping *mappings;
    size_t nmappings;

    int64_t time_nanos;         /* 0 when unknown */
    int64_t duration_nanos;
    lh_profile_value_type period_type;   /* {"", ""} when absent */
    int64_t period;
    int default_sample_type;    /* index into sample_types, -1 when unset */

    const char *drop_frames;    /* "" when unset */
    const char *keep_frames;
    const char *const *comments;
    size_t ncomments;

    const lh_profile_stat *stats;   /* heap text MemStats; else none */
    size_t nstats;
} lh_profile;

/* ---- reading ---------------------------------------------------------- */

#define LH_PROFILE_DEFAULT_MAX_INFLATED ((size_t)256 << 20)

typedef struct lh_profile_opts {
    /* Cap on the size of the decompressed profile (and of a raw input),
     * against decompression bombs. 0 means LH_PROFILE_DEFAULT_MAX_INFLATED.
     * It also bounds a protobuf input to max_inflated/32 messages (at least
     * 65536): empty messages cost 2 bytes of input but ~100 of memory. */
    size_t max_inflated;
} lh_profile_opts;

/* Decodes data (gzip or not; proto or one of the text formats, detected by
 * content). opts may be NULL. Returns 0 and *out, or -1 with a one-line
 * message in err that already names the input, e.g.
 *   "heap.pb.gz: truncated gzip data"
 *   "x.txt: not a pprof profile (unrecognized format)"
 * so a command prints it as is ("leakhound: %s\n") and exits 2.
 * data need not be NUL-terminated and is not referenced after return. */
int lh_profile_parse(const char *name, const unsigned char *data, size_t len,
                     const lh_profile_opts *opts, lh_profile **out,
                     char *err, size_t errlen);

/* Reads path and decodes it; "-" reads standard input. */
int lh_profile_load_file(const char *path, const lh_profile_opts *opts,
                         lh_profile **out, char *err, size_t errlen);

void lh_profile_free(lh_profile *p);

/* ---- writing ---------------------------------------------------------- */

/* Serialises p as profile.proto, gzip-compressed when gzip is nonzero
 * (what `go tool pprof` expects in a .pb.gz). Only what the samples reach
 * is written; ids are renumbered from 1, so a profile built by an analysis
 * may point at locations and functions owned by other (still live)
 * profiles. The goroutine details (sample.g) have no place in the format
 * and are dropped. Appends to out; returns 0, or -1 with err set. */
int lh_profile_encode(const lh_profile *p, int gzip, lh_buf *out,
                      char *err, size_t errlen);

/* ---- building (for analyses that produce a profile, e.g. diff) -------- */

/* An empty profile of format LH_FORMAT_BUILT: fill its fields with memory
 * from p->arena (or from profiles that outlive it). */
lh_profile *lh_profile_new(void);
/* Copies s into p's arena. */
const char *lh_profile_strdup(lh_profile *p, const char *s);

/* ---- helpers the analyses share --------------------------------------- */

/* Index of the sample type named type ("inuse_space"), or -1. */
int lh_profile_sample_type_index(const lh_profile *p, const char *type);

/* The index an analysis should show by default: default_sample_type if
 * set, else the last sample type (pprof's rule), or -1 if there are none. */
int lh_profile_default_index(const lh_profile *p);

/* One frame of a stack, inlined frames counted as frames. */
typedef struct lh_profile_frame {
    const char *function;       /* "" when the location is unsymbolized */
    const char *file;           /* "" when unknown */
    int64_t line;               /* 0 when unknown */
    uint64_t address;           /* the location's address (0 in text dumps) */
} lh_profile_frame;

/* Number of frames in s's stack (a location with no lines counts as one). */
size_t lh_profile_sample_depth(const lh_profile_sample *s);
/* Frame k of s's stack, 0 = leaf; k must be < lh_profile_sample_depth(s). */
lh_profile_frame lh_profile_sample_frame(const lh_profile_sample *s, size_t k);
/* Frame i of one location (0 = leaf-most inlined); an unsymbolized location
 * has one frame with function "" and its address. */
lh_profile_frame lh_profile_location_frame(const lh_profile_location *loc, size_t i);

const char *lh_profile_kind_name(lh_profile_kind k);     /* "heap", ... */
const char *lh_profile_format_name(lh_profile_format f); /* "proto", ... */

#endif
