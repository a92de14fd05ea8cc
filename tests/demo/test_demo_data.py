"""The demo catalog: realistic, complete, valid and deterministic."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Count

from synergy_hub.access.models import (
    AccessRequest,
    Agreement,
    AllocationRound,
    StatementOfReasons,
    UsageRecord,
)
from synergy_hub.access.vocabulary import AgreementState, RequestState, RoundState
from synergy_hub.accounts.models import (
    EligibilityChange,
    EligibilityChangeStatus,
    Organisation,
    OrganisationKind,
    User,
)
from synergy_hub.accounts.uscc import is_valid_uscc
from synergy_hub.audit.services import verify
from synergy_hub.catalog.eligibility import eligibility_problems
from synergy_hub.catalog.models import Need, OpennessList, Resource
from synergy_hub.catalog.selectors import published_resources
from synergy_hub.catalog.vocabulary import ListState, ResourceType
from synergy_hub.demo.loader import DEMO_DOMAIN, load_demo_data
from synergy_hub.tiers.models import TierEvaluation


@pytest.mark.django_db
def test_demo_data_is_complete_and_valid() -> None:
    logins, _counts = load_demo_data(today=date(2026, 11, 22))
    published = published_resources()
    assert published.count() >= 600
    assert set(published.values_list("resource_type", flat=True)) == set(ResourceType.values)
    assert set(published.values_list("openness_list__batch__number", flat=True)) == {1, 2, 3}
    platforms = Organisation.objects.filter(kind=OrganisationKind.PLATFORM).count()
    assert 10 <= platforms <= 14
    smes = Organisation.objects.filter(kind=OrganisationKind.SME)
    assert smes.count() >= 300
    assert smes.values("region__parent").distinct().count() >= 20  # many provinces
    assert smes.values("industry").distinct().count() >= 10
    assert all(is_valid_uscc(code) for code in Organisation.objects.values_list("uscc", flat=True))
    assert Need.objects.count() == 200
    states = set(Resource.objects.values_list("openness_list__state", flat=True))
    assert {ListState.PUBLISHED, ListState.SUPERSEDED, ListState.SUBMITTED} <= states
    both = published.exclude(title_zh="").exclude(title_en="")
    both = both.exclude(description_zh="").exclude(description_en="")
    assert both.count() == published.count()  # every resource reads in both languages
    assert {role for role, _email, _pw in logins.rows} == {
        "programme officer",
        "platform operator",
        "service provider",
        "pilot reviewer",
        "SME user",
    }
    assert verify().ok
    sizes = dict(smes.values_list("size_class").annotate(n=Count("pk")))
    assert set(sizes) >= {"micro", "small", "medium"}


@pytest.mark.django_db
def test_demo_data_refuses_a_filled_database() -> None:
    load_demo_data(resources=30, smes=5, needs=3, today=date(2026, 11, 22))
    with pytest.raises(RuntimeError, match="empty"):
        load_demo_data(resources=30, smes=5, needs=3)


@pytest.mark.django_db(transaction=True)
def test_demo_data_is_deterministic() -> None:
    load_demo_data(resources=60, smes=10, needs=5, today=date(2026, 11, 22))
    first = list(Resource.objects.order_by("pk").values_list("title_zh", "title_en", "price"))
    codes = list(Organisation.objects.order_by("pk").values_list("uscc", flat=True))
    assert first and codes
    # A second load into an emptied database gives the same rows.
    call_command("flush", interactive=False, verbosity=0)
    load_demo_data(resources=60, smes=10, needs=5, today=date(2026, 11, 22))
    assert (
        list(Resource.objects.order_by("pk").values_list("title_zh", "title_en", "price")) == first
    )
    assert list(Organisation.objects.order_by("pk").values_list("uscc", flat=True)) == codes


@pytest.mark.django_db
def test_demo_titles_are_distinct() -> None:
    """No near-duplicate catalog: every current resource title and list title is its own."""
    load_demo_data(today=date(2026, 11, 22))
    current = Resource.objects.exclude(openness_list__state=ListState.SUPERSEDED)
    for column in ("title_zh", "title_en"):
        titles = list(current.values_list(column, flat=True))
        assert len(titles) == len(set(titles)), column
        descriptions = list(current.values_list(column.replace("title", "description"), flat=True))
        assert len(set(descriptions)) > 0.9 * len(descriptions)
    lists = OpennessList.objects.exclude(state=ListState.SUPERSEDED)
    for column in ("title_zh", "title_en"):
        pairs = list(lists.values_list("batch", column))
        assert len(pairs) == len(set(pairs)), column  # no two lists of a batch share a title


@pytest.mark.django_db
def test_every_access_inbox_starts_with_work() -> None:
    """The demo provider and operator have requests to answer, the SME offers to accept,
    and agreements are in use with a metered history."""
    load_demo_data(resources=200, smes=20, needs=10, today=date(2026, 11, 22))
    sme = User.objects.get(email=f"sme@{DEMO_DOMAIN}").memberships.get().organisation
    for login in ("provider", "operator"):
        provider = User.objects.get(email=f"{login}@{DEMO_DOMAIN}").memberships.get().organisation
        open_to_sme = [
            r
            for r in published_resources().filter(openness_list__publisher=provider)
            if not eligibility_problems(r, sme)
        ]
        assert len(open_to_sme) >= 4, login
        assert AccessRequest.objects.filter(provider=provider, state=RequestState.REQUESTED)
        assert Agreement.objects.filter(provider=provider, consumer=sme).exists()
    states = set(AccessRequest.objects.values_list("state", flat=True))
    assert states == set(RequestState.values)  # every state of a request is shown
    assert AccessRequest.objects.filter(consumer=sme, state=RequestState.OFFERED).exists()
    assert StatementOfReasons.objects.filter(access_request__state=RequestState.REJECTED)
    for agreement in Agreement.objects.all():
        assert agreement.state == AgreementState.ACTIVE
        uses = agreement.usage.order_by("occurred_at")
        assert uses.filter(permitted=True).count() >= 5
        first, last = uses.first(), uses.last()
        assert first is not None and last is not None
        assert (last.occurred_at - first.occurred_at).days >= 5  # a history, not one moment
        assert agreement.used_quantity == sum(u.quantity for u in uses.filter(permitted=True))
    assert UsageRecord.objects.filter(permitted=False).exists()  # the policy said no once
    assert verify().ok


@pytest.mark.django_db
def test_the_tier_page_and_the_allocation_rounds_start_populated() -> None:
    """The demo SME has a kept tier evaluation waiting for the office's verification, and
    the demo provider has an open round with SMEs' requests in it."""
    load_demo_data(resources=200, smes=20, needs=10, today=date(2026, 11, 22))
    sme = User.objects.get(email=f"sme@{DEMO_DOMAIN}").memberships.get().organisation
    evaluation = TierEvaluation.objects.get(organisation=sme)
    assert evaluation.tier  # a tier reached, with its breakdown kept
    change = EligibilityChange.objects.get(organisation=sme)
    assert change.status == EligibilityChangeStatus.PENDING
    assert change.basis["source"] == "tier_evaluation"
    provider = User.objects.get(email=f"provider@{DEMO_DOMAIN}").memberships.get().organisation
    the_round = AllocationRound.objects.get(provider=provider)
    assert the_round.state == RoundState.OPEN and the_round.requests.count() >= 2
    offered = set(the_round.resources.values_list("pk", flat=True))
    assert {r.resource_id for r in the_round.requests.all()} <= offered
    assert verify().ok
