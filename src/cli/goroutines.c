/* leakhound goroutines: goroutine dumps grouped by where and why they wait,
 * with the groups that look leaked called out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "cli/cli.h"
#include "cli/profargs.h"
#include "cli/series.h"
#include "report/profile_report.h"

static const char goroutines_usage[] =
    "usage: leakhound goroutines PROFILE... [options]\n"
    "       leakhound goroutines URL --every DURATION [--count N] [options]\n"
    "\n"
    "Groups goroutines by where they block (the first frame outside the runtime),\n"
    "their wait reason, the function the goroutine runs and the go statement that\n"
    "created it (?debug=2 only); per group: count, longest wait, blocking\n"
    "file:line, creation site. Groups and verdicts are the same for every format\n"
    "of a dump, as far as the format has the frames. PROFILE is a goroutine or\n"
    "goroutineleak profile (proto, ?debug=1, ?debug=2 or a panic traceback), as a\n"
    "file, - or a URL (http://, https://, or host:port/path as go tool pprof takes\n"
    "it; host:port alone reads /debug/pprof/goroutine?debug=2).\n"
    LH_CLI_SERIES_ORDER_HELP
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
    LH_CLI_SERIES_HELP("2")
    LH_CLI_LOAD_HELP
    "\n"
    "exit status: 0 no suspects, 1 suspects found, 2 usage error or\n"
    "unreadable/malformed profile.\n";

int lh_cmd_goroutines(int argc, char **argv)
{
    char **files;
    size_t nfiles = 0;
    long long limit = 10, min_count = 0, min_climb = 0;
    int64_t min_wait = 0;
    int json = 0;
    lh_load_cfg load = {0, 0, LH_CLI_GOROUTINE_PATH};
    lh_series_cfg scfg = {0, 0};
    lh_goroutine_opts gopts = {0, 0, 0, 1};
    int status = LH_EXIT_ERROR;
    const lh_flag flags[] = {
        {"n|nodecount", LH_FLAG_COUNT, &limit, 0, NULL, NULL},
        {"min-count", LH_FLAG_COUNT, &min_count, 1, NULL, NULL},
        /* The runtime counts waits in whole minutes. */
        {"min-wait", LH_FLAG_DURATION, &min_wait, (long long)60 * 1000000000, NULL, NULL},
        {"min-climb", LH_FLAG_COUNT, &min_climb, 1, NULL, NULL},
        LH_CLI_FORMAT_FLAGS(&json),
        LH_FLAG_END,
    };
    int pr = lh_cli_series_parse("goroutines", goroutines_usage, flags, &load, &scfg, argc, argv,
                                 &files, &nfiles);
    if (pr != 0)
        return pr > 0 ? LH_EXIT_OK : LH_EXIT_ERROR;
    gopts.min_count = min_count;
    gopts.min_climb = min_climb;
    /* Rounded up: a dump's "2 minutes" is at least 2m, so no group that
     * waited less than asked is called long-waiting. */
    gopts.min_wait_minutes = (min_wait + (int64_t)60 * 1000000000 - 1) / ((int64_t)60 * 1000000000);
    if (nfiles == 0) {
        lh_cli_error("needs a PROFILE (see leakhound help goroutines)");
        goto usage;
    }

    lh_profile_list profs = {NULL, 0, 0};
    lh_snapshots snaps;
    lh_arena a;
    lh_arena_init(&a);
    if (lh_cli_snapshots(files, nfiles, &scfg, &load, 1, 0, 2, lh_cli_keep_profile,
                         &profs, &snaps) != 0)
        goto done;
    /* In time order: the analysis and the report take them as they come. */
    lh_series ser;
    const char **names;
    lh_cli_snapshots_order(&snaps, &a, &ser, &names);
    const lh_profile **dumps = LH_NEWN(&a, const lh_profile *, snaps.n);
    for (size_t k = 0; k < snaps.n; k++)
        dumps[k] = profs.v[ser.order[k]];
    lh_goroutine_result r;
    char err[512];
    if (lh_goroutines(dumps, snaps.n, &gopts, &a, &r, err, sizeof err) != 0) {
        lh_cli_error("%s", err);
    } else {
        lh_buf b = LH_BUF_INIT;
        if (json)
            lh_report_goroutines_json(&b, &r, names, ser.times);
        else
            lh_report_goroutines_text(&b, &r, names, (size_t)limit);
        if (lh_cli_flush(&b) == 0) {
            lh_cli_series_notes(&ser);
            status = r.nsuspects ? LH_EXIT_FOUND : LH_EXIT_OK;
        }
    }
done:
    lh_arena_free(&a);
    lh_profile_list_free(&profs);
    lh_cli_snapshots_free(&snaps);
    free(files);
    return status;
usage:
    free(files);
    return LH_EXIT_ERROR;
}
