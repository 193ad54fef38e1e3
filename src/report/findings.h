/* Findings: what the static rules report, and how they are printed.
 *
 * This is the boundary between analysis and output: a finding holds only
 * strings and positions (no AST), so the printers here (vet-style text,
 * JSON, SARIF) never see the syntax tree. Rule ids, paths and
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
    /* The declared function holding the finding, as go vet users name it:
     * "F", "T.M", "(*T).M" (a generic receiver without its type
     * parameters). A function literal's findings name the function it
     * sits in; "" at package level. NULL is taken as "". */
    const char *function;
    /* Names the finding across edits elsewhere in its file
     * (report/baseline.h); 0 until computed. */
    uint64_t fingerprint;
} lh_finding;

/* What kept part of the input from being analysed: a syntax error of a
 * file, or a package error (which has no position: line and col 0, file
 * the package directory). */
typedef struct lh_scan_error {
    const char *file;
    uint32_t line, col;     /* 1-based byte column; 0: no position */
    const char *message;
} lh_scan_error;

typedef struct lh_findings {
    lh_finding *v;
    size_t n, cap;
    lh_scan_error *errs;    /* in the order added */
    size_t nerrs, errcap;
    lh_arena arena;         /* the strings */
} lh_findings;

/* The size of a run, for the JSON object's "stats". */
typedef struct lh_findings_stats {
    size_t packages, files;
    uint64_t bytes;         /* source bytes of those files */
    double seconds;         /* wall time */
} lh_findings_stats;

void lh_findings_init(lh_findings *fs);
void lh_findings_free(lh_findings *fs);
/* Copies every string of f. */
void lh_findings_add(lh_findings *fs, const lh_finding *f);
/* Copies the strings too. */
void lh_findings_add_error(lh_findings *fs, const char *file, uint32_t line, uint32_t col,
                           const char *message);
/* Copies src's findings and errors to the end of dst's. */
void lh_findings_append(lh_findings *dst, const lh_findings *src);
/* Sorts the findings by file, line, column, rule, message and drops exact
 * duplicates (one defer can be reached through two patterns naming the
 * same file). Errors keep their order: the caller adds them sorted. */
void lh_findings_sort_dedup(lh_findings *fs);

/* The path as vet prints it: relative to cwd when the file lies below it
 * ("pkg/x.go", no "./"; cwd itself is "."), else unchanged. cwd NULL:
 * unchanged. The result points into path or is the literal ".". */
const char *lh_findings_path(const char *path, const char *cwd);

/* `file:line:col: rule-id: message` per finding, as go vet prints. The
 * errors are not printed: in text mode they go to stderr in the
 * loader's own words. */
void lh_findings_text(lh_buf *b, const lh_findings *fs, const char *cwd);
/* One JSON object:
 *   {"findings": [{"rule", "file", "line", "col", "end_line", "end_col",
 *                  "severity", "message", "function", "fingerprint"}],
 *    "errors": [{"file", "line", "col", "message"}],
 *    "stats": {"packages", "files", "bytes", "seconds"}}
 * An object per finding so SARIF's result (ruleId, location region, level,
 * message) is a field-by-field mapping; columns are byte columns. stats
 * NULL: zeros. */
void lh_findings_json(lh_buf *b, const lh_findings *fs, const char *cwd,
                      const lh_findings_stats *stats);

/* GitLab's Code Quality report (a subset of the Code Climate issue
 * format): a JSON array with an object per finding,
 *   {"type": "issue", "check_name", "description", "categories",
 *    "severity", "fingerprint", "location": {"path", "lines": {"begin", "end"}}}
 * severity in GitLab's words (warning: major, error: critical, note:
 * minor); the fingerprint, which GitLab compares between a branch and its
 * target to tell new findings from old, is the finding's (see
 * report/baseline.h) with its path folded in, so it is unique in the
 * report. Call after lh_findings_fingerprint. Errors are not listed: they
 * are not findings, and go to stderr. */
void lh_findings_codeclimate(lh_buf *b, const lh_findings *fs, const char *cwd);

/* What SARIF's tool.driver.rules says about a rule; the caller (which
 * knows the rule registry) fills these in, so this layer stays below it. */
typedef struct lh_rule_desc {
    const char *id, *summary, *help;
} lh_rule_desc;

/* The bytes of a file named as in a finding or error (*len set), or NULL
 * when unknown. The SARIF printer reads lines through it to convert
 * columns; this layer never opens files nor sees a syntax tree. */
typedef const char *(*lh_source_fn)(void *ctx, const char *file, size_t *len);

typedef struct lh_sarif_opts {
    const lh_rule_desc *rules;  /* the rules that ran */
    size_t nrules;
    const char *version;        /* the tool's; NULL: left out */
    lh_source_fn source;        /* NULL, or when it returns NULL: columns */
    void *source_ctx;           /* stay byte columns (equal for ASCII) */
} lh_sarif_opts;

/* A SARIF 2.1.0 log with one run: the rules, a result per finding
 * (ruleId, level, message, one physical location, partialFingerprints
 * "leakhound/v1": the finding's fingerprint with its path, see
 * report/baseline.h), and the errors as
 * invocations[0].toolExecutionNotifications (level "error"; the run still
 * executed successfully: a broken file is a finding about the input, not
 * a failure of the tool). Relative paths become URIs relative to %SRCROOT%
 * (the current directory), absolute ones file:// URIs.
 *
 * SARIF has no byte columns: the run declares "columnKind":
 * "utf16CodeUnits" and every column is converted to it from our byte
 * columns (through o->source): the consumers that draw regions (GitHub
 * code scanning, the VS Code viewer) are JavaScript, whose strings count
 * UTF-16 code units. Declared, because consumers disagree when it is
 * absent: the spec then means unicodeCodePoints, Microsoft's SDK reads
 * utf16CodeUnits. The two differ only after a character above U+FFFF. */
void lh_findings_sarif(lh_buf *b, const lh_findings *fs, const char *cwd,
                       const lh_sarif_opts *o);

/* Column col (1-based, in bytes, of line `line`, 1-based) of src as a
 * 1-based UTF-16 code unit column: code points above U+FFFF count two,
 * an invalid byte one (as U+FFFD). Columns past the end of the line count
 * one per byte beyond it; a line past the end of src leaves col as is. */
uint32_t lh_findings_utf16_col(const char *src, size_t len, uint32_t line, uint32_t col);

const char *lh_severity_name(lh_severity s);

#endif
