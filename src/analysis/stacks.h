/* The analyses' view of a profile: every distinct frame interned once, every
 * sample a leaf-first array of frame ids plus its values.
 *
 * Aggregations (top, diff, trend) hash on small integer ids instead of
 * strings, and each analysis reads one shape whatever the profile's format
 * was. lh_stacks_from_profile (stacks.c) is the only code that walks the
 * lh_profile model; everything else in src/analysis/ uses this view. */
#ifndef LH_ANALYSIS_STACKS_H
#define LH_ANALYSIS_STACKS_H

#include <stddef.h>
#include <stdint.h>

#include "profile/profile.h"
#include "util/arena.h"

typedef struct lh_frame {
    const char *function;   /* never NULL; "" when the profile had none */
    const char *file;       /* never NULL */
    int64_t line;           /* 0 when unknown */
    uint32_t fn_id;         /* same id for every frame of one function name */
    int hidden;             /* runtime or drop_frames: skipped at the leaf */
} lh_frame;

typedef struct lh_stack_sample {
    const uint32_t *frames; /* frame ids, leaf first, inlined calls expanded */
    uint32_t nframes;
    const int64_t *values;  /* one per sample type */
} lh_stack_sample;

typedef struct lh_stacks {
    lh_arena arena;         /* owns everything below */
    lh_frame *frames;
    uint32_t nframes, nfuncs;
    lh_stack_sample *samples;
    size_t nsamples, samples_cap;
    size_t ntypes;
    const char **type_names, **type_units;
    int default_type;       /* index into the types */
    int64_t time_nanos;     /* when the profile was taken; 0 unknown */
    int64_t heap_period;    /* heap profiles: the sampling rate in bytes
                               (runtime.MemProfileRate); 0 unknown */
    int merge;              /* merge samples with equal stacks (see lh_stacks_add);
                               lh_stacks_init sets it, from_profile may clear it */
    /* private: the intern tables */
    struct lh_stacks_intern *intern;
} lh_stacks;

/* Building a view by hand: the adapter from the profile model uses this, and
 * so do the unit tests. */
void lh_stacks_init(lh_stacks *s, size_t ntypes, const char *const *names,
                    const char *const *units);
uint32_t lh_stacks_frame(lh_stacks *s, const char *function, const char *file, int64_t line);
/* Copies frames and values. With merge set, samples with the same stack are
 * merged (their values summed), as pprof merges profiles for -base: flat
 * and cum are sums over samples, so merging changes neither, but the total
 * of |value| a diff's percentages use needs the cancellation. */
void lh_stacks_add(lh_stacks *s, const uint32_t *frames, uint32_t nframes, const int64_t *values);

/* A view of p. Returns 0, or -1 with err naming p (no sample types). */
int lh_stacks_from_profile(lh_stacks *s, const lh_profile *p, char *err, size_t errlen);
/* An empty view with p's sample types, default type and time. */
int lh_stacks_init_profile(lh_stacks *s, const lh_profile *p, char *err, size_t errlen);
/* Adds p's samples to s, values multiplied by sign (-1 subtracts p, which is
 * pprof's -base). p's sample types must be s's, by name, in any order.
 * Returns 0, or -1 with err naming p and what differs. */
int lh_stacks_add_profile(lh_stacks *s, const lh_profile *p, int sign, char *err, size_t errlen);
void lh_stacks_free(lh_stacks *s);

/* Index of the sample type called name, or -1. */
int lh_stacks_type(const lh_stacks *s, const char *name);

/* Index of the first frame that stays after hiding leaf frames: like the Go
 * runtime's own heap profile writer and pprof's drop_frames, frames of the
 * runtime at the leaf end of a stack say "malloc" or "gopark" and hide who
 * allocated or blocked, so they are skipped - unless the whole stack is
 * hidden, which is then kept as it is rather than lost. (pprof cuts at the
 * root-most drop_frames match; treating matches like runtime frames, leaf
 * side only, agrees on every stack the Go runtime writes.) */
uint32_t lh_stacks_leaf(const lh_stacks *s, const lh_stack_sample *smp);

/* Whether a function name belongs to the Go runtime (runtime.*, its
 * internal packages, and its halves of other packages such as
 * sync.runtime_SemacquireMutex), which the analyses hide at the leaf. */
int lh_is_runtime_function(const char *name);

#endif
