/* The fleet's target list, in Prometheus' file_sd JSON form:
 *
 *   [ {"targets": ["10.0.0.1:6060", "http://b:6060/debug/pprof/"],
 *      "labels": {"group": "api", "env": "prod"}}, ... ]
 *
 * The same file a team already feeds Prometheus can feed leakhound. Labels
 * whose names start with "__" are meta labels, as in Prometheus: they are not
 * carried onto series. One of them is leakhound's own:
 * "__leakhound_source__": a source tree to scan and join (confirmed suspects)
 * for the targets of that group. */
#ifndef LH_WATCH_FILE_SD_H
#define LH_WATCH_FILE_SD_H

#include <stddef.h>

#include "util/arena.h"

typedef struct lh_sd_label {
    const char *name, *value;
} lh_sd_label;

typedef struct lh_sd_target {
    const char *addr;               /* as written in "targets" */
    const lh_sd_label *labels;      /* the group's exported labels, sorted by name */
    size_t nlabels;
    const char *source_dir;         /* __leakhound_source__, or NULL */
} lh_sd_target;

/* Label names leakhound puts on its own series; a group may not use them. */
extern const char *const lh_sd_reserved_labels[];

/* Parses text (len bytes, read from path, which only names the file in
 * messages) into targets allocated in a. Returns 0, or -1 with one message in
 * err: "PATH:LINE:COL: what is wrong". Strict JSON (RFC 8259: no comments,
 * no trailing commas, valid UTF-8), unknown keys, duplicate keys, bad label
 * names and a target listed twice are errors. */
int lh_file_sd_parse(const char *path, const char *text, size_t len, lh_arena *a,
                     lh_sd_target **out, size_t *nout, char *err, size_t errlen);

/* Reads and parses path (at most 16 MB). Same contract. */
int lh_file_sd_read(const char *path, lh_arena *a, lh_sd_target **out, size_t *nout,
                    char *err, size_t errlen);

#endif
