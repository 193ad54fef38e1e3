/* Positions as go vet reports them: go/token's adjusted positions, with the
 * file's line directives applied (//line file:line[:col] at the start of a
 * line, or the same text in a block comment anywhere). Everything else in
 * leakhound keeps raw positions (the AST, the dump, suppressions,
 * fingerprints); this is for what a finding prints. */
#ifndef LH_GO_LINEDIR_H
#define LH_GO_LINEDIR_H

#include <stdbool.h>
#include <stdint.h>

#include "go/ast.h"
#include "util/buf.h"

/* The position of byte offset off of f (whose path names it as the loader
 * does) after f's line directives. False when no directive applies: the
 * raw position stands. Otherwise *file is set to the directive's file name
 * (NUL-terminated, in file; "" when the directive names none and has no
 * column: go/token's empty name), *line to the adjusted line and *col to
 * the adjusted column, 0 when unknown (a directive without :col makes
 * every column after it unknown, as go/token does). */
bool lh_file_adjusted_pos(const lh_file *f, uint32_t off, lh_buf *file, uint32_t *line,
                          uint32_t *col);

/* Go's path.Clean of p[0..n) into out (appended, NUL-terminated). */
void lh_path_clean(lh_buf *out, const char *p, size_t n);

#endif
