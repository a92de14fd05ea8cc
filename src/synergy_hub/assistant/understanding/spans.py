"""Finding dictionary phrases in a text, longest first, without reading a span twice.

Each rule family (resource types, industries, regions …) is a list of (pattern, value)
pairs. `find` runs every pattern, keeps the longest matches first and drops any shorter
match that overlaps one already kept, so "视觉质检" (a vision model) is not also read as
"质检" (testing), and "训练数据" (a dataset) not as "训练" (compute).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["Hit", "Rule", "compile_rules", "find", "negated"]

T = TypeVar("T")


@dataclass(frozen=True)
class Rule(Generic[T]):
    """A compiled pattern and the value a match of it stands for."""

    pattern: re.Pattern[str]
    value: T


@dataclass(frozen=True)
class Hit(Generic[T]):
    """One kept match: where it is, the words, the value and the match (for its groups)."""

    start: int
    end: int
    text: str
    value: T
    match: re.Match[str]


def compile_rules(pairs: Iterable[tuple[str, T]]) -> tuple[Rule[T], ...]:
    """Compile (regex, value) pairs, case-insensitive."""
    return tuple(Rule(re.compile(pattern, re.IGNORECASE), value) for pattern, value in pairs)


def find(
    text: str, rules: Sequence[Rule[T]], taken: list[tuple[int, int]] | None = None
) -> list[Hit[T]]:
    """Return the non-overlapping matches, longest first, then in text order.

    `taken` lists spans already read by another rule family; matches overlapping them are
    skipped, and the spans kept here are appended to it.
    """
    found: list[Hit[T]] = []
    for rule in rules:
        for match in rule.pattern.finditer(text):
            if match.end() > match.start():
                found.append(Hit(match.start(), match.end(), match.group(0), rule.value, match))
    found.sort(key=lambda hit: (-(hit.end - hit.start), hit.start))
    occupied = taken if taken is not None else []
    kept: list[Hit[T]] = []
    for hit in found:
        if any(hit.start < end and start < hit.end for start, end in occupied):
            continue
        occupied.append((hit.start, hit.end))
        kept.append(hit)
    kept.sort(key=lambda hit: hit.start)
    return kept


_NEGATION_BEFORE = re.compile(
    r"(?:不需要|不用|不要|无需|不需|没必要|不考虑|除了|已经有|已有|"
    r"\bno need for\b|\bdon'?t need\b|\bdo not need\b|\bnot\b|\bno\b|\bwithout\b|"
    r"\bexcept\b|\balready have\b)[^，,。.;；!?！？]{0,8}$",
    re.IGNORECASE,
)


def negated(text: str, start: int) -> bool:
    """Tell whether the words just before `start` deny the phrase ("不需要GPU", "no GPU")."""
    return bool(_NEGATION_BEFORE.search(text[max(0, start - 16) : start]))
