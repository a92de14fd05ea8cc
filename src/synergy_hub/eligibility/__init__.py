"""Who may use what: the GB/T 2260 and GB/T 4754 hierarchies and the eligibility rule.

A pure package (no Django). Every place that asks whether a region or industry lies
within another, or whether an organisation is inside the group a resource is opened to,
calls it: the matching engine, access requests, ODRL constraints, the catalog's filters
and the forms.

- `regions`: the GB/T 2260 table, one naming of every region, containment by code.
- `industries`: the GB/T 4754 table, sections and divisions, containment.
- `rules`: `verdict(conditions, seeker)` → eligible / not eligible / unknown, with reasons.
"""

from .rules import (
    NO_TIER,
    RULE_INDUSTRY,
    RULE_REGION,
    RULE_SIZE_CLASS,
    RULE_TIER,
    SEEKER_RULES,
    SIZE_CLASSES,
    TIER_LADDER,
    Conditions,
    OpenedTo,
    Seeker,
    Status,
    Verdict,
    tiers_held,
    verdict,
)

__all__ = [
    "NO_TIER",
    "RULE_INDUSTRY",
    "RULE_REGION",
    "RULE_SIZE_CLASS",
    "RULE_TIER",
    "SEEKER_RULES",
    "SIZE_CLASSES",
    "TIER_LADDER",
    "Conditions",
    "OpenedTo",
    "Seeker",
    "Status",
    "Verdict",
    "tiers_held",
    "verdict",
]
