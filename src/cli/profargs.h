/* What the profile commands (top, diff, trend, goroutines) share: loading a
 * PROFILE argument, which is a file, "-" or an http(s) URL, and the flags
 * they all take. */
#ifndef LH_CLI_PROFARGS_H
#define LH_CLI_PROFARGS_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/analysis.h"
#include "cli/flags.h"
#include "profile/profile.h"
#include "util/buf.h"

typedef struct lh_load_cfg {
    size_t max_inflate;     /* 0: the profile layer's default */
    long timeout_ms;        /* URLs only; 0: the fetcher's default */
    /* The path for a URL given without one (localhost:6060): the profile
     * the command reads, e.g. "/debug/pprof/heap". */
    const char *default_path;
} lh_load_cfg;

/* Loads arg into *out: a file, "-", or a URL by go tool pprof's rule (see
 * lh_fetch_profile_url; host:port/path is http). On failure prints one line
 * "leakhound CMD: ..." naming arg (or the URL) and the problem to stderr
 * and returns -1. A URL's time is the time it was fetched when the profile
 * carries none; a file's is what the profile records (0 for text). */
int lh_cli_load_profile(const char *arg, const lh_load_cfg *cfg, lh_profile **out);

/* The paths behind a bare host:port, per command. */
#define LH_CLI_HEAP_PATH "/debug/pprof/heap"
#define LH_CLI_GOROUTINE_PATH "/debug/pprof/goroutine?debug=2"

/* "64M", "1G", "4096", "512k" -> bytes. Returns 0, or -1 when malformed. */
int lh_cli_parse_size(const char *s, size_t *out);

/* The loading flags every profile command takes, --max-inflate SIZE and
 * --timeout DURATION, as a table for lh_flags_parse that writes into cfg. */
enum { LH_CLI_LOAD_NFLAGS = 3 };
void lh_cli_load_flags(lh_load_cfg *cfg, lh_flag table[LH_CLI_LOAD_NFLAGS]);

/* Their lines for a command's --help. */
#define LH_CLI_LOAD_HELP \
    "  --max-inflate SIZE    cap on the decompressed profile size (default 256M)\n" \
    "  --timeout DURATION    for URLs: give up after this long (default 30s, plus N\n" \
    "                        seconds for a ?seconds=N profile)\n"

/* The output flags of every profile command: --format text|json and -json,
 * into an int (1: JSON). Entries of a command's flag table. */
#define LH_CLI_FORMAT_FLAGS(json) \
    {"format", LH_FLAG_CHOICE, (json), 0, NULL, "text|json"}, \
    {"json", LH_FLAG_SET, (json), 1, NULL, NULL}

/* --by and pprof's -functions and -lines, into an int (lh_granularity). */
#define LH_CLI_BY_FLAGS(by) \
    {"by", LH_FLAG_FUNC, NULL, 0, lh_cli_by_flag, (by)}, \
    {"functions", LH_FLAG_SET, (by), LH_BY_FUNCTION, NULL, NULL}, \
    {"lines", LH_FLAG_SET, (by), LH_BY_LINE, NULL, NULL}

/* --by function|line (or functions|lines) as an LH_FLAG_FUNC: ctx is the
 * int that takes the lh_granularity. pprof's -functions and -lines are
 * LH_FLAG_SET flags on the same int. */
int lh_cli_by_flag(void *ctx, const char *flag, const char *val);

/* The sample type to analyse: name, or the view's default when name is
 * NULL. Returns -1 after printing the types the profile has. */
int lh_cli_pick_type(const char *cmd, const lh_stacks *s, const char *name, const char *profile);

/* The report of top, and of diff (base not NULL): JSON, or the text table
 * under "File: PROFILE" and "Base: BASE" lines. */
void lh_cli_report_top(lh_buf *b, const lh_top_result *r, long limit, int json, const char *profile,
                       const char *base);

/* Writes b to stdout and frees it; -1 (after a message) when that fails. */
int lh_cli_flush(lh_buf *b);

#endif
