/* The fleet daemon's pieces that need no target: the file_sd reader (good
 * files, and one error naming file:line:col for each kind of bad one) and
 * the HTTP server (escaping, methods, size cap, a stalled client). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "watch/file_sd.h"
#include "watch/httpd.h"

/* ---- file_sd ---------------------------------------------------------- */

static int parse(const char *text, lh_arena *a, lh_sd_target **t, size_t *n, char *err)
{
    return lh_file_sd_parse("t.json", text, strlen(text), a, t, n, err, 512);
}

static void test_sd_good(void **state)
{
    (void)state;
    lh_arena a;
    lh_arena_init(&a);
    lh_sd_target *t;
    size_t n;
    char err[512] = "";
    const char *text =
        "[\n"
        "  {\"targets\": [\"127.0.0.1:6060\", \"http://b:1/debug/pprof/\"],\n"
        "   \"labels\": {\"zone\": \"b\", \"group\": \"api\\u00e9\\ud83d\\ude00\", \"__meta_x\": \"y\",\n"
        "              \"__leakhound_source__\": \"/src/api\"}},\n"
        "  {\"labels\": {}, \"targets\": [\"c:2\"]},\n"
        "  {\"targets\": []}\n"
        "]\n";
    assert_int_equal(parse(text, &a, &t, &n, err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(t[0].addr, "127.0.0.1:6060");
    assert_string_equal(t[1].addr, "http://b:1/debug/pprof/");
    /* Sorted by name; the meta label dropped; the source taken aside. */
    assert_int_equal(t[0].nlabels, 2);
    assert_string_equal(t[0].labels[0].name, "group");
    assert_string_equal(t[0].labels[0].value, "api\xc3\xa9\xf0\x9f\x98\x80");
    assert_string_equal(t[0].labels[1].name, "zone");
    assert_string_equal(t[0].source_dir, "/src/api");
    assert_ptr_equal(t[1].labels, t[0].labels);
    assert_string_equal(t[2].addr, "c:2");
    assert_int_equal(t[2].nlabels, 0);
    assert_null(t[2].source_dir);

    assert_int_equal(parse(" [ ] ", &a, &t, &n, err), 0);
    assert_int_equal(n, 0);
    lh_arena_free(&a);
}

static void expect_error(const char *text, const char *want)
{
    lh_arena a;
    lh_arena_init(&a);
    lh_sd_target *t;
    size_t n;
    char err[512] = "";
    assert_int_equal(parse(text, &a, &t, &n, err), -1);
    if (strcmp(err, want) != 0)
        fail_msg("for %s\n got: %s\nwant: %s", text, err, want);
    lh_arena_free(&a);
}

static void test_sd_errors(void **state)
{
    (void)state;
    expect_error("", "t.json:1:1: expected '[' (a list of target groups), found the end of the file");
    expect_error("{}", "t.json:1:1: expected '[' (a list of target groups), found '{'");
    expect_error("[{\"targets\": [\"a:1\",]}]",
                 "t.json:1:21: expected a target (\"host:port\" or a URL) (a string), found ']'");
    expect_error("[\n  {\"targets\": [\"a:1\"]},\n]",
                 "t.json:3:1: expected '{' (a target group), found ']'");
    expect_error("[{\"targets\": [\"a:1\"], \"label\": {}}]",
                 "t.json:1:23: unknown key \"label\" (a group has \"targets\" and \"labels\")");
    expect_error("[{\"labels\": {\"a\": \"b\"}}]", "t.json:1:2: target group without \"targets\"");
    expect_error("[{\"targets\": [\"a:1\"], \"targets\": []}]",
                 "t.json:1:23: duplicate key \"targets\"");
    expect_error("[{\"targets\": [\"a:1\"], \"labels\": {\"1x\": \"b\"}}]",
                 "t.json:1:34: \"1x\" is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)");
    expect_error("[{\"targets\": [\"a:1\"], \"labels\": {\"target\": \"b\"}}]",
                 "t.json:1:34: label \"target\" is one leakhound sets on its own series");
    expect_error("[{\"targets\": [\"a:1\"], \"labels\": {\"x\": \"b\", \"x\": \"c\"}}]",
                 "t.json:1:44: duplicate label \"x\"");
    expect_error("[{\"targets\": [\"a:1\"], \"labels\": {\"x\": 1}}]",
                 "t.json:1:39: expected a label value (a string), found '1'");
    expect_error("[{\"targets\": [\"a:1\"]},\n {\"targets\": [\"b:2\", \"a:1\"]}]",
                 "t.json:2:22: target \"a:1\" listed twice (first at line 1)");
    expect_error("[{\"targets\": [\"\"]}]", "t.json:1:15: empty target");
    expect_error("[{\"targets\": [\"a b\"]}]",
                 "t.json:1:15: target \"a b\" contains a space or control character");
    expect_error("[{\"targets\": [\"a:1\"]}] x",
                 "t.json:1:24: unexpected 'x' after the list of target groups");
    expect_error("[{\"targets\": [\"a:1\"]}", "t.json:1:22: expected ',' or ']' after a target group, found the end of the file");
    expect_error("[{\"targets\": [\"a:1]}]", "t.json:1:15: unterminated string");
    expect_error("[{\"targets\": [\"a\\q\"]}]", "t.json:1:17: unknown escape '\\q'");
    expect_error("[{\"targets\": [\"a\\ud800\"]}]",
                 "t.json:1:17: high surrogate \\ud800 without its low half");
    expect_error("[{\"targets\": [\"a\\u0000\"]}]", "t.json:1:17: \\u0000 is not allowed here");
    expect_error("[{\"targets\": [\"a\xff\"]}]", "t.json:1:17: invalid UTF-8");
    expect_error("[{\"targets\": [\"a\tb\"]}]",
                 "t.json:1:17: control character 0x09 in a string (escape it)");
    expect_error("\xef\xbb\xbf[]", "t.json:1:1: byte order mark at the start (not allowed in JSON)");
    expect_error("// c\n[]", "t.json:1:1: expected '[' (a list of target groups), found '/'");
}

static void test_sd_read_missing(void **state)
{
    (void)state;
    lh_arena a;
    lh_arena_init(&a);
    lh_sd_target *t;
    size_t n;
    char err[512];
    assert_int_equal(lh_file_sd_read("/nonexistent/targets.json", &a, &t, &n, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/targets.json: "));
    lh_arena_free(&a);
}

/* ---- HTTP ------------------------------------------------------------- */

static void test_http_escape(void **state)
{
    (void)state;
    lh_buf b = LH_BUF_INIT;
    lh_http_escape(&b, "http://a:1/x y");
    assert_string_equal(b.data, "http%3A%2F%2Fa%3A1%2Fx%20y");
    char s[64];
    strcpy(s, b.data);
    assert_int_equal(lh_http_unescape(s), 0);
    assert_string_equal(s, "http://a:1/x y");
    strcpy(s, "%2");
    assert_int_equal(lh_http_unescape(s), -1);
    strcpy(s, "a%00b");
    assert_int_equal(lh_http_unescape(s), -1);
    lh_buf_free(&b);
}

static void echo_handler(void *ctx, const char *path, lh_http_response *r)
{
    (void)ctx;
    if (strcmp(path, "/x y") != 0)
        r->status = 404;
    lh_buf_printf(&r->body, "path=%s\n", path);
}

typedef struct server {
    lh_httpd *h;
    volatile sig_atomic_t stop;
} server;

static void *serve_thread(void *arg)
{
    server *s = arg;
    char err[256];
    lh_httpd_serve(s->h, echo_handler, NULL, &s->stop, err, sizeof err);
    return NULL;
}

static int dial(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    return fd;
}

/* Sends req (len bytes) and reads until the server closes. */
static void exchange(int port, const char *req, size_t len, char *out, size_t outlen)
{
    int fd = dial(port);
    size_t off = 0;
    while (off < len) {
        ssize_t k = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (k <= 0)
            break;  /* the server may close a too-large request early */
        off += (size_t)k;
    }
    size_t n = 0;
    ssize_t k;
    while (n + 1 < outlen && (k = recv(fd, out + n, outlen - 1 - n, 0)) > 0)
        n += (size_t)k;
    out[n] = '\0';
    close(fd);
}

static void test_httpd(void **state)
{
    (void)state;
    char err[256];
    server s = {lh_httpd_listen("127.0.0.1:0", err, sizeof err), 0};
    assert_non_null(s.h);
    const char *addr = lh_httpd_address(s.h);
    int port = atoi(strrchr(addr, ':') + 1);
    assert_true(port > 0);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, serve_thread, &s), 0);

    /* A client that connects and sends half a request line holds a slot;
     * the next client is answered all the same. */
    int slow = dial(port);
    assert_int_equal(send(slow, "GET /x", 6, 0), 6);

    char out[4096];
    const char *req = "GET /x%20y?q=1 HTTP/1.1\r\nHost: a\r\n\r\n";
    exchange(port, req, strlen(req), out, sizeof out);
    assert_true(strncmp(out, "HTTP/1.1 200 OK\r\n", 17) == 0);
    assert_non_null(strstr(out, "Content-Length: 10\r\n"));
    assert_non_null(strstr(out, "\r\n\r\npath=/x y\n"));

    req = "HEAD /x%20y HTTP/1.1\r\n\r\n";
    exchange(port, req, strlen(req), out, sizeof out);
    assert_true(strncmp(out, "HTTP/1.1 200 OK\r\n", 17) == 0);
    assert_non_null(strstr(out, "Content-Length: 10\r\n"));
    assert_null(strstr(out, "path="));

    req = "POST /x HTTP/1.1\r\n\r\n";
    exchange(port, req, strlen(req), out, sizeof out);
    assert_true(strncmp(out, "HTTP/1.1 405 ", 13) == 0);

    req = "garbage\r\n\r\n";
    exchange(port, req, strlen(req), out, sizeof out);
    assert_true(strncmp(out, "HTTP/1.1 400 ", 13) == 0);

    /* Headers past the cap: 431, not an unbounded buffer. */
    static char big[3 * LH_HTTPD_MAX_REQUEST];
    memset(big, 'a', sizeof big);
    memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
    exchange(port, big, sizeof big, out, sizeof out);
    assert_true(strncmp(out, "HTTP/1.1 431 ", 13) == 0);

    close(slow);
    s.stop = 1;
    pthread_join(th, NULL);
    lh_httpd_free(s.h);

    assert_null(lh_httpd_listen("127.0.0.1", err, sizeof err));
    assert_non_null(strstr(err, "want HOST:PORT"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sd_good),
        cmocka_unit_test(test_sd_errors),
        cmocka_unit_test(test_sd_read_missing),
        cmocka_unit_test(test_http_escape),
        cmocka_unit_test(test_httpd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
