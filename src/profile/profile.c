/* Entry points: format detection, gzip, file loading, and the helpers
 * every analysis shares. The formats themselves live one per file. */
#include "profile/profile.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "profile/internal.h"
#include "util/fs.h"

/* ---- construction ------------------------------------------------------- */

static lh_profile *profile_alloc(lh_profile_format f)
{
    lh_profile *p = calloc(1, sizeof *p);
    if (!p) {
        fprintf(stderr, "leakhound: out of memory\n");
        abort();
    }
    lh_arena_init(&p->arena);
    p->format = f;
    p->name = "";
    p->period_type.type = p->period_type.unit = "";
    p->default_sample_type = -1;
    p->drop_frames = p->keep_frames = "";
    return p;
}

lh_profile *lh_profile_new(void)
{
    return profile_alloc(LH_FORMAT_BUILT);
}

const char *lh_profile_strdup(lh_profile *p, const char *s)
{
    return lh_arena_strdup(&p->arena, s ? s : "");
}

void lh_profile_free(lh_profile *p)
{
    if (!p)
        return;
    lh_arena_free(&p->arena);
    free(p);
}

/* The effective cap; clamped so the arithmetic on it cannot wrap. */
static size_t max_inflated(const lh_profile_opts *opts)
{
    size_t max = opts && opts->max_inflated ? opts->max_inflated
                                            : LH_PROFILE_DEFAULT_MAX_INFLATED;
    return max > SIZE_MAX / 4 ? SIZE_MAX / 4 : max;
}

/* ---- gzip ---------------------------------------------------------------- */

static int is_gzip(const unsigned char *d, size_t n)
{
    return n >= 2 && d[0] == 0x1f && d[1] == 0x8b;
}

/* Inflates a gzip stream (members may be concatenated, as gzip allows)
 * into a malloc'd buffer, refusing to produce more than max bytes: a
 * profile is small, a bomb is not. */
static int gunzip(const unsigned char *in, size_t inlen, size_t max,
                  unsigned char **out, size_t *outlen, char *err, size_t errlen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
        snprintf(err, errlen, "cannot initialise zlib");
        return -1;
    }
    size_t cap = inlen * 4 + 4096, n = 0;
    if (cap > max + 1)
        cap = max + 1;
    unsigned char *buf = malloc(cap);
    if (!buf) {
        inflateEnd(&z);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    /* zlib counts in uInt: feed large inputs in slices. */
    const unsigned char *next = in;
    size_t left = inlen;
    int rc = Z_OK;
    for (;;) {
        if (z.avail_in == 0 && left > 0) {
            uInt chunk = left > (1u << 30) ? (1u << 30) : (uInt)left;
            z.next_in = (unsigned char *)next;
            z.avail_in = chunk;
            next += chunk;
            left -= chunk;
        }
        if (n == cap) {
            if (cap > max) {
                snprintf(err, errlen,
                         "decompressed size exceeds the limit of %zu bytes "
                         "(a decompression bomb, or raise the limit)", max);
                goto fail;
            }
            size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            unsigned char *nb = realloc(buf, ncap);
            if (!nb) {
                snprintf(err, errlen, "out of memory");
                goto fail;
            }
            buf = nb;
            cap = ncap;
        }
        size_t room = cap - n;
        z.next_out = buf + n;
        z.avail_out = room > (1u << 30) ? (1u << 30) : (uInt)room;
        uInt before = z.avail_out;
        rc = inflate(&z, Z_NO_FLUSH);
        n += before - z.avail_out;
        if (rc == Z_STREAM_END) {
            if (z.avail_in == 0 && left == 0)
                break;
            /* Another member follows, unless it is trailing garbage. */
            if (z.avail_in >= 2 && !(z.next_in[0] == 0x1f && z.next_in[1] == 0x8b)) {
                snprintf(err, errlen, "trailing garbage after gzip data");
                goto fail;
            }
            if (inflateReset(&z) != Z_OK) {
                snprintf(err, errlen, "corrupt gzip data");
                goto fail;
            }
            continue;
        }
        if (rc == Z_BUF_ERROR && z.avail_in == 0 && left == 0) {
            snprintf(err, errlen, "truncated gzip data");
            goto fail;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            snprintf(err, errlen, "corrupt gzip data (%s)", z.msg ? z.msg : "zlib error");
            goto fail;
        }
        if (rc == Z_OK && z.avail_in == 0 && left == 0 && z.avail_out != 0) {
            snprintf(err, errlen, "truncated gzip data");
            goto fail;
        }
    }
    inflateEnd(&z);
    *out = buf;
    *outlen = n;
    return 0;
fail:
    inflateEnd(&z);
    free(buf);
    return -1;
}

/* ---- format detection ----------------------------------------------------- */

static int starts_with(const char *s, const char *e, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(e - s) >= n && memcmp(s, lit, n) == 0;
}

/* "<name> profile: total N" */
static int is_count_header(const char *s, const char *e)
{
    const char *w = s;
    while (w < e && *w != ' ' && *w != '\n' && *w != ':')
        w++;
    return w > s && starts_with(w, e, " profile: total ");
}

/* "goroutine N [" at s */
static int is_goroutine_header(const char *s, const char *e)
{
    if (!starts_with(s, e, "goroutine "))
        return 0;
    s += 10;
    return s < e && *s >= '0' && *s <= '9';
}

/* Text dumps often come with a preamble (a panic message, "SIGQUIT: quit",
 * registers): look for a goroutine header at the start of a line. */
static int has_goroutine_header(const char *s, const char *e)
{
    for (const char *q = s; q < e; q++) {
        if ((q == s || q[-1] == '\n') && is_goroutine_header(q, e))
            return 1;
    }
    return 0;
}

static int looks_like_text(const unsigned char *d, size_t n)
{
    size_t k = n < 256 ? n : 256;
    for (size_t i = 0; i < k; i++) {
        unsigned char c = d[i];
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
            return 0;
    }
    return k > 0;
}

static int decode(lh_profile *p, const unsigned char *d, size_t n, size_t max,
                  char *err, size_t errlen)
{
    const char *s = (const char *)d, *e = s + n;
    const char *t = s;
    while (t < e && (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r'))
        t++;
    if (t == e) {
        snprintf(err, errlen, "empty profile");
        return -1;
    }
    if (starts_with(t, e, "heap profile:")) {
        p->format = LH_FORMAT_HEAP_TEXT;
        return lh_profile_decode_heap_text(p, t, (size_t)(e - t), err, errlen);
    }
    if (is_count_header(t, e)) {
        p->format = LH_FORMAT_GOROUTINE_TEXT;
        return lh_profile_decode_goroutine_text(p, t, (size_t)(e - t), err, errlen);
    }
    if (looks_like_text(d, n)) {
        if (has_goroutine_header(t, e)) {
            p->format = LH_FORMAT_GOROUTINE_DUMP;
            return lh_profile_decode_goroutine_dump(p, t, (size_t)(e - t), err, errlen);
        }
        snprintf(err, errlen, "not a pprof profile (unrecognized format)");
        return -1;
    }
    p->format = LH_FORMAT_PROTO;
    /* A real profile spends well over 32 bytes per message. */
    size_t max_messages = max / 32 > 65536 ? max / 32 : 65536;
    return lh_profile_decode_pb(p, d, n, max_messages, err, errlen);
}

int lh_profile_parse(const char *name, const unsigned char *data, size_t len,
                     const lh_profile_opts *opts, lh_profile **out,
                     char *err, size_t errlen)
{
    size_t max = max_inflated(opts);
    char why[512];
    why[0] = '\0';
    *out = NULL;
    if (!name)
        name = "<input>";

    unsigned char *inflated = NULL;
    size_t n = len;
    const unsigned char *d = data;
    if (is_gzip(data, len)) {
        if (gunzip(data, len, max, &inflated, &n, why, sizeof why) != 0) {
            snprintf(err, errlen, "%s: %s", name, why);
            return -1;
        }
        d = inflated;
    } else if (len > max) {
        snprintf(err, errlen, "%s: profile size %zu exceeds the limit of %zu bytes",
                 name, len, max);
        return -1;
    }

    lh_profile *p = profile_alloc(LH_FORMAT_PROTO);
    p->name = lh_arena_strdup(&p->arena, name);
    int rc = decode(p, d, n, max, why, sizeof why);
    free(inflated);
    if (rc != 0) {
        snprintf(err, errlen, "%s: %s", name, why[0] ? why : "malformed profile");
        lh_profile_free(p);
        return -1;
    }
    *out = p;
    return 0;
}

int lh_profile_load_file(const char *path, const lh_profile_opts *opts,
                         lh_profile **out, char *err, size_t errlen)
{
    size_t max = max_inflated(opts);
    char *data = NULL;
    size_t len = 0;
    char why[256];
    const char *real = strcmp(path, "-") == 0 ? "/dev/stdin" : path;
    *out = NULL;
    /* A gzip file can be no bigger than what it inflates to, give or take
     * its header, so the same cap bounds the read. */
    if (lh_read_file(real, max + 1024, &data, &len, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", path, why);
        return -1;
    }
    int rc = lh_profile_parse(path, (const unsigned char *)data, len, opts, out,
                              err, errlen);
    free(data);
    return rc;
}

/* ---- helpers -------------------------------------------------------------- */

int lh_profile_sample_type_index(const lh_profile *p, const char *type)
{
    for (size_t i = 0; i < p->nsample_types; i++)
        if (strcmp(p->sample_types[i].type, type) == 0)
            return (int)i;
    return -1;
}

int lh_profile_default_index(const lh_profile *p)
{
    if (p->default_sample_type >= 0 && (size_t)p->default_sample_type < p->nsample_types)
        return p->default_sample_type;
    return p->nsample_types ? (int)p->nsample_types - 1 : -1;
}

lh_profile_frame lh_profile_location_frame(const lh_profile_location *loc, size_t i)
{
    lh_profile_frame f = {"", "", 0, loc->address};
    if (i < loc->nlines) {
        const lh_profile_line *l = &loc->lines[i];
        f.function = l->function->name;
        f.file = l->function->filename;
        f.line = l->line;
    }
    return f;
}

size_t lh_profile_sample_depth(const lh_profile_sample *s)
{
    size_t d = 0;
    for (size_t i = 0; i < s->nlocs; i++)
        d += s->locs[i]->nlines ? s->locs[i]->nlines : 1;
    return d;
}

lh_profile_frame lh_profile_sample_frame(const lh_profile_sample *s, size_t k)
{
    for (size_t i = 0; i < s->nlocs; i++) {
        size_t n = s->locs[i]->nlines ? s->locs[i]->nlines : 1;
        if (k < n)
            return lh_profile_location_frame(s->locs[i], k);
        k -= n;
    }
    lh_profile_frame none = {"", "", 0, 0};
    return none;
}

const char *lh_profile_kind_name(lh_profile_kind k)
{
    switch (k) {
    case LH_PROFILE_HEAP: return "heap";
    case LH_PROFILE_GOROUTINE: return "goroutine";
    case LH_PROFILE_GOROUTINELEAK: return "goroutineleak";
    case LH_PROFILE_OTHER: break;
    }
    return "other";
}

const char *lh_profile_format_name(lh_profile_format f)
{
    switch (f) {
    case LH_FORMAT_PROTO: return "proto";
    case LH_FORMAT_HEAP_TEXT: return "heap-text";
    case LH_FORMAT_GOROUTINE_TEXT: return "goroutine-text";
    case LH_FORMAT_GOROUTINE_DUMP: return "goroutine-dump";
    case LH_FORMAT_BUILT: return "built";
    }
    return "?";
}
