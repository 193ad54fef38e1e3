/* leakhound trend: heap snapshots of one process over time; which sites
 * keep growing (leak suspects) and which merely warmed up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "cli/cli.h"
#include "cli/profargs.h"
#include "cli/series.h"
#include "report/profile_report.h"

static const char trend_usage[] =
    "usage: leakhound trend PROFILE PROFILE PROFILE... [options]\n"
    "       leakhound trend URL --every DURATION [--count N] [options]\n"
    "\n"
    "Three or more heap profiles of one process taken over time: files, or URLs\n"
    "(http://, https://, or host:port/path as go tool pprof takes it; host:port\n"
    "alone reads /debug/pprof/heap), or one URL taken --count times --every\n"
    "DURATION apart.\n"
    LH_CLI_SERIES_ORDER_HELP
    "For every allocation site, in-use bytes and objects are fitted with a line\n"
    "over time (slope per hour, R^2; per snapshot when the snapshots' times are\n"
    "unknown or disagree with their order, taken then as evenly spaced), and the\n"
    "site is classed:\n"
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
    "                        pprof: -lines, -functions. Lines by default, unlike\n"
    "                        top and diff (functions, as pprof -top): one line that\n"
    "                        leaks inside a big, steady function grows by too small\n"
    "                        a share of the function's bytes to be seen by function\n"
    "  --min-growth SIZE     least growth over the series that counts (default 64k;\n"
    "                        in sampled profiles at least 3 sampling periods, 1.5M\n"
    "                        at Go's default rate: a sampled small object counts as\n"
    "                        one period of bytes, so fewer samples are chance)\n"
    "  -n N                  plateau sites to list in text (default 10; 0 = all)\n"
    "  --format text|json    output format (default text); -json for json\n"
    LH_CLI_SERIES_HELP("3")
    LH_CLI_LOAD_HELP
    "\n"
    "exit status: 0 no growing site, 1 growing sites (leak suspects) found,\n"
    "2 usage error or unreadable/malformed profile.\n";

/* The snapshots' views, in the order loaded. */
typedef struct view_list {
    lh_stacks *v;
    size_t n, cap;
} view_list;

/* Keeps only the view of each snapshot: it holds its own copies, and
 * hundreds of snapshots should not all stay in memory as models. */
static int keep_view(void *ctx, size_t i, lh_profile *p)
{
    view_list *l = ctx;
    if (i >= l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        if (!l->v)
            abort();
    }
    char err[512];
    int rc = lh_stacks_from_profile(&l->v[i], p, err, sizeof err);
    lh_profile_free(p);
    if (rc != 0) {
        lh_cli_error("%s", err);
        return -1;
    }
    l->n = i + 1;
    return 0;
}

int lh_cmd_trend(int argc, char **argv)
{
    char **files;
    size_t nfiles = 0;
    long long limit = 10;
    int json = 0, by = LH_BY_LINE;
    size_t min_growth = 0;
    lh_load_cfg load = {0, 0, LH_CLI_HEAP_PATH};
    lh_series_cfg scfg = {0, 0};
    lh_trend_opts topts = {LH_BY_LINE, 0, 1};
    int status = LH_EXIT_ERROR;
    const lh_flag flags[] = {
        {"n|nodecount", LH_FLAG_COUNT, &limit, 0, NULL, NULL},
        LH_CLI_BY_FLAGS(&by),
        {"min-growth", LH_FLAG_SIZE, &min_growth, 0, NULL, NULL},
        LH_CLI_FORMAT_FLAGS(&json),
        LH_FLAG_END,
    };
    int pr = lh_cli_series_parse("trend", trend_usage, flags, &load, &scfg, argc, argv, &files,
                                 &nfiles);
    if (pr != 0)
        return pr > 0 ? LH_EXIT_OK : LH_EXIT_ERROR;
    topts.by = (lh_granularity)by;
    topts.min_growth = (int64_t)min_growth;
    if (nfiles < 3 && !scfg.every_ns && !scfg.count) {
        lh_cli_error("needs at least 3 heap profiles, got %zu", nfiles);
        goto usage;
    }

    view_list views = {NULL, 0, 0};
    lh_snapshots snaps;
    lh_arena a;
    lh_arena_init(&a);
    if (lh_cli_snapshots(files, nfiles, &scfg, &load, 3, 0, 3, keep_view, &views,
                         &snaps) != 0)
        goto done;
    /* In time order: the analysis and the report take them as they come. */
    lh_series ser;
    const char **names;
    lh_cli_snapshots_order(&snaps, &a, &ser, &names);
    const lh_stacks **vp = LH_NEWN(&a, const lh_stacks *, snaps.n);
    for (size_t k = 0; k < snaps.n; k++) {
        lh_stacks *v = &views.v[ser.order[k]];
        /* The series' times, 0 where unknown: the analysis spaces the
         * snapshots by them, or evenly. */
        v->time_nanos = ser.times[k];
        vp[k] = v;
    }
    lh_trend_result r;
    char err[512];
    if (lh_trend(vp, names, snaps.n, &topts, &a, &r, err, sizeof err) != 0) {
        lh_cli_error("%s", err);
    } else {
        lh_buf b = LH_BUF_INIT;
        if (json)
            lh_report_trend_json(&b, &r, names, ser.times);
        else
            lh_report_trend_text(&b, &r, names, (size_t)limit);
        if (lh_cli_flush(&b) == 0) {
            lh_cli_series_notes(&ser);
            status = r.ngrowing ? LH_EXIT_FOUND : LH_EXIT_OK;
        }
    }
done:
    lh_arena_free(&a);
    for (size_t i = 0; i < views.n; i++)
        lh_stacks_free(&views.v[i]);
    free(views.v);
    lh_cli_snapshots_free(&snaps);
    free(files);
    return status;
usage:
    free(files);
    return LH_EXIT_ERROR;
}
