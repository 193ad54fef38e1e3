/* unclosed-file: an *os.File from os.Open, Create, OpenFile or CreateTemp
 * not closed on some path. Each holds a file descriptor (and its
 * finalizer-tracked object) until Close; a loop or a handler that leaks
 * one per turn runs the process out of descriptors. */
#include "rules/resource.h"

static const lh_res_source sources[] = {
    {"os", NULL, "Open", "os.Open"},
    {"os", NULL, "Create", "os.Create"},
    {"os", NULL, "OpenFile", "os.OpenFile"},
    {"os", NULL, "CreateTemp", "os.CreateTemp"},
    {"io/ioutil", NULL, "TempFile", "ioutil.TempFile"},
    {NULL, NULL, NULL, NULL},
};

static const char *source(lh_rule_ctx *c, const lh_call_expr *call)
{
    return lh_rule_callee_name(c, call, sources);
}

static const char *const release[] = {"Close", NULL};
static const char *const benign[] = {
    "Read", "ReadAt", "Write", "WriteAt", "WriteString", "Stat", "Name", "Seek", "Sync",
    "Readdir", "Readdirnames", "ReadDir", "Chmod", "Chown", "Truncate", "SetDeadline",
    "SetReadDeadline", "SetWriteDeadline", "ReadFrom", "WriteTo", NULL,
};
static const lh_flow_kind kind = {release, NULL, benign, NULL, NULL, false};

static const lh_res_spec spec = {
    .source = source,
    .kind = &kind,
    .noun = "the file",
    .verb = "closed",
    .release_text = "Close()",
    .fix = "defer f.Close() right after the error check",
};

static void check(lh_rule_ctx *c)
{
    lh_rule_check_resources(c, &spec);
}

const lh_rule lh_rule_unclosed_file = {
    .id = "unclosed-file",
    .summary = "os.File not closed on some path",
    .severity = LH_SEV_WARNING,
    .check = check,
    .explain =
        "An *os.File holds a file descriptor until Close. The garbage collector\n"
        "closes it eventually through a finalizer, but only after a collection\n"
        "notices the file is unreachable: a loop or a handler that opens a file\n"
        "per turn without closing it runs the process out of descriptors\n"
        "(\"too many open files\") long before that.\n"
        "\n"
        "Leaky:\n"
        "\n"
        "    f, err := os.Open(name)\n"
        "    if err != nil {\n"
        "        return nil, err\n"
        "    }\n"
        "    data, err := io.ReadAll(f)\n"
        "    if err != nil {\n"
        "        return nil, err // f is never closed on this path\n"
        "    }\n"
        "    f.Close()\n"
        "    return data, nil\n"
        "\n"
        "Fixed:\n"
        "\n"
        "    f, err := os.Open(name)\n"
        "    if err != nil {\n"
        "        return nil, err\n"
        "    }\n"
        "    defer f.Close()\n"
        "    return io.ReadAll(f)\n"
        "\n"
        "Reported at os.Open, Create, OpenFile and CreateTemp when some path\n"
        "after the error check reaches the end of the function, or the next\n"
        "iteration of the loop around the call, without f.Close() and without\n"
        "handing the file on (returned, stored, passed to a function we cannot\n"
        "see into, captured by a closure).\n",
};
