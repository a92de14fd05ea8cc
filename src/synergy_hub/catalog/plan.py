"""The action plan's pillars and 2028 targets, as shown on the public pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from synergy_hub.catalog.vocabulary import Pillar


@dataclass(frozen=True)
class Target:
    """One quantified goal of the plan for the end of 2028."""

    key: str
    label: str | Promise
    minimum: int | None
    note: str | Promise


PLAN_TARGETS = (
    Target("batches", _("batches of platform openness lists"), 3, _("released 2026–2028")),
    Target(
        "pilot_projects",
        _("pilot projects for open platform resource scenarios"),
        100,
        _("at least"),
    ),
    Target("service_platforms", _("service platforms"), 10, _("at least")),
    Target(
        "scenarios",
        _("implementable intelligent service application scenarios"),
        60,
        _("at least"),
    ),
    Target(
        "single_champions",
        _("manufacturing single-champion enterprises cultivated"),
        None,
        _("a group"),
    ),
)

PILLAR_DESCRIPTIONS: dict[str, str | Promise] = {
    Pillar.INNOVATION: _(
        "Large platforms open technology, data, computing power and AI models so that SMEs "
        "can innovate with them (collaborative innovation navigation action)."
    ),
    Pillar.ECOSYSTEM: _(
        "Fair fees, transparent ranking and protected merchant rights make the platform "
        "ecosystem one that SMEs can grow in (ecosystem synergy enhancement action)."
    ),
    Pillar.OPEN: _(
        "R&D tools, laboratories, pilot-scale testing and certification services are opened "
        "to SMEs through published lists (open collaboration expansion action)."
    ),
}
