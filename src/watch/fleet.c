/* The fleet daemon. Three kinds of thread share one lock:
 *   - fetchers (a fixed pool) take the target whose poll is due soonest,
 *     poll it and build its report outside the lock, then publish;
 *   - the targets-file watcher re-reads the file when it changes and
 *     applies the difference;
 *   - the caller's thread serves HTTP, rendering from what was published.
 * A target is polled by one fetcher at a time (sessions are
 * thread-compatible, not thread-safe). A removed target leaves the list at
 * once, so its series disappear from the next scrape; a fetcher still
 * polling it frees it when done. */
#include "watch/fleet.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "live/fetch.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/fs.h"
#include "watch/file_sd.h"
#include "watch/httpd.h"
#include "watch/metrics.h"
#include "watch/session.h"
#include "watch/watch.h"

/* One report and the arena it lives in, shared by /metrics and /report
 * readers until a newer one replaces it and the last reader lets go. */
typedef struct published {
    lh_arena arena;
    const lh_watch_report *report;
    int refs;                       /* under the fleet lock */
} published;

typedef struct target {
    char *addr;
    lh_arena meta;                  /* labels */
    lh_sd_label *labels;
    size_t nlabels;
    char *source_dir;               /* effective: the group's, else --source; NULL;
                                     * a new one makes a new target */
    lh_watch_session *session;      /* created by the first fetcher to poll it */
    int dead;                       /* could not be watched (bad URL...): never polled */
    int busy, removed;
    long long due_ms;               /* monotonic */
    lh_metrics_target view;         /* values; names and report are filled at render */
    published *pub;
} target;

typedef struct fleet {
    const lh_fleet_opts *o;
    FILE *log;
    pthread_mutex_t mu;
    pthread_cond_t cv;              /* fetchers wait on it for due targets */
    pthread_mutex_t create_mu;      /* serialises lh_watch_session_new */
    target **t;
    size_t n, cap;
    int quit;
    unsigned rnd;
    /* Targets file: what it looked like when last read. */
    struct stat st;
    int have_st;
    uint64_t sd_ok, sd_failed;
    int64_t sd_last_ok_ms;
    char tmpdir[64];                /* for HTML reports on their way to a client */
    unsigned long seq;
} fleet;

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Under the lock. Uniform in [0, n). */
static long long fleet_rand(fleet *f, long long n)
{
    if (n <= 0)
        return 0;
    f->rnd = f->rnd * 1103515245u + 12345u;
    return (long long)((f->rnd >> 8) % (unsigned long long)n);
}

static void pub_release(published *p)
{
    if (p && --p->refs == 0) {
        lh_arena_free(&p->arena);
        free(p);
    }
}

static void target_free(target *t)
{
    if (t->session)
        lh_watch_session_free(t->session);
    pub_release(t->pub);
    lh_arena_free(&t->meta);
    free(t->source_dir);
    free(t->addr);
    free(t);
}

/* Copies the group's labels into t's own arena (the parse arena dies after
 * the reload), replacing what was there. Under the lock; a fetcher polling
 * t meanwhile reads only addr and source_dir, which never change. */
static void target_set_labels(target *t, const lh_sd_target *sd)
{
    lh_arena fresh;
    lh_arena_init(&fresh);
    lh_sd_label *l = LH_NEWN(&fresh, lh_sd_label, sd->nlabels ? sd->nlabels : 1);
    for (size_t i = 0; i < sd->nlabels; i++) {
        l[i].name = lh_arena_strdup(&fresh, sd->labels[i].name);
        l[i].value = lh_arena_strdup(&fresh, sd->labels[i].value);
    }
    lh_arena_free(&t->meta);
    t->meta = fresh;
    t->labels = l;
    t->nlabels = sd->nlabels;
}

static int same_labels(const target *t, const lh_sd_target *sd)
{
    if (t->nlabels != sd->nlabels)
        return 0;
    for (size_t i = 0; i < sd->nlabels; i++)
        if (strcmp(t->labels[i].name, sd->labels[i].name) != 0 ||
            strcmp(t->labels[i].value, sd->labels[i].value) != 0)
            return 0;
    return 1;
}

static const char *effective_source(const fleet *f, const lh_sd_target *sd)
{
    return sd->source_dir ? sd->source_dir : f->o->source_dir;
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Makes the fleet's target set the file's. Under the lock. */
static void fleet_apply(fleet *f, const lh_sd_target *sd, size_t nsd)
{
    size_t added = 0, removed = 0, kept = 0;
    char *keep = calloc(nsd ? nsd : 1, 1);
    if (!keep)
        abort();
    size_t w = 0;
    for (size_t i = 0; i < f->n; i++) {
        target *t = f->t[i];
        size_t j = 0;
        while (j < nsd && strcmp(sd[j].addr, t->addr) != 0)
            j++;
        /* A new source tree means a new join: start the target afresh. */
        if (j < nsd && same_str(effective_source(f, &sd[j]), t->source_dir)) {
            keep[j] = 1;
            if (!same_labels(t, &sd[j]))
                target_set_labels(t, &sd[j]);
            f->t[w++] = t;
            kept++;
            continue;
        }
        removed++;
        if (t->busy)
            t->removed = 1;     /* its fetcher frees it */
        else
            target_free(t);
    }
    f->n = w;
    long long now = mono_ms();
    for (size_t j = 0; j < nsd; j++) {
        if (keep[j])
            continue;
        target *t = calloc(1, sizeof *t);
        if (!t)
            abort();
        t->addr = strdup(sd[j].addr);
        if (!t->addr)
            abort();
        lh_arena_init(&t->meta);
        const char *src = effective_source(f, &sd[j]);
        t->source_dir = src ? strdup(src) : NULL;
        if (src && !t->source_dir)
            abort();
        target_set_labels(t, &sd[j]);
        t->view.heap_inuse_bytes = NAN;
        t->view.goroutines = NAN;
        /* Spread the first polls over one interval, so that 200 targets
         * added at once do not all fall on the same second. */
        t->due_ms = now + fleet_rand(f, f->o->every_ms);
        if (f->n == f->cap) {
            f->cap = f->cap ? 2 * f->cap : 64;
            f->t = realloc(f->t, f->cap * sizeof *f->t);
            if (!f->t)
                abort();
        }
        f->t[f->n++] = t;
        added++;
    }
    free(keep);
    fprintf(f->log, "leakhound watch: watching %zu targets from %s (%zu added, %zu removed)\n",
            f->n, f->o->targets_file, added, removed);
    (void)kept;
    pthread_cond_broadcast(&f->cv);
}

static int stat_same(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Re-reads the targets file when it changed (or on the first call). A file
 * that does not parse leaves the targets as they are: a half-saved edit
 * must not stop the watch of two hundred services. Returns -1 when the file
 * was read and rejected. Not under the lock. */
static int fleet_reload(fleet *f, int first)
{
    struct stat st;
    if (stat(f->o->targets_file, &st) < 0) {
        if (first || f->have_st)
            fprintf(f->log, "leakhound watch: %s: %s%s\n", f->o->targets_file, strerror(errno),
                    first ? "" : " (keeping the current targets)");
        pthread_mutex_lock(&f->mu);
        f->have_st = 0;
        if (!first)
            f->sd_failed++;
        pthread_mutex_unlock(&f->mu);
        return -1;
    }
    if (!first && f->have_st && stat_same(&st, &f->st))
        return 0;
    f->st = st;
    f->have_st = 1;     /* a bad file is reported once, not every second */
    lh_arena a;
    lh_arena_init(&a);
    lh_sd_target *sd;
    size_t nsd;
    char err[512];
    int rc = lh_file_sd_read(f->o->targets_file, &a, &sd, &nsd, err, sizeof err);
    pthread_mutex_lock(&f->mu);
    if (rc < 0) {
        f->sd_failed++;
        fprintf(f->log, "leakhound watch: %s%s\n", err, first ? "" : " (keeping the current targets)");
    } else {
        f->sd_ok++;
        f->sd_last_ok_ms = wall_ms();
        fleet_apply(f, sd, nsd);
    }
    pthread_mutex_unlock(&f->mu);
    lh_arena_free(&a);
    return rc;
}

/* "host:port" or a URL -> a directory name that stays one path component. */
static void save_name(lh_buf *b, const char *addr)
{
    for (const char *p = addr; *p; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '-';
        lh_buf_putc(b, ok ? c : '_');
    }
}

/* Not under the lock: t is busy, so this fetcher owns its session. */
static lh_watch_session *target_session(fleet *f, target *t, char *err, size_t errlen)
{
    if (t->session)
        return t->session;
    lh_buf dir = LH_BUF_INIT;
    if (f->o->save_dir) {
        lh_buf_printf(&dir, "%s/", f->o->save_dir);
        save_name(&dir, t->addr);
    }
    lh_watch_config cfg = {
        .target = t->addr,
        .timeout_ms = f->o->timeout_ms,
        .max_snapshots = f->o->window,
        .save_dir = f->o->save_dir ? dir.data : NULL,
        .source_dir = t->source_dir,
        .max_suspects = 0,  /* /metrics caps; the HTML report shows them all */
    };
    /* One at a time: with a source tree, creating a session scans it, and
     * two hundred targets of one group must not scan it side by side (the
     * memory of each scan at once, and the scanner was written for one
     * thread). */
    pthread_mutex_lock(&f->create_mu);
    t->session = lh_watch_session_new(&cfg, err, errlen);
    pthread_mutex_unlock(&f->create_mu);
    lh_buf_free(&dir);
    return t->session;
}

static void poll_one(fleet *f, target *t)
{
    char err[512] = "";
    lh_watch_session *s = target_session(f, t, err, sizeof err);
    if (!s) {
        fprintf(f->log, "leakhound watch: target %s: %s; not watched\n", t->addr, err);
        pthread_mutex_lock(&f->mu);
        t->dead = 1;
        t->view.polled = 1;
        t->view.up = 0;
        return;     /* with the lock held, as the caller expects */
    }
    lh_poll_status st = lh_watch_session_poll(s);
    published *p = malloc(sizeof *p);
    if (!p)
        abort();
    lh_arena_init(&p->arena);
    p->report = lh_watch_session_report(s, &p->arena);
    p->refs = 1;
    double heap = lh_watch_session_heap_inuse(s);
    double gor = lh_watch_session_goroutines(s);
    int64_t last_ok = lh_watch_session_last_ok_unix_ms(s);
    /* The session counts the restarts inside its window, which forgets old
     * ones as it rolls; a Prometheus counter must never go down. A restart
     * is seen on the snapshot that begins the new process, so a poll that
     * added a snapshot and finds a restart on it counts one. */
    int added = (st == LH_POLL_OK || st == LH_POLL_PARTIAL) && p->report &&
                p->report->nsnapshots > 0;
    int restarted = added && p->report->nrestarts > 0 &&
                    p->report->restart_at[p->report->nrestarts - 1] == p->report->nsnapshots - 1;

    pthread_mutex_lock(&f->mu);
    lh_metrics_target *v = &t->view;
    v->polled = 1;
    v->up = st == LH_POLL_OK || st == LH_POLL_PARTIAL;
    v->heap_inuse_bytes = heap;
    v->goroutines = gor;
    v->last_ok_unix_ms = last_ok;
    v->polls++;
    if ((int)st >= 0 && (int)st < LH_METRICS_NSTATUS)
        v->by_status[st]++;
    v->restarts += (size_t)restarted;
    v->snapshots = p->report ? p->report->nsnapshots : 0;
    pub_release(t->pub);
    t->pub = p;
}

static void *fetcher(void *arg)
{
    fleet *f = arg;
    pthread_mutex_lock(&f->mu);
    while (!f->quit) {
        long long now = mono_ms();
        target *best = NULL;
        for (size_t i = 0; i < f->n; i++) {
            target *t = f->t[i];
            if (!t->busy && !t->dead && (!best || t->due_ms < best->due_ms))
                best = t;
        }
        if (!best || best->due_ms > now) {
            long long wait = best ? best->due_ms - now : 1000;
            if (wait > 1000)
                wait = 1000;
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            long long ns = ts.tv_nsec + (wait % 1000) * 1000000LL;
            ts.tv_sec += (time_t)(wait / 1000 + ns / 1000000000LL);
            ts.tv_nsec = (long)(ns % 1000000000LL);
            pthread_cond_timedwait(&f->cv, &f->mu, &ts);
            continue;
        }
        best->busy = 1;
        long long started = now;
        pthread_mutex_unlock(&f->mu);
        poll_one(f, best);  /* returns with the lock held */
        best->busy = 0;
        if (best->removed) {
            target_free(best);
            continue;
        }
        /* The next poll one interval after this one began, +-10%: targets
         * that started together drift apart instead of staying in step. */
        long long every = f->o->every_ms;
        best->due_ms = started + every - every / 10 + fleet_rand(f, every / 5 + 1);
    }
    pthread_mutex_unlock(&f->mu);
    return NULL;
}

typedef struct reloader_arg {
    fleet *f;
    volatile sig_atomic_t *stop;
} reloader_arg;

static void *reloader(void *arg)
{
    reloader_arg *r = arg;
    fleet *f = r->f;
    for (;;) {
        pthread_mutex_lock(&f->mu);
        int quit = f->quit;
        pthread_mutex_unlock(&f->mu);
        if (quit || *r->stop)
            break;
        struct timespec ts = {f->o->reload_ms / 1000, (f->o->reload_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        fleet_reload(f, 0);
    }
    return NULL;
}

/* ---- HTTP pages ----------------------------------------------------------- */

static void html_escape(lh_buf *b, const char *s)
{
    lh_buf_html_str(b, s, strlen(s));
}

static void human_bytes(lh_buf *b, double v)
{
    static const char *units[] = {"B", "kB", "MB", "GB", "TB"};
    int u = 0;
    while (fabs(v) >= 1000 && u < 4) {
        v /= 1000;
        u++;
    }
    lh_buf_printf(b, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

/* Under the lock. */
static void page_index(fleet *f, lh_http_response *r)
{
    lh_buf *b = &r->body;
    r->content_type = "text/html; charset=utf-8";
    lh_buf_puts(b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>leakhound "
                   "fleet</title>\n<style>body{font:14px sans-serif;margin:1.5em}"
                   "table{border-collapse:collapse}td,th{padding:.3em .7em;border-bottom:1px solid "
                   "#ddd;text-align:left;vertical-align:top}.down{color:#b00}.leak{color:#b00;"
                   "font-weight:bold}.ok{color:#070}</style></head><body>\n");
    lh_buf_printf(b, "<h1>leakhound: %zu targets</h1>\n<p>From ", f->n);
    html_escape(b, f->o->targets_file);
    lh_buf_puts(b, ". <a href=\"/metrics\">/metrics</a></p>\n<table><tr><th>target</th>"
                   "<th>labels</th><th>up</th><th>heap in use</th><th>goroutines</th>"
                   "<th>snapshots</th><th>restarts</th><th>verdict</th></tr>\n");
    for (size_t i = 0; i < f->n; i++) {
        const target *t = f->t[i];
        const lh_watch_report *rep = t->pub ? t->pub->report : NULL;
        lh_buf_puts(b, "<tr><td><a href=\"/report/");
        lh_http_escape(b, t->addr);
        lh_buf_puts(b, "\">");
        html_escape(b, t->addr);
        lh_buf_puts(b, "</a></td><td>");
        for (size_t k = 0; k < t->nlabels; k++) {
            html_escape(b, t->labels[k].name);
            lh_buf_putc(b, '=');
            html_escape(b, t->labels[k].value);
            lh_buf_puts(b, k + 1 < t->nlabels ? ", " : "");
        }
        lh_buf_puts(b, "</td><td>");
        lh_buf_puts(b, !t->view.polled ? "-" : t->view.up ? "<span class=ok>up</span>"
                                                            : "<span class=down>down</span>");
        lh_buf_puts(b, "</td><td>");
        if (!isnan(t->view.heap_inuse_bytes))
            human_bytes(b, t->view.heap_inuse_bytes);
        lh_buf_puts(b, "</td><td>");
        if (!isnan(t->view.goroutines))
            lh_buf_printf(b, "%.0f", t->view.goroutines);
        lh_buf_printf(b, "</td><td>%zu</td><td>%zu</td><td%s>", t->view.snapshots,
                      t->view.restarts, rep && rep->nsuspects ? " class=leak" : "");
        if (t->dead)
            lh_buf_puts(b, "not watched (see the daemon's log)");
        else if (rep && rep->verdict)
            html_escape(b, rep->verdict);
        else
            lh_buf_puts(b, "waiting for the first snapshot");
        lh_buf_puts(b, "</td></tr>\n");
    }
    lh_buf_puts(b, "</table></body></html>\n");
}

static void page_text(lh_http_response *r, int status, const char *fmt, const char *arg)
{
    r->status = status;
    r->content_type = "text/plain; charset=utf-8";
    lh_buf_printf(&r->body, fmt, arg);
}

/* /report/TARGET: the same file `watch --html` writes, by way of a private
 * temporary directory (the writer writes files atomically, by path). */
static void page_report(fleet *f, const char *addr, lh_http_response *r)
{
    pthread_mutex_lock(&f->mu);
    published *p = NULL;
    int found = 0;
    for (size_t i = 0; i < f->n; i++) {
        if (strcmp(f->t[i]->addr, addr) == 0) {
            found = 1;
            p = f->t[i]->pub;
            if (p)
                p->refs++;
            break;
        }
    }
    unsigned long seq = ++f->seq;
    pthread_mutex_unlock(&f->mu);
    if (!found) {
        page_text(r, 404, "no target %s\n", addr);
        return;
    }
    if (!p || !p->report) {
        page_text(r, 503, "%s: no snapshot yet\n", addr);
    } else {
        char path[128], err[512];
        snprintf(path, sizeof path, "%s/report-%lu.html", f->tmpdir, seq);
        char *data;
        size_t len;
        if (lh_watch_write_html(p->report, path, err, sizeof err) < 0 ||
            lh_read_file(path, (size_t)1 << 30, &data, &len, err, sizeof err) < 0) {
            page_text(r, 500, "report: %s\n", err);
        } else {
            r->content_type = "text/html; charset=utf-8";
            lh_buf_append(&r->body, data, len);
            free(data);
        }
        unlink(path);
    }
    pthread_mutex_lock(&f->mu);
    pub_release(p);
    pthread_mutex_unlock(&f->mu);
}

static void serve(void *ctx, const char *path, lh_http_response *r)
{
    fleet *f = ctx;
    if (strcmp(path, "/metrics") == 0) {
        pthread_mutex_lock(&f->mu);
        lh_metrics_target *v = calloc(f->n ? f->n : 1, sizeof *v);
        if (!v)
            abort();
        for (size_t i = 0; i < f->n; i++) {
            const target *t = f->t[i];
            v[i] = t->view;
            v[i].target = t->addr;
            v[i].labels = t->labels;
            v[i].nlabels = t->nlabels;
            v[i].report = t->pub ? t->pub->report : NULL;
        }
        lh_metrics_daemon d = {f->sd_ok, f->sd_failed, f->sd_last_ok_ms, f->o->max_suspects};
        lh_metrics_render(&r->body, v, f->n, &d);
        pthread_mutex_unlock(&f->mu);
        free(v);
        r->content_type = "text/plain; version=0.0.4; charset=utf-8";
    } else if (strcmp(path, "/") == 0) {
        pthread_mutex_lock(&f->mu);
        page_index(f, r);
        pthread_mutex_unlock(&f->mu);
    } else if (strncmp(path, "/report/", 8) == 0) {
        page_report(f, path + 8, r);
    } else {
        page_text(r, 404, "not found: %s (try /, /metrics or /report/TARGET)\n", path);
    }
}

int lh_fleet_run(const lh_fleet_opts *o, volatile sig_atomic_t *stop, FILE *log)
{
    fleet f;
    memset(&f, 0, sizeof f);
    f.o = o;
    f.log = log;
    f.rnd = (unsigned)getpid() ^ (unsigned)mono_ms();
    pthread_mutex_init(&f.mu, NULL);
    pthread_mutex_init(&f.create_mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&f.cv, &ca);
    pthread_condattr_destroy(&ca);

    int rc = 2;
    char err[512];
    lh_httpd *h = NULL;
    pthread_t *th = NULL;
    int nth = 0, have_reloader = 0;
    pthread_t rth;
    reloader_arg ra = {&f, stop};
    const char *tmp = getenv("TMPDIR");
    snprintf(f.tmpdir, sizeof f.tmpdir, "%s/leakhound-fleet-XXXXXX",
             tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
    if (!mkdtemp(f.tmpdir)) {
        fprintf(log, "leakhound watch: %s: %s\n", f.tmpdir, strerror(errno));
        f.tmpdir[0] = '\0';
        goto out;
    }
    if (o->save_dir && mkdir(o->save_dir, 0777) < 0 && errno != EEXIST) {
        fprintf(log, "leakhound watch: --save %s: %s\n", o->save_dir, strerror(errno));
        goto out;
    }
    if (lh_fetch_global_init() < 0) {
        fprintf(log, "leakhound watch: cannot initialise libcurl\n");
        goto out;
    }
    if (fleet_reload(&f, 1) < 0)
        goto out;
    h = lh_httpd_listen(o->listen, err, sizeof err);
    if (!h) {
        fprintf(log, "leakhound watch: %s\n", err);
        goto out;
    }
    fprintf(log, "leakhound watch: serving http://%s/ (/metrics, /report/TARGET); %d fetchers, every %ld ms\n",
            lh_httpd_address(h), o->fetchers, o->every_ms);
    fflush(log);
    th = calloc((size_t)o->fetchers, sizeof *th);
    if (!th)
        abort();
    for (; nth < o->fetchers; nth++) {
        if (pthread_create(&th[nth], NULL, fetcher, &f) != 0) {
            fprintf(log, "leakhound watch: cannot start fetcher threads\n");
            goto out;
        }
    }
    if (pthread_create(&rth, NULL, reloader, &ra) != 0) {
        fprintf(log, "leakhound watch: cannot start the targets file watcher\n");
        goto out;
    }
    have_reloader = 1;
    rc = 0;
    if (lh_httpd_serve(h, serve, &f, stop, err, sizeof err) < 0) {
        fprintf(log, "leakhound watch: %s\n", err);
        rc = 2;
    }
out:
    pthread_mutex_lock(&f.mu);
    f.quit = 1;
    pthread_cond_broadcast(&f.cv);
    pthread_mutex_unlock(&f.mu);
    for (int i = 0; i < nth; i++)
        pthread_join(th[i], NULL);
    if (have_reloader)
        pthread_join(rth, NULL);
    free(th);
    lh_httpd_free(h);
    for (size_t i = 0; i < f.n; i++)
        target_free(f.t[i]);
    free(f.t);
    if (f.tmpdir[0])
        rmdir(f.tmpdir);
    pthread_cond_destroy(&f.cv);
    pthread_mutex_destroy(&f.mu);
    pthread_mutex_destroy(&f.create_mu);
    return rc;
}
