/* go.mod: the two lines the loader needs (module path, go version) and the
 * walk up from a directory to the main module's root. */
#ifndef LH_LOAD_GOMOD_H
#define LH_LOAD_GOMOD_H

#include <stddef.h>

typedef struct lh_gomod {
    char module[1024];      /* module path, unquoted */
    char go[32];            /* the go line's version, "" when absent */
} lh_gomod;

/* Parses go.mod text: `module PATH` (PATH bare or quoted, also in a
 * `module ( ... )` block) and `go VERSION`; // comments anywhere; every
 * other directive and block (require, replace, exclude, retract, ...) is
 * skipped. Returns 0, or -1 with a reason in err when there is no module
 * line or it has no path. */
int lh_gomod_parse(const char *src, size_t len, lh_gomod *out, char *err, size_t errlen);

/* Walks up from the absolute directory dir to the nearest go.mod. Returns
 * 1 with the root's absolute path in root (size rootlen), 0 when there is
 * none. */
int lh_gomod_find_root(const char *dir, char *root, size_t rootlen);

#endif
