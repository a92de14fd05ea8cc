"""The one resource query: words, filters and paging, with every limit in one place.

The catalog page's form, the API's query parameters (`/api/v1/resources` and
`/api/v1/search`), the catalog selector and the matching engine's filters all take a
`ResourceQuery` made by `parse_resource_query`, so a filter means the same everywhere and
no entry point can ask for more than the limits below. docs/api.md lists them.

Words make a *ranked* search: every result is scored and explained, which costs work
for each result up to the page asked for, so a ranked search reaches at most
`MAX_RANKED_RESULTS` results. Without words the catalog is *browsed* newest first,
a plain database listing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

from django.utils.translation import gettext as _

from synergy_hub.catalog.vocabulary import AccessMode, ResourceType
from synergy_hub.eligibility import industries as industry_codes
from synergy_hub.eligibility import regions as region_codes
from synergy_hub.validation import FieldErrors

#: Characters of words a query may carry.
MAX_WORDS_LENGTH: Final = 500
#: Results a ranked search scores and explains at most (offset + limit).
MAX_RANKED_RESULTS: Final = 1000
#: Results per page of a ranked search.
MAX_RANKED_PAGE: Final = 100
#: Results per page of a plain listing, and how deep its offset may go.
MAX_BROWSE_PAGE: Final = 1000
MAX_BROWSE_OFFSET: Final = 1_000_000
#: The plan's openness lists come in three batches.
MAX_BATCH: Final = 3
#: Results per page on the catalog page, and the deepest page a ranked search there shows.
WEB_PAGE_SIZE: Final = 20
MAX_RANKED_WEB_PAGE: Final = MAX_RANKED_RESULTS // WEB_PAGE_SIZE

#: The price bands of the list price per unit (`catalog.facets.PRICE_BANDS` says which prices).
PRICE_BAND_KEYS: Final = ("free", "under_100", "100_to_1000", "1000_or_more")
#: The query parameters (and form fields) that narrow the catalog.
FILTER_FIELDS: Final = (
    "type",
    "batch",
    "region",
    "industry",
    "access_mode",
    "publisher",
    "price_band",
)


@dataclass(frozen=True, slots=True)
class ResourceQuery:
    """A checked query: the words (empty: browse), the hard filters and the page wanted."""

    words: str = ""
    resource_type: str | None = None
    batch: int | None = None
    region: str | None = None
    industry: str | None = None
    access_mode: str | None = None
    publisher: int | None = None
    price_band: str | None = None
    limit: int = WEB_PAGE_SIZE
    offset: int = 0

    @property
    def ranked(self) -> bool:
        """Tell whether the words ask for a ranked search rather than a listing."""
        return bool(self.words)

    def filters(self) -> dict[str, Any]:
        """The hard filters as `catalog.selectors.filter_resources` takes them."""
        return {
            "resource_type": self.resource_type,
            "batch": self.batch,
            "region": self.region,
            "industry": self.industry,
            "access_mode": self.access_mode,
            "publisher": self.publisher,
            "price_band": self.price_band,
        }


def _choice(errors: FieldErrors, field: str, value: Any, allowed: list[str]) -> str | None:
    text = str(value).strip() if value not in (None, "") else ""
    if not text:
        return None
    if text not in allowed:
        errors.add(
            field,
            _("Choose one of: %(allowed)s.") % {"allowed": ", ".join(allowed)},
            "invalid_choice",
        )
        return None
    return text


def _code(errors: FieldErrors, field: str, value: Any) -> str | None:
    text = str(value).strip() if value not in (None, "") else ""
    if not text:
        return None
    if field == "region":
        if region_codes.is_valid_region(text):
            return text
        errors.add(field, _("Unknown region code."), "invalid_choice")
        return None
    text = text.upper()
    if industry_codes.is_valid_industry(text):
        return text
    errors.add(field, _("Unknown industry code."), "invalid_choice")
    return None


def _paging(
    errors: FieldErrors, params: Mapping[str, Any], *, ranked: bool, default_limit: int
) -> tuple[int, int]:
    """Check `limit` and `offset` against the limits of a ranked search or a listing."""
    largest = MAX_RANKED_PAGE if ranked else MAX_BROWSE_PAGE
    default = min(default_limit, largest)
    limit = errors.integer("limit", params.get("limit"), minimum=1, maximum=largest)
    offset = errors.integer(
        "offset", params.get("offset"), minimum=0, maximum=None if ranked else MAX_BROWSE_OFFSET
    )
    limit = default if limit is None else limit
    offset = 0 if offset is None else offset
    checked = not (errors.has("limit") or errors.has("offset"))
    if ranked and checked and offset + limit > MAX_RANKED_RESULTS:
        errors.add(
            "offset",
            _(
                "A search ranks and explains at most the first %(max)d results (offset "
                "plus limit); narrow it with more words or filters to reach the others."
            )
            % {"max": MAX_RANKED_RESULTS},
            "max_depth",
        )
    return limit, offset


def parse_resource_query(
    params: Mapping[str, Any], *, default_limit: int = WEB_PAGE_SIZE
) -> ResourceQuery:
    """Check query parameters (`q`, the filters, `limit`, `offset`) into a `ResourceQuery`.

    Raises a ValidationError naming each bad field and its rule; empty values mean "any".
    Without `limit` a page holds `default_limit` results (at most the page limit).
    """
    errors = FieldErrors()
    words = errors.text("q", params.get("q"), max_length=MAX_WORDS_LENGTH)
    query = ResourceQuery(
        words=words,
        resource_type=_choice(errors, "type", params.get("type"), list(ResourceType.values)),
        batch=errors.integer("batch", params.get("batch"), minimum=1, maximum=MAX_BATCH),
        region=_code(errors, "region", params.get("region")),
        industry=_code(errors, "industry", params.get("industry")),
        access_mode=_choice(
            errors, "access_mode", params.get("access_mode"), list(AccessMode.values)
        ),
        publisher=errors.integer("publisher", params.get("publisher"), minimum=1),
        price_band=_choice(errors, "price_band", params.get("price_band"), list(PRICE_BAND_KEYS)),
    )
    limit, offset = _paging(errors, params, ranked=query.ranked, default_limit=default_limit)
    errors.raise_if_any()
    return replace(query, limit=limit, offset=offset)


def web_page_offset(page: Any, *, ranked: bool) -> tuple[int, bool]:
    """The offset of a catalog page number, and whether the number had to be brought in range.

    Page numbers that are not whole numbers read as 1; a ranked search shows at most
    `MAX_RANKED_WEB_PAGE` pages, so deeper numbers show that last page.
    """
    try:
        number = int(str(page))
    except ValueError:
        return 0, False
    deepest = MAX_RANKED_WEB_PAGE if ranked else MAX_BROWSE_OFFSET // WEB_PAGE_SIZE
    clamped = max(1, min(number, deepest))
    return (clamped - 1) * WEB_PAGE_SIZE, clamped != number and number > deepest
