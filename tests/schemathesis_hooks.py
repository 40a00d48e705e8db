"""Schemathesis hooks for tests/schemathesis.sh: keep the fuzzer from locking itself out.

The API lets an admin revoke tokens, invalidate agents, drop group permissions and log sessions out.
Done to the identity the run authenticates with, every later request would answer 401/403 and the
rest of the run would test nothing. CHAMADO_ST_PROTECT names the logins (agents and customer users)
no generated request may touch. (The customer run also leaves out logout, by operation id.)
"""

import os

import schemathesis

PROTECTED = {s for s in os.environ.get("CHAMADO_ST_PROTECT", "").split(",") if s}


def _touches_protected(case) -> bool:
    params = case.path_parameters or {}
    if any(str(params.get(k)) in PROTECTED for k in ("login", "id")):
        return True
    body = case.body
    if isinstance(body, dict) and str(body.get("login")) in PROTECTED:
        return True
    return False


@schemathesis.hook
def filter_case(context, case) -> bool:
    return not _touches_protected(case)
