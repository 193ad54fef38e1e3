#!/usr/bin/env bash
# The CFG builder over every function of GOROOT (tests/cfgcheck/cfgcheck.c
# says what is checked): strictly over src/ without testdata (code that
# compiles: no dead ends, no function with results falling off its end),
# and for robustness alone over test/ and the testdata directories (code
# written not to compile among it). Prints the totals and timings.
set -euo pipefail
: "${LH_BUILD:?}"

check=$LH_BUILD/lh_cfgcheck
[ -x "$check" ] || { echo "t_cfg_goroot: no $check (build the project first)" >&2; exit 1; }
source "${LH_SRC:?}/tests/golib.sh" || exit 1
command -v go >/dev/null || go_skip t_cfg_goroot "no Go toolchain on PATH, so no GOROOT to read"
goroot=$(go env GOROOT)
work=$LH_BUILD/cfg_goroot
rm -rf "$work"
mkdir -p "$work"

find -L "$goroot/src" -name '*.go' -type f -not -path '*/testdata/*' | LC_ALL=C sort > "$work/strict"
{ find -L "$goroot/src" -path '*/testdata/*' -name '*.go' -type f
  [ -d "$goroot/test" ] && find -L "$goroot/test" -name '*.go' -type f
} | LC_ALL=C sort > "$work/lenient"
n=$(wc -l < "$work/strict")
if [ "$n" -lt 1000 ]; then
    echo "t_cfg_goroot: only $n Go files under $goroot/src (golang-src installed?)" >&2
    exit 1
fi

status=0
echo "t_cfg_goroot: $goroot/src (strict):"
"$check" --strict < "$work/strict" || status=1
echo "t_cfg_goroot: $goroot/test and testdata (robustness):"
"$check" < "$work/lenient" || status=1
[ $status -eq 0 ] && echo "t_cfg_goroot: OK"
exit $status
