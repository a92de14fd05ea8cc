"""Demo rows of the fair-ecosystem duties: fee schedules, disclosures, mediators, complaints.

Each demo platform gets a fee schedule in force and one pending change still inside its
notice period, a ranking disclosure and two mediators; about 80 complaints in every state
are spread over the year so the statistics pages show a realistic picture. Rows are
bulk-inserted inside the loader's one transaction (the services' durable transactions
cannot nest in it); the values obey the same rules the services check.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from synergy_hub.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from synergy_hub.governance import rules
from synergy_hub.governance.models import (
    Complaint,
    FeeItem,
    FeeNotice,
    FeeSchedule,
    Mediator,
    RankingDisclosure,
)
from synergy_hub.governance.vocabulary import (
    ComplaintCategory,
    ComplaintState,
    FeeBasis,
    FeeKind,
    Outcome,
    ScheduleState,
)

COMPLAINTS = 80
CATEGORY_WEIGHTS = {
    ComplaintCategory.FEES: 24,
    ComplaintCategory.RANKING: 14,
    ComplaintCategory.TRAFFIC: 12,
    ComplaintCategory.RESTRICTION: 11,
    ComplaintCategory.PRICING: 9,
    ComplaintCategory.TECHNICAL: 8,
    ComplaintCategory.DATA: 5,
    ComplaintCategory.IP: 3,
}
SUBJECTS = {
    ComplaintCategory.FEES: "技术服务费上调未提前公示 / Service fee raised without notice",
    ComplaintCategory.RANKING: "店铺排序无故下降 / Listing dropped in ranking",
    ComplaintCategory.TRAFFIC: "拒绝促销后流量被限制 / Traffic cut after declining a promotion",
    ComplaintCategory.RESTRICTION: "账户被限制且未说明理由 / Account restricted without reasons",
    ComplaintCategory.PRICING: "被要求全网最低价 / Asked to guarantee the lowest price",
    ComplaintCategory.TECHNICAL: "接口长时间不可用 / API unavailable for days",
    ComplaintCategory.DATA: "经营数据被用于自营 / Our sales data used for own offers",
    ComplaintCategory.IP: "商品图片被盗用 / Product photos copied",
}
PARAMETERS = [
    ("相关性", "Relevance", 45, "回答用户搜索", "Answers the user's search"),
    ("商品评价", "Ratings", 20, "反映服务质量", "Reflects the quality of service"),
    ("履约记录", "Fulfilment record", 20, "准时交付更可靠", "On-time delivery is more reliable"),
    ("新近程度", "Freshness", 15, "新上架商品也能被看到", "New listings are seen too"),
]


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def load_governance(
    rng: random.Random,
    today: date,
    platforms: list[Organisation],
    smes: list[Organisation],
    authors: dict[int, User],
    password_hash: str,
    domain: str,
) -> dict[str, int]:
    """Create the governance demo rows; returns their counts."""
    platforms = [p for p in platforms if p.kind == OrganisationKind.PLATFORM]
    if not platforms or not smes:
        return {"fee_schedules": 0, "complaints": 0}
    now = _aware(today)
    prc = rules.PRC_2026
    schedules: list[FeeSchedule] = []
    rates: dict[int, Decimal] = {}
    for platform in platforms:
        author = authors[platform.pk]
        rate = rates[platform.pk] = Decimal(rng.choice(["3", "4", "5", "6"]))
        schedules.append(
            FeeSchedule(
                platform=platform,
                version=1,
                state=ScheduleState.PUBLISHED,
                summary_zh=f"技术服务费{rate}%，中小企业优惠20%。",
                summary_en=f"Technical service fee {rate}%, 20% off for SMEs.",
                created_by=author,
                created_at=now - timedelta(days=120),
                published_at=now - timedelta(days=120),
                effective_from=now
                - timedelta(days=120)
                + timedelta(days=prc.fee_notice_days.value),
            )
        )
        published = now - timedelta(days=2)
        schedules.append(
            FeeSchedule(
                platform=platform,
                version=2,
                state=ScheduleState.PUBLISHED,
                summary_zh=f"技术服务费由{rate}%调整为{rate + 1}%，设每单封顶。",
                summary_en=f"Technical service fee from {rate}% to {rate + 1}%, capped per order.",
                created_by=author,
                created_at=published,
                published_at=published,
                # Exactly the notice period: the change is pending for five more days.
                effective_from=rules.earliest_effective(published, prc),
            )
        )
    FeeSchedule.objects.bulk_create(schedules)
    items = []
    for schedule in schedules:
        rate = rates[schedule.platform_id] + (1 if schedule.version == 2 else 0)
        items += [
            FeeItem(
                schedule=schedule,
                kind=FeeKind.COMMISSION,
                basis=FeeBasis.PERCENTAGE,
                rate=rate,
                cap=Decimal(500) if schedule.version == 2 else None,
                sme_discount_percent=Decimal(20),
                applies_to="所有付费资源 / all paid resources",
            ),
            FeeItem(
                schedule=schedule,
                kind=FeeKind.DATA_COMPUTE,
                basis=FeeBasis.PER_UNIT,
                rate=Decimal("1.20"),
                unit="gpu_hour",
                applies_to="算力资源 / computing power",
            ),
        ]
    FeeItem.objects.bulk_create(items)
    pending = [s for s in schedules if s.version == 2]
    FeeNotice.objects.bulk_create(
        FeeNotice(schedule=schedule, organisation=sme, created_at=schedule.published_at or now)
        for schedule in pending
        for sme in smes[:3]
    )
    RankingDisclosure.objects.bulk_create(
        RankingDisclosure(
            platform=platform,
            version=1,
            parameters=[
                {"name_zh": zh, "name_en": en, "weight": w, "reason_zh": rz, "reason_en": re}
                for zh, en, w, rz, re in PARAMETERS
            ],
            paid_influence_zh="付费推广位单独标注“广告”，不影响自然排序。",
            paid_influence_en='Paid placements are marked "advertisement" and do not change '
            "the organic ranking.",
            own_offers_zh="自营商品与第三方商品适用同一排序规则。",
            own_offers_en="Own offers are ranked by the same parameters as third parties'.",
            published_by=authors[platform.pk],
            published_at=now - timedelta(days=60),
        )
        for platform in platforms
    )
    mediators = Mediator.objects.bulk_create(
        Mediator(
            platform=platform,
            name_zh=name_zh,
            name_en=name_en,
            contact=f"mediation{n}-{platform.pk}@{domain}",
        )
        for platform in platforms
        for n, (name_zh, name_en) in enumerate(
            [
                ("中国国际贸易促进委员会调解中心", "CCPIT Mediation Center"),
                ("互联网行业纠纷调解中心", "Internet Industry Dispute Mediation Center"),
            ]
        )
    )
    complaints = _complaints(rng, today, now, platforms, smes, mediators, password_hash, domain)
    return {"fee_schedules": len(schedules), "complaints": complaints}


def _complaints(
    rng: random.Random,
    today: date,
    now: datetime,
    platforms: list[Organisation],
    smes: list[Organisation],
    mediators: list[Mediator],
    password_hash: str,
    domain: str,
) -> int:
    """About 80 complaints over the year so far, in every state, by a few dozen SMEs."""
    complainants = smes[: min(len(smes), 30)]
    users = User.objects.bulk_create(
        User(email=f"complaints{n:02d}@{domain}", full_name="投诉专员", password=password_hash)
        for n in range(len(complainants))
    )
    Membership.objects.bulk_create(
        Membership(user=user, organisation=sme, role=Role.ADMIN)
        for user, sme in zip(users, complainants, strict=True)
    )
    start = date(today.year, 1, 1)
    span = max((today - start).days, 1)
    categories = list(CATEGORY_WEIGHTS)
    weights = list(CATEGORY_WEIGHTS.values())
    rows = []
    for n in range(COMPLAINTS):
        index = rng.randrange(len(complainants))
        platform = rng.choice(platforms)
        category = rng.choices(categories, weights)[0]
        # The newest few are kept recent so that open states occur whatever the date.
        age = rng.randrange(0, 4) if n < 6 else rng.randrange(0, span)
        # Nothing is filed after the demo's "now" (10:00 on its day).
        filed = _aware(today - timedelta(days=age), hour=rng.randrange(8, 18) if age else 8)
        deadlines = rules.complaint_deadlines(filed, rules.PRC_2026)
        complaint = Complaint(
            complainant=complainants[index],
            platform=platform,
            filed_by=users[index],
            category=category,
            subject=SUBJECTS[category],
            description=SUBJECTS[category],
            rule_set=rules.PRC_2026.code,
            filed_at=filed,
            acknowledge_by=deadlines.acknowledge_by,
            decide_by=deadlines.decide_by,
        )
        state = _state(rng, n, age)
        if state != ComplaintState.FILED:
            complaint.acknowledged_at = min(filed + timedelta(hours=rng.randrange(4, 80)), now)
            complaint.state = ComplaintState.ACKNOWLEDGED
        if state in (ComplaintState.DECIDED, ComplaintState.MEDIATION, ComplaintState.OFFICE):
            days = min(rng.choice([2, 4, 6, 8, 10, 12, 14, 18]), max(age, 1))
            complaint.decided_at = min(filed + timedelta(days=days, hours=3), now)
            complaint.outcome = rng.choices(
                [Outcome.UPHELD, Outcome.PARTLY, Outcome.REJECTED], [4, 3, 3]
            )[0]
            complaint.reasons = "已核实并处理。 / Checked and dealt with."
            complaint.state = ComplaintState.DECIDED
        if state in (ComplaintState.MEDIATION, ComplaintState.OFFICE):
            complaint.state = state
            complaint.escalated_at = complaint.decided_at
            if state == ComplaintState.MEDIATION:
                complaint.mediator = next(m for m in mediators if m.platform_id == platform.pk)
        rows.append(complaint)
    Complaint.objects.bulk_create(rows)
    return len(rows)


def _state(rng: random.Random, n: int, age: int) -> str:
    """Recent complaints are mostly still open; older ones mostly decided."""
    if n < 3:
        return ComplaintState.FILED
    if n < 6:
        return ComplaintState.ACKNOWLEDGED
    if n < 9:
        return [ComplaintState.DECIDED, ComplaintState.MEDIATION, ComplaintState.OFFICE][n - 6]
    if age < 3:
        return rng.choice([ComplaintState.FILED, ComplaintState.ACKNOWLEDGED])
    return rng.choices(
        [
            ComplaintState.DECIDED,
            ComplaintState.MEDIATION,
            ComplaintState.OFFICE,
            ComplaintState.ACKNOWLEDGED,
        ],
        [80, 8, 5, 7],
    )[0]
