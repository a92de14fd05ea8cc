""" "What could help": catalog resources for each condition that blocks the next tier.

Each indicator maps to the words and resource types that address it (R&D short → R&D
tools, labs, compute; IP short → IP and testing services); the search itself is the
hub's ranked search, unchanged, so the suggestions carry its explanations and filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from synergy_hub.catalog.eligibility import seeker_of
from synergy_hub.catalog.vocabulary import ResourceType
from synergy_hub.matching.services import RankedResource, search_resources
from synergy_hub.tiers.engine import Check

_RD = (
    "研发 实验室 算力 R&D laboratory computing",
    (
        ResourceType.SOFTWARE_TOOL,
        ResourceType.LABORATORY,
        ResourceType.COMPUTE,
        ResourceType.EQUIPMENT,
        ResourceType.AI_MODEL,
    ),
)
_IP = (
    "知识产权 专利 检验检测认证 intellectual property patent testing certification",
    (ResourceType.TESTING_CERTIFICATION, ResourceType.TRAINING_INCUBATION),
)
_MARKET = (
    "市场 供应链 渠道 market supply chain",
    (ResourceType.MARKET_ACCESS, ResourceType.SUPPLY_CHAIN_SERVICE),
)
_FINANCE = (
    "融资 投资 孵化 financing investment incubation",
    (ResourceType.TRAINING_INCUBATION,),
)
HELP_FOR: dict[str, tuple[str, tuple[str, ...]]] = {
    "rd_intensity": _RD,
    "rd_intensity_prev": _RD,
    "rd_spend": _RD,
    "rd_spend_prev": _RD,
    "rd_staff_share": _RD,
    "innovation": _RD,
    "class_i_ip": _IP,
    "ip_level": _IP,
    "srdi_score": _IP,
    "niche_market_share": _MARKET,
    "global_market_rank": _MARKET,
    "main_business_share": _MARKET,
    "main_business_growth": _MARKET,
    "revenue": _MARKET,
    "revenue_growth": _MARKET,
    "growth": _MARKET,
    "specialisation": _MARKET,
    "equity_financing_3y": _FINANCE,
    "debt_to_asset": _FINANCE,
}


@dataclass(frozen=True)
class Suggestion:
    """A blocking condition with the resources that could help with it."""

    check: Check
    items: list[RankedResource]


def suggest(
    blocking: tuple[Check, ...], organisation: Any, *, per_check: int = 3
) -> list[Suggestion]:
    """Up to `per_check` resources per blocking condition, one search per kind of help."""
    found: dict[str, list[RankedResource]] = {}
    suggestions: list[Suggestion] = []
    for check in blocking:
        help_for = HELP_FOR.get(check.indicator or "")
        if help_for is None:
            continue
        words, types = help_for
        if words not in found:
            outcome = search_resources(
                words,
                catalog_filters={"resource_types": list(types)},
                seeker=seeker_of(organisation),
                limit=per_check,
                record_exposure=False,
            )
            found[words] = outcome.items
        suggestions.append(Suggestion(check, found[words]))
    return suggestions
