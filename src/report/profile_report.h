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
void lh_report_top_json(lh_buf *b, const lh_top_result *r, size_t limit, const char *profile);

#endif
