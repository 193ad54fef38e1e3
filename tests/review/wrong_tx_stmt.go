// Class: a statement prepared on a transaction.
//
// leakhound says (unclosed-rows): "the result from (*sql.Tx).Prepare is not
// closed ... on all paths" (or "is discarded").
//
// Wrong when the transaction is committed or rolled back: database/sql
// documents that a statement from (*sql.Tx).Prepare / Stmt / StmtContext
// "will be closed when the transaction has been committed or rolled back".
// The source table in src/rules/unclosed_rows.c treats (*sql.Tx).Prepare
// like (*sql.DB).Prepare; the Tx owns the statement, so the rule should
// follow the Tx (report the Tx if it is never ended) rather than the
// statement.
//
// Frequency: 3 of 30 sampled unclosed-rows findings (lib/pq copy tests),
// all also in wrong_discard_expected_error.go's class.
package review

import "database/sql"

func TxStmt(db *sql.DB) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.Prepare("INSERT INTO t VALUES ($1)") // reported
	if err != nil {
		return err
	}
	if _, err := stmt.Exec(1); err != nil {
		return err
	}
	return tx.Commit() // closes stmt
}
