/* What code does with a channel (chans.c): the facts the goroutine rules
 * share. */
#ifndef LH_SEMA_CHANS_H
#define LH_SEMA_CHANS_H

#include <stdbool.h>
#include <stdint.h>

#include "sema/sema.h"

typedef struct lh_chan_use {
    uint32_t sends;             /* sends that can block forever: bare, or a
                                 * select whose only case is this send */
    uint32_t loop_sends;        /* blocking sends inside a loop */
    uint32_t soft_sends;        /* sends in a select with a default or another
                                 * case (a timeout, ctx.Done(), a quit channel) */
    uint32_t recvs;             /* receives outside any loop of the code */
    uint32_t soft_recvs;        /* receives in a select with another way out
                                 * (counted in recvs/loop_recvs too) */
    uint32_t loop_recvs;        /* receives inside a loop */
    uint32_t ranges;            /* for ... range ch */
    bool closes;                /* close(ch) */
    bool handed;                /* anything else: passed to a function,
                                 * stored, returned, captured by a closure
                                 * not skipped: whoever gets it may use it */
    const lh_node *range_stmt;  /* the (first) range over it */
    const lh_node *recv_loop;   /* the loop around the first loop receive */
    const lh_node *first_recv;  /* the first receive outside loops */
    const lh_node *loop_send_v[4];  /* the first blocking sends in loops */
    uint32_t nloop_send_v;
    uint32_t nmakes;            /* fields: x.f = make(...) and T{f: make(...)} */
    int64_t make_cap;           /* their capacity when all agree, else -1 */
} lh_chan_use;

/* Adds to *u the uses of channel variable ch in root (a function body or
 * statement), skipping the subtrees in skip[0..nskip) (the go statements
 * analysed separately) and ch's own definition. Function literals in root
 * that mention ch count as a hand-off unless skipped. */
void lh_chan_uses(lh_sema_pkg *p, const lh_obj *ch, lh_node *root, lh_node *const *skip,
                  uint32_t nskip, lh_chan_use *u);

/* Field mode: the uses of field `field` of struct type `type` (a TYPE
 * object of p) in root, through any value of type T or *T. Assigning a
 * make(chan) to the field (x.f = make(...), T{f: make(...)}) records its
 * capacity; anything else that is not a send, receive, range, close, len
 * or cap -- reading the field into a variable, passing it on, setting it
 * from another channel -- is a hand-off. Uses inside function literals
 * count (the literal reaches the field through a value, not a captured
 * variable). */
typedef struct lh_chan_field_target {
    const lh_obj *type;
    lh_str field;
    lh_chan_use *u;             /* where its uses are added */
} lh_chan_field_target;
/* Adds to each t[i].u the uses of its field in root, all in one walk:
 * what it adds to one target is what a walk for that target alone would. */
void lh_chan_field_uses(lh_sema_pkg *p, const lh_chan_field_target *t, size_t nt, lh_node *root);
void lh_chan_note_make(lh_chan_use *u, int64_t cap);

/* The body a go statement runs and the object its code knows the channel
 * by: for `go func(...) {...}(args)` the literal's body, with ch itself
 * when captured or the parameter it is passed as; for `go f(args)` with f
 * a function of this package whose tree we still have, f's body and its
 * parameter. Returns false when the goroutine's code is not visible
 * (another package, a method value, a function variable): not provable. On
 * true, *target may be NULL when ch is neither captured nor passed. */
bool lh_go_target(lh_sema_pkg *p, const lh_go_stmt *g, const lh_obj *ch, lh_sema_pkg **tp,
                  lh_node **body, const lh_obj **target);

/* Whether the go statement's code mentions ch at all (captured, or passed
 * in its call's arguments). */
bool lh_go_mentions(lh_sema_pkg *p, const lh_go_stmt *g, const lh_obj *ch);

#endif
