/* Prints leakhound's tokens, comments and errors for each file in the
 * form tests/lexdiff/gotok.go prints go/scanner's (tests/t_lex_diff.sh). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "go/lex.h"
#include "util/fs.h"

static void esc(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\')
            putchar(c);
        else
            printf("\\x%02x", c);
    }
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        char *data;
        size_t len;
        char err[256];
        if (lh_read_file(argv[i], 1 << 30, &data, &len, err, sizeof err) != 0) {
            fprintf(stderr, "%s: %s\n", argv[i], err);
            return 2;
        }
        lh_arena a;
        lh_arena_init(&a);
        lh_diag_list d;
        lh_diag_init(&d, &a);
        lh_lexer lx;
        lh_lex_init(&lx, data, len, &a, &d);
        lx.max_errors = SIZE_MAX;
        printf("== %s\n", argv[i]);
        uint32_t nc = 0;
        for (;;) {
            lh_token t;
            lh_lex_next(&lx, &t);
            for (; nc < lx.comments_len; nc++) {
                lh_comment *c = &lx.comments[nc];
                printf("%u:%u COMMENT \"", c->line, c->col);
                esc(c->text, c->len);
                printf("\"\n");
            }
            if (lh_tok_is_literal(t.kind) || t.kind == LH_TOK_SEMICOLON) {
                printf("%u:%u %s \"", t.line, t.col, lh_tok_string(t.kind));
                esc(t.lit, t.len);
                printf("\"\n");
            } else {
                printf("%u:%u %s\n", t.line, t.col, lh_tok_string(t.kind));
            }
            if (t.kind == LH_TOK_EOF)
                break;
        }
        lh_diag_sort(&d);
        for (size_t j = 0; j < d.len; j++)
            printf("ERR %u:%u: %s\n", d.items[j].line, d.items[j].col, d.items[j].msg);
        lh_arena_free(&a);
        free(data);
    }
    return 0;
}
