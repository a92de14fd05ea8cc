"""Every change to the governance records: one function, one transaction, one audit event.

Each function checks who acts, validates (the rule modules decide, the service names the
field), writes and records the audit event in one durable transaction. Split by
responsibility: `fees` (fee schedules, notices, leaving without penalty), `ranking`
(ranking disclosures, the non-personalised ordering), `complaints` (mediators, evidence,
complaints) and `relationships` (restriction, suspension and termination of a whole
relationship with an SME); `_common` holds the shared field checks.
"""

from synergy_hub.governance.services._common import RUNNING_STATES, SME_KINDS
from synergy_hub.governance.services.complaints import (
    ACKNOWLEDGEABLE,
    DECIDABLE,
    ESCALATED,
    EVIDENCE_TYPES,
    MAX_EVIDENCE_BYTES,
    MAX_EVIDENCE_FILES,
    Upload,
    acknowledge_complaint,
    add_evidence,
    add_mediator,
    check_evidence,
    complaint_steps,
    decide_complaint,
    escalate_complaint,
    file_complaint,
)
from synergy_hub.governance.services.fees import (
    affected_smes,
    answer_fee_notice,
    clean_fee_schedule,
    draft_fee_schedule,
    publish_fee_schedule,
)
from synergy_hub.governance.services.ranking import (
    publish_ranking_disclosure,
    set_ranking_preference,
)
from synergy_hub.governance.services.relationships import (
    LIFT_ACTIONS,
    MEASURE_ACTIONS,
    MEASURE_KINDS,
    can_lift,
    clean_measure,
    lift_relationship_measure,
    relationship_agreements,
    take_relationship_measure,
)

__all__ = [
    "ACKNOWLEDGEABLE",
    "DECIDABLE",
    "ESCALATED",
    "EVIDENCE_TYPES",
    "LIFT_ACTIONS",
    "MAX_EVIDENCE_BYTES",
    "MAX_EVIDENCE_FILES",
    "MEASURE_ACTIONS",
    "MEASURE_KINDS",
    "RUNNING_STATES",
    "SME_KINDS",
    "Upload",
    "acknowledge_complaint",
    "add_evidence",
    "add_mediator",
    "affected_smes",
    "answer_fee_notice",
    "can_lift",
    "check_evidence",
    "clean_fee_schedule",
    "clean_measure",
    "complaint_steps",
    "decide_complaint",
    "draft_fee_schedule",
    "escalate_complaint",
    "file_complaint",
    "lift_relationship_measure",
    "publish_fee_schedule",
    "publish_ranking_disclosure",
    "relationship_agreements",
    "set_ranking_preference",
    "take_relationship_measure",
]
