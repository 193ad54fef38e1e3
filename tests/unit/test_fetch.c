/* Which PROFILE arguments are fetched, and from where: go tool pprof's rule
 * (cmd/pprof: a path that exists is a file; else http(s):// and
 * host:port[/path] are URLs, the latter given http://; else a file), with
 * the command's profile behind a bare host:port. No network: the rule only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "live/fetch.h"

static const char *resolve(const char *arg, const char *def)
{
    static char url[256];
    int rc = lh_fetch_profile_url(arg, def, url, sizeof url);
    return rc == 1 ? url : rc == 0 ? "FILE" : "TOO LONG";
}

static void test_address_forms(void **state)
{
    (void)state;
    const char *heap = "/debug/pprof/heap";
    assert_string_equal(resolve("http://h:6060/debug/pprof/heap", heap), "http://h:6060/debug/pprof/heap");
    assert_string_equal(resolve("HTTPS://h/x", heap), "HTTPS://h/x");
    assert_string_equal(resolve("localhost:6060/debug/pprof/heap?gc=1", heap),
                        "http://localhost:6060/debug/pprof/heap?gc=1");
    assert_string_equal(resolve("127.0.0.1:6060/x.pb.gz", heap), "http://127.0.0.1:6060/x.pb.gz");
    assert_string_equal(resolve("[::1]:6060/debug/pprof/heap", heap), "http://[::1]:6060/debug/pprof/heap");
    /* No path, or "/": the command's profile (pprof puts its CPU profile there). */
    assert_string_equal(resolve("localhost:6060", heap), "http://localhost:6060/debug/pprof/heap");
    assert_string_equal(resolve("localhost:6060/", heap), "http://localhost:6060/debug/pprof/heap");
    assert_string_equal(resolve("http://h:1", "/debug/pprof/goroutine?debug=2"),
                        "http://h:1/debug/pprof/goroutine?debug=2");
    assert_string_equal(resolve("h:1?debug=1", "/debug/pprof/goroutine?debug=2"),
                        "http://h:1/debug/pprof/goroutine?debug=1");
    assert_string_equal(resolve("localhost:6060", NULL), "http://localhost:6060");
    /* Files: no port, not a port, another scheme, standard input. */
    assert_string_equal(resolve("localhost/heap.pb.gz", heap), "FILE");
    assert_string_equal(resolve("heap:1.pb.gz", heap), "FILE");
    assert_string_equal(resolve("mem_2023-11-02_03:55:24", heap), "FILE");
    assert_string_equal(resolve("h:123456/x", heap), "FILE");
    assert_string_equal(resolve(":6060/x", heap), "FILE");
    assert_string_equal(resolve("ftp://h:21/x", heap), "FILE");
    assert_string_equal(resolve("heap.pb.gz", heap), "FILE");
    assert_string_equal(resolve("-", heap), "FILE");
    char longarg[400];
    memset(longarg, 'a', sizeof longarg);
    memcpy(longarg, "h:1/", 4);
    longarg[sizeof longarg - 1] = '\0';
    assert_string_equal(resolve(longarg, heap), "TOO LONG");
}

/* A path that exists is a file, however much it looks like an address. */
static void test_existing_file_wins(void **state)
{
    (void)state;
    char dir[] = "/tmp/lh-fetch-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char old[4096];
    assert_non_null(getcwd(old, sizeof old));
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(mkdir("localhost:6060", 0700), 0);
    FILE *f = fopen("localhost:6060/heap", "w");
    assert_non_null(f);
    fclose(f);
    assert_string_equal(resolve("localhost:6060/heap", "/debug/pprof/heap"), "FILE");
    assert_string_equal(resolve("localhost:6060", "/debug/pprof/heap"), "FILE");
    assert_string_equal(resolve("localhost:6060/other", "/debug/pprof/heap"),
                        "http://localhost:6060/other");
    assert_int_equal(unlink("localhost:6060/heap"), 0);
    assert_int_equal(rmdir("localhost:6060"), 0);
    assert_int_equal(chdir(old), 0);
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_address_forms),
        cmocka_unit_test(test_existing_file_wins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
