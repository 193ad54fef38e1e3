#include "util/ptrmap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

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

static size_t find_slot(const void **keys, size_t cap, const void *key)
{
    size_t i = hash_ptr(key) & (cap - 1);
    while (keys[i] && keys[i] != key)
        i = (i + 1) & (cap - 1);
    return i;
}

static void grow(lh_ptrmap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 64;
    const void **nk = calloc(ncap, sizeof *nk);
    void **nv = calloc(ncap, sizeof *nv);
    if (!nk || !nv) {
        fprintf(stderr, "leakhound: out of memory (hash map of %zu entries)\n", ncap);
        abort();
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) {
            size_t j = find_slot(nk, ncap, m->keys[i]);
            nk[j] = m->keys[i];
            nv[j] = m->vals[i];
        }
    free(m->keys);
    free(m->vals);
    m->keys = nk;
    m->vals = nv;
    m->cap = ncap;
}

void lh_ptrmap_put(lh_ptrmap *m, const void *key, void *val)
{
    /* Load factor at most 1/2 keeps probe runs short. */
    if (2 * (m->n + 1) > m->cap)
        grow(m);
    size_t i = find_slot(m->keys, m->cap, key);
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->n++;
    }
    m->vals[i] = val;
}

void *lh_ptrmap_get(const lh_ptrmap *m, const void *key)
{
    if (m->cap == 0)
        return NULL;
    size_t i = find_slot(m->keys, m->cap, key);
    return m->keys[i] ? m->vals[i] : NULL;
}

bool lh_ptrmap_has(const lh_ptrmap *m, const void *key)
{
    return m->cap != 0 && m->keys[find_slot(m->keys, m->cap, key)] != NULL;
}

void lh_ptrmap_free(lh_ptrmap *m)
{
    free(m->keys);
    free(m->vals);
    *m = (lh_ptrmap)LH_PTRMAP_INIT;
}
