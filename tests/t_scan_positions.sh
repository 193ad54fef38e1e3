#!/usr/bin/env bash
# Where scan's findings are, on files that differ from an ordinary one only
# in what positions depend on (issue 13's near misses):
# - a UTF-8 BOM and CRLF line endings: the same finding at the same
#   file:line:col, end included, in text, JSON and SARIF, as in the LF file
#   (columns count bytes; a '\r' is not part of any token; the BOM counts
#   only on line 1);
# - //line and /*line*/ directives: positions as go vet prints them, i.e.
#   go/token's adjusted positions -- the directive's file (relative to the
#   directory of the file holding it; an empty name with a column keeps the
#   current one), its line counted on from the line after //line, and its
#   column on that line only, unknown (left out) after a directive without
#   one. The expectations were checked against go vet -lostcancel, which
#   reports the blank of `ctx, _ :=` where scan reports the call (the call's
#   column is the blank's plus 5 below).
# - a //nolint on the raw line still silences a finding whose printed line
#   a directive moved; a "//line" not at the start of its line is a comment.
#
# Env: LH (leakhound binary), LH_SRC (source tree), LH_BUILD (build tree).
set -euo pipefail
: "${LH:?}" "${LH_BUILD:?}"
name=t_scan_positions
fail() { echo "$name: FAIL: $*" >&2; exit 1; }

T=$LH_BUILD/scan-positions
rm -rf "$T"
mkdir -p "$T/m/lf" "$T/m/crlf" "$T/m/bom" "$T/m/ld"
cd "$T/m"
printf 'module example.com/m\n\ngo 1.21\n' >go.mod

# ---- BOM and CRLF
body='package m\n\nimport "os"\n\nfunc f(ps []string) {\n\tfor _, p := range ps {\n\t\tx, _ := os.Open(p)\n\t\tdefer x.Close() // \xc3\xa9\n\t}\n}\n'
printf '%b' "$body" >lf/a.go
printf '%b' "$body" | sed 's/$/\r/' >crlf/a.go
{ printf '\xef\xbb\xbf'; printf '%b' "$body" | sed 's/$/\r/'; } >bom/a.go
grep -q $'\r$' crlf/a.go && [ "$(head -c 3 bom/a.go | od -An -tx1 | tr -d ' ')" = efbbbf ] ||
    fail "the CRLF and BOM inputs were not written as meant"
for d in lf crlf bom; do
    rc=0
    "$LH" scan "./$d" >"$T/$d.txt" 2>"$T/err" || rc=$?
    [ "$rc" = 1 ] || fail "scan ./$d: exit $rc, want 1: $(cat "$T/err")"
    "$LH" scan --format json "./$d" | grep -o '"line": [0-9]*, "col": [0-9]*, "end_line": [0-9]*, "end_col": [0-9]*' >"$T/$d.json" || true
    "$LH" scan --format sarif "./$d" | grep -o '"startLine": [0-9]*, "startColumn": [0-9]*, "endLine": [0-9]*, "endColumn": [0-9]*' >"$T/$d.sarif" || true
done
want="lf/a.go:8:3: defer-in-loop: defer inside a loop runs only when f returns, not at the end of each iteration (loop at line 6)"
[ "$(cat "$T/lf.txt")" = "$want" ] || fail "LF: $(cat "$T/lf.txt")"
[ "$(cat "$T/lf.json")" = '"line": 8, "col": 3, "end_line": 8, "end_col": 18' ] || fail "LF JSON: $(cat "$T/lf.json")"
[ "$(cat "$T/lf.sarif")" = '"startLine": 8, "startColumn": 3, "endLine": 8, "endColumn": 18' ] ||
    fail "LF SARIF: $(cat "$T/lf.sarif")"
for d in crlf bom; do
    [ "$(sed "s#^$d/#lf/#" "$T/$d.txt")" = "$want" ] || fail "$d: $(cat "$T/$d.txt")"
    cmp -s "$T/lf.json" "$T/$d.json" || fail "$d JSON positions: $(cat "$T/$d.json")"
    cmp -s "$T/lf.sarif" "$T/$d.sarif" || fail "$d SARIF positions: $(cat "$T/$d.sarif")"
done

# ---- line directives
cat >ld/a.go <<'EOF'
package ld

import "context"

//line gen/a.y:100
func f1() context.Context {
	ctx, _ := context.WithCancel(context.Background())
	return ctx
}

//line :200:7
func f2() context.Context {
	ctx, _ := context.WithCancel(context.Background())
	return ctx
}

//line /abs/b.y:300:5
func f3() context.Context { ctx, _ := context.WithCancel(context.Background()); return ctx }

func f4() context.Context {
	ctx, _ := /*line ../c.y:400:9*/ context.WithCancel(context.Background())
	return ctx
}

 //line d.y:500
func f5() context.Context {
	ctx, _ := context.WithCancel(context.Background())
	return ctx
}

//line e.y:600
func f6() context.Context {
	ctx, _ := context.WithCancel(context.Background()) //nolint:lost-cancel // raw line 33
	return ctx
}
EOF
rc=0
"$LH" scan --enable lost-cancel ./ld >"$T/ld.txt" 2>"$T/err" || rc=$?
[ "$rc" = 1 ] || fail "scan ./ld: exit $rc, want 1: $(cat "$T/err")"
msg="lost-cancel: the cancel function of context.WithCancel is discarded: the context stays alive until its parent is done; call it (defer cancel())"
# f1: no column in the directive, so none after it; f2: the current file,
# line 201 (the directive's 200 is the line after it), column as is on a
# later line; f3: column 5 is the column of the line's first byte; f4: a
# block directive names the byte after it (c.y relative to ld/); f5: the
# //line does not start its line, so it is no directive and f4's goes on;
# f6: the nolint on the raw line holds where the printed line moved.
cat >"$T/ld.want" <<EOF
/abs/b.y:300:43: $msg
c.y:400:10: $msg
c.y:406:12: $msg
ld/gen/a.y:101: $msg
ld/gen/a.y:201:12: $msg
EOF
diff -u "$T/ld.want" "$T/ld.txt" >&2 || fail "positions through line directives"
"$LH" scan --enable lost-cancel --format json ./ld >"$T/ld.json" || true
# JSON leaves out an unknown column, as every field without a value
grep -q '"file": "ld/gen/a.y", "line": 101, "end_line": 101, "severity"' "$T/ld.json" ||
    fail "JSON of a finding without a column: $(grep -o '"file": "ld/gen/a.y", "line": 101[^}]*' "$T/ld.json")"
"$LH" scan --enable lost-cancel --format sarif ./ld >"$T/ld.sarif" || true
grep -q '"endColumn": 0' "$T/ld.sarif" && fail "SARIF endColumn 0 (SARIF columns start at 1)"
grep -q '"uri": "ld/gen/a.y"' "$T/ld.sarif" || fail "SARIF does not name the directive's file"
echo "$name: ok"
