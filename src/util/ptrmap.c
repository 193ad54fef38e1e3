#include "util/ptrmap.h"

#include <stdint.h>
#include <string.h>

#include "util/arena.h"

/* Node addresses are 8- or 16-byte aligned and close together: mix the bits
 * so neighbours do not share probe runs. */
static size_t hash_ptr(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

static size_t find_slot(const lh_ptrmap_slot *slots, size_t cap, const void *key)
{
    size_t i = hash_ptr(key) & (cap - 1);
    while (slots[i].key && slots[i].key != key)
        i = (i + 1) & (cap - 1);
    return i;
}

static void resize(lh_ptrmap *m, size_t ncap)
{
    /* Tables come and go with each package: the pool hands back pages a
     * table of the last package used. Zeroed here, not by calloc: fresh
     * pages calloc leaves to the kernel would be read first (a probe),
     * mapping the shared zero page, and written next, a second fault
     * that flushes the TLB of every CPU running the scan. */
    lh_ptrmap_slot *ns = lh_pool_alloc(ncap * sizeof *ns);
    memset(ns, 0, ncap * sizeof *ns);
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            ns[find_slot(ns, ncap, m->slots[i].key)] = m->slots[i];
    lh_pool_free(m->slots, m->cap * sizeof *m->slots);
    m->slots = ns;
    m->cap = ncap;
}

void lh_ptrmap_reserve(lh_ptrmap *m, size_t n)
{
    size_t ncap = m->cap ? m->cap : 64;
    while (ncap < 2 * n)
        ncap *= 2;
    if (ncap > m->cap)
        resize(m, ncap);
}

void lh_ptrmap_put(lh_ptrmap *m, const void *key, void *val)
{
    /* Load factor at most 1/2 keeps probe runs short. */
    if (2 * (m->n + 1) > m->cap)
        resize(m, m->cap ? m->cap * 2 : 64);
    lh_ptrmap_slot *s = &m->slots[find_slot(m->slots, m->cap, key)];
    if (!s->key) {
        s->key = key;
        m->n++;
    }
    s->val = val;
}

void *lh_ptrmap_get(const lh_ptrmap *m, const void *key)
{
    if (m->cap == 0)
        return NULL;
    const lh_ptrmap_slot *s = &m->slots[find_slot(m->slots, m->cap, key)];
    return s->key ? s->val : NULL;
}

bool lh_ptrmap_has(const lh_ptrmap *m, const void *key)
{
    return m->cap != 0 && m->slots[find_slot(m->slots, m->cap, key)].key != NULL;
}

void lh_ptrmap_free(lh_ptrmap *m)
{
    lh_pool_free(m->slots, m->cap * sizeof *m->slots);
    *m = (lh_ptrmap)LH_PTRMAP_INIT;
}
