"""API shapes for batches, openness lists, resources and needs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from synergy_hub.accounts.schemas import CodeName, OrganisationRef
from synergy_hub.api.bounds import Integer, ObjectId
from synergy_hub.catalog.models import Batch, OpennessList, Resource
from synergy_hub.catalog.query import (
    MAX_BATCH,
    MAX_BROWSE_OFFSET,
    MAX_BROWSE_PAGE,
    MAX_WORDS_LENGTH,
    ResourceQuery,
    parse_resource_query,
)
from synergy_hub.catalog.vocabulary import AccessMode, ResourceType


class BatchOut(Schema):
    id: int
    number: int
    name_zh: str
    name_en: str
    opens_on: date
    closes_on: date
    is_open: bool

    @staticmethod
    def resolve_is_open(obj: Batch) -> bool:
        return obj.is_open()


class LanguageTexts(Schema):
    """A resource's texts in one language other than Chinese and English."""

    title: str = ""
    description: str = ""
    keywords: list[str] = Field(default_factory=list)
    usage_terms: str = ""


class ListTexts(Schema):
    """An openness list's texts in one language other than Chinese and English."""

    title: str = ""
    summary: str = ""


class ResourceOut(Schema):
    """A resource as published: what, to whom, how, price, capacity, terms and contact."""

    id: int
    lineage: UUID
    list_id: int = Field(alias="openness_list_id")
    list_version: int
    batch: int
    publisher: OrganisationRef
    resource_type: ResourceType
    pillar: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    keywords: list[str]
    translations: dict[str, LanguageTexts] = Field(
        description="texts in languages other than Chinese and English, by BCP 47 tag"
    )
    industries: list[CodeName]
    regions: list[CodeName]
    eligible_size_classes: list[str]
    eligible_tiers: list[str]
    access_mode: AccessMode
    price: Decimal | None
    sme_discount_percent: int
    sme_price: Decimal | None
    unit: str
    capacity: Decimal | None
    capacity_period: str
    usage_terms_zh: str
    usage_terms_en: str
    usage_policy: dict[str, Any] | None
    contact_name: str
    contact_email: str
    contact_phone: str
    url: str

    @staticmethod
    def resolve_list_version(obj: Resource) -> int:
        return obj.openness_list.version

    @staticmethod
    def resolve_batch(obj: Resource) -> int:
        return obj.openness_list.batch.number

    @staticmethod
    def resolve_publisher(obj: Resource) -> Any:
        return obj.openness_list.publisher

    @staticmethod
    def resolve_industries(obj: Resource) -> Any:
        return list(obj.industries.all())

    @staticmethod
    def resolve_regions(obj: Resource) -> Any:
        return list(obj.regions.all())

    @staticmethod
    def resolve_url(obj: Resource) -> str:
        from django.urls import reverse

        return reverse("catalog:resource", args=[obj.pk])


class ListOut(Schema):
    """An openness list version without its resources."""

    id: int
    series: UUID
    version: int
    state: str
    batch: int
    publisher: OrganisationRef
    title_zh: str
    title_en: str
    summary_zh: str
    summary_en: str
    translations: dict[str, ListTexts] = Field(
        description="title and summary in languages other than Chinese and English, by BCP 47 tag"
    )
    return_reasons: str
    resource_count: int
    previous_version_id: int | None = Field(None, alias="previous_id")
    submitted_at: datetime | None
    published_at: datetime | None
    superseded_at: datetime | None
    updated_at: datetime

    @staticmethod
    def resolve_batch(obj: OpennessList) -> int:
        return obj.batch.number

    @staticmethod
    def resolve_resource_count(obj: OpennessList) -> int:
        count = getattr(obj, "resource_count", None)
        return count if count is not None else obj.resources.count()


class ListDetailOut(ListOut):
    """An openness list version with its resources."""

    resources: list[ResourceOut]

    @staticmethod
    def resolve_resources(obj: OpennessList) -> Any:
        return list(obj.resources.all())


class ListIn(Schema):
    batch: Integer | None = Field(
        None, description="batch number (1–3); defaults to the open batch"
    )
    title_zh: str | None = None
    title_en: str | None = None
    summary_zh: str | None = None
    summary_en: str | None = None
    translations: dict[str, ListTexts] | None = Field(
        None,
        description="title and summary in languages other than Chinese and English, by BCP 47 "
        "tag (e.g. de, fr-CH, zh-Hant); replaces all of them",
    )


class ReturnIn(Schema):
    reasons: str


class ResourceIn(Schema):
    """Fields of a resource; on PATCH only the fields given change."""

    resource_type: str | None = None
    pillar: str | None = None
    title_zh: str | None = None
    title_en: str | None = None
    description_zh: str | None = None
    description_en: str | None = None
    keywords: list[str] | None = None
    translations: dict[str, LanguageTexts] | None = Field(
        None,
        description="texts in languages other than Chinese and English, by BCP 47 tag "
        "(e.g. de, fr-CH, zh-Hant); replaces all of them",
    )
    industries: list[str] | None = Field(None, description="GB/T 4754-2017 codes")
    regions: list[str] | None = Field(None, description="GB/T 2260 codes; empty = nationwide")
    eligible_size_classes: list[str] | None = None
    eligible_tiers: list[str] | None = None
    access_mode: str | None = None
    price: Decimal | None = None
    sme_discount_percent: Integer | None = None
    unit: str | None = None
    capacity: Decimal | None = None
    capacity_period: str | None = None
    usage_terms_zh: str | None = None
    usage_terms_en: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None


class NeedOut(Schema):
    id: int
    organisation_id: int
    title: str
    description: str
    resource_types: list[str]
    region: str | None = Field(None, alias="region_id")
    budget: Decimal | None
    wanted_from: date | None
    wanted_until: date | None
    status: str
    created_at: datetime
    updated_at: datetime


class NeedIn(Schema):
    title: str | None = None
    description: str | None = None
    resource_types: list[str] | None = None
    region: str | None = None
    budget: Decimal | None = None
    wanted_from: date | None = None
    wanted_until: date | None = None
    status: str | None = None


class ResourceFilters(Schema):
    """The catalog's words and hard filters; `catalog.query` checks them with the paging."""

    type: ResourceType | None = None
    batch: int | None = Field(None, ge=1, le=MAX_BATCH)
    region: str | None = Field(None, description="GB/T 2260 code", max_length=6)
    industry: str | None = Field(None, description="GB/T 4754-2017 code", max_length=4)
    access_mode: AccessMode | None = None
    publisher: ObjectId | None = None
    q: str | None = Field(None, max_length=MAX_WORDS_LENGTH, description="words to rank by")

    def query(self, *, limit: int | None, offset: int | None, default_limit: int) -> ResourceQuery:
        """The checked query with its page (see docs/api.md for the limits)."""
        params = {**self.dict(), "limit": limit, "offset": offset}
        return parse_resource_query(params, default_limit=default_limit)


class PageIn(Schema):
    limit: int = Field(100, ge=1, le=MAX_BROWSE_PAGE)
    offset: int = Field(0, ge=0, le=MAX_BROWSE_OFFSET)


class PagedResourceOut(Schema):
    items: list[ResourceOut]
    count: int
