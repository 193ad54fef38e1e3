#!/usr/bin/env bash
# The README's example output is what leakhound prints, on any machine: each
# `$ leakhound ...` line of the README's example blocks is run from the
# source tree, and the lines shown under it (up to "..." or the next
# command) must come out, in that order. The example profiles must name no
# file by an absolute path (they are recorded with -trimpath, so a README
# made from them shows module paths, not the recording machine's checkout).
#
# Env: LH (leakhound binary), LH_SRC (source tree), LH_BUILD (build tree).
set -euo pipefail
: "${LH:?}" "${LH_SRC:?}" "${LH_BUILD:?}"
fail() { echo "t_readme_examples: FAIL: $*" >&2; exit 1; }

T=$LH_BUILD/readme-examples
rm -rf "$T" && mkdir -p "$T"
cd "$LH_SRC"

# ---- the example profiles: module paths only
for f in examples/profiles/cache/heap.*.pb.gz; do
    "$LH" top -n 0 --by line --format json "$f" >"$T/top.json" || fail "top $f"
    grep -o '"file":"[^"]*"' "$T/top.json" | sort -u >"$T/files"
    [ -s "$T/files" ] || fail "$f: no file names at all"
    ! grep -q '"file":"/' "$T/files" || fail "$f names absolute paths: $(grep '"file":"/' "$T/files" | head -3)"
done
for f in examples/profiles/blocked/*.txt; do
    ! grep -qE '^[[:space:]#]+(0x[0-9a-f]+[[:space:]]+[^[:space:]]+[[:space:]]+)?/' "$f" ||
        fail "$f names absolute paths: $(grep -E '^[[:space:]#]+(0x[0-9a-f]+[[:space:]]+[^[:space:]]+[[:space:]]+)?/' "$f" | head -3)"
done

# ---- the README's shown output
# Split the README's code blocks into commands and the lines shown after each.
awk -v dir="$T" '
    /^```/ { inblock = !inblock; next }
    !inblock { next }
    /^\$ leakhound / { n++; cmd = dir "/cmd." n; sub(/^\$ leakhound /, ""); print > cmd; close(cmd);
                       want = dir "/want." n; printf "" > want; showing = 1; next }
    /^\.\.\.$/ { showing = 0; next }
    showing && n { print >> (dir "/want." n) }
' README.md
n=$(find "$T" -name 'cmd.*' | wc -l)
[ "$n" -ge 2 ] || fail "found $n example commands in README.md"
for c in "$T"/cmd.*; do
    k=${c##*.}
    read -r -a args <"$c"
    # the shell would expand the globs; so does this
    expanded=()
    for a in "${args[@]}"; do
        # shellcheck disable=SC2206
        g=($a)
        expanded+=("${g[@]}")
    done
    rc=0
    "$LH" "${expanded[@]}" >"$T/got.$k" 2>"$T/err.$k" || rc=$?
    [ "$rc" -le 1 ] || fail "leakhound $(cat "$c"): exit $rc: $(head -3 "$T/err.$k")"
    [ -s "$T/want.$k" ] || fail "leakhound $(cat "$c"): the README shows no output"
    # every shown line, in order, among the output's lines
    awk 'NR == FNR { want[++w] = $0; next } i < w && $0 == want[i + 1] { i++ }
         END { if (i < w) { print "missing from the output: " want[i + 1]; exit 1 } }' \
        "$T/want.$k" "$T/got.$k" >"$T/diff.$k" ||
        fail "README.md's output of 'leakhound $(cat "$c")' is not what it prints: $(cat "$T/diff.$k")
(it prints:
$(head -20 "$T/got.$k"))"
done
echo "t_readme_examples: ok ($n commands)"
