/* Fetching profiles over HTTP(S): the one place leakhound talks to a network.
 *
 * A profile argument may be a URL such as http://127.0.0.1:6060/debug/pprof/heap;
 * the body is fetched whole into memory and handed to the same decoders that
 * read files, so the rest of the program never knows where bytes came from. */
#ifndef LH_LIVE_FETCH_H
#define LH_LIVE_FETCH_H

#include <stddef.h>

typedef struct lh_fetch_opts {
    long timeout_ms;        /* whole transfer, connect included; 0 = default */
    size_t max_bytes;       /* larger bodies are an error; 0 = default */
    int max_redirects;      /* 0 = default; redirects stay on http(s) */
} lh_fetch_opts;

#define LH_FETCH_DEFAULT_TIMEOUT_MS 30000L
#define LH_FETCH_DEFAULT_MAX_BYTES ((size_t)256 << 20)
#define LH_FETCH_DEFAULT_MAX_REDIRECTS 5

/* True when s names an http:// or https:// URL (case-insensitive scheme). */
int lh_fetch_is_url(const char *s);

/* Whether a PROFILE argument is fetched, and from where, by the rule of
 * `go tool pprof`:
 *   1. a path that exists is a file, whatever it looks like
 *      (mem_03:55:24 or localhost:6060/heap in the current directory);
 *   2. http:// and https:// are URLs;
 *   3. host:port, host:port/path, [v6addr]:port/path, without a scheme, are
 *      http URLs (Go's url.Parse takes such a host for a scheme, and pprof
 *      then tries again with http:// in front);
 *   4. anything else is a file, and fails as one when it is missing.
 * A URL without a path (or with "/" alone) gets default_path, when not
 * NULL: pprof puts its CPU profile there; a command puts the profile it
 * reads (/debug/pprof/heap). Returns 1 with the URL in url[cap], 0 when arg
 * is a file or "-", -1 when the URL does not fit in cap. */
int lh_fetch_profile_url(const char *arg, const char *default_path, char *url, size_t cap);

/* Initialises libcurl once. Programs that fetch from several threads call
 * it before starting them (libcurl's global set-up is not thread-safe);
 * single-threaded ones need not, the first fetch does it. Returns 0 or -1. */
int lh_fetch_global_init(void);

/* Fetches url into a malloc'd buffer (NUL after the last byte, like
 * lh_read_file). An HTTP status of 400 or above is an error. Returns 0, or
 * -1 with a message in err that names the URL and the failure. opts may be
 * NULL for the defaults. */
int lh_fetch_url(const char *url, const lh_fetch_opts *opts, char **data, size_t *len,
                 char *err, size_t errlen);

/* Why a fetch failed, for callers that react differently to each (watch
 * retries a timeout, stops asking after a 404, ends after the service went
 * away). */
typedef enum lh_fetch_error {
    LH_FETCH_OK = 0,
    LH_FETCH_CONNECT,       /* refused, unreachable, name not resolved */
    LH_FETCH_TIMEOUT,
    LH_FETCH_HTTP,          /* status >= 400: see status */
    LH_FETCH_OTHER,         /* too big, out of memory, transfer broken */
} lh_fetch_error;

typedef struct lh_fetch_info {
    lh_fetch_error error;
    long status;            /* HTTP status; 0 when none was received */
    double seconds;         /* wall time of the transfer */
} lh_fetch_info;

/* lh_fetch_url that also says why it failed; info may be NULL. */
int lh_fetch_url_info(const char *url, const lh_fetch_opts *opts, char **data, size_t *len,
                      lh_fetch_info *info, char *err, size_t errlen);

#endif
