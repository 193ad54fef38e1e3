/* Control-flow graphs of Go function bodies, built from the syntax tree
 * alone (no types), one per body, on demand: the graph every rule walks
 * when it asks "on every path from here to the function's exit ...".
 *
 * A body (a FuncDecl's or a FuncLit's BlockStmt) becomes basic blocks. A
 * block holds, in execution order, the simple statements and the
 * expressions evaluated for control that run one after the other, and
 * ends in a jump to its successors, or in a terminator (return, a call
 * that never returns, a select that blocks forever). Function literals
 * inside the body are not entered: a FuncLit's body gets its own graph.
 *
 * What goes into blocks (lh_cfg_block.nodes):
 *   - simple statements: AssignStmt, ExprStmt, SendStmt, IncDecStmt,
 *     DeclStmt, GoStmt, DeferStmt (the deferred call does not run there:
 *     the node only marks where the defer is registered), ReturnStmt,
 *     BranchStmt (break/continue/goto/fallthrough, the last node of its
 *     block), BadStmt. EmptyStmt and LabeledStmt add nothing (a label
 *     starts an LH_CFG_LABEL block whose stmt is the LabeledStmt).
 *   - init statements of if/for/switch, and a for loop's post statement
 *     (in its own LH_CFG_FOR_POST block);
 *   - the expressions evaluated for control: an if's or for's Cond (the
 *     last node of the block that tests it), a switch's Tag, a type
 *     switch's Assign statement, a range's X (once, before the loop
 *     head), the expressions of each case clause (in an
 *     LH_CFG_SWITCH_CASE block of their own), and a select's comm
 *     statements (each the first node of its clause's body block: the
 *     send or receive happens when that clause is chosen).
 * Compound statements (if, for, range, switch, select, block, labeled)
 * never appear as nodes: walking a node never walks into another block.
 *
 * Construction (Go spec semantics):
 *   if          cond -> succs[0] then, succs[1] else (or done when there
 *               is no else); an else-if's init and cond go in the else
 *               block.
 *   for         init in the current block; the head (FOR_LOOP) tests cond:
 *               succs[0] body, succs[1] done; without a cond (`for {}`)
 *               the head's only successor is the body, so the loop is
 *               left only by break, return, goto, panic. continue goes to
 *               the post block when there is one, else to the head.
 *   range       X in the current block; the head (RANGE_LOOP, no nodes:
 *               key and value are assigned there) -> succs[0] body,
 *               succs[1] done. Range over ints and over functions
 *               (Go 1.22/1.23) build the same shape: a `return` in a
 *               range-over-func body returns from the enclosing function,
 *               as the spec says.
 *   switch      init and tag in the current block, then one SWITCH_CASE
 *               block per non-default clause, in source order, holding
 *               its expressions: succs[0] its body, succs[1] the next
 *               case, after the last case the default's body (wherever
 *               it is written) or done. fallthrough jumps to the next
 *               clause's body in source order.
 *   type switch init and assign in the current block, whose successors
 *               are every clause body in source order, then done when
 *               there is no default (case types are not evaluated).
 *   select      the current block's successors are every clause body in
 *               source order; each body starts with its comm statement.
 *               `select {}` blocks forever: the block ends with term
 *               LH_CFG_BLOCKED and no successors.
 *   labels      L: S starts a LABEL block (the goto target); `break L`
 *               and `continue L` refer to S when it is a for, range,
 *               switch, type switch or select. Unlabeled break: innermost
 *               for/range/switch/select; continue: innermost for/range.
 *   goto        forward and backward, to the LABEL block.
 *   return      ends the block, term LH_CFG_RETURN; falling off the end
 *               of the body is a return too (the last block, term RETURN).
 *   no return   an ExprStmt whose call may_return says never returns ends
 *               the block, term LH_CFG_NORETURN.
 * Code after a terminating statement or a branch lands in a new
 * LH_CFG_UNREACHABLE block, created only if some node needs it; blocks not
 * reachable from the entry have live == false (dead code never looks live).
 *
 * Code that does not compile but parses (a break outside any loop, a goto
 * to a missing label, a misplaced fallthrough) yields a block that ends
 * with no successors and term 0; nothing else ever does.
 *
 * Stack: the builder and the queries use explicit stacks, never
 * recursion, so any nesting the parser accepts (up to its 100000 levels)
 * is built on any thread. Time and memory are linear in the body's size.
 *
 * Memory: the graph, its blocks, arrays and lookup tables live in the
 * arena given to lh_cfg_build (the tree's arena or a per-function one);
 * scratch space is malloc'd and freed before the build returns. A built
 * graph is read-only: any number of threads may query it at once. */
#ifndef LH_SEMA_CFG_H
#define LH_SEMA_CFG_H

#include <stdbool.h>
#include <stdint.h>

#include "go/ast.h"
#include "util/arena.h"
#include "util/buf.h"

/* Block kinds: why the block exists (its stmt says for which statement). */
#define LH_CFG_KINDS(X)                                                     \
    X(LH_CFG_ENTRY, "entry")                /* blocks[0]; stmt: the body */ \
    X(LH_CFG_IF_THEN, "if.then")            /* stmt: IfStmt */              \
    X(LH_CFG_IF_ELSE, "if.else")                                            \
    X(LH_CFG_IF_DONE, "if.done")                                            \
    X(LH_CFG_FOR_LOOP, "for.loop")          /* stmt: ForStmt; cond here */  \
    X(LH_CFG_FOR_BODY, "for.body")                                          \
    X(LH_CFG_FOR_POST, "for.post")                                          \
    X(LH_CFG_FOR_DONE, "for.done")                                          \
    X(LH_CFG_RANGE_LOOP, "range.loop")      /* stmt: RangeStmt */           \
    X(LH_CFG_RANGE_BODY, "range.body")                                      \
    X(LH_CFG_RANGE_DONE, "range.done")                                      \
    X(LH_CFG_SWITCH_CASE, "switch.case")    /* stmt: CaseClause */          \
    X(LH_CFG_SWITCH_BODY, "switch.body")    /* stmt: CaseClause */          \
    X(LH_CFG_SWITCH_DONE, "switch.done")    /* stmt: SwitchStmt */          \
    X(LH_CFG_TYPESWITCH_BODY, "typeswitch.body") /* stmt: CaseClause */     \
    X(LH_CFG_TYPESWITCH_DONE, "typeswitch.done") /* TypeSwitchStmt */       \
    X(LH_CFG_SELECT_BODY, "select.body")    /* stmt: CommClause */          \
    X(LH_CFG_SELECT_DONE, "select.done")    /* stmt: SelectStmt */          \
    X(LH_CFG_LABEL, "label")                /* stmt: LabeledStmt */         \
    X(LH_CFG_UNREACHABLE, "unreachable")    /* after return/branch; NULL */

typedef enum lh_cfg_kind {
#define LH_CFG_KIND_ENUM(e, name) e,
    LH_CFG_KINDS(LH_CFG_KIND_ENUM)
#undef LH_CFG_KIND_ENUM
    LH_CFG_KIND_COUNT
} lh_cfg_kind;

/* How a block without successors ends (lh_cfg_block.term). The values are
 * bits so that searches can take a set of them (lh_cfg_search.ends). */
enum {
    LH_CFG_RETURN = 1,      /* a return statement, or the end of the body */
    LH_CFG_NORETURN = 2,    /* panic(...) or a call may_return rejects */
    LH_CFG_BLOCKED = 4,     /* select {}: blocks forever */
    LH_CFG_LEAVE = 8,       /* searches only: leaving lh_cfg_search.within */
};

typedef struct lh_cfg_block lh_cfg_block;
typedef struct lh_cfg_loop lh_cfg_loop;

struct lh_cfg_block {
    uint32_t index;         /* position in cfg->blocks; blocks[0] is the entry */
    uint8_t kind;           /* lh_cfg_kind */
    uint8_t term;           /* 0, or how a block with nsuccs == 0 ends */
    bool live;              /* reachable from the entry */
    bool cond;              /* ends in a two-way test of its last node (an
                             * if/for Cond, a case clause's expressions):
                             * succs[0] when true/matched, succs[1] else */
    lh_node **nodes;        /* in execution order (see the top comment) */
    uint32_t nnodes;
    uint32_t nsuccs;
    lh_cfg_block **succs;
    lh_node *stmt;          /* the statement the block is for; may be NULL */
    lh_cfg_loop *loop;      /* innermost loop whose iteration (head, body,
                             * post) contains the block; NULL outside loops */
};

/* A for or range statement of the body. */
struct lh_cfg_loop {
    lh_node *stmt;          /* ForStmt or RangeStmt */
    lh_cfg_block *head;     /* FOR_LOOP / RANGE_LOOP: every iteration starts
                             * here (a for's cond is tested here) */
    lh_cfg_block *body;     /* first block of the body */
    lh_cfg_block *post;     /* FOR_POST, or NULL */
    lh_cfg_block *cont;     /* where continue goes: post, else head */
    lh_cfg_block *done;     /* after the loop (cond false, break) */
    lh_cfg_loop *parent;    /* innermost enclosing loop, or NULL */
    uint32_t index;         /* position in cfg->loops (pre-order) */
    uint32_t last;          /* loops[index..last) are this one and those
                             * nested in it */
};

typedef struct lh_cfg_index lh_cfg_index;

typedef struct lh_cfg {
    lh_node *body;          /* the BlockStmt the graph was built from */
    lh_cfg_block **blocks;
    uint32_t nblocks;
    lh_cfg_loop **loops;    /* in source (pre-)order */
    uint32_t nloops;
    uint32_t nnodes;        /* total over all blocks */
    const lh_cfg_index *index;  /* node -> block, for lh_cfg_block_of */
} lh_cfg;

/* may_return(call, ctx) is asked about the call of every ExprStmt; false
 * means the call never returns (os.Exit, log.Fatal, t.Fatal,
 * runtime.Goexit, panic: only the caller can tell by resolving names) and
 * the statement ends its block with term LH_CFG_NORETURN. When may_return
 * is NULL, lh_cfg_default_may_return is used. A resolver that supplies its
 * own should call lh_cfg_default_may_return for names it does not know,
 * or decide panic itself (it knows when panic is shadowed). */
typedef bool (*lh_cfg_may_return_fn)(const lh_call_expr *call, void *ctx);

/* False for `panic(...)` (the builtin by name, parentheses ignored),
 * true for every other call. */
bool lh_cfg_default_may_return(const lh_call_expr *call, void *ctx);

/* The graph of body (a BlockStmt: a FuncDecl's or FuncLit's body), in
 * arena a. NULL body (a function without one) gives NULL. */
lh_cfg *lh_cfg_build(lh_arena *a, lh_node *body, lh_cfg_may_return_fn may_return, void *ctx);

/* The block holding node n (a node of some block: a statement, or a
 * control expression such as an if's Cond) and, in *idx when idx is not
 * NULL, its index in that block's nodes. NULL when n is in no block: a
 * compound statement, a node inside another node (find its enclosing
 * statement), or a node inside a function literal. O(1). */
lh_cfg_block *lh_cfg_block_of(const lh_cfg *cfg, const lh_node *n, uint32_t *idx);

/* The loop of a ForStmt or RangeStmt of this body, NULL for anything else.
 * O(1). */
lh_cfg_loop *lh_cfg_loop_of(const lh_cfg *cfg, const lh_node *stmt);

/* Whether block b lies in loop l (in l's iteration, or in a loop nested in
 * it). O(1). */
bool lh_cfg_in_loop(const lh_cfg_block *b, const lh_cfg_loop *l);

/* ---- path queries ------------------------------------------------------ */

/* What a visitor answers for each node along a path. */
typedef enum lh_cfg_visit {
    LH_CFG_CONTINUE,        /* go on past the node */
    LH_CFG_STOP_PATH,       /* this path is satisfied: do not go past it */
    LH_CFG_FOUND,           /* the node is what the search looks for */
    LH_CFG_ONLY_TRUE,       /* on the last node of a cond block: follow
                             * only succs[0] (`err == nil`: only there does
                             * the resource exist) */
    LH_CFG_ONLY_FALSE,      /* ... only succs[1] (`err != nil`); on other
                             * nodes both mean CONTINUE */
} lh_cfg_visit;

typedef lh_cfg_visit (*lh_cfg_visit_fn)(lh_node *n, void *ctx);

/* A forward search over the graph from a point. It finds a path to any
 * of: a node the visitor calls FOUND; the end of a block whose term is in
 * `ends`; the start of block `until` (e.g. a loop head: the next
 * iteration); when `within` is set and LH_CFG_LEAVE is in `ends`, the
 * first block outside that loop. Paths end at STOP_PATH nodes, at ends not
 * in the set, and, when `within` is set without LH_CFG_LEAVE, where they
 * leave the loop.
 *
 * Each block is visited at most once per search (the start block twice:
 * its tail first, its head if a loop comes back to it), so the visitor
 * must answer by the node alone, not by the path taken, and a search is
 * linear in the size of the graph. Breadth-first: a hit is one of the
 * nearest (in blocks). until is tested before within. Scratch memory is
 * malloc'd per search when the graph has more than a few hundred blocks.
 *
 * The rules' questions, with B, i the block and index of a statement:
 *   lost-cancel: a return reached from after `ctx, cancel := ...` on which
 *     cancel is not used:  visit = STOP_PATH on a use of cancel,
 *     ends = LH_CFG_RETURN; search_from(B, i + 1). The hit's block ends
 *     with the ReturnStmt, or with no node when it falls off the body's
 *     end (report the body's closing brace).
 *   unclosed resource: as above, visit also ONLY_FALSE on `err != nil`
 *     (ONLY_TRUE on `err == nil`), STOP_PATH on Close or a hand-off, and
 *     until = B->loop ? B->loop->head : NULL for "before the next
 *     iteration".
 *   defer-in-loop: the defer runs again when a search with visit = FOUND
 *     on the defer itself, ends = 0, until = B->loop->head finds anything
 *     (return, panic, breaking out end the paths without a hit).
 *   goroutines: lh_cfg_can_return, lh_cfg_loop_exits. */
typedef struct lh_cfg_search {
    lh_cfg_visit_fn visit;          /* NULL: every node CONTINUEs */
    void *ctx;
    uint8_t ends;                   /* LH_CFG_RETURN | LH_CFG_NORETURN |
                                     * LH_CFG_BLOCKED | LH_CFG_LEAVE */
    const lh_cfg_block *until;      /* may be NULL */
    const lh_cfg_loop *within;      /* may be NULL */
} lh_cfg_search;

/* What a search reached (lh_cfg_hit.how). */
enum {
    LH_CFG_HIT_NODE = 1,    /* a node the visitor called FOUND */
    LH_CFG_HIT_END,         /* the end of a block whose term is in ends */
    LH_CFG_HIT_UNTIL,       /* the start of the until block */
    LH_CFG_HIT_LEAVE,       /* the first block outside within */
};

typedef struct lh_cfg_hit {
    const lh_cfg_block *block;
    uint32_t idx;           /* HIT_NODE: the node's index; HIT_END: nnodes;
                             * HIT_UNTIL, HIT_LEAVE: 0 (the block's start) */
    uint8_t how;            /* LH_CFG_HIT_*; for HIT_END, block->term says
                             * which end */
} lh_cfg_hit;

/* Searches from node index `from` of block b: nodes[from] is the first
 * node visited, so "just after node i" is from = i + 1 and "the start of
 * b" is 0; from == b->nnodes starts at b's successors. Returns true and
 * fills *hit (when not NULL) if some path reaches a target. */
bool lh_cfg_search_from(const lh_cfg *cfg, const lh_cfg_search *s, const lh_cfg_block *b,
                        uint32_t from, lh_cfg_hit *hit);

/* Whether the body can return normally (some live block ends in
 * LH_CFG_RETURN). */
bool lh_cfg_can_return(const lh_cfg *cfg);

/* Whether some path from the loop's head leaves it: to its done block or
 * elsewhere outside (break, goto), or to a return or a call that never
 * returns. A `for {}` whose body neither breaks nor returns has no exit;
 * a select {} inside is no exit either. */
bool lh_cfg_loop_exits(const lh_cfg *cfg, const lh_cfg_loop *l);

/* ---- debugging and tests ----------------------------------------------- */

const char *lh_cfg_kind_name(lh_cfg_kind k);

/* One line per block, stable for tests:
 *   b0 entry: AssignStmt@3:2 BinaryExpr@4:5 -> b1 b2
 *   b1 if.then: ReturnStmt@5:3 -> return
 *   b3 unreachable dead: ExprStmt@7:2 -> return
 * (nodes as go/ast kind@line:col; " dead" when not live; after "->" the
 * successors, or the term: return, noreturn, blocked, or "none"). */
void lh_cfg_format(const lh_cfg *cfg, lh_buf *out);

#endif
