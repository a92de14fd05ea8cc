"""The Django side of eligibility: a resource's conditions, an organisation's facts, reasons.

The rule itself is `synergy_hub.eligibility.verdict`; search, access requests and
outreach all reach it through these functions, so an organisation that search shows a
resource as eligible for is one that may request it, and the reverse.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from synergy_hub.accounts.models import Organisation, SizeClass, Tier
from synergy_hub.catalog.models import Resource
from synergy_hub.eligibility import (
    NO_TIER,
    RULE_INDUSTRY,
    RULE_REGION,
    RULE_SIZE_CLASS,
    RULE_TIER,
    OpenedTo,
    Seeker,
    Verdict,
    verdict,
)


def conditions_of(resource: Resource) -> OpenedTo:
    """Who the resource is opened to (reads the prefetched regions and industries)."""
    return OpenedTo(
        eligible_size_classes=frozenset(resource.eligible_size_classes or ()),
        eligible_tiers=frozenset(resource.eligible_tiers or ()),
        regions=frozenset(region.pk for region in resource.regions.all()),
        industries=frozenset(industry.pk for industry in resource.industries.all()),
    )


def seeker_of(organisation: Organisation | None, *, region: str | None = None) -> Seeker:
    """What is known about an organisation (nothing when anonymous); `region` overrides.

    A size class the profile cannot compute yet is unknown; an organisation without a
    gradient-cultivation tier has `NO_TIER`, a known fact.
    """
    if organisation is None:
        return Seeker(region=region)
    return Seeker(
        size_class=organisation.size_class or None,
        tier=organisation.tier or NO_TIER,
        region=region or organisation.region_id,
        industry=organisation.industry_id,
    )


def verdict_for(resource: Resource, organisation: Organisation | None) -> Verdict:
    """Whether the organisation is inside the group the resource is opened to."""
    return verdict(conditions_of(resource), seeker_of(organisation))


def _failed_message(rule: str) -> str:
    messages = {
        RULE_SIZE_CLASS: _("Your organisation's size class is not one this resource is opened to."),
        RULE_TIER: _("Your organisation's tier is not one this resource is opened to."),
        RULE_REGION: _("Your organisation's region is outside the regions served."),
        RULE_INDUSTRY: _("Your organisation's industry is not among the industries served."),
    }
    return messages[rule]


def _unknown_messages(unknown: tuple[str, ...]) -> list[str]:
    if not unknown:
        return []
    if set(unknown) == {RULE_SIZE_CLASS}:
        return [
            _(
                "Your organisation's size class is not known yet: complete the employees and "
                "revenue in the organisation profile to confirm that this resource is open to it."
            )
        ]
    # Only an anonymous seeker lacks a tier, region or industry.
    return [_("Opened to some enterprises only: sign in to see whether yours is one of them.")]


def reasons(found: Verdict) -> list[str]:
    """The verdict in words: each failed rule, then what would settle the unknown ones."""
    return [_failed_message(rule) for rule in found.failed] + _unknown_messages(found.unknown)


def unconfirmed_note(found: Verdict) -> str:
    """One line for a result whose eligibility the known facts cannot settle ("" if settled)."""
    if found.failed or not found.unknown:
        return ""
    return reasons(found)[0]


def eligibility_problems(resource: Resource, organisation: Organisation) -> list[str]:
    """Why the organisation may not request the resource (empty when it is eligible)."""
    return reasons(verdict_for(resource, organisation))


def _names(values: list[str]) -> str:
    return _(", ").join(values)


def what_would_qualify(resource: Resource, found: Verdict) -> list[str]:
    """For each rule the organisation fails, who the resource is opened to instead.

    Reads the prefetched regions and industries; empty when nothing failed.
    """
    sizes, tiers = dict(SizeClass.choices), dict(Tier.choices)
    texts = {
        RULE_SIZE_CLASS: lambda: (
            _(
                "It is opened to enterprises of these size classes: %(values)s. If your "
                "organisation's employees or revenue have changed, update its profile."
            )
            % {"values": _names([str(sizes.get(s, s)) for s in resource.eligible_size_classes])}
        ),
        RULE_TIER: lambda: (
            _(
                "It is opened to enterprises recognised in these tiers: %(values)s. Recognition "
                "in one of them would make your organisation eligible."
            )
            % {"values": _names([str(tiers.get(t, t)) for t in resource.eligible_tiers])}
        ),
        RULE_REGION: lambda: (
            _("It serves enterprises registered in: %(values)s.")
            % {"values": _names([region.name for region in resource.regions.all()])}
        ),
        RULE_INDUSTRY: lambda: (
            _("It serves enterprises in these industries: %(values)s.")
            % {"values": _names([industry.name for industry in resource.industries.all()])}
        ),
    }
    return [texts[rule]() for rule in found.failed if rule in texts]
