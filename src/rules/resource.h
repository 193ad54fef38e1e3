/* Shared by the resource rules (resource.c): what a resource rule states,
 * and the driver that checks it. */
#ifndef LH_RULES_RESOURCE_H
#define LH_RULES_RESOURCE_H

#include <stdio.h>

#include "rules/rule.h"
#include "sema/flow.h"

typedef struct lh_res_spec {
    /* The call creates a resource: a display name for messages
     * ("http.Get"), else NULL. */
    const char *(*source)(lh_rule_ctx *c, const lh_call_expr *call);
    const lh_flow_kind *kind;
    const char *noun;           /* "the response body" */
    const char *verb;           /* "closed" */
    const char *release_text;   /* "resp.Body.Close()" in "... without X" */
    const char *fix;            /* "defer resp.Body.Close() after the error check" */
} lh_res_spec;

void lh_rule_check_resources(lh_rule_ctx *c, const lh_res_spec *spec);

/* Frees the statements lh_rule_check_resources found (NULL: none). */
void lh_res_sites_free(struct lh_res_sites *s);

/* A table of standard-library functions and methods that create a
 * resource; terminated by a NULL name. */
typedef struct lh_res_source {
    const char *path, *type, *name;     /* type NULL: a function */
    const char *display;                /* "http.Get", "(*sql.DB).Query" */
} lh_res_source;

const char *lh_rule_callee_name(lh_rule_ctx *c, const lh_call_expr *call,
                                const lh_res_source *table);

#endif
