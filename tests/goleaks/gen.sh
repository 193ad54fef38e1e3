#!/usr/bin/env bash
# Builds the leak programs in tests/goleaks with the `go` on PATH (1.19 or
# newer; LH_GO names another one) and runs each scenario once, writing its profiles under $LH_BUILD/profiles/<leak>/
# (see main.go for the file names). Later calls return at once while the
# sources are unchanged, so every t_runtime_*.sh test can call this first;
# a lock makes concurrent ctest jobs wait for one generator instead of racing.
#
#   LH_BUILD=/path/to/build bash tests/goleaks/gen.sh
#
# Also builds $LH_BUILD/goleaks/bin/jsonq, the tests' JSON reader.
# Nothing is written into the source tree; nothing is fetched from the network.
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${LH_BUILD:?set LH_BUILD to the build directory}"
source "$src/../golib.sh"
mkdir -p "$LH_BUILD"
out=$LH_BUILD/profiles
bin=$LH_BUILD/goleaks/bin
scenarios=(cache blocked deferloop subslice body control)

exec 9>"$LH_BUILD/goleaks.lock"
flock 9

go=${LH_GO:-go}
stamp=$(go_stamp "$go" "$src"/go.mod "$src"/*.go "$src"/jsonq/*.go "$src"/gen.sh "$src"/../golib.sh)
if [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$stamp" ] && [ -x "$bin/jsonq" ]; then
    exit 0
fi

go_env offline
# Sample every allocation from the first one, package init included.
export GODEBUG=memprofilerate=1

echo "gen.sh: building tests/goleaks with $("$go" version)" >&2
mkdir -p "$bin"
(cd "$src" && "$go" build -o "$bin/goleaks" . && "$go" build -o "$bin/jsonq" ./jsonq)

rm -rf "$out" "$out.tmp"
mkdir -p "$out.tmp"
for leak in "${scenarios[@]}"; do
    "$bin/goleaks" -leak="$leak" -out="$out.tmp/$leak" -snapshots=7 -interval=300ms
done
# The cache again at the runtime's default sampling rate (512 KB): the heap
# values are then estimates, scaled by the runtime in the protobuf and left
# for the reader to scale in the text, as in real services' profiles.
GODEBUG= "$bin/goleaks" -leak=cache -memprofilerate=524288 -out="$out.tmp/cache-sampled" -snapshots=7 -interval=300ms
echo "$stamp" >"$out.tmp/.stamp"
mv "$out.tmp" "$out"
echo "gen.sh: profiles in $out" >&2
