#!/usr/bin/env bash
# Two helpdesk processes on one PostgreSQL database.
# 1. Mail through both: every message is sent to both nodes' SMTP intake at once (same Message-ID); each
#    acknowledged message must be one ticket, however the two nodes raced. An agent reply per ticket, made
#    through either node, must reach the relay (an aiosmtpd sink) exactly once although both nodes run
#    outbox delivery.
# 2. Tickets created through both at once over HTTP, one node killed with SIGKILL mid-load, the other
#    carrying on: every acknowledged (201) ticket present, every number once.
# Needs CHAMADO_TEST_DATABASE_URL (skips with a notice otherwise), python3 with aiosmtpd; run after
# `cargo test --workspace` built the helpdesk example. Takes well under a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${CHAMADO_TEST_DATABASE_URL:-}" ]; then
  echo "postgres_nodes_e2e: skipped (set CHAMADO_TEST_DATABASE_URL)"; exit 0
fi
bin=${CARGO_TARGET_DIR:-target}/debug/examples/helpdesk
mails=${MAILS:-30}
work=$(mktemp -d)
db="chamado_nodes_$$"
base="${CHAMADO_TEST_DATABASE_URL%/*}"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  psql "$CHAMADO_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "postgres_nodes_e2e: FAILED: $*" >&2; tail -n 20 "$work"/node*.log >&2 || true; exit 1; }
. tests/support/lib.sh
[ -x "$bin" ] || fail "$bin is missing: build the helpdesk example first"

# The relay: an SMTP sink writing each message to a file.
RELAY=$(port)
start_sink "$RELAY" "$work/relay"

psql "$CHAMADO_TEST_DATABASE_URL" -qc "CREATE DATABASE $db" >/dev/null
TOKEN="e2e-admin-token-$(date +%s)-0123456789"
node() { # name http-port smtp-port
  mkdir -p "$work/$1"
  CHAMADO_DATABASE_URL="$base/$db" CHAMADO_DATA_DIR="$work/$1" CHAMADO_HTTP_ADDR="127.0.0.1:$2" \
  CHAMADO_SMTP_ADDR="127.0.0.1:$3" CHAMADO_SMTP_RELAY="smtp://127.0.0.1:$RELAY" \
  CHAMADO_MAIL_FROM=support@example.com CHAMADO_DELIVER_SECONDS=1 \
  CHAMADO_ADMIN_TOKEN="$TOKEN" "$bin" >"$work/$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$2/healthz" >/dev/null && return 0; sleep 0.1; done
  fail "node $1 did not come up"
}
A=$(port); B=$(port); SA=$(port); SB=$(port)
node nodeA "$A" "$SA"; PID_A=${pids[-1]}
node nodeB "$B" "$SB"; PID_B=${pids[-1]}
adm -d '{"id":"acme","name":"Acme Inc."}' "http://127.0.0.1:$A/api/v1/customers" >/dev/null || fail "fixture: customer"
adm -d '{"login":"alice","email":"alice@acme.example","customer_id":"acme"}' \
  "http://127.0.0.1:$B/api/v1/customer-users" >/dev/null || fail "fixture: customer user"

# Part 1: every message to both nodes at once, one SMTP session per node; acknowledged subjects recorded.
python3 - "$SA" "$SB" "$mails" "$work/mail_acked" <<'PY' || fail "mail sending failed"
import smtplib, sys, threading
from email.message import EmailMessage
ports, n, out = (int(sys.argv[1]), int(sys.argv[2])), int(sys.argv[3]), sys.argv[4]
acked, lock = [], threading.Lock()
barrier = threading.Barrier(2)

def send(port):
    with smtplib.SMTP("127.0.0.1", port, timeout=20) as s:
        for i in range(n):
            m = EmailMessage()
            m["From"], m["To"], m["Subject"] = "alice@acme.example", "support@example.com", "NM-%d printer" % i
            m["Message-ID"] = "<nm-%d@nodes.test>" % i
            m.set_content("Question %d" % i)
            barrier.wait()  # both nodes take message i at the same moment
            try:
                s.send_message(m)
                with lock:
                    acked.append("NM-%d" % i)
            except smtplib.SMTPException as e:
                print("port %d refused NM-%d: %s" % (port, i, e), file=sys.stderr)

threads = [threading.Thread(target=send, args=(p,)) for p in ports]
for t in threads:
    t.start()
for t in threads:
    t.join()
with open(out, "w") as f:
    f.write("\n".join(sorted(set(acked))) + "\n")
PY
acked_mails=$(grep -c . "$work/mail_acked" || true)
[ "$acked_mails" = "$mails" ] || fail "only $acked_mails of $mails messages were acknowledged by a node"
adm "http://127.0.0.1:$B/api/v1/tickets?customer_user=alice&limit=500" >"$work/tickets.json" || fail "listing tickets"
python3 - "$work/tickets.json" "$work/mail_acked" "$work/mail_numbers" <<'PY' || fail "mail tickets are wrong"
import collections, json, sys
tickets = json.load(open(sys.argv[1]))["tickets"]
acked = [l.strip() for l in open(sys.argv[2]) if l.strip()]
by_subject = collections.defaultdict(list)
for t in tickets:
    if t["title"].startswith("NM-"):
        by_subject[t["title"].split()[0]].append(t["number"])
bad = {s: by_subject.get(s, []) for s in acked if len(by_subject.get(s, [])) != 1}
if bad:
    sys.exit("acknowledged messages not present exactly once as a ticket: %s" % bad)
extra = set(by_subject) - set(acked)
if extra:
    sys.exit("tickets for messages no node acknowledged: %s" % sorted(extra))
open(sys.argv[3], "w").write("\n".join(v[0] for v in by_subject.values()) + "\n")
PY

# One agent reply per mail ticket, alternately through either node; both nodes deliver the outbox.
i=0
while read -r n; do
  p=$([ $((i % 2)) = 0 ] && echo "$A" || echo "$B"); i=$((i + 1))
  adm -d "{\"body\":\"Answer marker NMREPLY-$n\"}" "http://127.0.0.1:$p/api/v1/tickets/$n/articles" >/dev/null ||
    fail "reply to $n"
done <"$work/mail_numbers"
count() {
  python3 - "$work/relay" <<'PY'
import collections, email, email.policy, os, re, sys
d = sys.argv[1]
ids, markers, others = collections.Counter(), collections.Counter(), collections.Counter()
for f in sorted(os.listdir(d)):
    if not f.endswith(".eml"):
        continue
    m = email.message_from_binary_file(open(os.path.join(d, f), "rb"), policy=email.policy.default)
    ids[m["Message-ID"]] += 1
    body = m.get_body(preferencelist=("plain",))
    found = re.findall(r"NMREPLY-\d+", body.get_content() if body else "")
    for mk in found:
        markers[mk] += 1
    if not found:  # an auto-response: at most one per ticket
        others[re.sub(r".*\[Ticket#(\d+)\].*", r"\1", str(m["Subject"]))] += 1
dups = sum(1 for c in ids.values() if c > 1) + sum(1 for c in others.values() if c > 1)
print(sum(ids.values()), len(markers), dups, sum(1 for c in markers.values() if c > 1))
PY
}
for _ in $(seq 1 60); do
  read -r messages delivered _ _ < <(count)
  [ "$delivered" -ge "$mails" ] && break
  sleep 0.5
done
sleep 3 # a few more delivery rounds on both nodes: nothing may arrive twice
read -r messages delivered dup_ids dup_markers < <(count)
[ "$delivered" = "$mails" ] || fail "$delivered of $mails replies reached the relay"
[ "$dup_ids" = 0 ] && [ "$dup_markers" = 0 ] ||
  fail "duplicates at the relay: $dup_ids Message-IDs or auto-responses and $dup_markers replies more than once"
echo "postgres_nodes_e2e: $mails messages sent to both nodes at once: one ticket each; $delivered replies delivered exactly once ($messages messages at the relay with the auto-responses, none twice)"

# Part 2: 4 HTTP writers per node, each creating tickets one after another, recording acknowledged numbers.
# A writer must not end early on its own: no errexit or pipefail in it (a pipeline's SIGPIPE once ended
# one silently), and no pipelines at all for what it records.
writer() { # port tag count
  set +e +o pipefail
  local i out code number re='"number":"([0-9]+)"'
  for i in $(seq 1 "$3"); do
    out=$(curl -s -m 10 -w '\n%{http_code}' -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \
      -d "{\"title\":\"load $2 $i\",\"body\":\"x\",\"queue\":\"Raw\"}" "http://127.0.0.1:$1/api/v1/tickets")
    code=${out##*$'\n'}
    echo "$(date +%T.%N) $code" >>"$work/codes.$2"
    if [ "$code" = "201" ] && [[ $out =~ $re ]]; then
      echo "${BASH_REMATCH[1]}" >>"$work/acked.$2"
    fi
  done
  echo "$(date +%T.%N) done" >>"$work/codes.$2"
}
writers=()
for w in 1 2 3 4; do writer "$A" "a$w" 60 & writers+=($!); done
for w in 1 2 3 4; do writer "$B" "b$w" 60 & writers+=($!); done
sleep 2
kill -9 "$PID_A"          # node A dies mid-load; its writers see connection errors from now on
wait "$PID_A" 2>/dev/null || true
for w in "${writers[@]}"; do wait "$w" || true; done

cat "$work"/acked.* >"$work/acked"
acked=$(wc -l <"$work/acked")
[ "$acked" -gt 0 ] || fail "no ticket was acknowledged"
dups=$(sort "$work/acked" | uniq -d | wc -l)
[ "$dups" -eq 0 ] || fail "$dups numbers were issued twice"
missing=0
while read -r n; do
  curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$B/api/v1/tickets/$n" >/dev/null || missing=$((missing+1))
done <"$work/acked"
[ "$missing" -eq 0 ] || fail "$missing acknowledged tickets are missing on the surviving node"
b_after=$(cat "$work"/acked.b* 2>/dev/null | wc -l)
if [ "$b_after" -lt 200 ]; then
  # What B's writers got and when, whether B lives, and what its database sessions wait on.
  for f in "$work"/codes.b*; do echo "$f: $(cut -d' ' -f2 "$f" | sort | uniq -c | tr '\n' ' ') last: $(tail -n 2 "$f" | tr '\n' ' ')"; done >&2
  kill -0 "$PID_B" 2>/dev/null && echo "node B is alive" >&2 || echo "node B is gone" >&2
  psql "$base/$db" -c "SELECT pid, state, wait_event_type, wait_event, now() - query_start AS for, left(query, 80) FROM pg_stat_activity WHERE datname = '$db'" >&2 || true
  fail "node B stopped carrying on ($b_after of 240 acknowledged)"
fi
grep -qi 'panicked' "$work"/node*.log && fail "a node panicked"
echo "postgres_nodes_e2e: $acked acknowledged tickets through two nodes, node A killed mid-load, all present on node B, numbers unique"
echo "postgres_nodes_e2e: 2 passed, 0 failed"
