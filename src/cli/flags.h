/* One flag grammar for every command, as Go's flag package has it, and one
 * form for the commands' error messages.
 *
 * Grammar (what a user of go vet, staticcheck or go tool pprof types):
 *   -flag  --flag                 the same flag, one dash or two
 *   -flag=value  -flag value      a value attached or in the next argument
 *   -flag  -flag=true|false       a boolean never takes the next argument;
 *                                 1 0 t f T F true false TRUE FALSE True False
 *   --                            the rest are operands
 *   -  (alone)                    an operand (standard input)
 *   -h  -help  --help             the command's usage on stdout, exit 0
 * Flags and operands may be interleaved (leakhound top heap.pb.gz -n 5).
 * Sizes are 4096, 64k, 256M, 1G; durations are Go's (2s, 500ms, 1m30s).
 *
 * Messages: "leakhound CMD: what is wrong", the path (file, directory,
 * URL, flag) first when there is one. Flag errors use the flag package's
 * words: "flag provided but not defined: -x", "flag needs an argument: -n",
 * "invalid value "v" for flag -n: why". */
#ifndef LH_CLI_FLAGS_H
#define LH_CLI_FLAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum lh_flag_kind {
    LH_FLAG_BOOL,       /* bool *dst */
    LH_FLAG_STRING,     /* const char **dst */
    LH_FLAG_COUNT,      /* long long *dst: a whole number >= arg */
    LH_FLAG_SIZE,       /* size_t *dst: 4096, 64k, 256M, 1G (> 0) */
    LH_FLAG_DURATION,   /* int64_t *dst: nanoseconds, at least arg */
    LH_FLAG_CHOICE,     /* int *dst: the index of the value among the
                         * '|'-separated words of (const char *)ctx */
    LH_FLAG_SET,        /* int *dst = arg: a boolean naming a choice (-json,
                         * -lines); -flag=false leaves *dst alone */
    LH_FLAG_FUNC,       /* fn(ctx, flag, value): anything else; fn prints
                         * its own message and returns -1 on a bad value */
} lh_flag_kind;

typedef struct lh_flag {
    const char *names;  /* "sample|sample_index": every name, without dashes */
    lh_flag_kind kind;
    void *dst;
    long long arg;
    int (*fn)(void *ctx, const char *flag, const char *val);
    void *ctx;
} lh_flag;

/* A table ends with an entry whose names is NULL. */
#define LH_FLAG_END {NULL, LH_FLAG_BOOL, NULL, 0, NULL, NULL}

/* The command the messages name ("top"); set by lh_flags_parse (and by
 * main for commands without flags). One per process, like the program
 * name: every message of a run speaks for the same command. */
extern const char *lh_cli_cmd;

/* "leakhound CMD: " + the message + "\n" on stderr. */
void lh_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parses argv[1..argc) against the tables (a NULL-terminated array, so a
 * command can add the build flags of goargs.h or the loading flags of
 * profargs.h to its own). Operands go, in order, to ops (room for argc
 * entries), their number to *nops. Returns 0, 1 after printing usage for
 * -h/-help/--help, or -1 after printing one usage error. cmd becomes
 * lh_cli_cmd. */
int lh_flags_parse(const char *cmd, const char *usage, const lh_flag *const *tables, int argc,
                   char **argv, char **ops, size_t *nops);

/* The value checks lh_flags_parse uses, for callers that parse a value of
 * their own: 0 and *out, or -1 and *why. */
int lh_flag_parse_bool(const char *s, bool *out);
int lh_flag_parse_size(const char *s, size_t *out);

#endif
