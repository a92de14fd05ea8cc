"""The Solr-like query subset of package_search, parsed without the database."""

from __future__ import annotations

import pytest

from synergy_hub.catalog.interop.ckan.search import (
    And,
    MatchAll,
    Not,
    Or,
    QuerySyntaxError,
    Range,
    Term,
    parse_facet_fields,
    parse_query,
    parse_sort,
)


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("", None),
        ("*:*", MatchAll()),
        ("gpu", Term(None, "gpu")),
        ("gpu training", And((Term(None, "gpu"), Term(None, "training")))),
        ('"open data"', Term(None, "open data", phrase=True)),
        ("tags:GPU", Term("tags", "GPU")),
        ('tags:"open data"', Term("tags", "open data", phrase=True)),
        ("tags:a OR tags:b", Or((Term("tags", "a"), Term("tags", "b")))),
        ("tags:(a OR b)", Or((Term("tags", "a"), Term("tags", "b")))),
        ("-tags:a", Not(Term("tags", "a"))),
        ("+groups:open", Term("groups", "open")),
        ("NOT groups:open", Not(Term("groups", "open"))),
        ("a && !b", And((Term(None, "a"), Not(Term(None, "b"))))),
        ("a || b", Or((Term(None, "a"), Term(None, "b")))),
        ("title:comp*", Term("title", "comp", prefix=True)),
        ("organization:*", MatchAll()),
        (
            "metadata_modified:[2026-01-01T00:00:00Z TO NOW]",
            Range("metadata_modified", "2026-01-01T00:00:00Z", "NOW"),
        ),
        (
            "metadata_created:{* TO 2026-01-01}",
            Range("metadata_created", None, "2026-01-01", False, False),
        ),
        (r"tags:a\:b", Term("tags", "a:b")),
        ("算力 AND groups:innovation", And((Term(None, "算力"), Term("groups", "innovation")))),
        (
            "(a OR b) AND -c",
            And((Or((Term(None, "a"), Term(None, "b"))), Not(Term(None, "c")))),
        ),
    ],
)
def test_queries_parse(text: str, tree: object) -> None:
    assert parse_query(text) == tree


@pytest.mark.parametrize(
    "text",
    [
        "(a OR b",
        "a OR b)",
        '"unterminated',
        "tags:",
        "a OR",
        "AND",
        "unknown_field:x",
        "tags:a*",
        "title:a*b",
        "tags:[a TO b]",
        "metadata_modified:[2026 TO]",
        "[a TO b]",
        "tags:(groups:x)",
        "]",
        "(" * 20 + "a" + ")" * 20,
        " ".join(["a"] * 65),
        "x" * 2001,
    ],
)
def test_invalid_queries_are_refused(text: str) -> None:
    with pytest.raises(QuerySyntaxError):
        parse_query(text)


def test_sort() -> None:
    assert parse_sort("score desc, metadata_modified desc") == [
        ("score", True),
        ("metadata_modified", True),
    ]
    assert parse_sort("name asc") == [("name", False)]
    assert parse_sort("title_string") == [("title_string", False)]
    for bad in ("views_recent desc", "name sideways", "name asc desc"):
        with pytest.raises(QuerySyntaxError):
            parse_sort(bad)


def test_facet_fields() -> None:
    assert parse_facet_fields('["tags", "organization", "tags"]') == ["tags", "organization"]
    assert parse_facet_fields(["groups"]) == ["groups"]
    assert parse_facet_fields("license_id") == ["license_id"]
    assert parse_facet_fields(None) == []
    with pytest.raises(QuerySyntaxError):
        parse_facet_fields('["maintainer"]')
    with pytest.raises(QuerySyntaxError):
        parse_facet_fields({"tags": 1})
