#!/usr/bin/env bash
# End to end through the built helpdesk: the README's commands against a real server on free ports.
# Admin CLI over HTTP, a ticket by the web API, one by SMTP (swaks), an agent reply delivered to a real
# SMTP server (aiosmtpd), a restart, and everything still there. Run after `cargo test --workspace`
# (which builds target/debug/examples/helpdesk and target/debug/chamado-admin).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/debug
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap - EXIT
fail() { echo "helpdesk e2e: FAILED: $*" >&2; tail -n 30 "$work/helpdesk.log" >&2 || true; exit 1; }

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
HTTP=$(port); SMTP=$(port); RELAY=$(port)
mkdir -p "$work/relay"
# A relay that keeps every message it receives as a file.
cat >"$work/sink_handler.py" <<'PY'
import os

class Sink:
    def __init__(self, outdir):
        self.outdir = outdir
        self.n = 0

    @classmethod
    def from_cli(cls, parser, *args):
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        with open(os.path.join(self.outdir, "%04d.eml" % self.n), "wb") as f:
            f.write(envelope.original_content or envelope.content)
        return "250 OK queued as %d" % self.n
PY
PYTHONPATH="$work" python3 -m aiosmtpd -n -l "127.0.0.1:$RELAY" -c sink_handler.Sink "$work/relay" >"$work/relay.log" 2>&1 &
pids+=($!)

start() {
  CHAMADO_DATA_DIR="$work/data" CHAMADO_HTTP_ADDR="127.0.0.1:$HTTP" CHAMADO_SMTP_ADDR="127.0.0.1:$SMTP" \
  CHAMADO_SMTP_RELAY="smtp://127.0.0.1:$RELAY" CHAMADO_MAIL_FROM=support@example.com \
    "$bin/examples/helpdesk" >>"$work/helpdesk.log" 2>&1 &
  HD=$!
  pids+=($HD)
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$HTTP/healthz" >/dev/null && return 0
    sleep 0.1
  done
  cat "$work/helpdesk.log"; fail "the helpdesk did not come up"
}
api() { curl -sf -H 'content-type: application/json' "$@"; }

start
URL="http://127.0.0.1:$HTTP"
TOKEN=$(cat "$work/data/admin.token")
admin() { "$bin/chamado-admin" --url "$URL" --token "$TOKEN" "$@"; }
admin customers add acme --name "Acme Inc." >/dev/null
admin customer-users add alice --email alice@acme.example --customer acme --password 'correct horse' >/dev/null
shown=$(admin show alice)
grep -q users <<<"$shown" || fail "alice should hold the default group users"

S=$(api -d '{"login":"alice","password":"correct horse"}' "$URL/api/v1/sessions" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
WEB=$(api -H "Authorization: Bearer $S" -H 'Idempotency-Key: e2e-1' \
  -d '{"title":"Printer broken","body":"It jams on tray 2.","queue":"Raw"}' "$URL/api/v1/tickets" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["number"])')
[ -n "$WEB" ] || fail "no ticket number from the web API"
AGAIN=$(api -H "Authorization: Bearer $S" -H 'Idempotency-Key: e2e-1' \
  -d '{"title":"Printer broken","body":"It jams on tray 2.","queue":"Raw"}' "$URL/api/v1/tickets" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["number"])')
[ "$WEB" = "$AGAIN" ] || fail "a retried POST opened a second ticket"

swaks --server "127.0.0.1:$SMTP" --from alice@acme.example --to support@example.com \
  --header 'Subject: VPN down' --body 'Since 9 am.' >/dev/null || fail "SMTP intake refused the mail"
LIST=$(curl -sf -H "Authorization: Bearer $S" "$URL/api/v1/tickets")
grep -q 'VPN down' <<<"$LIST" || fail "the mailed ticket is not in alice's list"

api -H "Authorization: Bearer $TOKEN" -d '{"body":"Replaced the roller."}' "$URL/api/v1/tickets/$WEB/articles" >/dev/null
for _ in $(seq 1 100); do
  grep -rqs "Ticket#$WEB" "$work/relay" && break
  sleep 0.2
done
grep -rqs "Ticket#$WEB" "$work/relay" || fail "the agent's reply did not reach the relay"

kill -TERM "$HD"; wait "$HD" || true
start
AFTER=$(curl -sf -H "Authorization: Bearer $TOKEN" "$URL/api/v1/tickets/$WEB" || true)
grep -q 'Replaced the roller' <<<"$AFTER" || fail "the ticket and its reply are gone after a restart"
echo "helpdesk_e2e: 1 passed, 0 failed"
