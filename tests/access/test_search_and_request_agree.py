"""Search and access requests give the same eligibility answer, for any organisation.

A resource that search marks eligible for an organisation is one that organisation may
request, and one that search does not mark eligible is refused as "not eligible".
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from synergy_hub.access import services
from synergy_hub.accounts.models import OrganisationKind
from synergy_hub.catalog.eligibility import seeker_of
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.eligibility import Status
from synergy_hub.matching import documents
from synergy_hub.matching.engine import filters
from synergy_hub.matching.engine.candidates import SearchFilters
from tests import factories

from .conftest import terms

SIZES = ["large", "medium", "small", "micro"]
TIERS = ["innovative", "srdi", "little_giant", "single_champion"]
REGIONS = ["440000", "440300", "440305", "110000", "110101", "330100", "650100"]
INDUSTRIES = ["C", "39", "I", "65", "A", "01"]

organisations = st.fixed_dictionaries(
    {
        "size_class": st.sampled_from(["", *SIZES]),  # "" = not computable from the profile
        "tier": st.sampled_from(["", *TIERS]),  # "" = the organisation holds no tier
        "region_id": st.sampled_from(REGIONS),
        "industry_id": st.sampled_from(INDUSTRIES),
    }
)
conditions = st.fixed_dictionaries(
    {
        "eligible_size_classes": st.lists(st.sampled_from(SIZES), max_size=2, unique=True),
        "eligible_tiers": st.lists(st.sampled_from(TIERS), max_size=2, unique=True),
        "regions": st.lists(st.sampled_from(REGIONS), max_size=2, unique=True),
        "industries": st.lists(st.sampled_from(INDUSTRIES), max_size=2, unique=True),
    }
)


def search_marks_eligible(resource: Any, organisation: Any) -> bool:
    """What search does with the resource for this organisation: listed and marked eligible."""
    facts = documents.facts_for([resource.lineage.hex])[resource.lineage.hex]
    found = filters.check(facts, seeker_of(organisation), SearchFilters())
    return found.status is Status.ELIGIBLE


def may_request(user: Any, resource: Any) -> bool:
    """Whether the access request is accepted as far as eligibility goes."""
    try:
        services.request_access(user, resource, terms())
    except ValidationError as exc:
        codes = {error.code for errors in exc.error_dict.values() for error in errors}
        assert codes <= {"not_eligible"}, codes  # nothing else about the request is wrong
        return False
    return True


@pytest.mark.django_db
class TestSearchAndRequestAgree(TestCase):
    def setUp(self) -> None:
        platform = factories.organisation(name_zh="甲平台", name_en="Platform A")
        editor = factories.user(platform)
        self.published = factories.openness_list(
            platform, factories.batch(1), editor, state=ListState.PUBLISHED
        )

    @settings(max_examples=80)
    @given(facts=organisations, opened_to=conditions)
    def test_eligible_in_search_exactly_when_it_may_be_requested(
        self, facts: dict[str, str], opened_to: dict[str, list[str]]
    ) -> None:
        organisation = factories.organisation(OrganisationKind.SME, **facts)
        user = factories.user(organisation)
        resource = factories.resource(self.published, **opened_to)
        assert search_marks_eligible(resource, organisation) == may_request(user, resource)

    def test_an_sme_without_a_tier_is_refused_in_both(self) -> None:
        """The case that disagreed: search took an empty tier for "not known yet"."""
        organisation = factories.organisation(OrganisationKind.SME, tier="")
        user = factories.user(organisation)
        srdi_only = factories.resource(self.published, eligible_tiers=["srdi"])
        assert not search_marks_eligible(srdi_only, organisation)
        assert not may_request(user, srdi_only)

    def test_an_unknown_size_class_is_not_marked_eligible_nor_requestable(self) -> None:
        organisation = factories.organisation(OrganisationKind.SME, size_class="")
        user = factories.user(organisation)
        small_only = factories.resource(self.published, eligible_size_classes=["small"])
        assert not search_marks_eligible(small_only, organisation)
        with pytest.raises(ValidationError, match="size class is not known yet"):
            services.request_access(user, small_only, terms())
