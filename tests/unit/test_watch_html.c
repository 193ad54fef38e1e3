/* The HTML report of watch on reports built in memory (tests/watchhtml/
 * fixtures.c): the markup nests, every string is escaped, numbers in the
 * SVG are numbers whatever the series hold, nothing is loaded from outside,
 * source lines appear (and only from .go files inside --source), the file
 * is written atomically. The browser test renders the same fixtures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../watchhtml/fixtures.h"
#include "util/fs.h"

static char tmpdir[] = "/tmp/lh_watch_html.XXXXXX";

static char *source_dir(void)
{
    static char dir[4096];
    const char *src = getenv("LH_SRC");
    snprintf(dir, sizeof dir, "%s/tests/watchhtml/testdata", src ? src : ".");
    return dir;
}

/* Writes r and reads the page back (the caller frees it). */
static char *render(const lh_watch_report *r)
{
    char path[4200], err[256];
    snprintf(path, sizeof path, "%s/out.html", tmpdir);
    assert_int_equal(lh_watch_write_html(r, path, err, sizeof err), 0);
    char *data;
    size_t len;
    assert_int_equal(lh_read_file(path, 64u << 20, &data, &len, err, sizeof err), 0);
    assert_int_equal(strlen(data), len);
    return data;
}

static char *render_fixture(const char *name, const char *src)
{
    lh_arena a;
    lh_arena_init(&a);
    const lh_watch_report *r = lhw_fixture(&a, name, src);
    assert_non_null(r);
    char *page = render(r);
    lh_arena_free(&a);
    return page;
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static bool is_void(const char *name, size_t n)
{
    static const char *const v[] = {"meta", "br", "img", "hr", "link", "input"};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        if (strlen(v[i]) == n && strncmp(v[i], name, n) == 0)
            return true;
    return false;
}

/* The page parses as nested elements: every '<' starts a tag, every tag is
 * closed in order (SVG's empty elements with "/>"), attribute values are
 * quoted and hold no '<'. A string that escaped escaping breaks one of these. */
static void check_markup(const char *page)
{
    assert_true(strncmp(page, "<!DOCTYPE html>\n", 16) == 0);
    const char *stack[256];
    size_t lens[256], depth = 0;
    const char *p = page + 16;
    while ((p = strchr(p, '<'))) {
        p++;
        bool close = *p == '/';
        if (close)
            p++;
        const char *name = p;
        while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            p++;
        size_t n = (size_t)(p - name);
        if (n == 0)
            fail_msg("a '<' that starts no tag: %.40s", name - 1);
        bool selfclose = false;
        while (*p && *p != '>') {
            if (*p == '"') {
                const char *q = strchr(p + 1, '"');
                assert_non_null(q);
                for (const char *c = p + 1; c < q; c++)
                    if (*c == '<')
                        fail_msg("'<' in an attribute value: %.60s", p);
                p = q + 1;
                continue;
            }
            if (*p == '<' || *p == '\'')
                fail_msg("unquoted markup in a tag: %.60s", p);
            if (*p == ' ' && p[1] == 'o' && p[2] == 'n')
                fail_msg("an event handler attribute: %.60s", p);
            if (strncmp(p, " src=", 5) == 0 || (strncmp(p, " href=\"", 7) == 0 && p[7] != '#'))
                fail_msg("a link out of the page: %.60s", p);
            selfclose = *p == '/';
            p++;
        }
        assert_int_equal(*p, '>');
        if (close) {
            if (depth == 0 || lens[depth - 1] != n || strncmp(stack[depth - 1], name, n) != 0)
                fail_msg("</%.*s> closes %.*s", (int)n, name, depth ? (int)lens[depth - 1] : 4,
                         depth ? stack[depth - 1] : "none");
            depth--;
        } else if (!selfclose && !is_void(name, n)) {
            assert_true(depth < 256);
            stack[depth] = name;
            lens[depth++] = n;
        }
    }
    assert_int_equal(depth, 0);
}

/* Valid UTF-8, no control characters but newline and tab. */
static void check_text(const char *page)
{
    const unsigned char *p = (const unsigned char *)page;
    while (*p) {
        unsigned c = *p;
        size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
        assert_true(len > 0);
        if (c < 0x20 && c != '\n' && c != '\t')
            fail_msg("control character 0x%02x at %td", c, (const char *)p - page);
        if (c == 0x7f)
            fail_msg("DEL at %td", (const char *)p - page);
        for (size_t i = 1; i < len; i++)
            assert_int_equal(p[i] & 0xc0, 0x80);
        p += len;
    }
}

/* Geometry attributes hold numbers and path commands only: no "nan", "inf"
 * or exponent leaked from a hostile series. */
static void check_numbers(const char *page)
{
    static const char *const attrs[] = {" d=\"", " cx=\"", " cy=\"", " x=\"", " y=\"", " x1=\"",
                                        " x2=\"", " y1=\"", " y2=\""};
    for (size_t k = 0; k < sizeof attrs / sizeof *attrs; k++)
        for (const char *p = page; (p = strstr(p, attrs[k]));) {
            p += strlen(attrs[k]);
            for (; *p != '"'; p++)
                if (!strchr("0123456789.- MLlhz", *p))
                    fail_msg("%s holds '%c': %.60s", attrs[k], *p, p);
        }
}

/* Nothing that makes a browser load or run anything. */
static void check_offline(const char *page)
{
    assert_null(strstr(page, "<script"));
    assert_null(strstr(page, "<img"));
    assert_null(strstr(page, "<link"));
    assert_null(strstr(page, "url("));
    assert_null(strstr(page, "@import"));
    assert_non_null(strstr(page, "Content-Security-Policy\" content=\"default-src 'none'"));
}

static void check_all(const char *page)
{
    check_markup(page);
    check_text(page);
    check_numbers(page);
    check_offline(page);
}

static void test_leak(void **state)
{
    (void)state;
    char *page = render_fixture("leak", source_dir());
    check_all(page);
    /* Verdict first, then two overview charts and one per suspect. */
    const char *verdict = strstr(page, "<header class=\"verdict leak\"><h1>Memory leak: the cache");
    assert_non_null(verdict);
    assert_true(verdict < strstr(page, "<svg"));
    assert_non_null(strstr(page, "<p><b>Most likely:</b> <code>example.com/svc.(*Cache["));
    assert_non_null(strstr(page, "<p>The source confirms it: the static rule <code>unbounded-map-growth</code>"));
    /* What to do, from the confirming rule's fix. */
    assert_non_null(strstr(page, "<p><b>What to do:</b> bound the cache (evict old entries) or "
                                 "delete keys when done (at <code>svc/cache.go:16</code>).</p>"));
    assert_int_equal(count(page, "<svg"), 2 + 3);
    assert_int_equal(count(page, "<article class=\"suspect\""), 3);
    /* Generic names escaped in heading, table and stack. */
    assert_non_null(strstr(page, "<code>example.com/svc.(*Cache[go.shape.string,go.shape.interface {}]).Put</code>"));
    /* Gaps and restarts break the line: heap's path starts again after the
     * two failed fetches and at the restart (no drop drawn between two
     * processes); 40 points, 3 runs. */
    const char *heap = strstr(page, "<g class=\"series heap\">");
    assert_non_null(heap);
    const char *d = strstr(heap, " d=\"");
    assert_non_null(d);
    size_t dlen = (size_t)(strchr(d + 4, '"') - d);
    char *path = strndup(d, dlen);
    assert_int_equal(count(path, "M"), 3);
    assert_int_equal(count(path, " L"), 38 - 3);
    free(path);
    /* The restart and the three notes are marked on both overview charts. */
    assert_int_equal(count(page, "<g class=\"restart\">"), 2 + 3);
    assert_int_equal(count(page, "<g class=\"note\">"), 2 * 3);
    /* Source lines, found under --source by the path's tail, line 16 marked,
     * its text escaped. */
    assert_non_null(strstr(page, "<span class=\"hit\"><i>16</i>\tc.m[k] = v // never evicted: &lt;grows&gt; &amp; grows</span>"));
    assert_non_null(strstr(page, "<i>13</i>\tif c.m == nil &amp;&amp; len(c.m) &lt; 1&lt;&lt;30 {"));
    assert_null(strstr(page, "<i>12</i>"));
    /* Files not under --source are not shown, and say so. */
    assert_non_null(strstr(page, "Source of <code>/build/src/svc/fanout.go</code> not found under"));
    /* The user frame and the std frame are marked in the stack. */
    assert_non_null(strstr(page, "<li class=\"user\"><code>example.com/svc.(*Cache"));
    assert_non_null(strstr(page, "<li class=\"std\"><code>runtime.mapassign_faststr</code>"));
    /* The confirmation: rule, position, fix. */
    assert_non_null(strstr(page, "<code>unbounded-map-growth</code> at <code>svc/cache.go:16:2</code>"));
    assert_non_null(strstr(page, "<b>Fix:</b> bound the cache"));
    /* Units for people. */
    assert_non_null(strstr(page, "+504 MB per hour"));
    assert_non_null(strstr(page, "+3.36k goroutines per hour"));
    assert_non_null(strstr(page, "for 19m30s: 40 snapshots, 1 restart, 3 notes"));
    free(page);
}

static void test_steady_and_empty(void **state)
{
    (void)state;
    char *page = render_fixture("steady", NULL);
    check_all(page);
    assert_non_null(strstr(page, "<header class=\"verdict ok\"><h1>No leak: memory and goroutines warmed up"));
    assert_non_null(strstr(page, "<p class=\"none\">No suspects."));
    assert_int_equal(count(page, "<svg"), 2);
    assert_null(strstr(page, "<article"));
    free(page);

    page = render_fixture("empty", NULL);
    check_all(page);
    /* No verdict from the watcher: the page says one in its own words. */
    assert_non_null(strstr(page, "<h1>No leak found"));
    assert_non_null(strstr(page, "Too few snapshots"));
    assert_non_null(strstr(page, "no data in any snapshot"));
    assert_null(strstr(page, "<path"));
    free(page);
}

static void test_one_snapshot(void **state)
{
    (void)state;
    char *page = render_fixture("one", NULL);
    check_all(page);
    /* One point is a dot in the middle of each chart, not an empty path. */
    assert_int_equal(count(page, "<svg"), 3);
    assert_int_equal(count(page, "<circle"), 3);
    assert_non_null(strstr(page, "unknown growth"));
    /* Memory and counts are drawn from zero. */
    assert_non_null(strstr(page, ">0 B</text>"));
    assert_non_null(strstr(page, ">0</text>"));
    /* The time axis around a lone snapshot at 0 has no negative ticks. */
    assert_non_null(strstr(page, ">0s</text>"));
    assert_null(strstr(page, "&#8722;"));
    /* An absolute path outside any --source that does not exist. */
    assert_non_null(strstr(page, "Source of <code>/src/main.go</code> not readable here"));
    free(page);
}

/* The watch's length in Go's style, at each unit's edge: under a second
 * in ms, exact seconds plain, tenths under ten seconds, then m/h/d. */
static void test_durations(void **state)
{
    (void)state;
    static const struct {
        double s;
        const char *want;
    } cases[] = {
        {0.25, " for 250ms: "}, {0.999, " for 999ms: "}, {1, " for 1s: "},
        {2.5, " for 2.5s: "},   {10, " for 10s: "},     {59.6, " for 1m: "},
        {61, " for 1m1s: "},    {3600, " for 1h: "},    {90000, " for 1d1h: "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lh_arena a;
        lh_arena_init(&a);
        lh_watch_report *r = (lh_watch_report *)lhw_fixture(&a, "steady", NULL);
        assert_non_null(r);
        r->duration_s = cases[i].s;
        char *page = render(r);
        if (!strstr(page, cases[i].want))
            fail_msg("%g s: no \"%s\" in the header", cases[i].s, cases[i].want);
        free(page);
        lh_arena_free(&a);
    }
}

static void test_hostile(void **state)
{
    (void)state;
    char *page = render_fixture("hostile", NULL);
    check_all(page);
    assert_null(strstr(page, "__pwned=1</script>"));
    assert_non_null(strstr(page, "&lt;/title&gt;&lt;/code&gt;&lt;script&gt;window.__pwned=1"));
    assert_non_null(strstr(page, "&quot;&#39;&amp;amp;&amp;lt;"));
    /* Controls and invalid bytes became U+FFFD, the text after them kept. */
    assert_non_null(strstr(page, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd("));
    assert_non_null(strstr(page, "go.shape.struct { F func() &lt;-chan int }]"));
    /* Every chart still draws something from the finite points. */
    assert_int_equal(count(page, "<svg"), 4);
    /* Goroutines alternate with -inf: lone points, dots and no line. */
    assert_int_equal(count(page, "<path class=\"line\""), 3);
    assert_int_equal(count(page, "<g class=\"series gor\"><title>goroutines</title><circle"), 1);
    /* Snapshots 1 ms apart: the time axis in milliseconds. */
    assert_non_null(strstr(page, ">5ms</text>"));
    /* Huge and infinite numbers read as such. */
    assert_non_null(strstr(page, "unknown growth"));
    assert_non_null(strstr(page, "n/a"));
    assert_null(strstr(page, "inf"));
    assert_null(strstr(page, "nan"));
    free(page);
}

static void test_many(void **state)
{
    (void)state;
    char *page = render_fixture("many", NULL);
    check_all(page);
    assert_int_equal(count(page, "<article class=\"suspect\""), 25);
    assert_non_null(strstr(page, "75 more suspects not shown"));
    assert_non_null(strstr(page, "site025"));
    assert_null(strstr(page, "site026"));
    /* Axis labels in the unit's own steps. */
    assert_non_null(strstr(page, " GB</text>"));
    free(page);
}

static void test_rss(void **state)
{
    (void)state;
    char *page = render_fixture("rss", NULL);
    check_all(page);
    /* No heap or goroutines: one memory chart of RSS and the suspect's. */
    assert_int_equal(count(page, "<svg"), 2);
    assert_non_null(strstr(page, "<figcaption>Process memory (RSS)</figcaption>"));
    assert_non_null(strstr(page, "The process's memory keeps climbing: +1.17 GB per hour."));
    assert_int_equal(count(page, "<g class=\"restart\">"), 2 * 2);
    free(page);
}

/* The lowest y (the highest point) in the first path of class cls. */
static double path_top(const char *page, const char *cls, size_t *npoints)
{
    char key[64];
    snprintf(key, sizeof key, "<g class=\"series %s\">", cls);
    const char *p = strstr(page, key);
    assert_non_null(p);
    p = strstr(p, " d=\"");
    assert_non_null(p);
    p += 4;
    double top = 1e9;
    *npoints = 0;
    while (*p != '"') {
        assert_true(*p == 'M' || *p == 'L' || *p == ' ');
        if (*p++ == ' ')
            continue;
        char *end;
        strtod(p, &end);                /* x */
        double py = strtod(end, &end);
        top = py < top ? py : top;
        ++*npoints;
        p = end;
    }
    return top;
}

/* A day of snapshots a second apart: a few points per pixel column, the
 * page small, and the one spike still drawn. */
static void test_long(void **state)
{
    (void)state;
    lh_arena a;
    lh_arena_init(&a);
    const lh_watch_report *r = lhw_fixture(&a, "long", NULL);
    char *page = render(r);
    check_all(page);
    /* The verdict names the suspect: no "Most likely" line repeating it. */
    assert_non_null(strstr(page, "<h1>Memory leak: main.(*store).add holds"));
    assert_null(strstr(page, "Most likely"));
    assert_non_null(strstr(page, "<p><b>What to do:</b> find what keeps"));
    size_t npoints;
    double spike_top = path_top(page, "heap", &npoints);
    assert_true(npoints <= 4 * (640 - 70 - 14 + 1));
    assert_true(npoints >= 640 - 70 - 14);
    assert_true(strlen(page) < 200 * 1024);
    /* The spike (2e9 against a climb to 0.4e9) tops a 0..2 GB axis: near
     * the plot's top edge (16), where dropping it would leave the line at
     * about 165. */
    assert_non_null(strstr(page, ">2 GB</text>"));
    assert_true(spike_top < 35);
    free(page);
    lh_arena_free(&a);
}

/* The profile's path names another machine's tree: scan's path to the same
 * line shows the source instead. A finding on another line (the function's
 * declaration) brings its own lines into the confirmation. */
static void test_source_from_finding(void **state)
{
    (void)state;
    lh_arena a;
    lh_arena_init(&a);
    lh_watch_report *r = LH_NEW(&a, lh_watch_report);
    lh_watch_suspect *s = LH_NEWN(&a, lh_watch_suspect, 2);
    lh_watch_confirm *c = LH_NEWN(&a, lh_watch_confirm, 2);
    c[0] = (lh_watch_confirm){.rule = "r", .file = "svc/cache.go", .line = 16};
    c[1] = (lh_watch_confirm){.rule = "r", .file = "svc/cache.go", .line = 11};
    for (int k = 0; k < 2; k++)
        s[k] = (lh_watch_suspect){.function = "svc.Put", .file = "/elsewhere/cachefile.go",
                                  .line = 16, .unit = "bytes", .confirmed_by = &c[k]};
    r->target = "t";
    r->suspects = s;
    r->nsuspects = 2;
    r->source_dir = source_dir();
    char *page = render(r);
    check_all(page);
    const char *first = strstr(page, "id=\"suspect-1\""), *second = strstr(page, "id=\"suspect-2\"");
    assert_true(first && second);
    const char *hit16 = strstr(first, "<span class=\"hit\"><i>16</i>");
    assert_true(hit16 && hit16 < second);
    /* The second: its own line not found (said so), the finding's shown. */
    const char *conf = strstr(second, "<div class=\"confirm\">");
    assert_non_null(conf);
    const char *hit11 = strstr(conf, "<span class=\"hit\"><i>11</i>func (c *Cache[K, V]) Put(k K, v V) {</span>");
    assert_true(hit11 && hit11 < strstr(conf, "</div>"));
    assert_non_null(strstr(second, "Source of <code>/elsewhere/cachefile.go</code> not found under"));
    free(page);
    lh_arena_free(&a);
}

/* Profiles name files; the service being watched chooses those names. Only
 * .go files are read, and with --source only inside it. */
static void test_source_confined(void **state)
{
    (void)state;
    char path[4200], err[256];
    snprintf(path, sizeof path, "%s/outside", tmpdir);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/outside/secret.go", tmpdir);
    assert_int_equal(lh_write_file_atomic(path, "SECRET1\n", 8, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/secret.txt", tmpdir);
    assert_int_equal(lh_write_file_atomic(path, "SECRET2\n", 8, err, sizeof err), 0);
    char src[4200];
    snprintf(src, sizeof src, "%s/src", tmpdir);
    assert_int_equal(mkdir(src, 0755), 0);

    lh_arena a;
    lh_arena_init(&a);
    lh_watch_report *r = LH_NEW(&a, lh_watch_report);
    lh_watch_suspect *s = LH_NEWN(&a, lh_watch_suspect, 3);
    char *up = lh_arena_strdup(&a, "../outside/secret.go");
    char *abs_go = lh_arena_alloc(&a, 4200), *abs_txt = lh_arena_alloc(&a, 4200);
    snprintf(abs_go, 4200, "%s/outside/secret.go", tmpdir);
    snprintf(abs_txt, 4200, "%s/secret.txt", tmpdir);
    const char *files[] = {up, abs_go, abs_txt};
    for (int k = 0; k < 3; k++)
        s[k] = (lh_watch_suspect){.function = "main.f", .file = files[k], .line = 1, .unit = "bytes"};
    r->target = "t";
    r->suspects = s;
    r->nsuspects = 3;
    r->source_dir = src;
    char *page = render(r);
    check_all(page);
    assert_null(strstr(page, "SECRET"));
    free(page);
    /* Without --source an absolute .go file is shown (watching a local
     * build), an absolute file of another kind is not. */
    r->source_dir = NULL;
    page = render(r);
    assert_non_null(strstr(page, "SECRET1"));
    assert_null(strstr(page, "SECRET2"));
    free(page);
    lh_arena_free(&a);
}

static void test_atomic(void **state)
{
    (void)state;
    lh_arena a;
    lh_arena_init(&a);
    const lh_watch_report *r = lhw_fixture(&a, "steady", NULL);
    char path[4200], err[256] = "";
    snprintf(path, sizeof path, "%s/no/such/dir/out.html", tmpdir);
    assert_int_equal(lh_watch_write_html(r, path, err, sizeof err), -1);
    assert_true(err[0] != '\0');
    /* Over an existing file: replaced whole, no temporary left behind. */
    char dir[4000];
    snprintf(dir, sizeof dir, "%s/atomic", tmpdir);
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(path, sizeof path, "%s/report.html", dir);
    assert_int_equal(lh_write_file_atomic(path, "old", 3, err, sizeof err), 0);
    assert_int_equal(lh_watch_write_html(r, path, err, sizeof err), 0);
    char *data;
    size_t len;
    assert_int_equal(lh_read_file(path, 1 << 24, &data, &len, err, sizeof err), 0);
    assert_true(strncmp(data, "<!DOCTYPE html>", 15) == 0);
    assert_non_null(strstr(data, "</html>\n"));
    free(data);
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    assert_int_equal(n, 1);
    lh_arena_free(&a);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leak),
        cmocka_unit_test(test_steady_and_empty),
        cmocka_unit_test(test_one_snapshot),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_many),
        cmocka_unit_test(test_rss),
        cmocka_unit_test(test_long),
        cmocka_unit_test(test_source_confined),
        cmocka_unit_test(test_source_from_finding),
        cmocka_unit_test(test_atomic),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
