"""Every change of the programme office's records goes through a function here.

Each public service `verb_noun(actor, …)` checks who may act, validates its input (field
errors raised together as one `ValidationError`), then in one
`transaction.atomic(durable=True)` locks the row it changes, re-checks the state under the
lock, writes and appends the audit event. The rules that need no database (eligibility,
conflicts, scores, selection) live in `programmes.rules` and `programmes.selection`.

The functions live by sub-domain — `targets`, `calls`, `applications`, `review`,
`decisions` (selection, overrides, project status), `registries` (service platforms and
scenarios) and `tracking` (reports, evidence, evaluation) — with what they share (who may
apply, limits, the state refusal, row locks) in `common`; this module gathers the public
ones.
"""

from __future__ import annotations

from synergy_hub.programmes.services.applications import (
    applicant_organisation,
    application_snapshot,
    clean_application_data,
    create_application,
    eligibility_messages,
    eligibility_of,
    require_own_application,
    submit_application,
    withdraw_application,
)
from synergy_hub.programmes.services.calls import (
    call_snapshot,
    clean_call_data,
    close_call,
    create_call,
    open_call,
)
from synergy_hub.programmes.services.common import (
    APPLICANT_KINDS,
    LIVE_AGREEMENT_STATES,
    MAX_BUDGET,
    MAX_MILESTONES,
    MAX_PARTNERS,
    MAX_RESOURCES,
    MAX_TEXT,
    MAX_TITLE,
    MIN_REVIEWS,
    OPERATOR_KINDS,
    PLAN_DUE,
    PLAN_TARGETS,
    applicant_of,
    lock_row,
    parse_ids,
    refuse_state,
)
from synergy_hub.programmes.services.decisions import (
    POINTS,
    override_selection,
    run_selection,
    selection_problem,
    set_project_status,
)
from synergy_hub.programmes.services.registries import (
    confirm_platform,
    confirm_scenario_implemented,
    propose_scenario,
    record_scenario_evidence,
    register_platform,
    start_scenario_pilot,
)
from synergy_hub.programmes.services.reminders import send_reminders
from synergy_hub.programmes.services.review import (
    assign_reviewer,
    conflict_messages,
    conflicts_of,
    submit_scores,
)
from synergy_hub.programmes.services.targets import (
    add_target,
    clean_programme_data,
    save_programme,
    seed_plan_targets,
)
from synergy_hub.programmes.services.tracking import (
    evaluate_project,
    evidence_file,
    report_progress,
    require_project_lead,
)

__all__ = [
    "APPLICANT_KINDS",
    "LIVE_AGREEMENT_STATES",
    "MAX_BUDGET",
    "MAX_MILESTONES",
    "MAX_PARTNERS",
    "MAX_RESOURCES",
    "MAX_TEXT",
    "MAX_TITLE",
    "MIN_REVIEWS",
    "OPERATOR_KINDS",
    "PLAN_DUE",
    "PLAN_TARGETS",
    "POINTS",
    "add_target",
    "applicant_of",
    "applicant_organisation",
    "application_snapshot",
    "assign_reviewer",
    "call_snapshot",
    "clean_application_data",
    "clean_call_data",
    "clean_programme_data",
    "close_call",
    "confirm_platform",
    "confirm_scenario_implemented",
    "conflict_messages",
    "conflicts_of",
    "create_application",
    "create_call",
    "eligibility_messages",
    "eligibility_of",
    "evaluate_project",
    "evidence_file",
    "lock_row",
    "open_call",
    "override_selection",
    "parse_ids",
    "propose_scenario",
    "record_scenario_evidence",
    "refuse_state",
    "register_platform",
    "report_progress",
    "require_own_application",
    "require_project_lead",
    "run_selection",
    "save_programme",
    "seed_plan_targets",
    "selection_problem",
    "send_reminders",
    "set_project_status",
    "start_scenario_pilot",
    "submit_application",
    "submit_scores",
    "withdraw_application",
]
