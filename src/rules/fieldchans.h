/* Channels kept in unexported struct fields (fieldchans.c): the goroutine
 * rules' facts about them, package-wide. An unexported field of a type of
 * this package -- or any field of a type of package main, which nothing
 * imports -- is reached only by this package's code, so when the package
 * neither sends on it nor closes it, nobody does. */
#ifndef LH_RULES_FIELDCHANS_H
#define LH_RULES_FIELDCHANS_H

#include "rules/rule.h"
#include "sema/chans.h"

typedef struct lh_field_chan {
    const lh_obj *type;         /* the struct type */
    lh_str name;                /* the field */
    lh_chan_use all;            /* every use in the package */
} lh_field_chan;

/* A goroutine touching the field: the go statement, its file, and what
 * its code (a literal's body, or the package's function or method it
 * runs) does with the field. */
typedef struct lh_field_go {
    const lh_load_file *file;
    lh_node *go;
    lh_node *loop;              /* innermost loop around the go statement */
    lh_chan_use use;
} lh_field_go;

typedef void (*lh_field_chan_fn)(lh_rule_ctx *c, const lh_field_chan *f, const lh_field_go *g,
                                 void *ctx);

/* Calls visit for every go statement of the package whose code touches an
 * unexported channel field of a struct type of the package, when no use
 * of that field in the package hands it on. */
void lh_rule_each_field_chan(lh_rule_ctx *c, lh_field_chan_fn visit, void *ctx);

/* The unexported channel field (of a struct type of this package) that
 * the selector x.f names, when only this package can reach it: fills
 * *type and *name. */
bool lh_rule_field_chan_of(lh_rule_ctx *c, const lh_node *sel, const lh_obj **type, lh_str *name);

/* Calls visit for every channel field of the package's package-level
 * struct types that only this package reaches (unexported, or any field
 * of package main), embedded ones aside, in scope order: the fields
 * lh_rule_field_chan_of names, but for types declared in functions. */
typedef void (*lh_pkg_chan_field_fn)(void *ctx, const lh_obj *type, lh_str name);
void lh_rule_each_pkg_chan_field(lh_rule_ctx *c, lh_pkg_chan_field_fn visit, void *ctx);

/* Frees what lh_rule_each_field_chan computed for a package (NULL: none). */
void lh_field_chans_free(struct lh_field_chans *fc);

#endif
