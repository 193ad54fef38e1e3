/* One poll loop over the listening socket and up to LH_HTTPD_MAX_CONNS
 * connections, each non-blocking and either reading its request or writing
 * its response. A client that trickles bytes, never finishes its headers or
 * never reads the answer holds one slot until its deadline and nothing
 * else: Prometheus' scrape is served beside it. */
#include "watch/httpd.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct lh_httpd {
    int fd;
    char address[128];
};

typedef struct conn {
    int fd;                         /* -1: free slot */
    int writing;
    long long deadline_ms;
    char in[LH_HTTPD_MAX_REQUEST + 1];
    size_t nin;
    lh_buf out;
    size_t sent;
} conn;

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

lh_httpd *lh_httpd_listen(const char *addr, char *err, size_t errlen)
{
    const char *colon = strrchr(addr, ':');
    if (!colon || !colon[1]) {
        snprintf(err, errlen, "--listen %s: want HOST:PORT, :PORT or [V6]:PORT", addr);
        return NULL;
    }
    char host[256];
    size_t hl = (size_t)(colon - addr);
    if (hl >= sizeof host) {
        snprintf(err, errlen, "--listen %s: host name too long", addr);
        return NULL;
    }
    memcpy(host, addr, hl);
    host[hl] = '\0';
    if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
        memmove(host, host + 1, hl - 2);
        host[hl - 2] = '\0';
    }
    for (const char *q = colon + 1; *q; q++) {
        if (*q < '0' || *q > '9') {
            snprintf(err, errlen, "--listen %s: port is not a number", addr);
            return NULL;
        }
    }
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int gai = getaddrinfo(host[0] ? host : NULL, colon + 1, &hints, &res);
    if (gai != 0) {
        snprintf(err, errlen, "--listen %s: %s", addr, gai_strerror(gai));
        return NULL;
    }
    int fd = -1, saved = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            saved = errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 128) == 0 &&
            set_nonblock(fd) == 0)
            break;
        saved = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        snprintf(err, errlen, "--listen %s: %s", addr, strerror(saved));
        return NULL;
    }
    lh_httpd *h = calloc(1, sizeof *h);
    if (!h) {
        close(fd);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    h->fd = fd;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char hbuf[NI_MAXHOST] = "?", pbuf[NI_MAXSERV] = "?";
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
        getnameinfo((struct sockaddr *)&ss, sl, hbuf, sizeof hbuf, pbuf, sizeof pbuf,
                    NI_NUMERICHOST | NI_NUMERICSERV);
    snprintf(h->address, sizeof h->address, ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s",
             hbuf, pbuf);
    return h;
}

const char *lh_httpd_address(const lh_httpd *h)
{
    return h->address;
}

void lh_httpd_free(lh_httpd *h)
{
    if (!h)
        return;
    close(h->fd);
    free(h);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int lh_http_unescape(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (*p != '%') {
            *o++ = *p;
            continue;
        }
        int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
            return -1;
        *o++ = (char)(hi * 16 + lo);
        p += 2;
    }
    *o = '\0';
    return 0;
}

void lh_http_escape(lh_buf *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '_' || c == '~' || c == '-')
            lh_buf_putc(out, (char)c);
        else
            lh_buf_printf(out, "%%%02X", c);
    }
}

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

static void respond(conn *c, int status, const char *type, const lh_buf *body, int head)
{
    lh_buf_clear(&c->out);
    lh_buf_printf(&c->out,
                  "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                  "Cache-Control: no-store\r\nConnection: close\r\n",
                  status, reason(status), type, body ? body->len : 0);
    if (status == 405)
        lh_buf_puts(&c->out, "Allow: GET, HEAD\r\n");
    lh_buf_puts(&c->out, "\r\n");
    if (body && body->len && !head)
        lh_buf_append(&c->out, body->data, body->len);
    c->writing = 1;
    c->sent = 0;
}

static void respond_text(conn *c, int status, const char *text)
{
    lh_buf b = LH_BUF_INIT;
    lh_buf_puts(&b, text);
    respond(c, status, "text/plain; charset=utf-8", &b, 0);
    lh_buf_free(&b);
}

/* The whole head has arrived (c->in holds it, NUL-terminated): parse the
 * request line, call the handler, queue the response. Headers are not
 * needed for anything served here and are not parsed. */
static void handle(conn *c, lh_http_handler fn, void *ctx)
{
    char *line_end = strpbrk(c->in, "\r\n");
    if (line_end)
        *line_end = '\0';
    char *method = c->in;
    char *sp1 = strchr(method, ' ');
    char *target = sp1 ? sp1 + 1 : NULL;
    char *sp2 = target ? strchr(target, ' ') : NULL;
    if (!sp1 || !sp2 || strncmp(sp2 + 1, "HTTP/1.", 7) != 0 || target[0] != '/') {
        respond_text(c, 400, "bad request line\n");
        return;
    }
    *sp1 = '\0';
    *sp2 = '\0';
    int head = strcmp(method, "HEAD") == 0;
    if (!head && strcmp(method, "GET") != 0) {
        respond_text(c, 405, "only GET and HEAD\n");
        return;
    }
    char *q = strpbrk(target, "?#");
    if (q)
        *q = '\0';
    if (lh_http_unescape(target) < 0) {
        respond_text(c, 400, "bad percent-escape in the path\n");
        return;
    }
    lh_http_response r = {200, "text/plain; charset=utf-8", LH_BUF_INIT};
    fn(ctx, target, &r);
    respond(c, r.status, r.content_type, &r.body, head);
    lh_buf_free(&r.body);
}

static void conn_close(conn *c)
{
    close(c->fd);
    c->fd = -1;
    lh_buf_free(&c->out);
}

/* Reads what is there; returns -1 when the connection is to be dropped. */
static int conn_read(conn *c, lh_http_handler fn, void *ctx)
{
    for (;;) {
        size_t room = LH_HTTPD_MAX_REQUEST - c->nin;
        if (room == 0) {
            respond_text(c, 431, "request head larger than 8 KB\n");
            return 0;
        }
        ssize_t k = recv(c->fd, c->in + c->nin, room, 0);
        if (k < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
        if (k == 0)
            return -1;      /* closed before finishing the request */
        size_t from = c->nin >= 3 ? c->nin - 3 : 0;
        c->nin += (size_t)k;
        c->in[c->nin] = '\0';
        for (size_t i = from; i + 1 < c->nin; i++) {
            if ((c->in[i] == '\n' && c->in[i + 1] == '\n') ||
                (i + 3 < c->nin && memcmp(c->in + i, "\r\n\r\n", 4) == 0)) {
                handle(c, fn, ctx);
                return 0;
            }
        }
    }
}

static int conn_write(conn *c)
{
    while (c->sent < c->out.len) {
        ssize_t k = send(c->fd, c->out.data + c->sent, c->out.len - c->sent, MSG_NOSIGNAL);
        if (k < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
        c->sent += (size_t)k;
    }
    /* All written: half-close so the client sees the end, then drop. */
    shutdown(c->fd, SHUT_WR);
    return -1;
}

int lh_httpd_serve(lh_httpd *h, lh_http_handler fn, void *ctx, volatile sig_atomic_t *stop,
                   char *err, size_t errlen)
{
    conn *conns = calloc(LH_HTTPD_MAX_CONNS, sizeof *conns);
    if (!conns) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int i = 0; i < LH_HTTPD_MAX_CONNS; i++)
        conns[i].fd = -1;
    struct pollfd pfd[LH_HTTPD_MAX_CONNS + 1];
    int slot_of[LH_HTTPD_MAX_CONNS + 1];
    int rc = 0;
    while (!*stop) {
        int np = 0, used = 0;
        for (int i = 0; i < LH_HTTPD_MAX_CONNS; i++) {
            if (conns[i].fd < 0)
                continue;
            used++;
            pfd[np] = (struct pollfd){conns[i].fd, (short)(conns[i].writing ? POLLOUT : POLLIN), 0};
            slot_of[np++] = i;
        }
        /* A full table stops accepting; the kernel's backlog holds the rest. */
        int listen_at = -1;
        if (used < LH_HTTPD_MAX_CONNS) {
            listen_at = np;
            pfd[np++] = (struct pollfd){h->fd, POLLIN, 0};
        }
        int k = poll(pfd, (nfds_t)np, 200);
        if (k < 0 && errno != EINTR) {
            snprintf(err, errlen, "poll: %s", strerror(errno));
            rc = -1;
            break;
        }
        long long now = now_ms();
        for (int p = 0; k > 0 && p < np; p++) {
            if (p == listen_at || !pfd[p].revents)
                continue;
            conn *c = &conns[slot_of[p]];
            int drop = (pfd[p].revents & (POLLERR | POLLNVAL)) != 0;
            if (!drop && !c->writing)
                drop = conn_read(c, fn, ctx) < 0;
            if (!drop && c->writing)
                drop = conn_write(c) < 0;
            if (drop)
                conn_close(c);
        }
        for (int i = 0; i < LH_HTTPD_MAX_CONNS; i++)
            if (conns[i].fd >= 0 && now > conns[i].deadline_ms)
                conn_close(&conns[i]);
        if (listen_at >= 0 && (pfd[listen_at].revents & POLLIN)) {
            for (int i = 0; i < LH_HTTPD_MAX_CONNS; i++) {
                if (conns[i].fd >= 0)
                    continue;
                int fd = accept(h->fd, NULL, NULL);
                if (fd < 0)
                    break;  /* EAGAIN, or a client that gave up: try next round */
                if (set_nonblock(fd) < 0) {
                    close(fd);
                    continue;
                }
                fcntl(fd, F_SETFD, FD_CLOEXEC);
                conns[i].fd = fd;
                conns[i].writing = 0;
                conns[i].nin = 0;
                conns[i].sent = 0;
                conns[i].out = (lh_buf)LH_BUF_INIT;
                conns[i].deadline_ms = now + LH_HTTPD_DEADLINE_MS;
            }
        }
    }
    for (int i = 0; i < LH_HTTPD_MAX_CONNS; i++)
        if (conns[i].fd >= 0)
            conn_close(&conns[i]);
    free(conns);
    return rc;
}
