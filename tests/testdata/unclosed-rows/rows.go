package rows

import (
	"context"
	"database/sql"
	"errors"
)

var errEmpty = errors.New("empty")

func leakyEarly(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "select 1") // want "unclosed-rows: the result from \(\*sql.DB\).QueryContext is not closed .* the return on line 21"
	if err != nil {
		return err
	}
	if !rows.Next() {
		return errEmpty // Next returned false: the rows closed themselves
	}
	var n int
	if err := rows.Scan(&n); err != nil {
		return err // open: Next returned true
	}
	defer rows.Close()
	return rows.Err()
}

func leakyNever(db *sql.DB) (n int) {
	rows, err := db.Query("select n") // want "\(\*sql.DB\).Query is not closed"
	if err != nil {
		return 0
	}
	for rows.Next() {
		if err := rows.Scan(&n); err != nil {
			break // leaves the loop with the rows open
		}
	}
	return n
}

func leakyStmt(db *sql.DB) error {
	st, err := db.Prepare("insert x") // want "\(\*sql.DB\).Prepare is not closed"
	if err != nil {
		return err
	}
	_, err = st.Exec(1)
	return err
}

func leakyTx(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil) // want "BeginTx is not closed .*committed/rolled back"
	if err != nil {
		return err
	}
	if _, err := tx.Exec("update x"); err != nil {
		return err
	}
	return tx.Commit()
}

func leakyConn(ctx context.Context, db *sql.DB) error {
	c, err := db.Conn(ctx) // want "\(\*sql.DB\).Conn is not closed"
	if err != nil {
		return err
	}
	_, err = c.ExecContext(ctx, "set x")
	return err
}

func leakyLoop(db *sql.DB, ids []int) {
	for _, id := range ids {
		rows, err := db.Query("select", id) // want "next iteration"
		if err != nil {
			continue
		}
		if rows.Next() {
			_ = rows.Scan(&id) // only the first row: the rest keep them open
		}
	}
}

// Not reported: read to the end, the rows close themselves.
func exhausted(db *sql.DB) (n int) {
	rows, err := db.Query("select n")
	if err != nil {
		return 0
	}
	for rows.Next() {
		_ = rows.Scan(&n)
	}
	return n
}

func leakyTxQuery(tx *sql.Tx) error {
	rows, err := tx.Query("select") // want "\(\*sql.Tx\).Query is not closed"
	if err != nil {
		return err
	}
	return rows.Err()
}

func discarded(db *sql.DB) {
	db.Query("select 1") // want "is discarded"
}

// Clean look-alikes.

func closed(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "select 1")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

func returned(db *sql.DB) (*sql.Rows, error) {
	rows, err := db.Query("select 1")
	if err != nil {
		return nil, err
	}
	return rows, nil
}

func rolledBack(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec("update"); err != nil {
		return err
	}
	return tx.Commit()
}

func commitOrRollback(db *sql.DB) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	if _, err := tx.Exec("x"); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func handed(db *sql.DB) error {
	rows, err := db.Query("select")
	if err != nil {
		return err
	}
	return consume(rows)
}

func consume(rows *sql.Rows) error { defer rows.Close(); return nil }

type repo struct{ stmt *sql.Stmt }

func (r *repo) prepare(db *sql.DB) error {
	st, err := db.Prepare("select")
	if err != nil {
		return err
	}
	r.stmt = st
	return nil
}

func closedInLoop(db *sql.DB, ids []int) {
	for _, id := range ids {
		rows, err := db.Query("select", id)
		if err != nil {
			continue
		}
		rows.Close()
	}
}

func closure(db *sql.DB) func() {
	rows, err := db.Query("select")
	if err != nil {
		return nil
	}
	return func() { rows.Close() }
}
