#include "cli/goargs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/build.h"
#include "load/gomod.h"

/* A whole number in [lo, hi], or -1. */
static long bounded(const char *s, long lo, long hi)
{
    char *end;
    long v = strtol(s, &end, 10);
    return *end || end == s || v < lo || v > hi ? -1 : v;
}

static int set_tags(void *ctx, const char *flag, const char *v)
{
    (void)flag;
    lh_gocfg *g = ctx;
    /* Comma-separated, as go 1.13+; spaces as older releases took them. */
    size_t k = 0;
    char *save = NULL;
    for (char *t = strtok_r((char *)v, ", ", &save); t && k < LH_GOARGS_MAX_TAGS;
         t = strtok_r(NULL, ", ", &save))
        g->tags[k++] = t;
    g->cfg.build.tags = g->tags;
    g->cfg.build.ntags = k;
    return 0;
}

static int set_release(void *ctx, const char *flag, const char *v)
{
    lh_gocfg *g = ctx;
    long n;
    /* 27, 1.27, go1.27.3: whatever names the release */
    if ((n = bounded(v, 1, 1000)) < 0 && (n = lh_gomod_minor(v, 0)) <= 0 &&
        (n = lh_gomod_minor(v, 1)) <= 0) {
        lh_cli_error("invalid value \"%s\" for flag %s: not a Go release (like 27, 1.27 or "
                     "go1.27.3)", v, flag);
        return -1;
    }
    g->cfg.build.release = (int)n;
    return 0;
}

static int set_jobs(void *ctx, const char *flag, const char *v)
{
    lh_gocfg *g = ctx;
    long n = bounded(v, 1, 1024);
    if (n < 0) {
        lh_cli_error("invalid value \"%s\" for flag %s: not a number from 1 to 1024", v, flag);
        return -1;
    }
    g->cfg.jobs = (int)n;
    return 0;
}

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
    g->cfg.gowork = getenv("GOWORK");
    const lh_flag flags[] = {
        {"tags", LH_FLAG_FUNC, NULL, 0, set_tags, g},
        {"goos", LH_FLAG_STRING, &g->cfg.build.goos, 0, NULL, NULL},
        {"goarch", LH_FLAG_STRING, &g->cfg.build.goarch, 0, NULL, NULL},
        {"cgo", LH_FLAG_BOOL, &g->cfg.build.cgo, 0, NULL, NULL},
        {"test", LH_FLAG_BOOL, &g->cfg.tests, 0, NULL, NULL},
        {"go-release", LH_FLAG_FUNC, NULL, 0, set_release, g},
        {"j", LH_FLAG_FUNC, NULL, 0, set_jobs, g},
        {"all-modules", LH_FLAG_BOOL, &g->cfg.all_modules, 0, NULL, NULL},
        LH_FLAG_END,
    };
    _Static_assert(sizeof flags <= sizeof g->flags, "lh_gocfg.flags too small");
    memcpy(g->flags, flags, sizeof flags);
}

int lh_gocfg_check(lh_gocfg *g)
{
    lh_build_ctx *b = &g->cfg.build;
    if (!lh_build_known_os(b->goos, strlen(b->goos)) ||
        !lh_build_known_arch(b->goarch, strlen(b->goarch))) {
        lh_cli_error("unsupported GOOS/GOARCH pair %s/%s", b->goos, b->goarch);
        return -1;
    }
    /* Only now is GOARCH final: its level variable (GOAMD64, GOARM, ...). */
    const char *var = lh_build_level_var(b->goarch);
    b->goarch_level = var ? getenv(var) : NULL;
    snprintf(g->diag_prefix, sizeof g->diag_prefix, "leakhound %s: ",
             lh_cli_cmd ? lh_cli_cmd : "?");
    g->cfg.diag_prefix = g->diag_prefix;
    g->cfg.unmatched_is_error = true;
    return 0;
}
