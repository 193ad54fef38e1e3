#include "cli/goargs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/build.h"
#include "load/gomod.h"

void lh_gocfg_init(lh_gocfg *g)
{
    lh_load_config_default(&g->cfg);
    const char *env;
    if ((env = getenv("GOOS")) && *env)
        g->cfg.build.goos = env;
    if ((env = getenv("GOARCH")) && *env)
        g->cfg.build.goarch = env;
    if ((env = getenv("CGO_ENABLED")) && strcmp(env, "1") == 0)
        g->cfg.build.cgo = true;
    g->cfg.build.goexperiment = getenv("GOEXPERIMENT");
    g->cfg.gotoolchain = getenv("GOTOOLCHAIN");
}

void lh_goarg_split(lh_goarg *a, int argc, char **argv, int i)
{
    a->name = argv[i];
    a->val = i + 1 < argc ? argv[i + 1] : NULL;
    a->inline_val = false;
    const char *eq = argv[i][0] == '-' ? strchr(argv[i], '=') : NULL;
    if (eq && (size_t)(eq - argv[i]) < sizeof a->buf) {
        memcpy(a->buf, argv[i], (size_t)(eq - argv[i]));
        a->buf[eq - argv[i]] = '\0';
        a->name = a->buf;
        a->val = eq + 1;
        a->inline_val = true;
    }
}

bool lh_goarg_bool(const lh_goarg *a)
{
    return !a->inline_val || !(strcmp(a->val, "false") == 0 || strcmp(a->val, "0") == 0);
}

int lh_goarg_value(const char *cmd, const lh_goarg *a, int *i, const char **val)
{
    if (!a->val) {
        fprintf(stderr, "leakhound %s: %s needs a value\n", cmd, a->name);
        return -1;
    }
    if (!a->inline_val)
        (*i)++;
    *val = a->val;
    return 0;
}

static bool is(const lh_goarg *a, const char *single, const char *dbl)
{
    return strcmp(a->name, single) == 0 || strcmp(a->name, dbl) == 0;
}

/* A whole number in [lo, hi], or -1. */
static long bounded(const char *s, long lo, long hi)
{
    char *end;
    long v = strtol(s, &end, 10);
    return *end || end == s || v < lo || v > hi ? -1 : v;
}

int lh_gocfg_flag(const char *cmd, lh_gocfg *g, const lh_goarg *a, int *i)
{
    const char *v;
    long n;
    if (is(a, "-tags", "--tags")) {
        if (lh_goarg_value(cmd, a, i, &v) != 0)
            return -1;
        /* Comma-separated, as go 1.13+; spaces as older releases took them. */
        size_t k = 0;
        char *save = NULL;
        for (char *t = strtok_r((char *)v, ", ", &save); t && k < LH_GOARGS_MAX_TAGS;
             t = strtok_r(NULL, ", ", &save))
            g->tags[k++] = t;
        g->cfg.build.tags = g->tags;
        g->cfg.build.ntags = k;
    } else if (is(a, "-goos", "--goos")) {
        if (lh_goarg_value(cmd, a, i, &g->cfg.build.goos) != 0)
            return -1;
    } else if (is(a, "-goarch", "--goarch")) {
        if (lh_goarg_value(cmd, a, i, &g->cfg.build.goarch) != 0)
            return -1;
    } else if (is(a, "-cgo", "--cgo")) {
        g->cfg.build.cgo = lh_goarg_bool(a);
    } else if (is(a, "-test", "--test")) {
        g->cfg.tests = lh_goarg_bool(a);
    } else if (is(a, "-go-release", "--go-release")) {
        if (lh_goarg_value(cmd, a, i, &v) != 0)
            return -1;
        /* 27, 1.27, go1.27.3: whatever names the release */
        if ((n = bounded(v, 1, 1000)) < 0 && (n = lh_gomod_minor(v, 0)) <= 0 &&
            (n = lh_gomod_minor(v, 1)) <= 0) {
            fprintf(stderr, "leakhound %s: --go-release wants a Go release like 27, 1.27 or "
                            "go1.27.3\n", cmd);
            return -1;
        }
        g->cfg.build.release = (int)n;
    } else if (strcmp(a->name, "-j") == 0) {
        if (lh_goarg_value(cmd, a, i, &v) != 0)
            return -1;
        if ((n = bounded(v, 1, 1024)) < 0) {
            fprintf(stderr, "leakhound %s: -j wants a positive number\n", cmd);
            return -1;
        }
        g->cfg.jobs = (int)n;
    } else {
        return 0;
    }
    return 1;
}

int lh_gocfg_check(const char *cmd, lh_gocfg *g)
{
    lh_build_ctx *b = &g->cfg.build;
    if (!lh_build_known_os(b->goos, strlen(b->goos)) ||
        !lh_build_known_arch(b->goarch, strlen(b->goarch))) {
        fprintf(stderr, "leakhound %s: unsupported GOOS/GOARCH pair %s/%s\n", cmd, b->goos,
                b->goarch);
        return -1;
    }
    /* Only now is GOARCH final: its level variable (GOAMD64, GOARM, ...). */
    const char *var = lh_build_level_var(b->goarch);
    b->goarch_level = var ? getenv(var) : NULL;
    return 0;
}
