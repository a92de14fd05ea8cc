"""API shapes of search results with their explanations and of the ranking disclosure."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

from synergy_hub.catalog.schemas import ResourceOut


class ParameterOut(Schema):
    """One disclosed parameter's part in a result's score."""

    name: str
    label: str
    value: float
    weight: float
    contribution: float


class FairExposureOut(Schema):
    protected_group: bool = Field(description="the provider is an SME or a small/micro provider")
    position_before: int = Field(
        description="position by score alone (close matches before weaker ones), before fair "
        "re-ranking"
    )
    position: int


class RetrievalOut(Schema):
    relevance: float
    lexical_rank: int | None
    dense_rank: int | None
    match_quality: Literal["close", "weaker"] = Field(
        description="the result against the relevance floor, as in the item's match_quality"
    )
    cosine: float | None = Field(
        description="the sentence encoder's cosine similarity of query and resource "
        "(null when the index has no encoder)"
    )
    coverage: float | None = Field(
        description="the share of the query's words the resource contains, each weighted by "
        "its rarity in the catalog (0 to 1)"
    )
    evidence: float | None = Field(
        description="cosine + coverage_weight * coverage: what the floor compares"
    )
    floor: float | None = Field(
        description="the evidence a close match needs for this query (null: no floor, every "
        "result is close)"
    )


class ExplanationOut(Schema):
    """Why a result ranks where it does."""

    config_version: str
    total: float
    parameters: list[ParameterOut]
    fair_exposure: FairExposureOut
    retrieval: RetrievalOut


class EligibilityOut(Schema):
    """Whether the caller's organisation is inside the group the resource is opened to."""

    status: str = Field(
        description='"eligible", or "unknown" when the facts known about the caller cannot '
        "settle every condition (anonymous search; a profile without a size class)"
    )
    unknown: list[str] = Field(description="the conditions that could not be settled")


class SearchItemOut(Schema):
    position: int
    match_quality: Literal["close", "weaker"] = Field(
        description='"close" when the result passes the relevance floor, "weaker" otherwise; '
        "close matches are ranked before weaker ones"
    )
    resource: ResourceOut
    explanation: ExplanationOut
    eligibility: EligibilityOut


class SearchOut(Schema):
    query: str
    match_quality: Literal["close", "none"] = Field(
        description='"close" when at least one result is a close match; "none" when there is '
        "no close match (the results, if any, are all weaker)"
    )
    count: int = Field(description="eligible results in the ranking")
    close_count: int = Field(description="close matches in the ranking: positions 1 to close_count")
    excluded: int = Field(description="matches left out by eligibility or filters")
    excluded_reasons: dict[str, int]
    config_version: str
    items: list[SearchItemOut]


class DisclosedParameterOut(Schema):
    name: str
    label: str
    weight: float
    meaning: str
    rationale: str


class RankingDisclosureOut(Schema):
    """The live configuration behind every ranking."""

    version: str
    activated_at: str | None
    parameters: list[DisclosedParameterOut]
    paid_influence: str
    fair_exposure: dict[str, object]


class RankingConfigIn(Schema):
    version: str
    weights: dict[str, float]
    fairness: dict[str, object] | None = None
    note: str = ""


class ExposureRowOut(Schema):
    key: str
    label: str
    exposure: float
    exposure_share: float
    relevance: float
    relevance_share: float
    ratio: float | None
    impressions: int
    appearances: int


class ExposureReportOut(Schema):
    rankings: int
    groups: list[ExposureRowOut]
    providers: list[ExposureRowOut]
