/* The Go parser: source bytes -> lh_file (go/ast's shape, see ast.h).
 *
 * It accepts exactly what go/parser (Go 1.25 and 1.26) accepts (with
 * ParseComments and SkipObjectResolution) and builds the same tree; the
 * differential test tests/t_parse_diff.sh holds it to that. Syntax errors
 * are recovered from as go/parser does (skip to the next statement or
 * declaration keyword and go on); like go/parser it gives up after more
 * than ten errors.
 *
 * Nesting: go/parser stops at 100000 nested expressions, statements or types
 * ("exceeded max nesting depth"); so does this parser, provided the calling
 * thread has the stack for it. The parser also watches its own stack use and
 * reports the same error when it would exceed the thread's budget (default
 * LH_PARSE_DEFAULT_STACK: the caller must have that much free stack, as main
 * threads and glibc's default 8 MiB thread stacks do), so a nesting bomb is
 * an error and never a crash. About 430 bytes of stack per nesting level
 * (-O2); the default budget reaches roughly 8000 levels, plenty for real code. To get go/parser's full depth run the parse through
 * lh_parse_run_deep(), which provides an LH_PARSE_STACK_SIZE stack. */
#ifndef LH_GO_PARSE_H
#define LH_GO_PARSE_H

#include <stddef.h>

#include "go/ast.h"
#include "go/diag.h"
#include "util/arena.h"

enum { LH_PARSE_MAX_NEST = 100000 };
#define LH_PARSE_STACK_SIZE ((size_t)512 << 20)
#define LH_PARSE_DEFAULT_STACK ((size_t)4 << 20)

/* Parses one file. src[len] must be '\0' (lh_read_file provides it) and src
 * must outlive the tree: names and literals point into it. Nodes, lists and
 * messages go to arena (one arena per file, reset between files). Syntax
 * errors (the lexer's and the parser's) are appended to errs in the order
 * found, unsorted; the file is rejected iff errs grew. Never returns NULL:
 * after errors the tree is partial but well formed (Bad* nodes stand in for
 * what could not be parsed). path is only recorded in the result.
 *
 * Reentrant: no globals, so threads may parse files in parallel, each with
 * its own arena and error list. */
lh_file *lh_parse_file(lh_arena *arena, const char *path, const char *src, size_t len,
                       lh_diag_list *errs);

/* How much C stack the calling thread lets the parser use (bytes from the
 * point lh_parse_file is entered). Thread-local; 0 restores the default. */
void lh_parse_set_stack_budget(size_t bytes);

/* Runs fn(arg) on a new thread with an LH_PARSE_STACK_SIZE stack (reserved
 * address space; only touched pages cost memory) and a matching stack budget,
 * and waits for it. Returns 0, or -1 when no such thread could be made, in
 * which case fn ran on the calling thread with the default budget. */
int lh_parse_run_deep(void (*fn)(void *), void *arg);

#endif
