/* Watch reports built in memory for the HTML report's tests: the unit test
 * (tests/unit/test_watch_html.c) checks their markup, the browser test
 * (tests/t_watch_html.sh, through lh_watchhtml) renders them. */
#ifndef LH_TESTS_WATCHHTML_FIXTURES_H
#define LH_TESTS_WATCHHTML_FIXTURES_H

#include "util/arena.h"
#include "watch/watch.h"

/* The fixtures, by name:
 *   leak     40 snapshots, NAN gaps, a restart, notes; three suspects (a
 *            confirmed heap site in a generic method whose source is under
 *            source_dir/svc/cache.go:16, blocked senders, unclosed bodies)
 *   steady   warm-up then flat: no suspects
 *   empty    no snapshots at all
 *   one      a single snapshot and one suspect
 *   hostile  markup, quotes, controls and invalid UTF-8 in every string;
 *            infinities, 1e300, negative growth, NAN confidence
 *   many     100 suspects
 *   rss      --pid: process memory only, no heap or goroutines
 *   long     86,400 snapshots (a day, one a second) with one spike
 * source_dir may be NULL (no source lines). */
extern const char *const lhw_fixture_names[];
extern const size_t lhw_nfixtures;

/* NULL for an unknown name. */
const lh_watch_report *lhw_fixture(lh_arena *a, const char *name, const char *source_dir);

#endif
