#!/usr/bin/env bash
# Escalation events exactly once (issue #23), against the built helpdesk:
# 1. redb: tickets whose clocks warn and breach within two minutes, the helpdesk SIGKILLed and restarted every
#    few seconds meanwhile; afterwards every ticket holds exactly one warning and one breach per clock.
# 2. PostgreSQL: two nodes ticking on one database (each killed and restarted once while the clocks run):
#    the same, although both nodes' ticks race for every event.
# Both parts run at once. Needs python3; part 2 needs CHAMADO_TEST_DATABASE_URL (skipped with a notice
# otherwise). Run after `cargo test --workspace` built the helpdesk example. Takes about two and a half minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${CARGO_TARGET_DIR:-target}/debug
tickets=${TICKETS:-40}
work=$(mktemp -d)
pids=()
db="chamado_escalation_$$"
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ -n "${CHAMADO_TEST_DATABASE_URL:-}" ]; then
    psql "$CHAMADO_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "escalation_e2e: FAILED: $*" >&2; tail -n 20 "$work"/*.log >&2 || true; exit 1; }
. tests/support/lib.sh
[ -x "$bin/examples/helpdesk" ] || fail "$bin/examples/helpdesk is missing: build the helpdesk example first"
TOKEN="escalation-e2e-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"

# Around the clock (no calendar): first response due after 1 minute, update and solution after 2, warnings at
# half of each. So every ticket fires 6 events: 3 warnings and 3 breaches, at 30 s, 60 s and 120 s.
QUEUE_SLA='{"escalation":{"first_response_minutes":1,"update_minutes":2,"solution_minutes":2,"notify_before_percent":50}}'

# Opens the tickets through $1 and writes their numbers to $2.
open_tickets() {
  local url=$1 out=$2 i
  adm -X PATCH -d "$QUEUE_SLA" "$url/api/v1/queues/Raw" >/dev/null || fail "setting the queue's targets"
  : >"$out"
  for i in $(seq 1 "$tickets"); do
    adm -d "{\"title\":\"clock $i\",\"body\":\"x\",\"queue\":\"Raw\",\"customer_user\":\"alice\"}" \
      "$url/api/v1/tickets" | python3 -c 'import json,sys; print(json.load(sys.stdin)["number"])' >>"$out" ||
      fail "opening ticket $i"
  done
}

# Checks every ticket in $2 through $1: exactly one warning and one breach per clock, listed as escalated.
check_exactly_once() {
  local url=$1 numbers=$2 name=$3
  adm "$url/api/v1/tickets?escalated=true&limit=500" >"$work/$name.escalated.json" || fail "$name: escalated view"
  while read -r n; do
    adm "$url/api/v1/tickets/$n/history" >"$work/$name.h.$n.json" || fail "$name: history of $n"
  done <"$numbers"
  python3 - "$work" "$name" "$numbers" <<'PY' || fail "$name: escalation events are not exactly once"
import collections, json, os, sys
work, name, numbers = sys.argv[1], sys.argv[2], [l.strip() for l in open(sys.argv[3]) if l.strip()]
escalated = {t["number"] for t in json.load(open(os.path.join(work, name + ".escalated.json")))["tickets"]}
bad = []
for n in numbers:
    history = json.load(open(os.path.join(work, "%s.h.%s.json" % (name, n))))
    entries = history["history"] if isinstance(history, dict) else history
    events = collections.Counter()
    for h in entries:
        if h["kind"] != "escalation":
            continue
        kind = "breach" if h["message"].startswith("escalated") else "warning"
        clock = next(c for c in ("first response", "update", "solution") if c in h["message"])
        events[(clock, kind)] += 1
    want = {(c, k): 1 for c in ("first response", "update", "solution") for k in ("warning", "breach")}
    if dict(events) != want:
        bad.append((n, dict(events)))
    if n not in escalated:
        bad.append((n, "not in ?escalated=true"))
if bad:
    sys.exit("%s: %d tickets wrong, e.g. %s" % (name, len(bad), bad[:3]))
print("%s: %d tickets, each with exactly one warning and one breach per clock, all escalated" % (name, len(numbers)))
PY
}

# Each part runs in its own subshell: it kills the processes it started when it ends.
kill_mine() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }

part_redb() {
  trap kill_mine EXIT
  local HTTP URL
  HTTP=$(port); URL="http://127.0.0.1:$HTTP"
  start() {
    env CHAMADO_DATA_DIR="$work/redb" CHAMADO_HTTP_ADDR="127.0.0.1:$HTTP" CHAMADO_SMTP_ADDR="127.0.0.1:$(port)" \
      CHAMADO_ADMIN_TOKEN="$TOKEN" CHAMADO_MAIL_FROM=support@example.com CHAMADO_TICK_SECONDS=1 \
      "$bin/examples/helpdesk" >>"$work/redb.log" 2>&1 &
    HD=$!
    pids+=("$HD")
    for _ in $(seq 1 600); do
      curl -sf "$URL/healthz" >/dev/null && return 0
      kill -0 "$HD" 2>/dev/null || fail "redb: the helpdesk exited while starting"
      sleep 0.05
    done
    fail "redb: the helpdesk did not come up"
  }
  start
  fixture_alice "$URL"
  open_tickets "$URL" "$work/redb.numbers"
  local t0=$SECONDS kills=0
  # Kill at uneven moments for as long as events fire (the last breaches are due two minutes after opening).
  while [ $((SECONDS - t0)) -lt 128 ]; do
    sleep "$(python3 -c "import random; print(round(random.uniform(2.0, 6.0), 2))")"
    kill -9 "$HD"
    wait "$HD" 2>/dev/null || true
    kills=$((kills + 1))
    start
  done
  sleep 4 # a few ticks after the last restart
  check_exactly_once "$URL" "$work/redb.numbers" redb
  grep -qi 'panicked' "$work/redb.log" && fail "redb: the helpdesk panicked"
  echo "escalation_e2e: redb: $kills SIGKILLs while the clocks ran"
}

part_postgres() {
  trap kill_mine EXIT
  if [ -z "${CHAMADO_TEST_DATABASE_URL:-}" ]; then
    echo "escalation_e2e: PostgreSQL part skipped (set CHAMADO_TEST_DATABASE_URL)"
    return 0
  fi
  local base="${CHAMADO_TEST_DATABASE_URL%/*}" A B
  psql "$CHAMADO_TEST_DATABASE_URL" -qc "CREATE DATABASE $db" >/dev/null
  A=$(port); B=$(port)
  node() { # name http-port
    mkdir -p "$work/$1"
    CHAMADO_DATABASE_URL="$base/$db" CHAMADO_DATA_DIR="$work/$1" CHAMADO_HTTP_ADDR="127.0.0.1:$2" \
      CHAMADO_SMTP_ADDR="127.0.0.1:$(port)" CHAMADO_MAIL_FROM=support@example.com CHAMADO_TICK_SECONDS=1 \
      CHAMADO_ADMIN_TOKEN="$TOKEN" "$bin/examples/helpdesk" >>"$work/$1.log" 2>&1 &
    NODE=$!
    pids+=("$NODE")
    for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$2/healthz" >/dev/null && return 0; sleep 0.1; done
    fail "postgres: node $1 did not come up"
  }
  node nodeA "$A"; local pa=$NODE
  node nodeB "$B"; local pb=$NODE
  fixture_alice "http://127.0.0.1:$A"
  open_tickets "http://127.0.0.1:$B" "$work/pg.numbers"
  # Each node dies once while events fire (A around the warnings, B around the first breaches) and returns.
  sleep 28; kill -9 "$pa"; wait "$pa" 2>/dev/null || true; sleep 3; node nodeA "$A"
  sleep 27; kill -9 "$pb"; wait "$pb" 2>/dev/null || true; sleep 3; node nodeB "$B"
  sleep 70
  check_exactly_once "http://127.0.0.1:$A" "$work/pg.numbers" postgres
  grep -qi 'panicked' "$work"/node*.log && fail "postgres: a node panicked"
  echo "escalation_e2e: postgres: two nodes ticking, each killed once"
}

part_redb &
P1=$!
part_postgres &
P2=$!
wait "$P1" || fail "the redb part failed"
wait "$P2" || fail "the PostgreSQL part failed"
echo "escalation_e2e: 2 passed, 0 failed"
