/* The canonical AST dump (docs/ast-dump.md): the text both `leakhound parse
 * --dump` and the go/parser oracle print, compared byte for byte. */
#ifndef LH_GO_DUMP_H
#define LH_GO_DUMP_H

#include "go/ast.h"
#include "util/buf.h"

/* Appends the File node and the Comments section (not the "== path" line).
 * Recursive: a tree as deep as go/parser allows needs the stack that
 * lh_parse_run_deep() provides. */
void lh_dump_file(const lh_file *f, lh_buf *out);

/* Appends one node and its fields, the node line labelled label (NULL: no
 * label) at indent spaces. For tests and debugging. */
void lh_dump_node(const lh_node *n, const char *label, int indent, lh_buf *out);

#endif
