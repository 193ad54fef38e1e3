/* What the commands that load Go packages (list, scan) share: the build
 * flags that pick files (-tags, --goos, --goarch,
 * --cgo, --go-release, -test, -j), with the environment as the go command
 * reads it: GOOS, GOARCH, CGO_ENABLED as defaults; GOEXPERIMENT, the
 * level of GOARCH (GOAMD64, GOARM, ...) and GOTOOLCHAIN (which release the
 * main module's go.mod selects when --go-release is not given). */
#ifndef LH_CLI_GOARGS_H
#define LH_CLI_GOARGS_H

#include <stdbool.h>

#include "cli/flags.h"
#include "load/load.h"

enum { LH_GOARGS_MAX_TAGS = 64 };

/* The load configuration, storage for its -tags list, and the build flags'
 * table (cli/flags.h) that writes into them. */
typedef struct lh_gocfg {
    lh_load_config cfg;
    const char *tags[LH_GOARGS_MAX_TAGS];
    lh_flag flags[10];
    char diag_prefix[64];   /* "leakhound CMD: " for the loader's lines */
} lh_gocfg;

/* Defaults, then GOOS, GOARCH, CGO_ENABLED=1, GOEXPERIMENT and
 * GOTOOLCHAIN, GOWORK from the environment; g->flags is the table of the build
 * flags (-tags, -goos, -goarch, -cgo, -test, -go-release, -j,
 * -all-modules), to be
 * given to lh_flags_parse with the command's own. The -tags value is
 * split in place (argv's string is modified). */
void lh_gocfg_init(lh_gocfg *g);

/* After the flags: -1 (after a message) when GOOS/GOARCH is not a known
 * port; else takes the GOARCH level from the environment, and sets what
 * every command that loads packages shares: the loader's messages name the
 * command, and a pattern that matches nothing is an error. */
int lh_gocfg_check(lh_gocfg *g);

#endif
