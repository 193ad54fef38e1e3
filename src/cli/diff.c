/* leakhound diff: what grew between two profiles of one program, pprof's
 * -base arithmetic (NEW minus BASE), and optionally that difference as a
 * pprof file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "cli/cli.h"
#include "cli/profargs.h"
#include "report/profile_report.h"
#include "util/fs.h"

static const char diff_usage[] =
    "usage: leakhound diff BASE NEW [options]\n"
    "       leakhound diff -base BASE NEW [options]\n"
    "\n"
    "Subtracts BASE from NEW (the arithmetic of `go tool pprof -base BASE NEW`) and\n"
    "shows the entries that grew most first; shrinkage sorts last, as negative\n"
    "values. Percentages are of the total change (growth and shrinkage alike).\n"
    "BASE and NEW are files, - (one of them) or http(s) URLs.\n"
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
        {"by", LH_FLAG_FUNC, NULL, 0, lh_cli_by_flag, &by},
        {"functions", LH_FLAG_SET, &by, LH_BY_FUNCTION, NULL, NULL},
        {"lines", LH_FLAG_SET, &by, LH_BY_LINE, NULL, NULL},
        {"format", LH_FLAG_CHOICE, &o->json, 0, NULL, "text|json"},
        {"json", LH_FLAG_SET, &o->json, 1, NULL, NULL},
        LH_FLAG_END,
    };
    lh_flag load[LH_CLI_LOAD_NFLAGS];
    lh_cli_load_flags(&o->load, load);
    const lh_flag *tables[] = {flags, load, NULL};
    char **ops = calloc((size_t)argc + 1, sizeof *ops);
    size_t nops;
    int rc = lh_flags_parse("diff", diff_usage, tables, argc, argv, ops, &nops);
    o->limit = (long)limit;
    o->by = (lh_granularity)by;
    /* BASE NEW, or -base BASE NEW as go tool pprof takes them. */
    size_t want = o->base ? 1 : 2;
    if (rc == 0 && nops != want) {
        if (nops < want)
            lh_cli_error("needs BASE and NEW (see leakhound help diff)");
        else
            lh_cli_error("two profiles only, BASE and NEW (extra: '%s')", ops[want]);
        rc = -1;
    }
    if (rc == 0) {
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

    lh_profile *base = NULL, *cur = NULL;
    if (lh_cli_load_profile(o.base, &o.load, &base) != 0)
        return LH_EXIT_ERROR;
    if (lh_cli_load_profile(o.cur, &o.load, &cur) != 0) {
        lh_profile_free(base);
        return LH_EXIT_ERROR;
    }
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
        if (o.json) {
            lh_report_top_json(&b, &r, (size_t)o.limit, o.cur, o.base);
        } else {
            lh_buf title = LH_BUF_INIT;
            lh_buf_printf(&title, "File: %s\nBase: %s", o.cur, o.base);
            lh_report_top_text(&b, &r, (size_t)o.limit, title.data);
            lh_buf_free(&title);
        }
        if ((!o.out || write_delta(&o, base, cur) == 0) && lh_cli_flush(&b) == 0)
            status = LH_EXIT_OK;
    }
    lh_stacks_free(&s);
done:
    lh_buf_free(&b);
    lh_arena_free(&a);
    lh_profile_free(base);
    lh_profile_free(cur);
    return status;
}
