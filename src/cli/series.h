/* Snapshots of one process over time, for the commands that compare them
 * (trend, goroutines, diff): the PROFILE operands loaded and put in time
 * order, or one URL taken --count times --every DURATION apart. */
#ifndef LH_CLI_SERIES_H
#define LH_CLI_SERIES_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/analysis.h"
#include "cli/flags.h"
#include "cli/profargs.h"

typedef struct lh_series_cfg {
    int64_t every_ns;       /* --every; 0 when not given */
    long long count;        /* --count; 0 when not given */
} lh_series_cfg;

/* --every DURATION and --count N as a table for lh_flags_parse. */
enum { LH_CLI_SERIES_NFLAGS = 3 };
void lh_cli_series_flags(lh_series_cfg *cfg, lh_flag table[LH_CLI_SERIES_NFLAGS]);

/* The command line of a command over snapshots (trend, goroutines, diff):
 * the command's own flags, then the loading flags of profargs.h into *load
 * and --every/--count into *cfg, as lh_flags_parse reads them. The
 * operands go to *ops, which the caller frees; it is NULL unless the
 * parse succeeded. Returns lh_flags_parse's 0, 1 (usage printed) or -1. */
int lh_cli_series_parse(const char *cmd, const char *usage, const lh_flag *own, lh_load_cfg *load,
                        lh_series_cfg *cfg, int argc, char **argv, char ***ops, size_t *nops);

/* Their lines for a command's --help; N is --count's default. */
#define LH_CLI_SERIES_HELP(N) \
    "  --every DURATION      take the snapshots from one URL, this far apart (30s,\n" \
    "                        10m), with a progress line on stderr\n" \
    "  --count N             how many to take with --every (default " N ")\n"

/* The ordering rule, for the help of the commands that order snapshots. */
#define LH_CLI_SERIES_ORDER_HELP \
    "Several snapshots of one process are put in time order: protobuf profiles by\n" \
    "the time they record; text dumps, which record none, in the order given (a\n" \
    "note says so when their file times disagree), except that names differing\n" \
    "only in a number (heap.2, heap.10) go by that number, with a note.\n"

/* What was loaded: per snapshot, in the order taken or given. */
typedef struct lh_snapshots {
    size_t n;
    const char **names;         /* the file as given, or the URL fetched */
    lh_snapshot_info *info;     /* names, own and file times */
} lh_snapshots;

/* Receives snapshot i (ownership of p passes); returns 0, or -1 after a
 * message. */
typedef int (*lh_snapshot_fn)(void *ctx, size_t i, lh_profile *p);

/* Loads the snapshots the operands name, handing each to fn as it is read
 * (so a command can keep a compact view of it and drop the rest). Without
 * --every, each operand once; the same URL twice is an error (it would be
 * fetched twice within milliseconds), pointing to --every and to `watch`.
 * With --every, the one operand must be a URL, fetched count times (the
 * command's default_count when --count is not given). The number of
 * snapshots must lie in [min, max] (max 0: no limit). Returns 0, or -1
 * after one message; out holds what was loaded either way (free it). */
int lh_cli_snapshots(char **ops, size_t nops, const lh_series_cfg *cfg, const lh_load_cfg *load,
                     size_t min, size_t max, long long default_count, lh_snapshot_fn fn,
                     void *ctx, lh_snapshots *out);

/* An lh_snapshot_fn that keeps every profile: ctx is an lh_profile_list
 * (zeroed), whose v[i] is snapshot i. */
typedef struct lh_profile_list {
    lh_profile **v;
    size_t n, cap;
} lh_profile_list;
int lh_cli_keep_profile(void *ctx, size_t i, lh_profile *p);
void lh_profile_list_free(lh_profile_list *l);

/* Their time order (lh_series_order), and their names in that order in
 * *names (allocated in a). */
void lh_cli_snapshots_order(const lh_snapshots *s, lh_arena *a, lh_series *out,
                            const char ***names);
/* Its notes on stderr, "leakhound CMD: note: ...": once the command has
 * succeeded, so that a failing run prints its one error line only. */
void lh_cli_series_notes(const lh_series *s);

void lh_cli_snapshots_free(lh_snapshots *s);

#endif
