/* The walk every rule shares over the files of its package.
 *
 * A rule asks for the package's nodes a dozen times or more (each rule
 * walks every file, several rules walk them more than once, and some walk
 * the whole package per field or per function they judge). Walking the
 * trees themselves means chasing child pointers through the kind table
 * for every node each time: a fifth of a scan of GOROOT/src. So the first
 * walk of a file flattens it into one array in walk order (depth first,
 * field order), each entry holding the node, its kind, its depth and
 * where its subtree ends; every walk after that is a loop over the array
 * that keeps the ancestors in a stack indexed by depth, and calls a
 * rule's visitor only for the kinds the rule asked for. Skipping a
 * subtree is a jump to its end. The arrays live as long as the rule
 * context, with its other shared facts. */
#include <stdlib.h>

#include "rules/rule.h"

_Static_assert(LH_NODE_KIND_COUNT <= 64, "kind sets are 64-bit masks");

/* Depths and kinds share 32 bits; a file nested deeper than this (a
 * left-leaning chain of millions of binary operators, which no parser
 * limit stops) is walked as a tree instead. */
enum { DEPTH_BITS = 24 };
#define DEPTH_MAX ((uint32_t)1 << DEPTH_BITS)

typedef struct flat_node {
    lh_node *n;
    uint32_t next;          /* the entry after n's subtree */
    uint32_t depth_kind;    /* depth << 8 | kind */
} flat_node;

typedef struct flat_file {
    flat_node *v;           /* NULL until built, or when not flattenable */
    uint32_t n;
    uint32_t max_depth;
    bool built, deep;
} flat_file;

struct lh_rule_trees {
    flat_file *files;       /* one per lh_rule_ctx.files entry */
};

typedef struct flat_build {
    flat_file *ff;
    size_t cap;
} flat_build;

static bool append(lh_node *n, lh_node *const *anc, size_t nanc, void *vb)
{
    (void)anc;
    flat_build *b = vb;
    flat_file *ff = b->ff;
    if (ff->deep)
        return false;
    if (nanc >= DEPTH_MAX || ff->n == UINT32_MAX) {
        ff->deep = true;
        return false;
    }
    if (ff->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 1024;
        ff->v = realloc(ff->v, b->cap * sizeof *ff->v);
        if (!ff->v)
            abort();
    }
    ff->v[ff->n++] = (flat_node){n, 0, (uint32_t)nanc << 8 | LH_KIND(n)};
    if (nanc > ff->max_depth)
        ff->max_depth = (uint32_t)nanc;
    return true;
}

/* Flattens the tree of root into ff, then sets each entry's next: the
 * first later entry no deeper than it (entries still open on a stack
 * close when one that deep arrives). */
static void build(flat_file *ff, lh_node *root)
{
    ff->built = true;
    flat_build b = {ff, 0};
    lh_ast_walk_anc(root, append, &b);
    if (ff->deep) {
        free(ff->v);
        ff->v = NULL;
        ff->n = 0;
        return;
    }
    uint32_t *open = malloc(((size_t)ff->max_depth + 1) * sizeof *open);
    if (!open)
        abort();
    uint32_t top = 0;
    for (uint32_t i = 0; i < ff->n; i++) {
        uint32_t d = ff->v[i].depth_kind >> 8;
        while (top > 0 && (ff->v[open[top - 1]].depth_kind >> 8) >= d)
            ff->v[open[--top]].next = i;
        open[top++] = i;
    }
    while (top > 0)
        ff->v[open[--top]].next = ff->n;
    free(open);
}

typedef struct filter_ctx {
    uint64_t kinds;
    lh_rule_visit_fn visit;
    void *ctx;
} filter_ctx;

static bool filter(lh_node *n, lh_node *const *anc, size_t nanc, void *vf)
{
    filter_ctx *f = vf;
    return !(f->kinds >> LH_KIND(n) & 1) || f->visit(n, anc, nanc, f->ctx);
}

void lh_rule_walk_file(lh_rule_ctx *c, size_t i, uint64_t kinds, lh_rule_visit_fn visit,
                       void *ctx)
{
    lh_node *root = (lh_node *)&c->files[i]->ast->n;
    if (!c->trees) {
        c->trees = calloc(1, sizeof *c->trees);
        if (!c->trees)
            abort();
        c->trees->files = calloc(c->nfiles ? c->nfiles : 1, sizeof *c->trees->files);
        if (!c->trees->files)
            abort();
    }
    flat_file *ff = &c->trees->files[i];
    if (!ff->built)
        build(ff, root);
    if (ff->deep) {
        filter_ctx f = {kinds, visit, ctx};
        lh_ast_walk_anc(root, filter, &f);
        return;
    }
    /* Visitors may walk again (the same file included) before they
     * return, so each walk has its own ancestor stack. */
    lh_node **anc = malloc(((size_t)ff->max_depth + 1) * sizeof *anc);
    if (!anc)
        abort();
    const flat_node *v = ff->v;
    for (uint32_t k = 0, n = ff->n; k < n;) {
        uint32_t dk = v[k].depth_kind, d = dk >> 8;
        anc[d] = v[k].n;
        if ((kinds >> (dk & 0xff) & 1) && !visit(v[k].n, anc, d, ctx))
            k = v[k].next;
        else
            k++;
    }
    free(anc);
}

void lh_rule_walk_package(lh_rule_ctx *c, uint64_t kinds, lh_rule_visit_fn visit, void *ctx)
{
    for (size_t i = 0; i < c->nfiles; i++)
        lh_rule_walk_file(c, i, kinds, visit, ctx);
}

void lh_rule_trees_free(struct lh_rule_trees *t, size_t nfiles)
{
    if (!t)
        return;
    for (size_t i = 0; i < nfiles; i++)
        free(t->files[i].v);
    free(t->files);
    free(t);
}
