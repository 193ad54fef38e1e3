/* Command entry points. Each command family lives in its own file under
 * src/cli/ and is dispatched from main.c.
 *
 * Exit codes, the same for every command in the same situation (not go
 * vet's, which exits 1 for findings and load errors alike; README.md):
 *   0  ran, nothing to report
 *   1  ran, found what the command looks for (findings, parse's syntax
 *      errors, growing sites, suspect groups)
 *   2  an error: usage, a pattern matching nothing, unreadable or malformed
 *      input, code scan or list could not read; wins over 1 */
#ifndef LH_CLI_H
#define LH_CLI_H

enum { LH_EXIT_OK = 0, LH_EXIT_FOUND = 1, LH_EXIT_ERROR = 2 };

/* argv[0] is the command name; options may be interleaved with operands. */
typedef int (*lh_cmd_fn)(int argc, char **argv);

typedef struct lh_command {
    const char *name;
    lh_cmd_fn run;
    const char *summary;    /* one line for `leakhound help` */
} lh_command;

/* The table lives in main.c; commands look each other up through it. */
extern const lh_command lh_commands[];

int lh_cmd_top(int argc, char **argv);        /* cli/top.c */
int lh_cmd_diff(int argc, char **argv);       /* cli/diff.c */
int lh_cmd_trend(int argc, char **argv);      /* cli/trend.c */
int lh_cmd_goroutines(int argc, char **argv); /* cli/goroutines.c */
int lh_cmd_parse(int argc, char **argv);      /* cli/parse.c */
int lh_cmd_list(int argc, char **argv);       /* cli/list.c */
int lh_cmd_scan(int argc, char **argv);       /* cli/scan.c */
/* scan DIR/... with every rule into fs (watch --source). Returns 0, or -1
 * with err when the packages cannot be loaded. Syntax errors in a file only
 * leave that file out, as in scan. */
struct lh_findings;
int lh_scan_collect(const char *dir, struct lh_findings *fs, char *err, size_t errlen);
int lh_cmd_rules(int argc, char **argv);      /* cli/scan.c */
int lh_cmd_explain(int argc, char **argv);    /* cli/scan.c */
int lh_cmd_version(int argc, char **argv);    /* cli/version.c */

/* The project version, "0.1.0" (CMake's project(VERSION)). */
const char *lh_version(void);
int lh_cmd_watch(int argc, char **argv);      /* cli/watch.c */
/* watch --listen: the fleet daemon (cli/fleet.c); `watch` hands over to it. */
int lh_cmd_watch_fleet(int argc, char **argv);

#endif
