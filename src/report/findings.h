/* Findings: what the static rules report, and how they are printed.
 *
 * This is the boundary between analysis and output: a finding holds only
 * strings and positions (no AST), so the printers here (vet-style text,
 * JSON, later SARIF) never see the syntax tree. Rule ids, paths and
 * messages are copied into the list's own arena. */
#ifndef LH_REPORT_FINDINGS_H
#define LH_REPORT_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/buf.h"

/* SARIF's levels, so the SARIF printer maps them one to one. */
typedef enum lh_severity {
    LH_SEV_ERROR,
    LH_SEV_WARNING,
    LH_SEV_NOTE,
} lh_severity;

typedef struct lh_finding {
    const char *rule;       /* rule id, "defer-in-loop" */
    const char *file;       /* as the loader named it (see lh_findings_path) */
    uint32_t line, col;     /* 1-based; col in bytes, as go/token */
    uint32_t end_line, end_col;  /* just past the flagged node; 0: unknown */
    lh_severity severity;
    const char *message;
} lh_finding;

typedef struct lh_findings {
    lh_finding *v;
    size_t n, cap;
    lh_arena arena;         /* the strings */
} lh_findings;

void lh_findings_init(lh_findings *fs);
void lh_findings_free(lh_findings *fs);
/* Copies every string of f. */
void lh_findings_add(lh_findings *fs, const lh_finding *f);
/* Moves src's findings to the end of dst (src is left empty, reusable). */
void lh_findings_append(lh_findings *dst, const lh_findings *src);
/* Sorts by file, line, column, rule, message and drops exact duplicates
 * (one defer can be reached through two patterns naming the same file). */
void lh_findings_sort_dedup(lh_findings *fs);

/* The path as vet prints it: relative to cwd when the file lies below it
 * ("pkg/x.go", no "./"), else unchanged. cwd NULL: unchanged. The result
 * points into path. */
const char *lh_findings_path(const char *path, const char *cwd);

/* `file:line:col: rule-id: message` per finding, as go vet prints. */
void lh_findings_text(lh_buf *b, const lh_findings *fs, const char *cwd);
/* A JSON array of {"rule","file","line","col","end_line","end_col",
 * "severity","message"}; an object per finding so SARIF's result (ruleId,
 * location region, level, message) is a field-by-field mapping. */
void lh_findings_json(lh_buf *b, const lh_findings *fs, const char *cwd);

/* What SARIF's tool.driver.rules says about a rule; the caller (which
 * knows the rule registry) fills these in, so this layer stays below it. */
typedef struct lh_rule_desc {
    const char *id, *summary, *help;
} lh_rule_desc;

/* A SARIF 2.1.0 log with one run: the rules, and a result per finding
 * (ruleId, level, message, one physical location). Relative paths become
 * URIs relative to %SRCROOT% (the current directory), absolute ones file://
 * URIs. Columns are byte columns as everywhere in leakhound; SARIF counts
 * characters, so they differ after non-ASCII text on the line. version
 * (the tool's) may be NULL. */
void lh_findings_sarif(lh_buf *b, const lh_findings *fs, const char *cwd,
                       const lh_rule_desc *rules, size_t nrules, const char *version);

const char *lh_severity_name(lh_severity s);

#endif
