/* go/token's adjusted positions: the line directives of a file, read back
 * from its comments (the lexer checked them already: a malformed one is a
 * syntax error, and a file with errors gets no findings), and a raw offset
 * mapped through the last directive at or before it -- go/scanner's
 * updateLineInfo and go/token's File.unpack, by the Go spec's rules for
 * line directives. */
#include <string.h>

#include "go/linedir.h"

typedef struct linedir {
    uint32_t off;           /* where it takes effect: the next line's first
                             * byte (//line) or the byte after the comment */
    uint32_t line, col;     /* col 0: none given */
    lh_buf file;
} linedir;

/* go/scanner's trailingDigits: the digits after the last ':' of s[0..n).
 * Returns the index just past that ':' (0: there is none); *ok when what
 * follows is a decimal number (no sign, no '_') that fits. */
static size_t trailing_digits(const char *s, size_t n, uint64_t *v, bool *ok)
{
    size_t i = n;
    while (i > 0 && s[i - 1] != ':')
        i--;
    *v = 0;
    *ok = false;
    if (i == 0)
        return 0;
    if (i == n)
        return i;
    for (size_t k = i; k < n; k++) {
        if (s[k] < '0' || s[k] > '9' || *v > (UINT64_MAX - 9) / 10)
            return i;
        *v = *v * 10 + (uint64_t)(s[k] - '0');
    }
    *ok = true;
    return i;
}

void lh_path_clean(lh_buf *out, const char *p, size_t n)
{
    size_t base = out->len;
    bool rooted = n > 0 && p[0] == '/';
    if (rooted)
        lh_buf_putc(out, '/');
    size_t dotdot = out->len;   /* ".." may not back up over this */
    for (size_t r = 0; r < n;) {
        if (p[r] == '/') {
            r++;
            continue;
        }
        size_t e = r;
        while (e < n && p[e] != '/')
            e++;
        size_t k = e - r;
        if (k == 1 && p[r] == '.') {
            /* nothing */
        } else if (k == 2 && p[r] == '.' && p[r + 1] == '.') {
            if (out->len > dotdot) {
                size_t w = out->len - 1;
                while (w > dotdot && out->data[w] != '/')
                    w--;
                out->len = w;
            } else if (!rooted) {
                if (out->len > base)
                    lh_buf_putc(out, '/');
                lh_buf_append(out, "..", 2);
                dotdot = out->len;
            }
        } else {
            if (out->len > base + (rooted ? 1 : 0))
                lh_buf_putc(out, '/');
            lh_buf_append(out, p + r, k);
        }
        r = e;
    }
    if (out->len == base)
        lh_buf_putc(out, '.');
    lh_buf_reserve(out, 1);
    out->data[out->len] = '\0';  /* backing up over ".." left bytes past len */
}

/* The directive in comment c, if it is one; *d gets it. Its file name is
 * resolved as go/scanner does: relative to the directory of the file, and
 * an empty one with a column means the name in effect where it stands. */
static bool read_directive(const lh_file *f, const lh_comment *c, const linedir *prev, linedir *d)
{
    bool block;
    if (c->len >= 7 && memcmp(c->text, "//line ", 7) == 0 && c->col == 1)
        block = false;
    else if (c->len >= 9 && memcmp(c->text, "/*line ", 7) == 0 &&
             memcmp(c->text + c->len - 2, "*/", 2) == 0)
        block = true;
    else
        return false;
    const char *text = c->text + 7;
    size_t tn = c->len - 7 - (block ? 2 : 0);
    uint64_t v, v2;
    bool ok, ok2;
    size_t i = trailing_digits(text, tn, &v, &ok);
    if (i == 0 || !ok)
        return false;
    const uint64_t max_line_col = (uint64_t)1 << 30;
    size_t i2 = trailing_digits(text, i - 1, &v2, &ok2);
    uint64_t line = v, col = 0;
    size_t name_end = i - 1;
    if (ok2) {
        line = v2;
        col = v;
        if (col == 0 || col > max_line_col)
            return false;
        name_end = i2 - 1;
    }
    if (line == 0 || line > max_line_col)
        return false;
    if (block) {
        d->off = c->off + c->len;   /* a '\r' inside it would shift this; see the file comment */
    } else {
        if (c->line >= f->nlines)
            return false;           /* at EOF: go/token drops it */
        d->off = f->lines[c->line];
    }
    /* go/token keeps a directive only past the previous one and before EOF. */
    if ((prev && d->off <= prev->off) || d->off >= f->file_end.off)
        return false;
    d->line = (uint32_t)line;
    d->col = (uint32_t)col;
    lh_buf_clear(&d->file);
    if (name_end == 0 && ok2) {
        const char *cur = prev && c->off >= prev->off ? prev->file.data : f->path;
        lh_buf_puts(&d->file, cur ? cur : "");
    } else if (name_end > 0) {
        const char *slash = f->path ? strrchr(f->path, '/') : NULL;
        lh_buf dir = LH_BUF_INIT;
        if (text[0] != '/' && slash)
            lh_buf_append(&dir, f->path, (size_t)(slash - f->path) + 1);
        lh_buf_append(&dir, text, name_end);
        lh_path_clean(&d->file, dir.data, dir.len);
        lh_buf_free(&dir);
    }
    lh_buf_reserve(&d->file, 1);
    d->file.data[d->file.len] = '\0';
    return true;
}

bool lh_file_adjusted_pos(const lh_file *f, uint32_t off, lh_buf *file, uint32_t *line,
                          uint32_t *col)
{
    /* The directives before off, last one kept: a finding is rare and a
     * file's comments few, so no table is built. */
    linedir cur = {0, 0, 0, LH_BUF_INIT}, next = {0, 0, 0, LH_BUF_INIT};
    bool have = false;
    for (uint32_t k = 0; k < f->ncomments && f->comments[k].off < off; k++) {
        if (!read_directive(f, &f->comments[k], have ? &cur : NULL, &next))
            continue;
        if (next.off > off)
            break;
        linedir t = cur;
        cur = next;
        next = t;
        have = true;
    }
    lh_buf_free(&next.file);
    if (!have) {
        lh_buf_free(&cur.file);
        return false;
    }
    lh_pos raw = lh_file_pos(f, off), base = lh_file_pos(f, cur.off);
    uint32_t d = raw.line - base.line;
    *line = cur.line + d;
    if (cur.col == 0)
        *col = 0;
    else if (d == 0)
        *col = cur.col + (off - cur.off);
    else
        *col = raw.col;
    lh_buf_puts(file, cur.file.data ? cur.file.data : "");
    lh_buf_free(&cur.file);
    return true;
}
