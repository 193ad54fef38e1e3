/* Skipping a unit test that cannot run here (a tool or a condition of the
 * machine missing). cmocka's skip() alone exits 0, so ctest would count the
 * program as passed and nobody would see that a test did not run: a skip
 * goes through lh_test_skip, which says why, and the program ends with
 * lh_test_exit, which turns "nothing failed but something skipped" into
 * exit 77 (SKIP_RETURN_CODE of the unit tests in CMakeLists.txt: "Not Run
 * (Skipped)" in ctest's summary). A failure still wins over a skip. Under
 * CI nothing may skip: there the skip is a failure. Include after
 * <cmocka.h>. */
#ifndef LH_TEST_SKIP_H
#define LH_TEST_SKIP_H

#include <stdlib.h>

static int lh_test_nskipped;

#define lh_test_skip(why)                                                   \
    do {                                                                    \
        const char *ci_ = getenv("CI");                                     \
        if (ci_ && *ci_)                                                    \
            fail_msg("skipped under CI, where nothing may skip: %s", why);  \
        print_message("skipped: %s\n", why);                                \
        lh_test_nskipped++;                                                 \
        skip();                                                             \
    } while (0)

static inline int lh_test_exit(int nfailed)
{
    return nfailed ? nfailed : lh_test_nskipped ? 77 : 0;
}

#endif
