/* Durations as Go writes them (time.ParseDuration, time.Duration.String):
 * "2s", "500ms", "1m30s", "1.5h", "0". Every option that takes a length of
 * time takes this form, so a value written for a Go tool works here too. */
#ifndef LH_UTIL_DURATION_H
#define LH_UTIL_DURATION_H

#include <stddef.h>
#include <stdint.h>

enum { LH_DURATION_MAX_TEXT = 32 };

/* s -> nanoseconds. Units ns, us (µs, μs), ms, s, m, h; each number may
 * have a fraction; a sign may lead; "0" needs no unit. Returns 0, or -1
 * with *why (a static phrase: "missing unit", "unknown unit", "overflow",
 * "not a duration") when s is not one. */
int lh_duration_parse(const char *s, int64_t *ns, const char **why);

/* ns as Go prints a time.Duration ("1m30s", "500ms", "0s") into out, which
 * holds at least LH_DURATION_MAX_TEXT bytes; returns out. */
char *lh_duration_format(int64_t ns, char *out, size_t outlen);

/* "1 minute", "2 minutes": n and the right one of two forms. */
const char *lh_plural(long long n, const char *one, const char *many);

#endif
