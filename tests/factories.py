"""Test data builders: small functions that create valid rows directly (fast setup).

Workflows under test go through the services; these only prepare the world around them.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from synergy_hub.accounts.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Role,
    User,
)
from synergy_hub.accounts.uscc import generate_uscc
from synergy_hub.catalog.models import Batch, Need, OpennessList, Programme, Resource
from synergy_hub.catalog.vocabulary import ListState

_rng = random.Random(7)
_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


def uscc(region: str = "330100") -> str:
    """A valid, unused Unified Social Credit Code."""
    while True:
        code = generate_uscc(_rng, region)
        if not Organisation.objects.filter(uscc=code).exists():
            return code


def organisation(kind: str = OrganisationKind.PLATFORM, **fields: Any) -> Organisation:
    n = _next()
    values: dict[str, Any] = {
        "kind": kind,
        "name_zh": f"测试组织{n}",
        "name_en": f"Test Organisation {n}",
        "uscc": uscc(),
        "region_id": "330100",
        "industry_id": "65",
        "employees": 500 if kind != OrganisationKind.SME else 40,
        "revenue": Decimal(50000 if kind != OrganisationKind.SME else 800),
        "size_class": "large" if kind != OrganisationKind.SME else "small",
        "status": OrganisationStatus.APPROVED,
    }
    if kind == OrganisationKind.AUTHORITY:
        values.update(industry_id="91", employees=None, revenue=None, size_class="")
    values.update(fields)
    return Organisation.objects.create(**values)


def user(org: Organisation | None = None, role: str = Role.ADMIN, **fields: Any) -> User:
    n = _next()
    created = User.objects.create_user(
        fields.pop("email", f"user{n}@example.org"),
        fields.pop("password", "correct horse battery staple"),
        full_name=fields.pop("full_name", f"User {n}"),
        **fields,
    )
    if org is not None:
        Membership.objects.create(user=created, organisation=org, role=role)
    return created


def programme() -> Programme:
    return Programme.objects.get_or_create(
        code="2026-2028",
        defaults={
            "name_zh": "行动方案",
            "name_en": "Action plan",
            "start_year": 2026,
            "end_year": 2028,
        },
    )[0]


def batch(number: int = 1, *, open_now: bool = True) -> Batch:
    today = timezone.localdate()
    opens, closes = (
        (today - timedelta(days=10), today + timedelta(days=30))
        if open_now
        else (today - timedelta(days=100), today - timedelta(days=50))
    )
    return Batch.objects.create(
        programme=programme(),
        number=number,
        name_zh=f"第{number}批",
        name_en=f"Batch {number}",
        opens_on=opens,
        closes_on=closes,
    )


def openness_list(
    publisher: Organisation, the_batch: Batch, author: User, **fields: Any
) -> OpennessList:
    values: dict[str, Any] = {
        "publisher": publisher,
        "batch": the_batch,
        "created_by": author,
        "title_zh": "开放清单",
        "title_en": "Openness list",
        "state": ListState.DRAFT,
    }
    values.update(fields)
    if values["state"] == ListState.PUBLISHED and "published_at" not in values:
        values["published_at"] = timezone.now()
    return OpennessList.objects.create(**values)


def resource(the_list: OpennessList, **fields: Any) -> Resource:
    values: dict[str, Any] = {
        "openness_list": the_list,
        "resource_type": "compute",
        "pillar": "innovation",
        "title_zh": "GPU算力资源池",
        "title_en": "GPU computing pool",
        "description_zh": "面向中小企业开放GPU算力。",
        "description_en": "GPU computing opened to SMEs.",
        "access_mode": "paid",
        "price": Decimal("12.00"),
        "sme_discount_percent": 20,
        "unit": "gpu_hour",
        "capacity": Decimal(1000),
        "capacity_period": "month",
    }
    values.update(fields)
    regions = values.pop("regions", [])
    industries = values.pop("industries", [])
    created = Resource.objects.create(**values)
    created.regions.set(regions)
    created.industries.set(industries)
    return created


def need(org: Organisation, author: User, **fields: Any) -> Need:
    values: dict[str, Any] = {
        "organisation": org,
        "created_by": author,
        "title": "需要GPU算力",
        "description": "我们想训练一个质检模型，需要GPU算力。",
        "resource_types": ["compute"],
    }
    values.update(fields)
    return Need.objects.create(**values)


def resource_payload(**overrides: Any) -> dict[str, Any]:
    """A valid resource as the services and the API accept it."""
    payload: dict[str, Any] = {
        "resource_type": "testing_certification",
        "pillar": "open",
        "title_zh": "产品检验检测服务",
        "title_en": "Product testing service",
        "description_zh": "具备CNAS资质的检测服务。",
        "description_en": "CNAS-accredited testing.",
        "keywords": ["检测", "testing"],
        "access_mode": "paid",
        "price": "800.00",
        "sme_discount_percent": 30,
        "unit": "test_slot",
        "capacity": "50",
        "capacity_period": "month",
        "regions": ["330000"],
        "industries": ["C"],
        "eligible_size_classes": ["small", "micro"],
        "contact_email": "lab@example.org",
    }
    payload.update(overrides)
    return payload


def signup_payload(**overrides: Any) -> dict[str, Any]:
    """A valid sign-up (a medium-sized SME in Hangzhou and its first user), as the forms send it."""
    data: dict[str, Any] = {
        "email": "Owner@Example.org",
        "full_name": "张伟",
        "password": "a long enough passphrase 2026",
        "kind": "sme",
        "name_zh": "杭州测试科技有限公司",
        "name_en": "Hangzhou Test Technology Co., Ltd.",
        "uscc": "91330100799655058B",
        "region": "330106",
        "industry": "39",
        "employees": 350,
        "revenue": "5000",
    }
    data.update(overrides)
    return data
