/* leakhound trend: heap snapshots of one process over time; which sites
 * keep growing (leak suspects) and which merely warmed up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "cli/cli.h"
#include "cli/profargs.h"
#include "report/profile_report.h"

static const char trend_usage[] =
    "usage: leakhound trend PROFILE PROFILE PROFILE... [options]\n"
    "\n"
    "Three or more heap profiles of one process taken over time (files or http(s)\n"
    "URLs), ordered by the time each records (for a file without one, its\n"
    "modification time; for a URL, when it was fetched). For every allocation\n"
    "site, in-use bytes and objects are fitted with a line over time (slope per\n"
    "hour, R^2), and the site is classed:\n"
    "  growing  a steady climb that is still climbing at the end: leak suspect\n"
    "  plateau  grew, then settled (warm-up, a cache that filled): not a suspect\n"
    "  noise    no steady change\n"
    "A site is growing when, over the series, its fitted growth is at least\n"
    "--min-growth and 20% of its mean size, R^2 >= 0.8, and the slope over the\n"
    "later half is at least half the overall slope; or, with 6 snapshots or more,\n"
    "when its later half alone passes the same tests (5% of its mean instead of\n"
    "20%): a slow leak after a warm-up. Slope and R^2 are then the later half's.\n"
    "\n"
    "options:\n"
    "  --by line|function    a site is a source line (default) or a function;\n"
    "                        pprof: -lines, -functions\n"
    "  --min-growth SIZE     least growth over the series that counts (default 64k)\n"
    "  -n N                  plateau sites to list in text (default 10; 0 = all)\n"
    "  --format text|json    output format (default text); -json for json\n"
    LH_CLI_LOAD_HELP
    "\n"
    "exit status: 0 no growing site, 1 growing sites (leak suspects) found,\n"
    "2 usage error or unreadable/malformed profile.\n";

int lh_cmd_trend(int argc, char **argv)
{
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    if (!files)
        abort();
    size_t nfiles = 0;
    long long limit = 10;
    int json = 0, by = LH_BY_LINE;
    size_t min_growth = 0;
    lh_load_cfg load = {0, 0};
    lh_trend_opts topts = {LH_BY_LINE, 0};
    int status = LH_EXIT_ERROR;
    const lh_flag flags[] = {
        {"n|nodecount", LH_FLAG_COUNT, &limit, 0, NULL, NULL},
        {"by", LH_FLAG_FUNC, NULL, 0, lh_cli_by_flag, &by},
        {"functions", LH_FLAG_SET, &by, LH_BY_FUNCTION, NULL, NULL},
        {"lines", LH_FLAG_SET, &by, LH_BY_LINE, NULL, NULL},
        {"min-growth", LH_FLAG_SIZE, &min_growth, 0, NULL, NULL},
        {"format", LH_FLAG_CHOICE, &json, 0, NULL, "text|json"},
        {"json", LH_FLAG_SET, &json, 1, NULL, NULL},
        LH_FLAG_END,
    };
    lh_flag loadf[LH_CLI_LOAD_NFLAGS];
    lh_cli_load_flags(&load, loadf);
    const lh_flag *tables[] = {flags, loadf, NULL};
    int pr = lh_flags_parse("trend", trend_usage, tables, argc, argv, (char **)files, &nfiles);
    if (pr != 0) {
        free(files);
        return pr > 0 ? LH_EXIT_OK : LH_EXIT_ERROR;
    }
    topts.by = (lh_granularity)by;
    topts.min_growth = (int64_t)min_growth;
    if (nfiles < 3) {
        lh_cli_error("needs at least 3 heap profiles, got %zu", nfiles);
        goto usage;
    }

    lh_profile **profs = calloc(nfiles, sizeof *profs);
    lh_stacks *views = calloc(nfiles, sizeof *views);
    const lh_stacks **vp = calloc(nfiles, sizeof *vp);
    int64_t *times = calloc(nfiles, sizeof *times);
    if (!profs || !views || !vp || !times)
        abort();
    size_t nviews = 0;
    char err[512];
    for (size_t i = 0; i < nfiles; i++) {
        if (lh_cli_load_profile(files[i], &load, &profs[i]) != 0)
            goto done;
        if (lh_stacks_from_profile(&views[i], profs[i], err, sizeof err) != 0) {
            lh_cli_error("%s", err);
            goto done;
        }
        nviews++;
        vp[i] = &views[i];
        times[i] = views[i].time_nanos;
        /* The view holds its own copies: the model is not needed any more,
         * and hundreds of snapshots should not all stay in memory. */
        lh_profile_free(profs[i]);
        profs[i] = NULL;
    }
    lh_arena a;
    lh_arena_init(&a);
    lh_trend_result r;
    if (lh_trend(vp, files, nfiles, &topts, &a, &r, err, sizeof err) != 0) {
        lh_cli_error("%s", err);
    } else {
        lh_buf b = LH_BUF_INIT;
        if (json)
            lh_report_trend_json(&b, &r, files, times);
        else
            lh_report_trend_text(&b, &r, files, (size_t)limit);
        if (lh_cli_flush(&b) == 0)
            status = r.ngrowing ? LH_EXIT_FOUND : LH_EXIT_OK;
    }
    lh_arena_free(&a);
done:
    for (size_t i = 0; i < nviews; i++)
        lh_stacks_free(&views[i]);
    for (size_t i = 0; i < nfiles; i++)
        lh_profile_free(profs[i]);
    free(profs);
    free(views);
    free(vp);
    free(times);
    free(files);
    return status;
usage:
    free(files);
    return LH_EXIT_ERROR;
}
