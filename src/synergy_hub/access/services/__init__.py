"""Every change to access requests, agreements, bookings and usage goes through here.

Split by sub-domain: `negotiation` (request, offer, counter, accept, agree, reject,
withdraw), `agreements` (time-driven steps, suspend, resume, restrict, terminate),
`capacity` (slot booking), `rounds` (allocation rounds), `metering` (record_use) and
`resource_policy` (a resource's default usage policy). The state machine itself is the
pure table in `access.workflow`.
"""

from synergy_hub.access.notifications import mark_read as mark_notifications_read
from synergy_hub.access.services.agreements import (
    advance_agreement,
    advance_agreements,
    clean_exception,
    earliest_termination,
    restrict_agreement,
    resume_agreement,
    resume_agreement_in_transaction,
    suspend_agreement,
    suspend_agreement_in_transaction,
    terminate_agreement,
    terminate_agreement_in_transaction,
    withdraw_termination_in_transaction,
)
from synergy_hub.access.services.metering import record_use
from synergy_hub.access.services.negotiation import (
    accept_offer,
    agree,
    check_request,
    counter_offer,
    make_offer,
    reject_request,
    request_access,
    withdraw_request,
)
from synergy_hub.access.services.resource_policy import set_resource_policy
from synergy_hub.access.services.rounds import (
    close_round,
    open_round,
    request_in_round,
    run_closing_jobs,
)
from synergy_hub.access.services.terms import clean_statement

__all__ = [
    "accept_offer",
    "advance_agreement",
    "advance_agreements",
    "agree",
    "check_request",
    "clean_exception",
    "clean_statement",
    "close_round",
    "counter_offer",
    "earliest_termination",
    "make_offer",
    "mark_notifications_read",
    "open_round",
    "record_use",
    "reject_request",
    "request_access",
    "request_in_round",
    "restrict_agreement",
    "resume_agreement",
    "resume_agreement_in_transaction",
    "run_closing_jobs",
    "set_resource_policy",
    "suspend_agreement",
    "suspend_agreement_in_transaction",
    "terminate_agreement",
    "terminate_agreement_in_transaction",
    "withdraw_request",
    "withdraw_termination_in_transaction",
]
