// Miss: *sql.Rows and *os.File from the module's own helpers.
//
// leakhound reports nothing here; both functions leak (rows on the early
// return, the file on every path).
//
// unclosed-body treats "the module's functions whose first result is an
// *http.Response" as sources (unclosed_body.c); unclosed-rows and
// unclosed-file only know the standard-library calls (the source tables in
// unclosed_rows.c / unclosed_file.c). Real code wraps both all the time:
// a store's query helper, sqlx's Queryx/QueryxContext (returning *sqlx.Rows,
// which embeds *sql.Rows), a log-opening helper. The same "module function
// returning the resource type as first result" rule, with the same
// caveat as wrong_closed_by_callee.go (a helper that already closed it is
// not a source), would cover them.
package review

import (
	"database/sql"
	"os"
)

type store struct{ db *sql.DB }

func (s *store) query(q string, args ...any) (*sql.Rows, error) {
	return s.db.Query(q, args...)
}

func MissRowsHelper(s *store) (bool, error) {
	rows, err := s.query("SELECT 1 FROM t WHERE id = $1", 1) // not reported
	if err != nil {
		return false, err
	}
	if rows.Next() {
		return true, nil // rows left open: the connection is held
	}
	return false, rows.Close()
}

func openLog(p string) (*os.File, error) {
	return os.OpenFile(p, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
}

func MissFileHelper(p string) error {
	f, err := openLog(p) // not reported
	if err != nil {
		return err
	}
	_, err = f.WriteString("started\n")
	return err // f never closed
}
