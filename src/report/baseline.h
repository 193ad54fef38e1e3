/* Fingerprints of findings, and baselines built from them.
 *
 * A fingerprint names a finding so that it survives edits elsewhere in
 * the file: it hashes the rule, the declared function holding the finding
 * and the text of the finding's line with all white space removed -- not
 * the line number, which shifts whenever code is added above, nor the
 * message, whose wording may change between releases. Two findings alike
 * in all three (two `defer f.Close()` in one function) are told apart by
 * their occurrence index, counted in line order. A change to the line
 * itself, or moving it to another function, gives a new fingerprint.
 *
 * A baseline is a previous `scan --format json` run: `scan --baseline
 * FILE` reports only the findings whose rule, file and fingerprint are not
 * in it, so a team can adopt leakhound on old code and fail CI only on new
 * leaks. */
#ifndef LH_REPORT_BASELINE_H
#define LH_REPORT_BASELINE_H

#include <stddef.h>
#include <stdint.h>

#include "report/findings.h"

/* The first part of f's fingerprint, from its rule, function and the text
 * of its line in src (len bytes; NULL when unknown: the line counts as
 * empty). Call once per finding, while the file's source is at hand. */
void lh_fingerprint_line(lh_finding *f, const char *src, size_t len);

/* After lh_findings_sort_dedup: folds each finding's occurrence index
 * among the findings of its file with the same first part into its
 * fingerprint. */
void lh_findings_fingerprint(lh_findings *fs);

/* fp with a path folded in: unique across files (the Code Quality
 * report's fingerprint). */
uint64_t lh_fingerprint_with_path(uint64_t fp, const char *path);

/* The fingerprint as printed: 16 lowercase hex digits; buf holds 17. */
void lh_fingerprint_hex(uint64_t fp, char buf[17]);

typedef struct lh_baseline_entry {
    const char *rule, *file;    /* file as the JSON run printed it */
    uint64_t fingerprint;
} lh_baseline_entry;

typedef struct lh_baseline {
    lh_baseline_entry *v;       /* sorted for lookup */
    size_t n, cap;
    lh_arena arena;
} lh_baseline;

/* Reads a `scan --format json` document (src, len bytes). Returns 0, or -1
 * with "LINE:COL: what is wrong" in err: bad JSON, no "findings" array, or
 * a finding without rule, file or fingerprint (a run of a leakhound too
 * old to print them). */
int lh_baseline_parse(lh_baseline *b, const char *src, size_t len, char *err, size_t errlen);
void lh_baseline_free(lh_baseline *b);

/* Drops from fs the findings the baseline holds (their file printed
 * relative to cwd, as the JSON run printed it); returns how many. Call
 * after lh_findings_fingerprint. */
size_t lh_findings_drop_baseline(lh_findings *fs, const lh_baseline *b, const char *cwd);

#endif
