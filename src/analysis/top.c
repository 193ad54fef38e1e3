#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "util/satmath.h"

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "leakhound: out of memory\n");
        abort();
    }
    return p;
}

/* pprof's order: biggest flat first; among equals, biggest cum; then by
 * name so output is stable across runs. Magnitudes are not used: in a diff,
 * growth must come first and shrinkage last. */
static int cmp_entry(const void *pa, const void *pb)
{
    const lh_top_entry *a = pa, *b = pb;
    if (a->flat != b->flat)
        return a->flat > b->flat ? -1 : 1;
    if (a->cum != b->cum)
        return a->cum > b->cum ? -1 : 1;
    int c = strcmp(a->function, b->function);
    if (c)
        return c;
    c = strcmp(a->file, b->file);
    if (c)
        return c;
    return a->line < b->line ? -1 : a->line > b->line;
}

void lh_top(const lh_stacks *s, int type, lh_granularity by, lh_arena *a, lh_top_result *out)
{
    memset(out, 0, sizeof *out);
    out->sample_type = type >= 0 && (size_t)type < s->ntypes ? s->type_names[type] : "";
    out->unit = type >= 0 && (size_t)type < s->ntypes ? s->type_units[type] : "";
    if (type < 0 || (size_t)type >= s->ntypes)
        return;

    /* Per frame and per function: flat, cum, and the last sample that
     * counted its cum - the stamp is what counts a recursive frame once
     * per sample without a per-sample set. */
    size_t nf = s->nframes, nfn = s->nfuncs;
    int64_t *flat_fr = xcalloc(nf, sizeof *flat_fr), *cum_fr = xcalloc(nf, sizeof *cum_fr);
    int64_t *flat_fn = xcalloc(nfn, sizeof *flat_fn), *cum_fn = xcalloc(nfn, sizeof *cum_fn);
    size_t *seen_fr = xcalloc(nf, sizeof *seen_fr), *seen_fn = xcalloc(nfn, sizeof *seen_fn);

    for (size_t i = 0; i < s->nsamples; i++) {
        const lh_stack_sample *smp = &s->samples[i];
        int64_t v = smp->values[type];
        out->total = lh_sat_add(out->total, lh_sat_abs(v));
        out->net = lh_sat_add(out->net, v);
        if (v == 0 || smp->nframes == 0)
            continue;
        uint32_t leaf = lh_stacks_leaf(s, smp);
        uint32_t lf = smp->frames[leaf];
        flat_fr[lf] = lh_sat_add(flat_fr[lf], v);
        flat_fn[s->frames[lf].fn_id] = lh_sat_add(flat_fn[s->frames[lf].fn_id], v);
        size_t stamp = i + 1;
        for (uint32_t k = leaf; k < smp->nframes; k++) {
            uint32_t f = smp->frames[k];
            if (seen_fr[f] != stamp) {
                seen_fr[f] = stamp;
                cum_fr[f] = lh_sat_add(cum_fr[f], v);
            }
            uint32_t fn = s->frames[f].fn_id;
            if (seen_fn[fn] != stamp) {
                seen_fn[fn] = stamp;
                cum_fn[fn] = lh_sat_add(cum_fn[fn], v);
            }
        }
    }

    size_t n = 0;
    if (by == LH_BY_LINE) {
        out->entries = LH_NEWN(a, lh_top_entry, nf ? nf : 1);
        for (size_t f = 0; f < nf; f++) {
            if (flat_fr[f] == 0 && cum_fr[f] == 0)
                continue;
            lh_top_entry *e = &out->entries[n++];
            e->function = s->frames[f].function;
            e->file = s->frames[f].file;
            e->line = s->frames[f].line;
            e->flat = flat_fr[f];
            e->cum = cum_fr[f];
        }
    } else {
        /* The line shown for a function is its heaviest line. */
        uint32_t *best = malloc((nfn ? nfn : 1) * sizeof *best);
        if (!best)
            abort();
        memset(best, 0xff, (nfn ? nfn : 1) * sizeof *best);
        for (size_t f = 0; f < nf; f++) {
            uint32_t fn = s->frames[f].fn_id;
            uint32_t b = best[fn];
            if (b == UINT32_MAX || flat_fr[f] > flat_fr[b] ||
                (flat_fr[f] == flat_fr[b] && cum_fr[f] > cum_fr[b]))
                best[fn] = (uint32_t)f;
        }
        out->entries = LH_NEWN(a, lh_top_entry, nfn ? nfn : 1);
        for (size_t fn = 0; fn < nfn; fn++) {
            if (flat_fn[fn] == 0 && cum_fn[fn] == 0)
                continue;
            const lh_frame *fr = &s->frames[best[fn]];
            lh_top_entry *e = &out->entries[n++];
            e->function = fr->function;
            e->file = fr->file;
            e->line = fr->line;
            e->flat = flat_fn[fn];
            e->cum = cum_fn[fn];
        }
        free(best);
    }
    out->nentries = n;
    qsort(out->entries, n, sizeof *out->entries, cmp_entry);
    free(flat_fr);
    free(cum_fr);
    free(flat_fn);
    free(cum_fn);
    free(seen_fr);
    free(seen_fn);
}
