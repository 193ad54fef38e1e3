#!/usr/bin/env bash
# The runtime's own goroutine leak detector, read by leakhound: the program
# in tests/goleaks/goroutineleak, built with Go 1.27.3 (GOTOOLCHAIN, for this
# test only; the profile is on by default there), leaks goroutines in six
# ways -- blocked send, blocked receive, range over a channel never closed,
# a forgotten WaitGroup, a Mutex never unlocked, a send 120 frames down --
# beside goroutines that block by design: an idle worker pool on a channel
# the program holds (12 workers, more than the "many blocked" rule's
# threshold), a thread-locked goroutine, the HTTP accept loop. It serves
# net/http/pprof on 127.0.0.1; leakhound reads /debug/pprof/goroutineleak in
# its three forms (proto, ?debug=1, ?debug=2) and must report exactly the
# six leaks as suspects, at their marked lines, with their creators where
# the form has them (?debug=2), and never the live ones. Every other format
# Go 1.27 serves (goroutine proto/?debug=1/?debug=2, heap proto/?debug=1)
# must load with totals that agree with the runtime's.
#
# Needs a go command that can fetch another toolchain (Go 1.21+) and the
# module proxy (or go1.27.3 already in the module cache); with an older Go
# the test says so on one line and passes.
name=t_runtime_goroutineleak
want=go1.27.3
minor=$(go env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9][0-9]*\).*/\1/p')
source "${LH_SRC:?}/tests/golib.sh" || exit 1
if [ -z "$minor" ] || [ "$minor" -lt 21 ]; then
    go_skip "$name" "needs Go >= 1.21 (to fetch $want through GOTOOLCHAIN)"
fi
# The toolchain is a module download: keep it in the user's module cache
# (lib.sh points GOPATH into the build tree), so every build tree and the
# sanitizer pass share one copy.
modcache=$(go env GOMODCACHE)
source "${LH_SRC:?}/tests/goleaks/lib.sh" || exit 1
export GOMODCACHE=$modcache GOTOOLCHAIN=$want GOFLAGS=-mod=mod GOWORK=off

src=$GOLEAKS/goroutineleak
bin=$LH_BUILD/goleaks/bin/goroutineleak
got=$(cd "$src" && go env GOVERSION 2>"$T/toolchain.err")
[ "$got" = "$want" ] || { echo "FAIL: GOTOOLCHAIN=$want go gives '$got': $(tail -3 "$T/toolchain.err")"; exit 1; }
(cd "$src" && go build -o "$bin" .) 2>"$T/build.err" || { echo "FAIL: building $src with $want: $(tail -5 "$T/build.err")"; exit 1; }

# Exits by itself after 300 s (the end of the test ends it sooner). Labels
# in traceback headers: on by default for go 1.27 modules, and this
# one says go 1.26 (so Go 1.26 can record from it, see
# tests/testdata/profiles/README).
GODEBUG=tracebacklabels=1 start_bg "$bin" -addrfile="$T/addr" -life=300s 2>"$T/serve.err"
wait_file "$T/addr" goroutineleak "$T/serve.err" || finish
base=http://$(cat "$T/addr")/debug/pprof
pmeta() { sed -n "s/^$1=//p" "$T/meta.txt"; }
check "program's runtime" "$(pmeta go_version)" "$want"

# Before any goroutineleak request: the runtime has tagged nothing yet.
fetch "goroutine?debug=2" "$T/before.debug2.txt" || fail "GET goroutine?debug=2"
check "goroutine?debug=2 before leak detection: (leaked) tags" "$(grep -c '(leaked)' "$T/before.debug2.txt")" 0

# The expected suspects: "site-function main.go:line created-by main.go:line count"
declare -A want_site want_go want_count
declare -A want_creator=([send]=main.startSends [recv]=main.startReceives [range]=main.startRanges
    [wait]=main.startWaits [lock]=main.startLocks [deep]=main.startDeep)
for p in send recv range wait lock deep; do
    want_site[$p]=$(marker goroutineleak/main.go "LEAKED $p:")
    want_go[$p]=$(marker goroutineleak/main.go "GO $p:")
    want_count[$p]=$(pmeta "$p")
done
live_lines=" $(marker goroutineleak/main.go "LIVE pool:") $(marker goroutineleak/main.go "LIVE locked:") $(marker goroutineleak/main.go "LIVE accept:") "

# site NAME I -> "main.go:LINE" of group I's own code: the blocking frame
# when it is the program's, else the program's frame that called into sync.
site() {
    local f l
    f=$(field "$1" "groups.$2.user_file") l=$(field "$1" "groups.$2.user_line")
    [ -n "$f" ] || f=$(field "$1" "groups.$2.file") l=$(field "$1" "groups.$2.line")
    echo "${f##*/}:$l"
}

# expect_leaks NAME WHAT CREATORS: the groups of $T/NAME.json against the
# six leaks; CREATORS=1 when the form prints "created by".
expect_leaks() {
    local name=$1 what=$2 creators=$3 n i p s matched
    n=$(count "$name" groups)
    declare -A seen=()
    local suspects=0
    for ((i = 0; i < n; i++)); do
        s=$(site "$name" "$i")
        if [ "$(field "$name" "groups.$i.suspect")" != true ]; then
            continue
        fi
        suspects=$((suspects + 1))
        matched=
        for p in send recv range wait lock deep; do
            [ "$s" = "main.go:${want_site[$p]}" ] || continue
            matched=$p
            seen[$p]=1
            check "$what: $p group ($s): count" "$(field "$name" "groups.$i.count")" "${want_count[$p]}"
            check "$what: $p group ($s): leaked" "$(field "$name" "groups.$i.leaked")" true
            if [ "$creators" = 1 ]; then
                check "$what: $p group ($s): created_by" \
                    "$(field "$name" "groups.$i.created_by.function") $(f=$(field "$name" "groups.$i.created_by.file"); echo "${f##*/}"):$(field "$name" "groups.$i.created_by.line")" \
                    "${want_creator[$p]} main.go:${want_go[$p]}"
            fi
        done
        [ -n "$matched" ] || fail "$what: suspect group at $s ($(field "$name" "groups.$i.function"), $(field "$name" "groups.$i.wait_reason")) is none of the six leaks"
        case $live_lines in *" ${s#main.go:} "*) fail "$what: a live group ($s) is a suspect" ;; esac
    done
    check "$what: suspects" "$suspects" 6
    for p in send recv range wait lock deep; do
        [ -n "${seen[$p]}" ] || fail "$what: the $p leak (main.go:${want_site[$p]}) is not among the suspects"
    done
}

# The three forms of the goroutineleak profile, each through the URL (as a
# user would point leakhound at it) and as a saved file.
for q in "goroutineleak" "goroutineleak?debug=1" "goroutineleak?debug=2"; do
    case $q in *debug=2) creators=1 ;; *) creators=0 ;; esac
    lhjson u 1 goroutines "$base/$q" --format json && expect_leaks u "goroutines $q" "$creators"
    f=$T/$(echo "$q" | tr '?=' '.-').out
    fetch "$q" "$f" || { fail "GET $q"; continue; }
    lhjson g 1 goroutines "$f" --format json && expect_leaks g "goroutines (file) $q" "$creators"
done

# ?debug=2 lists the live goroutines too, untagged: the pool, cleared by
# the runtime although it is big, the thread-locked one, the accept loop.
lhjson g 1 goroutines "$T/goroutineleak.debug-2.out" --format json && {
    n=$(count g groups) pool=
    for ((i = 0; i < n; i++)); do
        [ "$(site g "$i")" = "main.go:$(marker goroutineleak/main.go "LIVE pool:")" ] || continue
        pool="$(field g "groups.$i.count") $(field g "groups.$i.leaked") $(field g "groups.$i.suspect")"
    done
    check "goroutineleak?debug=2: the worker pool (count leaked suspect)" "$pool" "$(pmeta pool) false false"
    check "goroutineleak?debug=2: the dump's goroutines" "$(field g dumps.0.goroutines)" \
        "$(grep -c '^goroutine [0-9]* ' "$T/goroutineleak.debug-2.out")"
    check "goroutineleak?debug=2: labels in Go 1.27's shape" \
        "$(grep -c '(leaked)\] {pattern: "range, never closed", team: ingest}:$' "$T/goroutineleak.debug-2.out")" "$(pmeta range)"
}

# The runtime keeps its verdict: a plain goroutine dump taken afterwards
# tags the same goroutines.
fetch "goroutine?debug=2" "$T/after.debug2.txt" || fail "GET goroutine?debug=2"
lhjson g 1 goroutines "$T/after.debug2.txt" --format json && expect_leaks g "goroutines goroutine?debug=2 after detection" 1

# Every other format Go 1.27 serves loads, with the runtime's totals.
for q in "goroutine" "goroutine?debug=1" "goroutine?debug=2" "heap?gc=1" "heap?gc=1&debug=1"; do
    f=$T/fmt.$(echo "$q" | tr '?=&' '._-')
    fetch "$q" "$f" || { fail "GET $q"; continue; }
    lhjson t 0 top "$f" -n 0 --format json || continue
    [ "$(count t entries)" -gt 0 ] || fail "top $q: no entries"
    # pprof of the machine's own Go (formats are stable; no second pprof
    # build for 1.27): the protobuf totals, and the heap text scaled for
    # sampling as leakhound must scale it.
    case $q in
    goroutine) want_total=$(GOTOOLCHAIN=local go tool pprof -top -nodecount=1 "$f" 2>/dev/null | sed -n 's/.* of \([0-9]*\) total.*/\1/p' | head -1) ;;
    "goroutine?debug=1") want_total=$(sed -n '1s/^goroutine profile: total \([0-9]*\)$/\1/p' "$f") ;;
    "goroutine?debug=2") want_total=$(grep -c '^goroutine [0-9]* ' "$f") ;;
    *) want_total=$(GOTOOLCHAIN=local go tool pprof -top -nodecount=1 -unit=B -sample_index=inuse_space "$f" 2>/dev/null | sed -n 's/.* of \([0-9]*\)B* total.*/\1/p' | head -1) ;;
    esac
    check "top $q ($want): total" "$(field t total)" "$want_total"
done

finish
