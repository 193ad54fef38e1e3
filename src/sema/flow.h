/* Where a resource goes (flow.c): the one "is it released on every path"
 * analysis the resource rules share. */
#ifndef LH_SEMA_FLOW_H
#define LH_SEMA_FLOW_H

#include <stdbool.h>
#include <stdlib.h>

#include "sema/cfg.h"
#include "sema/sema.h"

/* A kind of resource: which calls on it release it, which are harmless. */
typedef struct lh_flow_kind {
    const char *const *release;         /* methods that release: Close, Stop */
    const char *release_field;          /* NULL, or the field whose Close
                                         * releases (Body of a response) */
    const char *const *benign_methods;  /* read-only methods (Next, Scan) */
    const char *drain_field;            /* NULL, or the channel field whose
                                         * receive ends it (a Timer's C: a
                                         * timer that fired is done) */
    const char *const *exhaust;         /* NULL, or methods whose false
                                         * result means it was released
                                         * (rows.Next, rows.NextResultSet) */
    bool other_methods_benign;          /* a method not named above reads
                                         * (a wrapper's: sc.Scan, dec.Decode) */
} lh_flow_kind;

/* How a node treats the resource: ordered, the largest use wins. */
typedef enum lh_flow_use {
    LH_FLOW_NONE,           /* does not mention it */
    LH_FLOW_BENIGN,         /* reads it: fields, read-only methods, nil tests,
                             * standard-library readers */
    LH_FLOW_RELEASE,        /* closes or stops it (also in a defer) */
    LH_FLOW_HANDOFF,        /* anything else: returned, stored, passed on,
                             * captured by a closure, reassigned */
} lh_flow_use;

lh_flow_use lh_flow_classify(lh_sema_pkg *p, const lh_obj *v, const lh_flow_kind *k, lh_node *n);

/* Whether v is captured by a function literal or has its address taken
 * anywhere in func (before its creation too): then who releases it is not
 * for a path search to say. */
bool lh_flow_escapes(lh_sema_pkg *p, const lh_obj *v, lh_node *func);

/* Whether some path from just after stmt (the statement creating v)
 * reaches a return, the end of the body, or the next iteration of the loop
 * around stmt, without releasing or handing off v. err is the error result
 * of the same call (may be NULL): until err is next assigned, a condition
 * on it prunes the branch where the call failed (a failed call made no
 * resource); so does a branch where v is nil. *hit tells where the path
 * ends. */
bool lh_flow_unreleased_path(const lh_cfg *g, lh_sema_pkg *p, const lh_obj *v,
                             const lh_obj *err, const lh_flow_kind *k, const lh_node *stmt,
                             lh_cfg_hit *hit);

/* Whether a function of the module calls a Close method anywhere in its
 * body (kept through the freeze; true when the body cannot be seen). A
 * function returning an *http.Response that closes something may have
 * closed the response's body already: not a source of open bodies. */
bool lh_flow_func_closes(lh_obj *fn);

/* Computes fn's parameter summary now (lh_sema_freeze, before the tree
 * goes). */
void lh_flow_summarise(lh_obj *fn);

#endif
