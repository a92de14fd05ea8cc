"""The one resource query: each parameter checked once, with the limits in one place."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from synergy_hub.catalog.query import (
    MAX_RANKED_RESULTS,
    MAX_RANKED_WEB_PAGE,
    WEB_PAGE_SIZE,
    ResourceQuery,
    parse_resource_query,
    web_page_offset,
)


def refused(params: dict[str, Any]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        parse_resource_query(params)
    return {
        field: [e.code or "" for e in errors] for field, errors in caught.value.error_dict.items()
    }


def test_empty_parameters_browse_everything() -> None:
    assert parse_resource_query({}) == ResourceQuery()
    blank = {"q": "  ", "type": "", "region": "", "batch": "", "limit": None}
    assert parse_resource_query(blank) == ResourceQuery()


def test_values_are_checked_and_normalised() -> None:
    query = parse_resource_query(
        {
            "q": " 算力 ",
            "type": "compute",
            "batch": "2",
            "region": "440300",
            "industry": "c",
            "access_mode": "paid",
            "publisher": "7",
            "limit": "50",
            "offset": "100",
        }
    )
    assert query == ResourceQuery(
        words="算力",
        resource_type="compute",
        batch=2,
        region="440300",
        industry="C",
        access_mode="paid",
        publisher=7,
        limit=50,
        offset=100,
    )
    assert query.ranked
    assert query.filters()["industry"] == "C"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "spaceship"}, {"type": ["invalid_choice"]}),
        ({"access_mode": "free"}, {"access_mode": ["invalid_choice"]}),
        ({"region": "123456"}, {"region": ["invalid_choice"]}),
        ({"industry": "Z9"}, {"industry": ["invalid_choice"]}),
        ({"batch": "4"}, {"batch": ["max_value"]}),
        ({"batch": "one"}, {"batch": ["invalid"]}),
        ({"publisher": "0"}, {"publisher": ["min_value"]}),
        ({"q": "x" * 501}, {"q": ["max_length"]}),
        ({"limit": "0"}, {"limit": ["min_value"]}),
        ({"limit": "1001"}, {"limit": ["max_value"]}),
        ({"offset": "-1"}, {"offset": ["min_value"]}),
        ({"offset": "1000001"}, {"offset": ["max_value"]}),
        ({"q": "GPU", "limit": "101"}, {"limit": ["max_value"]}),
        ({"q": "GPU", "offset": "999990", "limit": "50"}, {"offset": ["max_depth"]}),
        ({"q": "GPU", "offset": "951", "limit": "50"}, {"offset": ["max_depth"]}),
        ({"type": "x", "region": "1"}, {"type": ["invalid_choice"], "region": ["invalid_choice"]}),
    ],
)
def test_bad_parameters_are_refused_naming_field_and_rule(
    params: dict[str, Any], expected: dict[str, list[str]]
) -> None:
    assert refused(params) == expected


def test_a_ranked_search_reaches_exactly_its_limit() -> None:
    deepest = parse_resource_query({"q": "GPU", "offset": MAX_RANKED_RESULTS - 50, "limit": 50})
    assert deepest.offset + deepest.limit == MAX_RANKED_RESULTS


def test_default_page_size_is_the_callers() -> None:
    assert parse_resource_query({}, default_limit=100).limit == 100
    assert parse_resource_query({"q": "GPU"}, default_limit=500).limit == 100


@pytest.mark.parametrize(
    ("page", "ranked", "offset", "clamped"),
    [
        ("1", True, 0, False),
        ("3", True, 2 * WEB_PAGE_SIZE, False),
        ("abc", True, 0, False),
        ("0", True, 0, False),
        (str(MAX_RANKED_WEB_PAGE), True, (MAX_RANKED_WEB_PAGE - 1) * WEB_PAGE_SIZE, False),
        ("50000", True, (MAX_RANKED_WEB_PAGE - 1) * WEB_PAGE_SIZE, True),
        ("50000", False, 49999 * WEB_PAGE_SIZE, False),
    ],
)
def test_web_page_numbers(page: str, ranked: bool, offset: int, clamped: bool) -> None:
    assert web_page_offset(page, ranked=ranked) == (offset, clamped)
