"""The demo catalog: realistic, complete, valid and deterministic."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Count

from synergy_hub.accounts.models import Organisation, OrganisationKind
from synergy_hub.accounts.uscc import is_valid_uscc
from synergy_hub.audit.services import verify
from synergy_hub.catalog.models import Need, Resource
from synergy_hub.catalog.selectors import published_resources
from synergy_hub.catalog.vocabulary import ListState, ResourceType
from synergy_hub.demo.loader import load_demo_data


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
    both = published.exclude(title_zh="").exclude(title_en="").count()
    assert 0 < both < published.count()  # some resources are in one language only
    assert {role for role, _email, _pw in logins.rows} == {
        "programme officer",
        "platform operator",
        "service provider",
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
