/* Decoding the fixtures recorded from live Go runtimes
 * (tests/testdata/profiles: Go 1.19 at the top, go1.26/ and go1.27/ below;
 * see its README), plus hand-made inputs for what the runtime never
 * writes or writes too rarely to record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unistd.h>
#include <zlib.h>

#include "analysis/analysis.h"
#include "profile/profile.h"
#include "skip.h"

static lh_profile *load(const char *name)
{
    const char *src = getenv("LH_SRC");
    char path[1024], err[512];
    snprintf(path, sizeof path, "%s/tests/testdata/profiles/%s", src ? src : ".", name);
    lh_profile *p = NULL;
    if (lh_profile_load_file(path, NULL, &p, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        fail();
    }
    return p;
}

static int parse_err(const void *data, size_t len, char *err, size_t errlen)
{
    lh_profile *p = NULL;
    int rc = lh_profile_parse("in.pb", data, len, NULL, &p, err, errlen);
    if (rc == 0)
        lh_profile_free(p);
    return rc;
}

/* The sample whose stack contains function fn anywhere, or NULL. */
static const lh_profile_sample *find_sample(const lh_profile *p, const char *fn)
{
    for (size_t i = 0; i < p->nsamples; i++) {
        const lh_profile_sample *s = &p->samples[i];
        for (size_t k = 0; k < lh_profile_sample_depth(s); k++)
            if (strcmp(lh_profile_sample_frame(s, k).function, fn) == 0)
                return s;
    }
    return NULL;
}

static void heap_proto(void **state)
{
    (void)state;
    lh_profile *p = load("heap.pb.gz");
    assert_int_equal(p->kind, LH_PROFILE_HEAP);
    assert_int_equal(p->format, LH_FORMAT_PROTO);
    assert_int_equal(p->nsample_types, 4);
    assert_int_equal(lh_profile_sample_type_index(p, "inuse_space"), 3);
    assert_int_equal(lh_profile_sample_type_index(p, "alloc_objects"), 0);
    assert_int_equal(lh_profile_sample_type_index(p, "nope"), -1);
    assert_int_equal(lh_profile_default_index(p), 3);
    assert_string_equal(p->period_type.type, "space");
    assert_int_equal(p->period, 4096);
    assert_true(p->time_nanos > 0);

    const lh_profile_sample *s = find_sample(p, "main.allocBig");
    assert_non_null(s);
    /* 20 blocks of 64 KiB, each certainly sampled at rate 4096. */
    assert_int_equal(s->values[3], 20 * 65536);
    assert_int_equal(s->values[2], 20);
    lh_profile_frame f = lh_profile_sample_frame(s, 0);
    assert_string_equal(f.function, "main.allocBig");
    assert_string_equal(f.file, "./main.go");
    assert_int_equal(f.line, 29);
    assert_true(f.address != 0);
    /* runtime/pprof tags heap samples with the block size. */
    assert_int_equal(s->nlabels, 1);
    assert_string_equal(s->labels[0].key, "bytes");
    assert_null(s->labels[0].str);
    assert_int_equal(s->labels[0].num, 65536);
    lh_profile_free(p);
}

static void goroutine_proto(void **state)
{
    (void)state;
    lh_profile *p = load("goroutine.pb.gz");
    assert_int_equal(p->kind, LH_PROFILE_GOROUTINE);
    assert_int_equal(p->nsample_types, 1);
    assert_string_equal(p->sample_types[0].type, "goroutine");
    int64_t total = 0, labelled = 0;
    for (size_t i = 0; i < p->nsamples; i++) {
        const lh_profile_sample *s = &p->samples[i];
        total += s->values[0];
        assert_null(s->g);
        for (size_t j = 0; j < s->nlabels; j++)
            if (strcmp(s->labels[j].key, "tenant") == 0 && strcmp(s->labels[j].str, "acme") == 0)
                labelled += s->values[0];
    }
    assert_int_equal(total, 11);
    assert_int_equal(labelled, 1);
    /* Go writes one-element value lists unpacked and longer location
     * lists packed: both forms must have come through. */
    const lh_profile_sample *s = find_sample(p, "main.leakSelect");
    assert_non_null(s);
    assert_int_equal(s->values[0], 3);
    assert_true(s->nlocs >= 3);
    /* Inlined frames share a location, leaf-most first. */
    const lh_profile_sample *m = find_sample(p, "main.leakLock");
    assert_non_null(m);
    int inlined = 0;
    for (size_t i = 0; i < m->nlocs; i++)
        if (m->locs[i]->nlines > 1)
            inlined = 1;
    assert_true(inlined);
    lh_profile_free(p);
}

/* A hand-assembled profile: messages interleaved (a sample between two
 * sample types, the string table last), values unpacked, and every kind of
 * reference the decoder must check. */
static const unsigned char tiny_pb[] = {
    0x0a, 0x04, 0x08, 0x01, 0x10, 0x02,         /* sample_type {type:1 unit:2} */
    0x12, 0x06, 0x08, 0x01, 0x10, 0x07, 0x10, 0x05,  /* sample {loc 1, value 7, value 5} */
    0x0a, 0x04, 0x08, 0x03, 0x10, 0x02,         /* sample_type {type:3 unit:2} */
    0x22, 0x06, 0x08, 0x01, 0x22, 0x02, 0x08, 0x01, /* location {id 1, line {fn 1}} */
    0x2a, 0x04, 0x08, 0x01, 0x10, 0x04,         /* function {id 1, name 4} */
    0x32, 0x00,                                 /* "" */
    0x32, 0x01, 'a',                            /* "a" */
    0x32, 0x01, 'b',                            /* "b" */
    0x32, 0x01, 'c',                            /* "c" */
    0x32, 0x02, 'f', 'n',                       /* "fn" */
};

static void proto_unpacked_any_order(void **state)
{
    (void)state;
    lh_profile *p = NULL;
    char err[256];
    int rc = lh_profile_parse("tiny", tiny_pb, sizeof tiny_pb, NULL, &p, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
    assert_int_equal(p->nsample_types, 2);
    assert_string_equal(p->sample_types[1].type, "c");
    assert_int_equal(p->nsamples, 1);
    assert_int_equal(p->samples[0].values[0], 7);
    assert_int_equal(p->samples[0].values[1], 5);
    assert_string_equal(lh_profile_sample_frame(&p->samples[0], 0).function, "fn");
    lh_profile_free(p);
}

static void proto_bad_references(void **state)
{
    (void)state;
    char err[256];
    unsigned char b[sizeof tiny_pb];

    memcpy(b, tiny_pb, sizeof b);
    b[9] = 0x09;        /* sample -> location 9 */
    assert_int_equal(parse_err(b, sizeof b, err, sizeof err), -1);
    assert_non_null(strstr(err, "in.pb: sample 0 refers to unknown location 9"));

    memcpy(b, tiny_pb, sizeof b);
    b[27] = 0x05;       /* line -> function 5 */
    assert_int_equal(parse_err(b, sizeof b, err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown function 5"));

    memcpy(b, tiny_pb, sizeof b);
    b[33] = 0x09;       /* function name -> string 9 */
    assert_int_equal(parse_err(b, sizeof b, err, sizeof err), -1);
    assert_non_null(strstr(err, "string index 9 out of range"));

    memcpy(b, tiny_pb, sizeof b);
    b[10] = 0x18;       /* a value's tag becomes field 3 (label) with the wrong wire type */
    assert_int_equal(parse_err(b, sizeof b, err, sizeof err), -1);

    /* Drop the second value: 1 value for 2 sample types. */
    static const unsigned char short_values[] = {
        0x0a, 0x02, 0x08, 0x01, 0x0a, 0x02, 0x08, 0x01,
        0x12, 0x02, 0x10, 0x07, 0x32, 0x00, 0x32, 0x01, 'a'};
    assert_int_equal(parse_err(short_values, sizeof short_values, err, sizeof err), -1);
    assert_non_null(strstr(err, "sample 0 has 1 values for 2 sample types"));

    /* A varint that never ends, and one longer than 10 bytes. */
    static const unsigned char endless[] = {0x48, 0xff, 0xff, 0xff};
    assert_int_equal(parse_err(endless, sizeof endless, err, sizeof err), -1);
    static const unsigned char absurd[] = {0x48, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                           0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    assert_int_equal(parse_err(absurd, sizeof absurd, err, sizeof err), -1);
    /* A length far beyond the end. */
    static const unsigned char longlen[] = {0x32, 0xff, 0xff, 0xff, 0xff, 0x0f, 'a'};
    assert_int_equal(parse_err(longlen, sizeof longlen, err, sizeof err), -1);
    /* No string table at all. */
    static const unsigned char nostr[] = {0x48, 0x01};
    assert_int_equal(parse_err(nostr, sizeof nostr, err, sizeof err), -1);
    assert_non_null(strstr(err, "missing string table"));
}


/* Sum of value vi over the samples whose stack contains fn. */
static int64_t sum_with(const lh_profile *p, const char *fn, int vi)
{
    int64_t t = 0;
    for (size_t i = 0; i < p->nsamples; i++) {
        const lh_profile_sample *s = &p->samples[i];
        for (size_t k = 0; k < lh_profile_sample_depth(s); k++)
            if (strcmp(lh_profile_sample_frame(s, k).function, fn) == 0) {
                t += s->values[vi];
                break;
            }
    }
    return t;
}

static void heap_text(void **state)
{
    (void)state;
    lh_profile *t = load("heap.debug1.txt");
    lh_profile *b = load("heap.pb.gz");
    assert_int_equal(t->kind, LH_PROFILE_HEAP);
    assert_int_equal(t->format, LH_FORMAT_HEAP_TEXT);
    assert_int_equal(t->nsample_types, 4);
    assert_string_equal(t->sample_types[3].type, "inuse_space");
    assert_string_equal(t->sample_types[0].unit, "count");
    /* "@ heap/8192" is twice MemProfileRate. */
    assert_int_equal(t->period, 4096);
    /* The runtime wrote both in the same run: scaling the text's raw
     * counts must give what the runtime put in the proto. */
    const char *fns[] = {"main.allocBig", "main.allocSmall", "main.leakSelect"};
    for (size_t i = 0; i < 3; i++)
        for (int v = 0; v < 4; v++)
            assert_int_equal(sum_with(t, fns[i], v), sum_with(b, fns[i], v));
    assert_int_equal(sum_with(t, "main.allocSmall", 3), 155648 + 49440);
    const lh_profile_sample *s = find_sample(t, "main.allocBig");
    lh_profile_frame f = lh_profile_sample_frame(s, 1);
    assert_string_equal(f.function, "main.main");
    assert_string_equal(f.file, "./main.go");
    assert_int_equal(f.line, 56);
    assert_int_equal(f.address, 0x4b7d97);
    /* the MemStats trailer */
    int found = 0;
    for (size_t i = 0; i < t->nstats; i++)
        if (strcmp(t->stats[i].name, "HeapInuse") == 0) {
            assert_int_equal(t->stats[i].value, 3342336);
            found = 1;
        }
    assert_true(found);
    lh_profile_free(t);
    lh_profile_free(b);
}

static void heap_text_scaling(void **state)
{
    (void)state;
    /* rate 512: one 512-byte object was sampled with probability
     * 1-exp(-1), so it stands for 1/(1-e^-1) = 1.582 objects. */
    static const char txt[] =
        "heap profile: 1: 512 [5: 1536] @ heap/1024\n"
        "1: 512 [3: 1536] @ 0x1001 0x2001\n"
        "0: 0 [2: 0] @ 0x1001 0x3001\n"
        "\n";
    lh_profile *p = NULL;
    char err[256];
    assert_int_equal(lh_profile_parse("h", (const unsigned char *)txt, sizeof txt - 1,
                                      NULL, &p, err, sizeof err), 0);
    assert_int_equal(p->nsamples, 2);
    const lh_profile_sample *s = &p->samples[0];
    assert_int_equal(s->values[0], 4);          /* 3 * 1.582 = 4.75 */
    assert_int_equal(s->values[1], 2429);       /* 1536 * 1.582 */
    assert_int_equal(s->values[2], 1);
    assert_int_equal(s->values[3], 809);
    /* objects of no bytes (zero-size allocations): nothing to scale, and
     * they count as nothing, as pprof's scaleHeapSample has it (scaled,
     * 0 bytes over 2 objects would divide by zero) */
    for (size_t i = 1; i < p->nsamples; i++)
        for (size_t k = 0; k < 4; k++)
            assert_int_equal(p->samples[i].values[k], 0);
    /* no '#' lines: the addresses, less one, unsymbolized */
    assert_int_equal(s->nlocs, 2);
    assert_int_equal(s->locs[0]->address, 0x1000);
    assert_int_equal(s->locs[0]->nlines, 0);
    assert_string_equal(lh_profile_sample_frame(s, 0).function, "");
    lh_profile_free(p);
}

static void goroutine_text(void **state)
{
    (void)state;
    lh_profile *p = load("goroutine.debug1.txt");
    assert_int_equal(p->kind, LH_PROFILE_GOROUTINE);
    assert_int_equal(p->format, LH_FORMAT_GOROUTINE_TEXT);
    assert_string_equal(p->sample_types[0].type, "goroutine");
    assert_int_equal(sum_with(p, "main.leakSend", 0), 6);
    assert_int_equal(sum_with(p, "main.leakSelect", 0), 3);
    assert_int_equal(sum_with(p, "main.leakLock", 0), 1);
    int64_t total = 0;
    size_t labelled = 0;
    for (size_t i = 0; i < p->nsamples; i++) {
        total += p->samples[i].values[0];
        if (p->samples[i].nlabels == 2) {
            labelled++;
            assert_string_equal(p->samples[i].labels[0].key, "handler");
            assert_string_equal(p->samples[i].labels[0].str, "upload");
            assert_string_equal(p->samples[i].labels[1].str, "acme");
        }
    }
    assert_int_equal(total, 11);
    assert_int_equal(labelled, 1);
    /* a stack of four frames, leaf first */
    const lh_profile_sample *s = find_sample(p, "main.leakLock");
    assert_int_equal(lh_profile_sample_depth(s), 4);
    assert_string_equal(lh_profile_sample_frame(s, 0).function, "sync.runtime_SemacquireMutex");
    assert_string_equal(lh_profile_sample_frame(s, 3).function, "main.leakLock");
    assert_int_equal(lh_profile_sample_frame(s, 3).line, 42);
    lh_profile_free(p);

    static const char bare[] = "goroutine profile: total 2\n2 @ 0x4378b6 0x4053cc\n";
    char err[256];
    assert_int_equal(lh_profile_parse("bare", (const unsigned char *)bare, sizeof bare - 1,
                                      NULL, &p, err, sizeof err), 0);
    assert_int_equal(p->nsamples, 1);
    assert_int_equal(p->samples[0].values[0], 2);
    assert_int_equal(p->samples[0].nlocs, 2);
    assert_int_equal(p->samples[0].locs[1]->address, 0x4053cb);
    assert_int_equal(p->samples[0].locs[1]->nlines, 0);
    lh_profile_free(p);

    /* Recorded from Go 1.26 (GOEXPERIMENT=goroutineleakprofile) and 1.27
     * by tests/goleaks/goroutineleak -record: only the leaked goroutines,
     * the labelled range consumers among them. */
    static const char *const leak1[] = {"go1.26/goroutineleak.debug1.txt",
                                        "go1.27/goroutineleak.debug1.txt"};
    for (size_t i = 0; i < 2; i++) {
        p = load(leak1[i]);
        assert_int_equal(p->kind, LH_PROFILE_GOROUTINELEAK);
        assert_string_equal(p->sample_types[0].type, "goroutineleak");
        assert_int_equal(sum_with(p, "main.produce", 0), 6);
        assert_int_equal(sum_with(p, "main.awaitReply", 0), 5);
        assert_int_equal(sum_with(p, "main.consume", 0), 4);
        assert_int_equal(sum_with(p, "main.waitAll", 0), 3);
        assert_int_equal(sum_with(p, "main.(*account).deposit", 0), 2);
        assert_int_equal(sum_with(p, "main.descend", 0), 1);
        assert_int_equal(sum_with(p, "main.worker", 0), 0);
        const lh_profile_sample *r = find_sample(p, "main.consume");
        assert_int_equal(r->nlabels, 2);
        assert_string_equal(r->labels[0].key, "pattern");
        assert_string_equal(r->labels[0].str, "range, never closed");
        assert_string_equal(r->labels[1].str, "ingest");
        lh_profile_free(p);
    }
}

static const lh_profile_sample *by_gid(const lh_profile *p, int64_t id)
{
    for (size_t i = 0; i < p->nsamples; i++)
        if (p->samples[i].g && p->samples[i].g->id == id)
            return &p->samples[i];
    fail_msg("no goroutine %lld", (long long)id);
    return NULL;
}

static void goroutine_dump(void **state)
{
    (void)state;
    lh_profile *p = load("goroutine.debug2.txt");
    assert_int_equal(p->kind, LH_PROFILE_GOROUTINE);
    assert_int_equal(p->format, LH_FORMAT_GOROUTINE_DUMP);
    assert_int_equal(p->nsamples, 11);
    size_t sends = 0;
    for (size_t i = 0; i < p->nsamples; i++) {
        const lh_goroutine *g = p->samples[i].g;
        assert_non_null(g);
        assert_int_equal(p->samples[i].values[0], 1);
        if (strcmp(g->state, "chan send") == 0) {
            sends++;
            assert_string_equal(lh_profile_sample_frame(&p->samples[i], 0).function, "main.leakSend");
            assert_int_equal(lh_profile_sample_frame(&p->samples[i], 0).line, 31);
        }
    }
    assert_int_equal(sends, 6);
    const lh_profile_sample *s = by_gid(p, 1);
    assert_string_equal(s->g->state, "running");
    assert_string_equal(s->g->created_by, "");
    assert_string_equal(lh_profile_sample_frame(s, 2).function, "runtime/pprof.(*Profile).WriteTo");
    s = find_sample(p, "main.leakLock");
    assert_string_equal(s->g->state, "semacquire");
    assert_string_equal(s->g->created_by, "main.main");
    assert_string_equal(s->g->created_file, "./main.go");
    assert_int_equal(s->g->created_line, 65);
    lh_profile_free(p);
}

/* The first goroutine of a dump whose stack holds fn. */
static const lh_goroutine *g_in(const lh_profile *p, const char *fn)
{
    const lh_profile_sample *s = find_sample(p, fn);
    if (!s || !s->g)
        fail_msg("no goroutine in %s", fn);
    return s->g;
}

/* goroutineleak ?debug=2, recorded from Go 1.26 and 1.27: every goroutine,
 * the leaked ones tagged, labels in each release's own shape (1.26 inside
 * the bracket, 1.27 after it), inlined frames "(...)", a locked thread, a
 * stack too deep to print whole. Numbers are the recorded program's
 * (tests/goleaks/goroutineleak at the time of recording). */
static void goroutineleak_dump(void **state)
{
    (void)state;
    static const char *const dumps[] = {"go1.26/goroutineleak.debug2.txt",
                                        "go1.27/goroutineleak.debug2.txt"};
    for (size_t i = 0; i < 2; i++) {
        lh_profile *p = load(dumps[i]);
        assert_int_equal(p->kind, LH_PROFILE_GOROUTINELEAK);
        assert_int_equal(p->nsamples, 36);
        size_t leaked = 0;
        for (size_t k = 0; k < p->nsamples; k++) {
            const lh_profile_sample *s = &p->samples[k];
            assert_non_null(s->g);
            if (s->g->flags & LH_G_LEAKED) {
                leaked++;
                assert_non_null(strstr(s->g->created_by, "main.start"));
                assert_int_equal(s->g->creator_id, 1);
            }
            if (strcmp(lh_profile_sample_frame(s, 0).function, "main.consume") == 0) {
                assert_int_equal(s->nlabels, 2);
                assert_string_equal(s->labels[0].key, "pattern");
                assert_string_equal(s->labels[0].str, "range, never closed");
                assert_string_equal(s->labels[1].key, "team");
                assert_string_equal(s->labels[1].str, "ingest");
                assert_string_equal(s->g->state, "chan receive");
            } else {
                assert_int_equal(s->nlabels, 0);
            }
        }
        assert_int_equal(leaked, 6 + 5 + 4 + 3 + 2 + 1);

        const lh_profile_sample *s = find_sample(p, "main.produce");
        assert_string_equal(s->g->state, "chan send");
        assert_int_equal(s->g->flags, LH_G_LEAKED);
        assert_int_equal(lh_profile_sample_depth(s), 1);     /* inlined: "main.produce(...)" */
        assert_string_equal(lh_profile_sample_frame(s, 0).file, "leakhound.test/goroutineleak/main.go");
        assert_int_equal(lh_profile_sample_frame(s, 0).line, 58);
        assert_string_equal(s->g->created_by, "main.startSends");
        assert_string_equal(s->g->created_file, "leakhound.test/goroutineleak/main.go");
        assert_int_equal(s->g->created_line, 64);

        assert_string_equal(g_in(p, "main.waitAll")->state, "sync.WaitGroup.Wait");
        assert_int_equal(g_in(p, "main.waitAll")->flags, LH_G_LEAKED);
        assert_string_equal(g_in(p, "main.(*account).deposit")->state, "sync.Mutex.Lock");

        s = find_sample(p, "main.descend");
        assert_int_equal(s->g->flags, LH_G_LEAKED | LH_G_ELIDED);
        assert_int_equal(s->g->elided_frames, 21);
        assert_int_equal(lh_profile_sample_depth(s), 100);   /* 50 innermost, 50 outermost */
        assert_int_equal(lh_profile_sample_frame(s, 0).line, 143);

        const lh_goroutine *g = g_in(p, "main.ownThread");
        assert_string_equal(g->state, "chan receive");
        assert_int_equal(g->flags, LH_G_LOCKED);
        g = g_in(p, "main.worker");
        assert_string_equal(g->state, "chan receive");
        assert_int_equal(g->flags, 0);
        assert_int_equal(g->creator_id, 1);
        g = g_in(p, "net/http.(*Server).Serve");
        assert_string_equal(g->state, "IO wait");
        assert_int_equal(g->flags, 0);
        lh_profile_free(p);
    }
}

/* What the runtime prints too rarely, or too slowly, to record: a wait of
 * minutes, a scan bit caught mid-GC, GOTRACEBACK=system's gp=/m= fields
 * and runtime frames with fp/sp/pc, a synctest bubble, a leaked goroutine
 * without a wait reason, Go 1.19's frame elision and creator lines, a
 * quoted ']' and escapes in labels of both shapes, and ancestors' stacks
 * (GODEBUG=tracebackancestors). Written by hand after the runtime's
 * goroutineheader and traceback printers. */
static void goroutine_dump_rare_headers(void **state)
{
    (void)state;
    static const char dump[] =
        "goroutine 7 [chan send (leaked), 15 minutes]:\n"
        "main.produce(...)\n"
        "\t/app/main.go:42\n"
        "created by main.start in goroutine 1\n"
        "\t/app/main.go:40 +0x6c\n"
        "\n"
        "goroutine 8 [chan receive (leaked), 3 minutes, locked to thread] {q: \"a\\\"b\\u00e9\", "
        "tenant: acme}:\n"
        "main.consume()\n"
        "\t/app/main.go:21 +0x34\n"
        "created by main.start in goroutine 1\n"
        "\t/app/main.go:20 +0x6c\n"
        "\n"
        "goroutine 9 gp=0xc000007340 m=nil [select (scan) labels:{\"handler\": \"upload, then "
        "\\\"retry\\\"]\", \"tenant\": \"acme\"}]:\n"
        "runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)\n"
        "\t/usr/lib/go/src/runtime/proc.go:435 +0xce fp=0xc00004ff38 sp=0xc00004ff18 pc=0x47b0ee\n"
        "main.(*Server[go.shape.int]).poll(0xc000010000, {0x4ffda8, 0xc00026e008})\n"
        "\t/app/server.go:77 +0x48 fp=0xc00004ffc8 sp=0xc00004ff38 pc=0x4b2a28\n"
        "...3 frames elided...\n"
        "created by main.serve in goroutine 7\n"
        "\t/app/server.go:12 +0x19b\n"
        "\n"
        "goroutine 10 [IO wait]:\n"
        "internal/poll.runtime_pollWait(0x7f1c2c8a0e38, 0x72)\n"
        "\t/usr/lib/go/src/runtime/netpoll.go:351 +0x85\n"
        "...additional frames elided...\n"
        "created by net/http.(*Server).Serve\n"
        "\t/usr/lib/go/src/net/http/server.go:3360 +0x485\n"
        "\n"
        "goroutine 11 [leaked]:\n"
        "main.worker()\n"
        "\t/app/main.go:60 +0x1\n"
        "\n"
        "goroutine 12 [chan receive (durable), synctest bubble 3]:\n"
        "main.TestTicker.func1()\n"
        "\t/app/main_test.go:14 +0x25\n"
        "created by testing/synctest.Test in goroutine 6\n"
        "\t/usr/lib/go/src/testing/synctest/synctest.go:40 +0x4a\n"
        "\n"
        "goroutine 13 [chan send]:\n"
        "main.child()\n"
        "\t/app/main.go:70 +0x1\n"
        "created by main.parent in goroutine 12\n"
        "\t/app/main.go:66 +0x2\n"
        "[originating from goroutine 12]:\n"
        "main.parent(...)\n"
        "\t/app/main.go:66 +0x3\n"
        "created by main.main in goroutine 1\n"
        "\t/app/main.go:30 +0x4\n";
    lh_profile *p = NULL;
    char err[256];
    assert_int_equal(lh_profile_parse("rare", (const unsigned char *)dump, sizeof dump - 1, NULL,
                                      &p, err, sizeof err), 0);
    assert_int_equal(p->kind, LH_PROFILE_GOROUTINELEAK);
    assert_int_equal(p->nsamples, 7);

    const lh_profile_sample *s = by_gid(p, 7);
    assert_string_equal(s->g->state, "chan send");
    assert_int_equal(s->g->flags, LH_G_LEAKED);
    assert_int_equal(s->g->wait_minutes, 15);
    assert_int_equal(s->g->created_line, 40);

    s = by_gid(p, 8);
    assert_string_equal(s->g->state, "chan receive");
    assert_int_equal(s->g->flags, LH_G_LEAKED | LH_G_LOCKED);
    assert_int_equal(s->g->wait_minutes, 3);
    assert_int_equal(s->nlabels, 2);
    assert_string_equal(s->labels[0].key, "q");
    assert_string_equal(s->labels[0].str, "a\"b\xc3\xa9");
    assert_string_equal(s->labels[1].key, "tenant");
    assert_string_equal(s->labels[1].str, "acme");

    s = by_gid(p, 9);
    assert_string_equal(s->g->state, "select");
    assert_int_equal(s->g->flags, LH_G_SCAN | LH_G_ELIDED);
    assert_int_equal(s->g->elided_frames, 3);
    assert_int_equal(s->g->creator_id, 7);
    assert_int_equal(s->nlabels, 2);
    assert_string_equal(s->labels[0].key, "handler");
    assert_string_equal(s->labels[0].str, "upload, then \"retry\"]");
    assert_int_equal(lh_profile_sample_depth(s), 2);
    assert_string_equal(lh_profile_sample_frame(s, 0).function, "runtime.gopark");
    assert_int_equal(lh_profile_sample_frame(s, 0).line, 435);
    assert_string_equal(lh_profile_sample_frame(s, 1).function, "main.(*Server[go.shape.int]).poll");
    assert_int_equal(lh_profile_sample_frame(s, 1).line, 77);

    s = by_gid(p, 10);
    assert_int_equal(s->g->elided_frames, -1);
    assert_int_equal(s->g->creator_id, 0);
    assert_string_equal(s->g->created_by, "net/http.(*Server).Serve");
    assert_int_equal(s->g->created_line, 3360);

    s = by_gid(p, 11);
    assert_string_equal(s->g->state, "leaked");
    assert_int_equal(s->g->flags, LH_G_LEAKED);

    s = by_gid(p, 12);
    assert_string_equal(s->g->state, "chan receive");
    assert_int_equal(s->g->flags, LH_G_DURABLE);
    assert_int_equal(s->g->bubble, 3);

    /* The ancestors' frames and creator are not goroutine 13's. */
    s = by_gid(p, 13);
    assert_int_equal(lh_profile_sample_depth(s), 1);
    assert_string_equal(s->g->created_by, "main.parent");
    assert_int_equal(s->g->created_line, 66);
    assert_int_equal(s->g->creator_id, 12);
    lh_profile_free(p);
}

/* Every format, as Go 1.26 and 1.27 write it for tests/testdata/profiles/gen
 * (the program that wrote the Go 1.19 fixtures the tests above read): the
 * same goroutines in the three goroutine formats, the same heap in both
 * heap formats. */
static void current_runtimes(void **state)
{
    (void)state;
    static const char *const dirs[] = {"go1.26", "go1.27"};
    char name[64];
    for (size_t i = 0; i < 2; i++) {
        static const char *const gfiles[] = {"goroutine.pb.gz", "goroutine.debug1.txt",
                                             "goroutine.debug2.txt"};
        for (size_t k = 0; k < 3; k++) {
            snprintf(name, sizeof name, "%s/%s", dirs[i], gfiles[k]);
            lh_profile *p = load(name);
            assert_int_equal(p->kind, LH_PROFILE_GOROUTINE);
            int64_t total = 0;
            for (size_t j = 0; j < p->nsamples; j++)
                total += p->samples[j].values[0];
            assert_int_equal(total, 11);
            assert_int_equal(sum_with(p, "main.leakSend", 0), 6);
            assert_int_equal(sum_with(p, "main.leakSelect", 0), 3);
            assert_int_equal(sum_with(p, "main.leakLock", 0), 1);
            if (k < 2) {            /* the dump prints labels only with tracebacklabels=1 */
                size_t labelled = 0;
                for (size_t j = 0; j < p->nsamples; j++)
                    labelled += p->samples[j].nlabels == 2;
                assert_int_equal(labelled, 1);
            }
            if (k == 2) {
                const lh_goroutine *g = g_in(p, "main.leakLock");
                assert_string_equal(g->state, "sync.Mutex.Lock");
                assert_string_equal(g->created_by, "main.main");
                assert_int_equal(g->creator_id, 1);
            }
            lh_profile_free(p);
        }
        snprintf(name, sizeof name, "%s/heap.pb.gz", dirs[i]);
        lh_profile *hp = load(name);
        snprintf(name, sizeof name, "%s/heap.debug1.txt", dirs[i]);
        lh_profile *ht = load(name);
        assert_int_equal(hp->kind, LH_PROFILE_HEAP);
        assert_int_equal(ht->kind, LH_PROFILE_HEAP);
        int ip = lh_profile_sample_type_index(hp, "inuse_space");
        int it = lh_profile_sample_type_index(ht, "inuse_space");
        assert_true(ip >= 0 && it >= 0);
        /* 20 retained 64 KiB buffers, sampled at 4096: the scaled estimate
         * is the same in both files, and near the truth */
        int64_t bp = sum_with(hp, "main.allocBig", ip);
        int64_t bt = sum_with(ht, "main.allocBig", it);
        assert_int_equal(bp, bt);
        assert_true(bp >= 20 * 65536 * 9 / 10 && bp <= 20 * 65536 * 11 / 10);
        lh_profile_free(hp);
        lh_profile_free(ht);
    }
}

static unsigned char *read_fixture(const char *name, size_t *len)
{
    const char *src = getenv("LH_SRC");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/testdata/profiles/%s", src ? src : ".", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char *buf = malloc(1 << 20);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

static unsigned char *gzip_bytes(const void *data, size_t len, size_t *outlen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, (uLong)len) + 64;
    unsigned char *out = malloc(cap);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *outlen = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

static void panic_traceback(void **state)
{
    (void)state;
    static const char txt[] =
        "panic: boom\n"
        "\n"
        "goroutine 1 [running]:\n"
        "main.explode(...)\n"
        "\t/tmp/x.go:9\n"
        "main.main()\n"
        "\t/tmp/x.go:5 +0x27\r\n"
        "exit status 2\n";
    lh_profile *p = NULL;
    char err[256];
    assert_int_equal(lh_profile_parse("crash.txt", (const unsigned char *)txt, sizeof txt - 1,
                                      NULL, &p, err, sizeof err), 0);
    assert_int_equal(p->format, LH_FORMAT_GOROUTINE_DUMP);
    assert_int_equal(p->nsamples, 1);
    const lh_profile_sample *s = &p->samples[0];
    assert_int_equal(lh_profile_sample_depth(s), 2);
    assert_string_equal(lh_profile_sample_frame(s, 0).function, "main.explode");
    assert_int_equal(lh_profile_sample_frame(s, 0).line, 9);
    assert_string_equal(lh_profile_sample_frame(s, 1).file, "/tmp/x.go");
    assert_int_equal(lh_profile_sample_frame(s, 1).line, 5);
    lh_profile_free(p);
}

/* Sum of value v over the samples whose leaf location is at addr. */
static int64_t sum_at_leaf(const lh_profile *p, uint64_t addr, size_t v)
{
    int64_t t = 0;
    for (size_t i = 0; i < p->nsamples; i++)
        if (p->samples[i].nlocs && p->samples[i].locs[0]->address == addr)
            t += p->samples[i].values[v];
    return t;
}

/* Sum of value v over the samples with a location at addr. */
static int64_t sum_containing(const lh_profile *p, uint64_t addr, size_t v)
{
    int64_t t = 0;
    for (size_t i = 0; i < p->nsamples; i++)
        for (size_t l = 0; l < p->samples[i].nlocs; l++)
            if (p->samples[i].locs[l]->address == addr) {
                t += p->samples[i].values[v];
                break;
            }
    return t;
}

/* pprof's own legacy parsers against ours: per leaf, the same scaled
 * values. Our leaf is the first frame the '#' lines name; pprof, having
 * only the addresses, also keeps the runtime frames the runtime hides
 * above it, so there the same pc sits deeper in the stack. pprof also
 * merges samples that differ only by labels and drops all-zero ones:
 * sums compare, samples don't. */
static void text_agrees_with_pprof(void **state)
{
    (void)state;
    const char *pairs[][2] = {{"heap.debug1.txt", "pprof-of-heap.debug1.pb.gz"},
                              {"goroutine.debug1.txt", "pprof-of-goroutine.debug1.pb.gz"}};
    for (size_t i = 0; i < 2; i++) {
        lh_profile *ours = load(pairs[i][0]);
        lh_profile *theirs = load(pairs[i][1]);
        assert_int_equal(ours->kind, theirs->kind);
        assert_int_equal(ours->nsample_types, theirs->nsample_types);
        assert_int_equal(ours->period, theirs->period);
        size_t checked = 0;
        for (size_t j = 0; j < ours->nsamples; j++) {
            if (!ours->samples[j].nlocs)
                continue;
            uint64_t leaf = ours->samples[j].locs[0]->address;
            for (size_t v = 0; v < ours->nsample_types; v++) {
                assert_int_equal(sum_at_leaf(ours, leaf, v), sum_containing(theirs, leaf, v));
                checked++;
            }
        }
        int64_t a = 0, b = 0;
        for (size_t j = 0; j < ours->nsamples; j++)
            a += ours->samples[j].values[ours->nsample_types - 1];
        for (size_t j = 0; j < theirs->nsamples; j++)
            b += theirs->samples[j].values[theirs->nsample_types - 1];
        assert_int_equal(a, b);
        assert_true(checked > 3);
        /* pprof's locations are unsymbolized and mapped */
        for (size_t j = 0; j < theirs->nlocations; j++) {
            assert_int_equal(theirs->locations[j].nlines, 0);
            assert_non_null(theirs->locations[j].mapping);
        }
        lh_profile_free(ours);
        lh_profile_free(theirs);
    }
}

static void bad_inputs(void **state)
{
    (void)state;
    char err[256];
    size_t n;
    unsigned char *gz = read_fixture("heap.pb.gz", &n);

    assert_int_equal(parse_err(gz, n / 2, err, sizeof err), -1);
    assert_string_equal(err, "in.pb: truncated gzip data");
    assert_int_equal(parse_err(gz, n - 4, err, sizeof err), -1);     /* no trailer */
    assert_string_equal(err, "in.pb: truncated gzip data");
    assert_int_equal(parse_err(gz, 10, err, sizeof err), -1);
    assert_string_equal(err, "in.pb: truncated gzip data");
    gz[n / 2] ^= 0x55;
    assert_int_equal(parse_err(gz, n, err, sizeof err), -1);
    assert_non_null(strstr(err, "in.pb: corrupt gzip data"));
    free(gz);

    static const char txt[] = "hello, this is not a profile\n";
    assert_int_equal(parse_err(txt, sizeof txt - 1, err, sizeof err), -1);
    assert_string_equal(err, "in.pb: not a pprof profile (unrecognized format)");
    assert_int_equal(parse_err("", 0, err, sizeof err), -1);
    assert_string_equal(err, "in.pb: empty profile");
    static const unsigned char bin[] = {0x00, 0x01, 0x02, 0xfe, 0xff, 0x13, 0x37};
    assert_int_equal(parse_err(bin, sizeof bin, err, sizeof err), -1);
    assert_string_equal(err, "in.pb: not a pprof profile (malformed protobuf data)");

    static const char badheap[] = "heap profile: 1: 2 [3: 4] @ heap/8192\n1: x [1: 2] @ 0x1\n";
    assert_int_equal(parse_err(badheap, sizeof badheap - 1, err, sizeof err), -1);
    assert_string_equal(err, "in.pb: line 2: malformed heap profile record");
    static const char badrate[] = "heap profile: 1: 2 [3: 4] @ growthz/1\n";
    assert_int_equal(parse_err(badrate, sizeof badrate - 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown heap profile sampling 'growthz'"));
    static const char badcount[] = "goroutine profile: total 1\n-1 @ 0x1\n";
    assert_int_equal(parse_err(badcount, sizeof badcount - 1, err, sizeof err), -1);
    assert_string_equal(err, "in.pb: line 2: malformed goroutine profile record");
    static const char badhdr[] = "goroutine 12 running:\nmain.main()\n";
    assert_int_equal(parse_err(badhdr, sizeof badhdr - 1, err, sizeof err), -1);
    assert_string_equal(err, "in.pb: line 1: malformed goroutine header");

    /* A goroutine block without one readable frame is an error at its
     * header, not a goroutine without a place (which grouping would drop,
     * loading a thousand of them as "0 goroutines"). */
    static const char noframes[] = "goroutine 1 [chan send]:\nmain.f(0x1)\n\t./m.go:3 +0x1\n\n"
                                   "goroutine 2 [chan send]:\n!! not a frame\n\tnor this\n\n"
                                   "goroutine 3 [select]:\nmain.g()\n\t./m.go:9\n";
    assert_int_equal(parse_err(noframes, sizeof noframes - 1, err, sizeof err), -1);
    assert_string_equal(err, "in.pb: line 5: goroutine 2: no stack frame could be read");
    static const char cut[] = "goroutine 1 [chan send]:\nmain.f(0x1)\n\t./m.go:3 +0x1\n\n"
                              "goroutine 9 [chan send]:\n";
    assert_int_equal(parse_err(cut, sizeof cut - 1, err, sizeof err), -1);
    assert_string_equal(err, "in.pb: line 5: goroutine 9: no stack frame could be read");
    /* ... but a traceback's running goroutine on another thread has none by design. */
    static const char unavail[] = "goroutine 1 [running]:\n\tgoroutine running on other thread; "
                                  "stack unavailable\ncreated by main.main in goroutine 1\n"
                                  "\t./m.go:7 +0x1\n\ngoroutine 3 [select]:\nmain.g()\n\t./m.go:9\n";
    lh_profile *up = NULL;
    assert_int_equal(lh_profile_parse("in.pb", (const unsigned char *)unavail, sizeof unavail - 1, NULL,
                                      &up, err, sizeof err), 0);
    assert_int_equal(up->nsamples, 2);
    lh_profile_free(up);
    /* debug=1: a record with neither frames nor addresses, or with junk
     * where its addresses should be. */
    static const char noaddr[] = "goroutine profile: total 4\n1 @ 0x10 0x20\n#\t0xf\tmain.f+0x1\t./m.go:3\n\n"
                                 "3 @ zz yy\n#\tjunk\n";
    assert_int_equal(parse_err(noaddr, sizeof noaddr - 1, err, sizeof err), -1);
    assert_string_equal(err, "in.pb: line 5: malformed goroutine profile record: no stack");
    static const char badaddr[] = "goroutine profile: total 3\n3 @ 0x10 0x2z\n";
    assert_int_equal(parse_err(badaddr, sizeof badaddr - 1, err, sizeof err), -1);
    assert_string_equal(err, "in.pb: line 2: malformed goroutine profile record: bad address");

    /* file errors name the path */
    lh_profile *p = NULL;
    assert_int_equal(lh_profile_load_file("/nonexistent/x.pb.gz", NULL, &p, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/x.pb.gz: "));
    assert_null(p);
}

/* A download that stopped between two records passes every syntax check;
 * only the header's totals show it. */
static void text_truncated_between_records(void **state)
{
    (void)state;
    char err[256];
    size_t n;
    char *heap = (char *)read_fixture("heap.debug1.txt", &n);
    /* The whole file loads; the same file without its last record doesn't. */
    assert_int_equal(parse_err(heap, n, err, sizeof err), 0);
    char *stats = strstr(heap, "\n# runtime.MemStats");
    assert_non_null(stats);
    /* Keep the header and the first record (20 objects), cut at the second:
     * the last records of a runtime profile are often all zeros, so cutting
     * those would change nothing. */
    size_t rec = 0, seen = 0;
    for (size_t i = 1; i < (size_t)(stats - heap) && !rec; i++)
        if (heap[i - 1] == '\n' && heap[i] >= '0' && heap[i] <= '9' && ++seen == 2)
            rec = i;
    assert_true(rec > 0);
    assert_int_equal(parse_err(heap, rec, err, sizeof err), -1);
    assert_non_null(strstr(err, "in.pb: truncated or inconsistent heap profile"));
    free(heap);

    char *gr = (char *)read_fixture("goroutine.debug1.txt", &n);
    assert_int_equal(parse_err(gr, n, err, sizeof err), 0);
    size_t last = 0;
    for (size_t i = 1; i < n; i++)
        if (gr[i - 1] == '\n' && gr[i] >= '1' && gr[i] <= '9')
            last = i;
    assert_true(last > 0);
    assert_int_equal(parse_err(gr, last, err, sizeof err), -1);
    assert_non_null(strstr(err, "in.pb: truncated or inconsistent goroutine profile"));
    free(gr);

    /* A header that promises more than the records hold, by hand. */
    static const char short_heap[] =
        "heap profile: 2: 64 [2: 64] @ heap/1024\n1: 32 [1: 32] @ 0x1\n";
    assert_int_equal(parse_err(short_heap, sizeof short_heap - 1, err, sizeof err), -1);
    assert_string_equal(err, "in.pb: truncated or inconsistent heap profile: its records add up "
                             "to 1: 32 [1: 32], its header says 2: 64 [2: 64]");
}

static void inflate_cap(void **state)
{
    (void)state;
    /* 8 MiB of zeros deflate to a few KiB: a bomb in miniature. */
    size_t big = 8u << 20, gzlen;
    unsigned char *zeros = calloc(1, big);
    unsigned char *gz = gzip_bytes(zeros, big, &gzlen);
    free(zeros);
    assert_true(gzlen < 64 * 1024);
    lh_profile_opts opts = {.max_inflated = 1u << 20};
    lh_profile *p = NULL;
    char err[256];
    assert_int_equal(lh_profile_parse("bomb.gz", gz, gzlen, &opts, &p, err, sizeof err), -1);
    assert_non_null(strstr(err, "bomb.gz: decompressed size exceeds the limit of 1048576 bytes"));
    /* Raised above the size, the same bytes inflate and then fail as what
     * they are: zeros are no profile. */
    opts.max_inflated = 16u << 20;
    assert_int_equal(lh_profile_parse("bomb.gz", gz, gzlen, &opts, &p, err, sizeof err), -1);
    assert_null(strstr(err, "exceeds"));
    free(gz);

    size_t gz2len, fixlen;
    unsigned char *fix = read_fixture("goroutine.debug1.txt", &fixlen);
    unsigned char *gz2 = gzip_bytes(fix, fixlen, &gz2len);
    free(fix);

    /* Empty samples: two bytes of input, a hundred of memory each. */
    size_t nb = 1u << 20;
    unsigned char *empties = malloc(nb + 2);
    for (size_t i = 0; i < nb; i += 2) {
        empties[i] = 0x12;
        empties[i + 1] = 0x00;
    }
    empties[nb] = 0x32;         /* the string table's "" */
    empties[nb + 1] = 0x00;
    opts.max_inflated = 2u << 20;
    assert_int_equal(lh_profile_parse("many.pb", empties, nb + 2, &opts, &p, err, sizeof err), -1);
    assert_string_equal(err, "many.pb: more than 65536 protobuf messages: too many for the "
                             "size limit (a memory bomb, or raise the limit)");
    /* under a higher limit the same bytes are a valid, if odd, profile */
    opts.max_inflated = 64u << 20;
    assert_int_equal(lh_profile_parse("many.pb", empties, nb + 2, &opts, &p, err, sizeof err), 0);
    assert_int_equal(p->nsamples, nb / 2);
    lh_profile_free(p);
    free(empties);

    /* a cap too big to do arithmetic on is a cap that never bites */
    opts.max_inflated = SIZE_MAX;
    assert_int_equal(lh_profile_parse("bomb.gz", gz2, gz2len, &opts, &p, err, sizeof err), 0);
    lh_profile_free(p);
    free(gz2);

    /* a real profile under a cap smaller than it */
    size_t n;
    unsigned char *raw = read_fixture("heap.debug1.txt", &n);
    opts.max_inflated = 1000;
    assert_int_equal(lh_profile_parse("h.txt", raw, n, &opts, &p, err, sizeof err), -1);
    assert_non_null(strstr(err, "exceeds the limit of 1000 bytes"));
    free(raw);
}

/* Every sample of a and b: same values, labels and frames. */
static void assert_same_profile(const lh_profile *a, const lh_profile *b)
{
    assert_int_equal(a->nsample_types, b->nsample_types);
    for (size_t i = 0; i < a->nsample_types; i++) {
        assert_string_equal(a->sample_types[i].type, b->sample_types[i].type);
        assert_string_equal(a->sample_types[i].unit, b->sample_types[i].unit);
    }
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->period, b->period);
    assert_string_equal(a->period_type.type, b->period_type.type);
    assert_int_equal(a->time_nanos, b->time_nanos);
    assert_int_equal(lh_profile_default_index(a), lh_profile_default_index(b));
    assert_int_equal(a->nsamples, b->nsamples);
    for (size_t i = 0; i < a->nsamples; i++) {
        const lh_profile_sample *x = &a->samples[i], *y = &b->samples[i];
        for (size_t v = 0; v < a->nsample_types; v++)
            assert_int_equal(x->values[v], y->values[v]);
        assert_int_equal(x->nlabels, y->nlabels);
        for (size_t j = 0; j < x->nlabels; j++) {
            assert_string_equal(x->labels[j].key, y->labels[j].key);
            if (x->labels[j].str)
                assert_string_equal(x->labels[j].str, y->labels[j].str);
            else
                assert_int_equal(x->labels[j].num, y->labels[j].num);
        }
        size_t d = lh_profile_sample_depth(x);
        assert_int_equal(d, lh_profile_sample_depth(y));
        for (size_t k = 0; k < d; k++) {
            lh_profile_frame f = lh_profile_sample_frame(x, k), g = lh_profile_sample_frame(y, k);
            assert_string_equal(f.function, g.function);
            assert_string_equal(f.file, g.file);
            assert_int_equal(f.line, g.line);
            assert_int_equal(f.address, g.address);
        }
    }
}

static void encode_roundtrip(void **state)
{
    (void)state;
    const char *names[] = {"heap.pb.gz", "goroutine.pb.gz", "heap.debug1.txt",
                           "goroutine.debug1.txt", "goroutine.debug2.txt",
                           "go1.27/goroutineleak.pb.gz", "go1.27/goroutineleak.debug1.txt",
                           "go1.27/goroutineleak.debug2.txt", "go1.26/goroutineleak.debug2.txt",
                           "go1.27/heap.pb.gz", "go1.27/heap.debug1.txt",
                           "go1.27/goroutine.debug2.txt"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        lh_profile *p = load(names[i]);
        for (int gz = 0; gz <= 1; gz++) {
            lh_buf b = LH_BUF_INIT;
            char err[256];
            assert_int_equal(lh_profile_encode(p, gz, &b, err, sizeof err), 0);
            assert_int_equal(gz, b.len >= 2 && (unsigned char)b.data[0] == 0x1f &&
                                     (unsigned char)b.data[1] == 0x8b);
            lh_profile *q = NULL;
            if (lh_profile_parse("re", (unsigned char *)b.data, b.len, NULL, &q, err, sizeof err) != 0)
                fail_msg("%s: %s", names[i], err);
            assert_int_equal(q->format, LH_FORMAT_PROTO);
            /* A leak dump's "(leaked)" tags have no place in profile.proto:
             * what comes back is a plain goroutine profile. */
            if (p->kind == LH_PROFILE_GOROUTINELEAK && p->format == LH_FORMAT_GOROUTINE_DUMP)
                assert_int_equal(q->kind, LH_PROFILE_GOROUTINE);
            else
                assert_int_equal(q->kind, p->kind);
            q->kind = p->kind;
            assert_same_profile(p, q);
            lh_profile_free(q);
            lh_buf_free(&b);
        }
        lh_profile_free(p);
    }
}

/* A profile assembled by hand, pointing into another profile, as diff
 * builds its delta. */
static void encode_built(void **state)
{
    (void)state;
    lh_profile *src = load("goroutine.pb.gz");
    lh_profile *d = lh_profile_new();
    assert_int_equal(d->format, LH_FORMAT_BUILT);
    d->sample_types = src->sample_types;
    d->nsample_types = src->nsample_types;
    lh_profile_sample *s = LH_NEWN(&d->arena, lh_profile_sample, 1);
    int64_t *v = LH_NEWN(&d->arena, int64_t, 1);
    v[0] = 42;
    const lh_profile_sample *from = find_sample(src, "main.leakSelect");
    s->locs = from->locs;
    s->nlocs = from->nlocs;
    s->values = v;
    lh_profile_label *l = LH_NEWN(&d->arena, lh_profile_label, 1);
    l->key = lh_profile_strdup(d, "state");
    l->str = lh_profile_strdup(d, "select");
    l->num_unit = "";
    s->labels = l;
    s->nlabels = 1;
    d->samples = s;
    d->nsamples = 1;
    lh_buf b = LH_BUF_INIT;
    char err[256];
    assert_int_equal(lh_profile_encode(d, 1, &b, err, sizeof err), 0);
    lh_profile *q = NULL;
    assert_int_equal(lh_profile_parse("delta", (unsigned char *)b.data, b.len, NULL, &q, err, sizeof err), 0);
    assert_int_equal(q->nsamples, 1);
    assert_int_equal(q->samples[0].values[0], 42);
    assert_string_equal(q->samples[0].labels[0].str, "select");
    /* only what the sample reaches was written */
    assert_int_equal(q->nlocations, from->nlocs);
    assert_string_equal(lh_profile_sample_frame(&q->samples[0], lh_profile_sample_depth(&q->samples[0]) - 1).function,
                        lh_profile_sample_frame(from, lh_profile_sample_depth(from) - 1).function);
    lh_profile_free(q);
    lh_buf_free(&b);
    lh_profile_free(d);
    lh_profile_free(src);
}

/* An allocs profile as Go writes it, with two near misses of the common
 * case: its tables are out of id order with sparse ids (locations 2 then 1,
 * functions 30 then 7), and it names a default sample type (alloc_space)
 * that is not the last one. pprof resolves ids by id, never by position,
 * and shows alloc_space for it (issue 13). */
static const unsigned char allocs_pb[] = {
    0x0a, 0x04, 0x08, 0x01, 0x10, 0x02, /* sample_type {alloc_objects count} */
    0x0a, 0x04, 0x08, 0x03, 0x10, 0x04, /* sample_type {alloc_space bytes} */
    0x0a, 0x04, 0x08, 0x05, 0x10, 0x02, /* sample_type {inuse_objects count} */
    0x0a, 0x04, 0x08, 0x06, 0x10, 0x04, /* sample_type {inuse_space bytes} */
    0x12, 0x0c, 0x08, 0x02, 0x08, 0x01, 0x10, 0x01, 0x10, 0x64, 0x10, 0x00, 0x10, 0x00, /* sample {loc 2, loc 1; 1 100 0 0} */
    0x12, 0x0a, 0x08, 0x01, 0x10, 0x03, 0x10, 0x1e, 0x10, 0x01, 0x10, 0x05, /* sample {loc 1; 3 30 1 5} */
    0x22, 0x08, 0x08, 0x02, 0x22, 0x04, 0x08, 0x07, 0x10, 0x0b, /* location {id 2, line {fn 7, line 11}} */
    0x22, 0x08, 0x08, 0x01, 0x22, 0x04, 0x08, 0x1e, 0x10, 0x16, /* location {id 1, line {fn 30, line 22}} */
    0x2a, 0x06, 0x08, 0x1e, 0x10, 0x08, 0x20, 0x09, /* function {id 30, name main.b, file a.go} */
    0x2a, 0x06, 0x08, 0x07, 0x10, 0x07, 0x20, 0x09, /* function {id 7, name main.a, file a.go} */
    0x32, 0x00, /* 0 */
    0x32, 0x0d, 'a', 'l', 'l', 'o', 'c', '_', 'o', 'b', 'j', 'e', 'c', 't', 's', /* 1 */
    0x32, 0x05, 'c', 'o', 'u', 'n', 't', /* 2 */
    0x32, 0x0b, 'a', 'l', 'l', 'o', 'c', '_', 's', 'p', 'a', 'c', 'e', /* 3 */
    0x32, 0x05, 'b', 'y', 't', 'e', 's', /* 4 */
    0x32, 0x0d, 'i', 'n', 'u', 's', 'e', '_', 'o', 'b', 'j', 'e', 'c', 't', 's', /* 5 */
    0x32, 0x0b, 'i', 'n', 'u', 's', 'e', '_', 's', 'p', 'a', 'c', 'e', /* 6 */
    0x32, 0x06, 'm', 'a', 'i', 'n', '.', 'a', /* 7 */
    0x32, 0x06, 'm', 'a', 'i', 'n', '.', 'b', /* 8 */
    0x32, 0x04, 'a', '.', 'g', 'o', /* 9 */
    0x70, 0x03, /* default_sample_type: "alloc_space" */
};

static void proto_allocs_sparse_ids(void **state)
{
    (void)state;
    lh_profile *p = NULL;
    char err[256];
    if (lh_profile_parse("allocs", allocs_pb, sizeof allocs_pb, NULL, &p, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(p->nsample_types, 4);
    assert_int_equal(p->default_sample_type, 1);
    assert_int_equal(lh_profile_default_index(p), 1);
    assert_string_equal(p->sample_types[lh_profile_default_index(p)].type, "alloc_space");
    assert_int_equal(p->nsamples, 2);
    const lh_profile_sample *s = &p->samples[0];
    assert_int_equal(lh_profile_sample_depth(s), 2);
    lh_profile_frame leaf = lh_profile_sample_frame(s, 0), caller = lh_profile_sample_frame(s, 1);
    assert_string_equal(leaf.function, "main.a");
    assert_int_equal(leaf.line, 11);
    assert_string_equal(caller.function, "main.b");
    assert_int_equal(caller.line, 22);
    assert_int_equal(s->values[1], 100);
    s = &p->samples[1];
    assert_int_equal(lh_profile_sample_depth(s), 1);
    assert_string_equal(lh_profile_sample_frame(s, 0).function, "main.b");
    assert_int_equal(lh_profile_sample_frame(s, 0).line, 22);
    assert_int_equal(s->values[3], 5);
    /* Written back, the default survives (by name, as the format keeps it). */
    lh_buf b = LH_BUF_INIT;
    assert_int_equal(lh_profile_encode(p, 0, &b, err, sizeof err), 0);
    lh_profile *q = NULL;
    assert_int_equal(lh_profile_parse("re", (unsigned char *)b.data, b.len, NULL, &q, err, sizeof err), 0);
    assert_int_equal(lh_profile_default_index(q), 1);
    assert_same_profile(p, q);
    lh_profile_free(q);
    lh_buf_free(&b);
    /* and diff -o's delta keeps it too */
    lh_profile *d = lh_diff_profile(p, p);
    assert_int_equal(lh_profile_default_index(d), 1);
    lh_profile_free(d);
    lh_profile_free(p);
}

/* The acceptance test of the encoder: Go's own pprof reads what we wrote. */
static void pprof_reads_encoded(void **state)
{
    (void)state;
    /* "go tool pprof": since Go 1.24 the go command builds pprof on first
     * use instead of shipping it in GOTOOLDIR. Skipped only without Go. */
    if (system("go version >/dev/null 2>&1") != 0)
        lh_test_skip("no go command on PATH to run go tool pprof");

    char dir[] = "/tmp/lh_profile_XXXXXX";
    assert_non_null(mkdtemp(dir));
    lh_profile *p = load("heap.debug1.txt");
    lh_buf b = LH_BUF_INIT;
    char err[256], path[600], cmd[1400];
    assert_int_equal(lh_profile_encode(p, 1, &b, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/heap.pb.gz", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b.data, 1, b.len, f), b.len);
    fclose(f);
    snprintf(cmd, sizeof cmd, "PPROF_TMPDIR=%s go tool pprof -top -sample_index=inuse_space '%s' 2>&1",
             dir, path);
    FILE *o = popen(cmd, "r");
    assert_non_null(o);
    char line[1024];
    int saw = 0;
    while (fgets(line, sizeof line, o))
        if (strstr(line, "1280kB") && strstr(line, "main.allocBig"))
            saw = 1;
    assert_int_equal(pclose(o), 0);
    assert_true(saw);
    remove(path);
    rmdir(dir);
    lh_buf_free(&b);
    lh_profile_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(heap_proto),
        cmocka_unit_test(goroutine_proto),
        cmocka_unit_test(proto_unpacked_any_order),
        cmocka_unit_test(proto_bad_references),
        cmocka_unit_test(heap_text),
        cmocka_unit_test(heap_text_scaling),
        cmocka_unit_test(goroutine_text),
        cmocka_unit_test(goroutine_dump),
        cmocka_unit_test(goroutineleak_dump),
        cmocka_unit_test(goroutine_dump_rare_headers),
        cmocka_unit_test(current_runtimes),
        cmocka_unit_test(panic_traceback),
        cmocka_unit_test(text_agrees_with_pprof),
        cmocka_unit_test(bad_inputs),
        cmocka_unit_test(text_truncated_between_records),
        cmocka_unit_test(inflate_cap),
        cmocka_unit_test(encode_roundtrip),
        cmocka_unit_test(encode_built),
        cmocka_unit_test(proto_allocs_sparse_ids),
        cmocka_unit_test(pprof_reads_encoded),
    };
    return lh_test_exit(cmocka_run_group_tests(tests, NULL, NULL));
}
