#include "go/dump.h"

#include <string.h>

/* The dump of GOROOT is tens of megabytes: lines are built with direct
 * appends, not printf. */

static void put_spaces(lh_buf *b, int n)
{
    static const char sp[] = "                                                                ";
    while (n > 0) {
        int k = n < 64 ? n : 64;
        lh_buf_append(b, sp, (size_t)k);
        n -= k;
    }
}

static void put_uint(lh_buf *b, uint32_t v)
{
    char tmp[12];
    int i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    lh_buf_append(b, tmp + i, sizeof tmp - (size_t)i);
}

static void put_pos(lh_buf *b, lh_pos pos)
{
    if (pos.line == 0) {
        lh_buf_append(b, "@-", 2);
        return;
    }
    lh_buf_putc(b, '@');
    put_uint(b, pos.line);
    lh_buf_putc(b, ':');
    put_uint(b, pos.col);
}

/* Bytes 0x20-0x7e as themselves except '"' and '\\'; the rest as \xHH. */
static void put_quoted(lh_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    lh_buf_reserve(b, n + 2);
    lh_buf_putc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\')
            continue;
        lh_buf_append(b, s + run, i - run);
        run = i + 1;
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            lh_buf_append(b, e, 2);
        } else {
            char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
            lh_buf_append(b, e, 4);
        }
    }
    lh_buf_append(b, s + run, n - run);
    lh_buf_putc(b, '"');
}

static void put_label(lh_buf *b, int indent, const char *label)
{
    put_spaces(b, indent);
    if (label) {
        lh_buf_puts(b, label);
        lh_buf_append(b, ": ", 2);
    }
}

void lh_dump_node(const lh_node *n, const char *label, int indent, lh_buf *b)
{
    put_label(b, indent, label);
    if (!n) {
        lh_buf_append(b, "nil\n", 4);
        return;
    }
    lh_buf_puts(b, lh_ast_kind_name(LH_KIND(n)));
    lh_buf_putc(b, ' ');
    put_pos(b, n->pos);
    lh_buf_putc(b, '\n');

    const lh_ast_kind_info *info = lh_ast_info(LH_KIND(n));
    for (int i = 0; i < info->nfields; i++) {
        const lh_ast_field *fd = &info->fields[i];
        const char *base = (const char *)n + fd->off;
        switch (fd->kind) {
        case LH_FK_NODE:
            lh_dump_node(*(lh_node *const *)base, fd->name, indent + 2, b);
            break;
        case LH_FK_LIST: {
            const lh_list *l = (const lh_list *)base;
            put_label(b, indent + 2, fd->name);
            lh_buf_putc(b, '[');
            put_uint(b, l->n);
            lh_buf_append(b, "]\n", 2);
            for (uint32_t j = 0; j < l->n; j++) {
                char idx[16];
                char *q = idx + sizeof idx;
                *--q = '\0';
                *--q = ']';
                uint32_t v = j;
                do {
                    *--q = (char)('0' + v % 10);
                    v /= 10;
                } while (v);
                *--q = '[';
                lh_dump_node(l->v[j], q, indent + 4, b);
            }
            break;
        }
        case LH_FK_TOK:
            put_label(b, indent + 2, fd->name);
            lh_buf_puts(b, lh_tok_string((lh_tok_kind) * (const uint8_t *)base));
            lh_buf_putc(b, '\n');
            break;
        case LH_FK_STR: {
            const lh_str *s = (const lh_str *)base;
            put_label(b, indent + 2, fd->name);
            put_quoted(b, s->p, s->len);
            lh_buf_putc(b, '\n');
            break;
        }
        case LH_FK_DIR:
            put_label(b, indent + 2, fd->name);
            put_uint(b, *(const uint8_t *)base);
            lh_buf_putc(b, '\n');
            break;
        case LH_FK_POS:
            put_label(b, indent + 2, fd->name);
            put_pos(b, *(const lh_pos *)base);
            lh_buf_putc(b, '\n');
            break;
        }
    }
}

void lh_dump_file(const lh_file *f, lh_buf *b)
{
    lh_dump_node(&f->n, NULL, 0, b);
    lh_buf_append(b, "Comments: [", 11);
    put_uint(b, f->ncomments);
    lh_buf_append(b, "]\n", 2);
    for (uint32_t i = 0; i < f->ncomments; i++) {
        const lh_comment *c = &f->comments[i];
        lh_buf_append(b, "  [", 3);
        put_uint(b, i);
        lh_buf_append(b, "] ", 2);
        put_pos(b, (lh_pos){c->off, c->line, c->col});
        lh_buf_putc(b, ' ');
        put_quoted(b, c->text, c->len);
        lh_buf_putc(b, '\n');
    }
}
