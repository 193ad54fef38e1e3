#include "live/fetch.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

int lh_fetch_is_url(const char *s)
{
    return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

/* "host:port" or "[v6]:port" over [s, e): rule 3 of lh_fetch_profile_url. */
static int is_host_port(const char *s, const char *e)
{
    const char *colon;
    if (s < e && *s == '[') {
        const char *close = memchr(s, ']', (size_t)(e - s));
        if (!close || close == s + 1 || close + 1 >= e || close[1] != ':')
            return 0;
        colon = close + 1;
    } else {
        colon = memchr(s, ':', (size_t)(e - s));
        if (!colon || colon == s)
            return 0;
        for (const char *q = s; q < colon; q++)
            if (!isalnum((unsigned char)*q) && *q != '.' && *q != '-' && *q != '_')
                return 0;
    }
    size_t digits = (size_t)(e - colon - 1);
    if (digits == 0 || digits > 5)
        return 0;
    for (const char *q = colon + 1; q < e; q++)
        if (!isdigit((unsigned char)*q))
            return 0;
    return 1;
}

int lh_fetch_profile_url(const char *arg, const char *default_path, char *url, size_t cap)
{
    struct stat st;
    if (strcmp(arg, "-") == 0 || stat(arg, &st) == 0)
        return 0;
    const char *rest;           /* after the scheme: host[:port][/path][?query] */
    const char *scheme = "";
    if (lh_fetch_is_url(arg)) {
        rest = strstr(arg, "://") + 3;
    } else {
        const char *end = arg + strcspn(arg, "/?");
        if (!is_host_port(arg, end))
            return 0;
        rest = arg;
        scheme = "http://";
    }
    const char *path = rest + strcspn(rest, "/?");
    int n;
    if (default_path && (*path == '\0' || strcmp(path, "/") == 0))
        n = snprintf(url, cap, "%s%.*s%s", scheme, (int)(path - arg), arg, default_path);
    else if (default_path && *path == '?')
        /* "host:6060?debug=1": the default path with the query given */
        n = snprintf(url, cap, "%s%.*s%.*s%s", scheme, (int)(path - arg), arg,
                     (int)strcspn(default_path, "?"), default_path, path);
    else
        n = snprintf(url, cap, "%s%s", scheme, arg);
    return n >= 0 && (size_t)n < cap ? 1 : -1;
}

typedef struct sink {
    char *data;
    size_t len, cap, max;
    int too_big, oom;
} sink;

/* Returning less than asked makes curl abort with CURLE_WRITE_ERROR; the
 * flags say which of our reasons it was, so the message can be precise. */
static size_t sink_write(char *p, size_t size, size_t nmemb, void *userdata)
{
    sink *s = userdata;
    size_t n = size * nmemb;
    if (s->len + n > s->max) {
        s->too_big = 1;
        return 0;
    }
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 65536;
        while (cap < s->len + n + 1)
            cap *= 2;
        char *nd = realloc(s->data, cap);
        if (!nd) {
            s->oom = 1;
            return 0;
        }
        s->data = nd;
        s->cap = cap;
    }
    memcpy(s->data + s->len, p, n);
    s->len += n;
    s->data[s->len] = '\0';
    return n;
}

/* curl_global_init is not thread-safe in old libcurls: commands that fetch
 * from one thread let the first fetch do it; the fleet daemon calls
 * lh_fetch_global_init before it starts its fetchers. */
static int curl_ready(void)
{
    static int state;   /* 0 untried, 1 ok, -1 failed */
    if (state == 0)
        state = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 1 : -1;
    return state == 1;
}

int lh_fetch_global_init(void)
{
    return curl_ready() ? 0 : -1;
}

int lh_fetch_url(const char *url, const lh_fetch_opts *opts, char **data, size_t *len,
                 char *err, size_t errlen)
{
    return lh_fetch_url_info(url, opts, data, len, NULL, err, errlen);
}

static lh_fetch_error curl_error_kind(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return LH_FETCH_CONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        return LH_FETCH_TIMEOUT;
    default:
        return LH_FETCH_OTHER;
    }
}

int lh_fetch_url_info(const char *url, const lh_fetch_opts *opts, char **data, size_t *len,
                      lh_fetch_info *info, char *err, size_t errlen)
{
    lh_fetch_info dummy;
    if (!info)
        info = &dummy;
    *info = (lh_fetch_info){LH_FETCH_OTHER, 0, 0};
    lh_fetch_opts o = opts ? *opts : (lh_fetch_opts){0, 0, 0};
    if (o.timeout_ms <= 0)
        o.timeout_ms = LH_FETCH_DEFAULT_TIMEOUT_MS;
    if (o.max_bytes == 0)
        o.max_bytes = LH_FETCH_DEFAULT_MAX_BYTES;
    if (o.max_redirects <= 0)
        o.max_redirects = LH_FETCH_DEFAULT_MAX_REDIRECTS;

    if (!lh_fetch_is_url(url)) {
        snprintf(err, errlen, "%s: not an http:// or https:// URL", url);
        return -1;
    }
    if (!curl_ready()) {
        snprintf(err, errlen, "%s: cannot initialise libcurl", url);
        return -1;
    }
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(err, errlen, "%s: cannot initialise libcurl", url);
        return -1;
    }
    char cerr[CURL_ERROR_SIZE] = "";
    sink s = {NULL, 0, 0, o.max_bytes, 0, 0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    /* A profile URL given on the command line must not be turned into a
     * file:// or other protocol read by a redirect. */
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)o.max_redirects);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o.timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, o.timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "leakhound");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    /* Bodies are stored as sent: pprof's /debug/pprof/heap is already gzip
     * inside, and decoders sniff the magic bytes themselves. */

    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    double secs = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &secs);
    curl_easy_cleanup(c);
    info->status = status;
    info->seconds = secs;
    info->error = rc != CURLE_OK ? curl_error_kind(rc) : status >= 400 ? LH_FETCH_HTTP : LH_FETCH_OK;

    if (rc != CURLE_OK) {
        if (s.too_big)
            snprintf(err, errlen, "%s: response larger than %zu bytes", url, o.max_bytes);
        else if (s.oom)
            snprintf(err, errlen, "%s: out of memory", url);
        else
            snprintf(err, errlen, "%s: %s", url, cerr[0] ? cerr : curl_easy_strerror(rc));
        free(s.data);
        return -1;
    }
    if (status >= 400) {
        /* The body of an error page is often one line saying why (Go's
         * pprof handler writes "Unknown profile: x"); show its start. */
        char why[121] = "";
        if (s.data) {
            size_t n = 0;
            while (n < s.len && n < sizeof why - 1 && s.data[n] != '\n' && s.data[n] != '\r') {
                unsigned char ch = (unsigned char)s.data[n];
                why[n] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
                n++;
            }
            why[n] = '\0';
        }
        if (why[0])
            snprintf(err, errlen, "%s: HTTP status %ld (%s)", url, status, why);
        else
            snprintf(err, errlen, "%s: HTTP status %ld", url, status);
        free(s.data);
        return -1;
    }
    if (!s.data) {
        s.data = malloc(1);
        if (!s.data) {
            snprintf(err, errlen, "%s: out of memory", url);
            return -1;
        }
        s.data[0] = '\0';
    }
    *data = s.data;
    *len = s.len;
    return 0;
}
