"""A pilot call world: the plan's programme, an open call, published resources, reviewers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from synergy_hub.accounts.models import OrganisationKind, User
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.programmes import services
from synergy_hub.programmes.models import Application, PilotCall
from tests import factories
from tests.conftest import World


def call_data(**overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "title_zh": "开放平台资源场景试点项目申报指南",
        "title_en": "Call for pilot projects in open platform resource scenarios",
        "pillars": ["innovation", "open"],
        "budget": 10_000_000,
        "quotas": {"pillar:open": 5},
        "min_sme_share": 50,
        "max_projects": 10,
        "rubric": [
            {"key": "impact", "label_zh": "成效", "label_en": "Impact", "weight": 60},
            {"key": "feasibility", "label_zh": "可行性", "label_en": "Feasibility", "weight": 40},
        ],
        "scale_max": 10,
        "opens_on": (today - timedelta(days=5)).isoformat(),
        "closes_on": (today + timedelta(days=20)).isoformat(),
        "review_by": (today + timedelta(days=40)).isoformat(),
        "decide_by": (today + timedelta(days=50)).isoformat(),
    }
    data.update(overrides)
    return data


@pytest.fixture
def open_call(world: World) -> PilotCall:
    call = services.create_call(world.officer, factories.programme(), call_data())
    return services.open_call(world.officer, call)


@pytest.fixture
def gpu(world: World) -> Resource:
    published = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    return factories.resource(published)


def application_data(partners: list[int], resources: list[int], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "质检大模型试点",
        "scenario": "用平台开放的算力训练质检模型。",
        "pillar": "innovation",
        "budget": 1_000_000,
        "partners": partners,
        "resources": resources,
        "milestones": [
            {"title": "模型上线", "due_on": "2027-06-30", "kpi": "缺陷检出率≥95%"},
        ],
    }
    data.update(overrides)
    return data


def draft(world: World, call: PilotCall, gpu: Resource, **overrides: Any) -> Application:
    """Small Co leads, platform C joins, using platform A's published GPU pool."""
    return services.create_application(
        world.sam, call, application_data([world.platform_c.pk], [gpu.pk], **overrides)
    )


@pytest.fixture
def submitted(world: World, open_call: PilotCall, gpu: Resource) -> Application:
    return services.submit_application(world.sam, draft(world, open_call, gpu))


def reviewer(name: str) -> User:
    """A reviewer from an organisation of their own (a university, say): no conflict."""
    org = factories.organisation(OrganisationKind.PROVIDER, name_en=f"{name} University")
    return factories.user(org, email=f"{name.lower()}@example.org")


@pytest.fixture
def reviewers(db: None) -> list[User]:
    return [reviewer(name) for name in ("Ada", "Ben", "Cai")]
