/* What the commands that load Go packages (list, scan) share: the go
 * command's flag shapes (-flag VALUE, -flag=VALUE, booleans as -flag or
 * -flag=false) and the build flags that pick files (-tags, --goos, --goarch,
 * --cgo, --go-release, -test, -j), with the environment as the go command
 * reads it: GOOS, GOARCH, CGO_ENABLED as defaults; GOEXPERIMENT, the
 * level of GOARCH (GOAMD64, GOARM, ...) and GOTOOLCHAIN (which release the
 * main module's go.mod selects when --go-release is not given). */
#ifndef LH_CLI_GOARGS_H
#define LH_CLI_GOARGS_H

#include <stdbool.h>

#include "load/load.h"

/* argv[i] taken apart: name ("-tags"), the value attached after '=' or else
 * the next argument (NULL at the end), and which of the two it was. */
typedef struct lh_goarg {
    const char *name, *val;
    bool inline_val;
    char buf[64];
} lh_goarg;

enum { LH_GOARGS_MAX_TAGS = 64 };

/* The load configuration plus storage for its -tags list. */
typedef struct lh_gocfg {
    lh_load_config cfg;
    const char *tags[LH_GOARGS_MAX_TAGS];
} lh_gocfg;

/* Defaults, then GOOS, GOARCH, CGO_ENABLED=1, GOEXPERIMENT and
 * GOTOOLCHAIN from the environment. */
void lh_gocfg_init(lh_gocfg *g);

void lh_goarg_split(lh_goarg *a, int argc, char **argv, int i);
/* A boolean flag: on, unless spelled -flag=false or -flag=0. */
bool lh_goarg_bool(const lh_goarg *a);
/* The flag's value into *val, advancing *i past a separate value. Prints
 * "leakhound CMD: FLAG needs a value" and returns -1 when there is none. */
int lh_goarg_value(const char *cmd, const lh_goarg *a, int *i, const char **val);

/* One of the build flags: 1 taken (g updated, *i advanced past a separate
 * value), 0 not a build flag, -1 after printing a usage error for cmd. The
 * -tags value is split in place (argv's string is modified). */
int lh_gocfg_flag(const char *cmd, lh_gocfg *g, const lh_goarg *a, int *i);

/* After the flags: -1 (after a message for cmd) when GOOS/GOARCH is not a
 * known port; else takes the GOARCH level from the environment. */
int lh_gocfg_check(const char *cmd, lh_gocfg *g);

#endif
