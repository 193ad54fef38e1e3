/* The fleet's /metrics writer on hand-made reports: label escaping, value
 * spelling, the per-target suspect cap, folding of suspects that would give
 * duplicate series, and the layout Prometheus' parser insists on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <math.h>

#include "watch/metrics.h"

/* ---- exposition ------------------------------------------------------- */

static void test_label_escaping(void **state)
{
    (void)state;
    lh_buf b = LH_BUF_INIT;
    lh_metrics_label_value(&b, "a\"b\\c\nd\te\xc3\xa9\xff!");
    /* Tab stays (the format only escapes \ " and newline); the stray byte
     * becomes U+FFFD so the scrape stays valid UTF-8. */
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\nd\te\xc3\xa9\xef\xbf\xbd!\"");
    lh_buf_clear(&b);
    lh_metrics_value(&b, 3);
    lh_buf_putc(&b, ' ');
    lh_metrics_value(&b, 0.1);
    lh_buf_putc(&b, ' ');
    lh_metrics_value(&b, NAN);
    lh_buf_putc(&b, ' ');
    lh_metrics_value(&b, -INFINITY);
    lh_buf_putc(&b, ' ');
    lh_metrics_value(&b, 1796043732.958);
    assert_string_equal(b.data, "3 0.1 NaN -Inf 1796043732.958");
    lh_buf_free(&b);
}

static lh_watch_suspect mk_suspect(lh_suspect_kind k, const char *fn, int64_t line, double gph,
                                   const char *unit)
{
    lh_watch_suspect s;
    memset(&s, 0, sizeof s);
    s.kind = k;
    s.function = fn;
    s.file = "/src/svc/main.go";
    s.line = line;
    s.std_function = s.std_file = s.wait_reason = s.summary = "";
    s.growth_per_hour = gph;
    s.unit = unit;
    s.confidence = 0.5;
    return s;
}

static size_t count_lines(const char *text, const char *prefix)
{
    size_t n = 0, len = strlen(prefix);
    for (const char *p = text; p && *p;) {
        if (strncmp(p, prefix, len) == 0)
            n++;
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return n;
}

static void test_render_cap_and_fold(void **state)
{
    (void)state;
    static const lh_watch_confirm confirm = {"defer-in-loop", "main.go", 9, 2, "m", "f"};
    lh_watch_suspect s[5];
    s[0] = mk_suspect(LH_SUSPECT_GOROUTINES, "main.(*hub).publish", 37, 3600, "goroutines");
    s[0].confirmed_by = &confirm;
    s[0].confidence = 0.75;
    s[1] = mk_suspect(LH_SUSPECT_HEAP, "main.fill", 19, 7200, "bytes");
    /* The same user line through another std allocation site: one series. */
    s[2] = mk_suspect(LH_SUSPECT_HEAP, "main.fill", 19, 100, "bytes");
    s[3] = mk_suspect(LH_SUSPECT_HEAP, "main.other\"q", 20, 36, "bytes");
    s[4] = mk_suspect(LH_SUSPECT_HEAP, "main.third", 21, 36, "bytes");
    lh_watch_report rep;
    memset(&rep, 0, sizeof rep);
    rep.suspects = s;
    rep.nsuspects = 5;
    static const lh_sd_label labels[] = {{"group", "api"}};
    lh_metrics_target t[2];
    memset(t, 0, sizeof t);
    t[0].target = "a:1";
    t[0].labels = labels;
    t[0].nlabels = 1;
    t[0].polled = t[0].up = 1;
    t[0].heap_inuse_bytes = 1048576;
    t[0].goroutines = NAN;
    t[0].by_status[LH_POLL_TIMEOUT] = 2;
    t[0].report = &rep;
    t[1].target = "b:2";
    t[1].heap_inuse_bytes = t[1].goroutines = NAN;
    lh_metrics_daemon d = {1, 0, 0, 3};
    lh_buf b = LH_BUF_INIT;
    lh_metrics_render(&b, t, 2, &d);
    const char *x = b.data;

    /* Three distinct series per target at most: publish, fill, other. */
    assert_int_equal(count_lines(x, "leakhound_suspect_confidence{"), 3);
    assert_int_equal(count_lines(x, "leakhound_suspect_growth_bytes_per_second{"), 2);
    assert_int_equal(count_lines(x, "leakhound_suspect_growth_goroutines_per_second{"), 1);
    assert_null(strstr(x, "main.third"));
    assert_non_null(strstr(x,
        "leakhound_suspect_growth_goroutines_per_second{target=\"a:1\",group=\"api\","
        "kind=\"goroutines\",function=\"main.(*hub).publish\",file=\"/src/svc/main.go\","
        "line=\"37\",confirmed=\"true\"} 1\n"));
    assert_non_null(strstr(x,
        "leakhound_suspect_growth_bytes_per_second{target=\"a:1\",group=\"api\",kind=\"heap\","
        "function=\"main.fill\",file=\"/src/svc/main.go\",line=\"19\",confirmed=\"false\"} 2\n"));
    assert_non_null(strstr(x, "function=\"main.other\\\"q\""));
    assert_non_null(strstr(x, "leakhound_suspect_confidence{target=\"a:1\",group=\"api\","
                              "kind=\"goroutines\",function=\"main.(*hub).publish\","
                              "file=\"/src/svc/main.go\",line=\"37\",confirmed=\"true\"} 0.75\n"));
    assert_non_null(strstr(x, "leakhound_suspects{target=\"a:1\",group=\"api\"} 5\n"));
    /* Unknown values have no sample; a target never polled has no up. */
    assert_non_null(strstr(x, "leakhound_heap_inuse_bytes{target=\"a:1\",group=\"api\"} 1048576\n"));
    assert_null(strstr(x, "leakhound_goroutines{target=\"a:1\""));
    assert_null(strstr(x, "leakhound_target_up{target=\"b:2\""));
    assert_non_null(strstr(x, "leakhound_poll_errors_total{target=\"a:1\",group=\"api\",kind=\"timeout\"} 2\n"));
    assert_non_null(strstr(x, "leakhound_poll_errors_total{target=\"b:2\",kind=\"connect\"} 0\n"));
    /* Each family once, its samples right after its TYPE line. */
    assert_int_equal(count_lines(x, "# TYPE leakhound_suspect_confidence gauge"), 1);
    assert_int_equal(count_lines(x, "# TYPE "), count_lines(x, "# HELP "));
    const char *type = strstr(x, "# TYPE leakhound_restarts_total counter\n");
    assert_non_null(type);
    assert_true(strncmp(type + strlen("# TYPE leakhound_restarts_total counter\n"),
                        "leakhound_restarts_total{", 25) == 0);

    /* No cap: every distinct series, still folded. */
    d.max_suspects = 0;
    lh_buf_clear(&b);
    lh_metrics_render(&b, t, 2, &d);
    assert_int_equal(count_lines(b.data, "leakhound_suspect_confidence{"), 4);
    lh_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_label_escaping),
        cmocka_unit_test(test_render_cap_and_fold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
