/* `watch --listen ADDR --targets FILE`: the fleet daemon's options. The
 * daemon itself is src/watch/fleet.c; `watch` hands its arguments here when
 * --listen is among them. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/flags.h"
#include "watch/fleet.h"

static volatile sig_atomic_t fleet_stop;

static void on_signal(int sig)
{
    (void)sig;
    fleet_stop = 1;
}

static const char fleet_usage[] =
    "usage: leakhound watch --listen ADDR --targets FILE [options]\n"
    "\n"
    "Watches every target of FILE (Prometheus file_sd JSON: a list of\n"
    "{\"targets\": [\"host:port\", ...], \"labels\": {...}}) and serves leak suspects\n"
    "on http://ADDR/metrics (Prometheus), / (targets and verdicts) and\n"
    "/report/TARGET (the HTML report of watch --html). FILE is re-read when it\n"
    "changes: added targets start, removed ones stop and their series go.\n"
    "Runs until SIGINT or SIGTERM. docs/fleet.md: running it beside Prometheus.\n"
    "\n"
    "options:\n"
    "  --listen ADDR         HOST:PORT, :PORT or [V6]:PORT (port 0: any free one)\n"
    "  --targets FILE        the targets, file_sd JSON; the label\n"
    "                        __leakhound_source__ gives a group its source tree\n"
    "  --every DURATION      poll each target this often, +-10% (default 15s)\n"
    "  --timeout DURATION    give up on one poll after this long (default: the\n"
    "                        interval, at most 10s)\n"
    "  --fetchers N          threads polling targets (default 8)\n"
    "  --window N            snapshots kept per target (default 240)\n"
    "  --max-suspects N      suspect series per target on /metrics (default 10;\n"
    "                        0 = all)\n"
    "  --save DIR            keep every snapshot, in DIR/<target>/\n"
    "  --source DIR          scan DIR and join (confirmed suspects), for targets\n"
    "                        without __leakhound_source__\n"
    "\n"
    "exit status: 0 stopped by a signal, 2 usage error, bad targets file at start\n"
    "or address in use.\n";

int lh_cmd_watch_fleet(int argc, char **argv)
{
    lh_fleet_opts o = {
        .fetchers = 8,
        .window = 240,
        .max_suspects = 10,
        .reload_ms = 1000,
    };
    int64_t every_ns = 15 * 1000000000LL, timeout_ns = 0;
    long long fetchers = 8, window = 240, max_suspects = 10;
    const lh_flag flags[] = {
        {"listen", LH_FLAG_STRING, &o.listen, 0, NULL, NULL},
        {"targets", LH_FLAG_STRING, &o.targets_file, 0, NULL, NULL},
        {"every", LH_FLAG_DURATION, &every_ns, 1000000, NULL, NULL},
        {"timeout", LH_FLAG_DURATION, &timeout_ns, 1000000, NULL, NULL},
        {"fetchers", LH_FLAG_COUNT, &fetchers, 1, NULL, NULL},
        {"window", LH_FLAG_COUNT, &window, 3, NULL, NULL},
        {"max-suspects", LH_FLAG_COUNT, &max_suspects, 0, NULL, NULL},
        {"save", LH_FLAG_STRING, &o.save_dir, 0, NULL, NULL},
        {"source", LH_FLAG_STRING, &o.source_dir, 0, NULL, NULL},
        LH_FLAG_END,
    };
    const lh_flag *tables[] = {flags, NULL};
    char **ops = calloc((size_t)argc + 1, sizeof *ops);
    if (!ops)
        abort();
    size_t nops = 0;
    int pr = lh_flags_parse("watch", fleet_usage, tables, argc, argv, ops, &nops);
    free(ops);
    if (pr != 0)
        return pr > 0 ? LH_EXIT_OK : LH_EXIT_ERROR;
    if (nops) {
        lh_cli_error("--listen watches the targets of --targets FILE, not operands");
        return LH_EXIT_ERROR;
    }
    if (!o.listen || !o.targets_file) {
        lh_cli_error("--listen needs --targets FILE, and the reverse");
        return LH_EXIT_ERROR;
    }
    if (fetchers > 256 || window > 1000000 || max_suspects > 100000) {
        lh_cli_error("--fetchers is at most 256, --window 1000000, --max-suspects 100000");
        return LH_EXIT_ERROR;
    }
    o.every_ms = (long)(every_ns / 1000000);
    o.timeout_ms = timeout_ns ? (long)(timeout_ns / 1000000) : (o.every_ms < 10000 ? o.every_ms : 10000);
    o.fetchers = (int)fetchers;
    o.window = (size_t)window;
    o.max_suspects = (int)max_suspects;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    return lh_fleet_run(&o, &fleet_stop, stderr) == 0 ? LH_EXIT_OK : LH_EXIT_ERROR;
}
