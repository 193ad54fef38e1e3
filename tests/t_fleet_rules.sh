#!/usr/bin/env bash
# The example alerting rules of docs/fleet.md (docs/fleet/alerts.yml):
# promtool checks them and runs their unit tests (tests/fleet/alerts_test.yml:
# series in, alerts out, labels and annotation text compared). Two mutants
# prove the unit tests look: a lowered heap threshold and a shortened "for"
# must each make them fail. Every metric the rules read must be one the
# daemon writes (src/watch/metrics.c), so a rename cannot silently leave
# the rules watching nothing.
source "${LH_SRC:?}/tests/lib.sh" rules || exit 1
command -v promtool >/dev/null || { echo "FAIL: promtool not found (Debian's prometheus package; scripts/dev.sh test installs it)"; exit 1; }

rules=$LH_SRC/docs/fleet/alerts.yml
promtool check rules "$rules" >"$T/check" 2>&1 || fail "promtool check rules: $(cat "$T/check")"
promtool test rules "$LH_SRC/tests/fleet/alerts_test.yml" >"$T/test" 2>&1 ||
    fail "promtool test rules: $(cat "$T/test")"

# mutant NAME SED: the rules changed by SED must fail the unit tests.
mutant() {
    mkdir -p "$T/$1/docs/fleet" "$T/$1/tests/fleet"
    sed "$2" "$rules" >"$T/$1/docs/fleet/alerts.yml"
    cmp -s "$rules" "$T/$1/docs/fleet/alerts.yml" && { fail "mutant $1: sed changed nothing"; return; }
    cp "$LH_SRC/tests/fleet/alerts_test.yml" "$T/$1/tests/fleet/"
    promtool test rules "$T/$1/tests/fleet/alerts_test.yml" >"$T/$1.out" 2>&1 &&
        fail "mutant $1 ($2) passes the rule unit tests"
}
mutant heap-threshold 's/) > 10e3/) > 1e3/'
mutant goroutine-for 's/for: 30m/for: 20m/'

for m in $(grep -o '\bleakhound_[a-z_]*' "$rules" | sort -u); do
    grep -q "\"$m\"" "$LH_SRC/src/watch/metrics.c" || fail "the rules read $m, which src/watch/metrics.c does not write"
done

finish "rules checked, unit tests pass, both mutants caught"
