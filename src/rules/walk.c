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
 * context, with its other shared facts, in one arena of their own: each
 * grows in place there, and the arena's blocks are the ones the last
 * package's arrays gave back. */
#include <stdlib.h>

#include "rules/rule.h"

_Static_assert(LH_NODE_KIND_COUNT <= 64, "kind sets are 64-bit masks");

typedef struct flat_file {
    lh_ast_flat *v;         /* NULL until built, and for a tree too deep */
    uint32_t n, max_depth;
    bool built;
} flat_file;

struct lh_rule_trees {
    flat_file *files;       /* one per lh_rule_ctx.files entry */
    lh_arena arena;         /* the arrays, and nothing else */
};

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
        lh_arena_init(&c->trees->arena);
    }
    flat_file *ff = &c->trees->files[i];
    if (!ff->built) {
        ff->built = true;
        ff->n = lh_ast_flatten(root, &c->trees->arena, &ff->v, &ff->max_depth);
    }
    if (!ff->v) {
        filter_ctx f = {kinds, visit, ctx};
        lh_ast_walk_anc(root, filter, &f);
        return;
    }
    /* Visitors may walk again (the same file included) before they
     * return, so each walk has its own ancestor stack, in this frame
     * when the file is not deep. */
    lh_node *local[256];
    lh_node **anc = local;
    if (ff->max_depth >= sizeof local / sizeof *local) {
        anc = malloc(((size_t)ff->max_depth + 1) * sizeof *anc);
        if (!anc)
            abort();
    }
    const lh_ast_flat *v = ff->v;
    for (uint32_t k = 0, n = ff->n; k < n;) {
        uint32_t d = v[k].depth;
        anc[d] = v[k].n;
        if ((kinds >> v[k].kind & 1) && !visit(v[k].n, anc, d, ctx))
            k = v[k].next;
        else
            k++;
    }
    if (anc != local)
        free(anc);
}

void lh_rule_walk_package(lh_rule_ctx *c, uint64_t kinds, lh_rule_visit_fn visit, void *ctx)
{
    for (size_t i = 0; i < c->nfiles; i++)
        lh_rule_walk_file(c, i, kinds, visit, ctx);
}

/* The answer "no callee" in c->callees (a stored NULL reads as absent). */
static lh_obj no_callee;

lh_obj *lh_rule_callee(lh_rule_ctx *c, const lh_call_expr *call)
{
    lh_obj *o = lh_ptrmap_get(&c->callees, call);
    if (!o) {
        o = lh_sema_callee(c->sema, call);
        lh_ptrmap_put(&c->callees, call, o ? o : &no_callee);
    }
    return o == &no_callee ? NULL : o;
}

void lh_rule_trees_free(struct lh_rule_trees *t, size_t nfiles)
{
    (void)nfiles;
    if (!t)
        return;
    lh_arena_free(&t->arena);
    free(t->files);
    free(t);
}
