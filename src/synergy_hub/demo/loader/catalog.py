"""The demo catalog: the programme and its batches, the openness lists with their
resources, and the earlier versions of some lists.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from synergy_hub.accounts.models import Organisation, User
from synergy_hub.catalog.models import Batch, OpennessList, Programme, Resource
from synergy_hub.catalog.services import copy_resource
from synergy_hub.catalog.vocabulary import AccessMode, ListState
from synergy_hub.demo import content
from synergy_hub.demo.loader.common import DEMO_DOMAIN, RESOURCES_PER_LIST, DemoBuilderBase, aware
from synergy_hub.eligibility import regions as region_codes

USAGE_TERMS_EN = (
    "For the requesting company's own R&D and operations only; "
    "no resale or transfer to third parties."
)
RETURN_REASONS = (
    "请补充各项资源的容量与中小企业折扣说明。 / "
    "Please state capacity and the SME discount for each resource."
)


class CatalogStep(DemoBuilderBase):
    """Adds the programme, the lists and the resources to the demo."""

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

    # --- lists and resources ------------------------------------------------------------

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
        created = aware(batch.opens_on + timedelta(days=self.rng.randint(1, 20)))
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
