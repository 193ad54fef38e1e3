/* leakhound top: where the memory (or whatever the profile counts) is, as
 * `go tool pprof -top` shows it, plus pprof's `list` for source lines. */
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "cli/cli.h"
#include "cli/profargs.h"
#include "report/profile_report.h"
#include "util/fs.h"

static const char top_usage[] =
    "usage: leakhound top PROFILE [options]\n"
    "\n"
    "Shows the heaviest functions (or lines) of a profile, like `go tool pprof -top`:\n"
    "flat is the value of samples whose innermost frame is the entry, cum of samples\n"
    "whose stack holds it; percentages are of the total. Leaf runtime frames\n"
    "(runtime.mallocgc, runtime.gopark, ...) are hidden so the caller is shown.\n"
    "PROFILE is a file (pprof proto, gzipped or not, or runtime text), - for\n"
    "standard input, or a URL as go tool pprof takes it: http://127.0.0.1:6060/\n"
    "debug/pprof/heap, or without the scheme, 127.0.0.1:6060/debug/pprof/heap\n"
    "(host:port alone reads /debug/pprof/heap). A path that exists is a file.\n"
    "\n"
    "options:\n"
    "  -n N                  show N entries (default 20; 0 = all); pprof: -nodecount\n"
    "  --sample TYPE         inuse_space|inuse_objects|alloc_space|alloc_objects or any\n"
    "                        sample type of the profile (default: the profile's default,\n"
    "                        inuse_space for heap profiles); pprof: -sample_index\n"
    "  --by function|line    aggregate by function (default) or by source line;\n"
    "                        pprof: -functions, -lines\n"
    "  --list REGEX          print the source of functions matching REGEX with each\n"
    "                        line's flat and cum values (when the files are readable)\n"
    "  --source-path DIRS    where --list looks for source files recorded with\n"
    "                        relative or foreign paths (colon-separated; like pprof's\n"
    "                        -source_path, also accepted: trailing parts of the path\n"
    "                        are tried)\n"
    "  --format text|json    output format (default text); -json for json\n"
    LH_CLI_LOAD_HELP
    "\n"
    "exit status: 0 ok, 2 usage error or unreadable/malformed profile.\n";

typedef struct top_opts {
    const char *profile;
    long limit;
    const char *sample;
    lh_granularity by;
    const char *list;
    const char *source_path;
    int json;
    lh_load_cfg load;
} top_opts;

/* ---- list ----------------------------------------------------------------- */

static int cmp_fn_line(const void *pa, const void *pb)
{
    const lh_top_entry *a = pa, *b = pb;
    int c = strcmp(a->function, b->function);
    if (c)
        return c;
    c = strcmp(a->file, b->file);
    if (c)
        return c;
    return a->line < b->line ? -1 : a->line > b->line;
}

/* Pointers to the starts of the file's lines (1-based), or NULL. */
static char **split_lines(char *data, size_t len, size_t *nlines)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += data[i] == '\n';
    char **lines = malloc((n + 1) * sizeof *lines);
    if (!lines)
        return NULL;
    size_t k = 0;
    lines[k++] = data;
    for (size_t i = 0; i < len; i++)
        if (data[i] == '\n') {
            data[i] = '\0';
            lines[k++] = data + i + 1;
        }
    *nlines = k;
    return lines;
}

/* Reads a profile's source file: as recorded, else under each directory of
 * source_path with the recorded path, then with ever shorter tails of it
 * (a build machine's /home/ci/src/app/x.go is ./app/x.go here). */
static int read_source(const char *file, const char *source_path, char **data, size_t *len,
                       char *err, size_t errlen)
{
    const size_t max = (size_t)64 << 20;
    if (lh_read_file(file, max, data, len, err, errlen) == 0)
        return 0;
    if (!source_path || !source_path[0])
        return -1;
    char tmp[256];
    const char *dirs = source_path;
    while (*dirs) {
        size_t dn = strcspn(dirs, ":");
        for (const char *tail = file; tail; tail = strchr(tail + 1, '/')) {
            const char *t = tail;
            while (*t == '/' || (t[0] == '.' && t[1] == '/'))
                t += *t == '/' ? 1 : 2;
            if (!*t)
                break;
            lh_buf path = LH_BUF_INIT;
            lh_buf_printf(&path, "%.*s/%s", (int)dn, dirs, t);
            int ok = lh_read_file(path.data, max, data, len, tmp, sizeof tmp) == 0;
            lh_buf_free(&path);
            if (ok)
                return 0;
        }
        dirs += dn;
        if (*dirs == ':')
            dirs++;
    }
    return -1;
}

/* One function: a header with its totals, then its source from a few lines
 * before the first line with a value to a few after the last, each line
 * with its flat and cum - pprof's `list`. */
static void list_function(lh_buf *b, const lh_top_result *r, const lh_top_entry *e, size_t n,
                          const char *source_path)
{
    int64_t flat = 0, cum = 0;
    for (size_t i = 0; i < n; i++) {
        flat += e[i].flat;
        if (e[i].cum > cum)
            cum = e[i].cum;
    }
    lh_buf_printf(b, "ROUTINE ======================== %s in %s\n", e[0].function,
                  e[0].file[0] ? e[0].file : "(unknown file)");
    lh_report_value(b, flat, r->unit);
    lh_buf_puts(b, " ");
    lh_report_value(b, cum, r->unit);
    lh_buf_printf(b, " (flat, cum) %.2f%% of Total\n",
                  r->total ? 100.0 * (double)cum / (double)r->total : 0.0);

    char *data = NULL, err[256];
    size_t len = 0, nlines = 0;
    char **lines = NULL;
    if (e[0].file[0] && read_source(e[0].file, source_path, &data, &len, err, sizeof err) == 0)
        lines = split_lines(data, len, &nlines);
    else if (e[0].file[0])
        lh_buf_printf(b, "    (source not readable: %s: %s)\n", e[0].file, err);

    int64_t lo = e[0].line - 3, hi = e[n - 1].line + 3;
    if (lo < 1)
        lo = 1;
    if (lines && hi > (int64_t)nlines)
        hi = (int64_t)nlines;
    size_t k = 0;
    for (int64_t ln = lo; ln <= hi; ln++) {
        while (k < n && e[k].line < ln)
            k++;
        int has = k < n && e[k].line == ln;
        if (!lines && !has)
            continue;
        if (has) {
            lh_buf t = LH_BUF_INIT;
            lh_report_value(&t, e[k].flat, r->unit);
            lh_buf_printf(b, " %10s ", t.data);
            lh_buf_clear(&t);
            lh_report_value(&t, e[k].cum, r->unit);
            lh_buf_printf(b, "%10s ", t.data);
            lh_buf_free(&t);
        } else {
            lh_buf_printf(b, " %10s %10s ", ".", ".");
        }
        lh_buf_printf(b, "%6" PRId64 ": %s\n", ln,
                      lines && ln <= (int64_t)nlines ? lines[ln - 1] : "");
    }
    free(lines);
    free(data);
}

static int print_list(lh_buf *b, const lh_stacks *s, int type, const char *re_src,
                      const char *source_path)
{
    regex_t re;
    if (regcomp(&re, re_src, REG_EXTENDED | REG_NOSUB) != 0) {
        lh_cli_error("invalid value \"%s\" for flag --list: not a regular expression", re_src);
        return -1;
    }
    lh_arena a;
    lh_arena_init(&a);
    lh_top_result r;
    lh_top(s, type, LH_BY_LINE, &a, &r);
    size_t n = 0;
    for (size_t i = 0; i < r.nentries; i++)
        if (regexec(&re, r.entries[i].function, 0, NULL, 0) == 0)
            r.entries[n++] = r.entries[i];
    regfree(&re);
    qsort(r.entries, n, sizeof *r.entries, cmp_fn_line);
    if (n == 0)
        lh_buf_printf(b, "no functions match '%s'\n", re_src);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && strcmp(r.entries[j].function, r.entries[i].function) == 0 &&
               strcmp(r.entries[j].file, r.entries[i].file) == 0)
            j++;
        list_function(b, &r, r.entries + i, j - i, source_path);
        i = j;
    }
    lh_arena_free(&a);
    return 0;
}

/* ---- the command ------------------------------------------------------------ */

static int parse_top(int argc, char **argv, top_opts *o)
{
    memset(o, 0, sizeof *o);
    long long limit = 20;
    int by = LH_BY_FUNCTION;
    const lh_flag flags[] = {
        {"n|nodecount", LH_FLAG_COUNT, &limit, 0, NULL, NULL},
        {"sample|sample_index", LH_FLAG_STRING, &o->sample, 0, NULL, NULL},
        LH_CLI_BY_FLAGS(&by),
        {"list", LH_FLAG_STRING, &o->list, 0, NULL, NULL},
        {"source-path|source_path", LH_FLAG_STRING, &o->source_path, 0, NULL, NULL},
        LH_CLI_FORMAT_FLAGS(&o->json),
        LH_FLAG_END,
    };
    lh_flag load[LH_CLI_LOAD_NFLAGS];
    lh_cli_load_flags(&o->load, load);
    o->load.default_path = LH_CLI_HEAP_PATH;
    const lh_flag *tables[] = {flags, load, NULL};
    char **ops = calloc((size_t)argc + 1, sizeof *ops);
    size_t nops;
    int rc = lh_flags_parse("top", top_usage, tables, argc, argv, ops, &nops);
    if (rc == 0 && nops != 1) {
        if (nops == 0)
            lh_cli_error("needs a PROFILE (see leakhound help top)");
        else
            lh_cli_error("one PROFILE only ('%s' and '%s')", ops[0], ops[1]);
        rc = -1;
    }
    if (rc == 0)
        o->profile = ops[0];
    free(ops);
    o->limit = (long)limit;
    o->by = (lh_granularity)by;
    return rc;
}

int lh_cmd_top(int argc, char **argv)
{
    top_opts o;
    int rc = parse_top(argc, argv, &o);
    if (rc != 0)
        return rc > 0 ? LH_EXIT_OK : LH_EXIT_ERROR;

    lh_profile *p;
    if (lh_cli_load_profile(o.profile, &o.load, &p) != 0)
        return LH_EXIT_ERROR;
    char err[512];
    lh_stacks s;
    if (lh_stacks_from_profile(&s, p, err, sizeof err) != 0) {
        lh_cli_error("%s", err);
        lh_profile_free(p);
        return LH_EXIT_ERROR;
    }
    int type = lh_cli_pick_type("top", &s, o.sample, o.profile);
    if (type < 0) {
        lh_stacks_free(&s);
        lh_profile_free(p);
        return LH_EXIT_ERROR;
    }
    lh_buf b = LH_BUF_INIT;
    int status = LH_EXIT_OK;
    if (o.list && !o.json) {
        if (print_list(&b, &s, type, o.list, o.source_path) != 0)
            status = LH_EXIT_ERROR;
    } else {
        lh_arena a;
        lh_arena_init(&a);
        lh_top_result r;
        lh_top(&s, type, o.list ? LH_BY_LINE : o.by, &a, &r);
        if (o.list) {
            /* JSON --list: the lines of the matching functions. */
            regex_t re;
            if (regcomp(&re, o.list, REG_EXTENDED | REG_NOSUB) != 0) {
                lh_cli_error("invalid value \"%s\" for flag --list: not a regular expression", o.list);
                status = LH_EXIT_ERROR;
            } else {
                size_t n = 0;
                for (size_t i = 0; i < r.nentries; i++)
                    if (regexec(&re, r.entries[i].function, 0, NULL, 0) == 0)
                        r.entries[n++] = r.entries[i];
                r.nentries = n;
                regfree(&re);
            }
        }
        if (status == LH_EXIT_OK)
            lh_cli_report_top(&b, &r, o.limit, o.json, o.profile, NULL);
        lh_arena_free(&a);
    }
    if (status == LH_EXIT_OK && lh_cli_flush(&b) != 0)
        status = LH_EXIT_ERROR;
    lh_buf_free(&b);
    lh_stacks_free(&s);
    lh_profile_free(p);
    return status;
}
