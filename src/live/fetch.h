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

#endif
