"""The words of the ranking disclosure, in both languages.

The engine defines the parameters as functions; these are the sentences a user reads about
them on the "How ranking works" page and beside each result.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from synergy_hub.matching.configuration import active_configuration
from synergy_hub.matching.engine.ranking import PARAMETERS

LABELS: dict[str, str | Promise] = {
    "relevance": _("Relevance to your search"),
    "eligibility_fit": _("Fit to your kind of enterprise"),
    "region_proximity": _("Region"),
    "price_fit": _("Price"),
    "free_capacity": _("Free capacity"),
    "provider_track_record": _("Provider's track record"),
    "freshness": _("Freshness"),
}


def labels() -> Mapping[str, str]:
    """Every parameter's label in the active language.

    Each result's explanation carries every parameter's label: a batch run words millions
    of them, so each language's labels are translated once per process.
    """
    return _labels_in(get_language())


@lru_cache(maxsize=16)
def _labels_in(language: str | None) -> Mapping[str, str]:
    # Called with the active language as `language`, so the translations are that language's.
    return MappingProxyType({name: str(text) for name, text in LABELS.items()})


MEANINGS: dict[str, str | Promise] = {
    "relevance": _(
        "How closely the resource's title, description and keywords match your words, in "
        "Chinese or English, by keyword (BM25) and by meaning (a multilingual sentence "
        "encoder); the best match of a search scores 1."
    ),
    "eligibility_fit": _(
        "How specifically the resource is meant for your size class, gradient-cultivation "
        "tier and industry: higher when it targets exactly your kind of enterprise, neutral "
        "when it is open to all or we do not know your organisation."
    ),
    "region_proximity": _(
        "1 when the resource serves your city or prefecture, 0.7 when it serves your "
        "province, 0.4 when it is offered nationwide; neutral when your region is unknown."
    ),
    "price_fit": _(
        "Cheaper after the SME discount ranks higher: 1 when free, one half at the reference "
        "price (or at your price ceiling when you set one)."
    ),
    "free_capacity": _(
        "The share of the declared capacity that is still free in the period; 0 when less is "
        "free than you need."
    ),
    "provider_track_record": _(
        "The provider's share of agreements completed as agreed; neutral until it has any."
    ),
    "freshness": _(
        "Recently published resources rank a little higher; the effect halves every %(days)d days."
    ),
}

RATIONALE: dict[str, str | Promise] = {
    "relevance": _("Answering your search is the main reason to show a resource."),
    "eligibility_fit": _(
        "Resources made for enterprises like yours can be used without negotiation."
    ),
    "region_proximity": _("Nearby services (laboratories, equipment, testing) are easier to use."),
    "price_fit": _("SMEs are price-sensitive; the price you actually pay counts."),
    "free_capacity": _("A resource that is fully booked cannot help you now."),
    "provider_track_record": _("Providers who keep their agreements deserve trust."),
    "freshness": _("New openings should be seen, without burying proven ones."),
}


def ranking_disclosure() -> dict[str, Any]:
    """The public description of the ranking in force, generated from its configuration."""
    active = active_configuration()
    config = active.ranking
    fairness = active.fairness
    days = round(config.freshness_half_life_days)
    parameters = [
        {
            "name": name,
            "label": labels()[name],
            "weight": config.weights[name],
            "meaning": str(MEANINGS[name]) % {"days": days}
            if name == "freshness"
            else str(MEANINGS[name]),
            "rationale": str(RATIONALE[name]),
        }
        for name in sorted(PARAMETERS, key=lambda n: -config.weights[n])
    ]
    return {
        "version": config.version,
        "activated_at": active.activated_at.isoformat() if active.activated_at else None,
        "parameters": parameters,
        "paid_influence": str(
            _(
                "None. No payment, fee level or commercial relationship with the platform "
                "changes the order: only the parameters above do, and ties are broken by the "
                "resource's number."
            )
        ),
        "fair_exposure": {
            "k": fairness.k,
            "p": fairness.p,
            "alpha": fairness.alpha,
            "protected_size_classes": sorted(fairness.group.size_classes),
            "protected_kinds": sorted(fairness.group.kinds),
            "explanation": str(
                _(
                    "In the first %(k)d results, resources of SMEs and small and micro "
                    "providers are guaranteed at least the share a fair draw with "
                    "proportion %(p)s would give them (FA*IR, significance %(alpha)s). When "
                    "the scores alone would bury them, the best of them move up; nobody "
                    "else's order changes."
                )
                % {"k": fairness.k, "p": fairness.p, "alpha": fairness.alpha}
            ),
        },
    }
