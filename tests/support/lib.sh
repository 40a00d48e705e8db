# Shared by the end-to-end and fault scripts (sourced, not run). Expects the caller to have set `bin`
# (the cargo target profile directory), `work` (its temporary directory), `pids` (an array, killed by
# its cleanup) and a `fail` function; `URL` and `TOKEN` before `start_helpdesk` and `adm`.

# A free TCP port on loopback.
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts the built helpdesk with the given VAR=value settings, appending to $work/helpdesk.log; sets HD
# to its pid, adds it to pids, and waits until $URL/healthz answers.
start_helpdesk() {
  env "$@" "$bin/examples/helpdesk" >>"$work/helpdesk.log" 2>&1 &
  HD=$!
  pids+=("$HD")
  for _ in $(seq 1 600); do
    curl -sf "$URL/healthz" >/dev/null && return 0
    kill -0 "$HD" 2>/dev/null || fail "the helpdesk exited while starting"
    sleep 0.05
  done
  fail "the helpdesk did not come up"
}

# An admin API call: curl with the admin token and a JSON content type; fails on an HTTP error.
adm() { curl -sf -H 'content-type: application/json' -H "Authorization: Bearer $TOKEN" "$@"; }

# The customer acme and its customer user alice@acme.example, through the API at $1 (default $URL).
fixture_alice() {
  local url=${1:-$URL}
  adm -d '{"id":"acme","name":"Acme Inc."}' "$url/api/v1/customers" >/dev/null || fail "fixture: customer"
  adm -d '{"login":"alice","email":"alice@acme.example","customer_id":"acme"}' "$url/api/v1/customer-users" \
    >/dev/null || fail "fixture: customer user"
}

# An SMTP sink on 127.0.0.1:$1 writing each message to $2/<n>.eml (tests/support/sink_handler.py).
start_sink() {
  mkdir -p "$2"
  PYTHONPATH="tests/support" python3 -m aiosmtpd -n -l "127.0.0.1:$1" -c sink_handler.Sink "$2" \
    >"$work/relay.log" 2>&1 &
  pids+=($!)
}
