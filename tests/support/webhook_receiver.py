"""A webhook receiver for tests: verifies every request's Standard Webhooks signature with the
`standardwebhooks` package from PyPI (an implementation independent of chamado's), and appends one JSON
line per request to a file, written before it answers:

    {"webhook_id", "timestamp", "type", "ticket", "verified", "path", "status", "user_agent", "at"}

`ticket` is the ticket's number (`data.ticket.number`; null for directory events), `verified` whether
one of the secrets verifies the signature, `status` what it answered, `at` the receiver's Unix time.

    python3 tests/support/webhook_receiver.py --port 0 --secret whsec_... [--secret whsec_...] --out FILE

`--port 0` takes a free port; the first line on stdout is `listening on HOST:PORT`. The path says how
to answer (segments in any order, other segments are free for naming endpoints):

    /status/<code>     answer <code> (default 200); /status/503/retry-after/<secs> adds Retry-After
    /fail-first/<n>    answer 500 to the first <n> requests to this path, then as the rest says
    /hang              never answer (until the client gives up)
    /slow/<ms>         wait <ms> milliseconds, then answer
    /redirect          answer 302 with Location: /status/200 on this receiver
    /big/<bytes>       answer with a body of <bytes> bytes

Used by the webhooks adapter's integration tests and the fault scripts (kill loops).
"""
import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook


class State:
    def __init__(self, secrets, out):
        self.verifiers = [Webhook(s) for s in secrets]
        self.out = out
        self.lock = threading.Lock()
        self.seen = {}

    def count(self, path):
        """How many requests to `path` came before this one."""
        with self.lock:
            n = self.seen.get(path, 0)
            self.seen[path] = n + 1
            return n

    def record(self, line):
        with self.lock:
            with open(self.out, "a", encoding="utf-8") as f:
                f.write(json.dumps(line) + "\n")
                f.flush()


def options(path):
    """The answer the path asks for: {status, retry_after, fail_first, hang, slow_ms, redirect}."""
    parts = [p for p in path.split("?", 1)[0].split("/") if p]
    o = {"status": 200, "retry_after": None, "fail_first": 0, "hang": False, "slow_ms": 0, "redirect": False, "big": 0}
    for i, p in enumerate(parts):
        arg = parts[i + 1] if i + 1 < len(parts) else None
        if p == "status" and arg and arg.isdigit():
            o["status"] = int(arg)
        elif p == "retry-after" and arg is not None:
            o["retry_after"] = arg
        elif p == "fail-first" and arg and arg.isdigit():
            o["fail_first"] = int(arg)
        elif p == "slow" and arg and arg.isdigit():
            o["slow_ms"] = int(arg)
        elif p == "hang":
            o["hang"] = True
        elif p == "redirect":
            o["redirect"] = True
        elif p == "big" and arg and arg.isdigit():
            o["big"] = int(arg)
    return o


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def log_message(self, format, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        verified = False
        payload = None
        for v in self.state.verifiers:
            try:
                payload = v.verify(body, headers)
                verified = True
                break
            except Exception:
                continue
        if payload is None:
            try:
                payload = json.loads(body)
            except Exception:
                payload = None
        ticket = None
        kind = None
        if isinstance(payload, dict):
            kind = payload.get("type")
            data = payload.get("data")
            if isinstance(data, dict) and isinstance(data.get("ticket"), dict):
                ticket = data["ticket"].get("number")

        o = options(self.path)
        status = o["status"]
        if o["fail_first"] and self.state.count(self.path) < o["fail_first"]:
            status = 500
        if o["redirect"]:
            status = 302
        self.state.record(
            {
                "webhook_id": headers.get("webhook-id"),
                "timestamp": headers.get("webhook-timestamp"),
                "type": kind,
                "ticket": ticket,
                "verified": verified,
                "path": self.path,
                "status": None if o["hang"] else status,
                "user_agent": headers.get("user-agent"),
                "at": time.time(),
            }
        )
        if o["hang"]:
            # Until the client gives up (the thread is a daemon: the process exits regardless).
            while True:
                time.sleep(3600)
        if o["slow_ms"]:
            time.sleep(o["slow_ms"] / 1000.0)
        answer = b"ok" if 200 <= status < 300 else b"no"
        if o["big"]:
            answer = b"x" * o["big"]
        if status in (204, 304) or status < 200:
            answer = b""  # no body allowed; one sent anyway would poison the kept-alive connection
        self.send_response(status)
        self.send_header("content-type", "text/plain")
        if answer or status not in (204, 304):
            self.send_header("content-length", str(len(answer)))
        if o["retry_after"] is not None:
            self.send_header("retry-after", o["retry_after"])
        if o["redirect"]:
            host, port = self.server.server_address[:2]
            self.send_header("location", "http://%s:%d/status/200" % (host, port))
        self.end_headers()
        try:
            self.wfile.write(answer)
        except (BrokenPipeError, ConnectionResetError):
            # A client that read enough and hung up (webhook senders read a bounded answer).
            self.close_connection = True


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0: a free port")
    p.add_argument("--secret", action="append", required=True, help="whsec_...; repeat for several")
    p.add_argument("--out", required=True, help="the JSON-lines file requests are appended to")
    args = p.parse_args()
    Handler.state = State(args.secret, args.out)
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    host, port = server.server_address[:2]
    print("listening on %s:%d" % (host, port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
