// Seed 003, "Dangling Slices (Substring Memory Leak)".
package main

import "io/ioutil"

// This function reads a 10MB file into memory, but only returns the first 5 bytes.
func getHeader() []byte {
	largeData, _ := ioutil.ReadFile("largefile.dat") // 10MB
	return largeData[:5]                              // want `largeData\[:5\] is returned but keeps the whole buffer from ioutil.ReadFile alive; copy it: bytes.Clone\(largeData\[:5\]\)`
}

func getHeaderFixed() []byte {
	largeData, _ := ioutil.ReadFile("largefile.dat")
	header := make([]byte, 5)
	copy(header, largeData[:5]) // Make a copy
	return header               // Now it has its own small backing array.
}

func main() {
	// The header variable is small, but it's preventing 10MB from being garbage collected.
	header := getHeader()
	// ... use header ...
	_ = header
	_ = getHeaderFixed()
}
