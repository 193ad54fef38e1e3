/* libFuzzer harness for the profile loader: any bytes go through format
 * detection (gzip, profile.proto, heap text, goroutine debug=1/debug=2) and
 * must give a profile or an error, never a crash. What decodes is checked
 * against the invariants profile.h promises the analyses, then encoded and
 * decoded again: the encoder must write whatever any decoder produced, and
 * the decoder must read back what the encoder wrote. */
#include <stdint.h>
#include <string.h>

#include "profile/profile.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small enough that a decompression bomb is refused quickly, big enough
 * for every real profile in the corpus. */
#define FUZZ_MAX_INFLATED ((size_t)16 << 20)

static volatile size_t sink;

static void touch(const char *s)
{
    if (!s)
        __builtin_trap();
    sink += strlen(s);
}

static void check(const lh_profile *p)
{
    touch(p->name);
    touch(p->drop_frames);
    touch(p->keep_frames);
    touch(p->period_type.type);
    touch(p->period_type.unit);
    for (size_t i = 0; i < p->nsample_types; i++) {
        touch(p->sample_types[i].type);
        touch(p->sample_types[i].unit);
    }
    if (p->default_sample_type < -1 || (p->default_sample_type >= 0 &&
                                        (size_t)p->default_sample_type >= p->nsample_types))
        __builtin_trap();
    for (size_t i = 0; i < p->ncomments; i++)
        touch(p->comments[i]);
    for (size_t i = 0; i < p->nstats; i++)
        touch(p->stats[i].name);
    for (size_t i = 0; i < p->nsamples; i++) {
        const lh_profile_sample *s = &p->samples[i];
        for (size_t k = 0; k < p->nsample_types; k++)
            sink += (size_t)s->values[k];
        for (size_t k = 0; k < s->nlabels; k++) {
            touch(s->labels[k].key);
            if (s->labels[k].str)
                touch(s->labels[k].str);
            else
                touch(s->labels[k].num_unit);
        }
        if (s->g) {
            touch(s->g->state);
            touch(s->g->created_by);
            touch(s->g->created_file);
        }
        size_t depth = lh_profile_sample_depth(s);
        for (size_t k = 0; k < depth; k++) {
            lh_profile_frame fr = lh_profile_sample_frame(s, k);
            touch(fr.function);
            touch(fr.file);
        }
    }
    for (size_t i = 0; i < p->nlocations; i++) {
        const lh_profile_location *loc = &p->locations[i];
        if (loc->mapping)
            touch(loc->mapping->file);
        for (size_t k = 0; k < loc->nlines; k++)
            touch(loc->lines[k].function->name);
    }
    for (size_t i = 0; i < p->nfunctions; i++) {
        touch(p->functions[i].name);
        touch(p->functions[i].system_name);
        touch(p->functions[i].filename);
    }
    for (size_t i = 0; i < p->nmappings; i++) {
        touch(p->mappings[i].file);
        touch(p->mappings[i].build_id);
    }
    sink += (size_t)lh_profile_default_index(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lh_profile_opts opts = {FUZZ_MAX_INFLATED};
    lh_profile *p;
    char err[512];
    if (lh_profile_parse("fuzz", data, size, &opts, &p, err, sizeof err) != 0) {
        /* The error contract: one line naming the input. */
        if (strncmp(err, "fuzz", 4) != 0 || strchr(err, '\n'))
            __builtin_trap();
        return 0;
    }
    check(p);

    lh_buf enc = LH_BUF_INIT;
    if (lh_profile_encode(p, 0, &enc, err, sizeof err) == 0) {
        lh_profile *q;
        if (lh_profile_parse("fuzz-reencoded", (const unsigned char *)enc.data, enc.len, &opts,
                             &q, err, sizeof err) != 0)
            __builtin_trap();
        check(q);
        if (q->nsamples != p->nsamples || q->nsample_types != p->nsample_types)
            __builtin_trap();
        lh_profile_free(q);
    }
    lh_buf_free(&enc);
    lh_profile_free(p);
    return 0;
}
