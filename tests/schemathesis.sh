#!/usr/bin/env bash
# API robustness: schemathesis against /api/openapi.json of a running helpdesk, once with a customer
# user's session token and once with the admin agent's token. Checks: all of them (`--checks all`, or
# ST_CHECKS): no 5xx, answers as documented, and the data-acceptance checks, which hold the schema to
# be exact: every schema-valid request is taken (or is 401/403/404/409), every invalid one refused. Bounded (ST_MAX_EXAMPLES per operation, fixed
# seed, one worker: hypothesis' lambda introspection is not thread-safe on Python 3.11) so it runs in
# a few minutes. Run after `cargo test --workspace` (which builds the helpdesk).
# Needs schemathesis (pip install schemathesis==4.32.5; .ci/run installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${CARGO_TARGET_DIR:-target}/debug
max_examples=${ST_MAX_EXAMPLES:-25}
seed=${ST_SEED:-20261128}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  [ -n "${ST_LOGS:-}" ] && mkdir -p "$ST_LOGS" && cp "$work"/*.log "$ST_LOGS"/ 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap - EXIT
fail() { echo "schemathesis: FAILED: $*" >&2; tail -n 30 "$work/helpdesk.log" >&2 || true; exit 1; }
# schemathesis' CLI through the python3 that pip installed it for (no reliance on a `st` on PATH).
st() { python3 -c 'import sys; from schemathesis.cli import schemathesis; sys.argv[0] = "st"; sys.exit(schemathesis())' "$@"; }
python3 -c 'import schemathesis' 2>/dev/null || fail "schemathesis is not installed (pip install schemathesis==4.32.5)"

. tests/support/lib.sh
HTTP=$(port)
URL="http://127.0.0.1:$HTTP"
TOKEN="st-admin-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
CHAMADO_DATA_DIR="$work/data" CHAMADO_HTTP_ADDR="127.0.0.1:$HTTP" CHAMADO_SMTP_ADDR= CHAMADO_ADMIN_TOKEN="$TOKEN" \
  "$bin/examples/helpdesk" >>"$work/helpdesk.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do
  curl -sf "$URL/healthz" >/dev/null && break
  sleep 0.1
done
curl -sf "$URL/healthz" >/dev/null || fail "the helpdesk did not come up"

# Fixtures the fuzzer can find: without them almost every path parameter is a 404 and the handlers'
# real work is never reached. Their names go into the dictionaries of the config below.
api() { curl -sf -H 'content-type: application/json' "$@"; }
adm() { api -H "Authorization: Bearer $TOKEN" "$@"; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
adm -d '{"id":"acme","name":"Acme Inc."}' "$URL/api/v1/customers" >/dev/null || fail "fixture: customer"
for u in alice carol; do
  adm -d "{\"login\":\"$u\",\"email\":\"$u@acme.example\",\"customer_id\":\"acme\",\"password\":\"correct horse\"}" \
    "$URL/api/v1/customer-users" >/dev/null || fail "fixture: customer user $u"
done
adm -d '{"name":"sales"}' "$URL/api/v1/groups" >/dev/null || fail "fixture: group"
adm -d '{"name":"Sales","group":"sales"}' "$URL/api/v1/queues" >/dev/null || fail "fixture: queue"
adm -d '{"name":"support-role"}' "$URL/api/v1/roles" >/dev/null || fail "fixture: role"
adm -d '{"name":"Email"}' "$URL/api/v1/services" >/dev/null || fail "fixture: service"
adm -d '{"login":"bob","groups":{"users":["rw"],"sales":["ro"]}}' "$URL/api/v1/agents" >/dev/null || fail "fixture: agent"
# Admins' texts, named in the "texts" dictionary: a template offered in Raw, where the tickets are.
adm -d '{"name":"dear","texts":[{"language":"en","body":"Dear {{ customer_user.first_name }},"}]}' \
  "$URL/api/v1/salutations" >/dev/null || fail "fixture: salutation"
adm -d '{"name":"team","texts":[{"language":"en","body":"{{ agent.name }}"}]}' "$URL/api/v1/signatures" >/dev/null ||
  fail "fixture: signature"
adm -d '{"name":"received","kind":"reply","texts":[{"language":"en","subject":"Re: {{ ticket.title }}","body":"We got it."}]}' \
  "$URL/api/v1/auto-responses" >/dev/null || fail "fixture: auto-response"
adm -d '{"name":"fixed","kind":"answer","queues":["Raw"],"texts":[{"language":"en","subject":"Re","body":"Fixed: {{ ticket.number }}"}]}' \
  "$URL/api/v1/templates" >/dev/null || fail "fixture: template"
# Time promises: a calendar, an SLA of service Email (carol holds it) and queue Raw's fallback targets, so
# that ticket answers carry running clocks.
adm -d '{"name":"Office","time_zone":"America/Sao_Paulo","hours":{"mon":[["09:00","12:00"],["13:00","18:00"]],"fri":[["09:00","17:00"]]},"holidays":["12-25","2026-12-24"]}' \
  "$URL/api/v1/calendars" >/dev/null || fail "fixture: calendar"
adm -d '{"name":"Gold","calendar":"Office","first_response_minutes":60,"update_minutes":120,"solution_minutes":480,"services":["Email"]}' \
  "$URL/api/v1/slas" >/dev/null || fail "fixture: SLA"
adm -X PUT "$URL/api/v1/customer-users/carol/services/Email" >/dev/null || fail "fixture: carol's service"
adm -X PATCH -d '{"escalation":{"calendar":"Office","first_response_minutes":30}}' "$URL/api/v1/queues/Raw" >/dev/null ||
  fail "fixture: Raw's fallback targets"
# A webhook subscription (issue 24), made before the tickets so that their events are queued for it. Its
# receiver is a public-looking name nothing answers for: deliveries fail and are retried, harmlessly.
W=$(adm -d '{"url":"https://hooks.example.com/in","events":["ticket.created","article.added"],"description":"schemathesis"}' \
  "$URL/api/v1/webhooks" | json '["id"]')
[ -n "$W" ] || fail "fixture: webhook"
S=$(api -d '{"login":"alice","password":"correct horse"}' "$URL/api/v1/sessions" | json '["token"]')
[ -n "$S" ] || fail "fixture: alice's session"
numbers=()
for i in 1 2 3; do
  numbers+=("$(api -H "Authorization: Bearer $S" -d "{\"title\":\"Fixture $i\",\"body\":\"Body $i\",\"queue\":\"Raw\"}" \
    "$URL/api/v1/tickets" | json '["number"]')")
done
numbers+=("$(adm -d '{"title":"Phone","body":"Called in.","queue":"Raw","customer_user":"carol","service":"Email","sla":"Gold"}' \
  "$URL/api/v1/tickets" | json '["number"]')")

quote() { local out="" v; for v in "$@"; do out+="\"$v\", "; done; printf '[%s]' "${out%, }"; }
cat >"$work/schemathesis.toml" <<TOML
[dictionaries.numbers]
values = $(quote "${numbers[@]}")
[dictionaries.logins]
values = ["alice", "carol", "bob"]
[dictionaries.customers]
values = ["acme"]
[dictionaries.groups]
values = ["users", "sales", "admin"]
[dictionaries.roles]
values = ["support-role"]
[dictionaries.services]
values = ["Email"]
[dictionaries.queues]
values = ["Raw", "Sales", "Misc"]
[dictionaries.webhooks]
values = ["$W"]
[dictionaries.texts]
values = ["dear", "team", "received", "fixed", "Office", "Gold"]

[parameters]
"path.number" = { dictionary = "numbers", probability = 0.7 }
"path.login" = { dictionary = "logins", probability = 0.7 }
"path.id" = { dictionary = "customers", probability = 0.7 }
"path.group" = { dictionary = "groups", probability = 0.7 }
"path.role" = { dictionary = "roles", probability = 0.7 }
"path.service" = { dictionary = "services", probability = 0.7 }
"body.queue" = { dictionary = "queues", probability = 0.5 }
"body.into" = { dictionary = "numbers", probability = 0.5 }
"path.name" = { dictionary = "texts", probability = 0.5 }

# Admins' texts are templates, which the engine compiles when they are saved, and a language may be
# given once: no schema says either, so a schema-valid text may be refused with 422 (naming the line).
[[operations]]
include-path-regex = "^/api/v1/(auto-responses|salutations|signatures|templates|notifications)"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# Files beyond the per-article limits (count 422, size 413; the server's settings, not the schema's).
[[operations]]
include-path-regex = "^/api/v1/tickets(/[^/]+/articles)?$"
include-method = "POST"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "413", "422"]

# A calendar's intervals must be in order and apart, its week must work some hour, and its dates must
# exist (02-30 matches the pattern): no schema says these, so a schema-valid calendar may be refused with
# 422 (naming the value). An SLA's calendar and services must exist (404).
[[operations]]
include-path-regex = "^/api/v1/(calendars|slas)"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# Webhooks: the path's id is the subscription's (a customer's elsewhere). A schema-valid URL may not be
# an http(s) URL or may name a private address, a secret of the right form may hold too few or too many
# bytes, a queue or group may not exist: 422 (naming the value) or 404. A replayed delivery may wait
# already (409).
[[operations]]
include-path-regex = "^/api/v1/webhooks"
parameters = { "path.id" = { dictionary = "webhooks", probability = 0.7 } }
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# Imports from another help desk (admins): what a record or ticket names must exist (404: a group, a
# calendar, a grant's subject, the ticket's queue and state), a number may be a native ticket's or a name
# another record's (409), and the engine checks what no schema says (422: a calendar's hours, a state
# whose type differs, base64 that is not canonical). A grant's subject or target is looked up before its
# name is checked, so a malformed name is refused as a 404 (which rejection allows).
[[operations]]
include-path-regex = "^/api/v1/import/"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "413", "422"]
TOML

hooks="$PWD/tests/schemathesis_hooks.py"
checks=${ST_CHECKS:-all}
# One run per identity. The hooks keep each run from revoking or invalidating the identity it runs as
# (after that every request would be a 401 and nothing more would be tested).
run_as() {
  local who=$1 token=$2 protect=$3
  shift 3
  echo "schemathesis as $who: $max_examples examples per operation, seed $seed"
  # From the scratch directory: st keeps its caches (.hypothesis, .schemathesis) in the working directory.
  if ! (cd "$work" && SCHEMATHESIS_HOOKS="$hooks" CHAMADO_ST_PROTECT="$protect" \
    st --config-file "$work/schemathesis.toml" run "$URL/api/openapi.json" \
    -H "Authorization: Bearer $token" --checks "$checks" --max-examples "$max_examples" --seed "$seed" \
    --workers 1 --no-color --warnings off --report junit --report-dir "$work/report-$who" "$@" >"$work/st-$who.log" 2>&1); then
    sed -n '/= \(FAILURES\|ERRORS\) =/,$p' "$work/st-$who.log" | cut -c1-400 | head -n 300 >&2
    fail "schemathesis found problems as $who"
  fi
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$URL/api/v1/tickets?limit=1")
  [ "$code" = 200 ] || fail "the $who token no longer works after the run (HTTP $code): the run tested little"
  grep -E 'generated|passed' "$work/st-$who.log" | tail -n 1
}
# The customer run goes first: the admin run may change alice (invalidate her, change her password).
run_as customer "$S" alice --exclude-operation-id delete_session
run_as admin "$TOKEN" admin
grep -qi 'panicked' "$work/helpdesk.log" && fail "the helpdesk panicked during the runs"
echo "schemathesis: 2 passed, 0 failed"
