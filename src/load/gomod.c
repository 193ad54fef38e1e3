/* go.mod reading: a line scanner over go.mod's lexical rules (words, quoted
 * strings, parentheses, // comments), enough to pick out three directives;
 * and the go command's toolchain selection, reduced to release numbers. */
#include "load/gomod.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

typedef struct word {
    const char *s;
    size_t n;
    bool quoted;
} word;

/* Splits one line into words; stops at a // comment. Returns the count. */
static size_t split_line(const char *p, const char *end, word *w, size_t max)
{
    size_t n = 0;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
            p++;
        if (p == end || (end - p >= 2 && p[0] == '/' && p[1] == '/'))
            break;
        word x = {p, 0, false};
        if (*p == '"' || *p == '`') {
            char q = *p++;
            x.s = p;
            while (p < end && *p != q) {
                if (q == '"' && *p == '\\' && p + 1 < end)
                    p++;
                p++;
            }
            x.n = (size_t)(p - x.s);
            x.quoted = true;
            if (p < end)
                p++;
        } else if (*p == '(' || *p == ')') {
            x.n = 1;
            p++;
        } else {
            while (p < end && *p != ' ' && *p != '\t' && *p != '\r' && *p != '(' &&
                   *p != ')' && !(end - p >= 2 && p[0] == '/' && p[1] == '/'))
                p++;
            x.n = (size_t)(p - x.s);
        }
        if (n < max)
            w[n] = x;
        n++;
    }
    return n < max ? n : max;
}

/* The words of the line at *p, which then moves to the next line. */
static size_t next_line(const char **p, const char *end, word *w, size_t max)
{
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    size_t n = split_line(*p, nl ? nl : end, w, max);
    *p = nl ? nl + 1 : end;
    return n;
}

static bool is(const word *w, const char *z)
{
    return !w->quoted && strlen(z) == w->n && memcmp(w->s, z, w->n) == 0;
}

static void copy_word(char *dst, size_t cap, const word *w)
{
    size_t n = w->n < cap - 1 ? w->n : cap - 1;
    memcpy(dst, w->s, n);
    dst[n] = '\0';
}

int lh_gomod_parse(const char *src, size_t len, lh_gomod *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *p = src, *end = src + len;
    const char *block = NULL;       /* the verb of the open ( ... ) block */
    bool have_module = false;
    while (p < end) {
        word w[4];
        size_t n = next_line(&p, end, w, 4);
        if (n == 0)
            continue;
        if (block) {
            if (is(&w[0], ")")) {
                block = NULL;
            } else if (strcmp(block, "module") == 0 && !have_module) {
                copy_word(out->module, sizeof out->module, &w[0]);
                have_module = true;
            }
            continue;
        }
        if (n >= 2 && is(&w[1], "(")) {
            block = is(&w[0], "module") ? "module" : "other";
            continue;
        }
        if (is(&w[0], "module")) {
            if (n < 2 || w[1].n == 0) {
                snprintf(err, errlen, "module directive without a path");
                return -1;
            }
            copy_word(out->module, sizeof out->module, &w[1]);
            have_module = true;
        } else if (is(&w[0], "go") && n >= 2) {
            copy_word(out->go, sizeof out->go, &w[1]);
        } else if (is(&w[0], "toolchain") && n >= 2) {
            copy_word(out->toolchain, sizeof out->toolchain, &w[1]);
        }
    }
    if (!have_module || out->module[0] == '\0') {
        snprintf(err, errlen, "no module declaration");
        return -1;
    }
    return 0;
}

void lh_gowork_uses(const char *src, size_t len, void (*fn)(void *ctx, const char *dir),
                    void *ctx)
{
    const char *p = src, *end = src + len;
    bool in_use = false, in_other = false;
    char dir[4096];
    while (p < end) {
        word w[4];
        size_t n = next_line(&p, end, w, 4);
        if (n == 0)
            continue;
        if (in_use || in_other) {
            if (is(&w[0], ")")) {
                in_use = in_other = false;
            } else if (in_use) {
                copy_word(dir, sizeof dir, &w[0]);
                fn(ctx, dir);
            }
            continue;
        }
        if (n >= 2 && is(&w[1], "(")) {
            in_use = is(&w[0], "use");
            in_other = !in_use;
        } else if (n >= 2 && is(&w[0], "use")) {
            copy_word(dir, sizeof dir, &w[1]);
            fn(ctx, dir);
        }
    }
}

int lh_gowork_find(const char *cwd, const char *gowork, char *out, size_t outlen)
{
    struct stat st;
    if (gowork && strcmp(gowork, "off") == 0)
        return 0;
    if (gowork && *gowork) {
        if (gowork[0] == '/')
            snprintf(out, outlen, "%s", gowork);
        else
            snprintf(out, outlen, "%s/%s", cwd, gowork);
        return stat(out, &st) == 0 && S_ISREG(st.st_mode);
    }
    char cur[4096];
    if (snprintf(cur, sizeof cur, "%s", cwd) >= (int)sizeof cur)
        return 0;
    for (;;) {
        snprintf(out, outlen, "%s/go.work", strcmp(cur, "/") == 0 ? "" : cur);
        if (stat(out, &st) == 0 && S_ISREG(st.st_mode))
            return 1;
        char *slash = strrchr(cur, '/');
        if (!slash || strcmp(cur, "/") == 0)
            return 0;
        if (slash == cur)
            cur[1] = '\0';
        else
            *slash = '\0';
    }
}

int lh_gomod_find_root(const char *dir, char *root, size_t rootlen)
{
    char cur[4096];
    if (snprintf(cur, sizeof cur, "%s", dir) >= (int)sizeof cur)
        return 0;
    for (;;) {
        char path[4200];
        struct stat st;
        snprintf(path, sizeof path, "%s/go.mod", strcmp(cur, "/") == 0 ? "" : cur);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            snprintf(root, rootlen, "%s", cur);
            return 1;
        }
        char *slash = strrchr(cur, '/');
        if (!slash || strcmp(cur, "/") == 0)
            return 0;
        if (slash == cur)
            cur[1] = '\0';
        else
            *slash = '\0';
    }
}

/* Digits at *p: their value (capped), *p advanced; -1 when none. */
static int digits(const char **p)
{
    const char *s = *p;
    int v = 0;
    if (*s < '0' || *s > '9')
        return -1;
    for (; *s >= '0' && *s <= '9'; s++)
        v = v < 100000 ? v * 10 + (*s - '0') : v;
    *p = s;
    return v;
}

int lh_gomod_minor(const char *s, int toolchain)
{
    char buf[64];
    if (toolchain) {
        /* go1.21.3, go1.21.3-custom, custom-go1.21.3 */
        const char *v = strncmp(s, "go", 2) == 0 ? s + 2 : NULL;
        const char *dash = strstr(s, "-go");
        if (!v && dash)
            v = dash + 3;
        if (!v)
            return 0;
        snprintf(buf, sizeof buf, "%s", v);
        char *cut = strchr(buf, '-');
        if (cut)
            *cut = '\0';
        s = buf;
    }
    const char *p = s;
    if (digits(&p) != 1 || *p != '.')
        return 0;
    p++;
    int minor = digits(&p);
    if (minor < 0)
        return 0;
    /* the rest: nothing, .PATCH, rcN or betaN */
    if (*p == '.') {
        p++;
        if (digits(&p) < 0)
            return 0;
    } else if (strncmp(p, "rc", 2) == 0 || strncmp(p, "beta", 4) == 0) {
        p += *p == 'r' ? 2 : 4;
        if (digits(&p) < 0)
            return 0;
    }
    return *p == '\0' ? minor : 0;
}

int lh_gomod_release(const lh_gomod *m, const char *gotoolchain)
{
    const char *gt = gotoolchain && *gotoolchain ? gotoolchain : "auto";
    int min = 0;
    bool upgrade = true;
    if (strcmp(gt, "auto") != 0 && strcmp(gt, "path") != 0) {
        const char *plus = strchr(gt, '+');
        char name[64];
        size_t n = plus ? (size_t)(plus - gt) : strlen(gt);
        snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), gt);
        if (strcmp(name, "local") != 0)
            min = lh_gomod_minor(name, 1);
        /* A bare name pins the toolchain; the go command refuses the
         * malformed ones, which leave go.mod to decide here. */
        upgrade = plus || min == 0;
    }
    if (!upgrade || !m)
        return min;
    if (strcmp(m->toolchain, "default") == 0)
        return min;
    int tc = m->toolchain[0] ? lh_gomod_minor(m->toolchain, 1) : 0;
    int go = m->go[0] ? lh_gomod_minor(m->go, 0) : 0;
    if (tc > min)
        min = tc;
    if (go > min)
        min = go;
    return min;
}
