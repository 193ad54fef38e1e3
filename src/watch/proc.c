/* proc: watching a process through /proc alone (--pid, --exec).
 *
 * The samples are cut into lives (one per process the command ran as); each
 * life's resident memory is judged with the same classifier `trend` uses
 * for heap sites, since "more memory every time you look" is the same
 * question at the process level. A restart is never read as memory being
 * freed: lives are fitted apart, and a death after a climb, followed by
 * another climb, is the sawtooth of seed 000. */
#include "watch/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analysis/analysis.h"
#include "report/profile_report.h"
#include "util/buf.h"

/* ---- /proc/PID/status ------------------------------------------------------ */

/* The value after "Key:" at the start of a line, or NULL. */
static const char *status_field(const char *text, const char *key)
{
    size_t k = strlen(key);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, key, k) == 0 && p[k] == ':')
            return p + k + 1;
    return NULL;
}

int lh_proc_parse_status(const char *text, double *rss_bytes, double *threads)
{
    const char *rss = status_field(text, "VmRSS"), *thr = status_field(text, "Threads");
    if (!rss || !thr)
        return -1;
    char *end;
    double kb = strtod(rss, &end);
    /* The kernel has always written "kB"; anything else is not a status
     * file we understand. */
    while (*end == ' ' || *end == '\t')
        end++;
    if (end == rss || strncmp(end, "kB", 2) != 0 || !(kb >= 0))
        return -1;
    double n = strtod(thr, &end);
    if (end == thr || !(n >= 0))
        return -1;
    *rss_bytes = kb * 1024;
    *threads = n;
    return 0;
}

static int read_status(int pid, double *rss, double *threads)
{
    char path[64], text[4096];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    return lh_proc_parse_status(text, rss, threads);
}

/* ---- the analysis ---------------------------------------------------------- */

typedef struct life {
    size_t first, n;        /* its samples: [first, first + n) */
    const lh_proc_death *death;     /* NULL while it runs, or when not seen */
    lh_trend_class cls;
    double slope_per_s, r2;
    int climbed;
} life;

/* Whether a life's memory rose enough, and steadily enough, to call it a
 * climb. Short lives (a process killed after two samples) get no R^2 test:
 * two points always lie on a line. */
static int life_climbed(const lh_proc_sample *s, const life *l)
{
    if (l->n < 2)
        return 0;
    double first = s[l->first].rss_bytes, last = s[l->first + l->n - 1].rss_bytes;
    double need = fmax(LH_PROC_MIN_GROWTH, 0.3 * first);
    return last - first >= need && l->slope_per_s > 0 && (l->n < 4 || l->r2 >= 0.5);
}

static void classify_life(const lh_proc_sample *s, life *l)
{
    l->cls = LH_TREND_NOISE;
    l->slope_per_s = l->r2 = 0;
    if (l->n < 2)
        return;
    double *t = malloc(l->n * sizeof *t), *y = malloc(l->n * sizeof *y);
    if (!t || !y)
        abort();
    for (size_t i = 0; i < l->n; i++) {
        t[i] = s[l->first + i].t_s / 3600;
        y[i] = s[l->first + i].rss_bytes;
    }
    double slope, r2, late;
    l->cls = lh_trend_classify(t, y, l->n, LH_PROC_MIN_GROWTH, &slope, &r2, &late);
    l->slope_per_s = slope / 3600;
    l->r2 = r2;
    free(t);
    free(y);
    l->climbed = life_climbed(s, l);
}

static const char *bytes_str(lh_arena *a, double v)
{
    lh_buf b = {0};
    lh_report_value(&b, (int64_t)v, "bytes");
    const char *s = lh_arena_strndup(a, b.data ? b.data : "", b.len);
    lh_buf_free(&b);
    return s;
}

/* How a process ended, in words: "killed by SIGKILL (what the OOM killer
 * sends)", "exited with status 3". */
static void describe_death(lh_buf *b, const lh_proc_death *d)
{
    if (d->signal == SIGKILL)
        lh_buf_printf(b, "killed by SIGKILL (what the kernel's OOM killer sends)");
    else if (d->signal)
        lh_buf_printf(b, "killed by signal %d (%s)", d->signal, strsignal(d->signal));
    else
        lh_buf_printf(b, "exited with status %d", d->status);
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double clamp01(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

const lh_watch_report *lh_proc_analyse(const lh_proc_history *h, lh_arena *a)
{
    lh_watch_report *r = LH_NEW(a, lh_watch_report);
    const lh_proc_sample *s = h->samples;
    size_t n = h->nsamples;
    r->target = lh_arena_strdup(a, h->target ? h->target : "");
    r->started_unix_ms = h->started_unix_ms;
    r->duration_s = h->duration_s;
    r->nsnapshots = n;
    double *t = LH_NEWN(a, double, n + 1), *rss = LH_NEWN(a, double, n + 1);
    double *heap = LH_NEWN(a, double, n + 1), *gor = LH_NEWN(a, double, n + 1);
    for (size_t i = 0; i < n; i++) {
        t[i] = s[i].t_s;
        rss[i] = s[i].rss_bytes;
        heap[i] = gor[i] = NAN;     /* /proc knows no heap or goroutines */
    }
    r->t_s = t;
    r->rss_bytes = rss;
    r->heap_inuse_bytes = heap;
    r->goroutines = gor;
    /* Copied: the report must not depend on the watcher's memory. */
    lh_watch_note *notes = LH_NEWN(a, lh_watch_note, h->nnotes + 1);
    for (size_t i = 0; i < h->nnotes; i++)
        notes[i] = (lh_watch_note){h->notes[i].t_s, lh_arena_strdup(a, h->notes[i].text)};
    r->notes = notes;
    r->nnotes = h->nnotes;

    /* Lives, in sample order. */
    size_t nlives = 0;
    life *lives = LH_NEWN(a, life, n + 1);
    size_t *restarts = LH_NEWN(a, size_t, n + 1);
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || s[i].life != s[i - 1].life) {
            if (i > 0)
                restarts[r->nrestarts++] = i;
            lives[nlives++] = (life){.first = i};
        }
        lives[nlives - 1].n++;
    }
    r->restart_at = restarts;
    for (size_t k = 0; k < nlives; k++) {
        for (size_t d = 0; d < h->ndeaths; d++)
            if (h->deaths[d].life == s[lives[k].first].life)
                lives[k].death = &h->deaths[d];
        classify_life(s, &lives[k]);
    }

    /* Seed 000: climbs that end in a death, and a climb again after it. */
    size_t nclimbed = 0, nkilled = 0;
    double *peaks = LH_NEWN(a, double, nlives + 1), *slopes = LH_NEWN(a, double, nlives + 1);
    const lh_proc_death *last_kill = NULL;
    for (size_t k = 0; k < nlives; k++) {
        if (!lives[k].climbed)
            continue;
        slopes[nclimbed++] = lives[k].slope_per_s;
        if (lives[k].death) {
            peaks[nkilled++] = s[lives[k].first + lives[k].n - 1].rss_bytes;
            last_kill = lives[k].death;
        }
    }
    int sawtooth = h->supervised && nkilled >= 1 && nclimbed >= 2;

    lh_watch_suspect *sus = LH_NEWN(a, lh_watch_suspect, 2);
    size_t nsus = 0;
    lh_buf b = {0};
    if (sawtooth) {
        double peak = median(peaks, nkilled), rate = median(slopes, nclimbed);
        lh_watch_suspect *x = &sus[nsus++];
        x->kind = LH_SUSPECT_RSS;
        x->growth_per_hour = rate * 3600;
        x->unit = "bytes";
        /* Every climb that ended in a death is one more observation of the
         * same pattern. */
        x->confidence = fmin(0.95, 0.6 + 0.1 * (double)nkilled + 0.05 * (double)nclimbed);
        lh_buf_printf(&b, "sawtooth (seed 000's pattern): resident memory climbs to about %s, the process is ",
                      bytes_str(a, peak));
        describe_death(&b, last_kill);
        lh_buf_printf(&b, ", and the next one climbs again (%zu climbs, %zu ended by death, about %s/h "
                          "each); a leak that restarts hide",
                      nclimbed, nkilled, bytes_str(a, rate * 3600));
        x->summary = lh_arena_strndup(a, b.data, b.len);
    } else {
        /* The process now, or the longest one seen if it is gone. */
        const life *cur = NULL;
        for (size_t k = 0; k < nlives; k++)
            if (lives[k].n >= 3 && (!cur || lives[k].n >= cur->n || !lives[k].death))
                cur = &lives[k];
        if (cur && cur->cls == LH_TREND_GROWING) {
            lh_watch_suspect *x = &sus[nsus++];
            x->kind = LH_SUSPECT_RSS;
            x->growth_per_hour = cur->slope_per_s * 3600;
            x->unit = "bytes";
            x->confidence = clamp01(cur->r2 * (cur->n >= 8 ? 1 : 0.5 + (double)cur->n / 16));
            lh_buf_printf(&b, "resident memory grows steadily: %s/h (R2 %.2f over %zu samples), now %s",
                          bytes_str(a, x->growth_per_hour), cur->r2, cur->n,
                          bytes_str(a, s[cur->first + cur->n - 1].rss_bytes));
            x->summary = lh_arena_strndup(a, b.data, b.len);
        }
    }
    /* Threads that only ever increase are a leak of their own (a thread per
     * blocking call in cgo or syscalls); judged on the process now. */
    if (nlives > 0) {
        const life *cur = &lives[nlives - 1];
        if (cur->n >= 3) {
            double *tt = malloc(cur->n * sizeof *tt), *yy = malloc(cur->n * sizeof *yy);
            if (!tt || !yy)
                abort();
            for (size_t i = 0; i < cur->n; i++) {
                tt[i] = s[cur->first + i].t_s / 3600;
                yy[i] = s[cur->first + i].threads;
            }
            double slope, r2, late;
            if (lh_trend_classify(tt, yy, cur->n, 4, &slope, &r2, &late) == LH_TREND_GROWING) {
                lh_watch_suspect *x = &sus[nsus++];
                double *series = LH_NEWN(a, double, n + 1);
                for (size_t i = 0; i < n; i++)
                    series[i] = s[i].life == s[cur->first].life ? s[i].threads : NAN;
                x->kind = LH_SUSPECT_RSS;
                x->growth_per_hour = slope;
                x->unit = "threads";
                x->confidence = clamp01(r2 * 0.8);
                x->series = series;
                lh_buf_clear(&b);
                lh_buf_printf(&b, "thread count grows steadily: %.0f threads/h (R2 %.2f), now %.0f",
                              slope, r2, yy[cur->n - 1]);
                x->summary = lh_arena_strndup(a, b.data, b.len);
            }
            free(tt);
            free(yy);
        }
    }
    for (size_t i = 0; i < nsus; i++) {
        sus[i].function = sus[i].file = sus[i].std_function = sus[i].std_file = "";
        sus[i].wait_reason = "";
        if (!sus[i].series)
            sus[i].series = rss;
    }
    r->suspects = sus;
    r->nsuspects = nsus;

    lh_buf_clear(&b);
    if (n == 0)
        lh_buf_printf(&b, "No sample of %s was taken.", r->target);
    else if (nsus > 0)
        lh_buf_printf(&b, "%s: %s.", r->target, sus[0].summary);
    else {
        lh_buf_printf(&b, "%s: no steady growth of resident memory", r->target);
        if (nlives > 0 && lives[nlives - 1].cls == LH_TREND_PLATEAU)
            lh_buf_printf(&b, " (it grew, then settled: a warm-up)");
        lh_buf_printf(&b, " over %zu samples", n);
        if (h->ndeaths > 0) {
            lh_buf_printf(&b, "; it died %zu time%s, last ", h->ndeaths, h->ndeaths == 1 ? "" : "s");
            describe_death(&b, &h->deaths[h->ndeaths - 1]);
        }
        lh_buf_printf(&b, ".");
    }
    r->verdict = lh_arena_strndup(a, b.data, b.len);
    lh_buf_free(&b);
    return r;
}

/* ---- the process ----------------------------------------------------------- */

struct lh_proc_watch {
    lh_arena a;                 /* notes' text, the command line */
    int pid;                    /* the process watched now; 0 while down */
    char *const *argv;          /* --exec */
    int life;
    double started_s;           /* when the current life began */
    double restart_at_s;        /* --exec, while down: when to start again */
    double backoff_s;
    struct timespec t0;
    int64_t started_unix_ms;
    const char *target;
    lh_proc_sample *samples;
    size_t nsamples, capsamples;
    lh_proc_death *deaths;
    size_t ndeaths, capdeaths;
    lh_watch_note *notes;
    size_t nnotes, capnotes;
};

static double elapsed(const lh_proc_watch *w)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - w->t0.tv_sec) + (double)(now.tv_nsec - w->t0.tv_nsec) / 1e9;
}

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return p;
    *cap = *cap ? *cap * 2 : 64;
    p = realloc(p, *cap * size);
    if (!p)
        abort();
    return p;
}

static void note(lh_proc_watch *w, const char *text)
{
    w->notes = grow(w->notes, &w->capnotes, w->nnotes, sizeof *w->notes);
    w->notes[w->nnotes++] = (lh_watch_note){elapsed(w), lh_arena_strdup(&w->a, text)};
}

/* fork and exec, in a process group of its own (so that stopping it stops
 * its children too), stdout to our stderr. An exec failure comes back
 * through a close-on-exec pipe: nothing read means exec succeeded. */
static int spawn(lh_proc_watch *w, char *err, size_t errlen)
{
    int fds[2];
    if (pipe(fds) != 0 || fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        snprintf(err, errlen, "fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        setpgid(0, 0);
        dup2(2, 1);
        execvp(w->argv[0], w->argv);
        int e = errno;
        if (write(fds[1], &e, sizeof e) < 0)
            _exit(127);
        _exit(127);
    }
    close(fds[1]);
    int e = 0;
    ssize_t got;
    do
        got = read(fds[0], &e, sizeof e);
    while (got < 0 && errno == EINTR);
    close(fds[0]);
    if (got == (ssize_t)sizeof e) {
        waitpid(pid, NULL, 0);
        snprintf(err, errlen, "cannot run %s: %s", w->argv[0], strerror(e));
        return -1;
    }
    setpgid(pid, pid);      /* either side may win the race; both set it */
    w->pid = (int)pid;
    w->started_s = elapsed(w);
    return 0;
}

lh_proc_watch *lh_proc_watch_new(const lh_proc_config *cfg, char *err, size_t errlen)
{
    lh_proc_watch *w = calloc(1, sizeof *w);
    if (!w)
        abort();
    lh_arena_init(&w->a);
    clock_gettime(CLOCK_MONOTONIC, &w->t0);
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    w->started_unix_ms = (int64_t)wall.tv_sec * 1000 + wall.tv_nsec / 1000000;
    lh_buf b = {0};
    if (cfg->argv && cfg->argv[0]) {
        w->argv = cfg->argv;
        for (char *const *p = cfg->argv; *p; p++)
            lh_buf_printf(&b, "%s%s", p == cfg->argv ? "" : " ", *p);
        w->target = lh_arena_strndup(&w->a, b.data, b.len);
        lh_buf_free(&b);
        if (spawn(w, err, errlen) != 0) {
            lh_proc_watch_free(w);
            return NULL;
        }
        return w;
    }
    double rss, thr;
    if (cfg->pid <= 0 || read_status(cfg->pid, &rss, &thr) != 0) {
        snprintf(err, errlen, "pid %d: no such process (or no /proc/%d/status to read)", cfg->pid,
                 cfg->pid);
        lh_proc_watch_free(w);
        return NULL;
    }
    w->pid = cfg->pid;
    lh_buf_printf(&b, "pid %d", cfg->pid);
    w->target = lh_arena_strndup(&w->a, b.data, b.len);
    lh_buf_free(&b);
    return w;
}

/* --exec: a child that ended is recorded, and a restart is scheduled. A
 * command that keeps dying young is restarted less and less eagerly (up to
 * every 10 s), as a supervisor would; one that ran a while is restarted at
 * once, which is what makes the sawtooth visible. */
static void reap(lh_proc_watch *w)
{
    int st;
    pid_t got = waitpid(w->pid, &st, WNOHANG);
    if (got != w->pid)
        return;
    double now = elapsed(w);
    lh_proc_death d = {.life = w->life, .t_s = now};
    if (WIFSIGNALED(st))
        d.signal = WTERMSIG(st);
    else
        d.status = WEXITSTATUS(st);
    w->deaths = grow(w->deaths, &w->capdeaths, w->ndeaths, sizeof *w->deaths);
    w->deaths[w->ndeaths++] = d;
    w->backoff_s = now - w->started_s < 1 ? fmin(w->backoff_s ? w->backoff_s * 2 : 0.25, 10) : 0;
    w->restart_at_s = now + w->backoff_s;
    lh_buf b = {0};
    lh_buf_printf(&b, "process %d ", w->pid);
    describe_death(&b, &d);
    lh_buf_printf(&b, " after %.1f s; restarting", now - w->started_s);
    if (w->backoff_s > 0)
        lh_buf_printf(&b, " in %.2f s", w->backoff_s);
    note(w, b.data);
    lh_buf_free(&b);
    w->pid = 0;
}

int lh_proc_watch_poll(lh_proc_watch *w)
{
    if (w->argv) {
        if (w->pid)
            reap(w);
        if (!w->pid && elapsed(w) >= w->restart_at_s) {
            char err[256];
            if (spawn(w, err, sizeof err) == 0) {
                w->life++;
                char text[64];
                snprintf(text, sizeof text, "restarted as process %d", w->pid);
                note(w, text);
            } else {
                note(w, err);
                w->restart_at_s = elapsed(w) + 10;
            }
        }
        if (!w->pid)
            return 1;
    } else if (!w->pid) {
        return 0;
    }
    double rss, thr;
    if (read_status(w->pid, &rss, &thr) != 0) {
        /* --exec: a zombie not reaped yet, seen at the next poll. */
        if (!w->argv) {
            char text[64];
            snprintf(text, sizeof text, "process %d has exited", w->pid);
            note(w, text);
            w->pid = 0;
            return 0;
        }
        return 1;
    }
    w->samples = grow(w->samples, &w->capsamples, w->nsamples, sizeof *w->samples);
    w->samples[w->nsamples++] = (lh_proc_sample){elapsed(w), rss, thr, w->life};
    return 1;
}

const lh_watch_report *lh_proc_watch_report(lh_proc_watch *w, lh_arena *a)
{
    lh_proc_history h = {
        .target = w->target,
        .started_unix_ms = w->started_unix_ms,
        .duration_s = elapsed(w),
        .supervised = w->argv != NULL,
        .samples = w->samples,
        .nsamples = w->nsamples,
        .deaths = w->deaths,
        .ndeaths = w->ndeaths,
        .notes = w->notes,
        .nnotes = w->nnotes,
    };
    return lh_proc_analyse(&h, a);
}

void lh_proc_watch_free(lh_proc_watch *w)
{
    if (!w)
        return;
    if (w->argv && w->pid) {
        kill(-w->pid, SIGTERM);
        /* Two seconds to exit cleanly, then no more asking. */
        int gone = 0;
        for (int i = 0; i < 200 && !gone; i++) {
            struct timespec ten_ms = {0, 10 * 1000 * 1000};
            gone = waitpid(w->pid, NULL, WNOHANG) != 0;
            if (!gone)
                nanosleep(&ten_ms, NULL);
        }
        if (!gone) {
            kill(-w->pid, SIGKILL);
            waitpid(w->pid, NULL, 0);
        }
    }
    free(w->samples);
    free(w->deaths);
    free(w->notes);
    lh_arena_free(&w->a);
    free(w);
}
