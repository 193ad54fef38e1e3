// Command goleaks runs one leak scenario modelled on the seeds and writes
// the heap and goroutine profiles a person hunting the leak would collect:
// the same profiles at several moments, a few hundred milliseconds apart.
//
//	goleaks -leak=cache -out DIR [-snapshots 7] [-interval 300ms]
//	goleaks -leak=blocked -serve 60s -addrfile FILE   (live: see serve.go)
//
// Each scenario does one round of "traffic" before each snapshot. The line
// that allocates what the leak keeps alive is marked `// LEAK heap:`, the line
// where leaked goroutines block `// LEAK block:` and the go statement that
// starts them `// LEAK go:`, so tests find the expected file:line by grepping
// instead of hard-coding line numbers. The control marks its bounded working
// set `// STEADY:` and its fluctuating one `// NOISE:`.
//
// Files written for snapshot N (1-based, so a glob lists them in time order):
//
//	heap.N.pb.gz          heap profile, protobuf (debug=0); time_nanos set by the runtime
//	heap.N.debug1.txt     heap profile, legacy text (debug=1); mtime = moment of capture
//	goroutine.N.pb.gz     goroutine profile, protobuf (debug=0)
//	goroutine.N.debug1.txt goroutine profile, stacks grouped with counts (debug=1)
//	goroutine.N.debug2.txt every goroutine with its wait reason (debug=2)
//	meta.txt              key=value facts the tests check counts against,
//	                      times_ns: when each snapshot was taken (Unix ns),
//	                      units: traffic done (requests, events, ...) by each,
//	                      leak_bytes: in-use bytes at the LEAK heap line in each
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"time"
)

// Every allocation is sampled, so small leaks show up and in-use numbers are
// exact rather than estimates. This runs before main, after the imported
// packages' own init; gen.sh also sets GODEBUG=memprofilerate=1 so even
// those are recorded. -memprofilerate overrides it: 524288, the runtime's
// default, gives the scaled estimates real services' profiles carry.
func init() { runtime.MemProfileRate = 1 }

var memProfileRate int

// A scenario is driven from main: round(r, n) performs the traffic that
// happens between snapshot r-1 and snapshot r (round 0 precedes the first
// snapshot): n units of it -- requests, events, jobs -- at rate units per
// interval of wall-clock time, like a server under steady load. Should a
// loaded machine delay a snapshot, the next round makes up for the time, so
// what a leak holds stays proportional to time and its trend a straight line.
// facts returns what the tests may check exact counts against; leakBytes,
// for scenarios with a `// LEAK heap:` line, the bytes that line's
// allocations hold right now, which is what every snapshot's inuse_space at
// that line must say.
type scenario struct {
	rate      int
	setup     func()
	round     func(r, n int)
	facts     func() map[string]string
	leakBytes func() int
}

// due is the traffic a scenario should have done by now since start: one
// round's worth at once, then rate per interval.
func (s scenario) due(start time.Time, interval time.Duration) int {
	return s.rate + int(float64(s.rate)*float64(time.Since(start))/float64(interval)+0.5)
}

var scenarios = map[string]scenario{}

func register(name string, s scenario) { scenarios[name] = s }

func main() {
	leak := flag.String("leak", "", "scenario to run")
	out := flag.String("out", "", "directory to write profiles into")
	snapshots := flag.Int("snapshots", 7, "number of snapshots (at most 9, so names sort in time order)")
	interval := flag.Duration("interval", 300*time.Millisecond, "time between snapshots")
	flag.IntVar(&memProfileRate, "memprofilerate", 1, "runtime.MemProfileRate (1: every allocation)")
	life := flag.Duration("serve", 0, "serve net/http/pprof on 127.0.0.1 for this long instead of writing snapshots")
	addrFile := flag.String("addrfile", "", "with -serve: file to write the server's host:port to")
	flag.Parse()
	runtime.MemProfileRate = memProfileRate

	s, ok := scenarios[*leak]
	if ok && *life > 0 && *addrFile != "" {
		serveLive(s, *life, *interval, *addrFile)
	}
	if !ok || *out == "" || *snapshots < 1 || *snapshots > 9 {
		fmt.Fprintf(os.Stderr, "usage: goleaks -leak=%v -out DIR [-snapshots 1..9] [-interval D]\n"+
			"       goleaks -leak=NAME -serve D -addrfile FILE [-interval D]\n", names())
		os.Exit(2)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fatal(err)
	}
	if s.setup != nil {
		s.setup()
	}
	start := time.Now()
	var times, units, leakBytes []string
	done := 0
	for i := 0; i < *snapshots; i++ {
		time.Sleep(time.Until(start.Add(time.Duration(i) * *interval)))
		n := s.due(start, *interval) - done
		if n < 0 {
			n = 0
		}
		s.round(i, n)
		done += n
		units = append(units, fmt.Sprint(done))
		settle()
		// The heap profile describes the heap as of the last completed GC;
		// collect now so in-use numbers include this round and nothing freed.
		runtime.GC()
		// Within a millisecond of the heap proto's own time_nanos, which
		// the runtime takes as it starts writing; tests compute the slope
		// trend should report from these.
		now := time.Now()
		times = append(times, fmt.Sprint(now.UnixNano()))
		if s.leakBytes != nil {
			leakBytes = append(leakBytes, fmt.Sprint(s.leakBytes()))
		}
		if err := snapshot(*out, i+1, now); err != nil {
			fatal(err)
		}
	}

	facts := map[string]string{
		"leak":        *leak,
		"snapshots":   fmt.Sprint(*snapshots),
		"interval_ms": fmt.Sprint(interval.Milliseconds()),
		"go_version":  runtime.Version(),
		"goroutines":  fmt.Sprint(runtime.NumGoroutine()),
		"times_ns":    strings.Join(times, ","),
		"units":       strings.Join(units, ","),
		"rate":        fmt.Sprint(s.rate),
	}
	if leakBytes != nil {
		facts["leak_bytes"] = strings.Join(leakBytes, ",")
	}
	if s.facts != nil {
		for k, v := range s.facts() {
			facts[k] = v
		}
	}
	if err := writeFacts(filepath.Join(*out, "meta.txt"), facts); err != nil {
		fatal(err)
	}
}

// snapshot writes every format of both profiles for moment n, taken at
// time at. Text profiles carry no time of their own, so each file's
// modification time is set to at, as a collector stamping files with the
// moment of capture would: writing the heap text with every allocation
// sampled takes up to a few hundred milliseconds, and the time the writing
// ended would skew the spacing trend reads from it.
//
// At rate 1, sampling stops once a profile starts coming out (see
// samplingOff) and resumes after: the writers' own allocations would
// otherwise be recorded one by one, the heap text would take hundreds of
// milliseconds (longer than an interval on a loaded machine), and hundreds
// of records of the profiler's own garbage would crowd profiles in which,
// at the default rate, they would hardly appear.
func snapshot(dir string, n int, at time.Time) error {
	files := []struct {
		profile string
		debug   int
		name    string
	}{
		{"heap", 0, "heap.%d.pb.gz"},
		{"heap", 1, "heap.%d.debug1.txt"},
		{"goroutine", 0, "goroutine.%d.pb.gz"},
		{"goroutine", 1, "goroutine.%d.debug1.txt"},
		{"goroutine", 2, "goroutine.%d.debug2.txt"},
	}
	for _, f := range files {
		path := filepath.Join(dir, fmt.Sprintf(f.name, n))
		w, err := os.Create(path)
		if err != nil {
			return err
		}
		var out io.Writer = w
		if memProfileRate == 1 {
			out = samplingOff{w}
		}
		err = pprof.Lookup(f.profile).WriteTo(out, f.debug)
		runtime.MemProfileRate = memProfileRate
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chtimes(path, at, at)
		}
		if err != nil {
			return fmt.Errorf("%s: %v", path, err)
		}
	}
	return nil
}

// settle waits until the goroutines the round started have reached the
// point where they block, so the dumps count them in their final state
// however loaded the machine is: until two goroutine profiles taken 10 ms
// apart are the same (at most 2 s).
func settle() {
	runtime.MemProfileRate = 0
	defer func() { runtime.MemProfileRate = memProfileRate }()
	prev, cur := new(bytes.Buffer), new(bytes.Buffer)
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		cur.Reset()
		if err := pprof.Lookup("goroutine").WriteTo(cur, 1); err != nil {
			fatal(err)
		}
		if bytes.Equal(prev.Bytes(), cur.Bytes()) {
			return
		}
		prev, cur = cur, prev
	}
}

// samplingOff turns allocation sampling off at the first byte written. The
// heap profile reads runtime.MemProfileRate before that -- into the proto's
// period and the text's "@ heap/2" header, which must say the rate the data
// was sampled at, not 0 -- and its data was collected earlier still, so
// only the writer's own garbage goes unrecorded.
type samplingOff struct{ w io.Writer }

func (s samplingOff) Write(p []byte) (int, error) {
	runtime.MemProfileRate = 0
	return s.w.Write(p)
}

func writeFacts(path string, facts map[string]string) error {
	keys := make([]string, 0, len(facts))
	for k := range facts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var text []byte
	for _, k := range keys {
		text = append(text, k+"="+facts[k]+"\n"...)
	}
	return os.WriteFile(path, text, 0o644)
}

func names() []string {
	var n []string
	for k := range scenarios {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "goleaks:", err)
	os.Exit(1)
}
