#!/usr/bin/env bash
# scan analyses packages side by side on its -j threads, each once the
# packages it imports are frozen, and reports in dependency order: the
# output must not depend on -j or on thread timing.
#
# The tree: chains of helper packages h0 <- h1 <- ... whose functions hand
# a response down the chain (Close: the last link closes it; Peek: no link
# does), and many user packages, each calling one helper of the chain
# both ways; each link has external tests too, analysed while the link's
# importers already run (the link is frozen before them). A user's verdict
# rests on the frozen summaries of every link below it: a summary read
# before its package froze (or a package not yet seen) turns Peek into an
# unknown callee, and its finding disappears; Close's summary missing a
# link would not close, and a finding appears.
# A test-only import cycle (a's tests import b, b imports a) makes a's
# tests wait for b; a package with a syntax error makes errors part of the
# output. Every format, stdout and stderr, is compared between -j 1 and
# repeated -j 2 and -j 4 runs, and the findings against the tree's design.
#
# Env: LH (leakhound binary), LH_BUILD (build tree).
set -euo pipefail

: "${LH:?LH must name the leakhound binary}"
: "${LH_BUILD:?LH_BUILD must name the build tree}"

fail() { echo "t_scan_parallel: FAIL: $*" >&2; exit 1; }

T=$LH_BUILD/scan-parallel
rm -rf "$T"
mkdir -p "$T/m"
cd "$T/m"
w() { mkdir -p "$(dirname "$1")"; printf '%b' "$2" >"$1"; }
w go.mod 'module example.com/par\n\ngo 1.22\n'

NH=12       # links per chain
NC=3        # chains
NU=40       # users
for c in $(seq 0 $((NC - 1))); do
    for i in $(seq 0 $((NH - 1))); do
        d=c$c/h$i
        if [ "$i" = 0 ]; then
            w $d/h.go "package h$i\n\nimport \"net/http\"\n\nfunc Close(resp *http.Response) { _ = resp.Body.Close() }\n\nfunc Peek(resp *http.Response) int { return resp.StatusCode }\n"
        else
            p=$((i - 1))
            w $d/h.go "package h$i\n\nimport (\n\t\"net/http\"\n\n\t\"example.com/par/c$c/h$p\"\n)\n\nfunc Close(resp *http.Response) { h$p.Close(resp) }\n\nfunc Peek(resp *http.Response) int { return h$p.Peek(resp) }\n"
        fi
        # External tests, analysed while importers of the link already run.
        w $d/h_test.go "package h${i}_test\n\nimport (\n\t\"net/http\"\n\n\t\"example.com/par/c$c/h$i\"\n)\n\nfunc leak(url string) int {\n\tresp, err := http.Get(url)\n\tif err != nil {\n\t\treturn 0\n\t}\n\treturn h$i.Peek(resp)\n}\n"
        # Bulk, so that a link takes long enough for a race to show.
        for k in $(seq 0 20); do
            printf 'func f%d(xs []int) (n int) {\n\tfor _, x := range xs {\n\t\tif x > %d {\n\t\t\tn += x\n\t\t}\n\t}\n\treturn n\n}\n\n' "$k" "$k" >>$d/h.go
        done
    done
done
# User u (line 9: the Peek call's response is never closed; line 16: Close
# closes it through the whole chain).
for u in $(seq 0 $((NU - 1))); do
    c=$((u % NC))
    i=$((NH - 1 - u % NH))
    w u$u/u.go "package u$u\n\nimport (\n\t\"net/http\"\n\n\t\"example.com/par/c$c/h$i\"\n)\n\nfunc peek(url string) int {\n\tresp, err := http.Get(url)\n\tif err != nil {\n\t\treturn 0\n\t}\n\treturn h$i.Peek(resp)\n}\n\nfunc closed(url string) {\n\tresp, err := http.Get(url)\n\tif err != nil {\n\t\treturn\n\t}\n\th$i.Close(resp)\n}\n"
done
# The test-only cycle.
w a/a.go 'package a\n\nfunc X() {}\n'
w b/b.go 'package b\n\nimport (\n\t"net/http"\n\n\t"example.com/par/a"\n)\n\nfunc Peek(resp *http.Response) int {\n\ta.X()\n\treturn resp.StatusCode\n}\n'
w a/a_test.go 'package a\n\nimport (\n\t"net/http"\n\t"testing"\n\n\t"example.com/par/b"\n)\n\nfunc TestX(t *testing.T) {\n\tresp, err := http.Get("u")\n\tif err != nil {\n\t\treturn\n\t}\n\tb.Peek(resp)\n}\n'
w bad/bad.go 'package bad\n\nfunc f() {\n\tif {\n}\n'

scan() {   # JOBS FORMAT OUT: exit status 2 (the syntax error) expected
    local rc=0
    (unset GOOS GOARCH CGO_ENABLED; "$LH" scan -j "$1" --format "$2" ./...) >"$3" 2>"$3.err" ||
        rc=$?
    [ "$rc" = 2 ] || fail "scan -j $1 --format $2: exit $rc, want 2: $(head -3 "$3.err")"
    # The JSON stats' wall time is the one thing that differs run to run.
    sed -i 's/"seconds": [0-9.e+-]*/"seconds": 0/' "$3"
}

for f in text json sarif codeclimate; do
    scan 1 $f "$T/ref.$f"
    for run in 1 2 3; do
        for j in 2 4; do
            scan $j $f "$T/out"
            cmp -s "$T/ref.$f" "$T/out" ||
                fail "--format $f: -j $j (run $run) differs from -j 1: $(diff "$T/ref.$f" "$T/out" | head -5)"
            cmp -s "$T/ref.$f.err" "$T/out.err" ||
                fail "--format $f: -j $j (run $run) stderr differs from -j 1: $(diff "$T/ref.$f.err" "$T/out.err" | head -5)"
        done
    done
done

# The design's findings, exactly: every user's Peek (not its Close), every
# link's external test and the waiting test's.
{
    echo "a/a_test.go:11:15: unclosed-body"
    for c in $(seq 0 $((NC - 1))); do
        for i in $(seq 0 $((NH - 1))); do echo "c$c/h$i/h_test.go:10:15: unclosed-body"; done
    done
    for u in $(seq 0 $((NU - 1))); do echo "u$u/u.go:10:15: unclosed-body"; done
} | sort >"$T/want"
cut -d: -f1-4 "$T/ref.text" | sort >"$T/got"
cmp -s "$T/want" "$T/got" || fail "findings differ from the design: $(diff "$T/want" "$T/got" | head -5)"
grep -q 'bad/bad.go:4:5:' "$T/ref.text.err" || fail "no syntax error reported: $(cat "$T/ref.text.err")"
echo "t_scan_parallel: ok ($((NC * NH + NU + 3)) packages, 4 formats, -j 1/2/4)"
