/* Saturating int64 arithmetic for profile values.
 *
 * Profiles are untrusted input: any sample value, count or timestamp can be
 * INT64_MIN..INT64_MAX, and sums of them (totals, merged stacks, diffs)
 * overflow, which in C is undefined behaviour. Every such sum goes through
 * these, so a hostile file yields a pinned value instead of a wrapped one. */
#ifndef LH_UTIL_SATMATH_H
#define LH_UTIL_SATMATH_H

#include <stdint.h>

static inline int64_t lh_sat_add(int64_t a, int64_t b)
{
    if (b > 0 && a > INT64_MAX - b)
        return INT64_MAX;
    if (b < 0 && a < INT64_MIN - b)
        return INT64_MIN;
    return a + b;
}

/* -v, with -INT64_MIN pinned to INT64_MAX. */
static inline int64_t lh_sat_neg(int64_t v)
{
    return v == INT64_MIN ? INT64_MAX : -v;
}

static inline int64_t lh_sat_abs(int64_t v)
{
    return v < 0 ? lh_sat_neg(v) : v;
}

/* A double (a slope, a scaled value) as int64, clamped; NaN is 0. */
static inline int64_t lh_sat_from_double(double d)
{
    if (d != d)
        return 0;
    if (d >= 9223372036854775807.0)
        return INT64_MAX;
    if (d <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)d;
}

#endif
