#!/usr/bin/env python3
"""A fault-injecting proxy in front of a Go service, for t_watch_faults.sh.

    faultproxy.py --addrfile FILE --faults SPEC [--slow S] [--log FILE] -- CMD ARGS...

The proxy starts the backend itself (CMD ARGS, where the word {addrfile} is
replaced by a file the backend writes its host:port to, as
tests/watche2e/svc does), listens on a loopback port, writes its own
host:port to --addrfile, and forwards every request to the backend -- except
the ones SPEC says to spoil.

Faults are keyed on the number of the request for /debug/pprof/heap (1, 2,
...): a watcher asks for the heap once per snapshot and once per retry, so
the schedule does not depend on how fast anything runs. SPEC is a comma
list of N:FAULT:

    500       answer HTTP 500
    trunc     forward, but send only the first half of the profile, with a
              Content-Length that matches what is sent
    slow      wait --slow seconds (beyond the watcher's timeout), then answer
    restart   kill the backend (SIGKILL) and start a new one -- its counters
              start from zero -- then forward to it
    gone      kill the backend, stop listening and exit: every later
              connection is refused

/debug/pprof/goroutineleak always answers 404, as a Go without the
goroutine leak profile does. Each decision is logged, one line per request,
to --log (default stderr), for the test's failure messages.
"""

import argparse
import http.client
import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import loopback  # noqa: E402 (tests/loopback.py)


def parse_faults(spec):
    faults = {}
    for item in filter(None, spec.split(",")):
        n, _, what = item.partition(":")
        if what not in ("500", "trunc", "slow", "restart", "gone"):
            sys.exit("faultproxy: unknown fault %r in %r" % (what, spec))
        faults[int(n)] = what
    return faults


class Backend:
    """The service behind the proxy: started, killed and restarted here."""

    def __init__(self, argv, workdir):
        self.argv = argv
        self.workdir = workdir
        self.proc = None
        self.addr = None
        self.starts = 0

    def start(self):
        self.starts += 1
        addrfile = os.path.join(self.workdir, "backend.%d.addr" % self.starts)
        argv = [a.replace("{addrfile}", addrfile) for a in self.argv]
        self.proc = subprocess.Popen(argv, stdout=sys.stderr)
        deadline = time.monotonic() + 60
        while not os.path.exists(addrfile):
            if self.proc.poll() is not None:
                sys.exit("faultproxy: backend exited with %s" % self.proc.returncode)
            if time.monotonic() > deadline:
                sys.exit("faultproxy: backend did not write %s" % addrfile)
            time.sleep(0.02)
        with open(addrfile) as f:
            self.addr = f.read().strip()

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()


class State:
    def __init__(self, faults, backend, slow, log):
        self.faults = faults
        self.backend = backend
        self.slow = slow
        self.log = log
        self.heap_requests = 0
        self.lock = threading.Lock()

    def say(self, text):
        with self.lock:
            self.log.write("%.3f %s\n" % (time.time(), text))
            self.log.flush()


def make_handler(state, server_box):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            pass

        def do_GET(self):
            path = self.path
            fault = None
            with state.lock:
                if path.startswith("/debug/pprof/heap"):
                    state.heap_requests += 1
                    n = state.heap_requests
                    fault = state.faults.get(n)
                    if fault == "restart":
                        state.backend.kill()
                        state.backend.start()
                else:
                    n = 0
                addr = state.backend.addr
            tag = "heap#%d" % n if n else path
            if path.startswith("/debug/pprof/goroutineleak"):
                state.say("%s -> 404" % path)
                return self.answer(404, b"Unknown profile\n", "text/plain")
            if fault == "gone":
                state.say("%s -> gone" % tag)
                state.backend.kill()
                server_box[0].socket.close()
                # Threads, connections and all: a vanished host.
                os._exit(0)
            if fault == "500":
                state.say("%s -> 500" % tag)
                return self.answer(500, b"internal error\n", "text/plain")
            if fault == "slow":
                state.say("%s -> slow (%gs)" % (tag, state.slow))
                time.sleep(state.slow)
            try:
                conn = http.client.HTTPConnection(addr, timeout=60)
                conn.request("GET", path)
                resp = conn.getresponse()
                body = resp.read()
                status, ctype = resp.status, resp.getheader("Content-Type", "application/octet-stream")
                conn.close()
            except OSError as e:
                state.say("%s -> backend error %s" % (tag, e))
                return self.answer(502, b"bad gateway\n", "text/plain")
            if fault == "trunc":
                state.say("%s -> truncated %d of %d bytes" % (tag, len(body) // 2, len(body)))
                body = body[: len(body) // 2]
            else:
                state.say("%s -> %d (%d bytes)%s" % (tag, status, len(body),
                                                     " after restart" if fault == "restart" else ""))
            try:
                self.answer(status, body, ctype)
            except OSError:
                pass  # the client gave up (a slow answer past its timeout)

        def answer(self, status, body, ctype):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--addrfile", required=True)
    ap.add_argument("--faults", default="")
    ap.add_argument("--slow", type=float, default=10.0)
    ap.add_argument("--log")
    ap.add_argument("--life", type=float, default=300.0, help="exit after this many seconds")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd and args.cmd[0] == "--" else args.cmd
    if not cmd:
        sys.exit("faultproxy: no backend command after --")
    log = open(args.log, "a", buffering=1) if args.log else sys.stderr
    backend = Backend(cmd, os.path.dirname(os.path.abspath(args.addrfile)))
    backend.start()
    state = State(parse_faults(args.faults), backend, args.slow, log)
    box = [None]
    server = loopback.listen(make_handler(state, box), args.addrfile)
    server.daemon_threads = True
    box[0] = server
    host, port = server.server_address[:2]

    def stop(*_):
        backend.kill()
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    threading.Timer(args.life, stop).start()
    state.say("listening on %s:%d, backend %s" % (host, port, backend.addr))
    try:
        server.serve_forever()
    finally:
        backend.kill()


if __name__ == "__main__":
    main()
