/* model -> profile.proto (and gzip), for `diff -o delta.pb.gz` and
 * anything else that hands a profile back to `go tool pprof`.
 *
 * The model holds pointers, the format ids: walking the samples assigns
 * ids in first-use order, so a built profile may share locations and
 * functions with the profiles it was computed from, and nothing unused is
 * written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "profile/internal.h"
#include "profile/profile.pb-c.h"

typedef Perftools__Profiles__Profile PbProfile;
typedef Perftools__Profiles__Sample PbSample;
typedef Perftools__Profiles__Location PbLocation;
typedef Perftools__Profiles__Line PbLine;
typedef Perftools__Profiles__Function PbFunction;
typedef Perftools__Profiles__Mapping PbMapping;
typedef Perftools__Profiles__Label PbLabel;
typedef Perftools__Profiles__ValueType PbValueType;

/* A growable array of pointers in the scratch arena. */
typedef struct {
    void **v;
    size_t n, cap;
} ptrvec;

typedef struct {
    lh_arena a;                 /* everything below dies with the encode */
    lh_pmap strs, ptrs;
    ptrvec strtab, locs, fns, maps;
} enc;

static void push(enc *e, ptrvec *v, void *x)
{
    if (v->n == v->cap) {
        size_t ncap = v->cap ? v->cap * 2 : 64;
        v->v = lh_arena_realloc(&e->a, v->v, v->cap * sizeof *v->v, ncap * sizeof *v->v);
        v->cap = ncap;
    }
    v->v[v->n++] = x;
}

static int64_t str(enc *e, const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    int added;
    size_t i = lh_pmap_intern(&e->strs, s, n, e->strtab.n, &added);
    if (added)
        push(e, &e->strtab, lh_arena_strndup(&e->a, s, n));
    return (int64_t)i;
}

/* Id of an object by its address, tagged so a function and a location at
 * the same address cannot collide; *added says it is new. */
static uint64_t id_of(enc *e, char tag, const void *obj, size_t next, int *added)
{
    char key[1 + sizeof obj];
    key[0] = tag;
    memcpy(key + 1, &obj, sizeof obj);
    return lh_pmap_intern(&e->ptrs, key, sizeof key, next, added) + 1;
}

static uint64_t mapping(enc *e, const lh_profile_mapping *m)
{
    int added;
    uint64_t id = id_of(e, 'm', m, e->maps.n, &added);
    if (!added)
        return id;
    PbMapping *pm = LH_NEW(&e->a, PbMapping);
    perftools__profiles__mapping__init(pm);
    pm->id = id;
    pm->memory_start = m->start;
    pm->memory_limit = m->limit;
    pm->file_offset = m->offset;
    pm->filename = str(e, m->file);
    pm->build_id = str(e, m->build_id);
    pm->has_functions = m->has_functions;
    pm->has_filenames = m->has_filenames;
    pm->has_line_numbers = m->has_line_numbers;
    pm->has_inline_frames = m->has_inline_frames;
    push(e, &e->maps, pm);
    return id;
}

static uint64_t function(enc *e, const lh_profile_function *f)
{
    int added;
    uint64_t id = id_of(e, 'f', f, e->fns.n, &added);
    if (!added)
        return id;
    PbFunction *pf = LH_NEW(&e->a, PbFunction);
    perftools__profiles__function__init(pf);
    pf->id = id;
    pf->name = str(e, f->name);
    pf->system_name = str(e, f->system_name);
    pf->filename = str(e, f->filename);
    pf->start_line = f->start_line;
    push(e, &e->fns, pf);
    return id;
}

static uint64_t location(enc *e, const lh_profile_location *l)
{
    int added;
    uint64_t id = id_of(e, 'l', l, e->locs.n, &added);
    if (!added)
        return id;
    PbLocation *pl = LH_NEW(&e->a, PbLocation);
    perftools__profiles__location__init(pl);
    push(e, &e->locs, pl);      /* before recursing: keeps ids in order */
    pl->id = id;
    pl->address = l->address;
    pl->is_folded = l->is_folded;
    if (l->mapping)
        pl->mapping_id = mapping(e, l->mapping);
    pl->n_line = l->nlines;
    pl->line = LH_NEWN(&e->a, PbLine *, l->nlines);
    for (size_t i = 0; i < l->nlines; i++) {
        PbLine *ln = LH_NEW(&e->a, PbLine);
        perftools__profiles__line__init(ln);
        ln->function_id = function(e, l->lines[i].function);
        ln->line = l->lines[i].line;
        ln->column = l->lines[i].column;
        pl->line[i] = ln;
    }
    return id;
}

static PbValueType *value_type(enc *e, const lh_profile_value_type *v)
{
    PbValueType *pv = LH_NEW(&e->a, PbValueType);
    perftools__profiles__value_type__init(pv);
    pv->type = str(e, v->type);
    pv->unit = str(e, v->unit);
    return pv;
}

static int gzip_append(const uint8_t *data, size_t len, lh_buf *out, char *err, size_t errlen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
        snprintf(err, errlen, "cannot initialise zlib");
        return -1;
    }
    size_t left = len;
    z.next_in = (unsigned char *)data;
    int rc;
    do {
        if (z.avail_in == 0 && left > 0) {
            uInt chunk = left > (1u << 30) ? (1u << 30) : (uInt)left;
            z.avail_in = chunk;
            left -= chunk;
        }
        lh_buf_reserve(out, 65536);
        z.next_out = (unsigned char *)out->data + out->len;
        z.avail_out = 65536;
        rc = deflate(&z, left == 0 ? Z_FINISH : Z_NO_FLUSH);
        out->len += 65536 - z.avail_out;
    } while (rc == Z_OK || rc == Z_BUF_ERROR);
    deflateEnd(&z);
    out->data[out->len] = '\0';
    if (rc != Z_STREAM_END) {
        snprintf(err, errlen, "gzip compression failed");
        return -1;
    }
    return 0;
}

int lh_profile_encode(const lh_profile *p, int gzip, lh_buf *out, char *err, size_t errlen)
{
    enc e;
    memset(&e, 0, sizeof e);
    lh_arena_init(&e.a);
    str(&e, "");

    PbProfile pb;
    perftools__profiles__profile__init(&pb);
    pb.n_sample_type = p->nsample_types;
    pb.sample_type = LH_NEWN(&e.a, PbValueType *, p->nsample_types);
    for (size_t i = 0; i < p->nsample_types; i++)
        pb.sample_type[i] = value_type(&e, &p->sample_types[i]);

    pb.n_sample = p->nsamples;
    pb.sample = LH_NEWN(&e.a, PbSample *, p->nsamples);
    for (size_t i = 0; i < p->nsamples; i++) {
        const lh_profile_sample *s = &p->samples[i];
        PbSample *ps = LH_NEW(&e.a, PbSample);
        perftools__profiles__sample__init(ps);
        ps->n_location_id = s->nlocs;
        ps->location_id = LH_NEWN(&e.a, uint64_t, s->nlocs);
        for (size_t j = 0; j < s->nlocs; j++)
            ps->location_id[j] = location(&e, s->locs[j]);
        ps->n_value = p->nsample_types;
        ps->value = LH_NEWN(&e.a, int64_t, p->nsample_types);
        if (p->nsample_types)
            memcpy(ps->value, s->values, p->nsample_types * sizeof *ps->value);
        ps->n_label = s->nlabels;
        ps->label = LH_NEWN(&e.a, PbLabel *, s->nlabels);
        for (size_t j = 0; j < s->nlabels; j++) {
            const lh_profile_label *l = &s->labels[j];
            PbLabel *pl = LH_NEW(&e.a, PbLabel);
            perftools__profiles__label__init(pl);
            pl->key = str(&e, l->key);
            if (l->str) {
                pl->str = str(&e, l->str);
            } else {
                pl->num = l->num;
                pl->num_unit = str(&e, l->num_unit);
            }
            ps->label[j] = pl;
        }
        pb.sample[i] = ps;
    }
    pb.n_location = e.locs.n;
    pb.location = (PbLocation **)e.locs.v;
    pb.n_function = e.fns.n;
    pb.function = (PbFunction **)e.fns.v;
    pb.n_mapping = e.maps.n;
    pb.mapping = (PbMapping **)e.maps.v;

    pb.drop_frames = str(&e, p->drop_frames);
    pb.keep_frames = str(&e, p->keep_frames);
    pb.time_nanos = p->time_nanos;
    pb.duration_nanos = p->duration_nanos;
    if (p->period_type.type && (p->period_type.type[0] || (p->period_type.unit && p->period_type.unit[0])))
        pb.period_type = value_type(&e, &p->period_type);
    pb.period = p->period;
    pb.n_comment = p->ncomments;
    pb.comment = LH_NEWN(&e.a, int64_t, p->ncomments);
    for (size_t i = 0; i < p->ncomments; i++)
        pb.comment[i] = str(&e, p->comments[i]);
    if (p->default_sample_type >= 0 && (size_t)p->default_sample_type < p->nsample_types)
        pb.default_sample_type = str(&e, p->sample_types[p->default_sample_type].type);

    /* last, once every string has been interned */
    pb.n_string_table = e.strtab.n;
    pb.string_table = (char **)e.strtab.v;

    size_t n = perftools__profiles__profile__get_packed_size(&pb);
    uint8_t *bytes = malloc(n ? n : 1);
    int rc = 0;
    if (!bytes) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    } else {
        perftools__profiles__profile__pack(&pb, bytes);
        if (gzip)
            rc = gzip_append(bytes, n, out, err, errlen);
        else
            lh_buf_append(out, bytes, n);
    }
    free(bytes);
    lh_pmap_free(&e.strs);
    lh_pmap_free(&e.ptrs);
    lh_arena_free(&e.a);
    return rc;
}
