/* The table of rules. A new rule: its file under src/rules/, an extern
 * line and an entry here (kept in id order: `leakhound rules` lists them
 * as they stand), fixtures under tests/testdata/ID/. */
#include <string.h>

#include "rules/rule.h"

extern const lh_rule lh_rule_defer_in_loop;
extern const lh_rule lh_rule_goroutine_blocked_send;
extern const lh_rule lh_rule_goroutine_no_exit;
extern const lh_rule lh_rule_lost_cancel;
extern const lh_rule lh_rule_subslice_retention;
extern const lh_rule lh_rule_ticker_not_stopped;
extern const lh_rule lh_rule_time_after_in_loop;
extern const lh_rule lh_rule_unbounded_cache;
extern const lh_rule lh_rule_unclosed_body;
extern const lh_rule lh_rule_unclosed_file;
extern const lh_rule lh_rule_unbounded_goroutines;
extern const lh_rule lh_rule_unclosed_rows;

const lh_rule *const lh_rules[] = {
    &lh_rule_defer_in_loop,
    &lh_rule_goroutine_blocked_send,
    &lh_rule_goroutine_no_exit,
    &lh_rule_lost_cancel,
    &lh_rule_subslice_retention,
    &lh_rule_ticker_not_stopped,
    &lh_rule_time_after_in_loop,
    &lh_rule_unbounded_cache,
    &lh_rule_unbounded_goroutines,
    &lh_rule_unclosed_body,
    &lh_rule_unclosed_file,
    &lh_rule_unclosed_rows,
    NULL,
};

const lh_rule *lh_rule_find(const char *id)
{
    for (size_t i = 0; lh_rules[i]; i++)
        if (strcmp(lh_rules[i]->id, id) == 0)
            return lh_rules[i];
    return NULL;
}
