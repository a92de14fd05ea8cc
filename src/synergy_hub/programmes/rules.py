"""Pure rules of pilot calls: eligibility of an application, reviewer conflicts, rubric scores
and outlying reviews. Plain values in, plain values out, no Django (tested alone)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

#: Reason codes of an application that may not be submitted.
LEAD_KIND = "lead_kind"
NO_SME = "no_sme_partner"
NO_PUBLISHER = "no_platform_or_provider"
NO_RESOURCE = "no_resource"
RESOURCE_NOT_PUBLISHED = "resource_not_published"
PILLAR_NOT_IN_CALL = "pillar_not_in_call"
NO_MILESTONE = "no_milestone"
CALL_CLOSED = "call_closed"

#: Reason codes of a conflict of interest between a reviewer and an application.
CONFLICT_PARTY = "reviewer_is_party"
CONFLICT_GROUP = "shares_parent"
CONFLICT_AGREEMENT = "active_agreement"

PUBLISHER_KINDS = frozenset({"platform", "provider"})

#: A review more than this many standard deviations from the others' mean is flagged.
OUTLIER_SIGMAS = 2.0
#: The smallest spread assumed among the others (5 % of the scale): reviewers who agree
#: exactly must not turn a neighbouring score into an outlier.
MIN_SPREAD = 0.05


@dataclass(frozen=True)
class ApplicationFacts:
    """What eligibility needs to know about an application and its call, as plain values."""

    lead_kind: str
    partner_kinds: Sequence[str]
    eligible_kinds: Sequence[str]
    pillar: str
    call_pillars: Sequence[str]
    resource_published: Sequence[bool]
    milestone_count: int
    call_open: bool


def eligibility_problems(facts: ApplicationFacts) -> list[str]:
    """The reasons an application may not be submitted (empty: it may).

    The consortium needs at least one platform or provider and at least one SME among the
    lead and partners, since a pilot joins the two sides of the plan.
    """
    problems: list[str] = []
    if not facts.call_open:
        problems.append(CALL_CLOSED)
    if facts.eligible_kinds and facts.lead_kind not in facts.eligible_kinds:
        problems.append(LEAD_KIND)
    members = [facts.lead_kind, *facts.partner_kinds]
    if "sme" not in members:
        problems.append(NO_SME)
    if not PUBLISHER_KINDS.intersection(members):
        problems.append(NO_PUBLISHER)
    if facts.call_pillars and facts.pillar not in facts.call_pillars:
        problems.append(PILLAR_NOT_IN_CALL)
    if not facts.resource_published:
        problems.append(NO_RESOURCE)
    elif not all(facts.resource_published):
        problems.append(RESOURCE_NOT_PUBLISHED)
    if facts.milestone_count < 1:
        problems.append(NO_MILESTONE)
    return problems


def conflicts(
    reviewer_org: int,
    parties: Iterable[int],
    parents: Mapping[int, int],
    agreement_pairs: Iterable[tuple[int, int]],
) -> list[str]:
    """The conflicts of interest between a reviewer's organisation and an application's parties.

    `parents` maps an organisation to its parent organisation; `agreement_pairs` are the
    (provider, consumer) pairs of active agreements that involve the reviewer's organisation.
    """
    party_set = set(parties)
    found: list[str] = []
    if reviewer_org in party_set:
        found.append(CONFLICT_PARTY)

    def group(org: int) -> int:
        return parents.get(org, org)

    if reviewer_org not in party_set and any(group(reviewer_org) == group(p) for p in party_set):
        found.append(CONFLICT_GROUP)
    for provider, consumer in agreement_pairs:
        other = consumer if provider == reviewer_org else provider
        if reviewer_org in (provider, consumer) and other in party_set:
            found.append(CONFLICT_AGREEMENT)
            break
    return found


@dataclass(frozen=True)
class Criterion:
    key: str
    weight: float


def weighted_score(rubric: Sequence[Criterion], scores: Mapping[str, int], scale_max: int) -> float:
    """A review's score normalised to 0–1: the weighted mean of its criteria over the scale."""
    total_weight = sum(c.weight for c in rubric)
    if total_weight <= 0 or scale_max <= 0:
        raise ValueError("the rubric needs positive weights and scale")
    return sum(c.weight * scores[c.key] for c in rubric) / (total_weight * scale_max)


def outliers(totals: Sequence[float], sigmas: float = OUTLIER_SIGMAS) -> list[bool]:
    """For each review, whether it lies more than `sigmas` standard deviations from the others.

    Compared with the *others* (leave-one-out), since one extreme score inflates a spread
    that includes itself; with fewer than three reviews nothing is flagged. The spread
    is at least `MIN_SPREAD`.
    """
    if len(totals) < 3:
        return [False] * len(totals)
    flags = []
    for i, value in enumerate(totals):
        others = [t for j, t in enumerate(totals) if j != i]
        mean = statistics.fmean(others)
        spread = max(statistics.pstdev(others), MIN_SPREAD)
        flags.append(abs(value - mean) > sigmas * spread)
    return flags


#: Evidence files: the kinds accepted, told by their first bytes, and the largest size.
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
}
EVIDENCE_TOO_LARGE = "too_large"
EVIDENCE_TYPE = "file_type"


def evidence_problem(name: str, size: int, head: bytes) -> str | None:
    """Why an evidence file is refused (too large, or not what its name says), or None.

    The first bytes must match the extension, so a renamed executable or HTML page is
    refused even with an allowed name.
    """
    if size > EVIDENCE_MAX_BYTES:
        return EVIDENCE_TOO_LARGE
    dot = name.rfind(".")
    extension = name[dot:].lower() if dot >= 0 else ""
    signatures = EVIDENCE_SIGNATURES.get(extension)
    if not signatures or not any(head.startswith(sig) for sig in signatures):
        return EVIDENCE_TYPE
    return None
