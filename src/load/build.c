/* Build constraints as go/build evaluates them (see build.h). The tables
 * below are data, not code: go/build's syslist, and internal/buildcfg's
 * experiment defaults, per Go release. */
#include "load/build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "go/unicode.h"

/* ---- ports ------------------------------------------------------------- */

/* A name of syslist.go and the release that added it (0: before 1.19). */
typedef struct port_name {
    const char *name;
    int since;
} port_name;

static const port_name known_os[] = {
    {"aix", 0}, {"android", 0}, {"darwin", 0}, {"dragonfly", 0}, {"freebsd", 0},
    {"hurd", 0}, {"illumos", 0}, {"ios", 0}, {"js", 0}, {"linux", 0}, {"nacl", 0},
    {"netbsd", 0}, {"openbsd", 0}, {"plan9", 0}, {"solaris", 0}, {"wasip1", 21},
    {"windows", 0}, {"zos", 0}, {NULL, 0},
};
static const char *const unix_os[] = {
    "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios",
    "linux", "netbsd", "openbsd", "solaris", NULL,
};
static const char *const known_arch[] = {
    "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips",
    "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le",
    "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm", NULL,
};

/* ---- experiments ----------------------------------------------------------- */

/* Where a default-on experiment is on: everywhere, where the register ABI
 * is supported, or where DWARF 5 is (not darwin, ios, aix: their linkers
 * and XCOFF lack what it needs). */
enum { ON_ALWAYS, ON_REGABI, ON_DWARF5 };

/* A field of internal/goexperiment.Flags: the releases whose go command
 * knows it (GOEXPERIMENT accepts it) and those that turn it on by default.
 * 1.19, 1.26 and 1.27 are checked against their sources; the releases in
 * between are from their release history. */
typedef struct experiment {
    const char *name;
    int from, to;           /* known in go1.from .. go1.to (to 0: still) */
    int on_from, on_to;     /* on by default (on_from 0: never; on_to 0: still) */
    int where;
} experiment;

static const experiment experiments[] = {
    {"fieldtrack", 19, 0, 0, 0, ON_ALWAYS},
    {"preemptibleloops", 19, 0, 0, 0, ON_ALWAYS},
    {"staticlockranking", 19, 0, 0, 0, ON_ALWAYS},
    {"boringcrypto", 19, 0, 0, 0, ON_ALWAYS},
    {"unified", 19, 20, 20, 20, ON_ALWAYS},
    {"regabiwrappers", 19, 0, 19, 0, ON_REGABI},
    {"regabiargs", 19, 0, 19, 0, ON_REGABI},
    {"heapminimum512kib", 19, 0, 0, 0, ON_ALWAYS},
    {"arenas", 20, 0, 0, 0, ON_ALWAYS},
    {"coverageredesign", 20, 24, 20, 24, ON_ALWAYS},
    {"pagetrace", 21, 23, 0, 0, ON_ALWAYS},
    {"cgocheck2", 21, 0, 0, 0, ON_ALWAYS},
    {"loopvar", 21, 0, 0, 0, ON_ALWAYS},
    {"cacheprog", 21, 23, 0, 0, ON_ALWAYS},
    {"exectracer2", 21, 22, 22, 22, ON_ALWAYS},
    {"allocheaders", 22, 22, 22, 22, ON_ALWAYS},
    {"rangefunc", 22, 23, 0, 0, ON_ALWAYS},
    {"newinliner", 22, 0, 0, 0, ON_ALWAYS},
    {"aliastypeparams", 23, 25, 24, 25, ON_ALWAYS},
    {"swissmap", 23, 25, 24, 25, ON_ALWAYS},
    {"spinbitmutex", 24, 25, 24, 25, ON_ALWAYS},
    {"synchashtriemap", 24, 25, 24, 25, ON_ALWAYS},
    {"synctest", 24, 24, 0, 0, ON_ALWAYS},
    {"dwarf5", 25, 0, 25, 0, ON_DWARF5},
    {"jsonv2", 25, 0, 27, 0, ON_ALWAYS},
    {"greenteagc", 25, 0, 26, 0, ON_ALWAYS},
    {"randomizedheapbase64", 26, 0, 26, 0, ON_ALWAYS},
    {"runtimefreegc", 26, 0, 0, 0, ON_ALWAYS},
    {"sizespecializedmalloc", 26, 0, 27, 0, ON_ALWAYS},
    {"goroutineleakprofile", 26, 26, 0, 0, ON_ALWAYS},
    {"simd", 26, 0, 0, 0, ON_ALWAYS},
    {"runtimesecret", 26, 0, 0, 0, ON_ALWAYS},
    {"mapsplitgroup", 27, 0, 0, 0, ON_ALWAYS},
    {NULL, 0, 0, 0, 0, 0},
};

/* The register ABI by release: where it is always on (GOEXPERIMENT cannot
 * turn it off) and where it is on by default but optional. Each era lasts
 * until the next one's release. */
typedef struct regabi_era {
    int from;
    const char *always[8];
    const char *optional[4];
} regabi_era;

static const regabi_era regabi_eras[] = {
    {19, {"amd64", "arm64", "ppc64", "ppc64le"}, {"riscv64"}},
    {20, {"amd64", "arm64", "ppc64", "ppc64le"}, {"riscv64", "loong64"}},
    {26, {"amd64", "arm64", "loong64", "ppc64", "ppc64le", "riscv64"}, {"s390x"}},
    {27, {"amd64", "arm64", "loong64", "ppc64", "ppc64le", "riscv64", "s390x"}, {NULL}},
};

static bool eqn(const char *s, size_t n, const char *z)
{
    return strlen(z) == n && memcmp(s, z, n) == 0;
}

static bool in_table(const char *const *t, const char *s, size_t n)
{
    for (; *t; t++)
        if (eqn(s, n, *t))
            return true;
    return false;
}

static bool in_list(const char *const *t, size_t max, const char *z)
{
    for (size_t i = 0; i < max && t[i]; i++)
        if (strcmp(t[i], z) == 0)
            return true;
    return false;
}

/* The release c acts as: undecided means the newest. */
static int release_of(const lh_build_ctx *c)
{
    return c->release > 0 ? c->release : LH_BUILD_RELEASE_NEWEST;
}

/* The release whose tables apply: releases outside the known range take
 * the nearest known one's. */
static int table_release(const lh_build_ctx *c)
{
    int r = release_of(c);
    return r < LH_BUILD_RELEASE_OLDEST ? LH_BUILD_RELEASE_OLDEST
           : r > LH_BUILD_RELEASE_NEWEST ? LH_BUILD_RELEASE_NEWEST : r;
}

static const regabi_era *regabi_for(int rel)
{
    const regabi_era *e = &regabi_eras[0];
    for (size_t i = 0; i < sizeof regabi_eras / sizeof regabi_eras[0]; i++)
        if (regabi_eras[i].from <= rel)
            e = &regabi_eras[i];
    return e;
}

static bool known_in(const experiment *e, int rel)
{
    return e->from <= rel && (e->to == 0 || rel <= e->to);
}

static const experiment *find_experiment(const char *s, size_t n, int rel)
{
    for (const experiment *e = experiments; e->name; e++)
        if (eqn(s, n, e->name) && known_in(e, rel))
            return e;
    return NULL;
}

static bool default_on(const lh_build_ctx *c, const experiment *e, int rel)
{
    if (e->on_from == 0 || rel < e->on_from || (e->on_to != 0 && rel > e->on_to))
        return false;
    switch (e->where) {
    case ON_REGABI: {
        const regabi_era *r = regabi_for(rel);
        return in_list(r->always, 8, c->goarch) || in_list(r->optional, 4, c->goarch);
    }
    case ON_DWARF5:
        return strcmp(c->goos, "darwin") != 0 && strcmp(c->goos, "ios") != 0 &&
               strcmp(c->goos, "aix") != 0;
    default:
        return true;
    }
}

/* Calls f for each comma-separated element of GOEXPERIMENT with its name
 * (without "no") and value; "none" comes as name NULL. Stops when f
 * returns false and returns false then. */
typedef bool (*exp_fn)(void *arg, const char *name, size_t n, bool val);

static bool each_goexperiment(const char *s, exp_fn f, void *arg)
{
    for (; s && *s; s += *s == ',') {
        size_t n = strcspn(s, ",");
        const char *name = s;
        s += n;
        if (n == 0)
            continue;
        if (eqn(name, n, "none")) {
            if (!f(arg, NULL, 0, false))
                return false;
            continue;
        }
        bool val = !(n >= 2 && memcmp(name, "no", 2) == 0);
        if (!val)
            name += 2, n -= 2;
        if (!f(arg, name, n, val))
            return false;
    }
    return true;
}

typedef struct exp_query {
    const experiment *e;
    bool on;
} exp_query;

static bool apply_to_query(void *arg, const char *name, size_t n, bool val)
{
    exp_query *q = arg;
    bool regabi = strncmp(q->e->name, "regabi", 6) == 0;
    if (!name)
        q->on = false;
    else if (eqn(name, n, q->e->name) || (regabi && eqn(name, n, "regabi")))
        q->on = val;
    return true;
}

bool lh_build_experiment(const lh_build_ctx *c, const char *name, size_t n)
{
    int rel = table_release(c);
    const experiment *e = find_experiment(name, n, rel);
    if (!e)
        return false;
    exp_query q = {e, default_on(c, e, rel)};
    each_goexperiment(c->goexperiment, apply_to_query, &q);
    if (e->where == ON_REGABI) {
        const regabi_era *r = regabi_for(rel);
        if (in_list(r->always, 8, c->goarch))
            q.on = true;
        else if (!in_list(r->optional, 4, c->goarch))
            q.on = false;
    }
    return q.on;
}

/* ---- architecture feature tags (Go 1.21+) ---------------------------------- */

/* GO<GOARCH>'s value with the release's default and the suffixes the
 * levels may carry (",softfloat", ",lse" ...) cut off. */
static void arch_level(const lh_build_ctx *c, int rel, char *out, size_t cap)
{
    const char *v = c->goarch_level && *c->goarch_level ? c->goarch_level : NULL;
    const char *g = c->goarch;
    if (!v) {
        if (strcmp(g, "386") == 0)
            v = "sse2";
        else if (strcmp(g, "amd64") == 0)
            v = "v1";
        else if (strcmp(g, "arm") == 0)
            /* Cross-compiling toolchains defaulted to ARMv5 until 1.22. */
            v = rel >= 22 || strcmp(c->goos, "android") == 0 ? "7" : "5";
        else if (strcmp(g, "arm64") == 0)
            v = "v8.0";
        else if (strncmp(g, "mips", 4) == 0)
            v = "hardfloat";
        else if (strncmp(g, "ppc64", 5) == 0)
            v = "power8";
        else if (strcmp(g, "riscv64") == 0)
            v = "rva20u64";
        else
            v = "";
    }
    snprintf(out, cap, "%s", v);
    char *comma = strchr(out, ',');
    if (comma && (strcmp(g, "arm") == 0 || strcmp(g, "arm64") == 0))
        *comma = '\0';
}

/* A small number in s[0..n): its value, or -1. */
static int small_num(const char *s, size_t n)
{
    if (n == 0 || n > 3)
        return -1;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Whether feature f[0..n) (the tag after "GOARCH.") is among the tags the
 * go command defines for c's GOARCH and level; -2 when the level itself is
 * not valid (the go command refuses to run). */
static int arch_feature(const lh_build_ctx *c, const char *f, size_t n)
{
    int rel = table_release(c);
    char lv[32];
    arch_level(c, rel, lv, sizeof lv);
    size_t ln = strlen(lv);
    const char *g = c->goarch;
    if (strcmp(g, "386") == 0) {
        if (strcmp(lv, "sse2") != 0 && strcmp(lv, "softfloat") != 0)
            return -2;
        return eqn(f, n, lv);
    }
    if (strcmp(g, "amd64") == 0) {
        int top = ln == 2 && lv[0] == 'v' ? small_num(lv + 1, 1) : -1;
        if (top < 1 || top > 4)
            return -2;
        int k = n >= 2 && f[0] == 'v' ? small_num(f + 1, n - 1) : -1;
        return k >= 1 && k <= top;
    }
    if (strcmp(g, "arm") == 0) {
        int top = small_num(lv, ln);
        if (top < 5 || top > 7)
            return -2;
        int k = small_num(f, n);
        return k >= 5 && k <= top;
    }
    if (strcmp(g, "mips") == 0 || strcmp(g, "mipsle") == 0 || strcmp(g, "mips64") == 0 ||
        strcmp(g, "mips64le") == 0) {
        if (strcmp(lv, "hardfloat") != 0 && strcmp(lv, "softfloat") != 0)
            return -2;
        return eqn(f, n, lv);
    }
    if (strcmp(g, "ppc64") == 0 || strcmp(g, "ppc64le") == 0) {
        int top = ln > 5 && memcmp(lv, "power", 5) == 0 ? small_num(lv + 5, ln - 5) : -1;
        if (top < 8 || top > 10)
            return -2;
        int k = n > 5 && memcmp(f, "power", 5) == 0 ? small_num(f + 5, n - 5) : -1;
        return k >= 8 && k <= top;
    }
    if (rel < 23)       /* GOARM64 and GORISCV64 came with 1.23 */
        return 0;
    if (strcmp(g, "arm64") == 0) {
        /* vM.m: v8.0 .. vM.m; v9.m also implies v8.0 .. v8.(m+5). */
        if (ln != 4 || lv[0] != 'v' || lv[2] != '.' || (lv[1] != '8' && lv[1] != '9') ||
            lv[3] < '0' || lv[3] > '9' || (lv[1] == '9' && lv[3] > '5'))
            return -2;
        if (n != 4 || f[0] != 'v' || f[2] != '.' || f[3] < '0' || f[3] > '9')
            return 0;
        int major = lv[1] - '0', minor = lv[3] - '0', fm = f[3] - '0';
        if (f[1] - '0' == major)
            return fm <= minor;
        return major == 9 && f[1] == '8' && fm <= minor + 5;
    }
    if (strcmp(g, "riscv64") == 0) {
        int top = strcmp(lv, "rva20u64") == 0 ? 20 : strcmp(lv, "rva22u64") == 0 ? 22
                  : strcmp(lv, "rva23u64") == 0 && rel >= 25 ? 23 : -1;
        if (top < 0)
            return -2;
        return eqn(f, n, "rva20u64") || (top >= 22 && eqn(f, n, "rva22u64")) ||
               (top >= 23 && eqn(f, n, "rva23u64"));
    }
    if (strcmp(g, "wasm") == 0 && rel >= 26)
        return eqn(f, n, "satconv") || eqn(f, n, "signext");
    return 0;
}

static bool arch_tag(const lh_build_ctx *c, const char *s, size_t n)
{
    size_t g = strlen(c->goarch);
    if (release_of(c) < 21 || n <= g + 1 || memcmp(s, c->goarch, g) != 0 || s[g] != '.')
        return false;
    return arch_feature(c, s + g + 1, n - g - 1) == 1;
}

/* ---- checks -------------------------------------------------------------- */

typedef struct exp_check {
    int rel;
    char *err;
    size_t errlen;
} exp_check;

static bool check_one(void *arg, const char *name, size_t n, bool val)
{
    (void)val;
    exp_check *k = arg;
    if (!name || eqn(name, n, "regabi") || find_experiment(name, n, k->rel))
        return true;
    snprintf(k->err, k->errlen, "unknown GOEXPERIMENT %.*s", (int)n, name);
    return false;
}

int lh_build_check(const lh_build_ctx *c, char *err, size_t errlen)
{
    int rel = table_release(c);
    exp_check k = {rel, err, errlen};
    if (!each_goexperiment(c->goexperiment, check_one, &k))
        return -1;
    if (lh_build_experiment(c, "regabiargs", 10) && !lh_build_experiment(c, "regabiwrappers", 14)) {
        snprintf(err, errlen, "GOEXPERIMENT regabiargs requires regabiwrappers");
        return -1;
    }
    static const struct { const char *arch, *var, *want; } levels[] = {
        {"386", "GO386", "sse2, softfloat"},
        {"amd64", "GOAMD64", "v1, v2, v3, v4"},
        {"arm", "GOARM", "5, 6, 7"},
        {"arm64", "GOARM64", "v8.{0-9}, v9.{0-5}"},
        {"mips", "GOMIPS", "hardfloat, softfloat"},
        {"mipsle", "GOMIPS", "hardfloat, softfloat"},
        {"mips64", "GOMIPS64", "hardfloat, softfloat"},
        {"mips64le", "GOMIPS64", "hardfloat, softfloat"},
        {"ppc64", "GOPPC64", "power8, power9, power10"},
        {"ppc64le", "GOPPC64", "power8, power9, power10"},
        {"riscv64", "GORISCV64", "rva20u64, rva22u64, rva23u64"},
    };
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
        if (strcmp(c->goarch, levels[i].arch) == 0 && arch_feature(c, "", 0) == -2) {
            snprintf(err, errlen, "invalid %s: must be %s", levels[i].var, levels[i].want);
            return -1;
        }
    return 0;
}

const char *lh_build_level_var(const char *goarch)
{
    static const char *const vars[][2] = {
        {"386", "GO386"}, {"amd64", "GOAMD64"}, {"arm", "GOARM"}, {"arm64", "GOARM64"},
        {"mips", "GOMIPS"}, {"mipsle", "GOMIPS"}, {"mips64", "GOMIPS64"},
        {"mips64le", "GOMIPS64"}, {"ppc64", "GOPPC64"}, {"ppc64le", "GOPPC64"},
        {"riscv64", "GORISCV64"}, {"wasm", "GOWASM"},
    };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        if (strcmp(goarch, vars[i][0]) == 0)
            return vars[i][1];
    return NULL;
}

/* ---- tags -------------------------------------------------------------- */

void lh_build_ctx_default(lh_build_ctx *c)
{
    memset(c, 0, sizeof *c);
    c->goos = "linux";
    c->goarch = "amd64";
}

static bool known_os_at(int rel, const char *s, size_t n)
{
    for (const port_name *p = known_os; p->name; p++)
        if (eqn(s, n, p->name))
            return rel >= p->since;
    return false;
}

bool lh_build_known_os(const char *s, size_t n)
{
    return known_os_at(LH_BUILD_RELEASE_NEWEST, s, n);
}
bool lh_build_known_arch(const char *s, size_t n) { return in_table(known_arch, s, n); }

static bool release_tag(const lh_build_ctx *c, const char *s, size_t n)
{
    if (n < 4 || memcmp(s, "go1.", 4) != 0 || n > 8)
        return false;
    int v = 0;
    for (size_t i = 4; i < n; i++) {
        if (s[i] < '0' || s[i] > '9' || (i == 4 && s[i] == '0'))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    return v >= 1 && v <= release_of(c);
}

bool lh_build_match_tag(const lh_build_ctx *c, const char *s, size_t n)
{
    if (c->cgo && eqn(s, n, "cgo"))
        return true;
    if (eqn(s, n, c->goos) || eqn(s, n, c->goarch) || eqn(s, n, "gc"))
        return true;
    if ((strcmp(c->goos, "android") == 0 && eqn(s, n, "linux")) ||
        (strcmp(c->goos, "illumos") == 0 && eqn(s, n, "solaris")) ||
        (strcmp(c->goos, "ios") == 0 && eqn(s, n, "darwin")))
        return true;
    if (eqn(s, n, "unix") && in_table(unix_os, c->goos, strlen(c->goos)))
        return true;
    for (size_t i = 0; i < c->ntags; i++)
        if (eqn(s, n, c->tags[i]))
            return true;
    if (n > 13 && memcmp(s, "goexperiment.", 13) == 0)
        return lh_build_experiment(c, s + 13, n - 13);
    if (memchr(s, '.', n) && arch_tag(c, s, n))
        return true;
    return release_tag(c, s, n);
}

/* ---- file names ---------------------------------------------------------- */

bool lh_build_match_filename(const lh_build_ctx *c, const char *base)
{
    /* Everything from the first '.' on is the extension; everything before
     * the first '_' is the name proper and never a suffix. */
    size_t n = strcspn(base, ".");
    const char *us = memchr(base, '_', n);
    if (!us)
        return true;
    const char *elem[64];
    size_t elen[64], ne = 0;
    const char *p = us + 1, *end = base + n;
    for (;;) {
        const char *q = memchr(p, '_', (size_t)(end - p));
        if (!q)
            q = end;
        if (ne == 64) {     /* keep the last 63: only the last three matter */
            memmove(elem, elem + 1, sizeof elem[0] * 63);
            memmove(elen, elen + 1, sizeof elen[0] * 63);
            ne = 63;
        }
        elem[ne] = p;
        elen[ne++] = (size_t)(q - p);
        if (q == end)
            break;
        p = q + 1;
    }
    if (ne > 0 && eqn(elem[ne - 1], elen[ne - 1], "test"))
        ne--;
    int rel = release_of(c);
    if (ne >= 2 && known_os_at(rel, elem[ne - 2], elen[ne - 2]) &&
        lh_build_known_arch(elem[ne - 1], elen[ne - 1]))
        return lh_build_match_tag(c, elem[ne - 2], elen[ne - 2]) &&
               lh_build_match_tag(c, elem[ne - 1], elen[ne - 1]);
    if (ne >= 1 && (known_os_at(rel, elem[ne - 1], elen[ne - 1]) ||
                    lh_build_known_arch(elem[ne - 1], elen[ne - 1])))
        return lh_build_match_tag(c, elem[ne - 1], elen[ne - 1]);
    return true;
}

/* ---- //go:build expressions ---------------------------------------------- */

/* One token of look-ahead over the expression, as go/build/constraint's
 * parser: tok is "" at the end. The expression is evaluated as it is
 * parsed, every operand included, so a syntax error anywhere is found. */
typedef struct expr_parser {
    const lh_build_ctx *ctx;
    const char *s;
    size_t n, pos;
    const char *tok;
    size_t toklen;
    bool is_tag;
    int depth;
    char *err;
    size_t errlen;
    bool failed;
} expr_parser;

enum { MAX_EXPR_DEPTH = 1000 };

static void fail(expr_parser *p, const char *msg, const char *what, size_t wn)
{
    if (!p->failed)
        snprintf(p->err, p->errlen, "%s%.*s", msg, (int)wn, what);
    p->failed = true;
}

/* A tag character: unicode.IsLetter, IsDigit, '_' or '.'. Returns its
 * width, or 0. */
static int tag_char(const char *s, size_t avail)
{
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '.';
    unsigned char tmp[5] = {0};
    memcpy(tmp, s, avail < 4 ? avail : 4);
    int w;
    uint32_t r = lh_utf8_decode(tmp, &w);
    return r != LH_RUNE_ERROR && (lh_unicode_is_letter(r) || lh_unicode_is_digit(r)) ? w : 0;
}

static void lex(expr_parser *p)
{
    p->is_tag = false;
    while (p->pos < p->n && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t'))
        p->pos++;
    if (p->pos >= p->n) {
        p->tok = "";
        p->toklen = 0;
        return;
    }
    const char *s = p->s + p->pos;
    switch (*s) {
    case '(': case ')': case '!':
        p->tok = s;
        p->toklen = 1;
        p->pos++;
        return;
    case '&': case '|':
        if (p->pos + 1 >= p->n || s[1] != s[0]) {
            fail(p, "invalid syntax at ", s, 1);
            p->tok = "";
            p->toklen = 0;
            p->pos = p->n;
            return;
        }
        p->tok = s;
        p->toklen = 2;
        p->pos += 2;
        return;
    }
    size_t len = 0;
    int w;
    while (p->pos + len < p->n && (w = tag_char(s + len, p->n - p->pos - len)) > 0)
        len += (size_t)w;
    if (len == 0) {
        unsigned char tmp[5] = {0};
        memcpy(tmp, s, p->n - p->pos < 4 ? p->n - p->pos : 4);
        int cw;
        lh_utf8_decode(tmp, &cw);
        fail(p, "invalid syntax at ", s, (size_t)cw);
        p->tok = "";
        p->toklen = 0;
        p->pos = p->n;
        return;
    }
    p->tok = s;
    p->toklen = len;
    p->is_tag = true;
    p->pos += len;
}

static bool tok_is(const expr_parser *p, const char *z) { return eqn(p->tok, p->toklen, z); }

static bool parse_or(expr_parser *p);

/* atom = tag | "(" or ")" */
static bool parse_atom(expr_parser *p)
{
    if (tok_is(p, "(")) {
        if (++p->depth > MAX_EXPR_DEPTH) {
            fail(p, "expression too deeply nested", "", 0);
            return false;
        }
        bool v = parse_or(p);
        p->depth--;
        if (!tok_is(p, ")")) {
            fail(p, "missing close paren", "", 0);
            return false;
        }
        lex(p);
        return v;
    }
    if (!p->is_tag) {
        if (p->toklen == 0)
            fail(p, "unexpected end of expression", "", 0);
        else
            fail(p, "unexpected token ", p->tok, p->toklen);
        return false;
    }
    bool v = lh_build_match_tag(p->ctx, p->tok, p->toklen);
    lex(p);
    return v;
}

/* not = "!" atom | atom   (a second "!" is rejected, as Go rejects it) */
static bool parse_not(expr_parser *p)
{
    lex(p);
    if (tok_is(p, "!")) {
        lex(p);
        if (tok_is(p, "!")) {
            fail(p, "double negation not allowed", "", 0);
            return false;
        }
        return !parse_atom(p);
    }
    return parse_atom(p);
}

/* and = not { "&&" not } */
static bool parse_and(expr_parser *p)
{
    bool v = parse_not(p);
    while (!p->failed && tok_is(p, "&&"))
        v = parse_not(p) && v;
    return v;
}

/* or = and { "||" and } */
static bool parse_or(expr_parser *p)
{
    bool v = parse_and(p);
    while (!p->failed && tok_is(p, "||"))
        v = parse_and(p) || v;
    return v;
}

int lh_build_eval_expr(const lh_build_ctx *c, const char *s, size_t n, bool *ok, char *err,
                       size_t errlen)
{
    char dummy[8];
    expr_parser p = {.ctx = c, .s = s, .n = n, .tok = "", .err = err ? err : dummy,
                     .errlen = err ? errlen : sizeof dummy};
    bool v = parse_or(&p);
    if (!p.failed && p.toklen != 0)
        fail(&p, "unexpected token ", p.tok, p.toklen);
    if (p.failed)
        return -1;
    *ok = v;
    return 0;
}

/* ---- // +build lines ------------------------------------------------------ */

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

static bool valid_tag(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n;) {
        int w = tag_char(s + i, n - i);
        if (w == 0)
            return false;
        i += (size_t)w;
    }
    return true;
}

/* A term of a +build line; malformed ones stand for the tag "ignore",
 * which never holds. */
static bool plus_term(const lh_build_ctx *c, const char *s, size_t n)
{
    if ((n >= 2 && s[0] == '!' && s[1] == '!') || (n == 1 && s[0] == '!'))
        return false;
    bool neg = n > 0 && s[0] == '!';
    if (neg)
        s++, n--;
    bool v = valid_tag(s, n) && lh_build_match_tag(c, s, n);
    return neg ? !v : v;
}

bool lh_build_eval_plus(const lh_build_ctx *c, const char *line, size_t n, bool *ok)
{
    if (n < 2 || line[0] != '/' || line[1] != '/')
        return false;
    const char *p = line + 2, *end = line + n;
    while (p < end && is_space(*p))
        p++;
    while (end > p && is_space(end[-1]))
        end--;
    if ((size_t)(end - p) < 6 || memcmp(p, "+build", 6) != 0)
        return false;
    p += 6;
    if (p < end && !is_space(*p))
        return false;
    bool any = false, v = false;
    while (p < end) {
        while (p < end && is_space(*p))
            p++;
        if (p == end)
            break;
        const char *f = p;
        while (p < end && !is_space(*p))
            p++;
        /* one field: terms joined by commas, all must hold */
        bool fv = true;
        for (const char *t = f; t <= p;) {
            const char *q = memchr(t, ',', (size_t)(p - t));
            if (!q)
                q = p;
            fv = plus_term(c, t, (size_t)(q - t)) && fv;
            t = q + 1;
        }
        v = any ? (v || fv) : fv;
        any = true;
    }
    *ok = any ? v : false;
    return true;
}

/* ---- the header ------------------------------------------------------------ */

static bool is_go_build_line(const char *s, size_t n)
{
    return n >= 10 && memcmp(s, "//go:build", 10) == 0 &&
           (n == 10 || s[10] == ' ' || s[10] == '\t');
}

static const char *trim(const char *s, const char *e, const char **out_end)
{
    while (s < e && is_space(*s))
        s++;
    while (e > s && is_space(e[-1]))
        e--;
    *out_end = e;
    return s;
}

static const char *find2(const char *s, const char *e, char a, char b)
{
    for (; s + 1 < e; s++)
        if (s[0] == a && s[1] == b)
            return s;
    return NULL;
}

int lh_build_match_header(const lh_build_ctx *c, const char *src, size_t len, bool *ok,
                          char *err, size_t errlen)
{
    const char *p = src, *end = src + len;
    const char *header_end = src;   /* just past the last blank line seen */
    const char *gobuild = NULL, *gobuild_end = NULL;
    bool ended = false, in_star = false;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *next = nl ? nl + 1 : end;
        const char *le, *l = trim(p, nl ? nl : end, &le);
        p = next;
        if (l == le && !ended) {
            header_end = p;
            continue;
        }
        if (le - l < 2 || l[0] != '/' || l[1] != '/')
            ended = true;
        if (!in_star && is_go_build_line(l, (size_t)(le - l))) {
            if (gobuild) {
                snprintf(err, errlen, "multiple //go:build comments");
                return -1;
            }
            gobuild = l;
            gobuild_end = le;
        }
        /* Skip the comments of this line; stop at the first other text. */
        bool text = false;
        while (l < le) {
            if (in_star) {
                const char *q = find2(l, le, '*', '/');
                if (!q)
                    break;
                in_star = false;
                l = trim(q + 2, le, &le);
                continue;
            }
            if (le - l >= 2 && l[0] == '/' && l[1] == '/')
                break;
            if (le - l >= 2 && l[0] == '/' && l[1] == '*') {
                in_star = true;
                l = trim(l + 2, le, &le);
                continue;
            }
            text = true;
            break;
        }
        if (text)
            break;
    }
    if (gobuild) {
        char msg[200];
        if (lh_build_eval_expr(c, gobuild + 10, (size_t)(gobuild_end - gobuild - 10), ok, msg,
                               sizeof msg) != 0) {
            snprintf(err, errlen, "parsing //go:build line: %s", msg);
            return -1;
        }
        return 0;
    }
    /* +build lines count only before the last blank line of the header. */
    *ok = true;
    for (p = src; p < header_end;) {
        const char *nl = memchr(p, '\n', (size_t)(header_end - p));
        const char *next = nl ? nl + 1 : header_end;
        const char *le, *l = trim(p, nl ? nl : header_end, &le);
        p = next;
        bool v;
        if (lh_build_eval_plus(c, l, (size_t)(le - l), &v) && !v)
            *ok = false;
    }
    return 0;
}
