/* The visit order of lh_load_each, on a graph of packages by index (the
 * loader's packages in import path order) and their imports among them.
 * Internal to src/load. */
#ifndef LH_LOAD_ORDER_H
#define LH_LOAD_ORDER_H

#include <stdbool.h>
#include <stddef.h>

typedef struct lh_load_edge {
    size_t to;              /* the imported package */
    bool hard;              /* from a Go or cgo file (not only tests) */
} lh_load_edge;

/* Package i's imports are e[off[i] .. off[i+1]), sorted by to, one per
 * target, none to i itself. Returns a malloc'd permutation of 0..n-1 in
 * which every package comes after its hard imports (Go forbids cycles of
 * those; one in broken code is broken the same way every run) and after
 * its other imports except where they lie on cycles, which are ordered to
 * leave few of those late (load.h says how). Deterministic: a function of
 * the graph alone; iterative, so a chain of any length is fine. */
size_t *lh_load_order(size_t n, const size_t *off, const lh_load_edge *e);

#endif
