/* Build constraints: which .go files of a directory the go command would
 * compile for one target, decided as go/build (Go 1.19) decides it.
 *
 * Three filters, in the order go/build applies them:
 *   1. the file name: _GOOS, _GOARCH and _GOOS_GOARCH suffixes (before an
 *      optional _test) against the known ports of syslist.go;
 *   2. the header's `//go:build EXPR` line (&&, ||, !, parentheses); a
 *      malformed one is an error, as it is for the go command;
 *   3. without a //go:build line, the legacy `// +build` lines of the
 *      header that a blank line separates from the package clause (spaces
 *      are OR, commas AND, several lines AND; malformed terms never match,
 *      as in go/build/constraint).
 * A tag holds when it is GOOS or GOARCH (android also satisfies linux,
 * illumos solaris, ios darwin), "unix" on a Unix GOOS, "gc", "cgo" when
 * cgo is on, a release tag go1.1 .. go1.<release_max>, a goexperiment tag
 * the target enables by default, or one of the -tags. Everything else
 * (e.g. "ignore") is false. */
#ifndef LH_LOAD_BUILD_H
#define LH_LOAD_BUILD_H

#include <stdbool.h>
#include <stddef.h>

typedef struct lh_build_ctx {
    const char *goos, *goarch;      /* default linux/amd64 */
    bool cgo;                       /* CGO_ENABLED; off by default */
    int release_max;                /* release tags go1.1 .. go1.N; the go
                                     * command uses its own version, not
                                     * go.mod's; default 22 */
    const char *const *tags;        /* -tags a,b */
    size_t ntags;
} lh_build_ctx;

enum { LH_BUILD_RELEASE_DEFAULT = 22 };

/* linux/amd64, no cgo, release tags to LH_BUILD_RELEASE_DEFAULT. */
void lh_build_ctx_default(lh_build_ctx *c);

bool lh_build_known_os(const char *s, size_t n);
bool lh_build_known_arch(const char *s, size_t n);

/* Whether tag s[0..n) holds for c (go/build Context.matchTag). */
bool lh_build_match_tag(const lh_build_ctx *c, const char *s, size_t n);

/* Filter 1: the base name's _GOOS/_GOARCH suffixes agree with c. */
bool lh_build_match_filename(const lh_build_ctx *c, const char *base);

/* Evaluates the expression of a //go:build line (text after "//go:build").
 * Returns 0 with *ok set, or -1 with go/build/constraint's message in err
 * ("unexpected end of expression", "missing close paren", ...). */
int lh_build_eval_expr(const lh_build_ctx *c, const char *s, size_t n, bool *ok,
                       char *err, size_t errlen);

/* Evaluates one `// +build` line (the whole comment). Returns false when
 * line is not a +build line (then *ok is untouched). */
bool lh_build_eval_plus(const lh_build_ctx *c, const char *line, size_t n, bool *ok);

/* Filters 2 and 3 over a file's bytes: reads the leading comments up to
 * the first non-comment text, as go/build's header reader does. Returns 0
 * with *ok set, or -1 with the reason in err (a malformed //go:build line:
 * "parsing //go:build line: ...", or more than one //go:build line). */
int lh_build_match_header(const lh_build_ctx *c, const char *src, size_t len, bool *ok,
                          char *err, size_t errlen);

#endif
