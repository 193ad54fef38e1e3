/* leakhound goroutines: goroutine dumps grouped by where and why they wait,
 * with the groups that look leaked called out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "cli/cli.h"
#include "cli/profargs.h"
#include "report/profile_report.h"

static const char goroutines_usage[] =
    "usage: leakhound goroutines PROFILE... [options]\n"
    "\n"
    "Groups goroutines by where they block (the first frame outside the runtime),\n"
    "their wait reason and the go statement that created them; per group: count,\n"
    "longest wait, blocking file:line, creation site. PROFILE is a goroutine or\n"
    "goroutineleak profile (proto, ?debug=1, ?debug=2 or a panic traceback), as a\n"
    "file, - or an http(s) URL. Several dumps of one process are ordered by time.\n"
    "\n"
    "A group is a leak suspect when it is not the runtime's, net/http's server\n"
    "loops, the testing package's or the main goroutine (a client that leaks\n"
    "connections shows as its transport's readLoop/writeLoop groups), and:\n"
    "  - the runtime reports it leaked (goroutineleak profiles), or\n"
    "  - with several dumps, its count never drops and grows by --min-climb or more, or\n"
    "  - --min-count or more goroutines are blocked on a channel, select or sync\n"
    "    primitive in user code (for ?debug=1 dumps, which print no wait reason:\n"
    "    parked in user code), or\n"
    "  - it has waited on one of those --min-wait minutes or more (debug=2 dumps).\n"
    "In a goroutineleak ?debug=2 dump, which lists every goroutine and tags the\n"
    "leaked ones, the last two rules do not apply to untagged goroutines blocked\n"
    "on a channel, select or sync primitive: the runtime found them reachable.\n"
    "\n"
    "options:\n"
    "  --min-count N         \"many\" goroutines (default 10)\n"
    "  --min-wait MINUTES    \"waiting for long\" (default 10)\n"
    "  --min-climb N         growth across dumps that counts (default 3)\n"
    "  -n N                  other groups to list in text (default 10; 0 = all)\n"
    "  --format text|json    output format (default text)\n"
    LH_CLI_LOAD_HELP
    "\n"
    "exit status: 0 no suspects, 1 suspects found, 2 usage error or\n"
    "unreadable/malformed profile.\n";

/* The group thresholds are positive; -n may be 0 (all). */
static int parse_count(const char *opt, const char *v, long long min, int64_t *out)
{
    long long x;
    if (lh_cli_parse_count("goroutines", opt, v, min, &x) != 0)
        return -1;
    *out = x;
    return 0;
}

int lh_cmd_goroutines(int argc, char **argv)
{
    const char **files = calloc((size_t)argc, sizeof *files);
    if (!files)
        abort();
    size_t nfiles = 0;
    int64_t limit = 10;
    int json = 0;
    lh_load_cfg load = {0, 0};
    lh_goroutine_opts gopts = {0, 0, 0};
    int status = LH_EXIT_ERROR;

    for (int i = 1; i < argc; i++) {
        const char *v;
        int m;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(goroutines_usage, stdout);
            free(files);
            return LH_EXIT_OK;
        }
        if ((m = lh_cli_opt(argc, argv, &i, "-n", "goroutines", &v)) != 0) {
            if (m < 0)
                goto usage;
            if (parse_count("-n", v, 0, &limit) != 0)
                goto usage;
        } else if ((m = lh_cli_opt(argc, argv, &i, "--min-count", "goroutines", &v)) != 0) {
            if (m < 0 || parse_count("--min-count", v, 1, &gopts.min_count) != 0)
                goto usage;
        } else if ((m = lh_cli_opt(argc, argv, &i, "--min-wait", "goroutines", &v)) != 0) {
            if (m < 0 || parse_count("--min-wait", v, 1, &gopts.min_wait_minutes) != 0)
                goto usage;
        } else if ((m = lh_cli_opt(argc, argv, &i, "--min-climb", "goroutines", &v)) != 0) {
            if (m < 0 || parse_count("--min-climb", v, 1, &gopts.min_climb) != 0)
                goto usage;
        } else if ((m = lh_cli_opt(argc, argv, &i, "--format", "goroutines", &v)) != 0) {
            if (m < 0 || lh_cli_parse_format("goroutines", v, &json) != 0)
                goto usage;
        } else if ((m = lh_cli_load_opt(argc, argv, &i, "goroutines", &load)) != 0) {
            if (m < 0)
                goto usage;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "leakhound goroutines: unknown option %s (see leakhound goroutines --help)\n",
                    argv[i]);
            goto usage;
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (nfiles == 0) {
        fprintf(stderr, "leakhound goroutines: missing PROFILE\n%s", goroutines_usage);
        goto usage;
    }

    lh_profile **profs = calloc(nfiles, sizeof *profs);
    int64_t *times = calloc(nfiles, sizeof *times);
    if (!profs || !times)
        abort();
    for (size_t i = 0; i < nfiles; i++) {
        if (lh_cli_load_profile(files[i], &load, &profs[i]) != 0)
            goto done;
        times[i] = profs[i]->time_nanos;
    }
    lh_arena a;
    lh_arena_init(&a);
    lh_goroutine_result r;
    char err[512];
    if (lh_goroutines((const lh_profile *const *)profs, nfiles, &gopts, &a, &r, err, sizeof err) != 0) {
        fprintf(stderr, "leakhound: %s\n", err);
    } else {
        lh_buf b = LH_BUF_INIT;
        if (json)
            lh_report_goroutines_json(&b, &r, files, times);
        else
            lh_report_goroutines_text(&b, &r, files, (size_t)limit);
        if (lh_cli_flush(&b) == 0)
            status = r.nsuspects ? LH_EXIT_FOUND : LH_EXIT_OK;
    }
    lh_arena_free(&a);
done:
    for (size_t i = 0; i < nfiles; i++)
        lh_profile_free(profs[i]);
    free(profs);
    free(times);
    free(files);
    return status;
usage:
    free(files);
    return LH_EXIT_ERROR;
}
