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
    "  - it has waited on one of those --min-wait or longer (debug=2 dumps).\n"
    "In a goroutineleak ?debug=2 dump, which lists every goroutine and tags the\n"
    "leaked ones, the last two rules do not apply to untagged goroutines blocked\n"
    "on a channel, select or sync primitive: the runtime found them reachable.\n"
    "\n"
    "options:\n"
    "  --min-count N         \"many\" goroutines (default 10)\n"
    "  --min-wait DURATION   \"waiting for long\" (default 10m; at least 1m, rounded\n"
    "                        up to whole minutes, which is what dumps record)\n"
    "  --min-climb N         growth across dumps that counts (default 3)\n"
    "  -n N                  other groups to list in text (default 10; 0 = all)\n"
    "  --format text|json    output format (default text); -json for json\n"
    LH_CLI_LOAD_HELP
    "\n"
    "exit status: 0 no suspects, 1 suspects found, 2 usage error or\n"
    "unreadable/malformed profile.\n";

int lh_cmd_goroutines(int argc, char **argv)
{
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    if (!files)
        abort();
    size_t nfiles = 0;
    long long limit = 10, min_count = 0, min_climb = 0;
    int64_t min_wait = 0;
    int json = 0;
    lh_load_cfg load = {0, 0};
    lh_goroutine_opts gopts = {0, 0, 0};
    int status = LH_EXIT_ERROR;
    const lh_flag flags[] = {
        {"n|nodecount", LH_FLAG_COUNT, &limit, 0, NULL, NULL},
        {"min-count", LH_FLAG_COUNT, &min_count, 1, NULL, NULL},
        /* The runtime counts waits in whole minutes. */
        {"min-wait", LH_FLAG_DURATION, &min_wait, (long long)60 * 1000000000, NULL, NULL},
        {"min-climb", LH_FLAG_COUNT, &min_climb, 1, NULL, NULL},
        {"format", LH_FLAG_CHOICE, &json, 0, NULL, "text|json"},
        {"json", LH_FLAG_SET, &json, 1, NULL, NULL},
        LH_FLAG_END,
    };
    lh_flag loadf[LH_CLI_LOAD_NFLAGS];
    lh_cli_load_flags(&load, loadf);
    const lh_flag *tables[] = {flags, loadf, NULL};
    int pr = lh_flags_parse("goroutines", goroutines_usage, tables, argc, argv, (char **)files,
                            &nfiles);
    if (pr != 0) {
        free(files);
        return pr > 0 ? LH_EXIT_OK : LH_EXIT_ERROR;
    }
    gopts.min_count = min_count;
    gopts.min_climb = min_climb;
    /* Rounded up: a dump's "2 minutes" is at least 2m, so no group that
     * waited less than asked is called long-waiting. */
    gopts.min_wait_minutes = (min_wait + (int64_t)60 * 1000000000 - 1) / ((int64_t)60 * 1000000000);
    if (nfiles == 0) {
        lh_cli_error("needs a PROFILE (see leakhound help goroutines)");
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
        lh_cli_error("%s", err);
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
