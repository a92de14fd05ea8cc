"""Every change to organisations, users, memberships and API tokens goes through here.

Each function checks permission, validates, writes and appends to the audit log in one
transaction.

The functions live in `registration` (sign-up and its approval), `profile` (an
organisation's field checks, audit snapshot and edit), `tokens` (personal API tokens) and
`eligibility_changes` (reviewed size class, tier and region changes); this module gathers
the public ones.
"""

from synergy_hub.accounts.services.eligibility_changes import (
    EVIDENCE_MAX_BYTES,
    EVIDENCE_TYPES,
    decide_eligibility_change,
    request_eligibility_change,
)
from synergy_hub.accounts.services.profile import (
    ELIGIBILITY_FIELDS,
    MAX_EMPLOYEES,
    MAX_MONEY,
    ORGANISATION_TEXTS,
    organisation_snapshot,
    update_organisation,
    uscc_message,
    validate_organisation_fields,
)
from synergy_hub.accounts.services.registration import (
    SELF_REGISTERING_KINDS,
    check_registration,
    decide_organisation,
    register_organisation,
)
from synergy_hub.accounts.services.tokens import (
    TOKEN_PREFIX,
    TokenExpired,
    authenticate_token,
    create_api_token,
    revoke_api_token,
)

__all__ = [
    "ELIGIBILITY_FIELDS",
    "EVIDENCE_MAX_BYTES",
    "EVIDENCE_TYPES",
    "MAX_EMPLOYEES",
    "MAX_MONEY",
    "ORGANISATION_TEXTS",
    "SELF_REGISTERING_KINDS",
    "TOKEN_PREFIX",
    "TokenExpired",
    "authenticate_token",
    "check_registration",
    "create_api_token",
    "decide_eligibility_change",
    "decide_organisation",
    "organisation_snapshot",
    "register_organisation",
    "request_eligibility_change",
    "revoke_api_token",
    "update_organisation",
    "uscc_message",
    "validate_organisation_fields",
]
