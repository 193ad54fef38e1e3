/* go.mod: the lines the loader needs (module path, go version, toolchain),
 * the walk up from a directory to the main module's root, and the Go
 * release the go command would run for a module; go.work's use lines. */
#ifndef LH_LOAD_GOMOD_H
#define LH_LOAD_GOMOD_H

#include <stddef.h>

typedef struct lh_gomod {
    char module[1024];      /* module path, unquoted */
    char go[32];            /* the go line's version, "" when absent */
    char toolchain[64];     /* the toolchain line's name, "" when absent */
} lh_gomod;

/* Parses go.mod text: `module PATH` (PATH bare or quoted, also in a
 * `module ( ... )` block), `go VERSION` and `toolchain NAME`; // comments
 * anywhere; every
 * other directive and block (require, replace, exclude, retract, ...) is
 * skipped. Returns 0, or -1 with a reason in err when there is no module
 * line or it has no path. */
int lh_gomod_parse(const char *src, size_t len, lh_gomod *out, char *err, size_t errlen);

/* go.work's use directives (`use DIR`, `use ( DIR ... )`, DIR bare or
 * quoted, relative to the go.work's directory or absolute): calls fn with
 * each directory as written, in order. Other directives are skipped. */
void lh_gowork_uses(const char *src, size_t len, void (*fn)(void *ctx, const char *dir),
                    void *ctx);

/* The go.work the go command would use from the absolute directory cwd:
 * GOWORK (gowork) when set to a path, none when it is "off", else the
 * nearest go.work from cwd up. Returns 1 with its path in out (size
 * outlen), 0 when there is none. */
int lh_gowork_find(const char *cwd, const char *gowork, char *out, size_t outlen);

/* Walks up from the absolute directory dir to the nearest go.mod. Returns
 * 1 with the root's absolute path in root (size rootlen), 0 when there is
 * none. */
int lh_gomod_find_root(const char *dir, char *root, size_t rootlen);

/* The minor version N of a Go version ("1.N", "1.N.P", "1.NrcK", "1.NbetaK")
 * or, with toolchain set, of a toolchain name ("go1.N.P", "go1.N.P-suffix",
 * "prefix-go1.N.P"); 0 when s is neither. */
int lh_gomod_minor(const char *s, int toolchain);

/* The release (minor version of Go 1) the go command would run for the
 * main module m (NULL: no go.mod) under GOTOOLCHAIN=gotoolchain (NULL or
 * "": auto), as its toolchain selection decides:
 *   NAME             that toolchain, whatever go.mod says;
 *   NAME+auto/+path  at least NAME, newer when go.mod asks for newer;
 *   auto, path, local, local+auto ...: what go.mod asks for.
 * go.mod asks for the newer of its go line and its toolchain line
 * (`toolchain default` asks for nothing). Unlike the go command, leakhound
 * has no local toolchain to use as the floor: the module's own ask is
 * taken, so a module saying `go 1.21` is read as Go 1.21 reads it. Returns
 * 0 when nothing names a version (no go.mod, no go line, unparsable). */
int lh_gomod_release(const lh_gomod *m, const char *gotoolchain);

#endif
