/* The facts the goroutine rules share about one channel a function makes
 * (chanfacts.c): its capacity, what the maker does with it, and what each
 * goroutine the maker starts with it does. */
#ifndef LH_RULES_CHANFACTS_H
#define LH_RULES_CHANFACTS_H

#include "rules/rule.h"
#include "sema/chans.h"

enum { LH_CHAN_MAX_GO = 16 };

typedef struct lh_chan_go {
    lh_node *go;                /* the GoStmt */
    lh_node *loop;              /* innermost loop of the maker around it */
    lh_node *func;              /* the FuncLit or FuncDecl it runs */
    lh_sema_pkg *pkg;
    const lh_obj *target;       /* the channel as the goroutine knows it */
    lh_chan_use use;
} lh_chan_go;

typedef struct lh_chan_facts {
    const lh_load_file *file;
    const lh_obj *ch;
    lh_node *maker;             /* the function that made it */
    const lh_call_expr *make;
    int64_t cap;                /* make's capacity; -1 when not a constant */
    lh_chan_use own;            /* the maker's uses, go statements aside */
    lh_chan_go gos[LH_CHAN_MAX_GO];
    uint32_t ngo;
} lh_chan_facts;

/* Calls visit for every channel variable made in this package by
 * `ch := make(chan T[, N])` (or var ch = make(...)) in a function whose
 * every use is visible: the maker's uses
 * stay in the maker (no hand-off), and every goroutine the maker starts
 * with it runs code we can see and does not hand it on. Channels that
 * escape are not provable, and skipped. */
typedef void (*lh_chan_visit_fn)(lh_rule_ctx *c, const lh_chan_facts *f, void *ctx);
void lh_rule_each_chan(lh_rule_ctx *c, lh_chan_visit_fn visit, void *ctx);

/* Frees what lh_rule_each_chan computed for a package (NULL: none). */
void lh_chan_list_free(struct lh_chan_list *l);

/* Whether node n (a statement or expression, function literals not
 * entered) receives from ch. */
bool lh_rule_receives(lh_sema_pkg *p, lh_node *n, const lh_obj *ch);

/* The innermost for/range loop among the ancestors, stopping at the
 * function boundary; NULL when none. */
lh_node *lh_rule_enclosing_loop(lh_node *const *anc, size_t nanc);

/* ---- package-wide facts (one index per package, lh_rule_ctx.index) ---- */

/* Whether only this package can reach a name: unexported, or any name of
 * package main, which nothing imports. */
bool lh_rule_pkg_only(lh_rule_ctx *c, lh_str name);

/* Whether a value of the struct type is ever built: a composite literal,
 * a var of the type, new(T), a call returning one; true for exported
 * types of packages others can import (they may build it). */
bool lh_rule_type_built(lh_rule_ctx *c, const lh_obj *type);

/* Whether a function declaration of the package may ever run: exported;
 * init, or main of package main; a method by a name the standard library
 * calls through its interfaces; or named somewhere in the package (a
 * call, a go or defer, a function value; for a method, a selector of its
 * name on its type, an interface or a type we do not know). */
bool lh_rule_func_may_run(lh_rule_ctx *c, const lh_func_decl *d);

/* Whether nothing that runs ever sends on or closes the channel field
 * `name` of struct type `type` (lh_rule_field_chan_of names one): every
 * send and close sits in a function of the package that
 * lh_rule_func_may_run says never runs. False when the field is handed on
 * anywhere, or when starter (the FuncDecl holding the go statement) sends
 * or closes: it runs whenever the goroutine exists. *closer gets the name
 * of such a function (NULL when there are no sends or closes at all). */
bool lh_rule_field_chan_dead(lh_rule_ctx *c, const lh_obj *type, lh_str name, const lh_node *starter,
                             lh_str *closer);

/* Frees a package's index (NULL: none). */
void lh_pkg_index_free(struct lh_pkg_index *x);

#endif
