#!/usr/bin/env bash
# Differential test of leakhound's Go parser against go/parser.
#
# tests/goast (go/parser, built here with the installed Go toolchain) and
# `leakhound parse --dump` print every .go file of $(go env GOROOT)/src and
# $(go env GOROOT)/test in the canonical form of docs/ast-dump.md; the two
# outputs are compared file by file, streaming (they are ~1 GB each for src).
# Then the same over broken input, where mostly the accept/reject verdicts
# are what is compared: the hand-written cases of tests/goast/edge/cases.txt,
# 6000 seeded mutants of GOROOT files (a byte, token or line deleted, doubled,
# swapped or replaced, a file cut short), and -- verdicts only, their dumps
# being quadratic in size -- each nesting shape at go/parser's depth limit.
# Any dump difference, or a file one side accepts and the other rejects,
# fails the test. The last summary is kept in $LH_BUILD/diff-summary.txt.
#
# leakhound follows the newest go/parser. The verdicts and trees of Go 1.25's
# go/parser are 1.26's (1.25 made the last verdict changes: "..." only as the
# final parameter, goto needs its label); older ones differ (1.20 to 1.24
# accept "...T" results and a goto without label, 1.23 and older drop the
# parentheses of a P(C) constraint, 1.19 checks import paths, constant
# values and := operands). With an older Go the test says so on one line and
# passes.
#
# Env: LH (leakhound binary), LH_SRC (source tree), LH_BUILD (build tree).
# LH_DIFF_TREES picks the parts (default "src test broken").
set -euo pipefail

: "${LH:?LH must name the leakhound binary}"
: "${LH_SRC:?LH_SRC must name the source tree}"
: "${LH_BUILD:?LH_BUILD must name the build tree}"

fail() { echo "t_parse_diff: FAIL: $*" >&2; exit 1; }
source "$LH_SRC/tests/golib.sh"

command -v go >/dev/null || fail "no Go toolchain on PATH (Debian: golang-go golang-src)"
min_minor=25
gover=$(go env GOVERSION)
minor=$(sed -n 's/^go1\.\([0-9][0-9]*\).*/\1/p' <<< "$gover")
if [ -n "$minor" ] && [ "$minor" -lt "$min_minor" ]; then
    go_skip t_parse_diff "needs Go >= 1.$min_minor (have $gover)"
fi
goroot=$(go env GOROOT)
[ -d "$goroot/src" ] || fail "no $goroot/src (Debian: golang-src)"

work=$LH_BUILD/parse-diff
mkdir -p "$work"

# Offline build into the build tree; nothing is written into the sources.
export GOCACHE=$LH_BUILD/go-cache GOPATH=$LH_BUILD/go-path GOFLAGS=-mod=mod GOPROXY=off
(cd "$LH_SRC/tests/goast" && go build -o "$work/goast" .) || fail "cannot build the oracle tests/goast"
goast=$work/goast

# The oracle must print docs/ast-dump.md's own example exactly, so that the
# contract and the oracle cannot drift apart.
mkdir -p "$work/doc"
awk '/^## Example/ { on = 1 } on && /^```/ { n++; next } on && n == 1 { print > "'"$work/doc/p.go"'" }
     on && n == 3 { print > "'"$work/doc/want"'" }' "$LH_SRC/docs/ast-dump.md"
(cd "$work/doc" && "$goast" p.go > got) || fail "the oracle cannot dump the contract's example"
cmp -s "$work/doc/want" "$work/doc/got" || {
    diff "$work/doc/want" "$work/doc/got" | head -20 >&2
    fail "the oracle's dump of docs/ast-dump.md's example differs from the document"
}

# A missing or broken parse command is a failure, not a skip.
printf 'package p\n\nvar x = 1\n' > "$work/probe.go"
"$goast" "$work/probe.go" > "$work/probe.want" || fail "the oracle cannot dump a trivial file"
if ! "$LH" parse --dump "$work/probe.go" > "$work/probe.got" 2> "$work/probe.err"; then
    fail "'leakhound parse --dump' does not run on a trivial file: $(head -c 300 "$work/probe.err")"
fi
cmp -s "$work/probe.want" "$work/probe.got" || {
    diff "$work/probe.want" "$work/probe.got" | head -20 >&2
    fail "'leakhound parse --dump' of a trivial file differs from go/parser"
}

# list_tree LIST DIR: every regular .go file under DIR, in byte order.
# -L: Debian's GOROOT/src is a symlink. -type f: src/go/parser/testdata has a
# directory named not_a_file.go.
list_tree() {
    find -L "$2" -name '*.go' -type f | LC_ALL=C sort > "$1"
}

# diff_list NAME MIN: compare the files of $work/NAME.list (at least MIN of
# them, so that an empty list cannot pass).
diff_list() {
    local name=$1 min=$2
    local list=$work/$name.list
    local n
    n=$(wc -l < "$list")
    [ "$n" -ge "$min" ] || fail "only $n files for $name (expected at least $min)"
    echo "t_parse_diff: $name: $n files"

    # Both dumps are streamed into the comparison, never stored. xargs may
    # split the paths over several leakhound runs; their outputs follow the
    # list order all the same.
    local rc=0
    "$goast" -compare -list "$list" -max 30 \
        -errs-a "$work/$name.goparser.err" -errs-b "$work/$name.leakhound.err" \
        <("$goast" -list "$list" 2> "$work/$name.goparser.err") \
        <(xargs -d '\n' -a "$list" "$LH" parse --dump 2> "$work/$name.leakhound.err"
          echo $? > "$work/$name.xargs.rc") \
        > "$work/$name.summary" || rc=$?
    # The process substitutions may finish after the comparison returns.
    local i
    for i in $(seq 100); do [ -s "$work/$name.xargs.rc" ] && break; sleep 0.1; done
    local xrc
    xrc=$(cat "$work/$name.xargs.rc" 2>/dev/null || echo "?")
    case $xrc in
    0|123) ;;   # 123: some run exited 1 (syntax errors) or 2 -- expected
    *) echo "leakhound parse: xargs exit $xrc (124: a run exited 255, 125: a run was killed by a signal)" \
            >> "$work/$name.summary"; rc=1 ;;
    esac
    { echo "== $name ($(date -u +%FT%TZ))"; cat "$work/$name.summary"; } >> "$work/diff-summary.new"
    cat "$work/$name.summary"
    return $rc
}

rm -f "$work"/*.xargs.rc
: > "$work/diff-summary.new"
parts=" ${LH_DIFF_TREES:-src test broken} "
status=0
list_tree "$work/src.list" "$goroot/src"
list_tree "$work/test.list" "$goroot/test"
case $parts in *" src "*) diff_list src 5000 || status=1 ;; esac
case $parts in *" test "*) diff_list test 2000 || status=1 ;; esac

# repeat TEXT N: TEXT N times (yes ends by SIGPIPE, which pipefail would see).
repeat() {
    [ -n "$1" ] || return 0
    { yes -- "$1" || true; } | head -n "$2" | tr -d '\n'
}

# nest SHAPE DEPTH FILE: one construct nested DEPTH times. go/parser stops at
# 100000 nesting levels, which each shape reaches at its own depth.
nest() {
    local pre unit core suf
    case $1 in
    paren)   pre='var x = ' unit='(' core=1 suf=')' ;;
    unary)   pre='var x = ' unit='- ' core=1 suf='' ;;
    slice)   pre='var x ' unit='[]' core=int suf='' ;;
    ptr)     pre='var x ' unit='*' core=int suf='' ;;
    chan)    pre='var x ' unit='chan ' core=int suf='' ;;
    block)   pre='func f() ' unit='{' core='' suf='}' ;;
    index)   pre='var x = a' unit='' core='' suf='[0]' ;;
    call)    pre='var x = f' unit='' core='' suf='()' ;;
    sel)     pre='var x = a' unit='' core='' suf='.b' ;;
    lit)     pre='var x = ' unit='T{' core='' suf='}' ;;
    funclit) pre='var x = ' unit='func(){_ = ' core=1 suf='}' ;;
    esac
    { printf 'package p\n%s' "$pre"
      repeat "$unit" "$2"
      printf '%s' "$core"
      repeat "$suf" "$2"
      printf '\n'; } > "$3"
}

# verdict_list NAME: accept/reject verdicts only, one leakhound run per file,
# for files whose dumps would be too big to compare (depth d costs d^2 bytes).
verdict_list() {
    local name=$1 list=$work/$1.list f rc=0
    echo "t_parse_diff: $name: $(wc -l < "$list") files, verdicts only"
    "$goast" -check -list "$list" > "$work/$name.goparser" 2> "$work/$name.goparser.err" || true
    while IFS= read -r f; do
        echo "== $f"
        local lrc=0
        "$LH" parse "$f" > /dev/null 2>> "$work/$name.leakhound.err" || lrc=$?
        case $lrc in
        0) echo accepted ;;
        1) echo '!rejected' ;;
        *) echo "leakhound parse exited $lrc" ;;
        esac
    done < "$list" > "$work/$name.leakhound"
    "$goast" -compare -list "$list" -errs-a "$work/$name.goparser.err" \
        -errs-b "$work/$name.leakhound.err" "$work/$name.goparser" "$work/$name.leakhound" \
        > "$work/$name.summary" || rc=1
    { echo "== $name ($(date -u +%FT%TZ))"; cat "$work/$name.summary"; } >> "$work/diff-summary.new"
    cat "$work/$name.summary"
    return $rc
}

case $parts in *" broken "*)
    broken=$work/broken
    rm -rf "$broken" "$work/nest" && mkdir -p "$broken/edge" "$work/nest"
    rm -f "$work"/broken.*.err "$work"/nest.*.err
    grep -v '^#' "$LH_SRC/tests/goast/edge/cases.txt" | while IFS=$'\t' read -r name body; do
        [ -n "$name" ] && printf '%b' "$body" > "$broken/edge/$name.go"
    done
    # Nesting bombs go/parser rejects early, and a shallow one whose dump is small.
    nest paren 1000 "$broken/edge/nest_paren_1000.go"
    nest paren 100010 "$broken/edge/nest_paren_100010.go"
    nest paren 300000 "$broken/edge/nest_paren_300000.go"
    # Mutants of the smaller GOROOT files (big ones make big dumps, slowly).
    find -L "$goroot/src" "$goroot/test" -name '*.go' -type f -size -32k | LC_ALL=C sort > "$work/small.list"
    "$goast" -mutate "$broken/mutants" -n 6000 -seed 1 -list "$work/small.list" > /dev/null ||
        fail "cannot write mutants"
    list_tree "$work/broken.list" "$broken"
    diff_list broken 6000 || status=1

    # The nesting limit itself: the last depth go/parser accepts and the
    # first it rejects, for each shape (found by bisecting go/parser 1.26; a
    # composite literal's value is a level of its own since Go 1.21).
    for sd in unary:99998 slice:99999 ptr:99999 chan:99999 block:100001 index:99997 \
              call:99998 sel:99998 lit:33333 funclit:49999; do
        nest "${sd%%:*}" "${sd#*:}" "$work/nest/${sd%%:*}_${sd#*:}.go"
        nest "${sd%%:*}" $((${sd#*:} + 1)) "$work/nest/${sd%%:*}_$((${sd#*:} + 1)).go"
    done
    list_tree "$work/nest.list" "$work/nest"
    verdict_list nest || status=1
    ;;
esac
mv "$work/diff-summary.new" "$LH_BUILD/diff-summary.txt"

[ $status -eq 0 ] || fail "leakhound and go/parser disagree (details above; summary in $LH_BUILD/diff-summary.txt)"
echo "t_parse_diff: ok"
