/* Questions rules ask of a built CFG (cfg.h): path searches, and the
 * debug format tests compare. */
#include "sema/cfg.h"

#include <stdlib.h>
#include <string.h>

/* Small graphs (nearly all functions) search with stack scratch space. */
enum { SMALL = 256 };

typedef struct search_state {
    const lh_cfg *cfg;
    const lh_cfg_search *s;
    uint8_t *seen;
    uint32_t *queue;
    uint32_t head, tail;
    lh_cfg_hit hit;
} search_state;

static bool found(search_state *st, const lh_cfg_block *b, uint32_t idx, uint8_t how)
{
    st->hit = (lh_cfg_hit){b, idx, how};
    return true;
}

/* Follows the edge to succ: true when that alone is a hit. */
static bool enter(search_state *st, const lh_cfg_block *succ)
{
    const lh_cfg_search *s = st->s;
    if (succ == s->until)
        return found(st, succ, 0, LH_CFG_HIT_UNTIL);
    if (s->within && !lh_cfg_in_loop(succ, s->within)) {
        if (s->ends & LH_CFG_LEAVE)
            return found(st, succ, 0, LH_CFG_HIT_LEAVE);
        return false;   /* leaving ends the path */
    }
    if (!st->seen[succ->index]) {
        st->seen[succ->index] = 1;
        st->queue[st->tail++] = succ->index;
    }
    return false;
}

/* Visits nodes [lo, hi) of b and, when hi is the end and no node stopped
 * the path, follows b's successors. True on a hit. */
static bool walk_block(search_state *st, const lh_cfg_block *b, uint32_t lo, uint32_t hi)
{
    const lh_cfg_search *s = st->s;
    uint8_t take = 3;       /* bit 0: succs[0], bit 1: succs[1] */
    for (uint32_t i = lo; i < hi; i++) {
        if (!s->visit)
            break;
        switch (s->visit(b->nodes[i], s->ctx)) {
        case LH_CFG_FOUND:
            return found(st, b, i, LH_CFG_HIT_NODE);
        case LH_CFG_STOP_PATH:
            return false;
        case LH_CFG_ONLY_TRUE:
            if (b->cond && i == b->nnodes - 1)
                take = 1;
            break;
        case LH_CFG_ONLY_FALSE:
            if (b->cond && i == b->nnodes - 1)
                take = 2;
            break;
        default:
            break;
        }
    }
    if (hi < b->nnodes)
        return false;
    if (b->nsuccs == 0)
        return (b->term & s->ends) ? found(st, b, b->nnodes, LH_CFG_HIT_END) : false;
    for (uint32_t k = 0; k < b->nsuccs; k++) {
        if (k < 2 && b->cond && !(take & (1u << k)))
            continue;
        if (enter(st, b->succs[k]))
            return true;
    }
    return false;
}

bool lh_cfg_search_from(const lh_cfg *cfg, const lh_cfg_search *s, const lh_cfg_block *b,
                        uint32_t from, lh_cfg_hit *hit)
{
    uint8_t seen_small[SMALL];
    uint32_t queue_small[SMALL];
    search_state st = {cfg, s, seen_small, queue_small, 0, 0, {NULL, 0, 0}};
    void *heap = NULL;
    if (cfg->nblocks > SMALL) {
        heap = malloc((size_t)cfg->nblocks * (sizeof(uint32_t) + 1));
        if (!heap)
            abort();
        st.queue = heap;
        st.seen = (uint8_t *)(st.queue + cfg->nblocks);
    }
    memset(st.seen, 0, cfg->nblocks);
    if (from > b->nnodes)
        from = b->nnodes;
    /* The start block's tail now; its head only if a path comes back to
     * it (seen stays clear so that the edge enqueues it). */
    bool hit_any = walk_block(&st, b, from, b->nnodes);
    while (!hit_any && st.head < st.tail) {
        const lh_cfg_block *x = cfg->blocks[st.queue[st.head++]];
        /* Back at the start block: only the nodes before `from`; the
         * rest was walked first, successors included. */
        hit_any = walk_block(&st, x, 0, x == b ? from : x->nnodes);
    }
    free(heap);
    if (hit_any && hit)
        *hit = st.hit;
    return hit_any;
}

bool lh_cfg_can_return(const lh_cfg *cfg)
{
    for (uint32_t i = 0; i < cfg->nblocks; i++) {
        const lh_cfg_block *b = cfg->blocks[i];
        if (b->live && b->term == LH_CFG_RETURN)
            return true;
    }
    return false;
}

bool lh_cfg_loop_exits(const lh_cfg *cfg, const lh_cfg_loop *l)
{
    lh_cfg_search s = {NULL, NULL, LH_CFG_RETURN | LH_CFG_NORETURN | LH_CFG_LEAVE, NULL, l};
    return lh_cfg_search_from(cfg, &s, l->head, 0, NULL);
}

/* ---- debugging ----------------------------------------------------------- */

static const char *const kind_names[] = {
#define LH_CFG_KIND_NAME(e, name) name,
    LH_CFG_KINDS(LH_CFG_KIND_NAME)
#undef LH_CFG_KIND_NAME
};

const char *lh_cfg_kind_name(lh_cfg_kind k)
{
    return (unsigned)k < LH_CFG_KIND_COUNT ? kind_names[k] : "?";
}

static const char *term_name(uint8_t term)
{
    switch (term) {
    case LH_CFG_RETURN:
        return "return";
    case LH_CFG_NORETURN:
        return "noreturn";
    case LH_CFG_BLOCKED:
        return "blocked";
    default:
        return "none";
    }
}

void lh_cfg_format(const lh_cfg *cfg, lh_buf *out)
{
    for (uint32_t i = 0; i < cfg->nblocks; i++) {
        const lh_cfg_block *b = cfg->blocks[i];
        lh_buf_printf(out, "b%u %s%s:", b->index, lh_cfg_kind_name((lh_cfg_kind)b->kind),
                      b->live ? "" : " dead");
        for (uint32_t k = 0; k < b->nnodes; k++) {
            const lh_node *n = b->nodes[k];
            lh_buf_printf(out, " %s@%u:%u", lh_ast_kind_name((lh_node_kind)n->kind), n->pos.line,
                          n->pos.col);
        }
        lh_buf_puts(out, " ->");
        if (b->nsuccs == 0)
            lh_buf_printf(out, " %s", term_name(b->term));
        for (uint32_t k = 0; k < b->nsuccs; k++)
            lh_buf_printf(out, " b%u", b->succs[k]->index);
        lh_buf_putc(out, '\n');
    }
}
