/* The goroutine text formats the Go runtime serves.
 *
 * debug=1 (also goroutineleak and threadcreate): counts per stack.
 *
 *   goroutine profile: total 11
 *   5 @ 0x4378b6 0x4053cc 0x404f7d 0x4b7aa5 0x462da1
 *   # labels: {"handler":"upload", "tenant":"acme"}
 *   #	0x4b7aa4	main.leakSend+0x24	./main.go:31
 *
 * debug=2, and the tracebacks of panics and SIGQUIT: one block per
 * goroutine.
 *
 *   goroutine 7 [chan send (leaked), 15 minutes, locked to thread] {tenant: acme}:
 *   main.leakSend(0x0?)
 *   	./main.go:31 +0x25
 *   ...2 frames elided...
 *   created by main.main in goroutine 1
 *   	./main.go:59 +0x11c
 *
 * The bracket holds the wait reason (or status), optionally suffixed with
 * "(scan)", "(leaked)" (the goroutineleak profile's verdict) or "(durable)"
 * (synctest), then comma-separated extras: "N minutes", "locked to thread",
 * "synctest bubble N". Goroutine labels (GODEBUG=tracebacklabels=1, the
 * default for go 1.27 modules) come in two shapes: Go 1.26 puts
 * ` labels:{"k": "v"}` inside the bracket, every string quoted; Go 1.27
 * puts ` {k: v}` after it, quoting only strings with characters other than
 * letters, digits, '.', '/' and '_'. GOTRACEBACK=system adds "gp=... m=..."
 * before the bracket. Go 1.19 and 1.20 say "...additional frames
 * elided..." without a count and "created by F" without "in goroutine M".
 * With GODEBUG=tracebackancestors=N, "[originating from goroutine M]:"
 * blocks follow a goroutine's own: its ancestors' stacks, not its own.
 * Frames carry no addresses, so each distinct function:line is one
 * location. */
#include <stdio.h>
#include <string.h>

#include "profile/internal.h"
#include "util/satmath.h"

/* ---- labels: {"k":"v", "k2": "v2"} -------------------------------------- */

/* A Go-quoted string at *s into buf (escapes decoded, the common ones);
 * advances *s past the closing quote. */
static int quoted(const char **s, const char *e, char *buf, size_t cap, size_t *n)
{
    const char *q = *s;
    if (q == e || *q != '"')
        return -1;
    q++;
    *n = 0;
    while (q < e && *q != '"') {
        char c = *q++;
        if (c == '\\' && q < e) {
            char x = *q++;
            switch (x) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case '0': c = '\0'; break;
            case 'a': c = '\a'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'v': c = '\v'; break;
            case 'u':
            case 'U': {
                /* a code point, written back as UTF-8 */
                int nd = x == 'u' ? 4 : 8;
                unsigned long cp = 0;
                if (e - q < nd)
                    return -1;
                for (int i = 0; i < nd; i++) {
                    char h = q[i];
                    int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                          : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                    if (d < 0)
                        return -1;
                    cp = cp * 16 + (unsigned long)d;
                }
                q += nd;
                if (cp > 0x10ffff)
                    cp = 0xfffd;
                char u[4];
                size_t un = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
                if (un == 1) {
                    u[0] = (char)cp;
                } else {
                    for (size_t i = un - 1; i > 0; i--) {
                        u[i] = (char)(0x80 | (cp & 0x3f));
                        cp >>= 6;
                    }
                    u[0] = (char)((un == 2 ? 0xc0 : un == 3 ? 0xe0 : 0xf0) | cp);
                }
                for (size_t i = 0; i < un; i++)
                    if (*n + 1 < cap)
                        buf[(*n)++] = u[i];
                continue;
            }
            case 'x':
                if (e - q >= 2) {
                    unsigned v = 0;
                    for (int i = 0; i < 2; i++) {
                        char h = q[i];
                        v = v * 16 + (unsigned)(h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10 : h - '0');
                    }
                    c = (char)(v & 0xff);
                    q += 2;
                }
                break;
            default: c = x; break;   /* \" \\ and the rest kept literally */
            }
        }
        if (*n + 1 < cap)
            buf[(*n)++] = c;
    }
    if (q == e)
        return -1;
    *s = q + 1;
    return 0;
}

/* A label key or value: Go-quoted, or (bare != 0, Go 1.27's traceback
 * header) unquoted up to the ':', ',' or '}' that follows it. */
static int label_string(const char **s, const char *e, int bare, char *buf, size_t cap,
                        size_t *n)
{
    if (*s < e && **s == '"')
        return quoted(s, e, buf, cap, n);
    if (!bare)
        return -1;
    const char *q = *s;
    while (q < e && *q != ':' && *q != ',' && *q != '}' && *q != ' ')
        q++;
    if (q == *s)
        return -1;
    *n = (size_t)(q - *s) < cap ? (size_t)(q - *s) : cap - 1;
    memcpy(buf, *s, *n);
    *s = q;
    return 0;
}

/* Parses "{...}" at *s into labels of b's current sample: the debug=1
 * comment's {"k":"v", ...}, Go 1.26's labels:{"k": "v"} and, with bare
 * set, Go 1.27's {k: v, k2: "v 2"}. */
static int parse_labels(lh_pbuild *b, const char **s, const char *e, int bare)
{
    char k[256], v[1024];
    size_t kn, vn;
    const char *q = *s;
    if (q == e || *q != '{')
        return -1;
    q++;
    lh_skip_space(&q, e);
    if (q < e && *q == '}') {
        *s = q + 1;
        return 0;
    }
    for (;;) {
        lh_skip_space(&q, e);
        if (label_string(&q, e, bare, k, sizeof k, &kn) != 0)
            return -1;
        lh_skip_space(&q, e);
        if (q == e || *q != ':')
            return -1;
        q++;
        lh_skip_space(&q, e);
        if (label_string(&q, e, bare, v, sizeof v, &vn) != 0)
            return -1;
        lh_pbuild_label(b, k, kn, v, vn);
        lh_skip_space(&q, e);
        if (q < e && *q == ',') {
            q++;
            continue;
        }
        if (q < e && *q == '}') {
            *s = q + 1;
            return 0;
        }
        return -1;
    }
}

static int has_prefix(const char *s, const char *e, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(e - s) >= n && memcmp(s, lit, n) == 0;
}

/* ---- debug=1 --------------------------------------------------------------- */

typedef struct {
    int active, frames;
    int64_t count;
    size_t line;                    /* of the "N @ ..." that began it */
    const char *addrs, *addrs_e;    /* the "@ 0x... 0x..." of the record */
} rec;

/* The '#' lines name the frames; without them (a binary without symbol
 * tables) the return addresses, less one as pprof does, are all there is.
 * A record with neither says nothing about where its goroutines are: an
 * error, not a group of goroutines nobody can place. */
static int end_record(lh_pbuild *b, rec *r, const char *tname, char *err, size_t errlen)
{
    if (!r->active)
        return 0;
    r->active = 0;
    if (!r->frames) {
        const char *s = r->addrs;
        for (;;) {
            uint64_t a;
            lh_skip_space(&s, r->addrs_e);
            if (lh_parse_hex(&s, r->addrs_e, &a) != 0)
                break;
            lh_pbuild_addr_add(b, a ? a - 1 : 0);
            r->frames = 1;
        }
        lh_skip_space(&s, r->addrs_e);
        if (!r->frames || s != r->addrs_e) {
            snprintf(err, errlen, "line %zu: malformed %s profile record: %s", r->line, tname,
                     r->frames ? "bad address" : "no stack");
            return -1;
        }
    }
    lh_pbuild_sample_end(b, &r->count, NULL);
    return 0;
}

int lh_profile_decode_goroutine_text(lh_profile *p, const char *text, size_t len,
                                     char *err, size_t errlen)
{
    size_t pos = 0, lineno = 1;
    lh_tline ln;
    lh_tline_next(text, len, &pos, &ln);
    const char *w = ln.s, *we = ln.s;
    while (we < ln.e && *we != ' ')
        we++;
    size_t wl = (size_t)(we - w);
    if (wl == 9 && memcmp(w, "goroutine", 9) == 0)
        p->kind = LH_PROFILE_GOROUTINE;
    else if (wl == 13 && memcmp(w, "goroutineleak", 13) == 0)
        p->kind = LH_PROFILE_GOROUTINELEAK;
    else
        p->kind = LH_PROFILE_OTHER;

    /* "NAME profile: total N": the runtime prints the number of goroutines
     * it then groups into records, so the records must add up to it; a file
     * cut short between two records is caught here and nowhere else. */
    int64_t want_total = -1, total = 0;
    {
        const char *t = we;
        lh_skip_space(&t, ln.e);
        if (has_prefix(t, ln.e, "profile: total ")) {
            t += strlen("profile: total ");
            if (lh_parse_i64(&t, ln.e, &want_total) != 0 || want_total < 0)
                want_total = -1;
        }
    }

    char tname[64];
    snprintf(tname, sizeof tname, "%.*s", (int)(wl < 63 ? wl : 63), w);
    const char *types[1][2] = {{tname, "count"}};
    lh_pbuild b;
    lh_pbuild_init(&b, p, types, 1);
    p->period_type = p->sample_types[0];
    p->period = 1;

    rec r = {0, 0, 0, 0, NULL, NULL};
    while (lh_tline_next(text, len, &pos, &ln)) {
        lineno++;
        const char *s = ln.s, *e = ln.e;
        lh_skip_space(&s, e);
        if (s == e) {
            if (end_record(&b, &r, tname, err, errlen) != 0)
                goto fail;
            continue;
        }
        if (*s == '#') {
            if (!r.active)
                continue;
            s++;
            const char *t = s;
            lh_skip_space(&t, e);
            if (has_prefix(t, e, "labels:")) {
                t += 7;
                lh_skip_space(&t, e);
                if (parse_labels(&b, &t, e, 0) != 0) {
                    snprintf(err, errlen, "line %zu: malformed labels", lineno);
                    lh_pbuild_free(&b);
                    return -1;
                }
                continue;
            }
            if (lh_pbuild_hash_frame(&b, s, e) == 0)
                r.frames = 1;
            continue;           /* other comments: ignored */
        }
        if (end_record(&b, &r, tname, err, errlen) != 0)
            goto fail;
        if (lh_parse_i64(&s, e, &r.count) != 0 || r.count < 0) {
            snprintf(err, errlen, "line %zu: malformed %s profile record", lineno, tname);
            goto fail;
        }
        lh_skip_space(&s, e);
        if (s == e || *s != '@') {
            snprintf(err, errlen, "line %zu: malformed %s profile record", lineno, tname);
            goto fail;
        }
        r.active = 1;
        r.frames = 0;
        r.line = lineno;
        r.addrs = s + 1;
        r.addrs_e = e;
        total = lh_sat_add(total, r.count);
    }
    if (end_record(&b, &r, tname, err, errlen) != 0)
        goto fail;
    if (want_total >= 0 && total != want_total) {
        snprintf(err, errlen,
                 "truncated or inconsistent %s profile: its records count %lld, "
                 "its header says total %lld", tname, (long long)total,
                 (long long)want_total);
        goto fail;
    }
    lh_pbuild_finish(&b);
    return 0;
fail:
    lh_pbuild_free(&b);
    return -1;
}

/* ---- debug=2 ----------------------------------------------------------------- */

typedef struct {
    lh_pbuild *b;
    lh_profile *p;
    int active;                 /* inside a goroutine block */
    lh_goroutine g;
    /* a function line waiting for its file line */
    const char *fn, *fne;
    int want_created_file;
    int ancestors;              /* past "[originating from goroutine M]:" */
    size_t header_line;         /* of the current goroutine's header */
    size_t nframes;             /* its frames read so far */
    int unavailable;            /* "stack unavailable": no frames by design */
} dumpst;

static void flush_fn(dumpst *d)
{
    if (d->fn) {
        lh_pbuild_frame_add(d->b, 0, d->fn, (size_t)(d->fne - d->fn), "", 0, 0);
        d->fn = NULL;
        d->nframes++;
    }
}

/* A goroutine whose block held no frame we could read would count as a
 * goroutine nobody can place; the runtime always prints at least one frame
 * (or says the stack is unavailable), so the text is broken: say where. */
static int end_goroutine(dumpst *d, char *err, size_t errlen)
{
    if (!d->active)
        return 0;
    flush_fn(d);
    d->active = 0;
    if (d->nframes == 0 && !d->unavailable) {
        snprintf(err, errlen, "line %zu: goroutine %lld: no stack frame could be read",
                 d->header_line, (long long)d->g.id);
        return -1;
    }
    static const int64_t one = 1;
    lh_pbuild_sample_end(d->b, &one, &d->g);
    return 0;
}

/* "N minutes", "locked to thread", ... */
static void header_extra(dumpst *d, const char *s, const char *e)
{
    lh_skip_space(&s, e);
    while (e > s && e[-1] == ' ')
        e--;
    int64_t n;
    const char *q = s;
    if (lh_parse_i64(&q, e, &n) == 0 && has_prefix(q, e, " minute"))
        d->g.wait_minutes = n;
    else if (has_prefix(s, e, "locked to thread"))
        d->g.flags |= LH_G_LOCKED;
    else if (has_prefix(s, e, "synctest bubble ")) {
        q = s + strlen("synctest bubble ");
        if (lh_parse_i64(&q, e, &n) == 0)
            d->g.bubble = n;
    }
}

/* Strips " (scan)", " (leaked)", " (durable)" from the end of the state. */
static const char *state_suffixes(dumpst *d, const char *s, const char *e)
{
    for (;;) {
        while (e > s && e[-1] == ' ')
            e--;
        if (e - s >= 7 && memcmp(e - 7, " (scan)", 7) == 0) {
            d->g.flags |= LH_G_SCAN;
            e -= 7;
        } else if (e - s >= 9 && memcmp(e - 9, " (leaked)", 9) == 0) {
            d->g.flags |= LH_G_LEAKED;
            e -= 9;
        } else if (e - s >= 10 && memcmp(e - 10, " (durable)", 10) == 0) {
            d->g.flags |= LH_G_DURABLE;
            e -= 10;
        } else {
            return e;
        }
    }
}

/* "goroutine N [anything] ... [state, extras]:". The previous goroutine
 * must have been ended. */
static int goroutine_header(dumpst *d, const char *s, const char *e)
{
    s += strlen("goroutine ");
    int64_t id;
    if (lh_parse_i64(&s, e, &id) != 0)
        return -1;
    const char *open = memchr(s, '[', (size_t)(e - s));
    if (!open)
        return -1;
    /* Find the closing bracket, stepping over quoted label values. */
    const char *q = open + 1, *close = NULL;
    int inq = 0;
    for (; q < e; q++) {
        if (inq) {
            if (*q == '\\')
                q++;
            else if (*q == '"')
                inq = 0;
        } else if (*q == '"') {
            inq = 1;
        } else if (*q == ']') {
            close = q;
            break;
        }
    }
    if (!close)
        return -1;

    memset(&d->g, 0, sizeof d->g);
    d->g.id = id;
    d->g.created_by = d->g.created_file = "";
    d->active = 1;
    d->fn = NULL;
    d->want_created_file = 0;
    d->ancestors = 0;
    d->nframes = 0;
    d->unavailable = 0;

    /* Go 1.27's labels, after the bracket: " {k: v, ...}:" */
    const char *after = close + 1;
    lh_skip_space(&after, e);
    if (after < e && *after == '{') {
        if (parse_labels(d->b, &after, e, 1) != 0)
            return -1;
    }

    const char *in = open + 1, *ine = close;
    /* labels:{...} first, since its values may hold commas */
    const char *lab = NULL;
    for (const char *t = in; t + 7 <= ine; t++)
        if (memcmp(t, "labels:", 7) == 0) {
            lab = t;
            break;
        }
    const char *rest_end = ine;
    if (lab) {
        const char *t = lab + 7;
        lh_skip_space(&t, ine);
        if (parse_labels(d->b, &t, ine, 0) != 0)
            return -1;
        rest_end = lab;
    }
    const char *comma = memchr(in, ',', (size_t)(rest_end - in));
    const char *se = comma ? comma : rest_end;
    se = state_suffixes(d, in, se);
    d->g.state = lh_arena_strndup(&d->p->arena, in, (size_t)(se - in));
    /* a leaked goroutine without a wait reason shows its bare status */
    if (strcmp(d->g.state, "leaked") == 0)
        d->g.flags |= LH_G_LEAKED;
    while (comma) {
        const char *next = memchr(comma + 1, ',', (size_t)(rest_end - comma - 1));
        header_extra(d, comma + 1, next ? next : rest_end);
        comma = next;
    }
    return 0;
}

/* "\t/path/file.go:31 +0x25" -> file, line */
static void file_line(const char *s, const char *e, const char **f, const char **fe,
                      int64_t *line)
{
    lh_skip_space(&s, e);
    /* the " +0x25" pc offset, and " fp=... sp=... pc=..." under
     * GOTRACEBACK=system, follow the line number */
    const char *end = e;
    for (const char *q = s; q < e; q++) {
        if (*q == ':') {
            const char *d = q + 1;
            int64_t v;
            if (lh_parse_i64(&d, e, &v) == 0 && (d == e || *d == ' '))
                end = d;
        }
    }
    *f = s;
    lh_split_file_line(s, end, fe, line);
}

/* "main.(*T).run(0xc000010000, {0x4ffda8, 0x1})" -> "main.(*T).run" */
static const char *strip_args(const char *s, const char *e)
{
    while (e > s && e[-1] == ' ')
        e--;
    if (e == s || e[-1] != ')')
        return e;
    int depth = 0;
    for (const char *q = e - 1; q >= s; q--) {
        if (*q == ')')
            depth++;
        else if (*q == '(' && --depth == 0)
            return q > s ? q : e;
    }
    return e;
}

int lh_profile_decode_goroutine_dump(lh_profile *p, const char *text, size_t len,
                                     char *err, size_t errlen)
{
    static const char *const types[1][2] = {{"goroutine", "count"}};
    lh_pbuild b;
    lh_pbuild_init(&b, p, types, 1);
    p->kind = LH_PROFILE_GOROUTINE;
    p->period_type = p->sample_types[0];
    p->period = 1;

    dumpst d;
    memset(&d, 0, sizeof d);
    d.b = &b;
    d.p = p;
    size_t pos = 0, lineno = 0;
    lh_tline ln;
    int leaked = 0;
    while (lh_tline_next(text, len, &pos, &ln)) {
        lineno++;
        const char *s = ln.s, *e = ln.e;
        if (has_prefix(s, e, "goroutine ") && e > s + 10 && s[10] >= '0' && s[10] <= '9') {
            if (end_goroutine(&d, err, errlen) != 0)
                goto fail;
            if (goroutine_header(&d, s, e) != 0) {
                snprintf(err, errlen, "line %zu: malformed goroutine header", lineno);
                goto fail;
            }
            d.header_line = lineno;
            if (d.g.flags & LH_G_LEAKED)
                leaked = 1;
            continue;
        }
        if (!d.active || d.ancestors)
            continue;           /* preamble, registers, "exit status 2", ancestors' stacks */
        if (s == e) {
            if (end_goroutine(&d, err, errlen) != 0)
                goto fail;
            continue;
        }
        if (*s == '\t' || *s == ' ') {
            const char *f, *fe;
            int64_t line;
            if (!d.fn && !d.want_created_file && d.nframes == 0 &&
                has_prefix(s + 1, e, "goroutine running on other thread; stack unavailable"))
                d.unavailable = 1;
            file_line(s, e, &f, &fe, &line);
            if (d.want_created_file) {
                d.g.created_file = lh_arena_strndup(&p->arena, f, (size_t)(fe - f));
                d.g.created_line = line;
                d.want_created_file = 0;
            } else if (d.fn) {
                lh_pbuild_frame_add(&b, 0, d.fn, (size_t)(d.fne - d.fn), f,
                                    (size_t)(fe - f), line);
                d.fn = NULL;
                d.nframes++;
            }
            continue;
        }
        flush_fn(&d);
        d.want_created_file = 0;
        if (*s == '[') {
            /* The stacks of the goroutines that created this one, down to
             * main's; their "created by" is not this goroutine's creator. */
            if (has_prefix(s, e, "[originating from goroutine "))
                d.ancestors = 1;
            continue;
        }
        if (has_prefix(s, e, "created by ")) {
            const char *c = s + 11, *ce = c;
            while (ce < e && *ce != ' ')
                ce++;
            d.g.created_by = lh_arena_strndup(&p->arena, c, (size_t)(ce - c));
            const char *t = ce;
            lh_skip_space(&t, e);
            if (has_prefix(t, e, "in goroutine ")) {
                t += 13;
                int64_t id;
                if (lh_parse_i64(&t, e, &id) == 0)
                    d.g.creator_id = id;
            }
            d.want_created_file = 1;
            continue;
        }
        if (has_prefix(s, e, "...")) {
            const char *t = s + 3;
            int64_t n;
            d.g.flags |= LH_G_ELIDED;
            d.g.elided_frames = lh_parse_i64(&t, e, &n) == 0 ? n : -1;
            continue;
        }
        /* A frame's function line always ends with its argument list; any
         * other line ("exit status 2", registers) is not part of the stack. */
        const char *fe = strip_args(s, e);
        if (fe == e)
            continue;
        d.fn = s;
        d.fne = fe;
    }
    if (end_goroutine(&d, err, errlen) != 0)
        goto fail;
    if (b.nsamples == 0) {
        snprintf(err, errlen, "no goroutines in goroutine dump");
        goto fail;
    }
    /* A goroutineleak ?debug=2 dump lists every goroutine and tags the
     * leaked ones; only it produces the tag. */
    if (leaked)
        p->kind = LH_PROFILE_GOROUTINELEAK;
    lh_pbuild_finish(&b);
    return 0;
fail:
    lh_pbuild_free(&b);
    return -1;
}
