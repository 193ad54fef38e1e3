#include "cli/flags.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/duration.h"

const char *lh_cli_cmd;

void lh_cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (lh_cli_cmd)
        fprintf(stderr, "leakhound %s: ", lh_cli_cmd);
    else
        fputs("leakhound: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int lh_flag_parse_bool(const char *s, bool *out)
{
    /* strconv.ParseBool's spellings, which the flag package accepts. */
    static const char *const yes[] = {"1", "t", "T", "true", "TRUE", "True"};
    static const char *const no[] = {"0", "f", "F", "false", "FALSE", "False"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcmp(s, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcmp(s, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return -1;
}

int lh_flag_parse_size(const char *s, size_t *out)
{
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno || s[0] == '-')
        return -1;
    unsigned shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    default: break;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end || v == 0 || v > (~0ULL >> shift))
        return -1;
    *out = (size_t)(v << shift);
    return 0;
}

/* The entry one of whose names is name (len bytes), or NULL. */
static const lh_flag *find(const lh_flag *const *tables, const char *name, size_t len)
{
    for (size_t t = 0; tables[t]; t++)
        for (const lh_flag *f = tables[t]; f->names; f++)
            for (const char *n = f->names; *n;) {
                size_t k = strcspn(n, "|");
                if (k == len && strncmp(n, name, len) == 0)
                    return f;
                n += k + (n[k] == '|');
            }
    return NULL;
}

static int bad_value(const char *flag, const char *val, const char *why)
{
    lh_cli_error("invalid value \"%s\" for flag %s: %s", val, flag, why);
    return -1;
}

/* Stores val (NULL for a boolean given bare) into f's destination. */
static int set(const lh_flag *f, const char *flag, const char *val)
{
    bool b = true;
    switch (f->kind) {
    case LH_FLAG_BOOL:
    case LH_FLAG_SET:
        if (val && lh_flag_parse_bool(val, &b) != 0)
            return bad_value(flag, val, "not a boolean (true or false)");
        if (f->kind == LH_FLAG_BOOL)
            *(bool *)f->dst = b;
        else if (b)
            *(int *)f->dst = (int)f->arg;
        return 0;
    case LH_FLAG_STRING:
        *(const char **)f->dst = val;
        return 0;
    case LH_FLAG_COUNT: {
        char *end;
        errno = 0;
        long long x = strtoll(val, &end, 10);
        if (*end || end == val || errno == ERANGE)
            return bad_value(flag, val, "not a whole number");
        if (x < f->arg) {
            char why[64];
            snprintf(why, sizeof why, "less than %lld", f->arg);
            return bad_value(flag, val, why);
        }
        *(long long *)f->dst = x;
        return 0;
    }
    case LH_FLAG_SIZE:
        if (lh_flag_parse_size(val, (size_t *)f->dst) != 0)
            return bad_value(flag, val, "not a size (like 4096, 64k, 256M, 1G)");
        return 0;
    case LH_FLAG_DURATION: {
        int64_t ns;
        const char *why;
        if (lh_duration_parse(val, &ns, &why) != 0) {
            char msg[96];
            snprintf(msg, sizeof msg, "%s in duration (like 2s, 500ms, 1m30s)", why);
            return bad_value(flag, val, msg);
        }
        if (ns < f->arg) {
            char least[LH_DURATION_MAX_TEXT], msg[64];
            snprintf(msg, sizeof msg, "less than %s",
                     lh_duration_format(f->arg, least, sizeof least));
            return bad_value(flag, val, msg);
        }
        *(int64_t *)f->dst = ns;
        return 0;
    }
    case LH_FLAG_CHOICE: {
        const char *w = f->ctx;
        for (int k = 0; *w; k++) {
            size_t n = strcspn(w, "|");
            if (strlen(val) == n && strncmp(w, val, n) == 0) {
                *(int *)f->dst = k;
                return 0;
            }
            w += n + (w[n] == '|');
        }
        char why[160] = "not one of ";
        for (const char *c = f->ctx; *c && strlen(why) + 3 < sizeof why; c++) {
            if (*c == '|')
                strcat(why, ", ");
            else
                strncat(why, c, 1);
        }
        return bad_value(flag, val, why);
    }
    case LH_FLAG_FUNC:
        return f->fn(f->ctx, flag, val);
    }
    return -1;
}

int lh_flags_parse(const char *cmd, const char *usage, const lh_flag *const *tables, int argc,
                   char **argv, char **ops, size_t *nops)
{
    lh_cli_cmd = cmd;
    *nops = 0;
    bool only_operands = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_operands || a[0] != '-' || a[1] == '\0') {
            ops[(*nops)++] = argv[i];
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_operands = true;
            continue;
        }
        const char *name = a + 1 + (a[1] == '-');
        size_t len = strcspn(name, "=");
        if (len == 0 || name[0] == '-') {
            lh_cli_error("bad flag syntax: %s", a);
            return -1;
        }
        const char *val = name[len] == '=' ? name + len + 1 : NULL;
        /* The flag as the user spelled it, for messages. */
        char flag[64];
        snprintf(flag, sizeof flag, "%.*s", (int)(name - a + len), a);
        const lh_flag *f = find(tables, name, len);
        if (!f && ((len == 1 && name[0] == 'h') || (len == 4 && strncmp(name, "help", 4) == 0))) {
            fputs(usage, stdout);
            return 1;
        }
        if (!f) {
            lh_cli_error("flag provided but not defined: %s (see leakhound help %s)", flag, cmd);
            return -1;
        }
        if (!val && f->kind != LH_FLAG_BOOL && f->kind != LH_FLAG_SET) {
            if (i + 1 >= argc) {
                lh_cli_error("flag needs an argument: %s", flag);
                return -1;
            }
            val = argv[++i];
        }
        if (set(f, flag, val) != 0)
            return -1;
    }
    return 0;
}
