"""Demo rows of the programme office: the plan's targets, a decided call and an open one,
pilot projects in every status, service platforms and scenarios in every state.

Built directly (inside the demo loader's one transaction) from one random generator, so a
run always gives the same picture; the decided call's outcome is the real optimum of
`programmes.selection` with its reasons, as `run_selection` would record it.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from synergy_hub.accounts.models import Organisation, User
from synergy_hub.catalog.models import Programme, Resource
from synergy_hub.catalog.vocabulary import Pillar
from synergy_hub.programmes import rules, selection, services
from synergy_hub.programmes.models import (
    Application,
    PilotCall,
    PilotProject,
    ReviewAssignment,
    Scenario,
    ServicePlatform,
)
from synergy_hub.programmes.vocabulary import (
    AiCapability,
    ApplicationState,
    CallState,
    PlatformState,
    ProjectStatus,
    ScenarioState,
)

RUBRIC: list[dict[str, Any]] = [
    {"key": "impact", "label_zh": "带动成效", "label_en": "Impact", "weight": 40},
    {"key": "openness", "label_zh": "资源开放程度", "label_en": "Openness", "weight": 30},
    {"key": "feasibility", "label_zh": "可行性", "label_en": "Feasibility", "weight": 30},
]
THEMES_ZH = ["工业质检", "智能排产", "供应链协同", "研发设计", "能耗管理", "跨境电商", "智慧物流"]
THEMES_EN = [
    "industrial inspection",
    "smart scheduling",
    "supply-chain collaboration",
    "R&D design",
    "energy management",
    "cross-border e-commerce",
    "smart logistics",
]
DECIDED_APPLICATIONS = 150
OPEN_APPLICATIONS = 24
PLATFORMS = 12
OPERATING_PLATFORMS = 9
SCENARIOS = {ScenarioState.IMPLEMENTED: 38, ScenarioState.PILOTING: 20, ScenarioState.PROPOSED: 12}


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


class ProgrammeDemo:
    """Builds the programme office's demo rows around the catalog's demo organisations."""

    def __init__(
        self,
        rng: random.Random,
        today: date,
        officer: User,
        publishers: list[Organisation],
        smes: list[Organisation],
    ) -> None:
        self.rng = rng
        self.today = today
        self.officer = officer
        self.publishers = publishers
        self.smes = smes
        self.resources = list(
            Resource.objects.filter(openness_list__state="published").values_list("pk", flat=True)
        )

    def build(self, programme: Programme, reviewers: list[User]) -> dict[str, int]:
        services.seed_plan_targets(programme)
        decided = self._call(programme, decided=True)
        self._applications(decided, DECIDED_APPLICATIONS, reviewers, decided=True)
        projects = self._select(decided)
        opened = self._call(programme, decided=False)
        self._applications(opened, OPEN_APPLICATIONS, reviewers, decided=False)
        platforms = self._platforms()
        scenarios = self._scenarios()
        return {
            "pilot_applications": Application.objects.count(),
            "pilot_projects": projects,
            "service_platforms": platforms,
            "scenarios": scenarios,
        }

    def _call(self, programme: Programme, *, decided: bool) -> PilotCall:
        t = self.today
        if decided:
            dates = (t - timedelta(days=210), t - timedelta(days=150), t - timedelta(days=130))
            title = ("2026年开放平台资源场景试点项目申报指南", "2026 call for pilot projects")
        else:
            dates = (t - timedelta(days=20), t + timedelta(days=40), t + timedelta(days=70))
            title = ("2027年开放平台资源场景试点项目申报指南", "2027 call for pilot projects")
        return PilotCall.objects.create(
            programme=programme,
            title_zh=title[0],
            title_en=title[1],
            description_zh="面向平台资源开放场景，遴选大中小企业融通发展试点项目。",
            description_en=(
                "Pilot projects in which platforms open resources to SMEs, selected on merit "
                "within the budget and quotas."
            ),
            pillars=list(Pillar.values),
            eligible_kinds=["sme", "platform", "provider"],
            themes=THEMES_ZH,
            budget=90_000_000,
            quotas={"pillar:innovation": 30, "pillar:ecosystem": 20, "pillar:open": 25},
            min_sme_share=60,
            max_projects=60,
            rubric=RUBRIC,
            scale_max=10,
            opens_on=dates[0],
            closes_on=dates[1],
            review_by=dates[2],
            decide_by=dates[2] + timedelta(days=10),
            state=CallState.CLOSED if decided else CallState.OPEN,
            created_by=self.officer,
            created_at=_aware(dates[0] - timedelta(days=10)),
        )

    def _applications(
        self, call: PilotCall, count: int, reviewers: list[User], *, decided: bool
    ) -> None:
        rng = self.rng
        rubric = [rules.Criterion(c["key"], float(c["weight"])) for c in RUBRIC]
        for index in range(count):
            sme_led = rng.random() < 0.68
            lead = rng.choice(self.smes) if sme_led else rng.choice(self.publishers)
            partner = rng.choice(self.publishers) if sme_led else rng.choice(self.smes)
            theme = rng.randrange(len(THEMES_ZH))
            submitted = decided or index % 3 != 0
            day = call.opens_on + timedelta(days=rng.randrange(0, 40))
            application = Application.objects.create(
                call=call,
                lead=lead,
                title=f"{lead.name_zh[:8]}·{THEMES_ZH[theme]}试点",
                scenario=f"{THEMES_ZH[theme]}：{lead.name_zh}与{partner.name_zh}联合开展。",
                pillar=rng.choice(Pillar.values),
                milestones=[
                    {
                        "title": "方案上线",
                        "due_on": (call.closes_on + timedelta(days=120)).isoformat(),
                        "kpi": f"服务中小企业不少于{rng.randrange(10, 80)}家",
                    },
                    {
                        "title": "成果验收",
                        "due_on": (call.closes_on + timedelta(days=360)).isoformat(),
                        "kpi": f"效率提升{rng.randrange(10, 40)}%",
                    },
                ],
                budget=rng.randrange(500_000, 3_000_001, 50_000),
                region_id=lead.region_id if submitted else None,
                industry_code=(lead.industry_id or "")[:4] if submitted else "",
                sme_led=sme_led,
                state=ApplicationState.SUBMITTED if submitted else ApplicationState.DRAFT,
                submitted_at=_aware(day) if submitted else None,
                created_by=self.officer,
                created_at=_aware(day - timedelta(days=3)),
            )
            application.partners.set([partner])
            if self.resources:
                application.resources.set(rng.sample(self.resources, min(2, len(self.resources))))
            if not submitted or not (decided or index % 3 == 1):
                continue
            quality = rng.uniform(0.35, 0.95)
            reviews = []
            for reviewer in reviewers[:3]:
                scores = {
                    c["key"]: max(0, min(10, round(rng.gauss(quality * 10, 1.2)))) for c in RUBRIC
                }
                total = rules.weighted_score(rubric, scores, 10)
                reviews.append(
                    ReviewAssignment(
                        application=application,
                        reviewer=reviewer,
                        reviewer_organisation_id=reviewer.memberships.get().organisation_id,
                        assigned_by=self.officer,
                        assigned_at=_aware(call.closes_on),
                        scores=scores,
                        total=Decimal(str(round(total, 4))),
                        submitted_at=_aware(call.closes_on + timedelta(days=5)),
                    )
                )
            for review, flagged in zip(
                reviews, rules.outliers([float(r.total or 0) for r in reviews]), strict=True
            ):
                review.outlier = flagged
            ReviewAssignment.objects.bulk_create(reviews)
            application.score = Decimal(
                str(round(sum(float(r.total or 0) for r in reviews) / len(reviews), 4))
            )
            application.save(update_fields=["score"])

    def _select(self, call: PilotCall) -> int:
        """Decide the call with the real solver and start its projects in every status."""
        applications = list(
            call.applications.filter(state=ApplicationState.SUBMITTED).order_by(
                "submitted_at", "pk"
            )
        )
        result = selection.select(services.selection_problem(call, applications))
        outcomes = {o.key: o for o in result.outcomes}
        statuses = [ProjectStatus.ON_TRACK] * 6 + [
            ProjectStatus.AT_RISK,
            ProjectStatus.LATE,
            ProjectStatus.DONE,
            ProjectStatus.DONE,
        ]
        decided_at = _aware(call.decide_by)
        projects = []
        for application in applications:
            outcome = outcomes[application.pk]
            application.state = (
                ApplicationState.SELECTED if outcome.selected else ApplicationState.NOT_SELECTED
            )
            application.rank = outcome.rank
            application.selection_reasons = list(outcome.reasons)
            if outcome.selected:
                projects.append(
                    PilotProject(
                        application=application,
                        status=self.rng.choice(statuses),
                        started_on=call.decide_by + timedelta(days=self.rng.randrange(5, 60)),
                        created_at=decided_at,
                    )
                )
        Application.objects.bulk_update(applications, ["state", "rank", "selection_reasons"])
        PilotProject.objects.bulk_create(projects)
        call.state = CallState.DECIDED
        call.decided_at = decided_at
        call.save(update_fields=["state", "decided_at"])
        return len(projects)

    def _platforms(self) -> int:
        rng = self.rng
        for index in range(PLATFORMS):
            operator = self.publishers[index % len(self.publishers)]
            theme = index % len(THEMES_ZH)
            operating = index < OPERATING_PLATFORMS
            confirmed = self.today - timedelta(days=300 - 25 * index)
            platform = ServicePlatform.objects.create(
                operator=operator,
                name_zh=f"{operator.name_zh[:8]}{THEMES_ZH[theme]}服务平台",
                name_en=f"{operator.name_en[:40]} {THEMES_EN[theme]} service platform",
                services=f"{THEMES_ZH[theme]}咨询、资源对接、算力与数据服务",
                region_id=operator.region_id,
                pillar=Pillar.values[index % 3],
                smes_served=rng.randrange(40, 900),
                state=PlatformState.OPERATING if operating else PlatformState.PROPOSED,
                created_at=_aware(confirmed - timedelta(days=20)),
                confirmed_at=_aware(confirmed) if operating else None,
            )
            if self.resources:
                platform.resources.set(rng.sample(self.resources, min(3, len(self.resources))))
        return PLATFORMS

    def _scenarios(self) -> int:
        rng = self.rng
        proposers = self.smes + self.publishers
        made = 0
        for state, count in SCENARIOS.items():
            for _ in range(count):
                proposer = rng.choice(proposers)
                theme = rng.randrange(len(THEMES_ZH))
                proposed = self.today - timedelta(days=rng.randrange(60, 330))
                implemented = proposed + timedelta(days=rng.randrange(20, 55))
                implemented = min(implemented, self.today - timedelta(days=1))
                done = state == ScenarioState.IMPLEMENTED
                scenario = Scenario.objects.create(
                    proposer=proposer,
                    title_zh=f"{THEMES_ZH[theme]}智能体应用（{proposer.name_zh[:6]}）",
                    title_en=f"{THEMES_EN[theme].capitalize()} assistant ({proposer.name_en[:30]})",
                    problem=f"{THEMES_ZH[theme]}环节依赖人工，效率低、差错多。",
                    ai_capability=rng.choice(AiCapability.values),
                    region_id=proposer.region_id,
                    pillar=rng.choice(Pillar.values),
                    smes_served=rng.randrange(5, 300),
                    evidence="上线运行报告、用户单位证明"
                    if state != ScenarioState.PROPOSED
                    else "",
                    state=state,
                    created_at=_aware(proposed),
                    implemented_at=_aware(implemented) if done else None,
                    confirmed_by=self.officer if done else None,
                )
                if self.resources:
                    scenario.resources.set(rng.sample(self.resources, min(2, len(self.resources))))
                made += 1
        return made


def reviewers_for_demo(authors: dict[int, User], publishers: list[Organisation]) -> list[User]:
    """Three demo reviewers: editors of the last publishers, which lead and join nothing here."""
    return [authors[p.pk] for p in publishers[-3:]]


def build(
    rng: random.Random,
    today: date,
    officer: User,
    programme: Programme,
    publishers: list[Organisation],
    smes: list[Organisation],
    authors: dict[int, User],
) -> dict[str, Any]:
    """Add the programme office's demo rows; the last three publishers act as reviewers."""
    reviewers = reviewers_for_demo(authors, publishers)
    parties = publishers[:-3] or publishers
    return ProgrammeDemo(rng, today, officer, parties, smes).build(programme, reviewers)
