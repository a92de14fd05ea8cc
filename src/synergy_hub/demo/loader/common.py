"""What every step of the demo loader shares: the constants, the progress bars, and the
builder's state with the helpers that make users and organisations.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from synergy_hub.accounts import size_class
from synergy_hub.accounts.models import Organisation, OrganisationStatus, User
from synergy_hub.accounts.uscc import generate_uscc
from synergy_hub.demo import content
from synergy_hub.eligibility import regions as region_codes

DEMO_PASSWORD = "synergy-demo-2026"  # noqa: S105 - printed for the demo log-ins
DEMO_DOMAIN = "demo.synergy-hub.cn"
DEFAULT_RESOURCES = 720
DEFAULT_SMES = 300
DEFAULT_NEEDS = 200
RESOURCES_PER_LIST = 11

Progress = Callable[[str, int], Any]


def noop_progress(_label: str, _total: int) -> Any:
    class _Bar:
        def update(self, _n: int = 1) -> None:
            pass

        def close(self) -> None:
            pass

    return _Bar()


def aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


class DemoBuilderBase:
    """The state the steps share: one random generator, the codes and titles used so far."""

    #: Set by the organisations step, read by the catalog and needs steps.
    publisher_focus: dict[int, tuple[str, ...]]
    sme_domain: dict[int, str]
    officer: User

    def __init__(
        self,
        *,
        seed: int = 2026,
        resources: int = DEFAULT_RESOURCES,
        smes: int = DEFAULT_SMES,
        needs: int = DEFAULT_NEEDS,
        today: date | None = None,
        progress: Progress = noop_progress,
    ) -> None:
        self.rng = random.Random(seed)
        self.resource_target = max(resources, 1)
        self.sme_target = smes
        self.need_target = needs
        self.today = today or timezone.localdate()
        self.progress = progress
        self.password_hash = make_password(DEMO_PASSWORD)
        self.used_usccs: set[str] = set(Organisation.objects.values_list("uscc", flat=True))
        self.prefectures = [
            r for r in region_codes.all_regions() if r.level == "prefecture"
        ] or region_codes.provinces()
        self.used_titles: set[str] = set()
        self.open_publishers: set[int] = set()
        self.list_themes: set[tuple[int, int, str]] = set()
        self.login_users: dict[str, User] = {}

    # --- helpers ------------------------------------------------------------------------

    def _uscc(self, region: str) -> str:
        while True:
            code = generate_uscc(self.rng, region)
            if code not in self.used_usccs:
                self.used_usccs.add(code)
                return code

    def _user(self, email: str, name: str) -> User:
        user = User(email=email, full_name=name, password=self.password_hash)
        user.save()
        return user

    def _organisation(self, seed: content.OrganisationSeed, **extra: Any) -> Organisation:
        klass = size_class.classify(
            seed.industry, seed.employees, Decimal(seed.revenue), Decimal(seed.total_assets)
        )
        return Organisation(
            kind=seed.kind,
            name_zh=seed.name_zh,
            name_en=seed.name_en,
            uscc=self._uscc(seed.region),
            region_id=seed.region,
            industry_id=seed.industry,
            employees=seed.employees,
            revenue=Decimal(seed.revenue),
            total_assets=Decimal(seed.total_assets),
            size_class=str(klass),
            status=OrganisationStatus.APPROVED,
            decided_at=aware(self.today - timedelta(days=300)),
            created_at=aware(self.today - timedelta(days=320)),
            contact_email=f"contact{zlib.crc32(seed.name_en.encode()) % 10**6}@{DEMO_DOMAIN}",
            **extra,
        )

    def _city(self, organisation: Organisation) -> tuple[str, str]:
        """The organisation's city in both languages, for descriptions."""
        found = region_codes.get_region(organisation.region_id or "")
        if found is None:
            return "总部", "head office"
        return found.name_zh.removesuffix("市"), found.name_en.removesuffix(" City")
