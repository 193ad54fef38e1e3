#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lh_buf_reserve(lh_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) {
        fprintf(stderr, "leakhound: out of memory (%zu bytes)\n", cap);
        abort();
    }
    b->data = d;
    b->cap = cap;
}

void lh_buf_append(lh_buf *b, const void *p, size_t n)
{
    lh_buf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void lh_buf_puts(lh_buf *b, const char *s) { lh_buf_append(b, s, strlen(s)); }

void lh_buf_putc(lh_buf *b, char c)
{
    lh_buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void lh_buf_vprintf(lh_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0) {
        va_end(ap2);
        return;
    }
    if ((size_t)n < sizeof small) {
        lh_buf_append(b, small, (size_t)n);
    } else {
        lh_buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
}

void lh_buf_printf(lh_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lh_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* Length of a valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_valid_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80)
        return 1;
    if ((c & 0xe0) == 0xc0) { len = 2; min = 0x80; c &= 0x1f; }
    else if ((c & 0xf0) == 0xe0) { len = 3; min = 0x800; c &= 0x0f; }
    else if ((c & 0xf8) == 0xf0) { len = 4; min = 0x10000; c &= 0x07; }
    else return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    return len;
}

/* Appends the character at s (ASCII or a UTF-8 sequence), or U+FFFD for an
 * invalid byte; returns the bytes consumed. */
static size_t put_utf8(lh_buf *b, const unsigned char *s, size_t n)
{
    size_t len = utf8_valid_len(s, n);
    if (len == 0) {
        lh_buf_puts(b, "\xef\xbf\xbd");
        return 1;
    }
    lh_buf_append(b, s, len);
    return len;
}

void lh_buf_json_str(lh_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    lh_buf_putc(b, '"');
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        if (c == '"' || c == '\\') {
            lh_buf_putc(b, '\\');
            lh_buf_putc(b, (char)c);
            i++;
        } else if (c < 0x20) {
            switch (c) {
            case '\n': lh_buf_puts(b, "\\n"); break;
            case '\t': lh_buf_puts(b, "\\t"); break;
            case '\r': lh_buf_puts(b, "\\r"); break;
            default: lh_buf_printf(b, "\\u%04x", c);
            }
            i++;
        } else {
            i += put_utf8(b, p + i, n - i);
        }
    }
    lh_buf_putc(b, '"');
}

void lh_buf_html_str(lh_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        const char *ref = NULL;
        switch (c) {
        case '&': ref = "&amp;"; break;
        case '<': ref = "&lt;"; break;
        case '>': ref = "&gt;"; break;
        case '"': ref = "&quot;"; break;
        case '\'': ref = "&#39;"; break;
        }
        if (ref) {
            lh_buf_puts(b, ref);
            i++;
        } else if (c == '\n' || c == '\t') {
            lh_buf_putc(b, (char)c);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            /* NUL and the other controls are parse errors in HTML. */
            lh_buf_puts(b, "\xef\xbf\xbd");
            i++;
        } else {
            i += put_utf8(b, p + i, n - i);
        }
    }
}

void lh_buf_clear(lh_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void lh_buf_free(lh_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int lh_buf_write(const lh_buf *b, FILE *f)
{
    if (b->len && fwrite(b->data, 1, b->len, f) != b->len)
        return -1;
    return 0;
}

size_t lh_utf8_valid_len(const unsigned char *s, size_t n)
{
    return utf8_valid_len(s, n);
}

size_t lh_buf_put_utf8(lh_buf *b, const char *s, size_t n)
{
    return put_utf8(b, (const unsigned char *)s, n);
}
