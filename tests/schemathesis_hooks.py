"""Schemathesis hooks for tests/schemathesis.sh: keep the fuzzer from locking itself out.

The API lets an admin revoke tokens, invalidate agents, drop group permissions and log sessions out.
Done to the identity the run authenticates with, every later request would answer 401/403 and the
rest of the run would test nothing. CHAMADO_ST_PROTECT names the logins (agents and customer users)
no generated request may touch (by path, by a body's `login`, or as an imported grant's subject). (The customer run also leaves out logout, by operation id.)

The event feed's long-poll (`GET /api/v1/events?wait=`) may hold a request up to 30 seconds, beyond
schemathesis' 10-second timeout: a valid wait is cut to at most one second before the call (invalid
ones go as generated, to be refused).
"""

import os
import re

import schemathesis

PROTECTED = {s for s in os.environ.get("CHAMADO_ST_PROTECT", "").split(",") if s}


def _touches_protected(case) -> bool:
    params = case.path_parameters or {}
    if any(str(params.get(k)) in PROTECTED for k in ("login", "id")):
        return True
    body = case.body
    if isinstance(body, dict) and str(body.get("login")) in PROTECTED:
        return True
    # An imported grant of the identity itself (`PUT /api/v1/import/records`) could take its rights.
    subject = body.get("subject") if isinstance(body, dict) else None
    if isinstance(subject, dict) and str(subject.get("name")) in PROTECTED:
        return True
    return False


@schemathesis.hook
def filter_case(context, case) -> bool:
    return not _touches_protected(case)


MAX_WAIT = 1


@schemathesis.hook
def before_call(context, case, kwargs) -> None:
    if case.operation.path != "/api/v1/events" or not isinstance(case.query, dict):
        return
    wait = case.query.get("wait")
    if isinstance(wait, bool):
        return
    if isinstance(wait, int) and 0 <= wait <= 30:
        case.query["wait"] = min(wait, MAX_WAIT)
    elif isinstance(wait, str) and re.fullmatch(r"[0-9]{1,2}", wait) and int(wait) <= 30:
        case.query["wait"] = str(min(int(wait), MAX_WAIT))
