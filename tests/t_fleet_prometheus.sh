#!/usr/bin/env bash
# The fleet daemon under a real Prometheus, on loopback: leakhound watches
# three real Go services (tests/fleet/svc: a leaky one, a control that warms
# up and holds steady, and one that exits every few seconds and is
# restarted on its port), Prometheus (Debian's package, our own process,
# temporary storage) scrapes leakhound every second, and the test asks
# Prometheus' HTTP API what it stored:
#   - the leaky service's suspect series, labelled with its group, the
#     function and the marked line;
#   - none for the control;
#   - restarts counted for the restarting one, and no suspect;
# then edits the targets file: a removed target's series leave /metrics and
# go stale in Prometheus, an added one's appear, a relabelled one keeps its
# watch under its new labels; a broken edit changes nothing. Also / and
# /report/TARGET, and promtool's lint of /metrics.
source "${LH_SRC:?}/tests/lib.sh" fleet || exit 1
source "$LH_SRC/tests/golib.sh" || exit 1
: "${LH:?}"

for tool in go prometheus promtool python3 curl; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool not found (scripts/dev.sh test installs it)"; exit 1; }
done

SRC=$LH_SRC/tests/fleet
heap_line=$(marker "$SRC/svc/main.go" "LEAK heap")
go_line=$(marker "$SRC/svc/main.go" "LEAK goroutine")

# ---- the services ----------------------------------------------------------
# The go cache the other Go tests fill (std built once, not per test).
go_env offline
mkdir -p "$LH_BUILD/fleet"
(cd "$SRC" && go build -o "$LH_BUILD/fleet/svc" ./svc) || { echo "FAIL: go build tests/fleet/svc"; exit 1; }
SVC=$LH_BUILD/fleet/svc

start_svc() { # NAME MODE
    start_bg "$SVC" -mode "$2" -addrfile "$T/$1.addr" 2>"$T/$1.err"
    wait_file "$T/$1.addr" "service $1" "$T/$1.err" || exit 1
}
start_svc leaky leaky
start_svc control control
# The restarting one: first life on a free port, then the same port again.
start_bg "$SVC" -mode restart -life 3s -addrfile "$T/restart.addr" 2>"$T/restart.err"
first=${PIDS[-1]}
wait_file "$T/restart.addr" "service restart" "$T/restart.err" || exit 1
restart_addr=$(cat "$T/restart.addr")
(
    while kill -0 "$first" 2>/dev/null; do sleep 0.1; done
    while :; do
        # Exits by itself after its life; a bind racing the old socket's
        # close fails fast and is simply retried.
        "$SVC" -mode restart -life 3s -addr "$restart_addr" 2>>"$T/restart.err"
        sleep 0.2
    done
) &
PIDS+=($!)
leaky=$(cat "$T/leaky.addr") control=$(cat "$T/control.addr")

targets() { # writes the targets file atomically, as a deploy tool would
    cat >"$T/targets.json.tmp"
    mv "$T/targets.json.tmp" "$T/targets.json"
}
targets <<EOF
[
  {"targets": ["$leaky"], "labels": {"group": "shop", "env": "test"}},
  {"targets": ["$control", "$restart_addr"], "labels": {"group": "steady", "env": "test"}}
]
EOF

# ---- leakhound -------------------------------------------------------------
"$LH" watch --listen 127.0.0.1:0 --targets "$T/targets.json" --every 300ms --timeout 2s \
    --window 60 --fetchers 4 --save "$T/save" 2>"$T/lh.err" &
lh_pid=$!
PIDS+=("$lh_pid")
for ((i = 0; i < 100; i++)); do
    lh_addr=$(sed -n 's|.*serving http://\([^/]*\)/.*|\1|p' "$T/lh.err" 2>/dev/null)
    [ -n "$lh_addr" ] && break
    kill -0 "$lh_pid" 2>/dev/null || break
    sleep 0.1
done
[ -n "$lh_addr" ] || { echo "FAIL: leakhound watch --listen did not start: $(cat "$T/lh.err")"; exit 1; }

# ---- Prometheus --------------------------------------------------------------
prom_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$T/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 900ms
scrape_configs:
  - job_name: leakhound
    honor_labels: true
    static_configs:
      - targets: ['$lh_addr']
EOF
prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/tsdb" \
    --web.listen-address="127.0.0.1:$prom_port" --log.level=warn 2>"$T/prom.err" &
PIDS+=($!)
PROM=http://127.0.0.1:$prom_port

# query EXPR -> one line per series: the labels as k=v sorted, a tab, the value
query() {
    curl -s --max-time 5 --get --data-urlencode "query=$1" "$PROM/api/v1/query" | python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
except Exception:
    sys.exit(0)
if d.get("status") != "success":
    sys.exit(0)
for r in d["data"]["result"]:
    m = r["metric"]
    print(",".join("%s=%s" % (k, m[k]) for k in sorted(m)) + "\t" + r["value"][1])
'
}

# until SECONDS EXPR: polls Prometheus until EXPR has a series; prints them.
until_series() {
    local deadline=$((SECONDS + $1)) out
    while ((SECONDS < deadline)); do
        out=$(query "$2")
        [ -n "$out" ] && { printf '%s\n' "$out"; return 0; }
        sleep 1
    done
    return 1
}

# until_none SECONDS EXPR: polls until EXPR has no series.
until_none() {
    local deadline=$((SECONDS + $1))
    while ((SECONDS < deadline)); do
        [ -z "$(query "$2")" ] && return 0
        sleep 1
    done
    return 1
}

# Prometheus scrapes leakhound at all.
until_series 30 "up{job=\"leakhound\"} == 1" >/dev/null ||
    { echo "FAIL: Prometheus never scraped leakhound: $(tail -5 "$T/prom.err")"; exit 1; }

# The leaky service: both leaking lines, with the group's labels.
sel="target=\"$leaky\",group=\"shop\",env=\"test\""
if heap=$(until_series 60 "leakhound_suspect_growth_bytes_per_second{$sel,line=\"$heap_line\"} > 0"); then
    case $heap in
    *function=main.remember,*kind=heap*) ;;
    *) fail "heap suspect of $leaky: want function main.remember, kind heap; got: $heap" ;;
    esac
    case $heap in
    *file=*tests/fleet/svc/main.go,*) ;;
    *) fail "heap suspect of $leaky: want file .../tests/fleet/svc/main.go; got: $heap" ;;
    esac
else
    fail "no heap suspect series for $leaky at main.go:$heap_line; its series: $(query "{__name__=~\"leakhound_suspect_.*\",target=\"$leaky\"}")"
fi
if gor=$(until_series 30 "leakhound_suspect_growth_goroutines_per_second{$sel,line=\"$go_line\"} > 0"); then
    case $gor in
    *confirmed=false*) ;;
    *) fail "goroutine suspect of $leaky without --source: want confirmed=false; got: $gor" ;;
    esac
else
    fail "no goroutine suspect series for $leaky at main.go:$go_line; its series: $(query "{__name__=~\"leakhound_suspect_.*\",target=\"$leaky\"}")"
fi
[ -n "$(query "leakhound_suspect_confidence{$sel} > 0")" ] || fail "no confidence series for $leaky"
[ -n "$(query "leakhound_goroutines{$sel} > 0")" ] || fail "no goroutine count for $leaky"
[ -n "$(query "leakhound_heap_inuse_bytes{$sel} > 0")" ] || fail "no heap in use for $leaky"

# The restarting service: restarts seen, and its drops read as restarts
# (no suspect). Its lives are 3 s: within 30 s several restarts.
if ! until_series 40 "leakhound_restarts_total{target=\"$restart_addr\"} >= 2" >/dev/null; then
    fail "restarts of $restart_addr not counted: $(query "leakhound_restarts_total{target=\"$restart_addr\"}")"
fi
for t in "$control" "$restart_addr"; do
    s=$(query "{__name__=~\"leakhound_suspect_.*\",target=\"$t\"}")
    [ -z "$s" ] || fail "suspect series for $t, which does not leak: $s"
    [ -n "$(query "leakhound_last_success_timestamp_seconds{target=\"$t\",group=\"steady\"}")" ] ||
        fail "no successful poll recorded for $t"
done
[ "$(query "leakhound_poll_errors_total{target=\"$control\"} > 0")" = "" ] ||
    fail "poll errors for the control: $(query "leakhound_poll_errors_total{target=\"$control\"} > 0")"

# The page as Prometheus' own linter sees it (names, units, HELP/TYPE), with
# the leaky service's suspect series in it.
curl -s --max-time 5 "http://$lh_addr/metrics" >"$T/metrics.lint"
grep -q '^leakhound_suspect_confidence{' "$T/metrics.lint" || fail "no suspect series on /metrics to lint"
promtool check metrics <"$T/metrics.lint" >"$T/lint.out" 2>&1 ||
    fail "promtool check metrics: $(head -5 "$T/lint.out")"

# --save: each target's snapshots in a directory of its own.
leaky_dir=$T/save/$(printf '%s' "$leaky" | tr -c 'A-Za-z0-9.-' _)
ls "$leaky_dir"/heap.* >/dev/null 2>&1 || fail "--save: no heap snapshots in $leaky_dir: $(ls "$T/save" 2>&1)"

# ---- the pages ---------------------------------------------------------------
code() { curl -s -o "$T/page" -w '%{http_code}' --max-time 10 "http://$lh_addr$1"; }
[ "$(code /)" = 200 ] && grep -q "$control" "$T/page" && grep -q 'href="/report/' "$T/page" ||
    fail "/ does not list the targets"
enc=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$leaky")
[ "$(code "/report/$enc")" = 200 ] && grep -q '<svg' "$T/page" && grep -q 'main.remember' "$T/page" ||
    fail "/report/$enc is not the leaky service's HTML report: $(head -c 300 "$T/page")"
[ "$(code /report/nosuch:1)" = 404 ] || fail "/report of an unknown target is not 404"
[ "$(code /nope)" = 404 ] || fail "/nope is not 404"

# ---- churn -------------------------------------------------------------------
start_svc late control
late=$(cat "$T/late.addr")
# The control goes, a new service comes, the leaky one is relabelled.
targets <<EOF
[
  {"targets": ["$leaky"], "labels": {"group": "shop", "env": "stage"}},
  {"targets": ["$restart_addr", "$late"], "labels": {"group": "steady", "env": "test"}}
]
EOF
until_series 30 "leakhound_target_up{target=\"$late\",group=\"steady\"} == 1" >/dev/null ||
    fail "added target $late never came up in Prometheus"
curl -s --max-time 5 "http://$lh_addr/metrics" >"$T/metrics"
grep -q "target=\"$control\"" "$T/metrics" && fail "removed target $control still on /metrics"
until_none 30 "leakhound_target_up{target=\"$control\"}" ||
    fail "removed target $control's series did not go stale in Prometheus"
until_series 30 "leakhound_suspect_confidence{target=\"$leaky\",env=\"stage\"}" >/dev/null ||
    fail "the relabelled target $leaky has no suspect series with its new label"
until_none 30 "leakhound_goroutines{target=\"$leaky\",env=\"test\"}" ||
    fail "the relabelled target $leaky still has series with its old label"

# A broken edit keeps the targets; the error is counted and logged once.
printf '[{"targets": ["%s"],}]\n' "$leaky" | targets
until_series 20 'leakhound_targets_file_reloads_total{result="error"} >= 1' >/dev/null ||
    fail "a bad targets file was not counted"
[ "$(query 'leakhound_targets')" != "" ] && [ "$(query 'leakhound_targets' | cut -f2)" = 3 ] ||
    fail "a bad targets file changed the targets: $(query leakhound_targets)"
grep -q "targets.json:1:[0-9]*: .*(keeping the current targets)" "$T/lh.err" ||
    fail "no file:line:col message for the bad targets file: $(tail -3 "$T/lh.err")"

# ---- stop --------------------------------------------------------------------
kill -TERM "$lh_pid"
for ((i = 0; i < 100; i++)); do
    kill -0 "$lh_pid" 2>/dev/null || break
    sleep 0.1
done
if kill -0 "$lh_pid" 2>/dev/null; then
    fail "leakhound did not stop within 10 s of SIGTERM"
else
    wait "$lh_pid"
    rc=$?
    [ "$rc" = 0 ] || fail "leakhound exited $rc on SIGTERM: $(tail -3 "$T/lh.err")"
fi

if ((failures)); then
    echo "--- leakhound log"
    tail -20 "$T/lh.err"
fi
finish "suspects of the leaky service in Prometheus (main.go:$heap_line, :$go_line), none for the control or the restarting service, churn followed"
