/* leakhound: command dispatch only. Each command lives in src/cli/. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static int cmd_help(int argc, char **argv);

const lh_command lh_commands[] = {
    {"help", cmd_help, "show commands, or the usage of one: help COMMAND"},
    {"version", lh_cmd_version, "version, git commit, build type and features of this build"},
    {"parse", lh_cmd_parse, "parse Go files, report syntax errors; --dump prints the AST"},
    {"list", lh_cmd_list, "packages and files a pattern selects (./..., build tags), like go list"},
    {"scan", lh_cmd_scan, "report leak patterns in Go source (defer in loops, ...), vet-style"},
    {"rules", lh_cmd_rules, "the rules scan applies, with one-line summaries"},
    {"explain", lh_cmd_explain, "what a scan rule finds, with a leaky and a fixed example"},
    {"top", lh_cmd_top, "heaviest functions or lines of a profile (like pprof -top)"},
    {"diff", lh_cmd_diff, "NEW minus BASE profile, largest growth first; -o writes a pprof file"},
    {"trend", lh_cmd_trend, "heap snapshots over time: sites that keep growing"},
    {"goroutines", lh_cmd_goroutines, "goroutines grouped by where they block; leak suspects"},
    {"watch", lh_cmd_watch, "follow a running service's pprof endpoints; name what leaks"},
    {NULL, NULL, NULL},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: leakhound COMMAND [ARGS]\n\n"
               "leakhound finds memory and goroutine leaks in Go programs.\n\ncommands:\n");
    for (const lh_command *c = lh_commands; c->name; c++)
        fprintf(f, "  %-11s %s\n", c->name, c->summary);
    fprintf(f, "\nRun 'leakhound COMMAND --help' for a command's options.\n");
}

static int cmd_help(int argc, char **argv)
{
    if (argc > 1) {
        for (const lh_command *c = lh_commands; c->name; c++) {
            if (strcmp(c->name, argv[1]) == 0 && c->run != cmd_help) {
                char *sub[] = {argv[1], "--help", NULL};
                return c->run(2, sub);
            }
        }
        fprintf(stderr, "leakhound: unknown command '%s'\n", argv[1]);
        return LH_EXIT_ERROR;
    }
    usage(stdout);
    return LH_EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return LH_EXIT_ERROR;
    }
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0)
        return cmd_help(1, argv + 1);
    if (strcmp(name, "--version") == 0)
        return lh_cmd_version(1, argv + 1);
    for (const lh_command *c = lh_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c->run(argc - 1, argv + 1);
    fprintf(stderr, "leakhound: unknown command '%s'\n", name);
    usage(stderr);
    return LH_EXIT_ERROR;
}
