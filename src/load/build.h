/* Build constraints: which .go files of a directory the go command would
 * compile for one target, decided as go/build decides it for the Go
 * release the context names (1.19 .. 1.27 known; see build.c's tables).
 *
 * Three filters, in the order go/build applies them:
 *   1. the file name: _GOOS, _GOARCH and _GOOS_GOARCH suffixes (before an
 *      optional _test) against the ports that release knows (syslist.go;
 *      wasip1 from Go 1.21 on);
 *   2. the header's `//go:build EXPR` line (&&, ||, !, parentheses); a
 *      malformed one is an error, as it is for the go command;
 *   3. without a //go:build line, the legacy `// +build` lines of the
 *      header that a blank line separates from the package clause (spaces
 *      are OR, commas AND, several lines AND; malformed terms never match,
 *      as in go/build/constraint).
 * A tag holds when it is GOOS or GOARCH (android also satisfies linux,
 * illumos solaris, ios darwin), "unix" on a Unix GOOS, "gc", "cgo" when
 * cgo is on, a release tag go1.1 .. go1.<release>, one of the -tags, or
 * one of the tool tags the go command of that release defines:
 *   goexperiment.NAME  for each experiment on: the release's defaults for
 *                      GOOS/GOARCH (internal/buildcfg), changed by
 *                      GOEXPERIMENT as the go command parses it (NAME,
 *                      noNAME, none, the regabi alias);
 *   GOARCH.FEATURE     from Go 1.21 on, the architecture levels GO386,
 *                      GOAMD64, GOARM, GOARM64, GOMIPS, GOMIPS64, GOPPC64,
 *                      GORISCV64 select: amd64.v1 .. amd64.vN, arm.5 ..
 *                      arm.N, ppc64.power8 .., 386.sse2, ...
 * Everything else (e.g. "ignore") is false. */
#ifndef LH_LOAD_BUILD_H
#define LH_LOAD_BUILD_H

#include <stdbool.h>
#include <stddef.h>

typedef struct lh_build_ctx {
    const char *goos, *goarch;      /* default linux/amd64 */
    bool cgo;                       /* CGO_ENABLED; off by default */
    int release;                    /* the Go release acted as, 1.N: release
                                     * tags go1.1 .. go1.N, its experiments
                                     * and ports. 0: not decided -- the
                                     * loader takes it from go.mod
                                     * (lh_gomod_release); matching treats
                                     * it as LH_BUILD_RELEASE_NEWEST */
    const char *const *tags;        /* -tags a,b */
    size_t ntags;
    const char *goexperiment;       /* GOEXPERIMENT; NULL or "": defaults */
    const char *goarch_level;       /* the value of GO<GOARCH> (GOAMD64=v3,
                                     * GOARM=6, ...); NULL or "": default */
} lh_build_ctx;

/* The newest release whose experiments and ports the tables know. Newer
 * releases get their release tags and these tables. Releases before the
 * oldest get the oldest's tables. */
enum { LH_BUILD_RELEASE_NEWEST = 27, LH_BUILD_RELEASE_OLDEST = 19 };

/* linux/amd64, no cgo, release undecided (0), no GOEXPERIMENT. */
void lh_build_ctx_default(lh_build_ctx *c);

/* GOOS and GOARCH values known to go/build of the newest release. */
bool lh_build_known_os(const char *s, size_t n);
bool lh_build_known_arch(const char *s, size_t n);

/* Whether the go command of c's release would accept c's GOEXPERIMENT
 * and GO<GOARCH> values. Returns 0, or -1 with the go command's kind of
 * message in err ("unknown GOEXPERIMENT swissmap", "invalid GOAMD64: must
 * be v1, v2, v3, v4"). */
int lh_build_check(const lh_build_ctx *c, char *err, size_t errlen);

/* The environment variable that sets goarch's level (GOAMD64 for amd64,
 * GOARM for arm, ...), NULL when it has none. */
const char *lh_build_level_var(const char *goarch);

/* Whether experiment name[0..n) (lower case, without "goexperiment.") is
 * on for c. */
bool lh_build_experiment(const lh_build_ctx *c, const char *name, size_t n);

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
