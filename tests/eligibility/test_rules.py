"""The eligibility rule: eligible, not eligible or unknown, with the rules that decided it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synergy_hub.eligibility import (
    NO_TIER,
    RULE_INDUSTRY,
    RULE_REGION,
    RULE_SIZE_CLASS,
    RULE_TIER,
    SEEKER_RULES,
    TIER_LADDER,
    OpenedTo,
    Seeker,
    Status,
    Verdict,
    tiers_held,
    verdict,
)

EVERYONE = OpenedTo()
KNOWN = Seeker(size_class="small", tier=NO_TIER, region="440305", industry="3911")


def test_open_to_all_admits_anyone_known_or_not() -> None:
    assert verdict(EVERYONE, Seeker()) == Verdict()
    assert verdict(EVERYONE, KNOWN).status is Status.ELIGIBLE


def test_a_province_admits_its_prefectures_and_counties() -> None:
    guangdong = OpenedTo(regions=frozenset({"440000"}))
    for region in ("440000", "440300", "440305"):
        assert verdict(guangdong, Seeker(region=region)).status is Status.ELIGIBLE
    outside = verdict(guangdong, Seeker(region="110101"))
    assert outside.failed == (RULE_REGION,)
    assert outside.status is Status.NOT_ELIGIBLE


def test_a_city_does_not_admit_the_rest_of_its_province() -> None:
    shenzhen = OpenedTo(regions=frozenset({"440300"}))
    assert verdict(shenzhen, Seeker(region="440000")).failed == (RULE_REGION,)


def test_a_section_admits_its_divisions_and_classes() -> None:
    manufacturing = OpenedTo(industries=frozenset({"C"}))
    assert verdict(manufacturing, Seeker(industry="39")).ok
    assert verdict(manufacturing, Seeker(industry="3911")).ok
    assert verdict(manufacturing, Seeker(industry="65")).failed == (RULE_INDUSTRY,)


def test_size_class_and_tier() -> None:
    opened = OpenedTo(
        eligible_size_classes=frozenset({"small", "micro"}), eligible_tiers=frozenset({"srdi"})
    )
    assert verdict(opened, Seeker(size_class="micro", tier="srdi")).status is Status.ELIGIBLE
    both = verdict(opened, Seeker(size_class="large", tier="innovative"))
    assert both.failed == (RULE_SIZE_CLASS, RULE_TIER)


def test_no_tier_is_a_fact_not_an_unknown() -> None:
    """An organisation without a tier is outside a resource opened to SRDI SMEs only."""
    srdi_only = OpenedTo(eligible_tiers=frozenset({"srdi"}))
    found = verdict(srdi_only, Seeker(tier=NO_TIER))
    assert found.failed == (RULE_TIER,)
    assert found.status is Status.NOT_ELIGIBLE
    assert verdict(srdi_only, Seeker()).status is Status.UNKNOWN


def test_anonymous_seeker_is_unknown_on_every_restricted_rule() -> None:
    restricted = OpenedTo(
        eligible_size_classes=frozenset({"small"}),
        eligible_tiers=frozenset({"srdi"}),
        regions=frozenset({"440000"}),
        industries=frozenset({"C"}),
    )
    found = verdict(restricted, Seeker())
    assert found.ok
    assert found.unknown == SEEKER_RULES
    assert found.status is Status.UNKNOWN


def test_a_failed_rule_outweighs_an_unknown_one() -> None:
    opened = OpenedTo(eligible_size_classes=frozenset({"small"}), regions=frozenset({"110000"}))
    found = verdict(opened, Seeker(region="440300"))
    assert found.failed == (RULE_REGION,) and found.unknown == (RULE_SIZE_CLASS,)
    assert found.status is Status.NOT_ELIGIBLE


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"size_class": "huge"}, "size_class"),
        ({"region": "44030"}, "region"),
        ({"industry": "C39"}, "industry"),
    ],
)
def test_malformed_facts_are_refused_naming_the_field(facts: dict[str, str], field: str) -> None:
    with pytest.raises(ValueError, match=f"^{field}:"):
        Seeker(**facts)


codes = st.sampled_from(["440000", "440300", "440305", "110000", "110101", "650100"])
industries = st.sampled_from(["C", "39", "3911", "I", "65", "A"])
tiers = st.sampled_from([NO_TIER, "innovative", "srdi", "little_giant"])
sizes = st.sampled_from(["large", "medium", "small", "micro"])
conditions = st.builds(
    OpenedTo,
    eligible_size_classes=st.frozensets(sizes, max_size=2),
    eligible_tiers=st.frozensets(tiers.filter(bool), max_size=2),
    regions=st.frozensets(codes, max_size=2),
    industries=st.frozensets(industries, max_size=2),
)
seekers = st.builds(
    Seeker,
    size_class=st.none() | sizes,
    tier=st.none() | tiers,
    region=st.none() | codes,
    industry=st.none() | industries,
)


@given(opened=conditions, seeker=seekers)
def test_knowing_more_never_turns_a_failure_into_a_pass(opened: OpenedTo, seeker: Seeker) -> None:
    """Filling in an unknown fact can settle it either way, but never undo a failed rule."""
    found = verdict(opened, seeker)
    assert set(found.failed).isdisjoint(found.unknown)
    full = Seeker(
        size_class=seeker.size_class or "small",
        tier=NO_TIER if seeker.tier is None else seeker.tier,
        region=seeker.region or "440305",
        industry=seeker.industry or "3911",
    )
    settled = verdict(opened, full)
    assert settled.unknown == ()
    assert set(found.failed) <= set(settled.failed)
    if found.status is Status.ELIGIBLE:
        assert settled.status is Status.ELIGIBLE


# --- tiers read on the ladder: a resource opened to a tier is opened to the tiers above -----

LADDER_CASES = [
    # (opened to, seeker's verified tier, eligible?)
    ({"srdi"}, "srdi", True),
    ({"srdi"}, "little_giant", True),
    ({"srdi"}, "single_champion", True),
    ({"srdi"}, "innovative", False),
    ({"srdi"}, NO_TIER, False),
    ({"innovative"}, "little_giant", True),
    ({"little_giant"}, "srdi", False),
    ({"little_giant"}, "little_giant", True),
    ({"single_champion"}, "little_giant", False),
    ({"innovative", "little_giant"}, "srdi", True),
    ({"a_provincial_label"}, "single_champion", False),  # outside the ladder: itself only
    ({"a_provincial_label"}, "a_provincial_label", True),
]


@pytest.mark.parametrize(("opened", "tier", "eligible"), LADDER_CASES)
def test_a_tier_condition_admits_that_tier_and_above(
    opened: set[str], tier: str, eligible: bool
) -> None:
    found = verdict(OpenedTo(eligible_tiers=frozenset(opened)), Seeker(tier=tier))
    assert (found.status is Status.ELIGIBLE) is eligible
    assert found.failed == (() if eligible else (RULE_TIER,))


def test_tiers_held_climb_the_ladder_in_the_policys_order() -> None:
    assert TIER_LADDER == ("innovative", "srdi", "little_giant", "single_champion")
    assert tiers_held("little_giant") == {"innovative", "srdi", "little_giant"}
    assert tiers_held(NO_TIER) == frozenset()


@given(opened=conditions, seeker=seekers)
def test_a_higher_tier_is_never_less_eligible(opened: OpenedTo, seeker: Seeker) -> None:
    """Climbing the ladder can only open resources, never close one."""
    if seeker.tier not in TIER_LADDER:
        return
    for higher in TIER_LADDER[TIER_LADDER.index(seeker.tier) :]:
        climbed = Seeker(
            size_class=seeker.size_class,
            tier=higher,
            region=seeker.region,
            industry=seeker.industry,
        )
        assert set(verdict(opened, climbed).failed) <= set(verdict(opened, seeker).failed)


class _MutableConditions:
    """Conditions held in plain (unhashable) sets, as a form or a model might hold them."""

    def __init__(self, **sets: set[str]) -> None:
        self.eligible_size_classes = sets.get("sizes", set())
        self.eligible_tiers = sets.get("tiers", set())
        self.regions = sets.get("regions", set())
        self.industries = sets.get("industries", set())


@given(
    sizes=st.sets(st.sampled_from(["micro", "small", "medium", "large"])),
    regions=st.sets(st.sampled_from(["440000", "440300", "440305", "110000"])),
    seeker_size=st.sampled_from([None, "micro", "small"]),
    seeker_region=st.sampled_from([None, "440305", "110101"]),
)
def test_the_verdict_is_the_same_whether_the_conditions_are_frozen_or_not(
    sizes: set[str], regions: set[str], seeker_size: str | None, seeker_region: str | None
) -> None:
    """Frozen conditions are remembered; the remembered answer is the one the rules give."""
    seeker = Seeker(size_class=seeker_size, region=seeker_region)
    frozen = OpenedTo(eligible_size_classes=frozenset(sizes), regions=frozenset(regions))
    plain = _MutableConditions(sizes=set(sizes), regions=set(regions))
    first = verdict(frozen, seeker)
    assert verdict(frozen, seeker) == first  # the second answer comes from memory
    assert verdict(plain, seeker) == first  # type: ignore[arg-type]
