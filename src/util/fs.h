/* File system access shared by every command: whole-file reads, the Go
 * source walk, and atomic output files. */
#ifndef LH_UTIL_FS_H
#define LH_UTIL_FS_H

#include <stddef.h>

#include "util/buf.h"

/* Reads the whole file into a malloc'd buffer with a NUL after the last byte
 * (the lexer relies on it as a sentinel). Returns 0, or -1 with a message in
 * err (e.g. "No such file or directory", "file too large"). */
int lh_read_file(const char *path, size_t max_bytes, char **data, size_t *len,
                 char *err, size_t errlen);

typedef struct lh_pathlist {
    char **paths;
    size_t len, cap;
} lh_pathlist;

void lh_pathlist_add(lh_pathlist *l, const char *path);
void lh_pathlist_free(lh_pathlist *l);

/* Expands PATH into Go source files: a file is taken as is, a directory is
 * walked recursively in byte order, skipping what the go command skips
 * (directories named testdata or starting with '.' or '_'). Returns 0, or -1
 * with a message in err: the reason alone when PATH itself fails (the caller
 * names PATH), "SUBDIR: reason" when a directory below it does. */
int lh_collect_go_files(const char *path, lh_pathlist *out, char *err, size_t errlen);

/* Writes data to path atomically: a temporary file in the same directory,
 * then rename, so readers never see half a file and a failed run leaves the
 * old file (or nothing) in place. Returns 0, or -1 with the reason in err
 * (without the path: the caller names it). */
int lh_write_file_atomic(const char *path, const void *data, size_t len,
                         char *err, size_t errlen);

#endif
