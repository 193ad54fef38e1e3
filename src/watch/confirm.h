/* The join of the two halves (watch --source): a runtime suspect whose
 * user frame lies in a static finding's function, or on its line, is
 * confirmed by that finding. */
#ifndef LH_WATCH_CONFIRM_H
#define LH_WATCH_CONFIRM_H

#include <stddef.h>

#include "report/findings.h"
#include "util/arena.h"
#include "watch/watch.h"

/* Sets confirmed_by on each of the n suspects that a finding of fs
 * matches (built in a; the rest keep theirs), leaving the order alone:
 * the ranking is the caller's. source_dir is the directory scanned: file
 * names of findings are taken relative to it, and matched against the
 * tail of the profile's (absolute, build machine's) file names. A match
 * on the line itself beats one on the function; a finding outside any
 * function (a package-level cache) matches a suspect in the same
 * directory whose function its message says grows it. */
void lh_watch_join(lh_watch_suspect *sus, size_t n, const lh_findings *fs,
                   const char *source_dir, lh_arena *a);

/* Exposed for tests: "example.com/m/pkg.(*T).M.func1.2" -> "(*T).M", the
 * name scan gives the declared function. */
const char *lh_watch_declared_func(const char *symbol, lh_arena *a);

#endif
