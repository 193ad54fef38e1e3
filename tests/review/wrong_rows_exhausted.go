// Class: *sql.Rows read until Next (or NextResultSet) returns false.
//
// leakhound says (unclosed-rows): "the result from (*sql.DB).Query is not
// closed (or committed/rolled back) on all paths: the end of the function
// is reached without Close, Commit or Rollback".
//
// Wrong: database/sql closes a Rows itself when Next returns false ("If
// Next returns false ... the Rows are closed automatically", likewise
// NextResultSet), so on the path that leaves `for rows.Next() {}` normally,
// or passes `if rows.Next() { t.Fatal(...) }`, nothing is open. The path
// search (lh_flow_unreleased_path) treats `rows.Next()` as a benign read;
// it should treat the false branch of a condition that is exactly
// `rows.Next()` / `rows.NextResultSet()` as a release (an early `break` or
// `return` inside the loop still leaks and must stay reported). Note that
// `defer rows.Close()` is still good style; the finding's claim, though,
// is false.
//
// Frequency: 5 of 30 sampled unclosed-rows findings (lib/pq,
// go-sql-driver/mysql).
package review

import (
	"database/sql"
	"testing"
)

func RowsExhausted(db *sql.DB) (int, error) {
	rows, err := db.Query("SELECT v FROM t") // reported
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err() // rows is closed here
}

func RowsNoMore(t *testing.T, stmt *sql.Stmt) {
	rows, err := stmt.Query() // reported
	if err != nil {
		t.Fatal(err)
	}
	if rows.Next() {
		t.Fatal("unexpected row")
	}
	// Next returned false: rows is closed.
}
