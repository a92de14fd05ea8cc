"""FA*IR fair top-k re-ranking (Zehlike et al., CIKM 2017), so SME supply is not buried.

A ranking is fair when every prefix of length i holds at least m(i) protected items, where
m(i) is the α-quantile of Binomial(i, p): fewer would reject, at significance α, the claim
that protected items were drawn with probability p. Testing all k prefixes inflates the error
rate, so α is lowered to α_c whose table fails a truly fair ranking with probability ≈ α.

Failure probability convention: the published reference implementation (fairsearchcore,
Python) builds its block table from positions 1..k-1 only, so a requirement that first
appears at position k does not count. `include_last=False` (the default) follows it so the
published test vectors hold; `include_last=True` counts all k positions as the paper states.
Re-ranking and `is_fair` always enforce every row of the table.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final, NamedTuple, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from .candidates import SIZE_CLASSES, ResourceFacts

FloatArray = npt.NDArray[np.float64]
T = TypeVar("T")

_MAX_BISECTIONS: Final = 200


def _check_probability(name: str, value: float, *, closed: bool) -> None:
    """Refuse a probability outside [0, 1] (or (0, 1) when the ends make no sense)."""
    ok = 0.0 <= value <= 1.0 if closed else 0.0 < value < 1.0
    if not ok:
        interval = "[0, 1]" if closed else "(0, 1)"
        raise ValueError(f"{name}: must be in {interval} (got {value!r})")


def _check_size(name: str, value: int) -> None:
    """Refuse a ranking length below one."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name}: must be a positive integer (got {value!r})")


def _pmf_rows(n_max: int, p: float) -> Iterator[FloatArray]:
    """Yield the Binomial(n, p) probability vectors for n = 1..n_max by adding one trial at a time.

    The recurrence only adds non-negative terms, so it is stable and never overflows the way
    comb(n, x) * p**x * (1-p)**(n-x) does for large n.
    """
    row: FloatArray = np.ones(1, dtype=np.float64)
    for n in range(1, n_max + 1):
        nxt: FloatArray = np.zeros(n + 1, dtype=np.float64)
        nxt[:-1] = row * (1.0 - p)
        nxt[1:] += row * p
        row = nxt
        yield row


def _quantile(pmf: FloatArray, q: float) -> int:
    """Return the smallest x with P(X <= x) >= q for the distribution `pmf`."""
    cdf = np.cumsum(pmf)
    return min(int(np.searchsorted(cdf, q, side="left")), len(pmf) - 1)


def _row(n: int, p: float) -> FloatArray:
    """Return the Binomial(n, p) probability vector, including n = 0."""
    last = deque(_pmf_rows(n, p), maxlen=1)
    return last[0] if last else np.ones(1, dtype=np.float64)


def binomial_cdf(x: int, n: int, p: float) -> float:
    """Return P(X <= x) for X ~ Binomial(n, p), the building block of the m-table."""
    _check_probability("p", p, closed=True)
    if n < 0:
        raise ValueError(f"n: must be non-negative (got {n!r})")
    if x < 0:
        return 0.0
    if x >= n:
        return 1.0
    return min(1.0, float(np.cumsum(_row(n, p))[x]))


def binomial_ppf(q: float, n: int, p: float) -> int:
    """Return the smallest x with P(X <= x) >= q for X ~ Binomial(n, p) (the inverse CDF)."""
    _check_probability("q", q, closed=True)
    _check_probability("p", p, closed=True)
    if n < 0:
        raise ValueError(f"n: must be non-negative (got {n!r})")
    return _quantile(_row(n, p), q)


@lru_cache(maxsize=1024)
def _mtable(k: int, p: float, alpha: float) -> tuple[int, ...]:
    """Compute the m-table without validation, so the α search may also ask for α = 0."""
    return tuple(_quantile(row, alpha) for row in _pmf_rows(k, p))


def mtable(k: int, p: float, alpha: float) -> tuple[int, ...]:
    """Return m(1..k), the minimum number of protected items each top-i prefix must hold."""
    _check_size("k", k)
    _check_probability("p", p, closed=False)
    _check_probability("alpha", alpha, closed=False)
    return _mtable(k, p, alpha)


def validate_mtable(table: Sequence[int]) -> None:
    """Refuse a table that no ranking could meet one item at a time (it must rise by 0 or 1)."""
    previous = 0
    for position, need in enumerate(table, start=1):
        if isinstance(need, bool) or not isinstance(need, int) or need < previous:
            raise ValueError(f"mtable[{position}]: must be an integer >= {previous} (got {need!r})")
        if need > previous + 1 or need > position:
            raise ValueError(f"mtable[{position}]: may rise by at most one per position")
        previous = need


def failure_probability(table: Sequence[int], p: float, *, include_last: bool = False) -> float:
    """Return the chance that a ranking whose items are protected with probability p fails `table`.

    This is the type-I error of the ranked group fairness test. With `include_last=False`
    (fairsearchcore's convention) the last position is not tested; see the module docstring.
    """
    validate_mtable(table)
    _check_probability("p", p, closed=True)
    positions = len(table) if include_last else max(0, len(table) - 1)
    counts: FloatArray = np.zeros(len(table) + 1, dtype=np.float64)
    counts[0] = 1.0  # distribution of the number of protected items so far, among survivors
    failed = 0.0
    for position in range(positions):
        step: FloatArray = counts * (1.0 - p)
        step[1:] += counts[:-1] * p
        need = table[position]
        if need:
            failed += float(step[:need].sum())  # rankings that fail here for the first time
            step[:need] = 0.0
        counts = step
    return min(1.0, failed)


class AlphaAdjustment(NamedTuple):
    """The corrected significance, its table and that table's failure probability."""

    alpha: float
    mtable: tuple[int, ...]
    failure_probability: float


def _evaluate(k: int, p: float, alpha: float, include_last: bool) -> AlphaAdjustment:
    """Build the table for one α and measure how often it fails a fair ranking."""
    table = _mtable(k, p, alpha)
    return AlphaAdjustment(alpha, table, failure_probability(table, p, include_last=include_last))


@lru_cache(maxsize=256)
def _adjust(k: int, p: float, alpha: float, include_last: bool) -> AlphaAdjustment:
    """Bisect α_c in [0, α] until the tables at both ends differ by one entry, keep the closer end.

    The failure probability is a step function of α_c, so equality is rarely reachable; the
    search stops once no table lies between the two ends and returns the end whose failure
    probability is closer to α (the lower end on a tie).
    """
    low = _evaluate(k, p, 0.0, include_last)
    high = _evaluate(k, p, alpha, include_last)
    if sum(low.mtable) == sum(high.mtable):
        return high  # the table never changes, so there is nothing to correct
    for _ in range(_MAX_BISECTIONS):
        if sum(high.mtable) - sum(low.mtable) <= 1:
            break
        middle_alpha = (low.alpha + high.alpha) / 2
        if not low.alpha < middle_alpha < high.alpha:
            break
        middle = _evaluate(k, p, middle_alpha, include_last)
        if middle.failure_probability == alpha:
            return middle
        if middle.failure_probability < alpha:
            low = middle
        else:
            high = middle
    low_gap = abs(low.failure_probability - alpha)
    high_gap = abs(high.failure_probability - alpha)
    return low if low_gap <= high_gap else high


def adjust_alpha(k: int, p: float, alpha: float, *, include_last: bool = False) -> AlphaAdjustment:
    """Correct α for testing k prefixes, so a fair ranking is wrongly rejected with chance ≈ α."""
    _check_size("k", k)
    _check_probability("p", p, closed=False)
    _check_probability("alpha", alpha, closed=False)
    return _adjust(k, p, alpha, include_last)


def adjusted_mtable(
    k: int, p: float, alpha: float, *, include_last: bool = False
) -> tuple[int, ...]:
    """Return the m-table for the corrected significance α_c, the one FA*IR enforces."""
    return adjust_alpha(k, p, alpha, include_last=include_last).mtable


def satisfies_mtable(protected: Sequence[bool], table: Sequence[int]) -> bool:
    """Tell whether every prefix of the ranking holds the protected items the table asks for.

    Only the positions both sequences cover are tested: a shorter ranking is checked as far
    as it goes, a longer one only in its top len(table).
    """
    count = 0
    for flag, need in zip(protected, table, strict=False):
        count += bool(flag)
        if count < need:
            return False
    return True


def is_fair(
    protected: Sequence[bool],
    p: float,
    alpha: float,
    *,
    adjust: bool = True,
    include_last: bool = False,
) -> bool:
    """Tell whether a ranking (protected flags, best first) passes FA*IR's test at its length."""
    if not protected:
        return True
    k = len(protected)
    if adjust:
        table = adjusted_mtable(k, p, alpha, include_last=include_last)
    else:
        table = mtable(k, p, alpha)
    return satisfies_mtable(protected, table)


def fair_rerank(
    ranking: Sequence[T], is_protected: Callable[[T], bool], table: Sequence[int]
) -> list[T]:
    """Reorder a ranking (best first) so each prefix meets the table, disturbing it least.

    FA*IR's merge: at each position take the protected queue's head when the table requires
    another protected item, otherwise whichever head came first in the input. Each group
    keeps its input order, and beyond the table's length the input order resumes.
    """
    validate_mtable(table)
    protected: deque[int] = deque()
    others: deque[int] = deque()
    for index, item in enumerate(ranking):
        (protected if is_protected(item) else others).append(index)
    order: list[int] = []
    count = 0
    for position in range(len(ranking)):
        need = table[position] if position < len(table) else 0
        if not protected:
            take_protected = False
        elif not others or count < need:
            take_protected = True
        else:
            take_protected = protected[0] < others[0]
        if take_protected:
            order.append(protected.popleft())
            count += 1
        else:
            order.append(others.popleft())
    return [ranking[index] for index in order]


@dataclass(frozen=True, slots=True)
class ProtectedGroup:
    """The supply FA*IR protects: by default small and micro providers and SME providers."""

    size_classes: frozenset[str] = frozenset({"small", "micro"})
    kinds: frozenset[str] = frozenset({"sme"})

    def __post_init__(self) -> None:
        """Refuse unknown size classes, which would silently protect nobody."""
        unknown = sorted(self.size_classes - SIZE_CLASSES)
        if unknown:
            raise ValueError(f"size_classes: unknown value(s) {unknown}")

    def __call__(self, facts: ResourceFacts) -> bool:
        """Tell whether a resource's provider belongs to the protected group."""
        return facts.provider_size_class in self.size_classes or facts.provider_kind in self.kinds


class HasFacts(Protocol):
    """Anything ranked that carries resource facts (a candidate or a scored result)."""

    @property
    def facts(self) -> ResourceFacts:
        """Return the resource facts."""
        ...


R = TypeVar("R", bound=HasFacts)


@dataclass(frozen=True, slots=True)
class FairConfig:
    """The fair-exposure settings: how many top positions, target share p and significance α."""

    k: int = 50
    p: float = 0.3
    alpha: float = 0.1
    adjust: bool = True
    include_last: bool = False
    group: ProtectedGroup = field(default_factory=ProtectedGroup)

    def __post_init__(self) -> None:
        """Validate eagerly so a bad stored setting fails when loaded, not mid-request."""
        _check_size("k", self.k)
        _check_probability("p", self.p, closed=False)
        _check_probability("alpha", self.alpha, closed=False)

    def table(self, length: int) -> tuple[int, ...]:
        """Return the table for a result list of `length` items (at most k rows)."""
        k = min(self.k, length)
        if k < 1:
            return ()
        if self.adjust:
            return adjusted_mtable(k, self.p, self.alpha, include_last=self.include_last)
        return mtable(k, self.p, self.alpha)

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict so the Django layer can store and version it."""
        return {
            "k": self.k,
            "p": self.p,
            "alpha": self.alpha,
            "adjust": self.adjust,
            "include_last": self.include_last,
            "protected_size_classes": sorted(self.group.size_classes),
            "protected_kinds": sorted(self.group.kinds),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> FairConfig:
        """Rebuild settings from `to_dict` output, refusing unknown keys."""
        defaults = cls().to_dict()
        unknown = sorted(set(data) - set(defaults))
        if unknown:
            raise ValueError(f"fair configuration: unknown key(s) {unknown}")
        merged = {**defaults, **data}
        k, p, alpha = merged["k"], merged["p"], merged["alpha"]
        sizes, kinds = merged["protected_size_classes"], merged["protected_kinds"]
        if not isinstance(k, int) or isinstance(k, bool):
            raise ValueError("k: must be an integer")
        if not isinstance(p, int | float) or not isinstance(alpha, int | float):
            raise ValueError("p and alpha: must be numbers")
        adjust, include_last = merged["adjust"], merged["include_last"]
        if not isinstance(adjust, bool) or not isinstance(include_last, bool):
            raise ValueError("adjust and include_last: must be true or false")
        if not isinstance(sizes, list | tuple) or not isinstance(kinds, list | tuple):
            raise ValueError("protected_size_classes and protected_kinds: must be lists")
        return cls(
            k=k,
            p=float(p),
            alpha=float(alpha),
            adjust=adjust,
            include_last=include_last,
            group=ProtectedGroup(frozenset(map(str, sizes)), frozenset(map(str, kinds))),
        )


def rerank_results(results: Sequence[R], config: FairConfig) -> list[R]:
    """Apply FA*IR to a scored result list (best first) with the configured protected group."""
    return fair_rerank(
        results, lambda result: config.group(result.facts), config.table(len(results))
    )
