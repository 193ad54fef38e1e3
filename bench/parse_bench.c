/* parse_bench: leakhound's parser throughput over preloaded files.
 *
 *   parse_bench LISTFILE [ROUNDS]
 *
 * Reads every path of LISTFILE (one a line) into memory first, then parses
 * them all ROUNDS times (default 3) on one thread, one arena reset per file,
 * and prints the best round's MB/s. Peak RSS is sampled after loading and
 * after each pass: if the arena really is reset per file, the peak after the
 * last pass equals the peak after the first, however many files were parsed.
 * bench/parse_bench.sh runs it next to go/parser and prints the ratio. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "go/parse.h"
#include "util/arena.h"
#include "util/fs.h"

typedef struct source {
    char *path, *data;
    size_t len;
} source;

typedef struct bench {
    source *files;
    size_t n;
    int rounds;
    double best;              /* seconds */
    size_t rejected;          /* in the last round */
    long rss_loaded;          /* KB, peak after loading */
    long *rss_after_pass;     /* KB, peak after each pass */
    size_t arena_peak;        /* largest arena total seen at a reset */
    int show_rejected;        /* env PARSE_BENCH_SHOW_REJECTED: list them (first pass) */
} bench;

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int load(bench *b, const char *listfile)
{
    char *list;
    size_t list_len;
    char err[256];
    if (lh_read_file(listfile, (size_t)1 << 30, &list, &list_len, err, sizeof err) != 0) {
        fprintf(stderr, "parse_bench: %s: %s\n", listfile, err);
        return -1;
    }
    size_t cap = 0;
    for (char *line = list, *nl; line < list + list_len; line = nl + 1) {
        nl = memchr(line, '\n', (size_t)(list + list_len - line));
        if (!nl)
            nl = list + list_len;
        *nl = '\0';
        if (!*line)
            continue;
        if (b->n == cap) {
            cap = cap ? 2 * cap : 1024;
            b->files = realloc(b->files, cap * sizeof *b->files);
            if (!b->files) {
                fprintf(stderr, "parse_bench: out of memory\n");
                return -1;
            }
        }
        source *s = &b->files[b->n];
        if (lh_read_file(line, (size_t)1 << 30, &s->data, &s->len, err, sizeof err) != 0) {
            fprintf(stderr, "parse_bench: %s: %s\n", line, err);
            return -1;
        }
        s->path = line;
        b->n++;
    }
    return 0;
}

/* Runs on a thread with the parser's deep stack, so that deeply nested files
 * (time/tzdata/zipdata.go) parse as go/parser parses them. */
static void run(void *arg)
{
    bench *b = arg;
    lh_arena arena;
    lh_arena_init(&arena);
    for (int r = 0; r < b->rounds; r++) {
        size_t rejected = 0;
        double t0 = now();
        for (size_t i = 0; i < b->n; i++) {
            lh_diag_list errs;
            lh_diag_init(&errs, &arena);
            lh_parse_file(&arena, b->files[i].path, b->files[i].data, b->files[i].len, &errs);
            if (errs.len) {
                rejected++;
                if (b->show_rejected && r == 0)
                    fprintf(stderr, "rejected: %s:%u:%u: %s\n", b->files[i].path, errs.items[0].line,
                            errs.items[0].col, errs.items[0].msg);
            }
            if (arena.total > b->arena_peak)
                b->arena_peak = arena.total;
            lh_arena_reset(&arena);
        }
        double t = now() - t0;
        if (r == 0 || t < b->best)
            b->best = t;
        b->rejected = rejected;
        b->rss_after_pass[r] = peak_rss_kb();
    }
    lh_arena_free(&arena);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: parse_bench LISTFILE [ROUNDS]\n");
        return 2;
    }
    bench b = {0};
    b.show_rejected = getenv("PARSE_BENCH_SHOW_REJECTED") != NULL;
    b.rounds = argc == 3 ? atoi(argv[2]) : 3;
    if (b.rounds < 1) {
        fprintf(stderr, "parse_bench: ROUNDS must be at least 1\n");
        return 2;
    }
    if (load(&b, argv[1]) != 0)
        return 2;
    b.rss_after_pass = calloc((size_t)b.rounds, sizeof *b.rss_after_pass);
    if (!b.rss_after_pass)
        return 2;
    long long bytes = 0;
    for (size_t i = 0; i < b.n; i++)
        bytes += (long long)b.files[i].len;
    b.rss_loaded = peak_rss_kb();

    if (lh_parse_run_deep(run, &b) != 0)
        fprintf(stderr, "parse_bench: no deep-stack thread; ran with the default stack budget\n");

    printf("leakhound: files=%zu bytes=%lld rejected=%zu best_of=%d seconds=%.3f MB/s=%.1f\n",
           b.n, bytes, b.rejected, b.rounds, b.best, (double)bytes / 1e6 / b.best);
    printf("leakhound: peak RSS KB: loaded=%ld", b.rss_loaded);
    for (int r = 0; r < b.rounds; r++)
        printf(" after_%zu_files=%ld", b.n * (size_t)(r + 1), b.rss_after_pass[r]);
    printf(" arena_peak_KB=%zu\n", b.arena_peak / 1024);
    return 0;
}
