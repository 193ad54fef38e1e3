/* What the profile commands (top, diff, trend, goroutines) share: loading a
 * PROFILE argument, which is a file, "-" or an http(s) URL, and the small
 * option parser they all use. */
#ifndef LH_CLI_PROFARGS_H
#define LH_CLI_PROFARGS_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/analysis.h"
#include "profile/profile.h"
#include "util/buf.h"

typedef struct lh_load_cfg {
    size_t max_inflate;     /* 0: the profile layer's default */
    long timeout_ms;        /* URLs only; 0: the fetcher's default */
} lh_load_cfg;

/* Loads arg into *out. On failure prints one line "leakhound: ..." naming
 * arg and the problem to stderr and returns -1. A URL's time is the time it
 * was fetched when the profile carries none; a file's, its modification
 * time (so trend can order legacy text snapshots). */
int lh_cli_load_profile(const char *arg, const lh_load_cfg *cfg, lh_profile **out);

/* "64M", "1G", "4096", "512k" -> bytes. Returns 0, or -1 when malformed. */
int lh_cli_parse_size(const char *s, size_t *out);

/* Option parsing: argv[*i] is tested against name ("--sample"); a value may
 * be attached ("--sample=x") or be the next argument. Returns 1 and sets
 * *val when matched, 0 when argv[*i] is another option, -1 (after printing
 * a usage error for cmd) when the value is missing. Advances *i past a
 * separate value. */
int lh_cli_opt(int argc, char **argv, int *i, const char *name, const char *cmd,
               const char **val);

/* The loading options every profile command takes: --max-inflate SIZE and
 * --timeout SECONDS. Same contract as lh_cli_opt: 1 matched (cfg updated),
 * 0 not one of them, -1 after printing a usage error for cmd. */
int lh_cli_load_opt(int argc, char **argv, int *i, const char *cmd, lh_load_cfg *cfg);

/* Their lines for a command's --help. */
#define LH_CLI_LOAD_HELP \
    "  --max-inflate SIZE    cap on the decompressed profile size (default 256M)\n" \
    "  --timeout SECONDS     for URLs: give up after this long (default 30, plus N\n" \
    "                        for a ?seconds=N profile)\n"

/* --by and --format values; print a usage error for cmd and return -1 when
 * the value is not one of the choices. */
int lh_cli_parse_by(const char *cmd, const char *v, lh_granularity *by);
/* A whole number for option opt ("-n"): at least min. Prints a usage error
 * for cmd and returns -1 otherwise. */
int lh_cli_parse_count(const char *cmd, const char *opt, const char *v, long long min,
                       long long *out);
int lh_cli_parse_format(const char *cmd, const char *v, int *json);

/* The sample type to analyse: name, or the view's default when name is
 * NULL. Returns -1 after printing the types the profile has. */
int lh_cli_pick_type(const char *cmd, const lh_stacks *s, const char *name, const char *profile);

/* Writes b to stdout and frees it; -1 (after a message) when that fails. */
int lh_cli_flush(lh_buf *b);

#endif
