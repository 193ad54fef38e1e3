#!/usr/bin/env bash
# PROFILE arguments that are http:// URLs: top, diff, trend and goroutines
# read profiles from a tiny HTTP server on 127.0.0.1 (a random port, serving
# the profile fixtures), follow redirects, and fail with exit 2 and the URL
# in the message on 404, 500, a refused connection, a timeout, or an
# oversized body.
# The server stops by itself after 120 seconds even if this script dies.
source "${LH_SRC:?}/tests/lib.sh" fetch || exit 1
: "${LH:?}"
FIX=$LH_SRC/tests/testdata/profiles

cat >"$T/server.py" <<'PY'
import sys, time
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, sys.argv[1])
import loopback
root, addrfile = sys.argv[2], sys.argv[3]
class H(loopback.Files):
    root = root
    def do_GET(self):
        if self.path == "/debug/pprof/heap":
            self.send_response(302)
            self.send_header("Location", "/heap.pb.gz")
            self.end_headers()
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/boom":
            body = b"Unknown profile: boom\n"
            self.send_response(500)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/slow":
            time.sleep(5)
            self.send_response(404)
            self.end_headers()
        elif self.path == "/file-redirect":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        else:
            super().do_GET()
loopback.listen(H, addrfile, life=120).serve_forever()
PY
start_bg python3 "$T/server.py" "$LH_SRC/tests" "$FIX" "$T/addr" 2>"$T/server.err"
wait_file "$T/addr" "test HTTP server" "$T/server.err" || finish
U=http://$(cat "$T/addr")

# The same profile read from a file and over HTTP gives the same answer.
"$LH" top "$FIX/heap.pb.gz" --format json >"$T/file.json" 2>"$T/err"
check "top FILE exit" "$?" 0
"$LH" top "$U/heap.pb.gz" --format json >"$T/url.json" 2>"$T/err"
check "top URL exit" "$?" 0
check "top URL output equals top FILE output (but the profile name)" \
    "$(sed 's/"profile":"[^"]*"//' "$T/url.json")" "$(sed 's/"profile":"[^"]*"//' "$T/file.json")"
grep -q '"function":"main.allocBig"' "$T/url.json" || fail "top URL: main.allocBig missing"

# A redirect (as a proxy in front of /debug/pprof might send) is followed.
"$LH" top "$U/debug/pprof/heap" -n 1 >"$T/out" 2>"$T/err"
check "top through a redirect exit" "$?" 0
grep -q main.allocBig "$T/out" || fail "top through a redirect: $(cat "$T/out" "$T/err")"

# Text formats over HTTP too, and goroutines from two URLs.
"$LH" top "$U/heap.debug1.txt" -n 1 >"$T/out" 2>"$T/err"
check "top URL debug1 exit" "$?" 0
"$LH" goroutines "$U/goroutine.debug2.txt" "$U/goroutine.debug1.txt" --format json >"$T/out" 2>"$T/err"
rc=$?
case $rc in 0 | 1) ;; *) fail "goroutines URL URL: exit $rc: $(cat "$T/err")" ;; esac
grep -q '"function":"main.leakSend"' "$T/out" || fail "goroutines URL: main.leakSend missing"
"$LH" diff "$FIX/heap.pb.gz" "$U/heap.pb.gz" --format json >"$T/out" 2>"$T/err"
check "diff FILE URL exit" "$?" 0
grep -q '"net":0' "$T/out" || fail "diff of a profile with itself over HTTP is not zero: $(head -c 300 "$T/out")"

# Failures: exit 2, one line on stderr naming the URL and what went wrong.
# expect_error WHAT REGEX ARGS...
expect_error() {
    local what=$1 pattern=$2
    shift 2
    run 2 "$@"
    one_error_line "$what" "$pattern"
}
expect_error "404" "$U/nothing.pb.gz: HTTP status 404" top "$U/nothing.pb.gz"
expect_error "500 with a reason" "$U/boom: HTTP status 500 (Unknown profile: boom)" top "$U/boom"
expect_error "redirect loop" "$U/loop" top "$U/loop"
expect_error "redirect to file://" "$U/file-redirect" top "$U/file-redirect"
expect_error "not a profile" "$U/README: not a pprof profile" top "$U/README"
expect_error "body over the cap" "larger than 1024 bytes" top "$U/heap.debug1.txt" --max-inflate 1k
expect_error "--timeout" "$U/slow: Operation timed out" top "$U/slow" --timeout 500ms
# A port nobody listens on: take the server's and stop it last.
kill "${PIDS[@]}" 2>/dev/null
wait "${PIDS[@]}" 2>/dev/null
PIDS=()
expect_error "connection refused" "$U/heap.pb.gz" top "$U/heap.pb.gz"

finish
