/* A hash map from pointers to pointers: the side tables of the semantic
 * layer (identifier -> object, expression -> type) are keyed by node
 * address, so the tree stays as the parser made it.
 *
 * Open addressing with linear probing; keys are never NULL, values may be.
 * No deletion: side tables only grow while a package is analysed and die
 * with it. */
#ifndef LH_UTIL_PTRMAP_H
#define LH_UTIL_PTRMAP_H

#include <stdbool.h>
#include <stddef.h>

/* A key and its value side by side: a lookup touches one cache line. */
typedef struct lh_ptrmap_slot {
    const void *key;
    void *val;
} lh_ptrmap_slot;

typedef struct lh_ptrmap {
    lh_ptrmap_slot *slots;
    size_t n, cap;          /* cap: 0 or a power of two */
} lh_ptrmap;

#define LH_PTRMAP_INIT {NULL, 0, 0}

/* Sets key to val (replacing any earlier value). */
void lh_ptrmap_put(lh_ptrmap *m, const void *key, void *val);
/* Makes room for n keys in all, so that filling a map whose size is
 * known roughly does not rehash it again and again. */
void lh_ptrmap_reserve(lh_ptrmap *m, size_t n);
/* The value of key, or NULL when absent (use lh_ptrmap_has to tell a
 * stored NULL apart). */
void *lh_ptrmap_get(const lh_ptrmap *m, const void *key);
bool lh_ptrmap_has(const lh_ptrmap *m, const void *key);
void lh_ptrmap_free(lh_ptrmap *m);

#endif
