#include "util/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *lh_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (!d) {
        fprintf(stderr, "leakhound: out of memory\n");
        abort();
    }
    memcpy(d, s, n);
    return d;
}

int lh_read_file(const char *path, size_t max_bytes, char **data, size_t *len,
                 char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        close(fd);
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "is a directory");
        close(fd);
        return -1;
    }
    /* Size from fstat is a hint only: pipes and /proc files report 0. */
    size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 65536;
    size_t n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        snprintf(err, errlen, "out of memory");
        close(fd);
        return -1;
    }
    for (;;) {
        if (n == cap) {
            if (cap >= max_bytes + 1) {
                snprintf(err, errlen, "file larger than %zu bytes", max_bytes);
                free(buf);
                close(fd);
                return -1;
            }
            cap *= 2;
            char *nb = realloc(buf, cap + 1);
            if (!nb) {
                snprintf(err, errlen, "out of memory");
                free(buf);
                close(fd);
                return -1;
            }
            buf = nb;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            snprintf(err, errlen, "%s", strerror(errno));
            free(buf);
            close(fd);
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    if (n > max_bytes) {
        snprintf(err, errlen, "file larger than %zu bytes", max_bytes);
        free(buf);
        return -1;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

void lh_pathlist_add(lh_pathlist *l, const char *path)
{
    if (l->len == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        char **np = realloc(l->paths, l->cap * sizeof *np);
        if (!np) {
            fprintf(stderr, "leakhound: out of memory\n");
            abort();
        }
        l->paths = np;
    }
    l->paths[l->len++] = lh_xstrdup(path);
}

void lh_pathlist_free(lh_pathlist *l)
{
    for (size_t i = 0; i < l->len; i++)
        free(l->paths[i]);
    free(l->paths);
    l->paths = NULL;
    l->len = l->cap = 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_go_suffix(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && strcmp(name + n - 3, ".go") == 0;
}

static int walk_dir(const char *dir, lh_pathlist *out, int depth, char *err, size_t errlen)
{
    if (depth > 256) {
        snprintf(err, errlen, "%s: directory nesting too deep (symlink loop?)", dir);
        return -1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    lh_pathlist names = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || e->d_name[0] == '_')
            continue;
        lh_pathlist_add(&names, e->d_name);
    }
    closedir(d);
    if (names.len)  /* qsort with a NULL array is undefined */
        qsort(names.paths, names.len, sizeof *names.paths, cmp_str);

    int rc = 0;
    size_t dlen = strlen(dir);
    int slash = dlen > 0 && dir[dlen - 1] == '/';
    for (size_t i = 0; i < names.len && rc == 0; i++) {
        size_t plen = dlen + 1 + strlen(names.paths[i]) + 1;
        char *p = malloc(plen);
        if (!p) {
            fprintf(stderr, "leakhound: out of memory\n");
            abort();
        }
        snprintf(p, plen, "%s%s%s", dir, slash ? "" : "/", names.paths[i]);
        struct stat st;
        if (stat(p, &st) != 0) {
            /* A dangling symlink is not an error worth stopping a walk for. */
        } else if (S_ISDIR(st.st_mode)) {
            if (strcmp(names.paths[i], "testdata") != 0)
                rc = walk_dir(p, out, depth + 1, err, errlen);
        } else if (S_ISREG(st.st_mode) && has_go_suffix(names.paths[i])) {
            lh_pathlist_add(out, p);
        }
        free(p);
    }
    lh_pathlist_free(&names);
    return rc;
}

int lh_collect_go_files(const char *path, lh_pathlist *out, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        lh_pathlist_add(out, path);
        return 0;
    }
    return walk_dir(path, out, 0, err, errlen);
}

int lh_write_file_atomic(const char *path, const void *data, size_t len,
                         char *err, size_t errlen)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (!tmp) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        free(tmp);
        return -1;
    }
    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            goto fail;
        }
        p += w;
        left -= (size_t)w;
    }
    /* mkstemp makes 0600; output files should have the usual mode. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0 || fsync(fd) != 0)
        goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0)
        goto fail;
    free(tmp);
    return 0;
fail:
    snprintf(err, errlen, "%s", strerror(errno));
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    return -1;
}
