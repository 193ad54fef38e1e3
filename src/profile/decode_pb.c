/* profile.proto -> model.
 *
 * protobuf-c does the wire format (tags, varints, lengths, packed or not,
 * any field order); this file turns ids and string indices into pointers
 * and refuses any reference that points nowhere, so analyses never check. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile/internal.h"
#include "profile/profile.pb-c.h"

typedef Perftools__Profiles__Profile PbProfile;

typedef struct {
    uint64_t id;
    size_t idx;
} idref;

typedef struct {
    lh_profile *p;
    const PbProfile *pb;
    const char **strs;          /* arena copies of the string table */
    size_t nstrs;
    char *err;
    size_t errlen;
} dec;

static int cmp_idref(const void *a, const void *b)
{
    uint64_t x = ((const idref *)a)->id, y = ((const idref *)b)->id;
    return x < y ? -1 : x > y;
}

/* Sorted id -> index table; rejects id 0 and duplicates. */
static idref *index_ids(dec *d, const char *what, size_t n,
                        uint64_t (*id_of)(const PbProfile *, size_t))
{
    idref *t = malloc((n ? n : 1) * sizeof *t);
    if (!t) {
        snprintf(d->err, d->errlen, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        t[i].id = id_of(d->pb, i);
        t[i].idx = i;
        if (t[i].id == 0) {
            snprintf(d->err, d->errlen, "%s %zu has id 0", what, i);
            free(t);
            return NULL;
        }
    }
    qsort(t, n, sizeof *t, cmp_idref);
    for (size_t i = 1; i < n; i++) {
        if (t[i].id == t[i - 1].id) {
            snprintf(d->err, d->errlen, "duplicate %s id %" PRIu64, what, t[i].id);
            free(t);
            return NULL;
        }
    }
    return t;
}

static int lookup_id(const idref *t, size_t n, uint64_t id, size_t *idx)
{
    /* t is sorted by id and ids are unique, so when the writer numbered its
     * entries 1..n, as Go does, entry id sits at id-1: one probe instead of a
     * binary search per stack frame of every sample. */
    if (id >= 1 && id <= n && t[id - 1].id == id) {
        *idx = t[id - 1].idx;
        return 0;
    }
    idref key = {id, 0};
    const idref *r = n ? bsearch(&key, t, n, sizeof *t, cmp_idref) : NULL;
    if (!r)
        return -1;
    *idx = r->idx;
    return 0;
}

static uint64_t mapping_id(const PbProfile *pb, size_t i) { return pb->mapping[i]->id; }
static uint64_t function_id(const PbProfile *pb, size_t i) { return pb->function[i]->id; }
static uint64_t location_id(const PbProfile *pb, size_t i) { return pb->location[i]->id; }

/* String index -> string, or NULL with err set. */
static const char *str_at(dec *d, int64_t i, const char *ctx)
{
    if (i < 0 || (uint64_t)i >= d->nstrs) {
        snprintf(d->err, d->errlen,
                 "string index %" PRId64 " out of range in %s (string table has %zu entries)",
                 i, ctx, d->nstrs);
        return NULL;
    }
    return d->strs[i];
}

static int copy_strings(dec *d)
{
    const PbProfile *pb = d->pb;
    if (pb->n_string_table == 0) {
        snprintf(d->err, d->errlen, "malformed profile: missing string table");
        return -1;
    }
    if (pb->string_table[0][0] != '\0') {
        snprintf(d->err, d->errlen,
                 "malformed profile: string table does not start with \"\"");
        return -1;
    }
    d->nstrs = pb->n_string_table;
    d->strs = LH_NEWN(&d->p->arena, const char *, d->nstrs);
    for (size_t i = 0; i < d->nstrs; i++)
        d->strs[i] = lh_arena_strdup(&d->p->arena, pb->string_table[i]);
    return 0;
}

static int decode_value_type(dec *d, const Perftools__Profiles__ValueType *v,
                             lh_profile_value_type *out, const char *ctx)
{
    if (!v) {
        out->type = out->unit = "";
        return 0;
    }
    if (!(out->type = str_at(d, v->type, ctx)) || !(out->unit = str_at(d, v->unit, ctx)))
        return -1;
    return 0;
}

static lh_profile_kind kind_of(const lh_profile *p)
{
    for (size_t i = 0; i < p->nsample_types; i++) {
        const char *t = p->sample_types[i].type;
        if (strcmp(t, "inuse_space") == 0 || strcmp(t, "alloc_space") == 0)
            return LH_PROFILE_HEAP;
    }
    if (p->nsample_types == 1) {
        if (strcmp(p->sample_types[0].type, "goroutine") == 0)
            return LH_PROFILE_GOROUTINE;
        if (strcmp(p->sample_types[0].type, "goroutineleak") == 0)
            return LH_PROFILE_GOROUTINELEAK;
    }
    return LH_PROFILE_OTHER;
}

static int decode_model(dec *d, idref *mids, idref *fids, idref *lids)
{
    const PbProfile *pb = d->pb;
    lh_profile *p = d->p;
    lh_arena *a = &p->arena;
    char ctx[64];

    lh_profile_value_type *st = LH_NEWN(a, lh_profile_value_type, pb->n_sample_type);
    for (size_t i = 0; i < pb->n_sample_type; i++) {
        snprintf(ctx, sizeof ctx, "sample type %zu", i);
        if (decode_value_type(d, pb->sample_type[i], &st[i], ctx) != 0)
            return -1;
    }
    p->sample_types = st;
    p->nsample_types = pb->n_sample_type;

    lh_profile_mapping *maps = LH_NEWN(a, lh_profile_mapping, pb->n_mapping);
    for (size_t i = 0; i < pb->n_mapping; i++) {
        const Perftools__Profiles__Mapping *m = pb->mapping[i];
        snprintf(ctx, sizeof ctx, "mapping %" PRIu64, m->id);
        maps[i].id = m->id;
        maps[i].start = m->memory_start;
        maps[i].limit = m->memory_limit;
        maps[i].offset = m->file_offset;
        if (!(maps[i].file = str_at(d, m->filename, ctx)) ||
            !(maps[i].build_id = str_at(d, m->build_id, ctx)))
            return -1;
        maps[i].has_functions = m->has_functions != 0;
        maps[i].has_filenames = m->has_filenames != 0;
        maps[i].has_line_numbers = m->has_line_numbers != 0;
        maps[i].has_inline_frames = m->has_inline_frames != 0;
    }
    p->mappings = maps;
    p->nmappings = pb->n_mapping;

    lh_profile_function *fns = LH_NEWN(a, lh_profile_function, pb->n_function);
    for (size_t i = 0; i < pb->n_function; i++) {
        const Perftools__Profiles__Function *f = pb->function[i];
        snprintf(ctx, sizeof ctx, "function %" PRIu64, f->id);
        fns[i].id = f->id;
        fns[i].start_line = f->start_line;
        if (!(fns[i].name = str_at(d, f->name, ctx)) ||
            !(fns[i].system_name = str_at(d, f->system_name, ctx)) ||
            !(fns[i].filename = str_at(d, f->filename, ctx)))
            return -1;
    }
    p->functions = fns;
    p->nfunctions = pb->n_function;

    lh_profile_location *locs = LH_NEWN(a, lh_profile_location, pb->n_location);
    for (size_t i = 0; i < pb->n_location; i++) {
        const Perftools__Profiles__Location *l = pb->location[i];
        size_t k;
        locs[i].id = l->id;
        locs[i].address = l->address;
        locs[i].is_folded = l->is_folded != 0;
        if (l->mapping_id != 0) {
            if (lookup_id(mids, pb->n_mapping, l->mapping_id, &k) != 0) {
                snprintf(d->err, d->errlen, "location %" PRIu64 " refers to unknown mapping %" PRIu64,
                         l->id, l->mapping_id);
                return -1;
            }
            locs[i].mapping = &maps[k];
        }
        lh_profile_line *lines = LH_NEWN(a, lh_profile_line, l->n_line);
        for (size_t j = 0; j < l->n_line; j++) {
            const Perftools__Profiles__Line *ln = l->line[j];
            if (lookup_id(fids, pb->n_function, ln->function_id, &k) != 0) {
                snprintf(d->err, d->errlen, "location %" PRIu64 " refers to unknown function %" PRIu64,
                         l->id, ln->function_id);
                return -1;
            }
            lines[j].function = &fns[k];
            lines[j].line = ln->line;
            lines[j].column = ln->column;
        }
        locs[i].lines = lines;
        locs[i].nlines = l->n_line;
    }
    p->locations = locs;
    p->nlocations = pb->n_location;

    lh_profile_sample *samples = LH_NEWN(a, lh_profile_sample, pb->n_sample);
    for (size_t i = 0; i < pb->n_sample; i++) {
        const Perftools__Profiles__Sample *s = pb->sample[i];
        if (s->n_value != pb->n_sample_type) {
            snprintf(d->err, d->errlen, "sample %zu has %zu values for %zu sample types",
                     i, s->n_value, pb->n_sample_type);
            return -1;
        }
        int64_t *vals = LH_NEWN(a, int64_t, s->n_value);
        if (s->n_value)
            memcpy(vals, s->value, s->n_value * sizeof *vals);
        const lh_profile_location **stack = LH_NEWN(a, const lh_profile_location *, s->n_location_id);
        for (size_t j = 0; j < s->n_location_id; j++) {
            size_t k;
            if (lookup_id(lids, pb->n_location, s->location_id[j], &k) != 0) {
                snprintf(d->err, d->errlen, "sample %zu refers to unknown location %" PRIu64,
                         i, s->location_id[j]);
                return -1;
            }
            stack[j] = &locs[k];
        }
        lh_profile_label *labels = LH_NEWN(a, lh_profile_label, s->n_label);
        snprintf(ctx, sizeof ctx, "a label of sample %zu", i);
        for (size_t j = 0; j < s->n_label; j++) {
            const Perftools__Profiles__Label *l = s->label[j];
            if (!(labels[j].key = str_at(d, l->key, ctx)) ||
                !(labels[j].num_unit = str_at(d, l->num_unit, ctx)))
                return -1;
            if (l->str != 0) {
                if (!(labels[j].str = str_at(d, l->str, ctx)))
                    return -1;
            } else {
                labels[j].num = l->num;
            }
        }
        samples[i].locs = stack;
        samples[i].nlocs = s->n_location_id;
        samples[i].values = vals;
        samples[i].labels = labels;
        samples[i].nlabels = s->n_label;
    }
    p->samples = samples;
    p->nsamples = pb->n_sample;

    if (!(p->drop_frames = str_at(d, pb->drop_frames, "drop_frames")) ||
        !(p->keep_frames = str_at(d, pb->keep_frames, "keep_frames")))
        return -1;
    const char **comments = LH_NEWN(a, const char *, pb->n_comment);
    for (size_t i = 0; i < pb->n_comment; i++)
        if (!(comments[i] = str_at(d, pb->comment[i], "comment")))
            return -1;
    p->comments = comments;
    p->ncomments = pb->n_comment;

    p->time_nanos = pb->time_nanos;
    p->duration_nanos = pb->duration_nanos;
    p->period = pb->period;
    if (decode_value_type(d, pb->period_type, &p->period_type, "period_type") != 0)
        return -1;
    const char *def = str_at(d, pb->default_sample_type, "default_sample_type");
    if (!def)
        return -1;
    p->default_sample_type = def[0] ? lh_profile_sample_type_index(p, def) : -1;
    p->kind = kind_of(p);
    return 0;
}

/* ---- pre-scan -------------------------------------------------------------
 *
 * Counts the messages protobuf-c would allocate, walking only the
 * length-delimited fields that are messages in our schema, so an input
 * made of millions of empty messages is refused before it costs gigabytes.
 * Malformed wire data stops the count; protobuf-c then reports it. */

enum { MSG_NONE, MSG_PROFILE, MSG_SAMPLE, MSG_LOCATION, MSG_LEAF };

/* The message type of field f inside a message of type t. */
static int submessage(int t, uint64_t f)
{
    switch (t) {
    case MSG_PROFILE:
        if (f == 2)
            return MSG_SAMPLE;
        if (f == 4)
            return MSG_LOCATION;
        if (f == 1 || f == 3 || f == 5 || f == 11)
            return MSG_LEAF;
        return MSG_NONE;
    case MSG_SAMPLE:
        return f == 3 ? MSG_LEAF : MSG_NONE;
    case MSG_LOCATION:
        return f == 4 ? MSG_LEAF : MSG_NONE;
    }
    return MSG_NONE;
}

static int varint(const unsigned char **s, const unsigned char *e, uint64_t *v)
{
    uint64_t x = 0;
    for (int shift = 0; shift < 64 && *s < e; shift += 7) {
        unsigned char c = *(*s)++;
        x |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *v = x;
            return 0;
        }
    }
    return -1;
}

static size_t count_messages(const unsigned char *s, const unsigned char *e, int type,
                             size_t limit)
{
    size_t n = 0;
    while (s < e && n <= limit) {
        uint64_t tag, v;
        if (varint(&s, e, &tag) != 0)
            break;
        switch (tag & 7) {
        case 0:
            if (varint(&s, e, &v) != 0)
                return n;
            break;
        case 1:
            if (e - s < 8)
                return n;
            s += 8;
            break;
        case 5:
            if (e - s < 4)
                return n;
            s += 4;
            break;
        case 2: {
            if (varint(&s, e, &v) != 0 || v > (uint64_t)(e - s))
                return n;
            int sub = submessage(type, tag >> 3);
            if (sub != MSG_NONE) {
                if (++n > limit)
                    return n;
                if (sub != MSG_LEAF)
                    n += count_messages(s, s + v, sub, limit - n);
            }
            s += v;
            break;
        }
        default:
            return n;
        }
    }
    return n;
}

int lh_profile_decode_pb(lh_profile *p, const unsigned char *data, size_t len,
                         size_t max_messages, char *err, size_t errlen)
{
    size_t nmsg = count_messages(data, data + len, MSG_PROFILE, max_messages);
    if (nmsg > max_messages) {
        snprintf(err, errlen,
                 "more than %zu protobuf messages: too many for the size limit "
                 "(a memory bomb, or raise the limit)", max_messages);
        return -1;
    }
    PbProfile *pb = perftools__profiles__profile__unpack(NULL, len, data);
    if (!pb) {
        snprintf(err, errlen, "not a pprof profile (malformed protobuf data)");
        return -1;
    }
    dec d = {p, pb, NULL, 0, err, errlen};
    idref *mids = NULL, *fids = NULL, *lids = NULL;
    int rc = -1;
    if (copy_strings(&d) != 0)
        goto out;
    if (!(mids = index_ids(&d, "mapping", pb->n_mapping, mapping_id)) ||
        !(fids = index_ids(&d, "function", pb->n_function, function_id)) ||
        !(lids = index_ids(&d, "location", pb->n_location, location_id)))
        goto out;
    rc = decode_model(&d, mids, fids, lids);
out:
    free(mids);
    free(fids);
    free(lids);
    perftools__profiles__profile__free_unpacked(pb, NULL);
    return rc;
}
