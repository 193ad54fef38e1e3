/* A minimal HTTP/1.1 server for the fleet daemon's pages (/metrics, /,
 * /report/TARGET): plain sockets, one thread, one poll loop.
 *
 * It serves Prometheus and a person's browser on a trusted network, and
 * must not be stalled by a slow or broken client: every connection has a
 * deadline for the whole exchange, requests are capped in size, one
 * response per connection (Connection: close), GET and HEAD only. */
#ifndef LH_WATCH_HTTPD_H
#define LH_WATCH_HTTPD_H

#include <signal.h>
#include <stddef.h>

#include "util/buf.h"

typedef struct lh_http_response {
    int status;                 /* 200 unless the handler says otherwise */
    const char *content_type;   /* static string */
    lh_buf body;
} lh_http_response;

/* path is the request target's path, percent-decoded, without the query;
 * the handler fills resp. Called on the server's thread. */
typedef void (*lh_http_handler)(void *ctx, const char *path, lh_http_response *resp);

typedef struct lh_httpd lh_httpd;

#define LH_HTTPD_MAX_REQUEST 8192       /* request line and headers */
#define LH_HTTPD_DEADLINE_MS 10000      /* accept to last byte written */
#define LH_HTTPD_MAX_CONNS 64

/* Binds addr: "HOST:PORT", ":PORT" (every interface) or "[V6]:PORT"; port 0
 * picks a free one (lh_httpd_address says which). NULL with err on failure. */
lh_httpd *lh_httpd_listen(const char *addr, char *err, size_t errlen);
/* The bound address, "HOST:PORT" with the real port. */
const char *lh_httpd_address(const lh_httpd *h);
/* Serves until *stop becomes non-zero (checked at least every 200 ms).
 * Returns 0, or -1 with err when the listening socket fails. */
int lh_httpd_serve(lh_httpd *h, lh_http_handler fn, void *ctx, volatile sig_atomic_t *stop,
                   char *err, size_t errlen);
void lh_httpd_free(lh_httpd *h);

/* Decodes %XX in place; returns -1 for a malformed escape or a decoded NUL. */
int lh_http_unescape(char *s);
/* Appends s with every byte outside [A-Za-z0-9._~-] as %XX (a path segment). */
void lh_http_escape(lh_buf *out, const char *s);

#endif
