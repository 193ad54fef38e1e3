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
    "\n"
    "Subtracts BASE from NEW (the arithmetic of `go tool pprof -base BASE NEW`) and\n"
    "shows the entries that grew most first; shrinkage sorts last, as negative\n"
    "values. Percentages are of the total change (growth and shrinkage alike).\n"
    "BASE and NEW are files, - (one of them) or http(s) URLs.\n"
    "\n"
    "options:\n"
    "  -n N                  show N entries (default 20; 0 = all)\n"
    "  --sample TYPE         sample type (default: NEW's default, inuse_space for heap)\n"
    "  --by function|line    aggregate by function (default) or by source line\n"
    "  -o FILE               also write the difference as a gzipped pprof profile\n"
    "                        (readable by `go tool pprof -top FILE`), atomically\n"
    "  --format text|json    output format (default text)\n"
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
    o->limit = 20;
    for (int i = 1; i < argc; i++) {
        const char *v;
        int m;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(diff_usage, stdout);
            return 1;
        }
        if ((m = lh_cli_opt(argc, argv, &i, "-n", "diff", &v)) != 0) {
            long long n;
            if (m < 0 || lh_cli_parse_count("diff", "-n", v, 0, &n) != 0)
                return -1;
            o->limit = (long)n;
        } else if ((m = lh_cli_opt(argc, argv, &i, "-o", "diff", &v)) != 0) {
            if (m < 0)
                return -1;
            o->out = v;
        } else if ((m = lh_cli_opt(argc, argv, &i, "--sample", "diff", &v)) != 0) {
            if (m < 0)
                return -1;
            o->sample = v;
        } else if ((m = lh_cli_opt(argc, argv, &i, "--by", "diff", &v)) != 0) {
            if (m < 0 || lh_cli_parse_by("diff", v, &o->by) != 0)
                return -1;
        } else if ((m = lh_cli_opt(argc, argv, &i, "--format", "diff", &v)) != 0) {
            if (m < 0 || lh_cli_parse_format("diff", v, &o->json) != 0)
                return -1;
        } else if ((m = lh_cli_load_opt(argc, argv, &i, "diff", &o->load)) != 0) {
            if (m < 0)
                return -1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "leakhound diff: unknown option %s (see leakhound diff --help)\n", argv[i]);
            return -1;
        } else if (!o->base) {
            o->base = argv[i];
        } else if (!o->cur) {
            o->cur = argv[i];
        } else {
            fprintf(stderr, "leakhound diff: two profiles only, BASE and NEW (extra: '%s')\n", argv[i]);
            return -1;
        }
    }
    if (!o->cur) {
        fprintf(stderr, "leakhound diff: needs BASE and NEW\n%s", diff_usage);
        return -1;
    }
    if (strcmp(o->base, "-") == 0 && strcmp(o->cur, "-") == 0) {
        fprintf(stderr, "leakhound diff: only one of BASE and NEW can be standard input\n");
        return -1;
    }
    return 0;
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
        fprintf(stderr, "leakhound diff: %s: cannot encode the difference: %s\n", o->out, err);
    else if ((rc = lh_write_file_atomic(o->out, out.data ? out.data : "", out.len, err, sizeof err)) != 0)
        fprintf(stderr, "leakhound diff: %s: %s\n", o->out, err);
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
        fprintf(stderr, "leakhound: %s\n", err);
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
