/* leakhound diff: what grew between two profiles of one program, pprof's
 * -base arithmetic (NEW minus BASE), and optionally that difference as a
 * pprof file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "cli/cli.h"
#include "cli/profargs.h"
#include "cli/series.h"
#include "util/fs.h"

static const char diff_usage[] =
    "usage: leakhound diff BASE NEW [options]\n"
    "       leakhound diff -base BASE NEW [options]\n"
    "       leakhound diff URL --every DURATION [options]\n"
    "\n"
    "Subtracts BASE from NEW (the arithmetic of `go tool pprof -base BASE NEW`) and\n"
    "shows the entries that grew most first; shrinkage sorts last, as negative\n"
    "values. Percentages are of the total change (growth and shrinkage alike).\n"
    "BASE and NEW are files, - (one of them) or URLs (http://, https://, or\n"
    "host:port/path as go tool pprof takes it; host:port alone reads\n"
    "/debug/pprof/heap). With --every, BASE is taken from URL now and NEW that\n"
    "much later; the same URL given twice would be fetched twice at once.\n"
    "\n"
    "options:\n"
    "  -n N                  show N entries (default 20; 0 = all); pprof: -nodecount\n"
    "  --sample TYPE         sample type (default: NEW's default, inuse_space for heap);\n"
    "                        pprof: -sample_index\n"
    "  --by function|line    aggregate by function (default) or by source line;\n"
    "                        pprof: -functions, -lines\n"
    "  -base BASE            BASE as a flag, as go tool pprof takes it\n"
    "  -o FILE               also write the difference as a gzipped pprof profile\n"
    "                        (readable by `go tool pprof -top FILE`), atomically\n"
    "  --format text|json    output format (default text); -json for json\n"
    LH_CLI_SERIES_HELP("2; only 2")
    LH_CLI_LOAD_HELP
    "\n"
    "exit status: 0 ok, 2 usage error or unreadable/malformed profile.\n";

typedef struct diff_opts {
    const char *base, *cur, *out;
    long limit;
    const char *sample;
    lh_granularity by;
    int json;
    lh_load_cfg load;
    lh_series_cfg series;
} diff_opts;

static int parse_diff(int argc, char **argv, diff_opts *o)
{
    memset(o, 0, sizeof *o);
    long long limit = 20;
    int by = LH_BY_FUNCTION;
    const lh_flag flags[] = {
        {"n|nodecount", LH_FLAG_COUNT, &limit, 0, NULL, NULL},
        {"o", LH_FLAG_STRING, &o->out, 0, NULL, NULL},
        {"base", LH_FLAG_STRING, &o->base, 0, NULL, NULL},
        {"sample|sample_index", LH_FLAG_STRING, &o->sample, 0, NULL, NULL},
        LH_CLI_BY_FLAGS(&by),
        LH_CLI_FORMAT_FLAGS(&o->json),
        LH_FLAG_END,
    };
    o->load.default_path = LH_CLI_HEAP_PATH;
    char **ops;
    size_t nops;
    int rc = lh_cli_series_parse("diff", diff_usage, flags, &o->load, &o->series, argc, argv, &ops,
                                 &nops);
    o->limit = (long)limit;
    o->by = (lh_granularity)by;
    /* BASE NEW, or -base BASE NEW as go tool pprof takes them; one URL
     * with --every. */
    size_t want = o->base || o->series.every_ns ? 1 : 2;
    if (rc == 0 && o->base && o->series.every_ns) {
        lh_cli_error("-base and --every exclude each other: --every takes BASE and NEW from one URL");
        rc = -1;
    }
    if (rc == 0 && nops != want) {
        if (nops < want)
            lh_cli_error("needs BASE and NEW (see leakhound help diff)");
        else
            lh_cli_error("two profiles only, BASE and NEW (extra: '%s')", ops[want]);
        rc = -1;
    }
    if (rc == 0 && o->series.every_ns) {
        o->base = o->cur = ops[0];
    } else if (rc == 0) {
        if (!o->base)
            o->base = ops[0];
        o->cur = ops[want - 1];
        if (strcmp(o->base, "-") == 0 && strcmp(o->cur, "-") == 0) {
            lh_cli_error("only one of BASE and NEW can be standard input");
            rc = -1;
        }
    }
    free(ops);
    return rc;
}

/* Encodes the difference and writes it in one rename, so a failed run
 * never leaves half a profile behind. */
static int write_delta(const diff_opts *o, const lh_profile *base, const lh_profile *cur)
{
    lh_profile *d = lh_diff_profile(base, cur);
    lh_buf out = LH_BUF_INIT;
    char err[512];
    int rc = lh_profile_encode(d, 1, &out, err, sizeof err);
    if (rc != 0)
        lh_cli_error("%s: cannot encode the difference: %s", o->out, err);
    else if ((rc = lh_write_file_atomic(o->out, out.data ? out.data : "", out.len, err, sizeof err)) != 0)
        lh_cli_error("%s: %s", o->out, err);
    lh_buf_free(&out);
    lh_profile_free(d);
    return rc;
}

int lh_cmd_diff(int argc, char **argv)
{
    diff_opts o;
    int rc = parse_diff(argc, argv, &o);
    if (rc != 0)
        return rc > 0 ? LH_EXIT_OK : LH_EXIT_ERROR;

    /* BASE and NEW as given, in that order: a diff does not reorder. */
    char *ops[2] = {(char *)o.base, (char *)o.cur};
    lh_profile_list profs = {NULL, 0, 0};
    lh_snapshots snaps;
    if (lh_cli_snapshots(ops, o.series.every_ns ? 1 : 2, &o.series, &o.load, 2, 2, 2,
                         lh_cli_keep_profile, &profs, &snaps) != 0) {
        lh_profile_list_free(&profs);
        lh_cli_snapshots_free(&snaps);
        return LH_EXIT_ERROR;
    }
    const lh_profile *base = profs.v[0], *cur = profs.v[1];
    o.base = snaps.names[0];
    o.cur = snaps.names[1];
    int status = LH_EXIT_ERROR;
    char err[512];
    lh_stacks s;
    lh_arena a;
    lh_arena_init(&a);
    lh_buf b = LH_BUF_INIT;
    if (lh_diff_stacks(base, cur, &s, err, sizeof err) != 0) {
        lh_cli_error("%s", err);
        goto done;
    }
    int type = lh_cli_pick_type("diff", &s, o.sample, o.cur);
    if (type >= 0) {
        lh_top_result r;
        lh_top(&s, type, o.by, &a, &r);
        lh_cli_report_top(&b, &r, o.limit, o.json, o.cur, o.base);
        if ((!o.out || write_delta(&o, base, cur) == 0) && lh_cli_flush(&b) == 0)
            status = LH_EXIT_OK;
    }
    lh_stacks_free(&s);
done:
    lh_buf_free(&b);
    lh_arena_free(&a);
    lh_profile_list_free(&profs);
    lh_cli_snapshots_free(&snaps);
    return status;
}
