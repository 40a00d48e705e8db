"""Checks what tests/faults_load.py recorded against a running helpdesk: every acknowledged ticket and
mail is there exactly once, and no ticket number is used twice.

usage: faults_check.py URL TOKEN ACKS_JSON PREFIX [CUSTOMER_USER]
Prints one summary line; exits 1 with the problems listed when any check fails.
"""

import collections
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

url, token, acks_file, prefix = sys.argv[1:5]
customer_user = sys.argv[5] if len(sys.argv) > 5 else "alice"
acks = json.load(open(acks_file))


def get(path):
    req = urllib.request.Request(url + path, headers={"Authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, None


# Every ticket of the customer user, page by page.
tickets = []
cursor = None
while True:
    q = {"customer_user": customer_user, "limit": "500"}
    if cursor:
        q["cursor"] = cursor
    status, page = get("/api/v1/tickets?" + urllib.parse.urlencode(q))
    if status != 200:
        sys.exit("listing the tickets answered %d" % status)
    tickets += page["tickets"]
    cursor = page.get("next_cursor")
    if not cursor:
        break

problems = []
numbers = collections.Counter(t["number"] for t in tickets)
problems += ["ticket number %s listed %d times" % (n, c) for n, c in numbers.items() if c > 1]
titles = collections.Counter(t["title"] for t in tickets if t["title"].startswith(prefix))
problems += ["%r opened %d tickets" % (m, c) for m, c in titles.items() if c > 1]

for marker, number in acks["http"].items():
    status, doc = get("/api/v1/tickets/" + urllib.parse.quote(number))
    if status != 200:
        problems.append("acknowledged ticket %s (%s) answers %d" % (number, marker, status))
    elif doc["title"] != marker or not any(marker in a["body"] for a in doc["articles"]):
        problems.append("ticket %s holds %r, not %r" % (number, doc["title"], marker))
    if titles[marker] != 1:
        problems.append("acknowledged ticket %s (%s) is listed %d times" % (number, marker, titles[marker]))
for marker in acks["smtp"]:
    if titles[marker] != 1:
        problems.append("acknowledged mail %s is in %d tickets" % (marker, titles[marker]))

print(
    "acknowledged: %d http, %d smtp; stored: %d tickets with the marker, %d distinct numbers; "
    "refused or unanswered attempts: http %s, smtp %s; problems: %d"
    % (
        len(acks["http"]),
        len(acks["smtp"]),
        sum(titles.values()),
        len(numbers),
        acks["http_errors"] or "{}",
        acks["smtp_errors"] or "{}",
        len(problems),
    )
)
for p in problems[:50]:
    print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
