"""The engine's input records validate themselves and price for SMEs; factories for the others."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import strategies as st

from synergy_hub.eligibility import Seeker
from synergy_hub.matching.engine.candidates import (
    Candidate,
    ResourceFacts,
    SearchFilters,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def make_facts(**overrides: Any) -> ResourceFacts:
    """Build valid resource facts: a nationwide, open, free dataset from a large platform."""
    values: dict[str, Any] = {
        "resource_id": 1,
        "resource_type": "dataset",
        "provider_id": 10,
        "provider_size_class": "large",
        "provider_kind": "platform",
        "access_mode": "open",
        "published_at": NOW - timedelta(days=30),
    }
    values.update(overrides)
    return ResourceFacts(**values)


def make_candidate(relevance: float = 0.5, **overrides: Any) -> Candidate:
    """Build a candidate around `make_facts`."""
    return Candidate(make_facts(**overrides), relevance)


REGIONS = ("440000", "440300", "440305", "440306", "110000", "110101", "510100")
INDUSTRIES = ("C", "39", "3911", "I", "65", "A")
amounts = st.none() | st.decimals(min_value=0, max_value=10_000, places=2)


@st.composite
def facts_strategy(draw: st.DrawFn, resource_id: int | None = None) -> ResourceFacts:
    """Draw arbitrary valid resource facts for property tests."""
    total = draw(amounts)
    free = None
    if draw(st.booleans()):
        upper = total if total is not None else Decimal(10_000)
        free = draw(st.decimals(min_value=0, max_value=upper, places=2))
    return ResourceFacts(
        resource_id=resource_id if resource_id is not None else draw(st.integers(1, 10**6)),
        resource_type=draw(st.sampled_from(["dataset", "api", "model", "compute", "lab"])),
        provider_id=draw(st.integers(1, 50)),
        provider_size_class=draw(st.sampled_from(["large", "medium", "small", "micro"])),
        provider_kind=draw(st.sampled_from(["platform", "provider", "sme"])),
        access_mode=draw(st.sampled_from(["open", "on_request", "paid"])),
        published_at=NOW - timedelta(days=draw(st.floats(-10, 3_000))),
        price=draw(amounts),
        sme_discount_percent=draw(st.integers(0, 100)),
        eligible_size_classes=draw(
            st.frozensets(st.sampled_from(["large", "medium", "small", "micro"]))
        ),
        eligible_tiers=draw(st.frozensets(st.sampled_from(["innovative", "srdi", "giant"]))),
        regions=draw(st.frozensets(st.sampled_from(REGIONS), max_size=3)),
        industries=draw(st.frozensets(st.sampled_from(INDUSTRIES), max_size=3)),
        capacity_total=total,
        capacity_free=free,
        provider_track_record=draw(st.none() | st.floats(0, 1)),
    )


seekers = st.builds(
    Seeker,
    size_class=st.none() | st.sampled_from(["large", "medium", "small", "micro"]),
    tier=st.none() | st.sampled_from(["innovative", "srdi", "giant"]),
    region=st.none() | st.sampled_from(REGIONS),
    industry=st.none() | st.sampled_from(INDUSTRIES),
)


def test_valid_facts_build() -> None:
    facts = make_facts(regions=frozenset({"440300"}), industries=frozenset({"C", "39"}))
    assert facts.resource_id == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"provider_size_class": "huge"}, "provider_size_class"),
        ({"provider_kind": "state"}, "provider_kind"),
        ({"access_mode": "free"}, "access_mode"),
        ({"published_at": datetime(2026, 1, 1)}, "published_at"),  # noqa: DTZ001 - naive on purpose
        ({"price": Decimal(-1)}, "price"),
        ({"sme_discount_percent": 101}, "sme_discount_percent"),
        ({"eligible_size_classes": frozenset({"tiny"})}, "eligible_size_classes"),
        ({"regions": frozenset({"4403"})}, "regions"),
        ({"regions": frozenset({"000000"})}, "regions"),
        ({"industries": frozenset({"Z"})}, "industries"),
        ({"capacity_total": Decimal(5), "capacity_free": Decimal(6)}, "capacity_free"),
        ({"provider_track_record": 1.5}, "provider_track_record"),
        ({"resource_type": ""}, "resource_type"),
    ],
)
def test_bad_facts_name_the_field(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        make_facts(**overrides)


def test_relevance_must_be_normalised() -> None:
    with pytest.raises(ValueError, match="relevance"):
        make_candidate(relevance=1.2)
    with pytest.raises(ValueError, match="relevance"):
        make_candidate(relevance=float("nan"))


def test_seeker_and_filters_validate() -> None:
    assert Seeker() == Seeker(size_class=None)
    with pytest.raises(ValueError, match="region"):
        Seeker(region="44030")
    with pytest.raises(ValueError, match="access_modes"):
        SearchFilters(access_modes=frozenset({"gratis"}))
    with pytest.raises(ValueError, match="published_since"):
        SearchFilters(published_since=datetime(2026, 1, 1))  # noqa: DTZ001 - naive on purpose


def test_price_after_sme_discount() -> None:
    facts = make_facts(access_mode="paid", price=Decimal(100), sme_discount_percent=20)
    assert facts.price_for("small") == Decimal(80)
    assert facts.price_for(None) == Decimal(80)  # anonymous search sees the SME price
    assert facts.price_for("large") == Decimal(100)


def test_unpriced_resources() -> None:
    assert make_facts(access_mode="open").price_for("small") == 0
    assert make_facts(access_mode="on_request").price_for("small") == 0
    assert make_facts(access_mode="paid").price_for("small") is None


def test_facts_are_immutable() -> None:
    facts = make_facts()
    with pytest.raises(AttributeError):
        facts.price = Decimal(1)  # type: ignore[misc]
    assert replace(facts, price=Decimal(1)).price == Decimal(1)
