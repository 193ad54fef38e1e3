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
/* Grow the most recent allocation in place when possible, else copy;
 * shrinking the most recent allocation gives the rest back. */
void *lh_arena_realloc(lh_arena *a, void *p, size_t old_n, size_t new_n);
/* Forget everything but keep the first block for reuse. */
void lh_arena_reset(lh_arena *a);
void lh_arena_free(lh_arena *a);
/* Whether p points into memory of a (a walk over its blocks). */
bool lh_arena_owns(const lh_arena *a, const void *p);

/* Big buffers outside any arena (hash tables, flattened trees) from the
 * same recycled memory as arena blocks. A scan makes and drops arenas
 * and tables for thousands of packages; handing freed blocks back to
 * malloc makes glibc unmap and trim them, and each fresh page costs a
 * fault, a cleared page and, while another thread runs, a TLB shootdown.
 * So freed blocks of 64 KiB and more wait in a cache shared by all
 * threads, bounded in bytes, for the next arena or table to take.
 * lh_pool_alloc returns uninitialised memory (any n; small ones are
 * plain malloc); lh_pool_free takes the n it was given. */
void *lh_pool_alloc(size_t n);
void lh_pool_free(void *p, size_t n);
/* Sets the most bytes the cache may hold (0: none, every block goes back
 * to malloc at once) and returns the old bound; the default is 0 under
 * AddressSanitizer, so that a use after free is a freed block ASan
 * watches. lh_pool_cached: the bytes held now. For tests and tuning. */
size_t lh_pool_set_limit(size_t bytes);
size_t lh_pool_cached(void);

#define LH_NEW(a, T) ((T *)lh_arena_alloc((a), sizeof(T)))
#define LH_NEWN(a, T, n) ((T *)lh_arena_alloc((a), sizeof(T) * (size_t)(n)))

#endif
