"""The assistant's answer in plain words: what it understood and why each result fits.

Phrased with the translation catalogue in the language of the request, from the facts
the tools returned; the optional language model may rephrase the summary
(`assistant.llm`), never the facts.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from synergy_hub.assistant import tools
from synergy_hub.assistant.understanding.need import UnderstoodNeed
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import ResourceType
from synergy_hub.eligibility import industries, regions
from synergy_hub.matching.services import RankedResource


def _lang() -> str:
    return "zh" if (get_language() or "en").startswith("zh") else "en"


def type_label(code: str) -> str:
    return str(dict(ResourceType.choices).get(code, code))


def region_label(code: str) -> str:
    return regions.region_name(code, _lang()) or code


def industry_label(code: str) -> str:
    found = industries.get_industry(code)
    if found is None:
        return code
    return found.name_zh if _lang() == "zh" else found.name_en


def understood_lines(need: UnderstoodNeed) -> list[str]:
    """The need as the "what I understood" card lists it, one line per filled field."""
    lines = []
    if need.resource_types:
        lines.append(
            _("Looking for: %(types)s") % {"types": ", ".join(map(type_label, need.resource_types))}
        )
    if need.region_codes:
        lines.append(_("Region: %(region)s") % {"region": region_label(need.region_codes[0])})
    if need.industry_codes:
        lines.append(
            _("Industry: %(industry)s") % {"industry": industry_label(need.industry_codes[0])}
        )
    if need.budget_max_yuan is not None:
        lines.append(_("Budget: at most %(budget)s yuan") % {"budget": f"{need.budget_max_yuan:,}"})
    if need.wanted_from or need.wanted_until:
        lines.append(
            _("When: %(start)s to %(end)s")
            % {
                "start": need.wanted_from.isoformat() if need.wanted_from else "…",
                "end": need.wanted_until.isoformat() if need.wanted_until else "…",
            }
        )
    if need.deadline:
        lines.append(_("Deadline: %(date)s") % {"date": need.deadline.isoformat()})
    for quantity in need.quantities:
        lines.append(
            _("Quantity: %(amount)s %(unit)s")
            % {
                "amount": f"{quantity.amount.normalize():f}",
                "unit": tools.unit_label(quantity.unit),
            }
        )
    if need.certifications:
        lines.append(_("Certifications: %(names)s") % {"names": ", ".join(need.certifications)})
    return lines


def _serves(resource: Resource, code: str) -> bool:
    served = [region.pk for region in resource.regions.all()]
    return not served or any(regions.regions_overlap(code, other) for other in served)


def reasons_to_fit(item: RankedResource, need: UnderstoodNeed) -> list[str]:
    """Why the result fits the need, in the user's terms."""
    resource = item.resource
    why = []
    if resource.resource_type in need.resource_types:
        why.append(
            _("It is a %(type)s resource, the kind you need.")
            % {"type": type_label(resource.resource_type)}
        )
    if need.region_codes and _serves(resource, need.region_codes[0]):
        served = [region.pk for region in resource.regions.all()]
        if served:
            why.append(
                _("It serves %(region)s.")
                % {"region": ", ".join(region_label(code) for code in served[:3])}
            )
        else:
            why.append(_("It is open to enterprises anywhere in the country."))
    text = f"{resource.title_zh} {resource.title_en} {resource.description}".lower()
    named = [name for name in need.certifications if name.lower() in text]
    if named:
        why.append(_("It names %(names)s.") % {"names": ", ".join(named)})
    if item.match_quality == "close":
        why.append(_("Its description is a close match for your words."))
    else:
        why.append(_("Its description matches your words only partly."))
    return why


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def result_view(
    item: RankedResource,
    need: UnderstoodNeed,
    found: tools.Eligibility,
    price: tools.Fees,
    room: tools.Capacity,
) -> dict[str, Any]:
    """One result as the turn stores it and the page and API show it."""
    resource = item.resource
    terms = (resource.usage_terms or "").strip()
    budget_note = ""
    if price.within_budget is True:
        budget_note = _("Within your budget.")
    elif price.within_budget is False:
        budget_note = _("Above your budget.")
    return {
        "resource": resource.pk,
        "lineage": str(resource.lineage),
        "position": item.position,
        "title": resource.title,
        "resource_type": resource.resource_type,
        "type_label": type_label(resource.resource_type),
        "publisher": resource.openness_list.publisher.name,
        "url": reverse("catalog:resource", args=[resource.pk]),
        "why": reasons_to_fit(item, need),
        "price": _money(price.price),
        "sme_price": _money(price.sme_price),
        "sme_discount_percent": price.discount_percent,
        "unit": resource.unit,
        "price_text": tools.price_text(price),
        "estimate": _money(price.estimate),
        "within_budget": price.within_budget,
        "budget_note": budget_note,
        "fees": list(price.schedule),
        "capacity_text": room.text,
        "capacity_fits": room.fits,
        "eligibility": found.status,
        "eligibility_reasons": list(found.reasons),
        "usage_terms": terms[:300] + ("…" if len(terms) > 300 else ""),
    }


def summary(need: UnderstoodNeed, results: list[dict[str, Any]], notes: list[str]) -> str:
    """The assistant's reply above the results."""
    parts = list(notes)
    if not results:
        parts.append(
            _(
                "I found no published resource for this yet. You can save it as a need: "
                "platforms and the programme office see open needs."
            )
        )
        return " ".join(parts)
    best = results[0]
    parts.append(
        ngettext(
            "I found %(count)d resource: “%(title)s” from %(publisher)s.",
            "I found %(count)d resources. The best fit is “%(title)s” from %(publisher)s.",
            len(results),
        )
        % {"count": len(results), "title": best["title"], "publisher": best["publisher"]}
    )
    eligible = sum(1 for result in results if result["eligibility"] == "eligible")
    parts.append(
        _("Your organisation is eligible for %(eligible)d of them.") % {"eligible": eligible}
    )
    parts.append(
        _(
            "Nothing is sent until you confirm: use “Send this request” on a result, or "
            "“Save as need”."
        )
    )
    return " ".join(parts)
