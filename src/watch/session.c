/* The watch session: fetch a snapshot, reduce it to series, remember what
 * went wrong. The verdict (verdict.c) reads the series; the command line and
 * the fleet daemon decide when to poll.
 *
 * Faults are part of watching a real service: it restarts, answers slowly or
 * with errors, or goes away. A fetch is retried a few times with backoff
 * inside one poll; what still fails becomes a note, and the snapshot keeps
 * whatever did arrive. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "analysis/analysis.h"
#include "analysis/stacks.h"
#include "live/fetch.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/satmath.h"
#include "watch/internal.h"

const char *lh_poll_status_name(lh_poll_status st)
{
    switch (st) {
    case LH_POLL_OK: return "ok";
    case LH_POLL_PARTIAL: return "partial";
    case LH_POLL_TIMEOUT: return "timeout";
    case LH_POLL_HTTP_ERROR: return "http-error";
    case LH_POLL_CONNECT: return "connect";
    case LH_POLL_BAD_PROFILE: return "bad-profile";
    }
    return "unknown";
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    /* An interrupted sleep is cut short on purpose: Ctrl-C should not wait
     * for a backoff to end. */
    nanosleep(&ts, NULL);
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

/* ---- the target ---------------------------------------------------------- */

/* The pprof base URL, as pprof takes it: "host:port" means
 * http://host:port/debug/pprof/; a URL with no path gets /debug/pprof/; a
 * profile's URL (.../debug/pprof/heap) names its base. Returns NULL when s
 * cannot be a URL. */
static char *base_url(const char *s)
{
    if (!s[0] || strchr(s, ' '))
        return NULL;
    lh_buf b = LH_BUF_INIT;
    if (!lh_fetch_is_url(s)) {
        if (strstr(s, "://"))
            return NULL;   /* another scheme */
        lh_buf_puts(&b, "http://");
    }
    lh_buf_puts(&b, s);
    const char *afterscheme = strstr(b.data, "://") + 3;
    const char *path = strchr(afterscheme, '/');
    if (path == afterscheme) {
        lh_buf_free(&b);
        return NULL;       /* no host */
    }
    if (!path || strcmp(path, "/") == 0) {
        if (path)
            b.len--;
        lh_buf_puts(&b, "/debug/pprof/");
    } else {
        const char *pp = strstr(path, "/debug/pprof");
        if (pp) {
            b.len = (size_t)(pp - b.data) + strlen("/debug/pprof");
            b.data[b.len] = '\0';
        }
        if (b.data[b.len - 1] != '/')
            lh_buf_putc(&b, '/');
    }
    return b.data;
}

/* /debug/vars beside /debug/pprof/, else at the root of the host. */
static char *vars_url(const char *base)
{
    lh_buf b = LH_BUF_INIT;
    const char *pp = strstr(base, "/debug/pprof/");
    if (pp) {
        lh_buf_append(&b, base, (size_t)(pp - base));
    } else {
        const char *host = strstr(base, "://") + 3;
        const char *slash = strchr(host, '/');
        lh_buf_append(&b, base, slash ? (size_t)(slash - base) : strlen(base));
    }
    lh_buf_puts(&b, "/debug/vars");
    return b.data;
}

/* mkdir -p: --save DIR may name a directory a few levels down. */
static int make_dirs(const char *dir)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(path, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

lh_watch_session *lh_watch_session_new(const lh_watch_config *cfg, char *err, size_t errlen)
{
    char *base = NULL;
    if (cfg->target) {
        base = base_url(cfg->target);
        if (!base) {
            snprintf(err, errlen, "%s: not a URL or host:port", cfg->target);
            return NULL;
        }
    }
    if (cfg->save_dir) {
        if (make_dirs(cfg->save_dir) != 0) {
            snprintf(err, errlen, "%s: %s", cfg->save_dir, strerror(errno));
            free(base);
            return NULL;
        }
        struct stat st;
        if (stat(cfg->save_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            snprintf(err, errlen, "%s: not a directory", cfg->save_dir);
            free(base);
            return NULL;
        }
    }
    lh_watch_session *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->cfg = *cfg;
    s->base = base;
    s->target = xstrdup(base ? base : cfg->target ? cfg->target : "");
    s->vars_url = base ? vars_url(base) : NULL;
    s->save_dir = cfg->save_dir ? xstrdup(cfg->save_dir) : NULL;
    s->source_dir = cfg->source_dir ? xstrdup(cfg->source_dir) : NULL;
    s->cfg.target = s->target;
    s->cfg.save_dir = s->save_dir;
    s->cfg.source_dir = s->source_dir;
    lh_arena_init(&s->arena);
    s->started_ms = now_ms();
    s->last_ms_total_alloc = s->last_ms_num_gc = -1;
    return s;
}

static void snap_free(lh_wsnap *sn)
{
    free(sn->heap);
    free(sn->gor);
    free(sn->leak);
    free(sn->client_alloc);
}

static void table_free(lh_wtable *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->keys[i]);
    free(t->keys);
    free(t->v);
    free(t->slots);
}

void lh_watch_session_free(lh_watch_session *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nsnaps; i++)
        snap_free(&s->snaps[i]);
    free(s->snaps);
    for (size_t i = 0; i < s->nnotes; i++)
        free(s->notes[i].text);
    free(s->notes);
    free(s->restarts);
    table_free(&s->heap_sites);
    table_free(&s->gor_sites);
    lh_arena_free(&s->arena);
    free(s->base);
    free(s->vars_url);
    free(s->target);
    free(s->save_dir);
    free(s->source_dir);
    lh_buf_free(&s->manifest);
    free(s);
}

/* ---- notes ----------------------------------------------------------------- */

void lh_wsession_note(lh_watch_session *s, int64_t unix_ms, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    /* A fault that repeats every poll (an endpoint answering 500) is one
     * note with a count, not a page of them. */
    for (size_t i = 0; i < s->nnotes; i++)
        if (strcmp(s->notes[i].text, text) == 0) {
            s->notes[i].repeats++;
            return;
        }
    if (s->nnotes == s->capnotes) {
        s->capnotes = s->capnotes ? 2 * s->capnotes : 16;
        s->notes = realloc(s->notes, s->capnotes * sizeof *s->notes);
        if (!s->notes)
            abort();
    }
    s->notes[s->nnotes++] = (lh_wnote){(double)(unix_ms - s->started_ms) / 1000.0, xstrdup(text), 1};
}

/* ---- site tables ------------------------------------------------------------ */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 14695981039346656037ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static void table_rehash(lh_wtable *t)
{
    size_t n = t->nslots ? 2 * t->nslots : 256;
    uint32_t *slots = malloc(n * sizeof *slots);
    if (!slots)
        abort();
    memset(slots, 0xff, n * sizeof *slots);
    for (size_t i = 0; i < t->n; i++) {
        size_t j = hash_str(t->keys[i]) & (n - 1);
        while (slots[j] != UINT32_MAX)
            j = (j + 1) & (n - 1);
        slots[j] = (uint32_t)i;
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = n;
}

/* The index of key's site; *created says whether the caller must fill it. */
static uint32_t table_intern(lh_wtable *t, const char *key, int *created)
{
    if ((t->n + 1) * 2 > t->nslots)
        table_rehash(t);
    size_t j = hash_str(key) & (t->nslots - 1);
    for (; t->slots[j] != UINT32_MAX; j = (j + 1) & (t->nslots - 1))
        if (strcmp(t->keys[t->slots[j]], key) == 0) {
            *created = 0;
            return t->slots[j];
        }
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->v = realloc(t->v, t->cap * sizeof *t->v);
        t->keys = realloc(t->keys, t->cap * sizeof *t->keys);
        if (!t->v || !t->keys)
            abort();
    }
    t->slots[j] = (uint32_t)t->n;
    t->keys[t->n] = xstrdup(key);
    memset(&t->v[t->n], 0, sizeof t->v[t->n]);
    *created = 1;
    return (uint32_t)t->n++;
}

/* ---- which code is whose ------------------------------------------------------ */

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int lh_watch_is_user(const char *function, const char *file)
{
    if (!function[0] || lh_is_runtime_function(function) || lh_is_std_function(function))
        return 0;
    /* Vendored packages, and modules from the module cache (a build path
     * .../pkg/mod/x@v1.2.3/..., or x@v1.2.3/... under -trimpath): the
     * user's dependencies, not the user's code. */
    if (strstr(function, "/vendor/") || strstr(file, "/vendor/") || strstr(file, "/pkg/mod/") ||
        strchr(file, '@'))
        return 0;
    return 1;
}

/* The connection code of net/http's client: what an unclosed body keeps. */
static int is_transport_function(const char *f)
{
    return starts(f, "net/http.(*persistConn).") || starts(f, "net/http.(*Transport).dialConn") ||
           starts(f, "net/http.(*Transport).startDialConnFor") ||
           starts(f, "net/http.(*http2ClientConn).") || starts(f, "net/http.(*http2Transport).newClientConn");
}

/* net/http's client entry points: the user frame above one made a request. */
static int is_client_function(const char *f)
{
    return starts(f, "net/http.(*Client).") || strcmp(f, "net/http.Get") == 0 ||
           strcmp(f, "net/http.Post") == 0 || strcmp(f, "net/http.Head") == 0 ||
           strcmp(f, "net/http.PostForm") == 0 || starts(f, "net/http.(*Transport).RoundTrip") ||
           starts(f, "net/http.(*Transport).roundTrip") || strcmp(f, "net/http.send") == 0;
}

static void set_stack(lh_watch_session *s, lh_wsite *site, const lh_stacks *v,
                      const lh_stack_sample *smp, int64_t value)
{
    /* The stack of the largest sample so far, replaced only when a sample
     * twice as large comes: a leaking site's samples grow every snapshot,
     * and a copy each time would make a day's watch cost a stack per site
     * per poll. */
    if (site->stack && value <= 2 * site->stack_value)
        return;
    site->stack_value = value;
    site->nstack = smp->nframes;
    site->stack = LH_NEWN(&s->arena, lh_watch_frame, smp->nframes ? smp->nframes : 1);
    for (uint32_t k = 0; k < smp->nframes; k++) {
        const lh_frame *f = &v->frames[smp->frames[k]];
        site->stack[k] = (lh_watch_frame){lh_arena_strdup(&s->arena, f->function),
                                          lh_arena_strdup(&s->arena, f->file), f->line};
    }
}

/* ---- ingest ----------------------------------------------------------------------- */

typedef struct acc {
    int64_t *v;
    size_t cap;
    uint32_t *touched;
    size_t ntouched, captouched;
} acc;

static void acc_add(acc *x, uint32_t id, int64_t value)
{
    if (id >= x->cap) {
        size_t cap = x->cap ? x->cap : 256;
        while (cap <= id)
            cap *= 2;
        x->v = realloc(x->v, cap * sizeof *x->v);
        if (!x->v)
            abort();
        memset(x->v + x->cap, 0, (cap - x->cap) * sizeof *x->v);
        x->cap = cap;
    }
    if (x->v[id] == 0) {
        if (x->ntouched == x->captouched) {
            x->captouched = x->captouched ? 2 * x->captouched : 256;
            x->touched = realloc(x->touched, x->captouched * sizeof *x->touched);
            if (!x->touched)
                abort();
        }
        x->touched[x->ntouched++] = id;
    }
    x->v[id] = lh_sat_add(x->v[id], value);
    if (x->v[id] == 0)
        x->v[id] = 1;   /* keep it touched: a zero sum is still a site */
}

static lh_wval *acc_take(acc *x, size_t *n)
{
    lh_wval *out = malloc((x->ntouched ? x->ntouched : 1) * sizeof *out);
    if (!out)
        abort();
    for (size_t i = 0; i < x->ntouched; i++) {
        out[i] = (lh_wval){x->touched[i], x->v[x->touched[i]]};
        x->v[x->touched[i]] = 0;
    }
    *n = x->ntouched;
    x->ntouched = 0;
    free(x->v);
    free(x->touched);
    return out;
}

static int ingest_heap(lh_watch_session *s, lh_wsnap *sn, const lh_profile *p, char *err,
                       size_t errlen)
{
    lh_stacks v;
    if (lh_stacks_from_profile(&v, p, err, errlen) != 0)
        return -1;
    int ti = lh_stacks_type(&v, "inuse_space"), ta = lh_stacks_type(&v, "alloc_space");
    sn->heap_period = v.heap_period;
    if (ti < 0) {
        snprintf(err, errlen, "%s: not a heap profile (no inuse_space samples)", p->name);
        lh_stacks_free(&v);
        return -1;
    }
    acc x = {0}, xa = {0};
    lh_buf key = LH_BUF_INIT;
    double total = 0;
    int64_t alloc = 0;
    for (size_t i = 0; i < v.nsamples; i++) {
        const lh_stack_sample *smp = &v.samples[i];
        if (ta >= 0)
            alloc = lh_sat_add(alloc, smp->values[ta]);
        int64_t val = smp->values[ti];
        if (smp->nframes == 0)
            continue;
        total += (double)val;
        uint32_t leaf = lh_stacks_leaf(&v, smp);
        uint32_t user = UINT32_MAX;
        site_role role = ROLE_PLAIN;
        for (uint32_t k = leaf; k < smp->nframes; k++) {
            const lh_frame *f = &v.frames[smp->frames[k]];
            if (is_transport_function(f->function))
                role = ROLE_TRANSPORT;
            if (user == UINT32_MAX && lh_watch_is_user(f->function, f->file)) {
                user = k;
                if (role == ROLE_PLAIN)
                    for (uint32_t q = leaf; q < k; q++)
                        if (is_client_function(v.frames[smp->frames[q]].function))
                            role = ROLE_CLIENT;
            }
        }
        int64_t allocated = ta >= 0 ? smp->values[ta] : 0;
        if (val == 0 && (role != ROLE_CLIENT || allocated == 0))
            continue;
        /* The site is the first user frame; the leaf, when it is another
         * (std) frame, says what was allocated there. Without a user frame
         * the leaf is the site. */
        const lh_frame *lf = &v.frames[smp->frames[leaf]];
        const lh_frame *uf = user != UINT32_MAX ? &v.frames[smp->frames[user]] : lf;
        const lh_frame *sf = user != UINT32_MAX && user != leaf ? lf : NULL;
        lh_buf_clear(&key);
        lh_buf_printf(&key, "%d\x1f%s\x1f%s\x1f%" PRId64 "\x1f%s\x1f%s\x1f%" PRId64, (int)role,
                      uf->function, uf->file, uf->line, sf ? sf->function : "", sf ? sf->file : "",
                      sf ? sf->line : 0);
        int created;
        uint32_t id = table_intern(&s->heap_sites, key.data, &created);
        lh_wsite *site = &s->heap_sites.v[id];
        if (created) {
            site->function = lh_arena_strdup(&s->arena, uf->function);
            site->file = lh_arena_strdup(&s->arena, uf->file);
            site->line = uf->line;
            site->std_function = lh_arena_strdup(&s->arena, sf ? sf->function : "");
            site->std_file = lh_arena_strdup(&s->arena, sf ? sf->file : "");
            site->std_line = sf ? sf->line : 0;
            site->role = role;
            site->has_user = user != UINT32_MAX;
            site->wait_reason = site->created_function = site->created_file = "";
        }
        set_stack(s, site, &v, smp, val ? val : allocated);
        if (val)
            acc_add(&x, id, val);
        /* Requests allocate on every call, leaked or not; with the heap
         * sampled every 512 kB the little an open response keeps of its
         * request is often never sampled, but what the calls allocated
         * still says which function makes them. */
        if (role == ROLE_CLIENT && allocated)
            acc_add(&xa, id, allocated);
    }
    lh_buf_free(&key);
    sn->heap = acc_take(&x, &sn->nheap);
    sn->client_alloc = acc_take(&xa, &sn->nclient_alloc);
    sn->have_heap = 1;
    sn->heap_profile_inuse = total;
    sn->alloc_total = alloc;
    lh_stacks_free(&v);
    return 0;
}

static int ingest_goroutines(lh_watch_session *s, lh_wsnap *sn, const lh_profile *p, int leak,
                             char *err, size_t errlen)
{
    lh_arena tmp;
    lh_arena_init(&tmp);
    lh_goroutine_result r;
    if (lh_goroutines(&p, 1, NULL, &tmp, &r, err, errlen) != 0) {
        lh_arena_free(&tmp);
        return -1;
    }
    lh_buf key = LH_BUF_INIT;
    acc x = {0};
    for (size_t i = 0; i < r.ngroups; i++) {
        const lh_goroutine_group *g = &r.groups[i];
        if (leak && !g->leaked)
            continue;
        /* The groups `goroutines` makes (where and why they wait, who
         * started them, the function they run, the category), and the
         * user frame the site is named at: two groups waiting in the same
         * frame but running different functions are two series, so one
         * that climbs is not hidden by one that falls. */
        lh_buf_clear(&key);
        lh_buf_printf(&key, "%s\x1f%s\x1f%" PRId64 "\x1f%s\x1f%s\x1f%s\x1f%" PRId64 "\x1f%s\x1f%s\x1f%d",
                      g->function, g->file, g->line, g->wait_reason, g->created_function,
                      g->created_file, g->created_line, g->user_function, g->start_function,
                      (int)g->category);
        int created;
        uint32_t id = table_intern(&s->gor_sites, key.data, &created);
        lh_wsite *site = &s->gor_sites.v[id];
        if (created) {
            /* The site is the user's frame: the blocking frame when it is
             * the user's, else the first user frame below it; the blocking
             * frame is then the std one. */
            int block_user = lh_watch_is_user(g->function, g->file);
            int has_user = g->user_function[0] != '\0';
            const char *fn = g->function, *file = g->file;
            int64_t line = g->line;
            const char *sfn = "", *sfile = "";
            int64_t sline = 0;
            if (!block_user && has_user) {
                fn = g->user_function, file = g->user_file, line = g->user_line;
                sfn = g->function, sfile = g->file, sline = g->line;
            }
            site->function = lh_arena_strdup(&s->arena, fn);
            site->file = lh_arena_strdup(&s->arena, file);
            site->line = line;
            site->std_function = lh_arena_strdup(&s->arena, sfn);
            site->std_file = lh_arena_strdup(&s->arena, sfile);
            site->std_line = sline;
            site->wait_reason = lh_arena_strdup(&s->arena, g->wait_reason);
            site->created_function = lh_arena_strdup(&s->arena, g->created_function);
            site->created_file = lh_arena_strdup(&s->arena, g->created_file);
            site->created_line = g->created_line;
            site->category = (int)g->category;
            site->transport = is_transport_function(g->function) ||
                              is_transport_function(g->created_function);
            site->nstack = g->nstack;
            site->stack = LH_NEWN(&s->arena, lh_watch_frame, g->nstack ? g->nstack : 1);
            for (size_t k = 0; k < g->nstack; k++)
                site->stack[k] = (lh_watch_frame){lh_arena_strdup(&s->arena, g->stack[k].function),
                                                  lh_arena_strdup(&s->arena, g->stack[k].file),
                                                  g->stack[k].line};
        }
        acc_add(&x, id, g->count);
    }
    lh_buf_free(&key);
    if (leak) {
        sn->leak = acc_take(&x, &sn->nleak);
        sn->have_leak = 1;
    } else {
        sn->gor = acc_take(&x, &sn->ngor);
        sn->have_gor = 1;
        double total = 0;
        for (size_t d = 0; d < r.ndumps; d++)
            total += (double)r.totals[d];
        sn->goroutines = total;
        sn->gor_proto = p->format == LH_FORMAT_PROTO;
    }
    lh_arena_free(&tmp);
    return 0;
}

/* The few memstats numbers watch uses, from expvar's JSON: Go's encoder
 * writes the keys plainly, and these names occur once in "memstats". */
static int64_t json_int(const char *json, const char *obj, const char *key)
{
    const char *o = obj ? strstr(json, obj) : json;
    if (!o)
        return -1;
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *k = strstr(o, pat);
    if (!k)
        return -1;
    k += strlen(pat);
    while (*k == ' ')
        k++;
    char *end;
    errno = 0;
    long long v = strtoll(k, &end, 10);
    if (end == k || errno)
        return -1;
    return v;
}

static int ingest_vars(lh_wsnap *sn, const char *name, const char *data, char *err, size_t errlen)
{
    if (!strstr(data, "\"memstats\"")) {
        snprintf(err, errlen, "%s: no memstats", name);
        return -1;
    }
    int64_t inuse = json_int(data, "\"memstats\"", "HeapInuse");
    int64_t sys = json_int(data, "\"memstats\"", "Sys");
    sn->ms_total_alloc = json_int(data, "\"memstats\"", "TotalAlloc");
    sn->ms_num_gc = json_int(data, "\"memstats\"", "NumGC");
    if (inuse >= 0)
        sn->heap_inuse = (double)inuse;
    if (sys >= 0)
        sn->sys = (double)sys;
    return 0;
}

int lh_wsession_ingest(lh_watch_session *s, lh_wsnap *sn, const char *kind, const char *name,
                       const unsigned char *data, size_t len, char *err, size_t errlen)
{
    if (strcmp(kind, "vars") == 0) {
        char *z = malloc(len + 1);
        if (!z)
            abort();
        memcpy(z, data, len);
        z[len] = '\0';
        int rc = ingest_vars(sn, name, z, err, errlen);
        free(z);
        return rc;
    }
    lh_profile *p;
    if (lh_profile_parse(name, data, len, NULL, &p, err, errlen) != 0)
        return -1;
    int rc;
    if (strcmp(kind, "heap") == 0) {
        rc = p->kind == LH_PROFILE_HEAP ? ingest_heap(s, sn, p, err, errlen) : -1;
        if (p->kind != LH_PROFILE_HEAP)
            snprintf(err, errlen, "%s: not a heap profile (it is a %s profile)", name,
                     lh_profile_kind_name(p->kind));
    } else {
        rc = ingest_goroutines(s, sn, p, strcmp(kind, "goroutineleak") == 0, err, errlen);
    }
    lh_profile_free(p);
    return rc;
}

static void snap_init(lh_wsnap *sn, int64_t unix_ms)
{
    memset(sn, 0, sizeof *sn);
    sn->unix_ms = unix_ms;
    sn->heap_inuse = sn->goroutines = sn->sys = sn->heap_profile_inuse = NAN;
    sn->ms_total_alloc = sn->ms_num_gc = -1;
}

/* A restart shows as a counter that only grows within one process going
 * down: the heap profile's alloc_space (cumulative since start) or
 * memstats' TotalAlloc and NumGC. A drop in heap in use or in goroutines
 * alone is no restart: a service may free memory. */
static const char *restart_reason(lh_watch_session *s, const lh_wsnap *sn, char *why, size_t n)
{
    if (sn->have_heap && s->have_last_alloc && sn->alloc_total < s->last_alloc_total) {
        snprintf(why, n, "the heap profile's total allocations dropped from %" PRId64 " to %" PRId64
                 " bytes", s->last_alloc_total, sn->alloc_total);
        return why;
    }
    if (sn->ms_total_alloc >= 0 && s->last_ms_total_alloc >= 0 &&
        sn->ms_total_alloc < s->last_ms_total_alloc) {
        snprintf(why, n, "memstats TotalAlloc dropped from %" PRId64 " to %" PRId64,
                 s->last_ms_total_alloc, sn->ms_total_alloc);
        return why;
    }
    if (sn->ms_num_gc >= 0 && s->last_ms_num_gc >= 0 && sn->ms_num_gc < s->last_ms_num_gc) {
        snprintf(why, n, "memstats NumGC dropped from %" PRId64 " to %" PRId64, s->last_ms_num_gc,
                 sn->ms_num_gc);
        return why;
    }
    return NULL;
}

static void drop_oldest(lh_watch_session *s)
{
    snap_free(&s->snaps[0]);
    memmove(s->snaps, s->snaps + 1, (s->nsnaps - 1) * sizeof *s->snaps);
    s->nsnaps--;
    size_t k = 0;
    for (size_t i = 0; i < s->nrestarts; i++)
        if (s->restarts[i] > 0)
            s->restarts[k++] = s->restarts[i] - 1;
    s->nrestarts = k;
}

void lh_wsession_commit(lh_watch_session *s, lh_wsnap *sn)
{
    if (isnan(sn->heap_inuse))
        sn->heap_inuse = sn->heap_profile_inuse;
    char why[256];
    if (s->nsnaps > 0 && restart_reason(s, sn, why, sizeof why)) {
        s->segment++;
        lh_wsession_note(s, sn->unix_ms, "restart detected: %s; the new process is analysed on its own",
                         why);
        if (s->nrestarts == s->caprestarts) {
            s->caprestarts = s->caprestarts ? 2 * s->caprestarts : 8;
            s->restarts = realloc(s->restarts, s->caprestarts * sizeof *s->restarts);
            if (!s->restarts)
                abort();
        }
        s->restarts[s->nrestarts++] = s->nsnaps;
    }
    sn->segment = s->segment;
    if (sn->have_heap) {
        s->last_alloc_total = sn->alloc_total;
        s->have_last_alloc = 1;
    }
    if (sn->ms_total_alloc >= 0)
        s->last_ms_total_alloc = sn->ms_total_alloc;
    if (sn->ms_num_gc >= 0)
        s->last_ms_num_gc = sn->ms_num_gc;
    if (s->cfg.max_snapshots && s->nsnaps >= s->cfg.max_snapshots)
        drop_oldest(s);
    if (s->nsnaps == s->capsnaps) {
        s->capsnaps = s->capsnaps ? 2 * s->capsnaps : 32;
        s->snaps = realloc(s->snaps, s->capsnaps * sizeof *s->snaps);
        if (!s->snaps)
            abort();
    }
    s->snaps[s->nsnaps++] = *sn;
    s->last_ok_ms = sn->unix_ms;
}

/* ---- saving ------------------------------------------------------------------------- */

static const char *save_ext(const char *kind, const unsigned char *data, size_t len)
{
    if (strcmp(kind, "vars") == 0)
        return "json";
    return len >= 2 && data[0] == 0x1f && data[1] == 0x8b ? "pb.gz" : "txt";
}

/* KIND.SEQ.EXT: zero-padded, so `trend DIR/heap.*` and `goroutines
 * DIR/goroutine.*` list them in time order; the mtime is the fetch time
 * for the commands that order text dumps by it. */
static void save_body(lh_watch_session *s, lh_buf *manifest, const char *kind, int64_t unix_ms,
                      const unsigned char *data, size_t len)
{
    if (!s->save_dir || s->save_failed)
        return;
    char name[64], path[4200], err[256];
    snprintf(name, sizeof name, "%s.%06zu.%s", kind, s->seq, save_ext(kind, data, len));
    snprintf(path, sizeof path, "%s/%s", s->save_dir, name);
    if (lh_write_file_atomic(path, data, len, err, sizeof err) != 0) {
        lh_wsession_note(s, unix_ms, "saving to %s failed (%s); saving stopped", s->save_dir, err);
        s->save_failed = 1;
        return;
    }
    struct timespec ts[2] = {{unix_ms / 1000, (unix_ms % 1000) * 1000000L},
                             {unix_ms / 1000, (unix_ms % 1000) * 1000000L}};
    (void)utimensat(AT_FDCWD, path, ts, 0);
    lh_buf_printf(manifest, "file\t%zu\t%s\t%s\n", s->seq, kind, name);
}

/* The manifest (watch.tsv) is rewritten whole after each snapshot: what
 * --load needs beyond the files (when each snapshot was taken, the target,
 * the notes), and never half written. */
static void save_manifest(lh_watch_session *s)
{
    if (!s->save_dir || s->save_failed)
        return;
    lh_buf b = LH_BUF_INIT;
    lh_buf_printf(&b, "# leakhound watch 1\ntarget\t%s\nstarted\t%" PRId64 "\n", s->target,
                  s->started_ms);
    lh_buf_append(&b, s->manifest.data, s->manifest.len);
    for (size_t i = 0; i < s->nnotes; i++)
        lh_buf_printf(&b, "note\t%.3f\t%zu\t%s\n", s->notes[i].t_s, s->notes[i].repeats,
                      s->notes[i].text);
    char path[4200], err[256];
    snprintf(path, sizeof path, "%s/watch.tsv", s->save_dir);
    if (lh_write_file_atomic(path, b.data, b.len, err, sizeof err) != 0) {
        lh_wsession_note(s, now_ms(), "saving to %s failed (%s); saving stopped", s->save_dir, err);
        s->save_failed = 1;
    }
    lh_buf_free(&b);
}

/* ---- polling ------------------------------------------------------------------------------ */

typedef struct fetched {
    char *data;
    size_t len;
    lh_fetch_info info;
    char err[512];
} fetched;

/* One endpoint with retries: a timeout, a 5xx or a broken transfer may be
 * passing; a 404 is an answer; a refused connection is retried briefly
 * (the service may be restarting). *first gets the first failure's
 * message, for the note that says a retry was needed. */
static int fetch_retry(lh_watch_session *s, const char *url, fetched *f, char *first,
                       size_t firstlen)
{
    lh_fetch_opts o = {s->cfg.timeout_ms, 0, 0};
    long backoff = 250;
    first[0] = '\0';
    for (int attempt = 0; attempt < 3; attempt++) {
        if (attempt > 0) {
            sleep_ms(backoff);
            backoff *= 2;
        }
        f->data = NULL;
        if (lh_fetch_url_info(url, &o, &f->data, &f->len, &f->info, f->err, sizeof f->err) == 0)
            return 0;
        if (!first[0])
            snprintf(first, firstlen, "%s", f->err);
        if (f->info.error == LH_FETCH_HTTP && f->info.status < 500)
            return -1;
        if (f->info.error == LH_FETCH_TIMEOUT && attempt >= 1)
            return -1;
    }
    return -1;
}

static lh_poll_status status_of(const fetched *f)
{
    switch (f->info.error) {
    case LH_FETCH_CONNECT: return LH_POLL_CONNECT;
    case LH_FETCH_TIMEOUT: return LH_POLL_TIMEOUT;
    case LH_FETCH_HTTP: return LH_POLL_HTTP_ERROR;
    default: return LH_POLL_BAD_PROFILE;
    }
}

/* Fetches, saves and ingests one endpoint. Returns 0, 1 when the endpoint
 * is not served (404), or -1 with *st set. */
static int poll_one(lh_watch_session *s, lh_wsnap *sn, lh_buf *manifest, const char *kind,
                    const char *url, lh_poll_status *st)
{
    fetched f;
    char err[512], first[512];
    for (int attempt = 0; attempt < 2; attempt++) {
        if (fetch_retry(s, url, &f, first, sizeof first) != 0) {
            if (f.info.error == LH_FETCH_HTTP && f.info.status == 404)
                return 1;
            *st = status_of(&f);
            lh_wsession_note(s, sn->unix_ms, "%s: %s (retried)", kind, f.err);
            return -1;
        }
        double slow = (s->cfg.timeout_ms > 0 ? (double)s->cfg.timeout_ms
                                             : (double)LH_FETCH_DEFAULT_TIMEOUT_MS) / 2000.0;
        if (f.info.seconds > slow)
            lh_wsession_note(s, sn->unix_ms, "%s: slow answer (over %.1f s)", kind, slow);
        if (first[0])
            lh_wsession_note(s, sn->unix_ms, "%s: %s; retried with success", kind, first);
        if (lh_wsession_ingest(s, sn, kind, url, (const unsigned char *)f.data, f.len, err,
                               sizeof err) == 0) {
            save_body(s, manifest, kind, sn->unix_ms, (const unsigned char *)f.data, f.len);
            free(f.data);
            return 0;
        }
        free(f.data);
        /* A body that does not decode may be a connection cut short: ask
         * once more. */
        lh_wsession_note(s, sn->unix_ms, "%s: %s; asking again", kind, err);
    }
    lh_wsession_note(s, sn->unix_ms, "%s: %s (asked twice; the snapshot goes without it)", kind, err);
    *st = LH_POLL_BAD_PROFILE;
    return -1;
}

/* Past this many goroutines the text dump is megabytes per poll; the proto
 * form carries the same stacks with counts. */
enum { PROTO_GOROUTINES = 20000 };

lh_poll_status lh_watch_session_poll(lh_watch_session *s)
{
    if (!s->base)
        return LH_POLL_CONNECT;
    lh_wsnap sn;
    snap_init(&sn, now_ms());
    lh_buf manifest = LH_BUF_INIT, url = LH_BUF_INIT;
    lh_poll_status st = LH_POLL_OK, bad = LH_POLL_OK;
    int failed = 0;

    lh_buf_printf(&url, "%sheap?gc=1", s->base);
    int rc = poll_one(s, &sn, &manifest, "heap", url.data, &bad);
    if (rc != 0) {
        failed++;
        st = rc > 0 ? LH_POLL_HTTP_ERROR : bad;
        if (rc > 0)
            lh_wsession_note(s, sn.unix_ms, "heap: not served (HTTP 404) at %sheap", s->base);
    }
    /* A service that refuses connections is gone (for now): asking its
     * other endpoints would only fail the same way. */
    if (st != LH_POLL_CONNECT) {
        lh_buf_clear(&url);
        lh_buf_printf(&url, "%sgoroutine%s", s->base, s->use_proto_goroutines ? "" : "?debug=2");
        rc = poll_one(s, &sn, &manifest, "goroutine", url.data, &bad);
        if (rc != 0) {
            failed++;
            st = st != LH_POLL_OK ? st : rc > 0 ? LH_POLL_HTTP_ERROR : bad;
        } else if (!s->use_proto_goroutines && sn.goroutines > PROTO_GOROUTINES) {
            s->use_proto_goroutines = 1;
            lh_wsession_note(s, sn.unix_ms, "over %d goroutines: dumps are fetched in the proto form "
                             "from now on (no wait reasons)", PROTO_GOROUTINES);
        }
        if (s->leak_served != SERVED_NO && failed < 2) {
            lh_buf_clear(&url);
            lh_buf_printf(&url, "%sgoroutineleak?debug=1", s->base);
            rc = poll_one(s, &sn, &manifest, "goroutineleak", url.data, &bad);
            if (rc > 0)
                s->leak_served = SERVED_NO;   /* before Go 1.26: stop asking */
            else if (rc == 0)
                s->leak_served = SERVED_YES;
        }
        if (s->vars_served != SERVED_NO && failed < 2) {
            rc = poll_one(s, &sn, &manifest, "vars", s->vars_url, &bad);
            if (rc > 0 || (rc < 0 && s->vars_served == SERVED_UNKNOWN && bad == LH_POLL_BAD_PROFILE))
                s->vars_served = SERVED_NO;   /* no expvar, or no memstats in it */
            else if (rc == 0)
                s->vars_served = SERVED_YES;
        }
    }
    if (failed == 2 || st == LH_POLL_CONNECT) {
        lh_buf_free(&manifest);
        lh_buf_free(&url);
        snap_free(&sn);
        return st;
    }
    if (s->save_dir) {
        lh_buf_printf(&s->manifest, "snap\t%zu\t%" PRId64 "\n", s->seq, sn.unix_ms);
        lh_buf_append(&s->manifest, manifest.data, manifest.len);
    }
    lh_wsession_commit(s, &sn);
    save_manifest(s);
    s->seq++;
    lh_buf_free(&manifest);
    lh_buf_free(&url);
    return failed ? LH_POLL_PARTIAL : LH_POLL_OK;
}

/* ---- loading a saved watch ------------------------------------------------------------------ */

lh_watch_session *lh_watch_session_load(const char *dir, const lh_watch_config *cfg, char *err,
                                        size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/watch.tsv", dir);
    char *text = NULL;
    size_t len = 0, lerr = 0;
    char rerr[256];
    if (lh_read_file(path, (size_t)64 << 20, &text, &len, rerr, sizeof rerr) != 0) {
        snprintf(err, errlen, "%s: %s (not a directory saved by watch --save?)", path, rerr);
        return NULL;
    }
    (void)lerr;
    lh_watch_config c = *cfg;
    c.target = NULL;
    c.save_dir = NULL;
    lh_watch_session *s = lh_watch_session_new(&c, err, errlen);
    if (!s) {
        free(text);
        return NULL;
    }
    lh_wsnap sn;
    int open = 0;
    size_t lineno = 0;
    int ok = 1;
    for (char *line = text, *next; ok && line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        char *f[4] = {NULL, NULL, NULL, NULL};
        size_t nf = 0;
        for (char *p = line; nf < 4; nf++) {
            f[nf] = p;
            p = nf < 3 ? strchr(p, '\t') : NULL;
            if (!p) {
                nf++;
                break;
            }
            *p++ = '\0';
        }
        if (line[0] == '#' || !f[0][0])
            continue;
        if (strcmp(f[0], "target") == 0 && nf >= 2) {
            free(s->target);
            s->target = xstrdup(f[1]);
            s->cfg.target = s->target;
        } else if (strcmp(f[0], "started") == 0 && nf >= 2) {
            s->started_ms = strtoll(f[1], NULL, 10);
        } else if (strcmp(f[0], "snap") == 0 && nf >= 3) {
            if (open)
                lh_wsession_commit(s, &sn);
            snap_init(&sn, strtoll(f[2], NULL, 10));
            open = 1;
        } else if (strcmp(f[0], "file") == 0 && nf >= 4 && open) {
            if (strchr(f[3], '/')) {
                snprintf(err, errlen, "%s:%zu: file name with a slash", path, lineno);
                ok = 0;
                break;
            }
            char fp[4200];
            snprintf(fp, sizeof fp, "%s/%s", dir, f[3]);
            char *data = NULL;
            size_t dlen = 0;
            if (lh_read_file(fp, (size_t)256 << 20, &data, &dlen, rerr, sizeof rerr) != 0) {
                snprintf(err, errlen, "%s: %s", fp, rerr);
                ok = 0;
                break;
            }
            if (lh_wsession_ingest(s, &sn, f[2], fp, (const unsigned char *)data, dlen, rerr,
                                   sizeof rerr) != 0) {
                snprintf(err, errlen, "%s", rerr);
                ok = 0;
            }
            free(data);
        } else if (strcmp(f[0], "note") == 0 && nf >= 4) {
            /* Notes of the run come back as they were, restarts included;
             * the restarts found again on the data are the same text. */
            int64_t at = s->started_ms + (int64_t)(strtod(f[1], NULL) * 1000.0);
            size_t reps = (size_t)strtoull(f[2], NULL, 10), k = 0;
            while (k < s->nnotes && strcmp(s->notes[k].text, f[3]) != 0)
                k++;
            if (k == s->nnotes)
                lh_wsession_note(s, at, "%s", f[3]);
            s->notes[k].repeats = reps ? reps : 1;
        } else {
            snprintf(err, errlen, "%s:%zu: unrecognized line", path, lineno);
            ok = 0;
        }
    }
    if (ok && open)
        lh_wsession_commit(s, &sn);
    else if (open)
        snap_free(&sn);
    free(text);
    if (!ok) {
        lh_watch_session_free(s);
        return NULL;
    }
    return s;
}

/* ---- reading ------------------------------------------------------------------------------------- */

const lh_watch_report *lh_watch_session_report(lh_watch_session *s, lh_arena *a)
{
    return lh_wverdict(s, a);
}

double lh_watch_session_heap_inuse(const lh_watch_session *s)
{
    for (size_t i = s->nsnaps; i-- > 0;)
        if (!isnan(s->snaps[i].heap_inuse))
            return s->snaps[i].heap_inuse;
    return NAN;
}

double lh_watch_session_goroutines(const lh_watch_session *s)
{
    for (size_t i = s->nsnaps; i-- > 0;)
        if (s->snaps[i].have_gor)
            return s->snaps[i].goroutines;
    return NAN;
}

int64_t lh_watch_session_last_ok_unix_ms(const lh_watch_session *s)
{
    return s->last_ok_ms;
}

size_t lh_watch_session_nrestarts(const lh_watch_session *s)
{
    return s->nrestarts;
}

void lh_watch_session_set_findings(lh_watch_session *s, const struct lh_findings *fs)
{
    s->findings = fs;
}

size_t lh_watch_session_nsnapshots(const lh_watch_session *s)
{
    return s->nsnaps;
}
