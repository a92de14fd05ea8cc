"""Load the demo catalog into the database: deterministic for a seed, bulk-inserted, with progress.

The default size matches the product's demo (about 20 publishers, 300 SMEs, 3 batches,
600+ resources of every type, 200 needs); `resources=N` grows the catalog for benchmarks
by adding lists and publishers, not by repeating rows.
"""

from __future__ import annotations

import random
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from synergy_hub.accounts import size_class
from synergy_hub.accounts.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Role,
    Tier,
    User,
)
from synergy_hub.accounts.uscc import generate_uscc
from synergy_hub.audit.services import record
from synergy_hub.catalog.models import Batch, Need, OpennessList, Programme, Resource
from synergy_hub.catalog.services import copy_resource
from synergy_hub.catalog.vocabulary import AccessMode, ListState
from synergy_hub.demo import access as access_demo
from synergy_hub.demo import content
from synergy_hub.demo import programmes as programme_demo
from synergy_hub.demo.cultivation import load_cultivation
from synergy_hub.demo.governance import load_governance
from synergy_hub.eligibility import regions as region_codes

DEMO_PASSWORD = "synergy-demo-2026"  # noqa: S105 - printed for the demo log-ins
DEMO_DOMAIN = "demo.synergy-hub.cn"
DEFAULT_RESOURCES = 720
DEFAULT_SMES = 300
DEFAULT_NEEDS = 200
DEMO_SME_NEEDS = 4
RESOURCES_PER_LIST = 11
USAGE_TERMS_EN = (
    "For the requesting company's own R&D and operations only; "
    "no resale or transfer to third parties."
)
RETURN_REASONS = (
    "请补充各项资源的容量与中小企业折扣说明。 / "
    "Please state capacity and the SME discount for each resource."
)

Progress = Callable[[str, int], Any]


@dataclass
class DemoLogins:
    """The accounts printed after loading, one per role."""

    rows: list[tuple[str, str, str]] = field(default_factory=list)


def _noop_progress(_label: str, _total: int) -> Any:
    class _Bar:
        def update(self, _n: int = 1) -> None:
            pass

        def close(self) -> None:
            pass

    return _Bar()


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


class DemoBuilder:
    """Builds the demo rows from one random generator so every run gives the same data."""

    def __init__(
        self,
        *,
        seed: int = 2026,
        resources: int = DEFAULT_RESOURCES,
        smes: int = DEFAULT_SMES,
        needs: int = DEFAULT_NEEDS,
        today: date | None = None,
        progress: Progress = _noop_progress,
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
            decided_at=_aware(self.today - timedelta(days=300)),
            created_at=_aware(self.today - timedelta(days=320)),
            contact_email=f"contact{zlib.crc32(seed.name_en.encode()) % 10**6}@{DEMO_DOMAIN}",
            **extra,
        )

    # --- the programme ------------------------------------------------------------------

    def programme(self) -> list[Batch]:
        """The plan and three batches; the third is open today."""
        programme = Programme.objects.create(
            code="2026-2028",
            name_zh="平台经济领域大中小企业融通发展行动方案（2026—2028年）",
            name_en=(
                "Action Plan for Promoting the Collaborative Development of Large, Medium and "
                "Small Enterprises in the Platform Economy (2026–2028)"
            ),
            summary_zh=(
                "推动大型平台企业向中小企业开放技术、数据、算力、模型、研发工具、实验室和检验检测"
                "等资源，分三批发布平台开放清单，到2028年打造不少于100个平台资源开放场景试点项目、"
                "不少于10个服务平台和不少于60个可落地的智能服务应用场景，并规范平台收费、"
                "排序规则和商户权益保护。"
            ),
            summary_en=(
                "Large platform enterprises open technology, data, computing power, AI models, "
                "R&D tools, laboratories and testing services to SMEs, through openness lists "
                "released in three batches; by 2028 at least 100 pilot projects, 10 service "
                "platforms and 60 implementable intelligent service scenarios, with fair and "
                "transparent platform fees, ranking rules and merchant rights."
            ),
            start_year=2026,
            end_year=2028,
        )
        t = self.today
        spans = [
            (t - timedelta(days=300), t - timedelta(days=200)),
            (t - timedelta(days=180), t - timedelta(days=60)),
            (t - timedelta(days=40), t + timedelta(days=140)),
        ]
        names = [("第一批", "First batch"), ("第二批", "Second batch"), ("第三批", "Third batch")]
        return [
            Batch.objects.create(
                programme=programme,
                number=i + 1,
                name_zh=f"{names[i][0]}平台开放清单",
                name_en=f"{names[i][1]} of openness lists",
                opens_on=opens,
                closes_on=closes,
            )
            for i, (opens, closes) in enumerate(spans)
        ]

    # --- organisations ----------------------------------------------------------------------

    def organisations(self) -> tuple[Organisation, list[Organisation], list[Organisation]]:
        """The programme office, the publishers (scaled with the catalog) and the SMEs."""
        office = Organisation.objects.create(
            kind=OrganisationKind.AUTHORITY,
            name_zh="平台经济融通发展工作专班",
            name_en="Platform Economy Collaboration Programme Office",
            uscc=self._uscc_for_authority(),
            region_id="110000",
            industry_id="91",
            status=OrganisationStatus.APPROVED,
            decided_at=_aware(self.today - timedelta(days=330)),
            created_at=_aware(self.today - timedelta(days=330)),
        )

        seeds = list(content.PUBLISHERS)
        wanted = max(len(seeds), self.resource_target // (RESOURCES_PER_LIST * 3 * 8))
        extra = wanted - len(seeds)
        for index in range(extra):
            base = seeds[index % len(content.PUBLISHERS)]
            number = index // len(content.PUBLISHERS) + 2
            seeds.append(
                content.OrganisationSeed(
                    base.kind,
                    f"{base.name_zh[:-6]}第{number}分公司",
                    f"{base.name_en.removesuffix(' Co., Ltd.')} Branch {number} Co., Ltd.",
                    self.rng.choice(self.prefectures).code,
                    base.industry,
                    base.employees // number,
                    base.revenue // number,
                    base.total_assets // number,
                    base.focus,
                )
            )
        publishers = [self._organisation(seed) for seed in seeds]
        Organisation.objects.bulk_create(publishers, batch_size=500)
        self.publisher_focus = {
            org.pk: seed.focus for org, seed in zip(publishers, seeds, strict=True)
        }
        # The publishers behind the operator's and the provider's demo log-ins (see users()).
        first_provider = next(
            (org for org in publishers if org.kind == OrganisationKind.PROVIDER), publishers[0]
        )
        self.open_publishers = {publishers[0].pk, first_provider.pk}

        smes: list[Organisation] = []
        bar = self.progress("SMEs", self.sme_target)
        for index in range(self.sme_target):
            word = content.SME_WORDS[index % len(content.SME_WORDS)]
            line = content.SME_LINES[
                (index // len(content.SME_WORDS) + index) % len(content.SME_LINES)
            ]
            region = self.prefectures[self.rng.randrange(len(self.prefectures))]
            city_zh = region.name_zh.removesuffix("市").removesuffix("地区")[:4]
            employees = int(
                self.rng.choice([6, 15, 40, 90, 180, 260, 450]) * self.rng.uniform(0.7, 1.3)
            )
            revenue = int(
                self.rng.choice([120, 400, 1500, 4000, 9000, 18000]) * self.rng.uniform(0.6, 1.4)
            )
            assets = int(revenue * self.rng.uniform(0.8, 1.6))
            seed = content.OrganisationSeed(
                "sme",
                f"{city_zh}{word[0]}{line[0]}",
                f"{region.name_en.split(' ')[0]} {word[1]} {line[1]}",
                region.code,
                line[2],
                employees,
                revenue,
                assets,
                (),
            )
            tier = self.rng.choices(
                [Tier.NONE, Tier.INNOVATIVE, Tier.SRDI, Tier.LITTLE_GIANT], weights=[60, 25, 12, 3]
            )[0]
            smes.append(self._organisation(seed, tier=tier))
            bar.update(1)
        bar.close()
        Organisation.objects.bulk_create(smes, batch_size=500)
        self.sme_domain = {
            org.pk: content.SME_LINES[(i // len(content.SME_WORDS) + i) % len(content.SME_LINES)][3]
            for i, org in enumerate(smes)
        }
        return office, publishers, smes

    def _uscc_for_authority(self) -> str:
        while True:
            code = generate_uscc(self.rng, "110000", department="1", organisation_type="1")
            if code not in self.used_usccs:
                self.used_usccs.add(code)
                return code

    # --- users ----------------------------------------------------------------------------

    def users(
        self, office: Organisation, publishers: list[Organisation], smes: list[Organisation]
    ) -> tuple[DemoLogins, dict[int, User]]:
        """One log-in per role, plus an editor for every publisher (lists need an author)."""
        logins = DemoLogins()
        officer = self._user(f"officer@{DEMO_DOMAIN}", "王敏 Wang Min")
        # Back-office access to read what the API shows officers, but no superuser: the
        # officer may not read parties' agreements, usage or needs there (decision 0016).
        officer.is_staff = True
        officer.is_superuser = False
        officer.save()
        Membership.objects.create(user=officer, organisation=office, role=Role.ADMIN)
        logins.rows.append(("programme officer", officer.email, DEMO_PASSWORD))

        authors: dict[int, User] = {}
        memberships = []
        provider_login_made = False
        for index, publisher in enumerate(publishers):
            if index == 0:
                email, label = f"operator@{DEMO_DOMAIN}", "platform operator"
            elif publisher.kind == OrganisationKind.PROVIDER and not provider_login_made:
                email, label = f"provider@{DEMO_DOMAIN}", "service provider"
                provider_login_made = True
            elif index == len(publishers) - 1:
                # One of the pilot reviewers (programmes.reviewers_for_demo).
                email, label = f"reviewer@{DEMO_DOMAIN}", "pilot reviewer"
            else:
                email, label = f"publisher{index:03d}@{DEMO_DOMAIN}", ""
            user = User(
                email=email, full_name=publisher.name_zh[:6] + "运营", password=self.password_hash
            )
            authors[publisher.pk] = user
            if label:
                logins.rows.append((label, email, DEMO_PASSWORD))
                self.login_users[label] = user
        User.objects.bulk_create(list(authors.values()), batch_size=500)
        for publisher_pk, user in authors.items():
            memberships.append(Membership(user=user, organisation_id=publisher_pk, role=Role.ADMIN))
        sme_user = self._user(f"sme@{DEMO_DOMAIN}", "李娜 Li Na")
        memberships.append(Membership(user=sme_user, organisation=smes[0], role=Role.ADMIN))
        Membership.objects.bulk_create(memberships, batch_size=500)
        logins.rows.append(("SME user", sme_user.email, DEMO_PASSWORD))
        authors[smes[0].pk] = sme_user
        self.officer = officer
        return logins, authors

    # --- lists and resources ------------------------------------------------------------

    def _city(self, organisation: Organisation) -> tuple[str, str]:
        """The organisation's city in both languages, for descriptions."""
        found = region_codes.get_region(organisation.region_id or "")
        if found is None:
            return "总部", "head office"
        return found.name_zh.removesuffix("市"), found.name_en.removesuffix(" City")

    def _pick_title(
        self, publisher: Organisation, candidates: list[content.ResourceTemplate]
    ) -> tuple[content.ResourceTemplate, tuple[str, str, str, tuple[str, ...]], str, str]:
        """A template, a domain and one of the template's titles not used yet in the catalog.

        Near-duplicate titles make a catalog hard to read and search results look
        repeated; when every draw collides the publisher's short name tells them apart.
        """
        rng = self.rng
        for _attempt in range(12):
            template = rng.choice(candidates)
            domain = rng.choice(content.DOMAINS)
            more = content.MORE_TITLES.get(template.title_en, ())
            titles = ((template.title_zh, template.title_en), *more)
            zh, en = rng.choice(titles)
            title_zh, title_en = zh.format(d=domain[1]), en.format(d=domain[2])
            if title_zh not in self.used_titles and title_en not in self.used_titles:
                break
        else:
            brand_zh = publisher.name_zh[:2]
            brand_en = publisher.name_en.split(" ")[0]
            title_zh, title_en = f"{brand_zh}·{title_zh}", f"{brand_en} {title_en}"
            number = 2
            while title_zh in self.used_titles or title_en in self.used_titles:
                title_zh = f"{brand_zh}·{zh.format(d=domain[1])}（{number}）"
                title_en = f"{brand_en} {en.format(d=domain[2])} ({number})"
                number += 1
        self.used_titles.update((title_zh, title_en))
        return template, domain, title_zh, title_en

    def _resource(
        self, publisher: Organisation, openness_list: OpennessList, position: int
    ) -> tuple[Resource, list[str], list[str]]:
        """One resource, titled and described in both languages."""
        rng = self.rng
        focus = self.publisher_focus.get(publisher.pk, ())
        focused = [t for t in content.TEMPLATES if t.resource_type in focus]
        candidates = focused if focused and rng.random() < 0.7 else list(content.TEMPLATES)
        template, domain, title_zh, title_en = self._pick_title(publisher, candidates)
        free = template.price_range is None or rng.random() < 0.15
        if free:
            access_mode = rng.choice([AccessMode.OPEN, AccessMode.ON_REQUEST])
            price = None
        else:
            access_mode = AccessMode.PAID
            low, high = template.price_range  # type: ignore[misc]
            price = Decimal(max(1, rng.randint(low, high))).quantize(Decimal("0.01"))
        capacity = None
        if template.capacity_range is not None:
            low, high = template.capacity_range
            capacity = Decimal(rng.randrange(low, high + 1, max(1, (high - low) // 20)))
        # The demo SME must find resources of the demo operator and provider open to it,
        # so that their inboxes have work: two in three of theirs carry no restriction
        # (region, size, tier or industry).
        unrestricted = publisher.pk in self.open_publishers and position % 3 != 2
        regions: list[str] = []
        if not unrestricted and rng.random() > 0.45:
            province = region_codes.region_ancestors(publisher.region_id)[-1]
            regions = [province]
            if rng.random() < 0.3:
                regions += [p.code for p in rng.sample(region_codes.provinces(), 2)]
        size_classes: list[str] = []
        if not unrestricted and rng.random() < 0.3:
            size_classes = rng.choice([["small", "micro"], ["medium", "small", "micro"], ["micro"]])
        tiers: list[str] = []
        if (
            not unrestricted
            and template.resource_type == "training_incubation"
            and rng.random() < 0.6
        ):
            tiers = ["innovative", "srdi", "little_giant"]
        discount = rng.choice([0, 10, 20, 30, 50]) if price else 0
        keywords = [*template.keywords_zh, *template.keywords_en, domain[1], domain[2]]
        city_zh, city_en = self._city(publisher)
        amount = int(capacity) if capacity is not None else rng.choice([120, 300, 800, 1500])
        detail_zh, detail_en = content.DETAILS[template.resource_type]
        resource = Resource(
            openness_list=openness_list,
            lineage=uuid.UUID(int=rng.getrandbits(128), version=4),
            position=position,
            resource_type=template.resource_type,
            pillar=template.pillar,
            title_zh=title_zh,
            title_en=title_en,
            description_zh=template.body_zh.format(d=domain[1])
            + detail_zh.format(city=city_zh, n=f"{amount:,}"),
            description_en=template.body_en.format(d=domain[2])
            + " "
            + detail_en.format(city=city_en, n=f"{amount:,}"),
            keywords=list(dict.fromkeys(keywords)),
            eligible_size_classes=size_classes,
            eligible_tiers=tiers,
            access_mode=access_mode,
            price=price,
            sme_discount_percent=discount,
            unit=template.unit,
            capacity=capacity,
            capacity_period=template.period if capacity is not None else "",
            usage_terms_zh="仅限申请企业自身研发与经营使用，不得转售或向第三方提供。",
            usage_terms_en=USAGE_TERMS_EN,
            contact_name="开放资源服务台 / Open resources desk",
            contact_email=f"open@{publisher.pk}.{DEMO_DOMAIN}",
            contact_phone=f"400-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
            created_at=openness_list.created_at,
            updated_at=openness_list.created_at,
        )
        return resource, regions, [] if unrestricted else list(domain[3])

    def lists_and_resources(
        self, batches: list[Batch], publishers: list[Organisation], authors: dict[int, User]
    ) -> int:
        """Three batches of lists; earlier versions superseded, the open batch partly in review."""
        lists_needed = max(3, -(-self.resource_target // RESOURCES_PER_LIST))
        plan: list[tuple[Organisation, Batch]] = []
        index = 0
        # The demo operator and provider come first, so even a small demo has their lists.
        ordered = sorted(publishers, key=lambda org: org.pk not in self.open_publishers)
        while len(plan) < lists_needed:
            batch = batches[index % 3]
            publisher = ordered[(index // 3) % len(ordered)]
            plan.append((publisher, batch))
            index += 1
        remaining = self.resource_target
        bar = self.progress("resources", self.resource_target)
        created = 0
        for chunk_start in range(0, len(plan), 200):
            chunk = plan[chunk_start : chunk_start + 200]
            lists: list[OpennessList] = []
            for offset, (publisher, batch) in enumerate(chunk):
                n = chunk_start + offset
                lists.append(self._list(publisher, batch, authors[publisher.pk], n, len(plan)))
            OpennessList.objects.bulk_create(lists, batch_size=500)
            rows: list[Resource] = []
            links: list[tuple[int, list[str], list[str]]] = []
            for openness_list in lists:
                count = (
                    min(remaining, RESOURCES_PER_LIST + self.rng.randint(-2, 2))
                    if remaining > RESOURCES_PER_LIST + 2
                    else remaining
                )
                count = max(count, 1) if remaining > 0 else 0
                publisher = next(p for p, _ in chunk if p.pk == openness_list.publisher_id)
                for position in range(count):
                    resource, regions, industries = self._resource(
                        publisher, openness_list, position
                    )
                    rows.append(resource)
                    links.append((len(rows) - 1, regions, industries))
                remaining -= count
            Resource.objects.bulk_create(rows, batch_size=1000)
            region_through = Resource.regions.through
            industry_through = Resource.industries.through
            region_rows = [
                region_through(resource_id=rows[i].pk, region_id=code)
                for i, regions, _ in links
                for code in dict.fromkeys(regions)
            ]
            industry_rows = [
                industry_through(resource_id=rows[i].pk, industry_id=code)
                for i, _, industries in links
                for code in industries
            ]
            region_through.objects.bulk_create(region_rows, batch_size=2000)
            industry_through.objects.bulk_create(industry_rows, batch_size=2000)
            if chunk_start == 0:
                self._versions(lists, authors)
            created += len(rows)
            bar.update(len(rows))
        bar.close()
        return created

    def _list(
        self, publisher: Organisation, batch: Batch, author: User, n: int, total: int
    ) -> OpennessList:
        name_zh = publisher.name_zh.removesuffix("有限公司").removesuffix("集团")
        name_en = publisher.name_en.removesuffix(" Co., Ltd.")
        created = _aware(batch.opens_on + timedelta(days=self.rng.randint(1, 20)))
        state = ListState.PUBLISHED
        if batch.is_open(self.today) and n >= total - 12:
            state = [
                ListState.SUBMITTED,
                ListState.UNDER_REVIEW,
                ListState.DRAFT,
                ListState.RETURNED,
            ][n % 4]
        published = created + timedelta(days=12) if state == ListState.PUBLISHED else None
        theme_zh, theme_en = self._theme(publisher, batch)
        batch_zh = batch.name_zh[:3]
        batch_en = batch.name_en.split(" of ")[0].lower()
        return OpennessList(
            publisher=publisher,
            batch=batch,
            title_zh=f"{name_zh}{batch_zh}{theme_zh}开放清单",
            title_en=f"{name_en}: {theme_en} ({batch_en})",
            summary_zh=f"{name_zh}在{batch_zh}向中小企业开放的{theme_zh}资源，含价格、"
            "中小企业折扣、容量与使用条件。",
            summary_en=f"The {theme_en} that {name_en} opens to SMEs in the {batch_en}, with "
            "prices, SME discounts, capacity and terms of use.",
            state=state,
            return_reasons=(RETURN_REASONS if state == ListState.RETURNED else ""),
            created_by=author,
            reviewed_by=self.officer
            if state in (ListState.PUBLISHED, ListState.RETURNED, ListState.UNDER_REVIEW)
            else None,
            created_at=created,
            updated_at=published or created,
            submitted_at=created + timedelta(days=5) if state != ListState.DRAFT else None,
            published_at=published,
        )

    def _theme(self, publisher: Organisation, batch: Batch) -> tuple[str, str]:
        """The theme of a publisher's next list in a batch: a second list gets another one,
        so no two lists of a batch share a title."""
        focus = self.publisher_focus.get(publisher.pk, ()) or tuple(content.LIST_THEMES)
        order = [*focus, *(t for t in content.LIST_THEMES if t not in focus)]
        key = next(
            (k for k in order if (publisher.pk, batch.pk, k) not in self.list_themes), order[0]
        )
        self.list_themes.add((publisher.pk, batch.pk, key))
        return content.LIST_THEMES[key]

    def _versions(self, lists: list[OpennessList], authors: dict[int, User]) -> None:
        """Give every seventh published list an earlier, superseded version.

        The earlier version lacks the newest resource, so the history shows a real change.
        """
        for openness_list in lists[::7]:
            if openness_list.state != ListState.PUBLISHED or openness_list.published_at is None:
                continue
            OpennessList.objects.filter(pk=openness_list.pk).update(version=2)
            old = OpennessList.objects.create(
                series=openness_list.series,
                version=1,
                publisher_id=openness_list.publisher_id,
                batch=openness_list.batch,
                title_zh=openness_list.title_zh,
                title_en=openness_list.title_en,
                summary_zh=openness_list.summary_zh,
                summary_en=openness_list.summary_en,
                state=ListState.SUPERSEDED,
                created_by=openness_list.created_by,
                reviewed_by=self.officer,
                created_at=openness_list.created_at - timedelta(days=20),
                updated_at=openness_list.published_at,
                submitted_at=openness_list.created_at - timedelta(days=15),
                published_at=openness_list.created_at - timedelta(days=10),
                superseded_at=openness_list.published_at,
            )
            OpennessList.objects.filter(pk=openness_list.pk).update(previous=old)
            current = list(
                Resource.objects.filter(openness_list=openness_list).order_by("position")
            )
            for resource in current[:-1] if len(current) > 1 else current:
                copy_resource(resource, old)

    # --- needs ----------------------------------------------------------------------------

    def needs(self, smes: list[Organisation], authors: dict[int, User]) -> int:
        """SME needs in their own words, mostly Chinese, some English."""
        author = authors[smes[0].pk]
        domains = {d[0]: d for d in content.DOMAINS}
        rows = []
        bar = self.progress("needs", self.need_target)
        # The demo SME states several needs of its own, so its needs page is not empty.
        owners = [smes[0]] * min(DEMO_SME_NEEDS, self.need_target)
        owners += [smes[i % len(smes)] for i in range(1, self.need_target - len(owners) + 1)]
        for sme in owners:
            domain = domains[self.sme_domain[sme.pk]]
            resource_type, zh, en = self.rng.choice(content.NEED_PHRASES)
            chinese = self.rng.random() < 0.7
            context_zh, context_en = self.rng.choice(content.NEED_CONTEXTS)
            city_zh, city_en = self._city(sme)
            more = {"n": sme.employees, "city": city_zh if chinese else city_en}
            text = (
                zh.format(d=domain[1]) + "。" + context_zh.format(**more)
                if chinese
                else en.format(d=domain[2]) + ". " + context_en.format(**more)
            )
            title = zh.format(d=domain[1]) if chinese else en.format(d=domain[2])
            start = self.today + timedelta(days=self.rng.randint(0, 60))
            rows.append(
                Need(
                    organisation=sme,
                    created_by=author,
                    title=title[:40] if chinese else title[:80],
                    description=text,
                    resource_types=[resource_type],
                    region_id=sme.region_id if self.rng.random() < 0.5 else None,
                    budget=Decimal(self.rng.choice([5000, 20000, 50000, 100000, 300000]))
                    if self.rng.random() < 0.7
                    else None,
                    wanted_from=start,
                    wanted_until=start + timedelta(days=self.rng.choice([30, 90, 180])),
                    created_at=_aware(self.today - timedelta(days=self.rng.randint(0, 90))),
                )
            )
            bar.update(1)
        bar.close()
        Need.objects.bulk_create(rows, batch_size=1000)
        return len(rows)

    def pending_signups(self) -> None:
        """Two registrations waiting for the officer's decision."""
        for index, (zh, en, region, industry, employees, revenue) in enumerate(
            [
                (
                    "杭州云织科技有限公司",
                    "Hangzhou Yunzhi Technology Co., Ltd.",
                    "330100",
                    "18",
                    35,
                    900,
                ),
                (
                    "佛山智造模具有限公司",
                    "Foshan Zhizao Mould Co., Ltd.",
                    "440600",
                    "35",
                    120,
                    5200,
                ),
            ]
        ):
            seed = content.OrganisationSeed(
                "sme", zh, en, region, industry, employees, revenue, revenue, ()
            )
            org = self._organisation(seed)
            org.status = OrganisationStatus.PENDING
            org.decided_at = None
            org.created_at = _aware(self.today - timedelta(days=index + 1))
            org.save()
            user = self._user(f"signup{index + 1}@{DEMO_DOMAIN}", en.split(" ")[1])
            Membership.objects.create(user=user, organisation=org, role=Role.ADMIN)


def load_demo_data(
    *,
    seed: int = 2026,
    resources: int = DEFAULT_RESOURCES,
    smes: int = DEFAULT_SMES,
    needs: int = DEFAULT_NEEDS,
    progress: Progress = _noop_progress,
    today: date | None = None,
) -> tuple[DemoLogins, dict[str, int]]:
    """Fill an empty database with the demo catalog; refuses a database that has a programme."""
    if Programme.objects.exists():
        raise RuntimeError(
            "the database already holds a programme; demo data loads only into an empty one"
        )
    builder = DemoBuilder(
        seed=seed, resources=resources, smes=smes, needs=needs, progress=progress, today=today
    )
    # One transaction: a failure part-way leaves the database as empty as it was.
    with transaction.atomic():
        batches = builder.programme()
        office, publishers, sme_rows = builder.organisations()
        logins, authors = builder.users(office, publishers, sme_rows)
        created = builder.lists_and_resources(batches, publishers, authors)
        need_count = builder.needs(sme_rows, authors)
        builder.pending_signups()
        pilots = programme_demo.build(
            builder.rng,
            builder.today,
            builder.officer,
            batches[0].programme,
            publishers,
            sme_rows,
            authors,
        )
        governance = load_governance(
            builder.rng,
            builder.today,
            publishers,
            sme_rows,
            authors,
            builder.password_hash,
            DEMO_DOMAIN,
        )
        counts = {
            "publishers": len(publishers),
            "smes": len(sme_rows),
            "resources": created,
            "needs": need_count,
            "lists": OpennessList.objects.count(),
            **pilots,
            **governance,
        }
        record(actor=builder.officer, action="demo.loaded", obj=batches[0].programme, after=counts)
        access_users = access_demo.sme_users(
            sme_rows, authors[sme_rows[0].pk], builder.password_hash, DEMO_DOMAIN
        )
    # The access services open durable transactions of their own, so the requests and
    # agreements come after the catalog is committed (see demo/access.py).
    operator = builder.login_users.get("platform operator")
    provider = builder.login_users.get("service provider")
    if operator is not None and provider is not None:
        counts |= access_demo.load_access(builder.rng, access_users, operator, provider)
        counts |= load_cultivation(builder.rng, access_users[0], provider, access_users)
    return logins, counts
