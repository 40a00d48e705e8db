"""Drives a helpdesk for the webhook end-to-end test: opens tickets and changes them through the REST API,
retrying each request until the helpdesk answers (it is being killed and restarted meanwhile). Every
request carries an Idempotency-Key, so a retry of a request whose answer was lost adds nothing twice.

    python3 webhook_load.py URL TOKEN TICKETS OUT

Writes the numbers of the tickets it opened to OUT, one per line.
"""
import json
import sys
import time
import urllib.error
import urllib.request

url, token, tickets, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]


def call(method, path, body, key):
    data = json.dumps(body).encode()
    for _ in range(600):
        req = urllib.request.Request(url + path, data=data, method=method)
        req.add_header("content-type", "application/json")
        req.add_header("authorization", "Bearer " + token)
        req.add_header("idempotency-key", key)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            if e.code >= 500 or e.code == 429:
                time.sleep(0.2)
                continue
            raise
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            time.sleep(0.2)
    raise SystemExit("the helpdesk did not answer %s %s" % (method, path))


run = str(int(time.time() * 1000))
with open(out, "w") as f:
    for i in range(tickets):
        t = call("POST", "/api/v1/tickets",
                 {"title": "hook %d" % i, "body": "x", "queue": "Raw", "customer_user": "alice"}, "%s-c-%d" % (run, i))
        n = t["number"]
        f.write(n + "\n")
        f.flush()
        call("POST", "/api/v1/tickets/%s/articles" % n, {"body": "looking", "internal": True}, "%s-a-%d" % (run, i))
        call("PATCH", "/api/v1/tickets/%s" % n, {"state": "open"}, "%s-s-%d" % (run, i))
        call("PATCH", "/api/v1/tickets/%s" % n, {"priority": 4}, "%s-p-%d" % (run, i))
        call("PATCH", "/api/v1/tickets/%s" % n, {"title": "hook %d done" % i}, "%s-t-%d" % (run, i))
