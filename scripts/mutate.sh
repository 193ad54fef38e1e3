#!/usr/bin/env bash
# The project's own mutation run: does the suite notice one-line behaviour
# changes? Applies each mutant of tests/mutants.tsv, one at a time, to a
# scratch copy of the committed tree (git archive HEAD: the working tree is
# never touched), rebuilds incrementally, runs the tests and counts the
# mutant killed when a test fails. Prints one line per mutant, the kill
# rate per layer and overall, and the survivors. A benchmark-like script,
# not part of the README's test command (it rebuilds and retests once per
# mutant: minutes per mutant on a loaded 2-core machine).
#
#   bash scripts/mutate.sh                 # every mutant
#   bash scripts/mutate.sh ID...           # only these
#   MUTATE_JOBS=2 MUTATE_KEEP=1 bash scripts/mutate.sh   # ctest -j; keep the scratch dir
#
# tests/mutants.tsv (HEAD's), one mutant per line (# comments), tab-separated:
#   id  layer  file  from  to  tests  why
# `from` must occur exactly once in `file` (a mutant that no longer
# applies is reported as stale, never silently skipped); `to` replaces it.
# \t and \n in from/to stand for a tab and a newline. `tests` is a ctest
# -R regex of the tests to run, or `-` for the fast suite (every test but
# the long differential and runtime ones, which a mutant names when it
# needs them). A mutant that does not compile is "stillborn": counted
# apart, neither killed nor survived. Equivalent mutants (no behaviour
# change) are marked with layer suffix `=eq` and their why says why; they
# are not counted.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
list=$here/tests/mutants.tsv
[ -f "$list" ] || { echo "mutate.sh: no $list" >&2; exit 2; }
jobs=${MUTATE_JOBS:-2}
slow='script/t_(lex_diff|parse_diff|load_diff|cfg_goroot|runtime_.*|watch_e2e|fleet.*|vet_lostcancel|install|package|deb.*)'

work=$(mktemp -d "${TMPDIR:-/tmp}/lh-mutate.XXXXXX")
if [ -z "${MUTATE_KEEP:-}" ]; then trap 'rm -rf "$work"' EXIT; fi
echo "mutate.sh: scratch tree $work (HEAD $(git -C "$here" rev-parse --short HEAD))" >&2
git -C "$here" archive HEAD | tar -x -C "$work"
# The list as committed with the tree it mutates, read from the copy: an
# edit of the working tree's list during a run (hours) cannot shift the
# lines under the loop reading them.
list=$work/tests/mutants.tsv
cd "$work"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs" >/dev/null 2>&1 || { echo "mutate.sh: the unmutated tree does not build" >&2; exit 2; }

run_tests() {  # run_tests REGEX|-  -> 0 when every selected test passes
    local sel=$1
    if [ "$sel" = - ]; then
        (cd build && ctest -j"$jobs" -E "$slow" --timeout 900 >/dev/null 2>&1)
    else
        (cd build && ctest -j"$jobs" -R "$sel" --timeout 1800 >/dev/null 2>&1)
    fi
}

# The unmutated tree must pass what the mutants will run, or every
# "kill" would be the suite's own failure: the union of the selected
# mutants' tests (the fast suite when one of them says `-`).
sels=()
while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    IFS=$'\x1f' read -r id layer _ _ _ tests _ <<<"${line//$'\t'/$'\x1f'}"
    case "$layer" in *=eq) continue ;; esac
    if [ $# -gt 0 ]; then
        keep=0
        for want in "$@"; do [ "$want" = "$id" ] && keep=1; done
        [ $keep = 1 ] || continue
    fi
    sels+=("$tests")
done < "$list"
base=-
if [ ${#sels[@]} -gt 0 ] && ! printf '%s\n' "${sels[@]}" | grep -qx -- -; then
    base=$(printf '%s\n' "${sels[@]}" | sort -u | paste -sd'|')
fi
echo "mutate.sh: baseline run of ${base/#-/the fast suite}" >&2
run_tests "$base" || { echo "mutate.sh: the baseline tests fail on the unmutated tree" >&2; exit 2; }

declare -A total killed stillborn
survivors=()
stale=()
n=0
while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    # Tab is whitespace to read: consecutive tabs would fold into one and an
    # empty `to` (a deleted line) would shift the columns. Split on \x1f.
    IFS=$'\x1f' read -r id layer file from to tests why <<<"${line//$'\t'/$'\x1f'}"
    if [ $# -gt 0 ]; then
        keep=0
        for want in "$@"; do [ "$want" = "$id" ] && keep=1; done
        [ $keep = 1 ] || continue
    fi
    case "$layer" in *=eq) echo "  $id: equivalent ($why)"; continue ;; esac
    n=$((n + 1))
    # Apply: exactly one occurrence, else stale.
    if ! python3 - "$file" "$from" "$to" <<'EOF'
import sys
path, frm, to = sys.argv[1], sys.argv[2], sys.argv[3]
unesc = lambda s: s.replace('\\t', '\t').replace('\\n', '\n')
frm, to = unesc(frm), unesc(to)
src = open(path, encoding='utf-8').read()
if src.count(frm) != 1:
    sys.exit(1)
open(path + '.orig', 'w', encoding='utf-8').write(src)
open(path, 'w', encoding='utf-8').write(src.replace(frm, to, 1))
EOF
    then
        stale+=("$id ($file)")
        echo "  $id: STALE -- '$from' is not in $file exactly once"
        continue
    fi
    total[$layer]=$(( ${total[$layer]:-0} + 1 ))
    if ! cmake --build build -j"$jobs" >/dev/null 2>&1; then
        stillborn[$layer]=$(( ${stillborn[$layer]:-0} + 1 ))
        total[$layer]=$(( ${total[$layer]} - 1 ))
        echo "  $id: stillborn (does not compile)"
    elif run_tests "$tests"; then
        survivors+=("$id [$layer] $file: $why")
        echo "  $id: SURVIVED"
    else
        killed[$layer]=$(( ${killed[$layer]:-0} + 1 ))
        echo "  $id: killed"
    fi
    mv "$file.orig" "$file"
    touch "$file"
done < "$list"
# Leave the scratch build as HEAD built it (for MUTATE_KEEP users).
cmake --build build -j"$jobs" >/dev/null 2>&1 || true

echo
echo "layer            killed / mutants"
all_t=0; all_k=0
for layer in $(printf '%s\n' "${!total[@]}" | sort); do
    t=${total[$layer]}; k=${killed[$layer]:-0}
    all_t=$((all_t + t)); all_k=$((all_k + k))
    printf '  %-14s %4d / %-4d %s\n' "$layer" "$k" "$t" "$([ "$t" -gt 0 ] && echo "$((100 * k / t))%")"
done
if [ "$all_t" -gt 0 ]; then
    printf 'all              %4d / %-4d %d%% killed\n' "$all_k" "$all_t" "$((100 * all_k / all_t))"
fi
sb=0; for v in "${stillborn[@]:-0}"; do sb=$((sb + v)); done
echo "stillborn: $sb   stale: ${#stale[@]}"
if [ ${#survivors[@]} -gt 0 ]; then
    echo "survivors:"
    printf '  %s\n' "${survivors[@]}"
fi
[ ${#stale[@]} -eq 0 ] || { printf 'stale: %s\n' "${stale[@]}"; exit 1; }
