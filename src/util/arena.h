/* Region allocator for per-file and per-profile memory.
 *
 * Everything built while parsing one file (tokens' text, AST nodes, lists)
 * or decoding one profile lives in one arena and dies with it: no frees on
 * the hot path, and peak memory stays flat across thousands of files because
 * lh_arena_reset() keeps the first block for the next file. */
#ifndef LH_UTIL_ARENA_H
#define LH_UTIL_ARENA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct lh_arena_block lh_arena_block;

typedef struct lh_arena {
    lh_arena_block *head;   /* current block; older blocks chain behind it */
    char *ptr, *end;        /* free space in the current block */
    size_t total;           /* bytes obtained from malloc, for limits/stats */
} lh_arena;

void lh_arena_init(lh_arena *a);
/* Zeroed memory, aligned for any object. Aborts on out-of-memory: the
 * callers are batch tools for which OOM is not recoverable. */
void *lh_arena_alloc(lh_arena *a, size_t n);
/* Uninitialised memory (for bulk copies where zeroing is wasted work). */
void *lh_arena_alloc_raw(lh_arena *a, size_t n);
char *lh_arena_strndup(lh_arena *a, const char *s, size_t n);
char *lh_arena_strdup(lh_arena *a, const char *s);
/* Grow the most recent allocation in place when possible, else copy. */
void *lh_arena_realloc(lh_arena *a, void *p, size_t old_n, size_t new_n);
/* Forget everything but keep the first block for reuse. */
void lh_arena_reset(lh_arena *a);
void lh_arena_free(lh_arena *a);
/* Whether p points into memory of a (a walk over its blocks). */
bool lh_arena_owns(const lh_arena *a, const void *p);

#define LH_NEW(a, T) ((T *)lh_arena_alloc((a), sizeof(T)))
#define LH_NEWN(a, T, n) ((T *)lh_arena_alloc((a), sizeof(T) * (size_t)(n)))

#endif
