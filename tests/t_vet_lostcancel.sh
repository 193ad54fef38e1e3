#!/usr/bin/env bash
# Differential test of lost-cancel against go vet's lostcancel analyzer (the
# go on PATH is the oracle), on two corpora: the rule's fixtures
# (tests/testdata/lost-cancel, copied into a module of their own) and the
# cases written against vet's behaviour (tests/vetcases/lostcancel).
#
# Compared by file:line: vet's "the cancel function returned by context.X
# should be called, not discarded" (at the blank) and "the NAME function is
# not used on all paths" (at the assignment) against leakhound's findings (at
# the call, the same line unless the statement breaks after `:=`). vet's
# second diagnostic, at the return, is left out: leakhound names that line in
# its message.
#
# Every vet finding needs a leakhound finding on its line, and every
# leakhound finding a vet one, unless the allow-list below explains it:
#   miss  LOCATION  KNOWN MISS: why        (vet reports it, we do not)
#   extra LOCATION  why                    (we report it, vet does not)
# An allow-list entry that no longer matches a difference fails too (update
# the list when a case moves or a known miss is fixed).
#
# Needs Go >= 1.21 (the Cause variants); skipped otherwise. go vet runs under
# `timeout 600` with GOFLAGS=-p=2 and a cache of its own in
# LH_BUILD/t_vet_lostcancel: the first run compiles the export data of the
# std packages the cases import (a minute or two on a loaded machine), later
# runs take seconds.
#
# Env: LH (leakhound binary), LH_SRC (source tree), LH_BUILD (build tree).
set -euo pipefail

: "${LH:?LH must name the leakhound binary}"
: "${LH_SRC:?LH_SRC must name the source tree}"
: "${LH_BUILD:?LH_BUILD must name the build tree}"

name=t_vet_lostcancel
fail() { echo "$name: FAIL: $*" >&2; exit 1; }
source "$LH_SRC/tests/golib.sh"
skip() { go_skip "$name" "needs Go >= 1.21"; }

command -v go >/dev/null 2>&1 || skip
gover=$(GOTOOLCHAIN=local go env GOVERSION 2>/dev/null || true)
[[ $gover =~ ^go1\.([0-9]+) ]] || skip
[ "${BASH_REMATCH[1]}" -ge 21 ] || skip

# The allow-list. LOCATION is CORPUS/FILE:LINE, CORPUS one of fixtures,
# vetcases.
allow() {
    cat <<'EOF'
extra fixtures/dot.go:7 dot import: vet only recognises context.WithX written as a selector on the package name
extra fixtures/lost.go:20 results dropped entirely: vet does not report expression statements
extra fixtures/lost.go:41 package-level var: vet analyses only function bodies and literals
miss  fixtures/fixed.go:55 KNOWN MISS: vet's fallback takes any non-package identifier spelled "context" (here a local var of type fake) for the package; we resolve it
extra vetcases/decls.go:98 results dropped entirely: vet does not report expression statements
extra vetcases/decls.go:115 parenthesized call: vet wants the call directly under the assignment, we look through the parentheses (a real discard)
miss  vetcases/decls.go:128 KNOWN MISS: position only: vet reports the blank on the line of `ctx, _ :=`, we report the call on the next line (the same finding)
extra vetcases/decls.go:129 position only: the call's line of the finding vet reports on line 128
miss  vetcases/decls.go:135 KNOWN MISS: position only: vet reports the statement's line, we report the call on the next line (the same finding)
extra vetcases/decls.go:136 position only: the call's line of the finding vet reports on line 135
extra vetcases/decls.go:144 package-level var: vet analyses only function bodies and literals
extra vetcases/dotimport/dot.go:11 dot import: vet only recognises context.WithX written as a selector on the package name
extra vetcases/dotimport/dot.go:17 dot import: vet only recognises context.WithX written as a selector on the package name
miss  vetcases/imports.go:35 KNOWN MISS: vet's fallback takes a local var spelled "context" for the package (its false positive); we resolve it
miss  vetcases/imports.go:42 KNOWN MISS: vet's fallback takes a local var spelled "context" for the package (its false positive); we resolve it
miss  vetcases/shadowpkg/shadow.go:13 KNOWN MISS: vet's fallback takes a local var spelled "context" shadowing the import for the package (its false positive); we resolve it
extra vetcases/noreturn.go:60 vet knows syscall.Exit never returns (ctrlflow intrinsic); our no-return list lacks it
miss  vetcases/noreturn_test.go:39 KNOWN MISS: tb.Fatal through the testing.TB interface: vet's ctrlflow sees no static callee and lets the path go on, we stop it as t.Fatal
extra vetcases/quirks.go:14 vet evaluates all select comm clauses before branching, so `case out <- cancel` counts as a use on the ctx.Done() path; we follow the cases (the Done path does leak)
extra vetcases/quirks.go:37 vet keeps one assignment per cancel variable (the last), so the first WithCancel's early return is never checked; we check each assignment (it does leak)
EOF
}

T=$LH_BUILD/t_vet_lostcancel
rm -rf "$T/corpus"
mkdir -p "$T/corpus"
cp -r "$LH_SRC/tests/testdata/lost-cancel" "$T/corpus/fixtures"
printf 'module fixtures\n\ngo 1.21\n' >"$T/corpus/fixtures/go.mod"
cp -r "$LH_SRC/tests/vetcases/lostcancel" "$T/corpus/vetcases"

export GOCACHE=$T/go-cache GOFLAGS=-p=2 GOPROXY=off GOTOOLCHAIN=local GOWORK=off GO111MODULE=on CGO_ENABLED=0
unset GOOS GOARCH

: >"$T/vet.findings"
: >"$T/lh.findings"
# blank_func FILE LINE: blanks the top-level function declaration around
# LINE (lines kept, so that positions do not move); prints its name.
blank_func() {
    awk -v l="$2" '
        { line[NR] = $0 }
        END {
            for (s = l; s > 0 && line[s] !~ /^func /; s--) {}
            for (e = l; e <= NR && line[e] != "}"; e++) {}
            if (s == 0 || e > NR) exit 1
            split(line[s], w, /[ (]/); print w[2] > "/dev/stderr"
            for (i = 1; i <= NR; i++) print (i >= s && i <= e ? "" : line[i])
        }' "$1" >"$1.new" 2>"$1.name" && mv "$1.new" "$1" && cat "$1.name" && rm -f "$1.name"
}

vet() { # CORPUS: go vet -lostcancel ./... in it; sets rc
    rc=0
    timeout 600 go vet -lostcancel ./... >"$T/$1.vet.out" 2>"$T/$1.vet.err" || rc=$?
    [ "$rc" != 124 ] || fail "go vet -lostcancel on $1 timed out after 600 s (hung?)"
}

for c in fixtures vetcases; do
    cd "$T/corpus/$c"
    vet "$c"
    # A fixture whose cancel is never mentioned at all does not compile
    # (declared and not used), and vet analyses nothing in a package that
    # does not type-check: blank such functions in the copy, for both tools.
    # (go vet names the first type error only: one per run.)
    for ((i = 0; i < 20; i++)); do
        loc=$(grep -oE '[^ ]+\.go:[0-9]+:[0-9]+: declared and not used' "$T/$c.vet.err" | head -1 | cut -d: -f1,2 | sed 's#^\./##') || true
        [ -n "$loc" ] || break
        f=$(blank_func "${loc%:*}" "${loc#*:}") || fail "$c: cannot blank the function around $loc"
        echo "$name: $c/${loc%:*}: $f left out: it does not compile (declared and not used), vet cannot check it"
        vet "$c"
    done
    [ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "go vet on $c: exit $rc: $(grep -v '^#' "$T/$c.vet.err" | head -5)"
    # vet exits 1 for type errors as well as for findings: the cases must
    # type-check.
    if grep -E '^vet: |: (declared and not used|undefined|cannot use|imported and not used)' "$T/$c.vet.err" >/dev/null; then
        fail "go vet on $c: the corpus does not type-check: $(grep -v '^#' "$T/$c.vet.err" | head -5)"
    fi
    cat "$T/$c.vet.out" "$T/$c.vet.err" | sed 's#^\./##' |
        { grep -E '^[^ ]+\.go:[0-9]+:[0-9]+: (the cancel function returned by context\.[A-Za-z]+ should be called|the [A-Za-z_0-9]+ function is not used on all paths)' || true; } |
        sed "s#^#$c/#" >>"$T/vet.findings"
    rc=0
    "$LH" scan --enable lost-cancel ./... >"$T/$c.lh.out" 2>"$T/$c.lh.err" || rc=$?
    [ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "leakhound scan on $c: exit $rc: $(head -5 "$T/$c.lh.err")"
    [ ! -s "$T/$c.lh.err" ] || fail "leakhound scan on $c wrote to stderr: $(head -5 "$T/$c.lh.err")"
    { grep -E '^[^ ]+\.go:[0-9]+:[0-9]+: lost-cancel: ' "$T/$c.lh.out" || true; } | sed "s#^#$c/#" >>"$T/lh.findings"
done
cd "$T"

cut -d: -f1,2 vet.findings | sort -u >vet.lines
cut -d: -f1,2 lh.findings | sort -u >lh.lines
[ -s vet.lines ] || fail "go vet reported nothing: the comparison is empty ($(head -3 vetcases.vet.err))"
comm -23 vet.lines lh.lines >misses
comm -13 vet.lines lh.lines >extras
allow | awk '$1 == "miss" { print $2 }' | sort >allowed.misses
allow | awk '$1 == "extra" { print $2 }' | sort >allowed.extras
if allow | awk '$1 == "miss" && $3 != "KNOWN" { bad = 1 } $1 != "miss" && $1 != "extra" { bad = 1 } END { exit !bad }'; then
    fail "malformed allow-list entry (miss LOCATION KNOWN MISS: why | extra LOCATION why)"
fi

status=0
report() { # FILE MESSAGE: each line of FILE, with the findings on that line
    local l
    while IFS= read -r l; do
        echo "$name: $2 $l" >&2
        awk -F: -v l="$l" '($1 ":" $2) == l { print "    " $0 }' vet.findings lh.findings >&2
    done <"$1"
}
comm -23 misses allowed.misses >bad.misses
comm -23 extras allowed.extras >bad.extras
comm -13 misses allowed.misses >stale.misses
comm -13 extras allowed.extras >stale.extras
if [ -s bad.misses ]; then status=1; report bad.misses "FAIL: go vet reports, leakhound misses:"; fi
if [ -s bad.extras ]; then status=1; report bad.extras "FAIL: leakhound reports, go vet does not, not in the allow-list:"; fi
if [ -s stale.misses ]; then status=1; report stale.misses "FAIL: allow-listed miss no longer a miss (fixed? update the list):"; fi
if [ -s stale.extras ]; then status=1; report stale.extras "FAIL: allow-listed extra no longer an extra (update the list):"; fi
[ "$status" = 0 ] || exit 1

both=$(comm -12 vet.lines lh.lines | wc -l)
echo "$name: ok ($gover): go vet $(wc -l <vet.lines) lines, leakhound $(wc -l <lh.lines), both $both;" \
    "allow-listed: $(wc -l <misses) known misses, $(wc -l <extras) extras"
