#!/usr/bin/env bash
# docs/ci.md's recipes, really run. Each `<!-- recipe: NAME -->` block is
# taken from the page and:
#   github    parsed as YAML and checked for what code scanning requires
#             (github/codeql-action/upload-sarif with sarif_file, the
#             permission security-events: write); its scan step is run with
#             GitHub's shell on a module with known leaks and the SARIF it
#             writes is checked for the fields GitHub reads;
#   gitlab    parsed; artifacts:reports:codequality names the file its
#             script writes; the script is run and the Code Quality JSON
#             checked (description, check_name, fingerprint, severity,
#             location.path, location.lines.begin);
#   pre-commit, pre-commit-hook   the hook definition must match
#             .pre-commit-hooks.yaml; pre-commit itself runs the hook from
#             a git copy of this repository on a Go repository: a commit
#             touching a leaking package fails, one touching a clean
#             package passes, testdata is left alone;
#   baseline  run as written: unchanged code passes, a new leak fails.
#
# Env: LH (leakhound binary), LH_SRC (source tree), LH_BUILD (build tree).
set -euo pipefail
: "${LH:?}" "${LH_SRC:?}" "${LH_BUILD:?}"
fail() { echo "t_ci_recipes: FAIL: $*" >&2; exit 1; }

T=$LH_BUILD/ci-recipes-test
rm -rf "$T" && mkdir -p "$T/bin"
ln -s "$LH" "$T/bin/leakhound"
export PATH="$T/bin:$PATH"
# A python with PyYAML: the one on PATH, else Debian's (python3-yaml).
PY=
for p in python3 /usr/bin/python3; do
    if "$p" -c 'import yaml' 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || fail "no python3 with PyYAML (scripts/dev.sh test installs python3-yaml)"

# The recipes, one file each.
"$PY" - "$LH_SRC/docs/ci.md" "$T" <<'PYEOF' || fail "extracting recipes from docs/ci.md"
import re, sys
doc = open(sys.argv[1]).read()
found = re.findall(r"<!-- recipe: ([a-z-]+) -->\n```[a-z]*\n(.*?)```", doc, re.S)
names = [n for n, _ in found]
assert sorted(names) == ["baseline", "github", "gitlab", "pre-commit", "pre-commit-hook"], names
for n, body in found:
    open("%s/recipe.%s" % (sys.argv[2], n), "w").write(body)
PYEOF

# A Go module with known leaks (the examples), and a clean package.
mkmod() {
    rm -rf "$1" && mkdir -p "$1"
    (cd "$LH_SRC/examples" && tar cf - --exclude=profiles .) | (cd "$1" && tar xf -)
    mkdir -p "$1/clean" "$1/deferloop/testdata"
    printf 'package clean\n\nfunc G() int { return 1 }\n' >"$1/clean/c.go"
    printf 'package x\n\nfunc f(xs []int) {\n\tfor range xs {\n\t\tdefer println()\n\t}\n}\n' \
        >"$1/deferloop/testdata/x.go"
}

# ---- GitHub Actions ------------------------------------------------------------------
"$PY" - "$T/recipe.github" "$T/github.steps" <<'PYEOF' || fail "github workflow: see above"
import sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
on = wf.get("on", wf.get(True))          # YAML 1.1 reads a bare `on` as true
assert "pull_request" in on and "push" in on, on
perms = wf["permissions"]
assert perms.get("security-events") == "write", perms
(job,) = wf["jobs"].values()
steps = job["steps"]
up = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
assert len(up) == 1, "one upload-sarif step: %r" % steps
sarif = up[0]["with"]["sarif_file"]
scan = [s for s in steps if "leakhound scan" in s.get("run", "")]
assert len(scan) == 1, steps
assert "--format sarif" in scan[0]["run"] and ("> " + sarif) in scan[0]["run"], (scan, sarif)
assert steps.index(scan[0]) < steps.index(up[0]), "scan before upload"
assert any(str(s.get("uses", "")).startswith("actions/checkout@") for s in steps), steps
open(sys.argv[2], "w").write(scan[0]["run"] + "\n" + sarif + "\n")
PYEOF
mkmod "$T/gh"
run_step=$(head -n -1 "$T/github.steps")
sarif=$(tail -1 "$T/github.steps")
# GitHub runs `run:` with bash --noprofile --norc -eo pipefail.
(cd "$T/gh" && bash --noprofile --norc -eo pipefail -c "$run_step") ||
    fail "github scan step failed: $run_step"
"$PY" - "$T/gh/$sarif" "$T/gh" <<'PYEOF' || fail "github: the SARIF file"
import json, os, sys
log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0" and "sarif-2.1.0" in log["$schema"], log.get("version")
(run,) = log["runs"]
assert run["tool"]["driver"]["name"] == "leakhound" and run["tool"]["driver"]["version"], run["tool"]
ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
res = run["results"]
assert len(res) >= 5, len(res)
for r in res:
    assert r["ruleId"] in ids and r["message"]["text"], r
    assert len(r["partialFingerprints"]["leakhound/v1"]) == 16, r
    loc = r["locations"][0]["physicalLocation"]
    uri = loc["artifactLocation"]["uri"]
    assert not uri.startswith("/") and os.path.isfile(os.path.join(sys.argv[2], uri)), uri
    assert loc["region"]["startLine"] >= 1, loc
    assert "testdata" not in uri, uri
PYEOF
# An error is not a pass: a missing package fails the step.
(cd "$T/gh" && bash --noprofile --norc -eo pipefail -c "${run_step/.\/..././missing}" 2>/dev/null) &&
    fail "github scan step passed on a missing package"

# ---- GitLab CI -------------------------------------------------------------------------
"$PY" - "$T/recipe.gitlab" "$T/gitlab.script" <<'PYEOF' || fail "gitlab job: see above"
import sys, yaml
ci = yaml.safe_load(open(sys.argv[1]))
(job,) = ci.values()
report = job["artifacts"]["reports"]["codequality"]
assert job["artifacts"].get("when") == "always", job["artifacts"]
script = job["script"]
assert any("--format codeclimate" in l and ("> " + report) in l for l in script), (script, report)
open(sys.argv[2], "w").write("\n".join(script) + "\n" + report + "\n")
PYEOF
mkmod "$T/gl"
report=$(tail -1 "$T/gitlab.script")
# GitLab runs each script line in a shell that stops at the first failure.
(cd "$T/gl" && sh -e -c "$(head -n -1 "$T/gitlab.script")") || fail "gitlab script failed"
"$PY" - "$T/gl/$report" "$T/gl" <<'PYEOF' || fail "gitlab: the Code Quality report"
import json, os, sys
issues = json.load(open(sys.argv[1]))
assert isinstance(issues, list) and len(issues) >= 5, issues
fps = set()
for v in issues:
    for k in ("description", "check_name", "fingerprint", "severity"):
        assert isinstance(v[k], str) and v[k], (k, v)
    assert v["severity"] in ("info", "minor", "major", "critical", "blocker"), v
    p = v["location"]["path"]
    assert not p.startswith("/") and os.path.isfile(os.path.join(sys.argv[2], p)), p
    assert isinstance(v["location"]["lines"]["begin"], int) and v["location"]["lines"]["begin"] >= 1, v
    fps.add(v["fingerprint"])
assert len(fps) == len(issues), "fingerprints must be unique"
PYEOF

# ---- pre-commit ------------------------------------------------------------------------
command -v pre-commit >/dev/null || fail "pre-commit not installed (scripts/dev.sh test installs it)"
"$PY" - "$T/recipe.pre-commit-hook" "$LH_SRC/.pre-commit-hooks.yaml" "$T/recipe.pre-commit" <<'PYEOF' ||
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
real = yaml.safe_load(open(sys.argv[2]))
assert isinstance(real, list) and len(real) == 1, real
for k, v in doc[0].items():
    assert real[0].get(k) == v, (k, v, real[0].get(k))
cfg = yaml.safe_load(open(sys.argv[3]))
assert [h["id"] for h in cfg["repos"][0]["hooks"]] == [real[0]["id"]], cfg
PYEOF
    fail "the hook in docs/ci.md differs from .pre-commit-hooks.yaml"
git_=(git -c user.name=t -c user.email=t@example.com -c init.defaultBranch=main -c commit.gpgsign=false)
H=$T/hookrepo
mkdir -p "$H/scripts"
cp "$LH_SRC/.pre-commit-hooks.yaml" "$H/"
cp "$LH_SRC/scripts/pre-commit-leakhound.sh" "$H/scripts/"
(cd "$H" && "${git_[@]}" init -q && "${git_[@]}" add -A && "${git_[@]}" commit -qm hook)
rev=$(git -C "$H" rev-parse HEAD)
R=$T/gorepo
mkmod "$R"
# The recipe's config, pointed at the local copy and its commit.
sed -e "s|repo: https://[^ ]*|repo: $H|" -e "s|rev: [^ ]*|rev: $rev|" "$T/recipe.pre-commit" \
    >"$R/.pre-commit-config.yaml"
(cd "$R" && "${git_[@]}" init -q && "${git_[@]}" add -A && "${git_[@]}" commit -qm base)
export PRE_COMMIT_HOME=$T/pre-commit-home
pc() { (cd "$R" && pre-commit run --files "$@") >"$T/pc.out" 2>&1; }
pc deferloop/main.go && fail "pre-commit passed a leaking package: $(cat "$T/pc.out")"
grep -q 'deferloop/main.go:19:3: defer-in-loop' "$T/pc.out" || fail "pre-commit output: $(cat "$T/pc.out")"
grep -q 'bodyclose' "$T/pc.out" && fail "pre-commit scanned an unchanged package: $(cat "$T/pc.out")"
pc clean/c.go || fail "pre-commit failed a clean package: $(cat "$T/pc.out")"
pc deferloop/testdata/x.go || fail "pre-commit scanned testdata: $(cat "$T/pc.out")"
pc go.mod || fail "pre-commit on no Go file: $(cat "$T/pc.out")"

# ---- baseline --------------------------------------------------------------------------
B=$T/bl
mkmod "$B"
mapfile -t lines < <(grep -v '^#' "$T/recipe.baseline" | sed '/^$/d')
[ ${#lines[@]} = 2 ] || fail "baseline recipe: want 2 commands, got: ${lines[*]}"
(cd "$B" && sh -e -c "${lines[0]}") || fail "recording the baseline: ${lines[0]}"
(cd "$B" && sh -e -c "${lines[1]}") >"$T/bl.out" 2>&1 || fail "unchanged code fails: $(cat "$T/bl.out")"
# Lines added above the old finding: still known.
sed -i '1s|^|// Package main.\n|' "$B/deferloop/main.go"
(cd "$B" && sh -e -c "${lines[1]}") >"$T/bl.out" 2>&1 || fail "moved finding fails: $(cat "$T/bl.out")"
# A new leak fails the build and is the only finding printed.
printf 'package clean\n\nimport "os"\n\nfunc H(ps []string) {\n\tfor _, p := range ps {\n\t\tf, _ := os.Open(p)\n\t\tdefer f.Close()\n\t}\n}\n' \
    >"$B/clean/h.go"
rc=0
(cd "$B" && sh -e -c "${lines[1]}") >"$T/bl.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "a new leak: exit $rc, want 1: $(cat "$T/bl.out")"
grep -v '^clean/h.go:' "$T/bl.out" && fail "old findings reported with the baseline (above)"
grep -q '^clean/h.go:8:3: defer-in-loop' "$T/bl.out" || fail "new leak not reported: $(cat "$T/bl.out")"
echo "t_ci_recipes: ok"
