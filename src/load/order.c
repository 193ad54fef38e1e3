/* The visit order of lh_load_each (see order.h and load.h). */
#include "load/order.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

typedef lh_load_edge edge;

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* A heap of (score, member) for order_scc, the best score first. */
typedef struct hkey {
    long score;
    size_t node;
} hkey;

typedef struct heap {
    hkey *v;
    size_t n, cap;
} heap;

static bool hless(hkey a, hkey b)
{
    return a.score != b.score ? a.score > b.score : a.node < b.node;
}

static void heap_push(heap *h, hkey k)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 64;
        h->v = realloc(h->v, sizeof *h->v * h->cap);
        if (!h->v)
            abort();
    }
    size_t i = h->n++;
    for (; i > 0 && hless(k, h->v[(i - 1) / 2]); i = (i - 1) / 2)
        h->v[i] = h->v[(i - 1) / 2];
    h->v[i] = k;
}

static hkey heap_pop(heap *h)
{
    hkey top = h->v[0], last = h->v[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && hless(h->v[c + 1], h->v[c]))
            c++;
        if (!hless(h->v[c], last))
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (h->n)
        h->v[i] = last;
    return top;
}

/* Orders one strongly connected component of the import graph. Its cycles
 * run through test files' imports (Go compiles a package's tests as a
 * package of their own, so p's tests may import q whose tests import p) or
 * are cycles Go forbids. Of the members whose Go and cgo imports in the
 * component are all out, the one goes next that the most members' tests
 * still wait for, less the test imports it still waits for itself (ties:
 * import path order) -- the greedy of Eades, Lin and Smyth for few
 * backward edges: `testing`, which nearly every test imports, goes as soon
 * as its own imports are out. With no member ready (a forbidden cycle) the
 * first member left goes. local[] is SIZE_MAX for every package and is
 * left so. */
static void order_scc(size_t *mem, size_t nmem, const size_t *off, const edge *e, size_t *local,
                      size_t *out, size_t *nout)
{
    qsort(mem, nmem, sizeof *mem, cmp_size);
    for (size_t i = 0; i < nmem; i++)
        local[mem[i]] = i;
    /* per member: Go imports and test imports not yet out, and members
     * not yet out whose tests import it */
    size_t *hard = calloc(nmem, sizeof *hard), *soft = calloc(nmem, sizeof *soft);
    size_t *wait = calloc(nmem, sizeof *wait), *roff = calloc(nmem + 2, sizeof *roff);
    bool *done = calloc(nmem, sizeof *done);
    if (!hard || !soft || !wait || !roff || !done)
        abort();
    for (size_t i = 0; i < nmem; i++)
        for (size_t k = off[mem[i]]; k < off[mem[i] + 1]; k++) {
            size_t t = local[e[k].to];
            if (t == SIZE_MAX)
                continue;
            if (e[k].hard) {
                hard[i]++;
            } else {
                soft[i]++;
                wait[t]++;
            }
            roff[t + 2]++;
        }
    for (size_t i = 2; i < nmem + 2; i++)
        roff[i] += roff[i - 1];
    edge *rev = malloc(sizeof *rev * (roff[nmem + 1] + 1));
    if (!rev)
        abort();
    for (size_t i = 0; i < nmem; i++)
        for (size_t k = off[mem[i]]; k < off[mem[i] + 1]; k++) {
            size_t t = local[e[k].to];
            if (t != SIZE_MAX)
                rev[roff[t + 1]++] = (edge){i, e[k].hard};
        }
#define SCORE(i) ((long)wait[i] - (long)soft[i])
    heap h = {NULL, 0, 0};
    for (size_t i = 0; i < nmem; i++)
        if (hard[i] == 0)
            heap_push(&h, (hkey){SCORE(i), i});
    size_t first = 0;
    for (size_t left = nmem; left > 0;) {
        size_t v;
        if (h.n > 0) {
            hkey k = heap_pop(&h);
            v = k.node;
            /* Scores change after a push; the entry with the current one
             * is the valid one. */
            if (done[v] || k.score != SCORE(v))
                continue;
        } else {
            while (done[first])
                first++;
            v = first;
        }
        done[v] = true;
        left--;
        out[(*nout)++] = mem[v];
        /* its importers wait for one import less ... */
        for (size_t r = roff[v]; r < roff[v + 1]; r++) {
            size_t u = rev[r].to;
            if (done[u])
                continue;
            if (rev[r].hard ? --hard[u] == 0 : (--soft[u], hard[u] == 0))
                heap_push(&h, (hkey){SCORE(u), u});
        }
        /* ... and the test imports it leaves behind have one waiter less */
        for (size_t k = off[mem[v]]; k < off[mem[v] + 1]; k++) {
            size_t t = local[e[k].to];
            if (t == SIZE_MAX || e[k].hard || done[t])
                continue;
            wait[t]--;
            if (hard[t] == 0)
                heap_push(&h, (hkey){SCORE(t), t});
        }
    }
#undef SCORE
    for (size_t i = 0; i < nmem; i++)
        local[mem[i]] = SIZE_MAX;
    free(h.v);
    free(rev);
    free(hard);
    free(soft);
    free(wait);
    free(roff);
    free(done);
}

/* The visit order: Tarjan's strongly connected components of the import
 * graph come out imports first; a component of one package is that
 * package, a larger one (a cycle) is ordered by order_scc. Roots and
 * edges are taken in index order, so the result is a function of the
 * graph alone. Iterative: a chain of thousands of packages must not
 * exhaust the caller's stack. */
size_t *lh_load_order(size_t n, const size_t *off, const lh_load_edge *e)
{
    size_t *index = malloc(sizeof *index * (n + 1)), *low = malloc(sizeof *low * (n + 1));
    size_t *it = malloc(sizeof *it * (n + 1)), *call = malloc(sizeof *call * (n + 1));
    size_t *scc = malloc(sizeof *scc * (n + 1)), *local = malloc(sizeof *local * (n + 1));
    size_t *out = malloc(sizeof *out * (n + 1));
    uint8_t *on = calloc(n + 1, 1);
    if (!index || !low || !it || !call || !scc || !local || !out || !on)
        abort();
    /* local: order_scc's map from package to member */
    for (size_t i = 0; i < n; i++)
        index[i] = local[i] = SIZE_MAX;
    size_t counter = 0, nout = 0, sp = 0;
    for (size_t root = 0; root < n; root++) {
        if (index[root] != SIZE_MAX)
            continue;
        size_t cp = 0;
        call[cp++] = root;
        index[root] = low[root] = counter++;
        it[root] = off[root];
        scc[sp++] = root;
        on[root] = 1;
        while (cp > 0) {
            size_t v = call[cp - 1];
            if (it[v] < off[v + 1]) {
                size_t w = e[it[v]++].to;
                if (index[w] == SIZE_MAX) {
                    index[w] = low[w] = counter++;
                    it[w] = off[w];
                    scc[sp++] = w;
                    on[w] = 1;
                    call[cp++] = w;
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            cp--;
            if (cp > 0 && low[v] < low[call[cp - 1]])
                low[call[cp - 1]] = low[v];
            if (low[v] != index[v])
                continue;
            size_t k = sp;
            while (scc[--k] != v)
                ;
            for (size_t m = k; m < sp; m++)
                on[scc[m]] = 0;
            if (sp - k == 1)
                out[nout++] = v;
            else
                order_scc(scc + k, sp - k, off, e, local, out, &nout);
            sp = k;
        }
    }
    free(index);
    free(low);
    free(it);
    free(call);
    free(scc);
    free(local);
    free(on);
    return out;
}
