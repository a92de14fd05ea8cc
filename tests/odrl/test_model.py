"""The ODRL model, vocabulary, typed values, code relations, validation and templates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synergy_hub.odrl import (
    ODRL_ACTIONS,
    Action,
    ConflictStrategy,
    Constraint,
    Duration,
    Duty,
    LogicalConstraint,
    Permission,
    Policy,
    PolicyType,
    PolicyValidationError,
    Prohibition,
    as_agreement,
    check,
    combine,
    count_limited,
    no_redistribution,
    region_limited,
    research_only,
    time_limited,
    validate,
)
from synergy_hub.odrl.model import walk_constraints
from synergy_hub.odrl.values import IRI, TypedLiteral, parse_literal, require_aware
from synergy_hub.odrl.vocabulary import CC, ODRL, XSD, iri_of, is_absolute_iri, term_of

CST = timezone(timedelta(hours=8))
RES = "https://hub.example.cn/resource/42"
PLATFORM = "https://hub.example.cn/org/platform"
SME = "https://hub.example.cn/org/sme"


# -- model ----------------------------------------------------------------------------------


def test_policies_compare_by_value_and_hash():
    one = research_only(uid="urn:p:1")
    two = research_only(uid="urn:p:1")
    assert one == two
    assert hash(one) == hash(two)
    assert one != research_only(uid="urn:p:2")


def test_rule_paths_and_nested_constraint_paths():
    inner = LogicalConstraint(
        "or", (Constraint("purpose", "eq", "research"), Constraint("purpose", "eq", "education"))
    )
    policy = Policy(
        uid="urn:p:1",
        permissions=(
            Permission(Action("use"), constraints=(Constraint("count", "lteq", 3), inner)),
        ),
        prohibitions=(Prohibition(Action("distribute")),),
        obligations=(Duty(Action("inform")),),
    )
    assert [path for path, _ in policy.rules()] == [
        "permission[0]",
        "prohibition[0]",
        "obligation[0]",
    ]
    paths = [
        path for path, _ in walk_constraints(policy.permissions[0].constraints, "permission[0]")
    ]
    assert paths == [
        "permission[0].constraint[0]",
        "permission[0].constraint[1]",
        "permission[0].constraint[1].or[0]",
        "permission[0].constraint[1].or[1]",
    ]


# -- vocabulary -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("broader", "narrower", "covered"),
    [
        ("use", "read", True),
        ("use", "reproduce", True),
        ("use", "distribute", True),
        ("use", "derive", True),
        ("use", "display", True),  # display is included in play, play in use
        ("play", "display", True),
        ("reproduce", "extract", True),
        ("use", "commercialize", True),
        ("commercialize", CC + "CommercialUse", True),
        ("reproduce", "copy", True),
        ("read", "use", False),
        ("read", "distribute", False),
        ("use", "transfer", False),
        ("transfer", "sell", True),
        ("use", "sell", False),
        ("use", "https://ex.org/unknownAction", False),
    ],
)
def test_action_hierarchy(broader, narrower, covered):
    assert ODRL_ACTIONS.includes(broader, narrower) is covered


def test_action_hierarchy_can_be_extended_with_profile_actions():
    extended = ODRL_ACTIONS.extended({"https://hub.example.cn/vocab/callApi": "use"})
    assert extended.includes("use", "https://hub.example.cn/vocab/callApi")
    assert not ODRL_ACTIONS.includes("use", "https://hub.example.cn/vocab/callApi")
    assert extended.ancestors("display") == ("display", "play", "use")


def test_terms_and_iris():
    assert term_of(ODRL + "use") == "use"
    assert term_of("https://ex.org/x") == "https://ex.org/x"
    assert term_of(ODRL + "neg") == "neq"  # misprint in the published JSON-LD context
    assert term_of(ODRL + "industry:") == "industry"
    assert iri_of("use") == ODRL + "use"
    assert iri_of("https://ex.org/x") == "https://ex.org/x"
    assert is_absolute_iri("urn:uuid:1") and is_absolute_iri("ex:dayOfWeek")
    assert not is_absolute_iri("dayOfWeek") and not is_absolute_iri(":x")


# -- values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "months", "seconds", "canonical"),
    [
        ("P30D", 0, 30 * 86400, "P30D"),
        ("P1Y", 12, 0, "P1Y"),
        ("P1Y2M", 14, 0, "P1Y2M"),
        ("PT12H", 0, 12 * 3600, "PT12H"),
        ("PT1.5S", 0, Decimal("1.5"), "PT1.5S"),
        ("P1DT2H3M4S", 0, 86400 + 7384, "P1DT2H3M4S"),
        ("-P2D", 0, -2 * 86400, "-P2D"),
        ("PT0S", 0, 0, "PT0S"),
    ],
)
def test_duration_parsing(text, months, seconds, canonical):
    duration = Duration.parse(text)
    assert duration.months == months
    assert duration.seconds == Decimal(seconds)
    assert duration.lexical() == canonical


@pytest.mark.parametrize("text", ["P", "PT", "P1H", "1D", "P-1D", "PT1M2H", ""])
def test_invalid_durations_are_refused(text):
    with pytest.raises(ValueError, match="xsd:duration"):
        Duration.parse(text)


def test_duration_addition_pins_the_day_of_month():
    start = datetime(2027, 1, 31, 12, tzinfo=CST)
    assert Duration.parse("P1M").add_to(start) == datetime(2027, 2, 28, 12, tzinfo=CST)
    assert Duration.parse("P1Y").add_to(start) == datetime(2028, 1, 31, 12, tzinfo=CST)
    assert Duration.parse("P1DT1H").add_to(start) == datetime(2027, 2, 1, 13, tzinfo=CST)


@given(
    st.integers(min_value=0, max_value=50),
    st.integers(min_value=0, max_value=11),
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=0, max_value=86399),
)
def test_duration_lexical_round_trip(years, months, days, seconds):
    duration = Duration(months=12 * years + months, seconds=Decimal(days * 86400 + seconds))
    assert Duration.parse(duration.lexical()) == duration


@pytest.mark.parametrize(
    ("lexical", "datatype", "expected"),
    [
        ("42", XSD + "integer", 42),
        ("7", XSD + "nonNegativeInteger", 7),
        ("5.00", XSD + "decimal", Decimal("5.00")),
        ("1.5", XSD + "double", 1.5),
        ("true", XSD + "boolean", True),
        ("2027-12-31", XSD + "date", date(2027, 12, 31)),
        ("2027-12-31+08:00", XSD + "date", date(2027, 12, 31)),
        (
            "2027-12-31T23:59:59+08:00",
            XSD + "dateTime",
            datetime(2027, 12, 31, 23, 59, 59, tzinfo=CST),
        ),
        ("2027-12-31T15:59:59Z", XSD + "dateTime", datetime(2027, 12, 31, 15, 59, 59, tzinfo=UTC)),
        ("P30D", XSD + "duration", Duration.parse("P30D")),
        ("https://ex.org/a", XSD + "anyURI", IRI("https://ex.org/a")),
        ("text", None, "text"),
        ("text", XSD + "string", "text"),
        ("EUR", "https://ex.org/currency", TypedLiteral("EUR", "https://ex.org/currency")),
    ],
)
def test_literals_become_typed_values(lexical, datatype, expected):
    assert parse_literal(lexical, datatype) == expected


def test_naive_datetimes_are_placed_in_china_standard_time_by_default():
    value = parse_literal("2027-12-31T23:59:59", XSD + "dateTime")
    assert isinstance(value, datetime)
    assert value.utcoffset() == timedelta(hours=8)
    utc = parse_literal("2027-12-31T23:59:59", XSD + "dateTime", default_timezone=UTC)
    assert isinstance(utc, datetime) and utc.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("lexical", "datatype"),
    [
        ("x", XSD + "integer"),
        ("-1", XSD + "nonNegativeInteger"),
        ("0", XSD + "positiveInteger"),
        ("abc", XSD + "decimal"),
        ("yes", XSD + "boolean"),
        ("2027-13-01", XSD + "date"),
        ("31/12/2027", XSD + "dateTime"),
    ],
)
def test_bad_literals_are_refused(lexical, datatype):
    with pytest.raises(ValueError):
        parse_literal(lexical, datatype)


def test_naive_datetimes_are_refused_where_awareness_is_required():
    with pytest.raises(ValueError, match="timezone-aware"):
        require_aware(datetime(2027, 1, 1), "now")  # noqa: DTZ001 - the point of the test


# -- validation -----------------------------------------------------------------------------


def _rules(problems):
    return {(p.path, p.rule) for p in problems}


def test_valid_policies_pass_validation():
    policy = combine(research_only(), count_limited(10))
    assert check(policy) == []
    assert validate(policy) is policy


def test_policy_level_problems():
    assert ("uid", "uid_required") in _rules(
        check(Policy(uid="", permissions=(Permission(Action("use")),)))
    )
    assert ("uid", "uid_not_iri") in _rules(
        check(Policy(uid="p1", permissions=(Permission(Action("use")),)))
    )
    assert ("", "no_rules") in _rules(check(Policy(uid="urn:p:1")))


def test_offers_and_agreements_need_parties_and_targets():
    offer = Policy(uid="urn:p:1", type=PolicyType.OFFER, permissions=(Permission(Action("use")),))
    assert _rules(check(offer)) == {
        ("permission[0].assigner", "offer_needs_assigner"),
        ("permission[0].target", "target_required"),
    }
    agreement = Policy(
        uid="urn:p:1",
        type=PolicyType.AGREEMENT,
        assigner=PLATFORM,
        target=RES,
        permissions=(Permission(Action("use")),),
    )
    assert _rules(check(agreement)) == {("permission[0].assignee", "agreement_needs_assignee")}
    with pytest.raises(PolicyValidationError) as caught:
        validate(agreement)
    assert caught.value.path == "permission[0].assignee"
    assert caught.value.rule == "agreement_needs_assignee"


def test_vocabulary_and_operand_types_are_checked():
    policy = Policy(
        uid="urn:p:1",
        permissions=(
            Permission(
                Action("fly"),
                constraints=(
                    Constraint("colour", "eq", "red"),
                    Constraint("count", "between", 3),
                    Constraint("dateTime", "lt", "2027-01-01"),
                    Constraint("elapsedTime", "lt", 30),
                    Constraint("count", "lteq", -1),
                    Constraint("purpose", "lt", "research"),
                    Constraint("dateTime", "lt", datetime(2027, 1, 1)),  # noqa: DTZ001
                    Constraint("purpose", "isAnyOf", ()),
                    LogicalConstraint("nand", (Constraint("count", "lt", 1),)),
                    LogicalConstraint("or", ()),
                ),
            ),
        ),
    )
    assert _rules(check(policy)) == {
        ("permission[0].action", "unknown_action"),
        ("permission[0].constraint[0].leftOperand", "unknown_left_operand"),
        ("permission[0].constraint[1].operator", "unknown_operator"),
        ("permission[0].constraint[2].rightOperand", "right_operand_type"),
        ("permission[0].constraint[3].rightOperand", "right_operand_type"),
        ("permission[0].constraint[4].rightOperand", "right_operand_type"),
        ("permission[0].constraint[5].rightOperand", "right_operand_type"),
        ("permission[0].constraint[6].rightOperand", "right_operand_type"),
        ("permission[0].constraint[7].rightOperand", "right_operand_type"),
        ("permission[0].constraint[8]", "unknown_logical_operator"),
        ("permission[0].constraint[9]", "empty_logical_constraint"),
    }


def test_extension_terms_with_full_iris_are_valid():
    policy = Policy(
        uid="urn:p:1",
        permissions=(
            Permission(
                Action("https://hub.example.cn/vocab/callApi"),
                constraints=(
                    Constraint("https://hub.example.cn/vocab/tier", "https://ex.org/near", "A"),
                ),
            ),
        ),
    )
    assert check(policy) == []


def test_a_uid_names_one_node():
    policy = Policy(
        uid="urn:p:1",
        permissions=(
            Permission(Action("use"), constraints=(Constraint("count", "lt", 3, uid="urn:c:1"),)),
            Permission(Action("read"), constraints=(Constraint("count", "lt", 3, uid="urn:c:1"),)),
            Permission(
                Action("derive"), constraints=(Constraint("count", "lt", 9, uid="urn:c:1"),)
            ),
            Permission(Action("print"), uid="urn:p:1"),
        ),
    )
    assert _rules(check(policy)) == {
        ("permission[2].constraint[0].uid", "duplicate_uid"),
        ("permission[3].uid", "duplicate_uid"),
    }


def test_duties_and_consequences_are_checked():
    duty = Duty(
        Action("pay!"), consequences=(Duty(Action("compensate"), (Constraint("x", "eq", 1),)),)
    )
    policy = Policy(uid="urn:p:1", permissions=(Permission(Action("use"), duties=(duty,)),))
    assert _rules(check(policy)) == {
        ("permission[0].duty[0].action", "unknown_action"),
        ("permission[0].duty[0].consequence[0].constraint[0].leftOperand", "unknown_left_operand"),
    }


# -- templates ------------------------------------------------------------------------------


def test_templates_build_valid_policies():
    for policy in (
        research_only(),
        no_redistribution(),
        region_limited(["440000"]),
        region_limited(["440000", "310000"]),
        time_limited(start=date(2026, 1, 1)),
        time_limited(end=datetime(2027, 12, 31, 18, tzinfo=CST)),
        count_limited(10_000),
    ):
        assert check(policy) == []
        assert policy.conflict is ConflictStrategy.PROHIBIT
        assert policy.uid.startswith("urn:uuid:")


def test_template_parties_choose_the_policy_type():
    assert research_only().type is PolicyType.SET
    assert research_only(assigner=PLATFORM, target=RES).type is PolicyType.OFFER
    agreement = research_only(assigner=PLATFORM, assignee=SME, target=RES)
    assert agreement.type is PolicyType.AGREEMENT
    assert check(agreement) == []


def test_region_limited_uses_one_constraint_or_alternatives():
    single = region_limited(["440000"]).permissions[0].constraints
    assert single == (Constraint("spatial", "isPartOf", "440000"),)
    double = region_limited(["440000", "310000", "440000"]).permissions[0].constraints
    assert double == (
        LogicalConstraint(
            "or",
            (
                Constraint("spatial", "isPartOf", "440000"),
                Constraint("spatial", "isPartOf", "310000"),
            ),
        ),
    )


@pytest.mark.parametrize(
    "build",
    [
        lambda: region_limited([]),
        lambda: region_limited(["Guangdong"]),
        lambda: time_limited(),
        lambda: time_limited(start=date(2027, 1, 2), end=date(2027, 1, 1)),
        lambda: time_limited(end=datetime(2027, 1, 1)),  # noqa: DTZ001 - naive is refused
        lambda: count_limited(0),
        lambda: count_limited(True),
        lambda: combine(),
        lambda: combine(research_only(target=RES), count_limited(3, target="urn:other")),
    ],
)
def test_template_misuse_is_refused(build):
    with pytest.raises(ValueError):
        build()


def test_combine_ands_conditions_into_one_permission_and_keeps_prohibitions():
    policy = combine(
        research_only(uid="urn:p:research"),
        time_limited(end=date(2027, 12, 31)),
        count_limited(10_000),
        no_redistribution(),
        count_limited(10_000),
    )
    assert policy.uid == "urn:p:research"
    assert len(policy.permissions) == 1
    assert policy.permissions[0].constraints == (
        Constraint("purpose", "eq", "research"),
        Constraint("dateTime", "lteq", date(2027, 12, 31)),
        Constraint("count", "lteq", 10_000),
    )
    assert policy.prohibitions == (Prohibition(Action("distribute")),)
    assert policy.conflict is ConflictStrategy.PROHIBIT


def test_as_agreement_binds_the_offer_to_an_sme():
    offer = combine(research_only(assigner=PLATFORM, target=RES), count_limited(5))
    agreement = as_agreement(offer, assignee=SME, uid="urn:agreement:1")
    assert agreement.type is PolicyType.AGREEMENT
    assert (agreement.assigner, agreement.assignee, agreement.target) == (PLATFORM, SME, RES)
    assert agreement.permissions == offer.permissions
    assert check(agreement) == []
    with pytest.raises(ValueError, match="assigner"):
        as_agreement(research_only(), assignee=SME, uid="urn:agreement:2")
