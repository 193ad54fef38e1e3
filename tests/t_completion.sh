#!/usr/bin/env bash
# Shell completions. bash: completions/leakhound.bash is sourced and its
# function called with COMP_WORDS/COMP_CWORD as bash sets them: a command,
# a flag, a --format choice (also as --format=), rule ids after --disable,
# after a comma in --enable and for explain, files for a profile command,
# directories and ./... for scan. zsh: completions/_leakhound is checked
# for syntax, compinit must bind it to leakhound from $fpath (its #compdef
# line), and its function is called with zsh's words/CURRENT, compadd and
# _files stubbed to print what would be offered (a real completion widget
# needs a terminal).
#
# Env: LH (leakhound binary), LH_SRC (source tree), LH_BUILD (build tree).
set -euo pipefail
: "${LH:?}" "${LH_SRC:?}" "${LH_BUILD:?}"
fail() { echo "t_completion: FAIL: $*" >&2; exit 1; }

T=$LH_BUILD/completion-test
rm -rf "$T" && mkdir -p "$T/profiles" "$T/pkgs/alpha" "$T/pkgs/beta"
touch "$T/profiles/heap.1.pb.gz" "$T/profiles/heap.2.pb.gz" "$T/pkgs/afile.go"

bash -n "$LH_SRC/completions/leakhound.bash" || fail "bash syntax"
# shellcheck source=/dev/null
source "$LH_SRC/completions/leakhound.bash"
complete -p leakhound | grep -q -- '-F _leakhound' || fail "complete not registered"

# Calls the completion function on leakhound WORDS... (the last one being
# completed), as an interactive shell does: without errexit and pipefail.
complete_words() {
    COMP_WORDS=("$LH" "$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    set +eo pipefail
    _leakhound
    set -eo pipefail
}
# comp WANT WORDS...: the offers are exactly WANT (sorted, space-separated).
comp() {
    local want=$1 got
    shift
    complete_words "$@"
    got=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//')
    [ "$got" = "$want" ] || fail "completing '$*': got '$got', want '$want'"
}
# has WANT WORDS...: WANT is among the offers.
has() {
    local want=$1
    shift
    complete_words "$@"
    printf '%s\n' "${COMPREPLY[@]}" | grep -qxF -- "$want" ||
        fail "completing '$*': '$want' not in '${COMPREPLY[*]}'"
}

comp "scan" sc
comp "top trend" t
has goroutines ""
comp "--help --version" --
comp "--include-generated" scan --inc
has --format scan --
has -tags scan -
comp "--help" scan --he
comp "--min-climb --min-count" goroutines --min-c
comp "sarif" scan --format s
comp "json" scan --format = j
comp "codeclimate json sarif text" scan --format =
comp "json line text" list --format ""
comp "function line" top --by ""
comp "alloc_objects alloc_space" top --sample al
comp "defer-in-loop" scan --disable def
comp "defer-in-loop,lost-cancel" scan --enable defer-in-loop,lo
comp "goroutine-blocked-send goroutine-no-exit" explain goro
comp "top trend" help t
# Every rule of `leakhound rules` is offered for explain.
comp "$("$LH" rules | awk '{print $1}' | sort | tr '\n' ' ' | sed 's/ $//')" explain ""
comp "$T/profiles/heap.1.pb.gz $T/profiles/heap.2.pb.gz" trend "$T/profiles/heap."
comp "$T/pkgs/afile.go $T/pkgs/alpha" top "$T/pkgs/a"
comp "$T/pkgs/alpha" scan "$T/pkgs/a"
has ./... scan ./.
# A value flag's value is not offered flags; -n takes a number: nothing.
comp "" top -n ""
# Placeholders say what a value is: DIR, FILE, OLD.json.
comp "$T/pkgs/alpha" watch --load "$T/pkgs/a"
comp "$T/pkgs/afile.go $T/pkgs/alpha" watch --html "$T/pkgs/a"
comp "$T/pkgs/afile.go $T/pkgs/alpha" scan --baseline "$T/pkgs/a"
comp "$T/pkgs/afile.go $T/pkgs/alpha" diff -o "$T/pkgs/a"

# ---- zsh ------------------------------------------------------------------------
command -v zsh >/dev/null || fail "zsh not installed (scripts/dev.sh test installs it)"
zsh -n "$LH_SRC/completions/_leakhound" || fail "zsh syntax"
# compinit finds it on $fpath and binds it to leakhound (the #compdef line).
mkdir -p "$T/zfunc"
cp "$LH_SRC/completions/_leakhound" "$T/zfunc/"
got=$(HOME=$T zsh -f -c "fpath=($T/zfunc \$fpath); autoload -U compinit; compinit -u -D; print -r -- \${_comps[leakhound]}")
[ "$got" = _leakhound ] || fail "compinit binds leakhound to '$got', want _leakhound"
cat >"$T/z.zsh" <<'ZEOF'
compadd() { while (( $# )) && [[ $1 != -- ]]; do shift; done; shift; print -l -- "$@"; }
_files() { print -- "<files$*>"; }
compset() { return 1; }
source "$SRC/completions/_leakhound"
z() { words=("$LH" "$@"); CURRENT=$#words; _leakhound | sort | tr '\n' ' '; print; }
z ""
z scan --
z scan --disable ""
z explain ""
z scan --format ""
z scan --format=
z scan ""
z top ""
z top -n ""
z scan --baseline ""
z watch --load ""
ZEOF
SRC=$LH_SRC LH=$LH zsh -f "$T/z.zsh" >"$T/z.out" 2>"$T/z.err" || fail "zsh run: $(cat "$T/z.err")"
[ ! -s "$T/z.err" ] || fail "zsh stderr: $(cat "$T/z.err")"
zline() { sed -n "${1}p" "$T/z.out"; }
zline 1 | grep -q 'scan ' || fail "zsh commands: $(zline 1)"
zline 1 | grep -q 'goroutines ' || fail "zsh commands: $(zline 1)"
zline 2 | grep -q -- '--include-generated ' || fail "zsh scan flags: $(zline 2)"
zline 2 | grep -q -- '--help ' || fail "zsh scan flags: $(zline 2)"
zline 3 | grep -q 'defer-in-loop unclosed' && fail "zsh --disable: rule order"
zline 3 | grep -q '^defer-in-loop .*unclosed-rows $' || fail "zsh --disable: $(zline 3)"
zline 4 | grep -q 'lost-cancel' || fail "zsh explain: $(zline 4)"
[ "$(zline 5)" = "codeclimate json sarif text " ] || fail "zsh --format: '$(zline 5)'"
[ "$(zline 6)" = "codeclimate json sarif text " ] || fail "zsh --format=: '$(zline 6)'"
[ "$(zline 7)" = "./... <files-/> " ] || fail "zsh scan operand: '$(zline 7)'"
[ "$(zline 8)" = "<files> " ] || fail "zsh top operand: '$(zline 8)'"
[ -z "$(zline 9)" ] || fail "zsh -n value: '$(zline 9)'"
[ "$(zline 10)" = "<files> " ] || fail "zsh --baseline value: '$(zline 10)'"
[ "$(zline 11)" = "<files-/> " ] || fail "zsh --load value: '$(zline 11)'"
echo "t_completion: ok"
