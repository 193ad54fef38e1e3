#include "cli/profargs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "live/fetch.h"
#include "report/profile_report.h"
#include "util/duration.h"

/* net/http/pprof answers ?seconds=N after N seconds (a delta or a CPU
 * profile); the timeout must leave room for that, as pprof's own does. */
static long url_timeout_ms(const char *url, long configured)
{
    long base = configured > 0 ? configured : LH_FETCH_DEFAULT_TIMEOUT_MS;
    const char *q = strchr(url, '?');
    while (q) {
        q++;
        if (strncmp(q, "seconds=", 8) == 0) {
            long n = strtol(q + 8, NULL, 10);
            if (n > 0 && n < 86400)
                return base + n * 1000;
        }
        q = strchr(q, '&');
    }
    return base;
}

int lh_cli_load_profile(const char *arg, const lh_load_cfg *cfg, lh_profile **out)
{
    char err[512];
    lh_profile_opts po = {cfg ? cfg->max_inflate : 0};
    char url[4096];
    int isurl = lh_fetch_profile_url(arg, cfg ? cfg->default_path : NULL, url, sizeof url);
    if (isurl < 0) {
        lh_cli_error("%s: URL too long", arg);
        return -1;
    }
    if (isurl) {
        arg = url;
        lh_fetch_opts fo = {url_timeout_ms(arg, cfg ? cfg->timeout_ms : 0), 0, 0};
        /* The fetch cap follows the inflate cap: a raw body can be as big
         * as an inflated one, and a gzip body is never bigger. */
        fo.max_bytes = po.max_inflated;
        char *data;
        size_t len;
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        if (lh_fetch_url(arg, &fo, &data, &len, err, sizeof err) != 0) {
            lh_cli_error("%s", err);
            return -1;
        }
        int rc = lh_profile_parse(arg, (const unsigned char *)data, len, &po, out, err, sizeof err);
        free(data);
        if (rc != 0) {
            lh_cli_error("%s", err);
            return -1;
        }
        if ((*out)->time_nanos == 0)
            (*out)->time_nanos = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
        return 0;
    }
    if (lh_profile_load_file(arg, &po, out, err, sizeof err) != 0) {
        lh_cli_error("%s", err);
        return -1;
    }
    return 0;
}

int lh_cli_parse_size(const char *s, size_t *out)
{
    return lh_flag_parse_size(s, out);
}

static int timeout_flag(void *ctx, const char *flag, const char *val)
{
    lh_load_cfg *cfg = ctx;
    int64_t ns;
    const char *why = "";
    if (lh_duration_parse(val, &ns, &why) != 0 || ns <= 0 || ns > (int64_t)86400 * 1000000000) {
        if (*why)
            lh_cli_error("invalid value \"%s\" for flag %s: %s in duration (like 10s, 500ms, "
                         "1m30s)", val, flag, why);
        else
            lh_cli_error("invalid value \"%s\" for flag %s: not between 1ms and 24h", val, flag);
        return -1;
    }
    cfg->timeout_ms = (long)((ns + 999999) / 1000000);
    return 0;
}

void lh_cli_load_flags(lh_load_cfg *cfg, lh_flag table[LH_CLI_LOAD_NFLAGS])
{
    table[0] = (lh_flag){"max-inflate", LH_FLAG_SIZE, &cfg->max_inflate, 0, NULL, NULL};
    table[1] = (lh_flag){"timeout", LH_FLAG_FUNC, NULL, 0, timeout_flag, cfg};
    table[2] = (lh_flag)LH_FLAG_END;
}

int lh_cli_by_flag(void *ctx, const char *flag, const char *v)
{
    int *by = ctx;
    if (strcmp(v, "function") == 0 || strcmp(v, "functions") == 0)
        *by = LH_BY_FUNCTION;
    else if (strcmp(v, "line") == 0 || strcmp(v, "lines") == 0)
        *by = LH_BY_LINE;
    else {
        lh_cli_error("invalid value \"%s\" for flag %s: not function or line", v, flag);
        return -1;
    }
    return 0;
}

int lh_cli_pick_type(const char *cmd, const lh_stacks *s, const char *name, const char *profile)
{
    if (!name)
        return s->default_type;
    int t = lh_stacks_type(s, name);
    if (t >= 0)
        return t;
    fprintf(stderr, "leakhound %s: %s: no sample type '%s' (has:", cmd, profile, name);
    for (size_t i = 0; i < s->ntypes; i++)
        fprintf(stderr, " %s", s->type_names[i]);
    fprintf(stderr, ")\n");
    return -1;
}

int lh_cli_flush(lh_buf *b)
{
    int rc = lh_buf_write(b, stdout) == 0 && fflush(stdout) == 0 ? 0 : -1;
    lh_buf_free(b);
    if (rc != 0)
        lh_cli_error("cannot write output");
    return rc;
}

void lh_cli_report_top(lh_buf *b, const lh_top_result *r, long limit, int json, const char *profile,
                       const char *base)
{
    if (json) {
        lh_report_top_json(b, r, (size_t)limit, profile, base);
        return;
    }
    lh_buf title = LH_BUF_INIT;
    lh_buf_printf(&title, "File: %s", profile);
    if (base)
        lh_buf_printf(&title, "\nBase: %s", base);
    lh_report_top_text(b, r, (size_t)limit, title.data);
    lh_buf_free(&title);
}
