#include "go/diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lh_diag_init(lh_diag_list *d, lh_arena *arena)
{
    d->items = NULL;
    d->len = d->cap = 0;
    d->arena = arena;
}

void lh_diag_add(lh_diag_list *d, uint32_t off, uint32_t line, uint32_t col,
                 const char *fmt, ...)
{
    if (d->len == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        d->items = lh_arena_realloc(d->arena, d->items, d->cap * sizeof *d->items,
                                    cap * sizeof *d->items);
        d->cap = cap;
    }
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    char *msg = lh_arena_alloc_raw(d->arena, (size_t)n + 1);
    if ((size_t)n < sizeof small) {
        memcpy(msg, small, (size_t)n + 1);
    } else {
        va_start(ap, fmt);
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    d->items[d->len++] = (lh_diag){off, line, col, msg};
}

static int diag_cmp(const void *pa, const void *pb)
{
    const lh_diag *a = pa, *b = pb;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return strcmp(a->msg, b->msg);
}

/* qsort is not stable, but entries that compare equal are identical in
 * everything printed, so the order among them cannot show. */
void lh_diag_sort(lh_diag_list *d)
{
    if (d->len > 1)
        qsort(d->items, d->len, sizeof *d->items, diag_cmp);
}

void lh_diag_remove_multiples(lh_diag_list *d)
{
    lh_diag_sort(d);
    size_t n = 0;
    for (size_t i = 0; i < d->len; i++)
        if (n == 0 || d->items[n - 1].line != d->items[i].line)
            d->items[n++] = d->items[i];
    d->len = n;
}

void lh_diag_format(const lh_diag_list *d, const char *file, size_t max, lh_buf *out)
{
    size_t n = d->len;
    if (max && n > max)
        n = max;
    for (size_t i = 0; i < n; i++)
        lh_buf_printf(out, "%s:%u:%u: %s\n", file, (unsigned)d->items[i].line,
                      (unsigned)d->items[i].col, d->items[i].msg);
}
