/* Package comments has comments everywhere. */
package comments // after the clause

//leakhound:ignore some-rule
var x = 1 /* inline */ + 2

// Doc.
func f() {
	// inside
} // after
