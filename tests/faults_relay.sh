#!/usr/bin/env bash
# Fault: the outbound relay is down while agents answer email tickets, then comes back. The replies
# wait in the durable outbox (one failed attempt each, then a server SIGKILL and restart), and once the
# relay (an aiosmtpd sink) listens again every reply must arrive exactly once: each reply's marker in
# one message, no Message-ID twice. The engine's retry backoff starts at 30 s (EngineConfig
# `outbox_backoff_secs`, not a helpdesk setting), so the run takes about a minute. Run after
# `cargo test --workspace`.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${CARGO_TARGET_DIR:-target}/debug
replies=${REPLIES:-20}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap - EXIT
fail() { echo "faults_relay: FAILED: $*" >&2; tail -n 30 "$work/helpdesk.log" >&2 || true; exit 1; }

. tests/support/lib.sh
HTTP=$(port); SMTP=$(port); RELAY=$(port)
URL="http://127.0.0.1:$HTTP"
TOKEN="relay-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
start() {
  start_helpdesk CHAMADO_DATA_DIR="$work/data" CHAMADO_HTTP_ADDR="127.0.0.1:$HTTP" CHAMADO_SMTP_ADDR="127.0.0.1:$SMTP" \
    CHAMADO_ADMIN_TOKEN="$TOKEN" CHAMADO_MAIL_FROM=support@example.com CHAMADO_SMTP_RELAY="smtp://127.0.0.1:$RELAY" \
    CHAMADO_DELIVER_SECONDS=1
}
start
fixture_alice

# Email tickets, then one agent reply to each while nothing listens on the relay port.
python3 - "$SMTP" "$replies" <<'PY' || fail "SMTP intake refused a mail"
import smtplib, sys
from email.message import EmailMessage
port, n = int(sys.argv[1]), int(sys.argv[2])
with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
    for i in range(n):
        m = EmailMessage()
        m["From"], m["To"], m["Subject"] = "alice@acme.example", "support@example.com", "RL-%d printer" % i
        m["Message-ID"] = "<rl-%d@faults.test>" % i
        m.set_content("Question %d" % i)
        s.send_message(m)
PY
numbers=$(adm "$URL/api/v1/tickets?customer_user=alice&limit=500" |
  python3 -c 'import json,sys; print(" ".join(t["number"] for t in json.load(sys.stdin)["tickets"] if t["title"].startswith("RL-")))')
[ "$(wc -w <<<"$numbers")" = "$replies" ] || fail "expected $replies email tickets, found: $numbers"
for n in $numbers; do
  adm -d "{\"body\":\"Answer marker RLREPLY-$n\"}" "$URL/api/v1/tickets/$n/articles" >/dev/null || fail "reply to $n"
done
# Wait for a delivery round that found the relay down, then kill the server: the queue must survive.
for _ in $(seq 1 300); do
  grep -Eq "retried[:=] ?[1-9]" "$work/helpdesk.log" && break
  sleep 0.1
done
grep -Eq "retried[:=] ?[1-9]" "$work/helpdesk.log" || fail "no delivery attempt failed while the relay was down"
kill -9 "$HD"; wait "$HD" 2>/dev/null || true
start

start_sink "$RELAY" "$work/relay"

count() {
  python3 - "$work/relay" <<'PY'
import collections, email, email.policy, os, re, sys
d = sys.argv[1]
ids, markers = collections.Counter(), collections.Counter()
for f in sorted(os.listdir(d)):
    if not f.endswith(".eml"):
        continue
    m = email.message_from_binary_file(open(os.path.join(d, f), "rb"), policy=email.policy.default)
    ids[m["Message-ID"]] += 1
    body = m.get_body(preferencelist=("plain",))
    for mk in re.findall(r"RLREPLY-\d+", body.get_content() if body else ""):
        markers[mk] += 1
dup_ids = sum(1 for c in ids.values() if c > 1)
dup_markers = sum(1 for c in markers.values() if c > 1)
print(sum(ids.values()), len(markers), dup_ids, dup_markers)
PY
}
# Backoff after the first failure is 30 s; allow two more rounds of it.
for _ in $(seq 1 120); do
  read -r messages delivered _ _ < <(count)
  [ "$delivered" -ge "$replies" ] && break
  sleep 1
done
# A few more delivery rounds: nothing may arrive twice.
sleep 4
read -r messages delivered dup_ids dup_markers < <(count)
[ "$delivered" = "$replies" ] || fail "$delivered of $replies replies reached the relay"
[ "$dup_ids" = 0 ] && [ "$dup_markers" = 0 ] ||
  fail "duplicates at the relay: $dup_ids Message-IDs and $dup_markers replies more than once"
grep -qi 'panicked' "$work/helpdesk.log" && fail "the helpdesk panicked"
echo "faults_relay: $replies replies queued while the relay was down, 1 kill; delivered $delivered replies exactly once ($messages messages at the relay, 0 duplicate Message-IDs)"
