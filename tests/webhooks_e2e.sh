#!/usr/bin/env bash
# Webhooks at least once, in order per ticket (issue #24), against the built helpdesk and a receiver that
# verifies every signature with PyPI's `standardwebhooks` (tests/support/webhook_receiver.py):
# 1. redb: tickets opened and changed through the API while the helpdesk is SIGKILLed and restarted ten
#    times during deliveries; afterwards every event of the event feed reached the receiver, each ticket's
#    events in order (first arrivals), duplicates only as copies with the same webhook-id.
# 2. The receiver down for a minute while tickets change (on PostgreSQL when CHAMADO_TEST_DATABASE_URL is
#    set, else redb): everything is delivered after it returns.
# Both parts run at once. Run after `cargo test --workspace` built the helpdesk example. About two minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${CARGO_TARGET_DIR:-target}/debug
work=$(mktemp -d)
pids=()
db="chamado_webhooks_$$"
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ -n "${CHAMADO_TEST_DATABASE_URL:-}" ]; then
    psql "$CHAMADO_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "webhooks_e2e: FAILED: $*" >&2; tail -n 20 "$work"/*.log >&2 || true; exit 1; }
. tests/support/lib.sh
[ -x "$bin/examples/helpdesk" ] || fail "$bin/examples/helpdesk is missing: build the helpdesk example first"
python3 -c 'import standardwebhooks' 2>/dev/null || fail "python3 -m pip install standardwebhooks==1.1.0"
TOKEN="webhooks-e2e-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
SECRET="whsec_$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')"
# Short retries and leases, so that a killed node's deliveries go out again within seconds.
cat >"$work/helpdesk.toml" <<TOML
[webhooks]
backoff_secs = 1
max_backoff_secs = 8
lease_secs = 5
TOML

# Starts the receiver on port $1 writing to $2; sets RCV to its pid.
receiver() {
  python3 tests/support/webhook_receiver.py --port "$1" --secret "$SECRET" --out "$2" >>"$work/receiver-$1.log" 2>&1 &
  RCV=$!
  pids+=("$RCV")
  for _ in $(seq 1 100); do
    grep -q "listening on 127.0.0.1:$1" "$work/receiver-$1.log" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "the receiver did not come up on $1"
}

# Subscribes http://127.0.0.1:$2/$3 to every event through $1; prints the feed's cursor from then on.
subscribe() {
  local body
  body=$(printf '{"url":"http://127.0.0.1:%s/%s","events":%s,"secret":"%s","timeout_ms":3000}' "$2" "$3" \
    "$(python3 -c 'import json; print(json.dumps(["ticket.created","article.added","ticket.state_changed","ticket.queue_changed","ticket.owner_changed","ticket.responsible_changed","ticket.priority_changed","ticket.lock_changed","ticket.title_changed","ticket.customer_changed","ticket.service_changed","ticket.sla_changed","ticket.merged","ticket.escalation_warning","ticket.escalation_breach","customer.changed","customer_user.changed"]))')" \
    "$SECRET")
  adm -d "$body" "$1/api/v1/webhooks" >/dev/null || fail "subscribing"
  adm "$1/api/v1/events?after=now" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next_cursor"])'
}

kill_mine() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }

part_kills() {
  trap kill_mine EXIT
  local HTTP URL R cursor
  HTTP=$(port); URL="http://127.0.0.1:$HTTP"; R=$(port)
  start() {
    env CHAMADO_CONFIG="$work/helpdesk.toml" CHAMADO_DATA_DIR="$work/redb" CHAMADO_HTTP_ADDR="127.0.0.1:$HTTP" \
      CHAMADO_SMTP_ADDR="127.0.0.1:$(port)" CHAMADO_ADMIN_TOKEN="$TOKEN" CHAMADO_MAIL_FROM=support@example.com \
      CHAMADO_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true "$bin/examples/helpdesk" >>"$work/kills.log" 2>&1 &
    HD=$!
    pids+=("$HD")
    for _ in $(seq 1 600); do
      curl -sf "$URL/healthz" >/dev/null && return 0
      kill -0 "$HD" 2>/dev/null || fail "kills: the helpdesk exited while starting"
      sleep 0.05
    done
    fail "kills: the helpdesk did not come up"
  }
  receiver "$R" "$work/kills.jsonl"
  start
  cursor=$(subscribe "$URL" "$R" kills)
  fixture_alice "$URL"
  python3 tests/support/webhook_load.py "$URL" "$TOKEN" "${TICKETS:-40}" "$work/kills.numbers" >>"$work/kills.log" 2>&1 &
  local load=$! kills=0
  pids+=("$load")
  while [ "$kills" -lt 10 ]; do
    sleep "$(python3 -c "import random; print(round(random.uniform(1.0, 3.0), 2))")"
    kill -9 "$HD"
    wait "$HD" 2>/dev/null || true
    kills=$((kills + 1))
    start
  done
  wait "$load" || fail "kills: the load failed"
  python3 tests/support/webhook_check.py "$URL" "$TOKEN" "$cursor" "$work/kills.jsonl" "$work/kills.numbers" 90 ||
    fail "kills: webhooks lost or out of order"
  grep -qi 'panicked' "$work/kills.log" && fail "kills: the helpdesk panicked"
  echo "webhooks_e2e: redb: $kills SIGKILLs during deliveries"
}

part_receiver_down() {
  trap kill_mine EXIT
  local HTTP URL R cursor store=redb
  HTTP=$(port); URL="http://127.0.0.1:$HTTP"; R=$(port)
  local dbenv=()
  if [ -n "${CHAMADO_TEST_DATABASE_URL:-}" ]; then
    psql "$CHAMADO_TEST_DATABASE_URL" -qc "CREATE DATABASE $db" >/dev/null
    dbenv=(CHAMADO_DATABASE_URL="${CHAMADO_TEST_DATABASE_URL%/*}/$db")
    store=postgres
  fi
  mkdir -p "$work/down"
  env "${dbenv[@]}" CHAMADO_CONFIG="$work/helpdesk.toml" CHAMADO_DATA_DIR="$work/down" \
    CHAMADO_HTTP_ADDR="127.0.0.1:$HTTP" CHAMADO_SMTP_ADDR="127.0.0.1:$(port)" CHAMADO_ADMIN_TOKEN="$TOKEN" \
    CHAMADO_MAIL_FROM=support@example.com CHAMADO_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true \
    "$bin/examples/helpdesk" >>"$work/down.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 600); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.05; done
  curl -sf "$URL/healthz" >/dev/null || fail "down: the helpdesk did not come up"
  receiver "$R" "$work/down.jsonl"
  cursor=$(subscribe "$URL" "$R" down)
  fixture_alice "$URL"
  python3 tests/support/webhook_load.py "$URL" "$TOKEN" 3 "$work/down.before" >>"$work/down.log" 2>&1 ||
    fail "down: the load failed"
  sleep 2
  kill -9 "$RCV"; wait "$RCV" 2>/dev/null || true
  local t0=$SECONDS
  python3 tests/support/webhook_load.py "$URL" "$TOKEN" 10 "$work/down.during" >>"$work/down.log" 2>&1 ||
    fail "down: the load failed"
  local left=$((60 - (SECONDS - t0)))
  [ "$left" -gt 0 ] && sleep "$left"
  receiver "$R" "$work/down.jsonl"
  cat "$work/down.before" "$work/down.during" >"$work/down.numbers"
  python3 tests/support/webhook_check.py "$URL" "$TOKEN" "$cursor" "$work/down.jsonl" "$work/down.numbers" 60 ||
    fail "down: webhooks lost or out of order after the receiver came back"
  grep -qi 'panicked' "$work/down.log" && fail "down: the helpdesk panicked"
  echo "webhooks_e2e: $store: the receiver down for 60 s, everything delivered after"
}

part_kills &
P1=$!
part_receiver_down &
P2=$!
wait "$P1" || fail "the kill loop failed"
wait "$P2" || fail "the receiver-down part failed"
echo "webhooks_e2e: 2 passed, 0 failed"
