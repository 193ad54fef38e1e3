/* scan frees each package's frozen summaries once no package can read
 * them any more, so memory follows the import graph's width, not the
 * number of packages; the findings that rest on those summaries stay.
 *
 * The tree: a helper package h whose Close closes a response and whose
 * Peek does not, and NUSERS user packages, each calling both (a finding
 * at the Peek, none at the Close: both read h's summaries, alive until
 * the last user is done). h's in-package tests import u0, which imports
 * h: Go compiles them as a package of their own, so they wait until the
 * walk is over and then read u0's and h's summaries -- which must still
 * be there, kept for them. The census of analysed packages alive at once
 * must stay far below the number of packages, and none may be left. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "report/findings.h"
#include "sema/sema.h"

enum { NUSERS = 64 };

static char tree[256];

static void put(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tree, rel);
    for (char *s = strchr(path + strlen(tree) + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir(path, 0755);
        *s = '/';
    }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char user_src[] =
    "package u%d\n\nimport (\n\t\"net/http\"\n\n\t\"example.com/mem/h\"\n)\n\n"
    "func Fetch(resp *http.Response) int { return h.Peek(resp) }\n\n"
    "func Shut(resp *http.Response) { h.Close(resp) }\n\n"
    "func peek(url string) int {\n\tresp, err := http.Get(url)\n\tif err != nil {\n"
    "\t\treturn 0\n\t}\n\treturn h.Peek(resp)\n}\n\n"
    "func closed(url string) {\n\tresp, err := http.Get(url)\n\tif err != nil {\n"
    "\t\treturn\n\t}\n\th.Close(resp)\n}\n";

static void put_tree(void)
{
    put("go.mod", "module example.com/mem\n\ngo 1.22\n");
    put("h/h.go", "package h\n\nimport \"net/http\"\n\n"
                  "func Close(resp *http.Response) { _ = resp.Body.Close() }\n\n"
                  "func Peek(resp *http.Response) int { return resp.StatusCode }\n");
    /* Line 7: Fetch (u0, then h) never closes; line 15: Shut does. */
    put("h/h_test.go", "package h\n\nimport (\n\t\"net/http\"\n\n\t\"example.com/mem/u0\"\n)\n\n"
                       "func leak(url string) int {\n\tresp, err := http.Get(url)\n"
                       "\tif err != nil {\n\t\treturn 0\n\t}\n\treturn u0.Fetch(resp)\n}\n\n"
                       "func shut(url string) {\n\tresp, err := http.Get(url)\n"
                       "\tif err != nil {\n\t\treturn\n\t}\n\tu0.Shut(resp)\n}\n");
    for (int u = 0; u < NUSERS; u++) {
        char rel[64], src[sizeof user_src + 16];
        snprintf(rel, sizeof rel, "u%d/u.go", u);
        snprintf(src, sizeof src, user_src, u);
        put(rel, src);
    }
}

static void test_released_as_it_goes(void **state)
{
    (void)state;
    put_tree();
    size_t live0, peak;
    lh_sema_census(&live0, &peak);
    lh_sema_census_reset();
    lh_findings fs;
    lh_findings_init(&fs);
    char err[256];
    assert_int_equal(lh_scan_collect(tree, &fs, err, sizeof err), 0);

    /* One finding per user (its peek) and one in h's tests, which read u0
     * and h after the walk; none where Close closes. */
    size_t users = 0, tests = 0;
    for (size_t i = 0; i < fs.n; i++) {
        assert_string_equal(fs.v[i].rule, "unclosed-body");
        if (strstr(fs.v[i].file, "/h/h_test.go")) {
            assert_int_equal(fs.v[i].line, 10);
            tests++;
        } else {
            assert_non_null(strstr(fs.v[i].file, "/u.go"));
            assert_int_equal(fs.v[i].line, 14);
            users++;
        }
    }
    assert_int_equal(users, NUSERS);
    assert_int_equal(tests, 1);

    size_t live;
    lh_sema_census(&live, &peak);
    assert_int_equal(live, live0);
    /* Kept all along, the NUSERS + 1 packages would all be alive at the
     * end; released, those alive at once are h and the few in flight
     * (the loader's window: LH_LOAD_AHEAD_PKGS packages ahead). */
    print_message("analysed packages alive at once: %zu of %d\n", peak, NUSERS + 1);
    assert_true(peak >= 2);
    assert_true(peak <= NUSERS / 2);
    lh_findings_free(&fs);
}

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(tree, sizeof tree, "%s/lh_test_scan_memory_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    return mkdtemp(tree) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tree);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_released_as_it_goes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
