/* Mutation fuzzing of every decoder: the fixtures with bits flipped, bytes
 * replaced, runs of 0xff (absurd varints), cuts and splices, thousands of
 * times with a fixed seed. Each input must either decode into a model
 * whose every pointer can be walked -- and which then survives an
 * encode/decode round trip -- or fail with one line naming the input.
 * Under LH_SANITIZE=ON any out-of-bounds read fails the run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "profile/profile.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static unsigned char *read_fixture(const char *name, size_t *len)
{
    const char *src = getenv("LH_SRC");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/testdata/profiles/%s", src ? src : ".", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    unsigned char *buf = malloc(1 << 20);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

/* The fixture inflated, so mutations hit the protobuf, not the CRC. */
static unsigned char *gunzip_fixture(const char *name, size_t *len)
{
    size_t n;
    unsigned char *gz = read_fixture(name, &n);
    unsigned char *out = malloc(1 << 20);
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
    z.next_in = gz;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = 1 << 20;
    assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
    *len = (1 << 20) - z.avail_out;
    inflateEnd(&z);
    free(gz);
    return out;
}

/* Whether x points at one of the n elements of arr. */
#define IN_TABLE(x, arr, n) ((x) >= (arr) && (x) < (arr) + (n))

/* Touches everything reachable, so a dangling pointer shows under the
 * sanitizers, and checks the model's invariants in every build: every
 * reference resolves into the profile's own tables, the default sample
 * type is one of them, a dump's goroutine counts 1. Returns the values'
 * totals' hash, per type (wrapping: mutated values may be absurd). */
static uint64_t walk(const lh_profile *p, uint64_t *totals)
{
    size_t h = strlen(p->name) + strlen(p->drop_frames) + strlen(p->keep_frames) +
               strlen(p->period_type.type) + strlen(p->period_type.unit);
    for (size_t i = 0; i < p->nsample_types; i++) {
        h += strlen(p->sample_types[i].type) + strlen(p->sample_types[i].unit);
        totals[i] = 0;
    }
    if (p->default_sample_type < -1 || p->default_sample_type >= (int)p->nsample_types)
        fail_msg("default_sample_type %d of %zu types", p->default_sample_type, p->nsample_types);
    for (size_t i = 0; i < p->ncomments; i++)
        h += strlen(p->comments[i]);
    for (size_t i = 0; i < p->nstats; i++)
        h += strlen(p->stats[i].name);
    for (size_t i = 0; i < p->nsamples; i++) {
        const lh_profile_sample *s = &p->samples[i];
        for (size_t v = 0; v < p->nsample_types; v++) {
            h += (size_t)s->values[v];
            totals[v] += (uint64_t)s->values[v];
        }
        for (size_t j = 0; j < s->nlabels; j++)
            h += strlen(s->labels[j].key) + (s->labels[j].str ? strlen(s->labels[j].str)
                                                               : strlen(s->labels[j].num_unit));
        for (size_t k = 0; k < s->nlocs; k++)
            if (!IN_TABLE(s->locs[k], p->locations, p->nlocations))
                fail_msg("sample %zu: location %zu is not in the profile's table", i, k);
        for (size_t k = 0, d = lh_profile_sample_depth(s); k < d; k++) {
            lh_profile_frame f = lh_profile_sample_frame(s, k);
            h += strlen(f.function) + strlen(f.file) + (size_t)f.line;
        }
        if (s->g) {
            h += strlen(s->g->state) + strlen(s->g->created_by) + strlen(s->g->created_file);
            if (p->nsample_types != 1 || s->values[0] != 1)
                fail_msg("goroutine %lld: value %lld, want 1", (long long)s->g->id,
                         (long long)s->values[0]);
        }
    }
    for (size_t i = 0; i < p->nlocations; i++) {
        const lh_profile_location *l = &p->locations[i];
        if (l->mapping) {
            if (!IN_TABLE(l->mapping, p->mappings, p->nmappings))
                fail_msg("location %zu: mapping not in the profile's table", i);
            h += strlen(l->mapping->file);
        }
        for (size_t j = 0; j < l->nlines; j++)
            if (!IN_TABLE(l->lines[j].function, p->functions, p->nfunctions))
                fail_msg("location %zu line %zu: function not in the profile's table", i, j);
    }
    return h;
}

static void mutate(unsigned char *b, size_t *n, size_t cap)
{
    int rounds = 1 + (int)(next() % 4);
    for (int r = 0; r < rounds && *n > 0; r++) {
        size_t at = next() % *n;
        switch (next() % 6) {
        case 0:                 /* bit flip */
            b[at] ^= (unsigned char)(1u << (next() % 8));
            break;
        case 1:                 /* random byte */
            b[at] = (unsigned char)next();
            break;
        case 2:                 /* absurd varint */
            for (size_t i = 0; i < 11 && at + i < *n; i++)
                b[at + i] = 0xff;
            break;
        case 3:                 /* truncate */
            *n = at;
            break;
        case 4:                 /* duplicate a slice */
            if (*n < cap / 2) {
                size_t len = next() % (*n - at) + 1;
                memmove(b + at + len, b + at, *n - at);
                *n += len;
            }
            break;
        case 5:                 /* a digit becomes another (text formats) */
            if (b[at] >= '0' && b[at] <= '9')
                b[at] = (unsigned char)('0' + next() % 10);
            else
                b[at] = (unsigned char)" \t\n:@#[]{}\"x0-"[next() % 15];
            break;
        }
    }
}

static void fuzz_one(const char *name, unsigned char *orig, size_t len, int iters)
{
    size_t cap = len * 2 + 64;
    unsigned char *b = malloc(cap);
    int ok = 0, bad = 0;
    for (int it = 0; it < iters; it++) {
        memcpy(b, orig, len);
        size_t n = len;
        mutate(b, &n, cap);
        lh_profile *p = NULL;
        char err[512];
        err[0] = '\0';
        lh_profile_opts opts = {.max_inflated = 4u << 20};
        /* an exact-size copy, so reading one byte past the end is caught */
        unsigned char *exact = malloc(n ? n : 1);
        memcpy(exact, b, n);
        int rc = lh_profile_parse("fz", exact, n, &opts, &p, err, sizeof err);
        free(exact);
        if (rc == 0) {
            ok++;
            uint64_t tp[64] = {0}, tq[64] = {0};
            assert_true(p->nsample_types <= 64);
            (void)walk(p, tp);
            lh_buf e = LH_BUF_INIT;
            if (lh_profile_encode(p, (int)(it & 1), &e, err, sizeof err) != 0)
                fail_msg("%s #%d: encode failed: %s", name, it, err);
            lh_profile *q = NULL;
            if (lh_profile_parse("re", (unsigned char *)e.data, e.len, NULL, &q, err, sizeof err) != 0)
                fail_msg("%s #%d: re-decode failed: %s", name, it, err);
            assert_int_equal(q->nsamples, p->nsamples);
            assert_int_equal(q->nsample_types, p->nsample_types);
            /* the round trip keeps every total (a value dropped or moved
             * to another sample type would change one) */
            (void)walk(q, tq);
            for (size_t v = 0; v < p->nsample_types; v++)
                if (tp[v] != tq[v])
                    fail_msg("%s #%d: %s total %llu, %llu after a round trip", name, it,
                             p->sample_types[v].type, (unsigned long long)tp[v],
                             (unsigned long long)tq[v]);
            lh_profile_free(q);
            lh_buf_free(&e);
            lh_profile_free(p);
        } else {
            bad++;
            assert_null(p);
            if (strncmp(err, "fz: ", 4) != 0 || strlen(err) < 6 || strchr(err, '\n'))
                fail_msg("%s #%d: bad error line '%s'", name, it, err);
        }
    }
    /* Both outcomes must have happened, or the mutations miss the point. */
    print_message("%s: %d decoded, %d rejected\n", name, ok, bad);
    assert_true(ok > 0);
    assert_true(bad > 0);
    free(b);
}

/* LH_FUZZ_SCALE multiplies the iterations and LH_FUZZ_SEED changes the
 * seed, for longer runs by hand; ctest runs the fixed default. */
static int scale = 1;

static void fuzz_fixtures(void **state)
{
    (void)state;
    const char *sc = getenv("LH_FUZZ_SCALE"), *sd = getenv("LH_FUZZ_SEED");
    if (sc && atoi(sc) > 0)
        scale = atoi(sc);
    if (sd && strtoull(sd, NULL, 0))
        rng = strtoull(sd, NULL, 0);
    const char *texts[] = {"heap.debug1.txt", "goroutine.debug1.txt", "goroutine.debug2.txt",
                           "go1.27/goroutineleak.debug1.txt", "go1.27/goroutineleak.debug2.txt",
                           "go1.26/goroutineleak.debug2.txt", "go1.27/heap.debug1.txt",
                           "go1.27/goroutine.debug2.txt"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        size_t n;
        unsigned char *d = read_fixture(texts[i], &n);
        fuzz_one(texts[i], d, n, 2000 * scale);
        free(d);
    }
    const char *pbs[] = {"heap.pb.gz", "goroutine.pb.gz"};
    for (size_t i = 0; i < 2; i++) {
        size_t n;
        unsigned char *d = gunzip_fixture(pbs[i], &n);
        fuzz_one(pbs[i], d, n, 4000 * scale);
        free(d);
        /* and the gzip layer itself */
        d = read_fixture(pbs[i], &n);
        fuzz_one(pbs[i], d, n, 1000 * scale);
        free(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fuzz_fixtures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
