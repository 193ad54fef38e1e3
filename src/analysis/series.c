/* series: the order of a series of snapshots of one process.
 *
 * A profile in protobuf form records when it was taken; trust that. A text
 * dump records nothing, and a file's modification time is only when it was
 * last written: `cp` in another order, a checkout, or an editor rewrites
 * it, and a series ordered by it silently runs backwards (a climbing count
 * then reads as a shrinking one). So text snapshots are taken in the order
 * the user gave them, and the file times only serve to space them out when
 * they agree with that order, with a note when they do not. The one
 * reordering made on the user's behalf is the shell's: a glob sorts
 * heap.10 before heap.2, so names that differ only in a number are taken in
 * the order of that number, again with a note. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The number in name between the common prefix and suffix: [*s, *e). */
typedef struct numbered {
    const char *s, *e;
    size_t index;
} numbered;

/* Compares two runs of digits by value without converting them (a run may
 * be longer than any integer type): leading zeros dropped, then the longer
 * run is the bigger number, then digit by digit. */
static int cmp_digits(const char *a, const char *ae, const char *b, const char *be)
{
    while (a < ae - 1 && *a == '0')
        a++;
    while (b < be - 1 && *b == '0')
        b++;
    if (ae - a != be - b)
        return ae - a < be - b ? -1 : 1;
    int c = memcmp(a, b, (size_t)(ae - a));
    return c < 0 ? -1 : c > 0;
}

static int cmp_numbered(const void *pa, const void *pb)
{
    const numbered *a = pa, *b = pb;
    int c = cmp_digits(a->s, a->e, b->s, b->e);
    if (c)
        return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* When every name is the same text around one run of digits that differs
 * (heap.2.pb.gz, heap.10.pb.gz), fills num[] and returns 1. */
static int names_differ_in_a_number(const lh_snapshot_info *in, size_t n, numbered *num)
{
    if (n < 2)
        return 0;
    size_t pre = strlen(in[0].name), suf = pre, minlen = pre;
    for (size_t i = 1; i < n; i++) {
        const char *a = in[0].name, *b = in[i].name;
        size_t la = strlen(a), lb = strlen(b), k = 0;
        while (k < pre && k < lb && a[k] == b[k])
            k++;
        pre = k;
        k = 0;
        while (k < suf && k < la && k < lb && a[la - 1 - k] == b[lb - 1 - k])
            k++;
        suf = k;
        if (lb < minlen)
            minlen = lb;
    }
    /* The number starts after the prefix's last non-digit and ends before
     * the suffix's first non-digit: "heap.1" and "heap.10" share "heap.1". */
    const char *n0 = in[0].name;
    while (pre > 0 && is_digit(n0[pre - 1]))
        pre--;
    size_t l0 = strlen(n0);
    while (suf > 0 && is_digit(n0[l0 - suf]))
        suf--;
    if (pre + suf >= minlen)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = in[i].name;
        size_t l = strlen(s);
        num[i].s = s + pre;
        num[i].e = s + l - suf;
        num[i].index = i;
        if (num[i].e <= num[i].s)
            return 0;
        for (const char *q = num[i].s; q < num[i].e; q++)
            if (!is_digit(*q))
                return 0;
    }
    return 1;
}

typedef struct timed {
    int64_t time;
    size_t index;
} timed;

static int cmp_timed(const void *pa, const void *pb)
{
    const timed *a = pa, *b = pb;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

void lh_series_order(const lh_snapshot_info *in, size_t n, lh_arena *a, lh_series *out)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    out->order = LH_NEWN(a, size_t, n ? n : 1);
    out->times = LH_NEWN(a, int64_t, n ? n : 1);
    out->note_order = out->note_times = "";
    if (n == 0)
        return;

    size_t own = 0;
    for (size_t i = 0; i < n; i++)
        own += in[i].own_time != 0;
    if (own == n) {
        /* Every snapshot says when it was taken. */
        timed *t = LH_NEWN(a, timed, n);
        for (size_t i = 0; i < n; i++)
            t[i] = (timed){in[i].own_time, i};
        qsort(t, n, sizeof *t, cmp_timed);
        out->spaced = 1;
        for (size_t k = 0; k < n; k++) {
            out->order[k] = t[k].index;
            out->times[k] = t[k].time;
            if (k && t[k].time == t[k - 1].time)
                out->spaced = 0;
        }
        return;
    }

    for (size_t i = 0; i < n; i++)
        out->order[i] = i;
    numbered *num = LH_NEWN(a, numbered, n);
    if (names_differ_in_a_number(in, n, num)) {
        qsort(num, n, sizeof *num, cmp_numbered);
        size_t moved = n;
        for (size_t k = 0; k < n; k++) {
            out->order[k] = num[k].index;
            if (moved == n && num[k].index != k)
                moved = k;
        }
        if (moved < n) {
            /* The first position that changed: the snapshot now there comes
             * before the one given there (positions above are unchanged, so
             * that one moved further down). */
            char buf[1024];
            snprintf(buf, sizeof buf,
                     "taking the snapshots in the order of the number in their names (%s before "
                     "%s), not in the order given",
                     in[out->order[moved]].name, in[moved].name);
            out->note_order = lh_arena_strdup(a, buf);
        }
    }

    /* Each snapshot's time: its own, else its file's. They space the series
     * out only when all are known and increase along the order taken. */
    int spaced = 1;
    size_t older = 0;   /* the first that is older than the one before it */
    for (size_t k = 0; k < n; k++) {
        const lh_snapshot_info *s = &in[out->order[k]];
        int64_t t = s->own_time ? s->own_time : s->file_time;
        out->times[k] = t;
        if (!t || (k && t <= out->times[k - 1]))
            spaced = 0;
        if (k && t && out->times[k - 1] && t < out->times[k - 1] && !older)
            older = k;
    }
    out->spaced = spaced;
    if (older) {
        char buf[1024];
        snprintf(buf, sizeof buf,
                 "%s is older than %s, which comes before it: the snapshots stay in the order %s, "
                 "and their times are not used",
                 in[out->order[older]].name, in[out->order[older - 1]].name,
                 out->note_order[0] ? "of the numbers in their names" : "given");
        out->note_times = lh_arena_strdup(a, buf);
    }
    /* Unknown or untrusted: only the snapshots' own times stay. */
    if (!spaced)
        for (size_t k = 0; k < n; k++)
            out->times[k] = in[out->order[k]].own_time;
}
