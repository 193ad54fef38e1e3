#!/usr/bin/env bash
# scan --baseline and fingerprints, and --format codeclimate. A baseline is
# an earlier --format json run; only findings not in it are reported. The
# fingerprint (rule, function, the finding's line without white space, an
# occurrence index) must stay when lines are inserted above a finding or
# the file is re-indented, and change when the finding's own line changes
# or it moves to another function; a finding added beside identical ones
# is new. The Code Quality report is checked for the fields GitLab reads.
#
# Env: LH (leakhound binary), LH_SRC (source tree), LH_BUILD (build tree).
set -euo pipefail
: "${LH:?}" "${LH_SRC:?}" "${LH_BUILD:?}"
fail() { echo "t_baseline: FAIL: $*" >&2; exit 1; }

T=$LH_BUILD/baseline-test
rm -rf "$T" && mkdir -p "$T/m/p"
cd "$T/m"
printf 'module example.com/m\n\ngo 1.22\n' >go.mod
# Two identical defers in one function (told apart by occurrence), one in
# another function, an unclosed file.
write() {
    cat >p/p.go <<GO
package p

import "os"
$1
func load(ps []string) {
	for _, p := range ps {
		f, _ := os.Open(p)
		defer f.Close()
	}
	for _, p := range ps {
		f, _ := os.Open(p)
		defer f.Close()
	}
}

func other(ps []string) {
	for _, p := range ps {
		f, _ := os.Open(p)
		defer f.Close()
	}
}
GO
}

run() {  # WANT-EXIT ARGS...: leakhound's output in $T/out
    local want=$1 rc=0
    shift
    "$LH" "$@" >"$T/out" 2>"$T/err" || rc=$?
    [ "$rc" = "$want" ] || fail "$*: exit $rc, want $want: $(head -3 "$T/err")"
}
# The (rule, file, fingerprint) keys of a JSON run, one per line.
keys() {
    python3 -c '
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    assert len(f["fingerprint"]) == 16 and int(f["fingerprint"], 16) >= 0, f
    print(f["rule"], f["file"], f["line"], f["fingerprint"])' "$1"
}

write ""
run 1 scan --format json ./...
cp "$T/out" "$T/old.json"
keys "$T/old.json" >"$T/old.keys"
[ "$(wc -l <"$T/old.keys")" = 3 ] || fail "want 3 findings: $(cat "$T/old.keys")"
[ "$(awk '{print $4}' "$T/old.keys" | sort -u | wc -l)" = 3 ] ||
    fail "fingerprints not distinct: $(cat "$T/old.keys")"

# Against itself: nothing new, exit 0, in every format.
run 0 scan --baseline "$T/old.json"
[ ! -s "$T/out" ] || fail "baseline of itself reports: $(cat "$T/out")"
run 0 scan --baseline="$T/old.json" --format json
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["findings"] == []' "$T/out" ||
    fail "json with the baseline: $(cat "$T/out")"

# Lines inserted above every finding, and the file re-indented with
# spaces: same fingerprints (at other lines), nothing new.
write "
// Package p loads things.
var _ = 1

func helper() {}
"
sed -i 's/^\t/    /' p/p.go
run 1 scan --format json
keys "$T/out" >"$T/shift.keys"
awk '{print $1, $2, $4}' "$T/old.keys" >"$T/a"
awk '{print $1, $2, $4}' "$T/shift.keys" >"$T/b"
diff -u "$T/a" "$T/b" || fail "fingerprints changed when lines were inserted above (above)"
cmp -s <(awk '{print $3}' "$T/old.keys") <(awk '{print $3}' "$T/shift.keys") &&
    fail "the lines did not move: the test proves nothing"
run 0 scan --baseline "$T/old.json"

# The finding's own line changes: that finding is new (exit 1), the other
# two are not (the file, now never closed there, is a new finding too).
write ""
sed -i '0,/defer f.Close()/s//defer f.Sync()/' p/p.go
run 1 scan --baseline "$T/old.json"
grep -q '^p/p.go:8:3: defer-in-loop: ' "$T/out" && ! grep -Eq ':(12|19):' "$T/out" ||
    fail "changed line: want p/p.go:8 and not 12 or 19, got: $(cat "$T/out")"

# Moved into another function (renamed): new.
write ""
sed -i 's/^func other(/func another(/' p/p.go
run 1 scan --baseline "$T/old.json"
grep -q '^p/p.go:19:3: ' "$T/out" && [ "$(wc -l <"$T/out")" = 1 ] ||
    fail "renamed function: want only p/p.go:19, got: $(cat "$T/out")"

# A third copy of an identical defer in load: one new finding (the
# occurrence index tells it from the two known ones).
write ""
python3 - p/p.go <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
loop = "\tfor _, p := range ps {\n\t\tf, _ := os.Open(p)\n\t\tdefer f.Close()\n\t}\n"
s = s.replace(loop + "}\n", loop + loop + "}\n", 1)
open(p, "w").write(s)
PY
run 1 scan --baseline "$T/old.json" --format json
[ "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$T/out")" = 1 ] ||
    fail "third identical defer: want one new finding: $(cat "$T/out")"

# A baseline that is not a JSON run: exit 2, one line naming the file and
# the position.
write ""
printf '{"findings": [\n  {"rule": "defer-in-loop", "file": "p/p.go"}]}\n' >"$T/nofp.json"
run 2 scan --baseline "$T/nofp.json"
grep -q "^leakhound scan: $T/nofp.json:2:3: a finding without rule, file or fingerprint" "$T/err" ||
    fail "baseline without fingerprints: $(cat "$T/err")"
printf '{"findings": [\n' >"$T/trunc.json"
run 2 scan --baseline "$T/trunc.json"
grep -q "^leakhound scan: $T/trunc.json:2:1: " "$T/err" || fail "truncated baseline: $(cat "$T/err")"
printf '[]' >"$T/arr.json"
run 2 scan --baseline "$T/arr.json"
run 2 scan --baseline "$T/missing.json"
grep -q "missing.json" "$T/err" || fail "missing baseline: $(cat "$T/err")"
[ "$(wc -l <"$T/err")" = 1 ] || fail "more than one line: $(cat "$T/err")"
[ ! -s "$T/out" ] || fail "output despite a bad baseline"

# ---- --format codeclimate ---------------------------------------------------------
run 1 scan --format codeclimate
cp "$T/out" "$T/cq.json"
run 1 scan
python3 - "$T/cq.json" "$T/out" <<'PY' || fail "codeclimate: $(cat "$T/cq.json")"
import json, os, sys
issues = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read().splitlines()
assert isinstance(issues, list) and len(issues) == len(text) == 3, (issues, text)
fps = set()
for i, (v, line) in enumerate(zip(issues, text)):
    assert v["type"] == "issue", v
    for k in ("description", "check_name", "fingerprint", "severity"):
        assert type(v[k]) is str and v[k], (k, v)
    assert v["severity"] in ("info", "minor", "major", "critical", "blocker"), v
    loc = v["location"]
    assert type(loc["path"]) is str and os.path.isfile(loc["path"]), loc
    assert not loc["path"].startswith("/"), loc
    b = loc["lines"]["begin"]
    assert type(b) is int and b >= 1 and loc["lines"]["end"] >= b, loc
    # the same finding as the text line
    assert line.startswith("%s:%d:" % (loc["path"], b)), (line, v)
    assert (": %s: %s" % (v["check_name"], v["description"])) in line, (line, v)
    fps.add(v["fingerprint"])
assert len(fps) == 3, fps
PY
run 0 scan --format codeclimate ./... --disable defer-in-loop
[ "$(tr -d ' \n' <"$T/out")" = "[]" ] || fail "codeclimate, nothing found: $(cat "$T/out")"
# The tree scanned is never written to.
[ "$(find "$T/m" -newer "$T/old.json" -type f ! -name p.go | wc -l)" = 0 ] ||
    fail "files written into the scanned tree: $(find "$T/m" -newer "$T/old.json" -type f)"
echo "t_baseline: ok"
