"""API shapes for organisations, users, tokens and reference codes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from synergy_hub.accounts.models import TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS, Organisation
from synergy_hub.api.bounds import Integer


class CodeName(Schema):
    """A reference code with its names in both languages."""

    code: str
    name_zh: str
    name_en: str


class RegionOut(CodeName):
    level: str
    parent: str | None = Field(None, alias="parent_id")


class IndustryOut(CodeName):
    level: str
    section: str | None = Field(None, alias="section_id")


class OrganisationRef(Schema):
    """The short form of an organisation shown beside the things it publishes."""

    id: int
    kind: str
    name_zh: str
    name_en: str
    size_class: str


class OrganisationTexts(Schema):
    """An organisation's texts in one language other than Chinese and English."""

    name: str = ""
    description: str = ""


class OrganisationOut(OrganisationRef):
    """The public profile of an organisation."""

    uscc: str
    region: CodeName
    industry: CodeName
    tier: str
    website: str
    contact_email: str
    description_zh: str
    description_en: str
    translations: dict[str, OrganisationTexts] = Field(
        description="name and description in languages other than Chinese and English, "
        "by BCP 47 tag"
    )
    status: str
    employees: int | None
    revenue: Decimal | None
    total_assets: Decimal | None

    @staticmethod
    def resolve_employees(obj: Organisation) -> int | None:
        return obj.employees


class OrganisationIn(Schema):
    """Profile fields of an organisation (sign-up and edit)."""

    kind: str | None = None
    name_zh: str | None = None
    name_en: str | None = None
    uscc: str | None = None
    region: str | None = Field(None, description="GB/T 2260 administrative division code")
    industry: str | None = Field(None, description="GB/T 4754-2017 section letter or division")
    employees: Integer | None = None
    revenue: Decimal | None = Field(None, description="operating revenue in 10,000 CNY")
    total_assets: Decimal | None = Field(None, description="total assets in 10,000 CNY")
    tier: str | None = None
    website: str | None = None
    contact_email: str | None = None
    description_zh: str | None = None
    description_en: str | None = None
    translations: dict[str, OrganisationTexts] | None = Field(
        None,
        description="name and description in languages other than Chinese and English, by "
        "BCP 47 tag (e.g. de, fr-CH, zh-Hant); replaces all of them",
    )


class SignUpIn(OrganisationIn):
    """Sign-up: the organisation and, when not logged in, its first user."""

    email: str | None = None
    full_name: str | None = None
    password: str | None = None


class SignUpAcceptedOut(Schema):
    """An anonymous sign-up was received; the outcome is sent to the e-mail address."""

    detail: str


class DecisionIn(Schema):
    reason: str = ""


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    organisation: OrganisationRef | None
    role: str | None
    is_officer: bool


class TokenIn(Schema):
    name: str = Field(max_length=80)
    scope: Literal["read", "write"] = Field(
        "write", description="`read`: safe methods only (GET); `write`: every method"
    )
    expires_in_days: int = Field(
        TOKEN_DEFAULT_DAYS,
        ge=1,
        le=TOKEN_MAX_DAYS,
        description=f"lifetime in days, 1 to {TOKEN_MAX_DAYS} (default {TOKEN_DEFAULT_DAYS})",
    )


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scope: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    secret: str = Field(description="shown only once; send as `Authorization: Bearer <secret>`")


class EligibilityChangeIn(Schema):
    """A change of size class, tier or region asked for (multipart form, with `evidence`).

    Left-out fields keep the organisation's current values.
    """

    region: str | None = Field(
        None, max_length=6, description="GB/T 2260 administrative division code"
    )
    industry: str | None = Field(
        None, max_length=4, description="GB/T 4754-2017 section letter or division"
    )
    employees: Integer | None = None
    revenue: Decimal | None = Field(
        None, max_digits=16, decimal_places=2, description="operating revenue in 10,000 CNY"
    )
    total_assets: Decimal | None = Field(
        None, max_digits=16, decimal_places=2, description="total assets in 10,000 CNY"
    )
    tier: str | None = Field(None, max_length=16, description="gradient cultivation tier")
    explanation: str = Field("", max_length=2000)


class EligibilityChangeOut(Schema):
    """A change request and its decision; the evidence only by name and type."""

    id: int
    organisation: OrganisationRef
    status: str
    created_at: datetime
    size_class_before: str
    size_class: str
    tier_before: str
    tier: str
    region_before: str
    region: str | None = Field(None, alias="region_id")
    industry: str = Field(alias="industry_id")
    employees: int | None
    revenue: Decimal | None
    total_assets: Decimal | None
    explanation: str
    basis: dict[str, object]
    evidence_name: str
    evidence_type: str
    decided_at: datetime | None
    reason: str


class ReasonIn(Schema):
    """An officer's written reasons (required to reject)."""

    reason: str = Field("", max_length=4000)
