#include <string.h>

#include "analysis/analysis.h"
#include "util/satmath.h"

int lh_diff_stacks(const lh_profile *base, const lh_profile *cur, lh_stacks *delta,
                   char *err, size_t errlen)
{
    if (lh_stacks_init_profile(delta, cur, err, errlen) != 0)
        return -1;
    delta->merge = 1;
    /* A base with extra sample types is fine; one missing ours is not. */
    if (lh_stacks_add_profile(delta, cur, 1, err, errlen) != 0 ||
        lh_stacks_add_profile(delta, base, -1, err, errlen) != 0) {
        lh_stacks_free(delta);
        return -1;
    }
    return 0;
}

lh_profile *lh_diff_profile(const lh_profile *base, const lh_profile *cur)
{
    lh_profile *d = lh_profile_new();
    lh_arena *a = &d->arena;
    d->kind = cur->kind;
    d->name = lh_profile_strdup(d, cur->name);

    size_t nt = cur->nsample_types;
    lh_profile_value_type *types = LH_NEWN(a, lh_profile_value_type, nt ? nt : 1);
    for (size_t k = 0; k < nt; k++) {
        types[k].type = lh_profile_strdup(d, cur->sample_types[k].type);
        types[k].unit = lh_profile_strdup(d, cur->sample_types[k].unit);
    }
    d->sample_types = types;
    d->nsample_types = nt;

    /* Base's values reordered into cur's sample types; a type base lacks
     * counts as zero there (lh_diff_stacks already rejected that case for
     * the command, this keeps the function total). */
    int *map = LH_NEWN(a, int, nt ? nt : 1);
    for (size_t k = 0; k < nt; k++)
        map[k] = lh_profile_sample_type_index(base, cur->sample_types[k].type);

    size_t ns = cur->nsamples + base->nsamples;
    lh_profile_sample *smp = LH_NEWN(a, lh_profile_sample, ns ? ns : 1);
    size_t n = 0;
    for (size_t i = 0; i < cur->nsamples; i++) {
        const lh_profile_sample *s = &cur->samples[i];
        smp[n].locs = s->locs;
        smp[n].nlocs = s->nlocs;
        smp[n].values = s->values;
        smp[n].labels = s->labels;
        smp[n].nlabels = s->nlabels;
        n++;
    }
    for (size_t i = 0; i < base->nsamples; i++) {
        const lh_profile_sample *s = &base->samples[i];
        int64_t *v = LH_NEWN(a, int64_t, nt ? nt : 1);
        for (size_t k = 0; k < nt; k++)
            v[k] = map[k] >= 0 ? lh_sat_neg(s->values[map[k]]) : 0;
        smp[n].locs = s->locs;
        smp[n].nlocs = s->nlocs;
        smp[n].values = v;
        smp[n].labels = s->labels;
        smp[n].nlabels = s->nlabels;
        n++;
    }
    d->samples = smp;
    d->nsamples = n;

    d->time_nanos = cur->time_nanos;
    d->duration_nanos = cur->duration_nanos;
    d->period_type.type = lh_profile_strdup(d, cur->period_type.type);
    d->period_type.unit = lh_profile_strdup(d, cur->period_type.unit);
    d->period = cur->period;
    d->default_sample_type = cur->default_sample_type;
    d->drop_frames = lh_profile_strdup(d, cur->drop_frames);
    d->keep_frames = lh_profile_strdup(d, cur->keep_frames);
    return d;
}
