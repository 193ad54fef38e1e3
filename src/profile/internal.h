/* Shared by the decoders in src/profile/ only; analyses use profile.h.
 *
 * Every decoder gets a fresh profile (arena initialised, defaults set) and
 * the inflated bytes, fills the profile, and on failure writes the problem
 * (without the input's name, which the caller prepends) to err. */
#ifndef LH_PROFILE_INTERNAL_H
#define LH_PROFILE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "profile/profile.h"

/* max_messages bounds the number of (sub)messages: protobuf-c spends
 * ~50 bytes of memory on a message that can cost 2 bytes of input. */
int lh_profile_decode_pb(lh_profile *p, const unsigned char *data, size_t len,
                         size_t max_messages, char *err, size_t errlen);
int lh_profile_decode_heap_text(lh_profile *p, const char *text, size_t len,
                                char *err, size_t errlen);
/* debug=1 ("goroutine profile: total N", also goroutineleak) */
int lh_profile_decode_goroutine_text(lh_profile *p, const char *text, size_t len,
                                     char *err, size_t errlen);
/* debug=2 dumps and tracebacks ("goroutine N [state]:") */
int lh_profile_decode_goroutine_dump(lh_profile *p, const char *text, size_t len,
                                     char *err, size_t errlen);

/* ---- string -> index map ------------------------------------------------ */

typedef struct lh_pmap {
    struct lh_pmap_slot *slots;
    size_t cap, len;
} lh_pmap;

/* Returns the index stored for key, or stores and returns next when the key
 * is new; *added tells which. key is copied. */
size_t lh_pmap_intern(lh_pmap *m, const char *key, size_t keylen, size_t next,
                      int *added);
void lh_pmap_free(lh_pmap *m);

/* ---- builder for the text formats ---------------------------------------
 *
 * Text formats name frames, not ids: the builder dedupes functions by
 * (name, file) and locations by their frames, collects samples with plain
 * indices while the arrays grow, and turns it all into the pointer model
 * in one go at the end. */

#define LH_PBUILD_NOFN ((size_t)-1)

typedef struct lh_pbuild_frame {
    uint64_t pc;                /* 0 when the format prints none */
    size_t fn;                  /* index into functions; LH_PBUILD_NOFN for
                                   an unsymbolized address */
    int64_t line;
} lh_pbuild_frame;

typedef struct lh_pbuild {
    lh_profile *p;
    size_t nvalues;

    lh_pmap fnmap, locmap;
    struct { const char *name, *file; } *fns;
    size_t nfns, capfns;
    struct { uint64_t pc; size_t first, n; } *locs;   /* into lines */
    size_t nlocs, caplocs;
    lh_pbuild_frame *lines;
    size_t nlines, caplines;

    struct lh_pbuild_sample *samples;
    size_t nsamples, capsamples;
    size_t *stack;              /* location indices of all samples */
    size_t nstack, capstack;
    int64_t *values;            /* nvalues per sample, all samples */
    size_t nvals, capvals;

    char *key;                  /* scratch for map keys */
    size_t keycap;

    /* the sample being assembled */
    lh_pbuild_frame *cur;
    size_t ncur, capcur;
    lh_profile_label *curlabels;
    size_t ncurlabels, capcurlabels;
} lh_pbuild;

void lh_pbuild_init(lh_pbuild *b, lh_profile *p, const char *const types[][2],
                    size_t ntypes);
/* Adds a frame (leaf first) to the current sample. Consecutive frames with
 * the same nonzero pc are one location with inlined lines. */
void lh_pbuild_frame_add(lh_pbuild *b, uint64_t pc, const char *fn, size_t fnlen,
                         const char *file, size_t filelen, int64_t line);
/* Adds an unsymbolized address (a location with no lines). */
void lh_pbuild_addr_add(lh_pbuild *b, uint64_t pc);
void lh_pbuild_label(lh_pbuild *b, const char *key, size_t keylen,
                     const char *val, size_t vallen);
void lh_pbuild_num_label(lh_pbuild *b, const char *key, int64_t num,
                         const char *unit);
/* Ends the current sample; values has nvalues entries; g may be NULL and is
 * copied. */
void lh_pbuild_sample_end(lh_pbuild *b, const int64_t *values, const lh_goroutine *g);
/* Moves everything into b->p and frees the builder. */
void lh_pbuild_finish(lh_pbuild *b);
void lh_pbuild_free(lh_pbuild *b);

/* ---- small text helpers -------------------------------------------------- */

/* One line of text: [s, e) without the newline (and without a '\r'). */
typedef struct lh_tline {
    const char *s, *e;
} lh_tline;

/* Next line at *pos; returns 0 at the end of the text. */
int lh_tline_next(const char *text, size_t len, size_t *pos, lh_tline *out);
/* Parses a decimal int64 at *s (optional '-'), advancing *s; -1 on
 * overflow or no digits. */
int lh_parse_i64(const char **s, const char *e, int64_t *out);
/* Parses "0x..." hex at *s, advancing; -1 on overflow or no digits. */
int lh_parse_hex(const char **s, const char *e, uint64_t *out);
void lh_skip_space(const char **s, const char *e);
/* A frame comment of the debug=1 formats, after its '#':
 *   "\t0x4b79f0\tmain.allocBig+0x30\t./main.go:29"
 * Adds the frame to b's current sample; -1 if the line is not one. */
int lh_pbuild_hash_frame(lh_pbuild *b, const char *s, const char *e);
/* Splits "file:line" at its last colon; *line 0 when there is none. */
void lh_split_file_line(const char *s, const char *e, const char **fe, int64_t *line);

#endif
