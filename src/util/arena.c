#include "util/arena.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define LH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LH_ASAN 1
#endif
#endif
#ifdef LH_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

struct lh_arena_block {
    lh_arena_block *next;
    size_t size;                /* usable bytes after the header */
    alignas(max_align_t) char data[];
};

#define LH_ALIGN (alignof(max_align_t))

static void *lh_xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fprintf(stderr, "leakhound: out of memory (%zu bytes)\n", n);
        abort();
    }
    return p;
}

/* The pool: memory in units of POOL_MIN << k bytes, k < POOL_CLASSES.
 * Powers of two, so that a unit one arena or table gave back fits the
 * next that asks for the same class; requests of more than the largest
 * class are malloc'd as asked and never cached. */
enum { POOL_MIN = 64 * 1024, POOL_CLASSES = 12 };     /* 64 KiB .. 128 MiB */

/* A cached unit: the link lives in its first bytes. */
typedef struct pool_unit {
    struct pool_unit *next;
} pool_unit;

#ifdef LH_ASAN
#define POOL_DEFAULT_LIMIT 0
#else
/* Most of what the arenas and tables of a package two workers have in
 * hand give back (the Debian Go corpus in one scan: 27% fewer page
 * faults at 32 MiB, 37% at 64 MiB), without the pool adding much to the
 * peak (+11% at 32 MiB, +15% at 64 MiB; bench/README.md). A unit that does not fit
 * goes back to malloc at once, which hands the same pages to the next
 * request; evicting the oldest units instead did worse. */
#define POOL_DEFAULT_LIMIT ((size_t)32 << 20)
#endif

/* One lock for every thread: a unit is 64 KiB or more of work, so the
 * lock is taken rarely and held for a list push or pop. */
static struct {
    pthread_mutex_t mu;
    pool_unit *free[POOL_CLASSES];
    size_t bytes, limit;
} pool = {PTHREAD_MUTEX_INITIALIZER, {NULL}, 0, POOL_DEFAULT_LIMIT};

/* The class whose units hold n bytes, or -1 when n is above them all. */
static int pool_class(size_t n)
{
    size_t u = POOL_MIN;
    for (int k = 0; k < POOL_CLASSES; k++, u *= 2)
        if (n <= u)
            return k;
    return -1;
}

static void *pool_get(int k)
{
    size_t size = (size_t)POOL_MIN << k;
    pthread_mutex_lock(&pool.mu);
    pool_unit *u = pool.free[k];
    if (u) {
        UNPOISON(u, size);
        pool.free[k] = u->next;
        pool.bytes -= size;
    }
    pthread_mutex_unlock(&pool.mu);
    return u ? (void *)u : lh_xmalloc(size);
}

static void pool_put(void *p, int k)
{
    size_t size = (size_t)POOL_MIN << k;
    pthread_mutex_lock(&pool.mu);
    bool keep = pool.bytes + size <= pool.limit;
    if (keep) {
        pool_unit *u = p;
        u->next = pool.free[k];
        pool.free[k] = u;
        pool.bytes += size;
        /* What was given back is off limits until taken again; the
         * link stays readable for the list. */
        POISON((char *)p + sizeof *u, size - sizeof *u);
    }
    pthread_mutex_unlock(&pool.mu);
    if (!keep)
        free(p);
}

void *lh_pool_alloc(size_t n)
{
    int k = n >= POOL_MIN ? pool_class(n) : -1;
    return k >= 0 ? pool_get(k) : lh_xmalloc(n ? n : 1);
}

void lh_pool_free(void *p, size_t n)
{
    if (!p)
        return;
    int k = n >= POOL_MIN ? pool_class(n) : -1;
    if (k >= 0)
        pool_put(p, k);
    else
        free(p);
}

size_t lh_pool_set_limit(size_t bytes)
{
    pool_unit *drop[POOL_CLASSES] = {NULL};
    pthread_mutex_lock(&pool.mu);
    size_t old = pool.limit;
    pool.limit = bytes;
    /* Shrinking the bound lets go of everything held: the callers are
     * tests and tuning, not a hot path. */
    if (pool.bytes > bytes) {
        memcpy(drop, pool.free, sizeof drop);
        memset(pool.free, 0, sizeof pool.free);
        pool.bytes = 0;
    }
    pthread_mutex_unlock(&pool.mu);
    for (int k = 0; k < POOL_CLASSES; k++)
        while (drop[k]) {
            pool_unit *next = drop[k]->next;
            UNPOISON(drop[k], (size_t)POOL_MIN << k);
            free(drop[k]);
            drop[k] = next;
        }
    return old;
}

size_t lh_pool_cached(void)
{
    pthread_mutex_lock(&pool.mu);
    size_t n = pool.bytes;
    pthread_mutex_unlock(&pool.mu);
    return n;
}

void lh_arena_init(lh_arena *a)
{
    a->head = NULL;
    a->ptr = a->end = NULL;
    a->total = 0;
}

static void block_free(lh_arena_block *b)
{
    lh_pool_free(b, sizeof *b + b->size);
}

static void lh_arena_grow(lh_arena *a, size_t n)
{
    /* Blocks double with use so a big file costs O(log n) mallocs; each
     * is a whole pool unit, the header included. */
    size_t size = a->head ? a->head->size * 2 : POOL_MIN - sizeof(lh_arena_block);
    if (size < n + LH_ALIGN)
        size = n + LH_ALIGN;
    int k = pool_class(sizeof(lh_arena_block) + size);
    if (k >= 0)
        size = ((size_t)POOL_MIN << k) - sizeof(lh_arena_block);
    lh_arena_block *b = lh_pool_alloc(sizeof *b + size);
    b->size = size;
    b->next = a->head;
    a->head = b;
    a->ptr = b->data;
    a->end = b->data + size;
    a->total += size;
}

void *lh_arena_alloc_raw(lh_arena *a, size_t n)
{
    uintptr_t p = ((uintptr_t)a->ptr + (LH_ALIGN - 1)) & ~(uintptr_t)(LH_ALIGN - 1);
    if (!a->ptr || n > (size_t)((uintptr_t)a->end - p)) {
        lh_arena_grow(a, n);
        p = (uintptr_t)a->ptr;
    }
    a->ptr = (char *)(p + n);
    return (void *)p;
}

void *lh_arena_alloc(lh_arena *a, size_t n)
{
    void *p = lh_arena_alloc_raw(a, n);
    memset(p, 0, n);
    return p;
}

char *lh_arena_strndup(lh_arena *a, const char *s, size_t n)
{
    char *d = lh_arena_alloc_raw(a, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *lh_arena_strdup(lh_arena *a, const char *s)
{
    return lh_arena_strndup(a, s, strlen(s));
}

void *lh_arena_realloc(lh_arena *a, void *p, size_t old_n, size_t new_n)
{
    if (p && (char *)p + old_n == a->ptr) {
        /* The newest allocation grows or shrinks where it is. */
        if (new_n <= old_n) {
            a->ptr = (char *)p + new_n;
            return p;
        }
        if (new_n - old_n <= (size_t)(a->end - a->ptr)) {
            a->ptr += new_n - old_n;
            return p;
        }
    }
    void *q = lh_arena_alloc_raw(a, new_n);
    if (p)
        memcpy(q, p, old_n < new_n ? old_n : new_n);
    return q;
}

void lh_arena_reset(lh_arena *a)
{
    if (!a->head)
        return;
    /* Keep the largest (newest) block: the next file is likely similar. */
    lh_arena_block *keep = a->head, *b = keep->next;
    while (b) {
        lh_arena_block *next = b->next;
        block_free(b);
        b = next;
    }
    keep->next = NULL;
    a->head = keep;
    a->ptr = keep->data;
    a->end = keep->data + keep->size;
    a->total = keep->size;
}

void lh_arena_free(lh_arena *a)
{
    lh_arena_block *b = a->head;
    while (b) {
        lh_arena_block *next = b->next;
        block_free(b);
        b = next;
    }
    lh_arena_init(a);
}

bool lh_arena_owns(const lh_arena *a, const void *p)
{
    const char *c = p;
    for (const lh_arena_block *b = a->head; b; b = b->next)
        if (c >= b->data && c < b->data + b->size)
            return true;
    return false;
}
