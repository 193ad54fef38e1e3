/* Growable byte buffer: the one way output text is built before it is
 * written (to stdout, or atomically to a file). */
#ifndef LH_UTIL_BUF_H
#define LH_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

typedef struct lh_buf {
    char *data;     /* always NUL-terminated when len > 0 or after any append */
    size_t len, cap;
} lh_buf;

#define LH_BUF_INIT {NULL, 0, 0}

void lh_buf_reserve(lh_buf *b, size_t extra);
void lh_buf_append(lh_buf *b, const void *p, size_t n);
void lh_buf_puts(lh_buf *b, const char *s);
void lh_buf_putc(lh_buf *b, char c);
void lh_buf_printf(lh_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void lh_buf_vprintf(lh_buf *b, const char *fmt, va_list ap);
/* JSON string literal, quotes included; invalid UTF-8 bytes become U+FFFD. */
void lh_buf_json_str(lh_buf *b, const char *s, size_t n);
/* Text for HTML content or a quoted attribute value: & < > " ' as
 * references; control characters other than tab and newline, and invalid
 * UTF-8 bytes, become U+FFFD so the page stays well-formed. */
void lh_buf_html_str(lh_buf *b, const char *s, size_t n);
void lh_buf_clear(lh_buf *b);
void lh_buf_free(lh_buf *b);
/* Writes the whole buffer; returns 0 or -1 with errno set. */
int lh_buf_write(const lh_buf *b, FILE *f);

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0 when the
 * bytes there are not one (overlong forms and surrogates included). */
size_t lh_utf8_valid_len(const unsigned char *s, size_t n);
/* Appends the UTF-8 sequence at s (n bytes left), or U+FFFD when the byte
 * there starts none; returns the bytes consumed (at least 1). */
size_t lh_buf_put_utf8(lh_buf *b, const char *s, size_t n);

#endif
