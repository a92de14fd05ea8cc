"""Parse the Solr-like subset that CKAN clients send to `package_search` (pure Python).

Supported: bare words and "quoted phrases" (free text), `field:value`, `field:"a phrase"`,
`field:(a OR b)`, `field:[from TO to]` on dates, `*:*`, a trailing `*` on text, `AND`,
`OR`, `NOT`, `&&`, `||`, `!`, `+`/`-` prefixes and parentheses. Juxtaposed clauses are
ANDed. Anything else is a `QuerySyntaxError`, which the API answers as CKAN's
"Search Query Error".
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DATE_FIELDS",
    "FACET_FIELDS",
    "QUERY_FIELDS",
    "SORT_FIELDS",
    "TEXT_FIELDS",
    "And",
    "MatchAll",
    "Node",
    "Not",
    "Or",
    "QuerySyntaxError",
    "Range",
    "Term",
    "parse_facet_fields",
    "parse_query",
    "parse_sort",
]

MAX_QUERY_LENGTH = 2000
MAX_CLAUSES = 64
MAX_DEPTH = 16

TEXT_FIELDS = frozenset({"text", "title", "notes"})
DATE_FIELDS = frozenset({"metadata_modified", "metadata_created"})
EXACT_FIELDS = frozenset(
    {
        "id",
        "name",
        "tags",
        "organization",
        "owner_org",
        "groups",
        "res_format",
        "license_id",
        "type",
        "dataset_type",
        "state",
        "private",
        "resource_type",
        "access_mode",
        "pillar",
        "unit",
        "batch",
        "region",
        "industry",
        "list_id",
    }
)
QUERY_FIELDS = TEXT_FIELDS | DATE_FIELDS | EXACT_FIELDS
SORT_FIELDS = frozenset({"score", "id", "name", "title_string", *DATE_FIELDS})
FACET_FIELDS = frozenset(
    {
        "organization",
        "groups",
        "tags",
        "res_format",
        "license_id",
        "resource_type",
        "access_mode",
        "batch",
    }
)


class QuerySyntaxError(ValueError):
    """The query is outside the supported subset; the message says where."""


@dataclass(frozen=True)
class Term:
    """A word or phrase, for one field or (field None) for free text."""

    field: str | None
    value: str
    phrase: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class Range:
    """`field:[low TO high]` (brackets include the bound, braces exclude it); None = open."""

    field: str
    low: str | None
    high: str | None
    include_low: bool = True
    include_high: bool = True


@dataclass(frozen=True)
class MatchAll:
    """`*:*`, or `field:*` on a field every package has."""


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class And:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    nodes: tuple[Node, ...]


Node = Term | Range | MatchAll | Not | And | Or

# --- tokens ------------------------------------------------------------------------------

_SPECIAL = '()"[]{}'


@dataclass(frozen=True)
class _Token:
    kind: str  # LPAREN RPAREN AND OR NOT PLUS MINUS FIELD PHRASE RANGE WORD ALL
    text: str = ""


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    out: list[str] = []
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if char == '"':
            return "".join(out), i + 1
        out.append(char)
        i += 1
    raise QuerySyntaxError("unbalanced quotes")


def _read_range(text: str, start: int) -> tuple[str, int]:
    for i in range(start + 1, len(text)):
        if text[i] in "]}":
            return text[start : i + 1], i + 1
    raise QuerySyntaxError("unclosed range: a range is written [from TO to]")


def _read_word(text: str, start: int) -> tuple[str, int | None, int]:
    """A word up to a space or special character; returns it, its first `:`, and the end."""
    out: list[str] = []
    colon: int | None = None
    i = start
    while i < len(text) and not text[i].isspace() and text[i] not in _SPECIAL:
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if char == ":" and colon is None:
            colon = len(out)
        out.append(char)
        i += 1
    return "".join(out), colon, i


_OPERATORS = {"AND": "AND", "OR": "OR", "NOT": "NOT", "&&": "AND", "||": "OR"}


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char == "(":
            tokens.append(_Token("LPAREN"))
            i += 1
        elif char == ")":
            tokens.append(_Token("RPAREN"))
            i += 1
        elif char == '"':
            phrase, i = _read_quoted(text, i)
            tokens.append(_Token("PHRASE", phrase))
        elif char in "[{":
            raw, i = _read_range(text, i)
            tokens.append(_Token("RANGE", raw))
        elif char in "]}":
            raise QuerySyntaxError(f"unexpected {char!r}")
        elif char in "+-!" and i + 1 < len(text) and not text[i + 1].isspace():
            tokens.append(_Token({"+": "PLUS", "-": "MINUS", "!": "NOT"}[char]))
            i += 1
        else:
            word, colon, i = _read_word(text, i)
            if word in _OPERATORS:
                tokens.append(_Token(_OPERATORS[word]))
            elif word == "*:*":
                tokens.append(_Token("ALL"))
            elif colon is not None:
                tokens.append(_Token("FIELD", word[:colon]))
                if word[colon + 1 :]:
                    tokens.append(_Token("WORD", word[colon + 1 :]))
            else:
                tokens.append(_Token("WORD", word))
    return tokens


# --- grammar -------------------------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0
        self.clauses = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos].kind if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        if self.pos >= len(self.tokens):
            raise QuerySyntaxError("the query ends where a value was expected")
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Node:
        node = self.or_(None)
        if self.pos < len(self.tokens):
            raise QuerySyntaxError(f"unexpected {self.tokens[self.pos].kind.lower()}")
        return node

    def or_(self, field: str | None) -> Node:
        nodes = [self.and_(field)]
        while self.peek() == "OR":
            self.take()
            nodes.append(self.and_(field))
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def and_(self, field: str | None) -> Node:
        nodes = [self.unary(field)]
        while self.peek() not in (None, "OR", "RPAREN"):
            if self.peek() == "AND":
                self.take()
            nodes.append(self.unary(field))
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def unary(self, field: str | None) -> Node:
        kind = self.peek()
        if kind in ("NOT", "MINUS"):
            self.take()
            return Not(self.unary(field))
        if kind == "PLUS":
            self.take()
            return self.unary(field)
        return self.atom(field)

    def atom(self, field: str | None) -> Node:
        token = self.take()
        if token.kind == "LPAREN":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QuerySyntaxError("the query nests too deeply")
            node = self.or_(field)
            if self.peek() != "RPAREN":
                raise QuerySyntaxError("unbalanced parentheses")
            self.take()
            self.depth -= 1
            return node
        if token.kind == "ALL":
            return MatchAll()
        if token.kind == "FIELD":
            if field is not None:
                raise QuerySyntaxError(f"field {token.text!r} inside a group for {field!r}")
            return self.atom(_field(token.text))
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            raise QuerySyntaxError(f"at most {MAX_CLAUSES} clauses are supported")
        if token.kind == "PHRASE":
            return Term(field, token.text, phrase=True)
        if token.kind == "RANGE":
            if field is None:
                raise QuerySyntaxError("a range needs a field, e.g. metadata_modified:[… TO …]")
            return _range(field, token.text)
        if token.kind == "WORD":
            return _word(field, token.text)
        raise QuerySyntaxError(f"unexpected {token.kind.lower()}")


def _field(name: str) -> str:
    if name not in QUERY_FIELDS:
        raise QuerySyntaxError(f"unknown field {name!r}")
    return name


def _word(field: str | None, text: str) -> Node:
    if text == "*":
        return MatchAll()
    prefix = text.endswith("*")
    value = text.rstrip("*")
    if "*" in value or "?" in value:
        raise QuerySyntaxError("wildcards are supported only at the end of a word")
    if prefix and field is not None and field not in TEXT_FIELDS:
        raise QuerySyntaxError(f"wildcards are supported only on text fields, not {field!r}")
    return Term(field, value, prefix=prefix)


def _range(field: str, raw: str) -> Range:
    if field not in DATE_FIELDS:
        raise QuerySyntaxError(f"ranges are supported only on {', '.join(sorted(DATE_FIELDS))}")
    inner = raw[1:-1].split()
    if len(inner) != 3 or inner[1] != "TO":
        raise QuerySyntaxError("a range is written [from TO to]")
    low, high = (None if v == "*" else v for v in (inner[0], inner[2]))
    return Range(field, low, high, raw[0] == "[", raw[-1] == "]")


def parse_query(text: str) -> Node | None:
    """Parse `q` or one `fq`; None for an empty query (everything)."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(f"the query is longer than {MAX_QUERY_LENGTH} characters")
    tokens = _tokens(text)
    if not tokens:
        return None
    return _Parser(tokens).parse()


def parse_sort(text: str) -> list[tuple[str, bool]]:
    """Parse `field asc|desc, …` into (field, descending) pairs."""
    order: list[tuple[str, bool]] = []
    for part in text.split(","):
        words = part.split()
        if not words:
            continue
        if len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
            raise QuerySyntaxError(f"cannot sort by {part.strip()!r}: use “field asc|desc”")
        if words[0] not in SORT_FIELDS:
            raise QuerySyntaxError(f"cannot sort by {words[0]!r}")
        order.append((words[0], len(words) == 2 and words[1].lower() == "desc"))
    return order


def parse_facet_fields(value: Any) -> list[str]:
    """Read `facet.field`: a JSON list (as CKAN expects), a list, or one field name."""
    if value is None or value == "":
        return []
    names: Iterable[Any]
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            decoded = value
        names = decoded if isinstance(decoded, list) else [decoded]
    elif isinstance(value, list):
        names = value
    else:
        raise QuerySyntaxError("facet.field must be a list of field names")
    fields = [str(name) for name in names]
    unknown = [name for name in fields if name not in FACET_FIELDS]
    if unknown:
        raise QuerySyntaxError(f"cannot facet on {', '.join(map(repr, unknown))}")
    return list(dict.fromkeys(fields))
