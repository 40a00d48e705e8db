"""Checks what a webhook receiver got against the helpdesk's event feed:

    python3 webhook_check.py URL TOKEN CURSOR RECEIVED NUMBERS [WAIT_SECONDS]

Every event the feed holds after CURSOR must have reached the receiver (at least once, with a signature
the `standardwebhooks` package verified); each ticket's events must have arrived in the feed's order
(counting each event's first arrival; later copies are retries, recognisable by their webhook-id); every
ticket in NUMBERS must have its `ticket.created`. Waits up to WAIT_SECONDS (default 90) for stragglers.
"""
import collections
import json
import sys
import time
import urllib.request

url, token, cursor, received, numbers = sys.argv[1:6]
wait = float(sys.argv[6]) if len(sys.argv) > 6 else 90.0


def feed():
    events, after = [], cursor
    while True:
        req = urllib.request.Request("%s/api/v1/events?after=%s&limit=1000" % (url, after))
        req.add_header("authorization", "Bearer " + token)
        with urllib.request.urlopen(req, timeout=30) as r:
            page = json.loads(r.read())
        if not page["events"]:
            return events
        events.extend(page["events"])
        after = page["next_cursor"]


def got():
    lines = []
    with open(received) as f:
        for line in f:
            if line.strip():
                lines.append(json.loads(line))
    return lines


deadline = time.time() + wait
while True:
    want = feed()
    lines = got()
    delivered = {l["webhook_id"] for l in lines if l["status"] < 300}
    missing = [e for e in want if e["id"] not in delivered]
    if not missing or time.time() > deadline:
        break
    time.sleep(1)

bad = []
if missing:
    bad.append("%d of %d events never delivered, e.g. %s" % (len(missing), len(want), [(m["type"], m["id"]) for m in missing[:5]]))
unverified = [l for l in lines if not l["verified"]]
if unverified:
    bad.append("%d requests failed signature verification" % len(unverified))
first = {}
for i, l in enumerate(lines):
    if l["status"] < 300:
        first.setdefault(l["webhook_id"], i)
per_ticket = collections.defaultdict(list)
for e in want:
    per_ticket[e["data"]["ticket"]["number"] if e["data"].get("ticket") else None].append(e["id"])
for ticket, ids in per_ticket.items():
    if ticket is None:
        continue
    arrived = sorted((first[i] for i in ids if i in first))
    if [first[i] for i in ids if i in first] != arrived:
        bad.append("ticket %s: events arrived out of order" % ticket)
created = {e["data"]["ticket"]["number"] for e in want if e["type"] == "ticket.created"}
opened = [n.strip() for n in open(numbers) if n.strip()]
lost = [n for n in opened if n not in created]
if lost:
    bad.append("acknowledged tickets without ticket.created: %s" % lost[:5])
if bad:
    sys.exit("; ".join(bad))
copies = sum(1 for l in lines if l["status"] < 300) - len(delivered)
print("%d events for %d tickets: all delivered and verified, in order per ticket (%d duplicate copies, same webhook-id)"
      % (len(want), len(opened), copies))
