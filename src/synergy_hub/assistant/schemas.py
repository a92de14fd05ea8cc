"""API shapes of the assistant: a message in; the need, results, tool calls and drafts out."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from synergy_hub.api.bounds import ObjectId

MAX_TEXT = 2000


class QuantityIn(Schema):
    amount: Decimal = Field(..., gt=0, le=10**12, max_digits=16, decimal_places=4)
    unit: str = Field(..., max_length=20)


class NeedIn(Schema):
    """The "what I understood" card as the user corrected it; it replaces the reading."""

    resource_types: list[str] = Field(default_factory=list, max_length=11)
    region_codes: list[str] = Field(default_factory=list, max_length=5)
    industry_codes: list[str] = Field(default_factory=list, max_length=5)
    budget_max_yuan: Decimal | None = Field(None, ge=0, le=10**12, max_digits=16, decimal_places=2)
    wanted_from: date | None = None
    wanted_until: date | None = None
    deadline: date | None = None
    quantities: list[QuantityIn] = Field(default_factory=list, max_length=10)
    certifications: list[str] = Field(default_factory=list, max_length=10)
    query: str = Field("", max_length=500)


class TurnIn(Schema):
    """A message to the assistant: a new conversation, or a follow-up in one of yours."""

    text: str = Field(..., max_length=MAX_TEXT)
    conversation: ObjectId | None = None
    need: NeedIn | None = None


class ToolCallOut(Schema):
    tool: str
    input: dict[str, Any]
    output: str


class ResultOut(Schema):
    """A result explained: why it fits, price and SME discount, capacity, eligibility, terms."""

    resource: int
    lineage: str
    position: int
    title: str
    resource_type: str
    type_label: str
    publisher: str
    url: str
    why: list[str]
    price: str | None
    sme_price: str | None
    sme_discount_percent: int
    unit: str
    price_text: str
    estimate: str | None
    within_budget: bool | None
    budget_note: str
    fees: list[str]
    capacity_text: str
    capacity_fits: bool | None
    eligibility: str
    eligibility_reasons: list[str]
    usage_terms: str


class DraftOut(Schema):
    """What would be sent; `state` is "pending" until its owner confirms it."""

    id: int
    kind: str
    resource: int | None = Field(None, alias="resource_id")
    payload: dict[str, Any]
    state: str
    access_request: int | None = Field(None, alias="access_request_id")
    need: int | None = Field(None, alias="need_id")


class TurnOut(Schema):
    id: int
    conversation: int = Field(..., alias="conversation_id")
    position: int
    speaker: str
    text: str
    need: dict[str, Any]
    read_by: str
    notes: list[str]
    tool_calls: list[ToolCallOut]
    results: list[ResultOut]
    drafts: list[DraftOut]
    created_at: datetime

    @staticmethod
    def resolve_drafts(obj: Any) -> list[Any]:
        return list(obj.drafts.all()) if obj.speaker == "assistant" else []


class ConversationOut(Schema):
    id: int
    title: str
    created_at: datetime
    updated_at: datetime


class ConversationDetailOut(ConversationOut):
    turns: list[TurnOut]

    @staticmethod
    def resolve_turns(obj: Any) -> list[Any]:
        return list(obj.turns.prefetch_related("drafts").order_by("position"))


class ConfirmIn(Schema):
    """Changes to the draft before it is sent (all optional: the draft as it stands)."""

    quantity: Decimal | None = Field(None, gt=0, le=10**9, max_digits=14, decimal_places=2)
    starts_on: date | None = None
    ends_on: date | None = None
    purpose: str | None = Field(None, max_length=1000)
    purpose_code: str | None = Field(None, max_length=20)
    intended_use: str | None = Field(None, max_length=1000)
    note: str | None = Field(None, max_length=1000)
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=4000)

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.dict().items() if v is not None}
