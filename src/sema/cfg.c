/* The CFG builder (cfg.h): statements in, blocks out.
 *
 * The builder walks statements with an explicit stack of frames instead
 * of recursing, so nesting depth costs heap, not C stack. A frame is a
 * statement list being walked, or a compound statement waiting for its
 * body (or its next clause) to finish; the frames of for, range, switch
 * and select are also the targets of break, continue and fallthrough.
 *
 * `cur` is the block statements are appended to; NULL after a return or
 * branch, until a node needs a place (then an UNREACHABLE block is made),
 * so dead code costs a block only when there is dead code. Every jump
 * ends cur: a block's successors are all added at once, when it ends.
 *
 * Nodes and successor edges go to scratch arrays while building (blocks
 * fill one at a time, so each block's nodes are one run of the array) and
 * are copied into the arena once, exactly sized, at the end. */
#include "sema/cfg.h"

#include <stdlib.h>
#include <string.h>

/* ---- scratch arrays ------------------------------------------------------ */

/* Grows *v (elements of size elt, capacity *cap) to hold need elements.
 * Scratch memory; out of memory is fatal, as in the arena. */
static void *grow(void *v, uint32_t *cap, uint32_t need, size_t elt)
{
    if (need <= *cap)
        return v;
    uint32_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    v = realloc(v, (size_t)c * elt);
    if (!v)
        abort();
    *cap = c;
    return v;
}

#define GROW(arr, cap, need) ((arr) = grow((arr), &(cap), (need), sizeof *(arr)))

/* Where a block's nodes and successors sit in the scratch arrays. */
typedef struct brange {
    uint32_t nstart, sstart;
} brange;

enum { F_LIST, F_IF, F_FOR, F_RANGE, F_SWITCH, F_TSWITCH, F_SELECT };

typedef struct frame {
    uint8_t kind;
    uint8_t phase;          /* F_IF: 0 body running, 1 else running;
                             * clause frames: 1 while clause i runs */
    lh_node *s;
    lh_node **v;            /* F_LIST: the statements; clause frames: the
                             * clauses */
    uint32_t n, i;
    uint32_t first;         /* clause frames: block index of clause 0's body
                             * (the bodies are consecutive blocks) */
    lh_cfg_block *done;     /* after the statement; break's target */
    lh_cfg_block *cont;     /* loops: continue's target */
    lh_cfg_block *els;      /* F_IF */
    lh_cfg_loop *loop;      /* loops */
    int32_t prev_target, prev_loop;
    int32_t label;          /* the label naming this statement, or -1 */
} frame;

typedef struct label {
    lh_str name;
    lh_cfg_block *block;
    bool defined;
    int32_t frame;          /* frame of the labeled for/switch/select while
                             * its body is built, else -1 */
} label;

typedef struct builder {
    lh_arena *a;
    lh_cfg_may_return_fn may_return;
    void *mctx;
    lh_cfg_block *cur;
    lh_cfg_loop *loop;      /* innermost loop being built */
    int32_t top_target;     /* innermost break target frame, -1 none */
    int32_t top_loop;       /* innermost loop frame, -1 none */

    lh_cfg_block **blocks;
    brange *br;
    uint32_t nblocks, capblocks, capbr;
    lh_node **nodes;
    uint32_t nn, capn;
    uint32_t *succs;        /* block indices */
    uint32_t ns, caps;
    lh_cfg_loop **loops;
    uint32_t nloops, caploops;
    frame *fr;
    uint32_t nfr, capfr;
    label *labels;          /* in order of first mention; indices are stable */
    uint32_t nlabels, caplabels;
    int32_t *lhash;         /* open addressing over labels, -1 empty */
    uint32_t lmask;
} builder;

/* ---- blocks, nodes, edges ------------------------------------------------ */

static lh_cfg_block *new_block(builder *b, lh_cfg_kind kind, lh_node *stmt)
{
    lh_cfg_block *blk = LH_NEW(b->a, lh_cfg_block);
    blk->index = b->nblocks;
    blk->kind = (uint8_t)kind;
    blk->stmt = stmt;
    blk->loop = b->loop;
    GROW(b->blocks, b->capblocks, b->nblocks + 1);
    GROW(b->br, b->capbr, b->nblocks + 1);
    b->br[b->nblocks] = (brange){0, 0};
    b->blocks[b->nblocks++] = blk;
    return blk;
}

static void add_node(builder *b, lh_node *n)
{
    if (!b->cur)
        b->cur = new_block(b, LH_CFG_UNREACHABLE, NULL);
    lh_cfg_block *blk = b->cur;
    brange *r = &b->br[blk->index];
    GROW(b->nodes, b->capn, b->nn + blk->nnodes + 1);
    if (blk->nnodes == 0) {
        r->nstart = b->nn;
    } else if (r->nstart + blk->nnodes != b->nn) {
        /* Not the latest run (the builder never does this, but a copy
         * keeps the invariant cheap to trust). */
        memmove(&b->nodes[b->nn], &b->nodes[r->nstart], blk->nnodes * sizeof *b->nodes);
        r->nstart = b->nn;
        b->nn += blk->nnodes;
    }
    b->nodes[b->nn++] = n;
    blk->nnodes++;
}

static void add_succ(builder *b, lh_cfg_block *from, lh_cfg_block *to)
{
    brange *r = &b->br[from->index];
    GROW(b->succs, b->caps, b->ns + from->nsuccs + 1);
    if (from->nsuccs == 0) {
        r->sstart = b->ns;
    } else if (r->sstart + from->nsuccs != b->ns) {
        memmove(&b->succs[b->ns], &b->succs[r->sstart], from->nsuccs * sizeof *b->succs);
        r->sstart = b->ns;
        b->ns += from->nsuccs;
    }
    b->succs[b->ns++] = to->index;
    from->nsuccs++;
}

/* Ends cur with an edge to `to`. */
static void jump(builder *b, lh_cfg_block *to)
{
    if (b->cur)
        add_succ(b, b->cur, to);
    b->cur = NULL;
}

/* Ends cur with a two-way branch; test: its last node is the test. */
static void branch2(builder *b, lh_cfg_block *t, lh_cfg_block *f, bool test)
{
    if (b->cur) {
        add_succ(b, b->cur, t);
        add_succ(b, b->cur, f);
        b->cur->cond = test && b->cur->nnodes > 0;
    }
    b->cur = NULL;
}

static void terminate(builder *b, uint8_t term)
{
    if (b->cur)
        b->cur->term = term;
    b->cur = NULL;
}

/* ---- labels -------------------------------------------------------------- */

static uint32_t str_hash(lh_str s)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < s.len; i++)
        h = (h ^ (unsigned char)s.p[i]) * 16777619u;
    return h;
}

static bool str_eq(lh_str x, lh_str y)
{
    return x.len == y.len && memcmp(x.p, y.p, x.len) == 0;
}

static void lhash_insert(builder *b, int32_t li)
{
    uint32_t h = str_hash(b->labels[li].name) & b->lmask;
    while (b->lhash[h] >= 0)
        h = (h + 1) & b->lmask;
    b->lhash[h] = li;
}

/* The label named by identifier id; created (with no block) when create. */
static int32_t find_label(builder *b, const lh_node *id, bool create)
{
    if (!id || LH_KIND(id) != LH_IDENT)
        return -1;
    lh_str name = LH_AS(id, lh_ident)->name;
    if (b->lhash) {
        for (uint32_t h = str_hash(name) & b->lmask; b->lhash[h] >= 0; h = (h + 1) & b->lmask)
            if (str_eq(b->labels[b->lhash[h]].name, name))
                return b->lhash[h];
    }
    if (!create)
        return -1;
    if (!b->lhash || 2 * (b->nlabels + 1) > b->lmask + 1) {
        uint32_t size = b->lhash ? 2 * (b->lmask + 1) : 16;
        free(b->lhash);
        b->lhash = malloc(size * sizeof *b->lhash);
        if (!b->lhash)
            abort();
        memset(b->lhash, 0xff, size * sizeof *b->lhash);
        b->lmask = size - 1;
        for (uint32_t i = 0; i < b->nlabels; i++)
            lhash_insert(b, (int32_t)i);
    }
    GROW(b->labels, b->caplabels, b->nlabels + 1);
    int32_t li = (int32_t)b->nlabels++;
    b->labels[li] = (label){name, NULL, false, -1};
    lhash_insert(b, li);
    return li;
}

static lh_cfg_block *label_block(builder *b, int32_t li)
{
    label *l = &b->labels[li];
    if (!l->block)
        l->block = new_block(b, LH_CFG_LABEL, NULL);
    return l->block;
}

/* L: starts L's block (made earlier by a forward goto, or now). Returns the
 * label, or -1 for a duplicate (which keeps the first as goto's target). */
static int32_t define_label(builder *b, lh_node *s)
{
    lh_labeled_stmt *ls = LH_AS(s, lh_labeled_stmt);
    int32_t li = find_label(b, ls->label, true);
    lh_cfg_block *blk;
    if (li >= 0 && !b->labels[li].defined) {
        b->labels[li].defined = true;
        blk = label_block(b, li);
        /* A forward goto made it where the goto was. */
        blk->loop = b->loop;
    } else {
        li = -1;
        blk = new_block(b, LH_CFG_LABEL, NULL);
    }
    blk->stmt = s;
    jump(b, blk);
    b->cur = blk;
    return li;
}

/* ---- frames -------------------------------------------------------------- */

static frame *push(builder *b, uint8_t kind, lh_node *s)
{
    GROW(b->fr, b->capfr, b->nfr + 1);
    frame *f = &b->fr[b->nfr++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->s = s;
    f->label = -1;
    f->prev_target = f->prev_loop = -1;
    return f;
}

static void push_list(builder *b, lh_list *l)
{
    if (l->n == 0)
        return;
    frame *f = push(b, F_LIST, NULL);
    f->v = l->v;
    f->n = l->n;
}

/* Makes the frame just pushed the innermost break target (and, with a
 * loop, the innermost loop), named by label li. */
static void enter_target(builder *b, frame *f, int32_t li, lh_cfg_loop *loop)
{
    int32_t fi = (int32_t)(f - b->fr);
    f->prev_target = b->top_target;
    b->top_target = fi;
    f->label = li;
    if (li >= 0)
        b->labels[li].frame = fi;
    if (loop) {
        f->loop = loop;
        f->prev_loop = b->top_loop;
        b->top_loop = fi;
        b->loop = loop;
    }
}

static void pop(builder *b)
{
    frame *f = &b->fr[--b->nfr];
    if (f->kind == F_LIST || f->kind == F_IF)
        return;
    b->top_target = f->prev_target;
    if (f->label >= 0)
        b->labels[f->label].frame = -1;
    if (f->loop) {
        b->top_loop = f->prev_loop;
        b->loop = f->loop->parent;
        f->loop->last = b->nloops;
    }
}

/* ---- statements ---------------------------------------------------------- */

bool lh_cfg_default_may_return(const lh_call_expr *call, void *ctx)
{
    (void)ctx;
    return !lh_ident_is(lh_ast_unparen(call->fun), "panic");
}

/* A simple statement: one node; return and calls that never return end
 * the block. */
static void simple(builder *b, lh_node *s)
{
    add_node(b, s);
    if (LH_KIND(s) == LH_RETURN_STMT) {
        terminate(b, LH_CFG_RETURN);
    } else if (LH_KIND(s) == LH_EXPR_STMT) {
        lh_node *x = lh_ast_unparen(LH_AS(s, lh_expr_stmt)->x);
        if (x && LH_KIND(x) == LH_CALL_EXPR &&
            !b->may_return(LH_AS(x, lh_call_expr), b->mctx))
            terminate(b, LH_CFG_NORETURN);
    }
}

static void opt_simple(builder *b, lh_node *s)
{
    if (s && LH_KIND(s) != LH_EMPTY_STMT)
        simple(b, s);
}

static void branch_stmt(builder *b, lh_node *s)
{
    lh_branch_stmt *bs = LH_AS(s, lh_branch_stmt);
    lh_cfg_block *to = NULL;
    int32_t t = -1;
    add_node(b, s);
    switch (bs->tok) {
    case LH_TOK_BREAK:
        if (bs->label) {
            int32_t li = find_label(b, bs->label, false);
            t = li >= 0 ? b->labels[li].frame : -1;
        } else {
            t = b->top_target;
        }
        if (t >= 0)
            to = b->fr[t].done;
        break;
    case LH_TOK_CONTINUE:
        if (bs->label) {
            int32_t li = find_label(b, bs->label, false);
            t = li >= 0 ? b->labels[li].frame : -1;
        } else {
            t = b->top_loop;
        }
        if (t >= 0)
            to = b->fr[t].cont;     /* NULL when the label names a switch */
        break;
    case LH_TOK_GOTO: {
        int32_t li = find_label(b, bs->label, true);
        if (li >= 0)
            to = label_block(b, li);
        break;
    }
    case LH_TOK_FALLTHROUGH:
        t = b->top_target;
        if (t >= 0 && b->fr[t].kind == F_SWITCH && b->fr[t].i + 1 < b->fr[t].n)
            to = b->blocks[b->fr[t].first + b->fr[t].i + 1];
        break;
    }
    if (to)
        jump(b, to);
    else
        b->cur = NULL;      /* code that does not compile: a dead end */
}

static lh_cfg_loop *new_loop(builder *b, lh_node *s)
{
    lh_cfg_loop *l = LH_NEW(b->a, lh_cfg_loop);
    l->stmt = s;
    l->parent = b->loop;
    l->index = b->nloops;
    GROW(b->loops, b->caploops, b->nloops + 1);
    b->loops[b->nloops++] = l;
    return l;
}

static void begin_if(builder *b, lh_node *s)
{
    lh_if_stmt *is = LH_AS(s, lh_if_stmt);
    opt_simple(b, is->init);
    if (is->cond)
        add_node(b, is->cond);
    lh_cfg_block *then = new_block(b, LH_CFG_IF_THEN, s);
    lh_cfg_block *els = is->els ? new_block(b, LH_CFG_IF_ELSE, s) : NULL;
    lh_cfg_block *done = new_block(b, LH_CFG_IF_DONE, s);
    branch2(b, then, els ? els : done, is->cond != NULL);
    frame *f = push(b, F_IF, s);
    f->els = els;
    f->done = done;
    b->cur = then;
    if (is->body)
        push_list(b, &LH_AS(is->body, lh_block_stmt)->list);
}

static void begin_for(builder *b, lh_node *s, int32_t li)
{
    lh_for_stmt *fs = LH_AS(s, lh_for_stmt);
    opt_simple(b, fs->init);
    lh_cfg_loop *l = new_loop(b, s);
    lh_cfg_block *done = new_block(b, LH_CFG_FOR_DONE, s);  /* outside l */
    b->loop = l;
    l->head = new_block(b, LH_CFG_FOR_LOOP, s);
    l->body = new_block(b, LH_CFG_FOR_BODY, s);
    l->post = fs->post ? new_block(b, LH_CFG_FOR_POST, s) : NULL;
    l->cont = l->post ? l->post : l->head;
    l->done = done;
    b->loop = l->parent;
    jump(b, l->head);
    b->cur = l->head;
    if (fs->cond) {
        add_node(b, fs->cond);
        branch2(b, l->body, done, true);
    } else {
        jump(b, l->body);   /* for {}: left only by branches and returns */
    }
    frame *f = push(b, F_FOR, s);
    f->done = done;
    f->cont = l->cont;
    enter_target(b, f, li, l);
    b->cur = l->body;
    if (fs->body)
        push_list(b, &LH_AS(fs->body, lh_block_stmt)->list);
}

static void end_for(builder *b, frame *f)
{
    lh_cfg_loop *l = f->loop;
    lh_for_stmt *fs = LH_AS(f->s, lh_for_stmt);
    lh_cfg_block *done = f->done;
    jump(b, l->cont);
    if (l->post) {
        b->cur = l->post;
        simple(b, fs->post);
        jump(b, l->head);
    }
    pop(b);
    b->cur = done;
}

static void begin_range(builder *b, lh_node *s, int32_t li)
{
    lh_range_stmt *rs = LH_AS(s, lh_range_stmt);
    /* X is evaluated once, before the first iteration. */
    if (rs->x)
        add_node(b, rs->x);
    lh_cfg_loop *l = new_loop(b, s);
    lh_cfg_block *done = new_block(b, LH_CFG_RANGE_DONE, s);
    b->loop = l;
    l->head = new_block(b, LH_CFG_RANGE_LOOP, s);
    l->body = new_block(b, LH_CFG_RANGE_BODY, s);
    l->cont = l->head;
    l->done = done;
    b->loop = l->parent;
    jump(b, l->head);
    b->cur = l->head;
    branch2(b, l->body, done, false);
    frame *f = push(b, F_RANGE, s);
    f->done = done;
    f->cont = l->head;
    enter_target(b, f, li, l);
    b->cur = l->body;
    if (rs->body)
        push_list(b, &LH_AS(rs->body, lh_block_stmt)->list);
}

static lh_list *clause_body(lh_node *c)
{
    if (LH_KIND(c) == LH_CASE_CLAUSE)
        return &LH_AS(c, lh_case_clause)->body;
    if (LH_KIND(c) == LH_COMM_CLAUSE)
        return &LH_AS(c, lh_comm_clause)->body;
    return NULL;            /* not produced by the parser; treated as empty */
}

static bool is_default(lh_node *c)
{
    return LH_KIND(c) == LH_CASE_CLAUSE && LH_AS(c, lh_case_clause)->list.n == 0;
}

static lh_list *stmt_list(lh_node *block)
{
    static lh_list empty;
    if (!block || LH_KIND(block) != LH_BLOCK_STMT)
        return &empty;
    return &LH_AS(block, lh_block_stmt)->list;
}

static void begin_switch(builder *b, lh_node *s, int32_t li)
{
    lh_switch_stmt *ss = LH_AS(s, lh_switch_stmt);
    opt_simple(b, ss->init);
    if (ss->tag)
        add_node(b, ss->tag);
    lh_list *cl = stmt_list(ss->body);
    /* The case tests, then the bodies, each run of blocks consecutive. */
    uint32_t ncase = 0, tfirst = b->nblocks;
    for (uint32_t i = 0; i < cl->n; i++)
        if (LH_KIND(cl->v[i]) == LH_CASE_CLAUSE && !is_default(cl->v[i])) {
            new_block(b, LH_CFG_SWITCH_CASE, cl->v[i]);
            ncase++;
        }
    uint32_t first = b->nblocks;
    int32_t dflt = -1;
    for (uint32_t i = 0; i < cl->n; i++) {
        new_block(b, LH_CFG_SWITCH_BODY, cl->v[i]);
        if (is_default(cl->v[i]))
            dflt = (int32_t)i;
    }
    lh_cfg_block *done = new_block(b, LH_CFG_SWITCH_DONE, s);
    /* No case matched: the default, wherever it is written, or done. */
    lh_cfg_block *nomatch = dflt >= 0 ? b->blocks[first + (uint32_t)dflt] : done;
    jump(b, ncase ? b->blocks[tfirst] : nomatch);
    for (uint32_t i = 0, k = 0; i < cl->n; i++) {
        if (LH_KIND(cl->v[i]) != LH_CASE_CLAUSE || is_default(cl->v[i]))
            continue;
        lh_case_clause *cc = LH_AS(cl->v[i], lh_case_clause);
        b->cur = b->blocks[tfirst + k];
        for (uint32_t j = 0; j < cc->list.n; j++)
            add_node(b, cc->list.v[j]);
        k++;
        branch2(b, b->blocks[first + i], k < ncase ? b->blocks[tfirst + k] : nomatch, true);
    }
    frame *f = push(b, F_SWITCH, s);
    f->v = cl->v;
    f->n = cl->n;
    f->first = first;
    f->done = done;
    enter_target(b, f, li, NULL);
}

static void begin_type_switch(builder *b, lh_node *s, int32_t li)
{
    lh_type_switch_stmt *ts = LH_AS(s, lh_type_switch_stmt);
    opt_simple(b, ts->init);
    if (ts->assign)
        add_node(b, ts->assign);
    lh_list *cl = stmt_list(ts->body);
    uint32_t first = b->nblocks;
    bool dflt = false;
    for (uint32_t i = 0; i < cl->n; i++) {
        new_block(b, LH_CFG_TYPESWITCH_BODY, cl->v[i]);
        dflt |= is_default(cl->v[i]);
    }
    lh_cfg_block *done = new_block(b, LH_CFG_TYPESWITCH_DONE, s);
    if (b->cur) {
        for (uint32_t i = 0; i < cl->n; i++)
            add_succ(b, b->cur, b->blocks[first + i]);
        if (!dflt)
            add_succ(b, b->cur, done);
        b->cur = NULL;
    }
    frame *f = push(b, F_TSWITCH, s);
    f->v = cl->v;
    f->n = cl->n;
    f->first = first;
    f->done = done;
    enter_target(b, f, li, NULL);
}

static void begin_select(builder *b, lh_node *s, int32_t li)
{
    lh_list *cl = stmt_list(LH_AS(s, lh_select_stmt)->body);
    if (cl->n == 0) {
        terminate(b, LH_CFG_BLOCKED);
        return;
    }
    uint32_t first = b->nblocks;
    for (uint32_t i = 0; i < cl->n; i++)
        new_block(b, LH_CFG_SELECT_BODY, cl->v[i]);
    lh_cfg_block *done = new_block(b, LH_CFG_SELECT_DONE, s);
    if (b->cur) {
        for (uint32_t i = 0; i < cl->n; i++)
            add_succ(b, b->cur, b->blocks[first + i]);
        b->cur = NULL;
    }
    frame *f = push(b, F_SELECT, s);
    f->v = cl->v;
    f->n = cl->n;
    f->first = first;
    f->done = done;
    enter_target(b, f, li, NULL);
}

/* One step of a switch, type switch or select frame: finish clause i (if
 * one is running), start the next, or end the statement. */
static void clause_step(builder *b, frame *f)
{
    if (f->phase == 1) {
        jump(b, f->done);
        f->i++;
        f->phase = 0;
    }
    if (f->i == f->n) {
        lh_cfg_block *done = f->done;
        pop(b);
        b->cur = done;
        return;
    }
    lh_node *c = f->v[f->i];
    b->cur = b->blocks[f->first + f->i];
    f->phase = 1;
    if (LH_KIND(c) == LH_COMM_CLAUSE)
        opt_simple(b, LH_AS(c, lh_comm_clause)->comm);
    lh_list *body = clause_body(c);
    if (body)
        push_list(b, body);
}

static void stmt(builder *b, lh_node *s)
{
    int32_t li = -1;
    for (;;) {
        switch (LH_KIND(s)) {
        case LH_LABELED_STMT:
            li = define_label(b, s);
            s = LH_AS(s, lh_labeled_stmt)->stmt;
            if (!s)
                return;
            continue;
        case LH_BLOCK_STMT:
            push_list(b, &LH_AS(s, lh_block_stmt)->list);
            return;
        case LH_IF_STMT:
            begin_if(b, s);
            return;
        case LH_FOR_STMT:
            begin_for(b, s, li);
            return;
        case LH_RANGE_STMT:
            begin_range(b, s, li);
            return;
        case LH_SWITCH_STMT:
            begin_switch(b, s, li);
            return;
        case LH_TYPE_SWITCH_STMT:
            begin_type_switch(b, s, li);
            return;
        case LH_SELECT_STMT:
            begin_select(b, s, li);
            return;
        case LH_BRANCH_STMT:
            branch_stmt(b, s);
            return;
        case LH_EMPTY_STMT:
            return;
        default:
            simple(b, s);
            return;
        }
    }
}

static void run(builder *b)
{
    while (b->nfr > 0) {
        frame *f = &b->fr[b->nfr - 1];
        switch (f->kind) {
        case F_LIST:
            if (f->i == f->n)
                pop(b);
            else
                stmt(b, f->v[f->i++]);     /* may push: f is stale after */
            break;
        case F_IF: {
            lh_cfg_block *done = f->done;
            jump(b, done);
            if (f->phase == 0 && f->els) {
                f->phase = 1;
                b->cur = f->els;
                stmt(b, LH_AS(f->s, lh_if_stmt)->els);
            } else {
                pop(b);
                b->cur = done;
            }
            break;
        }
        case F_FOR:
            end_for(b, f);
            break;
        case F_RANGE: {
            lh_cfg_block *done = f->done;
            jump(b, f->cont);
            pop(b);
            b->cur = done;
            break;
        }
        default:
            clause_step(b, f);
            break;
        }
    }
}

/* ---- node lookup ---------------------------------------------------------- */

/* Open addressing keyed by node pointer: every node of every block, and
 * every loop statement (idx == LOOP_SLOT, block = the loop's index). */
enum { LOOP_SLOT = UINT32_MAX };

typedef struct islot {
    const lh_node *key;
    uint32_t block, idx;
} islot;

struct lh_cfg_index {
    islot *slots;
    uint32_t mask;
};

static uint32_t ptr_hash(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    return (uint32_t)((x * 0x9E3779B97F4A7C15ull) >> 32);
}

static void index_put(lh_cfg_index *ix, const lh_node *key, uint32_t block, uint32_t idx)
{
    uint32_t h = ptr_hash(key) & ix->mask;
    while (ix->slots[h].key) {
        if (ix->slots[h].key == key)
            return;     /* first wins; a node is in one place only */
        h = (h + 1) & ix->mask;
    }
    ix->slots[h] = (islot){key, block, idx};
}

static const islot *index_get(const lh_cfg_index *ix, const lh_node *key)
{
    if (!ix || !key)
        return NULL;
    for (uint32_t h = ptr_hash(key) & ix->mask; ix->slots[h].key; h = (h + 1) & ix->mask)
        if (ix->slots[h].key == key)
            return &ix->slots[h];
    return NULL;
}

static lh_cfg_index *index_build(lh_arena *a, const lh_cfg *cfg)
{
    uint32_t n = cfg->nnodes + cfg->nloops, size = 16;
    while (size < 2 * n)
        size *= 2;
    lh_cfg_index *ix = LH_NEW(a, lh_cfg_index);
    ix->slots = LH_NEWN(a, islot, size);
    ix->mask = size - 1;
    for (uint32_t i = 0; i < cfg->nblocks; i++) {
        const lh_cfg_block *blk = cfg->blocks[i];
        for (uint32_t k = 0; k < blk->nnodes; k++)
            index_put(ix, blk->nodes[k], i, k);
    }
    for (uint32_t i = 0; i < cfg->nloops; i++)
        index_put(ix, cfg->loops[i]->stmt, i, LOOP_SLOT);
    return ix;
}

lh_cfg_block *lh_cfg_block_of(const lh_cfg *cfg, const lh_node *n, uint32_t *idx)
{
    const islot *s = index_get(cfg->index, n);
    if (!s || s->idx == LOOP_SLOT)
        return NULL;
    if (idx)
        *idx = s->idx;
    return cfg->blocks[s->block];
}

lh_cfg_loop *lh_cfg_loop_of(const lh_cfg *cfg, const lh_node *stmt)
{
    const islot *s = index_get(cfg->index, stmt);
    return s && s->idx == LOOP_SLOT ? cfg->loops[s->block] : NULL;
}

bool lh_cfg_in_loop(const lh_cfg_block *b, const lh_cfg_loop *l)
{
    return b->loop && b->loop->index >= l->index && b->loop->index < l->last;
}

/* ---- the result ---------------------------------------------------------- */

/* Marks what the entry reaches, depth-first with an explicit stack. */
static void mark_live(lh_cfg *cfg)
{
    uint32_t *stack = malloc((size_t)cfg->nblocks * sizeof *stack);
    if (!stack)
        abort();
    uint32_t n = 0;
    cfg->blocks[0]->live = true;
    stack[n++] = 0;
    while (n > 0) {
        lh_cfg_block *blk = cfg->blocks[stack[--n]];
        for (uint32_t i = 0; i < blk->nsuccs; i++) {
            lh_cfg_block *s = blk->succs[i];
            if (!s->live) {
                s->live = true;
                stack[n++] = s->index;
            }
        }
    }
    free(stack);
}

static lh_cfg *finish(builder *b, lh_node *body)
{
    lh_cfg *cfg = LH_NEW(b->a, lh_cfg);
    cfg->body = body;
    cfg->nblocks = b->nblocks;
    cfg->blocks = LH_NEWN(b->a, lh_cfg_block *, b->nblocks);
    memcpy(cfg->blocks, b->blocks, b->nblocks * sizeof *b->blocks);
    cfg->nloops = b->nloops;
    if (b->nloops) {
        cfg->loops = LH_NEWN(b->a, lh_cfg_loop *, b->nloops);
        memcpy(cfg->loops, b->loops, b->nloops * sizeof *b->loops);
    }
    uint32_t nn = 0, ns = 0;
    for (uint32_t i = 0; i < b->nblocks; i++) {
        nn += b->blocks[i]->nnodes;
        ns += b->blocks[i]->nsuccs;
    }
    lh_node **nodes = nn ? LH_NEWN(b->a, lh_node *, nn) : NULL;
    lh_cfg_block **succs = ns ? LH_NEWN(b->a, lh_cfg_block *, ns) : NULL;
    for (uint32_t i = 0; i < b->nblocks; i++) {
        lh_cfg_block *blk = b->blocks[i];
        if (blk->nnodes) {
            memcpy(nodes, &b->nodes[b->br[i].nstart], blk->nnodes * sizeof *nodes);
            blk->nodes = nodes;
            nodes += blk->nnodes;
        }
        if (blk->nsuccs) {
            for (uint32_t k = 0; k < blk->nsuccs; k++)
                succs[k] = b->blocks[b->succs[b->br[i].sstart + k]];
            blk->succs = succs;
            succs += blk->nsuccs;
        }
    }
    cfg->nnodes = nn;
    mark_live(cfg);
    cfg->index = index_build(b->a, cfg);
    return cfg;
}

lh_cfg *lh_cfg_build(lh_arena *a, lh_node *body, lh_cfg_may_return_fn may_return, void *ctx)
{
    if (!body)
        return NULL;
    builder b;
    memset(&b, 0, sizeof b);
    b.a = a;
    b.may_return = may_return ? may_return : lh_cfg_default_may_return;
    b.mctx = ctx;
    b.top_target = b.top_loop = -1;
    b.cur = new_block(&b, LH_CFG_ENTRY, body);
    stmt(&b, body);
    run(&b);
    /* Falling off the end of the body returns. */
    if (b.cur)
        b.cur->term = LH_CFG_RETURN;
    lh_cfg *cfg = finish(&b, body);
    free(b.blocks);
    free(b.br);
    free(b.nodes);
    free(b.succs);
    free(b.loops);
    free(b.fr);
    free(b.labels);
    free(b.lhash);
    return cfg;
}
