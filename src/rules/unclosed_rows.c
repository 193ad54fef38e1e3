/* unclosed-rows: database/sql resources not released on some path:
 * *sql.Rows and *sql.Stmt not closed, a *sql.Conn not closed, a *sql.Tx
 * neither committed nor rolled back. Each holds a pooled connection until
 * released: leak a few and every later query waits for a connection
 * forever. */
#include "rules/resource.h"

static const lh_res_source sources[] = {
    {"database/sql", "DB", "Query", "(*sql.DB).Query"},
    {"database/sql", "DB", "QueryContext", "(*sql.DB).QueryContext"},
    {"database/sql", "DB", "Prepare", "(*sql.DB).Prepare"},
    {"database/sql", "DB", "PrepareContext", "(*sql.DB).PrepareContext"},
    {"database/sql", "DB", "Begin", "(*sql.DB).Begin"},
    {"database/sql", "DB", "BeginTx", "(*sql.DB).BeginTx"},
    {"database/sql", "DB", "Conn", "(*sql.DB).Conn"},
    {"database/sql", "Tx", "Query", "(*sql.Tx).Query"},
    {"database/sql", "Tx", "QueryContext", "(*sql.Tx).QueryContext"},
    /* Not (*sql.Tx).Prepare: the transaction's Commit or Rollback closes
     * the statements prepared on it. */
    {"database/sql", "Stmt", "Query", "(*sql.Stmt).Query"},
    {"database/sql", "Stmt", "QueryContext", "(*sql.Stmt).QueryContext"},
    {"database/sql", "Conn", "QueryContext", "(*sql.Conn).QueryContext"},
    {"database/sql", "Conn", "PrepareContext", "(*sql.Conn).PrepareContext"},
    {"database/sql", "Conn", "BeginTx", "(*sql.Conn).BeginTx"},
    {NULL, NULL, NULL, NULL},
};

static const char *source(lh_rule_ctx *c, const lh_call_expr *call)
{
    return lh_rule_callee_name(c, call, sources);
}

/* One kind for all four types: the release methods of each, and their
 * read-only methods (a Tx's queries, a Stmt's executions). */
static const char *const release[] = {"Close", "Commit", "Rollback", NULL};
static const char *const benign[] = {
    "Next", "Scan", "Err", "Columns", "ColumnTypes", "NextResultSet", "Exec", "ExecContext",
    "QueryRow", "QueryRowContext", "PingContext", NULL,
};
static const char *const exhaust[] = {"Next", "NextResultSet", NULL};
static const lh_flow_kind kind = {release, NULL, benign, NULL, exhaust, false};

static const lh_res_spec spec = {
    .source = source,
    .kind = &kind,
    .noun = "the result",
    .verb = "closed (or committed/rolled back)",
    .release_text = "Close, Commit or Rollback",
    .fix = "defer its Close (a Tx: defer tx.Rollback()) right after the error check",
};

static void check(lh_rule_ctx *c)
{
    lh_rule_check_resources(c, &spec);
}

const lh_rule lh_rule_unclosed_rows = {
    .id = "unclosed-rows",
    .summary = "sql.Rows/Stmt/Conn not closed, or sql.Tx not ended, on some path",
    .severity = LH_SEV_WARNING,
    .check = check,
    .explain =
        "*sql.Rows, *sql.Stmt, *sql.Conn and *sql.Tx each hold a connection of\n"
        "the pool (a Stmt holds prepared statements on several) until Close, or\n"
        "for a Tx until Commit or Rollback. Leak a few and every later query\n"
        "waits for a free connection: the service hangs with its goroutines\n"
        "piling up behind the pool.\n"
        "\n"
        "Leaky (an early return skips the close):\n"
        "\n"
        "    rows, err := db.QueryContext(ctx, q)\n"
        "    if err != nil {\n"
        "        return err\n"
        "    }\n"
        "    if !rows.Next() {\n"
        "        return errEmpty\n"
        "    }\n"
        "    defer rows.Close()\n"
        "\n"
        "Fixed:\n"
        "\n"
        "    rows, err := db.QueryContext(ctx, q)\n"
        "    if err != nil {\n"
        "        return err\n"
        "    }\n"
        "    defer rows.Close()\n"
        "\n"
        "Reported at the call (Query, QueryContext, Prepare, PrepareContext,\n"
        "Begin, BeginTx, Conn of *sql.DB, *sql.Tx, *sql.Stmt and *sql.Conn)\n"
        "when some path after the error check reaches the end of the function,\n"
        "or the next iteration of its loop, without releasing it and without\n"
        "handing it on (returned, stored, passed to a function we cannot see\n"
        "into, captured by a closure).\n",
};
