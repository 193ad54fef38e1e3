# Shared by tests/t_runtime_*.sh: generate (once) the real-runtime profiles,
# run leakhound on them and read its JSON; tests/lib.sh collects the
# failures so one run reports every wrong answer, not just the first.
#
# Expected file:line pairs come from the markers in tests/goleaks/*.go
# (`// LEAK heap:`, `// LEAK block:`, `// LEAK go:`, `// STEADY:`,
# `// NOISE:`), never from hard-coded line numbers.

source "${LH_SRC:?LH_SRC must name the source tree}/tests/lib.sh" runtime || exit 1
source "$LH_SRC/tests/golib.sh" || exit 1
: "${LH:?LH must name the leakhound binary}"

GOLEAKS=$LH_SRC/tests/goleaks
bash "$GOLEAKS/gen.sh" || { echo "FAIL: tests/goleaks/gen.sh could not generate the profiles"; exit 1; }
P=$LH_BUILD/profiles
JSONQ=$LH_BUILD/goleaks/bin/jsonq
go_env # for go tool pprof
# marker FILE TAG reads tests/goleaks/FILE
MARKER_DIR=$GOLEAKS

# fetch PATH FILE: one GET of $base/PATH (the running program's
# /debug/pprof/) into FILE, with curl or else Python
fetch() {
    if command -v curl >/dev/null; then
        curl -sf --max-time 30 -o "$2" "$base/$1"
    else
        python3 -c 'import sys, urllib.request; open(sys.argv[2], "wb").write(urllib.request.urlopen(sys.argv[1], timeout=30).read())' "$base/$1" "$2"
    fi
}

# meta LEAK KEY -> value from the scenario's meta.txt
meta() { sed -n "s/^$2=//p" "$P/$1/meta.txt"; }

# lhjson NAME WANT_RC ARGS... : runs leakhound, keeps stdout in $T/NAME.json
# and its flattened form in $T/NAME.tsv. Records a failure and returns 1 when
# the exit status is not WANT_RC ("0|1" allowed) or the output is not JSON.
lhjson() {
    local name=$1 want=$2 rc
    shift 2
    "$LH" "$@" >"$T/$name.json" 2>"$T/$name.err"
    rc=$?
    : >"$T/$name.tsv"
    checks=$((checks + 1))
    if ! printf '%s\n' "$want" | tr '|' '\n' | grep -qx "$rc"; then
        fail "leakhound $*: exit $rc, want $want: $(head -c 300 "$T/$name.err")"
        return 1
    fi
    if ! "$JSONQ" "$T/$name.json" >"$T/$name.tsv" 2>"$T/$name.jerr"; then
        fail "leakhound $*: $(cat "$T/$name.jerr")"
        return 1
    fi
}

# field NAME PATH -> the value at PATH (e.g. entries.0.file) in $T/NAME.tsv
field() { awk -F'\t' -v k="$2" '$1 == k { print $2; exit }' "$T/$1.tsv"; }

# count NAME PREFIX -> number of array elements under PREFIX (e.g. entries)
count() {
    awk -F'\t' -v p="$2." 'index($1, p) == 1 { s = substr($1, length(p) + 1); sub(/\..*/, "", s); if (s + 0 >= n) n = s + 1 } END { print n + 0 }' "$T/$1.tsv"
}

# where NAME PREFIX I -> "function file-basename:line" of element I, the
# form the messages and comparisons use. Only the base name of the file is
# compared: the directory is the build machine's source path.
where() {
    local f
    f=$(field "$1" "$2.$3.file")
    echo "$(field "$1" "$2.$3.function") ${f##*/}:$(field "$1" "$2.$3.line")"
}

# in_goleaks NAME PREFIX I -> 1 when element I's file is under tests/goleaks/
in_goleaks() {
    case $(field "$1" "$2.$3.file") in */tests/goleaks/*) echo 1 ;; *) echo 0 ;; esac
}

# pprof_flat FILE:LINE-SUFFIX PPROF-ARGS... -> the flat value (unit suffix
# dropped) `go tool pprof -top -lines` gives the line whose location ends
# with the suffix, e.g. "goleaks/cache.go:19"; empty when pprof fails.
pprof_flat() {
    local suffix=$1
    shift
    go tool pprof -top -lines -nodecount=100000 "$@" 2>/dev/null |
        awk -v s="$suffix" 'seen && length($7) >= length(s) && substr($7, length($7) - length(s) + 1) == s { sub(/B$/, "", $1); print $1; exit }
                            / flat%/ { seen = 1 }'
}
