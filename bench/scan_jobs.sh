#!/usr/bin/env bash
# What scan's threads give: `leakhound scan ./...` over GOROOT/src (tests
# included) with -j 1 and -j 2 (2 is what issue 7's targets assume: a
# 2-core machine), and the same for an older binary when one is given, so
# that before and after are measured in one run under the same load.
# Prints each line's wall and CPU time (user + sys) and peak RSS, best of
# RUNS runs taken in turns (the machine is shared), the -j 2 / -j 1 ratios
# and, with OLD, new / old. Also checks that every line's findings are the
# same: the output must not depend on -j. Asserts nothing else.
#
#   bash bench/scan_jobs.sh [BUILD_DIR] [OLD_LEAKHOUND]     # RUNS=5 PATTERN=./...
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
lh=$build/leakhound
old=${2:-}
runs=${RUNS:-5}
pattern=${PATTERN:-./...}
[ -x "$lh" ] || { echo "no $lh: build first" >&2; exit 2; }
[ -z "$old" ] || [ -x "$old" ] || { echo "no $old" >&2; exit 2; }
old=${old:+$(cd "$(dirname "$old")" && pwd)/$(basename "$old")}
. "$here/lib.sh"
out=$build/scan-jobs
mkdir -p "$out"
find "$out" -maxdepth 1 -type f -delete
cd "$(go env GOROOT)/src"
echo "GOROOT/src scan $pattern (tests included); $(load)"
echo "wall and cpu: best of $runs runs in turns; rss: the highest peak seen"

bins=(new)
[ -z "$old" ] || bins+=(old)
declare -A W C R
"$lh" scan "$pattern" >/dev/null 2>&1 || true     # warm the page cache
for ((r = 0; r < runs; r++)); do
    for b in "${bins[@]}"; do
        bin=$lh
        [ "$b" = new ] || bin=$old
        for j in 1 2; do
            k=$b.j$j
            measure "$out/$k.txt" "$bin" scan -j "$j" "$pattern"
            if [ -z "${W[$k]:-}" ] || awk -v a="$M_WALL" -v b="${W[$k]}" 'BEGIN { exit !(a < b) }'; then W[$k]=$M_WALL; fi
            if [ -z "${C[$k]:-}" ] || awk -v a="$M_CPU" -v b="${C[$k]}" 'BEGIN { exit !(a < b) }'; then C[$k]=$M_CPU; fi
            if [ "$M_RSS" -gt "${R[$k]:-0}" ]; then R[$k]=$M_RSS; fi
        done
    done
done
for b in "${bins[@]}"; do
    for j in 1 2; do
        k=$b.j$j
        printf '%-4s scan -j %d %8.2fs wall %8.2fs cpu %11s   %d findings\n' "$b" "$j" \
            "${W[$k]}" "${C[$k]}" "$(mib "${R[$k]}")" "$(wc -l <"$out/$k.txt")"
        cmp -s "$out/new.j1.txt" "$out/$k.txt" || echo "  its findings differ from new -j 1's: see $out"
    done
    printf '%-4s -j 2 / -j 1: %sx wall, %sx cpu, %sx rss\n' "$b" "$(ratio "${W[$b.j2]}" "${W[$b.j1]}")" \
        "$(ratio "${C[$b.j2]}" "${C[$b.j1]}")" "$(ratio "${R[$b.j2]}" "${R[$b.j1]}")"
done
if [ -n "$old" ]; then
    for j in 1 2; do
        printf 'new / old, -j %d: %sx wall, %sx cpu, %sx rss\n' "$j" "$(ratio "${W[new.j$j]}" "${W[old.j$j]}")" \
            "$(ratio "${C[new.j$j]}" "${C[old.j$j]}")" "$(ratio "${R[new.j$j]}" "${R[old.j$j]}")"
    done
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); outputs in $out"
