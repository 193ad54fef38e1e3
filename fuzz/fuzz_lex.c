/* libFuzzer harness for the Go lexer: any bytes must lex to EOF without a
 * crash, a hang or a sanitizer report, and every token must stay inside the
 * input. The literal decoders run on whatever literals come out, malformed
 * ones included. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "go/diag.h"
#include "go/lex.h"
#include "util/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The lexer's contract: src[len] == '\0'. An exact-size copy lets ASan
     * see any read past the sentinel. */
    char *src = malloc(size + 1);
    if (!src)
        return 0;
    memcpy(src, data, size);
    src[size] = '\0';

    lh_arena arena;
    lh_arena_init(&arena);
    lh_diag_list diags;
    lh_diag_init(&diags, &arena);
    lh_lexer lx;
    lh_lex_init(&lx, src, size, &arena, &diags);

    /* Every token but an automatic semicolon consumes a byte, and no two
     * automatic semicolons come in a row: more tokens than this is a loop. */
    size_t budget = 2 * size + 4, last_off = 0;
    lh_token tok;
    do {
        lh_lex_next(&lx, &tok);
        if (budget-- == 0 || tok.off > size || tok.end > size || tok.off < last_off)
            __builtin_trap();
        last_off = tok.off;
        if (tok.kind == LH_TOK_STRING || tok.kind == LH_TOK_CHAR) {
            const char *v;
            size_t n;
            if (lh_lex_unquote(&arena, tok.lit, tok.len, &v, &n) && n && !v)
                __builtin_trap();
        } else if (tok.kind == LH_TOK_INT) {
            uint64_t v;
            (void)lh_lex_int_value(tok.lit, tok.len, &v);
        }
    } while (tok.kind != LH_TOK_EOF);
    /* Once at EOF it stays there. */
    lh_lex_next(&lx, &tok);
    if (tok.kind != LH_TOK_EOF)
        __builtin_trap();

    lh_arena_free(&arena);
    free(src);
    return 0;
}
