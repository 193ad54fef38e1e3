/* Self-deadlocks: a goroutine that takes a mutex it already holds, in its
 * own body or in the package's functions and methods it calls. GoBench's
 * most common blocking bug: a method locks s.mu and, still holding it,
 * calls another method of s that locks s.mu again (or RLocks it), or a
 * loop path goes back to the Lock without passing the Unlock.
 *
 * Mutexes are named by paths from a root object (s.mu, s.child.mu, a
 * package-level mu; an embedded sync.Mutex is its field: s.Mutex). What a
 * callee takes is its summary: the locks its body takes unconditionally,
 * before any branch, in terms of its receiver and parameters, mapped
 * through the call's arguments. Anything we cannot see that might
 * release the lock (a call we cannot resolve, a function value, a callee
 * of another package handed the mutex's owner) ends the path: not proven.
 *
 * State lives in an lh_locks per package run; summaries are computed on
 * demand and memoised. */
#ifndef LH_RULES_LOCKS_H
#define LH_RULES_LOCKS_H

#include <stdbool.h>
#include <stddef.h>

#include "go/ast.h"
#include "rules/rule.h"
#include "util/ptrmap.h"

#define LH_LOCKS_MAXWRITERS 64

typedef struct lh_locks {
    lh_rule_ctx *c;
    lh_ptrmap sums;         /* FuncDecl -> lk_sum */
    lh_ptrmap verdicts;     /* FuncDecl/FuncLit -> lk_verdict */
    /* The read-write mutexes the package write-locks: field name and the
     * struct type holding it (or the variable itself, name and owner). */
    lh_str writers[LH_LOCKS_MAXWRITERS];
    const void *writer_owners[LH_LOCKS_MAXWRITERS];
    uint32_t nwriters;
    bool writers_done, writers_any;
    /* Cond fields already judged (a package-wide walk each): struct type,
     * field name, and whether anything signals or hands it on. */
    const void *cond_types[LH_LOCKS_MAXWRITERS];
    lh_str cond_names[LH_LOCKS_MAXWRITERS];
    bool cond_live[LH_LOCKS_MAXWRITERS];
    uint32_t nconds;
} lh_locks;

void lh_locks_init(lh_locks *l, lh_rule_ctx *c);
void lh_locks_free(lh_locks *l);

/* Whether the goroutine running fn (a FuncLit, or a FuncDecl of the
 * package) can block forever taking a lock it already holds, in fn or in
 * the package's functions fn calls (three calls deep). Fills why with
 * what happens, for the finding's message. */
bool lh_locks_goroutine_deadlocks(lh_locks *l, const lh_node *fn, char *why, size_t n);

/* Whether the goroutine running fn waits (in fn or three calls deep) on a
 * sync.Cond field of a struct type of the package that nothing in the
 * package signals or broadcasts, and that is never handed on. */
bool lh_locks_goroutine_cond_waits(lh_locks *l, const lh_node *fn, char *why, size_t n);

#endif
