#!/usr/bin/env bash
# Real-code corpus for reviewing `leakhound scan`: Debian's packaged Go
# sources of large projects (and, through their Depends, their
# dependencies). Idempotent: apt-get installs only what is missing.
# Everything lands under /usr/share/gocode/src. Prints the corpus size.
#
#   bash bench/corpus.sh            # install (needs root) and print the size
#   bash bench/corpus.sh --size     # only print the size
#   bash bench/corpus.sh --scan LEAKHOUND OUTDIR
#       also runs `LEAKHOUND scan --format json ./...` once per project:
#       every go.mod directory (nested modules are their own run, as the go
#       command's ./... stops at them) and every repository root whose Go
#       files have no go.mod above them (docker 20.10, distribution,
#       libnetwork...; their import paths are then _/abs/dir). Writes
#       OUTDIR/runs.tsv (dir, exit, wall seconds, peak KB, findings, CPU
#       seconds: user + system) and OUTDIR/findings.tsv (rule, abs file,
#       line, col, message). The summary line gives the total wall and CPU
#       time and the largest run's peak RSS: on a machine other jobs load,
#       the CPU time is the number to compare between builds. Then one
#       more run, `LEAKHOUND scan --all-modules --format json ./...` at the
#       corpus root: every module in one invocation, packages of other
#       modules in the corpus known to it (the issue's measurement: the
#       whole corpus, one scan, 2 cores). Writes OUTDIR/all.json and prints
#       its wall, CPU, peak RSS and how its findings differ from the runs'.
#   bash bench/corpus.sh --scan-all LEAKHOUND OUTDIR
#       only that single run.
#
# database/sql users (lib-pq, mysql, sqlx) are there for unclosed-rows.
set -euo pipefail

PKGS=(
  golang-github-docker-docker-dev          # moby 20.10 (pulls containerd, distribution...)
  golang-github-containerd-containerd-dev
  golang-etcd-server-dev                   # etcd 3.4
  golang-google-grpc-dev
  golang-github-syncthing-syncthing-dev
  golang-github-prometheus-client-golang-dev
  golang-github-prometheus-common-dev
  golang-github-prometheus-alertmanager-dev
  golang-github-lib-pq-dev
  golang-github-go-sql-driver-mysql-dev
  golang-github-jmoiron-sqlx-dev
  golang-github-hashicorp-memberlist-dev
  golang-github-hashicorp-raft-dev
  golang-github-hashicorp-serf-dev
  golang-github-hashicorp-go-plugin-dev
  golang-github-hashicorp-go-retryablehttp-dev
)
ROOT=/usr/share/gocode/src

MODE=${1:-}
if [ "$MODE" != "--size" ]; then
  missing=()
  for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then echo "corpus.sh: need root to install: ${missing[*]}" >&2; exit 2; fi
    # The candidate lists may be stale or absent on a fresh machine.
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

[ -d "$ROOT" ] || { echo "corpus.sh: $ROOT missing" >&2; exit 2; }
# -L: Debian links some import paths to others; count each file once (find -L
# would follow links into the same files), so count regular files only.
files=$(find "$ROOT" -type f -name '*.go' | wc -l)
tests=$(find "$ROOT" -type f -name '*_test.go' | wc -l)
bytes=$(find "$ROOT" -type f -name '*.go' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
mods=$(find "$ROOT" -type f -name go.mod | wc -l)
printf 'corpus: %s: %d .go files (%d _test.go), %.1f MB of Go source, %d go.mod files\n' \
  "$ROOT" "$files" "$tests" "$(awk -v b="$bytes" 'BEGIN{print b/1048576}')" "$mods"

[ "$MODE" = "--scan" ] || [ "$MODE" = "--scan-all" ] || exit 0
LH=$(realpath "${2:?$MODE LEAKHOUND OUTDIR}"); OUT=$(realpath -m "${3:?$MODE LEAKHOUND OUTDIR}")
mkdir -p "$OUT/json"
cd "$ROOT"

# The whole corpus in one scan. Its findings may differ from the runs' in a
# few places, each for one reason: a package of another module in the corpus
# is analysed in the same scan, so a call into it is known instead of
# unknown (a file handed to another module's function that neither closes
# nor keeps it is then a leak; a testify require that may end the goroutine
# is then a way out).
scan_all() {
  local rc=0
  /usr/bin/time -f '%e %M %U %S' -o "$OUT/all.time" \
    "$LH" scan --all-modules --format json ./... > "$OUT/all.json" 2> "$OUT/all.err" || rc=$?
  read -r secs kb usr sys < <(tail -1 "$OUT/all.time")
  python3 - "$OUT/all.json" "$ROOT" "$OUT/findings.tsv" "$secs" "$kb" "$usr" "$sys" "$rc" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, os, sys
js, root, tsv, secs, kb, usr, sys_, rc, load = sys.argv[1:]
d = json.load(open(js))
st = d.get('stats', {})
mine = set((f['rule'], os.path.normpath(os.path.join(root, f['file'])), f['line'], f['col'])
           for f in d['findings'])
print('scan, one run (--all-modules): %s s wall, %.1f s cpu, peak RSS %s KB, %d findings, '
      '%s packages, %s files, exit %s; load %s'
      % (secs, float(usr) + float(sys_), kb, len(d['findings']), st.get('packages'),
         st.get('files'), rc, load))
if os.path.exists(tsv) and os.path.getsize(tsv):
    runs = set()
    for l in open(tsv):
        r, f, li, co, _ = l.rstrip('\n').split('\t', 4)
        runs.add((r, f, int(li), int(co)))
    for tag, xs in (('only in the one run', mine - runs), ('only in the per-project runs', runs - mine)):
        print('  %d %s' % (len(xs), tag))
        for x in sorted(xs):
            print('    %s %s:%d:%d' % x)
PY
}
if [ "$MODE" = "--scan-all" ]; then scan_all; exit 0; fi
find . -name go.mod -type f -not -path '*/testdata/*' -not -path '*/vendor/*' \
  | sed 's|/go.mod$||' | sort > "$OUT/modules.txt"
# Repository roots (host/owner/repo, or host/repo for gopkg.in-style hosts)
# holding Go files with no go.mod above them.
python3 - "$OUT/modules.txt" > "$OUT/nomodule.txt" <<'PY'
import os, sys
mods = set(l.strip() for l in open(sys.argv[1]))
two = {'google.golang.org', 'gopkg.in', 'go.etcd.io', 'go.uber.org', 'sigs.k8s.io',
       'rsc.io', 'go.mongodb.org', 'go.opencensus.io', 'gotest.tools', 'labix.org',
       'launchpad.net'}
roots = set()
for d, ds, fs in os.walk('.'):
    parts = d.split('/')
    if 'testdata' in parts or 'vendor' in parts or not any(f.endswith('.go') for f in fs):
        continue
    a = d
    while a not in ('.', '') and a not in mods:
        a = os.path.dirname(a)
    if a in ('.', ''):
        p = parts[1:]
        roots.add('./' + '/'.join(p[:2 if p[0] in two else 3]))
print('\n'.join(sorted(roots)))
PY
: > "$OUT/runs.tsv"; : > "$OUT/findings.tsv"
cat "$OUT/modules.txt" "$OUT/nomodule.txt" | while read -r d; do
  [ -n "$d" ] || continue
  tag=$(echo "${d#./}" | tr '/' '_')
  rc=0
  ( cd "$d" && /usr/bin/time -f '%e %M %U %S' -o "$OUT/json/$tag.time" \
      "$LH" scan --format json ./... > "$OUT/json/$tag.json" 2> "$OUT/json/$tag.err" ) || rc=$?
  read -r secs kb usr sys < <(tail -1 "$OUT/json/$tag.time")
  n=$(python3 - "$OUT/json/$tag.json" "$ROOT/${d#./}" "$OUT/findings.tsv" <<'PY'
import json, os, sys
try:
    fs = json.load(open(sys.argv[1]))
except Exception:
    fs = []
if isinstance(fs, dict):    # scan's JSON object: {"findings": [...], "errors", "stats"}
    fs = fs.get('findings', [])
with open(sys.argv[3], 'a') as o:
    for f in fs:
        o.write('%s\t%s\t%d\t%d\t%s\n' % (f['rule'], os.path.normpath(os.path.join(sys.argv[2], f['file'])),
                                       f['line'], f['col'], f['message'].replace('\t', ' ')))
print(len(fs))
PY
)
  cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "${d#./}" "$rc" "$secs" "$kb" "$n" "$cpu" >> "$OUT/runs.tsv"
done
awk -F'\t' '{s+=$3; c+=$6; if ($4>m) m=$4; n+=$5} END {printf "scan: %d runs, %.1f s wall, %.1f s cpu total, peak RSS %d KB (largest run), %d findings; load %s\n", NR, s, c, m, n, load}' \
  load="$(cut -d' ' -f1-3 /proc/loadavg)" "$OUT/runs.tsv"
cut -f1 "$OUT/findings.tsv" | sort | uniq -c | sort -rn
scan_all
