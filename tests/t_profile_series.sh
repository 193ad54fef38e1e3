#!/usr/bin/env bash
# Snapshots over time and where they come from (issue 11, items 1-4):
#   - order: protobuf profiles by the time they record; text dumps in the
#     order given, with a note when their file times disagree; names that
#     differ only in a number (d.2, d.10) by that number, with a note;
#   - --every DURATION --count N takes N snapshots of one URL that far apart
#     (trend, goroutines, diff), with a progress line on stderr; one URL
#     given twice without --every is an error that points to --every;
#   - host:port/path without a scheme is an http URL, host:port alone the
#     command's profile, as go tool pprof reads them; a path that exists is
#     a file whatever it looks like;
#   - a goroutine dump whose record cannot be read is an error at its line.
# A tiny HTTP server on 127.0.0.1 serves the fixtures and, under /seq/, a
# series: the k-th request of a path gets the k-th snapshot. It stops by
# itself after 120 seconds even if this script dies. Nothing here measures
# time: --every 50ms only keeps the test short.
source "${LH_SRC:?}/tests/lib.sh" series || exit 1
: "${LH:?}"
FIX=$LH_SRC/tests/testdata/profiles
EX=$LH_SRC/examples/profiles

# ---- item 1: order
cd "$T" || exit 1
# Three dumps of the blocked example (99, 399, 699 goroutines stuck), named
# so that a shell glob sorts them 10, 2, 5, with one file time for all.
cp "$EX/blocked/goroutine.1.debug1.txt" d.2.txt
cp "$EX/blocked/goroutine.4.debug1.txt" d.5.txt
cp "$EX/blocked/goroutine.7.debug1.txt" d.10.txt
touch -d '2026-01-01 00:00:00' d.2.txt d.5.txt d.10.txt
run 1 goroutines d.*.txt --format json
has out '"counts":\[99,399,699\]' "numbered names in numeric order"
has out '"dumps":\[{"profile":"d.2.txt",' "numbered names: the first dump is d.2.txt"
has err "note: taking the snapshots in the order of the number in their names (d.2.txt before d.10.txt)" "numeric order is noted"
# The same dumps as a, b, c, given in that order, copied in reverse: their
# file times say c, b, a. The order given stands, with a note.
cp d.2.txt a.txt && cp d.5.txt b.txt && cp d.10.txt c.txt
touch -d '2026-01-01 00:00:03' a.txt
touch -d '2026-01-01 00:00:02' b.txt
touch -d '2026-01-01 00:00:01' c.txt
run 1 goroutines a.txt b.txt c.txt
has out "count keeps climbing: 99 -> 699 over 3 dumps" "text dumps in the order given"
has err "note: b.txt is older than a.txt, which comes before it: the snapshots stay in the order given" "disagreeing file times are noted"
run 1 goroutines a.txt b.txt c.txt --format json
hasnt out time_nanos "untrusted file times are not reported as the dumps' times"
# Given in file-time order, no note, and the file times are the times.
touch -d '2026-01-01 00:00:01' a.txt
touch -d '2026-01-01 00:00:02' b.txt
touch -d '2026-01-01 00:00:03' c.txt
run 1 goroutines a.txt b.txt c.txt --format json
check "agreeing file times: no note" "$(cat "$T/err")" ""
has out '"profile":"a.txt","time_nanos":1767225601000000000,' "agreeing file times are the dumps' times"

# trend on text heap snapshots, growing 1, 2, 3 MB, their files written in
# reverse: growing in the order given, per snapshot since the times are
# not to be trusted.
for i in 1 2 3; do
    b=$((i * 1048576))
    printf 'heap profile: %d: %d [%d: %d] @ heap/1\n%d: %d [%d: %d] @ 0x1001 0x2001\n#\t0x1000\tmain.grow+0x1\t/app/main.go:10\n#\t0x2000\tmain.main+0x1\t/app/main.go:20\n\n1: 4096 [1: 4096] @ 0x3001\n#\t0x3000\tmain.steady+0x1\t/app/main.go:30\n' \
        $((i + 1)) $((b + 4096)) $((i + 1)) $((b + 4096)) $i $b $i $b >"h$i.txt"
done
touch -d '2026-01-01 00:00:03' h1.txt
touch -d '2026-01-01 00:00:02' h2.txt
touch -d '2026-01-01 00:00:01' h3.txt
run 1 trend h1.txt h2.txt h3.txt
has out "Snapshots: 3 at unknown times (taken as evenly spaced), from h1.txt to h3.txt" "trend: text snapshots in the order given"
has out "+1.00MB/snapshot  R2=1.00  now    3.00MB  main.grow  /app/main.go:10" "trend: per-snapshot slope"
has err "note: h2.txt is older than h1.txt" "trend: disagreeing file times are noted"
run 1 trend h1.txt h2.txt h3.txt --format json
has out '"slope_bytes_per_snapshot":1.04858e+06' "trend json: slopes per snapshot without a time axis"
hasnt out '"hours"' "trend json: no hours without a time axis"
# Protobuf profiles go by their own times, whatever the command line says.
run 1 trend "$EX"/cache/heap.{5,1,7,3,2,6,4}.pb.gz --format json
check "trend: protobuf snapshots in recorded-time order" \
    "$(grep -o '"profile":"[^"]*"' "$T/out" | sed 's/.*heap\.\([0-9]\).*/\1/' | tr -d '\n')" 1234567
has out '"hours":' "trend json: hours with a time axis"
check "trend: protobuf profiles, no note" "$(cat "$T/err")" ""

# ---- item 12: trend's --by default differs from top's and diff's, and says why
run 0 trend --help
has out "Lines by default, unlike" "trend --help explains its --by default"
run 0 top --help
has out "aggregate by function (default)" "top's --by default"

# ---- item 4: a goroutine record that cannot be read
printf 'goroutine 1 [chan send]:\nmain.f(0x1)\n\t/app/m.go:3 +0x1\n\ngoroutine 2 [chan send]:\n!! not a frame\n\n' >bad.txt
run 2 goroutines bad.txt
one_error_line "unreadable goroutine record" "bad.txt: line 5: goroutine 2: no stack frame could be read"

# ---- the server
cat >"$T/server.py" <<'PY'
import os, sys, threading
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, sys.argv[1])
import loopback
root, ex, addrfile = sys.argv[2], sys.argv[3], sys.argv[4]
series = {
    "heap": [os.path.join(ex, "cache", "heap.%d.pb.gz" % i) for i in range(1, 8)],
    "goroutine": [os.path.join(ex, "blocked", "goroutine.%d.debug1.txt" % i) for i in (1, 4, 7)],
}
served = {}
lock = threading.Lock()
class H(loopback.Files):
    root = root
    def do_GET(self):
        p = self.path
        if p.startswith("/seq/"):
            # /seq/KIND/RUN: the k-th request of this path gets snapshot k
            kind = p.split("/")[2]
            with lock:
                k = served.get(p, 0)
                served[p] = k + 1
            files = series[kind]
            self.send_file(files[min(k, len(files) - 1)])
        elif p == "/debug/pprof/heap":
            self.send_file(os.path.join(root, "heap.pb.gz"))
        elif p == "/debug/pprof/goroutine?debug=2":
            self.send_file(os.path.join(root, "goroutine.debug2.txt"))
        else:
            super().do_GET()
loopback.listen(H, addrfile, life=120).serve_forever()
PY
start_bg python3 "$T/server.py" "$LH_SRC/tests" "$FIX" "$EX" "$T/addr" 2>"$T/server.err"
wait_file "$T/addr" "test HTTP server" "$T/server.err" || finish
PORT=$(cut -d: -f2 "$T/addr")
U=http://127.0.0.1:$PORT

# ---- item 3: address forms
run 0 top "127.0.0.1:$PORT/heap.pb.gz" -n 1
has out main.allocBig "host:port/path is an http URL"
run 0 top "localhost:$PORT/heap.pb.gz" -n 1
has out main.allocBig "name:port/path is an http URL"
run 0 top "127.0.0.1:$PORT" -n 1
has out main.allocBig "host:port alone: top reads /debug/pprof/heap"
run 1 goroutines "127.0.0.1:$PORT" --min-count 3
has out main.leakSend "host:port alone: goroutines reads /debug/pprof/goroutine?debug=2"
has out "chan send" "host:port alone: goroutines gets the debug=2 dump"
run 0 diff "127.0.0.1:$PORT/heap.pb.gz" "$FIX/heap.pb.gz" --format json
has out '"net":0' "diff of a host:port/path URL and a file"
# A path that exists is a file, even when it reads like host:port/path.
mkdir -p "$T/127.0.0.1:1"
cp "$FIX/heap.pb.gz" "$T/127.0.0.1:1/heap.pb.gz"
run 0 top "127.0.0.1:1/heap.pb.gz" -n 1
has out main.allocBig "an existing file wins over host:port/path"
# Without a port it is a file, as in pprof (and missing).
run 2 top "localhost/heap.pb.gz"
one_error_line "host/path without a port" "localhost/heap.pb.gz: No such file or directory"
# A fetch that fails names the URL it tried.
run 2 top "127.0.0.1:$PORT/nothing.pb.gz"
one_error_line "host:port/path 404" "http://127.0.0.1:$PORT/nothing.pb.gz: HTTP status 404"

# ---- item 2: one URL over time
run 2 trend "$U/heap.pb.gz" "$U/heap.pb.gz" "$U/heap.pb.gz"
one_error_line "trend URL URL URL" "$U/heap.pb.gz: given 3 times, it would be fetched 3 times at once; take snapshots over time with --every DURATION --count N, or follow the program with leakhound watch"
run 2 diff "$U/heap.pb.gz" "127.0.0.1:$PORT/heap.pb.gz"
one_error_line "diff URL URL (one written without its scheme)" "given 2 times"
run 2 goroutines "$U/goroutine.debug2.txt" "$U/goroutine.debug2.txt"
one_error_line "goroutines URL URL" "--every DURATION"
run 2 trend "$U/heap.pb.gz" --count 4
one_error_line "--count without --every" "--count needs --every"
run 2 trend "$FIX/heap.pb.gz" --every 1s
one_error_line "--every on a file" "heap.pb.gz: not a URL; --every takes snapshots of a running program"
run 2 trend "$U/seq/heap/x" --every 50ms --count 2
one_error_line "trend --count 2" "--count must be at least 3, not 2"
run 2 diff "$U/seq/heap/y" --every 50ms --count 3
one_error_line "diff --count 3" "--count must be 2 here, not 3"
run 2 trend "$U/seq/heap/z" "$U/heap.pb.gz" --every 50ms
one_error_line "--every with two operands" "--every takes snapshots of one URL, not of 2 profiles"

run 1 trend "$U/seq/heap/t" --every 50ms --count 4 --format json
check "trend --every: snapshots taken" "$(grep -o '"profile":' "$T/out" | wc -l)" 4
check "trend --every: progress lines" "$(grep -c "^leakhound trend: snapshot [1-4] of 4 from $U/seq/heap/t" "$T/err")" 4
has err "snapshot 1 of 4 from $U/seq/heap/t; next in 50ms" "trend --every: the progress line says when the next comes"
has out '"class":"growing"' "trend --every: the cache example grows"
run 0 diff "$U/seq/heap/d" --every 50ms --format json
has out "\"profile\":\"$U/seq/heap/d\",\"base\":\"$U/seq/heap/d\"" "diff --every: BASE and NEW from the URL"
has out '"function":"main.renderPage"' "diff --every: what grew between the two"
check "diff --every: progress lines" "$(grep -c 'snapshot [12] of 2' "$T/err")" 2
run 1 goroutines "$U/seq/goroutine/g" --every 50ms --count 3
has out "count keeps climbing: 99 -> 699 over 3 dumps" "goroutines --every: climbing across the dumps taken"
check "goroutines --every: progress lines" "$(grep -c 'snapshot [1-3] of 3' "$T/err")" 3

finish
