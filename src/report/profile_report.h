/* Text and JSON for the profile analyses' results (top, diff, trend,
 * goroutines). Knows the result structs of src/analysis, nothing else. */
#ifndef LH_REPORT_PROFILE_REPORT_H
#define LH_REPORT_PROFILE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/analysis.h"
#include "util/buf.h"

/* v in unit, scaled the way pprof prints it: "1.50MB", "830kB", "12ms";
 * counts and unknown units as plain integers. */
void lh_report_value(lh_buf *b, int64_t v, const char *unit);

/* title: the line(s) that say what was analysed ("File: heap.pb.gz"). At
 * most limit entries (0: all). */
void lh_report_top_text(lh_buf *b, const lh_top_result *r, size_t limit, const char *title);
/* base: diff's BASE profile, NULL for top. */
void lh_report_top_json(lh_buf *b, const lh_top_result *r, size_t limit, const char *profile,
                        const char *base);

/* names[i] is snapshot i as given on the command line. Text shows every
 * growing site, at most limit plateau sites (0: all), and counts the rest. */
void lh_report_trend_text(lh_buf *b, const lh_trend_result *r, const char *const *names,
                          size_t limit);
void lh_report_trend_json(lh_buf *b, const lh_trend_result *r, const char *const *names,
                          const int64_t *times);

/* names[i] is dump i as given on the command line. Text lists every
 * suspect and at most limit other groups (0: all). */
void lh_report_goroutines_text(lh_buf *b, const lh_goroutine_result *r,
                               const char *const *names, size_t limit);
void lh_report_goroutines_json(lh_buf *b, const lh_goroutine_result *r,
                               const char *const *names, const int64_t *times);

#endif
