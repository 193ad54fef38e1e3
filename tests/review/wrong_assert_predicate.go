// Class: an error predicate that is true for a nil error.
//
// leakhound says (unclosed-file): "the file from os.OpenFile is not closed
// on all paths: the end of the function is reached without Close()".
//
// Wrong: the release is under `if assert.Nil(t, err) { defer f.Close() }`,
// and assert.Nil (like assert.NoError, or any `ok(err)` helper) is TRUE
// when err is nil. err_test in src/sema/flow.c assumes every call taking
// err ("IsNotExist(err), errors.Is(err, X) ...") is false for a nil error,
// so it prunes the true branch as the failure branch and follows the false
// one, where the call actually failed and f is nil. Only predicates known
// to be false for nil (os.IsNotExist, os.IsExist, os.IsPermission,
// os.IsTimeout, errors.Is/As with a non-nil target...) may prune; an
// unknown function of err must split nothing (LH_CFG_CONTINUE).
//
// Frequency: 1 of 30 sampled unclosed-file findings
// (github.com/viant/toolbox/storage/copy_test.go:49); the shape is common
// in testify users.
package review

import (
	"os"
	"testing"
)

// assertNil stands in for testify's assert.Nil(t, object) bool.
func assertNil(t *testing.T, err error) bool {
	if err != nil {
		t.Error(err)
		return false
	}
	return true
}

func AssertPredicate(t *testing.T) {
	f, err := os.OpenFile("/tmp/x", os.O_CREATE|os.O_WRONLY, 0o644) // reported
	if assertNil(t, err) {
		defer f.Close()
		f.WriteString("x")
	}
}
