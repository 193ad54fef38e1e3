/* goroutines: group a dump's goroutines by where and why they wait, and
 * point at the groups that look leaked.
 *
 * The suspect rules follow the idea of Uber's LeakProf: a goroutine that is
 * blocked on a channel, select or sync primitive inside user code, in large
 * numbers or for a long time, is most likely never going to wake. Across
 * several dumps the strongest signal is a group that only ever grows (seed
 * 004's alarm: "an insane number of ever increasing goroutines"). Goroutines
 * that live long by design - the runtime's, net/http's server loops, the
 * testing package's, the main goroutine - are never suspects for being
 * many or old. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "util/buf.h"
#include "util/satmath.h"
#include "util/duration.h"

const char *lh_goroutine_category_name(lh_goroutine_category c)
{
    switch (c) {
    case LH_GCAT_RUNTIME: return "runtime";
    case LH_GCAT_HTTP_SERVER: return "http-server";
    case LH_GCAT_TESTING: return "testing";
    case LH_GCAT_MAIN: return "main";
    default: return "user";
    }
}

/* Top-level directories of the standard library (GOROOT/src), as of Go
 * 1.24; "vendor" holds std's vendored golang.org/x packages. */
static const char *const std_roots[] = {
    "archive", "bufio", "builtin", "bytes", "cmp", "compress", "container", "context",
    "crypto", "database", "debug", "embed", "encoding", "errors", "expvar", "flag", "fmt",
    "go", "hash", "html", "image", "index", "internal", "io", "iter", "log", "maps", "math",
    "mime", "net", "os", "path", "plugin", "reflect", "regexp", "runtime", "slices", "sort",
    "strconv", "strings", "structs", "sync", "syscall", "testing", "text", "time", "unicode",
    "unique", "unsafe", "vendor", "weak",
};

/* The package path of a function symbol: "net/http.(*conn).serve" ->
 * "net/http". Returns its length. */
static size_t pkg_len(const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *dot = strchr(slash ? slash : name, '.');
    return dot ? (size_t)(dot - name) : strlen(name);
}

int lh_is_std_function(const char *name)
{
    size_t n = pkg_len(name);
    size_t root = strcspn(name, "/.");
    if (root > n)
        root = n;
    if (root == 0)
        return 0;
    for (size_t i = 0; i < sizeof std_roots / sizeof *std_roots; i++)
        if (strlen(std_roots[i]) == root && strncmp(std_roots[i], name, root) == 0)
            return 1;
    return 0;
}

static int in_pkg(const char *name, const char *pkg)
{
    size_t n = pkg_len(name);
    return strlen(pkg) == n && strncmp(name, pkg, n) == 0;
}

static int starts(const char *s, const char *prefix)
{
    while (*prefix && *s == *prefix)
        s++, prefix++;
    return *prefix == '\0';
}

/* A sample's frames, flattened once: lh_profile_sample_frame walks the
 * locations on every call, and the rules below look at frames many times. */
typedef struct frames {
    lh_profile_frame *f;
    char (*addr)[24];           /* names of unsymbolized frames */
    size_t n, cap;
} frames;

static void flatten(frames *fs, const lh_profile_sample *s)
{
    fs->n = 0;
    for (size_t i = 0; i < s->nlocs; i++) {
        const lh_profile_location *loc = s->locs[i];
        size_t m = loc->nlines ? loc->nlines : 1;
        for (size_t k = 0; k < m; k++) {
            if (fs->n == fs->cap) {
                fs->cap = fs->cap ? fs->cap * 2 : 64;
                fs->f = realloc(fs->f, fs->cap * sizeof *fs->f);
                fs->addr = realloc(fs->addr, fs->cap * sizeof *fs->addr);
                if (!fs->f || !fs->addr)
                    abort();
            }
            lh_profile_frame f = lh_profile_location_frame(loc, k);
            /* An unsymbolized frame is its address, as top names it: two
             * different addresses are two places, and a group always has
             * a name. */
            if (!f.function[0]) {
                snprintf(fs->addr[fs->n], sizeof fs->addr[fs->n], "0x%" PRIx64, f.address);
                f.function = fs->addr[fs->n];
            }
            fs->f[fs->n++] = f;
        }
    }
}

/* What the runtime frames above the first real one say the goroutine waits
 * for, for formats that carry no wait reason (debug=1, proto). The names
 * are the runtime's own wait reasons, so both kinds of dump group alike. */
static const char *infer_wait(const frames *s, size_t block)
{
    int sema = 0;   /* the generic semaphore; a sync.* caller says more */
    for (size_t k = 0; k < block; k++) {
        const char *f = s->f[k].function;
        if (starts(f, "runtime.chansend"))
            return "chan send";
        if (starts(f, "runtime.chanrecv"))
            return "chan receive";
        if (strcmp(f, "runtime.selectgo") == 0)
            return "select";
        if (strcmp(f, "runtime.block") == 0)
            return "select (no cases)";
        if (strcmp(f, "sync.runtime_SemacquireMutex") == 0)
            return "sync.Mutex.Lock";
        if (strcmp(f, "sync.runtime_SemacquireRWMutexR") == 0)
            return "sync.RWMutex.RLock";
        if (strcmp(f, "sync.runtime_SemacquireRWMutex") == 0)
            return "sync.RWMutex.Lock";
        if (strcmp(f, "sync.runtime_notifyListWait") == 0)
            return "sync.Cond.Wait";
        if (starts(f, "sync.runtime_Semacquire") || starts(f, "runtime.semacquire"))
            sema = 1;
        if (strcmp(f, "internal/poll.runtime_pollWait") == 0 || strcmp(f, "runtime.netpollblock") == 0)
            return "IO wait";
        if (strcmp(f, "runtime.timeSleep") == 0 || strcmp(f, "time.Sleep") == 0)
            return "sleep";
    }
    if (sema)
        return "semacquire";
    if (block < s->n && strcmp(s->f[block].function, "time.Sleep") == 0)
        return "sleep";
    return "";
}

typedef enum wait_class { W_OTHER, W_BLOCKING, W_UNKNOWN } wait_class;

/* Channel, select and sync waits only end when another goroutine acts; IO,
 * sleep and syscalls end by themselves or by the outside world. ?debug=1
 * dumps print no runtime frames, so there the reason is unknown. */
static wait_class classify_wait(const char *w)
{
    if (!w[0])
        return W_UNKNOWN;
    if (starts(w, "chan ") || starts(w, "select") || starts(w, "sync.") ||
        starts(w, "semacquire"))
        return W_BLOCKING;
    return W_OTHER;
}

/* Server loops that wait for clients by design: net/http's, and the same
 * loops in the HTTP/2 and gRPC servers most Go services run beside it. */
static int is_http_server(const char *f)
{
    return starts(f, "net/http.(*conn).") || starts(f, "net/http.(*Server).") ||
           starts(f, "net/http.(*connReader).") || starts(f, "net/http.(*http2serverConn).") ||
           starts(f, "net/http.(*http2Server).") || strcmp(f, "net/http.ListenAndServe") == 0 ||
           strcmp(f, "net/http.ListenAndServeTLS") == 0 || strcmp(f, "net/http.Serve") == 0 ||
           starts(f, "golang.org/x/net/http2.(*serverConn).") ||
           starts(f, "golang.org/x/net/http2.(*Server).") ||
           starts(f, "google.golang.org/grpc.(*Server).") ||
           starts(f, "google.golang.org/grpc/internal/transport.(*http2Server).");
}

typedef struct facts {
    size_t block;               /* index of the blocking frame */
    size_t start;               /* the goroutine's own function, see start_frame */
    size_t user;                /* first user frame, SIZE_MAX when none */
    int block_user;             /* blocking frame is user code */
    int user_near;              /* reached user code through sync/context only */
    int any_user;               /* some frame, or the creator, is user code */
    lh_goroutine_category cat;
} facts;

/* The function the goroutine was started with (the f of `go f()`; main.main
 * for the main goroutine): the root-most frame outside the runtime. Every
 * format has it - a debug=2 dump hides runtime.main and runtime.goexit
 * below it, the proto keeps them, debug=1 keeps runtime.main - so it names
 * the goroutine alike in all of them, where only debug=2 says who created
 * it. A goroutine of runtime frames only is started by its root-most one
 * (goexit aside). */
static size_t start_frame(const frames *s)
{
    size_t j = s->n;
    while (j > 0 && lh_is_runtime_function(s->f[j - 1].function))
        j--;
    if (j > 0)
        return j - 1;
    j = s->n - 1;
    while (j > 0 && strcmp(s->f[j].function, "runtime.goexit") == 0)
        j--;
    return j;
}

/* The category comes from the frames, plus the creator and goroutine id
 * where the format has them (debug=2) - never from the format itself: the
 * frames decide wherever they can, so a goroutine lands in the same
 * category whichever form of the dump it comes from. */
static facts examine(const frames *s, const lh_goroutine *g)
{
    facts x = {0, 0, SIZE_MAX, 0, 0, 0, LH_GCAT_USER};
    size_t depth = s->n;
    size_t k = 0;
    x.start = start_frame(s);
    while (k < depth && lh_is_runtime_function(s->f[k].function))
        k++;
    if (k == depth) {
        x.block = 0;
        x.cat = LH_GCAT_RUNTIME;
        return x;
    }
    x.block = k;
    const char *bf = s->f[k].function;
    x.block_user = !lh_is_std_function(bf);
    x.user_near = x.block_user;
    for (size_t j = k; !x.user_near && j < depth; j++) {
        const char *f = s->f[j].function;
        if (!lh_is_std_function(f))
            x.user_near = 1;
        else if (!in_pkg(f, "sync") && !in_pkg(f, "context") && !in_pkg(f, "time"))
            break;
    }
    const char *creator = g ? g->created_by : "";
    x.any_user = creator[0] && !lh_is_std_function(creator);
    int http = is_http_server(creator), testing = starts(creator, "testing.");
    const char *start = s->f[x.start].function;
    for (size_t j = k; j < depth; j++) {
        const char *f = s->f[j].function;
        if (!lh_is_std_function(f) && x.user == SIZE_MAX)
            x.user = j;
    }
    for (size_t j = 0; j < depth; j++) {
        const char *f = s->f[j].function;
        if (!lh_is_std_function(f))
            x.any_user = 1;
        http |= is_http_server(f);
        testing |= starts(f, "testing.");
    }
    if ((g && g->id == 1) || (strcmp(start, "main.main") == 0 && !creator[0]))
        x.cat = LH_GCAT_MAIN;
    else if (starts(creator, "runtime.") || starts(bf, "os/signal."))
        x.cat = LH_GCAT_RUNTIME;
    else if (testing)
        x.cat = LH_GCAT_TESTING;
    else if (http && (!x.block_user || starts(bf, "golang.org/x/net/") ||
                      starts(bf, "google.golang.org/grpc")))
        /* A handler stuck in its own code is the handler's leak; the
         * server waiting for the next request is not. */
        x.cat = LH_GCAT_HTTP_SERVER;
    return x;
}

/* ---- grouping ------------------------------------------------------------- */

typedef struct group_rec {
    lh_goroutine_group g;
    int64_t *counts;
    const char *key;
    int block_user, user_near, any_user;
    int cleared;                /* in a goroutineleak dump, and not tagged leaked */
} group_rec;

typedef struct groups {
    group_rec *recs;
    size_t len, cap;
    uint32_t *slots;            /* open addressing, UINT32_MAX empty */
    size_t nslots;
} groups;

static uint64_t hash_key(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static void rehash(groups *gs)
{
    size_t n = gs->nslots ? gs->nslots * 2 : 256;
    uint32_t *slots = malloc(n * sizeof *slots);
    if (!slots)
        abort();
    memset(slots, 0xff, n * sizeof *slots);
    for (size_t i = 0; i < gs->len; i++) {
        size_t j = hash_key(gs->recs[i].key, strlen(gs->recs[i].key)) & (n - 1);
        while (slots[j] != UINT32_MAX)
            j = (j + 1) & (n - 1);
        slots[j] = (uint32_t)i;
    }
    free(gs->slots);
    gs->slots = slots;
    gs->nslots = n;
}

static group_rec *find_group(groups *gs, const char *key, size_t klen, int *created)
{
    if ((gs->len + 1) * 2 > gs->nslots)
        rehash(gs);
    size_t j = hash_key(key, klen) & (gs->nslots - 1);
    for (; gs->slots[j] != UINT32_MAX; j = (j + 1) & (gs->nslots - 1)) {
        group_rec *r = &gs->recs[gs->slots[j]];
        if (strlen(r->key) == klen && memcmp(r->key, key, klen) == 0) {
            *created = 0;
            return r;
        }
    }
    if (gs->len == gs->cap) {
        gs->cap = gs->cap ? gs->cap * 2 : 64;
        gs->recs = realloc(gs->recs, gs->cap * sizeof *gs->recs);
        if (!gs->recs)
            abort();
    }
    gs->slots[j] = (uint32_t)gs->len;
    *created = 1;
    group_rec *r = &gs->recs[gs->len++];
    memset(r, 0, sizeof *r);
    return r;
}

typedef struct ordered {
    int64_t time;
    size_t index;
} ordered;

static int cmp_time(const void *pa, const void *pb)
{
    const ordered *a = pa, *b = pb;
    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

static int cmp_group(const void *pa, const void *pb)
{
    const lh_goroutine_group *a = pa, *b = pb;
    if (a->suspect != b->suspect)
        return a->suspect ? -1 : 1;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    int c = strcmp(a->function, b->function);
    if (c)
        return c;
    c = strcmp(a->wait_reason, b->wait_reason);
    if (c)
        return c;
    c = strcmp(a->start_function, b->start_function);
    return c ? c : strcmp(a->created_function, b->created_function);
}

/* The waits the Go 1.26+ goroutine leak detector judges (the runtime's
 * isChanWait and isSyncWait); for the others - IO, sleep, a nil channel -
 * its silence says nothing. */
static int detector_judges(const char *w)
{
    static const char *const judged[] = {
        "chan send", "chan receive", "select", "sync.Cond.Wait", "sync.Mutex.Lock",
        "sync.RWMutex.RLock", "sync.RWMutex.Lock", "sync.WaitGroup.Wait",
    };
    for (size_t i = 0; i < sizeof judged / sizeof *judged; i++)
        if (strcmp(w, judged[i]) == 0)
            return 1;
    return 0;
}

/* Applies the suspect rules to one group; sets suspect and why. */
static void judge(lh_goroutine_group *g, const group_rec *r, size_t n, const lh_goroutine_opts *o,
                  lh_arena *a)
{
    char why[256];
    wait_class w = classify_wait(g->wait_reason);
    /* Climbing across dumps: the group never shrank, grew by at least
     * min_climb, and was still growing in the later half (a pool that
     * filled up at start-up - 0, 8, 8, 8 - is not climbing). Any wait
     * reason: seed 004's leaked transport goroutines sit in IO wait and
     * select inside net/http. */
    int climbing = n >= 2 && g->counts[n - 1] - g->counts[0] >= o->min_climb &&
                   (n == 2 || g->counts[n - 1] > g->counts[(n - 1) / 2]);
    for (size_t i = 1; climbing && i < n; i++)
        if (g->counts[i] < g->counts[i - 1])
            climbing = 0;
    /* Server connections are never suspects, even climbing: an idle
     * keep-alive connection is held open by its client, and the server's
     * idle timeout bounds it - the leak, if any, is in the client (which
     * shows up here as the transport's readLoop/writeLoop when the client
     * is this process, as in seed 004). */
    if (g->category != LH_GCAT_USER) {
        snprintf(why, sizeof why, "%s goroutines live long by design",
                 lh_goroutine_category_name(g->category));
        g->why = lh_arena_strdup(a, why);
        return;
    }
    if (g->leaked) {
        snprintf(why, sizeof why, "the runtime reports them leaked: blocked on something no live "
                                  "goroutine can reach");
        g->suspect = 1;
    } else if (r->cleared && detector_judges(g->wait_reason) && !climbing) {
        /* The runtime's leak detector looked at exactly these waits and
         * found something live that can still wake them: a worker pool
         * idle on a channel the program holds is not a leak, however big. */
        snprintf(why, sizeof why, "the runtime's leak detector found them reachable: a live "
                                  "goroutine can still wake them");
    } else if (climbing) {
        snprintf(why, sizeof why, "count keeps climbing: %" PRId64 " -> %" PRId64 " over %zu dumps",
                 g->counts[0], g->counts[n - 1], n);
        g->suspect = 1;
    } else if (w == W_BLOCKING && r->user_near && g->count >= o->min_count) {
        snprintf(why, sizeof why, "%" PRId64 " %s blocked on %s in user code", g->count,
                 lh_plural(g->count, "goroutine", "goroutines"), g->wait_reason);
        g->suspect = 1;
    } else if (w == W_UNKNOWN && r->block_user && g->count >= o->min_count) {
        /* LeakProf's own input: stacks with counts, no wait reasons. Many
         * goroutines parked at one line of user code is the signal. */
        snprintf(why, sizeof why, "%" PRId64 " %s parked in user code (this format has no "
                                  "wait reason)", g->count, lh_plural(g->count, "goroutine", "goroutines"));
        g->suspect = 1;
    } else if (w == W_BLOCKING && r->any_user && g->max_wait_minutes >= o->min_wait_minutes) {
        snprintf(why, sizeof why, "blocked on %s for %" PRId64 " %s", g->wait_reason,
                 g->max_wait_minutes, lh_plural(g->max_wait_minutes, "minute", "minutes"));
        g->suspect = 1;
    } else if ((w == W_BLOCKING && r->user_near) || (w == W_UNKNOWN && r->block_user)) {
        snprintf(why, sizeof why, "blocked in user code, but fewer than %" PRId64
                                  " and not for %" PRId64 " %s",
                 o->min_count, o->min_wait_minutes,
                 lh_plural(o->min_wait_minutes, "minute", "minutes"));
    } else {
        snprintf(why, sizeof why, "%s",
                 w == W_OTHER ? "not blocked on a channel, select or lock" : "blocked outside user code");
    }
    g->why = lh_arena_strdup(a, why);
}

int lh_goroutines(const lh_profile *const *dumps, size_t n, const lh_goroutine_opts *opts,
                  lh_arena *a, lh_goroutine_result *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    lh_goroutine_opts o = opts ? *opts : (lh_goroutine_opts){0, 0, 0, 0};
    if (o.min_count <= 0)
        o.min_count = 10;
    if (o.min_wait_minutes <= 0)
        o.min_wait_minutes = 10;
    if (o.min_climb <= 0)
        o.min_climb = 3;
    if (n == 0) {
        snprintf(err, errlen, "no goroutine profiles given");
        return -1;
    }
    ordered *ord = LH_NEWN(a, ordered, n);
    for (size_t i = 0; i < n; i++) {
        const lh_profile *p = dumps[i];
        if (p->kind != LH_PROFILE_GOROUTINE && p->kind != LH_PROFILE_GOROUTINELEAK) {
            snprintf(err, errlen, "%s: not a goroutine profile (it is a %s profile)", p->name,
                     lh_profile_kind_name(p->kind));
            return -1;
        }
        ord[i].time = p->time_nanos;
        ord[i].index = i;
    }
    if (!o.in_order)
        qsort(ord, n, sizeof *ord, cmp_time);
    out->ndumps = n;
    out->order = LH_NEWN(a, size_t, n);
    out->totals = LH_NEWN(a, int64_t, n);

    groups gs = {0};
    frames fs = {NULL, NULL, 0, 0};
    lh_buf key = LH_BUF_INIT;
    for (size_t d = 0; d < n; d++) {
        const lh_profile *p = dumps[ord[d].index];
        out->order[d] = ord[d].index;
        int vi = lh_profile_sample_type_index(p, "goroutine");
        if (vi < 0)
            vi = p->nsample_types ? 0 : -1;
        for (size_t i = 0; i < p->nsamples; i++) {
            const lh_profile_sample *s = &p->samples[i];
            int64_t count = s->g ? 1 : vi >= 0 ? s->values[vi] : 1;
            flatten(&fs, s);
            if (count <= 0 || fs.n == 0)
                continue;
            out->totals[d] = lh_sat_add(out->totals[d], count);
            facts x = examine(&fs, s->g);
            lh_profile_frame bf = fs.f[x.block];
            const char *wait = s->g && s->g->state[0] ? s->g->state : infer_wait(&fs, x.block);
            const char *cfn = s->g ? s->g->created_by : "";
            const char *cfile = s->g ? s->g->created_file : "";
            int64_t cline = s->g ? s->g->created_line : 0;

            const char *sfn = fs.f[x.start].function;

            /* Where it blocks and why, which function the goroutine runs,
             * who started it (debug=2 only) and its category: the accept
             * loop of main and a client's idle readLoop both wait in
             * internal/poll, but never in one group. */
            lh_buf_clear(&key);
            lh_buf_printf(&key, "%s\x1f%s\x1f%" PRId64 "\x1f%s\x1f%s\x1f%s\x1f%" PRId64 "\x1f%s\x1f%d",
                          bf.function, bf.file, bf.line, wait, cfn, cfile, cline, sfn, (int)x.cat);
            int created;
            group_rec *r = find_group(&gs, key.data, key.len, &created);
            if (created) {
                r->key = lh_arena_strndup(a, key.data, key.len);
                r->counts = LH_NEWN(a, int64_t, n);
                r->g.function = lh_arena_strdup(a, bf.function);
                r->g.file = lh_arena_strdup(a, bf.file);
                r->g.line = bf.line;
                r->g.wait_reason = lh_arena_strdup(a, wait);
                r->g.created_function = lh_arena_strdup(a, cfn);
                r->g.created_file = lh_arena_strdup(a, cfile);
                r->g.created_line = cline;
                r->g.start_function = lh_arena_strdup(a, sfn);
                r->g.category = x.cat;
                lh_profile_frame *st = LH_NEWN(a, lh_profile_frame, fs.n);
                memcpy(st, fs.f, fs.n * sizeof *st);
                r->g.stack = st;
                r->g.nstack = fs.n;
                r->g.user_function = r->g.user_file = "";
                if (x.user != SIZE_MAX && x.user != x.block) {
                    lh_profile_frame uf = fs.f[x.user];
                    r->g.user_function = lh_arena_strdup(a, uf.function);
                    r->g.user_file = lh_arena_strdup(a, uf.file);
                    r->g.user_line = uf.line;
                }
            }
            r->counts[d] = lh_sat_add(r->counts[d], count);
            r->block_user |= x.block_user;
            r->user_near |= x.user_near;
            r->any_user |= x.any_user;
            if (s->g && s->g->wait_minutes > r->g.max_wait_minutes)
                r->g.max_wait_minutes = s->g->wait_minutes;
            /* A goroutineleak ?debug=2 dump lists every goroutine and tags
             * the leaked ones; its proto and ?debug=1 forms hold only the
             * leaked. */
            if (s->g ? (s->g->flags & LH_G_LEAKED) != 0 : p->kind == LH_PROFILE_GOROUTINELEAK)
                r->g.leaked = 1;
            else if (s->g && p->kind == LH_PROFILE_GOROUTINELEAK)
                r->cleared = 1;
        }
    }
    lh_buf_free(&key);
    free(fs.f);
    free(fs.addr);

    out->groups = LH_NEWN(a, lh_goroutine_group, gs.len ? gs.len : 1);
    for (size_t i = 0; i < gs.len; i++) {
        group_rec *r = &gs.recs[i];
        lh_goroutine_group *g = &out->groups[i];
        *g = r->g;
        g->counts = r->counts;
        g->count = r->counts[n - 1];
        judge(g, r, n, &o, a);
        out->nsuspects += g->suspect != 0;
    }
    out->ngroups = gs.len;
    qsort(out->groups, gs.len, sizeof *out->groups, cmp_group);
    free(gs.recs);
    free(gs.slots);
    return 0;
}
