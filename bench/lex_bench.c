/* lex_bench: the lexer's throughput over preloaded files.
 *
 *   lex_bench LISTFILE [ROUNDS]
 *
 * Reads every path of LISTFILE (one a line) into memory, then lexes them all
 * ROUNDS times (default 3) on one thread, one arena reset per file, and
 * prints the best round's MB/s. bench/lex_bench.sh runs it next to
 * go/scanner and prints the ratio. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "go/lex.h"
#include "util/arena.h"
#include "util/fs.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: lex_bench LISTFILE [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    FILE *list = fopen(argv[1], "r");
    if (!list) {
        perror(argv[1]);
        return 2;
    }
    char **data = NULL;
    size_t *lens = NULL, n = 0, cap = 0, bytes = 0;
    char path[4096];
    while (fgets(path, sizeof path, list)) {
        path[strcspn(path, "\n")] = '\0';
        char err[256], *d;
        size_t len;
        if (lh_read_file(path, (size_t)1 << 30, &d, &len, err, sizeof err) != 0) {
            fprintf(stderr, "lex_bench: %s: %s\n", path, err);
            return 2;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            data = realloc(data, cap * sizeof *data);
            lens = realloc(lens, cap * sizeof *lens);
            if (!data || !lens)
                return 2;
        }
        data[n] = d;
        lens[n++] = len;
        bytes += len;
    }
    fclose(list);

    lh_arena arena;
    lh_arena_init(&arena);
    double best = 0;
    size_t tokens = 0, rejected = 0;
    for (int r = 0; r < rounds; r++) {
        tokens = rejected = 0;
        double t0 = now();
        for (size_t i = 0; i < n; i++) {
            lh_diag_list diags;
            lh_diag_init(&diags, &arena);
            lh_lexer lx;
            lh_lex_init(&lx, data[i], lens[i], &arena, &diags);
            lh_token t;
            do {
                lh_lex_next(&lx, &t);
                tokens++;
            } while (t.kind != LH_TOK_EOF);
            rejected += lx.errors > 0;
            lh_arena_reset(&arena);
        }
        double s = now() - t0;
        if (r == 0 || s < best)
            best = s;
    }
    printf("leakhound: files=%zu bytes=%zu tokens=%zu rejected=%zu best_of=%d seconds=%.3f MB/s=%.1f\n",
           n, bytes, tokens, rejected, rounds, best, (double)bytes / 1e6 / best);
    return 0;
}
