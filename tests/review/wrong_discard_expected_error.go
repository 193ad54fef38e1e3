// Class: a discarded result on a call that is expected to fail.
//
// leakhound says (unclosed-rows, and unclosed-body/-file alike): "the
// result from (*sql.DB).Query is discarded, so it is never closed".
//
// Wrong: the only path on which the discarded result exists (err == nil)
// ends in t.Fatal, which the rules already treat as terminating for paths
// (lost-cancel, the resource path search). A `_` result is reported
// straight away in src/rules/resource.c (check_bound: `lh_ident_is(lhs,
// "_")`) without the path search and its error-branch pruning; running the
// search with a phantom variable would prune `err != nil` and stop at
// t.Fatal, leaving no path. Where the success branch only t.Errorf's, the
// finding is right (harmless in a test).
//
// Frequency: 12 of 30 sampled unclosed-rows findings (lib/pq and
// go-sql-driver/mysql tests: `_, err = db.Query("bad sql"); if err == nil
// { t.Fatal(...) }`; `err != ErrX` and `err == nil || more` forms too).
package review

import (
	"database/sql"
	"errors"
	"testing"
)

var errCopyNotSupported = errors.New("copy not supported")

func DiscardExpectedError(t *testing.T, db *sql.DB, tx *sql.Tx) {
	_, err := db.Query("SELECT * FROM nonexistent") // reported: "discarded"
	if err == nil {
		t.Fatal("expected an error")
	}
	_, err = tx.Prepare("COPY t FROM STDIN WITH binary") // reported too
	if err != errCopyNotSupported {
		t.Fatalf("expected %v, got %v", errCopyNotSupported, err)
	}
	_, err = db.Begin() // reported too
	if err == nil || err.Error() != "pq: password authentication failed" {
		t.Fatalf("expected an authentication error, got %v", err)
	}
}
