#!/usr/bin/env bash
# Every command's whole output against the goldens of tests/golden/ (top,
# diff, trend, goroutines, scan in every format, list, parse, rules,
# explain, watch --load): scripts/golden.sh runs the cases into a scratch
# directory and this test diffs every file, the exit statuses included
# (tests/golden/EXIT). A difference is either a bug or an intended change;
# for the latter, rerun scripts/golden.sh and review its diff like code.
#
# Env: LH (leakhound binary), LH_SRC (source tree), LH_BUILD (build tree).
set -euo pipefail
: "${LH:?}" "${LH_SRC:?}" "${LH_BUILD:?}"
T=$LH_BUILD/golden
rm -rf "$T"
LH=$LH bash "$LH_SRC/scripts/golden.sh" --out "$T/got" 2>"$T.log" ||
    { echo "t_golden: FAIL: golden.sh: $(cat "$T.log")" >&2; exit 1; }
n=$(wc -l <"$LH_SRC/tests/golden/EXIT")
[ "$n" -ge 50 ] || { echo "t_golden: FAIL: only $n cases in tests/golden/EXIT" >&2; exit 1; }
if ! diff -ru "$LH_SRC/tests/golden" "$T/got" >"$T.diff"; then
    head -c 6000 "$T.diff" >&2
    echo "t_golden: FAIL: $(grep -c '^diff ' "$T.diff" || true) golden files differ, $(grep -c '^Only in' "$T.diff" || true) missing or extra (bash scripts/golden.sh regenerates them; review the diff)" >&2
    exit 1
fi
echo "t_golden: ok: $n cases"
