"""Plain-language descriptions of policies in English and Simplified Chinese."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from synergy_hub.odrl import (
    IRI,
    Action,
    Constraint,
    Duration,
    Duty,
    LogicalConstraint,
    Permission,
    Policy,
    Prohibition,
    combine,
    count_limited,
    describe,
    describe_rules,
    no_redistribution,
    region_limited,
    research_only,
    time_limited,
)
from synergy_hub.odrl.vocabulary import POLICY_USAGE

CST = timezone(timedelta(hours=8))


def one_permission(*constraints: Constraint | LogicalConstraint, action: str = "use") -> Policy:
    return Policy(uid="urn:p:1", permissions=(Permission(Action(action), constraints=constraints),))


def test_the_research_offer_reads_naturally_in_both_languages():
    policy = combine(research_only(), time_limited(end=date(2027, 12, 31)), count_limited(10_000))
    assert describe(policy) == (
        "You may use this resource for research purposes only, until 31 Dec 2027, "
        "at most 10,000 times."
    )
    assert (
        describe(policy, lang="zh") == "您可在2027年12月31日前仅以科研目的使用本资源，最多10000次。"
    )


def test_constraint_order_does_not_change_the_sentence():
    policy = combine(count_limited(10_000), time_limited(end=date(2027, 12, 31)), research_only())
    assert describe(policy) == (
        "You may use this resource for research purposes only, until 31 Dec 2027, "
        "at most 10,000 times."
    )
    assert (
        describe(policy, "zh-Hans") == "您可在2027年12月31日前仅以科研目的使用本资源，最多10000次。"
    )


def test_regions_prohibitions_and_start_dates():
    policy = combine(
        region_limited(["440000", "310000"]),
        no_redistribution(),
        time_limited(start=date(2026, 1, 1)),
    )
    assert describe(policy) == (
        "You may use this resource only in Guangdong (440000) or Shanghai (310000), "
        "from 1 Jan 2026. You may not distribute this resource."
    )
    assert describe(policy, "zh") == (
        "您可自2026年1月1日起仅在广东省（440000）或上海市（310000）范围内使用本资源。您不得分发本资源。"
    )


def test_prefectures_and_labels_from_the_caller():
    policy = region_limited(["440300"])
    assert describe(policy) == "You may use this resource only in Shenzhen City (440300)."
    assert describe(policy, "zh") == "您可仅在深圳市（440300）范围内使用本资源。"
    # A code the region table does not know is named by its code.
    unknown = region_limited(["449900"])
    assert describe(unknown) == "You may use this resource only in region 449900."
    assert describe(unknown, "zh") == "您可仅在行政区划449900范围内使用本资源。"

    def labels(left: str, value: str, lang: str) -> str | None:
        return {"en": "Shenzhen", "zh": "深圳市"}[lang] if value == "440300" else None

    assert describe(policy, labels=labels) == "You may use this resource only in Shenzhen."
    assert describe(policy, "zh", labels=labels) == "您可仅在深圳市范围内使用本资源。"


def test_strict_bounds_become_whole_days():
    policy = one_permission(
        Constraint("dateTime", "gt", date(2026, 12, 31)),
        Constraint("dateTime", "lt", date(2028, 1, 1)),
    )
    assert describe(policy) == "You may use this resource from 1 Jan 2027, until 31 Dec 2027."
    assert describe(policy, "zh") == "您可自2027年1月1日起在2027年12月31日前使用本资源。"


def test_times_of_day_keep_their_offset():
    policy = one_permission(Constraint("dateTime", "lt", datetime(2027, 6, 30, 18, 0, tzinfo=CST)))
    assert describe(policy) == "You may use this resource before 30 Jun 2027, 18:00 (UTC+08:00)."
    assert describe(policy, "zh") == "您可在2027年6月30日18:00（UTC+08:00）之前使用本资源。"


def test_periods_counts_and_actions():
    policy = one_permission(
        Constraint("elapsedTime", "lteq", Duration.parse("P1Y6M")),
        Constraint("count", "lt", 2),
        action="derive",
    )
    assert describe(policy) == (
        "You may create derived works from this resource within 1 year and 6 months of the "
        "start of the agreement, at most 1 time."
    )
    assert describe(policy, "zh") == "您可在协议生效后1年6个月内基于本资源制作衍生成果，最多1次。"


@pytest.mark.parametrize(
    ("action", "english", "chinese"),
    [
        ("read", "You may read this resource.", "您可读取本资源。"),
        ("reproduce", "You may make copies of this resource.", "您可复制本资源。"),
        ("distribute", "You may distribute this resource.", "您可分发本资源。"),
        ("commercialize", "You may use this resource commercially.", "您可将本资源用于商业用途。"),
        ("display", "You may display this resource.", "您可展示本资源。"),
        (
            "https://hub.example.cn/vocab/callApi",
            "You may exercise “callApi” on this resource.",
            "您可对本资源执行“callApi”。",
        ),
    ],
)
def test_action_phrases(action, english, chinese):
    policy = one_permission(action=action)
    assert describe(policy) == english
    assert describe(policy, "zh") == chinese


def test_industry_recipient_and_excluded_purposes():
    policy = one_permission(
        Constraint("industry", "isA", "C"),
        Constraint("recipient", "eq", IRI("https://hub.example.cn/org/partner")),
        Constraint("purpose", "isNoneOf", ("commercial",)),
        action="distribute",
    )
    assert describe(policy) == (
        "You may distribute this resource not for commercial purposes, only by enterprises in "
        "industry C, only to partner."
    )
    assert describe(policy, "zh") == "您可仅向partner、不以商业为目的分发本资源，仅限行业C的企业。"


def test_alternatives_and_generic_conditions():
    either = one_permission(
        LogicalConstraint(
            "or",
            (Constraint("purpose", "eq", "research"), Constraint("purpose", "eq", "education")),
        )
    )
    assert describe(either) == "You may use this resource for research or education purposes only."
    assert describe(either, "zh") == "您可仅以科研或教学目的使用本资源。"
    mixed = one_permission(
        LogicalConstraint(
            "xone", (Constraint("media", "eq", "online"), Constraint("fileFormat", "eq", "pdf"))
        )
    )
    assert describe(mixed) == (
        "You may use this resource provided that exactly one of these holds: "
        "media is online; file format is pdf."
    )
    assert (
        describe(mixed, "zh")
        == "您可使用本资源，须恰好满足以下一项条件：媒介为online；文件格式为pdf。"
    )
    plain = one_permission(Constraint("percentage", "lteq", Decimal("10")))
    assert describe(plain) == "You may use this resource only if percentage is at most 10."
    assert describe(plain, "zh") == "您可使用本资源，仅当百分比不超过10时。"


def test_duties_obligations_and_their_timing():
    policy = Policy(
        uid="urn:p:1",
        permissions=(
            Permission(
                Action("use"),
                duties=(
                    Duty(
                        Action(
                            "compensate",
                            (
                                Constraint(
                                    "payAmount",
                                    "eq",
                                    Decimal("100.00"),
                                    unit="https://hub.example.cn/unit/CNY",
                                ),
                            ),
                        )
                    ),
                    Duty(Action("attribute"), (Constraint("event", "gt", IRI(POLICY_USAGE)),)),
                ),
            ),
        ),
        obligations=(Duty(Action("inform")),),
    )
    assert describe_rules(policy) == [
        "You may use this resource.",
        "Before using it, you must pay 100.00 CNY.",
        "After each use, you must credit the provider as the source of this resource.",
        "You must inform the provider.",
    ]
    assert describe(policy, "zh") == (
        "您可使用本资源。使用前，您须支付100.00元。每次使用后，您须注明本资源的来源。您须告知资源提供方。"
    )


def test_prohibitions_drop_the_word_only():
    policy = Policy(
        uid="urn:p:1",
        prohibitions=(
            Prohibition(
                Action("distribute"), constraints=(Constraint("spatial", "isPartOf", "440000"),)
            ),
            Prohibition(Action("use"), constraints=(Constraint("purpose", "eq", "commercial"),)),
        ),
    )
    assert describe(policy) == (
        "You may not distribute this resource in Guangdong (440000). "
        "You may not use this resource for commercial purposes."
    )
    assert (
        describe(policy, "zh")
        == "您不得在广东省（440000）范围内分发本资源。您不得以商业目的使用本资源。"
    )


def test_only_english_and_simplified_chinese_are_spoken():
    with pytest.raises(ValueError, match="'en' and 'zh'"):
        describe(research_only(), lang="fr")
    assert describe(research_only(), lang="en-GB") == describe(research_only())
    assert describe(research_only(), lang="zh_CN") == describe(research_only(), lang="zh")
