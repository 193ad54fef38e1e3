#include "util/duration.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    uint64_t ns;
} units[] = {
    {"ns", 1},
    {"us", 1000},
    {"\xc2\xb5s", 1000},    /* U+00B5 micro sign */
    {"\xce\xbcs", 1000},    /* U+03BC Greek mu */
    {"ms", 1000000},
    {"s", 1000000000},
    {"m", 60ull * 1000000000},
    {"h", 3600ull * 1000000000},
};

int lh_duration_parse(const char *s, int64_t *ns, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    bool neg = false;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    if (strcmp(s, "0") == 0) {
        *ns = 0;
        return 0;
    }
    if (!*s) {
        *why = "not a duration";
        return -1;
    }
    /* The limit is 2^63 for a negative duration, 2^63-1 for a positive. */
    const uint64_t limit = neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1;
    uint64_t total = 0;
    while (*s) {
        if (!(*s == '.' || (*s >= '0' && *s <= '9'))) {
            *why = "not a duration";
            return -1;
        }
        uint64_t whole = 0;
        bool digits = false, big = false;
        for (; *s >= '0' && *s <= '9'; s++, digits = true) {
            if (whole > (UINT64_MAX - 9) / 10)
                big = true;
            else
                whole = whole * 10 + (uint64_t)(*s - '0');
        }
        /* Digits past what a double keeps add nothing; skip them. */
        double frac = 0, scale = 1;
        if (*s == '.') {
            for (s++; *s >= '0' && *s <= '9'; s++, digits = true)
                if (scale < 1e18) {
                    frac = frac * 10 + (*s - '0');
                    scale *= 10;
                }
        }
        if (!digits) {
            *why = "not a duration";
            return -1;
        }
        size_t ulen = strcspn(s, ".0123456789");
        if (ulen == 0) {
            *why = "missing unit";
            return -1;
        }
        uint64_t unit = 0;
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
            if (strlen(units[i].name) == ulen && strncmp(s, units[i].name, ulen) == 0)
                unit = units[i].ns;
        if (!unit) {
            *why = "unknown unit";
            return -1;
        }
        s += ulen;
        if (big || whole > limit / unit) {
            *why = "overflow";
            return -1;
        }
        uint64_t v = whole * unit;
        if (frac > 0) {
            double f = frac * ((double)unit / scale);
            if (f >= (double)(limit - v) + 1) {
                *why = "overflow";
                return -1;
            }
            v += (uint64_t)f;
        }
        if (v > limit - total) {
            *why = "overflow";
            return -1;
        }
        total += v;
    }
    *ns = neg ? (int64_t)(0 - total) : (int64_t)total;
    return 0;
}

/* A fraction of prec digits, trailing zeros dropped, after a point. */
static void put_frac(char *out, size_t outlen, uint64_t frac, int prec)
{
    char digits[16];
    snprintf(digits, sizeof digits, "%0*llu", prec, (unsigned long long)frac);
    int n = prec;
    while (n > 0 && digits[n - 1] == '0')
        n--;
    out[0] = '\0';
    if (n)
        snprintf(out, outlen, ".%.*s", n, digits);
}

char *lh_duration_format(int64_t ns, char *out, size_t outlen)
{
    uint64_t u = ns < 0 ? 0 - (uint64_t)ns : (uint64_t)ns;
    const char *sign = ns < 0 ? "-" : "";
    char frac[16];
    if (u == 0) {
        snprintf(out, outlen, "0s");
    } else if (u < 1000) {
        snprintf(out, outlen, "%s%lluns", sign, (unsigned long long)u);
    } else if (u < 1000000) {
        put_frac(frac, sizeof frac, u % 1000, 3);
        snprintf(out, outlen, "%s%llu%s\xc2\xb5s", sign, (unsigned long long)(u / 1000), frac);
    } else if (u < 1000000000) {
        put_frac(frac, sizeof frac, u % 1000000, 6);
        snprintf(out, outlen, "%s%llu%sms", sign, (unsigned long long)(u / 1000000), frac);
    } else {
        uint64_t sec = u / 1000000000, h = sec / 3600, m = sec / 60 % 60;
        put_frac(frac, sizeof frac, u % 1000000000, 9);
        if (h)
            snprintf(out, outlen, "%s%lluh%llum%llu%ss", sign, (unsigned long long)h,
                     (unsigned long long)m, (unsigned long long)(sec % 60), frac);
        else if (m)
            snprintf(out, outlen, "%s%llum%llu%ss", sign, (unsigned long long)m,
                     (unsigned long long)(sec % 60), frac);
        else
            snprintf(out, outlen, "%s%llu%ss", sign, (unsigned long long)sec, frac);
    }
    return out;
}

const char *lh_plural(long long n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}
