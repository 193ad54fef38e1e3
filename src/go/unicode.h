/* The two Unicode predicates go/scanner needs, and UTF-8 decoding with
 * Go's rules (utf8.DecodeRune): the lexer must agree with Go byte for byte
 * on what is a letter and what is invalid UTF-8. */
#ifndef LH_GO_UNICODE_H
#define LH_GO_UNICODE_H

#include <stdbool.h>
#include <stdint.h>

/* unicode.IsLetter / unicode.IsDigit for r >= 0x80 (tables generated from
 * Go's unicode package, see scripts/gen_go_unicode.go). */
bool lh_unicode_is_letter(uint32_t r);
bool lh_unicode_is_digit(uint32_t r);

#define LH_RUNE_ERROR 0xFFFDu

/* Decodes the rune at s (s[0] >= 0x80) as utf8.DecodeRune does: invalid or
 * truncated sequences, surrogates and overlong forms give LH_RUNE_ERROR with
 * *width 1. Stops at a NUL byte, so a NUL-terminated buffer is never
 * overrun. */
static inline uint32_t lh_utf8_decode(const unsigned char *s, int *width)
{
    unsigned c = s[0];
    *width = 1;
    if (c < 0xC2 || c > 0xF4)
        return c < 0x80 ? c : LH_RUNE_ERROR;
    unsigned lo = 0x80, hi = 0xBF;
    if (c == 0xE0)
        lo = 0xA0;
    else if (c == 0xED)
        hi = 0x9F;
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    if (s[1] < lo || s[1] > hi)
        return LH_RUNE_ERROR;
    if (c < 0xE0) {
        *width = 2;
        return (c & 0x1F) << 6 | (s[1] & 0x3F);
    }
    if ((s[2] & 0xC0) != 0x80)
        return LH_RUNE_ERROR;
    if (c < 0xF0) {
        *width = 3;
        return (c & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    }
    if ((s[3] & 0xC0) != 0x80)
        return LH_RUNE_ERROR;
    *width = 4;
    return (uint32_t)(c & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
           (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
}

#endif
