"""Evaluating uses against policies: operators, logic, hierarchy, conflicts, duties, fail-closed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synergy_hub.eligibility.regions import region_part_of
from synergy_hub.odrl import (
    IRI,
    Action,
    Activation,
    ConflictStrategy,
    Constraint,
    Context,
    Duration,
    Duty,
    DutyTiming,
    Effect,
    Evaluator,
    LogicalConstraint,
    PerformedAction,
    Permission,
    Policy,
    Prohibition,
    Quantity,
    Satisfaction,
    UsageRequest,
    combine,
    count_limited,
    evaluate,
    no_redistribution,
    region_limited,
    research_only,
    time_limited,
)
from synergy_hub.odrl.operators import Comparison, OperatorError, apply
from synergy_hub.odrl.vocabulary import POLICY_USAGE

CST = timezone(timedelta(hours=8))
NOW = datetime(2027, 6, 1, 10, 0, tzinfo=CST)
RES = "https://hub.example.cn/resource/42"
PLATFORM = "https://hub.example.cn/org/platform"
SME = "https://hub.example.cn/org/sme"
OTHER = "https://hub.example.cn/org/other"


def permit_only(*constraints, action: str = "use", **rule) -> Policy:
    return Policy(
        uid="urn:p:1",
        target=RES,
        permissions=(Permission(Action(action), constraints=tuple(constraints), **rule),),
    )


def ask(policy: Policy, action: str = "read", **facts) -> object:
    return evaluate(policy, UsageRequest(action, RES, SME, Context(**facts)))


# -- every operator on every operand type ---------------------------------------------------

D = date(2027, 6, 1)
T = datetime(2027, 6, 1, 12, tzinfo=CST)
HOW = Comparison(timezone=CST)

OPERATOR_CASES = [
    # integers
    ("eq", 3, 3, True),
    ("eq", 3, 4, False),
    ("neq", 3, 4, True),
    ("neq", 3, 3, False),
    ("lt", 3, 4, True),
    ("lt", 4, 4, False),
    ("lteq", 4, 4, True),
    ("lteq", 5, 4, False),
    ("gt", 5, 4, True),
    ("gt", 4, 4, False),
    ("gteq", 4, 4, True),
    ("gteq", 3, 4, False),
    # decimals and floats mix with integers
    ("eq", Decimal("5.00"), Decimal("5"), True),
    ("lt", Decimal("4.99"), 5, True),
    ("gteq", 2.5, Decimal("2.5"), True),
    ("gt", 2.5, 3, False),
    # strings and references
    ("eq", "research", "research", True),
    ("eq", "research", "Research", False),
    ("neq", "research", "education", True),
    ("eq", IRI("https://ex.org/a"), "https://ex.org/a", True),
    ("eq", IRI("https://ex.org/a"), IRI("https://ex.org/b"), False),
    # datetimes against datetimes
    ("lt", T, T + timedelta(seconds=1), True),
    ("eq", T, T.astimezone(UTC), True),
    ("gteq", T, T, True),
    ("gt", T, T, False),
    # datetimes against whole days (in the comparison's timezone)
    ("lt", T, date(2027, 6, 2), True),
    ("lt", T, D, False),
    ("lteq", T, D, True),
    ("lteq", T, date(2027, 5, 31), False),
    ("gt", T, date(2027, 5, 31), True),
    ("gt", T, D, False),
    ("gteq", T, D, True),
    ("gteq", T, date(2027, 6, 2), False),
    ("eq", T, D, True),
    ("eq", datetime(2027, 6, 1, 23, 30, tzinfo=UTC), D, False),  # already 2 June in CST
    ("neq", T, date(2027, 6, 2), True),
    # dates against dates
    ("lt", date(2027, 1, 1), D, True),
    ("eq", D, D, True),
    # durations and time spans
    ("lt", timedelta(days=29), Duration.parse("P30D"), True),
    ("lteq", timedelta(days=30), Duration.parse("P30D"), True),
    ("gt", timedelta(days=31), Duration.parse("P30D"), True),
    ("eq", timedelta(hours=36), Duration.parse("P1DT12H"), True),
    ("lt", timedelta(days=400), Duration.parse("P1Y"), False),
    ("lt", timedelta(days=300), Duration.parse("P1Y"), True),  # true from every reference date
    ("gteq", Duration.parse("P2Y"), Duration.parse("P1Y11M"), True),
    # booleans
    ("eq", True, True, True),
    ("neq", True, False, True),
    # set operators on lists and scalars
    ("isAnyOf", "research", ("research", "education"), True),
    ("isAnyOf", "commercial", ("research", "education"), False),
    ("isAnyOf", ("commercial", "research"), ("research",), True),
    ("isNoneOf", "commercial", ("research", "education"), True),
    ("isNoneOf", "research", ("research", "education"), False),
    ("isAllOf", ("research", "education", "x"), ("research", "education"), True),
    ("isAllOf", ("research",), ("research", "education"), False),
    ("isAnyOf", 3, (1, 2, 3), True),
    ("isNoneOf", D, (date(2027, 1, 1),), True),
    ("eq", ("research",), "research", True),
    ("eq", ("research", "commercial"), "research", False),
    ("eq", ("b", "a"), ("a", "b"), True),
    ("neq", ("research", "commercial"), "research", True),
    # part-of operators use plain equality unless the left operand has a hierarchy
    ("isPartOf", "a", ("a", "b"), True),
    ("isPartOf", ("a", "c"), ("a", "b"), False),
    ("hasPart", ("a", "b", "c"), ("a", "c"), True),
    ("hasPart", ("a",), ("a", "c"), False),
    ("isA", "a", "a", True),
    ("isA", "a", "b", False),
]


@pytest.mark.parametrize(("operator", "left", "right", "holds"), OPERATOR_CASES)
def test_operator(operator, left, right, holds):
    assert apply(operator, left, right, how=HOW) is holds


REGIONS = Comparison(part_of=region_part_of, timezone=CST)


@pytest.mark.parametrize(
    ("operator", "left", "right", "holds"),
    [
        ("isPartOf", "440300", "440000", True),
        ("isPartOf", "310115", "440000", False),
        ("isA", "440305", "440300", True),
        ("hasPart", "440000", "440305", True),
        ("hasPart", "440300", "440000", False),
        ("isAnyOf", "440305", ("310000", "440000"), True),  # hierarchy applies to set operators
        ("isNoneOf", "440305", ("440000",), False),  # "not in Guangdong" excludes Shenzhen
        ("isAllOf", ("440305", "310115"), ("440000", "310000"), True),
        ("eq", "440300", "440000", False),  # eq stays exact
    ],
)
def test_operators_with_a_region_hierarchy(operator, left, right, holds):
    assert apply(operator, left, right, how=REGIONS) is holds


@pytest.mark.parametrize(
    ("operator", "left", "right", "code"),
    [
        ("lt", "research", "education", "type_mismatch"),
        ("lt", 3, "4", "type_mismatch"),
        ("eq", T, "2027-06-01", "type_mismatch"),
        ("gt", ("a", "b"), 1, "type_mismatch"),
        ("lt", Duration.parse("P1M"), Duration.parse("P30D"), "indeterminate"),
        ("eq", True, 1, "type_mismatch"),
        ("near", 1, 1, "unknown_operator"),
    ],
)
def test_undecidable_comparisons_raise(operator, left, right, code):
    with pytest.raises(OperatorError) as caught:
        apply(operator, left, right, how=HOW)
    assert caught.value.code == code


def test_calendar_durations_use_the_agreement_start():
    january = Comparison(anchor=datetime(2027, 1, 31, tzinfo=CST))
    march = Comparison(anchor=datetime(2027, 3, 1, tzinfo=CST))
    # One month from 31 Jan ends on 28 Feb (28 days); from 1 Mar on 1 Apr (31 days).
    assert apply("gt", timedelta(days=29), Duration.parse("P1M"), how=january)
    assert apply("lt", timedelta(days=29), Duration.parse("P1M"), how=march)


def test_units_are_checked_before_comparing():
    euro = "http://dbpedia.org/resource/Euro"
    assert apply("eq", Quantity(Decimal("5.00"), euro), Decimal("5"), unit=euro)
    assert apply("eq", Decimal("5"), Decimal("5"), unit=euro)  # a bare number is in the unit
    with pytest.raises(OperatorError) as caught:
        apply("eq", Quantity(Decimal("5"), "https://ex.org/CNY"), Decimal("5"), unit=euro)
    assert caught.value.code == "unit_mismatch"


texts = st.text(alphabet="abcde", min_size=1, max_size=3)
values = st.one_of(texts, st.lists(texts, min_size=1, max_size=4).map(tuple))


@given(values, st.lists(texts, min_size=1, max_size=4).map(tuple))
def test_is_any_of_and_is_none_of_are_complementary(left, right):
    assert apply("isAnyOf", left, right) is not apply("isNoneOf", left, right)


@given(values, values)
def test_eq_and_neq_are_complementary(left, right):
    assert apply("eq", left, right) is not apply("neq", left, right)


@given(st.integers(), st.integers())
def test_lt_and_gteq_are_complementary_on_numbers(left, right):
    assert apply("lt", left, right) is not apply("gteq", left, right)
    assert apply("gt", left, right) is not apply("lteq", left, right)


@given(
    st.datetimes(timezones=st.just(UTC)),
    st.dates(),
    st.sampled_from(["lt", "lteq", "gt", "gteq"]),
)
def test_day_comparisons_partition_time(moment, day, operator):
    opposite = {"lt": "gteq", "lteq": "gt", "gt": "lteq", "gteq": "lt"}[operator]
    assert apply(operator, moment, day, how=HOW) is not apply(opposite, moment, day, how=HOW)


# -- logical constraints --------------------------------------------------------------------

RESEARCH = Constraint("purpose", "eq", "research", uid="urn:c:research")
EDUCATION = Constraint("purpose", "eq", "education", uid="urn:c:education")
IN_GD = Constraint("spatial", "isPartOf", "440000", uid="urn:c:gd")


@pytest.mark.parametrize(
    ("operator", "purpose", "spatial", "permitted"),
    [
        ("and", "research", "440300", True),
        ("and", "research", "310115", False),
        ("or", "education", "310115", False),
        ("or", "education", "440300", True),
        ("xone", "research", "310115", True),
        ("xone", "research", "440300", False),
        ("xone", "education", "310115", False),
        ("andSequence", "research", "440300", True),
        ("andSequence", "education", "440300", False),
    ],
)
def test_logical_constraints(operator, purpose, spatial, permitted):
    policy = permit_only(LogicalConstraint(operator, (RESEARCH, IN_GD), uid="urn:c:logic"))
    decision = ask(policy, purpose=purpose, spatial=spatial)
    assert decision.permitted is permitted


def test_a_failing_and_names_its_failing_operand():
    policy = permit_only(LogicalConstraint("and", (RESEARCH, IN_GD)))
    decision = ask(policy, purpose="research", spatial="310115")
    assert decision.code == "outside_region"
    assert decision.path == "permission[0].constraint[0].and[1]"
    assert decision.uid == "urn:c:gd"


def test_a_failing_or_names_itself():
    policy = permit_only(LogicalConstraint("or", (RESEARCH, EDUCATION), uid="urn:c:either"))
    decision = ask(policy, purpose="commercial")
    assert decision.code == "no_alternative_satisfied"
    assert (decision.path, decision.uid) == ("permission[0].constraint[0]", "urn:c:either")


def test_xone_with_two_alternatives_holding():
    policy = permit_only(LogicalConstraint("xone", (RESEARCH, IN_GD)))
    decision = ask(policy, purpose="research", spatial="440300")
    assert decision.code == "not_exactly_one"
    assert "2 do" in decision.reason


def test_or_tolerates_an_undecidable_branch_when_another_holds():
    policy = permit_only(LogicalConstraint("or", (RESEARCH, IN_GD)))
    assert ask(policy, purpose="research").permitted  # spatial missing but not needed
    decision = ask(policy, purpose="commercial")  # spatial needed and missing
    assert not decision.permitted
    assert decision.code == "missing_fact"
    assert decision.path == "permission[0].constraint[0].or[1]"


def test_and_sequence_stops_at_the_first_failure():
    policy = permit_only(LogicalConstraint("andSequence", (RESEARCH, IN_GD)))
    decision = ask(policy, purpose="education")
    constraint = decision.rules[0].constraints[0]
    assert [c.path for c in constraint.children] == ["permission[0].constraint[0].andSequence[0]"]
    assert decision.code == "purpose_not_allowed"


# -- action hierarchy -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("granted", "requested", "permitted"),
    [
        ("use", "read", True),
        ("use", "display", True),
        ("use", "reproduce", True),
        ("use", "derive", True),
        ("use", "commercialize", True),
        ("use", "use", True),
        ("read", "read", True),
        ("read", "use", False),
        ("read", "distribute", False),
        ("play", "display", True),
        ("display", "play", False),
        ("use", "sell", False),
    ],
)
def test_a_permission_covers_the_actions_included_in_its_action(granted, requested, permitted):
    decision = ask(permit_only(action=granted), action=requested)
    assert decision.permitted is permitted
    if not permitted:
        assert decision.code == "no_permission"
        assert f"'{requested}'" in decision.reason


# -- prohibitions and conflicts -------------------------------------------------------------


def with_prohibition(conflict: ConflictStrategy | None, *constraints) -> Policy:
    return Policy(
        uid="urn:p:1",
        target=RES,
        conflict=conflict,
        permissions=(Permission(Action("use"), uid="urn:r:use"),),
        prohibitions=(
            Prohibition(Action("distribute"), constraints=tuple(constraints), uid="urn:r:nodist"),
        ),
    )


def test_prohibition_overrides_permission_with_prohibit():
    decision = ask(with_prohibition(ConflictStrategy.PROHIBIT), action="distribute")
    assert decision.effect is Effect.DENY
    assert decision.code == "prohibited"
    assert (decision.rule_path, decision.rule_uid) == ("prohibition[0]", "urn:r:nodist")
    assert ask(with_prohibition(ConflictStrategy.PROHIBIT), action="read").permitted


def test_default_conflict_strategy_invalid_voids_the_policy():
    decision = ask(with_prohibition(None), action="distribute")
    assert not decision.permitted
    assert decision.code == "conflict_policy_void"
    assert "permission[0] <urn:r:use>" in decision.reason
    assert "prohibition[0] <urn:r:nodist>" in decision.reason


def test_perm_strategy_lets_the_permission_win():
    decision = ask(with_prohibition(ConflictStrategy.PERM), action="distribute")
    assert decision.permitted
    assert decision.code == "permitted_over_prohibition"


def test_a_prohibition_with_a_broader_action_covers_narrower_ones():
    policy = Policy(
        uid="urn:p:1",
        target=RES,
        conflict=ConflictStrategy.PROHIBIT,
        permissions=(Permission(Action("read")),),
        prohibitions=(Prohibition(Action("use")),),
    )
    assert ask(policy, action="read").code == "prohibited"


def test_an_inactive_prohibition_does_not_deny():
    until_2026 = Constraint("dateTime", "lt", date(2026, 1, 1))
    assert ask(with_prohibition(None, until_2026), action="distribute", now=NOW).permitted
    decision = ask(with_prohibition(None, until_2026), action="distribute")
    assert decision.code == "missing_fact"  # fail closed: cannot tell whether it is over
    assert decision.path == "prohibition[0].constraint[0]"


def test_a_prohibition_for_someone_else_does_not_apply():
    policy = Policy(
        uid="urn:p:1",
        target=RES,
        permissions=(Permission(Action("use")),),
        prohibitions=(Prohibition(Action("use"), assignee=OTHER),),
    )
    assert ask(policy).permitted


def test_no_redistribution_template():
    policy = no_redistribution(target=RES)
    assert ask(policy, action="read").permitted
    assert ask(policy, action="distribute").code == "prohibited"


# -- the platform's typical limits ----------------------------------------------------------


def test_count_limit_reached_names_the_constraint():
    policy = combine(
        research_only(target=RES), count_limited(3, target=RES), time_limited(end=D, target=RES)
    )
    ok = ask(policy, purpose="research", prior_uses=2, now=NOW)
    assert ok.permitted
    assert ok.path == "permission[0]"
    decision = ask(policy, purpose="research", prior_uses=3, now=NOW)
    assert not decision.permitted
    assert decision.code == "count_limit_reached"
    assert decision.path == "permission[0].constraint[1]"
    assert decision.params["right_operand"] == "3"
    assert decision.params["actual"] == "4"
    assert "use number 4" in decision.reason


@given(st.integers(min_value=1, max_value=50), st.integers(min_value=0, max_value=100))
def test_count_limit_permits_exactly_n_uses(limit, prior):
    decision = ask(count_limited(limit, target=RES), prior_uses=prior)
    assert decision.permitted is (prior < limit)


def test_uid_of_the_deciding_constraint_is_reported():
    policy = permit_only(Constraint("count", "lteq", 1, uid="urn:c:once"))
    decision = ask(policy, prior_uses=1)
    assert (decision.path, decision.uid, decision.rule_path) == (
        "permission[0].constraint[0]",
        "urn:c:once",
        "permission[0]",
    )


def test_outside_region_is_denied_and_cities_of_the_region_are_permitted():
    policy = region_limited(["440000", "310000"], target=RES)
    assert ask(policy, spatial="440305").permitted
    assert ask(policy, spatial="310115").permitted
    decision = ask(policy, spatial="110105")
    assert decision.code == "no_alternative_satisfied"
    single = region_limited(["440000"], target=RES)
    decision = ask(single, spatial="110105")
    assert decision.code == "outside_region"
    assert decision.path == "permission[0].constraint[0]"
    assert "110105" in decision.reason


def test_expired_and_not_yet_valid():
    policy = time_limited(start=date(2027, 1, 1), end=date(2027, 12, 31), target=RES)
    assert ask(policy, now=NOW).permitted
    assert ask(policy, now=datetime(2027, 12, 31, 23, 59, tzinfo=CST)).permitted
    expired = ask(policy, now=datetime(2028, 1, 1, 0, 0, tzinfo=CST))
    assert expired.code == "expired"
    assert expired.path == "permission[0].constraint[1]"
    # 16:00 UTC on 31 Dec is already 1 Jan in China Standard Time.
    assert ask(policy, now=datetime(2027, 12, 31, 16, 0, tzinfo=UTC)).code == "expired"
    early = ask(policy, now=datetime(2026, 12, 31, 23, 59, tzinfo=CST))
    assert early.code == "not_yet_valid"


def test_elapsed_time_since_the_agreement_started():
    policy = permit_only(Constraint("elapsedTime", "lteq", Duration.parse("P30D")))
    start = datetime(2027, 5, 1, tzinfo=CST)
    assert ask(policy, now=datetime(2027, 5, 31, tzinfo=CST), agreement_start=start).permitted
    late = ask(policy, now=datetime(2027, 6, 1, tzinfo=CST), agreement_start=start)
    assert late.code == "elapsed_time_exceeded"
    assert ask(policy, elapsed=timedelta(days=3)).permitted
    month = permit_only(Constraint("elapsedTime", "lt", Duration.parse("P1M")))
    assert ask(month, elapsed=timedelta(days=29)).code == "indeterminate"
    assert ask(
        month,
        now=datetime(2027, 3, 30, tzinfo=CST),
        agreement_start=datetime(2027, 3, 1, tzinfo=CST),
    ).permitted


def test_purpose_recipient_and_industry():
    policy = permit_only(
        Constraint("purpose", "isAnyOf", ("research", "education")),
        Constraint("recipient", "neq", OTHER),
        Constraint("industry", "isA", "C"),
        action="distribute",
    )

    def decide(**facts):
        return evaluate(policy, UsageRequest("distribute", RES, SME, Context(**facts)))

    assert decide(purpose="education", recipient=SME, industry="3911").permitted
    assert decide(purpose="commercial", recipient=SME, industry="39").code == "purpose_not_allowed"
    assert (
        decide(purpose="research", recipient=OTHER, industry="39").code == "recipient_not_allowed"
    )
    assert decide(purpose="research", recipient=SME, industry="65").code == "industry_not_allowed"
    # A division whose letter contradicts the standard's table is in no section.
    assert decide(purpose="research", recipient=SME, industry="I39").code == "industry_not_allowed"


def test_several_purposes_must_all_be_allowed():
    policy = research_only(target=RES)
    assert ask(policy, purpose=("research",)).permitted
    assert ask(policy, purpose=("research", "commercial")).code == "purpose_not_allowed"


def test_later_permissions_can_grant_what_earlier_ones_do_not():
    policy = Policy(
        uid="urn:p:1",
        target=RES,
        permissions=(
            Permission(Action("use"), constraints=(Constraint("purpose", "eq", "research"),)),
            Permission(Action("read")),
        ),
    )
    decision = ask(policy, action="read", purpose="commercial")
    assert decision.permitted
    assert decision.rule_path == "permission[1]"
    assert ask(policy, action="derive", purpose="commercial").code == "purpose_not_allowed"


# -- fail closed ----------------------------------------------------------------------------


def test_unknown_operator_fails_closed():
    policy = permit_only(Constraint("count", "https://ex.org/op/about", 3, uid="urn:c:odd"))
    decision = ask(policy, prior_uses=0)
    assert not decision.permitted
    assert decision.code == "unknown_operator"
    assert (decision.path, decision.uid) == ("permission[0].constraint[0]", "urn:c:odd")
    assert "fail closed" in decision.reason


def test_unknown_left_operand_fails_closed():
    policy = permit_only(Constraint("https://ex.org/moonPhase", "eq", "full"))
    decision = ask(policy)
    assert decision.code == "unknown_left_operand"
    assert decision.rules[0].constraints[0].state is Satisfaction.ERROR


def test_unknown_logical_operator_fails_closed():
    policy = permit_only(LogicalConstraint("nand", (RESEARCH,)))
    assert ask(policy, purpose="research").code == "unknown_operator"


def test_unknown_vocabulary_in_a_prohibition_makes_it_apply():
    policy = Policy(
        uid="urn:p:1",
        target=RES,
        permissions=(Permission(Action("use")),),
        prohibitions=(
            Prohibition(
                Action("distribute"),
                constraints=(Constraint("https://ex.org/moonPhase", "eq", "full"),),
            ),
        ),
    )
    decision = ask(policy, action="distribute")
    assert not decision.permitted
    assert decision.code == "unknown_left_operand"
    assert decision.path == "prohibition[0].constraint[0]"
    assert ask(policy, action="read").permitted


def test_extension_left_operands_can_be_registered():
    policy = permit_only(
        Constraint("https://hub.example.cn/vocab/tier", "isAnyOf", ("SRDI", "little-giant"))
    )
    assert ask(policy).code == "unknown_left_operand"
    tiers = Evaluator(operands={"https://hub.example.cn/vocab/tier": lambda ctx: "SRDI"})
    request = UsageRequest("read", RES, SME, Context())
    assert evaluate(policy, request, tiers).permitted
    # A fact given directly in the context makes it known too.
    assert (
        ask(policy, facts={"https://hub.example.cn/vocab/tier": "none"}).code
        == "constraint_not_satisfied"
    )


@pytest.mark.parametrize(
    ("constraint", "fact"),
    [
        (Constraint("purpose", "eq", "research"), "purpose"),
        (Constraint("spatial", "isPartOf", "440000"), "spatial"),
        (Constraint("industry", "isA", "C"), "industry"),
        (Constraint("recipient", "eq", SME), "recipient"),
        (Constraint("dateTime", "lt", date(2030, 1, 1)), "dateTime"),
        (Constraint("elapsedTime", "lt", Duration.parse("P1D")), "elapsedTime"),
        (Constraint("count", "lt", 5), "count"),
        (Constraint("media", "eq", "online"), "media"),
    ],
)
def test_a_missing_fact_is_a_deny(constraint, fact):
    decision = ask(permit_only(constraint))
    assert not decision.permitted
    assert decision.code == "missing_fact"
    assert decision.params["fact"] == fact
    assert f"missing fact {fact}" in decision.reason


def test_type_mismatch_fails_closed():
    decision = ask(permit_only(Constraint("count", "lt", 5)), facts={"count": "many"})
    assert decision.code == "type_mismatch"
    assert not decision.permitted


def test_missing_or_wrong_target_and_assignee():
    policy = research_only(assigner=PLATFORM, assignee=SME, target=RES)
    assert evaluate(policy, UsageRequest("use", RES, SME, Context(purpose="research"))).permitted
    other = evaluate(policy, UsageRequest("use", RES, OTHER, Context(purpose="research")))
    assert other.code == "assignee_not_covered"
    elsewhere = evaluate(policy, UsageRequest("use", "urn:other", SME, Context(purpose="research")))
    assert elsewhere.code == "target_not_covered"
    anonymous = evaluate(policy, UsageRequest("use", RES, None, Context(purpose="research")))
    assert anonymous.code == "missing_fact"
    assert anonymous.params["fact"] == "assignee"
    nowhere = evaluate(policy, UsageRequest("use", None, SME, Context(purpose="research")))
    assert nowhere.params["fact"] == "target"
    ignoring = Evaluator(match_assignee=False)
    assert ignoring.evaluate(
        policy, UsageRequest("use", RES, OTHER, Context(purpose="research"))
    ).permitted


def test_a_policy_without_permissions_denies():
    policy = Policy(uid="urn:p:1", prohibitions=(Prohibition(Action("distribute")),))
    assert ask(policy).code == "no_permission"


def test_context_refuses_naive_datetimes_and_negative_counts():
    with pytest.raises(ValueError, match="timezone-aware"):
        Context(now=datetime(2027, 1, 1))  # noqa: DTZ001
    with pytest.raises(ValueError, match="timezone-aware"):
        Context(agreement_start=datetime(2027, 1, 1))  # noqa: DTZ001
    with pytest.raises(ValueError, match="negative"):
        Context(prior_uses=-1)


# -- duties ---------------------------------------------------------------------------------

FEE = Duty(
    Action(
        "compensate",
        refinements=(Constraint("payAmount", "eq", Decimal("100"), unit="https://ex.org/CNY"),),
    ),
    uid="urn:d:fee",
)
REPORT_AFTER = Duty(
    Action("inform"),
    constraints=(Constraint("event", "gt", IRI(POLICY_USAGE)),),
    uid="urn:d:report",
)


def paid(amount: str, *, by: str = SME, duty: str | None = "urn:d:fee", at=NOW - timedelta(days=1)):
    return PerformedAction(
        "compensate",
        performer=by,
        at=at,
        facts={"payAmount": Quantity(Decimal(amount), "https://ex.org/CNY")},
        duty=duty,
    )


def paid_policy() -> Policy:
    return Policy(
        uid="urn:p:1",
        target=RES,
        assignee=SME,
        permissions=(Permission(Action("use"), duties=(FEE, REPORT_AFTER), uid="urn:r:use"),),
        obligations=(Duty(Action("reviewPolicy"), uid="urn:d:review"),),
    )


def test_an_unfulfilled_duty_blocks_the_permission_and_is_listed():
    decision = ask(paid_policy(), now=NOW)
    assert not decision.permitted
    assert decision.code == "duty_not_fulfilled"
    assert (decision.path, decision.uid) == ("permission[0].duty[0]", "urn:d:fee")
    assert [(d.uid, d.timing) for d in decision.duties] == [("urn:d:fee", DutyTiming.BEFORE_USE)]
    rule = decision.rules[0]
    assert rule.activation is Activation.INACTIVE


def test_a_fulfilled_duty_opens_the_permission_and_later_duties_become_due():
    decision = ask(paid_policy(), now=NOW, performed=(paid("100"),))
    assert decision.permitted
    assert [(d.uid, d.action, d.timing) for d in decision.duties] == [
        ("urn:d:report", "inform", DutyTiming.AFTER_USE),
        ("urn:d:review", "reviewPolicy", DutyTiming.BEFORE_USE),
    ]
    fee = decision.rules[0].duties[0]
    assert fee.refinements[0].state is Satisfaction.SATISFIED


@pytest.mark.parametrize(
    "record",
    [
        paid("50"),  # wrong amount
        paid("100", by=OTHER),  # someone else paid
        paid("100", duty="urn:d:other"),  # for another duty
        paid("100", at=NOW + timedelta(days=1)),  # in the future
        PerformedAction(
            "compensate",
            performer=SME,
            facts={"payAmount": Quantity(Decimal(100), "https://ex.org/EUR")},
        ),
        PerformedAction("inform", performer=SME),
    ],
)
def test_performances_that_do_not_fulfil_the_duty(record):
    decision = ask(paid_policy(), now=NOW, performed=(record,))
    assert decision.code == "duty_not_fulfilled"


def test_a_duty_whose_constraint_does_not_hold_is_inactive():
    weekend_fee = Duty(
        FEE.action, constraints=(Constraint("https://ex.org/weekend", "eq", True),), uid="urn:d:fee"
    )
    policy = Policy(
        uid="urn:p:1", target=RES, permissions=(Permission(Action("use"), duties=(weekend_fee,)),)
    )
    assert ask(policy, facts={"https://ex.org/weekend": False}).permitted
    assert ask(policy, facts={"https://ex.org/weekend": True}).code == "duty_not_fulfilled"
    # Fail closed: when it cannot be told whether the duty applies, it applies.
    assert ask(policy).code == "duty_not_fulfilled"


def test_prohibition_violation_is_reported_from_the_state_of_the_world():
    policy = with_prohibition(ConflictStrategy.PROHIBIT)
    done = PerformedAction("distribute", performer=SME, target=RES)
    decision = ask(policy, performed=(done,))
    assert decision.rules[1].deontic.value == "violated"
    assert ask(policy).rules[1].deontic.value == "not_set"


def test_refinements_of_the_permitted_action():
    policy = Policy(
        uid="urn:p:1",
        target=RES,
        permissions=(
            Permission(
                Action(
                    "print", refinements=(Constraint("resolution", "lteq", 1200, uid="urn:c:dpi"),)
                )
            ),
        ),
    )
    assert ask(policy, action="print", facts={"resolution": 600}).permitted
    decision = ask(policy, action="print", facts={"resolution": 2400})
    assert decision.code == "refinement_not_satisfied"
    assert (decision.path, decision.uid) == ("permission[0].action.refinement[0]", "urn:c:dpi")
    assert decision.rules[0].activation is Activation.ACTIVE
    assert decision.rules[0].control is Effect.DENY


def test_decisions_render_as_their_reason():
    decision = ask(permit_only())
    assert str(decision) == decision.reason == "Permitted by permission[0]."
