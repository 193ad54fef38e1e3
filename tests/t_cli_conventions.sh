#!/usr/bin/env bash
# What every command shares (cli/flags.h): Go's flag grammar (-flag and
# --flag, -flag=value and -flag value, booleans, pprof's names where a
# command mirrors pprof), Go durations, help in every spelling, one error
# form ("leakhound CMD: ..."), counts in the singular when they are one, and
# the same exit code for the same situation in every command.
#
# Env: LH (leakhound binary), LH_SRC (source tree), LH_BUILD (build tree).
set -euo pipefail
: "${LH:?}" "${LH_SRC:?}" "${LH_BUILD:?}"
fail() { echo "t_cli_conventions: FAIL: $*" >&2; exit 1; }

T=$LH_BUILD/cli-conventions
rm -rf "$T" && mkdir -p "$T"
H=$LH_SRC/examples/profiles/cache
G=$LH_SRC/examples/profiles/blocked
checks=0

run() {     # run WANT-RC ARGS...: stdout in $T/out, stderr in $T/err
    local want=$1 rc=0
    shift
    "$LH" "$@" >"$T/out" 2>"$T/err" || rc=$?
    [ "$rc" = "$want" ] || fail "$*: exit $rc, want $want; stderr: $(head -3 "$T/err")"
    checks=$((checks + 1))
}
same() {    # same NAME ARGS...: stdout equal to the last run's
    cp "$T/out" "$T/ref"
    local name=$1
    shift
    local rc=0
    "$LH" "$@" >"$T/out2" 2>"$T/err" || rc=$?
    # scan's JSON carries its run time
    sed -i 's/"seconds": [0-9.e+-]*//' "$T/ref" "$T/out2"
    cmp -s "$T/ref" "$T/out2" || fail "$name: '$*' differs: $(diff "$T/ref" "$T/out2" | head -5)"
    checks=$((checks + 1))
}
err_is() {  # err_is WANT: stderr is exactly that one line, stdout empty
    [ "$(cat "$T/err")" = "$1" ] || fail "stderr '$(cat "$T/err")', want '$1'"
    [ ! -s "$T/out" ] || fail "stdout not empty: $(head -3 "$T/out")"
}

# A module for scan and list.
mkdir -p "$T/m/p"
printf 'module example.com/m\n' >"$T/m/go.mod"
printf 'package p\n\nfunc f(n int) {\n\tfor i := 0; i < n; i++ {\n\t\tdefer println(i)\n\t}\n}\n' >"$T/m/p/p.go"
cd "$T/m"

# ---- help: leakhound help CMD, CMD --help, -help and -h print the same
commands=$("$LH" help | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
[ "$(echo "$commands" | wc -l)" -ge 10 ] || fail "too few commands: $commands"
for c in $commands; do
    case $c in help | version) continue ;; esac
    run 0 help "$c"
    grep -q "^usage: leakhound $c" "$T/out" || fail "help $c: no usage line: $(head -2 "$T/out")"
    for h in --help -help -h; do same "$c $h" "$c" "$h"; done
    # ---- an unknown flag: exit 2, one line in the flag package's words
    run 2 "$c" -frobnicate
    err_is "leakhound $c: flag provided but not defined: -frobnicate (see leakhound help $c)"
done

# ---- one grammar: -flag/--flag, =value/next argument, in any position
run 0 top "$H/heap.7.pb.gz" --format json -n 3
for form in "-format json -n 3 $H/heap.7.pb.gz" "$H/heap.7.pb.gz -format=json --n=3" \
            "-json $H/heap.7.pb.gz -nodecount 3" "--json=true -nodecount=3 $H/heap.7.pb.gz"; do
    # shellcheck disable=SC2086
    same "top flag forms" top $form
done
run 0 top "$H/heap.7.pb.gz" --by line --sample alloc_space
same "pprof names" top -lines -sample_index=alloc_space "$H/heap.7.pb.gz"
run 0 top "$H/heap.7.pb.gz" --by function -json
same "-functions" top -functions -json "$H/heap.7.pb.gz"
run 0 diff "$H/heap.1.pb.gz" "$H/heap.7.pb.gz" --format json
same "diff -base" diff -json -base "$H/heap.1.pb.gz" "$H/heap.7.pb.gz"
same "diff --base=" diff "$H/heap.7.pb.gz" --base="$H/heap.1.pb.gz" -format=json
run 2 diff -base "$H/heap.1.pb.gz" "$H/heap.2.pb.gz" "$H/heap.7.pb.gz"
err_is "leakhound diff: two profiles only, BASE and NEW (extra: '$H/heap.7.pb.gz')"
run 1 trend "$H"/heap.*.pb.gz --by function --format json
same "trend -functions -json" trend -functions -json "$H"/heap.*.pb.gz
run 1 goroutines "$G/goroutine.7.debug2.txt" --format json
same "goroutines -json" goroutines -json "$G/goroutine.7.debug2.txt"
run 1 scan --format json ./p
same "scan -json" scan -json ./p
run 0 list --format json ./p
same "list -json" list -json ./p
# a boolean never takes the next argument; =false turns it off
run 1 scan ./p
same "scan -json=false" scan -json=false ./p
# -- ends the flags
run 2 top -- -n
err_is "leakhound top: -n: No such file or directory"

# ---- values: Go durations, sizes, counts; errors name the flag as typed
run 0 top --timeout 2s "$H/heap.7.pb.gz" -n 1
same "--timeout=1m30s" top --timeout=1m30s "$H/heap.7.pb.gz" -n 1
run 2 top --timeout 2 "$H/heap.7.pb.gz"
err_is 'leakhound top: invalid value "2" for flag --timeout: missing unit in duration (like 10s, 500ms, 1m30s)'
run 2 top -n
err_is "leakhound top: flag needs an argument: -n"
run 2 top -n=many "$H/heap.7.pb.gz"
err_is 'leakhound top: invalid value "many" for flag -n: not a whole number'
run 2 trend --min-growth lots "$H"/heap.*.pb.gz
err_is 'leakhound trend: invalid value "lots" for flag --min-growth: not a size (like 4096, 64k, 256M, 1G)'
run 2 goroutines --min-wait 30s "$G/goroutine.7.debug2.txt"
err_is 'leakhound goroutines: invalid value "30s" for flag --min-wait: less than 1m0s'
run 2 scan -format yaml
err_is 'leakhound scan: invalid value "yaml" for flag -format: not one of text, json, sarif, codeclimate'

# ---- counts: "1 minute", "1 goroutine"
printf 'goroutine 1 [running]:\nmain.main()\n\t/app/main.go:10 +0x1d\n\ngoroutine 7 [chan receive, 1 minutes]:\nmain.worker(0xc000010000)\n\t/app/main.go:20 +0x2a\ncreated by main.main in goroutine 1\n\t/app/main.go:12 +0x3b\n' >"$T/g1.txt"
run 1 goroutines "$T/g1.txt" --min-wait 1m
grep -qx '       1 x chan receive, up to 1 minute' "$T/out" || fail "singular minute: $(cat "$T/out")"
grep -qx '      blocked on chan receive for 1 minute' "$T/out" || fail "singular minute (why): $(cat "$T/out")"
run 1 goroutines "$T/g1.txt" --min-count 1
grep -qx '      1 goroutine blocked on chan receive in user code' "$T/out" || fail "singular goroutine: $(cat "$T/out")"
printf 'goroutine 1 [running]:\nmain.main()\n\t/app/main.go:10 +0x1d\n' >"$T/g0.txt"
run 0 top "$T/g0.txt"
grep -q '^Showing top 1 of 1 entry, total' "$T/out" || fail "singular entry: $(cat "$T/out")"

# ---- the same situation, the same exit code and message form in every command
for c in top goroutines parse scan list; do
    run 2 "$c" "$T/missing.pb.gz"
    grep -q "^leakhound $c: .*missing.pb.gz: [Nn]o such file or directory$" "$T/err" ||
        fail "$c on a missing file: $(cat "$T/err")"
done
run 2 diff "$T/missing.pb.gz" "$H/heap.7.pb.gz"
grep -q "^leakhound diff: $T/missing.pb.gz: " "$T/err" || fail "diff on a missing file: $(cat "$T/err")"
run 2 trend "$T/missing.pb.gz" "$H/heap.1.pb.gz" "$H/heap.7.pb.gz"
grep -q "^leakhound trend: $T/missing.pb.gz: " "$T/err" || fail "trend on a missing file: $(cat "$T/err")"
for c in top diff trend goroutines explain; do
    run 2 "$c"
    [ "$(wc -l <"$T/err")" = 1 ] && grep -q "^leakhound $c: " "$T/err" || fail "$c with no operand: $(cat "$T/err")"
done
run 2 rules extra
err_is "leakhound rules: takes no arguments"

echo "t_cli_conventions: ok ($checks checks)"
