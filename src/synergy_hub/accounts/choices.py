"""Regions and industries as grouped options for select boxes, from the reference tables."""

from __future__ import annotations

from typing import Any

from synergy_hub.accounts.models import Industry, Region


def region_choices(*, blank: str | None = None) -> list[Any]:
    """Provinces and prefectures grouped by province, for a select box."""
    rows = list(Region.objects.filter(level__in=["province", "prefecture"]).order_by("code"))
    groups: dict[str, list[tuple[str, str]]] = {}
    names: dict[str, str] = {}
    for region in rows:
        # The table's own hierarchy: a prefecture's parent is its province.
        province = region.code if region.level == "province" else (region.parent_id or "")
        if region.level == "province":
            names[province] = region.name
            groups.setdefault(province, []).insert(0, (region.code, region.name))
        else:
            groups.setdefault(province, []).append((region.code, "— " + region.name))
    choices: list[Any] = [("", blank)] if blank is not None else []
    choices += [(names.get(code, code), options) for code, options in groups.items()]
    return choices


def industry_choices(*, blank: str | None = None) -> list[Any]:
    """Sections and their divisions, for a select box."""
    groups: dict[str, list[tuple[str, str]]] = {}
    names: dict[str, str] = {}
    for industry in Industry.objects.order_by("code"):
        section = industry.code if industry.level == "section" else (industry.section_id or "")
        if industry.level == "section":
            names[section] = f"{industry.code} {industry.name}"
            groups.setdefault(section, []).insert(0, (industry.code, industry.name))
        else:
            groups.setdefault(section, []).append(
                (industry.code, f"{industry.code} {industry.name}")
            )
    choices: list[Any] = [("", blank)] if blank is not None else []
    choices += [(names.get(s, s), options) for s, options in sorted(groups.items())]
    return choices
