#!/usr/bin/env bash
# Black-box tests of `leakhound parse [--dump] PATH...`:
#   exit 0 all files parse, 1 some file has a syntax error, 2 usage error or
#   unreadable path; errors as `file:line:col: message` on stderr; a bad file
#   does not stop the others; --dump prints `== path` then the dump or
#   `!rejected` (docs/ast-dump.md); nothing crashes on hostile input.
# Error positions below are go/parser's (Go 1.19) for the same files.
set -uo pipefail

: "${LH:?LH must name the leakhound binary}"
: "${LH_BUILD:?LH_BUILD must name the build tree}"

d=$LH_BUILD/parse-cli
rm -rf "$d" && mkdir -p "$d"
fails=0
fail() { echo "t_parse_cli: FAIL: $*" >&2; fails=$((fails + 1)); }

# run ARGS...: runs leakhound, leaving $rc, $d/out, $d/err.
run() {
    "$LH" "$@" > "$d/out" 2> "$d/err"
    rc=$?
}
expect_rc() { # WANT WHAT
    [ "$rc" -eq "$1" ] || fail "$2: exit $rc, want $1 (stderr: $(head -c 300 "$d/err"))"
}
# A crash shows as 128+signal; never acceptable whatever the input.
expect_no_crash() {
    [ "$rc" -le 2 ] || fail "$1: exit $rc (crash?) (stderr: $(head -c 300 "$d/err"))"
}

printf 'package p\n\n// f adds.\nfunc f(a, b int) int { return a + b }\n' > "$d/good.go"
printf 'package q\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n' > "$d/good2.go"
printf 'package p\n\nfunc f() {\n\tx := )\n}\n' > "$d/bad.go"           # 4:7
printf 'package p\n\nfunc f() {\n\tif {\n\t}\n}\n' > "$d/bad2.go"       # 4:5
: > "$d/empty.go"                                                       # 1:1
printf 'package p\000\n' > "$d/nul.go"                                  # 1:10
head -c 4096 /dev/urandom > "$d/random.go"
# A nesting bomb: go/parser stops at 100000 levels ("exceeded max nesting
# depth"); leakhound must reject it too, not overflow its stack.
{ printf 'package p\nvar x = '; head -c 200000 /dev/zero | tr '\0' '('; printf 1
  head -c 200000 /dev/zero | tr '\0' ')'; printf '\n'; } > "$d/deep.go"

# --- exit 0: good files -----------------------------------------------------
run parse "$d/good.go" "$d/good2.go"
expect_rc 0 "parse of two good files"
[ ! -s "$d/err" ] || fail "parse of good files wrote to stderr: $(head -c 300 "$d/err")"

# --- --dump: header and the contract's example -----------------------------
run parse --dump "$d/good.go"
expect_rc 0 "parse --dump good.go"
[ "$(head -1 "$d/out")" = "== $d/good.go" ] || fail "--dump header: got '$(head -1 "$d/out")', want '== $d/good.go'"
cat > "$d/good.want" <<EOF
== $d/good.go
File @1:1
  Name: Ident @1:9
    Name: "p"
  Decls: [1]
    [0]: FuncDecl @4:1
      Recv: nil
      Name: Ident @4:6
        Name: "f"
      Type: FuncType @4:1
        TypeParams: nil
        Params: FieldList @4:7
          List: [1]
            [0]: Field @4:8
              Names: [2]
                [0]: Ident @4:8
                  Name: "a"
                [1]: Ident @4:11
                  Name: "b"
              Type: Ident @4:13
                Name: "int"
              Tag: nil
        Results: FieldList @4:18
          List: [1]
            [0]: Field @4:18
              Names: [0]
              Type: Ident @4:18
                Name: "int"
              Tag: nil
      Body: BlockStmt @4:22
        List: [1]
          [0]: ReturnStmt @4:24
            Results: [1]
              [0]: BinaryExpr @4:31
                X: Ident @4:31
                  Name: "a"
                Op: +
                Y: Ident @4:35
                  Name: "b"
  FileStart: @1:1
  FileEnd: @4:39
  GoVersion: ""
Comments: [1]
  [0] @3:1 "// f adds."
EOF
cmp -s "$d/good.want" "$d/out" || { fail "--dump of docs/ast-dump.md's example differs:"; diff "$d/good.want" "$d/out" | head -20 >&2; }

# Option after the operands works too (options may be interleaved).
run parse "$d/good.go" --dump
expect_rc 0 "parse good.go --dump"
[ "$(head -1 "$d/out")" = "== $d/good.go" ] || fail "--dump after the path: no header"

# --- exit 1: syntax errors, file:line:col, the others still parsed ----------
run parse "$d/bad.go"
expect_rc 1 "parse bad.go"
grep -q "^$d/bad.go:4:7: ." "$d/err" || fail "bad.go: no '$d/bad.go:4:7: message' line on stderr: $(head -c 300 "$d/err")"
[ ! -s "$d/out" ] || fail "parse without --dump wrote to stdout: $(head -c 200 "$d/out")"

run parse --dump "$d/good.go" "$d/bad.go" "$d/bad2.go" "$d/good2.go"
expect_rc 1 "parse --dump good bad bad2 good2"
grep '^== ' "$d/out" > "$d/headers"
printf '== %s\n' "$d/good.go" "$d/bad.go" "$d/bad2.go" "$d/good2.go" > "$d/headers.want"
cmp -s "$d/headers" "$d/headers.want" || fail "--dump headers of 4 files (the order given, none skipped): $(tr '\n' ' ' < "$d/headers")"
for f in bad bad2; do
    [ "$(grep -A1 -x "== $d/$f.go" "$d/out" | sed -n 2p)" = "!rejected" ] || fail "--dump of $f.go is not '!rejected'"
done
grep -A1 -x "== $d/good2.go" "$d/out" | sed -n 2p | grep -q '^File @1:1$' || fail "good2.go after two bad files was not dumped"
grep -q "^$d/bad2.go:4:5: ." "$d/err" || fail "bad2.go: no '$d/bad2.go:4:5: message' line: $(head -c 300 "$d/err")"
grep -q "^$d/bad.go:4:7: ." "$d/err" || fail "bad.go (with others): no '$d/bad.go:4:7: message' line"
bad_lines=$(grep -cv "^$d/bad2\{0,1\}\.go:[0-9][0-9]*:[0-9][0-9]*: ." "$d/err")
[ "$bad_lines" -eq 0 ] || fail "stderr lines not in file:line:col: message form: $(grep -v "^$d/bad" "$d/err" | head -3)"

# --- hostile input: rejected with exit 1, never a crash ---------------------
for f in empty nul random deep; do
    run parse "$d/$f.go"
    expect_no_crash "parse $f.go"
    expect_rc 1 "parse $f.go"
    grep -q "^$d/$f.go:[0-9][0-9]*:[0-9][0-9]*: ." "$d/err" || fail "$f.go: no file:line:col: error line: $(head -c 200 "$d/err")"
done
run parse "$d/empty.go"
grep -q "^$d/empty.go:1:1: ." "$d/err" || fail "empty.go: error not at 1:1"
run parse "$d/nul.go"
grep -q "^$d/nul.go:1:10: ." "$d/err" || fail "nul.go: error not at 1:10"

# --- directories: walked in byte order, testdata and _/. dirs skipped --------
mkdir -p "$d/tree/sub" "$d/tree/testdata" "$d/tree/_skip" "$d/tree/.hidden"
cp "$d/good.go" "$d/tree/b.go"; cp "$d/good.go" "$d/tree/a.go"; cp "$d/good2.go" "$d/tree/sub/c.go"
cp "$d/bad.go" "$d/tree/testdata/x.go"; cp "$d/bad.go" "$d/tree/_skip/x.go"; cp "$d/bad.go" "$d/tree/.hidden/x.go"
echo 'not go' > "$d/tree/notes.txt"
run parse --dump "$d/tree"
expect_rc 0 "parse --dump DIR"
sed -n 's/^== //p' "$d/out" | sed "s#^$d/tree/*##" | tr '\n' ' ' > "$d/walked"
[ "$(cat "$d/walked")" = "a.go b.go sub/c.go " ] || fail "walk of DIR: got '$(cat "$d/walked")', want 'a.go b.go sub/c.go '"

# --- exit 2: unreadable paths and usage errors ------------------------------
run parse "$d/missing.go"
expect_rc 2 "parse of a missing file"
grep -q "$d/missing.go" "$d/err" || fail "missing file: stderr does not name it: $(head -c 200 "$d/err")"
[ "$(wc -l < "$d/err")" -eq 1 ] || fail "missing file: want one error line, got $(wc -l < "$d/err")"

run parse --dump "$d/good.go" "$d/missing.go" "$d/good2.go"
expect_rc 2 "parse good missing good2"
grep -qx "== $d/good2.go" "$d/out" || fail "a missing file stopped the files after it"

run parse
expect_rc 2 "parse with no paths"
[ -s "$d/err" ] || fail "parse with no paths: no usage message on stderr"

run parse --no-such-option "$d/good.go"
expect_rc 2 "parse with an unknown option"

run parse --help
expect_rc 0 "parse --help"
grep -q 'parse' "$d/out" "$d/err" || fail "parse --help: no usage text"

if [ "$fails" -ne 0 ]; then
    echo "t_parse_cli: $fails failure(s)" >&2
    exit 1
fi
echo "t_parse_cli: ok"
