#!/usr/bin/env bash
# Fault: the whole server SIGKILLed and restarted 10 times under load. HTTP writers open tickets with
# Idempotency-Keys, SMTP writers send mails with unique Message-IDs (tests/faults_load.py), each
# retrying what got no answer. Afterwards every acknowledged ticket and mail must be there exactly
# once and no ticket number may be used twice (tests/faults_check.py). Run after `cargo test
# --workspace` (which builds target/debug/examples/helpdesk).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${CARGO_TARGET_DIR:-target}/debug
kills=${KILLS:-10}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap - EXIT
fail() { echo "faults_kill_loop: FAILED: $*" >&2; tail -n 30 "$work/helpdesk.log" >&2 || true; exit 1; }

. tests/support/lib.sh
HTTP=$(port); SMTP=$(port)
URL="http://127.0.0.1:$HTTP"
TOKEN="kill-loop-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
start() {
  start_helpdesk CHAMADO_DATA_DIR="$work/data" CHAMADO_HTTP_ADDR="127.0.0.1:$HTTP" CHAMADO_SMTP_ADDR="127.0.0.1:$SMTP" \
    CHAMADO_ADMIN_TOKEN="$TOKEN" CHAMADO_MAIL_FROM=support@example.com
}

start
fixture_alice

python3 tests/faults_load.py "$URL" "$TOKEN" "127.0.0.1:$SMTP" "$work/stop" 4 2 KL >"$work/acks.json" &
LOAD=$!
pids+=($LOAD)
# Kill at uneven moments so some kills land mid-request, mid-commit and mid-SMTP-dialogue.
for k in $(seq 1 "$kills"); do
  sleep "$(python3 -c "import random; random.seed($k); print(round(random.uniform(0.7, 2.0), 2))")"
  kill -9 "$HD"
  wait "$HD" 2>/dev/null || true
  start
done
sleep 1
touch "$work/stop"
wait "$LOAD" || fail "the load writers failed"
python3 tests/faults_check.py "$URL" "$TOKEN" "$work/acks.json" KL >"$work/check.txt" 2>"$work/problems.txt" || {
  cat "$work/check.txt" "$work/problems.txt" >&2
  fail "acknowledged work was lost or duplicated"
}
grep -qi 'panicked' "$work/helpdesk.log" && fail "the helpdesk panicked"
echo "faults_kill_loop: $kills kills; $(cat "$work/check.txt")"
