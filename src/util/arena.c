#include "util/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lh_arena_block {
    lh_arena_block *next;
    size_t size;                /* usable bytes after the header */
    alignas(max_align_t) char data[];
};

enum { LH_ARENA_MIN_BLOCK = 64 * 1024 };
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

void lh_arena_init(lh_arena *a)
{
    a->head = NULL;
    a->ptr = a->end = NULL;
    a->total = 0;
}

static void lh_arena_grow(lh_arena *a, size_t n)
{
    /* Blocks double with use so a big file costs O(log n) mallocs. */
    size_t size = a->head ? a->head->size * 2 : LH_ARENA_MIN_BLOCK;
    if (size < n + LH_ALIGN)
        size = n + LH_ALIGN;
    lh_arena_block *b = lh_xmalloc(sizeof *b + size);
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
    if (p && (char *)p + old_n == a->ptr && new_n >= old_n &&
        new_n - old_n <= (size_t)(a->end - a->ptr)) {
        a->ptr += new_n - old_n;
        return p;
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
        free(b);
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
        free(b);
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
