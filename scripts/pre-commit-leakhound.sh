#!/usr/bin/env bash
# The pre-commit hook of .pre-commit-hooks.yaml: `leakhound scan` on the Go
# packages (directories) holding the changed .go files pre-commit passes,
# not on the files alone -- a rule needs the whole package to see that a
# channel is closed or a body closed in another file.
#
# leakhound must be on PATH (or named by $LEAKHOUND); arguments before the
# file names that start with '-' (the hook's `args:`) go to scan.
# Directories the go command leaves out of ./... (testdata, _*, .*) are
# skipped, as scan ./... would skip them. Exit status: scan's.
set -euo pipefail

lh=${LEAKHOUND:-leakhound}
if ! command -v "$lh" >/dev/null 2>&1; then
    echo "leakhound pre-commit hook: '$lh' not found on PATH (install leakhound; see its README)" >&2
    exit 2
fi

flags=()
while [ $# -gt 0 ] && [[ $1 == -* ]]; do
    flags+=("$1")
    shift
done

declare -A seen=()
dirs=()
for f in "$@"; do
    case $f in *.go) ;; *) continue ;; esac
    d=$(dirname -- "$f")
    skip=
    IFS=/ read -r -a parts <<<"$d"
    for p in "${parts[@]}"; do
        case $p in testdata | _* | .?*) [ "$p" = . ] || [ "$p" = .. ] || skip=1 ;; esac
    done
    [ -n "$skip" ] && continue
    [ -d "$d" ] || continue          # deleted with its package
    case $d in /* | . | ./* | .. | ../*) ;; *) d=./$d ;; esac
    [ -n "${seen[$d]:-}" ] && continue
    seen[$d]=1
    dirs+=("$d")
done
[ ${#dirs[@]} -eq 0 ] && exit 0
exec "$lh" scan "${flags[@]}" -- "${dirs[@]}"
