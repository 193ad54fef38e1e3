/* Writes every fixture report of fixtures.c as OUTDIR/NAME.html, for the
 * browser test (tests/t_watch_html.sh).
 *   lh_watchhtml OUTDIR SOURCE_DIR */
#include <stdio.h>

#include "fixtures.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: lh_watchhtml OUTDIR SOURCE_DIR\n");
        return 2;
    }
    for (size_t i = 0; i < lhw_nfixtures; i++) {
        lh_arena a;
        lh_arena_init(&a);
        char path[4096], err[256];
        snprintf(path, sizeof path, "%s/%s.html", argv[1], lhw_fixture_names[i]);
        const lh_watch_report *r = lhw_fixture(&a, lhw_fixture_names[i], argv[2]);
        int rc = lh_watch_write_html(r, path, err, sizeof err);
        lh_arena_free(&a);
        if (rc != 0) {
            fprintf(stderr, "lh_watchhtml: %s: %s\n", path, err);
            return 2;
        }
    }
    return 0;
}
