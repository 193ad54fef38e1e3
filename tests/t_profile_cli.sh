#!/usr/bin/env bash
# The profile commands' contract on the fixtures of tests/testdata/profiles:
# text and JSON shapes, options, exit codes (0 / 1 suspects / 2 errors),
# one-line errors naming the file, and diff -o never leaving half a file.
source "${LH_SRC:?}/tests/lib.sh" pcli || exit 1
: "${LH:?}"
FIX=$LH_SRC/tests/testdata/profiles

# ---- top
run 0 top "$FIX/heap.pb.gz"
has out "Type: inuse_space" "top default sample type"
has out "flat  flat%   sum%        cum   cum%" "top header"
has out "main.allocBig  ./main.go:29" "top file:line"
run 0 top "$FIX/heap.pb.gz" --format json -n 1
has out '"sample_type":"inuse_space","unit":"bytes","total":' "top json head"
has out '{"function":"main.allocBig","file":"./main.go","line":29,"flat":1310720,"cum":1310720' "top json entry"
check "top -n 1 gives one entry" "$(grep -c '"function"' "$T/out")" 1
run 0 top "$FIX/heap.pb.gz" --sample alloc_objects --by line -n 0 --format json
has out '"sample_type":"alloc_objects","unit":"count"' "top --sample"
run 0 top - --sample=inuse_objects <"$FIX/heap.debug1.txt"
has out "Type: inuse_objects" "top from standard input"
run 0 top "$FIX/heap.pb.gz" --list 'allocBig$' --source-path "$FIX/gen"
has out "ROUTINE ======================== main.allocBig in ./main.go" "top --list header"
has out "1.25MB     1.25MB     29: func allocBig" "top --list source line with its values"
run 0 top "$FIX/goroutine.pb.gz" -n 2
has out "main.leakSend" "top on a goroutine profile hides runtime.gopark"

run 2 top "$FIX/heap.pb.gz" --sample bogus
one_error_line "unknown sample type" "no sample type 'bogus' (has: alloc_objects alloc_space inuse_objects inuse_space)"
run 2 top "$T/missing.pb.gz"
one_error_line "missing file" "$T/missing.pb.gz: No such file or directory"
head -c 300 "$FIX/heap.pb.gz" >"$T/trunc.pb.gz"
run 2 top "$T/trunc.pb.gz"
one_error_line "truncated gzip" "$T/trunc.pb.gz:"
run 2 top "$FIX/heap.pb.gz" --max-inflate 512
one_error_line "inflate cap" "$FIX/heap.pb.gz:"
run 2 top "$FIX/heap.pb.gz" --by file
one_error_line "bad --by" "invalid value \"file\" for flag --by: not function or line"
run 2 top "$FIX/heap.pb.gz" --frobnicate
one_error_line "unknown option" "top: flag provided but not defined: --frobnicate"
run 2 top "$FIX/heap.pb.gz" --list '('
one_error_line "bad regex" "for flag --list: not a regular expression"
run 0 top --help
has out "exit status: 0" "top --help documents exit codes"

# ---- diff
run 0 diff "$FIX/heap.pb.gz" "$FIX/heap.pb.gz" --format json
has out '"total":0,"net":0,"entries":\[\]' "diff of a profile with itself is empty"
run 0 diff "$FIX/heap.debug1.txt" "$FIX/heap.pb.gz" --by line -o "$T/delta.pb.gz"
has out "Base: $FIX/heap.debug1.txt" "diff names the base"
[ -s "$T/delta.pb.gz" ] || fail "diff -o wrote nothing"
run 0 top "$T/delta.pb.gz" --by line
check "top of diff -o equals diff" "$(grep -E '^ +-?[0-9]' "$T/out")" \
    "$("$LH" diff "$FIX/heap.debug1.txt" "$FIX/heap.pb.gz" --by line | grep -E '^ +-?[0-9]')"
if command -v go >/dev/null; then
    export GOCACHE=${LH_BUILD:-$T}/go-cache
    go tool pprof -top "$T/delta.pb.gz" >"$T/pp" 2>&1 || fail "go tool pprof cannot read diff -o: $(head -c 300 "$T/pp")"
fi
# A diff that fails leaves the old -o file as it was, and no temporary file.
echo keep >"$T/old.pb.gz"
run 2 diff "$FIX/heap.pb.gz" "$FIX/goroutine.pb.gz" -o "$T/old.pb.gz"
one_error_line "diff of different sample types" "has no"
check "failed diff -o keeps the old file" "$(cat "$T/old.pb.gz")" keep
check "no temporary files left" "$(ls -A "$T" | grep -v -E '^(out|err|pp|trunc.pb.gz|delta.pb.gz|old.pb.gz|go-cache)$' | tr '\n' ' ')" ""
run 2 diff "$FIX/heap.pb.gz"
run 2 diff "$FIX/heap.pb.gz" "$FIX/heap.pb.gz" -o "$T/no/such/dir/x.pb.gz"
one_error_line "diff -o into a missing directory" "$T/no/such/dir/x.pb.gz"
run 0 diff --help

# ---- trend
run 2 trend "$FIX/heap.pb.gz" "$FIX/heap.pb.gz"
one_error_line "trend with 2 snapshots" "needs at least 3 heap profiles"
run 2 trend "$FIX/heap.pb.gz" "$FIX/heap.pb.gz" "$FIX/heap.pb.gz"
one_error_line "trend of one snapshot thrice" "same time"
run 2 trend "$FIX/goroutine.pb.gz" "$FIX/heap.pb.gz" "$FIX/heap.debug1.txt"
one_error_line "trend of a goroutine profile" "goroutine.pb.gz: not a heap profile"
run 0 trend --help
has out "exit status: 0 no growing site, 1 growing sites" "trend --help documents exit codes"

# ---- goroutines
run 0 goroutines "$FIX/goroutine.debug2.txt"
has out "No leak suspects." "goroutines default thresholds"
run 1 goroutines "$FIX/goroutine.debug2.txt" --min-count 3 --format json
has out '{"count":5,"wait_reason":"chan send","max_wait_minutes":0,"function":"main.leakSend","file":"./main.go","line":31,' "goroutines json group"
has out '"created_by":{"function":"main.main","file":"./main.go","line":59},"start_function":"main.leakSend","suspect":true' "goroutines json created_by and suspect"
run 1 goroutines "$FIX/goroutineleak.debug2.txt"
has out "(leaked)" "goroutineleak groups"
run 1 goroutines "$FIX/goroutine.debug1.txt" "$FIX/goroutine.debug2.txt" "$FIX/goroutine.pb.gz" --min-count 3
run 2 goroutines "$FIX/heap.pb.gz"
one_error_line "goroutines on a heap profile" "heap.pb.gz: not a goroutine profile"
run 2 goroutines --min-count x "$FIX/goroutine.pb.gz"
run 0 goroutines --help
has out "exit status: 0 no suspects, 1 suspects found" "goroutines --help documents exit codes"

finish
