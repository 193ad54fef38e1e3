#!/usr/bin/env bash
# Static and runtime verdicts on the same goroutines: `leakhound scan` on
# the module tests/goleaks/agree, against the runtime's own leak detector
# (/debug/pprof/goroutineleak, Go 1.27.3 through GOTOOLCHAIN, for this test
# only) on its two programs, read by `leakhound goroutines`.
#
#   leaky  one goroutine leak per shape the goroutine rules claim to prove,
#          each made to happen before the profile is taken; `// LEAK shape`
#          on its go statement, meta.txt gives how many goroutines it leaves
#   clean  the look-alikes (room for every send, a select with ctx.Done(),
#          the channel closed, every value received); `// CLEAN shape`,
#          meta.txt gives how many of its goroutines are still there,
#          blocked but live (a package variable holds their channel)
#
# Asserted, for leaky: every group the runtime tags leaked was created by a
# go statement scan reports (the `created_by` file:line of ?debug=2 is the
# line of the go statement, where the goroutine rules report); and the
# reverse: every go statement scan reports has leaked, with as many
# goroutines as the program says. The reverse is asserted, not just
# printed, because every shape here is triggered deterministically: a
# finding the runtime did not see leak is either a shape the program failed
# to trigger or a false positive, and both need a look. Scan's findings
# must also be exactly the `// LEAK` lines (a shape scan stops catching
# fails here by name) and all goroutine rules. The proto form (no creators)
# must tag as many goroutines at the same blocking lines. For clean: no
# scan finding of any rule in the module outside leaky/, no group tagged
# leaked, and the blocked-but-live goroutines listed untagged, as many as
# the program says.
#
# Leaks are made to happen by synchronisation, never by sleeping: senders
# whose maker must give up first wait at a gate main opens once every maker
# has returned, and the program serves only when every goroutine it started
# has ended or blocks on a channel (internal/harness.Settle polls the
# goroutine states). The detector runs its GC cycle when the profile is
# requested.
#
# Time: about 3 s warm (5-10 s on two cores under a load of 7). The first,
# cold run on a fresh build tree took 2 min on those two loaded cores:
# about 50 s compiling both programs (net/http included) with go1.27.3 into
# an empty GOCACHE, most of the rest tests/goleaks/gen.sh recording the
# profiles the other runtime tests share; add the go1.27.3 download (about
# 70 MB) when no test fetched it before.
#
# Needs a go command that can fetch another toolchain (Go 1.21+) and the
# module proxy, or go1.27.3 already in the module cache; otherwise it says
# so on one line and passes.
name=t_runtime_agree
want=go1.27.3
source "${LH_SRC:?}/tests/golib.sh" || exit 1
skip() { go_skip "$name" "needs Go >= 1.27 (GOTOOLCHAIN=$want)"; }
minor=$(go env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9][0-9]*\).*/\1/p')
if [ -z "$minor" ] || [ "$minor" -lt 21 ]; then
    skip
fi
src=${LH_SRC:?}/tests/goleaks/agree
# The toolchain lives in the user's module cache, shared with
# t_runtime_goroutineleak (lib.sh points GOPATH into the build tree).
modcache=$(go env GOMODCACHE)
got=$(cd "$src" && GOMODCACHE=$modcache GOTOOLCHAIN=$want GOFLAGS=-mod=mod GOWORK=off go env GOVERSION 2>/dev/null)
[ "$got" = "$want" ] || skip
source "${LH_SRC:?}/tests/goleaks/lib.sh" || exit 1
export GOMODCACHE=$modcache GOTOOLCHAIN=$want GOFLAGS=-mod=mod GOWORK=off
bin=$LH_BUILD/goleaks/bin
programs=(leaky clean)
for prog in "${programs[@]}"; do
    (cd "$src" && go build -o "$bin/agree-$prog" "./$prog") 2>"$T/build.err" ||
        { echo "FAIL: building agree/$prog with $want: $(tail -5 "$T/build.err")"; exit 1; }
done

# ---- what scan says ----
# Run from the module's root, so files are "leaky/main.go" (as go vet
# prints them) and the program a finding belongs to is its directory.
(cd "$src" && "$LH" scan --format json ./...) >"$T/scan.json" 2>"$T/scan.err"
rc=$?
checks=$((checks + 1))
[ "$rc" = 1 ] || fail "leakhound scan ./... in tests/goleaks/agree: exit $rc, want 1 (findings in leaky): $(head -c 300 "$T/scan.err")"
"$JSONQ" "$T/scan.json" >"$T/scan.tsv" 2>"$T/scan.jerr" || { fail "scan --format json: $(cat "$T/scan.jerr")"; finish; }
check "scan: errors" "$(count scan errors)" 0

# The markers: shape name by line, and the line by shape name.
declare -A shape_at
while IFS=: read -r line text; do
    shape_at[$line]=${text##*// LEAK }
done < <(grep -nE '// LEAK [a-z0-9-]+$' "$src/leaky/main.go")
[ "${#shape_at[@]}" -gt 0 ] || { fail "no '// LEAK' markers in agree/leaky/main.go"; finish; }

# scan_lines: the lines of leaky/main.go scan reports, with their rules.
declare -A scan_rule
outside=0
for ((i = 0; i < $(count scan findings); i++)); do
    f=$(field scan "findings.$i.file") l=$(field scan "findings.$i.line") r=$(field scan "findings.$i.rule")
    case $f in
    leaky/main.go) ;;
    *)
        outside=$((outside + 1))
        fail "scan: a finding outside leaky/ (nothing there leaks): $f:$l: $r: $(field scan "findings.$i.message")"
        continue
        ;;
    esac
    case $r in
    goroutine-blocked-send | goroutine-no-exit | unbounded-goroutines) ;;
    *) fail "scan: leaky/main.go:$l: $r: not a goroutine rule: $(field scan "findings.$i.message")" ;;
    esac
    scan_rule[$l]=${scan_rule[$l]:+${scan_rule[$l]:-},}$r
done
for l in "${!shape_at[@]}"; do
    [ -n "${scan_rule[$l]:-}" ] || fail "scan: misses the shape ${shape_at[$l]:-} (leaky/main.go:$l)"
done
for l in "${!scan_rule[@]}"; do
    [ -n "${shape_at[$l]:-}" ] || fail "scan: leaky/main.go:$l (${scan_rule[$l]:-}) is no '// LEAK' line"
done

# ---- what the runtime says ----

server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$T"' EXIT

# run PROG: starts agree/PROG, waits for its address (it appears once the
# program has settled) and fetches the goroutineleak profile's ?debug=2
# and proto forms into $T/PROG.debug2.txt, $T/PROG.pb.gz.
run() {
    local prog=$1 d=$T/$1 i
    mkdir -p "$d"
    # Exits by itself after 120 s; the trap or the end of run ends it sooner.
    "$bin/agree-$prog" -addrfile="$d/addr" -life=120s 2>"$d/serve.err" &
    server=$!
    for ((i = 0; i < 300; i++)); do
        [ -s "$d/addr" ] && break
        kill -0 "$server" 2>/dev/null || break
        sleep 0.1
    done
    if ! [ -s "$d/addr" ]; then
        fail "agree/$prog did not start: $(head -c 2000 "$d/serve.err")"
        kill "$server" 2>/dev/null
        server=
        return 1
    fi
    base=http://$(cat "$d/addr")/debug/pprof
    check "agree/$prog: runtime" "$(sed -n 's/^go_version=//p' "$d/meta.txt")" "$want"
    fetch "goroutineleak?debug=2" "$T/$prog.debug2.txt" || fail "agree/$prog: GET goroutineleak?debug=2"
    fetch "goroutineleak" "$T/$prog.pb.gz" || fail "agree/$prog: GET goroutineleak"
    kill "$server" 2>/dev/null
    wait "$server" 2>/dev/null
    server=
}

# pmeta PROG KEY -> the program's count for a shape
pmeta() { sed -n "s/^$2=//p" "$T/$1/meta.txt"; }

# leaky
if run leaky; then
    declare -A leaked_at
    lhjson g 1 goroutines "$T/leaky.debug2.txt" --format json
    n=$(count g groups) total=0 sites=
    for ((i = 0; i < n; i++)); do
        [ "$(field g "groups.$i.leaked")" = true ] || continue
        c=$(field g "groups.$i.count") cf=$(field g "groups.$i.created_by.file") cl=$(field g "groups.$i.created_by.line")
        total=$((total + c))
        sites="$sites$(f=$(field g "groups.$i.file"); echo "${f##*/}"):$(field g "groups.$i.line")"$'\n'
        case $cf in
        */tests/goleaks/agree/leaky/main.go) ;;
        *)
            fail "runtime: $c leaked in $(field g "groups.$i.function"), created at $cf:$cl, outside leaky/main.go"
            continue
            ;;
        esac
        leaked_at[$cl]=$((${leaked_at[$cl]:-0} + c))
        [ -n "${scan_rule[$cl]:-}" ] ||
            fail "runtime: $c goroutine(s) leaked in $(field g "groups.$i.function") ($(field g "groups.$i.wait_reason")), created by the go statement at leaky/main.go:$cl, which scan does not report"
    done
    check "goroutineleak?debug=2 (leaky): groups tagged leaked" "$((${#leaked_at[@]} > 0))" 1
    # The reverse, and the table.
    echo "  go statement              scan rule                runtime: leaked (want)  shape"
    for l in $(printf '%s\n' "${!shape_at[@]}" "${!scan_rule[@]}" "${!leaked_at[@]}" | sort -nu); do
        s=${shape_at[$l]:-?} w=
        [ "${shape_at[$l]:-}" ] && w=$(pmeta leaky "$s")
        printf '  leaky/main.go:%-10s %-24s %-22s  %s\n' "$l" "${scan_rule[$l]:--}" "${leaked_at[$l]:-0} (${w:--})" "$s"
        [ -n "${scan_rule[$l]:-}" ] || continue
        if [ -z "${leaked_at[$l]:-}" ]; then
            fail "reverse: scan reports leaky/main.go:$l (${scan_rule[$l]:-}, shape $s); the runtime saw none of its goroutines leak"
        elif [ -n "$w" ]; then
            check "runtime: goroutines leaked by the go statement at leaky/main.go:$l ($s)" "${leaked_at[$l]:-}" "$w"
        fi
    done
    # The proto form: no creators, stacks merged by blocking frame; the same
    # goroutines, at the same lines.
    lhjson p 1 goroutines "$T/leaky.pb.gz" --format json && {
        ptotal=0 psites=
        for ((i = 0; i < $(count p groups); i++)); do
            [ "$(field p "groups.$i.leaked")" = true ] || continue
            ptotal=$((ptotal + $(field p "groups.$i.count")))
            psites="$psites$(f=$(field p "groups.$i.file"); echo "${f##*/}"):$(field p "groups.$i.line")"$'\n'
        done
        check "goroutineleak proto (leaky): goroutines tagged leaked" "$ptotal" "$total"
        check "goroutineleak proto (leaky): blocking lines" "$(printf '%s' "$psites" | sort -u | tr '\n' ' ')" "$(printf '%s' "$sites" | sort -u | tr '\n' ' ')"
    }
    echo "  leaky: $total goroutines leaked in ${#leaked_at[@]} go statements; scan reports ${#scan_rule[@]}, the markers ${#shape_at[@]}"
fi

# clean
if run clean; then
    declare -A clean_shape live_at
    while IFS=: read -r line text; do
        clean_shape[$line]=${text##*// CLEAN }
    done < <(grep -nE '// CLEAN [a-z0-9-]+$' "$src/clean/main.go")
    clean_leaked=0
    for form in debug2.txt pb.gz; do
        # Exit 1 (suspects) only when something leaked, which the loop
        # below names.
        lhjson c "0|1" goroutines "$T/clean.$form" --format json || continue
        for ((i = 0; i < $(count c groups); i++)); do
            if [ "$(field c "groups.$i.leaked")" = true ]; then
                clean_leaked=$((clean_leaked + $(field c "groups.$i.count")))
                fail "runtime (clean, $form): $(field c "groups.$i.count") goroutine(s) tagged leaked in $(where c groups "$i"), created at $(field c "groups.$i.created_by.file"):$(field c "groups.$i.created_by.line")"
                continue
            fi
            [ "$form" = debug2.txt ] || continue
            case $(field c "groups.$i.created_by.file") in */tests/goleaks/agree/clean/main.go) ;; *) continue ;; esac
            cl=$(field c "groups.$i.created_by.line")
            live_at[$cl]=$((${live_at[$cl]:-0} + $(field c "groups.$i.count")))
        done
    done
    for l in "${!clean_shape[@]}"; do
        check "runtime (clean): goroutines of ${clean_shape[$l]:-} (clean/main.go:$l) still there, untagged" \
            "${live_at[$l]:-0}" "$(pmeta clean "${clean_shape[$l]:-}")"
    done
    for l in "${!live_at[@]}"; do
        [ -n "${clean_shape[$l]:-}" ] || fail "runtime (clean): goroutines created at clean/main.go:$l, no '// CLEAN' line"
    done
    echo "  clean: ${#clean_shape[@]} go statements; scan reports $outside, the runtime tags $clean_leaked goroutines leaked (?debug=2 and proto together); $(printf '%s\n' "${live_at[@]}" | awk '{ s += $1 } END { print s + 0 }') goroutines blocked but live"
fi

finish
