"""The one mapping from an understood need to the catalog search the assistant runs.

    search_terms(need: UnderstoodNeed) -> SearchTerms

`SearchTerms` holds what the hub's search takes, and is used like this (matching services)::

    terms = search_terms(need)
    outcome = search_resources(
        terms.words,
        catalog_filters=terms.catalog_filters(),   # {"resource_types": [...], "region": ...}
        engine_filters=terms.engine_filters(),     # matching.engine SearchFilters
        seeker=seeker,
        limit=limit,
    )
    shown = [item for item in outcome.items if terms.affordable(price, unit)]  # optional
    # with terms.prefer_lower_price, order the affordable items cheapest first (stable)

- `words`: the statement plus the catalog's words for each resource type read from it;
- `resource_types`: a hard filter (any of them), empty for "any type";
- `region`: a hard filter on the most specific region named; the hub's region rule keeps
  resources that serve a containing area or the whole country (`regions_overlap`);
- industry is *not* a filter: resources name the industries they were written for, and an
  SME's industry words are already in `words`, so they rank rather than exclude;
- the budget is *not* an engine filter either: the engine's price ceiling drops resources
  without a price, i.e. free ones, which are exactly what a small budget wants. Instead
  `affordable(unit_price, unit)` says whether a result fits: free ones always do; with a
  quantity in the result's unit the total (price x quantity) must fit the budget, otherwise
  the unit price must (a unit cannot cost more than the whole budget); an explicit unit
  price ceiling ("每卡时不超过10元") is checked as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from synergy_hub.matching.engine.candidates import SearchFilters

from .need import UnderstoodNeed

__all__ = ["SearchTerms", "search_terms"]


@dataclass(frozen=True)
class SearchTerms:
    """A catalog search request: words, hard filters, and the budget to judge results by."""

    words: str
    resource_types: tuple[str, ...] = ()
    region: str | None = None
    industry: str | None = None
    budget_max_yuan: Decimal | None = None
    unit_price_max_yuan: Decimal | None = None
    quantities: tuple[tuple[Decimal, str], ...] = ()
    prefer_lower_price: bool = False

    def catalog_filters(self) -> dict[str, Any]:
        """The hard filters in the form `matching.services.search_resources` takes them."""
        return {"resource_types": list(self.resource_types), "region": self.region}

    def engine_filters(self) -> SearchFilters:
        """The same hard filters as the engine checks them on each candidate."""
        return SearchFilters(
            resource_types=frozenset(self.resource_types),
            regions=frozenset({self.region}) if self.region else frozenset(),
        )

    def affordable(self, unit_price: Decimal | None, unit: str = "") -> bool:
        """Tell whether a result with this price per unit fits the need's money limits."""
        if unit_price is None:
            return True
        if self.unit_price_max_yuan is not None and unit_price > self.unit_price_max_yuan:
            return False
        if self.budget_max_yuan is None:
            return True
        wanted = [amount for amount, wanted_unit in self.quantities if wanted_unit == unit]
        total = unit_price * wanted[0] if wanted else unit_price
        return total <= self.budget_max_yuan


def search_terms(need: UnderstoodNeed) -> SearchTerms:
    """Map an understood need to the one catalog search request the assistant runs."""
    return SearchTerms(
        words=need.query.strip(),
        resource_types=need.resource_types,
        region=need.region_codes[0] if need.region_codes else None,
        industry=need.industry_codes[0] if need.industry_codes else None,
        budget_max_yuan=need.budget_max_yuan,
        unit_price_max_yuan=need.unit_price_max_yuan,
        quantities=tuple((q.amount, q.unit) for q in need.quantities),
        prefer_lower_price=need.price_preference == "lower",
    )
