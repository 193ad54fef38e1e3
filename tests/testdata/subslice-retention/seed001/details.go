// Seed 001, "Long lived references": readFileDetails returns a small part
// of a big file. The seed's `return err` in a []byte function is made to
// compile as `return nil`; the shape is kept.
package seed001

import (
	"bytes"
	"os"
)

func readFileDetails(name string) []byte {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil
	}

	return data[5:10] // want `subslice-retention: data\[5:10\] is returned but keeps the whole buffer from os.ReadFile alive; copy it: bytes.Clone\(data\[5:10\]\)`
}

// not holding reference to underlying memory anymore
func readFileDetailsFixed(name string) []byte {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil
	}

	return bytes.Clone(data[5:10])
}
