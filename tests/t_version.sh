#!/usr/bin/env bash
# `leakhound version` and `--version`: the project version, the git commit
# the binary was built from (when the source is a git checkout), the build
# type and the features; and cmake/version.cmake, which writes those facts,
# outside a git checkout (a source tarball) and with a packager's override.
#
# Env: LH (leakhound binary), LH_SRC (source tree), LH_BUILD (build tree).
set -euo pipefail
: "${LH:?}" "${LH_SRC:?}" "${LH_BUILD:?}"
fail() { echo "t_version: FAIL: $*" >&2; exit 1; }

T=$LH_BUILD/version-test
rm -rf "$T" && mkdir -p "$T"

"$LH" version >"$T/v"
"$LH" --version >"$T/v2"
cmp -s "$T/v" "$T/v2" || fail "--version differs from version"
want=$(sed -n 's/^project(leakhound VERSION \([0-9.]*\).*/\1/p' "$LH_SRC/CMakeLists.txt")
[ -n "$want" ] || fail "no project VERSION in CMakeLists.txt"
head -1 "$T/v" | grep -qx "leakhound $want" || fail "first line: $(head -1 "$T/v"), want leakhound $want"
type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$LH_BUILD/CMakeCache.txt")
grep -qx "build type: $type" "$T/v" || fail "build type: want $type in $(cat "$T/v")"
grep -q '^features:   .*scan' "$T/v" || fail "no features line: $(cat "$T/v")"
grep -q '^libraries:  zlib [0-9].*protobuf-c [0-9].*libcurl [0-9]' "$T/v" ||
    fail "no libraries line: $(cat "$T/v")"
# The commit: the checkout's HEAD, when the source is a git checkout.
if git -C "$LH_SRC" rev-parse HEAD >/dev/null 2>&1; then
    head=$(git -C "$LH_SRC" rev-parse --short=12 HEAD)
    grep -Eq "^commit:     $head(-dirty)?\$" "$T/v" || fail "commit: want $head in $(cat "$T/v")"
else
    grep -qx 'commit:     unknown' "$T/v" || fail "not a git checkout, yet: $(cat "$T/v")"
fi
"$LH" version extra 2>/dev/null && fail "version with an argument exits 0"

# The generator outside a git checkout, and with an override.
gen() { cmake -DSRC="$1" -DOUT="$T/gen.c" -DVERSION=9.8.7 -DBUILD_TYPE=Release \
              -DFEATURES="scan" -DGIT_COMMIT="$2" -DGIT="$(command -v git || true)" \
              -P "$LH_SRC/cmake/version.cmake"; }
mkdir -p "$T/tarball"
gen "$T/tarball" ""
grep -q 'lh_build_commit\[\] = "";' "$T/gen.c" || fail "no git, yet a commit: $(cat "$T/gen.c")"
grep -q 'lh_build_version\[\] = "9.8.7";' "$T/gen.c" || fail "version: $(cat "$T/gen.c")"
gen "$T/tarball" 'abc123"; evil'
grep -q 'lh_build_commit\[\] = "abc123evil";' "$T/gen.c" || fail "override: $(cat "$T/gen.c")"
# Unchanged facts leave the file alone (nothing relinks on a no-op build).
touch -d '2001-01-01' "$T/gen.c"; before=$(stat -c %Y "$T/gen.c")
gen "$T/tarball" 'abc123"; evil'
[ "$(stat -c %Y "$T/gen.c")" = "$before" ] || fail "unchanged build info rewritten"
echo "t_version: ok"
