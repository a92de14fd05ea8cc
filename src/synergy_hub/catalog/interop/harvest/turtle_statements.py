"""Turtle read statement by statement, so that one broken statement costs only itself.

Real catalogs are hand-edited: the DCAT-AP examples published with ckanext-dcat hold an
undeclared prefix and a doubled `<` in a datatype. A Turtle parser stops at the first
error and the whole file, with every dataset in it, is lost. Turtle's grammar ends each
top-level statement with a `.` outside any IRI, string, comment or bracket, so the text can
be cut into statements without parsing them; each statement is then tried on its own
(with every directive of the document), the ones that parse are read together (blank
node labels keep their meaning across them), and each one that does not is reported by
its line and the parser's reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Statement", "split_statements"]

_DIRECTIVE = re.compile(r"^(@prefix|@base|prefix\b|base\b)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Statement:
    """One top-level Turtle statement: its text, the line it starts on, and its kind."""

    text: str
    line: int

    @property
    def is_directive(self) -> bool:
        """Whether it declares a prefix or the base (kept in front of every statement)."""
        return _DIRECTIVE.match(self.text) is not None


def _string_end(text: str, start: int) -> int:
    """The index just past the string literal opening at `start` (its quote character)."""
    quote = text[start]
    if text.startswith(quote * 3, start):
        end = start + 3
        while end < len(text):
            if text[end] == "\\":
                end += 2
            elif text.startswith(quote * 3, end):
                return end + 3
            else:
                end += 1
        return len(text)
    end = start + 1
    while end < len(text) and text[end] not in (quote, "\n"):
        end += 2 if text[end] == "\\" else 1
    return end + 1


def _ends_statement(text: str, index: int) -> bool:
    """Whether the `.` at `index` ends a statement (not a decimal point or a name's dot)."""
    following = text[index + 1 : index + 2]
    return following == "" or following.isspace() or following == "#"


def split_statements(text: str) -> list[Statement]:
    """Cut a Turtle document into its top-level statements (directives included).

    SPARQL-style `PREFIX`/`BASE` directives have no final dot: they end at the line's end.
    """
    statements: list[Statement] = []
    depth = 0
    start = 0
    index = 0
    length = len(text)

    def close(end: int) -> None:
        nonlocal start
        chunk = text[start:end]
        offset = start
        while True:  # leading comments belong to no statement
            body = chunk.lstrip()
            offset += len(chunk) - len(body)
            if not body.startswith("#"):
                break
            newline = body.find("\n")
            chunk = "" if newline < 0 else body[newline:]
            offset += len(body) - len(chunk)
        stripped = chunk.strip()
        if stripped:
            statements.append(Statement(stripped, text.count("\n", 0, offset) + 1))
        start = end

    while index < length:
        char = text[index]
        if char == "#":
            newline = text.find("\n", index)
            index = length if newline < 0 else newline
            continue
        if char in "\"'":
            index = _string_end(text, index)
            continue
        if char == "<":
            end = text.find(">", index + 1)
            stopped = text.find("\n", index + 1)
            if end < 0 or (0 <= stopped < end):  # not an IRI: a broken line, read on
                index += 1
                continue
            index = end + 1
            continue
        if char in "[(":
            depth += 1
        elif char in "])":
            depth = max(0, depth - 1)
        elif char == "." and depth == 0 and _ends_statement(text, index):
            close(index + 1)
        elif char == "\n" and depth == 0:
            pending = text[start:index].strip()
            if pending and re.match(r"^(prefix|base)\b", pending, re.IGNORECASE):
                close(index)
        index += 1
    close(length)
    return statements
