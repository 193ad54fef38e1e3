/* libFuzzer harness for the Go parser: any bytes must parse (accepted or
 * rejected) without a crash, and an accepted file's tree must survive a
 * walk and a dump. Nesting bombs must end in the parser's own depth error,
 * not a stack overflow: the default stack budget is what the harness runs
 * with, as `leakhound parse` on a thread without lh_parse_run_deep would. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "go/ast.h"
#include "go/diag.h"
#include "go/dump.h"
#include "go/parse.h"
#include "util/arena.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool count_node(lh_node *n, lh_node *parent, void *ctx)
{
    (void)n;
    (void)parent;
    (*(size_t *)ctx)++;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *src = malloc(size + 1);
    if (!src)
        return 0;
    memcpy(src, data, size);
    src[size] = '\0';

    lh_arena arena;
    lh_arena_init(&arena);
    lh_diag_list errs;
    lh_diag_init(&errs, &arena);
    lh_file *f = lh_parse_file(&arena, "fuzz.go", src, size, &errs);
    if (!f)
        __builtin_trap();

    /* A rejected file's tree is partial but must still be well formed. */
    size_t nodes = 0;
    lh_ast_walk(&f->n, count_node, NULL, &nodes);
    lh_buf out = LH_BUF_INIT;
    if (errs.len == 0) {
        lh_dump_file(f, &out);
    } else {
        lh_diag_sort(&errs);
        lh_diag_format(&errs, "fuzz.go", 0, &out);
    }
    lh_buf_free(&out);

    lh_arena_free(&arena);
    free(src);
    return 0;
}
