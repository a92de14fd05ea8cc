"""The personas are who tests/conftest.py says they are, and each has its fixture."""

from __future__ import annotations

from typing import Any

import pytest

from synergy_hub.accounts.models import OrganisationKind, OrganisationStatus, Role
from synergy_hub.accounts.permissions import membership_of
from tests.conftest import PERSONAS, World

#: persona -> (organisation kind, role) of its membership
EXPECTED = {
    "sme_a": (OrganisationKind.SME, Role.ADMIN),
    "sme_b": (OrganisationKind.SME, Role.ADMIN),
    "platform_operator": (OrganisationKind.PLATFORM, Role.EDITOR),
    "platform_viewer": (OrganisationKind.PLATFORM, Role.VIEWER),
    "other_platform": (OrganisationKind.PLATFORM, Role.EDITOR),
    "provider": (OrganisationKind.PROVIDER, Role.EDITOR),
    "officer": (OrganisationKind.AUTHORITY, Role.ADMIN),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_persona_acts_for_an_approved_organisation_of_its_kind(
    world: World, name: str, request: pytest.FixtureRequest
) -> None:
    user = world.persona(name)
    assert request.getfixturevalue(name) == user
    membership = membership_of(user)
    assert membership is not None
    assert (membership.organisation.kind, membership.role) == EXPECTED[name]
    assert membership.organisation.status == OrganisationStatus.APPROVED


def test_the_two_smes_and_the_two_platforms_are_different_organisations(world: World) -> None:
    def org(name: str) -> Any:
        return membership_of(world.persona(name)).organisation  # type: ignore[union-attr]

    assert org("sme_a") != org("sme_b")
    assert org("platform_operator") == org("platform_viewer") != org("other_platform")
    assert world.persona("anonymous") is None
    assert set(PERSONAS) == set(EXPECTED) | {"anonymous"}


def test_the_anonymous_fixture_is_nobody(anonymous: None) -> None:
    assert anonymous is None
