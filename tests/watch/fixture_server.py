#!/usr/bin/env python3
"""A net/http/pprof stand-in for the watch tests: serves a watch saved with
`leakhound watch --save` (tests/testdata/watch/*) back, one recorded snapshot
per heap request, so a watch sees the recorded service again.

  fixture_server.py DIR ADDRFILE [--seq 0-6,0-6] [--end hold|exit]
                    [--fault I:KIND:WHAT ...]

--seq     the recorded snapshots to play, in order (0-6,0-6: a restart)
--end     after the last: keep serving it (hold) or stop listening (exit:
          the service goes away)
--fault   at played snapshot I, the first request for KIND (heap, goroutine)
          answers WHAT once: 500, 404, truncate (half the body, then the
          connection closes), slow (3 s)
Endpoints not recorded (goroutineleak, /debug/vars) answer 404, as a Go
service without them does.
"""
import gzip
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import loopback  # noqa: E402 (tests/loopback.py)


def parse_args(argv):
    opts = {"seq": None, "end": "hold", "faults": {}}
    d, addrfile = argv[0], argv[1]
    i = 2
    while i < len(argv):
        a = argv[i]
        if a == "--seq":
            opts["seq"] = argv[i + 1]
        elif a == "--end":
            opts["end"] = argv[i + 1]
        elif a == "--fault":
            idx, kind, what = argv[i + 1].split(":")
            opts["faults"][(int(idx), kind)] = what
        else:
            sys.exit("fixture_server: unknown argument " + a)
        i += 2
    return d, addrfile, opts


def load(d):
    snaps = []
    with open(os.path.join(d, "watch.tsv")) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if parts[0] == "snap":
                snaps.append({})
            elif parts[0] == "file":
                snaps[-1][parts[2]] = os.path.join(d, parts[3])
    return snaps


def expand(seq, n):
    if not seq:
        return list(range(n))
    out = []
    for part in seq.split(","):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def body_of(path):
    with open(path, "rb") as f:
        data = f.read()
    # Dumps are stored gzipped; a Go service sends them as text.
    if path.endswith(".txt.gz"):
        data = gzip.decompress(data)
    return data


def main():
    d, addrfile, opts = parse_args(sys.argv[1:])
    snaps = load(d)
    order = expand(opts["seq"], len(snaps))
    state = {"played": -1, "done": set()}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self, code, data=b"", ctype="application/octet-stream"):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            path = self.path.split("?")[0]
            kind = path.rsplit("/", 1)[-1]
            if path.startswith("/debug/pprof/") and kind == "heap":
                with lock:
                    if state["played"] + 1 >= len(order) and opts["end"] == "exit":
                        # Gone: stop listening, the next connection is refused.
                        threading.Thread(target=server.shutdown).start()
                        self.close_connection = True
                        return
                    state["played"] = min(state["played"] + 1, len(order) - 1)
            with lock:
                i = state["played"]
            if i < 0 or not path.startswith("/debug/pprof/"):
                return self.answer(404, b"404 page not found\n", "text/plain")
            snap = snaps[order[i]]
            if kind not in snap:
                return self.answer(404, b"Unknown profile\n", "text/plain")
            data = body_of(snap[kind])
            fault = opts["faults"].get((i, kind))
            with lock:
                if fault and (i, kind) not in state["done"]:
                    state["done"].add((i, kind))
                    if kind == "heap":
                        state["played"] -= 1   # the retry gets snapshot i again
                else:
                    fault = None
            if fault == "500":
                return self.answer(500, b"internal error\n", "text/plain")
            if fault == "404":
                return self.answer(404, b"404 page not found\n", "text/plain")
            if fault == "truncate":
                # The connection breaks halfway: the length promised, half sent.
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            if fault == "slow":
                time.sleep(3)
            self.answer(200, data)

    server = loopback.listen(Handler, addrfile)
    server.serve_forever()


if __name__ == "__main__":
    main()
