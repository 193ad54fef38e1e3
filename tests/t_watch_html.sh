#!/usr/bin/env bash
# The HTML report of `leakhound watch` in a real browser: each fixture report
# (tests/watchhtml/fixtures.c, written by lh_watchhtml), and the saved real
# watches of tests/testdata/watch through `watch --load DIR --html`, is opened
# in headless Chromium with a checking script injected into a copy of it
# (tests/watchhtml/check.js): every chart renders (a path with length, or
# dots, inside its box; or the no-data text where there is no data), there
# are no console errors, no script errors and no Content-Security-Policy
# violations (the report's policy forbids loading anything), the verdict is
# at the top and the first suspect is on the first screen, nothing is wider
# than the window. A control page with a broken chart, a script error and an
# image from the network must fail each of those checks, so the checker is
# known to see them. A screenshot of the leak report is kept in
# $LH_SCREENSHOT when set (for a person to look at).
#
# Skips, with the reason, only when chromium is missing and CI is not set;
# scripts/dev.sh test installs it.
set -uo pipefail
: "${LH_SRC:?}" "${LH_BUILD:?}"
name=t_watch_html
chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chrome" ]; then
    if [ -n "${CI:-}" ]; then
        echo "$name: FAIL: chromium is not installed (scripts/dev.sh test installs it)"
        exit 1
    fi
    echo "$name: skipped: chromium is not installed (apt-get install chromium; scripts/dev.sh test does)"
    exit 77   # ctest: Not Run (Skipped), in the summary
fi
source "$LH_SRC/tests/lib.sh" html || exit 1

"$LH_BUILD/lh_watchhtml" "$T" "$LH_SRC/tests/watchhtml/testdata" || { echo "$name: FAIL: lh_watchhtml"; exit 1; }

# The sandbox needs user namespaces, which containers (and root) often lack;
# the pages are our own files. A fresh profile per run so parallel runs do
# not share a lock. Generous timeouts: the machine may be loaded.
flags=(--headless --no-sandbox --disable-gpu --no-first-run --no-default-browser-check
       --disable-extensions --disable-background-networking --disable-component-update
       --disable-sync --hide-scrollbars --window-size=1280,1000 --user-data-dir="$T/profile")

# instrument IN OUT: OUT is IN with the error recorder first in <head>, the
# checker last in <body>, and inline scripts allowed by the page's policy
# (nothing else is: loads still fail and are reported).
instrument() {
    python3 - "$1" "$2" "$LH_SRC/tests/watchhtml/check.js" <<'PY'
import sys
src, dst, js = sys.argv[1], sys.argv[2], open(sys.argv[3]).read()
page = open(src, encoding="utf-8").read()
rec = ("<script>window.__lhErrors=[];"
       "addEventListener('error',function(e){__lhErrors.push('error: '+(e.message||(e.target&&e.target.outerHTML)))},true);"
       "document.addEventListener('securitypolicyviolation',function(e){__lhErrors.push('policy: '+e.violatedDirective+' '+e.blockedURI)});"
       "var ce=console.error;console.error=function(){__lhErrors.push('console.error: '+[].join.call(arguments,' '));ce.apply(console,arguments)};"
       "</script>")
policy = "default-src 'none'; "
assert page.count(policy) == 1 and page.count("<head>") == 1 and page.count("</body>") == 1, "report shape"
page = page.replace(policy, policy + "script-src 'unsafe-inline'; ")
page = page.replace("<head>", "<head>" + rec.replace("<head>", ""), 1)
page = page.replace("</body>", "<script>" + js + "</script></body>")
open(dst, "w", encoding="utf-8").write(page)
PY
}

# render PAGE: runs the checker in chromium; its lines in $T/PAGE.check,
# chromium's console log lines in $T/PAGE.console.
render() {
    local page=$1
    instrument "$T/$page.html" "$T/$page.checked.html" || { fail "$page: could not instrument"; return 1; }
    timeout 120 "$chrome" "${flags[@]}" --enable-logging=stderr --v=0 --virtual-time-budget=5000 \
        --dump-dom "file://$T/$page.checked.html" >"$T/$page.dom" 2>"$T/$page.err"
    python3 - "$T/$page.dom" >"$T/$page.check" <<'PY'
import html, re, sys
m = re.findall(r'<pre id="lh-check">(.*?)</pre>', open(sys.argv[1], encoding="utf-8", errors="replace").read(), re.S)
print(html.unescape(m[-1]) if m else "FAIL the checker never ran")
PY
    grep -a 'CONSOLE' "$T/$page.err" >"$T/$page.console" || true
}

# expect PAGE LINE...: each line is in the checker's output, and nothing failed.
expect() {
    local page=$1 line
    shift
    render "$page"
    if grep -q '^FAIL' "$T/$page.check" || [ -s "$T/$page.console" ]; then
        fail "$page: $(grep '^FAIL' "$T/$page.check" | head -5 | tr '\n' ';') $(head -3 "$T/$page.console")"
        return
    fi
    for line in "$@" "done"; do
        if [ "$line" = suspect1-shown ]; then
            grep -q '^suspect1 first-screen 1\. ' "$T/$page.check" ||
                fail "$page: the first suspect is not on the first screen: $(tr '\n' ';' <"$T/$page.check")"
            continue
        fi
        grep -qxF "$line" "$T/$page.check" || fail "$page: no '$line' in: $(tr '\n' ';' <"$T/$page.check")"
    done
}

expect leak "charts 5 drawn 5 empty 0" "suspects 3" \
    "suspect1 first-screen 1. example.com/svc.(*Cache[go.shape.string,go.shape.interface {}]).Put"
expect steady "charts 2 drawn 2 empty 0" "suspects 0"
expect empty "charts 1 drawn 0 empty 1" "suspects 0"
expect one "charts 3 drawn 3 empty 0" "suspects 1" "suspect1 first-screen 1. main.worker"
expect hostile "charts 4 drawn 4 empty 0" "suspects 2" \
    "suspect1 first-screen 1. main.Map[go.shape.*uint8,go.shape.struct { F func() <-chan int }]"
expect many "charts 27 drawn 27 empty 0" "suspects 25" "suspect1 after-scroll 1. example.com/svc.site001"
expect rss "charts 2 drawn 2 empty 0" "suspects 1" "suspect1 first-screen 1. The process"
expect long "charts 3 drawn 3 empty 0" "suspects 1" "suspect1 first-screen 1. main.(*store).add"

# Real watches through the command: the saved watches of t_watch_cli
# re-analysed with --load and written with --html. Their suspects are the
# watcher's to name; here every chart must draw and the first suspect show.
if [ -n "${LH:-}" ]; then
    for w in body warmleak warmup; do
        "$LH" watch --load "$LH_SRC/tests/testdata/watch/$w" --html "$T/real-$w.html" >/dev/null 2>"$T/real-$w.err"
        rc=$?
        [ "$rc" -le 1 ] || { fail "watch --load $w --html: exit $rc: $(head -3 "$T/real-$w.err")"; continue; }
        if [ "$rc" -eq 1 ]; then
            expect "real-$w" "suspect1-shown"
        else
            expect "real-$w" "suspects 0"
        fi
        grep -qE '^charts ([0-9]+) drawn \1 empty 0$' "$T/real-$w.check" ||
            fail "real-$w: not every chart drawn: $(grep '^charts' "$T/real-$w.check")"
    done
fi

# The control: the leak report with a chart's line emptied, a script error
# and an image from the network. Each must be caught.
python3 - "$T/leak.html" "$T/control.html" <<'PY'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
page = re.sub(r'<g class="series heap">.*?</g>', '', page, count=1, flags=re.S)
page = re.sub(r'(<path class="line" d=")[^"]*', r'\1', page, count=1)
page = page.replace("</main>", "<img src=\"http://127.0.0.1:9/x.png\"></main>", 1)
page = page.replace("</main>", "<script>notDefined()</script></main>", 1)
open(sys.argv[2], "w", encoding="utf-8").write(page)
PY
render control
c=$T/control.check
grep -q '^FAIL error: Uncaught ReferenceError: notDefined' "$c" || fail "control: script error not caught: $(tr '\n' ';' <"$c")"
grep -q '^FAIL policy: img-src http://127.0.0.1:9/x.png' "$c" || fail "control: network image not caught: $(tr '\n' ';' <"$c")"
grep -q '^FAIL chart 0 has nothing drawn' "$c" || fail "control: undrawn chart not caught: $(tr '\n' ';' <"$c")"
grep -q 'empty or stray marks' "$c" || fail "control: empty path not caught: $(tr '\n' ';' <"$c")"
grep -q 'notDefined' "$T/control.console" || fail "control: chromium's console log lacks the error (is --enable-logging still honoured?)"

if [ -n "${LH_SCREENSHOT:-}" ]; then
    timeout 120 "$chrome" "${flags[@]}" --window-size=1280,2400 --screenshot="$LH_SCREENSHOT" \
        "file://$T/leak.html" >/dev/null 2>&1 || fail "screenshot"
fi

finish "8 reports and 3 real watches rendered in $("$chrome" --version 2>/dev/null | head -1), control page caught"
