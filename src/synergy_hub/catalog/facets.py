"""Facet counts of a set of catalog resources: how many fall under each filter value.

Type, access mode, price band, batch and publisher come from one grouped query, regions
and industries from one each (never a query per value, nor per resource), so the
catalog page costs the same few queries whatever it shows. The set is
passed as a queryset (a listing) or as resource ids (a ranked search's results).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from synergy_hub.accounts.models import Organisation
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.query import PRICE_BAND_KEYS
from synergy_hub.catalog.vocabulary import AccessMode, ResourceType
from synergy_hub.eligibility import industries as industry_codes
from synergy_hub.eligibility import regions as region_codes
from synergy_hub.languages import pick_language

#: Price bands of the list price per unit (CNY): the filter and the facet agree on them.
PRICE_BANDS: Final = {
    "free": (_("Free"), Q(price__isnull=True) | Q(price=0)),
    "under_100": (_("Under ¥100"), Q(price__gt=0, price__lt=100)),
    "100_to_1000": (_("¥100 to ¥1,000"), Q(price__gte=100, price__lt=1000)),
    "1000_or_more": (_("¥1,000 or more"), Q(price__gte=1000)),
}
assert tuple(PRICE_BANDS) == PRICE_BAND_KEYS
#: Regions, industries and publishers listed per facet, the most frequent first.
TOP_VALUES: Final = 10


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet: the filter parameter's value, its label and the count."""

    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facet:
    """One facet: the filter parameter it sets, its title and its values."""

    param: str
    title: str
    values: list[FacetValue]


def price_band_q(band: str) -> Q:
    """The filter of one price band (a key of `PRICE_BANDS`)."""
    return PRICE_BANDS[band][1]


def _grouped(scope: QuerySet[Resource]) -> dict[str, Counter[Any]]:
    """Counts per type, access mode, price band, batch and publisher, from one grouped query."""
    band = Case(
        *[When(condition, then=Value(key)) for key, (_label, condition) in PRICE_BANDS.items()],
        default=Value(""),
        output_field=CharField(),
    )
    fields = {
        "type": "resource_type",
        "access_mode": "access_mode",
        "price_band": "band",
        "batch": "openness_list__batch__number",
        "publisher": "openness_list__publisher_id",
    }
    rows = (
        scope.order_by()
        .annotate(band=band)
        .values(*fields.values())
        .annotate(n=Count("pk", distinct=True))
    )
    counts: dict[str, Counter[Any]] = {param: Counter() for param in fields}
    for row in rows:
        for param, column in fields.items():
            counts[param][row[column]] += row["n"]
    return counts


def _top(counter: Counter[Any], limit: int | None = None) -> list[tuple[Any, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], str(item[0])))[:limit]


def _through(ids: QuerySet[Any], related: str, column: str) -> list[tuple[str, int]]:
    through = getattr(Resource, related).through
    rows = (
        through.objects.filter(resource_id__in=ids)
        .values(column)
        .annotate(n=Count("resource_id"))
        .order_by("-n", column)[:TOP_VALUES]
    )
    return [(row[column], row["n"]) for row in rows]


def facet_counts(resources: QuerySet[Resource] | Iterable[int]) -> list[Facet]:
    """The facets of a set of resources (a queryset, or the ids of a ranked search)."""
    if isinstance(resources, QuerySet):
        ids = resources.order_by().values("pk")
    else:
        ids = Resource.objects.filter(pk__in=list(resources)).values("pk")
    scope = Resource.objects.filter(pk__in=ids)
    language = get_language() or "zh-hans"
    types = dict(ResourceType.choices)
    modes = dict(AccessMode.choices)
    grouped = _grouped(scope)
    facets = [
        Facet(
            "type",
            str(_("Type")),
            [FacetValue(v, str(types.get(v, v)), n) for v, n in _top(grouped["type"])],
        ),
        Facet(
            "access_mode",
            str(_("Access mode")),
            [FacetValue(v, str(modes.get(v, v)), n) for v, n in _top(grouped["access_mode"])],
        ),
        Facet(
            "price_band",
            str(_("Price")),
            [
                FacetValue(band, str(label), grouped["price_band"][band])
                for band, (label, _condition) in PRICE_BANDS.items()
                if grouped["price_band"][band]
            ],
        ),
        Facet(
            "region",
            str(_("Region")),
            [
                FacetValue(code, region_codes.region_name(code, language) or code, n)
                for code, n in _through(ids, "regions", "region_id")
            ],
        ),
        Facet(
            "industry",
            str(_("Industry")),
            [
                FacetValue(code, _industry_name(code, language), n)
                for code, n in _through(ids, "industries", "industry_id")
            ],
        ),
        Facet(
            "batch",
            str(_("Batch")),
            [
                FacetValue(str(number), str(_("Batch %(n)d") % {"n": number}), n)
                for number, n in sorted(grouped["batch"].items())
            ],
        ),
    ]
    publishers = _top(grouped["publisher"], TOP_VALUES)
    names = {
        org.pk: pick_language(org.name_zh, org.name_en)
        for org in Organisation.objects.filter(pk__in=[pk for pk, _n in publishers]).only(
            "pk", "name_zh", "name_en"
        )
    }
    facets.append(
        Facet(
            "publisher",
            str(_("Publisher")),
            [FacetValue(str(pk), names.get(pk, str(pk)), n) for pk, n in publishers],
        )
    )
    return facets


def _industry_name(code: str, language: str) -> str:
    found = industry_codes.get_industry(code)
    if found is None:
        return code
    return found.name_zh if language.startswith("zh") else found.name_en
