#!/usr/bin/env bash
# leakhound(1) against the binary: the page renders without a warning
# (groff -ww, and man -l), and names every command of `leakhound help`,
# every flag and --format choice each command's --help prints, every rule
# of `leakhound rules`, and the exit codes. A flag added to a --help and not
# to docs/leakhound.1 fails here. The checker is also run on a page with a
# flag and a rule cut out, which it must reject (so it can fail).
#
# Env: LH (leakhound binary), LH_SRC (source tree), LH_BUILD (build tree).
set -euo pipefail
: "${LH:?}" "${LH_SRC:?}" "${LH_BUILD:?}"
fail() { echo "t_manpage: FAIL: $*" >&2; exit 1; }

T=$LH_BUILD/manpage-test
rm -rf "$T" && mkdir -p "$T"
PAGE=$LH_BUILD/leakhound.1     # docs/leakhound.1 with the version filled in
[ -f "$PAGE" ] || fail "no $PAGE (configure_file of docs/leakhound.1)"

# ---- rendering ----------------------------------------------------------------
groff -ww -man -Tutf8 "$PAGE" >"$T/groff.out" 2>"$T/groff.err" || fail "groff failed"
[ ! -s "$T/groff.err" ] || fail "groff -ww warnings: $(cat "$T/groff.err")"
grep -q 'leakhound - find memory and goroutine leaks' "$T/groff.out" || fail "no NAME line"
if command -v man >/dev/null; then
    MANWIDTH=80 man --warnings -l "$PAGE" >"$T/man.out" 2>"$T/man.err" || fail "man -l failed"
    [ ! -s "$T/man.err" ] || fail "man -l warnings: $(cat "$T/man.err")"
    grep -q 'EXIT STATUS' "$T/man.out" || fail "man -l rendered no EXIT STATUS"
fi

# ---- what the binary says, to be found in the page ------------------------------
commands=$("$LH" help | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
[ "$(echo "$commands" | wc -l)" -ge 10 ] || fail "too few commands from leakhound help: $commands"
: >"$T/want"
for c in $commands; do
    echo "command $c" >>"$T/want"
    [ "$c" = help ] && continue
    "$LH" "$c" --help >"$T/help.$c" 2>&1 || fail "$c --help exits non-zero"
    # Every -flag/--flag token of the help text ("-test=false" is -test).
    { grep -oE "(^|[][ (,'])--?[A-Za-z][A-Za-z0-9_-]*" "$T/help.$c" || true; } | sed -E "s/^[][ (,']//" |
        sort -u | sed "s/^/flag $c /" >>"$T/want"
    # The choices of --format (text|json|sarif).
    { grep -oE -- "--format [a-z]+(\|[a-z]+)+" "$T/help.$c" || true; } | sed 's/^--format //' | tr '|' '\n' |
        sort -u | sed "s/^/format $c /" >>"$T/want"
done
"$LH" rules | awk '{print "rule " $1}' >>"$T/want"
printf 'exit 0\nexit 1\nexit 2\n' >>"$T/want"

# Prints what PAGE lacks of $T/want, one line each.
missing() {
    # The page as words: roff's \- is -, font changes and zero-width marks go.
    sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' -e 's/\\|//g' -e 's/\\~/ /g' "$1" >"$T/plain"
    local kind cmd what
    while read -r kind cmd what; do
        case $kind in
        command) grep -Eq "^\.SS \"?$cmd([ ,\"]|$)" "$T/plain" || echo "command $cmd (no .SS)" ;;
        flag) grep -Eq -e "(^|[^A-Za-z0-9_-])$what([^A-Za-z0-9_-]|$)" "$T/plain" ||
                  echo "flag $what of $cmd" ;;
        format) grep -Eq "(^|[^A-Za-z0-9_-])$what([^A-Za-z0-9_-]|$)" "$T/plain" ||
                  echo "format $what of $cmd" ;;
        rule) grep -Eq "^\.B $cmd\$" "$T/plain" || echo "rule $cmd (no .B line in RULES)" ;;
        exit) sed -n '/^\.SH EXIT STATUS/,/^\.SH/p' "$T/plain" | grep -qx "\.B $cmd" ||
                  echo "exit code $cmd" ;;
        esac
    done <"$T/want"
}

missing "$PAGE" >"$T/missing"
[ ! -s "$T/missing" ] || fail "docs/leakhound.1 lacks (add them to the page):
$(cat "$T/missing")"
n=$(wc -l <"$T/want")

# The checker can fail: cut a flag and a rule out of a copy.
sed -e 's/include\\-generated/include-gen/g' -e '/^\.B unclosed\\-rows$/d' "$PAGE" >"$T/cut.1"
missing "$T/cut.1" >"$T/cut.missing"
grep -q 'flag --include-generated of scan' "$T/cut.missing" || fail "cut flag not noticed"
grep -q 'rule unclosed-rows' "$T/cut.missing" || fail "cut rule not noticed"
echo "t_manpage: ok ($n items checked)"
