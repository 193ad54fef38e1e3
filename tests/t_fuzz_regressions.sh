#!/usr/bin/env bash
# Replays every input the fuzzers found a bug with (fuzz/regressions/<target>/)
# through the command a user would run on it:
#   fuzz_lex, fuzz_parse     leakhound parse FILE           exit 0 or 1
#   fuzz_profile             leakhound top FILE             exit 0 or 2
#   fuzz_analysis            FILE, or a directory of snapshots (sorted by
#                            name): top on each, diff on neighbours, diff -o
#                            first last (a single file against itself),
#                            goroutines on all, trend on three or more;
#                            every exit 0, 1 or 2
# A signal (exit >= 128), a timeout or a sanitizer report fails (under the
# ASan build of scripts/dev.sh test the reports are what catches a bug).
# fuzz/FINDINGS.md says which inputs are still open: while one is, this test
# fails -- that is the point.
set -uo pipefail

: "${LH:?LH must name the leakhound binary}"
: "${LH_SRC:?LH_SRC must name the source tree}"
: "${LH_BUILD:?LH_BUILD must name the build tree}"

reg=$LH_SRC/fuzz/regressions
d=$LH_BUILD/fuzz-regressions
rm -rf "$d" && mkdir -p "$d"
fails=0 runs=0
fail() { echo "t_fuzz_regressions: FAIL: $*" >&2; fails=$((fails + 1)); }

# check ALLOWED_RCS WHAT ARGS...: runs leakhound ARGS under a time limit.
check() {
    local allowed=$1 what=$2 rc=0
    shift 2
    runs=$((runs + 1))
    timeout 120 "$LH" "$@" > /dev/null 2> "$d/err" || rc=$?
    if [ "$rc" -eq 124 ]; then
        fail "$what: leakhound $1 timed out (hang?)"
    elif grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' "$d/err"; then
        fail "$what: leakhound $1: sanitizer report: $(grep -m1 -E 'ERROR|runtime error' "$d/err")"
    elif [[ " $allowed " != *" $rc "* ]]; then
        fail "$what: leakhound $1 exit $rc, want one of {$allowed} (stderr: $(head -c 300 "$d/err"))"
    fi
}

shopt -s nullglob
# The loops below run zero times on an empty or misnamed directory: count
# what they find against what is there, so a moved or renamed regression
# directory fails here instead of passing with nothing replayed.
inputs=0
for t in "$reg"/*; do
    case ${t##*/} in
    fuzz_lex|fuzz_parse|fuzz_profile|fuzz_analysis) ;;
    *) fail "${t#"$reg"/}: not a target this test replays (fuzz_lex, fuzz_parse, fuzz_profile, fuzz_analysis)" ;;
    esac
done
for f in "$reg"/fuzz_lex/* "$reg"/fuzz_parse/*; do
    inputs=$((inputs + 1))
    check "0 1" "${f#"$reg"/}" parse "$f"
done
for f in "$reg"/fuzz_profile/*; do
    inputs=$((inputs + 1))
    check "0 2" "${f#"$reg"/}" top "$f"
done
for f in "$reg"/fuzz_analysis/*; do
    what=${f#"$reg"/}
    inputs=$((inputs + 1))
    if [ -d "$f" ]; then
        snaps=("$f"/*)
        [ ${#snaps[@]} -gt 0 ] || { fail "$what: an empty directory"; continue; }
    else
        snaps=("$f")
    fi
    for s in "${snaps[@]}"; do
        label=$what
        [ -d "$f" ] && label=$what/$(basename "$s")
        check "0 2" "$label" top "$s"
    done
    for ((i = 0; i + 1 < ${#snaps[@]}; i++)); do
        check "0 2" "$what" diff "${snaps[i]}" "${snaps[i + 1]}"
    done
    # diff -o builds and encodes a profile: a path of its own.
    check "0 2" "$what" diff "${snaps[0]}" "${snaps[${#snaps[@]} - 1]}" -o "$d/diff.pb.gz"
    check "0 1 2" "$what" goroutines "${snaps[@]}"
    [ ${#snaps[@]} -ge 3 ] && check "0 1 2" "$what" trend "${snaps[@]}"
done

there=$(find "$reg" -mindepth 2 -maxdepth 2 2>/dev/null | wc -l)
[ "$inputs" -gt 0 ] || fail "no inputs found under $reg"
[ "$inputs" = "$there" ] || fail "replayed $inputs inputs of the $there under $reg"
echo "t_fuzz_regressions: $runs runs over $inputs inputs ($(find "$reg" -type f | wc -l) files), $fails failures" >&2
[ "$fails" -eq 0 ]
