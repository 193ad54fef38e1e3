// gen_heap_profile writes a large synthetic Go heap profile (gzipped
// profile.proto, the format /debug/pprof/heap serves) for benchmarking
// `leakhound top/diff` against `go tool pprof`.
//
//	go run gen_heap_profile.go -o big.pb.gz [-samples 200000] [-funcs 3000] [-seed 1]
//
// Stacks are random walks over a fixed set of functions, so many samples
// share frames (as in real programs) and the aggregation, not the decoding
// alone, is what gets measured. The encoder is written out here against
// profile.proto's field numbers so the generator needs only the standard
// library.
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"math/rand"
	"os"
)

type enc struct{ b []byte }

func (e *enc) varint(v uint64) {
	for v >= 0x80 {
		e.b = append(e.b, byte(v)|0x80)
		v >>= 7
	}
	e.b = append(e.b, byte(v))
}

func (e *enc) key(field, wire int) { e.varint(uint64(field)<<3 | uint64(wire)) }

func (e *enc) u64(field int, v uint64) {
	if v != 0 {
		e.key(field, 0)
		e.varint(v)
	}
}

func (e *enc) bytes(field int, p []byte) {
	e.key(field, 2)
	e.varint(uint64(len(p)))
	e.b = append(e.b, p...)
}

func (e *enc) packed(field int, vs []uint64) {
	var m enc
	for _, v := range vs {
		m.varint(v)
	}
	e.bytes(field, m.b)
}

type strtab struct {
	idx  map[string]uint64
	list []string
}

func (s *strtab) id(v string) uint64 {
	if i, ok := s.idx[v]; ok {
		return i
	}
	i := uint64(len(s.list))
	s.idx[v] = i
	s.list = append(s.list, v)
	return i
}

func main() {
	out := flag.String("o", "", "output file (gzipped profile.proto)")
	nsamples := flag.Int("samples", 200000, "number of samples")
	nfuncs := flag.Int("funcs", 3000, "number of distinct functions")
	seed := flag.Int64("seed", 1, "random seed (a different seed: a different snapshot of the same program)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "gen_heap_profile: -o FILE is required")
		os.Exit(2)
	}
	// The program's shape is fixed (seed 0); the sampled values vary by -seed.
	shape := rand.New(rand.NewSource(0))
	rng := rand.New(rand.NewSource(*seed))
	st := &strtab{idx: map[string]uint64{}}
	st.id("")
	var p enc

	for _, t := range [][2]string{{"alloc_objects", "count"}, {"alloc_space", "bytes"},
		{"inuse_objects", "count"}, {"inuse_space", "bytes"}} {
		var vt enc
		vt.u64(1, st.id(t[0]))
		vt.u64(2, st.id(t[1]))
		p.bytes(1, vt.b)
	}

	// Functions: a few runtime frames for the leaf, then packages of user code.
	type fn struct {
		name, file string
		start      int
	}
	funcs := []fn{{"runtime.mallocgc", "runtime/malloc.go", 900}, {"runtime.makeslice", "runtime/slice.go", 88},
		{"runtime.newobject", "runtime/malloc.go", 1190}, {"runtime.main", "runtime/proc.go", 145},
		{"main.main", "/src/app/main.go", 10}}
	for i := len(funcs); i < *nfuncs; i++ {
		pkg := shape.Intn(200)
		funcs = append(funcs, fn{fmt.Sprintf("example.com/app/pkg%d.(*T%d).Method%d", pkg, i%17, i),
			fmt.Sprintf("/src/app/pkg%d/file%d.go", pkg, i%9), 10 + shape.Intn(2000)})
	}
	for i, f := range funcs {
		var m enc
		m.u64(1, uint64(i+1))
		m.u64(2, st.id(f.name))
		m.u64(3, st.id(f.name))
		m.u64(4, st.id(f.file))
		m.u64(5, uint64(f.start))
		p.bytes(5, m.b)
	}
	// Locations: 4 call sites per function.
	const sitesPer = 4
	nlocs := len(funcs) * sitesPer
	for l := 0; l < nlocs; l++ {
		f := l / sitesPer
		var line enc
		line.u64(1, uint64(f+1))
		line.u64(2, uint64(funcs[f].start+1+(l%sitesPer)*3))
		var m enc
		m.u64(1, uint64(l+1))
		m.u64(2, 1)
		m.u64(3, 0x400000+uint64(l)*16)
		m.bytes(4, line.b)
		p.bytes(4, m.b)
	}
	var mp enc
	mp.u64(1, 1)
	mp.u64(2, 0x400000)
	mp.u64(3, 0x400000+uint64(nlocs)*16+16)
	mp.u64(5, st.id("/src/app/app"))
	mp.u64(7, 1)
	mp.u64(8, 1)
	mp.u64(9, 1)
	p.bytes(3, mp.b)

	loc := func(f, site int) uint64 { return uint64(f*sitesPer + site + 1) }
	// Hot paths: a few hundred call chains most samples start from, as in a
	// real server, so frames repeat across samples.
	chains := make([][]uint64, 400)
	for c := range chains {
		depth := 5 + shape.Intn(20)
		ch := []uint64{}
		for d := 0; d < depth; d++ {
			ch = append(ch, loc(5+shape.Intn(len(funcs)-5), shape.Intn(sitesPer)))
		}
		chains[c] = ch
	}
	for i := 0; i < *nsamples; i++ {
		// No runtime.mallocgc leaf: the Go runtime strips those frames from
		// heap profiles itself (leakhound would hide them, pprof would not).
		var ids []uint64
		for k := 0; k < 1+rng.Intn(6); k++ {
			ids = append(ids, loc(5+rng.Intn(len(funcs)-5), rng.Intn(sitesPer)))
		}
		ids = append(ids, chains[rng.Intn(len(chains))]...)
		ids = append(ids, loc(4, 0), loc(3, 0)) // main.main, runtime.main
		objs := uint64(1 + rng.Intn(64))
		size := objs * uint64(16<<rng.Intn(8))
		var s enc
		s.packed(1, ids)
		s.packed(2, []uint64{objs * 3, size * 3, objs, size})
		p.bytes(2, s.b)
	}
	p.u64(9, uint64(1700000000000000000+*seed*60000000000))
	var pt enc
	pt.u64(1, st.id("space"))
	pt.u64(2, st.id("bytes"))
	p.bytes(11, pt.b)
	p.u64(12, 524288)
	// Last, once every string has its index.
	for _, v := range st.list {
		p.bytes(6, []byte(v))
	}

	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen_heap_profile:", err)
		os.Exit(1)
	}
	w := bufio.NewWriter(f)
	z := gzip.NewWriter(w)
	if _, err := z.Write(p.b); err == nil {
		err = z.Close()
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen_heap_profile:", err)
		os.Exit(1)
	}
}
