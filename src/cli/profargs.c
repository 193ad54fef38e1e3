#include "cli/profargs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "live/fetch.h"

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
    if (lh_fetch_is_url(arg)) {
        lh_fetch_opts fo = {url_timeout_ms(arg, cfg ? cfg->timeout_ms : 0), 0, 0};
        /* The fetch cap follows the inflate cap: a raw body can be as big
         * as an inflated one, and a gzip body is never bigger. */
        fo.max_bytes = po.max_inflated;
        char *data;
        size_t len;
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        if (lh_fetch_url(arg, &fo, &data, &len, err, sizeof err) != 0) {
            fprintf(stderr, "leakhound: %s\n", err);
            return -1;
        }
        int rc = lh_profile_parse(arg, (const unsigned char *)data, len, &po, out, err, sizeof err);
        free(data);
        if (rc != 0) {
            fprintf(stderr, "leakhound: %s\n", err);
            return -1;
        }
        if ((*out)->time_nanos == 0)
            (*out)->time_nanos = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
        return 0;
    }
    if (lh_profile_load_file(arg, &po, out, err, sizeof err) != 0) {
        fprintf(stderr, "leakhound: %s\n", err);
        return -1;
    }
    struct stat st;
    if ((*out)->time_nanos == 0 && strcmp(arg, "-") != 0 && stat(arg, &st) == 0)
        (*out)->time_nanos = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    return 0;
}

int lh_cli_parse_size(const char *s, size_t *out)
{
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno || s[0] == '-')
        return -1;
    unsigned shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    default: break;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end || v == 0 || v > (~0ULL >> shift))
        return -1;
    *out = (size_t)(v << shift);
    return 0;
}

int lh_cli_load_opt(int argc, char **argv, int *i, const char *cmd, lh_load_cfg *cfg)
{
    const char *v;
    int m;
    if ((m = lh_cli_opt(argc, argv, i, "--max-inflate", cmd, &v)) != 0) {
        if (m < 0)
            return -1;
        if (lh_cli_parse_size(v, &cfg->max_inflate) != 0) {
            fprintf(stderr, "leakhound %s: --max-inflate needs a size like 512M, not '%s'\n", cmd, v);
            return -1;
        }
        return 1;
    }
    if ((m = lh_cli_opt(argc, argv, i, "--timeout", cmd, &v)) != 0) {
        if (m < 0)
            return -1;
        char *end;
        double sec = strtod(v, &end);
        if (*end || end == v || !(sec > 0) || sec > 86400) {
            fprintf(stderr, "leakhound %s: --timeout needs seconds, like 10, not '%s'\n", cmd, v);
            return -1;
        }
        cfg->timeout_ms = (long)(sec * 1000 + 0.5);
        if (cfg->timeout_ms < 1)
            cfg->timeout_ms = 1;
        return 1;
    }
    return 0;
}

int lh_cli_opt(int argc, char **argv, int *i, const char *name, const char *cmd,
               const char **val)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "leakhound %s: option %s needs a value\n", cmd, name);
        return -1;
    }
    *val = argv[++*i];
    return 1;
}

int lh_cli_parse_by(const char *cmd, const char *v, lh_granularity *by)
{
    if (strcmp(v, "function") == 0 || strcmp(v, "functions") == 0)
        *by = LH_BY_FUNCTION;
    else if (strcmp(v, "line") == 0 || strcmp(v, "lines") == 0)
        *by = LH_BY_LINE;
    else {
        fprintf(stderr, "leakhound %s: --by must be function or line, not '%s'\n", cmd, v);
        return -1;
    }
    return 0;
}

int lh_cli_parse_count(const char *cmd, const char *opt, const char *v, long long min,
                       long long *out)
{
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (*end || end == v || errno == ERANGE || x < min) {
        fprintf(stderr, "leakhound %s: %s needs %s, not '%s'\n", cmd, opt,
                min > 0 ? "a positive number" : "a count", v);
        return -1;
    }
    *out = x;
    return 0;
}

int lh_cli_parse_format(const char *cmd, const char *v, int *json)
{
    if (strcmp(v, "text") == 0)
        *json = 0;
    else if (strcmp(v, "json") == 0)
        *json = 1;
    else {
        fprintf(stderr, "leakhound %s: --format must be text or json, not '%s'\n", cmd, v);
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
        fprintf(stderr, "leakhound: cannot write output\n");
    return rc;
}
