#!/usr/bin/env bash
# Two helpdesk processes on one PostgreSQL database: tickets created through both at once, one node killed
# with SIGKILL mid-load, the other carrying on. Every ticket whose creation was acknowledged (201) must be
# present, every number once. Needs CHAMADO_TEST_DATABASE_URL (skips with a notice otherwise); run after
# `cargo test --workspace` built target/debug/examples/helpdesk.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${CHAMADO_TEST_DATABASE_URL:-}" ]; then
  echo "postgres_nodes_e2e: skipped (set CHAMADO_TEST_DATABASE_URL)"; exit 0
fi
bin=target/debug/examples/helpdesk
work=$(mktemp -d)
db="chamado_nodes_$$"
base="${CHAMADO_TEST_DATABASE_URL%/*}"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  psql "$CHAMADO_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "postgres_nodes_e2e: FAILED: $*" >&2; tail -n 20 "$work"/node*.log >&2 || true; exit 1; }
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

psql "$CHAMADO_TEST_DATABASE_URL" -qc "CREATE DATABASE $db" >/dev/null
TOKEN="e2e-admin-token-$(date +%s)-0123456789"
node() { # name port
  mkdir -p "$work/$1"
  CHAMADO_DATABASE_URL="$base/$db" CHAMADO_DATA_DIR="$work/$1" CHAMADO_HTTP_ADDR="127.0.0.1:$2" \
  CHAMADO_SMTP_ADDR= CHAMADO_ADMIN_TOKEN="$TOKEN" "$bin" >"$work/$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$2/healthz" >/dev/null && return 0; sleep 0.1; done
  fail "node $1 did not come up"
}
A=$(port); B=$(port)
node nodeA "$A"; PID_A=${pids[-1]}
node nodeB "$B"

# Load: 4 writers per node, each creating tickets one after another, recording acknowledged numbers.
writer() { # port tag count
  for i in $(seq 1 "$3"); do
    out=$(curl -s -m 10 -w '\n%{http_code}' -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \
      -d "{\"title\":\"load $2 $i\",\"body\":\"x\",\"queue\":\"Raw\"}" "http://127.0.0.1:$1/api/v1/tickets" || true)
    code=$(printf '%s' "$out" | tail -n 1)
    if [ "$code" = "201" ]; then
      printf '%s' "$out" | head -n 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["number"])' >>"$work/acked.$2"
    fi
  done
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
[ "$b_after" -ge 200 ] || fail "node B stopped carrying on ($b_after of 240 acknowledged)"
echo "postgres_nodes_e2e: $acked acknowledged tickets through two nodes, node A killed mid-load, all present on node B, numbers unique"
echo "postgres_nodes_e2e: 1 passed, 0 failed"
