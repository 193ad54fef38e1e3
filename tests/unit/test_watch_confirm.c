/* watch --source: runtime suspects joined to scan's findings -- symbols cut
 * to the declared function, files compared by their tail below the scanned
 * directory, a line match preferred over a function match, a package-level
 * cache confirmed through the function its message names, and no match
 * across directories or functions that only share a name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "watch/confirm.h"

static void test_declared_func(void **state)
{
    (void)state;
    lh_arena a;
    lh_arena_init(&a);
    assert_string_equal(lh_watch_declared_func("main.worker", &a), "worker");
    assert_string_equal(lh_watch_declared_func("main.(*hub).publish.func1", &a), "(*hub).publish");
    assert_string_equal(lh_watch_declared_func("example.com/m/pkg.(*T).M.func1.2", &a), "(*T).M");
    assert_string_equal(lh_watch_declared_func("example.com/m.v2/pkg.F.gowrap3", &a), "F");
    assert_string_equal(lh_watch_declared_func("main.Map[...].Put", &a), "Map.Put");
    assert_string_equal(lh_watch_declared_func("main.walk-range1", &a), "walk");
    /* A name ending in digits is a name, not a closure. */
    assert_string_equal(lh_watch_declared_func("main.sha256", &a), "sha256");
    lh_arena_free(&a);
}

static void add(lh_findings *fs, const char *rule, const char *file, uint32_t line,
                const char *function, const char *message)
{
    lh_finding f = {.rule = rule, .file = file, .line = line, .col = 2, .severity = LH_SEV_WARNING,
                    .message = message, .function = function};
    lh_findings_add(fs, &f);
}

static lh_watch_suspect suspect(const char *function, const char *file, int64_t line)
{
    return (lh_watch_suspect){.kind = LH_SUSPECT_HEAP, .function = function, .file = file,
                              .line = line, .summary = ""};
}

static void test_join(void **state)
{
    (void)state;
    lh_findings fs;
    lh_findings_init(&fs);
    add(&fs, "defer-in-loop", "/src/svc/deferloop.go", 25, "worker",
        "defer inside a loop runs only when worker returns (loop at line 23)");
    add(&fs, "goroutine-blocked-send", "/src/svc/blocked.go", 33, "(*hub).publish",
        "a goroutine per send ...; send in a select with default instead of a goroutine");
    add(&fs, "unbounded-cache", "/src/svc/cache.go", 14, "",
        "package-level map sessions only grows: lookupSession adds to it (line 25) and nothing "
        "deletes from it; bound it (size check, LRU) or evict entries");
    /* The other finding in fetchPrice comes first: the line must win on
     * its own, not by order. */
    add(&fs, "lost-cancel", "/src/svc/body.go", 40, "fetchPrice", "the cancel function is not used");
    add(&fs, "unclosed-body", "/src/svc/body.go", 23, "fetchPrice", "not closed; defer resp.Body.Close()");
    add(&fs, "unclosed-file", "/src/svc/other/read.go", 9, "worker", "f is not closed");
    lh_watch_suspect sus[] = {
        suspect("main.worker", "/build/app/svc/deferloop.go", 24),
        suspect("main.(*hub).publish.func1", "/build/app/svc/blocked.go", 34),
        suspect("main.lookupSession", "/build/app/svc/cache.go", 21),
        suspect("main.fetchPrice", "/build/app/svc/body.go", 23),
        /* Same function name, but another file: no match. */
        suspect("main.worker", "/build/app/svc/jobs.go", 10),
        /* A function only some message mentions in passing is no match
         * when the finding is inside a function. */
        suspect("main.evict", "/build/app/svc/cache.go", 50),
    };
    size_t n = sizeof sus / sizeof *sus;
    lh_arena a;
    lh_arena_init(&a);
    lh_watch_join(sus, n, &fs, "/src/svc", &a);
    assert_non_null(sus[0].confirmed_by);
    assert_string_equal(sus[0].confirmed_by->rule, "defer-in-loop");
    assert_int_equal(sus[0].confirmed_by->line, 25);
    assert_string_equal(sus[0].confirmed_by->file, "/src/svc/deferloop.go");
    /* No "; fix" in that message: the explanation is pointed to. */
    assert_non_null(strstr(sus[0].confirmed_by->fix, "leakhound explain defer-in-loop"));
    assert_non_null(sus[1].confirmed_by);
    assert_string_equal(sus[1].confirmed_by->rule, "goroutine-blocked-send");
    assert_string_equal(sus[1].confirmed_by->fix, "send in a select with default instead of a goroutine");
    assert_non_null(sus[2].confirmed_by);
    assert_string_equal(sus[2].confirmed_by->rule, "unbounded-cache");
    /* The line wins over another finding in the same function. */
    assert_non_null(sus[3].confirmed_by);
    assert_string_equal(sus[3].confirmed_by->rule, "unclosed-body");
    assert_null(sus[4].confirmed_by);
    assert_null(sus[5].confirmed_by);
    lh_arena_free(&a);

    /* Findings named relative to the scanned directory (scan .) match too;
     * a package-level finding of another directory does not. */
    lh_findings rel;
    lh_findings_init(&rel);
    add(&rel, "unbounded-cache", "./other/cache.go", 3, "", "map m only grows: lookupSession adds to it");
    add(&rel, "defer-in-loop", "deferloop.go", 25, "worker", "defer in loop");
    lh_watch_suspect s2[] = {
        suspect("main.lookupSession", "/build/app/svc/cache.go", 21),
        suspect("main.worker.func2", "/build/app/svc/deferloop.go", 30),
    };
    lh_arena_init(&a);
    lh_watch_join(s2, 2, &rel, ".", &a);
    assert_null(s2[0].confirmed_by);
    assert_non_null(s2[1].confirmed_by);
    assert_string_equal(s2[1].confirmed_by->rule, "defer-in-loop");
    lh_arena_free(&a);
    lh_findings_free(&rel);
    lh_findings_free(&fs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_declared_func),
        cmocka_unit_test(test_join),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
