"""Turtle cut into statements: one broken statement costs only itself."""

from __future__ import annotations

from synergy_hub.catalog.interop.harvest.sources import parse_graph
from synergy_hub.catalog.interop.harvest.turtle_statements import split_statements

DOCUMENT = """# a catalog
@prefix dct: <http://purl.org/dc/terms/> .
PREFIX dcat: <http://www.w3.org/ns/dcat#>

<http://example.org/a> a dcat:Dataset ;  # first
    dct:title "A. B. C." , '''multi
line . with dots'''@en ;
    dct:description "pi is 3.14" ;
    dct:publisher [ a <http://xmlns.com/foaf/0.1/Agent> ] .
<http://example.org/b> a dcat:Dataset ; dct:title "B"@de ; undeclared:x "y" .
<http://example.org/c> a dcat:Dataset ; dct:title "C" "D" ; dct:issued "2024" .
<http://example.org/d> a dcat:Dataset ; dct:title "D" ; dct:relation ( <http://e/1> <http://e/2> ).
"""


def test_statements_end_at_a_dot_outside_strings_iris_and_brackets() -> None:
    statements = split_statements(DOCUMENT)
    assert [s.line for s in statements] == [2, 3, 5, 10, 11, 12]
    assert [s.is_directive for s in statements] == [True, True, False, False, False, False]
    assert statements[2].text.endswith("Agent> ] .")
    assert "line . with dots" in statements[2].text


def test_a_broken_statement_is_left_out_and_reported_by_its_line() -> None:
    parsed = parse_graph(DOCUMENT.encode(), "turtle", "")
    subjects = {str(s) for s in parsed.graph.subjects()}
    assert {"http://example.org/a", "http://example.org/d"} <= subjects
    assert not {"http://example.org/b", "http://example.org/c"} & subjects
    assert [note.split(" could", 1)[0] for note in parsed.notes[:2]] == [
        "The statement at line 10",
        "The statement at line 11",
    ]


def test_a_document_with_no_readable_statement_is_still_unreadable() -> None:
    import pytest

    from synergy_hub.catalog.interop.harvest.fetch import SourceError

    with pytest.raises(SourceError, match="could not be parsed"):
        parse_graph(b"@prefix dct: <http://purl.org/dc/terms/> .\n<x> nope:y 1 .\n", "turtle", "")
