"""Shared by the tests' stand-in HTTP servers (the profile tests' fixture
servers, tests/watch/fixture_server.py, tests/watche2e/faultproxy.py): they
listen on a free port of 127.0.0.1 and say where by writing "host:port" to a
file, whole or not at all (written aside, then renamed), for the test's
wait_file (tests/lib.sh) to find."""
import http.server
import os
import threading


def listen(handler, addrfile, life=None):
    """A threading server for handler on 127.0.0.1, its address written to
    addrfile; with life (seconds), it stops serving by itself after that
    long, so a test that dies cannot leave it behind."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    with open(addrfile + ".tmp", "w") as f:
        f.write("%s:%d\n" % server.server_address[:2])
    os.rename(addrfile + ".tmp", addrfile)
    if life is not None:
        threading.Timer(life, server.shutdown).start()
    return server


class Files(http.server.SimpleHTTPRequestHandler):
    """Serves the files under the server's root (set root on a subclass),
    without a log line per request; send_file answers with one file."""
    root = "."

    def __init__(self, *a, **k):
        super().__init__(*a, directory=self.root, **k)

    def log_message(self, *a):
        pass

    def send_file(self, path):
        body = open(path, "rb").read()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
